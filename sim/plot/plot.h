/*
** plot: pictures of a run's or a sweep's outputs, drawn by gnuplot
** (README.md, the command line). The numbers are prepared here, in C: the mean and 95 % band
** of the time series across replications, the empirical distribution of
** time in system from trucks.csv, bars from summary.json, sweep curves from
** sweep.csv. They go to small data files in DIR/plots/data/ (committed by
** afile), and the scripts of plots/ only draw them: gnuplot runs as a child
** (posix_spawnp, "gnuplot --default-settings -e VARS SCRIPT", stdin from
** /dev/null, its messages captured). Pictures are rendered to temporaries
** and renamed into DIR/plots/ together once all are drawn, so a failure
** leaves no half-drawn picture and never touches the run's data files.
*/
#ifndef TCSIM_PLOT_H
#define TCSIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "tcsim/diag.h"
#include "tcsim/units.h"

enum tc_plot_format { TC_PLOT_PNG, TC_PLOT_SVG, TC_PLOT_PDF, TC_PLOT__COUNT };

/* "png", "svg", "pdf": the file extension and the value of --format. */
extern const char *const tc_plot_format_names[TC_PLOT__COUNT];

/* Parses a --format value; 0, or -EINVAL for anything but png, svg, pdf. */
int tc_plot_parse_format(const char *s, enum tc_plot_format *out);

/* Is an executable "gnuplot" on PATH? (what posix_spawnp will run) */
bool tc_plot_has_gnuplot(void);

/*
** The directory of the gnuplot scripts, the first that holds style.gp of:
** $TCSIM_PLOTS; ../share/tcsim/plots next to the running program (an
** installed or relocated tree); the source tree's plots/ (compiled in, for
** the build tree); TC_DATADIR/plots. A new string (free()), NULL if none.
*/
char *tc_plot_scripts_dir_new(void);

/* A picture size from --size: in inches (cm converted) or in pixels. */
enum tc_plot_size_unit { TC_PLOT_SIZE_NONE, TC_PLOT_SIZE_IN, TC_PLOT_SIZE_PX };

struct tc_plot_size {
    enum tc_plot_size_unit unit; /* NONE: each picture's own size */
    double w, h;                 /* in inches or pixels */
};

/*
** Parses a --size value WxH with a unit after the numbers, cm, in or px
** ("16x10cm", "6.3x4in", "1200x800px"; one unit for both). 0, or -EINVAL
** for anything else (no unit, a size not above 0, over 100 in / 10000 px).
*/
int tc_plot_parse_size(const char *s, struct tc_plot_size *out);

/* Parses a --dpi value: a whole number from 50 to 1200; 0 or -EINVAL. */
int tc_plot_parse_dpi(const char *s, int *out);

/*
** The layout unit of the scripts is 1/144 inch, the size at which gnuplot's
** cairo terminals draw a 10 pt font in a PNG as large, relative to the
** picture, as in a PDF: a PNG has dpi / 144 pixels per unit, 144 dpi by
** default (the sizes the scripts choose, 1000 px wide for most).
*/
#define TC_PLOT_UNITS_PER_IN 144.0
#define TC_PLOT_DPI_DEFAULT  144
/* A PDF's default width: 16 cm, within the text width of A4 and Letter pages. */
#define TC_PLOT_PDF_WIDTH_IN (16 / 2.54)

struct tc_plot_opts {
    enum tc_plot_format format;
    const char *scripts_dir;  /* NULL: tc_plot_scripts_dir_new() */
    struct tc_plot_size size; /* unit NONE: the default of the format */
    int dpi;                  /* PNG pixels per inch; 0: TC_PLOT_DPI_DEFAULT */
};

/* What tc_plot_dir wrote. */
struct tc_plot_result {
    char **files; /* paths of the pictures, owned */
    size_t n_files;
};

void tc_plot_result_fini(struct tc_plot_result *r);

/*
** Draws every plot that dir's outputs allow into dir/plots/: from a run
** (summary.json + scenario.yaml + timeseries.csv, trucks.csv if present)
** stations, road, time_in_system, utilization, throughput; from a sweep
** (sweep.csv) sweep_time_in_system, sweep_wait, sweep_utilization,
** sweep_road_km; from optimize (optimize.csv, optimize.json) optimize.
** Returns 0; -ENOENT when gnuplot is not on PATH (checked
** first: nothing is written); -ENOENT with a diagnostic when the scripts or
** dir's outputs are missing; -EINVAL with diagnostics for unreadable inputs
** or a gnuplot failure (its messages); another -errno for I/O errors.
*/
int tc_plot_dir(const char *dir, const struct tc_plot_opts *o, struct tc_plot_result *out,
                struct tc_diags *diags);

/*
** The unit to show a time axis in, for times up to span (in time_unit tu):
** days from 3 days on, hours from 3 hours, minutes from 3 minutes, else
** seconds. *out_scale converts a time in tu to that unit; returns its name
** ("d", "h", "min", "s").
*/
const char *tc_plot_time_axis(enum tc_time_unit tu, double span, double *out_scale);

/*
** s as a gnuplot string expression that is data, never code: single-quoted
** ('it''s'), a line break joined as "\n" ('a'."\n".'b'), into buf; returns
** the length it needs (like snprintf), the text cut when len is too small.
*/
size_t tc_plot_quote(const char *s, char *buf, size_t len);

/*
** Splits one CSV record (RFC 4180 quoting, no line breaks inside fields)
** in place: line is modified, fields[i] point into it. Returns the number
** of fields (at most max_fields; more are not split off), or -1 for an
** unterminated quote.
*/
int tc_plot_csv_split(char *line, char **fields, int max_fields);

#endif
