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
** The scenario of every case here: one station fed by one stream. A field
** left 0 takes the overloaded lane most cases share: station "lane" with 1
** server and unlimited room, a truck every 2 min, warmup 1 d, 3
** replications; time_unit, seed, sample_every, rule and events are left
** out. capacity N comes with when_full: reject; `rule` is the station's
** line after service (open, daily_limit); events name the station.
*/
struct lane {
    const char *name, *time_unit, *horizon, *warmup;
    unsigned reps, seed;
    const char *sample_every;
    const char *station, *arrivals; /* the stream after "to: STATION, " */
    unsigned servers, capacity;
    const char *service, *rule;
    bool no_next; /* leave "next: exit" to its default */
    const char *events[2];
};

/* Runs the scenario of l as test `test` with k checks. */
static void run_lane(struct th *t, const char *test, const struct lane *l, uint32_t k)
{
    const char *station = l->station ? l->station : "lane";
    char yaml[1024];
    size_t n = 0;
    bd_add(yaml, sizeof yaml, &n, "name: %s\n", l->name);
    if (l->time_unit)
        bd_add(yaml, sizeof yaml, &n, "time_unit: %s\n", l->time_unit);
    bd_add(yaml, sizeof yaml, &n, "horizon: %s\nwarmup: %s\nreplications: %u\n", l->horizon,
           l->warmup ? l->warmup : "1 d", l->reps ? l->reps : 3);
    if (l->seed)
        bd_add(yaml, sizeof yaml, &n, "seed: %u\n", l->seed);
    if (l->sample_every)
        bd_add(yaml, sizeof yaml, &n, "sample_every: %s\n", l->sample_every);
    bd_add(yaml, sizeof yaml, &n,
           "arrivals:\n"
           "  - {to: %s, %s}\n"
           "stations:\n"
           "  %s:\n"
           "    servers: %u\n",
           station, l->arrivals ? l->arrivals : "interarrival: 2 min", station,
           l->servers ? l->servers : 1);
    if (l->capacity)
        bd_add(yaml, sizeof yaml, &n, "    capacity: %u\n    when_full: reject\n", l->capacity);
    bd_add(yaml, sizeof yaml, &n, "    service: %s\n", l->service);
    if (l->rule)
        bd_add(yaml, sizeof yaml, &n, "    %s\n", l->rule);
    if (!l->no_next)
        bd_add(yaml, sizeof yaml, &n, "    next: exit\n");
    for (size_t i = 0; i < 2 && l->events[i]; i++)
        bd_add(yaml, sizeof yaml, &n, "%s  - {station: %s, %s}\n", i ? "" : "events:\n", station,
               l->events[i]);
    th_run(t, test, yaml, k);
}

/* Hourly samples k0 <= k < k1 of every replication: the station has busy(k) servers busy. */
static void assert_busy(struct th *t, const char *station, uint32_t k0, uint32_t k1,
                        double (*busy)(uint32_t k))
{
    for (uint32_t r = 0; r < t->run.n_reps; r++)
        for (uint32_t k = k0; k < k1; k++)
            ck_assert_msg(bd_series(t, r, k, station, TC_TS_BUSY) == busy(k),
                          "rep %u hour %u: busy %g, expected %g", r, k,
                          bd_series(t, r, k, station, TC_TS_BUSY), busy(k));
    t->n_done++;
}

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
    static const struct lane l = {.name = "daily limit",
                                  .horizon = "5 d",
                                  .seed = 601,
                                  .station = "gate",
                                  .servers = 2,
                                  .service = "10 min",
                                  .rule = "daily_limit: 50",
                                  .events = {"at: 3 d, daily_limit: 20"}};
    struct th t;
    run_lane(&t, "daily_limit", &l, 5);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_DEPARTURES), 140);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_THROUGHPUT_PER_DAY), 35);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_UTILIZATION), 1400.0 / 11520.0);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_ARRIVALS), 2880);
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 2880);
    th_done(&t);
}
END_TEST

/*
** Daily limits per class beside the total: {total: 60, export_fruit: 20,
** import: 50}, 2 servers, 10 min service, each class a truck every 2 min
** (far above). Each day the FIFO queue alternates the classes: after 40
** starts (20 of each) export_fruit is at its limit and the imports behind
** it go on (the exports keep their places) until the total, 60: 20 export
** + 40 import. At 3 d an event lowers import alone to 10 (the event comes
** before midnight's reset): 20 + 10 a day. Window [1 d, 5 d): export
** 4 x 20 = 80 completed, import 40 + 40 + 10 + 10 = 100, departures 180,
** 45 a day. Each service ends by 05:00, long before midnight.
*/
START_TEST(daily_limit_by_class)
{
    static const char yaml[] = "name: daily limit by class\n"
                               "horizon: 5 d\n"
                               "warmup: 1 d\n"
                               "replications: 3\n"
                               "seed: 607\n"
                               "classes:\n"
                               "  export_fruit: {}\n"
                               "  import: {}\n"
                               "arrivals:\n"
                               "  - {class: export_fruit, to: gate, interarrival: 2 min}\n"
                               "  - {class: import, to: gate, interarrival: 2 min}\n"
                               "stations:\n"
                               "  gate:\n"
                               "    servers: 2\n"
                               "    service: 10 min\n"
                               "    daily_limit: {total: 60, export_fruit: 20, import: 50}\n"
                               "events:\n"
                               "  - {station: gate, at: 3 d, daily_limit: {import: 10}}\n";
    struct th t;
    th_run(&t, "daily_limit_by_class", yaml, 4);
    bd_exact_all(&t, th_cl(&t, "export_fruit", TC_CM_COMPLETED), 80);
    bd_exact_all(&t, th_cl(&t, "import", TC_CM_COMPLETED), 100);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_DEPARTURES), 180);
    bd_exact_all(&t, th_st(&t, "gate", TC_SM_THROUGHPUT_PER_DAY), 45);
    th_done(&t);
}
END_TEST

static double busy_open_window(uint32_t k)
{
    uint32_t h = k % 24;
    return k >= 72 || (h >= 8 && h < 12) ? 1 : 0;
}

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
    static const struct lane l = {.name = "open window",
                                  .horizon = "4 d",
                                  .seed = 602,
                                  .sample_every = "1 h",
                                  .arrivals = "interarrival: 5 min",
                                  .service = "15 min",
                                  .rule = "open: [\"08:00-12:00\"]",
                                  .events = {"at: 3 d, open: [\"00:00-24:00\"]"}};
    struct th t;
    run_lane(&t, "open_window", &l, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 127);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 127.0 / 3.0);
    ck_assert_uint_eq(t.run.n_samples, 97);
    assert_busy(&t, "lane", 24, 96, busy_open_window);
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
    static const struct lane l = {.name = "window trace",
                                  .horizon = "2 d",
                                  .warmup = "0",
                                  .reps = 1,
                                  .arrivals = "trace: data/window.csv",
                                  .service = "25 min",
                                  .rule = "open: [\"08:00-12:00\"]"};
    struct th t;
    run_lane(&t, "window_trace", &l, 5);
    th_exact(&t, th_st(&t, "lane", TC_SM_WAIT), 1210.0 / 3.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_SOJOURN), 1285.0 / 3.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_IN_STATION), 1285.0 / 2880.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_UTILIZATION), 75.0 / 504.9);
    th_exact(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 3);
    th_done(&t);
}
END_TEST

static double busy_midnight_window(uint32_t k)
{
    uint32_t h = k % 24;
    return h >= 22 || h < 6 ? 1 : 0;
}

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
    static const struct lane l = {.name = "night window",
                                  .horizon = "5 d",
                                  .seed = 603,
                                  .sample_every = "1 h",
                                  .service = "15 min",
                                  .rule = "open: [\"22:00-06:00\"]"};
    struct th t;
    run_lane(&t, "night_window", &l, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 128);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 32);
    assert_busy(&t, "lane", 24, 120, busy_midnight_window);
    th_done(&t);
}
END_TEST

/* Busy up to 48 h and from 73 h: the hours of closure and nested_closures. */
static double busy_closure(uint32_t k)
{
    return k <= 48 || k >= 73 ? 1 : 0;
}

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
    static const struct lane l = {.name = "closure",
                                  .horizon = "5 d",
                                  .seed = 604,
                                  .sample_every = "1 h",
                                  .service = "10 min",
                                  .events = {"close: 2 d 5 min, reopen: 3 d 3 min"}};
    struct th t;
    run_lane(&t, "closure", &l, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 433);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 108.25);
    assert_busy(&t, "lane", 1, 120, busy_closure);
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
    static const struct lane l = {
        .name = "nested closures",
        .horizon = "5 d",
        .seed = 605,
        .sample_every = "1 h",
        .service = "10 min",
        .no_next = true,
        .events = {"close: 2 d 5 min, reopen: 3 d 3 min", "close: 2 d 12 h, reopen: 2 d 18 h"}};
    struct th t;
    run_lane(&t, "nested_closures", &l, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 433);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 108.25);
    assert_busy(&t, "lane", 1, 120, busy_closure);
    th_done(&t);
}
END_TEST

static double busy_servers_event(uint32_t k)
{
    return k >= 48 && k <= 96 ? 3 : 1;
}

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
    static const struct lane l = {.name = "servers event",
                                  .horizon = "5 d",
                                  .seed = 605,
                                  .sample_every = "1 h",
                                  .service = "10 min",
                                  .events = {"at: 2 d, servers: 3", "at: 4 d 5 min, servers: 1"}};
    struct th t;
    run_lane(&t, "servers_event", &l, 3);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 1154);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_THROUGHPUT_PER_DAY), 288.5);
    assert_busy(&t, "lane", 1, 120, busy_servers_event);
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
        char name[32];
        snprintf(name, sizeof name, "windows in %s", units[u]);
        const struct lane l = {.name = name,
                               .time_unit = units[u],
                               .horizon = "11 d",
                               .reps = 2,
                               .seed = 606,
                               .arrivals = "interarrival: 1 min",
                               .capacity = 10,
                               .service = "10 min",
                               .rule = "open: [\"08:00-12:00\", \"13:00-19:00\"]"};
        struct th t;
        run_lane(&t, units[u], &l, 2);
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
    tcase_add_test(tc, daily_limit_by_class);
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
