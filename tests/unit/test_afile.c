/*
** afile: a committed batch leaves exactly the final files with the bytes
** written; a failing writer, an unwritable directory or a path under a
** regular file leaves no final file and no temporary, and returns the
** error with the failed path. Each test works in its own mkdtemp directory.
*/
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
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

/* Two temporaries of one name: distinct, ".NAME.tcsim-PID-" ... ".tmp", both created. */
START_TEST(test_temp_names)
{
    char *a = NULL, *b = NULL, want[600];
    int fa = tc_afile_open_temp(root, "x.csv", &a);
    int fb = tc_afile_open_temp(root, "x.csv", &b);
    ck_assert_int_ge(fa, 0);
    ck_assert_int_ge(fb, 0);
    ck_assert_str_ne(a, b);
    snprintf(want, sizeof(want), "%s/.x.csv.tcsim-%ld-", root, (long)getpid());
    ck_assert_int_eq(strncmp(a, want, strlen(want)), 0);
    ck_assert_str_eq(a + strlen(a) - 4, ".tmp");
    ck_assert_uint_eq(strlen(a), strlen(want) + 16 + 4); /* 64 random bits in hex */
    close(fa);
    close(fb);
    ck_assert_int_eq(tc_afile_remove_stale(root), 2);
    char ls[256];
    list_dir(root, ls, sizeof(ls));
    ck_assert_str_eq(ls, "");
    free(a);
    free(b);
}
END_TEST

/* What the hooks saw: calls in order, and the directory at begin_renames. */
struct hook_log {
    char calls[64];
    int stop_at; /* stopped() says true at this call (1-based); 0: never */
    int n_stopped;
    char dir[512], at_begin[512];
};

static void note(struct hook_log *h, const char *what)
{
    size_t n = strlen(h->calls);
    snprintf(h->calls + n, sizeof(h->calls) - n, "%s", what);
}

static bool hook_stopped(void *ud)
{
    struct hook_log *h = ud;
    note(h, "s");
    return ++h->n_stopped == h->stop_at;
}

static void hook_begin(void *ud)
{
    struct hook_log *h = ud;
    note(h, "[");
    list_dir(h->dir, h->at_begin, sizeof(h->at_begin));
}

static void hook_end(void *ud)
{
    struct hook_log *h = ud;
    note(h, "]");
}

START_TEST(test_marker_and_hooks)
{
    char p[512], got[256], ls[512];
    struct tc_afile_item old[] = {{"a.csv", write_text, t_old},
                                  {"trucks.csv", write_text, t_old},
                                  {"done", write_text, t_old}};
    ck_assert_int_eq(tc_afile_commit(root, old, 3, NULL), 0);

    struct tc_afile_item items[] = {{"a.csv", write_text, t_new_a}, {"done", write_text, t_new_c}};
    static const char *const obsolete[] = {"trucks.csv"};
    struct hook_log h = {.stop_at = 0};
    snprintf(h.dir, sizeof(h.dir), "%s", root);
    struct tc_afile_opts o = {.marker = true,
                              .obsolete = obsolete,
                              .n_obsolete = 1,
                              .stopped = hook_stopped,
                              .begin_renames = hook_begin,
                              .end_renames = hook_end,
                              .ud = &h};
    ck_assert_int_eq(tc_afile_commit_opts(root, items, 2, &o, NULL), 0);
    ck_assert_str_eq(h.calls, "ss[s]"); /* before each write, then once inside */
    /* at begin_renames: the old set whole, beside the two new temporaries */
    ck_assert_int_eq(strncmp(h.at_begin, ".a.csv.tcsim-", 13), 0);
    ck_assert_ptr_nonnull(strstr(h.at_begin, " .done.tcsim-"));
    ck_assert_ptr_nonnull(strstr(h.at_begin, ".tmp a.csv done trucks.csv"));
    list_dir(root, ls, sizeof(ls));
    ck_assert_str_eq(ls, "a.csv done"); /* the obsolete trucks.csv went with the set */
    slurp(path_in(p, sizeof(p), root, "done"), got, sizeof(got));
    ck_assert_str_eq(got, "new c\n");
    slurp(path_in(p, sizeof(p), root, "a.csv"), got, sizeof(got));
    ck_assert_str_eq(got, "new a\n");

    /* Stopped before the second write, and just before the renames: nothing changes. */
    for (int stop_at = 2; stop_at <= 3; stop_at++) {
        struct hook_log h2 = {.stop_at = stop_at};
        snprintf(h2.dir, sizeof(h2.dir), "%s", root);
        o.ud = &h2;
        items[0].ud = t_x;
        ck_assert_int_eq(tc_afile_commit_opts(root, items, 2, &o, NULL), -EINTR);
        ck_assert_str_eq(h2.calls, stop_at == 2 ? "ss" : "ss[s]");
        list_dir(root, ls, sizeof(ls));
        ck_assert_str_eq(ls, "a.csv done");
        slurp(path_in(p, sizeof(p), root, "a.csv"), got, sizeof(got));
        ck_assert_str_eq(got, "new a\n");
    }
}
END_TEST

/*
** The lock: a second taker is refused (flock conflicts between two opens,
** even in one process) until it is released; taking it removes stale
** temporaries (a symlink itself, not its target) and nothing else; the
** directories it made go when they are still empty.
*/
START_TEST(test_lock)
{
    char dir[512], p[512], victim[512], ls[512], got[64];
    path_in(dir, sizeof(dir), root, "new/sub");
    struct tc_afile_lock a, b;
    ck_assert_int_eq(tc_afile_lock(&a, dir), 0);
    ck_assert_int_eq(tc_afile_lock(&b, dir), -EWOULDBLOCK);
    tc_afile_unlock(&b); /* a refused lock releases nothing of a's */
    ck_assert_int_eq(tc_afile_lock(&b, dir), -EWOULDBLOCK);
    tc_afile_unlock(&a);
    list_dir(root, ls, sizeof(ls));
    ck_assert_str_eq(ls, ""); /* both made, both empty: both removed */

    ck_assert_int_eq(tc_afile_lock(&a, dir), 0);
    path_in(victim, sizeof(victim), root, "victim");
    FILE *f = fopen(victim, "w");
    ck_assert_ptr_nonnull(f);
    fputs("precious\n", f);
    fclose(f);
    ck_assert_int_eq(symlink(victim, path_in(p, sizeof(p), dir, ".s.csv.tcsim-1-00ff.tmp")), 0);
    const char *keep[] = {".s.csv.tcsim-7-abcd.tmp", "keep.tmp", ".keep.tmp", ".x.tcsim-1"};
    for (int i = 0; i < 4; i++) {
        f = fopen(path_in(p, sizeof(p), dir, keep[i]), "w");
        ck_assert_ptr_nonnull(f);
        fclose(f);
    }
    tc_afile_unlock(&a); /* not empty: stays */
    ck_assert_int_eq(tc_afile_lock(&b, dir), 0);
    list_dir(dir, ls, sizeof(ls));
    ck_assert_str_eq(ls, ".keep.tmp .x.tcsim-1 keep.tmp");
    slurp(victim, got, sizeof(got));
    ck_assert_str_eq(got, "precious\n");
    tc_afile_unlock(&b);
    list_dir(dir, ls, sizeof(ls));
    ck_assert_str_eq(ls, ".keep.tmp .x.tcsim-1 keep.tmp");
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
    tcase_add_test(tc, test_temp_names);
    tcase_add_test(tc, test_marker_and_hooks);
    tcase_add_test(tc, test_lock);
    suite_add_tcase(s, tc);
    tc = tcase_create("mkdirs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_mkdirs_creates_nested_and_existing_dirs);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(afile_suite)
