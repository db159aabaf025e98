/*
** slow_rename: an LD_PRELOAD shim for outdir.py. Every rename and renameat
** sleeps TCSIM_SLOW_RENAME_MS milliseconds (default 200) before doing its
** work, so that a test can send a signal while tcsim commits its outputs;
** the first one creates the file TCSIM_SLOW_RENAME_FLAG (when set), which
** tells the test that the renames have begun.
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void slow_down(void)
{
    static int flagged;
    const char *flag = getenv("TCSIM_SLOW_RENAME_FLAG");
    if (flag && !flagged) {
        flagged = 1;
        int fd = open(flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
        if (fd >= 0)
            close(fd);
    }
    const char *ms = getenv("TCSIM_SLOW_RENAME_MS");
    long v = ms ? strtol(ms, NULL, 10) : 200;
    struct timespec ts = {v / 1000, (v % 1000) * 1000000L};
    int saved = errno;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    errno = saved;
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "rename");
    slow_down();
    return real(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
    static int (*real)(int, const char *, int, const char *);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "renameat");
    slow_down();
    return real(fromfd, from, tofd, to);
}
