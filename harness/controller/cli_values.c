// SPDX-License-Identifier: MIT
/*
 * The values options take (cli_values.h): sizes with binary suffixes,
 * bounded counts and numbers, comma lists, placements, and whether a
 * --filter pattern is affordable to compile.
 */
#include <elf.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <regex.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cli_values.h"
#include "placement.h"

/*
 * Every parser here takes the whole value or nothing: no leading blanks or
 * signs strto* would skip, no trailing junk, nothing out of range, nothing
 * empty.
 */
int pb_cli_parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	/* Plain decimal only: strtod also takes " 5", "0x1p3", "infinity" and "nan". */
	if (!*s || s[strspn(s, "0123456789.eE+-")] || !strpbrk(s, "0123456789"))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* A byte count with an optional binary suffix: 0, 4096, 64K, 256M, 1G. */
int pb_cli_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': mult = 1ull << 10; end++; break;
	case 'm': case 'M': mult = 1ull << 20; end++; break;
	case 'g': case 'G': mult = 1ull << 30; end++; break;
	case 't': case 'T': mult = 1ull << 40; end++; break;
	}
	/* "KiB" and "KB" are K; an "i" only after a unit ("21i" is not a size). */
	if (*end == 'i' && mult > 1)
		end++;
	if (*end == 'B')
		end++;
	if (*end || v > (1ull << 42) / mult)
		return -1;
	*out = v * mult;
	return 0;
}

int pb_cli_parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned *out)
{
	char *end;
	unsigned long v;

	/* Digits only: strtoul would take " 5", "+5" and wrap "-5". */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Split a comma list; each element goes through one(elem, index). -1 names the bad one. */
int pb_cli_each_in_list(const char *opt, const char *arg, unsigned max, unsigned *n,
			int (*one)(const char *, unsigned, void *), void *ctx, const char *what)
{
	char buf[1024], *p, *comma;
	int empty = 0;

	*n = 0;
	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "procbench: %s: the list is too long (see procbench --help)\n", opt);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	for (p = buf;; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		if (!*p) {
			empty = 1;
		} else {
			if (*n >= max) {
				fprintf(stderr, "procbench: %s takes at most %u values (see procbench "
						"--help)\n",
					opt, max);
				return -1;
			}
			if (one(p, (*n)++, ctx)) {
				fprintf(stderr, "procbench: %s '%s' is not %s (see procbench --help)\n", opt,
					p, what);
				return -1;
			}
		}
		if (!comma)
			break;
	}
	if (!*n) {
		fprintf(stderr, "procbench: %s needs at least one value (see procbench --help)\n", opt);
		return -1;
	}
	if (empty) {
		fprintf(stderr, "procbench: %s '%s' has an empty value; separate values with single "
				"commas (see procbench --help)\n",
			opt, arg);
		return -1;
	}
	return 0;
}

int pb_cli_one_size(const char *s, unsigned i, void *ctx)
{
	return pb_cli_parse_size(s, &((uint64_t *)ctx)[i]);
}

int pb_cli_one_count(const char *s, unsigned i, void *ctx)
{
	return pb_cli_parse_uint(s, 0, 100000, &((unsigned *)ctx)[i]);
}

int pb_cli_one_jobs(const char *s, unsigned i, void *ctx)
{
	return pb_cli_parse_uint(s, 1, PB_MAX_JOBS, &((unsigned *)ctx)[i]);
}

int pb_cli_one_pin(const char *s, unsigned i, void *ctx)
{
	int p = pb_pin_parse(s);

	((int *)ctx)[i] = p;
	return p < 0;
}

/* The ELF header's class and machine of a file: 0, or -1 when it is not ELF (or unreadable: -2). */
static int elf_ident(const char *path, unsigned char *cls, unsigned *machine)
{
	Elf64_Ehdr h; /* the class, data and machine fields sit at the same offsets in Elf32 */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -2;
	n = read(fd, &h, sizeof(h));
	close(fd);
	if (n < (ssize_t)offsetof(Elf64_Ehdr, e_version) || memcmp(h.e_ident, ELFMAG, SELFMAG))
		return n < 0 ? -2 : -1;
	*cls = h.e_ident[EI_CLASS];
	*machine = h.e_machine;
	return 0;
}

int pb_cli_check_program(const char *path, char *why, size_t len)
{
	unsigned char cls, self_cls;
	unsigned machine, self_machine;
	struct stat st;
	int e;

	if (!*path)
		return snprintf(why, len, "is empty"), -1;
	if (stat(path, &st))
		return snprintf(why, len, "%s", errno == ENOENT ? "does not exist"
						: strerror(errno)), -1;
	if (S_ISDIR(st.st_mode))
		return snprintf(why, len, "is a folder"), -1;
	if (!S_ISREG(st.st_mode))
		return snprintf(why, len, "is not a regular file"), -1;
	if (access(path, X_OK))
		return snprintf(why, len, "is not executable (%s)", strerror(errno)), -1;
	e = elf_ident(path, &cls, &machine);
	if (e == -1)
		return snprintf(why, len, "is not an ELF program"), -1;
	if (!e && !elf_ident("/proc/self/exe", &self_cls, &self_machine) &&
	    (cls != self_cls || machine != self_machine))
		return snprintf(why, len, "is an ELF program for another machine (e_machine %u, "
					  "this one is %u)", machine, self_machine), -1;
	return 0;
}

#if defined(__SANITIZE_ADDRESS__)
#define PB_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PB_UNDER_ASAN 1
#endif
#endif

/*
 * glibc's regcomp copies a subexpression for every repetition applied to
 * it, so "x++++++++..." or nested {n} grow exponentially: compile it once
 * in a child under a memory and time limit before compiling it for real.
 */
int pb_cli_regex_affordable(const char *pattern)
{
	int status;
	pid_t pid;

	if (strlen(pattern) > 1024)
		return 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 1; /* cannot check: let regcomp try */
	if (pid == 0) {
		regex_t re;
#ifndef PB_UNDER_ASAN
		/* (ASan reserves terabytes of shadow up front: there only the time limit holds.) */
		struct rlimit rl = { 256ul << 20, 256ul << 20 };

		setrlimit(RLIMIT_AS, &rl);
#endif
		/* Our own death by SIGALRM, whatever handler the parent had installed. */
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		_exit(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) == REG_ESPACE ? 3 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

