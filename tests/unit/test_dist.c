/*
** dist: the spec table; tc_dist_mean/var against closed forms and against
** numerical integration of the density (so the truncated-normal and Weibull
** formulas are checked independently); 200,000 draws per case at a fixed
** mt19937 seed whose sample mean and variance must lie within 4 standard
** errors of tc_dist_mean/var (the variance's standard error from the sample
** fourth moment); and every validation message.
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "tc_check.h"
#include "tcsim/dist.h"

#define N_DRAWS 200000
#define SEED    20211201UL

static void assert_rel(double got, double want, double rel, const char *what)
{
    ck_assert_msg(fabs(got - want) <= rel * fmax(fabs(want), 1e-300), "%s: got %.17g, want %.17g",
                  what, got, want);
}

/* ------------------------------------------------------------------ spec table */

START_TEST(test_specs_list_each_distributions_params)
{
    static const struct {
        const char *name;
        uint32_t n;
        const char *p0, *p1, *p2;
        uint8_t d0, d1, d2;
    } want[TC_DIST__COUNT] = {
        {"constant", 1, "value", NULL, NULL, 1, 0, 0},
        {"exponential", 1, "mean", NULL, NULL, 1, 0, 0},
        {"uniform", 2, "min", "max", NULL, 1, 1, 0},
        {"triangular", 3, "min", "mode", "max", 1, 1, 1},
        {"normal", 2, "mean", "sd", NULL, 1, 1, 0},
        {"lognormal", 2, "mean", "sd", NULL, 1, 1, 0},
        {"gamma", 2, "mean", "sd", NULL, 1, 1, 0},
        {"erlang", 2, "k", "mean", NULL, 0, 1, 0},
        {"weibull", 2, "shape", "scale", NULL, 0, 1, 0},
        {"empirical", 0, NULL, NULL, NULL, 0, 0, 0},
    };

    for (int k = 0; k < TC_DIST__COUNT; k++) {
        const struct tc_dist_spec *s = &tc_dist_specs[k];
        const char *p[3] = {want[k].p0, want[k].p1, want[k].p2};
        uint8_t dur[3] = {want[k].d0, want[k].d1, want[k].d2};

        ck_assert_str_eq(s->name, want[k].name);
        ck_assert_uint_eq(s->n_params, want[k].n);
        for (int i = 0; i < 3; i++) {
            ck_assert_pstr_eq(s->param[i], p[i]);
            ck_assert_uint_eq(s->is_duration[i], dur[i]);
        }
        ck_assert_int_eq(tc_dist_kind_from_name(want[k].name), k);
    }
    ck_assert_int_eq(tc_dist_kind_from_name("poisson"), TC_DIST__COUNT);
    ck_assert_int_eq(tc_dist_kind_from_name("Normal"), TC_DIST__COUNT);
    ck_assert_int_eq(tc_dist_kind_from_name(""), TC_DIST__COUNT);
    ck_assert_int_eq(tc_dist_kind_from_name(NULL), TC_DIST__COUNT);
}
END_TEST

/* ------------------------------------------------------------------ exact moments */

START_TEST(test_constant_samples_its_value)
{
    struct tc_dist d;

    tc_dist_init_constant(&d, 3.5);
    ck_assert_int_eq(d.kind, TC_DIST_CONSTANT);
    ck_assert_double_eq(tc_dist_sample(&d, NULL), 3.5);
    ck_assert_double_eq(tc_dist_mean(&d), 3.5);
    ck_assert_double_eq(tc_dist_var(&d), 0);
    ck_assert_int_eq(tc_dist_is_random(&d), 0);
    tc_dist_fini(&d);

    double p[3] = {0, 0, 0};
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_CONSTANT, p, NULL, NULL, 0));
    ck_assert_double_eq(tc_dist_sample(&d, NULL), 0);
    ck_assert_int_eq(tc_dist_is_random(&d), 0);
    tc_dist_fini(&d);
}
END_TEST

START_TEST(test_derived_params_give_mean_and_variance)
{
    struct tc_dist d;
    double p[3];

    /* lognormal {20, 8}: sigma^2 = ln(1 + 0.16), mu = ln 20 - sigma^2 / 2 */
    p[0] = 20, p[1] = 8;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_LOGNORMAL, p, NULL, NULL, 0));
    assert_rel(d.b * d.b, log(1.16), 1e-14, "lognormal sigma^2");
    assert_rel(d.a, log(20.0) - 0.5 * log(1.16), 1e-14, "lognormal mu");
    assert_rel(exp(d.a + 0.5 * d.b * d.b), 20, 1e-14, "lognormal mean from mu, sigma");
    assert_rel(expm1(d.b * d.b) * exp(2 * d.a + d.b * d.b), 64, 1e-13, "lognormal var");
    ck_assert_double_eq(tc_dist_mean(&d), 20);
    ck_assert_double_eq(tc_dist_var(&d), 64);

    /* gamma {20, 8}: shape 400/64 = 6.25, scale 64/20 = 3.2 */
    p[0] = 20, p[1] = 8;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_GAMMA, p, NULL, NULL, 0));
    ck_assert_double_eq(d.a, 6.25);
    assert_rel(d.b, 3.2, 1e-15, "gamma scale");
    ck_assert_double_eq(tc_dist_mean(&d), 20);
    ck_assert_double_eq(tc_dist_var(&d), 64);
    assert_rel(d.a * d.b, 20, 1e-15, "gamma shape*scale");

    /* erlang {k 3, mean 30}: phases of mean 10, variance 30^2 / 3 */
    p[0] = 3, p[1] = 30;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_ERLANG, p, NULL, NULL, 0));
    ck_assert_double_eq(d.a, 10);
    ck_assert_double_eq(d.b, 3);
    ck_assert_double_eq(tc_dist_mean(&d), 30);
    ck_assert_double_eq(tc_dist_var(&d), 300);

    /* weibull: shape 1 is exponential; shape 2 is Rayleigh-like */
    p[0] = 1, p[1] = 7;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_WEIBULL, p, NULL, NULL, 0));
    ck_assert_double_eq(d.a, 7);
    ck_assert_double_eq(d.b, 1);
    assert_rel(tc_dist_mean(&d), 7, 1e-14, "weibull(1) mean");
    assert_rel(tc_dist_var(&d), 49, 1e-14, "weibull(1) var");
    p[0] = 2, p[1] = 10;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_WEIBULL, p, NULL, NULL, 0));
    assert_rel(tc_dist_mean(&d), 5 * sqrt(M_PI), 1e-14, "weibull(2) mean");
    assert_rel(tc_dist_var(&d), 100 * (1 - M_PI / 4), 1e-13, "weibull(2) var");

    /* uniform, triangular */
    p[0] = 10, p[1] = 30;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_UNIFORM, p, NULL, NULL, 0));
    ck_assert_double_eq(tc_dist_mean(&d), 20);
    assert_rel(tc_dist_var(&d), 400.0 / 12, 1e-15, "uniform var");
    p[0] = 30, p[1] = 60, p[2] = 180;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_TRIANGULAR, p, NULL, NULL, 0));
    ck_assert_double_eq(tc_dist_mean(&d), 90);
    ck_assert_double_eq(tc_dist_var(&d), 1050);
    /* far from 0: the shifted formula does not cancel */
    p[0] = 1e9, p[1] = 1e9 + 1, p[2] = 1e9 + 2;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_TRIANGULAR, p, NULL, NULL, 0));
    assert_rel(tc_dist_var(&d), 3.0 / 18, 1e-15, "triangular var at 1e9");

    /* exponential */
    p[0] = 20;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_EXPONENTIAL, p, NULL, NULL, 0));
    ck_assert_double_eq(tc_dist_mean(&d), 20);
    ck_assert_double_eq(tc_dist_var(&d), 400);
}
END_TEST

START_TEST(test_truncated_normal_exact)
{
    struct tc_dist d;
    double p[3] = {0, 15, 0};

    /* mean 0: a half-normal, mean sd sqrt(2/pi), variance sd^2 (1 - 2/pi) */
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_NORMAL, p, NULL, NULL, 0));
    assert_rel(tc_dist_mean(&d), 15 * sqrt(2 / M_PI), 1e-14, "half-normal mean");
    assert_rel(tc_dist_var(&d), 225 * (1 - 2 / M_PI), 1e-14, "half-normal var");

    /* mean = sd: lambda = phi(1) / Phi(1), mean m + sd lambda, var sd^2 (1 - lambda - lambda^2) */
    p[0] = 10, p[1] = 10;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_NORMAL, p, NULL, NULL, 0));
    {
        double lambda = exp(-0.5) / sqrt(2 * M_PI) / (0.5 * erfc(-1 / M_SQRT2));

        assert_rel(tc_dist_mean(&d), 10 + 10 * lambda, 1e-14, "normal(10,10) mean");
        assert_rel(tc_dist_var(&d), 100 * (1 - lambda - lambda * lambda), 1e-13,
                   "normal(10,10) var");
    }

    /* far from the cut: the truncation vanishes */
    p[0] = 100, p[1] = 5;
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_NORMAL, p, NULL, NULL, 0));
    assert_rel(tc_dist_mean(&d), 100, 1e-15, "normal(100,5) mean");
    assert_rel(tc_dist_var(&d), 25, 1e-14, "normal(100,5) var");
}
END_TEST

/* Density of what tc_dist_sample draws, for numerical integration. */
struct dens {
    const struct tc_dist *d;
    double center; /* moment about this point */
    int power;
};

static double dens_pdf(const struct tc_dist *d, double x)
{
    switch (d->kind) {
    case TC_DIST_NORMAL:
        return gsl_ran_gaussian_pdf(x - d->p[0], d->p[1]) /
               (0.5 * erfc(-d->p[0] / d->p[1] / M_SQRT2));
    case TC_DIST_WEIBULL:
        return gsl_ran_weibull_pdf(x, d->p[1], d->p[0]);
    case TC_DIST_LOGNORMAL:
        return gsl_ran_lognormal_pdf(x, d->a, d->b);
    case TC_DIST_GAMMA:
        return gsl_ran_gamma_pdf(x, d->a, d->b);
    default:
        return 0;
    }
}

static double dens_moment(double x, void *arg)
{
    const struct dens *m = arg;

    return gsl_pow_int(x - m->center, m->power) * dens_pdf(m->d, x);
}

/* Mean and variance of d by integrating its density over [0, inf). */
static void integrate_moments(const struct tc_dist *d, double *mean, double *var)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    struct dens m = {d, 0, 1};
    gsl_function f = {dens_moment, &m};
    double err;

    gsl_integration_qagiu(&f, 0, 0, 1e-12, 1000, w, mean, &err);
    m.center = *mean;
    m.power = 2;
    gsl_integration_qagiu(&f, 0, 0, 1e-12, 1000, w, var, &err);
    gsl_integration_workspace_free(w);
}

START_TEST(test_moments_by_integration)
{
    static const struct {
        enum tc_dist_kind kind;
        double p0, p1;
    } cases[] = {
        {TC_DIST_NORMAL, 0, 15},    {TC_DIST_NORMAL, 5, 20},   {TC_DIST_NORMAL, 20, 8},
        {TC_DIST_NORMAL, 30, 10},   {TC_DIST_NORMAL, 1, 1},    {TC_DIST_WEIBULL, 1.5, 60},
        {TC_DIST_WEIBULL, 0.8, 10}, {TC_DIST_WEIBULL, 3.5, 2}, {TC_DIST_WEIBULL, 50, 1},
        {TC_DIST_LOGNORMAL, 20, 8}, {TC_DIST_GAMMA, 20, 8},    {TC_DIST_GAMMA, 2, 1},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tc_dist d;
        double p[3] = {cases[i].p0, cases[i].p1, 0};
        double mean, var;
        char what[64];

        ck_assert_ptr_null(tc_dist_init(&d, cases[i].kind, p, NULL, NULL, 0));
        integrate_moments(&d, &mean, &var);
        snprintf(what, sizeof(what), "%s(%g, %g) mean", tc_dist_specs[cases[i].kind].name,
                 cases[i].p0, cases[i].p1);
        assert_rel(tc_dist_mean(&d), mean, 1e-9, what);
        snprintf(what, sizeof(what), "%s(%g, %g) var", tc_dist_specs[cases[i].kind].name,
                 cases[i].p0, cases[i].p1);
        assert_rel(tc_dist_var(&d), var, 1e-8, what);
    }
}
END_TEST

START_TEST(test_empirical_exact)
{
    struct tc_dist d;
    const double v[] = {10, 20, 40};
    const double w[] = {1, 2, 1};
    const double v4[] = {1, 2, 3, 4};

    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_EMPIRICAL, NULL, v, w, 3));
    ck_assert_uint_eq(d.n_values, 3);
    ck_assert_ptr_ne(d.values, v);
    ck_assert_double_eq(tc_dist_mean(&d), 22.5);
    ck_assert_double_eq(tc_dist_var(&d), 118.75);
    tc_dist_fini(&d);

    /* no weights: equal weights, stored as 1s */
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_EMPIRICAL, NULL, v4, NULL, 4));
    ck_assert_double_eq(tc_dist_mean(&d), 2.5);
    ck_assert_double_eq(tc_dist_var(&d), 1.25);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(d.weights[i], 1);
    tc_dist_fini(&d);
    tc_dist_fini(&d); /* twice is fine */
}
END_TEST

/* ------------------------------------------------------------------ sampling */

struct mcase {
    enum tc_dist_kind kind;
    double p[3];
    const double *values, *weights;
    uint32_t n_values;
    double lo, hi; /* every draw must lie in [lo, hi] */
};

static const double emp_v[] = {10, 20, 40};
static const double emp_w[] = {1, 2, 1};
static const double emp_v4[] = {1, 2, 3, 4};
static const double emp_one[] = {7};
static const double emp_v2[] = {5, 100};
static const double emp_w2[] = {1, 0};

static const struct mcase mcases[] = {
    {TC_DIST_CONSTANT, {5, 0, 0}, NULL, NULL, 0, 5, 5},
    {TC_DIST_EXPONENTIAL, {20, 0, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_EXPONENTIAL, {0.01, 0, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_UNIFORM, {10, 30, 0}, NULL, NULL, 0, 10, 30},
    {TC_DIST_UNIFORM, {0, 1, 0}, NULL, NULL, 0, 0, 1},
    {TC_DIST_UNIFORM, {5, 5, 0}, NULL, NULL, 0, 5, 5},
    {TC_DIST_TRIANGULAR, {30, 60, 180}, NULL, NULL, 0, 30, 180},
    {TC_DIST_TRIANGULAR, {0, 0, 10}, NULL, NULL, 0, 0, 10},
    {TC_DIST_TRIANGULAR, {2, 10, 10}, NULL, NULL, 0, 2, 10},
    {TC_DIST_TRIANGULAR, {4, 4, 4}, NULL, NULL, 0, 4, 4},
    {TC_DIST_NORMAL, {20, 8, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_NORMAL, {0, 15, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_NORMAL, {10, 10, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_NORMAL, {2, 10, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_NORMAL, {100, 5, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_LOGNORMAL, {20, 8, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_LOGNORMAL, {5, 3, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_GAMMA, {20, 8, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_GAMMA, {2, 3, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_ERLANG, {3, 30, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_ERLANG, {1, 10, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_ERLANG, {20, 5, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_WEIBULL, {1.5, 60, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_WEIBULL, {0.8, 10, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_WEIBULL, {1, 7, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_WEIBULL, {5, 3, 0}, NULL, NULL, 0, 0, HUGE_VAL},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, emp_v, emp_w, 3, 10, 40},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, emp_v4, NULL, 4, 1, 4},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, emp_one, NULL, 1, 7, 7},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, emp_v2, emp_w2, 2, 5, 5},
};

START_TEST(test_sample_moments)
{
    const struct mcase *c = &mcases[_i];
    struct tc_dist d;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *x = malloc(N_DRAWS * sizeof(*x));
    double mean, var, sd, m4, se_mean, se_var, mu, sigma2, xmin, xmax;
    const char *name = tc_dist_specs[c->kind].name;

    ck_assert_ptr_nonnull(x);
    gsl_rng_set(r, SEED);
    ck_assert_ptr_null(tc_dist_init(&d, c->kind, c->p, c->values, c->weights, c->n_values));
    ck_assert_int_eq(tc_dist_is_random(&d), c->kind != TC_DIST_CONSTANT);
    /* One assertion after the loop: each ck_assert costs a write to Check's pipe. */
    xmin = HUGE_VAL;
    xmax = -HUGE_VAL;
    for (size_t i = 0; i < N_DRAWS; i++) {
        x[i] = tc_dist_sample(&d, r);
        xmin = fmin(xmin, x[i]);
        xmax = fmax(xmax, x[i]);
    }
    ck_assert_msg(xmin >= c->lo && xmax <= c->hi,
                  "%s case %d: draws in [%.17g, %.17g], not in [%g, %g]", name, _i, xmin, xmax,
                  c->lo, c->hi);
    mu = tc_dist_mean(&d);
    sigma2 = tc_dist_var(&d);
    mean = gsl_stats_mean(x, 1, N_DRAWS);
    var = gsl_stats_variance_m(x, 1, N_DRAWS, mean);
    if (sigma2 == 0) {
        /* Degenerate: every draw is the value, up to flat()'s rounding. */
        assert_rel(mean, mu, 1e-12, name);
        ck_assert_msg(var <= 1e-20 * mu * mu, "%s case %d: var %g", name, _i, var);
    } else {
        sd = sqrt(var);
        /* kurtosis_m_sd is m4 / sd^4 - 3 with m4 the fourth central sample moment */
        m4 = (gsl_stats_kurtosis_m_sd(x, 1, N_DRAWS, mean, sd) + 3) * var * var;
        se_mean = sqrt(var / N_DRAWS);
        se_var = sqrt((m4 - var * var) / N_DRAWS);
        ck_assert_msg(fabs(mean - mu) <= 4 * se_mean,
                      "%s case %d: sample mean %.6g, exact %.6g, 4 se %.3g", name, _i, mean, mu,
                      4 * se_mean);
        ck_assert_msg(fabs(var - sigma2) <= 4 * se_var,
                      "%s case %d: sample var %.6g, exact %.6g, 4 se %.3g", name, _i, var, sigma2,
                      4 * se_var);
    }
    free(x);
    tc_dist_fini(&d);
    gsl_rng_free(r);
}
END_TEST

/* Empirical draws come only from values with positive weight, in proportion. */
START_TEST(test_empirical_frequencies)
{
    struct tc_dist d;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    const double v[] = {3, 9, 27, 81};
    const double w[] = {0.5, 0, 1.5, 2};
    size_t count[4] = {0, 0, 0, 0};

    gsl_rng_set(r, SEED);
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_EMPIRICAL, NULL, v, w, 4));
    for (int i = 0; i < N_DRAWS; i++) {
        double x = tc_dist_sample(&d, r);

        for (int j = 0; j < 4; j++) {
            if (x == v[j])
                count[j]++;
        }
    }
    ck_assert_uint_eq(count[0] + count[1] + count[2] + count[3], N_DRAWS);
    ck_assert_uint_eq(count[1], 0);
    for (int j = 0; j < 4; j++) {
        double pj = w[j] / 4.0;
        double se = sqrt(pj * (1 - pj) / N_DRAWS);

        ck_assert_msg(fabs((double)count[j] / N_DRAWS - pj) <= 4 * se + 1e-15, "value %g", v[j]);
    }
    tc_dist_fini(&d);
    gsl_rng_free(r);
}
END_TEST

START_TEST(test_copy_duplicates_empirical_arrays)
{
    struct tc_dist d, c;
    gsl_rng *r1 = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng *r2 = gsl_rng_alloc(gsl_rng_mt19937);
    double v[] = {1, 2, 3};
    double w[] = {3, 2, 1};
    double first[1000];
    double p[3] = {20, 8, 0};

    gsl_rng_set(r1, SEED);
    gsl_rng_set(r2, SEED);
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_EMPIRICAL, NULL, v, w, 3));
    /* The caller's arrays are copied, not kept. */
    v[0] = 99;
    w[0] = 0;
    for (int i = 0; i < 1000; i++)
        first[i] = tc_dist_sample(&d, r1);
    tc_dist_copy(&c, &d);
    ck_assert_ptr_ne(c.values, d.values);
    ck_assert_ptr_ne(c.weights, d.weights);
    ck_assert_ptr_ne(c.table, d.table);
    tc_dist_fini(&d);
    for (int i = 0; i < 1000; i++)
        ck_assert_double_eq(tc_dist_sample(&c, r2), first[i]);
    ck_assert_double_eq(tc_dist_mean(&c), 10.0 / 6.0);
    tc_dist_fini(&c);

    /* A scalar kind copies by value. */
    ck_assert_ptr_null(tc_dist_init(&d, TC_DIST_GAMMA, p, NULL, NULL, 0));
    tc_dist_copy(&c, &d);
    ck_assert_int_eq(c.kind, TC_DIST_GAMMA);
    ck_assert_double_eq(c.a, d.a);
    ck_assert_double_eq(c.b, d.b);
    ck_assert_ptr_null(c.values);
    tc_dist_fini(&c);
    tc_dist_fini(&d);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}
END_TEST

/* ------------------------------------------------------------------ validation */

struct vcase {
    enum tc_dist_kind kind;
    double p[3];
    const double *values, *weights;
    uint32_t n_values;
    const char *msg;
};

static const double v_neg[] = {-1, 2};
static const double v_ok[] = {1, 2};
static const double v_nan[] = {1, (double)NAN};
static const double w_neg[] = {-1, 2};
static const double w_zero[] = {0, 0};
static const double w_inf[] = {1, (double)INFINITY};
static const double w_huge[] = {DBL_MAX, DBL_MAX};

#define MSG_W_SMALL "shape is too small: the variance is not finite"

static const struct vcase vcases[] = {
    {TC_DIST_CONSTANT, {-1, 0, 0}, NULL, NULL, 0, "value must be >= 0"},
    {TC_DIST_CONSTANT, {(double)NAN, 0, 0}, NULL, NULL, 0, "parameters must be finite numbers"},
    {TC_DIST_EXPONENTIAL, {0, 0, 0}, NULL, NULL, 0, "mean must be > 0"},
    {TC_DIST_EXPONENTIAL, {-2, 0, 0}, NULL, NULL, 0, "mean must be > 0"},
    {TC_DIST_EXPONENTIAL,
     {(double)INFINITY, 0, 0},
     NULL,
     NULL,
     0,
     "parameters must be finite numbers"},
    {TC_DIST_UNIFORM, {-1, 5, 0}, NULL, NULL, 0, "min must be >= 0"},
    {TC_DIST_UNIFORM, {5, 4, 0}, NULL, NULL, 0, "min must be <= max"},
    {TC_DIST_UNIFORM,
     {1, -(double)INFINITY, 0},
     NULL,
     NULL,
     0,
     "parameters must be finite numbers"},
    {TC_DIST_TRIANGULAR, {-1, 0, 1}, NULL, NULL, 0, "min must be >= 0"},
    {TC_DIST_TRIANGULAR, {1, 0.5, 2}, NULL, NULL, 0, "min must be <= mode <= max"},
    {TC_DIST_TRIANGULAR, {1, 3, 2}, NULL, NULL, 0, "min must be <= mode <= max"},
    {TC_DIST_TRIANGULAR, {3, 2, 1}, NULL, NULL, 0, "min must be <= mode <= max"},
    {TC_DIST_TRIANGULAR, {1, 2, (double)NAN}, NULL, NULL, 0, "parameters must be finite numbers"},
    {TC_DIST_NORMAL, {-1, 5, 0}, NULL, NULL, 0, "mean must be >= 0"},
    {TC_DIST_NORMAL, {10, 0, 0}, NULL, NULL, 0, "sd must be > 0"},
    {TC_DIST_NORMAL, {10, -1, 0}, NULL, NULL, 0, "sd must be > 0"},
    {TC_DIST_LOGNORMAL, {0, 5, 0}, NULL, NULL, 0, "mean must be > 0"},
    {TC_DIST_LOGNORMAL, {5, 0, 0}, NULL, NULL, 0, "sd must be > 0"},
    {TC_DIST_GAMMA, {0, 1, 0}, NULL, NULL, 0, "mean must be > 0"},
    {TC_DIST_GAMMA, {1, 0, 0}, NULL, NULL, 0, "sd must be > 0"},
    {TC_DIST_ERLANG, {0, 10, 0}, NULL, NULL, 0, "k must be a positive integer"},
    {TC_DIST_ERLANG, {2.5, 10, 0}, NULL, NULL, 0, "k must be a positive integer"},
    {TC_DIST_ERLANG, {-1, 10, 0}, NULL, NULL, 0, "k must be a positive integer"},
    {TC_DIST_ERLANG, {3, 0, 0}, NULL, NULL, 0, "mean must be > 0"},
    {TC_DIST_WEIBULL, {0, 10, 0}, NULL, NULL, 0, "shape must be > 0"},
    {TC_DIST_WEIBULL, {1, 0, 0}, NULL, NULL, 0, "scale must be > 0"},
    {TC_DIST_WEIBULL, {0.001, 1, 0}, NULL, NULL, 0, MSG_W_SMALL},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, v_ok, NULL, 0, "values must hold at least one number"},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, NULL, NULL, 3, "values must hold at least one number"},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, v_neg, NULL, 2, "values must be >= 0"},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, v_nan, NULL, 2, "values must be >= 0"},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, v_ok, w_neg, 2, "weights must be >= 0 with a positive sum"},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, v_ok, w_zero, 2, "weights must be >= 0 with a positive sum"},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, v_ok, w_inf, 2, "weights must be >= 0 with a positive sum"},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, v_ok, w_huge, 2, "weights must be >= 0 with a positive sum"},
    {TC_DIST__COUNT, {1, 1, 1}, NULL, NULL, 0, "unknown distribution"},
};

START_TEST(test_validation_rejects_bad_params_with_message)
{
    const struct vcase *c = &vcases[_i];
    struct tc_dist d;
    const char *err;

    memset(&d, 0xAB, sizeof(d)); /* init must not read what was there */
    err = tc_dist_init(&d, c->kind, c->p, c->values, c->weights, c->n_values);
    ck_assert_pstr_eq(err, c->msg);
    /* Left as a constant 0 that needs no fini. */
    ck_assert_int_eq(d.kind, TC_DIST_CONSTANT);
    ck_assert_double_eq(d.p[0], 0);
    ck_assert_ptr_null(d.values);
    ck_assert_ptr_null(d.weights);
    ck_assert_ptr_null(d.table);
    ck_assert_double_eq(tc_dist_sample(&d, NULL), 0);
    ck_assert_double_eq(tc_dist_mean(&d), 0);
    ck_assert_int_eq(tc_dist_is_random(&d), 0);
}
END_TEST

/* Boundary values that are allowed. */
START_TEST(test_validation_ok)
{
    static const struct {
        enum tc_dist_kind kind;
        double p[3];
    } ok[] = {
        {TC_DIST_CONSTANT, {0, 0, 0}},   {TC_DIST_UNIFORM, {0, 0, 0}},
        {TC_DIST_UNIFORM, {3, 3, 0}},    {TC_DIST_TRIANGULAR, {0, 0, 0}},
        {TC_DIST_TRIANGULAR, {1, 1, 2}}, {TC_DIST_TRIANGULAR, {1, 2, 2}},
        {TC_DIST_NORMAL, {0, 1, 0}},     {TC_DIST_ERLANG, {1, 1, 0}},
        {TC_DIST_ERLANG, {1000, 1, 0}},  {TC_DIST_WEIBULL, {0.1, 1, 0}},
    };

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct tc_dist d;

        ck_assert_ptr_null(tc_dist_init(&d, ok[i].kind, ok[i].p, NULL, NULL, 0));
        ck_assert(isfinite(tc_dist_mean(&d)));
        ck_assert(isfinite(tc_dist_var(&d)));
        ck_assert_int_eq(tc_dist_is_random(&d), ok[i].kind != TC_DIST_CONSTANT);
        tc_dist_fini(&d);
    }
}
END_TEST

/*
** Each planner number in range but a derived one not: the reproducers of
** NaN draws (gamma mean 1e-300 sd 1e300 gave 486 arrivals and 0
** departures; lognormal sd 1e200 lost half the trucks), one per family.
*/
#define MSG_LN_RANGE                                                                               \
    "mean and sd give lognormal sigma^2 = ln(1 + (sd/mean)^2): (sd/mean)^2 and sd^2 must be "      \
    "between 1e-300 and 1e300"
#define MSG_GA_RANGE                                                                               \
    "mean and sd give gamma shape (mean/sd)^2 and scale sd^2/mean: both, and sd^2, must be "       \
    "between 1e-300 and 1e300"
#define MSG_ER_RANGE                                                                               \
    "k and mean give erlang phases of mean mean/k: mean/k and the variance mean^2/k must be "      \
    "between 1e-300 and 1e300"
#define MSG_NO_RANGE "mean and sd must give sd^2 between 1e-300 and 1e300 and mean/sd at most 1e300"
#define MSG_EX_RANGE "mean must be at most 1e150: its variance, mean^2, must be at most 1e300"
#define MSG_UN_RANGE                                                                               \
    "min and max must give a mean and a variance ((max - min)^2 / 12) of at most 1e300"
#define MSG_TR_RANGE "min, mode and max must give a mean and a variance of at most 1e300"
#define MSG_WE_RANGE                                                                               \
    "shape and scale must give a mean (scale G(1 + 1/shape)) and a variance of at most 1e300"
#define MSG_EM_RANGE "values must give a mean and a variance of at most 1e300"

static const struct vcase derived_cases[] = {
    {TC_DIST_GAMMA, {1e-300, 1e300, 0}, NULL, NULL, 0, MSG_GA_RANGE},
    {TC_DIST_GAMMA, {1e300, 1e-300, 0}, NULL, NULL, 0, MSG_GA_RANGE},
    {TC_DIST_GAMMA, {1, 1e200, 0}, NULL, NULL, 0, MSG_GA_RANGE},
    {TC_DIST_LOGNORMAL, {1, 1e200, 0}, NULL, NULL, 0, MSG_LN_RANGE},
    {TC_DIST_LOGNORMAL, {1, 1e-200, 0}, NULL, NULL, 0, MSG_LN_RANGE},
    {TC_DIST_ERLANG, {1e9, 1e-295, 0}, NULL, NULL, 0, MSG_ER_RANGE},
    {TC_DIST_ERLANG, {1, 1e200, 0}, NULL, NULL, 0, MSG_ER_RANGE},
    {TC_DIST_NORMAL, {1, 1e200, 0}, NULL, NULL, 0, MSG_NO_RANGE},
    {TC_DIST_NORMAL, {1e300, 1e-10, 0}, NULL, NULL, 0, MSG_NO_RANGE},
    {TC_DIST_EXPONENTIAL, {1e200, 0, 0}, NULL, NULL, 0, MSG_EX_RANGE},
    {TC_DIST_UNIFORM, {0, 1e200, 0}, NULL, NULL, 0, MSG_UN_RANGE},
    {TC_DIST_TRIANGULAR, {0, 1, 1e200}, NULL, NULL, 0, MSG_TR_RANGE},
    {TC_DIST_WEIBULL, {0.1, 1e200, 0}, NULL, NULL, 0, MSG_WE_RANGE},
    {TC_DIST_CONSTANT, {1e301, 0, 0}, NULL, NULL, 0, "value must be at most 1e300"},
    {TC_DIST_EMPIRICAL, {0, 0, 0}, w_huge, NULL, 2, MSG_EM_RANGE},
};

START_TEST(test_derived_out_of_range)
{
    const struct vcase *c = &derived_cases[_i];
    struct tc_dist d;

    ck_assert_pstr_eq(tc_dist_init(&d, c->kind, c->p, c->values, c->weights, c->n_values), c->msg);
    ck_assert_int_eq(d.kind, TC_DIST_CONSTANT);
    ck_assert_ptr_null(d.table);
}
END_TEST

/* Extreme parameters still inside the bounds: every draw is finite and >= 0. */
START_TEST(test_derived_extremes_draw_finite)
{
    static const struct {
        enum tc_dist_kind kind;
        double p[3];
    } ok[] = {
        {TC_DIST_GAMMA, {1e-100, 1e-100, 0}},     {TC_DIST_GAMMA, {1e100, 1e-50, 0}},
        {TC_DIST_GAMMA, {1e-130, 1e10, 0}},       {TC_DIST_LOGNORMAL, {1, 1e140, 0}},
        {TC_DIST_LOGNORMAL, {1e-100, 1e-140, 0}}, {TC_DIST_ERLANG, {1e9, 1e-140, 0}},
        {TC_DIST_NORMAL, {1e100, 1e-100, 0}},     {TC_DIST_EXPONENTIAL, {1e150, 0, 0}},
        {TC_DIST_TRIANGULAR, {0, 1, 1e150}},      {TC_DIST_WEIBULL, {0.05, 1e100, 0}},
    };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

    gsl_rng_set(r, SEED);
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct tc_dist d;

        ck_assert_msg(tc_dist_init(&d, ok[i].kind, ok[i].p, NULL, NULL, 0) == NULL, "case %zu", i);
        for (int k = 0; k < 10000; k++) {
            double x = tc_dist_sample(&d, r);

            ck_assert_msg(isfinite(x) && x >= 0.0, "case %zu draw %d: %g", i, k, x);
        }
        tc_dist_fini(&d);
    }
    gsl_rng_free(r);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *dist_suite(void)
{
    Suite *s = suite_create("dist");
    TCase *tc;

    tc = tcase_create("spec");
    tcase_add_test(tc, test_specs_list_each_distributions_params);
    suite_add_tcase(s, tc);

    tc = tcase_create("moments");
    tcase_add_test(tc, test_constant_samples_its_value);
    tcase_add_test(tc, test_derived_params_give_mean_and_variance);
    tcase_add_test(tc, test_truncated_normal_exact);
    tcase_add_test(tc, test_moments_by_integration);
    tcase_add_test(tc, test_empirical_exact);
    suite_add_tcase(s, tc);

    tc = tcase_create("sample");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_sample_moments, 0, N_OF(mcases));
    tcase_add_test(tc, test_empirical_frequencies);
    tcase_add_test(tc, test_copy_duplicates_empirical_arrays);
    suite_add_tcase(s, tc);

    tc = tcase_create("validation");
    tcase_add_loop_test(tc, test_validation_rejects_bad_params_with_message, 0, N_OF(vcases));
    tcase_add_test(tc, test_validation_ok);
    suite_add_tcase(s, tc);

    tc = tcase_create("derived range");
    tcase_add_loop_test(tc, test_derived_out_of_range, 0, N_OF(derived_cases));
    tcase_add_test(tc, test_derived_extremes_draw_finite);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(dist_suite)
