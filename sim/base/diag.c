/*
** diag: an array of diagnostics that owns its strings. Messages are
** formatted once, at add time, so a diagnostic never points into the YAML
** document or a caller's buffer. The array doubles when full.
*/
#include "tcsim/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"

void tc_diags_init(struct tc_diags *d)
{
    memset(d, 0, sizeof(*d));
}

void tc_diags_fini(struct tc_diags *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].path);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof(*d));
}

/* A heap copy of the printf-formatted text; vsnprintf is called twice. */
__attribute__((format(printf, 1, 0))) static char *vformat_dup(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *s;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return tc_xstrdup("(unformattable message)");
    s = tc_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

void tc_diags_add(struct tc_diags *d, enum tc_sev sev, const struct tc_pos *pos, const char *path,
                  const char *fmt, ...)
{
    struct tc_diag *g;
    va_list ap;

    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        d->v = tc_xrealloc(d->v, d->cap * sizeof(*d->v));
    }
    g = &d->v[d->n];
    g->sev = sev;
    g->file = tc_xstrdup(pos && pos->file ? pos->file : "");
    g->line = pos ? pos->line : 0;
    g->col = pos && pos->line ? pos->col : 0;
    g->path = tc_xstrdup(path ? path : "");
    va_start(ap, fmt);
    g->msg = vformat_dup(fmt, ap);
    va_end(ap);
    g->order = d->n;
    d->n++;
    if (sev == TC_SEV_ERROR)
        d->n_err++;
    else
        d->n_warn++;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
    return (a > b) - (a < b);
}

/* order is unique per list, so this is total and qsort becomes stable. */
static int cmp_diag(const void *pa, const void *pb)
{
    const struct tc_diag *a = pa;
    const struct tc_diag *b = pb;
    int c = strcmp(a->file, b->file);

    if (c != 0)
        return c;
    if ((c = cmp_u32(a->line, b->line)) != 0)
        return c;
    if ((c = cmp_u32(a->col, b->col)) != 0)
        return c;
    return (a->order > b->order) - (a->order < b->order);
}

void tc_diags_sort(struct tc_diags *d)
{
    if (d->n > 1)
        qsort(d->v, d->n, sizeof(*d->v), cmp_diag);
}

int tc_diag_format(const struct tc_diag *g, char *buf, size_t len)
{
    const char *sev = g->sev == TC_SEV_ERROR ? "error" : "warning";
    const char *file = g->file ? g->file : "";
    const char *path = g->path ? g->path : "";
    const char *sep = path[0] ? ": " : "";
    const char *msg = g->msg ? g->msg : "";

    if (file[0] == '\0')
        return snprintf(buf, len, "%s: %s%s%s", sev, path, sep, msg);
    if (g->line == 0)
        return snprintf(buf, len, "%s: %s: %s%s%s", file, sev, path, sep, msg);
    if (g->col == 0)
        return snprintf(buf, len, "%s:%u: %s: %s%s%s", file, (unsigned)g->line, sev, path, sep,
                        msg);
    return snprintf(buf, len, "%s:%u:%u: %s: %s%s%s", file, (unsigned)g->line, (unsigned)g->col,
                    sev, path, sep, msg);
}

void tc_diags_print(const struct tc_diags *d, FILE *f)
{
    char small[512];

    for (size_t i = 0; i < d->n; i++) {
        int n = tc_diag_format(&d->v[i], small, sizeof(small));

        if (n < 0)
            continue;
        if ((size_t)n < sizeof(small)) {
            fprintf(f, "%s\n", small);
        } else {
            char *big = tc_xmalloc((size_t)n + 1);

            tc_diag_format(&d->v[i], big, (size_t)n + 1);
            fprintf(f, "%s\n", big);
            free(big);
        }
    }
}

/*
** Optimal string alignment distance (Damerau-Levenshtein restricted to
** non-overlapping transpositions), over three rolling rows. O(|a| |b|)
** time; candidates whose length differs by more than 2 are skipped by the
** caller before this runs.
*/
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t *rows = tc_xmalloc(3 * (lb + 1) * sizeof(*rows));
    size_t *pp = rows, *prev = rows + (lb + 1), *cur = rows + 2 * (lb + 1);
    size_t dist;

    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = prev[j] + 1;

            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v)
                v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        {
            size_t *t = pp;

            pp = prev;
            prev = cur;
            cur = t;
        }
    }
    dist = prev[lb];
    free(rows);
    return dist;
}

const char *tc_diag_suggest(const char *word, const char *const *cands, size_t n_cands)
{
    const char *best = NULL;
    size_t best_d = 3, lw;

    if (word == NULL)
        return NULL;
    lw = strlen(word);
    for (size_t i = 0; i < n_cands; i++) {
        size_t lc, dist;

        if (cands[i] == NULL)
            continue;
        lc = strlen(cands[i]);
        /* The distance is at least the length difference. */
        if ((lc > lw ? lc - lw : lw - lc) > 2)
            continue;
        dist = osa_distance(word, lw, cands[i], lc);
        /* Strictly smaller: the first of equally close candidates wins. */
        if (dist <= 2 && 2 * dist < lw && dist < best_d) {
            best = cands[i];
            best_d = dist;
        }
    }
    return best;
}
