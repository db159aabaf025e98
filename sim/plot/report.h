/*
** report: `tcsim report DIR`, one self-contained HTML file a planner can
** mail: what was assumed, the headline numbers with their intervals, the
** tables per station, class and road, the plots inline as SVG, the
** results of a sweep, study, optimize or fit, the warnings that qualify
** the numbers, and how to reproduce them. No script, no external file:
** the CSS is inline and every plot is SVG text in the page.
*/
#ifndef TCSIM_REPORT_H
#define TCSIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "tcsim/diag.h"

struct tc_report_opts {
    const char *out;          /* NULL: DIR/report.html */
    const char *scenario_src; /* the original scenario file (for its comments); NULL: none */
    const char *command;      /* the command line that wrote DIR; NULL: not known */
    const char *scripts_dir;  /* gnuplot scripts; NULL: tc_plot_scripts_dir_new() */
};

struct tc_report_result {
    char *path;     /* the file written, owned (free()) */
    size_t n_plots; /* pictures inlined */
    bool no_gnuplot;
};

/*
** Writes the report of the outputs in dir, atomically (afile). Returns 0;
** -ENOENT with a diagnostic when dir is missing or holds no tcsim outputs;
** -EINVAL with diagnostics for unreadable inputs; another -errno for I/O
** errors. Plots that cannot be drawn (no gnuplot) are a warning: the
** report is written without them and says why.
*/
int tc_report_write(const char *dir, const struct tc_report_opts *o, struct tc_report_result *out,
                    struct tc_diags *diags);

#endif
