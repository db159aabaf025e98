/*
** scenario_graph: the graph of the stations' routes, shared by the cycle
** rule (scenario_check.c) and the load warning (scenario_capacity.c):
** which classes each stream brings, and which stations a class reaches.
*/
#include <string.h>

#include "base/xmem.h"
#include "model/scenario_int.h"

/* Which classes each source brings: class_id, or the classes in its trace's rows. */
bool *tc_scenario_source_classes(const struct tc_scenario *sc)
{
    bool *has = tc_xcalloc((size_t)sc->n_sources * sc->n_classes + 1, sizeof(bool));

    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const struct tc_source *so = &sc->sources[i];

        if (so->class_id < sc->n_classes)
            has[(size_t)i * sc->n_classes + so->class_id] = true;
        else if (so->trace_class != NULL)
            for (size_t r = 0; r < so->n_trace; r++)
                if (so->trace_class[r] < sc->n_classes)
                    has[(size_t)i * sc->n_classes + so->trace_class[r]] = true;
    }
    return has;
}

/* Stations reachable by class c from its entries (reach[], sized n_stations). */
void tc_scenario_reach_class(const struct tc_scenario_routes *rs, const bool *src_cls, uint32_t c,
                             bool *reach, uint32_t *stack, uint32_t *succ)
{
    const struct tc_scenario *sc = rs->sc;
    uint32_t top = 0;

    memset(reach, 0, sc->n_stations * sizeof(bool));
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const struct tc_source *so = &sc->sources[i];
        uint32_t n_to;
        const uint32_t *to = tc_source_entries(so, &n_to);

        if (!src_cls[(size_t)i * sc->n_classes + c])
            continue;
        for (uint32_t k = 0; k < n_to; k++)
            if (to[k] < sc->n_stations && !reach[to[k]] &&
                (so->choose == NULL || tc_scenario_choice_allows(so->choose, c, k))) {
                reach[to[k]] = true;
                stack[top++] = to[k];
            }
    }
    while (top > 0) {
        uint32_t s = stack[--top];
        uint32_t n = tc_scenario_successors(tc_scenario_route_of(rs, s, c), c, succ);

        for (uint32_t k = 0; k < n; k++) {
            if (succ[k] < sc->n_stations && !reach[succ[k]]) {
                reach[succ[k]] = true;
                stack[top++] = succ[k];
            }
        }
    }
}
