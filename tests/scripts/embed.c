/* embed: a program outside the tree that uses libtcsim through pkg-config. */
#include <stdio.h>
#include <string.h>
#include <tcsim/metrics.h>
#include <tcsim/runner.h>
#include <tcsim/scenario.h>

int main(void)
{
    static const char yaml[] = "name: embedded M/D/1\n"
                               "horizon: 100\n"
                               "arrivals: [{to: q, trace: none.csv}]\n"
                               "stations: {q: {service: 2}}\n";
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc =
        tc_scenario_load_string(yaml, strlen(yaml), "embed", NULL, NULL, 0, &d);
    /* the trace file does not exist: the loader must say so, with its position */
    tc_diags_print(&d, stdout);
    int ok = sc == NULL && d.n_err == 1;
    tc_diags_fini(&d);

    static const char yaml2[] = "name: embedded D/D/1\n"
                                "horizon: 100\n"
                                "arrivals: [{to: q, interarrival: 3}]\n"
                                "stations: {q: {service: 2}}\n";
    tc_diags_init(&d);
    sc = tc_scenario_load_string(yaml2, strlen(yaml2), "embed", NULL, NULL, 0, &d);
    tc_diags_fini(&d);
    if (!sc)
        return 1;
    struct tc_run run;
    tc_runner_run(&run, sc, 1, NULL, NULL);
    /* arrivals at 3, 6, ..., 99: 33 services of 2, the last cut by the
       horizon at 100 after 1: busy 32 * 2 + 1 = 65 of 100 */
    double util = run.stats[tc_metrics_station(&run.metrics, 0, TC_SM_UTILIZATION)].mean;
    printf("utilization %.6f\n", util);
    ok &= util > 0.6499999 && util < 0.6500001;
    tc_run_fini(&run);
    tc_scenario_free(sc);
    return ok ? 0 : 1;
}
