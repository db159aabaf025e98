/*
** fuzz_scenario: YAML text -> tc_scenario_load_string. Beyond "no crash, no
** leak, no undefined behaviour" it checks what the contracts promise:
** - the result is NULL exactly when diags holds an error;
** - a scenario that loads is emitted (tc_scenario_emit into memory) and the
**   text loads back without errors to an equal scenario (fuzz_roundtrip.h),
**   and emitting that one gives the same bytes (emit is a fixed point).
** Nothing is simulated: a fuzzed horizon or rate can make a run as long as
** it likes, and the loader is what reads untrusted text.
** Trace paths resolve against a scratch directory holding t.csv and tc.csv.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_roundtrip.h"
#include "tcsim/diag.h"
#include "tcsim/scenario.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_make_dir();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tc_diags d;
    struct tc_scenario *sc;

    tc_diags_init(&d);
    sc = tc_scenario_load_string((const char *)data, size, "fuzz.yaml", fuzz_dir, NULL, 0, &d);
    fuzz_check_diags(&d);
    if ((sc == NULL) != (d.n_err > 0)) {
        fprintf(stderr, "fuzz_scenario: result %s but %zu errors\n", sc ? "non-NULL" : "NULL",
                d.n_err);
        abort();
    }
    if (sc != NULL)
        round_trip(sc);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
    return 0;
}
