/*
** Tests for calendar: opening windows (parsed with tc_units_window, as the
** loader does) turned into boundary tables, written out by hand; then
** tc_calendar_is_open and tc_calendar_next at and around exact boundaries
** in the time units min, h and d. Windows are half-open: open at 08:00,
** closed at 12:00. Times a whole number of minutes in min and h are exact
** binary fractions or not (12:00 = 0.5 d is, 07:00 = 0.291666.. d is not);
** both must land on the boundary.
*/
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/calendar.h"
#include "tc_check.h"
#include "tcsim/units.h"

/* Parses up to 4 windows with the real parser; fails the test on a parse error. */
static uint32_t windows(struct tc_window *w, const char *const *text, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const char *err = tc_units_window(text[i], &w[i].open_min, &w[i].close_min);
        ck_assert_msg(err == NULL, "%s: %s", text[i], err ? err : "");
    }
    return n;
}

/* Builds the calendar of the given windows for time unit tu. */
static void build(struct tc_calendar *cal, const char *const *text, uint32_t n,
                  enum tc_time_unit tu)
{
    struct tc_window w[4];
    ck_assert_uint_le(n, 4);
    windows(w, text, n);
    tc_calendar_init(cal, w, n, tc_units_day(tu));
}

/* Clock time h:m of day d in time unit tu (through minutes, as the engine sees it). */
static double at(enum tc_time_unit tu, double d, double h, double m)
{
    return (d * 1440.0 + h * 60.0 + m) * 60.0 / tc_units_seconds(tu);
}

static const enum tc_time_unit units[] = {TC_TU_MIN, TC_TU_H, TC_TU_D};
#define N_UNITS (sizeof units / sizeof units[0])

/* ---- windows -> boundaries ---------------------------------------------- */

START_TEST(two_windows_boundaries)
{
    static const char *const w[] = {"07:00-11:30", "13:00-19:00"};
    for (size_t u = 0; u < N_UNITS; u++) {
        struct tc_calendar cal;
        build(&cal, w, 2, units[u]);
        ck_assert(!cal.always_open);
        ck_assert(!cal.open_at_midnight);
        ck_assert_uint_eq(cal.n, 4);
        static const double hm[4][2] = {{7, 0}, {11, 30}, {13, 0}, {19, 0}};
        static const bool after[4] = {true, false, true, false};
        for (uint32_t i = 0; i < 4; i++) {
            ck_assert_double_eq_tol(cal.t[i], at(units[u], 0, hm[i][0], hm[i][1]), 1e-12);
            ck_assert(cal.open_after[i] == after[i]);
        }
    }
}
END_TEST

START_TEST(across_midnight_boundaries)
{
    static const char *const w[] = {"22:00-06:00"};
    struct tc_calendar cal;
    build(&cal, w, 1, TC_TU_MIN);
    ck_assert(!cal.always_open);
    ck_assert(cal.open_at_midnight);
    ck_assert_uint_eq(cal.n, 2);
    ck_assert_double_eq(cal.t[0], 360.0);
    ck_assert(!cal.open_after[0]);
    ck_assert_double_eq(cal.t[1], 1320.0);
    ck_assert(cal.open_after[1]);
}
END_TEST

START_TEST(whole_day_is_always_open)
{
    static const char *const w[] = {"00:00-24:00"};
    for (size_t u = 0; u < N_UNITS; u++) {
        struct tc_calendar cal;
        build(&cal, w, 1, units[u]);
        ck_assert(cal.always_open);
        ck_assert(cal.open_at_midnight);
        ck_assert_uint_eq(cal.n, 0);
        ck_assert(tc_calendar_is_open(&cal, at(units[u], 3, 0, 0), tc_units_day(units[u])));
        ck_assert(tc_calendar_is_open(&cal, at(units[u], 3, 23, 59), tc_units_day(units[u])));
    }
    /* no windows at all: the same */
    struct tc_calendar cal;
    tc_calendar_init(&cal, NULL, 0, 1440.0);
    ck_assert(cal.always_open);
    ck_assert(cal.open_at_midnight);
    ck_assert_uint_eq(cal.n, 0);
    ck_assert(tc_calendar_is_open(&cal, 12345.678, 1440.0));
}
END_TEST

START_TEST(touching_windows_merge)
{
    /* 12:00 closes the first window and opens the second: no boundary there */
    static const char *const w[] = {"08:00-12:00", "12:00-14:00"};
    struct tc_calendar cal;
    build(&cal, w, 2, TC_TU_MIN);
    ck_assert(!cal.always_open);
    ck_assert(!cal.open_at_midnight);
    ck_assert_uint_eq(cal.n, 2);
    ck_assert_double_eq(cal.t[0], 480.0);
    ck_assert(cal.open_after[0]);
    ck_assert_double_eq(cal.t[1], 840.0);
    ck_assert(!cal.open_after[1]);
    ck_assert(tc_calendar_is_open(&cal, 720.0, 1440.0));

    /* overlapping windows and windows given out of order merge the same way */
    static const char *const w2[] = {"13:00-14:00", "08:00-12:30", "12:00-13:30"};
    build(&cal, w2, 3, TC_TU_MIN);
    ck_assert_uint_eq(cal.n, 2);
    ck_assert_double_eq(cal.t[0], 480.0);
    ck_assert_double_eq(cal.t[1], 840.0);

    /* a window ending at 24:00 next to one starting at 00:00 joins across midnight */
    static const char *const w3[] = {"00:00-06:00", "20:00-24:00"};
    build(&cal, w3, 2, TC_TU_MIN);
    ck_assert(cal.open_at_midnight);
    ck_assert_uint_eq(cal.n, 2);
    ck_assert_double_eq(cal.t[0], 360.0);
    ck_assert(!cal.open_after[0]);
    ck_assert_double_eq(cal.t[1], 1200.0);
    ck_assert(cal.open_after[1]);
}
END_TEST

START_TEST(contains_is_half_open)
{
    struct tc_window w[2];
    static const char *const text[] = {"08:00-12:00", "22:00-06:00"};
    windows(w, text, 2);
    ck_assert(!tc_calendar_contains(w, 1, 479.999));
    ck_assert(tc_calendar_contains(w, 1, 480.0));
    ck_assert(tc_calendar_contains(w, 1, 719.999));
    ck_assert(!tc_calendar_contains(w, 1, 720.0));
    ck_assert(tc_calendar_contains(w + 1, 1, 0.0));
    ck_assert(tc_calendar_contains(w + 1, 1, 359.9));
    ck_assert(!tc_calendar_contains(w + 1, 1, 360.0));
    ck_assert(!tc_calendar_contains(w + 1, 1, 1319.9));
    ck_assert(tc_calendar_contains(w + 1, 1, 1320.0));
    ck_assert(tc_calendar_contains(w + 1, 1, 1439.9));
}
END_TEST

/* ---- is_open at exact boundaries ---------------------------------------- */

START_TEST(is_open_half_open_every_unit)
{
    static const char *const w[] = {"08:00-12:00"};
    for (size_t u = 0; u < N_UNITS; u++) {
        enum tc_time_unit tu = units[u];
        double day = tc_units_day(tu);
        double tiny = 1e-6 * day; /* well above the 1e-9 day boundary tolerance */
        struct tc_calendar cal;
        build(&cal, w, 1, tu);
        for (double d = 0; d < 4; d++) {
            ck_assert(!tc_calendar_is_open(&cal, at(tu, d, 0, 0), day));
            ck_assert(!tc_calendar_is_open(&cal, at(tu, d, 8, 0) - tiny, day));
            ck_assert_msg(tc_calendar_is_open(&cal, at(tu, d, 8, 0), day), "08:00 unit %d", tu);
            ck_assert(tc_calendar_is_open(&cal, at(tu, d, 11, 59), day));
            ck_assert(tc_calendar_is_open(&cal, at(tu, d, 12, 0) - tiny, day));
            ck_assert_msg(!tc_calendar_is_open(&cal, at(tu, d, 12, 0), day), "12:00 unit %d", tu);
            ck_assert(!tc_calendar_is_open(&cal, at(tu, d, 23, 59), day));
        }
        /* a time a rounding error short of a boundary counts as the boundary */
        ck_assert(tc_calendar_is_open(&cal, nextafter(at(tu, 2, 8, 0), 0), day));
        ck_assert(!tc_calendar_is_open(&cal, nextafter(at(tu, 2, 12, 0), 0), day));
    }
}
END_TEST

START_TEST(is_open_across_midnight)
{
    static const char *const w[] = {"22:00-06:00"};
    for (size_t u = 0; u < N_UNITS; u++) {
        enum tc_time_unit tu = units[u];
        double day = tc_units_day(tu);
        struct tc_calendar cal;
        build(&cal, w, 1, tu);
        ck_assert(tc_calendar_is_open(&cal, at(tu, 0, 0, 0), day));
        ck_assert(tc_calendar_is_open(&cal, at(tu, 1, 0, 0), day));
        ck_assert(tc_calendar_is_open(&cal, at(tu, 1, 5, 59), day));
        ck_assert(!tc_calendar_is_open(&cal, at(tu, 1, 6, 0), day));
        ck_assert(!tc_calendar_is_open(&cal, at(tu, 1, 21, 59), day));
        ck_assert(tc_calendar_is_open(&cal, at(tu, 1, 22, 0), day));
        ck_assert(tc_calendar_is_open(&cal, at(tu, 1, 23, 59), day));
    }
}
END_TEST

/* ---- next boundary ------------------------------------------------------ */

/* One tc_calendar_next case: from h:m of day d, the next boundary is at day nd, nh:nm, index i. */
struct next_case {
    double d, h, m;
    double nd, nh, nm;
    uint32_t i;
};

static void check_next(const struct tc_calendar *cal, enum tc_time_unit tu,
                       const struct next_case *c, size_t n)
{
    double day = tc_units_day(tu);
    for (size_t k = 0; k < n; k++) {
        double t;
        uint32_t i;
        tc_calendar_next(cal, at(tu, c[k].d, c[k].h, c[k].m), day, &t, &i);
        ck_assert_msg(fabs(t - at(tu, c[k].nd, c[k].nh, c[k].nm)) <= 1e-9 * day,
                      "unit %d case %zu: next %.17g", tu, k, t);
        ck_assert_msg(i == c[k].i, "unit %d case %zu: index %u, expected %u", tu, k, i, c[k].i);
    }
}

START_TEST(next_two_windows_every_unit)
{
    static const char *const w[] = {"07:00-11:30", "13:00-19:00"};
    /* index 4 is the virtual midnight boundary (state open_at_midnight) */
    static const struct next_case cases[] = {
        {0, 0, 0, 0, 7, 0, 0},     {0, 6, 59, 0, 7, 0, 0},   {0, 7, 0, 0, 11, 30, 1},
        {0, 11, 29, 0, 11, 30, 1}, {0, 11, 30, 0, 13, 0, 2}, {0, 13, 0, 0, 19, 0, 3},
        {0, 19, 0, 1, 0, 0, 4},    {0, 23, 59, 1, 0, 0, 4},  {1, 0, 0, 1, 7, 0, 0},
        {5, 7, 0, 5, 11, 30, 1},   {5, 19, 0, 6, 0, 0, 4},   {9, 12, 0, 9, 13, 0, 2},
    };
    for (size_t u = 0; u < N_UNITS; u++) {
        struct tc_calendar cal;
        build(&cal, w, 2, units[u]);
        check_next(&cal, units[u], cases, sizeof cases / sizeof cases[0]);
    }
}
END_TEST

START_TEST(next_half_open_and_midnight)
{
    static const char *const w[] = {"08:00-12:00"};
    static const struct next_case cases[] = {
        {0, 0, 0, 0, 8, 0, 0}, {0, 8, 0, 0, 12, 0, 1}, {0, 12, 0, 1, 0, 0, 2},
        {1, 0, 0, 1, 8, 0, 0}, {3, 8, 0, 3, 12, 0, 1}, {3, 12, 0, 4, 0, 0, 2},
    };
    static const char *const w2[] = {"22:00-06:00"};
    static const struct next_case cases2[] = {
        {0, 0, 0, 0, 6, 0, 0}, {0, 6, 0, 0, 22, 0, 1},   {0, 22, 0, 1, 0, 0, 2},
        {1, 0, 0, 1, 6, 0, 0}, {2, 21, 59, 2, 22, 0, 1},
    };
    for (size_t u = 0; u < N_UNITS; u++) {
        struct tc_calendar cal;
        build(&cal, w, 1, units[u]);
        check_next(&cal, units[u], cases, sizeof cases / sizeof cases[0]);
        build(&cal, w2, 1, units[u]);
        check_next(&cal, units[u], cases2, sizeof cases2 / sizeof cases2[0]);
    }
}
END_TEST

START_TEST(next_just_short_of_boundary_is_at_it)
{
    /* a clock a rounding error before 12:00 is at 12:00: the next boundary is midnight */
    static const char *const w[] = {"08:00-12:00"};
    for (size_t u = 0; u < N_UNITS; u++) {
        enum tc_time_unit tu = units[u];
        double day = tc_units_day(tu);
        struct tc_calendar cal;
        build(&cal, w, 1, tu);
        double t;
        uint32_t i;
        tc_calendar_next(&cal, nextafter(at(tu, 2, 12, 0), 0), day, &t, &i);
        ck_assert_uint_eq(i, 2); /* the midnight boundary */
        ck_assert(fabs(t - at(tu, 3, 0, 0)) <= 1e-9 * day);
        /* and a rounding error before midnight is midnight: next is 08:00 that day */
        tc_calendar_next(&cal, nextafter(at(tu, 3, 0, 0), 0), day, &t, &i);
        ck_assert_uint_eq(i, 0);
        ck_assert(fabs(t - at(tu, 3, 8, 0)) <= 1e-9 * day);
    }
}
END_TEST

static Suite *calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("boundaries");
    tcase_add_test(tc, two_windows_boundaries);
    tcase_add_test(tc, across_midnight_boundaries);
    tcase_add_test(tc, whole_day_is_always_open);
    tcase_add_test(tc, touching_windows_merge);
    tcase_add_test(tc, contains_is_half_open);
    suite_add_tcase(s, tc);
    tc = tcase_create("is_open");
    tcase_add_test(tc, is_open_half_open_every_unit);
    tcase_add_test(tc, is_open_across_midnight);
    suite_add_tcase(s, tc);
    tc = tcase_create("next");
    tcase_add_test(tc, next_two_windows_every_unit);
    tcase_add_test(tc, next_half_open_and_midnight);
    tcase_add_test(tc, next_just_short_of_boundary_is_at_it);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(calendar_suite)
