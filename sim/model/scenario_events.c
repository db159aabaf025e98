/*
** scenario_events: the events list of a scenario (scenarios/README.md, and the
** decisions at the top of scenario_load.c) -> sc->sched, sorted by time,
** ties in file order. Called by the loader after stations and arrivals,
** whose names the events refer to.
*/
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/scenario_int.h"

static const char *const event_keys[] = {
    "station", "arrivals", "at",          "close", "reopen",   "servers", "daily_limit",
    "open",    "next",     "rate_factor", "pool",  "per_slot", "slot",    "name",
};

struct sched_vec {
    struct tc_sched *v;
    int *node;          /* the value node that made each entry */
    uint32_t *event;    /* the events item of each entry */
    uint32_t cur_event; /* the item being loaded */
    size_t n, cap;
};

static struct tc_sched *sched_add(struct sched_vec *sv, double t, enum tc_sched_kind kind,
                                  uint32_t station, int node, struct tc_pos pos)
{
    struct tc_sched *x;

    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? 2 * sv->cap : 16;
        sv->v = tc_xrealloc(sv->v, sv->cap * sizeof(*sv->v));
        sv->node = tc_xrealloc(sv->node, sv->cap * sizeof(*sv->node));
        sv->event = tc_xrealloc(sv->event, sv->cap * sizeof(*sv->event));
    }
    x = &sv->v[sv->n];
    memset(x, 0, sizeof(*x));
    x->t = t;
    x->kind = kind;
    x->station = station;
    x->pool = TC_NONE;
    x->pos = pos;
    sv->node[sv->n] = node;
    sv->event[sv->n] = sv->cur_event;
    sv->n++;
    return x;
}

static bool is_station_change(const char *k)
{
    return strcmp(k, "close") == 0 || strcmp(k, "reopen") == 0 || strcmp(k, "servers") == 0 ||
           strcmp(k, "daily_limit") == 0 || strcmp(k, "open") == 0 || strcmp(k, "next") == 0;
}

static bool is_pool_change(const char *k)
{
    return strcmp(k, "per_slot") == 0 || strcmp(k, "slot") == 0;
}

static bool needs_at(const char *k)
{
    return strcmp(k, "servers") == 0 || strcmp(k, "daily_limit") == 0 || strcmp(k, "open") == 0 ||
           strcmp(k, "next") == 0 || strcmp(k, "rate_factor") == 0;
}

/*
** A time after the horizon is outside the run, not wrong: a planner
** shortens a month-long plan with --set horizon=7d and its later events
** simply fall outside. But a typo (150 d for 15 d) must be seen, so each
** such time is a warning that says what it means (streams likewise, in
** scenario_source.c). sc->horizon is 0 when it was not valid.
*/
static void warn_after_horizon(struct tc_scenario_load *L, int n, const char *key, double t,
                               const char *meaning)
{
    char b1[64];

    if (L->sc->horizon > 0.0 && t > L->sc->horizon)
        tc_ynode_warning(&L->y, n, key, "after the horizon (%s): %s",
                         tc_sl_fmt_t(L, L->sc->horizon, b1, sizeof(b1)), meaning);
}

/* What the entries of one event item share. */
struct event {
    uint32_t sid;             /* the station, or TC_NONE */
    uint32_t *srcs, n_srcs;   /* the streams, for rate_factor */
    double at, close, reopen; /* valid when the keys were given and read */
    bool close_ok, reopen_ok;
    struct tc_pos pos; /* of the item */
};

/*
** Which keys fit which kind of event (station or arrivals), which need
** "at", and that the event changes something. ok is what the item's keys
** before gave, returned with these checks added: a missing change is said
** only when nothing else was wrong.
*/
static bool check_event_keys(struct tc_scenario_load *L, int v, int stn, int arn, int atn, bool ok)
{
    struct tc_ynode *y = &L->y;
    size_t np = tc_ynode_len(y, v);
    bool has_change = false, has_at_change = false;

    for (size_t i = 0; i < np; i++) {
        const char *k = tc_ynode_scalar(y, tc_ynode_pair_key(y, v, i));
        int kv = tc_ynode_pair_value(y, v, i);

        if (k == NULL)
            continue;
        if (is_pool_change(k)) {
            tc_ynode_error(y, kv, k,
                           "%s applies to a booking pool ({pool: NAME, at: ..., %s: ...})", k, k);
            ok = false;
        } else if (stn != 0 && strcmp(k, "rate_factor") == 0) {
            tc_ynode_error(y, kv, k, "rate_factor applies to arrivals, not to a station");
            ok = false;
        } else if (arn != 0 && is_station_change(k)) {
            tc_ynode_error(y, kv, k, "%s applies to a station, not to arrivals", k);
            ok = false;
        } else if (needs_at(k)) {
            has_change = has_at_change = true;
            if (atn == 0) {
                tc_ynode_error(y, kv, k, "%s needs \"at\", the time of the change", k);
                ok = false;
            }
        } else if (is_station_change(k)) {
            has_change = true;
        }
    }
    if (!has_change && ok) {
        tc_ynode_error(y, v, NULL,
                       stn != 0 ? "missing what the event changes: close, reopen, servers, "
                                  "daily_limit, open or next"
                                : "missing key \"rate_factor\" (the factor applied to the "
                                  "streams' rate, 0 stops them)");
        ok = false;
    }
    if (atn != 0 && !has_at_change && has_change) {
        tc_ynode_error(y, atn, "at",
                       "at applies to servers, daily_limit, open, next or rate_factor; close and "
                       "reopen carry their own time");
        ok = false;
    }
    return ok;
}

/* close and reopen, each with its own time, reopen after close. */
static bool load_close_reopen(struct tc_scenario_load *L, int v, struct event *e)
{
    struct tc_ynode *y = &L->y;
    bool ok = true;
    char b1[64];
    int cn, rn;

    if ((cn = tc_sl_get(L, v, "close")) != 0) {
        e->close_ok = tc_ynode_time(y, cn, "close", &e->close);
        ok &= e->close_ok;
        if (e->close_ok)
            warn_after_horizon(L, cn, "close", e->close, "this closure never happens in the run");
    }
    if ((rn = tc_sl_get(L, v, "reopen")) != 0) {
        e->reopen_ok = tc_ynode_time(y, rn, "reopen", &e->reopen);
        if (!e->reopen_ok) {
            ok = false;
        } else if (e->close_ok && !(e->reopen > e->close)) {
            tc_ynode_error_got(y, rn, "reopen", "must be after close (%s)",
                               tc_sl_fmt_t(L, e->close, b1, sizeof(b1)));
            ok = false;
        } else if (!e->close_ok || e->close <= L->sc->horizon) {
            warn_after_horizon(L, rn, "reopen", e->reopen,
                               "the station stays closed to the end of the run");
        }
    }
    return ok;
}

/* The schedule entry of key k (value kv) of the event; false after an error. */
static bool add_entry(struct tc_scenario_load *L, struct sched_vec *sv, const struct event *e,
                      const char *k, int kv)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    uint32_t sid = e->sid;
    struct tc_sched *x;

    if (strcmp(k, "close") == 0 || strcmp(k, "reopen") == 0) {
        /* Read by load_close_reopen: an invalid time was reported there. */
        if (k[0] == 'c' ? e->close_ok : e->reopen_ok)
            sched_add(sv, k[0] == 'c' ? e->close : e->reopen,
                      k[0] == 'c' ? TC_SCHED_CLOSE : TC_SCHED_REOPEN, sid, kv, e->pos);
    } else if (strcmp(k, "servers") == 0) {
        uint32_t val;

        if (!tc_ynode_uint_max(&L->y, kv, k, TC_YN_UNLIMITED, TC_LIMIT_SERVERS, "TC_LIMIT_SERVERS",
                               &val))
            return false;
        if (sid != TC_NONE && L->station_ok[sid] && sc->stations[sid].capacity != TC_UNLIMITED &&
            (val == TC_UNLIMITED || val > sc->stations[sid].capacity)) {
            tc_ynode_error_got(y, kv, k, "must be at most the station's capacity (%" PRIu32 ")",
                               sc->stations[sid].capacity);
            return false;
        }
        x = sched_add(sv, e->at, TC_SCHED_SERVERS, sid, kv, e->pos);
        x->value = val;
    } else if (strcmp(k, "daily_limit") == 0) {
        /* one change per limit named: the others stay as they are */
        uint32_t n_cl = sc->n_classes;
        uint32_t *val = tc_xmalloc((n_cl + 1) * sizeof(uint32_t));
        bool *set = tc_xmalloc((n_cl + 1) * sizeof(bool));
        bool ok = tc_scenario_load_daily_limit(L, kv, k, val, set);

        for (uint32_t c = 0; ok && c <= n_cl; c++) {
            if (!set[c])
                continue;
            x = sched_add(sv, e->at, TC_SCHED_DAILY_LIMIT, sid, kv, e->pos);
            x->value = val[c];
            x->cls = c < n_cl ? c : TC_NONE;
        }
        free(val);
        free(set);
        if (!ok)
            return false;
    } else if (strcmp(k, "open") == 0) {
        struct tc_window *w;
        uint32_t nw;

        if (!tc_ynode_windows(y, kv, k, &w, &nw))
            return false;
        x = sched_add(sv, e->at, TC_SCHED_OPEN, sid, kv, e->pos);
        x->open = w;
        x->n_open = nw;
    } else if (strcmp(k, "next") == 0) {
        struct tc_route r;

        memset(&r, 0, sizeof(r));
        if (!tc_scenario_load_route(L, kv, k, &r)) {
            tc_scenario_route_fini(&r, sc->n_classes);
            return false;
        }
        x = sched_add(sv, e->at, TC_SCHED_NEXT, sid, kv, e->pos);
        x->next = r;
    } else if (strcmp(k, "rate_factor") == 0) {
        double f;

        if (!tc_ynode_number(y, kv, k, TC_YN_NONNEG, &f))
            return false;
        x = sched_add(sv, e->at, TC_SCHED_RATE_FACTOR, TC_NONE, kv, e->pos);
        x->factor = f;
        x->sources = tc_xmalloc((e->n_srcs ? e->n_srcs : 1) * sizeof(uint32_t));
        if (e->n_srcs > 0)
            memcpy(x->sources, e->srcs, e->n_srcs * sizeof(uint32_t));
        x->n_sources = e->n_srcs;
    }
    return true;
}

/*
** An event of a booking pool: {pool: gate_pool, at: 5 d, per_slot: 8,
** slot: 30 min}. The engine reads these by slot time (engine_pool.c).
*/
static bool load_pool_event(struct tc_scenario_load *L, int v, int pn, struct sched_vec *sv)
{
    struct tc_ynode *y = &L->y;
    struct tc_pos pos = tc_ynode_pos(y, v);
    int atn = tc_sl_get(L, v, "at");
    uint32_t pool;
    double at = 0;
    bool ok = tc_scenario_ref_pool(L, pn, "pool", &pool), has_change = false;
    size_t np = tc_ynode_len(y, v);

    if (atn == 0) {
        tc_ynode_missing(y, v, "at", "the time the pool's slots change");
        ok = false;
    } else if (tc_ynode_time(y, atn, "at", &at)) {
        warn_after_horizon(L, atn, "at", at, "this change never happens in the run");
    } else {
        ok = false;
    }
    for (size_t i = 0; i < np; i++) {
        const char *k = tc_ynode_scalar(y, tc_ynode_pair_key(y, v, i));
        int kv = tc_ynode_pair_value(y, v, i);

        if (k == NULL || strcmp(k, "pool") == 0 || strcmp(k, "at") == 0)
            continue;
        if (!is_pool_change(k)) {
            if (strcmp(k, "station") == 0 || strcmp(k, "arrivals") == 0)
                tc_ynode_error(y, kv, k,
                               "an event changes a pool, a station or arrivals, not two; split "
                               "it");
            else
                tc_ynode_error(y, kv, k,
                               "%s applies to a station or arrivals, not to a pool; a "
                               "pool event changes per_slot or slot",
                               k);
            ok = false;
            continue;
        }
        has_change = true;
        if (k[0] == 'p') {
            uint32_t val;
            if (!tc_ynode_uint(y, kv, k, 0, &val)) {
                ok = false;
            } else if (ok) {
                struct tc_sched *x = sched_add(sv, at, TC_SCHED_POOL_QUOTA, TC_NONE, kv, pos);
                x->pool = pool;
                x->value = val;
            }
        } else {
            double len;
            if (!tc_ynode_duration(y, kv, k, &len)) {
                ok = false;
            } else if (!(len > 0.0)) {
                tc_ynode_error_got(y, kv, k, "must be > 0");
                ok = false;
            } else if (ok) {
                struct tc_sched *x = sched_add(sv, at, TC_SCHED_POOL_SLOT, TC_NONE, kv, pos);
                x->pool = pool;
                x->slot = len;
            }
        }
    }
    if (!has_change && ok) {
        tc_ynode_error(y, v, NULL, "missing what the event changes in the pool: per_slot or slot");
        ok = false;
    }
    return ok;
}

/*
** An event's optional name, which a clearance's `after` refers to, and the
** end of the event it stands for: a closure ends at its reopen (never,
** NaN, without one), any other change at its `at`.
*/
static bool load_event_name(struct tc_scenario_load *L, int v, const struct event *e, bool at_ok)
{
    struct tc_ynode *y = &L->y;
    int nn = tc_sl_get(L, v, "name");
    uint32_t i = L->n_event_names;
    const char *name;

    if (nn == 0)
        return true;
    if (!tc_ynode_string(y, nn, "name", &name) || !tc_sl_name_ok(y, nn, "name", name, false))
        return false;
    for (uint32_t k = 0; k < i; k++)
        if (strcmp(L->event_name[k], name) == 0) {
            tc_ynode_error(y, nn, "name", "duplicate event name \"%s\", first at line %" PRIu32,
                           name, tc_ynode_pos(y, L->event_name_node[k]).line);
            return false;
        }
    L->event_name = tc_xrealloc(L->event_name, (i + 1) * sizeof(*L->event_name));
    L->event_end = tc_xrealloc(L->event_end, (i + 1) * sizeof(*L->event_end));
    L->event_name_node = tc_xrealloc(L->event_name_node, (i + 1) * sizeof(int));
    L->event_name[i] = name;
    L->event_name_node[i] = nn;
    if (tc_sl_get(L, v, "close") != 0 || tc_sl_get(L, v, "reopen") != 0)
        L->event_end[i] = e->reopen_ok ? e->reopen : (double)NAN;
    else
        L->event_end[i] = at_ok ? e->at : (double)NAN;
    L->n_event_names = i + 1;
    return true;
}

static bool load_event(struct tc_scenario_load *L, int v, struct sched_vec *sv)
{
    struct tc_ynode *y = &L->y;
    struct event e = {.sid = TC_NONE, .pos = tc_ynode_pos(y, v)};
    int stn, arn, atn;
    bool ok = true, at_ok = false;
    size_t np;

    if (!tc_ynode_expect_map(y, v, NULL,
                             "a mapping such as {station: gate, at: 10 d, servers: 2} or "
                             "{arrivals: fruit, at: 20 d, rate_factor: 1.5}"))
        return false;
    ok &= tc_ynode_check_keys(y, v, event_keys, TC_N_OF(event_keys), NULL);
    if ((stn = tc_sl_get(L, v, "pool")) != 0)
        return load_pool_event(L, v, stn, sv) && ok;
    stn = tc_sl_get(L, v, "station");
    arn = tc_sl_get(L, v, "arrivals");
    atn = tc_sl_get(L, v, "at");
    if (stn != 0 && arn != 0) {
        tc_ynode_error(y, arn, "arrivals",
                       "an event changes either a station or arrivals, not both; split it in two");
        return false;
    }
    if (stn == 0 && arn == 0) {
        tc_ynode_error(y, v, NULL,
                       "missing key \"station\", \"arrivals\" or \"pool\" (what the event "
                       "changes)");
        return false;
    }
    if (atn != 0) {
        at_ok = tc_ynode_time(y, atn, "at", &e.at);
        ok &= at_ok;
        if (at_ok)
            warn_after_horizon(L, atn, "at", e.at, "this change never happens in the run");
    }
    if (stn != 0)
        ok &= tc_scenario_ref_station(L, stn, "station", false, &e.sid);
    else
        ok &= tc_scenario_ref_streams(L, arn, "arrivals", &e.srcs, &e.n_srcs);
    ok = check_event_keys(L, v, stn, arn, atn, ok);
    ok &= load_close_reopen(L, v, &e);
    ok &= load_event_name(L, v, &e, atn != 0 && at_ok);
    /*
    ** Now the entries, in the order the keys were written. Each value is
    ** checked even when another failed; close and reopen were read above.
    */
    np = tc_ynode_len(y, v);
    for (size_t i = 0; i < np; i++) {
        const char *k = tc_ynode_scalar(y, tc_ynode_pair_key(y, v, i));

        if (k != NULL)
            ok &= add_entry(L, sv, &e, k, tc_ynode_pair_value(y, v, i));
    }
    free(e.srcs);
    return ok;
}

struct sched_key {
    double t;
    size_t i;
};

static int cmp_sched_key(const void *pa, const void *pb)
{
    const struct sched_key *a = pa, *b = pb;

    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

void tc_scenario_load_events(struct tc_scenario_load *L)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    int en = tc_sl_get(L, L->root, "events");
    struct sched_vec sv = {0};
    struct sched_key *keys;
    size_t n, m;

    L->events_ok = true;
    if (en == 0)
        return;
    if (tc_ynode_is_null(y, en))
        return;
    if (!tc_ynode_expect_seq(y, en, "events", "a list of scheduled changes")) {
        L->events_ok = false;
        return;
    }
    n = tc_ynode_len(y, en);
    if (!tc_sl_within(L, en, "events", n, TC_LIMIT_EVENTS, "events", "TC_LIMIT_EVENTS")) {
        L->events_ok = false;
        return;
    }
    m = tc_sl_push(L, "events");
    for (size_t i = 0; i < n; i++) {
        size_t m2 = tc_sl_push_i(L, i);

        sv.cur_event = (uint32_t)i;
        L->events_ok &= load_event(L, tc_ynode_item(y, en, i), &sv);
        tc_sl_pop(L, m2);
    }
    tc_sl_pop(L, m);
    /* Sort by time, ties in file order: qsort is not stable, so the index is the last key. */
    keys = tc_xmalloc((sv.n ? sv.n : 1) * sizeof(*keys));
    for (size_t i = 0; i < sv.n; i++)
        keys[i] = (struct sched_key){sv.v[i].t, i};
    qsort(keys, sv.n, sizeof(*keys), cmp_sched_key);
    sc->sched = tc_xmalloc((sv.n ? sv.n : 1) * sizeof(*sc->sched));
    L->sched_node = tc_xmalloc((sv.n ? sv.n : 1) * sizeof(int));
    L->sched_event = tc_xmalloc((sv.n ? sv.n : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < sv.n; i++) {
        sc->sched[i] = sv.v[keys[i].i];
        L->sched_node[i] = sv.node[keys[i].i];
        L->sched_event[i] = sv.event[keys[i].i];
    }
    sc->n_sched = (uint32_t)sv.n;
    free(keys);
    free(sv.v);
    free(sv.node);
    free(sv.event);
}
