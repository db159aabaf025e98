/*
** cli_plot: `tcsim plot DIR [--format png|svg|pdf] [--size WxH] [--dpi N]`, and the helper that
** `run --plot` and `sweep` share. The plot module does the work and
** returns diagnostics; this file only prints them and picks the exit code.
*/
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_int.h"
#include "plot/plot.h"
#include "tcsim/diag.h"

static const char no_gnuplot_fmt[] =
    "tcsim: cannot draw plots: gnuplot is not installed (install the gnuplot-nox package: "
    "apt-get install gnuplot-nox); the data in %s/ are intact\n";

int tc_cli_plot_opt(struct tc_plot_opts *o, int opt, const char *arg)
{
    if (opt == TC_CLI_OPT_SIZE) {
        if (tc_plot_parse_size(arg, &o->size) == 0)
            return 1;
        tc_cli_usage_error("--size: expected WxH with a unit, cm, in or px (16x10cm, 6.3x4in, "
                           "1200x800px), from 1 in or 100 px to 100 in or 10000 px, got \"%s\"",
                           arg);
        return -1;
    }
    if (opt == TC_CLI_OPT_DPI) {
        if (tc_plot_parse_dpi(arg, &o->dpi) == 0)
            return 1;
        tc_cli_usage_error("--dpi: expected a whole number from 50 to 1200, got \"%s\"", arg);
        return -1;
    }
    return 0;
}

int tc_cli_plot_dir(const char *dir, const struct tc_plot_opts *o, bool quiet)
{
    struct tc_diags diags;
    tc_diags_init(&diags);
    struct tc_plot_result res;
    int err = tc_plot_dir(dir, o, &res, &diags);
    int rc = TC_EXIT_OK;
    if (err == -ENOENT && diags.n == 0) {
        fprintf(stderr, no_gnuplot_fmt, dir);
        rc = TC_EXIT_FAIL;
    } else if (err) {
        tc_diags_print(&diags, stderr);
        if (diags.n_err == 0)
            fprintf(stderr, "tcsim: cannot draw the plots of '%s': %s\n", dir, strerror(-err));
        fprintf(stderr, "tcsim: no plot was written; the data in %s/ are intact\n", dir);
        rc = TC_EXIT_FAIL;
    } else if (!quiet) {
        tc_diags_print(&diags, stderr); /* gnuplot's warnings */
        const char *slash = res.n_files ? strrchr(res.files[0], '/') : NULL;
        fprintf(stderr, "tcsim: %zu plot%s in %.*s/:", res.n_files, res.n_files == 1 ? "" : "s",
                slash ? (int)(slash - res.files[0]) : 0, slash ? res.files[0] : "");
        for (size_t i = 0; i < res.n_files; i++) {
            const char *b = strrchr(res.files[i], '/');
            fprintf(stderr, " %s", b ? b + 1 : res.files[i]);
        }
        fputc('\n', stderr);
    }
    tc_plot_result_fini(&res);
    tc_diags_fini(&diags);
    return rc;
}

int tc_cli_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        TC_CLI_PLOT_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    struct tc_plot_opts po = {.format = TC_PLOT_PNG};
    bool quiet = false;
    int c;
    while ((c = getopt_long(argc, argv, "f:qh", opts, NULL)) != -1) {
        int taken = tc_cli_plot_opt(&po, c, optarg);
        if (taken < 0)
            return TC_EXIT_USAGE;
        if (taken)
            continue;
        switch (c) {
        case 'f':
            if (tc_plot_parse_format(optarg, &po.format))
                return tc_cli_usage_error("--format: expected png, svg or pdf, got \"%s\"", optarg);
            break;
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
    if (optind + 1 != argc)
        return tc_cli_usage_error("%s", optind >= argc ? "plot: missing DIR"
                                                       : "plot: expected exactly one directory");
    return tc_cli_plot_dir(argv[optind], &po, quiet);
}
