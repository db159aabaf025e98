/*
** scenario_check: the rules that look across fields (scenarios/README.md),
** run once the whole scenario is loaded, and the cycle rule among them.
** Names are resolved while loading (scenario_refs.c); here come the trace
** files (scenario_traces.c), the cycles, the size of the run
** (scenario_size.c) and the load warning (scenario_capacity.c).
**
** Cycles no truck can leave: per class, over the graph of its routes
** (fixed, probabilistic or by class), a station reachable from the class's
** entry stations from which exit cannot be reached. All tc_scenario_successors of such
** a station are trapped too, so following any successor from it must close
** a cycle inside the trap; that cycle is what the message names. Each NEXT
** event is checked the same way with its route in place.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "model/scenario_int.h"
#include "tcsim/scenario.h"

/* ==== Cycles ==== */

/*
** Stations from which exit can be reached by class c: a search backwards
** from the stations with an exit branch, over predecessor lists built once
** (CSR arrays), so O(V + E) rather than a fixed point's O(V E).
*/
static void exits_class(const struct tc_scenario_routes *rs, uint32_t c, bool *can_exit,
                        uint32_t *succ)
{
    const struct tc_scenario *sc = rs->sc;
    uint32_t ns = sc->n_stations;
    uint32_t *start = tc_xcalloc((size_t)ns + 2, sizeof(uint32_t));
    uint32_t *pred, *fill, *stack, top = 0;
    size_t n_edges = 0;

    memset(can_exit, 0, ns * sizeof(bool));
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t n = tc_scenario_successors(tc_scenario_route_of(rs, s, c), c, succ);

        for (uint32_t k = 0; k < n; k++)
            if (succ[k] < ns) {
                start[succ[k] + 1]++;
                n_edges++;
            }
    }
    for (uint32_t s = 0; s < ns; s++)
        start[s + 1] += start[s];
    pred = tc_xmalloc((n_edges + 1) * sizeof(uint32_t));
    fill = tc_xmalloc(((size_t)ns + 1) * sizeof(uint32_t));
    stack = tc_xmalloc(((size_t)ns + 1) * sizeof(uint32_t));
    memcpy(fill, start, ns * sizeof(uint32_t));
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t n = tc_scenario_successors(tc_scenario_route_of(rs, s, c), c, succ);

        for (uint32_t k = 0; k < n; k++) {
            if (succ[k] < ns)
                pred[fill[succ[k]]++] = s;
            else if (!can_exit[s]) {
                can_exit[s] = true;
                stack[top++] = s;
            }
        }
    }
    while (top > 0) {
        uint32_t t = stack[--top];

        for (uint32_t k = start[t]; k < start[t + 1]; k++)
            if (!can_exit[pred[k]]) {
                can_exit[pred[k]] = true;
                stack[top++] = pred[k];
            }
    }
    free(start);
    free(pred);
    free(fill);
    free(stack);
}

/*
** Strongly connected components of the trapped stations (Tarjan, iterative
** so that a long chain of stations cannot overflow the C stack), and which
** of them are bottom components: no route leaves them. Those are the cycles
** no truck can leave; other trapped stations only lead into them. Fills
** comp[] for trapped stations and is_bottom[] per component; returns the
** number of components. O(V + E).
*/
static uint32_t bottom_sccs(const struct tc_scenario_routes *rs, uint32_t c, const bool *trapped,
                            uint32_t *comp, bool *is_bottom, uint32_t *stk, uint32_t *succ)
{
    const struct tc_scenario *sc = rs->sc;
    uint32_t ns = sc->n_stations;
    uint32_t *index = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    uint32_t *low = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    bool *on = tc_xcalloc(ns + 1, sizeof(bool));
    uint32_t *fnode = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    uint32_t *fk = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    uint32_t next_index = 0, n_comp = 0, sp = 0;

    for (uint32_t s = 0; s < ns; s++) {
        index[s] = UINT32_MAX;
        comp[s] = UINT32_MAX;
    }
    for (uint32_t s0 = 0; s0 < ns; s0++) {
        uint32_t depth = 0;

        if (!trapped[s0] || index[s0] != UINT32_MAX)
            continue;
        index[s0] = low[s0] = next_index++;
        stk[sp++] = s0;
        on[s0] = true;
        fnode[depth] = s0;
        fk[depth++] = 0;
        while (depth > 0) {
            uint32_t v = fnode[depth - 1];
            uint32_t n = tc_scenario_successors(tc_scenario_route_of(rs, v, c), c, succ);

            if (fk[depth - 1] < n) {
                uint32_t w = succ[fk[depth - 1]++];

                if (w >= ns || !trapped[w])
                    continue;
                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = next_index++;
                    stk[sp++] = w;
                    on[w] = true;
                    fnode[depth] = w;
                    fk[depth++] = 0;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            depth--;
            if (depth > 0 && low[v] < low[fnode[depth - 1]])
                low[fnode[depth - 1]] = low[v];
            if (low[v] == index[v]) {
                uint32_t w;

                do {
                    w = stk[--sp];
                    on[w] = false;
                    comp[w] = n_comp;
                } while (w != v);
                is_bottom[n_comp++] = true;
            }
        }
    }
    for (uint32_t v = 0; v < ns; v++) {
        uint32_t n;

        if (!trapped[v])
            continue;
        n = tc_scenario_successors(tc_scenario_route_of(rs, v, c), c, succ);
        for (uint32_t k = 0; k < n; k++)
            if (succ[k] >= ns || comp[succ[k]] != comp[v])
                is_bottom[comp[v]] = false;
    }
    free(index);
    free(low);
    free(on);
    free(fnode);
    free(fk);
    return n_comp;
}

struct cycle {
    uint32_t *v; /* stations, rotated to start at the lowest index */
    uint32_t n;
    bool *classes;
    bool reported; /* by an earlier configuration: not again */
};

struct cycles {
    struct cycle *v;
    size_t n, cap;
};

/* Scratch arrays of the trap search, each sized for n_stations (+ 1 or + 2). */
struct trap_scratch {
    bool *reach, *can_exit, *trapped, *is_bottom;
    uint32_t *stack, *succ, *seen_at, *walk, *comp, *comp_start;
};

static void trap_scratch_init(struct trap_scratch *t, uint32_t ns)
{
    t->reach = tc_xmalloc((ns + 1) * sizeof(bool));
    t->can_exit = tc_xmalloc((ns + 1) * sizeof(bool));
    t->stack = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    t->succ = tc_xmalloc((ns + 2) * sizeof(uint32_t));
    t->seen_at = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    t->walk = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    t->trapped = tc_xmalloc((ns + 1) * sizeof(bool));
    t->comp = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    t->is_bottom = tc_xmalloc((ns + 1) * sizeof(bool));
    t->comp_start = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    for (uint32_t k = 0; k < ns; k++)
        t->seen_at[k] = UINT32_MAX;
}

static void trap_scratch_fini(struct trap_scratch *t)
{
    free(t->reach);
    free(t->can_exit);
    free(t->stack);
    free(t->succ);
    free(t->seen_at);
    free(t->walk);
    free(t->trapped);
    free(t->comp);
    free(t->is_bottom);
    free(t->comp_start);
}

/*
** The cycle of bottom component b for class c: from its lowest station,
** follow the first successor until a station repeats. In a bottom
** component every successor stays inside, so the walk must loop. cy->v is
** new, rotated to start at the lowest index; false when no cycle closes.
*/
static bool walk_cycle(const struct tc_scenario_routes *rs, uint32_t c, uint32_t b,
                       struct trap_scratch *t, struct cycle *cy)
{
    uint32_t ns = rs->sc->n_stations;
    uint32_t len = 0, cur = TC_NONE, start, lo;

    cur = t->comp_start[b];
    while (cur < ns && t->seen_at[cur] == UINT32_MAX) {
        t->seen_at[cur] = len;
        t->walk[len++] = cur;
        tc_scenario_successors(tc_scenario_route_of(rs, cur, c), c, t->succ);
        cur = t->succ[0];
    }
    start = cur < ns ? t->seen_at[cur] : 0;
    for (uint32_t k = 0; k < len; k++)
        t->seen_at[t->walk[k]] = UINT32_MAX;
    if (cur >= ns)
        return false; /* cannot happen: no trapped station leads to exit */
    lo = start;
    for (uint32_t k = start; k < len; k++)
        if (t->walk[k] < t->walk[lo])
            lo = k;
    cy->n = len - start;
    cy->v = tc_xmalloc(cy->n * sizeof(uint32_t));
    for (uint32_t k = 0; k < cy->n; k++)
        cy->v[k] = t->walk[start + (lo - start + k) % cy->n];
    return true;
}

/* Adds cy (taking its stations) for class c, or marks class c on the same cycle found before. */
static void add_cycle(struct cycles *cycles, struct cycle cy, uint32_t c, uint32_t n_classes)
{
    for (size_t q = 0; q < cycles->n; q++) {
        if (cycles->v[q].n == cy.n && memcmp(cycles->v[q].v, cy.v, cy.n * sizeof(uint32_t)) == 0) {
            cycles->v[q].classes[c] = true;
            free(cy.v);
            return;
        }
    }
    cy.classes = tc_xcalloc(n_classes, sizeof(bool));
    cy.classes[c] = true;
    cy.reported = false;
    TC_VEC_PUSH(*cycles, cy);
}

/* The cycles trucks of class c can never leave, into cycles. */
static void find_class_cycles(const struct tc_scenario_routes *rs, const bool *src_cls, uint32_t c,
                              struct trap_scratch *t, struct cycles *cycles)
{
    const struct tc_scenario *sc = rs->sc;
    uint32_t ns = sc->n_stations;
    uint32_t n_comp;

    tc_scenario_reach_class(rs, src_cls, c, t->reach, t->stack, t->succ);
    exits_class(rs, c, t->can_exit, t->succ);
    for (uint32_t s = 0; s < ns; s++)
        t->trapped[s] = t->reach[s] && !t->can_exit[s];
    n_comp = bottom_sccs(rs, c, t->trapped, t->comp, t->is_bottom, t->stack, t->succ);
    /* The lowest station of each component starts its walk. */
    for (uint32_t s = ns; s-- > 0;)
        if (t->trapped[s])
            t->comp_start[t->comp[s]] = s;
    for (uint32_t b = 0; b < n_comp; b++) {
        struct cycle cy;

        if (!t->is_bottom[b])
            continue;
        if (walk_cycle(rs, c, b, t, &cy))
            add_cycle(cycles, cy, c, sc->n_classes);
    }
}

/* "a -> b -> a", the stations of the cycle back to the first; a new string (free()). */
static char *cycle_text(const struct tc_scenario *sc, const struct cycle *cy)
{
    TC_VEC(char) text = {0};

    for (uint32_t k = 0; k <= cy->n; k++) {
        const char *name = sc->stations[cy->v[k % cy->n]].name;
        size_t l = strlen(name);

        TC_VEC_GROW(text, text.n + l + 5);
        if (k > 0) {
            memcpy(text.v + text.n, " -> ", 4);
            text.n += 4;
        }
        memcpy(text.v + text.n, name, l);
        text.n += l;
    }
    TC_VEC_GROW(text, text.n + 1);
    text.v[text.n] = '\0';
    return text.v;
}

/* "a, b and c", the classes caught in the cycle; a new string (free()). */
static char *cycle_classes(const struct tc_scenario *sc, const struct cycle *cy)
{
    TC_VEC(char) cls = {0};
    uint32_t n_cls = 0, k = 0;

    for (uint32_t c = 0; c < sc->n_classes; c++)
        n_cls += cy->classes[c];
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        const char *name = sc->classes[c].name;
        const char *sep;
        size_t l = strlen(name);

        if (!cy->classes[c])
            continue;
        sep = k == 0 ? "" : k + 1 == n_cls ? " and " : ", ";
        TC_VEC_GROW(cls, cls.n + l + strlen(sep) + 1);
        memcpy(cls.v + cls.n, sep, strlen(sep));
        cls.n += strlen(sep);
        memcpy(cls.v + cls.n, name, l);
        cls.n += l;
        k++;
    }
    TC_VEC_GROW(cls, cls.n + 1);
    cls.v[cls.n] = '\0';
    return cls.v;
}

/* One error for the cycle, at the next of its first station (or at where, for an event). */
static void report_cycle(struct tc_scenario_load *L, const struct cycle *cy, int where_node,
                         const char *where_path)
{
    const struct tc_scenario *sc = L->sc;
    char *text = cycle_text(sc, cy);
    uint32_t first = cy->v[0];
    int node;
    size_t m;

    if (where_node != 0) {
        node = where_node;
        m = tc_ynode_path_key(&L->y.path, where_path);
    } else {
        node = L->station_next[first];
        m = tc_ynode_path_key(&L->y.path, "stations");
        tc_ynode_path_key(&L->y.path, sc->stations[first].name);
        tc_ynode_path_key(&L->y.path, "next");
    }
    if (sc->n_classes == 1) {
        tc_ynode_error(&L->y, node, NULL,
                       "%strucks can never leave the cycle %s (no route from it leads to "
                       "exit)",
                       where_node ? "after this event, " : "", text);
    } else {
        char *cls = cycle_classes(sc, cy);

        tc_ynode_error(&L->y, node, NULL,
                       "%strucks of class %s can never leave the cycle %s (no route from it "
                       "leads to exit)",
                       where_node ? "after this event, " : "", cls, text);
        free(cls);
    }
    tc_ynode_path_pop(&L->y.path, m);
    free(text);
}

/*
** Finds the cycles of trapped stations for every class and reports each once,
** at the next of its first station (or at where, for an event). Returns the
** number reported.
*/
static uint32_t report_traps(struct tc_scenario_load *L, const struct tc_scenario_routes *rs,
                             const bool *src_cls, struct cycles *cycles, int where_node,
                             const char *where_path)
{
    struct trap_scratch t;
    uint32_t n_reported = 0;

    trap_scratch_init(&t, rs->sc->n_stations);
    for (uint32_t c = 0; c < rs->sc->n_classes; c++)
        find_class_cycles(rs, src_cls, c, &t, cycles);
    trap_scratch_fini(&t);
    for (size_t q = 0; q < cycles->n; q++) {
        struct cycle *cy = &cycles->v[q];

        if (cy->reported)
            continue;
        report_cycle(L, cy, where_node, where_path);
        cy->reported = true;
        n_reported++;
    }
    return n_reported;
}

/*
** The stations' own routes, then after each NEXT event the routes in force
** from then on (every earlier event applied): a cycle two events close
** together is found at the second.
*/
static void check_cycles(struct tc_scenario_load *L, const bool *src_cls)
{
    const struct tc_scenario *sc = L->sc;
    struct tc_scenario_routes rs = {sc, NULL};
    struct cycles cycles = {0};
    const struct tc_route **cur;

    if (report_traps(L, &rs, src_cls, &cycles, 0, NULL) > 0 || !L->events_ok)
        goto out;
    cur = tc_xmalloc(((size_t)sc->n_stations + 1) * sizeof(*cur));
    for (uint32_t s = 0; s < sc->n_stations; s++)
        cur[s] = &sc->stations[s].next;
    rs.cur = cur;
    for (uint32_t k = 0; k < sc->n_sched; k++) {
        const struct tc_sched *x = &sc->sched[k];
        char where[64];

        if (x->kind != TC_SCHED_NEXT || x->station >= sc->n_stations)
            continue;
        cur[x->station] = &x->next;
        snprintf(where, sizeof(where), "events[%" PRIu32 "].next", L->sched_event[k]);
        report_traps(L, &rs, src_cls, &cycles, L->sched_node[k], where);
    }
    free(cur);
out:
    for (size_t q = 0; q < cycles.n; q++) {
        free(cycles.v[q].v);
        free(cycles.v[q].classes);
    }
    free(cycles.v);
}

void tc_scenario_check(struct tc_scenario_load *L)
{
    const struct tc_scenario *sc = L->sc;
    bool *src_cls;
    bool sources_ok = sc->n_sources > 0;

    for (uint32_t i = 0; i < sc->n_sources; i++) {
        if (sc->sources[i].kind == TC_SRC_TRACE && sc->sources[i].trace_path != NULL &&
            L->classes_ok) {
            /* Past the diagnostic cap the load has failed: reading more traces is waste. */
            if (tc_ynode_is_capped(&L->y)) {
                L->y.n_dropped++;
                L->y.dropped_err = true;
                L->source_ok[i] = false;
            } else {
                tc_scenario_check_trace(L, i);
            }
        }
        sources_ok &= L->source_ok[i];
    }
    if (!L->stations_ok || !L->classes_ok)
        return;
    src_cls = tc_scenario_source_classes(sc);
    check_cycles(L, src_cls);
    if (sources_ok && L->events_ok && L->y.diags->n_err == L->err0) {
        tc_scenario_check_size(L);
        tc_scenario_check_load(L, src_cls);
    }
    free(src_cls);
}
