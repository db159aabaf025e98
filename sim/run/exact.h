/*
** exact: closed-form and numerically exact queueing results that the theory
** tests and `tcsim verify` hold the simulator against: M/M/1, M/M/c, M/M/inf,
** Erlang B/C, M/M/c/K, M/G/1 (Pollaczek-Khinchine), non-preemptive priority
** (Cobham), Erlang-A, Jackson networks, a finite-CTMC solver with a blocking
** tandem on top, and M_t/M/inf. Rates are per time unit and every time is in
** that same unit. Functions are pure (no state, thread-safe). Birth-death and
** closed forms cost O(c + K); the CTMC solver is dense LU, O(n^3) for n states,
** so it is meant for a few thousand states at most.
*/
#ifndef TCSIM_EXACT_H
#define TCSIM_EXACT_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* A server count meaning "unlimited" (M/M/inf) where a function accepts it. */
#define TC_EXACT_UNLIMITED UINT32_MAX

/*
** Steady state of one station, named like the metrics of summary.json. Times are
** per admitted truck (Little's law on the throughput). Where the system is
** unstable every field is NAN.
*/
struct tc_exact_station {
    double lambda;     /* offered arrival rate */
    double throughput; /* admitted rate = departure rate */
    double p_loss;     /* fraction of arrivals rejected (0 without a capacity) */
    double busy;       /* mean servers serving (blocked trucks not counted) */
    double util;       /* busy / c; busy itself when c is unlimited */
    double blocked;    /* mean trucks blocked after service (tandem only) */
    double l;          /* mean present: waiting + in service + blocked */
    double lq;         /* mean waiting for a server */
    double w;          /* mean sojourn = l / throughput */
    double wq;         /* mean wait for a server = lq / throughput */
};

/* ---- Erlang formulas ---------------------------------------------------- */

/*
** Erlang B: blocking probability of M/M/c/c with offered load a = lambda/mu,
** by the recursion B(n) = a B(n-1) / (n + a B(n-1)), stable for any c.
*/
double tc_exact_erlang_b(uint32_t c, double a);

/*
** Erlang C: probability that an arrival waits in M/M/c, from Erlang B:
** C = c B / (c - a (1 - B)). NAN when a >= c.
*/
double tc_exact_erlang_c(uint32_t c, double a);

/* ---- Single stations ---------------------------------------------------- */

/* M/M/1. False (all NAN) when lambda >= mu. */
bool tc_exact_mm1(double lambda, double mu, struct tc_exact_station *out);

/*
** M/M/c (c may be TC_EXACT_UNLIMITED: M/M/inf, L = lambda/mu, no wait).
** Wq = C(c,a) / (c mu - lambda). False (all NAN) when lambda >= c mu.
**
** Road queue identity: a station with no waiting room (capacity K = c) and an
** unlimited road queue in front of it (when_full: wait; docs/design.md) is exactly
** M/M/c: the road queue is the Erlang C queue, so road trucks = Lq, road wait
** = Wq, and the station itself holds L - Lq = lambda/mu trucks on average.
*/
bool tc_exact_mmc(double lambda, double mu, uint32_t c, struct tc_exact_station *out);

/*
** M/M/c/K with rejection (K >= c >= 1 places in all): the birth-death
** stationary distribution p_n, n = 0..K. out_pi, if not NULL, receives the
** K+1 probabilities. p_loss = p_K (PASTA); always stable.
*/
void tc_exact_mmck(double lambda, double mu, uint32_t c, uint32_t k, double *out_pi,
                   struct tc_exact_station *out);

/*
** M/G/1, Pollaczek-Khinchine: Wq = lambda E[S^2] / (2 (1 - rho)) from the
** service mean and variance. False (all NAN) when rho = lambda mean_s >= 1.
*/
bool tc_exact_mg1(double lambda, double mean_s, double var_s, struct tc_exact_station *out);

/* E[S^2] = var + mean^2, the moment the P-K and Cobham formulas need. */
double tc_exact_m2(double mean, double var);

/* ---- Non-preemptive priority (Cobham) ----------------------------------- */

/*
** Classes are indexed by priority, 0 served first; FIFO within a class.
** Each writes out_wq[k], the mean wait of class k, for k < n_class; then
** W_k = Wq_k + E[S_k] and Lq_k = lambda_k Wq_k. When the total load is >= 1
** every out_wq is NAN and the result is false (the formulas assume every class
** is served in the long run).
*/

/* M/G/1: Wq_k = W0 / ((1 - s_{k-1})(1 - s_k)), W0 = sum lambda_i E[S_i^2] / 2,
** s_k = sum_{i<=k} lambda_i E[S_i]; es2 is E[S^2] (see tc_exact_m2). */
bool tc_exact_prio_mg1(uint32_t n_class, const double *lambda, const double *es, const double *es2,
                       double *out_wq);

/* M/M/1 with a service rate per class: the M/G/1 case with E[S^2] = 2/mu^2. */
bool tc_exact_prio_mm1(uint32_t n_class, const double *lambda, const double *mu, double *out_wq);

/* M/M/c with a common service rate mu: Wq_k = C(c,a) / (c mu) / ((1 - s_{k-1})(1 - s_k)),
** s_k = sum_{i<=k} lambda_i / (c mu). */
bool tc_exact_prio_mmc(uint32_t n_class, const double *lambda, double mu, uint32_t c,
                       double *out_wq);

/* ---- Erlang-A: M/M/c + M ------------------------------------------------ */

struct tc_exact_erlang_a {
    double p_abandon;  /* fraction of arrivals that abandon = theta Lq / lambda */
    double p_wait;     /* fraction of arrivals that find all servers busy */
    double throughput; /* served rate = lambda (1 - p_abandon) */
    double busy;       /* mean busy servers = throughput / mu */
    double l, lq;      /* mean present, mean waiting */
    double wq;         /* mean wait of all arrivals, abandoners included = lq / lambda */
    double wq_served;  /* mean wait of the trucks that are served */
};

/*
** Exponential patience of rate theta > 0, abandonment only while waiting
** (never in service). The birth-death chain (deaths min(n,c) mu + (n-c)+ theta)
** is summed until the bound on the remaining tail is below 1e-15 of the mass;
** no allocation. Always stable.
*/
void tc_exact_erlang_a(double lambda, double mu, uint32_t c, double theta,
                       struct tc_exact_erlang_a *out);

/* ---- Jackson networks --------------------------------------------------- */

/*
** n stations, each M/M/c_i (c_i may be TC_EXACT_UNLIMITED) with rate mu[i];
** lambda0[i] outside arrivals; p[i*n + j] the probability of going from i to
** j (rows sum to <= 1, the rest leaves). Solves lambda = lambda0 + P^T lambda
** by LU and fills out_st[i] (out_st[i].lambda is the total arrival rate) and
** *out_t_system = sum L_i / sum lambda0. False when the routing has no exit
** (singular system) or a station is unstable; the unstable stations and
** *out_t_system are then NAN.
*/
bool tc_exact_jackson(uint32_t n, const double *lambda0, const double *p, const uint32_t *c,
                      const double *mu, struct tc_exact_station *out_st, double *out_t_system);

/* ---- Finite CTMCs ------------------------------------------------------- */

/*
** Stationary distribution of an irreducible finite CTMC: solves pi Q = 0,
** sum pi = 1 with Q the n x n generator (rows sum to 0) by LU on Q^T with its
** last equation replaced by the normalisation. q is not modified; out_pi has
** length n. False when the system is singular (reducible chain); out_pi is
** then NAN.
*/
bool tc_exact_ctmc_stationary(const gsl_matrix *q, gsl_vector *out_pi);

/*
** Two-station tandem with blocking after service, exact via the CTMC above.
** Poisson(lambda) arrivals to station 1 (c1 servers of rate mu1, capacity
** K1 >= c1 counting waiting + in service + blocked); arrivals finding it full
** are lost. A truck done at 1 moves to station 2 (c2 servers of rate mu2,
** capacity K2 >= c2) or, if 2 is full, stays blocked on its server at 1 until
** 2 has room (blocked trucks move in FIFO order). out[0] and out[1] are the
** two stations; out[0].p_loss is the loss at station 1, out[1].p_loss = 0.
** States: (n1, n2, blocked) with blocked > 0 only when n2 = K2, about
** (K1+1)(K2+1) + K1 c1 of them; keep that below a few thousand.
*/
void tc_exact_tandem(double lambda, uint32_t c1, double mu1, uint32_t k1, uint32_t c2, double mu2,
                     uint32_t k2, struct tc_exact_station out[2]);

/* ---- M_t/M/inf ---------------------------------------------------------- */

/*
** Periodic mean number present m(t) of M_t/M/inf with a piecewise-constant
** rate: lambda[i] on [i h, (i+1) h) for i < n_piece (24 hourly values with h
** one hour in the time unit), repeating every n_piece h. m solves
** m' = lambda(t) - mu m; per piece m(t+s) = lambda/mu + (m(t) - lambda/mu)
** e^{-mu s}, and the periodic fixed point is solved exactly. out_m[i] = m(i h)
** (n_piece values; m(n_piece h) = out_m[0]); returns the average of m over a
** period, which equals mean(lambda) / mu.
*/
double tc_exact_mt_minf(uint32_t n_piece, const double *lambda, double h, double mu, double *out_m);

#endif
