/*
** output: the files of a run (README.md) and the stdout table, from a finished
** tc_run. Every number goes through jsonw's C-locale formatter, so outputs
** are byte-identical for the same run whatever the locale or thread count.
** Each writer returns 0 or -errno (from the stream).
*/
#ifndef TCSIM_OUTPUT_H
#define TCSIM_OUTPUT_H

#include <stdio.h>

#include "tcsim/afile.h"
#include "tcsim/runner.h"

/* summary.json: one object, as README.md describes it. */
int tc_output_summary_json(const struct tc_run *run, FILE *f);
/*
** summary.csv: header scope,name,class,metric,mean,ci95,min,max,n,unit,path;
** one row a metric. n: the replications with a value (mean, ci95, min and
** max are over those); unit from tc_metric_unit; path from tc_metric_path.
*/
int tc_output_summary_csv(const struct tc_run *run, FILE *f);
/*
** replications.csv: header rep,scope,name,class,metric,value; one row per
** replication (0-based) and metric, in summary.csv's order, value empty
** where the metric was undefined in that replication.
*/
int tc_output_replications_csv(const struct tc_run *run, FILE *f);
/* timeseries.csv: rep,t,station,present,waiting,busy,blocked (+ road:<entry> rows). */
int tc_output_timeseries_csv(const struct tc_run *run, FILE *f);
/* The readable summary table printed by `tcsim run`. */
int tc_output_table(const struct tc_run *run, FILE *f);

/*
** The completion marker, written last: {"tcsim", "scenario", "seed",
** "replications", "files": [the other files of the set]}. It is removed
** before the first file of a new set is renamed, so it exists only beside
** a complete set.
*/
#define TC_OUTPUT_MARKER "complete.json"

/*
** Writes summary.json, summary.csv, replications.csv, timeseries.csv and
** scenario.yaml into dir as one atomic batch (afile), then complete.json. Returns 0 or
** -errno, *out_failed naming the path that failed.
*/
int tc_output_write_all(const struct tc_run *run, const char *dir, const char **out_failed);

/*
** The same batch plus up to 4 extra files (e.g. trucks.csv), committed
** together, with afile's hooks of opts (may be NULL; its marker is set).
*/
int tc_output_write_all_with(const struct tc_run *run, const char *dir,
                             const struct tc_afile_item *extra, size_t n_extra,
                             const struct tc_afile_opts *opts, const char **out_failed);

/* ---- a whole sweep (sweep.h holds its variants), as `tcsim sweep` runs it ---- */

struct tc_sweep;
struct tc_override;
struct tc_diags;

/*
** Loads every variant of sw (path with base overrides, then the axes'),
** calling fn for each variant that has diagnostics (errors or warnings;
** fn may be NULL). Returns the number of variants that failed to load;
** *out_reps (may be NULL) gets the replications of all variants.
*/
typedef void tc_sweep_diag_fn(void *ud, uint32_t v, const struct tc_diags *diags);
uint32_t tc_sweep_check(const struct tc_sweep *sw, const char *path, const struct tc_override *base,
                        size_t n_base, tc_sweep_diag_fn *fn, void *ud, uint64_t *out_reps);

/* How tc_sweep_run runs; zero-initialise, every field optional. */
struct tc_sweep_hooks {
    struct tc_runner_opts runner;       /* each variant's run: threads, stop, max_trucks... */
    const struct tc_afile_opts *commit; /* each variant's outputs (afile.h); NULL: plain */
    /* Runs variant v instead of tc_runner_run_opts (e.g. over MPI ranks); same contract. */
    int (*run)(void *ud, uint32_t v, const struct tc_scenario *sc, const struct tc_runner_opts *ro,
               struct tc_run *run);
    /* Around each variant's run (progress). */
    void (*begin)(void *ud, uint32_t v, const char *name, const struct tc_scenario *sc);
    void (*end)(void *ud, uint32_t v, const struct tc_run *run);
    void *ud;
};

/* Where and why a sweep stopped. */
struct tc_sweep_status {
    int err;           /* as tc_sweep_run returns */
    uint32_t variant;  /* the variant it was in (the last one when err is 0) */
    char failed[1024]; /* the path that could not be written or locked, or "" */
    uint32_t stop_rep; /* -EOVERFLOW and friends: the replication that stopped early */
    double stop_t;     /* and when, in time_unit */
    enum tc_time_unit time_unit;
    char stop_station[256]; /* -ELOOP: the station that loops, or "" */
    uint64_t n_trucks;      /* trucks simulated, over the variants run */
};

/*
** Runs every variant of sw in order and commits its outputs to
** dir/<variant name>/ (locked while written), storing its KPIs in sw.
** Call tc_sweep_check first. Returns 0; a run's error (-EINTR when the stop
** request was set, -EOVERFLOW, a hook's); -EWOULDBLOCK when a variant's
** directory is being written by another process, -errno when it cannot be
** written (st->failed names the path); -EXDEV when a variant has other
** stations, classes or roads than the first; -ESTALE when a variant no
** longer loads (the file changed). Variants before st->variant are
** complete on disk. -ELOOP: a replication stuck at one instant (stop_station).
*/
int tc_sweep_run(struct tc_sweep *sw, const char *path, const struct tc_override *base,
                 size_t n_base, const char *dir, const struct tc_sweep_hooks *hooks,
                 struct tc_sweep_status *st);

/* sweep.csv into dir, atomically, with afile's options co (may be NULL). 0 or -errno. */
int tc_sweep_commit(const struct tc_sweep *sw, const char *dir, const struct tc_afile_opts *co,
                    const char **out_failed);

#endif
