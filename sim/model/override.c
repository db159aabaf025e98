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

/* Applies one override; returns true when the document changed. */
static bool apply_one(yaml_document_t *doc, uint32_t k, const struct tc_override *o,
                      struct tc_diags *diags)
{
    struct tc_pos pos = {"--set", k, 0};
    const char *key = o->key ? o->key : "";
    const char *value = o->value ? o->value : "";
    char *copy = tc_xstrdup(key);
    char **comps = NULL;
    size_t n_comps = 0, cap = 0;
    char where[256];
    int cur = 1;
    bool ok = false, bad_key = copy[0] == '\0', bad_quote = false;
    TC_VEC(char *) owned = {0};

    /* copy is cut in place: a quoted part is unescaped over itself. */
    for (char *p = copy;;) {
        char *end = split_component(p, &bad_key, &bad_quote);

        if (n_comps == cap) {
            cap = cap ? 2 * cap : 8;
            comps = tc_xrealloc(comps, cap * sizeof(*comps));
        }
        comps[n_comps++] = p;
        if (end == NULL || bad_key || bad_quote)
            break;
        p = end;
    }
    /* The document's names are in NFC (scenario_load.c): so must the key's be. */
    for (size_t i = 0; i < n_comps && !bad_key && !bad_quote; i++) {
        size_t nl;
        char *nfc = tc_names_nfc(comps[i], strlen(comps[i]), &nl);

        if (nfc != NULL) {
            TC_VEC_PUSH(owned, nfc);
            comps[i] = nfc;
        }
    }
    if (bad_quote) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, key,
                     "a quoted part of KEY must end with a double quote followed by a dot or the "
                     "end, as in stations.\"gate.1\".servers");
        goto out;
    }
    if (bad_key) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, key,
                     "expected KEY=VALUE with KEY a dotted path such as "
                     "stations.customs.servers");
        goto out;
    }
    for (size_t i = 0; i < n_comps; i++) {
        const char *c = comps[i];
        bool last = i + 1 == n_comps;
        yaml_node_t *n = node_at(doc, cur);

        prefix_text(where, sizeof(where), comps, i);
        if (n == NULL)
            goto out;
        if (n->type == YAML_MAPPING_NODE) {
            size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
            size_t j;
            int v;

            for (j = 0; j < np; j++) {
                yaml_node_t *kn = node_at(doc, n->data.mapping.pairs.start[j].key);

                if (kn != NULL && kn->type == YAML_SCALAR_NODE &&
                    strcmp((const char *)kn->data.scalar.value, c) == 0)
                    break;
            }
            if (j < np && !last) {
                cur = n->data.mapping.pairs.start[j].value;
                continue;
            }
            if (j == np && i + 2 == n_comps && strcmp(comps[i + 1], "+") == 0) {
                /* events.+ where there are no events yet: start the list */
                int kid = yaml_document_add_scalar(doc, NULL, (const yaml_char_t *)c,
                                                   (int)strlen(c), YAML_PLAIN_SCALAR_STYLE);
                int lid = yaml_document_add_sequence(doc, NULL, YAML_FLOW_SEQUENCE_STYLE);
                if (kid == 0 || lid == 0 ||
                    !yaml_document_append_mapping_pair(doc, cur, kid, lid)) {
                    tc_diags_add(diags, TC_SEV_ERROR, &pos, key, "the key is not valid UTF-8");
                    goto out;
                }
                cur = lid;
                continue;
            }
            if (j == np && !last) {
                const char **cands = tc_xmalloc((np + 1) * sizeof(*cands));
                size_t nc = 0;
                const char *best;

                for (size_t q = 0; q < np; q++) {
                    yaml_node_t *kn = node_at(doc, n->data.mapping.pairs.start[q].key);

                    if (kn != NULL && kn->type == YAML_SCALAR_NODE)
                        cands[nc++] = (const char *)kn->data.scalar.value;
                }
                best = tc_diag_suggest(c, cands, nc);
                if (best != NULL && needs_quotes(best))
                    /* Suggest what can be typed: gate.1 unquoted would be two parts. */
                    tc_diags_add(diags, TC_SEV_ERROR, &pos, key,
                                 "no key \"%s\" in %s; did you mean \"%s\"? A name with a dot is "
                                 "written in double quotes: %s%s\"%s\"",
                                 c, where, best, i ? where : "", i ? "." : "", best);
                else if (best != NULL)
                    tc_diags_add(diags, TC_SEV_ERROR, &pos, key,
                                 "no key \"%s\" in %s; did you mean \"%s\"?", c, where, best);
                else
                    tc_diags_add(diags, TC_SEV_ERROR, &pos, key, "no key \"%s\" in %s", c, where);
                free(cands);
                goto out;
            }
            v = build_value(doc, value, &pos, key, diags);
            if (v == 0)
                goto out;
            if (j < np) {
                /* build_value may have moved the node array: look the mapping up again. */
                node_at(doc, cur)->data.mapping.pairs.start[j].value = v;
            } else {
                int kid = yaml_document_add_scalar(doc, NULL, (const yaml_char_t *)c,
                                                   (int)strlen(c), YAML_PLAIN_SCALAR_STYLE);

                if (kid == 0 || !yaml_document_append_mapping_pair(doc, cur, kid, v)) {
                    tc_diags_add(diags, TC_SEV_ERROR, &pos, key, "the key is not valid UTF-8");
                    goto out;
                }
            }
            ok = true;
            goto out;
        }
        if (n->type == YAML_SEQUENCE_NODE) {
            size_t ni = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
            size_t j = ni;
            int v;

            if (strcmp(c, "+") == 0) { /* events.+={...}: a new item at the end */
                if (!last) {
                    tc_diags_add(diags, TC_SEV_ERROR, &pos, key,
                                 "\"+\" appends a whole item to %s: it must be the last part of "
                                 "the key",
                                 where);
                    goto out;
                }
                v = build_value(doc, value, &pos, key, diags);
                if (v == 0 || !yaml_document_append_sequence_item(doc, cur, v)) {
                    if (v != 0)
                        tc_diags_add(diags, TC_SEV_ERROR, &pos, key, "cannot append to %s", where);
                    goto out;
                }
                ok = true;
                goto out;
            }
            if (is_index(c)) {
                char *end;
                unsigned long long x = strtoull(c, &end, 10);

                if (x < ni)
                    j = (size_t)x;
            } else {
                for (size_t q = 0; q < ni && j == ni; q++) {
                    yaml_node_t *it = node_at(doc, n->data.sequence.items.start[q]);

                    if (it == NULL || it->type != YAML_MAPPING_NODE)
                        continue;
                    for (yaml_node_pair_t *p = it->data.mapping.pairs.start;
                         p < it->data.mapping.pairs.top; p++) {
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
            }
            if (j == ni) {
                if (ni == 0)
                    tc_diags_add(diags, TC_SEV_ERROR, &pos, key,
                                 "no item \"%s\" in %s: the list is empty", c, where);
                else
                    tc_diags_add(diags, TC_SEV_ERROR, &pos, key,
                                 "no item \"%s\" in %s: give an index from 0 to %zu or an "
                                 "item's name",
                                 c, where, ni - 1);
                goto out;
            }
            if (!last) {
                cur = n->data.sequence.items.start[j];
                continue;
            }
            v = build_value(doc, value, &pos, key, diags);
            if (v == 0)
                goto out;
            node_at(doc, cur)->data.sequence.items.start[j] = v;
            ok = true;
            goto out;
        }
        tc_diags_add(diags, TC_SEV_ERROR, &pos, key, "%s is a single value; it has no \"%s\"",
                     where, c);
        goto out;
    }
out:
    for (size_t i = 0; i < owned.n; i++)
        free(owned.v[i]);
    free(owned.v);
    free(comps);
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
        apply_one(doc, (uint32_t)(k + 1), &ovr[k], diags);
        /* Nodes added by a failed override are unreachable; marking them is harmless. */
        for (size_t id = before + 1; id <= (size_t)n_nodes(doc); id++)
            TC_VEC_PUSH(map, (uint32_t)(k + 1));
    }
    *out_n = map.n;
    return map.v;
}
