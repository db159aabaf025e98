/*
** override: each --set walks the document from the root along its dotted
** key and swaps one node id in the parent mapping or list for a new node.
** Everything goes through libyaml's document API (yaml_document_add_*,
** _append_*), which may move the node array, so node pointers are never
** kept across an addition: only ids. A flow value is parsed by a second
** libyaml parser and copied node by node; a table from source to copied
** ids keeps shared (aliased) nodes shared and makes self-references safe.
*/
#include "model/override.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "model/names.h"
#include "model/ynode.h"

/* Deeper flow values are refused: the copy recurses. */
#define OVR_MAX_DEPTH 64

static yaml_node_t *node_at(yaml_document_t *doc, int id)
{
    if (id <= 0 || id > (int)(doc->nodes.top - doc->nodes.start))
        return NULL;
    return doc->nodes.start + (id - 1);
}

static int n_nodes(const yaml_document_t *doc)
{
    return (int)(doc->nodes.top - doc->nodes.start);
}

/* Copies src node sid into dst; map[sid] remembers copies. Returns the new id or 0. */
static int copy_node(yaml_document_t *dst, yaml_document_t *src, int sid, int *map, int depth)
{
    yaml_node_t *s = node_at(src, sid);
    int id = 0;

    if (s == NULL || depth > OVR_MAX_DEPTH)
        return 0;
    if (map[sid] != 0)
        return map[sid];
    switch (s->type) {
    case YAML_SCALAR_NODE:
        id = yaml_document_add_scalar(dst, s->tag, s->data.scalar.value, (int)s->data.scalar.length,
                                      s->data.scalar.style);
        map[sid] = id;
        return id;
    case YAML_SEQUENCE_NODE: {
        size_t n = (size_t)(s->data.sequence.items.top - s->data.sequence.items.start);

        id = yaml_document_add_sequence(dst, s->tag, YAML_FLOW_SEQUENCE_STYLE);
        if (id == 0)
            return 0;
        map[sid] = id;
        for (size_t i = 0; i < n; i++) {
            /* s may not move (src is not modified), but re-read it anyway for clarity. */
            int item = node_at(src, sid)->data.sequence.items.start[i];
            int c = copy_node(dst, src, item, map, depth + 1);

            if (c == 0 || !yaml_document_append_sequence_item(dst, id, c))
                return 0;
        }
        return id;
    }
    case YAML_MAPPING_NODE: {
        size_t n = (size_t)(s->data.mapping.pairs.top - s->data.mapping.pairs.start);

        id = yaml_document_add_mapping(dst, s->tag, YAML_FLOW_MAPPING_STYLE);
        if (id == 0)
            return 0;
        map[sid] = id;
        for (size_t i = 0; i < n; i++) {
            yaml_node_pair_t p = node_at(src, sid)->data.mapping.pairs.start[i];
            int k = copy_node(dst, src, p.key, map, depth + 1);
            int v = k ? copy_node(dst, src, p.value, map, depth + 1) : 0;

            if (v == 0 || !yaml_document_append_mapping_pair(dst, id, k, v))
                return 0;
        }
        return id;
    }
    case YAML_NO_NODE:
    default:
        return 0;
    }
}

/* Builds the node for value; 0 after an error. */
static int build_value(yaml_document_t *doc, const char *value, const struct tc_pos *pos,
                       const char *key, struct tc_diags *diags)
{
    const char *p = value;
    yaml_parser_t parser;
    yaml_document_t vdoc;
    int id = 0, *map;

    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '[' && *p != '{') {
        id = yaml_document_add_scalar(doc, NULL, (const yaml_char_t *)value, (int)strlen(value),
                                      YAML_PLAIN_SCALAR_STYLE);
        if (id == 0)
            tc_diags_add(diags, TC_SEV_ERROR, pos, key, "the value is not valid UTF-8");
        return id;
    }
    /* The file's limits hold for a value too: depth, aliases, scalar length. */
    if (!tc_ynode_prescan(value, strlen(value), pos->file, pos, key, diags))
        return 0;
    if (!yaml_parser_initialize(&parser)) {
        tc_diags_add(diags, TC_SEV_ERROR, pos, key, "cannot read the value: out of memory");
        return 0;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)value, strlen(value));
    memset(&vdoc, 0, sizeof(vdoc));
    if (!yaml_parser_load(&parser, &vdoc)) {
        tc_diags_add(diags, TC_SEV_ERROR, pos, key,
                     "cannot read the value as a YAML flow list or mapping: %s",
                     parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        return 0;
    }
    yaml_parser_delete(&parser);
    map = tc_xcalloc((size_t)n_nodes(&vdoc) + 1, sizeof(int));
    if (n_nodes(&vdoc) > 0)
        id = copy_node(doc, &vdoc, 1, map, 0);
    if (id == 0)
        tc_diags_add(diags, TC_SEV_ERROR, pos, key,
                     "cannot use the value: empty, nested more than %d deep, or not valid UTF-8",
                     OVR_MAX_DEPTH);
    free(map);
    yaml_document_delete(&vdoc);
    return id;
}

static bool is_index(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/*
** A key component is a name as written, up to the next dot, or a name in
** double quotes ("gate.1", with \" and \\ for a quote and a backslash),
** so that a name holding a dot can be targeted. Cuts the component at p in
** place and returns where the next one starts, or NULL at the end; sets
** *bad on an empty unquoted part, *bad_quote on a quote left open or not
** followed by a dot or the end.
*/
static char *split_component(char *p, bool *bad, bool *bad_quote)
{
    char *dot, *w;

    if (*p != '"') {
        dot = strchr(p, '.');
        if (dot != NULL)
            *dot = '\0';
        if (*p == '\0')
            *bad = true;
        return dot ? dot + 1 : NULL;
    }
    for (w = p, p++; *p != '"'; p++) {
        if (*p == '\0') {
            *bad_quote = true;
            return NULL;
        }
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
            p++;
        *w++ = *p;
    }
    *w = '\0';
    if (p[1] == '\0')
        return NULL;
    if (p[1] != '.') {
        *bad_quote = true;
        return NULL;
    }
    if (p[2] == '\0')
        *bad = true; /* "gate.1". : an empty last part */
    return p + 2;
}

/* Whether a name must be written quoted in a key (it holds a dot, or starts with a quote). */
static bool needs_quotes(const char *name)
{
    return strchr(name, '.') != NULL || name[0] == '"' || name[0] == '\0';
}

/* "stations.customs" for the first n components, or "the top level". */
static void prefix_text(char *buf, size_t len, char **comps, size_t n)
{
    size_t o = 0;

    if (n == 0) {
        snprintf(buf, len, "the top level");
        return;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < len; i++) {
        bool q = needs_quotes(comps[i]);
        int w = snprintf(buf + o, len - o, "%s%s%s%s", i ? "." : "", q ? "\"" : "", comps[i],
                         q ? "\"" : "");

        if (w < 0)
            break;
        o += (size_t)w;
    }
}

/* One --set being applied: its key cut into components, and where messages go. */
struct ovr_walk {
    yaml_document_t *doc;
    struct tc_pos pos;
    const char *key, *value;
    struct tc_diags *diags;
    char **comps; /* into the key's copy, or into owned */
    size_t n_comps;
    TC_VEC(char *) owned; /* the NFC forms of components that were not in NFC */
    char where[256];      /* prefix_text of the components before the current one */
};

/* What one step of the walk did. */
enum ovr_step {
    OVR_DESCEND, /* cur is the next node to walk into */
    OVR_DONE,    /* the value is in place */
    OVR_FAILED   /* an error was reported, or the document holds no such node */
};

/*
** Cuts copy in place into w->comps (a quoted part is unescaped over
** itself) and puts each in NFC, as the document's names are
** (scenario_load.c); the NFC forms go in w->owned. False after an error.
*/
static bool split_key(struct ovr_walk *w, char *copy)
{
    size_t cap = 0;
    bool bad_key = copy[0] == '\0', bad_quote = false;

    for (char *p = copy;;) {
        char *end = split_component(p, &bad_key, &bad_quote);

        if (w->n_comps == cap) {
            cap = cap ? 2 * cap : 8;
            w->comps = tc_xrealloc(w->comps, cap * sizeof(*w->comps));
        }
        w->comps[w->n_comps++] = p;
        if (end == NULL || bad_key || bad_quote)
            break;
        p = end;
    }
    for (size_t i = 0; i < w->n_comps && !bad_key && !bad_quote; i++) {
        size_t nl;
        char *nfc = tc_names_nfc(w->comps[i], strlen(w->comps[i]), &nl);

        if (nfc != NULL) {
            TC_VEC_PUSH(w->owned, nfc);
            w->comps[i] = nfc;
        }
    }
    if (bad_quote) {
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                     "a quoted part of KEY must end with a double quote followed by a dot or the "
                     "end, as in stations.\"gate.1\".servers");
        return false;
    }
    if (bad_key) {
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                     "expected KEY=VALUE with KEY a dotted path such as "
                     "stations.customs.servers");
        return false;
    }
    return true;
}

/* Index of the pair of mapping n whose key is the scalar c, or the number of pairs. */
static size_t find_pair(yaml_document_t *doc, const yaml_node_t *n, const char *c)
{
    size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    size_t j;

    for (j = 0; j < np; j++) {
        yaml_node_t *kn = node_at(doc, n->data.mapping.pairs.start[j].key);

        if (kn != NULL && kn->type == YAML_SCALAR_NODE &&
            strcmp((const char *)kn->data.scalar.value, c) == 0)
            break;
    }
    return j;
}

/* Adds the pair c: v to mapping cur; false (reported) when c cannot be a key. */
static bool add_pair(struct ovr_walk *w, int cur, const char *c, int v)
{
    int kid = yaml_document_add_scalar(w->doc, NULL, (const yaml_char_t *)c, (int)strlen(c),
                                       YAML_PLAIN_SCALAR_STYLE);

    if (kid == 0 || !yaml_document_append_mapping_pair(w->doc, cur, kid, v)) {
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key, "the key is not valid UTF-8");
        return false;
    }
    return true;
}

/* "no key c in where", with a "did you mean" among the keys of mapping n. */
static void report_no_key(struct ovr_walk *w, size_t i, const yaml_node_t *n)
{
    size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    const char *c = w->comps[i];
    const char **cands = tc_xmalloc((np + 1) * sizeof(*cands));
    size_t nc = 0;
    const char *best;

    for (size_t q = 0; q < np; q++) {
        yaml_node_t *kn = node_at(w->doc, n->data.mapping.pairs.start[q].key);

        if (kn != NULL && kn->type == YAML_SCALAR_NODE)
            cands[nc++] = (const char *)kn->data.scalar.value;
    }
    best = tc_diag_suggest(c, cands, nc);
    if (best != NULL && needs_quotes(best))
        /* Suggest what can be typed: gate.1 unquoted would be two parts. */
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                     "no key \"%s\" in %s; did you mean \"%s\"? A name with a dot is "
                     "written in double quotes: %s%s\"%s\"",
                     c, w->where, best, i ? w->where : "", i ? "." : "", best);
    else if (best != NULL)
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                     "no key \"%s\" in %s; did you mean \"%s\"?", c, w->where, best);
    else
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key, "no key \"%s\" in %s", c, w->where);
    free(cands);
}

/* Component i in the mapping *cur: walk into its value, or set it when i is the last. */
static enum ovr_step step_mapping(struct ovr_walk *w, size_t i, int *cur)
{
    const char *c = w->comps[i];
    bool last = i + 1 == w->n_comps;
    yaml_node_t *n = node_at(w->doc, *cur);
    size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    size_t j = find_pair(w->doc, n, c);
    int v;

    if (j < np && !last) {
        *cur = n->data.mapping.pairs.start[j].value;
        return OVR_DESCEND;
    }
    if (j == np && i + 2 == w->n_comps && strcmp(w->comps[i + 1], "+") == 0) {
        /* events.+ where there are no events yet: start the list */
        int kid = yaml_document_add_scalar(w->doc, NULL, (const yaml_char_t *)c, (int)strlen(c),
                                           YAML_PLAIN_SCALAR_STYLE);
        int lid = yaml_document_add_sequence(w->doc, NULL, YAML_FLOW_SEQUENCE_STYLE);

        if (kid == 0 || lid == 0 || !yaml_document_append_mapping_pair(w->doc, *cur, kid, lid)) {
            tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key, "the key is not valid UTF-8");
            return OVR_FAILED;
        }
        *cur = lid;
        return OVR_DESCEND;
    }
    if (j == np && !last) {
        report_no_key(w, i, n);
        return OVR_FAILED;
    }
    v = build_value(w->doc, w->value, &w->pos, w->key, w->diags);
    if (v == 0)
        return OVR_FAILED;
    if (j < np)
        /* build_value may have moved the node array: look the mapping up again. */
        node_at(w->doc, *cur)->data.mapping.pairs.start[j].value = v;
    else if (!add_pair(w, *cur, c, v))
        return OVR_FAILED;
    return OVR_DONE;
}

/* Index of the item of list n named by c (an index, or an item's name:), or the number of items. */
static size_t find_item(yaml_document_t *doc, const yaml_node_t *n, const char *c)
{
    size_t ni = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    size_t j = ni;

    if (is_index(c)) {
        char *end;
        unsigned long long x = strtoull(c, &end, 10);

        return x < ni ? (size_t)x : ni;
    }
    for (size_t q = 0; q < ni && j == ni; q++) {
        yaml_node_t *it = node_at(doc, n->data.sequence.items.start[q]);

        if (it == NULL || it->type != YAML_MAPPING_NODE)
            continue;
        for (yaml_node_pair_t *p = it->data.mapping.pairs.start; p < it->data.mapping.pairs.top;
             p++) {
            yaml_node_t *kn = node_at(doc, p->key);
            yaml_node_t *vn = node_at(doc, p->value);

            if (kn != NULL && vn != NULL && kn->type == YAML_SCALAR_NODE &&
                vn->type == YAML_SCALAR_NODE &&
                strcmp((const char *)kn->data.scalar.value, "name") == 0 &&
                strcmp((const char *)vn->data.scalar.value, c) == 0) {
                j = q;
                break;
            }
        }
    }
    return j;
}

/* events.+={...}: a new item at the end of list cur; "+" must be the last component. */
static enum ovr_step append_item(struct ovr_walk *w, bool last, int cur)
{
    int v;

    if (!last) {
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                     "\"+\" appends a whole item to %s: it must be the last part of "
                     "the key",
                     w->where);
        return OVR_FAILED;
    }
    v = build_value(w->doc, w->value, &w->pos, w->key, w->diags);
    if (v == 0 || !yaml_document_append_sequence_item(w->doc, cur, v)) {
        if (v != 0)
            tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key, "cannot append to %s", w->where);
        return OVR_FAILED;
    }
    return OVR_DONE;
}

/* Component i in the list *cur: walk into the item, replace it, or append one ("+"). */
static enum ovr_step step_sequence(struct ovr_walk *w, size_t i, int *cur)
{
    const char *c = w->comps[i];
    bool last = i + 1 == w->n_comps;
    yaml_node_t *n = node_at(w->doc, *cur);
    size_t ni = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    size_t j;
    int v;

    if (strcmp(c, "+") == 0)
        return append_item(w, last, *cur);
    j = find_item(w->doc, n, c);
    if (j == ni) {
        if (ni == 0)
            tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                         "no item \"%s\" in %s: the list is empty", c, w->where);
        else
            tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                         "no item \"%s\" in %s: give an index from 0 to %zu or an "
                         "item's name",
                         c, w->where, ni - 1);
        return OVR_FAILED;
    }
    if (!last) {
        *cur = n->data.sequence.items.start[j];
        return OVR_DESCEND;
    }
    v = build_value(w->doc, w->value, &w->pos, w->key, w->diags);
    if (v == 0)
        return OVR_FAILED;
    node_at(w->doc, *cur)->data.sequence.items.start[j] = v;
    return OVR_DONE;
}

/* Walks the components from the root; true when the value was put in place. */
static bool walk_key(struct ovr_walk *w)
{
    int cur = 1;

    for (size_t i = 0; i < w->n_comps; i++) {
        yaml_node_t *n = node_at(w->doc, cur);
        enum ovr_step st;

        prefix_text(w->where, sizeof(w->where), w->comps, i);
        if (n == NULL)
            return false;
        if (n->type == YAML_MAPPING_NODE) {
            st = step_mapping(w, i, &cur);
        } else if (n->type == YAML_SEQUENCE_NODE) {
            st = step_sequence(w, i, &cur);
        } else {
            tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                         "%s is a single value; it has no \"%s\"", w->where, w->comps[i]);
            return false;
        }
        if (st != OVR_DESCEND)
            return st == OVR_DONE;
    }
    return false;
}

/* Applies one override; returns true when the document changed. */
static bool apply_one(yaml_document_t *doc, uint32_t k, const struct tc_override *o,
                      struct tc_diags *diags)
{
    struct ovr_walk w = {.doc = doc, .pos = {"--set", k, 0}, .diags = diags};
    char *copy;
    bool ok;

    w.key = o->key ? o->key : "";
    w.value = o->value ? o->value : "";
    copy = tc_xstrdup(w.key);
    ok = split_key(&w, copy) && walk_key(&w);
    for (size_t i = 0; i < w.owned.n; i++)
        free(w.owned.v[i]);
    free(w.owned.v);
    free(w.comps);
    free(copy);
    return ok;
}

uint32_t *tc_override_apply(yaml_document_t *doc, const struct tc_override *ovr, size_t n_ovr,
                            size_t *out_n, struct tc_diags *diags)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    TC_VEC(uint32_t) map = {0};

    *out_n = 0;
    if (n_ovr == 0 || root == NULL || root->type != YAML_MAPPING_NODE)
        return NULL;
    TC_VEC_GROW(map, (size_t)n_nodes(doc) + 1);
    map.n = (size_t)n_nodes(doc) + 1;
    memset(map.v, 0, map.n * sizeof(uint32_t));
    for (size_t k = 0; k < n_ovr; k++) {
        size_t before = (size_t)n_nodes(doc);

        if (k >= UINT32_MAX - 1)
            break;
        if (!tc_override_is_scale(&ovr[k])) /* KEY*=F acts on the loaded scenario */
            apply_one(doc, (uint32_t)(k + 1), &ovr[k], diags);
        /* Nodes added by a failed override are unreachable; marking them is harmless. */
        for (size_t id = before + 1; id <= (size_t)n_nodes(doc); id++)
            TC_VEC_PUSH(map, (uint32_t)(k + 1));
    }
    *out_n = map.n;
    return map.v;
}

/* ---- KEY*=F: scaling a distribution or a stream's rate ---- */

bool tc_override_is_scale(const struct tc_override *o)
{
    size_t n = o->key ? strlen(o->key) : 0;

    return n > 0 && o->key[n - 1] == '*';
}

/* What a scale step did: the path is not one that scales, done, or an error was reported. */
enum scale_res { SCALE_NO_PATH, SCALE_OK, SCALE_FAILED };

/* Index named by c (a name in NFC, or a 0-based index) among n, or TC_NONE. */
static uint32_t scale_find(const struct tc_scenario *sc, int what, const char *c, uint32_t n)
{
    if (is_index(c)) {
        unsigned long long x = strtoull(c, NULL, 10);

        return x < n ? (uint32_t)x : TC_NONE;
    }
    return what == 0   ? tc_scenario_station(sc, c)
           : what == 1 ? tc_scenario_source(sc, c)
                       : tc_scenario_class(sc, c);
}

/* Scales one dist, reporting what tc_dist_scale refused. */
static enum scale_res scale_dist(struct ovr_walk *w, struct tc_dist *d, double f)
{
    const char *err = tc_dist_scale(d, f);

    if (err != NULL)
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key, "scaled by %g: %s", f, err);
    return err == NULL ? SCALE_OK : SCALE_FAILED;
}

static enum scale_res scale_station(struct ovr_walk *w, struct tc_scenario *sc,
                                    struct tc_station *st, double f)
{
    char **c = w->comps;
    size_t n = w->n_comps;

    if (n == 3 && strcmp(c[2], "service") == 0) {
        enum scale_res r = SCALE_OK;

        for (uint32_t k = 0; k < sc->n_classes && r == SCALE_OK; k++)
            r = scale_dist(w, &st->service[k], f);
        return r;
    }
    if (n == 4 && strcmp(c[2], "service") == 0) {
        uint32_t k = tc_scenario_class(sc, c[3]);

        if (k == TC_NONE) {
            tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key, "no class named \"%s\"", c[3]);
            return SCALE_FAILED;
        }
        return scale_dist(w, &st->service[k], f);
    }
    if (n == 4 && strcmp(c[2], "failures") == 0 &&
        (strcmp(c[3], "up") == 0 || strcmp(c[3], "down") == 0)) {
        if (!st->failures.on) {
            tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                         "station \"%s\" has no failures to scale", st->name);
            return SCALE_FAILED;
        }
        return scale_dist(w, c[3][0] == 'u' ? &st->failures.up : &st->failures.down, f);
    }
    return SCALE_NO_PATH;
}

static enum scale_res scale_source(struct ovr_walk *w, struct tc_source *so, double f)
{
    const char *what = w->comps[2];

    if (w->n_comps != 3 || (strcmp(what, "rate") != 0 && strcmp(what, "interarrival") != 0))
        return SCALE_NO_PATH;
    if (so->kind == TC_SRC_TRACE) {
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key,
                     "stream \"%s\" replays a trace: its times cannot be scaled", so->name);
        return SCALE_FAILED;
    }
    /* rate*=F: F times as many trucks; interarrival*=F: gaps F times as long. */
    if (what[0] == 'i')
        f = 1.0 / f;
    if (so->kind == TC_SRC_RATE) {
        /* hourly and daily profiles and rate_factor events multiply this rate */
        so->rate_per_t *= f;
        return SCALE_OK;
    }
    return scale_dist(w, &so->interarrival, 1.0 / f);
}

/* The object KEY names (stations.S..., arrivals.A..., classes.C...) scaled by f. */
static enum scale_res scale_path(struct ovr_walk *w, struct tc_scenario *sc, double f)
{
    const char *top = w->comps[0];
    int what = strcmp(top, "stations") == 0   ? 0
               : strcmp(top, "arrivals") == 0 ? 1
               : strcmp(top, "classes") == 0  ? 2
                                              : -1;
    uint32_t n = what == 0 ? sc->n_stations : what == 1 ? sc->n_sources : sc->n_classes;
    uint32_t i;

    if (what < 0 || w->n_comps < 3)
        return SCALE_NO_PATH;
    i = scale_find(sc, what, w->comps[1], n);
    if (i == TC_NONE) {
        tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key, "no %s \"%s\"",
                     what == 0   ? "station"
                     : what == 1 ? "arrival stream"
                                 : "class",
                     w->comps[1]);
        return SCALE_FAILED;
    }
    if (what == 0)
        return scale_station(w, sc, &sc->stations[i], f);
    if (what == 1)
        return scale_source(w, &sc->sources[i], f);
    if (w->n_comps != 3 || strcmp(w->comps[2], "patience") != 0)
        return SCALE_NO_PATH;
    if (sc->classes[i].has_patience)
        return scale_dist(w, &sc->classes[i].patience, f);
    tc_diags_add(w->diags, TC_SEV_ERROR, &w->pos, w->key, "class \"%s\" has no patience to scale",
                 sc->classes[i].name);
    return SCALE_FAILED;
}

/* Applies one KEY*=F (errors reported). */
static void scale_one(struct tc_scenario *sc, uint32_t k, const struct tc_override *o,
                      struct tc_diags *diags)
{
    struct ovr_walk w = {.pos = {"--set", k, 0}, .diags = diags, .key = o->key};
    char *copy = tc_xstrdup(o->key), *end = NULL;
    const char *v = o->value ? o->value : "";
    double f = 0.0;

    copy[strlen(copy) - 1] = '\0';
    errno = 0;
    if (*v != '\0')
        f = strtod(v, &end);
    if (*v == '\0' || *end != '\0' || errno || !(f > 0.0) || !isfinite(f))
        tc_diags_add(diags, TC_SEV_ERROR, &w.pos, w.key,
                     "KEY*=F scales by F, a number > 0 without a unit, got \"%s\"", v);
    else if (split_key(&w, copy) && scale_path(&w, sc, f) == SCALE_NO_PATH)
        tc_diags_add(diags, TC_SEV_ERROR, &w.pos, w.key,
                     "KEY*=F scales stations.S.service, stations.S.service.CLASS, "
                     "stations.S.failures.up or .down, classes.C.patience, arrivals.A.rate or "
                     "arrivals.A.interarrival");
    for (size_t i = 0; i < w.owned.n; i++)
        free(w.owned.v[i]);
    free(w.owned.v);
    free(w.comps);
    free(copy);
}

void tc_override_scale(struct tc_scenario *sc, const struct tc_override *ovr, size_t n_ovr,
                       struct tc_diags *diags)
{
    for (size_t k = 0; k < n_ovr && k < UINT32_MAX - 1; k++)
        if (tc_override_is_scale(&ovr[k]))
            scale_one(sc, (uint32_t)(k + 1), &ovr[k], diags);
}
