/*
** output: a tc_run built by hand (2 stations, 2 classes, one entry station,
** 3 replications with chosen values) and the exact bytes of summary.json,
** summary.csv, timeseries.csv and the stdout table. Every value is i / 4
** (exact in binary) except a few chosen to exercise the reduction and the
** formatter: a spread {1, 2, 3}, a NaN replication, an all-NaN metric (null
** / empty fields), 1/3 (needs %.17g) and a road with {10, 20, 60}. The
** ci95 texts were checked against closed forms: t_{0.975,2} =
** 0.95 / sqrt(0.04875) = 4.302652729749464 (x 1/sqrt(3) = 2.48413771175033)
** and t_{0.975,1} = tan(0.475 pi) = 12.7062047361747; the road's
** s = sqrt(700) gives 65.7241060772843.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xmem.h"
#include "tc_check.h"
#include "tcsim/output.h"

static char s_name[] = "Border \"test\", v1";
static char s_yard[] = "yard", s_customs[] = "customs \"B\"";
static char c_fruit[] = "fruit", c_general[] = "general, mixed";
static char src_name[] = "fruit_in";

struct fixture {
    struct tc_scenario sc;
    struct tc_station st[2];
    struct tc_class cl[2];
    struct tc_source src[1];
    struct tc_dist service[2][2];
    struct tc_run run;
};

static struct fixture fx;

/* A complete enough scenario that tc_scenario_emit can write it too. */
static void build_scenario(struct fixture *x)
{
    memset(x, 0, sizeof(*x));
    struct tc_scenario *sc = &x->sc;
    sc->name = s_name;
    sc->time_unit = TC_TU_MIN;
    sc->horizon = 2880;
    sc->warmup = 1440;
    sc->sample_every = 60;
    sc->truck_length_m = 25;
    sc->replications = 3;
    sc->seed = 20211201;
    char *names[2] = {s_yard, s_customs};
    for (uint32_t s = 0; s < 2; s++) {
        struct tc_station *st = &x->st[s];
        st->name = names[s];
        st->servers = s == 0 ? TC_UNLIMITED : 2;
        st->capacity = s == 0 ? 100 : TC_UNLIMITED;
        for (uint32_t c = 0; c < 2; c++)
            tc_dist_init_constant(&x->service[s][c], s == 0 ? 0 : 20);
        st->service = x->service[s];
        st->next.kind = TC_ROUTE_FIXED;
        st->next.to = s == 0 ? 1 : TC_EXIT;
        st->daily_limit = TC_UNLIMITED;
    }
    char *cnames[2] = {c_fruit, c_general};
    for (uint32_t c = 0; c < 2; c++) {
        x->cl[c].name = cnames[c];
        x->cl[c].shelf_life = (double)INFINITY;
    }
    x->src[0] = (struct tc_source){.name = src_name,
                                   .class_id = 0,
                                   .to = 0,
                                   .kind = TC_SRC_RATE,
                                   .rate_per_t = 0.05,
                                   .t_start = 0,
                                   .t_end = (double)INFINITY,
                                   .batch = 1};
    sc->stations = x->st;
    sc->n_stations = 2;
    sc->classes = x->cl;
    sc->n_classes = 2;
    sc->sources = x->src;
    sc->n_sources = 1;
}

/* Sets metric i in the three replications. */
static void set3(struct tc_run *run, size_t i, double a, double b, double c)
{
    run->values[0 * run->metrics.n + i] = a;
    run->values[1 * run->metrics.n + i] = b;
    run->values[2 * run->metrics.n + i] = c;
}

static void build_run(struct fixture *x)
{
    build_scenario(x);
    struct tc_run *run = &x->run;
    run->sc = &x->sc;
    tc_metrics_init(&run->metrics, &x->sc);
    const struct tc_metrics *m = &run->metrics;
    run->n_reps = 3;
    run->values = tc_xcalloc(3 * m->n, sizeof(double));
    for (size_t i = 0; i < m->n; i++)
        set3(run, i, (double)i / 4, (double)i / 4, (double)i / 4);
    set3(run, tc_metrics_station(m, 0, TC_SM_WAIT), 1, 2, 3);
    set3(run, tc_metrics_station(m, 1, TC_SM_WAIT), (double)NAN, 4, 6);
    set3(run, tc_metrics_station(m, 1, TC_SM_UTILIZATION), 1.0 / 3, 1.0 / 3, 1.0 / 3);
    set3(run, tc_metrics_class(m, 0, TC_CM_BOOKING_DELAY), (double)NAN, (double)NAN, (double)NAN);
    set3(run, tc_metrics_road(m, 0, TC_RM_TRUCKS), 10, 20, 60);
    run->stats = tc_xcalloc(m->n, sizeof(*run->stats));
    for (size_t i = 0; i < m->n; i++)
        tc_stat_reduce(run->values + i, run->n_reps, m->n, &run->stats[i]);

    /* Series: stations get distinct small counts; the road row is trucks, trucks, 0, 0. */
    run->n_samples = 2;
    run->n_series = 3;
    run->series = tc_series_new(&x->sc, m, 3);
    double rows[3 * TC_TS__COUNT];
    /* replications fed interleaved, as threads would, and in reverse order */
    for (uint32_t k = 0; k < 2; k++)
        for (uint32_t r = 3; r-- > 0;) {
            for (uint32_t j = 0; j < 3; j++) {
                double base = 100.0 * r + 10.0 * k + 4.0 * j;
                for (int c = 0; c < TC_TS__COUNT; c++)
                    rows[j * TC_TS__COUNT + c] = j < 2 ? base + c : c < 2 ? 5.0 * r + k : 0;
            }
            tc_series_put(run->series, r, k, rows);
        }
    for (uint32_t r = 0; r < 3; r++)
        tc_series_end_rep(run->series, r);
}

static void setup(void)
{
    build_run(&fx);
}

static void teardown(void)
{
    tc_run_fini(&fx.run);
}

/* Runs a writer on a memstream; returns the bytes (free them). */
static char *capture(int (*fn)(const struct tc_run *, FILE *), const struct tc_run *run)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fn(run, f), 0);
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

/* ---- the expected bytes ---- */

static const char golden_json[] =
    "{\n"
    "  \"tcsim\": \"0.1.0\",\n"
    "  \"scenario\": \"Border \\\"test\\\", v1\",\n"
    "  \"time_unit\": \"min\",\n"
    "  \"horizon\": 2880,\n"
    "  \"warmup\": 1440,\n"
    "  \"replications\": 3,\n"
    "  \"seed\": 20211201,\n"
    "  \"stations\": {\n"
    "    \"yard\": {\n"
    "      \"wait\": {\"mean\": 2, \"ci95\": 2.4841377117503303, \"min\": 1, \"max\": 3, \"n\": "
    "3},\n"
    "      \"sojourn\": {\"mean\": 0.25, \"ci95\": 0, \"min\": 0.25, \"max\": 0.25, \"n\": 3},\n"
    "      \"in_station\": {\"mean\": 0.5, \"ci95\": 0, \"min\": 0.5, \"max\": 0.5, \"n\": 3},\n"
    "      \"waiting\": {\"mean\": 0.75, \"ci95\": 0, \"min\": 0.75, \"max\": 0.75, \"n\": 3},\n"
    "      \"utilization\": {\"mean\": 1, \"ci95\": 0, \"min\": 1, \"max\": 1, \"n\": 3},\n"
    "      \"blocked\": {\"mean\": 1.25, \"ci95\": 0, \"min\": 1.25, \"max\": 1.25, \"n\": 3},\n"
    "      \"arrivals\": {\"mean\": 1.5, \"ci95\": 0, \"min\": 1.5, \"max\": 1.5, \"n\": 3},\n"
    "      \"departures\": {\"mean\": 1.75, \"ci95\": 0, \"min\": 1.75, \"max\": 1.75, \"n\": 3},\n"
    "      \"rejected_fraction\": {\"mean\": 2, \"ci95\": 0, \"min\": 2, \"max\": 2, \"n\": 3},\n"
    "      \"throughput_per_day\": {\"mean\": 2.25, \"ci95\": 0, \"min\": 2.25, \"max\": 2.25, "
    "\"n\": 3},\n"
    "      \"busy\": {\"mean\": 2.5, \"ci95\": 0, \"min\": 2.5, \"max\": 2.5, \"n\": 3},\n"
    "      \"stay\": {\"mean\": 2.75, \"ci95\": 0, \"min\": 2.75, \"max\": 2.75, \"n\": 3},\n"
    "      \"departures_all\": {\"mean\": 3, \"ci95\": 0, \"min\": 3, \"max\": 3, \"n\": 3},\n"
    "      \"occupied\": {\"mean\": 3.25, \"ci95\": 0, \"min\": 3.25, \"max\": 3.25, \"n\": 3},\n"
    "      \"by_class\": {\n"
    "        \"fruit\": {\n"
    "          \"wait\": {\"mean\": 7, \"ci95\": 0, \"min\": 7, \"max\": 7, \"n\": 3},\n"
    "          \"sojourn\": {\"mean\": 7.25, \"ci95\": 0, \"min\": 7.25, \"max\": 7.25, \"n\": 3}\n"
    "        },\n"
    "        \"general, mixed\": {\n"
    "          \"wait\": {\"mean\": 7.5, \"ci95\": 0, \"min\": 7.5, \"max\": 7.5, \"n\": 3},\n"
    "          \"sojourn\": {\"mean\": 7.75, \"ci95\": 0, \"min\": 7.75, \"max\": 7.75, \"n\": 3}\n"
    "        }\n"
    "      }\n"
    "    },\n"
    "    \"customs \\\"B\\\"\": {\n"
    "      \"wait\": {\"mean\": 5, \"ci95\": 12.706204736174698, \"min\": 4, \"max\": 6, \"n\": "
    "2},\n"
    "      \"sojourn\": {\"mean\": 3.75, \"ci95\": 0, \"min\": 3.75, \"max\": 3.75, \"n\": 3},\n"
    "      \"in_station\": {\"mean\": 4, \"ci95\": 0, \"min\": 4, \"max\": 4, \"n\": 3},\n"
    "      \"waiting\": {\"mean\": 4.25, \"ci95\": 0, \"min\": 4.25, \"max\": 4.25, \"n\": 3},\n"
    "      \"utilization\": {\"mean\": 0.33333333333333331, \"ci95\": 0, \"min\": "
    "0.33333333333333331, \"max\": 0.33333333333333331, \"n\": 3},\n"
    "      \"blocked\": {\"mean\": 4.75, \"ci95\": 0, \"min\": 4.75, \"max\": 4.75, \"n\": 3},\n"
    "      \"arrivals\": {\"mean\": 5, \"ci95\": 0, \"min\": 5, \"max\": 5, \"n\": 3},\n"
    "      \"departures\": {\"mean\": 5.25, \"ci95\": 0, \"min\": 5.25, \"max\": 5.25, \"n\": 3},\n"
    "      \"rejected_fraction\": {\"mean\": 5.5, \"ci95\": 0, \"min\": 5.5, \"max\": 5.5, \"n\": "
    "3},\n"
    "      \"throughput_per_day\": {\"mean\": 5.75, \"ci95\": 0, \"min\": 5.75, \"max\": 5.75, "
    "\"n\": 3},\n"
    "      \"busy\": {\"mean\": 6, \"ci95\": 0, \"min\": 6, \"max\": 6, \"n\": 3},\n"
    "      \"stay\": {\"mean\": 6.25, \"ci95\": 0, \"min\": 6.25, \"max\": 6.25, \"n\": 3},\n"
    "      \"departures_all\": {\"mean\": 6.5, \"ci95\": 0, \"min\": 6.5, \"max\": 6.5, \"n\": "
    "3},\n"
    "      \"occupied\": {\"mean\": 6.75, \"ci95\": 0, \"min\": 6.75, \"max\": 6.75, \"n\": 3},\n"
    "      \"by_class\": {\n"
    "        \"fruit\": {\n"
    "          \"wait\": {\"mean\": 8, \"ci95\": 0, \"min\": 8, \"max\": 8, \"n\": 3},\n"
    "          \"sojourn\": {\"mean\": 8.25, \"ci95\": 0, \"min\": 8.25, \"max\": 8.25, \"n\": 3}\n"
    "        },\n"
    "        \"general, mixed\": {\n"
    "          \"wait\": {\"mean\": 8.5, \"ci95\": 0, \"min\": 8.5, \"max\": 8.5, \"n\": 3},\n"
    "          \"sojourn\": {\"mean\": 8.75, \"ci95\": 0, \"min\": 8.75, \"max\": 8.75, \"n\": 3}\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "  },\n"
    "  \"classes\": {\n"
    "    \"fruit\": {\n"
    "      \"time_in_system\": {\"mean\": 9, \"ci95\": 0, \"min\": 9, \"max\": 9, \"n\": 3},\n"
    "      \"time_in_system_p50\": {\"mean\": 9.25, \"ci95\": 0, \"min\": 9.25, \"max\": 9.25, "
    "\"n\": 3},\n"
    "      \"time_in_system_p90\": {\"mean\": 9.5, \"ci95\": 0, \"min\": 9.5, \"max\": 9.5, \"n\": "
    "3},\n"
    "      \"time_in_system_p95\": {\"mean\": 9.75, \"ci95\": 0, \"min\": 9.75, \"max\": 9.75, "
    "\"n\": 3},\n"
    "      \"time_in_system_p99\": {\"mean\": 10, \"ci95\": 0, \"min\": 10, \"max\": 10, \"n\": "
    "3},\n"
    "      \"time_in_system_max\": {\"mean\": 10.25, \"ci95\": 0, \"min\": 10.25, \"max\": 10.25, "
    "\"n\": 3},\n"
    "      \"road_wait\": {\"mean\": 10.5, \"ci95\": 0, \"min\": 10.5, \"max\": 10.5, \"n\": 3},\n"
    "      \"booking_delay\": {\"mean\": null, \"ci95\": null, \"min\": null, \"max\": null, "
    "\"n\": 0},\n"
    "      \"arrived\": {\"mean\": 11, \"ci95\": 0, \"min\": 11, \"max\": 11, \"n\": 3},\n"
    "      \"completed\": {\"mean\": 11.25, \"ci95\": 0, \"min\": 11.25, \"max\": 11.25, \"n\": "
    "3},\n"
    "      \"throughput_per_day\": {\"mean\": 11.5, \"ci95\": 0, \"min\": 11.5, \"max\": 11.5, "
    "\"n\": 3},\n"
    "      \"abandoned_fraction\": {\"mean\": 11.75, \"ci95\": 0, \"min\": 11.75, \"max\": 11.75, "
    "\"n\": 3},\n"
    "      \"spoiled_fraction\": {\"mean\": 12, \"ci95\": 0, \"min\": 12, \"max\": 12, \"n\": 3},\n"
    "      \"value_lost\": {\"mean\": 12.25, \"ci95\": 0, \"min\": 12.25, \"max\": 12.25, \"n\": "
    "3},\n"
    "      \"abandoned\": {\"mean\": 12.5, \"ci95\": 0, \"min\": 12.5, \"max\": 12.5, \"n\": 3},\n"
    "      \"rejected\": {\"mean\": 12.75, \"ci95\": 0, \"min\": 12.75, \"max\": 12.75, \"n\": "
    "3},\n"
    "      \"present_at_warmup\": {\"mean\": 13, \"ci95\": 0, \"min\": 13, \"max\": 13, \"n\": "
    "3},\n"
    "      \"present_at_end\": {\"mean\": 13.25, \"ci95\": 0, \"min\": 13.25, \"max\": 13.25, "
    "\"n\": 3},\n"
    "      \"diverted\": {\"mean\": 13.5, \"ci95\": 0, \"min\": 13.5, \"max\": 13.5, \"n\": 3},\n"
    "      \"truck_hours_per_day\": {\"mean\": 13.75, \"ci95\": 0, \"min\": 13.75, \"max\": 13.75, "
    "\"n\": 3}\n"
    "    },\n"
    "    \"general, mixed\": {\n"
    "      \"time_in_system\": {\"mean\": 14, \"ci95\": 0, \"min\": 14, \"max\": 14, \"n\": 3},\n"
    "      \"time_in_system_p50\": {\"mean\": 14.25, \"ci95\": 0, \"min\": 14.25, \"max\": 14.25, "
    "\"n\": 3},\n"
    "      \"time_in_system_p90\": {\"mean\": 14.5, \"ci95\": 0, \"min\": 14.5, \"max\": 14.5, "
    "\"n\": 3},\n"
    "      \"time_in_system_p95\": {\"mean\": 14.75, \"ci95\": 0, \"min\": 14.75, \"max\": 14.75, "
    "\"n\": 3},\n"
    "      \"time_in_system_p99\": {\"mean\": 15, \"ci95\": 0, \"min\": 15, \"max\": 15, \"n\": "
    "3},\n"
    "      \"time_in_system_max\": {\"mean\": 15.25, \"ci95\": 0, \"min\": 15.25, \"max\": 15.25, "
    "\"n\": 3},\n"
    "      \"road_wait\": {\"mean\": 15.5, \"ci95\": 0, \"min\": 15.5, \"max\": 15.5, \"n\": 3},\n"
    "      \"booking_delay\": {\"mean\": 15.75, \"ci95\": 0, \"min\": 15.75, \"max\": 15.75, "
    "\"n\": 3},\n"
    "      \"arrived\": {\"mean\": 16, \"ci95\": 0, \"min\": 16, \"max\": 16, \"n\": 3},\n"
    "      \"completed\": {\"mean\": 16.25, \"ci95\": 0, \"min\": 16.25, \"max\": 16.25, \"n\": "
    "3},\n"
    "      \"throughput_per_day\": {\"mean\": 16.5, \"ci95\": 0, \"min\": 16.5, \"max\": 16.5, "
    "\"n\": 3},\n"
    "      \"abandoned_fraction\": {\"mean\": 16.75, \"ci95\": 0, \"min\": 16.75, \"max\": 16.75, "
    "\"n\": 3},\n"
    "      \"spoiled_fraction\": {\"mean\": 17, \"ci95\": 0, \"min\": 17, \"max\": 17, \"n\": 3},\n"
    "      \"value_lost\": {\"mean\": 17.25, \"ci95\": 0, \"min\": 17.25, \"max\": 17.25, \"n\": "
    "3},\n"
    "      \"abandoned\": {\"mean\": 17.5, \"ci95\": 0, \"min\": 17.5, \"max\": 17.5, \"n\": 3},\n"
    "      \"rejected\": {\"mean\": 17.75, \"ci95\": 0, \"min\": 17.75, \"max\": 17.75, \"n\": "
    "3},\n"
    "      \"present_at_warmup\": {\"mean\": 18, \"ci95\": 0, \"min\": 18, \"max\": 18, \"n\": "
    "3},\n"
    "      \"present_at_end\": {\"mean\": 18.25, \"ci95\": 0, \"min\": 18.25, \"max\": 18.25, "
    "\"n\": 3},\n"
    "      \"diverted\": {\"mean\": 18.5, \"ci95\": 0, \"min\": 18.5, \"max\": 18.5, \"n\": 3},\n"
    "      \"truck_hours_per_day\": {\"mean\": 18.75, \"ci95\": 0, \"min\": 18.75, \"max\": 18.75, "
    "\"n\": 3}\n"
    "    }\n"
    "  },\n"
    "  \"roads\": {\n"
    "    \"yard\": {\n"
    "      \"trucks\": {\"mean\": 30, \"ci95\": 65.724106077284276, \"min\": 10, \"max\": 60, "
    "\"n\": 3},\n"
    "      \"km\": {\"mean\": 19.25, \"ci95\": 0, \"min\": 19.25, \"max\": 19.25, \"n\": 3},\n"
    "      \"max_trucks\": {\"mean\": 19.5, \"ci95\": 0, \"min\": 19.5, \"max\": 19.5, \"n\": 3}\n"
    "    }\n"
    "  },\n"
    "  \"network\": {\n"
    "    \"present\": {\"mean\": 19.75, \"ci95\": 0, \"min\": 19.75, \"max\": 19.75, \"n\": 3},\n"
    "    \"present_max\": {\"mean\": 20, \"ci95\": 0, \"min\": 20, \"max\": 20, \"n\": 3},\n"
    "    \"in_stations\": {\"mean\": 20.25, \"ci95\": 0, \"min\": 20.25, \"max\": 20.25, \"n\": "
    "3},\n"
    "    \"in_stations_max\": {\"mean\": 20.5, \"ci95\": 0, \"min\": 20.5, \"max\": 20.5, \"n\": "
    "3},\n"
    "    \"on_roads\": {\"mean\": 20.75, \"ci95\": 0, \"min\": 20.75, \"max\": 20.75, \"n\": 3},\n"
    "    \"on_roads_max\": {\"mean\": 21, \"ci95\": 0, \"min\": 21, \"max\": 21, \"n\": 3},\n"
    "    \"booked_waiting\": {\"mean\": 21.25, \"ci95\": 0, \"min\": 21.25, \"max\": 21.25, \"n\": "
    "3},\n"
    "    \"booked_waiting_max\": {\"mean\": 21.5, \"ci95\": 0, \"min\": 21.5, \"max\": 21.5, "
    "\"n\": 3},\n"
    "    \"truck_hours_per_day\": {\"mean\": 21.75, \"ci95\": 0, \"min\": 21.75, \"max\": 21.75, "
    "\"n\": 3},\n"
    "    \"time_in_system_p95\": {\"mean\": 22, \"ci95\": 0, \"min\": 22, \"max\": 22, \"n\": 3},\n"
    "    \"arrived_per_day\": {\"mean\": 22.25, \"ci95\": 0, \"min\": 22.25, \"max\": 22.25, "
    "\"n\": 3},\n"
    "    \"throughput_per_day\": {\"mean\": 22.5, \"ci95\": 0, \"min\": 22.5, \"max\": 22.5, "
    "\"n\": 3},\n"
    "    \"abandoned_per_day\": {\"mean\": 22.75, \"ci95\": 0, \"min\": 22.75, \"max\": 22.75, "
    "\"n\": 3},\n"
    "    \"spoiled_per_day\": {\"mean\": 23, \"ci95\": 0, \"min\": 23, \"max\": 23, \"n\": 3},\n"
    "    \"abandoned_fraction\": {\"mean\": 23.25, \"ci95\": 0, \"min\": 23.25, \"max\": 23.25, "
    "\"n\": 3},\n"
    "    \"spoiled_fraction\": {\"mean\": 23.5, \"ci95\": 0, \"min\": 23.5, \"max\": 23.5, \"n\": "
    "3},\n"
    "    \"cost_per_day\": {\"mean\": 23.75, \"ci95\": 0, \"min\": 23.75, \"max\": 23.75, \"n\": "
    "3},\n"
    "    \"cost_trucks_per_day\": {\"mean\": 24, \"ci95\": 0, \"min\": 24, \"max\": 24, \"n\": "
    "3},\n"
    "    \"cost_servers_per_day\": {\"mean\": 24.25, \"ci95\": 0, \"min\": 24.25, \"max\": 24.25, "
    "\"n\": 3},\n"
    "    \"cost_losses_per_day\": {\"mean\": 24.5, \"ci95\": 0, \"min\": 24.5, \"max\": 24.5, "
    "\"n\": 3},\n"
    "    \"idle_fuel_l_per_day\": {\"mean\": 24.75, \"ci95\": 0, \"min\": 24.75, \"max\": 24.75, "
    "\"n\": 3},\n"
    "    \"co2_kg_per_day\": {\"mean\": 25, \"ci95\": 0, \"min\": 25, \"max\": 25, \"n\": 3}\n"
    "  }\n"
    "}\n";

static const char golden_csv[] =
    "scope,name,class,metric,mean,ci95,min,max,n,unit,path\n"
    "station,yard,,wait,2,2.4841377117503303,1,3,3,min,stations.yard.wait\n"
    "station,yard,,sojourn,0.25,0,0.25,0.25,3,min,stations.yard.sojourn\n"
    "station,yard,,in_station,0.5,0,0.5,0.5,3,trucks,stations.yard.in_station\n"
    "station,yard,,waiting,0.75,0,0.75,0.75,3,trucks,stations.yard.waiting\n"
    "station,yard,,utilization,1,0,1,1,3,fraction,stations.yard.utilization\n"
    "station,yard,,blocked,1.25,0,1.25,1.25,3,trucks,stations.yard.blocked\n"
    "station,yard,,arrivals,1.5,0,1.5,1.5,3,trucks,stations.yard.arrivals\n"
    "station,yard,,departures,1.75,0,1.75,1.75,3,trucks,stations.yard.departures\n"
    "station,yard,,rejected_fraction,2,0,2,2,3,fraction,stations.yard.rejected_fraction\n"
    "station,yard,,throughput_per_day,2.25,0,2.25,2.25,3,trucks/"
    "d,stations.yard.throughput_per_day\n"
    "station,yard,,busy,2.5,0,2.5,2.5,3,trucks,stations.yard.busy\n"
    "station,yard,,stay,2.75,0,2.75,2.75,3,min,stations.yard.stay\n"
    "station,yard,,departures_all,3,0,3,3,3,trucks,stations.yard.departures_all\n"
    "station,yard,,occupied,3.25,0,3.25,3.25,3,fraction,stations.yard.occupied\n"
    "station,\"customs \"\"B\"\"\",,wait,5,12.706204736174698,4,6,2,min,\"stations.customs "
    "\"\"B\"\".wait\"\n"
    "station,\"customs \"\"B\"\"\",,sojourn,3.75,0,3.75,3.75,3,min,\"stations.customs "
    "\"\"B\"\".sojourn\"\n"
    "station,\"customs \"\"B\"\"\",,in_station,4,0,4,4,3,trucks,\"stations.customs "
    "\"\"B\"\".in_station\"\n"
    "station,\"customs \"\"B\"\"\",,waiting,4.25,0,4.25,4.25,3,trucks,\"stations.customs "
    "\"\"B\"\".waiting\"\n"
    "station,\"customs "
    "\"\"B\"\"\",,utilization,0.33333333333333331,0,0.33333333333333331,0.33333333333333331,3,"
    "fraction,\"stations.customs \"\"B\"\".utilization\"\n"
    "station,\"customs \"\"B\"\"\",,blocked,4.75,0,4.75,4.75,3,trucks,\"stations.customs "
    "\"\"B\"\".blocked\"\n"
    "station,\"customs \"\"B\"\"\",,arrivals,5,0,5,5,3,trucks,\"stations.customs "
    "\"\"B\"\".arrivals\"\n"
    "station,\"customs \"\"B\"\"\",,departures,5.25,0,5.25,5.25,3,trucks,\"stations.customs "
    "\"\"B\"\".departures\"\n"
    "station,\"customs \"\"B\"\"\",,rejected_fraction,5.5,0,5.5,5.5,3,fraction,\"stations.customs "
    "\"\"B\"\".rejected_fraction\"\n"
    "station,\"customs "
    "\"\"B\"\"\",,throughput_per_day,5.75,0,5.75,5.75,3,trucks/d,\"stations.customs "
    "\"\"B\"\".throughput_per_day\"\n"
    "station,\"customs \"\"B\"\"\",,busy,6,0,6,6,3,trucks,\"stations.customs \"\"B\"\".busy\"\n"
    "station,\"customs \"\"B\"\"\",,stay,6.25,0,6.25,6.25,3,min,\"stations.customs "
    "\"\"B\"\".stay\"\n"
    "station,\"customs \"\"B\"\"\",,departures_all,6.5,0,6.5,6.5,3,trucks,\"stations.customs "
    "\"\"B\"\".departures_all\"\n"
    "station,\"customs \"\"B\"\"\",,occupied,6.75,0,6.75,6.75,3,fraction,\"stations.customs "
    "\"\"B\"\".occupied\"\n"
    "station,yard,fruit,wait,7,0,7,7,3,min,stations.yard.by_class.fruit.wait\n"
    "station,yard,fruit,sojourn,7.25,0,7.25,7.25,3,min,stations.yard.by_class.fruit.sojourn\n"
    "station,yard,\"general, mixed\",wait,7.5,0,7.5,7.5,3,min,\"stations.yard.by_class.general, "
    "mixed.wait\"\n"
    "station,yard,\"general, "
    "mixed\",sojourn,7.75,0,7.75,7.75,3,min,\"stations.yard.by_class.general, mixed.sojourn\"\n"
    "station,\"customs \"\"B\"\"\",fruit,wait,8,0,8,8,3,min,\"stations.customs "
    "\"\"B\"\".by_class.fruit.wait\"\n"
    "station,\"customs \"\"B\"\"\",fruit,sojourn,8.25,0,8.25,8.25,3,min,\"stations.customs "
    "\"\"B\"\".by_class.fruit.sojourn\"\n"
    "station,\"customs \"\"B\"\"\",\"general, mixed\",wait,8.5,0,8.5,8.5,3,min,\"stations.customs "
    "\"\"B\"\".by_class.general, mixed.wait\"\n"
    "station,\"customs \"\"B\"\"\",\"general, "
    "mixed\",sojourn,8.75,0,8.75,8.75,3,min,\"stations.customs \"\"B\"\".by_class.general, "
    "mixed.sojourn\"\n"
    "class,fruit,,time_in_system,9,0,9,9,3,min,classes.fruit.time_in_system\n"
    "class,fruit,,time_in_system_p50,9.25,0,9.25,9.25,3,min,classes.fruit.time_in_system_p50\n"
    "class,fruit,,time_in_system_p90,9.5,0,9.5,9.5,3,min,classes.fruit.time_in_system_p90\n"
    "class,fruit,,time_in_system_p95,9.75,0,9.75,9.75,3,min,classes.fruit.time_in_system_p95\n"
    "class,fruit,,time_in_system_p99,10,0,10,10,3,min,classes.fruit.time_in_system_p99\n"
    "class,fruit,,time_in_system_max,10.25,0,10.25,10.25,3,min,classes.fruit.time_in_system_max\n"
    "class,fruit,,road_wait,10.5,0,10.5,10.5,3,min,classes.fruit.road_wait\n"
    "class,fruit,,booking_delay,,,,,0,min,classes.fruit.booking_delay\n"
    "class,fruit,,arrived,11,0,11,11,3,trucks,classes.fruit.arrived\n"
    "class,fruit,,completed,11.25,0,11.25,11.25,3,trucks,classes.fruit.completed\n"
    "class,fruit,,throughput_per_day,11.5,0,11.5,11.5,3,trucks/d,classes.fruit.throughput_per_day\n"
    "class,fruit,,abandoned_fraction,11.75,0,11.75,11.75,3,fraction,classes.fruit.abandoned_"
    "fraction\n"
    "class,fruit,,spoiled_fraction,12,0,12,12,3,fraction,classes.fruit.spoiled_fraction\n"
    "class,fruit,,value_lost,12.25,0,12.25,12.25,3,value,classes.fruit.value_lost\n"
    "class,fruit,,abandoned,12.5,0,12.5,12.5,3,trucks,classes.fruit.abandoned\n"
    "class,fruit,,rejected,12.75,0,12.75,12.75,3,trucks,classes.fruit.rejected\n"
    "class,fruit,,present_at_warmup,13,0,13,13,3,trucks,classes.fruit.present_at_warmup\n"
    "class,fruit,,present_at_end,13.25,0,13.25,13.25,3,trucks,classes.fruit.present_at_end\n"
    "class,fruit,,diverted,13.5,0,13.5,13.5,3,trucks,classes.fruit.diverted\n"
    "class,fruit,,truck_hours_per_day,13.75,0,13.75,13.75,3,truck-h/"
    "d,classes.fruit.truck_hours_per_day\n"
    "class,\"general, mixed\",,time_in_system,14,0,14,14,3,min,\"classes.general, "
    "mixed.time_in_system\"\n"
    "class,\"general, mixed\",,time_in_system_p50,14.25,0,14.25,14.25,3,min,\"classes.general, "
    "mixed.time_in_system_p50\"\n"
    "class,\"general, mixed\",,time_in_system_p90,14.5,0,14.5,14.5,3,min,\"classes.general, "
    "mixed.time_in_system_p90\"\n"
    "class,\"general, mixed\",,time_in_system_p95,14.75,0,14.75,14.75,3,min,\"classes.general, "
    "mixed.time_in_system_p95\"\n"
    "class,\"general, mixed\",,time_in_system_p99,15,0,15,15,3,min,\"classes.general, "
    "mixed.time_in_system_p99\"\n"
    "class,\"general, mixed\",,time_in_system_max,15.25,0,15.25,15.25,3,min,\"classes.general, "
    "mixed.time_in_system_max\"\n"
    "class,\"general, mixed\",,road_wait,15.5,0,15.5,15.5,3,min,\"classes.general, "
    "mixed.road_wait\"\n"
    "class,\"general, mixed\",,booking_delay,15.75,0,15.75,15.75,3,min,\"classes.general, "
    "mixed.booking_delay\"\n"
    "class,\"general, mixed\",,arrived,16,0,16,16,3,trucks,\"classes.general, mixed.arrived\"\n"
    "class,\"general, mixed\",,completed,16.25,0,16.25,16.25,3,trucks,\"classes.general, "
    "mixed.completed\"\n"
    "class,\"general, mixed\",,throughput_per_day,16.5,0,16.5,16.5,3,trucks/d,\"classes.general, "
    "mixed.throughput_per_day\"\n"
    "class,\"general, "
    "mixed\",,abandoned_fraction,16.75,0,16.75,16.75,3,fraction,\"classes.general, "
    "mixed.abandoned_fraction\"\n"
    "class,\"general, mixed\",,spoiled_fraction,17,0,17,17,3,fraction,\"classes.general, "
    "mixed.spoiled_fraction\"\n"
    "class,\"general, mixed\",,value_lost,17.25,0,17.25,17.25,3,value,\"classes.general, "
    "mixed.value_lost\"\n"
    "class,\"general, mixed\",,abandoned,17.5,0,17.5,17.5,3,trucks,\"classes.general, "
    "mixed.abandoned\"\n"
    "class,\"general, mixed\",,rejected,17.75,0,17.75,17.75,3,trucks,\"classes.general, "
    "mixed.rejected\"\n"
    "class,\"general, mixed\",,present_at_warmup,18,0,18,18,3,trucks,\"classes.general, "
    "mixed.present_at_warmup\"\n"
    "class,\"general, mixed\",,present_at_end,18.25,0,18.25,18.25,3,trucks,\"classes.general, "
    "mixed.present_at_end\"\n"
    "class,\"general, mixed\",,diverted,18.5,0,18.5,18.5,3,trucks,\"classes.general, "
    "mixed.diverted\"\n"
    "class,\"general, "
    "mixed\",,truck_hours_per_day,18.75,0,18.75,18.75,3,truck-h/d,\"classes.general, "
    "mixed.truck_hours_per_day\"\n"
    "road,yard,,trucks,30,65.724106077284276,10,60,3,trucks,roads.yard.trucks\n"
    "road,yard,,km,19.25,0,19.25,19.25,3,km,roads.yard.km\n"
    "road,yard,,max_trucks,19.5,0,19.5,19.5,3,trucks,roads.yard.max_trucks\n"
    "network,,,present,19.75,0,19.75,19.75,3,trucks,network.present\n"
    "network,,,present_max,20,0,20,20,3,trucks,network.present_max\n"
    "network,,,in_stations,20.25,0,20.25,20.25,3,trucks,network.in_stations\n"
    "network,,,in_stations_max,20.5,0,20.5,20.5,3,trucks,network.in_stations_max\n"
    "network,,,on_roads,20.75,0,20.75,20.75,3,trucks,network.on_roads\n"
    "network,,,on_roads_max,21,0,21,21,3,trucks,network.on_roads_max\n"
    "network,,,booked_waiting,21.25,0,21.25,21.25,3,trucks,network.booked_waiting\n"
    "network,,,booked_waiting_max,21.5,0,21.5,21.5,3,trucks,network.booked_waiting_max\n"
    "network,,,truck_hours_per_day,21.75,0,21.75,21.75,3,truck-h/d,network.truck_hours_per_day\n"
    "network,,,time_in_system_p95,22,0,22,22,3,min,network.time_in_system_p95\n"
    "network,,,arrived_per_day,22.25,0,22.25,22.25,3,trucks/d,network.arrived_per_day\n"
    "network,,,throughput_per_day,22.5,0,22.5,22.5,3,trucks/d,network.throughput_per_day\n"
    "network,,,abandoned_per_day,22.75,0,22.75,22.75,3,trucks/d,network.abandoned_per_day\n"
    "network,,,spoiled_per_day,23,0,23,23,3,trucks/d,network.spoiled_per_day\n"
    "network,,,abandoned_fraction,23.25,0,23.25,23.25,3,fraction,network.abandoned_fraction\n"
    "network,,,spoiled_fraction,23.5,0,23.5,23.5,3,fraction,network.spoiled_fraction\n"
    "network,,,cost_per_day,23.75,0,23.75,23.75,3,money/d,network.cost_per_day\n"
    "network,,,cost_trucks_per_day,24,0,24,24,3,money/d,network.cost_trucks_per_day\n"
    "network,,,cost_servers_per_day,24.25,0,24.25,24.25,3,money/d,network.cost_servers_per_day\n"
    "network,,,cost_losses_per_day,24.5,0,24.5,24.5,3,money/d,network.cost_losses_per_day\n"
    "network,,,idle_fuel_l_per_day,24.75,0,24.75,24.75,3,L/d,network.idle_fuel_l_per_day\n"
    "network,,,co2_kg_per_day,25,0,25,25,3,kg/d,network.co2_kg_per_day\n";

static const char golden_series[] = "rep,t,station,present,waiting,busy,blocked\n"
                                    "1,0.0,yard,0,1,2,3\n"
                                    "1,0.0,\"customs \"\"B\"\"\",4,5,6,7\n"
                                    "1,0.0,road:yard,0,0,0,0\n"
                                    "1,60.0,yard,10,11,12,13\n"
                                    "1,60.0,\"customs \"\"B\"\"\",14,15,16,17\n"
                                    "1,60.0,road:yard,1,1,0,0\n"
                                    "2,0.0,yard,100,101,102,103\n"
                                    "2,0.0,\"customs \"\"B\"\"\",104,105,106,107\n"
                                    "2,0.0,road:yard,5,5,0,0\n"
                                    "2,60.0,yard,110,111,112,113\n"
                                    "2,60.0,\"customs \"\"B\"\"\",114,115,116,117\n"
                                    "2,60.0,road:yard,6,6,0,0\n"
                                    "3,0.0,yard,200,201,202,203\n"
                                    "3,0.0,\"customs \"\"B\"\"\",204,205,206,207\n"
                                    "3,0.0,road:yard,10,10,0,0\n"
                                    "3,60.0,yard,210,211,212,213\n"
                                    "3,60.0,\"customs \"\"B\"\"\",214,215,216,217\n"
                                    "3,60.0,road:yard,11,11,0,0\n";

static const char golden_table[] =
    "Border \"test\", v1: horizon 2880 min, warmup 1440 min, 3 replications, times in min\n"
    "(mean \u00b1 95% confidence half-width across replications)\n"
    "\n"
    "station           wait  sojourn  in_station  utilization  blocked  throughput/day\n"
    "yard         2.0 \u00b1 2.5   0.2500      0.5000        1.000    1.250           2.250\n"
    "customs \"B\"     5 \u00b1 13    3.750       4.000       0.3333    4.750           5.750\n"
    "\n"
    "class           time in system    p90    p95  road wait  completed/day  abandoned %\n"
    "fruit                    9.000  9.500  9.750      10.50          11.50         1175\n"
    "general, mixed           14.00  14.50  14.75      15.50          16.50         1675\n"
    "\n"
    "road   trucks     km  max trucks\n"
    "yard  30 \u00b1 66  19.25       19.50\n"
    "\n"
    "network                    value\n"
    "trucks present             19.75\n"
    "  in stations              20.25\n"
    "  on roads                 20.75\n"
    "  booked, not yet arrived  21.25\n"
    "trucks present, max        20.00\n"
    "truck-hours/day            21.75\n"
    "time in system p95         22.00\n"
    "completed/day              22.50\n"
    "abandoned %                 2325\n"
    "spoiled %                   2350\n";

static void assert_text(const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        size_t i = 0;
        while (got[i] && got[i] == want[i])
            i++;
        ck_abort_msg("differs at byte %zu:\n--- got ---\n%s\n--- want ---\n%s", i, got + i,
                     want + i);
    }
}

START_TEST(test_summary_json)
{
    char *got = capture(tc_output_summary_json, &fx.run);
    assert_text(got, golden_json);
    free(got);
}
END_TEST

START_TEST(test_summary_csv)
{
    char *got = capture(tc_output_summary_csv, &fx.run);
    assert_text(got, golden_csv);
    free(got);
}
END_TEST

START_TEST(test_timeseries_csv)
{
    char *got = capture(tc_output_timeseries_csv, &fx.run);
    assert_text(got, golden_series);
    free(got);
}
END_TEST

START_TEST(test_table_matches_golden_text)
{
    char *got = capture(tc_output_table, &fx.run);
    assert_text(got, golden_table);
    free(got);
}
END_TEST

/* Terminal columns of a UTF-8 line. */
static size_t line_columns(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static void set_spread(struct tc_run *run, size_t i, double a, double b, double c)
{
    set3(run, i, a, b, c);
    tc_stat_reduce(run->values + i, 3, run->metrics.n, &run->stats[i]);
}

/* 16-character names and values of a congested border still fit 100 columns. */
START_TEST(test_table_width)
{
    static char n1[] = "yard_outer_north", n2[] = "customs_channels";
    static char k1[] = "fruit_perishable", k2[] = "general_containr";
    struct tc_run *run = &fx.run;
    const struct tc_metrics *m = &run->metrics;
    fx.st[0].name = n1;
    fx.st[1].name = n2;
    fx.cl[0].name = k1;
    fx.cl[1].name = k2;
    for (uint32_t s = 0; s < 2; s++) {
        set_spread(run, tc_metrics_station(m, s, TC_SM_WAIT), 1500.2, 1523.9, 1547.1);
        set_spread(run, tc_metrics_station(m, s, TC_SM_SOJOURN), 1600.5, 1610.3, 1650.8);
        set_spread(run, tc_metrics_station(m, s, TC_SM_IN_STATION), 310.2, 312.4, 315.1);
        set_spread(run, tc_metrics_station(m, s, TC_SM_UTILIZATION), 0.8123, 0.8101, 0.815);
        set_spread(run, tc_metrics_station(m, s, TC_SM_BLOCKED), 2.31, 2.35, 2.2);
        set_spread(run, tc_metrics_station(m, s, TC_SM_THROUGHPUT_PER_DAY), 863.2, 860.1, 870.3);
    }
    for (uint32_t c = 0; c < 2; c++) {
        set_spread(run, tc_metrics_class(m, c, TC_CM_TIME_IN_SYSTEM), 2000.5, 2100.2, 2050.3);
        set_spread(run, tc_metrics_class(m, c, TC_CM_TIS_P90), 4000.5, 4100.2, 4350.3);
        set_spread(run, tc_metrics_class(m, c, TC_CM_ROAD_WAIT), 300.5, 310.2, 305.3);
        set_spread(run, tc_metrics_class(m, c, TC_CM_THROUGHPUT_PER_DAY), 431.6, 430.05, 435.1);
        set_spread(run, tc_metrics_class(m, c, TC_CM_ABANDONED_FRACTION), 0.0123, 0.015, 0.0111);
    }
    set_spread(run, tc_metrics_road(m, 0, TC_RM_TRUCKS), 1210.4, 1250.9, 1190.2);
    set_spread(run, tc_metrics_road(m, 0, TC_RM_KM), 30.26, 31.27, 29.75);
    set_spread(run, tc_metrics_road(m, 0, TC_RM_MAX_TRUCKS), 2400, 2511, 2389);

    char *got = capture(tc_output_table, run);
    size_t n_lines = 0;
    for (const char *p = got; *p;) {
        const char *nl = strchr(p, '\n');
        ck_assert_ptr_nonnull(nl);
        ck_assert_msg(line_columns(p, (size_t)(nl - p)) <= 100, "too wide: %.*s", (int)(nl - p), p);
        n_lines++;
        p = nl + 1;
    }
    ck_assert_uint_eq(n_lines, 2 + 4 + 4 + 3 + 12); /* network: blank, head, 10 rows */
    /* Spot checks: two significant digits of the half-width, the mean to match. */
    ck_assert_ptr_nonnull(strstr(got, "yard_outer_north  1524 \u00b1 58  "));
    ck_assert_ptr_nonnull(strstr(got, "  0.8125 \u00b1 0.0061  "));
    ck_assert_ptr_nonnull(strstr(got, "  1.28 \u00b1 0.50\n")); /* abandoned, in % */
    free(got);
}
END_TEST

/* One replication: no interval, so cells are means with four significant digits. */
START_TEST(test_table_one_rep)
{
    struct tc_run *run = &fx.run;
    run->n_reps = 1;
    for (size_t i = 0; i < run->metrics.n; i++)
        tc_stat_reduce(run->values + i, 1, run->metrics.n, &run->stats[i]);
    char *got = capture(tc_output_table, run);
    ck_assert_ptr_null(strstr(got, "\u00b1"));
    ck_assert_ptr_eq(strstr(got, "Border \"test\", v1: horizon 2880 min, warmup 1440 min, "
                                 "1 replication, times in min\n(one replication: the values of "
                                 "that run, no confidence interval; -r 2 or more gives one)\n\n"
                                 "station "),
                     got);
    ck_assert_ptr_nonnull(strstr(got, "\nyard         1.000  "));
    ck_assert_ptr_nonnull(strstr(got, "\ncustoms \"B\"      -  ")); /* NaN in the only rep */
    free(got);
}
END_TEST

/*
** Cells at the edges: huge means go to %g, a mean that rounds to zero loses
** its sign, NaN is "-" (an infinite value makes GSL's running mean NaN).
*/
START_TEST(test_table_cells)
{
    struct tc_run *run = &fx.run;
    const struct tc_metrics *m = &run->metrics;
    /* defined in one replication of three: no interval, said in the cell */
    set_spread(run, tc_metrics_station(m, 1, TC_SM_WAIT), (double)NAN, 2.5, (double)NAN);
    set_spread(run, tc_metrics_station(m, 0, TC_SM_WAIT), 1e12, 1e12, 1e12);
    set_spread(run, tc_metrics_station(m, 0, TC_SM_SOJOURN), 2e12, 3e12, 4e12);
    set_spread(run, tc_metrics_station(m, 0, TC_SM_IN_STATION), -0.503, 0, 0.5);
    set_spread(run, tc_metrics_station(m, 0, TC_SM_UTILIZATION), 0, 0, 0);
    set_spread(run, tc_metrics_station(m, 0, TC_SM_BLOCKED), (double)INFINITY, 1, 1);
    ck_assert(isnan(run->stats[tc_metrics_station(m, 0, TC_SM_BLOCKED)].mean));
    set_spread(run, tc_metrics_station(m, 0, TC_SM_THROUGHPUT_PER_DAY), (double)NAN, (double)NAN,
               (double)NAN);
    char *got = capture(tc_output_table, run);
    const char *row = strstr(got, "\nyard ");
    ck_assert_ptr_nonnull(row);
    const char *end = strchr(row + 1, '\n');
    char *line = strndup(row + 1, (size_t)(end - row - 1));
    ck_assert_str_eq(
        line,
        "yard               1e+12  3e+12 \u00b1 2.5e+12   0.0 \u00b1 1.2            0        -"
        "               -");
    free(line);
    ck_assert_ptr_nonnull(strstr(got, " 2.500 \u00b1 n/a "));
    free(got);
}
END_TEST

static char tmp_root[256];

static void make_tmp(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmp_root, sizeof(tmp_root), "%s/tcsim-output-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmp_root));
}

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "missing %s", path);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, out);
    fclose(f);
    fclose(out);
    unlink(path);
    return text;
}

START_TEST(test_write_all_writes_every_output_file)
{
    make_tmp();
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/out/run", tmp_root);
    const char *failed = NULL;
    ck_assert_int_eq(tc_output_write_all(&fx.run, dir, &failed), 0);
    char *t = slurp(dir, "summary.json");
    assert_text(t, golden_json);
    free(t);
    t = slurp(dir, "summary.csv");
    assert_text(t, golden_csv);
    free(t);
    t = slurp(dir, "timeseries.csv");
    assert_text(t, golden_series);
    free(t);
    /* One row per replication and metric: the values set in build_run, a NaN as an empty
       field, the quoted station name as summary.csv quotes it. */
    t = slurp(dir, "replications.csv");
    ck_assert_ptr_nonnull(strstr(t, "rep,scope,name,class,metric,value\n"
                                    "0,station,yard,,wait,1\n"
                                    "0,station,yard,,sojourn,0.25\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n0,station,\"customs \"\"B\"\"\",,wait,\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n1,station,\"customs \"\"B\"\"\",,wait,4\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n2,station,yard,,wait,3\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n2,class,fruit,,booking_delay,\n"));
    size_t lines = 0;
    for (const char *c = t; *c; c++)
        lines += *c == '\n';
    ck_assert_uint_eq(lines, 1 + 3 * fx.run.metrics.n);
    free(t);
    t = slurp(dir, "scenario.yaml"); /* its contents are scenario_emit's to test */
    ck_assert_uint_gt(strlen(t), 0);
    free(t);
    t = slurp(dir, "datapackage.json"); /* the package test checks it against the CSVs */
    ck_assert_ptr_nonnull(strstr(t, "\"path\": \"timeseries.csv\""));
    free(t);
    /* The completion marker, written last, lists the set it completes. */
    t = slurp(dir, "complete.json");
    assert_text(t, "{\n"
                   "  \"tcsim\": \"0.1.0\",\n"
                   "  \"scenario\": \"Border \\\"test\\\", v1\",\n"
                   "  \"seed\": 20211201,\n"
                   "  \"replications\": 3,\n"
                   "  \"files\": [\n"
                   "    \"summary.json\",\n"
                   "    \"summary.csv\",\n"
                   "    \"replications.csv\",\n"
                   "    \"timeseries.csv\",\n"
                   "    \"scenario.yaml\",\n"
                   "    \"datapackage.json\"\n"
                   "  ]\n"
                   "}\n");
    free(t);
    /* Nothing else was left behind: the directories are empty again. */
    ck_assert_int_eq(rmdir(dir), 0);
    snprintf(dir, sizeof(dir), "%s/out", tmp_root);
    ck_assert_int_eq(rmdir(dir), 0);
    ck_assert_int_eq(rmdir(tmp_root), 0);
}
END_TEST

START_TEST(test_write_all_fails)
{
    make_tmp();
    char file[512], dir[600];
    snprintf(file, sizeof(file), "%s/plain", tmp_root);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    snprintf(dir, sizeof(dir), "%s/out", file);
    const char *failed = NULL;
    ck_assert_int_eq(tc_output_write_all(&fx.run, dir, &failed), -ENOTDIR);
    ck_assert_str_eq(failed, dir);
    ck_assert_int_eq(unlink(file), 0);
    ck_assert_int_eq(rmdir(tmp_root), 0);
}
END_TEST

/* A full device: the error reaches the caller as -ENOSPC, not a silent short file. */
START_TEST(test_stream_error)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        return; /* not Linux: nothing to test with */
    ck_assert_int_eq(tc_output_summary_json(&fx.run, f), -ENOSPC);
    fclose(f);
    f = fopen("/dev/full", "w");
    ck_assert_int_eq(tc_output_timeseries_csv(&fx.run, f), -ENOSPC);
    fclose(f);
}
END_TEST

static Suite *output_suite(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_summary_json);
    tcase_add_test(tc, test_summary_csv);
    tcase_add_test(tc, test_timeseries_csv);
    tcase_add_test(tc, test_stream_error);
    suite_add_tcase(s, tc);
    tc = tcase_create("table");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_table_matches_golden_text);
    tcase_add_test(tc, test_table_width);
    tcase_add_test(tc, test_table_one_rep);
    tcase_add_test(tc, test_table_cells);
    suite_add_tcase(s, tc);
    tc = tcase_create("write_all");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_write_all_writes_every_output_file);
    tcase_add_test(tc, test_write_all_fails);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(output_suite)
