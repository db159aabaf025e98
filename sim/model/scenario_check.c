/*
** scenario_check: the rules that look across fields (scenarios/README.md).
**
** - Names: next/to/station naming no station, class and stream names, with
**   a "did you mean"; duplicate stream names (duplicate station and class
**   names are duplicate YAML keys, caught by tc_ynode_check_keys).
** - Traces: read through tracecsv, positioned in the CSV; a stream with
**   several classes needs a class key or a class column, not both.
** - Cycles no truck can leave: per class, over the graph of its routes
**   (fixed, probabilistic or by class), a station reachable from the
**   class's entry stations from which exit cannot be reached. All successors
**   of such a station are trapped too, so following any successor from it
**   must close a cycle inside the trap; that cycle is what the message names.
**   Each NEXT event is checked the same way with its route in place.
** - Load (a warning): the traffic equations lambda = gamma + P^T lambda per
**   class, solved with GSL's LU decomposition on the stations the class can
**   reach (where I - P^T is non-singular because exit is reachable from all
**   of them), with gamma the mean external rate of each source (rate x mean
**   hourly x mean daily x batch; batch / mean interarrival; trace rows /
**   (last - first time)). A station's load is sum_c lambda_c E[S_c] over
**   c x (fraction of the day open) x (fraction of the time up, with
**   failures); a daily limit below the trucks arriving a day warns too.
**   Scheduled events are not counted (a closure builds queues on purpose). The warning
**   needs a queue that can grow without bound: the station, or any station
**   upstream of it that blocking spills back into, has unlimited capacity
**   or is an entry where outside trucks wait on the road.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_linalg.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/scenario_int.h"
#include "model/tracecsv.h"
#include "tcsim/metrics.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/* ==== Name index ==== */

struct name_ref {
    const char *s;
    uint32_t i;
};

static int cmp_name_ref(const void *pa, const void *pb)
{
    const struct name_ref *a = pa, *b = pb;
    int c = strcmp(a->s, b->s);

    if (c != 0)
        return c;
    return (a->i > b->i) - (a->i < b->i);
}

void tc_scenario_names_build(struct tc_scenario_names *ix, const char *const *names, size_t stride,
                             uint32_t n)
{
    struct name_ref *refs = tc_xmalloc((n ? n : 1) * sizeof(*refs));

    for (uint32_t i = 0; i < n; i++) {
        const char *const *p =
            (const char *const *)(const void *)((const char *)names + i * stride);

        refs[i] = (struct name_ref){*p, i};
    }
    qsort(refs, n, sizeof(*refs), cmp_name_ref);
    ix->sorted = tc_xmalloc((n ? n : 1) * sizeof(*ix->sorted));
    ix->idx = tc_xmalloc((n ? n : 1) * sizeof(*ix->idx));
    for (uint32_t i = 0; i < n; i++) {
        ix->sorted[i] = refs[i].s;
        ix->idx[i] = refs[i].i;
    }
    ix->n = n;
    free(refs);
}

void tc_scenario_names_fini(struct tc_scenario_names *ix)
{
    if (ix == NULL)
        return;
    free(ix->sorted);
    free(ix->idx);
    memset(ix, 0, sizeof(*ix));
}

uint32_t tc_scenario_names_find(const struct tc_scenario_names *ix, const char *name)
{
    uint32_t lo = 0, hi = ix->n;

    /* The first of equal names: the lowest original index, since ties sort by index. */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;

        if (strcmp(ix->sorted[mid], name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ix->n && strcmp(ix->sorted[lo], name) == 0)
        return ix->idx[lo];
    return TC_NONE;
}

/* "a, b, c" of at most 8 names, then ", ..." */
static void short_list(const char *const *names, size_t n, char *buf, size_t len)
{
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && i < 8 && o < len; i++) {
        int w = snprintf(buf + o, len - o, "%s%s", i ? ", " : "", names[i]);

        if (w < 0)
            return;
        o += (size_t)w;
    }
    if (n > 8 && o < len)
        snprintf(buf + o, len - o, ", ...");
}

/* An unknown name: did you mean one of cands, else the list of them. */
static void unknown_name(struct tc_scenario_load *L, int node, const char *key, const char *what,
                         const char *name, const char *const *cands, size_t n_cands,
                         const char *list_what)
{
    const char *best = NULL;
    char list[512];

    if (tc_ynode_is_capped(&L->y)) {
        tc_ynode_error(&L->y, node, key, "no %s named \"%s\"", what, name); /* counted only */
        return;
    }
    if (n_cands <= L->suggest_left) {
        L->suggest_left -= n_cands;
        best = tc_diag_suggest(name, cands, n_cands);
    }
    if (best != NULL) {
        tc_ynode_error(&L->y, node, key, "no %s named \"%s\"; did you mean \"%s\"?", what, name,
                       best);
        return;
    }
    short_list(cands, n_cands, list, sizeof(list));
    tc_ynode_error(&L->y, node, key, "no %s named \"%s\" (%s: %s)", what, name, list_what, list);
}

bool tc_scenario_ref_station(struct tc_scenario_load *L, int node, const char *key, bool allow_exit,
                             uint32_t *out)
{
    const struct tc_scenario *sc = L->sc;
    const char *s = tc_ynode_scalar(&L->y, node);
    const char **cands;
    uint32_t i;

    *out = TC_NONE;

    if (s == NULL || tc_ynode_is_null(&L->y, node)) {
        tc_ynode_error_got(&L->y, node, key,
                           allow_exit ? "expected a station name or exit"
                                      : "expected a station name");
        return false;
    }
    if (allow_exit && strcmp(s, "exit") == 0) {
        *out = TC_EXIT;
        return true;
    }
    i = tc_scenario_names_find(&L->station_names, s);
    if (i != TC_NONE) {
        *out = i;
        return true;
    }
    /* Without stations, "stations" itself was reported; naming one cannot be judged. */
    if (sc->n_stations == 0)
        return false;
    cands = tc_xmalloc(((size_t)sc->n_stations + 1) * sizeof(*cands));
    for (uint32_t k = 0; k < sc->n_stations; k++)
        cands[k] = sc->stations[k].name;
    if (allow_exit)
        cands[sc->n_stations] = "exit";
    unknown_name(L, node, key, "station", s, cands, sc->n_stations + (allow_exit ? 1 : 0),
                 "stations");
    free(cands);
    return false;
}

uint32_t tc_scenario_ref_class(struct tc_scenario_load *L, int node, const char *key)
{
    const struct tc_scenario *sc = L->sc;
    const char *s = tc_ynode_scalar(&L->y, node);
    const char **cands;
    uint32_t i;

    if (s == NULL || tc_ynode_is_null(&L->y, node)) {
        tc_ynode_error_got(&L->y, node, key, "expected a class name");
        return TC_NONE;
    }
    i = tc_scenario_names_find(&L->class_names, s);
    if (i != TC_NONE)
        return i;
    if (!L->classes_ok && sc->n_classes == 0)
        return TC_NONE;
    cands = tc_xmalloc(((size_t)sc->n_classes + 1) * sizeof(*cands));
    for (uint32_t k = 0; k < sc->n_classes; k++)
        cands[k] = sc->classes[k].name;
    unknown_name(L, node, key, "class", s, cands, sc->n_classes, "classes");
    free(cands);
    return TC_NONE;
}

void tc_scenario_check_streams(struct tc_scenario_load *L)
{
    const struct tc_scenario *sc = L->sc;
    const char **names = tc_xmalloc(((size_t)sc->n_sources + 1) * sizeof(*names));

    for (uint32_t i = 0; i < sc->n_sources; i++)
        names[i] = sc->sources[i].name;
    tc_scenario_names_fini(&L->source_names);
    tc_scenario_names_build(&L->source_names, names, sizeof(*names), sc->n_sources);
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        uint32_t first = tc_scenario_names_find(&L->source_names, names[i]);

        if (first != i && L->source_name[i] != 0) {
            struct tc_pos p0 = tc_ynode_pos(&L->y, L->source_node[first]);
            size_t m = tc_ynode_path_key(&L->y.path, "arrivals");

            tc_ynode_path_index(&L->y.path, i);
            tc_ynode_error(&L->y, L->source_name[i], "name",
                           "duplicate stream name \"%s\" (first at line %" PRIu32 ")", names[i],
                           p0.line);
            tc_ynode_path_pop(&L->y.path, m);
        }
    }
    free(names);
}

bool tc_scenario_ref_streams(struct tc_scenario_load *L, int node, const char *key, uint32_t **out,
                             uint32_t *n_out)
{
    const struct tc_scenario *sc = L->sc;
    yaml_node_t *n = tc_ynode_node(&L->y, node);
    size_t cnt = 1;
    bool ok = true, *take;
    char kb[300];

    *out = NULL;
    *n_out = 0;
    if (n != NULL && n->type == YAML_SEQUENCE_NODE) {
        cnt = tc_ynode_len(&L->y, node);
        if (cnt == 0) {
            tc_ynode_error(&L->y, node, key, "expected at least one stream or class name");
            return false;
        }
    } else if (n == NULL || n->type != YAML_SCALAR_NODE) {
        tc_ynode_error_got(&L->y, node, key,
                           "expected the name of an arrival stream or a class, or a list of them");
        return false;
    }
    take = tc_xcalloc((size_t)sc->n_sources + 1, sizeof(bool));
    for (size_t k = 0; k < cnt; k++) {
        int it = n->type == YAML_SEQUENCE_NODE ? tc_ynode_item(&L->y, node, k) : node;
        const char *s = tc_ynode_scalar(&L->y, it);
        const char *ik = key;
        uint32_t i, c;

        if (n->type == YAML_SEQUENCE_NODE) {
            snprintf(kb, sizeof(kb), "%s[%zu]", key, k);
            ik = kb;
        }
        if (s == NULL || tc_ynode_is_null(&L->y, it)) {
            tc_ynode_error_got(&L->y, it, ik, "expected the name of an arrival stream or a class");
            ok = false;
            continue;
        }
        if ((i = tc_scenario_names_find(&L->source_names, s)) != TC_NONE) {
            take[i] = true;
            continue;
        }
        if ((c = tc_scenario_names_find(&L->class_names, s)) != TC_NONE) {
            bool any = false;

            for (uint32_t j = 0; j < sc->n_sources; j++)
                if (sc->sources[j].class_id == c) {
                    take[j] = true;
                    any = true;
                }
            if (!any) {
                tc_ynode_error_got(&L->y, it, ik,
                                   "no arrival stream has this class (give the class key to a "
                                   "stream, or name a stream)");
                ok = false;
            }
            continue;
        }
        if (sc->n_sources == 0) {
            ok = false;
            continue;
        }
        {
            const char **cands =
                tc_xmalloc(((size_t)sc->n_sources + sc->n_classes + 1) * sizeof(*cands));
            size_t nc = 0;

            for (uint32_t j = 0; j < sc->n_sources; j++)
                cands[nc++] = sc->sources[j].name;
            for (uint32_t j = 0; j < sc->n_classes; j++)
                cands[nc++] = sc->classes[j].name;
            unknown_name(L, it, ik, "arrival stream or class", s, cands, nc, "streams and classes");
            free(cands);
        }
        ok = false;
    }
    if (ok) {
        *out = tc_xmalloc(((size_t)sc->n_sources + 1) * sizeof(uint32_t));
        for (uint32_t j = 0; j < sc->n_sources; j++)
            if (take[j])
                (*out)[(*n_out)++] = j;
    }
    free(take);
    return ok;
}

/* ==== Traces ==== */

/* base_dir + "/" + rel, or rel when it is absolute or there is no base. */
static char *join_path(const char *base_dir, const char *rel)
{
    size_t lb, lr;
    char *s;

    if (rel[0] == '/' || base_dir == NULL || base_dir[0] == '\0' || strcmp(base_dir, ".") == 0)
        return tc_xstrdup(rel);
    lb = strlen(base_dir);
    lr = strlen(rel);
    s = tc_xmalloc(lb + lr + 2);
    memcpy(s, base_dir, lb);
    if (base_dir[lb - 1] != '/')
        s[lb++] = '/';
    memcpy(s + lb, rel, lr + 1);
    return s;
}

/*
** cwd + "/" + path for a relative path, with leading "./" dropped; NULL if
** the directory is unknown. realpath() is not used: glibc hides it under
** _POSIX_C_SOURCE alone, and resolving symlinks is not needed here.
*/
static char *absolute_path(const char *path)
{
    TC_VEC(char) cwd = {0};
    size_t lc, lp;
    char *s;

    if (path[0] == '/')
        return tc_xstrdup(path);
    TC_VEC_GROW(cwd, 256);
    while (getcwd(cwd.v, cwd.cap) == NULL) {
        if (errno != ERANGE || cwd.cap > (1u << 20)) {
            free(cwd.v);
            return NULL;
        }
        TC_VEC_GROW(cwd, cwd.cap * 2);
    }
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    lc = strlen(cwd.v);
    lp = strlen(path);
    s = tc_xmalloc(lc + lp + 2);
    memcpy(s, cwd.v, lc);
    if (lc == 0 || s[lc - 1] != '/')
        s[lc++] = '/';
    memcpy(s + lc, path, lp + 1);
    free(cwd.v);
    return s;
}

static void check_trace(struct tc_scenario_load *L, uint32_t i)
{
    struct tc_scenario *sc = L->sc;
    struct tc_source *so = &sc->sources[i];
    const char **classes = tc_xmalloc(((size_t)sc->n_classes + 1) * sizeof(*classes));
    struct tc_trace tr;
    char *file = join_path(L->base_dir, so->trace_path);
    char *abs;
    size_t m = tc_ynode_path_key(&L->y.path, "arrivals");
    size_t bytes = 0;
    int rc;

    tc_ynode_path_index(&L->y.path, i);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        classes[c] = sc->classes[c].name;
    rc = tc_tracecsv_read_max(file, file, sc->time_unit, classes, sc->n_classes,
                              L->trace_bytes_left, L->trace_rows_left, &bytes, &tr, L->y.diags);
    free(classes);
    /* Read bytes count even from a bad trace: 10,000 streams may name one huge file. */
    L->trace_bytes_left -= bytes <= L->trace_bytes_left ? bytes : L->trace_bytes_left;
    if (rc == 0)
        L->trace_rows_left -= tr.n;
    if (rc == -EINVAL) {
        L->source_ok[i] = false;
        goto out;
    }
    if (rc == -EFBIG) {
        tc_ynode_error(&L->y, L->source_trace[i], "trace",
                       "\"%s\" takes the traces of this scenario past %u bytes (1 GiB; "
                       "TC_LIMIT_TRACE_BYTES in tcsim/limits.h, for all its traces together)",
                       file, TC_LIMIT_TRACE_BYTES);
        L->source_ok[i] = false;
        goto out;
    }
    if (rc < 0) {
        tc_ynode_error(&L->y, L->source_trace[i], "trace", "cannot read \"%s\": %s", file,
                       strerror(-rc));
        L->source_ok[i] = false;
        goto out;
    }
    if (tr.cls != NULL && L->source_class[i] != 0) {
        tc_ynode_error(&L->y, L->source_class[i], "class",
                       "the trace \"%s\" has a class column; give the class in one place only",
                       file);
        L->source_ok[i] = false;
    } else if (tr.cls == NULL && L->source_class[i] == 0 && sc->n_classes > 1 && L->classes_ok) {
        char list[512];
        const char **names = tc_xmalloc(sc->n_classes * sizeof(*names));

        for (uint32_t c = 0; c < sc->n_classes; c++)
            names[c] = sc->classes[c].name;
        short_list(names, sc->n_classes, list, sizeof(list));
        free(names);
        tc_ynode_error(&L->y, L->source_node[i], NULL,
                       "missing key \"class\" (there are several classes: %s, and the trace has "
                       "no class column)",
                       list);
        L->source_ok[i] = false;
    }
    if (tr.cls != NULL)
        so->class_id = TC_NONE;
    so->trace_t = tr.t;
    so->trace_class = tr.cls;
    so->n_trace = tr.n;
    /* Emitted scenarios must find the file from anywhere: keep an absolute path. */
    abs = absolute_path(file);
    if (abs != NULL) {
        free(so->trace_path);
        so->trace_path = abs;
    }
out:
    free(file);
    tc_ynode_path_pop(&L->y.path, m);
}

/* ==== Graph ==== */

/* The route trucks of class c follow at a station (by_class resolved). */
static const struct tc_route *class_route(const struct tc_route *r, uint32_t c)
{
    if (r->kind == TC_ROUTE_CLASS && r->by_class != NULL)
        return &r->by_class[c];
    return r;
}

/* Successors of a route (TC_EXIT included) into out (room for n_stations + 1); returns count. */
static uint32_t successors(const struct tc_route *r, uint32_t *out)
{
    uint32_t n = 0;

    if (r->kind == TC_ROUTE_FIXED) {
        out[n++] = r->to;
    } else if (r->kind == TC_ROUTE_PROB) {
        for (uint32_t k = 0; k < r->n; k++)
            if (r->p[k] > 0.0)
                out[n++] = r->targets[k];
    }
    return n;
}

/* Which classes each source brings: class_id, or the classes in its trace's rows. */
static bool *source_classes(const struct tc_scenario *sc)
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

/* The routes in force: the stations' own, or cur[s] after NEXT events. */
struct routes {
    const struct tc_scenario *sc;
    const struct tc_route *const *cur; /* per station; NULL: the stations' own */
};

static const struct tc_route *route_of(const struct routes *rs, uint32_t s, uint32_t c)
{
    const struct tc_route *r = rs->cur != NULL ? rs->cur[s] : &rs->sc->stations[s].next;

    return class_route(r, c);
}

/* Stations reachable by class c from its entries (reach[], sized n_stations). */
static void reach_class(const struct routes *rs, const bool *src_cls, uint32_t c, bool *reach,
                        uint32_t *stack, uint32_t *succ)
{
    const struct tc_scenario *sc = rs->sc;
    uint32_t top = 0;

    memset(reach, 0, sc->n_stations * sizeof(bool));
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        uint32_t to = sc->sources[i].to;

        if (to < sc->n_stations && src_cls[(size_t)i * sc->n_classes + c] && !reach[to]) {
            reach[to] = true;
            stack[top++] = to;
        }
    }
    while (top > 0) {
        uint32_t s = stack[--top];
        uint32_t n = successors(route_of(rs, s, c), succ);

        for (uint32_t k = 0; k < n; k++) {
            if (succ[k] < sc->n_stations && !reach[succ[k]]) {
                reach[succ[k]] = true;
                stack[top++] = succ[k];
            }
        }
    }
}

/*
** Stations from which exit can be reached by class c: a search backwards
** from the stations with an exit branch, over predecessor lists built once
** (CSR arrays), so O(V + E) rather than a fixed point's O(V E).
*/
static void exits_class(const struct routes *rs, uint32_t c, bool *can_exit, uint32_t *succ)
{
    const struct tc_scenario *sc = rs->sc;
    uint32_t ns = sc->n_stations;
    uint32_t *start = tc_xcalloc((size_t)ns + 2, sizeof(uint32_t));
    uint32_t *pred, *fill, *stack, top = 0;
    size_t n_edges = 0;

    memset(can_exit, 0, ns * sizeof(bool));
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t n = successors(route_of(rs, s, c), succ);

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
        uint32_t n = successors(route_of(rs, s, c), succ);

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
static uint32_t bottom_sccs(const struct routes *rs, uint32_t c, const bool *trapped,
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
            uint32_t n = successors(route_of(rs, v, c), succ);

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
        n = successors(route_of(rs, v, c), succ);
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

/*
** Finds the cycles of trapped stations for every class and reports each once,
** at the next of its first station (or at where, for an event). Returns the
** number reported.
*/
static uint32_t report_traps(struct tc_scenario_load *L, const struct routes *rs,
                             const bool *src_cls, struct cycles *cycles, int where_node,
                             const char *where_path)
{
    const struct tc_scenario *sc = rs->sc;
    uint32_t ns = sc->n_stations;
    bool *reach = tc_xmalloc((ns + 1) * sizeof(bool));
    bool *can_exit = tc_xmalloc((ns + 1) * sizeof(bool));
    uint32_t *stack = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    uint32_t *succ = tc_xmalloc((ns + 2) * sizeof(uint32_t));
    uint32_t *seen_at = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    uint32_t *walk = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    bool *trapped = tc_xmalloc((ns + 1) * sizeof(bool));
    uint32_t *comp = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    bool *is_bottom = tc_xmalloc((ns + 1) * sizeof(bool));
    uint32_t *comp_start = tc_xmalloc((ns + 1) * sizeof(uint32_t));
    uint32_t n_reported = 0, n_comp;

    for (uint32_t k = 0; k < ns; k++)
        seen_at[k] = UINT32_MAX;

    for (uint32_t c = 0; c < sc->n_classes; c++) {
        reach_class(rs, src_cls, c, reach, stack, succ);
        exits_class(rs, c, can_exit, succ);
        for (uint32_t s = 0; s < ns; s++)
            trapped[s] = reach[s] && !can_exit[s];
        n_comp = bottom_sccs(rs, c, trapped, comp, is_bottom, stack, succ);
        /* The lowest station of each component starts its walk. */
        for (uint32_t s = ns; s-- > 0;)
            if (trapped[s])
                comp_start[comp[s]] = s;
        for (uint32_t b = 0; b < n_comp; b++) {
            uint32_t len = 0, cur = TC_NONE, start, lo;
            struct cycle cy;
            bool dup = false;

            if (!is_bottom[b])
                continue;
            cur = comp_start[b];
            /* In a bottom component every successor stays inside: the walk must loop. */
            while (cur < ns && seen_at[cur] == UINT32_MAX) {
                seen_at[cur] = len;
                walk[len++] = cur;
                successors(route_of(rs, cur, c), succ);
                cur = succ[0];
            }
            start = cur < ns ? seen_at[cur] : 0;
            for (uint32_t k = 0; k < len; k++)
                seen_at[walk[k]] = UINT32_MAX;
            if (cur >= ns)
                continue; /* cannot happen: no trapped station leads to exit */
            lo = start;
            for (uint32_t k = start; k < len; k++)
                if (walk[k] < walk[lo])
                    lo = k;
            cy.n = len - start;
            cy.v = tc_xmalloc(cy.n * sizeof(uint32_t));
            for (uint32_t k = 0; k < cy.n; k++)
                cy.v[k] = walk[start + (lo - start + k) % cy.n];
            for (size_t q = 0; q < cycles->n && !dup; q++) {
                if (cycles->v[q].n == cy.n &&
                    memcmp(cycles->v[q].v, cy.v, cy.n * sizeof(uint32_t)) == 0) {
                    cycles->v[q].classes[c] = true;
                    dup = true;
                }
            }
            if (dup) {
                free(cy.v);
                continue;
            }
            cy.classes = tc_xcalloc(sc->n_classes, sizeof(bool));
            cy.classes[c] = true;
            cy.reported = false;
            TC_VEC_PUSH(*cycles, cy);
        }
    }
    for (size_t q = 0; q < cycles->n; q++) {
        struct cycle *cy = &cycles->v[q];
        TC_VEC(char) text = {0};
        uint32_t first = cy->v[0];
        uint32_t n_cls = 0;
        int node;
        size_t m;

        if (cy->reported)
            continue;
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
        for (uint32_t c = 0; c < sc->n_classes; c++)
            n_cls += cy->classes[c];
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
                           where_node ? "after this event, " : "", text.v);
        } else {
            TC_VEC(char) cls = {0};
            uint32_t k = 0;

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
            tc_ynode_error(&L->y, node, NULL,
                           "%strucks of class %s can never leave the cycle %s (no route from it "
                           "leads to exit)",
                           where_node ? "after this event, " : "", cls.v, text.v);
            free(cls.v);
        }
        tc_ynode_path_pop(&L->y.path, m);
        free(text.v);
        cy->reported = true;
        n_reported++;
    }
    free(reach);
    free(can_exit);
    free(stack);
    free(succ);
    free(seen_at);
    free(walk);
    free(trapped);
    free(comp);
    free(is_bottom);
    free(comp_start);
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
    struct routes rs = {sc, NULL};
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

/* ==== Load ==== */

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
static void class_load(const struct tc_scenario *sc, uint32_t c, const bool *src_cls, double *load,
                       double *flow)
{
    uint32_t ns = sc->n_stations;
    struct routes rs = {sc, NULL};
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

    reach_class(&rs, src_cls, c, reach, stack, succ);
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
        uint32_t to = sc->sources[i].to;
        double r;

        if (to >= ns || pos[to] == UINT32_MAX)
            continue;
        r = source_rate(sc, i, c);
        if (r > 0.0) {
            *gsl_vector_ptr(g, pos[to]) += r;
            any = true;
        }
    }
    if (!any)
        goto out;
    /* (I - P^T) lambda = gamma: the flow into j is gamma_j + sum_i lambda_i P_ij. */
    for (uint32_t s = 0; s < ns; s++) {
        const struct tc_route *r;

        if (pos[s] == UINT32_MAX)
            continue;
        r = class_route(&sc->stations[s].next, c);
        if (r->kind == TC_ROUTE_FIXED) {
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
            uint32_t n = successors(class_route(&sc->stations[s].next, c), succ);

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
static void check_load(struct tc_scenario_load *L, const bool *src_cls)
{
    const struct tc_scenario *sc = L->sc;
    uint32_t ns = sc->n_stations;
    double *load = tc_xcalloc(ns + 1, sizeof(double));
    double *flow = tc_xcalloc(ns + 1, sizeof(double));
    bool *entry_wait = tc_xcalloc(ns + 1, sizeof(bool));
    bool *grow;

    for (uint32_t i = 0; i < sc->n_sources; i++) {
        uint32_t to = sc->sources[i].to;

        if (to < ns && !sc->stations[to].reject_when_full)
            entry_wait[to] = true;
    }
    for (uint32_t c = 0; c < sc->n_classes; c++)
        class_load(sc, c, src_cls, load, flow);
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

/* ==== Size of the run ==== */

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
static void check_size(struct tc_scenario_load *L)
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
        if (sc->sources[i].to < sc->n_stations && !entry[sc->sources[i].to]) {
            entry[sc->sources[i].to] = true;
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
    metrics = tc_metrics_count(sc->n_stations, sc->n_classes, n_roads);
    if (reps * metrics > TC_LIMIT_RESULTS)
        tc_ynode_error(&L->y, at, rn != 0 ? "replications" : NULL,
                       "the run would keep %zu results in memory (%zu replications x %zu "
                       "metrics), more than %u (TC_LIMIT_RESULTS in tcsim/limits.h): lower "
                       "replications",
                       reps * metrics, reps, metrics, TC_LIMIT_RESULTS);
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
                check_trace(L, i);
            }
        }
        sources_ok &= L->source_ok[i];
    }
    if (!L->stations_ok || !L->classes_ok)
        return;
    src_cls = source_classes(sc);
    check_cycles(L, src_cls);
    if (sources_ok && L->events_ok && L->y.diags->n_err == L->err0) {
        check_size(L);
        check_load(L, src_cls);
    }
    free(src_cls);
}
