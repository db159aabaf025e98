/*
** Metric invariants: no impossible number. Fractions stay in [0, 1] with a
** warm-up, the trucks of each class balance exactly (present at warm-up +
** arrived = completed + abandoned + rejected + present at the end),
** utilisation is a fraction of finite servers only, time averages are
** never negative, Little's law holds for `stay` (every truck that left a
** station, abandoned ones too), a truck's trace row shows one visit of a
** station, and a rate_factor acts on a booked stream's wishes by their own
** time. Each with the reproducer of the bug it fixes and, where it can be
** computed by hand, the exact value.
*/
#include <stdlib.h>

#include "border.h"
#include "engine/engine_int.h"
#include "engine/rng.h"
#include "tcsim/engine.h"

/* The balance of every class in every replication, exactly; one check. */
static void check_balance(struct th *t)
{
    const struct tc_metrics *m = &t->run.metrics;
    t->n_done++;
    for (uint32_t r = 0; r < t->run.n_reps; r++)
        for (uint32_t c = 0; c < t->sc->n_classes; c++) {
            double v[TC_CM__COUNT];
            for (int k = 0; k < TC_CM__COUNT; k++)
                v[k] = tc_run_value(&t->run, r, tc_metrics_class(m, c, k));
            double in = v[TC_CM_PRESENT_AT_WARMUP] + v[TC_CM_ARRIVED];
            double out = v[TC_CM_COMPLETED] + v[TC_CM_ABANDONED] + v[TC_CM_REJECTED] +
                         v[TC_CM_PRESENT_AT_END];
            ck_assert_msg(in == out, "%s rep %u class %u: %g at warm-up + %g arrived != %g",
                          t->name, r, c, v[TC_CM_PRESENT_AT_WARMUP], v[TC_CM_ARRIVED], out);
            double left = v[TC_CM_COMPLETED] + v[TC_CM_ABANDONED] + v[TC_CM_REJECTED];
            if (left > 0)
                ck_assert_double_eq(v[TC_CM_ABANDONED_FRACTION], v[TC_CM_ABANDONED] / left);
            ck_assert(!(v[TC_CM_ABANDONED_FRACTION] < 0 || v[TC_CM_ABANDONED_FRACTION] > 1));
            ck_assert(!(v[TC_CM_SPOILED_FRACTION] < 0 || v[TC_CM_SPOILED_FRACTION] > 1));
        }
    fprintf(stderr, "%-14s balance holds in %u replications\n", t->name, t->run.n_reps);
}

/* Every station's fractions and time averages in range, in every replication; one check. */
static void check_ranges(struct th *t)
{
    const struct tc_metrics *m = &t->run.metrics;
    t->n_done++;
    static const enum tc_station_metric avg[] = {TC_SM_IN_STATION, TC_SM_WAITING, TC_SM_BLOCKED,
                                                 TC_SM_BUSY};
    for (uint32_t r = 0; r < t->run.n_reps; r++)
        for (uint32_t s = 0; s < t->sc->n_stations; s++) {
            double u = tc_run_value(&t->run, r, tc_metrics_station(m, s, TC_SM_UTILIZATION));
            ck_assert_msg(!(u < 0 || u > 1), "%s rep %u station %u: utilization %.17g", t->name, r,
                          s, u);
            for (size_t k = 0; k < sizeof avg / sizeof avg[0]; k++) {
                double v = tc_run_value(&t->run, r, tc_metrics_station(m, s, avg[k]));
                ck_assert_msg(v >= 0, "%s rep %u station %u: %s %.17g", t->name, r, s,
                              tc_station_metric_names[avg[k]], v);
            }
        }
}

/*
** The reproducer: 60/h into a gate serving 1/h, patience 2 h, warm-up 1 d.
** The trucks that arrived before the warm-up and abandon after it made
** abandoned_fraction 1.065 (abandoned / arrived in the window).
*/
START_TEST(warmup_fractions_reproducer)
{
    static const char yaml[] = "{name: t, horizon: 2 d, warmup: 1 d, replications: 3,\n"
                               " classes: {truck: {patience: 2 h, shelf_life: 90 min}},\n"
                               " arrivals: [{to: gate, rate: 60/h, end: 46 h}],\n"
                               " stations: {gate: {servers: 1, service: 1 h}}}\n";
    struct th t;
    th_run(&t, "warm_repro", yaml, 2);
    check_balance(&t);
    check_ranges(&t);
    th_done(&t);
}
END_TEST

/*
** By hand, one server, service 10, patience 15, shelf life 12, warm-up 5,
** horizon 40, arrivals 0 1 2 3 4 30 (data/warm.csv):
**   A 0  served 0-10             left at 10: completed (not spoiled, 10 < 12)
**   B 1  served 10-20            completed, spoiled at 13
**   C 2  abandons at 17          spoiled at 14
**   D 3  abandons at 18          spoiled at 15
**   E 4  abandons at 19          spoiled at 16
**   F 30 served 30-40, in service at the horizon (spoils at 42: not)
** At the warm-up A ... E are present (5); F arrives in the window (1).
** Left in the window: 2 completed + 3 abandoned; present at the end 1.
** abandoned_fraction 3/5 (was 3/1), spoiled_fraction 4 of the 6 in the
** system during the window (was 4/1).
*/
START_TEST(warmup_fractions_by_hand)
{
    static const char yaml[] = "name: warm\n"
                               "horizon: 40\n"
                               "warmup: 5\n"
                               "replications: 1\n"
                               "classes:\n"
                               "  truck: {patience: 15, shelf_life: 12}\n"
                               "arrivals:\n"
                               "  - {to: gate, trace: data/warm.csv}\n"
                               "stations:\n"
                               "  gate: {servers: 1, service: 10}\n";
    struct th t;
    th_run(&t, "warm_hand", yaml, 9);
    th_exact(&t, th_cl(&t, "truck", TC_CM_PRESENT_AT_WARMUP), 5);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 1);
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 2);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ABANDONED), 3);
    th_exact(&t, th_cl(&t, "truck", TC_CM_REJECTED), 0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_PRESENT_AT_END), 1);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ABANDONED_FRACTION), 3.0 / 5.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_SPOILED_FRACTION), 4.0 / 6.0);
    check_balance(&t);
    th_done(&t);
}
END_TEST

/*
** Rejection by hand: capacity 1, rejecting, service 10, warm-up 0.5,
** arrivals 0 1 2 12: A in (present at warm-up), B and C rejected, D served
** 12-22. 1 + 3 arrived = 2 completed + 2 rejected; abandoned_fraction 0 of 4.
*/
START_TEST(rejection_balance_by_hand)
{
    static const char yaml[] =
        "name: rej\n"
        "horizon: 30\n"
        "warmup: 0.5\n"
        "replications: 1\n"
        "arrivals:\n"
        "  - {to: gate, trace: data/reject.csv}\n"
        "stations:\n"
        "  gate: {servers: 1, capacity: 1, when_full: reject, service: 10}\n";
    struct th t;
    th_run(&t, "reject_hand", yaml, 7);
    th_exact(&t, th_cl(&t, "truck", TC_CM_PRESENT_AT_WARMUP), 1);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 3);
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 2);
    th_exact(&t, th_cl(&t, "truck", TC_CM_REJECTED), 2);
    th_exact(&t, th_cl(&t, "truck", TC_CM_PRESENT_AT_END), 0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ABANDONED_FRACTION), 0);
    check_balance(&t);
    th_done(&t);
}
END_TEST

/*
** The balance on a network with everything at once: two classes with
** patience and shelf lives, a rejecting yard, a blocking lane group, a
** booked stream (booked trucks are not yet in the system), a warm-up.
*/
START_TEST(balance_network)
{
    static const char yaml[] =
        "name: net\n"
        "horizon: 3 d\n"
        "warmup: 12 h\n"
        "replications: 10\n"
        "seed: 31\n"
        "classes:\n"
        "  fruit: {patience: {dist: exponential, mean: 3 h}, shelf_life: 5 h,"
        " value: 10}\n"
        "  dry: {patience: 8 h}\n"
        "arrivals:\n"
        "  - {to: yard, class: fruit, rate: 20/h}\n"
        "  - {to: yard, class: dry, rate: 15/h,"
        " booking: {slot: 1 h, per_slot: 14}}\n"
        "stations:\n"
        "  yard: {servers: unlimited, capacity: 30, when_full: reject,"
        " service: 10 min, next: lanes}\n"
        "  lanes: {servers: 3, capacity: 6,"
        " service: {dist: exponential, mean: 6 min}}\n";
    struct th t;
    th_run(&t, "balance_net", yaml, 2);
    check_balance(&t);
    check_ranges(&t);
    th_done(&t);
}
END_TEST

/* The crisis replay shipped with tcsim: the balance and the ranges hold there too. */
START_TEST(balance_crisis)
{
    struct th t;
    memset(&t, 0, sizeof t);
    t.name = "crisis";
    t.k = 2;
    struct tc_diags d;
    tc_diags_init(&d);
    t.sc = tc_scenario_load(TC_THEORY_DIR "/../../scenarios/langson-crisis-2021.yaml", NULL, 0, &d);
    ck_assert_ptr_nonnull(t.sc);
    tc_diags_fini(&d);
    tc_runner_run(&t.run, t.sc, TH_THREADS, NULL, NULL);
    check_balance(&t);
    check_ranges(&t);
    th_done(&t);
}
END_TEST

/*
** Utilisation over the finite stretches only. One server, service 10,
** arrivals 0 5 50 52 (data/switch.csv), horizon 100.
** Finite -> unlimited at 30: A 0-10, B 10-20 on 1 server over [0, 30):
** 20 / 30; C 50-60 and D 52-62 with unlimited servers are busy but count
** for no server (the old ratio was 40 / 30). busy (40 / 100) and
** in_station (10 + 15 + 10 + 10) / 100 for every station.
** Unlimited -> 1 server at 30: A 0-10, B 5-15 unlimited; C 50-60, D 60-70
** on 1 server over [30, 100): 20 / 70.
** Unlimited throughout: no utilisation (NaN, null in summary.json).
*/
START_TEST(utilization_finite_stretches)
{
    static const char fmt[] = "name: sw\n"
                              "horizon: 100\n"
                              "replications: 1\n"
                              "arrivals:\n"
                              "  - {to: a, trace: data/switch.csv}\n"
                              "stations:\n"
                              "  a: {servers: %s, service: 10}\n"
                              "%s";
    char yaml[512];
    struct th t;

    snprintf(yaml, sizeof yaml, fmt, "1", "events: [{station: a, at: 30, servers: unlimited}]\n");
    th_run(&t, "fin_to_unl", yaml, 4);
    th_exact(&t, th_st(&t, "a", TC_SM_UTILIZATION), 20.0 / 30.0);
    th_exact(&t, th_st(&t, "a", TC_SM_BUSY), 0.4);
    th_exact(&t, th_st(&t, "a", TC_SM_IN_STATION), 0.45);
    th_exact(&t, th_st(&t, "a", TC_SM_WAIT), 5.0 / 4.0);
    th_done(&t);

    snprintf(yaml, sizeof yaml, fmt, "unlimited", "events: [{station: a, at: 30, servers: 1}]\n");
    th_run(&t, "unl_to_fin", yaml, 3);
    th_exact(&t, th_st(&t, "a", TC_SM_UTILIZATION), 20.0 / 70.0);
    th_exact(&t, th_st(&t, "a", TC_SM_BUSY), 0.4);
    th_exact(&t, th_st(&t, "a", TC_SM_IN_STATION), 0.4 + 8.0 / 100.0);
    th_done(&t);

    snprintf(yaml, sizeof yaml, fmt, "unlimited", "");
    th_run(&t, "unl", yaml, 2);
    ck_assert(isnan(tc_run_value(&t.run, 0, th_st(&t, "a", TC_SM_UTILIZATION))));
    t.n_done++;
    th_exact(&t, th_st(&t, "a", TC_SM_BUSY), 0.4);
    th_done(&t);
}
END_TEST

/* The reproducers: 10/h into 2 servers of 5 min, switched to unlimited at 1 d, or back. */
START_TEST(utilization_reproducers)
{
    static const char fmt[] = "{name: t, horizon: 3 d, replications: 5,\n"
                              " arrivals: [{to: a, rate: 10/h}],\n"
                              " stations: {a: {servers: %s, service: 5 min}},\n"
                              " events: [{station: a, at: 1 d, servers: %s}]}\n";
    char yaml[512];
    struct th t;
    snprintf(yaml, sizeof yaml, fmt, "2", "unlimited");
    th_run(&t, "repro_to_unl", yaml, 1);
    check_ranges(&t);
    th_done(&t);
    snprintf(yaml, sizeof yaml, fmt, "unlimited", "2");
    th_run(&t, "repro_to_fin", yaml, 1);
    check_ranges(&t);
    th_done(&t);
}
END_TEST

/*
** Levels integrate n over time as a sum of non-negative terms, n x (time
** since the last change). The running sum of -+t it replaced cancelled:
** six trucks blocked and released at one instant t = 6387461.88582255
** (area 0) left -5.6e-9 (the partial sums -3t, -5t, ... round), and a
** truck blocked 1e-7 while another is blocked for an instant, 1000 times
** near t = 1e6, came out 2.9e-7 relatively wrong. Now both are exact: each
** gap is exact in floating point (Sterbenz) and so is n times it.
*/
START_TEST(level_area_exact_in_sign)
{
    struct tc_engine e;
    memset(&e, 0, sizeof e);
    struct level l;
    memset(&l, 0, sizeof l);
    level_open(&l, 0);
    e.now = 6387461.88582255;
    for (int k = 0; k < 6; k++)
        level_add(&e, &l, +1);
    for (int k = 0; k < 6; k++)
        level_add(&e, &l, -1);
    level_close(&l, 1e7);
    ck_assert_double_eq(l.area, 0);

    memset(&l, 0, sizeof l);
    level_open(&l, 1e6);
    double exact = 0;
    for (int k = 0; k < 1000; k++) {
        double t = 1e6 + 0.1 * k, d = 1e-7;
        double ts[4] = {t, t + d, t + 2 * d, t + 3 * d};
        static const int dn[4] = {+1, +1, -1, -1};
        for (int i = 0; i < 4; i++) {
            e.now = ts[i];
            level_add(&e, &l, dn[i]);
        }
        exact += (ts[1] - ts[0]) + 2 * (ts[2] - ts[1]) + (ts[3] - ts[2]);
    }
    level_close(&l, 1e6 + 200);
    ck_assert_double_ge(l.area, 0);
    ck_assert_msg(fabs(l.area - exact) <= 1e-12 * exact, "area %.17g, exact %.17g", l.area, exact);
}
END_TEST

/*
** Little's law with abandonment, by hand: one server, service 10, patience
** 5, arrivals 0 1 2 3 (data/little.csv), horizon 100. A is served 0-10; B,
** C, D abandon at 6, 7, 8. Stays 10 5 5 5: in_station 25 / 100 =
** departures_all (4) / 100 x stay (25 / 4). The sojourn of the served
** alone (10, 1 departure) gives 0.1.
*/
START_TEST(little_by_hand)
{
    static const char yaml[] = "name: little\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "classes:\n"
                               "  truck: {patience: 5}\n"
                               "arrivals:\n"
                               "  - {to: gate, trace: data/little.csv}\n"
                               "stations:\n"
                               "  gate: {servers: 1, service: 10}\n";
    struct th t;
    th_run(&t, "little_hand", yaml, 5);
    th_exact(&t, th_st(&t, "gate", TC_SM_IN_STATION), 0.25);
    th_exact(&t, th_st(&t, "gate", TC_SM_STAY), 25.0 / 4.0);
    th_exact(&t, th_st(&t, "gate", TC_SM_DEPARTURES_ALL), 4);
    th_exact(&t, th_st(&t, "gate", TC_SM_SOJOURN), 10);
    th_exact(&t, th_st(&t, "gate", TC_SM_DEPARTURES), 1);
    th_done(&t);
}
END_TEST

/*
** Little's law on an M/M/1 with exponential patience (Erlang-A with one
** server, offered load 1.2, so a good share abandons): per replication
** departures_all / window x stay estimates in_station; across
** replications the mean of the difference lies within its 95 % interval,
** and the two means agree within in_station's ci95.
*/
START_TEST(little_erlang_a)
{
    static const char yaml[] = "name: mm1+m\n"
                               "horizon: 20000\n"
                               "warmup: 500\n"
                               "replications: 10\n"
                               "seed: 2207\n"
                               "classes:\n"
                               "  truck: {patience: {dist: exponential, mean: 5}}\n"
                               "arrivals:\n"
                               "  - {to: gate, rate: 1.2/min}\n"
                               "stations:\n"
                               "  gate: {servers: 1, service: {dist: exponential, mean: 1}}\n";
    struct th t;
    th_run(&t, "little_mm1m", yaml, 1);
    double window = 20000 - 500, x[64], d[64], in[64];
    uint32_t n = t.run.n_reps;
    for (uint32_t r = 0; r < n; r++) {
        in[r] = tc_run_value(&t.run, r, th_st(&t, "gate", TC_SM_IN_STATION));
        x[r] = tc_run_value(&t.run, r, th_st(&t, "gate", TC_SM_DEPARTURES_ALL)) / window *
               tc_run_value(&t.run, r, th_st(&t, "gate", TC_SM_STAY));
        d[r] = in[r] - x[r];
    }
    double q = gsl_cdf_tdist_Pinv(0.975, n - 1.0) / sqrt((double)n);
    double md = gsl_stats_mean(d, 1, n), hd = q * gsl_stats_sd(d, 1, n);
    double mi = gsl_stats_mean(in, 1, n), hi = q * gsl_stats_sd(in, 1, n);
    double mx = gsl_stats_mean(x, 1, n);
    fprintf(stderr,
            "%-14s in_station %.6g +- %.3g, departures_all/window x stay %.6g, "
            "difference %.3g +- %.3g\n",
            t.name, mi, hi, mx, md, hd);
    ck_assert_msg(fabs(md) <= hd, "difference %g beyond its ci95 %g", md, hd);
    ck_assert_msg(fabs(mi - mx) <= hi, "%g and %g differ by more than ci95 %g", mi, mx, hi);
    ck_assert(mi > 1); /* a queue worth the name */
    t.n_done++;
    th_done(&t);
}
END_TEST

/* ---- engine runs with the trace callback ---- */

struct rows {
    uint32_t n_stations;
    uint32_t n, n_bad;
    double last[2 * TC_TRACE__COUNT]; /* the first record's times, 2 stations */
    double arrivals_by_bin[64];
    double bin;
};

static void on_truck(void *ud, const struct tc_truck_record *r)
{
    struct rows *w = ud;
    if (w->n == 0)
        for (uint32_t k = 0; k < w->n_stations * TC_TRACE__COUNT && k < 2 * TC_TRACE__COUNT; k++)
            w->last[k] = r->st_times[k];
    w->n++;
    for (uint32_t s = 0; s < w->n_stations; s++) {
        const double *v = r->st_times + (size_t)s * TC_TRACE__COUNT;
        double a = v[TC_TRACE_ARRIVE], b = v[TC_TRACE_START], c = v[TC_TRACE_LEAVE];
        if ((!isnan(b) && !(a <= b)) || (!isnan(c) && !(a <= c)) ||
            (!isnan(c) && !isnan(b) && !(b <= c)))
            w->n_bad++;
    }
    if (w->bin > 0 && r->outcome != TC_OUT_REJECTED) {
        size_t k = (size_t)(r->t_arrive / w->bin);
        if (k < 64)
            w->arrivals_by_bin[k]++;
    }
}

/* One replication of yaml (relative to tests/border) with the trace callback. */
static void run_traced(const char *yaml, struct rows *w)
{
    struct tc_scenario *sc = th_load("traced", yaml);
    struct tc_metrics m;
    tc_metrics_init(&m, sc);
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, sc->seed, 1);
    double *vals = calloc(m.n, sizeof(double));
    w->n_stations = sc->n_stations;
    struct tc_engine *e = tc_engine_new(sc, &m, 0, seeds);
    tc_engine_set_trace(e, on_truck, w);
    tc_engine_run(e, vals, NULL);
    ck_assert_int_eq(tc_engine_status(e), TC_ENGINE_DONE);
    tc_engine_free(e);
    free(vals);
    free(seeds);
    tc_metrics_fini(&m);
    tc_scenario_free(sc);
}

/*
** A truck loops a -> b -> a ... (service 1 each; a route must lead to
** exit, so a sends one truck in 10^9 out, not this one, the seed fixed)
** from 0 to the horizon 4.5: at the horizon it is in service at a since 4, having left b at 4.
** Its row shows the last visit of each: a 4, 4, (none); b 3, 3, 4. The old
** row kept a's leave from the visit before (3): arrive 4 > leave 3.
*/
START_TEST(trace_loop_by_hand)
{
    static const char yaml[] =
        "name: loop\n"
        "horizon: 4.5\n"
        "arrivals:\n"
        "  - {to: a, trace: data/one.csv}\n"
        "stations:\n"
        "  a: {servers: 1, service: 1,\n"
        "      next: [{to: b, p: 0.999999999}, {to: exit, p: 0.000000001}]}\n"
        "  b: {servers: 1, service: 1, next: a}\n";
    struct rows w;
    memset(&w, 0, sizeof w);
    run_traced(yaml, &w);
    ck_assert_uint_eq(w.n, 1);
    ck_assert_uint_eq(w.n_bad, 0);
    ck_assert_double_eq(w.last[TC_TRACE_ARRIVE], 4);
    ck_assert_double_eq(w.last[TC_TRACE_START], 4);
    ck_assert(isnan(w.last[TC_TRACE_LEAVE]));
    ck_assert_double_eq(w.last[TC_TRACE__COUNT + TC_TRACE_ARRIVE], 3);
    ck_assert_double_eq(w.last[TC_TRACE__COUNT + TC_TRACE_START], 3);
    ck_assert_double_eq(w.last[TC_TRACE__COUNT + TC_TRACE_LEAVE], 4);
}
END_TEST

/* A random feedback loop with queues: every row of every truck is ordered. */
START_TEST(trace_feedback_loop)
{
    static const char yaml[] =
        "name: feedback\n"
        "horizon: 2000\n"
        "seed: 5\n"
        "arrivals:\n"
        "  - {to: a, rate: 0.3/min}\n"
        "stations:\n"
        "  a: {servers: 1, service: {dist: exponential, mean: 1},\n"
        "      next: [{to: b, p: 0.5}, {to: exit, p: 0.5}]}\n"
        "  b: {servers: 1, service: {dist: exponential, mean: 1}, next: a}\n";
    struct rows w;
    memset(&w, 0, sizeof w);
    run_traced(yaml, &w);
    ck_assert_uint_gt(w.n, 400);
    ck_assert_uint_eq(w.n_bad, 0);
}
END_TEST

/*
** Booking and rate_factor: wishes every minute from 1 (interarrival 1),
** slots with room for all and no punctuality, so each truck arrives inside
** the slot of its wish; a rate_factor of 0 at 1440 stops the wishes from
** then on (the change comes before a wish at 1440 itself). With 60-minute
** slots: 59 arrivals in hour 0 (wishes 1 ... 59), 60 in each hour up to 23,
** none after; with 240-minute slots: 239, then 240 in each slot up to the
** sixth, none after. Before, the requests made a slot ahead kept coming:
** a whole slot of arrivals after 1440.
*/
START_TEST(booking_rate_factor_by_wish)
{
    static const char fmt[] = "name: book\n"
                              "horizon: 2880\n"
                              "arrivals:\n"
                              "  - {name: s, to: yard, interarrival: 1,\n"
                              "     booking: {slot: %d, per_slot: 100000, punctuality: 0}}\n"
                              "stations:\n"
                              "  yard: {servers: unlimited, service: 0}\n"
                              "events:\n"
                              "  - {arrivals: s, at: 1440, rate_factor: 0}\n";
    static const int slots[] = {60, 240};
    for (int i = 0; i < 2; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml, fmt, slots[i]);
        struct rows w;
        memset(&w, 0, sizeof w);
        w.bin = slots[i];
        run_traced(yaml, &w);
        int n_bins = 2880 / slots[i], open = 1440 / slots[i];
        for (int k = 0; k < n_bins; k++) {
            double want = k >= open ? 0 : k == 0 ? slots[i] - 1 : slots[i];
            ck_assert_msg(w.arrivals_by_bin[k] == want, "slot %d of %d: %g arrivals, %g expected",
                          k, slots[i], w.arrivals_by_bin[k], want);
        }
        ck_assert_uint_eq(w.n, 1440 - 1);
    }
}
END_TEST

/*
** The reproducer: 60/h booked in 1-h or 4-h slots, factor 0 at 24 h; with
** the warm-up at 24 h, `arrived` counts the arrivals after it: none (45 and
** 193 before).
*/
START_TEST(booking_rate_factor_reproducer)
{
    static const char fmt[] = "name: book\n"
                              "horizon: 2 d\n"
                              "warmup: 24 h\n"
                              "replications: 3\n"
                              "arrivals:\n"
                              "  - {name: s, to: yard, rate: 60/h,\n"
                              "     booking: {slot: %s, per_slot: 100000}}\n"
                              "stations:\n"
                              "  yard: {servers: unlimited, service: 0}\n"
                              "events:\n"
                              "  - {arrivals: s, at: 24 h, rate_factor: 0}\n";
    static const char *const slots[] = {"1 h", "4 h"};
    for (int i = 0; i < 2; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml, fmt, slots[i]);
        struct th t;
        th_run(&t, "book_repro", yaml, 1);
        bd_exact_all(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 0);
        th_done(&t);
    }
}
END_TEST

static Suite *invariants_suite(void)
{
    Suite *s = suite_create("border_invariants");
    TCase *tc = tcase_create("invariants");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, warmup_fractions_reproducer);
    tcase_add_test(tc, warmup_fractions_by_hand);
    tcase_add_test(tc, rejection_balance_by_hand);
    tcase_add_test(tc, balance_network);
    tcase_add_test(tc, balance_crisis);
    tcase_add_test(tc, utilization_finite_stretches);
    tcase_add_test(tc, utilization_reproducers);
    tcase_add_test(tc, level_area_exact_in_sign);
    tcase_add_test(tc, little_by_hand);
    tcase_add_test(tc, little_erlang_a);
    tcase_add_test(tc, trace_loop_by_hand);
    tcase_add_test(tc, trace_feedback_loop);
    tcase_add_test(tc, booking_rate_factor_by_wish);
    tcase_add_test(tc, booking_rate_factor_reproducer);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(invariants_suite)
