/*
** compare_paired: the paired side of tcsim compare. Two runs with the same
** seed and replication count use the same random numbers replication by
** replication (common random numbers), so the difference of a metric in
** replication r is mostly the effect of the change, the shared noise
** cancelled; a paired t test on those differences is then much more
** powerful than Welch's test on the two means. The per-replication values
** come from the replications.csv that every run writes beside its
** summary.json; without it (or with different seeds or counts) compare
** falls back to Welch and says why.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "base/rfile.h"
#include "base/xmem.h"
#include "output/compare_int.h"
#include "tcsim/runner.h"

void tc_compare_paired_test(const double *d, size_t n, size_t stride, struct tc_compare_paired *out)
{
    struct tc_stat st;
    tc_stat_reduce(d, n, stride, &st);
    out->mean = st.mean;
    out->ci95 = st.ci95;
    out->n = st.n;
    out->t = out->p = (double)NAN;
    if (st.n < 2)
        return;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(d[i * stride]))
            ss += (d[i * stride] - st.mean) * (d[i * stride] - st.mean);
    double se = sqrt(ss / (st.n - 1) / st.n);
    if (!(se > 0)) { /* every difference the same: exact */
        out->t = st.mean == 0 ? 0 : copysign((double)INFINITY, st.mean);
        out->p = st.mean == 0 ? 1 : 0;
        return;
    }
    out->t = st.mean / se;
    out->p = 2 * gsl_cdf_tdist_Q(fabs(out->t), (double)(st.n - 1));
}

/* replications.csv holds every metric of every replication: allow far more than a summary. */
#define MAX_REPS_BYTES ((size_t)1 << 30)
#define N_FIELDS       6

/*
** Splits one RFC 4180 record at *p in place into f[] (quotes removed,
** doubled quotes undone); advances *p past its line break. Returns the
** number of fields, or -1 for a malformed quote.
*/
static int split_record(char **p, char *f[N_FIELDS + 1])
{
    char *s = *p, *o = s;
    int n = 0;
    f[n++] = o;
    for (;;) {
        if (*s == '"') {
            for (s++;; s++) {
                if (!*s)
                    return -1;
                if (*s == '"' && s[1] == '"')
                    *o++ = *s++;
                else if (*s == '"')
                    break;
                else
                    *o++ = *s;
            }
            s++;
        }
        if (*s == ',' && n <= N_FIELDS) {
            *o++ = '\0';
            s++;
            f[n++] = o;
            continue;
        }
        if (!*s || *s == '\n' || (*s == '\r' && s[1] == '\n')) {
            char *next = !*s ? s : s + (*s == '\r' ? 2 : 1);
            *o = '\0';
            *p = next;
            return n;
        }
        *o++ = *s++;
    }
}

/* The summary.json path of a row: stations.N.M, stations.N.by_class.C.M, classes.N.M, ... */
static bool row_path(char *const f[N_FIELDS], char *buf, size_t len)
{
    int k;
    if (strcmp(f[1], "station") == 0 && f[3][0])
        k = snprintf(buf, len, "stations.%s.by_class.%s.%s", f[2], f[3], f[4]);
    else if (strcmp(f[1], "station") == 0)
        k = snprintf(buf, len, "stations.%s.%s", f[2], f[4]);
    else if (strcmp(f[1], "class") == 0)
        k = snprintf(buf, len, "classes.%s.%s", f[2], f[4]);
    else if (strcmp(f[1], "road") == 0)
        k = snprintf(buf, len, "roads.%s.%s", f[2], f[4]);
    else if (strcmp(f[1], "network") == 0)
        k = snprintf(buf, len, "network.%s", f[4]);
    else
        return false;
    return k > 0 && (size_t)k < len;
}

/* The directory of path with "replications.csv" after it, a new string. */
static char *reps_path(const char *summary)
{
    const char *slash = strrchr(summary, '/');
    size_t dir = slash ? (size_t)(slash - summary) + 1 : 0;
    char *p = tc_xmalloc(dir + sizeof("replications.csv"));
    memcpy(p, summary, dir);
    memcpy(p + dir, "replications.csv", sizeof("replications.csv"));
    return p;
}

/* Parses text into an object path -> [reps values]; NULL with why[] on a problem. */
static json_t *parse_reps(char *text, uint32_t reps, const char *file, char *why, size_t len)
{
    static const char header[] = "rep,scope,name,class,metric,value";
    char *p = text, *f[N_FIELDS + 1], path[1024];
    if (strncmp(p, header, sizeof(header) - 1) != 0) {
        snprintf(why, len, "%s does not start with \"%s\"", file, header);
        return NULL;
    }
    p += sizeof(header) - 1;
    p += *p == '\r' ? 2 : *p == '\n';
    json_t *map = json_object();
    for (size_t line = 2; *p; line++) {
        char *end;
        int n = split_record(&p, f);
        unsigned long rep = n == N_FIELDS ? strtoul(f[0], &end, 10) : 0;
        bool ok =
            n == N_FIELDS && f[0][0] && !*end && rep < reps && row_path(f, path, sizeof(path));
        double v = (double)NAN;
        if (ok && f[5][0]) {
            v = strtod(f[5], &end);
            ok = !*end;
        }
        if (!ok) {
            snprintf(why, len, "%s:%zu: not a row of %" PRIu32 " replications", file, line, reps);
            json_decref(map);
            return NULL;
        }
        json_t *a = json_object_get(map, path);
        if (!a) {
            a = json_array();
            for (uint32_t r = 0; r < reps; r++)
                json_array_append_new(a, json_null());
            json_object_set_new(map, path, a);
        }
        if (!isnan(v))
            json_array_set_new(a, rep, json_real(v));
    }
    return map;
}

static json_t *read_reps(const struct tc_compare_summary *s, char *why, size_t len)
{
    char *file = reps_path(s->name), *text = NULL;
    size_t n = 0;
    json_t *map = NULL;
    int err = tc_rfile_read(file, MAX_REPS_BYTES, &text, &n);
    if (err)
        snprintf(why, len, "cannot read %s: %s", file, strerror(-err));
    else
        map = parse_reps(text, s->reps, file, why, len);
    free(text);
    free(file);
    return map;
}

bool tc_compare__pairing(const struct tc_compare_summary *base,
                         const struct tc_compare_summary *cand, json_t **rb, json_t **rc,
                         char *test, size_t len)
{
    char why[512];
    *rb = *rc = NULL;
    if (!base->has_seed || !cand->has_seed)
        snprintf(why, sizeof(why), "no seed in %s", base->has_seed ? cand->name : base->name);
    else if (base->seed != cand->seed)
        snprintf(why, sizeof(why), "different seeds: %" PRIu64 " and %" PRIu64, base->seed,
                 cand->seed);
    else if (base->reps != cand->reps)
        snprintf(why, sizeof(why), "different replications: %" PRIu32 " and %" PRIu32, base->reps,
                 cand->reps);
    else if (base->reps < 2)
        snprintf(why, sizeof(why), "one replication");
    else if ((*rb = read_reps(base, why, sizeof(why))) &&
             (*rc = read_reps(cand, why, sizeof(why)))) {
        snprintf(test, len,
                 "paired t (common random numbers: same seed %" PRIu64 " and %" PRIu32
                 " replications)",
                 base->seed, base->reps);
        return true;
    }
    json_decref(*rb);
    *rb = NULL;
    snprintf(test, len, "Welch t (not paired: %s)", why);
    return false;
}

bool tc_compare__paired_metric(const json_t *rb, const json_t *rc, struct tc_compare_metric *r)
{
    const json_t *a = json_object_get(rb, r->path), *b = json_object_get(rc, r->path);
    size_t n = json_array_size(a);
    if (!n || n != json_array_size(b))
        return false;
    double *d = tc_xmalloc(n * sizeof(*d));
    for (size_t i = 0; i < n; i++) {
        const json_t *x = json_array_get(a, i), *y = json_array_get(b, i);
        d[i] = json_is_number(x) && json_is_number(y) ? json_number_value(y) - json_number_value(x)
                                                      : (double)NAN;
    }
    struct tc_compare_paired pt;
    tc_compare_paired_test(d, n, 1, &pt);
    free(d);
    if (pt.n < 2)
        return false;
    r->change_se = pt.t;
    r->df = (double)(pt.n - 1);
    r->p = pt.p;
    return true;
}
