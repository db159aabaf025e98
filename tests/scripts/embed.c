/* embed: a program outside the tree that uses libtcsim through pkg-config. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <tcsim/metrics.h>
#include <tcsim/output.h>
#include <tcsim/runner.h>
#include <tcsim/scenario.h>
#include <tcsim/sweep.h>

/*
** A sweep through the library alone: servers 1 and 2 of the D/D/c below;
** busy time 65 of 100 minutes gives utilization 0.65 and 0.325 exactly.
*/
static int sweep_in(const char *tmp)
{
    char path[512], dir[512], probe[600];
    snprintf(path, sizeof(path), "%s/dd.yaml", tmp);
    snprintf(dir, sizeof(dir), "%s/sweep", tmp);
    FILE *f = fopen(path, "w");
    if (!f)
        return 0;
    fputs("name: embedded D/D/c sweep\nhorizon: 100\n"
          "arrivals: [{to: q, interarrival: 3}]\nstations: {q: {service: 2}}\n",
          f);
    fclose(f);
    struct tc_sweep sw;
    tc_sweep_init(&sw);
    int ok = tc_sweep_add_vary(&sw, "stations.q.servers=1,2") == NULL;
    ok &= tc_sweep_check(&sw, path, NULL, 0, NULL, NULL, NULL) == 0;
    struct tc_sweep_status st;
    ok &= ok && tc_sweep_run(&sw, path, NULL, 0, dir, NULL, &st) == 0;
    ok &= ok && tc_sweep_commit(&sw, dir, NULL, NULL) == 0;
    for (size_t k = 0; ok && k < sw.n_kpis; k++)
        if (strcmp(sw.kpis[k].column, "stations.q.utilization") == 0) {
            double u1 = tc_sweep_stat(&sw, 0, k).mean, u2 = tc_sweep_stat(&sw, 1, k).mean;
            printf("sweep utilization %.6f %.6f\n", u1, u2);
            ok &= u1 > 0.6499999 && u1 < 0.6500001 && u2 > 0.3249999 && u2 < 0.3250001;
        }
    struct stat sb;
    snprintf(probe, sizeof(probe), "%s/sweep.csv", dir);
    ok &= stat(probe, &sb) == 0;
    snprintf(probe, sizeof(probe), "%s/stations.q.servers=2/summary.json", dir);
    ok &= stat(probe, &sb) == 0;
    tc_sweep_fini(&sw);
    return ok;
}

int main(int argc, char **argv)
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
    if (argc > 1) {
        int swept = sweep_in(argv[1]);
        printf("sweep through the library: %s\n", swept ? "ok" : "FAILED");
        ok &= swept;
    }
    return ok ? 0 : 1;
}
