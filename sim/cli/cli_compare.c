/*
** cli_compare: `tcsim compare BASELINE.json CANDIDATE.json`. Reads both
** files (every problem in both is reported at once), compares them
** (compare.h) and prints what moved, most significant first, as a table or,
** with --json, as one JSON object on stdout. The exit code is the verdict:
** 0 all agree, 1 something moved, 2 an input unreadable or not comparable
** (and 2 for a wrong command line, as for every subcommand).
*/
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "tcsim/compare.h"
#include "tcsim/diag.h"

/* A tolerance: a number >= 0, or a percentage ("5%") for --rel-tol. */
static int parse_tol(const char *s, bool allow_pct, double *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s)
        return -1;
    if (allow_pct && *end == '%') {
        x /= 100;
        end++;
    }
    if (*end || !(x >= 0) || isinf(x))
        return -1;
    *out = x;
    return 0;
}

/* A TC_VEC of patterns, named so that it can be passed to a function. */
struct patterns {
    char **v;
    size_t n, cap;
};

/* Splits a comma-separated --metrics value into patterns (empty items skipped). */
static void add_patterns(char *arg, struct patterns *pats)
{
    char *s = arg;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if (*s)
            TC_VEC_PUSH(*pats, s);
        if (!comma)
            break;
        s = comma + 1;
    }
}

static void fmt_num(char *buf, size_t len, double x)
{
    if (isnan(x))
        snprintf(buf, len, "null");
    else
        snprintf(buf, len, "%.6g", x);
}

static void fmt_mean_ci(char *buf, size_t len, double mean, double ci)
{
    if (isnan(mean)) {
        snprintf(buf, len, "null");
        return;
    }
    char m[32], c[32];
    fmt_num(m, sizeof(m), mean);
    if (isnan(ci))
        snprintf(c, sizeof(c), "n/a"); /* one replication: no interval */
    else
        snprintf(c, sizeof(c), "%.3g", ci);
    snprintf(buf, len, "%s ± %s", m, c);
}

/* Display width of a UTF-8 string (the table holds "±"). */
static int width(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void pad(FILE *f, const char *s, int w)
{
    fputs(s, f);
    for (int k = width(s); k < w; k++)
        fputc(' ', f);
}

#define N_COLS 5

static void row_cells(const struct tc_compare_metric *m, char cells[N_COLS][96])
{
    snprintf(cells[0], 96, "%s", m->path);
    fmt_mean_ci(cells[1], 96, m->base_mean, m->base_ci95);
    fmt_mean_ci(cells[2], 96, m->cand_mean, m->cand_ci95);
    if (isnan(m->change_pct))
        snprintf(cells[3], 96, "%s", isnan(m->diff) ? "null" : "n/a");
    else
        snprintf(cells[3], 96, "%+.3g %%", m->change_pct);
    if (m->kind == TC_COMPARE_NULL)
        snprintf(cells[4], 96, "null");
    else if (m->kind == TC_COMPARE_EXACT)
        snprintf(cells[4], 96, "exact");
    else
        snprintf(cells[4], 96, "%+.3g", m->change_se);
}

static void print_table(const struct tc_compare_result *r, const char *base, const char *cand,
                        const struct tc_compare_opts *o)
{
    printf("baseline  %s (%u replications)\ncandidate %s (%u replications)\n", base, r->base_reps,
           cand, r->cand_reps);
    printf("test: %s\n", r->test);
    printf("%zu metrics: %zu tested (%s, Holm-adjusted, family-wise %g %%), %zu exact, "
           "%zu null",
           r->n, r->n_tested, r->paired ? "paired t" : "Welch t", 100 * TC_COMPARE_ALPHA,
           r->n_exact, r->n - r->n_tested - r->n_exact);
    if (o->rel_tol > 0 || o->abs_tol > 0)
        printf("; tolerances: relative %g, absolute %g", o->rel_tol, o->abs_tol);
    printf("\n");
    if (!r->n_moved) {
        printf("agree: no metric moved\n");
        return;
    }
    printf("moved: %zu of %zu metrics, most significant first\n\n", r->n_moved, r->n);
    static const char *const head[N_COLS] = {"metric", "baseline", "candidate", "change", "in SE"};
    int w[N_COLS];
    for (int k = 0; k < N_COLS; k++)
        w[k] = width(head[k]);
    char cells[N_COLS][96];
    for (size_t i = 0; i < r->n_moved; i++) {
        row_cells(&r->v[r->moved[i]], cells);
        for (int k = 0; k < N_COLS; k++)
            if (width(cells[k]) > w[k])
                w[k] = width(cells[k]);
    }
    for (int k = 0; k < N_COLS; k++) {
        pad(stdout, head[k], w[k] + 2);
    }
    printf("p (Holm)\n");
    for (size_t i = 0; i < r->n_moved; i++) {
        const struct tc_compare_metric *m = &r->v[r->moved[i]];
        row_cells(m, cells);
        for (int k = 0; k < N_COLS; k++)
            pad(stdout, cells[k], w[k] + 2);
        if (m->kind == TC_COMPARE_TEST)
            printf("%.2g\n", m->p_holm);
        else
            printf("-\n");
    }
}

static void json_side(struct tc_jsonw *jw, const char *key, double mean, double ci, uint32_t n)
{
    tc_jsonw_key(jw, key);
    tc_jsonw_begin_object_inline(jw);
    tc_jsonw_key(jw, "mean");
    tc_jsonw_number(jw, mean);
    tc_jsonw_key(jw, "ci95");
    tc_jsonw_number(jw, ci);
    tc_jsonw_key(jw, "n");
    tc_jsonw_uint(jw, n);
    tc_jsonw_end_object(jw);
}

static const char *const kind_names[] = {"test", "exact", "null", "no_interval"};

static void print_json(const struct tc_compare_result *r, enum tc_compare_status st,
                       const char *base, const char *cand, const struct tc_compare_opts *o,
                       const struct tc_diags *diags)
{
    struct tc_jsonw jw;
    tc_jsonw_init(&jw, stdout, true);
    tc_jsonw_begin_object(&jw);
    tc_jsonw_key(&jw, "verdict");
    tc_jsonw_string(&jw, st == TC_COMPARE_AGREE   ? "agree"
                         : st == TC_COMPARE_MOVED ? "moved"
                                                  : "error");
    tc_jsonw_key(&jw, "exit");
    tc_jsonw_uint(&jw, (uint64_t)st);
    tc_jsonw_key(&jw, "baseline");
    tc_jsonw_string(&jw, base);
    tc_jsonw_key(&jw, "candidate");
    tc_jsonw_string(&jw, cand);
    tc_jsonw_key(&jw, "method");
    tc_jsonw_string(&jw, r->paired ? "paired-t+holm" : "welch-t+holm");
    if (st != TC_COMPARE_ERROR) {
        tc_jsonw_key(&jw, "test");
        tc_jsonw_string(&jw, r->test);
    }
    tc_jsonw_key(&jw, "alpha");
    tc_jsonw_number(&jw, TC_COMPARE_ALPHA);
    tc_jsonw_key(&jw, "rel_tol");
    tc_jsonw_number(&jw, o->rel_tol);
    tc_jsonw_key(&jw, "abs_tol");
    tc_jsonw_number(&jw, o->abs_tol);
    if (st == TC_COMPARE_ERROR) {
        tc_jsonw_key(&jw, "errors");
        tc_jsonw_begin_array(&jw);
        char buf[1024];
        for (size_t i = 0; i < diags->n; i++)
            if (diags->v[i].sev == TC_SEV_ERROR) {
                tc_diag_format(&diags->v[i], buf, sizeof(buf));
                tc_jsonw_string(&jw, buf);
            }
        tc_jsonw_end_array(&jw);
    } else {
        tc_jsonw_key(&jw, "n_metrics");
        tc_jsonw_uint(&jw, r->n);
        tc_jsonw_key(&jw, "n_tested");
        tc_jsonw_uint(&jw, r->n_tested);
        tc_jsonw_key(&jw, "n_exact");
        tc_jsonw_uint(&jw, r->n_exact);
        tc_jsonw_key(&jw, "n_moved");
        tc_jsonw_uint(&jw, r->n_moved);
        tc_jsonw_key(&jw, "moved");
        tc_jsonw_begin_array(&jw);
        for (size_t i = 0; i < r->n_moved; i++) {
            const struct tc_compare_metric *m = &r->v[r->moved[i]];
            tc_jsonw_begin_object(&jw);
            tc_jsonw_key(&jw, "metric");
            tc_jsonw_string(&jw, m->path);
            tc_jsonw_key(&jw, "kind");
            tc_jsonw_string(&jw, kind_names[m->kind]);
            json_side(&jw, "baseline", m->base_mean, m->base_ci95, m->base_n);
            json_side(&jw, "candidate", m->cand_mean, m->cand_ci95, m->cand_n);
            tc_jsonw_key(&jw, "change");
            tc_jsonw_number(&jw, m->diff);
            tc_jsonw_key(&jw, "change_pct");
            tc_jsonw_number(&jw, m->change_pct);
            /* An exact change is infinitely many standard errors: JSON says null. */
            tc_jsonw_key(&jw, "change_se");
            tc_jsonw_number(&jw, m->change_se);
            tc_jsonw_key(&jw, "df");
            tc_jsonw_number(&jw, m->df);
            tc_jsonw_key(&jw, "p");
            tc_jsonw_number(&jw, m->p);
            tc_jsonw_key(&jw, "p_holm");
            tc_jsonw_number(&jw, m->p_holm);
            tc_jsonw_end_object(&jw);
        }
        tc_jsonw_end_array(&jw);
    }
    tc_jsonw_end_object(&jw);
    fputs("\n", stdout);
}

int tc_cli_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"metrics", required_argument, NULL, 'm'}, {"rel-tol", required_argument, NULL, 'R'},
        {"abs-tol", required_argument, NULL, 'A'}, {"json", no_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    struct patterns pats = {0};
    struct tc_compare_opts o = {0};
    bool json = false;
    int c, rc = TC_EXIT_USAGE;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            add_patterns(optarg, &pats);
            break;
        case 'R':
            if (parse_tol(optarg, true, &o.rel_tol)) {
                tc_cli_usage_error("--rel-tol: expected a number >= 0 (0.05) or a percentage "
                                   "(5%%), got \"%s\"",
                                   optarg);
                goto out;
            }
            break;
        case 'A':
            if (parse_tol(optarg, false, &o.abs_tol)) {
                tc_cli_usage_error("--abs-tol: expected a number >= 0, got \"%s\"", optarg);
                goto out;
            }
            break;
        case 'J':
            json = true;
            break;
        case 'h':
            tc_cli_print_help();
            rc = TC_EXIT_OK;
            goto out;
        default:
            fputs(tc_cli_usage_text, stderr);
            goto out;
        }
    }
    if (argc - optind != 2) {
        tc_cli_usage_error("compare: expected BASELINE.json CANDIDATE.json, got %d file%s",
                           argc - optind, argc - optind == 1 ? "" : "s");
        goto out;
    }
    o.patterns = (const char *const *)pats.v;
    o.n_patterns = pats.n;
    const char *base_path = argv[optind], *cand_path = argv[optind + 1];

    struct tc_diags diags;
    tc_diags_init(&diags);
    struct tc_compare_result res = {0};
    enum tc_compare_status st = TC_COMPARE_ERROR;
    struct tc_compare_summary *base = tc_compare_summary_read(base_path, &diags);
    struct tc_compare_summary *cand = tc_compare_summary_read(cand_path, &diags);
    if (base && cand)
        st = tc_compare_run(base, cand, &o, &res, &diags);
    tc_diags_print(&diags, stderr);
    if (json)
        print_json(&res, st, base_path, cand_path, &o, &diags);
    else if (st != TC_COMPARE_ERROR)
        print_table(&res, base_path, cand_path, &o);
    if (tc_cli_check_stdout() != 0)
        st = TC_COMPARE_ERROR; /* a verdict nobody can read: 2, never "agree" */
    tc_compare_result_fini(&res);
    tc_compare_summary_free(base);
    tc_compare_summary_free(cand);
    tc_diags_fini(&diags);
    rc = (int)st;
out:
    free(pats.v);
    return rc;
}
