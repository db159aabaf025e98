/*
** scenario_classes: the classes: section (priority, patience, shelf life,
** value), or the one class `truck` when it is absent.
*/
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/scenario_int.h"

static const char *const class_keys[] = {"priority", "patience", "shelf_life", "value"};

static bool load_class(struct tc_scenario_load *L, int v, struct tc_class *cl)
{
    struct tc_ynode *y = &L->y;
    bool ok = true;
    int n;

    if (tc_ynode_is_null(y, v))
        return true;
    if (!tc_ynode_expect_map(y, v, NULL, "a mapping with priority, patience, shelf_life and value"))
        return false;
    ok &= tc_ynode_check_keys(y, v, class_keys, TC_N_OF(class_keys), NULL);
    if ((n = tc_sl_get(L, v, "priority")) != 0)
        ok &= tc_ynode_i64(y, n, "priority", &cl->priority);
    if ((n = tc_sl_get(L, v, "patience")) != 0) {
        cl->has_patience = tc_ynode_dist(y, n, "patience", TC_YN_BARE_CONSTANT, &cl->patience);
        ok &= cl->has_patience;
    }
    if ((n = tc_sl_get(L, v, "shelf_life")) != 0) {
        if (!tc_ynode_duration(y, n, "shelf_life", &cl->shelf_life)) {
            cl->shelf_life = (double)INFINITY;
            ok = false;
        } else if (!(cl->shelf_life > 0.0)) {
            tc_ynode_error_got(y, n, "shelf_life", "must be > 0");
            cl->shelf_life = (double)INFINITY;
            ok = false;
        }
    }
    if ((n = tc_sl_get(L, v, "value")) != 0 &&
        (ok &= tc_ynode_number(y, n, "value", TC_YN_NONNEG, &cl->value)) &&
        cl->value > TC_LIMIT_VALUE) {
        tc_ynode_error_got(y, n, "value", "must be at most %.0f (TC_LIMIT_VALUE in tcsim/limits.h)",
                           TC_LIMIT_VALUE);
        cl->value = 0.0;
        ok = false;
    }
    return ok;
}

void tc_scenario_load_classes(struct tc_scenario_load *L)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    int cn = tc_sl_get(L, L->root, "classes");
    size_t n, m;
    const char **keys;
    struct tc_scenario_names ix;

    L->classes_ok = true;
    if (cn == 0) {
        sc->classes = tc_xcalloc(1, sizeof(*sc->classes));
        sc->n_classes = 1;
        sc->classes[0].name = tc_xstrdup("truck");
        sc->classes[0].shelf_life = (double)INFINITY;
        sc->classes[0].pos = tc_ynode_pos(y, L->root);
        return;
    }
    if (!tc_ynode_expect_map(y, cn, "classes",
                             "a mapping of class names to their settings, such as "
                             "{fruit: {priority: 1}}")) {
        L->classes_ok = false;
        return;
    }
    n = tc_ynode_len(y, cn);
    if (n == 0) {
        tc_ynode_error(y, cn, "classes",
                       "expected at least one class (leave classes out for one class "
                       "\"truck\")");
        L->classes_ok = false;
        return;
    }
    if (!tc_sl_within(L, cn, "classes", n, TC_LIMIT_CLASSES, "classes", "TC_LIMIT_CLASSES")) {
        L->classes_ok = false;
        return;
    }
    m = tc_sl_push(L, "classes");
    /* Duplicates are reported; the first of them is the class, so names stay usable. */
    tc_ynode_check_keys(y, cn, NULL, 0, "class name");
    /* The first of duplicate names is the class; check_keys reported the others. */
    keys = tc_xcalloc(n, sizeof(*keys));
    for (size_t i = 0; i < n; i++) {
        const char *k = tc_ynode_scalar(y, tc_ynode_pair_key(y, cn, i));

        keys[i] = k != NULL ? k : "";
    }
    tc_scenario_names_build(&ix, keys, sizeof(*keys), (uint32_t)n);
    sc->classes = tc_xcalloc(n, sizeof(*sc->classes));
    for (size_t i = 0; i < n; i++) {
        int kn = tc_ynode_pair_key(y, cn, i);
        struct tc_class *cl;
        size_t m2;

        if (keys[i][0] == '\0' || tc_scenario_names_find(&ix, keys[i]) != i)
            continue;
        /* service: {dist: ...} is a distribution, so no class may be called dist. */
        if (strcmp(keys[i], "dist") == 0) {
            tc_ynode_error(y, kn, keys[i],
                           "\"dist\" is reserved for distributions; choose another class name");
            L->classes_ok = false;
            continue;
        }
        if (!tc_sl_name_ok(y, kn, keys[i], keys[i], false)) {
            L->classes_ok = false;
            continue;
        }
        cl = &sc->classes[sc->n_classes++];
        cl->name = tc_xstrdup(keys[i]);
        cl->shelf_life = (double)INFINITY;
        cl->pos = tc_ynode_pos(y, kn);
        m2 = tc_sl_push(L, keys[i]);
        load_class(L, tc_ynode_pair_value(y, cn, i), cl);
        tc_sl_pop(L, m2);
    }
    tc_scenario_names_fini(&ix);
    free(keys);
    tc_sl_pop(L, m);
    if (sc->n_classes == 0)
        L->classes_ok = false;
}
