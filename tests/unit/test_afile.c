/*
** afile: a committed batch leaves exactly the final files with the bytes
** written; a failing writer, an unwritable directory or a path under a
** regular file leaves no final file and no temporary, and returns the
** error with the failed path. Each test works in its own mkdtemp directory.
*/
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc_check.h"
#include "tcsim/afile.h"

static char root[256];

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(root, sizeof(root), "%s/tcsim-afile-XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(root));
}

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char sub[1024];
                snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
                rm_rf(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void teardown(void)
{
    rm_rf(root);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The entries of dir (hidden ones included), sorted, joined by spaces. */
static void list_dir(const char *dir, char *out, size_t len)
{
    char *names[64];
    size_t n = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_str);
    out[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(out + used, len - used, "%s%s", i ? " " : "", names[i]);
        ck_assert(k > 0 && (size_t)k < len - used);
        used += (size_t)k;
        free(names[i]);
    }
}

static void slurp(const char *path, char *out, size_t len)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t n = fread(out, 1, len - 1, f);
    out[n] = '\0';
    fclose(f);
}

/* Writer payloads: afile hands ud back as a void *, so no string literals. */
static char t_empty_obj[] = "{}\n", t_csv[] = "scope,name\nstation,yard\n",
            t_obj_a[] = "{\"a\": 1}\n", t_old[] = "old\n", t_new_a[] = "new a\n",
            t_new_c[] = "new c\n", t_x[] = "x\n";

static int write_text(void *ud, FILE *f)
{
    fputs(ud, f);
    return 0;
}

static int write_fail(void *ud, FILE *f)
{
    (void)ud;
    fputs("half a fil", f);
    return -ENOSPC;
}

static char *path_in(char *buf, size_t len, const char *a, const char *b)
{
    int n = snprintf(buf, len, "%s/%s", a, b);
    ck_assert(n > 0 && (size_t)n < len);
    return buf;
}

START_TEST(test_commit_writes)
{
    char dir[512], p[512], got[256], ls[256];
    path_in(dir, sizeof(dir), root, "out/run 1"); /* created with its parent */
    struct tc_afile_item items[] = {
        {"summary.json", write_text, t_empty_obj},
        {"summary.csv", write_text, t_csv},
    };
    const char *failed = "untouched";
    ck_assert_int_eq(tc_afile_commit(dir, items, 2, &failed), 0);
    ck_assert_str_eq(failed, "untouched");
    list_dir(dir, ls, sizeof(ls));
    ck_assert_str_eq(ls, "summary.csv summary.json");
    slurp(path_in(p, sizeof(p), dir, "summary.json"), got, sizeof(got));
    ck_assert_str_eq(got, "{}\n");
    slurp(path_in(p, sizeof(p), dir, "summary.csv"), got, sizeof(got));
    ck_assert_str_eq(got, "scope,name\nstation,yard\n");

    /* A second commit replaces the files; a trailing slash on dir is fine. */
    char dir_slash[520];
    snprintf(dir_slash, sizeof(dir_slash), "%s/", dir);
    items[0].ud = t_obj_a;
    ck_assert_int_eq(tc_afile_commit(dir_slash, items, 1, NULL), 0);
    slurp(path_in(p, sizeof(p), dir, "summary.json"), got, sizeof(got));
    ck_assert_str_eq(got, "{\"a\": 1}\n");
    list_dir(dir, ls, sizeof(ls));
    ck_assert_str_eq(ls, "summary.csv summary.json");
}
END_TEST

START_TEST(test_failing_writer)
{
    char p[512], got[256], ls[256], want[512];
    /* An older complete file must survive a failed batch. */
    struct tc_afile_item old[] = {{"b.csv", write_text, t_old}};
    ck_assert_int_eq(tc_afile_commit(root, old, 1, NULL), 0);

    struct tc_afile_item items[] = {
        {"a.json", write_text, t_new_a},
        {"b.csv", write_fail, NULL},
        {"c.csv", write_text, t_new_c},
    };
    const char *failed = NULL;
    ck_assert_int_eq(tc_afile_commit(root, items, 3, &failed), -ENOSPC);
    ck_assert_str_eq(failed, path_in(want, sizeof(want), root, "b.csv"));
    list_dir(root, ls, sizeof(ls));
    ck_assert_str_eq(ls, "b.csv"); /* no a.json, no .a.json.tmp, no .b.csv.tmp */
    slurp(path_in(p, sizeof(p), root, "b.csv"), got, sizeof(got));
    ck_assert_str_eq(got, "old\n");
}
END_TEST

START_TEST(test_under_regular_file)
{
    char file[512], dir[512], ls[256];
    path_in(file, sizeof(file), root, "plain");
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    path_in(dir, sizeof(dir), file, "sub");
    ck_assert_int_eq(tc_afile_mkdirs(dir), -ENOTDIR);
    ck_assert_int_eq(tc_afile_mkdirs(file), -ENOTDIR);

    struct tc_afile_item items[] = {{"x.csv", write_text, t_x}};
    const char *failed = NULL;
    ck_assert_int_eq(tc_afile_commit(dir, items, 1, &failed), -ENOTDIR);
    ck_assert_str_eq(failed, dir);
    list_dir(root, ls, sizeof(ls));
    ck_assert_str_eq(ls, "plain");
}
END_TEST

START_TEST(test_unwritable_dir)
{
    /* root ignores permission bits; the ENOTDIR test covers it there. */
    if (geteuid() == 0)
        return;
    char dir[512], ls[256], want[512];
    path_in(dir, sizeof(dir), root, "ro");
    ck_assert_int_eq(mkdir(dir, 0500), 0);
    struct tc_afile_item items[] = {{"x.csv", write_text, t_x}};
    const char *failed = NULL;
    ck_assert_int_eq(tc_afile_commit(dir, items, 1, &failed), -EACCES);
    ck_assert_str_eq(failed, path_in(want, sizeof(want), dir, "x.csv"));
    chmod(dir, 0700);
    list_dir(dir, ls, sizeof(ls));
    ck_assert_str_eq(ls, "");
}
END_TEST

START_TEST(test_mkdirs_creates_nested_and_existing_dirs)
{
    char dir[512];
    struct stat st;
    path_in(dir, sizeof(dir), root, "a//b/c/");
    ck_assert_int_eq(tc_afile_mkdirs(dir), 0);
    ck_assert_int_eq(tc_afile_mkdirs(dir), 0); /* already there */
    path_in(dir, sizeof(dir), root, "a/b/c");
    ck_assert_int_eq(stat(dir, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
    ck_assert_int_eq(tc_afile_mkdirs(""), -ENOENT);
    ck_assert_int_eq(tc_afile_mkdirs("/"), 0);
}
END_TEST

static Suite *afile_suite(void)
{
    Suite *s = suite_create("afile");
    TCase *tc = tcase_create("commit");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_commit_writes);
    tcase_add_test(tc, test_failing_writer);
    tcase_add_test(tc, test_under_regular_file);
    tcase_add_test(tc, test_unwritable_dir);
    suite_add_tcase(s, tc);
    tc = tcase_create("mkdirs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_mkdirs_creates_nested_and_existing_dirs);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(afile_suite)
