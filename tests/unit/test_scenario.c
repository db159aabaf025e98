/*
** test_scenario: the loader end to end. A full scenario (scenarios/README.md's
** example, with its trace) loads to the exact expected structs; defaults
** and time units; trace rules; overrides through the loader; the emit ->
** load round trip; the limits; and prefixes and mutations of a valid file
** never crash the loader. Bad scenarios that fit in a file are checked by
** the catalogue in tests/cli (NAME.yaml + NAME.expect), not here.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xmem.h"
#include "tc_check.h"
#include "tcsim/scenario.h"

/* ==== Helpers ==== */

static char tmpdir[64];

/* A temporary directory with data/general-arrivals.csv for the design scenario. */
static void make_tmpdir(void)
{
    char path[128];
    FILE *f;

    if (tmpdir[0] != '\0')
        return;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/tc_scenario_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(path, sizeof(path), "%s/data", tmpdir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/data/general-arrivals.csv", tmpdir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("time\n0\n30\n61.5\n120\n", f);
    fclose(f);
}

static void remove_tmpdir(void)
{
    char path[128];

    if (tmpdir[0] == '\0')
        return;
    snprintf(path, sizeof(path), "%s/data/general-arrivals.csv", tmpdir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/s.yaml", tmpdir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/data", tmpdir);
    rmdir(path);
    rmdir(tmpdir);
    tmpdir[0] = '\0';
}

/* Every diagnostic, sorted and formatted, one a line. */
static char *diag_text(struct tc_diags *d)
{
    TC_VEC(char) s = {0};

    tc_diags_sort(d);
    for (size_t i = 0; i < d->n; i++) {
        int n = tc_diag_format(&d->v[i], NULL, 0);

        TC_VEC_GROW(s, s.n + (size_t)n + 2);
        tc_diag_format(&d->v[i], s.v + s.n, (size_t)n + 1);
        s.n += (size_t)n;
        s.v[s.n++] = '\n';
    }
    TC_VEC_GROW(s, s.n + 1);
    s.v[s.n] = '\0';
    return s.v;
}

static struct tc_scenario *load(const char *text, struct tc_diags *d)
{
    return tc_scenario_load_string(text, strlen(text), "t.yaml", tmpdir, NULL, 0, d);
}

static const char design[] =
    "name: Huu Nghi export, harvest peak      # required\n"
    "time_unit: min                           # min (default) | s | h | d\n"
    "horizon: 30 d                            # required: simulated length\n"
    "warmup: 2 d                              # statistics ignore what ends before this\n"
    "replications: 10                         # default 1\n"
    "seed: 20211201                           # default 1\n"
    "sample_every: 1 h                        # time-series interval; default horizon/500\n"
    "truck_length: 25 m                       # road space a queued truck takes, gaps included\n"
    "\n"
    "classes:                                 # optional; default one class \"truck\"\n"
    "  fruit:   {priority: 1, patience: 7 d, shelf_life: 5 d, value: 25000}\n"
    "  general: {priority: 2}\n"
    "\n"
    "arrivals:                                # one or more streams\n"
    "  - name: fruit_north                    # optional; events may name a stream\n"
    "    class: fruit\n"
    "    to: yard_outer                       # entry station\n"
    "    rate: 25/h                           # Poisson; or interarrival: <distribution>\n"
    "    hourly: [0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 1.0, 1.4, 1.6, 1.6, 1.5, 1.4,\n"
    "             1.3, 1.3, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3]\n"
    "    daily: [1.0, 1.0, 1.2, 1.5, 1.5, 1.2, 1.0]   # multipliers by day, cycling\n"
    "    start: 0 d                           # optional window\n"
    "    end: 30 d\n"
    "    batch: 1                             # trucks per arrival (convoys); default 1\n"
    "    booking: {slot: 1 h, per_slot: 40, punctuality: {dist: normal, mean: 0, sd: 15 min}}\n"
    "  - class: general\n"
    "    to: yard_outer\n"
    "    trace: data/general-arrivals.csv     # replayed arrivals, see below\n"
    "\n"
    "stations:\n"
    "  yard_outer:\n"
    "    servers: unlimited\n"
    "    capacity: 800\n"
    "    service: 0\n"
    "    next: customs\n"
    "  customs:\n"
    "    servers: 6\n"
    "    capacity: 26                         # 6 in service + 20 waiting\n"
    "    discipline: priority                 # fifo (default) | priority\n"
    "    service:                             # one distribution, or one per class\n"
    "      fruit:   {dist: lognormal, mean: 20 min, sd: 8 min}\n"
    "      general: {dist: exponential, mean: 30 min}\n"
    "    open: [\"07:00-11:30\", \"13:00-19:00\"] # service starts only inside; default always\n"
    "    failures: {mtbf: 200 h, mttr: {dist: exponential, mean: 2 h}}   # per server\n"
    "    next:                                # routing: a name, exit, a list with p,\n"
    "      - {to: inspection, p: 0.15}        #   or a map class -> next\n"
    "      - {to: gate, p: 0.85}\n"
    "  inspection:\n"
    "    servers: 2\n"
    "    service: {dist: triangular, min: 30 min, mode: 1 h, max: 3 h}\n"
    "    next: gate\n"
    "  gate:\n"
    "    servers: 4\n"
    "    service: 3 min                       # a bare duration is a constant\n"
    "    daily_limit: 900                     # service starts per day, reset at 00:00\n"
    "    open: [\"08:00-18:00\"]\n"
    "    when_full: wait                      # wait (default, on the road) | reject\n"
    "    next: exit\n"
    "\n"
    "events:                                  # scheduled changes, optional\n"
    "  - {station: gate, close: 10 d, reopen: 14 d}\n"
    "  - {station: customs, at: 15 d, servers: 8}\n"
    "  - {station: gate, at: 18 d, daily_limit: 70}\n"
    "  - {station: customs, at: 18 d, open: [\"00:00-24:00\"]}\n"
    "  - {station: yard_outer, at: 20 d, next: gate}   # divert new departures\n"
    "  - {arrivals: fruit, at: 20 d, rate_factor: 1.5}       # 0 stops a stream\n";

/* ==== The design scenario ==== */

START_TEST(test_design_scenario_loads_exact_structs)
{
    struct tc_diags d;
    struct tc_scenario *sc;
    const struct tc_station *st;
    const struct tc_source *so;
    const struct tc_sched *x;
    char *s;

    make_tmpdir();
    tc_diags_init(&d);
    sc = load(design, &d);
    ck_assert_ptr_nonnull(sc);
    s = diag_text(&d);
    /* customs: 1.79 around the clock; open 10.5 h of 24 and up 200 / 202 of the time */
    ck_assert_str_eq(s, "t.yaml:36:3: warning: stations.customs: load 4.14 >= 1 (6 servers, open "
                        "10.5 h a day, up 99 % of the time): queues will grow without bound\n"
                        "t.yaml:48:3: warning: stations.inspection: load 3.52 >= 1: queues will "
                        "grow without bound\n");
    free(s);
    ck_assert_str_eq(sc->name, "Huu Nghi export, harvest peak");
    ck_assert_str_eq(sc->path, "t.yaml");
    ck_assert_int_eq(sc->time_unit, TC_TU_MIN);
    ck_assert_double_eq(sc->horizon, 43200);
    ck_assert_double_eq(sc->warmup, 2880);
    ck_assert_uint_eq(sc->replications, 10);
    ck_assert_uint_eq(sc->seed, 20211201);
    ck_assert_double_eq(sc->sample_every, 60);
    ck_assert_double_eq(sc->truck_length_m, 25);

    ck_assert_uint_eq(sc->n_classes, 2);
    ck_assert_str_eq(sc->classes[0].name, "fruit");
    ck_assert_int_eq(sc->classes[0].priority, 1);
    ck_assert(sc->classes[0].has_patience);
    ck_assert_int_eq(sc->classes[0].patience.kind, TC_DIST_CONSTANT);
    ck_assert_double_eq(sc->classes[0].patience.p[0], 10080);
    ck_assert_double_eq(sc->classes[0].shelf_life, 7200);
    ck_assert_double_eq(sc->classes[0].value, 25000);
    ck_assert_uint_eq(sc->classes[0].pos.line, 11);
    ck_assert_uint_eq(sc->classes[0].pos.col, 3);
    ck_assert_str_eq(sc->classes[1].name, "general");
    ck_assert_int_eq(sc->classes[1].priority, 2);
    ck_assert(!sc->classes[1].has_patience);
    ck_assert(isinf(sc->classes[1].shelf_life));
    ck_assert_double_eq(sc->classes[1].value, 0);

    ck_assert_uint_eq(sc->n_sources, 2);
    so = &sc->sources[0];
    ck_assert_str_eq(so->name, "fruit_north");
    ck_assert_uint_eq(so->class_id, 0);
    ck_assert_uint_eq(so->to, 0);
    ck_assert_int_eq(so->kind, TC_SRC_RATE);
    ck_assert_double_eq_tol(so->rate_per_t, 25.0 / 60.0, 1e-15);
    ck_assert(so->has_hourly);
    ck_assert_double_eq(so->hourly[0], 0.3);
    ck_assert_double_eq(so->hourly[8], 1.6);
    ck_assert_double_eq(so->hourly[23], 0.3);
    ck_assert_uint_eq(so->n_daily, 7);
    ck_assert_double_eq(so->daily[3], 1.5);
    ck_assert_double_eq(so->t_start, 0);
    ck_assert_double_eq(so->t_end, 43200);
    ck_assert_uint_eq(so->batch, 1);
    ck_assert(so->booking.on);
    ck_assert_double_eq(so->booking.slot, 60);
    ck_assert_uint_eq(so->booking.per_slot, 40);
    ck_assert(so->booking.has_punctuality);
    ck_assert_int_eq(so->booking.punctuality.kind, TC_DIST_NORMAL);
    ck_assert_double_eq(so->booking.punctuality.p[0], 0);
    ck_assert_double_eq(so->booking.punctuality.p[1], 15);
    so = &sc->sources[1];
    ck_assert_str_eq(so->name, "arrivals[1]");
    ck_assert_uint_eq(so->class_id, 1);
    ck_assert_int_eq(so->kind, TC_SRC_TRACE);
    ck_assert_uint_eq(so->n_trace, 4);
    ck_assert_double_eq(so->trace_t[2], 61.5);
    ck_assert_ptr_null(so->trace_class);
    ck_assert(isinf(so->t_end));
    {
        char want[160];

        snprintf(want, sizeof(want), "%s/data/general-arrivals.csv", tmpdir);
        ck_assert_str_eq(so->trace_path, want);
    }

    ck_assert_uint_eq(sc->n_stations, 4);
    ck_assert_uint_eq(tc_scenario_station(sc, "gate"), 3);
    ck_assert_uint_eq(tc_scenario_station(sc, "nowhere"), TC_NONE);
    ck_assert_uint_eq(tc_scenario_class(sc, "general"), 1);
    ck_assert_uint_eq(tc_scenario_source(sc, "arrivals[1]"), 1);
    st = &sc->stations[0];
    ck_assert_str_eq(st->name, "yard_outer");
    ck_assert_uint_eq(st->servers, TC_UNLIMITED);
    ck_assert_uint_eq(st->capacity, 800);
    ck_assert_int_eq(st->service[1].kind, TC_DIST_CONSTANT);
    ck_assert_double_eq(st->service[1].p[0], 0);
    ck_assert_int_eq(st->next.kind, TC_ROUTE_FIXED);
    ck_assert_uint_eq(st->next.to, 1);
    ck_assert_uint_eq(st->daily_limit, TC_UNLIMITED);
    ck_assert(!st->failures.on);
    st = &sc->stations[1];
    ck_assert_str_eq(st->name, "customs");
    ck_assert_uint_eq(st->servers, 6);
    ck_assert_uint_eq(st->capacity, 26);
    ck_assert(st->priority);
    ck_assert(!st->reject_when_full);
    ck_assert_int_eq(st->service[0].kind, TC_DIST_LOGNORMAL);
    ck_assert_double_eq(st->service[0].p[0], 20);
    ck_assert_double_eq(st->service[0].p[1], 8);
    ck_assert_int_eq(st->service[1].kind, TC_DIST_EXPONENTIAL);
    ck_assert_double_eq(st->service[1].p[0], 30);
    ck_assert_uint_eq(st->n_open, 2);
    ck_assert_double_eq(st->open[0].open_min, 420);
    ck_assert_double_eq(st->open[0].close_min, 690);
    ck_assert_double_eq(st->open[1].open_min, 780);
    ck_assert_double_eq(st->open[1].close_min, 1140);
    ck_assert(st->failures.on);
    ck_assert_int_eq(st->failures.up.kind, TC_DIST_EXPONENTIAL);
    ck_assert_double_eq(st->failures.up.p[0], 12000);
    ck_assert_int_eq(st->failures.down.kind, TC_DIST_EXPONENTIAL);
    ck_assert_double_eq(st->failures.down.p[0], 120);
    ck_assert_int_eq(st->next.kind, TC_ROUTE_PROB);
    ck_assert_uint_eq(st->next.n, 2);
    ck_assert_uint_eq(st->next.targets[0], 2);
    ck_assert_uint_eq(st->next.targets[1], 3);
    ck_assert_double_eq(st->next.p[0], 0.15);
    ck_assert_double_eq(st->next.p[1], 0.85);
    ck_assert_ptr_nonnull(st->next.table);
    ck_assert_uint_eq(st->next.pos.line, 46);
    ck_assert_uint_eq(st->next.pos.col, 7);
    ck_assert_uint_eq(st->pos.line, 36);
    st = &sc->stations[2];
    ck_assert_int_eq(st->service[0].kind, TC_DIST_TRIANGULAR);
    ck_assert_double_eq(st->service[0].p[0], 30);
    ck_assert_double_eq(st->service[0].p[1], 60);
    ck_assert_double_eq(st->service[0].p[2], 180);
    ck_assert_uint_eq(st->capacity, TC_UNLIMITED);
    st = &sc->stations[3];
    ck_assert_uint_eq(st->servers, 4);
    ck_assert_uint_eq(st->daily_limit, 900);
    ck_assert_double_eq(st->service[0].p[0], 3);
    ck_assert_int_eq(st->next.kind, TC_ROUTE_FIXED);
    ck_assert_uint_eq(st->next.to, TC_EXIT);

    /* Sorted by time, ties in file order; close/reopen split in two. */
    ck_assert_uint_eq(sc->n_sched, 7);
    x = sc->sched;
    ck_assert_int_eq(x[0].kind, TC_SCHED_CLOSE);
    ck_assert_double_eq(x[0].t, 14400);
    ck_assert_uint_eq(x[0].station, 3);
    ck_assert_uint_eq(x[0].pos.line, 61);
    ck_assert_int_eq(x[1].kind, TC_SCHED_REOPEN);
    ck_assert_double_eq(x[1].t, 20160);
    ck_assert_int_eq(x[2].kind, TC_SCHED_SERVERS);
    ck_assert_double_eq(x[2].t, 21600);
    ck_assert_uint_eq(x[2].station, 1);
    ck_assert_uint_eq(x[2].value, 8);
    ck_assert_int_eq(x[3].kind, TC_SCHED_DAILY_LIMIT);
    ck_assert_uint_eq(x[3].value, 70);
    ck_assert_int_eq(x[4].kind, TC_SCHED_OPEN);
    ck_assert_double_eq(x[4].t, 25920);
    ck_assert_uint_eq(x[4].n_open, 1);
    ck_assert_double_eq(x[4].open[0].open_min, 0);
    ck_assert_double_eq(x[4].open[0].close_min, 1440);
    ck_assert_int_eq(x[5].kind, TC_SCHED_NEXT);
    ck_assert_double_eq(x[5].t, 28800);
    ck_assert_uint_eq(x[5].station, 0);
    ck_assert_uint_eq(x[5].next.to, 3);
    ck_assert_int_eq(x[6].kind, TC_SCHED_RATE_FACTOR);
    ck_assert_uint_eq(x[6].n_sources, 1);
    ck_assert_uint_eq(x[6].sources[0], 0);
    ck_assert_double_eq(x[6].factor, 1.5);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_defaults_fill_omitted_keys)
{
    struct tc_diags d;
    struct tc_scenario *sc;
    const struct tc_station *st;

    tc_diags_init(&d);
    sc = load("name: t\nhorizon: 1 d\narrivals: [{to: gate, rate: 10/h}]\n"
              "stations: {gate: {service: 5 min}}\n",
              &d);
    ck_assert_ptr_nonnull(sc);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_int_eq(sc->time_unit, TC_TU_MIN);
    ck_assert_double_eq(sc->warmup, 0);
    ck_assert_uint_eq(sc->replications, 1);
    ck_assert_uint_eq(sc->seed, 1);
    ck_assert_double_eq(sc->sample_every, 1440.0 / 500.0);
    ck_assert_double_eq(sc->truck_length_m, 25);
    ck_assert_uint_eq(sc->n_classes, 1);
    ck_assert_str_eq(sc->classes[0].name, "truck");
    ck_assert_int_eq(sc->classes[0].priority, 0);
    ck_assert(!sc->classes[0].has_patience);
    ck_assert(isinf(sc->classes[0].shelf_life));
    ck_assert_uint_eq(sc->sources[0].class_id, 0);
    ck_assert_str_eq(sc->sources[0].name, "arrivals[0]");
    ck_assert_uint_eq(sc->sources[0].batch, 1);
    ck_assert(!sc->sources[0].has_hourly);
    ck_assert_ptr_null(sc->sources[0].daily);
    ck_assert(!sc->sources[0].booking.on);
    st = &sc->stations[0];
    ck_assert_uint_eq(st->servers, 1);
    ck_assert_uint_eq(st->capacity, TC_UNLIMITED);
    ck_assert_uint_eq(st->daily_limit, TC_UNLIMITED);
    ck_assert(!st->priority);
    ck_assert(!st->reject_when_full);
    ck_assert_uint_eq(st->n_open, 0);
    ck_assert_int_eq(st->next.kind, TC_ROUTE_FIXED);
    ck_assert_uint_eq(st->next.to, TC_EXIT);
    ck_assert_uint_eq(sc->n_sched, 0);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_time_unit_and_forms)
{
    struct tc_diags d;
    struct tc_scenario *sc;
    const struct tc_station *st;

    tc_diags_init(&d);
    sc = load("name: t\ntime_unit: h\nhorizon: 2 d\nwarmup: 90 min\nsample_every: 0.5\n"
              "truck_length: 0.02 km\nseed: 18446744073709551615\n"
              "classes:\n  fruit:\n  general: {priority: -3, patience: {dist: erlang, k: 3, "
              "mean: 6 h}}\n"
              "arrivals:\n"
              "  - {class: fruit, to: a, rate: 48/d, batch: 3, start: 1 h, end: 1 d}\n"
              "  - {name: g, class: general, to: a, interarrival: {dist: empirical, values: "
              "[30 min, 1 h], weights: [1, 3]}}\n"
              "stations:\n"
              "  a:\n    servers: unlimited\n    service: {fruit: 90 min, general: {dist: "
              "weibull, shape: 2, scale: 1 h}}\n"
              "    next: {fruit: [{to: b, p: 0.25}, {to: exit, p: 0.75}], general: b}\n"
              "    open: \"22:00-06:00\"\n"
              "  b: {servers: 3, capacity: unlimited, daily_limit: unlimited, service: 0.25, "
              "when_full: reject, failures: {mtbf: {dist: gamma, mean: 10 h, sd: 5 h}, mttr: 30 "
              "min}}\n"
              "events:\n"
              "  - {arrivals: [g, fruit], at: 1 d, rate_factor: 0}\n"
              "  - {station: b, at: 12 h, servers: unlimited, daily_limit: 7}\n",
              &d);
    ck_assert_ptr_nonnull(sc);
    ck_assert_uint_eq(d.n, 0);
    ck_assert_double_eq(sc->horizon, 48);
    ck_assert_double_eq(sc->warmup, 1.5);
    ck_assert_double_eq(sc->sample_every, 0.5);
    ck_assert_double_eq(sc->truck_length_m, 20);
    ck_assert_uint_eq(sc->seed, UINT64_MAX);
    ck_assert_int_eq(sc->classes[1].priority, -3);
    ck_assert_int_eq(sc->classes[1].patience.kind, TC_DIST_ERLANG);
    ck_assert_double_eq(sc->classes[1].patience.p[0], 3);
    ck_assert_double_eq(sc->classes[1].patience.p[1], 6);
    ck_assert_double_eq(sc->sources[0].rate_per_t, 2);
    ck_assert_uint_eq(sc->sources[0].batch, 3);
    ck_assert_double_eq(sc->sources[0].t_start, 1);
    ck_assert_double_eq(sc->sources[0].t_end, 24);
    ck_assert_int_eq(sc->sources[1].interarrival.kind, TC_DIST_EMPIRICAL);
    ck_assert_uint_eq(sc->sources[1].interarrival.n_values, 2);
    ck_assert_double_eq(sc->sources[1].interarrival.values[0], 0.5);
    ck_assert_double_eq(sc->sources[1].interarrival.weights[1], 3);
    st = &sc->stations[0];
    ck_assert_double_eq(st->service[0].p[0], 1.5);
    ck_assert_int_eq(st->service[1].kind, TC_DIST_WEIBULL);
    ck_assert_double_eq(st->service[1].p[0], 2);
    ck_assert_double_eq(st->service[1].p[1], 1);
    ck_assert_int_eq(st->next.kind, TC_ROUTE_CLASS);
    ck_assert_int_eq(st->next.by_class[0].kind, TC_ROUTE_PROB);
    ck_assert_uint_eq(st->next.by_class[0].targets[1], TC_EXIT);
    ck_assert_int_eq(st->next.by_class[1].kind, TC_ROUTE_FIXED);
    ck_assert_uint_eq(st->next.by_class[1].to, 1);
    /* Windows stay in minutes after midnight whatever the time unit. */
    ck_assert_uint_eq(st->n_open, 1);
    ck_assert_double_eq(st->open[0].open_min, 1320);
    ck_assert_double_eq(st->open[0].close_min, 360);
    st = &sc->stations[1];
    ck_assert(st->reject_when_full);
    ck_assert_double_eq(st->service[0].p[0], 0.25);
    ck_assert_int_eq(st->failures.up.kind, TC_DIST_GAMMA);
    ck_assert_int_eq(st->failures.down.kind, TC_DIST_EXPONENTIAL);
    ck_assert_double_eq(st->failures.down.p[0], 0.5);
    /* Several keys of one item: several entries, in key order; then sorted by time. */
    ck_assert_uint_eq(sc->n_sched, 3);
    ck_assert_int_eq(sc->sched[0].kind, TC_SCHED_SERVERS);
    ck_assert_double_eq(sc->sched[0].t, 12);
    ck_assert_uint_eq(sc->sched[0].value, TC_UNLIMITED);
    ck_assert_int_eq(sc->sched[1].kind, TC_SCHED_DAILY_LIMIT);
    ck_assert_uint_eq(sc->sched[1].value, 7);
    ck_assert_int_eq(sc->sched[2].kind, TC_SCHED_RATE_FACTOR);
    ck_assert_uint_eq(sc->sched[2].n_sources, 2);
    ck_assert_uint_eq(sc->sched[2].sources[0], 0);
    ck_assert_uint_eq(sc->sched[2].sources[1], 1);
    ck_assert_double_eq(sc->sched[2].factor, 0);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
}
END_TEST

/*
** A trace with a class column gives each arrival its class. (Its errors: unsorted rows, a class
** given twice, no class at all, an unreadable file are catalogue cases in tests/cli.)
*/
START_TEST(test_trace_class_column_sets_class_per_row)
{
    char path[160];
    struct tc_diags d;
    struct tc_scenario *sc;
    FILE *f;

    make_tmpdir();
    snprintf(path, sizeof(path), "%s/data/c.csv", tmpdir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("time,class\n0.5,fruit\n1,general\n", f);
    fclose(f);
    tc_diags_init(&d);
    sc = load("name: t\nhorizon: 1 d\nclasses: {fruit: {}, general: {}}\n"
              "arrivals: [{to: a, trace: data/c.csv}]\nstations: {a: {service: 1}}\n",
              &d);
    ck_assert_ptr_nonnull(sc);
    ck_assert_uint_eq(d.n_err, 0);
    ck_assert_uint_eq(sc->sources[0].class_id, TC_NONE);
    ck_assert_uint_eq(sc->sources[0].n_trace, 2);
    ck_assert_uint_eq(sc->sources[0].trace_class[0], 0);
    ck_assert_uint_eq(sc->sources[0].trace_class[1], 1);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
    unlink(path);
}
END_TEST

/* tc_scenario_load: the file name in positions, traces relative to the file. */
START_TEST(test_load_file_positions_and_trace_paths)
{
    char path[160];
    struct tc_diags d;
    struct tc_scenario *sc;
    FILE *f;
    char *s;

    make_tmpdir();
    snprintf(path, sizeof(path), "%s/s.yaml", tmpdir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(design, f);
    fclose(f);
    tc_diags_init(&d);
    sc = tc_scenario_load(path, NULL, 0, &d);
    ck_assert_ptr_nonnull(sc);
    ck_assert_str_eq(sc->path, path);
    ck_assert_uint_eq(d.n_err, 0);
    ck_assert_uint_eq(d.n_warn, 2);
    ck_assert_str_eq(d.v[0].file, path);
    ck_assert_uint_eq(sc->sources[1].n_trace, 4);
    tc_scenario_free(sc);
    tc_diags_fini(&d);

    snprintf(path, sizeof(path), "%s/none.yaml", tmpdir);
    tc_diags_init(&d);
    ck_assert_ptr_null(tc_scenario_load(path, NULL, 0, &d));
    s = diag_text(&d);
    {
        char want[256];

        snprintf(want, sizeof(want),
                 "%s: error: cannot read the scenario: No such file or directory\n", path);
        ck_assert_str_eq(s, want);
    }
    free(s);
    tc_diags_fini(&d);

    tc_diags_init(&d);
    ck_assert_ptr_null(tc_scenario_load(tmpdir, NULL, 0, &d));
    s = diag_text(&d);
    {
        char want[256];

        snprintf(want, sizeof(want), "%s: error: cannot read the scenario: Is a directory\n",
                 tmpdir);
        ck_assert_str_eq(s, want);
    }
    free(s);
    tc_diags_fini(&d);
}
END_TEST

/* ==== Overrides through the loader ==== */

START_TEST(test_overrides_apply_through_loader)
{
    static const struct tc_override ok[] = {
        {"stations.customs.servers", "8"},
        {"arrivals.fruit_north.rate", "30/h"},
        {"arrivals.1.batch", "1"},
        {"stations.gate.open", "[\"06:00-22:00\"]"},
        {"classes.general.patience", "{dist: exponential, mean: 3 h}"},
        {"replications", "3"},
        {"warmup", "0"},
    };
    static const struct tc_override bad[] = {
        {"stations.customs.servers", "-2"},
        {"stations.custom.servers", "3"},
        {"classes.fruit.shelf_life", "0"},
        {"stations.gate.daily_limit", "[1, 2]"},
    };
    struct tc_diags d;
    struct tc_scenario *sc;
    char *s;

    make_tmpdir();
    tc_diags_init(&d);
    sc = tc_scenario_load_string(design, strlen(design), "t.yaml", tmpdir, ok, 7, &d);
    ck_assert_ptr_nonnull(sc);
    ck_assert_uint_eq(d.n_err, 0);
    ck_assert_uint_eq(sc->stations[1].servers, 8);
    ck_assert_double_eq_tol(sc->sources[0].rate_per_t, 0.5, 1e-15);
    ck_assert_uint_eq(sc->stations[3].n_open, 1);
    ck_assert_double_eq(sc->stations[3].open[0].open_min, 360);
    ck_assert(sc->classes[1].has_patience);
    ck_assert_double_eq(sc->classes[1].patience.p[0], 180);
    ck_assert_uint_eq(sc->replications, 3);
    ck_assert_double_eq(sc->warmup, 0);
    tc_scenario_free(sc);
    tc_diags_fini(&d);

    tc_diags_init(&d);
    sc = tc_scenario_load_string(design, strlen(design), "t.yaml", tmpdir, bad, 4, &d);
    ck_assert_ptr_null(sc);
    s = diag_text(&d);
    ck_assert_str_eq(s, "--set:1: error: stations.customs.servers: expected a positive integer "
                        "or \"unlimited\", got \"-2\"\n"
                        "--set:2: error: stations.custom.servers: no key \"custom\" in stations; "
                        "did you mean \"customs\"?\n"
                        "--set:3: error: classes.fruit.shelf_life: must be > 0, got \"0\"\n"
                        "--set:4: error: stations.gate.daily_limit: expected a positive integer "
                        "or \"unlimited\", got a list\n");
    free(s);
    tc_diags_fini(&d);
}
END_TEST

/* ==== Emit ==== */

static void assert_dist_eq(const struct tc_dist *a, const struct tc_dist *b)
{
    ck_assert_int_eq(a->kind, b->kind);
    for (int i = 0; i < 3; i++)
        ck_assert_double_eq(a->p[i], b->p[i]);
    ck_assert_double_eq(a->a, b->a);
    ck_assert_double_eq(a->b, b->b);
    ck_assert_double_eq(a->c, b->c);
    ck_assert_uint_eq(a->n_values, b->n_values);
    for (uint32_t i = 0; i < a->n_values; i++) {
        ck_assert_double_eq(a->values[i], b->values[i]);
        ck_assert_double_eq(a->weights[i], b->weights[i]);
    }
}

static void assert_route_eq(const struct tc_route *a, const struct tc_route *b, uint32_t n_cls)
{
    ck_assert_int_eq(a->kind, b->kind);
    if (a->kind == TC_ROUTE_FIXED)
        ck_assert_uint_eq(a->to, b->to);
    if (a->kind == TC_ROUTE_PROB) {
        ck_assert_uint_eq(a->n, b->n);
        for (uint32_t k = 0; k < a->n; k++) {
            ck_assert_uint_eq(a->targets[k], b->targets[k]);
            ck_assert_double_eq(a->p[k], b->p[k]);
        }
        ck_assert_ptr_nonnull(b->table);
    }
    if (a->kind == TC_ROUTE_CLASS)
        for (uint32_t c = 0; c < n_cls; c++)
            assert_route_eq(&a->by_class[c], &b->by_class[c], n_cls);
    if (a->kind == TC_ROUTE_CHOOSE) {
        ck_assert_int_eq(a->rule, b->rule);
        ck_assert_uint_eq(a->n, b->n);
        for (uint32_t k = 0; k < a->n; k++) {
            ck_assert_uint_eq(a->targets[k], b->targets[k]);
            for (uint32_t c = 0; c < n_cls; c++)
                ck_assert_int_eq(a->allowed == NULL || a->allowed[c * a->n + k],
                                 b->allowed == NULL || b->allowed[c * b->n + k]);
        }
        ck_assert_uint_eq(a->divert_above, b->divert_above);
        ck_assert(a->divert_above_wait == b->divert_above_wait);
    }
}

static void assert_windows_eq(const struct tc_window *a, uint32_t na, const struct tc_window *b,
                              uint32_t nb)
{
    ck_assert_uint_eq(na, nb);
    for (uint32_t i = 0; i < na; i++) {
        ck_assert_double_eq(a[i].open_min, b[i].open_min);
        ck_assert_double_eq(a[i].close_min, b[i].close_min);
    }
}

/* Equal as data: everything but positions and the file name. */
static void assert_scenario_eq(const struct tc_scenario *a, const struct tc_scenario *b)
{
    ck_assert_str_eq(a->name, b->name);
    ck_assert_int_eq(a->time_unit, b->time_unit);
    ck_assert_double_eq(a->horizon, b->horizon);
    ck_assert_double_eq(a->warmup, b->warmup);
    ck_assert_double_eq(a->sample_every, b->sample_every);
    ck_assert_double_eq(a->truck_length_m, b->truck_length_m);
    ck_assert_uint_eq(a->replications, b->replications);
    ck_assert_uint_eq(a->seed, b->seed);
    ck_assert_uint_eq(a->n_classes, b->n_classes);
    ck_assert_int_eq(a->costs.on, b->costs.on);
    if (a->costs.on) {
        ck_assert_str_eq(a->costs.currency, b->costs.currency);
        ck_assert_int_eq(a->costs.has_fuel, b->costs.has_fuel);
        ck_assert_double_eq(a->costs.idle_fuel_l_per_h, b->costs.idle_fuel_l_per_h);
        ck_assert_double_eq(a->costs.co2_kg_per_l, b->costs.co2_kg_per_l);
        for (uint32_t c = 0; c < a->n_classes; c++) {
            ck_assert_double_eq(a->costs.truck_hour[c], b->costs.truck_hour[c]);
            ck_assert_double_eq(a->costs.spoiled[c], b->costs.spoiled[c]);
            ck_assert_double_eq(a->costs.abandoned[c], b->costs.abandoned[c]);
        }
        for (uint32_t i = 0; i < a->n_stations; i++)
            ck_assert_double_eq(a->costs.server_hour[i], b->costs.server_hour[i]);
    }
    for (uint32_t c = 0; c < a->n_classes; c++) {
        const struct tc_class *x = &a->classes[c], *y = &b->classes[c];

        ck_assert_str_eq(x->name, y->name);
        ck_assert_int_eq(x->priority, y->priority);
        ck_assert_int_eq(x->has_patience, y->has_patience);
        if (x->has_patience)
            assert_dist_eq(&x->patience, &y->patience);
        ck_assert(x->shelf_life == y->shelf_life);
        ck_assert_double_eq(x->value, y->value);
    }
    ck_assert_uint_eq(a->n_sources, b->n_sources);
    for (uint32_t i = 0; i < a->n_sources; i++) {
        const struct tc_source *x = &a->sources[i], *y = &b->sources[i];

        ck_assert_str_eq(x->name, y->name);
        ck_assert_uint_eq(x->class_id, y->class_id);
        ck_assert_uint_eq(x->to, y->to);
        ck_assert_int_eq(x->choose != NULL, y->choose != NULL);
        if (x->choose != NULL)
            assert_route_eq(x->choose, y->choose, a->n_classes);
        ck_assert_int_eq(x->kind, y->kind);
        ck_assert_double_eq(x->rate_per_t, y->rate_per_t);
        if (x->kind == TC_SRC_INTERARRIVAL)
            assert_dist_eq(&x->interarrival, &y->interarrival);
        if (x->kind == TC_SRC_TRACE)
            ck_assert_str_eq(x->trace_path, y->trace_path);
        ck_assert_uint_eq(x->n_trace, y->n_trace);
        for (size_t r = 0; r < x->n_trace; r++) {
            ck_assert_double_eq(x->trace_t[r], y->trace_t[r]);
            ck_assert_uint_eq(x->trace_class ? x->trace_class[r] : 0,
                              y->trace_class ? y->trace_class[r] : 0);
        }
        ck_assert_int_eq(x->has_hourly, y->has_hourly);
        for (int h = 0; h < 24; h++)
            ck_assert_double_eq(x->hourly[h], y->hourly[h]);
        ck_assert_uint_eq(x->n_daily, y->n_daily);
        for (uint32_t k = 0; k < x->n_daily; k++)
            ck_assert_double_eq(x->daily[k], y->daily[k]);
        ck_assert_double_eq(x->t_start, y->t_start);
        ck_assert(x->t_end == y->t_end);
        ck_assert_uint_eq(x->batch, y->batch);
        ck_assert_int_eq(x->booking.on, y->booking.on);
        ck_assert_double_eq(x->booking.slot, y->booking.slot);
        ck_assert_uint_eq(x->booking.per_slot, y->booking.per_slot);
        ck_assert_int_eq(x->booking.has_punctuality, y->booking.has_punctuality);
        if (x->booking.has_punctuality)
            assert_dist_eq(&x->booking.punctuality, &y->booking.punctuality);
        ck_assert_uint_eq(x->pool, y->pool);
    }
    ck_assert_uint_eq(a->n_pools, b->n_pools);
    for (uint32_t p = 0; p < a->n_pools; p++) {
        const struct tc_booking *x = &a->pools[p].b, *y = &b->pools[p].b;

        ck_assert_str_eq(a->pools[p].name, b->pools[p].name);
        ck_assert_double_eq(x->slot, y->slot);
        ck_assert_uint_eq(x->per_slot, y->per_slot);
        ck_assert_int_eq(x->has_punctuality, y->has_punctuality);
        if (x->has_punctuality)
            assert_dist_eq(&x->punctuality, &y->punctuality);
        assert_windows_eq(x->open, x->n_open, y->open, y->n_open);
    }
    ck_assert_uint_eq(a->n_stations, b->n_stations);
    for (uint32_t s = 0; s < a->n_stations; s++) {
        const struct tc_station *x = &a->stations[s], *y = &b->stations[s];

        ck_assert_str_eq(x->name, y->name);
        ck_assert_uint_eq(x->servers, y->servers);
        ck_assert_uint_eq(x->capacity, y->capacity);
        ck_assert_int_eq(x->priority, y->priority);
        ck_assert_int_eq(x->release_priority, y->release_priority);
        ck_assert_int_eq(x->reject_when_full, y->reject_when_full);
        for (uint32_t c = 0; c < a->n_classes; c++)
            assert_dist_eq(&x->service[c], &y->service[c]);
        assert_route_eq(&x->next, &y->next, a->n_classes);
        assert_windows_eq(x->open, x->n_open, y->open, y->n_open);
        ck_assert_uint_eq(x->daily_limit, y->daily_limit);
        ck_assert_int_eq(x->failures.on, y->failures.on);
        if (x->failures.on) {
            assert_dist_eq(&x->failures.up, &y->failures.up);
            assert_dist_eq(&x->failures.down, &y->failures.down);
        }
    }
    ck_assert_uint_eq(a->n_sched, b->n_sched);
    for (uint32_t k = 0; k < a->n_sched; k++) {
        const struct tc_sched *x = &a->sched[k], *y = &b->sched[k];

        ck_assert_double_eq(x->t, y->t);
        ck_assert_int_eq(x->kind, y->kind);
        if (x->kind != TC_SCHED_RATE_FACTOR)
            ck_assert_uint_eq(x->station, y->station);
        ck_assert_uint_eq(x->value, y->value);
        assert_windows_eq(x->open, x->n_open, y->open, y->n_open);
        if (x->kind == TC_SCHED_NEXT)
            assert_route_eq(&x->next, &y->next, a->n_classes);
        ck_assert_uint_eq(x->n_sources, y->n_sources);
        for (uint32_t j = 0; j < x->n_sources; j++)
            ck_assert_uint_eq(x->sources[j], y->sources[j]);
        ck_assert_double_eq(x->factor, y->factor);
        ck_assert_uint_eq(x->pool, y->pool);
        ck_assert_double_eq(x->slot, y->slot);
    }
    ck_assert_uint_eq(a->n_initial, b->n_initial);
    for (uint32_t k = 0; k < a->n_initial; k++) {
        const struct tc_initial *x = &a->initial[k], *y = &b->initial[k];

        ck_assert_uint_eq(x->station, y->station);
        ck_assert_int_eq(x->road, y->road);
        ck_assert_uint_eq(x->cls, y->cls);
        ck_assert_uint_eq(x->trucks, y->trucks);
        ck_assert_double_eq(x->age, y->age);
    }
    ck_assert_uint_eq(a->n_clearance, b->n_clearance);
    for (uint32_t k = 0; k < a->n_clearance; k++) {
        const struct tc_clearance *x = &a->clearance[k], *y = &b->clearance[k];

        ck_assert_str_eq(x->name, y->name);
        ck_assert_double_eq(x->after_t, y->after_t);
        ck_assert_int_eq(x->fraction, y->fraction);
        ck_assert_double_eq(x->below, y->below);
    }
}

static char *emit_text(const struct tc_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(tc_scenario_emit(sc, f), 0);
    fclose(f);
    return buf;
}

/* Scenarios whose emitted form must load back equal. */
static const char *const round_trip[] = {
    design,
    "name: \"odd: names\"\ntime_unit: s\nhorizon: 1 h 30 min\nsample_every: 7 s\n"
    "classes: {\"a b\": {priority: -1, shelf_life: 2 h, value: 0.1}, \"123\": {patience: 10}}\n"
    "arrivals:\n"
    "  - {name: \"x: y\", class: \"a b\", to: \"gate #1\", interarrival: {dist: empirical, "
    "values: [1, 2.5], weights: [0.3, 0.7]}}\n"
    "  - {class: \"123\", to: \"gate #1\", rate: 0.1/s, hourly: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
    "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0], daily: [1, 0.5], booking: {slot: 1 min, per_slot: 2, "
    "punctuality: 3}}\n"
    "stations:\n"
    "  \"gate #1\":\n    servers: 3\n    capacity: 3\n    when_full: reject\n"
    "    service: {\"a b\": {dist: uniform, min: 1, max: 2}, \"123\": 0.3}\n"
    "    next: {\"a b\": [{to: exit, p: 0.5}, {to: \"gate #1\", p: 0.5}], \"123\": exit}\n"
    "    open: [\"22:00-02:00\", \"08:00-24:00\"]\n"
    "    failures: {mtbf: {dist: constant, value: 50}, mttr: 5}\n"
    "events:\n"
    "  - {station: \"gate #1\", close: 10 min, reopen: 20 min}\n"
    "  - {station: \"gate #1\", at: 5 min, next: {\"a b\": exit, \"123\": [{to: exit, p: 1}]}}\n"
    "  - {arrivals: \"a b\", at: 1 min, rate_factor: 2}\n",
    "name: priced\nhorizon: 1 d\nclasses: {fruit: {value: 9000}, other: {}}\n"
    "arrivals: [{class: fruit, to: yard, rate: 1/h}, {class: other, to: yard, rate: 2/h}]\n"
    "stations:\n  yard: {servers: unlimited, service: 0, next: gate}\n"
    "  gate: {servers: 2, service: 20 min, next: exit}\n"
    "costs: {currency: VND, truck_hour: {default: 25, fruit: 60}, server_hour: 40.5,\n"
    "        spoiled: {fruit: 2000}, abandoned: 300, idle_fuel_l_per_h: 2.5, co2_kg_per_l: 2.7}\n",
    /* booking pools beside an inline booking, pool events, release: priority */
    "name: pools\nhorizon: 2 d\nclasses: {a: {priority: 1}, b: {priority: 2}}\n"
    "bookings:\n"
    "  gate_pool: {slot: 1 h, per_slot: 14, punctuality: {dist: normal, mean: 0, sd: 5 min}}\n"
    "  \"night pool\": {slot: 2 h, per_slot: 3, open: \"20:00-06:00\"}\n"
    "arrivals:\n"
    "  - {class: a, to: yard, rate: 6/h, booking: gate_pool}\n"
    "  - {class: b, to: yard, rate: 4/h, booking: gate_pool}\n"
    "  - {class: b, to: yard, rate: 1/h, booking: \"night pool\"}\n"
    "  - {class: a, to: yard, rate: 1/h, booking: {slot: 30 min, per_slot: 1}}\n"
    "stations:\n"
    "  yard: {servers: unlimited, service: 0, release: priority, next: lanes}\n"
    "  lanes: {servers: 2, capacity: 2, service: 20 min}\n"
    "events:\n"
    "  - {pool: gate_pool, at: 1 d, per_slot: 8, slot: 30 min}\n"
    "  - {pool: \"night pool\", at: 30 h, per_slot: 5}\n",
    /* initial trucks and clearances: an event's name becomes the time it stands for */
    "name: backlog\ntime_unit: h\nhorizon: 3 d\n"
    "classes: {fruit: {patience: 10 h}, other: {}}\n"
    "arrivals: [{class: other, to: yard, rate: 1/h}]\n"
    "stations:\n"
    "  yard: {servers: unlimited, capacity: 20, service: 1 h, next: gate}\n"
    "  gate: {servers: 2, service: 30 min}\n"
    "events: [{name: shut, station: gate, close: 1 d, reopen: 1 d 6 h}]\n"
    "initial:\n"
    "  - {station: yard, class: fruit, trucks: 10, age: 8 h}\n"
    "  - {station: gate, class: other, trucks: 0}\n"
    "  - {road: yard, class: other, trucks: 30, age: 1.7 h}\n"
    "clearance:\n"
    "  - {after: start, below: 5}\n"
    "  - {name: \"after: shut\", after: shut, below: \"12.5 %\"}\n"
    "  - {after: 2 d 1 min, below: \"0.1%\"}\n",
    /* choices: a stream's to, a station's next (whole and per class), a NEXT event */
    "name: choices\nhorizon: 1 d\nclasses: {fruit: {}, general: {}}\n"
    "arrivals:\n"
    "  - {class: fruit, rate: 1/h, to: {choose: fewest_present, among: [a, b, c], "
    "classes: {fruit: [c, a]}, divert_above: 12, divert_above_wait: 90 min}}\n"
    "  - {class: general, rate: 1/h, to: {choose: most_room, among: [b, a]}}\n"
    "stations:\n"
    "  a: {servers: 1, service: 5 min, next: {choose: fewest_waiting, among: [d], "
    "divert_above: 0}}\n"
    "  b: {servers: 2, capacity: 4, service: 5 min, next: {fruit: {choose: "
    "shortest_expected_wait, among: [d, c]}, general: exit}}\n"
    "  c: {servers: unlimited, service: 5 min, next: d}\n"
    "  d: {servers: 3, service: 5 min}\n"
    "events:\n"
    "  - {station: c, at: 2 h, next: {choose: fewest_present, among: [a, d], classes: "
    "{general: [d]}}}\n",
};

START_TEST(test_emit_round_trip)
{
    struct tc_diags d;
    struct tc_scenario *a, *b;
    char *t1, *t2;

    make_tmpdir();
    tc_diags_init(&d);
    a = load(round_trip[_i], &d);
    ck_assert_msg(a != NULL, "case %d does not load", _i);
    t1 = emit_text(a);
    b = tc_scenario_load_string(t1, strlen(t1), "emitted.yaml", NULL, NULL, 0, &d);
    ck_assert_msg(b != NULL, "emitted case %d does not load:\n%s", _i, t1);
    ck_assert_uint_eq(d.n_err, 0);
    assert_scenario_eq(a, b);
    /* Emitting the reloaded scenario gives the same bytes. */
    t2 = emit_text(b);
    ck_assert_str_eq(t1, t2);
    free(t1);
    free(t2);
    tc_scenario_free(a);
    tc_scenario_free(b);
    tc_diags_fini(&d);
}
END_TEST

START_TEST(test_emit_text_writes_exact_yaml)
{
    struct tc_diags d;
    struct tc_scenario *sc;
    char *t;

    tc_diags_init(&d);
    sc = load("name: t\nhorizon: 1 d\narrivals: [{to: gate, rate: 6/h}]\n"
              "stations: {gate: {service: {dist: exponential, mean: 5 min}, failures: {mtbf: 10 "
              "h, mttr: 1 h}}}\n",
              &d);
    ck_assert_ptr_nonnull(sc);
    t = emit_text(sc);
    ck_assert_str_eq(t, "name: t\n"
                        "time_unit: min\n"
                        "horizon: 1440\n"
                        "warmup: 0\n"
                        "replications: 1\n"
                        "seed: 1\n"
                        "sample_every: 2.88\n"
                        "truck_length: 25\n"
                        "classes:\n"
                        "  truck: {priority: 0, value: 0}\n"
                        "arrivals:\n"
                        "- name: arrivals[0]\n"
                        "  class: truck\n"
                        "  to: gate\n"
                        "  rate: 0.1/min\n"
                        "  start: 0\n"
                        "  batch: 1\n"
                        "stations:\n"
                        "  gate:\n"
                        "    servers: 1\n"
                        "    capacity: unlimited\n"
                        "    discipline: fifo\n"
                        "    when_full: wait\n"
                        "    service: {dist: exponential, mean: 5}\n"
                        "    next: exit\n"
                        "    daily_limit: unlimited\n"
                        "    failures: {mtbf: {dist: exponential, mean: 600}, mttr: {dist: "
                        "exponential, mean: 60}}\n");
    free(t);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
}
END_TEST

/* ==== Limits (tcsim/limits.h) ==== */

/* A valid 4-line scenario; limit cases append to it from line 5. */
static const char base4[] = "name: t\n"
                            "horizon: 1 d\n"
                            "arrivals: [{to: a, rate: 1/h}]\n"
                            "stations: {a: {service: 1 min}}\n";

/* base4 + extra (may be large), loaded; the diagnostics as text, and whether it loaded. */
static char *load_extra(const char *extra, bool *loaded)
{
    size_t lb = strlen(base4), le = strlen(extra);
    char *text = tc_xmalloc(lb + le + 1);
    struct tc_diags d;
    struct tc_scenario *sc;
    char *out;

    memcpy(text, base4, lb);
    memcpy(text + lb, extra, le + 1);
    tc_diags_init(&d);
    sc = tc_scenario_load_string(text, lb + le, "t.yaml", NULL, NULL, 0, &d);
    out = diag_text(&d);
    ck_assert(sc == NULL ? d.n_err > 0 : d.n_err == 0);
    if (loaded != NULL)
        *loaded = sc != NULL;
    tc_scenario_free(sc);
    tc_diags_fini(&d);
    free(text);
    return out;
}

/* s = prefix + n times rep + suffix, as a new string. */
static char *repeat(const char *prefix, const char *rep, size_t n, const char *suffix)
{
    TC_VEC(char) v = {0};
    size_t lp = strlen(prefix), lr = strlen(rep), ls = strlen(suffix);

    TC_VEC_GROW(v, lp + lr * n + ls + 1);
    memcpy(v.v, prefix, lp);
    for (size_t i = 0; i < n; i++)
        memcpy(v.v + lp + i * lr, rep, lr);
    memcpy(v.v + lp + lr * n, suffix, ls + 1);
    return v.v;
}

static void expect_extra(const char *extra, const char *want)
{
    char *got = load_extra(extra, NULL);

    ck_assert_str_eq(got, want);
    free(got);
}

static const char unknown_z[] =
    "t.yaml:5:1: error: unknown key \"z\"; expected one of: name, time_unit, start_date, horizon, "
    "warmup, "
    "replications, seed, sample_every, truck_length, classes, arrivals, stations, events, "
    "bookings, costs, initial, clearance\n";

/* Depth 64 counts the root mapping: 63 brackets pass, the 64th is the 65th level. */
START_TEST(test_limit_depth)
{
    char *ok = repeat("z: ", "[", 63, "");
    char *bad = repeat("z: ", "[", 64, "");
    char *t;

    t = repeat(ok, "]", 63, "\n");
    expect_extra(t, unknown_z);
    free(t);
    t = repeat(bad, "]", 64, "\n");
    expect_extra(t, "t.yaml:5:67: error: lists and mappings nested more than 64 deep "
                    "(TC_LIMIT_YAML_DEPTH in tcsim/limits.h)\n");
    free(t);
    free(ok);
    free(bad);
    /* The 64th "{" (column 4 + 4 x 63) is level 65. 10,000 deep stops at the same place, without
     * libyaml's quadratic flow scan. */
    ok = repeat("z: ", "{a: ", 10000, "1");
    t = repeat(ok, "}", 10000, "\n");
    expect_extra(t, "t.yaml:5:256: error: lists and mappings nested more than 64 deep "
                    "(TC_LIMIT_YAML_DEPTH in tcsim/limits.h)\n");
    free(t);
    free(ok);
    /* An alias counts at the depth its collection would have, copied. */
    ok = repeat("x: &d ", "[", 60, "");
    t = repeat(ok, "]", 60, "\ny: [[[[*d]]]]\n");
    expect_extra(t, "t.yaml:6:8: error: this alias nests lists and mappings more than 64 deep "
                    "(TC_LIMIT_YAML_DEPTH in tcsim/limits.h)\n");
    free(t);
    free(ok);
}
END_TEST

/* "Billion laughs": 9 levels of 9 aliases would be 387 million nodes; it stops at once. */
START_TEST(test_limit_aliases)
{
    TC_VEC(char) v = {0};
    char line[128];

    for (int i = 0; i < 10; i++) {
        int n = i == 0
                    ? snprintf(line, sizeof(line), "a0: &a0 [l, l, l, l, l, l, l, l, l]\n")
                    : snprintf(line, sizeof(line),
                               "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, "
                               "*a%d]\n",
                               i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);

        TC_VEC_GROW(v, v.n + (size_t)n + 1);
        memcpy(v.v + v.n, line, (size_t)n + 1);
        v.n += (size_t)n;
    }
    /*
    ** a(i) expands to 1 + 9 a(i-1) nodes: 10, 91, 820, 7381, 66430, 597871. Through
    ** a5 the document holds 672627; the first *a5 in a6 (line 11) passes 1000000.
    */
    expect_extra(v.v, "t.yaml:11:10: error: aliases expand the document to more than 1000000 "
                      "nodes, each alias counting as the nodes it repeats (TC_LIMIT_YAML_NODES "
                      "in tcsim/limits.h)\n");
    free(v.v);
    /* libyaml would build a list that contains itself. */
    expect_extra("z: &a [1, *a]\n",
                 "t.yaml:5:11: error: alias *a refers to a list or mapping that contains it\n");
    /* Aliases to collections are fine within the limits: a shared service time. */
    expect_extra("z: &s {dist: exponential, mean: 5}\n", unknown_z);
}
END_TEST

START_TEST(test_limit_counts_yaml)
{
    char *t;

    /* 1001 anchors: the 1001st is refused (libyaml looks anchors up linearly). */
    t = tc_xmalloc(1001 * 10 + 16);
    {
        size_t o = (size_t)snprintf(t, 16, "z: [");

        for (int i = 0; i < 1001; i++)
            o += (size_t)snprintf(t + o, 11, "&a%04d 1,", i);
        snprintf(t + o, 3, "]\n");
    }
    expect_extra(t, "t.yaml:5:9005: error: more than 1000 anchors (&name) in the file "
                    "(TC_LIMIT_YAML_ANCHORS in tcsim/limits.h)\n");
    free(t);
    /* 100001 aliases of one scalar. */
    t = repeat("z: [&s 1", ", *s", 100001, "]\n");
    expect_extra(t, "t.yaml:5:400011: error: more than 100000 aliases (*name) in the file "
                    "(TC_LIMIT_YAML_ALIASES in tcsim/limits.h)\n");
    free(t);
    /*
    ** base4 holds 18 nodes, then "z" and its list: the 999981st item (column 5 + 2 x
    ** 999980) is node 1000001.
    */
    t = repeat("z: [", "1,", 1000000, "1]\n");
    expect_extra(t, "t.yaml:5:1999965: error: more than 1000000 YAML nodes (TC_LIMIT_YAML_NODES "
                    "in tcsim/limits.h)\n");
    free(t);
    /* A scalar of 65536 bytes is fine; one more is not. */
    t = repeat("z: ", "x", 65536, "\n");
    expect_extra(t, unknown_z);
    free(t);
    t = repeat("z: ", "x", 65537, "\n");
    expect_extra(t, "t.yaml:5:4: error: a value of 65537 bytes, more than 65536 "
                    "(TC_LIMIT_SCALAR_BYTES in tcsim/limits.h)\n");
    free(t);
}
END_TEST

/* The model's counts, each one past its limit. */
START_TEST(test_limit_counts_model)
{
    TC_VEC(char) v = {0};
    char line[96];
    struct tc_diags d;
    char *s;

    /* 10001 stations (the scenario is otherwise fine: a chain of yards). */
    for (int i = 0; i <= 10001; i++) {
        int n = i == 0 ? snprintf(line, sizeof(line),
                                  "name: t\nhorizon: 1 d\narrivals: [{to: s0, rate: 1/h}]\n"
                                  "stations:\n")
                       : snprintf(line, sizeof(line), "  s%d: {service: 1}\n", i - 1);

        TC_VEC_GROW(v, v.n + (size_t)n + 1);
        memcpy(v.v + v.n, line, (size_t)n + 1);
        v.n += (size_t)n;
    }
    tc_diags_init(&d);
    ck_assert_ptr_null(tc_scenario_load_string(v.v, v.n, "t.yaml", NULL, NULL, 0, &d));
    s = diag_text(&d);
    ck_assert_str_eq(s, "t.yaml:5:3: error: stations: 10001 stations, more than 10000 "
                        "(TC_LIMIT_STATIONS in tcsim/limits.h)\n");
    free(s);
    tc_diags_fini(&d);
    free(v.v);

    s = repeat("classes: {", "c: , ", 1001, "}\n");
    /* distinct names are not needed: the count is checked before the names */
    expect_extra(s, "t.yaml:5:10: error: classes: 1001 classes, more than 1000 "
                    "(TC_LIMIT_CLASSES in tcsim/limits.h)\n");
    free(s);
    s = repeat("events: [", "{station: a, at: 1 h, servers: 2}, ", 10001, "]\n");
    expect_extra(s, "t.yaml:5:9: error: events: 10001 events, more than 10000 "
                    "(TC_LIMIT_EVENTS in tcsim/limits.h)\n");
    free(s);
}
END_TEST

/* Bounds on values and on the size of the run; each case a whole file. */
static const struct {
    const char *text, *diags;
} run_cases[] = {
    {"name: t\nhorizon: 1 d\narrivals: [{to: a, rate: 1/h, batch: 10001}]\n"
     "stations: {a: {servers: 1000001, capacity: 1000001, service: 1}}\n"
     "events: [{station: a, at: 1 h, servers: 1000001}]\n",
     "t.yaml:3:38: error: arrivals[0].batch: expected a positive integer up to 10000 "
     "(TC_LIMIT_BATCH in tcsim/limits.h), got \"10001\"\n"
     "t.yaml:4:25: error: stations.a.servers: expected a positive integer up to 1000000 or "
     "\"unlimited\" (TC_LIMIT_SERVERS in tcsim/limits.h), got \"1000001\"\n"
     "t.yaml:4:44: error: stations.a.capacity: expected a positive integer up to 1000000 or "
     "\"unlimited\" (TC_LIMIT_CAPACITY in tcsim/limits.h), got \"1000001\"\n"
     "t.yaml:5:41: error: events[0].servers: expected a positive integer up to 1000000 or "
     "\"unlimited\" (TC_LIMIT_SERVERS in tcsim/limits.h), got \"1000001\"\n"},
    /* At the limits: fine. */
    {"name: t\nhorizon: 1000000 d\nreplications: 100000\nsample_every: 100000 d\n"
     "arrivals: [{to: a, rate: 1/d, batch: 10000}]\n"
     "stations: {a: {servers: 1000000, capacity: 1000000, service: 1}}\n",
     ""},
    {"name: t\nhorizon: 1000001 d\nreplications: 100001\n"
     "arrivals: [{to: a, rate: 1/h}]\nstations: {a: {service: 1}}\n",
     "t.yaml:2:10: error: horizon: must be at most 1000000 d (TC_LIMIT_HORIZON_DAYS in "
     "tcsim/limits.h), got \"1000001 d\"\n"
     "t.yaml:3:15: error: replications: expected a positive integer up to 100000 "
     "(TC_LIMIT_REPLICATIONS in tcsim/limits.h), got \"100001\"\n"},
    /* 1e10 trucks a replication pass; 2 x 6e9 do not, and the biggest stream is named. */
    {"name: t\nhorizon: 1000 d\n"
     "arrivals: [{to: a, rate: 1e7/d}]\nstations: {a: {servers: unlimited, service: 0}}\n",
     ""},
    {"name: t\nhorizon: 1000 d\n"
     "arrivals: [{to: a, rate: 5e6/d}, {to: a, rate: 1e6/d, batch: 7}]\n"
     "stations: {a: {servers: unlimited, service: 0}}\n",
     "t.yaml:3:34: error: arrivals[1]: about 1.2e+10 trucks would arrive in each replication "
     "(this stream: 7e+09), more than 10000000000 (TC_LIMIT_ARRIVALS in tcsim/limits.h): check "
     "rate, batch and horizon\n"},
    /* A rate_factor event counts at its largest: 1e6/d x 20 over 1000 d. */
    {"name: t\nhorizon: 1000 d\n"
     "arrivals: [{name: s, to: a, rate: 1e6/d}]\n"
     "stations: {a: {servers: unlimited, service: 0}}\n"
     "events: [{arrivals: s, at: 1 d, rate_factor: 20}]\n",
     "t.yaml:3:12: error: arrivals[0]: about 2e+10 trucks would arrive in each replication "
     "(this stream: 2e+10), more than 10000000000 (TC_LIMIT_ARRIVALS in tcsim/limits.h): check "
     "rate, batch and horizon\n"},
    /* 10001 replications x 1001 samples x 2 series (a station and its road) = 20022002 rows. */
    {"name: t\nhorizon: 10 d\nsample_every: 0.01 d\nreplications: 10001\n"
     "arrivals: [{to: a, rate: 1/h}]\nstations: {a: {service: 1}}\n",
     "t.yaml:4:15: error: replications: timeseries.csv would have 20022002 rows (10001 "
     "replications x 1001 samples x 2 stations and roads), more than 20000000 "
     "(TC_LIMIT_SERIES_ROWS in tcsim/limits.h): raise sample_every or lower replications\n"},
};

START_TEST(test_limit_run_bounds_values_and_run_size)
{
    for (size_t i = 0; i < sizeof(run_cases) / sizeof(run_cases[0]); i++) {
        struct tc_diags d;
        struct tc_scenario *sc;
        char *s;

        tc_diags_init(&d);
        sc = tc_scenario_load_string(run_cases[i].text, strlen(run_cases[i].text), "t.yaml", NULL,
                                     NULL, 0, &d);
        s = diag_text(&d);
        ck_assert_msg(strcmp(s, run_cases[i].diags) == 0, "case %zu:\ngot:\n%s\nwant:\n%s", i, s,
                      run_cases[i].diags);
        ck_assert_msg(d.n_err == 0 ? sc != NULL : sc == NULL, "case %zu", i);
        free(s);
        tc_scenario_free(sc);
        tc_diags_fini(&d);
    }
}
END_TEST

/* stations x classes, streams, and results (replications x metrics). */
START_TEST(test_limit_products)
{
    TC_VEC(char) v = {0};
    char line[96];
    char *s;

    /* 1000 classes x 1000 stations pass; one station more does not. */
    for (int i = 0; i <= 2001; i++) {
        int n = i == 0      ? snprintf(line, sizeof(line),
                                       "name: t\nhorizon: 1 d\narrivals: [{to: s0, class: c0, "
                                            "rate: 1/h}]\nclasses:\n")
                : i <= 1000 ? snprintf(line, sizeof(line), "  c%d:\n", i - 1)
                : i == 1001 ? snprintf(line, sizeof(line), "stations:\n")
                            : snprintf(line, sizeof(line), "  s%d: {service: 1}\n", i - 1002);

        TC_VEC_GROW(v, v.n + (size_t)n + 1);
        memcpy(v.v + v.n, line, (size_t)n + 1);
        v.n += (size_t)n;
    }
    {
        struct tc_diags d;
        struct tc_scenario *sc;

        /* 1000 stations x 1000 classes: at the limit, and its results too. */
        tc_diags_init(&d);
        sc = tc_scenario_load_string(v.v, v.n, "t.yaml", NULL, NULL, 0, &d);
        s = diag_text(&d);
        ck_assert_str_eq(s, "");
        ck_assert_uint_eq(sc->n_stations, 1000);
        free(s);
        tc_scenario_free(sc);
        tc_diags_fini(&d);
        /* One station more. */
        TC_VEC_GROW(v, v.n + 32);
        v.n += (size_t)snprintf(v.v + v.n, 32, "  s1000: {service: 1}\n");
        tc_diags_init(&d);
        ck_assert_ptr_null(tc_scenario_load_string(v.v, v.n, "t.yaml", NULL, NULL, 0, &d));
        s = diag_text(&d);
        ck_assert_str_eq(s, "t.yaml:1006:3: error: stations: 1001 stations x 1000 classes make "
                            "1001000 per-class station statistics, more than 1000000 "
                            "(TC_LIMIT_STATION_CLASSES in tcsim/limits.h)\n");
        free(s);
        tc_diags_fini(&d);
        /* 1000 x 1000 with 10 replications: 10 x (14000 + 2000000 + 20000 + 3 + 22) results. */
        v.n -= strlen("  s1000: {service: 1}\n");
        v.v[v.n] = '\0';
        {
            char *t = repeat("replications: 10\n", "", 0, v.v);

            tc_diags_init(&d);
            ck_assert_ptr_null(tc_scenario_load_string(t, strlen(t), "t.yaml", NULL, NULL, 0, &d));
            s = diag_text(&d);
            ck_assert_str_eq(s, "t.yaml:1:15: error: replications: the run would keep 20340250 "
                                "results in memory (10 replications x 2034025 metrics), more "
                                "than 20000000 (TC_LIMIT_RESULTS in tcsim/limits.h): lower "
                                "replications\n");
            free(s);
            tc_diags_fini(&d);
            free(t);
        }
    }
    free(v.v);
    s = repeat("name: t\nhorizon: 1 d\nstations: {a: {service: 1}}\narrivals:\n",
               "  - {to: a, rate: 1/h}\n", 10001, "");
    {
        struct tc_diags d;

        tc_diags_init(&d);
        ck_assert_ptr_null(tc_scenario_load_string(s, strlen(s), "t.yaml", NULL, NULL, 0, &d));
        free(s);
        s = diag_text(&d);
        ck_assert_str_eq(s, "t.yaml:5:3: error: arrivals: 10001 arrival streams, more than "
                            "10000 (TC_LIMIT_STREAMS in tcsim/limits.h)\n");
        tc_diags_fini(&d);
        free(s);
    }
}
END_TEST

/* At most 1000 diagnostics, then one that counts the rest; warnings alone still load. */
START_TEST(test_limit_diags)
{
    char *t, *s;
    struct tc_diags d;
    struct tc_scenario *sc;

    /* 1500 unknown keys "z", 1499 of them duplicates: 2999 errors. */
    t = repeat("name: t\nhorizon: 1 d\narrivals: [{to: a, rate: 1/h}]\n"
               "stations: {a: {service: 1}}\n",
               "z: 1\n", 1500, "");
    tc_diags_init(&d);
    ck_assert_ptr_null(tc_scenario_load_string(t, strlen(t), "t.yaml", NULL, NULL, 0, &d));
    ck_assert_uint_eq(d.n, 1001);
    ck_assert_uint_eq(d.n_err, 1001);
    tc_diags_sort(&d);
    s = tc_xmalloc(512);
    tc_diag_format(&d.v[0], s, 512);
    ck_assert_str_eq(s, "t.yaml: error: too many problems: the first 1000 are shown, 1999 more are "
                        "not, and parts of the file may not have been checked (TC_LIMIT_DIAGS in "
                        "tcsim/limits.h)");
    free(s);
    tc_diags_fini(&d);
    free(t);
    /* 1001 overloaded stations, each its own stream: 1001 warnings, and the file loads. */
    {
        TC_VEC(char) v = {0};
        char line[96];

        for (int i = 0; i <= 2003; i++) {
            int n = i == 0 ? snprintf(line, sizeof(line), "name: t\nhorizon: 1 d\narrivals:\n")
                    : i <= 1001
                        ? snprintf(line, sizeof(line), "  - {to: s%d, rate: 2/min}\n", i - 1)
                    : i == 1002 ? snprintf(line, sizeof(line), "stations:\n")
                                : snprintf(line, sizeof(line), "  s%d: {service: 1}\n", i - 1003);

            TC_VEC_GROW(v, v.n + (size_t)n + 1);
            memcpy(v.v + v.n, line, (size_t)n + 1);
            v.n += (size_t)n;
        }
        tc_diags_init(&d);
        sc = tc_scenario_load_string(v.v, v.n, "t.yaml", NULL, NULL, 0, &d);
        ck_assert_ptr_nonnull(sc);
        ck_assert_uint_eq(d.n_err, 0);
        ck_assert_uint_eq(d.n_warn, 1001);
        tc_diags_sort(&d);
        s = tc_xmalloc(512);
        tc_diag_format(&d.v[0], s, 512);
        ck_assert_str_eq(s, "t.yaml: warning: too many problems: the first 1000 are shown, 1 more "
                            "is not, and parts of the file may not have been checked "
                            "(TC_LIMIT_DIAGS in tcsim/limits.h)");
        free(s);
        tc_scenario_free(sc);
        tc_diags_fini(&d);
        free(v.v);
    }
}
END_TEST

/* ==== Robustness ==== */

/* Every prefix of a valid file loads or fails cleanly (ASan/UBSan builds check the rest). */
START_TEST(test_prefixes_load_or_fail_cleanly)
{
    size_t len = strlen(design);

    make_tmpdir();
    /* Every third length: each kind of token still gets cut (ASan runs stay short). */
    for (size_t n = 0; n <= len; n += 3) {
        struct tc_diags d;
        struct tc_scenario *sc;

        tc_diags_init(&d);
        sc = tc_scenario_load_string(design, n, "t.yaml", tmpdir, NULL, 0, &d);
        ck_assert(sc == NULL ? d.n_err > 0 : d.n_err == 0);
        tc_scenario_free(sc);
        tc_diags_fini(&d);
    }
}
END_TEST

/* Single-byte mutations from a fixed LCG: the same never-crash contract. */
START_TEST(test_mutations_load_or_fail_cleanly)
{
    static const char subst[] = ":-[]{}\n #,0x\"&*!|>";
    size_t len = strlen(design);
    char *buf = tc_xmalloc(len + 1);
    uint64_t state = 12345;

    make_tmpdir();
    for (int k = 0; k < 600; k++) {
        struct tc_diags d;
        struct tc_scenario *sc;
        size_t at;

        memcpy(buf, design, len + 1);
        for (int m = 0; m < 1 + k % 3; m++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            at = (size_t)(state >> 33) % len;
            buf[at] = subst[(state >> 20) % (sizeof(subst) - 1)];
        }
        tc_diags_init(&d);
        sc = tc_scenario_load_string(buf, len, "t.yaml", tmpdir, NULL, 0, &d);
        ck_assert(sc == NULL ? d.n_err > 0 : d.n_err == 0);
        tc_scenario_free(sc);
        tc_diags_fini(&d);
    }
    free(buf);
}
END_TEST

static void teardown(void)
{
    remove_tmpdir();
}

static Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("load");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_design_scenario_loads_exact_structs);
    tcase_add_test(tc, test_defaults_fill_omitted_keys);
    tcase_add_test(tc, test_time_unit_and_forms);
    tcase_add_test(tc, test_trace_class_column_sets_class_per_row);
    tcase_add_test(tc, test_load_file_positions_and_trace_paths);
    tcase_add_test(tc, test_overrides_apply_through_loader);
    suite_add_tcase(s, tc);
    tc = tcase_create("emit");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_loop_test(tc, test_emit_round_trip, 0,
                        (int)(sizeof(round_trip) / sizeof(round_trip[0])));
    tcase_add_test(tc, test_emit_text_writes_exact_yaml);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_add_test(tc, test_limit_depth);
    tcase_add_test(tc, test_limit_aliases);
    tcase_add_test(tc, test_limit_counts_yaml);
    tcase_add_test(tc, test_limit_counts_model);
    tcase_add_test(tc, test_limit_run_bounds_values_and_run_size);
    tcase_add_test(tc, test_limit_products);
    tcase_add_test(tc, test_limit_diags);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    tc = tcase_create("robustness");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_prefixes_load_or_fail_cleanly);
    tcase_add_test(tc, test_mutations_load_or_fail_cleanly);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(scenario_suite)
