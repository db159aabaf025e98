/*
** fit: calibration (tcsim fit). Chooses the values of numeric scenario keys
** (any key --set accepts), within bounds, that minimise the weighted sum of
** squared errors between the replication means of the simulated series and
** the observations outside a holdout window. NLopt's BOBYQA searches the
** parameters scaled to [0, 1]; every evaluation runs the same seeds (common
** random numbers), in process, on n_threads threads, reduced in
** replication order: the same result for any thread count.
*/
#ifndef TCSIM_RUN_FIT_H
#define TCSIM_RUN_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run/observed.h"
#include "tcsim/diag.h"
#include "tcsim/engine.h"
#include "tcsim/scenario.h"

/* The stopping rule: relative change of the scaled parameters, and at most this many runs. */
#define TC_FIT_XTOL_REL  1e-4
#define TC_FIT_MAX_EVALS 200
/*
** The central-difference step of the standard errors, as a share of a
** parameter's bounds. Under common random numbers the simulated means are
** a smooth trend plus many small jumps (events that change order), so a
** small step measures the jumps: with 1% an M/M/2 service scale's slope
** came out ~40% too steep and its se too small (coverage of 2 se 80%).
*/
#define TC_FIT_DIFF_STEP 0.05

struct tc_fit_param {
    char *key;       /* owned */
    double lo, hi;   /* in the key's own units */
    char suffix[32]; /* the unit written after the number ("/h", " min"), or "" */
    bool integer;    /* the key takes integers: values are rounded (half away from zero) */
    double value;    /* fitted */
    double se;       /* Gauss-Newton standard error, NaN when there is none */
};

/* The scenario text a fit reloads for each evaluation. */
struct tc_fit_model {
    const char *text;
    size_t len;
    const char *path;               /* for messages */
    const char *base_dir;           /* traces */
    const struct tc_override *base; /* --set, -r, -s: applied before the parameters */
    size_t n_base;
};

/*
** Parses "KEY=LO:HI" (the n-th --param, 1-based, for "--param:N"
** messages) and checks it against the model: LO < HI, both accepted by the
** key, and the key numeric (it refuses a word); an integer key is found by
** its refusing LO + 0.5. false after errors in d.
*/
bool tc_fit_param_parse(struct tc_fit_param *p, const char *arg, uint32_t n,
                        const struct tc_fit_model *mod, struct tc_diags *d);
void tc_fit_param_fini(struct tc_fit_param *p);

/* p's value x as --set takes it ("42/h"): rounded for an integer key. Returns buf. */
const char *tc_fit_format(const struct tc_fit_param *p, double x, char *buf, size_t len);

struct tc_fit_result {
    double *mean, *ci95;         /* per observation: simulated replication mean, its ci95 */
    bool *in_holdout;            /* per observation */
    double *corr;                /* n_params x n_params, NaN where unknown */
    double rms_fit, rms_holdout; /* root mean square residual; NaN without points */
    double sigma2;               /* weighted residual variance (fit points, n - p dof) */
    uint32_t evaluations;        /* simulation runs, the standard errors' included */
};

struct tc_fit_opts {
    uint32_t n_threads;
    bool has_holdout;
    double holdout_from, holdout_to; /* in time_unit */
    const struct tc_stop *stop;      /* may be NULL */
};

/*
** Fits params (values and standard errors set) to obs. Returns 0; -EINTR
** when stopped; -EOVERFLOW when a run passed the truck limit; -EDOM when no
** observation is outside the holdout. res is filled on 0 (free with
** tc_fit_result_fini).
*/
int tc_fit_run(const struct tc_fit_model *mod, const struct tc_obs *obs,
               struct tc_fit_param *params, size_t n_params, const struct tc_fit_opts *o,
               struct tc_fit_result *res);
void tc_fit_result_fini(struct tc_fit_result *res);

#endif
