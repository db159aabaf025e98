/*
** scenario_costs: the optional costs: section. Prices are plain numbers of
** money (the currency is only a label); a price by class or by station is
** a bare number for all of them or a mapping of names, with `default:`
** for the ones not named. A server-hour is priced only at stations with
** finite servers: a yard's unlimited "servers" are parking slots, not staff.
*/
#include <string.h>

#include "base/xmem.h"
#include "model/scenario_int.h"

static const char *const costs_keys[] = {
    "currency",  "truck_hour",        "server_hour",  "spoiled",
    "abandoned", "idle_fuel_l_per_h", "co2_kg_per_l",
};

/*
** A price per class or per station into out[n] (zeroed first): a number
** for all, or {default: X, NAME: Y, ...}. by_station picks the names.
*/
static bool load_prices(struct tc_scenario_load *L, int v, const char *key, bool by_station,
                        double *out, uint32_t n)
{
    struct tc_ynode *y = &L->y;
    yaml_node_t *node = tc_ynode_node(y, v);
    double dflt = 0;
    bool ok = true;

    memset(out, 0, (size_t)n * sizeof(*out));
    if (node == NULL || node->type != YAML_MAPPING_NODE) {
        if (!tc_ynode_number(y, v, key, TC_YN_NONNEG, &dflt))
            return false;
        for (uint32_t i = 0; i < n; i++)
            if (!(by_station && L->sc->stations[i].servers == TC_UNLIMITED))
                out[i] = dflt;
        return true;
    }
    size_t m = tc_sl_push(L, key);
    bool *named = tc_xcalloc(n ? n : 1, sizeof(*named));
    ok &= tc_ynode_check_keys(y, v, NULL, 0, NULL);
    int dn = tc_ynode_get(y, v, "default");
    if (dn != 0)
        ok &= tc_ynode_number(y, dn, "default", TC_YN_NONNEG, &dflt);
    for (size_t i = 0; i < tc_ynode_len(y, v); i++) {
        int kn = tc_ynode_pair_key(y, v, i), vn = tc_ynode_pair_value(y, v, i);
        const char *name = tc_ynode_scalar(y, kn);
        uint32_t at = TC_NONE;
        double x;

        if (name == NULL || name[0] == '\0' || strcmp(name, "default") == 0)
            continue; /* empty keys are reported by tc_ynode_check_keys */
        if (by_station ? !(L->stations_ok && tc_scenario_ref_station(L, kn, NULL, false, &at))
                       : (!L->classes_ok || (at = tc_scenario_ref_class(L, kn, NULL)) == TC_NONE)) {
            ok = false;
            continue;
        }
        if (named[at] || !tc_ynode_number(y, vn, name, TC_YN_NONNEG, &x)) {
            ok &= named[at]; /* a duplicate key was reported above */
            continue;
        }
        if (by_station && L->sc->stations[at].servers == TC_UNLIMITED && x > 0) {
            tc_ynode_error(y, kn, NULL,
                           "station %s has unlimited servers: a server-hour is priced only at "
                           "stations with a number of servers",
                           name);
            ok = false;
            continue;
        }
        named[at] = true;
        out[at] = x;
    }
    for (uint32_t i = 0; i < n; i++)
        if (!named[i] && !(by_station && L->sc->stations[i].servers == TC_UNLIMITED))
            out[i] = dflt;
    free(named);
    tc_sl_pop(L, m);
    return ok;
}

void tc_scenario_load_costs(struct tc_scenario_load *L)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    struct tc_costs *k = &sc->costs;
    int root = L->root, c = tc_sl_get(L, root, "costs"), v;
    const char *s;

    k->co2_kg_per_l = TC_CO2_KG_PER_L_DIESEL;
    if (c == 0)
        return;
    size_t m = tc_sl_push(L, "costs");
    if (!tc_ynode_expect_map(y, c, NULL, "a mapping of prices: truck_hour, server_hour, ...")) {
        tc_sl_pop(L, m);
        return;
    }
    k->on = true;
    tc_ynode_check_keys(y, c, costs_keys, TC_N_OF(costs_keys), NULL);
    uint32_t nc = sc->n_classes ? sc->n_classes : 1, ns = sc->n_stations ? sc->n_stations : 1;
    k->truck_hour = tc_xcalloc(nc, sizeof(double));
    k->spoiled = tc_xcalloc(nc, sizeof(double));
    k->abandoned = tc_xcalloc(nc, sizeof(double));
    k->server_hour = tc_xcalloc(ns, sizeof(double));
    k->currency = tc_xstrdup("");
    if ((v = tc_ynode_get(y, c, "currency")) != 0 && tc_ynode_string(y, v, "currency", &s) &&
        tc_sl_name_ok(y, v, "currency", s, false)) {
        free(k->currency);
        k->currency = tc_xstrdup(s);
    }
    if ((v = tc_ynode_get(y, c, "truck_hour")) != 0)
        load_prices(L, v, "truck_hour", false, k->truck_hour, sc->n_classes);
    if ((v = tc_ynode_get(y, c, "spoiled")) != 0)
        load_prices(L, v, "spoiled", false, k->spoiled, sc->n_classes);
    if ((v = tc_ynode_get(y, c, "abandoned")) != 0)
        load_prices(L, v, "abandoned", false, k->abandoned, sc->n_classes);
    if ((v = tc_ynode_get(y, c, "server_hour")) != 0)
        load_prices(L, v, "server_hour", true, k->server_hour, sc->n_stations);
    if ((v = tc_ynode_get(y, c, "idle_fuel_l_per_h")) != 0)
        k->has_fuel =
            tc_ynode_number(y, v, "idle_fuel_l_per_h", TC_YN_NONNEG, &k->idle_fuel_l_per_h);
    if ((v = tc_ynode_get(y, c, "co2_kg_per_l")) != 0) {
        tc_ynode_number(y, v, "co2_kg_per_l", TC_YN_NONNEG, &k->co2_kg_per_l);
        if (tc_ynode_get(y, c, "idle_fuel_l_per_h") == 0)
            tc_ynode_error(y, v, "co2_kg_per_l",
                           "needs idle_fuel_l_per_h: CO2 is counted from the fuel of idling");
    }
    tc_sl_pop(L, m);
}
