/*
** Join the shortest queue against its Markov chain: one Poisson stream
** (lambda 1.6) choosing between two identical single-server stations
** (exponential service, mean 1: rho 0.8 per server) with fewest_present,
** ties to the first listed. The chain on (n_a, n_b), each truncated at
** JSQ_N, is solved here by Gauss-Seidel sweeps of its balance equations;
** its mean time in system must lie strictly between M/M/2 (one shared
** queue, the best any routing can do) and the random 50/50 split (two
** M/M/1 at lambda/2), both exact. Rule: tc_theory.h.
*/
#include "run/exact.h"
#include "tc_theory.h"

#define JSQ_LAMBDA 1.6
#define JSQ_MU     1.0
/* Each queue truncated at JSQ_N: the edge needs about 80 trucks present, probability ~1e-8. */
#define JSQ_N 40

struct jsq_exact {
    double w;            /* mean time in system, by Little from the mean number */
    double util_a;       /* P(n_a > 0) */
    double util_b;       /* P(n_b > 0) */
    double p_truncation; /* probability of the truncation's edge: must be negligible */
};

/* Where the arrival in state (a, b) goes: the fewer present, a on ties. */
static int jsq_to_a(int a, int b)
{
    return a <= b;
}

/*
** pi(s) * out(s) = sum over s' of pi(s') rate(s' -> s), swept in place until
** no probability changes by more than 1e-15 relative, then normalised.
*/
static void jsq_solve(struct jsq_exact *x)
{
    const int n = JSQ_N + 1;
    static double pi[(JSQ_N + 1) * (JSQ_N + 1)];
    const double lam = JSQ_LAMBDA, mu = JSQ_MU;

    for (int i = 0; i < n * n; i++)
        pi[i] = 1.0 / (n * n);
    for (int sweep = 0; sweep < 200000; sweep++) {
        double change = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) {
                /* rate out: an arrival (unless it would pass the truncation), services */
                int ta = jsq_to_a(a, b);
                bool arr_ok = ta ? a < JSQ_N : b < JSQ_N;
                double out = (arr_ok ? lam : 0) + (a > 0 ? mu : 0) + (b > 0 ? mu : 0);
                double in = 0;
                if (a > 0 && jsq_to_a(a - 1, b)) /* an arrival from (a-1, b) */
                    in += lam * pi[(a - 1) * n + b];
                if (b > 0 && !jsq_to_a(a, b - 1))
                    in += lam * pi[a * n + b - 1];
                if (a < JSQ_N) /* a service at a from (a+1, b) */
                    in += mu * pi[(a + 1) * n + b];
                if (b < JSQ_N)
                    in += mu * pi[a * n + b + 1];
                double v = in / out, old = pi[a * n + b];
                if (old > 0 && fabs(v - old) / old > change)
                    change = fabs(v - old) / old;
                pi[a * n + b] = v;
            }
        double sum = 0;
        for (int i = 0; i < n * n; i++)
            sum += pi[i];
        for (int i = 0; i < n * n; i++)
            pi[i] /= sum;
        if (change < 1e-13 && sweep > 100)
            break;
    }
    double l = 0, blocked = 0;
    *x = (struct jsq_exact){0};
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) {
            double p = pi[a * n + b];
            l += (a + b) * p;
            x->util_a += a > 0 ? p : 0;
            x->util_b += b > 0 ? p : 0;
            if (a == JSQ_N || b == JSQ_N)
                x->p_truncation += p;
            if (jsq_to_a(a, b) ? a == JSQ_N : b == JSQ_N)
                blocked += p;
        }
    x->w = l / (lam * (1 - blocked));
}

/*
** lambda 1.6, mu 1 per server: relaxation of the pair about that of M/M/2
** at rho 0.8 (under 100 time units), so warmup 5000; 20 replications of
** 100000 give the time in system within about 1 %.
*/
START_TEST(jsq_two_servers)
{
    static const char yaml[] = "name: JSQ two M/M/1\n"
                               "horizon: 100000\n"
                               "warmup: 5000\n"
                               "replications: 20\n"
                               "seed: 161\n"
                               "arrivals:\n"
                               "  - {to: {choose: fewest_present, among: [a, b]}, rate: 1.6/min}\n"
                               "stations:\n"
                               "  a: {servers: 1, service: {dist: exponential, mean: 1}}\n"
                               "  b: {servers: 1, service: {dist: exponential, mean: 1}}\n";
    struct jsq_exact x;
    jsq_solve(&x);
    struct tc_exact_station mm2, mm1;
    ck_assert(tc_exact_mmc(JSQ_LAMBDA, JSQ_MU, 2, &mm2));
    ck_assert(tc_exact_mm1(JSQ_LAMBDA / 2, JSQ_MU, &mm1));
    fprintf(stderr,
            "jsq exact: W %.10g (M/M/2 %.10g, split %.10g), util a %.6g b %.6g, edge %.3g\n", x.w,
            mm2.w, mm1.w, x.util_a, x.util_b, x.p_truncation);
    ck_assert_msg(x.p_truncation < 1e-7, "truncation at %d too tight: %g", JSQ_N, x.p_truncation);
    /* the chain's own balance: the two servers carry lambda / mu between them (less the edge) */
    ck_assert_msg(fabs(x.util_a + x.util_b - JSQ_LAMBDA / JSQ_MU) < 1e-7, "%.12g",
                  x.util_a + x.util_b);
    ck_assert_msg(mm2.w < x.w && x.w < mm1.w, "JSQ %.6g not between M/M/2 %.6g and split %.6g", x.w,
                  mm2.w, mm1.w);
    struct th t;
    th_run(&t, "jsq", yaml, 3);
    th_check(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), x.w);
    /* ties go to a: it is busier than b, by exactly what the chain says */
    th_check(&t, th_st(&t, "a", TC_SM_UTILIZATION), x.util_a);
    th_check(&t, th_st(&t, "b", TC_SM_UTILIZATION), x.util_b);
    th_done(&t);
}
END_TEST

static Suite *choose_suite(void)
{
    Suite *s = suite_create("theory_choose");
    TCase *tc = tcase_create("jsq");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, jsq_two_servers);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(choose_suite)
