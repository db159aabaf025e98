/*
** progress: the estimate of the time left assumes the replications still
** to run cost what the finished ones cost on average; with -j N several run
** at once, and the average over finished ones already includes that. It
** is rough at the start and for sweeps whose variants differ a lot in cost
** (a variant with 2 lanes and a long road queue runs longer), which is why
** the line says "about".
*/
#include "cli/progress.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#define REDRAW_EVERY_S 0.1

bool tc_progress_wanted(FILE *f, bool quiet)
{
    return !quiet && f && isatty(fileno(f));
}

static double since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

void tc_progress_init(struct tc_progress *p, FILE *f, uint64_t n_total)
{
    memset(p, 0, sizeof(*p));
    p->f = f;
    p->n_total = n_total;
    p->t_drawn = -1;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

void tc_progress_begin_run(struct tc_progress *p, const char *label, double days_per_rep)
{
    snprintf(p->label, sizeof(p->label), "%s", label ? label : "");
    p->days_per_rep = days_per_rep;
}

char *tc_progress_duration(double s, char *buf, size_t len)
{
    if (!(s >= 0) || !isfinite(s))
        s = 0;
    if (s < 9.95) { /* "9.96" would print as "10.0" */
        snprintf(buf, len, "%.1f s", s);
    } else if (s < 60) {
        snprintf(buf, len, "%.0f s", floor(s));
    } else if (s < 3599.5) {
        long t = (long)(s + 0.5); /* to the nearest second: 237.99999 is 3 min 58 s */
        snprintf(buf, len, "%ld min %02ld s", t / 60, t % 60);
    } else {
        long t = (long)(s / 60 + 0.5);
        snprintf(buf, len, "%ld h %02ld min", t / 60, t % 60);
    }
    return buf;
}

int tc_progress_format(char *buf, size_t len, const char *label, uint64_t done, uint64_t total,
                       double days, double elapsed_s)
{
    char el[32], left[32];
    tc_progress_duration(elapsed_s, el, sizeof(el));
    /* days as a count when whole, else one decimal: "49 simulated days", "3.5 ..." */
    int dec = fabs(days - round(days)) < 1e-9 ? 0 : 1;
    int n = snprintf(buf, len, "tcsim: %s%s%llu/%llu replications, %.*f simulated day%s, %s",
                     label && *label ? label : "", label && *label ? ": " : "",
                     (unsigned long long)done, (unsigned long long)total, dec, days,
                     dec == 0 && round(days) == 1 ? "" : "s", el);
    if (n < 0 || (size_t)n >= len || done == 0 || done >= total)
        return n;
    double rest = elapsed_s / (double)done * (double)(total - done);
    int m = snprintf(buf + n, len - (size_t)n, ", about %s left",
                     tc_progress_duration(rest, left, sizeof(left)));
    return m < 0 ? m : n + m;
}

static void draw(struct tc_progress *p, double now)
{
    char line[320];
    int n =
        tc_progress_format(line, sizeof(line), p->label, p->n_done, p->n_total, p->days_done, now);
    if (n < 0)
        return;
    /* "\r" then the line, then erase what a longer earlier line left ("\033[K") */
    fprintf(p->f, "\r%s\033[K", line);
    fflush(p->f);
    p->drawn_len = (size_t)n;
    p->t_drawn = now;
}

void tc_progress_runner_cb(void *ud, uint32_t n_done, uint32_t n_reps)
{
    struct tc_progress *p = ud;
    p->n_done = p->n_base + n_done;
    p->days_done += p->days_per_rep;
    if (!p->f)
        return;
    double now = since(&p->t0);
    if (n_done == n_reps || p->t_drawn < 0 || now - p->t_drawn >= REDRAW_EVERY_S)
        draw(p, now);
}

void tc_progress_end_run(struct tc_progress *p, uint32_t n_reps)
{
    p->n_base += n_reps;
    p->n_done = p->n_base;
}

void tc_progress_finish(struct tc_progress *p)
{
    if (!p->f || p->t_drawn < 0)
        return;
    fputs("\r\033[K", p->f);
    fflush(p->f);
    p->t_drawn = -1;
    p->drawn_len = 0;
}
