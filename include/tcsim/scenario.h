/*
** scenario: the resolved scenario as plain data (scenarios/README.md). Built by
** tc_scenario_load (scenario_load.c and the files it calls: YAML -> structs;
** scenario_check.c and the files it calls: the cross-field rules) and
** read-only afterwards, so every replication and thread shares one.
** Stations, classes and sources refer to each other by uint32_t index.
** Every duration is in the scenario's time_unit, every rate
** per time_unit; clock times of day are kept in minutes after midnight.
** The scenario owns every string and array reachable from it.
*/
#ifndef TCSIM_SCENARIO_H
#define TCSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tcsim/diag.h"
#include "tcsim/dist.h"
#include "tcsim/units.h"

#define TC_UNLIMITED UINT32_MAX /* servers, capacity, daily_limit */
#define TC_EXIT      UINT32_MAX /* route target: leave the network */
#define TC_NONE      UINT32_MAX /* no such index */

/* An opening window in minutes after midnight; close <= open crosses midnight. */
struct tc_window {
    double open_min, close_min;
};

enum tc_route_kind {
    TC_ROUTE_FIXED, /* to */
    TC_ROUTE_PROB,  /* targets/p, drawn with gsl_ran_discrete */
    TC_ROUTE_CLASS, /* by_class[class] is itself FIXED, PROB or CHOOSE */
    TC_ROUTE_CHOOSE /* targets: the best by rule at the instant (scenarios/README.md, Choosing) */
};

/* How a CHOOSE route ranks its stations; ties go to the first listed. */
enum tc_choose_rule {
    TC_CHOOSE_FEWEST_PRESENT, /* trucks present or waiting to get in */
    TC_CHOOSE_FEWEST_WAITING, /* trucks waiting, inside or to get in */
    TC_CHOOSE_MOST_ROOM,      /* capacity left (unlimited: the most) */
    TC_CHOOSE_SHORTEST_WAIT,  /* present / open servers x mean service of the class */
    TC_CHOOSE__COUNT
};

struct tc_route {
    enum tc_route_kind kind;
    uint32_t to;       /* FIXED: station index or TC_EXIT */
    uint32_t n;        /* PROB: branches; CHOOSE: stations */
    uint32_t *targets; /* PROB: station index or TC_EXIT; CHOOSE: distinct stations; owned */
    double *p;         /* PROB: probabilities, sum 1, owned */
    gsl_ran_discrete_t *table; /* PROB: owned */
    struct tc_route *by_class; /* CLASS: n_classes routes, owned */
    enum tc_choose_rule rule;  /* CHOOSE */
    bool *allowed;         /* CHOOSE: [c * n + k] class c may take targets[k]; NULL: all; owned */
    uint32_t divert_above; /* CHOOSE: leave when the best has more present; TC_UNLIMITED: never */
    double divert_above_wait; /* CHOOSE: leave when its expected wait is longer; INFINITY: never */
    struct tc_pos pos;
};

struct tc_failures {
    bool on;
    struct tc_dist up;   /* time to failure, per server, clock time */
    struct tc_dist down; /* repair time */
};

struct tc_station {
    char *name;
    uint32_t servers;        /* >= 1 or TC_UNLIMITED */
    uint32_t capacity;       /* >= servers, or TC_UNLIMITED */
    bool priority;           /* discipline: priority (else fifo) */
    bool release_priority;   /* release: priority (trucks leave it by class priority) */
    bool reject_when_full;   /* when_full: reject (else wait on the road) */
    struct tc_dist *service; /* n_classes entries (the same for all when not per class) */
    struct tc_route next;
    struct tc_window *open; /* NULL/0: always open */
    uint32_t n_open;
    uint32_t daily_limit;  /* service starts per day, TC_UNLIMITED if none */
    uint32_t *class_limit; /* per class starts per day (TC_UNLIMITED each), NULL if none */
    struct tc_failures failures;
    struct tc_pos pos;
};

struct tc_class {
    char *name;
    int64_t priority; /* lower first; default 0 */
    bool has_patience;
    struct tc_dist patience;
    double shelf_life; /* INFINITY when not given */
    double value;      /* cargo value, 0 when not given */
    struct tc_pos pos;
};

enum tc_source_kind { TC_SRC_RATE, TC_SRC_INTERARRIVAL, TC_SRC_TRACE };

struct tc_booking {
    bool on;
    double slot; /* slot length */
    uint32_t per_slot;
    bool has_punctuality;
    struct tc_dist punctuality; /* a deviation: normal here is NOT truncated */
    struct tc_window *open;     /* slots offered: those overlapping these; NULL/0: all */
    uint32_t n_open;
};

/* A shared booking pool (bookings:): streams naming it share its slots' quota. */
struct tc_pool {
    char *name;
    struct tc_booking b; /* b.on is true */
    struct tc_pos pos;
};

struct tc_source {
    char *name;              /* given or "arrivals[i]" */
    uint32_t class_id;       /* TC_NONE for a trace with a class column */
    uint32_t to;             /* entry station; with choose, the first of its stations */
    struct tc_route *choose; /* to: {choose: ...}, kind CHOOSE, owned; NULL: to alone */
    enum tc_source_kind kind;
    double rate_per_t;           /* RATE */
    struct tc_dist interarrival; /* INTERARRIVAL */
    char *trace_path;            /* TRACE: the CSV, made absolute (relative to the file's dir) */
    double *trace_t;             /* TRACE: sorted arrival times, owned */
    uint32_t *trace_class;       /* TRACE: per row, or NULL when class_id is set */
    size_t n_trace;
    bool has_hourly;
    double hourly[24]; /* multipliers; hour k covers [k:00, k+1:00) */
    double *daily;     /* multipliers by day, cycling; NULL if none */
    uint32_t n_daily;
    double t_start, t_end;     /* window; t_end INFINITY when open-ended */
    uint32_t batch;            /* trucks per arrival, >= 1 */
    struct tc_booking booking; /* on: booked; its other fields are unused with a pool */
    uint32_t pool;             /* booking: the pool in sc->pools, TC_NONE for an inline booking */
    struct tc_pos pos;
};

enum tc_sched_kind {
    TC_SCHED_CLOSE,
    TC_SCHED_REOPEN,
    TC_SCHED_SERVERS,
    TC_SCHED_DAILY_LIMIT,
    TC_SCHED_OPEN,
    TC_SCHED_NEXT,
    TC_SCHED_RATE_FACTOR,
    TC_SCHED_POOL_QUOTA, /* per_slot of a pool, for the slots starting at or after t */
    TC_SCHED_POOL_SLOT   /* slot length of a pool, from its first slot boundary at or after t */
};

/* One scheduled change; an event line with several keys becomes several. */
struct tc_sched {
    double t;
    enum tc_sched_kind kind;
    uint32_t station;       /* station kinds */
    uint32_t value;         /* SERVERS, DAILY_LIMIT (TC_UNLIMITED allowed) */
    uint32_t cls;           /* DAILY_LIMIT: the class whose limit changes, TC_NONE: the total */
    struct tc_window *open; /* OPEN, owned */
    uint32_t n_open;
    struct tc_route next; /* NEXT, owned */
    uint32_t *sources;    /* RATE_FACTOR: affected streams, owned */
    uint32_t n_sources;
    double factor; /* RATE_FACTOR, >= 0 */
    uint32_t pool; /* POOL_*: index in sc->pools, else TC_NONE */
    double slot;   /* POOL_SLOT: the new length, > 0 (POOL_QUOTA: value) */
    struct tc_pos pos;
};

/*
** costs: money per truck-hour in the network, per server-hour open and per
** truck lost; litres of fuel per truck-hour idling and CO2 per litre.
** All optional (on: a costs: section was given); per-class and
** per-station arrays hold 0 where nothing applies.
*/
struct tc_costs {
    bool on;
    char *currency;      /* a label, "" when not given */
    double *truck_hour;  /* n_classes: per hour in stations, on roads or booked waiting */
    double *server_hour; /* n_stations: per server-hour while counted open (finite servers) */
    double *spoiled;     /* n_classes: per spoiled load, on top of the class's value */
    double *abandoned;   /* n_classes: per truck that gave up */
    bool has_fuel;       /* idle_fuel_l_per_h given: fuel and CO2 are defined */
    double idle_fuel_l_per_h;
    double co2_kg_per_l; /* default TC_CO2_KG_PER_L_DIESEL */
};

/* kg of CO2 per litre of diesel: IPCC 2006 defaults, 74.1 t/TJ x 43.0 MJ/kg x 0.84 kg/l. */
#define TC_CO2_KG_PER_L_DIESEL 2.68

/*
** Trucks present at time 0 (initial:), in list order. A truck of age a
** arrived at -a: a has counted toward its patience and shelf life, and its
** time in system runs from -a.
*/
struct tc_initial {
    uint32_t station; /* where it is, or the entry station whose road it waits on */
    bool road;        /* on the road outside station (else in it) */
    uint32_t cls;
    uint32_t trucks; /* >= 1 */
    double age;      /* >= 0, in time_unit */
    struct tc_pos pos;
};

/*
** A backlog clearance time (clearance:): the first time at or after
** after_t at which the trucks in the network (stations and roads) are
** fewer than `below`, or than fraction x their peak since after_t.
*/
struct tc_clearance {
    char *name;     /* given or "clearance[i]" */
    double after_t; /* the moment: 0 (start), an event's end, or a time */
    bool fraction;  /* below is a fraction of the peak (else a count) */
    double below;   /* a count >= 1, or a fraction in (0, 1] */
    struct tc_pos pos;
};

/* One --set KEY=VALUE, as given on the command line. */
struct tc_override {
    const char *key;
    const char *value;
};

/* A value written {uncertain: DIST}: drawn once per replication (tc_scenario_draw). */
struct tc_uncertain {
    char *key;     /* its --set path, "stations.gate.service" */
    char unit[17]; /* appended to the drawn number ("/h"), or "" */
    struct tc_dist dist;
    struct tc_pos pos; /* the {uncertain} in the file */
};

/* What a scenario with uncertain values was loaded from, to load it again per replication. */
struct tc_scenario_source_text {
    char *text;
    size_t len;
    char *base_dir;          /* or NULL */
    struct tc_override *ovr; /* copies of the overrides */
    size_t n_ovr;
};

struct tc_scenario {
    char *name;
    char *path; /* the file it was loaded from */
    enum tc_time_unit time_unit;
    double horizon;        /* > 0 */
    double warmup;         /* 0 <= warmup < horizon */
    double sample_every;   /* > 0 */
    double truck_length_m; /* > 0, default 25 */
    uint32_t replications; /* >= 1 */
    uint64_t seed;
    /* start_date: t = 0 is this instant; times may then be written as dates */
    bool has_start_date;
    int64_t start_utc_s;      /* seconds since 1970-01-01T00:00Z */
    int32_t start_offset_min; /* its UTC offset, used to write dates back */
    struct tc_class *classes;
    uint32_t n_classes;
    struct tc_source *sources;
    uint32_t n_sources;
    struct tc_station *stations;
    uint32_t n_stations;
    struct tc_pool *pools; /* bookings:, in file order */
    uint32_t n_pools;
    struct tc_sched *sched; /* sorted by t, then file order */
    uint32_t n_sched;
    struct tc_costs costs;
    struct tc_initial *initial; /* trucks present at t = 0, list order */
    uint32_t n_initial;
    struct tc_clearance *clearance;
    uint32_t n_clearance;
    /* input uncertainty: each value is here at its mean; NULL/0 without */
    struct tc_uncertain *uncertain;
    uint32_t n_uncertain;
    struct tc_scenario_source_text *source; /* set when n_uncertain > 0 */
};

/*
** The stations trucks of source so may enter: to alone, or the members of
** its choice (a road is kept in front of each). Sets *n.
*/
static inline const uint32_t *tc_source_entries(const struct tc_source *so, uint32_t *n)
{
    if (so->choose != NULL) {
        *n = so->choose->n;
        return so->choose->targets;
    }
    *n = 1;
    return &so->to;
}

/*
** Loads and checks a scenario file, applying overrides first (their errors
** are reported as "--set:N"). Returns a new scenario (free with
** tc_scenario_free) or NULL when diags holds at least one error. Warnings
** (a network that cannot keep up) may be added on success.
*/
struct tc_scenario *tc_scenario_load(const char *path, const struct tc_override *ovr, size_t n_ovr,
                                     struct tc_diags *diags);

/* Same, from text in memory; name is used as the file name in diagnostics,
** and trace paths are resolved against base_dir (may be NULL: cwd). */
struct tc_scenario *tc_scenario_load_string(const char *text, size_t len, const char *name,
                                            const char *base_dir, const struct tc_override *ovr,
                                            size_t n_ovr, struct tc_diags *diags);

void tc_scenario_free(struct tc_scenario *sc);

/*
** The uncertain values of replication rep (0-based) into out
** (n_uncertain): input i from its own stream seeded from (seed, rep, i),
** so the same in every variant of the scenario.
*/
void tc_scenario_draw_inputs(const struct tc_scenario *sc, uint32_t rep, double *out);

/*
** Replication rep's scenario: sc loaded again with its uncertain values
** drawn (into drawn, n_uncertain, when not NULL). NULL after errors in
** diags (a drawn value the key refuses). Only when sc->n_uncertain > 0.
*/
struct tc_scenario *tc_scenario_draw(const struct tc_scenario *sc, uint32_t rep, double *drawn,
                                     struct tc_diags *diags);

/* Index of a station / class / source by name, or TC_NONE. */
uint32_t tc_scenario_station(const struct tc_scenario *sc, const char *name);
uint32_t tc_scenario_class(const struct tc_scenario *sc, const char *name);
uint32_t tc_scenario_source(const struct tc_scenario *sc, const char *name);
uint32_t tc_scenario_pool(const struct tc_scenario *sc, const char *name);

/*
** Writes the resolved scenario (defaults made explicit, overrides applied,
** every duration a bare number in time_unit) as YAML that loads back to the
** same scenario. Returns 0 or -errno.
*/
int tc_scenario_emit(const struct tc_scenario *sc, FILE *f);

#endif
