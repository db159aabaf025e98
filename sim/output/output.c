/*
** output: every writer reads the reduced stats (run->stats) or the raw
** series, walks the metric catalogue and formats numbers with jsonw's one
** formatter, so summary.json, summary.csv and the table can never disagree
** on a value. Writers do not check each fprintf: stdio keeps the error in
** the stream, and stream_status() turns it into -errno once at the end.
*/
#include "tcsim/output.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/jsonw.h"
#include "base/stream.h"
#include "base/xmem.h"
#include "output/datapackage.h"
#include "run/input_share.h"
#include "tc_config.h"
#include "tcsim/afile.h"
#include "tcsim/units.h"

/* fflush and ferror, with ENOSPC rather than EIO for a full disk (base/stream.h) */
static int stream_status(FILE *f)
{
    return tc_stream_status(f);
}

static const struct tc_stat *stat_at(const struct tc_run *run, size_t i)
{
    return &run->stats[i];
}

/* Name of the station, class or road that owns metric def d. */
static const char *owner_name(const struct tc_run *run, const struct tc_metric_def *d)
{
    if (d->scope == TC_SCOPE_NETWORK)
        return "";
    if (d->scope == TC_SCOPE_CLASS)
        return run->sc->classes[d->owner].name;
    if (d->scope == TC_SCOPE_POOL)
        return run->sc->pools[d->owner].name;
    if (d->scope == TC_SCOPE_CLEARANCE)
        return run->sc->clearance[d->owner].name;
    return run->sc->stations[d->owner].name;
}

/* ---- summary.json ------------------------------------------------------ */

static void json_stat(struct tc_jsonw *w, const char *key, const struct tc_stat *s)
{
    tc_jsonw_key(w, key);
    tc_jsonw_begin_object_inline(w);
    tc_jsonw_key(w, "mean");
    tc_jsonw_number(w, s->mean);
    tc_jsonw_key(w, "ci95");
    tc_jsonw_number(w, s->ci95);
    tc_jsonw_key(w, "min");
    tc_jsonw_number(w, s->min);
    tc_jsonw_key(w, "max");
    tc_jsonw_number(w, s->max);
    tc_jsonw_key(w, "n"); /* the replications with a value: mean and ci95 are over these */
    tc_jsonw_uint(w, s->n);
    tc_jsonw_end_object(w);
}

/* "clearance": {name: {time: {...}, not_cleared: {...}}}, after the roads. */
static void json_clearances(const struct tc_run *run, struct tc_jsonw *w)
{
    const struct tc_metrics *m = &run->metrics;
    tc_jsonw_key(w, "clearance");
    tc_jsonw_begin_object(w);
    for (uint32_t i = 0; i < m->n_clearances; i++) {
        tc_jsonw_key(w, run->sc->clearance[i].name);
        tc_jsonw_begin_object(w);
        for (uint32_t k = 0; k < TC_CLM__COUNT; k++)
            json_stat(w, tc_clearance_metric_names[k], stat_at(run, tc_metrics_clearance(m, i, k)));
        tc_jsonw_end_object(w);
    }
    tc_jsonw_end_object(w);
}

int tc_output_summary_json(const struct tc_run *run, FILE *f)
{
    const struct tc_scenario *sc = run->sc;
    const struct tc_metrics *m = &run->metrics;
    struct tc_jsonw w;
    tc_jsonw_init(&w, f, true);
    tc_jsonw_begin_object(&w);
    tc_jsonw_key(&w, "tcsim");
    tc_jsonw_string(&w, TC_VERSION);
    tc_jsonw_key(&w, "scenario");
    tc_jsonw_string(&w, sc->name);
    tc_jsonw_key(&w, "time_unit");
    tc_jsonw_string(&w, tc_units_name(sc->time_unit));
    tc_jsonw_key(&w, "horizon");
    tc_jsonw_number(&w, sc->horizon);
    tc_jsonw_key(&w, "warmup");
    tc_jsonw_number(&w, sc->warmup);
    tc_jsonw_key(&w, "replications");
    tc_jsonw_uint(&w, run->n_reps);
    tc_jsonw_key(&w, "seed");
    tc_jsonw_uint(&w, sc->seed);
    if (sc->costs.on) {
        tc_jsonw_key(&w, "currency");
        tc_jsonw_string(&w, sc->costs.currency);
    }

    tc_jsonw_key(&w, "stations");
    tc_jsonw_begin_object(&w);
    for (uint32_t s = 0; s < sc->n_stations; s++) {
        tc_jsonw_key(&w, sc->stations[s].name);
        tc_jsonw_begin_object(&w);
        for (uint32_t k = 0; k < TC_SM__COUNT; k++)
            json_stat(&w, tc_station_metric_names[k], stat_at(run, tc_metrics_station(m, s, k)));
        tc_jsonw_key(&w, "by_class");
        tc_jsonw_begin_object(&w);
        for (uint32_t c = 0; c < sc->n_classes; c++) {
            tc_jsonw_key(&w, sc->classes[c].name);
            tc_jsonw_begin_object(&w);
            for (uint32_t k = 0; k < TC_SCM__COUNT; k++)
                json_stat(&w, tc_station_class_metric_names[k],
                          stat_at(run, tc_metrics_station_class(m, s, c, k)));
            tc_jsonw_end_object(&w);
        }
        tc_jsonw_end_object(&w);
        tc_jsonw_end_object(&w);
    }
    tc_jsonw_end_object(&w);

    tc_jsonw_key(&w, "classes");
    tc_jsonw_begin_object(&w);
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        tc_jsonw_key(&w, sc->classes[c].name);
        tc_jsonw_begin_object(&w);
        for (uint32_t k = 0; k < TC_CM__COUNT; k++)
            json_stat(&w, tc_class_metric_names[k], stat_at(run, tc_metrics_class(m, c, k)));
        tc_jsonw_end_object(&w);
    }
    tc_jsonw_end_object(&w);

    tc_jsonw_key(&w, "roads");
    tc_jsonw_begin_object(&w);
    for (uint32_t r = 0; r < m->n_roads; r++) {
        tc_jsonw_key(&w, sc->stations[m->road_station[r]].name);
        tc_jsonw_begin_object(&w);
        for (uint32_t k = 0; k < TC_RM__COUNT; k++)
            json_stat(&w, tc_road_metric_names[k], stat_at(run, tc_metrics_road(m, r, k)));
        tc_jsonw_end_object(&w);
    }
    tc_jsonw_end_object(&w);

    tc_jsonw_key(&w, "network");
    tc_jsonw_begin_object(&w);
    for (uint32_t k = 0; k < TC_NM__COUNT; k++)
        json_stat(&w, tc_network_metric_names[k], stat_at(run, tc_metrics_network(m, k)));
    tc_jsonw_end_object(&w);
    if (m->n_pools > 0) { /* booking pools: only with a bookings: section */
        tc_jsonw_key(&w, "pools");
        tc_jsonw_begin_object(&w);
        for (uint32_t p = 0; p < m->n_pools; p++) {
            tc_jsonw_key(&w, sc->pools[p].name);
            tc_jsonw_begin_object(&w);
            for (uint32_t k = 0; k < TC_PM__COUNT; k++)
                json_stat(&w, tc_pool_metric_names[k], stat_at(run, tc_metrics_pool(m, p, k)));
            tc_jsonw_end_object(&w);
        }
        tc_jsonw_end_object(&w);
    }
    if (m->n_clearances >
        0) /* only when asked for: the files of other scenarios stay as they were */
        json_clearances(run, &w);

    tc_jsonw_end_object(&w);
    fputc('\n', f);
    return stream_status(f);
}

/* ---- CSV --------------------------------------------------------------- */

/* Fields and numbers follow csv.h (RFC 4180, C locale). */

static const char *const scope_names[] = {
    [TC_SCOPE_STATION] = "station",     [TC_SCOPE_STATION_CLASS] = "station",
    [TC_SCOPE_CLASS] = "class",         [TC_SCOPE_ROAD] = "road",
    [TC_SCOPE_NETWORK] = "network",     [TC_SCOPE_POOL] = "pool",
    [TC_SCOPE_CLEARANCE] = "clearance",
};

int tc_output_summary_csv(const struct tc_run *run, FILE *f)
{
    const struct tc_metrics *m = &run->metrics;
    /* n, unit and path come after the old columns, so readers by position still work */
    fputs("scope,name,class,metric,mean,ci95,min,max,n,unit,path\n", f);
    for (size_t i = 0; i < m->n; i++) {
        const struct tc_metric_def *d = &m->defs[i];
        const struct tc_stat *s = stat_at(run, i);
        char unit[64], path[512];
        fputs(scope_names[d->scope], f);
        fputc(',', f);
        tc_csv_field(f, "", owner_name(run, d), "");
        fputc(',', f);
        if (d->scope == TC_SCOPE_STATION_CLASS)
            tc_csv_field(f, "", run->sc->classes[d->class_id].name, "");
        fputc(',', f);
        fputs(d->name, f);
        const double v[4] = {s->mean, s->ci95, s->min, s->max};
        for (int k = 0; k < 4; k++) {
            fputc(',', f);
            tc_csv_number(f, v[k]);
        }
        tc_metric_unit(run->sc, d, unit, sizeof(unit));
        tc_metric_path(run->sc, d, path, sizeof(path));
        fprintf(f, ",%" PRIu32 ",", s->n);
        tc_csv_field(f, "", unit, "");
        fputc(',', f);
        tc_csv_field(f, "", path, "");
        fputc('\n', f);
    }
    return stream_status(f);
}

int tc_output_replications_csv(const struct tc_run *run, FILE *f)
{
    const struct tc_metrics *m = &run->metrics;
    fputs("rep,scope,name,class,metric,value\n", f);
    for (uint32_t r = 0; r < run->n_reps; r++)
        for (size_t i = 0; i < m->n; i++) {
            const struct tc_metric_def *d = &m->defs[i];
            fprintf(f, "%" PRIu32 ",%s,", r, scope_names[d->scope]);
            tc_csv_field(f, "", owner_name(run, d), "");
            fputc(',', f);
            if (d->scope == TC_SCOPE_STATION_CLASS)
                tc_csv_field(f, "", run->sc->classes[d->class_id].name, "");
            fprintf(f, ",%s,", d->name);
            tc_csv_number(f, tc_run_value(run, r, i));
            fputc('\n', f);
        }
    return stream_status(f);
}

int tc_output_timeseries_csv(const struct tc_run *run, FILE *f)
{
    int err = tc_series_write_csv(run->series, f);
    return err ? err : stream_status(f);
}

/* ---- the stdout table -------------------------------------------------- */

/*
** Each cell is "mean ± ci95" with the half-width rounded to two significant
** digits and the mean to the same decimal place (more digits would be
** noise); with no interval (one replication, or identical values) the mean
** alone to four significant digits, "± n/a" after it when the metric was
** defined in one replication of several. Decimals are capped so that a tiny
** interval around a large mean cannot blow the column up.
*/
#define CELL_LEN     64
#define MAX_COLS     8
#define MAX_DECIMALS 6

static int clamp_int(int x, int lo, int hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Decimal exponent of |x| > 0: 1234 -> 3, 0.05 -> -2. */
static int exponent10(double x)
{
    return (int)floor(log10(fabs(x)));
}

/* %.*f without a "-0.00": a value that rounds to zero prints unsigned. */
static size_t fixed(char *buf, size_t len, double x, int decimals)
{
    int n = snprintf(buf, len, "%.*f", decimals, x);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)) {
        memmove(buf, buf + 1, strlen(buf));
        n--;
    }
    return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* n_reps: with one replication a note above the table says no cell has an interval. */
static void fmt_stat(char *buf, size_t len, const struct tc_stat *s, double scale, uint32_t n_reps)
{
    double mean = s->mean * scale, ci = s->ci95 * scale;
    if (s->n == 0 || isnan(mean)) {
        snprintf(buf, len, "-");
        return;
    }
    if (isinf(mean)) {
        snprintf(buf, len, "%s", mean > 0 ? "inf" : "-inf");
        return;
    }
    if (fabs(mean) >= 1e9) { /* fixed notation would print every digit of 1e300 */
        if (ci > 0 && isfinite(ci))
            snprintf(buf, len, "%.4g \u00b1 %.2g", mean, ci);
        else
            snprintf(buf, len, "%.4g", mean);
        return;
    }
    int cap = mean != 0 ? clamp_int(5 - exponent10(mean), 0, MAX_DECIMALS) : MAX_DECIMALS;
    if (ci > 0 && isfinite(ci)) {
        int d = clamp_int(1 - exponent10(ci), 0, cap);
        size_t n = fixed(buf, len, mean, d);
        n += (size_t)snprintf(buf + n, len - n, " \u00b1 ");
        if (n < len)
            fixed(buf + n, len - n, ci, d);
    } else {
        int d = mean != 0 ? clamp_int(3 - exponent10(mean), 0, MAX_DECIMALS) : 0;
        size_t n = fixed(buf, len, mean, d);
        /* defined in one replication of several: say there is no interval */
        if (s->n == 1 && n_reps > 1 && n < len)
            snprintf(buf + n, len - n, " \u00b1 n/a");
    }
}

/* Terminal columns of UTF-8 text: every byte but continuation bytes ("±" is one). */
static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

struct table {
    uint32_t n_cols; /* including the name column */
    const char *head[MAX_COLS];
    uint32_t n_rows;
    const char **names;                /* n_rows, borrowed */
    char (*cells)[MAX_COLS][CELL_LEN]; /* n_rows; column 0 unused */
};

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

/* Name column left-aligned, numbers right-aligned, two spaces between columns. */
static void table_print(FILE *f, const struct table *t)
{
    size_t width[MAX_COLS];
    for (uint32_t c = 0; c < t->n_cols; c++) {
        width[c] = columns(t->head[c]);
        for (uint32_t r = 0; r < t->n_rows; r++) {
            size_t w = columns(c == 0 ? t->names[r] : t->cells[r][c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (uint32_t r = 0; r <= t->n_rows; r++) { /* row 0 is the header */
        for (uint32_t c = 0; c < t->n_cols; c++) {
            const char *s = r == 0 ? t->head[c] : c == 0 ? t->names[r - 1] : t->cells[r - 1][c];
            size_t w = columns(s);
            if (c == 0) {
                fputs(s, f);
                if (t->n_cols > 1)
                    pad(f, width[0] - w);
            } else {
                pad(f, 2 + width[c] - w);
                fputs(s, f);
            }
        }
        fputc('\n', f);
    }
}

static void table_init(struct table *t, uint32_t n_rows, uint32_t n_cols, const char *const *head)
{
    memset(t, 0, sizeof(*t));
    t->n_cols = n_cols;
    t->n_rows = n_rows;
    for (uint32_t c = 0; c < n_cols; c++)
        t->head[c] = head[c];
    t->names = tc_xcalloc(n_rows, sizeof(*t->names));
    t->cells = tc_xcalloc(n_rows, sizeof(*t->cells));
}

static void table_fini(struct table *t)
{
    free(t->names);
    free(t->cells);
}

/*
** The network as a whole, one metric a row: the totals a planner compares
** first, then costs and CO2 where the scenario prices them.
*/
static void network_table(const struct tc_run *run, FILE *f)
{
    static const struct {
        enum tc_network_metric k;
        const char *label;
        double scale; /* 100 for a fraction shown in % */
    } rows[] = {
        {TC_NM_PRESENT, "trucks present", 1},
        {TC_NM_IN_STATIONS, "  in stations", 1},
        {TC_NM_ON_ROADS, "  on roads", 1},
        {TC_NM_BOOKED_WAITING, "  booked, not yet arrived", 1},
        {TC_NM_PRESENT_MAX, "trucks present, max", 1},
        {TC_NM_TRUCK_HOURS_PER_DAY, "truck-hours/day", 1},
        {TC_NM_TIS_P95, "time in system p95", 1},
        {TC_NM_THROUGHPUT_PER_DAY, "completed/day", 1},
        {TC_NM_ABANDONED_FRACTION, "abandoned %", 100},
        {TC_NM_SPOILED_FRACTION, "spoiled %", 100},
        {TC_NM_COST_PER_DAY, "cost/day", 1},
        {TC_NM_COST_TRUCKS_PER_DAY, "  truck-hours", 1},
        {TC_NM_COST_SERVERS_PER_DAY, "  server-hours", 1},
        {TC_NM_COST_LOSSES_PER_DAY, "  losses", 1},
        {TC_NM_CO2_KG_PER_DAY, "CO2 kg/day", 1},
    };
    const struct tc_metrics *m = &run->metrics;
    const struct tc_costs *c = &run->sc->costs;
    char cost_head[80];
    snprintf(cost_head, sizeof(cost_head), "cost/day%s%s", c->currency && c->currency[0] ? " " : "",
             c->currency ? c->currency : "");
    static const char *const head[] = {"network", "value"};
    struct table t;
    table_init(&t, TC_N_OF(rows), 2, head);
    uint32_t n = 0;
    for (size_t i = 0; i < TC_N_OF(rows); i++) {
        bool money = rows[i].k >= TC_NM_COST_PER_DAY && rows[i].k <= TC_NM_COST_LOSSES_PER_DAY;
        if ((money && !c->on) || (rows[i].k == TC_NM_CO2_KG_PER_DAY && !c->has_fuel))
            continue;
        if (rows[i].k == TC_NM_BOOKED_WAITING &&
            !(stat_at(run, tc_metrics_network(m, rows[i].k))->max > 0))
            continue; /* no booking in this scenario: the row would only say 0 */
        t.names[n] = rows[i].k == TC_NM_COST_PER_DAY ? cost_head : rows[i].label;
        fmt_stat(t.cells[n][1], CELL_LEN, stat_at(run, tc_metrics_network(m, rows[i].k)),
                 rows[i].scale, run->n_reps);
        n++;
    }
    t.n_rows = n;
    fputc('\n', f);
    table_print(f, &t);
    table_fini(&t);
}

/*
** The backlog clearance times: the mean over the replications that
** cleared, and how many did not by the horizon (their time is undefined).
*/
static void table_clearances(const struct tc_run *run, FILE *f)
{
    const struct tc_metrics *m = &run->metrics;
    static const char *const head[] = {"clearance", "after", "below", "time",
                                       "not cleared by the horizon"};
    struct table t;
    table_init(&t, m->n_clearances, 5, head);
    for (uint32_t i = 0; i < m->n_clearances; i++) {
        const struct tc_clearance *c = &run->sc->clearance[i];
        char num[TC_JSONW_NUMBER_LEN];
        t.names[i] = c->name;
        snprintf(t.cells[i][1], CELL_LEN, "%s",
                 tc_jsonw_format_number(c->after_t, num, sizeof(num)));
        snprintf(t.cells[i][2], CELL_LEN, "%s%s",
                 tc_jsonw_format_number(c->below, num, sizeof(num)),
                 c->fraction ? " % of peak" : " trucks");
        fmt_stat(t.cells[i][3], CELL_LEN, stat_at(run, tc_metrics_clearance(m, i, TC_CLM_TIME)), 1,
                 run->n_reps);
        const struct tc_stat *nc = stat_at(run, tc_metrics_clearance(m, i, TC_CLM_NOT_CLEARED));
        snprintf(t.cells[i][4], CELL_LEN, "%.0f of %" PRIu32, nc->mean * run->n_reps, run->n_reps);
    }
    fputc('\n', f);
    table_print(f, &t);
    table_fini(&t);
}

int tc_output_table(const struct tc_run *run, FILE *f)
{
    const struct tc_scenario *sc = run->sc;
    const struct tc_metrics *m = &run->metrics;
    const char *tu = tc_units_name(sc->time_unit);
    char h[TC_JSONW_NUMBER_LEN], wu[TC_JSONW_NUMBER_LEN];
    struct table t;

    fprintf(f, "%s: horizon %s %s, warmup %s %s, %" PRIu32 " replication%s, times in %s\n",
            sc->name, tc_jsonw_format_number(sc->horizon, h, sizeof(h)), tu,
            tc_jsonw_format_number(sc->warmup, wu, sizeof(wu)), tu, run->n_reps,
            run->n_reps == 1 ? "" : "s", tu);
    if (run->n_reps > 1)
        fputs("(mean \u00b1 95% confidence half-width across replications)\n", f);
    else
        fputs("(one replication: the values of that run, no confidence interval; -r 2 or more "
              "gives one)\n",
              f);

    static const char *const st_head[] = {"station",     "wait",    "sojourn",       "in_station",
                                          "utilization", "blocked", "throughput/day"};
    static const enum tc_station_metric st_kind[] = {TC_SM_WAIT,       TC_SM_SOJOURN,
                                                     TC_SM_IN_STATION, TC_SM_UTILIZATION,
                                                     TC_SM_BLOCKED,    TC_SM_THROUGHPUT_PER_DAY};
    table_init(&t, sc->n_stations, 7, st_head);
    for (uint32_t s = 0; s < sc->n_stations; s++) {
        t.names[s] = sc->stations[s].name;
        for (uint32_t k = 0; k < 6; k++)
            fmt_stat(t.cells[s][k + 1], CELL_LEN,
                     stat_at(run, tc_metrics_station(m, s, st_kind[k])), 1, run->n_reps);
    }
    fputc('\n', f);
    table_print(f, &t);
    table_fini(&t);

    static const char *const cl_head[] = {"class",     "time in system", "p90",        "p95",
                                          "road wait", "completed/day",  "abandoned %"};
    static const enum tc_class_metric cl_kind[] = {
        TC_CM_TIME_IN_SYSTEM,     TC_CM_TIS_P90,           TC_CM_TIS_P95, TC_CM_ROAD_WAIT,
        TC_CM_THROUGHPUT_PER_DAY, TC_CM_ABANDONED_FRACTION};
    table_init(&t, sc->n_classes, 7, cl_head);
    for (uint32_t c = 0; c < sc->n_classes; c++) {
        t.names[c] = sc->classes[c].name;
        for (uint32_t k = 0; k < 6; k++)
            fmt_stat(t.cells[c][k + 1], CELL_LEN, stat_at(run, tc_metrics_class(m, c, cl_kind[k])),
                     cl_kind[k] == TC_CM_ABANDONED_FRACTION ? 100 : 1, run->n_reps);
    }
    fputc('\n', f);
    table_print(f, &t);
    table_fini(&t);

    if (m->n_roads > 0) {
        static const char *const rd_head[] = {"road", "trucks", "km", "max trucks"};
        table_init(&t, m->n_roads, 4, rd_head);
        for (uint32_t r = 0; r < m->n_roads; r++) {
            t.names[r] = sc->stations[m->road_station[r]].name;
            for (uint32_t k = 0; k < TC_RM__COUNT; k++)
                fmt_stat(t.cells[r][k + 1], CELL_LEN, stat_at(run, tc_metrics_road(m, r, k)), 1,
                         run->n_reps);
        }
        fputc('\n', f);
        table_print(f, &t);
        table_fini(&t);
    }
    if (m->n_pools > 0) {
        static const char *const pl_head[] = {"booking pool", "booked waiting", "max", "bookings",
                                              "lead time"};
        table_init(&t, m->n_pools, 5, pl_head);
        for (uint32_t p = 0; p < m->n_pools; p++) {
            t.names[p] = sc->pools[p].name;
            for (uint32_t k = 0; k < TC_PM__COUNT; k++)
                fmt_stat(t.cells[p][k + 1], CELL_LEN, stat_at(run, tc_metrics_pool(m, p, k)), 1,
                         run->n_reps);
        }
        fputc('\n', f);
        table_print(f, &t);
        table_fini(&t);
    }
    if (m->n_clearances > 0)
        table_clearances(run, f);
    network_table(run, f);
    return stream_status(f);
}

/* ---- the output directory ---------------------------------------------- */

static int write_json(void *ud, FILE *f)
{
    return tc_output_summary_json(ud, f);
}

static int write_csv(void *ud, FILE *f)
{
    return tc_output_summary_csv(ud, f);
}

static int write_reps(void *ud, FILE *f)
{
    return tc_output_replications_csv(ud, f);
}

static int write_series(void *ud, FILE *f)
{
    return tc_output_timeseries_csv(ud, f);
}

static int write_scenario(void *ud, FILE *f)
{
    const struct tc_run *run = ud;
    return tc_scenario_emit(run->sc, f);
}

/*
** input_share.csv under input uncertainty: per metric the share of its
** spread across replications that the drawn inputs explain (input_share.c),
** then inputs.csv: the value every input took in every replication.
*/
struct shares {
    const struct tc_run *run;
    double *r2, *r2_adj, *drawn;
};

static int write_shares(void *ud, FILE *f)
{
    const struct shares *s = ud;
    const struct tc_run *run = s->run;
    const struct tc_metrics *m = &run->metrics;
    fputs("scope,name,class,metric,input_share,input_share_adjusted\n", f);
    for (size_t i = 0; i < m->n; i++) {
        const struct tc_metric_def *d = &m->defs[i];
        fprintf(f, "%s,", scope_names[d->scope]);
        tc_csv_field(f, "", owner_name(run, d), "");
        fputc(',', f);
        if (d->scope == TC_SCOPE_STATION_CLASS)
            tc_csv_field(f, "", run->sc->classes[d->class_id].name, "");
        fprintf(f, ",%s,", d->name);
        tc_csv_number(f, s->r2[i]);
        fputc(',', f);
        tc_csv_number(f, s->r2_adj[i]);
        fputc('\n', f);
    }
    return stream_status(f);
}

static int write_inputs(void *ud, FILE *f)
{
    const struct shares *s = ud;
    const struct tc_scenario *sc = s->run->sc;
    fputs("rep,key,value\n", f);
    for (uint32_t r = 0; r < s->run->n_reps; r++)
        for (uint32_t k = 0; k < sc->n_uncertain; k++) {
            fprintf(f, "%" PRIu32 ",", r);
            tc_csv_field(f, "", sc->uncertain[k].key, ",");
            tc_csv_number(f, s->drawn[(size_t)r * sc->n_uncertain + k]);
            fputc('\n', f);
        }
    return stream_status(f);
}

/* complete.json: what the set holds, for a reader to tell a complete one. */
struct marker {
    const struct tc_run *run;
    const struct tc_afile_item *items;
    size_t n_items; /* the set without the marker */
};

static int write_marker(void *ud, FILE *f)
{
    const struct marker *mk = ud;
    struct tc_jsonw w;
    tc_jsonw_init(&w, f, true);
    tc_jsonw_begin_object(&w);
    tc_jsonw_key(&w, "tcsim");
    tc_jsonw_string(&w, TC_VERSION);
    tc_jsonw_key(&w, "scenario");
    tc_jsonw_string(&w, mk->run->sc->name);
    tc_jsonw_key(&w, "seed");
    tc_jsonw_uint(&w, mk->run->sc->seed);
    tc_jsonw_key(&w, "replications");
    tc_jsonw_uint(&w, mk->run->n_reps);
    tc_jsonw_key(&w, "files");
    tc_jsonw_begin_array(&w);
    for (size_t i = 0; i < mk->n_items; i++)
        tc_jsonw_string(&w, mk->items[i].name);
    tc_jsonw_end_array(&w);
    tc_jsonw_end_object(&w);
    fputc('\n', f);
    return stream_status(f);
}

int tc_output_write_all(const struct tc_run *run, const char *dir, const char **out_failed)
{
    return tc_output_write_all_with(run, dir, NULL, 0, NULL, out_failed);
}

int tc_output_write_all_with(const struct tc_run *run, const char *dir,
                             const struct tc_afile_item *extra, size_t n_extra,
                             const struct tc_afile_opts *opts, const char **out_failed)
{
    /* afile's callbacks take a void *; the writers only read through it. */
    void *ud = (void *)run;
    struct tc_afile_item items[13] = {
        {"summary.json", write_json, ud},      {"summary.csv", write_csv, ud},
        {"replications.csv", write_reps, ud},  {"timeseries.csv", write_series, ud},
        {"scenario.yaml", write_scenario, ud},
    };
    size_t n = 5;
    struct shares sh = {run, NULL, NULL, NULL};
    if (run->sc->n_uncertain > 0) {
        size_t nm = run->metrics.n ? run->metrics.n : 1;
        sh.r2 = tc_xcalloc(nm, sizeof(double));
        sh.r2_adj = tc_xcalloc(nm, sizeof(double));
        sh.drawn = tc_xcalloc((size_t)run->n_reps * run->sc->n_uncertain + 1, sizeof(double));
        tc_input_share(run, sh.r2, sh.r2_adj, sh.drawn);
        items[n++] = (struct tc_afile_item){"input_share.csv", write_shares, &sh};
        items[n++] = (struct tc_afile_item){"inputs.csv", write_inputs, &sh};
    }
    for (size_t i = 0; i < n_extra && n < 11; i++)
        items[n++] = extra[i];
    /* described from the items above, before it and the marker join them */
    struct tc_datapackage dp = {run->sc, (unsigned)run->n_reps, items, n};
    items[n++] = (struct tc_afile_item){"datapackage.json", tc_datapackage_write, &dp};
    struct marker mk = {run, items, n};
    items[n++] = (struct tc_afile_item){TC_OUTPUT_MARKER, write_marker, &mk};
    struct tc_afile_opts o = opts ? *opts : (struct tc_afile_opts){0};
    o.marker = true;
    /* an earlier run's trace (untraced now, or gzipped where the earlier was not, or the
       other way round) or input files do not belong beside this set */
    static const char *const maybe[] = {"trucks.csv",    "visits.csv",      "trucks.csv.gz",
                                        "visits.csv.gz", "input_share.csv", "inputs.csv"};
    const char *obsolete[6];
    size_t n_obs = 0;
    for (size_t k = 0; k < 6; k++) {
        bool has = false;
        for (size_t i = 0; i < n; i++)
            has |= strcmp(items[i].name, maybe[k]) == 0;
        if (!has)
            obsolete[n_obs++] = maybe[k];
    }
    if (n_obs > 0 && !o.obsolete) {
        o.obsolete = obsolete;
        o.n_obsolete = n_obs;
    }
    int err = tc_afile_commit_opts(dir, items, n, &o, out_failed);
    free(sh.r2);
    free(sh.r2_adj);
    free(sh.drawn);
    return err;
}
