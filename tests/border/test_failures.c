/*
** Server failures (docs/design.md, the station model): per server, in clock time, up for mtbf then
** down for mttr; a service cut by a failure resumes where it stopped after
** the repair (preempt-resume). Checked three ways: the throughput of an
** overloaded lane group is servers x service rate x availability
** mtbf / (mtbf + mttr); a deterministic failure cycle with a trace, by hand;
** and the mean sojourn of a lone truck with constant service, which only
** preempt-resume gives. Rule for the stochastic ones: tc_theory.h.
** time_unit min.
*/
#include "border.h"

/*
** The scenario of every case here: one stream into one failing station. A
** field left 0 is that of the cases by hand: warmup 0, 1 replication, no
** seed, station "lane" with 1 server and unlimited room, no events.
** capacity N comes with when_full: reject; mtbf and mttr are distributions
** (a bare duration is exponential); events name the station.
*/
struct failing {
    const char *name, *horizon, *warmup;
    unsigned reps, seed;
    const char *station, *arrivals; /* the stream after "to: STATION, " */
    unsigned servers, capacity;
    const char *service, *mtbf, *mttr;
    const char *events[2];
};

/* Runs the scenario of f as test `test` with k checks. */
static void run_failing(struct th *t, const char *test, const struct failing *f, uint32_t k)
{
    const char *station = f->station ? f->station : "lane";
    char yaml[1024];
    size_t n = 0;
    bd_add(yaml, sizeof yaml, &n, "name: %s\nhorizon: %s\nwarmup: %s\nreplications: %u\n", f->name,
           f->horizon, f->warmup ? f->warmup : "0", f->reps ? f->reps : 1);
    if (f->seed)
        bd_add(yaml, sizeof yaml, &n, "seed: %u\n", f->seed);
    bd_add(yaml, sizeof yaml, &n,
           "arrivals:\n  - {to: %s, %s}\nstations:\n  %s:\n    servers: %u\n", station, f->arrivals,
           station, f->servers ? f->servers : 1);
    if (f->capacity)
        bd_add(yaml, sizeof yaml, &n, "    capacity: %u\n    when_full: reject\n", f->capacity);
    bd_add(yaml, sizeof yaml, &n,
           "    service: %s\n"
           "    failures:\n"
           "      mtbf: %s\n"
           "      mttr: %s\n"
           "    next: exit\n",
           f->service, f->mtbf, f->mttr);
    for (size_t i = 0; i < 2 && f->events[i]; i++)
        bd_add(yaml, sizeof yaml, &n, "%s  - {station: %s, %s}\n", i ? "" : "events:\n", station,
               f->events[i]);
    th_run(t, test, yaml, k);
}

/*
** 2 servers, exponential service with mean 10 min (6/h each), failures
** mtbf 200 min, mttr 50 min (bare durations: exponential), availability
** 0.8. A truck every 2 min against room for 20: the servers never starve,
** so the throughput is 2 x 144 x 0.8 = 230.4 a day and the fraction
** rejected 1 - 230.4 / 720 (up to the change in queue content over the
** run, at most 20 trucks of 36000).
*/
START_TEST(availability)
{
    static const struct failing f = {.name = "failures availability",
                                     .horizon = "51 d",
                                     .warmup = "1 d",
                                     .reps = 20,
                                     .seed = 1201,
                                     .station = "lanes",
                                     .arrivals = "interarrival: 2 min",
                                     .servers = 2,
                                     .capacity = 20,
                                     .service = "{dist: exponential, mean: 10 min}",
                                     .mtbf = "200 min",
                                     .mttr = "50 min"};
    struct th t;
    run_failing(&t, "availability", &f, 2);
    th_check(&t, th_st(&t, "lanes", TC_SM_THROUGHPUT_PER_DAY), 2 * 144 * 0.8);
    th_check(&t, th_st(&t, "lanes", TC_SM_REJECTED_FRACTION), 1 - 230.4 / 720);
    th_done(&t);
}
END_TEST

/*
** Constant failure cycle: up 25, down 7 (down [25,32), [57,64), [89,96),
** [121,128), [153,160)); 1 server, service 10, horizon 160; arrivals
** (data/failures.csv):
**   arrive  start  cut            end   wait  sojourn
**   20      20     25-32 (5 left)  37    0     17
**   40      40     -               50    0     10
**   50      50     57-64 (3 left)  67    0     17   starts as the 40 ends
**   60      67     -               77    7     17   waits behind the cut one
**   87      87     89-96 (8 left)  104   0     17
**   100     104    -               114   4     14
**   122     128    -               138   6     16   arrives while down and idle
** wait 17/7, sojourn 108/7, present 108/160; busy 70 of 125 up.
*/
START_TEST(constant_cycle)
{
    static const struct failing f = {.name = "failures by hand",
                                     .horizon = "160",
                                     .arrivals = "trace: data/failures.csv",
                                     .service = "10",
                                     .mtbf = "{dist: constant, value: 25}",
                                     .mttr = "{dist: constant, value: 7}"};
    struct th t;
    run_failing(&t, "fail_cycle", &f, 5);
    th_exact(&t, th_st(&t, "lane", TC_SM_WAIT), 17.0 / 7.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_SOJOURN), 108.0 / 7.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_IN_STATION), 108.0 / 160.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_UTILIZATION), 70.0 / 125.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 7);
    th_done(&t);
}
END_TEST

/*
** Failures meet a closure and a server change. The constant cycle of
** constant_cycle runs on each server slot (down [25,32), [57,64), [89,96),
** [121,128)); closed [40, 70); a second server from 95; horizon 130;
** arrivals (data/failclose.csv):
**   arrive  start  end   wait  sojourn
**   35      35     45    0     10   runs on through the closure at 40
**   50      70     80    20    30   the repair at 64 starts nothing: closed
**   85      85     102   0     17   cut 89-96 with 6 left
**   100     100    110   0     10   the new server (up again at 96)
** Servers open (up, not closed, or serving): 25 + 3 + 5 + 5 (serving past
** the closure) + 10 + 9 + 50 (two from 96) + 4 = 111; busy 40.
*/
START_TEST(failures_closure_servers)
{
    static const struct failing f = {.name = "failures closure servers",
                                     .horizon = "130",
                                     .arrivals = "trace: data/failclose.csv",
                                     .service = "10",
                                     .mtbf = "{dist: constant, value: 25}",
                                     .mttr = "{dist: constant, value: 7}",
                                     .events = {"close: 40, reopen: 70", "at: 95, servers: 2"}};
    struct th t;
    run_failing(&t, "fail_close", &f, 5);
    th_exact(&t, th_st(&t, "lane", TC_SM_WAIT), 5);
    th_exact(&t, th_st(&t, "lane", TC_SM_SOJOURN), 16.75);
    th_exact(&t, th_st(&t, "lane", TC_SM_IN_STATION), 67.0 / 130.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_UTILIZATION), 40.0 / 111.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 4);
    th_done(&t);
}
END_TEST

/*
** A lone truck every 500 min (many failure cycles apart, so it finds the
** server in its stationary state), constant service S = 10, exponential
** failures with mtbf 100 (rate f = 0.01) and mttr R = 20. Failures hit the
** S units of work as a Poisson process of rate f, each adding a repair; a
** truck arriving while the server is down waits for the rest of the repair
** (mean R, memoryless), which happens with probability R / (100 + R):
**   E[sojourn] = S (1 + f R) + R^2 / (100 + R) = 12 + 10/3.
** (Restarting cut services from scratch would give more.)
*/
START_TEST(preempt_resume)
{
    static const struct failing f = {.name = "preempt resume",
                                     .horizon = "501 d",
                                     .warmup = "1 d",
                                     .reps = 20,
                                     .seed = 1202,
                                     .arrivals = "interarrival: 500",
                                     .service = "10",
                                     .mtbf = "{dist: exponential, mean: 100}",
                                     .mttr = "{dist: exponential, mean: 20}"};
    struct th t;
    run_failing(&t, "preempt_resume", &f, 1);
    th_check(&t, th_st(&t, "lane", TC_SM_SOJOURN), 12.0 + 10.0 / 3.0);
    th_done(&t);
}
END_TEST

static Suite *failures_suite(void)
{
    Suite *s = suite_create("border_failures");
    TCase *tc = tcase_create("failures");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, availability);
    tcase_add_test(tc, constant_cycle);
    tcase_add_test(tc, failures_closure_servers);
    tcase_add_test(tc, preempt_resume);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(failures_suite)
