/*
** plot_fit: the fit picture (plot_fit.c) and what it reads from a fit's
** directory (plot_fit_data.c).
*/
#ifndef TCSIM_PLOT_FIT_H
#define TCSIM_PLOT_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plot/plot_int.h"

/* fit.csv's columns: time, metric, observed, simulated, ci95, residual, in_holdout */
#define TC_PLOT_FIT_COLS 7

struct tc_plot_fit_row {
    char *cell[TC_PLOT_FIT_COLS]; /* as written; an empty cell "NaN" */
    bool holdout;
};

struct tc_plot_fit_rows {
    struct tc_plot_fit_row *v;
    size_t n;
};

/* dir/fit.csv, one row per observation (n_obs of them); 0 or -errno with a diagnostic. */
int tc_plot_fit_read_rows(const char *dir, size_t n_obs, struct tc_plot_fit_rows *out,
                          struct tc_diags *diags);
void tc_plot_fit_rows_fini(struct tc_plot_fit_rows *r);

/* best/holdout.csv when there is one (else *has false): its bounds in time_unit. */
int tc_plot_fit_read_holdout(const char *best, bool *has, double *from, double *to,
                             struct tc_diags *diags);

/* Every replication's samples, laid out as struct tc_obs_rep reads them. */
struct tc_plot_fit_samples {
    uint32_t n_reps, n_samples, n_series;
    double sample_every;
    double *series;  /* n_reps x n_samples x n_series x TC_TS__COUNT; NaN where absent */
    double *classes; /* n_reps x n_samples x (n_stations + 1) x (n_classes + 1), or NULL */
};

/* best/timeseries.csv and, with classes, best/class_series.csv; 0 or -errno / -EINVAL. */
int tc_plot_fit_read_samples(const char *best, const struct tc_scenario *sc, uint32_t n_reps,
                             bool classes, struct tc_plot_fit_samples *s, struct tc_diags *diags);
void tc_plot_fit_samples_fini(struct tc_plot_fit_samples *s);

#endif
