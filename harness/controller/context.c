// SPDX-License-Identifier: MIT
/* Where and how the numbers were taken: the context block of every result. */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#include <json-c/json.h>

#include "../../arch/arch.h"
#include "context.h"
#include "../analysis/results_read.h"
#include "../analysis/safe_text.h"

#ifndef PB_VERSION
#define PB_VERSION "0.0.0"
#endif
#ifndef PB_GIT_COMMIT
#define PB_GIT_COMMIT "unknown"
#endif
#ifndef PB_CFLAGS
#define PB_CFLAGS "unknown"
#endif

int pb_self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = 0;
	return 0;
}

int pb_programs_locate(struct pb_context *c, const struct pb_options *o, char *creator,
		       size_t len)
{
	char dir[4000];

	if (pb_self_dir(dir, sizeof(dir)))
		return -1;
	snprintf(creator, len, "%s/procbench-creator", dir);
	if (o->exec_target)
		snprintf(c->exec_target, sizeof(c->exec_target), "%s", o->exec_target);
	else
		snprintf(c->exec_target, sizeof(c->exec_target), "%.3900s/procbench-exec-target",
			 dir);
	return 0;
}

/*
 * Other runnable tasks, less this one: the least of a few looks 10 ms apart,
 * so a passing blip does not count, and unlike the load average it does not
 * remember the run that just finished.
 */
static int runnable_others(void)
{
	struct timespec gap = { 0, 10 * 1000000L };
	int least = -1;

	for (int i = 0; i < 5; i++) {
		FILE *f = fopen("/proc/loadavg", "re");
		double a, b, c;
		int running = -1, total;

		if (f) {
			if (fscanf(f, "%lf %lf %lf %d/%d", &a, &b, &c, &running, &total) != 5)
				running = -1;
			fclose(f);
		}
		if (running > 0 && (least < 0 || running - 1 < least))
			least = running - 1;
		nanosleep(&gap, NULL);
	}
	return least;
}

void pb_context_init(struct pb_context *c, const struct pb_options *o)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	localtime_r(&now, &tm);
	strftime(c->date, sizeof(c->date), "%Y-%m-%dT%H:%M:%S%z", &tm);
	gethostname(c->host, sizeof(c->host) - 1);
	n = readlink("/proc/self/exe", c->executable, sizeof(c->executable) - 1);
	if (n > 0)
		c->executable[n] = 0;
	if (uname(&u) == 0) {
		snprintf(c->kernel_release, sizeof(c->kernel_release), "%s", u.release);
		snprintf(c->kernel_version, sizeof(c->kernel_version), "%s", u.version);
	}
	c->arch = PB_ARCH_NAME;
	c->num_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (getloadavg(c->load_avg, 3) < 0)
		c->load_avg[0] = c->load_avg[1] = c->load_avg[2] = -1;
	c->runnable_others = runnable_others();
	c->time_budget_s = o->time_budget_s;
	c->min_time_s = o->min_time_s;
	c->ci_target = o->ci_target;
	c->ci_level = o->ci_level;
	c->min_samples = o->min_samples;
	c->chain_len = o->chain_len;
	c->quick = o->quick;
	c->time_base = (enum pb_time_base)o->time_base;
	c->version = PB_VERSION;
	c->git_commit = PB_GIT_COMMIT;
	c->cflags = PB_CFLAGS;
}

int pb_elf_is_static(const char *path)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC), result = -1;

	if (fd < 0)
		return -1;
	if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof(Elf64_Phdr)) {
		result = 1;
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;

			if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
			    sizeof(ph)) {
				result = -1;
				break;
			}
			if (ph.p_type == PT_INTERP) {
				result = 0;
				break;
			}
		}
	}
	close(fd);
	return result;
}

/* The first len-1 bytes of a small /proc file, NUL-terminated; 0 when unreadable. */
static int read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
	return 1;
}

static long status_kib(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

void pb_creator_shape_read(struct pb_creator_shape *s, pid_t pid)
{
	char path[64], buf[8192];
	FILE *f;
	size_t n;
	int c;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = (size_t)readlink(path, s->path, sizeof(s->path) - 1);
	if (n < sizeof(s->path))
		s->path[n] = 0;
	s->is_static = pb_elf_is_static(path);

	s->vm_size_kib = s->vm_rss_kib = s->mappings = s->threads = s->fds = -1;
	s->anon_huge_kib = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small(path, buf, sizeof(buf))) {
		s->vm_size_kib = status_kib(buf, "VmSize:");
		s->vm_rss_kib = status_kib(buf, "VmRSS:");
		s->threads = status_kib(buf, "Threads:");
	}
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (read_small(path, buf, sizeof(buf)))
		s->anon_huge_kib = status_kib(buf, "AnonHugePages:");
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	{
		DIR *d = opendir(path);
		struct dirent *e;

		if (d) {
			s->fds = 0;
			while ((e = readdir(d)))
				s->fds += e->d_name[0] != '.';
			closedir(d);
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (f) {
		s->mappings = 0;
		while ((c = fgetc(f)) != EOF)
			s->mappings += c == '\n';
		fclose(f);
	}
}

/* What a --context value that the readers would refuse must be instead. */
#define CALLER_RULE "results hold only finite numbers within 2^53 and UTF-8 text without NUL: give such JSON"
#define CALLER_MAX_BYTES ((size_t)1 << 20)
#define CALLER_MAX_DEPTH 30 /* the value sits two levels down in a results file (json-c: 32) */

/*
 * The one JSON value text holds (nothing but white space after it), checked
 * by the readers' rules. 0 with *out (NULL for JSON null), or -1 with the
 * reason in err.
 */
static int one_value(const char *key, const char *file, const char *text, size_t n, json_object **out,
		     char *err, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(CALLER_MAX_DEPTH);
	enum json_tokener_error e;
	json_object *v;
	char what[4200];
	size_t end;

	*out = NULL;
	snprintf(what, sizeof(what), "--context %s: %s", key, file);
	if (!tok) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* With the terminating NUL: a number or literal at the very end is then complete. */
	v = json_tokener_parse_ex(tok, text, (int)n + 1);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e != json_tokener_success || text[end + strspn(text + end, " \t\r\n")]) {
		json_object_put(v);
		snprintf(err, len, "%s is not one JSON value (%s): give JSON, or KEY=VALUE for text", what,
			 e != json_tokener_success ? json_tokener_error_desc(e) : "more after it");
		return -1;
	}
	/* The parsed value first (it names a string's place); a NUL left is in a key. */
	if ((v && pb_json_check_value(v, what, key, CALLER_RULE, err, len)) ||
	    pb_json_text_nul(text, n, what, CALLER_RULE, err, len)) {
		json_object_put(v);
		return -1;
	}
	*out = v;
	return 0;
}

/* One --context value as JSON text (malloc'd), or NULL with the reason in err. */
static char *caller_value(const char *key, const char *val, char *err, size_t len)
{
	json_object *v = NULL;
	char *text, *out;
	size_t n;

	if (val[0] != '@' || val[1] == '@') {
		val += val[0] == '@'; /* @@text: the text "@text" */
		if (!pb_text_is_utf8(val)) {
			snprintf(err, len, "--context %s: the value is not UTF-8 text", key);
			return NULL;
		}
		v = json_object_new_string(val);
	} else {
		char what[128];

		snprintf(what, sizeof(what), "--context %s's file ", key);
		text = pb_read_regular(val + 1, what, CALLER_MAX_BYTES, &n,
				       "--context takes a regular file of at most 1 MiB", err, len);
		if (!text)
			return NULL;
		if (strlen(text) != n || !pb_text_is_utf8(text)) {
			snprintf(err, len, "--context %s: %s is not UTF-8 JSON (or holds a NUL byte)", key,
				 val + 1);
			free(text);
			return NULL;
		}
		if (one_value(key, val + 1, text, n, &v, err, len)) {
			free(text);
			return NULL;
		}
		free(text);
	}
	out = strdup(v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
		       : "null");
	json_object_put(v);
	if (!out)
		snprintf(err, len, "out of memory");
	return out;
}

int pb_context_caller(struct pb_context *c, const struct pb_options *o, char *err, size_t len)
{
	for (unsigned i = 0; i < o->n_context; i++) {
		const char *pair = o->context[i], *eq = strchr(pair, '=');
		size_t klen = (size_t)(eq - pair);

		snprintf(c->caller_key[i], sizeof(c->caller_key[i]), "%.*s", (int)klen, pair);
		c->caller_json[i] = caller_value(c->caller_key[i], eq + 1, err, len);
		if (!c->caller_json[i])
			return -1;
		c->n_caller = i + 1;
	}
	return 0;
}

void pb_context_free(struct pb_context *c)
{
	for (unsigned i = 0; i < c->n_caller; i++)
		free(c->caller_json[i]);
	c->n_caller = 0;
}
