/*
** scenario_emit: the resolved scenario as YAML, through libyaml's emitter
** (it quotes names that need it, so any station name survives the trip).
** Everything is explicit: defaults, durations as bare numbers in time_unit
** and rates as numbers per time_unit ("0.1/min", a rate needs its unit)
** (the shortest text that reads back to the same double, from
** tc_jsonw_format_number), windows as "HH:MM-HH:MM", trace paths absolute,
** one events item per tc_sched entry. tc_scenario_load reads the output
** back to an equal scenario; test_scenario.c checks that round trip.
** A constant distribution is written as a bare number, except in failures
** where a bare duration means an exponential.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "base/isodate.h"
#include "base/jsonw.h"
#include "model/scenario_int.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

struct em {
    yaml_emitter_t e;
    bool ok;
    const struct tc_scenario *sc;
};

static void emit_event(struct em *m, yaml_event_t *ev, int init_ok)
{
    if (!init_ok) {
        m->ok = false;
        return;
    }
    /* libyaml frees the event whether or not emitting succeeds. */
    if (m->ok && !yaml_emitter_emit(&m->e, ev))
        m->ok = false;
    else if (!m->ok)
        yaml_event_delete(ev);
}

static void scalar_style(struct em *m, const char *s, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    int r = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)(uintptr_t)s,
                                         (int)strlen(s), 1, 1, style);

    emit_event(m, &ev, r);
}

static bool word_in(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    return false;
}

/*
** Whether a YAML reader could take the plain text s for something other
** than a string. libyaml's emitter writes "null", "~", "true" or "1e3"
** plain, and tcsim itself then reads a station named null as no name; other
** readers (YAML 1.1 like PyYAML, 1.2 core) also resolve yes/no/on/off,
** 0x1F, 0o17, 1_000, 1:20 (base 60) and .inf, and give "<<" (merge) and
** "=" (value) a meaning of their own. Quoting costs nothing, so the test is
** generous: any text that starts like a number and holds only number
** characters is quoted.
*/
static bool needs_quotes(const char *s)
{
    static const char *const words[] = {
        "",  "~", "null", "true", "false", "yes",   "no",    "on",   "off",
        "y", "n", "<<",   "=",    ".inf",  "+.inf", "-.inf", ".nan",
    };
    const char *p = s;

    if (word_in(s, words, sizeof(words) / sizeof(words[0])))
        return true;
    if (*p == '+' || *p == '-')
        p++;
    if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')))
        return false;
    for (; *p != '\0'; p++)
        if (!strchr("0123456789abcdefABCDEF_.:xXoO+-", *p))
            return false;
    return true;
}

/* A name or other text: libyaml picks plain or quoted, and quotes whatever reads back otherwise. */
static void str(struct em *m, const char *s)
{
    scalar_style(m, s, needs_quotes(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
}

static void num(struct em *m, double x)
{
    char buf[TC_JSONW_NUMBER_LEN];

    scalar_style(m, tc_jsonw_format_number(x, buf, sizeof(buf)), YAML_PLAIN_SCALAR_STYLE);
}

/* A rate per time_unit with that unit spelt out, which is exact on reading back. */
static void rate(struct em *m, double per_t)
{
    char buf[TC_JSONW_NUMBER_LEN + 8];
    size_t n;

    tc_jsonw_format_number(per_t, buf, TC_JSONW_NUMBER_LEN);
    n = strlen(buf);
    snprintf(buf + n, sizeof(buf) - n, "/%s", tc_units_name(m->sc->time_unit));
    scalar_style(m, buf, YAML_PLAIN_SCALAR_STYLE);
}

static void u64(struct em *m, uint64_t x)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%" PRIu64, x);
    scalar_style(m, buf, YAML_PLAIN_SCALAR_STYLE);
}

static void i64(struct em *m, int64_t x)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%" PRId64, x);
    scalar_style(m, buf, YAML_PLAIN_SCALAR_STYLE);
}

static void count(struct em *m, uint32_t x)
{
    if (x == TC_UNLIMITED)
        scalar_style(m, "unlimited", YAML_PLAIN_SCALAR_STYLE);
    else
        u64(m, x);
}

static void map_start(struct em *m, bool flow)
{
    yaml_event_t ev;
    int r = yaml_mapping_start_event_initialize(
        &ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);

    emit_event(m, &ev, r);
}

static void map_end(struct em *m)
{
    yaml_event_t ev;
    int r = yaml_mapping_end_event_initialize(&ev);

    emit_event(m, &ev, r);
}

static void seq_start(struct em *m, bool flow)
{
    yaml_event_t ev;
    int r = yaml_sequence_start_event_initialize(
        &ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);

    emit_event(m, &ev, r);
}

static void seq_end(struct em *m)
{
    yaml_event_t ev;
    int r = yaml_sequence_end_event_initialize(&ev);

    emit_event(m, &ev, r);
}

static void key(struct em *m, const char *k)
{
    str(m, k);
}

static void dist(struct em *m, const struct tc_dist *d, bool bare_ok)
{
    const struct tc_dist_spec *spec;

    if (d->kind == TC_DIST_CONSTANT && bare_ok) {
        num(m, d->p[0]);
        return;
    }
    if ((unsigned)d->kind >= TC_DIST__COUNT) {
        m->ok = false;
        return;
    }
    spec = &tc_dist_specs[d->kind];
    map_start(m, true);
    key(m, "dist");
    str(m, spec->name);
    if (d->kind == TC_DIST_EMPIRICAL) {
        key(m, "values");
        seq_start(m, true);
        for (uint32_t i = 0; i < d->n_values; i++)
            num(m, d->values[i]);
        seq_end(m);
        key(m, "weights");
        seq_start(m, true);
        for (uint32_t i = 0; i < d->n_values; i++)
            num(m, d->weights[i]);
        seq_end(m);
    } else {
        for (uint32_t i = 0; i < spec->n_params; i++) {
            key(m, spec->param[i]);
            num(m, d->p[i]);
        }
    }
    map_end(m);
}

static bool dist_equal(const struct tc_dist *a, const struct tc_dist *b)
{
    if (a->kind != b->kind || memcmp(a->p, b->p, sizeof(a->p)) != 0 || a->n_values != b->n_values)
        return false;
    for (uint32_t i = 0; i < a->n_values; i++)
        if (a->values[i] != b->values[i] || a->weights[i] != b->weights[i])
            return false;
    return true;
}

static const char *target_name(const struct tc_scenario *sc, uint32_t t)
{
    return t < sc->n_stations ? sc->stations[t].name : "exit";
}

/* {choose, among, classes (those not given all of among), divert_above, divert_above_wait}. */
static void choice(struct em *m, const struct tc_route *r)
{
    const struct tc_scenario *sc = m->sc;
    bool any_class = false;

    map_start(m, false);
    key(m, "choose");
    str(m, tc_choose_rule_names[r->rule]);
    key(m, "among");
    seq_start(m, true);
    for (uint32_t k = 0; k < r->n; k++)
        str(m, target_name(sc, r->targets[k]));
    seq_end(m);
    for (uint32_t c = 0; c < sc->n_classes && r->allowed != NULL; c++) {
        bool all = true;

        for (uint32_t k = 0; k < r->n; k++)
            all &= tc_scenario_choice_allows(r, c, k);
        if (all)
            continue;
        if (!any_class) {
            key(m, "classes");
            map_start(m, false);
            any_class = true;
        }
        key(m, sc->classes[c].name);
        seq_start(m, true);
        for (uint32_t k = 0; k < r->n; k++)
            if (tc_scenario_choice_allows(r, c, k))
                str(m, target_name(sc, r->targets[k]));
        seq_end(m);
    }
    if (any_class)
        map_end(m);
    if (r->divert_above != TC_UNLIMITED) {
        key(m, "divert_above");
        count(m, r->divert_above);
    }
    if (isfinite(r->divert_above_wait)) {
        key(m, "divert_above_wait");
        num(m, r->divert_above_wait);
    }
    map_end(m);
}

static void route_1(struct em *m, const struct tc_route *r)
{
    const struct tc_scenario *sc = m->sc;

    if (r->kind == TC_ROUTE_CHOOSE) {
        choice(m, r);
    } else if (r->kind == TC_ROUTE_PROB) {
        seq_start(m, false);
        for (uint32_t k = 0; k < r->n; k++) {
            map_start(m, true);
            key(m, "to");
            str(m, target_name(sc, r->targets[k]));
            key(m, "p");
            num(m, r->p[k]);
            map_end(m);
        }
        seq_end(m);
    } else {
        str(m, target_name(sc, r->to));
    }
}

static void route(struct em *m, const struct tc_route *r)
{
    const struct tc_scenario *sc = m->sc;

    if (r->kind != TC_ROUTE_CLASS || r->by_class == NULL) {
        route_1(m, r);
        return;
    }
    map_start(m, false);
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        key(m, sc->classes[c].name);
        route_1(m, &r->by_class[c]);
    }
    map_end(m);
}

static void window_text(const struct tc_window *w, char *buf, size_t len)
{
    int o = (int)lround(w->open_min), c = (int)lround(w->close_min);

    snprintf(buf, len, "%02d:%02d-%02d:%02d", o / 60, o % 60, c / 60, c % 60);
}

static void windows(struct em *m, const struct tc_window *w, uint32_t n)
{
    char buf[32];

    seq_start(m, true);
    for (uint32_t i = 0; i < n; i++) {
        window_text(&w[i], buf, sizeof(buf));
        str(m, buf);
    }
    seq_end(m);
}

static void numbers(struct em *m, const double *v, uint32_t n)
{
    seq_start(m, true);
    for (uint32_t i = 0; i < n; i++)
        num(m, v[i]);
    seq_end(m);
}

static void emit_classes(struct em *m)
{
    const struct tc_scenario *sc = m->sc;

    key(m, "classes");
    map_start(m, false);
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        const struct tc_class *cl = &sc->classes[c];

        key(m, cl->name);
        map_start(m, true);
        key(m, "priority");
        i64(m, cl->priority);
        if (cl->has_patience) {
            key(m, "patience");
            dist(m, &cl->patience, true);
        }
        if (isfinite(cl->shelf_life)) {
            key(m, "shelf_life");
            num(m, cl->shelf_life);
        }
        key(m, "value");
        num(m, cl->value);
        map_end(m);
    }
    map_end(m);
}

/* A booking mapping, inline in a stream or a pool of bookings:. */
static void booking(struct em *m, const struct tc_booking *b)
{
    map_start(m, true);
    key(m, "slot");
    num(m, b->slot);
    key(m, "per_slot");
    u64(m, b->per_slot);
    if (b->has_punctuality) {
        key(m, "punctuality");
        dist(m, &b->punctuality, true);
    }
    if (b->n_open > 0) {
        key(m, "open");
        windows(m, b->open, b->n_open);
    }
    map_end(m);
}

static void emit_pools(struct em *m)
{
    const struct tc_scenario *sc = m->sc;

    if (sc->n_pools == 0)
        return;
    key(m, "bookings");
    map_start(m, false);
    for (uint32_t i = 0; i < sc->n_pools; i++) {
        key(m, sc->pools[i].name);
        booking(m, &sc->pools[i].b);
    }
    map_end(m);
}

static void emit_sources(struct em *m)
{
    const struct tc_scenario *sc = m->sc;

    key(m, "arrivals");
    seq_start(m, false);
    for (uint32_t i = 0; i < sc->n_sources; i++) {
        const struct tc_source *so = &sc->sources[i];

        map_start(m, false);
        key(m, "name");
        str(m, so->name);
        if (so->class_id < sc->n_classes) {
            key(m, "class");
            str(m, sc->classes[so->class_id].name);
        }
        key(m, "to");
        if (so->choose != NULL)
            choice(m, so->choose);
        else
            str(m, target_name(sc, so->to));
        switch (so->kind) {
        case TC_SRC_RATE:
            key(m, "rate");
            rate(m, so->rate_per_t);
            break;
        case TC_SRC_INTERARRIVAL:
            key(m, "interarrival");
            dist(m, &so->interarrival, true);
            break;
        case TC_SRC_TRACE:
            key(m, "trace");
            str(m, so->trace_path ? so->trace_path : "");
            break;
        }
        if (so->has_hourly) {
            key(m, "hourly");
            numbers(m, so->hourly, 24);
        }
        if (so->n_daily) {
            key(m, "daily");
            numbers(m, so->daily, so->n_daily);
        }
        key(m, "start");
        num(m, so->t_start);
        if (isfinite(so->t_end)) {
            key(m, "end");
            num(m, so->t_end);
        }
        if (so->kind != TC_SRC_TRACE) {
            key(m, "batch");
            u64(m, so->batch);
        }
        if (so->booking.on) {
            key(m, "booking");
            if (so->pool != TC_NONE)
                str(m, sc->pools[so->pool].name);
            else
                booking(m, &so->booking);
        }
        map_end(m);
    }
    seq_end(m);
}

static void emit_stations(struct em *m)
{
    const struct tc_scenario *sc = m->sc;

    key(m, "stations");
    map_start(m, false);
    for (uint32_t s = 0; s < sc->n_stations; s++) {
        const struct tc_station *st = &sc->stations[s];
        bool same = true;

        key(m, st->name);
        map_start(m, false);
        key(m, "servers");
        count(m, st->servers);
        key(m, "capacity");
        count(m, st->capacity);
        key(m, "discipline");
        str(m, st->priority ? "priority" : "fifo");
        if (st->release_priority) { /* only when set: files written before it stay the same */
            key(m, "release");
            str(m, "priority");
        }
        key(m, "when_full");
        str(m, st->reject_when_full ? "reject" : "wait");
        key(m, "service");
        for (uint32_t c = 1; c < sc->n_classes; c++)
            same &= dist_equal(&st->service[0], &st->service[c]);
        if (same) {
            dist(m, &st->service[0], true);
        } else {
            map_start(m, false);
            for (uint32_t c = 0; c < sc->n_classes; c++) {
                key(m, sc->classes[c].name);
                dist(m, &st->service[c], true);
            }
            map_end(m);
        }
        key(m, "next");
        route(m, &st->next);
        if (st->n_open > 0) {
            key(m, "open");
            windows(m, st->open, st->n_open);
        }
        key(m, "daily_limit");
        if (st->class_limit) {
            map_start(m, true);
            key(m, "total");
            count(m, st->daily_limit);
            for (uint32_t c = 0; c < sc->n_classes; c++) {
                key(m, sc->classes[c].name);
                count(m, st->class_limit[c]);
            }
            map_end(m);
        } else {
            count(m, st->daily_limit);
        }
        if (st->failures.on) {
            key(m, "failures");
            map_start(m, true);
            key(m, "mtbf");
            dist(m, &st->failures.up, false);
            key(m, "mttr");
            dist(m, &st->failures.down, false);
            map_end(m);
        }
        map_end(m);
    }
    map_end(m);
}

static void emit_events(struct em *m)
{
    const struct tc_scenario *sc = m->sc;

    if (sc->n_sched == 0)
        return;
    key(m, "events");
    seq_start(m, false);
    for (uint32_t k = 0; k < sc->n_sched; k++) {
        const struct tc_sched *x = &sc->sched[k];

        map_start(m, true);
        if (x->kind == TC_SCHED_POOL_QUOTA || x->kind == TC_SCHED_POOL_SLOT) {
            key(m, "pool");
            str(m, sc->pools[x->pool].name);
        } else if (x->kind == TC_SCHED_RATE_FACTOR) {
            key(m, "arrivals");
            seq_start(m, true);
            for (uint32_t j = 0; j < x->n_sources; j++)
                str(m, sc->sources[x->sources[j]].name);
            seq_end(m);
        } else {
            key(m, "station");
            str(m, target_name(sc, x->station));
        }
        switch (x->kind) {
        case TC_SCHED_CLOSE:
            key(m, "close");
            num(m, x->t);
            break;
        case TC_SCHED_REOPEN:
            key(m, "reopen");
            num(m, x->t);
            break;
        case TC_SCHED_SERVERS:
            key(m, "at");
            num(m, x->t);
            key(m, "servers");
            count(m, x->value);
            break;
        case TC_SCHED_DAILY_LIMIT:
            key(m, "at");
            num(m, x->t);
            key(m, "daily_limit");
            if (x->cls != TC_NONE) {
                map_start(m, true);
                key(m, sc->classes[x->cls].name);
                count(m, x->value);
                map_end(m);
            } else {
                count(m, x->value);
            }
            break;
        case TC_SCHED_OPEN:
            key(m, "at");
            num(m, x->t);
            key(m, "open");
            windows(m, x->open, x->n_open);
            break;
        case TC_SCHED_NEXT:
            key(m, "at");
            num(m, x->t);
            key(m, "next");
            route(m, &x->next);
            break;
        case TC_SCHED_RATE_FACTOR:
            key(m, "at");
            num(m, x->t);
            key(m, "rate_factor");
            num(m, x->factor);
            break;
        case TC_SCHED_POOL_QUOTA:
            key(m, "at");
            num(m, x->t);
            key(m, "per_slot");
            count(m, x->value);
            break;
        case TC_SCHED_POOL_SLOT:
            key(m, "at");
            num(m, x->t);
            key(m, "slot");
            num(m, x->slot);
            break;
        }
        map_end(m);
    }
    seq_end(m);
}

/* A price by class or station, every name explicit (no default left to resolve). */
static void prices(struct em *m, const char *k, const double *v, bool by_station)
{
    const struct tc_scenario *sc = m->sc;
    uint32_t n = by_station ? sc->n_stations : sc->n_classes;
    key(m, k);
    map_start(m, true);
    for (uint32_t i = 0; i < n; i++) {
        if (by_station && sc->stations[i].servers == TC_UNLIMITED)
            continue;
        key(m, by_station ? sc->stations[i].name : sc->classes[i].name);
        num(m, v[i]);
    }
    map_end(m);
}

static void emit_costs(struct em *m)
{
    const struct tc_costs *c = &m->sc->costs;
    if (!c->on)
        return;
    key(m, "costs");
    map_start(m, false);
    if (c->currency[0]) {
        key(m, "currency");
        str(m, c->currency);
    }
    prices(m, "truck_hour", c->truck_hour, false);
    prices(m, "server_hour", c->server_hour, true);
    prices(m, "spoiled", c->spoiled, false);
    prices(m, "abandoned", c->abandoned, false);
    if (c->has_fuel) {
        key(m, "idle_fuel_l_per_h");
        num(m, c->idle_fuel_l_per_h);
        key(m, "co2_kg_per_l");
        num(m, c->co2_kg_per_l);
    }
    map_end(m);
}

static void emit_initial(struct em *m)
{
    const struct tc_scenario *sc = m->sc;

    if (sc->n_initial == 0)
        return;
    key(m, "initial");
    seq_start(m, false);
    for (uint32_t k = 0; k < sc->n_initial; k++) {
        const struct tc_initial *in = &sc->initial[k];

        map_start(m, true);
        key(m, in->road ? "road" : "station");
        str(m, sc->stations[in->station].name);
        key(m, "class");
        str(m, sc->classes[in->cls].name);
        key(m, "trucks");
        count(m, in->trucks);
        key(m, "age");
        num(m, in->age);
        map_end(m);
    }
    seq_end(m);
}

/* `after` as the time it resolved to: an event's name need not survive the trip. */
static void emit_clearance(struct em *m)
{
    const struct tc_scenario *sc = m->sc;

    if (sc->n_clearance == 0)
        return;
    key(m, "clearance");
    seq_start(m, false);
    for (uint32_t k = 0; k < sc->n_clearance; k++) {
        const struct tc_clearance *c = &sc->clearance[k];

        map_start(m, true);
        key(m, "name");
        str(m, c->name);
        key(m, "after");
        num(m, c->after_t);
        key(m, "below");
        if (c->fraction) {
            char n[TC_JSONW_NUMBER_LEN], buf[TC_JSONW_NUMBER_LEN + 4];

            snprintf(buf, sizeof(buf), "%s %%", tc_jsonw_format_number(c->below, n, sizeof(n)));
            str(m, buf);
        } else {
            count(m, (uint32_t)c->below);
        }
        map_end(m);
    }
    seq_end(m);
}

int tc_scenario_emit(const struct tc_scenario *sc, FILE *f)
{
    struct em m;
    yaml_event_t ev;

    memset(&m, 0, sizeof(m));
    m.ok = true;
    m.sc = sc;
    if (!yaml_emitter_initialize(&m.e))
        return -ENOMEM;
    yaml_emitter_set_output_file(&m.e, f);
    yaml_emitter_set_unicode(&m.e, 1);
    yaml_emitter_set_width(&m.e, 100);
    emit_event(&m, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    emit_event(&m, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
    map_start(&m, false);
    key(&m, "name");
    str(&m, sc->name ? sc->name : "");
    key(&m, "time_unit");
    str(&m, tc_units_name(sc->time_unit));
    if (sc->has_start_date) {
        char date[40];
        tc_isodate_format(sc->start_utc_s, sc->start_offset_min, date, sizeof(date));
        key(&m, "start_date");
        str(&m, date);
    }
    key(&m, "horizon");
    num(&m, sc->horizon);
    key(&m, "warmup");
    num(&m, sc->warmup);
    key(&m, "replications");
    u64(&m, sc->replications);
    key(&m, "seed");
    u64(&m, sc->seed);
    key(&m, "sample_every");
    num(&m, sc->sample_every);
    key(&m, "truck_length");
    num(&m, sc->truck_length_m);
    emit_classes(&m);
    emit_pools(&m);
    emit_sources(&m);
    emit_stations(&m);
    emit_events(&m);
    emit_costs(&m);
    emit_initial(&m);
    emit_clearance(&m);
    map_end(&m);
    emit_event(&m, &ev, yaml_document_end_event_initialize(&ev, 1));
    emit_event(&m, &ev, yaml_stream_end_event_initialize(&ev));
    if (m.ok && !yaml_emitter_flush(&m.e))
        m.ok = false;
    yaml_emitter_delete(&m.e);
    if (ferror(f))
        return errno ? -errno : -EIO;
    return m.ok ? 0 : -EIO;
}
