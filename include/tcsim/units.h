/*
** units: pure parsers for what planners write: durations ("20 min",
** "14 d 7 h", "1 h 30 min", or a bare number in the scenario's time_unit),
** rates ("25/h", "900/d", or bare, per time_unit), lengths ("25 m",
** "0.5 km"), times of day ("07:30", "24:00" as an end) and opening windows
** ("08:00-12:00", half-open, may cross midnight). Every duration is returned
** in the scenario's time_unit; this is the only module that converts units.
** Functions return NULL on success or a static text saying what is allowed.
*/
#ifndef TCSIM_UNITS_H
#define TCSIM_UNITS_H

#include <math.h>

enum tc_time_unit { TC_TU_S, TC_TU_MIN, TC_TU_H, TC_TU_D, TC_TU__COUNT };

/*
** Times within this fraction of a day of each other are the same instant
** (multiply by the day length in time_unit): in h or d, a sum of 10 min
** services lands a rounding error before 12:00 and must count as 12:00.
*/
#define TC_TIME_EPS_DAYS 1e-9

/* Times of day are kept in minutes after midnight. */
#define TC_MIN_PER_DAY  1440.0
#define TC_MIN_PER_HOUR 60.0

/* The day (0, 1, ...) of a time in minutes from day 0, 00:00. */
static inline double tc_units_day_of(double t_min)
{
    return floor(t_min / TC_MIN_PER_DAY);
}

/* The hour of day (by floor, not clamped) of a time in minutes on its day `day`. */
static inline int tc_units_hour_of(double t_min, double day)
{
    return (int)floor((t_min - day * TC_MIN_PER_DAY) / TC_MIN_PER_HOUR);
}

/* "s", "min", "h", "d". */
const char *tc_units_name(enum tc_time_unit tu);
/* Parses a time_unit name; NULL on success. */
const char *tc_units_parse_time_unit(const char *s, enum tc_time_unit *out);
/* Length of one time unit in seconds (1, 60, 3600, 86400). */
double tc_units_seconds(enum tc_time_unit tu);
/* Length of a day in time_unit (1440 for min). */
double tc_units_day(enum tc_time_unit tu);
/* Length of one time unit in minutes (1/60, 1, 60, 1440). */
double tc_units_minutes(enum tc_time_unit tu);

/*
** Duration: one or more "<number> <unit>" parts (unit s|sec|min|h|d, space
** optional), or one bare number meaning time_unit. Finite, >= 0. Only the
** units s, min, h, d are accepted, which keeps files uniform.
*/
const char *tc_units_duration(const char *s, enum tc_time_unit tu, double *out_t);

/* Rate: "<number>/<unit>", converted to per tu; finite, >= 0. A bare number is an error. */
const char *tc_units_rate(const char *s, enum tc_time_unit tu, double *out_rate_per_t);

/* Length: "<number> m" or "<number> km", or a bare number in metres; > 0. */
const char *tc_units_length(const char *s, double *out_len_m);

/*
** Time of day "HH:MM" (00:00-23:59; "24:00" only when allow_24 is set),
** returned in minutes after midnight.
*/
const char *tc_units_time_of_day(const char *s, int allow_24, double *out_min);

/*
** Window "HH:MM-HH:MM": open and close in minutes after midnight; close may
** be 24:00 and may be <= open, meaning the window crosses midnight. An empty
** window (open == close) is an error; "00:00-24:00" is the whole day.
*/
const char *tc_units_window(const char *s, double *out_open_min, double *out_close_min);

#endif
