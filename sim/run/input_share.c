/*
** input_share: one linear least-squares fit per metric (GSL's multifit on
** the design [1, x_1 .. x_p]). Linear: an input whose effect is not
** monotone (a U-shaped response) is under-counted, and interactions
** between inputs and simulation noise go to the unexplained part; with
** few replications R² is biased up by about p/(R - 1) even without any
** effect, which the adjusted R² removes on average.
*/
#include "run/input_share.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

void tc_input_share(const struct tc_run *run, double *r2, double *r2_adj, double *drawn)
{
    const struct tc_scenario *sc = run->sc;
    uint32_t R = run->n_reps, p = sc->n_uncertain;
    size_t nm = run->metrics.n;
    for (uint32_t r = 0; r < R; r++)
        tc_scenario_draw_inputs(sc, r, drawn + (size_t)r * p);
    for (size_t i = 0; i < nm; i++)
        r2[i] = r2_adj[i] = (double)NAN;
    if (R <= p + 1)
        return;
    gsl_matrix *X = gsl_matrix_alloc(R, p + 1), *cov = gsl_matrix_alloc(p + 1, p + 1);
    gsl_vector *y = gsl_vector_alloc(R), *c = gsl_vector_alloc(p + 1);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(R, p + 1);
    for (uint32_t r = 0; r < R; r++) {
        gsl_matrix_set(X, r, 0, 1.0);
        for (uint32_t k = 0; k < p; k++)
            gsl_matrix_set(X, r, k + 1, drawn[(size_t)r * p + k]);
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    for (size_t i = 0; i < nm; i++) {
        double mean = 0.0, sst = 0.0, sse;
        bool ok = true;
        for (uint32_t r = 0; r < R && ok; r++) {
            double v = tc_run_value(run, r, i);
            ok = isfinite(v);
            gsl_vector_set(y, r, v);
            mean += v;
        }
        if (!ok)
            continue;
        mean /= R;
        for (uint32_t r = 0; r < R; r++)
            sst += (gsl_vector_get(y, r) - mean) * (gsl_vector_get(y, r) - mean);
        if (!(sst > 1e-300 * R) || gsl_multifit_linear(X, y, c, cov, &sse, ws) != 0)
            continue;
        r2[i] = fmax(0.0, 1.0 - sse / sst);
        r2_adj[i] = 1.0 - (1.0 - r2[i]) * (R - 1.0) / (double)(R - p - 1);
    }
    gsl_set_error_handler(old);
    gsl_multifit_linear_free(ws);
    gsl_vector_free(c);
    gsl_vector_free(y);
    gsl_matrix_free(cov);
    gsl_matrix_free(X);
}
