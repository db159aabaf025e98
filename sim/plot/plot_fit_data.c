/*
** plot_fit_data: what the fit picture reads from a fit's directory: the
** rows of fit.csv (kept as written, so the points drawn are its numbers),
** the holdout of best/holdout.csv, and best/'s samples of every
** replication in the layout tc_obs_value reads (timeseries.csv, and
** class_series.csv when the observations need per-class series).
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "plot/plot_fit.h"
#include "tcsim/metrics.h"
#include "tcsim/scenario.h"

static FILE *open_in(const char *dir, const char *name, char **path, struct tc_diags *diags)
{
    *path = tc_plot_path_join(dir, name);
    FILE *f = fopen(*path, "r");
    if (!f)
        tc_plot_diag(diags, *path, 0, "cannot open it: %s", strerror(errno));
    return f;
}

void tc_plot_fit_rows_fini(struct tc_plot_fit_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (int c = 0; c < TC_PLOT_FIT_COLS; c++)
            free(r->v[i].cell[c]);
    free(r->v);
    memset(r, 0, sizeof(*r));
}

int tc_plot_fit_read_rows(const char *dir, size_t n_obs, struct tc_plot_fit_rows *out,
                          struct tc_diags *diags)
{
    memset(out, 0, sizeof(*out));
    char *path, *line = NULL;
    FILE *f = open_in(dir, "fit.csv", &path, diags);
    if (!f) {
        free(path);
        return -ENOENT;
    }
    out->v = tc_xcalloc(n_obs ? n_obs : 1, sizeof(*out->v));
    size_t cap = 0;
    uint32_t lineno = 0;
    int rc = 0;
    while (!rc && tc_plot_read_line(f, &line, &cap)) {
        if (++lineno == 1) {
            if (strcmp(line, "time,metric,observed,simulated,ci95,residual,in_holdout") != 0) {
                tc_plot_diag(diags, path, 1, "%s",
                             "expected the header "
                             "time,metric,observed,simulated,ci95,residual,in_holdout");
                rc = -EINVAL;
            }
            continue;
        }
        char *fl[TC_PLOT_FIT_COLS + 1];
        int nf = tc_plot_csv_split(line, fl, TC_PLOT_FIT_COLS + 1);
        double x;
        if (nf != TC_PLOT_FIT_COLS || out->n >= n_obs || !tc_plot_parse_double(fl[2], &x)) {
            tc_plot_diag(diags, path, lineno, "%s",
                         "expected a row of best/observed.csv: 7 fields, a number observed");
            rc = -EINVAL;
            break;
        }
        for (int c = 0; c < TC_PLOT_FIT_COLS; c++)
            out->v[out->n].cell[c] = tc_xstrdup(*fl[c] ? fl[c] : "NaN");
        out->v[out->n].holdout = strcmp(fl[6], "1") == 0;
        out->n++;
    }
    if (!rc && out->n != n_obs) {
        tc_plot_diag(diags, path, 0, "has %zu rows, best/observed.csv %zu observations", out->n,
                     n_obs);
        rc = -EINVAL;
    }
    free(line);
    fclose(f);
    free(path);
    if (rc)
        tc_plot_fit_rows_fini(out);
    return rc;
}

int tc_plot_fit_read_holdout(const char *best, bool *has, double *from, double *to,
                             struct tc_diags *diags)
{
    *has = false;
    char *path = tc_plot_path_join(best, "holdout.csv");
    if (!tc_plot_is_file(path, 0)) {
        free(path);
        return 0; /* no holdout */
    }
    FILE *f = fopen(path, "r");
    char *line = NULL, *fl[4];
    size_t cap = 0;
    bool ok = f && tc_plot_read_line(f, &line, &cap) && strcmp(line, "holdout,t_from,t_to") == 0 &&
              tc_plot_read_line(f, &line, &cap) && tc_plot_csv_split(line, fl, 4) == 3 &&
              tc_plot_parse_double(fl[1], from) && tc_plot_parse_double(fl[2], to);
    if (!ok)
        tc_plot_diag(diags, path, 0, "%s", "expected holdout,t_from,t_to and one row");
    *has = ok;
    if (f)
        fclose(f);
    free(line);
    free(path);
    return ok ? 0 : -EINVAL;
}

/* The series (stations, then roads) that a timeseries.csv row names; TC_NONE if none. */
static uint32_t series_of(const struct tc_scenario *sc, const struct tc_metrics *m, const char *n)
{
    bool road = strncmp(n, "road:", 5) == 0;
    for (uint32_t j = 0; j < sc->n_stations + m->n_roads; j++) {
        const char *cn = j < sc->n_stations
                             ? sc->stations[j].name
                             : sc->stations[m->road_station[j - sc->n_stations]].name;
        if ((j >= sc->n_stations) == road && strcmp(cn, road ? n + 5 : n) == 0)
            return j;
    }
    return TC_NONE;
}

/* rep (1..n_reps) and t (a sample time) of a row into r, k; false when they are not. */
static bool rep_sample(const char *rs, const char *ts, const struct tc_plot_fit_samples *s,
                       uint32_t *r, uint32_t *k)
{
    double rep, t;
    if (!tc_plot_parse_double(rs, &rep) || !tc_plot_parse_double(ts, &t) || rep < 1 ||
        rep > s->n_reps || rep != floor(rep))
        return false;
    double kd = t / s->sample_every;
    *r = (uint32_t)rep - 1;
    *k = (uint32_t)llround(kd);
    /* t is printed rounded (6 decimals: 4 h in days is 0.166667), so it is the sample
    ** nearest to it, as long as it is within a thousandth of a sampling interval */
    return kd >= -0.5 && *k < s->n_samples && fabs(kd - *k) <= 1e-3;
}

static int read_series(const char *best, const struct tc_scenario *sc, const struct tc_metrics *m,
                       struct tc_plot_fit_samples *s, struct tc_diags *diags)
{
    char *path, *line = NULL, *fl[9];
    FILE *f = open_in(best, "timeseries.csv", &path, diags);
    if (!f) {
        free(path);
        return -ENOENT;
    }
    int dc = sc->has_start_date, rc = 0;
    size_t cap = 0, per = (size_t)s->n_samples * s->n_series * TC_TS__COUNT;
    uint32_t lineno = 0;
    while (!rc && tc_plot_read_line(f, &line, &cap)) {
        if (++lineno == 1)
            continue; /* the header: the run writer's, the columns below */
        uint32_t r, k, j = TC_NONE;
        bool ok = tc_plot_csv_split(line, fl, 9) == 7 + dc && rep_sample(fl[0], fl[1], s, &r, &k) &&
                  (j = series_of(sc, m, fl[2 + dc])) != TC_NONE;
        double *x = ok ? s->series + r * per + ((size_t)k * s->n_series + j) * TC_TS__COUNT : NULL;
        for (int c = 0; ok && c < TC_TS__COUNT; c++)
            if (!tc_plot_parse_double(fl[3 + dc + c], &x[c]))
                x[c] = (double)NAN;
        if (!ok) {
            tc_plot_diag(diags, path, lineno, "%s",
                         "expected rep, t (a sample time), a station or road and 4 numbers");
            rc = -EINVAL;
        }
    }
    free(line);
    fclose(f);
    free(path);
    return rc;
}

static int read_classes(const char *best, const struct tc_scenario *sc,
                        struct tc_plot_fit_samples *s, struct tc_diags *diags)
{
    char *path, *line = NULL;
    FILE *f = open_in(best, "class_series.csv", &path, diags);
    if (!f) {
        free(path);
        return -ENOENT;
    }
    uint32_t w = sc->n_classes + 1, nf_want = 3 + w, lineno = 0;
    char **fl = tc_xcalloc(nf_want + 1, sizeof(char *));
    size_t cap = 0, per = (size_t)s->n_samples * (sc->n_stations + 1) * w;
    int rc = 0;
    while (!rc && tc_plot_read_line(f, &line, &cap)) {
        if (++lineno == 1)
            continue;
        uint32_t r, k, i = TC_NONE;
        bool ok = tc_plot_csv_split(line, fl, (int)nf_want + 1) == (int)nf_want &&
                  rep_sample(fl[0], fl[1], s, &r, &k);
        for (uint32_t st = 0; ok && st <= sc->n_stations && i == TC_NONE; st++)
            if (strcmp(fl[2], st < sc->n_stations ? sc->stations[st].name : "network") == 0)
                i = st;
        ok = ok && i != TC_NONE;
        double *x = ok ? s->classes + r * per + ((size_t)k * (sc->n_stations + 1) + i) * w : NULL;
        for (uint32_t c = 0; ok && c < w; c++)
            if (!tc_plot_parse_double(fl[3 + c], &x[c]))
                x[c] = (double)NAN;
        if (!ok) {
            tc_plot_diag(diags, path, lineno, "%s",
                         "expected rep, t (a sample time), a station or network and a number "
                         "per class and departures");
            rc = -EINVAL;
        }
    }
    free(fl);
    free(line);
    fclose(f);
    free(path);
    return rc;
}

int tc_plot_fit_read_samples(const char *best, const struct tc_scenario *sc, uint32_t n_reps,
                             bool classes, struct tc_plot_fit_samples *s, struct tc_diags *diags)
{
    struct tc_metrics m;
    tc_metrics_init(&m, sc);
    *s = (struct tc_plot_fit_samples){.n_reps = n_reps,
                                      .n_samples = tc_metrics_n_samples(sc),
                                      .n_series = sc->n_stations + m.n_roads,
                                      .sample_every = sc->sample_every};
    size_t ns = (size_t)n_reps * s->n_samples * s->n_series * TC_TS__COUNT;
    s->series = tc_xmalloc((ns ? ns : 1) * sizeof(double));
    for (size_t i = 0; i < ns; i++)
        s->series[i] = (double)NAN;
    int rc = read_series(best, sc, &m, s, diags);
    if (!rc && classes) {
        size_t nc = (size_t)n_reps * s->n_samples * (sc->n_stations + 1) * (sc->n_classes + 1);
        s->classes = tc_xmalloc((nc ? nc : 1) * sizeof(double));
        for (size_t i = 0; i < nc; i++)
            s->classes[i] = (double)NAN;
        rc = read_classes(best, sc, s, diags);
    }
    tc_metrics_fini(&m);
    return rc;
}

void tc_plot_fit_samples_fini(struct tc_plot_fit_samples *s)
{
    free(s->series);
    free(s->classes);
    memset(s, 0, sizeof(*s));
}
