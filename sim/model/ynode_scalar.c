/*
** ynode_scalar: the getters of one scalar node: integers, numbers,
** durations, rates, lengths, strings, enumerations and opening windows.
** Each runs a narrow scanner (never strtod/strtoull on text they were not
** meant for: strtod would take "inf", "nan" and hex floats, strtoull a
** minus sign), stores the value, or adds one diagnostic ending in
** ", got "<text>"".
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/isodate.h"
#include "base/xmem.h"
#include "model/ynode.h"

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

bool tc_ynode_uint_max(struct tc_ynode *y, int id, const char *key, unsigned flags, uint32_t max,
                       const char *macro, uint32_t *out)
{
    const char *s = tc_ynode_scalar(y, id);
    const char *what = flags & TC_YN_ZERO ? "an integer >= 0" : "a positive integer";
    const char *unl = flags & TC_YN_UNLIMITED ? " or \"unlimited\"" : "";
    unsigned long long v;
    char *end;

    if (s != NULL && (flags & TC_YN_UNLIMITED) && strcmp(s, "unlimited") == 0) {
        *out = TC_UNLIMITED;
        return true;
    }
    if (s == NULL || !all_digits(s)) {
        tc_ynode_error_got(y, id, key, "expected %s%s", what, unl);
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max) {
        /* A limit of tcsim/limits.h says so, and how to raise it; uint32_t's just its bound. */
        if (macro != NULL)
            tc_ynode_error_got(y, id, key, "expected %s up to %" PRIu32 "%s (%s in tcsim/limits.h)",
                               what, max, unl, macro);
        else
            tc_ynode_error_got(y, id, key, "expected %s%s (at most %" PRIu32 ")", what, unl, max);
        return false;
    }
    if (v == 0 && !(flags & TC_YN_ZERO)) {
        tc_ynode_error_got(y, id, key, "expected %s%s", what, unl);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

bool tc_ynode_uint(struct tc_ynode *y, int id, const char *key, unsigned flags, uint32_t *out)
{
    return tc_ynode_uint_max(y, id, key, flags, TC_UNLIMITED - 1, NULL, out);
}

bool tc_ynode_u64(struct tc_ynode *y, int id, const char *key, uint64_t *out)
{
    const char *s = tc_ynode_scalar(y, id);
    unsigned long long v;
    char *end;

    if (s != NULL && all_digits(s)) {
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == 0 && *end == '\0' && v <= UINT64_MAX) {
            *out = (uint64_t)v;
            return true;
        }
    }
    tc_ynode_error_got(y, id, key, "expected an integer from 0 to %" PRIu64, UINT64_MAX);
    return false;
}

bool tc_ynode_i64(struct tc_ynode *y, int id, const char *key, int64_t *out)
{
    const char *s = tc_ynode_scalar(y, id);
    long long v;
    char *end;

    if (s != NULL && all_digits(s[0] == '-' || s[0] == '+' ? s + 1 : s)) {
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno == 0 && *end == '\0') {
            *out = (int64_t)v;
            return true;
        }
    }
    tc_ynode_error_got(y, id, key, "expected an integer from %" PRId64 " to %" PRId64, INT64_MIN,
                       INT64_MAX);
    return false;
}

/* [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)? and nothing else, so strtod sees no inf/nan/hex. */
static bool is_decimal(const char *s)
{
    int digits = 0;

    if (*s == '+' || *s == '-')
        s++;
    while (*s >= '0' && *s <= '9') {
        s++;
        digits++;
    }
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9') {
            s++;
            digits++;
        }
    }
    if (digits == 0)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

bool tc_ynode_number(struct tc_ynode *y, int id, const char *key, enum tc_yn_range range,
                     double *out)
{
    static const char *const msgs[] = {
        [TC_YN_ANY] = "expected a number",
        [TC_YN_NONNEG] = "expected a number >= 0",
        [TC_YN_POSITIVE] = "expected a number > 0",
        [TC_YN_PROB] = "expected a probability in (0, 1]",
    };
    const char *s = tc_ynode_scalar(y, id);
    double v;
    char *end;
    bool ok;

    if (s == NULL || !is_decimal(s)) {
        tc_ynode_error_got(y, id, key, "%s", msgs[range]);
        return false;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno == ERANGE || *end != '\0' || !isfinite(v)) {
        tc_ynode_error_got(y, id, key, "%s (this one is out of range)", msgs[range]);
        return false;
    }
    switch (range) {
    case TC_YN_NONNEG:
        ok = v >= 0.0;
        break;
    case TC_YN_POSITIVE:
        ok = v > 0.0;
        break;
    case TC_YN_PROB:
        ok = v > 0.0 && v <= 1.0;
        break;
    case TC_YN_ANY:
    default:
        ok = true;
        break;
    }
    if (!ok) {
        tc_ynode_error_got(y, id, key, "%s", msgs[range]);
        return false;
    }
    /* -0 and 0 are the same input; keep the sign out of emitted files. */
    *out = v == 0.0 ? 0.0 : v;
    return true;
}

typedef const char *(*units_fn)(const char *s, enum tc_time_unit tu, double *out);

static bool via_units(struct tc_ynode *y, int id, const char *key, units_fn fn, const char *what,
                      double *out)
{
    const char *s = tc_ynode_scalar(y, id);
    const char *err;
    double v;

    if (s == NULL || tc_ynode_is_null(y, id)) {
        /* Ask the parser what it accepts: its message for an empty text. */
        err = fn("", y->tu, &v);
        tc_ynode_error_got(y, id, key, "%s", err ? err : what);
        return false;
    }
    err = fn(s, y->tu, &v);
    if (err != NULL) {
        tc_ynode_error_got(y, id, key, "%s", err);
        return false;
    }
    *out = v;
    return true;
}

bool tc_ynode_duration(struct tc_ynode *y, int id, const char *key, double *out)
{
    return via_units(y, id, key, tc_units_duration, "expected a duration", out);
}

bool tc_ynode_time(struct tc_ynode *y, int id, const char *key, double *out)
{
    const char *s = tc_ynode_scalar(y, id);
    struct tc_isodate d;
    const char *err;

    if (!tc_isodate_looks_like(s))
        return tc_ynode_duration(y, id, key, out);
    if (y->start_bad)
        return false;
    if (!y->has_start) {
        tc_ynode_error_got(y, id, key, "a date needs start_date at the top level of the scenario");
        return false;
    }
    if ((err = tc_isodate_parse(s, &d)) != NULL) {
        tc_ynode_error_got(y, id, key, "%s", err);
        return false;
    }
    if (!d.has_offset)
        d.utc_s -= (int64_t)y->start_offset_min * 60;
    if (d.utc_s < y->start_utc_s) {
        char b[40];
        tc_isodate_format(y->start_utc_s, y->start_offset_min, b, sizeof(b));
        tc_ynode_error_got(y, id, key, "before start_date (%s)", b);
        return false;
    }
    *out = (double)(d.utc_s - y->start_utc_s) / tc_units_seconds(y->tu);
    return true;
}

bool tc_ynode_rate(struct tc_ynode *y, int id, const char *key, double *out)
{
    return via_units(y, id, key, tc_units_rate, "expected a rate", out);
}

bool tc_ynode_length(struct tc_ynode *y, int id, const char *key, double *out)
{
    const char *s = tc_ynode_scalar(y, id);
    const char *err;
    double v;

    err = tc_units_length(s != NULL && !tc_ynode_is_null(y, id) ? s : "", &v);
    if (err != NULL) {
        tc_ynode_error_got(y, id, key, "%s", err);
        return false;
    }
    *out = v;
    return true;
}

bool tc_ynode_string(struct tc_ynode *y, int id, const char *key, const char **out)
{
    const char *s = tc_ynode_scalar(y, id);

    if (s == NULL || s[0] == '\0' || tc_ynode_is_null(y, id)) {
        tc_ynode_error_got(y, id, key, "expected a non-empty string");
        return false;
    }
    *out = s;
    return true;
}

bool tc_ynode_enum(struct tc_ynode *y, int id, const char *key, const char *const *names, size_t n,
                   int *out)
{
    const char *s = tc_ynode_scalar(y, id);
    const char *best;
    char what[TC_YNODE_EXCERPT + 16];
    char list[256];
    size_t o = 0;

    if (s != NULL) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(s, names[i]) == 0) {
                *out = (int)i;
                return true;
            }
        }
    }
    /* "a", "b" or "c" */
    list[0] = '\0';
    for (size_t i = 0; i < n && o < sizeof(list); i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(list + o, sizeof(list) - o, "%s\"%s\"", sep, names[i]);

        if (w < 0)
            break;
        o += (size_t)w;
    }
    tc_ynode_describe(y, id, what, sizeof(what));
    best = s != NULL ? tc_diag_suggest(s, names, n) : NULL;
    if (best != NULL)
        tc_ynode_error(y, id, key, "expected %s, got %s; did you mean \"%s\"?", list, what, best);
    else
        tc_ynode_error(y, id, key, "expected %s, got %s", list, what);
    return false;
}

bool tc_ynode_windows(struct tc_ynode *y, int id, const char *key, struct tc_window **out,
                      uint32_t *n_out)
{
    yaml_node_t *n = tc_ynode_node(y, id);
    struct tc_window *w;
    size_t cnt;
    bool ok = true;
    char kbuf[256], ibuf[32];

    *out = NULL;
    *n_out = 0;
    if (n != NULL && n->type == YAML_SCALAR_NODE && !tc_ynode_is_null(y, id)) {
        double o, c;
        const char *err = tc_units_window(tc_ynode_scalar(y, id), &o, &c);

        if (err != NULL) {
            tc_ynode_error_got(y, id, key, "%s", err);
            return false;
        }
        w = tc_xmalloc(sizeof(*w));
        w->open_min = o;
        w->close_min = c;
        *out = w;
        *n_out = 1;
        return true;
    }
    if (n == NULL || n->type != YAML_SEQUENCE_NODE) {
        tc_ynode_error_got(y, id, key,
                           "expected a window \"HH:MM-HH:MM\" or a list of them, such as "
                           "[\"07:00-11:30\", \"13:00-19:00\"]");
        return false;
    }
    cnt = tc_ynode_len(y, id);
    if (cnt == 0) {
        tc_ynode_error(y, id, key,
                       "expected at least one window \"HH:MM-HH:MM\"; leave open out for a "
                       "station that is always open");
        return false;
    }
    if (cnt > TC_YN_MAX_WINDOWS) {
        tc_ynode_error(y, id, key, "expected at most %d windows, got %zu", TC_YN_MAX_WINDOWS, cnt);
        return false;
    }
    w = tc_xmalloc(cnt * sizeof(*w));
    for (size_t i = 0; i < cnt; i++) {
        int it = tc_ynode_item(y, id, i);
        const char *s = tc_ynode_scalar(y, it);
        const char *err;

        snprintf(ibuf, sizeof(ibuf), "[%zu]", i);
        tc_ynode_subkey(kbuf, sizeof(kbuf), key, ibuf);
        err = tc_units_window(s != NULL && !tc_ynode_is_null(y, it) ? s : "", &w[i].open_min,
                              &w[i].close_min);
        if (err != NULL) {
            tc_ynode_error_got(y, it, kbuf, "%s", err);
            ok = false;
        }
    }
    if (!ok) {
        free(w);
        return false;
    }
    *out = w;
    *n_out = (uint32_t)cnt;
    return true;
}
