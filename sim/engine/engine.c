/*
** engine: the life cycle of a replication (new, run, free) and the event
** loop, which pops events in order and hands each to its concept's file:
** engine_station.c, engine_source.c, engine_sched.c, engine_observe.c.
** engine_int.h describes the state they share.
*/
#include "tcsim/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "engine/engine_int.h"
#include "engine/rng.h"

/*
** Same-time order. Changes of the rules (scheduled events, midnight,
** opening boundaries) come first, so a window closing at 12:00 forbids a
** start at 12:00 even by a server freed at 12:00. Service ends come before
** arrivals, so a truck arriving at the instant another finishes finds the
** server free (the usual convention of hand-computed queues). Patience
** comes after both: a truck whose service could start at the instant its
** patience runs out is served. Samples come last and show the state after
** everything that happened at that instant.
*/
static const uint8_t ev_rank[EV__COUNT] = {
    [EV_SCHED] = 0,  [EV_DAY] = 1,     [EV_CAL] = 2,    [EV_DEPART] = 3,   [EV_FAIL] = 4,
    [EV_REPAIR] = 4, [EV_ARRIVAL] = 5, [EV_BOOKED] = 5, [EV_PATIENCE] = 6, [EV_SAMPLE] = 9,
    [EV_WARMUP] = 0, [EV_INITIAL] = 0, [EV_CLEAR] = 0,
};

/* Below this many cancelled entries the heap is not compacted: not worth a pass. */
#define DEAD_MIN 1024

static void init_levels(struct tc_engine *e)
{
    const struct tc_scenario *sc = e->sc;
    /* the level of a class is the rank of its priority among the distinct ones */
    e->level_of_class = tc_xcalloc(sc->n_classes, sizeof(uint32_t));
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        uint32_t lv = 0;
        for (uint32_t d = 0; d < sc->n_classes; d++) {
            bool seen = false; /* count each distinct lower priority once */
            for (uint32_t f = 0; f < d; f++)
                seen |= sc->classes[f].priority == sc->classes[d].priority;
            lv += !seen && sc->classes[d].priority < sc->classes[c].priority;
        }
        e->level_of_class[c] = lv;
        if (lv + 1 > e->n_levels)
            e->n_levels = lv + 1;
    }
}

static void init_station(struct tc_engine *e, uint32_t i, const struct tc_rng_layout *lay)
{
    const struct tc_scenario *sc = e->sc;
    const struct tc_station *cs = &sc->stations[i];
    struct station *s = &e->st[i];
    s->c = cs->servers;
    s->K = cs->capacity;
    s->limit = cs->daily_limit;
    s->reject = cs->reject_when_full;
    s->prio = cs->priority;
    s->release_prio = cs->release_priority;
    s->service = cs->service;
    s->route = &cs->next;
    s->r_service = e->rngs[tc_rng_index(lay, TC_STREAM_SERVICE, i)];
    s->r_route = e->rngs[tc_rng_index(lay, TC_STREAM_ROUTE, i)];
    s->r_fail = e->rngs[tc_rng_index(lay, TC_STREAM_FAILURE, i)];
    s->q = &e->queues[(size_t)i * e->n_levels];
    s->admit = (struct list){TC_NONE, TC_NONE};
    tc_calendar_init(&e->cals[i], cs->open, cs->n_open, e->day_len);
    s->cal = &e->cals[i];
    s->open = s->cal->open_at_midnight;
    s->so_val = servers_open(s);
    s->so_rule = servers_by_rule(s);
    s->ever_finite = s->c != TC_UNLIMITED; /* the window starts at 0 without warm-up */
    s->cap_val = s->c == TC_UNLIMITED ? 0 : s->c;
    if (cs->daily_limit != TC_UNLIMITED)
        e->has_daily = true;
    if (e->climits) {
        s->climit = &e->climits[(size_t)i * 2 * sc->n_classes];
        s->cstarts = s->climit + sc->n_classes;
        for (uint32_t c = 0; c < sc->n_classes; c++)
            s->climit[c] = cs->class_limit ? cs->class_limit[c] : TC_UNLIMITED;
    }
    if (cs->failures.on && cs->servers != TC_UNLIMITED) {
        /* slots for the most servers this station will ever have */
        uint32_t n = cs->servers;
        for (uint32_t k = 0; k < sc->n_sched; k++)
            if (sc->sched[k].kind == TC_SCHED_SERVERS && sc->sched[k].station == i &&
                sc->sched[k].value > n && sc->sched[k].value != TC_UNLIMITED)
                n = sc->sched[k].value;
        s->n_slots = n;
        s->slot_truck = tc_xmalloc(n * sizeof(uint32_t));
        s->slot_up = tc_xmalloc(n * sizeof(bool));
        for (uint32_t k = 0; k < n; k++) {
            s->slot_truck[k] = TC_NONE;
            s->slot_up[k] = true;
        }
        eng_recount_slots(s);
    }
}

struct tc_engine *tc_engine_new(const struct tc_scenario *sc, const struct tc_metrics *m,
                                uint32_t rep, const uint32_t *seeds)
{
    struct tc_engine *e = tc_xcalloc(1, sizeof(*e));
    e->sc = sc;
    e->m = m;
    e->rep = rep;
    e->warmup = sc->warmup;
    e->horizon = sc->horizon;
    e->day_len = tc_units_day(sc->time_unit);
    e->min_per_t = tc_units_minutes(sc->time_unit);
    e->free_tk = TC_NONE;
    tc_truck_budget_init(&e->own_budget, 0);
    e->budget = &e->own_budget;
    e->stuck_station = TC_NONE;
    tc_evq_init(&e->evq, ev_rank);

    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    e->n_rngs = lay.base[TC_STREAM__COUNT];
    e->rngs = tc_xcalloc(e->n_rngs, sizeof(*e->rngs));
    for (uint32_t i = 0; i < e->n_rngs; i++) {
        e->rngs[i] = gsl_rng_alloc(gsl_rng_mt19937);
        if (!e->rngs[i])
            tc_xmem_fail(sizeof(gsl_rng)); /* the program's out-of-memory hook */
        gsl_rng_set(e->rngs[i], seeds[i]);
    }
    init_levels(e);

    uint32_t n_cals = sc->n_stations;
    e->cal_of_sched = tc_xcalloc(sc->n_sched, sizeof(uint32_t));
    for (uint32_t k = 0; k < sc->n_sched; k++)
        if (sc->sched[k].kind == TC_SCHED_OPEN)
            e->cal_of_sched[k] = n_cals++;
    e->cals = tc_xcalloc(n_cals, sizeof(*e->cals));
    bool by_class = false; /* daily limits per class somewhere */
    for (uint32_t k = 0; k < sc->n_sched; k++) {
        const struct tc_sched *x = &sc->sched[k];
        if (x->kind == TC_SCHED_OPEN)
            tc_calendar_init(&e->cals[e->cal_of_sched[k]], x->open, x->n_open, e->day_len);
        if (x->kind == TC_SCHED_DAILY_LIMIT)
            e->has_daily = true;
        by_class |= x->kind == TC_SCHED_DAILY_LIMIT && x->cls != TC_NONE;
    }
    for (uint32_t i = 0; i < sc->n_stations; i++)
        by_class |= sc->stations[i].class_limit != NULL;
    if (by_class) {
        e->has_daily = true;
        e->climits = tc_xcalloc((size_t)sc->n_stations * 2 * sc->n_classes, sizeof(uint32_t));
    }

    e->st = tc_xcalloc(sc->n_stations, sizeof(*e->st));
    e->queues = tc_xcalloc((size_t)sc->n_stations * e->n_levels, sizeof(*e->queues));
    for (size_t i = 0; i < (size_t)sc->n_stations * e->n_levels; i++)
        e->queues[i] = (struct list){TC_NONE, TC_NONE};
    for (uint32_t i = 0; i < sc->n_stations; i++)
        init_station(e, i, &lay);

    e->cl = tc_xcalloc(sc->n_classes, sizeof(*e->cl));
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        tc_hist_init(&e->cl[c].hist);
        e->cl[c].r_patience = e->rngs[tc_rng_index(&lay, TC_STREAM_PATIENCE, c)];
        if (sc->n_initial > 0)
            e->cl[c].r_initial = e->rngs[tc_rng_index(&lay, TC_STREAM_INITIAL, c)];
    }
    e->st_cl_wait = tc_xcalloc((size_t)sc->n_stations * sc->n_classes, sizeof(struct tc_tally));
    e->st_cl_sojourn = tc_xcalloc((size_t)sc->n_stations * sc->n_classes, sizeof(struct tc_tally));
    e->clr = tc_xcalloc(sc->n_clearance ? sc->n_clearance : 1, sizeof(*e->clr));
    e->src = tc_xcalloc(sc->n_sources, sizeof(*e->src));
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const struct tc_source *so = &sc->sources[i];
        struct source *x = &e->src[i];
        x->r = e->rngs[tc_rng_index(&lay, TC_STREAM_ARRIVAL, i)];
        x->r_book = e->rngs[tc_rng_index(&lay, TC_STREAM_BOOKING, i)];
        x->factor = 1;
        x->hmax = x->dmax = 1;
        if (so->has_hourly) {
            x->hmax = 0;
            for (int h = 0; h < 24; h++)
                x->hmax = so->hourly[h] > x->hmax ? so->hourly[h] : x->hmax;
        }
        if (so->n_daily) {
            x->dmax = 0;
            for (uint32_t d = 0; d < so->n_daily; d++)
                x->dmax = so->daily[d] > x->dmax ? so->daily[d] : x->dmax;
        }
    }
    eng_pools_init(e);
    for (uint32_t i = 0; i < sc->n_sources; i++)
        if (e->src[i].pool != TC_NONE)
            e->src[i].lead = e->pools[e->src[i].pool].lead;
    return e;
}

void tc_engine_free(struct tc_engine *e)
{
    if (!e)
        return;
    eng_slab_release(e);
    tc_evq_fini(&e->evq);
    free(e->tk);
    for (uint32_t i = 0; i < e->n_rngs; i++)
        gsl_rng_free(e->rngs[i]);
    free(e->rngs);
    free(e->level_of_class);
    if (e->st)
        for (uint32_t i = 0; i < e->sc->n_stations; i++) {
            free(e->st[i].slot_truck);
            free(e->st[i].slot_up);
        }
    free(e->st);
    free(e->climits);
    free(e->queues);
    free(e->cals);
    eng_pools_free(e);
    free(e->cal_of_sched);
    if (e->cl)
        for (uint32_t c = 0; c < e->sc->n_classes; c++)
            tc_hist_fini(&e->cl[c].hist);
    free(e->cl);
    free(e->st_cl_wait);
    free(e->st_cl_sojourn);
    free(e->src);
    free(e->work.v);
    free(e->tt);
    free(e->tv);
    free(e->sample_row);
    free(e->clr);
    free(e);
}

/* Lock-free, so a signal handler may set it (C17 7.14.1.1). */
void tc_engine_set_stop(struct tc_engine *e, const struct tc_stop *stop)
{
    e->stop = stop;
}

void tc_engine_set_max_trucks(struct tc_engine *e, size_t max_trucks)
{
    tc_truck_budget_init(&e->own_budget, max_trucks);
    e->budget = &e->own_budget;
}

void tc_engine_set_truck_budget(struct tc_engine *e, struct tc_truck_budget *b)
{
    e->budget = b;
}

uint32_t tc_engine_stuck_station(const struct tc_engine *e)
{
    return e->stuck_station;
}

enum tc_engine_status tc_engine_status(const struct tc_engine *e)
{
    return e->status;
}

double tc_engine_stop_time(const struct tc_engine *e)
{
    return e->now;
}

const char *const tc_outcome_names[5] = {
    [TC_OUT_SERVED] = "served",     [TC_OUT_ABANDONED] = "abandoned",
    [TC_OUT_REJECTED] = "rejected", [TC_OUT_IN_SYSTEM] = "in_system",
    [TC_OUT_DIVERTED] = "diverted",
};

const char *const tc_visit_outcome_names[3] = {
    [TC_VISIT_SERVED] = "served",
    [TC_VISIT_ABANDONED] = "abandoned",
    [TC_VISIT_PRESENT] = "present_at_end",
};

void tc_engine_set_visits(struct tc_engine *e, tc_engine_visit_fn *fn, void *ud)
{
    e->visit = fn;
    e->visit_ud = ud;
    if (fn && e->cap_tk)
        e->tv = tc_xrealloc(e->tv, (size_t)e->cap_tk * 2 * sizeof(*e->tv));
}

void tc_engine_set_class_series(struct tc_engine *e, double *buf)
{
    e->class_series = buf;
}

void tc_engine_set_sampler(struct tc_engine *e, tc_engine_sample_fn *fn, void *ud)
{
    e->sampler = fn;
    e->sampler_ud = ud;
    free(e->sample_row);
    e->sample_row =
        fn ? tc_xcalloc((size_t)(e->sc->n_stations + e->m->n_roads) * TC_TS__COUNT, sizeof(double))
           : NULL;
}

void tc_engine_set_trace(struct tc_engine *e, tc_engine_trace_fn *fn, void *ud)
{
    e->trace = fn;
    e->trace_ud = ud;
    if (fn && e->cap_tk)
        e->tt = tc_xrealloc(e->tt, (size_t)e->cap_tk * e->sc->n_stations * TC_TRACE__COUNT *
                                       sizeof(*e->tt));
}

uint64_t tc_engine_n_events(const struct tc_engine *e)
{
    return e->n_events;
}

uint64_t tc_engine_n_trucks(const struct tc_engine *e)
{
    return e->n_trucks;
}

size_t tc_engine_peak_trucks(const struct tc_engine *e)
{
    return e->peak_alive;
}

/*
** Whether a queued event still stands: its object's generation has not
** moved on (a patience event also needs its truck still waiting). A
** generation only grows, so an event found dead stays dead.
*/
static inline int ev_live(const struct tc_engine *e, const struct tc_ev *ev)
{
    switch ((enum ev_kind)ev->kind) {
    case EV_DEPART:
    case EV_BOOKED:
        return ev->gen == e->tk[ev->obj].gen;
    case EV_PATIENCE:
        return ev->gen == e->tk[ev->obj].gen && e->tk[ev->obj].in_episode;
    case EV_ARRIVAL:
        return ev->gen == e->src[ev->obj].gen;
    case EV_CAL:
        return ev->gen == e->st[ev->obj].cal_gen;
    default:
        return 1;
    }
}

static int ev_live_cb(void *ud, const struct tc_ev *ev)
{
    return ev_live(ud, ev);
}

/* At time 0: the first sample and the first event of every kind that recurs. */
static void schedule_start(struct tc_engine *e)
{
    const struct tc_scenario *sc = e->sc;
    e->now = 0;
    if (sc->n_initial > 0) {
        /* the first sample shows the initial trucks, after the changes of time 0 */
        tc_evq_push(&e->evq, 0, EV_SAMPLE, 0, 0, 0);
    } else {
        eng_sample(e, 0);
        if (e->n_samples > 1)
            tc_evq_push(&e->evq, sc->sample_every, EV_SAMPLE, 0, 1, 0);
    }
    for (uint32_t k = 0; k < sc->n_sched; k++)
        if (sc->sched[k].t < e->horizon)
            tc_evq_push(&e->evq, sc->sched[k].t, EV_SCHED, k, 0, 0);
    /* same rank as the changes, pushed after them: a closure at 0 holds the initial trucks */
    if (sc->n_initial > 0)
        tc_evq_push(&e->evq, 0, EV_INITIAL, 0, 0, 0);
    for (uint32_t i = 0; i < sc->n_clearance; i++)
        if (sc->clearance[i].after_t < e->horizon)
            tc_evq_push(&e->evq, sc->clearance[i].after_t, EV_CLEAR, i, 0, 0);
    if (e->warmup > 0)
        tc_evq_push(&e->evq, e->warmup, EV_WARMUP, 0, 0, 0);
    if (e->has_daily && e->day_len < e->horizon)
        tc_evq_push(&e->evq, e->day_len, EV_DAY, 0, 1, 0);
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        struct station *s = &e->st[i];
        eng_schedule_cal(e, i);
        for (uint32_t k = 0; k < s->n_slots; k++)
            tc_evq_push(&e->evq, tc_dist_sample(&sc->stations[i].failures.up, s->r_fail), EV_FAIL,
                        i, k, 0);
    }
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        e->src[i].clock = sc->sources[i].t_start;
        eng_schedule_arrival(e, i);
    }
}

/*
** The cancelled entries outnumber the live ones: drop them all (amortised
** O(1) each). ev, just popped, is out of the heap: if it is dead it is the
** one cancelled entry the compaction cannot see.
*/
static void compact_queue(struct tc_engine *e, const struct tc_ev *ev)
{
    size_t dropped = tc_evq_compact(&e->evq, ev_live_cb, e);
    size_t in_hand = !ev_live(e, ev);
    TC_CHECK(dropped + in_hand == e->n_dead); /* the count of cancellations is exact */
    (void)dropped;
    e->n_dead = in_hand;
}

/* The station an event is about, or TC_NONE (for the stuck message). */
static uint32_t ev_station(const struct tc_engine *e, const struct tc_ev *ev)
{
    switch ((enum ev_kind)ev->kind) {
    case EV_DEPART:
    case EV_PATIENCE:
        return e->tk[ev->obj].st;
    case EV_BOOKED:
        return e->tk[ev->obj].target;
    case EV_CAL:
    case EV_FAIL:
    case EV_REPAIR:
        return ev->obj;
    case EV_ARRIVAL:
        return e->sc->sources[ev->obj].to;
    default:
        return TC_NONE;
    }
}

/*
** Called once more than TC_ENGINE_MAX_SAME_TIME events (same_t) happened at the
** instant now: whether they are past the bound that scales with the crowd,
** so time has stopped advancing (only ever reached in that case, so the
** product costs nothing in a normal run).
*/
static bool stuck(struct tc_engine *e, const struct tc_ev *ev, uint64_t same_t)
{
    uint64_t bound = TC_ENGINE_MAX_SAME_TIME + 64u * (uint64_t)e->n_alive * e->sc->n_stations;
    if (same_t <= bound)
        return false;
    e->status = TC_ENGINE_STUCK;
    e->stuck_station = ev_station(e, ev);
    return true;
}

/* At the horizon: the last samples, the trucks still in the system, the metrics. */
static void finish(struct tc_engine *e, double *out_metrics)
{
    e->now = e->horizon;
    /* a sample at the horizon shows the state just before it */
    while (e->k_sample < e->n_samples)
        eng_sample(e, e->k_sample);
    /* loads that spoiled while still waiting count too */
    uint32_t in_net = 0;
    for (uint32_t id = 0; id < e->n_tk; id++)
        if (e->tk[id].state != TK_FREE && e->tk[id].state != TK_BOOKED) {
            eng_account_spoilage(e, &e->tk[id], false);
            if (e->tk[id].st != TC_NONE)
                visit_end(e, id, TC_VISIT_PRESENT);
            trace_truck(e, id, TC_OUT_IN_SYSTEM);
            in_net++;
        }
    TC_CHECK(in_net == e->n_net); /* the clearances' running count is exact */
    /* and agrees with the network block's: in stations + on roads, booked apart */
    TC_CHECK(e->n_net == e->n_in_st + e->road_all.n);
    (void)in_net;
    TC_CHECK(eng_slab_consistent(e));
    eng_collect(e, out_metrics);
}

void tc_engine_run(struct tc_engine *e, double *out_metrics, double *out_series)
{
    e->series = out_series;
    e->n_samples = tc_metrics_n_samples(e->sc);
    schedule_start(e);
    struct tc_ev ev;
    uint64_t same_t = 0; /* events so far at the instant e->now */
    while (tc_evq_pop(&e->evq, &ev)) {
        if (e->n_dead > DEAD_MIN && 2 * e->n_dead > tc_evq_len(&e->evq))
            compact_queue(e, &ev);
        if (ev.t >= e->horizon)
            break;
        /* one relaxed load an event: a stop request is seen within microseconds */
        if (e->status || tc_stop_requested(e->stop)) {
            if (!e->status)
                e->status = TC_ENGINE_INTERRUPTED;
            return; /* the caller discards a stopped replication */
        }
        if (!ev_live(e, &ev)) { /* cancelled */
            TC_CHECK(e->n_dead > 0);
            e->n_dead--;
            continue;
        }
        /* time stands still: count (in a register), and look closer only past the bound */
        if (ev.t != e->now)
            same_t = 0;
        else if (++same_t > TC_ENGINE_MAX_SAME_TIME && stuck(e, &ev, same_t))
            return; /* the caller discards a stopped replication */
        e->now = ev.t;
        e->n_events++;
        switch ((enum ev_kind)ev.kind) {
        case EV_DEPART:
            eng_on_depart(e, ev.obj);
            break;
        case EV_ARRIVAL:
            eng_on_arrival(e, ev.obj);
            break;
        case EV_BOOKED:
            eng_on_booked(e, ev.obj);
            break;
        case EV_PATIENCE:
            eng_on_patience(e, ev.obj);
            break;
        case EV_SCHED:
            eng_on_sched(e, ev.obj);
            break;
        case EV_DAY:
            eng_on_day(e, ev.aux);
            break;
        case EV_CAL:
            eng_on_cal(e, ev.obj, ev.aux);
            break;
        case EV_FAIL:
            eng_on_fail(e, ev.obj, ev.aux);
            break;
        case EV_REPAIR:
            eng_on_repair(e, ev.obj, ev.aux);
            break;
        case EV_WARMUP:
            eng_on_warmup(e);
            break;
        case EV_INITIAL:
            eng_place_initial(e);
            if (e->warmup == 0) /* the window opened at 0: the initial trucks are present at it */
                eng_on_warmup(e);
            break;
        case EV_CLEAR:
            eng_on_clear(e, ev.obj);
            break;
        case EV_SAMPLE:
            eng_sample(e, ev.aux);
            if (ev.aux + 1 < e->n_samples)
                tc_evq_push(&e->evq, (ev.aux + 1) * e->sc->sample_every, EV_SAMPLE, 0, ev.aux + 1,
                            0);
            break;
        case EV__COUNT:
            break;
        }
    }
    finish(e, out_metrics);
}
