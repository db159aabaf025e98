/*
** engine: memory grows with the trucks present, not the trucks simulated.
** A station that rejects when full bounds the trucks present, so once the
** slab and the event heap have grown to their peak, a replication four
** times longer must make exactly as many allocations.
**
** And the state adds up at every sample of a small congested network.
**
** And engines sharing a truck budget reserve from it in whole chunks and
** give everything back when freed.
*/
#include <string.h>

#include "base/xmem.h"
#include "engine/rng.h"
#include "tc_check.h"
#include "tcsim/engine.h"
#include "tcsim/scenario.h"

/* Overloaded (2 arrivals a minute, 1.67 served): the station fills its 2,000
   places within ~6,000 min and stays full, so the slab grows well past its
   first 256 slots and then never again. */
#define YAML_FMT                                                                                   \
    "name: bounded\n"                                                                              \
    "horizon: %s\n"                                                                                \
    "arrivals: [{to: q, rate: 2/min}]\n"                                                           \
    "stations:\n"                                                                                  \
    "  q: {servers: 2, capacity: 2000, when_full: reject,\n"                                       \
    "      service: {dist: exponential, mean: 1.2}}\n"

/*
** Booked through a shared pool with a quota change: about 2 x 60 trucks
** booked at once, the slots booked at most two ahead, so the slab, the
** heap and the pool's ring of slot counts reach their peaks early.
*/
#define YAML_POOL_FMT                                                                              \
    "name: pooled\n"                                                                               \
    "horizon: %s\n"                                                                                \
    "bookings: {p: {slot: 60, per_slot: 200}}\n"                                                   \
    "arrivals: [{to: q, rate: 1/min, booking: p}, {to: q, rate: 1/min, booking: p}]\n"             \
    "stations:\n"                                                                                  \
    "  q: {servers: 2, capacity: 50, when_full: reject,\n"                                         \
    "      service: {dist: exponential, mean: 1.2}}\n"                                             \
    "events: [{pool: p, at: 1000, per_slot: 180}]\n"

/* The same bound by diversion: a stream choosing between two such stations
   leaves above 1000 present at the better, and their next: is a choice too. */
#define YAML_CHOICE_FMT                                                                            \
    "name: diverting\n"                                                                            \
    "horizon: %s\n"                                                                                \
    "arrivals: [{to: {choose: fewest_present, among: [a, b], divert_above: 1000}, rate: 4/min}]\n" \
    "stations:\n"                                                                                  \
    "  a: {servers: 2, service: {dist: exponential, mean: 1.2},\n"                                 \
    "      next: {choose: most_room, among: [c, d], divert_above: 50}}\n"                          \
    "  b: {servers: 2, service: {dist: exponential, mean: 1.2},\n"                                 \
    "      next: {choose: shortest_expected_wait, among: [c, d]}}\n"                               \
    "  c: {servers: unlimited, capacity: 5, service: 1}\n"                                         \
    "  d: {servers: unlimited, capacity: 5, service: 1}\n"

enum alloc_case { PLAIN, POOLED, CHOICE };

/* Allocations made by one replication of the scenario of this case with this horizon. */
static uint64_t allocs_fmt(enum alloc_case c, const char *horizon, uint64_t *out_trucks,
                           size_t *out_peak)
{
    char text[1024];
    if (c == POOLED)
        snprintf(text, sizeof(text), YAML_POOL_FMT, horizon);
    else if (c == CHOICE)
        snprintf(text, sizeof(text), YAML_CHOICE_FMT, horizon);
    else
        snprintf(text, sizeof(text), YAML_FMT, horizon);
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc = tc_scenario_load_string(text, strlen(text), "t", NULL, NULL, 0, &d);
    ck_assert_ptr_nonnull(sc);
    tc_diags_fini(&d);
    struct tc_metrics m;
    tc_metrics_init(&m, sc);
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, 5, 1);
    double *vals = calloc(m.n, sizeof(double));

    uint64_t before = tc_xmem_count();
    struct tc_engine *e = tc_engine_new(sc, &m, 0, seeds);
    tc_engine_run(e, vals, NULL);
    uint64_t n = tc_xmem_count() - before;
    *out_trucks = tc_engine_n_trucks(e);
    *out_peak = tc_engine_peak_trucks(e);

    tc_engine_free(e);
    free(vals);
    free(seeds);
    tc_metrics_fini(&m);
    tc_scenario_free(sc);
    return n;
}

static uint64_t allocs_for(const char *horizon, uint64_t *out_trucks, size_t *out_peak)
{
    return allocs_fmt(PLAIN, horizon, out_trucks, out_peak);
}

START_TEST(allocations_flat_booked)
{
    uint64_t t1, t4;
    size_t p1, p4;
    uint64_t a1 = allocs_fmt(POOLED, "50000", &t1, &p1);
    uint64_t a4 = allocs_fmt(POOLED, "200000", &t4, &p4);
    ck_assert_uint_gt(p1, 100); /* the booked trucks are in the slab */
    ck_assert_uint_gt(t4, 3 * t1);
    ck_assert_uint_eq(a4, a1);
}
END_TEST

/* Choosing a station and diverting allocate nothing either. */
START_TEST(allocations_flat_with_choice)
{
    uint64_t t1, t4;
    size_t p1, p4;
    uint64_t a1 = allocs_fmt(CHOICE, "50000", &t1, &p1);
    uint64_t a4 = allocs_fmt(CHOICE, "200000", &t4, &p4);
    ck_assert_uint_ge(p1, 2000); /* both stations filled to about 1000 */
    ck_assert_uint_le(p4, 2048); /* and never past: the slab stopped at 2048 */
    ck_assert_uint_gt(t4, 3 * t1);
    ck_assert_uint_eq(a4, a1);
}
END_TEST

START_TEST(allocations_flat_in_horizon)
{
    uint64_t t1, t4;
    size_t p1, p4;
    uint64_t a1 = allocs_for("50000", &t1, &p1);
    uint64_t a4 = allocs_for("200000", &t4, &p4);
    ck_assert_uint_ge(p1, 2000); /* the slab grew 256 -> 2048 in both */
    ck_assert_uint_eq(p1, p4);
    ck_assert_uint_gt(t4, 3 * t1); /* four times the trucks simulated ... */
    ck_assert_uint_eq(a4, a1);     /* ... and not one allocation more */
}
END_TEST

/*
** Two stations in tandem, both small, so trucks wait on the road, in the
** queues and blocked at the gate; class a gives up after 20 min (its
** patience events are cancelled or fire), class b waits practically for
** ever (its patience events pile up, cancelled, until the heap is
** compacted, with cancelled entries in hand: the engine's own TC_CHECKs on
** the cancellation count run in this build). A rate change for the stream
** that has ended cancels nothing. No failures: every truck at a station is
** waiting, busy or blocked.
*/
static const char INVARIANT_YAML[] =
    "name: invariants\n"
    "horizon: 50000\n"
    "warmup: 500\n"
    "sample_every: 10\n"
    "classes:\n"
    "  a: {priority: 1, patience: 20}\n"
    "  b: {priority: 2, patience: 100000}\n"
    "arrivals:\n"
    "  - {name: in_a, class: a, to: gate, rate: 0.4/min}\n"
    "  - {name: in_b, class: b, to: gate, rate: 0.55/min, end: 40000}\n"
    "stations:\n"
    "  gate: {servers: 2, capacity: 5, discipline: priority, next: yard,\n"
    "         service: {dist: exponential, mean: 1.6}}\n"
    "  yard: {servers: 1, capacity: 2, next: exit,\n"
    "         service: {dist: exponential, mean: 1.0}}\n"
    "events:\n"
    "  - {arrivals: in_b, at: 45000, rate_factor: 2}\n";

struct seen {
    uint32_t n_samples; /* rows seen, in order */
    uint32_t n_bad;     /* rows whose counts do not add up */
    uint32_t n_road;    /* samples with trucks on the gate's road */
    uint32_t n_blocked; /* samples with trucks blocked at the gate */
    uint32_t n_waiting; /* samples with trucks queued at the gate */
    uint32_t n_stations, n_roads;
    uint32_t servers[2], capacity[2];
};

static void check_sample(void *ud, uint32_t k, const double *rows)
{
    struct seen *s = ud;
    if (k != s->n_samples++)
        s->n_bad++;
    for (uint32_t i = 0; i < s->n_stations; i++) {
        const double *r = rows + (size_t)i * TC_TS__COUNT;
        double present = r[TC_TS_PRESENT], waiting = r[TC_TS_WAITING];
        double busy = r[TC_TS_BUSY], blocked = r[TC_TS_BLOCKED];
        if (present != waiting + busy + blocked || present > s->capacity[i] ||
            busy + blocked > s->servers[i] || waiting < 0 || busy < 0 || blocked < 0)
            s->n_bad++;
        if (i == 0) {
            s->n_blocked += blocked > 0;
            s->n_waiting += waiting > 0;
        }
    }
    for (uint32_t r = 0; r < s->n_roads; r++) {
        const double *row = rows + (size_t)(s->n_stations + r) * TC_TS__COUNT;
        if (row[TC_TS_PRESENT] != row[TC_TS_WAITING] || row[TC_TS_BUSY] != 0 ||
            row[TC_TS_BLOCKED] != 0)
            s->n_bad++;
        s->n_road += row[TC_TS_PRESENT] > 0;
    }
}

START_TEST(state_adds_up_at_every_sample)
{
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc =
        tc_scenario_load_string(INVARIANT_YAML, strlen(INVARIANT_YAML), "t", NULL, NULL, 0, &d);
    ck_assert_ptr_nonnull(sc);
    tc_diags_fini(&d);
    struct tc_metrics m;
    tc_metrics_init(&m, sc);
    ck_assert_uint_eq(m.n_roads, 1); /* the gate's road */
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, 11, 1);
    double *vals = calloc(m.n, sizeof(double));

    struct seen s = {.n_stations = 2, .n_roads = m.n_roads, .servers = {2, 1}, .capacity = {5, 2}};
    struct tc_engine *e = tc_engine_new(sc, &m, 0, seeds);
    tc_engine_set_sampler(e, check_sample, &s);
    tc_engine_run(e, vals, NULL);
    ck_assert_int_eq(tc_engine_status(e), TC_ENGINE_DONE);

    ck_assert_uint_eq(s.n_samples, 5001); /* 0, 10, ..., 50000 */
    ck_assert_uint_eq(s.n_bad, 0);
    /* the states the invariant is about do occur, and often */
    ck_assert_uint_gt(s.n_road, 500);
    ck_assert_uint_gt(s.n_blocked, 500);
    ck_assert_uint_gt(s.n_waiting, 500);

    tc_engine_free(e);
    free(vals);
    free(seeds);
    tc_metrics_fini(&m);
    tc_scenario_free(sc);
}
END_TEST

/* The bounded scenario's replication 0 on budget b, not freed. */
static struct tc_engine *run_on(struct tc_truck_budget *b, const struct tc_scenario *sc,
                                const struct tc_metrics *m, const uint32_t *seeds, double *vals)
{
    struct tc_engine *e = tc_engine_new(sc, m, 0, seeds);
    tc_engine_set_truck_budget(e, b);
    tc_engine_run(e, vals, NULL);
    return e;
}

START_TEST(truck_budget_shared)
{
    char text[512];
    snprintf(text, sizeof(text), YAML_FMT, "10000");
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc = tc_scenario_load_string(text, strlen(text), "t", NULL, NULL, 0, &d);
    ck_assert_ptr_nonnull(sc);
    tc_diags_fini(&d);
    struct tc_metrics m;
    tc_metrics_init(&m, sc);
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, 5, 1);
    double *vals = calloc(m.n, sizeof(double));

    struct tc_truck_budget b;
    tc_truck_budget_init(&b, 4000);
    struct tc_engine *a = run_on(&b, sc, &m, seeds, vals);
    ck_assert_int_eq(tc_engine_status(a), TC_ENGINE_DONE);
    /* the station holds 2,000 at most, plus a truck being rejected: two chunks */
    ck_assert_uint_ge(tc_engine_peak_trucks(a), 2000);
    ck_assert_uint_le(tc_engine_peak_trucks(a), 2 * TC_ENGINE_TRUCK_CHUNK);
    ck_assert_uint_eq(atomic_load(&b.left), 4000 - 2 * TC_ENGINE_TRUCK_CHUNK);
    /* a second one beside it gets the 1,952 left and stops short of 2,000 */
    struct tc_engine *c = run_on(&b, sc, &m, seeds, vals);
    ck_assert_int_eq(tc_engine_status(c), TC_ENGINE_TOO_MANY);
    ck_assert_uint_eq(atomic_load(&b.left), 0);
    tc_engine_free(c);
    ck_assert_uint_eq(atomic_load(&b.left), 4000 - 2 * TC_ENGINE_TRUCK_CHUNK);
    tc_engine_free(a);
    ck_assert_uint_eq(atomic_load(&b.left), 4000); /* all given back */
    /* alone, it fits again */
    a = run_on(&b, sc, &m, seeds, vals);
    ck_assert_int_eq(tc_engine_status(a), TC_ENGINE_DONE);
    tc_engine_free(a);
    ck_assert_uint_eq(atomic_load(&b.left), 4000);

    free(vals);
    free(seeds);
    tc_metrics_fini(&m);
    tc_scenario_free(sc);
}
END_TEST

/* A yard with service 0 sending each truck back to itself almost surely. */
static const char LOOP_YAML[] =
    "name: loop\n"
    "horizon: 1 d\n"
    "arrivals: [{to: yard, rate: 1/h}]\n"
    "stations:\n"
    "  yard: {servers: unlimited, service: 0,\n"
    "         next: [{to: yard, p: 0.9999999999}, {to: gate, p: 1e-10}]}\n"
    "  gate: {service: 5}\n";

START_TEST(stuck_at_one_instant)
{
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc =
        tc_scenario_load_string(LOOP_YAML, strlen(LOOP_YAML), "t", NULL, NULL, 0, &d);
    ck_assert_ptr_nonnull(sc);
    tc_diags_fini(&d);
    struct tc_metrics m;
    tc_metrics_init(&m, sc);
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, 1, 1);
    double *vals = calloc(m.n, sizeof(double));
    struct tc_engine *e = tc_engine_new(sc, &m, 0, seeds);
    tc_engine_run(e, vals, NULL);
    ck_assert_int_eq(tc_engine_status(e), TC_ENGINE_STUCK);
    ck_assert_uint_eq(tc_engine_stuck_station(e), 0); /* the yard */
    /* stopped at the first truck's arrival, once the bound was passed: with one
       truck present at 2 stations the bound is 10^7 + 64 x 1 x 2, and the
       instant's first event plus that many were processed; before it, the
       samples every 1440 / 500 = 2.88 min (the one at 0 is not an event) */
    double t = tc_engine_stop_time(e);
    ck_assert(t > 0 && t < 1440);
    uint64_t samples = (uint64_t)(t / 2.88);
    ck_assert_uint_eq(tc_engine_n_events(e), samples + 1 + TC_ENGINE_MAX_SAME_TIME + 128);
    tc_engine_free(e);
    free(vals);
    free(seeds);
    tc_metrics_fini(&m);
    tc_scenario_free(sc);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("memory");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, allocations_flat_in_horizon);
    tcase_add_test(tc, allocations_flat_booked);
    tcase_add_test(tc, allocations_flat_with_choice);
    tcase_add_test(tc, truck_budget_shared);
    suite_add_tcase(s, tc);
    TCase *inv = tcase_create("invariants");
    tcase_set_timeout(inv, 60);
    tcase_add_test(inv, state_adds_up_at_every_sample);
    tcase_add_test(inv, stuck_at_one_instant);
    suite_add_tcase(s, inv);
    return s;
}

TC_CHECK_MAIN(suite)
