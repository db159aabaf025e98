/*
** study_run: runs a study (model/study.h) as `tcsim study` does, callable
** from any program: every option is loaded (validated) before any runs;
** then the options run one after another with the same seed and
** replications (common random numbers), each committed to DIR/<option>/ as
** a run writes it; options.csv and options.json come last
** (tc_study_commit). Each option is compared with the baseline replication
** by replication: diff is the mean of the paired differences, diff_ci95
** its Student-t half-width, p_holm the paired t test's p adjusted by Holm
** over all metrics of that option.
*/
#ifndef TCSIM_STUDY_RUN_H
#define TCSIM_STUDY_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "model/study.h"
#include "tcsim/compare.h"
#include "tcsim/output.h"
#include "tcsim/runner.h"

/* What a finished study holds; every option's run, its series dropped. */
struct tc_study_result {
    const struct tc_study *st;   /* borrowed */
    struct tc_scenario **sc;     /* n_options, owned */
    struct tc_run *runs;         /* n_options, owned */
    size_t n_done;               /* options run so far */
    struct tc_compare_paired *d; /* n_options x metrics.n, after tc_study_run */
    double *p_holm;              /* n_options x metrics.n; NaN for the baseline */
};

/*
** Loads every option (extra: -r, -s overrides), diagnostics into diags
** (an option's warnings only where the baseline does not give the same).
** Returns the number of options that failed, counting an option whose
** replications or seed differ from the baseline's (pairing needs both the
** same). *out_reps gets the replications of all options.
*/
size_t tc_study_check(const struct tc_study *st, const struct tc_override *extra, size_t n_extra,
                      struct tc_diags *diags, uint64_t *out_reps);

/*
** Runs every option, committing its outputs to dir/<option>/, then the
** paired comparisons. hooks: as a sweep's (begin/end get the option's
** index and name; run, e.g. over MPI ranks, gets the position j in the
** order the options run, tc_study_run_order: the baseline first). Returns 0 or an error as
** tc_sweep_run does (st->variant: the option).
*/
int tc_study_run(const struct tc_study *st, const struct tc_override *extra, size_t n_extra,
                 const char *dir, const struct tc_sweep_hooks *hooks, struct tc_study_result *res,
                 struct tc_sweep_status *status);
void tc_study_result_fini(struct tc_study_result *res);

/* options.csv: option,scope,name,class,metric,mean,ci95,diff,diff_ci95,p_holm. */
int tc_study_options_csv(const struct tc_study_result *res, FILE *f);
/* options.json: the same numbers, one object per option. */
int tc_study_options_json(const struct tc_study_result *res, FILE *f);
/* options.csv and options.json into dir, atomically. 0 or -errno. */
int tc_study_commit(const struct tc_study_result *res, const char *dir,
                    const struct tc_afile_opts *co, const char **out_failed);

/*
** The terminal table: headline metrics (per class p95 time in system,
** abandoned and spoiled fractions, throughput per day; in_station of the
** station busiest in the baseline), whichever the catalogue holds; the
** baseline's mean ± ci95, each option's difference ± ci95 and "*" where
** p_holm < 0.05.
*/
int tc_study_table(const struct tc_study_result *res, FILE *f);

#endif
