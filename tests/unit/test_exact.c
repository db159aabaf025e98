/*
** Tests for exact: published values (Erlang B tables), closed forms written
** independently of the code under test (M/M/1, M/M/2, M/M/1/K), hand
** computations (Cobham with two classes, a Jackson network with feedback, a
** five-state tandem), and cross-checks between the methods (CTMC against
** Erlang C, Erlang-A limits, tandem limits, M_t/M/inf averages).
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <check.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_vector.h>

#include "run/exact.h"
#include "tc_check.h"

#define TOL 1e-12

/* ---- Erlang B / C ------------------------------------------------------- */

START_TEST(erlang_b_published)
{
    /* Erlang B tables: B(10, 5 Erl) = 0.018384570 */
    ck_assert_double_eq_tol(tc_exact_erlang_b(10, 5.0), 0.018384570336648, 1e-14);
    ck_assert_double_eq_tol(tc_exact_erlang_b(1, 2.0), 2.0 / 3.0, TOL);
    ck_assert_double_eq_tol(tc_exact_erlang_b(0, 3.0), 1.0, TOL);
    ck_assert_double_eq_tol(tc_exact_erlang_b(4, 0.0), 0.0, TOL);
    /* Large c must not overflow (the factorial form does past c = 170). */
    double b = tc_exact_erlang_b(1000, 900.0);
    ck_assert(b > 0.0 && b < 0.01);
}
END_TEST

START_TEST(erlang_c_mm2)
{
    static const double rhos[] = {0.1, 0.3, 0.5, 0.75, 0.9, 0.99};
    for (size_t i = 0; i < sizeof rhos / sizeof rhos[0]; i++) {
        double rho = rhos[i];
        ck_assert_double_eq_tol(tc_exact_erlang_c(2, 2.0 * rho), 2.0 * rho * rho / (1.0 + rho),
                                TOL);
    }
    /* c = 1: an arrival waits iff the server is busy, probability rho. */
    ck_assert_double_eq_tol(tc_exact_erlang_c(1, 0.7), 0.7, TOL);
    ck_assert(isnan(tc_exact_erlang_c(3, 3.0)));
    ck_assert(isnan(tc_exact_erlang_c(3, 4.5)));
}
END_TEST

/* ---- M/M/1, M/M/c, M/G/1 ------------------------------------------------ */

START_TEST(mm1_formulas)
{
    struct tc_exact_station s;
    ck_assert(tc_exact_mm1(0.8, 1.0, &s));
    ck_assert_double_eq_tol(s.util, 0.8, TOL);
    ck_assert_double_eq_tol(s.l, 4.0, TOL);
    ck_assert_double_eq_tol(s.lq, 3.2, TOL);
    ck_assert_double_eq_tol(s.w, 5.0, TOL);
    ck_assert_double_eq_tol(s.wq, 4.0, TOL);
    ck_assert_double_eq_tol(s.throughput, 0.8, TOL);
    ck_assert_double_eq_tol(s.p_loss, 0.0, TOL);

    /* Rates per minute: 25/h against 30/h. */
    ck_assert(tc_exact_mm1(25.0 / 60, 30.0 / 60, &s));
    ck_assert_double_eq_tol(s.w, 1.0 / (30.0 / 60 - 25.0 / 60), 1e-9);
    ck_assert_double_eq_tol(s.l, 5.0, 1e-9);

    ck_assert(!tc_exact_mm1(1.0, 1.0, &s));
    ck_assert(isnan(s.wq) && isnan(s.l) && isnan(s.util));
}
END_TEST

START_TEST(mmc_matches_mm1_and_closed_forms)
{
    struct tc_exact_station a, b;
    ck_assert(tc_exact_mm1(0.6, 1.5, &a));
    ck_assert(tc_exact_mmc(0.6, 1.5, 1, &b));
    ck_assert_double_eq_tol(a.l, b.l, TOL);
    ck_assert_double_eq_tol(a.lq, b.lq, TOL);
    ck_assert_double_eq_tol(a.w, b.w, TOL);
    ck_assert_double_eq_tol(a.wq, b.wq, TOL);

    /* M/M/2, rho = 0.75: Lq = C rho / (1 - rho) with C = 2 rho^2 / (1 + rho). */
    double rho = 0.75, c2 = 2 * rho * rho / (1 + rho);
    ck_assert(tc_exact_mmc(1.5, 1.0, 2, &b));
    ck_assert_double_eq_tol(b.lq, c2 * rho / (1 - rho), TOL);
    ck_assert_double_eq_tol(b.wq, c2 / (2.0 - 1.5), TOL);
    ck_assert_double_eq_tol(b.l, c2 * rho / (1 - rho) + 1.5, TOL);
    ck_assert_double_eq_tol(b.util, 0.75, TOL);
    ck_assert_double_eq_tol(b.busy, 1.5, TOL);

    /* M/M/inf */
    ck_assert(tc_exact_mmc(3.0, 0.5, TC_EXACT_UNLIMITED, &b));
    ck_assert_double_eq_tol(b.l, 6.0, TOL);
    ck_assert_double_eq_tol(b.w, 2.0, TOL);
    ck_assert_double_eq_tol(b.lq, 0.0, TOL);

    ck_assert(!tc_exact_mmc(4.0, 1.0, 4, &b));
    ck_assert(isnan(b.l) && isnan(b.wq));
}
END_TEST

START_TEST(mg1_pk)
{
    struct tc_exact_station a, b;
    /* Exponential service (var = mean^2) is M/M/1. */
    ck_assert(tc_exact_mg1(0.7, 1.0, 1.0, &a));
    ck_assert(tc_exact_mm1(0.7, 1.0, &b));
    ck_assert_double_eq_tol(a.wq, b.wq, TOL);
    ck_assert_double_eq_tol(a.l, b.l, TOL);
    /* M/D/1, rho = 0.5: Wq = 0.5 * 1 / (2 * 0.5) = 0.5, Lq = 0.25. */
    ck_assert(tc_exact_mg1(0.5, 1.0, 0.0, &a));
    ck_assert_double_eq_tol(a.wq, 0.5, TOL);
    ck_assert_double_eq_tol(a.lq, 0.25, TOL);
    ck_assert_double_eq_tol(a.w, 1.5, TOL);
    ck_assert_double_eq_tol(a.l, 0.75, TOL);
    /* Service in minutes: mean 20, sd 8; lambda = 2/h. */
    double lam = 2.0 / 60, es2 = tc_exact_m2(20.0, 64.0);
    ck_assert_double_eq_tol(es2, 464.0, TOL);
    ck_assert(tc_exact_mg1(lam, 20.0, 64.0, &a));
    ck_assert_double_eq_tol(a.wq, lam * 464.0 / (2.0 * (1.0 - lam * 20.0)), 1e-9);
    ck_assert(!tc_exact_mg1(0.05, 20.0, 1.0, &a));
    ck_assert(isnan(a.w));
}
END_TEST

/* ---- M/M/c/K ------------------------------------------------------------ */

START_TEST(mmck_c1_closed_form)
{
    static const double rhos[] = {0.5, 0.9, 1.5, 3.0};
    static const uint32_t ks[] = {1, 5, 20};
    double pi[21];
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 3; j++) {
            double rho = rhos[i];
            uint32_t k = ks[j];
            struct tc_exact_station s;
            tc_exact_mmck(rho * 2.0, 2.0, 1, k, pi, &s);
            double rk1 = pow(rho, k + 1.0);
            double pk = (1 - rho) * pow(rho, k) / (1 - rk1);
            double l = rho / (1 - rho) - (k + 1.0) * rk1 / (1 - rk1);
            ck_assert_double_eq_tol(s.p_loss, pk, 1e-12);
            ck_assert_double_eq_tol(pi[k], pk, 1e-12);
            ck_assert_double_eq_tol(s.l, l, 1e-10);
            ck_assert_double_eq_tol(s.throughput, 2.0 * rho * (1 - pk), 1e-12);
            /* flow balance: busy servers complete at the admitted rate */
            ck_assert_double_eq_tol(s.busy * 2.0, s.throughput, 1e-12);
            ck_assert_double_eq_tol(s.lq, s.l - s.busy, 1e-12);
            ck_assert_double_eq_tol(s.w, s.l / s.throughput, 1e-12);
            double sum = 0;
            for (uint32_t n = 0; n <= k; n++)
                sum += pi[n];
            ck_assert_double_eq_tol(sum, 1.0, 1e-12);
        }
}
END_TEST

START_TEST(mmck_limits)
{
    struct tc_exact_station s, t;
    /* K = c: Erlang loss system. */
    tc_exact_mmck(5.0, 1.0, 10, 10, NULL, &s);
    ck_assert_double_eq_tol(s.p_loss, tc_exact_erlang_b(10, 5.0), 1e-13);
    ck_assert_double_eq_tol(s.lq, 0.0, TOL);
    /* Large K with a < c: M/M/c. */
    tc_exact_mmck(2.4, 1.0, 3, 400, NULL, &s);
    ck_assert(tc_exact_mmc(2.4, 1.0, 3, &t));
    ck_assert_double_eq_tol(s.l, t.l, 1e-10);
    ck_assert_double_eq_tol(s.wq, t.wq, 1e-10);
    ck_assert(s.p_loss < 1e-30);
    /* Heavy overload with a long buffer must not overflow. */
    tc_exact_mmck(50.0, 1.0, 2, 2000, NULL, &s);
    ck_assert_double_eq_tol(s.p_loss, 1.0 - 2.0 / 50.0, 1e-12);
    ck_assert_double_eq_tol(s.l, 2000.0 - 1.0 / 24.0, 1e-8);
}
END_TEST

/* ---- CTMC --------------------------------------------------------------- */

/* Generator of M/M/c truncated at n_max (arrivals lost beyond). */
static gsl_matrix *mmc_generator(double lambda, double mu, uint32_t c, uint32_t n_max)
{
    gsl_matrix *q = gsl_matrix_calloc(n_max + 1, n_max + 1);
    for (uint32_t n = 0; n <= n_max; n++) {
        double out = 0;
        if (n < n_max) {
            gsl_matrix_set(q, n, n + 1, lambda);
            out += lambda;
        }
        if (n > 0) {
            double d = (n < c ? n : c) * mu;
            gsl_matrix_set(q, n, n - 1, d);
            out += d;
        }
        gsl_matrix_set(q, n, n, -out);
    }
    return q;
}

START_TEST(ctmc_mmc_vs_erlang_c)
{
    uint32_t c = 3, n_max = 300;
    double lambda = 2.0, mu = 1.0;
    gsl_matrix *q = mmc_generator(lambda, mu, c, n_max);
    gsl_vector *pi = gsl_vector_alloc(n_max + 1);
    ck_assert(tc_exact_ctmc_stationary(q, pi));
    double p_wait = 0, l = 0, sum = 0;
    for (uint32_t n = 0; n <= n_max; n++) {
        double p = gsl_vector_get(pi, n);
        sum += p;
        l += n * p;
        if (n >= c)
            p_wait += p;
    }
    struct tc_exact_station s;
    ck_assert(tc_exact_mmc(lambda, mu, c, &s));
    ck_assert_double_eq_tol(sum, 1.0, 1e-12);
    ck_assert_double_eq_tol(p_wait, tc_exact_erlang_c(c, lambda / mu), 1e-10);
    ck_assert_double_eq_tol(p_wait, 4.0 / 9.0, 1e-10);
    ck_assert_double_eq_tol(l, s.l, 1e-9);
    /* q is left untouched */
    ck_assert_double_eq(gsl_matrix_get(q, 0, 0), -2.0);
    gsl_vector_free(pi);
    gsl_matrix_free(q);
}
END_TEST

START_TEST(ctmc_two_state_and_reducible)
{
    /* On/off chain: pi = (b, a) / (a + b). */
    gsl_matrix *q = gsl_matrix_calloc(2, 2);
    gsl_vector *pi = gsl_vector_alloc(2);
    gsl_matrix_set(q, 0, 0, -0.2);
    gsl_matrix_set(q, 0, 1, 0.2);
    gsl_matrix_set(q, 1, 0, 0.05);
    gsl_matrix_set(q, 1, 1, -0.05);
    ck_assert(tc_exact_ctmc_stationary(q, pi));
    ck_assert_double_eq_tol(gsl_vector_get(pi, 0), 0.2, TOL);
    ck_assert_double_eq_tol(gsl_vector_get(pi, 1), 0.8, TOL);
    gsl_matrix_free(q);
    gsl_vector_free(pi);

    /* Two absorbing classes: no unique stationary distribution. */
    q = gsl_matrix_calloc(3, 3);
    pi = gsl_vector_alloc(3);
    gsl_matrix_set(q, 1, 0, 1.0);
    gsl_matrix_set(q, 1, 2, 1.0);
    gsl_matrix_set(q, 1, 1, -2.0);
    ck_assert(!tc_exact_ctmc_stationary(q, pi));
    ck_assert(isnan(gsl_vector_get(pi, 0)));
    gsl_matrix_free(q);
    gsl_vector_free(pi);
}
END_TEST

/* ---- Priority ----------------------------------------------------------- */

START_TEST(cobham_two_classes)
{
    /*
    ** M/M/1, mu = 1, lambda = (0.2, 0.3): W0 = sum lambda E[S^2]/2 = 0.5,
    ** sigma = (0.2, 0.5): Wq1 = 0.5/0.8 = 0.625, Wq2 = 0.5/(0.8*0.5) = 1.25.
    ** Conservation: (0.2*0.625 + 0.3*1.25)/0.5 = 1 = Wq of M/M/1 at rho 0.5.
    */
    double lam[2] = {0.2, 0.3}, mu[2] = {1.0, 1.0}, wq[2];
    ck_assert(tc_exact_prio_mm1(2, lam, mu, wq));
    ck_assert_double_eq_tol(wq[0], 0.625, TOL);
    ck_assert_double_eq_tol(wq[1], 1.25, TOL);

    /* Same through M/M/c with c = 1 and through M/G/1 with E[S^2] = 2. */
    ck_assert(tc_exact_prio_mmc(2, lam, 1.0, 1, wq));
    ck_assert_double_eq_tol(wq[0], 0.625, TOL);
    ck_assert_double_eq_tol(wq[1], 1.25, TOL);
    double es[2] = {1.0, 1.0}, es2[2] = {2.0, 2.0};
    ck_assert(tc_exact_prio_mg1(2, lam, es, es2, wq));
    ck_assert_double_eq_tol(wq[0], 0.625, TOL);
    ck_assert_double_eq_tol(wq[1], 1.25, TOL);

    /* Deterministic service 1: W0 = 0.25, Wq = (0.3125, 0.625). */
    es2[0] = es2[1] = 1.0;
    ck_assert(tc_exact_prio_mg1(2, lam, es, es2, wq));
    ck_assert_double_eq_tol(wq[0], 0.3125, TOL);
    ck_assert_double_eq_tol(wq[1], 0.625, TOL);

    /* Per-class rates: mu = (2, 0.5), lambda = (0.5, 0.25): rho = (0.25, 0.5),
    ** W0 = 0.5/4 + 0.25/0.25 = 1.125; Wq = 1.125/0.75, 1.125/(0.75*0.25). */
    double lam2[2] = {0.5, 0.25}, mu2[2] = {2.0, 0.5};
    ck_assert(tc_exact_prio_mm1(2, lam2, mu2, wq));
    ck_assert_double_eq_tol(wq[0], 1.5, TOL);
    ck_assert_double_eq_tol(wq[1], 6.0, TOL);
}
END_TEST

START_TEST(cobham_mmc)
{
    /*
    ** M/M/2, mu = 1, lambda = (0.6, 0.6): a = 1.2, C = 2*0.36/1.6 = 0.45,
    ** C/(c mu) = 0.225, sigma = (0.3, 0.6): Wq = 0.225/0.7, 0.225/(0.7*0.4).
    ** Their mean is the FIFO M/M/2 wait 0.45/0.8 (work conservation).
    */
    double lam[2] = {0.6, 0.6}, wq[2];
    ck_assert(tc_exact_prio_mmc(2, lam, 1.0, 2, wq));
    ck_assert_double_eq_tol(wq[0], 0.225 / 0.7, TOL);
    ck_assert_double_eq_tol(wq[1], 0.225 / 0.28, TOL);
    ck_assert_double_eq_tol((wq[0] + wq[1]) / 2, 0.5625, TOL);

    double over[3] = {0.5, 0.5, 1.2};
    double wq3[3];
    ck_assert(!tc_exact_prio_mmc(3, over, 1.0, 2, wq3));
    ck_assert(isnan(wq3[0]) && isnan(wq3[2]));
    double mu3[3] = {1, 1, 1};
    ck_assert(!tc_exact_prio_mm1(3, over, mu3, wq3));
    ck_assert(isnan(wq3[1]));
}
END_TEST

/* ---- Erlang-A ----------------------------------------------------------- */

START_TEST(erlang_a_theta_eq_mu)
{
    /*
    ** theta = mu: every truck present leaves at rate mu, so N is Poisson(a)
    ** as in M/M/inf, and P(ab) = theta E[(N-c)+] / lambda = E[(N-c)+] / a.
    */
    double lambda = 4.0, mu = 1.0, a = 4.0;
    uint32_t c = 3;
    struct tc_exact_erlang_a r;
    tc_exact_erlang_a(lambda, mu, c, mu, &r);
    double e_min = 0;
    for (uint32_t n = 0; n < c; n++)
        e_min += n * gsl_ran_poisson_pdf(n, a);
    e_min += c * gsl_cdf_poisson_Q(c - 1, a);
    double p_ab = (a - e_min) / a;
    ck_assert_double_eq_tol(r.l, a, 1e-12);
    ck_assert_double_eq_tol(r.busy, e_min, 1e-12);
    ck_assert_double_eq_tol(r.p_abandon, p_ab, 1e-12);
    ck_assert_double_eq_tol(r.p_wait, gsl_cdf_poisson_Q(c - 1, a), 1e-12);
    ck_assert_double_eq_tol(r.throughput, lambda * (1 - p_ab), 1e-12);
    ck_assert_double_eq_tol(r.wq, r.lq / lambda, 1e-15);

    /*
    ** Served wait, recomputed from the Poisson law with the position-by-
    ** position product (the code uses its telescoped form): seeing n >= c,
    ** a truck at position i moves up w.p. (c mu + (i-1) theta)/(c mu + i theta)
    ** after a mean 1/(c mu + i theta).
    */
    double served = gsl_cdf_poisson_P(c - 1, a), wsum = 0;
    for (uint32_t n = c; n < 200; n++) {
        double prod = 1, h = 0;
        for (uint32_t i = 1; i <= n - c + 1; i++) {
            prod *= (c * mu + (i - 1) * mu) / (c * mu + i * mu);
            h += 1.0 / (c * mu + i * mu);
        }
        served += gsl_ran_poisson_pdf(n, a) * prod;
        wsum += gsl_ran_poisson_pdf(n, a) * prod * h;
    }
    ck_assert_double_eq_tol(served, 1 - p_ab, 1e-12);
    ck_assert_double_eq_tol(r.wq_served, wsum / served, 1e-12);
}
END_TEST

START_TEST(erlang_a_limits)
{
    struct tc_exact_erlang_a r;
    struct tc_exact_station s;
    /* theta -> 0: M/M/c (Erlang C). Errors are O(theta). */
    tc_exact_erlang_a(2.0, 1.0, 3, 1e-8, &r);
    ck_assert(tc_exact_mmc(2.0, 1.0, 3, &s));
    ck_assert_double_eq_tol(r.p_wait, tc_exact_erlang_c(3, 2.0), 1e-6);
    ck_assert_double_eq_tol(r.lq, s.lq, 1e-6);
    ck_assert_double_eq_tol(r.wq_served, s.wq, 1e-6);
    ck_assert(r.p_abandon < 1e-7);
    /* theta -> inf: waiting trucks leave at once, M/M/c/c (Erlang B). */
    tc_exact_erlang_a(5.0, 1.0, 4, 1e7, &r);
    ck_assert_double_eq_tol(r.p_abandon, tc_exact_erlang_b(4, 5.0), 1e-6);
    ck_assert(r.wq_served < 1e-6);
    /* Overload is stable thanks to abandonment; flow balance holds. */
    tc_exact_erlang_a(12.0, 1.0, 10, 0.5, &r);
    ck_assert_double_eq_tol(r.throughput + 0.5 * r.lq, 12.0, 1e-10);
    ck_assert(r.busy < 10.0 && r.busy > 9.0);
    /* Small theta in overload: a long but finite chain. */
    tc_exact_erlang_a(1.5, 1.0, 1, 1e-3, &r);
    ck_assert_double_eq_tol(r.p_abandon, 1.0 / 3.0, 1e-3);
    ck_assert_double_eq_tol(r.throughput + 1e-3 * r.lq, 1.5, 1e-9);
}
END_TEST

/* ---- Jackson ------------------------------------------------------------ */

START_TEST(jackson_branch_with_feedback)
{
    /*
    ** 0 -> 1 (0.4), 0 -> 2 (0.6), 1 -> 0 (0.5), 2 exits. lambda0 = (1,0,0):
    ** lambda_0 = 1 + 0.5 * 0.4 lambda_0 = 1.25, lambda_1 = 0.5, lambda_2 = 0.75.
    ** 0: M/M/1 mu 2 -> L = 1.25/0.75 = 5/3. 1: M/M/2 mu 0.5, a = 1, rho 0.5,
    ** C = 1/3, L = 1/3 + 1 = 4/3. 2: M/M/1 mu 1.5 -> L = 1. T = 4 / 1 = 4.
    */
    double l0[3] = {1, 0, 0};
    double p[9] = {0, 0.4, 0.6, 0.5, 0, 0, 0, 0, 0};
    uint32_t c[3] = {1, 2, 1};
    double mu[3] = {2.0, 0.5, 1.5};
    struct tc_exact_station st[3];
    double t;
    ck_assert(tc_exact_jackson(3, l0, p, c, mu, st, &t));
    ck_assert_double_eq_tol(st[0].lambda, 1.25, TOL);
    ck_assert_double_eq_tol(st[1].lambda, 0.5, TOL);
    ck_assert_double_eq_tol(st[2].lambda, 0.75, TOL);
    ck_assert_double_eq_tol(st[0].l, 5.0 / 3.0, TOL);
    ck_assert_double_eq_tol(st[1].l, 4.0 / 3.0, TOL);
    ck_assert_double_eq_tol(st[2].l, 1.0, TOL);
    ck_assert_double_eq_tol(st[0].w, (5.0 / 3.0) / 1.25, TOL);
    ck_assert_double_eq_tol(st[1].lq, 1.0 / 3.0, TOL);
    ck_assert_double_eq_tol(t, 4.0, TOL);

    /* A yard (unlimited servers) in front: adds dwell 1/mu to T. */
    double l0b[2] = {0.5, 0};
    double pb[4] = {0, 1, 0, 0};
    uint32_t cb[2] = {TC_EXACT_UNLIMITED, 1};
    double mub[2] = {0.1, 1.0};
    ck_assert(tc_exact_jackson(2, l0b, pb, cb, mub, st, &t));
    ck_assert_double_eq_tol(st[0].l, 5.0, TOL);
    ck_assert_double_eq_tol(t, 10.0 + 2.0, TOL);
}
END_TEST

START_TEST(jackson_bad)
{
    double l0[2] = {1, 0};
    uint32_t c[2] = {1, 1};
    double mu[2] = {5, 5};
    struct tc_exact_station st[2];
    double t;
    /* A cycle with no exit. */
    double loop[4] = {0, 1, 1, 0};
    ck_assert(!tc_exact_jackson(2, l0, loop, c, mu, st, &t));
    ck_assert(isnan(t) && isnan(st[0].l));
    /* Feedback 0.9 at station 1: lambda_1 = 10 > mu. */
    double fb[4] = {0, 1, 0, 0.9};
    ck_assert(!tc_exact_jackson(2, l0, fb, c, mu, st, &t));
    ck_assert(isnan(t) && isnan(st[1].l));
    ck_assert_double_eq_tol(st[0].l, 0.25, TOL);
}
END_TEST

/* ---- Tandem with blocking ----------------------------------------------- */

START_TEST(tandem_hand)
{
    /*
    ** c = K = 1 at both, all rates 1. States (n1, n2, blocked):
    ** A=(0,0) B=(1,0) C=(0,1) D=(1,1) E=(1,1,b). Balance gives
    ** pi = (2, 3, 2, 1, 1) / 9; loss = B+D+E = 5/9, blocked = E = 1/9.
    */
    struct tc_exact_station st[2];
    tc_exact_tandem(1.0, 1, 1.0, 1, 1, 1.0, 1, st);
    ck_assert_double_eq_tol(st[0].p_loss, 5.0 / 9.0, TOL);
    ck_assert_double_eq_tol(st[0].throughput, 4.0 / 9.0, TOL);
    ck_assert_double_eq_tol(st[0].busy, 4.0 / 9.0, TOL);
    ck_assert_double_eq_tol(st[0].blocked, 1.0 / 9.0, TOL);
    ck_assert_double_eq_tol(st[0].l, 5.0 / 9.0, TOL);
    ck_assert_double_eq_tol(st[0].lq, 0.0, TOL);
    ck_assert_double_eq_tol(st[0].w, 5.0 / 4.0, TOL);
    ck_assert_double_eq_tol(st[1].l, 4.0 / 9.0, TOL);
    ck_assert_double_eq_tol(st[1].busy, 4.0 / 9.0, TOL);
    ck_assert_double_eq_tol(st[1].throughput, 4.0 / 9.0, TOL);
    ck_assert_double_eq_tol(st[1].w, 1.0, TOL);
    ck_assert_double_eq_tol(st[1].blocked, 0.0, TOL);
}
END_TEST

START_TEST(tandem_huge_k2)
{
    /* K2 = 80 at load <= 0.5: station 2 never fills, so 1 is M/M/2/4. */
    struct tc_exact_station st[2], ref;
    tc_exact_tandem(1.5, 2, 1.0, 4, 1, 3.0, 80, st);
    tc_exact_mmck(1.5, 1.0, 2, 4, NULL, &ref);
    ck_assert_double_eq_tol(st[0].p_loss, ref.p_loss, 1e-10);
    ck_assert_double_eq_tol(st[0].l, ref.l, 1e-10);
    ck_assert_double_eq_tol(st[0].lq, ref.lq, 1e-10);
    ck_assert_double_eq_tol(st[0].busy, ref.busy, 1e-10);
    ck_assert_double_eq_tol(st[0].w, ref.w, 1e-10);
    ck_assert(st[0].blocked < 1e-12);
    ck_assert_double_eq_tol(st[1].throughput, ref.throughput, 1e-10);
    ck_assert_double_eq_tol(st[1].busy, ref.throughput / 3.0, 1e-10);

    /* Both large: M/M/2 feeding M/M/1 (Burke), a Jackson tandem. */
    struct tc_exact_station r1, r2;
    tc_exact_tandem(1.0, 2, 1.0, 35, 1, 2.0, 35, st);
    ck_assert(tc_exact_mmc(1.0, 1.0, 2, &r1));
    ck_assert(tc_exact_mm1(1.0, 2.0, &r2));
    ck_assert_double_eq_tol(st[0].l, r1.l, 1e-8);
    ck_assert_double_eq_tol(st[0].wq, r1.wq, 1e-8);
    ck_assert_double_eq_tol(st[1].l, r2.l, 1e-8);
    ck_assert_double_eq_tol(st[1].wq, r2.wq, 1e-8);
    ck_assert(st[0].p_loss < 1e-9 && st[0].blocked < 1e-9);
}
END_TEST

START_TEST(tandem_heavy_blocking)
{
    /* Slow second station: much blocking. Check the flow identities. */
    struct tc_exact_station st[2];
    tc_exact_tandem(2.0, 3, 1.0, 6, 1, 0.8, 2, st);
    ck_assert_double_eq_tol(st[0].throughput, st[1].throughput, 1e-10);
    ck_assert_double_eq_tol(st[0].busy * 1.0, st[0].throughput, 1e-10);
    ck_assert_double_eq_tol(st[0].l, st[0].lq + st[0].busy + st[0].blocked, 1e-10);
    ck_assert(st[0].blocked > 0.5);
    ck_assert(st[1].throughput < 0.8 && st[1].util > 0.9);
    ck_assert(st[1].l <= 2.0 && st[1].lq <= 1.0);
}
END_TEST

/* ---- M_t/M/inf ---------------------------------------------------------- */

START_TEST(mt_minf)
{
    double m[24], lam[24];
    /* Constant rate: m = lambda / mu everywhere. */
    for (int i = 0; i < 24; i++)
        lam[i] = 25.0 / 60.0;
    double avg = tc_exact_mt_minf(24, lam, 60.0, 1.0 / 45.0, m);
    for (int i = 0; i < 24; i++)
        ck_assert_double_eq_tol(m[i], 25.0 * 45.0 / 60.0, 1e-12);
    ck_assert_double_eq_tol(avg, 25.0 * 45.0 / 60.0, 1e-12);

    /* The example hourly profile at 25/h, per minute, mean service 45 min. */
    static const double prof[24] = {0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 1.0, 1.4, 1.6, 1.6, 1.5, 1.4,
                                    1.3, 1.3, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3};
    double mean = 0;
    for (int i = 0; i < 24; i++) {
        lam[i] = prof[i] * 25.0 / 60.0;
        mean += lam[i] / 24.0;
    }
    double mu = 1.0 / 45.0, e = exp(-mu * 60.0);
    avg = tc_exact_mt_minf(24, lam, 60.0, mu, m);
    ck_assert_double_eq_tol(avg, mean / mu, 1e-10);
    /* Periodic: the last hour leads back to m[0]. */
    ck_assert_double_eq_tol(lam[23] / mu + (m[23] - lam[23] / mu) * e, m[0], 1e-10);
    ck_assert_double_eq_tol(lam[7] / mu + (m[7] - lam[7] / mu) * e, m[8], 1e-10);
    ck_assert(m[0] > m[4] && m[9] > m[8]); /* m lags lambda: still falling, still rising */

    /*
    ** Two levels, 12 h each (h = 1 h): with E = e^{-12 mu},
    ** m(0) = (L2 + E L1) / (mu (1 + E)), m(12) = (L1 + E L2) / (mu (1 + E)).
    */
    double l1 = 3.0, l2 = 1.0;
    mu = 0.2;
    for (int i = 0; i < 24; i++)
        lam[i] = i < 12 ? l1 : l2;
    double big_e = exp(-12.0 * mu);
    avg = tc_exact_mt_minf(24, lam, 1.0, mu, m);
    ck_assert_double_eq_tol(m[0], (l2 + big_e * l1) / (mu * (1 + big_e)), 1e-12);
    ck_assert_double_eq_tol(m[12], (l1 + big_e * l2) / (mu * (1 + big_e)), 1e-12);
    ck_assert_double_eq_tol(avg, 2.0 / mu, 1e-12);
    ck_assert_double_eq(tc_exact_mt_minf(24, lam, 1.0, mu, NULL), avg);
}
END_TEST

static Suite *exact_suite(void)
{
    Suite *s = suite_create("exact");
    TCase *tc;

    tc = tcase_create("erlang");
    tcase_add_test(tc, erlang_b_published);
    tcase_add_test(tc, erlang_c_mm2);
    suite_add_tcase(s, tc);

    tc = tcase_create("single");
    tcase_add_test(tc, mm1_formulas);
    tcase_add_test(tc, mmc_matches_mm1_and_closed_forms);
    tcase_add_test(tc, mg1_pk);
    tcase_add_test(tc, mmck_c1_closed_form);
    tcase_add_test(tc, mmck_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("ctmc");
    tcase_add_test(tc, ctmc_mmc_vs_erlang_c);
    tcase_add_test(tc, ctmc_two_state_and_reducible);
    suite_add_tcase(s, tc);

    tc = tcase_create("priority");
    tcase_add_test(tc, cobham_two_classes);
    tcase_add_test(tc, cobham_mmc);
    suite_add_tcase(s, tc);

    tc = tcase_create("erlang_a");
    tcase_add_test(tc, erlang_a_theta_eq_mu);
    tcase_add_test(tc, erlang_a_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("jackson");
    tcase_add_test(tc, jackson_branch_with_feedback);
    tcase_add_test(tc, jackson_bad);
    suite_add_tcase(s, tc);

    tc = tcase_create("tandem");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, tandem_hand);
    tcase_add_test(tc, tandem_huge_k2);
    tcase_add_test(tc, tandem_heavy_blocking);
    suite_add_tcase(s, tc);

    tc = tcase_create("mt_minf");
    tcase_add_test(tc, mt_minf);
    suite_add_tcase(s, tc);

    return s;
}

TC_CHECK_MAIN(exact_suite)
