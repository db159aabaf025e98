/*
** fit_out: writes what tcsim fit found (fit.csv, fit.json, scenario.yaml;
** README.md, "Calibrating to observations") into a directory, all three
** or none.
*/
#ifndef TCSIM_OUTPUT_FIT_OUT_H
#define TCSIM_OUTPUT_FIT_OUT_H

#include <stddef.h>

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

#endif
