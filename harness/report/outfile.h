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
 *   - A character device (/dev/null, a terminal) or a FIFO is written in
 *     place, never replaced (renaming over a device node as root would turn
 *     it into a plain file), and only where the user named it
 *     (PB_OUT_NAMED): a derived path (the samples beside a results file, a
 *     default name) must be a regular file. A FIFO is opened when it is
 *     prepared, without blocking: no reader within a few seconds is an
 *     error before any work. Nothing in place is written with signals held:
 *     a reader that stalls can always be interrupted. A block device or a
 *     socket is refused.
 *   - No output may be an input of the same command (pb_out_refuse_inputs).
 *
 * Several outputs can be committed together (the results file and its raw
 * samples). All are written in full first. The commit then takes an
 * exclusive flock(2) on every folder it renames in (held by the process:
 * it dies with it, no lock file is left), waiting a bounded time for
 * another writer (PROCBENCH_LOCK_WAIT seconds, default 60, then an error
 * naming the holder). Under the lock it first repairs what a killed writer
 * left (below), then, with signals held off, names the temporary files,
 * keeps each old file under NAME.old.PID, writes a journal
 * .procbench-commit.PID into the first output's folder (every temporary's,
 * target's and backup's absolute path and the temporary's inode, ended by
 * "end"), renames in order, and removes the journal and the backups. A
 * failed rename puts the old files back.
 *
 * Repair, by the next writer into that folder (under the lock, so any
 * journal there is from a writer that died): a complete journal whose
 * every output is either renamed already (the target is the journal's
 * inode) or still waiting (its temporary is there) is finished; otherwise
 * the old files are put back. An incomplete journal (no "end") means
 * nothing was renamed. NAME.tmp.PID and NAME.old.PID of a dead PID beside
 * an output being written are removed.
 *
 * Rule for readers: the pair in a folder is consistent while that folder
 * holds no .procbench-commit.* journal; a reader that takes a shared
 * flock on the folder never sees a commit in progress.
 */
#ifndef PB_OUTFILE_H
#define PB_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

enum pb_out_kind {
	PB_OUT_STDOUT,
	PB_OUT_REPLACE, /* regular file: write a temporary one, rename it over */
	PB_OUT_INPLACE, /* character device or FIFO: write to it, never replace it */
};

struct pb_out {
	enum pb_out_kind kind;
	char path[4096];   /* what is replaced (a symlink's target) or written to */
	char given[4096];  /* as the user named it, for messages */
	char note[4400];   /* what was decided, when it is not the obvious; "" otherwise */
	int fd;            /* a FIFO opened by prepare (it has a reader), else -1 */
};

/* pb_out_prepare's flags. */
#define PB_OUT_NAMED 1 /* the user named this path: a device or FIFO is written in place */

/*
 * Decide where `arg` goes; create missing folders. Returns 0, or -1 with a
 * one-line reason (naming the problem and the fix) in err.
 */
int pb_out_prepare(struct pb_out *o, const char *arg, int flags, char *err, size_t errlen);

/*
 * A path next to a prepared output (e.g. its samples file): 1 when there is
 * none (o is not a regular file named *suffix_from), 0 or -1 as prepare. A
 * sibling is never named by the user: it must be a regular file or absent.
 */
int pb_out_sibling(const struct pb_out *o, const char *suffix_from, const char *suffix_to,
		   struct pb_out *sib, char *err, size_t errlen);

/* Close what prepare opened (a FIFO), for an output that will not be written. */
void pb_out_close(struct pb_out *o);

/* What a command reads: a path and what it is to the command, for messages. */
struct pb_out_input {
	const char *path;
	const char *role;    /* "BASE", "NEW", "the exec target", ... */
	int results;         /* a results file: the raw samples its context names are read too */
};

/*
 * Refuse before any work an output that is one of the inputs (the same
 * file by device and inode: a hard link or symlink counts), or the raw
 * samples a results input names (context.samples_file, beside it), or
 * another of the outputs. 0, or -1 with the one-line reason in err.
 */
int pb_out_refuse_inputs(const struct pb_out *const *outs, size_t nout,
			 const struct pb_out_input *in, size_t nin, char *err, size_t errlen);

typedef int (*pb_out_fn)(FILE *f, const void *arg);

/* One output written in full but not yet visible. */
struct pb_staged {
	const struct pb_out *out;
	int fd;            /* the written file (REPLACE), synced */
	char tmp[4200];    /* its temporary name, "" while it has none (O_TMPFILE) */
	char *buf;         /* the content (STDOUT, INPLACE), written at the commit */
	size_t len;
};

/* Write everything fn produces; nothing is visible yet (a FIFO prepare opened passes to s). 0 or -errno. */
int pb_out_stage(struct pb_staged *s, struct pb_out *o, pb_out_fn fn, const void *arg);
/*
 * Make n staged outputs visible: those written in place first, then the
 * replaced ones together under the folders' locks. On failure (-errno)
 * nothing replaced stays: an old file is put back. *failed names the output
 * that failed and err says why in one line. Staged outputs are released
 * either way.
 */
int pb_out_commit(struct pb_staged *s, size_t n, const struct pb_out **failed, char *err,
		  size_t errlen);
/* Drop a staged output that will not be committed. */
void pb_out_discard(struct pb_staged *s);

/* stage + commit of one output; err as pb_out_commit. */
int pb_out_write(struct pb_out *o, pb_out_fn fn, const void *arg, char *err, size_t errlen);

/* Flush standard output and report whether every write to it succeeded: 0 or -errno. */
int pb_stdout_close(void);

#endif
