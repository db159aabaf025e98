/*
** fuzz_override: a scenario plus --set KEY=VALUE pairs carved from one
** input: the parts between 0xff bytes are the YAML text, then up to
** MAX_SETS overrides, each split at its first '=' (no '=': an empty value;
** the CLI refuses that and an empty key, the library must survive both).
** The scenario text is loaded with the overrides through
** tc_scenario_load_string, as `tcsim run --set` does, and a scenario that
** loads goes through the same emit -> load round trip as fuzz_scenario
** (the emitted file has the overrides applied and must stand on its own).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_roundtrip.h"
#include "tcsim/diag.h"
#include "tcsim/scenario.h"

#define MAX_SETS 8

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
    char *parts[1 + MAX_SETS];
    size_t lens[1 + MAX_SETS];
    struct tc_override ovr[MAX_SETS];
    size_t n = fuzz_split(data, size, parts, lens, 1 + MAX_SETS), n_ovr = 0;
    struct tc_diags d;
    struct tc_scenario *sc;

    /* Keys and values are C strings on the command line: they end at a NUL. */
    for (size_t i = 1; i < n; i++) {
        char *eq = strchr(parts[i], '=');

        ovr[n_ovr].key = parts[i];
        if (eq != NULL) {
            *eq = '\0';
            ovr[n_ovr].value = eq + 1;
        } else {
            ovr[n_ovr].value = "";
        }
        n_ovr++;
    }
    tc_diags_init(&d);
    sc = tc_scenario_load_string(parts[0], lens[0], "fuzz.yaml", fuzz_dir, ovr, n_ovr, &d);
    fuzz_check_diags(&d);
    if ((sc == NULL) != (d.n_err > 0)) {
        fprintf(stderr, "fuzz_override: result %s but %zu errors\n", sc ? "non-NULL" : "NULL",
                d.n_err);
        abort();
    }
    if (sc != NULL)
        round_trip(sc);
    tc_scenario_free(sc);
    tc_diags_fini(&d);
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    return 0;
}
