/*
** plot_fit: fit.png, one panel per observed metric: the observations, the
** simulated replication mean of the fitted scenario with its 95 % band
** over the whole run, the fit's own simulated value at each observed time,
** and the holdout shaded. The curve is computed from best/'s samples with
** tc_obs_value_at, the function that gives the fit its values, so at an
** observed time it is fit.csv's simulated mean (best/ is the same run:
** same seeds, same replications); the points are fit.csv's cells as
** written.
*/
#include "plot/plot_fit.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmem.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/* What the steps of the picture share. */
struct fitpic {
    struct tc_plot_run in;
    struct tc_obs obs;
    struct tc_plot_fit_rows rows;
    struct tc_plot_fit_samples s;
    bool has_hold;
    double hold_from, hold_to;
    size_t *first; /* per panel: its metric's first observation */
    size_t n_pan;
};

/* Replication r's samples as tc_obs_value reads them. */
static struct tc_obs_rep rep_of(const struct fitpic *p, uint32_t r)
{
    const struct tc_scenario *sc = p->in.sc;
    size_t per = (size_t)p->s.n_samples * p->s.n_series * TC_TS__COUNT;
    size_t per_c = (size_t)p->s.n_samples * (sc->n_stations + 1) * (sc->n_classes + 1);
    return (struct tc_obs_rep){
        sc->sample_every,      sc->time_unit,
        p->s.n_samples,        p->s.n_series,
        sc->n_stations,        sc->n_classes,
        p->s.series + r * per, p->s.classes ? p->s.classes + r * per_c : NULL};
}

/* The panels: the metrics in the order they first appear. */
static void find_panels(struct fitpic *p)
{
    p->first = tc_xcalloc(p->obs.n ? p->obs.n : 1, sizeof(size_t));
    for (size_t i = 0; i < p->obs.n; i++) {
        bool seen = false;
        for (size_t q = 0; q < p->n_pan && !seen; q++)
            seen = strcmp(p->obs.v[p->first[q]].metric, p->obs.v[i].metric) == 0;
        if (!seen)
            p->first[p->n_pan++] = i;
    }
}

/* Panel q's curve, "t mean lo hi" at every sample, into d; its lowest and highest values. */
static void put_curve(const struct fitpic *p, FILE *d, size_t q, double *lo, double *hi)
{
    uint32_t nr = p->s.n_reps;
    double day = 86400.0 / tc_units_seconds(p->in.sc->time_unit);
    double horizon = p->in.sc->horizon * (1.0 + 1e-12);
    double *v = tc_xcalloc(nr, sizeof(double));
    for (uint32_t k = 0; k < p->s.n_samples; k++) {
        double t = (double)k * p->s.sample_every;
        if (p->obs.v[p->first[q]].kind != TC_OBS_AT && (floor(t / day) + 1) * day > horizon) {
            /* a day that ends past the horizon has no daily value (tc_obs_load refuses it) */
            tc_plot_put_num(d, t * p->in.scale_t);
            fputs(" NaN NaN NaN\n", d);
            continue;
        }
        for (uint32_t r = 0; r < nr; r++) {
            struct tc_obs_rep rep = rep_of(p, r);
            v[r] = tc_obs_value_at(&p->obs, p->first[q], t, &rep);
        }
        struct tc_stat st;
        tc_stat_reduce(v, nr, 1, &st);
        double ci = st.n > 1 && isfinite(st.ci95) ? st.ci95 : 0;
        tc_plot_put_num(d, t * p->in.scale_t);
        tc_plot_put_num(d, st.mean);
        tc_plot_put_num(d, st.mean - ci);
        tc_plot_put_num(d, st.mean + ci);
        fputc('\n', d);
        if (isfinite(st.mean)) {
            *lo = fmin(*lo, st.mean - ci);
            *hi = fmax(*hi, st.mean + ci);
        }
    }
    free(v);
}

/* Panel q's observations, "t observed simulated ci95 in_holdout" (fit.csv's cells) into d. */
static size_t put_points(const struct fitpic *p, FILE *d, size_t q, double *lo, double *hi)
{
    const char *metric = p->obs.v[p->first[q]].metric;
    size_t n = 0;
    for (size_t i = 0; i < p->obs.n; i++) {
        if (strcmp(p->obs.v[i].metric, metric) != 0)
            continue;
        char *const *c = p->rows.v[i].cell;
        tc_plot_put_num(d, p->obs.v[i].t * p->in.scale_t);
        fprintf(d, " %s %s %s %s # %s\n", c[2], c[3], c[4], c[6], c[0]);
        double o, m, ci;
        if (tc_plot_parse_double(c[2], &o)) {
            *lo = fmin(*lo, o);
            *hi = fmax(*hi, o);
        }
        if (tc_plot_parse_double(c[3], &m) && isfinite(m)) {
            ci = tc_plot_parse_double(c[4], &ci) && isfinite(ci) ? ci : 0;
            *lo = fmin(*lo, m - ci);
            *hi = fmax(*hi, m + ci);
        }
        n++;
    }
    return n;
}

static void write_picture(struct tc_plot_job *j, struct fitpic *p)
{
    FILE *c = tc_plot_data_new(j, "fit_curve.dat");
    FILE *o = tc_plot_data_new(j, "fit_points.dat");
    fputs("# per observed metric (one block each): t mean lo hi of the fitted scenario's\n"
          "# replications (best/), at every sample: the mean and its 95 % band\n",
          c);
    fputs("# per observed metric (one block each): t observed simulated ci95 in_holdout\n"
          "# (fit.csv's cells as written) # time as written\n",
          o);
    FILE *v = tc_plot_pic_new(j, "fit", "fit.gp");
    tc_plot_var_int(v, "npan", (long)p->n_pan);
    for (size_t q = 0; q < p->n_pan; q++) {
        double lo = 0, hi = 0; /* the y axis holds 0 */
        fprintf(c, "%s# %s\n", q ? "\n\n" : "", p->obs.v[p->first[q]].metric);
        fprintf(o, "%s# %s\n", q ? "\n\n" : "", p->obs.v[p->first[q]].metric);
        put_curve(p, c, q, &lo, &hi);
        size_t n = put_points(p, o, q, &lo, &hi);
        char key[32];
        tc_plot_var_stri(v, "pm", q + 1, p->obs.v[p->first[q]].metric);
        snprintf(key, sizeof(key), "nob%zu", q + 1);
        tc_plot_var_int(v, key, (long)n);
        snprintf(key, sizeof(key), "ylo%zu", q + 1);
        tc_plot_var_num(v, key, lo);
        snprintf(key, sizeof(key), "yhi%zu", q + 1);
        tc_plot_var_num(v, key, hi > lo ? hi : lo + 1);
    }
    tc_plot_var_int(v, "hold", p->has_hold);
    tc_plot_var_num(v, "hf", p->has_hold ? p->hold_from * p->in.scale_t : 0);
    tc_plot_var_num(v, "ht", p->has_hold ? p->hold_to * p->in.scale_t : 0);
    tc_plot_time_vars(v, &p->in);
    char title[600];
    snprintf(title, sizeof(title), "fit: %s", p->in.sc->name);
    tc_plot_var_str(v, "title", title);
    tc_plot_var_str(v, "sub", p->in.sub);
    tc_plot_var_int(v, "nrep", (long)p->in.n_reps);
    tc_plot_var_data(j, v, "curve", "fit_curve.dat");
    tc_plot_var_data(j, v, "points", "fit_points.dat");
}

int tc_plot_prepare_fit(struct tc_plot_job *j, const char *dir, struct tc_diags *diags)
{
    struct fitpic p = {0};
    char *best = tc_plot_path_join(dir, "best");
    char *obs_path = tc_plot_path_join(best, "observed.csv");
    int rc = tc_plot_run_load(&p.in, best, diags);
    if (!rc && !tc_plot_is_file(obs_path, R_OK)) {
        tc_plot_diag(diags, obs_path, 0, "%s",
                     "not found: the fit picture needs the observations beside the fitted run");
        rc = -ENOENT;
    }
    if (!rc && tc_obs_load(&p.obs, obs_path, p.in.sc, diags) != 0)
        rc = -EINVAL;
    if (!rc)
        rc = tc_plot_fit_read_rows(dir, p.obs.n, &p.rows, diags);
    if (!rc)
        rc = tc_plot_fit_read_holdout(best, &p.has_hold, &p.hold_from, &p.hold_to, diags);
    if (!rc)
        rc = tc_plot_fit_read_samples(best, p.in.sc, p.in.n_reps, p.obs.needs_class_series, &p.s,
                                      diags);
    if (!rc) {
        find_panels(&p);
        write_picture(j, &p);
    }
    free(p.first);
    tc_plot_fit_samples_fini(&p.s);
    tc_plot_fit_rows_fini(&p.rows);
    tc_obs_fini(&p.obs);
    tc_plot_run_fini(&p.in);
    free(obs_path);
    free(best);
    return rc;
}
