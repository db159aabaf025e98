/*
** engine_source: the arrival streams. A source makes trucks at a rate
** (with hourly and daily profiles, by thinning), at renewal intervals or
** from a trace; a booked source turns each wish into a request for a slot
** (book) and the truck reaches its entry station later (EV_BOOKED).
*/
#include <math.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "engine/engine_int.h"

/* The profile multiplier at time t (hourly x daily), for thinning. */
static double profile(const struct tc_engine *e, const struct tc_source *so, double t)
{
    double tmin = t * e->min_per_t;
    double day = tc_units_day_of(tmin);
    double m = 1;
    if (so->has_hourly) {
        int h = tc_units_hour_of(tmin, day);
        m *= so->hourly[h < 0 ? 0 : h > 23 ? 23 : h];
    }
    if (so->n_daily)
        m *= so->daily[(uint64_t)day % so->n_daily];
    return m;
}

/*
** Rate factors by the time of a wish. A booked stream requests its slots
** ahead of its wishes, so a scheduled rate_factor must act on the wishes
** after its time, not on the requests made after it: the stream reads the
** schedule itself. Among changes at the same time the last listed wins, as
** in the event loop. Returns the factor in force at t; *t_next gets the
** time of the next change after t, or (double)INFINITY.
*/
static double factor_at(const struct tc_engine *e, uint32_t i, double t, double *t_next)
{
    const struct tc_scenario *sc = e->sc;
    double f = 1, t_f = -(double)INFINITY;
    *t_next = (double)INFINITY;
    for (uint32_t k = 0; k < sc->n_sched; k++) {
        const struct tc_sched *x = &sc->sched[k];
        if (x->kind != TC_SCHED_RATE_FACTOR)
            continue;
        bool mine = false;
        for (uint32_t j = 0; j < x->n_sources && !mine; j++)
            mine = x->sources[j] == i;
        if (!mine)
            continue;
        if (x->t <= t && x->t >= t_f) {
            f = x->factor;
            t_f = x->t;
        } else if (x->t > t && x->t < *t_next) {
            *t_next = x->t;
        }
    }
    return f;
}

/*
** Time of the next arrival (or booking wish) of source i after its clock,
** or (double)INFINITY. Profiles are generated exactly by thinning (Lewis and
** Shedler 1979): candidates at the peak rate, each kept with probability
** rate(t) / peak.
*/
/* Inlined into both callers: the unbooked one is the hot path of every arrival. */
__attribute__((always_inline)) static inline double next_arrival(struct tc_engine *e, uint32_t i)
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
    case TC_SRC_TRACE:;
        /* rows before the start, or passed while the stream was stopped, are
           skipped (a booked stream's clock is its last wish, ahead of now) */
        double passed = so->booking.on ? x->clock : e->now;
        while (x->i_trace < so->n_trace &&
               (so->trace_t[x->i_trace] < so->t_start || so->trace_t[x->i_trace] < passed))
            x->i_trace++;
        if (x->i_trace >= so->n_trace || !(x->factor > 0))
            return (double)INFINITY;
        t = so->trace_t[x->i_trace];
        break;
    }
    return t < so->t_end ? t : (double)INFINITY;
}

/*
** Booked source i's next wish, and the time its request is made: a wish
** past the next rate change is drawn again from there, at the new factor.
*/
static double next_request(struct tc_engine *e, uint32_t i)
{
    struct source *x = &e->src[i];
    double t;
    for (;;) {
        double t_next;
        x->factor = factor_at(e, i, x->clock, &t_next);
        t = next_arrival(e, i);
        if (!(t_next <= t) || t_next >= e->horizon)
            break;
        x->clock = t_next;
    }
    x->t_wish = t;
    return t - x->lead > e->now ? t - x->lead : e->now;
}

void eng_schedule_arrival(struct tc_engine *e, uint32_t i)
{
    struct source *x = &e->src[i];
    double t = e->sc->sources[i].booking.on ? next_request(e, i) : next_arrival(e, i);
    x->pending = t < e->horizon;
    if (x->pending)
        tc_evq_push(&e->evq, t, EV_ARRIVAL, i, 0, x->gen);
}

/*
** A booking request for the wish x->t_wish: the slot of its pool containing
** the wish, or the next offered slot with room (engine_pool.c); arrival
** uniform inside the slot plus punctuality, never before the request itself.
*/
static void book(struct tc_engine *e, uint32_t i, uint32_t cls)
{
    const struct tc_source *so = &e->sc->sources[i];
    struct source *x = &e->src[i];
    struct pool *p = &e->pools[x->pool];
    const struct tc_booking *b = p->b;
    double t0, len;
    eng_pool_take(e, p, x->t_wish, &t0, &len);
    double t = t0 + gsl_rng_uniform(x->r_book) * len;
    if (b->has_punctuality) {
        /* a deviation, early or late: here a normal is not truncated at 0 */
        const struct tc_dist *pu = &b->punctuality;
        t += pu->kind == TC_DIST_NORMAL ? pu->p[0] + gsl_ran_gaussian(x->r_book, pu->p[1])
                                        : tc_dist_sample(pu, x->r_book);
    }
    if (t < e->now)
        t = e->now;
    level_add(e, &p->booked, +1);
    stat_max(e, &p->booked_max, p->booked.n);
    net_booked(e, +1);
    stat_count(e, &p->n_booked);
    uint32_t id = truck_new(e, cls); /* t_sys is the booking time until it arrives */
    struct truck *tr = &e->tk[id];
    tr->state = TK_BOOKED;
    tr->target = so->to;
    tr->srv = x->pool; /* no server while booked: the slot holds its pool */
    tr->src = i;
    double delay = t0 - x->t_wish;
    tr->booking_delay = delay > 0 ? delay : 0;
    /* arriving after the end, it stays booked (in the pool and the network) until the horizon */
    if (t < e->horizon)
        tc_evq_push(&e->evq, t, EV_BOOKED, id, 0, tr->gen);
}

void eng_on_booked(struct tc_engine *e, uint32_t id)
{
    struct truck *t = &e->tk[id];
    struct pool *p = &e->pools[t->srv];
    level_add(e, &p->booked, -1);
    net_booked(e, -1);
    stat_tally(e, &p->lead_time, e->now - t->t_sys);
    t->srv = TC_NONE;
    eng_arrive(e, t->src, id);
}

void eng_on_arrival(struct tc_engine *e, uint32_t i)
{
    const struct tc_source *so = &e->sc->sources[i];
    struct source *x = &e->src[i];
    x->pending = false; /* this is its pending arrival */
    if (so->kind == TC_SRC_TRACE) {
        /* one truck a row; rows at the same time arrive in file order */
        uint32_t cls = so->trace_class ? so->trace_class[x->i_trace] : so->class_id;
        x->i_trace++;
        if (so->booking.on)
            book(e, i, cls);
        else
            eng_arrive(e, i, truck_new(e, cls));
    } else {
        for (uint32_t b = 0; b < so->batch; b++) {
            if (so->booking.on)
                book(e, i, so->class_id);
            else
                eng_arrive(e, i, truck_new(e, so->class_id));
        }
    }
    x->clock = so->booking.on ? x->t_wish : e->now;
    eng_schedule_arrival(e, i);
}
