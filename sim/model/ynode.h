/*
** ynode: typed getters over a libyaml yaml_document_t, for the scenario
** loader. Each getter checks one node (kind, syntax, range), stores the
** value, and on failure appends one diagnostic "path: what is allowed, got
** "<value>"" positioned at the node, then returns false so that the caller
** can skip the checks that depend on it. Nothing stops at the first error.
** Scalars are read by their text whatever their YAML style or tag, so
** servers: "6" and servers: 6 are the same. libyaml does not reject
** duplicate keys, so tc_ynode_check_keys does. Node ids are libyaml's
** (1-based); 0 means "absent". Costs: a key lookup is linear in the
** mapping's size, the key check O(n log n).
*/
#ifndef TCSIM_YNODE_H
#define TCSIM_YNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "tcsim/diag.h"
#include "tcsim/dist.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

/* The longest "got" excerpt quoted in a message; longer values end in "...". */
#define TC_YNODE_EXCERPT 60

/* A key path such as "stations.customs.servers" or "arrivals[0].rate", grown and cut back. */
struct tc_ynode_path {
    char *s; /* always NUL-terminated, "" at the root; owned */
    size_t len, cap;
};

void tc_ynode_path_init(struct tc_ynode_path *p);
void tc_ynode_path_fini(struct tc_ynode_path *p);
/* Appends ".key" ("key" at the root); returns the previous length for tc_ynode_path_pop. */
size_t tc_ynode_path_key(struct tc_ynode_path *p, const char *key);
/* Appends "[i]"; returns the previous length. */
size_t tc_ynode_path_index(struct tc_ynode_path *p, size_t i);
/* Cuts the path back to len. */
void tc_ynode_path_pop(struct tc_ynode_path *p, size_t len);
/* Appends a getter's key: "[i]" as is, a name after a dot; NULL appends nothing. Returns the
 * previous length. */
size_t tc_ynode_path_suffix(struct tc_ynode_path *p, const char *key);
/* key + "[i]" or key + "." + sub into buf, for messages about parts of a node; returns buf. */
const char *tc_ynode_subkey(char *buf, size_t len, const char *key, const char *sub);
/* "a, b, c" into a new string (free()). */
char *tc_ynode_join_names(const char *const *names, size_t n);

/*
** The reading context. Every getter reports, so the diagnostics sink lives
** here rather than as a last argument to each call; path is the key path of
** the node being read and getters take the key (or "[i]") to append to it in
** messages, or NULL when path already names the node.
*/
struct tc_ynode {
    yaml_document_t *doc;
    const char *file;     /* file name in positions; borrowed, must outlive every pos */
    enum tc_time_unit tu; /* for durations and rates */
    const uint32_t
        *ovr_of_node;     /* node id -> 1-based --set index, 0 = from the file; may be NULL */
    size_t n_ovr_of_node; /* entries in ovr_of_node (node ids 0 .. n-1) */
    /* start_date, for times written as dates (tc_ynode_time) */
    bool has_start;
    bool start_bad; /* start_date was given but wrong: dates fail without a second message */
    int64_t start_utc_s;
    int32_t start_offset_min;
    struct tc_ynode_path path;
    struct tc_diags *diags;
    /*
    ** At most TC_LIMIT_DIAGS diagnostics are added through y (counted from
    ** diags->n at init): a file with a million mistakes must not print a
    ** million lines. The others are only counted; the loader ends with one
    ** message about them (tc_ynode_report_dropped).
    */
    size_t diags0;
    size_t n_dropped;
    bool dropped_err; /* one of the dropped diagnostics was an error */
};

/*
** Checks a YAML text against the limits of tcsim/limits.h on libyaml's event
** stream, before any document is built: nesting depth, nodes (each alias
** counted as the nodes it repeats, so a "billion laughs" file fails at once),
** anchors, aliases, scalar length, and an alias to a collection that
** contains it (libyaml would build a cycle). Stops at the first limit
** passed, adds one error and returns false. Positions come from the text
** (file:line:col), or are all `at` when at is not NULL (a --set value);
** path prefixes the messages ("" for none). A syntax error is not reported
** here: the prescan just stops and returns true, and the load that follows
** reports it.
*/
bool tc_ynode_prescan(const char *text, size_t len, const char *file, const struct tc_pos *at,
                      const char *path, struct tc_diags *diags);

/* Initialises y over doc (owned by the caller) with an empty path. */
void tc_ynode_init(struct tc_ynode *y, yaml_document_t *doc, const char *file,
                   struct tc_diags *diags);
void tc_ynode_fini(struct tc_ynode *y);
/* Whether the diagnostic cap was reached: later messages would be dropped. */
bool tc_ynode_is_capped(const struct tc_ynode *y);
/*
** After loading: when diagnostics were dropped, adds one more at the file
** (an error if any dropped one was): "too many errors: ...". Returns
** whether a dropped one was an error (the load must then fail).
*/
bool tc_ynode_report_dropped(struct tc_ynode *y);

/* The node with this id, or NULL (id 0 or out of range). */
yaml_node_t *tc_ynode_node(const struct tc_ynode *y, int id);
/* 1-based position of the node; an overridden node is at "--set":N with no column. */
struct tc_pos tc_ynode_pos(const struct tc_ynode *y, int id);
/* The text of a scalar node, or NULL when the node is not a scalar. */
const char *tc_ynode_scalar(const struct tc_ynode *y, int id);
/* Whether the node is absent or an empty plain scalar (key: with no value, ~ or null). */
bool tc_ynode_is_null(const struct tc_ynode *y, int id);
/*
** What the node is, for "got ...": "\"-2\"" (quoted, control characters and
** quotes escaped, cut at TC_YNODE_EXCERPT), "nothing", "a list", "a mapping".
*/
void tc_ynode_describe(const struct tc_ynode *y, int id, char *buf, size_t len);

/*
** Adds a diagnostic at node id with the path y->path + key (key may be
** NULL). tc_ynode_error_got appends ", got <description of node>".
*/
void tc_ynode_error(struct tc_ynode *y, int id, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tc_ynode_error_got(struct tc_ynode *y, int id, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tc_ynode_warning(struct tc_ynode *y, int id, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Number of pairs of a mapping / items of a sequence; 0 for other nodes. */
size_t tc_ynode_len(const struct tc_ynode *y, int id);
/* The i-th pair of a mapping (key and value ids) or item of a sequence; 0 when out of range. */
int tc_ynode_pair_key(const struct tc_ynode *y, int map, size_t i);
int tc_ynode_pair_value(const struct tc_ynode *y, int map, size_t i);
int tc_ynode_item(const struct tc_ynode *y, int seq, size_t i);
/* The value of the first pair whose key is the scalar key, or 0. */
int tc_ynode_get(const struct tc_ynode *y, int map, const char *key);

/*
** Kind checks: true when the node is a mapping / a sequence; otherwise an
** error "expected <what>, got ..." (what like "a mapping of station settings").
*/
bool tc_ynode_expect_map(struct tc_ynode *y, int id, const char *key, const char *what);
bool tc_ynode_expect_seq(struct tc_ynode *y, int id, const char *key, const char *what);

/*
** Checks every key of a mapping: a non-scalar or empty key, a duplicate key
** ("duplicate key, first at line N"; what names it, e.g. "station name", or
** NULL for "key"), and, when allowed is not NULL, a key not in allowed
** ("unknown key "sevrers"; did you mean "servers"?", else the allowed list).
** Returns true when no problem was found.
*/
bool tc_ynode_check_keys(struct tc_ynode *y, int map, const char *const *allowed, size_t n_allowed,
                         const char *what);
/* Error "missing key "name"" (plus hint, may be NULL) at the mapping. */
void tc_ynode_missing(struct tc_ynode *y, int map, const char *name, const char *hint);

/* Flags of tc_ynode_uint. */
#define TC_YN_UNLIMITED 1u /* "unlimited" gives TC_UNLIMITED */
#define TC_YN_ZERO      2u /* 0 is allowed (else the integer must be positive) */

/* A decimal integer < TC_UNLIMITED, positive unless TC_YN_ZERO, or "unlimited". */
bool tc_ynode_uint(struct tc_ynode *y, int id, const char *key, unsigned flags, uint32_t *out);
/*
** The same, at most max (< TC_UNLIMITED); macro names the limit in
** tcsim/limits.h for the message ("... up to 1000000 or "unlimited"
** (TC_LIMIT_SERVERS in tcsim/limits.h)"), or is NULL.
*/
bool tc_ynode_uint_max(struct tc_ynode *y, int id, const char *key, unsigned flags, uint32_t max,
                       const char *macro, uint32_t *out);
/* A decimal integer from 0 to 2^64 - 1. */
bool tc_ynode_u64(struct tc_ynode *y, int id, const char *key, uint64_t *out);
/* A decimal integer with an optional sign, within int64_t. */
bool tc_ynode_i64(struct tc_ynode *y, int id, const char *key, int64_t *out);

/* Range of tc_ynode_number. */
enum tc_yn_range {
    TC_YN_ANY,      /* any finite number */
    TC_YN_NONNEG,   /* >= 0 */
    TC_YN_POSITIVE, /* > 0 */
    TC_YN_PROB      /* in (0, 1] */
};
/* A finite decimal number (no inf, nan or hex) in the range. */
bool tc_ynode_number(struct tc_ynode *y, int id, const char *key, enum tc_yn_range range,
                     double *out);

/* A duration / rate via tc_units_* in y->tu; a length via tc_units_length. */
bool tc_ynode_duration(struct tc_ynode *y, int id, const char *key, double *out);
bool tc_ynode_rate(struct tc_ynode *y, int id, const char *key, double *out);
bool tc_ynode_length(struct tc_ynode *y, int id, const char *key, double *out);
/*
** A time since the start: a duration, or, when y has a start_date, a date
** ("2021-12-15T07:00+07:00"; without an offset, the start_date's) converted
** to time_unit. A date before the start, or any date without start_date, is
** an error.
*/
bool tc_ynode_time(struct tc_ynode *y, int id, const char *key, double *out);

/* A non-empty scalar; *out points into the document (copy it before the document goes). */
bool tc_ynode_string(struct tc_ynode *y, int id, const char *key, const char **out);

/*
** One of names[0..n-1]; *out is its index. The error lists them and adds a
** "did you mean" when one is close.
*/
bool tc_ynode_enum(struct tc_ynode *y, int id, const char *key, const char *const *names, size_t n,
                   int *out);

/* The most opening windows a station may have (the calendar holds 2 boundaries each). */
#define TC_YN_MAX_WINDOWS 32
/*
** Opening windows: one "HH:MM-HH:MM" string or a list of them, at most
** TC_YN_MAX_WINDOWS. On success *out is a new array (free()) of *n_out
** windows; an empty list is an error.
*/
bool tc_ynode_windows(struct tc_ynode *y, int id, const char *key, struct tc_window **out,
                      uint32_t *n_out);

/* What a bare duration means where a distribution is expected. */
enum tc_yn_bare {
    TC_YN_BARE_CONSTANT,   /* service, patience, interarrival: a constant */
    TC_YN_BARE_EXPONENTIAL /* failures.mtbf/mttr: an exponential with that mean */
};
/*
** A distribution: a bare duration, or a mapping {dist: <kind>, <params>}
** walked through tc_dist_specs (duration parameters accept units; empirical
** has values, a list of durations, and optional weights, one number per
** value). On success *out is initialised (tc_dist_fini it); on failure it is
** a constant 0 and needs no fini.
*/
bool tc_ynode_dist(struct tc_ynode *y, int id, const char *key, enum tc_yn_bare bare,
                   struct tc_dist *out);
/* Whether a mapping node looks like a distribution (it has a "dist" key). */
bool tc_ynode_is_dist(const struct tc_ynode *y, int id);

#endif
