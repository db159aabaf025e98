/*
** series: the time series of a run (timeseries.csv), formatted as CSV text
** by the thread that runs each replication. The first 256 KiB of text stays in
** memory, the rest goes to an unlinked scratch file in $TMPDIR (or /tmp).
** Memory therefore does not grow with the horizon or the number of
** replications, and the formatting runs in parallel; writing
** timeseries.csv copies the replications' text in replication order, the
** same bytes for any thread count. If the scratch file cannot be made or
** written, the text stays in memory instead.
*/
#ifndef TCSIM_SERIES_H
#define TCSIM_SERIES_H

#include <stdint.h>
#include <stdio.h>

#include "tcsim/metrics.h"
#include "tcsim/scenario.h"

struct tc_series;

/* The columns of a row are enum tc_series_field of metrics.h. */

/* For n_reps replications of sc; rows per sample: n_stations, then m's roads. */
struct tc_series *tc_series_new(const struct tc_scenario *sc, const struct tc_metrics *m,
                                uint32_t n_reps);
void tc_series_free(struct tc_series *s);

/*
** Sample k of replication rep: n_stations + n_roads rows of TC_TS__COUNT
** values. A replication's samples come in order k = 0, 1, ...
** from one thread at a time; different replications may be fed at once.
*/
void tc_series_put(struct tc_series *s, uint32_t rep, uint32_t k, const double *rows);

/* Ends replication rep (its text is complete). */
void tc_series_end_rep(struct tc_series *s, uint32_t rep);

/* All samples of a replication at once (n_samples x rows), then its end. */
void tc_series_put_rep(struct tc_series *s, uint32_t rep, uint32_t n_samples, const double *all);

/*
** For runs spread over processes (mpi.c): a replication's rows formatted
** where they were computed, as one text (free it; *len bytes, no NUL), and
** that text put into the run that gathers them (taken over; rep must not
** have been fed otherwise).
*/
char *tc_series_format_rep(const struct tc_series *s, uint32_t rep, uint32_t n_samples,
                           const double *all, size_t *len);
void tc_series_put_text(struct tc_series *s, uint32_t rep, char *text, size_t len);

/* timeseries.csv: the header, then each replication's rows in order. 0 or -errno. */
int tc_series_write_csv(const struct tc_series *s, FILE *f);

/*
** Reads back sample k, row j of replication rep into out (TC_TS__COUNT
** values; the text holds them exactly). Scans the replication's text: for
** tests and tools, not for loops. 0, or -1 when there is no such row.
*/
int tc_series_get(const struct tc_series *s, uint32_t rep, uint32_t k, uint32_t j, double *out);

#endif
