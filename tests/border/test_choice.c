/*
** Routes chosen by the stations' state (scenarios/README.md, Choosing a
** station) against hand-computed traces: diversion by trucks present and
** by expected wait, most_room with both members full (the road of the
** first), a closed member skipped while an open one has room, a station's
** next: choosing per class, and fewest_waiting beside servers in use. Times in min, constant
*services.
*/
#include "border.h"

/*
** fewest_present over a and b (1 server, service 10 each), divert_above 1.
** Arrivals (data/choice_divert.csv, class):
**   0 fruit    a 0 b 0 -> a (tie: first)     a 0-10          tis 10
**   1 general  a 1 b 0 -> b                  b 1-11          tis 10
**   2 general  a 1 b 1 -> a (1 is not > 1)   a 10-20         tis 18
**   3 fruit    a 2 b 1 -> b                  b 11-21         tis 18
**   4 fruit    a 2 b 2 -> best a has 2 > 1: diverted
**   5 general  diverted
**   10 general (a's first left at 10) a 1 b 2 -> a  a 20-30  tis 20
**   11 fruit   (b's first left at 11) a 2 b 1 -> b  b 21-31  tis 20
**   12 fruit   a 2 b 2: diverted
** fruit: arrived 5, completed 3, diverted 2, tis 16; general: 4, 3, 1, 16.
*/
START_TEST(divert_above_present)
{
    static const char yaml[] = "name: divert\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "classes: {fruit: {}, general: {}}\n"
                               "arrivals:\n"
                               "  - to: {choose: fewest_present, among: [a, b], divert_above: 1}\n"
                               "    trace: data/choice_divert.csv\n"
                               "stations:\n"
                               "  a: {servers: 1, service: 10}\n"
                               "  b: {servers: 1, service: 10}\n";
    struct th t;
    th_run(&t, "divert", yaml, 10);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_ARRIVED), 5);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_COMPLETED), 3);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_DIVERTED), 2);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_TIME_IN_SYSTEM), 16);
    th_exact(&t, th_cl(&t, "general", TC_CM_ARRIVED), 4);
    th_exact(&t, th_cl(&t, "general", TC_CM_COMPLETED), 3);
    th_exact(&t, th_cl(&t, "general", TC_CM_DIVERTED), 1);
    th_exact(&t, th_cl(&t, "general", TC_CM_TIME_IN_SYSTEM), 16);
    th_exact(&t, th_st(&t, "a", TC_SM_ARRIVALS), 3);
    th_exact(&t, th_st(&t, "b", TC_SM_ARRIVALS), 3);
    th_done(&t);
}
END_TEST

/*
** shortest_expected_wait: a has 1 server, b 2, service 10 each; expected
** wait = present / open servers x 10; divert_above_wait 10 min.
** Arrivals 0..5 (data/choice_wait.csv):
**   0  a 0   b 0   -> a              a 0-10      tis 10
**   1  a 10  b 0   -> b              b 1-11      tis 10
**   2  a 10  b 5   -> b              b 2-12      tis 10
**   3  a 10  b 10  -> a (tie), 10 is not > 10    a 10-20   tis 17
**   4  a 20  b 10  -> b              b 11-21     tis 17
**   5  a 20  b 15  -> best b, 15 > 10: diverted
** completed 5, diverted 1, tis 64 / 5.
*/
START_TEST(divert_above_wait)
{
    static const char yaml[] = "name: divert_wait\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - to: {choose: shortest_expected_wait, among: [a, b],\n"
                               "         divert_above_wait: 10 min}\n"
                               "    trace: data/choice_wait.csv\n"
                               "stations:\n"
                               "  a: {servers: 1, service: 10}\n"
                               "  b: {servers: 2, service: 10}\n";
    struct th t;
    th_run(&t, "divert_wait", yaml, 5);
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 5);
    th_exact(&t, th_cl(&t, "truck", TC_CM_DIVERTED), 1);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 64.0 / 5.0);
    th_exact(&t, th_st(&t, "a", TC_SM_ARRIVALS), 2);
    th_exact(&t, th_st(&t, "b", TC_SM_ARRIVALS), 3);
    th_done(&t);
}
END_TEST

/*
** most_room: a capacity 2, b capacity 3, 1 server and service 10 each.
** Arrivals 0..6 (data/choice_room.csv), room a / b:
**   0  2 / 3 -> b   b 0-10                     tis 10
**   1  2 / 2 -> a   a 1-11                     tis 10
**   2  1 / 2 -> b   b 10-20                    tis 18
**   3  1 / 1 -> a   a 11-21                    tis 18
**   4  0 / 1 -> b   b 20-30                    tis 26
**   5  both full, room 0 / 0 -> a's road; in at 11, a 21-31    tis 26
**   6  both full -> a's road; in at 21, a 31-41                tis 35
** tis 143 / 7; road_wait (6 + 15) / 7 = 3; a's road held trucks 21 min of
** 100, b's (a road too: a stream may choose b) none.
*/
START_TEST(most_room_full)
{
    static const char yaml[] = "name: room\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - {to: {choose: most_room, among: [a, b]}, trace: "
                               "data/choice_room.csv}\n"
                               "stations:\n"
                               "  a: {servers: 1, capacity: 2, service: 10}\n"
                               "  b: {servers: 1, capacity: 3, service: 10}\n";
    struct th t;
    th_run(&t, "room", yaml, 6);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 143.0 / 7.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_ROAD_WAIT), 3);
    th_exact(&t, th_road(&t, "a", TC_RM_TRUCKS), 0.21);
    th_exact(&t, th_road(&t, "a", TC_RM_MAX_TRUCKS), 2);
    th_exact(&t, th_road(&t, "b", TC_RM_TRUCKS), 0);
    th_exact(&t, th_st(&t, "a", TC_SM_ARRIVALS), 4);
    th_done(&t);
}
END_TEST

/*
** A closed member is skipped while an open one has room: fewest_present
** over a and b (1 server, service 10), a closed on [0, 20). Arrivals 0 1 2
** 25 (data/choice_closed.csv):
**   0, 1, 2 -> b (a is closed, though emptier): b 0-10, 10-20, 20-30
**           tis 10, 19, 28
**   25      a open, a 0 b 1 -> a: 25-35   tis 10
** tis 67 / 4.
*/
START_TEST(closed_skipped)
{
    static const char yaml[] = "name: closed\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - {to: {choose: fewest_present, among: [a, b]}, trace: "
                               "data/choice_closed.csv}\n"
                               "stations:\n"
                               "  a: {servers: 1, service: 10}\n"
                               "  b: {servers: 1, service: 10}\n"
                               "events:\n"
                               "  - {station: a, close: 0, reopen: 20}\n";
    struct th t;
    th_run(&t, "closed", yaml, 3);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 67.0 / 4.0);
    th_exact(&t, th_st(&t, "a", TC_SM_ARRIVALS), 1);
    th_exact(&t, th_st(&t, "b", TC_SM_ARRIVALS), 3);
    th_done(&t);
}
END_TEST

/*
** A station's next: choosing, per class: gate (unlimited servers, service
** 1) -> {fewest_present, among [a, b], fruit only b, divert_above 1}; a and
** b 1 server, service 10. Arrivals (data/choice_next.csv), leaving the gate
** a minute later:
**   0 general  at 1: a 0 b 0 -> a      a 1-11    tis 11
**   1 general  at 2: a 1 b 0 -> b      b 2-12    tis 11
**   2 fruit    at 3: b only, b 1 -> b  b 12-22   tis 20
**   3 general  at 4: a 1 b 2 -> a      a 11-21   tis 18
**   4 fruit    at 5: b 2 > 1: diverted after the gate
** general tis 40 / 3, diverted 0; fruit tis 20, diverted 1.
*/
START_TEST(next_per_class)
{
    static const char yaml[] = "name: next\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "classes: {fruit: {}, general: {}}\n"
                               "arrivals:\n"
                               "  - {to: gate, trace: data/choice_next.csv}\n"
                               "stations:\n"
                               "  gate:\n"
                               "    servers: unlimited\n"
                               "    service: 1\n"
                               "    next: {choose: fewest_present, among: [a, b], classes: {fruit: "
                               "[b]}, divert_above: 1}\n"
                               "  a: {servers: 1, service: 10}\n"
                               "  b: {servers: 1, service: 10}\n";
    struct th t;
    th_run(&t, "next", yaml, 6);
    th_exact(&t, th_cl(&t, "general", TC_CM_TIME_IN_SYSTEM), 40.0 / 3.0);
    th_exact(&t, th_cl(&t, "general", TC_CM_DIVERTED), 0);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_TIME_IN_SYSTEM), 20);
    th_exact(&t, th_cl(&t, "fruit", TC_CM_DIVERTED), 1);
    th_exact(&t, th_st(&t, "gate", TC_SM_DEPARTURES), 5);
    th_exact(&t, th_st(&t, "b", TC_SM_ARRIVALS), 2);
    th_done(&t);
}
END_TEST

/*
** fewest_waiting counts only trucks not in service: a has 1 server, b 3,
** service 10. Arrivals 0..5 (data/choice_wait.csv), waiting at a / b:
**   0  0 / 0 -> a         a 0-10     tis 10
**   1  0 / 0 -> a (tie; in service is not waiting)   a 10-20   tis 19
**   2  1 / 0 -> b         b 2-12     tis 10
**   3  1 / 0 -> b         b 3-13     tis 10
**   4  1 / 0 -> b         b 4-14     tis 10
**   5  1 / 0 -> b (its 3 servers busy: it waits)     b 12-22   tis 17
** tis 76 / 6; fewest_present would have sent the second truck to b.
*/
START_TEST(fewest_waiting_servers)
{
    static const char yaml[] = "name: waiting\n"
                               "horizon: 100\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - {to: {choose: fewest_waiting, among: [a, b]}, trace: "
                               "data/choice_wait.csv}\n"
                               "stations:\n"
                               "  a: {servers: 1, service: 10}\n"
                               "  b: {servers: 3, service: 10}\n";
    struct th t;
    th_run(&t, "waiting", yaml, 3);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 76.0 / 6.0);
    th_exact(&t, th_st(&t, "a", TC_SM_ARRIVALS), 2);
    th_exact(&t, th_st(&t, "b", TC_SM_ARRIVALS), 4);
    th_done(&t);
}
END_TEST

static Suite *choice_suite(void)
{
    Suite *s = suite_create("border_choice");
    TCase *tc = tcase_create("choice");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, divert_above_present);
    tcase_add_test(tc, divert_above_wait);
    tcase_add_test(tc, most_room_full);
    tcase_add_test(tc, closed_skipped);
    tcase_add_test(tc, next_per_class);
    tcase_add_test(tc, fewest_waiting_servers);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(choice_suite)
