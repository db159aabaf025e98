/*
** xmem: checked allocation. The counter is a relaxed atomic so that -j
** threads can share it without a lock; it costs one add per allocation,
** and allocations are rare by design (never per event).
*/
#include "base/xmem.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "tcsim/diag.h"

static atomic_uint_fast64_t n_allocs;
static _Atomic(tc_oom_fn *) oom_hook;

tc_oom_fn *tc_set_oom_hook(tc_oom_fn *fn)
{
    return atomic_exchange(&oom_hook, fn);
}

void tc_xmem_fail(size_t n)
{
    tc_oom_fn *fn = atomic_load(&oom_hook);
    if (fn)
        fn(n);
    abort(); /* no hook, or one that returned */
}

static void *check(void *p, size_t n)
{
    if (!p && n)
        tc_xmem_fail(n);
    atomic_fetch_add_explicit(&n_allocs, 1, memory_order_relaxed);
    return p;
}

void *tc_xmalloc(size_t n)
{
    return check(malloc(n ? n : 1), n ? n : 1);
}

void *tc_xcalloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        n = size = 1;
    return check(calloc(n, size), n * size);
}

void *tc_xrealloc(void *p, size_t n)
{
    return check(realloc(p, n ? n : 1), n ? n : 1);
}

char *tc_xstrdup(const char *s)
{
    return s ? tc_xstrndup(s, strlen(s)) : NULL;
}

char *tc_xstrndup(const char *s, size_t n)
{
    char *d = tc_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

uint64_t tc_xmem_count(void)
{
    return atomic_load_explicit(&n_allocs, memory_order_relaxed);
}
