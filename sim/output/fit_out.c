/*
** fit_out: the files of a fit. fit.csv has one row per observation with
** the simulated mean beside it; fit.json the parameters, their standard
** errors and correlations; scenario.yaml the scenario with the fitted
** values (tc_scenario_emit). Committed as one batch (afile).
*/
#include "output/fit_out.h"

#include <errno.h>
#include <stdio.h>

#include "base/csv.h"
#include "base/jsonw.h"
#include "output/datapackage.h"

static int write_csv(void *ud, FILE *f)
{
    const struct tc_fit_out *o = ud;
    fputs("time,metric,observed,simulated,ci95,residual,in_holdout\n", f);
    for (size_t i = 0; i < o->obs->n; i++) {
        const struct tc_obs_point *p = &o->obs->v[i];
        tc_csv_field(f, "", p->time, ",");
        tc_csv_field(f, "", p->metric, ",");
        tc_csv_number(f, p->value);
        fputc(',', f);
        tc_csv_number(f, o->res->mean[i]);
        fputc(',', f);
        tc_csv_number(f, o->res->ci95[i]);
        fputc(',', f);
        tc_csv_number(f, o->res->mean[i] - p->value);
        fputs(o->res->in_holdout[i] ? ",1\n" : ",0\n", f);
    }
    return ferror(f) ? -EIO : 0;
}

static int write_json(void *ud, FILE *f)
{
    const struct tc_fit_out *o = ud;
    struct tc_jsonw w;
    tc_jsonw_init(&w, f, true);
    tc_jsonw_begin_object(&w);
    tc_jsonw_key(&w, "parameters");
    tc_jsonw_begin_object(&w);
    for (size_t i = 0; i < o->n_params; i++) {
        tc_jsonw_key(&w, o->params[i].key);
        tc_jsonw_begin_object_inline(&w);
        tc_jsonw_key(&w, "value");
        tc_jsonw_number(&w, o->params[i].value);
        tc_jsonw_key(&w, "se");
        tc_jsonw_number(&w, o->params[i].se); /* NaN: null */
        tc_jsonw_end_object(&w);
    }
    tc_jsonw_end_object(&w);
    tc_jsonw_key(&w, "correlation");
    tc_jsonw_begin_array(&w);
    for (size_t a = 0; a < o->n_params; a++) {
        tc_jsonw_begin_array(&w);
        for (size_t b = 0; b < o->n_params; b++)
            tc_jsonw_number(&w, o->res->corr[a * o->n_params + b]);
        tc_jsonw_end_array(&w);
    }
    tc_jsonw_end_array(&w);
    tc_jsonw_key(&w, "rms_fit");
    tc_jsonw_number(&w, o->res->rms_fit);
    tc_jsonw_key(&w, "rms_holdout");
    tc_jsonw_number(&w, o->res->rms_holdout);
    tc_jsonw_key(&w, "sigma2");
    tc_jsonw_number(&w, o->res->sigma2);
    tc_jsonw_key(&w, "evaluations");
    tc_jsonw_uint(&w, o->res->evaluations);
    tc_jsonw_end_object(&w);
    fputc('\n', f);
    return ferror(f) ? -EIO : 0;
}

static int write_yaml(void *ud, FILE *f)
{
    const struct tc_fit_out *o = ud;
    return tc_scenario_emit(o->fitted, f);
}

int tc_fit_commit(const char *outdir, const struct tc_fit_out *out, const struct tc_afile_opts *co,
                  const char **failed)
{
    struct tc_afile_item items[] = {
        {"fit.csv", write_csv, (void *)out},
        {"fit.json", write_json, (void *)out},
        {"scenario.yaml", write_yaml, (void *)out},
    };
    return tc_datapackage_commit(outdir, items, 3, out->fitted, out->fitted->replications, co,
                                 failed);
}

int tc_fit_class_series_write(void *ud, FILE *f)
{
    const struct tc_fit_best *b = ud;
    const struct tc_scenario *sc = b->sc;
    uint32_t ns = sc->n_stations, w = sc->n_classes + 1;
    fputs("rep,t,station", f);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        tc_csv_field(f, ",", sc->classes[c].name, "");
    fputs(",departures\n", f);
    const double *v = b->cls;
    for (uint32_t r = 0; r < b->n_reps; r++)
        for (uint32_t k = 0; k < b->n_samples; k++)
            for (uint32_t i = 0; i <= ns; i++, v += w) {
                fprintf(f, "%u,", r + 1);
                tc_csv_number(f, (double)k * sc->sample_every);
                tc_csv_field(f, ",", i < ns ? sc->stations[i].name : "network", "");
                for (uint32_t c = 0; c < w; c++) {
                    fputc(',', f);
                    if (i < ns || c < sc->n_classes) /* the network has no departures */
                        tc_csv_number(f, v[c]);
                }
                fputc('\n', f);
            }
    return ferror(f) ? -EIO : 0;
}

int tc_fit_holdout_write(void *ud, FILE *f)
{
    const struct tc_fit_best *b = ud;
    fputs("holdout,t_from,t_to\n", f);
    tc_csv_field(f, "", b->holdout, ",");
    tc_csv_number(f, b->holdout_from);
    fputc(',', f);
    tc_csv_number(f, b->holdout_to);
    fputc('\n', f);
    return ferror(f) ? -EIO : 0;
}
