/*
** report_int: what the files of the report share. report.c assembles
** the page, writes a run's tables, warnings and assumptions and commits
** it; report_html.c escapes text and formats cells; report_results.c the
** answer of a study or an optimization; report_plots.c the plots.
*/
#ifndef TCSIM_REPORT_INT_H
#define TCSIM_REPORT_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "plot/report.h"

struct tc_rep {
    FILE *f;
    const char *dir;
    const struct tc_report_opts *o;
    json_t *summary;       /* DIR/summary.json, NULL if none */
    json_t *meta;          /* summary, else the results' JSON (options.json, ...): name, seed */
    json_t *units;         /* "scope|name|class|metric" -> unit (summary.csv), NULL if none */
    const char *tu;        /* the time unit's name */
    const char *results;   /* sweep.csv, options.csv, optimize.csv or fit.csv; NULL: a run */
    const char *results_h; /* its section's heading */
    unsigned n_reps;
    size_t n_plots;
    bool no_gnuplot;
    struct tc_diags *diags;
};

/* s as HTML text (& < > " ' escaped); NULL writes nothing. */
void tc_rep_esc(FILE *f, const char *s);

/* "mean ± ci" as the terminal table writes it (two significant digits of the interval). */
void tc_rep_fmt_stat(char *buf, size_t len, double mean, double ci);

/* A numeric cell of a summary.json statistic: <td class="num"><data value=MEAN>text</data></td>. */
void tc_rep_stat_cell(FILE *f, const json_t *stat);

/* A CSV file of dir as a table, rows whose column keep_col equals keep (NULL: all), at most max. */
int tc_rep_csv_table(struct tc_rep *r, const char *name, int keep_col, const char *keep,
                     size_t max_rows);

/* The tables of a run's summary.json (headline, stations, classes, roads). */
void tc_rep_run_tables(struct tc_rep *r);

/* The warnings section: load >= 1, few replications, metrics over fewer replications. */
void tc_rep_warnings(struct tc_rep *r);

/* What was assumed: the scenario's facts and the comments of its source. */
void tc_rep_assumptions(struct tc_rep *r);

/* A study's options against its baseline (options.json): headline differences, p, decision. */
void tc_rep_study(struct tc_rep *r);

/* An optimization's answer (optimize.json): the chosen candidate, its confidence, runner-up. */
void tc_rep_optimize(struct tc_rep *r);

/* The units of DIR[/sub]/summary.csv by "scope|name|class|metric" (a new object), NULL if none. */
json_t *tc_rep_units_load(const char *dir, const char *sub);

/* A <td class="unit"> with the unit of that metric in units (empty where none is known). */
void tc_rep_unit_cell(FILE *f, const json_t *units, const char *scope, const char *name,
                      const char *cls, const char *metric);

/* The plots of dir drawn as SVG into a temporary directory and inlined. */
void tc_rep_plots(struct tc_rep *r);

#endif
