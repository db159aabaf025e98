/*
** stream: see stream.h.
*/
#include "base/stream.h"

#include <errno.h>
#include <sys/statvfs.h>

int tc_stream_status(FILE *f)
{
    if (fflush(f) != 0)
        return -errno;
    if (!ferror(f))
        return 0;
    /* a memory stream has no descriptor: fstatvfs fails and the answer stays EIO */
    int fd = fileno(f);
    struct statvfs v;
    if (fd >= 0 && fstatvfs(fd, &v) == 0 && v.f_bavail == 0)
        return -ENOSPC;
    return -EIO;
}
