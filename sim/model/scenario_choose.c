/*
** scenario_choose: a route chosen by the state of the stations at the
** instant ({choose: RULE, among: [...], classes: {...}, divert_above: N,
** divert_above_wait: T}), for next: and for the to: of a stream
** (scenarios/README.md, Choosing a station). The engine ranks the members
** (engine_station.c); here they are read and checked.
*/
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "model/scenario_int.h"

const char *const tc_choose_rule_names[TC_CHOOSE__COUNT] = {
    [TC_CHOOSE_FEWEST_PRESENT] = "fewest_present",
    [TC_CHOOSE_FEWEST_WAITING] = "fewest_waiting",
    [TC_CHOOSE_MOST_ROOM] = "most_room",
    [TC_CHOOSE_SHORTEST_WAIT] = "shortest_expected_wait",
};

static const char *const choose_keys[] = {"choose", "among", "classes", "divert_above",
                                          "divert_above_wait"};

bool tc_scenario_is_choice(struct tc_scenario_load *L, int v)
{
    yaml_node_t *n = tc_ynode_node(&L->y, v);

    /* a class may be called "choose": then the mapping is by class */
    return n != NULL && n->type == YAML_MAPPING_NODE && tc_ynode_get(&L->y, v, "choose") != 0 &&
           tc_scenario_class(L->sc, "choose") == TC_NONE;
}

/* among: distinct stations (no exit) into r->targets; false after an error. */
static bool load_among(struct tc_scenario_load *L, int v, struct tc_route *r)
{
    struct tc_ynode *y = &L->y;
    bool ok = true;
    size_t n, m, *first;

    if (!tc_ynode_expect_seq(y, v, "among", "a list of stations"))
        return false;
    n = tc_ynode_len(y, v);
    if (n == 0) {
        tc_ynode_error(y, v, "among", "expected at least one station to choose from");
        return false;
    }
    if (n > UINT32_MAX / 2) {
        tc_ynode_error(y, v, "among", "too many stations");
        return false;
    }
    r->n = (uint32_t)n;
    r->targets = tc_xcalloc(n, sizeof(uint32_t));
    first = tc_xmalloc(((size_t)L->sc->n_stations + 1) * sizeof(size_t));
    for (uint32_t s = 0; s < L->sc->n_stations; s++)
        first[s] = SIZE_MAX;
    m = tc_sl_push(L, "among");
    for (size_t i = 0; i < n; i++) {
        int it = tc_ynode_item(y, v, i);
        char kb[32];

        snprintf(kb, sizeof(kb), "[%zu]", i);
        r->targets[i] = TC_NONE;
        if (tc_ynode_scalar(y, it) != NULL && strcmp(tc_ynode_scalar(y, it), "exit") == 0 &&
            tc_scenario_station(L->sc, "exit") == TC_NONE) {
            tc_ynode_error(y, it, kb,
                           "a choice is among stations, not exit (divert_above and "
                           "divert_above_wait send trucks out of the network)");
            ok = false;
            continue;
        }
        if (!tc_scenario_ref_station(L, it, kb, false, &r->targets[i])) {
            ok = false;
            continue;
        }
        if (first[r->targets[i]] != SIZE_MAX) {
            tc_ynode_error(y, it, kb,
                           "station \"%s\" is listed twice, first as [%zu] (each station once, "
                           "in the order that breaks ties)",
                           L->sc->stations[r->targets[i]].name, first[r->targets[i]]);
            ok = false;
        } else {
            first[r->targets[i]] = i;
        }
    }
    tc_sl_pop(L, m);
    free(first);
    return ok;
}

/* One class's list at v: members of among, flagged in row (n of them). */
static bool load_class_list(struct tc_scenario_load *L, int v, const char *cname,
                            const struct tc_route *r, bool *row)
{
    struct tc_ynode *y = &L->y;
    size_t n;
    bool ok = true;
    size_t m;

    if (!tc_ynode_expect_seq(y, v, cname, "a list of stations of among"))
        return false;
    n = tc_ynode_len(y, v);
    if (n == 0) {
        tc_ynode_error(y, v, cname, "expected at least one station of among");
        return false;
    }
    m = tc_sl_push(L, cname);
    for (size_t i = 0; i < n; i++) {
        int it = tc_ynode_item(y, v, i);
        char kb[32];
        uint32_t s, k;

        snprintf(kb, sizeof(kb), "[%zu]", i);
        if (!tc_scenario_ref_station(L, it, kb, false, &s)) {
            ok = false;
            continue;
        }
        for (k = 0; k < r->n && r->targets[k] != s; k++)
            ;
        if (k == r->n) {
            tc_ynode_error(y, it, kb,
                           "station \"%s\" is not in among (a class chooses among some of "
                           "those stations)",
                           L->sc->stations[s].name);
            ok = false;
        } else if (row[k]) {
            tc_ynode_error(y, it, kb, "station \"%s\" is listed twice", L->sc->stations[s].name);
            ok = false;
        } else {
            row[k] = true;
        }
    }
    tc_sl_pop(L, m);
    return ok;
}

/* classes: {class: [stations of among]}; the classes not named take all of among. */
static bool load_classes(struct tc_scenario_load *L, int v, struct tc_route *r)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    bool ok = true, *seen;
    size_t np, m;

    if (!tc_ynode_expect_map(y, v, "classes", "a mapping class -> list of stations of among"))
        return false;
    if (!L->classes_ok)
        return false;
    r->allowed = tc_xcalloc((size_t)sc->n_classes * r->n + 1, sizeof(bool));
    seen = tc_xcalloc((size_t)sc->n_classes + 1, sizeof(bool));
    m = tc_sl_push(L, "classes");
    ok &= tc_ynode_check_keys(y, v, NULL, 0, "class");
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
        ok &= load_class_list(L, tc_ynode_pair_value(y, v, i), cname, r,
                              &r->allowed[(size_t)c * r->n]);
    }
    tc_sl_pop(L, m);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        if (!seen[c])
            for (uint32_t k = 0; k < r->n; k++)
                r->allowed[(size_t)c * r->n + k] = true;
    free(seen);
    return ok;
}

bool tc_scenario_load_choice(struct tc_scenario_load *L, int v, const char *key, struct tc_route *r)
{
    struct tc_ynode *y = &L->y;
    bool ok = true;
    int n, rule = 0;
    size_t m;

    r->kind = TC_ROUTE_CHOOSE;
    r->pos = tc_ynode_pos(y, v);
    r->divert_above = TC_UNLIMITED;
    r->divert_above_wait = (double)INFINITY;
    m = key ? tc_sl_push(L, key) : L->y.path.len;
    ok &= tc_ynode_check_keys(y, v, choose_keys, TC_N_OF(choose_keys), NULL);
    if ((n = tc_sl_get(L, v, "choose")) == 0) {
        tc_ynode_missing(y, v, "choose",
                         "the rule: fewest_present, fewest_waiting, most_room or "
                         "shortest_expected_wait");
        ok = false;
    } else if (tc_ynode_enum(y, n, "choose", tc_choose_rule_names, TC_CHOOSE__COUNT, &rule)) {
        r->rule = (enum tc_choose_rule)rule;
    } else {
        ok = false;
    }
    if ((n = tc_sl_get(L, v, "among")) == 0) {
        tc_ynode_missing(y, v, "among", "the stations to choose from, ties to the first listed");
        ok = false;
    } else if (!load_among(L, n, r)) {
        ok = false;
    } else if ((n = tc_sl_get(L, v, "classes")) != 0) {
        ok &= load_classes(L, n, r);
    }
    if ((n = tc_sl_get(L, v, "divert_above")) != 0)
        ok &= tc_ynode_uint(y, n, "divert_above", TC_YN_ZERO, &r->divert_above);
    if ((n = tc_sl_get(L, v, "divert_above_wait")) != 0)
        ok &= tc_ynode_duration(y, n, "divert_above_wait", &r->divert_above_wait);
    tc_sl_pop(L, m);
    return ok;
}
