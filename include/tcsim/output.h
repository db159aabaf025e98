/*
** output: the files of a run (README.md) and the stdout table, from a finished
** tc_run. Every number goes through jsonw's C-locale formatter, so outputs
** are byte-identical for the same run whatever the locale or thread count.
** Each writer returns 0 or -errno (from the stream).
*/
#ifndef TCSIM_OUTPUT_H
#define TCSIM_OUTPUT_H

#include <stdio.h>

#include "tcsim/afile.h"
#include "tcsim/runner.h"

/* summary.json: one object, as README.md describes it. */
int tc_output_summary_json(const struct tc_run *run, FILE *f);
/* summary.csv: header scope,name,class,metric,mean,ci95,min,max; one row a metric. */
int tc_output_summary_csv(const struct tc_run *run, FILE *f);
/* timeseries.csv: rep,t,station,present,waiting,busy,blocked (+ road:<entry> rows). */
int tc_output_timeseries_csv(const struct tc_run *run, FILE *f);
/* The readable summary table printed by `tcsim run`. */
int tc_output_table(const struct tc_run *run, FILE *f);

/*
** The completion marker, written last: {"tcsim", "scenario", "seed",
** "replications", "files": [the other files of the set]}. It is removed
** before the first file of a new set is renamed, so it exists only beside
** a complete set.
*/
#define TC_OUTPUT_MARKER "complete.json"

/*
** Writes summary.json, summary.csv, timeseries.csv and scenario.yaml into
** dir as one atomic batch (afile), then complete.json. Returns 0 or
** -errno, *out_failed naming the path that failed.
*/
int tc_output_write_all(const struct tc_run *run, const char *dir, const char **out_failed);

/*
** The same batch plus up to 4 extra files (e.g. trucks.csv), committed
** together, with afile's hooks of opts (may be NULL; its marker is set).
*/
int tc_output_write_all_with(const struct tc_run *run, const char *dir,
                             const struct tc_afile_item *extra, size_t n_extra,
                             const struct tc_afile_opts *opts, const char **out_failed);

#endif
