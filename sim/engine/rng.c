/*
** rng: seed planning. A seed is mix64(seed ^ mix64(rep, kind, index)), cut
** to the 32 bits mt19937 reads. With s streams in a run the chance of a
** collision is about s^2 / 2^33, small but not zero for large sweeps, so
** collisions are found by sorting and re-mixed with a round counter: the
** outcome depends only on (seed, n_reps, layout), never on thread timing.
*/
#include "engine/rng.h"

#include <stdlib.h>

#include "base/xmem.h"

uint64_t tc_rng_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void tc_rng_layout_init(struct tc_rng_layout *l, const struct tc_scenario *sc)
{
    uint32_t count[TC_STREAM__COUNT] = {
        [TC_STREAM_ARRIVAL] = sc->n_sources,
        [TC_STREAM_BOOKING] = sc->n_sources,
        [TC_STREAM_SERVICE] = sc->n_stations,
        [TC_STREAM_ROUTE] = sc->n_stations,
        [TC_STREAM_FAILURE] = sc->n_stations,
        [TC_STREAM_PATIENCE] = sc->n_classes,
        /* their own streams leave the arrivals' patience as without them (common random
           numbers when the initial state varies), and none without initial trucks */
        [TC_STREAM_INITIAL] = sc->n_initial > 0 ? sc->n_classes : 0,
    };
    l->base[0] = 0;
    for (int k = 0; k < TC_STREAM__COUNT; k++)
        l->base[k + 1] = l->base[k] + count[k];
}

/* What mt19937 does with a seed: low 32 bits, 0 replaced by 4357. */
static uint32_t effective(uint64_t x)
{
    uint32_t s = (uint32_t)x;
    return s ? s : 4357u;
}

struct slot {
    uint32_t seed;
    uint32_t pos;
};

static int cmp_slot(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    if (x->seed != y->seed)
        return x->seed < y->seed ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos; /* qsort is not stable */
}

uint32_t *tc_rng_plan_new(const struct tc_rng_layout *l, uint64_t seed, uint32_t n_reps)
{
    size_t per_rep = l->base[TC_STREAM__COUNT], n = per_rep * n_reps;
    uint32_t *out = tc_xmalloc((n ? n : 1) * sizeof(*out));
    for (uint32_t r = 0; r < n_reps; r++)
        for (int k = 0; k < TC_STREAM__COUNT; k++)
            for (uint32_t i = l->base[k]; i < l->base[k + 1]; i++) {
                uint64_t id = ((uint64_t)r << 40) ^ ((uint64_t)k << 32) ^ (i - l->base[k]);
                out[r * per_rep + i] = effective(tc_rng_mix64(seed ^ tc_rng_mix64(id)));
            }
    if (n < 2)
        return out;
    struct slot *s = tc_xmalloc(n * sizeof(*s));
    for (uint64_t round = 1;; round++) {
        for (size_t i = 0; i < n; i++)
            s[i] = (struct slot){out[i], (uint32_t)i};
        qsort(s, n, sizeof(*s), cmp_slot);
        int dup = 0;
        for (size_t i = 1; i < n; i++)
            if (s[i].seed == s[i - 1].seed) {
                /* keep the first holder, move the later one */
                uint32_t p = s[i].pos;
                out[p] = effective(tc_rng_mix64(out[p] ^ tc_rng_mix64(round << 32 | p)));
                dup = 1;
            }
        if (!dup)
            break;
    }
    free(s);
    return out;
}
