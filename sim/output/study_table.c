/*
** study_table: the table `tcsim study` prints, what a planner reads first.
** Metrics as rows (a handful of network-wide headline figures and the p95
** time in system of each class), options as columns: the baseline's mean
** ± ci95, then each option's paired difference from it ± ci95, "*" where
** the Holm-adjusted p < 0.05. The options are cut into panels so that no
** line is wider than TABLE_COLS, each panel repeating the metric names and
** the baseline column, so that a study of ten options still reads in a
** terminal of 100 columns.
*/
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/stream.h"
#include "base/xmem.h"
#include "output/study_run.h"
#include "tcsim/units.h"

#define CELL       64
#define TABLE_COLS 100
#define GAP        2

/*
** "12.3 ± 0.4" with the interval to two significant digits; "-" when
** undefined. ref: the baseline's mean; a difference and interval below
** 1e-9 of it are rounding in the sums (an option that changes nothing), 0.
*/
static void cell(char *buf, double mean, double ci, double ref, double scale, bool signed_)
{
    double tiny = 1e-9 * fabs(ref);
    if (fabs(ci) <= tiny)
        ci = 0;
    if (ci == 0 && fabs(mean) <= tiny)
        mean = 0;
    mean *= scale;
    ci *= scale;
    if (!isfinite(mean)) {
        snprintf(buf, CELL, "-");
        return;
    }
    if (!(ci > 0) || !isfinite(ci)) {
        snprintf(buf, CELL, signed_ ? "%+.4g" : "%.4g", mean == 0 ? 0.0 : mean);
        return;
    }
    int d = 1 - (int)floor(log10(ci));
    d = d < 0 ? 0 : d > 6 ? 6 : d;
    snprintf(buf, CELL, signed_ ? "%+.*f \u00b1 %.*f" : "%.*f \u00b1 %.*f", d, mean, d, ci);
    /* a difference that rounds to zero is no decrease: "+0.0", not "-0.0" */
    if (signed_ && buf[0] == '-' && strspn(buf + 1, "0.") == strcspn(buf + 1, " "))
        buf[0] = '+';
}

static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

struct headline {
    size_t i;     /* index into the catalogue */
    double scale; /* 100 for a fraction shown in % */
    char label[CELL];
};

static void add(struct headline *h, size_t *n, size_t i, double scale, const char *label)
{
    h[*n].i = i;
    h[*n].scale = scale;
    snprintf(h[*n].label, CELL, "%s", label);
    (*n)++;
}

/* The headline rows: network totals, each class's p95, cost and CO2 when the scenario has costs. */
static size_t headlines(const struct tc_run *b, struct headline *h)
{
    const struct tc_metrics *m = &b->metrics;
    const struct tc_scenario *sc = b->sc;
    char label[CELL];
    size_t n = 0;
    add(h, &n, tc_metrics_network(m, TC_NM_PRESENT), 1, "trucks present");
    add(h, &n, tc_metrics_network(m, TC_NM_TRUCK_HOURS_PER_DAY), 1, "truck-hours per day");
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        snprintf(label, sizeof(label), "p95 time in system, %.24s", sc->classes[c].name);
        add(h, &n, tc_metrics_class(m, c, TC_CM_TIS_P95), 1, label);
    }
    add(h, &n, tc_metrics_network(m, TC_NM_ABANDONED_FRACTION), 100, "abandoned %");
    add(h, &n, tc_metrics_network(m, TC_NM_SPOILED_FRACTION), 100, "spoiled %");
    add(h, &n, tc_metrics_network(m, TC_NM_THROUGHPUT_PER_DAY), 1, "throughput per day");
    if (sc->costs.on) {
        snprintf(label, sizeof(label), "cost per day%s%.16s%s", *sc->costs.currency ? " (" : "",
                 sc->costs.currency, *sc->costs.currency ? ")" : "");
        add(h, &n, tc_metrics_network(m, TC_NM_COST_PER_DAY), 1, label);
        if (sc->costs.has_fuel)
            add(h, &n, tc_metrics_network(m, TC_NM_CO2_KG_PER_DAY), 1, "CO2 per day (kg)");
    }
    return n;
}

/* One line of a panel: the label left-aligned, cells right-aligned, no trailing blank. */
static void print_line(FILE *f, char (*row)[CELL], const size_t *cols, size_t n_cols,
                       const size_t *width)
{
    char line[8 * CELL * 4];
    size_t len = 0;
    for (size_t j = 0; j < n_cols && len < sizeof(line); j++) {
        const char *s = row[cols[j]];
        int pad = (int)(width[cols[j]] - columns(s));
        int k = j == 0 ? snprintf(line + len, sizeof(line) - len, "%s%*s", s, pad, "")
                       : snprintf(line + len, sizeof(line) - len, "%*s%s", pad + GAP, "", s);
        len += k > 0 ? (size_t)k : 0;
    }
    if (len > sizeof(line) - 1)
        len = sizeof(line) - 1;
    while (len && line[len - 1] == ' ')
        len--;
    fprintf(f, "%.*s\n", (int)len, line);
}

/* Column c of every row: the baseline's mean ± ci95 or option k's difference, "*" if it moved. */
static void fill(const struct tc_study_result *res, const struct headline *h, size_t n_rows,
                 char (*cells)[CELL], size_t n_cols)
{
    const struct tc_study *st = res->st;
    const struct tc_run *b = &res->runs[st->baseline];
    size_t m = b->metrics.n;
    snprintf(cells[0], CELL, "metric");
    for (size_t c = 1; c < n_cols; c++) {
        size_t k = c == 1 ? st->baseline : c - 2 < st->baseline ? c - 2 : c - 1;
        /* two blanks after an option's name: its cells end in " *" or "  " */
        snprintf(cells[c], CELL, "%.40s%s", st->options[k].name, c == 1 ? " (baseline)" : "  ");
        for (size_t r = 0; r < n_rows; r++) {
            char *s = cells[(r + 1) * n_cols + c];
            size_t i = h[r].i;
            if (c == 1) {
                cell(s, b->stats[i].mean, b->stats[i].ci95, 0, h[r].scale, false);
                continue;
            }
            const struct tc_compare_paired *pd = &res->d[k * m + i];
            cell(s, pd->mean, pd->ci95, b->stats[i].mean, h[r].scale, true);
            size_t len = strlen(s);
            snprintf(s + len, CELL - len, "%s", res->p_holm[k * m + i] < 0.05 ? " *" : "  ");
        }
    }
    for (size_t r = 0; r < n_rows; r++)
        snprintf(cells[(r + 1) * n_cols], CELL, "%s", h[r].label);
}

int tc_study_table(const struct tc_study_result *res, FILE *f)
{
    const struct tc_study *st = res->st;
    const struct tc_run *b = &res->runs[st->baseline];
    size_t n_cols = st->n_options + 1; /* the label, the baseline, then the other options */
    struct headline *h = tc_xcalloc(b->sc->n_classes + 8, sizeof(*h));
    size_t n_rows = headlines(b, h);
    char(*cells)[CELL] = tc_xcalloc((n_rows + 1) * n_cols, sizeof(*cells));
    size_t *width = tc_xcalloc(n_cols, sizeof(size_t)), *cols = tc_xcalloc(n_cols, sizeof(size_t));
    fill(res, h, n_rows, cells, n_cols);
    for (size_t r = 0; r <= n_rows; r++)
        for (size_t c = 0; c < n_cols; c++) {
            size_t w = columns(cells[r * n_cols + c]);
            width[c] = w > width[c] ? w : width[c];
        }
    fprintf(f, "%s: %" PRIu32 " replications, seed %" PRIu64 ", times in %s\n", b->sc->name,
            b->n_reps, (uint64_t)b->sc->seed, tc_units_name(b->sc->time_unit));
    fputs("baseline: mean \u00b1 95% half-width. Other options: difference from the baseline "
          "(option minus\nbaseline, replication by replication with the same random numbers) "
          "\u00b1 95% half-width;\n* where that difference is significant: paired t test, "
          "Holm-adjusted over the option's\nmetrics, p < 0.05.\n",
          f);
    /* panels: as many options after the label and the baseline as fit in TABLE_COLS */
    for (size_t c = 2; c < n_cols || c == 2;) {
        size_t n = 0, used = width[0] + GAP + width[1];
        cols[n++] = 0;
        cols[n++] = 1;
        while (c < n_cols && (n == 2 || used + GAP + width[c] <= TABLE_COLS)) {
            used += GAP + width[c];
            cols[n++] = c++;
        }
        fputc('\n', f);
        for (size_t r = 0; r <= n_rows; r++)
            print_line(f, cells + r * n_cols, cols, n, width);
        if (c >= n_cols)
            break;
    }
    free(cols);
    free(width);
    free(cells);
    free(h);
    return tc_stream_status(f);
}
