/*
** uncertain: input uncertainty. A value written {uncertain: DIST} (with
** an optional unit: "/h" appended to the number, for rates) is one draw
** of DIST per replication. At load, every such node is collected with its
** --set path and replaced by DIST's mean, so the scenario loads and is
** checked like any other; per replication tc_scenario_draw loads the
** text again with the drawn values as overrides. The draw of input i in
** replication r comes from its own mt19937 seeded from (seed, r, i)
** through splitmix64, apart from every engine stream: variants of a
** scenario draw the same inputs (common random numbers) and a scenario
** without {uncertain} is untouched.
*/
#include "model/uncertain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "base/xmem.h"

#define UNC_MAX_DEPTH 64

struct collect {
    struct tc_ynode *y;
    struct tc_scenario *sc;
    char key[1024]; /* the --set path to the current node */
    TC_VEC(struct tc_uncertain) v;
};

static yaml_node_t *node(struct collect *c, int id)
{
    return tc_ynode_node(c->y, id);
}

/* Whether mapping id is {uncertain: DIST[, unit: U]}; its DIST and unit nodes. */
static bool is_uncertain(struct collect *c, int id, int *dist, int *unit)
{
    yaml_node_t *n = node(c, id);
    size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    bool found = false;

    *dist = *unit = 0;
    for (size_t j = 0; j < np; j++) {
        yaml_node_pair_t p = node(c, id)->data.mapping.pairs.start[j];
        yaml_node_t *k = node(c, p.key);

        if (k == NULL || k->type != YAML_SCALAR_NODE)
            continue;
        if (strcmp((const char *)k->data.scalar.value, "uncertain") == 0) {
            *dist = p.value;
            found = true;
        } else if (strcmp((const char *)k->data.scalar.value, "unit") == 0) {
            *unit = p.value;
        }
    }
    return found;
}

/* Replaces {uncertain: ...} at *slot by the scalar of its mean; records it. */
static void take(struct collect *c, int id, int *slot_parent, size_t slot, bool in_map)
{
    int dn, un;
    struct tc_uncertain u = {0};
    const char *unit = "";
    char text[96];

    is_uncertain(c, id, &dn, &un);
    if (un != 0) {
        unit = tc_ynode_scalar(c->y, un);
        if (unit == NULL || strlen(unit) > 16) {
            tc_ynode_error_got(c->y, un, "unit", "expected a unit such as /h");
            return;
        }
    }
    size_t pl = tc_ynode_path_key(&c->y->path, c->key); /* messages name the value's key */
    bool ok = tc_ynode_dist(c->y, dn, "uncertain", TC_YN_BARE_CONSTANT, &u.dist);
    tc_ynode_path_pop(&c->y->path, pl);
    yaml_node_t *n = node(c, id);
    u.pos = (struct tc_pos){c->y->file, (uint32_t)n->start_mark.line + 1,
                            (uint32_t)n->start_mark.column + 1};
    yaml_mark_t sm = n->start_mark, em = n->end_mark;
    u.key = tc_xstrdup(c->key);
    snprintf(u.unit, sizeof(u.unit), "%s", unit);
    /* after an error, 1 stands in: the key's own check must not report the mapping again */
    snprintf(text, sizeof(text), "%.17g%s", ok ? tc_dist_mean(&u.dist) : 1.0, unit);
    int sid = yaml_document_add_scalar(c->y->doc, NULL, (const yaml_char_t *)text,
                                       (int)strlen(text), YAML_PLAIN_SCALAR_STYLE);
    node(c, sid)->start_mark = sm; /* messages about the value point at the {uncertain} */
    node(c, sid)->end_mark = em;
    yaml_node_t *par = node(c, *slot_parent);
    if (in_map)
        par->data.mapping.pairs.start[slot].value = sid;
    else
        par->data.sequence.items.start[slot] = sid;
    if (ok)
        TC_VEC_PUSH(c->v, u);
    else
        free(u.key);
}

static void walk(struct collect *c, int id, int depth);

/* Child `id` at `slot` of parent, under path component comp. */
static void child(struct collect *c, int parent, size_t slot, bool in_map, const char *comp, int id,
                  int depth)
{
    size_t len = strlen(c->key);
    yaml_node_t *n = node(c, id);
    bool q = strchr(comp, '.') != NULL;
    int dn, un;

    snprintf(c->key + len, sizeof(c->key) - len, "%s%s%s%s", len ? "." : "", q ? "\"" : "", comp,
             q ? "\"" : "");
    if (n != NULL && n->type == YAML_MAPPING_NODE && is_uncertain(c, id, &dn, &un))
        take(c, id, &parent, slot, in_map);
    else
        walk(c, id, depth + 1);
    c->key[len] = '\0';
}

static void walk(struct collect *c, int id, int depth)
{
    yaml_node_t *n = node(c, id);
    char idx[24];

    if (n == NULL || depth > UNC_MAX_DEPTH)
        return;
    if (n->type == YAML_SEQUENCE_NODE) {
        size_t ni = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);

        for (size_t i = 0; i < ni; i++) {
            snprintf(idx, sizeof(idx), "%zu", i);
            child(c, id, i, false, idx, node(c, id)->data.sequence.items.start[i], depth);
        }
    } else if (n->type == YAML_MAPPING_NODE) {
        size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);

        for (size_t j = 0; j < np; j++) {
            yaml_node_pair_t p = node(c, id)->data.mapping.pairs.start[j];
            const char *k = tc_ynode_scalar(c->y, p.key);

            if (k != NULL)
                child(c, id, j, true, k, p.value, depth);
        }
    }
}

void tc_uncertain_collect(struct tc_ynode *y, struct tc_scenario *sc, int root)
{
    /* the top level sets up the run itself: no uncertainty there */
    static const char *const skip[] = {"name",   "time_unit",    "horizon",
                                       "warmup", "sample_every", "replications",
                                       "seed",   "start_date",   "truck_length"};
    const size_t n_skip = sizeof(skip) / sizeof(skip[0]);
    struct collect c = {.y = y, .sc = sc};
    yaml_node_t *r = tc_ynode_node(y, root);
    size_t np;

    if (r == NULL || r->type != YAML_MAPPING_NODE)
        return;
    np = (size_t)(r->data.mapping.pairs.top - r->data.mapping.pairs.start);
    for (size_t j = 0; j < np; j++) {
        yaml_node_pair_t p = tc_ynode_node(y, root)->data.mapping.pairs.start[j];
        const char *k = tc_ynode_scalar(y, p.key);
        bool skipped = false;

        for (size_t s = 0; s < n_skip && k != NULL; s++)
            skipped |= strcmp(k, skip[s]) == 0;
        if (k != NULL && !skipped)
            child(&c, root, j, true, k, p.value, 1);
    }
    sc->uncertain = c.v.v;
    sc->n_uncertain = (uint32_t)c.v.n;
}

void tc_uncertain_keep_source(struct tc_scenario *sc, const char *text, size_t len,
                              const char *base_dir, const struct tc_override *ovr, size_t n_ovr)
{
    struct tc_scenario_source_text *s = tc_xcalloc(1, sizeof(*s));

    s->text = tc_xmalloc(len + 1);
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    s->base_dir = base_dir ? tc_xstrdup(base_dir) : NULL;
    s->ovr = tc_xcalloc(n_ovr + 1, sizeof(*s->ovr));
    for (size_t i = 0; i < n_ovr; i++)
        s->ovr[i] = (struct tc_override){tc_xstrdup(ovr[i].key ? ovr[i].key : ""),
                                         tc_xstrdup(ovr[i].value ? ovr[i].value : "")};
    s->n_ovr = n_ovr;
    sc->source = s;
}

void tc_uncertain_free(struct tc_scenario *sc)
{
    for (uint32_t i = 0; i < sc->n_uncertain; i++) {
        free(sc->uncertain[i].key);
        tc_dist_fini(&sc->uncertain[i].dist);
    }
    free(sc->uncertain);
    if (sc->source != NULL) {
        for (size_t i = 0; i < sc->source->n_ovr; i++) {
            free((char *)sc->source->ovr[i].key);
            free((char *)sc->source->ovr[i].value);
        }
        free(sc->source->ovr);
        free(sc->source->text);
        free(sc->source->base_dir);
        free(sc->source);
    }
}

/* splitmix64's finaliser (engine/rng.c has the same; model may not call up). */
static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

void tc_scenario_draw_inputs(const struct tc_scenario *sc, uint32_t rep, double *out)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

    for (uint32_t i = 0; i < sc->n_uncertain; i++) {
        uint64_t s = mix64(mix64(mix64(sc->seed ^ 0x756e63657274ull) + rep) + i);

        gsl_rng_set(r, (unsigned long)(s & 0xffffffffu));
        out[i] = tc_dist_sample(&sc->uncertain[i].dist, r);
    }
    gsl_rng_free(r);
}
