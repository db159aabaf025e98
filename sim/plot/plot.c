/*
** plot: the entry point. Three steps. (1) Read what the run or sweep wrote
** and reduce it to what is drawn (plot_run.c, plot_sweep.c). (2) Commit
** those data files to DIR/plots/data/ with afile. (3) Render each picture
** with gnuplot to DIR/plots/.NAME.EXT.tmp; when all are drawn, fsync and
** rename them. Doing the arithmetic in gnuplot (stats, smooth) was
** rejected: its stats command cannot group by replication, and the
** numbers would not be testable without reading pictures.
** gnuplot's stdout and stderr go to a pipe read to the end before waitpid,
** so a chatty gnuplot cannot fill the pipe and deadlock; what it said is
** returned as a warning (or as the error when it fails).
*/
#include "plot/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/xmem.h"
#include "plot/plot_int.h"
#include "tc_config.h"
#include "tcsim/afile.h"

extern char **environ;

/* ==== Finding gnuplot and the scripts ==== */

/* posix_spawnp searches PATH, or "/bin:/usr/bin" when PATH is unset (glibc's default). */
bool tc_plot_has_gnuplot(void)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    char buf[4096];
    for (const char *p = path;;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        /* an empty entry means the current directory */
        int w = snprintf(buf, sizeof(buf), "%.*s%sgnuplot", (int)n, p, n ? "/" : "");
        if (w > 0 && (size_t)w < sizeof(buf) && tc_plot_is_file(buf, X_OK))
            return true;
        if (!end)
            return false;
        p = end + 1;
    }
}

static char *dir_if_scripts(const char *dir)
{
    char buf[4096];
    int w = snprintf(buf, sizeof(buf), "%s/style.gp", dir);
    if (w > 0 && (size_t)w < sizeof(buf) && tc_plot_is_file(buf, R_OK))
        return tc_xstrdup(dir);
    return NULL;
}

char *tc_plot_scripts_dir_new(void)
{
    const char *env = getenv("TCSIM_PLOTS");
    if (env && *env)
        return dir_if_scripts(env);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char buf[4200];
            snprintf(buf, sizeof(buf), "%s/../share/tcsim/plots", exe);
            char *d = dir_if_scripts(buf);
            if (d)
                return d;
        }
    }
#ifdef TC_SOURCE_PLOTS
    char *d = dir_if_scripts(TC_SOURCE_PLOTS);
    if (d)
        return d;
#endif
    return dir_if_scripts(TC_DATADIR "/plots");
}

/* "DIR/name", NULL-safe existence check. */
static bool exists_in(const char *dir, const char *name)
{
    char *p = tc_plot_path_join(dir, name);
    bool ok = tc_plot_is_file(p, R_OK);
    free(p);
    return ok;
}

/* ==== Rendering ==== */

#define GNUPLOT_MSG_MAX 4000

/* Runs gnuplot on script with vars; 0, or -errno / -EINVAL (gnuplot failed) with a diagnostic. */
static int run_gnuplot(struct tc_plot_job *j, const char *vars, const char *script,
                       struct tc_diags *diags)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return -errno;
    (void)fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
    char *script_path = tc_plot_path_join(j->scripts, script);
    char a0[] = "gnuplot", a1[] = "--default-settings", a2[] = "-e";
    char *argv[] = {a0, a1, a2, (char *)vars, script_path, NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    if (err) {
        close(pfd[0]);
        free(script_path);
        return -err;
    }
    char msg[GNUPLOT_MSG_MAX + 1];
    size_t n_msg = 0;
    for (;;) {
        char buf[4096];
        ssize_t n = read(pfd[0], buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t take = (size_t)n < GNUPLOT_MSG_MAX - n_msg ? (size_t)n : GNUPLOT_MSG_MAX - n_msg;
        memcpy(msg + n_msg, buf, take);
        n_msg += take;
    }
    close(pfd[0]);
    msg[n_msg] = '\0';
    while (n_msg > 0 && (msg[n_msg - 1] == '\n' || msg[n_msg - 1] == ' '))
        msg[--n_msg] = '\0';
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            int e = errno;
            free(script_path);
            return -e;
        }
    int rc = 0;
    struct tc_pos pos = {script_path, 0, 0};
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        tc_diags_add(diags, TC_SEV_ERROR, &pos, "", "gnuplot failed (%s %d)%s%s",
                     WIFEXITED(st) ? "exit status" : "signal",
                     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), n_msg ? ": " : "", msg);
        rc = -EINVAL;
    } else if (n_msg) {
        tc_diags_add(diags, TC_SEV_WARNING, &pos, "", "gnuplot said: %s", msg);
    }
    free(script_path);
    return rc;
}

static int write_sbuf(void *ud, FILE *f)
{
    const struct sbuf *b = ud;
    if (b->len && fwrite(b->s, 1, b->len, f) != b->len)
        return -EIO;
    return 0;
}

static int sync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = fsync(fd) == 0 ? 0 : -errno;
    close(fd);
    return rc;
}

static int render(struct tc_plot_job *j, struct tc_plot_result *out, struct tc_diags *diags)
{
    /* 1. the data files, atomically */
    struct tc_afile_item *items = tc_xcalloc(j->data.n ? j->data.n : 1, sizeof(*items));
    for (size_t i = 0; i < j->data.n; i++) {
        tc_plot_sb_close(j->data.v[i].b);
        items[i] = (struct tc_afile_item){j->data.v[i].name, write_sbuf, j->data.v[i].b};
    }
    const char *failed = NULL;
    int rc = tc_afile_commit(j->data_dir, items, j->data.n, &failed);
    free(items);
    if (rc) {
        tc_plot_diag(diags, failed ? failed : j->data_dir, 0, "cannot write it: %s", strerror(-rc));
        return rc;
    }
    /* 2. every picture to its temporary */
    const char *ext = tc_plot_format_names[j->fmt];
    char **tmp = tc_xcalloc(j->pics.n ? j->pics.n : 1, sizeof(char *));
    char **fin = tc_xcalloc(j->pics.n ? j->pics.n : 1, sizeof(char *));
    size_t n_tmp = 0, n_done = 0;
    for (size_t i = 0; i < j->pics.n && !rc; i++) {
        struct tc_plot_picture *p = &j->pics.v[i];
        size_t len = strlen(j->plots_dir) + strlen(p->name) + strlen(ext) + 16;
        tmp[i] = tc_xmalloc(len);
        fin[i] = tc_xmalloc(len);
        snprintf(tmp[i], len, "%s/.%s.%s.tmp", j->plots_dir, p->name, ext);
        snprintf(fin[i], len, "%s/%s.%s", j->plots_dir, p->name, ext);
        n_tmp = i + 1;
        tc_plot_var_str(p->vars->f, "out", tmp[i]);
        tc_plot_sb_close(p->vars);
        rc = run_gnuplot(j, p->vars->s, p->script, diags);
        if (!rc && !tc_plot_is_file(tmp[i], R_OK)) {
            tc_plot_diag(diags, fin[i], 0, "%s", "gnuplot wrote no picture");
            rc = -EIO;
        }
        if (!rc)
            rc = sync_file(tmp[i]);
    }
    /* 3. all or nothing */
    for (; !rc && n_done < j->pics.n; n_done++)
        if (rename(tmp[n_done], fin[n_done]) != 0) {
            rc = -errno;
            tc_plot_diag(diags, fin[n_done], 0, "cannot write it: %s", strerror(-rc));
        }
    if (rc)
        for (size_t i = n_done; i < n_tmp; i++)
            (void)unlink(tmp[i]);
    for (size_t i = 0; i < n_tmp; i++) {
        if (rc)
            free(fin[i]);
        free(tmp[i]);
    }
    free(tmp);
    if (rc) {
        free(fin);
    } else {
        out->files = fin; /* every name, all renamed */
        out->n_files = j->pics.n;
    }
    return rc;
}

void tc_plot_result_fini(struct tc_plot_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_files; i++)
        free(r->files[i]);
    free(r->files);
    r->files = NULL;
    r->n_files = 0;
}

/*
** The page of every picture in layout units (TC_PLOT_UNITS_PER_IN): a PDF
** is 16 cm wide unless --size says otherwise, so that printed at the text
** width of an A4 or Letter page (15.9 cm, 16.5 cm) its type stays at the
** sizes of the scripts, 9 pt and more; a PNG has dpi / 144 pixels per unit.
*/
static void set_page(struct tc_plot_job *j, const struct tc_plot_opts *o)
{
    double dpi = o->dpi > 0 ? o->dpi : TC_PLOT_DPI_DEFAULT;
    j->pxk = j->fmt == TC_PLOT_PNG ? dpi / TC_PLOT_UNITS_PER_IN : 1;
    j->uw = j->fmt == TC_PLOT_PDF ? TC_PLOT_PDF_WIDTH_IN * TC_PLOT_UNITS_PER_IN : 0;
    j->uh = 0;
    if (o->size.unit == TC_PLOT_SIZE_IN) {
        j->uw = o->size.w * TC_PLOT_UNITS_PER_IN;
        j->uh = o->size.h * TC_PLOT_UNITS_PER_IN;
    } else if (o->size.unit == TC_PLOT_SIZE_PX) {
        j->uw = o->size.w / j->pxk;
        j->uh = o->size.h / j->pxk;
    }
}

int tc_plot_dir(const char *dir, const struct tc_plot_opts *o, struct tc_plot_result *out,
                struct tc_diags *diags)
{
    memset(out, 0, sizeof(*out));
    if (!tc_plot_has_gnuplot())
        return -ENOENT;
    char *scripts = o->scripts_dir ? tc_xstrdup(o->scripts_dir) : tc_plot_scripts_dir_new();
    if (!scripts) {
        tc_plot_diag(diags, "plots", 0, "%s",
                     "cannot find the gnuplot scripts (style.gp): looked in $TCSIM_PLOTS, "
                     "../share/tcsim/plots next to the program and " TC_DATADIR "/plots");
        return -ENOENT;
    }
    struct tc_plot_job j = {.dir = dir, .scripts = scripts, .fmt = o->format, .diags = diags};
    set_page(&j, o);
    j.plots_dir = tc_plot_path_join(dir, "plots");
    j.data_dir = tc_plot_path_join(j.plots_dir, "data");
    bool run = exists_in(dir, "summary.json"), sweep = exists_in(dir, "sweep.csv");
    bool opt = exists_in(dir, "optimize.csv"), fit = exists_in(dir, "fit.json");
    int rc = 0;
    if (!run && !sweep && !opt && !fit) {
        tc_plot_diag(diags, dir, 0, "%s",
                     "holds none of summary.json (tcsim run), sweep.csv (tcsim sweep), "
                     "optimize.csv (tcsim optimize) and fit.json (tcsim fit)");
        rc = -ENOENT;
    }
    if (!rc && run)
        rc = tc_plot_prepare_run(&j, dir, diags);
    if (!rc && sweep)
        rc = tc_plot_prepare_sweep(&j, dir, diags);
    if (!rc && opt)
        rc = tc_plot_prepare_optimize(&j, dir, diags);
    if (!rc && fit) {
        /* fit.png, then the fitted run's own pictures (best/, with the observed points) */
        char *best = tc_plot_path_join(dir, "best");
        rc = tc_plot_prepare_fit(&j, dir, diags);
        if (!rc)
            rc = tc_plot_prepare_run(&j, best, diags);
        free(best);
    }
    if (!rc)
        rc = render(&j, out, diags);
    tc_plot_job_fini(&j);
    free(scripts);
    return rc;
}
