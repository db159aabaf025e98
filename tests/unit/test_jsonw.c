/*
** jsonw: the number formatter on a table of values whose exact text is
** known (round-trip rule, -0, NaN/inf, subnormals), string escaping, and the
** exact bytes of pretty, inline and compact layouts, written to a memstream.
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "tc_check.h"

struct num_case {
    double x;
    const char *want;
};

START_TEST(test_format_number)
{
    static const struct num_case cases[] = {
        {0.1, "0.1"},
        {1e300, "1e+300"},
        {43200, "43200"},
        {-0.0, "0"},
        {0.0, "0"},
        {1.0 / 3.0, "0.33333333333333331"}, /* %.15g loses it, %.17g is needed */
        {0.1 + 0.2, "0.30000000000000004"},
        {5e-324, "4.94065645841247e-324"}, /* the smallest subnormal: %.15g reads back */
        {-2.5, "-2.5"},
        {1e-7, "1e-07"},
        {20211201, "20211201"},
        {1e15, "1e+15"},
        {123456789012345678.0, "1.2345678901234568e+17"},
        {DBL_MAX, "1.7976931348623157e+308"}, /* %.15g would overflow to inf */
        {(double)NAN, "null"},
        {(double)INFINITY, "null"},
        {-(double)INFINITY, "null"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[TC_JSONW_NUMBER_LEN];
        char *got = tc_jsonw_format_number(cases[i].x, buf, sizeof(buf));
        ck_assert_ptr_eq(got, buf);
        ck_assert_msg(strcmp(buf, cases[i].want) == 0, "case %zu: got \"%s\", want \"%s\"", i, buf,
                      cases[i].want);
        if (isfinite(cases[i].x))
            ck_assert_msg(strtod(buf, NULL) == cases[i].x, "case %zu does not read back", i);
    }
}
END_TEST

/* Runs fn on a memstream writer and returns the bytes (free them). */
static char *capture(void (*fn)(struct tc_jsonw *), bool pretty)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    struct tc_jsonw w;
    tc_jsonw_init(&w, f, pretty);
    fn(&w);
    ck_assert_int_eq(w.depth, 0);
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

static void write_strings(struct tc_jsonw *w)
{
    tc_jsonw_begin_array(w);
    tc_jsonw_string(w, "plain");
    tc_jsonw_string(w, "q\"b\\s/");
    tc_jsonw_string(w, "nl\n tab\t cr\r \x01\x1f \x7f");
    tc_jsonw_string(w, "H\xe1\xbb\xafu Ngh\xe1\xbb\x8b"); /* UTF-8 "Hữu Nghị" */
    tc_jsonw_string(w, "");
    tc_jsonw_end_array(w);
}

/* Integers take a shortcut; it must print exactly what %.15g prints. */
START_TEST(test_integers_as_printf)
{
    char buf[TC_JSONW_NUMBER_LEN], want[64];
    const double edge[] = {1,
                           -1,
                           9,
                           10,
                           99,
                           100,
                           12345,
                           -987654321,
                           4294967296.0,
                           999999999999999.0,
                           -999999999999999.0,
                           1e15,
                           -1e15,
                           1e16,
                           123456789012345.0};
    for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
        snprintf(want, sizeof(want), "%.15g", edge[i]);
        ck_assert_str_eq(tc_jsonw_format_number(edge[i], buf, sizeof(buf)), want);
    }
    for (double x = 1; x < 1e15; x = x * 3 + 1) {
        snprintf(want, sizeof(want), "%.15g", -x);
        ck_assert_str_eq(tc_jsonw_format_number(-x, buf, sizeof(buf)), want);
        snprintf(want, sizeof(want), "%.15g", x);
        ck_assert_str_eq(tc_jsonw_format_number(x, buf, sizeof(buf)), want);
    }
    ck_assert_str_eq(tc_jsonw_format_number(1e15, buf, sizeof(buf)), "1e+15");
    ck_assert_str_eq(tc_jsonw_format_number(2.5, buf, sizeof(buf)), "2.5");
}
END_TEST

START_TEST(test_strings_escaped_as_json)
{
    char *got = capture(write_strings, false);
    ck_assert_str_eq(got, "[\"plain\",\"q\\\"b\\\\s/\","
                          "\"nl\\u000a tab\\u0009 cr\\u000d \\u0001\\u001f \x7f\","
                          "\"H\xe1\xbb\xafu Ngh\xe1\xbb\x8b\",\"\"]");
    free(got);
}
END_TEST

static void write_doc(struct tc_jsonw *w)
{
    tc_jsonw_begin_object(w);
    tc_jsonw_key(w, "name");
    tc_jsonw_string(w, "x");
    tc_jsonw_key(w, "n");
    tc_jsonw_uint(w, UINT64_MAX);
    tc_jsonw_key(w, "list");
    tc_jsonw_begin_array(w);
    tc_jsonw_number(w, 1.5);
    tc_jsonw_bool(w, true);
    tc_jsonw_null(w);
    tc_jsonw_begin_object(w);
    tc_jsonw_key(w, "k");
    tc_jsonw_bool(w, false);
    tc_jsonw_end_object(w);
    tc_jsonw_end_array(w);
    tc_jsonw_key(w, "empty");
    tc_jsonw_begin_object(w);
    tc_jsonw_end_object(w);
    tc_jsonw_key(w, "none");
    tc_jsonw_begin_array(w);
    tc_jsonw_end_array(w);
    tc_jsonw_key(w, "stat");
    tc_jsonw_begin_object_inline(w);
    tc_jsonw_key(w, "mean");
    tc_jsonw_number(w, 41.2);
    tc_jsonw_key(w, "ci95");
    tc_jsonw_number(w, (double)NAN);
    tc_jsonw_key(w, "v");
    tc_jsonw_begin_array(w); /* nested in an inline object: stays inline */
    tc_jsonw_number(w, 1);
    tc_jsonw_number(w, 2);
    tc_jsonw_end_array(w);
    tc_jsonw_end_object(w);
    tc_jsonw_end_object(w);
}

START_TEST(test_pretty_indents_and_keeps_values)
{
    char *got = capture(write_doc, true);
    ck_assert_str_eq(got, "{\n"
                          "  \"name\": \"x\",\n"
                          "  \"n\": 18446744073709551615,\n"
                          "  \"list\": [\n"
                          "    1.5,\n"
                          "    true,\n"
                          "    null,\n"
                          "    {\n"
                          "      \"k\": false\n"
                          "    }\n"
                          "  ],\n"
                          "  \"empty\": {},\n"
                          "  \"none\": [],\n"
                          "  \"stat\": {\"mean\": 41.2, \"ci95\": null, \"v\": [1, 2]}\n"
                          "}");
    free(got);
}
END_TEST

START_TEST(test_compact_has_no_whitespace)
{
    char *got = capture(write_doc, false);
    ck_assert_str_eq(got, "{\"name\":\"x\",\"n\":18446744073709551615,"
                          "\"list\":[1.5,true,null,{\"k\":false}],\"empty\":{},\"none\":[],"
                          "\"stat\":{\"mean\":41.2,\"ci95\":null,\"v\":[1,2]}}");
    free(got);
}
END_TEST

static void write_scalar(struct tc_jsonw *w)
{
    tc_jsonw_number(w, -0.0);
}

START_TEST(test_top_level_scalar)
{
    char *got = capture(write_scalar, true);
    ck_assert_str_eq(got, "0");
    free(got);
}
END_TEST

static Suite *jsonw_suite(void)
{
    Suite *s = suite_create("jsonw");
    TCase *tc = tcase_create("number");
    tcase_add_test(tc, test_format_number);
    tcase_add_test(tc, test_integers_as_printf);
    tcase_add_test(tc, test_top_level_scalar);
    suite_add_tcase(s, tc);
    tc = tcase_create("writer");
    tcase_add_test(tc, test_strings_escaped_as_json);
    tcase_add_test(tc, test_pretty_indents_and_keeps_values);
    tcase_add_test(tc, test_compact_has_no_whitespace);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(jsonw_suite)
