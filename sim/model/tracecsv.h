/*
** tracecsv: replayed arrivals (scenarios/README.md, "trace"). A CSV file with a
** header row naming its columns: "time" (required) and "class" (optional),
** one truck a row, times in the scenario's time_unit (or durations with
** units, "1 d 7 h"), sorted. Other columns are ignored, unless their name
** is a likely typo of time or class. Fields may be quoted ("a,b" with ""
** for a quote); blank lines, a UTF-8 byte order mark and CRLF line ends are
** accepted. Problems are positioned in the CSV: "file:line:col". The whole
** file is read into memory; the rows cost 12 bytes each. Limits (tcsim/
** limits.h): TC_LIMIT_TRACE_BYTES bytes and TC_LIMIT_TRACE_ROWS rows.
** Rows out of order give one message, at the first, with the count of the
** others.
*/
#ifndef TCSIM_TRACECSV_H
#define TCSIM_TRACECSV_H

#include <stddef.h>
#include <stdint.h>

#include "tcsim/diag.h"
#include "tcsim/units.h"

/* At most this many diagnostics per file; a final one says the rest were skipped. */
#define TC_TRACECSV_MAX_DIAGS 10

struct tc_trace {
    double *t;            /* arrival times in time_unit, non-decreasing; owned */
    uint32_t *cls;        /* class index per row; owned; NULL without a class column */
    size_t n;             /* rows */
    uint32_t header_line; /* 1-based line of the header row */
    uint32_t class_col;   /* 1-based column of "class" in the header; 0 when absent */
};

/*
** Reads the trace at path; display is the file name used in diagnostics.
** classes[0..n_classes-1] are the names the class column may hold. Returns
** 0 on success (out filled; tc_trace_fini it), -errno when the file cannot
** be opened or read, -EFBIG when it is larger than TC_LIMIT_TRACE_BYTES
** (nothing is added to diags: the caller knows where the path came from),
** or -EINVAL after adding the content errors to diags.
** On failure out is empty and needs no fini.
*/
int tc_tracecsv_read(const char *path, const char *display, enum tc_time_unit tu,
                     const char *const *classes, uint32_t n_classes, struct tc_trace *out,
                     struct tc_diags *diags);

/*
** The same with the caps given: at most max_bytes in the file (else -EFBIG)
** and max_rows rows (else an error in diags); *out_bytes (if not NULL) gets
** the bytes read, whether the content was valid or not. A scenario shares
** TC_LIMIT_TRACE_BYTES and TC_LIMIT_TRACE_ROWS among all its traces.
*/
int tc_tracecsv_read_max(const char *path, const char *display, enum tc_time_unit tu,
                         const char *const *classes, uint32_t n_classes, size_t max_bytes,
                         size_t max_rows, size_t *out_bytes, struct tc_trace *out,
                         struct tc_diags *diags);

/* The same for text in memory (len bytes, NUL bytes allowed but rejected). */
int tc_tracecsv_parse(const char *text, size_t len, const char *display, enum tc_time_unit tu,
                      const char *const *classes, uint32_t n_classes, struct tc_trace *out,
                      struct tc_diags *diags);

/* Frees the rows; accepts an empty trace. */
void tc_trace_fini(struct tc_trace *tr);

#endif
