/*
** optimize: the smallest (or largest) objective over a sweep's grid subject
** to constraints on means, with a stated probability of being right
** (README.md, "Finding the smallest capacity"). A load screen first (a
** station with an unbounded queue and offered load >= 1 makes a candidate
** infeasible without simulation), then n0 replications per candidate, then
** one replication at a time to the candidates still in contention: each
** constraint's feasibility decided sequentially (Andradottir & Kim 2010),
** the best feasible selected by KN (Kim & Nelson 2001), alpha split
** between the two by Bonferroni. Every candidate uses the scenario's seed,
** so replication r of every candidate draws the same streams (common random
** numbers). Results are placed by (candidate, replication): the same for
** any thread count. Data and procedure only; the command is cli_optimize.c.
*/
#ifndef TCSIM_RUN_OPTIMIZE_H
#define TCSIM_RUN_OPTIMIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/xmem.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"
#include "tcsim/sweep.h"

/* One --subject-to 'M<=V' as given. */
struct tc_opt_bound {
    const char *text; /* the whole option, for messages */
    char *metric;     /* owned */
    bool ge;          /* >= (else <=) */
    char *value;      /* owned, as written: "24 h" */
};

/* Parses 'M<=V' or 'M>=V' into b; NULL or what is wrong. */
const char *tc_opt_parse_bound(const char *text, struct tc_opt_bound *b);
void tc_opt_bound_fini(struct tc_opt_bound *b);

struct tc_opt_search;
struct tc_opt;

/* One replication of one candidate, as the procedure asks for it. */
struct tc_opt_item {
    uint32_t cand, rep;
    int err;       /* 0, or how it ended early: -EINTR, -EOVERFLOW */
    double stop_t; /* then when */
};

/*
** Runs items elsewhere (MPI ranks, from the command line's layer): each
** item's values go in with tc_opt_put, its failure in its err. The items
** of one candidate are consecutive replications. NULL: on p->n_threads.
*/
typedef void tc_opt_batch_fn(void *ud, struct tc_opt *o, struct tc_opt_item *items, size_t n);

struct tc_opt_problem {
    const char *path;
    const struct tc_override *base; /* --set, -r... */
    size_t n_base;
    const struct tc_sweep *sw; /* the grid */
    const uint32_t *cands;     /* the candidates: these variants of sw (NULL: all of them) */
    uint32_t n_cands;
    const struct tc_opt_search *search; /* the search that chose them, or NULL */
    const char *objective;
    bool maximize;
    const struct tc_opt_bound *bounds;
    size_t n_bounds;
    double confidence;        /* in (0.5, 1) */
    const char *indifference; /* NULL: 5 % of the mean first-stage objective */
    double tolerance;         /* a constraint's epsilon, a fraction of |V| (default 0.05) */
    uint32_t n0, max_reps;
    uint32_t n_threads;
    const struct tc_stop *stop;
    tc_opt_batch_fn *batch; /* NULL: threads */
    void *batch_ud;
    uint32_t n_ranks; /* processes the batches go to (0 or 1: this one), for their size */
};

/* Where a candidate stands. */
enum tc_opt_state {
    TC_OPT_OPEN,         /* still in contention */
    TC_OPT_SCREENED,     /* offered load >= 1: infeasible without simulation */
    TC_OPT_INFEASIBLE,   /* a constraint was decided violated */
    TC_OPT_ELIMINATED,   /* a feasible candidate was better */
    TC_OPT_BEST,         /* the answer */
    TC_OPT_OUT_OF_BUDGET /* still open when --max-replications was spent */
};

/* One quantity per candidate: the objective (q 0) or a constraint (q 1..). */
struct tc_opt_quantity {
    const char *name; /* borrowed: objective or bound metric */
    bool det;         /* a varied key: a number known without simulating */
    bool time;        /* a duration (in the candidate's time_unit) */
};

struct tc_opt_cand {
    uint32_t var; /* its variant of the grid */
    struct tc_scenario *sc;
    struct tc_metrics metrics;
    uint32_t *seeds;  /* max_reps replications */
    uint32_t per_rep; /* seeds per replication */
    size_t *metric;   /* per quantity: catalogue index, or SIZE_MAX when det */
    double *det;      /* per quantity: its value when det */
    double *bound;    /* per bound: V in the candidate's time_unit */
    double *eps;      /* per bound: tolerance */
    int8_t *feas;     /* per bound: 1 feasible, -1 infeasible, 0 undecided */
    enum tc_opt_state state;
    uint32_t n;     /* replications spent */
    uint32_t stage; /* replication count when it left contention (0: screened) */
    char why[256];  /* why it left */
    double load;    /* the highest offered load screened, or NAN */
};

struct tc_opt {
    const struct tc_opt_problem *p;
    uint32_t k; /* candidates */
    struct tc_opt_cand *c;
    size_t n_q; /* 1 + n_bounds */
    struct tc_opt_quantity *q;
    double *y;         /* k x max_reps x n_q: the values, placed by (candidate, replication) */
    double delta;      /* the objective's indifference, in its units */
    double alpha_feas; /* per (candidate, bound) pair after Bonferroni */
    double alpha_sel;  /* KN's alpha */
    double h2_feas, h2_sel;
    uint32_t best;         /* TC_NONE: none */
    uint32_t runner_up;    /* TC_NONE: none */
    uint32_t undecided[2]; /* the pair still open when the budget ran out, or TC_NONE */
    uint64_t more;         /* about that many more replications each would decide it */
    uint32_t closest;      /* infeasible problem: the smallest violation */
    uint64_t total_reps;
    uint64_t equal_allocation;
    TC_VEC(char *) errors; /* what is wrong with the input, all at once */
    /* a replication that failed: -EINTR, -EOVERFLOW, the candidate and replication */
    int run_err;
    uint32_t err_cand, err_rep;
    double err_t;
};

/*
** Grids of more than this many points are searched (optimize_search.c)
** rather than enumerated, unless told otherwise.
*/
#define TC_OPT_SEARCH_ABOVE 300u
/* The search's clean-up compares this many of the best points it saw. */
#define TC_OPT_SEARCH_FINAL 5u

enum tc_opt_visit_class { TC_OPT_VISIT_FEASIBLE, TC_OPT_VISIT_INFEASIBLE, TC_OPT_VISIT_SCREENED };

/* One grid point the search evaluated (n0 replications on the search's seed). */
struct tc_opt_visit {
    uint32_t var;                /* its variant */
    uint32_t step;               /* evaluated around the step-th point of the path (0: the start) */
    uint32_t n;                  /* replications (0: screened) */
    double *mean;                /* per quantity, owned */
    enum tc_opt_visit_class cls; /* by its means */
    double score;                /* within its class, lower is better */
    bool on_path, final;         /* a point moved to; a clean-up candidate */
};

struct tc_opt_search {
    TC_VEC(struct tc_opt_visit) visits; /* in the order evaluated */
    uint32_t *index;                    /* per variant: its visit, or TC_NONE */
    uint32_t n_moves, local_optimum;
    uint32_t *final; /* the clean-up's candidates, in grid order */
    uint32_t n_final;
    uint64_t reps, seed; /* replications spent searching; the seed they used */
    size_t n_q;
    struct tc_override *base; /* the problem's base overrides and the search's seed */
    char seed_text[24];
    uint32_t err_var, err_rep; /* a failed replication */
};

/* The grid's centre, where the search starts. */
uint32_t tc_opt_search_start(const struct tc_sweep *sw);

/*
** Searches p's grid from its centre (p->cands ignored; seed: the scenario's,
** the search uses seed + 1) and picks the n_final best points seen. 0, or a
** replication's error (-EINTR ...; s->err_var, s->err_rep). Then run the
** procedure with p->cands = s->final.
*/
int tc_opt_search(struct tc_opt_search *s, const struct tc_opt_problem *p, uint64_t seed,
                  uint32_t n_final);
void tc_opt_search_fini(struct tc_opt_search *s);
int tc_opt_write_search_csv(const struct tc_opt_search *s, const struct tc_opt *o, FILE *f);

/* The value of quantity q in replication r of candidate i. */
static inline double tc_opt_y(const struct tc_opt *o, uint32_t i, uint32_t r, size_t q)
{
    return o->y[((size_t)i * o->p->max_reps + r) * o->n_q + q];
}

/*
** Loads every candidate and resolves the objective and the bounds by name
** in each one's metric catalogue; diags_fn gets a candidate's load
** diagnostics with its variant of the grid (may be NULL). Returns 0, or -EINVAL with o->errors (or
*the
** diagnostics) saying what is wrong; nothing has run.
*/
typedef void tc_opt_diag_fn(void *ud, uint32_t variant, const struct tc_diags *diags);
int tc_opt_prepare(struct tc_opt *o, const struct tc_opt_problem *p, tc_opt_diag_fn *fn, void *ud);

/* Replication rep of candidate cand gave values (its metric catalogue's): into o->y. */
void tc_opt_put(struct tc_opt *o, uint32_t cand, uint32_t rep, const double *values);

/* Runs the procedure. 0, or the failed replication's error (o->run_err, -EINTR, -EOVERFLOW). */
int tc_opt_run(struct tc_opt *o);

/* The mean and ci95 of quantity q of candidate i over its replications. */
struct tc_stat tc_opt_stat(const struct tc_opt *o, uint32_t i, size_t q);

/* optimize.csv and optimize.json (optimize_write.c). 0 or -errno. */
int tc_opt_write_csv(const struct tc_opt *o, FILE *f);
int tc_opt_write_json(const struct tc_opt *o, FILE *f);

void tc_opt_fini(struct tc_opt *o);

#endif
