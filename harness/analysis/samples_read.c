// SPDX-License-Identifier: MIT
/*
 * The raw samples file (results/README.md): one line per sample, checked
 * against its results file (the same run id, every benchmark's iteration
 * count, a phase only where the method has one).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>

#include "results_read.h"
#include "safe_text.h"

static int push(struct pb_rbench *b, double v)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		double *x = realloc(b->x, cap * sizeof(double));

		if (!x)
			return -1;
		b->x = x;
		b->cap = cap;
	}
	b->x[b->n++] = v;
	return 0;
}

/* One tab-separated time: digits (a '.' and fraction allowed) or '-' where allowed. */
static int parse_time(const char **p, const char *end, int dash_ok, double *v)
{
	const char *s = *p;
	char num[64];
	size_t k = 0;
	char *e;

	if (s < end && *s == '-' && dash_ok) {
		*v = NAN;
		*p = s + 1;
		return 0;
	}
	while (s < end && k < sizeof(num) - 1 && ((*s >= '0' && *s <= '9') || *s == '.' || *s == 'e' ||
						  *s == 'E' || *s == '+'))
		num[k++] = *s++;
	num[k] = 0;
	if (!k)
		return -1;
	*v = strtod(num, &e);
	/* Within 2^53 ns (104 days), like every number of the results file. */
	if (*e || !isfinite(*v) || *v < 0 || *v > 9007199254740992.0)
		return -1;
	*p = s;
	return 0;
}

int pb_results_parse_samples(struct pb_results *r, const char *what, const char *tsv, size_t len,
			     char *err, size_t errlen)
{
	const char *p = tsv, *end = tsv + len, *nul = memchr(tsv, 0, len);
	const char *want_id = NULL;
	char run_id[64] = "";
	size_t lineno = 0;
	json_object *v;

	if (nul)
		return pb_read_fail(err, errlen, "%s has a NUL byte at offset %zu: the file is damaged", what,
			   (size_t)(nul - tsv));
	if (!len)
		return pb_read_fail(err, errlen, "%s is empty: no samples to compare; re-run procbench", what);
	if (tsv[len - 1] != '\n')
		return pb_read_fail(err, errlen, "%s is truncated (no newline at its end)", what);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		unsigned long idx = 0;
		double rt, t1, tc;
		int digits = 0;

		lineno++;
		if (*p == '#') {
			if (eol - p > 9 && !strncmp(p, "# run_id ", 9))
				snprintf(run_id, sizeof(run_id), "%.*s", (int)(eol - p - 9), p + 9);
			p = eol + 1;
			continue;
		}
		if (eol - p >= 6 && !strncmp(p, "bench\t", 6)) {
			p = eol + 1;
			continue;
		}
		while (p < eol && *p >= '0' && *p <= '9' && digits < 10)
			idx = idx * 10 + (unsigned long)(*p++ - '0'), digits++;
		if (!digits || p >= eol || *p++ != '\t' || idx >= r->nb ||
		    parse_time(&p, eol, 0, &rt) || p >= eol || *p++ != '\t' ||
		    parse_time(&p, eol, 1, &t1) || p >= eol || *p++ != '\t' ||
		    parse_time(&p, eol, 1, &tc) || p != eol)
			return pb_read_fail(err, errlen, "%s line %zu is not a procbench sample line", what,
				   lineno);
		if (strcmp(r->b[idx].status, "ok"))
			return pb_read_fail(err, errlen, "%s line %zu has a sample of %s, which the results file "
					       "says is %s: they are not from the same run",
				   what, lineno, r->b[idx].name, r->b[idx].status);
		if (push(&r->b[idx], rt))
			return pb_read_fail(err, errlen, "out of memory reading %s", what);
		r->nsamples++;
		p = eol + 1;
	}
	if (json_object_object_get_ex(r->context, "run_id", &v))
		want_id = json_object_get_string(v);
	if ((want_id || run_id[0]) && (!want_id || strcmp(want_id, run_id)))
		return pb_read_fail(err, errlen, "%s belongs to another run than %s (run id %s, the results file "
				       "says %s): the pair was mixed; re-run procbench",
			   what, r->path, run_id[0] ? run_id : "none", want_id ? want_id : "none");
	for (size_t i = 0; i < r->nb; i++) {
		if (strcmp(r->b[i].status, "ok"))
			continue;
		if ((long)r->b[i].n != r->b[i].iterations)
			return pb_read_fail(err, errlen, "%s has %zu samples of %s but %s says %ld iterations: "
					       "they are not from the same run, or one was cut",
				   what, r->b[i].n, r->b[i].name, r->path, r->b[i].iterations);
		if (r->b[i].n < 2)
			return pb_read_fail(err, errlen, "%s: %s has %zu samples; at least 2 are needed", what,
				   r->b[i].name, r->b[i].n);
	}
	return 0;
}

/* A samples file is named by its results file and must sit beside it. */
static int samples_path(struct pb_results *r, char *out, size_t len, char *err, size_t errlen)
{
	json_object *v;
	const char *file, *slash = strrchr(r->path, '/');

	if (!json_object_object_get_ex(r->context, "samples_file", &v))
		return pb_read_fail(err, errlen, "%s has no raw samples; re-run procbench with --samples (the "
				       "default for JSON results files)",
			   r->path);
	file = json_object_get_string(v);
	if (!*file || strchr(file, '/') || !strcmp(file, ".") || !strcmp(file, "..") ||
	    strlen(file) > 255)
		return pb_read_fail(err, errlen, "%s: samples_file '%.80s' must be a plain file name beside it",
			   r->path, file);
	snprintf(out, len, "%.*s%s", slash ? (int)(slash - r->path + 1) : 0, r->path, file);
	return 0;
}

int pb_results_load_samples(struct pb_results *r, char *err, size_t errlen)
{
	return pb_results_load_samples_keep(r, NULL, NULL, err, errlen);
}

int pb_results_load_samples_keep(struct pb_results *r, char **keep, size_t *keep_len, char *err,
				 size_t errlen)
{
	char spath[4400], *text;
	size_t len;
	int rc;

	if (samples_path(r, spath, sizeof(spath), err, errlen))
		return -1;
	text = pb_read_regular(spath, "the raw samples ", PB_MAX_SAMPLES_BYTES, &len, PB_READ_OWN, err,
			       errlen);
	if (!text) {
		/* The reason, then where the file should have come from. */
		size_t k = strlen(err);

		snprintf(err + k, errlen - k, "; they travel with %s", r->path);
		pb_safe_inplace(err, errlen);
		return -1;
	}
	rc = pb_results_parse_samples(r, spath, text, len, err, errlen);
	if (!rc && keep) {
		*keep = text;
		*keep_len = len;
	} else {
		free(text);
	}
	return rc;
}

/* The folder a file is in, open for flock: -1 where it cannot be opened. */
static int open_folder(const char *given)
{
	char real[PATH_MAX], dir[4096];
	/* The folder the file really is in: a symlink's target is where writers lock. */
	const char *path = realpath(given, real) ? real : given, *slash = strrchr(path, '/');

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path + (slash == path)) : 1,
		 slash ? path : ".");
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int pb_pair_lock(const char *path, char *err, size_t errlen)
{
	int fd = open_folder(path);

	/* A folder we cannot open is read unlocked, as the writers commit into it unlocked. */
	if (fd < 0)
		return -2;
	/* Writers hold it only while they rename; a writer stopped there is not waited on forever. */
	for (int tries = 0; flock(fd, LOCK_SH | LOCK_NB); tries++) {
		struct timespec nap = { 0, 50 * 1000000L };

		if (errno != EWOULDBLOCK || tries == 200) {
			close(fd);
			return pb_read_fail(err, errlen, "%s: a procbench writer has held its folder for "
							 "over 10 s; read it once that writer is done",
					    path);
		}
		nanosleep(&nap, NULL);
	}
	return fd;
}

void pb_pair_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

void pb_pair_hint(const char *path, char *err, size_t errlen)
{
	int fd = open_folder(path);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, ".procbench-commit.", 18)) {
			size_t k = strlen(err);

			snprintf(err + k, errlen - k, " (its folder holds %s, a commit a killed writer "
						      "left: the next procbench writing into that folder "
						      "repairs it)",
				 e->d_name);
			pb_safe_inplace(err, errlen);
			break;
		}
	closedir(d);
}
