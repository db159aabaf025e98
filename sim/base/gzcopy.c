/*
** gzcopy: deflate at level 1. The trace files are long columns of digits
** and repeated names, which level 1 already shrinks several times; the
** higher levels gain a little more at several times the time.
*/
#include "base/gzcopy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST /* next_in is const: the input is only read */
#include <zlib.h>

enum { CHUNK = 1 << 16 };

struct tc_gzw {
    z_stream strm;
    FILE *out;
    int err;
    unsigned char obuf[CHUNK];
};

struct tc_gzw *tc_gzw_new(FILE *out)
{
    struct tc_gzw *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->out = out;
    /* 15 + 16: a gzip wrapper (no name, mtime 0) around a 32 KiB window */
    if (deflateInit2(&g->strm, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(g);
        return NULL;
    }
    return g;
}

/* Deflates the pending input with flush and writes what comes out. */
static void pump(struct tc_gzw *g, int flush)
{
    do {
        g->strm.next_out = g->obuf;
        g->strm.avail_out = CHUNK;
        if (deflate(&g->strm, flush) == Z_STREAM_ERROR) {
            g->err = -EIO;
            return;
        }
        size_t n = CHUNK - g->strm.avail_out;
        if (n && fwrite(g->obuf, 1, n, g->out) != n) {
            g->err = errno ? -errno : -EIO;
            return;
        }
    } while (g->strm.avail_out == 0);
}

int tc_gzw_write(struct tc_gzw *g, const void *buf, size_t n)
{
    /* in pieces: avail_in is an unsigned int */
    for (const unsigned char *p = buf; !g->err && n > 0;) {
        size_t k = n < CHUNK ? n : CHUNK;
        g->strm.next_in = p;
        g->strm.avail_in = (unsigned)k;
        pump(g, Z_NO_FLUSH);
        p += k;
        n -= k;
    }
    return g->err;
}

int tc_gzw_finish(struct tc_gzw *g)
{
    if (!g->err) {
        g->strm.avail_in = 0;
        pump(g, Z_FINISH);
    }
    int err = g->err;
    deflateEnd(&g->strm);
    free(g);
    return err;
}
