/*
** cli_sweep: `tcsim sweep`. Every variant is loaded (and so validated)
** before any runs, so a bad value fails at once with nothing written. Then
** the variants run one after another, each on -j threads, each with the
** scenario's seed (common random numbers), and each variant's full outputs
** are committed to DIR/<variant>/ as soon as it finishes, exactly as
** `tcsim run -o DIR/<variant>` would write them. sweep.csv is committed
** last, then the sweep plots are drawn (a missing gnuplot is a warning
** here: the numbers are what was asked for).
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

static int write_csv(void *ud, FILE *f)
{
    return tc_sweep_write_csv(ud, f);
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

int tc_cli_sweep(int argc, char **argv)
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
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *outdir = NULL;
    bool quiet = false, plot = true;
    enum tc_plot_format fmt = TC_PLOT_PNG;
    struct tc_cli_sim_opts so = {.threads = 1};
    struct tc_sweep sw;
    tc_sweep_init(&sw);
    int c, rc = TC_EXIT_USAGE;
    char *dir = NULL;
    struct tc_override *vo = NULL;
    struct tc_scenario *sc = NULL;
    struct tc_mpi *mj = NULL;
    struct tc_progress pg;
    tc_progress_init(&pg, NULL, 0);
    struct tc_afile_lock lock = {.fd = -1};
    struct tc_afile_opts co;
    tc_cli_commit_opts(&co);
    while ((c = getopt_long(argc, argv, "o:" TC_CLI_SIM_SHORT "qh", opts, NULL)) != -1) {
        int taken = tc_cli_sim_opt(&so, c, optarg);
        if (taken < 0)
            goto out;
        if (taken)
            continue;
        switch (c) {
        case 'V': {
            const char *err = tc_sweep_add_vary(&sw, optarg);
            if (err) {
                tc_cli_usage_error("--vary \"%s\": %s", optarg, err);
                goto out;
            }
            break;
        }
        case 'o':
            outdir = optarg;
            break;
        case 'f':
            if (tc_plot_parse_format(optarg, &fmt)) {
                tc_cli_usage_error("--format: expected png, svg or pdf, got \"%s\"", optarg);
                goto out;
            }
            break;
        case 'N':
            plot = false;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(tc_cli_help_text, stdout);
            rc = TC_EXIT_OK;
            goto out;
        default:
            fputs(tc_cli_usage_text, stderr);
            goto out;
        }
    }
    if (optind + 1 != argc) {
        tc_cli_usage_error("%s", optind >= argc ? "sweep: missing SCENARIO.yaml"
                                                : "sweep: expected exactly one scenario file");
        goto out;
    }
    if (sw.n_axes == 0) {
        tc_cli_usage_error("%s", "sweep: expected at least one --vary KEY=FROM:TO:STEP");
        goto out;
    }
    const char *path = argv[optind];
    rc = TC_EXIT_FAIL;
    tc_cli_sim_opts_finish(&so);
    vo = tc_xcalloc(so.set.n + sw.n_axes, sizeof(*vo));

    /* 1. load every variant: all problems of all variants, before anything runs */
    uint64_t total_reps = 0;
    bool bad = false;
    for (uint32_t v = 0; v < sw.n_variants; v++) {
        size_t nv = tc_sweep_overrides(&sw, v, so.set.v, so.set.n, vo);
        struct tc_diags diags;
        tc_diags_init(&diags);
        struct tc_scenario *s = tc_scenario_load(path, vo, nv, &diags);
        tc_diags_sort(&diags);
        if (diags.n_err || (!quiet && diags.n)) {
            char *name = tc_sweep_variant_name_new(&sw, v);
            fprintf(stderr, "tcsim: variant %s:\n", name);
            free(name);
            tc_diags_print(&diags, stderr);
        }
        bad |= diags.n_err > 0 || !s;
        if (s)
            total_reps += s->replications;
        tc_diags_fini(&diags);
        tc_scenario_free(s);
    }
    if (bad)
        goto out;

    /* 2. run them, the directory locked and the stop signals caught until sweep.csv is in */
    dir = outdir ? tc_xstrdup(outdir) : default_dir(path);
    if (tc_cli_lock_outdir(&lock, dir) != TC_EXIT_OK)
        goto out;
    struct tc_cli_signals sigs;
    const struct tc_stop *stop = tc_cli_catch_signals(&sigs);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tc_progress_init(&pg, tc_progress_wanted(stderr, quiet) ? stderr : NULL, total_reps);
    uint64_t n_trucks = 0;
    struct mpi_ud mud = {&sw, so.set.v, so.set.n};
    struct tc_mpi_job job = {.path = path,
                             .n_variants = sw.n_variants,
                             .n_overrides = so.set.n + sw.n_axes,
                             .overrides = mpi_overrides,
                             .name = mpi_name,
                             .ud = &mud,
                             .n_threads = (uint32_t)so.threads};
    if (tc_mpi_size() > 1)
        mj = tc_mpi_start(&job);
    for (uint32_t v = 0; v < sw.n_variants; v++) {
        size_t nv = tc_sweep_overrides(&sw, v, so.set.v, so.set.n, vo);
        struct tc_diags diags;
        tc_diags_init(&diags);
        sc = tc_scenario_load(path, vo, nv, &diags);
        tc_diags_fini(&diags);
        if (!sc) /* it loaded a moment ago: the file changed under us */
            goto fail;
        char *name = tc_sweep_variant_name_new(&sw, v);
        char label[160];
        snprintf(label, sizeof(label), "variant %" PRIu32 "/%" PRIu32 " (%.100s)", v + 1,
                 sw.n_variants, name);
        tc_progress_begin_run(&pg, label, sc->horizon / tc_units_day(sc->time_unit));
        struct tc_runner_opts ro = {.n_threads = (uint32_t)so.threads,
                                    .progress = tc_progress_runner_cb,
                                    .ud = &pg,
                                    .stop = stop};
        struct tc_run run;
        int err = mj ? tc_mpi_next(mj, v, sc, &ro, &run) : tc_runner_run_opts(&run, sc, &ro);
        tc_progress_end_run(&pg, run.n_reps);
        n_trucks += run.n_trucks;
        size_t nd = strlen(dir) + strlen(name) + 2;
        char *vdir = tc_xmalloc(nd);
        snprintf(vdir, nd, "%s/%s", dir, name);
        const char *failed = NULL;
        struct tc_afile_lock vlock = {.fd = -1};
        bool said = false; /* the write failed and said so */
        if (!err && (err = tc_afile_lock(&vlock, vdir)) != 0) {
            said = true;
            tc_progress_finish(&pg);
            if (err == -EWOULDBLOCK)
                fprintf(stderr, "tcsim: %s is being written by another tcsim run\n", vdir);
            else
                fprintf(stderr, "tcsim: cannot write '%s': %s\n", vdir, strerror(-err));
        } else if (!err) {
            err = tc_output_write_all_with(&run, vdir, NULL, 0, &co, &failed);
            tc_afile_unlock(&vlock);
            if (err && err != -EINTR) {
                tc_progress_finish(&pg);
                fprintf(stderr, "tcsim: cannot write '%s': %s\n", failed ? failed : vdir,
                        strerror(-err));
                said = true;
            }
        }
        if (said) {
            /* said above */
        } else if (err == -EINTR) {
            tc_progress_finish(&pg);
            fprintf(stderr,
                    "tcsim: interrupted in variant %s (%" PRIu32 " of %" PRIu32
                    " done, each in its directory in %s/); sweep.csv was not written\n",
                    name, v, sw.n_variants, dir);
            if (mj)
                fprintf(stderr, "tcsim: %s\n", tc_mpi_message(mj));
            rc = TC_EXIT_INTERRUPTED;
        } else if (err == -EOVERFLOW) {
            tc_progress_finish(&pg);
            fprintf(stderr,
                    "tcsim: variant %s: replication %" PRIu32
                    " stopped at %.6g %s (day %.1f): more than %u trucks in the system at once "
                    "(the limit of a run's --max-trucks); so many usually means the network "
                    "cannot keep up. Shorten the horizon or leave this value out; "
                    "sweep.csv was not written\n",
                    name, run.stop_rep + 1, run.stop_t, tc_units_name(sc->time_unit),
                    run.stop_t / tc_units_day(sc->time_unit), TC_ENGINE_MAX_TRUCKS);
        } else if (err == -ELOOP) {
            tc_progress_finish(&pg);
            char pre[160];
            snprintf(pre, sizeof(pre), "variant %s: ", name);
            tc_cli_say_stuck(&run, sc, pre, "sweep.csv was not written.");
        } else if (err == -EREMOTEIO && mj) {
            tc_progress_finish(&pg);
            fprintf(stderr, "tcsim: %s; sweep.csv was not written\n", tc_mpi_message(mj));
        } else if (err) {
            tc_progress_finish(&pg);
            fprintf(stderr, "tcsim: variant %s failed: %s\n", name, strerror(-err));
        } else if (tc_sweep_store(&sw, v, &run) != 0) {
            tc_progress_finish(&pg);
            fprintf(stderr,
                    "tcsim: variant %s has other stations, classes or roads than the first; "
                    "a sweep may vary values, not the network\n",
                    name);
            err = -EINVAL;
        }
        free(vdir);
        free(name);
        tc_run_fini(&run);
        tc_scenario_free(sc);
        sc = NULL;
        if (err)
            goto fail;
    }
    tc_progress_finish(&pg);

    /* 3. sweep.csv, the table, the plots */
    struct tc_afile_item item = {"sweep.csv", write_csv, &sw};
    const char *failed = NULL;
    int err = tc_afile_commit_opts(dir, &item, 1, &co, &failed);
    if (err == -EINTR) {
        fprintf(stderr, "tcsim: interrupted after the last variant; sweep.csv was not written\n");
        rc = TC_EXIT_INTERRUPTED;
        goto fail;
    }
    if (err) {
        fprintf(stderr, "tcsim: cannot write '%s': %s\n", failed ? failed : dir, strerror(-err));
        goto fail;
    }
    if (tc_cli_stop_requested()) { /* held off while sweep.csv was renamed */
        fprintf(stderr,
                "tcsim: interrupted while sweep.csv was committed: it was committed "
                "complete in %s/\n",
                dir);
        rc = TC_EXIT_INTERRUPTED; /* the handlers stay to the end: exit 130, not a kill */
        goto out;
    }
    tc_cli_restore_signals(&sigs); /* Ctrl-C stops the plots */
    if (!quiet) {
        print_table(&sw, stdout);
        tc_cli_check_stdout(); /* flushed before the closing line; a write error said now */
        enum tc_time_unit tu = TC_TU_MIN;
        tc_sweep_time_unit(&sw, &tu);
        fprintf(stderr,
                "tcsim: %" PRIu32 " variant%s, %" PRIu64 " replications, %" PRIu64
                " trucks in %.2f s (times in %s); sweep.csv and one directory per variant in "
                "%s/\n",
                sw.n_variants, sw.n_variants == 1 ? "" : "s", total_reps, n_trucks,
                tc_cli_seconds_since(&t0), tc_units_name(tu), dir);
    }
    rc = TC_EXIT_OK;
    if (plot) {
        if (tc_plot_has_gnuplot())
            rc = tc_cli_plot_dir(dir, fmt, quiet);
        else if (!quiet)
            fputs("tcsim: warning: sweep plots skipped: gnuplot is not installed (install the "
                  "gnuplot-nox package: apt-get install gnuplot-nox)\n",
                  stderr);
    }
    goto out;
fail:
    tc_progress_finish(&pg);
    if (rc != TC_EXIT_INTERRUPTED)
        rc = TC_EXIT_FAIL;
out:
    tc_afile_unlock(&lock);
    tc_mpi_stop(mj); /* before sw and so go: the job uses them */
    tc_scenario_free(sc);
    free(dir);
    free(vo);
    free(so.set.v);
    tc_sweep_fini(&sw);
    return rc;
}
