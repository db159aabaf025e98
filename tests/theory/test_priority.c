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

/*
** Cobham's formula for non-preemptive priority M/M/c with a common service
** rate mu, computed here from scratch: with a = lambda / mu offered load,
** rho = a / c, the Erlang C probability of waiting
**     C = (a^c / c!) / (1 - rho) / (sum_{k<c} a^k / k! + (a^c / c!) / (1 - rho)),
** W0 = C / (c mu) (the mean residual time until some server frees, for a
** truck that must wait, times the probability of waiting), and class k
** (1 = best) waits W_k = W0 / ((1 - s_{k-1}) (1 - s_k)), s_k the load
** sum_{i<=k} lambda_i / (c mu). One class gives the M/M/c wait C / (c mu - lambda).
*/
static void cobham_mmc(uint32_t n, const double *lambda, double mu, uint32_t c, double *wq)
{
    double lam = 0;
    for (uint32_t k = 0; k < n; k++)
        lam += lambda[k];
    double a = lam / mu, rho = a / c, term = 1, sum = 0;
    for (uint32_t k = 0; k < c; k++) {
        sum += term; /* a^k / k! */
        term *= a / (k + 1);
    }
    double top = term / (1 - rho);
    double w0 = top / (sum + top) / (c * mu);
    double s_prev = 0;
    for (uint32_t k = 0; k < n; k++) {
        double s_k = s_prev + lambda[k] / (c * mu);
        wq[k] = w0 / ((1 - s_prev) * (1 - s_k));
        s_prev = s_k;
    }
}

/*
** M/M/2 with two classes, common mean 1 min, hi 0.6/min, lo 0.8/min
** (rho 0.7), two ways: the queue forms in an unlimited yard (dwell 0,
** release: priority) in front of FIFO lanes with capacity 2, so the yard
** stay is the wait; or inside the lanes (discipline priority). Both give
** Cobham's waits (hi 0.4118, lo 1.3725 min), and the lanes' own wait
** behind the yard is 0.
*/
START_TEST(prio_mmc_yard)
{
    static const char head[] = "name: priority M/M/2 %s\n"
                               "horizon: 100000\n"
                               "warmup: 2000\n"
                               "replications: 20\n"
                               "seed: 303\n"
                               "classes:\n"
                               "  hi: {priority: 1}\n"
                               "  lo: {priority: 2}\n"
                               "arrivals:\n"
                               "  - {class: hi, to: %s, rate: 0.6/min}\n"
                               "  - {class: lo, to: %s, rate: 0.8/min}\n"
                               "stations:\n";
    static const char lanes[] = "  lanes:\n"
                                "    servers: 2\n"
                                "    capacity: %s\n"
                                "    discipline: %s\n"
                                "    service: {dist: exponential, mean: 1}\n"
                                "    next: exit\n";
    const double lambda[2] = {0.6, 0.8};
    double wq[2], wq_lib[2];
    cobham_mmc(2, lambda, 1.0, 2, wq);
    ck_assert(tc_exact_prio_mmc(2, lambda, 1.0, 2, wq_lib));
    for (int k = 0; k < 2; k++)
        ck_assert_double_eq_tol(wq[k], wq_lib[k], 1e-12);
    char yaml[2048];
    int n = snprintf(yaml, sizeof yaml, head, "behind a yard", "yard", "yard");
    n += snprintf(yaml + n, sizeof yaml - (size_t)n,
                  "  yard: {servers: unlimited, service: 0, release: priority, next: lanes}\n");
    snprintf(yaml + n, sizeof yaml - (size_t)n, lanes, "2", "fifo");
    struct th t;
    th_run(&t, "prio_mmc_yard", yaml, 5);
    th_check(&t, th_stcl(&t, "yard", "hi", TC_SCM_SOJOURN), wq[0]);
    th_check(&t, th_stcl(&t, "yard", "lo", TC_SCM_SOJOURN), wq[1]);
    th_check(&t, th_cl(&t, "hi", TC_CM_TIME_IN_SYSTEM), wq[0] + 1);
    th_check(&t, th_cl(&t, "lo", TC_CM_TIME_IN_SYSTEM), wq[1] + 1);
    th_exact(&t, th_st(&t, "lanes", TC_SM_WAIT), 0);
    th_done(&t);

    n = snprintf(yaml, sizeof yaml, head, "inside the lanes", "lanes", "lanes");
    snprintf(yaml + n, sizeof yaml - (size_t)n, lanes, "unlimited", "priority");
    th_run(&t, "prio_mmc_in", yaml, 2);
    th_check(&t, th_stcl(&t, "lanes", "hi", TC_SCM_WAIT), wq[0]);
    th_check(&t, th_stcl(&t, "lanes", "lo", TC_SCM_WAIT), wq[1]);
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
    tcase_add_test(tc, prio_mmc_yard);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(priority_suite)
