/*
** cli_fit_best: DIR/best/ of tcsim fit. The fitted scenario runs once more
** with the fit's seed and replications: the runner draws the same stream
** seeds as every evaluation of the fit (common random numbers), so its
** replications are those of the reported point and best/timeseries.csv
** holds the very numbers behind fit.csv's simulated means. Its files are
** a run's (the run writer), with the observations, their per-class series
** when they read one, and the holdout beside them.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rfile.h"
#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_fit.h"
#include "cli/cli_int.h"
#include "output/fit_out.h"
#include "tcsim/engine.h"
#include "tcsim/output.h"
#include "tcsim/runner.h"

struct best_ud {
    double *cls;    /* per replication: the class series, as the fit's evaluations sample it */
    size_t per_rep; /* doubles of one replication's class series */
};

static int set_class_series(void *ud, struct tc_engine *e, uint32_t rep)
{
    struct best_ud *b = ud;
    tc_engine_set_class_series(e, b->cls + (size_t)rep * b->per_rep);
    return 0;
}

struct obs_copy {
    char *text;
    size_t len;
};

static int write_obs(void *ud, FILE *f)
{
    const struct obs_copy *c = ud;
    return fwrite(c->text, 1, c->len, f) == c->len ? 0 : -EIO;
}

int tc_cli_fit_best(const struct tc_cli_fit_best *in)
{
    const struct tc_scenario *sc = in->fitted;
    struct best_ud bu = {NULL, 0};
    struct tc_runner_opts ro = {.n_threads = in->n_threads, .stop = in->stop};
    if (in->obs->needs_class_series) {
        bu.per_rep = (size_t)tc_metrics_n_samples(sc) * (sc->n_stations + 1) * (sc->n_classes + 1);
        bu.cls = tc_xcalloc(bu.per_rep * sc->replications + 1, sizeof(double));
        ro.before_rep = set_class_series;
        ro.hook_ud = &bu;
    }
    struct tc_run run;
    int err = tc_runner_run_opts(&run, sc, &ro);
    struct obs_copy oc = {NULL, 0};
    char *dir = NULL;
    if (err) {
        fprintf(stderr, "tcsim: fit: %s; nothing was written\n",
                err == -EINTR ? "interrupted during the run of the fitted scenario"
                              : "the run of the fitted scenario failed");
        goto out;
    }
    err = tc_rfile_read(in->obs_path, 64u << 20, &oc.text, &oc.len);
    if (err) {
        fprintf(stderr, "tcsim: cannot read '%s': %s (no output was written)\n", in->obs_path,
                strerror(-err));
        goto out;
    }
    struct tc_fit_best fb = {sc,          run.n_reps,       run.n_samples, bu.cls,
                             in->holdout, in->holdout_from, in->holdout_to};
    struct tc_afile_item extra[3] = {{"observed.csv", write_obs, &oc}};
    size_t n = 1;
    if (bu.cls)
        extra[n++] = (struct tc_afile_item){"class_series.csv", tc_fit_class_series_write, &fb};
    if (in->holdout)
        extra[n++] = (struct tc_afile_item){"holdout.csv", tc_fit_holdout_write, &fb};
    size_t dl = strlen(in->outdir) + 6;
    dir = tc_xmalloc(dl);
    snprintf(dir, dl, "%s/best", in->outdir);
    struct tc_afile_opts co;
    tc_cli_commit_opts(&co);
    const char *failed = NULL;
    err = tc_output_write_all_with(&run, dir, extra, n, &co, &failed);
    if (err)
        fprintf(stderr, "tcsim: cannot write '%s': %s (no output was written)\n",
                failed ? failed : dir, strerror(-err));
out:
    tc_run_fini(&run);
    free(bu.cls);
    free(oc.text);
    free(dir);
    return err == -EINTR ? TC_EXIT_INTERRUPTED : err ? TC_EXIT_FAIL : TC_EXIT_OK;
}
