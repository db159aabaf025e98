/*
** M/G/1 for every distribution family against Pollaczek-Khinchine:
** Wq = lambda E[S^2] / (2 (1 - rho)). The mean wait depends on the service
** law only through its first two moments, so this checks that each family,
** as parameterised in the YAML, samples the mean and variance it claims.
** The moments are written here from the planner parameters, independently
** of dist.c, except for the normal truncated at 0, whose moments come from
** tc_dist_mean/tc_dist_var as the contract says. Rule: tc_theory.h.
*/
#include <gsl/gsl_sf_gamma.h>

#include "run/exact.h"
#include "tc_theory.h"

#define LAMBDA 0.7

struct family {
    const char *name;
    const char *service; /* the YAML flow map */
    double mean, var;    /* NAN: take them from the loaded dist */
};

/* Triangular(a, c, b): mean (a+b+c)/3, variance (a^2+b^2+c^2-ab-ac-bc)/18. */
#define TRI_VAR(a, c, b)                                                                           \
    (((a) * (a) + (b) * (b) + (c) * (c) - (a) * (b) - (a) * (c) - (b) * (c)) / 18.0)

static struct family families[] = {
    {"constant", "{dist: constant, value: 1}", 1.0, 0.0},
    {"exponential", "{dist: exponential, mean: 1}", 1.0, 1.0},
    {"uniform", "{dist: uniform, min: 0.2, max: 1.8}", 1.0, 1.6 * 1.6 / 12.0},
    {"triangular", "{dist: triangular, min: 0.5, mode: 0.75, max: 1.75}", 1.0,
     TRI_VAR(0.5, 0.75, 1.75)},
    {"normal", "{dist: normal, mean: 1, sd: 0.7}", (double)NAN, (double)NAN},
    {"lognormal", "{dist: lognormal, mean: 1, sd: 1}", 1.0, 1.0},
    {"gamma", "{dist: gamma, mean: 1, sd: 0.5}", 1.0, 0.25},
    {"erlang", "{dist: erlang, k: 3, mean: 1}", 1.0, 1.0 / 3.0},
    {"weibull", "{dist: weibull, shape: 1.5, scale: 1}", (double)NAN,
     (double)NAN}, /* filled in below */
    {"empirical", "{dist: empirical, values: [0.5, 1, 2], weights: [0.3, 0.5, 0.2]}", 1.05,
     0.3 * 0.25 + 0.5 * 1.0 + 0.2 * 4.0 - 1.05 * 1.05},
};
#define N_FAMILIES (sizeof families / sizeof families[0])

START_TEST(pollaczek_khinchine)
{
    struct family *f = &families[_i];
    char yaml[1024];
    int len = snprintf(yaml, sizeof yaml,
                       "name: M/G/1 %s\n"
                       "horizon: 150000\n"
                       "warmup: 2000\n"
                       "replications: 20\n"
                       "seed: %d\n"
                       "arrivals:\n"
                       "  - {to: server, rate: 0.7/min}\n"
                       "stations:\n"
                       "  server:\n"
                       "    servers: 1\n"
                       "    service: %s\n"
                       "    next: exit\n",
                       f->name, 201 + _i, f->service);
    ck_assert(len > 0 && (size_t)len < sizeof yaml);

    double mean = f->mean, var = f->var;
    if (strcmp(f->name, "weibull") == 0) {
        /* shape k, scale l: mean l G(1+1/k), variance l^2 (G(1+2/k) - G(1+1/k)^2) */
        double g1 = gsl_sf_gamma(1.0 + 1.0 / 1.5), g2 = gsl_sf_gamma(1.0 + 2.0 / 1.5);
        mean = g1;
        var = g2 - g1 * g1;
    }

    struct th t;
    th_run(&t, f->name, yaml, 2);
    if (isnan(mean)) { /* the truncated normal */
        const struct tc_dist *d = &t.sc->stations[th_station_id(&t, "server")].service[0];
        ck_assert_int_eq(d->kind, TC_DIST_NORMAL);
        mean = tc_dist_mean(d);
        var = tc_dist_var(d);
        /* the cut at 0 must show: a plain N(1, 0.7) would have mean 1 */
        ck_assert(mean > 1.01 && var < 0.49);
    }
    struct tc_exact_station ex;
    ck_assert(tc_exact_mg1(LAMBDA, mean, var, &ex));
    th_check(&t, th_st(&t, "server", TC_SM_WAIT), ex.wq);
    th_check(&t, th_st(&t, "server", TC_SM_SOJOURN), ex.w);
    th_done(&t);
}
END_TEST

static Suite *mg1_suite(void)
{
    Suite *s = suite_create("theory_mg1");
    TCase *tc = tcase_create("pollaczek_khinchine");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_loop_test(tc, pollaczek_khinchine, 0, (int)N_FAMILIES);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(mg1_suite)
