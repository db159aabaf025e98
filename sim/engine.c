/*
** engine: one replication. State lives in flat arrays indexed by station,
** class and truck id; events carry indices, never pointers.
**
** Trucks move through four states: ROAD (outside, waiting to enter a full
** entry station), WAITING (in a station's queue), SERVING, and BLOCKED
** (served, holding its server or yard slot until the next station has
** room). A station keeps one FIFO "admission list" of the trucks waiting
** to get in: road trucks and trucks blocked upstream, in the order they
** started waiting, so blocked trucks move on in the order they were blocked.
** Invariant: a non-empty admission list means the station is full.
**
** When a truck leaves a station, refill() starts the waiting trucks it can
** and admits from the admission list; an admitted blocked truck frees room
** upstream, so refill cascades back along the chain through a work stack
** (not recursion: with cycles the cascade can be long).
*/
#include "tcsim/engine.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "tcsim/evq.h"
#include "tcsim/rng.h"
#include "tcsim/runner.h"
#include "tcsim/stats.h"
#include "tcsim/xmem.h"

/* ==== Events ==== */

enum ev_kind {
    EV_DEPART,  /* service ends: obj = truck */
    EV_ARRIVAL, /* a source produces trucks: obj = source */
    EV_SAMPLE,  /* time-series sample: aux = sample index */
    EV__COUNT
};

/*
** Same-time order: service ends first, so a truck arriving at the instant
** another finishes finds the server free (the usual convention of
** hand-computed queues); samples last, so they show the state after
** everything that happened at that instant.
*/
static const uint8_t ev_rank[EV__COUNT] = {
    [EV_DEPART] = 0,
    [EV_ARRIVAL] = 1,
    [EV_SAMPLE] = 9,
};

/* ==== Trucks ==== */

enum truck_state { TK_FREE, TK_ROAD, TK_WAITING, TK_SERVING, TK_BLOCKED };

struct truck {
    double t_sys;    /* arrival at the system (on the road) */
    double t_st;     /* arrival at the current station */
    uint32_t prev;   /* intrusive list links (queue or admission list) */
    uint32_t next;
    uint32_t gen;    /* bumped when freed: stale events are dropped */
    uint32_t cls;
    uint32_t st;     /* current station, TC_NONE on the road */
    uint32_t target; /* station it waits to enter (ROAD, BLOCKED) */
    uint8_t state;
};

struct list {
    uint32_t head, tail;
};

/* ==== Stations ==== */

struct station {
    /* configuration, copied for locality */
    uint32_t c;  /* servers or TC_UNLIMITED */
    uint32_t K;  /* capacity or TC_UNLIMITED */
    bool reject;
    bool prio;
    const struct tc_dist *service; /* per class */
    const struct tc_route *route;
    gsl_rng *r_service, *r_route;
    struct list *q; /* queues by priority level (one for fifo) */

    /* state */
    uint32_t n_present, n_waiting, n_serving, n_blocked, n_road;
    struct list admit; /* road + upstream blocked, FIFO */

    /* statistics over [warmup, horizon] */
    double t_last;
    double a_present, a_waiting, a_serving, a_blocked, a_servers, a_road;
    uint32_t road_max;
    struct tc_tally wait, sojourn;
    uint64_t n_arr, n_dep, n_out, n_rej;
};

struct klass {
    struct tc_tally tis, road_wait;
    struct tc_hist hist;
    uint64_t n_arrived, n_completed, n_abandoned, n_spoiled;
    double value_lost;
};

struct source {
    gsl_rng *r;
    size_t i_trace; /* next trace row */
};

struct tc_engine {
    const struct tc_scenario *sc;
    const struct tc_metrics *m;
    uint32_t rep;
    double now, warmup, horizon;

    struct tc_evq evq;
    struct truck *tk;
    uint32_t n_tk, cap_tk, free_tk, n_alive;
    size_t peak_alive;
    uint64_t n_trucks, n_events;

    struct station *st;
    struct list *queues; /* n_stations x n_levels */
    uint32_t n_levels;
    uint32_t *level_of_class;
    struct klass *cl;
    struct tc_tally *st_cl_wait, *st_cl_sojourn; /* n_stations x n_classes */
    struct source *src;
    gsl_rng **rngs;
    uint32_t n_rngs;

    TC_VEC(uint32_t) work; /* stations to refill */
    double *series;
    uint32_t n_samples, k_sample; /* samples taken so far */
};

/* ==== Truck slab ==== */

static uint32_t truck_new(struct tc_engine *e, uint32_t cls)
{
    if (e->free_tk == TC_NONE) {
        if (e->n_tk == e->cap_tk) {
            e->cap_tk = e->cap_tk ? 2 * e->cap_tk : 256;
            e->tk = tc_xrealloc(e->tk, (size_t)e->cap_tk * sizeof(*e->tk));
        }
        e->tk[e->n_tk] = (struct truck){.gen = 0};
        e->free_tk = e->n_tk++;
        e->tk[e->free_tk].next = TC_NONE;
    }
    uint32_t id = e->free_tk;
    struct truck *t = &e->tk[id];
    e->free_tk = t->next;
    t->t_sys = t->t_st = e->now;
    t->prev = t->next = TC_NONE;
    t->cls = cls;
    t->st = t->target = TC_NONE;
    t->state = TK_ROAD;
    e->n_trucks++;
    if (++e->n_alive > e->peak_alive)
        e->peak_alive = e->n_alive;
    return id;
}

static void truck_free(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    t->gen++;
    t->state = TK_FREE;
    t->next = e->free_tk;
    e->free_tk = id;
    e->n_alive--;
}

/* ==== Intrusive FIFO lists over the slab ==== */

static void list_push(struct tc_engine *e, struct list *l, uint32_t id)
{
    struct truck *t = &e->tk[id];
    t->next = TC_NONE;
    t->prev = l->tail;
    if (l->tail == TC_NONE)
        l->head = id;
    else
        e->tk[l->tail].next = id;
    l->tail = id;
}

static void list_remove(struct tc_engine *e, struct list *l, uint32_t id)
{
    struct truck *t = &e->tk[id];
    if (t->prev == TC_NONE)
        l->head = t->next;
    else
        e->tk[t->prev].next = t->next;
    if (t->next == TC_NONE)
        l->tail = t->prev;
    else
        e->tk[t->next].prev = t->prev;
    t->prev = t->next = TC_NONE;
}

static uint32_t list_pop(struct tc_engine *e, struct list *l)
{
    uint32_t id = l->head;
    if (id != TC_NONE)
        list_remove(e, l, id);
    return id;
}

/* ==== Statistics helpers ==== */

static inline bool in_window(const struct tc_engine *e)
{
    return e->now >= e->warmup;
}

/* Integrates the station's levels from its last change up to now, clipped to warmup. */
static void advance(struct tc_engine *e, struct station *s)
{
    double from = s->t_last > e->warmup ? s->t_last : e->warmup;
    double dt = e->now - from;
    if (dt > 0) {
        s->a_present += s->n_present * dt;
        s->a_waiting += s->n_waiting * dt;
        s->a_serving += s->n_serving * dt;
        s->a_blocked += s->n_blocked * dt;
        s->a_road += s->n_road * dt;
        s->a_servers += (s->c == TC_UNLIMITED ? 0 : s->c) * dt;
        if (s->n_road > s->road_max)
            s->road_max = s->n_road;
    }
    s->t_last = e->now;
}

/* ==== Station logic ==== */

static inline bool is_full(const struct station *s)
{
    return s->K != TC_UNLIMITED && s->n_present >= s->K;
}

static inline bool has_free_server(const struct station *s)
{
    return s->c == TC_UNLIMITED || s->n_serving + s->n_blocked < s->c;
}

static void start_service(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    t->state = TK_SERVING;
    s->n_serving++;
    if (in_window(e)) {
        double w = e->now - t->t_st;
        tc_tally_add(&s->wait, w);
        tc_tally_add(&e->st_cl_wait[sid * e->sc->n_classes + t->cls], w);
    }
    double d = tc_dist_sample(&s->service[t->cls], s->r_service);
    tc_evq_push(&e->evq, e->now + d, EV_DEPART, id, 0, t->gen);
}

/* Truck id enters station sid now (room has been checked). */
static void admit(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    s->n_present++;
    if (in_window(e))
        s->n_arr++;
    t->st = sid;
    t->t_st = e->now;
    t->target = TC_NONE;
    if (has_free_server(s)) {
        start_service(e, sid, id);
    } else {
        t->state = TK_WAITING;
        s->n_waiting++;
        list_push(e, &s->q[s->prio ? e->level_of_class[t->cls] : 0], id);
    }
}

/* Truck id leaves station sid (it was serving or blocked there). */
static void leave(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    s->n_present--;
    if (in_window(e)) {
        s->n_dep++;
        double soj = e->now - t->t_st;
        tc_tally_add(&s->sojourn, soj);
        tc_tally_add(&e->st_cl_sojourn[sid * e->sc->n_classes + t->cls], soj);
    }
    t->st = TC_NONE;
}

static void exit_system(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    const struct tc_class *c = &e->sc->classes[t->cls];
    struct klass *k = &e->cl[t->cls];
    if (in_window(e)) {
        double tis = e->now - t->t_sys;
        k->n_completed++;
        tc_tally_add(&k->tis, tis);
        tc_hist_add(&k->hist, tis);
        if (tis > c->shelf_life) {
            k->n_spoiled++;
            k->value_lost += c->value;
        }
    }
    truck_free(e, id);
}

static uint32_t pop_waiting(struct tc_engine *e, struct station *s)
{
    uint32_t n_q = s->prio ? e->n_levels : 1;
    for (uint32_t l = 0; l < n_q; l++)
        if (s->q[l].head != TC_NONE)
            return list_pop(e, &s->q[l]);
    return TC_NONE;
}

static void push_work(struct tc_engine *e, uint32_t sid)
{
    TC_VEC_PUSH(e->work, sid);
}

/*
** Station sid may have a free server or a free place: start waiting trucks,
** then admit from the admission list, cascading upstream. Waiting trucks
** go first so that a newly admitted truck never overtakes them.
*/
static void refill(struct tc_engine *e, uint32_t sid0)
{
    push_work(e, sid0);
    while (e->work.n) {
        uint32_t sid = e->work.v[--e->work.n];
        struct station *s = &e->st[sid];
        advance(e, s);
        while (s->n_waiting && has_free_server(s)) {
            uint32_t id = pop_waiting(e, s);
            s->n_waiting--;
            start_service(e, sid, id);
        }
        while (!is_full(s) && s->admit.head != TC_NONE) {
            uint32_t id = list_pop(e, &s->admit);
            struct truck *t = &e->tk[id];
            if (t->state == TK_ROAD) {
                s->n_road--;
                if (in_window(e))
                    tc_tally_add(&e->cl[t->cls].road_wait, e->now - t->t_sys);
                admit(e, sid, id);
            } else {
                uint32_t up = t->st;
                struct station *u = &e->st[up];
                advance(e, u);
                u->n_blocked--;
                leave(e, up, id);
                admit(e, sid, id);
                push_work(e, up);
            }
        }
    }
}

static uint32_t route(struct tc_engine *e, struct station *s, const struct tc_route *r,
                      uint32_t cls)
{
    switch (r->kind) {
    case TC_ROUTE_FIXED:
        return r->to;
    case TC_ROUTE_PROB:
        return r->targets[gsl_ran_discrete(s->r_route, r->table)];
    case TC_ROUTE_CLASS:
        return route(e, s, &r->by_class[cls], cls);
    }
    return TC_EXIT;
}

static void on_depart(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    uint32_t sid = t->st;
    struct station *s = &e->st[sid];
    advance(e, s);
    s->n_serving--;
    uint32_t to = route(e, s, s->route, t->cls);
    if (to == TC_EXIT) {
        leave(e, sid, id);
        exit_system(e, id);
        refill(e, sid);
        return;
    }
    struct station *n = &e->st[to];
    if (!is_full(n)) {
        advance(e, n);
        leave(e, sid, id);
        admit(e, to, id);
        refill(e, sid);
        return;
    }
    /* blocking after service: keep the server, queue for room downstream */
    t->state = TK_BLOCKED;
    t->target = to;
    s->n_blocked++;
    list_push(e, &n->admit, id);
}

/* A truck arrives from outside at entry station sid. */
static void arrive(struct tc_engine *e, uint32_t sid, uint32_t cls)
{
    struct station *s = &e->st[sid];
    advance(e, s);
    uint32_t id = truck_new(e, cls);
    if (in_window(e)) {
        s->n_out++;
        e->cl[cls].n_arrived++;
    }
    if (!is_full(s)) {
        if (in_window(e))
            tc_tally_add(&e->cl[cls].road_wait, 0);
        admit(e, sid, id);
        return;
    }
    if (s->reject) {
        if (in_window(e))
            s->n_rej++;
        truck_free(e, id);
        return;
    }
    e->tk[id].state = TK_ROAD;
    e->tk[id].target = sid;
    s->n_road++;
    list_push(e, &s->admit, id);
}

/* ==== Sources ==== */

/* Time of the next arrival of source i after now, or INFINITY. */
static double next_arrival(struct tc_engine *e, uint32_t i)
{
    const struct tc_source *so = &e->sc->sources[i];
    struct source *x = &e->src[i];
    double t = e->now;
    switch (so->kind) {
    case TC_SRC_RATE:
        if (so->rate_per_t <= 0)
            return INFINITY;
        t += gsl_ran_exponential(x->r, 1.0 / so->rate_per_t);
        break;
    case TC_SRC_INTERARRIVAL:
        t += tc_dist_sample(&so->interarrival, x->r);
        break;
    case TC_SRC_TRACE:
        while (x->i_trace < so->n_trace && so->trace_t[x->i_trace] < so->t_start)
            x->i_trace++;
        if (x->i_trace >= so->n_trace)
            return INFINITY;
        t = so->trace_t[x->i_trace];
        break;
    }
    return t < so->t_end ? t : (double)INFINITY;
}

static void schedule_arrival(struct tc_engine *e, uint32_t i)
{
    double t = next_arrival(e, i);
    if (t < e->horizon)
        tc_evq_push(&e->evq, t, EV_ARRIVAL, i, 0, 0);
}

static void on_arrival(struct tc_engine *e, uint32_t i)
{
    const struct tc_source *so = &e->sc->sources[i];
    struct source *x = &e->src[i];
    if (so->kind == TC_SRC_TRACE) {
        /* one truck a row; rows at the same time arrive in file order */
        uint32_t cls = so->trace_class ? so->trace_class[x->i_trace] : so->class_id;
        x->i_trace++;
        arrive(e, so->to, cls);
    } else {
        for (uint32_t b = 0; b < so->batch; b++)
            arrive(e, so->to, so->class_id);
    }
    schedule_arrival(e, i);
}

/* ==== Sampling ==== */

uint32_t tc_engine_n_samples(const struct tc_scenario *sc)
{
    /* k * dt <= horizon, with a relative guard against rounding */
    return (uint32_t)floor(sc->horizon / sc->sample_every * (1 + 1e-12)) + 1;
}

static void sample(struct tc_engine *e, uint32_t k)
{
    e->k_sample = k + 1;
    if (!e->series)
        return;
    uint32_t n_series = e->sc->n_stations + e->m->n_roads;
    double *row = e->series + (size_t)k * n_series * TC_TS__COUNT;
    for (uint32_t i = 0; i < e->sc->n_stations; i++, row += TC_TS__COUNT) {
        const struct station *s = &e->st[i];
        row[TC_TS_PRESENT] = s->n_present;
        row[TC_TS_WAITING] = s->n_waiting;
        row[TC_TS_BUSY] = s->n_serving;
        row[TC_TS_BLOCKED] = s->n_blocked;
    }
    for (uint32_t r = 0; r < e->m->n_roads; r++, row += TC_TS__COUNT) {
        const struct station *s = &e->st[e->m->road_station[r]];
        row[TC_TS_PRESENT] = row[TC_TS_WAITING] = s->n_road;
        row[TC_TS_BUSY] = row[TC_TS_BLOCKED] = 0;
    }
}

/* ==== Life cycle ==== */

struct tc_engine *tc_engine_new(const struct tc_scenario *sc, const struct tc_metrics *m,
                                uint32_t rep, const uint32_t *seeds)
{
    struct tc_engine *e = tc_xcalloc(1, sizeof(*e));
    e->sc = sc;
    e->m = m;
    e->rep = rep;
    e->warmup = sc->warmup;
    e->horizon = sc->horizon;
    e->free_tk = TC_NONE;
    tc_evq_init(&e->evq, ev_rank);

    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    e->n_rngs = lay.base[TC_STREAM__COUNT];
    e->rngs = tc_xcalloc(e->n_rngs, sizeof(*e->rngs));
    for (uint32_t i = 0; i < e->n_rngs; i++) {
        e->rngs[i] = gsl_rng_alloc(gsl_rng_mt19937);
        if (!e->rngs[i])
            tc_xmalloc(SIZE_MAX); /* reports out of memory and exits */
        gsl_rng_set(e->rngs[i], seeds[i]);
    }

    /* priority levels: the rank of each class's priority among the distinct ones */
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

    e->st = tc_xcalloc(sc->n_stations, sizeof(*e->st));
    e->queues = tc_xcalloc((size_t)sc->n_stations * e->n_levels, sizeof(*e->queues));
    for (size_t i = 0; i < (size_t)sc->n_stations * e->n_levels; i++)
        e->queues[i] = (struct list){TC_NONE, TC_NONE};
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        const struct tc_station *cs = &sc->stations[i];
        struct station *s = &e->st[i];
        s->c = cs->servers;
        s->K = cs->capacity;
        s->reject = cs->reject_when_full;
        s->prio = cs->priority;
        s->service = cs->service;
        s->route = &cs->next;
        s->r_service = e->rngs[tc_rng_index(&lay, TC_STREAM_SERVICE, i)];
        s->r_route = e->rngs[tc_rng_index(&lay, TC_STREAM_ROUTE, i)];
        s->q = &e->queues[(size_t)i * e->n_levels];
        s->admit = (struct list){TC_NONE, TC_NONE};
    }
    e->cl = tc_xcalloc(sc->n_classes, sizeof(*e->cl));
    for (uint32_t c = 0; c < sc->n_classes; c++)
        tc_hist_init(&e->cl[c].hist);
    e->st_cl_wait = tc_xcalloc((size_t)sc->n_stations * sc->n_classes, sizeof(struct tc_tally));
    e->st_cl_sojourn =
        tc_xcalloc((size_t)sc->n_stations * sc->n_classes, sizeof(struct tc_tally));
    e->src = tc_xcalloc(sc->n_sources, sizeof(*e->src));
    for (uint32_t i = 0; i < sc->n_sources; i++)
        e->src[i].r = e->rngs[tc_rng_index(&lay, TC_STREAM_ARRIVAL, i)];
    return e;
}

void tc_engine_free(struct tc_engine *e)
{
    if (!e)
        return;
    tc_evq_fini(&e->evq);
    free(e->tk);
    for (uint32_t i = 0; i < e->n_rngs; i++)
        gsl_rng_free(e->rngs[i]);
    free(e->rngs);
    free(e->level_of_class);
    free(e->st);
    free(e->queues);
    if (e->cl)
        for (uint32_t c = 0; c < e->sc->n_classes; c++)
            tc_hist_fini(&e->cl[c].hist);
    free(e->cl);
    free(e->st_cl_wait);
    free(e->st_cl_sojourn);
    free(e->src);
    free(e->work.v);
    free(e);
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

static double ratio(double num, double den)
{
    return den > 0 ? num / den : (double)NAN;
}

static void collect(struct tc_engine *e, double *out)
{
    const struct tc_scenario *sc = e->sc;
    const struct tc_metrics *m = e->m;
    double window = e->horizon - e->warmup;
    double days = window / tc_units_day(sc->time_unit);
    for (size_t i = 0; i < m->n; i++)
        out[i] = NAN;
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        struct station *s = &e->st[i];
        out[tc_metrics_station(m, i, TC_SM_WAIT)] = tc_tally_mean(&s->wait);
        out[tc_metrics_station(m, i, TC_SM_SOJOURN)] = tc_tally_mean(&s->sojourn);
        out[tc_metrics_station(m, i, TC_SM_IN_STATION)] = s->a_present / window;
        out[tc_metrics_station(m, i, TC_SM_WAITING)] = s->a_waiting / window;
        out[tc_metrics_station(m, i, TC_SM_UTILIZATION)] =
            s->c == TC_UNLIMITED ? s->a_serving / window : ratio(s->a_serving, s->a_servers);
        out[tc_metrics_station(m, i, TC_SM_BLOCKED)] = s->a_blocked / window;
        out[tc_metrics_station(m, i, TC_SM_ARRIVALS)] = (double)s->n_arr;
        out[tc_metrics_station(m, i, TC_SM_DEPARTURES)] = (double)s->n_dep;
        out[tc_metrics_station(m, i, TC_SM_REJECTED_FRACTION)] =
            ratio((double)s->n_rej, (double)s->n_out);
        out[tc_metrics_station(m, i, TC_SM_THROUGHPUT_PER_DAY)] = (double)s->n_dep / days;
        for (uint32_t c = 0; c < sc->n_classes; c++) {
            size_t k = (size_t)i * sc->n_classes + c;
            out[tc_metrics_station_class(m, i, c, TC_SCM_WAIT)] = tc_tally_mean(&e->st_cl_wait[k]);
            out[tc_metrics_station_class(m, i, c, TC_SCM_SOJOURN)] =
                tc_tally_mean(&e->st_cl_sojourn[k]);
        }
    }
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        struct klass *k = &e->cl[c];
        double arrived = (double)k->n_arrived;
        out[tc_metrics_class(m, c, TC_CM_TIME_IN_SYSTEM)] = tc_tally_mean(&k->tis);
        out[tc_metrics_class(m, c, TC_CM_TIS_P50)] = tc_hist_quantile(&k->hist, 0.50);
        out[tc_metrics_class(m, c, TC_CM_TIS_P90)] = tc_hist_quantile(&k->hist, 0.90);
        out[tc_metrics_class(m, c, TC_CM_TIS_P95)] = tc_hist_quantile(&k->hist, 0.95);
        out[tc_metrics_class(m, c, TC_CM_TIS_P99)] = tc_hist_quantile(&k->hist, 0.99);
        out[tc_metrics_class(m, c, TC_CM_TIS_MAX)] = k->tis.n ? k->tis.max : (double)NAN;
        out[tc_metrics_class(m, c, TC_CM_ROAD_WAIT)] = tc_tally_mean(&k->road_wait);
        out[tc_metrics_class(m, c, TC_CM_BOOKING_DELAY)] = arrived > 0 ? 0 : NAN;
        out[tc_metrics_class(m, c, TC_CM_ARRIVED)] = arrived;
        out[tc_metrics_class(m, c, TC_CM_COMPLETED)] = (double)k->n_completed;
        out[tc_metrics_class(m, c, TC_CM_THROUGHPUT_PER_DAY)] = (double)k->n_completed / days;
        out[tc_metrics_class(m, c, TC_CM_ABANDONED_FRACTION)] =
            ratio((double)k->n_abandoned, arrived);
        out[tc_metrics_class(m, c, TC_CM_SPOILED_FRACTION)] = ratio((double)k->n_spoiled, arrived);
        out[tc_metrics_class(m, c, TC_CM_VALUE_LOST)] = k->value_lost;
    }
    for (uint32_t r = 0; r < m->n_roads; r++) {
        struct station *s = &e->st[m->road_station[r]];
        double trucks = s->a_road / window;
        out[tc_metrics_road(m, r, TC_RM_TRUCKS)] = trucks;
        out[tc_metrics_road(m, r, TC_RM_KM)] = trucks * sc->truck_length_m / 1000.0;
        out[tc_metrics_road(m, r, TC_RM_MAX_TRUCKS)] = s->road_max;
    }
}

void tc_engine_run(struct tc_engine *e, double *out_metrics, double *out_series)
{
    const struct tc_scenario *sc = e->sc;
    e->series = out_series;
    e->n_samples = tc_engine_n_samples(sc);
    e->now = 0;
    sample(e, 0);
    if (e->n_samples > 1)
        tc_evq_push(&e->evq, sc->sample_every, EV_SAMPLE, 0, 1, 0);
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        e->now = sc->sources[i].t_start;
        schedule_arrival(e, i);
    }
    e->now = 0;

    struct tc_ev ev;
    while (tc_evq_pop(&e->evq, &ev)) {
        if (ev.t >= e->horizon)
            break;
        e->now = ev.t;
        e->n_events++;
        switch ((enum ev_kind)ev.kind) {
        case EV_DEPART:
            if (ev.gen == e->tk[ev.obj].gen)
                on_depart(e, ev.obj);
            break;
        case EV_ARRIVAL:
            on_arrival(e, ev.obj);
            break;
        case EV_SAMPLE:
            sample(e, ev.aux);
            if (ev.aux + 1 < e->n_samples)
                tc_evq_push(&e->evq, (ev.aux + 1) * sc->sample_every, EV_SAMPLE, 0, ev.aux + 1,
                            0);
            break;
        case EV__COUNT:
            break;
        }
    }
    e->now = e->horizon;
    /* a sample at the horizon shows the state just before it */
    while (e->k_sample < e->n_samples)
        sample(e, e->k_sample);
    for (uint32_t i = 0; i < sc->n_stations; i++)
        advance(e, &e->st[i]);
    collect(e, out_metrics);
}
