/*
** cli_fit: what cli_fit.c hands cli_fit_best.c, the run of the fitted
** scenario into DIR/best/.
*/
#ifndef TCSIM_CLI_FIT_H
#define TCSIM_CLI_FIT_H

#include <stdint.h>

#include "run/observed.h"
#include "tcsim/engine.h"
#include "tcsim/scenario.h"

struct tc_cli_fit_best {
    const char *outdir;               /* the fit's directory: best/ goes inside */
    const struct tc_scenario *fitted; /* with the fitted values */
    const struct tc_obs *obs;         /* read against the scenario */
    const char *obs_path;             /* copied as best/observed.csv */
    const char *holdout;              /* as given, or NULL */
    double holdout_from, holdout_to;  /* in time_unit */
    uint32_t n_threads;
    const struct tc_stop *stop;
};

/*
** Runs the fitted scenario (same seed and replications as the fit) and
** commits best/: the run's files, observed.csv, class_series.csv when the
** observations read per-class series, holdout.csv with a holdout. The
** exit code (said on stderr).
*/
int tc_cli_fit_best(const struct tc_cli_fit_best *in);

#endif
