/*
** evq: binary heap, 0-based, children of i at 2i+1 and 2i+2. Sift with a
** hole (move parents/children, write the entry once) rather than swaps:
** half the stores. A 4-ary heap was considered; at the queue sizes of this
** model (a few entries per truck present) the binary heap's simpler sift-down
** is as fast, so it stays.
*/
#include "engine/evq.h"

#include <stdbool.h>
#include <stdlib.h>

#include "base/xmem.h"

#define SEQ_BITS 56

void tc_evq_init(struct tc_evq *q, const uint8_t *rank)
{
    q->v = NULL;
    q->n = q->cap = 0;
    q->seq = 0;
    q->hole = false;
    q->rank = rank;
}

void tc_evq_fini(struct tc_evq *q)
{
    if (!q)
        return;
    free(q->v);
    q->v = NULL;
    q->n = q->cap = 0;
    q->hole = false;
}

void tc_evq_clear(struct tc_evq *q)
{
    q->n = 0;
    q->hole = false;
    q->seq = 0;
}

static inline int before(const struct tc_ev *a, const struct tc_ev *b)
{
    return a->t < b->t || (a->t == b->t && a->key < b->key);
}

/* Moves x down from slot i to its place (the subtrees below i are heaps). */
static inline void sift_down(struct tc_ev *v, size_t n, size_t i, struct tc_ev x)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&v[c + 1], &v[c]))
            c++;
        if (!before(&v[c], &x))
            break;
        v[i] = v[c];
        i = c;
    }
    v[i] = x;
}

/* Fills a hole left at the root by pop with the last entry. */
static inline void fill_hole(struct tc_evq *q)
{
    q->hole = false;
    if (--q->n)
        sift_down(q->v, q->n, 0, q->v[q->n]);
}

void tc_evq_push(struct tc_evq *q, double t, uint32_t kind, uint32_t obj, uint32_t aux,
                 uint32_t gen)
{
    struct tc_ev e = {t, ((uint64_t)q->rank[kind] << SEQ_BITS) | q->seq++, kind, obj, aux, gen};
    if (q->hole) { /* replace the popped root: one sift-down instead of two sifts */
        q->hole = false;
        sift_down(q->v, q->n, 0, e);
        return;
    }
    if (q->n == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 64;
        q->v = tc_xrealloc(q->v, q->cap * sizeof(*q->v));
    }
    size_t i = q->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&e, &q->v[parent]))
            break;
        q->v[i] = q->v[parent];
        i = parent;
    }
    q->v[i] = e;
}

int tc_evq_pop(struct tc_evq *q, struct tc_ev *out)
{
    if (q->hole)
        fill_hole(q);
    if (q->n == 0)
        return 0;
    *out = q->v[0];
    q->hole = true; /* the next push takes the root's place, or the next pop fills it */
    return 1;
}

size_t tc_evq_compact(struct tc_evq *q, int (*live)(void *ud, const struct tc_ev *ev), void *ud)
{
    if (q->hole)
        fill_hole(q);
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        if (live(ud, &q->v[i]))
            q->v[n++] = q->v[i];
    size_t dropped = q->n - n;
    q->n = n;
    /* Floyd's heap construction: sift down every parent, last first */
    for (size_t i = n / 2; i-- > 0;)
        sift_down(q->v, n, i, q->v[i]);
    return dropped;
}

const struct tc_ev *tc_evq_peek(struct tc_evq *q)
{
    if (q->hole)
        fill_hole(q);
    return q->n ? &q->v[0] : NULL;
}
