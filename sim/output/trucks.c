/*
** trucks: per-replication scratch files, two per replication (trucks and
** visits). A row is built in a buffer (times by numfmt, six decimals at
** most; names quoted as RFC 4180 once, when the trace starts) and written
** with one fwrite: a replication costs one formatted line per truck and per
** visit and no memory beyond the line. The scratch files are afile
** temporaries (DIR/.trucks.N.tcsim-PID-RANDOM.tmp), so a later run removes
** those that a killed one left.
**
** Why the visits are rows of their own: the old wide trucks.csv had three
** columns per station, mostly empty (a truck passes one of the two gates),
** and kept only the last of repeated visits; a visit row holds every visit
** and only the visits there are, so the trace got smaller and exact.
*/
#include "output/trucks.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/gzcopy.h"
#include "base/numfmt.h"
#include "base/stream.h"
#include "base/xmem.h"
#include "tcsim/afile.h"

enum { F_TRUCKS, F_VISITS, F__COUNT };

struct rep_file {
    struct tc_trucks *t;
    FILE *f[F__COUNT];
    char *path[F__COUNT];
    int err; /* first write error, -errno */
};

struct tc_trucks {
    const struct tc_scenario *sc;
    char *dir;
    uint32_t n_reps;
    int n_files; /* F_TRUCKS only, or both */
    bool gzip;
    struct rep_file *reps;
    char **cname, **sname; /* class and station names as CSV fields */
    char **road;           /* "road:<station>" as CSV fields */
};

struct tc_trucks *tc_trucks_new(const struct tc_scenario *sc, const char *dir, uint32_t n_reps,
                                bool visits, bool gzip)
{
    struct tc_trucks *t = tc_xcalloc(1, sizeof(*t));
    t->sc = sc;
    t->dir = tc_xstrdup(dir);
    t->n_reps = n_reps;
    t->n_files = visits ? F__COUNT : 1;
    t->gzip = gzip;
    t->reps = tc_xcalloc(n_reps, sizeof(*t->reps));
    t->cname = tc_xcalloc(sc->n_classes, sizeof(char *));
    for (uint32_t c = 0; c < sc->n_classes; c++)
        t->cname[c] = tc_csv_field_new("", sc->classes[c].name);
    t->sname = tc_xcalloc(sc->n_stations, sizeof(char *));
    t->road = tc_xcalloc(sc->n_stations, sizeof(char *));
    for (uint32_t s = 0; s < sc->n_stations; s++) {
        t->sname[s] = tc_csv_field_new("", sc->stations[s].name);
        t->road[s] = tc_csv_field_new("road:", sc->stations[s].name);
    }
    return t;
}

void tc_trucks_free(struct tc_trucks *t)
{
    if (!t)
        return;
    for (uint32_t r = 0; r < t->n_reps; r++)
        for (int k = 0; k < F__COUNT; k++) {
            if (t->reps[r].f[k])
                fclose(t->reps[r].f[k]);
            if (t->reps[r].path[k])
                remove(t->reps[r].path[k]);
            free(t->reps[r].path[k]);
        }
    for (uint32_t c = 0; c < t->sc->n_classes; c++)
        free(t->cname[c]);
    for (uint32_t s = 0; s < t->sc->n_stations; s++) {
        free(t->sname[s]);
        free(t->road[s]);
    }
    free(t->cname);
    free(t->sname);
    free(t->road);
    free(t->reps);
    free(t->dir);
    free(t);
}

uint32_t tc_trucks_n_files(const struct tc_trucks *t)
{
    return (uint32_t)t->n_files;
}

const char *tc_trucks_name(const struct tc_trucks *t)
{
    return t->gzip ? "trucks.csv.gz" : "trucks.csv";
}

const char *tc_visits_name(const struct tc_trucks *t)
{
    return t->gzip ? "visits.csv.gz" : "visits.csv";
}

static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

/* A time (nothing for NaN) and a separator. */
static char *put_time(char *p, double x, char sep)
{
    if (!isnan(x))
        p = tc_numfmt_fixed6(x, p);
    *p++ = sep;
    return p;
}

static char *put_uint(char *p, uint64_t u, char sep)
{
    char tmp[24], *s = tmp + sizeof(tmp);
    do
        *--s = (char)('0' + u % 10);
    while (u /= 10);
    memcpy(p, s, (size_t)(tmp + sizeof(tmp) - s));
    p += tmp + sizeof(tmp) - s;
    *p++ = sep;
    return p;
}

static void put_line(struct rep_file *rf, int k, const char *line, size_t n)
{
    if (fwrite(line, 1, n, rf->f[k]) != n)
        rf->err = errno ? -errno : -EIO;
}

/*
** The line buffer: the stack one unless two names (as CSV fields) and the
** numbers (at most 8 a row, each with its separator) do not fit it, which
** only very long names do: every row of an ordinary scenario costs no
** allocation.
*/
static char *line_buf(const char *a, const char *b, char *stack, size_t cap)
{
    size_t need = strlen(a) + strlen(b) + 8 * (TC_NUMFMT_LEN + 1) + 32;
    return need <= cap ? stack : tc_xmalloc(need);
}

static void on_truck(void *ud, const struct tc_truck_record *r)
{
    struct rep_file *rf = ud;
    const struct tc_trucks *t = rf->t;
    if (rf->err)
        return;
    const char *where = "";
    if (r->where != TC_NONE)
        where = r->where_road ? t->road[r->where] : t->sname[r->where];
    char stack[1024];
    char *line = line_buf(t->cname[r->cls], where, stack, sizeof(stack)), *p = line;
    p = put_uint(p, r->id, ',');
    p = put_str(p, t->cname[r->cls]);
    *p++ = ',';
    p = put_uint(p, (uint64_t)r->rep + 1, ',');
    p = put_time(p, r->t_arrive, ',');
    p = put_uint(p, r->t_arrive < t->sc->warmup, ',');
    p = put_str(p, where);
    *p++ = ',';
    p = put_time(p, r->t_exit, ',');
    p = put_str(p, tc_outcome_names[r->outcome]);
    *p++ = '\n';
    put_line(rf, F_TRUCKS, line, (size_t)(p - line));
    if (line != stack)
        free(line);
}

static void on_visit(void *ud, const struct tc_visit_record *v)
{
    struct rep_file *rf = ud;
    const struct tc_trucks *t = rf->t;
    if (rf->err)
        return;
    char stack[1024];
    char *line = line_buf(t->cname[v->cls], t->sname[v->station], stack, sizeof(stack));
    char *p = line;
    p = put_uint(p, (uint64_t)v->rep + 1, ',');
    p = put_uint(p, v->truck, ',');
    p = put_str(p, t->cname[v->cls]);
    *p++ = ',';
    p = put_str(p, t->sname[v->station]);
    *p++ = ',';
    p = put_uint(p, v->visit, ',');
    p = put_time(p, v->arrive, ',');
    p = put_time(p, v->start, ',');
    p = put_time(p, v->leave, ',');
    p = put_str(p, tc_visit_outcome_names[v->outcome]);
    *p++ = ',';
    p = put_uint(p, v->arrive < t->sc->warmup, '\n');
    put_line(rf, F_VISITS, line, (size_t)(p - line));
    if (line != stack)
        free(line);
}

int tc_trucks_begin_rep(struct tc_trucks *t, struct tc_engine *e, uint32_t rep)
{
    struct rep_file *rf = &t->reps[rep];
    int err = tc_afile_mkdirs(t->dir);
    if (err)
        return err;
    rf->t = t;
    for (int k = 0; k < t->n_files; k++) {
        char name[32];
        snprintf(name, sizeof(name), "%s.%u", k == F_TRUCKS ? "trucks" : "visits",
                 (unsigned)rep + 1);
        /* a name of its own, created exclusively: no other run and no planted link shares it */
        int fd = tc_afile_open_temp(t->dir, name, &rf->path[k]);
        if (fd < 0)
            return fd;
        rf->f[k] = fdopen(fd, "w+");
        if (!rf->f[k]) {
            err = -errno;
            close(fd);
            return err;
        }
    }
    tc_engine_set_trace(e, on_truck, rf);
    if (t->n_files > F_VISITS)
        tc_engine_set_visits(e, on_visit, rf);
    return 0;
}

int tc_trucks_end_rep(struct tc_trucks *t, uint32_t rep)
{
    struct rep_file *rf = &t->reps[rep];
    for (int k = 0; k < t->n_files; k++)
        if (!rf->err && fflush(rf->f[k]) != 0)
            rf->err = -errno;
    return rf->err;
}

/* Where the final file's bytes go: straight onto the stream, or deflated onto it. */
struct sink {
    FILE *f;
    struct tc_gzw *gz;
};

static int sink_put(struct sink *o, const void *buf, size_t n)
{
    if (o->gz)
        return tc_gzw_write(o->gz, buf, n);
    if (fwrite(buf, 1, n, o->f) != n)
        return ferror(o->f) ? tc_stream_status(o->f) : -EIO;
    return 0;
}

static const struct tc_trace_field trucks_fields[] = {
    {"id", "integer"},    {"class", "string"},      {"rep", "integer"},
    {"arrive", "number"}, {"in_warmup", "integer"}, {"where", "string"},
    {"exit", "number"},   {"outcome", "string"},    {NULL, NULL}};
static const struct tc_trace_field visits_fields[] = {
    {"rep", "integer"},    {"truck", "integer"},     {"class", "string"}, {"station", "string"},
    {"visit", "integer"},  {"arrive", "number"},     {"start", "number"}, {"leave", "number"},
    {"outcome", "string"}, {"in_warmup", "integer"}, {NULL, NULL}};

const struct tc_trace_field *tc_trace_fields(int (*write)(void *, FILE *))
{
    return write == tc_trucks_write   ? trucks_fields
           : write == tc_visits_write ? visits_fields
                                      : NULL;
}

/* The header (the names of fields), then every replication's scratch file k, in order. */
static int concat(struct tc_trucks *t, int k, const struct tc_trace_field *fields, struct sink *o)
{
    int err = 0;
    for (const struct tc_trace_field *c = fields; c->name && !err; c++) {
        err = sink_put(o, c->name, strlen(c->name));
        if (!err)
            err = sink_put(o, c[1].name ? "," : "\n", 1);
    }
    char buf[1 << 16];
    for (uint32_t r = 0; r < t->n_reps && !err; r++) {
        struct rep_file *rf = &t->reps[r];
        if (!rf->f[k])
            return -EIO;
        if (rf->err)
            return rf->err;
        rewind(rf->f[k]);
        size_t n;
        while (!err && (n = fread(buf, 1, sizeof(buf), rf->f[k])) > 0)
            err = sink_put(o, buf, n);
        if (!err && ferror(rf->f[k]))
            err = -EIO;
    }
    return err;
}

static int write_file(struct tc_trucks *t, int k, const struct tc_trace_field *fields, FILE *f)
{
    struct sink o = {f, NULL};
    if (t->gzip && !(o.gz = tc_gzw_new(f)))
        return -ENOMEM;
    int err = concat(t, k, fields, &o);
    if (o.gz) {
        int e2 = tc_gzw_finish(o.gz);
        err = err ? err : e2;
    }
    return err;
}

int tc_trucks_write(void *ud, FILE *f)
{
    return write_file(ud, F_TRUCKS, trucks_fields, f);
}

int tc_visits_write(void *ud, FILE *f)
{
    return write_file(ud, F_VISITS, visits_fields, f);
}
