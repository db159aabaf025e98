/*
** compare: does a candidate summary.json (README.md, the outputs) agree with a baseline?
** Both files are read with jansson. Metric by metric, the two means are
** compared with Welch's two-sample t test, the standard errors recovered
** from the intervals (se = ci95 / t_{0.975, n-1}); the p-values of the whole
** comparison are then adjusted by Holm's step-down procedure so that the
** chance of flagging anything at all when nothing changed (the family-wise
** error rate) is at most TC_COMPARE_ALPHA, 5 %. Cost: O(m log m) in the
** number of metrics m, after parsing.
**
** Why Holm and not Benjamini-Hochberg: a CI gate asks "did anything
** move?", and a run of tcsim reports dozens of strongly dependent metrics
** (a station's wait, sojourn, queue length and by-class waits move
** together; completed and abandoned move in opposite directions). Holm
** controls the family-wise rate under any dependence; BH controls only the
** false discovery rate, and only under independence or positive
** dependence, which negatively related metrics break. Holm also keeps every
** listed metric individually trustworthy (strong control), so the list of
** what moved is not padded with false positives once one real change is
** found. Its cost in power is small here: a real change moves several
** metrics by many standard errors.
**
** Decisions per metric, in this order:
** - null on both sides agrees; null on one side only is a change;
** - within --abs-tol or --rel-tol (|diff| <= abs_tol, or <= rel_tol *
**   |baseline mean|) agrees, whatever the test says;
** - ci95 null (one replication: no interval) or fewer than 2 replications
**   on a side: equal means (or within the tolerances) agree; a difference
**   cannot be judged, and the whole comparison is an error
**   (TC_COMPARE_ERROR, "cannot judge N of M metrics"): a single run
**   would make every difference look exact;
** - ci95 0 on both sides (a deterministic metric): "exact", the means must
**   be equal (within the tolerances), and a difference counts as p = 0;
** - otherwise Welch's test, two-sided, df by Welch-Satterthwaite; or,
**   when both runs share seed and replication count and have their
**   replications.csv beside them, a paired t test on the per-replication
**   differences (df n - 1), far more powerful because common random
**   numbers cancel most of the noise; only these metrics form Holm's family
**   (exact and null checks cannot false-alarm).
** A metric object may carry "n", the replications it was reduced over; else
** the file's "replications" is used.
*/
#ifndef TCSIM_COMPARE_H
#define TCSIM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcsim/diag.h"

/* Family-wise false-alarm rate of one comparison. */
#define TC_COMPARE_ALPHA 0.05

/* Outcomes; the values are `tcsim compare`'s exit codes. */
enum tc_compare_status {
    TC_COMPARE_AGREE = 0, /* every selected metric agrees */
    TC_COMPARE_MOVED = 1, /* at least one moved */
    TC_COMPARE_ERROR = 2, /* an input unreadable, corrupt, truncated, or not comparable */
};

enum tc_compare_kind {
    TC_COMPARE_TEST,        /* Welch or paired t test, part of Holm's family */
    TC_COMPARE_EXACT,       /* no interval on a side: means must be equal */
    TC_COMPARE_NULL,        /* null on at least one side */
    TC_COMPARE_NO_INTERVAL, /* ci95 null or fewer than 2 replications on a side */
};

struct tc_compare_opts {
    const char *const *patterns; /* fnmatch(3) globs over metric paths; none = all */
    size_t n_patterns;
    double rel_tol; /* >= 0, a fraction of |baseline mean| */
    double abs_tol; /* >= 0, in the metric's unit */
};

struct tc_compare_metric {
    char *path; /* "stations.customs.wait", "classes.fruit.time_in_system_p90", "roads.yard.km" */
    enum tc_compare_kind kind;
    double base_mean, base_ci95; /* NaN for null */
    double cand_mean, cand_ci95;
    uint32_t base_n, cand_n;
    double diff;       /* cand_mean - base_mean; NaN with a null */
    double change_pct; /* 100 * diff / |base_mean|; NaN when base_mean is 0 or null */
    double change_se;  /* diff / sqrt(se_b^2 + se_c^2); +-inf for an exact change, NaN if null */
    double df;         /* Welch-Satterthwaite df, or n - 1 paired; NaN unless TEST */
    double p;          /* two-sided p; 0 for an exact or null change, 1 when equal */
    double p_holm;     /* Holm-adjusted p (= p outside the family) */
    bool within_tol;   /* the difference is inside --abs-tol/--rel-tol */
    bool moved;
};

struct tc_compare_result {
    struct tc_compare_metric *v; /* the selected metrics, in the baseline's order */
    size_t n;
    size_t *moved; /* indices into v of the moved metrics, most significant first */
    size_t n_moved;
    size_t n_tested; /* size of Holm's family */
    size_t n_exact;  /* EXACT metrics */
    uint32_t base_reps, cand_reps;
    /* Paired: both runs have the same seed and replication count and a
    ** replications.csv beside their summary.json, so each metric is tested
    ** by a paired t test on the per-replication differences (common random
    ** numbers); otherwise Welch's. test says which and why, e.g. "paired t
    ** (common random numbers: same seed 1 and 10 replications)" or "Welch t
    ** (different seeds: 1 and 2)". */
    bool paired;
    char test[256];
};

/* A parsed, validated summary.json; opaque (it holds the jansson tree). */
struct tc_compare_summary;

/*
** Reads and validates path. On failure returns NULL with errors in diags
** ("file:line:col: error: ..." for JSON syntax, "file: error: key.path: ..."
** for a wrong structure). Free with tc_compare_summary_free().
*/
struct tc_compare_summary *tc_compare_summary_read(const char *path, struct tc_diags *diags);
/* The same from a buffer; name is used in diagnostics. */
struct tc_compare_summary *tc_compare_summary_parse(const char *text, size_t len, const char *name,
                                                    struct tc_diags *diags);
void tc_compare_summary_free(struct tc_compare_summary *s);

/*
** Compares two summaries. Returns TC_COMPARE_AGREE or TC_COMPARE_MOVED
** with *out filled (free with tc_compare_result_fini), or TC_COMPARE_ERROR
** when they are not comparable (time_unit, stations, classes or roads
** differ; a selected metric on one side only; a pattern that selects
** nothing; different means without an interval), with the reasons in
** diags and *out empty. A different scenario
** name is a warning.
*/
enum tc_compare_status tc_compare_run(const struct tc_compare_summary *base,
                                      const struct tc_compare_summary *cand,
                                      const struct tc_compare_opts *opts,
                                      struct tc_compare_result *out, struct tc_diags *diags);
void tc_compare_result_fini(struct tc_compare_result *r);

/* The standard error behind a 95 % Student t half-width over n >= 2 values. */
double tc_compare_se(double ci95, uint32_t n);

/*
** Welch's test of mean2 - mean1 given standard errors of the means and
** sample sizes (n >= 2, se1 + se2 > 0): *out_t, the Welch-Satterthwaite
** *out_df, and the two-sided p-value (gsl_cdf_tdist_Q).
*/
void tc_compare_welch(double mean1, double se1, uint32_t n1, double mean2, double se2, uint32_t n2,
                      double *out_t, double *out_df, double *out_p);

/* A paired t test of differences d (per replication, option minus baseline). */
struct tc_compare_paired {
    double mean, ci95; /* as tc_stat_reduce gives them: ci95 NaN below 2 values, 0 if all equal */
    double t, p;       /* two-sided; p NaN below 2 values; all equal: 1 if 0, else 0 */
    uint32_t n;        /* the defined (non-NaN) differences */
};
/* The test over n values stride apart (NaN skipped), df n - 1. */
void tc_compare_paired_test(const double *d, size_t n, size_t stride,
                            struct tc_compare_paired *out);

/*
** Holm's adjusted p-values: out[i] = min(1, max over j ranked at or before
** i of (m - rank_j) * p_j) with ranks 0-based by ascending p (ties by index).
** Rejecting out[i] <= alpha is Holm's step-down procedure at level alpha.
*/
void tc_compare_holm(const double *p, size_t m, double *out);

#endif
