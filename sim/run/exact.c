/*
** exact: reference results for the theory tests. Everything here is either a
** textbook closed form (the source is given where it is used) or an exact
** numerical solution of a finite Markov chain; nothing is simulated.
** Birth-death distributions are built as unnormalised products
** p_n = p_{n-1} lambda_{n-1} / mu_n and summed in one pass; when the running
** term grows past RESCALE every accumulator is scaled down together, so a
** heavy load (a/c near or above 1 with a large K) cannot overflow, and terms
** that underflow are negligible against the ones kept.
*/
#include "run/exact.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>

#include "base/xmem.h"

#define RESCALE 1e200
/* Erlang-A: stop when the bound on the remaining probability mass is below this. */
#define TAIL_EPS 1e-15

static void station_nan(struct tc_exact_station *o)
{
    o->lambda = o->throughput = o->p_loss = (double)NAN;
    o->busy = o->util = o->blocked = (double)NAN;
    o->l = o->lq = o->w = o->wq = (double)NAN;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* ---- Erlang formulas ---------------------------------------------------- */

/*
** The recursion B(n) = a B(n-1) / (n + a B(n-1)) keeps every intermediate in
** [0, 1]; the textbook ratio (a^c/c!) / sum a^k/k! overflows near c = 170.
*/
double tc_exact_erlang_b(uint32_t c, double a)
{
    assert(a >= 0.0 && c != TC_EXACT_UNLIMITED);
    double b = 1.0;
    for (uint32_t n = 1; n <= c; n++)
        b = a * b / ((double)n + a * b);
    return b;
}

/* C = B / (1 - (a/c)(1 - B)), e.g. Kleinrock, Queueing Systems I, §3.5. */
double tc_exact_erlang_c(uint32_t c, double a)
{
    assert(c >= 1 && c != TC_EXACT_UNLIMITED && a >= 0.0);
    if (a >= (double)c)
        return (double)NAN;
    double b = tc_exact_erlang_b(c, a);
    return (double)c * b / ((double)c - a * (1.0 - b));
}

/* ---- Single stations ---------------------------------------------------- */

/* Written out rather than as mmc(c = 1), so the tests cross-check the two. */
bool tc_exact_mm1(double lambda, double mu, struct tc_exact_station *out)
{
    assert(lambda >= 0.0 && mu > 0.0 && out);
    if (lambda >= mu) {
        station_nan(out);
        return false;
    }
    double rho = lambda / mu;
    out->lambda = lambda;
    out->throughput = lambda;
    out->p_loss = 0.0;
    out->busy = rho;
    out->util = rho;
    out->blocked = 0.0;
    out->l = rho / (1.0 - rho);
    out->lq = rho * rho / (1.0 - rho);
    out->w = 1.0 / (mu - lambda);
    out->wq = rho / (mu - lambda);
    return true;
}

bool tc_exact_mmc(double lambda, double mu, uint32_t c, struct tc_exact_station *out)
{
    assert(lambda >= 0.0 && mu > 0.0 && c >= 1 && out);
    double a = lambda / mu;
    out->lambda = lambda;
    out->throughput = lambda;
    out->p_loss = 0.0;
    out->blocked = 0.0;
    out->busy = a;
    if (c == TC_EXACT_UNLIMITED) {
        /* M/M/inf: the number present is Poisson(a) and nobody waits. */
        out->util = a;
        out->l = a;
        out->lq = 0.0;
        out->w = 1.0 / mu;
        out->wq = 0.0;
        return true;
    }
    if (a >= (double)c) {
        station_nan(out);
        return false;
    }
    out->util = a / (double)c;
    out->wq = tc_exact_erlang_c(c, a) / ((double)c * mu - lambda);
    out->lq = lambda * out->wq;
    out->w = out->wq + 1.0 / mu;
    out->l = lambda * out->w;
    return true;
}

void tc_exact_mmck(double lambda, double mu, uint32_t c, uint32_t k, double *out_pi,
                   struct tc_exact_station *out)
{
    assert(lambda >= 0.0 && mu > 0.0 && c >= 1 && k >= c && k != TC_EXACT_UNLIMITED && out);
    double p = 1.0, s0 = 0.0, s1 = 0.0, sq = 0.0, sb = 0.0;
    for (uint32_t n = 0; n <= k; n++) {
        if (n > 0)
            p *= lambda / ((double)min_u32(n, c) * mu);
        if (p > RESCALE) {
            p /= RESCALE;
            s0 /= RESCALE;
            s1 /= RESCALE;
            sq /= RESCALE;
            sb /= RESCALE;
            if (out_pi)
                for (uint32_t i = 0; i < n; i++)
                    out_pi[i] /= RESCALE;
        }
        if (out_pi)
            out_pi[n] = p;
        s0 += p;
        s1 += (double)n * p;
        sq += (double)(n > c ? n - c : 0) * p;
        sb += (double)min_u32(n, c) * p;
    }
    if (out_pi)
        for (uint32_t n = 0; n <= k; n++)
            out_pi[n] /= s0;
    out->lambda = lambda;
    out->p_loss = p / s0;
    out->throughput = lambda * (1.0 - out->p_loss);
    out->busy = sb / s0;
    out->util = out->busy / (double)c;
    out->blocked = 0.0;
    out->l = s1 / s0;
    out->lq = sq / s0;
    if (out->throughput > 0.0) {
        out->w = out->l / out->throughput;
        out->wq = out->lq / out->throughput;
    } else {
        /* No traffic: the limits as lambda -> 0. */
        out->w = 1.0 / mu;
        out->wq = 0.0;
    }
}

double tc_exact_m2(double mean, double var)
{
    return var + mean * mean;
}

/* Pollaczek-Khinchine mean-value formula (Kleinrock I, eq. 5.105). */
bool tc_exact_mg1(double lambda, double mean_s, double var_s, struct tc_exact_station *out)
{
    assert(lambda >= 0.0 && mean_s > 0.0 && var_s >= 0.0 && out);
    double rho = lambda * mean_s;
    if (rho >= 1.0) {
        station_nan(out);
        return false;
    }
    out->lambda = lambda;
    out->throughput = lambda;
    out->p_loss = 0.0;
    out->busy = rho;
    out->util = rho;
    out->blocked = 0.0;
    out->wq = lambda * tc_exact_m2(mean_s, var_s) / (2.0 * (1.0 - rho));
    out->lq = lambda * out->wq;
    out->w = out->wq + mean_s;
    out->l = lambda * out->w;
    return true;
}

/* ---- Non-preemptive priority (Cobham 1954) ------------------------------ */

/*
** On entry io[k] is the load share of class k (its term in sigma); on exit
** the class's mean wait w0 / ((1 - s_{k-1})(1 - s_k)). Doing it in place
** spares the callers an allocation.
*/
static bool cobham(uint32_t n_class, double w0, double *io)
{
    double total = 0.0;
    for (uint32_t k = 0; k < n_class; k++)
        total += io[k];
    if (!(total < 1.0)) {
        for (uint32_t k = 0; k < n_class; k++)
            io[k] = (double)NAN;
        return false;
    }
    double s_prev = 0.0;
    for (uint32_t k = 0; k < n_class; k++) {
        double s = s_prev + io[k];
        io[k] = w0 / ((1.0 - s_prev) * (1.0 - s));
        s_prev = s;
    }
    return true;
}

bool tc_exact_prio_mg1(uint32_t n_class, const double *lambda, const double *es, const double *es2,
                       double *out_wq)
{
    assert(n_class >= 1 && lambda && es && es2 && out_wq);
    /* W0: mean residual work in service seen by an arrival. */
    double w0 = 0.0;
    for (uint32_t k = 0; k < n_class; k++) {
        assert(lambda[k] >= 0.0 && es[k] > 0.0 && es2[k] >= es[k] * es[k]);
        w0 += lambda[k] * es2[k] / 2.0;
        out_wq[k] = lambda[k] * es[k];
    }
    return cobham(n_class, w0, out_wq);
}

bool tc_exact_prio_mm1(uint32_t n_class, const double *lambda, const double *mu, double *out_wq)
{
    assert(n_class >= 1 && lambda && mu && out_wq);
    /* Exponential service: E[S^2]/2 = 1/mu^2. */
    double w0 = 0.0;
    for (uint32_t k = 0; k < n_class; k++) {
        assert(lambda[k] >= 0.0 && mu[k] > 0.0);
        w0 += lambda[k] / (mu[k] * mu[k]);
        out_wq[k] = lambda[k] / mu[k];
    }
    return cobham(n_class, w0, out_wq);
}

/*
** M/M/c: an arrival waits with probability C(c,a), and while all servers are
** busy they release work at rate c mu, so W0 = C / (c mu) (e.g. Kleinrock,
** Queueing Systems II, §3.6). Needs a common mu: with per-class rates the
** departure process while busy depends on the class mix and no closed form
** exists.
*/
bool tc_exact_prio_mmc(uint32_t n_class, const double *lambda, double mu, uint32_t c,
                       double *out_wq)
{
    assert(n_class >= 1 && lambda && mu > 0.0 && c >= 1 && c != TC_EXACT_UNLIMITED && out_wq);
    double a = 0.0;
    for (uint32_t k = 0; k < n_class; k++) {
        assert(lambda[k] >= 0.0);
        a += lambda[k] / mu;
        out_wq[k] = lambda[k] / ((double)c * mu);
    }
    /* (double)NAN when a >= c; cobham() then reports the overload. */
    double w0 = tc_exact_erlang_c(c, a) / ((double)c * mu);
    return cobham(n_class, w0, out_wq);
}

/* ---- Erlang-A ----------------------------------------------------------- */

/*
** Birth-death chain with births lambda and deaths min(n,c) mu + (n-c)+ theta
** (Palm 1943; Garnett, Mandelbaum and Reiman 2002). By PASTA an arrival sees
** n with probability p_n. Seeing n >= c it joins at position j = n - c + 1;
** at position i it leaves the position at rate c mu + i theta (servers, the
** i - 1 ahead abandoning, itself abandoning), and moves up with probability
** (c mu + (i-1) theta) / (c mu + i theta). The product telescopes: it is
** served with probability c mu / (c mu + j theta), and on that path its wait
** has mean H_j = sum_{i<=j} 1 / (c mu + i theta) (competing exponentials:
** the holding time is independent of which clock rang).
** Past n = c + lambda/theta the ratios p_{n+1}/p_n = r fall below 1 and keep
** falling, so the tail beyond n is at most p_{n+1} / (1 - r): stop when that
** is below TAIL_EPS of the mass summed. Cost O(c + lambda/theta).
*/
void tc_exact_erlang_a(double lambda, double mu, uint32_t c, double theta,
                       struct tc_exact_erlang_a *out)
{
    assert(lambda >= 0.0 && mu > 0.0 && theta > 0.0 && c >= 1 && c != TC_EXACT_UNLIMITED && out);
    double cmu = (double)c * mu;
    double p = 1.0;
    double s0 = 0.0, s1 = 0.0, sq = 0.0, sb = 0.0, swait = 0.0;
    double sserved = 0.0, swserved = 0.0; /* P(served), E[wait; served] */
    double h = 0.0;                       /* H_j for the current n */
    for (uint32_t n = 0;; n++) {
        if (n >= c) {
            double j = (double)(n - c + 1);
            h += 1.0 / (cmu + j * theta);
            double ps = cmu / (cmu + j * theta);
            swait += p;
            sserved += p * ps;
            swserved += p * ps * h;
            sq += (double)(n - c) * p;
            sb += (double)c * p;
        } else {
            sserved += p;
            sb += (double)n * p;
        }
        s0 += p;
        s1 += (double)n * p;

        uint32_t m = n + 1;
        double death = m <= c ? (double)m * mu : cmu + (double)(m - c) * theta;
        double r = lambda / death;
        p *= r;
        if (m > c && r < 1.0 && p / (1.0 - r) < TAIL_EPS * s0)
            break;
        if (p > RESCALE) {
            p /= RESCALE;
            s0 /= RESCALE;
            s1 /= RESCALE;
            sq /= RESCALE;
            sb /= RESCALE;
            swait /= RESCALE;
            sserved /= RESCALE;
            swserved /= RESCALE;
        }
        assert(m != UINT32_MAX);
    }
    out->l = s1 / s0;
    out->lq = sq / s0;
    out->busy = sb / s0;
    out->p_wait = swait / s0;
    out->throughput = out->busy * mu;
    if (lambda > 0.0) {
        out->p_abandon = theta * out->lq / lambda;
        out->wq = out->lq / lambda;
    } else {
        out->p_abandon = 0.0;
        out->wq = 0.0;
    }
    out->wq_served = swserved / sserved;
}

/* ---- Jackson networks --------------------------------------------------- */

/*
** Jackson (1957): with Poisson outside arrivals, exponential service and
** Markov routing, the stationary distribution is a product of M/M/c_i
** marginals at the rates solving the traffic equations.
*/
bool tc_exact_jackson(uint32_t n, const double *lambda0, const double *p, const uint32_t *c,
                      const double *mu, struct tc_exact_station *out_st, double *out_t_system)
{
    assert(n >= 1 && lambda0 && p && c && mu && out_st && out_t_system);
    bool ok = true;
    gsl_matrix *a = gsl_matrix_alloc(n, n);
    gsl_vector *b = gsl_vector_alloc(n);
    gsl_vector *x = gsl_vector_alloc(n);
    gsl_permutation *perm = gsl_permutation_alloc(n);
    int signum;

    /* (I - P^T) lambda = lambda0 */
    for (uint32_t i = 0; i < n; i++) {
        gsl_vector_set(b, i, lambda0[i]);
        for (uint32_t j = 0; j < n; j++)
            gsl_matrix_set(a, i, j, (i == j ? 1.0 : 0.0) - p[(size_t)j * n + i]);
    }
    gsl_linalg_LU_decomp(a, perm, &signum);
    /* Entries are O(1), so an absolute pivot threshold is meaningful. */
    for (uint32_t i = 0; i < n; i++)
        if (fabs(gsl_matrix_get(a, i, i)) < 1e-12)
            ok = false;
    if (!ok) {
        for (uint32_t i = 0; i < n; i++)
            station_nan(&out_st[i]);
        *out_t_system = (double)NAN;
        goto out;
    }
    gsl_linalg_LU_solve(a, perm, b, x);

    double sum_l = 0.0, sum_l0 = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        double li = gsl_vector_get(x, i);
        if (li < 0.0)
            li = 0.0; /* rounding only: the exact solution is >= 0 */
        if (!tc_exact_mmc(li, mu[i], c[i], &out_st[i]))
            ok = false;
        sum_l += out_st[i].l;
        sum_l0 += lambda0[i];
    }
    *out_t_system = ok ? sum_l / sum_l0 : (double)NAN;
out:
    gsl_permutation_free(perm);
    gsl_vector_free(x);
    gsl_vector_free(b);
    gsl_matrix_free(a);
    return ok;
}

/* ---- Finite CTMCs ------------------------------------------------------- */

/*
** pi Q = 0 has rank n - 1 for an irreducible chain; swapping the last
** equation for sum pi = 1 makes the system regular. Dense LU with partial
** pivoting is accurate enough at these sizes; GTH (Grassmann-Taksar-Heyman)
** elimination would be more robust on stiff chains but is not needed by the
** models verified here.
*/
bool tc_exact_ctmc_stationary(const gsl_matrix *q, gsl_vector *out_pi)
{
    assert(q && out_pi && q->size1 == q->size2 && q->size1 == out_pi->size && q->size1 >= 1);
    size_t n = q->size1;
    bool ok = true;
    gsl_matrix *a = gsl_matrix_alloc(n, n);
    gsl_vector *b = gsl_vector_calloc(n);
    gsl_permutation *perm = gsl_permutation_alloc(n);
    int signum;

    gsl_matrix_transpose_memcpy(a, q);
    double maxabs = 1.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            maxabs = fmax(maxabs, fabs(gsl_matrix_get(a, i, j)));
    for (size_t j = 0; j < n; j++)
        gsl_matrix_set(a, n - 1, j, 1.0);
    gsl_vector_set(b, n - 1, 1.0);

    gsl_linalg_LU_decomp(a, perm, &signum);
    double tiny = (double)n * DBL_EPSILON * maxabs;
    for (size_t i = 0; i < n; i++)
        if (fabs(gsl_matrix_get(a, i, i)) <= tiny)
            ok = false;
    if (ok)
        gsl_linalg_LU_solve(a, perm, b, out_pi);
    else
        gsl_vector_set_all(out_pi, (double)NAN);

    gsl_permutation_free(perm);
    gsl_vector_free(b);
    gsl_matrix_free(a);
    return ok;
}

/*
** Tandem state: n1 trucks at station 1 (waiting, serving or blocked), n2 at
** station 2, nb of station 1's trucks blocked (nb > 0 only when n2 = K2).
** Station 1 has min(n1, c1) servers occupied, nb of them by blocked trucks,
** so min(n1, c1) - nb serve. Because trucks are identical, which blocked
** truck moves first does not change these counts, and FIFO needs no more
** state.
*/
struct tandem_space {
    uint32_t k1, k2, c1;
    long *idx; /* (n1, n2, nb) -> state number, or -1 if not a state */
};

static size_t tandem_key(const struct tandem_space *s, uint32_t n1, uint32_t n2, uint32_t nb)
{
    return ((size_t)n1 * (s->k2 + 1) + n2) * (s->c1 + 1) + nb;
}

static long tandem_state(const struct tandem_space *s, uint32_t n1, uint32_t n2, uint32_t nb)
{
    long i = s->idx[tandem_key(s, n1, n2, nb)];
    assert(i >= 0);
    return i;
}

static void add_rate(gsl_matrix *q, long from, long to, double rate)
{
    *gsl_matrix_ptr(q, (size_t)from, (size_t)to) += rate;
    *gsl_matrix_ptr(q, (size_t)from, (size_t)from) -= rate;
}

void tc_exact_tandem(double lambda, uint32_t c1, double mu1, uint32_t k1, uint32_t c2, double mu2,
                     uint32_t k2, struct tc_exact_station out[2])
{
    assert(lambda > 0.0 && mu1 > 0.0 && mu2 > 0.0 && out);
    assert(c1 >= 1 && k1 >= c1 && c2 >= 1 && k2 >= c2);
    assert(k1 < 4096 && k2 < 4096);
    struct tandem_space s = {.k1 = k1, .k2 = k2, .c1 = c1};
    size_t n_key = (size_t)(k1 + 1) * (k2 + 1) * (c1 + 1);
    s.idx = tc_xmalloc(n_key * sizeof(*s.idx));
    long ns = 0;
    for (uint32_t n1 = 0; n1 <= k1; n1++)
        for (uint32_t n2 = 0; n2 <= k2; n2++)
            for (uint32_t nb = 0; nb <= c1; nb++) {
                bool valid = nb <= min_u32(n1, c1) && (nb == 0 || n2 == k2);
                s.idx[tandem_key(&s, n1, n2, nb)] = valid ? ns++ : -1;
            }

    gsl_matrix *q = gsl_matrix_calloc((size_t)ns, (size_t)ns);
    for (uint32_t n1 = 0; n1 <= k1; n1++)
        for (uint32_t n2 = 0; n2 <= k2; n2++)
            for (uint32_t nb = 0; nb <= c1; nb++) {
                long from = s.idx[tandem_key(&s, n1, n2, nb)];
                if (from < 0)
                    continue;
                uint32_t serving1 = min_u32(n1, c1) - nb;
                uint32_t serving2 = min_u32(n2, c2);
                if (n1 < k1)
                    add_rate(q, from, tandem_state(&s, n1 + 1, n2, nb), lambda);
                if (serving1 > 0) {
                    long to = n2 < k2 ? tandem_state(&s, n1 - 1, n2 + 1, 0)
                                      : tandem_state(&s, n1, n2, nb + 1);
                    add_rate(q, from, to, (double)serving1 * mu1);
                }
                if (serving2 > 0) {
                    /* A departure from 2 lets the first blocked truck in. */
                    long to = nb > 0 ? tandem_state(&s, n1 - 1, n2, nb - 1)
                                     : tandem_state(&s, n1, n2 - 1, 0);
                    add_rate(q, from, to, (double)serving2 * mu2);
                }
            }

    gsl_vector *pi = gsl_vector_alloc((size_t)ns);
    bool ok = tc_exact_ctmc_stationary(q, pi);
    assert(ok); /* the chain is irreducible: state (0,0,0) reaches and is reached by all */
    (void)ok;

    double l1 = 0, lq1 = 0, busy1 = 0, blocked1 = 0, loss = 0, l2 = 0, lq2 = 0, busy2 = 0;
    for (uint32_t n1 = 0; n1 <= k1; n1++)
        for (uint32_t n2 = 0; n2 <= k2; n2++)
            for (uint32_t nb = 0; nb <= c1; nb++) {
                long i = s.idx[tandem_key(&s, n1, n2, nb)];
                if (i < 0)
                    continue;
                double pr = gsl_vector_get(pi, (size_t)i);
                uint32_t occ1 = min_u32(n1, c1), occ2 = min_u32(n2, c2);
                l1 += n1 * pr;
                lq1 += (n1 - occ1) * pr;
                busy1 += (occ1 - nb) * pr;
                blocked1 += nb * pr;
                if (n1 == k1)
                    loss += pr;
                l2 += n2 * pr;
                lq2 += (n2 - occ2) * pr;
                busy2 += occ2 * pr;
            }

    out[0].lambda = lambda;
    out[0].p_loss = loss;
    out[0].throughput = lambda * (1.0 - loss);
    out[0].busy = busy1;
    out[0].util = busy1 / c1;
    out[0].blocked = blocked1;
    out[0].l = l1;
    out[0].lq = lq1;
    out[0].w = l1 / out[0].throughput;
    out[0].wq = lq1 / out[0].throughput;

    out[1].lambda = out[0].throughput;
    out[1].p_loss = 0.0;
    out[1].throughput = busy2 * mu2;
    out[1].busy = busy2;
    out[1].util = busy2 / c2;
    out[1].blocked = 0.0;
    out[1].l = l2;
    out[1].lq = lq2;
    out[1].w = l2 / out[1].throughput;
    out[1].wq = lq2 / out[1].throughput;

    gsl_vector_free(pi);
    gsl_matrix_free(q);
    free(s.idx);
}

/* ---- M_t/M/inf ---------------------------------------------------------- */

/*
** Over one piece the ODE is linear with constant input, hence the closed
** form in the header. Composing the n pieces gives m(T) = E^n m(0) + B, with
** E = e^{-mu h} and B the value after one period from m(0) = 0; the periodic
** solution is m(0) = B / (1 - E^n). 1 - E^n and 1 - E come from expm1, which
** keeps them accurate when mu h is small. Integrating a piece gives
** lambda h / mu + (m_i - lambda/mu)(1 - E)/mu; the second terms sum to
** (m_0 - m_n)/mu = 0 over a period, which is why the average is mean lambda/mu.
*/
double tc_exact_mt_minf(uint32_t n_piece, const double *lambda, double h, double mu, double *out_m)
{
    assert(n_piece >= 1 && lambda && h > 0.0 && mu > 0.0);
    double one_minus_e = -expm1(-mu * h);
    double e = 1.0 - one_minus_e;
    double m = 0.0;
    for (uint32_t i = 0; i < n_piece; i++) {
        assert(lambda[i] >= 0.0);
        m = lambda[i] / mu + (m - lambda[i] / mu) * e;
    }
    m = m / -expm1(-mu * h * (double)n_piece);

    double integral = 0.0;
    for (uint32_t i = 0; i < n_piece; i++) {
        if (out_m)
            out_m[i] = m;
        double eq = lambda[i] / mu;
        integral += eq * h + (m - eq) * one_minus_e / mu;
        m = eq + (m - eq) * e;
    }
    return integral / (h * (double)n_piece);
}
