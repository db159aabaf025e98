/*
** mpi_worker: ranks > 0 compute items for rank 0 (the protocol is in mpi.c).
*/
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <mpi.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/xmem.h"
#include "engine/rng.h"
#include "mpi/mpi.h"
#include "mpi/mpi_int.h"
#include "tcsim/diag.h"
#include "tcsim/engine.h"
#include "tcsim/metrics.h"

/* ==== Workers (ranks > 0) ==== */

/* The variant a worker thread holds: loaded once, used for each of its items. */
struct wvar {
    uint64_t held; /* v + 1; 0: none */
    struct tc_scenario *sc;
    struct tc_metrics m;
    uint32_t *seeds, per_rep;
    double *msg;           /* a request: the header, then the values, then the series */
    size_t n_series;       /* doubles of one replication's series */
    struct tc_series *fmt; /* formats the series here, so that rank 0 only copies text */
};

static void wvar_fini(struct wvar *w)
{
    if (w->sc)
        tc_metrics_fini(&w->m);
    tc_scenario_free(w->sc);
    free(w->seeds);
    free(w->msg);
    tc_series_free(w->fmt);
    memset(w, 0, sizeof(*w));
}

/* Loads variant v from its description; false with why filled when it does not load. */
static bool wvar_load(struct wvar *w, uint32_t v, const char *desc, size_t len, char *why,
                      size_t why_len)
{
    wvar_fini(w);
    if (!(w->sc = tc_mpi_load_desc(desc, len, why, why_len)))
        return false;
    /* the shapes of tc_run_init; rank 0 checks the counts it receives */
    tc_metrics_init(&w->m, w->sc);
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, w->sc);
    w->seeds = tc_rng_plan_new(&lay, w->sc->seed, w->sc->replications);
    w->per_rep = lay.base[TC_STREAM__COUNT];
    w->n_series =
        (size_t)tc_metrics_n_samples(w->sc) * (w->sc->n_stations + w->m.n_roads) * TC_TS__COUNT;
    if (w->n_series > INT32_MAX - H__N - w->m.n) {
        snprintf(why, why_len, "a replication's series has more than 2^31 numbers");
        return false;
    }
    w->msg = tc_xcalloc(H__N + w->m.n + w->n_series, sizeof(double));
    w->fmt = tc_series_new(w->sc, &w->m, w->sc->replications);
    w->held = (uint64_t)v + 1;
    return true;
}

struct wjob {
    pthread_mutex_t lock;          /* one exchange with rank 0 at a time */
    struct tc_truck_budget trucks; /* this rank's, for the threads running together */
    int test_fail, test_crash;     /* TCSIM_MPI_TEST_FAIL / _CRASH name this rank */
    bool failed;                   /* a thread reported a failure, or MPI did */
};

/* Sends a FAIL for (v, r) saying why; the caller holds the lock. */
static void send_fail(uint32_t v, uint32_t r, const char *why)
{
    char host[MPI_MAX_PROCESSOR_NAME] = "?";
    int n = 0;
    MPI_Get_processor_name(host, &n);
    char text[MAX_TEXT];
    int len = snprintf(text, sizeof(text), "%s (on %s)", why, host);
    len = len < 0 ? 0 : len >= (int)sizeof(text) ? (int)sizeof(text) - 1 : len;
    double h[H__N] = {MSG_FAIL, v, r};
    h[H_LEN] = len + 1;
    if (MPI_Send(h, H__N, MPI_DOUBLE, 0, TAG_REQ, MPI_COMM_WORLD) == MPI_SUCCESS)
        MPI_Send(text, len + 1, MPI_CHAR, 0, TAG_TEXT, MPI_COMM_WORLD);
}

static void *serve_thread(void *arg)
{
    struct wjob *j = arg;
    struct wvar w = {0};
    double ask[H__N] = {MSG_ASK}, *h = ask;
    int n_h = H__N;    /* doubles to send: the header, or a result's header and values */
    char *text = NULL; /* and then a result's series as CSV text, h[H_LEN] bytes */
    long wait_ns = NAP_WORKER_NS;
    for (;;) {
        uint64_t g[G__N] = {0};
        char *desc = NULL;
        MPI_Status st;
        pthread_mutex_lock(&j->lock);
        h[H_HELD] = (double)w.held;
        int rc = MPI_Send(h, n_h, MPI_DOUBLE, 0, TAG_REQ, MPI_COMM_WORLD);
        if (rc == MPI_SUCCESS && text)
            rc = MPI_Send(text, (int)h[H_LEN], MPI_CHAR, 0, TAG_TEXT, MPI_COMM_WORLD);
        if (rc == MPI_SUCCESS)
            rc = MPI_Recv(g, G__N, MPI_UINT64_T, 0, TAG_ITEM, MPI_COMM_WORLD, &st);
        if (rc == MPI_SUCCESS && g[G_TYPE] == MSG_ITEM && g[G_LEN] > 0) {
            desc = tc_xmalloc(g[G_LEN]);
            rc = MPI_Recv(desc, (int)g[G_LEN], MPI_CHAR, 0, TAG_DESC, MPI_COMM_WORLD, &st);
        }
        if (rc != MPI_SUCCESS)
            j->failed = true;
        pthread_mutex_unlock(&j->lock);
        free(text);
        text = NULL;
        h = ask;
        n_h = H__N;
        if (rc == MPI_SUCCESS && g[G_TYPE] == MSG_WAIT) {
            tc_mpi_nap(&wait_ns, 16 * NAP_WORKER_NS); /* rank 0 is a window ahead: ask again */
            continue;
        }
        wait_ns = NAP_WORKER_NS;
        if (rc != MPI_SUCCESS || g[G_TYPE] != MSG_ITEM) {
            free(desc);
            break;
        }
        uint32_t v = (uint32_t)g[G_V], r = (uint32_t)g[G_R];
        char why[768] = "";
        if (j->test_crash == tc_mpi_g.rank)
            _exit(3); /* a rank dying without a word (tests/mpi) */
        if (j->test_fail == tc_mpi_g.rank)
            snprintf(why, sizeof(why), "TCSIM_MPI_TEST_FAIL=%d names this rank", tc_mpi_g.rank);
        else if (desc && desc[g[G_LEN] - 1] != '\0')
            snprintf(why, sizeof(why), "a garbled variant description");
        else if (desc)
            wvar_load(&w, v, desc, (size_t)g[G_LEN], why, sizeof(why));
        if (!why[0] && (w.held != (uint64_t)v + 1 || r >= w.sc->replications))
            snprintf(why, sizeof(why),
                     "an item it cannot run (is the scenario the same file on every node?)");
        free(desc);
        if (why[0]) {
            pthread_mutex_lock(&j->lock);
            send_fail(v, r, why);
            j->failed = true;
            pthread_mutex_unlock(&j->lock);
            break;
        }
        struct tc_rep_info info;
        tc_runner_run_rep(w.sc, &w.m, r, w.seeds + (size_t)r * w.per_rep, &j->trucks,
                          &tc_mpi_g.stop, w.msg + H__N, w.msg + H__N + w.m.n, &info);
        double res[H__N] = {MSG_RESULT,
                            v,
                            r,
                            0,
                            info.status,
                            (double)info.n_events,
                            (double)info.n_trucks,
                            (double)info.peak_trucks,
                            info.stop_t};
        size_t len;
        text =
            tc_series_format_rep(w.fmt, r, tc_metrics_n_samples(w.sc), w.msg + H__N + w.m.n, &len);
        if (len > INT32_MAX) {
            pthread_mutex_lock(&j->lock);
            send_fail(v, r, "a replication's time series is over 2 GiB of text");
            j->failed = true;
            pthread_mutex_unlock(&j->lock);
            break;
        }
        res[H_LEN] = (double)len;
        memcpy(w.msg, res, sizeof(res));
        h = w.msg;
        n_h = (int)(H__N + w.m.n);
    }
    free(text);
    wvar_fini(&w);
    return NULL;
}

static int serve_job(const uint64_t *c)
{
    struct wjob j = {.test_fail = -1, .test_crash = -1};
    tc_truck_budget_init(&j.trucks, (size_t)c[C_MAX_TRUCKS]);
#if TC_FAULT_INJECTION /* -Dfault_injection: tests/mpi makes ranks fail or die */
    j.test_fail = tc_mpi_env_rank("TCSIM_MPI_TEST_FAIL");
    j.test_crash = tc_mpi_env_rank("TCSIM_MPI_TEST_CRASH");
#endif
    pthread_mutex_init(&j.lock, NULL);
    uint64_t n_threads = c[C_THREADS] ? c[C_THREADS] : 1;
    if (tc_mpi_g.level < MPI_THREAD_SERIALIZED || n_threads > 1024)
        n_threads = 1;
    pthread_t *th = tc_xcalloc(n_threads, sizeof(*th));
    uint64_t started = 0;
    while (started + 1 < n_threads && pthread_create(&th[started], NULL, serve_thread, &j) == 0)
        started++;
    serve_thread(&j);
    for (uint64_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    pthread_mutex_destroy(&j.lock);
    if (j.failed) {
        /* rank 0 reports it and ends the job; should it not, give up */
        sleep(FAIL_WAIT_S);
        return 1;
    }
    double h[H__N] = {MSG_DONE};
    return MPI_Send(h, H__N, MPI_DOUBLE, 0, TAG_REQ, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : 1;
}

int tc_mpi_serve(void)
{
    for (;;) {
        uint64_t c[C__N] = {0};
        MPI_Status st;
        if (tc_mpi_recv_nap(c, C__N, MPI_UINT64_T, 0, TAG_CTL, &st) != MPI_SUCCESS)
            return 1;
        if (c[C_TYPE] != MSG_JOB)
            return 0;
        if (serve_job(c))
            return 1;
    }
}
