/*
** scenario_initial: the trucks present at time 0 (initial:) and the
** backlog clearance times to measure (clearance:), scenarios/README.md.
** Loaded after the events, whose names a clearance's `after` refers to.
** The rules that need the whole scenario are here too: an initial station
** holds at most its capacity (the rest must be listed on its road), and a
** road exists only in front of an entry station that makes trucks wait.
*/
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/scenario_int.h"

static const char *const initial_keys[] = {"station", "road", "class", "trucks", "age"};
static const char *const clearance_keys[] = {"name", "after", "below"};

/* Whether a stream enters station s (it has a road). */
/* Whether a stream may enter the network at s (its to, or a member of its choice). */
static bool is_entry(const struct tc_scenario *sc, uint32_t s)
{
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        uint32_t n;
        const uint32_t *to = tc_source_entries(&sc->sources[i], &n);
        for (uint32_t k = 0; k < n; k++)
            if (to[k] == s)
                return true;
    }
    return false;
}

/* Where the trucks are: {station: X} or {road: X}; false after an error. */
static bool load_place(struct tc_scenario_load *L, int v, struct tc_initial *in)
{
    struct tc_ynode *y = &L->y;
    const struct tc_scenario *sc = L->sc;
    int sn = tc_sl_get(L, v, "station"), rn = tc_sl_get(L, v, "road");

    if (sn != 0 && rn != 0) {
        tc_ynode_error(y, rn, "road",
                       "an item puts trucks either in a station or on its road, not both; "
                       "split it in two");
        return false;
    }
    if (sn == 0 && rn == 0) {
        tc_ynode_error(y, v, NULL,
                       "missing key \"station\" or \"road\" (where the trucks are at time 0)");
        return false;
    }
    in->road = rn != 0;
    if (!tc_scenario_ref_station(L, in->road ? rn : sn, in->road ? "road" : "station", false,
                                 &in->station))
        return false;
    if (!in->road)
        return true;
    if (!is_entry(sc, in->station)) {
        tc_ynode_error_got(y, rn, "road",
                           "a road is the queue outside an entry station, and no arrival stream "
                           "enters this one");
        return false;
    }
    if (L->station_ok[in->station] && sc->stations[in->station].reject_when_full) {
        tc_ynode_error_got(y, rn, "road",
                           "this station turns trucks away when full (when_full: reject): it "
                           "has no road");
        return false;
    }
    return true;
}

static bool load_initial_item(struct tc_scenario_load *L, int v, struct tc_initial *in)
{
    struct tc_ynode *y = &L->y;
    const struct tc_scenario *sc = L->sc;
    bool ok;
    int n;

    in->pos = tc_ynode_pos(y, v);
    in->station = in->cls = TC_NONE;
    if (!tc_ynode_expect_map(y, v, NULL,
                             "a mapping such as {station: yard, class: fruit, trucks: 300, "
                             "age: 2 d}"))
        return false;
    ok = tc_ynode_check_keys(y, v, initial_keys, TC_N_OF(initial_keys), NULL);
    ok &= load_place(L, v, in);
    if ((n = tc_sl_get(L, v, "class")) != 0) {
        in->cls = tc_scenario_ref_class(L, n, "class");
        ok &= in->cls != TC_NONE;
    } else if (sc->n_classes == 1 && L->classes_ok) {
        in->cls = 0;
    } else if (L->classes_ok) {
        tc_ynode_missing(y, v, "class", "required when there are several classes");
        ok = false;
    }
    if ((n = tc_sl_get(L, v, "trucks")) == 0) {
        tc_ynode_missing(y, v, "trucks", "how many trucks are there at time 0");
        ok = false;
    } else {
        ok &= tc_ynode_uint_max(y, n, "trucks", TC_YN_ZERO, TC_LIMIT_INITIAL_TRUCKS,
                                "TC_LIMIT_INITIAL_TRUCKS", &in->trucks);
    }
    in->age = 0;
    if ((n = tc_sl_get(L, v, "age")) != 0)
        ok &= tc_ynode_duration(y, n, "age", &in->age);
    return ok;
}

/*
** The trucks inside each station, against its capacity: the item that
** passes it is the error (the road items of that station are not counted:
** they enter only as room frees). Also the total, against memory.
*/
static void check_initial_room(struct tc_scenario_load *L, const int *node, const bool *ok)
{
    const struct tc_scenario *sc = L->sc;
    uint64_t *in_st = tc_xcalloc(sc->n_stations ? sc->n_stations : 1, sizeof(*in_st));
    uint64_t total = 0;

    for (uint32_t k = 0; k < sc->n_initial; k++) {
        const struct tc_initial *in = &sc->initial[k];
        uint32_t s = in->station;

        if (!ok[k])
            continue;
        total += in->trucks;
        if (total > TC_LIMIT_INITIAL_TRUCKS) {
            tc_ynode_error(&L->y, node[k], NULL,
                           "%" PRIu64 " initial trucks up to here, more than %u "
                           "(TC_LIMIT_INITIAL_TRUCKS in tcsim/limits.h)",
                           total, TC_LIMIT_INITIAL_TRUCKS);
            break;
        }
        if (in->road || !L->station_ok[s] || sc->stations[s].capacity == TC_UNLIMITED)
            continue;
        in_st[s] += in->trucks;
        if (in_st[s] > sc->stations[s].capacity) {
            size_t m = tc_sl_push_i(L, k);

            tc_ynode_error(&L->y, node[k], "trucks",
                           "%" PRIu64 " trucks in station \"%s\" at time 0 (this item and those "
                           "before it), more than its capacity (%" PRIu32
                           "); trucks waiting outside go on its road: {road: ...}",
                           in_st[s], sc->stations[s].name, sc->stations[s].capacity);
            tc_sl_pop(L, m);
            in_st[s] = 0; /* one message per station */
        }
    }
    free(in_st);
}

void tc_scenario_load_initial(struct tc_scenario_load *L)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    int v = tc_sl_get(L, L->root, "initial");
    size_t n, m;

    if (v == 0 || tc_ynode_is_null(y, v))
        return;
    if (!tc_ynode_expect_seq(y, v, "initial", "a list of the trucks present at time 0"))
        return;
    n = tc_ynode_len(y, v);
    if (!tc_sl_within(L, v, "initial", n, TC_LIMIT_INITIAL, "items", "TC_LIMIT_INITIAL"))
        return;
    sc->initial = tc_xcalloc(n ? n : 1, sizeof(*sc->initial));
    sc->n_initial = (uint32_t)n;
    int *node = tc_xmalloc((n ? n : 1) * sizeof(int));
    bool *ok = tc_xmalloc((n ? n : 1) * sizeof(bool));
    m = tc_sl_push(L, "initial");
    for (size_t i = 0; i < n; i++) {
        size_t m2 = tc_sl_push_i(L, i);

        node[i] = tc_ynode_item(y, v, i);
        ok[i] = load_initial_item(L, node[i], &sc->initial[i]);
        tc_sl_pop(L, m2);
    }
    if (L->stations_ok)
        check_initial_room(L, node, ok);
    tc_sl_pop(L, m);
    free(node);
    free(ok);
}

/* ==== clearance ==== */

/* after: start, the name of an event (its end) or a time. */
static bool load_after(struct tc_scenario_load *L, int n, double *out)
{
    struct tc_ynode *y = &L->y;
    const char *s = tc_ynode_scalar(y, n);

    if (s != NULL && strcmp(s, "start") == 0) {
        *out = 0;
        return true;
    }
    for (uint32_t k = 0; s != NULL && k < L->n_event_names; k++) {
        if (strcmp(L->event_name[k], s) != 0)
            continue;
        if (isnan(L->event_end[k])) {
            tc_ynode_error(y, n, "after",
                           "event \"%s\" is a closure without reopen (or with a wrong one): "
                           "it has no end to measure from",
                           s);
            return false;
        }
        *out = L->event_end[k];
        return true;
    }
    if (s != NULL && s[0] >= '0' && s[0] <= '9')
        return tc_ynode_time(y, n, "after", out);
    char names[256];

    tc_scenario_short_list(L->event_name, L->n_event_names, names, sizeof(names));
    tc_ynode_error_got(y, n, "after",
                       "expected start, the name of an event (%s) or a time such as 5 d",
                       L->n_event_names ? names : "no event has a name: give one with name:");
    return false;
}

/* below: a count of trucks (>= 1) or a percentage of the peak ("10 %"). */
static bool load_below(struct tc_scenario_load *L, int n, struct tc_clearance *c)
{
    struct tc_ynode *y = &L->y;
    const char *s = tc_ynode_scalar(y, n);
    size_t len = s ? strlen(s) : 0;

    if (len > 0 && s[len - 1] == '%') {
        char *end;
        double p = strtod(s, &end);

        while (*end == ' ')
            end++;
        if (end != s && *end == '%' && p > 0 && p <= 100 && s[0] >= '0' && s[0] <= '9') {
            c->fraction = true;
            c->below = p;
            return true;
        }
    } else if (len > 0 && s[0] >= '0' && s[0] <= '9' && strspn(s, "0123456789") == len) {
        uint32_t k;

        if (!tc_ynode_uint(y, n, "below", 0, &k))
            return false;
        c->fraction = false;
        c->below = k;
        return true;
    }
    tc_ynode_error_got(y, n, "below",
                       "expected a count of trucks (an integer >= 1, such as 50) or a "
                       "percentage of the peak after the moment in (0, 100] (such as \"10 %%\")");
    return false;
}

static bool load_clearance_item(struct tc_scenario_load *L, int v, uint32_t i,
                                struct tc_clearance *c)
{
    struct tc_ynode *y = &L->y;
    const char *s;
    char buf[32];
    bool ok;
    int n;

    c->pos = tc_ynode_pos(y, v);
    snprintf(buf, sizeof(buf), "clearance[%" PRIu32 "]", i);
    c->name = tc_xstrdup(buf);
    if (!tc_ynode_expect_map(y, v, NULL, "a mapping such as {after: start, below: 50}"))
        return false;
    ok = tc_ynode_check_keys(y, v, clearance_keys, TC_N_OF(clearance_keys), NULL);
    if ((n = tc_sl_get(L, v, "name")) != 0 && tc_ynode_string(y, n, "name", &s)) {
        ok &= tc_sl_name_ok(y, n, "name", s, false);
        free(c->name);
        c->name = tc_xstrdup(s);
    } else if (n != 0) {
        ok = false;
    }
    c->after_t = 0;
    if ((n = tc_sl_get(L, v, "after")) != 0 && load_after(L, n, &c->after_t)) {
        char b1[64];

        if (L->sc->horizon > 0 && c->after_t >= L->sc->horizon)
            tc_ynode_warning(y, n, "after",
                             "at or after the horizon (%s): the backlog is never measured in "
                             "the run",
                             tc_sl_fmt_t(L, L->sc->horizon, b1, sizeof(b1)));
    } else if (n != 0) {
        ok = false;
    }
    if ((n = tc_sl_get(L, v, "below")) == 0) {
        tc_ynode_missing(y, v, "below",
                         "the threshold, such as 50 (trucks) or \"10 %\" (of the peak)");
        ok = false;
    } else {
        ok &= load_below(L, n, c);
    }
    return ok;
}

void tc_scenario_load_clearance(struct tc_scenario_load *L)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    int v = tc_sl_get(L, L->root, "clearance");
    yaml_node_t *nd;
    size_t n, m;
    bool one;

    if (v == 0 || tc_ynode_is_null(y, v))
        return;
    nd = tc_ynode_node(y, v);
    one = nd != NULL && nd->type == YAML_MAPPING_NODE;
    if (!one && !tc_ynode_expect_seq(y, v, "clearance",
                                     "a mapping such as {after: start, below: 50} or a list "
                                     "of them"))
        return;
    n = one ? 1 : tc_ynode_len(y, v);
    if (!tc_sl_within(L, v, "clearance", n, TC_LIMIT_CLEARANCES, "items", "TC_LIMIT_CLEARANCES"))
        return;
    sc->clearance = tc_xcalloc(n ? n : 1, sizeof(*sc->clearance));
    sc->n_clearance = (uint32_t)n;
    m = tc_sl_push(L, "clearance");
    for (size_t i = 0; i < n; i++) {
        size_t m2 = one ? 0 : tc_sl_push_i(L, i);
        int it = one ? v : tc_ynode_item(y, v, i);

        if (load_clearance_item(L, it, (uint32_t)i, &sc->clearance[i]))
            for (size_t k = 0; k < i; k++)
                if (strcmp(sc->clearance[k].name, sc->clearance[i].name) == 0) {
                    tc_ynode_error(y, it, NULL,
                                   "duplicate clearance name \"%s\", first at line %" PRIu32,
                                   sc->clearance[i].name, sc->clearance[k].pos.line);
                    break;
                }
        if (!one)
            tc_sl_pop(L, m2);
    }
    tc_sl_pop(L, m);
}
