/*
** stream: the status of a stdio stream once written, with the real reason
** when stdio dropped it.
*/
#ifndef TCSIM_BASE_STREAM_H
#define TCSIM_BASE_STREAM_H

#include <stdio.h>

/*
** Flushes f: 0, or -errno. fflush reports (with a fresh errno) a write
** that failed while data was still buffered; a failure that stdio saw
** earlier and already dropped the data for leaves only the error flag, its
** errno long overwritten. Then the file's file system is asked: full, the
** reason is -ENOSPC ("No space left on device", not "Input/output error");
** else -EIO.
*/
int tc_stream_status(FILE *f);

#endif
