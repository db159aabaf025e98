/*
** mpi_coord: rank 0 hands out items, gathers results and computes too
** (the protocol is in mpi.c).
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

/* ==== The coordinator (rank 0) ==== */

/* A variant with items out, or finished and not yet taken by tc_mpi_next. */
struct vstate {
    struct tc_scenario *sc; /* rank 0's own copy, loaded from the same description */
    struct tc_run run;
    uint32_t *seeds, per_rep;
    int *rep_err; /* as in the runner: 0, -EINTR or -EOVERFLOW per replication */
    double *rep_stop_t;
    uint32_t n_given, n_back;
    bool stop;      /* a replication stopped early: hand out no more of this variant */
    bool given_all; /* the items still to hand out are of later variants */
};

/* An item out: who has it, since when (for reports and TCSIM_MPI_TIMEOUT). */
struct held {
    int rank;
    uint32_t v, r;
    struct timespec t0;
};

enum take { TAKE_ITEM, TAKE_WAIT, TAKE_NONE };

struct tc_mpi {
    struct tc_mpi_job job;
    struct tc_truck_budget trucks; /* rank 0's, for its compute threads together */
    pthread_mutex_t lock;          /* the fields down to `ended`, for all of rank 0's threads */
    pthread_cond_t cond;           /* an item came back, the window moved, or the job stopped */
    struct vstate **vs;            /* per variant: NULL before its first item and once taken */
    uint32_t next_v, next_r;
    uint32_t taken;  /* variants given to tc_mpi_next so far */
    uint32_t window; /* items go to variants below taken + window */
    TC_VEC(struct held) held;
    bool stop_all; /* hand out nothing more */
    bool quit;     /* tc_mpi_stop: end once what is out is back */
    int err;       /* 0, -EINTR or -EREMOTEIO; the first one stays */
    char msg[1024];
    bool ended;              /* the coordinator thread has returned */
    struct timespec t_start; /* of the job */
    double item_s;           /* seconds of the items back so far, for coord_nap */
    uint64_t n_timed;
    /* the coordinator thread's own */
    int n_ranks_done;
    uint32_t desc_v; /* the variant whose description is in desc */
    char *desc;
    size_t desc_len;
    double *buf; /* the message being handled */
    size_t buf_len;
    double timeout;
    /* the main thread's own */
    pthread_t coord;
    bool coord_started;
    pthread_t *th;
    uint32_t n_th;
    struct sigaction old_int, old_term;
};

static double since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* "variant NAME replication R" or "replication R". */
static void item_name(const struct tc_mpi *m, uint32_t v, uint32_t r, char *buf, size_t len)
{
    char *name = m->job.name ? m->job.name(m->job.ud, v) : NULL;
    if (name)
        snprintf(buf, len, "variant %s replication %" PRIu32, name, r + 1);
    else
        snprintf(buf, len, "replication %" PRIu32, r + 1);
    free(name);
}

/* Stops the job with err and a message (the first failure stays). Caller holds the lock. */
static void fail(struct tc_mpi *m, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct tc_mpi *m, int err, const char *fmt, ...)
{
    m->stop_all = true;
    pthread_cond_broadcast(&m->cond);
    if (m->err)
        return;
    m->err = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->msg, sizeof(m->msg), fmt, ap);
    va_end(ap);
}

/* "path\0key\0value\0..." of variant v: a new buffer of *out_len bytes. */
static char *describe_new(const struct tc_mpi_job *job, uint32_t v, size_t *out_len)
{
    struct tc_override *ovr = tc_xcalloc(job->n_overrides ? job->n_overrides : 1, sizeof(*ovr));
    job->overrides(job->ud, v, ovr);
    size_t len = strlen(job->path) + 1;
    for (size_t i = 0; i < job->n_overrides; i++)
        len += strlen(ovr[i].key) + strlen(ovr[i].value) + 2;
    char *d = tc_xmalloc(len), *p = d;
    const char *parts[2];
    memcpy(p, job->path, strlen(job->path) + 1);
    p += strlen(job->path) + 1;
    for (size_t i = 0; i < job->n_overrides; i++) {
        parts[0] = ovr[i].key;
        parts[1] = ovr[i].value;
        for (int k = 0; k < 2; k++) {
            memcpy(p, parts[k], strlen(parts[k]) + 1);
            p += strlen(parts[k]) + 1;
        }
    }
    free(ovr);
    *out_len = len;
    return d;
}

/* Rank 0's run of variant v, loaded from the description the workers get. */
static struct vstate *vstate_new(const struct tc_mpi_job *job, uint32_t v, char *why,
                                 size_t why_len)
{
    size_t len;
    char *desc = describe_new(job, v, &len);
    struct tc_scenario *sc = tc_mpi_load_desc(desc, len, why, why_len);
    free(desc);
    if (!sc)
        return NULL;
    struct vstate *s = tc_xcalloc(1, sizeof(*s));
    s->sc = sc;
    tc_run_init(&s->run, sc);
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    s->seeds = tc_rng_plan_new(&lay, sc->seed, s->run.n_reps);
    s->per_rep = lay.base[TC_STREAM__COUNT];
    s->rep_err = tc_xcalloc(s->run.n_reps, sizeof(int));
    s->rep_stop_t = tc_xcalloc(s->run.n_reps, sizeof(double));
    return s;
}

/* Frees s but not its run, which the caller took (or freed). */
static void vstate_free(struct vstate *s)
{
    if (!s)
        return;
    tc_scenario_free(s->sc);
    free(s->seeds);
    free(s->rep_err);
    free(s->rep_stop_t);
    free(s);
}

static bool vstate_complete(const struct vstate *s)
{
    return s->given_all && s->n_back == s->n_given;
}

/* The next item, in variant order, for rank. Caller holds the lock. */
static enum take take_item(struct tc_mpi *m, int rank, uint32_t *out_v, uint32_t *out_r)
{
    while (!m->stop_all && m->next_v < m->job.n_variants) {
        uint32_t v = m->next_v;
        if (v - m->taken >= m->window)
            return TAKE_WAIT;
        struct vstate *s = m->vs[v];
        if (!s) {
            char why[768] = "", name[256];
            if (!(s = m->vs[v] = vstate_new(&m->job, v, why, sizeof(why)))) {
                item_name(m, v, 0, name, sizeof(name));
                fail(m, -EREMOTEIO, "%s on rank 0: %s", name, why);
                return TAKE_NONE;
            }
            if (m->job.first_rep) /* the replications before it are not wanted */
                m->next_r = m->job.first_rep(m->job.ud, v);
        }
        if (!s->stop && m->next_r < s->run.n_reps) {
            *out_v = v;
            *out_r = m->next_r++;
            s->n_given++;
            struct held h = {rank, v, *out_r, {0, 0}};
            clock_gettime(CLOCK_MONOTONIC, &h.t0);
            TC_VEC_PUSH(m->held, h);
            return TAKE_ITEM;
        }
        s->given_all = true;
        pthread_cond_broadcast(&m->cond);
        m->next_v++;
        m->next_r = 0;
    }
    return TAKE_NONE;
}

/* Records a result whose numbers are already in their slots. Caller holds the lock. */
static void put_result(struct tc_mpi *m, int rank, uint32_t v, uint32_t r,
                       const struct tc_rep_info *info)
{
    size_t i = 0;
    while (i < m->held.n &&
           !(m->held.v[i].rank == rank && m->held.v[i].v == v && m->held.v[i].r == r))
        i++;
    if (i == m->held.n) {
        fail(m, -EREMOTEIO, "rank %d sent a result for an item it was not given", rank);
        return;
    }
    m->item_s += since(&m->held.v[i].t0);
    m->n_timed++;
    m->held.v[i] = m->held.v[--m->held.n];
    struct vstate *s = m->vs[v];
    if (info->status != TC_ENGINE_DONE) {
        s->rep_err[r] = tc_rep_status_err(info->status);
        s->rep_stop_t[r] = info->stop_t;
        s->stop = true;
        if (info->status == TC_ENGINE_INTERRUPTED)
            fail(m, -EINTR, "rank %d was interrupted", rank);
    }
    tc_run_add_rep(&s->run, info);
    s->n_back++;
    pthread_cond_broadcast(&m->cond);
}

/* Rank 0's compute threads: the runner's worker, fed by take_item. */
static void *local_thread(void *arg)
{
    struct tc_mpi *m = arg;
    for (;;) {
        uint32_t v = 0, r = 0;
        pthread_mutex_lock(&m->lock);
        enum take t;
        while ((t = take_item(m, 0, &v, &r)) == TAKE_WAIT)
            pthread_cond_wait(&m->cond, &m->lock);
        struct vstate *s = t == TAKE_ITEM ? m->vs[v] : NULL;
        pthread_mutex_unlock(&m->lock);
        if (!s)
            break;
        struct tc_rep_info info;
        double *series = tc_xmalloc(tc_run_series_len(&s->run) * sizeof(double) + 1);
        tc_runner_run_rep(s->sc, &s->run.metrics, r, s->seeds + (size_t)r * s->per_rep, &m->trucks,
                          &tc_mpi_g.stop, s->run.values + (size_t)r * s->run.metrics.n, series,
                          &info);
        tc_series_put_rep(s->run.series, r, s->run.n_samples, series);
        free(series);
        pthread_mutex_lock(&m->lock);
        put_result(m, 0, v, r, &info);
        pthread_mutex_unlock(&m->lock);
    }
    return NULL;
}

/* Answers a worker thread's request: an item (with its description if needed), WAIT or NOITEM. */
static int reply(struct tc_mpi *m, int rank, uint64_t held)
{
    uint32_t v = 0, r = 0;
    pthread_mutex_lock(&m->lock);
    enum take t = take_item(m, rank, &v, &r);
    pthread_mutex_unlock(&m->lock);
    uint64_t g[G__N] = {t == TAKE_ITEM   ? MSG_ITEM
                        : t == TAKE_WAIT ? MSG_WAIT
                                         : MSG_NOITEM,
                        v, r, 0};
    if (t == TAKE_ITEM && held != (uint64_t)v + 1) {
        if (!m->desc || m->desc_v != v) {
            free(m->desc);
            m->desc = describe_new(&m->job, v, &m->desc_len);
            m->desc_v = v;
        }
        if (m->desc_len > (size_t)INT32_MAX)
            return MPI_ERR_COUNT;
        g[G_LEN] = m->desc_len;
    }
    int rc = MPI_Send(g, G__N, MPI_UINT64_T, rank, TAG_ITEM, MPI_COMM_WORLD);
    if (rc == MPI_SUCCESS && g[G_LEN])
        rc = MPI_Send(m->desc, (int)m->desc_len, MPI_CHAR, rank, TAG_DESC, MPI_COMM_WORLD);
    return rc;
}

/* Newlines in text[0..len-1]. */
static size_t count_lines(const char *text, size_t len)
{
    size_t n = 0;
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    return n;
}

/*
** A worker's result (header and values in msg[0..n-1], the series as text,
** taken over) into the replication's slots.
*/
static void take_result(struct tc_mpi *m, int rank, const double *msg, size_t n, char *text,
                        size_t len)
{
    uint32_t v = (uint32_t)msg[H_V], r = (uint32_t)msg[H_R];
    pthread_mutex_lock(&m->lock);
    struct vstate *s = v < m->job.n_variants ? m->vs[v] : NULL;
    if (!s || r >= s->run.n_reps) {
        fail(m, -EREMOTEIO, "rank %d sent a result for an item it was not given", rank);
    } else if (n != H__N + s->run.metrics.n ||
               count_lines(text, len) != (size_t)s->run.n_samples * s->run.n_series) {
        char name[256];
        item_name(m, v, r, name, sizeof(name));
        fail(m, -EREMOTEIO,
             "rank %d returned %s with other dimensions than rank 0's (is the scenario the same "
             "file on every node?)",
             rank, name);
    } else {
        /* slot r is written by this result only, and v cannot be taken before it is in */
        size_t n_val = s->run.metrics.n;
        memcpy(s->run.values + (size_t)r * n_val, msg + H__N, n_val * sizeof(double));
        tc_series_put_text(s->run.series, r, text, len);
        text = NULL;
        struct tc_rep_info info = {.n_events = (uint64_t)msg[H_EVENTS],
                                   .n_trucks = (uint64_t)msg[H_TRUCKS],
                                   .peak_trucks = (uint64_t)msg[H_PEAK],
                                   .status = (int)msg[H_STATUS],
                                   .stop_t = msg[H_STOP_T]};
        put_result(m, rank, v, r, &info);
    }
    pthread_mutex_unlock(&m->lock);
    free(text);
}

/* One message from a worker, found by probe. Returns an MPI error code. */
static int handle(struct tc_mpi *m, const MPI_Status *probe)
{
    int rank = probe->MPI_SOURCE, count = 0;
    int rc = MPI_Get_count(probe, MPI_DOUBLE, &count);
    if (rc != MPI_SUCCESS)
        return rc;
    if (count < H__N)
        count = H__N; /* too short: MPI_Recv says so */
    if ((size_t)count > m->buf_len) {
        free(m->buf);
        m->buf = tc_xmalloc((size_t)count * sizeof(double));
        m->buf_len = (size_t)count;
    }
    /* probed, so at hand: a blocking receive (a whole result in one message) */
    double *h = m->buf;
    MPI_Status st;
    rc = MPI_Recv(h, count, MPI_DOUBLE, rank, TAG_REQ, MPI_COMM_WORLD, &st);
    if (rc == MPI_SUCCESS && !tc_mpi_got(&st, MPI_DOUBLE, count))
        rc = MPI_ERR_TRUNCATE;
    if (rc != MPI_SUCCESS)
        return rc;
    switch ((int)h[H_TYPE]) {
    case MSG_RESULT: {
        /* the series follows as text; a result also asks for the next item */
        int len = h[H_LEN] >= 0 && h[H_LEN] <= INT32_MAX ? (int)h[H_LEN] : 0;
        char *text = tc_xmalloc((size_t)len + 1);
        rc = MPI_Recv(text, len, MPI_CHAR, rank, TAG_TEXT, MPI_COMM_WORLD, &st);
        if (rc == MPI_SUCCESS && !tc_mpi_got(&st, MPI_CHAR, len))
            rc = MPI_ERR_TRUNCATE;
        if (rc != MPI_SUCCESS) {
            free(text);
            return rc;
        }
        take_result(m, rank, h, (size_t)count, text, (size_t)len);
        return reply(m, rank, (uint64_t)h[H_HELD]);
    }
    case MSG_ASK:
        return reply(m, rank, (uint64_t)h[H_HELD]);
    case MSG_FAIL: {
        char text[MAX_TEXT + 1] = "", name[256];
        int len = h[H_LEN] > 0 && h[H_LEN] <= MAX_TEXT ? (int)h[H_LEN] : 0;
        if (len)
            rc = MPI_Recv(text, len, MPI_CHAR, rank, TAG_TEXT, MPI_COMM_WORLD, &st);
        text[MAX_TEXT] = '\0';
        pthread_mutex_lock(&m->lock);
        item_name(m, (uint32_t)h[H_V], (uint32_t)h[H_R], name, sizeof(name));
        fail(m, -EREMOTEIO, "rank %d failed on %s: %s", rank, name, text);
        pthread_mutex_unlock(&m->lock);
        return rc;
    }
    case MSG_DONE:
        m->n_ranks_done++;
        return MPI_SUCCESS;
    default:
        pthread_mutex_lock(&m->lock);
        fail(m, -EREMOTEIO, "rank %d sent a message of unknown type %g", rank, h[H_TYPE]);
        pthread_mutex_unlock(&m->lock);
        return MPI_SUCCESS;
    }
}

/* "rank 1: variant X replication 2 (3.1 s); rank 2: ..." Caller holds the lock. */
static void in_flight(const struct tc_mpi *m, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m->held.n && n + 1 < len; i++) {
        char name[256];
        item_name(m, m->held.v[i].v, m->held.v[i].r, name, sizeof(name));
        int k = snprintf(buf + n, len - n, "%s rank %d: %s (for %.1f s)", i ? ";" : "",
                         m->held.v[i].rank, name, since(&m->held.v[i].t0));
        n += k > 0 ? (size_t)k : 0;
    }
}

/*
** The longest nap of the idle coordinator: 1/50 of the mean item (before
** the first is back: of the time so far), so that a request waits at most
** 2 % of an item, between 50 us and 5 ms. A wake-up costs 15-50 us of rank
** 0's core here (MPI_Iprobe polls every transport): naps of 0.2 ms took 7 %
** of it while items of seconds ran, naps of 2 ms about 1 %.
*/
static long coord_nap(const struct tc_mpi *m)
{
    double mean = m->n_timed ? m->item_s / (double)m->n_timed : since(&m->t_start);
    double ns = mean / 50 * 1e9;
    return ns < NAP_MIN_NS ? NAP_MIN_NS : ns > NAP_COORD_NS ? NAP_COORD_NS : (long)ns;
}

static void *coord_thread(void *arg)
{
    struct tc_mpi *m = arg;
    long ns = NAP_MIN_NS;
    for (;;) {
        bool busy = false;
        int rc = MPI_SUCCESS, flag = 1;
        while (rc == MPI_SUCCESS && flag) {
            MPI_Status st;
            rc = MPI_Iprobe(MPI_ANY_SOURCE, TAG_REQ, MPI_COMM_WORLD, &flag, &st);
            if (rc == MPI_SUCCESS && flag) {
                rc = handle(m, &st);
                busy = true;
            }
        }
        pthread_mutex_lock(&m->lock);
        if (tc_mpi_g.signal && !m->err) {
            char list[640];
            in_flight(m, list, sizeof(list));
            /* under mpirun, a SIGTERM may also mean that another rank died */
            fail(m, -EINTR, "stopped by signal %d (%s); out at the time:%s", (int)tc_mpi_g.signal,
                 strsignal(tc_mpi_g.signal), m->held.n ? list : " nothing");
        }
        if (rc != MPI_SUCCESS) {
            char text[MPI_MAX_ERROR_STRING] = "";
            int n = 0;
            MPI_Error_string(rc, text, &n);
            fail(m, -EREMOTEIO, "MPI error on rank 0: %s", text);
        }
        for (size_t i = 0; m->timeout > 0 && i < m->held.n && !m->err; i++)
            if (m->held.v[i].rank != 0 && since(&m->held.v[i].t0) > m->timeout) {
                char name[256];
                item_name(m, m->held.v[i].v, m->held.v[i].r, name, sizeof(name));
                fail(m, -EREMOTEIO, "rank %d has run %s for more than %g s (TCSIM_MPI_TIMEOUT)",
                     m->held.v[i].rank, name, m->timeout);
            }
        /* after an error leave at once (a rank may be dead); else when all is back */
        bool end = m->err || (m->quit && m->held.n == 0 && m->n_ranks_done == tc_mpi_g.size - 1);
        if (end) {
            m->ended = true;
            pthread_cond_broadcast(&m->cond);
        }
        long max_ns = coord_nap(m);
        pthread_mutex_unlock(&m->lock);
        if (end)
            return NULL;
        if (busy)
            ns = NAP_MIN_NS;
        else
            tc_mpi_nap(&ns, max_ns);
    }
}

static void on_signal(int sig)
{
    tc_mpi_g.signal = sig;
    tc_stop_request(&tc_mpi_g.stop);
}

/* TCSIM_MPI_TIMEOUT: seconds an item may take on another rank; 0: no limit. */
static double item_timeout(void)
{
    const char *s = getenv("TCSIM_MPI_TIMEOUT");
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    return errno || *end || !(x > 0) ? 0 : x;
}

struct tc_mpi *tc_mpi_start(const struct tc_mpi_job *job)
{
    struct tc_mpi *m = tc_xcalloc(1, sizeof(*m));
    m->job = *job;
    tc_truck_budget_init(&m->trucks, job->max_trucks);
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->cond, NULL);
    m->vs = tc_xcalloc(job->n_variants ? job->n_variants : 1, sizeof(*m->vs));
    uint32_t n_threads = job->n_threads ? job->n_threads : 1;
    /* room for every compute thread on a variant of its own, twice over */
    m->window = 2 * n_threads * (uint32_t)tc_mpi_g.size + 4;
    m->desc_v = UINT32_MAX;
    m->timeout = item_timeout();
    clock_gettime(CLOCK_MONOTONIC, &m->t_start);

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second signal kills at once */
    sigemptyset(&sa.sa_mask);
    tc_mpi_g.signal = 0;
    sigaction(SIGINT, &sa, &m->old_int);
    sigaction(SIGTERM, &sa, &m->old_term);

    /* the coordinator thread makes MPI calls, then the main thread again at the end */
    if (!tc_mpi_g.on || tc_mpi_g.level < MPI_THREAD_SERIALIZED) {
        fail(m, -EREMOTEIO, "%s",
             "this MPI library does not provide MPI_THREAD_SERIALIZED, which tcsim needs");
        return m;
    }
    int rc = MPI_SUCCESS;
    uint64_t ctl[C__N] = {MSG_JOB, n_threads, job->max_trucks};
    for (int k = 1; k < tc_mpi_g.size && rc == MPI_SUCCESS; k++)
        rc = MPI_Send(ctl, C__N, MPI_UINT64_T, k, TAG_CTL, MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) {
        fail(m, -EREMOTEIO, "%s", "MPI error on rank 0 while starting the other ranks");
        return m;
    }
    m->th = tc_xcalloc(n_threads, sizeof(*m->th));
    while (m->n_th < n_threads && pthread_create(&m->th[m->n_th], NULL, local_thread, m) == 0)
        m->n_th++;
    if (pthread_create(&m->coord, NULL, coord_thread, m) == 0)
        m->coord_started = true;
    else
        fail(m, -EREMOTEIO, "%s", "cannot start the coordinator thread");
    return m;
}

int tc_mpi_next(struct tc_mpi *m, uint32_t v, const struct tc_scenario *sc,
                const struct tc_runner_opts *ro, struct tc_run *run)
{
    uint32_t shown = UINT32_MAX;
    struct vstate *s;
    pthread_mutex_lock(&m->lock);
    assert(v == m->taken);
    for (;;) {
        s = m->vs[v];
        if (s && vstate_complete(s))
            break;
        if (m->err || m->ended) {
            int err = m->err ? m->err : -EREMOTEIO;
            uint32_t n_done = s ? s->run.n_done : 0;
            pthread_mutex_unlock(&m->lock);
            tc_run_init(run, sc);
            run->n_done = n_done;
            return err;
        }
        if (s && ro && ro->progress && s->run.n_done != shown) {
            uint32_t n_done = shown = s->run.n_done, n_reps = s->run.n_reps;
            pthread_mutex_unlock(&m->lock);
            ro->progress(ro->ud, n_done, n_reps);
            pthread_mutex_lock(&m->lock);
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&m->cond, &m->lock, &until);
    }
    m->vs[v] = NULL;
    m->taken = v + 1;
    pthread_cond_broadcast(&m->cond); /* the window moved */
    pthread_mutex_unlock(&m->lock);

    int err = tc_run_finish(&s->run, s->rep_err, s->rep_stop_t);
    if (ro && ro->progress && s->run.n_done != shown)
        ro->progress(ro->ud, s->run.n_done, s->run.n_reps);
    *run = s->run;
    run->sc = sc;
    if (sc->replications != s->run.n_reps || tc_metrics_n_samples(sc) != s->run.n_samples) {
        pthread_mutex_lock(&m->lock);
        fail(m, -EREMOTEIO, "%s", "the scenario file changed while tcsim ran");
        pthread_mutex_unlock(&m->lock);
        err = -EREMOTEIO;
    }
    vstate_free(s);
    return err;
}

const char *tc_mpi_message(const struct tc_mpi *m)
{
    return m ? m->msg : "";
}

/* Puts back the handler the caller had, unless a signal came (then it stays the default). */
static void restore(int sig, const struct sigaction *old)
{
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) == 0 && cur.sa_handler == on_signal)
        sigaction(sig, old, NULL);
}

int tc_mpi_stop(struct tc_mpi *m)
{
    if (!m)
        return 0;
    pthread_mutex_lock(&m->lock);
    m->stop_all = m->quit = true;
    pthread_cond_broadcast(&m->cond);
    int err = m->err;
    pthread_mutex_unlock(&m->lock);
    if (err) {
        tc_mpi_g.broken = true;          /* tc_mpi_finalize aborts: a rank may be dead or stuck */
        tc_stop_request(&tc_mpi_g.stop); /* rank 0's own replications end at their next event */
    }
    if (m->coord_started)
        pthread_join(m->coord, NULL);
    for (uint32_t i = 0; i < m->n_th; i++)
        pthread_join(m->th[i], NULL);
    err = m->err;
    if (err)
        tc_mpi_g.broken = true;
    if (err == -EREMOTEIO)
        tc_stop_clear(&tc_mpi_g.stop);
    restore(SIGINT, &m->old_int);
    restore(SIGTERM, &m->old_term);
    for (uint32_t v = 0; v < m->job.n_variants; v++)
        if (m->vs[v]) {
            tc_run_fini(&m->vs[v]->run);
            vstate_free(m->vs[v]);
        }
    free(m->vs);
    free(m->held.v);
    free(m->desc);
    free(m->buf);
    free(m->th);
    pthread_cond_destroy(&m->cond);
    pthread_mutex_destroy(&m->lock);
    free(m);
    return err;
}
