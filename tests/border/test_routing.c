/*
** Routing and admission at the border against hand-computed traces:
** occupancy (servers held by trucks in service, blocked or suspended) and
** admission by class priority into a station with discipline priority.
*/
#include "border.h"

/*
** Occupancy on a blocking chain. a: 1 server, service 20, next b; b: 1
** server, capacity 1, service 60. Arrivals (data/blocked.csv) 0 10 50 90
** 150, horizon 300:
**   A 0   a 0-20, b 20-80
**   B 10  a 20-40, blocked in a 40-80, b 80-140
**   C 50  a 80-100, blocked 100-140, b 140-200
**   D 90  a 140-160, blocked 160-200, b 200-260
**   E 150 a 200-220, blocked 220-260, b 260-300 (still there at the horizon)
** a's server is held 0-260: occupied 260/300, of it in service 5 x 20, so
** utilization 100/300 and blocked 160/300. b's is held 20-300: 280/300,
** all in service.
*/
START_TEST(occupied_blocking_chain)
{
    static const char yaml[] = "name: occ\n"
                               "horizon: 300\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - {to: a, trace: data/blocked.csv}\n"
                               "stations:\n"
                               "  a: {servers: 1, service: 20, next: b}\n"
                               "  b: {servers: 1, capacity: 1, service: 60}\n";
    struct th t;
    th_run(&t, "occ_chain", yaml, 6);
    th_exact(&t, th_st(&t, "a", TC_SM_OCCUPIED), 260.0 / 300.0);
    th_exact(&t, th_st(&t, "a", TC_SM_UTILIZATION), 100.0 / 300.0);
    th_exact(&t, th_st(&t, "a", TC_SM_BLOCKED), 160.0 / 300.0);
    th_exact(&t, th_st(&t, "b", TC_SM_OCCUPIED), 280.0 / 300.0);
    th_exact(&t, th_st(&t, "b", TC_SM_UTILIZATION), 280.0 / 300.0);
    th_exact(&t, th_st(&t, "b", TC_SM_BLOCKED), 0);
    th_done(&t);
}
END_TEST

/*
** A scheduled cut below the trucks holding a server (fewer servers take
** effect as services end): a has 2 servers, service 40, arrivals 0 10 50
** 90 (data/blocked.csv; 150 is past the horizon 100), servers 1 from 20.
**   A 0-40, B 10-50, C 50-90 (B's end comes first at 50), D 90-130.
** Held: 1 on 0-10, 2 on 10-40, 1 on 40-100: 130. Servers counted: 2 on
** 0-20, max(1, 2 held) = 2 on 20-40, 1 on 40-100: 140. Occupied 130/140,
** never above 1.
*/
START_TEST(occupied_after_a_cut)
{
    static const char yaml[] = "name: occ_cut\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - {to: a, trace: data/blocked.csv}\n"
                               "stations:\n"
                               "  a: {servers: 2, service: 40}\n"
                               "events: [{station: a, at: 20, servers: 1}]\n";
    struct th t;
    th_run(&t, "occ_cut", yaml, 2);
    th_exact(&t, th_st(&t, "a", TC_SM_OCCUPIED), 130.0 / 140.0);
    th_exact(&t, th_st(&t, "a", TC_SM_BUSY), 1.3);
    th_done(&t);
}
END_TEST

/*
** Priority out of a yard and off a road. Classes hi (priority 0) and lo
** (1); gate: 1 server, capacity 1, service 10, discipline priority.
** Arrivals (data/prio_admit.csv) lo 0, lo 1, lo 2, hi 3, hi 4, horizon 100.
** Behind a yard (unlimited servers, dwell 0, next gate) the trucks the
** gate cannot take block in the yard; straight at the gate they wait on
** the road. Either way the gate admits by class priority, then by when
** each started waiting:
**   lo1 gate 0-10 (tis 10); hi1 10-20 (17); hi2 20-30 (26);
**   lo2 30-40 (39); lo3 40-50 (48)
** hi: time in system (17 + 26) / 2 = 21.5; lo (10 + 39 + 48) / 3. Waiting
** outside (blocked in the yard, or road_wait): hi (7 + 16) / 2, lo
** (0 + 29 + 38) / 3. FIFO would admit lo2, lo3 first (hi 37 and 46).
*/
START_TEST(priority_out_of_yard_and_road)
{
    static const char head[] = "name: prio_admit\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "classes:\n"
                               "  hi: {priority: 0}\n"
                               "  lo: {priority: 1}\n"
                               "arrivals:\n";
    static const char gate[] =
        "  gate: {servers: 1, capacity: 1, service: 10, discipline: priority}\n";
    char yaml[1024];
    struct th t;

    snprintf(yaml, sizeof yaml,
             "%s  - {to: yard, trace: data/prio_admit.csv}\n"
             "stations:\n"
             "  yard: {servers: unlimited, service: 0, next: gate}\n%s",
             head, gate);
    th_run(&t, "prio_yard", yaml, 4);
    th_exact(&t, th_cl(&t, "hi", TC_CM_TIME_IN_SYSTEM), 21.5);
    th_exact(&t, th_cl(&t, "lo", TC_CM_TIME_IN_SYSTEM), 97.0 / 3.0);
    th_exact(&t, th_stcl(&t, "yard", "hi", TC_SCM_SOJOURN), 11.5);
    th_exact(&t, th_stcl(&t, "yard", "lo", TC_SCM_SOJOURN), 67.0 / 3.0);
    th_done(&t);

    snprintf(yaml, sizeof yaml,
             "%s  - {to: gate, trace: data/prio_admit.csv}\n"
             "stations:\n%s",
             head, gate);
    th_run(&t, "prio_road", yaml, 4);
    th_exact(&t, th_cl(&t, "hi", TC_CM_TIME_IN_SYSTEM), 21.5);
    th_exact(&t, th_cl(&t, "lo", TC_CM_TIME_IN_SYSTEM), 97.0 / 3.0);
    th_exact(&t, th_cl(&t, "hi", TC_CM_ROAD_WAIT), 11.5);
    th_exact(&t, th_cl(&t, "lo", TC_CM_ROAD_WAIT), 67.0 / 3.0);
    th_done(&t);
}
END_TEST

/*
** release: priority on the yard in front of a FIFO gate (1 server,
** capacity 1, service 10). Yard arrivals (data/prio_admit.csv) lo 0, lo 1,
** lo 2, hi 3, hi 4, horizon 100.
** Yard alone: the yard sends its best truck whenever the gate has room,
** so the gate sees what discipline priority gave above: hi (17 + 26) / 2,
** lo (10 + 39 + 48) / 3.
** With a road truck R (lo, data/road_lo.csv) straight at the gate at 2.5:
** the gate's admission list is by when each started waiting, places of
** yard trucks going to them by priority:
**   t=1 [Y1]  t=2 [Y1 Y2]  t=2.5 [Y1 Y2 R]  (Y1 = lo2, Y2 = lo3)
**   t=3 hi1 takes Y1's place: [hi1 lo2 R lo3]
**   t=4 hi2 takes lo2's:      [hi1 hi2 R lo2 lo3]
** gate: lo1 0-10, hi1 10-20, hi2 20-30, R 30-40, lo2 40-50, lo3 50-60.
** R has two yard trucks ahead of it, as under plain FIFO (lo2, lo3 then).
** hi: time in system (17 + 26) / 2, yard stay (7 + 16) / 2; lo: time in
** system (10 + 49 + 58 + 37.5) / 4, yard stay (0 + 39 + 48) / 3, road
** wait (0 + 0 + 0 + 27.5) / 4.
*/
START_TEST(release_priority_out_of_yard)
{
    static const char head[] = "name: release_prio\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "classes:\n"
                               "  hi: {priority: 0}\n"
                               "  lo: {priority: 1}\n"
                               "arrivals:\n"
                               "  - {to: yard, trace: data/prio_admit.csv}\n";
    static const char st[] =
        "stations:\n"
        "  yard: {servers: unlimited, service: 0, next: gate, release: priority}\n"
        "  gate: {servers: 1, capacity: 1, service: 10}\n";
    char yaml[1024];
    struct th t;

    snprintf(yaml, sizeof yaml, "%s%s", head, st);
    th_run(&t, "release_yard", yaml, 4);
    th_exact(&t, th_cl(&t, "hi", TC_CM_TIME_IN_SYSTEM), 21.5);
    th_exact(&t, th_cl(&t, "lo", TC_CM_TIME_IN_SYSTEM), 97.0 / 3.0);
    th_exact(&t, th_stcl(&t, "yard", "hi", TC_SCM_SOJOURN), 11.5);
    th_exact(&t, th_stcl(&t, "yard", "lo", TC_SCM_SOJOURN), 67.0 / 3.0);
    th_done(&t);

    snprintf(yaml, sizeof yaml, "%s  - {to: gate, trace: data/road_lo.csv}\n%s", head, st);
    th_run(&t, "release_mixed", yaml, 5);
    th_exact(&t, th_cl(&t, "hi", TC_CM_TIME_IN_SYSTEM), 21.5);
    th_exact(&t, th_cl(&t, "lo", TC_CM_TIME_IN_SYSTEM), 154.5 / 4.0);
    th_exact(&t, th_stcl(&t, "yard", "hi", TC_SCM_SOJOURN), 11.5);
    th_exact(&t, th_stcl(&t, "yard", "lo", TC_SCM_SOJOURN), 29.0);
    th_exact(&t, th_cl(&t, "lo", TC_CM_ROAD_WAIT), 27.5 / 4.0);
    th_done(&t);
}
END_TEST

static Suite *routing_suite(void)
{
    Suite *s = suite_create("routing");
    TCase *tc = tcase_create("routing");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, occupied_blocking_chain);
    tcase_add_test(tc, occupied_after_a_cut);
    tcase_add_test(tc, priority_out_of_yard_and_road);
    tcase_add_test(tc, release_priority_out_of_yard);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(routing_suite)
