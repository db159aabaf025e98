/*
** scenario_source: the arrivals list into sc->sources (scenarios/README.md):
** each stream's class and entry station, how trucks arrive (exactly one of
** rate, interarrival or trace), its hourly and daily profiles, its start
** and end, batch and booking.
*/
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/scenario_int.h"
#include "model/ynode.h"
#include "tcsim/scenario.h"

static const char *const source_keys[] = {
    "name",   "class", "to",    "rate", "interarrival", "trace",
    "hourly", "daily", "start", "end",  "batch",        "booking",
};

/* A list of multipliers >= 0 with a positive sum; exactly `exact` of them unless 0. */
static double *load_profile(struct tc_scenario_load *L, int v, const char *key, size_t exact,
                            uint32_t *n_out)
{
    struct tc_ynode *y = &L->y;
    size_t n = tc_ynode_len(y, v);
    double *p, sum = 0.0;
    bool ok = true;
    char kb[64];

    if (!tc_ynode_expect_seq(y, v, key,
                             exact ? "a list of 24 multipliers, one per hour from 00:00"
                                   : "a list of multipliers, one per day, cycling"))
        return NULL;
    if (exact != 0 && n != exact) {
        tc_ynode_error(y, v, key, "expected 24 multipliers, one per hour from 00:00, got %zu", n);
        return NULL;
    }
    if (n == 0) {
        tc_ynode_error(y, v, key, "expected at least one multiplier");
        return NULL;
    }
    if (n > UINT32_MAX / 2) {
        tc_ynode_error(y, v, key, "too many multipliers");
        return NULL;
    }
    p = tc_xcalloc(n, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        snprintf(kb, sizeof(kb), "%s[%zu]", key, i);
        if (tc_ynode_number(y, tc_ynode_item(y, v, i), kb, TC_YN_NONNEG, &p[i]))
            sum += p[i];
        else
            ok = false;
    }
    if (ok && !(sum > 0.0)) {
        tc_ynode_error(y, v, key, "the multipliers must not all be 0");
        ok = false;
    }
    if (ok && !isfinite(sum)) {
        tc_ynode_error(y, v, key, "the multipliers are too large");
        ok = false;
    }
    if (!ok) {
        free(p);
        return NULL;
    }
    *n_out = (uint32_t)n;
    return p;
}

/* The defaults of stream i before its keys are read: named "arrivals[i]", one truck at a time. */
static void source_defaults(struct tc_scenario_load *L, uint32_t i, int v)
{
    struct tc_source *so = &L->sc->sources[i];
    char name[32];

    snprintf(name, sizeof(name), "arrivals[%" PRIu32 "]", i);
    so->name = tc_xstrdup(name);
    so->class_id = TC_NONE;
    so->to = TC_NONE;
    so->t_start = 0.0;
    so->t_end = (double)INFINITY;
    so->batch = 1;
    so->pool = TC_NONE;
    so->pos = tc_ynode_pos(&L->y, v);
    L->source_node[i] = v;
}

/* name, class and to: what the stream is called, what it brings and where. */
static bool load_source_target(struct tc_scenario_load *L, uint32_t i, int v)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    struct tc_source *so = &sc->sources[i];
    bool ok = true;
    const char *s;
    int n;

    if ((n = tc_sl_get(L, v, "name")) != 0) {
        L->source_name[i] = n;
        if (tc_ynode_string(y, n, "name", &s)) {
            ok &= tc_sl_name_ok(y, n, "name", s, false);
            free(so->name);
            so->name = tc_xstrdup(s);
        }
    }
    if ((n = tc_sl_get(L, v, "class")) != 0) {
        L->source_class[i] = n;
        so->class_id = tc_scenario_ref_class(L, n, "class");
        ok &= so->class_id != TC_NONE;
    } else if (sc->n_classes == 1 && L->classes_ok) {
        so->class_id = 0;
    }
    if ((n = tc_sl_get(L, v, "to")) == 0) {
        tc_ynode_missing(y, v, "to", "the station where trucks enter");
        ok = false;
    } else if (tc_ynode_node(y, n) != NULL && tc_ynode_node(y, n)->type == YAML_MAPPING_NODE) {
        /* {choose: ...}: to is its first station, for what names one entry (messages) */
        so->choose = tc_xcalloc(1, sizeof(*so->choose));
        if (tc_scenario_load_choice(L, n, "to", so->choose))
            so->to = so->choose->targets[0];
        else
            ok = false;
    } else {
        ok &= tc_scenario_ref_station(L, n, "to", false, &so->to);
    }
    return ok;
}

/*
** How trucks arrive: exactly one of rate, interarrival or trace. *kind_out
** is 0, 1 or 2 for the one given (the first, when several are), -1 for none.
*/
static bool load_source_kind(struct tc_scenario_load *L, uint32_t i, int v, int *kind_out)
{
    static const char *const kinds[] = {"rate", "interarrival", "trace"};
    struct tc_ynode *y = &L->y;
    struct tc_source *so = &L->sc->sources[i];
    bool ok = true;
    int n, kind_node = 0, kind = -1;
    const char *s;

    for (int k = 0; k < 3; k++) {
        if ((n = tc_sl_get(L, v, kinds[k])) == 0)
            continue;
        if (kind >= 0) {
            tc_ynode_error(y, n, kinds[k],
                           "%s and %s are both given; use exactly one of rate, interarrival or "
                           "trace",
                           kinds[kind], kinds[k]);
            ok = false;
            continue;
        }
        kind = k;
        kind_node = n;
    }
    *kind_out = kind;
    switch (kind) {
    case 0:
        so->kind = TC_SRC_RATE;
        ok &= tc_ynode_rate(y, kind_node, "rate", &so->rate_per_t);
        break;
    case 1:
        so->kind = TC_SRC_INTERARRIVAL;
        if (!tc_ynode_dist(y, kind_node, "interarrival", TC_YN_BARE_CONSTANT, &so->interarrival)) {
            ok = false;
        } else if (!(tc_dist_mean(&so->interarrival) > 0.0)) {
            /* A mean of 0 would bring infinitely many trucks at one instant. */
            if (tc_ynode_scalar(y, kind_node) != NULL)
                tc_ynode_error_got(y, kind_node, "interarrival", "must be > 0");
            else
                tc_ynode_error(y, kind_node, "interarrival",
                               "the mean time between arrivals must be > 0");
            ok = false;
        }
        break;
    case 2:
        so->kind = TC_SRC_TRACE;
        L->source_trace[i] = kind_node;
        if (tc_ynode_string(y, kind_node, "trace", &s))
            so->trace_path = tc_xstrdup(s);
        else
            ok = false;
        break;
    default:
        tc_ynode_error(y, v, NULL,
                       "missing key \"rate\", \"interarrival\" or \"trace\" (how trucks arrive)");
        ok = false;
        break;
    }
    return ok;
}

/* Several classes and no class: a trace may still carry a class column (checked later). */
static bool check_source_class(struct tc_scenario_load *L, int v, int kind)
{
    struct tc_scenario *sc = L->sc;
    char *list;
    char hint[512];

    if (!(tc_sl_get(L, v, "class") == 0 && sc->n_classes > 1 && kind != 2 && L->classes_ok))
        return true;
    list = tc_scenario_class_list(sc, NULL);
    snprintf(hint, sizeof(hint), "there are several classes: %s", list);
    free(list);
    tc_ynode_missing(&L->y, v, "class", hint);
    return false;
}

/* hourly and daily, the profiles of a stream with a rate. */
static bool load_source_profiles(struct tc_scenario_load *L, struct tc_source *so, int v, int kind)
{
    struct tc_ynode *y = &L->y;
    bool ok = true;
    int n;

    if ((n = tc_sl_get(L, v, "hourly")) != 0) {
        uint32_t cnt;
        double *h;

        if (kind >= 0 && kind != 0) {
            tc_ynode_error(y, n, "hourly", "hourly applies only to a stream with a rate");
            ok = false;
        } else if ((h = load_profile(L, n, "hourly", 24, &cnt)) != NULL) {
            memcpy(so->hourly, h, sizeof(so->hourly));
            so->has_hourly = true;
            free(h);
        } else {
            ok = false;
        }
    }
    if ((n = tc_sl_get(L, v, "daily")) != 0) {
        if (kind >= 0 && kind != 0) {
            tc_ynode_error(y, n, "daily", "daily applies only to a stream with a rate");
            ok = false;
        } else {
            so->daily = load_profile(L, n, "daily", 0, &so->n_daily);
            ok &= so->daily != NULL;
        }
    }
    return ok;
}

/*
** start and end. ok is what the stream's keys before them gave, returned
** with these two added: after any error in the stream its end is dropped
** (no end).
*/
static bool load_source_window(struct tc_scenario_load *L, struct tc_source *so, int v,
                               bool horizon_ok, bool ok)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    bool start_ok = true;
    char b1[64];
    int n;

    if ((n = tc_sl_get(L, v, "start")) != 0) {
        start_ok = tc_ynode_time(y, n, "start", &so->t_start);
        /* As for events (scenario_events.c): outside the run, not wrong; said once. */
        if (start_ok && horizon_ok && so->t_start > sc->horizon)
            tc_ynode_warning(y, n, "start",
                             "after the horizon (%s): this stream sends no truck in the run",
                             tc_sl_fmt_t(L, sc->horizon, b1, sizeof(b1)));
        ok &= start_ok;
        if (!start_ok)
            so->t_start = 0.0;
    }
    if ((n = tc_sl_get(L, v, "end")) != 0) {
        if (!tc_ynode_time(y, n, "end", &so->t_end)) {
            ok = false;
        } else if (start_ok && !(so->t_end > so->t_start)) {
            tc_ynode_error_got(y, n, "end", "must be after start (%s)",
                               tc_sl_fmt_t(L, so->t_start, b1, sizeof(b1)));
            ok = false;
        } else if (horizon_ok && so->t_end > sc->horizon && so->t_start <= sc->horizon) {
            tc_ynode_warning(y, n, "end",
                             "after the horizon (%s): the stream runs to the end of the run",
                             tc_sl_fmt_t(L, sc->horizon, b1, sizeof(b1)));
        }
        if (!ok)
            so->t_end = (double)INFINITY;
    }
    return ok;
}

/* batch: trucks an arrival brings, 1 with a trace (one truck a row). */
static bool load_source_batch(struct tc_scenario_load *L, struct tc_source *so, int v, int kind)
{
    struct tc_ynode *y = &L->y;
    int n;

    if ((n = tc_sl_get(L, v, "batch")) == 0)
        return true;
    if (!tc_ynode_uint_max(&L->y, n, "batch", 0, TC_LIMIT_BATCH, "TC_LIMIT_BATCH", &so->batch)) {
        so->batch = 1;
        return false;
    }
    if (kind == 2 && so->batch != 1) {
        tc_ynode_error_got(y, n, "batch",
                           "a trace has one truck a row; batch must be 1 with a trace");
        so->batch = 1;
        return false;
    }
    return true;
}

static void load_source(struct tc_scenario_load *L, uint32_t i, int v, bool horizon_ok)
{
    struct tc_source *so = &L->sc->sources[i];
    bool ok = true;
    int n, kind;

    source_defaults(L, i, v);
    if (!tc_ynode_expect_map(&L->y, v, NULL,
                             "a mapping with to and one of rate, interarrival or trace")) {
        L->source_ok[i] = false;
        return;
    }
    tc_ynode_check_keys(&L->y, v, source_keys, TC_N_OF(source_keys), NULL);
    ok &= load_source_target(L, i, v);
    ok &= load_source_kind(L, i, v, &kind);
    ok &= check_source_class(L, v, kind);
    ok &= load_source_profiles(L, so, v, kind);
    ok = load_source_window(L, so, v, horizon_ok, ok);
    ok &= load_source_batch(L, so, v, kind);
    if ((n = tc_sl_get(L, v, "booking")) != 0) {
        if (tc_ynode_scalar(&L->y, n) != NULL && !tc_ynode_is_null(&L->y, n)) {
            so->booking.on = tc_scenario_ref_pool(L, n, "booking", &so->pool);
            ok &= so->booking.on;
        } else {
            ok &= tc_scenario_load_booking(L, n, "booking", &so->booking);
        }
    }
    L->source_ok[i] = ok;
}

void tc_scenario_load_sources(struct tc_scenario_load *L, bool horizon_ok)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    int an = tc_sl_get(L, L->root, "arrivals");
    size_t n, m;

    if (an == 0) {
        tc_ynode_missing(y, L->root, "arrivals", "a list of arrival streams");
        return;
    }
    if (!tc_ynode_expect_seq(y, an, "arrivals",
                             "a list of arrival streams, such as [{to: gate, rate: 20/h}]"))
        return;
    n = tc_ynode_len(y, an);
    if (n == 0) {
        tc_ynode_error(y, an, "arrivals", "expected at least one arrival stream");
        return;
    }
    if (!tc_sl_within(L, an, "arrivals", n, TC_LIMIT_STREAMS, "arrival streams",
                      "TC_LIMIT_STREAMS"))
        return;
    sc->sources = tc_xcalloc(n, sizeof(*sc->sources));
    L->source_node = tc_xcalloc(n, sizeof(int));
    L->source_name = tc_xcalloc(n, sizeof(int));
    L->source_trace = tc_xcalloc(n, sizeof(int));
    L->source_class = tc_xcalloc(n, sizeof(int));
    L->source_ok = tc_xcalloc(n, sizeof(bool));
    m = tc_sl_push(L, "arrivals");
    for (size_t i = 0; i < n; i++) {
        size_t m2 = tc_sl_push_i(L, i);

        sc->n_sources++;
        load_source(L, (uint32_t)i, tc_ynode_item(y, an, i), horizon_ok);
        tc_sl_pop(L, m2);
    }
    tc_sl_pop(L, m);
    tc_scenario_check_streams(L);
    tc_scenario_check_pools_used(L);
}
