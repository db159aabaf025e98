/*
** optimize_search: a neighbourhood search for grids too big to enumerate,
** then a clean-up among the best points it saw (Boesel, Nelson & Kim 2003,
** "Using ranking and selection to 'clean up' after simulation
** optimization", Operations Research 51). The search starts at the grid's
** centre, evaluates every neighbour (one step up or down one axis) with n0
** replications, moves to the best of them while that beats where it stands,
** and stops at a local optimum. Points are ordered by their means: feasible
** (every bound met) before infeasible (by the sum of the relative
** violations) before screened (by the offered load); among feasible ones
** the better objective; ties to the first in grid order. The search draws
** its own streams (the scenario's seed + 1), so the clean-up's first stage,
** on the scenario's seed, is not the sample that picked its candidates.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/stream.h"
#include "run/optimize.h"

uint32_t tc_opt_search_start(const struct tc_sweep *sw)
{
    uint32_t v = 0;
    for (uint32_t a = 0; a < sw->n_axes; a++)
        v = v * sw->axes[a].n + (sw->axes[a].n - 1) / 2;
    return v;
}

/* The variant one step (dir = +-1) along axis a from v, or TC_NONE past the edge. */
static uint32_t step(const struct tc_sweep *sw, uint32_t v, uint32_t a, int dir)
{
    uint32_t stride = 1;
    for (uint32_t b = sw->n_axes; --b > a;)
        stride *= sw->axes[b].n;
    uint32_t at = v / stride % sw->axes[a].n;
    if ((dir < 0 && at == 0) || (dir > 0 && at + 1 >= sw->axes[a].n))
        return TC_NONE;
    return dir < 0 ? v - stride : v + stride;
}

/* Class and score of candidate j of o (after its first stage), as the file's comment orders. */
static void score(const struct tc_opt *o, uint32_t j, struct tc_opt_visit *out)
{
    const struct tc_opt_cand *c = &o->c[j];
    const struct tc_opt_problem *p = o->p;
    for (size_t q = 0; q < o->n_q; q++)
        out->mean[q] = c->n ? tc_opt_stat(o, j, q).mean : (double)NAN;
    out->n = c->n;
    if (c->state == TC_OPT_SCREENED) {
        out->cls = TC_OPT_VISIT_SCREENED;
        out->score = c->load;
        return;
    }
    double viol = 0;
    for (size_t b = 0; b < p->n_bounds; b++) {
        double v =
            p->bounds[b].ge ? c->bound[b] - out->mean[1 + b] : out->mean[1 + b] - c->bound[b];
        viol += fmax(0.0, v / (fabs(c->bound[b]) > 0 ? fabs(c->bound[b]) : 1.0));
    }
    out->cls = viol > 0 ? TC_OPT_VISIT_INFEASIBLE : TC_OPT_VISIT_FEASIBLE;
    out->score = viol > 0 ? viol : (p->maximize ? -out->mean[0] : out->mean[0]);
}

static bool better(const struct tc_opt_visit *a, const struct tc_opt_visit *b)
{
    if (a->cls != b->cls)
        return a->cls < b->cls;
    if (a->score != b->score)
        return a->score < b->score;
    return a->var < b->var;
}

/* n0 replications of each of the variants vars[0..n) on the search's seed, into s. */
static int evaluate(struct tc_opt_search *s, const struct tc_opt_problem *p, const uint32_t *vars,
                    uint32_t n, uint32_t at_step)
{
    struct tc_opt_problem q = *p;
    q.cands = vars;
    q.n_cands = n;
    q.max_reps = p->n0; /* the first stage only */
    q.base = s->base;
    q.n_base = p->n_base + 1;
    q.search = NULL;
    struct tc_opt o;
    int err = tc_opt_prepare(&o, &q, NULL, NULL);
    if (!err)
        err = tc_opt_run(&o);
    if (err) {
        s->err_var = o.run_err && o.err_cand < n ? vars[o.err_cand] : vars[0];
        s->err_rep = o.err_rep;
        tc_opt_fini(&o);
        return err;
    }
    for (uint32_t j = 0; j < n; j++) {
        struct tc_opt_visit v = {.var = vars[j], .step = at_step};
        v.mean = tc_xcalloc(o.n_q, sizeof(double));
        score(&o, j, &v);
        s->reps += v.n;
        s->index[vars[j]] = (uint32_t)s->visits.n;
        TC_VEC_PUSH(s->visits, v);
    }
    tc_opt_fini(&o);
    return 0;
}

static int by_variant(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The clean-up's candidates: the n_final best visited, screened ones left out, in grid order. */
static void choose_final(struct tc_opt_search *s, uint32_t n_final)
{
    uint32_t *order = tc_xcalloc(s->visits.n + 1, sizeof(uint32_t));
    for (size_t i = 0; i < s->visits.n; i++) { /* insertion sort: a few hundred points at most */
        size_t j = i;
        for (; j > 0 && better(&s->visits.v[i], &s->visits.v[order[j - 1]]); j--)
            order[j] = order[j - 1];
        order[j] = (uint32_t)i;
    }
    s->final = tc_xcalloc(n_final + 1, sizeof(uint32_t));
    for (size_t i = 0; i < s->visits.n && s->n_final < n_final; i++) {
        struct tc_opt_visit *v = &s->visits.v[order[i]];
        if (v->cls == TC_OPT_VISIT_SCREENED)
            continue;
        v->final = true;
        s->final[s->n_final++] = v->var;
    }
    if (s->n_final == 0) /* everything seen was screened: the clean-up says so */
        s->final[s->n_final++] = s->visits.v[order[0]].var;
    qsort(s->final, s->n_final, sizeof(uint32_t), by_variant);
    free(order);
}

int tc_opt_search(struct tc_opt_search *s, const struct tc_opt_problem *p, uint64_t seed,
                  uint32_t n_final)
{
    const struct tc_sweep *sw = p->sw;
    memset(s, 0, sizeof(*s));
    s->n_q = 1 + p->n_bounds;
    s->seed = seed + 1;
    snprintf(s->seed_text, sizeof(s->seed_text), "%" PRIu64, s->seed);
    s->base = tc_xcalloc(p->n_base + 1, sizeof(*s->base));
    if (p->n_base)
        memcpy(s->base, p->base, p->n_base * sizeof(*s->base));
    s->base[p->n_base] = (struct tc_override){"seed", s->seed_text};
    s->index = tc_xmalloc((size_t)sw->n_variants * sizeof(uint32_t));
    memset(s->index, 0xff, (size_t)sw->n_variants * sizeof(uint32_t)); /* TC_NONE: not seen */
    uint32_t *nb = tc_xcalloc(2 * (size_t)sw->n_axes + 1, sizeof(uint32_t));
    uint32_t cur = tc_opt_search_start(sw);
    int err = evaluate(s, p, &cur, 1, 0);
    s->visits.v[0].on_path = true;
    while (!err) {
        uint32_t n = 0, n_new = 0, best = cur;
        for (uint32_t a = 0; a < sw->n_axes; a++)
            for (int dir = -1; dir <= 1; dir += 2) {
                uint32_t v = step(sw, cur, a, dir);
                if (v != TC_NONE)
                    nb[n++] = v;
            }
        uint32_t *fresh = tc_xcalloc(n + 1, sizeof(uint32_t));
        for (uint32_t j = 0; j < n; j++)
            if (s->index[nb[j]] == TC_NONE)
                fresh[n_new++] = nb[j];
        qsort(fresh, n_new, sizeof(uint32_t), by_variant);
        if (n_new)
            err = evaluate(s, p, fresh, n_new, s->n_moves + 1);
        free(fresh);
        for (uint32_t j = 0; j < n && !err; j++)
            if (better(&s->visits.v[s->index[nb[j]]], &s->visits.v[s->index[best]]))
                best = nb[j];
        if (err || best == cur)
            break; /* a local optimum: no neighbour is better */
        cur = best;
        s->visits.v[s->index[cur]].on_path = true;
        s->n_moves++;
    }
    free(nb);
    s->local_optimum = cur;
    if (!err)
        choose_final(s, n_final);
    return err;
}

void tc_opt_search_fini(struct tc_opt_search *s)
{
    for (size_t i = 0; i < s->visits.n; i++)
        free(s->visits.v[i].mean);
    free(s->visits.v);
    free(s->index);
    free(s->base);
    free(s->final);
    memset(s, 0, sizeof(*s));
}

static const char *const class_names[] = {"feasible", "infeasible", "screened"};

int tc_opt_write_search_csv(const struct tc_opt_search *s, const struct tc_opt *o, FILE *f)
{
    const struct tc_sweep *sw = o->p->sw;
    fputs("visit,step,candidate", f);
    for (uint32_t a = 0; a < sw->n_axes; a++)
        fputc(',', f), tc_csv_field(f, "", sw->axes[a].key, "");
    fputs(",replications", f);
    for (size_t q = 0; q < o->n_q; q++)
        fputc(',', f), tc_csv_field(f, "", o->q[q].name, ".mean");
    fputs(",by_its_means,on_path,final\n", f);
    uint32_t *idx = calloc(sw->n_axes + 1, sizeof(uint32_t));
    if (!idx)
        return -ENOMEM;
    for (size_t i = 0; i < s->visits.n; i++) {
        const struct tc_opt_visit *v = &s->visits.v[i];
        char *name = tc_sweep_variant_name_new(sw, v->var);
        fprintf(f, "%zu,%u,", i + 1, v->step);
        tc_csv_field(f, "", name, "");
        free(name);
        tc_sweep_variant(sw, v->var, idx);
        for (uint32_t a = 0; a < sw->n_axes; a++)
            fputc(',', f), tc_csv_field(f, "", sw->axes[a].values[idx[a]], "");
        fprintf(f, ",%u", v->n);
        for (size_t q = 0; q < o->n_q; q++) {
            fputc(',', f);
            tc_csv_number(f, v->mean[q]);
        }
        fprintf(f, ",%s,%s,%s\n", class_names[v->cls], v->on_path ? "yes" : "no",
                v->final ? "yes" : "no");
    }
    free(idx);
    return tc_stream_status(f);
}
