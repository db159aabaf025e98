/*
** observed: the CSV is read by hand (a header, then four or three plain
** fields a row; no quoting: station names with a comma cannot be named),
** every row checked and every problem said with its column, all at once.
*/
#include "run/observed.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/isodate.h"
#include "base/limits.h"
#include "base/rfile.h"
#include "base/xmem.h"
#include "tcsim/metrics.h"
#include "tcsim/units.h"

#define MAX_BYTES (64u * 1024 * 1024)

static const char *const fields[TC_TS__COUNT] = {"present", "waiting", "busy", "blocked"};

struct reader {
    const char *path;
    const struct tc_scenario *sc;
    const struct tc_metrics *m;
    struct tc_diags *d;
    struct tc_obs *o;
    TC_VEC(struct tc_obs_point) pts;
    TC_VEC(struct tc_obs_term) terms;
};

static void err_at(struct reader *r, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err_at(struct reader *r, uint32_t line, uint32_t col, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct tc_pos pos = {r->path, line, col};
    tc_diags_add(r->d, TC_SEV_ERROR, &pos, "", "%s", msg);
}

static bool parse_number(const char *s, double *out)
{
    char *end;
    if (*s == '\0' || strchr("0123456789+-.", *s) == NULL)
        return false;
    errno = 0;
    *out = strtod(s, &end);
    return *end == '\0' && errno == 0 && isfinite(*out);
}

static const char *parse_time(struct reader *r, const char *s, double *t)
{
    const struct tc_scenario *sc = r->sc;
    if (!sc->has_start_date)
        return tc_units_duration(s, sc->time_unit, t);
    struct tc_isodate dt;
    const char *err = tc_isodate_parse(s, &dt);
    if (err)
        return err;
    if (!dt.has_offset)
        dt.utc_s -= (int64_t)sc->start_offset_min * 60;
    *t = (double)(dt.utc_s - sc->start_utc_s) / tc_units_seconds(sc->time_unit);
    return NULL;
}

static void push_term(struct reader *r, uint32_t row, uint32_t field, bool cls)
{
    TC_VEC_PUSH(r->terms, ((struct tc_obs_term){row, field, cls}));
}

#define EXPECTED_METRIC                                                                            \
    "expected STATION.present, .waiting, .busy or .blocked, CLASS@STATION.present, "               \
    "road:STATION.present, network.present, CLASS@network.present (each may end in "               \
    ".daily_mean), "                                                                               \
    "STATION.departures_per_day, or a sum of them with +"

/* ST.departures_per_day: the departures column of ST's class series. */
static bool departures_term(struct reader *r, char *s, uint32_t line, uint32_t col)
{
    uint32_t st = tc_scenario_station(r->sc, s);
    if (st == TC_NONE) {
        err_at(r, line, col, "metric: no station named \"%s\" in the scenario", s);
        return false;
    }
    push_term(r, st, r->sc->n_classes, true);
    r->o->needs_class_series = true;
    return true;
}

/* CLASS@ST.present: the class column of ST's class series; s is "CLASS@ST", f the field. */
static bool class_term(struct reader *r, char *s, const char *f, uint32_t line, uint32_t col)
{
    char *at = strchr(s, '@');
    *at = '\0';
    uint32_t c = tc_scenario_class(r->sc, s), st = tc_scenario_station(r->sc, at + 1);
    bool ok = true;
    if (st == TC_NONE && strcmp(at + 1, "network") == 0)
        st = r->sc->n_stations; /* the class series' network row: stations and roads */
    if (c == TC_NONE) {
        err_at(r, line, col, "metric: no class named \"%s\" in the scenario", s);
        ok = false;
    }
    if (st == TC_NONE) {
        err_at(r, line, col, "metric: no station named \"%s\" in the scenario", at + 1);
        ok = false;
    }
    if (strcmp(f, "present") != 0) {
        err_at(r, line, col,
               "metric: unknown series \"%s\" of a class; expected present (per class only the "
               "trucks present are sampled)",
               f);
        ok = false;
    }
    if (ok) {
        push_term(r, st, c, true);
        r->o->needs_class_series = true;
    }
    return ok;
}

/* Strips a ".daily_mean" ending off s; whether there was one. */
static bool strip_daily(char *s)
{
    size_t n = strlen(s), k = strlen(".daily_mean");
    if (n > k && strcmp(s + n - k, ".daily_mean") == 0) {
        s[n - k] = '\0';
        return true;
    }
    return false;
}

/* One term of a metric (EXPECTED_METRIC); *kind gets what it observes. */
static bool parse_term(struct reader *r, char *s, uint32_t line, uint32_t col,
                       enum tc_obs_kind *kind)
{
    const struct tc_scenario *sc = r->sc;
    bool daily = strip_daily(s);
    *kind = daily ? TC_OBS_DAILY_MEAN : TC_OBS_AT;
    char *dot = strrchr(s, '.');
    if (strcmp(s, "network.present") == 0 && tc_scenario_station(sc, "network") == TC_NONE) {
        for (uint32_t j = 0; j < sc->n_stations + r->m->n_roads; j++)
            push_term(r, j, TC_TS_PRESENT, false);
        return true;
    }
    if (!dot) {
        err_at(r, line, col, "metric \"%s\": %s", s, EXPECTED_METRIC);
        return false;
    }
    *dot = '\0';
    const char *f = dot + 1;
    if (!daily && strcmp(f, "departures_per_day") == 0) {
        *kind = TC_OBS_PER_DAY;
        return departures_term(r, s, line, col);
    }
    bool road = strncmp(s, "road:", 5) == 0;
    if (!road && strchr(s, '@') && tc_scenario_station(sc, s) == TC_NONE)
        return class_term(r, s, f, line, col);
    uint32_t st = tc_scenario_station(sc, road ? s + 5 : s);
    int k = -1;
    for (int i = 0; i < TC_TS__COUNT; i++)
        if (strcmp(f, fields[i]) == 0)
            k = i;
    if (st == TC_NONE) {
        err_at(r, line, col, "metric: no station named \"%s\" in the scenario%s", road ? s + 5 : s,
               "");
        return false;
    }
    if (k < 0 || (road && k != TC_TS_PRESENT)) {
        err_at(r, line, col, "metric: unknown series \"%s\"; expected %s", f,
               road ? "present (a road has only its trucks)"
                    : "present, waiting, busy, blocked or departures_per_day");
        return false;
    }
    if (road && r->m->road_of_station[st] == TC_NONE) {
        err_at(r, line, col, "metric: station \"%s\" has no road (it is no entry station)%s", s + 5,
               "");
        return false;
    }
    push_term(r, road ? sc->n_stations + r->m->road_of_station[st] : st, (uint32_t)k, false);
    return true;
}

static bool parse_metric(struct reader *r, char *s, uint32_t line, uint32_t col,
                         enum tc_obs_kind *kind)
{
    bool ok = true, first = true, mixed = false;
    for (char *p = s;;) {
        char *plus = strchr(p, '+');
        enum tc_obs_kind k = TC_OBS_AT;
        if (plus)
            *plus = '\0';
        ok &= parse_term(r, p, line, col + (uint32_t)(p - s), &k);
        mixed |= !first && k != *kind;
        if (first)
            *kind = k;
        first = false;
        if (!plus)
            break;
        p = plus + 1;
    }
    if (mixed) {
        err_at(r, line, col,
               "metric: a sum adds terms of one kind: levels at a time, daily means "
               "(.daily_mean) or daily counts (departures_per_day)");
        ok = false;
    }
    return ok;
}

/*
** The day of a daily point: within the run, and for a count, a whole
** number of samples long (its ends are samples). False after an error.
*/
static bool check_day(struct reader *r, struct tc_obs_point *p, uint32_t line, const uint32_t *col)
{
    const struct tc_scenario *sc = r->sc;
    double D = 86400.0 / tc_units_seconds(sc->time_unit), ratio = D / sc->sample_every;
    double d = floor(p->t / D);
    if ((d + 1.0) * D > sc->horizon * (1.0 + 1e-12)) {
        err_at(r, line, col[0],
               "time \"%s\": its day (day %.0f from t = 0) ends after the horizon; a daily "
               "observation needs the whole day in the run",
               p->time, d + 1.0);
        return false;
    }
    p->day = (uint32_t)d;
    if (p->kind == TC_OBS_PER_DAY && fabs(ratio - round(ratio)) > 1e-9 * ratio) {
        err_at(r, line, col[1],
               "metric: a daily count needs a day to be a whole number of samples; "
               "sample_every is %.17g %s",
               sc->sample_every, tc_units_name(sc->time_unit));
        return false;
    }
    if (p->kind == TC_OBS_DAILY_MEAN && ratio < 1.0) {
        err_at(r, line, col[1], "metric: a daily mean needs samples at most one day apart");
        return false;
    }
    return true;
}

/* Row `line`: fields split in place; false after a diagnostic. */
static bool read_row(struct reader *r, char *row, uint32_t line, bool has_weight)
{
    char *f[4] = {0};
    uint32_t col[4] = {0};
    int n = 0;
    for (char *p = row;; n++) {
        if (n == 4) {
            n++;
            break;
        }
        f[n] = p;
        col[n] = (uint32_t)(p - row) + 1;
        char *c = strchr(p, ',');
        if (!c) {
            n++;
            break;
        }
        *c = '\0';
        p = c + 1;
    }
    int want = has_weight ? 4 : 3;
    if (n != want && !(has_weight && n == 3)) {
        err_at(r, line, 1, "expected %s fields (time,metric,value%s)", has_weight ? "3 or 4" : "3",
               has_weight ? "[,weight]" : "");
        return false;
    }
    struct tc_obs_point p = {.weight = 1.0, .line = line, .term0 = r->terms.n};
    bool ok = true;
    const char *err = parse_time(r, f[0], &p.t);
    char hz[64];
    snprintf(hz, sizeof(hz), "%.17g %s", r->sc->horizon, tc_units_name(r->sc->time_unit));
    if (err) {
        err_at(r, line, col[0], "time \"%s\": %s", f[0], err);
        ok = false;
    } else if (!(p.t >= 0.0 && p.t <= r->sc->horizon)) {
        err_at(r, line, col[0], "time \"%s\": outside the run, from 0 to the horizon (%s)", f[0],
               hz);
        ok = false;
    }
    char *metric = tc_xstrdup(f[1]); /* split in place; f[1] is kept whole */
    bool m_ok = parse_metric(r, metric, line, col[1], &p.kind);
    free(metric);
    p.time = f[0];
    if (ok && m_ok && p.kind != TC_OBS_AT)
        m_ok = check_day(r, &p, line, col);
    ok &= m_ok;
    if (!parse_number(f[2], &p.value)) {
        err_at(r, line, col[2], "value \"%s\": expected a finite number%s", f[2], "");
        ok = false;
    }
    if (n == 4 && (!parse_number(f[3], &p.weight) || p.weight < 0.0)) {
        err_at(r, line, col[3], "weight \"%s\": expected a finite number >= 0%s", f[3], "");
        ok = false;
    }
    if (!ok)
        return false;
    p.n_terms = r->terms.n - p.term0;
    p.time = tc_xstrdup(f[0]);
    p.metric = tc_xstrdup(f[1]);
    TC_VEC_PUSH(r->pts, p);
    return true;
}

static void trim_cr(char *s)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '\r')
        s[n - 1] = '\0';
}

int tc_obs_load(struct tc_obs *o, const char *path, const struct tc_scenario *sc,
                struct tc_diags *d)
{
    memset(o, 0, sizeof(*o));
    char *text = NULL;
    size_t len = 0;
    int rc = tc_rfile_read(path, MAX_BYTES, &text, &len);
    if (rc) {
        struct tc_pos pos = {path, 0, 0};
        tc_diags_add(d, TC_SEV_ERROR, &pos, "", "cannot read it: %s", strerror(-rc));
        return -1;
    }
    struct tc_metrics m;
    tc_metrics_init(&m, sc);
    struct reader r = {.path = path, .sc = sc, .m = &m, .d = d, .o = o};
    size_t err0 = d->n_err;
    uint32_t line = 0;
    bool has_weight = false;
    for (char *p = text, *next; p < text + len; p = next) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        next = nl ? nl + 1 : text + len;
        if (nl)
            *nl = '\0';
        line++;
        trim_cr(p);
        if (line == 1) {
            has_weight = strcmp(p, "time,metric,value,weight") == 0;
            if (!has_weight && strcmp(p, "time,metric,value") != 0) {
                err_at(&r, 1, 1,
                       "expected the header time,metric,value or "
                       "time,metric,value,weight%s%s",
                       "", "");
                break;
            }
            continue;
        }
        if (*p == '\0')
            continue; /* a blank line */
        if (r.pts.n + d->n_err - err0 >= TC_LIMIT_TRACE_ROWS) {
            err_at(&r, line, 1, "too many rows%s%s", "", "");
            break;
        }
        read_row(&r, p, line, has_weight);
    }
    if (d->n_err == err0 && r.pts.n == 0) {
        struct tc_pos pos = {path, line ? line : 1, 1};
        tc_diags_add(d, TC_SEV_ERROR, &pos, "",
                     "no observations: expected a header time,metric,value[,weight] and at least "
                     "one row");
    }
    free(text);
    tc_metrics_fini(&m);
    o->v = r.pts.v;
    o->n = r.pts.n;
    o->terms = r.terms.v;
    o->n_terms = r.terms.n;
    if (d->n_err != err0) {
        tc_obs_fini(o);
        return -1;
    }
    return 0;
}

void tc_obs_fini(struct tc_obs *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].time);
        free(o->v[i].metric);
    }
    free(o->v);
    free(o->terms);
    memset(o, 0, sizeof(*o));
}

/* Term tm at sample k. */
static double level_at(const struct tc_obs_term *tm, uint32_t k, const struct tc_obs_rep *rep)
{
    if (tm->class_series)
        return rep
            ->class_series[((size_t)k * (rep->n_stations + 1) + tm->row) * (rep->n_classes + 1) +
                           tm->field];
    return rep->series[((size_t)k * rep->n_series + tm->row) * TC_TS__COUNT + tm->field];
}

static double term_value(const struct tc_obs_point *p, const struct tc_obs_term *tm,
                         const struct tc_obs_rep *rep)
{
    double se = rep->sample_every, D = 86400.0 / tc_units_seconds(rep->time_unit);
    uint32_t last = rep->n_samples - 1;
    if (p->kind == TC_OBS_PER_DAY) {
        uint32_t k0 = (uint32_t)llround(p->day * D / se),
                 k1 = (uint32_t)llround((p->day + 1) * D / se);
        return level_at(tm, k1 < last ? k1 : last, rep) - level_at(tm, k0 < last ? k0 : last, rep);
    }
    if (p->kind == TC_OBS_DAILY_MEAN) {
        double sum = 0.0;
        uint32_t n = 0;
        for (uint32_t k = (uint32_t)ceil(p->day * D / se - 1e-9);
             k <= last && (double)k * se < (p->day + 1) * D * (1.0 - 1e-12); k++, n++)
            sum += level_at(tm, k, rep);
        return n ? sum / n : (double)NAN;
    }
    double x = p->t / se;
    uint32_t k = (uint32_t)floor(x);
    double frac = x - k;
    if (k + 1 >= rep->n_samples) {
        k = last;
        frac = 0.0;
    }
    double v = level_at(tm, k, rep);
    if (frac > 0.0)
        v += frac * (level_at(tm, k + 1, rep) - v);
    return v;
}

double tc_obs_value(const struct tc_obs *o, size_t i, const struct tc_obs_rep *rep)
{
    const struct tc_obs_point *p = &o->v[i];
    double sum = 0.0;
    for (size_t j = 0; j < p->n_terms; j++)
        sum += term_value(p, &o->terms[p->term0 + j], rep);
    return sum;
}

double tc_obs_value_at(const struct tc_obs *o, size_t i, double t, const struct tc_obs_rep *rep)
{
    /* the point moved to t: its terms and kind, so the curve is what the fit compares */
    struct tc_obs_point p = o->v[i];
    double D = 86400.0 / tc_units_seconds(rep->time_unit);
    p.t = t;
    p.day = t > 0 ? (uint32_t)floor(t / D) : 0; /* as tc_obs_load sets it */
    double sum = 0.0;
    for (size_t j = 0; j < p.n_terms; j++)
        sum += term_value(&p, &o->terms[p.term0 + j], rep);
    return sum;
}
