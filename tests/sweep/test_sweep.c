/*
** sweep and progress: --vary parsing (ranges, units, lists, flow values,
** every error), the order and names of variants, their overrides, the
** columns and numbers of sweep.csv; common random numbers (variants that
** differ slightly have a far narrower confidence interval for their
** difference with the same seed than with independent seeds); and the
** progress line, formatted and drawn.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/tc_check.h"
#include "base/jsonw.h"
#include "cli/progress.h"
#include "tcsim/metrics.h"
#include "tcsim/runner.h"
#include "tcsim/sweep.h"

#define CRN_YAML TC_SWEEP_DATA "/crn.yaml"

/* ==== --vary ==== */

static const struct {
    const char *spec;
    const char *key;
    const char *values; /* joined with '|' */
} vary_ok[] = {
    {"stations.lanes.servers=2:12:1", "stations.lanes.servers", "2|3|4|5|6|7|8|9|10|11|12"},
    {"k=0.1:0.3:0.1", "k", "0.1|0.2|0.3"}, /* (0.3 - 0.1) / 0.1 < 2 in doubles */
    {"k=0:1:0.25", "k", "0.00|0.25|0.50|0.75|1.00"},
    {"k=0.5:2:0.5", "k", "0.5|1.0|1.5|2.0"},
    {"k=-1:1:1", "k", "-1|0|1"},
    {"k=2:9:3", "k", "2|5|8"}, /* TO need not be reached */
    {"k=5:5:1", "k", "5"},
    {"arrivals.0.rate=30:50:10/h", "arrivals.0.rate", "30/h|40/h|50/h"},
    {"arrivals.0.rate=30/h:50/h:10/h", "arrivals.0.rate", "30/h|40/h|50/h"},
    {"k=10 min:12 min:1 min", "k", "10 min|11 min|12 min"},
    {"k=1e3:3e3:1e3", "k", "1000|2000|3000"},
    {"k=a,b,c", "k", "a|b|c"},
    {"k = 4 , 8 ", "k", "4|8"},
    {"k=6", "k", "6"},
    {"k=25/h", "k", "25/h"},
    {"stations.gate.open=07:00-19:00", "stations.gate.open", "07:00-19:00"},
    {"k=[\"07:00-11:30\",\"13:00-19:00\"],[\"00:00-24:00\"]", "k",
     "[\"07:00-11:30\",\"13:00-19:00\"]|[\"00:00-24:00\"]"},
    {"k={dist: exponential, mean: 5},{dist: constant, value: 5}", "k",
     "{dist: exponential, mean: 5}|{dist: constant, value: 5}"},
    {"k='a,b',c", "k", "'a,b'|c"},
};

START_TEST(test_vary_parses_ranges_and_lists)
{
    for (size_t i = 0; i < sizeof(vary_ok) / sizeof(vary_ok[0]); i++) {
        struct tc_sweep sw;
        tc_sweep_init(&sw);
        const char *err = tc_sweep_add_vary(&sw, vary_ok[i].spec);
        ck_assert_msg(err == NULL, "%s: %s", vary_ok[i].spec, err);
        ck_assert_uint_eq(sw.n_axes, 1);
        ck_assert_str_eq(sw.axes[0].key, vary_ok[i].key);
        char joined[512] = "";
        for (uint32_t k = 0; k < sw.axes[0].n; k++) {
            strncat(joined, k ? "|" : "", sizeof(joined) - strlen(joined) - 1);
            strncat(joined, sw.axes[0].values[k], sizeof(joined) - strlen(joined) - 1);
        }
        ck_assert_msg(strcmp(joined, vary_ok[i].values) == 0, "%s: got %s", vary_ok[i].spec,
                      joined);
        ck_assert_uint_eq(sw.n_variants, sw.axes[0].n);
        tc_sweep_fini(&sw);
    }
}
END_TEST

static const struct {
    const char *spec;
    const char *err;
} vary_bad[] = {
    {"k", "expected KEY=FROM:TO:STEP or KEY=a,b,c"},
    {"=1:2:1", "expected KEY=FROM:TO:STEP or KEY=a,b,c"},
    {" =1", "expected KEY=FROM:TO:STEP or KEY=a,b,c"},
    {"k=", "expected values after '='"},
    {"k= ", "expected values after '='"},
    {"k=5:2:1", "FROM:TO:STEP: expected STEP > 0 and TO >= FROM"},
    {"k=1:5:0", "FROM:TO:STEP: expected STEP > 0 and TO >= FROM"},
    {"k=1:5:-1", "FROM:TO:STEP: expected STEP > 0 and TO >= FROM"},
    {"k=1:20000:1", "FROM:TO:STEP: more than 10000 values"},
    {"k=10/h:20/d:5/h", "FROM:TO:STEP: the three parts have different units"},
    {"k=1,,2", "empty value in the list"},
    {"k=1,2,", "empty value in the list"},
    /* an unclosed quote once swallowed the last value silently */
    {"name=ok,x'y", "a quote in the list is not closed"},
    {"k=2,3,2", "a value is given twice"},
    {"k=50/h,50_h", "two values would name the same variant directory"},
};

START_TEST(test_vary_rejects_bad_spec_with_message)
{
    for (size_t i = 0; i < sizeof(vary_bad) / sizeof(vary_bad[0]); i++) {
        struct tc_sweep sw;
        tc_sweep_init(&sw);
        const char *err = tc_sweep_add_vary(&sw, vary_bad[i].spec);
        ck_assert_msg(err && strcmp(err, vary_bad[i].err) == 0, "%s: got \"%s\"", vary_bad[i].spec,
                      err ? err : "(accepted)");
        ck_assert_uint_eq(sw.n_axes, 0);
        ck_assert_uint_eq(sw.n_variants, 1);
        tc_sweep_fini(&sw);
    }
}
END_TEST

START_TEST(test_vary_across_axes)
{
    struct tc_sweep sw;
    tc_sweep_init(&sw);
    ck_assert_ptr_null(tc_sweep_add_vary(&sw, "a=1:400:1"));
    ck_assert_str_eq(tc_sweep_add_vary(&sw, "a=1,2"), "this key is already varied");
    ck_assert_ptr_null(tc_sweep_add_vary(&sw, "b=1:250:1"));
    ck_assert_uint_eq(sw.n_variants, 100000);
    ck_assert_str_eq(tc_sweep_add_vary(&sw, "c=1,2"), "more than 100000 variants in all");
    ck_assert_uint_eq(sw.n_axes, 2);
    tc_sweep_fini(&sw);
}
END_TEST

START_TEST(test_variants_cross_axes_first_outermost)
{
    struct tc_sweep sw;
    tc_sweep_init(&sw);
    ck_assert_ptr_null(tc_sweep_add_vary(&sw, "stations.lanes.servers=3:5:1"));
    ck_assert_ptr_null(tc_sweep_add_vary(&sw, "arrivals.0.rate=20/h,30 /h"));
    ck_assert_uint_eq(sw.n_variants, 6);
    /* the first --vary outermost */
    static const char *const names[] = {
        "stations.lanes.servers=3,arrivals.0.rate=20_h",
        "stations.lanes.servers=3,arrivals.0.rate=30__h",
        "stations.lanes.servers=4,arrivals.0.rate=20_h",
        "stations.lanes.servers=4,arrivals.0.rate=30__h",
        "stations.lanes.servers=5,arrivals.0.rate=20_h",
        "stations.lanes.servers=5,arrivals.0.rate=30__h",
    };
    uint32_t idx[2];
    for (uint32_t v = 0; v < 6; v++) {
        tc_sweep_variant(&sw, v, idx);
        ck_assert_uint_eq(idx[0], v / 2);
        ck_assert_uint_eq(idx[1], v % 2);
        char *n = tc_sweep_variant_name_new(&sw, v);
        ck_assert_str_eq(n, names[v]);
        free(n);
    }
    /* the base overrides first, then one per axis (a --vary wins over a --set) */
    struct tc_override base[2] = {{"seed", "9"}, {"stations.lanes.servers", "8"}}, out[4];
    ck_assert_uint_eq(tc_sweep_overrides(&sw, 3, base, 2, out), 4);
    ck_assert_str_eq(out[0].key, "seed");
    ck_assert_str_eq(out[1].value, "8");
    ck_assert_str_eq(out[2].key, "stations.lanes.servers");
    ck_assert_str_eq(out[2].value, "4");
    ck_assert_str_eq(out[3].key, "arrivals.0.rate");
    ck_assert_str_eq(out[3].value, "30 /h");
    tc_sweep_fini(&sw);

    /* a name too long for a directory is numbered */
    tc_sweep_init(&sw);
    char spec[400];
    snprintf(spec, sizeof(spec), "k=%0250d,2", 1);
    ck_assert_ptr_null(tc_sweep_add_vary(&sw, spec));
    char *n = tc_sweep_variant_name_new(&sw, 0);
    ck_assert_str_eq(n, "variant-000001");
    free(n);
    n = tc_sweep_variant_name_new(&sw, 1);
    ck_assert_str_eq(n, "k=2");
    free(n);
    tc_sweep_fini(&sw);
}
END_TEST

/* ==== Runs ==== */

static struct tc_scenario *load(const char *service_mean, const char *seed, const char *reps)
{
    struct tc_override o[3] = {
        {"stations.lanes.service.mean", service_mean}, {"seed", seed}, {"replications", reps}};
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc = tc_scenario_load(CRN_YAML, o, 3, &d);
    ck_assert_msg(sc != NULL, "crn.yaml does not load");
    tc_diags_fini(&d);
    return sc;
}

/* ci95 of the per-replication difference b - a of metric i */
static struct tc_stat diff_stat(const struct tc_run *a, const struct tc_run *b, size_t i)
{
    double d[64];
    ck_assert_uint_le(a->n_reps, 64);
    for (uint32_t r = 0; r < a->n_reps; r++)
        d[r] = tc_run_value(b, r, i) - tc_run_value(a, r, i);
    struct tc_stat s;
    tc_stat_reduce(d, a->n_reps, 1, &s);
    return s;
}

START_TEST(test_common_random_numbers)
{
    struct tc_scenario *a = load("10 min", "2024", "20"), *b = load("10.5 min", "2024", "20"),
                       *c = load("10.5 min", "777", "20");
    struct tc_run ra, rb, rc;
    tc_runner_run(&ra, a, 2, NULL, NULL);
    tc_runner_run(&rb, b, 2, NULL, NULL);
    tc_runner_run(&rc, c, 2, NULL, NULL);
    const struct tc_metrics *m = &ra.metrics;
    /* the same arrivals, to the truck, in every replication of a and b */
    size_t arrived = tc_metrics_class(m, 0, TC_CM_ARRIVED);
    for (uint32_t r = 0; r < ra.n_reps; r++)
        ck_assert_double_eq(tc_run_value(&ra, r, arrived), tc_run_value(&rb, r, arrived));
    ck_assert(tc_run_value(&ra, 0, arrived) != tc_run_value(&rc, 0, arrived));

    size_t kpis[3] = {tc_metrics_station(m, 0, TC_SM_WAIT),
                      tc_metrics_class(m, 0, TC_CM_TIME_IN_SYSTEM),
                      tc_metrics_station(m, 0, TC_SM_UTILIZATION)};
    for (int k = 0; k < 3; k++) {
        struct tc_stat crn = diff_stat(&ra, &rb, kpis[k]), ind = diff_stat(&ra, &rc, kpis[k]);
        /* a longer service: longer waits and a busier lane group, on average */
        ck_assert_msg(crn.mean > 0, "kpi %d: mean difference %g", k, crn.mean);
        ck_assert_msg(crn.ci95 < 0.5 * ind.ci95, "kpi %d: ci95 of the difference %g (common) vs %g",
                      k, crn.ci95, ind.ci95);
        /* and the common-numbers interval is sharp enough to see the change */
        ck_assert_msg(crn.mean - crn.ci95 > 0, "kpi %d: %g +- %g", k, crn.mean, crn.ci95);
    }
    tc_run_fini(&ra);
    tc_run_fini(&rb);
    tc_run_fini(&rc);
    tc_scenario_free(a);
    tc_scenario_free(b);
    tc_scenario_free(c);
}
END_TEST

START_TEST(test_store_and_csv)
{
    struct tc_sweep sw;
    tc_sweep_init(&sw);
    ck_assert_ptr_null(tc_sweep_add_vary(&sw, "stations.lanes.service.mean=9 min,11 min"));
    struct tc_scenario *sc[2] = {load("9 min", "5", "3"), load("11 min", "5", "3")};
    struct tc_run run[2];
    for (int v = 0; v < 2; v++) {
        tc_runner_run(&run[v], sc[v], 1, NULL, NULL);
        ck_assert_int_eq(tc_sweep_store(&sw, (uint32_t)v, &run[v]), 0);
    }
    /* 2 stations x 5, 1 class x 6, 1 road x 2, the network's 7 */
    ck_assert_uint_eq(sw.n_kpis, 25);
    ck_assert_str_eq(sw.kpis[0].column, "stations.lanes.wait");
    ck_assert_str_eq(sw.kpis[4].column, "stations.lanes.throughput_per_day");
    ck_assert_str_eq(sw.kpis[10].column, "classes.truck.time_in_system");
    ck_assert_str_eq(sw.kpis[11].column, "classes.truck.time_in_system_p90");
    ck_assert_str_eq(sw.kpis[12].column, "classes.truck.time_in_system_p95");
    ck_assert_str_eq(sw.kpis[15].column, "classes.truck.abandoned_fraction");
    ck_assert_str_eq(sw.kpis[17].column, "roads.lanes.km");
    ck_assert_str_eq(sw.kpis[18].column, "network.present");
    ck_assert_str_eq(sw.kpis[21].column, "network.time_in_system_p95");
    ck_assert(sw.kpis[21].time);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(tc_sweep_write_csv(&sw, f), 0);
    fclose(f);
    /* three lines: the header and a row per variant */
    char *line = buf, *nl1 = strchr(buf, '\n'), *nl2 = nl1 ? strchr(nl1 + 1, '\n') : NULL;
    ck_assert_ptr_nonnull(nl2);
    ck_assert_ptr_nonnull(strchr(nl2 + 1, '\n'));
    ck_assert_ptr_null(strchr(strchr(nl2 + 1, '\n') + 1, '\n'));
    *nl1 = '\0';
    ck_assert(
        strncmp(line,
                "variant,stations.lanes.service.mean,stations.lanes.wait.mean,"
                "stations.lanes.wait.ci95,stations.lanes.wait.n,stations.lanes.in_station.mean,",
                strlen("variant,stations.lanes.service.mean,stations.lanes.wait.mean,"
                       "stations.lanes.wait.ci95,stations.lanes.wait.n,"
                       "stations.lanes.in_station.mean,")) == 0);
    ck_assert(strstr(line, ",roads.lanes.trucks.mean,roads.lanes.trucks.ci95,roads.lanes.trucks.n,"
                           "roads.lanes.km.mean,roads.lanes.km.ci95,roads.lanes.km.n") != NULL);
    /* row 2: the name, the value, then the numbers as summary.csv prints them */
    char *row2 = nl2 + 1;
    *strchr(row2, '\n') = '\0';
    char want[4096];
    int n = snprintf(want, sizeof(want), "stations.lanes.service.mean=11_min,11 min");
    for (size_t i = 0; i < sw.n_kpis; i++) {
        const struct tc_stat *s = &run[1].stats[sw.kpis[i].metric];
        char a[TC_JSONW_NUMBER_LEN], b[TC_JSONW_NUMBER_LEN];
        n += snprintf(want + n, sizeof(want) - (size_t)n, ",%s,%s,%u",
                      isfinite(s->mean) ? tc_jsonw_format_number(s->mean, a, sizeof(a)) : "",
                      isfinite(s->ci95) ? tc_jsonw_format_number(s->ci95, b, sizeof(b)) : "",
                      (unsigned)s->n);
    }
    ck_assert_str_eq(row2, want);
    free(buf);

    /* a run with another network does not fit the columns */
    struct tc_diags d;
    tc_diags_init(&d);
    const char other[] = "name: x\nhorizon: 1 d\narrivals: [{to: a, rate: 1/h}]\n"
                         "stations: {a: {servers: 1, service: 1 min}}\n";
    struct tc_scenario *o =
        tc_scenario_load_string(other, strlen(other), "x.yaml", NULL, NULL, 0, &d);
    ck_assert_ptr_nonnull(o);
    struct tc_run ro;
    tc_runner_run(&ro, o, 1, NULL, NULL);
    ck_assert_int_eq(tc_sweep_store(&sw, 1, &ro), -EINVAL);
    ck_assert_int_eq(tc_sweep_store(&sw, 2, &run[0]), -EINVAL); /* no such variant */
    tc_run_fini(&ro);
    tc_scenario_free(o);
    tc_diags_fini(&d);
    for (int v = 0; v < 2; v++) {
        tc_run_fini(&run[v]);
        tc_scenario_free(sc[v]);
    }
    tc_sweep_fini(&sw);
}
END_TEST

/* ==== progress ==== */

START_TEST(test_progress_format)
{
    char buf[256], d[32];
    tc_progress_format(buf, sizeof(buf), "", 7, 10, 49, 1.25);
    ck_assert_str_eq(buf, "tcsim: 7/10 replications, 49 simulated days, 1.2 s, about 0.5 s left");
    tc_progress_format(buf, sizeof(buf), "variant 3/11 (k=4)", 25, 110, 3.5, 70);
    ck_assert_str_eq(buf, "tcsim: variant 3/11 (k=4): 25/110 replications, 3.5 simulated days, "
                          "1 min 10 s, about 3 min 58 s left");
    tc_progress_format(buf, sizeof(buf), NULL, 10, 10, 1, 2);
    ck_assert_str_eq(buf, "tcsim: 10/10 replications, 1 simulated day, 2.0 s");
    tc_progress_format(buf, sizeof(buf), NULL, 0, 10, 0, 0.05);
    ck_assert_str_eq(buf, "tcsim: 0/10 replications, 0 simulated days, 0.1 s");
    ck_assert_str_eq(tc_progress_duration(0.44, d, sizeof(d)), "0.4 s");
    ck_assert_str_eq(tc_progress_duration(9.96, d, sizeof(d)), "9 s");
    ck_assert_str_eq(tc_progress_duration(12.7, d, sizeof(d)), "12 s");
    ck_assert_str_eq(tc_progress_duration(185, d, sizeof(d)), "3 min 05 s");
    ck_assert_str_eq(tc_progress_duration(7620, d, sizeof(d)), "2 h 07 min");
    ck_assert_str_eq(tc_progress_duration((double)NAN, d, sizeof(d)), "0.0 s");
    ck_assert_str_eq(tc_progress_duration(-3, d, sizeof(d)), "0.0 s");
}
END_TEST

START_TEST(test_progress_draw)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert(!tc_progress_wanted(f, false)); /* not a terminal */
    ck_assert(!tc_progress_wanted(stderr, true));
    struct tc_progress p;
    tc_progress_init(&p, f, 6);
    tc_progress_begin_run(&p, "variant 1/2", 2);
    tc_progress_runner_cb(&p, 1, 3); /* first: drawn */
    tc_progress_runner_cb(&p, 2, 3); /* within 0.1 s: not */
    tc_progress_runner_cb(&p, 3, 3); /* last of the run: drawn */
    tc_progress_end_run(&p, 3);
    ck_assert_uint_eq(p.n_done, 3);
    ck_assert_double_eq(p.days_done, 6);
    tc_progress_finish(&p);
    fclose(f);
    const char *first = "\rtcsim: variant 1/2: 1/6 replications, 2 simulated days, 0.0 s, about 0.";
    ck_assert_msg(strncmp(buf, first, strlen(first)) == 0, "%s", buf);
    ck_assert(
        strstr(buf, "\033[K\rtcsim: variant 1/2: 3/6 replications, 6 simulated days, 0.0 s,") !=
        NULL);
    ck_assert(strstr(buf, "2/6") == NULL);
    ck_assert(len > 4 && strcmp(buf + len - 4, "\r\033[K") == 0);
    free(buf);

    /* disabled: counts, prints nothing */
    tc_progress_init(&p, NULL, 2);
    tc_progress_begin_run(&p, NULL, 1);
    tc_progress_runner_cb(&p, 1, 2);
    tc_progress_runner_cb(&p, 2, 2);
    tc_progress_finish(&p);
    ck_assert_uint_eq(p.n_done, 2);
}
END_TEST

static Suite *sweep_suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *t = tcase_create("vary");
    tcase_add_test(t, test_vary_parses_ranges_and_lists);
    tcase_add_test(t, test_vary_rejects_bad_spec_with_message);
    tcase_add_test(t, test_vary_across_axes);
    tcase_add_test(t, test_variants_cross_axes_first_outermost);
    suite_add_tcase(s, t);
    t = tcase_create("runs");
    tcase_set_timeout(t, 300);
    tcase_add_test(t, test_common_random_numbers);
    tcase_add_test(t, test_store_and_csv);
    suite_add_tcase(s, t);
    t = tcase_create("progress");
    tcase_add_test(t, test_progress_format);
    tcase_add_test(t, test_progress_draw);
    suite_add_tcase(s, t);
    return s;
}

TC_CHECK_MAIN(sweep_suite)
