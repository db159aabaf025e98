/*
** progress: the one-line report of a long run on stderr (README.md, the command line):
** replications done, simulated days, elapsed time and an estimate of the
** time left, redrawn in place with "\r". Shown only when the stream is a
** terminal and the user did not ask for --quiet; otherwise every call is a
** no-op. The runner calls it from its worker threads under its own lock,
** so the state here needs no lock. Redraws are throttled to 10 a second:
** a replication costs one clock read.
*/
#ifndef TCSIM_PROGRESS_H
#define TCSIM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct tc_progress {
    FILE *f;             /* NULL: disabled */
    struct timespec t0;  /* CLOCK_MONOTONIC at init */
    uint64_t n_total;    /* replications over the whole job (all sweep variants) */
    uint64_t n_base;     /* replications of the runs finished before the current one */
    uint64_t n_done;     /* replications finished, n_base included */
    double days_per_rep; /* simulated days of one replication of the current run */
    double days_done;    /* simulated days finished */
    double t_drawn;      /* seconds since t0 of the last redraw; < 0: never drawn */
    char label[160];     /* shown before the counts, e.g. "variant 3/11 (...)"; may be "" */
    size_t drawn_len;    /* columns of the line on screen, for the erase */
};

/* Should progress be shown on f? Only when f is a terminal and not quiet. */
bool tc_progress_wanted(FILE *f, bool quiet);

/*
** Starts a report of n_total replications on f (NULL: disabled; pass
** tc_progress_wanted(stderr, quiet) ? stderr : NULL). Draws nothing yet.
*/
void tc_progress_init(struct tc_progress *p, FILE *f, uint64_t n_total);

/*
** Begins one run of n_reps replications, each simulating days_per_rep
** days, under label (may be NULL). Call before tc_runner_run_opts.
*/
void tc_progress_begin_run(struct tc_progress *p, const char *label, double days_per_rep);

/*
** A tc_runner_progress_fn: ud is the struct tc_progress. Records that
** n_done of the current run's n_reps replications are finished and
** redraws when due (always for the last one).
*/
void tc_progress_runner_cb(void *ud, uint32_t n_done, uint32_t n_reps);

/* Ends the current run: its replications count as done from now on. */
void tc_progress_end_run(struct tc_progress *p, uint32_t n_reps);

/* Erases the line, so what is printed next starts on a clean line. */
void tc_progress_finish(struct tc_progress *p);

/*
** Formats the line (without "\r" or erase codes) into buf:
** "tcsim: LABEL: 7/10 replications, 49 simulated days, 1.2 s, about 0.5 s left"
** ("LABEL: " only when label is not empty; the estimate only once done > 0
** and done < total). Returns snprintf's result.
*/
int tc_progress_format(char *buf, size_t len, const char *label, uint64_t done, uint64_t total,
                       double days, double elapsed_s);

/* A duration for people: "0.4 s", "12 s", "3 min 05 s", "2 h 07 min". Returns buf. */
char *tc_progress_duration(double s, char *buf, size_t len);

#endif
