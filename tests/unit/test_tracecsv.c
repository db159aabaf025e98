/*
** test_tracecsv: the trace reader on text in memory (exact times, classes
** and every diagnostic's text and position) and on files.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmem.h"
#include "model/tracecsv.h"
#include "tc_check.h"

static const char *const classes[] = {"fruit", "general"};

/* Every diagnostic, sorted and formatted, one a line. */
static char *diag_text(struct tc_diags *d)
{
    TC_VEC(char) s = {0};
    char line[1024];

    tc_diags_sort(d);
    for (size_t i = 0; i < d->n; i++) {
        int n = tc_diag_format(&d->v[i], line, sizeof(line));
        size_t l = strlen(line);

        ck_assert_int_lt(n, (int)sizeof(line));
        TC_VEC_GROW(s, s.n + l + 2);
        memcpy(s.v + s.n, line, l);
        s.n += l;
        s.v[s.n++] = '\n';
    }
    TC_VEC_GROW(s, s.n + 1);
    s.v[s.n] = '\0';
    return s.v;
}

static int parse(const char *text, struct tc_trace *tr, struct tc_diags *d)
{
    return tc_tracecsv_parse(text, strlen(text), "t.csv", TC_TU_MIN, classes, 2, tr, d);
}

START_TEST(test_good_time_only)
{
    struct tc_trace tr;
    struct tc_diags d;

    tc_diags_init(&d);
    ck_assert_int_eq(parse("time\n0\n1.5\n1.5\n90\n", &tr, &d), 0);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_uint_eq(tr.n, 4);
    ck_assert_ptr_null(tr.cls);
    ck_assert_uint_eq(tr.header_line, 1);
    ck_assert_uint_eq(tr.class_col, 0);
    ck_assert_double_eq(tr.t[0], 0.0);
    ck_assert_double_eq(tr.t[1], 1.5);
    ck_assert_double_eq(tr.t[2], 1.5);
    ck_assert_double_eq(tr.t[3], 90.0);
    tc_trace_fini(&tr);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_good_classes_units_quotes)
{
    /* BOM, CRLF, a blank line, an ignored column, quotes, units, spaces. */
    const char *text = "\xEF\xBB\xBFplate, time ,class\r\n"
                       "\r\n"
                       "\"29C-1,23\", 1 h ,fruit\r\n"
                       "x,\"1 h 30 min\", \"general\"\r\n"
                       "y,1 d,\"fru\"\"it\"\r\n";
    struct tc_trace tr;
    struct tc_diags d;

    tc_diags_init(&d);
    ck_assert_int_eq(parse(text, &tr, &d), -EINVAL);
    {
        char *s = diag_text(&d);

        ck_assert_str_eq(s, "t.csv:5:7: error: unknown class \"fru\"it\"; did you mean "
                            "\"fruit\"?\n");
        free(s);
    }
    tc_diags_fini(&d);

    tc_diags_init(&d);
    text = "\xEF\xBB\xBFplate, time ,class\r\n"
           "\r\n"
           "\"29C-1,23\", 1 h ,fruit\r\n"
           "x,\"1 h 30 min\", \"general\"\r\n"
           "y,1 d,fruit";
    ck_assert_int_eq(parse(text, &tr, &d), 0);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_uint_eq(tr.n, 3);
    ck_assert_uint_eq(tr.header_line, 1);
    ck_assert_uint_eq(tr.class_col, 14);
    ck_assert_double_eq(tr.t[0], 60.0);
    ck_assert_double_eq(tr.t[1], 90.0);
    ck_assert_double_eq(tr.t[2], 1440.0);
    ck_assert_ptr_nonnull(tr.cls);
    ck_assert_uint_eq(tr.cls[0], 0);
    ck_assert_uint_eq(tr.cls[1], 1);
    ck_assert_uint_eq(tr.cls[2], 0);
    tc_trace_fini(&tr);
    tc_diags_fini(&d);
}
END_TEST

static const struct {
    const char *text;
    const char *diags;
} bad_cases[] = {
    {"", "t.csv:1:1: error: the trace is empty; expected a header row naming a time column\n"},
    {"\n  \n", "t.csv:2:1: error: the trace is empty; expected a header row naming a time "
               "column\n"},
    {"time\n", "t.csv:1:1: error: the trace has a header but no rows\n"},
    {"tme,class\n1,fruit\n", "t.csv:1:1: error: unknown column \"tme\"; did you mean \"time\"?\n"
                             "t.csv:1:1: error: the header row has no \"time\" column (a trace "
                             "needs time, and class when its stream has several classes)\n"},
    {"t,clas\n1,fruit\n",
     "t.csv:1:1: error: the header row has no \"time\" column (a trace needs time, and class "
     "when its stream has several classes)\n"
     "t.csv:1:3: error: unknown column \"clas\"; did you mean \"class\"?\n"},
    {"time,time\n1,2\n", "t.csv:1:6: error: column \"time\" appears twice\n"},
    {"time\n1\n5\n3\n4\n2\n",
     "t.csv:4:1: error: rows must be sorted by time, got \"3\" after \"5\" (and 1 more row "
     "out of order)\n"},
    {"time\n5\n4\n3\n2\n",
     "t.csv:3:1: error: rows must be sorted by time, got \"4\" after \"5\" (and 2 more rows "
     "out of order)\n"},
    {"time\n-1\n1 h\nsoon\n",
     "t.csv:2:1: error: time: a duration must be >= 0, got \"-1\"\n"
     "t.csv:4:1: error: time: expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, "
     "min, h, d) or a number of minutes, got \"soon\"\n"},
    {"time,class\n1,fruti\n2\n3,general,x\n",
     "t.csv:2:3: error: unknown class \"fruti\"; did you mean \"fruit\"?\n"
     "t.csv:3:1: error: expected 2 fields as in the header, got 1\n"
     "t.csv:4:1: error: expected 2 fields as in the header, got 3\n"},
    {"time,class\n1,\"fruit\n2,general\n", "t.csv:2:3: error: a quoted field is not closed\n"},
    {"time,class\n1,\"fruit\" x\n", "t.csv:2:11: error: expected a comma after a quoted field\n"},
    {"\"time\n", "t.csv:1:1: error: a quoted field is not closed\n"},
};

START_TEST(test_bad_csv_positioned_error_no_rows)
{
    struct tc_trace tr;
    struct tc_diags d;
    char *s;

    tc_diags_init(&d);
    ck_assert_int_eq(parse(bad_cases[_i].text, &tr, &d), -EINVAL);
    ck_assert_ptr_null(tr.t);
    ck_assert_uint_eq(tr.n, 0);
    s = diag_text(&d);
    ck_assert_str_eq(s, bad_cases[_i].diags);
    free(s);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_nul_byte_is_positioned_error)
{
    static const char text[] = "time\n1\n2\0x\n";
    struct tc_trace tr;
    struct tc_diags d;
    char *s;

    tc_diags_init(&d);
    ck_assert_int_eq(
        tc_tracecsv_parse(text, sizeof(text) - 1, "t.csv", TC_TU_MIN, classes, 2, &tr, &d),
        -EINVAL);
    s = diag_text(&d);
    ck_assert_str_eq(s, "t.csv:3:1: error: unexpected NUL byte\n");
    free(s);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_diag_cap_stops_after_max_diags)
{
    TC_VEC(char) text = {0};
    struct tc_trace tr;
    struct tc_diags d;

    TC_VEC_GROW(text, 4096);
    text.n = (size_t)snprintf(text.v, text.cap, "time\n");
    for (int i = 0; i < 30; i++)
        text.n += (size_t)snprintf(text.v + text.n, text.cap - text.n, "x%d\n", i);
    tc_diags_init(&d);
    ck_assert_int_eq(parse(text.v, &tr, &d), -EINVAL);
    ck_assert_uint_eq(d.n, TC_TRACECSV_MAX_DIAGS + 1);
    tc_diags_sort(&d);
    ck_assert_uint_eq(d.v[d.n - 1].line, 2 + TC_TRACECSV_MAX_DIAGS);
    ck_assert_str_eq(d.v[d.n - 1].msg,
                     "too many errors in this trace; the rest of the file was not checked");
    tc_diags_fini(&d);
    free(text.v);
}
END_TEST

START_TEST(test_time_unit_converts_times)
{
    struct tc_trace tr;
    struct tc_diags d;

    tc_diags_init(&d);
    ck_assert_int_eq(
        tc_tracecsv_parse("time\n1.5\n90 min\n", 16, "t.csv", TC_TU_H, NULL, 0, &tr, &d), 0);
    ck_assert_uint_eq(tr.n, 2);
    ck_assert_double_eq(tr.t[0], 1.5);
    ck_assert_double_eq(tr.t[1], 1.5);
    tc_trace_fini(&tr);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_files_read_classes_and_errno)
{
    char dir[] = "/tmp/tc_tracecsv_XXXXXX";
    char path[256];
    struct tc_trace tr;
    struct tc_diags d;
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/a.csv", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("time,class\n0,general\n2.25,fruit\n", f);
    fclose(f);
    tc_diags_init(&d);
    ck_assert_int_eq(tc_tracecsv_read(path, "a.csv", TC_TU_MIN, classes, 2, &tr, &d), 0);
    ck_assert_uint_eq(tr.n, 2);
    ck_assert_double_eq(tr.t[1], 2.25);
    ck_assert_uint_eq(tr.cls[0], 1);
    ck_assert_uint_eq(tr.cls[1], 0);
    tc_trace_fini(&tr);
    /* Missing file and a directory: -errno and no diagnostic. */
    snprintf(path, sizeof(path), "%s/none.csv", dir);
    ck_assert_int_eq(tc_tracecsv_read(path, "none.csv", TC_TU_MIN, classes, 2, &tr, &d), -ENOENT);
    ck_assert_int_eq(tc_tracecsv_read(dir, "dir", TC_TU_MIN, classes, 2, &tr, &d), -EISDIR);
    ck_assert_uint_eq(d.n, 0);
    /* Content errors are positioned with the display name. */
    snprintf(path, sizeof(path), "%s/a.csv", dir);
    f = fopen(path, "w");
    fputs("time\n2\n1\n", f);
    fclose(f);
    ck_assert_int_eq(tc_tracecsv_read(path, "data/a.csv", TC_TU_MIN, classes, 2, &tr, &d), -EINVAL);
    ck_assert_uint_eq(d.n, 1);
    ck_assert_str_eq(d.v[0].file, "data/a.csv");
    ck_assert_uint_eq(d.v[0].line, 3);
    ck_assert_uint_eq(d.v[0].col, 1);
    tc_diags_fini(&d);
    tc_trace_fini(&tr);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* The caps a scenario shares among its traces: bytes (before parsing) and rows. */
START_TEST(test_caps_on_bytes_and_rows_shared)
{
    char dir[] = "/tmp/tc_tracecsv_XXXXXX";
    char path[256], *s;
    struct tc_trace tr;
    struct tc_diags d;
    size_t bytes = 99;
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/a.csv", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("time\n1\n2\n3\n", f); /* 11 bytes, 3 rows */
    fclose(f);
    tc_diags_init(&d);
    ck_assert_int_eq(
        tc_tracecsv_read_max(path, "a.csv", TC_TU_MIN, NULL, 0, 11, 3, &bytes, &tr, &d), 0);
    ck_assert_uint_eq(bytes, 11);
    ck_assert_uint_eq(tr.n, 3);
    tc_trace_fini(&tr);
    ck_assert_int_eq(
        tc_tracecsv_read_max(path, "a.csv", TC_TU_MIN, NULL, 0, 10, 3, &bytes, &tr, &d), -EFBIG);
    ck_assert_uint_eq(bytes, 11);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_int_eq(
        tc_tracecsv_read_max(path, "a.csv", TC_TU_MIN, NULL, 0, 11, 2, &bytes, &tr, &d), -EINVAL);
    ck_assert_uint_eq(bytes, 11); /* a bad trace was still read */
    s = diag_text(&d);
    ck_assert_str_eq(s, "a.csv:4:1: error: more than 10000000 trace rows (TC_LIMIT_TRACE_ROWS in "
                        "tcsim/limits.h, which counts the rows of all traces of a scenario)\n");
    free(s);
    tc_diags_fini(&d);
    unlink(path);
    rmdir(dir);
}
END_TEST

static Suite *tracecsv_suite(void)
{
    Suite *s = suite_create("tracecsv");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, test_good_time_only);
    tcase_add_test(tc, test_good_classes_units_quotes);
    tcase_add_loop_test(tc, test_bad_csv_positioned_error_no_rows, 0,
                        (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_test(tc, test_nul_byte_is_positioned_error);
    tcase_add_test(tc, test_diag_cap_stops_after_max_diags);
    tcase_add_test(tc, test_time_unit_converts_times);
    suite_add_tcase(s, tc);
    tc = tcase_create("read");
    tcase_add_test(tc, test_files_read_classes_and_errno);
    tcase_add_test(tc, test_caps_on_bytes_and_rows_shared);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(tracecsv_suite)
