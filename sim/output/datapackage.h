/*
** datapackage: DIR/datapackage.json, a Frictionless Data Package that
** describes the CSV files of one batch. Each CSV is described from the
** bytes its own writer produces (the writer is run once more into a
** counting stream that keeps no rows), so the schema's field names are
** the header exactly and cannot drift from it; a field's type is the
** narrowest of integer, number, string that every non-empty cell fits.
** A trace (trucks.csv, visits.csv, plain or .gz) is described from the
** column table its header is written from (tc_trace_fields): a second
** pass over it cost as much as writing it.
*/
#ifndef TCSIM_OUTPUT_DATAPACKAGE_H
#define TCSIM_OUTPUT_DATAPACKAGE_H

#include <stdint.h>

#include "tcsim/afile.h"
#include "tcsim/scenario.h"

struct tc_datapackage {
    const struct tc_scenario *sc;      /* NULL: no scenario metadata */
    unsigned replications;             /* 0: not written */
    const struct tc_afile_item *items; /* the batch; .csv items are described */
    size_t n_items;
};

/* An afile writer: ud is a struct tc_datapackage. */
int tc_datapackage_write(void *ud, FILE *f);

/*
** tc_afile_commit_opts with datapackage.json added to the batch (before
** the marker when co->marker): sc may be NULL (a sweep, optimize or
** study directory has no one seed), replications 0 leaves them out.
*/
int tc_datapackage_commit(const char *dir, const struct tc_afile_item *items, size_t n,
                          const struct tc_scenario *sc, unsigned replications,
                          const struct tc_afile_opts *co, const char **failed);

#endif
