/* SPDX-License-Identifier: MIT */
/*
 * Output files, for every program that writes one (results, raw samples,
 * comparisons): where an output goes is decided before any work is done,
 * and what is written appears whole or not at all.
 *
 *   - "-" is standard output; every write error on it is reported.
 *   - A regular file (or a path that does not exist yet) is written to a
 *     temporary file in the same folder, synced, and renamed over it. A
 *     symlink to a regular file is followed: its target is replaced and the
 *     link kept. Missing folders are made when it is written (a path whose
 *     folders cannot be made fails when it is prepared).
 *   - Anything else (a device such as /dev/null, a FIFO, a socket, or a
 *     symlink to one) is written in place, never replaced: renaming over a
 *     device node as root would turn it into a plain file.
 *
 * Several outputs can be committed together (the results file and its raw
 * samples): all are written in full first, then renamed in order with
 * signals held off; if a later rename fails the earlier ones are undone.
 */
#ifndef PB_OUTFILE_H
#define PB_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

enum pb_out_kind {
	PB_OUT_STDOUT,
	PB_OUT_REPLACE, /* regular file: write a temporary one, rename it over */
	PB_OUT_INPLACE, /* device, FIFO or socket: write to it, never replace it */
};

struct pb_out {
	enum pb_out_kind kind;
	char path[4096];   /* what is replaced (a symlink's target) or written to */
	char given[4096];  /* as the user named it, for messages */
	char note[4400];   /* what was decided, when it is not the obvious; "" otherwise */
};

/*
 * Decide where `arg` goes; create missing folders. Returns 0, or -1 with a
 * one-line reason (naming the problem and the fix) in err.
 */
int pb_out_prepare(struct pb_out *o, const char *arg, char *err, size_t errlen);

/* A path next to a prepared output (e.g. its samples file): "" when there is none. */
int pb_out_sibling(const struct pb_out *o, const char *suffix_from, const char *suffix_to,
		   struct pb_out *sib, char *err, size_t errlen);

typedef int (*pb_out_fn)(FILE *f, const void *arg);

/* One output written in full but not yet visible. */
struct pb_staged {
	const struct pb_out *out;
	int fd;            /* the written file (REPLACE), synced */
	char tmp[4200];    /* its temporary name, "" while it has none (O_TMPFILE) */
	char *buf;         /* the content (STDOUT, INPLACE), written at the commit */
	size_t len;
};

/* Write everything fn produces; nothing is visible yet. 0 or -errno. */
int pb_out_stage(struct pb_staged *s, const struct pb_out *o, pb_out_fn fn, const void *arg);
/*
 * Make n staged outputs visible, in order. On failure (-errno) nothing of
 * what was committed before the failing one stays: an old file is put back.
 * *failed names the output that failed. Staged outputs are released either way.
 */
int pb_out_commit(struct pb_staged *s, size_t n, const struct pb_out **failed);
/* Drop a staged output that will not be committed. */
void pb_out_discard(struct pb_staged *s);

/* stage + commit of one output. */
int pb_out_write(const struct pb_out *o, pb_out_fn fn, const void *arg);

/* Flush standard output and report whether every write to it succeeded: 0 or -errno. */
int pb_stdout_close(void);

#endif
