/*
** cli_run: `tcsim run`. Loads and validates (overrides first), runs the
** replications, then writes every output as one atomic batch and prints
** the summary table; nothing is written when anything failed. The output
** directory is locked for the whole run, and the stop signals stay caught
** until the batch is committed.
*/
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rfile.h"
#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "cli/progress.h"
#include "mpi/mpi.h"
#include "output/trucks.h"
#include "run/observed.h"
#include "tcsim/diag.h"
#include "tcsim/engine.h"
#include "tcsim/output.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"

static int trace_begin(void *ud, struct tc_engine *e, uint32_t rep)
{
    return tc_trucks_begin_rep(ud, e, rep);
}

static int trace_end(void *ud, struct tc_engine *e, uint32_t rep)
{
    (void)e;
    return tc_trucks_end_rep(ud, rep);
}

/* mpirun -n N: the replications spread over every rank (mpi.h); the same run, the same bytes. */
struct mpi_ud {
    const struct tc_override *ovr;
    size_t n_ovr;
};

static void mpi_overrides(void *ud, uint32_t v, struct tc_override *out)
{
    const struct mpi_ud *m = ud;
    (void)v;
    memcpy(out, m->ovr, m->n_ovr * sizeof(*out));
}

/*
** As tc_runner_run_opts over every rank; -EREMOTEIO when a rank failed
** (said on stderr). A failed job ends in MPI_Abort, which kills this
** process: the output directory's lock is released first (lock).
*/
static int run_mpi(struct tc_run *run, const char *path, const struct tc_scenario *sc,
                   const struct tc_override *ovr, size_t n_ovr, const struct tc_runner_opts *ro,
                   struct tc_afile_lock *lock)
{
    struct mpi_ud ud = {ovr, n_ovr};
    struct tc_mpi_job job = {.path = path,
                             .n_variants = 1,
                             .n_overrides = n_ovr,
                             .overrides = mpi_overrides,
                             .ud = &ud,
                             .n_threads = ro->n_threads,
                             .max_trucks = ro->max_trucks};
    struct tc_mpi *m = tc_mpi_start(&job);
    int err = tc_mpi_next(m, 0, sc, ro, run);
    if (err == -EREMOTEIO || (err == -EINTR && tc_mpi_message(m)[0]))
        fprintf(stderr, "tcsim: %s\n", tc_mpi_message(m));
    if (err)
        tc_afile_unlock(lock); /* a failed run leaves no new directory behind */
    tc_mpi_stop(m);
    return err;
}

/* parse_args after --help: nothing more to do, exit 0. */
enum { HELP_SHOWN = -1 };

/* What tc_cli_run's steps share. */
struct run_cmd {
    const char *path, *outdir, *observed;
    char *obs_text; /* observed.csv as read, copied into the directory */
    size_t obs_len;
    bool quiet, trace, visits, gzip, plot, report;
    struct tc_plot_opts po;
    struct tc_cli_sim_opts so;
    uint64_t max_trucks;
    struct tc_scenario *sc;
    char *dir;
    struct tc_run run;
};

/* Options into c; TC_EXIT_OK to go on, else the exit code (usage said) or HELP_SHOWN. */
static int parse_args(struct run_cmd *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"replications", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"trace", optional_argument, NULL, 'T'},
        {"gzip", no_argument, NULL, 'Z'},
        {"max-trucks", required_argument, NULL, 'M'},
        {"plot", optional_argument, NULL, 'P'},
        {"observed", required_argument, NULL, 'O'},
        {"report", no_argument, NULL, 'R'},
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
        case 'o':
            c->outdir = optarg;
            break;
        case 'q':
            c->quiet = true;
            break;
        case 'R':
            c->report = true;
            break;
        case 'T':
            c->trace = true;
            if (optarg && strcmp(optarg, "visits") == 0)
                c->visits = true;
            else if (optarg && strcmp(optarg, "trucks") != 0)
                return tc_cli_usage_error("--trace: expected trucks or visits, got \"%s\"", optarg);
            break;
        case 'Z':
            c->gzip = true;
            break;
        case 'O':
            c->observed = optarg;
            break;
        case 'M':
            if (tc_cli_parse_u64(optarg, SIZE_MAX / 256, &c->max_trucks) || c->max_trucks == 0)
                return tc_cli_usage_error(
                    "--max-trucks: expected a positive number of trucks, got \"%s\"", optarg);
            break;
        case 'P':
            c->plot = true;
            if (optarg && tc_plot_parse_format(optarg, &c->po.format))
                return tc_cli_usage_error("--plot: expected png, svg or pdf, got \"%s\"", optarg);
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
        return tc_cli_usage_error("%s", optind >= argc ? "run: missing SCENARIO.yaml"
                                                       : "run: expected exactly one scenario file");
    c->path = argv[optind];
    if (c->gzip && !c->trace)
        return tc_cli_usage_error("%s", "run: --gzip compresses the trace: it needs --trace");
    if (c->trace && tc_mpi_size() > 1)
        return tc_cli_usage_error("%s",
                                  "run: --trace needs a single process (run it without mpirun)");
    tc_cli_sim_opts_finish(&c->so);
    return TC_EXIT_OK;
}

/* --observed against the scenario: errors into diags; its bytes kept for the copy. */
static void load_observed(struct run_cmd *c, struct tc_diags *diags)
{
    struct tc_obs obs;
    if (tc_obs_load(&obs, c->observed, c->sc, diags) != 0)
        return;
    tc_obs_fini(&obs);
    int err = tc_rfile_read(c->observed, 64u << 20, &c->obs_text, &c->obs_len);
    if (err) {
        struct tc_pos pos = {c->observed, 0, 0};
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "cannot read it: %s", strerror(-err));
    }
}

static int write_observed(void *ud, FILE *f)
{
    const struct run_cmd *c = ud;
    return fwrite(c->obs_text, 1, c->obs_len, f) == c->obs_len ? 0 : -EIO;
}

/* The scenario with its overrides, its diagnostics on stderr; false when it has errors. */
static bool load(struct run_cmd *c)
{
    struct tc_diags diags;
    tc_diags_init(&diags);
    c->sc = tc_scenario_load(c->path, c->so.set.v, c->so.set.n, &diags);
    if (c->sc && diags.n_err == 0 && c->observed) /* checked as tcsim fit checks it */
        load_observed(c, &diags);
    tc_diags_sort(&diags);
    if (!c->quiet || diags.n_err)
        tc_diags_print(&diags, stderr);
    bool bad = diags.n_err > 0;
    tc_diags_fini(&diags);
    return !bad && c->sc;
}

/* Why the replications did not finish (err from the runner), on stderr. */
static void report_run_error(const struct run_cmd *c, int err)
{
    const struct tc_scenario *sc = c->sc;
    const struct tc_run *run = &c->run;
    if (err == -EOVERFLOW) {
        /* a limit the user chose says nothing about the network: say which limit was hit */
        fprintf(stderr,
                "tcsim: replication %" PRIu32
                " stopped at %.6g %s (day %.1f): more than %zu trucks in the system at once "
                "(all replications running together): %s was reached. %s, or raise the limit "
                "with --max-trucks N (each truck takes about 100 bytes). Nothing was written.\n",
                run->stop_rep + 1, run->stop_t, tc_units_name(sc->time_unit),
                run->stop_t / tc_units_day(sc->time_unit),
                (size_t)(c->max_trucks ? c->max_trucks : TC_ENGINE_MAX_TRUCKS),
                c->max_trucks ? "the limit given by --max-trucks"
                              : "the default limit of --max-trucks",
                c->max_trucks ? "Shorten the horizon"
                              : "So many usually means the network cannot keep up and its queues "
                                "grow without bound: shorten the horizon, add capacity");
    } else if (err == -ELOOP) {
        tc_cli_say_stuck(run->stop_rep, run->stop_t, sc->time_unit,
                         run->stop_station < sc->n_stations ? sc->stations[run->stop_station].name
                                                            : NULL,
                         "", "Nothing was written.");
    } else if (err == -EDOM && sc->n_uncertain > 0) {
        /* say why: load that replication's draws again, with their messages */
        struct tc_diags d;
        tc_diags_init(&d);
        tc_scenario_free(tc_scenario_draw(sc, run->stop_rep, NULL, &d));
        fprintf(stderr,
                "tcsim: replication %" PRIu32 ": its draws of the {uncertain} values do not load "
                "(nothing was written):\n",
                run->stop_rep + 1);
        tc_diags_sort(&d);
        tc_diags_print(&d, stderr);
        tc_diags_fini(&d);
    } else if (err == -EREMOTEIO) {
        fputs("tcsim: nothing was written\n", stderr); /* run_mpi said what failed */
    } else if (err != -EINTR) {
        fprintf(stderr, "tcsim: cannot write the truck trace in '%s': %s (no output was written)\n",
                c->dir, strerror(-err));
    }
}

/* The replications, every output committed as one batch; 0 or the error (said, but -EINTR). */
static int simulate_and_write(struct run_cmd *c, struct tc_afile_lock *lock,
                              const struct tc_stop *stop, double *secs)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const struct tc_scenario *sc = c->sc;
    struct tc_trucks *tr =
        c->trace ? tc_trucks_new(sc, c->dir, sc->replications, c->visits, c->gzip) : NULL;
    struct tc_progress pg; /* a line on stderr while it runs, when that is a terminal */
    tc_progress_init(&pg, tc_progress_wanted(stderr, c->quiet) ? stderr : NULL, sc->replications);
    tc_progress_begin_run(&pg, NULL, sc->horizon / tc_units_day(sc->time_unit));
    struct tc_runner_opts ro = {.n_threads = (uint32_t)c->so.threads,
                                .progress = tc_progress_runner_cb,
                                .ud = &pg,
                                .max_trucks = (size_t)c->max_trucks,
                                .stop = stop};
    if (tr) {
        ro.before_rep = trace_begin;
        ro.after_rep = trace_end;
        ro.hook_ud = tr;
    }
    int err = tc_mpi_size() > 1 ? run_mpi(&c->run, c->path, sc, c->so.set.v, c->so.set.n, &ro, lock)
                                : tc_runner_run_opts(&c->run, sc, &ro);
    *secs = tc_cli_seconds_since(&t0);
    tc_progress_finish(&pg);
    if (!err) {
        const char *failed = NULL;
        struct tc_afile_item extra[3];
        size_t n_extra = 0;
        if (c->obs_text)
            extra[n_extra++] = (struct tc_afile_item){"observed.csv", write_observed, c};
        if (tr) {
            extra[n_extra++] = (struct tc_afile_item){tc_trucks_name(tr), tc_trucks_write, tr};
            if (tc_trucks_n_files(tr) > 1)
                extra[n_extra++] = (struct tc_afile_item){tc_visits_name(tr), tc_visits_write, tr};
        }
        struct tc_afile_opts co;
        tc_cli_commit_opts(&co);
        err = tc_output_write_all_with(&c->run, c->dir, extra, n_extra, &co, &failed);
        if (err && err != -EINTR)
            fprintf(stderr, "tcsim: cannot write '%s': %s (no output was written)\n",
                    failed ? failed : c->dir, strerror(-err));
    } else {
        report_run_error(c, err);
    }
    tc_trucks_free(tr);
    return err;
}

/* The table and the closing line of a run that committed its outputs. */
static void report_done(const struct run_cmd *c, double secs)
{
    const struct tc_run *run = &c->run;
    char ranks[32] = "";
    if (tc_mpi_size() > 1)
        snprintf(ranks, sizeof(ranks), " on %d ranks", tc_mpi_size());
    tc_cli_stdout_failed(tc_output_table(run, stdout));
    /* the table before the closing line on a shared terminal; a write error said now */
    tc_cli_check_stdout();
    fprintf(stderr,
            "tcsim: %" PRIu32 " replication%s, %" PRIu64 " trucks, %" PRIu64
            " events in %.2f s%s; outputs in %s/\n",
            run->n_reps, run->n_reps == 1 ? "" : "s", run->n_trucks, run->n_events, secs, ranks,
            c->dir);
}

int tc_cli_run(int argc, char **argv)
{
    struct run_cmd c = {.po = {.format = TC_PLOT_PNG}, .so = {.threads = 1}};
    char *cmd = tc_cli_join_args(argc, argv); /* for --report, before --set splits its values */
    int rc = parse_args(&c, argc, argv);
    if (rc != TC_EXIT_OK) {
        free(c.so.set.v);
        free(cmd);
        return rc == HELP_SHOWN ? TC_EXIT_OK : rc;
    }
    rc = TC_EXIT_FAIL;
    c.dir = c.outdir ? tc_xstrdup(c.outdir) : tc_cli_default_outdir(c.path);
    /* One writer per directory, from before the trace's scratch files to the last plot. */
    struct tc_afile_lock lock = {.fd = -1};
    if (!load(&c) || tc_cli_lock_outdir(&lock, c.dir) != TC_EXIT_OK)
        goto out;
    struct tc_cli_signals sigs;
    /* caught until the outputs are committed: a signal never kills a half-written set */
    const struct tc_stop *stop = tc_cli_catch_signals(&sigs);
    double secs = 0;
    int err = simulate_and_write(&c, &lock, stop, &secs);
    bool restored = false;
    if (err == -EINTR) { /* during the replications or before the first rename */
        fprintf(stderr,
                "tcsim: interrupted: %" PRIu32 " of %" PRIu32
                " replications had finished; nothing was written (what is already in %s/ is "
                "unchanged)\n",
                c.run.n_done, c.run.n_reps, c.dir);
        rc = TC_EXIT_INTERRUPTED;
    } else if (!err && tc_cli_stop_requested()) { /* held off while the set was renamed */
        fprintf(stderr,
                "tcsim: interrupted while the outputs were committed: they were committed "
                "complete in %s/\n",
                c.dir);
        rc = TC_EXIT_INTERRUPTED;
    } else if (!err) {
        if (!c.quiet)
            report_done(&c, secs);
        rc = TC_EXIT_OK;
        tc_cli_restore_signals(&sigs); /* Ctrl-C stops the plots */
        restored = true;
        if (c.plot)
            rc = tc_cli_plot_dir(c.dir, &c.po, c.quiet);
        if (c.report && rc == TC_EXIT_OK)
            rc = tc_cli_report_dir(c.dir, &(struct tc_report_opts){.scenario_src = c.path}, cmd,
                                   c.quiet);
    }
    /* Interrupted: the handlers stay to the end, so that a second signal cannot turn exit 130
       into a kill while this run cleans up. */
    if (!restored && rc != TC_EXIT_INTERRUPTED)
        tc_cli_restore_signals(&sigs);
    tc_run_fini(&c.run);
out:
    tc_afile_unlock(&lock); /* a failed run leaves no new directory behind */
    free(c.dir);
    tc_scenario_free(c.sc);
    free(c.obs_text);
    free(c.so.set.v);
    free(cmd);
    return rc;
}
