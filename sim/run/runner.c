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

#include "base/xmem.h"
#include "engine/rng.h"
#include "tcsim/engine.h"

struct job {
    struct tc_run *run;
    const struct tc_scenario *sc;
    const uint32_t *seeds;
    uint32_t per_rep;
    atomic_uint next;
    pthread_mutex_t lock; /* totals and the progress callback */
    const struct tc_runner_opts *o;
    int *rep_err;                  /* per replication: hook errors, -EINTR, -EOVERFLOW, -ELOOP */
    double *rep_stop_t;            /* per replication: when it stopped early */
    uint32_t *rep_stop_st;         /* per replication: the station it got stuck at */
    struct tc_truck_budget trucks; /* shared by the replications running at once */
    atomic_int abort;              /* a replication failed: start no more */
};

/* Replication r's samples go straight to the run's series. */
struct sink {
    struct tc_series *series;
    uint32_t rep;
};

static void put_sample(void *ud, uint32_t k, const double *rows)
{
    struct sink *sk = ud;
    tc_series_put(sk->series, sk->rep, k, rows);
}

/*
** One replication: the engine, the hooks around it, how it ended. Its
** series goes to out_series (all at once) or, when NULL, to series as it is
** sampled. Returns the first hook error.
*/
static int run_rep(const struct tc_scenario *sc, const struct tc_metrics *m, uint32_t r,
                   const uint32_t *seeds, const struct tc_runner_opts *o,
                   struct tc_truck_budget *trucks, double *out_values, double *out_series,
                   struct tc_series *series, struct tc_rep_info *out_info)
{
    int err = 0;
    struct tc_scenario *drawn = NULL;
    if (sc->n_uncertain > 0) {
        /* input uncertainty: this replication's own values, loaded once per replication */
        struct tc_diags d;
        tc_diags_init(&d);
        drawn = tc_scenario_draw(sc, r, NULL, &d);
        tc_diags_fini(&d);
        if (drawn == NULL) {
            *out_info = (struct tc_rep_info){.status = (int)TC_ENGINE_DONE};
            return -EDOM;
        }
        sc = drawn;
    }
    struct tc_engine *e = tc_engine_new(sc, m, r, seeds);
    tc_engine_set_truck_budget(e, trucks);
    tc_engine_set_stop(e, o->stop);
    struct sink sk = {series, r};
    if (series)
        tc_engine_set_sampler(e, put_sample, &sk);
    if (o->before_rep)
        err = o->before_rep(o->hook_ud, e, r);
    tc_engine_run(e, out_values, out_series);
    if (o->after_rep) {
        int err2 = o->after_rep(o->hook_ud, e, r);
        if (!err)
            err = err2;
    }
    *out_info = (struct tc_rep_info){.n_events = tc_engine_n_events(e),
                                     .n_trucks = tc_engine_n_trucks(e),
                                     .peak_trucks = tc_engine_peak_trucks(e),
                                     .status = (int)tc_engine_status(e),
                                     .stop_t = tc_engine_stop_time(e),
                                     .stop_station = tc_engine_stuck_station(e)};
    tc_engine_free(e);
    tc_scenario_free(drawn);
    if (series)
        tc_series_end_rep(series, r);
    return err;
}

void tc_runner_run_rep(const struct tc_scenario *sc, const struct tc_metrics *m, uint32_t rep,
                       const uint32_t *seeds, struct tc_truck_budget *trucks,
                       const struct tc_stop *stop, double *out_values, double *out_series,
                       struct tc_rep_info *out_info)
{
    struct tc_runner_opts o = {.stop = stop};
    struct tc_truck_budget own; /* none given: the default limit, for this replication alone */
    if (!trucks) {
        tc_truck_budget_init(&own, 0);
        trucks = &own;
    }
    run_rep(sc, m, rep, seeds, &o, trucks, out_values, out_series, NULL, out_info);
}

int tc_rep_status_err(int status)
{
    return status == TC_ENGINE_DONE          ? 0
           : status == TC_ENGINE_INTERRUPTED ? -EINTR
           : status == TC_ENGINE_STUCK       ? -ELOOP
                                             : -EOVERFLOW;
}

void tc_run_add_rep(struct tc_run *run, const struct tc_rep_info *info)
{
    run->n_events += info->n_events;
    run->n_trucks += info->n_trucks;
    if (info->peak_trucks > run->peak_trucks)
        run->peak_trucks = (size_t)info->peak_trucks;
    if (info->status == TC_ENGINE_DONE)
        run->n_done++;
}

static void *worker(void *arg)
{
    struct job *j = arg;
    struct tc_run *run = j->run;
    for (;;) {
        uint32_t r = atomic_fetch_add(&j->next, 1);
        if (r >= run->n_reps || atomic_load(&j->abort))
            break;
        struct tc_rep_info info;
        j->rep_err[r] =
            run_rep(j->sc, &run->metrics, r, j->seeds + (size_t)r * j->per_rep, j->o, &j->trucks,
                    run->values + (size_t)r * run->metrics.n, NULL, run->series, &info);
        if (info.status != TC_ENGINE_DONE) {
            j->rep_err[r] = tc_rep_status_err(info.status);
            j->rep_stop_t[r] = info.stop_t;
            j->rep_stop_st[r] = info.stop_station;
            atomic_store(&j->abort, 1);
        }
        pthread_mutex_lock(&j->lock);
        tc_run_add_rep(run, &info);
        if (info.status == TC_ENGINE_DONE && j->o->progress)
            j->o->progress(j->o->ud, run->n_done, run->n_reps);
        pthread_mutex_unlock(&j->lock);
    }
    return NULL;
}

int tc_runner_run(struct tc_run *run, const struct tc_scenario *sc, uint32_t n_threads,
                  tc_runner_progress_fn *progress, void *ud)
{
    struct tc_runner_opts o = {.n_threads = n_threads, .progress = progress, .ud = ud};
    return tc_runner_run_opts(run, sc, &o);
}

void tc_run_init(struct tc_run *run, const struct tc_scenario *sc)
{
    memset(run, 0, sizeof(*run));
    run->sc = sc;
    tc_metrics_init(&run->metrics, sc);
    run->n_reps = sc->replications;
    run->n_samples = tc_metrics_n_samples(sc);
    run->n_series = sc->n_stations + run->metrics.n_roads;
    run->values = tc_xcalloc((size_t)run->n_reps * run->metrics.n, sizeof(double));
    run->stats = tc_xcalloc(run->metrics.n, sizeof(*run->stats));
    run->series = tc_series_new(sc, &run->metrics, run->n_reps);
    run->stop_station = TC_NONE;
}

int tc_run_finish(struct tc_run *run, const int *rep_err, const double *rep_stop_t)
{
    /* the first failure in replication order, whatever the thread timing */
    int err = 0;
    for (uint32_t r = 0; r < run->n_reps && !err; r++)
        if ((err = rep_err[r]) != 0) {
            run->status = err == -EINTR       ? TC_ENGINE_INTERRUPTED
                          : err == -EOVERFLOW ? TC_ENGINE_TOO_MANY
                          : err == -ELOOP     ? TC_ENGINE_STUCK
                                              : TC_ENGINE_DONE;
            run->stop_rep = r;
            run->stop_t = rep_stop_t[r];
        }
    for (size_t i = 0; i < run->metrics.n; i++)
        tc_stat_reduce(run->values + i, run->n_reps, run->metrics.n, &run->stats[i]);
    return err;
}

int tc_runner_run_opts(struct tc_run *run, const struct tc_scenario *sc,
                       const struct tc_runner_opts *opts)
{
    uint32_t n_threads = opts->n_threads;
    tc_run_init(run, sc);

    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, sc->seed, run->n_reps);
    struct job j = {.run = run,
                    .sc = sc,
                    .seeds = seeds,
                    .per_rep = lay.base[TC_STREAM__COUNT],
                    .o = opts,
                    .rep_err = tc_xcalloc(run->n_reps, sizeof(int)),
                    .rep_stop_t = tc_xcalloc(run->n_reps, sizeof(double)),
                    .rep_stop_st = tc_xcalloc(run->n_reps, sizeof(uint32_t))};
    tc_truck_budget_init(&j.trucks, opts->max_trucks);
    atomic_init(&j.next, 0);
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
    int err = tc_run_finish(run, j.rep_err, j.rep_stop_t);
    if (err == -ELOOP)
        run->stop_station = j.rep_stop_st[run->stop_rep];
    free(j.rep_stop_st);
    free(j.rep_err);
    free(j.rep_stop_t);
    return err;
}

void tc_run_fini(struct tc_run *run)
{
    if (!run)
        return;
    tc_metrics_fini(&run->metrics);
    free(run->values);
    free(run->stats);
    tc_series_free(run->series);
    memset(run, 0, sizeof(*run));
}
