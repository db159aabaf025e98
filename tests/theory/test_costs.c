/*
** The network block and the costs: a hand-computed trace, M/M/c against
** Erlang C, Little's law, and the totals against their parts in every
** replication. The formulas are those of docs/metrics.md: a price per
** truck-hour times the truck-hours of each class in the network, a price
** per server-hour times the server-hours counted open, and the losses
** (cargo value lost, plus the prices per spoiled and per abandoned truck),
** all per day of the window; idle fuel per truck-hour waiting (road,
** queue, blocked), CO2 per litre.
*/
#include "run/exact.h"
#include "tc_theory.h"

/*
** One server, service 30 min, horizon 120 min (1/12 day), warmup 0.
** Trace (data/costs.csv): trucks at 0, 10, 20 and an impatient truck at 25
** (patience 3 min).
**   truck      arrive  start  leave  waiting  in network
**   1          0       0      30     0        30
**   2          10      30     60     20       50
**   3          20      60     90     40       70   shelf life 60: spoiled at 80
**   impatient  25      -      28     3        3    abandons at 28
** Truck-minutes 150 + 3 = 153, waiting 63; four present on [25, 28).
** Per day (x 12 / 60 for hours): truck 30 h, impatient 0.6 h; waiting 12.6 h.
** Prices: truck_hour {default: 25, impatient: 60} -> 750 + 36 = 786;
** server_hour 40 x 2 h x 12 = 960; losses: truck 3 spoiled (value 500 +
** 2000), the impatient truck abandoned (value 1000 + 300): 3800 x 12 =
** 45600. Cost 786 + 960 + 45600 = 47346. Fuel 2.5 l/h x 12.6 = 31.5 l,
** CO2 31.5 x 2.68 = 84.42 kg. p95 over the completed (30, 50, 70): 70.
*/
START_TEST(costs_trace)
{
    static const char yaml[] = "name: costs by hand\n"
                               "horizon: 120\n"
                               "warmup: 0\n"
                               "replications: 1\n"
                               "classes:\n"
                               "  truck: {shelf_life: 60, value: 500}\n"
                               "  impatient: {patience: 3, value: 1000}\n"
                               "arrivals:\n"
                               "  - {to: gate, trace: data/costs.csv}\n"
                               "stations:\n"
                               "  gate: {servers: 1, service: 30, next: exit}\n"
                               "costs:\n"
                               "  currency: USD\n"
                               "  truck_hour: {default: 25, impatient: 60}\n"
                               "  server_hour: 40\n"
                               "  spoiled: {truck: 2000}\n"
                               "  abandoned: {default: 300}\n"
                               "  idle_fuel_l_per_h: 2.5\n";
    struct th t;
    th_run(&t, "costs_trace", yaml, 17);
    const struct tc_metrics *m = &t.run.metrics;
    th_exact(&t, tc_metrics_network(m, TC_NM_PRESENT), 153.0 / 120.0);
    th_exact(&t, tc_metrics_network(m, TC_NM_IN_STATIONS), 153.0 / 120.0);
    th_exact(&t, tc_metrics_network(m, TC_NM_ON_ROADS), 0);
    th_exact(&t, tc_metrics_network(m, TC_NM_PRESENT_MAX), 4);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TRUCK_HOURS_PER_DAY), 30);
    th_exact(&t, th_cl(&t, "impatient", TC_CM_TRUCK_HOURS_PER_DAY), 0.6);
    th_exact(&t, tc_metrics_network(m, TC_NM_TRUCK_HOURS_PER_DAY), 30.6);
    th_exact(&t, tc_metrics_network(m, TC_NM_TIS_P95), 70);
    th_exact(&t, tc_metrics_network(m, TC_NM_ABANDONED_PER_DAY), 12);
    th_exact(&t, tc_metrics_network(m, TC_NM_SPOILED_PER_DAY), 12);
    th_exact(&t, tc_metrics_network(m, TC_NM_THROUGHPUT_PER_DAY), 36);
    th_exact(&t, tc_metrics_network(m, TC_NM_COST_TRUCKS_PER_DAY), 786);
    th_exact(&t, tc_metrics_network(m, TC_NM_COST_SERVERS_PER_DAY), 960);
    th_exact(&t, tc_metrics_network(m, TC_NM_COST_LOSSES_PER_DAY), 45600);
    th_exact(&t, tc_metrics_network(m, TC_NM_COST_PER_DAY), 47346);
    th_exact(&t, tc_metrics_network(m, TC_NM_IDLE_FUEL_L_PER_DAY), 31.5);
    th_exact(&t, tc_metrics_network(m, TC_NM_CO2_KG_PER_DAY), 84.42);
    th_done(&t);
}
END_TEST

/*
** M/M/3, lambda 2/min, service mean 1 min (a = 2, rho 2/3): L = Lq + a
** from Erlang C. Per day: truck-hours 24 L, cost 25 x 24 L + 40 x 3 x 24
** (the servers' part is the same in every replication: 2880).
*/
START_TEST(costs_mmc_erlang_c)
{
    static const char yaml[] = "name: M/M/3 costs\n"
                               "horizon: 20 d\n"
                               "warmup: 1 d\n"
                               "replications: 20\n"
                               "seed: 314\n"
                               "arrivals:\n"
                               "  - {to: desks, rate: 2/min}\n"
                               "stations:\n"
                               "  desks:\n"
                               "    servers: 3\n"
                               "    service: {dist: exponential, mean: 1}\n"
                               "    next: exit\n"
                               "costs: {truck_hour: 25, server_hour: 40}\n";
    struct tc_exact_station x;
    ck_assert(tc_exact_mmc(2.0, 1.0, 3, &x));
    struct th t;
    th_run(&t, "costs_mmc", yaml, 3);
    const struct tc_metrics *m = &t.run.metrics;
    th_check(&t, tc_metrics_network(m, TC_NM_PRESENT), x.l);
    th_check(&t, tc_metrics_network(m, TC_NM_TRUCK_HOURS_PER_DAY), 24 * x.l);
    th_check(&t, tc_metrics_network(m, TC_NM_COST_PER_DAY), 25 * 24 * x.l + 2880);
    for (uint32_t r = 0; r < t.run.n_reps; r++)
        ck_assert_double_eq_tol(
            tc_run_value(&t.run, r, tc_metrics_network(m, TC_NM_COST_SERVERS_PER_DAY)), 2880, 1e-9);
    th_done(&t);
}
END_TEST

/* |a - b| within 1e-9 of their size */
static void assert_sum(double total, double parts, const char *what, uint32_t rep)
{
    ck_assert_msg(fabs(total - parts) <= 1e-9 * fmax(1, fabs(total)),
                  "%s, replication %u: total %.17g, parts %.17g", what, rep, total, parts);
}

/*
** Every replication: present = in stations + on roads + booked; the
** network's truck-hours = the classes'; cost = its three parts; and
** Little's law for the network, truck-hours a day = arrivals a day x
** mean time in system, checked on the mean of the per-replication
** differences (edge effects of trucks present at the ends make single
** replications differ a little). A yard with a road in front and a
** booked stream make all three parts non-zero.
*/
START_TEST(totals_are_their_parts)
{
    static const char yaml[] =
        "name: parts\n"
        "time_unit: h\n"
        "horizon: 30 d\n"
        "warmup: 2 d\n"
        "replications: 10\n"
        "seed: 99\n"
        "classes:\n"
        "  fruit: {priority: 1}\n"
        "  other: {priority: 2}\n"
        "arrivals:\n"
        "  - {class: fruit, to: yard, rate: 3/h}\n"
        "  - {class: other, to: yard, rate: 2/h,\n"
        "     booking: {slot: 1 h, per_slot: 3}}\n"
        "stations:\n"
        "  yard: {servers: unlimited, capacity: 20, service: 0, next: gate}\n"
        "  gate:\n"
        "    servers: 6\n"
        "    capacity: 6\n"
        "    service: {dist: exponential, mean: 1 h}\n"
        "    next: exit\n"
        "costs:\n"
        "  truck_hour: {fruit: 60, other: 25}\n"
        "  server_hour: {gate: 30}\n"
        "  idle_fuel_l_per_h: 2\n";
    struct th t;
    th_run(&t, "totals", yaml, 1);
    const struct tc_run *run = &t.run;
    const struct tc_metrics *m = &run->metrics;
    bool roads = false, booked = false;
    double little[64];
    ck_assert_uint_le(run->n_reps, 64);
    for (uint32_t r = 0; r < run->n_reps; r++) {
#define V(i) tc_run_value(run, r, (i))
        double present = V(tc_metrics_network(m, TC_NM_PRESENT));
        assert_sum(present,
                   V(tc_metrics_network(m, TC_NM_IN_STATIONS)) +
                       V(tc_metrics_network(m, TC_NM_ON_ROADS)) +
                       V(tc_metrics_network(m, TC_NM_BOOKED_WAITING)),
                   "present", r);
        assert_sum(V(tc_metrics_network(m, TC_NM_IN_STATIONS)),
                   V(tc_metrics_station(m, 0, TC_SM_IN_STATION)) +
                       V(tc_metrics_station(m, 1, TC_SM_IN_STATION)),
                   "in stations", r);
        assert_sum(V(tc_metrics_network(m, TC_NM_ON_ROADS)), V(tc_metrics_road(m, 0, TC_RM_TRUCKS)),
                   "on roads", r);
        assert_sum(V(tc_metrics_network(m, TC_NM_TRUCK_HOURS_PER_DAY)),
                   V(tc_metrics_class(m, 0, TC_CM_TRUCK_HOURS_PER_DAY)) +
                       V(tc_metrics_class(m, 1, TC_CM_TRUCK_HOURS_PER_DAY)),
                   "truck-hours", r);
        assert_sum(V(tc_metrics_network(m, TC_NM_TRUCK_HOURS_PER_DAY)), present * 24,
                   "truck-hours = 24 x present (time unit h)", r);
        assert_sum(V(tc_metrics_network(m, TC_NM_COST_PER_DAY)),
                   V(tc_metrics_network(m, TC_NM_COST_TRUCKS_PER_DAY)) +
                       V(tc_metrics_network(m, TC_NM_COST_SERVERS_PER_DAY)) +
                       V(tc_metrics_network(m, TC_NM_COST_LOSSES_PER_DAY)),
                   "cost", r);
        assert_sum(V(tc_metrics_network(m, TC_NM_COST_TRUCKS_PER_DAY)),
                   60 * V(tc_metrics_class(m, 0, TC_CM_TRUCK_HOURS_PER_DAY)) +
                       25 * V(tc_metrics_class(m, 1, TC_CM_TRUCK_HOURS_PER_DAY)),
                   "truck cost", r);
        ck_assert(V(tc_metrics_network(m, TC_NM_PRESENT_MAX)) >=
                  V(tc_metrics_network(m, TC_NM_IN_STATIONS_MAX)));
        roads |= V(tc_metrics_network(m, TC_NM_ON_ROADS)) > 0;
        booked |= V(tc_metrics_network(m, TC_NM_BOOKED_WAITING)) > 0;
        /* Little: the booked wait at home is in the truck-hours, not in the time in system */
        double arrived = V(tc_metrics_network(m, TC_NM_ARRIVED_PER_DAY));
        double l_sys =
            V(tc_metrics_network(m, TC_NM_IN_STATIONS)) + V(tc_metrics_network(m, TC_NM_ON_ROADS));
        double tis = (V(tc_metrics_class(m, 0, TC_CM_TIME_IN_SYSTEM)) *
                          V(tc_metrics_class(m, 0, TC_CM_COMPLETED)) +
                      V(tc_metrics_class(m, 1, TC_CM_TIME_IN_SYSTEM)) *
                          V(tc_metrics_class(m, 1, TC_CM_COMPLETED))) /
                     (V(tc_metrics_class(m, 0, TC_CM_COMPLETED)) +
                      V(tc_metrics_class(m, 1, TC_CM_COMPLETED)));
        little[r] = 24 * l_sys - arrived * tis; /* trucks x hours a day, time unit h */
#undef V
    }
    ck_assert_msg(roads && booked, "the case must use roads (%d) and booking (%d)", roads, booked);
    double mean = gsl_stats_mean(little, 1, run->n_reps), sd = gsl_stats_sd(little, 1, run->n_reps),
           hw = gsl_cdf_tdist_Pinv(0.975, run->n_reps - 1.0) * sd / sqrt((double)run->n_reps);
    double scale = 24 * tc_run_value(run, 0, tc_metrics_network(m, TC_NM_IN_STATIONS));
    fprintf(stderr, "little: 24 L - lambda W = %.4g +- %.3g (of %.4g)\n", mean, hw, scale);
    ck_assert_msg(fabs(mean) <= hw, "Little's law: 24 L - lambda W = %g +- %g", mean, hw);
    ck_assert_msg(hw < 0.01 * scale, "Little's law check too loose: +- %g of %g", hw, scale);
    t.n_done++;
    th_done(&t);
}
END_TEST

static Suite *costs_suite(void)
{
    Suite *s = suite_create("costs");
    TCase *tc = tcase_create("costs");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, costs_trace);
    tcase_add_test(tc, costs_mmc_erlang_c);
    tcase_add_test(tc, totals_are_their_parts);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(costs_suite)
