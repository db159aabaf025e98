/*
** runner: replications on threads. Workers take the next replication
** number from an atomic counter and write into that replication's slots
** only; the reduction then reads the slots in replication order. So the
** results are the same bytes for any thread count, and a slow replication
** never holds up the others (dynamic assignment, not blocks).
*/
#include "tcsim/runner.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "tcsim/engine.h"
#include "tcsim/rng.h"
#include "tcsim/xmem.h"

struct job {
    struct tc_run *run;
    const struct tc_scenario *sc;
    const uint32_t *seeds;
    uint32_t per_rep;
    atomic_uint next;
    atomic_uint done;
    pthread_mutex_t lock; /* totals and the progress callback */
    const struct tc_runner_opts *o;
    int *rep_err;       /* per replication: hook errors, -EINTR, -EOVERFLOW */
    double *rep_stop_t; /* per replication: when it stopped early */
    atomic_int abort;   /* a replication failed: start no more */
};

static void *worker(void *arg)
{
    struct job *j = arg;
    struct tc_run *run = j->run;
    size_t series_len = (size_t)run->n_samples * run->n_series * TC_TS__COUNT;
    for (;;) {
        uint32_t r = atomic_fetch_add(&j->next, 1);
        if (r >= run->n_reps || atomic_load(&j->abort))
            break;
        struct tc_engine *e =
            tc_engine_new(j->sc, &run->metrics, r, j->seeds + (size_t)r * j->per_rep);
        tc_engine_set_max_trucks(e, j->o->max_trucks);
        if (j->o->before_rep)
            j->rep_err[r] = j->o->before_rep(j->o->hook_ud, e, r);
        tc_engine_run(e, run->values + (size_t)r * run->metrics.n,
                      run->series + (size_t)r * series_len);
        if (j->o->after_rep) {
            int err = j->o->after_rep(j->o->hook_ud, e, r);
            if (!j->rep_err[r])
                j->rep_err[r] = err;
        }
        enum tc_engine_status st = tc_engine_status(e);
        if (st != TC_ENGINE_DONE) {
            j->rep_err[r] = st == TC_ENGINE_INTERRUPTED ? -EINTR : -EOVERFLOW;
            j->rep_stop_t[r] = tc_engine_stop_time(e);
            atomic_store(&j->abort, 1);
        }
        pthread_mutex_lock(&j->lock);
        run->n_events += tc_engine_n_events(e);
        run->n_trucks += tc_engine_n_trucks(e);
        if (tc_engine_peak_trucks(e) > run->peak_trucks)
            run->peak_trucks = tc_engine_peak_trucks(e);
        if (st == TC_ENGINE_DONE) {
            uint32_t done = atomic_fetch_add(&j->done, 1) + 1;
            if (j->o->progress)
                j->o->progress(j->o->ud, done, run->n_reps);
        }
        pthread_mutex_unlock(&j->lock);
        tc_engine_free(e);
    }
    return NULL;
}

int tc_runner_run(struct tc_run *run, const struct tc_scenario *sc, uint32_t n_threads,
                  tc_runner_progress_fn *progress, void *ud)
{
    struct tc_runner_opts o = {.n_threads = n_threads, .progress = progress, .ud = ud};
    return tc_runner_run_opts(run, sc, &o);
}

int tc_runner_run_opts(struct tc_run *run, const struct tc_scenario *sc,
                       const struct tc_runner_opts *opts)
{
    uint32_t n_threads = opts->n_threads;
    memset(run, 0, sizeof(*run));
    run->sc = sc;
    tc_metrics_init(&run->metrics, sc);
    run->n_reps = sc->replications;
    run->n_samples = tc_engine_n_samples(sc);
    run->n_series = sc->n_stations + run->metrics.n_roads;
    run->values = tc_xcalloc((size_t)run->n_reps * run->metrics.n, sizeof(double));
    run->stats = tc_xcalloc(run->metrics.n, sizeof(*run->stats));
    run->series = tc_xcalloc((size_t)run->n_reps * run->n_samples * run->n_series * TC_TS__COUNT,
                             sizeof(double));

    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, sc->seed, run->n_reps);
    struct job j = {.run = run,
                    .sc = sc,
                    .seeds = seeds,
                    .per_rep = lay.base[TC_STREAM__COUNT],
                    .o = opts,
                    .rep_err = tc_xcalloc(run->n_reps, sizeof(int)),
                    .rep_stop_t = tc_xcalloc(run->n_reps, sizeof(double))};
    atomic_init(&j.next, 0);
    atomic_init(&j.done, 0);
    atomic_init(&j.abort, 0);
    pthread_mutex_init(&j.lock, NULL);

    if (n_threads > run->n_reps)
        n_threads = run->n_reps;
    if (n_threads <= 1) {
        worker(&j);
    } else {
        /* If the system refuses some threads, the ones started do all the work. */
        pthread_t *th = tc_xcalloc(n_threads, sizeof(*th));
        uint32_t started = 0;
        while (started < n_threads && pthread_create(&th[started], NULL, worker, &j) == 0)
            started++;
        if (started == 0)
            worker(&j);
        for (uint32_t i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        free(th);
    }
    pthread_mutex_destroy(&j.lock);
    free(seeds);
    /* the first failure in replication order, whatever the thread timing */
    int err = 0;
    for (uint32_t r = 0; r < run->n_reps && !err; r++)
        if ((err = j.rep_err[r]) != 0) {
            run->status = err == -EINTR       ? TC_ENGINE_INTERRUPTED
                          : err == -EOVERFLOW ? TC_ENGINE_TOO_MANY
                                              : TC_ENGINE_DONE;
            run->stop_rep = r;
            run->stop_t = j.rep_stop_t[r];
        }
    run->n_done = atomic_load(&j.done);
    free(j.rep_err);
    free(j.rep_stop_t);
    for (size_t i = 0; i < run->metrics.n; i++)
        tc_stat_reduce(run->values + i, run->n_reps, run->metrics.n, &run->stats[i]);
    return err;
}

void tc_run_fini(struct tc_run *run)
{
    if (!run)
        return;
    tc_metrics_fini(&run->metrics);
    free(run->values);
    free(run->stats);
    free(run->series);
    memset(run, 0, sizeof(*run));
}
