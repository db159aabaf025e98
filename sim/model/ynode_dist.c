/*
** ynode_dist: a distribution read from the scenario: a bare duration, or a
** mapping {dist: <kind>, <params>} walked through tc_dist_specs, with each
** message pointing at the parameter at fault.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "model/ynode.h"

bool tc_ynode_is_dist(const struct tc_ynode *y, int id)
{
    yaml_node_t *n = tc_ynode_node(y, id);

    return n != NULL && n->type == YAML_MAPPING_NODE && tc_ynode_get(y, id, "dist") != 0;
}

/* Whether word occurs in msg as a whole word. */
static bool has_word(const char *msg, const char *word)
{
    size_t l = strlen(word);

    for (const char *p = strstr(msg, word); p != NULL; p = strstr(p + 1, word)) {
        bool start = p == msg || !((p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '_');
        bool end = !((p[l] >= 'a' && p[l] <= 'z') || p[l] == '_');

        if (start && end)
            return true;
    }
    return false;
}

/* A list of durations (values) or numbers (weights) into a new array; NULL on error. */
static double *read_list(struct tc_ynode *y, int id, const char *key, bool durations,
                         uint32_t *n_out)
{
    size_t n = tc_ynode_len(y, id);
    double *v;
    bool ok = true;
    char kbuf[256], ibuf[32];

    if (!tc_ynode_expect_seq(y, id, key,
                             durations ? "a list of durations" : "a list of numbers >= 0"))
        return NULL;
    if (n == 0) {
        tc_ynode_error(y, id, key, "expected at least one %s", durations ? "value" : "weight");
        return NULL;
    }
    if (n > UINT32_MAX / 2) {
        tc_ynode_error(y, id, key, "too many values");
        return NULL;
    }
    v = tc_xmalloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        int it = tc_ynode_item(y, id, i);

        snprintf(ibuf, sizeof(ibuf), "[%zu]", i);
        tc_ynode_subkey(kbuf, sizeof(kbuf), key, ibuf);
        if (durations)
            ok &= tc_ynode_duration(y, it, kbuf, &v[i]);
        else
            ok &= tc_ynode_number(y, it, kbuf, TC_YN_NONNEG, &v[i]);
    }
    if (!ok) {
        free(v);
        return NULL;
    }
    *n_out = (uint32_t)n;
    return v;
}

/*
** The kind named by "dist"; on failure only duplicate keys are checked, as
** without the kind its parameters cannot be judged.
*/
static bool read_kind(struct tc_ynode *y, int id, const char *key, int *kind_i)
{
    const char *names[TC_DIST__COUNT];
    char kbuf[256];
    size_t old;

    for (int k = 0; k < TC_DIST__COUNT; k++)
        names[k] = tc_dist_specs[k].name;
    if (!tc_ynode_is_dist(y, id)) {
        tc_ynode_error(y, id, key,
                       "missing key \"dist\" (a distribution is a duration or a mapping such "
                       "as {dist: exponential, mean: 20 min})");
        return false;
    }
    if (!tc_ynode_enum(y, tc_ynode_get(y, id, "dist"),
                       tc_ynode_subkey(kbuf, sizeof(kbuf), key, "dist"), names, TC_DIST__COUNT,
                       kind_i)) {
        old = tc_ynode_path_suffix(&y->path, key);
        tc_ynode_check_keys(y, id, NULL, 0, NULL);
        tc_ynode_path_pop(&y->path, old);
        return false;
    }
    return true;
}

/* The keys a distribution of this kind may have: "dist" and its parameters. */
static bool check_dist_keys(struct tc_ynode *y, int id, const char *key, int kind_i)
{
    const struct tc_dist_spec *spec = &tc_dist_specs[kind_i];
    const char *allowed[6];
    size_t n_allowed = 0;
    size_t old;
    bool ok;

    allowed[n_allowed++] = "dist";
    if (kind_i == TC_DIST_EMPIRICAL) {
        allowed[n_allowed++] = "values";
        allowed[n_allowed++] = "weights";
    } else {
        for (uint32_t i = 0; i < spec->n_params; i++)
            allowed[n_allowed++] = spec->param[i];
    }
    old = tc_ynode_path_suffix(&y->path, key);
    ok = tc_ynode_check_keys(y, id, allowed, n_allowed, NULL);
    tc_ynode_path_pop(&y->path, old);
    return ok;
}

/* An empirical's values and optional weights, one per value; the arrays are new (free()). */
static bool read_empirical(struct tc_ynode *y, int id, const char *key, double **values,
                           double **weights, uint32_t *n_values)
{
    int vn = tc_ynode_get(y, id, "values");
    int wn = tc_ynode_get(y, id, "weights");
    uint32_t n_weights = 0;
    bool ok = true;
    char kbuf[256];
    size_t old;

    if (vn == 0) {
        old = tc_ynode_path_suffix(&y->path, key);
        tc_ynode_missing(y, id, "values", "empirical takes values and optional weights");
        tc_ynode_path_pop(&y->path, old);
        ok = false;
    } else {
        *values =
            read_list(y, vn, tc_ynode_subkey(kbuf, sizeof(kbuf), key, "values"), true, n_values);
        ok &= *values != NULL;
    }
    if (wn != 0) {
        *weights = read_list(y, wn, tc_ynode_subkey(kbuf, sizeof(kbuf), key, "weights"), false,
                             &n_weights);
        ok &= *weights != NULL;
        if (*values != NULL && *weights != NULL && n_weights != *n_values) {
            tc_ynode_error(y, wn, kbuf, "expected %" PRIu32 " weights, one per value, got %" PRIu32,
                           *n_values, n_weights);
            ok = false;
        }
    }
    return ok;
}

/* The parameters of a parametric kind, each a duration or a number; pnode gets their nodes. */
static bool read_params(struct tc_ynode *y, int id, const char *key,
                        const struct tc_dist_spec *spec, int pnode[3], double params[3])
{
    bool ok = true;
    char kbuf[256];
    size_t old;

    for (uint32_t i = 0; i < spec->n_params; i++) {
        pnode[i] = tc_ynode_get(y, id, spec->param[i]);
        tc_ynode_subkey(kbuf, sizeof(kbuf), key, spec->param[i]);
        if (pnode[i] == 0) {
            char *list = tc_ynode_join_names(spec->param, spec->n_params);
            char hint[160];

            snprintf(hint, sizeof(hint), "%s takes %s", spec->name, list);
            free(list);
            old = tc_ynode_path_suffix(&y->path, key);
            tc_ynode_missing(y, id, spec->param[i], hint);
            tc_ynode_path_pop(&y->path, old);
            ok = false;
        } else if (spec->is_duration[i]) {
            ok &= tc_ynode_duration(y, pnode[i], kbuf, &params[i]);
        } else {
            ok &= tc_ynode_number(y, pnode[i], kbuf, TC_YN_ANY, &params[i]);
        }
    }
    return ok;
}

/*
** Reports tc_dist_init's message. dist's messages start with the parameter
** at fault ("sd must be > 0"): point at that parameter when it is the only
** one the message names, else ("min must be <= max") at the whole
** distribution.
*/
static void report_init_error(struct tc_ynode *y, int id, const char *key,
                              const struct tc_dist_spec *spec, const int pnode[3], const char *err)
{
    char kbuf[256];

    for (uint32_t i = 0; i < spec->n_params; i++) {
        size_t l = strlen(spec->param[i]);
        bool others = false;

        if (strncmp(err, spec->param[i], l) != 0 || err[l] != ' ')
            continue;
        for (uint32_t j = 0; j < spec->n_params; j++)
            if (j != i && has_word(err, spec->param[j]))
                others = true;
        if (!others) {
            tc_ynode_error_got(y, pnode[i],
                               tc_ynode_subkey(kbuf, sizeof(kbuf), key, spec->param[i]), "%s", err);
            return;
        }
    }
    tc_ynode_error(y, id, key, "%s", err);
}

static bool dist_map(struct tc_ynode *y, int id, const char *key, struct tc_dist *out)
{
    const struct tc_dist_spec *spec;
    int kind_i;
    int pnode[3] = {0, 0, 0};
    double params[3] = {0, 0, 0};
    double *values = NULL, *weights = NULL;
    uint32_t n_values = 0;
    bool ok, keys_ok;
    const char *err;

    if (!read_kind(y, id, key, &kind_i))
        return false;
    spec = &tc_dist_specs[kind_i];
    /* An unknown key does not stop the parameters from being checked. */
    keys_ok = check_dist_keys(y, id, key, kind_i);
    if (kind_i == TC_DIST_EMPIRICAL)
        ok = read_empirical(y, id, key, &values, &weights, &n_values);
    else
        ok = read_params(y, id, key, spec, pnode, params);
    if (!ok) {
        free(values);
        free(weights);
        tc_dist_init_constant(out, 0.0);
        return false;
    }
    err = tc_dist_init(out, (enum tc_dist_kind)kind_i, params, values, weights, n_values);
    free(values);
    free(weights);
    if (err == NULL && !keys_ok) {
        tc_dist_fini(out);
        tc_dist_init_constant(out, 0.0);
        return false;
    }
    if (err == NULL)
        return true;
    report_init_error(y, id, key, spec, pnode, err);
    return false;
}

bool tc_ynode_dist(struct tc_ynode *y, int id, const char *key, enum tc_yn_bare bare,
                   struct tc_dist *out)
{
    yaml_node_t *n = tc_ynode_node(y, id);
    double v;

    tc_dist_init_constant(out, 0.0);
    if (n != NULL && n->type == YAML_MAPPING_NODE)
        return dist_map(y, id, key, out);
    if (n == NULL || n->type != YAML_SCALAR_NODE || tc_ynode_is_null(y, id)) {
        tc_ynode_error_got(y, id, key,
                           "expected a duration or a distribution such as {dist: exponential, "
                           "mean: 20 min}");
        return false;
    }
    if (!tc_ynode_duration(y, id, key, &v))
        return false;
    if (bare == TC_YN_BARE_CONSTANT) {
        /* Through tc_dist_init, so a bare constant meets the bound a {dist: constant} does. */
        if (tc_dist_init(out, TC_DIST_CONSTANT, &v, NULL, NULL, 0) != NULL) {
            tc_ynode_error_got(y, id, key, "a duration here must be at most 1e300 %s",
                               tc_units_name(y->tu));
            return false;
        }
        return true;
    }
    if (tc_dist_init(out, TC_DIST_EXPONENTIAL, &v, NULL, NULL, 0) != NULL) {
        if (v > 0.0)
            tc_ynode_error_got(y, id, key,
                               "a bare duration here is the mean of an exponential and must be "
                               "at most 1e150 %s (its variance, mean^2, at most 1e300)",
                               tc_units_name(y->tu));
        else
            tc_ynode_error_got(
                y, id, key, "a bare duration here is the mean of an exponential and must be > 0");
        return false;
    }
    return true;
}
