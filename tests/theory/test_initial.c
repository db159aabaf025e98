/*
** Trucks present at time 0 (initial:) and backlog clearance times
** (clearance:), against hand-computed traces and exact transient results:
** - a backlog under a daily limit, constant service: every clearance time
**   and count by hand;
** - age counts toward patience: trucks of age 8 h with 10 h of patience
**   abandon at 2 h exactly;
** - N trucks at an M/M/inf station with no arrivals: the time to fall below
**   k is m (1/k + ... + 1/N), the order statistics of N exponentials;
** - an M/M/inf station started with N trucks: mean present at t is
**   N e^(-t/m) + lambda m (1 - e^(-t/m)), from the time-series samples.
** Rule: tc_theory.h.
*/
#include <stdlib.h>

#include "engine/rng.h"
#include "tc_theory.h"
#include "tcsim/engine.h"

static size_t th_clr(const struct th *t, uint32_t i, enum tc_clearance_metric k)
{
    ck_assert_uint_lt(i, t->run.metrics.n_clearances);
    return tc_metrics_clearance(&t->run.metrics, i, k);
}

/*
** 35 trucks of age 2 h at a one-server gate, service 1 h, 10 starts a day,
** no arrivals (the stream starts after the horizon). Starts at 0..9 h,
** 24..33, 48..57, 72..76: departures at 1..10, 25..34, 49..58, 73..77.
** Left: 25 at 10 h, 15 at 34, 5 at 58, 4 at 73, 3 at 74, 0 at 77.
** The horizon 76.5 h leaves the last truck in service.
*/
START_TEST(clearance_daily_limit)
{
    static const char yaml[] = "name: backlog under a daily limit\n"
                               "time_unit: h\n"
                               "horizon: 76.5\n"
                               "arrivals:\n"
                               "  - {to: gate, rate: 1/h, start: 10 d}\n"
                               "stations:\n"
                               "  gate: {servers: 1, service: 1 h, daily_limit: 10, next: exit}\n"
                               "events:\n"
                               "  - {name: noon2, station: gate, at: 2 d, servers: 1}\n"
                               "initial:\n"
                               "  - {station: gate, trucks: 35, age: 2 h}\n"
                               "clearance:\n"
                               "  - {after: start, below: 5}\n"
                               "  - {after: start, below: \"10 %\"}\n"
                               "  - {after: start, below: 1}\n"
                               "  - {after: noon2, below: 5}\n"
                               "  - {after: 1 d 6 h, below: 16}\n";
    struct th t;
    th_run(&t, "daily", yaml, 13);
    th_exact(&t, th_clr(&t, 0, TC_CLM_TIME), 73);       /* 4 left < 5 */
    th_exact(&t, th_clr(&t, 1, TC_CLM_TIME), 74);       /* 3 < 10 % of the peak 35 */
    th_exact(&t, th_clr(&t, 2, TC_CLM_NOT_CLEARED), 1); /* one still in service at the horizon */
    ck_assert(isnan(tc_run_value(&t.run, 0, th_clr(&t, 2, TC_CLM_TIME))));
    th_exact(&t, th_clr(&t, 0, TC_CLM_NOT_CLEARED), 0);
    th_exact(&t, th_clr(&t, 3, TC_CLM_TIME), 73 - 48); /* from the event's time */
    th_exact(&t, th_clr(&t, 4, TC_CLM_TIME), 34 - 30); /* 15 < 16 at 34 h */
    th_exact(&t, th_cl(&t, "truck", TC_CM_PRESENT_AT_WARMUP), 35);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 34);
    th_exact(&t, th_cl(&t, "truck", TC_CM_PRESENT_AT_END), 1);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIS_MAX), 76 + 2); /* from the arrival at -age */
    /* mean of (1..10, 25..34, 49..58, 73..76) + 2 */
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM),
             (55.0 + 295.0 + 535.0 + 298.0) / 34.0 + 2.0);
    th_exact(&t, th_st(&t, "gate", TC_SM_ARRIVALS), 0); /* initial trucks did not arrive */
    th_done(&t);
}
END_TEST

/*
** Patience 10 h, age 8 h: 2 h left. At the closed desk 3 trucks abandon at
** 2 h. At the open desk (service 3 h) one is served 0..3, the other
** abandons at 2 h. Trucks in the network: 5, then 1 at 2 h, 0 at 3 h.
*/
START_TEST(age_counts_toward_patience)
{
    static const char yaml[] = "name: age and patience\n"
                               "time_unit: h\n"
                               "horizon: 1 d\n"
                               "classes: {fruit: {patience: 10 h}}\n"
                               "arrivals:\n"
                               "  - {to: closed, rate: 1/h, start: 10 d}\n"
                               "stations:\n"
                               "  closed: {servers: 1, service: 1 h, next: exit}\n"
                               "  open: {servers: 1, service: 3 h, next: exit}\n"
                               "events:\n"
                               "  - {station: closed, close: 0, reopen: 12 h}\n"
                               "initial:\n"
                               "  - {station: closed, trucks: 3, age: 8 h}\n"
                               "  - {station: open, trucks: 2, age: 8 h}\n"
                               "clearance:\n"
                               "  - {after: start, below: 2}\n"
                               "  - {after: start, below: 1}\n";
    struct th t;
    th_run(&t, "age", yaml, 8);
    th_exact(&t, th_st(&t, "closed", TC_SM_STAY), 2);
    th_exact(&t, th_st(&t, "closed", TC_SM_DEPARTURES_ALL), 3);
    th_exact(&t, th_st(&t, "open", TC_SM_STAY), (3.0 + 2.0) / 2);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_ABANDONED), 4);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_COMPLETED), 1);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_TIME_IN_SYSTEM), 3 + 8);
    th_exact(&t, th_clr(&t, 0, TC_CLM_TIME), 2);
    th_exact(&t, th_clr(&t, 1, TC_CLM_TIME), 3);
    th_done(&t);
}
END_TEST

/* 1/k^p + ... + 1/N^p: p = 1 the mean of the order statistic, 2 its variance, 4 its kappa4. */
static double harmonic(uint32_t k, uint32_t n, int power)
{
    double s = 0;
    for (uint32_t j = n; j >= k; j--) /* small terms first */
        s += 1.0 / pow(j, power);
    return s;
}

/*
** 50 trucks at an unlimited yard, exponential service of mean 1.5 h, no
** arrivals: with j present the next departure comes after an exponential
** of mean m / j, so falling below k (k - 1 left) takes m H(k..50) on
** average: below 10, below 5 (10 % of the peak 50) and below 1 (empty).
*/
START_TEST(clearance_order_statistics)
{
    static const char yaml[] =
        "name: M/M/inf emptying\n"
        "time_unit: h\n"
        "horizon: 60 h\n"
        "replications: 400\n"
        "seed: 1601\n"
        "arrivals:\n"
        "  - {to: yard, rate: 1/h, start: 10 d}\n"
        "stations:\n"
        "  yard: {servers: unlimited, service: {dist: exponential, mean: 1.5 "
        "h}, next: exit}\n"
        "initial:\n"
        "  - {station: yard, trucks: 50}\n"
        "clearance:\n"
        "  - {after: start, below: 10}\n"
        "  - {after: start, below: \"10 %\"}\n"
        "  - {after: start, below: 1}\n";
    const double m = 1.5;
    struct th t;
    th_run(&t, "orderstat", yaml, 6);
    th_check(&t, th_clr(&t, 0, TC_CLM_TIME), m * harmonic(10, 50, 1));
    th_check(&t, th_clr(&t, 1, TC_CLM_TIME), m * harmonic(5, 50, 1));
    th_check(&t, th_clr(&t, 2, TC_CLM_TIME), m * harmonic(1, 50, 1));
    /* P(the last of 50 takes more than 60 h) = 1 - (1 - e^-40)^50: never in 400 */
    th_exact(&t, th_clr(&t, 2, TC_CLM_NOT_CLEARED), 0);
    /*
    ** And the spread: the sample variance of the emptying time against
    ** sigma^2 = m^2 sum 1/j^2. Its standard error is sqrt((mu4 - sigma^4) / n)
    ** with mu4 = kappa4 + 3 sigma^4 and kappa4 = 6 m^4 sum 1/j^4 (the
    ** cumulants of a sum of independent exponentials), held like the means.
    */
    const struct tc_run *r = &t.run;
    size_t i = th_clr(&t, 2, TC_CLM_TIME);
    double var = gsl_stats_variance(r->values + i, r->metrics.n, r->n_reps);
    double s2 = m * m * harmonic(1, 50, 2), k4 = 6 * pow(m, 4) * harmonic(1, 50, 4);
    double se = sqrt((k4 + 2 * s2 * s2) / r->n_reps);
    fprintf(stderr, "orderstat      variance of the emptying time: exact %.4g sim %.4g bonf %.3g\n",
            s2, var, t.t_bonf * se);
    ck_assert_msg(fabs(var - s2) <= t.t_bonf * se, "variance %.4g, exact %.4g, half-width %.3g",
                  var, s2, t.t_bonf * se);
    t.n_done++;
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 50);
    th_done(&t);
}
END_TEST

/* ---- the transient of M/M/inf from the time series ---- */

#define TR_REPS    800
#define TR_SAMPLES 9 /* t = 0, 0.5, ..., 4 h */

struct tr_samples {
    double present[TR_SAMPLES];
};

static void tr_sample(void *ud, uint32_t k, const double *rows)
{
    struct tr_samples *s = ud;
    if (k < TR_SAMPLES)
        s->present[k] = rows[TC_TS_PRESENT]; /* row 0: the yard */
}

/*
** 40 trucks at time 0 in an unlimited yard (service exponential, mean
** m = 1 h), arrivals at lambda = 10/h: present at t is Binomial(40, e^-t)
** + Poisson(10 (1 - e^-t)), mean 40 e^-t + 10 (1 - e^-t). Exactly 40 at
** t = 0 in every replication (the sample at 0 shows the initial trucks).
*/
START_TEST(mminf_transient)
{
    static const char yaml[] = "name: M/M/inf from 40\n"
                               "time_unit: h\n"
                               "horizon: 4 h\n"
                               "sample_every: 30 min\n"
                               "seed: 1602\n"
                               "arrivals:\n"
                               "  - {to: yard, rate: 10/h}\n"
                               "stations:\n"
                               "  yard: {servers: unlimited, service: {dist: exponential, mean: 1 "
                               "h}, next: exit}\n"
                               "initial:\n"
                               "  - {station: yard, trucks: 40}\n";
    struct tc_scenario *sc = th_load("transient", yaml);
    struct tc_metrics m;
    tc_metrics_init(&m, sc);
    ck_assert_uint_eq(tc_metrics_n_samples(sc), TR_SAMPLES);
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, sc->seed, TR_REPS);
    double *vals = calloc(m.n, sizeof(double));
    static struct tr_samples s[TR_REPS];
    for (uint32_t r = 0; r < TR_REPS; r++) {
        struct tc_engine *e =
            tc_engine_new(sc, &m, r, seeds + (size_t)r * lay.base[TC_STREAM__COUNT]);
        tc_engine_set_sampler(e, tr_sample, &s[r]);
        tc_engine_run(e, vals, NULL);
        ck_assert_double_eq(vals[tc_metrics_class(&m, 0, TC_CM_PRESENT_AT_WARMUP)], 40);
        tc_engine_free(e);
        ck_assert_double_eq(s[r].present[0], 40);
    }
    /* Bonferroni over the 8 later samples, as tc_theory.h does */
    const uint32_t k = TR_SAMPLES - 1;
    double tq = gsl_cdf_tdist_Pinv(1.0 - 0.025 / k, TR_REPS - 1.0);
    for (uint32_t j = 1; j < TR_SAMPLES; j++) {
        double x[TR_REPS], tj = 0.5 * j, p = exp(-tj);
        for (uint32_t r = 0; r < TR_REPS; r++)
            x[r] = s[r].present[j];
        double mean = gsl_stats_mean(x, 1, TR_REPS);
        double hw = tq * gsl_stats_sd(x, 1, TR_REPS) / sqrt((double)TR_REPS);
        double exact = 40 * p + 10 * (1 - p);
        fprintf(stderr,
                "transient      present at t=%-4g exact %-10.6g sim %-10.6g bonf %-8.3g %s\n", tj,
                exact, mean, hw, fabs(mean - exact) <= hw ? "ok" : "FAIL");
        ck_assert_msg(fabs(mean - exact) <= hw, "t=%g: exact %.6g, simulated %.6g, half-width %.3g",
                      tj, exact, mean, hw);
        ck_assert(hw < TH_REL_PREC * exact);
    }
    free(vals);
    free(seeds);
    tc_metrics_fini(&m);
    tc_scenario_free(sc);
}
END_TEST

/*
** Common random numbers: initial trucks draw their patience from streams of
** their own, so a station they never reach sees exactly the same run with
** and without them (arrivals, services and the arrivals' patience alike).
*/
START_TEST(initial_keeps_common_random_numbers)
{
    static const char base[] = "name: crn\n"
                               "time_unit: h\n"
                               "horizon: 5 d\n"
                               "replications: 5\n"
                               "seed: 1603\n"
                               "classes: {c: {patience: {dist: exponential, mean: 3 h}}}\n"
                               "arrivals:\n"
                               "  - {to: desk, rate: 2/h}\n"
                               "stations:\n"
                               "  desk: {servers: 1, service: {dist: exponential, mean: 25 min}}\n"
                               "  side: {servers: 1, service: {dist: exponential, mean: 1 h}}\n";
    char with[1024];
    snprintf(with, sizeof(with), "%sinitial: [{station: side, trucks: 30, age: 1 h}]\n", base);
    struct th a, b;
    th_run(&a, "crn_without", base, 1); /* one check each: the comparison below */
    th_run(&b, "crn_with", with, 1);
    static const enum tc_station_metric kinds[] = {TC_SM_WAIT, TC_SM_SOJOURN, TC_SM_STAY,
                                                   TC_SM_DEPARTURES_ALL, TC_SM_IN_STATION};
    for (uint32_t r = 0; r < 5; r++)
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
            double x = tc_run_value(&a.run, r, th_st(&a, "desk", kinds[k]));
            double y = tc_run_value(&b.run, r, th_st(&b, "desk", kinds[k]));
            ck_assert_msg(x == y, "rep %u %s: %.17g without initial trucks, %.17g with", r,
                          tc_station_metric_names[kinds[k]], x, y);
        }
    /* and the side station did see them: 30 at time 0 */
    ck_assert_double_eq(tc_run_value(&b.run, 0, th_cl(&b, "c", TC_CM_PRESENT_AT_WARMUP)), 30);
    a.n_done++;
    b.n_done++;
    th_done(&a);
    th_done(&b);
}
END_TEST

static Suite *initial_suite(void)
{
    Suite *s = suite_create("theory_initial");
    TCase *tc = tcase_create("initial");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, clearance_daily_limit);
    tcase_add_test(tc, age_counts_toward_patience);
    tcase_add_test(tc, clearance_order_statistics);
    tcase_add_test(tc, mminf_transient);
    tcase_add_test(tc, initial_keeps_common_random_numbers);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(initial_suite)
