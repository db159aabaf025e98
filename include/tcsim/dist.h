/*
** dist: the ten distributions of scenarios/README.md, parameterised by what a planner
** knows (lognormal and gamma by the mean and sd of the duration itself,
** normal truncated at 0) and converted here, once, to GSL's parameters.
** Sampling is a switch plus one gsl_ran_* call; no allocation. A dist is
** immutable after tc_dist_init and may be shared by threads.
*/
#ifndef TCSIM_DIST_H
#define TCSIM_DIST_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

enum tc_dist_kind {
    TC_DIST_CONSTANT,
    TC_DIST_EXPONENTIAL,
    TC_DIST_UNIFORM,
    TC_DIST_TRIANGULAR,
    TC_DIST_NORMAL,
    TC_DIST_LOGNORMAL,
    TC_DIST_GAMMA,
    TC_DIST_ERLANG,
    TC_DIST_WEIBULL,
    TC_DIST_EMPIRICAL,
    TC_DIST__COUNT
};

/* What the YAML form of each kind looks like; the loader walks this table. */
struct tc_dist_spec {
    const char *name;       /* "lognormal" */
    uint32_t n_params;      /* scalar parameters, 0 for empirical */
    const char *param[3];   /* key names in YAML order: "mean", "sd" */
    uint8_t is_duration[3]; /* 1: a duration with units; 0: a pure number */
};

extern const struct tc_dist_spec tc_dist_specs[TC_DIST__COUNT];

struct tc_dist {
    enum tc_dist_kind kind;
    double p[3];     /* planner parameters, in spec order */
    double a, b, c;  /* derived parameters for sampling */
    double *values;  /* empirical: owned */
    double *weights; /* empirical: owned, as given (1s if none were) */
    uint32_t n_values;
    gsl_ran_discrete_t *table; /* empirical: owned, read-only when sampling */
};

/* Looks a kind up by name; returns TC_DIST__COUNT when unknown. */
enum tc_dist_kind tc_dist_kind_from_name(const char *name);

/* A constant distribution (a bare duration). */
void tc_dist_init_constant(struct tc_dist *d, double value);

/*
** Checks the parameters and derives the sampling ones. For empirical, values
** and weights (weights may be NULL: equal weights) are copied. Returns NULL
** or a static message that says what is allowed, e.g. "sd must be > 0".
** Durations must be >= 0 (normal: mean >= 0, so the cut at 0 is never the
** larger part); exponential, lognormal, gamma and erlang need mean > 0.
** On error d is left as a constant 0 and needs no fini.
*/
const char *tc_dist_init(struct tc_dist *d, enum tc_dist_kind kind, const double *params,
                         const double *values, const double *weights, uint32_t n_values);

/* Frees what tc_dist_init allocated; accepts a zeroed dist. */
void tc_dist_fini(struct tc_dist *d);

/* Deep copy (the copy owns its own arrays). */
void tc_dist_copy(struct tc_dist *dst, const struct tc_dist *src);

/*
** Replaces d by the law of f*X (X ~ d): every duration parameter (and an
** empirical's values) times f, so the mean and sd scale by f and the
** shape (cv) stays. Returns NULL, or a static message with d unchanged.
*/
const char *tc_dist_scale(struct tc_dist *d, double f);

/* One draw, >= 0 for every kind. r may be NULL only for constants. */
double tc_dist_sample(const struct tc_dist *d, const gsl_rng *r);

/* Exact mean and variance of what tc_dist_sample returns (truncation included). */
double tc_dist_mean(const struct tc_dist *d);
double tc_dist_var(const struct tc_dist *d);

/*
** Whether sampling needs a random stream: every kind but constant. Degenerate
** parameters (uniform or triangular with min == max, empirical with one
** value) still draw, so the draws per stream never depend on parameter values.
*/
int tc_dist_is_random(const struct tc_dist *d);

#endif
