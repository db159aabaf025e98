/*
** plot_job: what the run plots (plot_run.c) and the sweep plots (plot_sweep.c)
** share: a job's data files and pictures in memory, gnuplot variables passed
** as data, and the small readers of the CSV files they draw from.
*/
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xmem.h"
#include "plot/plot_int.h"

const char *const tc_plot_format_names[TC_PLOT__COUNT] = {"png", "svg", "pdf"};

int tc_plot_parse_format(const char *s, enum tc_plot_format *out)
{
    for (int i = 0; i < TC_PLOT__COUNT; i++)
        if (s && strcmp(s, tc_plot_format_names[i]) == 0) {
            *out = (enum tc_plot_format)i;
            return 0;
        }
    return -EINVAL;
}

int tc_plot_parse_size(const char *s, struct tc_plot_size *out)
{
    if (!s)
        return -EINVAL;
    char *end;
    errno = 0;
    double w = strtod(s, &end);
    if (end == s || (*end != 'x' && *end != 'X'))
        return -EINVAL;
    const char *p = end + 1;
    double h = strtod(p, &end);
    if (end == p || errno == ERANGE || !(w > 0) || !(h > 0))
        return -EINVAL;
    double k;
    enum tc_plot_size_unit u;
    if (strcmp(end, "cm") == 0) {
        u = TC_PLOT_SIZE_IN;
        k = 1 / 2.54;
    } else if (strcmp(end, "in") == 0) {
        u = TC_PLOT_SIZE_IN;
        k = 1;
    } else if (strcmp(end, "px") == 0) {
        u = TC_PLOT_SIZE_PX;
        k = 1;
    } else {
        return -EINVAL;
    }
    w *= k;
    h *= k;
    /* a picture under an inch (or 100 px) cannot hold its axes and legend */
    double lo = u == TC_PLOT_SIZE_IN ? 1 : 100, hi = u == TC_PLOT_SIZE_IN ? 100 : 10000;
    if (w < lo || h < lo || w > hi || h > hi)
        return -EINVAL;
    *out = (struct tc_plot_size){u, w, h};
    return 0;
}

int tc_plot_parse_dpi(const char *s, int *out)
{
    if (!s || !*s)
        return -EINVAL;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno == ERANGE || v < 50 || v > 1200)
        return -EINVAL;
    *out = (int)v;
    return 0;
}

bool tc_plot_is_file(const char *path, int mode)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, mode) == 0;
}

const char *tc_plot_time_axis(enum tc_time_unit tu, double span, double *out_scale)
{
    static const struct {
        const char *name;
        double s;
    } units[] = {{"d", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}};
    double span_s = span * tc_units_seconds(tu);
    size_t i = 0;
    while (i + 1 < sizeof(units) / sizeof(units[0]) && !(span_s >= 3 * units[i].s))
        i++;
    *out_scale = tc_units_seconds(tu) / units[i].s;
    return units[i].name;
}

size_t tc_plot_quote(const char *s, char *buf, size_t len)
{
    size_t n = 0;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (n + 1 < len)                                                                           \
            buf[n] = (c);                                                                          \
        n++;                                                                                       \
    } while (0)
    /*
    ** Inside gnuplot's single quotes only the quote itself is special (doubled);
    ** backslashes, backticks, @ and ; are plain text. A line break would end
    ** the -e command, so it leaves the quotes: 'a'."\n".'b'.
    */
    PUT('\'');
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r') {
            const char *esc = *s == '\n' ? "'.\"\\n\".'" : "'.\"\\r\".'";
            for (; *esc; esc++)
                PUT(*esc);
            continue;
        }
        if (*s == '\'')
            PUT('\'');
        PUT(*s);
    }
    PUT('\'');
#undef PUT
    if (len)
        buf[n < len ? n : len - 1] = '\0';
    return n;
}

int tc_plot_csv_split(char *line, char **fields, int max_fields)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max_fields)
            return n;
        if (*p == '"') {
            char *w = ++p;
            fields[n++] = w;
            for (;;) {
                if (*p == '\0')
                    return -1;
                if (*p == '"') {
                    if (p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            *w = '\0';
            /* after the closing quote: a separator or the end */
            if (*p == ',') {
                p++;
                continue;
            }
            return *p == '\0' ? n : -1;
        }
        fields[n++] = p;
        char *c = strchr(p, ',');
        if (!c || n == max_fields) /* the last field allowed keeps the rest */
            return n;
        *c = '\0';
        p = c + 1;
    }
}

/* The buffers are separate allocations: open_memstream keeps pointers into them. */
static void sb_open(struct sbuf *b)
{
    b->s = NULL;
    b->len = 0;
    b->f = open_memstream(&b->s, &b->len);
    if (!b->f)
        tc_xmem_fail(BUFSIZ); /* open_memstream fails only for want of memory */
}

/* Closes the stream; b->s then holds the text (free()). */
void tc_plot_sb_close(struct sbuf *b)
{
    if (b->f)
        fclose(b->f);
    b->f = NULL;
}

/* name='value'; as a gnuplot assignment */
void tc_plot_var_str(FILE *f, const char *name, const char *value)
{
    size_t need = tc_plot_quote(value, NULL, 0) + 1;
    char *q = tc_xmalloc(need);
    tc_plot_quote(value, q, need);
    fprintf(f, "%s=%s;", name, q);
    free(q);
}

void tc_plot_var_num(FILE *f, const char *name, double x)
{
    if (isfinite(x))
        fprintf(f, "%s=%.10g;", name, x);
    else
        fprintf(f, "%s=NaN;", name);
}

void tc_plot_var_int(FILE *f, const char *name, long x)
{
    fprintf(f, "%s=%ld;", name, x);
}

/* name<i>='value'; with a 1-based i, read back in the scripts with value(sprintf(...)) */
void tc_plot_var_stri(FILE *f, const char *name, size_t i, const char *value)
{
    char key[64];
    snprintf(key, sizeof(key), "%s%zu", name, i);
    tc_plot_var_str(f, key, value);
}

/* A number for a data file: %.6g is far finer than a picture, NaN stays NaN for gnuplot. */
void tc_plot_put_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, " %.6g", x);
    else
        fputs(" NaN", f);
}

char *tc_plot_path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = tc_xmalloc(n);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

/* A new data file; write to the returned stream. */
FILE *tc_plot_data_new(struct tc_plot_job *j, const char *name)
{
    struct tc_plot_datafile d = {.name = tc_xstrdup(name), .b = tc_xmalloc(sizeof(struct sbuf))};
    sb_open(d.b);
    TC_VEC_PUSH(j->data, d);
    return d.b->f;
}

/* A new picture drawn by script; returns the stream of its variables. */
FILE *tc_plot_pic_new(struct tc_plot_job *j, const char *name, const char *script)
{
    struct tc_plot_picture p = {.name = tc_xstrdup(name),
                                .script = tc_xstrdup(script),
                                .vars = tc_xmalloc(sizeof(struct sbuf))};
    sb_open(p.vars);
    TC_VEC_PUSH(j->pics, p);
    /* what style.gp needs of every picture: format, scripts, page */
    tc_plot_var_str(p.vars->f, "fmt", tc_plot_format_names[j->fmt]);
    tc_plot_var_str(p.vars->f, "plotdir", j->scripts);
    tc_plot_var_num(p.vars->f, "uw", j->uw);
    tc_plot_var_num(p.vars->f, "uh", j->uh);
    tc_plot_var_num(p.vars->f, "pxk", j->pxk);
    return p.vars->f;
}

/* The path of data file name as gnuplot should open it. */
void tc_plot_var_data(struct tc_plot_job *j, FILE *f, const char *var, const char *name)
{
    char *p = tc_plot_path_join(j->data_dir, name);
    tc_plot_var_str(f, var, p);
    free(p);
}

void tc_plot_job_fini(struct tc_plot_job *j)
{
    for (size_t i = 0; i < j->data.n; i++) {
        tc_plot_sb_close(j->data.v[i].b);
        free(j->data.v[i].b->s);
        free(j->data.v[i].b);
        free(j->data.v[i].name);
    }
    for (size_t i = 0; i < j->pics.n; i++) {
        tc_plot_sb_close(j->pics.v[i].vars);
        free(j->pics.v[i].vars->s);
        free(j->pics.v[i].vars);
        free(j->pics.v[i].name);
        free(j->pics.v[i].script);
    }
    free(j->data.v);
    free(j->pics.v);
    free(j->data_dir);
    free(j->plots_dir);
}

void tc_plot_diag(struct tc_diags *d, const char *file, uint32_t line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct tc_pos pos = {file, line, 0};
    tc_diags_add(d, TC_SEV_ERROR, &pos, "", "%s", msg);
}

/* One line of f without its line break into *line (getline); false at the end. */
bool tc_plot_read_line(FILE *f, char **line, size_t *cap)
{
    ssize_t n = getline(line, cap, f);
    if (n < 0)
        return false;
    while (n > 0 && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
        (*line)[--n] = '\0';
    return true;
}

bool tc_plot_parse_double(const char *s, double *out)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (*end || errno == ERANGE)
        return false;
    *out = x;
    return true;
}
