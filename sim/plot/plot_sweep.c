/*
** plot_sweep: the plots of a sweep, from sweep.csv alone (plus the first
** variant's summary.json and scenario.yaml for the title, the time unit
** and which stations have unlimited servers), so `tcsim plot` redraws a
** sweep without running it again. The columns are found by name: after
** "variant", the varied keys until the first KPI column
** (<scope>.<member>.<metric>.mean, a metric of the catalogue; no scenario
** key is a metric name, so a varied key never looks like one). For each
** KPI family, one data file with a block per (member, series) and one
** picture drawn by sweep.gp.
*/
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmem.h"
#include "plot/plot_int.h"
#include "tcsim/metrics.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/* A KPI column name: <scope>.<member>.<metric>.<mean|ci95>; metric from the known list. */
static bool kpi_column(const char *col, const char *scope, const char *metric, const char *stat,
                       char *member, size_t len)
{
    size_t ns = strlen(scope), nm = strlen(metric), nt = strlen(stat), n = strlen(col);
    if (n < ns + nm + nt + 4 || strncmp(col, scope, ns) != 0 || col[ns] != '.')
        return false;
    const char *tail = col + n - nt - nm - 2; /* ".metric.stat" */
    if (tail[0] != '.' || strncmp(tail + 1, metric, nm) != 0 || tail[1 + nm] != '.' ||
        strcmp(tail + 2 + nm, stat) != 0)
        return false;
    size_t ml = (size_t)(tail - (col + ns + 1));
    if (ml == 0 || ml >= len)
        return false;
    memcpy(member, col + ns + 1, ml);
    member[ml] = '\0';
    return true;
}

struct sweep_in {
    char **head;   /* column names, owned */
    size_t n_cols; /* columns */
    size_t n_vary; /* columns 1..n_vary are varied keys */
    TC_VEC(char **) rows;
    json_t *first_summary;  /* of the first variant, for the title; may be NULL */
    struct tc_scenario *sc; /* of the first variant, may be NULL */
};

static bool is_kpi(const char *col)
{
    static const char *const scopes[] = {"stations", "classes", "roads"};
    size_t n = strlen(col);
    if (!((n > 5 && strcmp(col + n - 5, ".mean") == 0) ||
          (n > 5 && strcmp(col + n - 5, ".ci95") == 0)))
        return false;
    for (size_t i = 0; i < 3; i++)
        if (strncmp(col, scopes[i], strlen(scopes[i])) == 0 && col[strlen(scopes[i])] == '.') {
            /* a varied key never ends in .mean/.ci95 after a metric name: check the metric */
            char member[256];
            const char *const *names;
            size_t nn;
            if (i == 0) {
                names = tc_station_metric_names;
                nn = TC_SM__COUNT;
            } else if (i == 1) {
                names = tc_class_metric_names;
                nn = TC_CM__COUNT;
            } else {
                names = tc_road_metric_names;
                nn = TC_RM__COUNT;
            }
            for (size_t k = 0; k < nn; k++)
                if (kpi_column(col, scopes[i], names[k], col + n - 4, member, sizeof(member)))
                    return true;
        }
    return false;
}

static void sweep_in_fini(struct sweep_in *s)
{
    for (size_t i = 0; i < s->n_cols; i++)
        free(s->head[i]);
    free(s->head);
    for (size_t r = 0; r < s->rows.n; r++) {
        for (size_t i = 0; i < s->n_cols; i++)
            free(s->rows.v[r][i]);
        free(s->rows.v[r]);
    }
    free(s->rows.v);
    json_decref(s->first_summary);
    tc_scenario_free(s->sc);
}

/*
** One CSV record into *line: a quoted field may hold line breaks (a --vary
** value can), so lines are joined while a quote is open. *lineno counts
** the lines read; false at the end.
*/
static bool read_record(FILE *f, char **line, size_t *cap, uint32_t *lineno)
{
    if (!tc_plot_read_line(f, line, cap))
        return false;
    ++*lineno;
    size_t quotes = 0;
    for (const char *c = *line; *c; c++)
        quotes += *c == '"';
    char *more = NULL;
    size_t more_cap = 0;
    while (quotes % 2 && tc_plot_read_line(f, &more, &more_cap)) {
        ++*lineno;
        for (const char *c = more; *c; c++)
            quotes += *c == '"';
        size_t n = strlen(*line), m = strlen(more);
        if (n + m + 2 > *cap) {
            *cap = n + m + 2;
            *line = tc_xrealloc(*line, *cap);
        }
        (*line)[n] = '\n';
        memcpy(*line + n + 1, more, m + 1);
    }
    free(more);
    return true;
}

static int read_sweep(const char *dir, struct sweep_in *s, struct tc_diags *diags)
{
    char *path = tc_plot_path_join(dir, "sweep.csv");
    FILE *f = fopen(path, "r");
    if (!f) {
        int err = errno;
        tc_plot_diag(diags, path, 0, "cannot open it: %s", strerror(err));
        free(path);
        return -err;
    }
    char *line = NULL;
    size_t cap = 0;
    uint32_t lineno = 0;
    int rc = 0, max_f = 0;
    char **fields = NULL;
    while (read_record(f, &line, &cap, &lineno)) {
        if (lineno == 1) {
            max_f = 1;
            for (char *c = line; *c; c++)
                max_f += *c == ',';
            fields = tc_xcalloc((size_t)max_f, sizeof(*fields));
        }
        int nf = tc_plot_csv_split(line, fields, max_f);
        if (lineno == 1) {
            if (nf < 2 || strcmp(fields[0], "variant") != 0) {
                tc_plot_diag(diags, path, 1, "%s", "expected a header starting with \"variant\"");
                rc = -EINVAL;
                break;
            }
            s->n_cols = (size_t)nf;
            s->head = tc_xcalloc(s->n_cols, sizeof(char *));
            for (size_t i = 0; i < s->n_cols; i++)
                s->head[i] = tc_xstrdup(fields[i]);
            while (1 + s->n_vary < s->n_cols && !is_kpi(s->head[1 + s->n_vary]))
                s->n_vary++;
            if (s->n_vary == 0) {
                tc_plot_diag(diags, path, 1, "%s", "expected a varied key after \"variant\"");
                rc = -EINVAL;
                break;
            }
            continue;
        }
        if ((size_t)nf != s->n_cols) {
            tc_plot_diag(diags, path, lineno, "%s", "expected as many fields as the header");
            rc = -EINVAL;
            break;
        }
        char **row = tc_xcalloc(s->n_cols, sizeof(char *));
        for (size_t i = 0; i < s->n_cols; i++)
            row[i] = tc_xstrdup(fields[i]);
        TC_VEC_PUSH(s->rows, row);
    }
    if (!rc && s->rows.n == 0) {
        tc_plot_diag(diags, path, 0, "%s", "no variants in it");
        rc = -EINVAL;
    }
    free(fields);
    free(line);
    fclose(f);
    if (!rc) { /* the first variant's outputs give the title, units and servers */
        char *vd = tc_plot_path_join(dir, s->rows.v[0][0]);
        char *sj = tc_plot_path_join(vd, "summary.json"),
             *sy = tc_plot_path_join(vd, "scenario.yaml");
        if (tc_plot_is_file(sj, R_OK)) {
            json_error_t err;
            s->first_summary = json_load_file(sj, 0, &err);
        }
        if (tc_plot_is_file(sy, R_OK)) {
            struct tc_diags quiet;
            tc_diags_init(&quiet);
            s->sc = tc_scenario_load(sy, NULL, 0, &quiet);
            tc_diags_fini(&quiet);
        }
        free(vd);
        free(sj);
        free(sy);
    }
    free(path);
    return rc;
}

/* Distinct values of column col in order of first appearance; returns their count. */
static size_t distinct(const struct sweep_in *s, size_t col, const char ***out)
{
    const char **v = tc_xcalloc(s->rows.n, sizeof(char *));
    size_t n = 0;
    for (size_t r = 0; r < s->rows.n; r++) {
        size_t i = 0;
        while (i < n && strcmp(v[i], s->rows.v[r][col]) != 0)
            i++;
        if (i == n)
            v[n++] = s->rows.v[r][col];
    }
    *out = v;
    return n;
}

/* The leading number of s and what follows it ("30/h" -> 30, "/h"); false if none. */
static bool lead_number(const char *s, double *x, const char **suffix)
{
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(*x))
        return false;
    *suffix = end;
    return true;
}

/*
** The series label of a row: its value of the second varied key (the key
** itself heads the legend), or "key=value, key=value" over the keys after
** the first when there are more.
*/
static void series_label(const struct sweep_in *s, size_t r, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    if (s->n_vary == 2) {
        snprintf(buf, len, "%s", s->rows.v[r][2]);
        return;
    }
    for (size_t k = 2; k <= s->n_vary && n < len; k++) {
        int w =
            snprintf(buf + n, len - n, "%s%s=%s", k > 2 ? ", " : "", s->head[k], s->rows.v[r][k]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

struct family {
    const char *name;   /* picture sweep_<name> */
    const char *scope;  /* stations, classes, roads */
    const char *metric; /* column metric */
    const char *what;   /* y label stem */
    bool time;          /* a time: scaled to a readable unit */
    bool finite_only;   /* stations with a finite number of servers only */
};

static void plot_sweep_family(struct tc_plot_job *j, const struct sweep_in *s,
                              const struct family *fam, const char *title, const char *sub,
                              enum tc_time_unit tu)
{
    /* members: the scope's names that have this metric, in column order */
    TC_VEC(char *) members = {0};
    TC_VEC(size_t) mcol = {0};
    for (size_t c = 1 + s->n_vary; c < s->n_cols; c++) {
        char member[256];
        if (!kpi_column(s->head[c], fam->scope, fam->metric, "mean", member, sizeof(member)))
            continue;
        if (fam->finite_only && s->sc) {
            uint32_t st = tc_scenario_station(s->sc, member);
            if (st != TC_NONE && s->sc->stations[st].servers == TC_UNLIMITED)
                continue;
        }
        if (c + 1 >= s->n_cols)
            continue;
        TC_VEC_PUSH(members, tc_xstrdup(member));
        TC_VEC_PUSH(mcol, c);
    }
    /* members at 0 (or undefined) in every variant only clutter: named in a note instead */
    char note[400] = "";
    size_t n_note = 0, kept = 0;
    bool *flat = tc_xcalloc(members.n ? members.n : 1, sizeof(bool));
    for (size_t m = 0; m < members.n; m++) {
        flat[m] = true;
        for (size_t r = 0; r < s->rows.n && flat[m]; r++) {
            double x;
            flat[m] = !tc_plot_parse_double(s->rows.v[r][mcol.v[m]], &x) || x == 0;
        }
        kept += !flat[m];
    }
    for (size_t m = 0, w = 0; m < members.n; m++) {
        if (kept > 0 && flat[m]) {
            int k = snprintf(note + n_note, sizeof(note) - n_note, "%s%s", n_note ? ", " : "",
                             members.v[m]);
            if (k > 0 && n_note + (size_t)k < sizeof(note))
                n_note += (size_t)k;
            free(members.v[m]);
            continue;
        }
        members.v[w] = members.v[m];
        mcol.v[w++] = mcol.v[m];
    }
    if (kept > 0)
        members.n = mcol.n = kept;
    free(flat);
    if (members.n == 0) {
        free(members.v);
        free(mcol.v);
        return;
    }
    /* x: the first varied key; numeric when every value starts with a number and shares a suffix */
    const char **xs;
    size_t nx = distinct(s, 1, &xs);
    bool xnum = true;
    const char *suffix0 = NULL;
    for (size_t i = 0; i < nx && xnum; i++) {
        double x;
        const char *suf;
        xnum = lead_number(xs[i], &x, &suf) && (!suffix0 || strcmp(suf, suffix0) == 0);
        suffix0 = xnum ? suf : suffix0;
    }
    /* series: the combinations of the other varied keys, in order of first appearance */
    TC_VEC(char *) series = {0};
    size_t *row_series = tc_xcalloc(s->rows.n, sizeof(size_t));
    for (size_t r = 0; r < s->rows.n; r++) {
        char label[512];
        series_label(s, r, label, sizeof(label));
        size_t i = 0;
        while (i < series.n && strcmp(series.v[i], label) != 0)
            i++;
        if (i == series.n)
            TC_VEC_PUSH(series, tc_xstrdup(label));
        row_series[r] = i;
    }
    /* a readable unit for times: from the largest mean */
    double scale = 1, top = 0;
    const char *unit = "";
    if (fam->time) {
        for (size_t r = 0; r < s->rows.n; r++)
            for (size_t m = 0; m < members.n; m++) {
                double x;
                if (tc_plot_parse_double(s->rows.v[r][mcol.v[m]], &x) && x > top)
                    top = x;
            }
        unit = tc_plot_time_axis(tu, top > 0 ? top : 1, &scale);
    }
    char name[64];
    snprintf(name, sizeof(name), "sweep_%s.dat", fam->name);
    FILE *d = tc_plot_data_new(j, name);
    fprintf(d, "# sweep of %s: one block per (%s, series); x mean ci95\n", fam->metric, fam->scope);
    size_t blk = 0;
    double *ymax = tc_xcalloc(members.n, sizeof(double)); /* top of the bars, per member */
    for (size_t m = 0; m < members.n; m++)
        for (size_t sr = 0; sr < series.n; sr++, blk++) {
            fprintf(d, "%s# %s %s; %s\n", blk ? "\n\n" : "", fam->scope, members.v[m],
                    series.v[sr]);
            size_t n_rows = 0;
            for (size_t xi = 0; xi < nx; xi++)
                for (size_t r = 0; r < s->rows.n; r++) {
                    if (row_series[r] != sr || strcmp(s->rows.v[r][1], xs[xi]) != 0)
                        continue;
                    double x = (double)xi, mean = (double)NAN, ci = (double)NAN;
                    const char *suf;
                    if (xnum)
                        lead_number(xs[xi], &x, &suf);
                    if (!tc_plot_parse_double(s->rows.v[r][mcol.v[m]], &mean))
                        mean = (double)NAN;
                    if (!tc_plot_parse_double(s->rows.v[r][mcol.v[m] + 1], &ci))
                        ci = 0;
                    if (isfinite(mean))
                        ymax[m] = fmax(ymax[m], (mean + ci) * scale);
                    tc_plot_put_num(d, x);
                    tc_plot_put_num(d, mean * scale);
                    tc_plot_put_num(d, ci * scale);
                    fputc('\n', d); /* tick labels are variables xl1.., drawn as given */
                    n_rows++;
                }
            if (n_rows == 0)
                fputs(" NaN NaN NaN\n", d);
        }
    snprintf(name, sizeof(name), "sweep_%s", fam->name);
    FILE *v = tc_plot_pic_new(j, name, "sweep.gp");
    tc_plot_var_str(v, "fmt", tc_plot_format_names[j->fmt]);
    tc_plot_var_str(v, "plotdir", j->scripts);
    tc_plot_var_str(v, "title", title);
    tc_plot_var_str(v, "sub", sub);
    tc_plot_var_str(v, "note", n_note ? note : "");
    snprintf(name, sizeof(name), "sweep_%s.dat", fam->name);
    tc_plot_var_data(j, v, "data", name);
    tc_plot_var_int(v, "nm", (long)members.n);
    tc_plot_var_int(v, "ns", (long)series.n);
    double ymax_all = 0;
    for (size_t m = 0; m < members.n; m++) {
        char key[32];
        snprintf(key, sizeof(key), "ym%zu", m + 1);
        tc_plot_var_num(v, key, ymax[m]);
        ymax_all = fmax(ymax_all, ymax[m]);
    }
    tc_plot_var_num(v, "ymax", ymax_all);
    free(ymax);
    for (size_t m = 0; m < members.n; m++) {
        char label[300];
        snprintf(label, sizeof(label), "%s%s", strcmp(fam->scope, "roads") == 0 ? "road to " : "",
                 members.v[m]);
        tc_plot_var_stri(v, "m", m + 1, label);
    }
    for (size_t sr = 0; sr < series.n; sr++)
        tc_plot_var_stri(v, "s", sr + 1, series.v[sr]);
    char xl[512], yl[256];
    if (xnum && suffix0 && *suffix0)
        snprintf(xl, sizeof(xl), "%s (%s)", s->head[1], suffix0 + strspn(suffix0, " "));
    else
        snprintf(xl, sizeof(xl), "%s", s->head[1]);
    if (fam->time)
        snprintf(yl, sizeof(yl), "%s (%s)", fam->what, unit);
    else
        snprintf(yl, sizeof(yl), "%s", fam->what);
    tc_plot_var_str(v, "xlab", xl);
    tc_plot_var_str(v, "stitle", s->n_vary == 2 ? s->head[2] : "");
    tc_plot_var_str(v, "ylab", yl);
    tc_plot_var_str(v, "scope", fam->scope);
    tc_plot_var_int(v, "xnum", xnum);
    tc_plot_var_int(v, "nx", (long)nx);
    for (size_t i = 0; i < nx; i++)
        tc_plot_var_stri(v, "xl", i + 1, xs[i]);
    /* integral x values: ticks on them when there are few (no "4.5 servers") */
    double xt0 = 0, xtstep = 0;
    if (xnum) {
        double lo = (double)INFINITY, hi = -(double)INFINITY, step = (double)INFINITY;
        bool integral = true;
        for (size_t i = 0; i < nx; i++) {
            double x, y;
            const char *suf;
            lead_number(xs[i], &x, &suf);
            integral &= x == floor(x);
            lo = fmin(lo, x);
            hi = fmax(hi, x);
            for (size_t k = 0; k < i; k++) {
                lead_number(xs[k], &y, &suf);
                if (x != y)
                    step = fmin(step, fabs(x - y));
            }
        }
        if (integral && isfinite(step) && (hi - lo) / step <= 15) {
            xt0 = lo;
            xtstep = step;
        } else if (integral && isfinite(step) && step >= 1) {
            xt0 = lo;
            xtstep = ceil((hi - lo) / 10);
        }
    }
    tc_plot_var_num(v, "xt0", xt0);
    tc_plot_var_num(v, "xtstep", xtstep);
    for (size_t m = 0; m < members.n; m++)
        free(members.v[m]);
    for (size_t sr = 0; sr < series.n; sr++)
        free(series.v[sr]);
    free(members.v);
    free(mcol.v);
    free(series.v);
    free(row_series);
    free(xs);
}

int tc_plot_prepare_sweep(struct tc_plot_job *j, const char *dir, struct tc_diags *diags)
{
    struct sweep_in s = {0};
    int rc = read_sweep(dir, &s, diags);
    if (rc) {
        sweep_in_fini(&s);
        return rc;
    }
    enum tc_time_unit tu = s.sc ? s.sc->time_unit : TC_TU_MIN;
    if (!s.sc && s.first_summary) {
        const json_t *t = json_object_get(s.first_summary, "time_unit");
        if (json_is_string(t))
            (void)tc_units_parse_time_unit(json_string_value(t), &tu);
    }
    char title[512];
    const json_t *nm = json_object_get(s.first_summary, "scenario");
    snprintf(title, sizeof(title), "%s",
             json_is_string(nm) ? json_string_value(nm) : "tcsim sweep");
    static const struct family fams[] = {
        {"time_in_system", "classes", "time_in_system", "mean time in system", true, false},
        {"wait", "stations", "wait", "mean wait for service", true, false},
        {"utilization", "stations", "utilization", "utilization (busy / open servers)", false,
         true},
        {"road_km", "roads", "km", "road queue (km, time-average)", false, false},
    };
    char sub[256], reps_txt[64] = "";
    const json_t *reps = json_object_get(s.first_summary, "replications");
    if (json_is_integer(reps))
        snprintf(reps_txt, sizeof(reps_txt), " x %lld replication%s",
                 (long long)json_integer_value(reps), json_integer_value(reps) == 1 ? "" : "s");
    snprintf(sub, sizeof(sub),
             "%zu variants%s, common random numbers; mean with 95 %% confidence bars", s.rows.n,
             reps_txt);
    for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
        plot_sweep_family(j, &s, &fams[i], title, sub, tu);
    sweep_in_fini(&s);
    return 0;
}
