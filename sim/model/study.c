/*
** study: the study file, walked with ynode like a scenario: a mapping with
** scenario (required), replications, seed, baseline and options (required,
** a non-empty list of {name, set}). Every problem is collected before
** returning. An option's overrides are split at their first '=' as --set
** splits them; their values are checked only when the option is loaded.
*/
#include "model/study.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "base/limits.h"
#include "base/rfile.h"
#include "base/xmem.h"
#include "model/ynode.h"

static const char *const top_keys[] = {"scenario", "replications", "seed",
                                       "set",      "baseline",     "options"};
static const char *const option_keys[] = {"name", "set"};

/* The study file's directory joined with rel (unless rel is absolute): a new string. */
static char *beside(const char *file, const char *rel)
{
    const char *slash = strrchr(file, '/');
    if (rel[0] == '/' || !slash)
        return tc_xstrdup(rel);
    size_t nd = (size_t)(slash - file) + 1, n = nd + strlen(rel) + 1;
    char *s = tc_xmalloc(n);
    memcpy(s, file, nd);
    memcpy(s + nd, rel, strlen(rel) + 1);
    return s;
}

static void load_scenario_key(struct tc_ynode *y, struct tc_study *st, int root)
{
    int v = tc_ynode_get(y, root, "scenario");
    const char *s;
    if (!v) {
        tc_ynode_missing(y, root, "scenario", "the base scenario, a path relative to the study");
        return;
    }
    if (!tc_ynode_string(y, v, "scenario", &s))
        return;
    st->scenario = beside(st->file, s);
    char *text = NULL;
    size_t len = 0;
    int err = tc_rfile_read(st->scenario, TC_LIMIT_SCENARIO_BYTES, &text, &len);
    free(text);
    if (err && err != -EFBIG) /* a file too big is said when it is loaded */
        tc_ynode_error(y, v, "scenario", "cannot read \"%s\": %s", st->scenario, strerror(-err));
}

/* replications or seed: checked as the scenario checks them, kept as text for the override. */
static void load_number_key(struct tc_ynode *y, int root, const char *key, char **out,
                            struct tc_pos *pos)
{
    int v = tc_ynode_get(y, root, key);
    if (!v)
        return;
    bool ok;
    if (strcmp(key, "seed") == 0) {
        uint64_t seed;
        ok = tc_ynode_u64(y, v, key, &seed);
    } else {
        uint32_t reps;
        ok = tc_ynode_uint_max(y, v, key, 0, TC_LIMIT_REPLICATIONS, "TC_LIMIT_REPLICATIONS", &reps);
    }
    if (ok) {
        *out = tc_xstrdup(tc_ynode_scalar(y, v));
        *pos = tc_ynode_pos(y, v);
    }
}

/* One item of options[i].set: "KEY=VALUE". */
static bool load_set_item(struct tc_ynode *y, int item, size_t j, struct tc_study_option *o)
{
    const char *s;
    char key[32];
    snprintf(key, sizeof(key), "[%zu]", j);
    if (!tc_ynode_string(y, item, key, &s))
        return false;
    const char *eq = strchr(s, '=');
    if (!eq || eq == s) {
        tc_ynode_error_got(y, item, key, "expected KEY=VALUE, as --set takes it");
        return false;
    }
    struct tc_override *ov = &o->set[o->n_set];
    ov->key = tc_xstrndup(s, (size_t)(eq - s));
    ov->value = tc_xstrdup(eq + 1);
    o->set_pos[o->n_set++] = tc_ynode_pos(y, item);
    return true;
}

static void free_sets(struct tc_study_option *o)
{
    for (size_t j = 0; j < o->n_set; j++) {
        free((char *)o->set[j].key);
        free((char *)o->set[j].value);
    }
    free(o->set);
    free(o->set_pos);
}

/* The study's own set: (overrides every option starts from, e.g. a costs: section). */
static void load_common_set(struct tc_ynode *y, struct tc_study *st, int root)
{
    int sv = tc_ynode_get(y, root, "set");
    size_t n = 0;
    if (sv && !tc_ynode_is_null(y, sv) &&
        tc_ynode_expect_seq(y, sv, "set", "a list of KEY=VALUE overrides, as --set takes"))
        n = tc_ynode_len(y, sv);
    st->common.set = tc_xcalloc(n ? n : 1, sizeof(*st->common.set));
    st->common.set_pos = tc_xcalloc(n ? n : 1, sizeof(*st->common.set_pos));
    size_t p1 = tc_ynode_path_key(&y->path, "set");
    for (size_t j = 0; j < n; j++)
        load_set_item(y, tc_ynode_item(y, sv, j), j, &st->common);
    tc_ynode_path_pop(&y->path, p1);
}

static void load_option(struct tc_ynode *y, int node, size_t i, struct tc_study *st,
                        const int *name_nodes)
{
    struct tc_study_option *o = &st->options[st->n_options];
    size_t p0 = tc_ynode_path_index(&y->path, i);
    if (!tc_ynode_expect_map(y, node, NULL, "a mapping with name and set")) {
        tc_ynode_path_pop(&y->path, p0);
        return;
    }
    tc_ynode_check_keys(y, node, option_keys, 2, NULL);
    int nv = tc_ynode_get(y, node, "name");
    const char *name = NULL;
    if (!nv)
        tc_ynode_missing(y, node, "name", "the option's name, also its output directory");
    else if (tc_ynode_string(y, nv, "name", &name)) {
        if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-") !=
                strlen(name) ||
            name[0] == '.' || strlen(name) > 200) {
            tc_ynode_error_got(y, nv, "name",
                               "expected a name of letters, digits and . _ + - (at most 200, "
                               "not starting with a dot): it names a directory");
            name = NULL;
        } else {
            for (size_t k = 0; k < st->n_options; k++)
                if (strcmp(st->options[k].name, name) == 0) {
                    tc_ynode_error(y, nv, "name", "duplicate option name \"%s\", first at line %u",
                                   name, tc_ynode_pos(y, name_nodes[k]).line);
                    name = NULL;
                    break;
                }
        }
    }
    int sv = tc_ynode_get(y, node, "set");
    size_t n = 0;
    bool ok = name != NULL;
    if (sv && !tc_ynode_is_null(y, sv)) {
        if (tc_ynode_expect_seq(y, sv, "set", "a list of KEY=VALUE overrides, as --set takes"))
            n = tc_ynode_len(y, sv);
        else
            ok = false;
    }
    o->set = tc_xcalloc(n ? n : 1, sizeof(*o->set));
    o->set_pos = tc_xcalloc(n ? n : 1, sizeof(*o->set_pos));
    size_t p1 = tc_ynode_path_key(&y->path, "set");
    for (size_t j = 0; j < n; j++)
        ok &= load_set_item(y, tc_ynode_item(y, sv, j), j, o);
    tc_ynode_path_pop(&y->path, p1);
    tc_ynode_path_pop(&y->path, p0);
    if (!ok) {
        free_sets(o);
        memset(o, 0, sizeof(*o));
        return;
    }
    o->name = tc_xstrdup(name);
    ((int *)name_nodes)[st->n_options] = nv;
    st->n_options++;
}

static void load_options(struct tc_ynode *y, struct tc_study *st, int root, int *n_bad)
{
    int v = tc_ynode_get(y, root, "options");
    if (!v) {
        tc_ynode_missing(y, root, "options", "a list of {name, set}");
        return;
    }
    if (!tc_ynode_expect_seq(y, v, "options", "a list of options {name, set}"))
        return;
    size_t n = tc_ynode_len(y, v);
    if (n == 0) {
        tc_ynode_error(y, v, "options", "a study needs at least one option");
        return;
    }
    st->options = tc_xcalloc(n, sizeof(*st->options));
    int *name_nodes = tc_xcalloc(n, sizeof(int));
    size_t p0 = tc_ynode_path_key(&y->path, "options");
    for (size_t i = 0; i < n; i++) {
        size_t before = st->n_options;
        load_option(y, tc_ynode_item(y, v, i), i, st, name_nodes);
        *n_bad += st->n_options == before;
    }
    tc_ynode_path_pop(&y->path, p0);
    free(name_nodes);
}

static void load_baseline(struct tc_ynode *y, struct tc_study *st, int root, int n_bad)
{
    int v = tc_ynode_get(y, root, "baseline");
    const char *name;
    if (!v || n_bad || !st->n_options || !tc_ynode_string(y, v, "baseline", &name))
        return;
    for (size_t k = 0; k < st->n_options; k++)
        if (strcmp(st->options[k].name, name) == 0) {
            st->baseline = k;
            return;
        }
    const char **names = tc_xcalloc(st->n_options, sizeof(*names));
    for (size_t k = 0; k < st->n_options; k++)
        names[k] = st->options[k].name;
    const char *hint = tc_diag_suggest(name, names, st->n_options);
    char *list = tc_ynode_join_names(names, st->n_options);
    if (hint)
        tc_ynode_error(y, v, "baseline", "no option named \"%s\"; did you mean \"%s\"?", name,
                       hint);
    else
        tc_ynode_error(y, v, "baseline", "no option named \"%s\"; the options are %s", name, list);
    free(list);
    free(names);
}

int tc_study_load(const char *path, struct tc_study *st, struct tc_diags *diags)
{
    memset(st, 0, sizeof(*st));
    st->file = tc_xstrdup(path);
    size_t err0 = diags->n_err;
    char *text = NULL;
    size_t len = 0;
    int err = tc_rfile_read(path, TC_LIMIT_SCENARIO_BYTES, &text, &len);
    if (err) {
        struct tc_pos pos = {st->file, 0, 0};
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "cannot read the study: %s", strerror(-err));
        goto fail;
    }
    if (!tc_ynode_prescan(text, len, st->file, NULL, "", diags))
        goto fail;
    yaml_parser_t parser;
    yaml_document_t doc;
    memset(&doc, 0, sizeof(doc));
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        struct tc_pos pos = {st->file, (uint32_t)parser.problem_mark.line + 1,
                             (uint32_t)parser.problem_mark.column + 1};
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "YAML syntax: %s",
                     parser.problem ? parser.problem : "cannot parse the file");
        yaml_parser_delete(&parser);
        goto fail;
    }
    yaml_parser_delete(&parser);
    struct tc_ynode y;
    tc_ynode_init(&y, &doc, st->file, diags);
    int n_bad = 0;
    if (!yaml_document_get_root_node(&doc)) {
        struct tc_pos pos = {st->file, 0, 0};
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "",
                     "the study is empty; it needs scenario and options");
    } else if (tc_ynode_expect_map(&y, 1, NULL, "a mapping with scenario and options")) {
        tc_ynode_check_keys(&y, 1, top_keys, sizeof(top_keys) / sizeof(*top_keys), NULL);
        load_scenario_key(&y, st, 1);
        load_number_key(&y, 1, "replications", &st->replications, &st->replications_pos);
        load_number_key(&y, 1, "seed", &st->seed, &st->seed_pos);
        load_common_set(&y, st, 1);
        load_options(&y, st, 1, &n_bad);
        load_baseline(&y, st, 1, n_bad);
    }
    tc_ynode_report_dropped(&y);
    tc_ynode_fini(&y);
    yaml_document_delete(&doc);
fail:
    free(text);
    if (diags->n_err > err0) {
        char *file = st->file;
        st->file = NULL;
        tc_study_fini(st);
        /* diagnostics copy their file name: the study's may go */
        free(file);
        memset(st, 0, sizeof(*st));
        return -1;
    }
    return 0;
}

void tc_study_fini(struct tc_study *st)
{
    for (size_t k = 0; k < st->n_options; k++) {
        free_sets(&st->options[k]);
        free(st->options[k].name);
    }
    free_sets(&st->common);
    free(st->options);
    free(st->scenario);
    free(st->replications);
    free(st->seed);
    free(st->file);
    memset(st, 0, sizeof(*st));
}

size_t tc_study_run_order(const struct tc_study *st, size_t j)
{
    return j == 0 ? st->baseline : j <= st->baseline ? j - 1 : j;
}

size_t tc_study_max_overrides(const struct tc_study *st, size_t n_extra)
{
    size_t n = 0;
    for (size_t k = 0; k < st->n_options; k++)
        n = st->options[k].n_set > n ? st->options[k].n_set : n;
    return st->common.n_set + n + (st->replications != NULL) + (st->seed != NULL) + n_extra;
}

size_t tc_study_overrides(const struct tc_study *st, size_t k, const struct tc_override *extra,
                          size_t n_extra, struct tc_override *out)
{
    const struct tc_study_option *o = &st->options[k];
    size_t n = 0;
    for (size_t j = 0; j < st->common.n_set; j++)
        out[n++] = st->common.set[j];
    for (size_t j = 0; j < o->n_set; j++)
        out[n++] = o->set[j];
    if (st->replications)
        out[n++] = (struct tc_override){"replications", st->replications};
    if (st->seed)
        out[n++] = (struct tc_override){"seed", st->seed};
    for (size_t j = 0; j < n_extra; j++)
        out[n++] = extra[j];
    return n;
}

struct tc_scenario *tc_study_load_option(const struct tc_study *st, size_t k,
                                         const struct tc_override *extra, size_t n_extra,
                                         struct tc_diags *diags)
{
    const struct tc_study_option *o = &st->options[k];
    size_t n = st->common.n_set + o->n_set + 2 + n_extra, n_ovr = 0;
    struct tc_override *ovr = tc_xcalloc(n, sizeof(*ovr));
    const struct tc_pos **where = tc_xcalloc(n, sizeof(*where)); /* study position or NULL */
    for (size_t j = 0; j < st->common.n_set;
         j++) { /* the study's first: an option may change them */
        where[n_ovr] = &st->common.set_pos[j];
        ovr[n_ovr++] = st->common.set[j];
    }
    for (size_t j = 0; j < o->n_set; j++) {
        where[n_ovr] = &o->set_pos[j];
        ovr[n_ovr++] = o->set[j];
    }
    if (st->replications) {
        where[n_ovr] = &st->replications_pos;
        ovr[n_ovr++] = (struct tc_override){"replications", st->replications};
    }
    if (st->seed) {
        where[n_ovr] = &st->seed_pos;
        ovr[n_ovr++] = (struct tc_override){"seed", st->seed};
    }
    size_t n_own = n_ovr;
    for (size_t j = 0; j < n_extra; j++)
        ovr[n_ovr++] = extra[j];
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc = tc_scenario_load(st->scenario, ovr, n_ovr, &d);
    for (size_t i = 0; i < d.n; i++) {
        const struct tc_diag *g = &d.v[i];
        size_t len = strlen(o->name) + strlen(g->path) + 16;
        char *path = tc_xmalloc(len);
        snprintf(path, len, "option \"%s\"%s%s", o->name, g->path[0] ? ": " : "", g->path);
        struct tc_pos pos = {g->file, g->line, g->col};
        if (strcmp(g->file, "--set") == 0 && g->line >= 1 && g->line <= n_own)
            pos = *where[g->line - 1];
        else if (strcmp(g->file, "--set") == 0 && g->line > n_own)
            pos.line = g->line - (uint32_t)n_own;
        tc_diags_add(diags, g->sev, &pos, path, "%s", g->msg);
        free(path);
    }
    tc_diags_fini(&d);
    free(where);
    free(ovr);
    return sc;
}
