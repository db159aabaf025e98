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

/*
** The q-quantile of the union of n histograms (same buckets), without
** building the union: its counts are the sums of theirs, bucket by bucket.
*/
double tc_hist_quantile_many(const struct tc_hist *const *h, size_t n, double q)
{
    uint64_t total = 0, cum = 0;
    double lo = (double)INFINITY, hi = -(double)INFINITY;
    for (size_t i = 0; i < n; i++) {
        total += h[i]->n;
        if (h[i]->n) {
            lo = h[i]->min < lo ? h[i]->min : lo;
            hi = h[i]->max > hi ? h[i]->max : hi;
        }
        cum += h[i]->n_zero;
    }
    if (total == 0)
        return (double)NAN;
    /* nearest rank: the smallest value with at least ceil(q n) values at or below it */
    double need = ceil(q * (double)total), r = hi;
    if (need < 1)
        need = 1;
    if ((double)cum >= need) {
        r = 0;
    } else {
        for (int b = 0; b < TC_HIST_N; b++) {
            for (size_t i = 0; i < n; i++)
                cum += h[i]->count[b];
            if ((double)cum >= need) {
                r = bucket_mid(b);
                break;
            }
        }
    }
    return r < lo ? lo : r > hi ? hi : r;
}

double tc_hist_quantile(const struct tc_hist *h, double q)
{
    return tc_hist_quantile_many(&h, 1, q);
}
