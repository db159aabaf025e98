/* rng: seed plans are deterministic, distinct, and stable under layout growth. */
#include <stdlib.h>

#include "engine/rng.h"
#include "tc_check.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

START_TEST(mix64_known_values)
{
    /* splitmix64 reference: state 0 -> first output 0xe220a8397b1dcdaf */
    ck_assert_uint_eq(tc_rng_mix64(0), 0xe220a8397b1dcdafULL);
}
END_TEST

START_TEST(plan_distinct_and_deterministic)
{
    struct tc_scenario sc = {.n_sources = 50, .n_stations = 100, .n_classes = 10};
    struct tc_rng_layout l;
    tc_rng_layout_init(&l, &sc);
    ck_assert_uint_eq(l.base[TC_STREAM__COUNT], 50 * 2 + 100 * 3 + 10);
    uint32_t n_reps = 300; /* 123,000 streams: collisions of 32-bit seeds are likely */
    uint32_t *a = tc_rng_plan_new(&l, 12345, n_reps);
    uint32_t *b = tc_rng_plan_new(&l, 12345, n_reps);
    size_t n = (size_t)n_reps * l.base[TC_STREAM__COUNT];
    ck_assert_mem_eq(a, b, n * sizeof(*a));
    qsort(b, n, sizeof(*b), cmp_u32);
    for (size_t i = 1; i < n; i++)
        ck_assert_uint_ne(b[i], b[i - 1]);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_ne(a[i], 0);
    free(a);
    free(b);
}
END_TEST

START_TEST(plan_common_streams_across_layouts)
{
    /* adding a station keeps every other stream's seed (common random numbers) */
    struct tc_scenario s1 = {.n_sources = 2, .n_stations = 3, .n_classes = 1};
    struct tc_scenario s2 = {.n_sources = 2, .n_stations = 4, .n_classes = 1};
    struct tc_rng_layout l1, l2;
    tc_rng_layout_init(&l1, &s1);
    tc_rng_layout_init(&l2, &s2);
    uint32_t *a = tc_rng_plan_new(&l1, 99, 2), *b = tc_rng_plan_new(&l2, 99, 2);
    for (uint32_t r = 0; r < 2; r++)
        for (int k = 0; k < TC_STREAM__COUNT; k++)
            for (uint32_t i = 0; i < l1.base[k + 1] - l1.base[k]; i++)
                ck_assert_uint_eq(a[r * l1.base[TC_STREAM__COUNT] + l1.base[k] + i],
                                  b[r * l2.base[TC_STREAM__COUNT] + l2.base[k] + i]);
    free(a);
    free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("plan");
    tcase_add_test(tc, mix64_known_values);
    tcase_add_test(tc, plan_distinct_and_deterministic);
    tcase_add_test(tc, plan_common_streams_across_layouts);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(suite)
