/*
** fit_out: writes what tcsim fit found (fit.csv, fit.json, scenario.yaml;
** README.md, "Calibrating to observations") into a directory, all three
** or none.
*/
#ifndef TCSIM_OUTPUT_FIT_OUT_H
#define TCSIM_OUTPUT_FIT_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "run/fit.h"
#include "run/observed.h"
#include "tcsim/afile.h"
#include "tcsim/scenario.h"

struct tc_fit_out {
    const struct tc_obs *obs;
    const struct tc_fit_param *params;
    size_t n_params;
    const struct tc_fit_result *res;
    const struct tc_scenario *fitted; /* the scenario with the fitted values */
};

/* Commits the three files into outdir (tc_afile_commit_opts). 0 or -errno, *failed the file. */
int tc_fit_commit(const char *outdir, const struct tc_fit_out *out, const struct tc_afile_opts *co,
                  const char **failed);

/*
** What best/ holds beside a run's files (README.md, "Calibrating to
** observations"): the per-class series the observations read
** (class_series.csv: rep,t,station, one column per class, departures; the
** network row has no departures) and the holdout (holdout.csv: as given
** and in time_unit), so that tcsim plot draws the simulated curve and the
** held-out period from files alone.
*/
struct tc_fit_best {
    const struct tc_scenario *sc;
    uint32_t n_reps, n_samples;
    const double *cls;   /* n_reps x n_samples x (n_stations + 1) x (n_classes + 1), or NULL */
    const char *holdout; /* "FROM:TO" as given, or NULL */
    double holdout_from, holdout_to;
};

/* afile writers of the two files (ud: a struct tc_fit_best). */
int tc_fit_class_series_write(void *ud, FILE *f);
int tc_fit_holdout_write(void *ud, FILE *f);

#endif
