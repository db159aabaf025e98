/*
** engine: one replication of a scenario. It owns the clock, the event
** queue, the truck slab, its random streams and its statistics; it reads
** the scenario and the metric catalogue, which are shared and read-only,
** so replications can run on different threads. Memory grows with the
** trucks present at once, never with the trucks simulated; once the slab
** and the queue have grown to the peak, the event loop allocates nothing.
*/
#ifndef TCSIM_ENGINE_H
#define TCSIM_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcsim/metrics.h"
#include "tcsim/scenario.h"

struct tc_engine;

/* What one truck did, reported when it leaves the system (for --trace). */
enum tc_outcome {
    TC_OUT_SERVED,
    TC_OUT_ABANDONED,
    TC_OUT_REJECTED,
    TC_OUT_IN_SYSTEM,
    TC_OUT_DIVERTED /* its best choice was past divert_above or divert_above_wait */
};

/* Names of the outcomes as written in trucks.csv: "served", "abandoned", ... */
extern const char *const tc_outcome_names[5];

/* The times of a truck's visit to a station, in the order of st_times. */
enum tc_trace_slot { TC_TRACE_ARRIVE, TC_TRACE_START, TC_TRACE_LEAVE, TC_TRACE__COUNT };

/*
** One truck's life. st_times holds, per station, the times of its last
** visit, indexed by enum tc_trace_slot: arrive, start of service, leave
** (NaN where it did not get that far). Borrowed: valid only during the
** callback.
*/
struct tc_truck_record {
    uint64_t id;  /* 1, 2, ... in order of creation within the replication */
    uint32_t rep; /* 0-based */
    uint32_t cls;
    double t_arrive; /* on the road at the entry station */
    double t_exit;   /* NaN when still in the system at the horizon */
    enum tc_outcome outcome;
    /* ABANDONED: the station it waited at, or waited on the road for; REJECTED: the station
       that turned it away; otherwise TC_NONE */
    uint32_t where;
    bool where_road;        /* ABANDONED on the road in front of `where` */
    const double *st_times; /* n_stations x TC_TRACE__COUNT */
};

typedef void tc_engine_trace_fn(void *ud, const struct tc_truck_record *r);

/* How a station visit ended (visits.csv): left after service, gave up, still there. */
enum tc_visit_outcome { TC_VISIT_SERVED, TC_VISIT_ABANDONED, TC_VISIT_PRESENT };

/* Names as written in visits.csv: "served", "abandoned", "present_at_end". */
extern const char *const tc_visit_outcome_names[3];

/*
** One visit of a truck to a station, from admission to leaving: reported
** when it ends, and at the horizon for the visits still going on, so the
** reports of a replication come in the order of their ends.
*/
struct tc_visit_record {
    uint64_t truck; /* tc_truck_record.id */
    uint32_t rep;   /* 0-based */
    uint32_t cls;
    uint32_t station;
    uint32_t visit; /* 1, 2, ... the truck's visits to any station, in order */
    double arrive;  /* admitted (a truck waiting on the road is not yet in) */
    double start;   /* start of service; NaN if it never started */
    double leave;   /* NaN for TC_VISIT_PRESENT */
    enum tc_visit_outcome outcome;
};

typedef void tc_engine_visit_fn(void *ud, const struct tc_visit_record *v);

/*
** Creates replication rep (0-based) of sc. seeds holds this replication's
** stream seeds (tc_rng_plan_new, layout of tc_rng_layout_init), copied.
** Free with tc_engine_free.
*/
struct tc_engine *tc_engine_new(const struct tc_scenario *sc, const struct tc_metrics *m,
                                uint32_t rep, const uint32_t *seeds);
void tc_engine_free(struct tc_engine *e);

/*
** Calls fn for every truck when it leaves the system (served, abandoned,
** rejected) and, at the horizon, for every truck still in it. Costs
** TC_TRACE__COUNT doubles per station per truck present; set before
** tc_engine_run.
*/
void tc_engine_set_trace(struct tc_engine *e, tc_engine_trace_fn *fn, void *ud);

/*
** Calls fn for every station visit as it ends (see tc_visit_record). Costs
** two doubles per truck present; set before tc_engine_run.
*/
void tc_engine_set_visits(struct tc_engine *e, tc_engine_visit_fn *fn, void *ud);

/*
** Calls fn with each sample of the time series as it is taken, in order k =
** 0, 1, ... (t = k * sample_every): rows holds n_series x TC_TS__COUNT
** values (see runner.h), valid during the call. Set before tc_engine_run.
*/
/*
** Also samples, at every time-series sample k, per station the trucks
** present by class (n_classes values) then the trucks that left it since
** t = 0 (the warm-up ignored), then a row for the network (its trucks by
** class at stations and on roads, then 0): (n_stations + 1) x (n_classes
** + 1) doubles per sample into buf, n_samples samples
** (tc_metrics_n_samples). Costs a scan
** of the trucks per sample; for calibration. Set before tc_engine_run.
*/
void tc_engine_set_class_series(struct tc_engine *e, double *buf);

typedef void tc_engine_sample_fn(void *ud, uint32_t k, const double *rows);
void tc_engine_set_sampler(struct tc_engine *e, tc_engine_sample_fn *fn, void *ud);

/*
** Runs to the horizon. out_metrics gets m->n values (NaN where undefined);
** out_series, if not NULL, gets all n_samples x n_series x TC_TS__COUNT
** values at once (a sampler needs memory for one sample only). Call once.
*/
void tc_engine_run(struct tc_engine *e, double *out_metrics, double *out_series);

/* Why a replication ended. */
enum tc_engine_status {
    TC_ENGINE_DONE,        /* reached the horizon */
    TC_ENGINE_INTERRUPTED, /* its stop request (tc_engine_set_stop) was set */
    TC_ENGINE_TOO_MANY,    /* more trucks in the system than the limit */
    TC_ENGINE_STUCK        /* more events at one instant than TC_ENGINE_MAX_SAME_TIME allows */
};

/* The default most trucks in the system at once (about 1 GB of state). */
#define TC_ENGINE_MAX_TRUCKS 10000000u

/*
** Events at one instant that stop a replication as stuck: simulated time
** no longer advances (a route that loops back with service 0, say). The
** bound is this many plus 64 per truck present per station, so a legal
** crowd (a batch of 10,000 trucks through 100 stations with service 0)
** never reaches it; 10^7 events take about a second.
*/
#define TC_ENGINE_MAX_SAME_TIME 10000000u

/*
** The most trucks in the system at once, for all the replications of a run
** that run at the same time (zero-initialise, then tc_truck_budget_init).
** Engines reserve from it in chunks (TC_ENGINE_TRUCK_CHUNK) when their
** slab grows and give the chunks back when freed, so the limit bounds the
** memory of the run, not of each replication, and costs one atomic
** operation per chunk. It must outlive the engines given it.
*/
struct tc_truck_budget {
    atomic_size_t left;
};
#define TC_ENGINE_TRUCK_CHUNK 1024u
/* max_trucks 0 means TC_ENGINE_MAX_TRUCKS. */
static inline void tc_truck_budget_init(struct tc_truck_budget *b, size_t max_trucks)
{
    atomic_init(&b->left, max_trucks ? max_trucks : TC_ENGINE_MAX_TRUCKS);
}

/*
** A request to stop a run, one per run (zero-initialise it): every
** replication given it (tc_engine_set_stop, tc_runner_opts.stop) stops at
** its next event once it is set. Setting it is async-signal-safe, so a
** signal handler may do it, and any thread may.
*/
struct tc_stop {
    atomic_int requested;
};
static inline void tc_stop_request(struct tc_stop *s)
{
    atomic_store_explicit(&s->requested, 1, memory_order_relaxed);
}
static inline void tc_stop_clear(struct tc_stop *s)
{
    atomic_store_explicit(&s->requested, 0, memory_order_relaxed);
}
static inline bool tc_stop_requested(const struct tc_stop *s)
{
    return s && atomic_load_explicit(&s->requested, memory_order_relaxed);
}
/* The stop request this replication obeys (NULL: none, the default). Set before tc_engine_run. */
void tc_engine_set_stop(struct tc_engine *e, const struct tc_stop *stop);

/* Sets the most trucks in the system at once; 0 means TC_ENGINE_MAX_TRUCKS. */
void tc_engine_set_max_trucks(struct tc_engine *e, size_t max_trucks);
/* Draws the trucks from b, shared with other engines, instead. Set before tc_engine_run. */
void tc_engine_set_truck_budget(struct tc_engine *e, struct tc_truck_budget *b);

/* TC_ENGINE_STUCK: the station of the last event at that instant, or TC_NONE. */
uint32_t tc_engine_stuck_station(const struct tc_engine *e);

/* How the replication ended, and the simulated time when it stopped. */
enum tc_engine_status tc_engine_status(const struct tc_engine *e);
double tc_engine_stop_time(const struct tc_engine *e);

uint64_t tc_engine_n_events(const struct tc_engine *e);
uint64_t tc_engine_n_trucks(const struct tc_engine *e);
size_t tc_engine_peak_trucks(const struct tc_engine *e);

#endif
