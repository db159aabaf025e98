/*
** scenario_load: YAML text -> struct tc_scenario (scenarios/README.md), in one walk
** over the libyaml document in a fixed order: the top-level scalars (time_unit
** first, since durations depend on it), classes, station names, stations,
** arrivals (scenario_source.c), events (scenario_events.c); then
** scenario_check.c applies the rules that need the whole scenario. Every
** problem becomes a diagnostic and the walk goes on; a value that failed
** leaves its default in place and marks what depends on it as not
** checkable (station_ok, source_ok, ...), so one mistake gives one message,
** not a cascade.
**
** Decisions on the format, beyond scenarios/README.md:
** - classes: a mapping name -> {priority, patience, shelf_life, value}, all
**   optional (a class may be given as just "name:"); without classes there
**   is one class "truck". priority is an integer, default 0; patience a
**   duration (a constant) or a distribution; shelf_life a duration > 0.
** - A distribution is a bare duration (a constant) or {dist: <kind>, ...};
**   see tc_ynode_dist. service is one distribution, or a mapping class ->
**   distribution that covers every class. In failures, a bare duration is
**   the mean of an exponential, not a constant.
** - next: a station name or "exit"; a list of {to, p} with p in (0, 1]
**   summing to 1 within 1e-9; or a mapping class -> (name | list) covering
**   every class. Without next, trucks leave. "exit" is not a station name.
** - servers: a positive integer or "unlimited" (default 1); capacity too
**   (default unlimited), at least servers; daily_limit a positive integer or
**   "unlimited"; open at most 32 windows.
** - arrivals: exactly one of rate, interarrival (mean > 0) or trace; hourly
**   and daily only with rate; batch only without a trace (a trace has one
**   truck a row); name defaults to "arrivals[i]". booking {slot, per_slot,
**   punctuality}: punctuality is a deviation, and a normal one is NOT
**   truncated at 0 by the engine (mean 0 is allowed).
** - events: {station, close, reopen}, {station, at, servers | daily_limit |
**   open | next} (several keys make several entries), {arrivals: <stream
**   or class name, or a list of them>, at, rate_factor}; a name that is a
**   stream means that stream, otherwise every stream of that class. Entries
**   are sorted by time, ties in file order.
** - Top level: sample_every leaves at most 1,000,000 samples.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <yaml.h>

#include "base/isodate.h"
#include "base/jsonw.h"
#include "base/limits.h"
#include "base/rfile.h"
#include "base/xmem.h"
#include "model/names.h"
#include "model/override.h"
#include "model/scenario_int.h"
#include "model/uncertain.h"
#include "model/ynode.h"
#include "tcsim/scenario.h"

static const char *const top_keys[] = {
    "name",   "time_unit",    "start_date",   "horizon", "warmup",    "replications",
    "seed",   "sample_every", "truck_length", "classes", "arrivals",  "stations",
    "events", "bookings",     "costs",        "initial", "clearance",
};
static const char *const station_keys[] = {
    "servers", "capacity",    "service",   "next",     "discipline",
    "open",    "daily_limit", "when_full", "failures", "release",
};
static const char *const failure_keys[] = {"mtbf", "mttr"};
static const char *const tu_names[] = {"s", "min", "h", "d"};
static const char *const discipline_names[] = {"fifo", "priority"};
static const char *const release_names[] = {"fifo", "priority"};
static const char *const when_full_names[] = {"wait", "reject"};

/* ==== Top level ==== */

static void load_top(struct tc_scenario_load *L, bool *horizon_ok)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    int root = L->root, v;
    const char *s;
    char b1[64];

    tc_ynode_check_keys(y, root, top_keys, TC_N_OF(top_keys), NULL);

    if ((v = tc_sl_get(L, root, "name")) == 0)
        tc_ynode_missing(y, root, "name", "a title for the scenario");
    else if (tc_ynode_string(y, v, "name", &s) && tc_sl_name_ok(y, v, "name", s, true))
        sc->name = tc_xstrdup(s);

    sc->time_unit = TC_TU_MIN;
    if ((v = tc_sl_get(L, root, "time_unit")) != 0) {
        int tu;

        if (tc_ynode_enum(y, v, "time_unit", tu_names, TC_N_OF(tu_names), &tu))
            sc->time_unit = (enum tc_time_unit)tu;
    }
    y->tu = sc->time_unit;

    if ((v = tc_sl_get(L, root, "start_date")) != 0) {
        struct tc_isodate d;
        const char *err = (s = tc_ynode_scalar(y, v)) ? tc_isodate_parse(s, &d) : TC_ISODATE_FORMS;

        if (err != NULL) {
            tc_ynode_error_got(y, v, "start_date", "%s", err);
            y->start_bad = true;
        } else {
            sc->has_start_date = y->has_start = true;
            sc->start_utc_s = y->start_utc_s = d.utc_s;
            sc->start_offset_min = y->start_offset_min = d.offset_min;
        }
    }

    *horizon_ok = false;
    if ((v = tc_sl_get(L, root, "horizon")) == 0) {
        tc_ynode_missing(y, root, "horizon", "the simulated length, such as 30 d");
    } else if ((s = tc_ynode_scalar(y, v)) != NULL && s[0] == '-') {
        /* "-0" is 0, not below it: say what a horizon needs, not what any duration does. */
        tc_ynode_error_got(y, v, "horizon", "must be > 0");
    } else if (tc_ynode_duration(y, v, "horizon", &sc->horizon)) {
        if (!(sc->horizon > 0.0))
            tc_ynode_error_got(y, v, "horizon", "must be > 0");
        else if (sc->horizon > TC_LIMIT_HORIZON_DAYS * tc_units_day(sc->time_unit))
            tc_ynode_error_got(y, v, "horizon",
                               "must be at most %.0f d (TC_LIMIT_HORIZON_DAYS in tcsim/limits.h)",
                               TC_LIMIT_HORIZON_DAYS);
        else
            *horizon_ok = true;
    }

    sc->warmup = 0.0;
    if ((v = tc_sl_get(L, root, "warmup")) != 0 && tc_ynode_duration(y, v, "warmup", &sc->warmup) &&
        *horizon_ok && !(sc->warmup < sc->horizon))
        tc_ynode_error_got(y, v, "warmup", "must be less than horizon (%s)",
                           tc_sl_fmt_t(L, sc->horizon, b1, sizeof(b1)));

    sc->replications = 1;
    if ((v = tc_sl_get(L, root, "replications")) != 0)
        tc_ynode_uint_max(y, v, "replications", 0, TC_LIMIT_REPLICATIONS, "TC_LIMIT_REPLICATIONS",
                          &sc->replications);

    sc->seed = 1;
    if ((v = tc_sl_get(L, root, "seed")) != 0)
        tc_ynode_u64(y, v, "seed", &sc->seed);

    sc->sample_every = *horizon_ok ? sc->horizon / 500.0 : 1.0;
    if ((v = tc_sl_get(L, root, "sample_every")) != 0 &&
        tc_ynode_duration(y, v, "sample_every", &sc->sample_every)) {
        if (!(sc->sample_every > 0.0))
            tc_ynode_error_got(y, v, "sample_every", "must be > 0");
        else if (*horizon_ok && sc->horizon / sc->sample_every > TC_LIMIT_SAMPLES)
            tc_ynode_error_got(y, v, "sample_every",
                               "too small: horizon / sample_every must be at most %u samples "
                               "(TC_LIMIT_SAMPLES in tcsim/limits.h)",
                               TC_LIMIT_SAMPLES);
    }

    sc->truck_length_m = 25.0;
    if ((v = tc_sl_get(L, root, "truck_length")) != 0)
        tc_ynode_length(y, v, "truck_length", &sc->truck_length_m);
}

/* ==== Routes and services ==== */

/* Names of every distribution parameter, to tell a forgotten "dist:" from a class mapping. */
static bool is_param_name(const char *s)
{
    if (strcmp(s, "values") == 0 || strcmp(s, "weights") == 0)
        return true;
    for (int k = 0; k < TC_DIST__COUNT; k++)
        for (uint32_t i = 0; i < tc_dist_specs[k].n_params; i++)
            if (strcmp(s, tc_dist_specs[k].param[i]) == 0)
                return true;
    return false;
}

/* service: one distribution for every class, or a mapping class -> distribution. */
static bool load_service(struct tc_scenario_load *L, int v, const char *key, struct tc_dist *out)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    yaml_node_t *n = tc_ynode_node(y, v);
    bool ok = true, *seen;
    size_t np, m;

    if (n == NULL || n->type != YAML_MAPPING_NODE || tc_ynode_is_dist(y, v)) {
        struct tc_dist d;

        if (!tc_ynode_dist(y, v, key, TC_YN_BARE_CONSTANT, &d))
            return false;
        for (uint32_t c = 0; c < sc->n_classes; c++)
            tc_dist_copy(&out[c], &d);
        tc_dist_fini(&d);
        return true;
    }
    np = tc_ynode_len(y, v);
    for (size_t i = 0; i < np; i++) {
        const char *k = tc_ynode_scalar(y, tc_ynode_pair_key(y, v, i));

        if (k != NULL && tc_scenario_class(sc, k) == TC_NONE && is_param_name(k)) {
            tc_ynode_error(y, v, key,
                           "missing key \"dist\" (a distribution is a duration or a mapping "
                           "such as {dist: exponential, mean: 20 min})");
            return false;
        }
    }
    if (!L->classes_ok)
        return false;
    seen = tc_xcalloc(sc->n_classes, sizeof(bool));
    m = key ? tc_sl_push(L, key) : L->y.path.len;
    ok &= tc_ynode_check_keys(y, v, NULL, 0, NULL);
    for (size_t i = 0; i < np; i++) {
        int kn = tc_ynode_pair_key(y, v, i);
        const char *cname = tc_ynode_scalar(y, kn);
        uint32_t c;

        if (cname == NULL || cname[0] == '\0')
            continue;
        c = tc_scenario_ref_class(L, kn, NULL);
        if (c == TC_NONE) {
            ok = false;
            continue;
        }
        if (seen[c])
            continue;
        seen[c] = true;
        ok &= tc_ynode_dist(y, tc_ynode_pair_value(y, v, i), cname, TC_YN_BARE_CONSTANT, &out[c]);
    }
    tc_sl_pop(L, m);
    if (ok)
        ok = tc_scenario_covers_all(L, v, key, seen, "service time");
    free(seen);
    return ok;
}

/* ==== Stations ==== */

static bool load_failures(struct tc_scenario_load *L, int v, struct tc_failures *f)
{
    struct tc_ynode *y = &L->y;
    bool ok = true;
    int a, b;
    size_t m;

    if (!tc_ynode_expect_map(y, v, "failures", "a mapping {mtbf: <time up>, mttr: <time down>}"))
        return false;
    m = tc_sl_push(L, "failures");
    ok &= tc_ynode_check_keys(y, v, failure_keys, TC_N_OF(failure_keys), NULL);
    if ((a = tc_sl_get(L, v, "mtbf")) == 0) {
        tc_ynode_missing(y, v, "mtbf", "the mean time between failures, or its distribution");
        ok = false;
    } else {
        ok &= tc_ynode_dist(y, a, "mtbf", TC_YN_BARE_EXPONENTIAL, &f->up);
    }
    if ((b = tc_sl_get(L, v, "mttr")) == 0) {
        tc_ynode_missing(y, v, "mttr", "the mean time to repair, or its distribution");
        ok = false;
    } else {
        ok &= tc_ynode_dist(y, b, "mttr", TC_YN_BARE_EXPONENTIAL, &f->down);
    }
    /* A time up of 0 on average would fail a server endlessly at one instant. */
    if (ok && !(tc_dist_mean(&f->up) > 0.0)) {
        tc_ynode_error(y, a, "mtbf", "the mean time between failures must be > 0");
        ok = false;
    }
    tc_sl_pop(L, m);
    f->on = ok;
    return ok;
}

/* daily_limit: the total, and the limits per class when any is given. */
static bool load_daily_limit(struct tc_scenario_load *L, int n, struct tc_station *st)
{
    uint32_t n_cl = L->sc->n_classes;
    uint32_t *val = tc_xmalloc((n_cl + 1) * sizeof(uint32_t));
    bool *set = tc_xmalloc((n_cl + 1) * sizeof(bool));
    bool ok = tc_scenario_load_daily_limit(L, n, "daily_limit", val, set);
    bool by_class = false;

    st->daily_limit = val[n_cl];
    for (uint32_t c = 0; c < n_cl; c++)
        by_class |= set[c];
    if (ok && by_class)
        st->class_limit = val; /* its first n_cl entries */
    else
        free(val);
    free(set);
    return ok;
}

static void load_station(struct tc_scenario_load *L, uint32_t i, int v)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    struct tc_station *st = &sc->stations[i];
    bool ok = true, servers_ok = true, cap_ok = true;
    int n, sn = 0;

    st->servers = 1;
    st->capacity = TC_UNLIMITED;
    st->daily_limit = TC_UNLIMITED;
    st->next.kind = TC_ROUTE_FIXED;
    st->next.to = TC_EXIT;
    st->next.pos = st->pos;
    st->service = tc_xcalloc(sc->n_classes ? sc->n_classes : 1, sizeof(struct tc_dist));
    for (uint32_t c = 0; c < sc->n_classes; c++)
        tc_dist_init_constant(&st->service[c], 0.0);
    if (!tc_ynode_expect_map(y, v, NULL,
                             "a mapping of station settings (servers, capacity, service, "
                             "next, ...)")) {
        L->station_ok[i] = false;
        return;
    }
    ok &= tc_ynode_check_keys(y, v, station_keys, TC_N_OF(station_keys), NULL);
    if ((sn = tc_sl_get(L, v, "servers")) != 0)
        servers_ok = tc_ynode_uint_max(&L->y, sn, "servers", TC_YN_UNLIMITED, TC_LIMIT_SERVERS,
                                       "TC_LIMIT_SERVERS", &st->servers);
    if ((n = tc_sl_get(L, v, "capacity")) != 0) {
        cap_ok = tc_ynode_uint_max(&L->y, n, "capacity", TC_YN_UNLIMITED, TC_LIMIT_CAPACITY,
                                   "TC_LIMIT_CAPACITY", &st->capacity);
        if (cap_ok && servers_ok && st->servers != TC_UNLIMITED && st->capacity < st->servers) {
            tc_ynode_error_got(y, n, "capacity", "must be at least servers (%" PRIu32 ")",
                               st->servers);
            cap_ok = false;
        }
    }
    ok &= servers_ok && cap_ok;
    if ((n = tc_sl_get(L, v, "discipline")) != 0) {
        int d;

        if (tc_ynode_enum(y, n, "discipline", discipline_names, 2, &d))
            st->priority = d == 1;
        else
            ok = false;
    }
    if ((n = tc_sl_get(L, v, "release")) != 0) {
        int d;

        if (tc_ynode_enum(y, n, "release", release_names, 2, &d))
            st->release_priority = d == 1;
        else
            ok = false;
    }
    if ((n = tc_sl_get(L, v, "when_full")) != 0) {
        int d;

        if (tc_ynode_enum(y, n, "when_full", when_full_names, 2, &d))
            st->reject_when_full = d == 1;
        else
            ok = false;
    }
    if ((n = tc_sl_get(L, v, "service")) == 0) {
        tc_ynode_missing(y, v, "service",
                         "the service or dwell time: a duration such as 20 min, or a "
                         "distribution");
        ok = false;
    } else {
        ok &= load_service(L, n, "service", st->service);
    }
    if ((n = tc_sl_get(L, v, "next")) != 0) {
        L->station_next[i] = n;
        ok &= tc_scenario_load_route(L, n, "next", &st->next);
    }
    if ((n = tc_sl_get(L, v, "open")) != 0)
        ok &= tc_ynode_windows(y, n, "open", &st->open, &st->n_open);
    if ((n = tc_sl_get(L, v, "daily_limit")) != 0)
        ok &= load_daily_limit(L, n, st);
    if ((n = tc_sl_get(L, v, "failures")) != 0) {
        if (servers_ok && st->servers == TC_UNLIMITED) {
            tc_ynode_error(y, n, "failures",
                           "failures are per server and need a finite number of servers");
            ok = false;
        } else {
            ok &= load_failures(L, n, &st->failures);
        }
    }
    L->station_ok[i] = ok;
}

static void load_stations(struct tc_scenario_load *L)
{
    struct tc_ynode *y = &L->y;
    struct tc_scenario *sc = L->sc;
    int sn = tc_sl_get(L, L->root, "stations");
    size_t n, m;
    const char **keys;
    int *vals;
    struct tc_scenario_names ix;

    L->stations_ok = false;
    if (sn == 0) {
        tc_ynode_missing(y, L->root, "stations",
                         "the network: a mapping of station names to their settings");
        return;
    }
    if (!tc_ynode_expect_map(y, sn, "stations",
                             "a mapping of station names to their settings, such as "
                             "{customs: {servers: 6, service: 20 min}}"))
        return;
    n = tc_ynode_len(y, sn);
    if (n == 0) {
        tc_ynode_error(y, sn, "stations", "expected at least one station");
        return;
    }
    if (!tc_sl_within(L, sn, "stations", n, TC_LIMIT_STATIONS, "stations", "TC_LIMIT_STATIONS"))
        return;
    /* Every station keeps a service time and statistics per class. */
    if (n * sc->n_classes > TC_LIMIT_STATION_CLASSES) {
        tc_ynode_error(y, sn, "stations",
                       "%zu stations x %" PRIu32 " classes make %zu per-class station "
                       "statistics, more than %u (TC_LIMIT_STATION_CLASSES in tcsim/limits.h)",
                       n, sc->n_classes, n * sc->n_classes, TC_LIMIT_STATION_CLASSES);
        return;
    }
    m = tc_sl_push(L, "stations");
    tc_ynode_check_keys(y, sn, NULL, 0, "station name");
    keys = tc_xcalloc(n, sizeof(*keys));
    vals = tc_xcalloc(n, sizeof(*vals));
    for (size_t i = 0; i < n; i++) {
        const char *k = tc_ynode_scalar(y, tc_ynode_pair_key(y, sn, i));

        keys[i] = k != NULL ? k : "";
    }
    tc_scenario_names_build(&ix, keys, sizeof(*keys), (uint32_t)n);
    sc->stations = tc_xcalloc(n, sizeof(*sc->stations));
    L->station_key = tc_xcalloc(n, sizeof(int));
    L->station_next = tc_xcalloc(n, sizeof(int));
    L->station_ok = tc_xcalloc(n, sizeof(bool));
    for (size_t i = 0; i < n; i++) {
        int kn = tc_ynode_pair_key(y, sn, i);
        struct tc_station *st;

        if (keys[i][0] == '\0' || tc_scenario_names_find(&ix, keys[i]) != i)
            continue;
        if (strcmp(keys[i], "exit") == 0) {
            tc_ynode_error(y, kn, keys[i],
                           "\"exit\" is reserved for leaving the network; choose another name");
            continue;
        }
        if (!tc_sl_name_ok(y, kn, keys[i], keys[i], false))
            continue;
        st = &sc->stations[sc->n_stations];
        st->name = tc_xstrdup(keys[i]);
        st->pos = tc_ynode_pos(y, kn);
        L->station_key[sc->n_stations] = kn;
        vals[sc->n_stations] = tc_ynode_pair_value(y, sn, i);
        sc->n_stations++;
    }
    tc_scenario_names_fini(&ix);
    free(keys);
    {
        const char **names = tc_xcalloc(sc->n_stations ? sc->n_stations : 1, sizeof(*names));

        for (uint32_t i = 0; i < sc->n_stations; i++)
            names[i] = sc->stations[i].name;
        tc_scenario_names_build(&L->station_names, names, sizeof(*names), sc->n_stations);
        free(names);
    }
    L->stations_ok = sc->n_stations > 0;
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        size_t m2 = tc_sl_push(L, sc->stations[i].name);

        load_station(L, i, vals[i]);
        L->stations_ok &= L->station_ok[i];
        tc_sl_pop(L, m2);
    }
    free(vals);
    tc_sl_pop(L, m);
}

/* ==== Entry points ==== */

static void load_fini(struct tc_scenario_load *L)
{
    tc_ynode_fini(&L->y);
    tc_scenario_names_fini(&L->station_names);
    tc_scenario_names_fini(&L->class_names);
    tc_scenario_names_fini(&L->source_names);
    free(L->station_key);
    free(L->pool_key);
    free(L->station_next);
    free(L->station_ok);
    free(L->source_node);
    free(L->source_name);
    free(L->source_trace);
    free(L->source_class);
    free(L->source_ok);
    free(L->sched_node);
    free(L->sched_event);
    free(L->event_name);
    free(L->event_name_node);
    free(L->event_end);
}

/* 1-based line and column of a byte offset (libyaml reader errors give only the offset). */
static void offset_pos(const char *text, size_t len, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, c = 1;

    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static void syntax_error(const yaml_parser_t *p, const char *text, size_t len, const char *file,
                         struct tc_diags *diags)
{
    struct tc_pos pos = {file, (uint32_t)p->problem_mark.line + 1,
                         (uint32_t)p->problem_mark.column + 1};
    const char *problem = p->problem ? p->problem : "cannot parse the file";

    if (p->error == YAML_READER_ERROR)
        offset_pos(text, len, p->problem_offset, &pos.line, &pos.col);
    if (p->error == YAML_MEMORY_ERROR) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "out of memory while reading YAML");
        return;
    }
    /* The composer's context names the first of two places: "found duplicate anchor; ...". */
    if (p->context != NULL && p->error == YAML_COMPOSER_ERROR)
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "YAML syntax: %s at line %zu, %s here",
                     p->context, p->context_mark.line + 1, problem);
    else if (p->context != NULL && p->error != YAML_READER_ERROR)
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "YAML syntax: %s (%s at line %zu)", problem,
                     p->context, p->context_mark.line + 1);
    else
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "YAML syntax: %s", problem);
}

struct tc_scenario *tc_scenario_load_string(const char *text, size_t len, const char *name,
                                            const char *base_dir, const struct tc_override *ovr,
                                            size_t n_ovr, struct tc_diags *diags)
{
    struct tc_scenario *sc = tc_xcalloc(1, sizeof(*sc));
    struct tc_scenario_load L;
    yaml_parser_t parser;
    yaml_document_t doc, extra;
    uint32_t *ovr_map = NULL;
    size_t n_map = 0;
    bool horizon_ok;

    memset(&L, 0, sizeof(L));
    L.sc = sc;
    L.base_dir = base_dir;
    L.err0 = diags->n_err;
    L.suggest_left = 1000000; /* about 0.4 s of edit distances */
    L.trace_bytes_left = TC_LIMIT_TRACE_BYTES;
    L.trace_rows_left = TC_LIMIT_TRACE_ROWS;
    sc->path = tc_xstrdup(name ? name : "");
    sc->time_unit = TC_TU_MIN;
    tc_ynode_init(&L.y, NULL, sc->path, diags);
    if (!yaml_parser_initialize(&parser)) {
        tc_diags_add(diags, TC_SEV_ERROR, NULL, "", "out of memory while reading YAML");
        goto fail;
    }
    /* The limits first: libyaml would build a billion-laughs document without a blink. */
    if (!tc_ynode_prescan(text, len, sc->path, NULL, "", diags)) {
        yaml_parser_delete(&parser);
        goto fail;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    memset(&doc, 0, sizeof(doc));
    if (!yaml_parser_load(&parser, &doc)) {
        syntax_error(&parser, text, len, sc->path, diags);
        yaml_parser_delete(&parser);
        goto fail;
    }
    /* A second document is most likely a pasted file: refuse rather than ignore it. */
    memset(&extra, 0, sizeof(extra));
    if (!yaml_parser_load(&parser, &extra)) {
        syntax_error(&parser, text, len, sc->path, diags);
    } else {
        yaml_node_t *r2 = yaml_document_get_root_node(&extra);

        if (r2 != NULL) {
            struct tc_pos pos = {sc->path, (uint32_t)r2->start_mark.line + 1,
                                 (uint32_t)r2->start_mark.column + 1};

            tc_diags_add(diags, TC_SEV_ERROR, &pos, "",
                         "expected one YAML document, found a second one");
        }
        yaml_document_delete(&extra);
    }
    yaml_parser_delete(&parser);
    if (yaml_document_get_root_node(&doc) == NULL) {
        struct tc_pos pos = {sc->path, 0, 0};

        tc_diags_add(diags, TC_SEV_ERROR, &pos, "",
                     "the scenario is empty; it needs at least name, horizon, arrivals and "
                     "stations");
        yaml_document_delete(&doc);
        goto fail;
    }
    /*
    ** One spelling per name: NFC and NFD of "Lạng Sơn" are one station, and
    ** a duplicate key is then reported as such. Again after the overrides,
    ** whose keys override.c matches in NFC and whose values it adds raw.
    */
    tc_names_nfc_document(&doc);
    ovr_map = tc_override_apply(&doc, ovr, n_ovr, &n_map, diags);
    if (n_ovr > 0)
        tc_names_nfc_document(&doc);
    L.y.doc = &doc;
    L.y.ovr_of_node = ovr_map;
    L.y.n_ovr_of_node = n_map;
    L.root = 1;
    if (!tc_ynode_expect_map(&L.y, L.root, NULL,
                             "a mapping with name, horizon, arrivals and stations")) {
        yaml_document_delete(&doc);
        goto fail;
    }
    load_top(&L, &horizon_ok);
    tc_uncertain_collect(&L.y, sc, L.root);
    tc_scenario_load_classes(&L);
    {
        const char **names = tc_xcalloc(sc->n_classes ? sc->n_classes : 1, sizeof(*names));

        for (uint32_t c = 0; c < sc->n_classes; c++)
            names[c] = sc->classes[c].name;
        tc_scenario_names_build(&L.class_names, names, sizeof(*names), sc->n_classes);
        free(names);
    }
    load_stations(&L);
    tc_scenario_load_pools(&L);
    tc_scenario_load_sources(&L, horizon_ok);
    tc_scenario_load_events(&L);
    tc_scenario_load_costs(&L);
    tc_scenario_load_initial(&L);
    tc_scenario_load_clearance(&L);
    /* KEY*=F scales what was loaded, before the checks see the rates */
    if (diags->n_err == L.err0)
        tc_override_scale(sc, ovr, n_ovr, diags);
    tc_scenario_check(&L);
    yaml_document_delete(&doc);
    if (tc_ynode_report_dropped(&L.y) || diags->n_err > L.err0)
        goto fail;
    free(ovr_map);
    load_fini(&L);
    if (sc->n_uncertain > 0)
        tc_uncertain_keep_source(sc, text, len, base_dir, ovr, n_ovr);
    return sc;
fail:
    free(ovr_map);
    load_fini(&L);
    tc_scenario_free(sc);
    return NULL;
}

struct tc_scenario *tc_scenario_load(const char *path, const struct tc_override *ovr, size_t n_ovr,
                                     struct tc_diags *diags)
{
    struct tc_pos pos = {path, 0, 0};
    struct tc_scenario *sc;
    const char *slash;
    char *dir = NULL, *text;
    size_t len;
    int rc = tc_rfile_read(path, TC_LIMIT_SCENARIO_BYTES, &text, &len);

    if (rc == -EFBIG) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "",
                     "the file is larger than 16 MiB (%u bytes), the most a scenario may have "
                     "(TC_LIMIT_SCENARIO_BYTES in tcsim/limits.h)",
                     TC_LIMIT_SCENARIO_BYTES);
        return NULL;
    }
    if (rc < 0) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "cannot read the scenario: %s", strerror(-rc));
        return NULL;
    }
    slash = strrchr(path, '/');
    if (slash != NULL)
        dir = tc_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
    sc = tc_scenario_load_string(text, len, path, dir, ovr, n_ovr, diags);
    free(dir);
    free(text);
    return sc;
}
