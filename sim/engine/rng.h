/*
** rng: random streams. Every source of randomness in a replication has its
** own gsl_rng (mt19937), seeded from (seed, replication, purpose, index)
** through a splitmix64 finaliser, so two variants of a scenario draw the
** same numbers wherever they do the same thing (common random numbers),
** and replications are independent whatever thread runs them.
** mt19937 uses only the low 32 bits of a seed (and maps 0 to 4357), so a
** run's seeds are planned together and duplicates re-mixed deterministically.
*/
#ifndef TCSIM_RNG_H
#define TCSIM_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "tcsim/scenario.h"

enum tc_stream_kind {
    TC_STREAM_ARRIVAL,  /* per source: interarrival times, thinning, batches */
    TC_STREAM_BOOKING,  /* per source: slot position and punctuality */
    TC_STREAM_SERVICE,  /* per station */
    TC_STREAM_ROUTE,    /* per station */
    TC_STREAM_FAILURE,  /* per station */
    TC_STREAM_PATIENCE, /* per class */
    TC_STREAM_INITIAL,  /* per class, only with initial trucks: their patience */
    TC_STREAM__COUNT
};

/* splitmix64's finaliser: a bijection on 64 bits with full avalanche. */
uint64_t tc_rng_mix64(uint64_t x);

/* Streams of one replication: index of (kind, i) in a flat table. */
struct tc_rng_layout {
    uint32_t base[TC_STREAM__COUNT + 1];
};

void tc_rng_layout_init(struct tc_rng_layout *l, const struct tc_scenario *sc);

static inline uint32_t tc_rng_index(const struct tc_rng_layout *l, enum tc_stream_kind k,
                                    uint32_t i)
{
    return l->base[k] + i;
}

/*
** The 32-bit seeds of every stream of n_reps replications, rep-major,
** pairwise distinct as mt19937 sees them. Returns an array of
** n_reps * l->base[TC_STREAM__COUNT] seeds; free with free().
*/
uint32_t *tc_rng_plan_new(const struct tc_rng_layout *l, uint64_t seed, uint32_t n_reps);

#endif
