/*
** series: the text of timeseries.csv built from samples fed as threads feed
** them (replications interleaved, in any order), checked byte for byte
** against lines formatted independently with snprintf; across many 64 KiB
** chunks; with the scratch file and without (TMPDIR unusable: the text
** stays in memory, same bytes); a replication never ended (a stopped run);
** text formatted elsewhere and put whole (MPI); and reading values back
** exactly.
*/
#include <stdlib.h>
#include <string.h>

#include "tc_check.h"
#include "tcsim/metrics.h"
#include "tcsim/scenario.h"
#include "tcsim/series.h"

/* Two stations (one with a comma and a quote in its name) and a road at the first. */
static const char yaml[] =
    "name: series\n"
    "horizon: 100\n"
    "sample_every: 0.5\n"
    "arrivals:\n  - {to: 'yard, \"north\"', rate: 1/min}\n"
    "stations:\n"
    "  'yard, \"north\"': {servers: 1, capacity: 3, service: 1, next: gate}\n"
    "  gate: {servers: 2, service: 1}\n";

static struct tc_scenario *sc;
static struct tc_metrics m;

static void setup(void)
{
    struct tc_diags d;
    tc_diags_init(&d);
    sc = tc_scenario_load_string(yaml, strlen(yaml), "series.yaml", NULL, NULL, 0, &d);
    if (!sc)
        tc_diags_print(&d, stderr);
    tc_diags_fini(&d);
    ck_assert_ptr_nonnull(sc);
    tc_metrics_init(&m, sc);
    ck_assert_uint_eq(m.n_roads, 1);
}

static void teardown(void)
{
    tc_metrics_fini(&m);
    tc_scenario_free(sc);
}

/* The value of replication r, sample k, row j, column c: integers and a few fractions. */
static double value(uint32_t r, uint32_t k, uint32_t j, int c)
{
    double v = 1000.0 * r + 7.0 * k + 3.0 * j + c;
    return (k + j) % 5 == 0 ? v / 3 : v;
}

static void put_all(struct tc_series *s, uint32_t n_reps, uint32_t n_samples)
{
    double rows[3 * TC_TS__COUNT];
    /* one sample of each replication in turn, the replications backwards */
    for (uint32_t k = 0; k < n_samples; k++)
        for (uint32_t r = n_reps; r-- > 0;) {
            for (uint32_t j = 0; j < 3; j++)
                for (int c = 0; c < TC_TS__COUNT; c++)
                    rows[j * TC_TS__COUNT + c] = value(r, k, j, c);
            tc_series_put(s, r, k, rows);
        }
}

/* The expected text, formatted line by line with snprintf. */
static char *expected(uint32_t n_reps, uint32_t n_samples, size_t *len)
{
    const char *names[3] = {"\"yard, \"\"north\"\"\"", "gate", "\"road:yard, \"\"north\"\"\""};
    size_t cap = 64 + (size_t)n_reps * n_samples * 3 * 160, n = 0;
    char *t = malloc(cap);
    n += (size_t)snprintf(t, cap, "rep,t,station,present,waiting,busy,blocked\n");
    for (uint32_t r = 0; r < n_reps; r++)
        for (uint32_t k = 0; k < n_samples; k++)
            for (uint32_t j = 0; j < 3; j++) {
                /* t always with a point: 0.0, 0.5, 1.0, ... */
                n += (size_t)snprintf(t + n, cap - n, "%u,%.1f,%s", r + 1, k * 0.5, names[j]);
                for (int c = 0; c < TC_TS__COUNT; c++) {
                    double v = value(r, k, j, c);
                    char b[40];
                    snprintf(b, sizeof(b), "%.15g", v);
                    if (strtod(b, NULL) != v)
                        snprintf(b, sizeof(b), "%.17g", v);
                    n += (size_t)snprintf(t + n, cap - n, ",%s", b);
                }
                n += (size_t)snprintf(t + n, cap - n, "\n");
            }
    *len = n;
    return t;
}

static char *written(const struct tc_series *s, size_t *len)
{
    char *t = NULL;
    FILE *f = open_memstream(&t, len);
    ck_assert_int_eq(tc_series_write_csv(s, f), 0);
    fclose(f);
    return t;
}

/* timeseries.csv from s is exactly the expected text. */
static void assert_expected(const struct tc_series *s, uint32_t n_reps, uint32_t n_samples)
{
    size_t n_got, n_want;
    char *got = written(s, &n_got), *want = expected(n_reps, n_samples, &n_want);
    ck_assert_uint_eq(n_got, n_want);
    ck_assert(memcmp(got, want, n_got) == 0);
    free(got);
    free(want);
}

static void check_bytes(uint32_t n_reps, uint32_t n_samples)
{
    struct tc_series *s = tc_series_new(sc, &m, n_reps);
    put_all(s, n_reps, n_samples);
    for (uint32_t r = 0; r < n_reps; r++)
        tc_series_end_rep(s, r);
    assert_expected(s, n_reps, n_samples);
    tc_series_free(s);
}

START_TEST(test_bytes_round_trip_small_series)
{
    check_bytes(2, 3);
}
END_TEST

/* 4 x 20,000 x 3 rows, about 6 MB: about a hundred chunks, interleaved in the file. */
START_TEST(test_many_chunks)
{
    check_bytes(4, 20000);
}
END_TEST

START_TEST(test_in_memory_when_no_scratch)
{
    char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    setenv("TMPDIR", "/nonexistent/tcsim", 1);
    check_bytes(3, 5000);
    if (old)
        setenv("TMPDIR", old, 1);
    else
        unsetenv("TMPDIR");
    free(old);
}
END_TEST

START_TEST(test_put_rep_and_unended)
{
    struct tc_series *s = tc_series_new(sc, &m, 2);
    double all[4 * 3 * TC_TS__COUNT];
    for (uint32_t r = 0; r < 2; r++) {
        for (uint32_t k = 0; k < 4; k++)
            for (uint32_t j = 0; j < 3; j++)
                for (int c = 0; c < TC_TS__COUNT; c++)
                    all[(k * 3 + j) * TC_TS__COUNT + c] = value(r, k, j, c);
        if (r == 0) {
            tc_series_put_rep(s, 0, 4, all);
        } else { /* fed, never ended: a stopped run still writes what it has */
            for (uint32_t k = 0; k < 4; k++)
                tc_series_put(s, 1, k, all + k * 3 * TC_TS__COUNT);
        }
    }
    assert_expected(s, 2, 4);
    tc_series_free(s);
}
END_TEST

START_TEST(test_get_returns_exact_row_or_minus_one)
{
    struct tc_series *s = tc_series_new(sc, &m, 3);
    put_all(s, 3, 3000);
    for (uint32_t r = 0; r < 3; r++)
        tc_series_end_rep(s, r);
    double row[TC_TS__COUNT];
    const uint32_t ks[] = {0, 1, 1499, 2999};
    for (uint32_t r = 0; r < 3; r++)
        for (size_t i = 0; i < 4; i++)
            for (uint32_t j = 0; j < 3; j++) {
                ck_assert_int_eq(tc_series_get(s, r, ks[i], j, row), 0);
                for (int c = 0; c < TC_TS__COUNT; c++)
                    ck_assert(row[c] == value(r, ks[i], j, c)); /* exact, fractions too */
            }
    ck_assert_int_eq(tc_series_get(s, 0, 3000, 0, row), -1);
    ck_assert_int_eq(tc_series_get(s, 3, 0, 0, row), -1);
    ck_assert_int_eq(tc_series_get(s, 0, 0, 3, row), -1);
    tc_series_free(s);
}
END_TEST

/* Formatted elsewhere (an MPI worker) and put as text: the same bytes as fed sample by sample. */
START_TEST(test_format_and_put_text)
{
    enum { REPS = 3, SAMPLES = 7000 }; /* ~0.8 MB a replication: memory and the file */
    struct tc_series *fmt = tc_series_new(sc, &m, REPS), *s = tc_series_new(sc, &m, REPS);
    double *all = malloc((size_t)SAMPLES * 3 * TC_TS__COUNT * sizeof(double));
    for (uint32_t r = REPS; r-- > 0;) {
        for (uint32_t k = 0; k < SAMPLES; k++)
            for (uint32_t j = 0; j < 3; j++)
                for (int c = 0; c < TC_TS__COUNT; c++)
                    all[((size_t)k * 3 + j) * TC_TS__COUNT + c] = value(r, k, j, c);
        size_t len;
        char *text = tc_series_format_rep(fmt, r, SAMPLES, all, &len);
        tc_series_put_text(s, r, text, len);
    }
    free(all);
    assert_expected(s, REPS, SAMPLES);
    tc_series_free(fmt);
    tc_series_free(s);
}
END_TEST

static Suite *series_suite(void)
{
    Suite *s = suite_create("series");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_bytes_round_trip_small_series);
    tcase_add_test(tc, test_many_chunks);
    tcase_add_test(tc, test_in_memory_when_no_scratch);
    tcase_add_test(tc, test_put_rep_and_unended);
    tcase_add_test(tc, test_get_returns_exact_row_or_minus_one);
    tcase_add_test(tc, test_format_and_put_text);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(series_suite)
