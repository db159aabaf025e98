/*
** diag: diagnostics about user input (scenario YAML, trace CSV, --set).
** Loading never stops at the first problem: every error and warning is
** appended here with its position and key path, then sorted and printed
** GCC style, 1-based: "file:line:col: error: key.path: message".
** A diagnostic with line 0 prints as "file: error: ..." (no position).
*/
#ifndef TCSIM_DIAG_H
#define TCSIM_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum tc_sev { TC_SEV_ERROR, TC_SEV_WARNING };

/* A position in an input file; file is borrowed (the loader keeps it alive). */
struct tc_pos {
    const char *file;
    uint32_t line; /* 1-based; 0 = unknown */
    uint32_t col;  /* 1-based */
};

struct tc_diag {
    enum tc_sev sev;
    char *file; /* owned */
    uint32_t line, col;
    char *path; /* key path such as "stations.customs.servers", may be "" */
    char *msg;
    size_t order; /* insertion order, the last sort key */
};

struct tc_diags {
    struct tc_diag *v;
    size_t n, cap;
    size_t n_err, n_warn;
};

void tc_diags_init(struct tc_diags *d);
void tc_diags_fini(struct tc_diags *d);

/* Appends a diagnostic at pos (pos may be NULL: no position). */
void tc_diags_add(struct tc_diags *d, enum tc_sev sev, const struct tc_pos *pos, const char *path,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Sorts by file, line, column, then insertion order; stable and total. */
void tc_diags_sort(struct tc_diags *d);

/* Prints every diagnostic, one per line, to f. */
void tc_diags_print(const struct tc_diags *d, FILE *f);

/*
** Formats one diagnostic into buf (no newline); returns snprintf's result.
** "file:line:col: error: path: msg"; col 0 gives "file:line: error: ..."
** (--set overrides), line 0 gives "file: error: ...", an empty file gives
** "error: ...", and an empty path drops "path: ". Warnings say "warning:".
*/
int tc_diag_format(const struct tc_diag *g, char *buf, size_t len);

/*
** The candidate closest to word by edit distance (Damerau-Levenshtein in
** its optimal-string-alignment form: insert, delete, substitute, swap two
** neighbours), if close enough to be a likely typo: distance <= 2 and
** 2 * distance < strlen(word). So "sevrers" gives "servers", "capcity"
** "capacity", while a 3-letter word allows 1 edit and a 2-letter word none.
** Ties go to the first candidate. Returns a pointer into cands, or NULL.
*/
const char *tc_diag_suggest(const char *word, const char *const *cands, size_t n_cands);

/*
** Out of memory. The library has no error path for a failed allocation (a
** simulation has nothing sensible to do without memory): it calls this
** hook with the size it asked for, and aborts if there is none or the hook
** returns. The program sets one that reports and exits. Returns the
** previous hook. Process-wide.
*/
typedef void tc_oom_fn(size_t n);
tc_oom_fn *tc_set_oom_hook(tc_oom_fn *fn);

#endif
