/*
** observed: a CSV of observations, time,metric,value[,weight], read against
** a scenario (README.md, "Calibrating to observations"), and the simulated
** value of each observation from one replication's time series.
*/
#ifndef TCSIM_RUN_OBSERVED_H
#define TCSIM_RUN_OBSERVED_H

#include <stddef.h>
#include <stdint.h>

#include "tcsim/diag.h"
#include "tcsim/scenario.h"

/* One series of a sum: row of the time series (stations, then roads) and field. */
struct tc_obs_term {
    uint32_t row, field;
};

struct tc_obs_point {
    double t;      /* in time_unit since t = 0 */
    char *time;    /* as written */
    char *metric;  /* as written */
    double value;  /* observed */
    double weight; /* >= 0, default 1 */
    size_t term0, n_terms;
    uint32_t line;
};

struct tc_obs {
    struct tc_obs_point *v;
    size_t n;
    struct tc_obs_term *terms;
    size_t n_terms;
};

/*
** Reads path against sc: every problem a located diagnostic
** (path:line:col). 0, or -1 with the errors in d (o is then empty).
*/
int tc_obs_load(struct tc_obs *o, const char *path, const struct tc_scenario *sc,
                struct tc_diags *d);
void tc_obs_fini(struct tc_obs *o);

/*
** The value of point i in one replication's series (n_samples x n_series x
** TC_TS__COUNT doubles at t = k * sample_every): the sum of its terms,
** each linearly interpolated between the samples on either side of t (the
** last sample beyond it).
*/
double tc_obs_value(const struct tc_obs *o, size_t i, double sample_every, uint32_t n_samples,
                    uint32_t n_series, const double *series);

#endif
