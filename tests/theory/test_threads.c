/*
** Determinism across thread counts: the same scenario and seed give the
** same bytes per replication (run.values, timeseries.csv) and the same reduced
** statistics with 1 and with 4 threads. The scenario touches the random
** streams of every kind: Poisson and gamma arrivals, patience, per-class
** service, probabilistic routing, failures, blocking and the road queue.
*/
#include "tc_theory.h"

static const char yaml[] = "name: determinism\n"
                           "horizon: 20000\n"
                           "warmup: 500\n"
                           "replications: 6\n"
                           "seed: 601\n"
                           "sample_every: 2\n" /* 10,001 samples: many chunks, interleaved */
                           "classes:\n"
                           "  fruit: {priority: 1, patience: {dist: exponential, mean: 60}}\n"
                           "  general: {priority: 2}\n"
                           "arrivals:\n"
                           "  - {class: fruit, to: yard, rate: 0.5/min}\n"
                           "  - {class: general, to: yard, interarrival: {dist: gamma, mean: 1.5, "
                           "sd: 1}}\n"
                           "stations:\n"
                           "  yard:\n"
                           "    servers: unlimited\n"
                           "    capacity: 10\n"
                           "    service: 0\n"
                           "    next: customs\n"
                           "  customs:\n"
                           "    servers: 2\n"
                           "    capacity: 6\n"
                           "    discipline: priority\n"
                           "    service:\n"
                           "      fruit: {dist: lognormal, mean: 1.5, sd: 1}\n"
                           "      general: {dist: exponential, mean: 1.4}\n"
                           "    next:\n"
                           "      - {to: inspection, p: 0.2}\n"
                           "      - {to: gate, p: 0.8}\n"
                           "  inspection:\n"
                           "    servers: 1\n"
                           "    service: {dist: triangular, min: 1, mode: 2, max: 4}\n"
                           "    next: gate\n"
                           "  gate:\n"
                           "    servers: 2\n"
                           "    capacity: 3\n"
                           "    service: {dist: uniform, min: 0.5, max: 1.5}\n"
                           "    failures: {mtbf: 500, mttr: 20}\n"
                           "    next: exit\n";

START_TEST(one_and_four_threads_agree)
{
    struct tc_scenario *sc = th_load("threads", yaml);
    struct tc_run a, b;
    tc_runner_run(&a, sc, 1, NULL, NULL);
    tc_runner_run(&b, sc, 4, NULL, NULL);
    ck_assert_uint_eq(a.n_reps, 6);
    ck_assert_uint_eq(a.metrics.n, b.metrics.n);
    ck_assert_uint_eq(a.n_samples, b.n_samples);
    ck_assert_uint_eq(a.n_series, b.n_series);
    ck_assert(memcmp(a.values, b.values, (size_t)a.n_reps * a.metrics.n * sizeof(double)) == 0);
    ck_assert(memcmp(a.stats, b.stats, a.metrics.n * sizeof(struct tc_stat)) == 0);
    char *ta, *tb;
    size_t na, nb;
    FILE *fa = open_memstream(&ta, &na), *fb = open_memstream(&tb, &nb);
    ck_assert_int_eq(tc_series_write_csv(a.series, fa), 0);
    ck_assert_int_eq(tc_series_write_csv(b.series, fb), 0);
    fclose(fa);
    fclose(fb);
    ck_assert_uint_eq(na, nb);
    ck_assert(memcmp(ta, tb, na) == 0);
    /* a header and one line per replication, sample and row */
    size_t lines = 0;
    for (size_t i = 0; i < na; i++)
        lines += ta[i] == '\n';
    ck_assert_uint_eq(a.n_samples, 10001);
    ck_assert_uint_eq(lines, 1 + (size_t)a.n_reps * a.n_samples * a.n_series);
    free(ta);
    free(tb);
    ck_assert_uint_eq(a.n_events, b.n_events);
    ck_assert_uint_eq(a.n_trucks, b.n_trucks);

    /* the scenario does what it is meant to: blocking, a road, abandonment */
    const struct tc_stat *blocked =
        &a.stats[tc_metrics_station(&a.metrics, tc_scenario_station(sc, "yard"), TC_SM_BLOCKED)];
    ck_assert(blocked->mean > 0);
    uint32_t road = a.metrics.road_of_station[tc_scenario_station(sc, "yard")];
    ck_assert(a.stats[tc_metrics_road(&a.metrics, road, TC_RM_MAX_TRUCKS)].max > 0);
    const struct tc_stat *ab = &a.stats[tc_metrics_class(&a.metrics, tc_scenario_class(sc, "fruit"),
                                                         TC_CM_ABANDONED_FRACTION)];
    ck_assert(ab->mean > 0);

    /* replications differ from each other (each has its own streams) */
    size_t w = tc_metrics_station(&a.metrics, tc_scenario_station(sc, "customs"), TC_SM_WAIT);
    ck_assert(tc_run_value(&a, 0, w) != tc_run_value(&a, 1, w));

    tc_run_fini(&a);
    tc_run_fini(&b);
    tc_scenario_free(sc);
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("theory_threads");
    TCase *tc = tcase_create("determinism");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, one_and_four_threads_agree);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(threads_suite)
