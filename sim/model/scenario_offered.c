/*
** scenario_offered: lambda E[S] / c from the load warning's traffic
** equations (tc_scenario_class_load), without the warning.
*/
#include "model/scenario_offered.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "base/xmem.h"
#include "model/scenario_int.h"

/* Flags in chosen[] every station a choice route r may pick. */
static void mark_choice(const struct tc_route *r, uint32_t n_classes, bool *chosen)
{
    if (r->kind == TC_ROUTE_CHOOSE)
        for (uint32_t k = 0; k < r->n; k++)
            chosen[r->targets[k]] = true;
    if (r->kind == TC_ROUTE_CLASS && r->by_class != NULL)
        for (uint32_t c = 0; c < n_classes; c++)
            mark_choice(&r->by_class[c], n_classes, chosen);
}

static double *offered(const struct tc_scenario *sc, bool bounded_too)
{
    uint32_t ns = sc->n_stations;
    double *load = tc_xcalloc((size_t)ns + 1, sizeof(double));
    double *flow = tc_xcalloc((size_t)ns + 1, sizeof(double));
    bool *src_cls = tc_scenario_source_classes(sc);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        tc_scenario_class_load(sc, c, src_cls, load, flow);
    /*
    ** The traffic equations split a choice's flow evenly, but at run time
    ** the rule moves trucks to whichever member copes (and diversion bounds
    ** the queues): a member's even share says nothing certain, so it is
    ** never screened.
    */
    bool *chosen = tc_xcalloc((size_t)ns + 1, sizeof(bool));
    for (uint32_t i = 0; i < sc->n_sources; i++)
        if (sc->sources[i].choose != NULL)
            mark_choice(sc->sources[i].choose, sc->n_classes, chosen);
    for (uint32_t s = 0; s < ns; s++)
        mark_choice(&sc->stations[s].next, sc->n_classes, chosen);
    for (uint32_t s = 0; s < ns; s++) {
        const struct tc_station *st = &sc->stations[s];
        bool unbounded = st->capacity == TC_UNLIMITED && !st->reject_when_full;
        bool defined = (unbounded || bounded_too) && st->servers != TC_UNLIMITED &&
                       st->n_open == 0 && !chosen[s];
        load[s] = defined ? load[s] / st->servers : (double)NAN;
    }
    free(chosen);
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
