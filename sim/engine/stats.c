/*
** stats: the histogram. A double x = 1.m * 2^e is put in bucket
** (e - EXP_MIN) * 128 + top 7 bits of m: each bucket spans a factor of at
** most 1 + 1/128, and its midpoint is within 1/256 of anything inside.
*/
#include "engine/stats.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"

void tc_hist_init(struct tc_hist *h)
{
    memset(h, 0, sizeof(*h));
    h->count = tc_xcalloc(TC_HIST_N, sizeof(*h->count));
}

void tc_hist_fini(struct tc_hist *h)
{
    if (!h)
        return;
    free(h->count);
    h->count = NULL;
}

static int bucket_of(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof(bits));
    int e = (int)((bits >> 52) & 0x7ff) - 1023;
    if (e < TC_HIST_EXP_MIN)
        return -1;
    if (e >= TC_HIST_EXP_MAX)
        return TC_HIST_N - 1;
    int sub = (int)((bits >> (52 - TC_HIST_SUB_BITS)) & ((1u << TC_HIST_SUB_BITS) - 1));
    return ((e - TC_HIST_EXP_MIN) << TC_HIST_SUB_BITS) | sub;
}

void tc_hist_add(struct tc_hist *h, double x)
{
    if (h->n == 0 || x < h->min)
        h->min = x;
    if (h->n == 0 || x > h->max)
        h->max = x;
    h->n++;
    int b = x > 0 ? bucket_of(x) : -1;
    if (b < 0)
        h->n_zero++;
    else
        h->count[b]++;
}

static double bucket_mid(int b)
{
    int e = (b >> TC_HIST_SUB_BITS) + TC_HIST_EXP_MIN;
    int sub = b & ((1 << TC_HIST_SUB_BITS) - 1);
    double lo = ldexp(1.0 + sub / 128.0, e), hi = ldexp(1.0 + (sub + 1) / 128.0, e);
    return 0.5 * (lo + hi);
}

double tc_hist_quantile(const struct tc_hist *h, double q)
{
    if (h->n == 0)
        return (double)NAN;
    /* nearest rank: the smallest value with at least ceil(q n) values at or below it */
    double need = ceil(q * (double)h->n);
    if (need < 1)
        need = 1;
    double r;
    uint64_t cum = h->n_zero;
    if ((double)cum >= need) {
        r = 0;
    } else {
        r = h->max;
        for (int b = 0; b < TC_HIST_N; b++) {
            cum += h->count[b];
            if ((double)cum >= need) {
                r = bucket_mid(b);
                break;
            }
        }
    }
    return r < h->min ? h->min : r > h->max ? h->max : r;
}
