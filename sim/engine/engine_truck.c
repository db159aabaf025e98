/*
** engine_truck: the truck slab. Trucks live in one array indexed by id and
** are recycled through a free list, so a replication allocates only when
** more trucks are present at once than ever before; --trace keeps
** TC_TRACE__COUNT times per station beside each slot.
*/
#include <math.h>
#include <stdlib.h>

#include "engine/engine_int.h"

/*
** Reserves the next chunk of slots from the budget, or what is left of it;
** false when nothing is. A CAS loop, so concurrent engines never overdraw.
*/
static bool reserve_slots(struct tc_engine *e)
{
    size_t left = atomic_load_explicit(&e->budget->left, memory_order_relaxed);
    size_t take;
    do {
        if (left == 0)
            return false;
        take = left < TC_ENGINE_TRUCK_CHUNK ? left : TC_ENGINE_TRUCK_CHUNK;
    } while (!atomic_compare_exchange_weak_explicit(&e->budget->left, &left, left - take,
                                                    memory_order_relaxed, memory_order_relaxed));
    e->reserved += take;
    return true;
}

void eng_slab_release(struct tc_engine *e)
{
    atomic_fetch_add_explicit(&e->budget->left, e->reserved, memory_order_relaxed);
    e->reserved = 0;
}

void eng_slab_grow(struct tc_engine *e)
{
    if (e->n_tk == e->cap_tk) {
        e->cap_tk = e->cap_tk ? 2 * e->cap_tk : 256;
        e->tk = tc_xrealloc(e->tk, (size_t)e->cap_tk * sizeof(*e->tk));
        if (e->trace)
            e->tt = tc_xrealloc(e->tt, (size_t)e->cap_tk * e->sc->n_stations * TC_TRACE__COUNT *
                                           sizeof(*e->tt));
        if (e->visit)
            e->tv = tc_xrealloc(e->tv, (size_t)e->cap_tk * 2 * sizeof(*e->tv));
    }
    e->tk[e->n_tk] = (struct truck){.gen = 0, .next = TC_NONE};
    /* only here, when the slab grows: the hot path never touches the budget */
    if (e->n_tk >= e->reserved && !reserve_slots(e))
        e->status = TC_ENGINE_TOO_MANY; /* the slab only grows past the limit once */
    e->free_tk = e->n_tk++;
}

void eng_trace_reset(struct tc_engine *e, uint32_t id)
{
    for (uint32_t sid = 0; sid < e->sc->n_stations; sid++)
        for (int k = 0; k < TC_TRACE__COUNT; k++)
            trace_slot(e, id, sid)[k] = (double)NAN;
}

/*
** Walks the free list: every truck on it is free, it ends, and free plus
** alive trucks are all the slab. O(slab), so the engine checks it once, at
** the horizon, rather than at every truck.
*/
bool eng_slab_consistent(const struct tc_engine *e)
{
    uint32_t n_free = 0;
    for (uint32_t id = e->free_tk; id != TC_NONE; id = e->tk[id].next) {
        if (id >= e->n_tk || e->tk[id].state != TK_FREE || ++n_free > e->n_tk)
            return false;
    }
    return e->n_alive <= e->n_tk && n_free == e->n_tk - e->n_alive;
}

void eng_trace_record(struct tc_engine *e, uint32_t id, enum tc_outcome out)
{
    const struct truck *t = &e->tk[id];
    struct tc_truck_record r = {
        .id = t->serial,
        .rep = e->rep,
        .cls = t->cls,
        .t_arrive = t->t_sys,
        .t_exit = out == TC_OUT_IN_SYSTEM ? (double)NAN : e->now,
        .outcome = out,
        .where = TC_NONE,
        .st_times = trace_slot(e, id, 0),
    };
    if (out == TC_OUT_REJECTED) {
        r.where = t->target;
    } else if (out == TC_OUT_ABANDONED) {
        r.where_road = t->state == TK_ROAD;
        r.where = r.where_road ? t->target : t->st;
    }
    e->trace(e->trace_ud, &r);
}

void eng_visit_record(struct tc_engine *e, uint32_t id, enum tc_visit_outcome out)
{
    const struct truck *t = &e->tk[id];
    const double *v = e->tv + 2 * (size_t)id;
    struct tc_visit_record r = {
        .truck = t->serial,
        .rep = e->rep,
        .cls = t->cls,
        .station = t->st,
        .visit = (uint32_t)v[1],
        .arrive = t->t_st,
        .start = v[0],
        .leave = out == TC_VISIT_PRESENT ? (double)NAN : e->now,
        .outcome = out,
    };
    e->visit(e->visit_ud, &r);
}
