/*
** jsonw: the writer keeps, per open container, whether it is an array,
** whether anything was written in it yet, and whether it is laid out on
** one line. A member's separator (",", newline and indent) is written
** before the member, so closing a container never needs to look back.
**
** Numbers: %.15g reads back exactly for most values a simulation prints
** (counts, times like 43200, short decimals), and %.17g always does; we take
** the first that round-trips, so 0.1 prints as 0.1, not 0.10000000000000001.
** Writing the shortest representation (Ryu, Grisu) would save a digit now and
** then, at the cost of a large algorithm; byte-stable output matters more.
*/
#include "base/jsonw.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tc_jsonw_init(struct tc_jsonw *w, FILE *f, bool pretty)
{
    memset(w, 0, sizeof(*w));
    w->f = f;
    w->pretty = pretty;
    w->first[0] = true;
}

static void newline_indent(struct tc_jsonw *w, int depth)
{
    fputc('\n', w->f);
    for (int i = 0; i < depth; i++)
        fputs("  ", w->f);
}

/* Separator before a member of the current container (a key or an array element). */
static void member_sep(struct tc_jsonw *w)
{
    int d = w->depth;
    if (d == 0)
        return;
    if (!w->first[d])
        fputc(',', w->f);
    if (w->pretty) {
        if (!w->one_line[d])
            newline_indent(w, d);
        else if (!w->first[d])
            fputc(' ', w->f);
    }
    w->first[d] = false;
}

/* Called before any value: inside an object the key already placed it. */
static void before_value(struct tc_jsonw *w)
{
    if (w->depth > 0 && w->is_array[w->depth])
        member_sep(w);
}

static void begin(struct tc_jsonw *w, char open, bool is_array, bool one_line)
{
    before_value(w);
    assert(w->depth + 1 < TC_JSONW_MAX_DEPTH);
    bool outer_one_line = w->depth > 0 && w->one_line[w->depth];
    fputc(open, w->f);
    w->depth++;
    w->first[w->depth] = true;
    w->is_array[w->depth] = is_array;
    w->one_line[w->depth] = one_line || outer_one_line;
}

static void end(struct tc_jsonw *w, char close, bool is_array)
{
    int d = w->depth;
    assert(d > 0 && w->is_array[d] == is_array);
    (void)is_array;
    if (w->pretty && !w->one_line[d] && !w->first[d])
        newline_indent(w, d - 1);
    fputc(close, w->f);
    w->depth--;
}

void tc_jsonw_begin_object(struct tc_jsonw *w)
{
    begin(w, '{', false, false);
}

void tc_jsonw_begin_object_inline(struct tc_jsonw *w)
{
    begin(w, '{', false, true);
}

void tc_jsonw_end_object(struct tc_jsonw *w)
{
    end(w, '}', false);
}

void tc_jsonw_begin_array(struct tc_jsonw *w)
{
    begin(w, '[', true, false);
}

void tc_jsonw_end_array(struct tc_jsonw *w)
{
    end(w, ']', true);
}

static void put_string(FILE *f, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
        } else if (c < 0x20) {
            /* One form for every control character keeps the writer and its test small. */
            fputs("\\u00", f);
            fputc(hex[c >> 4], f);
            fputc(hex[c & 15], f);
        } else {
            fputc(c, f); /* UTF-8 passes through: JSON text is UTF-8 */
        }
    }
    fputc('"', f);
}

void tc_jsonw_key(struct tc_jsonw *w, const char *key)
{
    assert(w->depth > 0 && !w->is_array[w->depth]);
    member_sep(w);
    put_string(w->f, key);
    fputs(w->pretty ? ": " : ":", w->f);
}

void tc_jsonw_string(struct tc_jsonw *w, const char *s)
{
    before_value(w);
    put_string(w->f, s);
}

char *tc_jsonw_format_number(double x, char *buf, size_t len)
{
    assert(len >= TC_JSONW_NUMBER_LEN);
    if (!isfinite(x)) {
        snprintf(buf, len, "null");
        return buf;
    }
    if (x == 0) { /* also -0: JSON readers would keep the sign, nobody wants it */
        snprintf(buf, len, "0");
        return buf;
    }
    if (fabs(x) < 1e15 && x == (double)(int64_t)x) {
        /* an integer (counts: most of timeseries.csv) prints as %.15g would, at a tenth of
           the cost: no printf, no strtod to check the round trip */
        char tmp[24], *p = tmp + sizeof(tmp);
        uint64_t u = x < 0 ? (uint64_t) - (int64_t)x : (uint64_t)x;
        *--p = '\0';
        do
            *--p = (char)('0' + u % 10);
        while (u /= 10);
        if (x < 0)
            *--p = '-';
        memcpy(buf, p, (size_t)(tmp + sizeof(tmp) - p));
        return buf;
    }
    snprintf(buf, len, "%.15g", x);
    if (strtod(buf, NULL) != x)
        snprintf(buf, len, "%.17g", x);
    /*
    ** The process never calls setlocale, but a program embedding the core
    ** might; the only thing %g changes with the locale is the radix point.
    */
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    return buf;
}

void tc_jsonw_number(struct tc_jsonw *w, double x)
{
    char buf[TC_JSONW_NUMBER_LEN];
    before_value(w);
    fputs(tc_jsonw_format_number(x, buf, sizeof(buf)), w->f);
}

void tc_jsonw_uint(struct tc_jsonw *w, uint64_t x)
{
    before_value(w);
    fprintf(w->f, "%" PRIu64, x);
}

void tc_jsonw_bool(struct tc_jsonw *w, bool b)
{
    before_value(w);
    fputs(b ? "true" : "false", w->f);
}

void tc_jsonw_null(struct tc_jsonw *w)
{
    before_value(w);
    fputs("null", w->f);
}
