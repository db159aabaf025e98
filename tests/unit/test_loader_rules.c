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

/* ==== Rates need a unit ==== */

/* The reproducer: --set arrivals.0.rate=100 was 100 a minute. */
START_TEST(test_rate_bare_number_by_set)
{
    static const char text[] = HEAD "stations:\n  a: {service: 1 min}\n";
    struct tc_override o = {"arrivals.0.rate", "100"};
    struct tc_diags d;
    struct tc_scenario *sc;
    char *s;

    tc_diags_init(&d);
    sc = tc_scenario_load_string(text, strlen(text), "t.yaml", NULL, &o, 1, &d);
    s = diag_text(&d);
    ck_assert_str_eq(s, "--set:1: error: arrivals[0].rate: a rate needs a unit: 100/h, 2/min, "
                        "50/d, got \"100\"\n");
    ck_assert_ptr_null(sc);
    free(s);
    tc_diags_fini(&d);
}
END_TEST

/* With a unit the value is converted exactly: 100/h in minutes is 100/60. */
START_TEST(test_rate_with_unit_by_set)
{
    static const char text[] = HEAD "stations:\n  a: {servers: 2, service: 1 min}\n";
    struct tc_override o = {"arrivals.0.rate", "100/h"};
    struct tc_diags d;
    struct tc_scenario *sc;

    tc_diags_init(&d);
    sc = tc_scenario_load_string(text, strlen(text), "t.yaml", NULL, &o, 1, &d);
    ck_assert_uint_eq(d.n_err, 0);
    ck_assert_double_eq(sc->sources[0].rate_per_t, 100.0 / 60.0);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
}
END_TEST

/* The emitted file spells the unit (it must load again): 10/h in s is 1/360 per s. */
START_TEST(test_rate_emitted_with_unit)
{
    struct tc_scenario *sc, *back;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    sc = load_expect("name: t\ntime_unit: s\nhorizon: 1 d\narrivals:\n  - {to: a, rate: 10/h}\n"
                     "stations:\n  a: {service: 1 min}\n",
                     "");
    f = open_memstream(&buf, &len);
    ck_assert_int_eq(tc_scenario_emit(sc, f), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "  rate: 0.0027777777777777779/s\n"));
    back = load_expect(buf, "");
    ck_assert_double_eq(back->sources[0].rate_per_t, sc->sources[0].rate_per_t);
    tc_scenario_free(back);
    tc_scenario_free(sc);
    free(buf);
}
END_TEST

/* ==== YAML tags ==== */

/* A tag in a --set flow value is refused like one in the file, at --set:N (a plain
** --set value is text, never read as YAML). */
START_TEST(test_tag_in_set_value)
{
    static const char text[] = HEAD "stations:\n  a: {service: 1 min}\n";
    struct tc_override o = {"stations.a.open", "[!!python/object/apply:os.system \"06:00-22:00\"]"};
    struct tc_diags d;
    struct tc_scenario *sc;
    char *s;

    tc_diags_init(&d);
    sc = tc_scenario_load_string(text, strlen(text), "t.yaml", NULL, &o, 1, &d);
    s = diag_text(&d);
    ck_assert_str_eq(s, "--set:1: error: stations.a.open: YAML tag !!python/object/apply:os.system "
                        "is not allowed (tcsim would ignore it); only !!str on a value, !!map on a "
                        "mapping and !!seq on a list are\n");
    ck_assert_ptr_null(sc);
    free(s);
    tc_diags_fini(&d);
}
END_TEST

/* The tags that change nothing load the same values as no tag. */
START_TEST(test_tags_that_change_nothing)
{
    struct tc_scenario *sc = load_expect("name: !!str t\nhorizon: 1 d\narrivals: !!seq\n"
                                         "  - !!map {to: a, rate: !<tag:yaml.org,2002:str> 10/h}\n"
                                         "stations:\n  a: {service: 1 min}\n",
                                         "");

    ck_assert_str_eq(sc->name, "t");
    ck_assert_double_eq(sc->sources[0].rate_per_t, 10.0 / 60.0);
    tc_scenario_free(sc);
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

    tc = tcase_create("rates");
    tcase_add_test(tc, test_rate_bare_number_by_set);
    tcase_add_test(tc, test_rate_with_unit_by_set);
    tcase_add_test(tc, test_rate_emitted_with_unit);
    suite_add_tcase(s, tc);

    tc = tcase_create("tags");
    tcase_add_test(tc, test_tag_in_set_value);
    tcase_add_test(tc, test_tags_that_change_nothing);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(loader_rules_suite)
