/*
** engine_choose: the station a choice route picks now (scenarios/README.md,
** Choosing a station). The members a class may take are ranked first by
** whether they can take the truck (open with room, then room but closed or
** at a daily limit, then full), then by the rule; ties go to the first
** listed. A read of a few counts per member: nothing is allocated.
*/
#include <math.h>

#include "engine/engine_int.h"

/* Trucks present at s or waiting to get in (its road, trucks blocked upstream for it). */
static inline uint32_t crowd(const struct station *s)
{
    return s->n_present + s->n_admit;
}

/*
** Expected wait at s for class cls: the crowd over the open servers times
** the class's mean service there; 0 with unlimited servers, INFINITY with
** none open (closed, or every server down).
*/
static double expected_wait(const struct station *s, uint32_t cls)
{
    if (s->c == TC_UNLIMITED)
        return 0.0;
    double open = servers_by_rule(s);
    if (!(open > 0))
        return (double)INFINITY;
    return (double)crowd(s) / open * tc_dist_mean(&s->service[cls]);
}

/* The rule's score of s, lower is better. */
static double score(const struct station *s, enum tc_choose_rule rule, uint32_t cls)
{
    switch (rule) {
    case TC_CHOOSE_FEWEST_PRESENT:
        return crowd(s);
    case TC_CHOOSE_FEWEST_WAITING:
        return (double)s->waiting.n + s->n_admit;
    case TC_CHOOSE_MOST_ROOM:
        if (s->K == TC_UNLIMITED)
            return -(double)INFINITY;
        return -(double)(s->K > crowd(s) ? s->K - crowd(s) : 0);
    case TC_CHOOSE_SHORTEST_WAIT:
    case TC_CHOOSE__COUNT:
        break;
    }
    return expected_wait(s, cls);
}

/* 2: open with room; 1: room, but closed or at a daily limit (the truck waits inside); 0: full. */
static int tier(const struct station *s, uint32_t cls)
{
    if (is_full(s))
        return 0;
    bool open = s->open && !s->closed && (s->limit == TC_UNLIMITED || s->starts_today < s->limit) &&
                (!s->climit || s->cstarts[cls] < s->climit[cls]);
    return open ? 2 : 1;
}

uint32_t eng_choose(const struct tc_engine *e, const struct tc_route *r, uint32_t cls, bool *divert)
{
    uint32_t best = TC_NONE;
    int best_tier = -1;
    double best_score = 0;
    for (uint32_t k = 0; k < r->n; k++) {
        if (r->allowed && !r->allowed[(size_t)cls * r->n + k])
            continue;
        const struct station *s = &e->st[r->targets[k]];
        int t = tier(s, cls);
        double x = score(s, r->rule, cls);
        if (t > best_tier || (t == best_tier && x < best_score)) {
            best = r->targets[k];
            best_tier = t;
            best_score = x;
        }
    }
    TC_CHECK(best != TC_NONE); /* the loader gives every class a member */
    const struct station *b = &e->st[best];
    *divert =
        (r->divert_above != TC_UNLIMITED && crowd(b) > r->divert_above) ||
        (r->divert_above_wait < (double)INFINITY && expected_wait(b, cls) > r->divert_above_wait);
    return best;
}
