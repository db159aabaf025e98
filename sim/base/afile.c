/*
** afile: a batch is committed in two phases. Phase 1 writes every item to
** DIR/.NAME.tmp and makes it durable (fflush, fsync, fclose, each checked:
** a full disk often shows up only at fflush or fclose). Phase 2 renames the
** temporaries over the final names; rename is atomic within a directory, so
** each final name holds either the old file or the complete new one. If
** phase 1 fails nothing final is touched. A rename failing in phase 2 (rare:
** the directory was written moments ago) leaves the earlier renames done;
** the remaining temporaries are still removed. Finally the directory is
** fsync'ed so that the renames themselves survive a crash (best effort:
** some file systems refuse fsync on a directory).
*/
#include "tcsim/afile.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* dir + "/" + [.]name[.tmp]; free() it. */
static char *join(const char *dir, const char *name, bool tmp)
{
    size_t nd = strlen(dir), nn = strlen(name);
    bool slash = nd > 0 && dir[nd - 1] == '/';
    size_t len = nd + 1 + 1 + nn + 4 + 1;
    char *s = tc_xmalloc(len);
    snprintf(s, len, "%s%s%s%s%s", dir, slash ? "" : "/", tmp ? "." : "", name, tmp ? ".tmp" : "");
    return s;
}

static int write_one(const char *tmp, const struct tc_afile_item *it)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return -errno;
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
        tmp[i] = join(dir, items[i].name, true);
        fin[i] = join(dir, items[i].name, false);
    }

    size_t n_written = 0, n_renamed = 0;
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
    for (; n_written < n_items; n_written++) {
        rc = write_one(tmp[n_written], &items[n_written]);
        if (rc < 0) {
            set_failed(out_failed, fin[n_written]);
            n_written++; /* its temporary may exist */
            goto fail;
        }
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
    for (size_t i = n_renamed; i < n_written; i++)
        (void)unlink(tmp[i]);
out:
    for (size_t i = 0; i < n_items; i++) {
        free(tmp[i]);
        free(fin[i]);
    }
    free(tmp);
    free(fin);
    return rc;
}
