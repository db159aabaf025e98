/*
** engine_station: what happens at a station. A truck arrives from outside
** (eng_arrive) onto the road or into the station; admit() puts it into
** service or the queue; at the end of service (eng_on_depart) it leaves the
** system, moves on, or blocks (block_after_service) until the next station
** has room; eng_refill starts services and admits from the admission list
** whenever room or a server frees up; eng_on_patience takes a truck out of
** whatever it waits in. Station levels change only through level_add (the
** count of trucks present is their sum, kept as a plain count) and
** statistics only through the stat_* helpers (engine_int.h).
*/
#include <math.h>

#include <gsl/gsl_randist.h>

#include "engine/engine_int.h"

/* Intrusive FIFO lists over the slab: a queue or an admission list. */

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

/* Puts truck id into list l right after truck `after` (TC_NONE: at the head). */
static void list_insert_after(struct tc_engine *e, struct list *l, uint32_t after, uint32_t id)
{
    if (after == l->tail) {
        list_push(e, l, id);
        return;
    }
    struct truck *t = &e->tk[id];
    t->prev = after;
    t->next = after == TC_NONE ? l->head : e->tk[after].next;
    e->tk[t->next].prev = id;
    if (after == TC_NONE)
        l->head = id;
    else
        e->tk[after].next = id;
}

/* Swaps trucks a and b, a in front of b, in list l: each takes the other's place. */
static void list_swap(struct tc_engine *e, struct list *l, uint32_t a, uint32_t b)
{
    struct truck *x = &e->tk[a], *y = &e->tk[b];
    uint32_t ap = x->prev, an = x->next, bp = y->prev, bn = y->next;
    if (an == b) { /* neighbours: ap a b bn -> ap b a bn */
        y->prev = ap;
        y->next = a;
        x->prev = b;
        x->next = bn;
    } else {
        y->prev = ap;
        y->next = an;
        x->prev = bp;
        x->next = bn;
        e->tk[an].prev = b;
        e->tk[bp].next = a;
    }
    if (ap == TC_NONE)
        l->head = b;
    else
        e->tk[ap].next = b;
    if (bn == TC_NONE)
        l->tail = a;
    else
        e->tk[bn].prev = a;
}

/*
** A truck blocked at station `up` with release: priority joins a FIFO
** station's admission list. The places in the list stay in the order the
** trucks started waiting, but the places held by trucks of `up` go to
** them by class priority, then by that order: the truck takes a place at
** the tail, then trades places with each truck of `up` of a worse level in
** front of it, from the back. Trucks of `up` are kept in that order, so the
** walk stops at the first of `up` of its level or better: O(1) when all
** are alike. Trucks from elsewhere keep their places.
*/
static void admit_push_released(struct tc_engine *e, struct list *l, uint32_t id)
{
    uint32_t up = e->tk[id].st, lv = e->level_of_class[e->tk[id].cls];
    list_push(e, l, id);
    for (uint32_t a = e->tk[id].prev; a != TC_NONE;) {
        const struct truck *x = &e->tk[a];
        uint32_t p = x->prev;
        if (x->state == TK_BLOCKED && x->st == up) {
            if (e->level_of_class[x->cls] <= lv)
                break;
            list_swap(e, l, a, id);
        }
        a = p;
    }
}

/*
** Truck id joins station s's admission list: at the tail (FIFO), or under
** discipline priority after every truck of its priority level or a better
** one, so the list is by class priority, then by when each started waiting.
** Walks from the tail past the lower levels only: O(1) in FIFO order.
** A truck blocked at a station with release: priority is placed by
** admit_push_released when s itself is FIFO.
*/
static void admit_push(struct tc_engine *e, struct station *s, uint32_t id)
{
    struct list *l = &s->admit;
    uint32_t lv = e->level_of_class[e->tk[id].cls], after = l->tail;
    s->n_admit++;
    if (!s->prio) {
        const struct truck *t = &e->tk[id];
        if (t->state == TK_BLOCKED && e->st[t->st].release_prio)
            admit_push_released(e, l, id);
        else
            list_push(e, l, id);
        return;
    }
    while (after != TC_NONE && e->level_of_class[e->tk[after].cls] > lv)
        after = e->tk[after].prev;
    list_insert_after(e, l, after, id);
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

static inline bool has_free_server(const struct station *s)
{
    if (s->c == TC_UNLIMITED)
        return true;
    if (s->slot_truck)
        return s->n_free > 0;
    return s->serving.n + s->blocked.n < s->c;
}

/*
** Whether a service may start now: open, not closed, under the daily limit,
** a server free. A time within TC_TIME_EPS_DAYS before a closing boundary is the
** boundary itself (the calendar's tolerance): in h or d, a service end
** accumulated from 10 min services lands a rounding error before 12:00,
** and must not start another service there.
*/
static inline bool can_start(const struct station *s, double now)
{
    return s->open && !s->closed && now < s->start_before &&
           (s->limit == TC_UNLIMITED || s->starts_today < s->limit) && has_free_server(s);
}

/* Whether class cls is under its own daily limit at s (can_start checks the total). */
static inline bool class_may_start(const struct station *s, uint32_t cls)
{
    return !s->climit || s->cstarts[cls] < s->climit[cls];
}

static void begin_wait(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    if (t->in_episode)
        return;
    t->in_episode = true;
    t->t_wait0 = e->now;
    if (isfinite(t->patience_left))
        tc_evq_push(&e->evq, e->now + t->patience_left, EV_PATIENCE, id, 0, t->gen);
}

static void end_wait(struct tc_engine *e, struct truck *t)
{
    if (!t->in_episode)
        return;
    t->in_episode = false;
    if (isfinite(t->patience_left)) {
        t->patience_left -= e->now - t->t_wait0;
        t->gen++; /* cancels the pending patience event (begin_wait pushed it) */
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
    level_add(e, &s->serving, +1);
    if (s->serving.n > s->so_val && s->c != TC_UNLIMITED)
        eng_servers_changed(e, s); /* a service running past closing keeps its server open */
    s->starts_today++;
    eng_cap_changed(e, s);
    if (s->cstarts)
        s->cstarts[t->cls]++;
    take_slot(s, t, id);
    trace_time(e, id, sid, TC_TRACE_START);
    visit_start(e, id);
    double w = e->now - t->t_st;
    stat_tally(e, &s->wait, w);
    stat_tally(e, &e->st_cl_wait[sid * e->sc->n_classes + t->cls], w);
    t->t_end = e->now + tc_dist_sample(&s->service[t->cls], s->r_service);
    tc_evq_push(&e->evq, t->t_end, EV_DEPART, id, 0, t->gen);
}

/* Truck id is in station sid from now (room has been checked), uncounted. */
static void admit_quiet(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    net_station(e, s, +1);
    t->st = sid;
    t->t_st = e->now;
    t->target = TC_NONE;
    trace_visit(e, id, sid);
    visit_admit(e, id);
    if (can_start(s, e->now) && class_may_start(s, t->cls)) {
        start_service(e, sid, id);
    } else {
        t->state = TK_WAITING;
        level_add(e, &s->waiting, +1);
        list_push(e, &s->q[s->prio ? e->level_of_class[t->cls] : 0], id);
        begin_wait(e, id);
    }
}

/* Truck id enters station sid now (room has been checked): one of its arrivals. */
static void admit(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    stat_count(e, &e->st[sid].n_arr);
    admit_quiet(e, sid, id);
}

/* Truck id leaves station sid after service (it was serving or blocked there). */
static void leave(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    net_station(e, s, -1);
    eng_cap_changed(e, s);
    release_slot(s, t);
    trace_time(e, id, sid, TC_TRACE_LEAVE);
    visit_end(e, id, TC_VISIT_SERVED);
    stat_count(e, &s->n_dep);
    s->n_left++;
    double soj = e->now - t->t_st;
    stat_tally(e, &s->sojourn, soj); /* also the stays of the trucks that moved on */
    stat_tally(e, &e->st_cl_sojourn[sid * e->sc->n_classes + t->cls], soj);
    t->st = TC_NONE;
}

static void exit_system(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    struct klass *k = &e->cl[t->cls];
    double tis = e->now - t->t_sys;
    stat_count(e, &k->n_completed);
    stat_tally(e, &k->tis, tis);
    stat_hist(e, &k->hist, tis);
    if (e->sc->classes[t->cls].shelf_life < (double)INFINITY) /* else nothing can spoil */
        eng_account_spoilage(e, t, false);
    trace_truck(e, id, TC_OUT_SERVED);
    truck_free(e, id);
}

/*
** The first waiting truck in queue order whose class is under its daily
** limit (trucks of a class at its limit keep their places), or TC_NONE.
*/
static uint32_t pop_waiting(struct tc_engine *e, struct station *s)
{
    uint32_t n_q = s->prio ? e->n_levels : 1;
    for (uint32_t l = 0; l < n_q; l++)
        for (uint32_t id = s->q[l].head; id != TC_NONE; id = e->tk[id].next)
            if (class_may_start(s, e->tk[id].cls)) {
                list_remove(e, &s->q[l], id);
                return id;
            }
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
void eng_refill(struct tc_engine *e, uint32_t sid0)
{
    /* sid0 first without the stack: most refills end there */
    for (uint32_t sid = sid0;; sid = e->work.v[--e->work.n]) {
        struct station *s = &e->st[sid];
        uint32_t w;
        while (s->waiting.n && can_start(s, e->now) && (w = pop_waiting(e, s)) != TC_NONE) {
            level_add(e, &s->waiting, -1);
            start_service(e, sid, w);
        }
        while (!is_full(s) && s->admit.head != TC_NONE) {
            uint32_t id = list_pop(e, &s->admit);
            struct truck *t = &e->tk[id];
            s->n_admit--;
            if (t->state == TK_ROAD) {
                net_road(e, s, -1);
                stat_tally(e, &e->cl[t->cls].road_wait, e->now - t->t_sys);
                admit(e, sid, id);
            } else {
                uint32_t up = t->st;
                struct station *u = &e->st[up];
                level_add(e, &u->blocked, -1);
                leave(e, up, id);
                admit(e, sid, id);
                push_work(e, up);
            }
        }
        if (!e->work.n)
            break;
    }
}

/* Where a truck of class cls goes from s; *divert: a choice sends it out of the network. */
static uint32_t route(const struct tc_engine *e, struct station *s, const struct tc_route *r,
                      uint32_t cls, bool *divert)
{
    switch (r->kind) {
    case TC_ROUTE_FIXED:
        return r->to;
    case TC_ROUTE_PROB:
        return r->targets[gsl_ran_discrete(s->r_route, r->table)];
    case TC_ROUTE_CLASS:
        return route(e, s, &r->by_class[cls], cls, divert);
    case TC_ROUTE_CHOOSE:
        return eng_choose(e, r, cls, divert);
    }
    return TC_EXIT;
}

/* Truck id leaves the network by diversion (it is at no station any more). */
static void divert_truck(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    stat_count(e, &e->cl[t->cls].n_diverted);
    if (e->sc->classes[t->cls].shelf_life < (double)INFINITY)
        eng_account_spoilage(e, t, false);
    trace_truck(e, id, TC_OUT_DIVERTED);
    truck_free(e, id);
}

/*
** Blocking after service: station `to` is full, so truck id keeps its
** server (or yard slot) at sid and joins to's admission list, where
** eng_refill finds it when room frees up.
*/
static void block_after_service(struct tc_engine *e, uint32_t sid, uint32_t id, uint32_t to)
{
    struct truck *t = &e->tk[id];
    t->state = TK_BLOCKED;
    t->target = to;
    level_add(e, &e->st[sid].blocked, +1);
    admit_push(e, &e->st[to], id);
    begin_wait(e, id);
}

void eng_on_depart(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    uint32_t sid = t->st;
    struct station *s = &e->st[sid];
    level_add(e, &s->serving, -1);
    if (s->serving.n + 1 == s->so_val && s->so_val > s->so_rule)
        eng_servers_changed(e, s); /* a service past closing ended: one server fewer open */
    bool divert = false;
    uint32_t to = route(e, s, s->route, t->cls, &divert);
    if (to == TC_EXIT || divert) {
        leave(e, sid, id);
        if (divert)
            divert_truck(e, id);
        else
            exit_system(e, id);
        eng_refill(e, sid);
        return;
    }
    if (!is_full(&e->st[to])) {
        leave(e, sid, id);
        admit(e, to, id);
        eng_refill(e, sid);
        return;
    }
    block_after_service(e, sid, id, to);
}

/* Truck id waits on the road outside entry station sid from now. */
static void to_road(struct tc_engine *e, uint32_t sid, uint32_t id)
{
    struct station *s = &e->st[sid];
    struct truck *t = &e->tk[id];
    t->state = TK_ROAD;
    t->target = sid;
    net_road(e, s, +1);
    admit_push(e, s, id);
    begin_wait(e, id);
}

/* Truck id arrives from outside at entry station sid now. */
void eng_arrive(struct tc_engine *e, uint32_t i, uint32_t id)
{
    const struct tc_source *so = &e->sc->sources[i];
    struct truck *t = &e->tk[id];
    struct klass *k = &e->cl[t->cls];
    t->t_sys = e->now;
    t->state = TK_ROAD; /* a booked truck is one no longer: rejected now, it leaves the network */
    net_enter(e);
    const struct tc_class *c = &e->sc->classes[t->cls];
    /* drawn before the choice, diverted or not: the patience stream stays aligned */
    if (c->has_patience)
        t->patience_left = tc_dist_sample(&c->patience, k->r_patience);
    stat_count(e, &k->n_arrived);
    stat_tally(e, &k->booking_delay, t->booking_delay);
    bool divert = false;
    uint32_t sid = so->choose ? eng_choose(e, so->choose, t->cls, &divert) : so->to;
    if (divert) {
        divert_truck(e, id);
        return;
    }
    struct station *s = &e->st[sid];
    stat_count(e, &s->n_out);
    if (!is_full(s)) {
        stat_tally(e, &k->road_wait, 0);
        admit(e, sid, id);
        return;
    }
    if (s->reject) {
        stat_count(e, &s->n_rej);
        stat_count(e, &k->n_rejected);
        t->target = sid; /* where trucks.csv says it was turned away */
        trace_truck(e, id, TC_OUT_REJECTED);
        truck_free(e, id);
        return;
    }
    to_road(e, sid, id);
}

/* Patience ran out: the truck leaves from wherever it waits. */
void eng_on_patience(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    t->in_episode = false;
    if (t->state == TK_ROAD) {
        struct station *s = &e->st[t->target];
        list_remove(e, &s->admit, id);
        s->n_admit--;
        net_road(e, s, -1);
    } else if (t->state == TK_WAITING) {
        uint32_t sid = t->st;
        struct station *s = &e->st[sid];
        list_remove(e, &s->q[s->prio ? e->level_of_class[t->cls] : 0], id);
        level_add(e, &s->waiting, -1);
        net_station(e, s, -1);
        stat_count(e, &s->n_aband);
        stat_sum(e, &s->stay_aband, e->now - t->t_st);
        eng_account_spoilage(e, t, true);
        trace_time(e, id, sid, TC_TRACE_LEAVE);
        visit_end(e, id, TC_VISIT_ABANDONED);
        trace_truck(e, id, TC_OUT_ABANDONED);
        truck_free(e, id);
        eng_refill(e, sid);
        return;
    } else if (t->state == TK_BLOCKED) {
        uint32_t sid = t->st;
        struct station *s = &e->st[sid];
        list_remove(e, &e->st[t->target].admit, id);
        e->st[t->target].n_admit--;
        level_add(e, &s->blocked, -1);
        net_station(e, s, -1);
        eng_cap_changed(e, s);
        release_slot(s, t);
        stat_count(e, &s->n_aband);
        stat_sum(e, &s->stay_aband, e->now - t->t_st);
        eng_account_spoilage(e, t, true);
        trace_time(e, id, sid, TC_TRACE_LEAVE);
        visit_end(e, id, TC_VISIT_ABANDONED);
        trace_truck(e, id, TC_OUT_ABANDONED);
        truck_free(e, id);
        eng_refill(e, sid);
        return;
    }
    eng_account_spoilage(e, t, true);
    trace_truck(e, id, TC_OUT_ABANDONED);
    truck_free(e, id);
}

/*
** The trucks of initial: at time 0, in list order: each is admitted to its
** station as an arrival would be (into service while a server is free,
** else into the queue) without counting as one, or put on the road. A
** truck of age a arrived at -a: a is spent of its patience (none left: it
** abandons now unless served now) and counts in its time in system and
** shelf life. Then every station refills, so road trucks enter where room
** is left, behind the station's own.
*/
void eng_place_initial(struct tc_engine *e)
{
    const struct tc_scenario *sc = e->sc;
    for (uint32_t k = 0; k < sc->n_initial; k++) {
        const struct tc_initial *in = &sc->initial[k];
        const struct tc_class *c = &sc->classes[in->cls];
        for (uint32_t j = 0; j < in->trucks; j++) {
            uint32_t id = truck_new(e, in->cls);
            struct truck *t = &e->tk[id];
            t->t_sys = -in->age;
            net_enter(e);
            if (c->has_patience) {
                double p = tc_dist_sample(&c->patience, e->cl[in->cls].r_initial) - in->age;
                t->patience_left = p > 0 ? p : 0;
            }
            if (in->road) {
                to_road(e, in->station, id);
            } else {
                TC_CHECK(!is_full(&e->st[in->station])); /* the loader checked the capacity */
                admit_quiet(e, in->station, id);
            }
        }
    }
    for (uint32_t s = 0; s < sc->n_stations; s++)
        if (e->st[s].admit.head != TC_NONE)
            eng_refill(e, s);
}
