/*
** sweep: the variants of `tcsim sweep` (README.md, the command line). Each --vary KEY=SPEC
** is an axis of values; the variants are their cartesian product, the
** first --vary outermost. A variant is the scenario loaded with --set style
** overrides (base overrides first, then one per axis) and run with the
** scenario's seed, the same for every variant, so variants draw the same
** random numbers wherever they do the same thing (common random numbers:
** stream seeds depend only on seed, replication, purpose and index, rng.h).
** This module is data only: it parses the specs, enumerates and names the
** variants, keeps their main KPIs and writes sweep.csv; cli_sweep.c runs
** them. Memory: n_variants x n_kpis stats, never a whole run.
*/
#ifndef TCSIM_SWEEP_H
#define TCSIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tcsim/runner.h"
#include "tcsim/scenario.h"

#define TC_SWEEP_MAX_VARIANTS 100000

struct tc_sweep_axis {
    char *key;     /* as given: "stations.lanes.servers" */
    char **values; /* as passed to --set, owned */
    uint32_t n;
};

/* One KPI of sweep.csv: columns <column>.mean and <column>.ci95. */
struct tc_sweep_kpi {
    char *column;  /* "stations.lanes.wait", owned */
    size_t metric; /* index in the metric catalogue of the runs */
    bool time;     /* a duration: in the variant's time_unit, converted for sweep.csv */
};

struct tc_sweep {
    struct tc_sweep_axis *axes;
    uint32_t n_axes;
    uint32_t n_variants;       /* product of the axes' n; 1 with no axis */
    struct tc_sweep_kpi *kpis; /* fixed by the first tc_sweep_store */
    size_t n_kpis;
    size_t n_metrics;             /* size of the catalogue the KPIs index */
    struct tc_stat *stats;        /* n_variants x n_kpis */
    bool *stored;                 /* per variant */
    enum tc_time_unit *time_unit; /* per variant: the unit of its durations */
};

void tc_sweep_init(struct tc_sweep *sw);
void tc_sweep_fini(struct tc_sweep *sw);

/*
** Adds the axis of one --vary KEY=SPEC. SPEC is FROM:TO:STEP (numbers,
** STEP > 0, TO >= FROM, one unit suffix such as "/h" or " min" allowed on
** any of them and carried to every value: "30:50:10/h" gives 30/h, 40/h,
** 50/h; values printed with the decimals of FROM and STEP), or a comma
** list a,b,c (commas inside [] or {} or quotes do not split), or a single
** value. Returns NULL, or a static text saying what is wrong (an empty key
** or value, a key given twice, an empty or too long range, a value twice,
** two values that would name the same directory, more than
** TC_SWEEP_MAX_VARIANTS variants in all).
*/
const char *tc_sweep_add_vary(struct tc_sweep *sw, const char *spec);

/* The index of each axis's value in variant v, first axis outermost. */
void tc_sweep_variant(const struct tc_sweep *sw, uint32_t v, uint32_t *out_idx);

/*
** The overrides of variant v: base[0..n_base-1], then KEY=value for each
** axis (so a --vary wins over a --set of the same key). out needs room for
** n_base + n_axes; the strings are borrowed from base and sw. Returns the
** count.
*/
size_t tc_sweep_overrides(const struct tc_sweep *sw, uint32_t v, const struct tc_override *base,
                          size_t n_base, struct tc_override *out);

/*
** The directory name of variant v: "KEY=value" per axis joined with ",",
** every byte outside [A-Za-z0-9._=+,-] written as '_'
** ("stations.lanes.servers=4,arrivals.0.rate=50_h"). A new string (free()).
*/
char *tc_sweep_variant_name_new(const struct tc_sweep *sw, uint32_t v);

/*
** Keeps the main KPIs of variant v from its finished run: per station wait,
** in_station, utilization, blocked, throughput_per_day; per class
** time_in_system, time_in_system_p90, road_wait, throughput_per_day,
** abandoned_fraction; per road trucks, km. The first call fixes the
** columns; a run whose stations, classes or roads differ from the first
** returns -EINVAL. Returns 0.
*/
int tc_sweep_store(struct tc_sweep *sw, uint32_t v, const struct tc_run *run);

/*
** The time_unit of sweep.csv's durations: the first stored variant's; false
** before any store.
*/
bool tc_sweep_time_unit(const struct tc_sweep *sw, enum tc_time_unit *out);
/* KPI kpi of stored variant v, a duration converted to tc_sweep_time_unit. */
struct tc_stat tc_sweep_stat(const struct tc_sweep *sw, uint32_t v, size_t kpi);

/*
** sweep.csv: header "variant", the axis keys, then <kpi>.mean,<kpi>.ci95
** per KPI; one row per variant in order: its directory name, its values as
** passed to --set, then the numbers formatted exactly as in summary.csv
** (empty where undefined). Durations are in the time_unit of the first
** row's variant: a variant of another time_unit (--vary time_unit=...) is
** converted, so one column holds one unit. Returns 0 or -errno.
*/
int tc_sweep_write_csv(const struct tc_sweep *sw, FILE *f);

#endif
