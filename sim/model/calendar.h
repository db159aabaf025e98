/*
** calendar: a station's daily opening windows as a sorted list of
** boundaries within a day, each with the open/closed state that follows
** it. The engine steps from boundary to boundary with one pending event per
** station and reads the state from the table, never from a floating time
** of day, so a window closing at 12:00 is closed at 12:00 exactly
** (half-open windows), whatever the time unit's rounding.
*/
#ifndef TCSIM_CALENDAR_H
#define TCSIM_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "tcsim/scenario.h"

#define TC_CAL_MAX 64 /* boundaries a day; the loader limits windows to 32 */

struct tc_calendar {
    bool always_open;      /* no windows, or windows covering the whole day */
    bool open_at_midnight; /* state from 00:00 until the first boundary */
    uint32_t n;            /* boundaries, 0 when always_open */
    double t[TC_CAL_MAX];  /* boundary times after midnight, in time_unit, ascending */
    bool open_after[TC_CAL_MAX];
};

/* Builds the calendar of windows (n_windows 0: always open); day is the day length in time_unit. */
void tc_calendar_init(struct tc_calendar *cal, const struct tc_window *w, uint32_t n_windows,
                      double day_len);

/* Whether the windows contain the time of day tod (minutes after midnight, 0 <= tod < 1440). */
bool tc_calendar_contains(const struct tc_window *w, uint32_t n_windows, double tod_min);

/*
** The first boundary strictly after time t (absolute, in time_unit): sets
** *out_t and *out_i (its index in the table). Requires !always_open.
** Boundaries within TC_TIME_EPS_DAYS days of t count as "at t", not after.
*/
void tc_calendar_next(const struct tc_calendar *cal, double t, double day_len, double *out_t,
                      uint32_t *out_i);

/* The state at absolute time t (a boundary at t is already passed). */
bool tc_calendar_is_open(const struct tc_calendar *cal, double t, double day_len);

#endif
