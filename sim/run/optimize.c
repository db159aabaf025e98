/*
** optimize: the procedure of optimize.h. Notation as in Kim & Nelson
** (2001): n0 first-stage replications, pairwise variances S2_il of the
** differences X_i - X_l from the first stage (common random numbers make
** them small), eta = 1/2 [(2 alpha / (k - 1))^(-2/(n0-1)) - 1],
** h2 = 2 eta (n0 - 1), and i leaves when its running sum of differences
** leaves the triangle W_il(r) = max(0, delta/(2r) (h2 S2_il / delta^2 - r)).
** Feasibility (Andradottir & Kim 2010): per (candidate, bound), the sum of
** Y - V against R(r) = max(0, h2 S2 / (2 eps) - eps r / 2), one side
** feasible, the other infeasible; each pair gets alpha_feas / (k s)
** (Bonferroni). Only a candidate proven feasible may eliminate another.
*/
#include "run/optimize.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rng.h"
#include "tcsim/engine.h"
#include "tcsim/metrics.h"

/* ==== Replications on threads: a pool over (candidate, replication) items ==== */

struct pool {
    struct tc_opt *o;
    struct tc_opt_item *items;
    size_t n;
    atomic_size_t next;
    size_t n_values; /* the largest catalogue */
};

static void run_item(struct pool *pl, struct tc_opt_item *it, double *values)
{
    struct tc_opt *o = pl->o;
    struct tc_opt_cand *c = &o->c[it->cand];
    bool any = false;
    for (size_t q = 0; q < o->n_q; q++)
        any |= !o->q[q].det;
    if (any) {
        struct tc_rep_info info;
        tc_runner_run_rep(c->sc, &c->metrics, it->rep, c->seeds + (size_t)it->rep * c->per_rep, 0,
                          o->p->stop, values, NULL, &info);
        if (info.status != TC_ENGINE_DONE) {
            it->err = info.status == TC_ENGINE_INTERRUPTED ? -EINTR : -EOVERFLOW;
            it->stop_t = info.stop_t;
        }
    }
    tc_opt_put(o, it->cand, it->rep, values);
}

void tc_opt_put(struct tc_opt *o, uint32_t cand, uint32_t rep, const double *values)
{
    const struct tc_opt_cand *c = &o->c[cand];
    double *y = o->y + ((size_t)cand * o->p->max_reps + rep) * o->n_q;
    for (size_t q = 0; q < o->n_q; q++)
        y[q] = o->q[q].det ? c->det[q] : values[c->metric[q]];
}

static void *pool_worker(void *arg)
{
    struct pool *pl = arg;
    double *values = tc_xcalloc(pl->n_values ? pl->n_values : 1, sizeof(double));
    for (;;) {
        size_t i = atomic_fetch_add(&pl->next, 1);
        if (i >= pl->n)
            break;
        run_item(pl, &pl->items[i], values);
    }
    free(values);
    return NULL;
}

/* Runs the items on the threads; their failures stay in the items (see take_item). */
static void run_items(struct tc_opt *o, struct tc_opt_item *items, size_t n)
{
    if (o->p->batch) {
        o->p->batch(o->p->batch_ud, o, items, n);
        return;
    }
    struct pool pl = {.o = o, .items = items, .n = n};
    atomic_init(&pl.next, 0);
    for (uint32_t i = 0; i < o->k; i++)
        if (o->c[i].sc && o->c[i].metrics.n > pl.n_values)
            pl.n_values = o->c[i].metrics.n;
    uint32_t nt = o->p->n_threads;
    if (nt > n)
        nt = (uint32_t)n;
    if (nt <= 1) {
        pool_worker(&pl);
        return;
    }
    pthread_t *th = tc_xcalloc(nt, sizeof(*th));
    uint32_t started = 0;
    while (started < nt && pthread_create(&th[started], NULL, pool_worker, &pl) == 0)
        started++;
    if (started == 0)
        pool_worker(&pl);
    for (uint32_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
}

/*
** Counts a replication as spent by its candidate: 0, or its failure (to
** o->run_err). Only replications the procedure uses are taken, so one run
** ahead (see tc_opt_run) and never used cannot fail the procedure.
*/
static int take_item(struct tc_opt *o, const struct tc_opt_item *it)
{
    if (it->err) {
        o->run_err = it->err;
        o->err_cand = it->cand;
        o->err_rep = it->rep;
        o->err_t = it->stop_t;
        return o->run_err;
    }
    for (size_t q = 0; q < o->n_q; q++)
        if (isnan(tc_opt_y(o, it->cand, it->rep, q))) {
            o->run_err = -EDOM; /* undefined in this replication (no waits, say) */
            o->err_cand = it->cand;
            o->err_rep = it->rep;
            o->err_t = (double)q;
            return o->run_err;
        }
    o->c[it->cand].n = it->rep + 1;
    return 0;
}

/* ==== The procedure ==== */

struct tc_stat tc_opt_stat(const struct tc_opt *o, uint32_t i, size_t q)
{
    struct tc_stat s;
    uint32_t n = o->c[i].n;
    if (n == 0)
        return (struct tc_stat){(double)NAN, (double)NAN, (double)NAN, (double)NAN, 0};
    tc_stat_reduce(o->y + (size_t)i * o->p->max_reps * o->n_q + q, n, o->n_q, &s);
    return s;
}

/* Sample variance over the first n0 replications of (a_q - b_q) (b NULL: of a_q). */
static double var_n0(const struct tc_opt *o, uint32_t a, int64_t b, size_t q)
{
    uint32_t n0 = o->p->n0;
    double m = 0, s = 0;
    for (uint32_t r = 0; r < n0; r++) {
        double x = tc_opt_y(o, a, r, q) - (b >= 0 ? tc_opt_y(o, (uint32_t)b, r, q) : 0.0);
        double d = x - m;
        m += d / (r + 1);
        s += d * (x - m);
    }
    return n0 > 1 ? s / (n0 - 1) : 0.0;
}

static double sum_to(const struct tc_opt *o, uint32_t i, uint32_t r, size_t q)
{
    double s = 0;
    for (uint32_t j = 0; j < r; j++)
        s += tc_opt_y(o, i, j, q);
    return s;
}

static double eta(double a, uint32_t n0)
{
    return 0.5 * (pow(2.0 * a, -2.0 / (n0 - 1.0)) - 1.0);
}

static bool all_feasible(const struct tc_opt_cand *c, size_t n_bounds)
{
    for (size_t b = 0; b < n_bounds; b++)
        if (c->feas[b] != 1)
            return false;
    return true;
}

static void leave(struct tc_opt_cand *c, enum tc_opt_state st, uint32_t r, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void leave(struct tc_opt_cand *c, enum tc_opt_state st, uint32_t r, const char *fmt, ...)
{
    c->state = st;
    c->stage = r;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof(c->why), fmt, ap);
    va_end(ap);
}

/* Feasibility of every open candidate's undecided bounds after r replications. */
static void check_feasibility(struct tc_opt *o, uint32_t r)
{
    const struct tc_opt_problem *p = o->p;
    for (uint32_t i = 0; i < o->k; i++) {
        struct tc_opt_cand *c = &o->c[i];
        if (c->state != TC_OPT_OPEN)
            continue;
        for (size_t b = 0; b < p->n_bounds; b++) {
            if (c->feas[b])
                continue;
            double sign = p->bounds[b].ge ? -1.0 : 1.0; /* >= V is -Y <= -V */
            double z = sign * (sum_to(o, i, r, 1 + b) - r * c->bound[b]);
            double eps = c->eps[b];
            double rr =
                o->q[1 + b].det
                    ? 0.0
                    : fmax(0.0, o->h2_feas * var_n0(o, i, -1, 1 + b) / (2 * eps) - eps * r / 2);
            if (z <= -rr)
                c->feas[b] = 1;
            else if (z >= rr)
                c->feas[b] = -1;
            if (c->feas[b] == -1) {
                char v[64];
                snprintf(v, sizeof(v), "%.4g", sum_to(o, i, r, 1 + b) / r);
                leave(c, TC_OPT_INFEASIBLE, r, "%s: mean %s, not %s %s", o->q[1 + b].name, v,
                      p->bounds[b].ge ? ">=" : "<=", p->bounds[b].value);
                break;
            }
        }
    }
}

/* KN elimination among the open candidates after r replications: only a feasible one eliminates. */
static void check_selection(struct tc_opt *o, uint32_t r)
{
    const struct tc_opt_problem *p = o->p;
    double sg = p->maximize ? -1.0 : 1.0;
    bool *out = tc_xcalloc(o->k, sizeof(bool));
    uint32_t *by = tc_xcalloc(o->k, sizeof(uint32_t));
    for (uint32_t i = 0; i < o->k; i++) {
        if (o->c[i].state != TC_OPT_OPEN)
            continue;
        for (uint32_t l = 0; l < o->k && !out[i]; l++) {
            if (l == i || o->c[l].state != TC_OPT_OPEN || !all_feasible(&o->c[l], p->n_bounds))
                continue;
            double d = sg * (sum_to(o, i, r, 0) - sum_to(o, l, r, 0)) / r;
            bool gone;
            if (o->q[0].det) {
                gone = d > 0 || (d == 0 && i > l); /* a tie goes to the first in grid order */
            } else {
                double w =
                    fmax(0.0, o->delta / (2.0 * r) *
                                  (o->h2_sel * var_n0(o, i, l, 0) / (o->delta * o->delta) - r));
                gone = d > w;
            }
            if (gone) {
                out[i] = true;
                by[i] = l;
            }
        }
    }
    for (uint32_t i = 0; i < o->k; i++)
        if (out[i]) {
            char *name = tc_sweep_variant_name_new(p->sw, o->c[by[i]].var);
            leave(&o->c[i], TC_OPT_ELIMINATED, r, "%s than %s, which is feasible",
                  p->maximize ? "smaller" : "larger", name);
            free(name);
        }
    free(out);
    free(by);
}

/* The largest relative violation of c's bounds, from its means (screened: its load). */
static double violation(const struct tc_opt *o, uint32_t i)
{
    const struct tc_opt_cand *c = &o->c[i];
    if (c->state == TC_OPT_SCREENED)
        return (double)INFINITY;
    double worst = -(double)INFINITY;
    for (size_t b = 0; b < o->p->n_bounds; b++) {
        struct tc_stat s = tc_opt_stat(o, i, 1 + b);
        double v = (o->p->bounds[b].ge ? c->bound[b] - s.mean : s.mean - c->bound[b]) /
                   fmax(fabs(c->bound[b]), 1e-300);
        worst = fmax(worst, v);
    }
    return worst;
}

static double mean_obj(const struct tc_opt *o, uint32_t i)
{
    return (o->p->maximize ? -1.0 : 1.0) * tc_opt_stat(o, i, 0).mean;
}

/* After the procedure: best, runner-up, the undecided pair, the closest infeasible. */
static void conclude(struct tc_opt *o, uint32_t r)
{
    const struct tc_opt_problem *p = o->p;
    uint32_t n_open = 0, first = TC_NONE, second = TC_NONE;
    for (uint32_t i = 0; i < o->k; i++)
        if (o->c[i].state == TC_OPT_OPEN) {
            n_open++;
            if (first == TC_NONE || mean_obj(o, i) < mean_obj(o, first)) {
                second = first;
                first = i;
            } else if (second == TC_NONE || mean_obj(o, i) < mean_obj(o, second)) {
                second = i;
            }
        }
    if (n_open == 1 && all_feasible(&o->c[first], p->n_bounds)) {
        o->best = first;
        o->c[first].state = TC_OPT_BEST;
        o->c[first].stage = r;
        snprintf(o->c[first].why, sizeof(o->c[first].why), "the best feasible");
        for (uint32_t i = 0; i < o->k; i++) {
            enum tc_opt_state s = o->c[i].state;
            if (i != first && (s == TC_OPT_ELIMINATED) &&
                (o->runner_up == TC_NONE || mean_obj(o, i) < mean_obj(o, o->runner_up)))
                o->runner_up = i;
        }
        return;
    }
    if (n_open == 0) {
        for (uint32_t i = 0; i < o->k; i++)
            if (o->closest == TC_NONE || violation(o, i) < violation(o, o->closest) ||
                (o->c[o->closest].state == TC_OPT_SCREENED && o->c[i].state == TC_OPT_SCREENED &&
                 o->c[i].load < o->c[o->closest].load))
                o->closest = i;
        return;
    }
    /* out of budget: how many more would close the pairs and bounds still open */
    o->undecided[0] = first;
    o->undecided[1] = second;
    double need = 0;
    for (uint32_t i = 0; i < o->k; i++) {
        struct tc_opt_cand *c = &o->c[i];
        if (c->state != TC_OPT_OPEN)
            continue;
        for (size_t b = 0; b < p->n_bounds; b++)
            if (!c->feas[b] && !o->q[1 + b].det)
                need = fmax(need, o->h2_feas * var_n0(o, i, -1, 1 + b) / (c->eps[b] * c->eps[b]));
        if (!o->q[0].det && i != first)
            need = fmax(need, o->h2_sel * var_n0(o, i, first, 0) / (o->delta * o->delta));
    }
    o->more = need > r ? (uint64_t)ceil(need) - r : 1;
    for (uint32_t i = 0; i < o->k; i++)
        if (o->c[i].state == TC_OPT_OPEN) {
            o->c[i].state = TC_OPT_OUT_OF_BUDGET;
            o->c[i].stage = r;
            snprintf(o->c[i].why, sizeof(o->c[i].why), "undecided at --max-replications %u",
                     p->max_reps);
        }
}

/* Equal allocation: every candidate run to the end of the widest triangle. */
static void equal_allocation(struct tc_opt *o)
{
    const struct tc_opt_problem *p = o->p;
    double need = p->n0;
    uint64_t k = 0;
    for (uint32_t i = 0; i < o->k; i++) {
        const struct tc_opt_cand *c = &o->c[i];
        if (c->state == TC_OPT_SCREENED)
            continue;
        k++;
        for (size_t b = 0; b < p->n_bounds; b++)
            if (!o->q[1 + b].det)
                need = fmax(need, o->h2_feas * var_n0(o, i, -1, 1 + b) / (c->eps[b] * c->eps[b]));
        for (uint32_t l = i + 1; !o->q[0].det && l < o->k; l++)
            if (o->c[l].state != TC_OPT_SCREENED)
                need = fmax(need, o->h2_sel * var_n0(o, i, l, 0) / (o->delta * o->delta));
    }
    o->equal_allocation = k * (uint64_t)ceil(need);
}

/* Every open candidate has spent r replications: is the procedure over? */
static bool finished(struct tc_opt *o, uint32_t r)
{
    check_feasibility(o, r);
    check_selection(o, r);
    uint32_t n_open = 0, last = TC_NONE;
    for (uint32_t i = 0; i < o->k; i++)
        if (o->c[i].state == TC_OPT_OPEN)
            n_open++, last = i;
    if (n_open == 0 || r >= o->p->max_reps)
        return true;
    return n_open == 1 && all_feasible(&o->c[last], o->p->n_bounds);
}

/*
** The fully sequential stage: one replication at a time to each open
** candidate, the checks after each. On one thread that is a batch of one
** replication per open candidate; with more, a few open candidates would
** leave threads idle between checks, so a batch runs `ahead` replications
** of each (at least 4 items a thread, over every MPI rank), and the checks
** are replayed after each replication in turn as if they had come one at a
** time. A candidate that leaves part-way keeps only the replications before
** it left (the rest are never taken), so the answer and every number are
** the same for any thread or rank count; only a little simulation is
** wasted.
*/
static int sequential(struct tc_opt *o, uint32_t *rp)
{
    const struct tc_opt_problem *p = o->p;
    struct tc_opt_item *items = NULL;
    size_t n = 0, cap = 0;
    uint32_t r = *rp, avail = r; /* open candidates have replications up to avail */
    int err = 0;
    while (!finished(o, r)) {
        if (avail == r) {
            uint32_t n_open = 0;
            for (uint32_t i = 0; i < o->k; i++)
                n_open += o->c[i].state == TC_OPT_OPEN;
            uint32_t workers = p->n_threads * (p->n_ranks > 1 ? p->n_ranks : 1);
            uint32_t ahead = workers <= 1 ? 1 : (4 * workers + n_open - 1) / n_open;
            if (ahead > p->max_reps - r)
                ahead = p->max_reps - r;
            if ((size_t)n_open * ahead > cap) {
                cap = (size_t)n_open * ahead;
                free(items);
                items = tc_xcalloc(cap, sizeof(*items));
            }
            n = 0;
            for (uint32_t i = 0; i < o->k; i++)
                for (uint32_t j = 0; j < ahead && o->c[i].state == TC_OPT_OPEN; j++)
                    items[n++] = (struct tc_opt_item){i, r + j, 0, 0};
            run_items(o, items, n);
            avail = r + ahead;
        }
        for (size_t j = 0; j < n && !err; j++) /* replication r of the still open */
            if (items[j].rep == r && o->c[items[j].cand].state == TC_OPT_OPEN)
                err = take_item(o, &items[j]);
        if (err)
            break;
        r++;
    }
    free(items);
    *rp = r;
    return err;
}

int tc_opt_run(struct tc_opt *o)
{
    const struct tc_opt_problem *p = o->p;
    uint32_t k_open = 0;
    size_t n_stoch_bounds = 0;
    for (uint32_t i = 0; i < o->k; i++)
        k_open += o->c[i].state == TC_OPT_OPEN;
    for (size_t b = 0; b < p->n_bounds; b++)
        n_stoch_bounds += !o->q[1 + b].det;
    /* Bonferroni: alpha to feasibility and selection where both are in play */
    double alpha = 1.0 - p->confidence;
    bool sel = !o->q[0].det && k_open > 1;
    double a_feas = n_stoch_bounds ? (sel ? alpha / 2 : alpha) : 0.0;
    o->alpha_sel = sel ? alpha - a_feas : 0.0;
    o->alpha_feas = n_stoch_bounds && k_open ? a_feas / ((double)k_open * n_stoch_bounds) : 0.0;
    o->h2_feas = o->alpha_feas > 0 ? 2 * eta(o->alpha_feas, p->n0) * (p->n0 - 1) : 0.0;
    o->h2_sel = sel ? 2 * eta(o->alpha_sel / (k_open - 1), p->n0) * (p->n0 - 1) : 0.0;

    struct tc_opt_item *items = tc_xcalloc((size_t)o->k * p->n0 + 1, sizeof(*items));
    size_t n = 0;
    for (uint32_t i = 0; i < o->k; i++)
        for (uint32_t r = 0; r < p->n0 && o->c[i].state == TC_OPT_OPEN; r++)
            items[n++] = (struct tc_opt_item){i, r, 0, 0};
    run_items(o, items, n);
    int err = 0;
    for (size_t j = 0; j < n && !err; j++)
        err = take_item(o, &items[j]);
    free(items);
    if (err)
        return err;
    if (!p->indifference && !o->q[0].det) { /* 5 % of the mean first-stage objective */
        double s = 0;
        uint32_t m = 0;
        for (uint32_t i = 0; i < o->k; i++)
            if (o->c[i].state == TC_OPT_OPEN)
                s += fabs(tc_opt_stat(o, i, 0).mean), m++;
        o->delta = m && s > 0 ? 0.05 * s / m : 1.0;
    }
    equal_allocation(o);
    uint32_t r = p->n0;
    err = sequential(o, &r);
    if (err)
        return err;
    conclude(o, r);
    for (uint32_t i = 0; i < o->k; i++)
        o->total_reps += o->c[i].n;
    return 0;
}
