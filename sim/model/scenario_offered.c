/*
** scenario_offered: lambda E[S] / c from the load warning's traffic
** equations (tc_scenario_class_load), without the warning.
*/
#include "model/scenario_offered.h"

#include <math.h>
#include <stdlib.h>

#include "base/xmem.h"
#include "model/scenario_int.h"

static double *offered(const struct tc_scenario *sc, bool bounded_too)
{
    uint32_t ns = sc->n_stations;
    double *load = tc_xcalloc((size_t)ns + 1, sizeof(double));
    double *flow = tc_xcalloc((size_t)ns + 1, sizeof(double));
    bool *src_cls = tc_scenario_source_classes(sc);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        tc_scenario_class_load(sc, c, src_cls, load, flow);
    for (uint32_t s = 0; s < ns; s++) {
        const struct tc_station *st = &sc->stations[s];
        bool unbounded = st->capacity == TC_UNLIMITED && !st->reject_when_full;
        bool defined = (unbounded || bounded_too) && st->servers != TC_UNLIMITED && st->n_open == 0;
        load[s] = defined ? load[s] / st->servers : (double)NAN;
    }
    free(flow);
    free(src_cls);
    return load;
}

double *tc_scenario_offered_load_new(const struct tc_scenario *sc)
{
    return offered(sc, false);
}

double *tc_scenario_offered_load_any_new(const struct tc_scenario *sc)
{
    return offered(sc, true);
}
