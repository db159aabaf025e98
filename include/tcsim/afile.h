/*
** afile: atomic output files. A file is written to DIR/.NAME.tmp, flushed
** and fsync'ed, and renamed over DIR/NAME only when it is complete, so an
** interrupted run never leaves a half-written file that looks whole. A
** batch commits several files together: all are written first, then all
** renamed; if any write fails, every temporary is removed and no final
** name is touched.
*/
#ifndef TCSIM_AFILE_H
#define TCSIM_AFILE_H

#include <stdio.h>

/* Writes the contents of one file to f; returns 0 or -errno. */
typedef int tc_afile_fn(void *ud, FILE *f);

struct tc_afile_item {
    const char *name; /* file name inside dir */
    tc_afile_fn *write;
    void *ud;
};

/*
** Creates dir (and its parents) if needed, writes every item to its
** temporary, then renames them all. Returns 0, or -errno with
** *out_failed (if not NULL) set to the path that failed (static storage
** inside a thread-local buffer).
*/
int tc_afile_commit(const char *dir, const struct tc_afile_item *items, size_t n_items,
                    const char **out_failed);

/* mkdir -p; returns 0 or -errno. */
int tc_afile_mkdirs(const char *dir);

#endif
