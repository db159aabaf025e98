/*
** ynode: every getter follows the same shape: fetch the scalar text, run a
** narrow scanner (never strtod/strtoull on text they were not meant for:
** strtod would take "inf", "nan" and hex floats, strtoull a minus sign),
** store the value, or add one diagnostic ending in ", got "<text>"". Paths
** are pushed onto y->path only while a message is formatted, so the common
** case (no error) costs nothing but the scan.
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

/* Appends a getter's key: "[i]" as is, a name after a dot; NULL appends nothing. */
static size_t push_suffix(struct tc_ynode_path *p, const char *key)
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

/* ==== Prescan ==== */

/*
** The prescan walks libyaml's events once, with a stack of the open lists
** and mappings. Sizes are "expanded": a node counts 1, a collection 1 plus
** its contents, an alias the size of the node it names; heights likewise
** (a collection is 1 + its tallest child, a scalar 0). An anchor records
** the size and height of its node when the node ends, so an alias costs a
** lookup, and the total is known at every event: a billion-laughs file
** stops at the alias that passes the limit, after reading a few hundred
** bytes. Anchors are looked up linearly (at most TC_LIMIT_YAML_ANCHORS),
** newest first, as a redefinition would shadow an older one.
*/

struct ps_anchor {
    char *name;
    size_t size;
    uint32_t height;
    bool open; /* its collection has not ended: an alias to it would be a cycle */
};

struct ps_frame {
    size_t anchor; /* index in anchors, or SIZE_MAX */
    size_t count0; /* expanded count before this collection */
    uint32_t child_h;
};

struct prescan {
    const char *file;
    const struct tc_pos *at;
    const char *path;
    struct tc_diags *diags;
    TC_VEC(struct ps_anchor) anchors;
    TC_VEC(struct ps_frame) stack;
    size_t count, n_aliases, n_tags;
    bool failed;
};

static void ps_error(struct prescan *ps, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void ps_error(struct prescan *ps, yaml_mark_t mark, const char *fmt, ...)
{
    struct tc_pos pos = {ps->file, (uint32_t)mark.line + 1, (uint32_t)mark.column + 1};
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tc_diags_add(ps->diags, TC_SEV_ERROR, ps->at ? ps->at : &pos, ps->path, "%s", msg);
    ps->failed = true;
}

static size_t ps_find(const struct prescan *ps, const char *name)
{
    for (size_t i = ps->anchors.n; i-- > 0;)
        if (strcmp(ps->anchors.v[i].name, name) == 0)
            return i;
    return SIZE_MAX;
}

/* Registers the anchor of a node starting at mark; SIZE_MAX without one. */
static size_t ps_anchor(struct prescan *ps, const yaml_char_t *anchor, yaml_mark_t mark)
{
    if (anchor == NULL)
        return SIZE_MAX;
    if (ps->anchors.n == TC_LIMIT_YAML_ANCHORS) {
        ps_error(ps, mark,
                 "more than %u anchors (&name) in the file (TC_LIMIT_YAML_ANCHORS in "
                 "tcsim/limits.h)",
                 TC_LIMIT_YAML_ANCHORS);
        return SIZE_MAX;
    }
    TC_VEC_PUSH(ps->anchors, ((struct ps_anchor){tc_xstrdup((const char *)anchor), 1, 0, true}));
    return ps->anchors.n - 1;
}

/* Adds size expanded nodes of height h at the current level. */
static void ps_add(struct prescan *ps, size_t size, uint32_t h, yaml_mark_t mark, bool alias)
{
    size_t depth = ps->stack.n;

    ps->count += size;
    if (ps->count > TC_LIMIT_YAML_NODES) {
        if (alias)
            ps_error(ps, mark,
                     "aliases expand the document to more than %u nodes, each alias counting as "
                     "the nodes it repeats (TC_LIMIT_YAML_NODES in tcsim/limits.h)",
                     TC_LIMIT_YAML_NODES);
        else
            ps_error(ps, mark, "more than %u YAML nodes (TC_LIMIT_YAML_NODES in tcsim/limits.h)",
                     TC_LIMIT_YAML_NODES);
        return;
    }
    if (depth + h > TC_LIMIT_YAML_DEPTH) {
        if (alias)
            ps_error(ps, mark,
                     "this alias nests lists and mappings more than %u deep (TC_LIMIT_YAML_DEPTH "
                     "in tcsim/limits.h)",
                     TC_LIMIT_YAML_DEPTH);
        else
            ps_error(ps, mark,
                     "lists and mappings nested more than %u deep (TC_LIMIT_YAML_DEPTH in "
                     "tcsim/limits.h)",
                     TC_LIMIT_YAML_DEPTH);
        return;
    }
    if (depth > 0 && h > ps->stack.v[depth - 1].child_h)
        ps->stack.v[depth - 1].child_h = h;
}

/*
** A tag asks a YAML reader to build something ("!!python/object:os.system"
** runs a command in some readers) or to read a scalar otherwise ("!!int");
** tcsim reads every value as text by its key, so a tag would be silently
** ignored. Only the standard tags that change nothing are allowed: !!str on
** a scalar, !!map on a mapping, !!seq on a list. Each other tag is an error,
** all of them reported (up to TC_LIMIT_DIAGS), and the load goes on.
*/
#define YAML_STD_PREFIX "tag:yaml.org,2002:"

static void ps_tag(struct prescan *ps, const yaml_char_t *tag, const char *allowed,
                   yaml_mark_t mark)
{
    const char *t = (const char *)tag;
    size_t lp = strlen(YAML_STD_PREFIX);
    char shown[72];
    size_t n = 0;

    if (t == NULL)
        return;
    if (strncmp(t, YAML_STD_PREFIX, lp) == 0) {
        if (strcmp(t + lp, allowed) == 0)
            return;
        shown[n++] = '!';
        shown[n++] = '!';
        t += lp;
    }
    /* The tag as written, printable bytes only (a tag may %-escape anything). */
    for (; *t != '\0' && n < 64; t++)
        shown[n++] = (*t > 0x20 && *t < 0x7f) ? *t : '?';
    if (*t != '\0')
        for (int i = 0; i < 3; i++)
            shown[n++] = '.';
    shown[n] = '\0';
    if (++ps->n_tags > TC_LIMIT_DIAGS) {
        ps->failed = true; /* a million tags must not print a million lines */
        return;
    }
    ps_error(ps, mark,
             "YAML tag %s is not allowed (tcsim would ignore it); only !!str on a value, "
             "!!map on a mapping and !!seq on a list are",
             shown);
    ps->failed = false;
}

static void ps_event(struct prescan *ps, const yaml_event_t *ev)
{
    yaml_mark_t mark = ev->start_mark;
    size_t a;

    if (ev->type == YAML_SCALAR_EVENT)
        ps_tag(ps, ev->data.scalar.tag, "str", mark);
    else if (ev->type == YAML_SEQUENCE_START_EVENT)
        ps_tag(ps, ev->data.sequence_start.tag, "seq", mark);
    else if (ev->type == YAML_MAPPING_START_EVENT)
        ps_tag(ps, ev->data.mapping_start.tag, "map", mark);
    if (ps->failed)
        return;

    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.length > TC_LIMIT_SCALAR_BYTES) {
            ps_error(ps, mark,
                     "a value of %zu bytes, more than %u (TC_LIMIT_SCALAR_BYTES in "
                     "tcsim/limits.h)",
                     ev->data.scalar.length, TC_LIMIT_SCALAR_BYTES);
            return;
        }
        /* "a\0b" in double quotes: C strings would cut it to "a" without a word */
        if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
            ps_error(ps, mark,
                     "a value holding a NUL character (\"\\0\"): names and values "
                     "are text");
            return;
        }
        a = ps_anchor(ps, ev->data.scalar.anchor, mark);
        if (a != SIZE_MAX)
            ps->anchors.v[a].open = false;
        ps_add(ps, 1, 0, mark, false);
        break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        const yaml_char_t *name = ev->type == YAML_SEQUENCE_START_EVENT
                                      ? ev->data.sequence_start.anchor
                                      : ev->data.mapping_start.anchor;

        a = ps_anchor(ps, name, mark);
        if (ps->failed)
            return;
        /* Counted now with height 1, so that the depth check fires at the opening bracket. */
        ps_add(ps, 1, 1, mark, false);
        if (ps->failed)
            return;
        TC_VEC_PUSH(ps->stack, ((struct ps_frame){a, ps->count - 1, 0}));
        break;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        struct ps_frame f;
        uint32_t h;

        if (ps->stack.n == 0)
            return;
        f = ps->stack.v[--ps->stack.n];
        h = f.child_h + 1;
        if (ps->stack.n > 0 && h > ps->stack.v[ps->stack.n - 1].child_h)
            ps->stack.v[ps->stack.n - 1].child_h = h;
        if (f.anchor != SIZE_MAX) {
            ps->anchors.v[f.anchor].size = ps->count - f.count0;
            ps->anchors.v[f.anchor].height = h;
            ps->anchors.v[f.anchor].open = false;
        }
        break;
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;

        if (++ps->n_aliases > TC_LIMIT_YAML_ALIASES) {
            ps_error(ps, mark,
                     "more than %u aliases (*name) in the file (TC_LIMIT_YAML_ALIASES in "
                     "tcsim/limits.h)",
                     TC_LIMIT_YAML_ALIASES);
            return;
        }
        a = ps_find(ps, name);
        if (a == SIZE_MAX) {
            ps_add(ps, 1, 0, mark, true); /* undefined: libyaml says so */
        } else if (ps->anchors.v[a].open) {
            ps_error(ps, mark, "alias *%.60s refers to a list or mapping that contains it", name);
        } else {
            ps_add(ps, ps->anchors.v[a].size, ps->anchors.v[a].height, mark, true);
        }
        break;
    }
    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
    default:
        break;
    }
}

bool tc_ynode_prescan(const char *text, size_t len, const char *file, const struct tc_pos *at,
                      const char *path, struct tc_diags *diags)
{
    struct prescan ps;
    yaml_parser_t parser;
    bool done = false;

    memset(&ps, 0, sizeof(ps));
    ps.file = file;
    ps.at = at;
    ps.path = path ? path : "";
    ps.diags = diags;
    if (!yaml_parser_initialize(&parser))
        return true; /* the load will say it is out of memory */
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done && !ps.failed) {
        yaml_event_t ev;

        if (!yaml_parser_parse(&parser, &ev))
            break; /* a syntax error: the load reports it */
        ps_event(&ps, &ev);
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    for (size_t i = 0; i < ps.anchors.n; i++)
        free(ps.anchors.v[i].name);
    free(ps.anchors.v);
    free(ps.stack.v);
    return !ps.failed;
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
    old = push_suffix(&y->path, key);
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

/* "a, b, c" into a new string. */
static char *join_names(const char *const *names, size_t n)
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
                    char *list = join_names(allowed, n_allowed);

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

/* ==== Numbers ==== */

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

bool tc_ynode_uint_max(struct tc_ynode *y, int id, const char *key, unsigned flags, uint32_t max,
                       const char *macro, uint32_t *out)
{
    const char *s = tc_ynode_scalar(y, id);
    const char *what = flags & TC_YN_ZERO ? "an integer >= 0" : "a positive integer";
    const char *unl = flags & TC_YN_UNLIMITED ? " or \"unlimited\"" : "";
    unsigned long long v;
    char *end;

    if (s != NULL && (flags & TC_YN_UNLIMITED) && strcmp(s, "unlimited") == 0) {
        *out = TC_UNLIMITED;
        return true;
    }
    if (s == NULL || !all_digits(s)) {
        tc_ynode_error_got(y, id, key, "expected %s%s", what, unl);
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max) {
        /* A limit of tcsim/limits.h says so, and how to raise it; uint32_t's just its bound. */
        if (macro != NULL)
            tc_ynode_error_got(y, id, key, "expected %s up to %" PRIu32 "%s (%s in tcsim/limits.h)",
                               what, max, unl, macro);
        else
            tc_ynode_error_got(y, id, key, "expected %s%s (at most %" PRIu32 ")", what, unl, max);
        return false;
    }
    if (v == 0 && !(flags & TC_YN_ZERO)) {
        tc_ynode_error_got(y, id, key, "expected %s%s", what, unl);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

bool tc_ynode_uint(struct tc_ynode *y, int id, const char *key, unsigned flags, uint32_t *out)
{
    return tc_ynode_uint_max(y, id, key, flags, TC_UNLIMITED - 1, NULL, out);
}

bool tc_ynode_u64(struct tc_ynode *y, int id, const char *key, uint64_t *out)
{
    const char *s = tc_ynode_scalar(y, id);
    unsigned long long v;
    char *end;

    if (s != NULL && all_digits(s)) {
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == 0 && *end == '\0' && v <= UINT64_MAX) {
            *out = (uint64_t)v;
            return true;
        }
    }
    tc_ynode_error_got(y, id, key, "expected an integer from 0 to %" PRIu64, UINT64_MAX);
    return false;
}

bool tc_ynode_i64(struct tc_ynode *y, int id, const char *key, int64_t *out)
{
    const char *s = tc_ynode_scalar(y, id);
    long long v;
    char *end;

    if (s != NULL && all_digits(s[0] == '-' || s[0] == '+' ? s + 1 : s)) {
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno == 0 && *end == '\0') {
            *out = (int64_t)v;
            return true;
        }
    }
    tc_ynode_error_got(y, id, key, "expected an integer from %" PRId64 " to %" PRId64, INT64_MIN,
                       INT64_MAX);
    return false;
}

/* [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)? and nothing else, so strtod sees no inf/nan/hex. */
static bool is_decimal(const char *s)
{
    int digits = 0;

    if (*s == '+' || *s == '-')
        s++;
    while (*s >= '0' && *s <= '9') {
        s++;
        digits++;
    }
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9') {
            s++;
            digits++;
        }
    }
    if (digits == 0)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

bool tc_ynode_number(struct tc_ynode *y, int id, const char *key, enum tc_yn_range range,
                     double *out)
{
    static const char *const msgs[] = {
        [TC_YN_ANY] = "expected a number",
        [TC_YN_NONNEG] = "expected a number >= 0",
        [TC_YN_POSITIVE] = "expected a number > 0",
        [TC_YN_PROB] = "expected a probability in (0, 1]",
    };
    const char *s = tc_ynode_scalar(y, id);
    double v;
    char *end;
    bool ok;

    if (s == NULL || !is_decimal(s)) {
        tc_ynode_error_got(y, id, key, "%s", msgs[range]);
        return false;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno == ERANGE || *end != '\0' || !isfinite(v)) {
        tc_ynode_error_got(y, id, key, "%s (this one is out of range)", msgs[range]);
        return false;
    }
    switch (range) {
    case TC_YN_NONNEG:
        ok = v >= 0.0;
        break;
    case TC_YN_POSITIVE:
        ok = v > 0.0;
        break;
    case TC_YN_PROB:
        ok = v > 0.0 && v <= 1.0;
        break;
    case TC_YN_ANY:
    default:
        ok = true;
        break;
    }
    if (!ok) {
        tc_ynode_error_got(y, id, key, "%s", msgs[range]);
        return false;
    }
    /* -0 and 0 are the same input; keep the sign out of emitted files. */
    *out = v == 0.0 ? 0.0 : v;
    return true;
}

typedef const char *(*units_fn)(const char *s, enum tc_time_unit tu, double *out);

static bool via_units(struct tc_ynode *y, int id, const char *key, units_fn fn, const char *what,
                      double *out)
{
    const char *s = tc_ynode_scalar(y, id);
    const char *err;
    double v;

    if (s == NULL || tc_ynode_is_null(y, id)) {
        /* Ask the parser what it accepts: its message for an empty text. */
        err = fn("", y->tu, &v);
        tc_ynode_error_got(y, id, key, "%s", err ? err : what);
        return false;
    }
    err = fn(s, y->tu, &v);
    if (err != NULL) {
        tc_ynode_error_got(y, id, key, "%s", err);
        return false;
    }
    *out = v;
    return true;
}

bool tc_ynode_duration(struct tc_ynode *y, int id, const char *key, double *out)
{
    return via_units(y, id, key, tc_units_duration, "expected a duration", out);
}

bool tc_ynode_rate(struct tc_ynode *y, int id, const char *key, double *out)
{
    return via_units(y, id, key, tc_units_rate, "expected a rate", out);
}

bool tc_ynode_length(struct tc_ynode *y, int id, const char *key, double *out)
{
    const char *s = tc_ynode_scalar(y, id);
    const char *err;
    double v;

    err = tc_units_length(s != NULL && !tc_ynode_is_null(y, id) ? s : "", &v);
    if (err != NULL) {
        tc_ynode_error_got(y, id, key, "%s", err);
        return false;
    }
    *out = v;
    return true;
}

bool tc_ynode_string(struct tc_ynode *y, int id, const char *key, const char **out)
{
    const char *s = tc_ynode_scalar(y, id);

    if (s == NULL || s[0] == '\0' || tc_ynode_is_null(y, id)) {
        tc_ynode_error_got(y, id, key, "expected a non-empty string");
        return false;
    }
    *out = s;
    return true;
}

bool tc_ynode_enum(struct tc_ynode *y, int id, const char *key, const char *const *names, size_t n,
                   int *out)
{
    const char *s = tc_ynode_scalar(y, id);
    const char *best;
    char what[TC_YNODE_EXCERPT + 16];
    char list[256];
    size_t o = 0;

    if (s != NULL) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(s, names[i]) == 0) {
                *out = (int)i;
                return true;
            }
        }
    }
    /* "a", "b" or "c" */
    list[0] = '\0';
    for (size_t i = 0; i < n && o < sizeof(list); i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(list + o, sizeof(list) - o, "%s\"%s\"", sep, names[i]);

        if (w < 0)
            break;
        o += (size_t)w;
    }
    tc_ynode_describe(y, id, what, sizeof(what));
    best = s != NULL ? tc_diag_suggest(s, names, n) : NULL;
    if (best != NULL)
        tc_ynode_error(y, id, key, "expected %s, got %s; did you mean \"%s\"?", list, what, best);
    else
        tc_ynode_error(y, id, key, "expected %s, got %s", list, what);
    return false;
}

/* key + "[i]" or key + "." + sub into buf, for messages about parts of a node. */
static const char *subkey(char *buf, size_t len, const char *key, const char *sub)
{
    if (key == NULL)
        snprintf(buf, len, "%s", sub);
    else if (sub[0] == '[')
        snprintf(buf, len, "%s%s", key, sub);
    else
        snprintf(buf, len, "%s.%s", key, sub);
    return buf;
}

bool tc_ynode_windows(struct tc_ynode *y, int id, const char *key, struct tc_window **out,
                      uint32_t *n_out)
{
    yaml_node_t *n = tc_ynode_node(y, id);
    struct tc_window *w;
    size_t cnt;
    bool ok = true;
    char kbuf[256], ibuf[32];

    *out = NULL;
    *n_out = 0;
    if (n != NULL && n->type == YAML_SCALAR_NODE && !tc_ynode_is_null(y, id)) {
        double o, c;
        const char *err = tc_units_window(tc_ynode_scalar(y, id), &o, &c);

        if (err != NULL) {
            tc_ynode_error_got(y, id, key, "%s", err);
            return false;
        }
        w = tc_xmalloc(sizeof(*w));
        w->open_min = o;
        w->close_min = c;
        *out = w;
        *n_out = 1;
        return true;
    }
    if (n == NULL || n->type != YAML_SEQUENCE_NODE) {
        tc_ynode_error_got(y, id, key,
                           "expected a window \"HH:MM-HH:MM\" or a list of them, such as "
                           "[\"07:00-11:30\", \"13:00-19:00\"]");
        return false;
    }
    cnt = tc_ynode_len(y, id);
    if (cnt == 0) {
        tc_ynode_error(y, id, key,
                       "expected at least one window \"HH:MM-HH:MM\"; leave open out for a "
                       "station that is always open");
        return false;
    }
    if (cnt > TC_YN_MAX_WINDOWS) {
        tc_ynode_error(y, id, key, "expected at most %d windows, got %zu", TC_YN_MAX_WINDOWS, cnt);
        return false;
    }
    w = tc_xmalloc(cnt * sizeof(*w));
    for (size_t i = 0; i < cnt; i++) {
        int it = tc_ynode_item(y, id, i);
        const char *s = tc_ynode_scalar(y, it);
        const char *err;

        snprintf(ibuf, sizeof(ibuf), "[%zu]", i);
        subkey(kbuf, sizeof(kbuf), key, ibuf);
        err = tc_units_window(s != NULL && !tc_ynode_is_null(y, it) ? s : "", &w[i].open_min,
                              &w[i].close_min);
        if (err != NULL) {
            tc_ynode_error_got(y, it, kbuf, "%s", err);
            ok = false;
        }
    }
    if (!ok) {
        free(w);
        return false;
    }
    *out = w;
    *n_out = (uint32_t)cnt;
    return true;
}

/* ==== Distributions ==== */

bool tc_ynode_is_dist(const struct tc_ynode *y, int id)
{
    yaml_node_t *n = tc_ynode_node(y, id);

    return n != NULL && n->type == YAML_MAPPING_NODE && tc_ynode_get(y, id, "dist") != 0;
}

/* Whether word occurs in msg as a whole word. */
static bool has_word(const char *msg, const char *word)
{
    size_t l = strlen(word);

    for (const char *p = strstr(msg, word); p != NULL; p = strstr(p + 1, word)) {
        bool start = p == msg || !((p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '_');
        bool end = !((p[l] >= 'a' && p[l] <= 'z') || p[l] == '_');

        if (start && end)
            return true;
    }
    return false;
}

/* A list of durations (values) or numbers (weights) into a new array; NULL on error. */
static double *read_list(struct tc_ynode *y, int id, const char *key, bool durations,
                         uint32_t *n_out)
{
    size_t n = tc_ynode_len(y, id);
    double *v;
    bool ok = true;
    char kbuf[256], ibuf[32];

    if (!tc_ynode_expect_seq(y, id, key,
                             durations ? "a list of durations" : "a list of numbers >= 0"))
        return NULL;
    if (n == 0) {
        tc_ynode_error(y, id, key, "expected at least one %s", durations ? "value" : "weight");
        return NULL;
    }
    if (n > UINT32_MAX / 2) {
        tc_ynode_error(y, id, key, "too many values");
        return NULL;
    }
    v = tc_xmalloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        int it = tc_ynode_item(y, id, i);

        snprintf(ibuf, sizeof(ibuf), "[%zu]", i);
        subkey(kbuf, sizeof(kbuf), key, ibuf);
        if (durations)
            ok &= tc_ynode_duration(y, it, kbuf, &v[i]);
        else
            ok &= tc_ynode_number(y, it, kbuf, TC_YN_NONNEG, &v[i]);
    }
    if (!ok) {
        free(v);
        return NULL;
    }
    *n_out = (uint32_t)n;
    return v;
}

static bool dist_map(struct tc_ynode *y, int id, const char *key, struct tc_dist *out)
{
    const char *names[TC_DIST__COUNT];
    const char *allowed[6];
    size_t n_allowed = 0;
    const struct tc_dist_spec *spec;
    int kind_i;
    int pnode[3] = {0, 0, 0};
    double params[3] = {0, 0, 0};
    double *values = NULL, *weights = NULL;
    uint32_t n_values = 0, n_weights = 0;
    bool ok = true, keys_ok;
    const char *err;
    char kbuf[256];
    size_t old;

    for (int k = 0; k < TC_DIST__COUNT; k++)
        names[k] = tc_dist_specs[k].name;
    if (!tc_ynode_is_dist(y, id)) {
        tc_ynode_error(y, id, key,
                       "missing key \"dist\" (a distribution is a duration or a mapping such "
                       "as {dist: exponential, mean: 20 min})");
        return false;
    }
    if (!tc_ynode_enum(y, tc_ynode_get(y, id, "dist"), subkey(kbuf, sizeof(kbuf), key, "dist"),
                       names, TC_DIST__COUNT, &kind_i)) {
        /* Without the kind its parameters cannot be judged; only duplicates can. */
        old = push_suffix(&y->path, key);
        tc_ynode_check_keys(y, id, NULL, 0, NULL);
        tc_ynode_path_pop(&y->path, old);
        return false;
    }
    spec = &tc_dist_specs[kind_i];
    allowed[n_allowed++] = "dist";
    if (kind_i == TC_DIST_EMPIRICAL) {
        allowed[n_allowed++] = "values";
        allowed[n_allowed++] = "weights";
    } else {
        for (uint32_t i = 0; i < spec->n_params; i++)
            allowed[n_allowed++] = spec->param[i];
    }
    old = push_suffix(&y->path, key);
    /* An unknown key does not stop the parameters from being checked. */
    keys_ok = tc_ynode_check_keys(y, id, allowed, n_allowed, NULL);
    tc_ynode_path_pop(&y->path, old);

    if (kind_i == TC_DIST_EMPIRICAL) {
        int vn = tc_ynode_get(y, id, "values");
        int wn = tc_ynode_get(y, id, "weights");

        if (vn == 0) {
            old = push_suffix(&y->path, key);
            tc_ynode_missing(y, id, "values", "empirical takes values and optional weights");
            tc_ynode_path_pop(&y->path, old);
            ok = false;
        } else {
            values = read_list(y, vn, subkey(kbuf, sizeof(kbuf), key, "values"), true, &n_values);
            ok &= values != NULL;
        }
        if (wn != 0) {
            weights =
                read_list(y, wn, subkey(kbuf, sizeof(kbuf), key, "weights"), false, &n_weights);
            ok &= weights != NULL;
            if (values != NULL && weights != NULL && n_weights != n_values) {
                tc_ynode_error(y, wn, kbuf,
                               "expected %" PRIu32 " weights, one per value, got %" PRIu32,
                               n_values, n_weights);
                ok = false;
            }
        }
    } else {
        for (uint32_t i = 0; i < spec->n_params; i++) {
            pnode[i] = tc_ynode_get(y, id, spec->param[i]);
            subkey(kbuf, sizeof(kbuf), key, spec->param[i]);
            if (pnode[i] == 0) {
                char *list = join_names(spec->param, spec->n_params);
                char hint[160];

                snprintf(hint, sizeof(hint), "%s takes %s", spec->name, list);
                free(list);
                old = push_suffix(&y->path, key);
                tc_ynode_missing(y, id, spec->param[i], hint);
                tc_ynode_path_pop(&y->path, old);
                ok = false;
            } else if (spec->is_duration[i]) {
                ok &= tc_ynode_duration(y, pnode[i], kbuf, &params[i]);
            } else {
                ok &= tc_ynode_number(y, pnode[i], kbuf, TC_YN_ANY, &params[i]);
            }
        }
    }
    if (!ok) {
        free(values);
        free(weights);
        tc_dist_init_constant(out, 0.0);
        return false;
    }
    err = tc_dist_init(out, (enum tc_dist_kind)kind_i, params, values, weights, n_values);
    free(values);
    free(weights);
    if (err == NULL && !keys_ok) {
        tc_dist_fini(out);
        tc_dist_init_constant(out, 0.0);
        return false;
    }
    if (err == NULL)
        return true;
    /*
    ** dist's messages start with the parameter at fault ("sd must be > 0"):
    ** point at that parameter when it is the only one the message names,
    ** else ("min must be <= max") at the whole distribution.
    */
    for (uint32_t i = 0; i < spec->n_params; i++) {
        size_t l = strlen(spec->param[i]);
        bool others = false;

        if (strncmp(err, spec->param[i], l) != 0 || err[l] != ' ')
            continue;
        for (uint32_t j = 0; j < spec->n_params; j++)
            if (j != i && has_word(err, spec->param[j]))
                others = true;
        if (!others) {
            tc_ynode_error_got(y, pnode[i], subkey(kbuf, sizeof(kbuf), key, spec->param[i]), "%s",
                               err);
            return false;
        }
    }
    tc_ynode_error(y, id, key, "%s", err);
    return false;
}

bool tc_ynode_dist(struct tc_ynode *y, int id, const char *key, enum tc_yn_bare bare,
                   struct tc_dist *out)
{
    yaml_node_t *n = tc_ynode_node(y, id);
    double v;

    tc_dist_init_constant(out, 0.0);
    if (n != NULL && n->type == YAML_MAPPING_NODE)
        return dist_map(y, id, key, out);
    if (n == NULL || n->type != YAML_SCALAR_NODE || tc_ynode_is_null(y, id)) {
        tc_ynode_error_got(y, id, key,
                           "expected a duration or a distribution such as {dist: exponential, "
                           "mean: 20 min}");
        return false;
    }
    if (!tc_ynode_duration(y, id, key, &v))
        return false;
    if (bare == TC_YN_BARE_CONSTANT) {
        /* Through tc_dist_init, so a bare constant meets the bound a {dist: constant} does. */
        if (tc_dist_init(out, TC_DIST_CONSTANT, &v, NULL, NULL, 0) != NULL) {
            tc_ynode_error_got(y, id, key, "a duration here must be at most 1e300 %s",
                               tc_units_name(y->tu));
            return false;
        }
        return true;
    }
    if (tc_dist_init(out, TC_DIST_EXPONENTIAL, &v, NULL, NULL, 0) != NULL) {
        if (v > 0.0)
            tc_ynode_error_got(y, id, key,
                               "a bare duration here is the mean of an exponential and must be "
                               "at most 1e150 %s (its variance, mean^2, at most 1e300)",
                               tc_units_name(y->tu));
        else
            tc_ynode_error_got(
                y, id, key, "a bare duration here is the mean of an exponential and must be > 0");
        return false;
    }
    return true;
}
