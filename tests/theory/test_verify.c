/*
** tcsim verify: every embedded case passes on this build, and the report
** ends with the summary line the CLI user reads.
*/
#include <stdio.h>
#include <string.h>

#include "cli/verify.h"
#include "tc_theory.h"

START_TEST(verify_passes_silently)
{
    ck_assert_int_eq(tc_verify_run(NULL), 0);
}
END_TEST

START_TEST(verify_report)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(tc_verify_run(f), 0);
    rewind(f);
    char line[256], last[256] = "";
    unsigned n_ok = 0, n_lines = 0;
    while (fgets(line, sizeof line, f)) {
        n_lines++;
        size_t len = strlen(line);
        if (len >= 4 && strcmp(line + len - 4, " ok\n") == 0)
            n_ok++;
        memcpy(last, line, len + 1);
    }
    fclose(f);
    fputs(last, stderr);
    ck_assert_uint_ge(n_ok, 20);
    char want[64];
    snprintf(want, sizeof want, "verify: %u checks, all passed\n", n_ok);
    ck_assert_str_eq(last, want);
    ck_assert_uint_gt(n_lines, n_ok + 1);
}
END_TEST

static Suite *verify_suite(void)
{
    Suite *s = suite_create("theory_verify");
    TCase *tc = tcase_create("verify");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, verify_passes_silently);
    tcase_add_test(tc, verify_report);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(verify_suite)
