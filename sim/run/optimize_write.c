/*
** optimize_write: optimize.csv (one row per candidate) and optimize.json
** (the answer), numbers through jsonw's formatter as everywhere else, so
** the bytes are the same for any thread count.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/jsonw.h"
#include "base/stream.h"
#include "run/optimize.h"

static const char *const state_names[] = {
    [TC_OPT_OPEN] = "open",
    [TC_OPT_SCREENED] = "screened",
    [TC_OPT_INFEASIBLE] = "infeasible",
    [TC_OPT_ELIMINATED] = "eliminated",
    [TC_OPT_BEST] = "best",
    [TC_OPT_OUT_OF_BUDGET] = "undecided",
};

/* yes, no or undecided: every bound proven, one violated, or not yet known. */
static const char *feasible_word(const struct tc_opt *o, uint32_t i)
{
    const struct tc_opt_cand *c = &o->c[i];
    if (c->state == TC_OPT_SCREENED)
        return "no";
    bool all = true;
    for (size_t b = 0; b < o->p->n_bounds; b++) {
        if (c->feas[b] < 0)
            return "no";
        all &= c->feas[b] > 0;
    }
    return all ? "yes" : "undecided";
}

int tc_opt_write_csv(const struct tc_opt *o, FILE *f)
{
    const struct tc_sweep *sw = o->p->sw;
    fputs("candidate", f);
    for (uint32_t a = 0; a < sw->n_axes; a++)
        fputc(',', f), tc_csv_field(f, "", sw->axes[a].key, "");
    fputs(",replications", f);
    for (size_t q = 0; q < o->n_q; q++) {
        fputc(',', f), tc_csv_field(f, "", o->q[q].name, ".mean");
        fputc(',', f), tc_csv_field(f, "", o->q[q].name, ".ci95");
    }
    fputs(",feasible,state,stage,why\n", f);
    uint32_t *idx = calloc(sw->n_axes + 1, sizeof(uint32_t));
    if (!idx)
        return -ENOMEM;
    for (uint32_t i = 0; i < o->k; i++) {
        char *name = tc_sweep_variant_name_new(sw, o->c[i].var);
        tc_csv_field(f, "", name, "");
        free(name);
        tc_sweep_variant(sw, o->c[i].var, idx);
        for (uint32_t a = 0; a < sw->n_axes; a++)
            fputc(',', f), tc_csv_field(f, "", sw->axes[a].values[idx[a]], "");
        fprintf(f, ",%u", o->c[i].n);
        for (size_t q = 0; q < o->n_q; q++) {
            struct tc_stat s = tc_opt_stat(o, i, q);
            fputc(',', f);
            tc_csv_number(f, s.mean);
            fputc(',', f);
            tc_csv_number(f, s.ci95);
        }
        fprintf(f, ",%s,%s,%u", feasible_word(o, i), state_names[o->c[i].state], o->c[i].stage);
        fputc(',', f), tc_csv_field(f, "", o->c[i].why, "");
        fputc('\n', f);
    }
    free(idx);
    return tc_stream_status(f);
}

/* A --vary value as a JSON number when it is one, else a string. */
static void json_value(struct tc_jsonw *w, const char *v)
{
    char *end;
    double x = strtod(v, &end);
    if (end != v && !*end && isfinite(x))
        tc_jsonw_number(w, x);
    else
        tc_jsonw_string(w, v);
}

/* {"KEY": value, ...} of grid variant v, or null. */
static void json_var(const struct tc_opt *o, struct tc_jsonw *w, const char *key, uint32_t v)
{
    const struct tc_sweep *sw = o->p->sw;
    tc_jsonw_key(w, key);
    if (v == TC_NONE) {
        tc_jsonw_null(w);
        return;
    }
    uint32_t idx[64];
    if (sw->n_axes > 64)
        return;
    tc_sweep_variant(sw, v, idx);
    tc_jsonw_begin_object_inline(w);
    for (uint32_t a = 0; a < sw->n_axes; a++) {
        tc_jsonw_key(w, sw->axes[a].key);
        json_value(w, sw->axes[a].values[idx[a]]);
    }
    tc_jsonw_end_object(w);
}

/* The same of candidate i. */
static void json_cand(const struct tc_opt *o, struct tc_jsonw *w, const char *key, uint32_t i)
{
    json_var(o, w, key, i == TC_NONE ? TC_NONE : o->c[i].var);
}

/* "search": how the candidates were found on a grid too big to enumerate, or null. */
static void json_search(const struct tc_opt *o, struct tc_jsonw *w)
{
    const struct tc_opt_search *s = o->p->search;
    tc_jsonw_key(w, "search");
    if (!s) {
        tc_jsonw_null(w);
        return;
    }
    tc_jsonw_begin_object(w);
    tc_jsonw_key(w, "grid");
    tc_jsonw_uint(w, o->p->sw->n_variants);
    json_var(o, w, "start", tc_opt_search_start(o->p->sw));
    json_var(o, w, "local_optimum", s->local_optimum);
    tc_jsonw_key(w, "moves");
    tc_jsonw_uint(w, s->n_moves);
    tc_jsonw_key(w, "visited");
    tc_jsonw_uint(w, s->visits.n);
    tc_jsonw_key(w, "replications");
    tc_jsonw_uint(w, s->reps);
    tc_jsonw_key(w, "seed");
    tc_jsonw_uint(w, s->seed);
    tc_jsonw_end_object(w);
}

int tc_opt_write_json(const struct tc_opt *o, FILE *f)
{
    const struct tc_opt_problem *p = o->p;
    struct tc_jsonw w;
    tc_jsonw_init(&w, f, true);
    tc_jsonw_begin_object(&w);
    tc_jsonw_key(&w, p->maximize ? "maximize" : "minimize");
    tc_jsonw_string(&w, p->objective);
    tc_jsonw_key(&w, "subject_to");
    tc_jsonw_begin_array(&w);
    for (size_t b = 0; b < p->n_bounds; b++)
        tc_jsonw_string(&w, p->bounds[b].text);
    tc_jsonw_end_array(&w);
    tc_jsonw_key(&w, "limits"); /* each bound's V, in the time unit of the csv's durations */
    tc_jsonw_begin_array(&w);
    uint32_t first = 0;
    while (first + 1 < o->k && !o->c[first].sc)
        first++;
    for (size_t b = 0; b < p->n_bounds; b++)
        tc_jsonw_number(&w, o->c[first].bound[b]);
    tc_jsonw_end_array(&w);
    json_cand(o, &w, "best", o->best);
    tc_jsonw_key(&w, "confidence");
    if (o->best != TC_NONE)
        tc_jsonw_number(&w, p->confidence);
    else
        tc_jsonw_null(&w);
    json_cand(o, &w, "runner_up", o->runner_up);
    tc_jsonw_key(&w, "replications");
    tc_jsonw_uint(&w, o->total_reps);
    tc_jsonw_key(&w, "equal_allocation");
    tc_jsonw_uint(&w, o->equal_allocation);
    tc_jsonw_key(&w, "first_stage");
    tc_jsonw_uint(&w, p->n0);
    tc_jsonw_key(&w, "max_replications");
    tc_jsonw_uint(&w, p->max_reps);
    tc_jsonw_key(&w, "indifference");
    if (o->q[0].det)
        tc_jsonw_null(&w);
    else
        tc_jsonw_number(&w, o->delta);
    tc_jsonw_key(&w, "alpha_feasibility");
    tc_jsonw_number(&w, o->alpha_feas);
    tc_jsonw_key(&w, "alpha_selection");
    tc_jsonw_number(&w, o->alpha_sel);
    tc_jsonw_key(&w, "undecided");
    if (o->undecided[0] == TC_NONE) {
        tc_jsonw_null(&w);
    } else {
        tc_jsonw_begin_array(&w);
        for (int j = 0; j < 2; j++)
            if (o->undecided[j] != TC_NONE) {
                char *name = tc_sweep_variant_name_new(p->sw, o->c[o->undecided[j]].var);
                tc_jsonw_string(&w, name);
                free(name);
            }
        tc_jsonw_end_array(&w);
    }
    tc_jsonw_key(&w, "more_replications");
    if (o->undecided[0] == TC_NONE)
        tc_jsonw_null(&w);
    else
        tc_jsonw_uint(&w, o->more);
    json_cand(o, &w, "closest", o->closest);
    json_search(o, &w);
    tc_jsonw_end_object(&w);
    fputc('\n', f);
    return tc_stream_status(f);
}
