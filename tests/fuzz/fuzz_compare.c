/*
** fuzz_compare: two summary.json texts, and optionally --metrics globs, carved
** from one input at 0xff bytes: BASE 0xff CAND [0xff GLOB\nGLOB...]. Each
** text goes through tc_compare_summary_parse (the in-memory twin of the
** reader `tcsim compare` uses); when both parse they are compared. Checked
** beyond "no crash, no leak, no undefined behaviour":
** - parse returns NULL exactly when it added an error;
** - a summary compared with itself agrees (nothing can have moved);
** - without globs or tolerances, comparing a with b and b with a gives the
**   same status and the same number of moved metrics (every decision in
**   compare.h is symmetric then);
** - a result is consistent: kinds add up, p-values in [0, 1], Holm's
**   adjusted p >= p, the moved list holds distinct moved metrics, and the
**   status is MOVED exactly when that list is not empty; ERROR leaves *out
**   empty and says why in diags.
*/
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "tcsim/compare.h"
#include "tcsim/diag.h"

#define MAX_GLOBS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bug(const char *what)
{
    fprintf(stderr, "fuzz_compare: %s\n", what);
    abort();
}

static struct tc_compare_summary *parse(const char *text, size_t len, const char *name)
{
    struct tc_diags d;
    struct tc_compare_summary *s;

    tc_diags_init(&d);
    s = tc_compare_summary_parse(text, len, name, &d);
    fuzz_check_diags(&d);
    if ((s == NULL) != (d.n_err > 0))
        bug("summary parse: result and errors disagree");
    tc_diags_fini(&d);
    return s;
}

static void check_result(enum tc_compare_status st, const struct tc_compare_result *r,
                         const struct tc_diags *d, size_t err0)
{
    size_t n_test = 0, n_exact = 0, n_moved = 0;

    if (st == TC_COMPARE_ERROR) {
        if (d->n_err == err0)
            bug("ERROR without an error in diags");
        if (r->v != NULL || r->n != 0 || r->moved != NULL || r->n_moved != 0)
            bug("ERROR with a non-empty result");
        return;
    }
    if (st != TC_COMPARE_AGREE && st != TC_COMPARE_MOVED)
        bug("unknown status");
    if (d->n_err != err0)
        bug("a comparison that ran added an error");
    for (size_t i = 0; i < r->n; i++) {
        const struct tc_compare_metric *m = &r->v[i];

        if (m->path == NULL)
            bug("metric without a path");
        if (m->kind == TC_COMPARE_NO_INTERVAL) {
            /* no test ran: p is 1 when the means are equal, NaN otherwise; one that
               differs beyond the tolerances makes compare refuse, so none moved */
            if (m->moved || !(m->p == 1 || isnan(m->p)))
                bug("a metric without an interval moved or has a p");
            continue;
        }
        if (m->kind == TC_COMPARE_TEST)
            n_test++;
        else if (m->kind == TC_COMPARE_EXACT)
            n_exact++;
        else if (m->kind != TC_COMPARE_NULL)
            bug("unknown metric kind");
        if (!(m->p >= 0 && m->p <= 1))
            bug("p outside [0, 1]");
        if (!(m->p_holm >= m->p && m->p_holm <= 1))
            bug("Holm's p outside [p, 1]");
        if (m->moved)
            n_moved++;
    }
    if (n_test != r->n_tested || n_exact != r->n_exact)
        bug("n_tested or n_exact do not count the metrics");
    if (n_moved != r->n_moved)
        bug("n_moved does not count the moved metrics");
    for (size_t k = 0; k < r->n_moved; k++) {
        if (r->moved[k] >= r->n || !r->v[r->moved[k]].moved)
            bug("moved list names a metric that did not move");
        for (size_t j = 0; j < k; j++)
            if (r->moved[j] == r->moved[k])
                bug("moved list repeats a metric");
    }
    if ((st == TC_COMPARE_MOVED) != (r->n_moved > 0))
        bug("status and moved list disagree");
}

static enum tc_compare_status run(const struct tc_compare_summary *a,
                                  const struct tc_compare_summary *b,
                                  const struct tc_compare_opts *o, size_t *out_moved)
{
    struct tc_diags d;
    struct tc_compare_result r;
    enum tc_compare_status st;

    tc_diags_init(&d);
    st = tc_compare_run(a, b, o, &r, &d);
    fuzz_check_diags(&d);
    check_result(st, &r, &d, 0);
    *out_moved = r.n_moved;
    tc_compare_result_fini(&r);
    tc_diags_fini(&d);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *parts[3];
    size_t lens[3], n = fuzz_split(data, size, parts, lens, 3);
    const char *globs[MAX_GLOBS];
    struct tc_compare_opts opts = {globs, 0, 0, 0};
    struct tc_compare_summary *a = parse(parts[0], lens[0], "base.json");
    struct tc_compare_summary *b = n > 1 ? parse(parts[1], lens[1], "cand.json") : NULL;
    size_t moved_ab, moved_ba;

    if (n > 2) {
        /* Globs are C strings from the command line: newline-separated, NUL ends them. */
        char *p = parts[2];

        while (opts.n_patterns < MAX_GLOBS) {
            char *nl = strchr(p, '\n');

            globs[opts.n_patterns++] = p;
            if (nl == NULL)
                break;
            *nl = '\0';
            p = nl + 1;
        }
        /* Tolerances from the glob text's length: cheap variety, no parsing. */
        opts.rel_tol = (double)(lens[2] % 7) * 0.01;
        opts.abs_tol = (double)(lens[2] % 3) * 0.5;
    }
    if (a != NULL) {
        if (run(a, a, NULL, &moved_ab) != TC_COMPARE_AGREE)
            bug("a summary compared with itself does not agree");
    }
    if (a != NULL && b != NULL) {
        enum tc_compare_status ab = run(a, b, NULL, &moved_ab);
        enum tc_compare_status ba = run(b, a, NULL, &moved_ba);

        if (ab != ba || moved_ab != moved_ba) {
            fprintf(stderr, "fuzz_compare: a/b gives %d with %zu moved, b/a %d with %zu\n", ab,
                    moved_ab, ba, moved_ba);
            bug("comparison is not symmetric");
        }
        if (opts.n_patterns > 0)
            run(a, b, &opts, &moved_ab);
    }
    tc_compare_summary_free(a);
    tc_compare_summary_free(b);
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    return 0;
}
