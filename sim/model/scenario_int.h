/*
** scenario_int: what the scenario_*.c files of the loader and its checks
** share, and nothing else includes. The loader walks the YAML and fills a
** tc_scenario; it resolves names (stations, classes, streams) through the
** functions here, which live in scenario_refs.c, and it keeps the node ids
** the later checks (scenario_check.c and the files it calls) need to
** position their messages.
*/
#ifndef TCSIM_SCENARIO_INT_H
#define TCSIM_SCENARIO_INT_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/jsonw.h"
#include "model/names.h"
#include "model/ynode.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/* A sorted name index for O(log n) lookups (a fuzzer may write many stations). */
struct tc_scenario_names {
    const char **sorted; /* borrowed strings */
    uint32_t *idx;       /* index of sorted[i] in the original array */
    uint32_t n;
};

/* The loader's state; everything here is freed by load_fini (scenario_load.c). */
struct tc_scenario_load {
    struct tc_ynode y;
    struct tc_scenario *sc;
    const char *base_dir; /* trace paths are relative to it; NULL: the current directory */
    size_t err0;          /* diags->n_err when loading started */
    struct tc_scenario_names station_names, class_names, source_names;
    int root;              /* root mapping node */
    int *station_key;      /* per station: its key node */
    int *station_next;     /* per station: its next node, 0 when absent */
    bool *station_ok;      /* per station: servers, capacity, service and next are valid */
    int *source_node;      /* per source: its list item */
    int *source_name;      /* per source: the name node, 0 when defaulted */
    int *source_trace;     /* per source: the trace node, 0 unless a trace */
    int *source_class;     /* per source: the class node, 0 when absent */
    bool *source_ok;       /* per source: class, to and rate/interarrival/trace are valid */
    int *pool_key;         /* per booking pool: its key node */
    int *sched_node;       /* per sched entry: the node of the key that made it */
    uint32_t *sched_event; /* per sched entry: index of its item in events */
    /* named events (scenario_events.c), for a clearance's `after` */
    const char **event_name; /* borrowed from the document */
    int *event_name_node;
    double *event_end; /* its end: a closure's reopen (NaN without), else its at */
    uint32_t n_event_names;
    bool classes_ok;  /* classes loaded without error */
    bool stations_ok; /* every station valid (routes resolved) */
    bool events_ok;   /* every event valid */
    /*
    ** Name comparisons left for "did you mean" (each costs an edit distance):
    ** 10,000 streams naming a missing one of 10,000 stations would otherwise
    ** take a minute. Past the budget, messages list names instead.
    */
    size_t suggest_left;
    /* What the scenario's traces may still read, together (tcsim/limits.h). */
    size_t trace_bytes_left, trace_rows_left;
};

/* The loader's path and lookups (scenario_load.c, scenario_source.c, scenario_events.c). */
static inline size_t tc_sl_push(struct tc_scenario_load *L, const char *key)
{
    return tc_ynode_path_key(&L->y.path, key);
}

static inline size_t tc_sl_push_i(struct tc_scenario_load *L, size_t i)
{
    return tc_ynode_path_index(&L->y.path, i);
}

static inline void tc_sl_pop(struct tc_scenario_load *L, size_t len)
{
    tc_ynode_path_pop(&L->y.path, len);
}

static inline int tc_sl_get(struct tc_scenario_load *L, int map, const char *key)
{
    return tc_ynode_get(&L->y, map, key);
}

/*
** tc_names_check at node n: false after a located error. key is the path
** suffix; for a mapping key it is the name itself, which is left out of
** the path (the "got" part shows it escaped) so that the message never
** prints what the name holds raw.
*/
static inline bool tc_sl_name_ok(struct tc_ynode *y, int n, const char *key, const char *name,
                                 bool title)
{
    const char *err = tc_names_check(name, title);

    if (err != NULL)
        tc_ynode_error_got(y, n, key == name ? NULL : key, "%s", err);
    return err == NULL;
}

/* A duration for messages: "43200 min". */
static inline const char *tc_sl_fmt_t(const struct tc_scenario_load *L, double t, char *buf,
                                      size_t len)
{
    char num[TC_JSONW_NUMBER_LEN];
    snprintf(buf, len, "%s %s", tc_jsonw_format_number(t, num, sizeof(num)),
             tc_units_name(L->sc->time_unit));
    return buf;
}

/* Error "N <what>; at most max (<macro> in tcsim/limits.h)" at a list or mapping too long. */
static inline bool tc_sl_within(struct tc_scenario_load *L, int v, const char *key, size_t n,
                                uint32_t max, const char *what, const char *macro)
{
    if (n <= max)
        return true;
    tc_ynode_error(&L->y, v, key, "%zu %s, more than %" PRIu32 " (%s in tcsim/limits.h)", n, what,
                   max, macro);
    return false;
}

/* "a, b and c" of the class names flagged in want (all when want is NULL); free(). */
char *tc_scenario_class_list(const struct tc_scenario *sc, const bool *want);
/* Whether a mapping by class named every class (seen[]); else one error naming the others. */
bool tc_scenario_covers_all(struct tc_scenario_load *L, int v, const char *key, const bool *seen,
                            const char *what);
/* A route (next:) at v, and freeing one (scenario_route.c). */
bool tc_scenario_load_route(struct tc_scenario_load *L, int v, const char *key, struct tc_route *r);
void tc_scenario_route_fini(struct tc_route *r, uint32_t n_classes);
/* The names of enum tc_choose_rule as written (scenario_choose.c). */
extern const char *const tc_choose_rule_names[TC_CHOOSE__COUNT];
/* Whether the mapping at v is a choice {choose: ...} rather than a mapping by class. */
bool tc_scenario_is_choice(struct tc_scenario_load *L, int v);
/* A choice {choose, among, classes, divert_above, divert_above_wait} at v into r. */
bool tc_scenario_load_choice(struct tc_scenario_load *L, int v, const char *key,
                             struct tc_route *r);
/*
** A daily_limit at v (scenario_limit.c): val[] and set[] have n_classes + 1
** entries, the classes' limits then the total's; set[] marks those given
** (a bare number gives the total only), val[] is TC_UNLIMITED elsewhere.
*/
bool tc_scenario_load_daily_limit(struct tc_scenario_load *L, int v, const char *key, uint32_t *val,
                                  bool *set);
/* The arrivals list into sc->sources (scenario_source.c); horizon_ok: sc->horizon is valid. */
void tc_scenario_load_sources(struct tc_scenario_load *L, bool horizon_ok);
/*
** A booking mapping {slot, per_slot, punctuality, open} at v
** (scenario_pool.c): a stream's, under key "booking", or a pool's (key NULL).
*/
bool tc_scenario_load_booking(struct tc_scenario_load *L, int v, const char *key,
                              struct tc_booking *b);
/* The bookings section into sc->pools (scenario_pool.c), before the arrivals. */
void tc_scenario_load_pools(struct tc_scenario_load *L);
/* The pool named by the scalar at node: *out its index; false after an error. */
bool tc_scenario_ref_pool(struct tc_scenario_load *L, int node, const char *key, uint32_t *out);
/* An error at every pool no stream names (after the arrivals). */
void tc_scenario_check_pools_used(struct tc_scenario_load *L);
/* The events list into sc->sched (scenario_events.c). */
void tc_scenario_load_events(struct tc_scenario_load *L);
/* The classes: section into sc->classes (scenario_classes.c). */
void tc_scenario_load_classes(struct tc_scenario_load *L);
/* The costs: section into sc->costs (scenario_costs.c); after classes and stations. */
void tc_scenario_load_costs(struct tc_scenario_load *L);
/* initial: and clearance: into sc (scenario_initial.c), after the events. */
void tc_scenario_load_initial(struct tc_scenario_load *L);
void tc_scenario_load_clearance(struct tc_scenario_load *L);

void tc_scenario_names_build(struct tc_scenario_names *ix, const char *const *names, size_t stride,
                             uint32_t n);
void tc_scenario_names_fini(struct tc_scenario_names *ix);
/* Index of name in the original array, or TC_NONE. */
uint32_t tc_scenario_names_find(const struct tc_scenario_names *ix, const char *name);

/*
** Resolves a station named by the scalar at node (key is the path suffix
** for messages): *out is its index, or TC_EXIT for "exit" when allow_exit
** (TC_EXIT equals TC_NONE, hence the bool). False after an error ("no
** station named "custom"; did you mean ...").
*/
bool tc_scenario_ref_station(struct tc_scenario_load *L, int node, const char *key, bool allow_exit,
                             uint32_t *out);
/* The same for a class name. */
uint32_t tc_scenario_ref_class(struct tc_scenario_load *L, int node, const char *key);

/*
** Resolves the stream or class names at node (a scalar or a list of them):
** a stream name gives that stream, else a class name gives every stream of
** that class. On success *out is a new array (free()) of *n_out distinct
** stream indices in file order; false after an error.
*/
bool tc_scenario_ref_streams(struct tc_scenario_load *L, int node, const char *key, uint32_t **out,
                             uint32_t *n_out);

/* Reports duplicate stream names and builds L->source_names. */
void tc_scenario_check_streams(struct tc_scenario_load *L);
/* "a, b, c" of at most 8 names into buf, then ", ..." (scenario_refs.c). */
void tc_scenario_short_list(const char *const *names, size_t n, char *buf, size_t len);

/* Reads the trace file of source i and checks its classes (scenario_traces.c). */
void tc_scenario_check_trace(struct tc_scenario_load *L, uint32_t i);

/* ---- The route graph (scenario_graph.c) ---- */

/* The route trucks of class c follow at a station (by_class resolved). */
static inline const struct tc_route *tc_scenario_class_route(const struct tc_route *r, uint32_t c)
{
    if (r->kind == TC_ROUTE_CLASS && r->by_class != NULL)
        return &r->by_class[c];
    return r;
}

/* Whether class c may take member k of a choice. */
static inline bool tc_scenario_choice_allows(const struct tc_route *r, uint32_t c, uint32_t k)
{
    return r->allowed == NULL || r->allowed[(size_t)c * r->n + k];
}

/*
** Successors of class c's route r (TC_EXIT included) into out (room for
** n_stations + 1); returns count. A choice leads to each of its members the
** class may take; diversion is no way out (a cycle only a long queue could
** leave is still a trap).
*/
static inline uint32_t tc_scenario_successors(const struct tc_route *r, uint32_t c, uint32_t *out)
{
    uint32_t n = 0;

    if (r->kind == TC_ROUTE_FIXED) {
        out[n++] = r->to;
    } else if (r->kind == TC_ROUTE_PROB) {
        for (uint32_t k = 0; k < r->n; k++)
            if (r->p[k] > 0.0)
                out[n++] = r->targets[k];
    } else if (r->kind == TC_ROUTE_CHOOSE) {
        for (uint32_t k = 0; k < r->n; k++)
            if (tc_scenario_choice_allows(r, c, k))
                out[n++] = r->targets[k];
    }
    return n;
}

/* The routes in force: the stations' own, or cur[s] after NEXT events. */
struct tc_scenario_routes {
    const struct tc_scenario *sc;
    const struct tc_route *const *cur; /* per station; NULL: the stations' own */
};

static inline const struct tc_route *tc_scenario_route_of(const struct tc_scenario_routes *rs,
                                                          uint32_t s, uint32_t c)
{
    const struct tc_route *r = rs->cur != NULL ? rs->cur[s] : &rs->sc->stations[s].next;

    return tc_scenario_class_route(r, c);
}

/*
** Which classes each source brings: a new array (free()) of n_sources x
** n_classes flags, [i * n_classes + c]: class_id, or the classes in its
** trace's rows.
*/
bool *tc_scenario_source_classes(const struct tc_scenario *sc);
/*
** Stations reachable by class c from its entries (reach[], sized
** n_stations); stack and succ are scratch (n_stations + 1 and + 2).
*/
void tc_scenario_reach_class(const struct tc_scenario_routes *rs, const bool *src_cls, uint32_t c,
                             bool *reach, uint32_t *stack, uint32_t *succ);

/*
** Adds lambda_c(s) E[S_c(s)] to load[s] and lambda_c(s) to flow[s] for every
** station s class c reaches: the traffic equations (scenario_capacity.c).
*/
void tc_scenario_class_load(const struct tc_scenario *sc, uint32_t c, const bool *src_cls,
                            double *load, double *flow);
/* The load warning: a station that cannot keep up (scenario_capacity.c). */
void tc_scenario_check_load(struct tc_scenario_load *L, const bool *src_cls);
/* The trucks, results and series a run will hold, against the limits (scenario_size.c). */
void tc_scenario_check_size(struct tc_scenario_load *L);

/*
** The cross-field rules that need the whole scenario (scenario_check.c):
** trace files, cycles no truck can leave, the size of the run and the load
** warning.
*/
void tc_scenario_check(struct tc_scenario_load *L);

/*
** The events a replication will take, at least (scenario_budget.c), given
** the trucks expected to arrive in one: an error at the biggest cause when
** they pass TC_LIMIT_REP_EVENTS. Silent when arrivals is past
** TC_LIMIT_ARRIVALS (that has its own error).
*/
void tc_scenario_check_events(struct tc_scenario_load *L, double arrivals);

#endif
