/*
** Helpers for the theory suites: load a scenario from YAML text, run its
** replications on TH_THREADS threads, and hold each metric against an
** exact value.
**
** Statistical rule. Every stochastic check compares the exact value with
** the across-replication confidence interval of the metric. A test makes k
** checks (declared up front in th_run, counted in th_done), so each test
** holds a family-wise 95 % level by Bonferroni: with n replications and s
** the standard deviation of the n per-replication values (run.values), the
** half-width is
**     hw = t_{1 - 0.025/k, n-1} * s / sqrt(n)
** and the check passes when |mean - exact| <= hw (for k = 1 this is the
** plain ci95). th_check also asserts that the plain ci95 is below 5 % of
** the exact value, so that passing means something; th_check_near_zero
** skips that part for values that are (near) zero. Scenarios use at least
** 10 replications, a warmup many relaxation times long (initial bias
** negligible) and fixed seeds chosen before the first run, never tuned to
** make a test pass.
**
** Deterministic checks (th_exact) are for one-replication trace cases whose
** answer is computed by hand: |value - exact| <= 1e-9.
**
** Every check prints one line to stderr (the meson test log): the record
** of exact value, simulated mean, ci95 and Bonferroni half-width.
*/
#ifndef TCSIM_TC_THEORY_H
#define TCSIM_TC_THEORY_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "tc_check.h"
#include "tcsim/diag.h"
#include "tcsim/metrics.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"

#define TH_THREADS   2
#define TH_MIN_REPS  10
#define TH_REL_PREC  0.05 /* ci95 must be below this fraction of the exact value */
#define TH_EXACT_TOL 1e-9
#define TH_TIMEOUT   900 /* s per Check test; meson's own timeout is the real limit */

#ifndef TC_THEORY_DIR
#error "TC_THEORY_DIR (tests/theory, the base of trace paths) must be defined by meson"
#endif

struct th {
    const char *name;
    struct tc_scenario *sc;
    struct tc_run run;
    uint32_t k;      /* checks planned (Bonferroni family size) */
    uint32_t n_done; /* checks made */
    double t_bonf;   /* t_{1-0.025/k, n-1}; 0 with one replication */
};

/* Loads YAML text (traces relative to tests/theory); fails the test on any error. */
static inline struct tc_scenario *th_load(const char *name, const char *yaml)
{
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc =
        tc_scenario_load_string(yaml, strlen(yaml), name, TC_THEORY_DIR, NULL, 0, &d);
    if (!sc || d.n_err)
        tc_diags_print(&d, stderr);
    ck_assert_msg(sc != NULL && d.n_err == 0, "%s: scenario does not load", name);
    tc_diags_fini(&d);
    return sc;
}

/*
** Loads and runs a scenario; k is the number of checks the test will make
** (th_check*, th_exact), the size of the Bonferroni family.
*/
static inline void th_run(struct th *t, const char *name, const char *yaml, uint32_t k)
{
    memset(t, 0, sizeof(*t));
    t->name = name;
    t->k = k;
    t->sc = th_load(name, yaml);
    tc_runner_run(&t->run, t->sc, TH_THREADS, NULL, NULL);
    uint32_t n = t->run.n_reps;
    if (n > 1)
        t->t_bonf = gsl_cdf_tdist_Pinv(1.0 - 0.025 / k, n - 1.0);
}

/* Asserts that every planned check was made, then frees. */
static inline void th_done(struct th *t)
{
    ck_assert_msg(t->n_done == t->k, "%s: %u checks made, %u planned", t->name, t->n_done, t->k);
    tc_run_fini(&t->run);
    tc_scenario_free(t->sc);
    t->sc = NULL;
}

/* ---- metric indices by name ----------------------------------------------- */

static inline uint32_t th_station_id(const struct th *t, const char *station)
{
    uint32_t s = tc_scenario_station(t->sc, station);
    ck_assert_msg(s != TC_NONE, "no station %s", station);
    return s;
}

static inline uint32_t th_class_id(const struct th *t, const char *cls)
{
    uint32_t c = tc_scenario_class(t->sc, cls);
    ck_assert_msg(c != TC_NONE, "no class %s", cls);
    return c;
}

static inline size_t th_st(const struct th *t, const char *station, enum tc_station_metric k)
{
    return tc_metrics_station(&t->run.metrics, th_station_id(t, station), k);
}

static inline size_t th_stcl(const struct th *t, const char *station, const char *cls,
                             enum tc_station_class_metric k)
{
    return tc_metrics_station_class(&t->run.metrics, th_station_id(t, station), th_class_id(t, cls),
                                    k);
}

static inline size_t th_cl(const struct th *t, const char *cls, enum tc_class_metric k)
{
    return tc_metrics_class(&t->run.metrics, th_class_id(t, cls), k);
}

/* The road in front of entry station `station`. */
static inline size_t th_road(const struct th *t, const char *station, enum tc_road_metric k)
{
    uint32_t r = t->run.metrics.road_of_station[th_station_id(t, station)];
    ck_assert_msg(r != TC_NONE, "station %s has no road", station);
    return tc_metrics_road(&t->run.metrics, r, k);
}

/* ---- checks ----------------------------------------------------------------- */

/* "station.wait", "station.class.wait", "class.time_in_system", "road:station.trucks". */
static inline const char *th_label(const struct th *t, size_t i, char *buf, size_t len)
{
    const struct tc_metric_def *d = &t->run.metrics.defs[i];
    const struct tc_scenario *sc = t->sc;
    switch (d->scope) {
    case TC_SCOPE_STATION:
        snprintf(buf, len, "%s.%s", sc->stations[d->owner].name, d->name);
        break;
    case TC_SCOPE_STATION_CLASS:
        snprintf(buf, len, "%s.%s.%s", sc->stations[d->owner].name, sc->classes[d->class_id].name,
                 d->name);
        break;
    case TC_SCOPE_CLASS:
        snprintf(buf, len, "%s.%s", sc->classes[d->owner].name, d->name);
        break;
    case TC_SCOPE_ROAD:
        snprintf(buf, len, "road:%s.%s", sc->stations[d->owner].name, d->name);
        break;
    case TC_SCOPE_NETWORK:
        snprintf(buf, len, "network.%s", d->name);
        break;
    case TC_SCOPE_POOL:
        snprintf(buf, len, "pool:%s.%s", sc->pools[d->owner].name, d->name);
        break;
    case TC_SCOPE_CLEARANCE:
        snprintf(buf, len, "clearance:%s.%s", sc->clearance[d->owner].name, d->name);
        break;
    }
    return buf;
}

/* The Bonferroni half-width of metric i (see the header comment). */
static inline double th_halfwidth(const struct th *t, size_t i)
{
    const struct tc_run *r = &t->run;
    double sd = gsl_stats_sd(r->values + i, r->metrics.n, r->n_reps);
    return t->t_bonf * sd / sqrt((double)r->n_reps);
}

static inline void th_stat_check(struct th *t, size_t i, double exact, bool precision)
{
    const struct tc_run *r = &t->run;
    const struct tc_stat *st = &r->stats[i];
    char what[160];
    th_label(t, i, what, sizeof what);
    t->n_done++;
    ck_assert_msg(r->n_reps >= TH_MIN_REPS, "%s: %u replications", t->name, r->n_reps);
    ck_assert_msg(st->n == r->n_reps, "%s %s: defined in %u of %u replications", t->name, what,
                  st->n, r->n_reps);
    double hw = th_halfwidth(t, i);
    bool ok = fabs(st->mean - exact) <= hw;
    fprintf(stderr,
            "%-14s %-28s exact %-12.6g sim %-12.6g ci95 %-10.3g (%5.2f %%) bonf(k=%u) %-10.3g %s\n",
            t->name, what, exact, st->mean, st->ci95, 100 * st->ci95 / fabs(exact), t->k, hw,
            ok ? "ok" : "FAIL");
    ck_assert_msg(ok, "%s %s: exact %.6g, simulated %.6g, Bonferroni half-width %.3g (k=%u)",
                  t->name, what, exact, st->mean, hw, t->k);
    if (precision)
        ck_assert_msg(st->ci95 < TH_REL_PREC * fabs(exact),
                      "%s %s: ci95 %.3g is not below %.0f %% of %.6g", t->name, what, st->ci95,
                      100 * TH_REL_PREC, exact);
}

/* Exact value inside the Bonferroni interval, and ci95 < 5 % of it. */
static inline void th_check(struct th *t, size_t i, double exact)
{
    th_stat_check(t, i, exact, true);
}

/* The same without the precision assertion, for values at or near zero. */
static inline void th_check_near_zero(struct th *t, size_t i, double exact)
{
    th_stat_check(t, i, exact, false);
}

/* A hand-computed value of a deterministic one-replication case. */
static inline void th_exact(struct th *t, size_t i, double exact)
{
    const struct tc_run *r = &t->run;
    double v = tc_run_value(r, 0, i);
    char what[160];
    th_label(t, i, what, sizeof what);
    t->n_done++;
    fprintf(stderr, "%-14s %-28s exact %-14.10g sim %-14.10g\n", t->name, what, exact, v);
    ck_assert_msg(fabs(v - exact) <= TH_EXACT_TOL, "%s %s: %.17g, expected %.17g", t->name, what, v,
                  exact);
}

#endif
