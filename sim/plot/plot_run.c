/*
** plot_run: the pictures of a run, from what plot_run_data.c read. The
** bands are tc_stat_reduce over replications at every sample (the same
** mean and Student-t half-width as summary.json); the distribution of time
** in system is the empirical CDF of the served trucks, thinned to at most
** ~2,000 points a class (every point of the top 1 %, where p99 lies); the
** bars of utilization and throughput come from summary.json.
*/
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "plot/plot_int.h"
#include "tcsim/metrics.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"

static void common_vars(struct tc_plot_job *j, FILE *f, const struct tc_plot_run *in)
{
    (void)j;
    tc_plot_var_str(f, "title", in->title);
    tc_plot_var_str(f, "sub", in->sub);
    tc_plot_var_int(f, "nrep", (long)in->n_reps);
}

/*
** Mean and band [max(0, mean - ci), min(cap, mean + ci)] of field c of
** (j, k) across replications; returns the top of the band (0 when
** undefined). A count lies in [0, capacity], and so does its mean: clipping
** the interval there keeps it a 95 % interval (it only drops values the
** mean cannot take).
*/
static double put_band(FILE *f, struct tc_plot_series *s, uint32_t j, uint32_t k, int c,
                       double factor, double cap)
{
    struct tc_stat st;
    tc_stat_reduce(tc_plot_cell(s, j, k, 0) + c, s->n_reps, 3, &st);
    double mean = st.mean * factor, ci = (st.n > 1 ? st.ci95 : 0) * factor;
    tc_plot_put_num(f, mean);
    tc_plot_put_num(f, isfinite(mean) ? fmax(0, mean - ci) : (double)NAN);
    tc_plot_put_num(f, isfinite(mean) ? fmin(cap, mean + ci) : (double)NAN);
    return isfinite(mean) ? fmin(cap, mean + ci) : 0;
}

static void plot_stations(struct tc_plot_job *j, const struct tc_plot_run *in,
                          struct tc_plot_series *s, const struct tc_plot_obs *po)
{
    const struct tc_scenario *sc = in->sc;
    FILE *d = tc_plot_data_new(j, "stations.dat");
    fputs("# per station (one block each): t present lo hi waiting lo hi blocked lo hi\n"
          "# mean across replications and its 95 % confidence band\n",
          d);
    double *ymax = tc_xcalloc(sc->n_stations, sizeof(double));
    for (uint32_t st = 0; st < sc->n_stations; st++) {
        double cap = sc->stations[st].capacity == TC_UNLIMITED ? (double)INFINITY
                                                               : (double)sc->stations[st].capacity;
        fprintf(d, "%s# station %s\n", st ? "\n\n" : "", sc->stations[st].name);
        for (uint32_t k = 0; k < s->n_samples; k++) {
            tc_plot_put_num(d, (double)k * sc->sample_every * in->scale_t);
            for (int c = 0; c < 3; c++)
                ymax[st] = fmax(ymax[st], put_band(d, s, st, k, c, 1, cap));
            fputc('\n', d);
        }
    }
    /*
    ** The total stock: trucks present at every station and on every road,
    ** summed in each replication before the mean and band are taken (the
    ** band of a sum is not the sum of the bands).
    */
    fputs("\n\n# total stock (present at all stations and on all roads)\n", d);
    double *tot = tc_xcalloc(s->n_reps, sizeof(double)), ytot = 0;
    for (uint32_t k = 0; k < s->n_samples; k++) {
        for (uint32_t r = 0; r < s->n_reps; r++) {
            tot[r] = 0;
            for (uint32_t jj = 0; jj < s->n_series; jj++)
                tot[r] += tc_plot_cell(s, jj, k, r)[0];
        }
        struct tc_stat st;
        tc_stat_reduce(tot, s->n_reps, 1, &st);
        double ci = st.n > 1 ? st.ci95 : 0;
        tc_plot_put_num(d, (double)k * sc->sample_every * in->scale_t);
        tc_plot_put_num(d, st.mean);
        tc_plot_put_num(d, isfinite(st.mean) ? fmax(0, st.mean - ci) : (double)NAN);
        tc_plot_put_num(d, isfinite(st.mean) ? st.mean + ci : (double)NAN);
        fputc('\n', d);
        if (isfinite(st.mean))
            ytot = fmax(ytot, st.mean + ci);
    }
    free(tot);
    FILE *v = tc_plot_pic_new(j, "stations", "stations.gp");
    common_vars(j, v, in);
    tc_plot_obs_stations(j, in, po, v, ymax, &ytot);
    for (uint32_t st = 0; st < sc->n_stations; st++) {
        char key[32];
        snprintf(key, sizeof(key), "ymax%u", (unsigned)st + 1);
        tc_plot_var_num(v, key, ymax[st]);
    }
    tc_plot_var_num(v, "ytot", ytot);
    tc_plot_var_int(v, "nroad", (long)(s->n_series - sc->n_stations));
    free(ymax);
    tc_plot_var_data(j, v, "data", "stations.dat");
    tc_plot_var_int(v, "nst", sc->n_stations);
    for (uint32_t st = 0; st < sc->n_stations; st++)
        tc_plot_var_stri(v, "st", st + 1, sc->stations[st].name);
    tc_plot_var_int(v, "nsamp", (long)s->n_samples);
    tc_plot_time_vars(v, in);
    tc_plot_closures(j, in, v, true);
}

static void plot_road(struct tc_plot_job *j, const struct tc_plot_run *in,
                      const struct tc_metrics *m, struct tc_plot_series *s,
                      const struct tc_plot_obs *po)
{
    const struct tc_scenario *sc = in->sc;
    if (m->n_roads == 0)
        return;
    FILE *d = tc_plot_data_new(j, "road.dat");
    fputs("# per road (one block each): t km lo hi (mean across replications, 95 % band)\n", d);
    double factor = sc->truck_length_m / 1000, top = 0, ymax = 0;
    for (uint32_t r = 0; r < m->n_roads; r++) {
        uint32_t jj = sc->n_stations + r;
        fprintf(d, "%s# road %s\n", r ? "\n\n" : "", sc->stations[m->road_station[r]].name);
        for (uint32_t k = 0; k < s->n_samples; k++) {
            tc_plot_put_num(d, (double)k * sc->sample_every * in->scale_t);
            ymax = fmax(ymax, put_band(d, s, jj, k, 0, factor, (double)INFINITY));
            fputc('\n', d);
            for (uint32_t rep = 0; rep < s->n_reps; rep++)
                if (tc_plot_cell(s, jj, k, rep)[0] > top)
                    top = tc_plot_cell(s, jj, k, rep)[0];
        }
    }
    FILE *v = tc_plot_pic_new(j, "road", "road.gp");
    common_vars(j, v, in);
    tc_plot_obs_road(j, in, po, v, m->n_roads, factor, &ymax);
    tc_plot_var_data(j, v, "data", "road.dat");
    tc_plot_var_int(v, "nroad", m->n_roads);
    for (uint32_t r = 0; r < m->n_roads; r++) {
        tc_plot_var_stri(v, "rd", r + 1, sc->stations[m->road_station[r]].name);
        char key[32]; /* the station the road leads to: its closures are shaded */
        snprintf(key, sizeof(key), "rdst%u", (unsigned)r + 1);
        tc_plot_var_int(v, key, (long)m->road_station[r] + 1);
    }
    tc_plot_closures(j, in, v, false);
    tc_plot_time_vars(v, in);
    tc_plot_var_num(v, "truck_m", sc->truck_length_m);
    tc_plot_var_num(v, "ymax", ymax);
    /*
    ** Whether a queue formed is decided by max_trucks of summary.json (the
    ** most trucks on the road at any instant), not by the samples: a queue
    ** that forms and clears between two samples is invisible to them.
    */
    double most = 0;
    for (uint32_t r = 0; r < m->n_roads; r++) {
        const char *rn = sc->stations[m->road_station[r]].name;
        const json_t *mx = json_object_get(
            json_object_get(json_object_get(json_object_get(in->summary, "roads"), rn),
                            "max_trucks"),
            "max");
        if (json_is_number(mx))
            most = fmax(most, json_number_value(mx));
    }
    tc_plot_var_int(v, "empty", most == 0 && top == 0);
    tc_plot_var_int(v, "nsamp", (long)s->n_samples);
    tc_plot_var_int(v, "unsampled", most > 0 && top == 0);
    tc_plot_var_num(v, "most", most);
}

#define CDF_POINTS 1000

/* The span of the time axis: the longest p99 (with its band) or 99.5th percentile of a class. */
static double tis_span(const struct tc_plot_run *in, const struct tc_plot_dvec *tis)
{
    const struct tc_scenario *sc = in->sc;
    double span = 0;
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        struct tc_plot_mstat p99 =
            tc_plot_jstat(in->summary, "classes", sc->classes[c].name, "time_in_system_p99");
        if (isfinite(p99.mean) && p99.mean + (isfinite(p99.ci95) ? p99.ci95 : 0) > span)
            span = p99.mean + (isfinite(p99.ci95) ? p99.ci95 : 0);
        if (tis[c].n) {
            /* the 99.5th percentile bounds the axis: beyond it a few stragglers squash the rest */
            double q = tis[c].v[(size_t)floor(0.995 * (double)(tis[c].n - 1))];
            if (q > span)
                span = q;
        }
    }
    return span > 0 ? span : sc->horizon;
}

/* The marks p50, p90, p95, p99 of each class (mean and ci95 across replications, summary.json). */
static void tis_marks(struct tc_plot_job *j, const struct tc_plot_run *in, FILE *v, double scale)
{
    const struct tc_scenario *sc = in->sc;
    FILE *mk = tc_plot_data_new(j, "time_in_system_marks.dat");
    fputs("# per class (one block each): time ci95 probability label; from summary.json\n", mk);
    static const char *const qn[] = {"time_in_system_p50", "time_in_system_p90",
                                     "time_in_system_p95", "time_in_system_p99"};
    static const double qp[] = {0.5, 0.9, 0.95, 0.99};
    static const char *const ql[] = {"p50", "p90", "p95", "p99"};
    size_t n_mk = 0;
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        struct tc_plot_mstat q0 = tc_plot_jstat(in->summary, "classes", sc->classes[c].name, qn[0]);
        if (!isfinite(q0.mean))
            continue;
        fprintf(mk, "%s# class %s\n", n_mk ? "\n\n" : "", sc->classes[c].name);
        for (int i = 0; i < 4; i++) {
            struct tc_plot_mstat q =
                tc_plot_jstat(in->summary, "classes", sc->classes[c].name, qn[i]);
            tc_plot_put_num(mk, q.mean * scale);
            tc_plot_put_num(mk, (isfinite(q.ci95) ? q.ci95 : 0) * scale);
            tc_plot_put_num(mk, qp[i]);
            fprintf(mk, " %s\n", ql[i]);
        }
        n_mk++;
        tc_plot_var_stri(v, "mk", n_mk, sc->classes[c].name);
        char key[32];
        snprintf(key, sizeof(key), "mkc%zu", n_mk);
        tc_plot_var_int(v, key, (long)c + 1);
    }
    tc_plot_var_int(v, "nmk", (long)n_mk);
    tc_plot_var_data(j, v, "marks", "time_in_system_marks.dat");
}

/* The empirical CDF of each class, thinned: CDF_POINTS evenly spaced ranks, every rank of the top 1
 * %. */
static void tis_cdf(struct tc_plot_job *j, const struct tc_plot_run *in,
                    const struct tc_plot_dvec *tis, FILE *v, double scale, double xmax)
{
    const struct tc_scenario *sc = in->sc;
    FILE *d = tc_plot_data_new(j, "time_in_system_cdf.dat");
    fputs("# per class (one block each): time F (empirical CDF of served trucks)\n", d);
    fprintf(d, "# the x-axis ends at %.6g\n", xmax);
    size_t n_cdf = 0;
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        size_t n = tis[c].n;
        if (n == 0)
            continue;
        fprintf(d, "%s# class %s (%zu trucks)\n", n_cdf ? "\n\n" : "", sc->classes[c].name, n);
        size_t tail = (size_t)floor(0.99 * (double)n);
        size_t prev = SIZE_MAX;
        tc_plot_put_num(d, tis[c].v[0] * scale); /* the curve starts at F = 0 */
        tc_plot_put_num(d, 0);
        fputc('\n', d);
        for (size_t i = 0; i < n; i++) {
            bool keep = i >= tail || i + 1 == n;
            if (!keep) { /* is i the rank closest to a multiple of n / CDF_POINTS? */
                size_t step = n / CDF_POINTS;
                keep = step == 0 || i % step == step - 1;
            }
            if (!keep || i == prev)
                continue;
            prev = i;
            tc_plot_put_num(d, tis[c].v[i] * scale);
            tc_plot_put_num(d, (double)(i + 1) / (double)n);
            fputc('\n', d);
        }
        n_cdf++;
        tc_plot_var_stri(v, "cd", n_cdf, sc->classes[c].name);
        char key[32];
        snprintf(key, sizeof(key), "cdc%zu", n_cdf);
        tc_plot_var_int(v, key, (long)c + 1);
        snprintf(key, sizeof(key), "cdn%zu", n_cdf);
        tc_plot_var_int(v, key, (long)n);
    }
    tc_plot_var_int(v, "ncd", (long)n_cdf);
    tc_plot_var_data(j, v, "cdf", "time_in_system_cdf.dat");
}

/* Time in system: the CDF from trucks.csv (when traced) and the marks of summary.json. */
static int plot_tis(struct tc_plot_job *j, const struct tc_plot_run *in, struct tc_diags *diags)
{
    const struct tc_scenario *sc = in->sc;
    struct tc_plot_dvec *tis = tc_xcalloc(sc->n_classes, sizeof(*tis));
    int got = tc_plot_read_tis(in, tis, diags);
    if (got >= 0) {
        double span = tis_span(in, tis), scale;
        const char *unit = tc_plot_time_axis(sc->time_unit, span, &scale);
        FILE *v = tc_plot_pic_new(j, "time_in_system", "time_in_system.gp");
        common_vars(j, v, in);
        tc_plot_var_str(v, "xunit", unit);
        tc_plot_var_num(v, "xmax", span * scale * 1.08);
        tc_plot_var_int(v, "have_trace", got == 0);
        /* the axis ends near the 99.5th percentile: say how many trucks lie beyond it */
        size_t n_cut = 0, n_all = 0;
        for (uint32_t c = 0; c < sc->n_classes; c++) {
            n_all += tis[c].n;
            for (size_t i = tis[c].n; i > 0 && tis[c].v[i - 1] * scale > span * scale * 1.08; i--)
                n_cut++;
        }
        tc_plot_var_int(v, "ncut", (long)n_cut);
        tc_plot_var_int(v, "nall", (long)n_all);
        tis_marks(j, in, v, scale);
        tis_cdf(j, in, tis, v, scale, span * scale * 1.08);
    }
    for (uint32_t c = 0; c < sc->n_classes; c++)
        free(tis[c].v);
    free(tis);
    return got < 0 ? got : 0;
}

static void plot_utilization(struct tc_plot_job *j, const struct tc_plot_run *in)
{
    const struct tc_scenario *sc = in->sc;
    FILE *v = NULL, *d = NULL;
    size_t n = 0;
    double top = 0;
    char note[512] = "";
    size_t nl = 0;
    for (uint32_t s = 0; s < sc->n_stations; s++) {
        const char *name = sc->stations[s].name;
        if (sc->stations[s].servers == TC_UNLIMITED) {
            /* utilization of a yard is a count of busy servers: not comparable, left out */
            int w = snprintf(note + nl, sizeof(note) - nl, "%s%s", nl ? ", " : "", name);
            if (w > 0 && nl + (size_t)w < sizeof(note))
                nl += (size_t)w;
            continue;
        }
        if (!d) {
            d = tc_plot_data_new(j, "utilization.dat");
            fputs("# index utilization ci95 station (servers); from summary.json\n", d);
            v = tc_plot_pic_new(j, "utilization", "utilization.gp");
            common_vars(j, v, in);
            tc_plot_var_data(j, v, "data", "utilization.dat");
        }
        struct tc_plot_mstat u = tc_plot_jstat(in->summary, "stations", name, "utilization");
        fprintf(d, "%zu", n);
        tc_plot_put_num(d, u.mean);
        tc_plot_put_num(d, isfinite(u.ci95) ? u.ci95 : 0);
        fputc('\n', d);
        if (isfinite(u.mean) && u.mean + (isfinite(u.ci95) ? u.ci95 : 0) > top)
            top = u.mean + (isfinite(u.ci95) ? u.ci95 : 0);
        n++;
        char label[300];
        snprintf(label, sizeof(label), "%s (%u)", name, (unsigned)sc->stations[s].servers);
        tc_plot_var_stri(v, "lb", n, label);
    }
    if (!v)
        return;
    tc_plot_var_int(v, "n", (long)n);
    tc_plot_var_num(v, "top", top);
    tc_plot_var_str(v, "note", nl ? note : "");
}

static void plot_throughput(struct tc_plot_job *j, const struct tc_plot_run *in,
                            const struct tc_plot_obs *po)
{
    const struct tc_scenario *sc = in->sc;
    FILE *d = tc_plot_data_new(j, "throughput.dat");
    FILE *v = tc_plot_pic_new(j, "throughput", "throughput.gp");
    common_vars(j, v, in);
    tc_plot_var_data(j, v, "data", "throughput.dat");
    fputs("# block 0: stations, block 1: classes; index trucks/day ci95 (summary.json)\n", d);
    double top_st = 0, top_cl = 0;
    for (uint32_t s = 0; s < sc->n_stations; s++) {
        struct tc_plot_mstat t =
            tc_plot_jstat(in->summary, "stations", sc->stations[s].name, "throughput_per_day");
        double ci = isfinite(t.ci95) ? t.ci95 : 0;
        fprintf(d, "%u", (unsigned)s);
        tc_plot_put_num(d, t.mean);
        tc_plot_put_num(d, ci);
        fputc('\n', d);
        tc_plot_var_stri(v, "st", s + 1, sc->stations[s].name);
        if (isfinite(t.mean))
            top_st = fmax(top_st, t.mean + ci);
    }
    fputs("\n\n", d);
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        struct tc_plot_mstat t =
            tc_plot_jstat(in->summary, "classes", sc->classes[c].name, "throughput_per_day");
        double ci = isfinite(t.ci95) ? t.ci95 : 0;
        fprintf(d, "%u", (unsigned)c);
        tc_plot_put_num(d, t.mean);
        tc_plot_put_num(d, ci);
        fputc('\n', d);
        tc_plot_var_stri(v, "cl", c + 1, sc->classes[c].name);
        if (isfinite(t.mean))
            top_cl = fmax(top_cl, t.mean + ci);
    }
    tc_plot_var_int(v, "nst", sc->n_stations);
    tc_plot_var_int(v, "ncl", sc->n_classes);
    tc_plot_obs_throughput(j, po, v, &top_st);
    tc_plot_var_num(v, "top_st", top_st);
    tc_plot_var_num(v, "top_cl", top_cl);
}

int tc_plot_prepare_run(struct tc_plot_job *j, const char *dir, struct tc_diags *diags)
{
    struct tc_plot_run in;
    struct tc_plot_series s = {0};
    struct tc_metrics m = {0};
    struct tc_plot_obs po = {0};
    bool have_m = false;
    int rc = tc_plot_run_load(&in, dir, diags);
    if (rc)
        goto out;
    tc_metrics_init(&m, in.sc);
    have_m = true;
    rc = tc_plot_read_series(&in, &m, &s, diags);
    if (!rc)
        rc = tc_plot_obs_load(&po, &in, &m, diags);
    if (rc)
        goto out;
    plot_stations(j, &in, &s, &po);
    plot_road(j, &in, &m, &s, &po);
    rc = plot_tis(j, &in, diags);
    if (rc)
        goto out;
    plot_utilization(j, &in);
    plot_throughput(j, &in, &po);
out:
    tc_plot_obs_fini(&po);
    free(s.v);
    if (have_m)
        tc_metrics_fini(&m);
    tc_plot_run_fini(&in);
    return rc;
}
