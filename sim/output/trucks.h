/*
** trucks: the trace of `tcsim run --trace`, two tidy CSV files.
**
** visits.csv, one row per station visit:
**   rep,truck,class,station,visit,arrive,start,leave,outcome,in_warmup
** written when the visit ends, so a replication's rows come in the order
** of `leave` (ties in the order the engine handled them), then the visits
** still going on at the horizon (outcome present_at_end, leave empty).
** outcome: served (left after service, to the next station or out),
** abandoned (patience ran out while waiting or blocked there),
** present_at_end. start is empty when service never started.
**
** trucks.csv, one row per truck, written when it leaves the system (in
** that order, then the trucks still in it at the horizon):
**   id,class,rep,arrive,in_warmup,where,exit,outcome
** outcome: served, abandoned, rejected, in_system; where: the station it
** gave up at ("road:<station>" for the road in front of it) or was turned
** away by, else empty.
**
** in_warmup is 1 when the truck (trucks.csv) or the visit (visits.csv)
** arrived before the warm-up ended. Times are in the scenario's time unit
** with six decimals at most (base/numfmt.h). Rows are streamed to scratch
** files per replication while it runs, never held in memory, then
** concatenated in replication order, so the bytes do not depend on -j;
** with gzip the final files are gzip streams (trucks.csv.gz, visits.csv.gz)
** whose content is those same bytes.
*/
#ifndef TCSIM_TRUCKS_H
#define TCSIM_TRUCKS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tcsim/engine.h"
#include "tcsim/scenario.h"

struct tc_trucks;

/*
** A trace of n_reps replications of sc with scratch files in dir (created
** if needed): trucks.csv, and visits.csv too when visits.
*/
struct tc_trucks *tc_trucks_new(const struct tc_scenario *sc, const char *dir, uint32_t n_reps,
                                bool visits, bool gzip);

/* Removes the scratch files and frees t; accepts NULL. */
void tc_trucks_free(struct tc_trucks *t);

/* Opens replication rep's scratch files and hooks them to engine e; 0 or -errno. */
int tc_trucks_begin_rep(struct tc_trucks *t, struct tc_engine *e, uint32_t rep);

/* Flushes replication rep's scratch files; 0 or -errno (also for write errors during the run). */
int tc_trucks_end_rep(struct tc_trucks *t, uint32_t rep);

/* The file names: "trucks.csv" and "visits.csv", with ".gz" when gzip. */
const char *tc_trucks_name(const struct tc_trucks *t);
const char *tc_visits_name(const struct tc_trucks *t);

/* The files of the trace: 1 (trucks) or 2 (trucks, visits). */
uint32_t tc_trucks_n_files(const struct tc_trucks *t);

/* afile writers: the header, then every replication's rows in order; 0 or -errno. */
int tc_trucks_write(void *t, FILE *f);
int tc_visits_write(void *t, FILE *f);

/* A trace column and its Table Schema type ("integer", "number", "string"). */
struct tc_trace_field {
    const char *name, *type;
};

/*
** The columns of the file that writer (tc_trucks_write or tc_visits_write)
** writes, the header's names in order, ended by {NULL}; NULL for any other
** writer. The header is written from this table, and datapackage.json
** describes a trace from it instead of a second pass over millions of rows.
*/
const struct tc_trace_field *tc_trace_fields(int (*write)(void *, FILE *));

#endif
