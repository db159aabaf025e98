/*
** scenario_capacity: the load warning (scenarios/README.md). The traffic
** equations lambda = gamma + P^T lambda per class, solved with GSL's LU
** decomposition on the stations the class can reach (where I - P^T is
** non-singular because exit is reachable from all of them), with gamma the
** mean external rate of each source (rate x mean hourly x mean daily x
** batch; batch / mean interarrival; trace rows / (last - first time)); a
** choice's flow is shared by its members' capacity (choice_share). A
** station's load is sum_c lambda_c E[S_c] over c x (fraction of the day
** open) x (fraction of the time up, with failures); a daily limit below the
** trucks arriving a day warns too. Scheduled events are not counted (a
** closure builds queues on purpose). The warning needs a queue that can
** grow without bound: the station, or any station upstream of it that
** blocking spills back into, has unlimited capacity or is an entry where
** outside trucks wait on the road.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "base/xmem.h"
#include "model/scenario_int.h"
#include "tcsim/scenario.h"

/* The most stations one class may reach for the load check (32 MB of matrix). */
#define LOAD_MAX_STATIONS 2000

static double mean_of(const double *v, uint32_t n)
{
    double s = 0.0;

    for (uint32_t i = 0; i < n; i++)
        s += v[i];
    return n ? s / n : 0.0;
}

/* Mean external arrival rate of source i for class c, in trucks per time_unit. */
static double source_rate(const struct tc_scenario *sc, uint32_t i, uint32_t c)
{
    const struct tc_source *so = &sc->sources[i];
    double r = 0.0;

    switch (so->kind) {
    case TC_SRC_RATE:
        if (so->class_id != c)
            return 0.0;
        r = so->rate_per_t;
        if (so->has_hourly)
            r *= mean_of(so->hourly, 24);
        if (so->n_daily)
            r *= mean_of(so->daily, so->n_daily);
        return r * so->batch;
    case TC_SRC_INTERARRIVAL:
        if (so->class_id != c)
            return 0.0;
        return so->batch / tc_dist_mean(&so->interarrival);
    case TC_SRC_TRACE: {
        size_t rows = 0;
        double span;

        if (so->n_trace < 2)
            return 0.0;
        span = so->trace_t[so->n_trace - 1] - so->trace_t[0];
        if (!(span > 0.0))
            return 0.0;
        if (so->trace_class == NULL)
            rows = so->class_id == c ? so->n_trace : 0;
        else
            for (size_t k = 0; k < so->n_trace; k++)
                rows += so->trace_class[k] == c;
        return (double)rows / span;
    }
    }
    return 0.0;
}

/* Adds lambda_c(s) * E[S_c(s)] to load[s] and lambda_c(s) to flow[s] for every station s class c
   reaches. */
/*
** The share of class c's flow into choice r that goes to member k. The
** rules send trucks where the queue is shorter, so under the heavy load the
** warning is about every member ends up equally loaded: shares in
** proportion to the members' service capacity (servers / mean service of
** the class), which warns exactly when the members together cannot keep
** up. An even split when a member has unlimited servers or no service time
** (no capacity to weigh).
*/
static double choice_share(const struct tc_scenario *sc, const struct tc_route *r, uint32_t c,
                           uint32_t k)
{
    double w_k = 0.0, sum = 0.0;
    uint32_t n = 0;
    bool even = false;

    if (!tc_scenario_choice_allows(r, c, k))
        return 0.0;
    for (uint32_t j = 0; j < r->n; j++) {
        const struct tc_station *st = &sc->stations[r->targets[j]];
        double mean = tc_dist_mean(&st->service[c]), w;

        if (!tc_scenario_choice_allows(r, c, j))
            continue;
        n++;
        if (st->servers == TC_UNLIMITED || !(mean > 0.0)) {
            even = true;
            continue;
        }
        w = st->servers / mean;
        sum += w;
        if (j == k)
            w_k = w;
    }
    return even || !(sum > 0.0) ? 1.0 / n : w_k / sum;
}

/*
** Adds source so's rate r of class c to its entry station's inflow g, or
** shares it among the members of its choice (choice_share). Returns
** whether any went to a reached station.
*/
static bool add_entry_rate(const struct tc_scenario *sc, const struct tc_source *so, uint32_t c,
                           double r, const uint32_t *pos, gsl_vector *g)
{
    uint32_t n_to;
    const uint32_t *to = tc_source_entries(so, &n_to);
    bool any = false;

    for (uint32_t k = 0; k < n_to; k++) {
        double share = so->choose != NULL ? choice_share(sc, so->choose, c, k) : 1.0;

        if (to[k] >= sc->n_stations || pos[to[k]] == UINT32_MAX || !(share > 0.0))
            continue;
        *gsl_vector_ptr(g, pos[to[k]]) += r * share;
        any = true;
    }
    return any;
}

void tc_scenario_class_load(const struct tc_scenario *sc, uint32_t c, const bool *src_cls,
                            double *load, double *flow)
{
    uint32_t ns = sc->n_stations;
    struct tc_scenario_routes rs = {sc, NULL};
    bool *reach = tc_xmalloc((ns + 1) * sizeof(bool));
    uint32_t *stack = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    uint32_t *succ = tc_xmalloc((ns + 2) * sizeof(uint32_t));
    uint32_t *pos = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    uint32_t n = 0;
    gsl_matrix *a = NULL;
    gsl_vector *g = NULL, *x = NULL;
    gsl_permutation *perm = NULL;
    int signum;
    bool any = false;

    tc_scenario_reach_class(&rs, src_cls, c, reach, stack, succ);
    for (uint32_t s = 0; s < ns; s++)
        pos[s] = reach[s] ? n++ : UINT32_MAX;
    /* A dense LU needs n^2 doubles: beyond LOAD_MAX_STATIONS the warning is skipped. */
    if (n == 0 || n > LOAD_MAX_STATIONS)
        goto out;
    a = gsl_matrix_alloc(n, n);
    g = gsl_vector_calloc(n);
    x = gsl_vector_alloc(n);
    perm = gsl_permutation_alloc(n);
    gsl_matrix_set_identity(a);
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        double r = source_rate(sc, i, c);

        if (r > 0.0)
            any |= add_entry_rate(sc, &sc->sources[i], c, r, pos, g);
    }
    if (!any)
        goto out;
    /* (I - P^T) lambda = gamma: the flow into j is gamma_j + sum_i lambda_i P_ij. */
    for (uint32_t s = 0; s < ns; s++) {
        const struct tc_route *r;

        if (pos[s] == UINT32_MAX)
            continue;
        r = tc_scenario_class_route(&sc->stations[s].next, c);
        if (r->kind == TC_ROUTE_CHOOSE) {
            for (uint32_t k = 0; k < r->n; k++)
                if (tc_scenario_choice_allows(r, c, k) && pos[r->targets[k]] != UINT32_MAX)
                    *gsl_matrix_ptr(a, pos[r->targets[k]], pos[s]) -= choice_share(sc, r, c, k);
        } else if (r->kind == TC_ROUTE_FIXED) {
            if (r->to < ns && pos[r->to] != UINT32_MAX)
                *gsl_matrix_ptr(a, pos[r->to], pos[s]) -= 1.0;
        } else if (r->kind == TC_ROUTE_PROB) {
            for (uint32_t k = 0; k < r->n; k++)
                if (r->targets[k] < ns && pos[r->targets[k]] != UINT32_MAX)
                    *gsl_matrix_ptr(a, pos[r->targets[k]], pos[s]) -= r->p[k];
        }
    }
    gsl_linalg_LU_decomp(a, perm, &signum);
    /* Guard the solve: GSL's handler aborts on a singular matrix. */
    for (uint32_t k = 0; k < n; k++)
        if (!(fabs(gsl_matrix_get(a, k, k)) > 1e-12))
            goto out;
    gsl_linalg_LU_solve(a, perm, g, x);
    for (uint32_t s = 0; s < ns; s++)
        if (pos[s] != UINT32_MAX) {
            load[s] += gsl_vector_get(x, pos[s]) * tc_dist_mean(&sc->stations[s].service[c]);
            flow[s] += gsl_vector_get(x, pos[s]);
        }
out:
    if (perm)
        gsl_permutation_free(perm);
    if (x)
        gsl_vector_free(x);
    if (g)
        gsl_vector_free(g);
    if (a)
        gsl_matrix_free(a);
    free(reach);
    free(stack);
    free(succ);
    free(pos);
}

/*
** Stations whose queues can grow without bound: those with an absorber (a
** station of unlimited capacity, or an entry where outside trucks wait on
** the road) in their upstream closure, i.e. those reachable from an
** absorber along any class's routes. One forward search, O(V + E).
*/
static bool *growable(const struct tc_scenario *sc, const bool *is_entry_wait)
{
    uint32_t ns = sc->n_stations;
    bool *grow = tc_xcalloc((size_t)ns + 1, sizeof(bool));
    uint32_t *stack = tc_xmalloc(((size_t)ns + 1) * sizeof(uint32_t));
    uint32_t *succ = tc_xmalloc(((size_t)ns + 2) * sizeof(uint32_t));
    uint32_t top = 0;

    for (uint32_t s = 0; s < ns; s++)
        if (sc->stations[s].capacity == TC_UNLIMITED || is_entry_wait[s]) {
            grow[s] = true;
            stack[top++] = s;
        }
    while (top > 0) {
        uint32_t s = stack[--top];

        for (uint32_t c = 0; c < sc->n_classes; c++) {
            uint32_t n =
                tc_scenario_successors(tc_scenario_class_route(&sc->stations[s].next, c), c, succ);

            for (uint32_t k = 0; k < n; k++)
                if (succ[k] < ns && !grow[succ[k]]) {
                    grow[succ[k]] = true;
                    stack[top++] = succ[k];
                }
        }
    }
    free(stack);
    free(succ);
    return grow;
}

/* The fraction of a day inside the opening windows (their union; 1 without windows). */
static double open_fraction(const struct tc_station *st)
{
    if (st->n_open == 0)
        return 1.0;
    /* windows crossing midnight split in two; then the union of sorted intervals */
    double iv[2 * 2 * TC_YN_MAX_WINDOWS];
    if (st->n_open > TC_YN_MAX_WINDOWS)
        return 1.0; /* the loader refuses more */
    uint32_t n = 0;
    for (uint32_t w = 0; w < st->n_open; w++) {
        double a = st->open[w].open_min, b = st->open[w].close_min;
        if (b > a) {
            iv[2 * n] = a, iv[2 * n + 1] = b, n++;
        } else {
            iv[2 * n] = a, iv[2 * n + 1] = TC_MIN_PER_DAY, n++;
            iv[2 * n] = 0.0, iv[2 * n + 1] = b, n++;
        }
    }
    for (uint32_t i = 1; i < n; i++) /* insertion sort by start: at most 64 intervals */
        for (uint32_t j = i; j > 0 && iv[2 * j] < iv[2 * (j - 1)]; j--) {
            double a = iv[2 * j], b = iv[2 * j + 1];
            iv[2 * j] = iv[2 * (j - 1)], iv[2 * j + 1] = iv[2 * (j - 1) + 1];
            iv[2 * (j - 1)] = a, iv[2 * (j - 1) + 1] = b;
        }
    double open = 0.0, end = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        double a = iv[2 * i] > end ? iv[2 * i] : end, b = iv[2 * i + 1];
        if (b > a)
            open += b - a;
        if (b > end)
            end = b;
    }
    return open / TC_MIN_PER_DAY;
}

/*
** The warning that a station cannot keep up, on the base configuration (the
** scheduled events are left out: a closure is meant to build queues). The
** servers count for the hours they are open and the time they are up
** (mean up / (mean up + mean down)); a daily limit caps what can pass a day.
*/
void tc_scenario_check_load(struct tc_scenario_load *L, const bool *src_cls)
{
    const struct tc_scenario *sc = L->sc;
    uint32_t ns = sc->n_stations;
    double *load = tc_xcalloc(ns + 1, sizeof(double));
    double *flow = tc_xcalloc(ns + 1, sizeof(double));
    bool *entry_wait = tc_xcalloc(ns + 1, sizeof(bool));
    bool *grow;

    for (uint32_t i = 0; i < sc->n_sources; i++) {
        uint32_t n_to;
        const uint32_t *to = tc_source_entries(&sc->sources[i], &n_to);

        for (uint32_t k = 0; k < n_to; k++)
            if (to[k] < ns && !sc->stations[to[k]].reject_when_full)
                entry_wait[to[k]] = true;
    }
    for (uint32_t c = 0; c < sc->n_classes; c++)
        tc_scenario_class_load(sc, c, src_cls, load, flow);
    grow = growable(sc, entry_wait);
    for (uint32_t s = 0; s < ns; s++) {
        const struct tc_station *st = &sc->stations[s];
        if (!grow[s])
            continue;
        double open = open_fraction(st), avail = 1.0;
        if (st->failures.on) {
            double up = tc_dist_mean(&st->failures.up), down = tc_dist_mean(&st->failures.down);
            avail = up / (up + down);
        }
        double per_day = flow[s] * tc_units_day(sc->time_unit);
        double rho = st->servers == TC_UNLIMITED ? 0.0 : load[s] / (st->servers * open * avail);
        bool capped = st->daily_limit != TC_UNLIMITED && per_day >= st->daily_limit * (1 - 1e-9);
        /* A load of exactly 1 may compute as 1 - 1e-16: it is still 1. */
        if (rho < 1.0 - 1e-9 && !capped)
            continue;
        size_t m = tc_ynode_path_key(&L->y.path, "stations");
        tc_ynode_path_key(&L->y.path, st->name);
        if (rho >= 1.0 - 1e-9) {
            /* what the servers were counted at, when not around the clock */
            char why[160] = "";
            int k = 0;
            if (open < 1.0 || avail < 1.0)
                k = snprintf(why, sizeof(why), " (%" PRIu32 " server%s", st->servers,
                             st->servers == 1 ? "" : "s");
            if (open < 1.0 && k >= 0 && (size_t)k < sizeof(why))
                k += snprintf(why + k, sizeof(why) - (size_t)k, ", open %.3g h a day", open * 24.0);
            if (avail < 1.0 && k >= 0 && (size_t)k < sizeof(why))
                k += snprintf(why + k, sizeof(why) - (size_t)k, ", up %.3g %% of the time",
                              avail * 100.0);
            if (k > 0 && (size_t)k + 1 < sizeof(why))
                why[k] = ')', why[k + 1] = '\0';
            /* %.3g past a million: rate: 1e300/h must not print 300 digits. */
            tc_ynode_warning(&L->y, L->station_key[s], NULL,
                             rho < 1e6 ? "load %.2f >= 1%s: queues will grow without bound"
                                       : "load %.3g >= 1%s: queues will grow without bound",
                             rho, why);
        } else {
            tc_ynode_warning(&L->y, L->station_key[s], NULL,
                             "%.4g trucks a day arrive and daily_limit is %" PRIu32
                             ": queues will grow without bound",
                             per_day, st->daily_limit);
        }
        tc_ynode_path_pop(&L->y.path, m);
    }
    free(load);
    free(flow);
    free(entry_wait);
    free(grow);
}
