/*
** optimize_prepare: the candidates of optimize.h loaded and checked before
** anything runs: each one's scenario (the base overrides, then its grid
** values), the objective and the bounds found by name in its metric
** catalogue, the bounds' values in its time unit, the load screen, the
** seeds of every replication it may get. All errors at once.
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rng.h"
#include "model/scenario_offered.h"
#include "run/optimize.h"
#include "tcsim/metrics.h"
#include "tcsim/units.h"

static char *trim_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return tc_xstrndup(s, n);
}

const char *tc_opt_parse_bound(const char *text, struct tc_opt_bound *b)
{
    memset(b, 0, sizeof(*b));
    b->text = text;
    const char *le = strstr(text, "<="), *ge = strstr(text, ">=");
    const char *op = le && (!ge || le < ge) ? le : ge;
    if (!op)
        return "expected METRIC<=VALUE or METRIC>=VALUE";
    b->ge = op == ge;
    b->metric = trim_dup(text, (size_t)(op - text));
    b->value = trim_dup(op + 2, strlen(op + 2));
    if (!*b->metric || !*b->value || strstr(op + 2, "<=") || strstr(op + 2, ">="))
        return "expected METRIC<=VALUE or METRIC>=VALUE";
    return NULL;
}

void tc_opt_bound_fini(struct tc_opt_bound *b)
{
    free(b->metric);
    free(b->value);
    memset(b, 0, sizeof(*b));
}

static void add_error(struct tc_opt *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_error(struct tc_opt *o, const char *fmt, ...)
{
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < o->errors.n; i++) /* one message per problem, not per candidate */
        if (strcmp(o->errors.v[i], buf) == 0)
            return;
    TC_VEC_PUSH(o->errors, tc_xstrdup(buf));
}

/* ==== Metrics by name ==== */

static size_t find_metric(const struct tc_scenario *sc, const struct tc_metrics *m,
                          const char *name)
{
    char buf[512];
    for (size_t i = 0; i < m->n; i++) {
        tc_metric_path(sc, &m->defs[i], buf, sizeof(buf));
        if (strcmp(buf, name) == 0)
            return i;
    }
    return SIZE_MAX;
}

/* Durations, by name: waits, sojourns, times in system and delays (all in time_unit). */
static bool is_duration(const char *path)
{
    const char *m = strrchr(path, '.');
    m = m ? m + 1 : path;
    size_t n = strlen(m);
    return strcmp(m, "wait") == 0 || strcmp(m, "sojourn") == 0 ||
           strncmp(m, "time_in_system", 14) == 0 || (n > 5 && strcmp(m + n - 5, "_wait") == 0) ||
           (n > 6 && strcmp(m + n - 6, "_delay") == 0);
}

static int axis_of(const struct tc_sweep *sw, const char *key)
{
    for (uint32_t a = 0; a < sw->n_axes; a++)
        if (strcmp(sw->axes[a].key, key) == 0)
            return (int)a;
    return -1;
}

/* A number in [0, inf) or a duration, in time_unit; NULL or what is allowed. */
static const char *parse_value(const char *s, bool time, enum tc_time_unit tu, double *out)
{
    if (time)
        return tc_units_duration(s, tu, out) ? "expected a duration such as 24 h or 90 min" : NULL;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end || errno == ERANGE || !isfinite(x))
        return "expected a number (this metric is not a duration: no unit)";
    *out = x;
    return NULL;
}

#define METRIC_HELP                                                                                \
    "a summary.json path (stations.<station>.<metric>, "                                           \
    "stations.<station>.by_class.<class>.<metric>, classes.<class>.<metric>, "                     \
    "roads.<station>.<metric>, network.<metric>) or a --vary key"

/* Resolves quantity qi (its name) in candidate i; false when it cannot be. */
static bool resolve(struct tc_opt *o, uint32_t i, size_t qi, const char *what)
{
    struct tc_opt_cand *c = &o->c[i];
    const struct tc_sweep *sw = o->p->sw;
    const char *name = o->q[qi].name;
    int a = axis_of(sw, name);
    if (a >= 0) {
        uint32_t *idx = tc_xcalloc(sw->n_axes, sizeof(uint32_t));
        tc_sweep_variant(sw, c->var, idx);
        const char *v = sw->axes[a].values[idx[a]];
        free(idx);
        char *end;
        double x = strtod(v, &end);
        if (end == v || !isfinite(x)) {
            add_error(o, "%s %s: the values of --vary %s must be numbers, got \"%s\"", what, name,
                      name, v);
            return false;
        }
        o->q[qi].det = true;
        c->metric[qi] = SIZE_MAX;
        c->det[qi] = x;
        return true;
    }
    c->metric[qi] = find_metric(c->sc, &c->metrics, name);
    if (c->metric[qi] == SIZE_MAX) {
        add_error(o, "%s %s: no such metric; expected " METRIC_HELP, what, name);
        return false;
    }
    o->q[qi].time = is_duration(name);
    return true;
}

/* ==== Preparing ==== */

static void screen(struct tc_opt *o, uint32_t i)
{
    struct tc_opt_cand *c = &o->c[i];
    double *rho = tc_scenario_offered_load_new(c->sc);
    uint32_t worst = TC_NONE;
    for (uint32_t s = 0; s < c->sc->n_stations; s++)
        if (rho[s] >= 1.0 - 1e-9 && (worst == TC_NONE || rho[s] > rho[worst]))
            worst = s;
    if (worst != TC_NONE) {
        c->state = TC_OPT_SCREENED;
        c->load = rho[worst];
        snprintf(c->why, sizeof(c->why),
                 "offered load %.3g >= 1 at %s: its queue grows without bound", rho[worst],
                 c->sc->stations[worst].name);
    }
    free(rho);
}

int tc_opt_prepare(struct tc_opt *o, const struct tc_opt_problem *p, tc_opt_diag_fn *fn, void *ud)
{
    memset(o, 0, sizeof(*o));
    o->p = p;
    o->best = o->runner_up = o->closest = TC_NONE;
    o->undecided[0] = o->undecided[1] = TC_NONE;
    const struct tc_sweep *sw = p->sw;
    o->k = p->cands ? p->n_cands : sw->n_variants;
    o->n_q = 1 + p->n_bounds;
    o->q = tc_xcalloc(o->n_q, sizeof(*o->q));
    o->q[0].name = p->objective;
    for (size_t b = 0; b < p->n_bounds; b++)
        o->q[1 + b].name = p->bounds[b].metric;
    o->c = tc_xcalloc(o->k, sizeof(*o->c));
    size_t n_ovr = p->n_base + sw->n_axes;
    struct tc_override *ovr = tc_xcalloc(n_ovr ? n_ovr : 1, sizeof(*ovr));
    bool load_failed = false;
    for (uint32_t i = 0; i < o->k; i++) {
        struct tc_opt_cand *c = &o->c[i];
        c->var = p->cands ? p->cands[i] : i;
        tc_sweep_overrides(sw, c->var, p->base, p->n_base, ovr);
        struct tc_diags d;
        tc_diags_init(&d);
        c->sc = tc_scenario_load(p->path, ovr, n_ovr, &d);
        tc_diags_sort(&d);
        if (fn && d.n)
            fn(ud, c->var, &d);
        tc_diags_fini(&d);
        c->load = (double)NAN;
        if (!c->sc) {
            load_failed = true;
            continue;
        }
        tc_metrics_init(&c->metrics, c->sc);
        c->metric = tc_xcalloc(o->n_q, sizeof(size_t));
        c->det = tc_xcalloc(o->n_q, sizeof(double));
        c->bound = tc_xcalloc(p->n_bounds + 1, sizeof(double));
        c->eps = tc_xcalloc(p->n_bounds + 1, sizeof(double));
        c->feas = tc_xcalloc(p->n_bounds + 1, sizeof(int8_t));
        resolve(o, i, 0, p->maximize ? "--maximize" : "--minimize");
        for (size_t b = 0; b < p->n_bounds; b++) {
            char what[600];
            snprintf(what, sizeof(what), "--subject-to '%s':", p->bounds[b].text);
            what[strlen(what) - 1] = '\0';
            if (!resolve(o, i, 1 + b, what))
                continue;
            const char *e =
                parse_value(p->bounds[b].value, o->q[1 + b].time, c->sc->time_unit, &c->bound[b]);
            if (e) {
                add_error(o, "--subject-to '%s': \"%s\": %s", p->bounds[b].text, p->bounds[b].value,
                          e);
                continue;
            }
            c->eps[b] = p->tolerance * fabs(c->bound[b]);
            if (!(c->eps[b] > 0))
                c->eps[b] = p->tolerance; /* V = 0: the tolerance is absolute */
        }
    }
    free(ovr);
    if (load_failed)
        return -EINVAL;
    if (p->indifference) {
        const char *e =
            parse_value(p->indifference, o->q[0].time, o->c[0].sc->time_unit, &o->delta);
        if (e || !(o->delta > 0))
            add_error(o, "--indifference \"%s\": %s", p->indifference,
                      e ? e : "expected a value > 0");
    }
    if (o->errors.n)
        return -EINVAL;
    for (uint32_t i = 0; i < o->k; i++)
        screen(o, i);
    for (uint32_t i = 0; i < o->k; i++) {
        struct tc_opt_cand *c = &o->c[i];
        struct tc_rng_layout lay;
        tc_rng_layout_init(&lay, c->sc);
        c->per_rep = lay.base[TC_STREAM__COUNT];
        c->seeds = tc_rng_plan_new(&lay, c->sc->seed, p->max_reps);
    }
    o->y = tc_xcalloc((size_t)o->k * p->max_reps * o->n_q, sizeof(double));
    return 0;
}

void tc_opt_fini(struct tc_opt *o)
{
    if (!o)
        return;
    for (uint32_t i = 0; o->c && i < o->k; i++) {
        struct tc_opt_cand *c = &o->c[i];
        if (c->sc)
            tc_metrics_fini(&c->metrics);
        tc_scenario_free(c->sc);
        free(c->seeds);
        free(c->metric);
        free(c->det);
        free(c->bound);
        free(c->eps);
        free(c->feas);
    }
    free(o->c);
    free(o->q);
    free(o->y);
    for (size_t i = 0; i < o->errors.n; i++)
        free(o->errors.v[i]);
    free(o->errors.v);
    memset(o, 0, sizeof(*o));
}
