/*
** evq: binary heap, 0-based, children of i at 2i+1 and 2i+2. Sift with a
** hole (move parents/children, write the entry once) rather than swaps:
** half the stores. A 4-ary heap was considered; at the queue sizes of this
** model (a few entries per truck present) the binary heap's simpler sift-down
** is as fast, so it stays.
*/
#include "tcsim/evq.h"

#include <stdlib.h>

#include "tcsim/xmem.h"

#define SEQ_BITS 56

void tc_evq_init(struct tc_evq *q, const uint8_t *rank)
{
    q->v = NULL;
    q->n = q->cap = 0;
    q->seq = 0;
    q->rank = rank;
}

void tc_evq_fini(struct tc_evq *q)
{
    if (!q)
        return;
    free(q->v);
    q->v = NULL;
    q->n = q->cap = 0;
}

void tc_evq_clear(struct tc_evq *q)
{
    q->n = 0;
    q->seq = 0;
}

static inline int before(const struct tc_ev *a, const struct tc_ev *b)
{
    return a->t < b->t || (a->t == b->t && a->key < b->key);
}

void tc_evq_push(struct tc_evq *q, double t, uint32_t kind, uint32_t obj, uint32_t aux,
                 uint32_t gen)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 64;
        q->v = tc_xrealloc(q->v, q->cap * sizeof(*q->v));
    }
    struct tc_ev e = {t, ((uint64_t)q->rank[kind] << SEQ_BITS) | q->seq++, kind, obj, aux, gen};
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
    if (q->n == 0)
        return 0;
    *out = q->v[0];
    struct tc_ev last = q->v[--q->n];
    size_t n = q->n, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(&q->v[c + 1], &q->v[c]))
            c++;
        if (!before(&q->v[c], &last))
            break;
        q->v[i] = q->v[c];
        i = c;
    }
    if (n)
        q->v[i] = last;
    return 1;
}
