/*
** metrics: the catalogue of per-replication metrics of README.md's outputs for one
** scenario, as a flat table. A replication fills a double array indexed by
** this table (NaN where a metric is undefined, e.g. a mean wait with no
** waits); summary.c reduces those arrays across replications, and every
** writer walks the table in order, so the outputs share one layout:
**   stations (TC_SM__COUNT each), station x class (TC_SCM__COUNT each),
**   classes (TC_CM__COUNT each), roads (TC_RM__COUNT each, one road per
**   entry station, in station order), the network (TC_NM__COUNT, once).
*/
#ifndef TCSIM_METRICS_H
#define TCSIM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcsim/scenario.h"

enum tc_station_metric {
    TC_SM_WAIT,
    TC_SM_SOJOURN,
    TC_SM_IN_STATION,
    TC_SM_WAITING,
    TC_SM_UTILIZATION,
    TC_SM_BLOCKED,
    TC_SM_ARRIVALS,
    TC_SM_DEPARTURES,
    TC_SM_REJECTED_FRACTION,
    TC_SM_THROUGHPUT_PER_DAY,
    TC_SM_BUSY,           /* time-average trucks in service */
    TC_SM_STAY,           /* mean time in the station of every truck that left it */
    TC_SM_DEPARTURES_ALL, /* trucks that left it by any way: moved on, left, abandoned */
    TC_SM_OCCUPIED,       /* fraction of servers held: serving, blocked or suspended */
    TC_SM__COUNT
};

enum tc_station_class_metric { TC_SCM_WAIT, TC_SCM_SOJOURN, TC_SCM__COUNT };

enum tc_class_metric {
    TC_CM_TIME_IN_SYSTEM,
    TC_CM_TIS_P50,
    TC_CM_TIS_P90,
    TC_CM_TIS_P95,
    TC_CM_TIS_P99,
    TC_CM_TIS_MAX,
    TC_CM_ROAD_WAIT,
    TC_CM_BOOKING_DELAY,
    TC_CM_ARRIVED,
    TC_CM_COMPLETED,
    TC_CM_THROUGHPUT_PER_DAY,
    TC_CM_ABANDONED_FRACTION,
    TC_CM_SPOILED_FRACTION,
    TC_CM_VALUE_LOST,
    /* the balance: present_at_warmup + arrived
       = completed + abandoned + rejected + diverted + present_at_end */
    TC_CM_ABANDONED,
    TC_CM_REJECTED,
    TC_CM_PRESENT_AT_WARMUP,
    TC_CM_PRESENT_AT_END,
    TC_CM_DIVERTED, /* left the network because the best choice of a route was past divert_above */
    TC_CM_TRUCK_HOURS_PER_DAY, /* hours spent in the network (stations, roads, booked) per day */
    TC_CM__COUNT
};

enum tc_road_metric { TC_RM_TRUCKS, TC_RM_KM, TC_RM_MAX_TRUCKS, TC_RM__COUNT };

/*
** The network as a whole: trucks present (time average and maximum) in
** stations, on roads, booked and waiting for their slot, and all together;
** totals per day; costs and emissions (undefined without a costs: section,
** fuel and CO2 also without idle_fuel_l_per_h).
*/
enum tc_network_metric {
    TC_NM_PRESENT,
    TC_NM_PRESENT_MAX,
    TC_NM_IN_STATIONS,
    TC_NM_IN_STATIONS_MAX,
    TC_NM_ON_ROADS,
    TC_NM_ON_ROADS_MAX,
    TC_NM_BOOKED_WAITING,
    TC_NM_BOOKED_WAITING_MAX,
    TC_NM_TRUCK_HOURS_PER_DAY,
    TC_NM_TIS_P95, /* over the trucks of every class */
    TC_NM_ARRIVED_PER_DAY,
    TC_NM_THROUGHPUT_PER_DAY,
    TC_NM_ABANDONED_PER_DAY,
    TC_NM_SPOILED_PER_DAY,
    TC_NM_ABANDONED_FRACTION,
    TC_NM_SPOILED_FRACTION,
    TC_NM_COST_PER_DAY,
    TC_NM_COST_TRUCKS_PER_DAY,
    TC_NM_COST_SERVERS_PER_DAY,
    TC_NM_COST_LOSSES_PER_DAY,
    TC_NM_IDLE_FUEL_L_PER_DAY,
    TC_NM_CO2_KG_PER_DAY,
    TC_NM__COUNT
};

enum tc_scope {
    TC_SCOPE_STATION,
    TC_SCOPE_STATION_CLASS,
    TC_SCOPE_CLASS,
    TC_SCOPE_ROAD,
    TC_SCOPE_NETWORK,
    TC_SCOPE_POOL, /* a booking pool of bookings: (owner: its index in sc->pools) */
    TC_SCOPE_CLEARANCE
};

/*
** Per clearance of the scenario (its own block, the last): the time
** from its moment until the network falls below the threshold, NaN in a
** replication that does not clear by the horizon; and not_cleared, 1 in
** such a replication, else 0 (its mean is the fraction not cleared).
*/
enum tc_clearance_metric { TC_CLM_TIME, TC_CLM_NOT_CLEARED, TC_CLM__COUNT };
extern const char *const tc_clearance_metric_names[TC_CLM__COUNT];

/* Names as they appear in summary.json, e.g. "wait", "time_in_system_p90". */
extern const char *const tc_station_metric_names[TC_SM__COUNT];
extern const char *const tc_station_class_metric_names[TC_SCM__COUNT];
extern const char *const tc_class_metric_names[TC_CM__COUNT];
extern const char *const tc_road_metric_names[TC_RM__COUNT];
extern const char *const tc_network_metric_names[TC_NM__COUNT];

/* ---- booking pools: one block per pool of bookings:, after every other block ---- */

enum tc_pool_metric {
    TC_PM_BOOKED_WAITING,     /* time-average trucks booked and not yet arrived */
    TC_PM_BOOKED_WAITING_MAX, /* the most at once */
    TC_PM_BOOKINGS,           /* bookings made in the window */
    TC_PM_LEAD_TIME,          /* mean time from booking to arrival */
    TC_PM__COUNT
};

extern const char *const tc_pool_metric_names[TC_PM__COUNT];

struct tc_metric_def {
    enum tc_scope scope;
    uint32_t owner;    /* station (STATION, STATION_CLASS, ROAD), class (CLASS), pool or clearance;
                          NETWORK: 0 */
    uint32_t class_id; /* STATION_CLASS only, else TC_NONE */
    uint32_t kind;     /* the enum value within its scope */
    const char *name;  /* static */
};

struct tc_metrics {
    struct tc_metric_def *defs; /* owned */
    size_t n;
    size_t base_sc, base_class, base_road, base_net; /* where each block starts */
    uint32_t n_stations, n_classes;
    uint32_t *road_of_station; /* station -> road index or TC_NONE, owned */
    uint32_t *road_station;    /* road index -> station, owned */
    uint32_t n_roads;
    size_t base_pool; /* the pools' block: n_pools x TC_PM__COUNT, last */
    uint32_t n_pools;
    size_t base_clearance; /* the clearance block, after the pools */
    uint32_t n_clearances;
};

/* Columns of one time-series row (timeseries.csv order), as the engine samples them. */
enum tc_series_field { TC_TS_PRESENT, TC_TS_WAITING, TC_TS_BUSY, TC_TS_BLOCKED, TC_TS__COUNT };

/* Samples of the time series: t = k * sample_every, k = 0 .. n-1. */
uint32_t tc_metrics_n_samples(const struct tc_scenario *sc);

/* How many metrics a scenario of this shape has (the catalogue's n, clearances apart). */
size_t tc_metrics_count(uint32_t n_stations, uint32_t n_classes, uint32_t n_roads);

/* Builds the catalogue for sc; free with tc_metrics_fini. */
void tc_metrics_init(struct tc_metrics *m, const struct tc_scenario *sc);
void tc_metrics_fini(struct tc_metrics *m);

static inline size_t tc_metrics_station(const struct tc_metrics *m, uint32_t s,
                                        enum tc_station_metric k)
{
    (void)m;
    return (size_t)s * TC_SM__COUNT + k;
}

static inline size_t tc_metrics_station_class(const struct tc_metrics *m, uint32_t s, uint32_t c,
                                              enum tc_station_class_metric k)
{
    return m->base_sc + ((size_t)s * m->n_classes + c) * TC_SCM__COUNT + k;
}

static inline size_t tc_metrics_class(const struct tc_metrics *m, uint32_t c,
                                      enum tc_class_metric k)
{
    return m->base_class + (size_t)c * TC_CM__COUNT + k;
}

static inline size_t tc_metrics_road(const struct tc_metrics *m, uint32_t r, enum tc_road_metric k)
{
    return m->base_road + (size_t)r * TC_RM__COUNT + k;
}

static inline size_t tc_metrics_network(const struct tc_metrics *m, enum tc_network_metric k)
{
    return m->base_net + k;
}

static inline size_t tc_metrics_pool(const struct tc_metrics *m, uint32_t p, enum tc_pool_metric k)
{
    return m->base_pool + (size_t)p * TC_PM__COUNT + k;
}

static inline size_t tc_metrics_clearance(const struct tc_metrics *m, uint32_t i,
                                          enum tc_clearance_metric k)
{
    return m->base_clearance + (size_t)i * TC_CLM__COUNT + k;
}

/*
** The summary.json path of metric d in buf: stations.<s>.<m>,
** stations.<s>.by_class.<c>.<m>, classes.<c>.<m>, roads.<s>.<m>,
** network.<m>, pools.<p>.<m>, clearance.<c>.<m>. Every
** scope has one (a new scope adds its case here), so a command that names
** metrics by path (optimize's --minimize) takes any metric of the summary.
*/
void tc_metric_path(const struct tc_scenario *sc, const struct tc_metric_def *d, char *buf,
                    size_t len);

/*
** The unit of metric d's values in buf (summary.csv's unit column, the
** units of datapackage.json): the scenario's time unit (min, h, d) for
** durations, trucks (counts and time averages), trucks/d, fraction, km,
** truck-h/d, L/d, kg/d, value (the classes' value), CURRENCY/d for costs
** ("money/d" without a currency). 16 bytes hold all but a long currency.
*/
void tc_metric_unit(const struct tc_scenario *sc, const struct tc_metric_def *d, char *buf,
                    size_t len);

/* Whether metric d is a duration (in the time unit, so converted where units differ). */
bool tc_metric_is_time(const struct tc_metric_def *d);

#endif
