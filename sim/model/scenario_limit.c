/*
** scenario_limit: a daily_limit, shared by stations and events. A bare
** number is the total; a mapping {total: N, CLASS: N, ...} adds limits
** per class beside it (each a positive integer or "unlimited").
*/
#include <string.h>

#include "model/scenario_int.h"

bool tc_scenario_load_daily_limit(struct tc_scenario_load *L, int v, const char *key, uint32_t *val,
                                  bool *set)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    yaml_node_t *node = tc_ynode_node(y, v);
    uint32_t n_cl = sc->n_classes;
    bool ok = true;
    size_t m, np;

    for (uint32_t c = 0; c <= n_cl; c++) {
        val[c] = TC_UNLIMITED;
        set[c] = false;
    }
    if (node == NULL || node->type != YAML_MAPPING_NODE) {
        set[n_cl] = tc_ynode_uint(y, v, key, TC_YN_UNLIMITED, &val[n_cl]);
        return set[n_cl];
    }
    m = tc_sl_push(L, key);
    ok &= tc_ynode_check_keys(y, v, NULL, 0, NULL);
    np = tc_ynode_len(y, v);
    for (size_t i = 0; i < np; i++) {
        int kn = tc_ynode_pair_key(y, v, i);
        const char *name = tc_ynode_scalar(y, kn);
        uint32_t c;

        if (name == NULL || name[0] == '\0')
            continue; /* reported by tc_ynode_check_keys */
        if (strcmp(name, "total") == 0) {
            c = n_cl;
        } else {
            if (!L->classes_ok) {
                ok = false;
                continue;
            }
            /* "no class named ...; did you mean ...", the keys a limit allows */
            c = tc_scenario_ref_class(L, kn, NULL);
            if (c == TC_NONE) {
                ok = false;
                continue;
            }
        }
        if (set[c])
            continue; /* a duplicate key, reported above */
        set[c] = tc_ynode_uint(y, tc_ynode_pair_value(y, v, i), name, TC_YN_UNLIMITED, &val[c]);
        ok &= set[c];
    }
    tc_sl_pop(L, m);
    return ok;
}
