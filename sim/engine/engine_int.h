/*
** engine_int: what the files of the engine share. The engine is split by
** concept: engine.c (life cycle, the event loop), engine_truck.c (the truck
** slab), engine_station.c (admission, service, blocking, routing,
** patience), engine_source.c (arrivals: thinning, traces, booking),
** engine_sched.c (scheduled changes, calendars, days, failures) and
** engine_observe.c (time averages, samples, the metrics of a replication).
** Every change of a statistic goes through the helpers below (level_add,
** stat_*), which alone know the warm-up window.
**
** One replication. State lives in flat arrays indexed by station,
** class, source and truck id; events carry indices, never pointers.
**
** Trucks move through these states: ROAD (outside, waiting to enter a full
** entry station), WAITING (in a station's queue), SERVING, SUSPENDED (its
** server broke down mid-service; it resumes after the repair), BLOCKED
** (served, holding its server or yard slot until the next station has
** room) and BOOKED (has a slot, not yet arrived). A station keeps one
** "admission list" of the trucks waiting to get in: road trucks and trucks
** blocked upstream, in the order they started waiting, so blocked trucks
** move on in the order they were blocked; under discipline priority by
** class priority first, then in that order.
** Invariant: a non-empty admission list means the station is full.
**
** When a truck leaves a station, or a station may start services again
** (a window opens, a repair, midnight under a daily limit), eng_refill() starts
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
#ifndef TCSIM_ENGINE_INT_H
#define TCSIM_ENGINE_INT_H

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "base/xmem.h"
#include "engine/evq.h"
#include "engine/stats.h"
#include "model/calendar.h"
#include "tcsim/engine.h"
#include "tcsim/units.h"

/*
** A consistency check on the engine's own state, active unless NDEBUG (the
** default debugoptimized build and the tests check; a release build does
** not). A failure is a bug in the engine, never bad input.
*/
#define TC_CHECK(cond) assert(cond)

/* ==== Events ==== */

/* The kinds; engine.c's ev_rank orders those at the same time. */

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
    EV_INITIAL,  /* time 0: the trucks of initial: are placed */
    EV_CLEAR,    /* the moment of a clearance: obj = its index in sc->clearance */
    EV__COUNT
};

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
    uint32_t src;    /* BOOKED: the stream that booked it (its to: may be a choice) */
    uint32_t srv;    /* server slot, at stations with failures */
    uint8_t state;
    bool in_episode; /* in a waiting episode (patience runs) */
};

struct list {
    uint32_t head, tail;
};

/* ==== Stations ==== */

/* A level of a station (trucks present, waiting, ...): see level_add. */
struct level {
    uint32_t n;    /* trucks now */
    double area;   /* its time integral over [warmup, t_last] */
    double t_last; /* time of the last change (or of the warm-up) */
};

struct station {
    /* configuration; some of it changes with scheduled events */
    uint32_t c;                 /* servers or TC_UNLIMITED */
    uint32_t K;                 /* capacity or TC_UNLIMITED */
    uint32_t limit;             /* daily limit or TC_UNLIMITED */
    uint32_t *climit, *cstarts; /* per class: daily limit, starts today; NULL without */
    bool reject;
    bool prio;
    bool release_prio; /* release: priority: trucks leave for the next station by class priority */
    const struct tc_dist *service; /* per class */
    const struct tc_route *route;
    const struct tc_calendar *cal;
    gsl_rng *r_service, *r_route, *r_fail;
    struct list *q; /* queues by priority level (one for fifo) */

    /* state */
    bool open;       /* inside an opening window */
    uint32_t closed; /* closures in force: overlapping close/reopen pairs nest */
    uint32_t cal_gen;
    double start_before; /* next closing boundary less TC_TIME_EPS_DAYS, or INFINITY */
    bool cal_pending;    /* an EV_CAL event of cal_gen is in the queue */
    uint32_t starts_today;
    /* present = waiting + serving + suspended + blocked (station_consistent):
       a count only, its time average is the sum of theirs (one level fewer
       to integrate at every move) */
    uint32_t n_present;
    struct level waiting, serving, blocked, road;
    struct level suspended; /* their server is down: not in serving */
    struct list admit;      /* road + upstream blocked, FIFO (by priority first if prio) */
    uint32_t n_admit;       /* trucks in admit (a choice counts them as ahead of a newcomer) */

    /* failures: per-server slots (NULL without failures) */
    uint32_t n_slots;
    uint32_t *slot_truck; /* TC_NONE when idle */
    bool *slot_up;
    uint32_t n_free;   /* slots < c that are up and idle */
    uint32_t n_down_c; /* slots < c that are down */

    /* statistics over [warmup, horizon] */
    double a_servers;  /* integral of so_val over [warmup, t_servers] */
    double t_servers;  /* when a_servers was last brought up to date */
    double so_val;     /* servers counted as open now (servers_open) */
    double so_rule;    /* servers_by_rule when so_val was last set */
    double a_busy_unl; /* integral of serving.n while servers were unlimited */
    double busy_unl0;  /* serving's integral when the current unlimited stretch began */
    bool ever_finite;  /* had finite servers at some time of the window */
    /* occupancy: servers held (serving + blocked + suspended) over servers there */
    double a_held_unl; /* integral of the held servers while servers were unlimited */
    double held_unl0;  /* their integral when the current unlimited stretch began */
    double a_cap;      /* integral of cap_val over [warmup, t_cap] */
    double t_cap;
    uint32_t cap_val; /* max(c, held) while finite, 0 while unlimited (eng_cap_changed) */
    uint32_t road_max;
    struct tc_tally wait, sojourn;
    double stay_aband; /* stays of the trucks that abandoned (n_aband of them) */
    uint64_t n_arr, n_dep, n_out, n_rej, n_aband;
    uint64_t n_left; /* departures since t = 0, the warm-up ignored (class series) */
};

struct klass {
    struct level net; /* trucks of the class in the network: stations, roads, booked */
    struct tc_tally tis, road_wait, booking_delay;
    struct tc_hist hist;
    uint64_t n_arrived, n_completed, n_abandoned, n_rejected, n_diverted, n_spoiled;
    uint64_t n_at_warmup, n_at_end; /* in the system (arrived, not gone) then */
    double value_lost;
    gsl_rng *r_patience;
    gsl_rng *r_initial; /* the patience of its initial trucks (NULL without) */
};

struct source {
    gsl_rng *r, *r_book;
    double factor;     /* rate_factor of scheduled events */
    double clock;      /* time of its previous arrival (or wish, when booked) */
    double t_wish;     /* booked: the wish of the pending request */
    double lead;       /* booked: requests are made this long before the wish */
    uint32_t pool;     /* booked: its pool in e->pools, else TC_NONE */
    double hmax, dmax; /* profile maxima, for thinning */
    uint32_t gen;      /* cancels the pending arrival on a rate change */
    bool pending;      /* an EV_ARRIVAL event of gen is in the queue */
    size_t i_trace;    /* next trace row */
};

/* ==== Booking pools (engine_pool.c) ==== */

/* A run of slots of one length: slot k0 starts at t0. */
struct pool_seg {
    double t0, len;
    int64_t k0;
};

struct pool {
    const struct tc_booking *b;    /* the pool's, or the stream's inline booking */
    const struct tc_calendar *cal; /* the hours slots are offered, or NULL: always */
    struct pool_seg *seg;          /* by time; slot length events start new ones */
    uint32_t n_seg;
    uint32_t per_slot0, n_quota; /* quota before any change; changes by slot start: */
    double *quota_t;             /* at or after these times */
    uint32_t *quota_v;           /* these quotas */
    double max_len, lead;        /* longest slot; requests this long before the wish */
    uint32_t *used, cap;         /* ring: trucks booked into slots base .. base + cap - 1 */
    int64_t base, free_from;     /* slots in [base, free_from) have no room */
    struct level booked;         /* booked, not yet arrived (or arriving after the horizon) */
    uint32_t booked_max;
    uint64_t n_booked;         /* bookings made in the window */
    struct tc_tally lead_time; /* booking to arrival, of the trucks arriving in the window */
};

/* A backlog clearance being measured (sc->clearance[i]). */
struct clear {
    bool started, done; /* its moment has come; the network fell below the threshold */
    uint32_t peak;      /* trucks in the network at most since the moment */
    double t_done;      /* when it fell below */
};

struct tc_engine {
    const struct tc_stop *stop; /* NULL: never stops early */
    const struct tc_scenario *sc;
    const struct tc_metrics *m;
    uint32_t rep;
    double now, warmup, horizon, day_len, min_per_t;

    struct tc_evq evq;
    size_t n_dead; /* cancelled entries still in evq, exactly (tc_evq_compact checks) */
    struct truck *tk;
    uint32_t n_tk, cap_tk, free_tk, n_alive;
    size_t peak_alive;
    uint64_t n_trucks, n_events;

    struct station *st;
    /* the network's totals beside the stations' own levels (net_* helpers) */
    uint32_t n_in_st;              /* trucks in stations: the sum of their n_present */
    struct level road_all, booked; /* on every road; booked, not yet arrived */
    uint32_t max_all, max_st, max_road, max_booked;
    struct list *queues; /* n_stations x n_levels */
    uint32_t n_levels;
    uint32_t *level_of_class;
    struct tc_calendar *cals; /* one per station, then one per OPEN event */
    struct pool *pools;       /* sc->pools, then one per inline booking */
    uint32_t n_pools;
    struct tc_calendar *pool_cals; /* one per pool (used with booking hours) */
    uint32_t *cal_of_sched;
    struct klass *cl;
    struct tc_tally *st_cl_wait, *st_cl_sojourn; /* n_stations x n_classes */
    struct source *src;
    gsl_rng **rngs;
    uint32_t n_rngs;
    bool has_daily;
    uint32_t *climits; /* n_stations x 2 n_classes (climit, cstarts), or NULL */

    struct tc_truck_budget own_budget; /* tc_engine_set_max_trucks */
    struct tc_truck_budget *budget;    /* where the slab's slots are reserved from */
    size_t reserved;                   /* slots reserved so far (>= n_tk unless TOO_MANY) */
    uint32_t stuck_station;
    enum tc_engine_status status;
    TC_VEC(uint32_t) work; /* stations to refill */
    tc_engine_trace_fn *trace;
    void *trace_ud;
    double *tt;                /* trace: per truck slot, n_stations x TC_TRACE__COUNT times */
    tc_engine_visit_fn *visit; /* visits.csv, or NULL */
    void *visit_ud;
    /* visits: per truck slot, the start of service of this visit and the visits so far */
    double *tv;
    double *series;               /* all samples, or NULL */
    double *class_series;         /* tc_engine_set_class_series, or NULL */
    double *sample_row;           /* one sample, for the sampler */
    tc_engine_sample_fn *sampler; /* or NULL */
    void *sampler_ud;
    uint32_t n_samples, k_sample; /* samples taken so far */
    /* trucks in the network (stations and roads; not booked ones yet to arrive):
       an O(1) count that the clearances watch */
    uint32_t n_net;
    struct clear *clr;     /* per sc->clearance */
    uint32_t n_clr_active; /* started and not done: 0 costs one compare a truck */
};

/* ==== The statistics window: the only place that knows the warm-up ==== */

static inline bool in_window(const struct tc_engine *e)
{
    return e->now >= e->warmup;
}

/* Counts one event of the window (an arrival, a departure, ...). */
static inline void stat_count(const struct tc_engine *e, uint64_t *n)
{
    if (in_window(e))
        (*n)++;
}

/* Adds an observation of the window to a tally (a wait, a sojourn, ...). */
static inline void stat_tally(const struct tc_engine *e, struct tc_tally *t, double x)
{
    if (in_window(e))
        tc_tally_add(t, x);
}

static inline void stat_hist(const struct tc_engine *e, struct tc_hist *h, double x)
{
    if (in_window(e))
        tc_hist_add(h, x);
}

static inline void stat_sum(const struct tc_engine *e, double *sum, double x)
{
    if (in_window(e))
        *sum += x;
}

/* Raises a maximum of the window to x. */
static inline void stat_max(const struct tc_engine *e, uint32_t *max, uint32_t x)
{
    if (x > *max && in_window(e))
        *max = x;
}

/*
** A level changes by d (+1 or -1) now. Its time integral grows by n times
** the time since the last change: a sum of non-negative terms, so a time
** average is never negative and loses nothing at large times (a running
** sum of +-n t cancels badly). level_open() restarts it at the warm-up and
** level_close() adds the last stretch at the horizon.
*/
static inline void level_add(const struct tc_engine *e, struct level *l, int d)
{
    TC_CHECK(d == 1 || d == -1);
    TC_CHECK(d > 0 || l->n > 0); /* a count never goes negative */
    l->area += l->n * (e->now - l->t_last);
    l->t_last = e->now;
    if (d > 0)
        l->n++;
    else
        l->n--;
}

/* The integral of l over [warmup, t], for t at or after its last change. */
static inline double level_area_at(const struct level *l, double t)
{
    return l->area + l->n * (t - l->t_last);
}

static inline void level_open(struct level *l, double t)
{
    l->area = 0;
    l->t_last = t;
}

static inline void level_close(struct level *l, double t)
{
    l->area = level_area_at(l, t);
    l->t_last = t;
}

/*
** The network's totals: a truck is in a station, on a road or booked,
** and moves between them by leaving one before entering the next, so the
** maximum of the total is raised only where one of them grows.
*/
static inline void net_raise_max(struct tc_engine *e)
{
    stat_max(e, &e->max_all, e->n_in_st + e->road_all.n + e->booked.n);
}

/* Truck enters (d = +1) or leaves (-1) station s. */
static inline void net_station(struct tc_engine *e, struct station *s, int d)
{
    if (d > 0) {
        s->n_present++;
        e->n_in_st++;
        stat_max(e, &e->max_st, e->n_in_st);
        net_raise_max(e);
    } else {
        TC_CHECK(s->n_present > 0 && e->n_in_st > 0);
        s->n_present--;
        e->n_in_st--;
    }
}

/* Truck joins (+1) or leaves (-1) the road in front of s. */
static inline void net_road(struct tc_engine *e, struct station *s, int d)
{
    level_add(e, &s->road, d);
    level_add(e, &e->road_all, d);
    if (d > 0) {
        stat_max(e, &s->road_max, s->road.n);
        stat_max(e, &e->max_road, e->road_all.n);
        net_raise_max(e);
    }
}

/* A truck is booked (+1) or arrives for its slot (-1). */
static inline void net_booked(struct tc_engine *e, int d)
{
    level_add(e, &e->booked, d);
    if (d > 0) {
        stat_max(e, &e->max_booked, e->booked.n);
        net_raise_max(e);
    }
}

/* ==== Trucks: the slab (engine_truck.c) ==== */

/* The slab has no free truck: makes one (engine_truck.c). */
void eng_slab_grow(struct tc_engine *e);
/* Gives the slots the slab reserved back to its budget (at tc_engine_free). */
void eng_slab_release(struct tc_engine *e);
/* Sets truck id's --trace times to NaN. */
void eng_trace_reset(struct tc_engine *e, uint32_t id);
/* Whether the free list holds exactly the free trucks (for TC_CHECK). */
bool eng_slab_consistent(const struct tc_engine *e);

/*
** Takes a truck from the slab, on the road now. Inline: one a truck, and
** the free list is all it costs once the slab has grown.
*/
static inline uint32_t truck_new(struct tc_engine *e, uint32_t cls)
{
    if (e->free_tk == TC_NONE)
        eng_slab_grow(e);
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
    t->in_episode = false;
    t->serial = ++e->n_trucks;
    level_add(e, &e->cl[cls].net, +1);
    if (e->trace)
        eng_trace_reset(e, id);
    if (e->visit)
        e->tv[2 * (size_t)id + 1] = 0;
    if (++e->n_alive > e->peak_alive)
        e->peak_alive = e->n_alive;
    return id;
}

/* The network lost a truck: whether a clearance falls below its threshold (engine_observe.c). */
void eng_clear_check(struct tc_engine *e);
/* The network gained a truck: the clearances' peaks (engine_observe.c). */
void eng_clear_peak(struct tc_engine *e);

/* A truck arrives in the network (from outside, or at time 0). */
static inline void net_enter(struct tc_engine *e)
{
    e->n_net++;
    if (e->n_clr_active)
        eng_clear_peak(e);
}

/* Returns truck id to the slab; its pending events, if any, die with it. */
static inline void truck_free(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    level_add(e, &e->cl[t->cls].net, -1);
    if (t->state != TK_BOOKED) { /* a booked truck never entered the network */
        TC_CHECK(e->n_net > 0);
        e->n_net--;
        if (e->n_clr_active)
            eng_clear_check(e);
    }
    t->gen++;
    t->state = TK_FREE;
    t->next = e->free_tk;
    e->free_tk = id;
    e->n_alive--;
}

/* Where --trace keeps the time of `what` of truck id at station sid. */
static inline double *trace_slot(struct tc_engine *e, uint32_t id, uint32_t sid)
{
    return e->tt + ((size_t)id * e->sc->n_stations + sid) * TC_TRACE__COUNT;
}

static inline void trace_time(struct tc_engine *e, uint32_t id, uint32_t sid,
                              enum tc_trace_slot what)
{
    if (e->trace)
        trace_slot(e, id, sid)[what] = e->now;
}

/* Truck id enters station sid: a new visit, whose times replace the last one's. */
static inline void trace_visit(struct tc_engine *e, uint32_t id, uint32_t sid)
{
    if (!e->trace)
        return;
    double *v = trace_slot(e, id, sid);
    for (int k = 0; k < TC_TRACE__COUNT; k++)
        v[k] = (double)NAN;
    v[TC_TRACE_ARRIVE] = e->now;
}

void eng_trace_record(struct tc_engine *e, uint32_t id, enum tc_outcome out);

/* ==== Per-visit reports (tc_engine_set_visits) ==== */

/* Truck id is admitted to a station: one visit more, not started yet. */
static inline void visit_admit(struct tc_engine *e, uint32_t id)
{
    if (!e->visit)
        return;
    double *v = e->tv + 2 * (size_t)id;
    v[0] = (double)NAN;
    v[1] += 1;
}

static inline void visit_start(struct tc_engine *e, uint32_t id)
{
    if (e->visit)
        e->tv[2 * (size_t)id] = e->now;
}

void eng_visit_record(struct tc_engine *e, uint32_t id, enum tc_visit_outcome out);

/* Truck id's visit to its current station ends now (or is cut by the horizon). */
static inline void visit_end(struct tc_engine *e, uint32_t id, enum tc_visit_outcome out)
{
    if (e->visit)
        eng_visit_record(e, id, out);
}

/* Reports truck id's life to --trace, if on. */
static inline void trace_truck(struct tc_engine *e, uint32_t id, enum tc_outcome out)
{
    if (e->trace)
        eng_trace_record(e, id, out);
}

/* ==== Servers counted as open (utilisation) ==== */

/* Servers open by the rules: none while closed, down ones excluded. */
static inline double servers_by_rule(const struct station *s)
{
    if (s->c == TC_UNLIMITED)
        return 0;
    return (s->open && !s->closed) ? (double)(s->c - s->n_down_c) : 0;
}

/* Servers counted as open for utilisation. */
static inline double servers_open(const struct station *s)
{
    if (s->c == TC_UNLIMITED)
        return 0;
    /* a service running past closing keeps its server open */
    double open = servers_by_rule(s);
    return open > s->serving.n ? open : s->serving.n;
}

/* Servers held now: in service, blocked after service, or suspended by a failure. */
static inline uint32_t servers_held(const struct station *s)
{
    return s->serving.n + s->blocked.n + s->suspended.n;
}

/*
** The servers counted for occupancy: c, or more while a scheduled cut
** leaves more trucks holding one (fewer servers take effect as services
** end). Called wherever c or the held servers change; a compare only in
** the common case.
*/
static inline void eng_cap_changed(const struct tc_engine *e, struct station *s)
{
    uint32_t held = servers_held(s);
    uint32_t v = s->c == TC_UNLIMITED ? 0 : held > s->c ? held : s->c;
    if (v != s->cap_val) {
        s->a_cap += s->cap_val * (e->now - s->t_cap);
        s->t_cap = e->now;
        s->cap_val = v;
    }
}

/* Whether station s has no room (a non-empty admission list means full). */
static inline bool is_full(const struct station *s)
{
    return s->K != TC_UNLIMITED && s->n_present >= s->K;
}

/* ==== Station logic (engine_station.c) ==== */

/* Truck id of source i arrives from outside now, at its entry station or its choice. */
void eng_arrive(struct tc_engine *e, uint32_t i, uint32_t id);
/* Truck id's service ends: it leaves, moves on or blocks. */
void eng_on_depart(struct tc_engine *e, uint32_t id);
/* Truck id's patience ran out: it leaves from wherever it waits. */
void eng_on_patience(struct tc_engine *e, uint32_t id);
/* Station sid may start services or take trucks in again. */
void eng_refill(struct tc_engine *e, uint32_t sid);
/* The trucks of initial:, now (time 0). */
void eng_place_initial(struct tc_engine *e);

/* ==== Choosing a station (engine_choose.c) ==== */

/*
** The station of choice r for a truck of class cls now (scenarios/README.md,
** Choosing a station); *divert: the best one is past divert_above or
** divert_above_wait, so the truck leaves the network instead.
*/
uint32_t eng_choose(const struct tc_engine *e, const struct tc_route *r, uint32_t cls,
                    bool *divert);

/* ==== Sources (engine_source.c) ==== */

/* Source i produces its trucks now and schedules its next arrival. */
void eng_on_arrival(struct tc_engine *e, uint32_t i);
/* Schedules source i's next arrival after its clock, if before the horizon. */
void eng_schedule_arrival(struct tc_engine *e, uint32_t i);

/* Truck id, booked, reaches its entry station now (EV_BOOKED). */
void eng_on_booked(struct tc_engine *e, uint32_t id);

/* ==== Booking pools (engine_pool.c) ==== */

/* Makes e->pools from the scenario's pools and inline bookings (e->src exists). */
void eng_pools_init(struct tc_engine *e);
void eng_pools_free(struct tc_engine *e);
/* The number of the slot containing t, its start (and *len), its quota. */
int64_t eng_pool_slot_of(const struct pool *p, double t);
double eng_pool_slot_start(const struct pool *p, int64_t k, double *len);
uint32_t eng_pool_quota(const struct pool *p, double t0);
/*
** Books a truck now for the wish t_wish: the slot containing it, or the
** next offered slot with room. Returns its number; *t0 and *len its start
** and length.
*/
int64_t eng_pool_take(struct tc_engine *e, struct pool *p, double t_wish, double *t0, double *len);

/* ==== Scheduled changes, calendars, days, failures (engine_sched.c) ==== */

void eng_on_sched(struct tc_engine *e, uint32_t k);
void eng_on_day(struct tc_engine *e, uint32_t day);
/* Schedules station sid's next opening boundary. */
void eng_schedule_cal(struct tc_engine *e, uint32_t sid);
void eng_on_cal(struct tc_engine *e, uint32_t sid, uint32_t i);
void eng_on_fail(struct tc_engine *e, uint32_t sid, uint32_t i);
void eng_on_repair(struct tc_engine *e, uint32_t sid, uint32_t i);
/* Counts free and down slots below c again (after c changed). */
void eng_recount_slots(struct station *s);

/* ==== Observation (engine_observe.c) ==== */

/* The servers counted as open changed (or may have): integrate the step. */
void eng_servers_changed(struct tc_engine *e, struct station *s);
/* Station s's servers change from `was` to s->c now (finite <-> unlimited matters). */
void eng_servers_switched(struct tc_engine *e, struct station *s, uint32_t was);
/* A truck leaves the system now (served, abandoned) or is still in it at the horizon. */
void eng_account_spoilage(struct tc_engine *e, const struct truck *t, bool abandoned);
/* The statistics window opens: the levels' areas start. */
void eng_on_warmup(struct tc_engine *e);
/* The moment of clearance i: its backlog starts being watched. */
void eng_on_clear(struct tc_engine *e, uint32_t i);
/* Sample k of the time series, now. */
void eng_sample(struct tc_engine *e, uint32_t k);
/* At the horizon: closes the areas and writes the m->n metrics. */
void eng_collect(struct tc_engine *e, double *out);
/* Whether station s's counts add up (for TC_CHECK). */
bool eng_station_consistent(const struct station *s);

#endif
