/*
** Deterministic cases: replayed trace arrivals (the CSV files in tests/theory/data)
** with constant service, one replication, warmup 0, every truck done before
** the horizon. Each truck's history is worked out by hand below, with the
** engine's same-time rule: service ends before arrivals, rows at the same
** time arrive in file order. Time averages are integrals over [0, horizon]
** divided by the horizon. Time-in-system percentiles come from a
** histogram reported at bucket midpoints clamped to [min, max]; the traces
** are built so that the median is the maximum, which makes it exact.
** Tolerance 1e-9 (TH_EXACT_TOL).
*/
#include "tc_theory.h"

/*
** One server, service 2, arrivals 0 0 4 4 7 8 10, horizon 20.
**   truck  arrive  start  end  wait  time in system
**   1      0       0      2    0     2
**   2      0       2      4    2     4
**   3      4       4      6    0     2   arrives as 2 ends: starts at once
**   4      4       6      8    2     4
**   5      7       8      10   1     3
**   6      8       10     12   2     4
**   7      10      12     14   2     4   arrives as 5 ends, 6 goes first
** waits 9, times 23, busy [0, 14]. Sorted times 2 2 3 4 4 4 4: median 4.
*/
START_TEST(single_server_ties)
{
    static const char yaml[] = "name: trace with ties\n"
                               "horizon: 20\n"
                               "warmup: 0\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - {to: server, trace: data/ties.csv}\n"
                               "stations:\n"
                               "  server:\n"
                               "    servers: 1\n"
                               "    service: 2\n"
                               "    next: exit\n";
    struct th t;
    th_run(&t, "trace_ties", yaml, 10);
    th_exact(&t, th_st(&t, "server", TC_SM_WAIT), 9.0 / 7.0);
    th_exact(&t, th_st(&t, "server", TC_SM_SOJOURN), 23.0 / 7.0);
    th_exact(&t, th_st(&t, "server", TC_SM_UTILIZATION), 14.0 / 20.0);
    th_exact(&t, th_st(&t, "server", TC_SM_IN_STATION), 23.0 / 20.0);
    th_exact(&t, th_st(&t, "server", TC_SM_WAITING), 9.0 / 20.0);
    th_exact(&t, th_st(&t, "server", TC_SM_DEPARTURES), 7.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 23.0 / 7.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIS_P50), 4.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIS_MAX), 4.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 7.0);
    th_done(&t);
}
END_TEST

/*
** Blocking after service: A (1 server, service 2) -> B (1 server, capacity
** 1, service 5) -> exit; arrivals 0 1 2 7 12, horizon 30.
**   truck  arrive  A start  A end  blocked   enters B  exits  wait A  in A  time
**   1      0       0        2      -         2         7      0       2     7
**   2      1       2        4      4 - 7     7         12     1       6     11
**   3      2       7        9      9 - 12    12        17     5       10    15
**   4      7       12       14     14 - 17   17        22     5       10    15
**   5      12      17       19     19 - 22   22        27     5       10    15
** At 7 (and 12, 17, 22) B's truck leaves, the blocked truck moves into B,
** which frees A's server for the next waiting truck, all at that instant;
** the arrivals at 7 and 12 come after and wait. A: waits 16, present 38,
** blocked 12, serving 10 (a blocked truck is not in service). B: every
** truck starts on entry, present 25 = serving. Times 7 11 15 15 15: median 15.
*/
START_TEST(chain_with_blocking)
{
    static const char yaml[] = "name: trace through a blocking chain\n"
                               "horizon: 30\n"
                               "warmup: 0\n"
                               "replications: 1\n"
                               "arrivals:\n"
                               "  - {to: A, trace: data/chain.csv}\n"
                               "stations:\n"
                               "  A:\n"
                               "    servers: 1\n"
                               "    service: 2\n"
                               "    next: B\n"
                               "  B:\n"
                               "    servers: 1\n"
                               "    capacity: 1\n"
                               "    service: 5\n"
                               "    next: exit\n";
    struct th t;
    th_run(&t, "trace_chain", yaml, 15);
    th_exact(&t, th_st(&t, "A", TC_SM_WAIT), 16.0 / 5.0);
    th_exact(&t, th_st(&t, "A", TC_SM_SOJOURN), 38.0 / 5.0);
    th_exact(&t, th_st(&t, "A", TC_SM_IN_STATION), 38.0 / 30.0);
    th_exact(&t, th_st(&t, "A", TC_SM_WAITING), 16.0 / 30.0);
    th_exact(&t, th_st(&t, "A", TC_SM_BLOCKED), 12.0 / 30.0);
    th_exact(&t, th_st(&t, "A", TC_SM_UTILIZATION), 10.0 / 30.0);
    th_exact(&t, th_st(&t, "B", TC_SM_WAIT), 0.0);
    th_exact(&t, th_st(&t, "B", TC_SM_SOJOURN), 5.0);
    th_exact(&t, th_st(&t, "B", TC_SM_IN_STATION), 25.0 / 30.0);
    th_exact(&t, th_st(&t, "B", TC_SM_UTILIZATION), 25.0 / 30.0);
    th_exact(&t, th_st(&t, "B", TC_SM_BLOCKED), 0.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), 63.0 / 5.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIS_P50), 15.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_TIS_MAX), 15.0);
    th_exact(&t, th_cl(&t, "truck", TC_CM_COMPLETED), 5.0);
    th_done(&t);
}
END_TEST

/*
** Non-preemptive priority, one server, service 2; trace with a class
** column (hi before lo), horizon 20.
**   truck  class  arrive  start  end  wait  time
**   L1     lo     0       0      2    0     2
**   H1     hi     0       2      4    2     4   after L1 in file order: waits
**   L2     lo     0       6      8    6     8
**   L3     lo     2       8      10   6     8
**   H2     hi     3       4      6    1     3   overtakes L2 and L3
**   H3     hi     8       10     12   2     4   arrives as L2 ends: L3, already
**                                               waiting, starts first
** waits 17 (hi 5, lo 12), times 29, busy [0, 12]. hi times 3 4 4, lo 2 8 8:
** each median is its maximum.
*/
START_TEST(priority_trace)
{
    static const char yaml[] = "name: trace with priorities\n"
                               "horizon: 20\n"
                               "warmup: 0\n"
                               "replications: 1\n"
                               "classes:\n"
                               "  hi: {priority: 1}\n"
                               "  lo: {priority: 2}\n"
                               "arrivals:\n"
                               "  - {to: server, trace: data/priority.csv}\n"
                               "stations:\n"
                               "  server:\n"
                               "    servers: 1\n"
                               "    discipline: priority\n"
                               "    service: 2\n"
                               "    next: exit\n";
    struct th t;
    th_run(&t, "trace_prio", yaml, 13);
    th_exact(&t, th_st(&t, "server", TC_SM_WAIT), 17.0 / 6.0);
    th_exact(&t, th_st(&t, "server", TC_SM_SOJOURN), 29.0 / 6.0);
    th_exact(&t, th_st(&t, "server", TC_SM_UTILIZATION), 12.0 / 20.0);
    th_exact(&t, th_st(&t, "server", TC_SM_IN_STATION), 29.0 / 20.0);
    th_exact(&t, th_st(&t, "server", TC_SM_WAITING), 17.0 / 20.0);
    th_exact(&t, th_stcl(&t, "server", "hi", TC_SCM_WAIT), 5.0 / 3.0);
    th_exact(&t, th_stcl(&t, "server", "lo", TC_SCM_WAIT), 12.0 / 3.0);
    th_exact(&t, th_cl(&t, "hi", TC_CM_TIME_IN_SYSTEM), 11.0 / 3.0);
    th_exact(&t, th_cl(&t, "hi", TC_CM_TIS_P50), 4.0);
    th_exact(&t, th_cl(&t, "hi", TC_CM_TIS_MAX), 4.0);
    th_exact(&t, th_cl(&t, "lo", TC_CM_TIME_IN_SYSTEM), 18.0 / 3.0);
    th_exact(&t, th_cl(&t, "lo", TC_CM_TIS_P50), 8.0);
    th_exact(&t, th_cl(&t, "lo", TC_CM_TIS_MAX), 8.0);
    th_done(&t);
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("theory_trace");
    TCase *tc = tcase_create("trace");
    tcase_add_test(tc, single_server_ties);
    tcase_add_test(tc, chain_with_blocking);
    tcase_add_test(tc, priority_trace);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(trace_suite)
