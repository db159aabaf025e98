/*
** engine: memory grows with the trucks present, not the trucks simulated.
** A station that rejects when full bounds the trucks present, so once the
** slab and the event heap have grown to their peak, a replication four
** times longer must make exactly as many allocations.
**
** And the state adds up at every sample of a small congested network.
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

/* Allocations made by one replication of the scenario with this horizon. */
static uint64_t allocs_for(const char *horizon, uint64_t *out_trucks, size_t *out_peak)
{
    char text[512];
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

static Suite *suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("memory");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, allocations_flat_in_horizon);
    suite_add_tcase(s, tc);
    TCase *inv = tcase_create("invariants");
    tcase_set_timeout(inv, 60);
    tcase_add_test(inv, state_adds_up_at_every_sample);
    suite_add_tcase(s, inv);
    return s;
}

TC_CHECK_MAIN(suite)
