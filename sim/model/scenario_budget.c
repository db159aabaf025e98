/*
** scenario_budget: the work a replication will take, estimated at load so
** that a valid scenario that would run for days (servers failing every
** microsecond) is refused with its cause rather than started. It counts the
** events the engine must process whatever the trucks do (their own events
** have a limit of their own, TC_LIMIT_ARRIVALS): two per failure and
** repair of each server, two per opening window of each station each day,
** one per midnight with daily limits, one per sample and one per scheduled
** change.
*/
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "base/limits.h"
#include "model/scenario_int.h"
#include "tcsim/dist.h"
#include "tcsim/metrics.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/* The most servers station i will have (scheduled changes included). */
static double max_servers(const struct tc_scenario *sc, uint32_t i)
{
    uint32_t n = sc->stations[i].servers;
    for (uint32_t k = 0; k < sc->n_sched; k++)
        if (sc->sched[k].kind == TC_SCHED_SERVERS && sc->sched[k].station == i &&
            sc->sched[k].value != TC_UNLIMITED && sc->sched[k].value > n)
            n = sc->sched[k].value;
    return n;
}

/* Failure and repair events of station i in a replication (0 without failures). */
static double failure_events(const struct tc_scenario *sc, uint32_t i)
{
    const struct tc_station *s = &sc->stations[i];
    if (!s->failures.on || s->servers == TC_UNLIMITED)
        return 0.0;
    double cycle = tc_dist_mean(&s->failures.up) + tc_dist_mean(&s->failures.down);
    return cycle > 0.0 ? 2.0 * max_servers(sc, i) * sc->horizon / cycle : (double)INFINITY;
}

/* Reports the bigger part of an estimate over the limit, at its node. */
static void report(struct tc_scenario_load *L, double total, uint32_t i_fail, double fail,
                   uint32_t i_open, double open)
{
    const struct tc_scenario *sc = L->sc;
    int stations = tc_sl_get(L, L->root, "stations");
    bool failures = fail >= open;
    const struct tc_station *s = &sc->stations[failures ? i_fail : i_open];
    const char *key = failures ? "failures" : "open";
    char a[64], b[64], h[64];
    size_t m = tc_sl_push(L, "stations");
    tc_sl_push(L, s->name);
    tc_sl_fmt_t(L, sc->horizon, h, sizeof(h));
    int at = tc_sl_get(L, tc_sl_get(L, stations, s->name), key);
    if (failures)
        tc_ynode_error(&L->y, at, key,
                       "about %.2g events per replication besides the trucks', %.2g of them "
                       "failures and repairs here: mtbf %s and mttr %s for %.0f servers over %s "
                       "(2 x servers x horizon / (mtbf + mttr)), more than %.0e "
                       "(TC_LIMIT_REP_EVENTS in tcsim/limits.h: a run within it takes minutes): "
                       "lengthen mtbf and mttr, or shorten the horizon",
                       total, fail, tc_sl_fmt_t(L, tc_dist_mean(&s->failures.up), a, sizeof(a)),
                       tc_sl_fmt_t(L, tc_dist_mean(&s->failures.down), b, sizeof(b)),
                       max_servers(sc, i_fail), h, TC_LIMIT_REP_EVENTS);
    else
        tc_ynode_error(&L->y, at, key,
                       "about %.2g events per replication besides the trucks', %.2g of them "
                       "openings and closings here: %" PRIu32 " windows a day over %s, more than "
                       "%.0e (TC_LIMIT_REP_EVENTS in tcsim/limits.h: a run within it takes "
                       "minutes): shorten the horizon",
                       total, open, s->n_open, h, TC_LIMIT_REP_EVENTS);
    tc_sl_pop(L, m);
}

void tc_scenario_check_events(struct tc_scenario_load *L, double arrivals)
{
    const struct tc_scenario *sc = L->sc;
    if (!(arrivals <= TC_LIMIT_ARRIVALS))
        return; /* said already, by TC_LIMIT_ARRIVALS */
    double days = sc->horizon / tc_units_day(sc->time_unit);
    /* the trucks' own events have their limit, TC_LIMIT_ARRIVALS: this one is for the rest */
    double total = (double)tc_metrics_n_samples(sc) + (double)sc->n_sched;
    double fail = -1.0, open = -1.0;
    uint32_t i_fail = 0, i_open = 0;
    bool daily = false;
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        double f = failure_events(sc, i), o = 2.0 * sc->stations[i].n_open * ceil(days);
        total += f + o;
        daily |= sc->stations[i].daily_limit != TC_UNLIMITED;
        if (f > fail) {
            fail = f;
            i_fail = i;
        }
        if (o > open) {
            open = o;
            i_open = i;
        }
    }
    if (daily)
        total += ceil(days);
    if (!(total <= TC_LIMIT_REP_EVENTS))
        report(L, total, i_fail, fail, i_open, open);
}
