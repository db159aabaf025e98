/*
** test_rfile: whole-file reads with a cap: exact contents and length, the
** cap at its edge (max bytes pass, max + 1 fail with the true size), an
** empty file, a missing file and a directory, /dev/zero stopped at the cap,
** and a FIFO with no writer read as empty instead of hanging.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/rfile.h"
#include "tc_check.h"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/tc_rfile_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char p[128];

    snprintf(p, sizeof(p), "%s/f", dir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/fifo", dir);
    unlink(p);
    rmdir(dir);
}

static void write_file(const char *text, size_t len)
{
    char p[128];
    FILE *f;

    snprintf(p, sizeof(p), "%s/f", dir);
    f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_regular_file_read_whole_nul_terminated)
{
    char p[128], *s;
    size_t n;

    snprintf(p, sizeof(p), "%s/f", dir);
    write_file("abc\0def", 7);
    ck_assert_int_eq(tc_rfile_read(p, 7, &s, &n), 0);
    ck_assert_uint_eq(n, 7);
    ck_assert_int_eq(memcmp(s, "abc\0def", 8), 0); /* NUL-terminated after the bytes */
    free(s);
    /* One byte over the cap: refused from the size, which is reported. */
    ck_assert_int_eq(tc_rfile_read(p, 6, &s, &n), -EFBIG);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(n, 7);
    write_file("", 0);
    ck_assert_int_eq(tc_rfile_read(p, 0, &s, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(test_errors_return_negative_errno)
{
    char p[128], *s = (char *)1;
    size_t n = 5;

    snprintf(p, sizeof(p), "%s/none", dir);
    ck_assert_int_eq(tc_rfile_read(p, 100, &s, &n), -ENOENT);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(tc_rfile_read(dir, 100, &s, &n), -EISDIR);
    ck_assert_ptr_null(s);
}
END_TEST

/* A character device has no size: the read stops one byte past the cap. */
START_TEST(test_dev_zero_stops_one_byte_past_cap)
{
    char *s;
    size_t n;

    ck_assert_int_eq(tc_rfile_read("/dev/zero", 100000, &s, &n), -EFBIG);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(n, 100001);
    ck_assert_int_eq(tc_rfile_read("/dev/null", 10, &s, &n), 0);
    ck_assert_uint_eq(n, 0);
    free(s);
}
END_TEST

START_TEST(test_fifo_reads_until_eof)
{
    char p[128], *s;
    size_t n;

    snprintf(p, sizeof(p), "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    ck_assert_int_eq(tc_rfile_read(p, 100, &s, &n), 0);
    ck_assert_uint_eq(n, 0);
    free(s);
}
END_TEST

static Suite *rfile_suite(void)
{
    Suite *s = suite_create("rfile");
    TCase *tc = tcase_create("read");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_regular_file_read_whole_nul_terminated);
    tcase_add_test(tc, test_errors_return_negative_errno);
    tcase_add_test(tc, test_dev_zero_stops_one_byte_past_cap);
    tcase_add_test(tc, test_fifo_reads_until_eof);
    tcase_set_timeout(tc, 10);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(rfile_suite)
