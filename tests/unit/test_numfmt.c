/*
** numfmt: tc_numfmt_fixed6 against printf("%.6f") with trailing zeros
** dropped, byte for byte, on edge cases (ties j/128, which x * 10^6 puts
** exactly half-way, powers of ten, subnormals, -0, integers, the end of
** the exact range) and on millions of random doubles of every magnitude up
** to the range; and that what it writes reads back (strtod) within half a
** unit of the sixth decimal.
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/numfmt.h"
#include "tc_check.h"

/* printf's text, zeros and a bare point dropped, "-0" as "0". */
static void reference(double x, char *buf, size_t len)
{
    snprintf(buf, len, "%.6f", x);
    char *e = buf + strlen(buf);
    while (e[-1] == '0')
        *--e = '\0';
    if (e[-1] == '.')
        *--e = '\0';
    if (strcmp(buf, "-0") == 0)
        memcpy(buf, "0", 2);
}

/* 0 when fixed6(x) is printf's text and reads back within 5e-7 (+ the read's own rounding). */
static int check_one(double x)
{
    char got[TC_NUMFMT_LEN], want[400];
    char *end = tc_numfmt_fixed6(x, got);
    reference(x, want, sizeof(want));
    if (end != got + strlen(got) || strcmp(got, want) != 0) {
        fprintf(stderr, "x = %a: got \"%s\", want \"%s\"\n", x, got, want);
        return 1;
    }
    double back = strtod(got, NULL);
    if (!(fabs(back - x) <= 5e-7 + 4 * DBL_EPSILON * fabs(x))) {
        fprintf(stderr, "x = %a: \"%s\" reads back %a\n", x, got, back);
        return 1;
    }
    return 0;
}

START_TEST(test_edge_cases)
{
    static const struct {
        double x;
        const char *want;
    } cases[] = {
        {0.0, "0"},
        {-0.0, "0"},
        {420, "420"},
        {-7, "-7"},
        {0.5, "0.5"},
        {0.0078125, "0.007812"}, /* 1/128: 7812.5 millionths, a tie, to even */
        {0.0234375, "0.023438"}, /* 3/128: 23437.5, to even (up) */
        {438.03718187851882, "438.037182"},
        {0.1, "0.1"},
        {1e-7, "0"},
        {-4e-7, "0"}, /* rounds to zero: no "-0" */
        {5e-7, "0"},  /* a hair below 5e-7 in binary */
        {6e-7, "0.000001"},
        {5e-324, "0"},                             /* the smallest subnormal */
        {525600, "525600"},                        /* 365 days in minutes */
        {999999.9999995, "999999.999999"},         /* a hair below the tie in binary */
        {4503599626.9999995, "4503599626.999999"}, /* near the end of the exact range */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got[TC_NUMFMT_LEN];
        tc_numfmt_fixed6(cases[i].x, got);
        ck_assert_msg(strcmp(got, cases[i].want) == 0, "case %zu: got \"%s\", want \"%s\"", i, got,
                      cases[i].want);
        ck_assert_int_eq(check_one(cases[i].x), 0);
    }
    int bad = 0;
    for (int j = 1; j < 200000; j++) /* every tie j/128 up to 1562.5 */
        bad += check_one(j / 128.0) + check_one(-j / 128.0);
    for (int k = -330; k <= 9; k++) /* powers of ten, and their neighbours */
        for (int s = -1; s <= 1; s++) {
            double x = pow(10.0, k);
            x = s < 0 ? nextafter(x, 0) : s > 0 ? nextafter(x, (double)INFINITY) : x;
            bad += check_one(x);
        }
    for (double x = DBL_MIN; x > 0; x /= 3) /* subnormals */
        bad += check_one(x);
    for (int64_t i = 0; i < 100000; i++) /* integers and halves of millionths */
        bad += check_one((double)(i * 45035)) + check_one((double)i + 0.0000005);
    ck_assert_int_eq(bad, 0);
    char got[TC_NUMFMT_LEN];
    tc_numfmt_fixed6(1e10, got); /* past the exact range: the summary files' form */
    ck_assert_str_eq(got, "10000000000");
    tc_numfmt_fixed6(1e300, got);
    ck_assert_str_eq(got, "1e+300");
    tc_numfmt_fixed6(12345678901.25, got);
    ck_assert_str_eq(got, "12345678901.25");
}
END_TEST

/* splitmix64: a fixed, portable stream of bit patterns */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

START_TEST(test_random_doubles_match_printf)
{
    uint64_t s = 20261207;
    int bad = 0;
    for (int i = 0; i < 2000000 && bad < 10; i++) {
        uint64_t u = next(&s);
        /* uniform over the exact range, and every binade from 2^-40 to 2^32 */
        double x = (double)(u >> 11) * 0x1p-53 * 4503599627.0;
        double y = ldexp((double)(u >> 11) * 0x1p-53 + 1.0, (int)(u % 72) - 40);
        if (u & 1)
            y = -y;
        double z;
        uint64_t bits = next(&s); /* any bit pattern, kept if finite */
        memcpy(&z, &bits, sizeof(z));
        bad += check_one(x) + check_one(y) + (isfinite(z) && fabs(z) < 4.5e9 ? check_one(z) : 0);
    }
    ck_assert_int_eq(bad, 0);
}
END_TEST

static Suite *numfmt_suite(void)
{
    Suite *s = suite_create("numfmt");
    TCase *tc = tcase_create("fixed6");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_edge_cases);
    tcase_add_test(tc, test_random_doubles_match_printf);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(numfmt_suite)
