/*
** plot_time: the time axis of a run's pictures and what is drawn along it:
** calendar dates as tick labels when the scenario has a start_date (local
** midnights, in the offset it was written with), and the times a station is
** closed (outside its daily opening windows, or between a close event and
** its reopen) and the times of the other events, as data files the scripts
** shade and mark. Windows repeat every day from t = 0 at midnight, as the
** engine's calendar does; an event that changes the windows takes effect
** from the next midnight in this drawing.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plot/plot_int.h"
#include "tcsim/scenario.h"
#include "tcsim/units.h"

#define MIN_PER_DAY 1440.0

static bool in_windows(const struct tc_window *w, uint32_t n, double tod)
{
    for (uint32_t i = 0; i < n; i++) {
        double o = w[i].open_min, c = w[i].close_min;
        if (o < c ? (tod >= o && tod < c) : (tod >= o || tod < c))
            return true;
    }
    return false;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Closed intervals are joined across midnight (22:00-06:00 is one) before they are written. */
struct closed {
    FILE *d;
    const struct tc_plot_run *in;
    double a, b; /* the pending interval; a NaN: none */
    size_t n;
};

static void flush_closed(struct closed *c)
{
    if (isnan(c->a))
        return;
    tc_plot_put_num(c->d, c->a * c->in->scale_t);
    tc_plot_put_num(c->d, c->b * c->in->scale_t);
    fputc('\n', c->d);
    c->n++;
    c->a = (double)NAN;
}

/* One closed interval [a, b) in scenario time, clipped to the horizon. */
static void put_closed(struct closed *c, double a, double b)
{
    b = fmin(b, c->in->sc->horizon);
    if (!(b > a))
        return;
    if (!isnan(c->a) && fabs(a - c->b) < 1e-9 * fmax(1, b)) {
        c->b = b;
        return;
    }
    flush_closed(c);
    c->a = a;
    c->b = b;
}

/* The closed intervals of station st, one block of "from to" lines; returns how many. */
static size_t station_closures(FILE *d, const struct tc_plot_run *in, uint32_t st)
{
    const struct tc_scenario *sc = in->sc;
    double day = MIN_PER_DAY * 60 / tc_units_seconds(sc->time_unit);
    const struct tc_window *w = sc->stations[st].open;
    uint32_t nw = sc->stations[st].n_open;
    struct closed cl = {d, in, (double)NAN, 0, 0};
    size_t next_ev = 0;
    for (double d0 = 0; d0 < sc->horizon; d0 += day) {
        /* windows changed by an event before this midnight */
        for (; next_ev < sc->n_sched && sc->sched[next_ev].t <= d0; next_ev++)
            if (sc->sched[next_ev].kind == TC_SCHED_OPEN && sc->sched[next_ev].station == st) {
                w = sc->sched[next_ev].open;
                nw = sc->sched[next_ev].n_open;
            }
        if (nw == 0)
            continue;
        double b[2 * 16 + 2];
        size_t nb = 0;
        b[nb++] = 0;
        for (uint32_t i = 0; i < nw && nb + 3 <= sizeof(b) / sizeof(b[0]); i++) {
            b[nb++] = fmod(w[i].open_min, MIN_PER_DAY);
            b[nb++] = fmod(w[i].close_min, MIN_PER_DAY);
        }
        b[nb++] = MIN_PER_DAY;
        qsort(b, nb, sizeof(double), cmp_double);
        for (size_t i = 0; i + 1 < nb; i++)
            if (b[i + 1] > b[i] && !in_windows(w, nw, (b[i] + b[i + 1]) / 2))
                put_closed(&cl, d0 + b[i] / MIN_PER_DAY * day, d0 + b[i + 1] / MIN_PER_DAY * day);
    }
    flush_closed(&cl);
    /* closed by an event until its reopen (or the horizon) */
    for (uint32_t e = 0; e < sc->n_sched; e++) {
        if (sc->sched[e].kind != TC_SCHED_CLOSE || sc->sched[e].station != st)
            continue;
        double until = sc->horizon;
        for (uint32_t f = e + 1; f < sc->n_sched; f++)
            if (sc->sched[f].kind == TC_SCHED_REOPEN && sc->sched[f].station == st) {
                until = sc->sched[f].t;
                break;
            }
        put_closed(&cl, sc->sched[e].t, until);
        flush_closed(&cl);
    }
    return cl.n;
}

void tc_plot_closures(struct tc_plot_job *j, const struct tc_plot_run *in, FILE *v, bool files)
{
    const struct tc_scenario *sc = in->sc;
    /* a second picture needs only the counts: the files are written once */
    char *scratch = NULL;
    size_t scratch_len = 0;
    FILE *d = files ? tc_plot_data_new(j, "closures.dat") : open_memstream(&scratch, &scratch_len);
    if (!d)
        return;
    fputs("# per station (one block each): from to, when it is closed (time axis units)\n", d);
    for (uint32_t st = 0; st < sc->n_stations; st++) {
        fprintf(d, "%s# station %s\n", st ? "\n\n" : "", sc->stations[st].name);
        size_t n = station_closures(d, in, st);
        if (n == 0)
            fputs(" NaN NaN\n", d); /* keeps the block numbering */
        char key[32];
        snprintf(key, sizeof(key), "ncl%u", (unsigned)st + 1);
        tc_plot_var_int(v, key, (long)n);
    }
    /* the other events: a mark at each time (closes and reopens are shaded) */
    FILE *e = files ? tc_plot_data_new(j, "events.dat") : d;
    fputs("# times of the scheduled events other than close and reopen (time axis units)\n", e);
    size_t ne = 0;
    double last = (double)NAN;
    for (uint32_t i = 0; i < sc->n_sched; i++) {
        enum tc_sched_kind k = sc->sched[i].kind;
        if (k == TC_SCHED_CLOSE || k == TC_SCHED_REOPEN || sc->sched[i].t >= sc->horizon ||
            sc->sched[i].t == last)
            continue;
        last = sc->sched[i].t;
        tc_plot_put_num(e, last * in->scale_t);
        fputc('\n', e);
        ne++;
    }
    if (ne == 0)
        fputs(" NaN\n", e);
    tc_plot_var_int(v, "nev", (long)ne);
    if (!files) {
        fclose(d);
        free(scratch);
    }
    tc_plot_var_data(j, v, "closures", "closures.dat");
    tc_plot_var_data(j, v, "events", "events.dat");
}

void tc_plot_time_vars(FILE *v, const struct tc_plot_run *in)
{
    const struct tc_scenario *sc = in->sc;
    tc_plot_var_num(v, "warm", sc->warmup * in->scale_t);
    tc_plot_var_num(v, "tmax", sc->horizon * in->scale_t);
    if (!sc->has_start_date) {
        tc_plot_var_int(v, "nxt", 0);
        char lab[64];
        snprintf(lab, sizeof(lab), "time (%s)", in->tu_t);
        tc_plot_var_str(v, "tlabel", lab);
        return;
    }
    /* local midnights from the start, labelled with their date */
    double secs_per_t = tc_units_seconds(sc->time_unit);
    int64_t off = (int64_t)sc->start_offset_min * 60;
    int64_t local0 = sc->start_utc_s + off;
    double span_d = sc->horizon * secs_per_t / 86400;
    int64_t step = span_d <= 12 ? 1 : span_d <= 24 ? 2 : span_d <= 70 ? 7 : span_d <= 200 ? 14 : 30;
    int64_t first = (local0 + 86399) / 86400; /* the first midnight at or after t = 0 */
    size_t n = 0;
    for (int64_t dd = first; (double)(dd * 86400 - local0) <= sc->horizon * secs_per_t + 1e-6;
         dd += step) {
        time_t tt = (time_t)(dd * 86400);
        struct tm tm;
        gmtime_r(&tt, &tm);
        char lab[32];
        strftime(lab, sizeof(lab), "%d %b", &tm);
        char key[32];
        n++;
        snprintf(key, sizeof(key), "xtp%zu", n);
        tc_plot_var_num(v, key, (double)(dd * 86400 - local0) / secs_per_t * in->scale_t);
        tc_plot_var_stri(v, "xtl", n, lab);
    }
    tc_plot_var_int(v, "nxt", (long)n);
    char lab[64];
    snprintf(lab, sizeof(lab), "date (UTC%+d:%02d)", sc->start_offset_min / 60,
             abs(sc->start_offset_min % 60));
    tc_plot_var_str(v, "tlabel", lab);
}
