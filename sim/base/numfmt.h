/*
** numfmt: fast decimal formatting of the trace files' times (trucks.csv,
** visits.csv). A time is written with at most six decimals in the
** scenario's time unit (a microsecond of a minute, under 4 ms of an hour),
** trailing zeros and a bare point dropped: 438.037182, 420, 0.5. The text
** is exactly what printf("%.6f") gives with those zeros dropped (the same
** correct rounding, ties to even), except that a value rounding to zero is
** "0", never "-0"; it costs about a tenth of printf.
*/
#ifndef TC_NUMFMT_H
#define TC_NUMFMT_H

#include <stddef.h>

/* Room tc_numfmt_fixed6 needs, its terminating NUL included. */
#define TC_NUMFMT_LEN 32

/*
** Writes finite x at p (at least TC_NUMFMT_LEN bytes) and a NUL; returns
** the end (the NUL). Beyond |x| >= 4.5e9, where six decimals no longer fit
** an exact integer of a double, it writes the shortest of %.15g / %.17g that
** reads back exactly (tc_jsonw_format_number), as do the summary files.
*/
char *tc_numfmt_fixed6(double x, char *p);

#endif
