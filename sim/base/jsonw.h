/*
** jsonw: a small streaming JSON writer with one number formatter. Numbers
** are printed in the "C" locale as the shortest of %.15g/%.17g that reads
** back to the same double; NaN and infinities become null. Commas and
** nesting are tracked here so writers only say what to write. Pretty mode
** indents by two spaces, one member a line, except inside an inline object
** (tc_jsonw_begin_object_inline), which stays on one line. Write errors are
** left in the stream: callers check ferror() once at the end.
*/
#ifndef TCSIM_JSONW_H
#define TCSIM_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TC_JSONW_MAX_DEPTH 32
/* Enough for any formatted double ("-2.2250738585072014e-308" is 24 chars). */
#define TC_JSONW_NUMBER_LEN 32

struct tc_jsonw {
    FILE *f;
    int depth;                         /* open containers; 0 at top level */
    bool first[TC_JSONW_MAX_DEPTH];    /* no member written yet at this depth */
    bool is_array[TC_JSONW_MAX_DEPTH]; /* container kind at this depth */
    bool one_line[TC_JSONW_MAX_DEPTH]; /* inline container (or inside one) */
    bool pretty;
};

void tc_jsonw_init(struct tc_jsonw *w, FILE *f, bool pretty);
void tc_jsonw_begin_object(struct tc_jsonw *w);
/* An object written on one line even in pretty mode: {"a": 1, "b": 2}. */
void tc_jsonw_begin_object_inline(struct tc_jsonw *w);
void tc_jsonw_end_object(struct tc_jsonw *w);
void tc_jsonw_begin_array(struct tc_jsonw *w);
void tc_jsonw_end_array(struct tc_jsonw *w);
/* The key of the next member (inside an object). */
void tc_jsonw_key(struct tc_jsonw *w, const char *key);
/* A string, escaped per RFC 8259 (", \ and control characters as \u00xx). */
void tc_jsonw_string(struct tc_jsonw *w, const char *s);
void tc_jsonw_number(struct tc_jsonw *w, double x);
void tc_jsonw_uint(struct tc_jsonw *w, uint64_t x);
void tc_jsonw_bool(struct tc_jsonw *w, bool b);
void tc_jsonw_null(struct tc_jsonw *w);

/*
** Formats x like tc_jsonw_number into buf ("null" for NaN and infinities,
** "0" for -0, no decimal point for integral values: 43200); returns buf.
** len should be at least TC_JSONW_NUMBER_LEN.
*/
char *tc_jsonw_format_number(double x, char *buf, size_t len);

#endif
