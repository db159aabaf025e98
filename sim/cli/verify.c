/*
** verify: ten small scenarios with exact answers (tc_exact_*), each run
** with tc_runner_run on two threads at a fixed seed, then compared as one
** family: with N checks in all, a check passes when
**     |mean - exact| <= t_{1 - 0.025/N, n-1} * s / sqrt(n)
** (s: standard deviation of the n per-replication values), a Bonferroni
** bound that keeps the chance of any false alarm on a correct build below
** 5 %. The same rule, with more replications and more checks, is what the
** theory suites (tests/theory) apply. Each case is sized so that its ci95
** is a few percent of the exact value and the whole command runs in a few
** seconds; results depend only on the seeds, so a build either passes or
** shows exactly where it differs.
*/
#include "cli/verify.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "base/xmem.h"
#include "run/exact.h"
#include "tcsim/diag.h"
#include "tcsim/metrics.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"

#define N_THREADS  2
#define MAX_CHECKS 4

/* What to read from a run: a metric of a station, a station x class, a class or a road. */
struct spec {
    enum tc_scope scope;
    const char *owner; /* station (STATION, STATION_CLASS, ROAD) or class name */
    const char *cls;   /* STATION_CLASS only */
    uint32_t kind;     /* the metric enum of its scope */
};

struct vcase {
    const char *name;
    const char *yaml;
    void (*exact)(double *out); /* the exact values, in spec order */
    uint32_t n;
    struct spec spec[MAX_CHECKS];
};

/* One line of the report. */
struct result {
    const char *case_name;
    char label[64];
    double exact, mean, ci95, sd;
    uint32_t n;    /* replications where the metric is defined */
    uint32_t reps; /* replications run; 0 when the case did not load */
};

/* ==== The cases ==== */

static void ex_mm1(double *v)
{
    struct tc_exact_station s;
    tc_exact_mm1(0.7, 1.0, &s);
    v[0] = s.wq;
    v[1] = s.w;
    v[2] = s.l;
    v[3] = s.util;
}

static void ex_erlang_c(double *v)
{
    struct tc_exact_station s;
    tc_exact_mmc(3.2, 1.0, 4, &s);
    v[0] = s.wq;
    v[1] = s.lq;
}

static void ex_mmck(double *v)
{
    struct tc_exact_station s;
    tc_exact_mmck(2.0, 1.0, 2, 5, NULL, &s);
    v[0] = s.p_loss;
    v[1] = s.l;
}

static void ex_erlang_b(double *v)
{
    double b = tc_exact_erlang_b(10, 8.0);
    v[0] = b;
    v[1] = 8.0 * (1.0 - b);
}

static void ex_md1(double *v)
{
    struct tc_exact_station s;
    tc_exact_mg1(0.7, 1.0, 0.0, &s);
    v[0] = s.wq;
}

static void ex_mg1_lognormal(double *v)
{
    struct tc_exact_station s;
    tc_exact_mg1(0.7, 1.0, 1.0, &s); /* mean 1, sd 1 as written in the case */
    v[0] = s.wq;
}

static void ex_prio(double *v)
{
    const double lambda[2] = {0.3, 0.4}, mu[2] = {1 / 0.8, 1 / 1.2};
    tc_exact_prio_mm1(2, lambda, mu, v);
}

static void ex_jackson(double *v)
{
    const double lambda0[3] = {1, 0, 0};
    const double p[9] = {0, 0.3, 0.7, 0, 0, 0, 0, 0, 0};
    const uint32_t c[3] = {2, 1, 2};
    const double mu[3] = {1 / 1.25, 1 / 2.0, 1 / 1.8};
    struct tc_exact_station s[3];
    tc_exact_jackson(3, lambda0, p, c, mu, s, &v[3]);
    v[0] = s[0].wq;
    v[1] = s[1].wq;
    v[2] = s[2].wq;
}

static void ex_tandem(double *v)
{
    struct tc_exact_station s[2];
    tc_exact_tandem(1.0, 2, 1 / 1.5, 4, 1, 1 / 0.8, 2, s);
    v[0] = s[0].blocked;
    v[1] = s[0].p_loss;
    v[2] = s[1].l;
}

static void ex_road(double *v)
{
    struct tc_exact_station s;
    tc_exact_mmc(2.4, 1.0, 3, &s);
    v[0] = s.lq;
    v[1] = s.wq;
    v[2] = s.l - s.lq;
}

#define HEAD(name, horizon, warmup, seed)                                                          \
    "name: " name "\nhorizon: " horizon "\nwarmup: " warmup "\nreplications: 20\nseed: " seed "\n"
#define ONE_SERVER(to, service)                                                                    \
    "stations:\n  " to ":\n    servers: 1\n    service: " service "\n    next: exit\n"

static const struct vcase cases[] = {
    {"M/M/1",
     HEAD("M/M/1", "50000", "2000", "11") "arrivals: [{to: server, rate: 0.7/min}]\n" ONE_SERVER(
         "server", "{dist: exponential, mean: 1}"),
     ex_mm1,
     4,
     {{TC_SCOPE_STATION, "server", NULL, TC_SM_WAIT},
      {TC_SCOPE_STATION, "server", NULL, TC_SM_SOJOURN},
      {TC_SCOPE_STATION, "server", NULL, TC_SM_IN_STATION},
      {TC_SCOPE_STATION, "server", NULL, TC_SM_UTILIZATION}}},
    {"Erlang C M/M/4",
     HEAD("Erlang C", "25000", "1000", "12") "arrivals: [{to: lanes, rate: 3.2/min}]\n"
                                             "stations:\n"
                                             "  lanes:\n"
                                             "    servers: 4\n"
                                             "    service: {dist: exponential, mean: 1}\n"
                                             "    next: exit\n",
     ex_erlang_c,
     2,
     {{TC_SCOPE_STATION, "lanes", NULL, TC_SM_WAIT},
      {TC_SCOPE_STATION, "lanes", NULL, TC_SM_WAITING}}},
    {"M/M/2/5 reject",
     HEAD("M/M/2/5", "15000", "500", "13") "arrivals: [{to: lanes, rate: 2/min}]\n"
                                           "stations:\n"
                                           "  lanes:\n"
                                           "    servers: 2\n"
                                           "    capacity: 5\n"
                                           "    when_full: reject\n"
                                           "    service: {dist: exponential, mean: 1}\n"
                                           "    next: exit\n",
     ex_mmck,
     2,
     {{TC_SCOPE_STATION, "lanes", NULL, TC_SM_REJECTED_FRACTION},
      {TC_SCOPE_STATION, "lanes", NULL, TC_SM_IN_STATION}}},
    {"Erlang B yard",
     HEAD("Erlang B", "5000", "200", "14") "arrivals: [{to: yard, rate: 8/min}]\n"
                                           "stations:\n"
                                           "  yard:\n"
                                           "    servers: unlimited\n"
                                           "    capacity: 10\n"
                                           "    when_full: reject\n"
                                           "    service: {dist: exponential, mean: 1}\n"
                                           "    next: exit\n",
     ex_erlang_b,
     2,
     {{TC_SCOPE_STATION, "yard", NULL, TC_SM_REJECTED_FRACTION},
      {TC_SCOPE_STATION, "yard", NULL, TC_SM_IN_STATION}}},
    {"M/D/1",
     HEAD("M/D/1", "50000", "2000",
          "15") "arrivals: [{to: server, rate: 0.7/min}]\n" ONE_SERVER("server", "1"),
     ex_md1,
     1,
     {{TC_SCOPE_STATION, "server", NULL, TC_SM_WAIT}}},
    {"M/G/1 lognormal",
     HEAD("M/G/1", "50000", "2000", "16") "arrivals: [{to: server, rate: 0.7/min}]\n" ONE_SERVER(
         "server", "{dist: lognormal, mean: 1, sd: 1}"),
     ex_mg1_lognormal,
     1,
     {{TC_SCOPE_STATION, "server", NULL, TC_SM_WAIT}}},
    {"priority M/M/1",
     HEAD("priority", "50000", "2000", "17") "classes:\n"
                                             "  hi: {priority: 1}\n"
                                             "  lo: {priority: 2}\n"
                                             "arrivals:\n"
                                             "  - {class: hi, to: server, rate: 0.3/min}\n"
                                             "  - {class: lo, to: server, rate: 0.4/min}\n"
                                             "stations:\n"
                                             "  server:\n"
                                             "    servers: 1\n"
                                             "    discipline: priority\n"
                                             "    service:\n"
                                             "      hi: {dist: exponential, mean: 0.8}\n"
                                             "      lo: {dist: exponential, mean: 1.2}\n"
                                             "    next: exit\n",
     ex_prio,
     2,
     {{TC_SCOPE_STATION_CLASS, "server", "hi", TC_SCM_WAIT},
      {TC_SCOPE_STATION_CLASS, "server", "lo", TC_SCM_WAIT}}},
    {"Jackson branch",
     HEAD("Jackson", "25000", "2000", "18") "arrivals: [{to: A, rate: 1/min}]\n"
                                            "stations:\n"
                                            "  A:\n"
                                            "    servers: 2\n"
                                            "    service: {dist: exponential, mean: 1.25}\n"
                                            "    next: [{to: B, p: 0.3}, {to: C, p: 0.7}]\n"
                                            "  B:\n"
                                            "    servers: 1\n"
                                            "    service: {dist: exponential, mean: 2}\n"
                                            "    next: exit\n"
                                            "  C:\n"
                                            "    servers: 2\n"
                                            "    service: {dist: exponential, mean: 1.8}\n"
                                            "    next: exit\n",
     ex_jackson,
     4,
     {{TC_SCOPE_STATION, "A", NULL, TC_SM_WAIT},
      {TC_SCOPE_STATION, "B", NULL, TC_SM_WAIT},
      {TC_SCOPE_STATION, "C", NULL, TC_SM_WAIT},
      {TC_SCOPE_CLASS, "truck", NULL, TC_CM_TIME_IN_SYSTEM}}},
    {"blocking tandem",
     HEAD("tandem", "15000", "500", "19") "arrivals: [{to: first, rate: 1/min}]\n"
                                          "stations:\n"
                                          "  first:\n"
                                          "    servers: 2\n"
                                          "    capacity: 4\n"
                                          "    when_full: reject\n"
                                          "    service: {dist: exponential, mean: 1.5}\n"
                                          "    next: second\n"
                                          "  second:\n"
                                          "    servers: 1\n"
                                          "    capacity: 2\n"
                                          "    service: {dist: exponential, mean: 0.8}\n"
                                          "    next: exit\n",
     ex_tandem,
     3,
     {{TC_SCOPE_STATION, "first", NULL, TC_SM_BLOCKED},
      {TC_SCOPE_STATION, "first", NULL, TC_SM_REJECTED_FRACTION},
      {TC_SCOPE_STATION, "second", NULL, TC_SM_IN_STATION}}},
    {"road queue",
     HEAD("road", "25000", "2000", "20") "arrivals: [{to: gate, rate: 2.4/min}]\n"
                                         "stations:\n"
                                         "  gate:\n"
                                         "    servers: 3\n"
                                         "    capacity: 3\n"
                                         "    when_full: wait\n"
                                         "    service: {dist: exponential, mean: 1}\n"
                                         "    next: exit\n",
     ex_road,
     3,
     {{TC_SCOPE_ROAD, "gate", NULL, TC_RM_TRUCKS},
      {TC_SCOPE_CLASS, "truck", NULL, TC_CM_ROAD_WAIT},
      {TC_SCOPE_STATION, "gate", NULL, TC_SM_IN_STATION}}},
};

#define N_CASES (sizeof cases / sizeof cases[0])

/* ==== Running ==== */

/* The metric index of a spec in a run, or SIZE_MAX when a name is unknown. */
static size_t metric_index(const struct tc_scenario *sc, const struct tc_metrics *m,
                           const struct spec *s)
{
    uint32_t st = TC_NONE, cl = TC_NONE;
    switch (s->scope) {
    case TC_SCOPE_STATION:
        st = tc_scenario_station(sc, s->owner);
        return st == TC_NONE ? SIZE_MAX : tc_metrics_station(m, st, s->kind);
    case TC_SCOPE_STATION_CLASS:
        st = tc_scenario_station(sc, s->owner);
        cl = tc_scenario_class(sc, s->cls);
        return st == TC_NONE || cl == TC_NONE ? SIZE_MAX
                                              : tc_metrics_station_class(m, st, cl, s->kind);
    case TC_SCOPE_CLASS:
        cl = tc_scenario_class(sc, s->owner);
        return cl == TC_NONE ? SIZE_MAX : tc_metrics_class(m, cl, s->kind);
    case TC_SCOPE_ROAD:
        st = tc_scenario_station(sc, s->owner);
        if (st == TC_NONE || m->road_of_station[st] == TC_NONE)
            return SIZE_MAX;
        return tc_metrics_road(m, m->road_of_station[st], s->kind);
    case TC_SCOPE_NETWORK:
        return tc_metrics_network(m, s->kind);
    case TC_SCOPE_POOL: /* no verify case books */
        return SIZE_MAX;
    case TC_SCOPE_CLEARANCE:
        return SIZE_MAX; /* no case of verify measures one */
    }
    return SIZE_MAX;
}

static const char *metric_name(const struct spec *s)
{
    switch (s->scope) {
    case TC_SCOPE_STATION:
        return tc_station_metric_names[s->kind];
    case TC_SCOPE_STATION_CLASS:
        return tc_station_class_metric_names[s->kind];
    case TC_SCOPE_CLASS:
        return tc_class_metric_names[s->kind];
    case TC_SCOPE_ROAD:
        return tc_road_metric_names[s->kind];
    case TC_SCOPE_NETWORK:
        return tc_network_metric_names[s->kind];
    case TC_SCOPE_POOL:
        return tc_pool_metric_names[s->kind];
    case TC_SCOPE_CLEARANCE:
        return tc_clearance_metric_names[s->kind];
    }
    return "?";
}

static void label(const struct spec *s, char *buf, size_t len)
{
    if (s->scope == TC_SCOPE_STATION_CLASS)
        snprintf(buf, len, "%s.%s.%s", s->owner, s->cls, metric_name(s));
    else
        snprintf(buf, len, "%s%s.%s", s->scope == TC_SCOPE_ROAD ? "road:" : "", s->owner,
                 metric_name(s));
}

/* Runs case c and fills its results (reps 0 when it does not load). */
static void run_case(const struct vcase *c, struct result *out, FILE *f)
{
    double exact[MAX_CHECKS];
    c->exact(exact);
    for (uint32_t k = 0; k < c->n; k++) {
        out[k] = (struct result){.case_name = c->name,
                                 .exact = exact[k],
                                 .mean = (double)NAN,
                                 .ci95 = (double)NAN,
                                 .sd = (double)NAN};
        label(&c->spec[k], out[k].label, sizeof out[k].label);
    }
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc =
        tc_scenario_load_string(c->yaml, strlen(c->yaml), c->name, NULL, NULL, 0, &d);
    if (!sc || d.n_err) {
        /* a bug in the embedded text or in the loader: report it, fail the case */
        if (f)
            tc_diags_print(&d, f);
        tc_diags_fini(&d);
        tc_scenario_free(sc);
        return;
    }
    tc_diags_fini(&d);
    struct tc_run run;
    tc_runner_run(&run, sc, N_THREADS, NULL, NULL);
    for (uint32_t k = 0; k < c->n; k++) {
        size_t i = metric_index(sc, &run.metrics, &c->spec[k]);
        out[k].reps = run.n_reps;
        if (i == SIZE_MAX)
            continue;
        out[k].mean = run.stats[i].mean;
        out[k].ci95 = run.stats[i].ci95;
        out[k].n = run.stats[i].n;
        out[k].sd = gsl_stats_sd(run.values + i, run.metrics.n, run.n_reps);
    }
    tc_run_fini(&run);
    tc_scenario_free(sc);
}

/* The Bonferroni rule of the header comment; a metric missing in any replication fails. */
static bool passes(const struct result *r, uint32_t n_checks)
{
    if (r->reps < 2 || r->n != r->reps || !isfinite(r->sd))
        return false;
    double t = gsl_cdf_tdist_Pinv(1.0 - 0.025 / n_checks, r->n - 1.0);
    return fabs(r->mean - r->exact) <= t * r->sd / sqrt((double)r->n);
}

int tc_verify_run(FILE *f)
{
    uint32_t n_checks = 0;
    for (size_t c = 0; c < N_CASES; c++)
        n_checks += cases[c].n;
    struct result *res = tc_xcalloc(n_checks, sizeof(*res));
    uint32_t k = 0;
    for (size_t c = 0; c < N_CASES; c++) {
        run_case(&cases[c], res + k, f);
        k += cases[c].n;
    }

    int n_failed = 0;
    int w_case = (int)strlen("case"), w_label = (int)strlen("metric");
    for (uint32_t i = 0; i < n_checks; i++) {
        int lc = (int)strlen(res[i].case_name), ll = (int)strlen(res[i].label);
        w_case = lc > w_case ? lc : w_case;
        w_label = ll > w_label ? ll : w_label;
    }
    if (f) {
        fprintf(f,
                "tcsim verify: the simulator against exact queueing results. A check passes\n"
                "when |simulated - exact| <= t(1 - 0.025/%u, n-1) s/sqrt(n): a 95 %% confidence\n"
                "interval over n replications, widened (Bonferroni) for %u checks at once.\n\n",
                n_checks, n_checks);
        fprintf(f, "%-*s  %-*s  %10s  %10s   %-9s  %s\n", w_case, "case", w_label, "metric",
                "exact", "simulated", "ci95", "verdict");
    }
    for (uint32_t i = 0; i < n_checks; i++) {
        bool ok = passes(&res[i], n_checks);
        n_failed += !ok;
        if (f)
            fprintf(f, "%-*s  %-*s  %10.4f  %10.4f \u00b1 %-9.4f  %s\n", w_case, res[i].case_name,
                    w_label, res[i].label, res[i].exact, res[i].mean, res[i].ci95,
                    ok ? "ok" : "FAIL");
    }
    if (f) {
        if (n_failed)
            fprintf(f, "verify: %u checks, %d FAILED\n", n_checks, n_failed);
        else
            fprintf(f, "verify: %u checks, all passed\n", n_checks);
    }
    free(res);
    return n_failed;
}
