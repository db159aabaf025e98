/*
** engine_sched: what changes the rules of a station or a source while the
** run goes on: scheduled changes (events: close, reopen, servers, daily
** limits, opening hours, routes, rate factors), midnight under daily
** limits, opening-hour boundaries, and server failures and repairs.
*/
#include <math.h>
#include <string.h>

#include "engine/engine_int.h"

/* Failures: per server, in clock time, preempt-resume. */

void eng_on_fail(struct tc_engine *e, uint32_t sid, uint32_t i)
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
        level_add(e, &s->serving, -1);
        level_add(e, &s->suspended, +1);
    }
    tc_evq_push(&e->evq, e->now + tc_dist_sample(&f->down, s->r_fail), EV_REPAIR, sid, i, 0);
    eng_servers_changed(e, s);
}

void eng_on_repair(struct tc_engine *e, uint32_t sid, uint32_t i)
{
    const struct tc_failures *f = &e->sc->stations[sid].failures;
    struct station *s = &e->st[sid];
    s->slot_up[i] = true;
    uint32_t id = s->slot_truck[i];
    if (i < s->c) {
        TC_CHECK(s->n_down_c > 0);
        s->n_down_c--;
        if (id == TC_NONE)
            s->n_free++;
    }
    tc_evq_push(&e->evq, e->now + tc_dist_sample(&f->up, s->r_fail), EV_FAIL, sid, i, 0);
    if (id != TC_NONE && e->tk[id].state == TK_SUSPENDED) {
        struct truck *t = &e->tk[id];
        t->state = TK_SERVING;
        level_add(e, &s->suspended, -1);
        level_add(e, &s->serving, +1);
        t->t_end += e->now;
        tc_evq_push(&e->evq, t->t_end, EV_DEPART, id, 0, t->gen);
    } else if (id == TC_NONE) {
        eng_refill(e, sid);
    }
    eng_servers_changed(e, s);
}

void eng_recount_slots(struct station *s)
{
    s->n_free = s->n_down_c = 0;
    for (uint32_t i = 0; i < s->n_slots && i < s->c; i++) {
        if (!s->slot_up[i])
            s->n_down_c++;
        else if (s->slot_truck[i] == TC_NONE)
            s->n_free++;
    }
}

/* Scheduled changes, days, opening calendars. */

void eng_schedule_cal(struct tc_engine *e, uint32_t sid)
{
    struct station *s = &e->st[sid];
    s->start_before = (double)INFINITY;
    s->cal_pending = false;
    if (s->cal->always_open)
        return;
    double t;
    uint32_t i;
    tc_calendar_next(s->cal, e->now, e->day_len, &t, &i);
    if (!(i < s->cal->n ? s->cal->open_after[i] : s->cal->open_at_midnight))
        s->start_before = t - TC_TIME_EPS_DAYS * e->day_len;
    s->cal_pending = t < e->horizon;
    if (s->cal_pending)
        tc_evq_push(&e->evq, t, EV_CAL, sid, i, s->cal_gen);
}

void eng_on_cal(struct tc_engine *e, uint32_t sid, uint32_t i)
{
    struct station *s = &e->st[sid];
    s->open = i < s->cal->n ? s->cal->open_after[i] : s->cal->open_at_midnight;
    eng_schedule_cal(e, sid);
    if (s->open)
        eng_refill(e, sid);
    eng_servers_changed(e, s);
}

void eng_on_day(struct tc_engine *e, uint32_t day)
{
    for (uint32_t i = 0; i < e->sc->n_stations; i++) {
        struct station *s = &e->st[i];
        s->starts_today = 0;
        if (s->cstarts)
            memset(s->cstarts, 0, e->sc->n_classes * sizeof(uint32_t));
        if (s->limit != TC_UNLIMITED || s->climit)
            eng_refill(e, i);
    }
    double t = (day + 1) * e->day_len;
    if (t < e->horizon)
        tc_evq_push(&e->evq, t, EV_DAY, 0, day + 1, 0);
}

void eng_on_sched(struct tc_engine *e, uint32_t k)
{
    const struct tc_sched *x = &e->sc->sched[k];
    if (x->kind == TC_SCHED_RATE_FACTOR) {
        for (uint32_t j = 0; j < x->n_sources; j++) {
            if (e->sc->sources[x->sources[j]].booking.on)
                continue; /* its wishes read the factor by their own time (engine_source.c) */
            struct source *src = &e->src[x->sources[j]];
            src->factor = x->factor;
            src->gen++; /* the pending arrival, if any, was drawn at the old rate */
            e->n_dead += src->pending;
            /* restart from now, but never before the stream's start (the
               clock starts there) */
            src->clock = e->now > src->clock ? e->now : src->clock;
            eng_schedule_arrival(e, x->sources[j]);
        }
        return;
    }
    if (x->kind == TC_SCHED_POOL_QUOTA || x->kind == TC_SCHED_POOL_SLOT)
        return; /* a pool reads its rules by slot time (engine_pool.c) */
    struct station *s = &e->st[x->station];
    switch (x->kind) {
    case TC_SCHED_CLOSE:
        s->closed++;
        eng_servers_changed(e, s);
        return;
    case TC_SCHED_REOPEN:
        if (s->closed)
            s->closed--;
        break;
    case TC_SCHED_SERVERS: {
        uint32_t was = s->c;
        s->c = x->value; /* fewer servers take effect as services end */
        eng_servers_switched(e, s, was);
        if (s->slot_truck)
            eng_recount_slots(s);
        break;
    }
    case TC_SCHED_DAILY_LIMIT:
        if (x->cls == TC_NONE)
            s->limit = x->value;
        else
            s->climit[x->cls] = x->value; /* climit exists: engine.c saw this event */
        break;
    case TC_SCHED_OPEN:
        s->cal = &e->cals[e->cal_of_sched[k]];
        s->open = tc_calendar_is_open(s->cal, e->now, e->day_len);
        s->cal_gen++; /* cancels the pending boundary, if any */
        e->n_dead += s->cal_pending;
        eng_schedule_cal(e, x->station);
        break;
    case TC_SCHED_NEXT:
        s->route = &x->next; /* new departures only: blocked trucks keep their target */
        return;
    case TC_SCHED_RATE_FACTOR:
    case TC_SCHED_POOL_QUOTA:
    case TC_SCHED_POOL_SLOT:
        return;
    }
    eng_refill(e, x->station);
    eng_servers_changed(e, s);
}
