/*
** isodate and start_date: exact seconds since the epoch for dates around
** leap days, centuries, the ends of the year range and UTC offsets (the
** values are those of Python's datetime); every bad form with its message;
** dates in a scenario converted to exact times in time_unit, and a date
** before the start a located error.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "base/isodate.h"
#include "tc_check.h"
#include "tcsim/scenario.h"

static const struct {
    const char *text;
    int64_t utc_s;
    int32_t offset_min;
    bool has_offset;
} good[] = {
    {"1970-01-01", 0, 0, false},
    {"1970-01-01T00:00Z", 0, 0, true},
    {"2000-02-29", 951782400, 0, false}, /* 2000: divisible by 400, a leap year */
    {"2020-02-29T10:00-03:30", 1582983000, -210, true},
    {"2021-12-01T00:00+07:00", 1638291600, 420, true},
    {"2024-12-31T23:59:59", 1735689599, 0, false},
    {"1900-03-01", -2203891200, 0, false}, /* the day after 28 Feb: 1900 had no 29th */
    {"0001-01-01", -62135596800, 0, false},
    {"9999-12-31T23:59:59+00:00", 253402300799, 0, true},
    {"2021-12-01T00:00+18:00", 1638316800 - 18 * 3600, 1080, true},
};

START_TEST(test_parse_exact)
{
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct tc_isodate d;
        const char *err = tc_isodate_parse(good[i].text, &d);
        ck_assert_msg(err == NULL, "%s: %s", good[i].text, err);
        ck_assert_int_eq(d.utc_s, good[i].utc_s);
        ck_assert_int_eq(d.offset_min, good[i].offset_min);
        ck_assert_int_eq(d.has_offset, good[i].has_offset);
    }
}
END_TEST

START_TEST(test_bad_forms)
{
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"2021-02-29", "no such day in that month"}, /* not a leap year */
        {"1900-02-29", "no such day in that month"}, /* a century, not a leap year */
        {"2021-04-31", "no such day in that month"},
        {"2021-12-00", "no such day in that month"},
        {"2021-13-01", "the month must be 01 to 12"},
        {"2021-00-01", "the month must be 01 to 12"},
        {"2021-12-01T24:00", "the time must be 00:00 to 23:59:59"},
        {"2021-12-01T07:60", "the time must be 00:00 to 23:59:59"},
        {"2021-12-01T07:00:60", "the time must be 00:00 to 23:59:59"},
        {"2021-12-01T07:00+18:01", "the UTC offset must be at most 18:00, minutes under 60"},
        {"2021-12-01T07:00+05:60", "the UTC offset must be at most 18:00, minutes under 60"},
        {"2021-1-01", TC_ISODATE_FORMS},
        {"2021-12-01 07:00", TC_ISODATE_FORMS},
        {"2021-12-01T7:00", TC_ISODATE_FORMS},
        {"2021-12-01T07", TC_ISODATE_FORMS},
        {"2021-12-01T07:00+7", TC_ISODATE_FORMS},
        {"2021-12-01T07:00+0700", TC_ISODATE_FORMS},
        {"2021-12-01T07:00z", TC_ISODATE_FORMS},
        {"2021-12-01T07:00:5", TC_ISODATE_FORMS},
        {"0000-01-01", TC_ISODATE_FORMS},
        {"21-12-01", TC_ISODATE_FORMS},
        {"", TC_ISODATE_FORMS},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct tc_isodate d;
        const char *err = tc_isodate_parse(bad[i].text, &d);
        ck_assert_msg(err != NULL && strcmp(err, bad[i].msg) == 0, "%s: %s", bad[i].text,
                      err ? err : "accepted");
    }
    ck_assert(tc_isodate_looks_like("2021-12"));
    ck_assert(!tc_isodate_looks_like("14 d"));
    ck_assert(!tc_isodate_looks_like("2021"));
}
END_TEST

START_TEST(test_format)
{
    char b[40];
    tc_isodate_format(1638291600, 420, b, sizeof(b));
    ck_assert_str_eq(b, "2021-12-01T00:00:00+07:00");
    tc_isodate_format(1582983000, -210, b, sizeof(b));
    ck_assert_str_eq(b, "2020-02-29T10:00:00-03:30");
    tc_isodate_format(-62135596800, 0, b, sizeof(b));
    ck_assert_str_eq(b, "0001-01-01T00:00:00+00:00");
    tc_isodate_format(951782400 + 86399, 60, b, sizeof(b)); /* local time crosses into March */
    ck_assert_str_eq(b, "2000-03-01T00:59:59+01:00");
    /* every day of 1999-2001 formats and parses back to itself */
    for (int64_t t = 915148800; t < 1009843200; t += 86400 + 3601) {
        struct tc_isodate d;
        tc_isodate_format(t, -300, b, sizeof(b));
        ck_assert_ptr_null(tc_isodate_parse(b, &d));
        ck_assert_int_eq(d.utc_s, t);
    }
}
END_TEST

static struct tc_scenario *load(const char *text, struct tc_diags *d)
{
    tc_diags_init(d);
    return tc_scenario_load_string(text, strlen(text), "t.yaml", NULL, NULL, 0, d);
}

START_TEST(test_scenario_dates)
{
    struct tc_diags d;
    struct tc_scenario *sc =
        load("name: x\n"
             "time_unit: h\n"
             "start_date: 2021-12-01T00:00+07:00\n"
             "horizon: 60 d\n"
             "arrivals:\n"
             "  - {to: y, rate: 1/h, start: 2021-12-02, end: 2021-12-03T00:00Z}\n"
             "stations:\n"
             "  y: {servers: unlimited, service: 1 h}\n"
             "events:\n"
             "  - {station: y, close: 2021-12-15T07:00+07:00, reopen: 400}\n"
             "  - {station: y, at: 2022-01-01T00:30, servers: 3}\n",
             &d);
    ck_assert_ptr_nonnull(sc);
    ck_assert(sc->has_start_date);
    ck_assert_int_eq(sc->start_utc_s, 1638291600);
    ck_assert_int_eq(sc->start_offset_min, 420);
    /* without an offset a date takes the start's: 2 Dec 00:00 +07:00 is 24 h in */
    ck_assert_double_eq(sc->sources[0].t_start, 24.0);
    ck_assert_double_eq(sc->sources[0].t_end, 55.0); /* 3 Dec 00:00Z = 07:00 +07:00, 2 d 7 h */
    ck_assert_uint_eq(sc->n_sched, 3);
    ck_assert_double_eq(sc->sched[0].t, 14 * 24 + 7); /* 15 Dec 07:00 */
    ck_assert_double_eq(sc->sched[1].t, 400);
    ck_assert_double_eq(sc->sched[2].t, 31 * 24 + 0.5); /* 1 Jan 00:30 */
    tc_scenario_free(sc);
    tc_diags_fini(&d);

    sc = load("name: x\n"
              "start_date: 2021-12-01T00:00+07:00\n"
              "horizon: 60 d\n"
              "arrivals: [{to: y, rate: 1/h}]\n"
              "stations: {y: {service: 1 min}}\n"
              "events:\n"
              "  - {station: y, close: 2021-11-30T23:59+07:00, reopen: 2021-12-01T00:01+07:00}\n",
              &d);
    ck_assert_ptr_null(sc);
    tc_diags_sort(&d);
    ck_assert_uint_eq(d.n_err, 1);
    char b[300];
    tc_diag_format(&d.v[0], b, sizeof(b));
    ck_assert_str_eq(b, "t.yaml:7:25: error: events[0].close: before start_date "
                        "(2021-12-01T00:00:00+07:00), got \"2021-11-30T23:59+07:00\"");
    tc_diags_fini(&d);
}
END_TEST

static Suite *isodate_suite(void)
{
    Suite *s = suite_create("isodate");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_parse_exact);
    tcase_add_test(tc, test_bad_forms);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_scenario_dates);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(isodate_suite)
