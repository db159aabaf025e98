/*
** main: installs the GSL error handler and the out-of-memory hook, then
** hands over to the cli. Inputs are validated before they reach GSL, so a
** GSL error is a bug in tcsim: say so loudly and abort rather than go on
** with a wrong number. The library never prints or exits; the program does.
*/
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "mpi/mpi.h"
#include "tcsim/diag.h"

static void gsl_bug(const char *reason, const char *file, int line, int gsl_errno)
{
    fprintf(stderr, "tcsim: internal error: GSL %s:%d: %s (%s)\n", file, line, reason,
            gsl_strerror(gsl_errno));
    abort();
}

static void out_of_memory(size_t n)
{
    fprintf(stderr, "tcsim: out of memory (asked for %zu bytes)\n", n);
    exit(1);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler(gsl_bug);
    tc_set_oom_hook(out_of_memory);
    /* under mpirun (built with MPI): rank 0 is tcsim, the other ranks compute for it */
    if (tc_mpi_init(&argc, &argv) != 0)
        fputs("tcsim: warning: MPI did not start; running as a single process\n", stderr);
    if (tc_mpi_rank() > 0)
        return tc_mpi_finalize(tc_mpi_serve());
    return tc_mpi_finalize(tc_cli_main(argc, argv));
}
