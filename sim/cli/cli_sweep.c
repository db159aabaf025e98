/*
** cli_sweep: `tcsim sweep`, on the library's sweep (tc_sweep_check,
** tc_sweep_run, tc_sweep_commit in output.h): every variant is validated
** before any runs, each variant's outputs are committed to DIR/<variant>/
** as it finishes, sweep.csv last. This file adds what a program adds: the
** options, the directory lock, signals, progress, MPI ranks, the messages,
** the table and the plots (a missing gnuplot is a warning here: the
** numbers are what was asked for).
*/
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/jsonw.h"
#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "cli/progress.h"
#include "mpi/mpi.h"
#include "plot/plot.h"
#include "tcsim/afile.h"
#include "tcsim/diag.h"
#include "tcsim/engine.h"
#include "tcsim/output.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"
#include "tcsim/sweep.h"

/* "out/<file name>-sweep", a new string. */
static char *default_dir(const char *path)
{
    char *d = tc_cli_default_outdir(path);
    size_t n = strlen(d) + 7;
    char *s = tc_xmalloc(n);
    snprintf(s, n, "%s-sweep", d);
    free(d);
    return s;
}

/* mpirun -n N: every variant's replications spread over the ranks (mpi.h). */
struct mpi_ud {
    const struct tc_sweep *sw;
    const struct tc_override *base;
    size_t n_base;
};

static void mpi_overrides(void *ud, uint32_t v, struct tc_override *out)
{
    const struct mpi_ud *m = ud;
    tc_sweep_overrides(m->sw, v, m->base, m->n_base, out);
}

static char *mpi_name(void *ud, uint32_t v)
{
    return tc_sweep_variant_name_new(((const struct mpi_ud *)ud)->sw, v);
}

/* "12.3 ± 0.4" with the interval to two significant digits, or "-" when undefined. */
static void cell(char *buf, size_t len, const struct tc_stat *s)
{
    if (!isfinite(s->mean)) {
        snprintf(buf, len, "-");
        return;
    }
    if (!(s->ci95 > 0) || !isfinite(s->ci95)) {
        snprintf(buf, len, "%.4g", s->mean);
        return;
    }
    int d = 1 - (int)floor(log10(s->ci95));
    d = d < 0 ? 0 : d > 6 ? 6 : d;
    snprintf(buf, len, "%.*f \u00b1 %.*f", d, s->mean, d, s->ci95);
}

/* Terminal columns of UTF-8 text ("±" is one). */
static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/*
** The table on stdout: the varied values, then for each class the mean
** time in system and for each road its mean length in km. The full set is
** in sweep.csv.
*/
static void print_table(const struct tc_sweep *sw, FILE *f)
{
    size_t n_cols = sw->n_axes, n_kpi = 0;
    size_t *kpi = tc_xcalloc(sw->n_kpis ? sw->n_kpis : 1, sizeof(size_t));
    for (size_t i = 0; i < sw->n_kpis; i++) {
        const char *c = sw->kpis[i].column;
        size_t n = strlen(c);
        if ((strncmp(c, "classes.", 8) == 0 && n > 15 &&
             strcmp(c + n - 15, ".time_in_system") == 0) ||
            (strncmp(c, "roads.", 6) == 0 && n > 3 && strcmp(c + n - 3, ".km") == 0))
            kpi[n_kpi++] = i;
    }
    n_cols += n_kpi;
    char(*cells)[64] = tc_xcalloc((sw->n_variants + 1) * n_cols, sizeof(*cells));
    size_t *width = tc_xcalloc(n_cols, sizeof(size_t));
    uint32_t *idx = tc_xcalloc(sw->n_axes ? sw->n_axes : 1, sizeof(uint32_t));
    for (size_t c = 0; c < n_cols; c++) {
        const char *h = c < sw->n_axes ? sw->axes[c].key : sw->kpis[kpi[c - sw->n_axes]].column;
        snprintf(cells[c], 64, "%s", h);
    }
    for (uint32_t v = 0; v < sw->n_variants; v++) {
        tc_sweep_variant(sw, v, idx);
        char(*row)[64] = cells + (size_t)(v + 1) * n_cols;
        for (size_t c = 0; c < sw->n_axes; c++)
            snprintf(row[c], 64, "%s", sw->axes[c].values[idx[c]]);
        for (size_t k = 0; k < n_kpi; k++) {
            struct tc_stat st = tc_sweep_stat(sw, v, kpi[k]);
            cell(row[sw->n_axes + k], 64, &st);
        }
    }
    for (size_t r = 0; r <= sw->n_variants; r++)
        for (size_t c = 0; c < n_cols; c++) {
            size_t w = columns(cells[r * n_cols + c]);
            width[c] = w > width[c] ? w : width[c];
        }
    for (size_t r = 0; r <= sw->n_variants; r++) {
        for (size_t c = 0; c < n_cols; c++) {
            const char *s = cells[r * n_cols + c];
            size_t pad = width[c] - columns(s);
            fprintf(f, "%s%*s%s", c ? "  " : "", (int)pad, "", s);
        }
        fputc('\n', f);
    }
    free(idx);
    free(width);
    free(cells);
    free(kpi);
}

/* parse_args after --help: nothing more to do, exit 0. */
enum { HELP_SHOWN = -1 };

/* What tc_cli_sweep's steps share. */
struct sweep_cmd {
    const char *path, *outdir;
    bool quiet, plot, report;
    char *cmd; /* the command as typed, for --report */
    struct tc_plot_opts po;
    struct tc_cli_sim_opts so;
    struct tc_sweep sw;
    char *dir;
    struct tc_mpi *mj;
    struct tc_progress pg;
    uint64_t total_reps;
};

/* Options into c; TC_EXIT_OK to go on, else the exit code (usage said, or --help). */
static int parse_args(struct sweep_cmd *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"vary", required_argument, NULL, 'V'},
        {"output", required_argument, NULL, 'o'},
        {"replications", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, 'S'},
        {"format", required_argument, NULL, 'f'},
        {"no-plot", no_argument, NULL, 'N'},
        {"report", no_argument, NULL, 'R'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        TC_CLI_PLOT_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int o;
    while ((o = getopt_long(argc, argv, "o:" TC_CLI_SIM_SHORT "qh", opts, NULL)) != -1) {
        int taken = tc_cli_sim_opt(&c->so, o, optarg);
        if (!taken)
            taken = tc_cli_plot_opt(&c->po, o, optarg);
        if (taken < 0)
            return TC_EXIT_USAGE;
        if (taken)
            continue;
        switch (o) {
        case 'V': {
            const char *err = tc_sweep_add_vary(&c->sw, optarg);
            if (err)
                return tc_cli_usage_error("--vary \"%s\": %s", optarg, err);
            break;
        }
        case 'o':
            c->outdir = optarg;
            break;
        case 'f':
            if (tc_plot_parse_format(optarg, &c->po.format))
                return tc_cli_usage_error("--format: expected png, svg or pdf, got \"%s\"", optarg);
            break;
        case 'N':
            c->plot = false;
            break;
        case 'R':
            c->report = true;
            break;
        case 'q':
            c->quiet = true;
            break;
        case 'h':
            tc_cli_print_help();
            return HELP_SHOWN;
        default:
            fputs(tc_cli_usage_text, stderr);
            return TC_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return tc_cli_usage_error("%s", optind >= argc
                                            ? "sweep: missing SCENARIO.yaml"
                                            : "sweep: expected exactly one scenario file");
    if (c->sw.n_axes == 0)
        return tc_cli_usage_error("%s", "sweep: expected at least one --vary KEY=FROM:TO:STEP");
    c->path = argv[optind];
    tc_cli_sim_opts_finish(&c->so);
    return TC_EXIT_OK;
}

/* A variant's diagnostics on stderr, under its name (warnings only when not quiet). */
static void print_diags(void *ud, uint32_t v, const struct tc_diags *diags)
{
    const struct sweep_cmd *c = ud;
    if (!diags->n_err && c->quiet)
        return;
    char *name = tc_sweep_variant_name_new(&c->sw, v);
    fprintf(stderr, "tcsim: variant %s:\n", name);
    free(name);
    tc_diags_print(diags, stderr);
}

static void begin_variant(void *ud, uint32_t v, const char *name, const struct tc_scenario *sc)
{
    struct sweep_cmd *c = ud;
    char label[160];
    snprintf(label, sizeof(label), "variant %" PRIu32 "/%" PRIu32 " (%.100s)", v + 1,
             c->sw.n_variants, name);
    tc_progress_begin_run(&c->pg, label, sc->horizon / tc_units_day(sc->time_unit));
}

static void end_variant(void *ud, uint32_t v, const struct tc_run *run)
{
    (void)v;
    tc_progress_end_run(&((struct sweep_cmd *)ud)->pg, run->n_reps);
}

static int run_on_ranks(void *ud, uint32_t v, const struct tc_scenario *sc,
                        const struct tc_runner_opts *ro, struct tc_run *run)
{
    return tc_mpi_next(((struct sweep_cmd *)ud)->mj, v, sc, ro, run);
}

/* Why the sweep stopped, on stderr; the exit code. */
static int report_failure(const struct sweep_cmd *c, const struct tc_sweep_status *st)
{
    char *name = tc_sweep_variant_name_new(&c->sw, st->variant);
    int rc = TC_EXIT_FAIL;
    switch (st->err) {
    case -EINTR:
        fprintf(stderr,
                "tcsim: interrupted in variant %s (%" PRIu32 " of %" PRIu32
                " done, each in its directory in %s/); sweep.csv was not written\n",
                name, st->variant, c->sw.n_variants, c->dir);
        if (c->mj)
            fprintf(stderr, "tcsim: %s\n", tc_mpi_message(c->mj));
        rc = TC_EXIT_INTERRUPTED;
        break;
    case -EOVERFLOW:
        fprintf(stderr,
                "tcsim: variant %s: replication %" PRIu32
                " stopped at %.6g %s (day %.1f): more than %u trucks in the system at once "
                "(the limit of a run's --max-trucks); so many usually means the network "
                "cannot keep up. Shorten the horizon or leave this value out; "
                "sweep.csv was not written\n",
                name, st->stop_rep + 1, st->stop_t, tc_units_name(st->time_unit),
                st->stop_t / tc_units_day(st->time_unit), TC_ENGINE_MAX_TRUCKS);
        break;
    case -ELOOP: {
        char pre[160];
        snprintf(pre, sizeof(pre), "variant %s: ", name);
        tc_cli_say_stuck(st->stop_rep, st->stop_t, st->time_unit,
                         st->stop_station[0] ? st->stop_station : NULL, pre,
                         "sweep.csv was not written.");
        break;
    }
    case -EREMOTEIO:
        fprintf(stderr, "tcsim: %s; sweep.csv was not written\n",
                c->mj ? tc_mpi_message(c->mj) : strerror(EREMOTEIO));
        break;
    case -EWOULDBLOCK:
        fprintf(stderr, "tcsim: %s is being written by another tcsim run\n", st->failed);
        break;
    case -EXDEV:
        fprintf(stderr,
                "tcsim: variant %s has other stations, classes or roads than the first; "
                "a sweep may vary values, not the network\n",
                name);
        break;
    case -ESTALE:
        fprintf(stderr, "tcsim: variant %s no longer loads: %s changed during the sweep\n", name,
                c->path);
        break;
    default:
        if (st->failed[0])
            fprintf(stderr, "tcsim: cannot write '%s': %s\n", st->failed, strerror(-st->err));
        else
            fprintf(stderr, "tcsim: variant %s failed: %s\n", name, strerror(-st->err));
    }
    free(name);
    return rc;
}

/* sweep.csv, the table, the plots; the exit code. */
static int finish(struct sweep_cmd *c, const struct tc_sweep_status *st,
                  const struct tc_afile_opts *co, struct tc_cli_signals *sigs,
                  const struct timespec *t0)
{
    const char *failed = NULL;
    int err = tc_sweep_commit(&c->sw, c->dir, co, &failed);
    if (err == -EINTR) {
        fprintf(stderr, "tcsim: interrupted after the last variant; sweep.csv was not written\n");
        return TC_EXIT_INTERRUPTED;
    }
    if (err) {
        fprintf(stderr, "tcsim: cannot write '%s': %s\n", failed ? failed : c->dir, strerror(-err));
        return TC_EXIT_FAIL;
    }
    if (tc_cli_stop_requested()) { /* held off while sweep.csv was renamed */
        fprintf(stderr,
                "tcsim: interrupted while sweep.csv was committed: it was committed "
                "complete in %s/\n",
                c->dir);
        return TC_EXIT_INTERRUPTED; /* the handlers stay to the end: exit 130, not a kill */
    }
    tc_cli_restore_signals(sigs); /* Ctrl-C stops the plots */
    if (!c->quiet) {
        print_table(&c->sw, stdout);
        tc_cli_check_stdout(); /* flushed before the closing line; a write error said now */
        enum tc_time_unit tu = TC_TU_MIN;
        tc_sweep_time_unit(&c->sw, &tu);
        fprintf(stderr,
                "tcsim: %" PRIu32 " variant%s, %" PRIu64 " replications, %" PRIu64
                " trucks in %.2f s (times in %s); sweep.csv and one directory per variant in "
                "%s/\n",
                c->sw.n_variants, c->sw.n_variants == 1 ? "" : "s", c->total_reps, st->n_trucks,
                tc_cli_seconds_since(t0), tc_units_name(tu), c->dir);
    }
    if (!c->plot)
        return TC_EXIT_OK;
    if (tc_plot_has_gnuplot())
        return tc_cli_plot_dir(c->dir, &c->po, c->quiet);
    if (!c->quiet)
        fputs("tcsim: warning: sweep plots skipped: gnuplot is not installed (install the "
              "gnuplot-nox package: apt-get install gnuplot-nox)\n",
              stderr);
    return TC_EXIT_OK;
}

int tc_cli_sweep(int argc, char **argv)
{
    struct sweep_cmd c = {.plot = true, .po = {.format = TC_PLOT_PNG}, .so = {.threads = 1}};
    tc_sweep_init(&c.sw);
    tc_progress_init(&c.pg, NULL, 0);
    struct tc_afile_lock lock = {.fd = -1};
    c.cmd = tc_cli_join_args(argc, argv);
    int rc = parse_args(&c, argc, argv);
    if (rc != TC_EXIT_OK)
        goto out;

    /* 1. load every variant: all problems of all variants, before anything runs */
    rc = TC_EXIT_FAIL;
    if (tc_sweep_check(&c.sw, c.path, c.so.set.v, c.so.set.n, print_diags, &c, &c.total_reps))
        goto out;

    /* 2. run them, the directory locked and the stop signals caught until sweep.csv is in */
    c.dir = c.outdir ? tc_xstrdup(c.outdir) : default_dir(c.path);
    if (tc_cli_lock_outdir(&lock, c.dir) != TC_EXIT_OK)
        goto out;
    struct tc_afile_opts co;
    tc_cli_commit_opts(&co);
    struct tc_cli_signals sigs;
    const struct tc_stop *stop = tc_cli_catch_signals(&sigs);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tc_progress_init(&c.pg, tc_progress_wanted(stderr, c.quiet) ? stderr : NULL, c.total_reps);
    struct mpi_ud mud = {&c.sw, c.so.set.v, c.so.set.n};
    struct tc_mpi_job job = {.path = c.path,
                             .n_variants = c.sw.n_variants,
                             .n_overrides = c.so.set.n + c.sw.n_axes,
                             .overrides = mpi_overrides,
                             .name = mpi_name,
                             .ud = &mud,
                             .n_threads = (uint32_t)c.so.threads};
    if (tc_mpi_size() > 1)
        c.mj = tc_mpi_start(&job);
    struct tc_sweep_hooks hooks = {
        .runner = {.n_threads = (uint32_t)c.so.threads,
                   .progress = tc_progress_runner_cb,
                   .ud = &c.pg,
                   .stop = stop},
        .commit = &co,
        .run = c.mj ? run_on_ranks : NULL,
        .begin = begin_variant,
        .end = end_variant,
        .ud = &c,
    };
    struct tc_sweep_status st;
    int err = tc_sweep_run(&c.sw, c.path, c.so.set.v, c.so.set.n, c.dir, &hooks, &st);
    tc_progress_finish(&c.pg);
    rc = err ? report_failure(&c, &st) : finish(&c, &st, &co, &sigs, &t0);
    if (!err && rc == TC_EXIT_OK && c.report)
        rc = tc_cli_report_dir(c.dir, &(struct tc_report_opts){.scenario_src = c.path}, c.cmd,
                               c.quiet);
out:
    if (rc == HELP_SHOWN)
        rc = TC_EXIT_OK;
    tc_afile_unlock(&lock);
    tc_mpi_stop(c.mj); /* before sw and so go: the job uses them */
    free(c.dir);
    free(c.cmd);
    free(c.so.set.v);
    tc_sweep_fini(&c.sw);
    return rc;
}
