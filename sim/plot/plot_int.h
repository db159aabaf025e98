/*
** plot_int: what the files of sim/plot share. plot.c (the entry point,
** finding gnuplot, rendering) drives plot_run.c (the plots of a run, from
** what plot_run_data.c reads) and plot_sweep.c (the plots of a sweep); the
** job they fill and its small helpers are plot_job.c. A job collects data
** files and pictures in memory; render() in plot.c commits the data and
** draws.
*/
#ifndef TCSIM_PLOT_INT_H
#define TCSIM_PLOT_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/xmem.h"
#include "plot/plot.h"
#include "run/observed.h"
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
    /* the page: the width and height asked for in layout units (1/144 in), 0 for a
       picture's own; PNG pixels per layout unit (dpi / 144) */
    double uw, uh, pxk;
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

/* ==== A run's inputs (plot_run_data.c) ==== */

struct tc_metrics;
struct tc_scenario;

/* What every picture of a run needs: the scenario, summary.json, titles, the time axis. */
struct tc_plot_run {
    const char *dir;
    struct tc_scenario *sc;
    json_t *summary;
    uint32_t n_reps;
    char tu_t[8]; /* display unit of the time axis */
    double scale_t;
    char title[512];
    char sub[256];
};

/*
** Loads dir/scenario.yaml and dir/summary.json into in and sets the titles
** and the time axis; 0, or -ENOENT / -EINVAL with diagnostics. Call
** tc_plot_run_fini either way.
*/
int tc_plot_run_load(struct tc_plot_run *in, const char *dir, struct tc_diags *diags);
void tc_plot_run_fini(struct tc_plot_run *in);

struct tc_plot_mstat {
    double mean, ci95;
};

/* root.<scope>.<name>.<metric>.{mean,ci95}; NaN where absent or null. */
struct tc_plot_mstat tc_plot_jstat(const json_t *root, const char *scope, const char *name,
                                   const char *metric);

/*
** The time series: cell (series j, sample k, rep r, field c) of
** present/waiting/blocked, NaN where timeseries.csv has no row. The series
** are the stations, then the roads (tc_metrics order).
*/
struct tc_plot_series {
    uint32_t n_series, n_samples, n_reps;
    double *v; /* free() */
};

static inline double *tc_plot_cell(struct tc_plot_series *s, uint32_t j, uint32_t k, uint32_t r)
{
    return s->v + (((size_t)j * s->n_samples + k) * s->n_reps + r) * 3;
}

/* Reads dir/timeseries.csv into out; 0, or -errno / -EINVAL with a diagnostic. */
int tc_plot_read_series(const struct tc_plot_run *in, const struct tc_metrics *m,
                        struct tc_plot_series *out, struct tc_diags *diags);

struct tc_plot_dvec {
    double *v;
    size_t n, cap;
};

/*
** Times in system of served trucks of each class whose exit counts (at or
** after warmup, before horizon), pooled over replications and sorted, into
** tis[class]. 1 when trucks.csv is absent, 0 when read, -errno / -EINVAL
** with a diagnostic on errors.
*/
int tc_plot_read_tis(const struct tc_plot_run *in, struct tc_plot_dvec *tis,
                     struct tc_diags *diags);

/* ==== The pictures (plot_run.c, plot_sweep.c) ==== */

/* Reads a run's outputs in dir and adds the run pictures to the job; 0 or -errno with diagnostics.
 */
int tc_plot_prepare_run(struct tc_plot_job *j, const char *dir, struct tc_diags *diags);

/* Reads dir/sweep.csv and adds the sweep pictures to the job; 0 or -errno with diagnostics. */
int tc_plot_prepare_sweep(struct tc_plot_job *j, const char *dir, struct tc_diags *diags);

/* ==== The time axis of a run (plot_time.c) ==== */

/*
** warm, tmax, tlabel and the date ticks nxt, xtp1.., xtl1.. (nxt 0: the
** time unit of in, no start_date) into a picture's variables.
*/
void tc_plot_time_vars(FILE *v, const struct tc_plot_run *in);

/*
** The data files closures.dat (per station: the intervals it is closed)
** and events.dat (the times of the other events), and their counts ncl1..,
** nev, into a picture's variables closures and events; files false for a
** second picture that draws the same files.
*/
void tc_plot_closures(struct tc_plot_job *j, const struct tc_plot_run *in, FILE *v, bool files);

/* ==== What the sweep plots say beyond the numbers (plot_sweep_label.c) ==== */

/*
** A readable label of a varied key for an axis or legend: "servers at
** lanes" (stations.lanes.servers), "arrival rate of stream 1 (trucks/h)"
** (arrivals.0.rate with values "30/h": suffix "/h"), else the key in words.
*/
void tc_plot_key_label(const char *key, const char *suffix, char *buf, size_t len);

/*
** The offered load lambda E[S] / c of station in the variant dir/variant
** (its scenario.yaml); NaN where undefined (tc_scenario_offered_load_any_new)
** or unreadable.
*/
double tc_plot_sweep_offered(const char *dir, const char *variant, const char *station);

/* Reads dir/optimize.csv and optimize.json and adds the optimize picture; 0 or -errno. */
int tc_plot_prepare_optimize(struct tc_plot_job *j, const char *dir, struct tc_diags *diags);

/* ==== Observations beside a run (plot_observed.c) and the fit picture (plot_fit.c) ==== */

enum tc_plot_obs_where {
    TC_PLOT_OBS_NONE,
    TC_PLOT_OBS_STATION,   /* a station's panel of stations.png */
    TC_PLOT_OBS_ROAD,      /* a road of road.png */
    TC_PLOT_OBS_TOTAL,     /* the total-stock panel */
    TC_PLOT_OBS_THROUGHPUT /* a station's bar of throughput.png */
};

/* dir/observed.csv read against the run's scenario; have false when there is none. */
struct tc_plot_obs {
    bool have;
    struct tc_obs o;
    enum tc_plot_obs_where *where; /* per point */
    uint32_t *idx;                 /* per point: the station or road */
    uint32_t n_stations, n_series;
};

/*
** Reads in->dir/observed.csv when it exists (0 and have false when not);
** a series no plot draws is a warning in diags. -EINVAL with the errors of
** a file that does not fit the scenario. Call tc_plot_obs_fini either way.
*/
int tc_plot_obs_load(struct tc_plot_obs *po, const struct tc_plot_run *in,
                     const struct tc_metrics *m, struct tc_diags *diags);
void tc_plot_obs_fini(struct tc_plot_obs *po);

/*
** The observed points of each picture into its data files and variables:
** nobs (0 without observations), obs (the file), per-panel counts nob1..
** (stations), nobt1 and obst (the total stock), nobr1.. (roads); the
** tops of the y axes raised to hold the points.
*/
void tc_plot_obs_stations(struct tc_plot_job *j, const struct tc_plot_run *in,
                          const struct tc_plot_obs *po, FILE *v, double *ymax, double *ytot);
void tc_plot_obs_road(struct tc_plot_job *j, const struct tc_plot_run *in,
                      const struct tc_plot_obs *po, FILE *v, uint32_t n_roads, double factor,
                      double *ymax);
void tc_plot_obs_throughput(struct tc_plot_job *j, const struct tc_plot_obs *po, FILE *v,
                            double *top_st);

/*
** Reads a fit's directory (fit.csv, and best/: the fitted run, its observed.csv,
** class_series.csv, holdout.csv) and adds fit.png (plot_fit.c); 0 or -errno.
*/
int tc_plot_prepare_fit(struct tc_plot_job *j, const char *dir, struct tc_diags *diags);

/* dir/scenario.yaml and a JSON object file, their errors copied into diags (plot_run_data.c). */
struct tc_scenario *tc_plot_load_scenario(const char *path, struct tc_diags *diags);
json_t *tc_plot_load_json(const char *path, struct tc_diags *diags);

#endif
