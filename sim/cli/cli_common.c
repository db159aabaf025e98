/*
** cli_common: what the subcommands share: usage and help texts, the options
** of run and sweep, number parsing, stop signals, default output folders.
*/
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "tcsim/engine.h"
#include "tcsim/runner.h"
#include "tcsim/units.h"

const char tc_cli_usage_text[] =
    "usage: tcsim run SCENARIO.yaml [-o DIR] [-r REPS] [-s SEED] [-j THREADS]\n"
    "                               [--set KEY=VALUE]... [--trace[=visits] [--gzip]]\n"
    "                               [--max-trucks N] [--observed OBS.csv]\n"
    "                               [--plot[=FORMAT]] [--size WxH] [--dpi N] [--report]\n"
    "                               [--quiet]\n"
    "       tcsim validate SCENARIO.yaml...\n"
    "       tcsim sweep SCENARIO.yaml --vary KEY=FROM:TO:STEP [--vary ...] [-o DIR]\n"
    "                   [-r REPS] [-s SEED] [-j THREADS] [--set KEY=VALUE]... [--no-plot]\n"
    "                   [--report]\n"
    "                   [--format png|svg|pdf] [--size WxH] [--dpi N]\n"
    "       tcsim optimize SCENARIO.yaml --vary KEY=SPEC... (--minimize M | --maximize M)\n"
    "                      [--subject-to 'M<=V']... [--confidence P] [--indifference D]\n"
    "                      [--tolerance F] [-r N0] [--max-replications N] [-o DIR]\n"
    "                      [-j THREADS] [--set KEY=VALUE]... [--keep]\n"
    "                      [--search grid|local|auto] [--plot[=FORMAT]] [--report]\n"
    "                      [--quiet]\n"
    "       tcsim study STUDY.yaml [-o DIR] [-r REPS] [-s SEED] [-j THREADS] [--report]\n"
    "                  [--quiet]\n"
    "       tcsim fit SCENARIO.yaml --observed OBS.csv --param KEY=LO:HI [--param ...]\n"
    "                 [--holdout FROM:TO] [-o DIR] [-r REPS] [-s SEED] [-j THREADS] [--quiet]\n"
    "                 [--plot[=png|svg|pdf]] [--report]\n"
    "       tcsim plot DIR [--format png|svg|pdf] [--size WxH] [--dpi N]\n"
    "       tcsim report DIR [-o FILE] [--scenario FILE]\n"
    "       tcsim verify [--quiet]\n"
    "       tcsim compare BASELINE.json CANDIDATE.json [--metrics PATTERN,...]\n"
    "                     [--rel-tol X] [--abs-tol X] [--json]\n"
    "       tcsim --help | --version\n"
    "       (-- ends the options: a file after it may start with '-')\n";

const char tc_cli_help_text[] =
    "tcsim simulates truck congestion at land border crossings: trucks arrive at\n"
    "holding yards and clearance lanes, wait, are served, block each other when\n"
    "space runs out, and leave.\n"
    "\n"
    "Commands:\n"
    "  run SCENARIO.yaml      simulate; print a summary and write the outputs to DIR\n"
    "    -o, --output DIR     output directory (default out/<scenario file name>)\n"
    "    -r, --replications N override the scenario's replications\n"
    "    -s, --seed N         override the scenario's seed\n"
    "    -j, --threads N      run replications on N threads (same results for any N)\n"
    "        --set KEY=VALUE  override a value of the file, e.g.\n"
    "                         --set stations.customs.servers=8 (repeatable)\n"
    "        --trace[=visits] also write trucks.csv, a row per truck; =visits adds\n"
    "                         visits.csv, a row per station visit\n"
    "        --gzip           write the trace gzipped: trucks.csv.gz, visits.csv.gz\n"
    "        --max-trucks N   stop when more than N trucks are in the system at once\n"
    "                         (default 10,000,000, about 1 GB)\n"
    "        --plot[=FORMAT]  then draw the plots into DIR/plots/ (png, svg, pdf)\n"
    "        --report         then write DIR/report.html (as tcsim report)\n"
    "        --observed OBS.csv  observations (time,metric,value[,weight], as for fit):\n"
    "                         checked, copied into DIR and drawn on the plots\n"
    "    -q, --quiet          print nothing but errors (and no progress line)\n"
    "  validate FILE...       check scenarios; print every problem found\n"
    "  sweep SCENARIO.yaml    run every combination of the --vary values with the\n"
    "                         same seed (common random numbers); write sweep.csv,\n"
    "                         each variant's outputs in DIR/<KEY=value,...>/ and plots\n"
    "        --vary KEY=SPEC  SPEC: FROM:TO:STEP (e.g. 2:12:1, 30:60:10/h) or a,b,c\n"
    "        -o, -r, -s, -j, --set, --quiet  as for run (default DIR out/<name>-sweep)\n"
    "        --no-plot        do not draw the sweep plots (--format F: their format)\n"
    "        --report         then write DIR/report.html with sweep.csv and the plots\n"
    "  optimize SCENARIO.yaml the best candidate of a --vary grid that meets the\n"
    "                         constraints, with a stated confidence (KN selection,\n"
    "                         sequential feasibility, common random numbers)\n"
    "        --minimize M     a summary.json path or a --vary key (--maximize M)\n"
    "        --subject-to C   'M<=V' or 'M>=V'; durations take units ('... <= 24 h')\n"
    "        --confidence P   probability of a correct answer (default 0.95)\n"
    "        --indifference D differences below D do not matter (default 5 % of\n"
    "                         the mean objective); --tolerance F: a constraint's,\n"
    "                         as a fraction of V (default 0.05)\n"
    "        -r N0            first-stage replications (default 10)\n"
    "        --max-replications N  per candidate (default 1000)\n"
    "        -o, -j, --set, --quiet  as for run (default DIR out/<name>-optimize);\n"
    "                         writes optimize.csv, optimize.json, DIR/best/\n"
    "        --keep           also every simulated candidate's outputs in\n"
    "                         DIR/candidates/<KEY=value,...>/\n"
    "        --search S       grid: every candidate; local: a neighbourhood search\n"
    "                         from the grid's centre, then the comparison among\n"
    "                         the 5 best points seen; auto (default): local above\n"
    "                         300 candidates\n"
    "        --plot[=FORMAT]  then draw DIR/plots/optimize.png (svg, pdf)\n"
    "        --report         then write DIR/report.html with the chosen candidate\n"

    "  study STUDY.yaml       run a study's named options (each a list of --set\n"
    "                         overrides) with the same seed; compare each with the\n"
    "                         baseline replication by replication (paired t, Holm);\n"
    "                         write each option's outputs in DIR/<option>/, then\n"
    "                         options.csv and options.json; print the headline table\n"
    "        -o, -r, -s, -j, --quiet  as for run (default DIR out/<study file name>)\n"
    "        --report         then write DIR/report.html with the options' differences\n"
    "  fit SCENARIO.yaml      calibrate: choose --param values within LO:HI that best\n"
    "                         match OBS.csv (time,metric,value[,weight]); write\n"
    "                         fit.csv, fit.json and scenario.yaml to DIR\n"
    "                         (default out/<name>-fit); -r, -s, -j, --set as for run\n"
    "                         and DIR/best/ (the fitted scenario run with the fit's\n"
    "                         seeds); --plot[=FORMAT] draws DIR/plots/fit.png and\n"
    "                         the run's plots, --report writes DIR/report.html\n"
    "  plot DIR               draw a run's or a sweep's outputs with gnuplot into\n"
    "                         DIR/plots/ (needs the gnuplot-nox package)\n"
    "        --format F       png (default), svg or pdf\n"
    "        --size WxH       picture size with a unit: 16x10cm, 6.3x4in, 1200x800px\n"
    "                         (default: a PDF 16 cm wide, fit for an A4 or Letter page)\n"
    "        --dpi N          pixels per inch of a PNG (default 144); also for\n"
    "                         run --plot and sweep\n"
    "  report DIR             one self-contained HTML page of a run's outputs, to mail:\n"
    "                         assumptions, headline and per-station tables with CIs,\n"
    "                         warnings, how to reproduce (default DIR/report.html)\n"
    "        -o FILE          write the page to FILE\n"
    "        --scenario FILE  the original scenario, whose comments the page shows\n"
    "  verify                 compare the simulator with exact queueing results\n"
    "  compare BASE CAND      do two summary.json agree? Welch t test per metric,\n"
    "                         Holm-adjusted (family-wise 5 %); lists what moved;\n"
    "                         exit 0 agree, 1 moved, 2 unreadable or not comparable\n"
    "        --metrics P,...  only metrics matching these globs (stations.*.wait)\n"
    "        --rel-tol X      differences within X (0.05 or 5%) of the baseline agree\n"
    "        --abs-tol X      differences within X agree\n"
    "        --json           print the verdict as JSON\n"
    "\n"
    "Outputs of run: summary.json, summary.csv, replications.csv, timeseries.csv,\n"
    "scenario.yaml, then complete.json (the set is complete). One run at a time\n"
    "per DIR.\n"
    "Exit codes: 0 success; 1 invalid input, failed run, I/O error or failed\n"
    "verification; 2 wrong command line; 130 interrupted (SIGINT or SIGTERM):\n"
    "nothing was written (or, during the final renames, all of it).\n"
    "The scenario format is described in scenarios/README.md.\n";

int tc_cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tcsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    fputs(tc_cli_usage_text, stderr);
    return TC_EXIT_USAGE;
}

int tc_cli_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int tc_cli_sim_opt(struct tc_cli_sim_opts *o, int c, char *arg)
{
    uint64_t v;
    switch (c) {
    case 'r':
        /* checked here too: the scenario's check would name the override "--set:N" */
        if (tc_cli_parse_u64(arg, TC_LIMIT_REPLICATIONS, &v) || v == 0) {
            tc_cli_usage_error("-r: expected a number of replications from 1 to %u "
                               "(TC_LIMIT_REPLICATIONS in tcsim/limits.h), got \"%s\"",
                               TC_LIMIT_REPLICATIONS, arg);
            return -1;
        }
        o->reps = arg;
        return 1;
    case 's':
        if (tc_cli_parse_u64(arg, UINT64_MAX, &v)) {
            tc_cli_usage_error("-s: expected an unsigned integer seed, got \"%s\"", arg);
            return -1;
        }
        o->seed = arg;
        return 1;
    case 'j':
        if (tc_cli_parse_u64(arg, 1024, &o->threads) || o->threads == 0) {
            tc_cli_usage_error("-j: expected a number of threads from 1 to 1024, got \"%s\"", arg);
            return -1;
        }
        return 1;
    case 'S': {
        char *eq = strchr(arg, '=');
        if (!eq || eq == arg) {
            tc_cli_usage_error("--set: expected KEY=VALUE, got \"%s\"", arg);
            return -1;
        }
        *eq = '\0';
        TC_VEC_PUSH(o->set, ((struct tc_override){arg, eq + 1}));
        return 1;
    }
    default:
        return 0;
    }
}

void tc_cli_sim_opts_finish(struct tc_cli_sim_opts *o)
{
    if (o->reps)
        TC_VEC_PUSH(o->set, ((struct tc_override){"replications", o->reps}));
    if (o->seed)
        TC_VEC_PUSH(o->set, ((struct tc_override){"seed", o->seed}));
}

/* The stop request of the program's current run; the library holds none. */
static struct tc_stop cli_stop;

static void on_stop_signal(int sig)
{
    (void)sig;
    tc_stop_request(&cli_stop);
}

const struct tc_stop *tc_cli_catch_signals(struct tc_cli_signals *saved)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND; /* a second signal kills at once */
    sigemptyset(&sa.sa_mask);
    tc_stop_clear(&cli_stop);
    sigaction(SIGINT, &sa, &saved->old_int);
    sigaction(SIGTERM, &sa, &saved->old_term);
    return &cli_stop;
}

void tc_cli_restore_signals(const struct tc_cli_signals *saved)
{
    sigaction(SIGINT, &saved->old_int, NULL);
    sigaction(SIGTERM, &saved->old_term, NULL);
}

bool tc_cli_stop_requested(void)
{
    return tc_stop_requested(&cli_stop);
}

static bool commit_stopped(void *ud)
{
    (void)ud;
    return tc_stop_requested(&cli_stop);
}

static sigset_t mask_before_renames;

static void block_stop_signals(void *ud)
{
    (void)ud;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &mask_before_renames);
}

/* A signal held off during the renames arrives here and sets the stop request. */
static void unblock_stop_signals(void *ud)
{
    (void)ud;
    pthread_sigmask(SIG_SETMASK, &mask_before_renames, NULL);
}

void tc_cli_commit_opts(struct tc_afile_opts *o)
{
    /* A commit is short and cleans up after itself: a second signal no longer kills (which
       would leave its temporaries and exit 143); it is one more stop request. */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    memset(o, 0, sizeof(*o));
    o->stopped = commit_stopped;
    o->begin_renames = block_stop_signals;
    o->end_renames = unblock_stop_signals;
}

int tc_cli_lock_outdir(struct tc_afile_lock *l, const char *dir)
{
    int err = tc_afile_lock(l, dir);
    if (err == -EWOULDBLOCK) {
        fprintf(stderr, "tcsim: %s is being written by another tcsim run; nothing was written\n",
                dir);
        return TC_EXIT_FAIL;
    }
    if (err) {
        fprintf(stderr, "tcsim: cannot write '%s': %s (no output was written)\n", dir,
                strerror(-err));
        return TC_EXIT_FAIL;
    }
    return TC_EXIT_OK;
}

char *tc_cli_default_outdir(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    char *d = tc_xmalloc(n + 5);
    memcpy(d, "out/", 4);
    memcpy(d + 4, base, n);
    d[n + 4] = '\0';
    return d;
}

/* errno of a write to stdout that failed earlier: a later fflush may no longer say it */
static int stdout_errno;

void tc_cli_print_help(void)
{
    /* longer than stdio's buffer: a write fails inside fputs, so keep its errno */
    if (fputs(tc_cli_help_text, stdout) == EOF)
        tc_cli_stdout_failed(-errno);
}

void tc_cli_stdout_failed(int err)
{
    if (err < 0 && !stdout_errno)
        stdout_errno = -err;
}

int tc_cli_check_stdout(void)
{
    static bool reported;
    if (reported)
        return -1;
    errno = 0;
    int err = fflush(stdout) != 0 ? errno : 0;
    if (stdout_errno && (err || ferror(stdout)))
        err = stdout_errno;
    if (!err && !ferror(stdout))
        return 0;
    reported = true;
    if (err)
        fprintf(stderr, "tcsim: write error on standard output: %s\n", strerror(err));
    else
        fputs("tcsim: write error on standard output\n", stderr);
    return -1;
}

double tc_cli_seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* ==== validate ==== */

void tc_cli_say_stuck(uint32_t rep, double t, enum tc_time_unit tu, const char *station,
                      const char *prefix, const char *tail)
{
    char where[160] = "";
    if (station)
        snprintf(where, sizeof(where), " at station \"%s\"", station);
    fprintf(stderr,
            "tcsim: %sreplication %" PRIu32 " stopped at %.6g %s (day %.1f): more than %u events "
            "at one instant%s, so simulated time stopped advancing: trucks pass through it again "
            "and again without time passing. Give the service there a duration above 0 or lower "
            "the probability of the route back to it. %s\n",
            prefix, rep + 1, t, tc_units_name(tu), t / tc_units_day(tu), TC_ENGINE_MAX_SAME_TIME,
            where, tail);
}
