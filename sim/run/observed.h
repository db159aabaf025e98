/*
** observed: a CSV of observations, time,metric,value[,weight], read against
** a scenario (README.md, "Calibrating to observations"), and the simulated
** value of each observation from one replication's time series.
*/
#ifndef TCSIM_RUN_OBSERVED_H
#define TCSIM_RUN_OBSERVED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcsim/diag.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/*
** One series of a sum: row of the time series (stations, then roads) and
** field; or, in the class series (class_series set), station row and
** column (a class, or n_classes for the departures so far).
*/
struct tc_obs_term {
    uint32_t row, field;
    bool class_series;
};

/* What a point observes. */
enum tc_obs_kind {
    TC_OBS_AT,         /* the level at its time, interpolated between samples */
    TC_OBS_DAILY_MEAN, /* the mean of the samples of its day (ST.present.daily_mean) */
    TC_OBS_PER_DAY     /* the departures in its day (ST.departures_per_day) */
};

struct tc_obs_point {
    double t;      /* in time_unit since t = 0 */
    char *time;    /* as written */
    char *metric;  /* as written */
    double value;  /* observed */
    double weight; /* >= 0, default 1 */
    size_t term0, n_terms;
    enum tc_obs_kind kind;
    uint32_t day; /* DAILY_MEAN, PER_DAY: [day, day + 1) days after t = 0 */
    uint32_t line;
};

struct tc_obs {
    struct tc_obs_point *v;
    size_t n;
    struct tc_obs_term *terms;
    size_t n_terms;
    bool needs_class_series; /* a term reads tc_engine_set_class_series */
};

/* One replication's samples as tc_obs_value reads them. */
struct tc_obs_rep {
    double sample_every;
    enum tc_time_unit time_unit; /* the length of a day */
    uint32_t n_samples, n_series, n_stations, n_classes;
    const double *series;       /* n_samples x n_series x TC_TS__COUNT */
    const double *class_series; /* n_samples x (n_stations + 1) x (n_classes + 1), or NULL */
};

/*
** Reads path against sc: every problem a located diagnostic
** (path:line:col). 0, or -1 with the errors in d (o is then empty).
*/
int tc_obs_load(struct tc_obs *o, const char *path, const struct tc_scenario *sc,
                struct tc_diags *d);
void tc_obs_fini(struct tc_obs *o);

/*
** The value of point i in one replication's samples (at t = k *
** sample_every): the sum of its terms. AT: each linearly interpolated
** between the samples on either side of t (the last sample beyond it).
** DAILY_MEAN: each the mean of the samples in [day, day + 1). PER_DAY:
** the departures so far at the day's end less those at its start (both
** sample times: tc_obs_load checks that a day is a whole number of
** samples).
*/
double tc_obs_value(const struct tc_obs *o, size_t i, const struct tc_obs_rep *rep);

/*
** Point i's metric as if observed at t (in time_unit) instead: AT the
** level at t, DAILY_MEAN and PER_DAY those of the day that holds t. The
** simulated curve between the observations (the fit picture), by the
** very code that gives the fit its values.
*/
double tc_obs_value_at(const struct tc_obs *o, size_t i, double t, const struct tc_obs_rep *rep);

#endif
