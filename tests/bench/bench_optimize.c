/*
** bench_optimize: `tcsim optimize`'s procedure (run/optimize.h) timed at
** -j 1 and -j 2 on two problems: README.md's normal-2023 example (decided
** in the first stage: 5 candidates x 10 replications of a year of Lang Son)
** and an M/M/c whose sequential stage runs to replication 59 with two
** candidates open (where batches of replications run ahead keep both
** threads busy). The overhead of the procedure (loading and overriding
** every candidate, the checks after each replication, the reductions) is
** its time at -j 1 less the time of the same replications run bare
** (tc_runner_run_rep alone), over that bare time.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run/optimize.h"
#include "tcsim/runner.h"
#include "tcsim/sweep.h"

int tc_bench_optimize(const char *scen_dir, unsigned runs);

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CPU seconds of the process: on a loaded machine the wall clock measures the neighbours too */
static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double med(double *v, unsigned n)
{
    qsort(v, n, sizeof(*v), cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct problem {
    const char *name, *what;
    char path[4096];
    struct tc_override set[4];
    size_t n_set;
    const char *vary, *objective, *bound;
};

/* One prepare + run at n threads: the seconds of each, optimize.csv's bytes, the replications. */
static int once(const struct problem *pr, uint32_t nt, double *t_prep, double *t_run, char **csv,
                double *t_bare, double *c_all, double *c_bare)
{
    struct tc_sweep sw;
    tc_sweep_init(&sw);
    tc_sweep_add_vary(&sw, pr->vary);
    struct tc_opt_bound b;
    tc_opt_parse_bound(pr->bound, &b);
    struct tc_opt_problem p = {.path = pr->path,
                               .base = pr->set,
                               .n_base = pr->n_set,
                               .sw = &sw,
                               .objective = pr->objective,
                               .bounds = &b,
                               .n_bounds = 1,
                               .confidence = 0.95,
                               .tolerance = 0.05,
                               .n0 = 10,
                               .max_reps = 1000,
                               .n_threads = nt};
    struct tc_opt o;
    double c0 = cpu(), t0 = now();
    int err = tc_opt_prepare(&o, &p, NULL, NULL);
    double t1 = now();
    if (!err)
        err = tc_opt_run(&o);
    double t2 = now(), c2 = cpu();
    *c_all = c2 - c0;
    *t_prep = t1 - t0;
    *t_run = t2 - t1;
    if (!err && csv) {
        size_t n;
        FILE *f = open_memstream(csv, &n);
        tc_opt_write_csv(&o, f);
        fclose(f);
    }
    if (!err && t_bare) { /* the same replications, bare, on one thread */
        double *values = NULL;
        c0 = cpu();
        t0 = now();
        for (uint32_t i = 0; i < o.k; i++) {
            struct tc_opt_cand *c = &o.c[i];
            values = realloc(values, (c->metrics.n + 1) * sizeof(double));
            for (uint32_t r = 0; r < c->n; r++) {
                struct tc_rep_info info;
                tc_runner_run_rep(c->sc, &c->metrics, r, c->seeds + (size_t)r * c->per_rep, NULL,
                                  NULL, values, NULL, &info);
            }
        }
        *t_bare = now() - t0;
        *c_bare = cpu() - c0;
        free(values);
    }
    tc_opt_fini(&o);
    tc_opt_bound_fini(&b);
    tc_sweep_fini(&sw);
    return err;
}

static int bench_problem(const struct problem *pr, unsigned runs)
{
    double p1[64], r1[64], p2[64], r2[64], bare[64], ca1[64], cb1[64], ca2[64], cb2[64];
    char *c1 = NULL, *c2 = NULL;
    int err = 0;
    for (unsigned k = 0; k < runs && !err; k++) {
        free(c1);
        free(c2);
        c1 = c2 = NULL;
        err = once(pr, 1, &p1[k], &r1[k], &c1, &bare[k], &ca1[k], &cb1[k]) ||
              once(pr, 2, &p2[k], &r2[k], &c2, NULL, &ca2[k], &cb2[k]);
    }
    if (err || runs == 0) {
        fprintf(stderr, "bench: optimize %s failed\n", pr->name);
        free(c1);
        free(c2);
        return 1;
    }
    bool same = c1 && c2 && strcmp(c1, c2) == 0;
    double tot1[64] = {0}, tot2[64] = {0}, over[64], cover[64];
    for (unsigned k = 0; k < runs; k++) {
        tot1[k] = p1[k] + r1[k];
        tot2[k] = p2[k] + r2[k];
        over[k] = (tot1[k] - bare[k]) / bare[k];
        cover[k] = (ca1[k] - cb1[k]) / cb1[k];
    }
    double lo1 = tot1[0], lo2 = tot2[0]; /* the fastest round: the least disturbed by neighbours */
    for (unsigned k = 1; k < runs; k++) {
        lo1 = fmin(lo1, tot1[k]);
        lo2 = fmin(lo2, tot2[k]);
    }
    double m1 = med(tot1, runs), m2 = med(tot2, runs), mp = med(p1, runs), mb = med(bare, runs);
    printf("optimize %-7s %s\n", pr->name, pr->what);
    printf("  -j 2 vs -j 1: %.3f s vs %.3f s, speed-up %.2fx (fastest rounds: %.3f s vs %.3f s, "
           "%.2fx); optimize.csv identical: %s\n",
           m2, m1, m1 / m2, lo2, lo1, lo1 / lo2, same ? "yes" : "NO");
    printf("  overhead at -j 1: %.1f %% of the bare replications' %.3f s wall (loading %.4f s); "
           "%.1f %% in CPU time\n",
           100 * med(over, runs), mb, mp, 100 * med(cover, runs));
    free(c1);
    free(c2);
    return !same;
}

static const char mmc_yaml[] = "name: mmc\ntime_unit: h\nhorizon: 1000 h\nwarmup: 50 h\n"
                               "replications: 10\nseed: 1\nstations:\n  s:\n    servers: 6\n"
                               "    service: {dist: exponential, mean: 1 h}\n"
                               "arrivals:\n  - {name: in, to: s, rate: 5/h}\n";

int tc_bench_optimize(const char *scen_dir, unsigned runs)
{
    if (runs > 64)
        runs = 64;
    struct problem year = {.name = "year",
                           .what = "README example: normal-2023 x 1.35, tt_gate 5..9 lanes",
                           .set = {{"arrivals.tt_fruit.rate", "302.4/d"},
                                   {"arrivals.tt_general.rate", "75.6/d"},
                                   {"arrivals.hn_fruit.rate", "129.6/d"},
                                   {"arrivals.hn_general.rate", "194.4/d"}},
                           .n_set = 4,
                           .vary = "stations.tt_gate.servers=5:9:1",
                           .objective = "stations.tt_gate.servers",
                           .bound = "classes.fruit.time_in_system_p95<=24 h"};
    snprintf(year.path, sizeof(year.path), "%s/langson-normal-2023.yaml", scen_dir);
    struct problem mmc = {.name = "mmc",
                          .what = "M/M/c, c = 4..10, least mean wait <= 0.3 h (to rep 59)",
                          .vary = "stations.s.servers=4:10:1",
                          .objective = "stations.s.wait",
                          .bound = "stations.s.wait<=0.3 h"};
    snprintf(mmc.path, sizeof(mmc.path), "/tmp/tcsim-bench-mmc-XXXXXX");
    int fd = mkstemp(mmc.path);
    if (fd < 0 || write(fd, mmc_yaml, sizeof(mmc_yaml) - 1) != (ssize_t)(sizeof(mmc_yaml) - 1)) {
        fprintf(stderr, "bench: cannot write %s\n", mmc.path);
        return 1;
    }
    close(fd);
    int rc = bench_problem(&year, runs);
    rc |= bench_problem(&mmc, runs);
    unlink(mmc.path);
    return rc;
}
