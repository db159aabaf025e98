/*
** scenario_traces: the trace files of arrival streams, read through
** tracecsv with messages positioned in the CSV; a stream with several
** classes needs a class key or a class column, not both.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/xmem.h"
#include "model/scenario_int.h"
#include "model/tracecsv.h"

/* base_dir + "/" + rel, or rel when it is absolute or there is no base. */
static char *join_path(const char *base_dir, const char *rel)
{
    size_t lb, lr;
    char *s;

    if (rel[0] == '/' || base_dir == NULL || base_dir[0] == '\0' || strcmp(base_dir, ".") == 0)
        return tc_xstrdup(rel);
    lb = strlen(base_dir);
    lr = strlen(rel);
    s = tc_xmalloc(lb + lr + 2);
    memcpy(s, base_dir, lb);
    if (base_dir[lb - 1] != '/')
        s[lb++] = '/';
    memcpy(s + lb, rel, lr + 1);
    return s;
}

/*
** cwd + "/" + path for a relative path, with leading "./" dropped; NULL if
** the directory is unknown. realpath() is not used: glibc hides it under
** _POSIX_C_SOURCE alone, and resolving symlinks is not needed here.
*/
static char *absolute_path(const char *path)
{
    TC_VEC(char) cwd = {0};
    size_t lc, lp;
    char *s;

    if (path[0] == '/')
        return tc_xstrdup(path);
    TC_VEC_GROW(cwd, 256);
    while (getcwd(cwd.v, cwd.cap) == NULL) {
        if (errno != ERANGE || cwd.cap > (1u << 20)) {
            free(cwd.v);
            return NULL;
        }
        TC_VEC_GROW(cwd, cwd.cap * 2);
    }
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    lc = strlen(cwd.v);
    lp = strlen(path);
    s = tc_xmalloc(lc + lp + 2);
    memcpy(s, cwd.v, lc);
    if (lc == 0 || s[lc - 1] != '/')
        s[lc++] = '/';
    memcpy(s + lc, path, lp + 1);
    free(cwd.v);
    return s;
}

void tc_scenario_check_trace(struct tc_scenario_load *L, uint32_t i)
{
    struct tc_scenario *sc = L->sc;
    struct tc_source *so = &sc->sources[i];
    const char **classes = tc_xmalloc(((size_t)sc->n_classes + 1) * sizeof(*classes));
    struct tc_trace tr;
    char *file = join_path(L->base_dir, so->trace_path);
    char *abs;
    size_t m = tc_ynode_path_key(&L->y.path, "arrivals");
    size_t bytes = 0;
    int rc;

    tc_ynode_path_index(&L->y.path, i);
    for (uint32_t c = 0; c < sc->n_classes; c++)
        classes[c] = sc->classes[c].name;
    rc = tc_tracecsv_read_max(file, file, sc->time_unit, classes, sc->n_classes,
                              L->trace_bytes_left, L->trace_rows_left, &bytes, &tr, L->y.diags);
    free(classes);
    /* Read bytes count even from a bad trace: 10,000 streams may name one huge file. */
    L->trace_bytes_left -= bytes <= L->trace_bytes_left ? bytes : L->trace_bytes_left;
    if (rc == 0)
        L->trace_rows_left -= tr.n;
    if (rc == -EINVAL) {
        L->source_ok[i] = false;
        goto out;
    }
    if (rc == -EFBIG) {
        tc_ynode_error(&L->y, L->source_trace[i], "trace",
                       "\"%s\" takes the traces of this scenario past %u bytes (1 GiB; "
                       "TC_LIMIT_TRACE_BYTES in tcsim/limits.h, for all its traces together)",
                       file, TC_LIMIT_TRACE_BYTES);
        L->source_ok[i] = false;
        goto out;
    }
    if (rc < 0) {
        tc_ynode_error(&L->y, L->source_trace[i], "trace", "cannot read \"%s\": %s", file,
                       strerror(-rc));
        L->source_ok[i] = false;
        goto out;
    }
    if (tr.cls != NULL && L->source_class[i] != 0) {
        tc_ynode_error(&L->y, L->source_class[i], "class",
                       "the trace \"%s\" has a class column; give the class in one place only",
                       file);
        L->source_ok[i] = false;
    } else if (tr.cls == NULL && L->source_class[i] == 0 && sc->n_classes > 1 && L->classes_ok) {
        char list[512];
        const char **names = tc_xmalloc(sc->n_classes * sizeof(*names));

        for (uint32_t c = 0; c < sc->n_classes; c++)
            names[c] = sc->classes[c].name;
        tc_scenario_short_list(names, sc->n_classes, list, sizeof(list));
        free(names);
        tc_ynode_error(&L->y, L->source_node[i], NULL,
                       "missing key \"class\" (there are several classes: %s, and the trace has "
                       "no class column)",
                       list);
        L->source_ok[i] = false;
    }
    if (tr.cls != NULL)
        so->class_id = TC_NONE;
    so->trace_t = tr.t;
    so->trace_class = tr.cls;
    so->n_trace = tr.n;
    /* Emitted scenarios must find the file from anywhere: keep an absolute path. */
    abs = absolute_path(file);
    if (abs != NULL) {
        free(so->trace_path);
        so->trace_path = abs;
    }
out:
    free(file);
    tc_ynode_path_pop(&L->y.path, m);
}
