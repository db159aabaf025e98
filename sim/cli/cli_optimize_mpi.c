/*
** cli_optimize_mpi: `mpirun -n N tcsim optimize`: each batch of the
** procedure's (candidate, replication) items (run/optimize.h) is one MPI
** job (mpi/mpi.h) whose variants are the batch's candidates, each asking
** for its replications first..first+count-1 only (the job's first_rep), so
** a round of the sequential stage costs one replication per candidate and
** not a rerun of the ones before. Rank 0 puts the values back by
** (candidate, replication): the procedure sees the same numbers as on one
** process, and the answer and files are the same bytes for any rank count
** and -j.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "cli/cli_int.h"
#include "mpi/mpi.h"
#include "run/optimize.h"
#include "tcsim/diag.h"
#include "tcsim/sweep.h"

struct group {
    uint32_t cand, first, count;
    size_t item; /* its first item */
    char reps[16];
};

struct batch {
    struct tc_opt *o;
    struct group *g;
};

static void overrides(void *ud, uint32_t v, struct tc_override *out)
{
    const struct batch *b = ud;
    const struct tc_opt_problem *p = b->o->p;
    size_t n = tc_sweep_overrides(p->sw, b->o->c[b->g[v].cand].var, p->base, p->n_base, out);
    out[n] = (struct tc_override){"replications", b->g[v].reps};
}

static uint32_t first_rep(void *ud, uint32_t v)
{
    return ((const struct batch *)ud)->g[v].first;
}

static char *name(void *ud, uint32_t v)
{
    const struct batch *b = ud;
    return tc_sweep_variant_name_new(b->o->p->sw, b->o->c[b->g[v].cand].var);
}

void tc_cli_optimize_mpi_batch(void *ud, struct tc_opt *o, struct tc_opt_item *items, size_t n)
{
    (void)ud;
    const struct tc_opt_problem *p = o->p;
    struct group *g = tc_xcalloc(n + 1, sizeof(*g));
    uint32_t n_g = 0;
    for (size_t i = 0; i < n; i++) /* a candidate's items are consecutive replications */
        if (n_g && g[n_g - 1].cand == items[i].cand &&
            g[n_g - 1].first + g[n_g - 1].count == items[i].rep) {
            g[n_g - 1].count++;
        } else {
            g[n_g++] = (struct group){items[i].cand, items[i].rep, 1, i, ""};
        }
    for (uint32_t v = 0; v < n_g; v++)
        snprintf(g[v].reps, sizeof(g[v].reps), "%u", g[v].first + g[v].count);
    struct batch b = {o, g};
    size_t n_ovr = p->n_base + p->sw->n_axes + 1;
    struct tc_mpi_job job = {.path = p->path,
                             .n_variants = n_g,
                             .n_overrides = n_ovr,
                             .overrides = overrides,
                             .name = name,
                             .first_rep = first_rep,
                             .ud = &b,
                             .n_threads = p->n_threads};
    struct tc_mpi *m = tc_mpi_start(&job);
    struct tc_override *ovr = tc_xcalloc(n_ovr, sizeof(*ovr));
    int err = 0;
    for (uint32_t v = 0; v < n_g && !err; v++) {
        overrides(&b, v, ovr);
        struct tc_diags d;
        tc_diags_init(&d);
        struct tc_scenario *sc = tc_scenario_load(p->path, ovr, n_ovr, &d);
        tc_diags_fini(&d);
        struct tc_run run;
        err = sc ? tc_mpi_next(m, v, sc, NULL, &run) : -ESTALE;
        if (!err) {
            for (uint32_t r = g[v].first; r < g[v].first + g[v].count; r++)
                tc_opt_put(o, g[v].cand, r, run.values + (size_t)r * run.metrics.n);
        } else {
            items[g[v].item].err = err;
            if (err == -EREMOTEIO || (err == -EINTR && tc_mpi_message(m)[0]))
                fprintf(stderr, "tcsim: %s\n", tc_mpi_message(m));
        }
        if (sc)
            tc_run_fini(&run);
        tc_scenario_free(sc);
    }
    for (uint32_t v = 0; err && v < n_g; v++) /* the others did not run either */
        if (!items[g[v].item].err)
            items[g[v].item].err = err;
    free(ovr);
    tc_mpi_stop(m);
    free(g);
}
