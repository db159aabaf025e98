/*
** fuzz_roundtrip: the checks fuzz_scenario and fuzz_override run on a
** scenario that loaded: emit it into memory, load the text back (it must
** load without errors, to an equal scenario: the fields compared below),
** and emit that one again (the same bytes: emit is a fixed point). A failed
** check prints what differs and the emitted text, then aborts, which
** libFuzzer reports as a crash.
*/
#ifndef TCSIM_FUZZ_ROUNDTRIP_H
#define TCSIM_FUZZ_ROUNDTRIP_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "tcsim/diag.h"
#include "tcsim/scenario.h"

/* Text of the scenario being checked, for the report when a check fails. */
static const char *cur_text1;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: round trip: %s\n", what);
    if (detail != NULL)
        fprintf(stderr, "%s\n", detail);
    if (cur_text1 != NULL)
        fprintf(stderr, "---- emitted text ----\n%s\n----\n", cur_text1);
    abort();
}

/* Equal doubles, NaN equal to NaN (none should appear, but a NaN must not hide a loss). */
static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

#define CHECK(cond, what)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            char buf_[256];                                                                        \
            snprintf(buf_, sizeof(buf_), "%s (%s:%d)", what, __FILE__, __LINE__);                  \
            fail("reloaded scenario differs", buf_);                                               \
        }                                                                                          \
    } while (0)

static void check_dist(const struct tc_dist *a, const struct tc_dist *b, const char *what)
{
    CHECK(a->kind == b->kind, what);
    for (int k = 0; k < 3; k++)
        CHECK(same(a->p[k], b->p[k]), what);
    CHECK(a->n_values == b->n_values, what);
    for (uint32_t k = 0; k < a->n_values; k++) {
        CHECK(same(a->values[k], b->values[k]), what);
        CHECK(same(a->weights[k], b->weights[k]), what);
    }
}

static void check_windows(const struct tc_window *a, uint32_t na, const struct tc_window *b,
                          uint32_t nb, const char *what)
{
    CHECK(na == nb, what);
    for (uint32_t k = 0; k < na; k++) {
        CHECK(same(a[k].open_min, b[k].open_min), what);
        CHECK(same(a[k].close_min, b[k].close_min), what);
    }
}

static void check_route(const struct tc_route *a, const struct tc_route *b, uint32_t n_classes,
                        const char *what)
{
    CHECK(a->kind == b->kind, what);
    switch (a->kind) {
    case TC_ROUTE_FIXED:
        CHECK(a->to == b->to, what);
        break;
    case TC_ROUTE_PROB:
        CHECK(a->n == b->n, what);
        for (uint32_t k = 0; k < a->n; k++) {
            CHECK(a->targets[k] == b->targets[k], what);
            CHECK(same(a->p[k], b->p[k]), what);
        }
        break;
    case TC_ROUTE_CLASS:
        for (uint32_t c = 0; c < n_classes; c++)
            check_route(&a->by_class[c], &b->by_class[c], n_classes, what);
        break;
    case TC_ROUTE_CHOOSE:
        CHECK(a->n == b->n && a->rule == b->rule, what);
        for (uint32_t k = 0; k < a->n; k++)
            CHECK(a->targets[k] == b->targets[k], what);
        CHECK((a->allowed == NULL) == (b->allowed == NULL), what);
        for (uint32_t k = 0; a->allowed && b->allowed && k < a->n * n_classes; k++)
            CHECK(a->allowed[k] == b->allowed[k], what);
        CHECK(a->divert_above == b->divert_above, what);
        CHECK(same(a->divert_above_wait, b->divert_above_wait), what);
        break;
    }
}

static int same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void check_equal(const struct tc_scenario *a, const struct tc_scenario *b)
{
    CHECK(same_str(a->name, b->name), "name");
    CHECK(a->time_unit == b->time_unit, "time_unit");
    CHECK(same(a->horizon, b->horizon), "horizon");
    CHECK(same(a->warmup, b->warmup), "warmup");
    CHECK(same(a->sample_every, b->sample_every), "sample_every");
    CHECK(same(a->truck_length_m, b->truck_length_m), "truck_length");
    CHECK(a->replications == b->replications, "replications");
    CHECK(a->seed == b->seed, "seed");
    CHECK(a->n_classes == b->n_classes, "number of classes");
    CHECK(a->n_sources == b->n_sources, "number of arrival streams");
    CHECK(a->n_stations == b->n_stations, "number of stations");
    CHECK(a->n_sched == b->n_sched, "number of events");
    for (uint32_t i = 0; i < a->n_classes; i++) {
        const struct tc_class *x = &a->classes[i], *y = &b->classes[i];

        CHECK(same_str(x->name, y->name), "class name");
        CHECK(x->priority == y->priority, "class priority");
        CHECK(x->has_patience == y->has_patience, "class patience");
        if (x->has_patience)
            check_dist(&x->patience, &y->patience, "class patience");
        CHECK(same(x->shelf_life, y->shelf_life), "class shelf_life");
        CHECK(same(x->value, y->value), "class value");
    }
    for (uint32_t i = 0; i < a->n_stations; i++) {
        const struct tc_station *x = &a->stations[i], *y = &b->stations[i];

        CHECK(same_str(x->name, y->name), "station name");
        CHECK(x->servers == y->servers, "station servers");
        CHECK(x->capacity == y->capacity, "station capacity");
        CHECK(x->priority == y->priority, "station discipline");
        CHECK(x->reject_when_full == y->reject_when_full, "station when_full");
        for (uint32_t c = 0; c < a->n_classes; c++)
            check_dist(&x->service[c], &y->service[c], "station service");
        check_route(&x->next, &y->next, a->n_classes, "station next");
        check_windows(x->open, x->n_open, y->open, y->n_open, "station open");
        CHECK(x->daily_limit == y->daily_limit, "station daily_limit");
        CHECK(x->failures.on == y->failures.on, "station failures");
        if (x->failures.on) {
            check_dist(&x->failures.up, &y->failures.up, "station failures.mtbf");
            check_dist(&x->failures.down, &y->failures.down, "station failures.mttr");
        }
    }
    for (uint32_t i = 0; i < a->n_sources; i++) {
        const struct tc_source *x = &a->sources[i], *y = &b->sources[i];

        CHECK(same_str(x->name, y->name), "arrivals name");
        CHECK(x->class_id == y->class_id, "arrivals class");
        CHECK(x->to == y->to, "arrivals to");
        CHECK(x->kind == y->kind, "arrivals kind");
        if (x->kind == TC_SRC_RATE)
            CHECK(same(x->rate_per_t, y->rate_per_t), "arrivals rate");
        if (x->kind == TC_SRC_INTERARRIVAL)
            check_dist(&x->interarrival, &y->interarrival, "arrivals interarrival");
        if (x->kind == TC_SRC_TRACE) {
            CHECK(same_str(x->trace_path, y->trace_path), "arrivals trace");
            CHECK(x->n_trace == y->n_trace, "arrivals trace rows");
            for (size_t k = 0; k < x->n_trace; k++) {
                CHECK(same(x->trace_t[k], y->trace_t[k]), "arrivals trace times");
                CHECK((x->trace_class == NULL) == (y->trace_class == NULL), "trace classes");
                if (x->trace_class != NULL)
                    CHECK(x->trace_class[k] == y->trace_class[k], "arrivals trace classes");
            }
        }
        CHECK(x->has_hourly == y->has_hourly, "arrivals hourly");
        for (int h = 0; h < 24 && x->has_hourly; h++)
            CHECK(same(x->hourly[h], y->hourly[h]), "arrivals hourly");
        CHECK(x->n_daily == y->n_daily, "arrivals daily");
        for (uint32_t k = 0; k < x->n_daily; k++)
            CHECK(same(x->daily[k], y->daily[k]), "arrivals daily");
        CHECK(same(x->t_start, y->t_start), "arrivals start");
        CHECK(same(x->t_end, y->t_end), "arrivals end");
        CHECK(x->batch == y->batch, "arrivals batch");
        CHECK(x->booking.on == y->booking.on, "arrivals booking");
        if (x->booking.on) {
            CHECK(same(x->booking.slot, y->booking.slot), "booking slot");
            CHECK(x->booking.per_slot == y->booking.per_slot, "booking per_slot");
            CHECK(x->booking.has_punctuality == y->booking.has_punctuality, "booking punct.");
            if (x->booking.has_punctuality)
                check_dist(&x->booking.punctuality, &y->booking.punctuality, "booking punct.");
        }
    }
    for (uint32_t i = 0; i < a->n_sched; i++) {
        const struct tc_sched *x = &a->sched[i], *y = &b->sched[i];

        CHECK(same(x->t, y->t), "event time");
        CHECK(x->kind == y->kind, "event kind");
        switch (x->kind) {
        case TC_SCHED_CLOSE:
        case TC_SCHED_REOPEN:
            CHECK(x->station == y->station, "event station");
            break;
        case TC_SCHED_SERVERS:
        case TC_SCHED_DAILY_LIMIT:
            CHECK(x->station == y->station, "event station");
            CHECK(x->value == y->value, "event value");
            break;
        case TC_SCHED_OPEN:
            CHECK(x->station == y->station, "event station");
            check_windows(x->open, x->n_open, y->open, y->n_open, "event open");
            break;
        case TC_SCHED_NEXT:
            CHECK(x->station == y->station, "event station");
            check_route(&x->next, &y->next, a->n_classes, "event next");
            break;
        case TC_SCHED_RATE_FACTOR:
            CHECK(x->n_sources == y->n_sources, "event arrivals");
            for (uint32_t k = 0; k < x->n_sources; k++)
                CHECK(x->sources[k] == y->sources[k], "event arrivals");
            CHECK(same(x->factor, y->factor), "event rate_factor");
            break;
        case TC_SCHED_POOL_QUOTA:
            CHECK(x->pool == y->pool && x->value == y->value, "pool event per_slot");
            break;
        case TC_SCHED_POOL_SLOT:
            CHECK(x->pool == y->pool && same(x->slot, y->slot), "pool event slot");
            break;
        }
    }
}

/* The emitted text of sc, NUL-terminated, in *out (free()); aborts when emit fails. */
static size_t emit(const struct tc_scenario *sc, char **out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc;

    if (f == NULL)
        abort();
    rc = tc_scenario_emit(sc, f);
    if (fclose(f) != 0)
        abort();
    if (rc != 0) {
        char msg[64];

        snprintf(msg, sizeof(msg), "tc_scenario_emit returned %d", rc);
        fail(msg, buf);
    }
    *out = buf;
    return len;
}

static void round_trip(const struct tc_scenario *sc)
{
    struct tc_diags d;
    struct tc_scenario *sc2;
    char *t1, *t2;
    size_t n1, n2;

    n1 = emit(sc, &t1);
    cur_text1 = t1;
    tc_diags_init(&d);
    sc2 = tc_scenario_load_string(t1, n1, "emitted.yaml", fuzz_dir, NULL, 0, &d);
    fuzz_check_diags(&d);
    if (sc2 == NULL || d.n_err > 0) {
        char *dt = NULL;
        size_t dn = 0;
        FILE *f = open_memstream(&dt, &dn);

        if (f != NULL) {
            tc_diags_print(&d, f);
            fclose(f);
        }
        fail("the emitted scenario does not load", dt);
    }
    check_equal(sc, sc2);
    n2 = emit(sc2, &t2);
    if (n1 != n2 || memcmp(t1, t2, n1) != 0)
        fail("emitting the reloaded scenario gives other bytes", t2);
    free(t2);
    tc_scenario_free(sc2);
    tc_diags_fini(&d);
    cur_text1 = NULL;
    free(t1);
}

#endif
