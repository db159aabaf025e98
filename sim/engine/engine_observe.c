/*
** engine_observe: what a replication measures. The counts and tallies
** change through the helpers of engine_int.h (level_add, stat_*); here are
** the rest: the servers counted as open, spoilage, the opening and closing
** of the time averages, the samples of the time series and the metrics
** written at the horizon.
*/
#include <math.h>

#include "engine/engine_int.h"

bool eng_station_consistent(const struct station *s)
{
    return s->n_present == s->waiting.n + s->serving.n + s->suspended.n + s->blocked.n;
}

void eng_servers_changed(struct tc_engine *e, struct station *s)
{
    s->so_rule = servers_by_rule(s);
    double v = servers_open(s);
    if (v != s->so_val) {
        s->a_servers += s->so_val * (e->now - s->t_servers);
        s->t_servers = e->now;
        s->so_val = v;
    }
}

/* The integral of the held servers over [warmup, t]. */
static double held_area_at(const struct station *s, double t)
{
    return level_area_at(&s->serving, t) + level_area_at(&s->blocked, t) +
           level_area_at(&s->suspended, t);
}

/*
** Utilisation is a fraction of finite servers only: the service time of a
** stretch with unlimited servers is set aside (a_busy_unl), so that it
** never counts against the servers of a finite stretch.
*/
void eng_servers_switched(struct tc_engine *e, struct station *s, uint32_t was)
{
    bool unl_before = was == TC_UNLIMITED, unl_now = s->c == TC_UNLIMITED;
    if (!unl_before && unl_now) {
        s->busy_unl0 = level_area_at(&s->serving, e->now);
        s->held_unl0 = held_area_at(s, e->now);
    }
    if (unl_before && !unl_now) {
        s->a_busy_unl += level_area_at(&s->serving, e->now) - s->busy_unl0;
        s->a_held_unl += held_area_at(s, e->now) - s->held_unl0;
        s->ever_finite = true;
    }
    eng_cap_changed(e, s);
}

/* Trucks in the system (arrived, not gone; booked ones have not arrived), by class. */
static void count_present(struct tc_engine *e, bool at_end)
{
    for (uint32_t id = 0; id < e->n_tk; id++) {
        const struct truck *t = &e->tk[id];
        if (t->state == TK_FREE || t->state == TK_BOOKED)
            continue;
        struct klass *k = &e->cl[t->cls];
        if (at_end)
            k->n_at_end++;
        else
            k->n_at_warmup++;
    }
}

/* ==== Backlog clearance (exact, at the departure that crosses the threshold) ==== */

/*
** Whether n trucks are below clearance c's threshold: a count, or a
** percentage of the peak since its moment (an empty network always is).
** 100 n < p peak in doubles is exact for any count a run can hold.
*/
static bool below(const struct tc_clearance *c, const struct clear *x, uint32_t n)
{
    if (c->fraction)
        return n == 0 || 100.0 * n < c->below * x->peak;
    return n < c->below;
}

static void clear_test(struct tc_engine *e, uint32_t i)
{
    struct clear *x = &e->clr[i];
    if (x->started && !x->done && below(&e->sc->clearance[i], x, e->n_net)) {
        x->done = true;
        x->t_done = e->now;
        TC_CHECK(e->n_clr_active > 0);
        e->n_clr_active--;
    }
}

void eng_on_clear(struct tc_engine *e, uint32_t i)
{
    struct clear *x = &e->clr[i];
    x->started = true;
    x->peak = e->n_net;
    e->n_clr_active++;
    clear_test(e, i); /* already below at the moment: cleared at once */
}

void eng_clear_check(struct tc_engine *e)
{
    for (uint32_t i = 0; i < e->sc->n_clearance; i++)
        clear_test(e, i);
}

void eng_clear_peak(struct tc_engine *e)
{
    for (uint32_t i = 0; i < e->sc->n_clearance; i++) {
        struct clear *x = &e->clr[i];
        if (x->started && !x->done && e->n_net > x->peak)
            x->peak = e->n_net;
    }
}

void eng_on_warmup(struct tc_engine *e)
{
    double t = e->now;
    for (uint32_t i = 0; i < e->sc->n_stations; i++) {
        struct station *s = &e->st[i];
        level_open(&s->suspended, t);
        level_open(&s->waiting, t);
        level_open(&s->serving, t);
        level_open(&s->blocked, t);
        level_open(&s->road, t);
        s->a_servers = 0;
        s->t_servers = t;
        s->a_busy_unl = s->busy_unl0 = 0;
        s->a_held_unl = s->held_unl0 = 0;
        s->a_cap = 0;
        s->t_cap = t;
        s->ever_finite = s->c != TC_UNLIMITED;
        s->road_max = s->road.n;
    }
    for (uint32_t c = 0; c < e->sc->n_classes; c++)
        level_open(&e->cl[c].net, t);
    level_open(&e->road_all, t);
    level_open(&e->booked, t);
    e->max_st = e->n_in_st;
    e->max_road = e->road_all.n;
    e->max_booked = e->booked.n;
    e->max_all = e->n_in_st + e->road_all.n + e->booked.n;
    for (uint32_t j = 0; j < e->n_pools; j++) {
        level_open(&e->pools[j].booked, t);
        e->pools[j].booked_max = e->pools[j].booked.n;
    }
    count_present(e, false);
}

static void close_levels(struct tc_engine *e, struct station *s)
{
    double t = e->now;
    level_close(&s->suspended, t);
    level_close(&s->waiting, t);
    level_close(&s->serving, t);
    level_close(&s->blocked, t);
    level_close(&s->road, t);
    s->a_servers += s->so_val * (t - s->t_servers);
    s->t_servers = t;
    s->a_cap += s->cap_val * (t - s->t_cap);
    s->t_cap = t;
    if (s->c == TC_UNLIMITED) {
        s->a_busy_unl += s->serving.area - s->busy_unl0;
        s->a_held_unl += held_area_at(s, t) - s->held_unl0;
    }
}

/*
** Busy-server time over available-server time, both over the stretches
** with finite servers; undefined for a station that never had any. Busy
** never exceeds available at any moment (servers_open counts a service
** running past closing), so only rounding could leave [0, 1].
*/
static double utilization(const struct station *s)
{
    if (!s->ever_finite || !(s->a_servers > 0))
        return (double)NAN;
    double u = (s->serving.area - s->a_busy_unl) / s->a_servers;
    TC_CHECK(u > -1e-9 && u < 1 + 1e-9);
    return u < 0 ? 0 : u > 1 ? 1 : u;
}

/*
** Held-server time over server time, both over the stretches with finite
** servers (eng_cap_changed counts the servers); undefined like utilization.
*/
static double occupied(const struct station *s)
{
    if (!s->ever_finite || !(s->a_cap > 0))
        return (double)NAN;
    double o = (held_area_at(s, s->t_cap) - s->a_held_unl) / s->a_cap;
    TC_CHECK(o > -1e-9 && o < 1 + 1e-9);
    return o < 0 ? 0 : o > 1 ? 1 : o;
}

void eng_account_spoilage(struct tc_engine *e, const struct truck *t, bool abandoned)
{
    const struct tc_class *c = &e->sc->classes[t->cls];
    struct klass *k = &e->cl[t->cls];
    double t_spoil = t->t_sys + c->shelf_life;
    /* counted by when the load spoiled, not by now: no stat_* helper */
    bool spoiled = t_spoil < e->now && t_spoil >= e->warmup;
    if (spoiled) {
        k->n_spoiled++;
        k->value_lost += c->value;
    }
    if (abandoned) {
        stat_count(e, &k->n_abandoned);
        if (!(t_spoil < e->now)) /* a spoiled load is not lost twice */
            stat_sum(e, &k->value_lost, c->value);
    }
}

/*
** Sample k of the class series: per station the trucks present by class,
** then its departures so far; then a network row: the trucks of each class
** at a station or on a road (not those booked and not yet arrived). A scan
** of the slab, once per sample, keeps per-class counters out of every move
** of a truck.
*/
static void sample_classes(struct tc_engine *e, uint32_t k)
{
    uint32_t nc = e->sc->n_classes, w = nc + 1, ns = e->sc->n_stations;
    double *row = e->class_series + (size_t)k * (ns + 1) * w, *net = row + (size_t)ns * w;

    for (uint32_t i = 0; i < ns; i++) {
        for (uint32_t c = 0; c < nc; c++)
            row[(size_t)i * w + c] = 0.0;
        row[(size_t)i * w + nc] = (double)e->st[i].n_left;
    }
    for (uint32_t c = 0; c <= nc; c++)
        net[c] = 0.0;
    for (uint32_t id = 0; id < e->n_tk; id++) {
        const struct truck *t = &e->tk[id];

        if (t->state >= TK_WAITING && t->st != TC_NONE)
            row[(size_t)t->st * w + t->cls] += 1.0;
        if (t->state >= TK_ROAD)
            net[t->cls] += 1.0;
    }
}

void eng_sample(struct tc_engine *e, uint32_t k)
{
    e->k_sample = k + 1;
    if (e->class_series)
        sample_classes(e, k);
    if (!e->series && !e->sampler)
        return;
    uint32_t n_series = e->sc->n_stations + e->m->n_roads;
    double *const first =
        e->series ? e->series + (size_t)k * n_series * TC_TS__COUNT : e->sample_row;
    double *row = first;
    for (uint32_t i = 0; i < e->sc->n_stations; i++, row += TC_TS__COUNT) {
        const struct station *s = &e->st[i];
        TC_CHECK(eng_station_consistent(s));
        row[TC_TS_PRESENT] = s->n_present;
        row[TC_TS_WAITING] = s->waiting.n;
        row[TC_TS_BUSY] = s->serving.n;
        row[TC_TS_BLOCKED] = s->blocked.n;
    }
    for (uint32_t r = 0; r < e->m->n_roads; r++, row += TC_TS__COUNT) {
        const struct station *s = &e->st[e->m->road_station[r]];
        row[TC_TS_PRESENT] = row[TC_TS_WAITING] = s->road.n;
        row[TC_TS_BUSY] = row[TC_TS_BLOCKED] = 0;
    }
    if (e->sampler)
        e->sampler(e->sampler_ud, k, first);
}

static double ratio(double num, double den)
{
    return den > 0 ? num / den : (double)NAN;
}

/* Truck-hours a day: an integral of trucks over time (in time units) per day of the window. */
static double per_day_hours(const struct tc_engine *e, double area)
{
    double days = (e->horizon - e->warmup) / e->day_len;
    return area * e->min_per_t / 60.0 / days;
}

/*
** The network block: totals of what the stations, roads and classes
** measured, and the costs: truck-hours by class at their prices, the
** server-hours counted open (as for utilisation) at theirs, and the
** losses (the cargo value lost, plus the prices per spoiled and per
** abandoned truck). Idle fuel burns while a truck waits: on a road, in a
** queue, blocked or suspended, not in service and not booked at home.
*/
static void collect_network(struct tc_engine *e, double *out)
{
    const struct tc_scenario *sc = e->sc;
    const struct tc_metrics *m = e->m;
    const struct tc_costs *k = &sc->costs;
    double window = e->horizon - e->warmup, days = window / e->day_len;
    double in_st = 0, idle = e->road_all.area, net = 0, servers = 0;
    double arrived = 0, done = 0, aband = 0, spoiled = 0, left = 0, seen = 0;
    double c_trucks = 0, c_losses = 0;
    const struct tc_hist **h = tc_xmalloc((sc->n_classes ? sc->n_classes : 1) * sizeof(*h));
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        const struct station *s = &e->st[i];
        in_st += s->waiting.area + s->serving.area + s->suspended.area + s->blocked.area;
        idle += s->waiting.area + s->blocked.area + s->suspended.area;
        if (k->on)
            servers += k->server_hour[i] * per_day_hours(e, s->a_servers);
    }
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        const struct klass *q = &e->cl[c];
        double th = per_day_hours(e, q->net.area);
        out[tc_metrics_class(m, c, TC_CM_TRUCK_HOURS_PER_DAY)] = th;
        net += q->net.area;
        arrived += (double)q->n_arrived;
        done += (double)q->n_completed;
        aband += (double)q->n_abandoned;
        spoiled += (double)q->n_spoiled;
        left += (double)(q->n_completed + q->n_abandoned + q->n_rejected + q->n_diverted);
        seen += (double)(q->n_at_warmup + q->n_arrived);
        h[c] = &q->hist;
        if (k->on) {
            c_trucks += k->truck_hour[c] * th;
            c_losses += q->value_lost + k->spoiled[c] * (double)q->n_spoiled +
                        k->abandoned[c] * (double)q->n_abandoned;
        }
    }
    out[tc_metrics_network(m, TC_NM_PRESENT)] = net / window;
    out[tc_metrics_network(m, TC_NM_PRESENT_MAX)] = e->max_all;
    out[tc_metrics_network(m, TC_NM_IN_STATIONS)] = in_st / window;
    out[tc_metrics_network(m, TC_NM_IN_STATIONS_MAX)] = e->max_st;
    out[tc_metrics_network(m, TC_NM_ON_ROADS)] = e->road_all.area / window;
    out[tc_metrics_network(m, TC_NM_ON_ROADS_MAX)] = e->max_road;
    out[tc_metrics_network(m, TC_NM_BOOKED_WAITING)] = e->booked.area / window;
    out[tc_metrics_network(m, TC_NM_BOOKED_WAITING_MAX)] = e->max_booked;
    out[tc_metrics_network(m, TC_NM_TRUCK_HOURS_PER_DAY)] = per_day_hours(e, net);
    out[tc_metrics_network(m, TC_NM_TIS_P95)] = tc_hist_quantile_many(h, sc->n_classes, 0.95);
    out[tc_metrics_network(m, TC_NM_ARRIVED_PER_DAY)] = arrived / days;
    out[tc_metrics_network(m, TC_NM_THROUGHPUT_PER_DAY)] = done / days;
    out[tc_metrics_network(m, TC_NM_ABANDONED_PER_DAY)] = aband / days;
    out[tc_metrics_network(m, TC_NM_SPOILED_PER_DAY)] = spoiled / days;
    out[tc_metrics_network(m, TC_NM_ABANDONED_FRACTION)] = ratio(aband, left);
    out[tc_metrics_network(m, TC_NM_SPOILED_FRACTION)] = ratio(spoiled, seen);
    free(h);
    if (!k->on)
        return;
    out[tc_metrics_network(m, TC_NM_COST_TRUCKS_PER_DAY)] = c_trucks;
    out[tc_metrics_network(m, TC_NM_COST_SERVERS_PER_DAY)] = servers;
    out[tc_metrics_network(m, TC_NM_COST_LOSSES_PER_DAY)] = c_losses / days;
    out[tc_metrics_network(m, TC_NM_COST_PER_DAY)] = c_trucks + servers + c_losses / days;
    if (k->has_fuel) {
        double fuel = k->idle_fuel_l_per_h * per_day_hours(e, idle);
        out[tc_metrics_network(m, TC_NM_IDLE_FUEL_L_PER_DAY)] = fuel;
        out[tc_metrics_network(m, TC_NM_CO2_KG_PER_DAY)] = fuel * k->co2_kg_per_l;
    }
}

void eng_collect(struct tc_engine *e, double *out)
{
    const struct tc_scenario *sc = e->sc;
    const struct tc_metrics *m = e->m;
    double window = e->horizon - e->warmup;
    double days = window / e->day_len;
    for (uint32_t i = 0; i < sc->n_stations; i++)
        close_levels(e, &e->st[i]);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        level_close(&e->cl[c].net, e->now);
    level_close(&e->road_all, e->now);
    level_close(&e->booked, e->now);
    count_present(e, true);
    for (size_t i = 0; i < m->n; i++)
        out[i] = (double)NAN;
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        struct station *s = &e->st[i];
        out[tc_metrics_station(m, i, TC_SM_WAIT)] = tc_tally_mean(&s->wait);
        out[tc_metrics_station(m, i, TC_SM_SOJOURN)] = tc_tally_mean(&s->sojourn);
        double present = s->waiting.area + s->serving.area + s->suspended.area + s->blocked.area;
        out[tc_metrics_station(m, i, TC_SM_IN_STATION)] = present / window;
        out[tc_metrics_station(m, i, TC_SM_WAITING)] = s->waiting.area / window;
        out[tc_metrics_station(m, i, TC_SM_UTILIZATION)] = utilization(s);
        out[tc_metrics_station(m, i, TC_SM_OCCUPIED)] = occupied(s);
        out[tc_metrics_station(m, i, TC_SM_BUSY)] = s->serving.area / window;
        /* every truck that left: moved on or out (sojourn), or abandoned */
        double left = (double)(s->sojourn.n + s->n_aband);
        out[tc_metrics_station(m, i, TC_SM_STAY)] = ratio(s->sojourn.sum + s->stay_aband, left);
        out[tc_metrics_station(m, i, TC_SM_DEPARTURES_ALL)] = left;
        out[tc_metrics_station(m, i, TC_SM_BLOCKED)] = s->blocked.area / window;
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
        /* the trucks that left in the window, and those in the system at some time of it */
        double left = (double)(k->n_completed + k->n_abandoned + k->n_rejected + k->n_diverted);
        double seen = (double)(k->n_at_warmup + k->n_arrived);
        TC_CHECK(k->n_at_warmup + k->n_arrived ==
                 k->n_completed + k->n_abandoned + k->n_rejected + k->n_diverted + k->n_at_end);
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
        out[tc_metrics_class(m, c, TC_CM_ABANDONED_FRACTION)] = ratio((double)k->n_abandoned, left);
        out[tc_metrics_class(m, c, TC_CM_SPOILED_FRACTION)] = ratio((double)k->n_spoiled, seen);
        out[tc_metrics_class(m, c, TC_CM_VALUE_LOST)] = k->value_lost;
        out[tc_metrics_class(m, c, TC_CM_ABANDONED)] = (double)k->n_abandoned;
        out[tc_metrics_class(m, c, TC_CM_REJECTED)] = (double)k->n_rejected;
        out[tc_metrics_class(m, c, TC_CM_PRESENT_AT_WARMUP)] = (double)k->n_at_warmup;
        out[tc_metrics_class(m, c, TC_CM_PRESENT_AT_END)] = (double)k->n_at_end;
        out[tc_metrics_class(m, c, TC_CM_DIVERTED)] = (double)k->n_diverted;
    }
    for (uint32_t r = 0; r < m->n_roads; r++) {
        struct station *s = &e->st[m->road_station[r]];
        double trucks = s->road.area / window;
        out[tc_metrics_road(m, r, TC_RM_TRUCKS)] = trucks;
        out[tc_metrics_road(m, r, TC_RM_KM)] = trucks * sc->truck_length_m / 1000.0;
        out[tc_metrics_road(m, r, TC_RM_MAX_TRUCKS)] = s->road_max;
    }
    collect_network(e, out);
    for (uint32_t j = 0; j < m->n_pools; j++) { /* the named pools: the first of e->pools */
        struct pool *p = &e->pools[j];
        level_close(&p->booked, e->now);
        out[tc_metrics_pool(m, j, TC_PM_BOOKED_WAITING)] = p->booked.area / window;
        out[tc_metrics_pool(m, j, TC_PM_BOOKED_WAITING_MAX)] = p->booked_max;
        out[tc_metrics_pool(m, j, TC_PM_BOOKINGS)] = (double)p->n_booked;
        out[tc_metrics_pool(m, j, TC_PM_LEAD_TIME)] = tc_tally_mean(&p->lead_time);
    }
    for (uint32_t i = 0; i < m->n_clearances; i++) {
        const struct clear *x = &e->clr[i];
        out[tc_metrics_clearance(m, i, TC_CLM_TIME)] =
            x->done ? x->t_done - sc->clearance[i].after_t : (double)NAN;
        out[tc_metrics_clearance(m, i, TC_CLM_NOT_CLEARED)] = x->done ? 0 : 1;
    }
}
