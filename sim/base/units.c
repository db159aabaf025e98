/*
** units: hand-written scanners for the few forms planners write. The
** grammar is deliberately narrow: a number is [0-9]+(.[0-9]*)?([eE][+-]?[0-9]+)?
** or .[0-9]+..., so strtod never sees "inf", "nan", hex floats or a sign.
** A number is copied into a small buffer before strtod, so strtod cannot
** read further than our scanner did. Spaces and tabs are allowed around
** every token; YAML already trims scalars, but "1 h  30 min" is harmless.
**
** Conversions use integer ratios between unit lengths (1, 60, 3600, 86400
** seconds): a value is multiplied by the ratio when converting to a smaller
** unit and divided by it otherwise, so each part costs one rounding and
** "90 s" in min is exactly 1.5.
*/
#include "tcsim/units.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const tu_names[TC_TU__COUNT] = {"s", "min", "h", "d"};
static const double tu_seconds[TC_TU__COUNT] = {1.0, 60.0, 3600.0, 86400.0};

/* One message per time_unit: the bare-number meaning depends on it. */
static const char *const dur_msg[TC_TU__COUNT] = {
    "expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, min, h, d) or a number "
    "of seconds",
    "expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, min, h, d) or a number "
    "of minutes",
    "expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, min, h, d) or a number "
    "of hours",
    "expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, min, h, d) or a number "
    "of days",
};
/* No "or a number per minute": a rate's unit is never implied (see tc_units_rate). */
static const char msg_rate[] = "expected a rate such as \"25/h\" or \"900/d\" (per s, min, h or d)";
static const char msg_rate_unit[] = "a rate needs a unit: 100/h, 2/min, 50/d";
static const char msg_dur_neg[] = "a duration must be >= 0";
static const char msg_dur_repeat[] = "each unit may appear only once, as in \"1 h 30 min\"";
static const char msg_rate_neg[] = "a rate must be >= 0";
static const char msg_range[] = "the number is out of range";
static const char msg_len[] =
    "expected a length such as \"25 m\" or \"0.5 km\", or a number of metres";
static const char msg_len_pos[] = "a length must be > 0";
static const char msg_tu[] = "expected a time unit: s, min, h or d";
static const char msg_tod[] = "expected a time of day \"HH:MM\" from 00:00 to 23:59";
static const char msg_tod24[] = "expected a time of day \"HH:MM\" from 00:00 to 24:00";
static const char msg_win[] = "expected a window \"HH:MM-HH:MM\" such as \"08:00-12:00\" "
                              "(it may cross midnight, as \"22:00-06:00\"; 24:00 only as its end)";
static const char msg_win_empty[] =
    "a window must not be empty (open equals close); \"00:00-24:00\" is the whole day";

/* Internal status of the number scanner. */
enum num_st { NUM_OK, NUM_NONE, NUM_NEG, NUM_RANGE };

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/*
** Scans one unsigned decimal number at *pp. A leading '-' followed by a
** number is reported as NUM_NEG so callers can say "must be >= 0" rather
** than "expected a duration".
*/
static enum num_st scan_number(const char **pp, double *out)
{
    const char *p = *pp;
    const char *start;
    char buf[64];
    size_t len;
    char *end;
    double v;
    int n_digits = 0;

    if (*p == '-' && (is_digit(p[1]) || (p[1] == '.' && is_digit(p[2]))))
        return NUM_NEG;
    start = p;
    while (is_digit(*p)) {
        p++;
        n_digits++;
    }
    if (*p == '.') {
        p++;
        while (is_digit(*p)) {
            p++;
            n_digits++;
        }
    }
    if (n_digits == 0)
        return NUM_NONE;
    if ((*p == 'e' || *p == 'E') &&
        (is_digit(p[1]) || ((p[1] == '+' || p[1] == '-') && is_digit(p[2])))) {
        p += 2;
        while (is_digit(*p))
            p++;
    }
    len = (size_t)(p - start);
    if (len >= sizeof(buf))
        return NUM_RANGE;
    memcpy(buf, start, len);
    buf[len] = '\0';
    errno = 0;
    v = strtod(buf, &end);
    /* ERANGE covers overflow and underflow; neither is a sensible input. */
    if (end != buf + len || errno == ERANGE || !isfinite(v))
        return NUM_RANGE;
    *out = v;
    *pp = p;
    return NUM_OK;
}

/* Scans a lowercase word (a unit name) into [*start, return). */
static const char *scan_word(const char *p)
{
    while (is_lower(*p))
        p++;
    return p;
}

/* A duration/rate unit by name ("sec" is an alias of "s"); -1 if unknown. */
static int unit_from_word(const char *w, size_t len)
{
    if (len == 3 && memcmp(w, "sec", 3) == 0)
        return TC_TU_S;
    for (int i = 0; i < TC_TU__COUNT; i++) {
        if (strlen(tu_names[i]) == len && memcmp(w, tu_names[i], len) == 0)
            return i;
    }
    return -1;
}

/* v in unit `from` expressed in unit `to`, with a single rounding. */
static double convert(double v, int from, enum tc_time_unit to)
{
    if (tu_seconds[from] >= tu_seconds[to])
        return v * (tu_seconds[from] / tu_seconds[to]);
    return v / (tu_seconds[to] / tu_seconds[from]);
}

const char *tc_units_name(enum tc_time_unit tu)
{
    if ((unsigned)tu >= TC_TU__COUNT)
        return "?";
    return tu_names[tu];
}

const char *tc_units_parse_time_unit(const char *s, enum tc_time_unit *out)
{
    if (s == NULL)
        return msg_tu;
    for (int i = 0; i < TC_TU__COUNT; i++) {
        if (strcmp(s, tu_names[i]) == 0) {
            *out = (enum tc_time_unit)i;
            return NULL;
        }
    }
    return msg_tu;
}

double tc_units_seconds(enum tc_time_unit tu)
{
    return tu_seconds[tu];
}

double tc_units_day(enum tc_time_unit tu)
{
    return 86400.0 / tu_seconds[tu];
}

double tc_units_minutes(enum tc_time_unit tu)
{
    return tu_seconds[tu] / 60.0;
}

const char *tc_units_duration(const char *s, enum tc_time_unit tu, double *out_t)
{
    const char *p;
    double total = 0.0;
    unsigned seen = 0; /* bit per unit already used */
    int n_parts = 0;

    if ((unsigned)tu >= TC_TU__COUNT)
        tu = TC_TU_MIN;
    if (s == NULL)
        return dur_msg[tu];
    p = skip_ws(s);
    while (*p != '\0') {
        double v;
        const char *w;
        int unit;

        switch (scan_number(&p, &v)) {
        case NUM_OK:
            break;
        case NUM_NEG:
            return msg_dur_neg;
        case NUM_RANGE:
            return msg_range;
        case NUM_NONE:
            return dur_msg[tu];
        }
        p = skip_ws(p);
        w = p;
        p = scan_word(p);
        if (p == w) {
            /* A bare number: only as the whole input. */
            if (n_parts > 0 || *p != '\0')
                return dur_msg[tu];
            total = v;
            n_parts++;
            break;
        }
        unit = unit_from_word(w, (size_t)(p - w));
        if (unit < 0)
            return dur_msg[tu];
        if (seen & (1u << unit))
            return msg_dur_repeat;
        seen |= 1u << unit;
        total += convert(v, unit, tu);
        n_parts++;
        p = skip_ws(p);
    }
    if (n_parts == 0)
        return dur_msg[tu];
    if (!isfinite(total))
        return msg_range;
    *out_t = total;
    return NULL;
}

const char *tc_units_rate(const char *s, enum tc_time_unit tu, double *out_rate_per_t)
{
    const char *p;
    const char *w;
    double v;
    int unit;

    if ((unsigned)tu >= TC_TU__COUNT)
        tu = TC_TU_MIN;
    if (s == NULL)
        return msg_rate;
    p = skip_ws(s);
    switch (scan_number(&p, &v)) {
    case NUM_OK:
        break;
    case NUM_NEG:
        return msg_rate_neg;
    case NUM_RANGE:
        return msg_range;
    case NUM_NONE:
        return msg_rate;
    }
    p = skip_ws(p);
    /*
    ** A bare number used to be per time_unit: "--set arrivals.0.rate=100"
    ** meant 100 a minute and simulated an 8,387 km queue. A planner thinks
    ** of a rate per hour or per day, so the unit is always spelt out.
    */
    if (*p == '\0')
        return msg_rate_unit;
    if (*p != '/')
        return msg_rate;
    p = skip_ws(p + 1);
    w = p;
    p = scan_word(p);
    unit = unit_from_word(w, (size_t)(p - w));
    if (unit < 0 || *skip_ws(p) != '\0')
        return msg_rate;
    /* v per `unit` is v * (tu/unit) per tu: the inverse of a duration. */
    v = convert(v, (int)tu, (enum tc_time_unit)unit);
    if (!isfinite(v))
        return msg_range;
    *out_rate_per_t = v;
    return NULL;
}

const char *tc_units_length(const char *s, double *out_len_m)
{
    const char *p;
    const char *w;
    size_t wlen;
    double v;

    if (s == NULL)
        return msg_len;
    p = skip_ws(s);
    switch (scan_number(&p, &v)) {
    case NUM_OK:
        break;
    case NUM_NEG:
        return msg_len_pos;
    case NUM_RANGE:
        return msg_range;
    case NUM_NONE:
        return msg_len;
    }
    p = skip_ws(p);
    w = p;
    p = scan_word(p);
    wlen = (size_t)(p - w);
    if (*skip_ws(p) != '\0')
        return msg_len;
    if (wlen == 2 && memcmp(w, "km", 2) == 0)
        v *= 1000.0;
    else if (!(wlen == 0 || (wlen == 1 && w[0] == 'm')))
        return msg_len;
    if (!isfinite(v))
        return msg_range;
    if (!(v > 0.0))
        return msg_len_pos;
    *out_len_m = v;
    return NULL;
}

/*
** Scans "H:MM" or "HH:MM" at *pp into minutes after midnight. Returns 0 on
** a syntax error or when the time is out of range for allow_24.
*/
static int scan_tod(const char **pp, int allow_24, double *out_min)
{
    const char *p = *pp;
    int h = 0, m;

    if (!is_digit(p[0]))
        return 0;
    h = p[0] - '0';
    p++;
    if (is_digit(p[0])) {
        h = h * 10 + (p[0] - '0');
        p++;
    }
    if (p[0] != ':' || !is_digit(p[1]) || !is_digit(p[2]))
        return 0;
    m = (p[1] - '0') * 10 + (p[2] - '0');
    p += 3;
    if (is_digit(*p) || m >= 60)
        return 0;
    if (h >= 24 && !(allow_24 && h == 24 && m == 0))
        return 0;
    *out_min = 60.0 * h + m;
    *pp = p;
    return 1;
}

const char *tc_units_time_of_day(const char *s, int allow_24, double *out_min)
{
    const char *msg = allow_24 ? msg_tod24 : msg_tod;
    const char *p;
    double t;

    if (s == NULL)
        return msg;
    p = skip_ws(s);
    if (!scan_tod(&p, allow_24, &t) || *skip_ws(p) != '\0')
        return msg;
    *out_min = t;
    return NULL;
}

const char *tc_units_window(const char *s, double *out_open_min, double *out_close_min)
{
    const char *p;
    double open, close;

    if (s == NULL)
        return msg_win;
    p = skip_ws(s);
    if (!scan_tod(&p, 0, &open))
        return msg_win;
    p = skip_ws(p);
    if (*p != '-')
        return msg_win;
    p = skip_ws(p + 1);
    if (!scan_tod(&p, 1, &close) || *skip_ws(p) != '\0')
        return msg_win;
    /* "08:00-08:00" could mean all day or never; we make the user say which. */
    if (open == close)
        return msg_win_empty;
    *out_open_min = open;
    *out_close_min = close;
    return NULL;
}
