/*
** The pure helpers of plot: formats, the unit of a time axis, gnuplot
** quoting, the CSV splitter, finding gnuplot and the scripts, and the
** error of a directory with nothing to draw. The pictures themselves are
** checked by plot.py with the real gnuplot.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/tc_check.h"
#include "plot/plot.h"
#include "plot/plot_int.h"

START_TEST(test_parse_format_accepts_png_svg_pdf)
{
    enum tc_plot_format f = TC_PLOT__COUNT;
    ck_assert_int_eq(tc_plot_parse_format("png", &f), 0);
    ck_assert_int_eq(f, TC_PLOT_PNG);
    ck_assert_int_eq(tc_plot_parse_format("svg", &f), 0);
    ck_assert_int_eq(f, TC_PLOT_SVG);
    ck_assert_int_eq(tc_plot_parse_format("pdf", &f), 0);
    ck_assert_int_eq(f, TC_PLOT_PDF);
    ck_assert_int_eq(tc_plot_parse_format("gif", &f), -EINVAL);
    ck_assert_int_eq(tc_plot_parse_format("PNG", &f), -EINVAL);
    ck_assert_int_eq(tc_plot_parse_format("", &f), -EINVAL);
    ck_assert_int_eq(tc_plot_parse_format(NULL, &f), -EINVAL);
    ck_assert_int_eq(f, TC_PLOT_PDF);
    ck_assert_str_eq(tc_plot_format_names[TC_PLOT_SVG], "svg");
}
END_TEST

static const struct {
    enum tc_time_unit tu;
    double span;
    const char *unit;
    double scale;
} axis_cases[] = {
    {TC_TU_MIN, 10080, "d", 1.0 / 1440}, /* a week in minutes */
    {TC_TU_MIN, 4320, "d", 1.0 / 1440},  /* exactly 3 days */
    {TC_TU_MIN, 4319, "h", 1.0 / 60},
    {TC_TU_MIN, 600, "h", 1.0 / 60},
    {TC_TU_MIN, 180, "h", 1.0 / 60},
    {TC_TU_MIN, 179, "min", 1},
    {TC_TU_MIN, 3, "min", 1},
    {TC_TU_MIN, 2, "s", 60},
    {TC_TU_D, 66, "d", 1},
    {TC_TU_D, 0.5, "h", 24},
    {TC_TU_H, 2, "min", 60},
    {TC_TU_S, 7200, "min", 1.0 / 60},
    {TC_TU_S, 10800, "h", 1.0 / 3600},
    {TC_TU_S, 1, "s", 1},
    {TC_TU_MIN, 0, "s", 60}, /* nothing to show: the finest unit */
};

START_TEST(test_parse_size_takes_cm_in_px)
{
    struct tc_plot_size z;
    ck_assert_int_eq(tc_plot_parse_size("16x10cm", &z), 0);
    ck_assert_int_eq(z.unit, TC_PLOT_SIZE_IN);
    ck_assert_double_eq_tol(z.w, 16 / 2.54, 1e-12);
    ck_assert_double_eq_tol(z.h, 10 / 2.54, 1e-12);
    ck_assert_int_eq(tc_plot_parse_size("6.3X4in", &z), 0);
    ck_assert(z.unit == TC_PLOT_SIZE_IN && z.w == 6.3 && z.h == 4);
    ck_assert_int_eq(tc_plot_parse_size("1200x800px", &z), 0);
    ck_assert(z.unit == TC_PLOT_SIZE_PX && z.w == 1200 && z.h == 800);
    /* no unit, another unit, not above 0, under 1 in or 100 px, over 100 in or 10000 px */
    static const char *const bad[] = {"16x10",    "16x10mm",  "x10cm",   "16cm",
                                      "0x3cm",    "-4x3in",   "2x0.5in", "99x800px",
                                      "101x10in", "16x10cm ", "",        "nanxnanin"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(tc_plot_parse_size(bad[i], &z) == -EINVAL, "accepted \"%s\"", bad[i]);
    ck_assert_int_eq(tc_plot_parse_size(NULL, &z), -EINVAL);
    int dpi = 0;
    ck_assert_int_eq(tc_plot_parse_dpi("288", &dpi), 0);
    ck_assert_int_eq(dpi, 288);
    ck_assert_int_eq(tc_plot_parse_dpi("50", &dpi), 0);
    ck_assert_int_eq(tc_plot_parse_dpi("1200", &dpi), 0);
    ck_assert_int_eq(dpi, 1200);
    static const char *const bad_dpi[] = {"49", "1201", "12a", "", "3.5", "-100"};
    for (size_t i = 0; i < sizeof(bad_dpi) / sizeof(bad_dpi[0]); i++)
        ck_assert_msg(tc_plot_parse_dpi(bad_dpi[i], &dpi) == -EINVAL, "accepted \"%s\"",
                      bad_dpi[i]);
}
END_TEST

START_TEST(test_key_label_reads_as_words)
{
    static const char *const cases[][3] = {
        {"stations.lanes.servers", "", "servers at lanes"},
        {"arrivals.0.rate", "/h", "arrival rate of stream 1 (trucks/h)"},
        {"stations.yard.capacity", "", "capacity of yard (trucks)"},
        {"stations.lanes.service.mean", " min", "service mean of lanes (min)"},
        {"classes.fruit.priority", "", "priority of class fruit"},
        {"arrivals.fruit_peak.rate", "/h", "rate of arrivals fruit_peak (trucks/h)"},
        {"stations.tt_gate.daily_limit", "", "daily limit of tt_gate"},
        {"truck_length_m", "", "truck length m"},
        {"horizon", "d", "horizon (d)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[200];
        tc_plot_key_label(cases[i][0], cases[i][1], buf, sizeof(buf));
        ck_assert_str_eq(buf, cases[i][2]);
    }
}
END_TEST

START_TEST(test_time_axis_picks_unit_and_scale)
{
    for (size_t i = 0; i < sizeof(axis_cases) / sizeof(axis_cases[0]); i++) {
        double scale = -1;
        const char *u = tc_plot_time_axis(axis_cases[i].tu, axis_cases[i].span, &scale);
        ck_assert_msg(strcmp(u, axis_cases[i].unit) == 0, "case %zu: unit %s, expected %s", i, u,
                      axis_cases[i].unit);
        ck_assert_double_eq_tol(scale, axis_cases[i].scale, 1e-15);
    }
}
END_TEST

START_TEST(test_quote_escapes_for_gnuplot)
{
    char buf[64];
    ck_assert_uint_eq(tc_plot_quote("abc", buf, sizeof(buf)), 5);
    ck_assert_str_eq(buf, "'abc'");
    ck_assert_uint_eq(tc_plot_quote("it's", buf, sizeof(buf)), 7);
    ck_assert_str_eq(buf, "'it''s'");
    /* double quotes and backslashes are plain in single quotes */
    tc_plot_quote("a \"b\" \\n", buf, sizeof(buf));
    ck_assert_str_eq(buf, "'a \"b\" \\n'");
    /* a line break would end the -e command: it leaves the quotes, kept as a line break */
    tc_plot_quote("a\nb\rc", buf, sizeof(buf));
    ck_assert_str_eq(buf, "'a'.\"\\n\".'b'.\"\\r\".'c'");
    /* the reproducer of the injection: one string, the quotes doubled */
    tc_plot_quote("x';system 'touch pwned';set label 99 'y", buf, sizeof(buf));
    ck_assert_str_eq(buf, "'x'';system ''touch pwned'';set label 99 ''y'");
    tc_plot_quote("", buf, sizeof(buf));
    ck_assert_str_eq(buf, "''");
    /* too small: the length needed, the text cut */
    ck_assert_uint_eq(tc_plot_quote("abcdef", buf, 4), 8);
    ck_assert_str_eq(buf, "'ab");
    ck_assert_uint_eq(tc_plot_quote("x'y", NULL, 0), 6);
}
END_TEST

START_TEST(test_csv_split_cuts_fields_in_place)
{
    char *f[8];
    char l1[] = "a,b,c";
    ck_assert_int_eq(tc_plot_csv_split(l1, f, 8), 3);
    ck_assert_str_eq(f[0], "a");
    ck_assert_str_eq(f[1], "b");
    ck_assert_str_eq(f[2], "c");
    char l2[] = "\"x,y\",z";
    ck_assert_int_eq(tc_plot_csv_split(l2, f, 8), 2);
    ck_assert_str_eq(f[0], "x,y");
    ck_assert_str_eq(f[1], "z");
    char l3[] = "\"he said \"\"hi\"\"\",2";
    ck_assert_int_eq(tc_plot_csv_split(l3, f, 8), 2);
    ck_assert_str_eq(f[0], "he said \"hi\"");
    ck_assert_str_eq(f[1], "2");
    char l4[] = "a,,b,";
    ck_assert_int_eq(tc_plot_csv_split(l4, f, 8), 4);
    ck_assert_str_eq(f[1], "");
    ck_assert_str_eq(f[3], "");
    char l5[] = "";
    ck_assert_int_eq(tc_plot_csv_split(l5, f, 8), 1);
    ck_assert_str_eq(f[0], "");
    char l6[] = "\"unterminated,x";
    ck_assert_int_eq(tc_plot_csv_split(l6, f, 8), -1);
    char l7[] = "\"a\"b,c";
    ck_assert_int_eq(tc_plot_csv_split(l7, f, 8), -1);
    char l8[] = "a,b,c";
    ck_assert_int_eq(tc_plot_csv_split(l8, f, 2), 2);
    ck_assert_str_eq(f[0], "a");
    ck_assert_str_eq(f[1], "b,c");
    char l9[] = "1,\"road:a,b\"";
    ck_assert_int_eq(tc_plot_csv_split(l9, f, 8), 2);
    ck_assert_str_eq(f[1], "road:a,b");
}
END_TEST

static char *saved_path;

static void save_env(void)
{
    const char *p = getenv("PATH");
    saved_path = p ? strdup(p) : NULL;
}

static void restore_env(void)
{
    if (saved_path)
        setenv("PATH", saved_path, 1);
    free(saved_path);
    unsetenv("TCSIM_PLOTS");
}

START_TEST(test_has_gnuplot)
{
    setenv("PATH", "/nonexistent-tcsim-dir", 1);
    ck_assert(!tc_plot_has_gnuplot());
    setenv("PATH", "", 1); /* the current directory only */
    ck_assert(!tc_plot_has_gnuplot());
    /* gnuplot-nox is installed where the suite runs (README, .ci/run) */
    setenv("PATH", "/nonexistent-tcsim-dir:/usr/local/bin:/usr/bin:/bin", 1);
    ck_assert(tc_plot_has_gnuplot());
}
END_TEST

START_TEST(test_scripts_dir)
{
    setenv("TCSIM_PLOTS", TC_PLOTS_DIR, 1);
    char *d = tc_plot_scripts_dir_new();
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d, TC_PLOTS_DIR);
    free(d);
    /* a directory without style.gp is not a scripts directory */
    setenv("TCSIM_PLOTS", TC_PLOTS_DIR "/../tests", 1);
    ck_assert_ptr_null(tc_plot_scripts_dir_new());
    unsetenv("TCSIM_PLOTS");
    d = tc_plot_scripts_dir_new(); /* the source tree's, compiled in */
    ck_assert_ptr_nonnull(d);
    free(d);
}
END_TEST

START_TEST(test_nothing_to_draw)
{
    char dir[] = "/tmp/tcsim-plot-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct tc_diags diags;
    tc_diags_init(&diags);
    struct tc_plot_opts o = {.format = TC_PLOT_PNG, .scripts_dir = TC_PLOTS_DIR};
    struct tc_plot_result res;
    ck_assert_int_eq(tc_plot_dir(dir, &o, &res, &diags), -ENOENT);
    ck_assert_uint_eq(diags.n_err, 1);
    ck_assert_str_eq(diags.v[0].msg,
                     "holds none of summary.json (tcsim run), sweep.csv (tcsim sweep), "
                     "optimize.csv (tcsim optimize) and fit.json (tcsim fit)");
    ck_assert_uint_eq(res.n_files, 0);
    tc_plot_result_fini(&res);
    tc_diags_fini(&diags);
    /* nothing was created */
    char sub[64];
    snprintf(sub, sizeof(sub), "%s/plots", dir);
    ck_assert_int_ne(access(sub, F_OK), 0);
    rmdir(dir);
}
END_TEST

static Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *t = tcase_create("helpers");
    tcase_add_test(t, test_parse_format_accepts_png_svg_pdf);
    tcase_add_test(t, test_time_axis_picks_unit_and_scale);
    tcase_add_test(t, test_parse_size_takes_cm_in_px);
    tcase_add_test(t, test_key_label_reads_as_words);
    tcase_add_test(t, test_quote_escapes_for_gnuplot);
    tcase_add_test(t, test_csv_split_cuts_fields_in_place);
    suite_add_tcase(s, t);
    t = tcase_create("environment");
    tcase_add_checked_fixture(t, save_env, restore_env);
    tcase_add_test(t, test_has_gnuplot);
    tcase_add_test(t, test_scripts_dir);
    tcase_add_test(t, test_nothing_to_draw);
    suite_add_tcase(s, t);
    return s;
}

TC_CHECK_MAIN(plot_suite)
