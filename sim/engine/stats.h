/*
** stats: per-replication accumulators. A tally keeps the sum, count and
** max of observations; a hist is a log-bucketed histogram for percentiles
** (HDR-histogram style: the bucket is the binary exponent plus the top 7
** mantissa bits, read straight from the IEEE bits, so adding costs no
** log()). Any quantile is within 1/256 (0.4 %) of a true sample value, with
** no assumption on the distribution; P^2 (gsl_rstat_quantile) was rejected
** because its error has no bound on heavy tails, which is where the
** long waits of a congested border live. Results are clamped to the
** observed [min, max], so degenerate samples give exact answers.
*/
#ifndef TCSIM_STATS_H
#define TCSIM_STATS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

struct tc_tally {
    double sum;
    double max;
    uint64_t n;
};

static inline void tc_tally_add(struct tc_tally *t, double x)
{
    t->sum += x;
    t->n++;
    if (x > t->max || t->n == 1)
        t->max = x;
}

/* The mean, or NaN with no observation. */
static inline double tc_tally_mean(const struct tc_tally *t)
{
    return t->n ? t->sum / (double)t->n : (double)NAN;
}

#define TC_HIST_SUB_BITS 7
#define TC_HIST_EXP_MIN  (-40) /* 2^-40: below this a value counts as 0 */
#define TC_HIST_EXP_MAX  64    /* 2^64: above, the last bucket */
#define TC_HIST_N        ((TC_HIST_EXP_MAX - TC_HIST_EXP_MIN) << TC_HIST_SUB_BITS)

struct tc_hist {
    uint32_t *count; /* TC_HIST_N buckets, owned */
    uint64_t n_zero; /* values <= 2^-40 */
    uint64_t n;
    double min, max;
};

void tc_hist_init(struct tc_hist *h);
void tc_hist_fini(struct tc_hist *h);
void tc_hist_add(struct tc_hist *h, double x);
/* The q-quantile (0 < q <= 1): smallest bucket whose cumulative count reaches q*n,
** reported at the bucket's midpoint and clamped to [min, max]; NaN when empty. */
double tc_hist_quantile(const struct tc_hist *h, double q);
/* The same over the union of n histograms. */
double tc_hist_quantile_many(const struct tc_hist *const *h, size_t n, double q);

#endif
