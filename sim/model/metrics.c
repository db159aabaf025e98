/*
** metrics: the catalogue is built once per run and only read afterwards
** (by every engine and writer, from any thread). Its layout is fixed by the
** inline index functions in the header: five blocks, each a dense array in
** (owner, [class,] kind) order, so a replication's metric vector is one
** calloc and a writer walking 0..n-1 visits stations, station x class,
** classes, roads and the network in the order the outputs show them.
*/
#include "tcsim/metrics.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"

const char *const tc_station_metric_names[TC_SM__COUNT] = {
    [TC_SM_WAIT] = "wait",
    [TC_SM_SOJOURN] = "sojourn",
    [TC_SM_IN_STATION] = "in_station",
    [TC_SM_WAITING] = "waiting",
    [TC_SM_UTILIZATION] = "utilization",
    [TC_SM_BLOCKED] = "blocked",
    [TC_SM_ARRIVALS] = "arrivals",
    [TC_SM_DEPARTURES] = "departures",
    [TC_SM_REJECTED_FRACTION] = "rejected_fraction",
    [TC_SM_THROUGHPUT_PER_DAY] = "throughput_per_day",
    [TC_SM_BUSY] = "busy",
    [TC_SM_STAY] = "stay",
    [TC_SM_DEPARTURES_ALL] = "departures_all",
    [TC_SM_OCCUPIED] = "occupied",
};

const char *const tc_station_class_metric_names[TC_SCM__COUNT] = {
    [TC_SCM_WAIT] = "wait",
    [TC_SCM_SOJOURN] = "sojourn",
};

const char *const tc_class_metric_names[TC_CM__COUNT] = {
    [TC_CM_TIME_IN_SYSTEM] = "time_in_system",
    [TC_CM_TIS_P50] = "time_in_system_p50",
    [TC_CM_TIS_P90] = "time_in_system_p90",
    [TC_CM_TIS_P95] = "time_in_system_p95",
    [TC_CM_TIS_P99] = "time_in_system_p99",
    [TC_CM_TIS_MAX] = "time_in_system_max",
    [TC_CM_ROAD_WAIT] = "road_wait",
    [TC_CM_BOOKING_DELAY] = "booking_delay",
    [TC_CM_ARRIVED] = "arrived",
    [TC_CM_COMPLETED] = "completed",
    [TC_CM_THROUGHPUT_PER_DAY] = "throughput_per_day",
    [TC_CM_ABANDONED_FRACTION] = "abandoned_fraction",
    [TC_CM_SPOILED_FRACTION] = "spoiled_fraction",
    [TC_CM_VALUE_LOST] = "value_lost",
    [TC_CM_ABANDONED] = "abandoned",
    [TC_CM_REJECTED] = "rejected",
    [TC_CM_PRESENT_AT_WARMUP] = "present_at_warmup",
    [TC_CM_PRESENT_AT_END] = "present_at_end",
    [TC_CM_DIVERTED] = "diverted",
    [TC_CM_TRUCK_HOURS_PER_DAY] = "truck_hours_per_day",
};

const char *const tc_road_metric_names[TC_RM__COUNT] = {
    [TC_RM_TRUCKS] = "trucks",
    [TC_RM_KM] = "km",
    [TC_RM_MAX_TRUCKS] = "max_trucks",
};

const char *const tc_network_metric_names[TC_NM__COUNT] = {
    [TC_NM_PRESENT] = "present",
    [TC_NM_PRESENT_MAX] = "present_max",
    [TC_NM_IN_STATIONS] = "in_stations",
    [TC_NM_IN_STATIONS_MAX] = "in_stations_max",
    [TC_NM_ON_ROADS] = "on_roads",
    [TC_NM_ON_ROADS_MAX] = "on_roads_max",
    [TC_NM_BOOKED_WAITING] = "booked_waiting",
    [TC_NM_BOOKED_WAITING_MAX] = "booked_waiting_max",
    [TC_NM_TRUCK_HOURS_PER_DAY] = "truck_hours_per_day",
    [TC_NM_TIS_P95] = "time_in_system_p95",
    [TC_NM_ARRIVED_PER_DAY] = "arrived_per_day",
    [TC_NM_THROUGHPUT_PER_DAY] = "throughput_per_day",
    [TC_NM_ABANDONED_PER_DAY] = "abandoned_per_day",
    [TC_NM_SPOILED_PER_DAY] = "spoiled_per_day",
    [TC_NM_ABANDONED_FRACTION] = "abandoned_fraction",
    [TC_NM_SPOILED_FRACTION] = "spoiled_fraction",
    [TC_NM_COST_PER_DAY] = "cost_per_day",
    [TC_NM_COST_TRUCKS_PER_DAY] = "cost_trucks_per_day",
    [TC_NM_COST_SERVERS_PER_DAY] = "cost_servers_per_day",
    [TC_NM_COST_LOSSES_PER_DAY] = "cost_losses_per_day",
    [TC_NM_IDLE_FUEL_L_PER_DAY] = "idle_fuel_l_per_day",
    [TC_NM_CO2_KG_PER_DAY] = "co2_kg_per_day",
};

const char *const tc_pool_metric_names[TC_PM__COUNT] = {
    [TC_PM_BOOKED_WAITING] = "booked_waiting",
    [TC_PM_BOOKED_WAITING_MAX] = "booked_waiting_max",
    [TC_PM_BOOKINGS] = "bookings",
    [TC_PM_LEAD_TIME] = "lead_time",
};

const char *const tc_clearance_metric_names[TC_CLM__COUNT] = {
    [TC_CLM_TIME] = "time",
    [TC_CLM_NOT_CLEARED] = "not_cleared",
};

static void put(struct tc_metrics *m, size_t i, enum tc_scope scope, uint32_t owner,
                uint32_t class_id, uint32_t kind, const char *name)
{
    assert(i < m->n);
    m->defs[i] = (struct tc_metric_def){
        .scope = scope, .owner = owner, .class_id = class_id, .kind = kind, .name = name};
}

uint32_t tc_metrics_n_samples(const struct tc_scenario *sc)
{
    /* k * dt <= horizon, with a relative guard against rounding */
    return (uint32_t)floor(sc->horizon / sc->sample_every * (1 + 1e-12)) + 1;
}

size_t tc_metrics_count(uint32_t n_stations, uint32_t n_classes, uint32_t n_roads)
{
    return (size_t)n_stations * TC_SM__COUNT + (size_t)n_stations * n_classes * TC_SCM__COUNT +
           (size_t)n_classes * TC_CM__COUNT + (size_t)n_roads * TC_RM__COUNT + TC_NM__COUNT;
}

void tc_metrics_init(struct tc_metrics *m, const struct tc_scenario *sc)
{
    memset(m, 0, sizeof(*m));
    m->n_stations = sc->n_stations;
    m->n_classes = sc->n_classes;

    /* A road is the queue in front of an entry station: the `to` of some stream
       (each station a stream may choose). */
    bool *entry = tc_xcalloc(sc->n_stations, sizeof(*entry));
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        uint32_t n_to;
        const uint32_t *to = tc_source_entries(&sc->sources[i], &n_to);
        for (uint32_t k = 0; k < n_to; k++) {
            assert(to[k] < sc->n_stations);
            entry[to[k]] = true;
        }
    }
    m->road_of_station = tc_xmalloc((size_t)sc->n_stations * sizeof(*m->road_of_station));
    m->road_station = tc_xmalloc((size_t)sc->n_stations * sizeof(*m->road_station));
    for (uint32_t s = 0; s < sc->n_stations; s++) {
        m->road_of_station[s] = TC_NONE;
        if (entry[s]) {
            m->road_of_station[s] = m->n_roads;
            m->road_station[m->n_roads++] = s;
        }
    }
    free(entry);

    size_t ns = sc->n_stations, nc = sc->n_classes;
    m->base_sc = ns * TC_SM__COUNT;
    m->base_class = m->base_sc + ns * nc * TC_SCM__COUNT;
    m->base_road = m->base_class + nc * TC_CM__COUNT;
    m->base_net = m->base_road + (size_t)m->n_roads * TC_RM__COUNT;
    m->n = m->base_net + TC_NM__COUNT;
    assert(m->n == tc_metrics_count(sc->n_stations, sc->n_classes, m->n_roads));
    /* the booking pools' block, appended last */
    m->n_pools = sc->n_pools;
    m->base_pool = m->n;
    m->n += (size_t)sc->n_pools * TC_PM__COUNT;
    /* the clearances' block, last */
    m->n_clearances = sc->n_clearance;
    m->base_clearance = m->n;
    m->n += (size_t)sc->n_clearance * TC_CLM__COUNT;
    m->defs = tc_xcalloc(m->n, sizeof(*m->defs));

    for (uint32_t s = 0; s < sc->n_stations; s++)
        for (uint32_t k = 0; k < TC_SM__COUNT; k++)
            put(m, tc_metrics_station(m, s, k), TC_SCOPE_STATION, s, TC_NONE, k,
                tc_station_metric_names[k]);
    for (uint32_t s = 0; s < sc->n_stations; s++)
        for (uint32_t c = 0; c < sc->n_classes; c++)
            for (uint32_t k = 0; k < TC_SCM__COUNT; k++)
                put(m, tc_metrics_station_class(m, s, c, k), TC_SCOPE_STATION_CLASS, s, c, k,
                    tc_station_class_metric_names[k]);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        for (uint32_t k = 0; k < TC_CM__COUNT; k++)
            put(m, tc_metrics_class(m, c, k), TC_SCOPE_CLASS, c, TC_NONE, k,
                tc_class_metric_names[k]);
    for (uint32_t r = 0; r < m->n_roads; r++)
        for (uint32_t k = 0; k < TC_RM__COUNT; k++)
            put(m, tc_metrics_road(m, r, k), TC_SCOPE_ROAD, m->road_station[r], TC_NONE, k,
                tc_road_metric_names[k]);
    for (uint32_t k = 0; k < TC_NM__COUNT; k++)
        put(m, tc_metrics_network(m, k), TC_SCOPE_NETWORK, 0, TC_NONE, k,
            tc_network_metric_names[k]);
    for (uint32_t p = 0; p < m->n_pools; p++)
        for (uint32_t k = 0; k < TC_PM__COUNT; k++)
            put(m, tc_metrics_pool(m, p, k), TC_SCOPE_POOL, p, TC_NONE, k, tc_pool_metric_names[k]);
    for (uint32_t i = 0; i < m->n_clearances; i++)
        for (uint32_t k = 0; k < TC_CLM__COUNT; k++)
            put(m, tc_metrics_clearance(m, i, k), TC_SCOPE_CLEARANCE, i, TC_NONE, k,
                tc_clearance_metric_names[k]);
}

void tc_metrics_fini(struct tc_metrics *m)
{
    if (!m)
        return;
    free(m->defs);
    free(m->road_of_station);
    free(m->road_station);
    memset(m, 0, sizeof(*m));
}

void tc_metric_path(const struct tc_scenario *sc, const struct tc_metric_def *d, char *buf,
                    size_t len)
{
    switch (d->scope) {
    case TC_SCOPE_STATION:
        snprintf(buf, len, "stations.%s.%s", sc->stations[d->owner].name, d->name);
        return;
    case TC_SCOPE_STATION_CLASS:
        snprintf(buf, len, "stations.%s.by_class.%s.%s", sc->stations[d->owner].name,
                 sc->classes[d->class_id].name, d->name);
        return;
    case TC_SCOPE_CLASS:
        snprintf(buf, len, "classes.%s.%s", sc->classes[d->owner].name, d->name);
        return;
    case TC_SCOPE_ROAD:
        snprintf(buf, len, "roads.%s.%s", sc->stations[d->owner].name, d->name);
        return;
    case TC_SCOPE_NETWORK:
        snprintf(buf, len, "network.%s", d->name);
        return;
    case TC_SCOPE_POOL:
        snprintf(buf, len, "pools.%s.%s", sc->pools[d->owner].name, d->name);
        return;
    case TC_SCOPE_CLEARANCE:
        snprintf(buf, len, "clearance.%s.%s", sc->clearance[d->owner].name, d->name);
        return;
    }
    buf[0] = '\0';
}

/* What a metric's values measure; the unit text follows from it and the scenario. */
enum quantity {
    Q_TIME,
    Q_TRUCKS,
    Q_PER_DAY,
    Q_FRACTION,
    Q_KM,
    Q_TRUCK_H,
    Q_MONEY,
    Q_VALUE,
    Q_L,
    Q_KG
};

static enum quantity quantity_of(const struct tc_metric_def *d)
{
    switch (d->scope) {
    case TC_SCOPE_STATION:
        switch ((enum tc_station_metric)d->kind) {
        case TC_SM_WAIT:
        case TC_SM_SOJOURN:
        case TC_SM_STAY:
            return Q_TIME;
        case TC_SM_UTILIZATION:
        case TC_SM_OCCUPIED:
        case TC_SM_REJECTED_FRACTION:
            return Q_FRACTION;
        case TC_SM_THROUGHPUT_PER_DAY:
            return Q_PER_DAY;
        default:
            return Q_TRUCKS;
        }
    case TC_SCOPE_STATION_CLASS:
        return Q_TIME;
    case TC_SCOPE_CLASS:
        if (d->kind <= TC_CM_BOOKING_DELAY)
            return Q_TIME;
        switch ((enum tc_class_metric)d->kind) {
        case TC_CM_THROUGHPUT_PER_DAY:
            return Q_PER_DAY;
        case TC_CM_ABANDONED_FRACTION:
        case TC_CM_SPOILED_FRACTION:
            return Q_FRACTION;
        case TC_CM_VALUE_LOST:
            return Q_VALUE;
        case TC_CM_TRUCK_HOURS_PER_DAY:
            return Q_TRUCK_H;
        default:
            return Q_TRUCKS;
        }
    case TC_SCOPE_ROAD:
        return d->kind == TC_RM_KM ? Q_KM : Q_TRUCKS;
    case TC_SCOPE_NETWORK:
        switch ((enum tc_network_metric)d->kind) {
        case TC_NM_TRUCK_HOURS_PER_DAY:
            return Q_TRUCK_H;
        case TC_NM_TIS_P95:
            return Q_TIME;
        case TC_NM_ARRIVED_PER_DAY:
        case TC_NM_THROUGHPUT_PER_DAY:
        case TC_NM_ABANDONED_PER_DAY:
        case TC_NM_SPOILED_PER_DAY:
            return Q_PER_DAY;
        case TC_NM_ABANDONED_FRACTION:
        case TC_NM_SPOILED_FRACTION:
            return Q_FRACTION;
        case TC_NM_COST_PER_DAY:
        case TC_NM_COST_TRUCKS_PER_DAY:
        case TC_NM_COST_SERVERS_PER_DAY:
        case TC_NM_COST_LOSSES_PER_DAY:
            return Q_MONEY;
        case TC_NM_IDLE_FUEL_L_PER_DAY:
            return Q_L;
        case TC_NM_CO2_KG_PER_DAY:
            return Q_KG;
        default:
            return Q_TRUCKS;
        }
    case TC_SCOPE_POOL:
        return d->kind == TC_PM_LEAD_TIME ? Q_TIME : Q_TRUCKS;
    case TC_SCOPE_CLEARANCE:
        return d->kind == TC_CLM_TIME ? Q_TIME : Q_FRACTION;
    }
    return Q_TRUCKS;
}

void tc_metric_unit(const struct tc_scenario *sc, const struct tc_metric_def *d, char *buf,
                    size_t len)
{
    static const char *const text[] = {
        [Q_TRUCKS] = "trucks", [Q_PER_DAY] = "trucks/d",  [Q_FRACTION] = "fraction",
        [Q_KM] = "km",         [Q_TRUCK_H] = "truck-h/d", [Q_VALUE] = "value",
        [Q_L] = "L/d",         [Q_KG] = "kg/d",
    };
    enum quantity q = quantity_of(d);
    if (q == Q_TIME)
        snprintf(buf, len, "%s", tc_units_name(sc->time_unit));
    else if (q == Q_MONEY) /* the label of costs:, "money" where it gives none */
        snprintf(buf, len, "%s/d",
                 sc->costs.currency && sc->costs.currency[0] ? sc->costs.currency : "money");
    else
        snprintf(buf, len, "%s", text[q]);
}

bool tc_metric_is_time(const struct tc_metric_def *d)
{
    return quantity_of(d) == Q_TIME;
}
