/*
** cli_study: `tcsim study`, on the library's study runner
** (output/study_run.h): the study file and every option are validated
** before anything runs, each option's outputs go to DIR/<option>/, then
** options.csv and options.json, then the table on stdout. This file adds
** the options, the directory lock, signals, progress and the messages.
** Under mpirun every option's replications are spread over the ranks
** (mpi.h) as a sweep's variants are, the same bytes as one process.
*/
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "cli/progress.h"
#include "model/study.h"
#include "mpi/mpi.h"
#include "output/study_run.h"
#include "tcsim/afile.h"
#include "tcsim/diag.h"
#include "tcsim/engine.h"
#include "tcsim/units.h"

enum { HELP_SHOWN = -1 };

struct study_cmd {
    const char *path, *outdir;
    bool quiet, report;
    char *cmd; /* the command as typed, for --report */
    struct tc_cli_sim_opts so;
    struct tc_study st;
    char *dir;
    struct tc_progress pg;
    uint64_t total_reps;
    struct tc_mpi *mj;
    struct tc_override *mpi_extra; /* -r, -s, then replications=N: never an empty list */
    size_t n_mpi_extra;
    char reps_text[24];
};

/*
** Option v (in run order) for another rank: its overrides, the list padded
** to the job's fixed length by repeating the last one (applying an
** override twice changes nothing).
*/
static void mpi_overrides(void *ud, uint32_t v, struct tc_override *out)
{
    const struct study_cmd *c = ud;
    size_t k = tc_study_run_order(&c->st, v), max = tc_study_max_overrides(&c->st, c->n_mpi_extra);
    size_t n = tc_study_overrides(&c->st, k, c->mpi_extra, c->n_mpi_extra, out);
    for (size_t j = n; j < max; j++)
        out[j] = out[n - 1];
}

static char *mpi_name(void *ud, uint32_t v)
{
    const struct study_cmd *c = ud;
    return tc_xstrdup(c->st.options[tc_study_run_order(&c->st, v)].name);
}

static int run_on_ranks(void *ud, uint32_t v, const struct tc_scenario *sc,
                        const struct tc_runner_opts *ro, struct tc_run *run)
{
    return tc_mpi_next(((struct study_cmd *)ud)->mj, v, sc, ro, run);
}

/* Starts the MPI job when there are other ranks; c->mj stays NULL otherwise. */
static void start_mpi(struct study_cmd *c)
{
    if (tc_mpi_size() <= 1)
        return;
    c->n_mpi_extra = c->so.set.n + 1;
    c->mpi_extra = tc_xcalloc(c->n_mpi_extra, sizeof(*c->mpi_extra));
    for (size_t j = 0; j < c->so.set.n; j++)
        c->mpi_extra[j] = c->so.set.v[j];
    snprintf(c->reps_text, sizeof(c->reps_text), "%" PRIu64, c->total_reps / c->st.n_options);
    c->mpi_extra[c->so.set.n] = (struct tc_override){"replications", c->reps_text};
    static struct tc_mpi_job job; /* outlives the handle: tc_mpi_stop comes before return */
    job = (struct tc_mpi_job){.path = c->st.scenario,
                              .n_variants = (uint32_t)c->st.n_options,
                              .n_overrides = tc_study_max_overrides(&c->st, c->n_mpi_extra),
                              .overrides = mpi_overrides,
                              .name = mpi_name,
                              .ud = c,
                              .n_threads = (uint32_t)c->so.threads};
    c->mj = tc_mpi_start(&job);
}

static int parse_args(struct study_cmd *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"replications", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},   {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},        {"report", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    c->cmd = tc_cli_join_args(argc, argv); /* before getopt permutes argv */
    int o;
    while ((o = getopt_long(argc, argv, "o:" TC_CLI_SIM_SHORT "qh", opts, NULL)) != -1) {
        int taken = tc_cli_sim_opt(&c->so, o, optarg);
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
        case 'h':
            tc_cli_print_help();
            return HELP_SHOWN;
        default:
            fputs(tc_cli_usage_text, stderr);
            return TC_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return tc_cli_usage_error("%s", optind >= argc ? "study: missing STUDY.yaml"
                                                       : "study: expected exactly one study file");
    c->path = argv[optind];
    tc_cli_sim_opts_finish(&c->so);
    return TC_EXIT_OK;
}

static void begin_option(void *ud, uint32_t k, const char *name, const struct tc_scenario *sc)
{
    struct study_cmd *c = ud;
    char label[160];
    snprintf(label, sizeof(label), "option %" PRIu32 "/%zu (%.100s)", k + 1, c->st.n_options, name);
    tc_progress_begin_run(&c->pg, label, sc->horizon / tc_units_day(sc->time_unit));
}

static void end_option(void *ud, uint32_t k, const struct tc_run *run)
{
    (void)k;
    tc_progress_end_run(&((struct study_cmd *)ud)->pg, run->n_reps);
}

static int report_failure(const struct study_cmd *c, const struct tc_sweep_status *st)
{
    const char *name = c->st.options[st->variant].name;
    switch (st->err) {
    case -EINTR:
        fprintf(stderr,
                "tcsim: interrupted in option %s (the options done so far are in %s/); "
                "options.csv was not written\n",
                name, c->dir);
        return TC_EXIT_INTERRUPTED;
    case -EREMOTEIO:
        fprintf(stderr, "tcsim: %s; options.csv was not written\n",
                c->mj ? tc_mpi_message(c->mj) : strerror(EREMOTEIO));
        return TC_EXIT_FAIL;
    case -EOVERFLOW:
        fprintf(stderr,
                "tcsim: option %s: replication %" PRIu32
                " stopped at %.6g %s: more than %u trucks in the system at once; so many "
                "usually means the network cannot keep up; options.csv was not written\n",
                name, st->stop_rep + 1, st->stop_t, tc_units_name(st->time_unit),
                TC_ENGINE_MAX_TRUCKS);
        break;
    case -EWOULDBLOCK:
        fprintf(stderr, "tcsim: %s is being written by another tcsim run\n", st->failed);
        break;
    case -EXDEV:
        fprintf(stderr,
                "tcsim: option %s has other stations, classes or roads than the baseline; "
                "the options of a study may change values, not the network\n",
                name);
        break;
    case -ESTALE:
        fprintf(stderr, "tcsim: option %s no longer loads: a file changed during the study\n",
                name);
        break;
    default:
        if (st->failed[0])
            fprintf(stderr, "tcsim: cannot write '%s': %s\n", st->failed, strerror(-st->err));
        else
            fprintf(stderr, "tcsim: option %s failed: %s\n", name, strerror(-st->err));
    }
    return TC_EXIT_FAIL;
}

static int finish(struct study_cmd *c, const struct tc_study_result *res,
                  const struct tc_afile_opts *co, const struct tc_sweep_status *st,
                  const struct timespec *t0)
{
    const char *failed = NULL;
    int err = tc_study_commit(res, c->dir, co, &failed);
    if (err == -EINTR) {
        fprintf(stderr, "tcsim: interrupted after the last option; options.csv was not written\n");
        return TC_EXIT_INTERRUPTED;
    }
    if (err) {
        fprintf(stderr, "tcsim: cannot write '%s': %s\n", failed ? failed : c->dir, strerror(-err));
        return TC_EXIT_FAIL;
    }
    if (tc_cli_stop_requested()) {
        fprintf(stderr,
                "tcsim: interrupted while options.csv was committed: it was committed "
                "complete in %s/\n",
                c->dir);
        return TC_EXIT_INTERRUPTED;
    }
    if (!c->quiet) {
        tc_study_table(res, stdout);
        tc_cli_check_stdout();
        fprintf(stderr,
                "tcsim: %zu option%s, %" PRIu64 " replications, %" PRIu64
                " trucks in %.2f s; options.csv, options.json and one directory per option "
                "in %s/\n",
                c->st.n_options, c->st.n_options == 1 ? "" : "s", c->total_reps, st->n_trucks,
                tc_cli_seconds_since(t0), c->dir);
    }
    return TC_EXIT_OK;
}

int tc_cli_study(int argc, char **argv)
{
    struct study_cmd c = {.so = {.threads = 1}};
    tc_progress_init(&c.pg, NULL, 0);
    struct tc_afile_lock lock = {.fd = -1};
    struct tc_study_result res = {0};
    int rc = parse_args(&c, argc, argv);
    if (rc != TC_EXIT_OK)
        goto out;

    /* 1. the study file, then every option: all problems before anything runs */
    rc = TC_EXIT_FAIL;
    struct tc_diags diags;
    tc_diags_init(&diags);
    bool bad = tc_study_load(c.path, &c.st, &diags) != 0 ||
               tc_study_check(&c.st, c.so.set.v, c.so.set.n, &diags, &c.total_reps) != 0;
    tc_diags_sort(&diags);
    if (bad || !c.quiet)
        tc_diags_print(&diags, stderr);
    tc_diags_fini(&diags);
    if (bad)
        goto out;

    /* 2. run them, the directory locked and the stop signals caught until options.csv is in */
    c.dir = c.outdir ? tc_xstrdup(c.outdir) : tc_cli_default_outdir(c.path);
    if (tc_cli_lock_outdir(&lock, c.dir) != TC_EXIT_OK)
        goto out;
    struct tc_afile_opts co;
    tc_cli_commit_opts(&co);
    struct tc_cli_signals sigs;
    const struct tc_stop *stop = tc_cli_catch_signals(&sigs);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tc_progress_init(&c.pg, tc_progress_wanted(stderr, c.quiet) ? stderr : NULL, c.total_reps);
    start_mpi(&c);
    struct tc_sweep_hooks hooks = {
        .runner = {.n_threads = (uint32_t)c.so.threads,
                   .progress = tc_progress_runner_cb,
                   .ud = &c.pg,
                   .stop = stop},
        .commit = &co,
        .run = c.mj ? run_on_ranks : NULL,
        .begin = begin_option,
        .end = end_option,
        .ud = &c,
    };
    struct tc_sweep_status st;
    int err = tc_study_run(&c.st, c.so.set.v, c.so.set.n, c.dir, &hooks, &res, &st);
    tc_progress_finish(&c.pg);
    rc = err ? report_failure(&c, &st) : finish(&c, &res, &co, &st, &t0);
    tc_cli_restore_signals(&sigs);
    if (rc == TC_EXIT_OK && c.report)
        rc = tc_cli_report_dir(c.dir, &(struct tc_report_opts){.scenario_src = c.st.scenario},
                               c.cmd, c.quiet);
out:
    if (rc == HELP_SHOWN)
        rc = TC_EXIT_OK;
    tc_mpi_stop(c.mj); /* before st goes: the job uses it */
    free(c.mpi_extra);
    tc_study_result_fini(&res);
    tc_afile_unlock(&lock);
    free(c.dir);
    free(c.cmd);
    free(c.so.set.v);
    tc_study_fini(&c.st);
    return rc;
}
