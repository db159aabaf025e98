/*
** fit: each evaluation loads the scenario text with the parameters as
** overrides, runs its replications (tc_runner_run_rep, no files) on a few
** threads that take replication numbers from a counter, and reduces the
** simulated value of every observation in replication order. The standard
** errors come from the Gauss-Newton approximation at the optimum:
** cov = sigma^2 (J^T W J)^-1, J by central differences (same seeds).
*/
#include "run/fit.h"

#include <errno.h>
#include <math.h>
#include <nlopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "base/xmem.h"
#include "engine/rng.h"
#include "tcsim/runner.h"

/* A number then its unit: "20/h" -> 20, "/h". */
static bool split_value(const char *s, double *x, char *suffix, size_t len)
{
    char *end;
    if (*s == '\0' || strchr("0123456789+-.", *s) == NULL)
        return false;
    errno = 0;
    *x = strtod(s, &end);
    if (errno || !isfinite(*x) || strlen(end) >= len)
        return false;
    snprintf(suffix, len, "%s", end);
    return true;
}

const char *tc_fit_format(const struct tc_fit_param *p, double x, char *buf, size_t len)
{
    if (p->integer)
        snprintf(buf, len, "%.0f%s", round(x), p->suffix);
    else
        snprintf(buf, len, "%.17g%s", x, p->suffix);
    return buf;
}

static struct tc_scenario *load_with(const struct tc_fit_model *mod, const struct tc_override *ovr,
                                     size_t n, struct tc_diags *d)
{
    size_t nn = mod->n_base + n;
    struct tc_override *all = tc_xcalloc(nn ? nn : 1, sizeof(*all));
    if (mod->n_base) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(all, mod->base, mod->n_base * sizeof(*all));
    if (n)
        memcpy(all + mod->n_base, ovr, n * sizeof(*all));
    struct tc_scenario *sc =
        tc_scenario_load_string(mod->text, mod->len, mod->path, mod->base_dir, all, nn, d);
    free(all);
    if (sc && d->n_err) {
        tc_scenario_free(sc);
        sc = NULL;
    }
    return sc;
}

/* Whether KEY=value loads; the first error's message into why. */
static bool loads(const struct tc_fit_model *mod, const char *key, const char *value, char *why,
                  size_t len)
{
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_override o = {key, value};
    struct tc_scenario *sc = load_with(mod, &o, 1, &d);
    if (!sc && why) {
        tc_diags_sort(&d);
        snprintf(why, len, "%s", d.n ? d.v[0].msg : "it does not load");
        for (size_t i = 0; i < d.n; i++)
            if (d.v[i].sev == TC_SEV_ERROR) {
                snprintf(why, len, "%s", d.v[i].msg);
                break;
            }
    }
    tc_scenario_free(sc);
    tc_diags_fini(&d);
    return sc != NULL;
}

bool tc_fit_param_parse(struct tc_fit_param *p, const char *arg, uint32_t n,
                        const struct tc_fit_model *mod, struct tc_diags *d)
{
    memset(p, 0, sizeof(*p));
    p->se = (double)NAN;
    struct tc_pos pos = {"--param", n, 0};
    const char *eq = strchr(arg, '=');
    const char *colon = eq ? strchr(eq, ':') : NULL;
    if (!eq || eq == arg || !colon) {
        tc_diags_add(d, TC_SEV_ERROR, &pos, "", "expected KEY=LO:HI, got \"%s\"", arg);
        return false;
    }
    p->key = tc_xstrdup(arg);
    p->key[eq - arg] = '\0';
    char lo_s[256], sfx_lo[32], sfx_hi[32];
    snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(colon - eq - 1), eq + 1);
    if (!split_value(lo_s, &p->lo, sfx_lo, sizeof(sfx_lo)) ||
        !split_value(colon + 1, &p->hi, sfx_hi, sizeof(sfx_hi))) {
        tc_diags_add(d, TC_SEV_ERROR, &pos, p->key,
                     "expected LO:HI, two numbers with the key's unit (150:250, 20/h:60/h), "
                     "got \"%s\"",
                     eq + 1);
        return false;
    }
    if (*sfx_lo && *sfx_hi && strcmp(sfx_lo, sfx_hi) != 0) {
        tc_diags_add(d, TC_SEV_ERROR, &pos, p->key,
                     "LO and HI must have the same unit, got \"%s\" and \"%s\"", sfx_lo, sfx_hi);
        return false;
    }
    snprintf(p->suffix, sizeof(p->suffix), "%s", *sfx_hi ? sfx_hi : sfx_lo);
    if (!(p->lo < p->hi)) {
        tc_diags_add(d, TC_SEV_ERROR, &pos, p->key, "LO must be less than HI, got \"%s\"", eq + 1);
        return false;
    }
    char why[512], buf[96];
    if (loads(mod, p->key, "tcsim-not-a-number", NULL, 0)) {
        tc_diags_add(d, TC_SEV_ERROR, &pos, p->key,
                     "not a numeric key: it accepts a word, and a fit needs a number");
        return false;
    }
    for (int end = 0; end < 2; end++) {
        tc_fit_format(p, end ? p->hi : p->lo, buf, sizeof(buf));
        if (!loads(mod, p->key, buf, why, sizeof(why))) {
            tc_diags_add(d, TC_SEV_ERROR, &pos, p->key, "the scenario does not load with %s: %s",
                         buf, why);
            return false;
        }
    }
    snprintf(buf, sizeof(buf), "%.17g%s", floor(p->lo) + 0.5, p->suffix);
    p->integer = !loads(mod, p->key, buf, NULL, 0);
    return true;
}

void tc_fit_param_fini(struct tc_fit_param *p)
{
    free(p->key);
    p->key = NULL;
}

void tc_fit_result_fini(struct tc_fit_result *res)
{
    free(res->mean);
    free(res->ci95);
    free(res->in_holdout);
    free(res->corr);
    memset(res, 0, sizeof(*res));
}

/* ---- one evaluation ---- */

struct fit {
    const struct tc_fit_model *mod;
    const struct tc_obs *obs;
    struct tc_fit_param *params;
    size_t n_params;
    const struct tc_fit_opts *o;
    bool *fit_pt; /* per observation: outside the holdout, weight counted */
    double *mean, *ci95;
    int err;
    uint32_t evaluations;
    double best_f;
    double *best_mean, *best_ci95;
};

struct eval_job {
    const struct tc_scenario *sc;
    struct tc_metrics m;
    const struct tc_obs *obs;
    const uint32_t *seeds;
    uint32_t per_rep, n_samples, n_series;
    const struct tc_stop *stop;
    double *values; /* n_reps x n_obs */
    int *status;
    atomic_uint next;
};

/*
** Replication r into vals, ser and, when the observations need it, cls:
** the bare replication of tc_runner_run_rep plus the class series.
*/
static int run_one(struct eval_job *j, uint32_t r, double *vals, double *ser, double *cls)
{
    struct tc_scenario *drawn = NULL;
    if (j->sc->n_uncertain > 0) { /* input uncertainty: this replication's values */
        struct tc_diags d;
        tc_diags_init(&d);
        drawn = tc_scenario_draw(j->sc, r, NULL, &d);
        tc_diags_fini(&d);
        if (drawn == NULL)
            return TC_ENGINE_TOO_MANY;
    }
    struct tc_engine *e =
        tc_engine_new(drawn ? drawn : j->sc, &j->m, r, j->seeds + (size_t)r * j->per_rep);
    tc_engine_set_stop(e, j->stop);
    tc_engine_set_class_series(e, cls);
    tc_engine_run(e, vals, ser);
    int status = (int)tc_engine_status(e);
    tc_engine_free(e);
    tc_scenario_free(drawn);
    return status;
}

static void *eval_worker(void *arg)
{
    struct eval_job *j = arg;
    const struct tc_scenario *sc = j->sc;
    double *vals = tc_xmalloc((j->m.n ? j->m.n : 1) * sizeof(double));
    double *ser = tc_xmalloc((size_t)j->n_samples * j->n_series * TC_TS__COUNT * sizeof(double));
    double *cls = j->obs->needs_class_series
                      ? tc_xmalloc((size_t)j->n_samples * (sc->n_stations + 1) *
                                   (sc->n_classes + 1) * sizeof(double))
                      : NULL;
    struct tc_obs_rep rep = {sc->sample_every, sc->time_unit, j->n_samples, j->n_series,
                             sc->n_stations,   sc->n_classes, ser,          cls};
    for (;;) {
        uint32_t r = atomic_fetch_add(&j->next, 1);
        if (r >= sc->replications)
            break;
        j->status[r] = run_one(j, r, vals, ser, cls);
        for (size_t i = 0; i < j->obs->n; i++)
            j->values[(size_t)r * j->obs->n + i] = tc_obs_value(j->obs, i, &rep);
    }
    free(vals);
    free(ser);
    free(cls);
    return NULL;
}

/* Simulated means and ci95 of every observation at parameter values x (own units). */
static int evaluate(struct fit *F, const double *x, double *mean, double *ci95)
{
    struct tc_override *ovr = tc_xcalloc(F->n_params, sizeof(*ovr));
    char(*bufs)[96] = tc_xcalloc(F->n_params, sizeof(*bufs));
    for (size_t i = 0; i < F->n_params; i++)
        ovr[i] = (struct tc_override){F->params[i].key,
                                      tc_fit_format(&F->params[i], x[i], bufs[i], sizeof(bufs[i]))};
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc = load_with(F->mod, ovr, F->n_params, &d);
    tc_diags_fini(&d);
    free(ovr);
    free(bufs);
    if (!sc)
        return -EINVAL; /* bounds were checked; a combination may still fail */
    F->evaluations++;
    struct eval_job j = {.sc = sc, .obs = F->obs, .stop = F->o->stop};
    tc_metrics_init(&j.m, sc);
    struct tc_rng_layout lay;
    tc_rng_layout_init(&lay, sc);
    uint32_t *seeds = tc_rng_plan_new(&lay, sc->seed, sc->replications);
    j.seeds = seeds;
    j.per_rep = lay.base[TC_STREAM__COUNT];
    j.n_samples = tc_metrics_n_samples(sc);
    j.n_series = sc->n_stations + j.m.n_roads;
    j.values = tc_xcalloc((size_t)sc->replications * (F->obs->n ? F->obs->n : 1), sizeof(double));
    j.status = tc_xcalloc(sc->replications, sizeof(int));
    atomic_init(&j.next, 0);
    uint32_t nt = F->o->n_threads < sc->replications ? F->o->n_threads : sc->replications;
    pthread_t th[64];
    uint32_t started = 0;
    while (nt > 1 && started < nt && started < 64 &&
           pthread_create(&th[started], NULL, eval_worker, &j) == 0)
        started++;
    if (started == 0)
        eval_worker(&j);
    for (uint32_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    int err = 0;
    for (uint32_t r = 0; r < sc->replications && !err; r++)
        if (j.status[r] != TC_ENGINE_DONE)
            err = j.status[r] == TC_ENGINE_INTERRUPTED ? -EINTR : -EOVERFLOW;
    for (size_t i = 0; i < F->obs->n && !err; i++) {
        struct tc_stat st;
        tc_stat_reduce(j.values + i, sc->replications, F->obs->n, &st);
        mean[i] = st.mean;
        ci95[i] = st.ci95;
    }
    free(j.values);
    free(j.status);
    free(seeds);
    tc_metrics_fini(&j.m);
    tc_scenario_free(sc);
    return err;
}

static double sse(const struct fit *F, const double *mean)
{
    double s = 0.0;
    for (size_t i = 0; i < F->obs->n; i++)
        if (F->fit_pt[i]) {
            double r = mean[i] - F->obs->v[i].value;
            s += F->obs->v[i].weight * r * r;
        }
    return s;
}

static void unscale(const struct fit *F, const double *u, double *x)
{
    for (size_t i = 0; i < F->n_params; i++)
        x[i] = F->params[i].lo + u[i] * (F->params[i].hi - F->params[i].lo);
}

static double objective(unsigned n, const double *u, double *grad, void *ud)
{
    (void)n;
    (void)grad; /* derivative-free */
    struct fit *F = ud;
    double *x = tc_xcalloc(F->n_params, sizeof(double));
    unscale(F, u, x);
    int err = evaluate(F, x, F->mean, F->ci95);
    free(x);
    if (err) {
        if (err != -EINVAL) {
            F->err = err;
            return (double)HUGE_VAL;
        }
        return (double)HUGE_VAL;
    }
    double f = sse(F, F->mean);
    if (f < F->best_f) {
        F->best_f = f;
        memcpy(F->best_mean, F->mean, F->obs->n * sizeof(double));
        memcpy(F->best_ci95, F->ci95, F->obs->n * sizeof(double));
    }
    return f;
}

/* Rounded values of integer keys, so that x is what was simulated. */
static void round_ints(const struct fit *F, double *x)
{
    for (size_t i = 0; i < F->n_params; i++)
        if (F->params[i].integer)
            x[i] = round(x[i]);
}

/* J^T W J at x (n_fit points), J by central differences; cov into res. */
static int standard_errors(struct fit *F, const double *x, struct tc_fit_result *res, double sigma2)
{
    size_t p = F->n_params, n = F->obs->n;
    double *J = tc_xcalloc(n * p, sizeof(double));
    double *mp = tc_xcalloc(n, sizeof(double)), *mm = tc_xcalloc(n, sizeof(double));
    double *cc = tc_xcalloc(n, sizeof(double)), *xs = tc_xcalloc(p, sizeof(double));
    int err = 0;
    for (size_t k = 0; k < p && !err; k++) {
        const struct tc_fit_param *pk = &F->params[k];
        double h = TC_FIT_DIFF_STEP * (pk->hi - pk->lo);
        if (pk->integer && h < 1.0)
            h = 1.0;
        memcpy(xs, x, p * sizeof(double));
        double up = fmin(x[k] + h, pk->hi), dn = fmax(x[k] - h, pk->lo);
        if (pk->integer) {
            up = round(up);
            dn = round(dn);
        }
        xs[k] = up;
        if ((err = evaluate(F, xs, mp, cc)) != 0)
            break;
        xs[k] = dn;
        if ((err = evaluate(F, xs, mm, cc)) != 0)
            break;
        for (size_t i = 0; i < n; i++)
            J[i * p + k] = up > dn ? (mp[i] - mm[i]) / (up - dn) : 0.0;
    }
    gsl_matrix *A = gsl_matrix_calloc(p, p);
    for (size_t a = 0; a < p && !err; a++)
        for (size_t b = 0; b < p; b++) {
            double s = 0.0;
            for (size_t i = 0; i < n; i++)
                if (F->fit_pt[i])
                    s += J[i * p + a] * F->obs->v[i].weight * J[i * p + b];
            gsl_matrix_set(A, a, b, s);
        }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    bool inv = !err && isfinite(sigma2) && gsl_linalg_cholesky_decomp1(A) == 0 &&
               gsl_linalg_cholesky_invert(A) == 0;
    gsl_set_error_handler(old);
    res->corr = tc_xcalloc(p * p, sizeof(double));
    for (size_t a = 0; a < p; a++)
        F->params[a].se = inv ? sqrt(sigma2 * gsl_matrix_get(A, a, a)) : (double)NAN;
    for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < p; b++)
            res->corr[a * p + b] =
                a == b && inv ? 1.0
                : inv ? sigma2 * gsl_matrix_get(A, a, b) / (F->params[a].se * F->params[b].se)
                      : (double)NAN;
    gsl_matrix_free(A);
    free(J);
    free(mp);
    free(mm);
    free(cc);
    free(xs);
    return err;
}

/*
** BOBYQA from u, then restarted from its result with a step five times
** smaller while a restart improves the best point: the objective is
** jagged under common random numbers (a small change of a parameter
** reorders events), and one run may stop on a kink well away from the
** minimum (an M/M/2 service scale stopped at 1.063 where 1.02 was
** better). The restarts share the TC_FIT_MAX_EVALS budget.
*/
static void search(struct fit *F, double *u)
{
    size_t p = F->n_params;
    double *lb = tc_xcalloc(p, sizeof(double)), *ub = tc_xcalloc(p, sizeof(double));
    double *dx = tc_xcalloc(p, sizeof(double)), step = 0.1;
    for (size_t i = 0; i < p; i++)
        ub[i] = 1.0;
    for (int round = 0; round < 4 && F->evaluations < TC_FIT_MAX_EVALS && !F->err; round++) {
        double before = F->best_f, fmin_v;
        nlopt_opt opt = nlopt_create(NLOPT_LN_BOBYQA, (unsigned)p);
        nlopt_set_lower_bounds(opt, lb);
        nlopt_set_upper_bounds(opt, ub);
        nlopt_set_min_objective(opt, objective, F);
        nlopt_set_xtol_rel(opt, TC_FIT_XTOL_REL);
        nlopt_set_maxeval(opt, (int)(TC_FIT_MAX_EVALS - F->evaluations));
        for (size_t i = 0; i < p; i++)
            dx[i] = step;
        nlopt_set_initial_step(opt, dx);
        nlopt_optimize(opt, u, &fmin_v); /* the best point is in u whatever the stop reason */
        nlopt_destroy(opt);
        if (round > 0 && !(F->best_f < before))
            break;
        step /= 5.0;
    }
    free(lb);
    free(ub);
    free(dx);
}

int tc_fit_run(const struct tc_fit_model *mod, const struct tc_obs *obs,
               struct tc_fit_param *params, size_t n_params, const struct tc_fit_opts *o,
               struct tc_fit_result *res)
{
    memset(res, 0, sizeof(*res));
    size_t n = obs->n, n_fit = 0;
    struct fit F = {.mod = mod, .obs = obs, .params = params, .n_params = n_params, .o = o};
    F.fit_pt = tc_xcalloc(n, sizeof(bool));
    res->in_holdout = tc_xcalloc(n, sizeof(bool));
    for (size_t i = 0; i < n; i++) {
        double t = obs->v[i].t;
        res->in_holdout[i] = o->has_holdout && t >= o->holdout_from && t <= o->holdout_to;
        F.fit_pt[i] = !res->in_holdout[i] && obs->v[i].weight > 0.0;
        n_fit += F.fit_pt[i];
    }
    if (n_fit == 0) {
        free(F.fit_pt);
        tc_fit_result_fini(res);
        return -EDOM;
    }
    F.mean = tc_xcalloc(n, sizeof(double));
    F.ci95 = tc_xcalloc(n, sizeof(double));
    F.best_mean = tc_xcalloc(n, sizeof(double));
    F.best_ci95 = tc_xcalloc(n, sizeof(double));
    F.best_f = (double)INFINITY;

    double *u = tc_xcalloc(n_params, sizeof(double)), *x = tc_xcalloc(n_params, sizeof(double));
    for (size_t i = 0; i < n_params; i++)
        u[i] = 0.5; /* the middle of the bounds */
    search(&F, u);
    int err = F.err;
    if (!err && !isfinite(F.best_f))
        err = -EINVAL;
    if (!err) {
        unscale(&F, u, x);
        round_ints(&F, x);
        /* the reported point is re-run, so fit.csv is exactly what x gives */
        err = evaluate(&F, x, F.best_mean, F.best_ci95);
    }
    if (!err) {
        double s = sse(&F, F.best_mean);
        res->sigma2 = n_fit > n_params ? s / (double)(n_fit - n_params) : (double)NAN;
        for (size_t i = 0; i < n_params; i++)
            params[i].value = x[i];
        err = standard_errors(&F, x, res, res->sigma2);
    }
    if (!err) {
        double s_fit = 0, s_hold = 0;
        size_t n_f = 0, n_h = 0;
        for (size_t i = 0; i < n; i++) {
            double r = F.best_mean[i] - obs->v[i].value;
            if (res->in_holdout[i]) {
                s_hold += r * r;
                n_h++;
            } else {
                s_fit += r * r;
                n_f++;
            }
        }
        res->rms_fit = n_f ? sqrt(s_fit / (double)n_f) : (double)NAN;
        res->rms_holdout = n_h ? sqrt(s_hold / (double)n_h) : (double)NAN;
        res->evaluations = F.evaluations;
        res->mean = F.best_mean;
        res->ci95 = F.best_ci95;
        F.best_mean = F.best_ci95 = NULL;
    }
    free(F.fit_pt);
    free(F.mean);
    free(F.ci95);
    free(F.best_mean);
    free(F.best_ci95);
    free(u);
    free(x);
    if (err)
        tc_fit_result_fini(res);
    return err;
}
