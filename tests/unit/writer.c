/* writer.c - unit tests of the atomic output writer (src/writer.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "outtree.h"
#include "sample.h"
#include "strbuf.h"
#include "writer.h"

TestSuite(writer, .init = enter_scratch, .fini = leave_scratch);

static void assert_file(const char *path, const char *want, unsigned mode)
{
	struct stat st;
	size_t len;
	char *got = slurp(path, &len);
	cr_assert(got, "'%s' cannot be read", path);
	cr_assert_eq(len, strlen(want), "'%s': %zu bytes, want %zu", path, len, strlen(want));
	cr_assert_str_eq(got, want, "'%s'", path);
	free(got);
	cr_assert(!stat(path, &st));
	cr_assert_eq(st.st_mode & 07777, mode, "'%s': mode %o, want %o", path,
		     st.st_mode & 07777, mode);
}

/* The whole sample tree of flavour is in dir, nothing else. */
static void assert_sample(const char *dir, const char *flavour)
{
	struct strbuf path = STRBUF_INIT, want = STRBUF_INIT;
	char *names;

#define CHECK(rel, mode, ...)                             \
	do {                                              \
		strbuf_reset(&path);                      \
		strbuf_reset(&want);                      \
		strbuf_addf(&path, "%s/%s", dir, rel);    \
		strbuf_addf(&want, __VA_ARGS__);          \
		assert_file(path.buf, want.buf, mode);    \
	} while (0)
	CHECK("a.txt", 0644, "hello from %s\n", flavour);
	CHECK("scripts/run.sh", 0755, "#!/bin/sh\necho %s\n", flavour);
	CHECK("deep/er/x.json", 0644, "{\"flavour\": \"%s\"}\n", flavour);
	CHECK("deep/y.txt", 0644, "%s", "y\n");
	CHECK("empty.txt", 0644, "%s", "");
#undef CHECK
	names = list_names(dir);
	cr_assert_str_eq(names, "a.txt\ndeep\nempty.txt\nscripts\n");
	free(names);
	strbuf_release(&path);
	strbuf_release(&want);
}

/* The scratch folder holds exactly these names: no leftovers. */
static void assert_names(const char *dir, const char *want)
{
	char *names = list_names(dir);
	cr_assert_str_eq(names, want, "'%s' holds:\n%s", dir, names);
	free(names);
}

static int commit_sample(const char *dir, const char *flavour, struct strbuf *err)
{
	struct out_tree tree;
	int ret;
	sample_tree(&tree, flavour);
	ret = writer_commit(&tree, dir, 0, err);
	out_tree_release(&tree);
	return ret;
}

/* An existing out/ with content that differs from every sample. */
static void put_old_out(void)
{
	put_file("out/a.txt", "old a\n");
	put_file("out/old-only.txt", "gone after a commit\n");
	put_file("out/scripts/old.sh", "#!/bin/sh\n");
	put_folder("out/empty-folder");
}

Test(writer, creates_a_missing_folder)
{
	struct strbuf err = STRBUF_INIT;
	cr_assert_eq(commit_sample("out", "new", &err), 0, "%s", err.buf);
	assert_sample("out", "new");
	assert_names(".", "out\n");
	strbuf_release(&err);
}

Test(writer, replaces_an_existing_folder_whole)
{
	struct strbuf err = STRBUF_INIT;
	put_old_out();
	cr_assert_eq(commit_sample("out", "new", &err), 0, "%s", err.buf);
	assert_sample("out", "new");
	assert_names(".", "out\n");
	cr_assert_eq(commit_sample("out", "newer", &err), 0, "%s", err.buf);
	assert_sample("out", "newer");
	assert_names(".", "out\n");
	strbuf_release(&err);
}

Test(writer, nested_dir_and_trailing_slash)
{
	struct strbuf err = STRBUF_INIT;
	put_folder("build");
	cr_assert_eq(commit_sample("build/out/", "new", &err), 0, "%s", err.buf);
	assert_sample("build/out", "new");
	assert_names("build", "out\n");
	strbuf_release(&err);
}

Test(writer, absolute_dir)
{
	struct strbuf err = STRBUF_INIT, dir = STRBUF_INIT;
	strbuf_addf(&dir, "%s/out", scratch_path());
	cr_assert_eq(commit_sample(dir.buf, "new", &err), 0, "%s", err.buf);
	assert_sample("out", "new");
	strbuf_release(&dir);
	strbuf_release(&err);
}

Test(writer, keeps_the_folder_mode_and_applies_the_umask)
{
	struct strbuf err = STRBUF_INIT;
	struct stat st;

	put_old_out();
	cr_assert(!chmod("out", 0750));
	cr_assert_eq(commit_sample("out", "new", &err), 0, "%s", err.buf);
	cr_assert(!stat("out", &st));
	cr_assert_eq(st.st_mode & 07777, 0750);

	umask(077);
	cr_assert_eq(commit_sample("fresh", "new", &err), 0, "%s", err.buf);
	cr_assert(!stat("fresh", &st));
	cr_assert_eq(st.st_mode & 07777, 0700);
	cr_assert(!stat("fresh/scripts/run.sh", &st));
	cr_assert_eq(st.st_mode & 07777, 0700);
	strbuf_release(&err);
}

/* Issue 19: the umask takes permissions away, never adds any: no world-writable folder. */
Test(writer, umask_000_gives_no_folder_writable_by_others)
{
	struct strbuf err = STRBUF_INIT;
	struct stat st;

	umask(0);
	cr_assert_eq(commit_sample("open", "new", &err), 0, "%s", err.buf);
	cr_assert(!stat("open", &st));
	cr_assert_eq(st.st_mode & 07777, WRITER_DIR_MODE);
	cr_assert(!stat("open/scripts", &st));
	cr_assert_eq(st.st_mode & 07777, WRITER_DIR_MODE);
	cr_assert(!stat("open/scripts/run.sh", &st));
	cr_assert_eq(st.st_mode & 07777, 0755);
	strbuf_release(&err);
}

Test(writer, empty_tree_gives_an_empty_folder)
{
	struct out_tree tree;
	struct strbuf err = STRBUF_INIT;
	put_old_out();
	out_tree_init(&tree);
	cr_assert_eq(writer_commit(&tree, "out", 0, &err), 0, "%s", err.buf);
	assert_names("out", "");
	assert_names(".", "out\n");
	strbuf_release(&err);
}

/* A failed commit: -1, a message naming want, out/ and its parent untouched. */
static void assert_failed_commit_leaves_out(struct out_tree *tree, const char *want)
{
	struct strbuf err = STRBUF_INIT;
	char *before, *after;

	put_old_out();
	before = snapshot("out");
	cr_assert_eq(writer_commit(tree, "out", 0, &err), -1);
	cr_assert(strstr(err.buf, want), "message '%s' lacks '%s'", err.buf, want);
	cr_assert(!strchr(err.buf, '\n'), "message is not one line: '%s'", err.buf);
	after = snapshot("out");
	cr_assert_str_eq(after, before, "out/ changed");
	assert_names(".", "out\n");
	free(before);
	free(after);
	strbuf_release(&err);
}

Test(writer, write_failure_leaves_dir_byte_identical)
{
	struct out_tree tree;
	sample_tree(&tree, "new");
	/* "a.txt" is a file, so "a.txt/b" cannot be created. */
	out_tree_add_copy(&tree, "a.txt/b", "x", 1, 0644);
	assert_failed_commit_leaves_out(&tree, "'out/a.txt/b'");
	out_tree_release(&tree);
}

Test(writer, folder_failure_leaves_dir_byte_identical)
{
	struct out_tree tree;
	sample_tree(&tree, "new");
	out_tree_add_copy(&tree, "empty.txt/sub/c", "x", 1, 0644);
	assert_failed_commit_leaves_out(&tree, "'out/empty.txt/sub'");
	out_tree_release(&tree);
}

Test(writer, invalid_paths_are_refused)
{
	static const char *bad[] = { "../escape", "/abs", "a//b", "a/./b", "a/", "" };
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct out_tree tree;
		sample_tree(&tree, "new");
		out_tree_add_copy(&tree, bad[i], "x", 1, 0644);
		assert_failed_commit_leaves_out(&tree, "invalid output path");
		out_tree_release(&tree);
	}
	assert_names(".", "out\n");
}

Test(writer, refuses_a_symlink)
{
	struct strbuf err = STRBUF_INIT;
	char *before;

	put_file("real/keep.txt", "keep\n");
	cr_assert(!symlink("real", "out"));
	before = snapshot("real");
	cr_assert_eq(commit_sample("out", "new", &err), -1);
	cr_assert(strstr(err.buf, "'out' is a symbolic link"), "%s", err.buf);
	cr_assert_str_eq(snapshot("real"), before);
	assert_names(".", "out\nreal\n");
	strbuf_release(&err);
}

Test(writer, refuses_a_file)
{
	struct strbuf err = STRBUF_INIT;
	put_file("out", "i am a file\n");
	cr_assert_eq(commit_sample("out", "new", &err), -1);
	cr_assert_str_eq(err.buf, "'out' exists and is not a folder");
	assert_names(".", "out\n");
	strbuf_release(&err);
}

/*
 * Another user's out/ in a world-writable parent: the swap would leave that
 * user's tree under our temporary name, where we may not remove it and the
 * sweep never would, and the run said nothing.  Refused before anything is
 * written.  Needs root, to act as a second user (nobody, 65534).
 */
Test(writer, refuses_another_users_folder)
{
	char *before;
	pid_t pid;
	int status;

	if (geteuid() != 0)
		cr_skip_test("needs root to act as a second user");
	cr_assert(!chmod(".", 0755));
	cr_assert(!mkdir("shared", 0777) && !chmod("shared", 0777));
	put_file("shared/out/keep.txt", "keep\n");
	before = snapshot("shared/out");
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		struct strbuf err = STRBUF_INIT;
		if (setgid(65534) || setuid(65534))
			_exit(3);
		if (commit_sample("shared/out", "new", &err) != -1)
			_exit(1);
		_exit(strstr(err.buf, "'shared/out' belongs to another user (uid 0)") ? 0 : 2);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "as nobody: status %d (1: committed, 2: another message, 3: setuid)", status);
	cr_assert_str_eq(snapshot("shared/out"), before);
	assert_names("shared", "out\n");
}

Test(writer, refuses_dot_dotdot_root_and_empty)
{
	static const char *bad[] = { ".", "./", "..", "/", "", "sub/..", "sub/." };
	struct strbuf err = STRBUF_INIT;
	size_t i;

	put_folder("sub");
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		cr_assert_eq(commit_sample(bad[i], "new", &err), -1, "'%s' accepted", bad[i]);
		cr_assert(strstr(err.buf, "refusing to replace"), "'%s': %s", bad[i], err.buf);
	}
	assert_names(".", "sub\n");
	strbuf_release(&err);
}

Test(writer, refuses_the_working_folder_and_its_ancestors)
{
	struct strbuf err = STRBUF_INIT, dir = STRBUF_INIT;

	put_file("work/keep.txt", "keep\n");
	cr_assert(!chdir("work"));
	cr_assert_eq(commit_sample("../work", "new", &err), -1);
	cr_assert(strstr(err.buf, "holds the current"), "%s", err.buf);
	strbuf_addf(&dir, "%s", scratch_path());
	cr_assert_eq(commit_sample(dir.buf, "new", &err), -1);
	cr_assert(strstr(err.buf, "holds the current"), "%s", err.buf);
	assert_names(".", "keep.txt\n");
	strbuf_release(&dir);
	strbuf_release(&err);
}

Test(writer, refuses_home)
{
	struct strbuf err = STRBUF_INIT;
	put_file("home/.profile", "keep\n");
	cr_assert(!setenv("HOME", "home", 1));
	cr_assert_eq(commit_sample("home", "new", &err), -1);
	cr_assert(strstr(err.buf, "home folder"), "%s", err.buf);
	assert_names("home", ".profile\n");
	strbuf_release(&err);
}

Test(writer, missing_parent_is_an_error)
{
	struct strbuf err = STRBUF_INIT;
	cr_assert_eq(commit_sample("nope/out", "new", &err), -1);
	cr_assert_str_eq(err.buf, "cannot open folder 'nope' to write 'nope/out': "
			 "No such file or directory");
	assert_names(".", "");
	strbuf_release(&err);
}

/* ---- sweeping the leftovers of a killed run ---- */

Test(writer, sweep_removes_only_our_exact_leftovers)
{
	struct strbuf err = STRBUF_INIT;

	put_old_out();
	put_file(".out.ecsgen-tmp.Ab12Cd/a.txt", "half written");
	put_file(".out.ecsgen-tmp.Ab12Cd/deep/er/x.json", "half written");
	put_folder(".out.ecsgen-tmp.zz99ZZ");
	put_folder(".out.ecsgen-old.Qq77qQ/scripts");
	/* Not ours: wrong length, another folder's, a file, a near miss. */
	put_folder(".out.ecsgen-tmp.Ab12C");
	put_folder(".out.ecsgen-tmp.Ab12Cde");
	put_folder(".other.ecsgen-tmp.Ab12Cd");
	put_folder(".out.ecsgen-tmp.Ab-2Cd");
	put_folder("out.ecsgen-tmp.Ab12Cd");
	put_file(".out.ecsgen-tmp.Zz99Zz", "a file, not a folder\n");
	cr_assert(!symlink("out", ".out.ecsgen-tmp.Ln99Ln"));

	cr_assert_eq(writer_sweep("out", &err), 0, "%s", err.buf);
	assert_names(".", ".other.ecsgen-tmp.Ab12Cd\n.out.ecsgen-tmp.Ab-2Cd\n"
		     ".out.ecsgen-tmp.Ab12C\n.out.ecsgen-tmp.Ab12Cde\n"
		     ".out.ecsgen-tmp.Ln99Ln\n.out.ecsgen-tmp.Zz99Zz\nout\n"
		     "out.ecsgen-tmp.Ab12Cd\n");
	assert_names("out", "a.txt\nempty-folder\nold-only.txt\nscripts\n");
	strbuf_release(&err);
}

Test(writer, commit_sweeps_first)
{
	struct strbuf err = STRBUF_INIT;
	put_old_out();
	put_file(".out.ecsgen-tmp.Ab12Cd/a.txt", "half written");
	cr_assert_eq(commit_sample("out", "new", &err), 0, "%s", err.buf);
	assert_sample("out", "new");
	assert_names(".", "out\n");
	strbuf_release(&err);
}

Test(writer, sweep_restores_a_tree_left_aside_by_a_cut_swap)
{
	struct strbuf err = STRBUF_INIT;
	char *before;

	/* kill -9 between "out -> aside" and "new -> out": no out/ at all. */
	put_old_out();
	cr_assert(!rename("out", ".out.ecsgen-old.Ab12Cd"));
	put_file(".out.ecsgen-tmp.Ab12Cd/a.txt", "new, complete or not");
	before = snapshot(".out.ecsgen-old.Ab12Cd");
	cr_assert_eq(writer_sweep("out", &err), 0, "%s", err.buf);
	assert_names(".", "out\n");
	assert_names("out", "a.txt\nempty-folder\nold-only.txt\nscripts\n");
	/* Same inodes, same bytes: the very tree that was set aside. */
	cr_assert(strstr(before, "/a.txt ino="));
	{
		char *after = snapshot("out");
		struct strbuf fixed = STRBUF_INIT;
		const char *p;
		/* Paths differ by the folder name only. */
		for (p = before; *p;) {
			const char *hit = strstr(p, ".out.ecsgen-old.Ab12Cd");
			if (!hit) {
				strbuf_addstr(&fixed, p);
				break;
			}
			strbuf_add(&fixed, p, (size_t)(hit - p));
			strbuf_addstr(&fixed, "out");
			p = hit + strlen(".out.ecsgen-old.Ab12Cd");
		}
		cr_assert_str_eq(after, fixed.buf);
		free(after);
		strbuf_release(&fixed);
	}
	free(before);
	strbuf_release(&err);
}

Test(writer, sweep_drops_an_aside_tree_when_dir_exists)
{
	struct strbuf err = STRBUF_INIT;
	put_old_out();
	put_file(".out.ecsgen-old.Ab12Cd/a.txt", "older");
	cr_assert_eq(writer_sweep("out", &err), 0, "%s", err.buf);
	assert_names(".", "out\n");
	assert_names("out", "a.txt\nempty-folder\nold-only.txt\nscripts\n");
	strbuf_release(&err);
}

Test(writer, commit_after_a_cut_swap)
{
	struct strbuf err = STRBUF_INIT;
	put_file(".out.ecsgen-old.Ab12Cd/a.txt", "older");
	cr_assert_eq(commit_sample("out", "new", &err), 0, "%s", err.buf);
	assert_sample("out", "new");
	assert_names(".", "out\n");
	strbuf_release(&err);
}

/* ---- fault injection: the writer in a process of its own ---- */

#ifdef ECSGEN_FAULT_INJECTION
/*
 * Run commit-helper on out with the given environment settings
 * ("NAME=VALUE", NULL-terminated); returns the wait status.
 */
static int run_helper(const char *flavour, const char *const *env)
{
	const char *top = getenv("top_builddir");
	struct strbuf helper = STRBUF_INIT;
	int status;
	pid_t pid;

	cr_assert(top, "top_builddir is not set: run through make check");
	strbuf_addf(&helper, "%s/tests/unit/commit-helper", top);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (!pid) {
		for (; *env; env++)
			putenv((char *)*env);
		if (!freopen("/dev/null", "w", stderr))
			_exit(99);
		execl(helper.buf, helper.buf, "out", flavour, (char *)NULL);
		_exit(98);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	strbuf_release(&helper);
	return status;
}

static int exited(int status, int code)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/* Fail the 1st, 2nd, ... write: out/ stays the same every time. */
static void fail_every_write(const char *const *extra)
{
	char *before;
	int n;

	put_old_out();
	before = snapshot("out");
	for (n = 1; n <= SAMPLE_FILES; n++) {
		char var[64];
		const char *env[4] = { var, NULL, NULL, NULL };
		int status;
		if (extra) {
			env[1] = extra[0];
			env[2] = extra[1];
		}
		snprintf(var, sizeof var, "ECSGEN_FAIL_WRITE=%d", n);
		status = run_helper("new", env);
		cr_assert(exited(status, 1), "write %d: status %#x", n, status);
		cr_assert_str_eq(snapshot("out"), before, "write %d changed out/", n);
		assert_names(".", "out\n");
	}
	free(before);
	{
		const char *env[] = { "ECSGEN_FAIL_WRITE=6", NULL };
		cr_assert(exited(run_helper("new", env), 0));
		assert_sample("out", "new");
		assert_names(".", "out\n");
	}
}

Test(writer, failing_each_write_leaves_dir_byte_identical)
{
	fail_every_write(NULL);
}

/* SIGTERM while the old tree is removed: the removal finishes first, nothing is left. */
static void signal_during_removal(const char *const *extra)
{
	const char *env[3] = { "ECSGEN_REMOVE_SIGNAL=TERM", NULL, NULL };
	int status;

	if (extra)
		env[1] = extra[0];
	put_old_out();
	status = run_helper("new", env);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "status %#x", status);
	assert_sample("out", "new");
	assert_names(".", "out\n");
}

Test(writer, sigterm_during_removal_leaves_nothing_behind)
{
	signal_during_removal(NULL);
}

Test(writer, sigterm_during_removal_without_exchange)
{
	const char *extra[] = { "ECSGEN_NO_EXCHANGE=1", NULL };
	signal_during_removal(extra);
}

Test(writer, failing_each_write_without_exchange)
{
	const char *extra[] = { "ECSGEN_NO_EXCHANGE=1", NULL };
	fail_every_write(extra);
}

Test(writer, two_rename_fallback_commits)
{
	const char *env[] = { "ECSGEN_NO_EXCHANGE=1", NULL };
	put_old_out();
	cr_assert(exited(run_helper("new", env), 0));
	assert_sample("out", "new");
	assert_names(".", "out\n");
	cr_assert(exited(run_helper("newer", env), 0));
	assert_sample("out", "newer");
	assert_names(".", "out\n");
}

Test(writer, failing_each_allocation_leaves_dir_byte_identical)
{
	char *before;
	int n, done = 0;

	put_old_out();
	before = snapshot("out");
	for (n = 1; n < 10000 && !done; n++) {
		char var[64];
		const char *env[] = { var, NULL };
		int status;
		snprintf(var, sizeof var, "ECSGEN_FAIL_ALLOC=%d", n);
		status = run_helper("new", env);
		if (exited(status, 0)) {
			done = 1;
			break;
		}
		cr_assert(exited(status, 2), "allocation %d: status %#x", n, status);
		cr_assert_str_eq(snapshot("out"), before, "allocation %d changed out/", n);
		assert_names(".", "out\n");
	}
	cr_assert(done && n > 5, "the helper never succeeded (n=%d)", n);
	assert_sample("out", "new");
	assert_names(".", "out\n");
	free(before);
}

static void interrupted_by(const char *signame, int sig)
{
	char var[64];
	const char *env[] = { "ECSGEN_FAIL_WRITE=3", var, NULL };
	char *before;
	int status;

	put_old_out();
	before = snapshot("out");
	snprintf(var, sizeof var, "ECSGEN_FAIL_WRITE_SIGNAL=%s", signame);
	status = run_helper("new", env);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sig, "status %#x", status);
	cr_assert_str_eq(snapshot("out"), before);
	assert_names(".", "out\n");
	free(before);
}

Test(writer, sigterm_removes_the_temporary_folder)
{
	interrupted_by("TERM", SIGTERM);
}

Test(writer, sigint_removes_the_temporary_folder)
{
	interrupted_by("INT", SIGINT);
}

Test(writer, sighup_removes_the_temporary_folder)
{
	interrupted_by("HUP", SIGHUP);
}

Test(writer, kill_9_leftover_is_swept_by_the_next_run)
{
	const char *env[] = { "ECSGEN_FAIL_WRITE=3", "ECSGEN_FAIL_WRITE_SIGNAL=KILL", NULL };
	const char *none[] = { NULL };
	char *before, *names;
	int status;

	put_old_out();
	before = snapshot("out");
	status = run_helper("new", env);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %#x", status);
	cr_assert_str_eq(snapshot("out"), before);
	names = list_names(".");
	cr_assert(!strncmp(names, ".out.ecsgen-tmp.", 16) && strlen(names) == 27 &&
		  !strcmp(names + 22, "\nout\n"), "after kill -9: %s", names);
	free(names);
	cr_assert(exited(run_helper("new", none), 0));
	assert_sample("out", "new");
	assert_names(".", "out\n");
	free(before);
}
#endif
