/*
** report: assembles the page of `tcsim report DIR` from the run's
** summary.json and commits it through afile, so an error leaves no partial
** file. The tables carry the exact mean in <data value> for scripts.
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/jsonw.h"
#include "base/xmem.h"
#include "model/scenario_offered.h"
#include "plot/plot_int.h"
#include "plot/report_int.h"
#include "tc_config.h"
#include "tcsim/afile.h"
#include "tcsim/diag.h"
#include "tcsim/scenario.h"

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:60rem;"
    "margin:1rem auto;padding:0 1rem;color:#222;line-height:1.4}"
    "h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0}"
    "th,td{padding:.2rem .6rem;border-bottom:1px solid #e4e4e4;text-align:left}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".warn{color:#8a4b00}svg{width:100%;height:auto}pre{white-space:pre-wrap}"
    "@media print{@page{size:A4;margin:18mm}table,figure{break-inside:avoid}}";

/* The rows of obj's statistics; scope names them in summary.csv (network, station, ...). */
static void stat_rows(struct tc_rep *r, const char *scope, const char *name, const json_t *obj)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        if (!json_is_object(v) || !json_object_get(v, "mean"))
            continue;
        fputs("<tr>", r->f);
        if (name) {
            fputs("<td>", r->f);
            tc_rep_esc(r->f, name);
            fputs("</td>", r->f);
        }
        fputs("<td>", r->f);
        tc_rep_esc(r->f, k);
        fputs("</td>", r->f);
        tc_rep_unit_cell(r->f, r->units, scope, name, NULL, k);
        tc_rep_stat_cell(r->f, v);
        json_t *n = json_object_get(v, "n");
        fprintf(r->f, "<td class=\"num\">%lld</td></tr>\n",
                json_is_integer(n) ? (long long)json_integer_value(n) : 0LL);
    }
}

/* One table per scope: network has metric rows, the others name, metric rows. */
void tc_rep_run_tables(struct tc_rep *r)
{
    static const char *const scopes[][3] = {{"stations", "Stations", "station"},
                                            {"classes", "Classes", "class"},
                                            {"roads", "Roads", "road"}};
    const json_t *net = json_object_get(r->summary, "network");
    fputs("<h2>Headline</h2>\n<div class=\"scroll\"><table id=\"headline\"><thead><tr>"
          "<th>metric</th><th>unit</th><th>mean \u00b1 ci95</th><th>n</th></tr></thead><tbody>\n",
          r->f);
    if (net)
        stat_rows(r, "network", NULL, net);
    fputs("</tbody></table></div>\n", r->f);
    for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
        const json_t *obj = json_object_get(r->summary, scopes[i][0]);
        if (!json_is_object(obj) || json_object_size(obj) == 0)
            continue;
        fprintf(r->f,
                "<h2>%s</h2>\n<div class=\"scroll\"><table id=\"%s\"><thead><tr><th>name</th>"
                "<th>metric</th><th>unit</th><th>mean \u00b1 ci95</th><th>n</th></tr></thead>"
                "<tbody>\n",
                scopes[i][1], scopes[i][0]);
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)obj, k, v) stat_rows(r, scopes[i][2], k, v);
        fputs("</tbody></table></div>\n", r->f);
    }
}

static void warn_n(struct tc_rep *r, const json_t *obj, int depth, size_t *count)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        json_t *n = json_object_get(v, "n");
        if (json_is_integer(n)) {
            if ((unsigned)json_integer_value(n) < r->n_reps)
                (*count)++;
        } else if (json_is_object(v) && depth < 3)
            warn_n(r, v, depth + 1, count);
    }
}

/*
** Stations whose offered load lambda E[S] / c, from DIR/scenario.yaml (the
** scenario as run, overrides applied), is at or above 1: their queue grows
** over the run, so their means say more about the horizon than the station.
*/
static size_t warn_load(struct tc_rep *r)
{
    char *p = tc_plot_path_join(r->dir, "scenario.yaml");
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc = tc_scenario_load(p, NULL, 0, &d);
    tc_diags_fini(&d);
    free(p);
    if (!sc)
        return 0;
    double *rho = tc_scenario_offered_load_any_new(sc);
    size_t n = 0;
    for (uint32_t i = 0; i < sc->n_stations; i++) {
        if (!(rho[i] >= 1))
            continue;
        fputs("<li class=\"warn load\">Load \u2265 1 at station <strong>", r->f);
        tc_rep_esc(r->f, sc->stations[i].name);
        fprintf(r->f,
                "</strong>: offered load \u03bb\u00b7E[S]/c = <data value=\"%.17g\">%.3g</data>; "
                "it cannot keep up with what is sent to it, its queue grows over the run and "
                "its means depend on the horizon.</li>\n",
                rho[i], rho[i]);
        n++;
    }
    free(rho);
    tc_scenario_free(sc);
    return n;
}

void tc_rep_warnings(struct tc_rep *r)
{
    fputs("<h2>Warnings</h2>\n<ul>\n", r->f);
    size_t n_short = 0, n_w = warn_load(r);
    if (r->n_reps < 10) {
        fprintf(r->f,
                "<li class=\"warn\">Only %u replications: the intervals are wide and rest "
                "on few samples (10 or more are advised).</li>\n",
                r->n_reps);
        n_w++;
    }
    warn_n(r, r->summary, 0, &n_short);
    if (n_short) {
        fprintf(r->f,
                "<li class=\"warn\">%zu metrics are averaged over fewer replications than "
                "the %u asked (n &lt; replications).</li>\n",
                n_short, r->n_reps);
        n_w++;
    }
    if (!n_w)
        fputs("<li>None.</li>\n", r->f);
    fputs("</ul>\n", r->f);
}

void tc_rep_assumptions(struct tc_rep *r)
{
    fputs("<h2>What was assumed</h2>\n<p>Scenario: <strong>", r->f);
    tc_rep_esc(r->f, json_string_value(json_object_get(r->summary, "scenario")));
    fprintf(r->f, "</strong>; horizon %g %s, warm-up %g %s, %u replications.</p>\n",
            json_number_value(json_object_get(r->summary, "horizon")), r->tu,
            json_number_value(json_object_get(r->summary, "warmup")), r->tu, r->n_reps);
    FILE *in = r->o->scenario_src ? fopen(r->o->scenario_src, "r") : NULL;
    if (!in) {
        fputs("<p class=\"note\">The comments of the scenario's source are not available "
              "(pass --scenario FILE).</p>\n",
              r->f);
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    fputs("<pre class=\"comments\">", r->f);
    while (tc_plot_read_line(in, &line, &cap)) {
        const char *s = line + strspn(line, " \t");
        if (*s == '#') {
            tc_rep_esc(r->f, s);
            fputc('\n', r->f);
        }
    }
    fputs("</pre>\n", r->f);
    free(line);
    fclose(in);
}

/* The result files of the other commands, the first present names the directory's kind. */
static const char *const results[][2] = {{"sweep.csv", "Sweep variants"},
                                         {"options.csv", "Study options"},
                                         {"optimize.csv", "Optimization candidates"},
                                         {"fit.csv", "Fit results"}};

static void find_results(struct tc_rep *r)
{
    for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
        char *p = tc_plot_path_join(r->dir, results[i][0]);
        bool there = access(p, R_OK) == 0;
        free(p);
        if (there) {
            r->results = results[i][0];
            r->results_h = results[i][1];
            return;
        }
    }
}

/* The JSON beside the results file (options.csv -> options.json), NULL if none or unreadable:
** without a summary.json it names the scenario, version and seed. */
static json_t *results_json(const struct tc_rep *r)
{
    if (!r->results)
        return NULL;
    size_t n = strlen(r->results);
    char *name = tc_xmalloc(n + 2);
    memcpy(name, r->results, n - 4);
    memcpy(name + n - 4, ".json", sizeof ".json");
    char *p = tc_plot_path_join(r->dir, name);
    json_t *j = json_load_file(p, 0, NULL);
    free(p);
    free(name);
    return j;
}

/* The page's title: the scenario's name, else the directory's. */
static void title(struct tc_rep *r)
{
    const char *name = json_string_value(json_object_get(r->meta, "scenario"));
    if (!name) {
        const char *b = strrchr(r->dir, '/');
        name = b && b[1] ? b + 1 : r->dir;
    }
    tc_rep_esc(r->f, name);
}

/* A fit's parameters from fit.json: value and standard error, exact in <data value>. */
static void fit_params(struct tc_rep *r)
{
    char *p = tc_plot_path_join(r->dir, "fit.json");
    json_t *fj = json_load_file(p, 0, NULL);
    free(p);
    const json_t *params = json_object_get(fj, "parameters");
    if (!json_is_object(params)) {
        json_decref(fj);
        return;
    }
    fputs("<h2>Fitted parameters</h2>\n<div class=\"scroll\"><table id=\"fit-parameters\">"
          "<thead><tr><th>parameter</th><th>value</th><th>standard error</th></tr></thead>"
          "<tbody>\n",
          r->f);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)params, k, v)
    {
        fputs("<tr><td>", r->f);
        tc_rep_esc(r->f, k);
        fputs("</td>", r->f);
        for (int c = 0; c < 2; c++) {
            const json_t *x = json_object_get(v, c ? "se" : "value");
            char buf[TC_JSONW_NUMBER_LEN];
            if (json_is_number(x)) {
                tc_jsonw_format_number(json_number_value(x), buf, sizeof(buf));
                fprintf(r->f, "<td class=\"num\"><data value=\"%s\">%.6g</data></td>", buf,
                        json_number_value(x));
            } else {
                fputs("<td class=\"num\">n/a</td>", r->f);
            }
        }
        fputs("</tr>\n", r->f);
    }
    fputs("</tbody></table></div>\n", r->f);
    json_decref(fj);
}

static void body(struct tc_rep *r)
{
    if (r->summary) {
        tc_rep_assumptions(r);
        tc_rep_run_tables(r);
        tc_rep_warnings(r);
    }
    if (r->results && strcmp(r->results, "options.csv") == 0)
        tc_rep_study(r);
    if (r->results && strcmp(r->results, "optimize.csv") == 0)
        tc_rep_optimize(r);
    if (r->results) {
        if (strcmp(r->results, "fit.csv") == 0)
            fit_params(r);
        fprintf(r->f, "<h2>%s</h2>\n", r->results_h);
        tc_rep_csv_table(r, r->results, -1, NULL, 500);
    }
    tc_rep_plots(r);
}

static int write_page(void *ud, FILE *f)
{
    struct tc_rep *r = ud;
    r->f = f;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>",
          f);
    title(r);
    fprintf(f, " \u2013 tcsim report</title><style>%s</style></head><body>\n<h1>", css);
    title(r);
    fputs("</h1>\n", f);
    body(r);
    fputs("<h2>Reproduce</h2>\n<p>tcsim ", f);
    const char *version = json_string_value(json_object_get(r->meta, "tcsim"));
    tc_rep_esc(f, version ? version : TC_VERSION);
    if (json_is_integer(json_object_get(r->meta, "seed")))
        fprintf(f, ", seed %lld", (long long)json_integer_value(json_object_get(r->meta, "seed")));
    fputs(". Command: <code>", f);
    tc_rep_esc(f, r->o->command ? r->o->command : "not recorded");
    fputs("</code></p>\n</body></html>\n", f);
    return ferror(f) ? -EIO : 0;
}

int tc_report_write(const char *dir, const struct tc_report_opts *o, struct tc_report_result *out,
                    struct tc_diags *diags)
{
    memset(out, 0, sizeof(*out));
    char *sp = tc_plot_path_join(dir, "summary.json");
    json_error_t je;
    json_t *sum = json_load_file(sp, 0, &je);
    struct tc_rep r = {.dir = dir, .o = o, .summary = sum, .diags = diags};
    find_results(&r);
    if (!sum && (je.line > 0 || !r.results)) {
        /* a summary.json that does not parse is located in it; no output at all names DIR */
        struct tc_pos pos = {je.line > 0 ? sp : dir, je.line > 0 ? (uint32_t)je.line : 0,
                             je.column > 0 ? (uint32_t)je.column : 0};
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "",
                     "not a tcsim output directory: %s; expected the output directory of tcsim "
                     "run (summary.json), sweep (sweep.csv), study (options.csv), optimize "
                     "(optimize.csv) or fit (fit.csv)",
                     je.line > 0 ? je.text
                                 : "no summary.json, sweep.csv, options.csv, "
                                   "optimize.csv or fit.csv");
        free(sp);
        return -ENOENT;
    }
    free(sp);
    r.meta = sum ? json_incref(sum) : results_json(&r);
    r.units = tc_rep_units_load(dir, NULL);
    r.tu = json_string_value(json_object_get(sum, "time_unit"));
    if (!r.tu)
        r.tu = "";
    r.n_reps = (unsigned)json_integer_value(json_object_get(sum, "replications"));
    const char *name = "report.html", *odir = dir;
    char *odir_own = NULL;
    if (o->out) {
        const char *slash = strrchr(o->out, '/');
        name = slash ? slash + 1 : o->out;
        odir = odir_own = slash ? tc_xstrndup(o->out, (size_t)(slash - o->out + (slash == o->out)))
                                : tc_xstrdup(".");
    }
    struct tc_afile_item it = {.name = name, .write = write_page, .ud = &r};
    int err = tc_afile_commit(odir, &it, 1, NULL);
    out->n_plots = r.n_plots;
    out->no_gnuplot = r.no_gnuplot;
    if (!err)
        out->path = tc_plot_path_join(odir, name);
    free(odir_own);
    json_decref(r.units);
    json_decref(r.meta);
    json_decref(sum);
    return err;
}
