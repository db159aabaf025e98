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

/* A two-station chain: the rates, the rule, and each queue's truncation. */
struct pair {
    double lam, mu_a, mu_b;
    double mean_a, mean_b; /* 1 / mu, as written in the scenario */
    bool sew;              /* shortest_expected_wait (else fewest_present) */
    int n_a, n_b;          /* the most trucks the chain keeps at a, at b */
};

/*
** Where the arrival in state (a, b) goes, a on ties: the fewer present, or
** the shorter present x mean service, computed as the engine does
** (present / 1 server x mean), with means exact in binary so ties are ties.
*/
static bool to_a(const struct pair *q, int a, int b)
{
    if (!q->sew)
        return a <= b;
    return a / 1.0 * q->mean_a <= b / 1.0 * q->mean_b;
}

/*
** pi(s) * out(s) = sum over s' of pi(s') rate(s' -> s), swept in place
** (Gauss-Seidel) until no probability changes by more than 1e-13
** relative, normalised after each sweep. An arrival that would pass the
** truncation is dropped (the edge's probability is checked negligible).
*/
static void pair_solve(const struct pair *q, struct jsq_exact *x)
{
    const int na = q->n_a + 1, nb = q->n_b + 1;
    static double pi[(2 * JSQ_N + 1) * (JSQ_N + 1)];
    ck_assert(na * nb <= (int)(sizeof(pi) / sizeof(pi[0])));

    for (int i = 0; i < na * nb; i++)
        pi[i] = 1.0 / (na * nb);
    for (int sweep = 0; sweep < 200000; sweep++) {
        double change = 0;
        for (int a = 0; a < na; a++)
            for (int b = 0; b < nb; b++) {
                bool arr_ok = to_a(q, a, b) ? a < q->n_a : b < q->n_b;
                double out = (arr_ok ? q->lam : 0) + (a > 0 ? q->mu_a : 0) + (b > 0 ? q->mu_b : 0);
                double in = 0;
                if (a > 0 && to_a(q, a - 1, b)) /* an arrival from (a-1, b) */
                    in += q->lam * pi[(a - 1) * nb + b];
                if (b > 0 && !to_a(q, a, b - 1))
                    in += q->lam * pi[a * nb + b - 1];
                if (a < q->n_a) /* a service at a from (a+1, b) */
                    in += q->mu_a * pi[(a + 1) * nb + b];
                if (b < q->n_b)
                    in += q->mu_b * pi[a * nb + b + 1];
                double v = in / out, old = pi[a * nb + b];
                if (old > 0 && fabs(v - old) / old > change)
                    change = fabs(v - old) / old;
                pi[a * nb + b] = v;
            }
        double sum = 0;
        for (int i = 0; i < na * nb; i++)
            sum += pi[i];
        for (int i = 0; i < na * nb; i++)
            pi[i] /= sum;
        if (change < 1e-13 && sweep > 100)
            break;
    }
    double l = 0, blocked = 0;
    *x = (struct jsq_exact){0};
    for (int a = 0; a < na; a++)
        for (int b = 0; b < nb; b++) {
            double p = pi[a * nb + b];
            l += (a + b) * p;
            x->util_a += a > 0 ? p : 0;
            x->util_b += b > 0 ? p : 0;
            if (a == q->n_a || b == q->n_b)
                x->p_truncation += p;
            if (to_a(q, a, b) ? a == q->n_a : b == q->n_b)
                blocked += p;
        }
    x->w = l / (q->lam * (1 - blocked));
}

static void jsq_solve(struct jsq_exact *x)
{
    struct pair q = {JSQ_LAMBDA, JSQ_MU, JSQ_MU, 1.0 / JSQ_MU, 1.0 / JSQ_MU, false, JSQ_N, JSQ_N};
    pair_solve(&q, x);
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

/*
** shortest_expected_wait over unequal servers: a serves in mean 0.75, b in
** 1.5 (rates 4/3 and 2/3, together 2), lambda 1.6: rho 0.8 of the pair. The
** rule compares n_a x 0.75 with n_b x 1.5, so a holds about twice b's
** queue; the chain keeps 2 JSQ_N at a and JSQ_N at b.
*/
START_TEST(sew_unequal_servers)
{
    static const char yaml[] =
        "name: SEW two unequal M/M/1\n"
        "horizon: 100000\n"
        "warmup: 5000\n"
        "replications: 20\n"
        "seed: 162\n"
        "arrivals:\n"
        "  - {to: {choose: shortest_expected_wait, among: [a, b]}, rate: 1.6/min}\n"
        "stations:\n"
        "  a: {servers: 1, service: {dist: exponential, mean: 0.75}}\n"
        "  b: {servers: 1, service: {dist: exponential, mean: 1.5}}\n";
    struct pair q = {JSQ_LAMBDA, 1 / 0.75, 1 / 1.5, 0.75, 1.5, true, 2 * JSQ_N, JSQ_N};
    struct jsq_exact x;
    pair_solve(&q, &x);
    fprintf(stderr, "sew exact: W %.10g, util a %.6g b %.6g, edge %.3g\n", x.w, x.util_a, x.util_b,
            x.p_truncation);
    ck_assert_msg(x.p_truncation < 1e-7, "truncation too tight: %g", x.p_truncation);
    /* the work balance: a carries util_a x 4/3 trucks per minute, b util_b x 2/3 */
    ck_assert_msg(fabs(x.util_a * q.mu_a + x.util_b * q.mu_b - JSQ_LAMBDA) < 1e-6, "%.12g",
                  x.util_a * q.mu_a + x.util_b * q.mu_b);
    struct th t;
    th_run(&t, "sew", yaml, 3);
    th_check(&t, th_cl(&t, "truck", TC_CM_TIME_IN_SYSTEM), x.w);
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
    tcase_add_test(tc, sew_unequal_servers);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(choose_suite)
