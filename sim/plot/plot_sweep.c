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
    const char *dir;        /* the sweep's directory, holding a directory per variant */
    json_t *first_summary;  /* of the first variant, for the title; may be NULL */
    struct tc_scenario *sc; /* of the first variant, may be NULL */
};

static bool is_kpi(const char *col)
{
    static const char *const scopes[] = {"stations", "classes", "roads"};
    size_t n = strlen(col);
    if (!((n > 5 && strcmp(col + n - 5, ".mean") == 0) ||
          (n > 5 && strcmp(col + n - 5, ".ci95") == 0) ||
          (n > 2 && strcmp(col + n - 2, ".n") == 0)))
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
    s->dir = dir;
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
    bool overload;      /* mark the variants where a station is overloaded */
};

/* What the picture of one family draws, gathered step by step. */
struct fam_plot {
    TC_VEC(char *) members; /* the scope's names that have the metric, in column order */
    TC_VEC(size_t) mcol;    /* the mean column of each member (its ci95 follows) */
    char note[900];         /* members left out because flat, and why */
    size_t n_note;
    const char **xs; /* distinct values of the first varied key */
    size_t nx;
    bool xnum;           /* every x value starts with a number ... */
    const char *suffix0; /* ... followed by this same suffix */
    TC_VEC(char *) series;
    size_t *row_series; /* the series of each row */
    double scale;       /* of the means: to a readable time unit, else 1 */
    const char *unit;
    double *ymax;  /* top of the bars, per member */
    size_t n_over; /* points of overloaded variants */
};

static void fam_plot_fini(struct fam_plot *p)
{
    for (size_t m = 0; m < p->members.n; m++)
        free(p->members.v[m]);
    for (size_t sr = 0; sr < p->series.n; sr++)
        free(p->series.v[sr]);
    free(p->members.v);
    free(p->mcol.v);
    free(p->series.v);
    free(p->row_series);
    free(p->xs);
    free(p->ymax);
}

/* The members: the scope's names that have this metric, in column order. */
static void find_members(const struct sweep_in *s, const struct family *fam, struct fam_plot *p)
{
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
        TC_VEC_PUSH(p->members, tc_xstrdup(member));
        TC_VEC_PUSH(p->mcol, c);
    }
}

/* Appends name to a comma-separated list held in buf (cut, never overflowing, when long). */
static void list_add(char *buf, size_t len, size_t *n, const char *name)
{
    int k = snprintf(buf + *n, len - *n, "%s%s", *n ? ", " : "", name);
    if (k > 0 && *n + (size_t)k < len)
        *n += (size_t)k;
}

/*
** Members at 0 in every variant, or undefined in every one (a metric with
** no truck to measure), only clutter: named in a note instead, which says
** which of the two, since "0" and "no value" mean different things.
*/
static void drop_flat_members(const struct sweep_in *s, struct fam_plot *p)
{
    size_t kept = 0;
    /* 0: a non-zero value somewhere, 1: 0 wherever defined, 2: undefined everywhere */
    int *flat = tc_xcalloc(p->members.n ? p->members.n : 1, sizeof(int));
    for (size_t m = 0; m < p->members.n; m++) {
        bool any_value = false, nonzero = false;
        for (size_t r = 0; r < s->rows.n; r++) {
            double x;
            if (tc_plot_parse_double(s->rows.v[r][p->mcol.v[m]], &x)) {
                any_value = true;
                nonzero |= x != 0;
            }
        }
        flat[m] = nonzero ? 0 : (any_value ? 1 : 2);
        kept += !flat[m];
    }
    char zero[400] = "", undef[400] = "";
    size_t nz = 0, nu = 0;
    for (size_t m = 0, w = 0; m < p->members.n; m++) {
        if (kept > 0 && flat[m]) {
            if (flat[m] == 1)
                list_add(zero, sizeof(zero), &nz, p->members.v[m]);
            else
                list_add(undef, sizeof(undef), &nu, p->members.v[m]);
            free(p->members.v[m]);
            continue;
        }
        p->members.v[w] = p->members.v[m];
        p->mcol.v[w++] = p->mcol.v[m];
    }
    if (nz || nu)
        p->n_note = (size_t)snprintf(p->note, sizeof(p->note), "not shown: %s%s%s%s%s", zero,
                                     nz ? " (0 in every variant)" : "", nz && nu ? "; " : "", undef,
                                     nu ? " (undefined in every variant)" : "");
    if (p->n_note >= sizeof(p->note))
        p->n_note = sizeof(p->note) - 1;
    if (kept > 0)
        p->members.n = p->mcol.n = kept;
    free(flat);
}

/* x: the first varied key; numeric when every value starts with a number and shares a suffix. */
static void x_values(const struct sweep_in *s, struct fam_plot *p)
{
    p->nx = distinct(s, 1, &p->xs);
    p->xnum = true;
    p->suffix0 = NULL;
    for (size_t i = 0; i < p->nx && p->xnum; i++) {
        double x;
        const char *suf;
        p->xnum = lead_number(p->xs[i], &x, &suf) && (!p->suffix0 || strcmp(suf, p->suffix0) == 0);
        p->suffix0 = p->xnum ? suf : p->suffix0;
    }
}

/* The series: the combinations of the other varied keys, in order of first appearance. */
static void find_series(const struct sweep_in *s, struct fam_plot *p)
{
    p->row_series = tc_xcalloc(s->rows.n, sizeof(size_t));
    for (size_t r = 0; r < s->rows.n; r++) {
        char label[512];
        series_label(s, r, label, sizeof(label));
        size_t i = 0;
        while (i < p->series.n && strcmp(p->series.v[i], label) != 0)
            i++;
        if (i == p->series.n)
            TC_VEC_PUSH(p->series, tc_xstrdup(label));
        p->row_series[r] = i;
    }
}

/* A readable unit for times: from the largest mean. */
static void time_scale(const struct sweep_in *s, const struct family *fam, enum tc_time_unit tu,
                       struct fam_plot *p)
{
    double top = 0;
    p->scale = 1;
    p->unit = "";
    if (!fam->time)
        return;
    for (size_t r = 0; r < s->rows.n; r++)
        for (size_t m = 0; m < p->members.n; m++) {
            double x;
            if (tc_plot_parse_double(s->rows.v[r][p->mcol.v[m]], &x) && x > top)
                top = x;
        }
    p->unit = tc_plot_time_axis(tu, top > 0 ? top : 1, &p->scale);
}

/* The data file sweep_<name>.dat: a block per (member, series) of x mean ci95; sets p->ymax. */
static void write_family_data(struct tc_plot_job *j, const struct sweep_in *s,
                              const struct family *fam, struct fam_plot *p)
{
    char name[64];
    snprintf(name, sizeof(name), "sweep_%s.dat", fam->name);
    FILE *d = tc_plot_data_new(j, name);
    fprintf(d, "# sweep of %s: one block per (%s, series); x mean ci95%s\n", fam->metric,
            fam->scope, fam->overload ? " overloaded" : "");
    size_t blk = 0;
    p->ymax = tc_xcalloc(p->members.n, sizeof(double));
    for (size_t m = 0; m < p->members.n; m++)
        for (size_t sr = 0; sr < p->series.n; sr++, blk++) {
            fprintf(d, "%s# %s %s; %s\n", blk ? "\n\n" : "", fam->scope, p->members.v[m],
                    p->series.v[sr]);
            size_t n_rows = 0;
            for (size_t xi = 0; xi < p->nx; xi++)
                for (size_t r = 0; r < s->rows.n; r++) {
                    if (p->row_series[r] != sr || strcmp(s->rows.v[r][1], p->xs[xi]) != 0)
                        continue;
                    double x = (double)xi, mean = (double)NAN, ci = (double)NAN;
                    const char *suf;
                    if (p->xnum)
                        lead_number(p->xs[xi], &x, &suf);
                    if (!tc_plot_parse_double(s->rows.v[r][p->mcol.v[m]], &mean))
                        mean = (double)NAN;
                    if (!tc_plot_parse_double(s->rows.v[r][p->mcol.v[m] + 1], &ci))
                        ci = 0;
                    if (isfinite(mean))
                        p->ymax[m] = fmax(p->ymax[m], (mean + ci) * p->scale);
                    tc_plot_put_num(d, x);
                    tc_plot_put_num(d, mean * p->scale);
                    tc_plot_put_num(d, ci * p->scale);
                    if (fam->overload) {
                        /*
                        ** Overloaded: offered load >= 1, the station cannot keep
                        ** up (a bounded queue blocks or turns trucks away instead);
                        ** where the load is not defined (opening windows, no
                        ** scenario.yaml), busy nearly all the time says the same.
                        */
                        double rho =
                            tc_plot_sweep_offered(s->dir, s->rows.v[r][0], p->members.v[m]);
                        bool over = isfinite(rho) ? rho >= 1 : mean >= 0.995;
                        fprintf(d, " %d", over);
                        p->n_over += over;
                    }
                    fputc('\n', d); /* tick labels are variables xl1.., drawn as given */
                    n_rows++;
                }
            if (n_rows == 0)
                fputs(" NaN NaN NaN\n", d);
        }
}

/* Integral x values: ticks on them when there are few (no "4.5 servers"); 0, 0 for gnuplot's own.
 */
static void x_ticks(const struct fam_plot *p, double *xt0, double *xtstep)
{
    *xt0 = 0;
    *xtstep = 0;
    if (!p->xnum)
        return;
    double lo = (double)INFINITY, hi = -(double)INFINITY, step = (double)INFINITY;
    bool integral = true;
    for (size_t i = 0; i < p->nx; i++) {
        double x, y;
        const char *suf;
        lead_number(p->xs[i], &x, &suf);
        integral &= x == floor(x);
        lo = fmin(lo, x);
        hi = fmax(hi, x);
        for (size_t k = 0; k < i; k++) {
            lead_number(p->xs[k], &y, &suf);
            if (x != y)
                step = fmin(step, fabs(x - y));
        }
    }
    if (integral && isfinite(step) && (hi - lo) / step <= 15) {
        *xt0 = lo;
        *xtstep = step;
    } else if (integral && isfinite(step) && step >= 1) {
        *xt0 = lo;
        *xtstep = ceil((hi - lo) / 10);
    }
}

/* The picture sweep_<name> and its variables for sweep.gp. */
static void family_picture(struct tc_plot_job *j, const struct sweep_in *s,
                           const struct family *fam, const struct fam_plot *p, const char *title,
                           const char *sub)
{
    char name[64];
    snprintf(name, sizeof(name), "sweep_%s", fam->name);
    FILE *v = tc_plot_pic_new(j, name, "sweep.gp");
    tc_plot_var_str(v, "title", title);
    tc_plot_var_str(v, "sub", sub);
    tc_plot_var_str(v, "note", p->n_note ? p->note : "");
    snprintf(name, sizeof(name), "sweep_%s.dat", fam->name);
    tc_plot_var_data(j, v, "data", name);
    tc_plot_var_int(v, "nm", (long)p->members.n);
    tc_plot_var_int(v, "ns", (long)p->series.n);
    double ymax_all = 0;
    for (size_t m = 0; m < p->members.n; m++) {
        char key[32];
        snprintf(key, sizeof(key), "ym%zu", m + 1);
        tc_plot_var_num(v, key, p->ymax[m]);
        ymax_all = fmax(ymax_all, p->ymax[m]);
    }
    tc_plot_var_num(v, "ymax", ymax_all);
    for (size_t m = 0; m < p->members.n; m++) {
        char label[300];
        snprintf(label, sizeof(label), "%s%s", strcmp(fam->scope, "roads") == 0 ? "road to " : "",
                 p->members.v[m]);
        tc_plot_var_stri(v, "m", m + 1, label);
    }
    for (size_t sr = 0; sr < p->series.n; sr++)
        tc_plot_var_stri(v, "s", sr + 1, p->series.v[sr]);
    char xl[512], yl[256], st[512];
    tc_plot_key_label(s->head[1], p->xnum ? p->suffix0 : "", xl, sizeof(xl));
    tc_plot_key_label(s->n_vary == 2 ? s->head[2] : "", "", st, sizeof(st));
    tc_plot_var_int(v, "nover", (long)p->n_over);
    if (fam->time)
        snprintf(yl, sizeof(yl), "%s (%s)", fam->what, p->unit);
    else
        snprintf(yl, sizeof(yl), "%s", fam->what);
    tc_plot_var_str(v, "xlab", xl);
    tc_plot_var_str(v, "stitle", st);
    tc_plot_var_str(v, "ylab", yl);
    tc_plot_var_str(v, "scope", fam->scope);
    tc_plot_var_int(v, "xnum", p->xnum);
    tc_plot_var_int(v, "nx", (long)p->nx);
    for (size_t i = 0; i < p->nx; i++)
        tc_plot_var_stri(v, "xl", i + 1, p->xs[i]);
    double xt0, xtstep;
    x_ticks(p, &xt0, &xtstep);
    tc_plot_var_num(v, "xt0", xt0);
    tc_plot_var_num(v, "xtstep", xtstep);
}

/* One family: its data file and picture, unless no member has a value. */
static void plot_sweep_family(struct tc_plot_job *j, const struct sweep_in *s,
                              const struct family *fam, const char *title, const char *sub,
                              enum tc_time_unit tu)
{
    struct fam_plot p = {0};
    find_members(s, fam, &p);
    drop_flat_members(s, &p);
    if (p.members.n > 0) {
        x_values(s, &p);
        find_series(s, &p);
        time_scale(s, fam, tu, &p);
        write_family_data(j, s, fam, &p);
        family_picture(j, s, fam, &p, title, sub);
    }
    fam_plot_fini(&p);
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
        {"time_in_system", "classes", "time_in_system", "mean time in system", true, false, false},
        {"time_in_system_p95", "classes", "time_in_system_p95", "p95 of time in system", true,
         false, false},
        {"wait", "stations", "wait", "mean wait for service", true, false, false},
        {"utilization", "stations", "utilization", "utilization (busy / open servers)", false, true,
         true},
        {"road_km", "roads", "km", "road queue (km, time-average)", false, false, false},
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
