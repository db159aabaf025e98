/*
** dist: planner parameters p[] are checked and converted once in
** tc_dist_init into GSL's parameters a, b, c; sampling is then one switch
** and one gsl_ran_* call. tc_dist_mean/var are exact for what is sampled
** (the load check and the theory tests rely on them), so each kind's
** moments are derived below next to its conversion.
**
** Degenerate parameters (uniform min == max, triangular min == max, an
** empirical with a single value) are allowed and still draw from the
** stream, so tc_dist_is_random is true for every kind but constant: a sweep
** that moves uniform max away from min then keeps its common random numbers
** aligned, because the number of draws never depends on parameter values.
*/
#include "tcsim/dist.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "base/xmem.h"

const struct tc_dist_spec tc_dist_specs[TC_DIST__COUNT] = {
    [TC_DIST_CONSTANT] = {"constant", 1, {"value", NULL, NULL}, {1, 0, 0}},
    [TC_DIST_EXPONENTIAL] = {"exponential", 1, {"mean", NULL, NULL}, {1, 0, 0}},
    [TC_DIST_UNIFORM] = {"uniform", 2, {"min", "max", NULL}, {1, 1, 0}},
    [TC_DIST_TRIANGULAR] = {"triangular", 3, {"min", "mode", "max"}, {1, 1, 1}},
    [TC_DIST_NORMAL] = {"normal", 2, {"mean", "sd", NULL}, {1, 1, 0}},
    [TC_DIST_LOGNORMAL] = {"lognormal", 2, {"mean", "sd", NULL}, {1, 1, 0}},
    [TC_DIST_GAMMA] = {"gamma", 2, {"mean", "sd", NULL}, {1, 1, 0}},
    [TC_DIST_ERLANG] = {"erlang", 2, {"k", "mean", NULL}, {0, 1, 0}},
    [TC_DIST_WEIBULL] = {"weibull", 2, {"shape", "scale", NULL}, {0, 1, 0}},
    [TC_DIST_EMPIRICAL] = {"empirical", 0, {NULL, NULL, NULL}, {0, 0, 0}},
};

enum tc_dist_kind tc_dist_kind_from_name(const char *name)
{
    if (name == NULL)
        return TC_DIST__COUNT;
    for (int k = 0; k < TC_DIST__COUNT; k++) {
        if (strcmp(name, tc_dist_specs[k].name) == 0)
            return (enum tc_dist_kind)k;
    }
    return TC_DIST__COUNT;
}

void tc_dist_init_constant(struct tc_dist *d, double value)
{
    memset(d, 0, sizeof(*d));
    d->kind = TC_DIST_CONSTANT;
    d->p[0] = value;
    d->a = value;
}

/*
** Truncated normal: X = m + sd W with W ~ N(0,1) conditioned on W > a,
** a = -m/sd. With lambda = phi(a) / Q(a) (Q the upper tail, Q(a) = Phi(m/sd)):
**   E[W | W > a] = lambda,  Var[W | W > a] = 1 + a lambda - lambda^2
** (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions 1,
** ch. 13, sec. 10.1). Since m >= 0 is enforced, Q(a) >= 1/2 and a <= 0, so
** neither the ratio nor the variance suffers cancellation.
*/
static void trunc_normal_moments(double m, double sd, double *mean, double *var)
{
    double a = -m / sd;
    double lambda = gsl_ran_ugaussian_pdf(a) / gsl_cdf_ugaussian_Q(a);

    *mean = m + sd * lambda;
    *var = sd * sd * (1.0 + a * lambda - lambda * lambda);
}

/*
** Weibull(shape k, scale l): mean l G(1+1/k), var l^2 [G(1+2/k) - G(1+1/k)^2].
** The variance is computed as l^2 G(1+1/k)^2 expm1(lnG(1+2/k) - 2 lnG(1+1/k))
** because the bracket cancels badly for large k.
*/
static void weibull_moments(double k, double l, double *mean, double *var)
{
    double lg1 = gsl_sf_lngamma(1.0 + 1.0 / k);
    double lg2 = gsl_sf_lngamma(1.0 + 2.0 / k);
    double g1 = exp(lg1);

    *mean = l * g1;
    *var = l * l * g1 * g1 * expm1(lg2 - 2.0 * lg1);
}

static const char *init_empirical(struct tc_dist *d, const double *values, const double *weights,
                                  uint32_t n)
{
    double sw = 0.0, mean = 0.0, var = 0.0;

    if (values == NULL || n == 0)
        return "values must hold at least one number";
    for (uint32_t i = 0; i < n; i++) {
        if (!isfinite(values[i]) || values[i] < 0.0)
            return "values must be >= 0";
    }
    if (weights != NULL) {
        for (uint32_t i = 0; i < n; i++) {
            if (!isfinite(weights[i]) || weights[i] < 0.0)
                return "weights must be >= 0 with a positive sum";
            sw += weights[i];
        }
        if (!(sw > 0.0) || !isfinite(sw))
            return "weights must be >= 0 with a positive sum";
    } else {
        sw = (double)n;
    }
    d->values = tc_xmalloc(n * sizeof(double));
    d->weights = tc_xmalloc(n * sizeof(double));
    memcpy(d->values, values, n * sizeof(double));
    for (uint32_t i = 0; i < n; i++)
        d->weights[i] = weights ? weights[i] : 1.0;
    d->n_values = n;
    d->table = gsl_ran_discrete_preproc(n, d->weights);
    /* Moments of the discrete law w_i / sum(w), two-pass for accuracy. */
    for (uint32_t i = 0; i < n; i++)
        mean += d->weights[i] * d->values[i];
    mean /= sw;
    for (uint32_t i = 0; i < n; i++)
        var += d->weights[i] * (d->values[i] - mean) * (d->values[i] - mean);
    d->a = mean;
    d->b = var / sw;
    return NULL;
}

/*
** The range every derived parameter must lie in: far inside a double, so
** that GSL's samplers (which divide by shapes, square widths and raise to
** 1/shape) neither overflow nor underflow to 0.
*/
#define DERIVED_MIN 1e-300
#define DERIVED_MAX 1e300

static bool in_range(double x)
{
    return x >= DERIVED_MIN && x <= DERIVED_MAX;
}

/*
** The planner's numbers can each be in range while what GSL is handed is
** not: gamma's shape (mean/sd)^2 underflows to 0 and its scale sd^2/mean
** overflows, and GSL then draws NaN, which no later check sees (a truck
** with a NaN service time never departs). So the derived parameters, and
** the mean and variance the load check uses, are bounded here.
*/
static const char *check_derived(const struct tc_dist *d)
{
    double cv, var;

    switch (d->kind) {
    case TC_DIST_LOGNORMAL:
        cv = d->p[1] / d->p[0];
        if (!in_range(cv * cv) || !in_range(d->p[1] * d->p[1]))
            return "mean and sd give lognormal sigma^2 = ln(1 + (sd/mean)^2): (sd/mean)^2 and "
                   "sd^2 must be between 1e-300 and 1e300";
        break;
    case TC_DIST_GAMMA:
        if (!in_range(d->a) || !in_range(d->b) || !in_range(d->p[1] * d->p[1]))
            return "mean and sd give gamma shape (mean/sd)^2 and scale sd^2/mean: both, and "
                   "sd^2, must be between 1e-300 and 1e300";
        break;
    case TC_DIST_ERLANG:
        if (!in_range(d->a) || !in_range(d->p[1] * d->a))
            return "k and mean give erlang phases of mean mean/k: mean/k and the variance "
                   "mean^2/k must be between 1e-300 and 1e300";
        break;
    case TC_DIST_NORMAL:
        if (!in_range(d->p[1] * d->p[1]) || !(d->p[0] / d->p[1] <= DERIVED_MAX))
            return "mean and sd must give sd^2 between 1e-300 and 1e300 and mean/sd at most "
                   "1e300";
        break;
    case TC_DIST_CONSTANT:
    case TC_DIST_EXPONENTIAL:
    case TC_DIST_UNIFORM:
    case TC_DIST_TRIANGULAR:
    case TC_DIST_WEIBULL:
    case TC_DIST_EMPIRICAL:
    case TC_DIST__COUNT:
        break;
    }
    /* Exponential mean^2, uniform and triangular (max - min)^2, ...: sums of draws stay finite. */
    var = tc_dist_var(d);
    if (tc_dist_mean(d) <= DERIVED_MAX && var <= DERIVED_MAX)
        return NULL;
    switch (d->kind) {
    case TC_DIST_CONSTANT:
        return "value must be at most 1e300";
    case TC_DIST_EXPONENTIAL:
        return "mean must be at most 1e150: its variance, mean^2, must be at most 1e300";
    case TC_DIST_UNIFORM:
        return "min and max must give a mean and a variance ((max - min)^2 / 12) of at most "
               "1e300";
    case TC_DIST_TRIANGULAR:
        return "min, mode and max must give a mean and a variance of at most 1e300";
    case TC_DIST_WEIBULL:
        return "shape and scale must give a mean (scale G(1 + 1/shape)) and a variance of at "
               "most 1e300";
    case TC_DIST_EMPIRICAL:
        return "values must give a mean and a variance of at most 1e300";
    case TC_DIST_NORMAL:
    case TC_DIST_LOGNORMAL:
    case TC_DIST_GAMMA:
    case TC_DIST_ERLANG:
    case TC_DIST__COUNT:
        break;
    }
    return "parameters must give a mean and a variance of at most 1e300";
}

/* Checks p[] of a scalar kind and fills a, b, c; NULL or a static message. */
static const char *init_scalar(struct tc_dist *d)
{
    const double *p = d->p;
    double k;

    switch (d->kind) {
    case TC_DIST_CONSTANT:
        if (!(p[0] >= 0.0))
            return "value must be >= 0";
        d->a = p[0];
        return NULL;
    case TC_DIST_EXPONENTIAL:
        if (!(p[0] > 0.0))
            return "mean must be > 0";
        d->a = p[0];
        return NULL;
    case TC_DIST_UNIFORM:
        if (!(p[0] >= 0.0))
            return "min must be >= 0";
        if (!(p[0] <= p[1]))
            return "min must be <= max";
        d->a = p[0];
        d->b = p[1];
        return NULL;
    case TC_DIST_TRIANGULAR:
        if (!(p[0] >= 0.0))
            return "min must be >= 0";
        if (!(p[0] <= p[1] && p[1] <= p[2]))
            return "min must be <= mode <= max";
        d->a = p[0];
        d->b = p[1];
        d->c = p[2];
        return NULL;
    case TC_DIST_NORMAL:
        /* A negative mean would be a distribution made mostly of its cut. */
        if (!(p[0] >= 0.0))
            return "mean must be >= 0";
        if (!(p[1] > 0.0))
            return "sd must be > 0";
        d->a = p[0];
        d->b = p[1];
        return NULL;
    case TC_DIST_LOGNORMAL:
        if (!(p[0] > 0.0))
            return "mean must be > 0";
        if (!(p[1] > 0.0))
            return "sd must be > 0";
        /* sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2/2; log1p keeps small cv exact. */
        {
            double cv = p[1] / p[0];
            double s2 = log1p(cv * cv);

            d->a = log(p[0]) - 0.5 * s2;
            d->b = sqrt(s2);
        }
        return NULL;
    case TC_DIST_GAMMA:
        if (!(p[0] > 0.0))
            return "mean must be > 0";
        if (!(p[1] > 0.0))
            return "sd must be > 0";
        /* shape = mean^2/sd^2, scale = sd^2/mean: shape * scale = mean, shape * scale^2 = sd^2. */
        d->a = (p[0] / p[1]) * (p[0] / p[1]);
        d->b = p[1] * p[1] / p[0];
        return NULL;
    case TC_DIST_ERLANG:
        k = p[0];
        if (!(k >= 1.0 && k <= 1e9 && k == floor(k)))
            return "k must be a positive integer";
        if (!(p[1] > 0.0))
            return "mean must be > 0";
        /* k phases, each exponential with mean mean/k. */
        d->a = p[1] / k;
        d->b = k;
        return NULL;
    case TC_DIST_WEIBULL:
        if (!(p[0] > 0.0))
            return "shape must be > 0";
        if (!(p[1] > 0.0))
            return "scale must be > 0";
        d->a = p[1];
        d->b = p[0];
        {
            double mean, var;

            /* At scale 1, so that a large scale is judged with the others below. */
            weibull_moments(p[0], 1.0, &mean, &var);
            if (!isfinite(mean) || !isfinite(var))
                return "shape is too small: the variance is not finite";
        }
        return NULL;
    case TC_DIST_EMPIRICAL:
    case TC_DIST__COUNT:
        break;
    }
    return "unknown distribution";
}

const char *tc_dist_init(struct tc_dist *d, enum tc_dist_kind kind, const double *params,
                         const double *values, const double *weights, uint32_t n_values)
{
    const char *err;

    memset(d, 0, sizeof(*d));
    if ((unsigned)kind >= TC_DIST__COUNT) {
        tc_dist_init_constant(d, 0.0);
        return "unknown distribution";
    }
    d->kind = kind;
    if (kind == TC_DIST_EMPIRICAL) {
        err = init_empirical(d, values, weights, n_values);
    } else {
        err = NULL;
        for (uint32_t i = 0; i < tc_dist_specs[kind].n_params; i++) {
            /* NaN and inf fail here so the range checks below see finite numbers. */
            if (!isfinite(params[i]))
                err = "parameters must be finite numbers";
            d->p[i] = params[i];
        }
        if (err == NULL)
            err = init_scalar(d);
    }
    if (err == NULL)
        err = check_derived(d);
    if (err != NULL) {
        tc_dist_fini(d);
        tc_dist_init_constant(d, 0.0);
    }
    return err;
}

void tc_dist_fini(struct tc_dist *d)
{
    if (d == NULL)
        return;
    free(d->values);
    free(d->weights);
    if (d->table != NULL)
        gsl_ran_discrete_free(d->table);
    d->values = NULL;
    d->weights = NULL;
    d->table = NULL;
    d->n_values = 0;
}

void tc_dist_copy(struct tc_dist *dst, const struct tc_dist *src)
{
    *dst = *src;
    if (src->kind != TC_DIST_EMPIRICAL || src->n_values == 0)
        return;
    /* GSL has no copy for its alias table; rebuilding it gives the same table. */
    dst->values = tc_xmalloc(src->n_values * sizeof(double));
    dst->weights = tc_xmalloc(src->n_values * sizeof(double));
    memcpy(dst->values, src->values, src->n_values * sizeof(double));
    memcpy(dst->weights, src->weights, src->n_values * sizeof(double));
    dst->table = gsl_ran_discrete_preproc(src->n_values, dst->weights);
}

const char *tc_dist_scale(struct tc_dist *d, double f)
{
    const struct tc_dist_spec *sp = &tc_dist_specs[d->kind];
    double params[3] = {d->p[0], d->p[1], d->p[2]}, *values = NULL, *weights = NULL;
    uint32_t n = d->n_values;
    const char *err;

    if (!(f > 0.0) || !isfinite(f))
        return "a scale factor must be a number > 0";
    /* Every duration parameter times f is the law of f*X for every kind. */
    for (uint32_t i = 0; i < sp->n_params; i++)
        if (sp->is_duration[i])
            params[i] *= f;
    if (d->kind == TC_DIST_EMPIRICAL) {
        values = tc_xmalloc((n ? n : 1) * sizeof(double));
        weights = tc_xmalloc((n ? n : 1) * sizeof(double));
        for (uint32_t i = 0; i < n; i++) {
            values[i] = d->values[i] * f;
            weights[i] = d->weights[i];
        }
    }
    struct tc_dist nd;
    err = tc_dist_init(&nd, d->kind, params, values, weights, n);
    free(values);
    free(weights);
    if (err != NULL)
        return err;
    tc_dist_fini(d);
    *d = nd;
    return NULL;
}

/* Inverse CDF of the triangular law on [lo, hi] with mode m. */
static double triangular_inv(double u, double lo, double m, double hi)
{
    double w = hi - lo;

    if (w <= 0.0)
        return lo;
    if (u * w < m - lo)
        return lo + sqrt(u * w * (m - lo));
    return hi - sqrt((1.0 - u) * w * (hi - m));
}

double tc_dist_sample(const struct tc_dist *d, const gsl_rng *r)
{
    switch (d->kind) {
    case TC_DIST_CONSTANT:
        return d->a;
    case TC_DIST_EXPONENTIAL:
        return gsl_ran_exponential(r, d->a);
    case TC_DIST_UNIFORM:
        return gsl_ran_flat(r, d->a, d->b);
    case TC_DIST_TRIANGULAR:
        return triangular_inv(gsl_rng_uniform(r), d->a, d->b, d->c);
    case TC_DIST_NORMAL:
        /*
        ** gsl_ran_gaussian_tail(r, lim, sd) draws x > lim; for lim/sd < 1 it
        ** is plain rejection from N(0, sd^2) (GSL randist/gausstail.c), so it
        ** is exact for lim = -mean <= 0 too, with acceptance >= 1/2. The fmax
        ** only removes a rounding residue of m + x when x is near -m.
        */
        return fmax(0.0, d->a + gsl_ran_gaussian_tail(r, -d->a, d->b));
    case TC_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->a, d->b);
    case TC_DIST_GAMMA:
        return gsl_ran_gamma(r, d->a, d->b);
    case TC_DIST_ERLANG:
        return gsl_ran_erlang(r, d->a, d->b);
    case TC_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->a, d->b);
    case TC_DIST_EMPIRICAL:
        return d->values[gsl_ran_discrete(r, d->table)];
    case TC_DIST__COUNT:
        break;
    }
    return 0.0;
}

double tc_dist_mean(const struct tc_dist *d)
{
    double mean, var;

    switch (d->kind) {
    case TC_DIST_CONSTANT:
    case TC_DIST_EXPONENTIAL:
        return d->a;
    case TC_DIST_UNIFORM:
        return 0.5 * (d->a + d->b);
    case TC_DIST_TRIANGULAR:
        return (d->a + d->b + d->c) / 3.0;
    case TC_DIST_NORMAL:
        trunc_normal_moments(d->a, d->b, &mean, &var);
        return mean;
    case TC_DIST_LOGNORMAL:
    case TC_DIST_GAMMA:
        /* exp(mu + sigma^2/2) and shape * scale equal the planner's mean. */
        return d->p[0];
    case TC_DIST_ERLANG:
        return d->p[1];
    case TC_DIST_WEIBULL:
        weibull_moments(d->b, d->a, &mean, &var);
        return mean;
    case TC_DIST_EMPIRICAL:
        return d->a;
    case TC_DIST__COUNT:
        break;
    }
    return 0.0;
}

double tc_dist_var(const struct tc_dist *d)
{
    double mean, var, w;

    switch (d->kind) {
    case TC_DIST_CONSTANT:
        return 0.0;
    case TC_DIST_EXPONENTIAL:
        return d->a * d->a;
    case TC_DIST_UNIFORM:
        w = d->b - d->a;
        return w * w / 12.0;
    case TC_DIST_TRIANGULAR:
        /*
        ** (lo^2 + m^2 + hi^2 - lo m - lo hi - m hi) / 18, shifted by lo
        ** (variance is shift-invariant) so a far-from-0 support does not cancel.
        */
        {
            double m = d->b - d->a;

            w = d->c - d->a;
            return (m * m + w * w - m * w) / 18.0;
        }
    case TC_DIST_NORMAL:
        trunc_normal_moments(d->a, d->b, &mean, &var);
        return var;
    case TC_DIST_LOGNORMAL:
    case TC_DIST_GAMMA:
        return d->p[1] * d->p[1];
    case TC_DIST_ERLANG:
        /* k * (mean/k)^2 */
        return d->p[1] * d->a;
    case TC_DIST_WEIBULL:
        weibull_moments(d->b, d->a, &mean, &var);
        return var;
    case TC_DIST_EMPIRICAL:
        return d->b;
    case TC_DIST__COUNT:
        break;
    }
    return 0.0;
}

int tc_dist_is_random(const struct tc_dist *d)
{
    return d->kind != TC_DIST_CONSTANT;
}
