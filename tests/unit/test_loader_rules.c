/*
** test_loader_rules: rules the loader enforces on what a hostile or careless
** file can say — routing sums, rate units, money bounds, YAML tags, event
** times, names — each checked through tc_scenario_load_string with its exact
** diagnostics, or with the exact values loaded when the input is accepted.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "tc_check.h"
#include "tcsim/scenario.h"

/* Every diagnostic, sorted and formatted, one a line. */
static char *diag_text(struct tc_diags *d)
{
    TC_VEC(char) s = {0};

    tc_diags_sort(d);
    for (size_t i = 0; i < d->n; i++) {
        int n = tc_diag_format(&d->v[i], NULL, 0);

        TC_VEC_GROW(s, s.n + (size_t)n + 2);
        tc_diag_format(&d->v[i], s.v + s.n, (size_t)n + 1);
        s.n += (size_t)n;
        s.v[s.n++] = '\n';
    }
    TC_VEC_GROW(s, s.n + 1);
    s.v[s.n] = '\0';
    return s.v;
}

/* Loads text; checks the diagnostics; returns the scenario (NULL iff an error). */
static struct tc_scenario *load_expect(const char *text, const char *diags)
{
    struct tc_diags d;
    struct tc_scenario *sc;
    char *s;

    tc_diags_init(&d);
    sc = tc_scenario_load_string(text, strlen(text), "t.yaml", NULL, NULL, 0, &d);
    s = diag_text(&d);
    ck_assert_str_eq(s, diags);
    ck_assert(d.n_err == 0 ? sc != NULL : sc == NULL);
    free(s);
    tc_diags_fini(&d);
    return sc;
}

#define HEAD "name: t\nhorizon: 1 d\narrivals:\n  - {to: a, rate: 10/h}\n"

/* ==== Routing probabilities ==== */

/* 0.333 + 0.666 is within 0.001 of 1: accepted and divided by its sum. */
START_TEST(test_prob_sum_rounding_normalised)
{
    struct tc_scenario *sc =
        load_expect(HEAD "stations:\n"
                         "  a: {service: 1 min, next: [{to: b, p: 0.333}, {to: exit, p: 0.666}]}\n"
                         "  b: {service: 1 min}\n",
                    "");
    const struct tc_route *r = &sc->stations[0].next;

    ck_assert_uint_eq(r->n, 2);
    ck_assert_double_eq(r->p[0], 0.333 / (0.333 + 0.666));
    ck_assert_double_eq(r->p[1], 0.666 / (0.333 + 0.666));
    ck_assert_double_eq_tol(r->p[0], 1.0 / 3.0, 1e-15);
    tc_scenario_free(sc);
}
END_TEST

/* Exact sums are left as written (so existing files draw as before). */
START_TEST(test_prob_sum_exact_untouched)
{
    struct tc_scenario *sc =
        load_expect(HEAD "stations:\n"
                         "  a: {service: 1 min, next: [{to: b, p: 0.1}, {to: b, p: 0.2}, "
                         "{to: exit, p: 0.7}]}\n"
                         "  b: {service: 1 min}\n",
                    "");

    ck_assert_double_eq(sc->stations[0].next.p[0], 0.1);
    ck_assert_double_eq(sc->stations[0].next.p[1], 0.2);
    ck_assert_double_eq(sc->stations[0].next.p[2], 0.7);
    tc_scenario_free(sc);
}
END_TEST

/* 0.998 is further off than 0.001: an error at the list. */
START_TEST(test_prob_sum_beyond_tolerance)
{
    load_expect(HEAD "stations:\n"
                     "  a: {service: 1 min, next: [{to: b, p: 0.333}, {to: exit, p: 0.665}]}\n"
                     "  b: {service: 1 min}\n",
                "t.yaml:6:29: error: stations.a.next: the probabilities must sum to 1, got "
                "0.998\n");
}
END_TEST

static Suite *loader_rules_suite(void)
{
    Suite *s = suite_create("loader_rules");
    TCase *tc;

    tc = tcase_create("routing");
    tcase_add_test(tc, test_prob_sum_rounding_normalised);
    tcase_add_test(tc, test_prob_sum_exact_untouched);
    tcase_add_test(tc, test_prob_sum_beyond_tolerance);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(loader_rules_suite)
