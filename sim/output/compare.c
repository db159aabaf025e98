/*
** compare: two summary.json files, metric by metric (contract in
** compare.h). jansson parses (a hand-written reader was rejected: a CI gate
** must say precisely where a corrupt or truncated file breaks, and jansson
** does that with line and column); the rest is walking both trees in
** parallel, Welch's test and Holm's adjustment.
*/
#include "tcsim/compare.h"

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "base/limits.h"
#include "base/rfile.h"
#include "base/xmem.h"
#include "output/compare_int.h"
#include "tcsim/runner.h"

/* The sections that hold metrics, in output order; all but stations and classes may be absent. */
static const char *const sections[] = {"stations", "classes", "roads",
                                       "pools",    "network", "clearance"};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

/* Deepest nesting accepted below a section (stations.X.by_class.Y.metric is 4). */
#define MAX_DEPTH 8

static char *join_path(const char *prefix, const char *key)
{
    size_t a = strlen(prefix), b = strlen(key);
    char *p = tc_xmalloc(a + b + 2);
    memcpy(p, prefix, a);
    p[a] = '.';
    memcpy(p + a + 1, key, b + 1);
    return p;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "a value";
}

/* A metric is an object with a "mean" member; anything else below a section is a group. */
static bool is_metric(const json_t *v)
{
    return json_is_object(v) && json_object_get(v, "mean") != NULL;
}

/* A positive integer that fits uint32_t (jansson reads every number as a double here). */
static bool get_count(const json_t *v, uint32_t *out)
{
    if (!json_is_number(v))
        return false;
    double x = json_number_value(v);
    if (!(x >= 1 && x <= (double)UINT32_MAX) || x != floor(x))
        return false;
    *out = (uint32_t)x;
    return true;
}

static void check_metric(const json_t *m, const char *name, const char *path,
                         struct tc_diags *diags)
{
    struct tc_pos pos = {name, 0, 0};
    const json_t *mean = json_object_get(m, "mean"), *ci = json_object_get(m, "ci95");
    if (!json_is_number(mean) && !json_is_null(mean))
        tc_diags_add(diags, TC_SEV_ERROR, &pos, path, "mean: expected a number or null, got %s",
                     type_name(mean));
    if (!ci) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, path, "%s", "ci95: missing");
        return;
    }
    if (json_is_number(ci)) {
        double x = json_number_value(ci);
        if (!(x >= 0))
            tc_diags_add(diags, TC_SEV_ERROR, &pos, path,
                         "ci95: expected a half-width >= 0, got %.17g", x);
    } else if (!json_is_null(ci)) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, path, "ci95: expected a number or null, got %s",
                     type_name(ci));
    }
    /* a mean with a null ci95 is a value without an interval (one replication) */
    if (json_is_null(mean) && json_is_number(ci))
        tc_diags_add(diags, TC_SEV_ERROR, &pos, path, "%s",
                     "mean and ci95: the mean is null and ci95 is not");
    /* n = 0 is a metric undefined in every replication: its mean is null */
    const json_t *n = json_object_get(m, "n");
    uint32_t dummy;
    bool none = n && json_is_number(n) && json_number_value(n) == 0;
    if (none && !json_is_null(mean))
        tc_diags_add(diags, TC_SEV_ERROR, &pos, path, "%s",
                     "n: 0 replications with a value, but the mean is not null");
    else if (n && !none && !get_count(n, &dummy))
        tc_diags_add(diags, TC_SEV_ERROR, &pos, path, "n: expected a non-negative integer, got %s",
                     type_name(n));
}

static void check_group(const json_t *g, const char *name, const char *path, int depth,
                        struct tc_diags *diags)
{
    struct tc_pos pos = {name, 0, 0};
    if (depth > MAX_DEPTH) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, path, "%s", "nested too deeply");
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)g, key, v)
    {
        char *p = join_path(path, key);
        if (is_metric(v))
            check_metric(v, name, p, diags);
        else if (json_is_object(v))
            check_group(v, name, p, depth + 1, diags);
        else
            tc_diags_add(diags, TC_SEV_ERROR, &pos, p,
                         "expected a metric {\"mean\", \"ci95\", ...} or an object, got %s",
                         type_name(v));
        free(p);
    }
}

static struct tc_compare_summary *validate(json_t *root, const char *name, struct tc_diags *diags)
{
    struct tc_pos pos = {name, 0, 0};
    size_t n_err = diags->n_err;
    if (!json_is_object(root)) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "expected a tcsim summary.json object, got %s",
                     type_name(root));
        json_decref(root);
        return NULL;
    }
    const json_t *tu = json_object_get(root, "time_unit");
    if (!json_is_string(tu))
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "time_unit", "expected a string, got %s",
                     tu ? type_name(tu) : "nothing (missing)");
    uint32_t reps = 0;
    const json_t *r = json_object_get(root, "replications");
    if (!get_count(r, &reps))
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "replications",
                     "expected a positive integer, got %s", r ? type_name(r) : "nothing (missing)");
    const json_t *sc = json_object_get(root, "scenario");
    if (sc && !json_is_string(sc))
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "scenario", "expected a string, got %s",
                     type_name(sc));
    for (size_t i = 0; i < N_SECTIONS; i++) {
        const json_t *s = json_object_get(root, sections[i]);
        /* roads only where a stream has an entry station, pools with bookings:, clearance
           with clearance:, and network is absent from older files */
        bool optional = strcmp(sections[i], "roads") == 0 || strcmp(sections[i], "pools") == 0 ||
                        strcmp(sections[i], "network") == 0 ||
                        strcmp(sections[i], "clearance") == 0;
        if (!s && optional)
            continue;
        if (!json_is_object(s)) {
            tc_diags_add(diags, TC_SEV_ERROR, &pos, sections[i], "expected an object, got %s",
                         s ? type_name(s) : "nothing (missing)");
            continue;
        }
        if (strcmp(sections[i], "network") == 0) { /* metrics directly, no members */
            check_group(s, name, sections[i], 1, diags);
            continue;
        }
        /* Each entry (a station, class or road) is a group of metrics. */
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)s, key, v)
        {
            char *p = join_path(sections[i], key);
            if (json_is_object(v) && !is_metric(v))
                check_group(v, name, p, 1, diags);
            else
                tc_diags_add(diags, TC_SEV_ERROR, &pos, p, "expected an object of metrics, got %s",
                             is_metric(v) ? "a metric" : type_name(v));
            free(p);
        }
    }
    if (diags->n_err > n_err) {
        json_decref(root);
        return NULL;
    }
    struct tc_compare_summary *s = tc_xcalloc(1, sizeof(*s));
    s->root = root;
    s->name = tc_xstrdup(name);
    s->time_unit = json_string_value(tu);
    s->scenario = sc ? json_string_value(sc) : NULL;
    s->reps = reps;
    const json_t *seed = json_object_get(root, "seed"); /* older files have none */
    s->has_seed = json_is_number(seed) && json_number_value(seed) >= 0;
    s->seed = s->has_seed ? json_number_value(seed) : 0;
    return s;
}

/* Duplicate keys would make "the" value of a metric ambiguous: reject them. */
#define JSON_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL)

static struct tc_compare_summary *parse_error(const json_error_t *err, const char *name,
                                              struct tc_diags *diags)
{
    struct tc_pos pos = {name, (uint32_t)(err->line > 0 ? err->line : 0),
                         (uint32_t)(err->column > 0 ? err->column : 0)};
    /* jansson reports a truncated file as an error at its end: say so plainly. */
    bool at_end = strstr(err->text, "end of file") || strstr(err->text, "premature end");
    tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "invalid JSON: %s%s", err->text,
                 at_end ? " (truncated or empty file?)" : "");
    return NULL;
}

struct tc_compare_summary *tc_compare_summary_parse(const char *text, size_t len, const char *name,
                                                    struct tc_diags *diags)
{
    /* a UTF-8 byte-order mark (editors on Windows add one) is not part of the JSON */
    size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    json_error_t err;
    json_t *root = json_loadb(text + bom, len - bom, JSON_FLAGS | JSON_DISABLE_EOF_CHECK, &err);
    if (!root)
        return parse_error(&err, name, diags);
    /* without the EOF check, position is the bytes the value used: only blanks may follow */
    size_t end = bom + (size_t)err.position;
    while (end < len && strchr(" \t\r\n", text[end]) && text[end])
        end++;
    if (end < len) {
        uint32_t line = 1, col = 1;
        for (size_t i = bom; i < end; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        struct tc_pos pos = {name, line, col};
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "",
                     "invalid JSON: trailing data after the JSON value at byte %zu (one JSON "
                     "object expected)",
                     end + 1);
        json_decref(root);
        return NULL;
    }
    return validate(root, name, diags);
}

struct tc_compare_summary *tc_compare_summary_read(const char *path, struct tc_diags *diags)
{
    struct tc_pos pos = {path, 0, 0};
    char *text = NULL;
    size_t len = 0;
    /* capped like a scenario: /dev/zero or a FIFO must not eat the machine or hang */
    int err = tc_rfile_read(path, TC_LIMIT_SUMMARY_BYTES, &text, &len);
    if (err == -EFBIG) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "",
                     "larger than %u bytes (TC_LIMIT_SUMMARY_BYTES in tcsim/limits.h): not a "
                     "summary.json",
                     (unsigned)TC_LIMIT_SUMMARY_BYTES);
        return NULL;
    }
    if (err) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "cannot read: %s", strerror(-err));
        return NULL;
    }
    struct tc_compare_summary *s = tc_compare_summary_parse(text, len, path, diags);
    free(text);
    return s;
}

void tc_compare_summary_free(struct tc_compare_summary *s)
{
    if (!s)
        return;
    json_decref(s->root);
    free(s->name);
    free(s);
}

/* ==== statistics ==== */

double tc_compare_se(double ci95, uint32_t n)
{
    return ci95 / gsl_cdf_tdist_Pinv(0.975, (double)(n - 1));
}

void tc_compare_welch(double mean1, double se1, uint32_t n1, double mean2, double se2, uint32_t n2,
                      double *out_t, double *out_df, double *out_p)
{
    /* Welch (1947); Satterthwaite (1946): df = (v1 + v2)^2 / (v1^2/(n1-1) + v2^2/(n2-1)),
    ** v = se^2. With one side exact (se 0) it falls back to the other side's n - 1. */
    /* Scaled by the larger se first: se^4 of a tiny interval (1e-90) would underflow to
    ** 0 and make df 0/0; df does not depend on the scale. */
    double s = se1 > se2 ? se1 : se2;
    double w1 = (se1 / s) * (se1 / s), w2 = (se2 / s) * (se2 / s);
    double t = (mean2 - mean1) / (s * sqrt(w1 + w2));
    double df = (w1 + w2) * (w1 + w2) / (w1 * w1 / (double)(n1 - 1) + w2 * w2 / (double)(n2 - 1));
    /* A difference too large for a double (t infinite) is certainly significant. */
    double p = isfinite(t) ? 2 * gsl_cdf_tdist_Q(fabs(t), df) : 0;
    *out_t = t;
    *out_df = df;
    *out_p = p > 1 ? 1 : p;
}

struct rank {
    double p;
    size_t i;
};

static int rank_cmp(const void *a, const void *b)
{
    const struct rank *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void tc_compare_holm(const double *p, size_t m, double *out)
{
    /* Holm (1979). The adjusted value is the smallest alpha at which the step-down
    ** procedure rejects: a running max keeps adjusted values monotone in rank. */
    struct rank *r = tc_xmalloc((m ? m : 1) * sizeof(*r));
    for (size_t i = 0; i < m; i++)
        r[i] = (struct rank){p[i], i};
    qsort(r, m, sizeof(*r), rank_cmp);
    double run = 0;
    for (size_t k = 0; k < m; k++) {
        double a = (double)(m - k) * r[k].p;
        if (a > 1)
            a = 1;
        if (a > run)
            run = a;
        out[r[k].i] = run;
    }
    free(r);
}

/* ==== comparing ==== */

static bool selected(const struct tc_compare_opts *o, const char *path)
{
    if (!o || o->n_patterns == 0)
        return true;
    for (size_t i = 0; i < o->n_patterns; i++)
        if (fnmatch(o->patterns[i], path, 0) == 0)
            return true;
    return false;
}

struct pair {
    char *path;
    const json_t *b, *c;
};

struct walk {
    const struct tc_compare_opts *opts;
    TC_VEC(struct pair) pairs;
    TC_VEC(char *) only_base;
    TC_VEC(char *) only_cand;
    TC_VEC(char *) all_paths; /* every metric path of both files, for the pattern check */
};

/* Walks every metric below g (a group of one file only) into only-lists. */
static void walk_one(struct walk *w, const json_t *g, const char *path, bool is_base)
{
    if (is_metric(g)) {
        TC_VEC_PUSH(w->all_paths, tc_xstrdup(path));
        if (selected(w->opts, path)) {
            if (is_base)
                TC_VEC_PUSH(w->only_base, tc_xstrdup(path));
            else
                TC_VEC_PUSH(w->only_cand, tc_xstrdup(path));
        }
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)g, key, v)
    {
        char *p = join_path(path, key);
        walk_one(w, v, p, is_base);
        free(p);
    }
}

static void walk_both(struct walk *w, const json_t *b, const json_t *c, const char *path)
{
    if (is_metric(b) && is_metric(c)) {
        TC_VEC_PUSH(w->all_paths, tc_xstrdup(path));
        if (selected(w->opts, path))
            TC_VEC_PUSH(w->pairs, ((struct pair){tc_xstrdup(path), b, c}));
        return;
    }
    if (is_metric(b) || is_metric(c)) {
        /* A metric against a group: each side has something the other lacks. */
        walk_one(w, b, path, true);
        walk_one(w, c, path, false);
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)b, key, v)
    {
        char *p = join_path(path, key);
        const json_t *cv = json_object_get(c, key);
        if (cv)
            walk_both(w, v, cv, p);
        else
            walk_one(w, v, p, true);
        free(p);
    }
    json_object_foreach((json_t *)c, key, v)
    {
        if (!json_object_get(b, key)) {
            char *p = join_path(path, key);
            walk_one(w, v, p, false);
            free(p);
        }
    }
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* "a, b, c" (at most max names, then " and N more"), a new string to free(). */
static char *name_list(const char *const *names, size_t n, size_t max)
{
    TC_VEC(char) s = {0};
    char more[48];
    for (size_t i = 0; i < n && i < max; i++) {
        size_t k = strlen(names[i]);
        TC_VEC_GROW(s, s.n + k + 3);
        if (i) {
            memcpy(s.v + s.n, ", ", 2);
            s.n += 2;
        }
        memcpy(s.v + s.n, names[i], k);
        s.n += k;
    }
    if (n > max) {
        int k = snprintf(more, sizeof(more), " and %zu more", n - max);
        TC_VEC_GROW(s, s.n + (size_t)k + 1);
        memcpy(s.v + s.n, more, (size_t)k);
        s.n += (size_t)k;
    }
    TC_VEC_GROW(s, s.n + 1);
    s.v[s.n] = '\0';
    return s.v;
}

/* Station, class and road names must be the same sets on both sides. */
static void check_names(const json_t *b, const json_t *c, const char *section,
                        struct tc_diags *diags)
{
    TC_VEC(const char *) ob = {0};
    TC_VEC(const char *) oc = {0};
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)b, key, v)
    {
        if (!c || !json_object_get(c, key))
            TC_VEC_PUSH(ob, key);
    }
    json_object_foreach((json_t *)c, key, v)
    {
        if (!b || !json_object_get(b, key))
            TC_VEC_PUSH(oc, key);
    }
    if (ob.n || oc.n) {
        char *lb = name_list(ob.v, ob.n, 10), *lc = name_list(oc.v, oc.n, 10);
        tc_diags_add(diags, TC_SEV_ERROR, NULL, section,
                     "not comparable: different %s (only in the baseline: %s; only in the "
                     "candidate: %s)",
                     section, ob.n ? lb : "none", oc.n ? lc : "none");
        free(lb);
        free(lc);
    }
    free(ob.v);
    free(oc.v);
}

static double num_or_nan(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : (double)NAN;
}

static uint32_t metric_n(const json_t *m, uint32_t reps)
{
    uint32_t n;
    return get_count(json_object_get(m, "n"), &n) ? n : reps;
}

static void decide(struct tc_compare_metric *r, const struct tc_compare_opts *o)
{
    double rel = o ? o->rel_tol : 0, abst = o ? o->abs_tol : 0;
    r->df = (double)NAN;
    r->change_pct = (double)NAN;
    r->change_se = (double)NAN;
    if (isnan(r->base_mean) || isnan(r->cand_mean)) {
        bool both = isnan(r->base_mean) && isnan(r->cand_mean);
        r->kind = TC_COMPARE_NULL;
        r->diff = (double)NAN;
        r->p = both ? 1 : 0;
        r->within_tol = false;
        return;
    }
    r->diff = r->cand_mean - r->base_mean;
    if (r->base_mean != 0)
        r->change_pct = 100 * r->diff / fabs(r->base_mean);
    double ad = fabs(r->diff);
    r->within_tol = ad <= abst || ad <= rel * fabs(r->base_mean);
    if (isnan(r->base_ci95) || isnan(r->cand_ci95) || r->base_n < 2 || r->cand_n < 2) {
        /* no interval on a side: only "equal" or "within the tolerances" can be said */
        r->kind = TC_COMPARE_NO_INTERVAL;
        r->p = r->diff == 0 ? 1 : (double)NAN;
        return;
    }
    if (r->base_ci95 == 0 && r->cand_ci95 == 0) {
        r->kind = TC_COMPARE_EXACT;
        r->p = r->diff == 0 ? 1 : 0;
        r->change_se = r->diff == 0 ? 0 : copysign((double)INFINITY, r->diff);
        return;
    }
    r->kind = TC_COMPARE_TEST;
    double se_b = tc_compare_se(r->base_ci95, r->base_n);
    double se_c = tc_compare_se(r->cand_ci95, r->cand_n);
    tc_compare_welch(r->base_mean, se_b, r->base_n, r->cand_mean, se_c, r->cand_n, &r->change_se,
                     &r->df, &r->p);
}

/* Most significant first: smallest p, then largest |change in SE| (null counts as infinite). */
struct sig {
    double p, strength;
    size_t i;
};

static int sig_cmp(const void *a, const void *b)
{
    const struct sig *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    if (x->strength != y->strength)
        return x->strength > y->strength ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void tc_compare_result_fini(struct tc_compare_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].path);
    free(r->v);
    free(r->moved);
    memset(r, 0, sizeof(*r));
}

/* Errors (and a warning) when the two files cannot be compared at all; false on any error. */
static bool comparable(const struct tc_compare_summary *base, const struct tc_compare_summary *cand,
                       struct tc_diags *diags)
{
    size_t n_err = diags->n_err;
    if (strcmp(base->time_unit, cand->time_unit) != 0)
        tc_diags_add(diags, TC_SEV_ERROR, NULL, "time_unit",
                     "not comparable: \"%s\" in the baseline, \"%s\" in the candidate",
                     base->time_unit, cand->time_unit);
    if (base->scenario && cand->scenario && strcmp(base->scenario, cand->scenario) != 0)
        tc_diags_add(diags, TC_SEV_WARNING, NULL, "scenario",
                     "different names: \"%s\" in the baseline, \"%s\" in the candidate",
                     base->scenario, cand->scenario);
    for (size_t i = 0; i < N_SECTIONS; i++)
        check_names(json_object_get(base->root, sections[i]),
                    json_object_get(cand->root, sections[i]), sections[i], diags);
    return diags->n_err == n_err;
}

static void walk_fini(struct walk *w)
{
    free_strs(w->only_base.v, w->only_base.n);
    free_strs(w->only_cand.v, w->only_cand.n);
    free_strs(w->all_paths.v, w->all_paths.n);
}

/*
** Pairs the selected metrics of both files into w->pairs (owned by the
** caller); false, with errors, when the files have different metrics or a
** --metrics pattern matches none.
*/
static bool pair_metrics(struct walk *w, const struct tc_compare_summary *base,
                         const struct tc_compare_summary *cand, const struct tc_compare_opts *opts,
                         struct tc_diags *diags)
{
    size_t n_err = diags->n_err;
    for (size_t i = 0; i < N_SECTIONS; i++) {
        const json_t *b = json_object_get(base->root, sections[i]),
                     *c = json_object_get(cand->root, sections[i]);
        if (b && c)
            walk_both(w, b, c, sections[i]);
    }
    if (w->only_base.n || w->only_cand.n) {
        char *lb = name_list((const char *const *)w->only_base.v, w->only_base.n, 10),
             *lc = name_list((const char *const *)w->only_cand.v, w->only_cand.n, 10);
        tc_diags_add(diags, TC_SEV_ERROR, NULL, "",
                     "not comparable: different metrics (only in the baseline: %s; only in the "
                     "candidate: %s)",
                     w->only_base.n ? lb : "none", w->only_cand.n ? lc : "none");
        free(lb);
        free(lc);
    }
    for (size_t k = 0; opts && k < opts->n_patterns; k++) {
        bool hit = false;
        for (size_t i = 0; i < w->all_paths.n && !hit; i++)
            hit = fnmatch(opts->patterns[k], w->all_paths.v[i], 0) == 0;
        if (!hit)
            tc_diags_add(diags, TC_SEV_ERROR, NULL, "",
                         "--metrics: \"%s\" matches no metric (paths look like "
                         "stations.NAME.wait, classes.NAME.time_in_system_p90, roads.NAME.km)",
                         opts->patterns[k]);
    }
    return diags->n_err == n_err;
}

/*
** Each pair of w->pairs decided into out->v (which takes the paths);
** the p values to adjust go to p[], their result indices to idx[]. Returns
** how many there are.
*/
static size_t decide_pairs(const struct walk *w, const struct tc_compare_summary *base,
                           const struct tc_compare_summary *cand,
                           const struct tc_compare_opts *opts, const json_t *rb, const json_t *rc,
                           struct tc_compare_result *out, double *p, size_t *idx)
{
    size_t m = 0, n_welch = 0;
    for (size_t i = 0; i < out->n; i++) {
        struct tc_compare_metric *r = &out->v[i];
        const json_t *b = w->pairs.v[i].b, *c = w->pairs.v[i].c;
        r->path = w->pairs.v[i].path;
        r->base_mean = num_or_nan(json_object_get(b, "mean"));
        r->base_ci95 = num_or_nan(json_object_get(b, "ci95"));
        r->cand_mean = num_or_nan(json_object_get(c, "mean"));
        r->cand_ci95 = num_or_nan(json_object_get(c, "ci95"));
        r->base_n = metric_n(b, base->reps);
        r->cand_n = metric_n(c, cand->reps);
        decide(r, opts);
        if (r->kind == TC_COMPARE_TEST && rb && !tc_compare__paired_metric(rb, rc, r))
            n_welch++; /* defined in fewer than 2 replications of a pair */
        r->p_holm = r->p;
        if (r->kind == TC_COMPARE_TEST) {
            p[m] = r->p;
            idx[m++] = i;
        } else if (r->kind == TC_COMPARE_EXACT) {
            out->n_exact++;
        }
    }
    if (n_welch) {
        size_t k = strlen(out->test);
        snprintf(out->test + k, sizeof(out->test) - k, "; Welch t for %zu defined too rarely",
                 n_welch);
    }
    return m;
}

/* Different means without an interval cannot be judged: refuse rather than guess. */
static bool all_judged(const struct tc_compare_result *out, const struct tc_compare_summary *base,
                       const struct tc_compare_summary *cand, struct tc_diags *diags)
{
    size_t n_unjudged = 0, first = 0;
    for (size_t i = 0; i < out->n; i++) {
        const struct tc_compare_metric *r = &out->v[i];
        if (r->kind == TC_COMPARE_NO_INTERVAL && r->diff != 0 && !r->within_tol && !n_unjudged++)
            first = i;
    }
    if (n_unjudged)
        tc_diags_add(diags, TC_SEV_ERROR, NULL, "",
                     "cannot judge %zu of %zu metrics (%s, ...): they differ and have no "
                     "confidence interval (ci95 null: one replication; the baseline has %" PRIu32
                     ", the candidate %" PRIu32 "); run both with -r 2 or more",
                     n_unjudged, out->n, out->v[first].path, base->reps, cand->reps);
    return n_unjudged == 0;
}

/* Marks the metrics that moved and lists them in out->moved, most significant first. */
static void rank_moved(struct tc_compare_result *out)
{
    out->moved = tc_xmalloc((out->n ? out->n : 1) * sizeof(*out->moved));
    struct sig *sg = tc_xmalloc((out->n ? out->n : 1) * sizeof(*sg));
    for (size_t i = 0; i < out->n; i++) {
        struct tc_compare_metric *r = &out->v[i];
        bool changed = r->kind == TC_COMPARE_TEST          ? r->p_holm <= TC_COMPARE_ALPHA
                       : r->kind == TC_COMPARE_NO_INTERVAL ? r->diff != 0
                                                           : r->p == 0;
        r->moved = changed && !r->within_tol;
        if (r->moved)
            sg[out->n_moved++] =
                (struct sig){r->p, isnan(r->change_se) ? (double)INFINITY : fabs(r->change_se), i};
    }
    qsort(sg, out->n_moved, sizeof(*sg), sig_cmp);
    for (size_t k = 0; k < out->n_moved; k++)
        out->moved[k] = sg[k].i;
    free(sg);
}

enum tc_compare_status tc_compare_run(const struct tc_compare_summary *base,
                                      const struct tc_compare_summary *cand,
                                      const struct tc_compare_opts *opts,
                                      struct tc_compare_result *out, struct tc_diags *diags)
{
    memset(out, 0, sizeof(*out));
    if (!comparable(base, cand, diags))
        return TC_COMPARE_ERROR;
    struct walk w = {.opts = opts};
    bool paired = pair_metrics(&w, base, cand, opts, diags);
    walk_fini(&w);
    if (!paired) {
        for (size_t i = 0; i < w.pairs.n; i++)
            free(w.pairs.v[i].path);
        free(w.pairs.v);
        return TC_COMPARE_ERROR;
    }

    out->base_reps = base->reps;
    out->cand_reps = cand->reps;
    out->n = w.pairs.n;
    out->v = tc_xcalloc(out->n ? out->n : 1, sizeof(*out->v));
    double *p = tc_xmalloc((out->n ? out->n : 1) * sizeof(*p));
    double *adj = tc_xmalloc((out->n ? out->n : 1) * sizeof(*adj));
    size_t *idx = tc_xmalloc((out->n ? out->n : 1) * sizeof(*idx));
    json_t *rb, *rc;
    out->paired = tc_compare__pairing(base, cand, &rb, &rc, out->test, sizeof(out->test));
    size_t m = decide_pairs(&w, base, cand, opts, rb, rc, out, p, idx);
    json_decref(rb);
    json_decref(rc);
    free(w.pairs.v);
    bool judged = all_judged(out, base, cand, diags);
    if (judged) {
        tc_compare_holm(p, m, adj);
        for (size_t k = 0; k < m; k++)
            out->v[idx[k]].p_holm = adj[k];
        out->n_tested = m;
        rank_moved(out);
    }
    free(p);
    free(adj);
    free(idx);
    if (!judged) {
        tc_compare_result_fini(out);
        return TC_COMPARE_ERROR;
    }
    return out->n_moved ? TC_COMPARE_MOVED : TC_COMPARE_AGREE;
}
