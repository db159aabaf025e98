/*
** engine: memory grows with the trucks present, not the trucks simulated.
** A station that rejects when full bounds the trucks present, so once the
** slab and the event heap have grown to their peak, a replication four
** times longer must make exactly as many allocations.
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

static Suite *suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("memory");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, allocations_flat_in_horizon);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(suite)
