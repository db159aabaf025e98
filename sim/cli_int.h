/*
** cli_int: what the subcommands of the command line share. Each subcommand
** lives in its own sim/cli_<name>.c and is reached from the table in cli.c.
*/
#ifndef TCSIM_CLI_INT_H
#define TCSIM_CLI_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "tcsim/plot.h"

extern const char tc_cli_usage_text[];
extern const char tc_cli_help_text[];

/* Prints "tcsim: <message>" and the usage to stderr; returns TC_EXIT_USAGE. */
int tc_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A full-string unsigned decimal parse, at most max; 0 on success, -1 otherwise. */
int tc_cli_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* "out/<file name without .yaml/.yml>", a new string to free(). */
char *tc_cli_default_outdir(const char *path);
/* Seconds elapsed since t0 (CLOCK_MONOTONIC). */
double tc_cli_seconds_since(const struct timespec *t0);

/* Subcommands: argv[0] is "tcsim <name>"; each returns an exit code of cli.h. */
int tc_cli_run(int argc, char **argv);
int tc_cli_compare(int argc, char **argv);
int tc_cli_plot(int argc, char **argv);
int tc_cli_sweep(int argc, char **argv);

/*
** Draws the plots of dir (a run's or a sweep's outputs) and reports on
** stderr: the pictures written, or gnuplot missing (naming the package to
** install), or what failed. Returns TC_EXIT_OK or TC_EXIT_FAIL.
*/
int tc_cli_plot_dir(const char *dir, enum tc_plot_format fmt, bool quiet);

#endif
