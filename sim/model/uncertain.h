/*
** uncertain: values written {uncertain: DIST} (scenarios/README.md, "Input
** uncertainty"), collected at load and drawn once per replication.
*/
#ifndef TCSIM_MODEL_UNCERTAIN_H
#define TCSIM_MODEL_UNCERTAIN_H

#include <stddef.h>

#include "model/ynode.h"
#include "tcsim/scenario.h"

/*
** Walks the document from root (the run's own top-level keys excluded:
** name, time_unit, horizon, warmup, sample_every, ...) and
** replaces every {uncertain: DIST[, unit: U]} by the scalar of DIST's
** mean (and U), recording each in sc->uncertain with its --set path.
** Errors in DIST go through y.
*/
void tc_uncertain_collect(struct tc_ynode *y, struct tc_scenario *sc, int root);

/* Keeps a copy of what the scenario was loaded from, for tc_scenario_draw. */
void tc_uncertain_keep_source(struct tc_scenario *sc, const char *text, size_t len,
                              const char *base_dir, const struct tc_override *ovr, size_t n_ovr);

/* Frees what the two above put in sc. */
void tc_uncertain_free(struct tc_scenario *sc);

#endif
