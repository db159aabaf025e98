/*
** scenario_offered: the offered load of the stations whose queue has no
** bound, for callers above the loader (the load screen of `tcsim
** optimize`). The traffic equations are the load warning's
** (scenario_capacity.c).
*/
#ifndef TCSIM_SCENARIO_OFFERED_H
#define TCSIM_SCENARIO_OFFERED_H

#include "tcsim/scenario.h"

/*
** Per station, lambda E[S] / c where the queue can grow without bound and
** nothing else limits it: unlimited capacity, when_full wait, finite
** servers, always open (failures and daily limits would only add to the
** load), and not a station a choice may pick (its share depends on the
** state at run time). NAN at every other station. A new array of n_stations (free()).
*/
double *tc_scenario_offered_load_new(const struct tc_scenario *sc);

/*
** The same at every station with finite servers that is always open,
** whatever bounds its queue: where it is >= 1 the station cannot keep up
** with what is sent to it (the sweep plots mark such variants). NAN at the
** others. A new array of n_stations (free()).
*/
double *tc_scenario_offered_load_any_new(const struct tc_scenario *sc);

#endif
