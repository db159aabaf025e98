/*
** xmem: allocation that never returns NULL. On out-of-memory it calls the
** hook the program set (tc_set_oom_hook in diag.h; the tcsim program prints one
** line and exits 1); the library itself never prints or exits, and with no
** hook, or a hook that returns, it aborts: a simulation has nothing sensible
** to do without memory, and every allocation site would otherwise need an
** error path that is never taken. Every call is counted, so tests can
** assert that the event loop stops allocating once warmed up.
*/
#ifndef TCSIM_XMEM_H
#define TCSIM_XMEM_H

#include <stddef.h>
#include <stdint.h>

void *tc_xmalloc(size_t n);
void *tc_xcalloc(size_t n, size_t size);
/* Grows or shrinks p; p may be NULL. */
void *tc_xrealloc(void *p, size_t n);
/* Copy of s (NULL gives NULL); free with free(). */
char *tc_xstrdup(const char *s);
char *tc_xstrndup(const char *s, size_t n);
/* (The out-of-memory hook is set with tc_set_oom_hook of tcsim/diag.h.) */
/* Reports a failed allocation of n bytes made elsewhere (a library's own allocator). */
_Noreturn void tc_xmem_fail(size_t n);
/* Number of malloc/calloc/realloc calls so far in this process. */
uint64_t tc_xmem_count(void);

/* The number of elements of an array (not a pointer). */
#define TC_N_OF(a) (sizeof(a) / sizeof((a)[0]))

/*
** A growable array: TC_VEC(double) v = {0}; TC_VEC_PUSH(v, 1.5); free(v.v);
** Capacity doubles, so n pushes cost O(n) amortised.
*/
#define TC_VEC(T)                                                                                  \
    struct {                                                                                       \
        T *v;                                                                                      \
        size_t n, cap;                                                                             \
    }
#define TC_VEC_GROW(vec, need)                                                                     \
    do {                                                                                           \
        if ((need) > (vec).cap) {                                                                  \
            size_t c_ = (vec).cap ? (vec).cap : 8;                                                 \
            while (c_ < (need))                                                                    \
                c_ *= 2;                                                                           \
            (vec).v = tc_xrealloc((vec).v, c_ * sizeof(*(vec).v));                                 \
            (vec).cap = c_;                                                                        \
        }                                                                                          \
    } while (0)
#define TC_VEC_PUSH(vec, x)                                                                        \
    do {                                                                                           \
        TC_VEC_GROW(vec, (vec).n + 1);                                                             \
        (vec).v[(vec).n++] = (x);                                                                  \
    } while (0)

#endif
