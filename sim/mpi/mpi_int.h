/*
** mpi_int: what the three parts of the MPI driver share: the message
** protocol (described in mpi.c), the process's MPI state, and waiting
** without spinning. mpi.c starts and ends MPI, mpi_worker.c is ranks > 0,
** mpi_coord.c is rank 0's coordinator.
*/
#ifndef TCSIM_MPI_INT_H
#define TCSIM_MPI_INT_H

#include <mpi.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "tcsim/engine.h"
#include "tcsim/scenario.h"

enum { TAG_REQ = 1, TAG_TEXT, TAG_ITEM, TAG_DESC, TAG_CTL };
enum {
    MSG_ASK = 1,
    MSG_RESULT,
    MSG_FAIL,
    MSG_DONE,
    MSG_ITEM,
    MSG_WAIT,
    MSG_NOITEM,
    MSG_JOB,
    MSG_QUIT
};
/* the header of a request, in doubles: every field is an integer below 2^53 or a time */
enum { H_TYPE, H_V, H_R, H_HELD, H_STATUS, H_EVENTS, H_TRUCKS, H_PEAK, H_STOP_T, H_LEN, H__N };
enum { G_TYPE, G_V, G_R, G_LEN, G__N };
enum { C_TYPE, C_THREADS, C_MAX_TRUCKS, C__N };

#define SPINS         20
#define NAP_MIN_NS    50000L
#define NAP_COORD_NS  5000000L /* at most; see coord_nap */
#define NAP_WORKER_NS 1000000L
#define MAX_TEXT      1024
#define FAIL_WAIT_S   60 /* a failed worker waits this long for rank 0 to end the job */

/* The process's MPI state (mpi.c). */
struct tc_mpi_state {
    int rank, size;
    bool on;     /* MPI initialised by us */
    int level;   /* the thread support MPI provided */
    bool broken; /* a job ended abnormally: finalise by MPI_Abort */
    volatile sig_atomic_t signal;
    struct tc_stop stop; /* this rank's replications: signals and a broken job set it */
};
extern struct tc_mpi_state tc_mpi_g;

/* Sleeps *ns (doubling it up to max_ns): a wait that does not spin a core. */
void tc_mpi_nap(long *ns, long max_ns);
/* MPI_Recv that naps between probes instead of spinning. */
int tc_mpi_recv_nap(void *buf, int count, MPI_Datatype type, int src, int tag, MPI_Status *st);
/* Was the message st received exactly count elements of type? */
bool tc_mpi_got(const MPI_Status *st, MPI_Datatype type, int count);
/* A variant's scenario from its description "path\0key\0value\0..."; NULL with why. */
struct tc_scenario *tc_mpi_load_desc(const char *desc, size_t len, char *why, size_t why_len);
/* The rank named by environment variable name, or -1. */
int tc_mpi_env_rank(const char *name);

#endif
