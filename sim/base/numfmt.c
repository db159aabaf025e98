/*
** numfmt: x * 10^6 rounded to an integer, exactly as printf rounds, then
** the integer's digits with a point six from the right.
**
** The product p = fl(x * 10^6) is off the exact x * 10^6 by err, which
** fma gives exactly (10^6 is a double). With n = floor(p) and f = p - n
** (exact below 2^52), the exact fraction past n is f + err, and since
** |err| <= ulp(p)/2 it is in (-1/2, 1): rounding to nearest goes up when
** f + err > 1/2, down when < 1/2, to even at a tie. f - 1/2 is exact when
** f >= 1/4 (Sterbenz), and when f < 1/4 its sign cannot change by adding
** err (|err| <= 1/4 below 2^52); a floating-point sum is exactly zero only
** when the exact sum is, and otherwise has its sign, so the sign of
** (f - 1/2) + err decides the rounding with no error. tests/unit/test_numfmt
** checks the result against printf on millions of random doubles.
*/
#include "base/numfmt.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "base/jsonw.h"

/* 2^52 / 10^6: below it x * 10^6 < 2^52, where floor, f and the rounded integer are exact. */
#define FIXED_MAX 4503599627.0

char *tc_numfmt_fixed6(double x, char *p)
{
    double a = fabs(x);
    if (!(a < FIXED_MAX)) {
        tc_jsonw_format_number(x, p, TC_NUMFMT_LEN);
        return p + strlen(p);
    }
    double prod = a * 1e6;
    double err = fma(a, 1e6, -prod);
    double n = floor(prod);
    double d = ((prod - n) - 0.5) + err;
    uint64_t q = (uint64_t)n;
    if (d > 0 || (d == 0 && (q & 1)))
        q++;
    if (q == 0) {
        *p++ = '0';
        *p = '\0';
        return p;
    }
    char tmp[TC_NUMFMT_LEN], *s = tmp + sizeof(tmp);
    uint32_t frac = (uint32_t)(q % 1000000u);
    uint64_t ip = q / 1000000u;
    if (frac) {
        int k = 6;
        while (frac % 10 == 0) { /* trailing zeros dropped */
            frac /= 10;
            k--;
        }
        for (; k > 0; k--) {
            *--s = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--s = '.';
    }
    do
        *--s = (char)('0' + ip % 10);
    while (ip /= 10);
    if (x < 0)
        *--s = '-';
    size_t len = (size_t)(tmp + sizeof(tmp) - s);
    memcpy(p, s, len);
    p += len;
    *p = '\0';
    return p;
}
