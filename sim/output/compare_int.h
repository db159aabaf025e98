/*
** compare_int: what compare.c and compare_paired.c share. A summary keeps
** its seed so that two runs with the same seed and replication count can be
** compared replication by replication (common random numbers).
*/
#ifndef TCSIM_COMPARE_INT_H
#define TCSIM_COMPARE_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcsim/compare.h"

struct tc_compare_summary {
    json_t *root;
    char *name;
    const char *time_unit; /* borrowed from root */
    const char *scenario;  /* borrowed from root; may be NULL */
    uint32_t reps;
    bool has_seed;
    uint64_t seed;
};

/*
** Whether base and cand can be paired: same seed, same replication count,
** each with a readable replications.csv in its directory holding every
** replication. On true *rb and *rc are objects from metric path to an array
** of reps values (null: undefined in that replication; json_decref them);
** either way test[] says which test is used and why.
*/
bool tc_compare__pairing(const struct tc_compare_summary *base,
                         const struct tc_compare_summary *cand, json_t **rb, json_t **rc,
                         char *test, size_t len);

/*
** The paired t test of r->path from the per-replication values: sets
** r->change_se (t), r->df and r->p. False (r untouched) when fewer than two
** replications define the metric on both sides: Welch's test then decides it.
*/
bool tc_compare__paired_metric(const json_t *rb, const json_t *rc, struct tc_compare_metric *r);

#endif
