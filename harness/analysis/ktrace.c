// SPDX-License-Identifier: MIT
/* tracefs text into events, and a creation's kernel phases (ktrace.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktrace.h"

/* "key=" followed by an integer, in fields; -1 when absent. */
static int field_int(const char *fields, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = strstr(fields, key); p; p = strstr(p + 1, key))
		if ((p == fields || p[-1] == ' ') && p[len] == '=')
			return atoi(p + len + 1);
	return -1;
}

static void classify(struct pb_kev *ev, const char *name, size_t nlen, const char *rest)
{
	static const struct {
		const char *name;
		enum pb_kev_type type;
		const char *other;
	} sched[] = {
		{ "sched_process_fork", PB_KEV_FORK, "child_pid" },
		{ "sched_wakeup_new", PB_KEV_WAKEUP_NEW, "pid" },
		{ "sched_wakeup", PB_KEV_WAKEUP, "pid" },
		{ "sched_switch", PB_KEV_SWITCH, "next_pid" },
		{ "sched_process_exec", PB_KEV_EXEC, "pid" },
		{ "sched_process_exit", PB_KEV_EXIT, "pid" },
	};

	for (size_t i = 0; i < sizeof(sched) / sizeof(sched[0]); i++)
		if (strlen(sched[i].name) == nlen && !strncmp(name, sched[i].name, nlen)) {
			ev->type = sched[i].type;
			ev->other = field_int(rest, sched[i].other);
			if (ev->type == PB_KEV_SWITCH)
				ev->prev = field_int(rest, "prev_pid");
			return;
		}
	ev->type = PB_KEV_OTHER;
}

int pb_kev_parse(const char *line, struct pb_kev *ev)
{
	const char *p = line, *br, *dash, *name, *end;
	char *num_end;

	memset(ev, 0, sizeof(*ev));
	ev->other = ev->prev = -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '\n' || *p == '#')
		return 1;
	/* TASK-PID: the comm may hold spaces and dashes; the pid is what follows the last dash. */
	br = strstr(p, " [");
	while (br && !isdigit((unsigned char)br[2]))
		br = strstr(br + 1, " [");
	if (!br)
		return -1;
	for (end = br; end > p && end[-1] == ' '; end--)
		;
	for (dash = end; dash > p && dash[-1] != '-'; dash--)
		;
	if (dash == p || !isdigit((unsigned char)*dash))
		return -1;
	ev->pid = atoi(dash);
	ev->cpu = atoi(br + 2);
	p = strchr(br, ']');
	if (!p)
		return -1;
	/* The flags, then the timestamp: a raw count (counter clocks) or seconds.micros. */
	p++;
	while (*p == ' ')
		p++;
	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	ev->ts = strtoull(p, &num_end, 10);
	if (num_end == p)
		return -1;
	if (*num_end == '.') { /* a nanosecond clock: seconds.microseconds */
		const char *frac = num_end + 1;

		ev->ts = ev->ts * 1000000000ull + strtoull(frac, &num_end, 10) * 1000;
	}
	if (num_end[0] != ':' || num_end[1] != ' ')
		return -1;
	name = num_end + 2;
	if (!strncmp(name, "sys_", 4)) {
		size_t n = strcspn(name + 4, "( ");

		snprintf(ev->sys, sizeof(ev->sys), "%.*s", (int)n, name + 4);
		if (name[4 + n] == '(') {
			ev->type = PB_KEV_SYS_ENTER;
		} else if (!strncmp(name + 4 + n, " -> ", 4)) {
			ev->type = PB_KEV_SYS_EXIT;
			ev->ret = strtoll(name + 4 + n + 4, NULL, 0);
		} else {
			ev->type = PB_KEV_OTHER;
		}
		return 0;
	}
	end = strchr(name, ':');
	if (!end)
		return -1;
	classify(ev, name, (size_t)(end - name), end + 1);
	return 0;
}

static int is_create(const char *sys)
{
	return !strcmp(sys, "clone") || !strcmp(sys, "clone3") || !strcmp(sys, "fork");
}

static int is_wait(const char *sys)
{
	return !strcmp(sys, "wait4") || !strcmp(sys, "waitid");
}

/* The first event at or after from that matches; its index, or n. */
static unsigned next(const struct pb_kev *ev, unsigned from, unsigned n, enum pb_kev_type type,
		     int pid, int other)
{
	for (unsigned i = from; i < n; i++)
		if (ev[i].type == type && (pid < 0 || ev[i].pid == pid) &&
		    (other < 0 || ev[i].other == other))
			return i;
	return n;
}

int pb_kfork_match(const struct pb_kev *ev, unsigned n, int parent, uint64_t t0,
		   struct pb_kfork *k)
{
	unsigned i = 0, j;

	memset(k, 0, sizeof(*k));
	while (i < n && !(ev[i].pid == parent && ev[i].type == PB_KEV_SYS_ENTER && ev[i].ts >= t0 &&
			  is_create(ev[i].sys)))
		i++;
	if (i == n)
		return -1;
	k->sys_enter = ev[i].ts;
	if ((j = next(ev, i, n, PB_KEV_FORK, parent, -1)) == n)
		return -1;
	k->forked = ev[j].ts;
	k->child = ev[j].other;
	if ((j = next(ev, j, n, PB_KEV_WAKEUP_NEW, -1, k->child)) < n)
		k->woken_new = ev[j].ts;
	for (j = i + 1; j < n; j++)
		if (ev[j].pid == parent && ev[j].type == PB_KEV_SYS_EXIT && is_create(ev[j].sys)) {
			k->sys_exit = ev[j].ts;
			break;
		}
	if ((j = next(ev, i, n, PB_KEV_SWITCH, -1, k->child)) < n)
		k->child_in = ev[j].ts;
	for (j = i + 1; j < n; j++)
		if (ev[j].pid == k->child && ev[j].type == PB_KEV_SYS_EXIT) {
			k->child_ret = ev[j].ts;
			break;
		}
	if ((j = next(ev, i, n, PB_KEV_EXIT, k->child, k->child)) < n) {
		k->child_exit = ev[j].ts;
		if ((j = next(ev, j, n, PB_KEV_WAKEUP, -1, parent)) < n)
			k->parent_woken = ev[j].ts;
		for (; j < n; j++)
			if (ev[j].pid == parent && ev[j].type == PB_KEV_SYS_EXIT && is_wait(ev[j].sys) &&
			    ev[j].ret == k->child) {
				k->wait_exit = ev[j].ts;
				break;
			}
	}
	return k->woken_new && k->sys_exit && k->child_in && k->child_ret && k->child_exit &&
			       k->parent_woken && k->wait_exit
		       ? 0
		       : -1;
}

int pb_kfork_check(const struct pb_kfork *k, uint64_t t0, uint64_t t1, uint64_t tc, uint64_t t2,
		   char *why, unsigned len)
{
	const struct {
		int bad;
		const char *what;
		uint64_t user, kernel;
	} c[] = {
		{ !(t0 < k->sys_enter), "t0 is not before the syscall entry", t0, k->sys_enter },
		{ !(t1 > k->sys_exit), "t1 is not after the parent's syscall exit", t1, k->sys_exit },
		{ !(tc > k->child_ret), "tc is not after the child's return to user space", tc,
		  k->child_ret },
		{ !(t2 > k->wait_exit), "t2 is not after the wait returned", t2, k->wait_exit },
	};
	int bad = 0;

	if (len)
		why[0] = 0;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (c[i].bad && !bad++)
			snprintf(why, len, "child %d: %s (user %llu, kernel %llu)", k->child, c[i].what,
				 (unsigned long long)c[i].user, (unsigned long long)c[i].kernel);
	return bad;
}
