/*
** mpi: replications and sweep variants spread over MPI processes (built
** with -Dmpi=enabled; sim/mpi.c). Rank 0 runs the command line and hands
** out work items, one replication of one variant, to whoever asks next:
** its own -j threads and the other ranks, which only compute
** (tc_mpi_serve). Values come back as raw doubles into the slot of their
** replication and the time series as the CSV rows it would have been
** written as; rank 0 reduces with the runner's own code (tc_run_finish),
** so every output is the same bytes as a single-process run for any number
** of ranks. Costs per item: one request, one reply, the values (8 bytes a
** number) and the series text (about 40 bytes a row) to rank 0.
** Without MPI (TC_HAVE_MPI undefined) every function is an inline stub of a
** single process: rank 0 of 1, so callers need no #if.
*/
#ifndef TCSIM_MPI_H
#define TCSIM_MPI_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "tcsim/runner.h"
#include "tcsim/scenario.h"

/* A distributed job: variants 0..n_variants-1 of one scenario file, each with its replications. */
struct tc_mpi_job {
    const char *path; /* the scenario file; every rank loads it from this path */
    uint32_t n_variants;
    size_t n_overrides; /* per variant */
    /* Fills out[0..n_overrides-1] with variant v's overrides (borrowed strings). */
    void (*overrides)(void *ud, uint32_t v, struct tc_override *out);
    /* Optional: variant v's name for messages, a new string (free()). */
    char *(*name)(void *ud, uint32_t v);
    /*
    ** Optional: variant v's first replication wanted (default 0): only
    ** replications first..replications-1 run, with their own streams, and
    ** tc_mpi_next's run has values in those slots only (the others 0, its
    ** reduction meaningless). For `tcsim optimize`, whose rounds ask for
    ** replications r.. of a candidate.
    */
    uint32_t (*first_rep)(void *ud, uint32_t v);
    void *ud;
    uint32_t n_threads; /* compute threads per rank, as -j */
    size_t max_trucks;  /* as tc_runner_opts, for each rank's threads together; 0: the default */
};

/* A job under way (rank 0). */
struct tc_mpi;

#ifdef TC_HAVE_MPI

/*
** Initialises MPI (MPI_THREAD_SERIALIZED, errors returned, not fatal) when
** the process was started by an MPI launcher (mpirun, mpiexec, srun
** --mpi=...; TCSIM_MPI=1 forces it, TCSIM_MPI=0 prevents it), since a
** lone MPI_Init costs most of a second. Returns 0, or -1 when MPI refused
** (then tcsim runs alone).
*/
int tc_mpi_init(int *argc, char ***argv);

/*
** Rank 0: releases the other ranks and finalises MPI; after a job that
** ended abnormally (a rank failed, a signal) it calls MPI_Abort(rc)
** instead, as a dead rank cannot take part in a clean shutdown. Other
** ranks just finalise. Returns rc.
*/
int tc_mpi_finalize(int rc);

/* This process's rank and the number of processes. */
int tc_mpi_rank(void);
int tc_mpi_size(void);

/* Ranks > 0: compute what rank 0 hands out until it releases them. Returns an exit code. */
int tc_mpi_serve(void);

/*
** Rank 0 (with tc_mpi_size() > 1): starts job over every rank. From now on
** items are handed out, in variant order, to rank 0's own n_threads threads
** and to every other rank as they ask, a bounded number of variants ahead
** of the one tc_mpi_next waits for. SIGINT and SIGTERM stop it (-EINTR).
** job (and what it points to) must outlive the handle. Free with tc_mpi_stop.
*/
struct tc_mpi *tc_mpi_start(const struct tc_mpi_job *job);

/*
** Waits for variant v (call for v = 0, 1, ... in order) and fills run as
** tc_runner_run_opts would for sc, v's scenario as the caller loaded it
** (run->sc = sc): the same values, series, totals and stats. ro gives the
** progress callback (called on this thread for v's replications); its
** other fields are the job's. Returns what tc_runner_run_opts would (0,
** -EINTR, -EOVERFLOW), or -EREMOTEIO when a rank failed, an item timed out
** (TCSIM_MPI_TIMEOUT seconds, if set) or MPI reported an error:
** tc_mpi_message says which rank, variant and replication. After an error,
** run holds v's shape and n_done only; tc_run_fini it as usual.
*/
int tc_mpi_next(struct tc_mpi *m, uint32_t v, const struct tc_scenario *sc,
                const struct tc_runner_opts *ro, struct tc_run *run);

/* What stopped the job, for the user ("rank 2 failed on ..."), or "". */
const char *tc_mpi_message(const struct tc_mpi *m);

/*
** Ends the job: hands out nothing more and waits for what is out, unless a
** rank failed or a signal came (then tc_mpi_finalize aborts the job).
** Returns 0, -EINTR or -EREMOTEIO, as the job ended. Accepts NULL.
*/
int tc_mpi_stop(struct tc_mpi *m);

#else
/* Without MPI: one process, rank 0 of 1; tc_mpi_start is never reached. */
static inline int tc_mpi_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}
static inline int tc_mpi_finalize(int rc)
{
    return rc;
}
static inline int tc_mpi_rank(void)
{
    return 0;
}
static inline int tc_mpi_size(void)
{
    return 1;
}
static inline int tc_mpi_serve(void)
{
    return 0;
}
static inline struct tc_mpi *tc_mpi_start(const struct tc_mpi_job *job)
{
    (void)job;
    return NULL;
}
static inline int tc_mpi_next(struct tc_mpi *m, uint32_t v, const struct tc_scenario *sc,
                              const struct tc_runner_opts *ro, struct tc_run *run)
{
    (void)m;
    (void)v;
    (void)sc;
    (void)ro;
    (void)run;
    return -ENOSYS;
}
static inline const char *tc_mpi_message(const struct tc_mpi *m)
{
    (void)m;
    return "";
}
static inline int tc_mpi_stop(struct tc_mpi *m)
{
    (void)m;
    return 0;
}
#endif

#endif
