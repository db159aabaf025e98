/*
** trucks: per-replication scratch files. A row is built in a buffer with
** the C-locale number formatter of jsonw (empty for NaN) and written with
** one fwrite: a replication costs one formatted line per truck and no
** memory beyond the line. The scratch files are afile temporaries
** (DIR/.trucks.N.tcsim-PID-RANDOM.tmp), so a later run removes those that
** a killed one left.
*/
#include "output/trucks.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/jsonw.h"
#include "base/stream.h"
#include "base/xmem.h"
#include "tcsim/afile.h"

struct rep_file {
    struct tc_trucks *t;
    FILE *f;
    char *path;
    int err; /* first write error, -errno */
};

struct tc_trucks {
    const struct tc_scenario *sc;
    char *dir;
    uint32_t n_reps;
    struct rep_file *reps;
    size_t line_cap; /* enough for the longest row */
};

struct tc_trucks *tc_trucks_new(const struct tc_scenario *sc, const char *dir, uint32_t n_reps)
{
    struct tc_trucks *t = tc_xcalloc(1, sizeof(*t));
    t->sc = sc;
    t->dir = tc_xstrdup(dir);
    t->n_reps = n_reps;
    t->reps = tc_xcalloc(n_reps, sizeof(*t->reps));
    size_t longest_class = 0;
    for (uint32_t c = 0; c < sc->n_classes; c++)
        if (strlen(sc->classes[c].name) > longest_class)
            longest_class = strlen(sc->classes[c].name);
    /* per station its trace times, then arrive, exit and the rep */
    t->line_cap = 64 + 2 * longest_class +
                  ((size_t)sc->n_stations * TC_TRACE__COUNT + 3) * TC_JSONW_NUMBER_LEN;
    return t;
}

void tc_trucks_free(struct tc_trucks *t)
{
    if (!t)
        return;
    for (uint32_t r = 0; r < t->n_reps; r++) {
        if (t->reps[r].f)
            fclose(t->reps[r].f);
        if (t->reps[r].path)
            remove(t->reps[r].path);
        free(t->reps[r].path);
    }
    free(t->reps);
    free(t->dir);
    free(t);
}

/* Appends a number (nothing for NaN) and a separator; the buffer is sized for it. */
static char *put_num(char *p, double x, char sep)
{
    if (x == x) {
        tc_jsonw_format_number(x, p, TC_JSONW_NUMBER_LEN);
        p += strlen(p);
    }
    *p++ = sep;
    return p;
}

static void on_truck(void *ud, const struct tc_truck_record *r)
{
    struct rep_file *rf = ud;
    const struct tc_scenario *sc = rf->t->sc;
    if (rf->err)
        return;
    char stack[1024];
    char *line = rf->t->line_cap <= sizeof(stack) ? stack : tc_xmalloc(rf->t->line_cap);
    char *p = line;
    p += snprintf(p, 64, "%llu,", (unsigned long long)r->id);
    const char *cname = sc->classes[r->cls].name;
    size_t n = strlen(cname);
    if (strpbrk(cname, ",\"\r\n")) {
        *p++ = '"';
        for (const char *c = cname; *c; c++) {
            if (*c == '"')
                *p++ = '"';
            *p++ = *c;
        }
        *p++ = '"';
    } else {
        memcpy(p, cname, n);
        p += n;
    }
    p += snprintf(p, 32, ",%u,", (unsigned)r->rep + 1);
    p = put_num(p, r->t_arrive, ',');
    for (size_t k = 0; k < (size_t)sc->n_stations * TC_TRACE__COUNT; k++)
        p = put_num(p, r->st_times[k], ',');
    p = put_num(p, r->t_exit, ',');
    n = strlen(tc_outcome_names[r->outcome]);
    memcpy(p, tc_outcome_names[r->outcome], n);
    p += n;
    *p++ = '\n';
    if (fwrite(line, 1, (size_t)(p - line), rf->f) != (size_t)(p - line))
        rf->err = errno ? -errno : -EIO;
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
    char name[32];
    snprintf(name, sizeof(name), "trucks.%u", (unsigned)rep + 1);
    /* a name of its own, created exclusively: no other run and no planted link shares it */
    int fd = tc_afile_open_temp(t->dir, name, &rf->path);
    if (fd < 0)
        return fd;
    rf->f = fdopen(fd, "w+");
    if (!rf->f) {
        err = -errno;
        close(fd);
        return err;
    }
    tc_engine_set_trace(e, on_truck, rf);
    return 0;
}

int tc_trucks_end_rep(struct tc_trucks *t, uint32_t rep)
{
    struct rep_file *rf = &t->reps[rep];
    if (!rf->err && fflush(rf->f) != 0)
        rf->err = -errno;
    return rf->err;
}

/* ",<name><suffix>", quoted as RFC 4180 when the name needs it. */
static void put_column(FILE *f, const char *name, const char *suffix)
{
    fputc(',', f);
    if (!strpbrk(name, ",\"\r\n")) {
        fprintf(f, "%s%s", name, suffix);
        return;
    }
    fputc('"', f);
    for (const char *c = name; *c; c++) {
        if (*c == '"')
            fputc('"', f);
        fputc(*c, f);
    }
    fprintf(f, "%s\"", suffix);
}

/* Column suffixes of a station's trace times, in the order of st_times. */
static const char *const slot_suffix[TC_TRACE__COUNT] = {
    [TC_TRACE_ARRIVE] = "_arrive",
    [TC_TRACE_START] = "_start",
    [TC_TRACE_LEAVE] = "_leave",
};

static int put_header(const struct tc_scenario *sc, FILE *f)
{
    fputs("id,class,rep,arrive", f);
    for (uint32_t s = 0; s < sc->n_stations; s++)
        for (int k = 0; k < TC_TRACE__COUNT; k++)
            put_column(f, sc->stations[s].name, slot_suffix[k]);
    fputs(",exit,outcome\n", f);
    return ferror(f) ? tc_stream_status(f) : 0;
}

int tc_trucks_write(void *ud, FILE *f)
{
    struct tc_trucks *t = ud;
    int err = put_header(t->sc, f);
    char buf[1 << 16];
    for (uint32_t r = 0; r < t->n_reps && !err; r++) {
        struct rep_file *rf = &t->reps[r];
        if (!rf->f)
            return -EIO;
        if (rf->err)
            return rf->err;
        rewind(rf->f);
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), rf->f)) > 0)
            if (fwrite(buf, 1, n, f) != n)
                return ferror(f) ? tc_stream_status(f) : -EIO;
        if (ferror(rf->f))
            return -EIO;
    }
    return err;
}
