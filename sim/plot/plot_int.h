/*
** plot_int: what plot.c (finding gnuplot, the plots of a run, rendering)
** and plot_sweep.c (the plots of a sweep) share, implemented in plot_job.c.
** A job collects data files and pictures in memory; render() in plot.c
** commits the data and draws.
*/
#ifndef TCSIM_PLOT_INT_H
#define TCSIM_PLOT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/xmem.h"
#include "plot/plot.h"
#include "tcsim/diag.h"

/* Text built through open_memstream; s and len are valid once f is closed. */
struct sbuf {
    char *s;
    size_t len;
    FILE *f;
};

/* Separate allocations: open_memstream keeps pointers into the sbufs. */
struct tc_plot_datafile {
    char *name; /* inside plots/data/ */
    struct sbuf *b;
};

struct tc_plot_picture {
    char *name;   /* without extension */
    char *script; /* file name in the scripts directory */
    struct sbuf *vars;
};

struct tc_plot_job {
    const char *dir;
    char *data_dir;  /* dir/plots/data */
    char *plots_dir; /* dir/plots */
    const char *scripts;
    enum tc_plot_format fmt;
    TC_VEC(struct tc_plot_datafile) data;
    TC_VEC(struct tc_plot_picture) pics;
    struct tc_diags *diags;
};

/* gnuplot assignments appended to a picture's variables: name='value'; name=1.5; name=3; */
void tc_plot_var_str(FILE *f, const char *name, const char *value);
void tc_plot_var_num(FILE *f, const char *name, double x); /* NaN for non-finite */
void tc_plot_var_int(FILE *f, const char *name, long x);
/* name<i>='value'; (1-based i), read back in a script with value(sprintf('name%d', i)) */
void tc_plot_var_stri(FILE *f, const char *name, size_t i, const char *value);
/* name='<data dir>/file'; the path of a data file of the job */
void tc_plot_var_data(struct tc_plot_job *j, FILE *f, const char *name, const char *file);
/* " %.6g" (or " NaN") into a data file */
void tc_plot_put_num(FILE *f, double x);

/* Closes a buffer's stream; b->s then holds the text (free()). */
void tc_plot_sb_close(struct sbuf *b);
/* Frees what a job holds. */
void tc_plot_job_fini(struct tc_plot_job *j);

/* A new data file of the job (plots/data/name); write to the returned stream. */
FILE *tc_plot_data_new(struct tc_plot_job *j, const char *name);
/* A new picture drawn by script; returns the stream of its variables. */
FILE *tc_plot_pic_new(struct tc_plot_job *j, const char *name, const char *script);

/* "a/b", a new string. */
char *tc_plot_path_join(const char *a, const char *b);
/* A regular file that access(mode) allows. */
bool tc_plot_is_file(const char *path, int mode);
/* An error about file (line 0: no position). */
void tc_plot_diag(struct tc_diags *d, const char *file, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* One line without its line break (getline); false at the end. */
bool tc_plot_read_line(FILE *f, char **line, size_t *cap);
/* A whole-string strtod; false for empty, trailing text or overflow. */
bool tc_plot_parse_double(const char *s, double *out);

/* Reads dir/sweep.csv and adds the sweep pictures to the job; 0 or -errno with diagnostics. */
int tc_plot_prepare_sweep(struct tc_plot_job *j, const char *dir, struct tc_diags *diags);

#endif
