/*
** report_html: HTML text, escaped; statistics as "mean ± ci" cells that
** carry the exact mean in <data value>, so a script reads the number the
** planner sees without parsing the rounding; CSV files as tables.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "plot/plot_int.h"
#include "plot/report_int.h"

void tc_rep_esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static int clampi(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* %.*f without "-0". */
static int fixed(char *buf, size_t len, double x, int d)
{
    int n = snprintf(buf, len, "%.*f", d, x);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)) {
        memmove(buf, buf + 1, strlen(buf));
        n--;
    }
    return n;
}

/* The rule of the terminal table (output.c): the interval to two significant digits, the mean to
   the same decimal place; no interval: four significant digits. */
void tc_rep_fmt_stat(char *buf, size_t len, double mean, double ci)
{
    if (isnan(mean)) {
        snprintf(buf, len, "\u2013");
        return;
    }
    if (!isfinite(mean) || fabs(mean) >= 1e9) {
        snprintf(buf, len, "%.4g", mean);
        return;
    }
    int cap = mean != 0 ? clampi(5 - (int)floor(log10(fabs(mean))), 0, 6) : 6;
    if (ci > 0 && isfinite(ci)) {
        int d = clampi(1 - (int)floor(log10(ci)), 0, cap);
        int n = fixed(buf, len, mean, d);
        if (n >= 0 && (size_t)n < len) {
            n += snprintf(buf + n, len - (size_t)n, " \u00b1 ");
            if (n >= 0 && (size_t)n < len)
                fixed(buf + n, len - (size_t)n, ci, d);
        }
    } else {
        int d = mean != 0 ? clampi(3 - (int)floor(log10(fabs(mean))), 0, 6) : 0;
        fixed(buf, len, mean, d);
    }
}

void tc_rep_stat_cell(FILE *f, const json_t *stat)
{
    const json_t *m = json_object_get(stat, "mean"), *c = json_object_get(stat, "ci95");
    if (!json_is_number(m)) {
        fputs("<td class=\"num\">\u2013</td>", f);
        return;
    }
    double mean = json_number_value(m), ci = json_is_number(c) ? json_number_value(c) : (double)NAN;
    char buf[96];
    tc_rep_fmt_stat(buf, sizeof(buf), mean, ci);
    fprintf(f, "<td class=\"num\"><data value=\"%.17g\">%s</data></td>", mean, buf);
}

/* A cell that reads as a number is right-aligned. */
static void csv_cell(FILE *f, const char *s, const char *tag)
{
    double x;
    bool num = tc_plot_parse_double(s, &x);
    fprintf(f, "<%s%s>", tag, num ? " class=\"num\"" : "");
    tc_rep_esc(f, s);
    fprintf(f, "</%s>", tag);
}

int tc_rep_csv_table(struct tc_rep *r, const char *name, int keep_col, const char *keep,
                     size_t max_rows)
{
    char *path = tc_plot_path_join(r->dir, name);
    FILE *in = fopen(path, "r");
    free(path);
    if (!in)
        return -errno;
    char *line = NULL, **fields = NULL;
    size_t cap = 0, n_rows = 0, n_skipped = 0;
    int n_head = 0;
    fputs("<div class=\"scroll\"><table>\n", r->f);
    while (tc_plot_read_line(in, &line, &cap)) {
        /* a sweep has three columns per metric: as many fields as the line has commas, + 1 */
        int max = 1;
        for (const char *c = line; *c; c++)
            max += *c == ',';
        fields = tc_xrealloc(fields, (size_t)max * sizeof(*fields));
        int nf = tc_plot_csv_split(line, fields, max);
        if (nf <= 0)
            continue;
        const char *tag = n_head ? "td" : "th";
        if (n_head && keep && (keep_col >= nf || strcmp(fields[keep_col], keep) != 0))
            continue;
        if (n_head && n_rows >= max_rows) {
            n_skipped++;
            continue;
        }
        fputs(n_head ? "<tr>" : "<thead><tr>", r->f);
        for (int i = 0; i < nf; i++)
            csv_cell(r->f, fields[i], tag);
        fputs(n_head ? "</tr>\n" : "</tr></thead>\n<tbody>\n", r->f);
        if (n_head)
            n_rows++;
        else
            n_head = nf;
    }
    fputs("</tbody></table></div>\n", r->f);
    if (n_skipped)
        fprintf(r->f, "<p class=\"note\">%zu more rows are in <code>%s</code>.</p>\n", n_skipped,
                name);
    free(fields);
    free(line);
    fclose(in);
    return 0;
}
