/*
** ynode_prescan: checks a YAML text against the limits of tcsim/limits.h
** on libyaml's event stream, before any document is built (depth, nodes,
** anchors, aliases, scalar length, alias cycles, tags).
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/ynode.h"

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
