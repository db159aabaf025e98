/*
** metrics and summary: the catalogue layout for a small hand-built
** scenario (block bases, roads only for entry stations in station order,
** every def's scope/owner/kind/name), and tc_stat_reduce against
** hand-computed means, standard deviations and t quantiles (closed forms
** for 1 and 2 degrees of freedom: tan(pi (p - 1/2)) and (2p-1)/sqrt(2p(1-p))).
*/
#include <math.h>
#include <string.h>

#include "tc_check.h"
#include "tcsim/metrics.h"
#include "tcsim/runner.h"

static char n_yard[] = "yard", n_lanes[] = "lanes", n_gate[] = "gate";
static char n_fruit[] = "fruit", n_general[] = "general";

/* Three stations, two classes; streams enter at gate, yard and yard again. */
static void make_scenario(struct tc_scenario *sc, struct tc_station st[3], struct tc_class cl[2],
                          struct tc_source src[3])
{
    memset(sc, 0, sizeof(*sc));
    memset(st, 0, 3 * sizeof(*st));
    memset(cl, 0, 2 * sizeof(*cl));
    memset(src, 0, 3 * sizeof(*src));
    st[0].name = n_yard;
    st[1].name = n_lanes;
    st[2].name = n_gate;
    cl[0].name = n_fruit;
    cl[1].name = n_general;
    src[0].to = 2;
    src[1].to = 0;
    src[2].to = 0;
    sc->stations = st;
    sc->n_stations = 3;
    sc->classes = cl;
    sc->n_classes = 2;
    sc->sources = src;
    sc->n_sources = 3;
}

START_TEST(test_layout_indexes_stations_classes_roads)
{
    struct tc_scenario sc;
    struct tc_station st[3];
    struct tc_class cl[2];
    struct tc_source src[3];
    make_scenario(&sc, st, cl, src);
    struct tc_metrics m;
    tc_metrics_init(&m, &sc);

    ck_assert_uint_eq(m.n_stations, 3);
    ck_assert_uint_eq(m.n_classes, 2);
    ck_assert_uint_eq(m.base_sc, 42);         /* 3 x 14 */
    ck_assert_uint_eq(m.base_class, 42 + 12); /* + 3 x 2 x 2 */
    ck_assert_uint_eq(m.base_road, 54 + 40);  /* + 2 x 20 */
    ck_assert_uint_eq(m.base_net, 94 + 6);    /* + 2 roads x 3 */
    ck_assert_uint_eq(m.n, 100 + 22);         /* + the network's 22 */
    ck_assert_uint_eq(m.n_roads, 2);
    ck_assert_uint_eq(m.road_station[0], 0); /* yard before gate: station order */
    ck_assert_uint_eq(m.road_station[1], 2);
    ck_assert_uint_eq(m.road_of_station[0], 0);
    ck_assert_uint_eq(m.road_of_station[1], TC_NONE);
    ck_assert_uint_eq(m.road_of_station[2], 1);

    ck_assert_uint_eq(tc_metrics_station(&m, 1, TC_SM_BLOCKED), 19);
    ck_assert_uint_eq(tc_metrics_station_class(&m, 2, 1, TC_SCM_SOJOURN), 42 + 11);
    ck_assert_uint_eq(tc_metrics_class(&m, 1, TC_CM_VALUE_LOST), 54 + 33);
    ck_assert_uint_eq(tc_metrics_road(&m, 1, TC_RM_MAX_TRUCKS), 99);

    /* Every slot is filled, in block order, and matches its index function. */
    for (size_t i = 0; i < m.n; i++) {
        const struct tc_metric_def *d = &m.defs[i];
        ck_assert_ptr_nonnull(d->name);
        switch (d->scope) {
        case TC_SCOPE_STATION:
            ck_assert_uint_lt(i, m.base_sc);
            ck_assert_uint_eq(tc_metrics_station(&m, d->owner, d->kind), i);
            ck_assert_uint_eq(d->class_id, TC_NONE);
            ck_assert_str_eq(d->name, tc_station_metric_names[d->kind]);
            break;
        case TC_SCOPE_STATION_CLASS:
            ck_assert_uint_lt(i, m.base_class);
            ck_assert_uint_eq(tc_metrics_station_class(&m, d->owner, d->class_id, d->kind), i);
            ck_assert_str_eq(d->name, tc_station_class_metric_names[d->kind]);
            break;
        case TC_SCOPE_CLASS:
            ck_assert_uint_lt(i, m.base_road);
            ck_assert_uint_eq(tc_metrics_class(&m, d->owner, d->kind), i);
            ck_assert_uint_eq(d->class_id, TC_NONE);
            ck_assert_str_eq(d->name, tc_class_metric_names[d->kind]);
            break;
        case TC_SCOPE_ROAD:
            ck_assert_uint_ge(i, m.base_road);
            ck_assert_uint_lt(i, m.base_net);
            ck_assert_uint_eq(tc_metrics_road(&m, m.road_of_station[d->owner], d->kind), i);
            ck_assert_str_eq(d->name, tc_road_metric_names[d->kind]);
            ck_assert_uint_lt(i, m.base_clearance);
            break;
        case TC_SCOPE_CLEARANCE:
            ck_assert_uint_ge(i, m.base_clearance);
            ck_assert_uint_eq(tc_metrics_clearance(&m, d->owner, d->kind), i);
            ck_assert_str_eq(d->name, tc_clearance_metric_names[d->kind]);
            break;
        case TC_SCOPE_NETWORK:
            ck_assert_uint_ge(i, m.base_net);
            ck_assert_uint_eq(tc_metrics_network(&m, d->kind), i);
            ck_assert_str_eq(d->name, tc_network_metric_names[d->kind]);
            break;
        case TC_SCOPE_POOL:
            ck_assert_uint_ge(i, m.base_pool);
            ck_assert_uint_eq(tc_metrics_pool(&m, d->owner, d->kind), i);
            ck_assert_str_eq(d->name, tc_pool_metric_names[d->kind]);
            break;
        }
    }
    ck_assert_int_eq(m.defs[19].scope, TC_SCOPE_STATION);
    ck_assert_uint_eq(m.defs[19].owner, 1);
    ck_assert_str_eq(m.defs[19].name, "blocked");
    ck_assert_int_eq(m.defs[53].scope, TC_SCOPE_STATION_CLASS);
    ck_assert_uint_eq(m.defs[53].owner, 2);
    ck_assert_uint_eq(m.defs[53].class_id, 1);
    ck_assert_str_eq(m.defs[53].name, "sojourn");
    ck_assert_int_eq(m.defs[56].scope, TC_SCOPE_CLASS);
    ck_assert_uint_eq(m.defs[56].owner, 0);
    ck_assert_str_eq(m.defs[56].name, "time_in_system_p90");
    ck_assert_int_eq(m.defs[98].scope, TC_SCOPE_ROAD);
    ck_assert_uint_eq(m.defs[98].owner, 2);
    ck_assert_str_eq(m.defs[98].name, "km");
    ck_assert_int_eq(m.defs[100 + 16].scope, TC_SCOPE_NETWORK);
    ck_assert_str_eq(m.defs[100 + 16].name, "cost_per_day");
    tc_metrics_fini(&m);
    tc_metrics_fini(NULL);
}
END_TEST

START_TEST(test_no_sources_means_no_roads)
{
    struct tc_scenario sc;
    struct tc_station st[3];
    struct tc_class cl[2];
    struct tc_source src[3];
    make_scenario(&sc, st, cl, src);
    sc.n_sources = 0;
    struct tc_metrics m;
    tc_metrics_init(&m, &sc);
    ck_assert_uint_eq(m.n_roads, 0);
    ck_assert_uint_eq(m.base_net, m.base_road);
    ck_assert_uint_eq(m.n, m.base_net + TC_NM__COUNT);
    ck_assert_uint_eq(m.road_of_station[2], TC_NONE);
    tc_metrics_fini(&m);
}
END_TEST

START_TEST(test_names_of_every_metric_in_order)
{
    static const char *const sm[] = {
        "wait",    "sojourn",  "in_station",     "waiting",           "utilization",
        "blocked", "arrivals", "departures",     "rejected_fraction", "throughput_per_day",
        "busy",    "stay",     "departures_all", "occupied"};
    static const char *const cm[] = {
        "time_in_system",     "time_in_system_p50", "time_in_system_p90",
        "time_in_system_p95", "time_in_system_p99", "time_in_system_max",
        "road_wait",          "booking_delay",      "arrived",
        "completed",          "throughput_per_day", "abandoned_fraction",
        "spoiled_fraction",   "value_lost",         "abandoned",
        "rejected",           "present_at_warmup",  "present_at_end",
        "diverted",           "truck_hours_per_day"};
    static const char *const rm[] = {"trucks", "km", "max_trucks"};
    for (int k = 0; k < TC_SM__COUNT; k++)
        ck_assert_str_eq(tc_station_metric_names[k], sm[k]);
    for (int k = 0; k < TC_CM__COUNT; k++)
        ck_assert_str_eq(tc_class_metric_names[k], cm[k]);
    for (int k = 0; k < TC_RM__COUNT; k++)
        ck_assert_str_eq(tc_road_metric_names[k], rm[k]);
    static const char *const nm[] = {"present",
                                     "present_max",
                                     "in_stations",
                                     "in_stations_max",
                                     "on_roads",
                                     "on_roads_max",
                                     "booked_waiting",
                                     "booked_waiting_max",
                                     "truck_hours_per_day",
                                     "time_in_system_p95",
                                     "arrived_per_day",
                                     "throughput_per_day",
                                     "abandoned_per_day",
                                     "spoiled_per_day",
                                     "abandoned_fraction",
                                     "spoiled_fraction",
                                     "cost_per_day",
                                     "cost_trucks_per_day",
                                     "cost_servers_per_day",
                                     "cost_losses_per_day",
                                     "idle_fuel_l_per_day",
                                     "co2_kg_per_day"};
    ck_assert_uint_eq(sizeof(nm) / sizeof(nm[0]), TC_NM__COUNT);
    for (int k = 0; k < TC_NM__COUNT; k++)
        ck_assert_str_eq(tc_network_metric_names[k], nm[k]);
    ck_assert_str_eq(tc_station_class_metric_names[TC_SCM_WAIT], "wait");
    ck_assert_str_eq(tc_station_class_metric_names[TC_SCM_SOJOURN], "sojourn");
}
END_TEST

static void assert_rel(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= 1e-12 * fabs(want), "got %.17g, want %.17g", got, want);
}

START_TEST(test_reduce_four)
{
    /* 1,2,3,4: mean 2.5, s = sqrt(5/3), t_{0.975,3} = 3.182446305284263. */
    const double v[] = {1, 2, 3, 4};
    struct tc_stat s;
    tc_stat_reduce(v, 4, 1, &s);
    ck_assert_uint_eq(s.n, 4);
    ck_assert_double_eq(s.mean, 2.5);
    ck_assert_double_eq(s.min, 1);
    ck_assert_double_eq(s.max, 4);
    assert_rel(s.ci95, 3.182446305284263 * 1.2909944487358056 / 2);
}
END_TEST

START_TEST(test_reduce_stride_and_nan)
{
    /* Column 1 of a 4 x 2 row-major table: NaN, 5, NaN, 7 -> {5, 7}. */
    const double v[] = {100, (double)NAN, 100, 5, 100, (double)NAN, 100, 7};
    struct tc_stat s;
    tc_stat_reduce(v + 1, 4, 2, &s);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_double_eq(s.mean, 6);
    ck_assert_double_eq(s.min, 5);
    ck_assert_double_eq(s.max, 7);
    /* s = sqrt(2), so ci95 = t_{0.975,1} * sqrt(2) / sqrt(2) = tan(0.475 pi). */
    assert_rel(s.ci95, tan(0.475 * 3.14159265358979323846));

    /* Column 0: four equal values, no spread. */
    tc_stat_reduce(v, 4, 2, &s);
    ck_assert_uint_eq(s.n, 4);
    ck_assert_double_eq(s.mean, 100);
    ck_assert_double_eq(s.ci95, 0);
}
END_TEST

START_TEST(test_reduce_three)
{
    /* 2, 4, 9: mean 5, s^2 = (9 + 1 + 16) / 2 = 13, df 2. */
    const double v[] = {2, 4, 9};
    struct tc_stat s;
    tc_stat_reduce(v, 3, 1, &s);
    ck_assert_uint_eq(s.n, 3);
    ck_assert_double_eq(s.mean, 5);
    double t2 = 0.95 / sqrt(2 * 0.975 * 0.025);
    assert_rel(s.ci95, t2 * sqrt(13.0) / sqrt(3.0));
}
END_TEST

START_TEST(test_reduce_degenerate)
{
    struct tc_stat s;
    const double one[] = {(double)NAN, 3.25, (double)NAN};
    tc_stat_reduce(one, 3, 1, &s);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_double_eq(s.mean, 3.25);
    /* one value: no interval (NaN, written null), not 0, which would claim an exact value */
    ck_assert(isnan(s.ci95));
    ck_assert_double_eq(s.min, 3.25);
    ck_assert_double_eq(s.max, 3.25);

    const double none[] = {(double)NAN, (double)NAN};
    tc_stat_reduce(none, 2, 1, &s);
    ck_assert_uint_eq(s.n, 0);
    ck_assert(isnan(s.mean) && isnan(s.ci95) && isnan(s.min) && isnan(s.max));

    tc_stat_reduce(NULL, 0, 1, &s);
    ck_assert_uint_eq(s.n, 0);
    ck_assert(isnan(s.mean) && isnan(s.ci95));
}
END_TEST

static Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("catalogue");
    tcase_add_test(tc, test_layout_indexes_stations_classes_roads);
    tcase_add_test(tc, test_no_sources_means_no_roads);
    tcase_add_test(tc, test_names_of_every_metric_in_order);
    suite_add_tcase(s, tc);
    tc = tcase_create("reduce");
    tcase_add_test(tc, test_reduce_four);
    tcase_add_test(tc, test_reduce_stride_and_nan);
    tcase_add_test(tc, test_reduce_three);
    tcase_add_test(tc, test_reduce_degenerate);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(metrics_suite)
