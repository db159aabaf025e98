/*
** Patience, spoilage and lost value in deterministic trace cases (constant
** patience, constant service, one replication, warmup 0), every history
** worked out by hand below. Patience is a budget of time not being served
** (docs/design.md: on the road, in a queue, blocked), drawn at arrival; a yard's
** dwell is its service, so it does not use the budget. The same-time rule
** puts patience after service ends and arrivals: a truck whose service can
** start at the instant its patience runs out is served.
*/
#include "border.h"
#include "run/exact.h"

/* A station of a chain {name, servers, capacity, service}; trucks go through in order. */
struct stn {
    const char *name, *servers;
    unsigned capacity; /* 0: unlimited room */
    const char *service;
};

/*
** The scenario of every case here: the trucks of one stream into the first
** of one or two stations. A field left 0: warmup 0, 1 replication, no seed,
** one station; `classes` (its lines) replaces the one class truck with
** the given patience.
*/
struct chain {
    const char *name, *horizon, *warmup;
    unsigned reps, seed;
    const char *patience, *classes;
    const char *arrivals; /* the stream after "to: FIRST, " */
    struct stn st[2];
};

/* Runs the scenario of c as test `test` with k checks. */
static void run_chain(struct th *t, const char *test, const struct chain *c, uint32_t k)
{
    char yaml[1024];
    size_t n = 0;
    bd_add(yaml, sizeof yaml, &n, "name: %s\nhorizon: %s\nwarmup: %s\nreplications: %u\n", c->name,
           c->horizon, c->warmup ? c->warmup : "0", c->reps ? c->reps : 1);
    if (c->seed)
        bd_add(yaml, sizeof yaml, &n, "seed: %u\n", c->seed);
    if (c->classes)
        bd_add(yaml, sizeof yaml, &n, "classes:\n%s", c->classes);
    else
        bd_add(yaml, sizeof yaml, &n, "classes:\n  truck: {patience: %s}\n", c->patience);
    bd_add(yaml, sizeof yaml, &n, "arrivals:\n  - {to: %s, %s}\nstations:\n", c->st[0].name,
           c->arrivals);
    for (size_t i = 0; i < 2 && c->st[i].name; i++) {
        const struct stn *s = &c->st[i];
        bd_add(yaml, sizeof yaml, &n, "  %s:\n    servers: %s\n", s->name, s->servers);
        if (s->capacity)
            bd_add(yaml, sizeof yaml, &n, "    capacity: %u\n", s->capacity);
        bd_add(yaml, sizeof yaml, &n, "    service: %s\n    next: %s\n", s->service,
               i == 0 && c->st[1].name ? c->st[1].name : "exit");
    }
    th_run(t, test, yaml, k);
}

/*
** A yard (unlimited servers, dwell 0) feeding a lane with no waiting room
** (1 server, capacity 1, service 100): trucks the lane cannot take are
** blocked in the yard, the only place they can abandon. Patience 30,
** arrivals (data/blocked.csv) 0 10 50 90 150, horizon 300:
**   A 0    lane 0-100, exits 100                       time in system 100
**   B 10   blocked 10, abandons 40
**   C 50   blocked 50, abandons 80
**   D 90   blocked 90, enters the lane at 100 as A leaves, exits 200   110
**   E 150  blocked 150, abandons 180
** Abandoned 3 of 5; completed 2, time in system 105. The yard: blocked
** 30+30+10+30 = 100 over 300 (and as much present, the dwell being 0);
** departures A and D, sojourns 0 and 10.
*/
START_TEST(blocked_in_yard)
{
    static const struct chain c = {.name = "blocked patience",
                                   .horizon = "300",
                                   .patience = "30",
                                   .arrivals = "trace: data/blocked.csv",
                                   .st = {{"yard", "unlimited", 0, "0"}, {"lane", "1", 1, "100"}}};
    struct th t;
    run_chain(&t, "blocked_yard", &c, 9);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ABANDONED_FRACTION), 0.6);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 5);
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 2);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 105);
    th_exact(&t, th_st(&t, "yard", TC_SM_BLOCKED), 100.0 / 300.0);
    th_exact(&t, th_st(&t, "yard", TC_SM_IN_STATION), 100.0 / 300.0);
    th_exact(&t, th_st(&t, "yard", TC_SM_DEPARTURES), 2);
    th_exact(&t, th_st(&t, "yard", TC_SM_SOJOURN), 5);
    th_exact(&t, th_st(&t, "lane", TC_SM_WAIT), 0);
    th_done(&t);
}
END_TEST

/*
** The budget across a road, a yard dwell and blocking. Yard: unlimited
** servers, capacity 1, dwell 20, next lane (1 server, capacity 1, service
** 101). Patience 30, arrivals (data/budget.csv) 0 10 15 50 90, horizon 300:
**   A 0   yard 0-20, lane 20-121, exits 121                     tis 121
**   B 10  road 10-20 (uses 10), dwell 20-40, blocked 40, abandons 60
**   C 15  road from 15 (B went first), abandons there at 45
**   D 50  road 50-60 (B's slot frees), dwell 60-80, blocked 80, abandons 100
**   E 90  road 90-100, dwell 100-120, blocked 120-121, lane 121-222  tis 132
** (Counted from arrival instead, B would have left at 40 while dwelling.)
** Abandoned 3 of 5; time in system (121 + 132) / 2; road wait, over the
** trucks that got in: (0 + 10 + 10 + 10) / 4; road trucks 10+30+10+10 = 60
** over 300; yard blocked 20+20+1 = 41 over 300; yard sojourns 20 and 21.
*/
START_TEST(budget_across_road_and_yard)
{
    static const struct chain c = {.name = "patience budget",
                                   .horizon = "300",
                                   .patience = "30",
                                   .arrivals = "trace: data/budget.csv",
                                   .st = {{"yard", "unlimited", 1, "20"}, {"lane", "1", 1, "101"}}};
    struct th t;
    run_chain(&t, "budget", &c, 8);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ABANDONED_FRACTION), 0.6);
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 2);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 126.5);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ROAD_WAIT), 7.5);
    th_exact(&t, th_road(&t, "yard", TC_RM_TRUCKS), 60.0 / 300.0);
    th_exact(&t, th_road(&t, "yard", TC_RM_MAX_TRUCKS), 2);
    th_exact(&t, th_st(&t, "yard", TC_SM_BLOCKED), 41.0 / 300.0);
    th_exact(&t, th_st(&t, "yard", TC_SM_SOJOURN), 20.5);
    th_done(&t);
}
END_TEST

/*
** Blocked on a lane's server: lane (1 server, service 10) feeding a gate
** with no waiting room (1 server, capacity 1, service 100). Patience 30,
** arrivals (data/lane.csv) 0 0 25, horizon 200:
**   A 0   lane 0-10, gate 10-110                                tis 110
**   B 0   waits 0-10 (uses 10), lane 10-20, blocked on the server at 20,
**         abandons at 40 and frees it
**   C 25  waits 25-40 (uses 15), lane 40-50, blocked 50, abandons at 65
** Abandoned 2 of 3; lane waits 0 10 15; blocked 20 + 15 = 35 over 200;
** busy 30 of 200; one departure (A).
*/
START_TEST(blocked_on_lane)
{
    static const struct chain c = {.name = "blocked on lane",
                                   .horizon = "200",
                                   .patience = "30",
                                   .arrivals = "trace: data/lane.csv",
                                   .st = {{"lane", "1", 0, "10"}, {"gate", "1", 1, "100"}}};
    struct th t;
    run_chain(&t, "blocked_lane", &c, 7);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ABANDONED_FRACTION), 2.0 / 3.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 110);
    th_exact(&t, th_st(&t, "lane", TC_SM_WAIT), 25.0 / 3.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_BLOCKED), 35.0 / 200.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_UTILIZATION), 30.0 / 200.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_DEPARTURES), 1);
    th_exact(&t, th_st(&t, "gate", TC_SM_ARRIVALS), 1);
    th_done(&t);
}
END_TEST

/*
** Spoilage and lost value. One server, service 50, horizon 300; fruit:
** patience 120, shelf_life 100, value 1000; dry: patience 30, value 500.
** Arrivals (data/spoil.csv):
**   A 0   fruit  0-50                           tis 50
**   B 10  fruit  50-100                         tis 90
**   C 20  fruit  100-150                        tis 130  spoiled
**   D 30  fruit  150-200 (patience ends at 150, the instant it starts:
**                served)                        tis 170  spoiled
**   H 40  fruit  waits, abandons at 160         spoiled at 140: lost once
**   I 60  dry    waits, abandons at 90          lost 500
**   E 150 fruit  200-250                        tis 100 = shelf life: not spoiled
**   F 160 fruit  250-, in service at 300        spoiled at 260 < 300
**   G 250 fruit  waiting at 300                 spoils at 350: not spoiled
** fruit: arrived 8, spoiled C D H F (4 of the 8 in the system), abandoned
** H (1 of the 6 that left: F and G are still in), value lost
** 4000, completed 5 with time in system 540/5. dry: abandoned 1 of 1, value
** lost 500, nothing spoiled. Waits of the 6 services started:
** 0 40 80 120 50 90 (380/6). The 7 that left the lane stayed 50 90 130
** 170 100 (served), 120 (H) and 30 (I): 690/7, of which the served 540/5.
** The balance of fruit: 0 at warm-up + 8 arrived = 5 completed + 1
** abandoned + 0 rejected + 2 present at the end.
*/
START_TEST(spoilage_and_value)
{
    static const struct chain c = {.name = "spoilage",
                                   .horizon = "300",
                                   .classes =
                                       "  fruit: {patience: 120, shelf_life: 100, value: 1000}\n"
                                       "  dry: {patience: 30, value: 500}\n",
                                   .arrivals = "trace: data/spoil.csv",
                                   .st = {{"lane", "1", 0, "50"}}};
    struct th t;
    run_chain(&t, "spoilage", &c, 18);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_ARRIVED), 8);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_SPOILED_FRACTION), 0.5);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_ABANDONED_FRACTION), 1.0 / 6.0);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_ABANDONED), 1);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_REJECTED), 0);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_PRESENT_AT_WARMUP), 0);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_PRESENT_AT_END), 2);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_VALUE_LOST), 4000);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_COMPLETED), 5);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_TIME_IN_SYSTEM), 108);
    th_exact(&t, th_cl(&t, "dry", TC_CM_ARRIVED), 1);
    th_exact(&t, th_cl(&t, "dry", TC_CM_ABANDONED_FRACTION), 1);
    th_exact(&t, th_cl(&t, "dry", TC_CM_SPOILED_FRACTION), 0);
    th_exact(&t, th_cl(&t, "dry", TC_CM_VALUE_LOST), 500);
    th_exact(&t, th_st(&t, "lane", TC_SM_WAIT), 380.0 / 6.0);
    th_exact(&t, th_stcl(&t, "lane", "fruit", TC_SCM_WAIT), 380.0 / 6.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_STAY), 690.0 / 7.0);
    th_exact(&t, th_st(&t, "lane", TC_SM_DEPARTURES_ALL), 7);
    th_done(&t);
}
END_TEST

/*
** Erlang-A (M/M/c+M): 3 lanes, exponential service with mean 2.5 (mu 0.4),
** Poisson arrivals at 1.2 (offered load 3 Erlang: critically loaded) and
** exponential patience with mean 10 (theta 0.1); trucks abandon only while
** waiting. Against tc_exact_erlang_a: the class's abandoned fraction, the
** station's mean waiting Lq, the mean wait of the served trucks (the
** station's wait tallies service starts only), mean present and
** utilisation. Relaxation a few tens of minutes: warmup 1000.
*/
START_TEST(erlang_a)
{
    static const struct chain c = {.name = "Erlang-A",
                                   .horizon = "50000",
                                   .warmup = "1000",
                                   .reps = 20,
                                   .seed = 1101,
                                   .patience = "{dist: exponential, mean: 10}",
                                   .arrivals = "rate: 1.2/min",
                                   .st = {{"lanes", "3", 0, "{dist: exponential, mean: 2.5}"}}};
    struct tc_exact_erlang_a ex;
    tc_exact_erlang_a(1.2, 0.4, 3, 0.1, &ex);
    struct th t;
    run_chain(&t, "erlang_a", &c, 5);
    th_check(&t, th_cl(&t, "truck", TC_CM_ABANDONED_FRACTION), ex.p_abandon);
    th_check(&t, th_st(&t, "lanes", TC_SM_WAITING), ex.lq);
    th_check(&t, th_st(&t, "lanes", TC_SM_WAIT), ex.wq_served);
    th_check(&t, th_st(&t, "lanes", TC_SM_IN_STATION), ex.l);
    th_check(&t, th_st(&t, "lanes", TC_SM_UTILIZATION), ex.busy / 3);
    th_done(&t);
}
END_TEST

static Suite *patience_suite(void)
{
    Suite *s = suite_create("border_patience");
    TCase *tc = tcase_create("patience");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, blocked_in_yard);
    tcase_add_test(tc, budget_across_road_and_yard);
    tcase_add_test(tc, blocked_on_lane);
    tcase_add_test(tc, spoilage_and_value);
    tcase_add_test(tc, erlang_a);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(patience_suite)
