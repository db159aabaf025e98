/*
** Networks: an open Jackson network with a probabilistic branch and a
** feedback loop (product form, tc_exact_jackson; by the arrival theorem
** each visit sees the time-stationary state, so per-visit waits are the
** M/M/c ones), and a two-station tandem with finite capacities and
** blocking after service, solved exactly as a CTMC (tc_exact_tandem).
** Rule: tc_theory.h.
*/
#include "run/exact.h"
#include "tc_theory.h"

/*
** A (2 servers, mean 1.25) -> B 0.3 | C 0.7; B (1 server, mean 2) -> exit;
** C (2 servers, mean 1.8) -> A 0.2 | exit 0.8. Outside arrivals 1/min at A:
** lambda_A = 1 / (1 - 0.14) = 1.163, loads 0.727, 0.698, 0.733.
*/
START_TEST(jackson_branch_feedback)
{
    static const char yaml[] = "name: Jackson network with feedback\n"
                               "horizon: 100000\n"
                               "warmup: 3000\n"
                               "replications: 20\n"
                               "seed: 401\n"
                               "arrivals:\n"
                               "  - {to: A, rate: 1/min}\n"
                               "stations:\n"
                               "  A:\n"
                               "    servers: 2\n"
                               "    service: {dist: exponential, mean: 1.25}\n"
                               "    next:\n"
                               "      - {to: B, p: 0.3}\n"
                               "      - {to: C, p: 0.7}\n"
                               "  B:\n"
                               "    servers: 1\n"
                               "    service: {dist: exponential, mean: 2}\n"
                               "    next: exit\n"
                               "  C:\n"
                               "    servers: 2\n"
                               "    service: {dist: exponential, mean: 1.8}\n"
                               "    next:\n"
                               "      - {to: A, p: 0.2}\n"
                               "      - {to: exit, p: 0.8}\n";
    const double lambda0[3] = {1, 0, 0};
    const double p[9] = {0,   0.3, 0.7, /* A */
                         0,   0,   0,   /* B */
                         0.2, 0,   0};  /* C */
    const uint32_t c[3] = {2, 1, 2};
    const double mu[3] = {1 / 1.25, 1 / 2.0, 1 / 1.8};
    struct tc_exact_station ex[3];
    double t_sys;
    ck_assert(tc_exact_jackson(3, lambda0, p, c, mu, ex, &t_sys));
    ck_assert_double_eq_tol(ex[0].lambda, 1 / 0.86, 1e-12); /* by hand */

    struct th t;
    th_run(&t, "jackson", yaml, 7);
    static const char *const names[3] = {"A", "B", "C"};
    for (int i = 0; i < 3; i++) {
        th_check(&t, th_st(&t, names[i], TC_SM_WAIT), ex[i].wq);
        th_check(&t, th_st(&t, names[i], TC_SM_IN_STATION), ex[i].l);
    }
    th_check(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), t_sys);
    th_done(&t);
}
END_TEST

/*
** first: 2 servers (mean 1.5), capacity 4, rejects when full; second: 1
** server (mean 0.8), capacity 2. A truck done at first that finds second
** full stays blocked on its server. Poisson 1/min into first.
*/
START_TEST(blocking_tandem)
{
    static const char yaml[] = "name: blocking tandem\n"
                               "horizon: 50000\n"
                               "warmup: 500\n"
                               "replications: 20\n"
                               "seed: 402\n"
                               "arrivals:\n"
                               "  - {to: first, rate: 1/min}\n"
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
                               "    next: exit\n";
    struct tc_exact_station ex[2];
    tc_exact_tandem(1.0, 2, 1 / 1.5, 4, 1, 1 / 0.8, 2, ex);
    ck_assert(ex[0].blocked > 0.05); /* the case exercises blocking */

    struct th t;
    th_run(&t, "tandem", yaml, 8);
    th_check(&t, th_st(&t, "first", TC_SM_IN_STATION), ex[0].l);
    th_check(&t, th_st(&t, "first", TC_SM_WAITING), ex[0].lq);
    th_check(&t, th_st(&t, "first", TC_SM_BLOCKED), ex[0].blocked);
    th_check(&t, th_st(&t, "first", TC_SM_UTILIZATION), ex[0].util);
    th_check(&t, th_st(&t, "first", TC_SM_REJECTED_FRACTION), ex[0].p_loss);
    th_check(&t, th_st(&t, "second", TC_SM_IN_STATION), ex[1].l);
    th_check(&t, th_st(&t, "second", TC_SM_WAITING), ex[1].lq);
    th_check(&t, th_st(&t, "second", TC_SM_UTILIZATION), ex[1].util);
    /* nothing downstream of second can be full: it never blocks */
    ck_assert_double_eq(t.run.stats[th_st(&t, "second", TC_SM_BLOCKED)].max, 0.0);
    th_done(&t);
}
END_TEST

static Suite *networks_suite(void)
{
    Suite *s = suite_create("theory_networks");
    TCase *tc = tcase_create("networks");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, jackson_branch_feedback);
    tcase_add_test(tc, blocking_tandem);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(networks_suite)
