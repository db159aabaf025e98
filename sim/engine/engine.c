/*
** engine: one replication. State lives in flat arrays indexed by station,
** class, source and truck id; events carry indices, never pointers.
**
** Trucks move through these states: ROAD (outside, waiting to enter a full
** entry station), WAITING (in a station's queue), SERVING, SUSPENDED (its
** server broke down mid-service; it resumes after the repair), BLOCKED
** (served, holding its server or yard slot until the next station has
** room) and BOOKED (has a slot, not yet arrived). A station keeps one FIFO
** "admission list" of the trucks waiting to get in: road trucks and trucks
** blocked upstream, in the order they started waiting, so blocked trucks
** move on in the order they were blocked.
** Invariant: a non-empty admission list means the station is full.
**
** When a truck leaves a station, or a station may start services again
** (a window opens, a repair, midnight under a daily limit), refill() starts
** the waiting trucks it can and admits from the admission list; an admitted
** blocked truck frees room upstream, so refill cascades back along the
** chain through a work stack (not recursion: with cycles it can be long).
**
** Patience is a budget of time not being served, drawn per truck. A truck
** starts a "waiting episode" when it joins a road, a queue or becomes
** blocked, and the episode continues across road -> queue and blocked ->
** queue moves; one patience event is pending per episode and a service
** start cancels it by bumping the truck's generation (lazy deletion).
*/
#include "tcsim/engine.h"

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "base/xmem.h"
#include "engine/evq.h"
#include "engine/rng.h"
#include "engine/stats.h"
#include "model/calendar.h"

/* ==== Events ==== */

enum ev_kind {
    EV_SCHED,    /* a scheduled change: obj = index in sc->sched */
    EV_DAY,      /* midnight: daily limits reset */
    EV_CAL,      /* an opening boundary: obj = station, aux = boundary */
    EV_DEPART,   /* service ends: obj = truck */
    EV_FAIL,     /* a server breaks down: obj = station, aux = server */
    EV_REPAIR,   /* a server is repaired: obj = station, aux = server */
    EV_ARRIVAL,  /* a source produces trucks: obj = source */
    EV_BOOKED,   /* a booked truck reaches its entry station: obj = truck */
    EV_PATIENCE, /* a truck's patience runs out: obj = truck */
    EV_SAMPLE,   /* time-series sample: aux = sample index */
    EV_WARMUP,   /* statistics start */
    EV__COUNT
};

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
    [EV_SCHED] = 0,    [EV_DAY] = 1,    [EV_CAL] = 2,     [EV_DEPART] = 3,
    [EV_FAIL] = 4,     [EV_REPAIR] = 4, [EV_ARRIVAL] = 5, [EV_BOOKED] = 5,
    [EV_PATIENCE] = 6, [EV_SAMPLE] = 9, [EV_WARMUP] = 0,
};

/* Below this many cancelled entries the heap is not compacted: not worth a pass. */
#define DEAD_MIN 1024

/* ==== Trucks ==== */

enum truck_state { TK_FREE, TK_BOOKED, TK_ROAD, TK_WAITING, TK_SERVING, TK_SUSPENDED, TK_BLOCKED };

struct truck {
    double t_sys;         /* arrival at the system (on the road) */
    double t_st;          /* arrival at the current station */
    double t_end;         /* SERVING: scheduled end; SUSPENDED: remaining service */
    double t_wait0;       /* start of the current waiting episode */
    double patience_left; /* INFINITY without patience */
    double booking_delay;
    uint64_t serial;     /* 1, 2, ... in order of creation */
    uint32_t prev, next; /* intrusive list links (queue or admission list) */
    uint32_t gen;        /* bumped to cancel pending events */
    uint32_t cls;
    uint32_t st;     /* current station, TC_NONE outside */
    uint32_t target; /* station it waits to enter (ROAD, BLOCKED) or books for */
    uint32_t srv;    /* server slot, at stations with failures */
    uint8_t state;
    bool waiting; /* in a waiting episode */
};

struct list {
    uint32_t head, tail;
};

/* ==== Stations ==== */

struct station {
    /* configuration; some of it changes with scheduled events */
    uint32_t c;     /* servers or TC_UNLIMITED */
    uint32_t K;     /* capacity or TC_UNLIMITED */
    uint32_t limit; /* daily limit or TC_UNLIMITED */
    bool reject;
    bool prio;
    const struct tc_dist *service; /* per class */
    const struct tc_route *route;
    const struct tc_calendar *cal;
    gsl_rng *r_service, *r_route, *r_fail;
    struct list *q; /* queues by priority level (one for fifo) */

    /* state */
    bool open;       /* inside an opening window */
    uint32_t closed; /* closures in force: overlapping close/reopen pairs nest */
    uint32_t cal_gen;
    double start_before; /* next closing boundary less 1e-9 day, or INFINITY */
    uint32_t starts_today;
    uint32_t n_present, n_waiting, n_serving, n_blocked, n_road, n_suspended;
    struct list admit; /* road + upstream blocked, FIFO */

    /* failures: per-server slots (NULL without failures) */
    uint32_t n_slots;
    uint32_t *slot_truck; /* TC_NONE when idle */
    bool *slot_up;
    uint32_t n_free;   /* slots < c that are up and idle */
    uint32_t n_down_c; /* slots < c that are down */

    /* statistics over [warmup, horizon]; a_* are integrals of the levels */
    double a_present, a_waiting, a_serving, a_blocked, a_servers, a_road;
    double so_val;  /* servers counted as open now (servers_open) */
    double so_rule; /* servers_by_rule when so_val was last set */
    uint32_t road_max;
    struct tc_tally wait, sojourn;
    uint64_t n_arr, n_dep, n_out, n_rej, n_aband;
};

struct klass {
    struct tc_tally tis, road_wait, booking_delay;
    struct tc_hist hist;
    uint64_t n_arrived, n_completed, n_abandoned, n_spoiled;
    double value_lost;
    gsl_rng *r_patience;
};

struct source {
    gsl_rng *r, *r_book;
    double factor;     /* rate_factor of scheduled events */
    double clock;      /* time of its previous arrival (or wish, when booked) */
    double t_wish;     /* booked: the wish of the pending request */
    double lead;       /* booked: requests are made this long before the wish */
    double hmax, dmax; /* profile maxima, for thinning */
    uint32_t gen;      /* cancels the pending arrival on a rate change */
    size_t i_trace;    /* next trace row */
    int64_t slot;      /* booking: lowest slot that may have room */
    uint32_t slot_used;
    const struct tc_calendar *slot_cal; /* booking: the hours slots are offered, or NULL */
};

struct tc_engine {
    const struct tc_stop *stop; /* NULL: never stops early */
    const struct tc_scenario *sc;
    const struct tc_metrics *m;
    uint32_t rep;
    double now, warmup, horizon, day_len, min_per_t;

    struct tc_evq evq;
    size_t n_dead; /* cancelled entries still in evq */
    struct truck *tk;
    uint32_t n_tk, cap_tk, free_tk, n_alive;
    size_t peak_alive;
    uint64_t n_trucks, n_events;

    struct station *st;
    struct list *queues; /* n_stations x n_levels */
    uint32_t n_levels;
    uint32_t *level_of_class;
    struct tc_calendar *cals;      /* one per station, then one per OPEN event */
    struct tc_calendar *slot_cals; /* one per source with booking hours */
    uint32_t *cal_of_sched;
    struct klass *cl;
    struct tc_tally *st_cl_wait, *st_cl_sojourn; /* n_stations x n_classes */
    struct source *src;
    gsl_rng **rngs;
    uint32_t n_rngs;
    bool has_daily;

    size_t max_alive;
    enum tc_engine_status status;
    TC_VEC(uint32_t) work; /* stations to refill */
    tc_engine_trace_fn *trace;
    void *trace_ud;
    double *tt;                   /* trace: per truck slot, n_stations x 3 times */
    double *series;               /* all samples, or NULL */
    double *sample_row;           /* one sample, for the sampler */
    tc_engine_sample_fn *sampler; /* or NULL */
    void *sampler_ud;
    uint32_t n_samples, k_sample; /* samples taken so far */
};

/* ==== Truck slab ==== */

static uint32_t truck_new(struct tc_engine *e, uint32_t cls)
{
    if (e->free_tk == TC_NONE) {
        if (e->n_tk == e->cap_tk) {
            e->cap_tk = e->cap_tk ? 2 * e->cap_tk : 256;
            e->tk = tc_xrealloc(e->tk, (size_t)e->cap_tk * sizeof(*e->tk));
            if (e->trace)
                e->tt =
                    tc_xrealloc(e->tt, (size_t)e->cap_tk * e->sc->n_stations * 3 * sizeof(*e->tt));
        }
        e->tk[e->n_tk] = (struct truck){.gen = 0, .next = TC_NONE};
        if (e->n_tk >= e->max_alive) /* the slab only grows past the limit once */
            e->status = TC_ENGINE_TOO_MANY;
        e->free_tk = e->n_tk++;
    }
    uint32_t id = e->free_tk;
    struct truck *t = &e->tk[id];
    e->free_tk = t->next;
    t->t_sys = t->t_st = e->now;
    t->patience_left = (double)INFINITY;
    t->booking_delay = 0;
    t->prev = t->next = TC_NONE;
    t->cls = cls;
    t->st = t->target = t->srv = TC_NONE;
    t->state = TK_ROAD;
    t->waiting = false;
    t->serial = ++e->n_trucks;
    if (e->trace)
        for (size_t k = 0; k < (size_t)e->sc->n_stations * 3; k++)
            e->tt[(size_t)id * e->sc->n_stations * 3 + k] = (double)NAN;
    if (++e->n_alive > e->peak_alive)
        e->peak_alive = e->n_alive;
    return id;
}

/* Trace slots: 0 arrive, 1 start, 2 leave at station sid. */
static inline void trace_time(struct tc_engine *e, uint32_t id, uint32_t sid, int what)
{
    if (e->trace)
        e->tt[((size_t)id * e->sc->n_stations + sid) * 3 + what] = e->now;
}

static void trace_truck(struct tc_engine *e, uint32_t id, enum tc_outcome out)
{
    if (!e->trace)
        return;
    const struct truck *t = &e->tk[id];
    struct tc_truck_record r = {
        .id = t->serial,
        .rep = e->rep,
        .cls = t->cls,
        .t_arrive = t->t_sys,
        .t_exit = out == TC_OUT_IN_SYSTEM ? (double)NAN : e->now,
        .outcome = out,
        .st_times = e->tt + (size_t)id * e->sc->n_stations * 3,
    };
    e->trace(e->trace_ud, &r);
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

/* Servers open by the rules: none while closed, down ones excluded. */
static double servers_by_rule(const struct station *s)
{
    if (s->c == TC_UNLIMITED)
        return 0;
    return (s->open && !s->closed) ? (double)(s->c - s->n_down_c) : 0;
}

/* Servers counted as open for utilisation. */
static double servers_open(const struct station *s)
{
    if (s->c == TC_UNLIMITED)
        return 0;
    /* a service running past closing keeps its server open */
    double open = servers_by_rule(s);
    return open > s->n_serving ? open : s->n_serving;
}

/*
** Time averages without touching every level at every event: the integral
** of a level n over [warmup, T] is n(T) T - n(warmup) warmup - sum of
** (+1 changes' times) + sum of (-1 changes' times). So a change costs one
** add to its own level's integral; on_warmup() sets the starting term and
** close_levels() the final one. Cancellation is harmless here: the partial
** sums stay within (trucks present x horizon), far from 2^53 ulps.
*/
#define LVL_INC(e, s, x)                                                                           \
    do {                                                                                           \
        (s)->a_##x -= (e)->now;                                                                    \
        (s)->n_##x++;                                                                              \
    } while (0)
#define LVL_DEC(e, s, x)                                                                           \
    do {                                                                                           \
        (s)->a_##x += (e)->now;                                                                    \
        (s)->n_##x--;                                                                              \
    } while (0)

/* The servers counted as open changed (or may have): integrate the step. */
static void servers_changed(struct tc_engine *e, struct station *s)
{
    s->so_rule = servers_by_rule(s);
    double v = servers_open(s);
    if (v != s->so_val) {
        s->a_servers += (s->so_val - v) * e->now;
        s->so_val = v;
    }
}

static void on_warmup(struct tc_engine *e)
{
    double t = e->now;
    for (uint32_t i = 0; i < e->sc->n_stations; i++) {
        struct station *s = &e->st[i];
        s->a_present = -(double)s->n_present * t;
        s->a_waiting = -(double)s->n_waiting * t;
        s->a_serving = -(double)s->n_serving * t;
        s->a_blocked = -(double)s->n_blocked * t;
        s->a_road = -(double)s->n_road * t;
        s->a_servers = -s->so_val * t;
        s->road_max = s->n_road;
    }
}

static void close_levels(struct tc_engine *e, struct station *s)
{
    double t = e->now;
    s->a_present += s->n_present * t;
    s->a_waiting += s->n_waiting * t;
    s->a_serving += s->n_serving * t;
    s->a_blocked += s->n_blocked * t;
    s->a_road += s->n_road * t;
    s->a_servers += s->so_val * t;
}

/* A truck leaves the system now (served, abandoned) or is still in it at the horizon. */
static void account_spoilage(struct tc_engine *e, const struct truck *t, bool abandoned)
{
    const struct tc_class *c = &e->sc->classes[t->cls];
    struct klass *k = &e->cl[t->cls];
    double t_spoil = t->t_sys + c->shelf_life;
    bool spoiled = t_spoil < e->now && t_spoil >= e->warmup;
    if (spoiled) {
        k->n_spoiled++;
        k->value_lost += c->value;
    }
    if (abandoned && in_window(e)) {
        k->n_abandoned++;
        if (!(t_spoil < e->now)) /* a spoiled load is not lost twice */
            k->value_lost += c->value;
    }
}

/* ==== Station logic ==== */

static inline bool is_full(const struct station *s)
{
    return s->K != TC_UNLIMITED && s->n_present >= s->K;
}

static inline bool has_free_server(const struct station *s)
{
    if (s->c == TC_UNLIMITED)
        return true;
    if (s->slot_truck)
        return s->n_free > 0;
    return s->n_serving + s->n_blocked < s->c;
}

/*
** Whether a service may start now: open, not closed, under the daily limit,
** a server free. A time within 1e-9 day before a closing boundary is the
** boundary itself (the calendar's tolerance): in h or d, a service end
** accumulated from 10 min services lands a rounding error before 12:00,
** and must not start another service there.
*/
static inline bool can_start(const struct station *s, double now)
{
    return s->open && !s->closed && now < s->start_before &&
           (s->limit == TC_UNLIMITED || s->starts_today < s->limit) && has_free_server(s);
}

static void begin_wait(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    if (t->waiting)
        return;
    t->waiting = true;
    t->t_wait0 = e->now;
    if (isfinite(t->patience_left))
        tc_evq_push(&e->evq, e->now + t->patience_left, EV_PATIENCE, id, 0, t->gen);
}

static void end_wait(struct tc_engine *e, struct truck *t)
{
    if (!t->waiting)
        return;
    t->waiting = false;
    if (isfinite(t->patience_left)) {
        t->patience_left -= e->now - t->t_wait0;
        t->gen++; /* cancels the pending patience event */
        e->n_dead++;
    }
}

static void take_slot(struct station *s, struct truck *t, uint32_t id)
{
    if (!s->slot_truck)
        return;
    for (uint32_t i = 0; i < s->c && i < s->n_slots; i++)
        if (s->slot_up[i] && s->slot_truck[i] == TC_NONE) {
            s->slot_truck[i] = id;
            s->n_free--;
            t->srv = i;
            return;
        }
}

static void release_slot(struct station *s, struct truck *t)
{
    if (!s->slot_truck || t->srv == TC_NONE)
        return;
    uint32_t i = t->srv;
    s->slot_truck[i] = TC_NONE;
    if (s->slot_up[i] && i < s->c)
        s->n_free++;
    t->srv = TC_NONE;
}

static void start_service(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    end_wait(e, t);
    t->state = TK_SERVING;
    LVL_INC(e, s, serving);
    if (s->n_serving > s->so_val && s->c != TC_UNLIMITED)
        servers_changed(e, s); /* a service running past closing keeps its server open */
    s->starts_today++;
    take_slot(s, t, id);
    trace_time(e, id, sid, 1);
    if (in_window(e)) {
        double w = e->now - t->t_st;
        tc_tally_add(&s->wait, w);
        tc_tally_add(&e->st_cl_wait[sid * e->sc->n_classes + t->cls], w);
    }
    t->t_end = e->now + tc_dist_sample(&s->service[t->cls], s->r_service);
    tc_evq_push(&e->evq, t->t_end, EV_DEPART, id, 0, t->gen);
}

/* Truck id enters station sid now (room has been checked). */
static void admit(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    LVL_INC(e, s, present);
    if (in_window(e))
        s->n_arr++;
    t->st = sid;
    t->t_st = e->now;
    t->target = TC_NONE;
    trace_time(e, id, sid, 0);
    if (can_start(s, e->now)) {
        start_service(e, sid, id);
    } else {
        t->state = TK_WAITING;
        LVL_INC(e, s, waiting);
        list_push(e, &s->q[s->prio ? e->level_of_class[t->cls] : 0], id);
        begin_wait(e, id);
    }
}

/* Truck id leaves station sid after service (it was serving or blocked there). */
static void leave(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    LVL_DEC(e, s, present);
    release_slot(s, t);
    trace_time(e, id, sid, 2);
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
    struct klass *k = &e->cl[t->cls];
    if (in_window(e)) {
        double tis = e->now - t->t_sys;
        k->n_completed++;
        tc_tally_add(&k->tis, tis);
        tc_hist_add(&k->hist, tis);
    }
    account_spoilage(e, t, false);
    trace_truck(e, id, TC_OUT_SERVED);
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
** Station sid may be able to start services or take trucks in: start
** waiting trucks, then admit from the admission list, cascading upstream.
** Waiting trucks go first so that a newly admitted truck never overtakes them.
*/
static void refill(struct tc_engine *e, uint32_t sid0)
{
    /* sid0 first without the stack: most refills end there */
    for (uint32_t sid = sid0;; sid = e->work.v[--e->work.n]) {
        struct station *s = &e->st[sid];
        while (s->n_waiting && can_start(s, e->now)) {
            uint32_t id = pop_waiting(e, s);
            LVL_DEC(e, s, waiting);
            start_service(e, sid, id);
        }
        while (!is_full(s) && s->admit.head != TC_NONE) {
            uint32_t id = list_pop(e, &s->admit);
            struct truck *t = &e->tk[id];
            if (t->state == TK_ROAD) {
                LVL_DEC(e, s, road);
                if (in_window(e))
                    tc_tally_add(&e->cl[t->cls].road_wait, e->now - t->t_sys);
                admit(e, sid, id);
            } else {
                uint32_t up = t->st;
                struct station *u = &e->st[up];
                LVL_DEC(e, u, blocked);
                leave(e, up, id);
                admit(e, sid, id);
                push_work(e, up);
            }
        }
        if (!e->work.n)
            break;
    }
}

static uint32_t route(struct station *s, const struct tc_route *r, uint32_t cls)
{
    switch (r->kind) {
    case TC_ROUTE_FIXED:
        return r->to;
    case TC_ROUTE_PROB:
        return r->targets[gsl_ran_discrete(s->r_route, r->table)];
    case TC_ROUTE_CLASS:
        return route(s, &r->by_class[cls], cls);
    }
    return TC_EXIT;
}

static void on_depart(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    uint32_t sid = t->st;
    struct station *s = &e->st[sid];
    LVL_DEC(e, s, serving);
    if (s->n_serving + 1 == s->so_val && s->so_val > s->so_rule)
        servers_changed(e, s); /* a service past closing ended: one server fewer open */
    uint32_t to = route(s, s->route, t->cls);
    if (to == TC_EXIT) {
        leave(e, sid, id);
        exit_system(e, id);
        refill(e, sid);
        return;
    }
    struct station *n = &e->st[to];
    if (!is_full(n)) {
        leave(e, sid, id);
        admit(e, to, id);
        refill(e, sid);
        return;
    }
    /* blocking after service: keep the server, queue for room downstream */
    t->state = TK_BLOCKED;
    t->target = to;
    LVL_INC(e, s, blocked);
    list_push(e, &n->admit, id);
    begin_wait(e, id);
}

/* Truck id arrives from outside at entry station sid now. */
static void arrive(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    struct klass *k = &e->cl[t->cls];
    t->t_sys = e->now;
    const struct tc_class *c = &e->sc->classes[t->cls];
    if (c->has_patience)
        t->patience_left = tc_dist_sample(&c->patience, k->r_patience);
    if (in_window(e)) {
        s->n_out++;
        k->n_arrived++;
        tc_tally_add(&k->booking_delay, t->booking_delay);
    }
    if (!is_full(s)) {
        if (in_window(e))
            tc_tally_add(&k->road_wait, 0);
        admit(e, sid, id);
        return;
    }
    if (s->reject) {
        if (in_window(e))
            s->n_rej++;
        trace_truck(e, id, TC_OUT_REJECTED);
        truck_free(e, id);
        return;
    }
    t->state = TK_ROAD;
    t->target = sid;
    LVL_INC(e, s, road);
    if (s->n_road > s->road_max && in_window(e))
        s->road_max = s->n_road;
    list_push(e, &s->admit, id);
    begin_wait(e, id);
}

/* Patience ran out: the truck leaves from wherever it waits. */
static void on_patience(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    t->waiting = false;
    if (t->state == TK_ROAD) {
        struct station *s = &e->st[t->target];
        list_remove(e, &s->admit, id);
        LVL_DEC(e, s, road);
    } else if (t->state == TK_WAITING) {
        uint32_t sid = t->st;
        struct station *s = &e->st[sid];
        list_remove(e, &s->q[s->prio ? e->level_of_class[t->cls] : 0], id);
        LVL_DEC(e, s, waiting);
        LVL_DEC(e, s, present);
        if (in_window(e))
            s->n_aband++;
        account_spoilage(e, t, true);
        trace_time(e, id, sid, 2);
        trace_truck(e, id, TC_OUT_ABANDONED);
        truck_free(e, id);
        refill(e, sid);
        return;
    } else if (t->state == TK_BLOCKED) {
        uint32_t sid = t->st;
        struct station *s = &e->st[sid];
        list_remove(e, &e->st[t->target].admit, id);
        LVL_DEC(e, s, blocked);
        LVL_DEC(e, s, present);
        release_slot(s, t);
        if (in_window(e))
            s->n_aband++;
        account_spoilage(e, t, true);
        trace_time(e, id, sid, 2);
        trace_truck(e, id, TC_OUT_ABANDONED);
        truck_free(e, id);
        refill(e, sid);
        return;
    }
    account_spoilage(e, t, true);
    trace_truck(e, id, TC_OUT_ABANDONED);
    truck_free(e, id);
}

/* ==== Failures (per server, clock time, preempt-resume) ==== */

static void on_fail(struct tc_engine *e, uint32_t sid, uint32_t i)
{
    const struct tc_failures *f = &e->sc->stations[sid].failures;
    struct station *s = &e->st[sid];
    s->slot_up[i] = false;
    uint32_t id = s->slot_truck[i];
    if (i < s->c) {
        s->n_down_c++;
        if (id == TC_NONE)
            s->n_free--;
    }
    if (id != TC_NONE && e->tk[id].state == TK_SERVING) {
        struct truck *t = &e->tk[id];
        t->gen++; /* cancels the departure */
        e->n_dead++;
        t->t_end -= e->now; /* now the remaining service */
        t->state = TK_SUSPENDED;
        LVL_DEC(e, s, serving);
        s->n_suspended++;
    }
    tc_evq_push(&e->evq, e->now + tc_dist_sample(&f->down, s->r_fail), EV_REPAIR, sid, i, 0);
    servers_changed(e, s);
}

static void on_repair(struct tc_engine *e, uint32_t sid, uint32_t i)
{
    const struct tc_failures *f = &e->sc->stations[sid].failures;
    struct station *s = &e->st[sid];
    s->slot_up[i] = true;
    uint32_t id = s->slot_truck[i];
    if (i < s->c) {
        s->n_down_c--;
        if (id == TC_NONE)
            s->n_free++;
    }
    tc_evq_push(&e->evq, e->now + tc_dist_sample(&f->up, s->r_fail), EV_FAIL, sid, i, 0);
    if (id != TC_NONE && e->tk[id].state == TK_SUSPENDED) {
        struct truck *t = &e->tk[id];
        t->state = TK_SERVING;
        s->n_suspended--;
        LVL_INC(e, s, serving);
        t->t_end += e->now;
        tc_evq_push(&e->evq, t->t_end, EV_DEPART, id, 0, t->gen);
    } else if (id == TC_NONE) {
        refill(e, sid);
    }
    servers_changed(e, s);
}

/* Counts free and down slots below c again (after c changed). */
static void recount_slots(struct station *s)
{
    s->n_free = s->n_down_c = 0;
    for (uint32_t i = 0; i < s->n_slots && i < s->c; i++) {
        if (!s->slot_up[i])
            s->n_down_c++;
        else if (s->slot_truck[i] == TC_NONE)
            s->n_free++;
    }
}

/* ==== Sources ==== */

/* The profile multiplier at time t (hourly x daily), for thinning. */
static double profile(const struct tc_engine *e, const struct tc_source *so, double t)
{
    double tmin = t * e->min_per_t;
    double day = floor(tmin / 1440.0);
    double m = 1;
    if (so->has_hourly) {
        int h = (int)floor((tmin - day * 1440.0) / 60.0);
        m *= so->hourly[h < 0 ? 0 : h > 23 ? 23 : h];
    }
    if (so->n_daily)
        m *= so->daily[(uint64_t)day % so->n_daily];
    return m;
}

/*
** Time of the next arrival (or booking wish) of source i after its clock,
** or INFINITY. Profiles are generated exactly by thinning (Lewis and
** Shedler 1979): candidates at the peak rate, each kept with probability
** rate(t) / peak.
*/
static double next_arrival(struct tc_engine *e, uint32_t i)
{
    const struct tc_source *so = &e->sc->sources[i];
    struct source *x = &e->src[i];
    double t = x->clock;
    switch (so->kind) {
    case TC_SRC_RATE: {
        double peak = so->rate_per_t * x->factor * x->hmax * x->dmax;
        if (!(peak > 0))
            return (double)INFINITY;
        bool thin = so->has_hourly || so->n_daily;
        for (;;) {
            t += gsl_ran_exponential(x->r, 1.0 / peak);
            if (t >= so->t_end || t >= e->horizon)
                return (double)INFINITY;
            if (!thin || gsl_rng_uniform(x->r) * x->hmax * x->dmax < profile(e, so, t))
                break;
        }
        break;
    }
    case TC_SRC_INTERARRIVAL:
        if (!(x->factor > 0))
            return (double)INFINITY;
        t += tc_dist_sample(&so->interarrival, x->r) / x->factor;
        break;
    case TC_SRC_TRACE:
        /* rows before the start, or passed while the stream was stopped, are skipped */
        while (x->i_trace < so->n_trace &&
               (so->trace_t[x->i_trace] < so->t_start || so->trace_t[x->i_trace] < e->now))
            x->i_trace++;
        if (x->i_trace >= so->n_trace || !(x->factor > 0))
            return (double)INFINITY;
        t = so->trace_t[x->i_trace];
        break;
    }
    return t < so->t_end ? t : (double)INFINITY;
}

static void schedule_arrival(struct tc_engine *e, uint32_t i)
{
    struct source *x = &e->src[i];
    double t = next_arrival(e, i);
    if (e->sc->sources[i].booking.on) {
        x->t_wish = t;
        t = t - x->lead > e->now ? t - x->lead : e->now;
    }
    if (t < e->horizon)
        tc_evq_push(&e->evq, t, EV_ARRIVAL, i, 0, x->gen);
}

/*
** Whether slot k is offered: it overlaps the booking hours (open at its
** start, or opening before its end). Every window of positive length
** overlaps a slot each day, so the search for the next one ends.
*/
static bool slot_offered(const struct tc_engine *e, const struct tc_calendar *cal, int64_t k,
                         double len)
{
    double t0 = (double)k * len;
    if (tc_calendar_is_open(cal, t0, e->day_len))
        return true;
    double t;
    uint32_t i;
    tc_calendar_next(cal, t0, e->day_len, &t, &i);
    return t < t0 + len;
}

/*
** A booking request for the wish x->t_wish: the slot containing the wish,
** or the next offered slot with room; arrival uniform inside the slot plus punctuality,
** never before the request itself.
*/
static void book(struct tc_engine *e, uint32_t i, uint32_t cls)
{
    const struct tc_source *so = &e->sc->sources[i];
    const struct tc_booking *b = &so->booking;
    struct source *x = &e->src[i];
    int64_t k = (int64_t)floor(x->t_wish / b->slot);
    if (k > x->slot) {
        x->slot = k;
        x->slot_used = 0;
    }
    while (x->slot_cal && !slot_offered(e, x->slot_cal, x->slot, b->slot)) {
        x->slot++; /* outside the booking hours: no room at all */
        x->slot_used = 0;
    }
    k = x->slot;
    if (++x->slot_used >= b->per_slot) {
        x->slot++;
        x->slot_used = 0;
    }
    double t = ((double)k + gsl_rng_uniform(x->r_book)) * b->slot;
    if (b->has_punctuality) {
        /* a deviation, early or late: here a normal is not truncated at 0 */
        const struct tc_dist *p = &b->punctuality;
        t += p->kind == TC_DIST_NORMAL ? p->p[0] + gsl_ran_gaussian(x->r_book, p->p[1])
                                       : tc_dist_sample(p, x->r_book);
    }
    if (t < e->now)
        t = e->now;
    uint32_t id = truck_new(e, cls);
    struct truck *tr = &e->tk[id];
    tr->state = TK_BOOKED;
    tr->target = so->to;
    double delay = (double)k * b->slot - x->t_wish;
    tr->booking_delay = delay > 0 ? delay : 0;
    if (t < e->horizon)
        tc_evq_push(&e->evq, t, EV_BOOKED, id, 0, tr->gen);
    else
        truck_free(e, id); /* arrives after the end: never part of the run */
}

static void on_arrival(struct tc_engine *e, uint32_t i)
{
    const struct tc_source *so = &e->sc->sources[i];
    struct source *x = &e->src[i];
    if (so->kind == TC_SRC_TRACE) {
        /* one truck a row; rows at the same time arrive in file order */
        uint32_t cls = so->trace_class ? so->trace_class[x->i_trace] : so->class_id;
        x->i_trace++;
        if (so->booking.on)
            book(e, i, cls);
        else
            arrive(e, so->to, truck_new(e, cls));
    } else {
        for (uint32_t b = 0; b < so->batch; b++) {
            if (so->booking.on)
                book(e, i, so->class_id);
            else
                arrive(e, so->to, truck_new(e, so->class_id));
        }
    }
    x->clock = so->booking.on ? x->t_wish : e->now;
    schedule_arrival(e, i);
}

/* ==== Scheduled events, days, calendars ==== */

static void schedule_cal(struct tc_engine *e, uint32_t sid)
{
    struct station *s = &e->st[sid];
    s->start_before = (double)INFINITY;
    if (s->cal->always_open)
        return;
    double t;
    uint32_t i;
    tc_calendar_next(s->cal, e->now, e->day_len, &t, &i);
    if (!(i < s->cal->n ? s->cal->open_after[i] : s->cal->open_at_midnight))
        s->start_before = t - 1e-9 * e->day_len;
    if (t < e->horizon)
        tc_evq_push(&e->evq, t, EV_CAL, sid, i, s->cal_gen);
}

static void on_cal(struct tc_engine *e, uint32_t sid, uint32_t i)
{
    struct station *s = &e->st[sid];
    s->open = i < s->cal->n ? s->cal->open_after[i] : s->cal->open_at_midnight;
    schedule_cal(e, sid);
    if (s->open)
        refill(e, sid);
    servers_changed(e, s);
}

static void on_day(struct tc_engine *e, uint32_t day)
{
    for (uint32_t i = 0; i < e->sc->n_stations; i++) {
        struct station *s = &e->st[i];
        s->starts_today = 0;
        if (s->limit != TC_UNLIMITED)
            refill(e, i);
    }
    double t = (day + 1) * e->day_len;
    if (t < e->horizon)
        tc_evq_push(&e->evq, t, EV_DAY, 0, day + 1, 0);
}

static void on_sched(struct tc_engine *e, uint32_t k)
{
    const struct tc_sched *x = &e->sc->sched[k];
    if (x->kind == TC_SCHED_RATE_FACTOR) {
        for (uint32_t j = 0; j < x->n_sources; j++) {
            struct source *src = &e->src[x->sources[j]];
            src->factor = x->factor;
            src->gen++; /* the pending arrival was drawn at the old rate */
            e->n_dead++;
            /* restart from now, but never before the stream's start (the
               clock starts there) nor before a wish already requested (a
               booked stream requests ahead of its wishes) */
            src->clock = e->now > src->clock ? e->now : src->clock;
            schedule_arrival(e, x->sources[j]);
        }
        return;
    }
    struct station *s = &e->st[x->station];
    switch (x->kind) {
    case TC_SCHED_CLOSE:
        s->closed++;
        servers_changed(e, s);
        return;
    case TC_SCHED_REOPEN:
        if (s->closed)
            s->closed--;
        break;
    case TC_SCHED_SERVERS:
        s->c = x->value; /* fewer servers take effect as services end */
        if (s->slot_truck)
            recount_slots(s);
        break;
    case TC_SCHED_DAILY_LIMIT:
        s->limit = x->value;
        break;
    case TC_SCHED_OPEN:
        s->cal = &e->cals[e->cal_of_sched[k]];
        s->open = tc_calendar_is_open(s->cal, e->now, e->day_len);
        s->cal_gen++;
        e->n_dead++;
        schedule_cal(e, x->station);
        break;
    case TC_SCHED_NEXT:
        s->route = &x->next; /* new departures only: blocked trucks keep their target */
        return;
    case TC_SCHED_RATE_FACTOR:
        return;
    }
    refill(e, x->station);
    servers_changed(e, s);
}

/* ==== Sampling ==== */

static void sample(struct tc_engine *e, uint32_t k)
{
    e->k_sample = k + 1;
    if (!e->series && !e->sampler)
        return;
    uint32_t n_series = e->sc->n_stations + e->m->n_roads;
    double *const first =
        e->series ? e->series + (size_t)k * n_series * TC_TS__COUNT : e->sample_row;
    double *row = first;
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
    if (e->sampler)
        e->sampler(e->sampler_ud, k, first);
}

/* ==== Life cycle ==== */

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
    if (cs->daily_limit != TC_UNLIMITED)
        e->has_daily = true;
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
        recount_slots(s);
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
    e->min_per_t = tc_units_seconds(sc->time_unit) / 60.0;
    e->free_tk = TC_NONE;
    e->max_alive = TC_ENGINE_MAX_TRUCKS;
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
    for (uint32_t k = 0; k < sc->n_sched; k++) {
        const struct tc_sched *x = &sc->sched[k];
        if (x->kind == TC_SCHED_OPEN)
            tc_calendar_init(&e->cals[e->cal_of_sched[k]], x->open, x->n_open, e->day_len);
        if (x->kind == TC_SCHED_DAILY_LIMIT)
            e->has_daily = true;
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
    }
    e->st_cl_wait = tc_xcalloc((size_t)sc->n_stations * sc->n_classes, sizeof(struct tc_tally));
    e->st_cl_sojourn = tc_xcalloc((size_t)sc->n_stations * sc->n_classes, sizeof(struct tc_tally));
    e->src = tc_xcalloc(sc->n_sources, sizeof(*e->src));
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const struct tc_source *so = &sc->sources[i];
        struct source *x = &e->src[i];
        x->r = e->rngs[tc_rng_index(&lay, TC_STREAM_ARRIVAL, i)];
        x->r_book = e->rngs[tc_rng_index(&lay, TC_STREAM_BOOKING, i)];
        if (so->booking.on && so->booking.n_open > 0) {
            if (!e->slot_cals)
                e->slot_cals = tc_xcalloc(sc->n_sources, sizeof(*e->slot_cals));
            tc_calendar_init(&e->slot_cals[i], so->booking.open, so->booking.n_open, e->day_len);
            if (!e->slot_cals[i].always_open)
                x->slot_cal = &e->slot_cals[i];
        }
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
        if (so->booking.on) {
            x->slot = INT64_MIN;
            /* requests are made ahead of the wish, so early arrivals inside
               the slot and early punctuality are possible (6 sd covers it) */
            x->lead = so->booking.slot;
            const struct tc_dist *p = &so->booking.punctuality;
            if (so->booking.has_punctuality)
                x->lead += p->kind == TC_DIST_NORMAL ? fabs(p->p[0]) + 6 * p->p[1]
                                                     : tc_dist_mean(p) + 6 * sqrt(tc_dist_var(p));
        }
    }
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
    if (e->st)
        for (uint32_t i = 0; i < e->sc->n_stations; i++) {
            free(e->st[i].slot_truck);
            free(e->st[i].slot_up);
        }
    free(e->st);
    free(e->queues);
    free(e->cals);
    free(e->slot_cals);
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
    free(e->sample_row);
    free(e);
}

/* Lock-free, so a signal handler may set it (C17 7.14.1.1). */
void tc_engine_set_stop(struct tc_engine *e, const struct tc_stop *stop)
{
    e->stop = stop;
}

void tc_engine_set_max_trucks(struct tc_engine *e, size_t max_trucks)
{
    e->max_alive = max_trucks ? max_trucks : TC_ENGINE_MAX_TRUCKS;
}

enum tc_engine_status tc_engine_status(const struct tc_engine *e)
{
    return e->status;
}

double tc_engine_stop_time(const struct tc_engine *e)
{
    return e->now;
}

const char *const tc_outcome_names[4] = {
    [TC_OUT_SERVED] = "served",
    [TC_OUT_ABANDONED] = "abandoned",
    [TC_OUT_REJECTED] = "rejected",
    [TC_OUT_IN_SYSTEM] = "in_system",
};

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
        e->tt = tc_xrealloc(e->tt, (size_t)e->cap_tk * e->sc->n_stations * 3 * sizeof(*e->tt));
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
    double days = window / e->day_len;
    for (size_t i = 0; i < m->n; i++)
        out[i] = (double)NAN;
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        struct station *s = &e->st[i];
        out[tc_metrics_station(m, i, TC_SM_WAIT)] = tc_tally_mean(&s->wait);
        out[tc_metrics_station(m, i, TC_SM_SOJOURN)] = tc_tally_mean(&s->sojourn);
        out[tc_metrics_station(m, i, TC_SM_IN_STATION)] = s->a_present / window;
        out[tc_metrics_station(m, i, TC_SM_WAITING)] = s->a_waiting / window;
        out[tc_metrics_station(m, i, TC_SM_UTILIZATION)] =
            s->c == TC_UNLIMITED && sc->stations[i].servers == TC_UNLIMITED
                ? s->a_serving / window
                : ratio(s->a_serving, s->a_servers);
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
        out[tc_metrics_class(m, c, TC_CM_BOOKING_DELAY)] = tc_tally_mean(&k->booking_delay);
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
        return ev->gen == e->tk[ev->obj].gen && e->tk[ev->obj].waiting;
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

void tc_engine_run(struct tc_engine *e, double *out_metrics, double *out_series)
{
    const struct tc_scenario *sc = e->sc;
    e->series = out_series;
    e->n_samples = tc_metrics_n_samples(sc);
    e->now = 0;
    sample(e, 0);
    if (e->n_samples > 1)
        tc_evq_push(&e->evq, sc->sample_every, EV_SAMPLE, 0, 1, 0);
    for (uint32_t k = 0; k < sc->n_sched; k++)
        if (sc->sched[k].t < e->horizon)
            tc_evq_push(&e->evq, sc->sched[k].t, EV_SCHED, k, 0, 0);
    if (e->warmup > 0)
        tc_evq_push(&e->evq, e->warmup, EV_WARMUP, 0, 0, 0);
    if (e->has_daily && e->day_len < e->horizon)
        tc_evq_push(&e->evq, e->day_len, EV_DAY, 0, 1, 0);
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        struct station *s = &e->st[i];
        schedule_cal(e, i);
        for (uint32_t k = 0; k < s->n_slots; k++)
            tc_evq_push(&e->evq, tc_dist_sample(&sc->stations[i].failures.up, s->r_fail), EV_FAIL,
                        i, k, 0);
    }
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        e->src[i].clock = sc->sources[i].t_start;
        schedule_arrival(e, i);
    }

    struct tc_ev ev;
    while (tc_evq_pop(&e->evq, &ev)) {
        /* cancelled entries outnumber live ones: drop them all (amortised O(1) each) */
        if (e->n_dead > DEAD_MIN && 2 * e->n_dead > tc_evq_len(&e->evq)) {
            tc_evq_compact(&e->evq, ev_live_cb, e);
            e->n_dead = 0;
        }
        if (ev.t >= e->horizon)
            break;
        /* one relaxed load an event: a stop request is seen within microseconds */
        if (e->status || tc_stop_requested(e->stop)) {
            if (!e->status)
                e->status = TC_ENGINE_INTERRUPTED;
            return; /* the caller discards a stopped replication */
        }
        if (!ev_live(e, &ev)) { /* cancelled */
            e->n_dead -= e->n_dead > 0;
            continue;
        }
        e->now = ev.t;
        e->n_events++;
        switch ((enum ev_kind)ev.kind) {
        case EV_DEPART:
            on_depart(e, ev.obj);
            break;
        case EV_ARRIVAL:
            on_arrival(e, ev.obj);
            break;
        case EV_BOOKED:
            arrive(e, e->tk[ev.obj].target, ev.obj);
            break;
        case EV_PATIENCE:
            on_patience(e, ev.obj);
            break;
        case EV_SCHED:
            on_sched(e, ev.obj);
            break;
        case EV_DAY:
            on_day(e, ev.aux);
            break;
        case EV_CAL:
            on_cal(e, ev.obj, ev.aux);
            break;
        case EV_FAIL:
            on_fail(e, ev.obj, ev.aux);
            break;
        case EV_REPAIR:
            on_repair(e, ev.obj, ev.aux);
            break;
        case EV_WARMUP:
            on_warmup(e);
            break;
        case EV_SAMPLE:
            sample(e, ev.aux);
            if (ev.aux + 1 < e->n_samples)
                tc_evq_push(&e->evq, (ev.aux + 1) * sc->sample_every, EV_SAMPLE, 0, ev.aux + 1, 0);
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
        close_levels(e, &e->st[i]);
    /* loads that spoiled while still waiting count too */
    for (uint32_t id = 0; id < e->n_tk; id++)
        if (e->tk[id].state != TK_FREE && e->tk[id].state != TK_BOOKED) {
            account_spoilage(e, &e->tk[id], false);
            trace_truck(e, id, TC_OUT_IN_SYSTEM);
        }
    collect(e, out_metrics);
}
