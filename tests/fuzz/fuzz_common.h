/*
** fuzz_common: what the libFuzzer harnesses share. A process-wide scratch
** directory holding two small trace CSVs (so that "trace: t.csv" and
** "trace: tc.csv" in fuzzed scenarios reach the trace reader with files
** that exist), removed at exit; splitting an input on 0xff bytes (never
** valid UTF-8, so it cannot clash with YAML, CSV or JSON text); and a pass
** over the diagnostics that formats each one, as the CLI would print it,
** without printing anything. Everything here is static: each harness is
** one translation unit plus this header.
*/
#ifndef TCSIM_FUZZ_COMMON_H
#define TCSIM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcsim/diag.h"

/* The scratch directory, "" until fuzz_make_dir() ran. */
static char fuzz_dir[64];
static char fuzz_file_t[96], fuzz_file_tc[96];

static inline void fuzz_remove_dir(void)
{
    if (fuzz_dir[0] == '\0')
        return;
    unlink(fuzz_file_t);
    unlink(fuzz_file_tc);
    rmdir(fuzz_dir);
    fuzz_dir[0] = '\0';
}

static inline int fuzz_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

/* Creates the scratch directory once; aborts when it cannot (the harness would be meaningless). */
static inline void fuzz_make_dir(void)
{
    const char *tmp = getenv("TMPDIR");

    if (fuzz_dir[0] != '\0')
        return;
    if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > 40)
        tmp = "/tmp";
    snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/tcsim-fuzz-XXXXXX", tmp);
    if (mkdtemp(fuzz_dir) == NULL) {
        perror("fuzz: mkdtemp");
        abort();
    }
    snprintf(fuzz_file_t, sizeof(fuzz_file_t), "%s/t.csv", fuzz_dir);
    snprintf(fuzz_file_tc, sizeof(fuzz_file_tc), "%s/tc.csv", fuzz_dir);
    atexit(fuzz_remove_dir);
    if (fuzz_write_file(fuzz_file_t, "time\n0\n1.5\n1.5\n30\n") != 0 ||
        fuzz_write_file(fuzz_file_tc, "time,class\n0,truck\n5,fruit\n5,general\n60,fruit\n") != 0) {
        perror("fuzz: writing the trace files");
        abort();
    }
}

/*
** Splits data[0..size) on 0xff into at most max_parts NUL-terminated copies
** (the last part keeps any further 0xff bytes). Returns the number of parts,
** >= 1; free each with free(). NUL bytes inside a part are kept: the readers
** take (text, len), and *lens gives each part's length.
*/
static inline size_t fuzz_split(const uint8_t *data, size_t size, char **parts, size_t *lens,
                                size_t max_parts)
{
    size_t n = 0, start = 0;

    for (size_t i = 0; i <= size && n < max_parts; i++) {
        if (i == size || (data[i] == 0xff && n + 1 < max_parts)) {
            size_t len = i - start;
            char *p = malloc(len + 1);

            if (p == NULL)
                abort();
            if (len > 0)
                memcpy(p, data + start, len);
            p[len] = '\0';
            parts[n] = p;
            lens[n] = len;
            n++;
            start = i + 1;
            if (i == size)
                break;
        }
    }
    return n;
}

/*
** Sorts and formats every diagnostic, and checks the counters against the
** list (a mismatch is a bug in diag.c or a caller bypassing it).
*/
static inline void fuzz_check_diags(struct tc_diags *d)
{
    char buf[512];
    size_t n_err = 0, n_warn = 0;

    tc_diags_sort(d);
    for (size_t i = 0; i < d->n; i++) {
        const struct tc_diag *g = &d->v[i];

        if (g->sev == TC_SEV_ERROR)
            n_err++;
        else
            n_warn++;
        if (g->msg == NULL || g->path == NULL || tc_diag_format(g, buf, sizeof(buf)) < 0) {
            fprintf(stderr, "fuzz: diagnostic %zu is malformed\n", i);
            abort();
        }
    }
    if (n_err != d->n_err || n_warn != d->n_warn) {
        fprintf(stderr, "fuzz: diag counters %zu/%zu, list has %zu/%zu\n", d->n_err, d->n_warn,
                n_err, n_warn);
        abort();
    }
}

#endif
