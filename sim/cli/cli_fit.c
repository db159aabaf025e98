/*
** cli_fit: tcsim fit SCENARIO.yaml --observed OBS.csv --param KEY=LO:HI ...
** Everything is checked first (the scenario, the observations against it,
** every --param, the holdout) and all problems said at once; then the fit
** runs in process, the fitted scenario runs once more into DIR/best/
** (cli_fit_best.c), and fit.csv, fit.json and scenario.yaml are committed
** together after it (output/fit_out.c): fit.json exists only beside a
** complete best/. --plot and --report then draw and report DIR.
*/
#include "cli/cli_fit.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/isodate.h"
#include "base/rfile.h"
#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "output/fit_out.h"
#include "run/fit.h"
#include "tcsim/afile.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/* "FROM:TO" as times of the observations (dates with start_date); false after a message. */
static bool parse_holdout(const char *arg, const struct tc_scenario *sc, double *from, double *to)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", arg);
    /* a date holds ':' itself: split at the ':' that starts the second time */
    char *sep = NULL;
    for (char *p = buf; *p; p++)
        if (*p == ':' && (!sc->has_start_date || tc_isodate_looks_like(p + 1))) {
            sep = p;
            break;
        }
    if (!sep) {
        fprintf(stderr, "--holdout: error: expected FROM:TO, got \"%s\"\n", arg);
        return false;
    }
    *sep = '\0';
    double t[2];
    const char *s[2] = {buf, sep + 1};
    for (int i = 0; i < 2; i++) {
        const char *err;
        if (sc->has_start_date) {
            struct tc_isodate d;
            err = tc_isodate_parse(s[i], &d);
            if (!err) {
                if (!d.has_offset)
                    d.utc_s -= (int64_t)sc->start_offset_min * 60;
                t[i] = (double)(d.utc_s - sc->start_utc_s) / tc_units_seconds(sc->time_unit);
            }
        } else {
            err = tc_units_duration(s[i], sc->time_unit, &t[i]);
        }
        if (err) {
            fprintf(stderr, "--holdout: error: \"%s\": %s\n", s[i], err);
            return false;
        }
    }
    *from = t[0];
    *to = t[1];
    if (!(t[0] < t[1])) {
        fprintf(stderr, "--holdout: error: FROM must be before TO, got \"%s\"\n", arg);
        return false;
    }
    return true;
}

/* parse_args after --help: nothing more to do, exit 0. */
enum { HELP_SHOWN = -1 };

/* What tc_cli_fit's steps share. */
struct fit_cmd {
    struct tc_cli_sim_opts so;
    const char *path, *observed, *outdir, *holdout;
    TC_VEC(const char *) pargs;
    bool quiet, plot, report;
    struct tc_plot_opts po;
};

/* Long options without a short form. */
enum { OPT_PLOT = 0x200, OPT_REPORT };

/* Options into c; TC_EXIT_OK to go on, else the exit code (usage said) or HELP_SHOWN. */
static int parse_args(struct fit_cmd *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"observed", required_argument, NULL, 'O'},
        {"param", required_argument, NULL, 'P'},
        {"holdout", required_argument, NULL, 'H'},
        {"quiet", no_argument, NULL, 'q'},
        {"set", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {"plot", optional_argument, NULL, OPT_PLOT},
        {"report", no_argument, NULL, OPT_REPORT},
        TC_CLI_PLOT_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int o;
    while ((o = getopt_long(argc, argv, TC_CLI_SIM_SHORT "o:qh", opts, NULL)) != -1) {
        int t = tc_cli_sim_opt(&c->so, o, optarg);
        if (!t)
            t = tc_cli_plot_opt(&c->po, o, optarg);
        if (t < 0)
            return TC_EXIT_USAGE;
        if (t > 0)
            continue;
        switch (o) {
        case 'O':
            c->observed = optarg;
            break;
        case 'P':
            TC_VEC_PUSH(c->pargs, optarg);
            break;
        case 'H':
            c->holdout = optarg;
            break;
        case 'o':
            c->outdir = optarg;
            break;
        case 'q':
            c->quiet = true;
            break;
        case OPT_PLOT:
            c->plot = true;
            if (optarg && tc_plot_parse_format(optarg, &c->po.format))
                return tc_cli_usage_error("--plot: expected png, svg or pdf, got \"%s\"", optarg);
            break;
        case OPT_REPORT:
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
        return tc_cli_usage_error("%s", "fit: expected one SCENARIO.yaml");
    if (!c->observed || c->pargs.n == 0)
        return tc_cli_usage_error("%s", "fit: --observed OBS.csv and at least one --param "
                                        "KEY=LO:HI are required");
    tc_cli_sim_opts_finish(&c->so);
    c->path = argv[optind];
    return TC_EXIT_OK;
}

/* The holdout of c into fo; false (said) when it is bad or holds no observation. */
static bool set_holdout(const struct fit_cmd *c, const struct tc_scenario *sc,
                        const struct tc_obs *obs, struct tc_fit_opts *fo)
{
    if (!parse_holdout(c->holdout, sc, &fo->holdout_from, &fo->holdout_to))
        return false;
    fo->has_holdout = true;
    size_t in = 0;
    for (size_t i = 0; i < obs->n; i++)
        in += obs->v[i].t >= fo->holdout_from && obs->v[i].t <= fo->holdout_to;
    if (in == 0) {
        fprintf(stderr,
                "--holdout: error: \"%s\" holds no observation (the holdout "
                "must lie within the data)\n",
                c->holdout);
        return false;
    }
    return true;
}

/* The scenario with the fitted values as overrides, or NULL (the file changed). */
static struct tc_scenario *load_fitted(const struct fit_cmd *c, const struct tc_fit_param *params)
{
    size_t np = c->pargs.n, nb = c->so.set.n;
    struct tc_override *ovr = tc_xcalloc(nb + np, sizeof(*ovr));
    char(*vals)[96] = tc_xcalloc(np, sizeof(*vals));
    if (nb) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(ovr, c->so.set.v, nb * sizeof(*ovr));
    for (size_t i = 0; i < np; i++)
        ovr[nb + i] = (struct tc_override){
            params[i].key, tc_fit_format(&params[i], params[i].value, vals[i], sizeof(vals[i]))};
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *fitted = tc_scenario_load(c->path, ovr, nb + np, &d);
    tc_diags_fini(&d);
    free(ovr);
    free(vals);
    return fitted;
}

/* best/, then fit.csv, fit.json and scenario.yaml into outdir as one batch; the exit code. */
static int commit_outputs(const char *outdir, const struct tc_fit_out *out,
                          const struct tc_cli_fit_best *best)
{
    struct tc_afile_lock lock;
    int rc = tc_cli_lock_outdir(&lock, outdir);
    if (rc != TC_EXIT_OK)
        return rc;
    struct tc_cli_signals saved;
    struct tc_cli_fit_best b = *best;
    b.stop = tc_cli_catch_signals(&saved);
    rc = tc_cli_fit_best(&b);
    tc_cli_restore_signals(&saved);
    if (rc != TC_EXIT_OK) {
        tc_afile_unlock(&lock);
        return rc;
    }
    struct tc_afile_opts co;
    tc_cli_commit_opts(&co);
    const char *failed = NULL;
    int err = tc_fit_commit(outdir, out, &co, &failed);
    if (err)
        fprintf(stderr, "tcsim: cannot write '%s': %s (no output was written)\n",
                failed ? failed : outdir, strerror(-err));
    tc_afile_unlock(&lock);
    return err ? TC_EXIT_FAIL : TC_EXIT_OK;
}

int tc_cli_fit(int argc, char **argv)
{
    struct fit_cmd c = {.so = {.threads = 1}, .po = {.format = TC_PLOT_PNG}};
    char *cmd = tc_cli_join_args(argc, argv); /* for --report, before --set splits its values */
    int rc = parse_args(&c, argc, argv);
    if (rc != TC_EXIT_OK) {
        free(cmd);
        free(c.so.set.v);
        free(c.pargs.v);
        return rc == HELP_SHOWN ? TC_EXIT_OK : rc;
    }
    rc = TC_EXIT_FAIL;
    char *dflt = NULL;
    const char *outdir = c.outdir;
    if (!outdir) {
        char *d = tc_cli_default_outdir(c.path);
        size_t n = strlen(d) + 5;
        dflt = tc_xmalloc(n);
        snprintf(dflt, n, "%s-fit", d);
        free(d);
        outdir = dflt;
    }

    struct tc_diags diags;
    tc_diags_init(&diags);
    char *text = NULL, *dircopy = tc_xstrdup(c.path);
    size_t len = 0;
    struct tc_scenario *sc = tc_scenario_load(c.path, c.so.set.v, c.so.set.n, &diags);
    struct tc_obs obs = {0};
    struct tc_fit_param *params = tc_xcalloc(c.pargs.n, sizeof(*params));
    struct tc_fit_result res = {0};
    struct tc_scenario *fitted = NULL;
    bool ok = sc != NULL && diags.n_err == 0;
    ok = ok && tc_rfile_read(c.path, 16u << 20, &text, &len) == 0;
    struct tc_fit_model mod = {text, len, c.path, dirname(dircopy), c.so.set.v, c.so.set.n};
    if (ok) {
        ok &= tc_obs_load(&obs, c.observed, sc, &diags) == 0;
        for (size_t i = 0; i < c.pargs.n; i++)
            ok &= tc_fit_param_parse(&params[i], c.pargs.v[i], (uint32_t)i + 1, &mod, &diags);
    }
    tc_diags_sort(&diags);
    tc_diags_print(&diags, stderr);
    struct tc_fit_opts fo = {.n_threads = (uint32_t)c.so.threads};
    if (ok && c.holdout)
        ok = set_holdout(&c, sc, &obs, &fo);
    if (!ok)
        goto done;

    struct tc_cli_signals saved;
    fo.stop = tc_cli_catch_signals(&saved);
    int err = tc_fit_run(&mod, &obs, params, c.pargs.n, &fo, &res);
    tc_cli_restore_signals(&saved);
    if (err) {
        fprintf(stderr, "tcsim: fit: %s; nothing was written\n",
                err == -EINTR       ? "interrupted"
                : err == -EDOM      ? "no observation outside the holdout to fit"
                : err == -EOVERFLOW ? "a run passed the truck limit"
                                    : "no parameter values within the bounds load");
        rc = err == -EINTR ? TC_EXIT_INTERRUPTED : TC_EXIT_FAIL;
        goto done;
    }
    fitted = load_fitted(&c, params);
    if (!fitted) {
        fprintf(stderr, "tcsim: fit: %s changed during the fit; nothing was written\n", c.path);
        goto done;
    }
    struct tc_fit_out out = {&obs, params, c.pargs.n, &res, fitted};
    struct tc_cli_fit_best best = {outdir,        fitted,       &obs,
                                   c.observed,    c.holdout,    fo.holdout_from,
                                   fo.holdout_to, fo.n_threads, NULL};
    rc = commit_outputs(outdir, &out, &best);
    if (rc == TC_EXIT_OK && !c.quiet) {
        for (size_t i = 0; i < c.pargs.n; i++)
            printf("%s = %.6g ± %.2g (se)\n", params[i].key, params[i].value, params[i].se);
        printf("rms fit %.6g, holdout %.6g; %u evaluations; outputs in %s\n", res.rms_fit,
               res.rms_holdout, res.evaluations, outdir);
        fflush(stdout);
    }
    if (rc == TC_EXIT_OK && c.plot)
        rc = tc_cli_plot_dir(outdir, &c.po, c.quiet);
    if (rc == TC_EXIT_OK && c.report)
        rc = tc_cli_report_dir(outdir, &(struct tc_report_opts){.scenario_src = c.path}, cmd,
                               c.quiet);
done:
    for (size_t i = 0; i < c.pargs.n; i++)
        tc_fit_param_fini(&params[i]);
    free(params);
    tc_fit_result_fini(&res);
    tc_obs_fini(&obs);
    tc_scenario_free(sc);
    tc_scenario_free(fitted);
    tc_diags_fini(&diags);
    free(text);
    free(dircopy);
    free(dflt);
    free(cmd);
    free(c.so.set.v);
    free(c.pargs.v);
    return rc;
}
