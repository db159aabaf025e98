/*
** plot: three steps. (1) Read what the run or sweep wrote and reduce it to
** what is drawn: the bands are tc_stat_reduce over replications at every
** sample (the same mean and Student-t half-width as summary.json), the
** distribution of time in system is the empirical CDF of the served trucks
** of trucks.csv whose exit counts by the rule of summary.json, thinned to at
** most ~2,000 points a class (every point of the top 1 %, where p99 lies).
** (2) Commit those data files to DIR/plots/data/ with afile. (3) Render
** each picture with gnuplot to DIR/plots/.NAME.EXT.tmp; when all are drawn,
** fsync and rename them. Doing the arithmetic in gnuplot (stats, smooth)
** was rejected: its stats command cannot group by replication, and the
** numbers would not be testable without reading pictures.
** gnuplot's stdout and stderr go to a pipe read to the end before waitpid,
** so a chatty gnuplot cannot fill the pipe and deadlock; what it said is
** returned as a warning (or as the error when it fails).
*/
#include "plot/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/xmem.h"
#include "plot/plot_int.h"
#include "tc_config.h"
#include "tcsim/afile.h"
#include "tcsim/engine.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"

extern char **environ;

/* ==== Finding gnuplot and the scripts ==== */

/* posix_spawnp searches PATH, or "/bin:/usr/bin" when PATH is unset (glibc's default). */
bool tc_plot_has_gnuplot(void)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    char buf[4096];
    for (const char *p = path;;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        /* an empty entry means the current directory */
        int w = snprintf(buf, sizeof(buf), "%.*s%sgnuplot", (int)n, p, n ? "/" : "");
        if (w > 0 && (size_t)w < sizeof(buf) && tc_plot_is_file(buf, X_OK))
            return true;
        if (!end)
            return false;
        p = end + 1;
    }
}

static char *dir_if_scripts(const char *dir)
{
    char buf[4096];
    int w = snprintf(buf, sizeof(buf), "%s/style.gp", dir);
    if (w > 0 && (size_t)w < sizeof(buf) && tc_plot_is_file(buf, R_OK))
        return tc_xstrdup(dir);
    return NULL;
}

char *tc_plot_scripts_dir_new(void)
{
    const char *env = getenv("TCSIM_PLOTS");
    if (env && *env)
        return dir_if_scripts(env);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char buf[4200];
            snprintf(buf, sizeof(buf), "%s/../share/tcsim/plots", exe);
            char *d = dir_if_scripts(buf);
            if (d)
                return d;
        }
    }
#ifdef TC_SOURCE_PLOTS
    char *d = dir_if_scripts(TC_SOURCE_PLOTS);
    if (d)
        return d;
#endif
    return dir_if_scripts(TC_DATADIR "/plots");
}

/* ==== Small pure helpers ==== */

/* ==== Buffers: data files and gnuplot variables ==== */

/* ==== Reading inputs ==== */

/* "DIR/name", NULL-safe existence check. */
static bool exists_in(const char *dir, const char *name)
{
    char *p = tc_plot_path_join(dir, name);
    bool ok = tc_plot_is_file(p, R_OK);
    free(p);
    return ok;
}

/* Copies the errors of a failed load into the caller's diagnostics. */
static void copy_errors(struct tc_diags *to, const struct tc_diags *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const struct tc_diag *g = &from->v[i];
        if (g->sev != TC_SEV_ERROR)
            continue;
        struct tc_pos pos = {g->file, g->line, g->col};
        tc_diags_add(to, TC_SEV_ERROR, &pos, g->path, "%s", g->msg);
    }
}

static struct tc_scenario *load_scenario(const char *path, struct tc_diags *diags)
{
    struct tc_diags local;
    tc_diags_init(&local);
    struct tc_scenario *sc = tc_scenario_load(path, NULL, 0, &local);
    if (!sc)
        copy_errors(diags, &local);
    tc_diags_fini(&local);
    return sc;
}

static json_t *load_json(const char *path, struct tc_diags *diags)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        struct tc_pos pos = {path, (uint32_t)(err.line > 0 ? err.line : 0),
                             (uint32_t)(err.column > 0 ? err.column : 0)};
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "cannot read it as JSON: %s", err.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        tc_plot_diag(diags, path, 0, "%s", "expected a JSON object (a summary.json of tcsim run)");
        json_decref(root);
        return NULL;
    }
    return root;
}

struct mstat {
    double mean, ci95;
};

/* root.<scope>.<name>.<metric>.{mean,ci95}; NaN where absent or null. */
static struct mstat jstat(const json_t *root, const char *scope, const char *name,
                          const char *metric)
{
    struct mstat s = {(double)NAN, (double)NAN};
    const json_t *m = json_object_get(json_object_get(json_object_get(root, scope), name), metric);
    const json_t *mean = json_object_get(m, "mean"), *ci = json_object_get(m, "ci95");
    if (json_is_number(mean))
        s.mean = json_number_value(mean);
    if (json_is_number(ci))
        s.ci95 = json_number_value(ci);
    return s;
}

/* ==== Plots of a run ==== */

struct run_in {
    const char *dir;
    struct tc_scenario *sc;
    json_t *summary;
    uint32_t n_reps;
    char tu_t[8]; /* display unit of the time axis */
    double scale_t;
    char title[512];
    char sub[256];
};

static void common_vars(struct tc_plot_job *j, FILE *f, const struct run_in *in)
{
    tc_plot_var_str(f, "fmt", tc_plot_format_names[j->fmt]);
    tc_plot_var_str(f, "plotdir", j->scripts);
    tc_plot_var_str(f, "title", in->title);
    tc_plot_var_str(f, "sub", in->sub);
    tc_plot_var_int(f, "nrep", (long)in->n_reps);
}

/*
** The time series: cell (series j, sample k, rep r, field c) of
** present/waiting/blocked, NaN where timeseries.csv has no row.
*/
struct series {
    uint32_t n_series, n_samples, n_reps;
    double *v;
};

static double *cell(struct series *s, uint32_t j, uint32_t k, uint32_t r)
{
    return s->v + (((size_t)j * s->n_samples + k) * s->n_reps + r) * 3;
}

static int read_series(const struct run_in *in, const struct tc_metrics *m, struct series *out,
                       struct tc_diags *diags)
{
    const struct tc_scenario *sc = in->sc;
    char *path = tc_plot_path_join(in->dir, "timeseries.csv");
    FILE *f = fopen(path, "r");
    if (!f) {
        int err = -errno;
        tc_plot_diag(diags, path, 0, "cannot open it: %s", strerror(-err));
        free(path);
        return err;
    }
    out->n_series = sc->n_stations + m->n_roads;
    out->n_samples = tc_metrics_n_samples(sc);
    out->n_reps = in->n_reps;
    size_t n = (size_t)out->n_series * out->n_samples * out->n_reps * 3;
    out->v = tc_xmalloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++)
        out->v[i] = (double)NAN;
    char *line = NULL, *fields[8];
    size_t cap = 0;
    uint32_t lineno = 0, last_j = 0;
    int rc = 0;
    while (tc_plot_read_line(f, &line, &cap)) {
        lineno++;
        if (lineno == 1) {
            if (strcmp(line, "rep,t,station,present,waiting,busy,blocked") != 0) {
                tc_plot_diag(diags, path, 1, "%s",
                             "expected the header rep,t,station,present,waiting,busy,blocked");
                rc = -EINVAL;
                break;
            }
            continue;
        }
        double rep, t, v[4];
        int nf = tc_plot_csv_split(line, fields, 8);
        bool ok =
            nf == 7 && tc_plot_parse_double(fields[0], &rep) && tc_plot_parse_double(fields[1], &t);
        for (int c = 0; ok && c < 4; c++)
            if (!tc_plot_parse_double(fields[3 + c], &v[c]))
                v[c] = (double)NAN; /* an empty cell: no value */
        double kd = ok ? t / sc->sample_every : 0;
        uint32_t k = ok ? (uint32_t)llround(kd) : 0;
        if (!ok || rep < 1 || rep > in->n_reps || rep != floor(rep) || !(kd >= -0.5) ||
            k >= out->n_samples || fabs(kd - k) > 1e-6) {
            tc_plot_diag(
                diags, path, lineno, "%s",
                "expected rep (1..replications), t (a sample time), station and 4 numbers");
            rc = -EINVAL;
            break;
        }
        /* the rows cycle through the series in order: try the next one first */
        const char *name = fields[2];
        bool road = strncmp(name, "road:", 5) == 0;
        uint32_t j = TC_NONE, guess = (last_j + 1) % out->n_series;
        for (uint32_t tries = 0; tries < out->n_series && j == TC_NONE; tries++) {
            uint32_t c = (guess + tries) % out->n_series;
            const char *cn = c < sc->n_stations
                                 ? sc->stations[c].name
                                 : sc->stations[m->road_station[c - sc->n_stations]].name;
            if ((c >= sc->n_stations) == road && strcmp(cn, road ? name + 5 : name) == 0)
                j = c;
        }
        if (j == TC_NONE) {
            tc_plot_diag(diags, path, lineno, "\"%s\" is no station or road of scenario.yaml",
                         name);
            rc = -EINVAL;
            break;
        }
        last_j = j;
        double *x = cell(out, j, k, (uint32_t)rep - 1);
        x[0] = v[TC_TS_PRESENT];
        x[1] = v[TC_TS_WAITING];
        x[2] = v[TC_TS_BLOCKED];
    }
    if (!rc && ferror(f)) {
        rc = -EIO;
        tc_plot_diag(diags, path, 0, "cannot read it: %s", strerror(EIO));
    }
    free(line);
    fclose(f);
    free(path);
    return rc;
}

/*
** Mean and band [max(0, mean - ci), min(cap, mean + ci)] of field c of
** (j, k) across replications; returns the top of the band (0 when
** undefined). A count lies in [0, capacity], and so does its mean: clipping
** the interval there keeps it a 95 % interval (it only drops values the
** mean cannot take).
*/
static double put_band(FILE *f, struct series *s, uint32_t j, uint32_t k, int c, double factor,
                       double cap)
{
    struct tc_stat st;
    tc_stat_reduce(cell(s, j, k, 0) + c, s->n_reps, 3, &st);
    double mean = st.mean * factor, ci = (st.n > 1 ? st.ci95 : 0) * factor;
    tc_plot_put_num(f, mean);
    tc_plot_put_num(f, isfinite(mean) ? fmax(0, mean - ci) : (double)NAN);
    tc_plot_put_num(f, isfinite(mean) ? fmin(cap, mean + ci) : (double)NAN);
    return isfinite(mean) ? fmin(cap, mean + ci) : 0;
}

static void plot_stations(struct tc_plot_job *j, const struct run_in *in, struct series *s)
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
    FILE *v = tc_plot_pic_new(j, "stations", "stations.gp");
    common_vars(j, v, in);
    for (uint32_t st = 0; st < sc->n_stations; st++) {
        char key[32];
        snprintf(key, sizeof(key), "ymax%u", (unsigned)st + 1);
        tc_plot_var_num(v, key, ymax[st]);
    }
    free(ymax);
    tc_plot_var_data(j, v, "data", "stations.dat");
    tc_plot_var_int(v, "nst", sc->n_stations);
    for (uint32_t st = 0; st < sc->n_stations; st++)
        tc_plot_var_stri(v, "st", st + 1, sc->stations[st].name);
    tc_plot_var_str(v, "tunit", in->tu_t);
    tc_plot_var_num(v, "warm", sc->warmup * in->scale_t);
    tc_plot_var_num(v, "tmax", sc->horizon * in->scale_t);
}

static void plot_road(struct tc_plot_job *j, const struct run_in *in, const struct tc_metrics *m,
                      struct series *s)
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
                if (cell(s, jj, k, rep)[0] > top)
                    top = cell(s, jj, k, rep)[0];
        }
    }
    FILE *v = tc_plot_pic_new(j, "road", "road.gp");
    common_vars(j, v, in);
    tc_plot_var_data(j, v, "data", "road.dat");
    tc_plot_var_int(v, "nroad", m->n_roads);
    for (uint32_t r = 0; r < m->n_roads; r++)
        tc_plot_var_stri(v, "rd", r + 1, sc->stations[m->road_station[r]].name);
    tc_plot_var_str(v, "tunit", in->tu_t);
    tc_plot_var_num(v, "warm", sc->warmup * in->scale_t);
    tc_plot_var_num(v, "tmax", sc->horizon * in->scale_t);
    tc_plot_var_num(v, "truck_m", sc->truck_length_m);
    tc_plot_var_num(v, "ymax", ymax);
    tc_plot_var_int(v, "empty", top == 0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/*
** Times in system of served trucks of each class whose exit counts (at or
** after warmup, before horizon), pooled over replications. 1 when the
** file is absent, 0 when read, -errno on errors.
*/
struct dvec {
    double *v;
    size_t n, cap;
};

static int read_tis(const struct run_in *in, struct dvec *tis, struct tc_diags *diags)
{
    const struct tc_scenario *sc = in->sc;
    char *path = tc_plot_path_join(in->dir, "trucks.csv");
    FILE *f = fopen(path, "r");
    if (!f) {
        int err = errno;
        if (err != ENOENT)
            tc_plot_diag(diags, path, 0, "cannot open it: %s", strerror(err));
        free(path);
        return err == ENOENT ? 1 : -err;
    }
    int max_f = (int)(3 * sc->n_stations + 8);
    char **fields = tc_xcalloc((size_t)max_f, sizeof(*fields));
    char *line = NULL;
    size_t cap = 0;
    uint32_t lineno = 0, last_c = 0;
    int rc = 0, n_want = (int)(3 * sc->n_stations + 6);
    while (tc_plot_read_line(f, &line, &cap)) {
        lineno++;
        int nf = tc_plot_csv_split(line, fields, max_f);
        if (lineno == 1) {
            if (nf != n_want || strcmp(fields[0], "id") != 0 || strcmp(fields[3], "arrive") != 0 ||
                strcmp(fields[nf - 2], "exit") != 0) {
                tc_plot_diag(diags, path, 1, "%s",
                             "expected the header of tcsim run --trace for this scenario");
                rc = -EINVAL;
                break;
            }
            continue;
        }
        if (nf != n_want) {
            tc_plot_diag(diags, path, lineno, "%s", "expected as many fields as the header");
            rc = -EINVAL;
            break;
        }
        if (strcmp(fields[nf - 1], "served") != 0)
            continue;
        double a, x;
        if (!tc_plot_parse_double(fields[3], &a) || !tc_plot_parse_double(fields[nf - 2], &x)) {
            tc_plot_diag(diags, path, lineno, "%s", "expected numbers in arrive and exit");
            rc = -EINVAL;
            break;
        }
        if (x < sc->warmup || x >= sc->horizon)
            continue;
        uint32_t c = last_c < sc->n_classes && strcmp(sc->classes[last_c].name, fields[1]) == 0
                         ? last_c
                         : tc_scenario_class(sc, fields[1]);
        if (c == TC_NONE) {
            tc_plot_diag(diags, path, lineno, "\"%s\" is no class of scenario.yaml", fields[1]);
            rc = -EINVAL;
            break;
        }
        last_c = c;
        TC_VEC_PUSH(tis[c], x - a);
    }
    free(line);
    free(fields);
    fclose(f);
    free(path);
    return rc;
}

#define CDF_POINTS 1000

static void plot_tis(struct tc_plot_job *j, const struct run_in *in, struct tc_diags *diags,
                     int *rc)
{
    const struct tc_scenario *sc = in->sc;
    struct dvec *tis = tc_xcalloc(sc->n_classes, sizeof(*tis));
    int got = read_tis(in, tis, diags);
    if (got < 0) {
        *rc = got;
        goto out;
    }
    /* the axis unit from the longest p99 (or the longest time seen) */
    double span = 0;
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        struct mstat p99 = jstat(in->summary, "classes", sc->classes[c].name, "time_in_system_p99");
        if (isfinite(p99.mean) && p99.mean + (isfinite(p99.ci95) ? p99.ci95 : 0) > span)
            span = p99.mean + (isfinite(p99.ci95) ? p99.ci95 : 0);
        if (tis[c].n) {
            qsort(tis[c].v, tis[c].n, sizeof(double), cmp_double);
            /* the 99.5th percentile bounds the axis: beyond it a few stragglers squash the rest */
            double q = tis[c].v[(size_t)floor(0.995 * (double)(tis[c].n - 1))];
            if (q > span)
                span = q;
        }
    }
    if (!(span > 0))
        span = sc->horizon;
    double scale;
    const char *unit = tc_plot_time_axis(sc->time_unit, span, &scale);

    FILE *v = tc_plot_pic_new(j, "time_in_system", "time_in_system.gp");
    common_vars(j, v, in);
    tc_plot_var_str(v, "xunit", unit);
    tc_plot_var_num(v, "xmax", span * scale * 1.08);
    tc_plot_var_int(v, "have_trace", got == 0);

    /* marks: p50, p90, p99 (mean and ci95 across replications) */
    FILE *mk = tc_plot_data_new(j, "time_in_system_marks.dat");
    fputs("# per class (one block each): time ci95 probability label; from summary.json\n", mk);
    static const char *const qn[] = {"time_in_system_p50", "time_in_system_p90",
                                     "time_in_system_p99"};
    static const double qp[] = {0.5, 0.9, 0.99};
    static const char *const ql[] = {"p50", "p90", "p99"};
    size_t n_mk = 0;
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        struct mstat q0 = jstat(in->summary, "classes", sc->classes[c].name, qn[0]);
        if (!isfinite(q0.mean))
            continue;
        fprintf(mk, "%s# class %s\n", n_mk ? "\n\n" : "", sc->classes[c].name);
        for (int i = 0; i < 3; i++) {
            struct mstat q = jstat(in->summary, "classes", sc->classes[c].name, qn[i]);
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

    /* the empirical CDF, thinned: CDF_POINTS evenly spaced ranks, every rank of the top 1 % */
    FILE *d = tc_plot_data_new(j, "time_in_system_cdf.dat");
    fputs("# per class (one block each): time F (empirical CDF of served trucks)\n", d);
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
out:
    for (uint32_t c = 0; c < sc->n_classes; c++)
        free(tis[c].v);
    free(tis);
}

static void plot_utilization(struct tc_plot_job *j, const struct run_in *in)
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
        struct mstat u = jstat(in->summary, "stations", name, "utilization");
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

static void plot_throughput(struct tc_plot_job *j, const struct run_in *in)
{
    const struct tc_scenario *sc = in->sc;
    FILE *d = tc_plot_data_new(j, "throughput.dat");
    FILE *v = tc_plot_pic_new(j, "throughput", "throughput.gp");
    common_vars(j, v, in);
    tc_plot_var_data(j, v, "data", "throughput.dat");
    fputs("# block 0: stations, block 1: classes; index trucks/day ci95 (summary.json)\n", d);
    double top_st = 0, top_cl = 0;
    for (uint32_t s = 0; s < sc->n_stations; s++) {
        struct mstat t = jstat(in->summary, "stations", sc->stations[s].name, "throughput_per_day");
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
        struct mstat t = jstat(in->summary, "classes", sc->classes[c].name, "throughput_per_day");
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
    tc_plot_var_num(v, "top_st", top_st);
    tc_plot_var_num(v, "top_cl", top_cl);
}

/* "7 d", "36 h", "1.5 h": the largest unit that gives a whole number, else the axis unit. */
static void fmt_duration(char *buf, size_t len, double t, enum tc_time_unit tu)
{
    static const struct {
        const char *name;
        double s;
    } units[] = {{"d", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}};
    double secs = t * tc_units_seconds(tu);
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        double x = secs / units[i].s;
        if (x >= 1 && fabs(x - round(x)) < 1e-9) {
            snprintf(buf, len, "%.0f %s", x, units[i].name);
            return;
        }
    }
    double scale;
    const char *u = tc_plot_time_axis(tu, t, &scale);
    snprintf(buf, len, "%.3g %s", t * scale, u);
}

static int prepare_run(struct tc_plot_job *j, const char *dir, struct tc_diags *diags)
{
    struct run_in in = {.dir = dir};
    struct series s = {0};
    struct tc_metrics m = {0};
    bool have_m = false;
    int rc = 0;
    char *p = tc_plot_path_join(dir, "scenario.yaml");
    if (!tc_plot_is_file(p, R_OK)) {
        tc_plot_diag(diags, p, 0, "%s", "not found: plots of a run need its scenario.yaml");
        free(p);
        return -ENOENT;
    }
    in.sc = load_scenario(p, diags);
    free(p);
    if (!in.sc)
        return -EINVAL;
    p = tc_plot_path_join(dir, "summary.json");
    in.summary = load_json(p, diags);
    free(p);
    if (!in.summary) {
        rc = -EINVAL;
        goto out;
    }
    const json_t *reps = json_object_get(in.summary, "replications");
    double nr = json_is_number(reps) ? json_number_value(reps) : 0;
    if (!(nr >= 1 && nr <= UINT32_MAX && nr == floor(nr))) {
        tc_plot_diag(diags, dir, 0, "%s", "summary.json: expected a positive \"replications\"");
        rc = -EINVAL;
        goto out;
    }
    in.n_reps = (uint32_t)nr;
    const struct tc_scenario *sc = in.sc;
    snprintf(in.tu_t, sizeof(in.tu_t), "%s",
             tc_plot_time_axis(sc->time_unit, sc->horizon, &in.scale_t));
    snprintf(in.title, sizeof(in.title), "%s", sc->name);
    char h[64], w[64];
    fmt_duration(h, sizeof(h), sc->horizon, sc->time_unit);
    fmt_duration(w, sizeof(w), sc->warmup, sc->time_unit);
    snprintf(in.sub, sizeof(in.sub), "%u replication%s, horizon %s, warm-up %s", in.n_reps,
             in.n_reps == 1 ? "" : "s", h, sc->warmup > 0 ? w : "none");

    tc_metrics_init(&m, sc);
    have_m = true;
    rc = read_series(&in, &m, &s, diags);
    if (rc)
        goto out;
    plot_stations(j, &in, &s);
    plot_road(j, &in, &m, &s);
    plot_tis(j, &in, diags, &rc);
    if (rc)
        goto out;
    plot_utilization(j, &in);
    plot_throughput(j, &in);
out:
    free(s.v);
    if (have_m)
        tc_metrics_fini(&m);
    json_decref(in.summary);
    tc_scenario_free(in.sc);
    return rc;
}

/* ==== Rendering ==== */

#define GNUPLOT_MSG_MAX 4000

/* Runs gnuplot on script with vars; 0, or -errno / -EINVAL (gnuplot failed) with a diagnostic. */
static int run_gnuplot(struct tc_plot_job *j, const char *vars, const char *script,
                       struct tc_diags *diags)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return -errno;
    (void)fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
    char *script_path = tc_plot_path_join(j->scripts, script);
    char a0[] = "gnuplot", a1[] = "--default-settings", a2[] = "-e";
    char *argv[] = {a0, a1, a2, (char *)vars, script_path, NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    if (err) {
        close(pfd[0]);
        free(script_path);
        return -err;
    }
    char msg[GNUPLOT_MSG_MAX + 1];
    size_t n_msg = 0;
    for (;;) {
        char buf[4096];
        ssize_t n = read(pfd[0], buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t take = (size_t)n < GNUPLOT_MSG_MAX - n_msg ? (size_t)n : GNUPLOT_MSG_MAX - n_msg;
        memcpy(msg + n_msg, buf, take);
        n_msg += take;
    }
    close(pfd[0]);
    msg[n_msg] = '\0';
    while (n_msg > 0 && (msg[n_msg - 1] == '\n' || msg[n_msg - 1] == ' '))
        msg[--n_msg] = '\0';
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            int e = errno;
            free(script_path);
            return -e;
        }
    int rc = 0;
    struct tc_pos pos = {script_path, 0, 0};
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "gnuplot failed (%s %d)%s%s",
                     WIFEXITED(st) ? "exit status" : "signal",
                     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), n_msg ? ": " : "", msg);
        rc = -EINVAL;
    } else if (n_msg) {
        tc_diags_add(diags, TC_SEV_WARNING, &pos, "", "gnuplot said: %s", msg);
    }
    free(script_path);
    return rc;
}

static int write_sbuf(void *ud, FILE *f)
{
    const struct sbuf *b = ud;
    if (b->len && fwrite(b->s, 1, b->len, f) != b->len)
        return -EIO;
    return 0;
}

static int sync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = fsync(fd) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

static int render(struct tc_plot_job *j, struct tc_plot_result *out, struct tc_diags *diags)
{
    /* 1. the data files, atomically */
    struct tc_afile_item *items = tc_xcalloc(j->data.n ? j->data.n : 1, sizeof(*items));
    for (size_t i = 0; i < j->data.n; i++) {
        tc_plot_sb_close(j->data.v[i].b);
        items[i] = (struct tc_afile_item){j->data.v[i].name, write_sbuf, j->data.v[i].b};
    }
    const char *failed = NULL;
    int rc = tc_afile_commit(j->data_dir, items, j->data.n, &failed);
    free(items);
    if (rc) {
        tc_plot_diag(diags, failed ? failed : j->data_dir, 0, "cannot write it: %s", strerror(-rc));
        return rc;
    }
    /* 2. every picture to its temporary */
    const char *ext = tc_plot_format_names[j->fmt];
    char **tmp = tc_xcalloc(j->pics.n ? j->pics.n : 1, sizeof(char *));
    char **fin = tc_xcalloc(j->pics.n ? j->pics.n : 1, sizeof(char *));
    size_t n_tmp = 0, n_done = 0;
    for (size_t i = 0; i < j->pics.n && !rc; i++) {
        struct tc_plot_picture *p = &j->pics.v[i];
        size_t len = strlen(j->plots_dir) + strlen(p->name) + strlen(ext) + 16;
        tmp[i] = tc_xmalloc(len);
        fin[i] = tc_xmalloc(len);
        snprintf(tmp[i], len, "%s/.%s.%s.tmp", j->plots_dir, p->name, ext);
        snprintf(fin[i], len, "%s/%s.%s", j->plots_dir, p->name, ext);
        n_tmp = i + 1;
        tc_plot_var_str(p->vars->f, "out", tmp[i]);
        tc_plot_sb_close(p->vars);
        rc = run_gnuplot(j, p->vars->s, p->script, diags);
        if (!rc && !tc_plot_is_file(tmp[i], R_OK)) {
            tc_plot_diag(diags, fin[i], 0, "%s", "gnuplot wrote no picture");
            rc = -EIO;
        }
        if (!rc)
            rc = sync_file(tmp[i]);
    }
    /* 3. all or nothing */
    for (; !rc && n_done < j->pics.n; n_done++)
        if (rename(tmp[n_done], fin[n_done]) != 0) {
            rc = -errno;
            tc_plot_diag(diags, fin[n_done], 0, "cannot write it: %s", strerror(-rc));
        }
    if (rc)
        for (size_t i = n_done; i < n_tmp; i++)
            (void)unlink(tmp[i]);
    for (size_t i = 0; i < n_tmp; i++) {
        if (rc)
            free(fin[i]);
        free(tmp[i]);
    }
    free(tmp);
    if (rc) {
        free(fin);
    } else {
        out->files = fin; /* every name, all renamed */
        out->n_files = j->pics.n;
    }
    return rc;
}

void tc_plot_result_fini(struct tc_plot_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_files; i++)
        free(r->files[i]);
    free(r->files);
    r->files = NULL;
    r->n_files = 0;
}

int tc_plot_dir(const char *dir, const struct tc_plot_opts *o, struct tc_plot_result *out,
                struct tc_diags *diags)
{
    memset(out, 0, sizeof(*out));
    if (!tc_plot_has_gnuplot())
        return -ENOENT;
    char *scripts = o->scripts_dir ? tc_xstrdup(o->scripts_dir) : tc_plot_scripts_dir_new();
    if (!scripts) {
        tc_plot_diag(diags, "plots", 0, "%s",
                     "cannot find the gnuplot scripts (style.gp): looked in $TCSIM_PLOTS, "
                     "../share/tcsim/plots next to the program and " TC_DATADIR "/plots");
        return -ENOENT;
    }
    struct tc_plot_job j = {.dir = dir, .scripts = scripts, .fmt = o->format, .diags = diags};
    j.plots_dir = tc_plot_path_join(dir, "plots");
    j.data_dir = tc_plot_path_join(j.plots_dir, "data");
    bool run = exists_in(dir, "summary.json"), sweep = exists_in(dir, "sweep.csv");
    int rc = 0;
    if (!run && !sweep) {
        tc_plot_diag(diags, dir, 0, "%s",
                     "holds neither summary.json (tcsim run) nor sweep.csv (tcsim sweep)");
        rc = -ENOENT;
    }
    if (!rc && run)
        rc = prepare_run(&j, dir, diags);
    if (!rc && sweep)
        rc = tc_plot_prepare_sweep(&j, dir, diags);
    if (!rc)
        rc = render(&j, out, diags);
    tc_plot_job_fini(&j);
    free(scripts);
    return rc;
}
