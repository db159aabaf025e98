/*
** bench fit: `tcsim fit` as a whole process on a 3-parameter fit of the
** crisis scenario with 50 replications and a holdout, at -j 1 and -j 2:
** wall and CPU seconds, the evaluations (from fit.json), the speed-up, and
** whether fit.csv is byte-identical across -j (the reproducibility promise).
** The target is under 2 minutes on 2 cores.
**
** The scenario, the observed file and the parameters are arguments (the
** defaults below), so the bench keeps working when the scenario changes;
** it checks no fitted value, only timing and identity across -j.
*/
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
int tc_bench_fit_arg(int argc, char **argv, int *i);       /* called by bench.c */
int tc_bench_fit(const char *tcsim, const char *scen_dir); /* called by bench.c */

/* The workload; the defaults are the fit of README's Performance section. */
static const char *fit_scen, *fit_obs, *fit_hold = "2022-01-20:2022-01-25", *fit_reps = "50";
static const char *fit_params[8] = {"classes.fruit.patience*=0.7:2",
                                    "classes.general.patience*=0.7:2",
                                    "arrivals.tt_fruit.rate*=0.8:1.2"};
static int n_fit_params = 3, fit_params_given;

/* Takes argv[*i] (and its value) when it is a --fit-* option: returns 1, else 0. */
int tc_bench_fit_arg(int argc, char **argv, int *i)
{
    const char *o = argv[*i];
    if (*i + 1 >= argc || strncmp(o, "--fit-", 6) != 0)
        return 0;
    const char *v = argv[*i + 1];
    if (strcmp(o, "--fit-scenario") == 0)
        fit_scen = v;
    else if (strcmp(o, "--fit-observed") == 0)
        fit_obs = v;
    else if (strcmp(o, "--fit-holdout") == 0)
        fit_hold = v;
    else if (strcmp(o, "--fit-reps") == 0)
        fit_reps = v;
    else if (strcmp(o, "--fit-param") == 0) {
        if (!fit_params_given++) /* the first one given replaces the defaults */
            n_fit_params = 0;
        if (n_fit_params < 8)
            fit_params[n_fit_params++] = v;
    } else
        return 0;
    ++*i;
    return 1;
}

static double fit_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double fit_children_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* Runs argv with its output to /dev/null; 0 when it exited with 0. */
static int fit_spawn(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status;
    if (err || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return 0;
}

/* The whole of a file in a malloc'd buffer (*n bytes), or NULL. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, got = 0, r;
    char *buf = malloc(cap + 1);
    while (buf && (r = fread(buf + got, 1, cap - got, f)) > 0) {
        got += r;
        if (got == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[got] = '\0';
        *n = got;
    }
    return buf;
}

/* fit.json's "evaluations", or -1. */
static long fit_evaluations(const char *dir)
{
    char path[4200];
    size_t n;
    snprintf(path, sizeof(path), "%s/fit.json", dir);
    char *s = slurp(path, &n);
    const char *k = s ? strstr(s, "\"evaluations\"") : NULL;
    long v = -1;
    if (k && (k = strchr(k, ':')))
        v = strtol(k + 1, NULL, 10);
    free(s);
    return v;
}

static void rm_tree(const char *dir)
{
    static char rm[] = "/bin/rm", rf[] = "-rf";
    char *av[] = {rm, rf, (char *)dir, NULL};
    fit_spawn(av);
}

/*
** scen, obs: paths; params: the --param values (n_params of them); holdout
** may be NULL. Returns 0 when both runs succeeded and fit.csv is identical.
*/
static int bench_fit_run(const char *tcsim, const char *scen, const char *obs,
                         const char *const *params, int n_params, const char *holdout,
                         const char *reps)
{
    char tmpl[] = "/tmp/tcsim-bench-fit-XXXXXX", out[2][64];
    if (!mkdtemp(tmpl))
        return 1;
    printf("tcsim fit: %s, %d parameters, -r %s%s%s, one run each\n", scen, n_params, reps,
           holdout ? ", holdout " : "", holdout ? holdout : "");
    /* the wall time and speed-up mean something only on an idle machine: say how idle */
    double load = -1;
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf", &load) != 1)
            load = -1;
        fclose(la);
    }
    printf("  (load average at start %.2f)\n", load);
    printf("  %-4s %9s %9s %11s %9s\n", "-j", "wall s", "cpu s", "evaluations", "s/eval");
    double wall[2] = {0, 0};
    long evals[2] = {-1, -1};
    int rc = 0;
    static const char *const jobs[2] = {"1", "2"};
    for (int j = 0; j < 2; j++) {
        snprintf(out[j], sizeof(out[j]), "%s/j%s", tmpl, jobs[j]);
        const char *av[64];
        int n = 0;
        av[n++] = tcsim;
        av[n++] = "fit";
        av[n++] = scen;
        av[n++] = "--observed";
        av[n++] = obs;
        for (int p = 0; p < n_params && n < 50; p++) {
            av[n++] = "--param";
            av[n++] = params[p];
        }
        if (holdout) {
            av[n++] = "--holdout";
            av[n++] = holdout;
        }
        av[n++] = "-r";
        av[n++] = reps;
        av[n++] = "-j";
        av[n++] = jobs[j];
        av[n++] = "-q";
        av[n++] = "-o";
        av[n++] = out[j];
        av[n] = NULL;
        double c0 = fit_children_cpu_s(), t0 = fit_now_s();
        if (fit_spawn((char *const *)av) != 0) {
            fprintf(stderr, "bench: tcsim fit -j %s failed\n", jobs[j]);
            rc = 1;
            continue;
        }
        wall[j] = fit_now_s() - t0;
        double cpu = fit_children_cpu_s() - c0;
        evals[j] = fit_evaluations(out[j]);
        printf("  %-4s %9.2f %9.2f %11ld %9.3f\n", jobs[j], wall[j], cpu, evals[j],
               evals[j] > 0 ? wall[j] / (double)evals[j] : 0.0);
    }
    if (!rc) {
        char a[4200], b[4200];
        size_t na = 0, nb = 0;
        snprintf(a, sizeof(a), "%s/fit.csv", out[0]);
        snprintf(b, sizeof(b), "%s/fit.csv", out[1]);
        char *sa = slurp(a, &na), *sb = slurp(b, &nb);
        int same = sa && sb && na == nb && memcmp(sa, sb, na) == 0;
        free(sa);
        free(sb);
        printf("  speed-up -j 2 / -j 1: %.2f; fit.csv identical across -j: %s; "
               "-j 2 under 120 s: %s\n",
               wall[0] / wall[1], same ? "yes" : "NO", wall[1] < 120 ? "yes" : "NO");
        rc = !same || evals[0] != evals[1];
    }
    rm_tree(tmpl);
    return rc;
}

int tc_bench_fit(const char *tcsim, const char *scen_dir)
{
    char scen[4096], obs[4096];
    snprintf(scen, sizeof(scen), "%s", fit_scen ? fit_scen : "");
    snprintf(obs, sizeof(obs), "%s", fit_obs ? fit_obs : "");
    if (!fit_scen)
        snprintf(scen, sizeof(scen), "%s/langson-crisis-2021.yaml", scen_dir);
    if (!fit_obs)
        snprintf(obs, sizeof(obs), "%s/observed/langson-crisis-2021.csv", scen_dir);
    return bench_fit_run(tcsim, scen, obs, fit_params, n_fit_params, *fit_hold ? fit_hold : NULL,
                         fit_reps);
}
