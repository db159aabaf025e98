/* evq: ordering by time, then kind rank, then insertion; growth; lazy reuse. */
#include <gsl/gsl_rng.h>

#include "tc_check.h"
#include "tcsim/evq.h"

static const uint8_t rank[4] = {0, 1, 2, 9};

START_TEST(orders_by_time)
{
    struct tc_evq q;
    tc_evq_init(&q, rank);
    double ts[] = {5, 1, 4, 2, 3};
    for (uint32_t i = 0; i < 5; i++)
        tc_evq_push(&q, ts[i], 0, i, 0, 0);
    struct tc_ev e;
    double expect[] = {1, 2, 3, 4, 5};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(tc_evq_pop(&q, &e), 1);
        ck_assert_double_eq(e.t, expect[i]);
    }
    ck_assert_int_eq(tc_evq_pop(&q, &e), 0);
    tc_evq_fini(&q);
}
END_TEST

START_TEST(ties_by_rank_then_fifo)
{
    struct tc_evq q;
    tc_evq_init(&q, rank);
    /* same time: kind 3 (rank 9), kind 1, kind 0, kind 1 again, kind 0 again */
    uint32_t kinds[] = {3, 1, 0, 1, 0};
    for (uint32_t i = 0; i < 5; i++)
        tc_evq_push(&q, 7.0, kinds[i], i, 0, 0);
    uint32_t expect_obj[] = {2, 4, 1, 3, 0};
    struct tc_ev e;
    for (int i = 0; i < 5; i++) {
        ck_assert(tc_evq_pop(&q, &e));
        ck_assert_uint_eq(e.obj, expect_obj[i]);
    }
    tc_evq_fini(&q);
}
END_TEST

START_TEST(random_against_sorted)
{
    /* 100,000 random pushes and pops interleaved: every pop is the minimum */
    struct tc_evq q;
    tc_evq_init(&q, rank);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 42);
    double last = -1;
    uint64_t last_key = 0;
    double now = 0;
    for (int i = 0; i < 100000; i++) {
        tc_evq_push(&q, now + (double)gsl_rng_uniform_int(r, 50),
                    (uint32_t)gsl_rng_uniform_int(r, 4), (uint32_t)i, 0, 0);
        if (gsl_rng_uniform(r) < 0.45) {
            struct tc_ev e;
            ck_assert(tc_evq_pop(&q, &e));
            ck_assert(e.t > last || (e.t == last && e.key > last_key) || e.t >= now);
            ck_assert(e.t >= now);
            now = e.t;
            last = e.t;
            last_key = e.key;
        }
    }
    struct tc_ev e, prev = {0};
    int first = 1;
    while (tc_evq_pop(&q, &e)) {
        if (!first)
            ck_assert(e.t > prev.t || (e.t == prev.t && e.key > prev.key));
        prev = e;
        first = 0;
    }
    gsl_rng_free(r);
    tc_evq_fini(&q);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("evq");
    TCase *tc = tcase_create("order");
    tcase_add_test(tc, orders_by_time);
    tcase_add_test(tc, ties_by_rank_then_fifo);
    tcase_add_test(tc, random_against_sorted);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(suite)
