// SPDX-License-Identifier: MIT
/*
 * The yardstick for bench/overhead: the smallest static program that does
 * what procbench's fork and vfork benchmarks do (create, child stamps and
 * exits, reap), timed with CLOCK_MONOTONIC_RAW around each creation.
 *
 *   baseline-loop fork|vfork N   prints the median round trip in ns
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile unsigned long child_mark;

static unsigned long long ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned long long *t;
	int use_vfork, n;

	if (argc != 3 || (strcmp(argv[1], "fork") && strcmp(argv[1], "vfork")) ||
	    (n = atoi(argv[2])) < 2) {
		fprintf(stderr, "usage: baseline-loop fork|vfork N (N >= 2)\n");
		return 2;
	}
	use_vfork = !strcmp(argv[1], "vfork");
	t = malloc(sizeof(*t) * (size_t)n);
	if (!t)
		return 1;
	for (int i = 0; i < n; i++) {
		unsigned long long t0 = ns_now();
		pid_t pid = use_vfork ? vfork() : fork();

		if (pid == 0) {
			child_mark = 1;
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid) {
			perror("baseline-loop");
			return 1;
		}
		t[i] = ns_now() - t0;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%.1f\n", n % 2 ? (double)t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2.0);
	free(t);
	return 0;
}
