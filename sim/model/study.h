/*
** study: a study file (README.md, Comparing options): a base scenario and
** named options, each a list of --set overrides, one of them the baseline.
** Loading checks the file with the scenario's YAML walker (located
** diagnostics, unknown keys with "did you mean", duplicate keys and option
** names); tc_study_load_option then loads one option's scenario, and a
** problem in one of its overrides is reported at that `set` item of the
** study file, naming the option.
*/
#ifndef TCSIM_STUDY_H
#define TCSIM_STUDY_H

#include <stddef.h>
#include <stdint.h>

#include "tcsim/diag.h"
#include "tcsim/scenario.h"

struct tc_study_option {
    char *name;              /* owned */
    struct tc_override *set; /* n_set, key and value owned */
    struct tc_pos *set_pos;  /* n_set: each item in the study file */
    size_t n_set;
};

struct tc_study {
    char *file;     /* the study file as given, owned; positions point to it */
    char *scenario; /* the base scenario's path, relative to the study file's directory, owned */
    char *replications, *seed; /* as written, or NULL: the scenario's; owned */
    struct tc_pos replications_pos, seed_pos;
    struct tc_study_option common;   /* the study's own set: (no name), before each option's */
    struct tc_study_option *options; /* n_options, owned */
    size_t n_options;
    size_t baseline; /* index into options */
};

/*
** Reads and checks the study file path. Returns 0, or -1 with the errors in
** diags (every problem of the file at once); *st is then empty. Free with
** tc_study_fini.
*/
int tc_study_load(const char *path, struct tc_study *st, struct tc_diags *diags);
void tc_study_fini(struct tc_study *st);

/*
** Loads option k's scenario: the base scenario with the study's set:, then
** the option's overrides,
** then the study's replications and seed, then extra (e.g. -r, -s of the
** command line; their errors keep the "--set:N" form, N counted within
** extra). Diagnostics go to diags, each under "option \"NAME\": "; an
** override's at its place in the study file. Returns the scenario or NULL.
*/
/* The option run j-th (0: the baseline, then the others in file order). */
size_t tc_study_run_order(const struct tc_study *st, size_t j);

/*
** Option k's overrides in the order tc_study_load_option applies them
** (the study's set:, the option's, replications, seed, extra) into out,
** which holds tc_study_max_overrides(st, n_extra); returns how many
** (borrowed strings). For handing an option to another process (MPI).
*/
size_t tc_study_overrides(const struct tc_study *st, size_t k, const struct tc_override *extra,
                          size_t n_extra, struct tc_override *out);
size_t tc_study_max_overrides(const struct tc_study *st, size_t n_extra);

struct tc_scenario *tc_study_load_option(const struct tc_study *st, size_t k,
                                         const struct tc_override *extra, size_t n_extra,
                                         struct tc_diags *diags);

#endif
