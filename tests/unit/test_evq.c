/* evq: ordering by time, then kind rank, then insertion; growth; lazy reuse; the
** root left empty by pop; compaction of dead entries keeps the order. */
#include <gsl/gsl_rng.h>

#include "engine/evq.h"
#include "tc_check.h"

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

static int alive(void *ud, const struct tc_ev *ev)
{
    return !((const char *)ud)[ev->obj];
}

START_TEST(compact_keeps_order)
{
    /* the same pushes and pops into two queues; entries die at random; one queue is
       compacted now and then, the other skips dead entries when it pops them: both
       give the same live entries in the same order */
    enum { N = 60000 };
    static char dead[N];
    struct tc_evq a, b;
    tc_evq_init(&a, rank);
    tc_evq_init(&b, rank);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    double now = 0;
    size_t popped = 0, compactions = 0;
    struct tc_ev ea, eb;
    for (uint32_t i = 0; i < N; i++) {
        double t = now + (double)gsl_rng_uniform_int(r, 100);
        uint32_t kind = (uint32_t)gsl_rng_uniform_int(r, 4);
        tc_evq_push(&a, t, kind, i, 0, 0);
        tc_evq_push(&b, t, kind, i, 0, 0);
        if (i > 10 && gsl_rng_uniform(r) < 0.6)
            dead[gsl_rng_uniform_int(r, i)] = 1;
        if (i % 5000 == 4999) {
            size_t before = tc_evq_len(&b);
            tc_evq_compact(&b, alive, dead);
            ck_assert_uint_lt(tc_evq_len(&b), before);
            compactions++;
        }
        if (gsl_rng_uniform(r) < 0.4) {
            do
                ck_assert(tc_evq_pop(&a, &ea));
            while (dead[ea.obj] && tc_evq_len(&a));
            if (dead[ea.obj])
                continue;
            do
                ck_assert(tc_evq_pop(&b, &eb));
            while (dead[eb.obj]);
            ck_assert_uint_eq(ea.obj, eb.obj);
            ck_assert(ea.t == eb.t && ea.key == eb.key);
            now = ea.t;
            popped++;
        }
    }
    ck_assert_uint_eq(compactions, 12);
    ck_assert_uint_gt(popped, 10000);
    gsl_rng_free(r);
    tc_evq_fini(&a);
    tc_evq_fini(&b);
}
END_TEST

START_TEST(peek_and_len_after_pop)
{
    /* pop leaves the root empty until the next push or pop: len and peek do not show it */
    struct tc_evq q;
    tc_evq_init(&q, rank);
    for (uint32_t i = 0; i < 10; i++)
        tc_evq_push(&q, (double)(10 - i), 0, i, 0, 0);
    struct tc_ev e;
    ck_assert(tc_evq_pop(&q, &e));
    ck_assert_double_eq(e.t, 1);
    ck_assert_uint_eq(tc_evq_len(&q), 9);
    ck_assert_double_eq(tc_evq_peek(&q)->t, 2);
    ck_assert(tc_evq_pop(&q, &e));
    tc_evq_push(&q, 2.5, 0, 99, 0, 0); /* takes the popped root's place */
    ck_assert_uint_eq(tc_evq_len(&q), 9);
    ck_assert(tc_evq_pop(&q, &e));
    ck_assert_uint_eq(e.obj, 99);
    for (double t = 3; t <= 10; t++) {
        ck_assert(tc_evq_pop(&q, &e));
        ck_assert_double_eq(e.t, t);
    }
    ck_assert(!tc_evq_pop(&q, &e));
    ck_assert_uint_eq(tc_evq_len(&q), 0);
    ck_assert_ptr_null(tc_evq_peek(&q));
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
    tcase_add_test(tc, compact_keeps_order);
    tcase_add_test(tc, peek_and_len_after_pop);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(suite)
