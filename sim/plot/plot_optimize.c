/*
** plot_optimize: the picture of `tcsim optimize`, from optimize.csv and
** optimize.json alone (so `tcsim plot DIR` redraws it). One panel per
** quantity: the objective, then each constraint's metric with its limit as
** a dashed line, each against the first varied key with 95 % bars, one
** line per value of the other keys. Candidates proven infeasible are
** crossed, the best ringed; screened ones (nothing simulated) are named in
** a note. Data: plots/data/optimize.dat, one block per line (the values of
** the other keys), rows "x mean_1 ci95_1 ... mean_q ci95_q mark" with mark
** 0 feasible, 1 infeasible, 2 undecided, 3 best; its first lines are
** comments giving each quantity and its limit.
*/
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "plot/plot_int.h"

#define MAX_COLS 256

struct opt_in {
    char *head[MAX_COLS];
    int n_cols, n_axes, n_q, c_feas, c_state;
    TC_VEC(char *) lines; /* the rows as read, split into fields below */
};

static int col_of(const struct opt_in *in, const char *name)
{
    for (int i = 0; i < in->n_cols; i++)
        if (strcmp(in->head[i], name) == 0)
            return i;
    return -1;
}

static int read_csv(struct opt_in *in, const char *path, struct tc_diags *diags)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        tc_plot_diag(diags, path, 0, "cannot read it: %s", strerror(errno));
        return -errno;
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    if (!tc_plot_read_line(f, &line, &cap)) {
        rc = -EINVAL;
    } else {
        char *fields[MAX_COLS];
        in->n_cols = tc_plot_csv_split(line, fields, MAX_COLS);
        for (int i = 0; i < in->n_cols; i++)
            in->head[i] = tc_xstrdup(fields[i]);
        int c_reps = col_of(in, "replications");
        in->c_feas = col_of(in, "feasible");
        in->c_state = col_of(in, "state");
        if (c_reps < 2 || in->c_feas < c_reps + 3 || in->c_state < 0 ||
            (in->c_feas - c_reps - 1) % 2)
            rc = -EINVAL;
        in->n_axes = c_reps - 1;
        in->n_q = (in->c_feas - c_reps - 1) / 2;
    }
    while (!rc && tc_plot_read_line(f, &line, &cap))
        TC_VEC_PUSH(in->lines,
                    tc_xstrdup(line)); /* no line breaks: names and reasons are one line */
    free(line);
    fclose(f);
    if (rc == -EINVAL)
        tc_plot_diag(diags, path, 1, "%s",
                     "expected optimize.csv's header: candidate, the varied keys, replications, "
                     "mean and ci95 of each quantity, feasible, state, stage, why");
    return rc;
}

static void opt_in_fini(struct opt_in *in)
{
    for (int i = 0; i < in->n_cols; i++)
        free(in->head[i]);
    for (size_t i = 0; i < in->lines.n; i++)
        free(in->lines.v[i]);
    free(in->lines.v);
}

/* The series a row belongs to: its values of the keys after the first, joined. */
static char *series_key(struct opt_in *in, char **f)
{
    char *s = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&s, &len);
    if (!m)
        return tc_xstrdup("");
    for (int a = 2; a <= in->n_axes; a++)
        fprintf(m, "%s%s=%s", a > 2 ? "," : "", in->head[a], f[a]);
    fclose(m);
    return s;
}

static int mark_of(char **f, const struct opt_in *in)
{
    if (strcmp(f[in->c_state], "best") == 0)
        return 3;
    if (strcmp(f[in->c_feas], "no") == 0)
        return 1;
    return strcmp(f[in->c_feas], "yes") == 0 ? 0 : 2;
}

/* The x of a row: its first key as a number, or its place among the first key's values. */
static double x_of(const char *v, char ***xl, size_t *n_xl, bool *num)
{
    double x;
    for (size_t i = 0; i < *n_xl; i++)
        if (strcmp((*xl)[i], v) == 0)
            return *num && tc_plot_parse_double(v, &x) ? x : (double)i;
    *xl = tc_xrealloc(*xl, (*n_xl + 1) * sizeof(char *));
    (*xl)[(*n_xl)++] = tc_xstrdup(v);
    *num = *num && tc_plot_parse_double(v, &x);
    return *num ? x : (double)(*n_xl - 1);
}

static void write_data(struct tc_plot_job *j, struct opt_in *in, const json_t *limits, FILE *vars)
{
    FILE *d = tc_plot_data_new(j, "optimize.dat");
    for (int q = 0; q < in->n_q; q++) {
        const json_t *l = q ? json_array_get(limits, (size_t)q - 1) : NULL;
        double lim = json_is_number(l) ? json_number_value(l) : (double)NAN;
        char name[512];
        snprintf(name, sizeof(name), "%.*s", (int)strlen(in->head[in->n_axes + 2 + 2 * q]) - 5,
                 in->head[in->n_axes + 2 + 2 * q]);
        fprintf(d, "# quantity %d %s limit", q + 1, name);
        tc_plot_put_num(d, lim);
        fputc('\n', d);
        tc_plot_var_stri(vars, "q", (size_t)q + 1, name);
        char key[32];
        snprintf(key, sizeof(key), "lim%d", q + 1);
        tc_plot_var_num(vars, key, lim);
    }
    /* the series in order of first appearance; x the first key (numbers, else places) */
    TC_VEC(char *) series = {0};
    char **xl = NULL, *screened = tc_xstrdup("");
    size_t n_xl = 0, n_screened = 0;
    bool num = true;
    char **rows = tc_xcalloc(in->lines.n * (size_t)in->n_cols + 1, sizeof(char *));
    for (size_t r = 0; r < in->lines.n; r++) {
        char **f = rows + r * (size_t)in->n_cols;
        if (tc_plot_csv_split(in->lines.v[r], f, in->n_cols) != in->n_cols)
            f[0] = NULL;
    }
    for (size_t r = 0; r < in->lines.n; r++) { /* x labels first: all numbers or places */
        char **f = rows + r * (size_t)in->n_cols;
        if (f[0])
            (void)x_of(f[1], &xl, &n_xl, &num);
    }
    for (size_t r = 0; r < in->lines.n; r++) {
        char **f = rows + r * (size_t)in->n_cols;
        if (!f[0])
            continue;
        char *k = series_key(in, f);
        size_t s = 0;
        while (s < series.n && strcmp(series.v[s], k) != 0)
            s++;
        if (s == series.n)
            TC_VEC_PUSH(series, k);
        else
            free(k);
        if (strcmp(f[in->c_state], "screened") == 0 && ++n_screened <= 3) {
            size_t had = strlen(screened), len = had + strlen(f[0]) + 3;
            screened = tc_xrealloc(screened, len);
            snprintf(screened + had, len - had, "%s%s", had ? "; " : "", f[0]);
        }
    }
    for (size_t s = 0; s < series.n; s++) {
        fprintf(d, "%s# series %zu %s\n", s ? "\n\n" : "", s + 1, series.v[s]);
        for (size_t r = 0; r < in->lines.n; r++) {
            char **f = rows + r * (size_t)in->n_cols;
            if (!f[0] || strcmp(f[in->c_state], "screened") == 0)
                continue;
            char *k = series_key(in, f);
            bool mine = strcmp(k, series.v[s]) == 0;
            free(k);
            if (!mine)
                continue;
            tc_plot_put_num(d, x_of(f[1], &xl, &n_xl, &num));
            for (int c = in->n_axes + 2; c < in->c_feas; c++) {
                double v;
                tc_plot_put_num(d, tc_plot_parse_double(f[c], &v) ? v : (double)NAN);
            }
            fprintf(d, " %d\n", mark_of(f, in));
        }
        tc_plot_var_stri(vars, "s", s + 1, series.v[s]);
    }
    tc_plot_var_int(vars, "ns", (long)series.n);
    tc_plot_var_int(vars, "nq", in->n_q);
    tc_plot_var_int(vars, "xnum", num);
    tc_plot_var_int(vars, "nx", (long)n_xl);
    for (size_t i = 0; i < n_xl; i++) {
        tc_plot_var_stri(vars, "xl", i + 1, xl[i]);
        free(xl[i]);
    }
    tc_plot_var_str(vars, "xlab", in->head[1]);
    if (n_screened > 3) { /* too many to name in a line */
        free(screened);
        screened = tc_xmalloc(32);
        snprintf(screened, 32, "%zu candidates", n_screened);
    }
    tc_plot_var_str(vars, "screened", screened);
    for (size_t s = 0; s < series.n; s++)
        free(series.v[s]);
    free(series.v);
    free(xl);
    free(screened);
    free(rows);
}

int tc_plot_prepare_optimize(struct tc_plot_job *j, const char *dir, struct tc_diags *diags)
{
    struct opt_in in = {0};
    char *csv = tc_plot_path_join(dir, "optimize.csv"),
         *js = tc_plot_path_join(dir, "optimize.json");
    int rc = read_csv(&in, csv, diags);
    json_error_t je;
    json_t *root = rc ? NULL : json_load_file(js, 0, &je);
    if (!rc && !root) {
        tc_plot_diag(diags, js, (uint32_t)je.line, "cannot read it: %s", je.text);
        rc = -EINVAL;
    }
    if (!rc) {
        FILE *vars = tc_plot_pic_new(j, "optimize", "optimize.gp");
        tc_plot_var_str(vars, "fmt", tc_plot_format_names[j->fmt]);
        tc_plot_var_str(vars, "plotdir", j->scripts);
        tc_plot_var_data(j, vars, "data", "optimize.dat");
        write_data(j, &in, json_object_get(root, "limits"), vars);
        const json_t *best = json_object_get(root, "best");
        char title[1024];
        snprintf(title, sizeof(title), "tcsim optimize: %s %s",
                 json_object_get(root, "maximize") ? "maximize" : "minimize",
                 json_string_value(json_object_get(root, "maximize")
                                       ? json_object_get(root, "maximize")
                                       : json_object_get(root, "minimize")));
        tc_plot_var_str(vars, "title", title);
        tc_plot_var_int(vars, "hasbest", json_is_object(best));
    }
    json_decref(root);
    opt_in_fini(&in);
    free(csv);
    free(js);
    return rc;
}
