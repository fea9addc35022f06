// SPDX-License-Identifier: MIT
/* Output files: decided before the work, written whole or not at all (see outfile.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "outfile.h"
#include "../analysis/safe_text.h"

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


static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * A FIFO is opened now, never blocking: open(O_WRONLY) on a FIFO without a
 * reader would wait forever. A reader started just before us (`cat f &`)
 * may not have opened it yet, so wait a little for one. Signals are not
 * held here: Ctrl-C ends the wait.
 */
#define PB_FIFO_GRACE_MS 3000

static int open_fifo(struct pb_out *o, const char *arg, char *err, size_t errlen)
{
	for (long waited = 0;; waited += 20) {
		int fd = open(o->path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

		if (fd >= 0) {
			/* Writes may wait for a slow reader; they do so with signals deliverable. */
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
			o->fd = fd;
			return 0;
		}
		if (errno != ENXIO)
			return errf(err, errlen, "cannot open the FIFO %s: %s", arg, strerror(errno));
		if (waited >= PB_FIFO_GRACE_MS)
			return errf(err, errlen,
				    "no one reads the FIFO %s: start its reader first (e.g. cat %s >FILE &)",
				    arg, arg);
		sleep_ms(20);
	}
}

/* A path that exists and is not a regular file: written in place where that was asked for. */
static int prepare_special(struct pb_out *o, const char *arg, const struct stat *st, int flags,
			   char *err, size_t errlen)
{
	const char *what = S_ISFIFO(st->st_mode)  ? "a FIFO"
			   : S_ISCHR(st->st_mode) ? "a character device"
			   : S_ISBLK(st->st_mode) ? "a block device"
			   : S_ISSOCK(st->st_mode) ? "a socket"
						   : "not a regular file";

	if (S_ISBLK(st->st_mode))
		return errf(err, errlen, "%s is a block device (a disk): writing there would overwrite "
				 "it; name a file%s", arg, "");
	if (!S_ISFIFO(st->st_mode) && !S_ISCHR(st->st_mode))
		return errf(err, errlen, "%s is %s, which cannot be written as a file; name a file", arg,
			    what);
	if (!(flags & PB_OUT_NAMED))
		return errf(err, errlen, "%s is %s, not a file: procbench writes there only where it "
				 "is named as the output; remove it or choose another name", arg, what);
	o->kind = PB_OUT_INPLACE;
	snprintf(o->path, sizeof(o->path), "%s", arg);
	snprintf(o->note, sizeof(o->note), "%s is %s: writing to it in place, not replacing it", arg,
		 what);
	return S_ISFIFO(st->st_mode) ? open_fifo(o, arg, err, errlen) : 0;
}

int pb_out_prepare(struct pb_out *o, const char *arg, int flags, char *err, size_t errlen)
{
	struct stat lst, st;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	snprintf(o->given, sizeof(o->given), "%s", arg);
	if (!strcmp(arg, "-")) {
		o->kind = PB_OUT_STDOUT;
		return 0;
	}
	if (!*arg)
		return errf(err, errlen, "an empty output path; name a file%s%s", "", "");
	if (strlen(arg) >= sizeof(o->path) - 64)
		return errf(err, errlen, "output path too long: %.80s...%s", arg, "");
	if (arg[strlen(arg) - 1] == '/')
		return errf(err, errlen, "%s ends in '/': name a file, not a folder%s", arg, "");
	/* The results file names its samples file in JSON, which holds only text. */
	if (!pb_text_is_utf8(strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg))
		return errf(err, errlen, "%s: the file name is not UTF-8 text, which a results file "
					 "must name its samples by; pick a name that is%s",
			    arg, "");
	if (lstat(arg, &lst) == 0) {
		if (S_ISLNK(lst.st_mode)) {
			char dir[4096];
			struct stat dst;

			/*
			 * fs.protected_symlinks' rule, for the target we would replace: in a
			 * sticky world-writable folder (/tmp) a link is followed only when it
			 * is ours or the folder owner's; another user's link there could
			 * point us at any file we can write.
			 */
			dir_of(arg, dir, sizeof(dir));
			if (lst.st_uid != geteuid() && !stat(dir, &dst) && (dst.st_mode & S_ISVTX) &&
			    (dst.st_mode & S_IWOTH) && lst.st_uid != dst.st_uid)
				return errf(err, errlen,
					    "%s is another user's symlink in a shared folder: not followed; "
					    "name a path of your own%s",
					    arg, "");
			if (stat(arg, &st))
				return errf(err, errlen,
					    "%s is a symlink to a missing file; name the real path%s",
					    arg, "");
		} else {
			st = lst;
		}
		if (S_ISDIR(st.st_mode))
			return errf(err, errlen, "%s is a folder; name a file in it%s", arg, "");
		if (!S_ISREG(st.st_mode))
			return prepare_special(o, arg, &st, flags, err, errlen);
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
	return pb_out_prepare(sib, path, 0, err, errlen);
}

void pb_out_close(struct pb_out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

/*
 * The raw samples a results file names (context.samples_file, beside it),
 * read without trusting the file: a regular file only, opened without
 * blocking, under a size cap. 0 with the path, or -1 (none found: the
 * reader will say what is wrong with the file when it reads it).
 */
static int samples_named_by(const char *results, char *out, size_t len)
{
	const size_t cap = 1ul << 30;
	json_object *root = NULL, *ctx, *v;
	struct stat st;
	char *text = NULL;
	const char *name, *slash;
	size_t got = 0;
	int fd, r = -1;

	fd = open(results, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > cap)
		goto out;
	text = malloc((size_t)st.st_size + 1);
	while (text && got < (size_t)st.st_size) {
		ssize_t k = read(fd, text + got, (size_t)st.st_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (!text || got != (size_t)st.st_size)
		goto out;
	text[got] = 0;
	root = json_tokener_parse(text);
	if (!root || !json_object_object_get_ex(root, "context", &ctx) ||
	    !json_object_object_get_ex(ctx, "samples_file", &v) ||
	    !json_object_is_type(v, json_type_string))
		goto out;
	name = json_object_get_string(v);
	if (!*name || strchr(name, '/'))
		goto out;
	slash = strrchr(results, '/');
	snprintf(out, len, "%.*s%s", slash ? (int)(slash - results + 1) : 0, results, name);
	r = 0;
out:
	json_object_put(root);
	free(text);
	close(fd);
	return r;
}

/* Are a and b one file? By device and inode where both exist, else by the name as given. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	int ea = stat(a, &sa), eb = stat(b, &sb);

	if (!ea && !eb)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	return ea && eb && !strcmp(a, b);
}

int pb_out_refuse_inputs(const struct pb_out *const *outs, size_t nout,
			 const struct pb_out_input *in, size_t nin, char *err, size_t errlen)
{
	char samples[4400];

	for (size_t i = 0; i < nout; i++) {
		const struct pb_out *o = outs[i];

		if (o->kind == PB_OUT_STDOUT)
			continue;
		for (size_t k = 0; k < i; k++)
			if (outs[k]->kind != PB_OUT_STDOUT && same_file(o->path, outs[k]->path))
				return errf(err, errlen, "%s and %s would be written to one file; give "
						 "the outputs separate files", outs[k]->given, o->given);
		for (size_t k = 0; k < nin; k++) {
			if (same_file(o->path, in[k].path)) {
				if (!strcmp(o->given, in[k].path))
					snprintf(err, errlen, "%s is %s, which this command reads: name "
						 "another output file", o->given, in[k].role);
				else
					snprintf(err, errlen, "%s is %s (%s), which this command reads: "
						 "name another output file", o->given, in[k].role,
						 in[k].path);
				return -1;
			}
			if (in[k].results && !samples_named_by(in[k].path, samples, sizeof(samples)) &&
			    same_file(o->path, samples)) {
				snprintf(err, errlen,
					 "%s holds the raw samples of %s (%s): writing it would break that "
					 "pair; name another output file",
					 o->given, in[k].role, in[k].path);
				return -1;
			}
		}
	}
	return 0;
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

int pb_out_stage(struct pb_staged *s, struct pb_out *o, pb_out_fn fn, const void *arg)
{
	char dir[4096], where[4096];
	FILE *f;
	int r, fd;

	memset(s, 0, sizeof(*s));
	s->out = o;
	s->fd = -1;
	if (o->kind != PB_OUT_REPLACE) {
		/* Kept in memory: a device or stdout is written only at the commit. */
		s->fd = o->fd; /* a FIFO prepare opened: the commit writes and closes it */
		o->fd = -1;
		f = open_memstream(&s->buf, &s->len);
		if (!f)
			r = -errno;
		else
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
	if (!r) {
		/* The named copy is what will be renamed: its inode goes into the journal. */
		close(s->fd);
		s->fd = fd;
	} else {
		close(fd);
		unlink(s->tmp);
		s->tmp[0] = 0;
	}
	return r;
}

/*
 * Standard output, a device or a FIFO: written with no signal held, so a
 * reader that stalls can be interrupted; a reader that is gone is EPIPE,
 * not a silent death by SIGPIPE.
 */
static int commit_inplace(struct pb_staged *s)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int fd = s->fd, r;

	if (s->out->kind == PB_OUT_STDOUT) {
		fflush(stdout);
		fd = STDOUT_FILENO;
	} else if (fd < 0) {
		/* O_NONBLOCK: the open of a device never waits (a FIFO was opened by prepare). */
		fd = open(s->out->path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			return -errno;
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		s->fd = fd;
	}
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	r = write_all(fd, s->buf, s->len);
	sigaction(SIGPIPE, &old, NULL);
	if (fd != STDOUT_FILENO) {
		if (close(fd) && !r && errno != EINTR)
			r = -errno;
		s->fd = -1;
	}
	return r;
}

/* ---- Writers of one folder exclude each other: flock on the folder itself. ---- */

#define PB_MAX_OUTS 8

struct folder_locks {
	size_t n;
	int fd[2 * PB_MAX_OUTS];
	dev_t dev[2 * PB_MAX_OUTS];
	ino_t ino[2 * PB_MAX_OUTS];
	char dir[2 * PB_MAX_OUTS][4096];
};

static void unlock_all(struct folder_locks *l)
{
	for (size_t i = 0; i < l->n; i++)
		close(l->fd[i]); /* the flock goes with the last descriptor */
	l->n = 0;
}

/* The folder's index in l, or -1. */
static int held(const struct folder_locks *l, const struct stat *st)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->dev[i] == st->st_dev && l->ino[i] == st->st_ino)
			return (int)i;
	return -1;
}

/* Add a folder to l, unlocked: 0, or -errno. Folders are kept in (dev, inode) order. */
static int add_folder(struct folder_locks *l, const char *dir)
{
	struct stat st;
	size_t i;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || held(l, &st) >= 0 || l->n == 2 * PB_MAX_OUTS) {
		int r = held(l, &st) >= 0 ? 0 : -EINVAL;

		close(fd);
		return r;
	}
	for (i = l->n; i > 0 && (l->dev[i - 1] > st.st_dev ||
				 (l->dev[i - 1] == st.st_dev && l->ino[i - 1] > st.st_ino));
	     i--) {
		l->fd[i] = l->fd[i - 1];
		l->dev[i] = l->dev[i - 1];
		l->ino[i] = l->ino[i - 1];
		memcpy(l->dir[i], l->dir[i - 1], sizeof(l->dir[i]));
	}
	l->fd[i] = fd;
	l->dev[i] = st.st_dev;
	l->ino[i] = st.st_ino;
	snprintf(l->dir[i], sizeof(l->dir[i]), "%s", dir);
	l->n++;
	return 0;
}

/* Who holds a flock on this inode, from /proc/locks (0: cannot tell). */
static long lock_holder(dev_t dev, ino_t ino)
{
	FILE *f = fopen("/proc/locks", "re");
	char line[256];
	long who = 0;

	while (f && !who && fgets(line, sizeof(line), f)) {
		unsigned maj, mnr;
		unsigned long long i;
		long pid;
		char kind[16];

		if (sscanf(line, "%*[^:]: %15s %*s %*s %ld %x:%x:%llu", kind, &pid, &maj, &mnr, &i) ==
			    5 &&
		    !strcmp(kind, "FLOCK") && maj == major(dev) && mnr == minor(dev) && i == ino)
			who = pid;
	}
	if (f)
		fclose(f);
	return who;
}

static double lock_wait_s(void)
{
	const char *v = getenv("PROCBENCH_LOCK_WAIT");
	char *end;
	double s;

	if (!v || !*v)
		return 60;
	s = strtod(v, &end);
	return *end || !(s >= 0 && s <= 86400) ? 60 : s;
}

/*
 * Lock every folder in order (so two writers of the same folders cannot
 * deadlock), waiting a bounded time for each; signals are deliverable while
 * waiting. 0, or -1 with the holder named in err.
 */
static int lock_all(struct folder_locks *l, char *err, size_t errlen)
{
	double limit = lock_wait_s();

	for (size_t i = 0; i < l->n; i++) {
		for (long waited = 0; flock(l->fd[i], LOCK_EX | LOCK_NB); waited += 20) {
			long who;
			char comm[64] = "", path[64];
			FILE *f;

			if (errno == EINTR)
				continue;
			if (errno != EWOULDBLOCK) {
				snprintf(err, errlen, "cannot lock the folder %s: %s", l->dir[i],
					 strerror(errno));
				return -1;
			}
			if (waited < limit * 1000) {
				sleep_ms(20);
				continue;
			}
			who = lock_holder(l->dev[i], l->ino[i]);
			snprintf(path, sizeof(path), "/proc/%ld/comm", who);
			if (who > 0 && (f = fopen(path, "re"))) {
				if (!fgets(comm, sizeof(comm), f))
					comm[0] = 0;
				comm[strcspn(comm, "\n")] = 0;
				fclose(f);
			}
			if (who > 0)
				snprintf(err, errlen, "another writer (pid %ld%s%s) has held the folder %s "
						      "for over %g s; wait for it or end it (kill %ld), "
						      "or write elsewhere",
					 who, *comm ? ", " : "", comm, l->dir[i], limit, who);
			else
				snprintf(err, errlen, "another writer has held the folder %s for over "
						      "%g s; wait for it or write elsewhere",
					 l->dir[i], limit);
			return -1;
		}
	}
	return 0;
}

/* ---- The journal of a commit, and the repair of one a killed writer left. ---- */

#define JOURNAL_PREFIX ".procbench-commit."
#define JOURNAL_MAGIC "procbench-commit-1"

struct jentry {
	char tmp[4200], target[4200], backup[4200]; /* absolute; backup "" when none was kept */
	unsigned long long ino;                     /* the new file's inode */
};

static unsigned long long ino_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? 0 : (unsigned long long)st.st_ino;
}

/* path as an absolute path, through its folder's real path. */
static int absolute(const char *path, char *out, size_t len)
{
	char dir[4096], real[PATH_MAX];
	const char *slash = strrchr(path, '/');

	dir_of(path, dir, sizeof(dir));
	if (!realpath(dir, real))
		return -errno;
	if ((size_t)snprintf(out, len, "%s/%s", strcmp(real, "/") ? real : "", slash ? slash + 1 : path) >=
	    len)
		return -ENAMETOOLONG;
	return 0;
}

static void fsync_dir(const char *path)
{
	char dir[4096];
	int fd;

	dir_of(path, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* The journal's text: magic, count, four fields per output, "end"; NUL after each. */
static char *journal_text(const struct jentry *e, size_t n, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fprintf(f, "%s%c%zu%c", JOURNAL_MAGIC, 0, n, 0);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%c%s%c%s%c%llu%c", e[i].tmp, 0, e[i].target, 0, e[i].backup, 0, e[i].ino, 0);
	fprintf(f, "end%c", 0);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Parse a journal: the entries (malloc'd) and their count, or -1 for one that is incomplete. */
static int journal_parse(const char *text, size_t len, struct jentry **out, size_t *n)
{
	const char *f[4 * PB_MAX_OUTS + 3];
	size_t nf = 0, want;
	struct jentry *e;

	for (size_t off = 0; off < len && nf < sizeof(f) / sizeof(f[0]);) {
		const char *z = memchr(text + off, 0, len - off);

		if (!z)
			return -1;
		f[nf++] = text + off;
		off = (size_t)(z - text) + 1;
	}
	if (nf < 3 || strcmp(f[0], JOURNAL_MAGIC))
		return -1;
	*n = strtoul(f[1], NULL, 10);
	want = 3 + 4 * *n;
	if (*n < 1 || *n > PB_MAX_OUTS || nf != want || strcmp(f[want - 1], "end"))
		return -1;
	e = calloc(*n, sizeof(*e));
	if (!e)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		snprintf(e[i].tmp, sizeof(e[i].tmp), "%s", f[2 + 4 * i]);
		snprintf(e[i].target, sizeof(e[i].target), "%s", f[3 + 4 * i]);
		snprintf(e[i].backup, sizeof(e[i].backup), "%s", f[4 + 4 * i]);
		e[i].ino = strtoull(f[5 + 4 * i], NULL, 10);
		if (e[i].tmp[0] != '/' || e[i].target[0] != '/' || !e[i].ino)
			return free(e), -1;
	}
	*out = e;
	return 0;
}

/* The journal of `pid` in every folder of e (the commit wrote a copy into each). */
static void journal_remove(const struct jentry *e, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++) {
		char dir[4096], path[4200];

		dir_of(e[i].target, dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s/" JOURNAL_PREFIX "%ld", dir, pid);
		if (!unlink(path))
			fsync_dir(path);
	}
}

/*
 * Finish a commit (every output renamed or still waiting as its temporary)
 * or undo it (put each old file back). Only a target that is the commit's
 * own new file or the old one is touched: a later writer's file never is.
 * Idempotent: a repair that is itself killed is repaired the same way.
 */
static int journal_apply(const struct jentry *e, size_t n, int forward)
{
	int r = 0;

	for (size_t i = 0; i < n && forward; i++) {
		unsigned long long t = ino_of(e[i].target);

		if (t != e[i].ino && ino_of(e[i].tmp) != e[i].ino)
			forward = 0;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned long long t = ino_of(e[i].target), b = e[i].backup[0] ? ino_of(e[i].backup) : 0;

		if (forward) {
			if (t != e[i].ino && rename(e[i].tmp, e[i].target))
				r = -errno;
		} else if (b && (t == e[i].ino || t == b || !t)) {
			if (rename(e[i].backup, e[i].target))
				r = -errno;
		} else if (!e[i].backup[0] && t == e[i].ino) {
			unlink(e[i].target); /* there was no old file */
		}
		if (!forward && ino_of(e[i].tmp) == e[i].ino)
			unlink(e[i].tmp);
	}
	if (r)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (e[i].backup[0])
			unlink(e[i].backup); /* a hard link rename() left (one inode, two names) */
		fsync_dir(e[i].target);
	}
	return 0;
}

/*
 * A journal is acted on only when it is one our own commit could have written:
 * ours (our user's file), and every entry naming, in one folder, a target, its
 * NAME.tmp.PID (ours too, where it still is) and NAME.old.PID or none, with PID
 * the journal's. Anything else (another user's journal in a shared folder, or
 * one naming files elsewhere) is left alone: a forged journal must not make
 * us rename or remove anything.
 */
static int journal_is_ours(const struct jentry *e, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++) {
		char want[4300];
		struct stat st;

		snprintf(want, sizeof(want), "%s.tmp.%ld", e[i].target, pid);
		if (strcmp(e[i].tmp, want))
			return 0;
		snprintf(want, sizeof(want), "%s.old.%ld", e[i].target, pid);
		if (e[i].backup[0] && strcmp(e[i].backup, want))
			return 0;
		if (!lstat(e[i].tmp, &st) && (st.st_uid != geteuid() || !S_ISREG(st.st_mode)))
			return 0;
	}
	return 1;
}

/* Read a journal file: regular, ours by name, bounded. NULL when it cannot be read. */
static char *journal_read(int dirfd, const char *name, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > (off_t)(1 << 20) ||
	    st.st_uid != geteuid()) {
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	got = buf ? pread(fd, buf, (size_t)st.st_size, 0) : -1;
	close(fd);
	if (got != st.st_size) {
		free(buf);
		return NULL;
	}
	*len = (size_t)got;
	return buf;
}

/* Is the journal's every folder locked by us? Folders we lack are tried without waiting. */
static int lock_journal_folders(struct folder_locks *l, const struct jentry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char dir[4096];
		struct stat st;
		size_t before = l->n;

		dir_of(e[i].target, dir, sizeof(dir));
		if (stat(dir, &st))
			return -1;
		if (held(l, &st) >= 0)
			continue;
		if (add_folder(l, dir) || l->n == before)
			return -1;
		if (flock(l->fd[held(l, &st)], LOCK_EX | LOCK_NB))
			return -1;
	}
	return 0;
}

/*
 * Repair what killed writers left in the locked folders: every journal there
 * belongs to a writer that died mid-commit (a live one would hold the lock).
 * 0, or -1 with the reason in err.
 */
static int repair_folders(const struct folder_locks *l, char *err, size_t errlen)
{
	for (size_t i = 0; i < l->n; i++) {
		DIR *d;
		struct dirent *de;
		int dfd = dup(l->fd[i]);

		d = dfd < 0 ? NULL : fdopendir(dfd);
		if (!d) {
			if (dfd >= 0)
				close(dfd);
			continue;
		}
		while ((de = readdir(d))) {
			static struct folder_locks extra;
			struct jentry *e = NULL;
			size_t len, n = 0;
			char *text;
			long pid;
			int r;

			if (strncmp(de->d_name, JOURNAL_PREFIX, strlen(JOURNAL_PREFIX)))
				continue;
			pid = atol(de->d_name + strlen(JOURNAL_PREFIX));
			text = journal_read(l->fd[i], de->d_name, &len);
			if (!text) /* not a journal of ours (another user's, or not a file): left alone */
				continue;
			if (journal_parse(text, len, &e, &n)) {
				/* Killed while writing it: no rename had begun. */
				unlinkat(l->fd[i], de->d_name, 0);
				free(text);
				continue;
			}
			free(text);
			if (!journal_is_ours(e, n, pid)) {
				free(e);
				continue;
			}
			/* Copies of our descriptors: closing the extra ones must not drop our locks. */
			extra = *l;
			for (size_t k = 0; k < extra.n; k++)
				extra.fd[k] = -1;
			r = lock_journal_folders(&extra, e, n) ? 1
				: journal_apply(e, n, 1);
			for (size_t k = 0; k < extra.n; k++)
				if (extra.fd[k] >= 0)
					close(extra.fd[k]);
			if (r < 0) {
				snprintf(err, errlen, "cannot repair the commit that a killed writer (pid %ld) "
						      "left in %s: %s; see %s/%s",
					 pid, l->dir[i], strerror(-r), l->dir[i], de->d_name);
				free(e);
				closedir(d);
				return -1;
			}
			if (r == 0)
				journal_remove(e, n, pid);
			free(e);
		}
		closedir(d);
	}
	return 0;
}

/* Write the journal into every locked folder; 0 or -errno. */
static int journal_write(const struct folder_locks *l, const struct jentry *e, size_t n)
{
	char name[64], *text;
	size_t len;
	int r = 0;

	text = journal_text(e, n, &len);
	if (!text)
		return -ENOMEM;
	snprintf(name, sizeof(name), JOURNAL_PREFIX "%d", (int)getpid());
	for (size_t i = 0; i < l->n && !r; i++) {
		int fd = openat(l->fd[i], name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
				0644);

		if (fd < 0) {
			r = -errno;
			break;
		}
		r = write_all(fd, text, len);
		if (!r && fsync(fd))
			r = -errno;
		close(fd);
		if (!r && fsync(l->fd[i]))
			r = -errno;
	}
	free(text);
	return r;
}

static void journal_unlink_ours(const struct folder_locks *l)
{
	char name[64];

	snprintf(name, sizeof(name), JOURNAL_PREFIX "%d", (int)getpid());
	for (size_t i = 0; i < l->n; i++)
		unlinkat(l->fd[i], name, 0);
}

/*
 * The replaced outputs of one commit, under their folders' locks (taken by
 * the caller); signals are held by the caller. 0 or -errno; *bad names the
 * output that failed.
 */
static int commit_replaced(struct pb_staged **s, size_t n, const struct folder_locks *l,
			   struct jentry *e, const struct pb_out **bad)
{
	int r = 0;
	size_t done = 0, prepared = 0;

	for (size_t i = 0; i < n && !r; i++) {
		struct stat st;

		*bad = s[i]->out;
		r = name_staged(s[i]);
		if (!r && fstat(s[i]->fd, &st))
			r = -errno;
		if (!r)
			r = absolute(s[i]->tmp, e[i].tmp, sizeof(e[i].tmp));
		if (!r)
			r = absolute(s[i]->out->path, e[i].target, sizeof(e[i].target));
		if (r)
			break;
		e[i].ino = (unsigned long long)st.st_ino;
		/* Keep the old file under a second name until the whole set is in. */
		snprintf(e[i].backup, sizeof(e[i].backup), "%s.old.%d", e[i].target, (int)getpid());
		unlink(e[i].backup);
		if (link(e[i].target, e[i].backup))
			e[i].backup[0] = 0;
		prepared++;
	}
	if (!r) {
		*bad = s[0]->out;
		r = journal_write(l, e, n);
	}
	for (; !r && done < n; done++) {
		*bad = s[done]->out;
		if (rename(e[done].tmp, e[done].target))
			r = -errno;
	}
	if (r) {
		/* Undo: every file replaced before the failing one goes back. */
		journal_apply(e, prepared, 0);
	} else {
		for (size_t i = 0; i < l->n; i++)
			fsync(l->fd[i]);
	}
	journal_unlink_ours(l);
	for (size_t i = 0; i < n && !r; i++)
		if (e[i].backup[0])
			unlink(e[i].backup);
	for (size_t i = 0; i < n; i++)
		s[i]->tmp[0] = 0; /* renamed, or removed by the undo */
	return r;
}

int pb_out_commit(struct pb_staged *s, size_t n, const struct pb_out **failed, char *err,
		  size_t errlen)
{
	struct pb_staged *rep[PB_MAX_OUTS];
	struct folder_locks locks = { 0 };
	struct jentry *e = NULL;
	size_t nrep = 0;
	sigset_t old;
	int r = 0;

	*failed = NULL;
	snprintf(err, errlen, "%s", "");
	if (n > PB_MAX_OUTS)
		r = -EINVAL;
	/* In place first: they cannot be undone, and nothing has been replaced if one fails. */
	for (size_t i = 0; i < n && !r; i++) {
		if (s[i].out->kind == PB_OUT_REPLACE) {
			rep[nrep++] = &s[i];
			continue;
		}
		*failed = s[i].out;
		r = commit_inplace(&s[i]);
	}
	for (size_t i = 0; i < nrep && !r; i++) {
		char dir[4096];

		*failed = rep[i]->out;
		dir_of(rep[i]->out->path, dir, sizeof(dir));
		r = add_folder(&locks, dir);
		if (r == -EACCES)
			r = 0; /* a folder we may write but not read (mode 0333): committed unlocked */
	}
	if (!r && nrep) {
		*failed = rep[nrep - 1]->out; /* the set's main output (a results file's samples come first) */
		if (lock_all(&locks, err, errlen))
			r = -EWOULDBLOCK;
		else if (!(e = calloc(nrep, sizeof(*e))))
			r = -ENOMEM;
	}
	if (!r && nrep) {
		hold_signals(&old);
		if (repair_folders(&locks, err, errlen))
			r = -EIO;
		if (!r)
			r = commit_replaced(rep, nrep, &locks, e, failed);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	unlock_all(&locks);
	free(e);
	if (r && !err[0])
		snprintf(err, errlen, "%s", strerror(-r));
	if (!r)
		*failed = NULL;
	for (size_t i = 0; i < n; i++)
		pb_out_discard(&s[i]);
	return r;
}

int pb_out_write(struct pb_out *o, pb_out_fn fn, const void *arg, char *err, size_t errlen)
{
	struct pb_staged s;
	const struct pb_out *failed;
	int r = pb_out_stage(&s, o, fn, arg);

	if (r) {
		snprintf(err, errlen, "%s", strerror(-r));
		return r;
	}
	return pb_out_commit(&s, 1, &failed, err, errlen);
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
