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
#include "model/scenario_offered.h"
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

/* ==== Names ==== */

/* Loads text with overrides; checks the diagnostics; returns the scenario. */
static struct tc_scenario *load_set(const char *text, const struct tc_override *o, size_t n,
                                    const char *diags)
{
    struct tc_diags d;
    struct tc_scenario *sc;
    char *s;

    tc_diags_init(&d);
    sc = tc_scenario_load_string(text, strlen(text), "t.yaml", NULL, o, n, &d);
    s = diag_text(&d);
    ck_assert_str_eq(s, diags);
    ck_assert(d.n_err == 0 ? sc != NULL : sc == NULL);
    free(s);
    tc_diags_fini(&d);
    return sc;
}

/* "Lạng" precomposed (NFC) and with a combining dot below (NFD). */
#define LANG_NFC "L\xe1\xba\xa1ng"
#define LANG_NFD "La\xcc\xa3ng"

/* Two spellings of one name are one station: NFD key, NFC reference, stored in NFC. */
START_TEST(test_names_nfc_one_station)
{
    struct tc_scenario *sc =
        load_expect("name: t\nhorizon: 1 d\narrivals:\n  - {to: \"" LANG_NFC
                    "\", rate: 10/h}\nstations:\n  \"" LANG_NFD "\": {service: 1 min}\n",
                    "");

    ck_assert_uint_eq(sc->n_stations, 1);
    ck_assert_str_eq(sc->stations[0].name, LANG_NFC);
    ck_assert_uint_eq(sc->sources[0].to, 0);
    tc_scenario_free(sc);
}
END_TEST

/* Both spellings as keys: a duplicate, reported as one. */
START_TEST(test_names_nfc_duplicate)
{
    load_expect("name: t\nhorizon: 1 d\narrivals:\n  - {to: x, rate: 10/h}\nstations:\n"
                "  x: {service: 1 min}\n  \"" LANG_NFC "\": {service: 1 min}\n  \"" LANG_NFD
                "\": {service: 1 min}\n",
                "t.yaml:8:3: error: stations." LANG_NFC ": duplicate station name (first at line "
                "7)\n");
}
END_TEST

/* A --set key in NFD reaches the NFC station. */
START_TEST(test_names_nfc_set_key)
{
    struct tc_override o = {"stations." LANG_NFD ".servers", "4"};
    struct tc_scenario *sc =
        load_set("name: t\nhorizon: 1 d\narrivals:\n  - {to: \"" LANG_NFC
                 "\", rate: 10/h}\nstations:\n  \"" LANG_NFC "\": {service: 1 min}\n",
                 &o, 1, "");

    ck_assert_uint_eq(sc->stations[0].servers, 4);
    tc_scenario_free(sc);
}
END_TEST

/* Control characters and the road: prefix, each a located error that shows the name escaped. */
START_TEST(test_names_rejected)
{
    load_expect("name: \"t\\e]0;x\\a\"\nhorizon: 1 d\nclasses:\n  \"a\\r\\nb\": {}\n  ok: {}\n"
                "arrivals:\n  - {name: \"s\\e[2J\", class: ok, to: x, rate: 10/h}\n"
                "stations:\n  x: {service: 1 min}\n  \"road:x\": {service: 1 min}\n"
                "  \"c1\\u0085\": {service: 1 min}\n",
                "t.yaml:1:7: error: name: a name must not hold control characters (escape, "
                "carriage return, line feed, tab ...): they would reach the terminal and the "
                "outputs raw; use printable text, got \"t?]0;x?\"\n"
                "t.yaml:4:3: error: classes: a name must not hold control characters (escape, "
                "carriage return, line feed, tab ...): they would reach the terminal and the "
                "outputs raw; use printable text, got \"a?\\nb\"\n"
                "t.yaml:7:12: error: arrivals[0].name: a name must not hold control characters "
                "(escape, carriage return, line feed, tab ...): they would reach the terminal and "
                "the outputs raw; use printable text, got \"s?[2J\"\n"
                "t.yaml:10:3: error: stations: a name must not start with \"road:\": the outputs "
                "name the road queue in front of station x \"road:x\", got \"road:x\"\n"
                "t.yaml:11:3: error: stations: a name must not hold control characters (escape, "
                "carriage return, line feed, tab ...): they would reach the terminal and the "
                "outputs raw; use printable text, got \"c1?\"\n");
}
END_TEST

/* Names that plain YAML would read as null, a boolean or a number are emitted quoted. */
START_TEST(test_names_emitted_quoted)
{
    static const char *const names[] = {"null", "~",    "true", "1e3",  "yes", "=",
                                        "<<",   "0x1F", "1:20", ".inf", "-1",  "Off"};
    char text[2048], want[64];
    size_t o;
    struct tc_scenario *sc, *back;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    o = (size_t)snprintf(text, sizeof(text), "name: \"null\"\nhorizon: 1 d\nclasses:\n");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        o += (size_t)snprintf(text + o, sizeof(text) - o, "  \"%s\": {}\n", names[i]);
    o += (size_t)snprintf(text + o, sizeof(text) - o, "arrivals:\n");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        o += (size_t)snprintf(text + o, sizeof(text) - o,
                              "  - {class: \"%s\", to: \"yes\", rate: 1/h}\n", names[i]);
    snprintf(text + o, sizeof(text) - o,
             "stations:\n  \"yes\": {servers: 9, service: 1 min}\n"
             "  plain: {service: 1 min}\n");
    sc = load_expect(text, "");
    f = open_memstream(&buf, &len);
    ck_assert_int_eq(tc_scenario_emit(sc, f), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "name: \"null\"\n"));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(want, sizeof(want), "\n  \"%s\": {", names[i]);
        ck_assert_msg(strstr(buf, want) != NULL, "%s not quoted in:\n%s", names[i], buf);
    }
    ck_assert_ptr_nonnull(strstr(buf, "\n  plain:\n"));
    back = load_expect(buf, "");
    ck_assert_str_eq(back->name, "null");
    ck_assert_uint_eq(back->n_classes, sc->n_classes);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        ck_assert_str_eq(back->classes[c].name, names[c]);
    ck_assert_str_eq(back->stations[0].name, "yes");
    ck_assert_uint_eq(back->stations[0].servers, 9);
    tc_scenario_free(back);
    tc_scenario_free(sc);
    free(buf);
}
END_TEST

#define DOTTED                                                                                     \
    "name: t\nhorizon: 1 d\narrivals:\n  - {name: in.1, to: gate.1, rate: 10/h}\n"                 \
    "stations:\n  gate.1: {service: 1 min}\n"

/* A quoted key part targets a name holding a dot; \" escapes a quote. */
START_TEST(test_set_quoted_component)
{
    struct tc_override o[] = {{"stations.\"gate.1\".servers", "3"},
                              {"arrivals.\"in.1\".rate", "20/h"}};
    struct tc_scenario *sc = load_set(DOTTED, o, 2, "");

    ck_assert_uint_eq(sc->stations[0].servers, 3);
    ck_assert_double_eq(sc->sources[0].rate_per_t, 20.0 / 60.0);
    tc_scenario_free(sc);
}
END_TEST

/* "did you mean" offers the spelling that can be typed. */
START_TEST(test_set_suggests_quoted)
{
    struct tc_override o = {"stations.gate1.servers", "3"};

    load_set(DOTTED, &o, 1,
             "--set:1: error: stations.gate1.servers: no key \"gate1\" in stations; did you mean "
             "\"gate.1\"? A name with a dot is written in double quotes: stations.\"gate.1\"\n");
}
END_TEST

/* An unclosed quote, or text after the closing one, is a malformed key. */
START_TEST(test_set_bad_quotes)
{
    struct tc_override o[] = {{"stations.\"gate.1.servers", "3"},
                              {"stations.\"gate.1\"x.servers", "3"}};

    load_set(DOTTED, o, 2,
             "--set:1: error: stations.\"gate.1.servers: a quoted part of KEY must end with a "
             "double quote followed by a dot or the end, as in stations.\"gate.1\".servers\n"
             "--set:2: error: stations.\"gate.1\"x.servers: a quoted part of KEY must end with a "
             "double quote followed by a dot or the end, as in stations.\"gate.1\".servers\n");
}
END_TEST

/* ==== Choices ==== */

/* A choice as loaded: the rule, the members in order, per-class rows, thresholds in time_unit. */
START_TEST(test_choice_loaded)
{
    struct tc_scenario *sc = load_expect(
        "name: t\nhorizon: 1 d\nclasses: {fruit: {}, general: {}}\n"
        "arrivals:\n"
        "  - {class: fruit, rate: 1/h, to: {choose: most_room, among: [b, a], classes: "
        "{fruit: [a]}, divert_above: 7, divert_above_wait: 6 h}}\n"
        "stations:\n  a: {servers: 1, service: 5 min}\n  b: {servers: 1, service: 5 min}\n",
        "");
    const struct tc_route *r = sc->sources[0].choose;

    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->kind, TC_ROUTE_CHOOSE);
    ck_assert_int_eq(r->rule, TC_CHOOSE_MOST_ROOM);
    ck_assert_uint_eq(r->n, 2);
    ck_assert_uint_eq(r->targets[0], 1); /* b, as listed */
    ck_assert_uint_eq(r->targets[1], 0);
    ck_assert_uint_eq(sc->sources[0].to, 1); /* the first member */
    /* fruit may take a only; general, not named, both */
    ck_assert(!r->allowed[0 * 2 + 0] && r->allowed[0 * 2 + 1]);
    ck_assert(r->allowed[1 * 2 + 0] && r->allowed[1 * 2 + 1]);
    ck_assert_uint_eq(r->divert_above, 7);
    ck_assert_double_eq(r->divert_above_wait, 360); /* 6 h in min */
    tc_scenario_free(sc);
}
END_TEST

/*
** The load warning shares a choice's flow by capacity (servers / mean
** service): into a (1 server) and b (5), 1 min each, both then c (8
** servers). At 3/min a takes 1/6 and b 5/6: loads 0.5 and 0.5, no warning
** (an even split would have warned a at 1.5), c 3 / 8 (the shares add up
** again). At 7/min together they cannot keep up: both 7/6, c 7/8. The
** optimize screen leaves a and b out (their share is decided at run time)
** and keeps c.
*/
START_TEST(test_choice_load_shares)
{
#define CHOICE_NET(rate)                                                                           \
    "name: t\nhorizon: 1 d\n"                                                                      \
    "arrivals:\n  - {rate: " rate ", to: {choose: fewest_present, among: [a, b]}}\n"               \
    "stations:\n"                                                                                  \
    "  a: {servers: 1, service: 1 min, next: c}\n"                                                 \
    "  b: {servers: 5, service: 1 min, next: c}\n"                                                 \
    "  c: {servers: 8, service: 1 min}\n"
    struct tc_scenario *sc = load_expect(CHOICE_NET("3/min"), "");
    double *rho = tc_scenario_offered_load_new(sc);

    ck_assert(isnan(rho[0]) && isnan(rho[1]));
    ck_assert_double_eq_tol(rho[2], 3.0 / 8.0, 1e-12);
    free(rho);
    tc_scenario_free(sc);
    sc = load_expect(CHOICE_NET("7/min"),
                     "t.yaml:6:3: warning: stations.a: load 1.17 >= 1: queues will grow without "
                     "bound\n"
                     "t.yaml:7:3: warning: stations.b: load 1.17 >= 1: queues will grow without "
                     "bound\n");
    tc_scenario_free(sc);
#undef CHOICE_NET
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

    tc = tcase_create("choices");
    tcase_add_test(tc, test_choice_loaded);
    tcase_add_test(tc, test_choice_load_shares);
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

    tc = tcase_create("names");
    tcase_add_test(tc, test_names_nfc_one_station);
    tcase_add_test(tc, test_names_nfc_duplicate);
    tcase_add_test(tc, test_names_nfc_set_key);
    tcase_add_test(tc, test_names_rejected);
    tcase_add_test(tc, test_names_emitted_quoted);
    tcase_add_test(tc, test_set_quoted_component);
    tcase_add_test(tc, test_set_suggests_quoted);
    tcase_add_test(tc, test_set_bad_quotes);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(loader_rules_suite)
