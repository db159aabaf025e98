/*
** report_units: the unit of each metric, read from the unit column of a
** summary.csv (tc_metric_unit in the scenario's time unit), so the page
** states the units its files state and cannot drift from them.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "plot/plot.h"
#include "plot/plot_int.h"
#include "plot/report_int.h"

enum { C_SCOPE, C_NAME, C_CLASS, C_METRIC, C_UNIT, N_C };

static char *unit_key(const char *scope, const char *name, const char *cls, const char *metric)
{
    size_t n = strlen(scope) + strlen(name) + strlen(cls) + strlen(metric) + 4;
    char *k = tc_xmalloc(n);
    snprintf(k, n, "%s|%s|%s|%s", scope, name, cls, metric);
    return k;
}

/* The column of each of scope, name, class, metric, unit in header fields f; false if one lacks. */
static bool columns(char **f, int nf, int *col)
{
    static const char *const want[N_C] = {"scope", "name", "class", "metric", "unit"};
    for (int c = 0; c < N_C; c++) {
        col[c] = -1;
        for (int i = 0; i < nf; i++)
            if (strcmp(f[i], want[c]) == 0)
                col[c] = i;
        if (col[c] < 0)
            return false;
    }
    return true;
}

json_t *tc_rep_units_load(const char *dir, const char *sub)
{
    char *d = sub ? tc_plot_path_join(dir, sub) : NULL;
    char *path = tc_plot_path_join(d ? d : dir, "summary.csv");
    free(d);
    FILE *in = fopen(path, "r");
    free(path);
    if (!in)
        return NULL;
    json_t *units = json_object();
    char *line = NULL, *f[32];
    size_t cap = 0;
    int col[N_C], nf;
    bool head = true;
    while (tc_plot_read_line(in, &line, &cap)) {
        if ((nf = tc_plot_csv_split(line, f, 32)) <= 0)
            continue;
        if (head) {
            head = false;
            if (!columns(f, nf, col))
                break;
            continue;
        }
        if (nf <= col[C_UNIT])
            continue;
        char *k = unit_key(f[col[C_SCOPE]], f[col[C_NAME]], f[col[C_CLASS]], f[col[C_METRIC]]);
        json_object_set_new(units, k, json_string(f[col[C_UNIT]]));
        free(k);
    }
    free(line);
    fclose(in);
    return units;
}

void tc_rep_unit_cell(FILE *f, const json_t *units, const char *scope, const char *name,
                      const char *cls, const char *metric)
{
    char *k = unit_key(scope, name ? name : "", cls ? cls : "", metric);
    const char *u = json_string_value(json_object_get(units, k));
    free(k);
    fputs("<td class=\"unit\">", f);
    tc_rep_esc(f, u);
    fputs("</td>", f);
}
