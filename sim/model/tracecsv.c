/*
** tracecsv: a line-at-a-time scanner over the whole file held in memory.
** Each line is split into fields (RFC 4180 quoting, but a quoted field may
** not span lines: a trace has no use for that and it keeps positions
** simple), each field remembers its 1-based column, and the time field goes
** through tc_units_duration so that a trace accepts exactly what the
** scenario file accepts. Class names are found through tc_diag_suggest's
** candidates list linearly: classes are few.
*/
#include "model/tracecsv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/rfile.h"
#include "base/xmem.h"

struct field {
    char *s;      /* unquoted, trimmed text; owned */
    uint32_t col; /* 1-based column of the field's first character */
};

struct reader {
    const char *display;
    struct tc_diags *diags;
    uint32_t n_diags;
    bool stopped; /* the diagnostic cap was reached */
};

static void rd_error(struct reader *r, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void rd_error(struct reader *r, uint32_t line, uint32_t col, const char *fmt, ...)
{
    struct tc_pos pos = {r->display, line, col};
    char msg[512];
    va_list ap;

    if (r->stopped)
        return;
    if (r->n_diags == TC_TRACECSV_MAX_DIAGS) {
        tc_diags_add(r->diags, TC_SEV_ERROR, &pos, "",
                     "too many errors in this trace; the rest of the file was not checked");
        r->stopped = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tc_diags_add(r->diags, TC_SEV_ERROR, &pos, "", "%s", msg);
    r->n_diags++;
}

/* A field's text for a message: quoted, cut at 40 characters. */
static void shown(const char *s, char *buf, size_t len)
{
    size_t l = strlen(s);

    if (l > 40)
        snprintf(buf, len, "\"%.40s...\"", s);
    else
        snprintf(buf, len, "\"%s\"", s);
}

static void free_fields(struct field *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].s);
}

/*
** Splits line [p, end) into fields; returns the count, or -1 after an
** error (an unterminated quote, text after a closing quote, a NUL byte).
*/
static long split(struct reader *r, uint32_t line_no, const char *p, const char *end,
                  struct field **fields, size_t *cap)
{
    const char *line = p;
    size_t n = 0;

    for (;;) {
        const char *q = p;
        char *buf;
        size_t o = 0;

        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (n == *cap) {
            *cap = *cap ? 2 * *cap : 8;
            *fields = tc_xrealloc(*fields, *cap * sizeof(**fields));
        }
        (*fields)[n].col = (uint32_t)(q - line) + 1;
        buf = tc_xmalloc((size_t)(end - q) + 1);
        if (q < end && *q == '"') {
            q++;
            for (;;) {
                if (q >= end) {
                    rd_error(r, line_no, (*fields)[n].col, "a quoted field is not closed");
                    free(buf);
                    free_fields(*fields, n);
                    return -1;
                }
                if (*q == '"') {
                    if (q + 1 < end && q[1] == '"') {
                        buf[o++] = '"';
                        q += 2;
                        continue;
                    }
                    q++;
                    break;
                }
                buf[o++] = *q++;
            }
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            if (q < end && *q != ',') {
                rd_error(r, line_no, (uint32_t)(q - line) + 1,
                         "expected a comma after a quoted field");
                free(buf);
                free_fields(*fields, n);
                return -1;
            }
        } else {
            const char *s = q;

            while (q < end && *q != ',')
                q++;
            /* trim trailing blanks */
            {
                const char *e = q;

                while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
                    e--;
                memcpy(buf, s, (size_t)(e - s));
                o = (size_t)(e - s);
            }
        }
        buf[o] = '\0';
        if (memchr(buf, '\0', o) != NULL) {
            rd_error(r, line_no, (*fields)[n].col, "unexpected NUL byte");
            free(buf);
            free_fields(*fields, n);
            return -1;
        }
        (*fields)[n].s = buf;
        n++;
        if (q >= end)
            break;
        p = q + 1; /* past the comma */
    }
    return (long)n;
}

static bool is_blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t')
            return false;
    return true;
}

void tc_trace_fini(struct tc_trace *tr)
{
    if (tr == NULL)
        return;
    free(tr->t);
    free(tr->cls);
    memset(tr, 0, sizeof(*tr));
}

/*
** The line of the first row past max_rows (the header is the first line
** that is not blank, as in parse), or 0 when there are at most max_rows.
** A byte scan, so a trace far too long fails in milliseconds rather than
** after a second of parsing the rows that fit.
*/
static uint32_t line_past(const char *p, const char *end, size_t max_rows)
{
    size_t n_lines = 0; /* non-blank lines so far, header included */
    uint32_t line_no = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;

        line_no++;
        if (le > p && le[-1] == '\r')
            le--;
        if (!is_blank(p, le) && n_lines++ == max_rows + 1)
            return line_no;
        p = nl ? nl + 1 : end;
    }
    return 0;
}

/* What parse() carries from row to row. */
struct parse {
    struct reader r;
    long time_i, class_i; /* column of each, or -1 */
    TC_VEC(double) ts;
    TC_VEC(uint32_t) cs;
    char prev_text[64];
    /* The first row out of order, reported once at the end with how many more there are. */
    char unsorted_msg[192];
    uint32_t unsorted_line, unsorted_col;
    size_t n_unsorted;
    bool ok;
};

/* The header row: which column is time and which class. False when no row can be read. */
static bool header_row(struct parse *ps, uint32_t line_no, const struct field *f, long n,
                       struct tc_trace *out)
{
    static const char *const known[] = {"time", "class"};
    out->header_line = line_no;
    for (long i = 0; i < n; i++) {
        const char *name = f[i].s;
        long *slot = strcmp(name, "time") == 0    ? &ps->time_i
                     : strcmp(name, "class") == 0 ? &ps->class_i
                                                  : NULL;
        if (slot != NULL) {
            if (*slot >= 0) {
                rd_error(&ps->r, line_no, f[i].col, "column \"%s\" appears twice", name);
                ps->ok = false;
            }
            *slot = i;
            continue;
        }
        const char *best = tc_diag_suggest(name, known, 2);
        if (best != NULL) {
            char sh[64];
            shown(name, sh, sizeof(sh));
            rd_error(&ps->r, line_no, f[i].col, "unknown column %s; did you mean \"%s\"?", sh,
                     best);
            ps->ok = false;
        }
    }
    if (ps->time_i < 0) {
        rd_error(&ps->r, line_no, 1,
                 "the header row has no \"time\" column (a trace needs time, and class "
                 "when its stream has several classes)");
        ps->ok = false;
    }
    if (ps->class_i >= 0)
        out->class_col = f[ps->class_i].col;
    return ps->time_i >= 0;
}

/* A row's time: a duration, not before the previous row's. */
static void time_cell(struct parse *ps, uint32_t line_no, const struct field *tf,
                      enum tc_time_unit tu)
{
    double t;
    const char *err = tc_units_duration(tf->s, tu, &t);
    char sh[64];
    if (err != NULL) {
        shown(tf->s, sh, sizeof(sh));
        rd_error(&ps->r, line_no, tf->col, "time: %s, got %s", err, sh);
        ps->ok = false;
        return;
    }
    if (ps->ts.n > 0 && t < ps->ts.v[ps->ts.n - 1]) {
        if (ps->n_unsorted++ == 0) {
            shown(tf->s, sh, sizeof(sh));
            snprintf(ps->unsorted_msg, sizeof(ps->unsorted_msg),
                     "rows must be sorted by time, got %s after \"%s\"", sh, ps->prev_text);
            ps->unsorted_line = line_no;
            ps->unsorted_col = tf->col;
        }
        ps->ok = false;
    }
    snprintf(ps->prev_text, sizeof(ps->prev_text), "%s", tf->s);
    TC_VEC_PUSH(ps->ts, t);
}

/* A row's class: one of classes. */
static void class_cell(struct parse *ps, uint32_t line_no, const struct field *cf,
                       const char *const *classes, uint32_t n_classes)
{
    uint32_t c = UINT32_MAX;
    for (uint32_t k = 0; k < n_classes; k++)
        if (strcmp(cf->s, classes[k]) == 0)
            c = k;
    if (c == UINT32_MAX) {
        const char *best = tc_diag_suggest(cf->s, classes, n_classes);
        char sh[64];
        shown(cf->s, sh, sizeof(sh));
        if (best != NULL) {
            rd_error(&ps->r, line_no, cf->col, "unknown class %s; did you mean \"%s\"?", sh, best);
        } else {
            char list[256];
            size_t o = 0;
            list[0] = '\0';
            for (uint32_t k = 0; k < n_classes && o < sizeof(list); k++) {
                int w = snprintf(list + o, sizeof(list) - o, "%s%s", k ? ", " : "", classes[k]);
                if (w < 0)
                    break;
                o += (size_t)w;
            }
            rd_error(&ps->r, line_no, cf->col, "unknown class %s (classes: %s)", sh, list);
        }
        ps->ok = false;
    }
    TC_VEC_PUSH(ps->cs, c);
}

/* The errors that need the whole file, then the trace handed over (0) or freed (-EINVAL). */
static int finish(struct parse *ps, long n_cols, uint32_t line_no, struct tc_trace *out)
{
    if (ps->n_unsorted > 0) {
        /* Reported now, so that a file in reverse order gives one message, not a flood. */
        if (ps->n_unsorted > 1)
            rd_error(&ps->r, ps->unsorted_line, ps->unsorted_col,
                     "%s (and %zu more row%s out of order)", ps->unsorted_msg, ps->n_unsorted - 1,
                     ps->n_unsorted > 2 ? "s" : "");
        else
            rd_error(&ps->r, ps->unsorted_line, ps->unsorted_col, "%s", ps->unsorted_msg);
    }
    if (n_cols < 0 && ps->ok) {
        rd_error(&ps->r, line_no ? line_no : 1, 1,
                 "the trace is empty; expected a header row naming a time column");
        ps->ok = false;
    } else if (ps->ok && ps->ts.n == 0) {
        rd_error(&ps->r, out->header_line, 1, "the trace has a header but no rows");
        ps->ok = false;
    }
    if (!ps->ok) {
        free(ps->ts.v);
        free(ps->cs.v);
        memset(out, 0, sizeof(*out));
        return -EINVAL;
    }
    out->t = ps->ts.v;
    out->n = ps->ts.n;
    out->cls = ps->class_i >= 0 ? ps->cs.v : NULL;
    if (ps->class_i < 0)
        free(ps->cs.v);
    return 0;
}

static int parse(const char *text, size_t len, const char *display, enum tc_time_unit tu,
                 const char *const *classes, uint32_t n_classes, size_t max_rows,
                 struct tc_trace *out, struct tc_diags *diags)
{
    struct parse ps = {.r = {display, diags, 0, false}, .time_i = -1, .class_i = -1, .ok = true};
    const char *p = text, *end = text + len;
    struct field *f = NULL;
    size_t fcap = 0;
    uint32_t line_no = 0;
    long n_cols = -1;

    memset(out, 0, sizeof(*out));
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    line_no = line_past(p, end, max_rows);
    if (line_no != 0) {
        rd_error(&ps.r, line_no, 1,
                 "more than %u trace rows (TC_LIMIT_TRACE_ROWS in tcsim/limits.h, which counts "
                 "the rows of all traces of a scenario)",
                 TC_LIMIT_TRACE_ROWS);
        return -EINVAL;
    }
    while (p < end && !ps.r.stopped) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;

        line_no++;
        if (le > p && le[-1] == '\r')
            le--;
        if (is_blank(p, le)) {
            p = nl ? nl + 1 : end;
            continue;
        }
        long n = split(&ps.r, line_no, p, le, &f, &fcap);
        p = nl ? nl + 1 : end;
        if (n < 0) {
            ps.ok = false;
            if (n_cols < 0)
                break; /* no header: nothing else can be read */
            continue;
        }
        if (n_cols < 0) {
            n_cols = n;
            bool go_on = header_row(&ps, line_no, f, n, out);
            free_fields(f, (size_t)n);
            if (!go_on)
                break;
            continue;
        }
        if (n != n_cols) {
            rd_error(&ps.r, line_no, 1, "expected %ld fields as in the header, got %ld", n_cols, n);
            ps.ok = false;
        } else {
            time_cell(&ps, line_no, &f[ps.time_i], tu);
            if (ps.class_i >= 0)
                class_cell(&ps, line_no, &f[ps.class_i], classes, n_classes);
        }
        free_fields(f, (size_t)n);
    }
    free(f);
    return finish(&ps, n_cols, line_no, out);
}

int tc_tracecsv_parse(const char *text, size_t len, const char *display, enum tc_time_unit tu,
                      const char *const *classes, uint32_t n_classes, struct tc_trace *out,
                      struct tc_diags *diags)
{
    return parse(text, len, display, tu, classes, n_classes, TC_LIMIT_TRACE_ROWS, out, diags);
}

int tc_tracecsv_read_max(const char *path, const char *display, enum tc_time_unit tu,
                         const char *const *classes, uint32_t n_classes, size_t max_bytes,
                         size_t max_rows, size_t *out_bytes, struct tc_trace *out,
                         struct tc_diags *diags)
{
    char *text;
    size_t len;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = tc_rfile_read(path, max_bytes, &text, &len);
    if (out_bytes != NULL)
        *out_bytes = rc == 0 || rc == -EFBIG ? len : 0;
    if (rc < 0)
        return rc;
    rc = parse(text, len, display, tu, classes, n_classes, max_rows, out, diags);
    free(text);
    return rc;
}

int tc_tracecsv_read(const char *path, const char *display, enum tc_time_unit tu,
                     const char *const *classes, uint32_t n_classes, struct tc_trace *out,
                     struct tc_diags *diags)
{
    return tc_tracecsv_read_max(path, display, tu, classes, n_classes, TC_LIMIT_TRACE_BYTES,
                                TC_LIMIT_TRACE_ROWS, NULL, out, diags);
}
