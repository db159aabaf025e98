/*
** cli_int: what the subcommands of the command line share. Each subcommand
** lives in its own sim/cli_<name>.c and is reached from the table in cli.c.
*/
#ifndef TCSIM_CLI_INT_H
#define TCSIM_CLI_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/xmem.h"
#include "plot/plot.h"
#include "plot/report.h"
#include "tcsim/afile.h"
#include "tcsim/scenario.h"

extern const char tc_cli_usage_text[];
extern const char tc_cli_help_text[];
/* The help text on stdout; a write error is kept for tc_cli_check_stdout. */
void tc_cli_print_help(void);

/* Prints "tcsim: <message>" and the usage to stderr; returns TC_EXIT_USAGE. */
int tc_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A full-string unsigned decimal parse, at most max; 0 on success, -1 otherwise. */
int tc_cli_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* "out/<file name without .yaml/.yml>", a new string to free(). */
char *tc_cli_default_outdir(const char *path);
/*
** Flushes stdout and checks it (as coreutils' close_stdout): on a write
** error ("> /dev/full") says "tcsim: write error on standard output: No
** space left on device" on stderr, once, and returns -1; else 0. main calls
** it at exit, so every subcommand's output is checked.
*/
int tc_cli_check_stdout(void);
/* Records err (-errno) of a failed write to stdout, for tc_cli_check_stdout to say. */
void tc_cli_stdout_failed(int err);
/* Seconds elapsed since t0 (CLOCK_MONOTONIC). */
double tc_cli_seconds_since(const struct timespec *t0);

/* The options run and sweep share: -r, -s, -j and --set. Zero-initialise, then threads = 1. */
struct tc_cli_sim_opts {
    uint64_t threads;
    const char *reps, *seed;
    TC_VEC(struct tc_override) set; /* after tc_cli_sim_opts_finish: what to load with */
};
/* getopt_long's short options for them; --set is 'S' in the long option table. */
#define TC_CLI_SIM_SHORT "r:s:j:"
/*
** Takes option c (its argument arg) when it is one of them: 1 taken, 0 not
** one of them, -1 a bad value (said, with the usage, on stderr).
*/
int tc_cli_sim_opt(struct tc_cli_sim_opts *o, int c, char *arg);
/* Appends -r and -s to the --set overrides, last, so "--set:N" numbers the --set options as
** written on the command line. */
void tc_cli_sim_opts_finish(struct tc_cli_sim_opts *o);

/*
** SIGINT and SIGTERM ask the running replications to stop (a second one
** kills at once): they set the stop request returned, which the run is
** given (tc_runner_opts.stop); the previous handlers go to saved, and come
** back with tc_cli_restore_signals.
*/
struct tc_cli_signals {
    struct sigaction old_int, old_term;
};
const struct tc_stop *tc_cli_catch_signals(struct tc_cli_signals *saved);
void tc_cli_restore_signals(const struct tc_cli_signals *saved);
/* Has a stop signal come since tc_cli_catch_signals? */
bool tc_cli_stop_requested(void);
/*
** afile options that keep the stop signals in force through a commit: a
** signal before the renames stops it (-EINTR, temporaries removed, nothing
** written); during the renames SIGINT and SIGTERM are blocked, so the set
** is renamed whole and the signal is taken after it (see
** tc_cli_stop_requested). From this call on a second signal no longer
** kills; tc_cli_restore_signals ends that too.
*/
void tc_cli_commit_opts(struct tc_afile_opts *o);

/*
** Takes the lock of output directory dir (created if needed) for the
** whole run. Returns 0, or TC_EXIT_FAIL with the reason on stderr (another
** tcsim run writes there; the directory cannot be made).
*/
int tc_cli_lock_outdir(struct tc_afile_lock *l, const char *dir);

/*
** Says on stderr why a run stopped with -ELOOP (TC_ENGINE_STUCK): which
** replication, when, and the station that loops; prefix ("" or "variant
** x: ") starts the message, tail ends it ("Nothing was written.").
*/
struct tc_run;
void tc_cli_say_stuck(uint32_t rep, double t, enum tc_time_unit tu, const char *station,
                      const char *prefix, const char *tail);

/* Subcommands: argv[0] is "tcsim <name>"; each returns an exit code of cli.h. */
int tc_cli_run(int argc, char **argv);
int tc_cli_compare(int argc, char **argv);
int tc_cli_plot(int argc, char **argv);
int tc_cli_sweep(int argc, char **argv);
int tc_cli_optimize(int argc, char **argv);
int tc_cli_study(int argc, char **argv);
int tc_cli_fit(int argc, char **argv);
int tc_cli_report(int argc, char **argv);

/* Writes dir's report.html (also --report of run, sweep, ...); command is shown as typed.
   Returns TC_EXIT_OK or TC_EXIT_FAIL (said on stderr). */
int tc_cli_report_dir(const char *dir, const struct tc_report_opts *o, const char *command,
                      bool quiet);

/* The command line as typed, joined by spaces (owned; taken before getopt and --set touch it). */
char *tc_cli_join_args(int argc, char **argv);

/*
** Draws the plots of dir (a run's or a sweep's outputs) and reports on
** stderr: the pictures written, or gnuplot missing (naming the package to
** install), or what failed. Returns TC_EXIT_OK or TC_EXIT_FAIL.
*/
int tc_cli_plot_dir(const char *dir, const struct tc_plot_opts *o, bool quiet);

/* The long options --size and --dpi of plot, run --plot and sweep, as getopt codes. */
enum { TC_CLI_OPT_SIZE = 0x100, TC_CLI_OPT_DPI };
#define TC_CLI_PLOT_LONGOPTS                                                                       \
    {"size", required_argument, NULL, TC_CLI_OPT_SIZE},                                            \
    {                                                                                              \
        "dpi", required_argument, NULL, TC_CLI_OPT_DPI                                             \
    }

/*
** Takes --size or --dpi into o: 1 when opt was one of them, 0 when not, -1
** after a usage error (printed).
*/
int tc_cli_plot_opt(struct tc_plot_opts *o, int opt, const char *arg);

/* mpirun -n N tcsim optimize: the procedure's batches over every rank (cli_optimize_mpi.c; ud
   unused: o->p says everything). */
struct tc_opt;
struct tc_opt_item;
void tc_cli_optimize_mpi_batch(void *ud, struct tc_opt *o, struct tc_opt_item *items, size_t n);

#endif
