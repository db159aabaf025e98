/*
** Routing and admission at the border against hand-computed traces:
** occupancy (servers held by trucks in service, blocked or suspended).
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

static Suite *routing_suite(void)
{
    Suite *s = suite_create("routing");
    TCase *tc = tcase_create("routing");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, occupied_blocking_chain);
    tcase_add_test(tc, occupied_after_a_cut);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(routing_suite)
