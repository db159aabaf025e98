/*
** jsonw: a small streaming JSON writer with one number formatter. Numbers
** are printed in the "C" locale as the shortest of %.15g/%.17g that reads
** back to the same double; NaN and infinities become null. Commas and
** nesting are tracked here so writers only say what to write.
*/
#ifndef TCSIM_JSONW_H
#define TCSIM_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TC_JSONW_MAX_DEPTH 32

struct tc_jsonw {
    FILE *f;
    int depth;
    bool first[TC_JSONW_MAX_DEPTH]; /* no member written yet at this depth */
    bool pretty;
};

void tc_jsonw_init(struct tc_jsonw *w, FILE *f, bool pretty);
void tc_jsonw_begin_object(struct tc_jsonw *w);
void tc_jsonw_end_object(struct tc_jsonw *w);
void tc_jsonw_begin_array(struct tc_jsonw *w);
void tc_jsonw_end_array(struct tc_jsonw *w);
/* The key of the next member (inside an object). */
void tc_jsonw_key(struct tc_jsonw *w, const char *key);
void tc_jsonw_string(struct tc_jsonw *w, const char *s);
void tc_jsonw_number(struct tc_jsonw *w, double x);
void tc_jsonw_uint(struct tc_jsonw *w, uint64_t x);
void tc_jsonw_bool(struct tc_jsonw *w, bool b);
void tc_jsonw_null(struct tc_jsonw *w);

/* Formats x like tc_jsonw_number into buf ("null" for NaN); returns buf. */
char *tc_jsonw_format_number(double x, char *buf, size_t len);

#endif
