/*
** sweep_run: a whole sweep, callable from any program. Every variant is
** loaded (and so validated) before any runs; then the variants run one
** after another with the scenario's seed (common random numbers), and each
** variant's full outputs are committed to DIR/<variant>/ as soon as it
** finishes, exactly as a single run into that directory would write them;
** sweep.csv is committed last (tc_sweep_commit). Reporting is the
** caller's: diagnostics and progress come back through callbacks, and a
** failure as a struct tc_sweep_status.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "output/datapackage.h"
#include "tcsim/output.h"
#include "tcsim/sweep.h"

uint32_t tc_sweep_check(const struct tc_sweep *sw, const char *path, const struct tc_override *base,
                        size_t n_base, tc_sweep_diag_fn *fn, void *ud, uint64_t *out_reps)
{
    struct tc_override *vo = tc_xcalloc(n_base + sw->n_axes, sizeof(*vo));
    uint32_t n_bad = 0;
    uint64_t reps = 0;
    for (uint32_t v = 0; v < sw->n_variants; v++) {
        size_t nv = tc_sweep_overrides(sw, v, base, n_base, vo);
        struct tc_diags diags;
        tc_diags_init(&diags);
        struct tc_scenario *s = tc_scenario_load(path, vo, nv, &diags);
        tc_diags_sort(&diags);
        if (fn && diags.n)
            fn(ud, v, &diags);
        n_bad += diags.n_err > 0 || !s;
        if (s)
            reps += s->replications;
        tc_diags_fini(&diags);
        tc_scenario_free(s);
    }
    free(vo);
    if (out_reps)
        *out_reps = reps;
    return n_bad;
}

/* Variant v's outputs into DIR/<name>/, its directory locked while they are written. */
static int write_variant(const struct tc_run *run, const char *vdir, const struct tc_afile_opts *co,
                         struct tc_sweep_status *st)
{
    struct tc_afile_lock lock = {.fd = -1};
    int err = tc_afile_lock(&lock, vdir);
    if (err) {
        snprintf(st->failed, sizeof(st->failed), "%s", vdir);
        return err;
    }
    const char *failed = NULL;
    err = tc_output_write_all_with(run, vdir, NULL, 0, co, &failed);
    tc_afile_unlock(&lock);
    if (err)
        snprintf(st->failed, sizeof(st->failed), "%s", failed ? failed : vdir);
    return err;
}

/* Loads, runs, writes and stores variant v; 0 or the error, with st filled. */
static int run_variant(struct tc_sweep *sw, uint32_t v, const char *path, struct tc_override *vo,
                       const struct tc_override *base, size_t n_base, const char *dir,
                       const struct tc_sweep_hooks *h, struct tc_sweep_status *st)
{
    size_t nv = tc_sweep_overrides(sw, v, base, n_base, vo);
    struct tc_diags diags;
    tc_diags_init(&diags);
    struct tc_scenario *sc = tc_scenario_load(path, vo, nv, &diags);
    tc_diags_fini(&diags);
    if (!sc) /* it loaded during tc_sweep_check: the file changed under us */
        return -ESTALE;
    char *name = tc_sweep_variant_name_new(sw, v);
    if (h->begin)
        h->begin(h->ud, v, name, sc);
    struct tc_runner_opts ro = h->runner;
    struct tc_run run;
    int err = h->run ? h->run(h->ud, v, sc, &ro, &run) : tc_runner_run_opts(&run, sc, &ro);
    if (h->end)
        h->end(h->ud, v, &run);
    st->n_trucks += run.n_trucks;
    st->stop_rep = run.stop_rep;
    st->stop_t = run.stop_t;
    st->time_unit = sc->time_unit;
    st->stop_station[0] = '\0';
    if (err == -ELOOP && run.stop_station < sc->n_stations)
        snprintf(st->stop_station, sizeof(st->stop_station), "%s",
                 sc->stations[run.stop_station].name);
    if (!err) {
        size_t nd = strlen(dir) + strlen(name) + 2;
        char *vdir = tc_xmalloc(nd);
        snprintf(vdir, nd, "%s/%s", dir, name);
        err = write_variant(&run, vdir, h->commit, st);
        free(vdir);
    }
    if (!err && tc_sweep_store(sw, v, &run) != 0)
        err = -EXDEV; /* another network than the first variant's */
    free(name);
    tc_run_fini(&run);
    tc_scenario_free(sc);
    return err;
}

int tc_sweep_run(struct tc_sweep *sw, const char *path, const struct tc_override *base,
                 size_t n_base, const char *dir, const struct tc_sweep_hooks *hooks,
                 struct tc_sweep_status *st)
{
    static const struct tc_sweep_hooks none;
    const struct tc_sweep_hooks *h = hooks ? hooks : &none;
    struct tc_override *vo = tc_xcalloc(n_base + sw->n_axes, sizeof(*vo));
    memset(st, 0, sizeof(*st));
    int err = 0;
    for (uint32_t v = 0; v < sw->n_variants && !err; v++) {
        st->variant = v;
        err = run_variant(sw, v, path, vo, base, n_base, dir, h, st);
    }
    free(vo);
    st->err = err;
    return err;
}

static int write_csv(void *ud, FILE *f)
{
    return tc_sweep_write_csv(ud, f);
}

int tc_sweep_commit(const struct tc_sweep *sw, const char *dir, const struct tc_afile_opts *co,
                    const char **out_failed)
{
    struct tc_afile_item item = {"sweep.csv", write_csv, (void *)sw};
    return tc_datapackage_commit(dir, &item, 1, NULL, 0, co, out_failed);
}
