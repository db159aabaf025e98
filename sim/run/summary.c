/*
** summary: the reduction across replications (README.md, the outputs). Replications
** are independent, so the per-replication values are i.i.d. and the 95 %
** half-width is the Student t one, t_{0.975, n-1} * s / sqrt(n), with s the
** sample standard deviation (divisor n - 1). A metric undefined in some
** replications (NaN: a mean wait with no waits) is reduced over the others;
** n says how many, so a reader can tell "3 of 10" from "10 of 10". With one
** value there is no interval: ci95 is NaN.
*/
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "base/xmem.h"
#include "tcsim/runner.h"

void tc_stat_reduce(const double *v, size_t n, size_t stride, struct tc_stat *out)
{
    /* GSL's statistics take a stride but no mask, so copy the defined values out. */
    double *x = tc_xmalloc(n * sizeof(*x));
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double y = v[i * stride];
        if (!isnan(y))
            x[m++] = y;
    }
    assert(m <= UINT32_MAX);
    out->n = (uint32_t)m;
    if (m == 0) {
        out->mean = out->ci95 = out->min = out->max = (double)NAN;
    } else {
        out->mean = gsl_stats_mean(x, 1, m);
        gsl_stats_minmax(&out->min, &out->max, x, 1, m);
        if (m == 1) {
            out->ci95 = (double)NAN; /* no interval from one value (0 would read as exact) */
        } else {
            double sd = gsl_stats_sd_m(x, 1, m, out->mean);
            out->ci95 = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1)) * sd / sqrt((double)m);
        }
    }
    free(x);
}
