/*
** cli: subcommands. Each subcommand parses its own options with
** getopt_long (argv shifted past the subcommand name), loads and validates
** before doing anything, and writes nothing when anything failed: the
** outputs are committed together by afile at the very end.
*/
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/xmem.h"
#include "cli/cli_int.h"
#include "cli/verify.h"
#include "tc_config.h"
#include "tcsim/diag.h"
#include "tcsim/engine.h"
#include "tcsim/output.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"

static int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            tc_cli_print_help();
            return TC_EXIT_OK;
        }
        fputs(tc_cli_usage_text, stderr);
        return TC_EXIT_USAGE;
    }
    if (optind >= argc)
        return tc_cli_usage_error("%s", "validate: missing SCENARIO.yaml");
    int rc = TC_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        struct tc_diags diags;
        tc_diags_init(&diags);
        struct tc_scenario *sc = tc_scenario_load(argv[i], NULL, 0, &diags);
        tc_diags_sort(&diags);
        tc_diags_print(&diags, stderr);
        if (diags.n_err || !sc)
            rc = TC_EXIT_FAIL;
        else
            printf("%s: ok\n", argv[i]);
        tc_diags_fini(&diags);
        tc_scenario_free(sc);
    }
    return rc;
}

/* ==== verify ==== */

static int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool quiet = false;
    int c;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'q':
            quiet = true;
            break;
        case 'h':
            tc_cli_print_help();
            return TC_EXIT_OK;
        default:
            fputs(tc_cli_usage_text, stderr);
            return TC_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return tc_cli_usage_error("verify: unexpected argument \"%s\"", argv[optind]);
    int n_failed = tc_verify_run(quiet ? NULL : stdout);
    if (n_failed)
        fprintf(stderr, "tcsim: verify: %d case%s failed\n", n_failed, n_failed == 1 ? "" : "s");
    return n_failed ? TC_EXIT_FAIL : TC_EXIT_OK;
}

static int dispatch(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--") == 0) { /* "tcsim -- run ...": nothing to end yet */
        argv[1] = argv[0];
        argc--;
        argv++;
    }
    if (argc < 2) {
        fputs(tc_cli_usage_text, stderr);
        return TC_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        /* longer than stdio's buffer: a write fails inside fputs, so keep its errno */
        if (fputs(tc_cli_usage_text, stdout) == EOF || fputs("\n", stdout) == EOF ||
            fputs(tc_cli_help_text, stdout) == EOF)
            tc_cli_stdout_failed(-errno);
        return TC_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("tcsim %s\n", TC_VERSION);
        return TC_EXIT_OK;
    }
    /* getopt prefixes its messages with argv[0]: make that "tcsim <command>" */
    static char name_run[] = "tcsim run", name_validate[] = "tcsim validate",
                name_verify[] = "tcsim verify";
    static char name_compare[] = "tcsim compare";
    static char name_plot[] = "tcsim plot", name_sweep[] = "tcsim sweep";
    static char name_optimize[] = "tcsim optimize";
    static char name_study[] = "tcsim study";
    static char name_fit[] = "tcsim fit";
    static char name_report[] = "tcsim report";
    static const struct {
        const char *name;
        char *argv0;
        int (*fn)(int, char **);
    } cmds[] = {
        {"run", name_run, tc_cli_run},                /* cli_run.c */
        {"validate", name_validate, cmd_validate},    /* here */
        {"verify", name_verify, cmd_verify},          /* here */
        {"compare", name_compare, tc_cli_compare},    /* cli_compare.c */
        {"plot", name_plot, tc_cli_plot},             /* cli_plot.c */
        {"sweep", name_sweep, tc_cli_sweep},          /* cli_sweep.c */
        {"optimize", name_optimize, tc_cli_optimize}, /* cli_optimize.c */
        {"study", name_study, tc_cli_study},          /* cli_study.c */
        {"fit", name_fit, tc_cli_fit},                /* cli_fit.c */
        {"report", name_report, tc_cli_report},       /* cli_report.c */
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strcmp(cmd, cmds[i].name) == 0) {
            argv[1] = cmds[i].argv0;
            return cmds[i].fn(argc - 1, argv + 1);
        }
    return tc_cli_usage_error("unknown command \"%s\"", cmd);
}

int tc_cli_main(int argc, char **argv)
{
    int rc = dispatch(argc, argv);
    /* output that could not be written (> /dev/full) is a failure, never exit 0 */
    if (tc_cli_check_stdout() != 0 && rc == TC_EXIT_OK)
        rc = TC_EXIT_FAIL;
    return rc;
}
