// SPDX-License-Identifier: MIT
/* Output files: decided before the work, written whole or not at all (see outfile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "outfile.h"

static int errf(char *err, size_t len, const char *fmt, const char *a, const char *b)
{
	snprintf(err, len, fmt, a, b);
	return -1;
}

static void dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, len, ".");
	else if (slash == path)
		snprintf(dir, len, "/");
	else
		snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* mkdir -p; 0 or -errno, with the folder that failed in `where`. */
static int make_dirs(const char *dir, char *where, size_t len)
{
	char buf[4096];
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf + 1;; p++) {
		int last = *p == 0;

		if (*p != '/' && !last)
			continue;
		*p = 0;
		if (stat(buf, &st)) {
			if (errno != ENOENT || (mkdir(buf, 0755) && errno != EEXIST)) {
				snprintf(where, len, "%s", buf);
				return -errno;
			}
		} else if (!S_ISDIR(st.st_mode)) {
			snprintf(where, len, "%s", buf);
			return -ENOTDIR;
		}
		if (last)
			return 0;
		*p = '/';
	}
}

/*
 * Missing folders are made when the output is written (a run that fails
 * first leaves none behind); here the nearest one that exists must be a
 * folder we can write in.
 */
static int check_folder(const struct pb_out *o, const char *arg, char *err, size_t errlen)
{
	char dir[4096], where[4096];
	struct stat st;
	int r;

	dir_of(o->path, dir, sizeof(dir));
	snprintf(where, sizeof(where), "%s", dir);
	while (stat(where, &st)) {
		char up[4096];

		if (errno != ENOENT)
			return errf(err, errlen, "cannot write %s: %s", arg, strerror(errno));
		dir_of(where, up, sizeof(up));
		if (!strcmp(up, where))
			break;
		snprintf(where, sizeof(where), "%s", up);
	}
	r = stat(where, &st) ? -errno : !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
	if (!r && access(where, W_OK | X_OK))
		r = -errno;
	if (r) {
		snprintf(err, errlen, "cannot write %s: %s %s (%s); pick another path", arg,
			 strcmp(where, dir) ? "cannot make its folder in" : "its folder", where,
			 strerror(-r));
		return -1;
	}
	return 0;
}

int pb_out_prepare(struct pb_out *o, const char *arg, char *err, size_t errlen)
{
	struct stat lst, st;

	memset(o, 0, sizeof(*o));
	snprintf(o->given, sizeof(o->given), "%s", arg);
	if (!strcmp(arg, "-")) {
		o->kind = PB_OUT_STDOUT;
		return 0;
	}
	if (!*arg)
		return errf(err, errlen, "an empty output path; name a file%s%s", "", "");
	if (strlen(arg) >= sizeof(o->path) - 64)
		return errf(err, errlen, "output path too long: %.80s...%s", arg, "");
	if (lstat(arg, &lst) == 0) {
		if (S_ISLNK(lst.st_mode)) {
			if (stat(arg, &st))
				return errf(err, errlen,
					    "%s is a symlink to a missing file; name the real path%s",
					    arg, "");
		} else {
			st = lst;
		}
		if (S_ISDIR(st.st_mode))
			return errf(err, errlen, "%s is a folder; name a file in it%s", arg, "");
		if (!S_ISREG(st.st_mode)) {
			o->kind = PB_OUT_INPLACE;
			snprintf(o->path, sizeof(o->path), "%s", arg);
			snprintf(o->note, sizeof(o->note),
				 "%s is not a regular file: writing to it in place, not replacing it",
				 arg);
			return 0;
		}
		o->kind = PB_OUT_REPLACE;
		if (S_ISLNK(lst.st_mode)) {
			char real[PATH_MAX];

			if (!realpath(arg, real))
				return errf(err, errlen, "cannot resolve the symlink %s: %s", arg,
					    strerror(errno));
			snprintf(o->path, sizeof(o->path), "%s", real);
			snprintf(o->note, sizeof(o->note),
				 "%s is a symlink: replacing its target %s and keeping the link", arg,
				 o->path);
		} else {
			snprintf(o->path, sizeof(o->path), "%s", arg);
		}
	} else if (errno == ENOENT) {
		o->kind = PB_OUT_REPLACE;
		snprintf(o->path, sizeof(o->path), "%s", arg);
	} else {
		return errf(err, errlen, "cannot write %s: %s", arg, strerror(errno));
	}
	return check_folder(o, arg, err, errlen);
}

int pb_out_sibling(const struct pb_out *o, const char *suffix_from, const char *suffix_to,
		   struct pb_out *sib, char *err, size_t errlen)
{
	size_t n = strlen(o->given), k = strlen(suffix_from);
	char path[4200];

	/* Readers look for a sibling beside the name they were given, so it goes there. */
	if (o->kind != PB_OUT_REPLACE || n < k || strcmp(o->given + n - k, suffix_from))
		return 1;
	snprintf(path, sizeof(path), "%.*s%s", (int)(n - k), o->given, suffix_to);
	return pb_out_prepare(sib, path, err, errlen);
}

/* Hold off the signals that end a run while files are being swapped. */
static void hold_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, old);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Run fn into f; 0 or -errno. Closes f. */
static int produce(FILE *f, pb_out_fn fn, const void *arg)
{
	int r = 0;

	errno = 0;
	if (fn(f, arg) || ferror(f) || fflush(f))
		r = errno ? -errno : -EIO;
	if (fclose(f) && !r)
		r = errno ? -errno : -EIO;
	return r;
}

int pb_out_stage(struct pb_staged *s, const struct pb_out *o, pb_out_fn fn, const void *arg)
{
	char dir[4096], where[4096];
	FILE *f;
	int r, fd;

	memset(s, 0, sizeof(*s));
	s->out = o;
	s->fd = -1;
	if (o->kind != PB_OUT_REPLACE) {
		/* Kept in memory: a device or stdout is written only at the commit. */
		f = open_memstream(&s->buf, &s->len);
		if (!f)
			return -errno;
		r = produce(f, fn, arg);
		goto out;
	}
	dir_of(o->path, dir, sizeof(dir));
	r = make_dirs(dir, where, sizeof(where));
	if (r)
		goto out;
	/*
	 * An unnamed file (O_TMPFILE) leaves nothing behind if the process is
	 * killed before the commit; filesystems without it get a named one.
	 */
	s->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	if (s->fd < 0) {
		snprintf(s->tmp, sizeof(s->tmp), "%s.tmp.%d", o->path, (int)getpid());
		s->fd = open(s->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (s->fd < 0) {
			r = -errno;
			s->tmp[0] = 0;
			goto out;
		}
	}
	fd = dup(s->fd);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		goto out;
	}
	r = produce(f, fn, arg);
	if (!r && fsync(s->fd))
		r = -errno;
out:
	if (r)
		pb_out_discard(s);
	return r;
}

void pb_out_discard(struct pb_staged *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->tmp[0])
		unlink(s->tmp);
	free(s->buf);
	s->fd = -1;
	s->tmp[0] = 0;
	s->buf = NULL;
}

/*
 * Give an unnamed staged file a temporary name in its folder. Without /proc
 * (a bare initramfs) the link cannot be made: the content is copied into a
 * named file instead.
 */
static int name_staged(struct pb_staged *s)
{
	char proc[64];
	int fd, r;

	if (s->tmp[0])
		return 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", s->fd);
	snprintf(s->tmp, sizeof(s->tmp), "%s.tmp.%d", s->out->path, (int)getpid());
	unlink(s->tmp);
	if (!linkat(AT_FDCWD, proc, AT_FDCWD, s->tmp, AT_SYMLINK_FOLLOW))
		return 0;
	fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		s->tmp[0] = 0;
		return r;
	}
	r = 0;
	for (off_t off = 0;;) {
		char buf[65536];
		ssize_t n = pread(s->fd, buf, sizeof(buf), off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : 0;
			break;
		}
		r = write_all(fd, buf, (size_t)n);
		if (r)
			break;
		off += n;
	}
	if (!r && fsync(fd))
		r = -errno;
	close(fd);
	if (r) {
		unlink(s->tmp);
		s->tmp[0] = 0;
	}
	return r;
}

static int commit_inplace(struct pb_staged *s)
{
	int fd, r;

	if (s->out->kind == PB_OUT_STDOUT) {
		fflush(stdout);
		return write_all(STDOUT_FILENO, s->buf, s->len);
	}
	fd = open(s->out->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write_all(fd, s->buf, s->len);
	if (close(fd) && !r && errno != EINTR)
		r = -errno;
	return r;
}

int pb_out_commit(struct pb_staged *s, size_t n, const struct pb_out **failed)
{
	char backup[8][4200];
	int saved[8] = { 0 }, replaced[8] = { 0 }, r = 0;
	sigset_t old;

	if (n > 8)
		return -EINVAL;
	*failed = NULL;
	hold_signals(&old);
	for (size_t i = 0; i < n && !r; i++) {
		struct pb_staged *x = &s[i];

		*failed = x->out;
		if (x->out->kind != PB_OUT_REPLACE) {
			r = commit_inplace(x);
			continue;
		}
		r = name_staged(x);
		if (r)
			break;
		/* Keep the old file under a second name until the whole set is in. */
		snprintf(backup[i], sizeof(backup[i]), "%s.old.%d", x->out->path, (int)getpid());
		unlink(backup[i]);
		saved[i] = link(x->out->path, backup[i]) == 0;
		if (rename(x->tmp, x->out->path)) {
			r = -errno;
			break;
		}
		x->tmp[0] = 0;
		replaced[i] = 1;
	}
	for (size_t i = 0; i < n; i++) {
		/* Undo on failure: every file replaced before the failing one goes back. */
		if (r && replaced[i]) {
			if (saved[i] && !rename(backup[i], s[i].out->path))
				saved[i] = 0;
			else if (!saved[i])
				unlink(s[i].out->path);
		}
		if (saved[i])
			unlink(backup[i]);
		pb_out_discard(&s[i]);
	}
	if (!r)
		*failed = NULL;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

int pb_out_write(const struct pb_out *o, pb_out_fn fn, const void *arg)
{
	struct pb_staged s;
	const struct pb_out *failed;
	int r = pb_out_stage(&s, o, fn, arg);

	return r ? r : pb_out_commit(&s, 1, &failed);
}

int pb_stdout_close(void)
{
	int bad = ferror(stdout);

	if (fflush(stdout) || bad)
		return errno ? -errno : -EIO;
	/* A pipe or device may only report its error when the descriptor is synced. */
	if (fsync(STDOUT_FILENO) && errno != EINVAL && errno != EROFS && errno != EBADF)
		return -errno;
	return 0;
}
