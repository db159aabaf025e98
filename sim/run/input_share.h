/*
** input_share: how much of a metric's spread across replications the
** uncertain inputs explain (README.md, "Input uncertainty"): R² of the
** least-squares regression, with an intercept, of the metric's
** per-replication values on the values drawn for every input.
*/
#ifndef TCSIM_RUN_INPUT_SHARE_H
#define TCSIM_RUN_INPUT_SHARE_H

#include "tcsim/runner.h"

/*
** r2 and r2_adj (metrics.n each) for run: R² and the adjusted
** 1 - (1 - R²)(R - 1)/(R - p - 1) (p inputs, R replications), NaN where
** a replication has no value, the metric does not vary, or R <= p + 1.
** drawn (n_reps x n_uncertain) gets the draws. Only with n_uncertain > 0.
*/
void tc_input_share(const struct tc_run *run, double *r2, double *r2_adj, double *drawn);

#endif
