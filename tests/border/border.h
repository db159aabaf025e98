/*
** Helpers of the border suites on top of tests/theory/tc_theory.h (reused,
** not copied): the same Bonferroni rule applied to values the metric table
** does not hold (time-series averages), exact checks over every
** replication, time-series access by station name, and the appender the
** scenario templates of the suites build their text with.
*/
#ifndef TCSIM_BORDER_H
#define TCSIM_BORDER_H

#include <stdarg.h>

#include "tc_theory.h"

/* Appends printf-style text to yaml (len bytes) at *n; the text must fit. */
static inline void bd_add(char *yaml, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline void bd_add(char *yaml, size_t len, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(yaml + *n, len - *n, fmt, ap);
    va_end(ap);
    ck_assert_msg(w >= 0 && (size_t)w < len - *n, "scenario text too long (%zu bytes)", len);
    *n += (size_t)w;
}

/* The series cell (field f) of station `station`, replication r, sample k. */
static inline double bd_series(const struct th *t, uint32_t r, uint32_t k, const char *station,
                               enum tc_series_field f)
{
    ck_assert_msg(k < t->run.n_samples, "%s: sample %u of %u", t->name, k, t->run.n_samples);
    double row[TC_TS__COUNT];
    ck_assert_int_eq(tc_series_get(t->run.series, r, k, th_station_id(t, station), row), 0);
    return row[f];
}

/* Metric i equals exact within TH_EXACT_TOL in every replication (deterministic cases). */
static inline void bd_exact_all(struct th *t, size_t i, double exact)
{
    char what[160];
    th_label(t, i, what, sizeof what);
    t->n_done++;
    for (uint32_t r = 0; r < t->run.n_reps; r++) {
        double v = tc_run_value(&t->run, r, i);
        if (r == 0)
            fprintf(stderr, "%-14s %-28s exact %-14.10g sim %-14.10g (reps %u)\n", t->name, what,
                    exact, v, t->run.n_reps);
        ck_assert_msg(fabs(v - exact) <= TH_EXACT_TOL, "%s %s rep %u: %.17g, expected %.17g",
                      t->name, what, r, v, exact);
    }
}

/*
** One check of the Bonferroni family of th_run on n_reps per-replication
** values v (not a metric of the table): |mean - exact| <= t_{1-0.025/k,n-1}
** s / sqrt(n), and the plain ci95 below TH_REL_PREC of exact.
*/
static inline void bd_check_values(struct th *t, const char *what, const double *v, double exact)
{
    uint32_t n = t->run.n_reps;
    t->n_done++;
    ck_assert_msg(n >= TH_MIN_REPS, "%s: %u replications", t->name, n);
    double mean = gsl_stats_mean(v, 1, n);
    double sd = gsl_stats_sd(v, 1, n);
    double ci95 = gsl_cdf_tdist_Pinv(0.975, n - 1.0) * sd / sqrt((double)n);
    double hw = t->t_bonf * sd / sqrt((double)n);
    bool ok = fabs(mean - exact) <= hw;
    fprintf(stderr,
            "%-14s %-28s exact %-12.6g sim %-12.6g ci95 %-10.3g (%5.2f %%) bonf(k=%u) %-10.3g %s\n",
            t->name, what, exact, mean, ci95, 100 * ci95 / fabs(exact), t->k, hw,
            ok ? "ok" : "FAIL");
    ck_assert_msg(ok, "%s %s: exact %.6g, simulated %.6g, Bonferroni half-width %.3g (k=%u)",
                  t->name, what, exact, mean, hw, t->k);
    ck_assert_msg(ci95 < TH_REL_PREC * fabs(exact), "%s %s: ci95 %.3g is not below %.0f %% of %.6g",
                  t->name, what, ci95, 100 * TH_REL_PREC, exact);
}

#endif
