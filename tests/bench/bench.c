/*
** bench: the full tcsim path (YAML text -> scenario -> replications ->
** output files) on fixed workloads, timed with a monotonic clock, next to a
** minimal hand-written M/M/10 event loop (binary heap, the same GSL
** generator) as the floor. Prints trucks/s, events/s, ns/event, peak RSS
** and the ratio of tcsim's time to the floor's. The floor runs in the same
** process and the same minute, so the ratio holds on a noisy machine where
** absolute times do not.
**
** Usage: bench [WORKLOAD...] [--reps N]; workloads: W1 W2 W3 (default all).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "tcsim/output.h"
#include "tcsim/runner.h"
#include "tcsim/scenario.h"

struct workload {
    const char *name;
    const char *what;
    const char *yaml;
};

/* W1: M/M/10 at load 0.9, ~1,000,000 arrivals (lambda 9/min over 111,111 min). */
static const struct workload workloads[] = {
    {"W1", "M/M/10, load 0.9, 1e6 trucks",
     "name: W1 M/M/10\n"
     "horizon: 111111\n"
     "arrivals:\n  - {to: q, rate: 9}\n"
     "stations:\n  q: {servers: 10, service: {dist: exponential, mean: 1}}\n"},
    {"W2", "tandem with blocking, 1e6 trucks",
     "name: W2 tandem with blocking\n"
     "horizon: 250000\n"
     "arrivals:\n  - {to: A, rate: 4}\n"
     "stations:\n"
     "  A: {servers: 5, service: {dist: exponential, mean: 1.0}, next: B}\n"
     "  B: {servers: 4, capacity: 14, service: {dist: exponential, mean: 0.9}}\n"},
    {"W3", "M/M/6 two priority classes, 1e6 trucks",
     "name: W3 priority\n"
     "horizon: 200000\n"
     "classes:\n  hi: {priority: 1}\n  lo: {priority: 2}\n"
     "arrivals:\n  - {class: hi, to: q, rate: 1.5}\n  - {class: lo, to: q, rate: 3.5}\n"
     "stations:\n  q: {servers: 6, discipline: priority, service: {dist: exponential, mean: 1}}\n"},
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
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

static int run_workload(const struct workload *w, unsigned reps, double *out_secs)
{
    char dir[] = "/tmp/tcsim-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return -1;
    }
    double t0 = now_s();
    struct tc_diags d;
    tc_diags_init(&d);
    char text[2048];
    snprintf(text, sizeof(text), "%sreplications: %u\n", w->yaml, reps);
    struct tc_scenario *sc =
        tc_scenario_load_string(text, strlen(text), w->name, NULL, NULL, 0, &d);
    if (!sc) {
        tc_diags_print(&d, stderr);
        tc_diags_fini(&d);
        return -1;
    }
    tc_diags_fini(&d);
    struct tc_run run;
    tc_runner_run(&run, sc, 1, NULL, NULL);
    const char *failed = NULL;
    int err = tc_output_write_all(&run, dir, &failed);
    double secs = now_s() - t0;
    if (err)
        fprintf(stderr, "bench: cannot write %s\n", failed ? failed : dir);
    printf("%-4s %-40s %9.3f s %8.2f M trucks/s %8.2f M events/s %6.1f ns/event\n", w->name,
           w->what, secs, (double)run.n_trucks / secs / 1e6, (double)run.n_events / secs / 1e6,
           secs / (double)run.n_events * 1e9);
    *out_secs = secs;
    tc_run_fini(&run);
    tc_scenario_free(sc);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", dir);
    return err ? -1 : 0;
}

int main(int argc, char **argv)
{
    unsigned reps = 1;
    const char *only[8];
    int n_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (n_only < 8)
            only[n_only++] = argv[i];
    }
    double t0 = now_s(), wait;
    long served = floor_mmc(9, 1, 10, 111111, &wait);
    double floor_s = now_s() - t0;
    printf("floor M/M/10 hand-written loop: %.3f s, %.2f M trucks/s, %.1f ns/event "
           "(mean wait %.4f, exact 0.6687)\n",
           floor_s, (double)served / floor_s / 1e6, floor_s / (2.0 * (double)served) * 1e9, wait);
    int rc = 0;
    for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
        int want = n_only == 0;
        for (int k = 0; k < n_only; k++)
            want |= strcmp(only[k], workloads[i].name) == 0;
        if (!want)
            continue;
        double secs;
        if (run_workload(&workloads[i], reps, &secs)) {
            rc = 1;
            continue;
        }
        if (strcmp(workloads[i].name, "W1") == 0)
            printf("     W1 / floor time ratio: %.2f\n", secs / (floor_s * reps));
    }
    printf("peak RSS: %.1f MB\n", (double)peak_rss_kb() / 1024.0);
    return rc;
}
