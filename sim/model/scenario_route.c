/*
** scenario_route: where trucks go next (next:, a station, a list of
** {to, p}, a choice (scenario_choose.c) or a mapping class -> route) and the check that a per-class
** mapping covers every class, shared by routes and service times.
*/
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "base/xmem.h"
#include "model/scenario_int.h"

/* How far from 1 a list of branch probabilities may sum (scenarios/README.md, Routing). */
#define TC_PROB_SUM_TOL 1e-3

static const char *const branch_keys[] = {"to", "p"};

/* "a, b and c" of the class names flagged in want (or all when want is NULL). */
char *tc_scenario_class_list(const struct tc_scenario *sc, const bool *want)
{
    TC_VEC(char) s = {0};
    uint32_t n = 0, total = 0;

    for (uint32_t c = 0; c < sc->n_classes; c++)
        total += want == NULL || want[c];
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        const char *sep;
        size_t l;

        if (want != NULL && !want[c])
            continue;
        sep = n == 0 ? "" : n + 1 == total ? " and " : ", ";
        l = strlen(sep) + strlen(sc->classes[c].name);
        TC_VEC_GROW(s, s.n + l + 1);
        memcpy(s.v + s.n, sep, strlen(sep));
        memcpy(s.v + s.n + strlen(sep), sc->classes[c].name, strlen(sc->classes[c].name));
        s.n += l;
        n++;
    }
    TC_VEC_GROW(s, s.n + 1);
    s.v[s.n] = '\0';
    return s.v;
}

/* Whether a mapping by class named every class (seen[]); else one error naming the others. */
bool tc_scenario_covers_all(struct tc_scenario_load *L, int v, const char *key, const bool *seen,
                            const char *what)
{
    const struct tc_scenario *sc = L->sc;
    bool *missing = tc_xcalloc(sc->n_classes + 1, sizeof(bool));
    uint32_t n_missing = 0;
    char *list;

    for (uint32_t c = 0; c < sc->n_classes; c++) {
        missing[c] = !seen[c];
        n_missing += missing[c];
    }
    if (n_missing > 0) {
        list = tc_scenario_class_list(sc, missing);
        tc_ynode_error(&L->y, v, key,
                       "no %s for class%s %s (a mapping by class must cover every class)", what,
                       n_missing > 1 ? "es" : "", list);
        free(list);
    }
    free(missing);
    return n_missing == 0;
}

/* A list of {to, p} into r (kind PROB); false after an error. */
static bool load_branches(struct tc_scenario_load *L, int v, const char *key, struct tc_route *r)
{
    struct tc_ynode *y = &L->y;
    size_t n = tc_ynode_len(y, v);
    bool ok = true, p_ok = true;
    double sum = 0.0;
    char kb[300];
    size_t m;

    r->kind = TC_ROUTE_PROB;
    if (n == 0) {
        tc_ynode_error(y, v, key, "expected at least one branch {to: <station>, p: <probability>}");
        return false;
    }
    if (n > UINT32_MAX / 2) {
        tc_ynode_error(y, v, key, "too many branches");
        return false;
    }
    r->n = (uint32_t)n;
    r->targets = tc_xcalloc(n, sizeof(uint32_t));
    r->p = tc_xcalloc(n, sizeof(double));
    m = key ? tc_sl_push(L, key) : L->y.path.len;
    for (size_t i = 0; i < n; i++) {
        int it = tc_ynode_item(y, v, i);
        int tn, pn;
        size_t m2;

        snprintf(kb, sizeof(kb), "[%zu]", i);
        r->targets[i] = TC_NONE;
        if (!tc_ynode_expect_map(y, it, kb, "a branch {to: <station>, p: <probability>}")) {
            ok = p_ok = false;
            continue;
        }
        m2 = tc_sl_push_i(L, i);
        ok &= tc_ynode_check_keys(y, it, branch_keys, TC_N_OF(branch_keys), NULL);
        if ((tn = tc_sl_get(L, it, "to")) == 0) {
            tc_ynode_missing(y, it, "to", "the station this branch leads to, or exit");
            ok = false;
        } else {
            ok &= tc_scenario_ref_station(L, tn, "to", true, &r->targets[i]);
        }
        if ((pn = tc_sl_get(L, it, "p")) == 0) {
            tc_ynode_missing(y, it, "p", "the probability of this branch");
            ok = p_ok = false;
        } else if (!tc_ynode_number(y, pn, "p", TC_YN_PROB, &r->p[i])) {
            ok = p_ok = false;
        } else {
            sum += r->p[i];
        }
        tc_sl_pop(L, m2);
    }
    tc_sl_pop(L, m);
    /*
    ** Planners write thirds as 0.333 + 0.666: a sum within TC_PROB_SUM_TOL
    ** of 1 is a rounding, normalised here so the load check's flows add up;
    ** further off is a mistake. Sums within 1e-9 are left as written (GSL
    ** normalises its table anyway), so exact files draw as they always did.
    */
    if (p_ok && fabs(sum - 1.0) > TC_PROB_SUM_TOL) {
        tc_ynode_error(y, v, key, "the probabilities must sum to 1, got %.12g", sum);
        ok = false;
    } else if (p_ok && fabs(sum - 1.0) > 1e-9) {
        for (size_t i = 0; i < n; i++)
            r->p[i] /= sum;
    }
    if (ok)
        r->table = gsl_ran_discrete_preproc(n, r->p);
    return ok;
}

/* A station name, exit, or a list of branches (no per-class mapping). */
static bool load_route_1(struct tc_scenario_load *L, int v, const char *key, struct tc_route *r)
{
    struct tc_ynode *y = &L->y;
    yaml_node_t *n = tc_ynode_node(y, v);

    r->pos = tc_ynode_pos(y, v);
    if (n != NULL && n->type == YAML_SEQUENCE_NODE)
        return load_branches(L, v, key, r);
    r->kind = TC_ROUTE_FIXED;
    r->to = TC_EXIT;
    if (n == NULL || n->type != YAML_SCALAR_NODE || tc_ynode_is_null(y, v)) {
        tc_ynode_error_got(y, v, key, "expected a station name, exit, or a list of {to, p}");
        return false;
    }
    return tc_scenario_ref_station(L, v, key, true, &r->to);
}

/* next: a name, exit, a list of branches, or a mapping class -> (name | list). */
bool tc_scenario_load_route(struct tc_scenario_load *L, int v, const char *key, struct tc_route *r)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    yaml_node_t *n = tc_ynode_node(y, v);
    bool ok = true, *seen;
    size_t np, m;

    if (n == NULL || n->type != YAML_MAPPING_NODE)
        return load_route_1(L, v, key, r);
    if (tc_scenario_is_choice(L, v))
        return tc_scenario_load_choice(L, v, key, r);
    r->kind = TC_ROUTE_CLASS;
    r->pos = tc_ynode_pos(y, v);
    if (tc_ynode_get(y, v, "to") != 0 && tc_scenario_class(sc, "to") == TC_NONE) {
        tc_ynode_error(y, v, key,
                       "a single branch {to, p} must be in a list: write next: [{to: ..., p: 1}] "
                       "or just next: <station>");
        return false;
    }
    if (!L->classes_ok)
        return false;
    r->by_class = tc_xcalloc(sc->n_classes, sizeof(*r->by_class));
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        r->by_class[c].kind = TC_ROUTE_FIXED;
        r->by_class[c].to = TC_EXIT;
    }
    seen = tc_xcalloc(sc->n_classes, sizeof(bool));
    m = key ? tc_sl_push(L, key) : L->y.path.len;
    ok &= tc_ynode_check_keys(y, v, NULL, 0, NULL);
    np = tc_ynode_len(y, v);
    for (size_t i = 0; i < np; i++) {
        int kn = tc_ynode_pair_key(y, v, i);
        const char *cname = tc_ynode_scalar(y, kn);
        uint32_t c;

        if (cname == NULL || cname[0] == '\0')
            continue; /* reported by check_keys */
        c = tc_scenario_ref_class(L, kn, NULL);
        if (c == TC_NONE) {
            ok = false;
            continue;
        }
        if (seen[c])
            continue; /* a duplicate key, reported */
        seen[c] = true;
        {
            yaml_node_t *vn = tc_ynode_node(y, tc_ynode_pair_value(y, v, i));

            if (tc_scenario_is_choice(L, tc_ynode_pair_value(y, v, i))) {
                ok &= tc_scenario_load_choice(L, tc_ynode_pair_value(y, v, i), cname,
                                              &r->by_class[c]);
                continue;
            }
            if (vn != NULL && vn->type == YAML_MAPPING_NODE) {
                tc_ynode_error_got(y, tc_ynode_pair_value(y, v, i), cname,
                                   "expected a station name, exit, a list of {to, p} or "
                                   "{choose: <rule>, among: [<stations>]}");
                ok = false;
                continue;
            }
        }
        ok &= load_route_1(L, tc_ynode_pair_value(y, v, i), cname, &r->by_class[c]);
    }
    tc_sl_pop(L, m);
    if (ok)
        ok = tc_scenario_covers_all(L, v, key, seen, "route");
    free(seen);
    return ok;
}
