/*
** fuzz_tracecsv: CSV text -> tc_tracecsv_parse, twice: in minutes with no
** class names, and in hours with a few (those of the seed traces), so that
** the class column is both refused and resolved. Checks the contract of
** tracecsv.h on every input: 0 or -EINVAL, nothing else; on success
** non-decreasing finite times >= 0, class indices in range, cls present
** exactly when the header has a class column; on failure an empty trace
** and at least one error, and at most TC_TRACECSV_MAX_DIAGS + 1 of them.
*/
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "model/tracecsv.h"
#include "tcsim/diag.h"
#include "tcsim/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bug(const char *what, size_t k)
{
    fprintf(stderr, "fuzz_tracecsv: %s (row %zu)\n", what, k);
    abort();
}

static void parse_once(const char *text, size_t len, enum tc_time_unit tu,
                       const char *const *classes, uint32_t n_classes)
{
    struct tc_diags d;
    struct tc_trace tr;
    int rc;

    tc_diags_init(&d);
    rc = tc_tracecsv_parse(text, len, "fuzz.csv", tu, classes, n_classes, &tr, &d);
    fuzz_check_diags(&d);
    if (rc == 0) {
        if (d.n_err != 0 || tr.n == 0 || tr.t == NULL || tr.header_line == 0)
            bug("success with errors or without rows", 0);
        if ((tr.cls != NULL) != (tr.class_col != 0))
            bug("cls and class_col disagree", 0);
        for (size_t k = 0; k < tr.n; k++) {
            if (!isfinite(tr.t[k]) || tr.t[k] < 0)
                bug("a time is negative or not finite", k);
            if (k > 0 && tr.t[k] < tr.t[k - 1])
                bug("times decrease", k);
            if (tr.cls != NULL && tr.cls[k] >= n_classes)
                bug("class index out of range", k);
        }
        tc_trace_fini(&tr);
    } else if (rc == -EINVAL) {
        if (d.n_err == 0 || d.n_err > TC_TRACECSV_MAX_DIAGS + 1)
            bug("-EINVAL with no or too many errors", d.n_err);
        if (tr.t != NULL || tr.cls != NULL || tr.n != 0)
            bug("a failed parse left rows", 0);
    } else {
        bug("unexpected return code", (size_t)-rc);
    }
    tc_diags_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const classes[] = {"fruit", "general", "truck", "lo", "hi", "dry"};

    parse_once((const char *)data, size, TC_TU_MIN, NULL, 0);
    parse_once((const char *)data, size, TC_TU_H, classes, 6);
    return 0;
}
