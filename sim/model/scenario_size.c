/*
** scenario_size: what a run will hold, checked before it starts against
** the limits of tcsim/limits.h: the trucks it will simulate, and the
** results and time series kept in memory for every replication.
*/
#include <math.h>
#include <stdlib.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/scenario_int.h"
#include "tcsim/metrics.h"
#include "tcsim/scenario.h"

/* Trucks one source brings in a replication, on average (rate_factor events at their most). */
static double expected_arrivals(const struct tc_scenario *sc, uint32_t i)
{
    const struct tc_source *so = &sc->sources[i];
    double end = so->t_end < sc->horizon ? so->t_end : sc->horizon;
    double window = end > so->t_start ? end - so->t_start : 0.0;
    double n = 0.0, f = 1.0;

    if (so->kind == TC_SRC_TRACE)
        return (double)so->n_trace;
    if (so->kind == TC_SRC_RATE) {
        n = so->rate_per_t * window;
        if (so->has_hourly) {
            double h = 0.0;

            for (int k = 0; k < 24; k++)
                h += so->hourly[k];
            n *= h / 24.0;
        }
        if (so->daily != NULL) {
            double d = 0.0;

            for (uint32_t k = 0; k < so->n_daily; k++)
                d += so->daily[k];
            n *= d / so->n_daily;
        }
    } else {
        double mean = tc_dist_mean(&so->interarrival);

        n = mean > 0.0 ? window / mean : (double)INFINITY;
    }
    for (uint32_t k = 0; k < sc->n_sched; k++) {
        const struct tc_sched *x = &sc->sched[k];

        if (x->kind != TC_SCHED_RATE_FACTOR || !(x->factor > f))
            continue;
        for (uint32_t j = 0; j < x->n_sources; j++)
            if (x->sources[j] == i)
                f = x->factor;
    }
    return n * so->batch * f;
}

/*
** What the run will hold, checked before it starts: the trucks it will
** simulate, and the results and time series kept in memory for every
** replication (runner.c allocates both up front), counted by metrics.c;
** a road is the queue in front of an entry station.
*/
void tc_scenario_check_size(struct tc_scenario_load *L)
{
    const struct tc_scenario *sc = L->sc;
    double total = 0.0, most = -1.0;
    uint32_t i_most = 0, n_roads = 0;
    bool *entry = tc_xcalloc(sc->n_stations + 1, sizeof(bool));
    int rn = tc_ynode_get(&L->y, L->root, "replications");
    int at = rn != 0 ? rn : L->root;
    size_t reps = sc->replications, samples, rows, metrics;
    char num[32];

    for (uint32_t i = 0; i < sc->n_sources; i++) {
        double n = expected_arrivals(sc, i);

        total += n;
        if (n > most) {
            most = n;
            i_most = i;
        }
        uint32_t n_to;
        const uint32_t *to = tc_source_entries(&sc->sources[i], &n_to);

        for (uint32_t k = 0; k < n_to; k++)
            if (to[k] < sc->n_stations && !entry[to[k]]) {
                entry[to[k]] = true;
                n_roads++;
            }
    }
    free(entry);
    if (!(total <= TC_LIMIT_ARRIVALS)) {
        size_t m = tc_ynode_path_key(&L->y.path, "arrivals");

        tc_ynode_path_index(&L->y.path, i_most);
        snprintf(num, sizeof(num), "%.3g", most);
        tc_ynode_error(&L->y, L->source_node[i_most], NULL,
                       "about %.3g trucks would arrive in each replication (this stream: %s), "
                       "more than %.0f (TC_LIMIT_ARRIVALS in tcsim/limits.h): check rate, batch "
                       "and horizon",
                       total, num, TC_LIMIT_ARRIVALS);
        tc_ynode_path_pop(&L->y.path, m);
    }
    tc_scenario_check_events(L, total);
    samples = tc_metrics_n_samples(sc);
    rows = reps * samples * (sc->n_stations + n_roads);
    if (rows > TC_LIMIT_SERIES_ROWS)
        tc_ynode_error(&L->y, at, rn != 0 ? "replications" : NULL,
                       "timeseries.csv would have %zu rows (%zu replications x %zu samples x "
                       "%" PRIu32 " stations and roads), more than %u (TC_LIMIT_SERIES_ROWS in "
                       "tcsim/limits.h): raise sample_every or lower replications",
                       rows, reps, samples, sc->n_stations + n_roads, TC_LIMIT_SERIES_ROWS);
    metrics = tc_metrics_count(sc->n_stations, sc->n_classes, n_roads) +
              (size_t)sc->n_pools * TC_PM__COUNT + /* the booking pools' block */
              (size_t)sc->n_clearance * TC_CLM__COUNT;
    if (reps * metrics > TC_LIMIT_RESULTS)
        tc_ynode_error(&L->y, at, rn != 0 ? "replications" : NULL,
                       "the run would keep %zu results in memory (%zu replications x %zu "
                       "metrics), more than %u (TC_LIMIT_RESULTS in tcsim/limits.h): lower "
                       "replications",
                       reps * metrics, reps, metrics, TC_LIMIT_RESULTS);
}
