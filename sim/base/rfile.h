/*
** rfile: reads a whole input file (a scenario, a trace) into memory, with a
** size cap, so that /dev/zero, a huge file or a FIFO nobody writes to gives
** an error or an empty text rather than an exhausted machine or a hang. A
** regular file larger than the cap is refused from its size alone, before
** any byte is read; anything else is read up to the cap plus one byte.
*/
#ifndef TCSIM_RFILE_H
#define TCSIM_RFILE_H

#include <stddef.h>

/*
** Reads path into *out (a new buffer, NUL-terminated after *out_len bytes;
** free() it). Returns 0; -EFBIG when the file holds more than max bytes
** (*out_len is then its size when known, else max + 1); or -errno when it
** cannot be opened or read (a directory gives -EISDIR). On failure *out is
** NULL. A FIFO is opened without waiting for a writer: with none, it reads
** as empty.
*/
int tc_rfile_read(const char *path, size_t max, char **out, size_t *out_len);

#endif
