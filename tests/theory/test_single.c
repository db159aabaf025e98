/*
** Single stations against exact birth-death results (tc_exact_*): M/M/1,
** M/M/c (Erlang C), M/M/c/K with rejection, the Erlang B loss system built
** both as a holding yard (unlimited servers, K slots) and as a lane group
** (N servers, capacity N), and the road queue in front of a station with no
** waiting room, which is exactly the Erlang C queue. Rule: tc_theory.h.
*/
#include "run/exact.h"
#include "tc_theory.h"

/* M/M/1, rho 0.7: relaxation time about 1/(mu (1 - sqrt(rho))^2) = 38, warmup 2000. */
START_TEST(mm1)
{
    static const char yaml[] = "name: M/M/1 rho 0.7\n"
                               "horizon: 150000\n"
                               "warmup: 2000\n"
                               "replications: 20\n"
                               "seed: 101\n"
                               "arrivals:\n"
                               "  - {to: server, rate: 0.7/min}\n"
                               "stations:\n"
                               "  server:\n"
                               "    servers: 1\n"
                               "    service: {dist: exponential, mean: 1}\n"
                               "    next: exit\n";
    struct tc_exact_station ex;
    ck_assert(tc_exact_mm1(0.7, 1.0, &ex));
    struct th t;
    th_run(&t, "mm1", yaml, 6);
    th_check(&t, th_st(&t, "server", TC_SM_WAIT), ex.wq);
    th_check(&t, th_st(&t, "server", TC_SM_SOJOURN), ex.w);
    th_check(&t, th_st(&t, "server", TC_SM_IN_STATION), ex.l);
    th_check(&t, th_st(&t, "server", TC_SM_WAITING), ex.lq);
    th_check(&t, th_st(&t, "server", TC_SM_UTILIZATION), ex.util);
    th_check(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), ex.w);
    th_done(&t);
}
END_TEST

/* M/M/4, rho 0.8 (Erlang C about 0.596). */
START_TEST(mmc_erlang_c)
{
    static const char yaml[] = "name: M/M/4 rho 0.8\n"
                               "horizon: 100000\n"
                               "warmup: 2000\n"
                               "replications: 20\n"
                               "seed: 102\n"
                               "arrivals:\n"
                               "  - {to: lanes, rate: 3.2/min}\n"
                               "stations:\n"
                               "  lanes:\n"
                               "    servers: 4\n"
                               "    service: {dist: exponential, mean: 1}\n"
                               "    next: exit\n";
    struct tc_exact_station ex;
    ck_assert(tc_exact_mmc(3.2, 1.0, 4, &ex));
    struct th t;
    th_run(&t, "mmc", yaml, 4);
    th_check(&t, th_st(&t, "lanes", TC_SM_WAIT), ex.wq);
    th_check(&t, th_st(&t, "lanes", TC_SM_WAITING), ex.lq);
    th_check(&t, th_st(&t, "lanes", TC_SM_IN_STATION), ex.l);
    th_check(&t, th_st(&t, "lanes", TC_SM_UTILIZATION), ex.util);
    th_done(&t);
}
END_TEST

/* M/M/2/5 with rejection at offered load 2 Erlang: p_n = 1,2,2,2,2,2 / 11, loss 2/11. */
START_TEST(mmck_reject)
{
    static const char yaml[] = "name: M/M/2/5 reject\n"
                               "horizon: 50000\n"
                               "warmup: 500\n"
                               "replications: 20\n"
                               "seed: 103\n"
                               "arrivals:\n"
                               "  - {to: lanes, rate: 2/min}\n"
                               "stations:\n"
                               "  lanes:\n"
                               "    servers: 2\n"
                               "    capacity: 5\n"
                               "    when_full: reject\n"
                               "    service: {dist: exponential, mean: 1}\n"
                               "    next: exit\n";
    struct tc_exact_station ex;
    tc_exact_mmck(2.0, 1.0, 2, 5, NULL, &ex);
    ck_assert_double_eq_tol(ex.p_loss, 2.0 / 11.0, 1e-12); /* the birth-death sum by hand */
    struct th t;
    th_run(&t, "mmck", yaml, 4);
    th_check(&t, th_st(&t, "lanes", TC_SM_REJECTED_FRACTION), ex.p_loss);
    th_check(&t, th_st(&t, "lanes", TC_SM_IN_STATION), ex.l);
    th_check(&t, th_st(&t, "lanes", TC_SM_WAIT), ex.wq); /* of the admitted trucks */
    th_check(&t, th_st(&t, "lanes", TC_SM_UTILIZATION), ex.util);
    th_done(&t);
}
END_TEST

/*
** Erlang B, N = 10 at 8 Erlang, two ways in one scenario: a yard (unlimited
** servers, 10 slots; `busy`, the mean number in service, is the carried
** load, and it has no utilisation: no finite servers) and a lane
** group with 10 servers and no waiting room. Both lose what finds them full.
*/
START_TEST(erlang_b_yard)
{
    static const char yaml[] = "name: Erlang B, yard and lanes\n"
                               "horizon: 20000\n"
                               "warmup: 200\n"
                               "replications: 20\n"
                               "seed: 104\n"
                               "arrivals:\n"
                               "  - {to: yard, rate: 8/min}\n"
                               "  - {to: lanes, rate: 8/min}\n"
                               "stations:\n"
                               "  yard:\n"
                               "    servers: unlimited\n"
                               "    capacity: 10\n"
                               "    when_full: reject\n"
                               "    service: {dist: exponential, mean: 1}\n"
                               "    next: exit\n"
                               "  lanes:\n"
                               "    servers: 10\n"
                               "    capacity: 10\n"
                               "    when_full: reject\n"
                               "    service: {dist: exponential, mean: 1}\n"
                               "    next: exit\n";
    double b = tc_exact_erlang_b(10, 8.0);
    double l = 8.0 * (1.0 - b); /* carried load */
    struct th t;
    th_run(&t, "erlang_b", yaml, 6);
    th_check(&t, th_st(&t, "yard", TC_SM_REJECTED_FRACTION), b);
    th_check(&t, th_st(&t, "yard", TC_SM_IN_STATION), l);
    th_check(&t, th_st(&t, "yard", TC_SM_BUSY), l);
    th_check(&t, th_st(&t, "lanes", TC_SM_REJECTED_FRACTION), b);
    th_check(&t, th_st(&t, "lanes", TC_SM_IN_STATION), l);
    th_check(&t, th_st(&t, "lanes", TC_SM_UTILIZATION), l / 10.0);
    th_done(&t);
}
END_TEST

/*
** Road queue: 3 servers, capacity 3 (no waiting room), when_full: wait, at
** rho 0.8. The road is the Erlang C queue: road trucks = Lq, road wait = Wq,
** the station holds lambda/mu on average and nobody waits inside it.
*/
START_TEST(road_queue)
{
    static const char yaml[] = "name: road queue M/M/3\n"
                               "horizon: 100000\n"
                               "warmup: 2000\n"
                               "replications: 20\n"
                               "seed: 105\n"
                               "arrivals:\n"
                               "  - {to: gate, rate: 2.4/min}\n"
                               "stations:\n"
                               "  gate:\n"
                               "    servers: 3\n"
                               "    capacity: 3\n"
                               "    when_full: wait\n"
                               "    service: {dist: exponential, mean: 1}\n"
                               "    next: exit\n";
    struct tc_exact_station ex;
    ck_assert(tc_exact_mmc(2.4, 1.0, 3, &ex));
    struct th t;
    th_run(&t, "road", yaml, 4);
    th_check(&t, th_road(&t, "gate", TC_RM_TRUCKS), ex.lq);
    th_check(&t, th_cl(&t, "truck", TC_CM_ROAD_WAIT), ex.wq);
    th_check(&t, th_st(&t, "gate", TC_SM_IN_STATION), ex.l - ex.lq);
    th_check(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), ex.w);
    /* a truck let in from the road starts at once: no wait inside, in any replication */
    const struct tc_stat *w = &t.run.stats[th_st(&t, "gate", TC_SM_WAIT)];
    ck_assert_double_eq(w->max, 0.0);
    ck_assert_double_eq(w->min, 0.0);
    th_done(&t);
}
END_TEST

static Suite *single_suite(void)
{
    Suite *s = suite_create("theory_single");
    TCase *tc = tcase_create("single");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, mm1);
    tcase_add_test(tc, mmc_erlang_c);
    tcase_add_test(tc, mmck_reject);
    tcase_add_test(tc, erlang_b_yard);
    tcase_add_test(tc, road_queue);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(single_suite)
