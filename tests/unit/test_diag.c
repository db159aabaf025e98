/*
** diag: counting, exact GCC-style strings for every position form, a
** stable total sort, printing, and the "did you mean" rule.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tc_check.h"
#include "tcsim/diag.h"

static void assert_fmt(const struct tc_diag *g, const char *want)
{
    char buf[1024];
    int n = tc_diag_format(g, buf, sizeof(buf));

    ck_assert_str_eq(buf, want);
    ck_assert_int_eq(n, (int)strlen(want));
}

/* ------------------------------------------------------------------ add */

START_TEST(test_add_counts_errors_and_warnings)
{
    struct tc_diags d;
    struct tc_pos pos = {"x.yaml", 4, 7};
    char file[] = "tmp.yaml";
    struct tc_pos pos2 = {file, 9, 1};

    tc_diags_init(&d);
    ck_assert_uint_eq(d.n, 0);
    tc_diags_add(&d, TC_SEV_ERROR, &pos, "horizon", "expected %s, got \"%s\"", "a duration", "x");
    tc_diags_add(&d, TC_SEV_WARNING, NULL, "", "load %.2f >= 1", 1.25);
    tc_diags_add(&d, TC_SEV_ERROR, &pos2, NULL, "plain");
    /* The diagnostic owns copies: changing the caller's strings changes nothing. */
    file[0] = 'X';
    ck_assert_uint_eq(d.n, 3);
    ck_assert_uint_eq(d.n_err, 2);
    ck_assert_uint_eq(d.n_warn, 1);
    ck_assert_str_eq(d.v[0].file, "x.yaml");
    ck_assert_uint_eq(d.v[0].line, 4);
    ck_assert_uint_eq(d.v[0].col, 7);
    ck_assert_str_eq(d.v[0].path, "horizon");
    ck_assert_str_eq(d.v[0].msg, "expected a duration, got \"x\"");
    ck_assert_uint_eq(d.v[0].order, 0);
    ck_assert_str_eq(d.v[1].file, "");
    ck_assert_uint_eq(d.v[1].line, 0);
    ck_assert_uint_eq(d.v[1].col, 0);
    ck_assert_str_eq(d.v[1].msg, "load 1.25 >= 1");
    ck_assert_int_eq(d.v[1].sev, TC_SEV_WARNING);
    ck_assert_str_eq(d.v[2].file, "tmp.yaml");
    ck_assert_str_eq(d.v[2].path, "");
    ck_assert_uint_eq(d.v[2].order, 2);
    tc_diags_fini(&d);
    ck_assert_ptr_null(d.v);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_uint_eq(d.n_err, 0);
    tc_diags_fini(&d); /* twice is fine */
    tc_diags_fini(NULL);
}
END_TEST

START_TEST(test_add_many_keeps_every_diagnostic)
{
    struct tc_diags d;
    struct tc_pos pos = {"a.yaml", 1, 1};

    tc_diags_init(&d);
    for (int i = 0; i < 1000; i++)
        tc_diags_add(&d, i % 3 ? TC_SEV_ERROR : TC_SEV_WARNING, &pos, "k", "m%d", i);
    ck_assert_uint_eq(d.n, 1000);
    ck_assert_uint_eq(d.n_warn, 334);
    ck_assert_uint_eq(d.n_err, 666);
    ck_assert_str_eq(d.v[999].msg, "m999");
    tc_diags_fini(&d);
}
END_TEST

/* ------------------------------------------------------------------ format */

START_TEST(test_format_with_and_without_line_column)
{
    struct tc_diags d;
    struct tc_pos full = {"scenarios/x.yaml", 12, 14};
    struct tc_pos noline = {"data/general.csv", 0, 5};
    struct tc_pos nocol = {"--set", 3, 0};

    tc_diags_init(&d);
    tc_diags_add(&d, TC_SEV_ERROR, &full, "stations.customs.servers",
                 "expected a positive integer or \"unlimited\", got \"%s\"", "-2");
    tc_diags_add(&d, TC_SEV_ERROR, &noline, "arrivals.1.trace", "times are not sorted");
    tc_diags_add(&d, TC_SEV_ERROR, &full, "", "mapping values are not allowed here");
    tc_diags_add(&d, TC_SEV_WARNING, &full, "stations.customs", "load %.3g >= 1", 1.2);
    tc_diags_add(&d, TC_SEV_ERROR, &nocol, "horizon", "a duration must be >= 0");
    tc_diags_add(&d, TC_SEV_ERROR, NULL, "seed", "expected an integer");
    tc_diags_add(&d, TC_SEV_WARNING, NULL, NULL, "nothing to do");
    tc_diags_add(&d, TC_SEV_WARNING, &noline, "", "empty file");

    assert_fmt(&d.v[0], "scenarios/x.yaml:12:14: error: stations.customs.servers: expected a "
                        "positive integer or \"unlimited\", got \"-2\"");
    assert_fmt(&d.v[1], "data/general.csv: error: arrivals.1.trace: times are not sorted");
    assert_fmt(&d.v[2], "scenarios/x.yaml:12:14: error: mapping values are not allowed here");
    assert_fmt(&d.v[3], "scenarios/x.yaml:12:14: warning: stations.customs: load 1.2 >= 1");
    assert_fmt(&d.v[4], "--set:3: error: horizon: a duration must be >= 0");
    assert_fmt(&d.v[5], "error: seed: expected an integer");
    assert_fmt(&d.v[6], "warning: nothing to do");
    assert_fmt(&d.v[7], "data/general.csv: warning: empty file");
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_format_truncates)
{
    struct tc_diags d;
    struct tc_pos pos = {"a.yaml", 1, 2};
    char buf[10];
    int n;

    tc_diags_init(&d);
    tc_diags_add(&d, TC_SEV_ERROR, &pos, "k", "m");
    memset(buf, 'Z', sizeof(buf));
    n = tc_diag_format(&d.v[0], buf, sizeof(buf));
    /* "a.yaml:1:2: error: k: m" is 23 characters. */
    ck_assert_int_eq(n, 23);
    ck_assert_str_eq(buf, "a.yaml:1:");
    ck_assert_int_eq(tc_diag_format(&d.v[0], NULL, 0), 23);
    tc_diags_fini(&d);
}
END_TEST

/* ------------------------------------------------------------------ sort, print */

START_TEST(test_sort_orders_by_position_ties_by_insertion)
{
    static const struct {
        const char *file;
        uint32_t line, col;
    } in[] = {
        {"b.yaml", 1, 1}, {"a.yaml", 5, 2},  {"a.yaml", 5, 1}, {"a.yaml", 0, 0}, {"a.yaml", 5, 1},
        {"a.yaml", 2, 9}, {"a.yaml", 10, 1}, {"", 0, 0},       {"a.yaml", 5, 1},
    };
    /* Expected order as indices into in[]; equal keys keep insertion order. */
    static const size_t want[] = {7, 3, 5, 2, 4, 8, 1, 6, 0};
    struct tc_diags d;

    tc_diags_init(&d);
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        struct tc_pos pos = {in[i].file, in[i].line, in[i].col};

        tc_diags_add(&d, TC_SEV_ERROR, in[i].file[0] ? &pos : NULL, "p", "#%zu", i);
    }
    tc_diags_sort(&d);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char msg[16];

        snprintf(msg, sizeof(msg), "#%zu", want[i]);
        ck_assert_str_eq(d.v[i].msg, msg);
        ck_assert_uint_eq(d.v[i].order, want[i]);
    }
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_sort_stable_many)
{
    struct tc_diags d;
    struct tc_pos same = {"s.yaml", 3, 3};
    struct tc_pos early = {"s.yaml", 1, 1};

    tc_diags_init(&d);
    /* Enough equal keys that an unstable qsort would visibly reorder them. */
    for (int i = 0; i < 500; i++)
        tc_diags_add(&d, TC_SEV_ERROR, i % 2 ? &same : &early, "", "%d", i);
    tc_diags_sort(&d);
    for (int i = 0; i < 250; i++) {
        char want[16];

        snprintf(want, sizeof(want), "%d", 2 * i);
        ck_assert_str_eq(d.v[i].msg, want);
        snprintf(want, sizeof(want), "%d", 2 * i + 1);
        ck_assert_str_eq(d.v[250 + i].msg, want);
    }
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_sort_of_no_diagnostics_is_harmless)
{
    struct tc_diags d;

    tc_diags_init(&d);
    tc_diags_sort(&d);
    ck_assert_uint_eq(d.n, 0);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_print_writes_sorted_lines_long_ones_whole)
{
    struct tc_diags d;
    struct tc_pos p1 = {"x.yaml", 2, 3};
    struct tc_pos p2 = {"x.yaml", 1, 1};
    char *text = NULL;
    size_t len = 0;
    char longmsg[2001];
    FILE *f;

    memset(longmsg, 'L', sizeof(longmsg) - 1);
    longmsg[sizeof(longmsg) - 1] = '\0';
    tc_diags_init(&d);
    tc_diags_add(&d, TC_SEV_ERROR, &p1, "a.b", "bad");
    tc_diags_add(&d, TC_SEV_WARNING, &p2, "c", "odd");
    tc_diags_add(&d, TC_SEV_ERROR, &p1, "long", "%s", longmsg);
    tc_diags_sort(&d);
    f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    tc_diags_print(&d, f);
    fclose(f);

    const char *head = "x.yaml:1:1: warning: c: odd\n"
                       "x.yaml:2:3: error: a.b: bad\n"
                       "x.yaml:2:3: error: long: ";
    ck_assert_uint_eq(len, strlen(head) + 2000 + 1);
    ck_assert_int_eq(strncmp(text, head, strlen(head)), 0);
    ck_assert_int_eq(strncmp(text + strlen(head), longmsg, 2000), 0);
    ck_assert_int_eq(text[len - 1], '\n');
    free(text);
    tc_diags_fini(&d);
}
END_TEST

/* ------------------------------------------------------------------ suggest */

static const char *const station_keys[] = {
    "servers",  "capacity", "discipline",  "service",   "open",
    "failures", "next",     "daily_limit", "when_full",
};
#define N_KEYS (sizeof(station_keys) / sizeof(station_keys[0]))

START_TEST(test_suggest_closest_name_or_none)
{
    static const struct {
        const char *word;
        const char *want; /* NULL: no suggestion */
    } cases[] = {
        {"sevrers", "servers"},  /* one transposition */
        {"capcity", "capacity"}, /* one deletion */
        {"servise", "service"},  /* one substitution */
        {"server", "servers"},   /* one insertion */
        {"Servers", "servers"},  /* case counts as an edit */
        {"servers", "servers"},  /* distance 0 */
        {"oepn", "open"},        /* 1 as a swap; Levenshtein's 2 would be refused */
        {"nxet", "next"},
        {"dailylimit", "daily_limit"},
        {"whenfull", "when_full"},
        {"capacityyy", "capacity"},  /* distance 2, long word */
        {"dicsiplne", "discipline"}, /* swap + insertion = 2 */
        {"foo", NULL},
        {"opn", "open"},      /* 3 letters: 1 edit allowed */
        {"opnn", "open"},     /* 4 letters: 1 edit allowed */
        {"xpnn", NULL},       /* 4 letters, 2 edits: refused */
        {"srvrs", "servers"}, /* 5 letters, 2 edits: allowed */
        {"zz", NULL},
        {"", NULL},
        {"routing", NULL},
        {"servicetime", NULL}, /* 4 extra letters */
        {"failures_per_day", NULL},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = tc_diag_suggest(cases[i].word, station_keys, N_KEYS);

        ck_assert_msg((got == NULL && cases[i].want == NULL) ||
                          (got != NULL && cases[i].want != NULL && strcmp(got, cases[i].want) == 0),
                      "\"%s\": got %s, want %s", cases[i].word, got ? got : "(none)",
                      cases[i].want ? cases[i].want : "(none)");
    }
}
END_TEST

START_TEST(test_suggest_edge)
{
    static const char *const tie[] = {"abcd", "abce"};
    static const char *const with_null[] = {NULL, "next"};

    /* Equally close: the first candidate wins. */
    ck_assert_ptr_eq(tc_diag_suggest("abcf", tie, 2), tie[0]);
    ck_assert_ptr_eq(tc_diag_suggest("abcf", tie + 1, 1), tie[1]);
    /* The closest wins over an earlier, farther one. */
    static const char *const near[] = {"abcdefxy", "abcdefgx"};
    ck_assert_ptr_eq(tc_diag_suggest("abcdefgh", near, 2), near[1]);
    ck_assert_ptr_eq(tc_diag_suggest("abcdefgh", near, 1), near[0]);
    ck_assert_ptr_eq(tc_diag_suggest("nex", with_null, 2), with_null[1]);
    ck_assert_ptr_null(tc_diag_suggest("next", NULL, 0));
    ck_assert_ptr_null(tc_diag_suggest(NULL, station_keys, N_KEYS));
}
END_TEST

static Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc;

    tc = tcase_create("add");
    tcase_add_test(tc, test_add_counts_errors_and_warnings);
    tcase_add_test(tc, test_add_many_keeps_every_diagnostic);
    suite_add_tcase(s, tc);

    tc = tcase_create("format");
    tcase_add_test(tc, test_format_with_and_without_line_column);
    tcase_add_test(tc, test_format_truncates);
    suite_add_tcase(s, tc);

    tc = tcase_create("sort_print");
    tcase_add_test(tc, test_sort_orders_by_position_ties_by_insertion);
    tcase_add_test(tc, test_sort_stable_many);
    tcase_add_test(tc, test_sort_of_no_diagnostics_is_harmless);
    tcase_add_test(tc, test_print_writes_sorted_lines_long_ones_whole);
    suite_add_tcase(s, tc);

    tc = tcase_create("suggest");
    tcase_add_test(tc, test_suggest_closest_name_or_none);
    tcase_add_test(tc, test_suggest_edge);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(diag_suite)
