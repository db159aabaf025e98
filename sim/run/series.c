/*
** series: per replication, rows are formatted into a 64 KiB buffer; a full
** buffer becomes a chunk, kept in memory within the run's budget or
** appended to the shared scratch file at an offset reserved under a lock
** (the write itself runs unlocked), and remembered in the replication's
** chunk list. So the file interleaves replications, and timeseries.csv is
** put together from each replication's chunks in order.
*/
#define _GNU_SOURCE /* pread, pwrite */
#include "tcsim/series.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/isodate.h"
#include "base/jsonw.h"
#include "base/numfmt.h"
#include "base/stream.h"
#include "base/xmem.h"
#include "tcsim/runner.h"

#define CHUNK (64 * 1024)
/* fd before the first chunk: the scratch file is made when text first
   overflows a buffer, so short series (and sweeps of many variants) open no file */
#define FD_LATER (-2)
/* text kept in memory before the scratch file is used */
#define MEM_BUDGET (256 * 1024)
/* ",2021-12-15T07:00:00+07:00", with room to spare */
#define DATE_LEN 40

struct chunk {
    uint64_t off; /* in the scratch file, unless mem */
    size_t len;
    char *mem; /* the text itself when the scratch file failed, else NULL */
};

struct rep_text {
    char *buf; /* the text not yet in a chunk; NULL outside the replication */
    size_t len;
    TC_VEC(struct chunk) chunks;
};

struct tc_series {
    uint32_t n_reps, n_rows;
    double sample_every;
    bool dated;          /* a date column after t (the scenario has start_date) */
    int64_t start_utc_s; /* when dated */
    int32_t start_offset_min;
    double unit_s;   /* seconds per time_unit */
    char **names;    /* row names as CSV fields */
    size_t max_line; /* the longest possible row */
    size_t cap;      /* buffer size, at least CHUNK and two rows */
    int fd;          /* scratch file; -1: chunks in memory; FD_LATER */
    pthread_mutex_t lock;
    uint64_t end;     /* bytes reserved in the scratch file */
    size_t mem_bytes; /* text kept in memory chunks */
    struct rep_text *reps;
};

/* An unlinked file in $TMPDIR or /tmp, or -1. */
static int scratch_fd(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + sizeof("/tcsim-series-XXXXXX");
    char *path = tc_xmalloc(n);
    snprintf(path, n, "%s/tcsim-series-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    free(path);
    return fd;
}

struct tc_series *tc_series_new(const struct tc_scenario *sc, const struct tc_metrics *m,
                                uint32_t n_reps)
{
    struct tc_series *s = tc_xcalloc(1, sizeof(*s));
    s->n_reps = n_reps;
    s->n_rows = sc->n_stations + m->n_roads;
    s->sample_every = sc->sample_every;
    s->dated = sc->has_start_date;
    s->start_utc_s = sc->start_utc_s;
    s->start_offset_min = sc->start_offset_min;
    s->unit_s = tc_units_seconds(sc->time_unit);
    s->names = tc_xcalloc(s->n_rows, sizeof(*s->names));
    size_t longest = 0;
    for (uint32_t j = 0; j < s->n_rows; j++) {
        s->names[j] =
            j < sc->n_stations
                ? tc_csv_field_new("", sc->stations[j].name)
                : tc_csv_field_new("road:", sc->stations[m->road_station[j - sc->n_stations]].name);
        if (strlen(s->names[j]) > longest)
            longest = strlen(s->names[j]);
    }
    /* rep, t, name, 4 numbers, separators and the newline */
    s->max_line =
        12 + TC_NUMFMT_LEN + 2 + DATE_LEN + longest + TC_TS__COUNT * (TC_JSONW_NUMBER_LEN + 1) + 4;
    s->cap = CHUNK > 2 * s->n_rows * s->max_line ? CHUNK : 2 * s->n_rows * s->max_line;
    s->fd = FD_LATER;
    pthread_mutex_init(&s->lock, NULL);
    s->reps = tc_xcalloc(n_reps, sizeof(*s->reps));
    return s;
}

void tc_series_free(struct tc_series *s)
{
    if (!s)
        return;
    for (uint32_t r = 0; r < s->n_reps; r++) {
        for (size_t c = 0; c < s->reps[r].chunks.n; c++)
            free(s->reps[r].chunks.v[c].mem);
        free(s->reps[r].chunks.v);
        free(s->reps[r].buf);
    }
    free(s->reps);
    for (uint32_t j = 0; j < s->n_rows; j++)
        free(s->names[j]);
    free(s->names);
    if (s->fd >= 0)
        close(s->fd);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static bool write_all(int fd, const char *p, size_t n, uint64_t off)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return true;
}

/*
** The buffered text of a replication becomes a chunk: in memory while the
** run's text kept there stays under MEM_BUDGET (most runs never open a
** file), else appended to the scratch file, made on first use.
*/
static void flush(struct tc_series *s, struct rep_text *rt)
{
    if (!rt->len)
        return;
    struct chunk c = {.len = rt->len};
    pthread_mutex_lock(&s->lock);
    bool in_memory = s->mem_bytes + rt->len <= MEM_BUDGET;
    int fd = -1;
    if (in_memory) {
        s->mem_bytes += rt->len;
    } else {
        if (s->fd == FD_LATER)
            s->fd = scratch_fd();
        fd = s->fd;
        c.off = s->end;
        s->end += rt->len;
    }
    pthread_mutex_unlock(&s->lock);
    /* a scratch file that cannot be made or written costs memory, not the output */
    if (in_memory || fd < 0 || !write_all(fd, rt->buf, rt->len, c.off)) {
        c.mem = tc_xrealloc(rt->buf, rt->len);
        rt->buf = NULL;
    }
    TC_VEC_PUSH(rt->chunks, c);
    rt->len = 0;
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/*
** t in one form in every run, whatever sample_every: a decimal with a point
** and one to six decimals (0.0, 60.0, 0.5, 0.016667), so a reader sees a
** float column, never integers in one run and floats in another, and no
** binary noise (k * 0.1 = 0.30000000000000004) in the text. Returns the end.
*/
static char *format_t(double t, char *p)
{
    char *end = tc_numfmt_fixed6(t, p);
    if (!strpbrk(p, ".e")) {
        *end++ = '.';
        *end++ = '0';
        *end = '\0';
    }
    return end;
}

/* Formats sample k of replication rep (n_rows rows) at out, which has room for
   n_rows * max_line bytes; returns the end. */
static char *format_sample(const struct tc_series *s, uint32_t rep, uint32_t k, const double *rows,
                           char *p)
{
    char head[32 + TC_NUMFMT_LEN + 2 + DATE_LEN], num[TC_JSONW_NUMBER_LEN];
    char tnum[TC_NUMFMT_LEN + 2];
    /* k * sample_every, as the engine schedules samples: no accumulated sum */
    double t = (double)k * s->sample_every;
    format_t(t, tnum);
    int hn = snprintf(head, sizeof(head), "%" PRIu32 ",%s,", rep + 1, tnum);
    if (s->dated) { /* to the nearest second */
        char date[DATE_LEN];
        tc_isodate_format(s->start_utc_s + (int64_t)llround(t * s->unit_s), s->start_offset_min,
                          date, sizeof(date));
        hn += snprintf(head + hn, sizeof(head) - (size_t)hn, "%s,", date);
    }
    for (uint32_t j = 0; j < s->n_rows; j++, rows += TC_TS__COUNT) {
        memcpy(p, head, (size_t)hn);
        p = put_str(p + hn, s->names[j]);
        for (int c = 0; c < TC_TS__COUNT; c++) {
            *p++ = ',';
            if (isfinite(rows[c]))
                p = put_str(p, tc_jsonw_format_number(rows[c], num, sizeof(num)));
        }
        *p++ = '\n';
    }
    return p;
}

void tc_series_put(struct tc_series *s, uint32_t rep, uint32_t k, const double *rows)
{
    struct rep_text *rt = &s->reps[rep];
    if (rt->len + s->n_rows * s->max_line > s->cap)
        flush(s, rt);
    if (!rt->buf)
        rt->buf = tc_xmalloc(s->cap);
    rt->len = (size_t)(format_sample(s, rep, k, rows, rt->buf + rt->len) - rt->buf);
}

char *tc_series_format_rep(const struct tc_series *s, uint32_t rep, uint32_t n_samples,
                           const double *all, size_t *len)
{
    TC_VEC(char) t = {0};
    size_t sample_max = s->n_rows * s->max_line;
    for (uint32_t k = 0; k < n_samples; k++) {
        TC_VEC_GROW(t, t.n + sample_max);
        char *end = format_sample(s, rep, k, all + (size_t)k * s->n_rows * TC_TS__COUNT, t.v + t.n);
        t.n = (size_t)(end - t.v);
    }
    *len = t.n;
    return t.v ? t.v : tc_xmalloc(1);
}

void tc_series_put_text(struct tc_series *s, uint32_t rep, char *text, size_t len)
{
    struct rep_text *rt = &s->reps[rep];
    flush(s, rt);
    free(rt->buf);
    rt->buf = text;
    rt->len = len;
    flush(s, rt);
    free(rt->buf);
    rt->buf = NULL;
}

void tc_series_end_rep(struct tc_series *s, uint32_t rep)
{
    struct rep_text *rt = &s->reps[rep];
    flush(s, rt);
    free(rt->buf);
    rt->buf = NULL;
}

void tc_series_put_rep(struct tc_series *s, uint32_t rep, uint32_t n_samples, const double *all)
{
    for (uint32_t k = 0; k < n_samples; k++)
        tc_series_put(s, rep, k, all + (size_t)k * s->n_rows * TC_TS__COUNT);
    tc_series_end_rep(s, rep);
}

/* Calls fn on each piece of rep's text in order; stops at fn's nonzero. 0 or -errno. */
static int each_piece(const struct tc_series *s, uint32_t rep,
                      int (*fn)(void *ud, const char *p, size_t n), void *ud)
{
    const struct rep_text *rt = &s->reps[rep];
    char *buf = NULL;
    int err = 0;
    for (size_t c = 0; c < rt->chunks.n && !err; c++) {
        const struct chunk *ch = &rt->chunks.v[c];
        if (ch->mem) {
            err = fn(ud, ch->mem, ch->len);
            continue;
        }
        if (!buf)
            buf = tc_xmalloc(CHUNK);
        for (size_t done = 0; done < ch->len && !err;) {
            size_t want = ch->len - done < CHUNK ? ch->len - done : CHUNK;
            ssize_t got = pread(s->fd, buf, want, (off_t)(ch->off + done));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                err = got < 0 ? -errno : -EIO;
                break;
            }
            err = fn(ud, buf, (size_t)got);
            done += (size_t)got;
        }
    }
    if (!err && rt->buf && rt->len) /* a replication not ended (stopped early) */
        err = fn(ud, rt->buf, rt->len);
    free(buf);
    return err;
}

static int to_file(void *ud, const char *p, size_t n)
{
    if (fwrite(p, 1, n, ud) == n)
        return 0;
    int err = tc_stream_status(ud); /* the real reason: ENOSPC for a full disk */
    return err ? err : -EIO;
}

int tc_series_write_csv(const struct tc_series *s, FILE *f)
{
    fputs(s->dated ? "rep,t,date,station,present,waiting,busy,blocked\n"
                   : "rep,t,station,present,waiting,busy,blocked\n",
          f);
    for (uint32_t r = 0; r < s->n_reps; r++) {
        int err = each_piece(s, r, to_file, f);
        if (err)
            return err;
    }
    return tc_stream_status(f);
}

struct text {
    TC_VEC(char) v;
};

static int to_text(void *ud, const char *p, size_t n)
{
    struct text *t = ud;
    TC_VEC_GROW(t->v, t->v.n + n + 1);
    memcpy(t->v.v + t->v.n, p, n);
    t->v.n += n;
    t->v.v[t->v.n] = '\0';
    return 0;
}

int tc_series_get(const struct tc_series *s, uint32_t rep, uint32_t k, uint32_t j, double *out)
{
    if (rep >= s->n_reps || j >= s->n_rows)
        return -1;
    struct text t = {{0}};
    int rc = -1;
    if (each_piece(s, rep, to_text, &t) == 0 && t.v.n) {
        /* line k * n_rows + j; its last TC_TS__COUNT fields are the values */
        uint64_t want = (uint64_t)k * s->n_rows + j;
        const char *line = t.v.v;
        for (uint64_t i = 0; i < want && line; i++) {
            line = strchr(line, '\n');
            line = line && line[1] ? line + 1 : NULL;
        }
        if (line) {
            const char *end = strchr(line, '\n');
            const char *p = end;
            int c = TC_TS__COUNT;
            while (c > 0 && p > line) {
                const char *q = p - 1;
                while (q > line && *q != ',')
                    q--;
                char *stop;
                out[--c] = q + 1 == p ? (double)NAN : strtod(q + 1, &stop);
                p = q;
            }
            rc = c == 0 ? 0 : -1;
        }
    }
    free(t.v.v);
    return rc;
}
