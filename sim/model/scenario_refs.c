/*
** scenario_refs: names that point at other parts of the scenario
** (scenarios/README.md): next/to/station naming no station, class and
** stream names, with a "did you mean"; duplicate stream names (duplicate
** station and class names are duplicate YAML keys, caught by
** tc_ynode_check_keys). Lookups go through a sorted name index.
*/
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "model/scenario_int.h"
#include "tcsim/scenario.h"

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

void tc_scenario_short_list(const char *const *names, size_t n, char *buf, size_t len)
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
    tc_scenario_short_list(cands, n_cands, list, sizeof(list));
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
