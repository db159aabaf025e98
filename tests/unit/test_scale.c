/*
** scale: KEY*=F. tc_dist_scale gives the law of F*X for every kind: its
** exact mean is F times the mean and its variance F^2 times the variance
** (tc_dist_mean/var, whose closed forms test_dist checks), and 200,000
** draws of a scaled exponential have a sample mean within 4 standard
** errors of F*m. On a loaded scenario, *=F lands on the right object: a
** stream's rate (its hourly profile kept as multipliers), an interarrival
** law (divided), one class's service or all of them, patience; bad keys
** and factors give their exact messages.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "tc_check.h"
#include "tcsim/dist.h"
#include "tcsim/scenario.h"

static void assert_rel(double got, double want, double rel, const char *what)
{
    ck_assert_msg(fabs(got - want) <= rel * fmax(fabs(want), 1e-300), "%s: got %.17g, want %.17g",
                  what, got, want);
}

START_TEST(test_every_kind_scales_mean_and_sd)
{
    static const struct {
        enum tc_dist_kind k;
        double p[3];
    } cases[] = {
        {TC_DIST_CONSTANT, {4, 0, 0}},  {TC_DIST_EXPONENTIAL, {4, 0, 0}},
        {TC_DIST_UNIFORM, {2, 7, 0}},   {TC_DIST_TRIANGULAR, {1, 2, 6}},
        {TC_DIST_NORMAL, {1, 2, 0}},    {TC_DIST_LOGNORMAL, {5, 3, 0}},
        {TC_DIST_GAMMA, {5, 2, 0}},     {TC_DIST_ERLANG, {3, 6, 0}},
        {TC_DIST_WEIBULL, {1.5, 4, 0}}, {TC_DIST_EMPIRICAL, {0, 0, 0}},
    };
    static const double vals[] = {1, 2, 7}, w[] = {1, 3, 1};
    const double f = 1.7;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tc_dist d;
        bool emp = cases[i].k == TC_DIST_EMPIRICAL;

        ck_assert_ptr_null(tc_dist_init(&d, cases[i].k, cases[i].p, emp ? vals : NULL,
                                        emp ? w : NULL, emp ? 3 : 0));
        double m = tc_dist_mean(&d), v = tc_dist_var(&d);

        ck_assert_ptr_null(tc_dist_scale(&d, f));
        ck_assert_int_eq(d.kind, cases[i].k);
        assert_rel(tc_dist_mean(&d), f * m, 1e-12, tc_dist_specs[cases[i].k].name);
        assert_rel(tc_dist_var(&d), f * f * v, 1e-12, tc_dist_specs[cases[i].k].name);
        tc_dist_fini(&d);
    }
}
END_TEST

START_TEST(test_scaled_exponential_samples_its_mean)
{
    struct tc_dist d;
    const double p[3] = {3.0, 0, 0};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double s = 0.0;
    const int n = 200000;

    gsl_rng_set(r, 20261207UL);
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_EXPONENTIAL, p, NULL, NULL, 0));
    ck_assert_ptr_null(tc_dist_scale(&d, 0.5));
    for (int i = 0; i < n; i++)
        s += tc_dist_sample(&d, r);
    /* mean 1.5, sd 1.5: the sample mean's se is 1.5/sqrt(n) */
    ck_assert_msg(fabs(s / n - 1.5) <= 4 * 1.5 / sqrt(n), "sample mean %g", s / n);
    ck_assert_str_eq(tc_dist_scale(&d, 0.0), "a scale factor must be a number > 0");
    ck_assert_double_eq(tc_dist_mean(&d), 1.5); /* unchanged after a refusal */
    tc_dist_fini(&d);
    gsl_rng_free(r);
}
END_TEST

static const char scen[] = "name: s\n"
                           "time_unit: min\n"
                           "horizon: 10 h\n"
                           "classes: {fruit: {patience: {dist: exponential, mean: 30 min}},"
                           " other: {}}\n"
                           "arrivals:\n"
                           "  - {name: north, class: fruit, to: gate, rate: 10/h,"
                           " hourly: [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,"
                           " 1, 1, 1, 1]}\n"
                           "  - {name: south, class: other, to: gate,"
                           " interarrival: {dist: uniform, min: 4 min, max: 8 min}}\n"
                           "stations:\n"
                           "  gate: {servers: 3, service: {fruit: 2 min, other: "
                           "{dist: gamma, mean: 5 min, sd: 2 min}}}\n";

static struct tc_scenario *load(const struct tc_override *o, size_t n, struct tc_diags *d)
{
    tc_diags_init(d);
    return tc_scenario_load_string(scen, strlen(scen), "s.yaml", NULL, o, n, d);
}

START_TEST(test_scenario_keys)
{
    struct tc_diags d;
    const struct tc_override o[] = {{"arrivals.north.rate*", "2"},
                                    {"arrivals.1.rate*", "0.5"},
                                    {"stations.gate.service.other*", "3"},
                                    {"stations.gate.service*", "1.5"},
                                    {"classes.fruit.patience*", "2"}};
    struct tc_scenario *sc = load(o, 5, &d);

    ck_assert_msg(sc != NULL, "%s", d.n ? d.v[0].msg : "");
    ck_assert_double_eq_tol(sc->sources[0].rate_per_t, 20.0 / 60.0, 1e-15);
    ck_assert_double_eq(sc->sources[0].hourly[1], 2.0); /* the profile is a multiplier */
    ck_assert_double_eq(tc_dist_mean(&sc->sources[1].interarrival), 12.0); /* 6 min / 0.5 */
    ck_assert_double_eq(sc->stations[0].service[0].p[0], 3.0);             /* 2 * 1.5 */
    ck_assert_double_eq(tc_dist_mean(&sc->stations[0].service[1]), 22.5);  /* 5 * 3 * 1.5 */
    ck_assert_double_eq(sc->stations[0].service[1].p[1], 9.0);
    ck_assert_double_eq(tc_dist_mean(&sc->classes[0].patience), 60.0);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_bad_scales)
{
    struct tc_diags d;
    const struct tc_override o[] = {
        {"arrivals.east.rate*", "2"},         {"arrivals.north.rate*", "2/h"},
        {"stations.gate.servers*", "2"},      {"classes.other.patience*", "2"},
        {"stations.gate.service.veg*", "-1"}, {"stations.gate.service.veg*", "2"}};
    static const char *want[] = {
        "no arrival stream \"east\"",
        "KEY*=F scales by F, a number > 0 without a unit, got \"2/h\"",
        ("KEY*=F scales stations.S.service, stations.S.service.CLASS, stations.S.failures.up or "
         ".down, classes.C.patience, arrivals.A.rate or arrivals.A.interarrival"),
        "class \"other\" has no patience to scale",
        "KEY*=F scales by F, a number > 0 without a unit, got \"-1\"",
        "no class named \"veg\"",
    };
    struct tc_scenario *sc = load(o, 6, &d);

    ck_assert_ptr_null(sc);
    ck_assert_uint_eq(d.n, 6);
    for (size_t i = 0; i < 6; i++) {
        ck_assert_str_eq(d.v[i].file, "--set");
        ck_assert_uint_eq(d.v[i].line, i + 1);
        ck_assert_str_eq(d.v[i].msg, want[i]);
    }
    tc_diags_fini(&d);
}
END_TEST

static Suite *scale_suite(void)
{
    Suite *s = suite_create("scale");
    TCase *tc = tcase_create("scale");

    tcase_add_test(tc, test_every_kind_scales_mean_and_sd);
    tcase_add_test(tc, test_scaled_exponential_samples_its_mean);
    tcase_add_test(tc, test_scenario_keys);
    tcase_add_test(tc, test_bad_scales);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(scale_suite)
