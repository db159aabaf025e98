/*
** Arrival streams under scheduled events and batches: rate_factor events
** by stream name and by class name (0 stops a stream, 2 doubles it), a
** rate change before a stream's start, `next` events that divert new
** departures while blocked trucks keep their target, and batches. The
** constant-interarrival cases are exact (every replication, 1e-9); the
** Poisson ones follow the Bonferroni rule of tests/theory/tc_theory.h.
** time_unit is min.
*/
#include "border.h"

/*
** Constant interarrival 10 (first arrival one interval after the start; a
** rate change restarts the interval from the change), horizon 400:
**   s1 fruit   10 ... 90 (9); stopped at 100; x2 from 200: 205 ... 295 (19);
**              x1 from 300: 310 ... 390 (9)                              37
**   s2 fruit   start 5: 15 ... 95 (9); stopped at 100; the event at 200 names
**              s1 only; x1 from 300: 310 ... 390 (9)                    18
**   s3 general every 20: 20 ... 380, no event names it                  19
**   s4 late    start 250; x2 at 100, before its start: 255 ... 395      29
** (An arrival due at the instant of an event is drawn again: events come
** first.) fruit 55, general 19, late 29; the yard counts 103.
*/
START_TEST(rate_factor_exact)
{
    static const char yaml[] =
        "name: rate factor\n"
        "horizon: 400\n"
        "warmup: 0\n"
        "replications: 2\n"
        "seed: 801\n"
        "classes:\n"
        "  fruit: {}\n"
        "  general: {}\n"
        "  late: {}\n"
        "arrivals:\n"
        "  - {name: s1, class: fruit, to: yard, interarrival: 10}\n"
        "  - {name: s2, class: fruit, to: yard, interarrival: 10, start: 5}\n"
        "  - {name: s3, class: general, to: yard, interarrival: 20}\n"
        "  - {name: s4, class: late, to: yard, interarrival: 10, start: 250}\n"
        "stations:\n"
        "  yard:\n"
        "    servers: unlimited\n"
        "    service: 0\n"
        "    next: exit\n"
        "events:\n"
        "  - {arrivals: fruit, at: 100, rate_factor: 0}\n"
        "  - {arrivals: s4, at: 100, rate_factor: 2}\n"
        "  - {arrivals: s1, at: 200, rate_factor: 2}\n"
        "  - {arrivals: fruit, at: 300, rate_factor: 1}\n";
    struct th t;
    th_run(&t, "rate_factor", yaml, 4);
    bd_exact_all(&t, th_cl(&t, "fruit", TC_CM_ARRIVED), 55);
    bd_exact_all(&t, th_cl(&t, "general", TC_CM_ARRIVED), 19);
    bd_exact_all(&t, th_cl(&t, "late", TC_CM_ARRIVED), 29);
    bd_exact_all(&t, th_st(&t, "yard", TC_SM_ARRIVALS), 103);
    th_done(&t);
}
END_TEST

/* The hourly profile of the example in scenarios/README.md. */
static const double profile24[24] = {0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 1.0, 1.4, 1.6, 1.6, 1.5, 1.4,
                                     1.3, 1.3, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3};

/*
** Poisson streams with the hourly profile at 30/h. "busy" doubles at 2 d;
** "quiet" stops at 1 d. Over the window [2 d, 4 d): busy expects
** 2 days x 2 x 30 x sum(profile) arrivals, quiet exactly none.
*/
START_TEST(rate_factor_poisson)
{
    static const char yaml[] =
        "name: rate factor poisson\n"
        "horizon: 4 d\n"
        "warmup: 2 d\n"
        "replications: 20\n"
        "seed: 802\n"
        "classes:\n"
        "  busy: {}\n"
        "  quiet: {}\n"
        "arrivals:\n"
        "  - class: busy\n"
        "    to: yard\n"
        "    rate: 30/h\n"
        "    hourly: [0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 1.0, 1.4, 1.6, 1.6, 1.5, 1.4,\n"
        "             1.3, 1.3, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0, 0.8, 0.6, 0.4, 0.3]\n"
        "  - {class: quiet, to: yard, rate: 30/h}\n"
        "stations:\n"
        "  yard:\n"
        "    servers: unlimited\n"
        "    service: {dist: exponential, mean: 1 h}\n"
        "    next: exit\n"
        "events:\n"
        "  - {arrivals: busy, at: 2 d, rate_factor: 2}\n"
        "  - {arrivals: quiet, at: 1 d, rate_factor: 0}\n";
    double sum = 0;
    for (int h = 0; h < 24; h++)
        sum += profile24[h];
    struct th t;
    th_run(&t, "rate_poisson", yaml, 2);
    th_check(&t, th_cl(&t, "busy", TC_CM_ARRIVED), 2 * 2 * 30 * sum);
    bd_exact_all(&t, th_cl(&t, "quiet", TC_CM_ARRIVED), 0);
    th_done(&t);
}
END_TEST

/*
** A yard (unlimited servers, dwell 10) sends trucks to lane_a (1 server,
** capacity 1, service 25) until an event at 100 sends new departures to
** lane_b (unlimited, service 1). Arrivals every 10 from 10; departures
** from the yard due at 20 ... 390 (the truck arriving at 390 is still in
** the yard at the horizon 400).
**   T1..T8 leave at 20 ... 90 for lane_a: T1 enters at 20, the others wait
**   blocked and enter at 45, 70, ..., 195 (still lane_a after the event:
**   blocked trucks keep their target); lane_a is busy 20-220.
**   Departures at 100 ... 390 go to lane_b (30; the event precedes the end
**   at 100).
** Blocked in the yard: 15 + 30 + ... + 105 = 420 over 400; yard sojourns:
** 38 trucks, 38 x 10 + 420 = 800.
*/
START_TEST(next_event)
{
    static const char yaml[] = "name: next event\n"
                               "horizon: 400\n"
                               "warmup: 0\n"
                               "replications: 2\n"
                               "seed: 803\n"
                               "arrivals:\n"
                               "  - {to: yard, interarrival: 10}\n"
                               "stations:\n"
                               "  yard:\n"
                               "    servers: unlimited\n"
                               "    service: 10\n"
                               "    next: lane_a\n"
                               "  lane_a:\n"
                               "    servers: 1\n"
                               "    capacity: 1\n"
                               "    service: 25\n"
                               "    next: exit\n"
                               "  lane_b:\n"
                               "    servers: unlimited\n"
                               "    service: 1\n"
                               "    next: exit\n"
                               "events:\n"
                               "  - {station: yard, at: 100, next: lane_b}\n";
    struct th t;
    th_run(&t, "next_event", yaml, 8);
    bd_exact_all(&t, th_st(&t, "lane_a", TC_SM_ARRIVALS), 8);
    bd_exact_all(&t, th_st(&t, "lane_a", TC_SM_DEPARTURES), 8);
    bd_exact_all(&t, th_st(&t, "lane_a", TC_SM_IN_STATION), 200.0 / 400.0);
    bd_exact_all(&t, th_st(&t, "lane_b", TC_SM_ARRIVALS), 30);
    bd_exact_all(&t, th_st(&t, "lane_b", TC_SM_DEPARTURES), 30);
    bd_exact_all(&t, th_st(&t, "yard", TC_SM_BLOCKED), 420.0 / 400.0);
    bd_exact_all(&t, th_st(&t, "yard", TC_SM_DEPARTURES), 38);
    bd_exact_all(&t, th_st(&t, "yard", TC_SM_SOJOURN), 800.0 / 38.0);
    th_done(&t);
}
END_TEST

/*
** batch: 5 on a constant stream (every 10, horizon 100): 9 arrivals of 5,
** 45 trucks, served one at a time (service 1): waits 0 1 2 3 4 in each
** batch, mean 2; 45 departures, the server busy 45 of 100. A Poisson
** stream of batches of 3 at 2/h over 10 days to another yard: every
** replication's count is a multiple of 3 and the mean is 3 x 480.
*/
START_TEST(batches)
{
    static const char yaml[] =
        "name: batches\n"
        "horizon: 10 d\n"
        "warmup: 0\n"
        "replications: 20\n"
        "seed: 804\n"
        "classes:\n"
        "  truck: {}\n"
        "  convoy: {}\n"
        "arrivals:\n"
        "  - {class: truck, to: lane, interarrival: 10, batch: 5, end: 100}\n"
        "  - {class: convoy, to: yard, rate: 2/h, batch: 3}\n"
        "stations:\n"
        "  lane:\n"
        "    servers: 1\n"
        "    service: 1\n"
        "    next: exit\n"
        "  yard:\n"
        "    servers: unlimited\n"
        "    service: 0\n"
        "    next: exit\n";
    struct th t;
    th_run(&t, "batches", yaml, 7);
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 45);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_ARRIVALS), 45);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 45);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_WAIT), 2);
    bd_exact_all(&t, th_st(&t, "lane", TC_SM_IN_STATION), (45 * 1 + 9 * (1 + 2 + 3 + 4)) / 14400.0);
    size_t i = th_cl(&t, "convoy", TC_CM_ARRIVED);
    for (uint32_t r = 0; r < t.run.n_reps; r++) {
        double v = tc_run_value(&t.run, r, i);
        ck_assert_msg(v > 0 && fmod(v, 3) == 0, "rep %u: %g convoy trucks", r, v);
    }
    t.n_done++;
    th_check(&t, i, 3 * 480);
    th_done(&t);
}
END_TEST

static Suite *streams_suite(void)
{
    Suite *s = suite_create("border_streams");
    TCase *tc = tcase_create("streams");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, rate_factor_exact);
    tcase_add_test(tc, rate_factor_poisson);
    tcase_add_test(tc, next_event);
    tcase_add_test(tc, batches);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(streams_suite)
