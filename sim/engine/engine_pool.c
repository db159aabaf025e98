/*
** engine_pool: the slot calendars of booking. A pool is a named booking
** pool of the scenario (bookings:), or the inline booking of one stream;
** the streams booking into a pool share its slots and their quota.
**
** A pool's rules are a function of the slot's start time, read from the
** schedule when the replication is made, not changed by the event loop:
** requests are made ahead of the wishes, so a slot after a change may be
** booked before the change happens. per_slot of a pool event applies to
** the slots starting at or after its time; a new slot length starts at
** the first slot boundary at or after it (the slot under way keeps its
** length). Slots are numbered 0, 1, ... across these changes.
**
** The trucks booked into each slot are counted in a ring over the slots
** from the one containing now: no slot before now can be booked (a wish is
** never before its request), and the ring grows only with the slots
** booked ahead, so with the booked trucks, never with time.
*/
#include <math.h>
#include <string.h>

#include "engine/engine_int.h"

/* The segment whose first slot is at or before slot k (by number) or time t (by time). */
static const struct pool_seg *seg_of_slot(const struct pool *p, int64_t k)
{
    uint32_t lo = 0, hi = p->n_seg; /* the last segment with k0 <= k */
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (p->seg[mid].k0 <= k)
            lo = mid;
        else
            hi = mid;
    }
    return &p->seg[lo];
}

static const struct pool_seg *seg_of_time(const struct pool *p, double t)
{
    uint32_t lo = 0, hi = p->n_seg;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (p->seg[mid].t0 <= t)
            lo = mid;
        else
            hi = mid;
    }
    return &p->seg[lo];
}

int64_t eng_pool_slot_of(const struct pool *p, double t)
{
    const struct pool_seg *s = seg_of_time(p, t);
    return s->k0 + (int64_t)floor((t - s->t0) / s->len);
}

double eng_pool_slot_start(const struct pool *p, int64_t k, double *len)
{
    const struct pool_seg *s = seg_of_slot(p, k);
    *len = s->len;
    return s->t0 + (double)(k - s->k0) * s->len;
}

uint32_t eng_pool_quota(const struct pool *p, double t0)
{
    uint32_t lo = 0, hi = p->n_quota; /* the changes at or before t0 are [0, lo) */
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (p->quota_t[mid] <= t0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? p->per_slot0 : p->quota_v[lo - 1]; /* of a tie, the last listed */
}

/*
** The segments and quota changes of pool `owner` (sc->pools index) from the
** schedule, in time order (the schedule is sorted; ties: the last listed
** wins). Allocates at creation only.
*/
static void pool_rules(struct tc_engine *e, struct pool *p, uint32_t owner)
{
    const struct tc_scenario *sc = e->sc;
    uint32_t n_slot = 0, n_q = 0;
    for (uint32_t k = 0; k < sc->n_sched; k++)
        if (sc->sched[k].pool == owner && owner != TC_NONE) {
            n_slot += sc->sched[k].kind == TC_SCHED_POOL_SLOT;
            n_q += sc->sched[k].kind == TC_SCHED_POOL_QUOTA;
        }
    p->seg = tc_xcalloc(n_slot + 1, sizeof(*p->seg));
    p->seg[0] = (struct pool_seg){0, p->b->slot, 0};
    p->n_seg = 1;
    p->max_len = p->b->slot;
    p->quota_t = n_q ? tc_xcalloc(n_q, sizeof(double)) : NULL;
    p->quota_v = n_q ? tc_xcalloc(n_q, sizeof(uint32_t)) : NULL;
    for (uint32_t k = 0; owner != TC_NONE && k < sc->n_sched; k++) {
        const struct tc_sched *x = &sc->sched[k];
        if (x->pool != owner)
            continue;
        if (x->kind == TC_SCHED_POOL_QUOTA) {
            p->quota_t[p->n_quota] = x->t;
            p->quota_v[p->n_quota++] = x->value;
            continue;
        }
        struct pool_seg *last = &p->seg[p->n_seg - 1];
        double steps = x->t > last->t0 ? ceil((x->t - last->t0) / last->len) : 0;
        if (steps == 0) { /* its first slot has not begun: the new length replaces it */
            last->len = x->slot;
        } else {
            p->seg[p->n_seg] =
                (struct pool_seg){last->t0 + steps * last->len, x->slot, last->k0 + (int64_t)steps};
            p->n_seg++;
        }
        if (x->slot > p->max_len)
            p->max_len = x->slot;
    }
}

void eng_pools_init(struct tc_engine *e)
{
    const struct tc_scenario *sc = e->sc;
    uint32_t n = sc->n_pools;
    for (uint32_t i = 0; i < sc->n_sources; i++)
        n += sc->sources[i].booking.on && sc->sources[i].pool == TC_NONE;
    e->n_pools = n;
    e->pools = tc_xcalloc(n ? n : 1, sizeof(*e->pools));
    e->pool_cals = tc_xcalloc(n ? n : 1, sizeof(*e->pool_cals));
    uint32_t inl = sc->n_pools;
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const struct tc_source *so = &sc->sources[i];
        if (!so->booking.on)
            e->src[i].pool = TC_NONE;
        else if (so->pool != TC_NONE)
            e->src[i].pool = so->pool;
        else {
            e->src[i].pool = inl;
            e->pools[inl++].b = &so->booking;
        }
    }
    for (uint32_t j = 0; j < n; j++) {
        struct pool *p = &e->pools[j];
        if (j < sc->n_pools)
            p->b = &sc->pools[j].b;
        p->per_slot0 = p->b->per_slot;
        pool_rules(e, p, j < sc->n_pools ? j : TC_NONE);
        if (p->b->n_open > 0) {
            tc_calendar_init(&e->pool_cals[j], p->b->open, p->b->n_open, e->day_len);
            if (!e->pool_cals[j].always_open)
                p->cal = &e->pool_cals[j];
        }
        p->cap = 64; /* a power of 2 */
        p->used = tc_xcalloc(p->cap, sizeof(uint32_t));
        /* requests are made ahead of the wish, so early arrivals inside the
           slot and early punctuality are possible (6 sd covers it) */
        p->lead = p->max_len;
        const struct tc_dist *d = &p->b->punctuality;
        if (p->b->has_punctuality)
            p->lead += d->kind == TC_DIST_NORMAL ? fabs(d->p[0]) + 6 * d->p[1]
                                                 : tc_dist_mean(d) + 6 * sqrt(tc_dist_var(d));
    }
}

void eng_pools_free(struct tc_engine *e)
{
    for (uint32_t j = 0; e->pools && j < e->n_pools; j++) {
        free(e->pools[j].seg);
        free(e->pools[j].quota_t);
        free(e->pools[j].quota_v);
        free(e->pools[j].used);
    }
    free(e->pools);
    free(e->pool_cals);
}

/* Forgets the slots before k0 (they are past). */
static void ring_advance(struct pool *p, int64_t k0)
{
    if (k0 <= p->base)
        return;
    int64_t end = p->base + (int64_t)p->cap;
    for (int64_t k = p->base; k < k0 && k < end; k++)
        p->used[(uint64_t)k & (p->cap - 1)] = 0;
    p->base = k0;
    if (p->free_from < k0)
        p->free_from = k0;
}

static uint32_t ring_get(const struct pool *p, int64_t k)
{
    return k - p->base < (int64_t)p->cap ? p->used[(uint64_t)k & (p->cap - 1)] : 0;
}

/* Room for slot k in the ring: doubles it (only ever to the peak of slots booked ahead). */
static void ring_reach(struct pool *p, int64_t k)
{
    while (k - p->base >= (int64_t)p->cap) {
        uint32_t cap2 = 2 * p->cap;
        uint32_t *u = tc_xcalloc(cap2, sizeof(uint32_t));
        for (int64_t j = p->base; j < p->base + (int64_t)p->cap; j++)
            u[(uint64_t)j & (cap2 - 1)] = p->used[(uint64_t)j & (p->cap - 1)];
        free(p->used);
        p->used = u;
        p->cap = cap2;
    }
}

/*
** Whether slot [t0, t0 + len) is offered: it overlaps the booking hours
** (open at its start, or opening before its end). Every window of positive
** length overlaps a slot each day, so the search for the next one ends.
*/
static bool slot_offered(const struct tc_engine *e, const struct pool *p, double t0, double len)
{
    if (!p->cal || tc_calendar_is_open(p->cal, t0, e->day_len))
        return true;
    double t;
    uint32_t i;
    tc_calendar_next(p->cal, t0, e->day_len, &t, &i);
    return t < t0 + len;
}

int64_t eng_pool_take(struct tc_engine *e, struct pool *p, double t_wish, double *t0, double *len)
{
    ring_advance(p, eng_pool_slot_of(p, e->now));
    int64_t k = eng_pool_slot_of(p, t_wish);
    if (k < p->free_from)
        k = p->free_from; /* the slots in [base, free_from) have no room */
    for (;; k++) {
        *t0 = eng_pool_slot_start(p, k, len);
        if (slot_offered(e, p, *t0, *len) && ring_get(p, k) < eng_pool_quota(p, *t0))
            break;
        if (k == p->free_from)
            p->free_from++;
    }
    ring_reach(p, k);
    uint32_t *u = &p->used[(uint64_t)k & (p->cap - 1)];
    if (++*u >= eng_pool_quota(p, *t0) && k == p->free_from)
        p->free_from++;
    return k;
}
