/*
** afile: a batch is committed in two phases. Phase 1 writes every item to
** a temporary of its own (DIR/.NAME.tcsim-PID-RANDOM.tmp, created with
** O_EXCL and O_NOFOLLOW, so neither a concurrent run nor a planted symlink
** can share it) and makes it durable (fflush, fsync, fclose, each checked:
** a full disk often shows up only at fflush or fclose). Phase 2 renames the
** temporaries over the final names; rename is atomic within a directory, so
** each final name holds either the old file or the complete new one. If
** phase 1 fails nothing final is touched. A rename failing in phase 2 (rare:
** the directory was written moments ago) leaves the earlier renames done;
** the remaining temporaries are still removed. Finally the directory is
** fsync'ed so that the renames themselves survive a crash (best effort:
** some file systems refuse fsync on a directory). rename replaces a
** symlink at the final name; it never writes through it. With a marker,
** the marker's old file is removed before the first rename and the new one
** renamed last, so a crash in phase 2 leaves a set without a marker, never
** one that looks complete.
*/
#include "tcsim/afile.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/xmem.h"

static _Thread_local char failed_path[4096];

static void set_failed(const char **out_failed, const char *path)
{
    if (!out_failed)
        return;
    snprintf(failed_path, sizeof(failed_path), "%s", path);
    *out_failed = failed_path;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
** One mkdir per component. An existing component is fine when it is a
** directory, whatever mkdir said (EEXIST, or EACCES/EROFS on some systems
** for a directory that exists), so we ask stat rather than trust errno.
*/
int tc_afile_mkdirs(const char *dir)
{
    if (!dir || !*dir)
        return -ENOENT;
    char *p = tc_xstrdup(dir);
    int rc = 0;
    for (char *q = p + 1;; q++) {
        bool end = *q == '\0';
        if (!end && *q != '/')
            continue;
        if (q[-1] != '/') { /* skip empty components: "a//b", "a/" */
            char saved = *q;
            *q = '\0';
            if (mkdir(p, 0777) != 0) {
                int err = errno;
                if (!is_dir(p)) {
                    /* "file/sub": mkdir says EEXIST for "file", which is not a directory */
                    rc = err == EEXIST ? -ENOTDIR : -err;
                    break;
                }
            }
            *q = saved;
        }
        if (end)
            break;
    }
    free(p);
    return rc;
}

/* dir + "/" + name; free() it. */
static char *join(const char *dir, const char *name)
{
    size_t nd = strlen(dir), nn = strlen(name);
    bool slash = nd > 0 && dir[nd - 1] == '/';
    size_t len = nd + 1 + nn + 1;
    char *s = tc_xmalloc(len);
    snprintf(s, len, "%s%s%s", dir, slash ? "" : "/", name);
    return s;
}

#define TEMP_TAG ".tcsim-"

/*
** 64 bits that no other process shares: getrandom, else /dev/urandom, else
** the clock (the simulation's seed would repeat across runs).
*/
static uint64_t random_bits(void)
{
    uint64_t x = 0;
    if (getrandom(&x, sizeof(x), GRND_NONBLOCK) == (ssize_t)sizeof(x))
        return x;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, &x, sizeof(x));
        close(fd);
        if (n == (ssize_t)sizeof(x))
            return x;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ (uint64_t)(uintptr_t)&x;
}

int tc_afile_open_temp(const char *dir, const char *name, char **out_path)
{
    /* EEXIST only when a file sits at a name nobody could guess: try a few. */
    for (int attempt = 0; attempt < 16; attempt++) {
        char base[4096];
        int n = snprintf(base, sizeof(base), ".%s" TEMP_TAG "%ld-%016llx.tmp", name, (long)getpid(),
                         (unsigned long long)random_bits());
        if (n < 0 || (size_t)n >= sizeof(base))
            return -ENAMETOOLONG;
        char *path = join(dir, base);
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *out_path = path;
            return fd;
        }
        int err = errno;
        free(path);
        if (err != EEXIST)
            return -err;
    }
    return -EEXIST;
}

/* Writes item it to a new temporary in dir, its path in *tmp (NULL when none was created). */
static int write_one(const char *dir, const struct tc_afile_item *it, char **tmp)
{
    *tmp = NULL;
    int fd = tc_afile_open_temp(dir, it->name, tmp);
    if (fd < 0)
        return fd;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    int rc = it->write(it->ud, f);
    if (rc > 0) /* a writer that forgot the sign */
        rc = -rc;
    if (rc == 0 && fflush(f) != 0)
        rc = -errno;
    if (rc == 0 && ferror(f))
        rc = -EIO;
    if (rc == 0 && fsync(fileno(f)) != 0)
        rc = -errno;
    if (fclose(f) != 0 && rc == 0)
        rc = -errno;
    return rc;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

int tc_afile_commit(const char *dir, const struct tc_afile_item *items, size_t n_items,
                    const char **out_failed)
{
    return tc_afile_commit_opts(dir, items, n_items, NULL, out_failed);
}

int tc_afile_commit_opts(const char *dir, const struct tc_afile_item *items, size_t n_items,
                         const struct tc_afile_opts *opts, const char **out_failed)
{
    static const struct tc_afile_opts plain = {0};
    if (!opts)
        opts = &plain;
    int rc = tc_afile_mkdirs(dir);
    if (rc < 0) {
        set_failed(out_failed, dir ? dir : "");
        return rc;
    }
    char **tmp = tc_xcalloc(n_items, sizeof(*tmp));
    char **fin = tc_xcalloc(n_items, sizeof(*fin));
    for (size_t i = 0; i < n_items; i++) {
        /* A name is a plain file name: the temporary must sit next to it. */
        assert(items[i].name[0] && !strchr(items[i].name, '/'));
        fin[i] = join(dir, items[i].name);
    }

    size_t n_renamed = 0;
    bool in_renames = false;
    /* A final name that is a directory would make its rename fail after
       others succeeded: refuse before anything is renamed. */
    for (size_t i = 0; i < n_items; i++) {
        struct stat st;
        if (lstat(fin[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = -EISDIR;
            set_failed(out_failed, fin[i]);
            goto fail;
        }
    }
    for (size_t i = 0; i < n_items; i++) {
        if (opts->stopped && opts->stopped(opts->ud)) {
            rc = -EINTR;
            goto fail;
        }
        rc = write_one(dir, &items[i], &tmp[i]);
        if (rc < 0) {
            set_failed(out_failed, fin[i]);
            goto fail;
        }
    }
    if (opts->begin_renames)
        opts->begin_renames(opts->ud);
    in_renames = true;
    if (opts->stopped && opts->stopped(opts->ud)) {
        rc = -EINTR;
        goto fail;
    }
    /* The marker goes first, so that no reader takes the old one for the new set. */
    if (opts->marker && n_items > 0 && unlink(fin[n_items - 1]) != 0 && errno != ENOENT) {
        rc = -errno;
        set_failed(out_failed, fin[n_items - 1]);
        goto fail;
    }
    for (size_t i = 0; i < opts->n_obsolete; i++) {
        char *old = join(dir, opts->obsolete[i]);
        int gone = unlink(old) == 0 || errno == ENOENT;
        if (!gone) {
            rc = -errno;
            set_failed(out_failed, old);
        }
        free(old);
        if (!gone)
            goto fail;
    }
    for (; n_renamed < n_items; n_renamed++) {
        if (rename(tmp[n_renamed], fin[n_renamed]) != 0) {
            rc = -errno;
            set_failed(out_failed, fin[n_renamed]);
            goto fail;
        }
    }
    sync_dir(dir);
    rc = 0;
    goto out;

fail:
    for (size_t i = n_renamed; i < n_items; i++)
        if (tmp[i])
            (void)unlink(tmp[i]);
out:
    if (in_renames && opts->end_renames)
        opts->end_renames(opts->ud);
    for (size_t i = 0; i < n_items; i++) {
        free(tmp[i]);
        free(fin[i]);
    }
    free(tmp);
    free(fin);
    return rc;
}

/* A temporary of ours: "." NAME ".tcsim-" ... ".tmp". */
static bool is_our_temp(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' && n > 4 && strcmp(name + n - 4, ".tmp") == 0 &&
           strstr(name + 1, TEMP_TAG) != NULL;
}

int tc_afile_remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_our_temp(e->d_name))
            continue;
        /* unlinkat removes a symlink itself, never its target */
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            n++;
    }
    closedir(d);
    return n;
}

/* How many trailing components of dir do not exist yet. */
static int missing_components(const char *dir)
{
    char *p = tc_xstrdup(dir);
    int n = 0;
    for (;;) {
        size_t len = strlen(p);
        while (len > 1 && p[len - 1] == '/')
            p[--len] = '\0';
        struct stat st;
        if (stat(p, &st) == 0)
            break;
        char *slash = strrchr(p, '/');
        n++;
        if (!slash || slash == p)
            break;
        *slash = '\0';
    }
    free(p);
    return n;
}

int tc_afile_lock(struct tc_afile_lock *l, const char *dir)
{
    l->fd = -1;
    l->dir = NULL;
    l->n_made = 0;
    int n_made = missing_components(dir);
    int rc = tc_afile_mkdirs(dir);
    if (rc < 0)
        return rc;
    l->dir = tc_xstrdup(dir);
    l->n_made = n_made;
    /* The directory itself is locked: no lock file to plant or leave behind. */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        tc_afile_unlock(l);
        return rc;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        rc = -errno;
        close(fd);
        if (rc == -ENOLCK || rc == -EOPNOTSUPP || rc == -EINVAL) {
            /* no locks here (some network file systems): go on unlocked */
            tc_afile_remove_stale(dir);
            return 0;
        }
        l->n_made = 0; /* the other run's directory */
        tc_afile_unlock(l);
        return rc == -EAGAIN ? -EWOULDBLOCK : rc;
    }
    l->fd = fd;
    tc_afile_remove_stale(dir);
    return 0;
}

void tc_afile_unlock(struct tc_afile_lock *l)
{
    if (l->fd >= 0)
        close(l->fd); /* releases the flock */
    l->fd = -1;
    if (l->dir) {
        char *p = l->dir;
        for (int i = 0; i < l->n_made; i++) {
            size_t len = strlen(p);
            while (len > 1 && p[len - 1] == '/')
                p[--len] = '\0';
            if (rmdir(p) != 0)
                break;
            char *slash = strrchr(p, '/');
            if (!slash || slash == p)
                break;
            *slash = '\0';
        }
        free(l->dir);
    }
    l->dir = NULL;
    l->n_made = 0;
}
