/*
** Opening hours, daily limits, closures and server changes on overloaded
** stations with constant service: every start, end and count is fixed by
** the rules alone, so each figure is computed by hand and must match to
** 1e-9 in every replication (bd_exact_all). The same-time rule of the
** engine matters at the boundaries: rule changes (events, midnight, window
** edges) come before service ends, which come before arrivals, so a server
** freed at 12:00 when the window closes at 12:00 starts nothing.
** Counts are over [warmup, horizon): a departure at the horizon is not in
** the run. time_unit is min throughout.
*/
#include "border.h"

/*
** daily_limit 50, 2 servers, 10 min service, a truck every 2 min (720 a day,
** far above). Each day the 50 starts go 2 at a time at 00:00, 00:10, ...,
** 04:00 and end by 04:10. At 3 d an event lowers the limit to 20 (the event
** comes before midnight's reset): 20 starts, ending by 01:40.
** Window [1 d, 5 d): departures 50 + 50 + 20 + 20 = 140, 35 a day; busy time
** 140 x 10 = 1400 of 2 servers x 5760 min open: utilization 1400 / 11520.
** Arrivals at 1440, 1442, ..., 7198: 2880.
*/
START_TEST(daily_limit)
{
    static const char yaml[] = "name: daily limit\n"
                               "horizon: 5 d\n"
                               "warmup: 1 d\n"
                               "replications: 3\n"
                               "seed: 601\n"
                               "arrivals:\n"
                               "  - {to: gate, interarrival: 2 min}\n"
                               "stations:\n"
                               "  gate:\n"
                               "    servers: 2\n"
                               "    service: 10 min\n"
                               "    daily_limit: 50\n"
                               "    next: exit\n"
                               "events:\n"
                               "  - {station: gate, at: 3 d, daily_limit: 20}\n";
    struct th t;
    th_run(&t, "daily_limit", yaml, 5);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_DEPARTURES), 140);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_THROUGHPUT_PER_DAY), 35);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_UTILIZATION), 1400.0 / 11520.0);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_ARRIVALS), 2880);
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 2880);
    th_done(&t);
}
END_TEST

/*
** open "08:00-12:00", 1 server, 15 min service, overloaded: starts at
** 08:00, 08:15, ..., 11:45 (16; none at 12:00, the window is half-open),
** ends 08:15 ... 12:00. At 3 d an event opens it round the clock: starts at
** 4320, 4335, ..., ends 4335 ... 5745 before the horizon 5760: 95.
** Window [1 d, 4 d): 16 + 16 + 95 = 127 departures, 127/3 a day.
** Hourly samples: on days 1-2 a server is busy at 08:00 ... 11:00 and idle
** at 12:00 (the 11:45 service has ended, nothing started); on day 3 always.
*/
START_TEST(open_window)
{
    static const char yaml[] = "name: open window\n"
                               "horizon: 4 d\n"
                               "warmup: 1 d\n"
                               "replications: 3\n"
                               "seed: 602\n"
                               "sample_every: 1 h\n"
                               "arrivals:\n"
                               "  - {to: lane, interarrival: 5 min}\n"
                               "stations:\n"
                               "  lane:\n"
                               "    servers: 1\n"
                               "    service: 15 min\n"
                               "    open: [\"08:00-12:00\"]\n"
                               "    next: exit\n"
                               "events:\n"
                               "  - {station: lane, at: 3 d, open: [\"00:00-24:00\"]}\n";
    struct th t;
    th_run(&t, "open_window", yaml, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 127);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 127.0 / 3.0);
    ck_assert_uint_eq(t.run.n_samples, 97);
    for (uint32_t r = 0; r < t.run.n_reps; r++)
        for (uint32_t k = 24; k < 96; k++) {
            uint32_t h = k % 24;
            double busy = k >= 72 || (h >= 8 && h < 12) ? 1 : 0;
            ck_assert_msg(bd_series(&t, r, k, "lane", TC_TS_BUSY) == busy,
                          "rep %u hour %u: busy %g, expected %g", r, k,
                          bd_series(&t, r, k, "lane", TC_TS_BUSY), busy);
        }
    t.n_done++;
    th_done(&t);
}
END_TEST

/*
** The half-open window with a trace (data/window.csv), open "08:00-12:00",
** 1 server, 25 min service, horizon 2 d:
**   truck  arrive  start  end     wait  sojourn
**   A      470     480    505     10    35      waits for the window
**   B      719.9   719.9  744.9   0     25      starts inside, runs past 12:00
**   C      720     1920   1945    1200  1225    12:00 is closed: next day 08:00
** wait 1210/3, sojourn 1285/3, in_station 1285/2880. Servers open: 2 x 240
** min of window, plus the 24.9 min B runs past closing: utilization 75/504.9.
*/
START_TEST(window_trace)
{
    static const char yaml[] = "name: window trace\n"
                               "horizon: 2 d\n"
                               "warmup: 0\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - {to: lane, trace: data/window.csv}\n"
                               "stations:\n"
                               "  lane:\n"
                               "    servers: 1\n"
                               "    service: 25 min\n"
                               "    open: [\"08:00-12:00\"]\n"
                               "    next: exit\n";
    struct th t;
    th_run(&t, "window_trace", yaml, 5);
    th_exact(&t, th_st(&t, "lane", TC_SM_WAIT), 1210.0 / 3.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_SOJOURN), 1285.0 / 3.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_IN_STATION), 1285.0 / 2880.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_UTILIZATION), 75.0 / 504.9);
    th_exact(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 3);
    th_done(&t);
}
END_TEST

/*
** open "22:00-06:00" (crossing midnight), 1 server, 15 min service,
** overloaded: 32 starts a night, at 22:00 ... 05:45 (none at 06:00). Each
** calendar day holds the ends at 00:00, 00:15, ..., 06:00 (25, the one at
** 00:00 from the 23:45 start) and 22:15 ... 23:45 (7; the end at 24:00 is
** the next day's): 32 a day, 128 over [1 d, 5 d).
** Hourly samples: busy at 22:00 ... 05:00, idle at 06:00 ... 21:00.
*/
START_TEST(midnight_window)
{
    static const char yaml[] = "name: night window\n"
                               "horizon: 5 d\n"
                               "warmup: 1 d\n"
                               "replications: 3\n"
                               "seed: 603\n"
                               "sample_every: 1 h\n"
                               "arrivals:\n"
                               "  - {to: lane, interarrival: 2 min}\n"
                               "stations:\n"
                               "  lane:\n"
                               "    servers: 1\n"
                               "    service: 15 min\n"
                               "    open: [\"22:00-06:00\"]\n"
                               "    next: exit\n";
    struct th t;
    th_run(&t, "night_window", yaml, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 128);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 32);
    for (uint32_t r = 0; r < t.run.n_reps; r++)
        for (uint32_t k = 24; k < 120; k++) {
            uint32_t h = k % 24;
            double busy = h >= 22 || h < 6 ? 1 : 0;
            ck_assert_msg(bd_series(&t, r, k, "lane", TC_TS_BUSY) == busy,
                          "rep %u hour %u: busy %g, expected %g", r, k,
                          bd_series(&t, r, k, "lane", TC_TS_BUSY), busy);
        }
    t.n_done++;
    th_done(&t);
}
END_TEST

/*
** A closure from 2 d 00:05 to 3 d 00:03, 1 server, 10 min service,
** overloaded. Ends at 1440, 1450, ..., 2880 (145); the service started at
** 2880 runs to its end at 2890 (146 in all); nothing starts until 4323;
** then ends 4333, ..., 7193 (287). Departures 433 over 4 days: 108.25 a day.
** Hourly samples: busy up to 2880 (48 h), idle at 49 h ... 72 h, busy
** from 73 h on.
*/
START_TEST(closure)
{
    static const char yaml[] = "name: closure\n"
                               "horizon: 5 d\n"
                               "warmup: 1 d\n"
                               "replications: 3\n"
                               "seed: 604\n"
                               "sample_every: 1 h\n"
                               "arrivals:\n"
                               "  - {to: lane, interarrival: 2 min}\n"
                               "stations:\n"
                               "  lane:\n"
                               "    servers: 1\n"
                               "    service: 10 min\n"
                               "    next: exit\n"
                               "events:\n"
                               "  - {station: lane, close: 2 d 5 min, reopen: 3 d 3 min}\n";
    struct th t;
    th_run(&t, "closure", yaml, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 433);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 108.25);
    for (uint32_t r = 0; r < t.run.n_reps; r++)
        for (uint32_t k = 1; k < 120; k++) {
            double busy = k <= 48 || k >= 73 ? 1 : 0;
            ck_assert_msg(bd_series(&t, r, k, "lane", TC_TS_BUSY) == busy,
                          "rep %u hour %u: busy %g, expected %g", r, k,
                          bd_series(&t, r, k, "lane", TC_TS_BUSY), busy);
        }
    t.n_done++;
    th_done(&t);
}
END_TEST

/*
** Closures nest: an inner close/reopen inside an outer one must not end the
** outer closure early. The same lane as above with a second closure from
** 2 d 12 h to 2 d 18 h gives exactly the departures and busy hours above.
*/
START_TEST(nested_closures)
{
    static const char yaml[] = "name: nested closures\n"
                               "horizon: 5 d\n"
                               "warmup: 1 d\n"
                               "replications: 3\n"
                               "seed: 605\n"
                               "sample_every: 1 h\n"
                               "arrivals:\n"
                               "  - {to: lane, interarrival: 2 min}\n"
                               "stations:\n"
                               "  lane:\n"
                               "    servers: 1\n"
                               "    service: 10 min\n"
                               "events:\n"
                               "  - {station: lane, close: 2 d 5 min, reopen: 3 d 3 min}\n"
                               "  - {station: lane, close: 2 d 12 h, reopen: 2 d 18 h}\n";
    struct th t;
    th_run(&t, "nested_closures", yaml, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 433);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 108.25);
    for (uint32_t r = 0; r < t.run.n_reps; r++)
        for (uint32_t k = 1; k < 120; k++) {
            double busy = k <= 48 || k >= 73 ? 1 : 0;
            ck_assert_msg(bd_series(&t, r, k, "lane", TC_TS_BUSY) == busy,
                          "rep %u hour %u: busy %g, expected %g", r, k,
                          bd_series(&t, r, k, "lane", TC_TS_BUSY), busy);
        }
    t.n_done++;
    th_done(&t);
}
END_TEST

/*
** Server changes, 10 min service, a truck every 2 min: 1 server, 3 from
** 2 d, back to 1 at 4 d 00:05. Ends 1440 ... 2880 (145, one server); at
** 2880 the event adds two starts and the end at 2880 a third, so three
** end together at 2890, ..., 5770 (289 x 3 = 867; the cut at 5765 stops
** no service); at 5770 only the last of the three ends starts one again:
** 5780 ... 7190 (142). 1154 departures over 4 days: 288.5 a day.
** Busy samples: 1 up to 47 h, 3 from 48 h to 96 h, 1 from 97 h.
*/
START_TEST(servers_event)
{
    static const char yaml[] = "name: servers event\n"
                               "horizon: 5 d\n"
                               "warmup: 1 d\n"
                               "replications: 3\n"
                               "seed: 605\n"
                               "sample_every: 1 h\n"
                               "arrivals:\n"
                               "  - {to: lane, interarrival: 2 min}\n"
                               "stations:\n"
                               "  lane:\n"
                               "    servers: 1\n"
                               "    service: 10 min\n"
                               "    next: exit\n"
                               "events:\n"
                               "  - {station: lane, at: 2 d, servers: 3}\n"
                               "  - {station: lane, at: 4 d 5 min, servers: 1}\n";
    struct th t;
    th_run(&t, "servers_event", yaml, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 1154);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 288.5);
    for (uint32_t r = 0; r < t.run.n_reps; r++)
        for (uint32_t k = 1; k < 120; k++) {
            double busy = k >= 48 && k <= 96 ? 3 : 1;
            ck_assert_msg(bd_series(&t, r, k, "lane", TC_TS_BUSY) == busy,
                          "rep %u hour %u: busy %g, expected %g", r, k,
                          bd_series(&t, r, k, "lane", TC_TS_BUSY), busy);
        }
    t.n_done++;
    th_done(&t);
}
END_TEST

/*
** Windows in other time units. 10 min services in "08:00-12:00" and
** "13:00-19:00" make 24 + 36 = 60 starts a day, the last ones ending
** exactly at 12:00 and 19:00. In h or d, 10 min is not a binary fraction:
** the accumulated ends fall a rounding error before the closing time, where
** no service may start either (the window is half-open). 10 days after a
** 1-day warmup: 600 departures, in every unit.
*/
START_TEST(windows_in_other_units)
{
    static const char *const units[] = {"min", "s", "h", "d"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "name: windows in %s\n"
                 "time_unit: %s\n"
                 "horizon: 11 d\n"
                 "warmup: 1 d\n"
                 "replications: 2\n"
                 "seed: 606\n"
                 "arrivals:\n"
                 "  - {to: lane, interarrival: 1 min}\n"
                 "stations:\n"
                 "  lane:\n"
                 "    servers: 1\n"
                 "    capacity: 10\n"
                 "    when_full: reject\n"
                 "    service: 10 min\n"
                 "    open: [\"08:00-12:00\", \"13:00-19:00\"]\n"
                 "    next: exit\n",
                 units[u], units[u]);
        struct th t;
        th_run(&t, units[u], yaml, 2);
        bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 600);
        bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 60);
        th_done(&t);
    }
}
END_TEST

static Suite *hours_suite(void)
{
    Suite *s = suite_create("border_hours");
    TCase *tc = tcase_create("hours");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, daily_limit);
    tcase_add_test(tc, open_window);
    tcase_add_test(tc, window_trace);
    tcase_add_test(tc, midnight_window);
    tcase_add_test(tc, closure);
    tcase_add_test(tc, nested_closures);
    tcase_add_test(tc, servers_event);
    tcase_add_test(tc, windows_in_other_units);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(hours_suite)
