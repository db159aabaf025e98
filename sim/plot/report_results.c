/*
** report_results: the answer of a study and of an optimization, read from
** their JSON files (options.json, optimize.json) so the page says what the
** terminal said: a study's headline differences from the baseline with the
** decision the paired test allows, an optimization's chosen candidate and
** the confidence of that choice. The full CSV follows these in report.c.
*/
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_int.h"
#include "plot/report_int.h"

/* The Holm-adjusted p below which the study table marks a difference (study_table.c's "*"). */
#define STUDY_ALPHA 0.05

static json_t *load_json(const struct tc_rep *r, const char *name)
{
    char *p = tc_plot_path_join(r->dir, name);
    json_t *j = json_load_file(p, 0, NULL);
    free(p);
    return j;
}

/* The study table's headline rows (study_table.c): network totals and each class's p95. */
static bool headline(const json_t *m)
{
    static const char *const net[] = {
        "present",          "truck_hours_per_day", "abandoned_fraction",
        "spoiled_fraction", "throughput_per_day",  "cost_per_day",
        "co2_kg_per_day"};
    const char *scope = json_string_value(json_object_get(m, "scope"));
    const char *metric = json_string_value(json_object_get(m, "metric"));
    if (!scope || !metric || !json_is_number(json_object_get(m, "mean")))
        return false;
    if (strcmp(scope, "class") == 0)
        return strcmp(metric, "time_in_system_p95") == 0;
    if (strcmp(scope, "network") != 0)
        return false;
    for (size_t i = 0; i < sizeof(net) / sizeof(net[0]); i++)
        if (strcmp(metric, net[i]) == 0)
            return true;
    return false;
}

/* A number cell to three significant digits, the exact value in <data value>; "–" for null. */
static void num_cell(FILE *f, const json_t *v)
{
    if (!json_is_number(v)) {
        fputs("<td class=\"num\">\u2013</td>", f);
        return;
    }
    double x = json_number_value(v);
    fprintf(f, "<td class=\"num\"><data value=\"%.17g\">%.3g</data></td>", x, x);
}

static void pair_cell(FILE *f, const json_t *m, const char *mean, const char *ci)
{
    json_t *s =
        json_pack("{s:O,s:O}", "mean", json_object_get(m, mean), "ci95", json_object_get(m, ci));
    tc_rep_stat_cell(f, s);
    json_decref(s);
}

/* Lower, higher or not distinguished, from the sign of diff and p_holm against STUDY_ALPHA. */
static void decision_cell(FILE *f, const json_t *m)
{
    const json_t *p = json_object_get(m, "p_holm");
    double d = json_number_value(json_object_get(m, "diff"));
    if (json_is_number(p) && json_number_value(p) < STUDY_ALPHA && d != 0)
        fprintf(f, "<td>%s (95 %% confidence)</td>", d < 0 ? "lower" : "higher");
    else
        fputs("<td>no clear difference</td>", f);
}

static const json_t *find_metric(const json_t *metrics, const json_t *like)
{
    static const char *const keys[] = {"scope", "name", "class", "metric"};
    size_t i;
    json_t *m;
    json_array_foreach(metrics, i, m)
    {
        bool same = true;
        for (size_t k = 0; k < 4 && same; k++)
            same = json_equal(json_object_get(m, keys[k]), json_object_get(like, keys[k]));
        if (same)
            return m;
    }
    return NULL;
}

static void study_row(struct tc_rep *r, const char *opt, const json_t *m, const json_t *base)
{
    const char *name = json_string_value(json_object_get(m, "name"));
    fputs("<tr><td>", r->f);
    tc_rep_esc(r->f, opt);
    fputs("</td><td>", r->f);
    if (name && *name) {
        tc_rep_esc(r->f, name);
        fputc('.', r->f);
    }
    tc_rep_esc(r->f, json_string_value(json_object_get(m, "metric")));
    fputs("</td>", r->f);
    tc_rep_unit_cell(r->f, r->units, json_string_value(json_object_get(m, "scope")), name,
                     json_string_value(json_object_get(m, "class")),
                     json_string_value(json_object_get(m, "metric")));
    if (base)
        pair_cell(r->f, base, "mean", "ci95");
    else
        fputs("<td class=\"num\">\u2013</td>", r->f);
    pair_cell(r->f, m, "mean", "ci95");
    pair_cell(r->f, m, "diff", "diff_ci95");
    num_cell(r->f, json_object_get(m, "p_holm"));
    decision_cell(r->f, m);
    fputs("</tr>\n", r->f);
}

void tc_rep_study(struct tc_rep *r)
{
    json_t *j = load_json(r, "options.json");
    const json_t *opts = json_object_get(j, "options");
    const char *bname = json_string_value(json_object_get(j, "baseline"));
    if (!json_is_array(opts) || !bname) {
        json_decref(j);
        return;
    }
    const json_t *base = NULL;
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o) if (strcmp(json_string_value(json_object_get(o, "name")),
                                              bname) == 0) base = json_object_get(o, "metrics");
    if (!r->units) /* the options' units are the baseline's (a study changes values, not units) */
        r->units = tc_rep_units_load(r->dir, bname);
    fputs("<h2>Options against the baseline</h2>\n<p>Each option minus the baseline <strong>",
          r->f);
    tc_rep_esc(r->f, bname);
    fprintf(r->f,
            "</strong>, replication by replication (common random numbers), with its 95 %% "
            "interval; a difference is decided where the paired t test's p, Holm-adjusted over "
            "the option's metrics, is below %g.</p>\n",
            STUDY_ALPHA);
    fputs("<div class=\"scroll\"><table id=\"study\"><thead><tr><th>option</th><th>metric</th>"
          "<th>unit</th><th>baseline mean \u00b1 ci95</th><th>option mean \u00b1 ci95</th>"
          "<th>difference \u00b1 ci95</th><th>p (Holm)</th><th>decision</th></tr></thead>"
          "<tbody>\n",
          r->f);
    json_array_foreach(opts, i, o)
    {
        const char *name = json_string_value(json_object_get(o, "name"));
        if (!name || strcmp(name, bname) == 0)
            continue;
        size_t k;
        json_t *m;
        json_array_foreach(json_object_get(o, "metrics"), k, m) if (headline(m))
            study_row(r, name, m, base ? find_metric(base, m) : NULL);
    }
    fputs("</tbody></table></div>\n", r->f);
    json_decref(j);
}

/* {"key": value, ...} of a candidate as key=value, comma separated. */
static void cand_text(FILE *f, const json_t *c)
{
    const char *k;
    json_t *v;
    bool first = true;
    json_object_foreach((json_t *)c, k, v)
    {
        if (!first)
            fputs(", ", f);
        first = false;
        tc_rep_esc(f, k);
        if (json_is_number(v))
            fprintf(f, "=<data value=\"%.17g\">%g</data>", json_number_value(v),
                    json_number_value(v));
        else {
            char *s = json_dumps(v, JSON_ENCODE_ANY);
            fputc('=', f);
            tc_rep_esc(f, s);
            free(s);
        }
    }
}

static void opt_row(FILE *f, const char *id, const char *label)
{
    fprintf(f, "<tr class=\"%s\"><th>%s</th><td>", id, label);
}

void tc_rep_optimize(struct tc_rep *r)
{
    json_t *j = load_json(r, "optimize.json");
    if (!json_is_object(j)) {
        json_decref(j);
        return;
    }
    FILE *f = r->f;
    const json_t *obj = json_object_get(j, "minimize"), *best = json_object_get(j, "best");
    bool max = !obj;
    if (max)
        obj = json_object_get(j, "maximize");
    fputs("<h2>Optimization result</h2>\n<div class=\"scroll\"><table id=\"optimize\"><tbody>\n",
          f);
    opt_row(f, "opt-objective", max ? "maximize" : "minimize");
    tc_rep_esc(f, json_string_value(obj));
    fputs("</td></tr>\n", f);
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(j, "subject_to"), i, b)
    {
        opt_row(f, "opt-bound", "subject to");
        tc_rep_esc(f, json_string_value(b));
        fputs("</td></tr>\n", f);
    }
    opt_row(f, "opt-best", "chosen");
    if (json_is_object(best))
        cand_text(f, best);
    else
        fputs("none", f);
    fputs("</td></tr>\n", f);
    const json_t *conf = json_object_get(j, "confidence");
    if (json_is_number(conf)) {
        opt_row(f, "opt-confidence", "confidence");
        fprintf(f,
                "<data value=\"%.17g\">%g %%</data> that it is feasible and the best within "
                "the indifference zone</td></tr>\n",
                json_number_value(conf), 100 * json_number_value(conf));
    }
    const json_t *ru = json_object_get(j, "runner_up");
    if (json_is_object(ru)) {
        opt_row(f, "opt-runner-up", "runner-up");
        cand_text(f, ru);
        fputs("</td></tr>\n", f);
    }
    const json_t *und = json_object_get(j, "undecided");
    if (json_is_array(und)) {
        opt_row(f, "opt-undecided", "undecided");
        json_array_foreach(und, i, b)
        {
            if (i)
                fputs(" and ", f);
            tc_rep_esc(f, json_string_value(b));
        }
        fprintf(f, "; about %lld more replications would decide it</td></tr>\n",
                (long long)json_integer_value(json_object_get(j, "more_replications")));
    }
    const json_t *cl = json_object_get(j, "closest");
    if (json_is_object(cl)) {
        opt_row(f, "opt-closest", "no candidate meets the constraints; the closest");
        cand_text(f, cl);
        fputs("</td></tr>\n", f);
    }
    opt_row(f, "opt-replications", "replications");
    fprintf(f, "<data value=\"%lld\">%lld</data> (equal allocation would need %lld)</td></tr>\n",
            (long long)json_integer_value(json_object_get(j, "replications")),
            (long long)json_integer_value(json_object_get(j, "replications")),
            (long long)json_integer_value(json_object_get(j, "equal_allocation")));
    fputs("</tbody></table></div>\n", f);
    json_decref(j);
}
