/*
** scenario_pool: booking mappings (scenarios/README.md), a stream's inline
** one or a pool's of the bookings section: shared booking pools, named slot
** calendars with a quota per slot that arrival streams refer to by name
** (booking: gate_pool) instead of an inline booking of their own. Streams
** naming one pool share its slots.
** A pool no stream uses is an error (a stream meant to name it names
** something else, or it is left over).
*/
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/scenario_int.h"
#include "model/ynode.h"
#include "tcsim/scenario.h"

static const char *const booking_keys[] = {"slot", "per_slot", "punctuality", "open"};

bool tc_scenario_load_booking(struct tc_scenario_load *L, int v, const char *key,
                              struct tc_booking *b)
{
    struct tc_ynode *y = &L->y;
    bool ok = true;
    int n;
    size_t m;

    if (!tc_ynode_expect_map(y, v, key,
                             key != NULL ? "a booking pool name, or a mapping {slot: <duration>, "
                                           "per_slot: <trucks>, punctuality: <distribution>, open: "
                                           "<windows>}"
                                         : "a mapping {slot: <duration>, per_slot: <trucks>, "
                                           "punctuality: <distribution>, open: <windows>}"))
        return false;
    m = key != NULL ? tc_sl_push(L, key) : 0;
    ok &= tc_ynode_check_keys(y, v, booking_keys, TC_N_OF(booking_keys), NULL);
    if ((n = tc_sl_get(L, v, "slot")) == 0) {
        tc_ynode_missing(y, v, "slot", "the length of a booking slot, such as 1 h");
        ok = false;
    } else if (tc_ynode_duration(y, n, "slot", &b->slot)) {
        if (!(b->slot > 0.0)) {
            tc_ynode_error_got(y, n, "slot", "must be > 0");
            ok = false;
        }
    } else {
        ok = false;
    }
    if ((n = tc_sl_get(L, v, "per_slot")) == 0) {
        tc_ynode_missing(y, v, "per_slot", "the trucks a slot may hold");
        ok = false;
    } else {
        ok &= tc_ynode_uint(y, n, "per_slot", 0, &b->per_slot);
    }
    if ((n = tc_sl_get(L, v, "punctuality")) != 0) {
        b->has_punctuality =
            tc_ynode_dist(y, n, "punctuality", TC_YN_BARE_CONSTANT, &b->punctuality);
        ok &= b->has_punctuality;
    }
    if ((n = tc_sl_get(L, v, "open")) != 0)
        ok &= tc_ynode_windows(y, n, "open", &b->open, &b->n_open);
    if (key != NULL)
        tc_sl_pop(L, m);
    b->on = ok;
    return ok;
}

void tc_scenario_load_pools(struct tc_scenario_load *L)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    int bn = tc_sl_get(L, L->root, "bookings");
    size_t n, m;

    if (bn == 0 || tc_ynode_is_null(y, bn))
        return;
    if (!tc_ynode_expect_map(y, bn, "bookings",
                             "a mapping of booking pool names to {slot, per_slot, ...}, such as "
                             "{gate_pool: {slot: 1 h, per_slot: 14}}"))
        return;
    n = tc_ynode_len(y, bn);
    if (!tc_sl_within(L, bn, "bookings", n, TC_LIMIT_STREAMS, "booking pools", "TC_LIMIT_STREAMS"))
        return;
    m = tc_sl_push(L, "bookings");
    tc_ynode_check_keys(y, bn, NULL, 0, "booking pool name");
    sc->pools = tc_xcalloc(n ? n : 1, sizeof(*sc->pools));
    L->pool_key = tc_xcalloc(n ? n : 1, sizeof(int));
    for (size_t i = 0; i < n; i++) {
        int kn = tc_ynode_pair_key(y, bn, i);
        const char *k = tc_ynode_scalar(y, kn);
        bool dup = false;

        if (k == NULL || !tc_sl_name_ok(y, kn, k, k, false))
            continue;
        for (uint32_t j = 0; j < sc->n_pools && !dup; j++)
            dup = strcmp(sc->pools[j].name, k) == 0; /* the YAML checks report duplicates */
        if (dup)
            continue;
        struct tc_pool *p = &sc->pools[sc->n_pools];
        size_t m2 = tc_sl_push(L, k);
        p->name = tc_xstrdup(k);
        p->pos = tc_ynode_pos(y, kn);
        L->pool_key[sc->n_pools] = kn;
        sc->n_pools++;
        tc_scenario_load_booking(L, tc_ynode_pair_value(y, bn, i), NULL, &p->b);
        tc_sl_pop(L, m2);
    }
    tc_sl_pop(L, m);
}

bool tc_scenario_ref_pool(struct tc_scenario_load *L, int node, const char *key, uint32_t *out)
{
    const struct tc_scenario *sc = L->sc;
    const char *s = tc_ynode_scalar(&L->y, node);
    char list[512];

    *out = TC_NONE;
    if (s == NULL || tc_ynode_is_null(&L->y, node)) {
        tc_ynode_error_got(&L->y, node, key, "expected a booking pool name");
        return false;
    }
    for (uint32_t i = 0; i < sc->n_pools; i++)
        if (strcmp(sc->pools[i].name, s) == 0) {
            *out = i;
            return true;
        }
    if (sc->n_pools == 0) {
        tc_ynode_error(&L->y, node, key,
                       "no booking pool named \"%s\": define it under bookings:, or book inline "
                       "as {slot: 1 h, per_slot: 14}",
                       s);
        return false;
    }
    const char **names = tc_xmalloc(sc->n_pools * sizeof(*names));
    for (uint32_t i = 0; i < sc->n_pools; i++)
        names[i] = sc->pools[i].name;
    tc_scenario_short_list(names, sc->n_pools, list, sizeof(list));
    free(names);
    tc_ynode_error(&L->y, node, key, "no booking pool named \"%s\" (bookings: %s)", s, list);
    return false;
}

void tc_scenario_check_pools_used(struct tc_scenario_load *L)
{
    const struct tc_scenario *sc = L->sc;

    for (uint32_t i = 0; i < sc->n_pools; i++) {
        bool used = false;
        for (uint32_t j = 0; j < sc->n_sources && !used; j++)
            used = sc->sources[j].pool == i;
        if (!used)
            tc_ynode_error(&L->y, L->pool_key[i], NULL,
                           "booking pool \"%s\" is used by no arrival stream: name it in a "
                           "stream's booking, or remove it",
                           sc->pools[i].name);
    }
}
