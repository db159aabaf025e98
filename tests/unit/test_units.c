/*
** Case tables for the units parsers: every accepted form with its exact
** value in each time_unit, and every rejected form with the exact message.
** Values are compared to 1e-12 relative: each conversion rounds once.
*/
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "tc_check.h"
#include "tcsim/units.h"

#define MIN TC_TU_MIN
#define SEC TC_TU_S
#define HR  TC_TU_H
#define DAY TC_TU_D

/* The generic messages, spelled out so a change in wording is noticed. */
static const char *const dur_msg[TC_TU__COUNT] = {
    "expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, min, h, d) or a number "
    "of seconds",
    "expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, min, h, d) or a number "
    "of minutes",
    "expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, min, h, d) or a number "
    "of hours",
    "expected a duration such as \"20 min\" or \"1 h 30 min\" (units s, min, h, d) or a number "
    "of days",
};
#define RATE_MSG   "expected a rate such as \"25/h\" or \"900/d\" (per s, min, h or d)"
#define RATE_UNIT  "a rate needs a unit: 100/h, 2/min, 50/d"
#define DUR_NEG    "a duration must be >= 0"
#define DUR_REPEAT "each unit may appear only once, as in \"1 h 30 min\""
#define RATE_NEG   "a rate must be >= 0"
#define RANGE      "the number is out of range"
#define LEN        "expected a length such as \"25 m\" or \"0.5 km\", or a number of metres"
#define LEN_POS    "a length must be > 0"
#define TU         "expected a time unit: s, min, h or d"
#define TOD        "expected a time of day \"HH:MM\" from 00:00 to 23:59"
#define TOD24      "expected a time of day \"HH:MM\" from 00:00 to 24:00"
#define WIN                                                                                        \
    "expected a window \"HH:MM-HH:MM\" such as \"08:00-12:00\" (it may cross midnight, as "        \
    "\"22:00-06:00\"; 24:00 only as its end)"
#define WIN_EMPTY "a window must not be empty (open equals close); \"00:00-24:00\" is the whole day"
/* Marks "the generic duration/rate message of this time unit". */
#define GENERIC "<generic>"

static void assert_close(double got, double want, const char *in)
{
    ck_assert_msg(fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want)),
                  "\"%s\": got %.17g, want %.17g", in, got, want);
}

static void assert_err(const char *got, const char *want, const char *in)
{
    ck_assert_msg(got != NULL, "\"%s\": accepted, want an error", in);
    ck_assert_msg(strcmp(got, want) == 0, "\"%s\": message \"%s\", want \"%s\"", in, got, want);
}

/* ------------------------------------------------------------------ time_unit */

START_TEST(test_time_unit_names_round_trip)
{
    static const char *const names[] = {"s", "min", "h", "d"};
    static const double secs[] = {1, 60, 3600, 86400};
    static const double days[] = {86400, 1440, 24, 1};
    enum tc_time_unit tu;

    for (int i = 0; i < TC_TU__COUNT; i++) {
        ck_assert_str_eq(tc_units_name((enum tc_time_unit)i), names[i]);
        tu = TC_TU__COUNT;
        ck_assert_ptr_null(tc_units_parse_time_unit(names[i], &tu));
        ck_assert_int_eq(tu, i);
        ck_assert_double_eq(tc_units_seconds((enum tc_time_unit)i), secs[i]);
        ck_assert_double_eq(tc_units_day((enum tc_time_unit)i), days[i]);
    }
    ck_assert_str_eq(tc_units_name(TC_TU__COUNT), "?");
    tu = TC_TU_H;
    assert_err(tc_units_parse_time_unit("sec", &tu), TU, "sec");
    assert_err(tc_units_parse_time_unit("m", &tu), TU, "m");
    assert_err(tc_units_parse_time_unit("MIN", &tu), TU, "MIN");
    assert_err(tc_units_parse_time_unit("", &tu), TU, "");
    assert_err(tc_units_parse_time_unit(NULL, &tu), TU, "(null)");
    ck_assert_int_eq(tu, TC_TU_H); /* untouched on error */
}
END_TEST

/* ------------------------------------------------------------------ durations */

struct good {
    enum tc_time_unit tu;
    const char *in;
    double want;
};

struct bad {
    enum tc_time_unit tu;
    const char *in;
    const char *msg; /* GENERIC: the time unit's generic message */
};

static const struct good dur_good[] = {
    {MIN, "20 min", 20},
    {MIN, "20min", 20},
    {MIN, "1 h 30 min", 90},
    {MIN, "30 min 1 h", 90},
    {MIN, "1h30min", 90},
    {MIN, "1 h  30 min", 90},
    {MIN, " 20 min ", 20},
    {MIN, "\t20\tmin", 20},
    {MIN, "14 d 7 h", 14 * 1440 + 7 * 60},
    {MIN, "90 s", 1.5},
    {MIN, "90 sec", 1.5},
    {MIN, "0.5 h", 30},
    {MIN, ".5 h", 30},
    {MIN, "2. h", 120},
    {MIN, "1e2 s", 100.0 / 60.0},
    {MIN, "1.5E+1 min", 15},
    {MIN, "1 d 1 h 1 min 1 s", 1501 + 1.0 / 60.0},
    {MIN, "0 d", 0},
    {MIN, "15", 15},
    {MIN, "2.5", 2.5},
    {MIN, "007", 7},
    {SEC, "20 min", 1200},
    {SEC, "1 h 30 min", 5400},
    {SEC, "14 d 7 h", 14 * 86400 + 7 * 3600},
    {SEC, "15", 15},
    {SEC, "1 d", 86400},
    {SEC, "0.25 s", 0.25},
    {HR, "1 h 30 min", 1.5},
    {HR, "90 min", 1.5},
    {HR, "14 d 7 h", 343},
    {HR, "36", 36},
    {HR, "1 s", 1.0 / 3600.0},
    {HR, "2 d", 48},
    {DAY, "12 h", 0.5},
    {DAY, "14 d 7 h", 14 + 7.0 / 24.0},
    {DAY, "3", 3},
    {DAY, "1 min", 1.0 / 1440.0},
    {DAY, "30 d", 30},
};

START_TEST(test_duration_good)
{
    const struct good *c = &dur_good[_i];
    double t = -1;

    const char *err = tc_units_duration(c->in, c->tu, &t);
    ck_assert_msg(err == NULL, "\"%s\" in %s: %s", c->in, tc_units_name(c->tu), err);
    assert_close(t, c->want, c->in);
}
END_TEST

static const struct bad dur_bad[] = {
    {MIN, "", GENERIC},
    {MIN, "   ", GENERIC},
    {MIN, "min", GENERIC},
    {MIN, "20 mins", GENERIC},
    {MIN, "20 m", GENERIC},
    {MIN, "20 MIN", GENERIC},
    {MIN, "20 minutes", GENERIC},
    {MIN, "20 min x", GENERIC},
    {MIN, "20 min 5", GENERIC},
    {MIN, "5 20 min", GENERIC},
    {MIN, "1 2", GENERIC},
    {MIN, "1.2.3", GENERIC},
    {MIN, "1 h,", GENERIC},
    {MIN, "1 h, 30 min", GENERIC},
    {MIN, "+5", GENERIC},
    {MIN, "0x10", GENERIC},
    {MIN, "nan", GENERIC},
    {MIN, "inf", GENERIC},
    {MIN, "infinity min", GENERIC},
    {MIN, "1e", GENERIC},
    {MIN, ".", GENERIC},
    {MIN, "- 5", GENERIC},
    {MIN, "-5 min", DUR_NEG},
    {MIN, "-5", DUR_NEG},
    {MIN, "-.5 h", DUR_NEG},
    {MIN, "1 h -30 min", DUR_NEG},
    {MIN, "1 h 2 h", DUR_REPEAT},
    {MIN, "1 s 2 sec", DUR_REPEAT},
    {MIN, "5 min 1 h 5 min", DUR_REPEAT},
    {MIN, "1e400 s", RANGE},
    {MIN, "1e-400 s", RANGE},
    {MIN, "1e308 d", RANGE},
    {MIN, "1000000000000000000000000000000000000000000000000000000000000000000", RANGE},
    {SEC, "", GENERIC},
    {SEC, "20 hours", GENERIC},
    {HR, "abc", GENERIC},
    {HR, "2 2", GENERIC},
    {DAY, "1 week", GENERIC},
    {DAY, "-1 d", DUR_NEG},
};

START_TEST(test_duration_bad)
{
    const struct bad *c = &dur_bad[_i];
    const char *want = strcmp(c->msg, GENERIC) == 0 ? dur_msg[c->tu] : c->msg;
    double t = 12345;

    assert_err(tc_units_duration(c->in, c->tu, &t), want, c->in);
    ck_assert_double_eq(t, 12345); /* untouched on error */
}
END_TEST

START_TEST(test_duration_null)
{
    double t;

    for (int tu = 0; tu < TC_TU__COUNT; tu++)
        assert_err(tc_units_duration(NULL, (enum tc_time_unit)tu, &t), dur_msg[tu], "(null)");
}
END_TEST

/* ------------------------------------------------------------------ rates */

static const struct good rate_good[] = {
    {MIN, "25/h", 25.0 / 60.0},
    {MIN, "900/d", 0.625},
    {MIN, "0.5/min", 0.5},
    {MIN, "2/s", 120},
    {MIN, "2/sec", 120},
    {MIN, "25 / h", 25.0 / 60.0},
    {MIN, " 25/h ", 25.0 / 60.0},
    {MIN, "0/h", 0},
    {HR, "25/h", 25},
    {HR, "900/d", 37.5},
    {HR, "0.5/min", 30},
    {SEC, "25/h", 25.0 / 3600.0},
    {SEC, "3/s", 3},
    {SEC, "60/min", 1},
    {DAY, "900/d", 900},
    {DAY, "25/h", 600},
    {DAY, "1/s", 86400},
};

START_TEST(test_rate_good_forms_parse_exactly)
{
    const struct good *c = &rate_good[_i];
    double r = -1;

    const char *err = tc_units_rate(c->in, c->tu, &r);
    ck_assert_msg(err == NULL, "\"%s\" in %s: %s", c->in, tc_units_name(c->tu), err);
    assert_close(r, c->want, c->in);
}
END_TEST

static const struct bad rate_bad[] = {
    {MIN, "", GENERIC},
    {MIN, "25/hr", GENERIC},
    {MIN, "25/", GENERIC},
    {MIN, "/h", GENERIC},
    {MIN, "25/h x", GENERIC},
    {MIN, "25/h/h", GENERIC},
    {MIN, "25 h", GENERIC},
    {MIN, "25 per h", GENERIC},
    {MIN, "25/2h", GENERIC},
    {MIN, "25/m", GENERIC},
    {MIN, "nan/h", GENERIC},
    {MIN, "inf", GENERIC},
    {MIN, "-1/h", RATE_NEG},
    {MIN, "-3", RATE_NEG},
    {MIN, "1e999/h", RANGE},
    {MIN, "1e308/s", RANGE},
    {SEC, "x", GENERIC},
    {HR, "25/hour", GENERIC},
    {DAY, "1 2/d", GENERIC},
    /* A bare number was per time_unit: --set arrivals.0.rate=100 meant 100/min. */
    {MIN, "3", RATE_UNIT},
    {MIN, "0", RATE_UNIT},
    {MIN, " 100 ", RATE_UNIT},
    {HR, "2", RATE_UNIT},
    {DAY, "7", RATE_UNIT},
    {SEC, "1e3", RATE_UNIT},
};

START_TEST(test_rate_bad_forms_rejected_value_untouched)
{
    const struct bad *c = &rate_bad[_i];
    const char *want = strcmp(c->msg, GENERIC) == 0 ? RATE_MSG : c->msg;
    double r = 12345;

    assert_err(tc_units_rate(c->in, c->tu, &r), want, c->in);
    ck_assert_double_eq(r, 12345);
}
END_TEST

START_TEST(test_rate_null_input_gives_unit_message)
{
    double r;

    for (int tu = 0; tu < TC_TU__COUNT; tu++)
        assert_err(tc_units_rate(NULL, (enum tc_time_unit)tu, &r), RATE_MSG, "(null)");
}
END_TEST

/* ------------------------------------------------------------------ lengths */

START_TEST(test_length_parses_m_and_km)
{
    static const struct {
        const char *in;
        double want;
    } good[] = {
        {"25 m", 25},   {"25m", 25},  {"0.5 km", 500}, {"0.5km", 500},
        {"12.5", 12.5}, {" 3 m ", 3}, {"1e-3 km", 1},
    };
    static const struct {
        const char *in;
        const char *msg;
    } bad[] = {
        {"0 m", LEN_POS}, {"0", LEN_POS},      {"-3 m", LEN_POS},  {"25 mm", LEN},  {"", LEN},
        {"25 m 3", LEN},  {"km", LEN},         {"25 M", LEN},      {"25 m m", LEN}, {"nan m", LEN},
        {"1e999", RANGE}, {"1e306 km", RANGE}, {"25 metres", LEN},
    };
    double v;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        v = -1;
        const char *err = tc_units_length(good[i].in, &v);
        ck_assert_msg(err == NULL, "\"%s\": %s", good[i].in, err);
        assert_close(v, good[i].want, good[i].in);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_err(tc_units_length(bad[i].in, &v), bad[i].msg, bad[i].in);
    assert_err(tc_units_length(NULL, &v), LEN, "(null)");
}
END_TEST

/* ------------------------------------------------------------------ times of day */

START_TEST(test_time_of_day)
{
    static const struct {
        const char *in;
        int allow_24;
        double want; /* < 0: error */
    } cases[] = {
        {"07:30", 0, 450},  {"7:30", 0, 450},    {"00:00", 0, 0},     {"0:00", 0, 0},
        {"23:59", 0, 1439}, {"12:00", 1, 720},   {" 08:15 ", 0, 495}, {"24:00", 1, 1440},
        {"24:00", 0, -1},   {"24:01", 1, -1},    {"25:00", 0, -1},    {"25:00", 1, -1},
        {"12:60", 0, -1},   {"12:5", 0, -1},     {"12:345", 0, -1},   {"1230", 0, -1},
        {"", 0, -1},        {"", 1, -1},         {"-1:00", 0, -1},    {"12:00 x", 0, -1},
        {"123:00", 0, -1},  {"12:00:00", 0, -1}, {"ab:cd", 0, -1},    {"12h30", 0, -1},
        {"99:99", 1, -1},   {":30", 0, -1},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double v = -7;
        const char *err = tc_units_time_of_day(cases[i].in, cases[i].allow_24, &v);

        if (cases[i].want >= 0) {
            ck_assert_msg(err == NULL, "\"%s\": %s", cases[i].in, err);
            ck_assert_double_eq(v, cases[i].want);
        } else {
            assert_err(err, cases[i].allow_24 ? TOD24 : TOD, cases[i].in);
            ck_assert_double_eq(v, -7);
        }
    }
}
END_TEST

/* ------------------------------------------------------------------ windows */

START_TEST(test_window_parses_hh_mm_ranges)
{
    static const struct {
        const char *in;
        double open, close;
    } good[] = {
        {"08:00-12:00", 480, 720},   {"22:00-06:00", 1320, 360},  {"00:00-24:00", 0, 1440},
        {"08:00 - 12:00", 480, 720}, {"18:00-24:00", 1080, 1440}, {"12:00-00:00", 720, 0},
        {"7:00-11:30", 420, 690},    {"23:59-00:00", 1439, 0},    {"00:00-00:01", 0, 1},
    };
    static const struct {
        const char *in;
        const char *msg;
    } bad[] = {
        {"08:00-08:00", WIN_EMPTY},
        {"00:00-00:00", WIN_EMPTY},
        {"24:00-06:00", WIN},
        {"24:00-24:00", WIN},
        {"08:00", WIN},
        {"08:00-", WIN},
        {"-12:00", WIN},
        {"08:00-25:00", WIN},
        {"08:00-12:00-13:00", WIN},
        {"8-12", WIN},
        {"", WIN},
        {"08:00 12:00", WIN},
        {"08:00-12:60", WIN},
        {"08:00–12:00", WIN}, /* an en dash */
        {"08:00-24:01", WIN},
    };
    double o, c;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        o = c = -1;
        const char *err = tc_units_window(good[i].in, &o, &c);
        ck_assert_msg(err == NULL, "\"%s\": %s", good[i].in, err);
        ck_assert_double_eq(o, good[i].open);
        ck_assert_double_eq(c, good[i].close);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        o = c = -1;
        assert_err(tc_units_window(bad[i].in, &o, &c), bad[i].msg, bad[i].in);
        ck_assert_double_eq(o, -1);
        ck_assert_double_eq(c, -1);
    }
    assert_err(tc_units_window(NULL, &o, &c), WIN, "(null)");
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *units_suite(void)
{
    Suite *s = suite_create("units");
    TCase *tc;

    tc = tcase_create("time_unit");
    tcase_add_test(tc, test_time_unit_names_round_trip);
    suite_add_tcase(s, tc);

    tc = tcase_create("duration");
    tcase_add_loop_test(tc, test_duration_good, 0, N_OF(dur_good));
    tcase_add_loop_test(tc, test_duration_bad, 0, N_OF(dur_bad));
    tcase_add_test(tc, test_duration_null);
    suite_add_tcase(s, tc);

    tc = tcase_create("rate");
    tcase_add_loop_test(tc, test_rate_good_forms_parse_exactly, 0, N_OF(rate_good));
    tcase_add_loop_test(tc, test_rate_bad_forms_rejected_value_untouched, 0, N_OF(rate_bad));
    tcase_add_test(tc, test_rate_null_input_gives_unit_message);
    suite_add_tcase(s, tc);

    tc = tcase_create("length");
    tcase_add_test(tc, test_length_parses_m_and_km);
    suite_add_tcase(s, tc);

    tc = tcase_create("time_of_day");
    tcase_add_test(tc, test_time_of_day);
    tcase_add_test(tc, test_window_parses_hh_mm_ranges);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(units_suite)
