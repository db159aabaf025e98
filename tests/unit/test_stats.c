/* stats: tallies and the log-bucketed histogram's quantile error bound. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "engine/stats.h"
#include "tc_check.h"

START_TEST(tally_mean_max)
{
    struct tc_tally t = {0};
    ck_assert(isnan(tc_tally_mean(&t)));
    tc_tally_add(&t, -3);
    tc_tally_add(&t, 5);
    tc_tally_add(&t, 1);
    ck_assert_double_eq(tc_tally_mean(&t), 1.0);
    ck_assert_double_eq(t.max, 5.0);
    ck_assert_uint_eq(t.n, 3);
}
END_TEST

START_TEST(hist_constant_is_exact)
{
    struct tc_hist h;
    tc_hist_init(&h);
    for (int i = 0; i < 1000; i++)
        tc_hist_add(&h, 17.25);
    ck_assert_double_eq(tc_hist_quantile(&h, 0.5), 17.25);
    ck_assert_double_eq(tc_hist_quantile(&h, 0.99), 17.25);
    tc_hist_fini(&h);
}
END_TEST

START_TEST(hist_zeros_and_empty)
{
    struct tc_hist h;
    tc_hist_init(&h);
    ck_assert(isnan(tc_hist_quantile(&h, 0.5)));
    for (int i = 0; i < 60; i++)
        tc_hist_add(&h, 0);
    for (int i = 0; i < 40; i++)
        tc_hist_add(&h, 10);
    ck_assert_double_eq(tc_hist_quantile(&h, 0.5), 0);
    ck_assert_double_eq(tc_hist_quantile(&h, 0.6), 0);
    ck_assert_double_eq(tc_hist_quantile(&h, 0.61), 10);
    tc_hist_fini(&h);
}
END_TEST

/* Against the exact order statistic of the same sample: within 1/256 relative. */
START_TEST(hist_error_bound)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    const size_t n = 200000;
    double *x = malloc(n * sizeof(*x));
    struct tc_hist h;
    tc_hist_init(&h);
    for (size_t i = 0; i < n; i++) {
        /* heavy-tailed: lognormal with sigma 2 */
        x[i] = gsl_ran_lognormal(r, 1.0, 2.0);
        tc_hist_add(&h, x[i]);
    }
    gsl_sort(x, 1, n);
    double qs[] = {0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0};
    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        size_t rank = (size_t)ceil(qs[i] * (double)n);
        double exact = x[rank - 1];
        double est = tc_hist_quantile(&h, qs[i]);
        ck_assert_msg(fabs(est - exact) <= exact / 256.0 * 1.0000001, "q=%g exact=%g est=%g", qs[i],
                      exact, est);
    }
    free(x);
    tc_hist_fini(&h);
    gsl_rng_free(r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("tally");
    tcase_add_test(tc, tally_mean_max);
    suite_add_tcase(s, tc);
    tc = tcase_create("hist");
    tcase_add_test(tc, hist_constant_is_exact);
    tcase_add_test(tc, hist_zeros_and_empty);
    tcase_add_test(tc, hist_error_bound);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(suite)
