/*
** ynode: the tree of a scenario document and the positions of its nodes:
** key paths, node access, positioned diagnostics (with the cap on their
** number), kind checks and the check of a mapping's keys. The getters of
** values are in ynode_scalar.c and ynode_dist.c. Paths are pushed onto
** y->path only while a message is formatted, so the common case (no error)
** costs nothing but the scan.
*/
#include "model/ynode.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/xmem.h"

/* ==== Paths ==== */

void tc_ynode_path_init(struct tc_ynode_path *p)
{
    p->cap = 64;
    p->s = tc_xmalloc(p->cap);
    p->s[0] = '\0';
    p->len = 0;
}

void tc_ynode_path_fini(struct tc_ynode_path *p)
{
    if (p == NULL)
        return;
    free(p->s);
    p->s = NULL;
    p->len = p->cap = 0;
}

static void path_append(struct tc_ynode_path *p, const char *s, size_t n)
{
    if (p->len + n + 1 > p->cap) {
        while (p->len + n + 1 > p->cap)
            p->cap *= 2;
        p->s = tc_xrealloc(p->s, p->cap);
    }
    memcpy(p->s + p->len, s, n);
    p->len += n;
    p->s[p->len] = '\0';
}

size_t tc_ynode_path_key(struct tc_ynode_path *p, const char *key)
{
    size_t old = p->len;

    if (p->len > 0)
        path_append(p, ".", 1);
    path_append(p, key, strlen(key));
    return old;
}

size_t tc_ynode_path_index(struct tc_ynode_path *p, size_t i)
{
    char buf[32];
    size_t old = p->len;
    int n = snprintf(buf, sizeof(buf), "[%zu]", i);

    path_append(p, buf, (size_t)n);
    return old;
}

void tc_ynode_path_pop(struct tc_ynode_path *p, size_t len)
{
    if (len < p->len) {
        p->len = len;
        p->s[len] = '\0';
    }
}

size_t tc_ynode_path_suffix(struct tc_ynode_path *p, const char *key)
{
    size_t old = p->len;

    if (key == NULL)
        return old;
    if (key[0] == '[')
        path_append(p, key, strlen(key));
    else
        tc_ynode_path_key(p, key);
    return old;
}

/* key + "[i]" or key + "." + sub into buf, for messages about parts of a node. */
const char *tc_ynode_subkey(char *buf, size_t len, const char *key, const char *sub)
{
    if (key == NULL)
        snprintf(buf, len, "%s", sub);
    else if (sub[0] == '[')
        snprintf(buf, len, "%s%s", key, sub);
    else
        snprintf(buf, len, "%s.%s", key, sub);
    return buf;
}

/* ==== Nodes ==== */

void tc_ynode_init(struct tc_ynode *y, yaml_document_t *doc, const char *file,
                   struct tc_diags *diags)
{
    memset(y, 0, sizeof(*y));
    y->doc = doc;
    y->file = file;
    y->tu = TC_TU_MIN;
    y->diags = diags;
    y->diags0 = diags != NULL ? diags->n : 0;
    tc_ynode_path_init(&y->path);
}

bool tc_ynode_is_capped(const struct tc_ynode *y)
{
    return y->diags->n - y->diags0 >= TC_LIMIT_DIAGS;
}

bool tc_ynode_report_dropped(struct tc_ynode *y)
{
    struct tc_pos pos = {y->file, 0, 0};

    if (y->n_dropped == 0)
        return false;
    tc_diags_add(y->diags, y->dropped_err ? TC_SEV_ERROR : TC_SEV_WARNING, &pos, "",
                 "too many problems: the first %u are shown, %zu more %s not, and parts of the "
                 "file may not have been checked (TC_LIMIT_DIAGS in tcsim/limits.h)",
                 TC_LIMIT_DIAGS, y->n_dropped, y->n_dropped == 1 ? "is" : "are");
    return y->dropped_err;
}

void tc_ynode_fini(struct tc_ynode *y)
{
    if (y == NULL)
        return;
    tc_ynode_path_fini(&y->path);
}

yaml_node_t *tc_ynode_node(const struct tc_ynode *y, int id)
{
    if (id <= 0 || y->doc == NULL || y->doc->nodes.start == NULL ||
        id > (int)(y->doc->nodes.top - y->doc->nodes.start))
        return NULL;
    return y->doc->nodes.start + (id - 1);
}

struct tc_pos tc_ynode_pos(const struct tc_ynode *y, int id)
{
    struct tc_pos pos = {y->file, 0, 0};
    yaml_node_t *n = tc_ynode_node(y, id);

    if (n == NULL)
        return pos;
    if (y->ovr_of_node != NULL && (size_t)id < y->n_ovr_of_node && y->ovr_of_node[id] != 0) {
        pos.file = "--set";
        pos.line = y->ovr_of_node[id];
        pos.col = 0;
        return pos;
    }
    /* libyaml marks are 0-based; diagnostics are 1-based like GCC's. */
    pos.line = (uint32_t)n->start_mark.line + 1;
    pos.col = (uint32_t)n->start_mark.column + 1;
    return pos;
}

const char *tc_ynode_scalar(const struct tc_ynode *y, int id)
{
    yaml_node_t *n = tc_ynode_node(y, id);

    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)n->data.scalar.value;
}

bool tc_ynode_is_null(const struct tc_ynode *y, int id)
{
    yaml_node_t *n = tc_ynode_node(y, id);
    const char *s;

    if (n == NULL)
        return true;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    s = (const char *)n->data.scalar.value;
    return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

void tc_ynode_describe(const struct tc_ynode *y, int id, char *buf, size_t len)
{
    yaml_node_t *n = tc_ynode_node(y, id);
    const unsigned char *s;
    size_t o = 0, shown = 0;

    if (len == 0)
        return;
    buf[0] = '\0';
    if (n == NULL) {
        snprintf(buf, len, "nothing");
        return;
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        snprintf(buf, len, "a list");
        return;
    }
    if (n->type == YAML_MAPPING_NODE) {
        snprintf(buf, len, "a mapping");
        return;
    }
    if (n->type != YAML_SCALAR_NODE || tc_ynode_is_null(y, id)) {
        snprintf(buf, len, "nothing");
        return;
    }
    s = n->data.scalar.value;
    /* Room for the closing quote, "..." and the NUL. */
    if (len < 8) {
        snprintf(buf, len, "?");
        return;
    }
    buf[o++] = '"';
    for (; *s != '\0' && o + 6 < len; s++) {
        if (shown >= TC_YNODE_EXCERPT)
            break;
        if (*s == '"' || *s == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)*s;
        } else if (*s < 0x20 || *s == 0x7f) {
            /* Keep a message on one line whatever the scalar holds. */
            buf[o++] = *s == '\n' ? '\\' : '?';
            if (*s == '\n')
                buf[o++] = 'n';
        } else if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
            buf[o++] = '?'; /* a C1 control (U+0080-U+009F) acts on terminals too */
            s++;
        } else {
            buf[o++] = (char)*s;
        }
        shown++;
    }
    if (*s != '\0') {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = '\0';
}

static void add_v(struct tc_ynode *y, enum tc_sev sev, int id, const char *key, bool got,
                  const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void add_v(struct tc_ynode *y, enum tc_sev sev, int id, const char *key, bool got,
                  const char *fmt, va_list ap)
{
    struct tc_pos pos = tc_ynode_pos(y, id);
    char *msg;
    char what[TC_YNODE_EXCERPT + 16];
    va_list ap2;
    int n;
    size_t old;

    if (tc_ynode_is_capped(y)) {
        y->n_dropped++;
        y->dropped_err |= sev == TC_SEV_ERROR;
        return;
    }
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    msg = tc_xmalloc((size_t)n + 1);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    old = tc_ynode_path_suffix(&y->path, key);
    if (got) {
        tc_ynode_describe(y, id, what, sizeof(what));
        tc_diags_add(y->diags, sev, &pos, y->path.s, "%s, got %s", msg, what);
    } else {
        tc_diags_add(y->diags, sev, &pos, y->path.s, "%s", msg);
    }
    tc_ynode_path_pop(&y->path, old);
    free(msg);
}

void tc_ynode_error(struct tc_ynode *y, int id, const char *key, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_v(y, TC_SEV_ERROR, id, key, false, fmt, ap);
    va_end(ap);
}

void tc_ynode_error_got(struct tc_ynode *y, int id, const char *key, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_v(y, TC_SEV_ERROR, id, key, true, fmt, ap);
    va_end(ap);
}

void tc_ynode_warning(struct tc_ynode *y, int id, const char *key, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_v(y, TC_SEV_WARNING, id, key, false, fmt, ap);
    va_end(ap);
}

/* ==== Structure ==== */

size_t tc_ynode_len(const struct tc_ynode *y, int id)
{
    yaml_node_t *n = tc_ynode_node(y, id);

    if (n == NULL)
        return 0;
    if (n->type == YAML_MAPPING_NODE)
        return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (n->type == YAML_SEQUENCE_NODE)
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    return 0;
}

int tc_ynode_pair_key(const struct tc_ynode *y, int map, size_t i)
{
    yaml_node_t *n = tc_ynode_node(y, map);

    if (n == NULL || n->type != YAML_MAPPING_NODE || i >= tc_ynode_len(y, map))
        return 0;
    return n->data.mapping.pairs.start[i].key;
}

int tc_ynode_pair_value(const struct tc_ynode *y, int map, size_t i)
{
    yaml_node_t *n = tc_ynode_node(y, map);

    if (n == NULL || n->type != YAML_MAPPING_NODE || i >= tc_ynode_len(y, map))
        return 0;
    return n->data.mapping.pairs.start[i].value;
}

int tc_ynode_item(const struct tc_ynode *y, int seq, size_t i)
{
    yaml_node_t *n = tc_ynode_node(y, seq);

    if (n == NULL || n->type != YAML_SEQUENCE_NODE || i >= tc_ynode_len(y, seq))
        return 0;
    return n->data.sequence.items.start[i];
}

int tc_ynode_get(const struct tc_ynode *y, int map, const char *key)
{
    size_t n = tc_ynode_len(y, map);
    yaml_node_t *m = tc_ynode_node(y, map);

    if (m == NULL || m->type != YAML_MAPPING_NODE)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *k = tc_ynode_scalar(y, m->data.mapping.pairs.start[i].key);

        if (k != NULL && strcmp(k, key) == 0)
            return m->data.mapping.pairs.start[i].value;
    }
    return 0;
}

static bool expect_kind(struct tc_ynode *y, int id, const char *key, yaml_node_type_t type,
                        const char *what)
{
    yaml_node_t *n = tc_ynode_node(y, id);

    if (n != NULL && n->type == type)
        return true;
    tc_ynode_error_got(y, id, key, "expected %s", what);
    return false;
}

bool tc_ynode_expect_map(struct tc_ynode *y, int id, const char *key, const char *what)
{
    return expect_kind(y, id, key, YAML_MAPPING_NODE, what);
}

bool tc_ynode_expect_seq(struct tc_ynode *y, int id, const char *key, const char *what)
{
    return expect_kind(y, id, key, YAML_SEQUENCE_NODE, what);
}

struct key_ref {
    const char *s;
    size_t i; /* pair index: the tie-break that makes the sort total */
    int id;
};

static int cmp_key_ref(const void *pa, const void *pb)
{
    const struct key_ref *a = pa, *b = pb;
    int c = strcmp(a->s, b->s);

    if (c != 0)
        return c;
    return (a->i > b->i) - (a->i < b->i);
}

char *tc_ynode_join_names(const char *const *names, size_t n)
{
    size_t len = 1;
    char *s, *p;

    for (size_t i = 0; i < n; i++)
        len += strlen(names[i]) + 2;
    s = tc_xmalloc(len);
    p = s;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(names[i]);

        if (i > 0) {
            memcpy(p, ", ", 2);
            p += 2;
        }
        memcpy(p, names[i], l);
        p += l;
    }
    *p = '\0';
    return s;
}

bool tc_ynode_check_keys(struct tc_ynode *y, int map, const char *const *allowed, size_t n_allowed,
                         const char *what)
{
    size_t n = tc_ynode_len(y, map);
    struct key_ref *refs;
    size_t n_refs = 0;
    bool ok = true;

    if (n == 0)
        return true;
    refs = tc_xmalloc(n * sizeof(*refs));
    for (size_t i = 0; i < n; i++) {
        int k = tc_ynode_pair_key(y, map, i);
        const char *s = tc_ynode_scalar(y, k);

        if (s == NULL || s[0] == '\0') {
            tc_ynode_error_got(y, k, NULL, "expected a key name");
            ok = false;
            continue;
        }
        refs[n_refs++] = (struct key_ref){s, i, k};
        if (allowed != NULL) {
            bool known = false;

            for (size_t j = 0; j < n_allowed && !known; j++)
                known = strcmp(s, allowed[j]) == 0;
            if (!known) {
                const char *best = tc_diag_suggest(s, allowed, n_allowed);
                char shown[TC_YNODE_EXCERPT + 16];

                tc_ynode_describe(y, k, shown, sizeof(shown));
                if (best != NULL) {
                    tc_ynode_error(y, k, NULL, "unknown key %s; did you mean \"%s\"?", shown, best);
                } else {
                    char *list = tc_ynode_join_names(allowed, n_allowed);

                    tc_ynode_error(y, k, NULL, "unknown key %s; expected one of: %s", shown, list);
                    free(list);
                }
                ok = false;
            }
        }
    }
    qsort(refs, n_refs, sizeof(*refs), cmp_key_ref);
    for (size_t i = 1; i < n_refs; i++) {
        size_t first = i;

        /* Report each repeat against the first occurrence of its key. */
        while (first > 0 && strcmp(refs[first - 1].s, refs[i].s) == 0)
            first--;
        if (first == i)
            continue;
        {
            struct tc_pos p0 = tc_ynode_pos(y, refs[first].id);

            if (p0.col == 0)
                tc_ynode_error(y, refs[i].id, refs[i].s, "duplicate %s (first given by --set %u)",
                               what ? what : "key", (unsigned)p0.line);
            else
                tc_ynode_error(y, refs[i].id, refs[i].s, "duplicate %s (first at line %u)",
                               what ? what : "key", (unsigned)p0.line);
        }
        ok = false;
    }
    free(refs);
    return ok;
}

void tc_ynode_missing(struct tc_ynode *y, int map, const char *name, const char *hint)
{
    if (hint != NULL)
        tc_ynode_error(y, map, NULL, "missing key \"%s\" (%s)", name, hint);
    else
        tc_ynode_error(y, map, NULL, "missing key \"%s\"", name);
}
