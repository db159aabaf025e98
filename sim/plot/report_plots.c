/*
** report_plots: the run's pictures drawn as SVG in a temporary directory
** (links to DIR's files, so DIR/plots/ is not touched) and inlined. gnuplot
** reuses ids such as gpPt0 in every file, so each figure's ids and the
** references to them get a prefix of their own.
*/
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmem.h"
#include "plot/plot.h"
#include "plot/plot_int.h"
#include "plot/report_int.h"

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

/* Links every file of dir into tmp. */
static int link_files(const char *dir, const char *tmp)
{
    char abs[PATH_MAX];
    if (!realpath(dir, abs))
        return -errno;
    DIR *d = opendir(abs);
    if (!d)
        return -errno;
    struct dirent *e;
    int err = 0;
    while (!err && (e = readdir(d))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "plots") == 0)
            continue;
        char *src = tc_plot_path_join(abs, e->d_name), *dst = tc_plot_path_join(tmp, e->d_name);
        if (symlink(src, dst) != 0)
            err = -errno;
        free(src);
        free(dst);
    }
    closedir(d);
    return err;
}

/* gnuplot quotes attributes with ' (some versions with "). */
static const char *const refs[] = {"id=\"", "id='", "url(#", "href=\"#", "href='#"};

/* The SVG element of text with every id and reference prefixed by fig<k>-. */
static void inline_svg(FILE *f, const char *text, size_t k)
{
    const char *s = strstr(text, "<svg");
    if (!s)
        return;
    while (*s) {
        size_t best = (size_t)-1, which = 0;
        for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
            const char *h = strstr(s, refs[i]);
            if (h && (size_t)(h - s) < best)
                best = (size_t)(h - s), which = i;
        }
        if (best == (size_t)-1) {
            fputs(s, f);
            break;
        }
        size_t n = best + strlen(refs[which]);
        fwrite(s, 1, n, f);
        /* id=' only as a whole attribute name: not the tail of another (grid=, valid=) */
        bool attr =
            which > 1 ||
            (best > 0 && (s[best - 1] == ' ' || s[best - 1] == '\n' || s[best - 1] == '\t'));
        if (attr)
            fprintf(f, "fig%zu-", k);
        s += n;
    }
}

static char *slurp(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    size_t cap = 65536, len = 0;
    char *buf = tc_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, in)) > 0) {
        len += got;
        if (cap - len < 2)
            buf = tc_xrealloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    fclose(in);
    return buf;
}

void tc_rep_plots(struct tc_rep *r)
{
    fputs("<h2>Plots</h2>\n", r->f);
    const char *td = getenv("TMPDIR");
    char *tmpl = tc_plot_path_join(td && *td ? td : "/tmp", "tcsim-report-XXXXXX");
    if (!mkdtemp(tmpl)) {
        fputs("<p class=\"note\">The plots could not be drawn (no temporary directory).</p>\n",
              r->f);
        free(tmpl);
        return;
    }
    struct tc_plot_opts po = {.format = TC_PLOT_SVG, .scripts_dir = r->o->scripts_dir};
    struct tc_plot_result res = {0};
    struct tc_diags pd;
    tc_diags_init(&pd);
    int err = link_files(r->dir, tmpl);
    if (!err)
        err = tc_plot_dir(tmpl, &po, &res, &pd);
    if (err == -ENOENT && pd.n == 0) {
        r->no_gnuplot = true;
        fputs("<p class=\"note\">No plots: gnuplot is not installed (apt-get install "
              "gnuplot-nox), the tables above hold the numbers.</p>\n",
              r->f);
    } else if (err) {
        fputs("<p class=\"note\">The plots could not be drawn; see <code>tcsim plot</code>.</p>\n",
              r->f);
    }
    for (size_t i = 0; !err && i < res.n_files; i++) {
        char *text = slurp(res.files[i]);
        if (!text)
            continue;
        const char *b = strrchr(res.files[i], '/');
        fputs("<figure>", r->f);
        inline_svg(r->f, text, r->n_plots);
        fputs("<figcaption>", r->f);
        tc_rep_esc(r->f, b ? b + 1 : res.files[i]);
        fputs("</figcaption></figure>\n", r->f);
        r->n_plots++;
        free(text);
    }
    tc_plot_result_fini(&res);
    tc_diags_fini(&pd);
    nftw(tmpl, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(tmpl);
}
