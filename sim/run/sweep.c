/*
** sweep: range values are computed as FROM + i * STEP, never by adding
** STEP repeatedly (which drifts: 0.1 added ten times is not 1.0), and
** printed with as many decimals as FROM and STEP were written with, so
** "0.1:0.3:0.1" gives the strings 0.1, 0.2, 0.3 that a user would type in
** --set. The numbers in sweep.csv go through jsonw's formatter, the one
** summary.csv uses, so a variant's row repeats its summary.csv byte for
** byte.
*/
#include "tcsim/sweep.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/jsonw.h"
#include "base/stream.h"
#include "base/xmem.h"
#include "tcsim/metrics.h"

#define MAX_AXIS_VALUES 10000
#define MAX_NAME_LEN    200 /* a directory name, well under NAME_MAX */

void tc_sweep_init(struct tc_sweep *sw)
{
    memset(sw, 0, sizeof(*sw));
    sw->n_variants = 1;
}

static void free_kpis(struct tc_sweep_kpi *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(k[i].column);
    free(k);
}

void tc_sweep_fini(struct tc_sweep *sw)
{
    if (!sw)
        return;
    for (uint32_t a = 0; a < sw->n_axes; a++) {
        for (uint32_t i = 0; i < sw->axes[a].n; i++)
            free(sw->axes[a].values[i]);
        free(sw->axes[a].values);
        free(sw->axes[a].key);
    }
    free(sw->axes);
    free_kpis(sw->kpis, sw->n_kpis);
    free(sw->stats);
    free(sw->stored);
    free(sw->time_unit);
    memset(sw, 0, sizeof(*sw));
}

/* ==== Parsing --vary ==== */

struct strv {
    char **v;
    size_t n, cap;
};

static void strv_free(struct strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static char *trimmed_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return tc_xstrndup(s, n);
}

/* Splits at commas outside brackets, braces and quotes; NULL, or what is wrong. */
static const char *split_list(const char *s, struct strv *out)
{
    int depth = 0;
    char quote = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            else if (*p == '\0') /* the last item would be lost */
                return "a quote in the list is not closed";
            continue;
        }
        if (*p == '"' || *p == '\'')
            quote = *p;
        else if (*p == '[' || *p == '{')
            depth++;
        else if ((*p == ']' || *p == '}') && depth > 0)
            depth--;
        if ((*p == ',' && depth == 0) || *p == '\0') {
            char *item = trimmed_dup(start, (size_t)(p - start));
            TC_VEC_PUSH(*out, item);
            if (!*item)
                return "empty value in the list";
            if (*p == '\0')
                break;
            start = p + 1;
        }
    }
    return NULL;
}

static bool has_top_comma(const char *s)
{
    int depth = 0;
    char quote = 0;
    for (; *s; s++) {
        if (quote) {
            quote = *s == quote ? 0 : quote;
            continue;
        }
        if (*s == '"' || *s == '\'')
            quote = *s;
        else if (*s == '[' || *s == '{')
            depth++;
        else if ((*s == ']' || *s == '}') && depth > 0)
            depth--;
        else if (*s == ',' && depth == 0)
            return true;
    }
    return false;
}

struct part {
    double x;
    int decimals;     /* digits after the point; -1: written with an exponent */
    const char *unit; /* what follows the number, "" if nothing */
    size_t unit_len;
};

/* "<number>[unit]" where a unit starts (after blanks) with a letter, '/' or '%'. */
static bool parse_part(const char *s, size_t n, struct part *out)
{
    char buf[128];
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (end == buf || errno == ERANGE || !isfinite(x))
        return false;
    /* only plain decimal numbers: no "inf", "nan" or hex */
    for (const char *c = buf; c < end; c++)
        if (!strchr("0123456789+-.eE", *c))
            return false;
    const char *u = end + strspn(end, " ");
    if (*u && !isalpha((unsigned char)*u) && *u != '/' && *u != '%')
        return false;
    out->x = x;
    const char *dot = memchr(buf, '.', (size_t)(end - buf));
    bool expo = memchr(buf, 'e', (size_t)(end - buf)) || memchr(buf, 'E', (size_t)(end - buf));
    out->decimals = expo ? -1 : dot ? (int)(end - dot - 1) : 0;
    out->unit = s + (end - buf);
    out->unit_len = *end ? n - (size_t)(end - buf) : 0;
    return true;
}

/*
** A range FROM:TO:STEP? 1 if spec is one (values in out), 0 if it is not
** (a single value then), or -1 with *err when it is a range that is wrong.
*/
static int parse_range(const char *spec, struct strv *out, const char **err)
{
    const char *c1 = strchr(spec, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2 || strchr(c2 + 1, ':'))
        return 0;
    struct part p[3];
    if (!parse_part(spec, (size_t)(c1 - spec), &p[0]) ||
        !parse_part(c1 + 1, (size_t)(c2 - c1 - 1), &p[1]) ||
        !parse_part(c2 + 1, strlen(c2 + 1), &p[2]))
        return 0;
    const struct part *unit = NULL;
    for (int i = 0; i < 3; i++) {
        if (p[i].unit_len == 0)
            continue;
        if (unit && (unit->unit_len != p[i].unit_len ||
                     memcmp(unit->unit, p[i].unit, p[i].unit_len) != 0)) {
            *err = "FROM:TO:STEP: the three parts have different units";
            return -1;
        }
        unit = &p[i];
    }
    double from = p[0].x, to = p[1].x, step = p[2].x;
    if (!(step > 0) || to < from) {
        *err = "FROM:TO:STEP: expected STEP > 0 and TO >= FROM";
        return -1;
    }
    double span = (to - from) / step;
    if (span + 1 > MAX_AXIS_VALUES) {
        *err = "FROM:TO:STEP: more than 10000 values";
        return -1;
    }
    /* 1e-9 absorbs rounding: 0.1:0.3:0.1 has 3 values although (0.3-0.1)/0.1 < 2 */
    size_t n = (size_t)floor(span + 1e-9) + 1;
    int dec = p[0].decimals > p[2].decimals ? p[0].decimals : p[2].decimals;
    if (p[0].decimals < 0 || p[2].decimals < 0)
        dec = -1;
    for (size_t i = 0; i < n; i++) {
        double x = from + (double)i * step;
        char num[64], val[192];
        if (dec < 0)
            snprintf(num, sizeof(num), "%.15g", x);
        else
            snprintf(num, sizeof(num), "%.*f", dec, x);
        if (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1))
            memmove(num, num + 1, strlen(num)); /* "-0.0" -> "0.0" */
        snprintf(val, sizeof(val), "%s%.*s", num, unit ? (int)unit->unit_len : 0,
                 unit ? unit->unit : "");
        TC_VEC_PUSH(*out, tc_xstrdup(val));
    }
    return 1;
}

static void sanitize(char *s)
{
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._=+,-", *s))
            *s = '_';
}

const char *tc_sweep_add_vary(struct tc_sweep *sw, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec)
        return "expected KEY=FROM:TO:STEP or KEY=a,b,c";
    if (!eq[1])
        return "expected values after '='";
    char *key = trimmed_dup(spec, (size_t)(eq - spec));
    if (!*key) {
        free(key);
        return "expected KEY=FROM:TO:STEP or KEY=a,b,c";
    }
    for (uint32_t a = 0; a < sw->n_axes; a++)
        if (strcmp(sw->axes[a].key, key) == 0) {
            free(key);
            return "this key is already varied";
        }
    struct strv vals = {0};
    const char *err = NULL;
    const char *rest = eq + 1;
    if (has_top_comma(rest)) {
        err = split_list(rest, &vals);
    } else if (parse_range(rest, &vals, &err) == 0 && !err) {
        char *one = trimmed_dup(rest, strlen(rest));
        TC_VEC_PUSH(vals, one);
        if (!*one)
            err = "expected values after '='";
    }
    /* each value once, and no two giving the same directory name */
    for (size_t i = 0; !err && i < vals.n; i++)
        for (size_t k = 0; !err && k < i; k++) {
            if (strcmp(vals.v[i], vals.v[k]) == 0) {
                err = "a value is given twice";
                break;
            }
            char *a = tc_xstrdup(vals.v[i]), *b = tc_xstrdup(vals.v[k]);
            sanitize(a);
            sanitize(b);
            if (strcmp(a, b) == 0)
                err = "two values would name the same variant directory";
            free(a);
            free(b);
        }
    if (!err && (uint64_t)sw->n_variants * vals.n > TC_SWEEP_MAX_VARIANTS)
        err = "more than 100000 variants in all";
    if (err) {
        strv_free(&vals);
        free(key);
        return err;
    }
    sw->axes = tc_xrealloc(sw->axes, (sw->n_axes + 1) * sizeof(*sw->axes));
    sw->axes[sw->n_axes++] = (struct tc_sweep_axis){key, vals.v, (uint32_t)vals.n};
    sw->n_variants *= (uint32_t)vals.n;
    return NULL;
}

/* ==== Variants ==== */

void tc_sweep_variant(const struct tc_sweep *sw, uint32_t v, uint32_t *out_idx)
{
    for (uint32_t a = sw->n_axes; a-- > 0;) {
        out_idx[a] = v % sw->axes[a].n;
        v /= sw->axes[a].n;
    }
}

size_t tc_sweep_overrides(const struct tc_sweep *sw, uint32_t v, const struct tc_override *base,
                          size_t n_base, struct tc_override *out)
{
    uint32_t *idx = tc_xcalloc(sw->n_axes ? sw->n_axes : 1, sizeof(uint32_t));
    tc_sweep_variant(sw, v, idx);
    for (size_t i = 0; i < n_base; i++)
        out[i] = base[i];
    for (uint32_t a = 0; a < sw->n_axes; a++)
        out[n_base + a] = (struct tc_override){sw->axes[a].key, sw->axes[a].values[idx[a]]};
    free(idx);
    return n_base + sw->n_axes;
}

char *tc_sweep_variant_name_new(const struct tc_sweep *sw, uint32_t v)
{
    uint32_t *idx = tc_xcalloc(sw->n_axes ? sw->n_axes : 1, sizeof(uint32_t));
    tc_sweep_variant(sw, v, idx);
    size_t len = 1;
    for (uint32_t a = 0; a < sw->n_axes; a++)
        len += strlen(sw->axes[a].key) + strlen(sw->axes[a].values[idx[a]]) + 2;
    char *s = tc_xmalloc(len > 32 ? len : 32);
    size_t n = 0;
    s[0] = '\0';
    for (uint32_t a = 0; a < sw->n_axes; a++)
        n += (size_t)snprintf(s + n, len - n, "%s%s=%s", a ? "," : "", sw->axes[a].key,
                              sw->axes[a].values[idx[a]]);
    free(idx);
    if (n > MAX_NAME_LEN || n == 0) /* too long for a directory name: number it */
        snprintf(s, 32, "variant-%06u", (unsigned)v + 1);
    sanitize(s);
    return s;
}

/* ==== KPIs ==== */

static const enum tc_station_metric st_kpis[] = {TC_SM_WAIT, TC_SM_IN_STATION, TC_SM_UTILIZATION,
                                                 TC_SM_BLOCKED, TC_SM_THROUGHPUT_PER_DAY};
static const enum tc_class_metric cl_kpis[] = {
    TC_CM_TIME_IN_SYSTEM,     TC_CM_TIS_P90,           TC_CM_TIS_P95, TC_CM_ROAD_WAIT,
    TC_CM_THROUGHPUT_PER_DAY, TC_CM_ABANDONED_FRACTION};
static const enum tc_road_metric rd_kpis[] = {TC_RM_TRUCKS, TC_RM_KM};
static const enum tc_network_metric net_kpis[] = {
    TC_NM_PRESENT,       TC_NM_PRESENT_MAX,        TC_NM_TRUCK_HOURS_PER_DAY,
    TC_NM_TIS_P95,       TC_NM_THROUGHPUT_PER_DAY, TC_NM_COST_PER_DAY,
    TC_NM_CO2_KG_PER_DAY};

/* <scope>.<name>.<metric>, or network.<metric> for name NULL */
static char *column(const char *scope, const char *name, const char *metric)
{
    size_t n = strlen(scope) + (name ? strlen(name) : 0) + strlen(metric) + 3;
    char *s = tc_xmalloc(n);
    if (name)
        snprintf(s, n, "%s.%s.%s", scope, name, metric);
    else
        snprintf(s, n, "%s.%s", scope, metric);
    return s;
}

static struct tc_sweep_kpi *kpis_of(const struct tc_run *run, size_t *out_n)
{
    const struct tc_scenario *sc = run->sc;
    const struct tc_metrics *m = &run->metrics;
    size_t n = sc->n_stations * TC_N_OF(st_kpis) + sc->n_classes * TC_N_OF(cl_kpis) +
               m->n_roads * TC_N_OF(rd_kpis) + TC_N_OF(net_kpis) +
               (size_t)m->n_clearances * TC_CLM__COUNT,
           i = 0;
    struct tc_sweep_kpi *k = tc_xcalloc(n ? n : 1, sizeof(*k));
    for (uint32_t s = 0; s < sc->n_stations; s++)
        for (size_t j = 0; j < TC_N_OF(st_kpis); j++)
            k[i++] = (struct tc_sweep_kpi){
                column("stations", sc->stations[s].name, tc_station_metric_names[st_kpis[j]]),
                tc_metrics_station(m, s, st_kpis[j]), st_kpis[j] == TC_SM_WAIT};
    for (uint32_t c = 0; c < sc->n_classes; c++)
        for (size_t j = 0; j < TC_N_OF(cl_kpis); j++)
            k[i++] = (struct tc_sweep_kpi){
                column("classes", sc->classes[c].name, tc_class_metric_names[cl_kpis[j]]),
                tc_metrics_class(m, c, cl_kpis[j]),
                cl_kpis[j] == TC_CM_TIME_IN_SYSTEM || cl_kpis[j] == TC_CM_TIS_P90 ||
                    cl_kpis[j] == TC_CM_TIS_P95 || cl_kpis[j] == TC_CM_ROAD_WAIT};
    for (uint32_t r = 0; r < m->n_roads; r++)
        for (size_t j = 0; j < TC_N_OF(rd_kpis); j++)
            k[i++] = (struct tc_sweep_kpi){column("roads", sc->stations[m->road_station[r]].name,
                                                  tc_road_metric_names[rd_kpis[j]]),
                                           tc_metrics_road(m, r, rd_kpis[j]), false};
    for (size_t j = 0; j < TC_N_OF(net_kpis); j++)
        k[i++] =
            (struct tc_sweep_kpi){column("network", NULL, tc_network_metric_names[net_kpis[j]]),
                                  tc_metrics_network(m, net_kpis[j]), net_kpis[j] == TC_NM_TIS_P95};
    for (uint32_t c = 0; c < m->n_clearances;
         c++) /* after the rest: other columns keep their place */
        for (uint32_t j = 0; j < TC_CLM__COUNT; j++)
            k[i++] = (struct tc_sweep_kpi){
                column("clearance", sc->clearance[c].name, tc_clearance_metric_names[j]),
                tc_metrics_clearance(m, c, j), j == TC_CLM_TIME};
    *out_n = n;
    return k;
}

int tc_sweep_store(struct tc_sweep *sw, uint32_t v, const struct tc_run *run)
{
    if (v >= sw->n_variants)
        return -EINVAL;
    size_t n;
    struct tc_sweep_kpi *k = kpis_of(run, &n);
    if (!sw->kpis) {
        sw->kpis = k;
        sw->n_kpis = n;
        sw->n_metrics = run->metrics.n;
        sw->stats = tc_xcalloc((size_t)sw->n_variants * (n ? n : 1), sizeof(*sw->stats));
        sw->stored = tc_xcalloc(sw->n_variants, sizeof(bool));
        sw->time_unit = tc_xcalloc(sw->n_variants, sizeof(*sw->time_unit));
    } else {
        bool same = n == sw->n_kpis && run->metrics.n == sw->n_metrics;
        for (size_t i = 0; same && i < n; i++)
            same = strcmp(k[i].column, sw->kpis[i].column) == 0;
        free_kpis(k, n);
        if (!same)
            return -EINVAL;
    }
    for (size_t i = 0; i < sw->n_kpis; i++)
        sw->stats[(size_t)v * sw->n_kpis + i] = run->stats[sw->kpis[i].metric];
    sw->time_unit[v] = run->sc->time_unit;
    sw->stored[v] = true;
    return 0;
}

/* ==== sweep.csv ==== */

bool tc_sweep_time_unit(const struct tc_sweep *sw, enum tc_time_unit *out)
{
    for (uint32_t v = 0; sw->stored && v < sw->n_variants; v++)
        if (sw->stored[v]) {
            *out = sw->time_unit[v];
            return true;
        }
    return false;
}

struct tc_stat tc_sweep_stat(const struct tc_sweep *sw, uint32_t v, size_t kpi)
{
    struct tc_stat s = sw->stats[(size_t)v * sw->n_kpis + kpi];
    enum tc_time_unit first;
    if (!sw->kpis[kpi].time || !tc_sweep_time_unit(sw, &first) || first == sw->time_unit[v])
        return s; /* untouched: the bytes of the variant's summary.csv */
    double k = tc_units_seconds(sw->time_unit[v]) / tc_units_seconds(first);
    s.mean *= k;
    s.ci95 *= k;
    s.min *= k;
    s.max *= k;
    return s;
}

int tc_sweep_write_csv(const struct tc_sweep *sw, FILE *f)
{
    fputs("variant", f);
    for (uint32_t a = 0; a < sw->n_axes; a++) {
        fputc(',', f);
        tc_csv_field(f, "", sw->axes[a].key, "");
    }
    for (size_t i = 0; i < sw->n_kpis; i++) {
        fputc(',', f);
        tc_csv_field(f, "", sw->kpis[i].column, ".mean");
        fputc(',', f);
        tc_csv_field(f, "", sw->kpis[i].column, ".ci95");
        fputc(',', f);
        tc_csv_field(f, "", sw->kpis[i].column, ".n");
    }
    fputc('\n', f);
    uint32_t *idx = tc_xcalloc(sw->n_axes ? sw->n_axes : 1, sizeof(uint32_t));
    for (uint32_t v = 0; v < sw->n_variants; v++) {
        if (!sw->stored || !sw->stored[v])
            continue;
        char *name = tc_sweep_variant_name_new(sw, v);
        tc_csv_field(f, "", name, "");
        free(name);
        tc_sweep_variant(sw, v, idx);
        for (uint32_t a = 0; a < sw->n_axes; a++) {
            fputc(',', f);
            tc_csv_field(f, "", sw->axes[a].values[idx[a]], "");
        }
        for (size_t i = 0; i < sw->n_kpis; i++) {
            struct tc_stat s = tc_sweep_stat(sw, v, i);
            fputc(',', f);
            tc_csv_number(f, s.mean);
            fputc(',', f);
            tc_csv_number(f, s.ci95);
            fprintf(f, ",%" PRIu32, s.n); /* replications with a value, as in summary.csv */
        }
        fputc('\n', f);
    }
    free(idx);
    return tc_stream_status(f);
}
