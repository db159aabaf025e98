/*
** Time-varying Poisson arrivals into an infinite-server yard with
** exponential dwell (M_t/M/inf): the mean number present m(t) is the
** periodic solution of m' = lambda(t) - mu m (tc_exact_mt_minf, tested in
** tests/unit), whatever the profile. The simulated m at a time of the
** cycle is the per-replication average of the time-series samples at that
** time over the whole cycles after warmup; the daily time average
** in_station must equal mean(lambda) / mu. Rule: tc_theory.h (one
** Bonferroni family per test, each check one of its members).
*/
#include "border.h"
#include "run/exact.h"

/* The hourly profile of the example in scenarios/README.md. */
static const double profile24[24] = {0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 1.0, 1.4, 1.6, 1.6, 1.5, 1.4,
                                     1.3, 1.3, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3};

/*
** 10/h x the hourly profile, dwell exponential with mean 2 h (mu 0.5/h),
** time_unit h. Relaxation time 2 h: warmup 1 d is 12 of them. 100 days
** after warmup, samples every hour: m at each whole hour (24 checks) and
** the time average (1 check).
*/
START_TEST(hourly_profile)
{
    static const char yaml[] =
        "name: M_t/M/inf hourly\n"
        "time_unit: h\n"
        "horizon: 101 d\n"
        "warmup: 1 d\n"
        "replications: 20\n"
        "seed: 1001\n"
        "sample_every: 1 h\n"
        "arrivals:\n"
        "  - to: yard\n"
        "    rate: 10/h\n"
        "    hourly: [0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 1.0, 1.4, 1.6, 1.6, 1.5, 1.4,\n"
        "             1.3, 1.3, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3]\n"
        "stations:\n"
        "  yard:\n"
        "    servers: unlimited\n"
        "    service: {dist: exponential, mean: 2 h}\n"
        "    next: exit\n";
    double lambda[24], m[24];
    for (int h = 0; h < 24; h++)
        lambda[h] = 10 * profile24[h];
    double avg = tc_exact_mt_minf(24, lambda, 1.0, 0.5, m);
    double sum = 0;
    for (int h = 0; h < 24; h++)
        sum += lambda[h];
    ck_assert_double_eq_tol(avg, sum / 24 / 0.5, 1e-9); /* mean(lambda) / mu */
    struct th t;
    th_run(&t, "mt_hourly", yaml, 25);
    ck_assert_uint_eq(t.run.n_samples, 101 * 24 + 1);
    double v[64];
    ck_assert_uint_le(t.run.n_reps, 64);
    for (uint32_t h = 0; h < 24; h++) {
        for (uint32_t r = 0; r < t.run.n_reps; r++) {
            double s = 0;
            for (uint32_t d = 1; d <= 100; d++)
                s += bd_series(&t, r, 24 * d + h, "yard", TC_TS_PRESENT);
            v[r] = s / 100;
        }
        char what[32];
        snprintf(what, sizeof what, "yard.present@%02u:00", h);
        bd_check_values(&t, what, v, m[h]);
    }
    th_check(&t, th_st(&t, "yard", TC_SM_IN_STATION), avg);
    th_done(&t);
}
END_TEST

/*
** A daily profile only: 2/h x [1, 2, 0.5] by day, cycling, dwell
** exponential with mean 1 d (mu 1/24 per h), time_unit h. Pieces of one
** day: m at each midnight by day of the cycle (3 checks) and the time
** average over whole cycles, mean(lambda) / mu = (7/3) x 24 = 56.
** Warmup 15 d (15 relaxation times, 5 cycles); 100 cycles after it.
*/
START_TEST(daily_profile)
{
    static const char yaml[] = "name: M_t/M/inf daily\n"
                               "time_unit: h\n"
                               "horizon: 315 d\n"
                               "warmup: 15 d\n"
                               "replications: 20\n"
                               "seed: 1002\n"
                               "sample_every: 1 d\n"
                               "arrivals:\n"
                               "  - to: yard\n"
                               "    rate: 2/h\n"
                               "    daily: [1.0, 2.0, 0.5]\n"
                               "stations:\n"
                               "  yard:\n"
                               "    servers: unlimited\n"
                               "    service: {dist: exponential, mean: 1 d}\n"
                               "    next: exit\n";
    static const double lambda[3] = {2.0, 4.0, 1.0};
    double m[3];
    double avg = tc_exact_mt_minf(3, lambda, 24.0, 1.0 / 24.0, m);
    ck_assert_double_eq_tol(avg, 56.0, 1e-9);
    struct th t;
    th_run(&t, "mt_daily", yaml, 4);
    ck_assert_uint_eq(t.run.n_samples, 316);
    double v[64];
    ck_assert_uint_le(t.run.n_reps, 64);
    for (uint32_t p = 0; p < 3; p++) {
        for (uint32_t r = 0; r < t.run.n_reps; r++) {
            double s = 0;
            for (uint32_t c = 5; c < 105; c++)
                s += bd_series(&t, r, 3 * c + p, "yard", TC_TS_PRESENT);
            v[r] = s / 100;
        }
        char what[32];
        snprintf(what, sizeof what, "yard.present@day%u", p);
        bd_check_values(&t, what, v, m[p]);
    }
    th_check(&t, th_st(&t, "yard", TC_SM_IN_STATION), 56.0);
    th_done(&t);
}
END_TEST

static Suite *profiles_suite(void)
{
    Suite *s = suite_create("border_profiles");
    TCase *tc = tcase_create("profiles");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, hourly_profile);
    tcase_add_test(tc, daily_profile);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(profiles_suite)
