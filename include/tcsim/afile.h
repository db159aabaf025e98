/*
** afile: atomic output files. A file is written to a temporary of its own,
** DIR/.NAME.tcsim-PID-RANDOM.tmp (created exclusively, never through a
** symlink), flushed and fsync'ed, and renamed over DIR/NAME only when it is
** complete, so an interrupted run never leaves a half-written file that
** looks whole. A batch commits several files together: all are written
** first, then all renamed; if any write fails, every temporary is removed
** and no final name is touched. A directory lock keeps a second writer out.
*/
#ifndef TCSIM_AFILE_H
#define TCSIM_AFILE_H

#include <stdbool.h>
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

/* How a batch is committed; zero-initialise for the plain commit above. */
struct tc_afile_opts {
    /*
    ** The last item is the batch's completion marker: its old file is
    ** removed before the first rename and the new one is renamed last, so
    ** it exists only beside a complete set.
    */
    bool marker;
    /*
    ** Files of an earlier set that this one does not have (plain names):
    ** removed with the marker, before the first rename, so that no old
    ** file is left beside the new set.
    */
    const char *const *obsolete;
    size_t n_obsolete;
    /*
    ** Asked before each write and once more just before the renames (after
    ** begin_renames): true stops the commit, every temporary is removed and
    ** it returns -EINTR with no final name touched.
    */
    bool (*stopped)(void *ud);
    /*
    ** Around the renames, the commit's short critical section (e.g. to hold
    ** signals off so that the set is renamed whole). end_renames is called
    ** whenever begin_renames was.
    */
    void (*begin_renames)(void *ud);
    void (*end_renames)(void *ud);
    void *ud;
};

/* tc_afile_commit with options (opts may be NULL). */
int tc_afile_commit_opts(const char *dir, const struct tc_afile_item *items, size_t n_items,
                         const struct tc_afile_opts *opts, const char **out_failed);

/*
** Creates DIR/.NAME.tcsim-PID-RANDOM.tmp for reading and writing, with
** O_EXCL and O_NOFOLLOW: a planted file or symlink is never written
** through. Returns the descriptor (close-on-exec) and sets *out_path (to
** free()), or -errno.
*/
int tc_afile_open_temp(const char *dir, const char *name, char **out_path);

/*
** An advisory lock (flock) on an output directory, created if needed: one
** writer at a time. Taking it also removes the temporaries that dead runs
** left there (any ".*.tcsim-*.tmp": with the lock held, no other tcsim is
** writing). Where the file system has no locks the directory is used
** unlocked.
*/
struct tc_afile_lock {
    int fd;     /* the directory, -1: not locked */
    char *dir;  /* as given */
    int n_made; /* trailing components of dir that taking the lock created */
};
/* 0, -EWOULDBLOCK when another process holds the lock, or -errno (nothing created then). */
int tc_afile_lock(struct tc_afile_lock *l, const char *dir);
/*
** Releases the lock. The directories that tc_afile_lock created are
** removed again when they are still empty (a failed run leaves no new
** directory behind).
*/
void tc_afile_unlock(struct tc_afile_lock *l);

/* Removes the stale temporaries of dead runs in dir (see tc_afile_lock); returns how many. */
int tc_afile_remove_stale(const char *dir);

/* mkdir -p; returns 0 or -errno. */
int tc_afile_mkdirs(const char *dir);

#endif
