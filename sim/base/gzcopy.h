/*
** gzcopy: bytes written into a stream as one gzip member (RFC 1952, zlib
** deflate), for the large trace files of `tcsim run --trace --gzip`. The
** header holds no time and no name, so the same input gives the same bytes.
*/
#ifndef TC_GZCOPY_H
#define TC_GZCOPY_H

#include <stddef.h>
#include <stdio.h>

struct tc_gzw;

/* A gzip member onto out; NULL when zlib cannot start (no memory). */
struct tc_gzw *tc_gzw_new(FILE *out);

/* Compresses n bytes onto the stream; 0 or -errno (the first error sticks). */
int tc_gzw_write(struct tc_gzw *g, const void *buf, size_t n);

/* Ends the member (when no error came before) and frees g; 0 or -errno. */
int tc_gzw_finish(struct tc_gzw *g);

#endif
