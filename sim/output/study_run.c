/*
** study_run: a study's options run like a sweep's variants (sweep_run.c),
** but each run is kept (its values, not its series) so that every option
** can be compared with the baseline replication by replication once all
** have run. Memory: options x replications x metrics doubles.
*/
#include "output/study_run.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/jsonw.h"
#include "base/stream.h"
#include "base/xmem.h"
#include "output/datapackage.h"
#include "tc_config.h"
#include "tcsim/afile.h"
#include "tcsim/units.h"

/* Whether warning g of an option is one the baseline has too (same place, same words). */
static bool baseline_has(const struct tc_diags *bd, const struct tc_diag *g)
{
    for (size_t i = 0; i < bd->n; i++) {
        const struct tc_diag *h = &bd->v[i];
        if (h->sev == TC_SEV_WARNING && g->sev == TC_SEV_WARNING && h->line == g->line &&
            h->col == g->col && strcmp(h->file, g->file) == 0 && strcmp(h->msg, g->msg) == 0)
            return true;
    }
    return false;
}

/* Option k's diagnostics, without the warnings its baseline already gave. */
static struct tc_scenario *load_checked(const struct tc_study *st, size_t k,
                                        const struct tc_override *extra, size_t n_extra,
                                        const struct tc_diags *bd, struct tc_diags *diags)
{
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *s = tc_study_load_option(st, k, extra, n_extra, &d);
    for (size_t i = 0; i < d.n; i++) {
        const struct tc_diag *g = &d.v[i];
        if (baseline_has(bd, g))
            continue;
        struct tc_pos pos = {g->file, g->line, g->col};
        tc_diags_add(diags, g->sev, &pos, g->path, "%s", g->msg);
    }
    tc_diags_fini(&d);
    return s;
}

size_t tc_study_check(const struct tc_study *st, const struct tc_override *extra, size_t n_extra,
                      struct tc_diags *diags, uint64_t *out_reps)
{
    size_t n_bad = 0;
    uint64_t reps = 0;
    uint32_t base_reps = 0;
    uint64_t base_seed = 0;
    struct tc_diags bd;
    tc_diags_init(&bd);
    struct tc_scenario *base = tc_study_load_option(st, st->baseline, extra, n_extra, &bd);
    for (size_t i = 0; i < bd.n; i++) {
        struct tc_pos pos = {bd.v[i].file, bd.v[i].line, bd.v[i].col};
        tc_diags_add(diags, bd.v[i].sev, &pos, bd.v[i].path, "%s", bd.v[i].msg);
    }
    if (base) {
        base_reps = base->replications;
        base_seed = base->seed;
    }
    for (size_t k = 0; k < st->n_options; k++) {
        struct tc_scenario *s =
            k == st->baseline ? base : load_checked(st, k, extra, n_extra, &bd, diags);
        n_bad += !s;
        if (s && base && (s->replications != base_reps || s->seed != base_seed)) {
            struct tc_pos pos = {st->file, 0, 0};
            tc_diags_add(diags, TC_SEV_ERROR, &pos, "",
                         "option \"%s\" runs %" PRIu32 " replications with seed %" PRIu64
                         ", the baseline \"%s\" %" PRIu32 " with seed %" PRIu64
                         ": options are compared replication by replication, so set "
                         "replications and seed at the top of the study, not in an option",
                         st->options[k].name, s->replications, (uint64_t)s->seed,
                         st->options[st->baseline].name, base_reps, base_seed);
            n_bad++;
        }
        if (s)
            reps += s->replications;
        if (k != st->baseline)
            tc_scenario_free(s);
    }
    tc_scenario_free(base);
    tc_diags_fini(&bd);
    if (out_reps)
        *out_reps = reps;
    return n_bad;
}

/* Same stations, classes, roads, metrics and time unit as the baseline's run. */
static bool same_shape(const struct tc_run *a, const struct tc_run *b)
{
    const struct tc_metrics *ma = &a->metrics, *mb = &b->metrics;
    if (ma->n != mb->n || a->n_reps != b->n_reps || a->sc->time_unit != b->sc->time_unit ||
        a->sc->n_stations != b->sc->n_stations || a->sc->n_classes != b->sc->n_classes)
        return false;
    for (uint32_t s = 0; s < a->sc->n_stations; s++)
        if (strcmp(a->sc->stations[s].name, b->sc->stations[s].name) != 0)
            return false;
    for (uint32_t c = 0; c < a->sc->n_classes; c++)
        if (strcmp(a->sc->classes[c].name, b->sc->classes[c].name) != 0)
            return false;
    for (size_t i = 0; i < ma->n; i++)
        if (ma->defs[i].scope != mb->defs[i].scope || ma->defs[i].owner != mb->defs[i].owner ||
            ma->defs[i].class_id != mb->defs[i].class_id || ma->defs[i].kind != mb->defs[i].kind)
            return false;
    return true;
}

/* Option k's outputs into dir/<name>/, locked while written (as a sweep's variant). */
static int write_option(const struct tc_run *run, const char *dir, const char *name,
                        const struct tc_afile_opts *co, struct tc_sweep_status *status)
{
    size_t nd = strlen(dir) + strlen(name) + 2;
    char *odir = tc_xmalloc(nd);
    snprintf(odir, nd, "%s/%s", dir, name);
    struct tc_afile_lock lock = {.fd = -1};
    int err = tc_afile_lock(&lock, odir);
    const char *failed = odir;
    if (!err) {
        err = tc_output_write_all_with(run, odir, NULL, 0, co, &failed);
        tc_afile_unlock(&lock);
    }
    if (err)
        snprintf(status->failed, sizeof(status->failed), "%s", failed ? failed : odir);
    free(odir);
    return err;
}

/* The paired comparisons of every option with the baseline. */
static void compare_all(struct tc_study_result *res)
{
    const struct tc_study *st = res->st;
    const struct tc_run *b = &res->runs[st->baseline];
    size_t m = b->metrics.n, R = b->n_reps;
    res->d = tc_xcalloc(st->n_options * m, sizeof(*res->d));
    res->p_holm = tc_xcalloc(st->n_options * m, sizeof(double));
    double *diff = tc_xcalloc(R ? R : 1, sizeof(double));
    double *p = tc_xcalloc(m, sizeof(double)), *adj = tc_xcalloc(m, sizeof(double));
    size_t *at = tc_xcalloc(m, sizeof(size_t));
    for (size_t k = 0; k < st->n_options; k++) {
        const struct tc_run *o = &res->runs[k];
        size_t nf = 0;
        for (size_t i = 0; i < m; i++) {
            for (size_t r = 0; r < R; r++)
                diff[r] = tc_run_value(o, (uint32_t)r, i) - tc_run_value(b, (uint32_t)r, i);
            struct tc_compare_paired *d = &res->d[k * m + i];
            tc_compare_paired_test(diff, R, 1, d);
            res->p_holm[k * m + i] = (double)NAN;
            if (k != st->baseline && !isnan(d->p)) {
                p[nf] = d->p;
                at[nf++] = i;
            }
        }
        tc_compare_holm(p, nf, adj);
        for (size_t j = 0; j < nf; j++)
            res->p_holm[k * m + at[j]] = adj[j];
    }
    free(at);
    free(adj);
    free(p);
    free(diff);
}

int tc_study_run(const struct tc_study *st, const struct tc_override *extra, size_t n_extra,
                 const char *dir, const struct tc_sweep_hooks *hooks, struct tc_study_result *res,
                 struct tc_sweep_status *status)
{
    static const struct tc_sweep_hooks none;
    const struct tc_sweep_hooks *h = hooks ? hooks : &none;
    memset(status, 0, sizeof(*status));
    memset(res, 0, sizeof(*res));
    res->st = st;
    res->sc = tc_xcalloc(st->n_options, sizeof(*res->sc));
    res->runs = tc_xcalloc(st->n_options, sizeof(*res->runs));
    int err = 0;
    /* the baseline first: every other option is checked against its shape */
    for (size_t j = 0; j < st->n_options && !err; j++) {
        size_t k = tc_study_run_order(st, j);
        status->variant = (uint32_t)k;
        struct tc_diags diags;
        tc_diags_init(&diags);
        struct tc_scenario *sc = tc_study_load_option(st, k, extra, n_extra, &diags);
        tc_diags_fini(&diags);
        if (!sc) { /* it loaded during tc_study_check: a file changed under us */
            err = -ESTALE;
            break;
        }
        res->sc[k] = sc;
        status->time_unit = sc->time_unit;
        if (h->begin)
            h->begin(h->ud, (uint32_t)k, st->options[k].name, sc);
        struct tc_runner_opts ro = h->runner;
        struct tc_run *run = &res->runs[k];
        err = h->run ? h->run(h->ud, (uint32_t)j, sc, &ro, run) : tc_runner_run_opts(run, sc, &ro);
        res->n_done++;
        if (h->end)
            h->end(h->ud, (uint32_t)k, run);
        status->n_trucks += run->n_trucks;
        status->stop_rep = run->stop_rep;
        status->stop_t = run->stop_t;
        if (!err && j > 0 && !same_shape(&res->runs[st->baseline], run))
            err = -EXDEV;
        if (!err)
            err = write_option(run, dir, st->options[k].name, h->commit, status);
        tc_series_free(run->series); /* the comparisons need the values only */
        run->series = NULL;
    }
    if (!err)
        compare_all(res);
    status->err = err;
    return err;
}

void tc_study_result_fini(struct tc_study_result *res)
{
    if (!res->st)
        return;
    for (size_t k = 0; k < res->st->n_options; k++) {
        if (res->sc[k])
            tc_run_fini(&res->runs[k]);
        tc_scenario_free(res->sc[k]);
    }
    free(res->sc);
    free(res->runs);
    free(res->d);
    free(res->p_holm);
    memset(res, 0, sizeof(*res));
}

/* ---- options.csv, options.json ---------------------------------------- */

static const char *const scope_names[] = {
    [TC_SCOPE_STATION] = "station",     [TC_SCOPE_STATION_CLASS] = "station",
    [TC_SCOPE_CLASS] = "class",         [TC_SCOPE_ROAD] = "road",
    [TC_SCOPE_NETWORK] = "network",     [TC_SCOPE_POOL] = "pool",
    [TC_SCOPE_CLEARANCE] = "clearance",
};

static const char *owner_name(const struct tc_run *run, const struct tc_metric_def *d)
{
    if (d->scope == TC_SCOPE_NETWORK)
        return "";
    if (d->scope == TC_SCOPE_CLASS)
        return run->sc->classes[d->owner].name;
    if (d->scope == TC_SCOPE_POOL)
        return run->sc->pools[d->owner].name;
    if (d->scope == TC_SCOPE_CLEARANCE)
        return run->sc->clearance[d->owner].name;
    return run->sc->stations[d->owner].name;
}

int tc_study_options_csv(const struct tc_study_result *res, FILE *f)
{
    const struct tc_study *st = res->st;
    const struct tc_run *b = &res->runs[st->baseline];
    size_t m = b->metrics.n;
    fputs("option,scope,name,class,metric,mean,ci95,diff,diff_ci95,p_holm\n", f);
    for (size_t k = 0; k < st->n_options; k++)
        for (size_t i = 0; i < m; i++) {
            const struct tc_metric_def *d = &b->metrics.defs[i];
            const struct tc_stat *s = &res->runs[k].stats[i];
            const struct tc_compare_paired *pd = &res->d[k * m + i];
            tc_csv_field(f, "", st->options[k].name, "");
            fprintf(f, ",%s,", scope_names[d->scope]);
            tc_csv_field(f, "", owner_name(b, d), "");
            fputc(',', f);
            if (d->scope == TC_SCOPE_STATION_CLASS)
                tc_csv_field(f, "", b->sc->classes[d->class_id].name, "");
            fprintf(f, ",%s", d->name);
            const double v[5] = {s->mean, s->ci95, pd->mean, pd->ci95, res->p_holm[k * m + i]};
            for (int j = 0; j < 5; j++) {
                fputc(',', f);
                tc_csv_number(f, v[j]);
            }
            fputc('\n', f);
        }
    return tc_stream_status(f);
}

int tc_study_options_json(const struct tc_study_result *res, FILE *f)
{
    const struct tc_study *st = res->st;
    const struct tc_run *b = &res->runs[st->baseline];
    size_t m = b->metrics.n;
    struct tc_jsonw w;
    tc_jsonw_init(&w, f, true);
    tc_jsonw_begin_object(&w);
    tc_jsonw_key(&w, "tcsim");
    tc_jsonw_string(&w, TC_VERSION);
    tc_jsonw_key(&w, "scenario");
    tc_jsonw_string(&w, b->sc->name);
    tc_jsonw_key(&w, "time_unit");
    tc_jsonw_string(&w, tc_units_name(b->sc->time_unit));
    tc_jsonw_key(&w, "replications");
    tc_jsonw_uint(&w, b->n_reps);
    tc_jsonw_key(&w, "seed");
    tc_jsonw_uint(&w, b->sc->seed);
    tc_jsonw_key(&w, "baseline");
    tc_jsonw_string(&w, st->options[st->baseline].name);
    tc_jsonw_key(&w, "options");
    tc_jsonw_begin_array(&w);
    for (size_t k = 0; k < st->n_options; k++) {
        tc_jsonw_begin_object(&w);
        tc_jsonw_key(&w, "name");
        tc_jsonw_string(&w, st->options[k].name);
        tc_jsonw_key(&w, "metrics");
        tc_jsonw_begin_array(&w);
        for (size_t i = 0; i < m; i++) {
            const struct tc_metric_def *d = &b->metrics.defs[i];
            const struct tc_stat *s = &res->runs[k].stats[i];
            const struct tc_compare_paired *pd = &res->d[k * m + i];
            tc_jsonw_begin_object_inline(&w);
            tc_jsonw_key(&w, "scope");
            tc_jsonw_string(&w, scope_names[d->scope]);
            tc_jsonw_key(&w, "name");
            tc_jsonw_string(&w, owner_name(b, d));
            tc_jsonw_key(&w, "class");
            tc_jsonw_string(
                &w, d->scope == TC_SCOPE_STATION_CLASS ? b->sc->classes[d->class_id].name : "");
            tc_jsonw_key(&w, "metric");
            tc_jsonw_string(&w, d->name);
            const char *keys[5] = {"mean", "ci95", "diff", "diff_ci95", "p_holm"};
            const double v[5] = {s->mean, s->ci95, pd->mean, pd->ci95, res->p_holm[k * m + i]};
            for (int j = 0; j < 5; j++) {
                tc_jsonw_key(&w, keys[j]);
                tc_jsonw_number(&w, v[j]);
            }
            tc_jsonw_end_object(&w);
        }
        tc_jsonw_end_array(&w);
        tc_jsonw_end_object(&w);
    }
    tc_jsonw_end_array(&w);
    tc_jsonw_end_object(&w);
    fputc('\n', f);
    return tc_stream_status(f);
}

static int write_csv(void *ud, FILE *f)
{
    return tc_study_options_csv(ud, f);
}

static int write_json(void *ud, FILE *f)
{
    return tc_study_options_json(ud, f);
}

int tc_study_commit(const struct tc_study_result *res, const char *dir,
                    const struct tc_afile_opts *co, const char **out_failed)
{
    struct tc_afile_item items[2] = {{"options.csv", write_csv, (void *)res},
                                     {"options.json", write_json, (void *)res}};
    return tc_datapackage_commit(dir, items, 2, NULL, 0, co, out_failed);
}
