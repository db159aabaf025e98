/*
** datapackage.json: see datapackage.h. "created" is written only when
** SOURCE_DATE_EPOCH is set (as that time), so that the same inputs and
** seed give the same bytes.
*/
#define _GNU_SOURCE
#include "output/datapackage.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/isodate.h"
#include "base/xmem.h"
#include "output/trucks.h"
#include "tc_config.h"
#include "tcsim/units.h"

/* T_ANY: a column with no value in any row (every cell missing) */
enum { T_ANY, T_INTEGER, T_NUMBER, T_STRING };

/* A streaming CSV scanner: the header's names and each column's type. */
struct scan {
    json_t *names;
    int *type;
    size_t n_cols, cap_cols, col;
    char *cell;
    size_t len, cap;
    int quoted, in_quote, after_quote, row;
};

static int cell_type(const char *s)
{
    char *end;
    errno = 0;
    (void)strtoll(s, &end, 10);
    if (*end == '\0' && errno == 0)
        return T_INTEGER;
    (void)strtod(s, &end);
    if (*end == '\0')
        return T_NUMBER;
    return T_STRING;
}

static void end_cell(struct scan *s)
{
    s->cell[s->len] = '\0';
    if (s->row == 0) {
        json_array_append_new(s->names, json_string(s->cell));
        if (s->n_cols == s->cap_cols) {
            s->cap_cols = s->cap_cols ? 2 * s->cap_cols : 16;
            s->type = tc_xrealloc(s->type, s->cap_cols * sizeof(int));
        }
        s->type[s->n_cols++] = T_ANY;
    } else if (s->col < s->n_cols && s->len > 0) {
        int t = s->quoted ? T_STRING : cell_type(s->cell);
        if (t > s->type[s->col])
            s->type[s->col] = t;
    }
    s->col++;
    s->len = 0;
    s->quoted = s->after_quote = 0;
}

static void put(struct scan *s, char c)
{
    if (s->len + 1 >= s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->cell = tc_xrealloc(s->cell, s->cap);
    }
    s->cell[s->len++] = c;
}

static ssize_t scan_write(void *cookie, const char *buf, size_t size)
{
    struct scan *s = cookie;
    for (size_t i = 0; i < size; i++) {
        char c = buf[i];
        if (s->in_quote) {
            if (c == '"') {
                s->in_quote = 0;
                s->after_quote = 1;
            } else
                put(s, c);
        } else if (c == '"') {
            if (s->after_quote)
                put(s, '"');
            s->in_quote = s->quoted = 1;
        } else if (c == ',') {
            end_cell(s);
        } else if (c == '\n') {
            end_cell(s);
            s->row++;
            s->col = 0;
        } else if (c != '\r') {
            s->after_quote = 0;
            put(s, c);
        }
    }
    return (ssize_t)size;
}

static const char *const type_name[] = {"any", "integer", "number", "string"};

/* A Table Schema of these fields (taken); an empty cell is a missing value. */
static json_t *table_schema(json_t *fields)
{
    json_t *schema = json_object();
    json_object_set_new(schema, "fields", fields);
    json_t *mv = json_array();
    json_array_append_new(mv, json_string(""));
    json_object_set_new(schema, "missingValues", mv);
    return schema;
}

static json_t *schema_of(const struct tc_afile_item *it, int *err)
{
    struct scan s = {0};
    s.names = json_array();
    cookie_io_functions_t io = {NULL, scan_write, NULL, NULL};
    FILE *f = fopencookie(&s, "w", io);
    if (!f) {
        *err = -ENOMEM;
        json_decref(s.names);
        return NULL;
    }
    *err = it->write(it->ud, f);
    fclose(f);
    json_t *fields = json_array();
    for (size_t i = 0; i < s.n_cols; i++) {
        json_t *fd = json_object();
        json_object_set(fd, "name", json_array_get(s.names, i));
        json_object_set_new(fd, "type", json_string(type_name[s.type[i]]));
        json_array_append_new(fields, fd);
    }
    json_decref(s.names);
    free(s.type);
    free(s.cell);
    return table_schema(fields);
}

/* A trace's schema from its column table (no pass over its rows). */
static json_t *schema_of_trace(const struct tc_trace_field *tf)
{
    json_t *fields = json_array();
    for (; tf->name; tf++) {
        json_t *fd = json_object();
        json_object_set_new(fd, "name", json_string(tf->name));
        json_object_set_new(fd, "type", json_string(tf->type));
        json_array_append_new(fields, fd);
    }
    return table_schema(fields);
}

static json_t *resource_of(const struct tc_afile_item *it, int *err)
{
    size_t n = strlen(it->name);
    bool gz = n > 7 && strcmp(it->name + n - 7, ".csv.gz") == 0;
    bool csv = n > 4 && strcmp(it->name + n - 4, ".csv") == 0;
    if (!gz && !csv)
        return NULL;
    json_t *r = json_object();
    char *base = tc_xstrdup(it->name);
    base[n - (gz ? 7 : 4)] = '\0';
    json_object_set_new(r, "name", json_string(base));
    free(base);
    json_object_set_new(r, "path", json_string(it->name));
    json_object_set_new(r, "profile", json_string("tabular-data-resource"));
    json_object_set_new(r, "format", json_string("csv"));
    json_object_set_new(r, "mediatype", json_string("text/csv"));
    json_object_set_new(r, "encoding", json_string("utf-8"));
    const struct tc_trace_field *tf = tc_trace_fields(it->write);
    if (gz)
        json_object_set_new(r, "compression", json_string("gz"));
    if (tf)
        json_object_set_new(r, "schema", schema_of_trace(tf));
    else if (!gz)
        json_object_set_new(r, "schema", schema_of(it, err));
    return r;
}

static void set_created(json_t *root)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (!e || !*e)
        return;
    char *end;
    long long t = strtoll(e, &end, 10);
    if (*end != '\0')
        return;
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    if (gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
        json_object_set_new(root, "created", json_string(buf));
}

/* The run's settings; horizon and warm-up in time_unit. */
static void set_scenario(json_t *root, const struct tc_scenario *sc)
{
    json_object_set_new(root, "scenario", json_string(sc->name));
    json_object_set_new(root, "seed", json_integer((json_int_t)sc->seed));
    json_object_set_new(root, "time_unit", json_string(tc_units_name(sc->time_unit)));
    json_object_set_new(root, "horizon", json_real(sc->horizon));
    json_object_set_new(root, "warmup", json_real(sc->warmup));
    char buf[64];
    int k = sc->has_start_date
                ? tc_isodate_format(sc->start_utc_s, sc->start_offset_min, buf, sizeof buf)
                : -1;
    if (k > 0 && (size_t)k < sizeof buf)
        json_object_set_new(root, "start_date", json_string(buf));
}

int tc_datapackage_write(void *ud, FILE *f)
{
    const struct tc_datapackage *dp = ud;
    json_t *root = json_object();
    json_object_set_new(root, "profile", json_string("tabular-data-package"));
    json_object_set_new(root, "name", json_string("tcsim-output"));
    json_object_set_new(root, "tcsim_version", json_string(TC_VERSION));
    if (dp->sc)
        set_scenario(root, dp->sc);
    if (dp->replications)
        json_object_set_new(root, "replications", json_integer(dp->replications));
    set_created(root);
    json_t *res = json_array();
    int err = 0;
    for (size_t i = 0; i < dp->n_items && err == 0; i++) {
        json_t *r = resource_of(&dp->items[i], &err);
        if (r)
            json_array_append_new(res, r);
    }
    json_object_set_new(root, "resources", res);
    if (err == 0 && json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
        err = -EIO;
    json_decref(root);
    if (err == 0 && fputc('\n', f) == EOF)
        err = -EIO;
    return err;
}

int tc_datapackage_commit(const char *dir, const struct tc_afile_item *items, size_t n,
                          const struct tc_scenario *sc, unsigned replications,
                          const struct tc_afile_opts *co, const char **failed)
{
    struct tc_afile_item *all = tc_xcalloc(n + 1, sizeof(*all));
    size_t before = co && co->marker && n > 0 ? n - 1 : n;
    memcpy(all, items, before * sizeof(*all));
    struct tc_datapackage dp = {sc, replications, items, before};
    all[before] = (struct tc_afile_item){"datapackage.json", tc_datapackage_write, &dp};
    if (before < n)
        all[n] = items[before];
    int err = tc_afile_commit_opts(dir, all, n + 1, co, failed);
    free(all);
    return err;
}
