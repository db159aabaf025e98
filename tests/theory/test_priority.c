/*
** Non-preemptive priority against Cobham's formulas (tc_exact_prio_*):
** M/M/1 with two classes and a service rate per class, and M/M/3 with two
** classes and a common rate. The per-class mean wait at the station is the
** by_class metric; the overall wait and queue length follow by weighting
** with the arrival rates (Little). Rule: tc_theory.h.
*/
#include "run/exact.h"
#include "tc_theory.h"

/* M/M/1: hi 0.3/min with mean 0.8 min, lo 0.4/min with mean 1.2 min; rho 0.72. */
START_TEST(prio_mm1)
{
    static const char yaml[] = "name: priority M/M/1\n"
                               "horizon: 200000\n"
                               "warmup: 2000\n"
                               "replications: 20\n"
                               "seed: 301\n"
                               "classes:\n"
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
                               "    next: exit\n";
    const double lambda[2] = {0.3, 0.4}, mu[2] = {1 / 0.8, 1 / 1.2};
    double wq[2];
    ck_assert(tc_exact_prio_mm1(2, lambda, mu, wq));
    struct th t;
    th_run(&t, "prio_mm1", yaml, 5);
    th_check(&t, th_stcl(&t, "server", "hi", TC_SCM_WAIT), wq[0]);
    th_check(&t, th_stcl(&t, "server", "lo", TC_SCM_WAIT), wq[1]);
    th_check(&t, th_st(&t, "server", TC_SM_WAIT), (0.3 * wq[0] + 0.4 * wq[1]) / 0.7);
    th_check(&t, th_cl(&t, "hi", TC_CM_TIME_IN_SYSTEM), wq[0] + 0.8);
    th_check(&t, th_cl(&t, "lo", TC_CM_TIME_IN_SYSTEM), wq[1] + 1.2);
    th_done(&t);
}
END_TEST

/* M/M/3, common mean 1 min: hi 1.0/min, lo 1.4/min; rho 0.8. */
START_TEST(prio_mmc)
{
    static const char yaml[] = "name: priority M/M/3\n"
                               "horizon: 100000\n"
                               "warmup: 2000\n"
                               "replications: 20\n"
                               "seed: 302\n"
                               "classes:\n"
                               "  hi: {priority: 1}\n"
                               "  lo: {priority: 2}\n"
                               "arrivals:\n"
                               "  - {class: hi, to: lanes, rate: 1.0/min}\n"
                               "  - {class: lo, to: lanes, rate: 1.4/min}\n"
                               "stations:\n"
                               "  lanes:\n"
                               "    servers: 3\n"
                               "    discipline: priority\n"
                               "    service: {dist: exponential, mean: 1}\n"
                               "    next: exit\n";
    const double lambda[2] = {1.0, 1.4};
    double wq[2];
    ck_assert(tc_exact_prio_mmc(2, lambda, 1.0, 3, wq));
    struct th t;
    th_run(&t, "prio_mmc", yaml, 4);
    th_check(&t, th_stcl(&t, "lanes", "hi", TC_SCM_WAIT), wq[0]);
    th_check(&t, th_stcl(&t, "lanes", "lo", TC_SCM_WAIT), wq[1]);
    th_check(&t, th_st(&t, "lanes", TC_SM_WAIT), (1.0 * wq[0] + 1.4 * wq[1]) / 2.4);
    th_check(&t, th_st(&t, "lanes", TC_SM_WAITING), 1.0 * wq[0] + 1.4 * wq[1]);
    th_done(&t);
}
END_TEST

static Suite *priority_suite(void)
{
    Suite *s = suite_create("theory_priority");
    TCase *tc = tcase_create("cobham");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, prio_mm1);
    tcase_add_test(tc, prio_mmc);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(priority_suite)
