/*
** bench: the full tcsim path (YAML -> scenario -> replications -> output
** files) on fixed workloads, timed with a monotonic clock, next to a
** minimal hand-written M/M/10 event loop (binary heap, the same GSL
** generator) as the floor. Each round times the floor and then every
** workload, so a ratio compares two times taken within a second of each
** other; the report gives medians over the rounds, which is what holds on
** a noisy machine. Peak memory is measured in a fresh child process per
** workload (ru_maxrss of a process that ran only that).
**
** Usage: tcsim-bench [--runs N] [--scenarios DIR] [--tcsim PATH] [NAME...]
** NAME: W1 W2 W3 crisis year (timed), jobs (-j 2 vs -j 1), optimize
** (bench_optimize.c), memory (4x horizon), validate, trace and fit
** (bench_fit.c; need --tcsim). fit's workload: --fit-scenario FILE
** --fit-observed CSV --fit-param KEY=LO:HI (repeatable) --fit-holdout FROM:TO
** --fit-reps N, defaulting to the crisis fit of README's Performance section.
** Default: all that the options allow.
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "tcsim/diag.h"
#include "tcsim/output.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"

/* A workload is YAML text, or a shipped scenario (file) with overrides. */
struct workload {
    const char *name;
    const char *what;
    const char *yaml;
    const char *file;
    struct tc_override set[2];
};

/* W1: M/M/10 at load 0.9, ~1,000,000 arrivals (lambda 9/min over 111,111 min). */
static const struct workload workloads[] = {
    {"W1",
     "M/M/10, load 0.9, 1e6 trucks",
     "name: W1 M/M/10\n"
     "horizon: 111111\n"
     "arrivals:\n  - {to: q, rate: 9/min}\n"
     "stations:\n  q: {servers: 10, service: {dist: exponential, mean: 1}}\n",
     NULL,
     {{0}}},
    {"W2",
     "tandem with blocking, 1e6 trucks",
     "name: W2 tandem with blocking\n"
     "horizon: 250000\n"
     "arrivals:\n  - {to: A, rate: 4/min}\n"
     "stations:\n"
     "  A: {servers: 5, service: {dist: exponential, mean: 1.0}, next: B}\n"
     "  B: {servers: 4, capacity: 14, service: {dist: exponential, mean: 0.9}}\n",
     NULL,
     {{0}}},
    {"W3",
     "M/M/6 two priority classes, 1e6 trucks",
     "name: W3 priority\n"
     "horizon: 200000\n"
     "classes:\n  hi: {priority: 1}\n  lo: {priority: 2}\n"
     "arrivals:\n  - {class: hi, to: q, rate: 1.5/min}\n  - {class: lo, to: q, rate: 3.5/min}\n"
     "stations:\n  q: {servers: 6, discipline: priority, service: {dist: exponential, mean: 1}}\n",
     NULL,
     {{0}}},
    {"crisis", "Lang Son crisis 2021, 66 d x 10 reps", NULL, "langson-crisis-2021.yaml", {{0}}},
    {"year",
     "Lang Son normal 2023, 365 d x 10 reps",
     NULL,
     "langson-normal-2023.yaml",
     {{"horizon", "365 d"}}},
};
#define N_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static const char *scen_dir = "scenarios";
int tc_bench_optimize(const char *scen_dir, unsigned runs); /* bench_optimize.c */
int tc_bench_fit_arg(int argc, char **argv, int *i);        /* bench_fit.c */
int tc_bench_fit(const char *tcsim, const char *scen_dir);  /* bench_fit.c */
extern char **environ;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ==== The floor: a minimal M/M/c loop ==== */

struct fev {
    double t;
    int kind; /* 0 arrival, 1 departure */
};

static void heap_push(struct fev *h, size_t *n, struct fev e)
{
    size_t i = (*n)++;
    while (i > 0 && h[(i - 1) / 2].t > e.t) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = e;
}

static struct fev heap_pop(struct fev *h, size_t *n)
{
    struct fev top = h[0], last = h[--*n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1].t < h[c].t)
            c++;
        if (h[c].t >= last.t)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = last;
    return top;
}

/* Returns the number of trucks served; the mean wait goes to *out_wait (a sanity value). */
static long floor_mmc(double lambda, double mu, int c, double horizon, double *out_wait)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    size_t cap = 1 << 20, n = 0;
    struct fev *h = malloc(cap * sizeof(*h));
    double *q = malloc(cap * sizeof(*q)); /* ring of waiting arrival times */
    size_t qh = 0, qn = 0;
    int busy = 0;
    long served = 0;
    double sum_wait = 0;
    heap_push(h, &n, (struct fev){gsl_ran_exponential(r, 1 / lambda), 0});
    while (n) {
        struct fev e = heap_pop(h, &n);
        if (e.t >= horizon)
            break;
        if (e.kind == 0) {
            heap_push(h, &n, (struct fev){e.t + gsl_ran_exponential(r, 1 / lambda), 0});
            if (busy < c) {
                busy++;
                heap_push(h, &n, (struct fev){e.t + gsl_ran_exponential(r, 1 / mu), 1});
            } else {
                q[(qh + qn++) % cap] = e.t;
            }
        } else {
            served++;
            if (qn) {
                sum_wait += e.t - q[qh];
                qh = (qh + 1) % cap;
                qn--;
                heap_push(h, &n, (struct fev){e.t + gsl_ran_exponential(r, 1 / mu), 1});
            } else {
                busy--;
            }
        }
    }
    *out_wait = sum_wait / (double)served;
    free(h);
    free(q);
    gsl_rng_free(r);
    return served;
}

static struct tc_scenario *load(const struct workload *w, const struct tc_override *extra,
                                size_t n_extra)
{
    struct tc_override set[4];
    size_t n = 0;
    for (size_t i = 0; i < 2 && w->set[i].key; i++)
        set[n++] = w->set[i];
    for (size_t i = 0; i < n_extra; i++)
        set[n++] = extra[i];
    struct tc_diags d;
    tc_diags_init(&d);
    struct tc_scenario *sc;
    if (w->yaml) {
        sc = tc_scenario_load_string(w->yaml, strlen(w->yaml), w->name, NULL, set, n, &d);
    } else {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", scen_dir, w->file);
        sc = tc_scenario_load(path, set, n, &d);
    }
    if (!sc)
        tc_diags_print(&d, stderr);
    tc_diags_fini(&d);
    return sc;
}

struct result {
    double secs;
    uint64_t n_trucks, n_events;
};

/* The full path once: load, run on n_threads, write every output. */
static int run_once(const struct workload *w, const struct tc_override *extra, size_t n_extra,
                    uint32_t n_threads, struct result *res, struct tc_run *keep)
{
    char dir[] = "/tmp/tcsim-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench: mkdtemp");
        return -1;
    }
    double t0 = now_s();
    struct tc_scenario *sc = load(w, extra, n_extra);
    if (!sc)
        return -1;
    struct tc_run run;
    tc_runner_run(&run, sc, n_threads, NULL, NULL);
    const char *failed = NULL;
    int err = tc_output_write_all(&run, dir, &failed);
    res->secs = now_s() - t0;
    res->n_trucks = run.n_trucks;
    res->n_events = run.n_events;
    if (err)
        fprintf(stderr, "bench: cannot write %s\n", failed ? failed : dir);
    if (keep) {
        *keep = run; /* the caller compares and frees it; sc stays alive with it */
        keep->sc = sc;
    } else {
        tc_run_fini(&run);
        tc_scenario_free(sc);
    }
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", dir);
    return err ? -1 : 0;
}

/*
** Runs argv as a child, its stdout into out (up to n bytes, NUL-ended) or,
** when out is NULL, stdout and stderr to /dev/null. Returns 0 when it
** exited with 0, else -1.
*/
static int run_child(char *const argv[], char *out, size_t n)
{
    int fd[2] = {-1, -1};
    if (out && pipe(fd) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out) {
        posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
        posix_spawn_file_actions_addclose(&fa, fd[0]);
    } else { /* a timed child: its warnings would only clutter the report */
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (out)
        close(fd[1]);
    if (err) {
        fprintf(stderr, "bench: cannot run %s: %s\n", argv[0], strerror(err));
        if (out)
            close(fd[0]);
        return -1;
    }
    if (out) {
        size_t got = 0;
        ssize_t r;
        while (got + 1 < n && (r = read(fd[0], out + got, n - 1 - got)) > 0)
            got += (size_t)r;
        out[got] = '\0';
        close(fd[0]);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return 0;
}

/* Wall seconds of a child running `argv` (output discarded); -1 on failure. */
static double child_secs(char *const argv[])
{
    double t0 = now_s();
    return run_child(argv, NULL, 0) < 0 ? -1 : now_s() - t0;
}

/*
** Peak RSS in KiB of a fresh process that runs one workload. The child
** reports its own VmHWM: ru_maxrss of a spawned child also counts the
** parent's pages at the time of the spawn.
*/
static long workload_rss_kb(const char *self, const char *name, int horizon_x4)
{
    static char o_scen[] = "--scenarios", o_child[] = "--child", o_x4[] = "--x4";
    char *argv[] = {(char *)self, o_scen,       (char *)scen_dir,
                    o_child,      (char *)name, horizon_x4 ? o_x4 : NULL,
                    NULL};
    char out[64];
    if (run_child(argv, out, sizeof(out)) != 0)
        return -1;
    char *end;
    long kb = strtol(out, &end, 10);
    return end == out ? -1 : kb;
}

/* This process's peak resident set (VmHWM) in KiB, or -1. */
static long self_hwm_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static const struct workload *find(const char *name)
{
    for (size_t i = 0; i < N_WORKLOADS; i++)
        if (strcmp(workloads[i].name, name) == 0)
            return &workloads[i];
    return NULL;
}

/* --child NAME [--x4]: run one workload once (4x its horizon) and exit. */
static int child_main(const char *name, int x4)
{
    const struct workload *w = find(name);
    if (!w)
        return 2;
    char h[64];
    struct tc_override set[1];
    size_t n = 0;
    if (x4) {
        struct tc_scenario *sc = load(w, NULL, 0);
        if (!sc)
            return 1;
        snprintf(h, sizeof(h), "%.17g", 4 * sc->horizon);
        tc_scenario_free(sc);
        set[n++] = (struct tc_override){"horizon", h};
    }
    struct result r;
    if (run_once(w, set, n, 1, &r, NULL))
        return 1;
    printf("%ld\n", self_hwm_kb());
    return 0;
}

/* The two runs' timeseries.csv are the same bytes. */
static int same_series(const struct tc_run *a, const struct tc_run *b)
{
    char *ta = NULL, *tb = NULL;
    size_t na = 0, nb = 0;
    FILE *fa = open_memstream(&ta, &na), *fb = open_memstream(&tb, &nb);
    int ok = fa && fb && tc_series_write_csv(a->series, fa) == 0 &&
             tc_series_write_csv(b->series, fb) == 0;
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    ok = ok && na == nb && memcmp(ta, tb, na) == 0;
    free(ta);
    free(tb);
    return ok;
}

/* -j 2 against -j 1 on 8 replications of w: median times, and the same results. */
static int jobs_speedup(const struct workload *w, unsigned runs)
{
    struct tc_override reps = {"replications", "8"};
    double t1[64], t2[64];
    struct tc_run a, b;
    struct result r;
    if (run_once(w, &reps, 1, 1, &r, &a) != 0)
        return 1;
    if (run_once(w, &reps, 1, 2, &r, &b) != 0) {
        tc_scenario_free((struct tc_scenario *)a.sc);
        tc_run_fini(&a);
        return 1;
    }
    int same = a.metrics.n == b.metrics.n &&
               memcmp(a.values, b.values, (size_t)a.n_reps * a.metrics.n * sizeof(double)) == 0 &&
               same_series(&a, &b);
    const struct tc_scenario *sa = a.sc, *sb = b.sc;
    tc_run_fini(&a);
    tc_run_fini(&b);
    tc_scenario_free((struct tc_scenario *)sa);
    tc_scenario_free((struct tc_scenario *)sb);
    for (unsigned k = 0; k < runs; k++) {
        if (run_once(w, &reps, 1, 1, &r, NULL) != 0)
            return 1;
        t1[k] = r.secs;
        if (run_once(w, &reps, 1, 2, &r, NULL) != 0)
            return 1;
        t2[k] = r.secs;
    }
    double m1 = median(t1, runs), m2 = median(t2, runs);
    printf("-j 2 vs -j 1, %-6s x 8 replications: %.3f s vs %.3f s, speed-up %.2fx; "
           "results identical: %s\n",
           w->name, m2, m1, m1 / m2, same ? "yes" : "NO");
    return !same;
}

static int wanted(char **only, int n_only, const char *name, int dflt)
{
    if (n_only == 0)
        return dflt;
    for (int k = 0; k < n_only; k++)
        if (strcmp(only[k], name) == 0)
            return 1;
    return 0;
}

/* CPU seconds (user + system) of the children waited for so far: on a shared machine the
   wall time of a run depends on its neighbours, its CPU time much less. */
static double children_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* Bytes of dir/name, 0 when it is not there. */
static double file_bytes(const char *dir, const char *name)
{
    char path[160];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (double)st.st_size : 0;
}

/*
** A traced year of langson-normal-2023 with 5 replications, one thread, as
** a whole process: wall time (median of runs) and the trace's bytes, for
** no trace, --trace, --trace=visits and --trace=visits --gzip.
*/
static int trace_bench(const char *tcsim, unsigned runs)
{
    static const char *const modes[][2] = {
        {NULL, NULL}, {"--trace", NULL}, {"--trace=visits", NULL}, {"--trace=visits", "--gzip"}};
    static const char *const files[] = {"trucks.csv", "visits.csv", "trucks.csv.gz",
                                        "visits.csv.gz"};
    char tmpl[] = "/tmp/tcsim-bench-XXXXXX", path[4096], out[64];
    if (!mkdtemp(tmpl))
        return 1;
    snprintf(path, sizeof(path), "%s/langson-normal-2023.yaml", scen_dir);
    snprintf(out, sizeof(out), "%s/out", tmpl);
    printf("\ntraced run: langson-normal-2023, 365 d x 5 replications, -j 1, median of %u\n", runs);
    printf("  %-28s %8s %8s %12s %12s\n", "options", "wall s", "cpu s", "trucks MB", "visits MB");
    int rc = 0;
    for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        char *av[16];
        int n = 0;
        static char run[] = "run", set[] = "--set", hz[] = "horizon=365 d", r[] = "-r",
                    five[] = "5", j[] = "-j", one[] = "1", q[] = "-q", o[] = "-o";
        char *fixed[] = {(char *)tcsim, run, path, set, hz, r, five, j, one, q, o, out};
        for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
            av[n++] = fixed[i];
        for (int k = 0; k < 2; k++)
            if (modes[m][k])
                av[n++] = (char *)modes[m][k];
        av[n] = NULL;
        double t[64], cpu[64];
        int ok = 1;
        for (unsigned k = 0; k < runs; k++) { /* each run replaces the set of the one before */
            double c0 = children_cpu_s();
            ok &= (t[k] = child_secs(av)) >= 0;
            cpu[k] = children_cpu_s() - c0;
        }
        if (!ok) {
            fprintf(stderr, "bench: the traced run failed\n");
            rc = 1;
            continue;
        }
        double tb = file_bytes(out, files[0]) + file_bytes(out, files[2]);
        double vb = file_bytes(out, files[1]) + file_bytes(out, files[3]);
        char label[64];
        snprintf(label, sizeof(label), "%s %s", modes[m][0] ? modes[m][0] : "(no trace)",
                 modes[m][1] ? modes[m][1] : "");
        printf("  %-28s %8.2f %8.2f %12.1f %12.1f\n", label, median(t, runs), median(cpu, runs),
               tb / 1e6, vb / 1e6);
    }
    static const char *const set_files[] = {"summary.json",   "summary.csv",   "replications.csv",
                                            "timeseries.csv", "scenario.yaml", "complete.json"};
    for (size_t i = 0; i < 6; i++) {
        char p[160];
        snprintf(p, sizeof(p), "%s/%s", out, set_files[i]);
        remove(p);
        if (i < 4) {
            snprintf(p, sizeof(p), "%s/%s", out, files[i]);
            remove(p);
        }
    }
    remove(out);
    remove(tmpl);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned runs = 5;
    const char *tcsim = NULL, *child = NULL;
    int x4 = 0;
    char *only[16];
    int n_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--scenarios") == 0 && i + 1 < argc)
            scen_dir = argv[++i];
        else if (strcmp(argv[i], "--tcsim") == 0 && i + 1 < argc)
            tcsim = argv[++i];
        else if (strcmp(argv[i], "--child") == 0 && i + 1 < argc)
            child = argv[++i];
        else if (strcmp(argv[i], "--x4") == 0)
            x4 = 1;
        else if (tc_bench_fit_arg(argc, argv, &i))
            continue;
        else if (n_only < 16)
            only[n_only++] = argv[i];
    }
    if (child)
        return child_main(child, x4);
    if (runs < 1)
        runs = 1;
    const char *self = "/proc/self/exe";
    char self_path[4096];
    ssize_t len = readlink(self, self_path, sizeof(self_path) - 1);
    if (len > 0) {
        self_path[len] = '\0';
        self = self_path;
    }
    int rc = 0;

    /* ---- timed workloads, each round next to the floor ---- */
    double floor_s[64], secs[N_WORKLOADS][64];
    struct result res[N_WORKLOADS] = {{0}};
    long served = 0;
    double wait = 0;
    if (runs > 64)
        runs = 64;
    int any_timed = 0;
    for (size_t i = 0; i < N_WORKLOADS; i++)
        any_timed |= wanted(only, n_only, workloads[i].name, 1);
    if (any_timed) /* untimed: the first run pays the page faults of its arrays, which would
                      flatter tcsim's ratio in round 1 */
        served = floor_mmc(9, 1, 10, 111111, &wait);
    for (unsigned k = 0; k < runs && any_timed; k++) {
        double t0 = now_s();
        served = floor_mmc(9, 1, 10, 111111, &wait);
        floor_s[k] = now_s() - t0;
        for (size_t i = 0; i < N_WORKLOADS; i++) {
            if (!wanted(only, n_only, workloads[i].name, 1))
                continue;
            if (run_once(&workloads[i], NULL, 0, 1, &res[i], NULL)) {
                rc = 1;
                secs[i][k] = (double)NAN;
                continue;
            }
            secs[i][k] = res[i].secs;
        }
    }
    if (any_timed) {
        double fl[64];
        memcpy(fl, floor_s, runs * sizeof(double));
        double f_med = median(fl, runs);
        double f_ns = f_med / (2.0 * (double)served) * 1e9;
        printf("tcsim-bench: medians of %u rounds, one thread, full path (YAML -> outputs)\n\n",
               runs);
        printf("%-7s %-40s %8s %9s %9s %9s %7s %8s\n", "", "workload", "time s", "M trucks/s",
               "M events/s", "ns/event", "x floor", "peak MB");
        printf("%-7s %-40s %8.3f %9.2f %9.2f %9.1f %7s %8s   (mean wait %.4f, exact 0.6687)\n",
               "floor", "hand-written M/M/10 loop, 1e6 trucks", f_med, (double)served / f_med / 1e6,
               2.0 * (double)served / f_med / 1e6, f_ns, "1.00", "", wait);
        for (size_t i = 0; i < N_WORKLOADS; i++) {
            if (!wanted(only, n_only, workloads[i].name, 1) || !res[i].n_events)
                continue;
            double ratio[64];
            for (unsigned k = 0; k < runs; k++)
                ratio[k] = secs[i][k] / floor_s[k];
            double s_med = median(secs[i], runs), ns = s_med / (double)res[i].n_events * 1e9;
            long kb = workload_rss_kb(self, workloads[i].name, 0);
            /* W1 is the floor's own model: compare times; others: cost per event */
            double x = strcmp(workloads[i].name, "W1") == 0 ? median(ratio, runs) : ns / f_ns;
            printf("%-7s %-40s %8.3f %9.2f %9.2f %9.1f %7.2f %8.1f\n", workloads[i].name,
                   workloads[i].what, s_med, (double)res[i].n_trucks / s_med / 1e6,
                   (double)res[i].n_events / s_med / 1e6, ns, x, (double)kb / 1024.0);
        }
        printf("\n(x floor: W1 time / floor time, median of per-round ratios; the others: ns "
               "per event / the floor's)\n");
    }

    /* ---- -j 2 against -j 1 on 8 replications ---- */
    if (wanted(only, n_only, "jobs", 1)) {
        printf("\n");
        rc |= jobs_speedup(find("crisis"), runs);
        rc |= jobs_speedup(find("year"), runs);
    }

    /* ---- tcsim optimize's procedure at -j 2 and -j 1, and its overhead ---- */
    if (wanted(only, n_only, "optimize", 1)) {
        printf("\n");
        rc |= tc_bench_optimize(scen_dir, runs);
    }

    /* ---- peak memory at 1x and 4x the horizon ---- */
    if (wanted(only, n_only, "memory", 1)) {
        printf("\n");
        const char *names[] = {"crisis", "year"};
        for (size_t i = 0; i < 2; i++) {
            long k1 = workload_rss_kb(self, names[i], 0), k4 = workload_rss_kb(self, names[i], 1);
            if (k1 < 0 || k4 < 0) {
                rc = 1;
                continue;
            }
            printf("peak RSS %-7s 1x horizon %6.1f MB, 4x horizon %6.1f MB (%+.1f %%)\n", names[i],
                   (double)k1 / 1024.0, (double)k4 / 1024.0, 100.0 * ((double)k4 / (double)k1 - 1));
        }
    }

    /* ---- tcsim validate of each shipped scenario, as a whole process ---- */
    if (tcsim && wanted(only, n_only, "validate", 1)) {
        printf("\n`tcsim validate` wall time, median of %u (process start included):\n", runs);
        const char *files[] = {"langson-crisis-2021.yaml", "langson-normal-2023.yaml",
                               "langson-booking.yaml", "yard-lanes.yaml"};
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", scen_dir, files[i]);
            static char validate[] = "validate";
            char *av[] = {(char *)tcsim, validate, path, NULL};
            double t[64];
            int ok = 1;
            for (unsigned k = 0; k < runs; k++)
                ok &= (t[k] = child_secs(av)) >= 0;
            if (!ok) {
                fprintf(stderr, "bench: tcsim validate %s failed\n", path);
                rc = 1;
                continue;
            }
            printf("  %-28s %6.2f ms\n", files[i], median(t, runs) * 1e3);
        }
    }
    if (tcsim && wanted(only, n_only, "trace", 1))
        rc |= trace_bench(tcsim, runs);

    /* ---- tcsim fit at -j 1 and -j 2 (one run each: a fit takes tens of seconds) ---- */
    if (tcsim && wanted(only, n_only, "fit", 1)) {
        printf("\n");
        rc |= tc_bench_fit(tcsim, scen_dir);
    }
    return rc;
}
