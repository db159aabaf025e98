/*
** evq: the future-event list, a binary min-heap of 32-byte entries ordered
** by (t, rank of kind, seq). seq is a per-queue counter, so the order is
** total and ties are FIFO within a rank: runs are reproducible bit for bit.
** The array doubles when full (amortised O(1), no malloc per event); push
** and pop are O(log n); pop leaves the root empty and a push right after
** it drops its entry there (one sift-down, the "replace top" of heap
** textbooks), which is the common case: an event schedules the next one. Cancellation is lazy: an
*entry carries the
** generation of the object it refers to, and the engine drops it when
** popped if that generation has moved on (Redis ae.c marks deleted timers
** the same way), which avoids an index for O(log n) removal.
*/
#ifndef TCSIM_EVQ_H
#define TCSIM_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tc_ev {
    double t;
    uint64_t key; /* rank << 56 | seq: one integer compare breaks ties */
    uint32_t kind;
    uint32_t obj; /* truck, station or source index */
    uint32_t aux;
    uint32_t gen; /* generation of obj when scheduled */
};

struct tc_evq {
    struct tc_ev *v;
    size_t n, cap; /* n counts a hole at v[0] */
    bool hole;     /* pop took v[0]; the next push or pop fills it */
    uint64_t seq;
    const uint8_t *rank; /* rank by kind, borrowed, < 256 */
};

/* rank[kind] orders same-time events (lower first); the table is borrowed. */
void tc_evq_init(struct tc_evq *q, const uint8_t *rank);
void tc_evq_fini(struct tc_evq *q);
/* Empties the queue, keeping its memory. */
void tc_evq_clear(struct tc_evq *q);

static inline size_t tc_evq_len(const struct tc_evq *q)
{
    return q->n - q->hole;
}

void tc_evq_push(struct tc_evq *q, double t, uint32_t kind, uint32_t obj, uint32_t aux,
                 uint32_t gen);

/* Removes the earliest entry into *out; returns 0 when empty. */
int tc_evq_pop(struct tc_evq *q, struct tc_ev *out);

/*
** Drops every entry for which live(ud, entry) is false and restores the
** heap, in O(n). Lazy cancellation leaves dead entries behind (a patience
** event outlives its truck's wait by days); the engine calls this when they
** outnumber the live ones, so the heap stays as small as what is pending.
** Pop order is unchanged: (t, key) is a total order. Returns how many
** entries it dropped.
*/
size_t tc_evq_compact(struct tc_evq *q, int (*live)(void *ud, const struct tc_ev *ev), void *ud);

/* The earliest entry, or NULL. */
const struct tc_ev *tc_evq_peek(struct tc_evq *q);

#endif
