/*
** cli_report: `tcsim report DIR [-o FILE] [--scenario FILE]`. The plot
** layer writes the page; this file parses the options, prints the
** diagnostics and picks the exit code.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmem.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "plot/report.h"
#include "tcsim/diag.h"

/* The command as typed, for the page's "reproduce" section. */
char *tc_cli_join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = tc_xmalloc(len), *p = s;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        memcpy(p, argv[i], n);
        p += n;
        *p++ = i + 1 < argc ? ' ' : '\0';
    }
    if (p == s)
        *p = '\0';
    return s;
}

int tc_cli_report_dir(const char *dir, const struct tc_report_opts *o, const char *command,
                      bool quiet)
{
    struct tc_report_opts ro = *o;
    ro.command = command;
    struct tc_diags diags;
    tc_diags_init(&diags);
    struct tc_report_result res;
    int err = tc_report_write(dir, &ro, &res, &diags);
    tc_diags_print(&diags, stderr);
    int rc = TC_EXIT_OK;
    if (err) {
        if (diags.n_err == 0)
            fprintf(stderr, "tcsim: cannot write the report of '%s': %s\n", dir, strerror(-err));
        fputs("tcsim: no report was written\n", stderr);
        rc = TC_EXIT_FAIL;
    } else if (!quiet) {
        fprintf(stderr, "tcsim: report in %s%s\n", res.path,
                res.no_gnuplot ? " (without plots: gnuplot is not installed)" : "");
    }
    free(res.path);
    tc_diags_fini(&diags);
    return rc;
}

int tc_cli_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"scenario", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct tc_report_opts ro = {0};
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            ro.out = optarg;
            break;
        case 'S':
            ro.scenario_src = optarg;
            break;
        case 'h':
            tc_cli_print_help();
            return TC_EXIT_OK;
        default:
            fputs(tc_cli_usage_text, stderr);
            return TC_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return tc_cli_usage_error("%s", optind >= argc ? "report: missing DIR"
                                                       : "report: expected exactly one directory");
    char *cmd = tc_cli_join_args(argc, argv);
    int rc = tc_cli_report_dir(argv[optind], &ro, cmd, false);
    free(cmd);
    return rc;
}
