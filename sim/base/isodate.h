/*
** isodate: ISO 8601 dates with a UTC offset, for start_date and the times
** written as dates ("2021-12-15T07:00+07:00"). Pure arithmetic on the
** parsed fields (days from the civil calendar, proleptic Gregorian): no
** locale, no TZ database, no mktime; the offset is always given or implied.
*/
#ifndef TCSIM_BASE_ISODATE_H
#define TCSIM_BASE_ISODATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tc_isodate {
    int64_t utc_s;      /* seconds since 1970-01-01T00:00Z */
    int32_t offset_min; /* the UTC offset written (0 when none) */
    bool has_offset;    /* an offset (Z, +HH:MM, -HH:MM) was written */
};

/* The text a bad date gets, saying what is allowed. */
#define TC_ISODATE_FORMS                                                                           \
    "expected a date \"YYYY-MM-DD\" or a date and time \"YYYY-MM-DDTHH:MM[:SS]\", optionally "     \
    "with a UTC offset (\"Z\", \"+07:00\", \"-03:30\")"

/*
** Parses YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM|-HH:MM], year 0001-9999, a real
** day of its month (29 February in leap years only), hours 00-23, an offset
** up to 18:00. Returns NULL, or a static text saying what is wrong.
*/
const char *tc_isodate_parse(const char *s, struct tc_isodate *out);

/* Whether s starts like a date ("DDDD-"): durations never do. */
bool tc_isodate_looks_like(const char *s);

/*
** utc_s as local time at offset_min: "2021-12-15T07:00:00+07:00" ("Z" is
** never written: +00:00). Returns snprintf's result.
*/
int tc_isodate_format(int64_t utc_s, int32_t offset_min, char *buf, size_t len);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; m 1-12). */
int64_t tc_isodate_days(int64_t y, unsigned m, unsigned d);

#endif
