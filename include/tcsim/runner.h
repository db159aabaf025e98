/*
** runner: runs a scenario's replications (on n_threads threads; each
** replication fills its own slot, so results do not depend on the thread
** count) and reduces them across replications: mean, ci95 (Student t),
** min, max of each metric. A tc_run owns everything the writers need.
*/
#ifndef TCSIM_RUNNER_H
#define TCSIM_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "tcsim/metrics.h"
#include "tcsim/scenario.h"
#include "tcsim/series.h"

/* One metric across replications. n counts the replications where it was defined. */
struct tc_stat {
    double mean, ci95, min, max; /* NaN when n == 0; ci95 also NaN when n == 1 */
    uint32_t n;
};

struct tc_run {
    const struct tc_scenario *sc; /* borrowed */
    struct tc_metrics metrics;
    uint32_t n_reps;
    double *values;           /* n_reps x metrics.n, per-replication values, owned */
    struct tc_stat *stats;    /* metrics.n, owned */
    uint32_t n_samples;       /* samples at t = k * sample_every, k = 0..n_samples-1 */
    uint32_t n_series;        /* rows per sample: n_stations, then one per road */
    struct tc_series *series; /* the time series of every replication (series.h), owned */
    uint64_t n_events;        /* over all replications */
    uint64_t n_trucks;        /* trucks generated, over all replications */
    size_t peak_trucks;       /* most trucks alive at once in any replication */
    int status;               /* enum tc_engine_status of the first replication stopped early */
    uint32_t stop_rep;        /* that replication (0-based) */
    double stop_t;            /* and the simulated time when it stopped */
    uint32_t stop_station;    /* TC_ENGINE_STUCK: the station that loops, or TC_NONE */
    uint32_t n_done;          /* replications run to their end */
};

/* Called after each replication ends, from the thread that ran it; may be NULL. */
typedef void tc_runner_progress_fn(void *ud, uint32_t n_done, uint32_t n_reps);

/*
** Runs sc->replications replications on n_threads threads (0 or 1: the
** calling thread) and fills run. Returns 0. If threads cannot be created
** the work runs on those that could, or on the calling thread.
*/
int tc_runner_run(struct tc_run *run, const struct tc_scenario *sc, uint32_t n_threads,
                  tc_runner_progress_fn *progress, void *ud);

struct tc_engine;
struct tc_stop;

/* Options of tc_runner_run_opts; zero-initialise and set what you need. */
struct tc_runner_opts {
    uint32_t n_threads;              /* 0 or 1: the calling thread */
    tc_runner_progress_fn *progress; /* may be NULL */
    void *ud;
    /* Called on the worker thread before and after each replication runs
       (e.g. to attach a per-replication trace); nonzero from either makes
       tc_runner_run_opts return the first such value (in replication order). */
    int (*before_rep)(void *ud, struct tc_engine *e, uint32_t rep);
    int (*after_rep)(void *ud, struct tc_engine *e, uint32_t rep);
    void *hook_ud;
    size_t max_trucks;          /* most trucks in the system at once, all replications running
                                   together (engine.h, tc_truck_budget); 0: TC_ENGINE_MAX_TRUCKS */
    const struct tc_stop *stop; /* this run's stop request (engine.h); NULL: none */
};

/*
** As tc_runner_run, with options. Returns 0; the first hook error; -EINTR
** when opts->stop was set (a signal, say); -EOVERFLOW when the
** replications running exceeded max_trucks; -ELOOP when a replication got
** stuck at one instant (TC_ENGINE_STUCK; run->stop_rep, stop_t and
** stop_station say where); -EDOM when a replication's draws of the
** {uncertain} values do not load (run->stop_rep; tc_scenario_draw says why).
** After an error the run's values are incomplete: write nothing.
*/
int tc_runner_run_opts(struct tc_run *run, const struct tc_scenario *sc,
                       const struct tc_runner_opts *opts);

void tc_run_fini(struct tc_run *run);

/*
** The pieces of tc_runner_run_opts, for a run whose replications are
** computed elsewhere (mpi.h): size the run, run single replications into
** buffers, add them in, and finish with the same reduction.
*/

/* What one replication did besides its values. */
struct tc_rep_info {
    uint64_t n_events, n_trucks, peak_trucks;
    int status;            /* enum tc_engine_status */
    double stop_t;         /* the simulated time when it stopped early */
    uint32_t stop_station; /* TC_ENGINE_STUCK: tc_engine_stuck_station */
};

/* Sizes run for sc as tc_runner_run_opts does, every value 0. Free with tc_run_fini. */
void tc_run_init(struct tc_run *run, const struct tc_scenario *sc);

/* Doubles of one replication's series as tc_runner_run_rep gives them:
** n_samples x n_series x TC_TS__COUNT. */
static inline size_t tc_run_series_len(const struct tc_run *run)
{
    return (size_t)run->n_samples * run->n_series * TC_TS__COUNT;
}

/*
** Runs replication rep of sc (seeds: its stream seeds from tc_rng_plan_new)
** into out_values (m->n) and out_series (tc_run_series_len); out_info says
** how it ended. Its trucks come from trucks, shared with the replications
** running beside it (tc_truck_budget in engine.h; NULL: the default limit
** for this replication alone). No hooks, no progress: the bare replication.
*/
struct tc_truck_budget;
void tc_runner_run_rep(const struct tc_scenario *sc, const struct tc_metrics *m, uint32_t rep,
                       const uint32_t *seeds, struct tc_truck_budget *trucks,
                       const struct tc_stop *stop, double *out_values, double *out_series,
                       struct tc_rep_info *out_info);

/* The error of a replication that ended so (enum tc_engine_status): 0, -EINTR, -EOVERFLOW, -ELOOP.
 */
int tc_rep_status_err(int status);

/* Adds a replication's counts to run's totals (n_done when it reached its end). */
void tc_run_add_rep(struct tc_run *run, const struct tc_rep_info *info);

/*
** Ends a run: status, stop_rep and stop_t from the first replication, in
** replication order, whose rep_err is nonzero (0, a hook error, -EINTR or
** -EOVERFLOW or -ELOOP per replication; rep_stop_t its stop time), then the stats.
** Returns that replication's error, or 0.
*/
int tc_run_finish(struct tc_run *run, const int *rep_err, const double *rep_stop_t);

/* The value of metric i in replication r. */
static inline double tc_run_value(const struct tc_run *run, uint32_t r, size_t i)
{
    return run->values[(size_t)r * run->metrics.n + i];
}

/*
** Reduces n values (stride apart; NaN values skipped) to mean, ci95 =
** t_{0.975, n-1} * s / sqrt(n), min and max. With one defined value there
** is no interval: ci95 is NaN ("no interval", null in summary.json, empty
** in summary.csv), never 0, which would claim an exact value.
*/
void tc_stat_reduce(const double *v, size_t n, size_t stride, struct tc_stat *out);

#endif
