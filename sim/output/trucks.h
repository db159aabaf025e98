/*
** trucks: trucks.csv, one row per truck (`tcsim run --trace`). Rows are
** streamed to one scratch file per replication (DIR/.trucks.<rep>.tmp)
** while it runs, never held in memory, then concatenated in replication
** order into the final file, so the bytes do not depend on -j. Columns:
** id,class,rep,arrive, then <station>_arrive,<station>_start,<station>_leave
** per station (the truck's last visit; empty where it did not get there),
** then exit,outcome (served, abandoned, rejected, in_system).
*/
#ifndef TCSIM_TRUCKS_H
#define TCSIM_TRUCKS_H

#include <stdint.h>
#include <stdio.h>

#include "tcsim/engine.h"
#include "tcsim/scenario.h"

struct tc_trucks;

/* A trace of n_reps replications of sc with scratch files in dir (created if needed). */
struct tc_trucks *tc_trucks_new(const struct tc_scenario *sc, const char *dir, uint32_t n_reps);

/* Removes the scratch files and frees t; accepts NULL. */
void tc_trucks_free(struct tc_trucks *t);

/* Opens replication rep's scratch file and hooks it to engine e; 0 or -errno. */
int tc_trucks_begin_rep(struct tc_trucks *t, struct tc_engine *e, uint32_t rep);

/* Closes replication rep's scratch file; 0 or -errno (also for write errors during the run). */
int tc_trucks_end_rep(struct tc_trucks *t, uint32_t rep);

/* An afile writer: the header, then every replication's rows in order; 0 or -errno. */
int tc_trucks_write(void *t, FILE *f);

#endif
