/*
** plot_observed: the observations a run was given (tcsim run --observed
** copies them into DIR/observed.csv) drawn beside what the run simulated.
** The file is read against the run's scenario exactly as tcsim fit reads
** it (run/observed.c), so a point's time and series are the fit's. Each
** point goes to the panel that draws its series: STATION.present (and its
** .daily_mean) to the station's panel of stations.png, road:STATION.present
** to road.png in km, a sum over every station and road (network.present)
** to the total-stock panel, STATION.departures_per_day over the station's
** bar of throughput.png. A daily mean is drawn at the middle of its day,
** the level it summarises. Any other series (waiting, busy, blocked, a
** class, another sum) has no curve to compare with: it is named in a
** warning, once per metric, and not drawn.
*/
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "plot/plot_int.h"
#include "run/observed.h"
#include "tcsim/metrics.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/* Where point i is drawn: a station's panel, a road, the total stock, a throughput bar. */
static bool classify(const struct tc_plot_obs *po, size_t i, enum tc_plot_obs_where *w,
                     uint32_t *idx)
{
    const struct tc_obs_point *p = &po->o.v[i];
    const struct tc_obs_term *t = po->o.terms + p->term0;
    uint32_t nst = po->n_stations, nser = po->n_series;
    if (p->n_terms == 1 && t->class_series) {
        if (p->kind != TC_OBS_PER_DAY)
            return false;
        *w = TC_PLOT_OBS_THROUGHPUT;
        *idx = t->row;
        return true;
    }
    if (p->kind == TC_OBS_PER_DAY)
        return false;
    if (p->n_terms == 1 && t->field == TC_TS_PRESENT) {
        *w = t->row < nst ? TC_PLOT_OBS_STATION : TC_PLOT_OBS_ROAD;
        *idx = t->row < nst ? t->row : t->row - nst;
        return true;
    }
    /* a sum is drawn when it is the network's stock: every series' present once */
    if (p->n_terms != nser)
        return false;
    bool *seen = tc_xcalloc(nser, sizeof(bool));
    bool all = true;
    for (size_t k = 0; k < p->n_terms && all; k++) {
        all =
            !t[k].class_series && t[k].field == TC_TS_PRESENT && t[k].row < nser && !seen[t[k].row];
        if (all)
            seen[t[k].row] = true;
    }
    free(seen);
    *w = TC_PLOT_OBS_TOTAL;
    *idx = 0;
    return all;
}

int tc_plot_obs_load(struct tc_plot_obs *po, const struct tc_plot_run *in,
                     const struct tc_metrics *m, struct tc_diags *diags)
{
    memset(po, 0, sizeof(*po));
    char *path = tc_plot_path_join(in->dir, "observed.csv");
    if (!tc_plot_is_file(path, 0)) {
        free(path);
        return 0;
    }
    const struct tc_scenario *sc = in->sc;
    if (tc_obs_load(&po->o, path, sc, diags) != 0) {
        free(path);
        return -EINVAL;
    }
    po->have = true;
    po->n_stations = sc->n_stations;
    po->n_series = sc->n_stations + m->n_roads;
    po->where = tc_xcalloc(po->o.n ? po->o.n : 1, sizeof(*po->where));
    po->idx = tc_xcalloc(po->o.n ? po->o.n : 1, sizeof(*po->idx));
    for (size_t i = 0; i < po->o.n; i++) {
        if (classify(po, i, &po->where[i], &po->idx[i]))
            continue;
        po->where[i] = TC_PLOT_OBS_NONE;
        bool said = false; /* once per metric, at its first row */
        for (size_t k = 0; k < i && !said; k++)
            said = strcmp(po->o.v[k].metric, po->o.v[i].metric) == 0;
        if (said)
            continue;
        struct tc_pos pos = {path, po->o.v[i].line, 0};
        tc_diags_add(diags, TC_SEV_WARNING, &pos, "",
                     "observed series %s is not drawn on any plot (drawn: STATION.present, "
                     "road:STATION.present, network.present and STATION.departures_per_day)",
                     po->o.v[i].metric);
    }
    free(path);
    return 0;
}

void tc_plot_obs_fini(struct tc_plot_obs *po)
{
    if (po->have)
        tc_obs_fini(&po->o);
    free(po->where);
    free(po->idx);
    memset(po, 0, sizeof(*po));
}

/* The time of point p on the axis: a daily mean at the middle of its day. */
static double obs_x(const struct tc_plot_run *in, const struct tc_obs_point *p)
{
    if (p->kind == TC_OBS_DAILY_MEAN) {
        double day = 86400.0 / tc_units_seconds(in->sc->time_unit);
        return ((double)p->day + 0.5) * day * in->scale_t;
    }
    return p->t * in->scale_t;
}

/*
** One block per panel (n_blocks, of kind w) of "x y" lines into plots/data/name,
** y the value times factor; the count of panel b into <key>b (1-based),
** the largest y of it into top[b] when top is not NULL. Returns the count drawn.
*/
static size_t obs_blocks(struct tc_plot_job *j, const struct tc_plot_run *in,
                         const struct tc_plot_obs *po, FILE *v, const char *name,
                         enum tc_plot_obs_where w, uint32_t n_blocks, const char *key,
                         double factor, double *top)
{
    FILE *d = tc_plot_data_new(j, name);
    fputs("# observed points (observed.csv), one block per panel: time value\n", d);
    size_t total = 0;
    for (uint32_t b = 0; b < n_blocks; b++) {
        size_t n = 0;
        if (b)
            fputs("\n\n", d);
        for (size_t i = 0; i < po->o.n; i++) {
            if (po->where[i] != w || po->idx[i] != b)
                continue;
            const struct tc_obs_point *p = &po->o.v[i];
            double y = p->value * factor;
            tc_plot_put_num(d, w == TC_PLOT_OBS_THROUGHPUT ? (double)b : obs_x(in, p));
            tc_plot_put_num(d, y);
            fprintf(d, " # %s %s\n", p->time, p->metric);
            if (top)
                top[b] = fmax(top[b], y);
            n++;
        }
        if (n == 0)
            fputs(" NaN NaN\n", d); /* keeps the block numbering */
        char k[48];
        snprintf(k, sizeof(k), "%s%u", key, (unsigned)b + 1);
        tc_plot_var_int(v, k, (long)n);
        total += n;
    }
    return total;
}

void tc_plot_obs_stations(struct tc_plot_job *j, const struct tc_plot_run *in,
                          const struct tc_plot_obs *po, FILE *v, double *ymax, double *ytot)
{
    uint32_t nst = po->n_stations;
    size_t n = 0;
    if (po->have) {
        double *top = tc_xcalloc(nst + 1, sizeof(double));
        n = obs_blocks(j, in, po, v, "observed_stations.dat", TC_PLOT_OBS_STATION, nst, "nob", 1,
                       top);
        size_t nt = 0;
        for (size_t i = 0; i < po->o.n; i++)
            nt += po->where[i] == TC_PLOT_OBS_TOTAL;
        if (nt) {
            obs_blocks(j, in, po, v, "observed_total.dat", TC_PLOT_OBS_TOTAL, 1, "nobt", 1,
                       top + nst);
            tc_plot_var_data(j, v, "obst", "observed_total.dat");
        } else {
            tc_plot_var_int(v, "nobt1", 0);
        }
        n += nt;
        for (uint32_t s = 0; s < nst; s++)
            ymax[s] = fmax(ymax[s], top[s]);
        *ytot = fmax(*ytot, top[nst]);
        free(top);
        tc_plot_var_data(j, v, "obs", "observed_stations.dat");
    }
    tc_plot_var_int(v, "nobs", (long)n);
}

void tc_plot_obs_road(struct tc_plot_job *j, const struct tc_plot_run *in,
                      const struct tc_plot_obs *po, FILE *v, uint32_t n_roads, double factor,
                      double *ymax)
{
    size_t n = 0;
    if (po->have) {
        double *top = tc_xcalloc(n_roads ? n_roads : 1, sizeof(double));
        n = obs_blocks(j, in, po, v, "observed_road.dat", TC_PLOT_OBS_ROAD, n_roads, "nobr", factor,
                       top);
        for (uint32_t r = 0; r < n_roads; r++)
            *ymax = fmax(*ymax, top[r]);
        free(top);
        tc_plot_var_data(j, v, "obs", "observed_road.dat");
    }
    tc_plot_var_int(v, "nobs", (long)n);
}

void tc_plot_obs_throughput(struct tc_plot_job *j, const struct tc_plot_obs *po, FILE *v,
                            double *top_st)
{
    size_t n = 0;
    if (po->have) {
        /* one block: every station's daily counts at its bar */
        FILE *d = tc_plot_data_new(j, "observed_throughput.dat");
        fputs("# observed departures per day (observed.csv): station index, value\n", d);
        for (size_t i = 0; i < po->o.n; i++) {
            if (po->where[i] != TC_PLOT_OBS_THROUGHPUT)
                continue;
            const struct tc_obs_point *p = &po->o.v[i];
            fprintf(d, "%u", (unsigned)po->idx[i]);
            tc_plot_put_num(d, p->value);
            fprintf(d, " # %s %s\n", p->time, p->metric);
            *top_st = fmax(*top_st, p->value);
            n++;
        }
        if (n == 0)
            fputs(" NaN NaN\n", d);
        tc_plot_var_data(j, v, "obs", "observed_throughput.dat");
    }
    tc_plot_var_int(v, "nobs", (long)n);
}
