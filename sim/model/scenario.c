/*
** scenario: what a loaded scenario answers (its stations, classes and
** streams by name) and freeing it.
*/
#include "tcsim/scenario.h"

#include <stdlib.h>
#include <string.h>

#include "model/calendar.h"
#include "model/scenario_int.h"
#include "model/uncertain.h"

void tc_scenario_free(struct tc_scenario *sc)
{
    if (sc == NULL)
        return;
    tc_uncertain_free(sc);
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        struct tc_station *st = &sc->stations[i];

        free(st->name);
        if (st->service != NULL) {
            for (uint32_t c = 0; c < sc->n_classes; c++)
                tc_dist_fini(&st->service[c]);
            free(st->service);
        }
        tc_scenario_route_fini(&st->next, sc->n_classes);
        free(st->open);
        free(st->class_limit);
        tc_dist_fini(&st->failures.up);
        tc_dist_fini(&st->failures.down);
    }
    free(sc->stations);
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        free(sc->classes[c].name);
        tc_dist_fini(&sc->classes[c].patience);
    }
    free(sc->classes);
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        struct tc_source *so = &sc->sources[i];

        free(so->name);
        if (so->choose != NULL) {
            tc_scenario_route_fini(so->choose, sc->n_classes);
            free(so->choose);
        }
        tc_dist_fini(&so->interarrival);
        free(so->trace_path);
        free(so->trace_t);
        free(so->trace_class);
        free(so->booking.open);
        free(so->daily);
        tc_dist_fini(&so->booking.punctuality);
    }
    free(sc->sources);
    for (uint32_t i = 0; i < sc->n_pools; i++) {
        free(sc->pools[i].name);
        free(sc->pools[i].b.open);
        tc_dist_fini(&sc->pools[i].b.punctuality);
    }
    free(sc->pools);
    for (uint32_t k = 0; k < sc->n_sched; k++) {
        free(sc->sched[k].open);
        tc_scenario_route_fini(&sc->sched[k].next, sc->n_classes);
        free(sc->sched[k].sources);
    }
    free(sc->sched);
    free(sc->costs.currency);
    free(sc->costs.truck_hour);
    free(sc->costs.server_hour);
    free(sc->costs.spoiled);
    free(sc->costs.abandoned);
    free(sc->initial);
    for (uint32_t k = 0; k < sc->n_clearance; k++)
        free(sc->clearance[k].name);
    free(sc->clearance);
    free(sc->name);
    free(sc->path);
    free(sc);
}

uint32_t tc_scenario_station(const struct tc_scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->n_stations; i++)
        if (strcmp(sc->stations[i].name, name) == 0)
            return i;
    return TC_NONE;
}

uint32_t tc_scenario_class(const struct tc_scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->n_classes; i++)
        if (strcmp(sc->classes[i].name, name) == 0)
            return i;
    return TC_NONE;
}

uint32_t tc_scenario_source(const struct tc_scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->n_sources; i++)
        if (strcmp(sc->sources[i].name, name) == 0)
            return i;
    return TC_NONE;
}

uint32_t tc_scenario_pool(const struct tc_scenario *sc, const char *name)
{
    for (uint32_t i = 0; i < sc->n_pools; i++)
        if (strcmp(sc->pools[i].name, name) == 0)
            return i;
    return TC_NONE;
}

void tc_scenario_route_fini(struct tc_route *r, uint32_t n_classes)
{
    if (r == NULL)
        return;
    free(r->targets);
    free(r->p);
    free(r->allowed);
    if (r->table != NULL)
        gsl_ran_discrete_free(r->table);
    if (r->by_class != NULL) {
        for (uint32_t c = 0; c < n_classes; c++)
            tc_scenario_route_fini(&r->by_class[c], n_classes);
        free(r->by_class);
    }
    memset(r, 0, sizeof(*r));
}
