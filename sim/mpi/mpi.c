/*
** mpi: who does what, and why.
**
** Rank 0 runs three kinds of threads. The command line (main thread)
** calls tc_mpi_next for each variant in order and writes its outputs, as
** it would after tc_runner_run_opts. A coordinator thread hands out items
** (one replication of one variant) in variant order to whoever asks and
** copies the results into the replication's slot of the variant's tc_run;
** it never waits for the writing, so the other ranks never wait for rank
** 0's disk. And rank 0 computes too, with -j threads that take items under
** the coordinator's lock and make no MPI call. A dedicated coordinator
** rank would idle a whole process instead: the coordinator costs rank 0
** about 0.1-1 ms per item (most of it first touching the pages of the
** gathered series), under 1 % of its core while it waits, against 10-40
** ms to compute an item of the shipped scenarios. (Running rank 0's
** compute threads SCHED_IDLE made the coordinator answer a little sooner,
** but let any other process on the node starve them, holding up the job's
** last items: not worth it.)
**
** Open MPI's blocking calls spin at 100 % of a core, so the waits that can
** be long nap: the coordinator between messages (MPI_Iprobe, naps doubling
** from 50 us to 1/50 of the mean item, see coord_nap) and an idle worker
** waiting for a job (to 1 ms). The short ones block: a worker waiting for
** the reply to its request (it comes within a coordinator nap; napping
** there cost 1-2 ms an item), and the coordinator receiving a message it
** has probed.
**
** On the other ranks each compute thread makes its own exchanges -- the
** result of its last item and a request for the next in one message, then
** the reply -- under a per-process mutex (MPI_THREAD_SERIALIZED), so a rank
** with -j1 is one thread with nothing running between items.
**
** Items go at most `window` variants ahead of the one the command line
** waits for, so a slow variant cannot make rank 0 hold every later run in
** memory; a thread that finds the window full is told to wait (WAIT).
**
** Messages:
**   worker -> 0  TAG_REQ  doubles {ASK | RESULT | FAIL | DONE, v, r, held v+1,
**                          status, events, trucks, peak, stop_t, text length},
**                          then for RESULT the values, raw
**                TAG_TEXT  after RESULT: the replication's time series as
**                          timeseries.csv rows, formatted by the worker so
**                          that rank 0 only files them (series.h); after
**                          FAIL: what went wrong, for the user
**   0 -> worker  TAG_ITEM uint64_t {ITEM | WAIT | NOITEM, v, r, description length}
**                TAG_DESC "path\0key\0value\0..." when the thread does not
**                          hold variant v yet
**                TAG_CTL  uint64_t {JOB | QUIT, threads, max_trucks}
** A worker thread told NOITEM ends; when all have, its rank says DONE.
*/
#include "mpi/mpi.h"

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
#include "mpi/mpi_int.h"
#include "tcsim/diag.h"
#include "tcsim/engine.h"
#include "tcsim/metrics.h"

struct tc_mpi_state tc_mpi_g = {.size = 1};

int tc_mpi_rank(void)
{
    return tc_mpi_g.rank;
}

int tc_mpi_size(void)
{
    return tc_mpi_g.size;
}

/* Set by mpirun/mpiexec (Open MPI, MPICH's Hydra, MVAPICH) or by srun --mpi=pmi2/pmix. */
static bool launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE",
                                       "MV2_COMM_WORLD_RANK"};
    const char *force = getenv("TCSIM_MPI");
    if (force && *force)
        return strcmp(force, "0") != 0;
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        if (getenv(vars[i]))
            return true;
    return false;
}

int tc_mpi_init(int *argc, char ***argv)
{
    if (!launched())
        return 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &tc_mpi_g.level) != MPI_SUCCESS)
        return -1;
    tc_mpi_g.on = true;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &tc_mpi_g.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &tc_mpi_g.size);
    return 0;
}

int tc_mpi_finalize(int rc)
{
    if (!tc_mpi_g.on)
        return rc;
    if (tc_mpi_g.rank == 0 && tc_mpi_g.broken) {
        fflush(stdout);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, rc ? rc : 1);
    }
    if (tc_mpi_g.rank == 0) {
        uint64_t c[C__N] = {MSG_QUIT, 0, 0};
        for (int k = 1; k < tc_mpi_g.size; k++)
            MPI_Send(c, C__N, MPI_UINT64_T, k, TAG_CTL, MPI_COMM_WORLD);
    }
    MPI_Finalize();
    tc_mpi_g.on = false;
    return rc;
}

/* ==== Waiting without spinning ==== */

void tc_mpi_nap(long *ns, long max_ns)
{
    struct timespec ts = {0, *ns};
    nanosleep(&ts, NULL);
    *ns = *ns * 2 > max_ns ? max_ns : *ns * 2;
}

/* MPI_Recv, but napping between tests (an idle worker waiting for rank 0). */
int tc_mpi_recv_nap(void *buf, int count, MPI_Datatype type, int src, int tag, MPI_Status *st)
{
    MPI_Request req;
    int rc = MPI_Irecv(buf, count, type, src, tag, MPI_COMM_WORLD, &req);
    long ns = NAP_MIN_NS;
    for (int i = 0; rc == MPI_SUCCESS; i++) {
        int flag = 0;
        rc = MPI_Test(&req, &flag, st);
        if (rc != MPI_SUCCESS || flag)
            break;
        if (i >= SPINS)
            tc_mpi_nap(&ns, NAP_WORKER_NS);
    }
    return rc;
}

/* Was the message st received exactly count elements of type? */
bool tc_mpi_got(const MPI_Status *st, MPI_Datatype type, int count)
{
    int n = -1;
    return MPI_Get_count(st, type, &n) == MPI_SUCCESS && n == count;
}

int tc_mpi_env_rank(const char *name)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long k = strtol(s, &end, 10);
    return errno || *end || k < 0 || k > 1000000 ? -1 : (int)k;
}

/* Loads the scenario of a description "path\0key\0value\0..."; NULL and why when it does not. */
struct tc_scenario *tc_mpi_load_desc(const char *desc, size_t len, char *why, size_t why_len)
{
    TC_VEC(struct tc_override) ovr = {0};
    const char *path = desc, *end = desc + len;
    for (const char *p = path + strlen(path) + 1; p < end;) {
        const char *key = p, *val = key + strlen(key) + 1;
        if (val >= end)
            break;
        TC_VEC_PUSH(ovr, ((struct tc_override){key, val}));
        p = val + strlen(val) + 1;
    }
    struct tc_diags diags;
    tc_diags_init(&diags);
    struct tc_scenario *sc = tc_scenario_load(path, ovr.v, ovr.n, &diags);
    free(ovr.v);
    if (!sc || diags.n_err) {
        char first[512] = "";
        tc_diags_sort(&diags);
        for (size_t i = 0; i < diags.n; i++)
            if (diags.v[i].sev == TC_SEV_ERROR) {
                tc_diag_format(&diags.v[i], first, sizeof(first));
                break;
            }
        snprintf(why, why_len, "the scenario does not load: %s", first);
        tc_scenario_free(sc);
        sc = NULL;
    }
    tc_diags_fini(&diags);
    return sc;
}
