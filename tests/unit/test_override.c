/*
** test_override: --set on a parsed document. Values land where the key
** says (mapping keys, list indices, list items by name, an added last key),
** flow values become structure, the side table marks exactly the new nodes,
** and each kind of bad key or value gives its exact message.
*/
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "model/override.h"
#include "model/ynode.h"
#include "tc_check.h"

static const char doc_text[] = "name: t\n"
                               "arrivals:\n"
                               "  - name: north\n"
                               "    rate: 10/h\n"
                               "  - rate: 5/h\n"
                               "stations:\n"
                               "  customs:\n"
                               "    servers: 6\n"
                               "  gate: {servers: 2}\n"
                               "empty: []\n";

struct fixture {
    yaml_document_t doc;
    struct tc_diags diags;
    struct tc_ynode y;
    uint32_t *map;
    size_t n_map;
};

static void setup_doc(struct fixture *fx, const char *text)
{
    yaml_parser_t p;

    memset(fx, 0, sizeof(*fx));
    ck_assert(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
    ck_assert(yaml_parser_load(&p, &fx->doc));
    yaml_parser_delete(&p);
    tc_diags_init(&fx->diags);
}

static void apply(struct fixture *fx, const struct tc_override *o, size_t n)
{
    fx->map = tc_override_apply(&fx->doc, o, n, &fx->n_map, &fx->diags);
    tc_ynode_init(&fx->y, &fx->doc, "t.yaml", &fx->diags);
    fx->y.ovr_of_node = fx->map;
    fx->y.n_ovr_of_node = fx->n_map;
}

static void teardown_doc(struct fixture *fx)
{
    tc_ynode_fini(&fx->y);
    free(fx->map);
    yaml_document_delete(&fx->doc);
    tc_diags_fini(&fx->diags);
}

/* The node at a dotted path of mapping keys and list indices, or 0. */
static int at(struct fixture *fx, const char *path)
{
    char *copy = tc_xstrdup(path);
    char *p = copy;
    int id = 1;

    while (p != NULL && id != 0) {
        char *dot = strchr(p, '.');
        yaml_node_t *n = tc_ynode_node(&fx->y, id);

        if (dot != NULL)
            *dot = '\0';
        if (n->type == YAML_SEQUENCE_NODE)
            id = tc_ynode_item(&fx->y, id, strtoul(p, NULL, 10));
        else
            id = tc_ynode_get(&fx->y, id, p);
        p = dot ? dot + 1 : NULL;
    }
    free(copy);
    return id;
}

static const char *text_at(struct fixture *fx, const char *path)
{
    return tc_ynode_scalar(&fx->y, at(fx, path));
}

static uint32_t mark(struct fixture *fx, int id)
{
    ck_assert_int_gt(id, 0);
    return (size_t)id < fx->n_map ? fx->map[id] : 0;
}

START_TEST(test_apply_sets_values_and_marks_positions)
{
    static const struct tc_override o[] = {
        {"stations.customs.servers", "8"},
        {"arrivals.north.rate", "20/h"},
        {"arrivals.1.rate", "7/h"},
        {"stations.gate.capacity", "10"},
        {"stations.customs.open", "[\"08:00-12:00\", \"13:00-17:00\"]"},
        {"stations.gate.service", " {dist: exponential, mean: 5 min}"},
        {"name", ""},
        {"stations.customs.servers", "unlimited"},
    };
    struct fixture fx;
    struct tc_pos pos;
    int id;

    setup_doc(&fx, doc_text);
    apply(&fx, o, 8);
    ck_assert_uint_eq(fx.diags.n, 0);
    ck_assert_str_eq(text_at(&fx, "stations.customs.servers"), "unlimited");
    ck_assert_uint_eq(mark(&fx, at(&fx, "stations.customs.servers")), 8);
    ck_assert_str_eq(text_at(&fx, "arrivals.0.rate"), "20/h");
    ck_assert_uint_eq(mark(&fx, at(&fx, "arrivals.0.rate")), 2);
    ck_assert_str_eq(text_at(&fx, "arrivals.1.rate"), "7/h");
    ck_assert_uint_eq(mark(&fx, at(&fx, "arrivals.1.rate")), 3);
    /* An added key: key and value are both the override's. */
    ck_assert_str_eq(text_at(&fx, "stations.gate.capacity"), "10");
    ck_assert_uint_eq(tc_ynode_len(&fx.y, at(&fx, "stations.gate")), 3);
    ck_assert_uint_eq(mark(&fx, tc_ynode_pair_key(&fx.y, at(&fx, "stations.gate"), 1)), 4);
    ck_assert_str_eq(text_at(&fx, "stations.customs.open.1"), "13:00-17:00");
    ck_assert_uint_eq(mark(&fx, at(&fx, "stations.customs.open")), 5);
    ck_assert_uint_eq(mark(&fx, at(&fx, "stations.customs.open.0")), 5);
    ck_assert_str_eq(text_at(&fx, "stations.gate.service.dist"), "exponential");
    ck_assert_str_eq(text_at(&fx, "stations.gate.service.mean"), "5 min");
    ck_assert_uint_eq(mark(&fx, at(&fx, "stations.gate.service.mean")), 6);
    ck_assert(tc_ynode_is_null(&fx.y, at(&fx, "name")));
    /* Untouched nodes keep their file positions; overridden ones are "--set:N". */
    ck_assert_uint_eq(mark(&fx, at(&fx, "stations.gate.servers")), 0);
    pos = tc_ynode_pos(&fx.y, at(&fx, "stations.gate.servers"));
    ck_assert_str_eq(pos.file, "t.yaml");
    ck_assert_uint_eq(pos.line, 9);
    ck_assert_uint_eq(pos.col, 19);
    pos = tc_ynode_pos(&fx.y, at(&fx, "arrivals.1.rate"));
    ck_assert_str_eq(pos.file, "--set");
    ck_assert_uint_eq(pos.line, 3);
    ck_assert_uint_eq(pos.col, 0);
    /* Every node past the file's is marked. */
    for (id = 1; (size_t)id < fx.n_map; id++)
        if (fx.map[id] != 0)
            break;
    for (; (size_t)id < fx.n_map; id++)
        ck_assert_uint_ne(fx.map[id], 0);
    ck_assert_uint_eq(fx.n_map, (size_t)(fx.doc.nodes.top - fx.doc.nodes.start) + 1);
    teardown_doc(&fx);
}
END_TEST

START_TEST(test_replace_item_and_alias)
{
    static const struct tc_override o[] = {
        {"arrivals.1", "{to: gate, rate: 1/h}"},
        {"empty", "[&a {x: 1}, *a]"},
    };
    struct fixture fx;

    setup_doc(&fx, doc_text);
    apply(&fx, o, 2);
    ck_assert_uint_eq(fx.diags.n, 0);
    ck_assert_str_eq(text_at(&fx, "arrivals.1.to"), "gate");
    ck_assert_uint_eq(mark(&fx, at(&fx, "arrivals.1")), 1);
    /* An alias stays one shared node. */
    ck_assert_int_eq(at(&fx, "empty.0"), at(&fx, "empty.1"));
    ck_assert_str_eq(text_at(&fx, "empty.1.x"), "1");
    teardown_doc(&fx);
}
END_TEST

/* "+" as the last part appends an item: to a list, to an empty list, twice in a row. */
START_TEST(test_append_plus_adds_a_list_item)
{
    static const struct tc_override o[] = {
        {"arrivals.+", "{name: east, to: gate, rate: 2/h}"},
        {"empty.+", "7"},
        {"empty.+", "[1, 2]"},
        {"arrivals.east.rate", "3/h"},
        {"events.+", "{station: gate, close: 1 d, reopen: 2 d}"}, /* no events yet */
    };
    struct fixture fx;

    setup_doc(&fx, doc_text);
    apply(&fx, o, 5);
    ck_assert_uint_eq(fx.diags.n, 0);
    ck_assert_uint_eq(tc_ynode_len(&fx.y, at(&fx, "arrivals")), 3);
    ck_assert_str_eq(text_at(&fx, "arrivals.0.name"), "north");
    ck_assert_str_eq(text_at(&fx, "arrivals.2.name"), "east");
    ck_assert_str_eq(text_at(&fx, "arrivals.2.rate"), "3/h");
    ck_assert_uint_eq(mark(&fx, at(&fx, "arrivals.2")), 1);
    ck_assert_uint_eq(tc_ynode_len(&fx.y, at(&fx, "empty")), 2);
    ck_assert_str_eq(text_at(&fx, "empty.0"), "7");
    ck_assert_str_eq(text_at(&fx, "empty.1.1"), "2");
    ck_assert_uint_eq(tc_ynode_len(&fx.y, at(&fx, "events")), 1);
    ck_assert_str_eq(text_at(&fx, "events.0.reopen"), "2 d");
    teardown_doc(&fx);
}
END_TEST

static const struct {
    struct tc_override o;
    const char *diag;
} bad[] = {
    {{"arrivals.+.rate", "3"},
     "--set:1: error: arrivals.+.rate: \"+\" appends a whole item to arrivals: it must be the "
     "last part of the key"},
    {{"stations.custom.servers", "3"},
     "--set:1: error: stations.custom.servers: no key \"custom\" in stations; did you mean "
     "\"customs\"?"},
    {{"statons.gate.servers", "3"},
     "--set:1: error: statons.gate.servers: no key \"statons\" in the top level; did you mean "
     "\"stations\"?"},
    {{"arrivals.2.rate", "3"},
     "--set:1: error: arrivals.2.rate: no item \"2\" in arrivals: give an index from 0 to 1 or an "
     "item's name"},
    {{"arrivals.south.rate", "3"},
     "--set:1: error: arrivals.south.rate: no item \"south\" in arrivals: give an index from 0 to "
     "1 or an item's name"},
    {{"empty.0", "3"}, "--set:1: error: empty.0: no item \"0\" in empty: the list is empty"},
    {{"name.first", "3"},
     "--set:1: error: name.first: name is a single value; it has no \"first\""},
    {{"stations..servers", "3"},
     "--set:1: error: stations..servers: expected KEY=VALUE with KEY a dotted path such as "
     "stations.customs.servers"},
    {{"", "3"},
     "--set:1: error: expected KEY=VALUE with KEY a dotted path such as stations.customs.servers"},
    {{"stations.gate.open", "[\"08:00-12:00\""},
     "--set:1: error: stations.gate.open: cannot read the value as a YAML flow list or mapping: "
     "did not find expected ',' or ']'"},
    {{"name", "\xff\xfe"}, "--set:1: error: name: the value is not valid UTF-8"},
};

START_TEST(test_bad_override_one_error_document_unchanged)
{
    struct fixture fx;
    char buf[512];
    size_t n_nodes;

    setup_doc(&fx, doc_text);
    n_nodes = (size_t)(fx.doc.nodes.top - fx.doc.nodes.start);
    apply(&fx, &bad[_i].o, 1);
    ck_assert_uint_eq(fx.diags.n, 1);
    tc_diag_format(&fx.diags.v[0], buf, sizeof(buf));
    ck_assert_str_eq(buf, bad[_i].diag);
    /* The document's reachable values are unchanged. */
    ck_assert_str_eq(text_at(&fx, "stations.customs.servers"), "6");
    ck_assert_str_eq(text_at(&fx, "name"), "t");
    ck_assert_uint_eq(tc_ynode_len(&fx.y, at(&fx, "stations.gate")), 1);
    ck_assert_uint_ge((size_t)(fx.doc.nodes.top - fx.doc.nodes.start), n_nodes);
    teardown_doc(&fx);
}
END_TEST

/* A flow value nested deeper than the copy allows is refused, not a stack overflow. */
START_TEST(test_deep_flow_value_refused)
{
    char value[2 * 70 + 2];
    struct tc_override o = {"stations.gate.open", value};
    struct fixture fx;
    char buf[512];

    memset(value, '[', 70);
    value[70] = '1';
    memset(value + 71, ']', 70);
    value[141] = '\0';
    setup_doc(&fx, doc_text);
    apply(&fx, &o, 1);
    ck_assert_uint_eq(fx.diags.n, 1);
    tc_diag_format(&fx.diags.v[0], buf, sizeof(buf));
    /* The prescan stops it before libyaml builds it, with the file's own limit. */
    ck_assert_str_eq(buf, "--set:1: error: stations.gate.open: lists and mappings nested more "
                          "than 64 deep (TC_LIMIT_YAML_DEPTH in tcsim/limits.h)");
    ck_assert_ptr_null(tc_ynode_get(&fx.y, at(&fx, "stations.gate"), "open") ? "x" : NULL);
    teardown_doc(&fx);
}
END_TEST

START_TEST(test_non_mapping_root_changes_nothing)
{
    static const struct tc_override o[] = {{"name", "x"}};
    struct fixture fx;

    setup_doc(&fx, "- a\n- b\n");
    apply(&fx, o, 1);
    ck_assert_ptr_null(fx.map);
    ck_assert_uint_eq(fx.n_map, 0);
    ck_assert_uint_eq(fx.diags.n, 0);
    teardown_doc(&fx);

    setup_doc(&fx, "name: t\n");
    apply(&fx, NULL, 0);
    ck_assert_ptr_null(fx.map);
    teardown_doc(&fx);
}
END_TEST

/* A --set value is held to the file's limits: no cycles, no billion laughs. */
START_TEST(test_value_limits)
{
    static const struct {
        const char *value, *want;
    } cases[] = {
        {"[&a [1, *a]]",
         "--set:1: error: stations.gate.open: alias *a refers to a list or mapping that contains "
         "it"},
        {"[&a [x, x, x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], "
         "&c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, "
         "*c], &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d], [*e, *e, *e, *e, *e, *e, *e, *e, *e, "
         "*e, *e]]",
         "--set:1: error: stations.gate.open: aliases expand the document to more than 1000000 "
         "nodes, each alias counting as the nodes it repeats (TC_LIMIT_YAML_NODES in "
         "tcsim/limits.h)"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tc_override o = {"stations.gate.open", cases[i].value};
        struct fixture fx;
        char buf[512];

        setup_doc(&fx, doc_text);
        apply(&fx, &o, 1);
        ck_assert_uint_eq(fx.diags.n, 1);
        tc_diag_format(&fx.diags.v[0], buf, sizeof(buf));
        ck_assert_str_eq(buf, cases[i].want);
        /* Refused whole: gate has no open key, and nothing was added to the document. */
        ck_assert_int_eq(tc_ynode_get(&fx.y, at(&fx, "stations.gate"), "open"), 0);
        ck_assert_int_eq((int)(fx.doc.nodes.top - fx.doc.nodes.start), 25); /* doc_text's */
        teardown_doc(&fx);
    }
}
END_TEST

static Suite *override_suite(void)
{
    Suite *s = suite_create("override");
    TCase *tc = tcase_create("apply");

    tcase_add_test(tc, test_apply_sets_values_and_marks_positions);
    tcase_add_test(tc, test_replace_item_and_alias);
    tcase_add_test(tc, test_append_plus_adds_a_list_item);
    tcase_add_loop_test(tc, test_bad_override_one_error_document_unchanged, 0,
                        (int)(sizeof(bad) / sizeof(bad[0])));
    tcase_add_test(tc, test_deep_flow_value_refused);
    tcase_add_test(tc, test_value_limits);
    tcase_add_test(tc, test_non_mapping_root_changes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(override_suite)
