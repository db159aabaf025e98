/*
** calendar: windows -> boundaries. A window [open, close) with close <=
** open crosses midnight and is split into [open, 24:00) and [00:00,
** close). The state after each boundary is found by testing a point just
** after it against the windows (in minutes, exact for whole minutes).
*/
#include "model/calendar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tcsim/units.h"

bool tc_calendar_contains(const struct tc_window *w, uint32_t n_windows, double tod)
{
    for (uint32_t i = 0; i < n_windows; i++) {
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

void tc_calendar_init(struct tc_calendar *cal, const struct tc_window *w, uint32_t n_windows,
                      double day_len)
{
    memset(cal, 0, sizeof(*cal));
    if (n_windows == 0) {
        cal->always_open = cal->open_at_midnight = true;
        return;
    }
    double b[TC_CAL_MAX];
    uint32_t n = 0;
    for (uint32_t i = 0; i < n_windows && n + 2 <= TC_CAL_MAX; i++) {
        b[n++] = fmod(w[i].open_min, TC_MIN_PER_DAY);
        b[n++] = fmod(w[i].close_min, TC_MIN_PER_DAY); /* 24:00 is midnight */
    }
    qsort(b, n, sizeof(b[0]), cmp_double);
    /* keep boundaries where the state changes; midnight is handled apart */
    cal->open_at_midnight = tc_calendar_contains(w, n_windows, 0);
    bool state = cal->open_at_midnight;
    for (uint32_t i = 0; i < n; i++) {
        if (i > 0 && b[i] == b[i - 1])
            continue;
        if (b[i] == 0)
            continue;
        bool after = tc_calendar_contains(w, n_windows, b[i]);
        if (after == state)
            continue;
        cal->t[cal->n] = b[i] / TC_MIN_PER_DAY * day_len;
        cal->open_after[cal->n++] = after;
        state = after;
    }
    /* back at midnight the state must be open_at_midnight again */
    if (cal->n == 0)
        cal->always_open = cal->open_at_midnight;
    /* a calendar that is never open has no boundaries and open_at_midnight false */
}

void tc_calendar_next(const struct tc_calendar *cal, double t, double day_len, double *out_t,
                      uint32_t *out_i)
{
    double eps = TC_TIME_EPS_DAYS * day_len;
    double day = floor((t + eps) / day_len);
    double base = day * day_len;
    /* the midnight boundary is the (virtual) index n: state open_at_midnight */
    for (uint32_t i = 0; i < cal->n; i++)
        if (base + cal->t[i] > t + eps) {
            *out_t = base + cal->t[i];
            *out_i = i;
            return;
        }
    *out_t = base + day_len;
    *out_i = cal->n;
}

bool tc_calendar_is_open(const struct tc_calendar *cal, double t, double day_len)
{
    if (cal->always_open)
        return true;
    double eps = TC_TIME_EPS_DAYS * day_len;
    double day = floor((t + eps) / day_len);
    double tod = t - day * day_len;
    bool state = cal->open_at_midnight;
    for (uint32_t i = 0; i < cal->n; i++)
        if (cal->t[i] <= tod + eps)
            state = cal->open_after[i];
    return state;
}
