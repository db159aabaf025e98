/*
** compare: the statistics against table values and exact rationals (the
** standard error behind a t half-width, Welch's t and Satterthwaite's df,
** Holm's adjustment), then whole comparisons of hand-written summaries
** whose p-values are placed exactly (so Holm's verdict is known), the
** null, exact, tolerance and --metrics rules, and the exact diagnostics of
** corrupt, truncated and non-comparable files.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_cdf.h>

#include "tc_check.h"
#include "tcsim/compare.h"
#include "tcsim/diag.h"

/* t_{0.975, 9} and t_{0.975, 18}, from tables (e.g. R's qt(0.975, 9)). */
#define T975_9  2.2621571627409915
#define T975_18 2.1009220402409601

/* ==== building summaries ==== */

struct sb {
    char *text;
    size_t len;
    FILE *f;
};

static void sb_open(struct sb *b)
{
    b->text = NULL;
    b->len = 0;
    b->f = open_memstream(&b->text, &b->len);
    ck_assert_ptr_nonnull(b->f);
}

static void put(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(b->f, fmt, ap);
    va_end(ap);
}

static char *sb_close(struct sb *b)
{
    fclose(b->f);
    return b->text;
}

/* A metric's JSON: {"mean": m, "ci95": c, "min": m, "max": m}; NaN gives nulls. */
static void metric(struct sb *b, const char *name, double mean, double ci95)
{
    if (isnan(mean))
        put(b, "\"%s\": {\"mean\": null, \"ci95\": null, \"min\": null, \"max\": null}", name);
    else
        put(b, "\"%s\": {\"mean\": %.17g, \"ci95\": %.17g, \"min\": %.17g, \"max\": %.17g}", name,
            mean, ci95, mean, mean);
}

/* One station "s" holding the metrics given as name/mean/ci95 triples, and class "c". */
struct m3 {
    const char *name;
    double mean, ci95;
};

static char *summary(const char *time_unit, unsigned reps, const struct m3 *ms, size_t n)
{
    struct sb b;
    sb_open(&b);
    put(&b,
        "{\n  \"tcsim\": \"0.1.0\", \"scenario\": \"t\", \"time_unit\": \"%s\",\n"
        "  \"replications\": %u, \"seed\": 1,\n  \"stations\": {\"s\": {",
        time_unit, reps);
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(&b, ", ");
        metric(&b, ms[i].name, ms[i].mean, ms[i].ci95);
    }
    put(&b, "}},\n  \"classes\": {\"c\": {");
    metric(&b, "time_in_system", 5, 0);
    put(&b, "}},\n  \"roads\": {}\n}\n");
    return sb_close(&b);
}

static struct tc_compare_summary *parse_ok(const char *text)
{
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_compare_summary *s = tc_compare_summary_parse(text, strlen(text), "x.json", &d);
    ck_assert_msg(s != NULL && d.n == 0, "parse failed: %zu diagnostics", d.n);
    tc_diags_fini(&d);
    return s;
}

/* Compares two texts; returns the status, with *out filled. */
static enum tc_compare_status compare(const char *a, const char *b, const struct tc_compare_opts *o,
                                      struct tc_compare_result *out, struct tc_diags *d)
{
    struct tc_compare_summary *sa = parse_ok(a), *sb2 = parse_ok(b);
    enum tc_compare_status st = tc_compare_run(sa, sb2, o, out, d);
    tc_compare_summary_free(sa);
    tc_compare_summary_free(sb2);
    return st;
}

static const struct tc_compare_metric *find(const struct tc_compare_result *r, const char *path)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].path, path) == 0)
            return &r->v[i];
    ck_abort_msg("no metric %s", path);
    return NULL;
}

/* The i-th diagnostic, formatted. */
static const char *diag_text(const struct tc_diags *d, size_t i)
{
    static char buf[1024];
    ck_assert_uint_lt(i, d->n);
    tc_diag_format(&d->v[i], buf, sizeof(buf));
    return buf;
}

/* ==== statistics ==== */

START_TEST(test_se_is_ci95_over_student_t)
{
    ck_assert_double_eq_tol(tc_compare_se(2 * T975_9, 10), 2.0, 1e-9);
    ck_assert_double_eq_tol(tc_compare_se(T975_18, 19), 1.0, 1e-9);
    /* n = 2: t_{0.975, 1} = tan(pi * 0.475) = 12.706204736174707 */
    ck_assert_double_eq_tol(tc_compare_se(12.706204736174707, 2), 1.0, 1e-9);
}
END_TEST

START_TEST(test_welch_t_df_and_p_match_hand_values)
{
    double t, df, p;
    /* Equal standard errors and n: df = 2 (n - 1) = 18, and a difference of
    ** t_{0.975, 18} * sqrt(2) standard errors of each mean is p = 0.05 exactly. */
    tc_compare_welch(3, 1, 10, 3 + sqrt(2) * T975_18, 1, 10, &t, &df, &p);
    ck_assert_double_eq_tol(t, T975_18, 1e-12);
    ck_assert_double_eq_tol(df, 18, 1e-12);
    ck_assert_double_eq_tol(p, 0.05, 1e-12);
    /* The sign of the difference does not change p. */
    tc_compare_welch(3 + sqrt(2) * T975_18, 1, 10, 3, 1, 10, &t, &df, &p);
    ck_assert_double_eq_tol(t, -T975_18, 1e-12);
    ck_assert_double_eq_tol(p, 0.05, 1e-12);
    /* se 1 (n 10) against se 2 (n 5): df = (1 + 4)^2 / (1/9 + 16/4) = 225/37. */
    tc_compare_welch(0, 1, 10, 5, 2, 5, &t, &df, &p);
    ck_assert_double_eq_tol(t, 5 / sqrt(5), 1e-12);
    ck_assert_double_eq_tol(df, 225.0 / 37.0, 1e-12);
    /* One side exact: the other side's n - 1. */
    tc_compare_welch(0, 0, 10, 1, 1, 7, &t, &df, &p);
    ck_assert_double_eq_tol(df, 6, 1e-12);
    ck_assert_double_eq_tol(t, 1, 1e-12);
    /* Tiny intervals: se^4 underflows, but df and p do not depend on the scale. */
    tc_compare_welch(0, 1e-200, 10, 1e-200 * sqrt(2) * T975_18, 1e-200, 10, &t, &df, &p);
    ck_assert_double_eq_tol(df, 18, 1e-12);
    ck_assert_double_eq_tol(p, 0.05, 1e-12);
    /* A difference beyond the largest double: t infinite, p 0. */
    tc_compare_welch(-1e308, 1, 10, 1e308, 1, 10, &t, &df, &p);
    ck_assert(isinf(t) && t > 0);
    ck_assert_double_eq(p, 0);
    /* No difference: p = 1. */
    tc_compare_welch(4, 1, 10, 4, 1, 10, &t, &df, &p);
    ck_assert_double_eq_tol(p, 1, 1e-15);
}
END_TEST

struct holm_case {
    size_t m;
    double p[5];
    double want[5];
};

START_TEST(test_holm_adjusts_p_values_monotone_and_clamped)
{
    static const struct holm_case cases[] = {
        /* ranks: 0.005 x4 = 0.02; 0.01 x3 = 0.03; 0.03 x2 = 0.06; 0.04 x1 -> max 0.06 */
        {4, {0.01, 0.04, 0.03, 0.005}, {0.03, 0.06, 0.06, 0.02}},
        /* clamped at 1, and monotone */
        {3, {0.5, 0.2, 0.9}, {1, 0.6, 1}},
        /* ties: both get 2 x 0.01 */
        {2, {0.01, 0.01}, {0.02, 0.02}},
        {1, {0.3}, {0.3}},
        {5, {0, 0.001, 0.01, 0.02, 0.5}, {0, 0.004, 0.03, 0.04, 0.5}},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        double out[5];
        tc_compare_holm(cases[c].p, cases[c].m, out);
        for (size_t i = 0; i < cases[c].m; i++)
            ck_assert_msg(fabs(out[i] - cases[c].want[i]) < 1e-15, "case %zu [%zu]: %g, want %g", c,
                          i, out[i], cases[c].want[i]);
    }
    tc_compare_holm(NULL, 0, NULL); /* an empty family is fine */
}
END_TEST

/* ==== whole comparisons ==== */

/* A candidate mean whose Welch p against (0, se 1) with se 1, n 10 on both sides is p. */
static double mean_for_p(double p)
{
    return sqrt(2) * gsl_cdf_tdist_Qinv(p / 2, 18);
}

START_TEST(test_holm_verdict)
{
    /* Three tested metrics with p = 0.001, 0.02, 0.5: Holm gives 0.003, 0.04, 0.5, so
    ** a and b moved. With 0.03 instead of 0.02, b's adjusted p is 0.06: only a moved,
    ** although 0.03 alone is below 5 %. */
    const double p_b[2] = {0.02, 0.03};
    for (int k = 0; k < 2; k++) {
        struct m3 base[] = {{"a", 0, T975_9}, {"b", 0, T975_9}, {"c", 0, T975_9}};
        struct m3 cand[] = {{"a", mean_for_p(0.001), T975_9},
                            {"b", -mean_for_p(p_b[k]), T975_9},
                            {"c", mean_for_p(0.5), T975_9}};
        char *ta = summary("min", 10, base, 3), *tb = summary("min", 10, cand, 3);
        struct tc_compare_result r;
        struct tc_diags d;
        tc_diags_init(&d);
        enum tc_compare_status st = compare(ta, tb, NULL, &r, &d);
        ck_assert_int_eq(st, TC_COMPARE_MOVED);
        ck_assert_uint_eq(d.n, 0);
        ck_assert_uint_eq(r.n, 4); /* a, b, c and classes.c.time_in_system */
        ck_assert_uint_eq(r.n_tested, 3);
        ck_assert_uint_eq(r.n_exact, 1);
        const struct tc_compare_metric *a = find(&r, "stations.s.a"), *b = find(&r, "stations.s.b"),
                                       *c = find(&r, "stations.s.c");
        ck_assert_double_eq_tol(a->p, 0.001, 1e-9);
        ck_assert_double_eq_tol(a->p_holm, 0.003, 1e-9);
        ck_assert_double_eq_tol(b->p, p_b[k], 1e-9);
        ck_assert_double_eq_tol(b->p_holm, 2 * p_b[k], 1e-9);
        ck_assert_double_eq_tol(c->p_holm, 0.5, 1e-9);
        ck_assert_double_eq_tol(b->df, 18, 1e-9);
        ck_assert_double_eq_tol(b->change_se, -gsl_cdf_tdist_Qinv(p_b[k] / 2, 18), 1e-9);
        ck_assert_int_eq(a->moved, 1);
        ck_assert_int_eq(b->moved, k == 0);
        ck_assert_int_eq(c->moved, 0);
        ck_assert_uint_eq(r.n_moved, k == 0 ? 2 : 1);
        ck_assert_str_eq(r.v[r.moved[0]].path, "stations.s.a");
        if (k == 0)
            ck_assert_str_eq(r.v[r.moved[1]].path, "stations.s.b");
        tc_compare_result_fini(&r);
        tc_diags_fini(&d);
        free(ta);
        free(tb);
    }
}
END_TEST

START_TEST(test_exact_null_tol)
{
    struct m3 base[] = {
        {"same", 7, 0},               /* exact, equal: agrees */
        {"det", 10, 0},               /* exact, 10 -> 10.5: moved (p 0) */
        {"bothnull", (double)NAN, 0}, /* agrees */
        {"gone", 3, T975_9},          /* becomes null: moved */
        {"far", 100, T975_9},         /* 100 -> 120 at se 1: moved, unless --rel-tol 20 % */
        {"near", 50, T975_9},         /* no change: p 1 */
        {"onesided", 0, 0},           /* 0 exactly -> 1 +- se 1: tested, t = 1 */
        {"tiny", 1e-3, T975_9},       /* +0.5 at se 1: 0.35 SE, agrees */
        {"big_abs", 0, T975_9},       /* +5 at se 1: moved unless --abs-tol 5 (--rel-tol: no) */
    };
    struct m3 cand[] = {
        {"same", 7, 0},           {"det", 10.5, 0},        {"bothnull", (double)NAN, 0},
        {"gone", (double)NAN, 0}, {"far", 120, T975_9},    {"near", 50, T975_9},
        {"onesided", 1, T975_9},  {"tiny", 0.501, T975_9}, {"big_abs", 5, T975_9},
    };
    const size_t n = sizeof(base) / sizeof(base[0]);
    char *ta = summary("min", 10, base, n), *tb = summary("min", 10, cand, n);
    struct tc_compare_result r;
    struct tc_diags d;
    tc_diags_init(&d);
    ck_assert_int_eq(compare(ta, tb, NULL, &r, &d), TC_COMPARE_MOVED);
    ck_assert_uint_eq(r.n, n + 1);
    ck_assert_uint_eq(r.n_tested, 5); /* far, near, onesided, tiny, big_abs */
    ck_assert_uint_eq(r.n_exact, 3);  /* same, det, classes.c.time_in_system */

    const struct tc_compare_metric *m = find(&r, "stations.s.det");
    ck_assert_int_eq(m->kind, TC_COMPARE_EXACT);
    ck_assert_int_eq(m->moved, 1);
    ck_assert_double_eq(m->p, 0);
    ck_assert_double_eq_tol(m->change_pct, 5, 1e-12);
    ck_assert(isinf(m->change_se) && m->change_se > 0);
    m = find(&r, "stations.s.same");
    ck_assert_int_eq(m->moved, 0);
    ck_assert_double_eq(m->p, 1);
    m = find(&r, "stations.s.bothnull");
    ck_assert_int_eq(m->kind, TC_COMPARE_NULL);
    ck_assert_int_eq(m->moved, 0);
    m = find(&r, "stations.s.gone");
    ck_assert_int_eq(m->kind, TC_COMPARE_NULL);
    ck_assert_int_eq(m->moved, 1);
    ck_assert(isnan(m->cand_mean) && isnan(m->diff));
    m = find(&r, "stations.s.onesided");
    ck_assert_int_eq(m->kind, TC_COMPARE_TEST);
    ck_assert_double_eq_tol(m->df, 9, 1e-12);
    ck_assert_double_eq_tol(m->change_se, 1, 1e-9);
    ck_assert_int_eq(m->moved, 0);
    m = find(&r, "stations.s.far");
    ck_assert_double_eq_tol(m->change_se, 20 / sqrt(2), 1e-9);
    ck_assert_double_eq_tol(m->change_pct, 20, 1e-12);
    ck_assert_int_eq(m->moved, 1);
    ck_assert_int_eq(find(&r, "stations.s.near")->moved, 0);
    ck_assert_double_eq(find(&r, "stations.s.near")->p, 1);
    ck_assert_int_eq(find(&r, "stations.s.tiny")->moved, 0);
    ck_assert_int_eq(find(&r, "stations.s.big_abs")->moved, 1);
    /* Order: the two p = 0 changes (the exact one and the null, both infinitely many
    ** SE: file order), then far (14 SE) before big_abs (3.5 SE). */
    ck_assert_uint_eq(r.n_moved, 4);
    ck_assert_str_eq(r.v[r.moved[0]].path, "stations.s.det");
    ck_assert_str_eq(r.v[r.moved[1]].path, "stations.s.gone");
    ck_assert_str_eq(r.v[r.moved[2]].path, "stations.s.far");
    ck_assert_str_eq(r.v[r.moved[3]].path, "stations.s.big_abs");
    tc_compare_result_fini(&r);

    /* --rel-tol 20 % absorbs far (exactly 20 %) and det (5 %); --abs-tol 5 absorbs
    ** big_abs; gone (a null) is never absorbed. */
    struct tc_compare_opts o = {.rel_tol = 0.2, .abs_tol = 5};
    ck_assert_int_eq(compare(ta, tb, &o, &r, &d), TC_COMPARE_MOVED);
    ck_assert_uint_eq(r.n_moved, 1);
    ck_assert_str_eq(r.v[r.moved[0]].path, "stations.s.gone");
    ck_assert_int_eq(find(&r, "stations.s.far")->within_tol, 1);
    tc_compare_result_fini(&r);
    o = (struct tc_compare_opts){.rel_tol = 0.19};
    ck_assert_int_eq(compare(ta, tb, &o, &r, &d), TC_COMPARE_MOVED);
    ck_assert_int_eq(find(&r, "stations.s.far")->moved, 1);
    ck_assert_int_eq(find(&r, "stations.s.det")->moved, 0);
    tc_compare_result_fini(&r);

    /* --metrics: only the selected ones count, and then everything agrees. */
    const char *pats[] = {"stations.s.same", "*.near", "classes.*"};
    o = (struct tc_compare_opts){.patterns = pats, .n_patterns = 3};
    ck_assert_int_eq(compare(ta, tb, &o, &r, &d), TC_COMPARE_AGREE);
    ck_assert_uint_eq(r.n, 3);
    ck_assert_str_eq(r.v[0].path, "stations.s.same");
    ck_assert_str_eq(r.v[1].path, "stations.s.near");
    ck_assert_str_eq(r.v[2].path, "classes.c.time_in_system");
    ck_assert_uint_eq(r.n_moved, 0);
    tc_compare_result_fini(&r);
    ck_assert_uint_eq(d.n, 0);
    tc_diags_fini(&d);
    free(ta);
    free(tb);
}
END_TEST

START_TEST(test_one_replication)
{
    /*
    ** One replication has no interval (an old file's ci95 0, or null): a
    ** difference cannot be judged, so the comparison refuses (exit 2) rather
    ** than call every difference an exact change ("moved: 62 of 87").
    */
    struct m3 base[] = {{"a", 1, 0}, {"b", 2, 0}};
    struct m3 cand[] = {{"a", 1, 0.5}, {"b", 2.1, 0.5}};
    char *ta = summary("min", 1, base, 2), *tb = summary("min", 10, cand, 2);
    struct tc_compare_result r;
    struct tc_diags d;
    tc_diags_init(&d);
    ck_assert_int_eq(compare(ta, tb, NULL, &r, &d), TC_COMPARE_ERROR);
    ck_assert_uint_eq(r.n, 0);
    ck_assert_uint_eq(d.n_err, 1);
    ck_assert_str_eq(d.v[0].msg, "cannot judge 1 of 3 metrics (stations.s.b, ...): they differ and "
                                 "have no confidence interval (ci95 null: one replication; the "
                                 "baseline has 1, the candidate 10); run both with -r 2 or more");
    tc_diags_fini(&d);
    /* within the tolerance, or equal: judged without an interval */
    tc_diags_init(&d);
    struct tc_compare_opts o = {.abs_tol = 0.2};
    ck_assert_int_eq(compare(ta, tb, &o, &r, &d), TC_COMPARE_AGREE);
    ck_assert_int_eq(find(&r, "stations.s.a")->kind, TC_COMPARE_NO_INTERVAL);
    ck_assert_int_eq(find(&r, "stations.s.b")->within_tol, 1);
    ck_assert_uint_eq(r.n_tested, 0);
    tc_compare_result_fini(&r);
    tc_diags_fini(&d);
    free(ta);
    free(tb);
}
END_TEST

START_TEST(test_metric_n_overrides_replications_in_se)
{
    /* A metric's own "n" overrides "replications": se = ci95 / t_{0.975, n-1}. */
    const char *a = "{\"time_unit\": \"min\", \"replications\": 10, \"stations\": {\"s\": "
                    "{\"w\": {\"mean\": 0, \"ci95\": 2.2621571627409915, \"n\": 10}}}, "
                    "\"classes\": {}}";
    const char *b = "{\"time_unit\": \"min\", \"replications\": 10, \"stations\": {\"s\": "
                    "{\"w\": {\"mean\": 3, \"ci95\": 12.706204736174707, \"n\": 2}}}, "
                    "\"classes\": {}}";
    struct tc_compare_result r;
    struct tc_diags d;
    tc_diags_init(&d);
    ck_assert_int_eq(compare(a, b, NULL, &r, &d), TC_COMPARE_AGREE);
    ck_assert_uint_eq(r.v[0].cand_n, 2);
    /* se 1 and 1: t = 3 / sqrt 2, df = 4 / (1/9 + 1/1) = 3.6 */
    ck_assert_double_eq_tol(r.v[0].df, 3.6, 1e-9);
    ck_assert_double_eq_tol(r.v[0].change_se, 3 / sqrt(2), 1e-9);
    tc_compare_result_fini(&r);
    tc_diags_fini(&d);
}
END_TEST

/* ==== errors ==== */

struct bad_case {
    const char *text;
    const char *want; /* the first diagnostic */
    size_t n_diags;
};

START_TEST(test_summary_with_byte_order_mark_or_trailing_blanks_parses)
{
    /* a UTF-8 byte-order mark before the object is accepted (it was "invalid JSON") */
    struct m3 ms[] = {{"a", 1, 0.5}};
    char *t = summary("min", 10, ms, 1);
    size_t n = strlen(t);
    char *b = malloc(n + 4);
    memcpy(b, "\xEF\xBB\xBF", 3);
    memcpy(b + 3, t, n + 1);
    struct tc_compare_summary *s = parse_ok(b);
    tc_compare_summary_free(s);
    /* trailing blanks are fine too */
    b = realloc(b, n + 9);
    memcpy(b + n + 3, " \n\t\r\n", 6);
    s = parse_ok(b);
    tc_compare_summary_free(s);
    free(b);
    free(t);
}
END_TEST

START_TEST(test_corrupt_summary_gives_one_positioned_error)
{
    static const struct bad_case cases[] = {
        {"",
         "x.json:1: error: invalid JSON: '[' or '{' expected near end of file (truncated or "
         "empty file?)",
         1},
        {"{\"time_unit\": \"min\",\n \"replications\": 10, \"stations\": {\"s\": {\"w\": {\"mean\"",
         "x.json:2:52: error: invalid JSON: ':' expected near end of file (truncated or empty "
         "file?)",
         1},
        /* trailing garbage was called "truncated or empty" */
        {"{\"time_unit\": \"min\"}\n\n  garbage",
         "x.json:3:3: error: invalid JSON: trailing data after the JSON value at byte 25 (one "
         "JSON object expected)",
         1},
        {"{\"time_unit\": \"min\"} {}",
         "x.json:1:22: error: invalid JSON: trailing data after the JSON value at byte 22 (one "
         "JSON object expected)",
         1},
        {"{\"time_unit\": \"min\", \"replications\": 1O}",
         "x.json:1:39: error: invalid JSON: '}' expected near 'O'", 1},
        {"[1, 2]", "x.json: error: expected a tcsim summary.json object, got an array", 1},
        {"{\"a\": 1, \"a\": 2}",
         "x.json:1:12: error: invalid JSON: duplicate object key near '\"a\"'", 1},
        {"{\"time_unit\": 3, \"replications\": 0, \"stations\": {}, \"classes\": {}}",
         "x.json: error: time_unit: expected a string, got a number", 2},
        {"{\"time_unit\": \"min\", \"replications\": 2.5, \"classes\": {}}",
         "x.json: error: replications: expected a positive integer, got a number", 2},
        {"{\"time_unit\": \"min\", \"replications\": 2, \"stations\": {\"s\": {\"w\": {\"mean\": "
         "1, \"ci95\": -0.5}}}, \"classes\": {}}",
         "x.json: error: stations.s.w: ci95: expected a half-width >= 0, got -0.5", 1},
        {"{\"time_unit\": \"min\", \"replications\": 2, \"stations\": {\"s\": {\"w\": {\"mean\": "
         "\"1\", \"ci95\": null}}}, \"classes\": {}}",
         "x.json: error: stations.s.w: mean: expected a number or null, got a string", 1},
        {"{\"time_unit\": \"min\", \"replications\": 2, \"stations\": {\"s\": {\"w\": {\"mean\": "
         "null, \"ci95\": 1}}}, \"classes\": {}}",
         "x.json: error: stations.s.w: mean and ci95: the mean is null and ci95 is not", 1},
        {"{\"time_unit\": \"min\", \"replications\": 2, \"stations\": {\"s\": {\"w\": {\"mean\": "
         "1}}}, \"classes\": {}}",
         "x.json: error: stations.s.w: ci95: missing", 1},
        {"{\"time_unit\": \"min\", \"replications\": 2, \"stations\": {\"s\": {\"w\": 4}}, "
         "\"classes\": {\"c\": []}}",
         "x.json: error: stations.s.w: expected a metric {\"mean\", \"ci95\", ...} or an object, "
         "got a number",
         2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tc_diags d;
        tc_diags_init(&d);
        struct tc_compare_summary *s =
            tc_compare_summary_parse(cases[i].text, strlen(cases[i].text), "x.json", &d);
        ck_assert_msg(s == NULL, "case %zu parsed", i);
        ck_assert_msg(d.n == cases[i].n_diags, "case %zu: %zu diagnostics, first: %s", i, d.n,
                      d.n ? diag_text(&d, 0) : "");
        ck_assert_msg(strcmp(diag_text(&d, 0), cases[i].want) == 0, "case %zu: got [%s] want [%s]",
                      i, diag_text(&d, 0), cases[i].want);
        tc_diags_fini(&d);
    }
}
END_TEST

START_TEST(test_read_missing)
{
    struct tc_diags d;
    tc_diags_init(&d);
    ck_assert_ptr_null(tc_compare_summary_read("/nonexistent/summary.json", &d));
    ck_assert_str_eq(diag_text(&d, 0),
                     "/nonexistent/summary.json: error: cannot read: No such file or directory");
    tc_diags_fini(&d);
}
END_TEST

struct nc_case {
    const char *a, *b;
    const char *want;
};

START_TEST(test_not_comparable)
{
#define DOC(tu, st, cl, rd)                                                                        \
    "{\"time_unit\": \"" tu "\", \"replications\": 5, \"stations\": {" st "}, \"classes\": {" cl   \
    "}, \"roads\": {" rd "}}"
#define M "{\"mean\": 1, \"ci95\": 0.1}"
    static const struct nc_case cases[] = {
        {DOC("min", "\"s\": {\"w\": " M "}", "", ""), DOC("h", "\"s\": {\"w\": " M "}", "", ""),
         "error: time_unit: not comparable: \"min\" in the baseline, \"h\" in the candidate"},
        {DOC("min", "\"s\": {\"w\": " M "}, \"t\": {}", "", ""),
         DOC("min", "\"s\": {\"w\": " M "}, \"u\": {}", "", ""),
         "error: stations: not comparable: different stations (only in the baseline: t; only in "
         "the candidate: u)"},
        {DOC("min", "", "\"fruit\": {}, \"general\": {}", ""), DOC("min", "", "\"fruit\": {}", ""),
         "error: classes: not comparable: different classes (only in the baseline: general; only "
         "in the candidate: none)"},
        {DOC("min", "", "", "\"yard\": {}"), DOC("min", "", "", ""),
         "error: roads: not comparable: different roads (only in the baseline: yard; only in the "
         "candidate: none)"},
        {DOC("min", "\"s\": {\"w\": " M ", \"x\": " M "}", "", ""),
         DOC("min", "\"s\": {\"w\": " M ", \"by_class\": {\"c\": {\"w\": " M "}}}", "", ""),
         "error: not comparable: different metrics (only in the baseline: stations.s.x; only in "
         "the candidate: stations.s.by_class.c.w)"},
    };
#undef DOC
#undef M
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tc_compare_result r;
        struct tc_diags d;
        tc_diags_init(&d);
        ck_assert_int_eq(compare(cases[i].a, cases[i].b, NULL, &r, &d), TC_COMPARE_ERROR);
        ck_assert_uint_eq(r.n, 0);
        ck_assert_msg(d.n == 1, "case %zu: %zu diagnostics", i, d.n);
        ck_assert_msg(strcmp(diag_text(&d, 0), cases[i].want) == 0, "case %zu: got [%s] want [%s]",
                      i, diag_text(&d, 0), cases[i].want);
        tc_compare_result_fini(&r);
        tc_diags_fini(&d);
    }
}
END_TEST

START_TEST(test_patterns_select_the_metrics_compared)
{
    struct m3 ms[] = {{"wait", 1, 0}, {"extra", 1, 0}};
    char *ta = summary("min", 10, ms, 2);
    /* A metric only on one side does not matter when it is not selected. */
    char *tb = summary("min", 10, ms, 1);
    struct tc_compare_result r;
    struct tc_diags d;
    tc_diags_init(&d);
    const char *p1[] = {"stations.*.wait"};
    struct tc_compare_opts o = {.patterns = p1, .n_patterns = 1};
    ck_assert_int_eq(compare(ta, tb, &o, &r, &d), TC_COMPARE_AGREE);
    ck_assert_uint_eq(r.n, 1);
    tc_compare_result_fini(&r);
    /* A pattern that matches nothing is an error (a typo would hide every change). */
    const char *p2[] = {"stations.*.wiat", "stations.*.wait"};
    o = (struct tc_compare_opts){.patterns = p2, .n_patterns = 2};
    ck_assert_int_eq(compare(ta, tb, &o, &r, &d), TC_COMPARE_ERROR);
    ck_assert_uint_eq(d.n, 1);
    ck_assert_str_eq(diag_text(&d, 0),
                     "error: --metrics: \"stations.*.wiat\" matches no metric (paths look like "
                     "stations.NAME.wait, classes.NAME.time_in_system_p90, roads.NAME.km)");
    tc_diags_fini(&d);
    /* A different scenario name is only a warning. */
    tc_diags_init(&d);
    char *tc = summary("min", 10, ms, 2);
    char *named = strstr(tc, "\"scenario\": \"t\"");
    ck_assert_ptr_nonnull(named);
    named[13] = 'u';
    ck_assert_int_eq(compare(ta, tc, NULL, &r, &d), TC_COMPARE_AGREE);
    ck_assert_uint_eq(d.n_warn, 1);
    ck_assert_uint_eq(d.n_err, 0);
    ck_assert_str_eq(diag_text(&d, 0), "warning: scenario: different names: \"t\" in the "
                                       "baseline, \"u\" in the candidate");
    tc_compare_result_fini(&r);
    tc_diags_fini(&d);
    free(ta);
    free(tb);
    free(tc);
}
END_TEST

/* ==== paired: same seed and replications, replications.csv beside ==== */

/* dir/summary.json (seed 3, 4 replications, station s's wait) and dir/replications.csv. */
static void write_run(const char *dir, const double wait[4], unsigned seed)
{
    char path[512];
    double mean = (wait[0] + wait[1] + wait[2] + wait[3]) / 4, ss = 0;
    for (int r = 0; r < 4; r++)
        ss += (wait[r] - mean) * (wait[r] - mean);
    double ci = gsl_cdf_tdist_Pinv(0.975, 3) * sqrt(ss / 3 / 4);
    snprintf(path, sizeof(path), "%s/summary.json", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "{\"scenario\": \"t\", \"time_unit\": \"min\", \"replications\": 4, \"seed\": %u,\n"
            " \"stations\": {\"s\": {\"wait\": {\"mean\": %.17g, \"ci95\": %.17g}}},\n"
            " \"classes\": {\"c\": {\"time_in_system\": {\"mean\": 5, \"ci95\": 0}}}}\n",
            seed, mean, ci);
    fclose(f);
    snprintf(path, sizeof(path), "%s/replications.csv", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("rep,scope,name,class,metric,value\n", f);
    for (int r = 0; r < 4; r++) /* the name quoted, as RFC 4180 allows */
        fprintf(f, "%d,station,\"s\",,wait,%.17g\r\n%d,class,c,,time_in_system,5\n", r, wait[r], r);
    fclose(f);
}

static enum tc_compare_status compare_files(const char *a, const char *b,
                                            struct tc_compare_result *out)
{
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_compare_summary *sa = tc_compare_summary_read(a, &d),
                              *sb2 = tc_compare_summary_read(b, &d);
    ck_assert_ptr_nonnull(sa);
    ck_assert_ptr_nonnull(sb2);
    enum tc_compare_status st = tc_compare_run(sa, sb2, NULL, out, &d);
    ck_assert_uint_eq(d.n, 0);
    tc_compare_summary_free(sa);
    tc_compare_summary_free(sb2);
    tc_diags_fini(&d);
    return st;
}

START_TEST(test_paired_from_replications_csv)
{
    char root[] = "/tmp/tcsim-paired-XXXXXX", a[64], b[64], c[64], sa[96], sb2[96], sc[96];
    ck_assert_ptr_nonnull(mkdtemp(root));
    snprintf(a, sizeof(a), "%s/a", root);
    snprintf(b, sizeof(b), "%s/b", root);
    snprintf(c, sizeof(c), "%s/c", root);
    ck_assert_int_eq(mkdir(a, 0700) | mkdir(b, 0700) | mkdir(c, 0700), 0);
    static const double wa[4] = {1, 2, 3, 4}, wb[4] = {2, 3.5, 3.5, 5.5};
    write_run(a, wa, 3);
    write_run(b, wb, 3);
    write_run(c, wb, 4);
    snprintf(sa, sizeof(sa), "%s/summary.json", a);
    snprintf(sb2, sizeof(sb2), "%s/summary.json", b);
    snprintf(sc, sizeof(sc), "%s/summary.json", c);

    /* A run against itself: paired, every difference exactly 0, t 0, p 1. */
    struct tc_compare_result r;
    ck_assert_int_eq(compare_files(sa, sa, &r), TC_COMPARE_AGREE);
    ck_assert(r.paired);
    ck_assert_str_eq(r.test, "paired t (common random numbers: same seed 3 and 4 replications)");
    const struct tc_compare_metric *m = find(&r, "stations.s.wait");
    ck_assert_int_eq(m->kind, TC_COMPARE_TEST);
    ck_assert(m->diff == 0 && m->change_se == 0 && m->p == 1 && m->df == 3);
    tc_compare_result_fini(&r);

    /* Differences 1, 1.5, 0.5, 1.5: mean 1.125, sum of squares 0.6875, se sqrt(0.6875/12). */
    ck_assert_int_eq(compare_files(sa, sb2, &r), TC_COMPARE_MOVED);
    ck_assert(r.paired);
    m = find(&r, "stations.s.wait");
    double t = 1.125 / sqrt(0.6875 / 12);
    ck_assert_double_eq_tol(m->change_se, t, 1e-12);
    ck_assert_double_eq_tol(m->p, 2 * gsl_cdf_tdist_Q(t, 3), 1e-15);
    ck_assert(m->df == 3);
    tc_compare_result_fini(&r);

    /* Another seed: Welch on the same numbers, which cannot see the pairing (p larger). */
    ck_assert_int_eq(compare_files(sa, sc, &r), TC_COMPARE_AGREE);
    ck_assert(!r.paired);
    ck_assert_str_eq(r.test, "Welch t (not paired: different seeds: 3 and 4)");
    m = find(&r, "stations.s.wait");
    ck_assert_double_gt(m->p, 2 * gsl_cdf_tdist_Q(t, 3));
    tc_compare_result_fini(&r);

    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -r '%s'", root);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *compare_suite(void)
{
    Suite *s = suite_create("compare");
    TCase *tc = tcase_create("statistics");
    tcase_add_test(tc, test_se_is_ci95_over_student_t);
    tcase_add_test(tc, test_welch_t_df_and_p_match_hand_values);
    tcase_add_test(tc, test_holm_adjusts_p_values_monotone_and_clamped);
    suite_add_tcase(s, tc);
    tc = tcase_create("run");
    tcase_add_test(tc, test_holm_verdict);
    tcase_add_test(tc, test_exact_null_tol);
    tcase_add_test(tc, test_summary_with_byte_order_mark_or_trailing_blanks_parses);
    tcase_add_test(tc, test_one_replication);
    tcase_add_test(tc, test_metric_n_overrides_replications_in_se);
    tcase_add_test(tc, test_patterns_select_the_metrics_compared);
    tcase_add_test(tc, test_paired_from_replications_csv);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_corrupt_summary_gives_one_positioned_error);
    tcase_add_test(tc, test_read_missing);
    tcase_add_test(tc, test_not_comparable);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(compare_suite)
