/*
** cli_optimize: `tcsim optimize`, on the library's procedure (run/optimize.h):
** options and their checks, the directory lock, signals, the best
** candidate's outputs in DIR/best/ (as `tcsim run` writes them), then
** optimize.csv and optimize.json committed together, and the answer on the
** terminal. Under mpirun the procedure's batches go over the ranks
** (cli_optimize_mpi.c).
*/
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "mpi/mpi.h"
#include "output/datapackage.h"
#include "plot/plot.h"
#include "run/optimize.h"
#include "tcsim/afile.h"
#include "tcsim/diag.h"
#include "tcsim/output.h"
#include "tcsim/runner.h"
#include "tcsim/sweep.h"
#include "tcsim/units.h"

enum { HELP_SHOWN = -1 };
enum { SEARCH_AUTO, SEARCH_GRID, SEARCH_LOCAL };

struct opt_cmd {
    const char *path, *outdir;
    bool quiet, keep, plot, report;
    char *cmd; /* the command as typed, for --report */
    enum tc_plot_format fmt;
    int search; /* SEARCH_AUTO, SEARCH_GRID, SEARCH_LOCAL */
    struct tc_cli_sim_opts so;
    struct tc_sweep sw;
    TC_VEC(struct tc_opt_bound) bounds;
    struct tc_opt_problem pb;
    char *dir;
};

static int parse_args(struct opt_cmd *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"vary", required_argument, NULL, 'V'},
        {"minimize", required_argument, NULL, 'm'},
        {"maximize", required_argument, NULL, 'M'},
        {"subject-to", required_argument, NULL, 'c'},
        {"confidence", required_argument, NULL, 'C'},
        {"indifference", required_argument, NULL, 'D'},
        {"tolerance", required_argument, NULL, 'T'},
        {"max-replications", required_argument, NULL, 'X'},
        {"output", required_argument, NULL, 'o'},
        {"replications", required_argument, NULL, 'r'},
        {"threads", required_argument, NULL, 'j'},
        {"set", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"keep", no_argument, NULL, 'K'},
        {"search", required_argument, NULL, 'L'},
        {"plot", optional_argument, NULL, 'P'},
        {"report", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    c->cmd = tc_cli_join_args(argc, argv); /* before getopt permutes argv */
    int o;
    uint64_t v;
    char *end;
    while ((o = getopt_long(argc, argv, "o:r:j:qh", opts, NULL)) != -1) {
        switch (o) {
        case 'r':
            if (tc_cli_parse_u64(optarg, TC_LIMIT_REPLICATIONS, &v) || v < 2)
                return tc_cli_usage_error("-r: expected a first stage of 2 to %u replications, "
                                          "got \"%s\"",
                                          TC_LIMIT_REPLICATIONS, optarg);
            c->pb.n0 = (uint32_t)v;
            continue;
        case 'j':
        case 'S':
            if (tc_cli_sim_opt(&c->so, o, optarg) < 0)
                return TC_EXIT_USAGE;
            continue;
        default:
            break;
        }
        switch (o) {
        case 'V': {
            const char *err = tc_sweep_add_vary(&c->sw, optarg);
            if (err)
                return tc_cli_usage_error("--vary \"%s\": %s", optarg, err);
            break;
        }
        case 'm':
        case 'M':
            if (c->pb.objective)
                return tc_cli_usage_error("%s", "optimize: give one --minimize or --maximize");
            c->pb.objective = optarg;
            c->pb.maximize = o == 'M';
            break;
        case 'c': {
            struct tc_opt_bound b;
            const char *err = tc_opt_parse_bound(optarg, &b);
            TC_VEC_PUSH(c->bounds, b);
            if (err)
                return tc_cli_usage_error("--subject-to '%s': %s", optarg, err);
            break;
        }
        case 'C':
            c->pb.confidence = strtod(optarg, &end);
            if (end == optarg || *end || !(c->pb.confidence > 0.5 && c->pb.confidence < 1))
                return tc_cli_usage_error(
                    "--confidence: expected a probability between 0.5 and 1 (exclusive), "
                    "got \"%s\"",
                    optarg);
            break;
        case 'D':
            c->pb.indifference = optarg;
            break;
        case 'T':
            c->pb.tolerance = strtod(optarg, &end);
            if (end == optarg || *end || !(c->pb.tolerance > 0 && c->pb.tolerance < 1))
                return tc_cli_usage_error(
                    "--tolerance: expected a fraction between 0 and 1 (exclusive), got \"%s\"",
                    optarg);
            break;
        case 'X':
            if (tc_cli_parse_u64(optarg, TC_LIMIT_REPLICATIONS, &v) || v < 2)
                return tc_cli_usage_error("--max-replications: expected 2 to %u, got \"%s\"",
                                          TC_LIMIT_REPLICATIONS, optarg);
            c->pb.max_reps = (uint32_t)v;
            break;
        case 'o':
            c->outdir = optarg;
            break;
        case 'q':
            c->quiet = true;
            break;
        case 'K':
            c->keep = true;
            break;
        case 'R':
            c->report = true;
            break;
        case 'P':
            c->plot = true;
            if (optarg && tc_plot_parse_format(optarg, &c->fmt))
                return tc_cli_usage_error("--plot=%s: expected png, svg or pdf", optarg);
            break;
        case 'L':
            if (strcmp(optarg, "grid") && strcmp(optarg, "local") && strcmp(optarg, "auto"))
                return tc_cli_usage_error("--search: expected grid, local or auto, got \"%s\"",
                                          optarg);
            c->search = optarg[0] == 'g'   ? SEARCH_GRID
                        : optarg[0] == 'l' ? SEARCH_LOCAL
                                           : SEARCH_AUTO;
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
                                            ? "optimize: missing SCENARIO.yaml"
                                            : "optimize: expected exactly one scenario file");
    if (c->sw.n_axes == 0)
        return tc_cli_usage_error("%s", "optimize: expected at least one --vary KEY=SPEC");
    if (!c->pb.objective)
        return tc_cli_usage_error("%s",
                                  "optimize: expected --minimize METRIC or --maximize METRIC");
    if (c->pb.max_reps < c->pb.n0)
        return tc_cli_usage_error("optimize: --max-replications %u is below the first stage "
                                  "(-r %u)",
                                  c->pb.max_reps, c->pb.n0);
    c->path = argv[optind];
    tc_cli_sim_opts_finish(&c->so);
    return TC_EXIT_OK;
}

static void print_diags(void *ud, uint32_t v, const struct tc_diags *diags)
{
    const struct opt_cmd *c = ud;
    if (!diags->n_err) /* a load warning: the load screen says it in optimize.csv */
        return;
    char *name = tc_sweep_variant_name_new(&c->sw, v);
    fprintf(stderr, "tcsim: candidate %s:\n", name);
    free(name);
    tc_diags_print(diags, stderr);
}

static int write_csv(void *ud, FILE *f)
{
    return tc_opt_write_csv(ud, f);
}

static int write_json(void *ud, FILE *f)
{
    return tc_opt_write_json(ud, f);
}

/*
** Candidate i rerun with the replications it got (the same streams, so the
** same numbers as in optimize.csv): DIR/SUB/, as `tcsim run` writes it.
*/
static int write_candidate(const struct opt_cmd *c, const struct tc_opt *o, uint32_t i,
                           const char *sub, const char **failed)
{
    char reps[32];
    snprintf(reps, sizeof(reps), "%u", o->c[i].n);
    size_t n_ovr = c->so.set.n + c->sw.n_axes + 1;
    struct tc_override *ovr = tc_xcalloc(n_ovr, sizeof(*ovr));
    tc_sweep_overrides(&c->sw, o->c[i].var, c->so.set.v, c->so.set.n, ovr);
    ovr[n_ovr - 1] = (struct tc_override){"replications", reps};
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc = tc_scenario_load(c->path, ovr, n_ovr, &d);
    tc_diags_fini(&d);
    free(ovr);
    if (!sc)
        return -ESTALE;
    struct tc_run run;
    struct tc_runner_opts ro = {.n_threads = (uint32_t)c->so.threads, .stop = c->pb.stop};
    int err = tc_runner_run_opts(&run, sc, &ro);
    size_t len = strlen(c->dir) + strlen(sub) + 2;
    char *path = tc_xmalloc(len);
    snprintf(path, len, "%s/%s", c->dir, sub);
    if (!err)
        err = tc_output_write_all(&run, path, failed);
    free(path);
    tc_run_fini(&run);
    tc_scenario_free(sc);
    return err;
}

/* --keep: every simulated candidate in DIR/candidates/<its name>/ (screened ones ran nothing). */
static int write_kept(const struct opt_cmd *c, const struct tc_opt *o, const char **failed)
{
    int err = 0;
    for (uint32_t i = 0; i < o->k && !err; i++) {
        if (o->c[i].n == 0)
            continue;
        char *name = tc_sweep_variant_name_new(&c->sw, o->c[i].var);
        size_t len = strlen(name) + 12;
        char *sub = tc_xmalloc(len);
        snprintf(sub, len, "candidates/%s", name);
        err = write_candidate(c, o, i, sub, failed);
        free(sub);
        free(name);
    }
    return err;
}

static void print_summary(const struct opt_cmd *c, const struct tc_opt *o)
{
    if (o->best != TC_NONE) {
        char *b = tc_sweep_variant_name_new(&c->sw, o->c[o->best].var);
        printf("best: %s (confidence %g)\n", b, c->pb.confidence);
        free(b);
        const char *tu = tc_units_name(o->c[o->best].sc->time_unit);
        for (size_t q = 0; q < o->n_q; q++) {
            struct tc_stat s = tc_opt_stat(o, o->best, q);
            printf("  %s = %.6g \u00b1 %.2g%s%s", o->q[q].name, s.mean, isnan(s.ci95) ? 0 : s.ci95,
                   o->q[q].time ? " " : "", o->q[q].time ? tu : "");
            if (q)
                printf(" (%s)", c->bounds.v[q - 1].text);
            printf("\n");
        }
        if (o->runner_up != TC_NONE) {
            char *r = tc_sweep_variant_name_new(&c->sw, o->c[o->runner_up].var);
            printf("runner-up: %s\n", r);
            free(r);
        }
    } else if (o->undecided[0] != TC_NONE) {
        char *a = tc_sweep_variant_name_new(&c->sw, o->c[o->undecided[0]].var);
        char *b = o->undecided[1] != TC_NONE
                      ? tc_sweep_variant_name_new(&c->sw, o->c[o->undecided[1]].var)
                      : NULL;
        if (b)
            printf("undecided between %s and %s; about %" PRIu64
                   " more replications each would decide it\n",
                   a, b, o->more);
        else
            printf("undecided whether %s is feasible; about %" PRIu64
                   " more replications would decide it\n",
                   a, o->more);
        free(a);
        free(b);
    } else {
        char *a =
            o->closest != TC_NONE ? tc_sweep_variant_name_new(&c->sw, o->c[o->closest].var) : NULL;
        printf("no candidate meets the constraints; the closest is %s (%s)\n", a ? a : "-",
               a ? o->c[o->closest].why : "");
        free(a);
    }
    printf("replications: %" PRIu64 " (equal allocation would need %" PRIu64 ")\n", o->total_reps,
           o->equal_allocation);
}

static void print_errors(const struct tc_opt *o)
{
    for (size_t i = 0; i < o->errors.n; i++)
        fprintf(stderr, "tcsim: %s\n", o->errors.v[i]);
}

/*
** Before a search: every grid point loads (as a sweep checks its variants)
** and the objective and bounds resolve at the start, so bad input stops
** everything before anything runs. *seed gets the scenario's seed.
*/
static int check_search(struct opt_cmd *c, uint64_t *seed)
{
    if (tc_sweep_check(&c->sw, c->path, c->so.set.v, c->so.set.n, print_diags, c, NULL))
        return TC_EXIT_FAIL;
    uint32_t start = tc_opt_search_start(&c->sw);
    struct tc_opt_problem pb = c->pb;
    pb.cands = &start;
    pb.n_cands = 1;
    struct tc_opt o;
    int rc = TC_EXIT_OK;
    if (tc_opt_prepare(&o, &pb, print_diags, c)) {
        print_errors(&o);
        rc = TC_EXIT_FAIL;
    } else {
        *seed = o.c[0].sc->seed;
    }
    tc_opt_fini(&o);
    return rc;
}

/* A failed replication's message (the procedure's or the search's). */
static int report_run_error(const struct opt_cmd *c, int err, uint32_t var, uint32_t rep,
                            const char *undefined)
{
    if (err == -EINTR) {
        fprintf(stderr, "tcsim: interrupted; nothing was written\n");
        return TC_EXIT_INTERRUPTED;
    }
    char *n = tc_sweep_variant_name_new(&c->sw, var);
    if (err == -EDOM)
        fprintf(stderr, "tcsim: candidate %s: %s is undefined in replication %u\n", n,
                undefined ? undefined : "a quantity", rep + 1);
    else
        fprintf(stderr, "tcsim: candidate %s: replication %u stopped early (%s)\n", n, rep + 1,
                strerror(-err));
    free(n);
    return TC_EXIT_FAIL;
}

static int write_search(void *ud, FILE *f)
{
    const struct tc_opt *o = ud;
    return tc_opt_write_search_csv(o->p->search, o, f);
}

/* DIR/candidates/ (--keep), DIR/best/, then optimize.csv, optimize.json (search.csv). */
static int commit(const struct opt_cmd *c, const struct tc_opt *o)
{
    const char *failed = NULL;
    int err = c->keep ? write_kept(c, o, &failed) : 0;
    if (!err && o->best != TC_NONE)
        err = write_candidate(c, o, o->best, "best", &failed);
    if (err == -EINTR) {
        fprintf(stderr, "tcsim: interrupted; nothing was written\n");
        return TC_EXIT_INTERRUPTED;
    }
    if (err) {
        fprintf(stderr, "tcsim: cannot write a candidate's outputs: %s%s%s\n", failed ? failed : "",
                failed ? ": " : "", strerror(-err));
        return TC_EXIT_FAIL;
    }
    struct tc_afile_opts co;
    tc_cli_commit_opts(&co);
    const struct tc_afile_item items[] = {{"optimize.csv", write_csv, (void *)o},
                                          {"optimize.json", write_json, (void *)o},
                                          {"search.csv", write_search, (void *)o}};
    if ((err = tc_datapackage_commit(c->dir, items, o->p->search ? 3 : 2, NULL, 0, &co, &failed)) !=
        0) {
        fprintf(stderr, "tcsim: cannot write '%s': %s\n", failed ? failed : c->dir, strerror(-err));
        return TC_EXIT_FAIL;
    }
    return TC_EXIT_OK;
}

static void print_search(const struct opt_cmd *c, const struct tc_opt_search *s)
{
    char *a = tc_sweep_variant_name_new(&c->sw, tc_opt_search_start(&c->sw));
    char *b = tc_sweep_variant_name_new(&c->sw, s->local_optimum);
    printf("search: %zu of %u points visited, %u moves from %s to %s, %" PRIu64
           " replications (seed %" PRIu64 "); the best %u compared\n",
           s->visits.n, c->sw.n_variants, s->n_moves, a, b, s->reps, s->seed, s->n_final);
    free(a);
    free(b);
}

/* Locked, signals caught: the search (if any), the procedure, the outputs. */
static int optimize(struct opt_cmd *c, struct tc_opt *o, bool local, uint64_t seed)
{
    struct tc_opt_search s = {0};
    int rc = TC_EXIT_OK;
    if (local) {
        int err = tc_opt_search(&s, &c->pb, seed, TC_OPT_SEARCH_FINAL);
        if (err) {
            rc = report_run_error(c, err, s.err_var, s.err_rep, NULL);
            goto done;
        }
        c->pb.cands = s.final;
        c->pb.n_cands = s.n_final;
        c->pb.search = &s;
        if (tc_opt_prepare(o, &c->pb, print_diags, c)) {
            print_errors(o);
            rc = TC_EXIT_FAIL;
            goto done;
        }
    }
    int err = tc_opt_run(o);
    if (err) {
        rc = report_run_error(c, err, o->c[o->err_cand].var, o->err_rep,
                              err == -EDOM ? o->q[(size_t)o->err_t].name : NULL);
        goto done;
    }
    if ((rc = commit(c, o)) == TC_EXIT_OK && !c->quiet) {
        if (local)
            print_search(c, &s);
        print_summary(c, o);
    }
done:
    tc_opt_search_fini(&s);
    return rc;
}

int tc_cli_optimize(int argc, char **argv)
{
    struct opt_cmd c = {.so = {.threads = 1}};
    c.pb =
        (struct tc_opt_problem){.confidence = 0.95, .tolerance = 0.05, .n0 = 10, .max_reps = 1000};
    tc_sweep_init(&c.sw);
    struct tc_opt o = {0};
    struct tc_afile_lock lock = {.fd = -1};
    int rc = parse_args(&c, argc, argv);
    if (rc != TC_EXIT_OK)
        goto out;
    c.pb.path = c.path;
    c.pb.base = c.so.set.v;
    c.pb.n_base = c.so.set.n;
    c.pb.sw = &c.sw;
    c.pb.bounds = c.bounds.v;
    c.pb.n_bounds = c.bounds.n;
    c.pb.n_threads = (uint32_t)c.so.threads;
    if (tc_mpi_size() > 1) { /* under mpirun: every batch over the ranks */
        c.pb.batch = tc_cli_optimize_mpi_batch;
        c.pb.n_ranks = (uint32_t)tc_mpi_size();
    }
    bool local = c.search == SEARCH_LOCAL ||
                 (c.search == SEARCH_AUTO && c.sw.n_variants > TC_OPT_SEARCH_ABOVE);
    uint64_t seed = 0;
    if (local && (rc = check_search(&c, &seed)) != TC_EXIT_OK)
        goto out;
    rc = TC_EXIT_FAIL;
    if (!local && tc_opt_prepare(&o, &c.pb, print_diags, &c)) {
        print_errors(&o);
        goto out;
    }
    if (c.outdir) {
        c.dir = tc_xstrdup(c.outdir);
    } else { /* out/<file name>-optimize */
        char *d = tc_cli_default_outdir(c.path);
        size_t n = strlen(d) + 10;
        c.dir = tc_xmalloc(n);
        snprintf(c.dir, n, "%s-optimize", d);
        free(d);
    }
    if (tc_cli_lock_outdir(&lock, c.dir) != TC_EXIT_OK)
        goto out;
    struct tc_cli_signals sigs;
    c.pb.stop = tc_cli_catch_signals(&sigs);
    rc = optimize(&c, &o, local, seed);
    tc_cli_restore_signals(&sigs);
    if (rc == TC_EXIT_OK && c.plot)
        rc = tc_cli_plot_dir(c.dir, &(struct tc_plot_opts){.format = c.fmt}, c.quiet);
    if (rc == TC_EXIT_OK && c.report)
        rc = tc_cli_report_dir(c.dir, &(struct tc_report_opts){.scenario_src = c.path}, c.cmd,
                               c.quiet);
out:
    if (rc == HELP_SHOWN)
        rc = TC_EXIT_OK;
    tc_afile_unlock(&lock);
    tc_opt_fini(&o);
    for (size_t i = 0; i < c.bounds.n; i++)
        tc_opt_bound_fini(&c.bounds.v[i]);
    free(c.bounds.v);
    free(c.dir);
    free(c.cmd);
    free(c.so.set.v);
    tc_sweep_fini(&c.sw);
    return rc;
}
