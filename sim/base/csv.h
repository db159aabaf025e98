/*
** csv: the pieces of the CSV outputs (summary.csv, timeseries.csv,
** sweep.csv): RFC 4180 text fields and C-locale numbers that read back to
** the same double.
*/
#ifndef TCSIM_CSV_H
#define TCSIM_CSV_H

#include <stdio.h>

/* prefix, s and suffix as one field, quoted when s holds a comma, quote or
** line break (quotes doubled); prefix and suffix are plain text. */
void tc_csv_field(FILE *f, const char *prefix, const char *s, const char *suffix);

/* The same field as a new string (free it). */
char *tc_csv_field_new(const char *prefix, const char *s);

/* x as jsonw formats it; nothing (an empty field) for NaN and infinities. */
void tc_csv_number(FILE *f, double x);

#endif
