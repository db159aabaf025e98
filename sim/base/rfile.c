/*
** rfile: open(O_NONBLOCK) so that opening a FIFO never waits for a writer,
** then back to blocking reads. fstat gives a regular file's size up front:
** a 100 MB scenario is refused in microseconds instead of after a parse.
** Other files (pipes, character devices, /proc) have no reliable size and
** are read in chunks, stopping one byte past the cap.
*/
#include "base/rfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xmem.h"

int tc_rfile_read(const char *path, size_t max, char **out, size_t *out_len)
{
    struct stat st;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int fd, flags, rc = 0;

    *out = NULL;
    *out_len = 0;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) != 0) {
        rc = -errno;
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = -EISDIR;
        goto out;
    }
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > (unsigned long long)max) {
        *out_len = (size_t)st.st_size;
        rc = -EFBIG;
        goto out;
    }
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        rc = -errno;
        goto out;
    }
    /* A regular file is read in one go (its size is known); plus one byte to see it grew. */
    cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    if (cap > max + 1)
        cap = max + 1;
    buf = tc_xmalloc(cap + 1);
    for (;;) {
        ssize_t got;

        if (n == cap) {
            if (cap > max) {
                *out_len = max + 1;
                rc = -EFBIG;
                goto out;
            }
            cap = cap > (max + 1) / 2 ? max + 1 : 2 * cap;
            buf = tc_xrealloc(buf, cap + 1);
        }
        got = read(fd, buf + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            goto out;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > max) {
        *out_len = n;
        rc = -EFBIG;
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}
