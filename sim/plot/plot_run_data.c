/*
** plot_run_data: a run's outputs read into what its pictures draw:
** scenario.yaml and summary.json (titles, the time unit, the metrics),
** timeseries.csv into a series per station and road, trucks.csv into the
** times in system of the served trucks whose exit counts by the rule of
** summary.json. Every malformed line is an error with its position.
*/
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/xmem.h"
#include "plot/plot_int.h"
#include "tcsim/metrics.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

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

struct tc_scenario *tc_plot_load_scenario(const char *path, struct tc_diags *diags)
{
    struct tc_diags local;
    tc_diags_init(&local);
    struct tc_scenario *sc = tc_scenario_load(path, NULL, 0, &local);
    if (!sc)
        copy_errors(diags, &local);
    tc_diags_fini(&local);
    return sc;
}

json_t *tc_plot_load_json(const char *path, struct tc_diags *diags)
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
        tc_plot_diag(diags, path, 0, "%s", "expected a JSON object (a file tcsim wrote)");
        json_decref(root);
        return NULL;
    }
    return root;
}

/* root.<scope>.<name>.<metric>.{mean,ci95}; NaN where absent or null. */
struct tc_plot_mstat tc_plot_jstat(const json_t *root, const char *scope, const char *name,
                                   const char *metric)
{
    struct tc_plot_mstat s = {(double)NAN, (double)NAN};
    const json_t *m = json_object_get(json_object_get(json_object_get(root, scope), name), metric);
    const json_t *mean = json_object_get(m, "mean"), *ci = json_object_get(m, "ci95");
    if (json_is_number(mean))
        s.mean = json_number_value(mean);
    if (json_is_number(ci))
        s.ci95 = json_number_value(ci);
    return s;
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

int tc_plot_run_load(struct tc_plot_run *in, const char *dir, struct tc_diags *diags)
{
    memset(in, 0, sizeof(*in));
    in->dir = dir;
    char *p = tc_plot_path_join(dir, "scenario.yaml");
    if (!tc_plot_is_file(p, R_OK)) {
        tc_plot_diag(diags, p, 0, "%s", "not found: plots of a run need its scenario.yaml");
        free(p);
        return -ENOENT;
    }
    in->sc = tc_plot_load_scenario(p, diags);
    free(p);
    if (!in->sc)
        return -EINVAL;
    p = tc_plot_path_join(dir, "summary.json");
    in->summary = tc_plot_load_json(p, diags);
    free(p);
    if (!in->summary)
        return -EINVAL;
    const json_t *reps = json_object_get(in->summary, "replications");
    double nr = json_is_number(reps) ? json_number_value(reps) : 0;
    if (!(nr >= 1 && nr <= UINT32_MAX && nr == floor(nr))) {
        tc_plot_diag(diags, dir, 0, "%s", "summary.json: expected a positive \"replications\"");
        return -EINVAL;
    }
    in->n_reps = (uint32_t)nr;
    const struct tc_scenario *sc = in->sc;
    snprintf(in->tu_t, sizeof(in->tu_t), "%s",
             tc_plot_time_axis(sc->time_unit, sc->horizon, &in->scale_t));
    snprintf(in->title, sizeof(in->title), "%s", sc->name);
    char h[64], w[64];
    fmt_duration(h, sizeof(h), sc->horizon, sc->time_unit);
    fmt_duration(w, sizeof(w), sc->warmup, sc->time_unit);
    snprintf(in->sub, sizeof(in->sub), "%u replication%s, horizon %s, warm-up %s", in->n_reps,
             in->n_reps == 1 ? "" : "s", h, sc->warmup > 0 ? w : "none");
    return 0;
}

void tc_plot_run_fini(struct tc_plot_run *in)
{
    json_decref(in->summary);
    if (in->sc)
        tc_scenario_free(in->sc);
    in->summary = NULL;
    in->sc = NULL;
}

int tc_plot_read_series(const struct tc_plot_run *in, const struct tc_metrics *m,
                        struct tc_plot_series *out, struct tc_diags *diags)
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
    int rc = 0, dc = 0; /* dc: 1 when a date column follows t (start_date) */
    while (tc_plot_read_line(f, &line, &cap)) {
        lineno++;
        if (lineno == 1) {
            dc = sc->has_start_date;
            if (strcmp(line, dc ? "rep,t,date,station,present,waiting,busy,blocked"
                                : "rep,t,station,present,waiting,busy,blocked") != 0) {
                tc_plot_diag(diags, path, 1, "%s",
                             "expected the header rep,t,station,present,waiting,busy,blocked");
                rc = -EINVAL;
                break;
            }
            continue;
        }
        double rep, t, v[4];
        int nf = tc_plot_csv_split(line, fields, 8);
        bool ok = nf == 7 + dc && tc_plot_parse_double(fields[0], &rep) &&
                  tc_plot_parse_double(fields[1], &t);
        for (int c = 0; ok && c < 4; c++)
            if (!tc_plot_parse_double(fields[3 + dc + c], &v[c]))
                v[c] = (double)NAN; /* an empty cell: no value */
        double kd = ok ? t / sc->sample_every : 0;
        uint32_t k = ok ? (uint32_t)llround(kd) : 0;
        if (!ok || rep < 1 || rep > in->n_reps || rep != floor(rep) || !(kd >= -0.5) ||
            k >= out->n_samples || fabs(kd - k) > 1e-3) {
            /* t is printed rounded (4 h in days is 0.166667): the nearest sample, when it is
            ** within a thousandth of a sampling interval */
            tc_plot_diag(
                diags, path, lineno, "%s",
                "expected rep (1..replications), t (a sample time), station and 4 numbers");
            rc = -EINVAL;
            break;
        }
        /* the rows cycle through the series in order: try the next one first */
        const char *name = fields[2 + dc];
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
        double *x = tc_plot_cell(out, j, k, (uint32_t)rep - 1);
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/*
** trucks.csv.gz (tcsim run --trace --gzip) inflated into an unlinked
** scratch file, read as trucks.csv is; NULL with errno set when it cannot be.
*/
static FILE *open_gz(const char *path)
{
    gzFile g = gzopen(path, "rb");
    if (!g)
        return NULL;
    FILE *f = tmpfile();
    char buf[1 << 16];
    int n = 0;
    while (f && (n = gzread(g, buf, sizeof(buf))) > 0)
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n)
            n = -1;
    gzclose(g);
    if (f && (n < 0 || fflush(f) != 0)) {
        fclose(f);
        errno = EIO;
        return NULL;
    }
    if (f)
        rewind(f);
    return f;
}

int tc_plot_read_tis(const struct tc_plot_run *in, struct tc_plot_dvec *tis, struct tc_diags *diags)
{
    const struct tc_scenario *sc = in->sc;
    char *path = tc_plot_path_join(in->dir, "trucks.csv");
    FILE *f = fopen(path, "r");
    if (!f && errno == ENOENT) {
        char *gz = tc_plot_path_join(in->dir, "trucks.csv.gz");
        if (access(gz, F_OK) == 0) {
            free(path);
            path = gz;
            f = open_gz(path);
        } else {
            free(gz);
            errno = ENOENT;
        }
    }
    if (!f) {
        int err = errno;
        if (err != ENOENT)
            tc_plot_diag(diags, path, 0, "cannot open it: %s", strerror(err));
        free(path);
        return err == ENOENT ? 1 : -err;
    }
    int max_f = 10;
    char **fields = tc_xcalloc((size_t)max_f, sizeof(*fields));
    char *line = NULL;
    size_t cap = 0;
    uint32_t lineno = 0, last_c = 0;
    int rc = 0, n_want = 8; /* id,class,rep,arrive,in_warmup,where,exit,outcome */
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
    for (uint32_t c = 0; !rc && c < sc->n_classes; c++)
        if (tis[c].n)
            qsort(tis[c].v, tis[c].n, sizeof(double), cmp_double);
    free(line);
    free(fields);
    fclose(f);
    free(path);
    return rc;
}
