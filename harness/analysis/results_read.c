// SPDX-License-Identifier: MIT
/*
 * The one reader of finished results (see results_read.h): the results
 * JSON and comparison files; samples_read.c reads the raw samples.
 * Over 400 lines for a reason: every field any reader uses is type-checked
 * here, in one place, so no reader works from a field of the wrong kind.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "results_read.h"
#include "gate.h"
#include "model.h"
#include "safe_text.h"


int pb_read_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	/* Names and paths in it came from files and users: no control character reaches a terminal. */
	pb_safe_inplace(err, len);
	return -1;
}

char *pb_read_regular(const char *path, const char *what, size_t cap, size_t *len, const char *fix,
		      char *err, size_t errlen)
{
	struct stat st, fst;
	char *buf;
	size_t n = 0;
	int fd;

	/*
	 * Only a regular file is read: a FIFO would block the reader, a device
	 * such as /dev/zero never ends, and opening some devices does things.
	 * So the path is looked at before it is opened, the open cannot block
	 * (O_NONBLOCK), and what was opened must be what was looked at.
	 */
	if (stat(path, &st)) {
		pb_read_fail(err, errlen, "cannot read %s%s: %s", what, path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		pb_read_fail(err, errlen, "%s%s is %s, not a regular file: %s",
			     what, path, S_ISDIR(st.st_mode)    ? "a folder"
				   : S_ISFIFO(st.st_mode) ? "a FIFO"
				   : S_ISSOCK(st.st_mode) ? "a socket"
				   : S_ISCHR(st.st_mode)  ? "a character device"
				   : S_ISBLK(st.st_mode)  ? "a block device"
							  : "a special file", fix);
		return NULL;
	}
	if ((unsigned long long)st.st_size > cap) {
		pb_read_fail(err, errlen, "%s%s is %lld bytes, over the reader's limit of %zu MiB: %s",
			     what, path, (long long)st.st_size, cap >> 20, fix);
		return NULL;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &fst) || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
		pb_read_fail(err, errlen, "cannot read %s%s: %s", what, path,
			     fd < 0 ? strerror(errno) : "it was replaced while being opened");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	/* Room for the size seen, and one byte more to notice a file still growing. */
	buf = malloc((size_t)fst.st_size + 2);
	if (!buf) {
		close(fd);
		pb_read_fail(err, errlen, "out of memory reading %s%s", what, path);
		return NULL;
	}
	for (;;) {
		ssize_t got = read(fd, buf + n, (size_t)fst.st_size + 1 - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			pb_read_fail(err, errlen, "cannot read %s%s: %s", what, path, strerror(errno));
			break;
		}
		n += (size_t)got;
		if (n > (size_t)fst.st_size) {
			pb_read_fail(err, errlen, "%s%s grew while it was read: is it still being written? "
						  "read it when its writer is done",
				     what, path);
			break;
		}
		if (!got) {
			close(fd);
			buf[n] = 0;
			*len = n;
			return buf;
		}
	}
	close(fd);
	free(buf);
	return NULL;
}

enum kind { K_STR, K_NUM, K_INT, K_BOOL, K_OBJ, K_ARR, K_NUM_OR_NULL, K_SCALAR };

static const char *kind_name[] = { "a string", "a number", "an integer", "true or false",
				   "an object", "an array", "a number or null",
				   "a string, number or boolean" };

static int is_kind(json_object *v, enum kind k)
{
	json_type t = json_object_get_type(v);

	switch (k) {
	case K_STR:
		return t == json_type_string;
	case K_NUM:
		return (t == json_type_double && isfinite(json_object_get_double(v))) ||
		       t == json_type_int;
	case K_NUM_OR_NULL:
		return t == json_type_null || is_kind(v, K_NUM);
	case K_INT:
		return t == json_type_int;
	case K_BOOL:
		return t == json_type_boolean;
	case K_OBJ:
		return t == json_type_object;
	case K_ARR:
		return t == json_type_array;
	case K_SCALAR:
		return t == json_type_string || t == json_type_boolean || is_kind(v, K_NUM);
	}
	return 0;
}

static const char *type_word(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return isfinite(json_object_get_double(v)) ? "a number" : "not a finite number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "?";
}

/* A member of obj: absent is fine unless required; present must be of kind k. */
static int field(json_object *obj, const char *key, enum kind k, int required, json_object **out,
		 const char *path, const char *where, char *err, size_t len)
{
	json_object *v = NULL;

	if (out)
		*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v)) {
		if (required)
			return pb_read_fail(err, len, "%s: %s%s has no '%s': not a complete procbench file", path,
				   where, *where ? "" : "it", key);
		return 0;
	}
	if (!is_kind(v, k))
		return pb_read_fail(err, len, "%s: %s%s'%s' is %s, not %s: the file was changed or damaged", path,
			   where, *where ? "." : "", key, type_word(v), kind_name[k]);
	if (out)
		*out = v;
	return 0;
}

#define F(obj, key, kind, req, out, where)                                                 \
	do {                                                                               \
		if (field(obj, key, kind, req, out, r->path, where, err, errlen))          \
			return -1;                                                         \
	} while (0)

/*
 * A number the readers can use must be in its field's range: a time above 0
 * (or at least 0), a count at least 0, a share in 0..1. (Every number is
 * also finite and within 2^53: check_numbers.) The same rules are in
 * plots/report.py.
 */
enum range { R_POS, R_NONNEG, R_UNIT };

static int in_range(json_object *obj, const char *key, enum range rg, const char *path,
		    const char *where, char *err, size_t len)
{
	static const char *const want[] = { "above 0", "0 or more", "in 0..1" };
	json_object *v;
	double x;

	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	x = json_object_get_double(v);
	if (rg == R_POS ? x > 0 : rg == R_NONNEG ? x >= 0 : x >= 0 && x <= 1)
		return 0;
	return pb_read_fail(err, len, "%s: %s%s%s is %.10g, not %s: the file was changed or damaged",
			    path, where, *where ? "." : "", key, x, want[rg]);
}

#define RANGE(obj, key, rg, where)                                                         \
	do {                                                                               \
		if (in_range(obj, key, rg, r->path, where, err, errlen))                   \
			return -1;                                                         \
	} while (0)

/* A field of kind k, when present in range rg. */
#define FR(obj, key, kind, req, rg, where)                                                 \
	do {                                                                               \
		F(obj, key, kind, req, NULL, where);                                       \
		RANGE(obj, key, rg, where);                                                \
	} while (0)

/* Whether a number is one every reader (C and Python) holds exactly: RFC 7493's I-JSON range. */
#define PB_MAX_JSON_NUMBER 9007199254740992.0 /* 2^53 */

static int number_ok(json_object *v)
{
	double x = json_object_get_double(v);

	/* An integer as read (2^53 + 1 would round to 2^53 as a double and pass). */
	if (json_object_is_type(v, json_type_int)) {
		int64_t i = json_object_get_int64(v);

		return i >= -(int64_t)PB_MAX_JSON_NUMBER && i <= (int64_t)PB_MAX_JSON_NUMBER;
	}
	return isfinite(x) && fabs(x) <= PB_MAX_JSON_NUMBER;
}

/*
 * Every number in the document, wherever it is, finite and within 2^53
 * (json-c clamps a longer integer to 64 bits, and Python would read it whole
 * and then fail to make a float of it), and no string with a NUL in it.
 * blame ends each reason: NULL for a results file (it was changed or
 * damaged), else what the caller must give instead.
 */
#define DAMAGED "the file was changed or damaged"
static int check_numbers(json_object *v, char *where, size_t wlen, const char *path, const char *blame,
			 char *err, size_t len)
{
	size_t at = strlen(where);
	int rc = 0;

	switch (json_object_get_type(v)) {
	case json_type_int:
	case json_type_double:
		if (!number_ok(v))
			return pb_read_fail(err, len, "%s: %s is %s: %s", path, *where ? where : "a number",
					    !isfinite(json_object_get_double(v)) ? "not a finite number"
					    : blame ? "beyond 2^53 in size"
						    : "beyond 2^53 in size, larger than any value procbench writes",
					    blame ? blame : DAMAGED);
		return 0;
	case json_type_string:
		if (strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v))
			return pb_read_fail(err, len, "%s: %s holds a NUL character: %s", path,
					    *where ? where : "a string", blame ? blame : DAMAGED);
		if (!pb_text_is_utf8(json_object_get_string(v)))
			return pb_read_fail(err, len, "%s: %s is not UTF-8 text (JSON is; a lone surrogate "
						      "is not text either): %s",
					    path, *where ? where : "a string", blame ? blame : DAMAGED);
		return 0;
	case json_type_array:
		for (size_t i = 0; !rc && i < json_object_array_length(v); i++) {
			snprintf(where + at, wlen - at, "[%zu]", i);
			rc = check_numbers(json_object_array_get_idx(v, i), where, wlen, path, blame, err, len);
		}
		break;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			if (rc)
				break;
			if (!pb_text_is_utf8(key))
				return pb_read_fail(err, len, "%s: a key in %s is not UTF-8 text: %s", path,
						    at ? where : "the document", blame ? blame : DAMAGED);
			if (strlen(key) > 64)
				snprintf(where + at, wlen - at, "%s%.64s...", at ? "." : "", key);
			else
				snprintf(where + at, wlen - at, "%s%s", at ? "." : "", key);
			rc = check_numbers(val, where, wlen, path, blame, err, len);
		}
		break;
	}
	default:
		return 0;
	}
	where[at] = 0;
	return rc;
}

/*
 * A summary's times are 0 or more: never negative, but 0 is a real reading where a
 * creation (or null's empty sample) is shorter than the counter's tick (an arm64
 * board's 24 MHz counter ticks every 42 ns). compare gives a zero median no ratio.
 */
static int check_summary(struct pb_results *r, json_object *ph, const char *key, int required,
			 enum range times, const char *where, char *err, size_t errlen)
{
	static const char *const nums[] = { "min", "p50", "p90", "p99", "p999", "max", "mean",
					    "stddev", "ci_lo", "ci_hi", "ci_coverage" };
	json_object *s;
	char w[320];

	F(ph, key, K_OBJ, required, &s, where);
	if (!s)
		return 0;
	snprintf(w, sizeof(w), "%s.%s", where, key);
	FR(s, "n", K_INT, 0, R_NONNEG, w);
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		F(s, nums[i], K_NUM, i == 1 || i == 3, NULL, w);
		RANGE(s, nums[i], i == 10 ? R_UNIT : i == 7 ? R_NONNEG : times, w);
	}
	if (json_object_object_get_ex(s, "ci_lo", NULL) != json_object_object_get_ex(s, "ci_hi", NULL))
		return pb_read_fail(err, errlen, "%s: %s has only one end of its confidence interval", r->path, w);
	if (json_object_object_get_ex(s, "ci_lo", NULL) &&
	    json_object_get_double(json_object_object_get(s, "ci_lo")) >
		    json_object_get_double(json_object_object_get(s, "ci_hi")))
		return pb_read_fail(err, errlen, "%s: %s's confidence interval ends below its start: the "
				    "file was changed or damaged", r->path, w);
	return 0;
}

static int check_counters(struct pb_results *r, json_object *c, const char *where, char *err,
			  size_t errlen)
{
	char w[400];

	json_object_object_foreach(c, key, val) {
		json_object *bv;

		snprintf(w, sizeof(w), "%s.%.64s", where, key);
		if (is_kind(val, K_NUM))
			continue; /* a count beside the counters, e.g. creations_counted */
		if (!is_kind(val, K_OBJ))
			return pb_read_fail(err, errlen, "%s: %s is %s, not an object or a number", r->path,
				   w, type_word(val));
		F(val, "available", K_BOOL, 0, NULL, w);
		F(val, "per_creation", K_NUM, 0, NULL, w);
		F(val, "reason", K_STR, 0, NULL, w);
		F(val, "batch_values", K_ARR, 0, &bv, w);
		for (size_t i = 0; bv && i < json_object_array_length(bv); i++)
			if (!is_kind(json_object_array_get_idx(bv, i), K_NUM))
				return pb_read_fail(err, errlen, "%s: %s.batch_values[%zu] is not a number",
					   r->path, w, i);
	}
	return 0;
}

/* --trace's kernel phases of one benchmark (compare and the report read them). */
static int check_trace(struct pb_results *r, json_object *t, const char *where, char *err,
		       size_t errlen)
{
	static const char *const ints[] = { "traced_samples", "matched", "stamp_checks_passed",
					    "events_lost" };
	json_object *arr, *pts;
	char w[200];

	F(t, "status", K_STR, 1, NULL, where);
	F(t, "shape", K_STR, 0, NULL, where);
	F(t, "reason", K_STR, 0, NULL, where);
	F(t, "child_return", K_STR, 0, NULL, where);
	for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++)
		FR(t, ints[k], K_INT, 0, R_NONNEG, where);
	FR(t, "traced_round_trip_ns", K_NUM, 0, R_NONNEG, where);
	FR(t, "inflation", K_NUM, 0, R_POS, where);
	F(t, "phases", K_ARR, 0, &arr, where);
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *ph = json_object_array_get_idx(arr, i);

		snprintf(w, sizeof(w), "%s.phases[%zu]", where, i);
		if (!is_kind(ph, K_OBJ))
			return pb_read_fail(err, errlen, "%s: %s is %s, not an object", r->path, w,
					    type_word(ph));
		F(ph, "name", K_STR, 1, NULL, w);
		F(ph, "from", K_STR, 0, NULL, w);
		F(ph, "to", K_STR, 0, NULL, w);
		F(ph, "what", K_STR, 0, NULL, w);
		F(ph, "task", K_STR, 0, NULL, w);
		FR(ph, "n", K_INT, 0, R_NONNEG, w);
		F(ph, "starts_at_ns", K_NUM, 0, NULL, w);
		if (check_summary(r, ph, "summary", 0, R_NONNEG, w, err, errlen))
			return -1;
	}
	F(t, "unmatched_missing", K_OBJ, 0, &pts, where);
	if (pts) {
		snprintf(w, sizeof(w), "%s.unmatched_missing", where);
		json_object_object_foreach(pts, key, val)
			if (!is_kind(val, K_INT) || json_object_get_int64(val) < 0)
				return pb_read_fail(err, errlen, "%s: %s.%.64s is %s, not a count", r->path,
						    w, key, type_word(val));
	}
	F(t, "points_median_ns", K_OBJ, 0, &pts, where);
	if (pts) {
		snprintf(w, sizeof(w), "%s.points_median_ns", where);
		json_object_object_foreach(pts, key, val)
			if (!is_kind(val, K_NUM))
				return pb_read_fail(err, errlen, "%s: %s.%.64s is %s, not a number",
						    r->path, w, key, type_word(val));
	}
	return 0;
}

/* Every field compare or the report reads from one benchmark entry. */
static int check_bench(struct pb_results *r, json_object *o, size_t i, char *err, size_t errlen)
{
	static const char *const strs[] = { "name", "method", "status", "run_name", "skip_reason",
					    "error_message", "summary", "flags" };
	json_object *ph, *p, *v;
	const char *status;
	char w[64], w2[96];

	snprintf(w, sizeof(w), "benchmarks[%zu]", i);
	if (!is_kind(o, K_OBJ))
		return pb_read_fail(err, errlen, "%s: %s is %s, not an object", r->path, w, type_word(o));
	for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
		F(o, strs[k], K_STR, k < 3, NULL, w);
	status = json_object_get_string(json_object_object_get(o, "status"));
	if (strcmp(status, "ok") && strcmp(status, "skipped") && strcmp(status, "error"))
		return pb_read_fail(err, errlen, "%s: %s.status '%.40s' is not ok, skipped or error", r->path, w,
			   status);
	FR(o, "iterations", K_INT, !strcmp(status, "ok"), R_NONNEG, w);
	FR(o, "ops_per_sample", K_INT, 0, R_POS, w);
	FR(o, "cpu_time", K_NUM, !strcmp(status, "ok"), R_NONNEG, w);
	FR(o, "real_time", K_NUM, 0, R_NONNEG, w);
	FR(o, "creations_per_s", K_NUM, 0, R_NONNEG, w);
	F(o, "phases", K_OBJ, !strcmp(status, "ok"), &ph, w);
	if (ph) {
		snprintf(w2, sizeof(w2), "%s.phases", w);
		if (check_summary(r, ph, "round_trip", 1, R_NONNEG, w2, err, errlen) ||
		    check_summary(r, ph, "parent_return", 0, R_NONNEG, w2, err, errlen) ||
		    check_summary(r, ph, "child_running", 0, R_NONNEG, w2, err, errlen))
			return -1;
	}
	F(o, "params", K_OBJ, 0, &p, w);
	if (p) {
		snprintf(w2, sizeof(w2), "%s.params", w);
		FR(p, "rss_bytes", K_INT, 0, R_NONNEG, w2);
		F(p, "touch", K_BOOL, 0, NULL, w2);
		FR(p, "jobs", K_INT, 0, R_NONNEG, w2);
	}
	F(o, "placement", K_OBJ, 0, &p, w);
	if (p) {
		snprintf(w2, sizeof(w2), "%s.placement", w);
		F(p, "parent_pus", K_ARR, 0, &v, w2);
		for (size_t k = 0; v && k < json_object_array_length(v); k++)
			if (!is_kind(json_object_array_get_idx(v, k), K_INT))
				return pb_read_fail(err, errlen, "%s: %s.parent_pus[%zu] is not an integer",
					   r->path, w2, k);
	}
	F(o, "parent_shape", K_OBJ, 0, &p, w);
	if (p) {
		snprintf(w2, sizeof(w2), "%s.parent_shape", w);
		FR(p, "vm_rss_kib", K_NUM, 0, R_NONNEG, w2);
	}
	F(o, "counters", K_OBJ, 0, &p, w);
	if (p) {
		snprintf(w2, sizeof(w2), "%s.counters", w);
		if (check_counters(r, p, w2, err, errlen))
			return -1;
	}
	F(o, "kernel_trace", K_OBJ, 0, &p, w);
	if (p) {
		snprintf(w2, sizeof(w2), "%s.kernel_trace", w);
		if (check_trace(r, p, w2, err, errlen))
			return -1;
	}
	F(o, "perf_stat", K_OBJ, 0, &p, w);
	if (p) {
		snprintf(w2, sizeof(w2), "%s.perf_stat", w);
		F(p, "events", K_OBJ, 0, &v, w2);
		if (v) {
			snprintf(w2, sizeof(w2), "%s.perf_stat.events", w);
			if (check_counters(r, v, w2, err, errlen))
				return -1;
		}
	}
	return 0;
}

static int check_context(struct pb_results *r, char *err, size_t errlen)
{
	static const char *const strs[] = { "date", "host_name", "kernel_release", "arch",
					    "run_id", "samples_file", "time_base" };
	static const char *const objs[][2] = { { "environment", "cpu_model" },
					       { "environment", "hypervisor" },
					       { "environment", "cpufreq_governor" },
					       { "environment", "thp_enabled" },
					       { "counter", "source" },
					       { "trace", "status" },
					       { "trace", "clock" },
					       { "creator", "linkage" } };
	json_object *v;

	for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
		F(r->context, strs[k], K_STR, 0, NULL, "context");
	for (size_t k = 0; k < sizeof(objs) / sizeof(objs[0]); k++) {
		F(r->context, objs[k][0], K_OBJ, 0, &v, "context");
		if (v) {
			char w[64];

			snprintf(w, sizeof(w), "context.%s", objs[k][0]);
			F(v, objs[k][1], K_SCALAR, 0, NULL, w);
			if (!strcmp(objs[k][0], "counter"))
				FR(v, "hz", K_NUM, 0, R_POS, w);
		}
	}
	return 0;
}

/* The text as one JSON document into r->root: 0, or -1 with the reason. */
static int parse_document(struct pb_results *r, const char *path, const char *json, size_t len,
			  char *err, size_t errlen)
{
	json_tokener *tok;
	enum json_tokener_error e;

	if (!len)
		return pb_read_fail(err, errlen, "%s is empty", path);
	if (strlen(json) != len)
		return pb_read_fail(err, errlen, "%s has a NUL byte at offset %zu: not a results file", path,
			   strlen(json));
	if (len > INT32_MAX)
		return pb_read_fail(err, errlen, "%s is too large to be a results file", path);
	tok = json_tokener_new();
	if (!tok)
		return pb_read_fail(err, errlen, "out of memory reading %s", path);
	/* RFC 8259 only, as Python's json reads it: no comments, no single quotes, no trailing commas. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	r->root = json_tokener_parse_ex(tok, json, (int)len);
	e = json_tokener_get_error(tok);
	if (r->root && e == json_tokener_success && tok->char_offset < (int)len) {
		/* Anything but white space after the document is a second document or garbage. */
		for (const char *p = json + tok->char_offset; *p; p++)
			if (!strchr(" \t\r\n", *p)) {
				json_tokener_free(tok);
				return pb_read_fail(err, errlen, "%s has data after its JSON document", path);
			}
	}
	json_tokener_free(tok);
	if (!r->root || e != json_tokener_success)
		return pb_read_fail(err, errlen, "%s is not valid JSON (%s); was it cut short?", path,
			   e == json_tokener_continue ? "it ends too early" : json_tokener_error_desc(e));
	return 0;
}

static const struct pb_results *sorting;

static int by_name(const void *a, const void *b)
{
	return strcmp(sorting->b[*(const size_t *)a].name, sorting->b[*(const size_t *)b].name);
}

/* The names in order (r->order), so a name is found, and a repeated one seen, in n log n. */
static int index_names(struct pb_results *r, int by_method, char *err, size_t errlen)
{
	r->order = malloc((r->nb ? r->nb : 1) * sizeof(*r->order));
	if (!r->order)
		return pb_read_fail(err, errlen, "out of memory reading %s", r->path);
	for (size_t i = 0; i < r->nb; i++)
		r->order[i] = i;
	sorting = r;
	qsort(r->order, r->nb, sizeof(*r->order), by_name);
	for (size_t i = 1; i < r->nb; i++)
		if (!strcmp(r->b[r->order[i - 1]].name, r->b[r->order[i]].name))
			return pb_read_fail(err, errlen, "%s has several points named %s%s", r->path,
					    r->b[r->order[i]].name,
					    by_method ? ": --match method needs one per method" : "");
	return 0;
}

struct pb_rbench *pb_results_find(const struct pb_results *r, const char *name)
{
	size_t lo = 0, hi = r ? r->nb : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, r->b[r->order[mid]].name);

		if (!c)
			return &r->b[r->order[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * Every run has an id, as procbench writes it (16 to 38 lowercase hex digits):
 * compare counts a run once by it, so a copy with the id removed, or with it
 * in capitals, must not pass for another run.
 */
static int check_run_id(struct pb_results *r, char *err, size_t errlen)
{
	json_object *v;
	const char *id;
	size_t n;

	if (!json_object_object_get_ex(r->context, "run_id", &v))
		return pb_read_fail(err, errlen, "%s has no context.run_id: not a complete procbench "
						 "file (compare counts a run once by its id)",
				    r->path);
	id = json_object_get_string(v);
	n = strspn(id, "0123456789abcdef");
	if (id[n] || n < 16 || n > 38)
		return pb_read_fail(err, errlen, "%s: context.run_id '%.40s' is not 16 to 38 lowercase "
						 "hex digits: the file was changed or damaged",
				    r->path, id);
	return 0;
}

static int check_document(json_object *root, const char *path, char *err, size_t len)
{
	char where[1024] = "";

	return check_numbers(root, where, sizeof(where), path, NULL, err, len);
}

int pb_json_check_value(json_object *v, const char *path, const char *name, const char *blame,
			char *err, size_t len)
{
	char where[1024];

	snprintf(where, sizeof(where), "%s", name);
	return check_numbers(v, where, sizeof(where), path, blame, err, len);
}

int pb_json_text_nul(const char *text, size_t len, const char *path, const char *blame, char *err,
		     size_t errlen)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (text[i] != '\\')
			continue;
		if (text[i + 1] == 'u' && i + 5 < len && !memcmp(text + i + 2, "0000", 4))
			return pb_read_fail(err, errlen, "%s: a key near byte %zu holds a NUL character "
						     "(\\u0000): %s",
					    path, i, blame ? blame : DAMAGED);
		i++; /* the escaped character */
	}
	return 0;
}

int pb_results_parse(struct pb_results *r, const char *path, const char *json, size_t len,
		     int by_method, char *err, size_t errlen)
{
	json_object *bench, *ver;

	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	if (parse_document(r, path, json, len, err, errlen) || check_document(r->root, path, err, errlen) ||
	    pb_json_text_nul(json, len, path, NULL, err, errlen))
		return -1;
	if (!is_kind(r->root, K_OBJ) || !json_object_object_get_ex(r->root, "context", &r->context) ||
	    !is_kind(r->context, K_OBJ) || !json_object_object_get_ex(r->root, "benchmarks", &bench) ||
	    !is_kind(bench, K_ARR))
		return pb_read_fail(err, errlen, "%s has no context and benchmarks: not a results file", path);
	if (!json_object_object_get_ex(r->context, "procbench_schema_version", &ver))
		return pb_read_fail(err, errlen,
			   "%s is not a procbench results file (no procbench_schema_version); for "
			   "Google Benchmark files use compare.py",
			   path);
	if (!is_kind(ver, K_INT) || json_object_get_int64(ver) < 1)
		return pb_read_fail(err, errlen, "%s: context.procbench_schema_version is %s, not a version "
				       "number: the file was changed or damaged",
			   path, type_word(ver));
	if (json_object_get_int64(ver) > PB_RESULTS_SCHEMA)
		return pb_read_fail(err, errlen,
			   "%s uses results schema %lld; this procbench reads schema %d: upgrade it",
			   path, (long long)json_object_get_int64(ver), PB_RESULTS_SCHEMA);
	if (check_context(r, err, errlen) || check_run_id(r, err, errlen))
		return -1;
	if (pb_results_time_base(r) < 0) {
		json_object *tb = NULL;

		json_object_object_get_ex(r->context, "time_base", &tb);
		return pb_read_fail(err, errlen, "%s: context.time_base '%.40s' is not %s or %s", path,
				    json_object_get_string(tb), pb_time_base_name(PB_TB_WALL),
				    pb_time_base_name(PB_TB_INSTRUCTIONS));
	}
	r->nb = json_object_array_length(bench);
	r->b = calloc(r->nb ? r->nb : 1, sizeof(*r->b));
	if (!r->b)
		return pb_read_fail(err, errlen, "out of memory reading %s", path);
	for (size_t i = 0; i < r->nb; i++) {
		json_object *o = json_object_array_get_idx(bench, i), *it;
		const char *name;

		if (check_bench(r, o, i, err, errlen))
			return -1;
		name = json_object_get_string(json_object_object_get(o, by_method ? "method" : "name"));
		if (strlen(name) >= sizeof(r->b[i].name))
			return pb_read_fail(err, errlen, "%s: benchmarks[%zu] has a name of over 255 bytes", path,
				   i);
		snprintf(r->b[i].name, sizeof(r->b[i].name), "%s", name);
		r->b[i].status = json_object_get_string(json_object_object_get(o, "status"));
		r->b[i].obj = o;
		r->b[i].iterations = json_object_object_get_ex(o, "iterations", &it)
					     ? (long)json_object_get_int64(it)
					     : 0;
	}
	return index_names(r, by_method, err, errlen);
}

int pb_results_load(struct pb_results *r, const char *path, int by_method, char *err,
		    size_t errlen)
{
	int lock = pb_pair_lock(path, err, errlen), rc;
	char *text = NULL;
	struct stat st;
	size_t len;

	memset(r, 0, sizeof(*r));
	if (lock == -1)
		return -1;
	text = pb_read_regular(path, "", PB_MAX_RESULTS_BYTES, &len, PB_READ_OWN, err, errlen);
	rc = text ? pb_results_parse(r, path, text, len, by_method, err, errlen) : -1;
	free(text);
	if (!rc && !stat(path, &st)) {
		r->dev = st.st_dev;
		r->ino = st.st_ino;
	}
	if (!rc)
		rc = pb_results_load_samples(r, err, errlen);
	pb_pair_unlock(lock);
	if (rc)
		pb_pair_hint(path, err, errlen);
	return rc;
}

int pb_results_time_base(const struct pb_results *r)
{
	json_object *v;

	/* Files from before time bases were recorded were all wall time. */
	if (r->context && json_object_object_get_ex(r->context, "time_base", &v) &&
	    json_object_is_type(v, json_type_string))
		return pb_time_base_parse(json_object_get_string(v));
	return PB_TB_WALL;
}

void pb_results_free(struct pb_results *r)
{
	for (size_t i = 0; r->b && i < r->nb; i++)
		free(r->b[i].x);
	free(r->b);
	free(r->order);
	if (r->root)
		json_object_put(r->root);
	memset(r, 0, sizeof(*r));
}

/* A comparison's gate summary, when it has one: every field the report reads. */
static int check_gate(json_object *root, const char *path, char *err, size_t errlen)
{
	struct pb_results rr = { 0 }, *r = &rr;
	json_object *g = NULL, *need = NULL;

	snprintf(rr.path, sizeof(rr.path), "%s", path);
	F(root, "gate", K_OBJ, 0, &g, "");
	if (!g)
		return 0;
	FR(g, "runs_base", K_INT, 1, R_NONNEG, "gate");
	FR(g, "runs_new", K_INT, 1, R_NONNEG, "gate");
	FR(g, "power", K_NUM, 1, R_UNIT, "gate");
	FR(g, "between_run_sd_median", K_NUM_OR_NULL, 1, R_NONNEG, "gate");
	FR(g, "mde_median", K_NUM_OR_NULL, 1, R_NONNEG, "gate");
	F(g, "runs_needed", K_OBJ, 1, &need, "gate");
	json_object_object_foreach(need, key, v) {
		char *end;

		if (strtod(key, &end) <= 0 || *end || !(v == NULL || is_kind(v, K_INT)))
			return pb_read_fail(err, errlen, "%s: gate.runs_needed.%.20s is not a count for "
							 "a change: the file was changed or damaged",
					    path, key);
	}
	return 0;
}

/* A comparison's cost-model coefficients (compare of two sweeps): optional, typed when present. */
static int check_models(json_object *root, const char *path, char *err, size_t errlen)
{
	static const char *const nums[] = { "base_ns", "new_ns", "difference_ns", "ratio",
					    "ratio_ci_lo", "ratio_ci_hi", "p_adjusted" };
	static const char *const pairs[] = { "base_ci", "new_ci", "difference_ci" };
	struct pb_results rr = { 0 }, *r = &rr;
	json_object *m;

	snprintf(rr.path, sizeof(rr.path), "%s", path);
	F(root, "models", K_ARR, 0, &m, "");
	for (size_t i = 0; m && i < json_object_array_length(m); i++) {
		json_object *o = json_object_array_get_idx(m, i), *pr;
		char w[64];

		snprintf(w, sizeof(w), "models[%zu]", i);
		if (!is_kind(o, K_OBJ))
			return pb_read_fail(err, errlen, "%s: %s is %s, not an object", path, w, type_word(o));
		F(o, "name", K_STR, 1, NULL, w);
		F(o, "term", K_STR, 1, NULL, w);
		F(o, "verdict", K_STR, 1, NULL, w);
		F(o, "why", K_STR, 0, NULL, w);
		for (size_t k = 0; k < 3; k++) /* coefficients and their difference: any sign */
			F(o, nums[k], K_NUM_OR_NULL, 0, NULL, w);
		for (size_t k = 3; k < sizeof(nums) / sizeof(nums[0]); k++)
			FR(o, nums[k], K_NUM_OR_NULL, 0, k < 6 ? R_POS : R_UNIT, w);
		for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
			json_object *a, *b;

			F(o, pairs[k], K_ARR, 0, &pr, w);
			if (!pr)
				continue;
			a = json_object_array_get_idx(pr, 0);
			b = json_object_array_get_idx(pr, 1);
			if (json_object_array_length(pr) != 2 || !is_kind(a, K_NUM_OR_NULL) ||
			    !is_kind(b, K_NUM_OR_NULL) ||
			    (is_kind(a, K_NUM) && is_kind(b, K_NUM) &&
			     json_object_get_double(a) > json_object_get_double(b)))
				return pb_read_fail(err, errlen, "%s: %s.%s is not an ordered pair of numbers: "
						    "the file was changed or damaged", path, w, pairs[k]);
		}
		{
			json_object *lo, *hi;
			const char *term = json_object_get_string(json_object_object_get(o, "term"));
			const char *v = json_object_get_string(json_object_object_get(o, "verdict"));
			size_t t;

			if (json_object_object_get_ex(o, "ratio_ci_lo", &lo) &&
			    json_object_object_get_ex(o, "ratio_ci_hi", &hi) && is_kind(lo, K_NUM) &&
			    is_kind(hi, K_NUM) && json_object_get_double(lo) > json_object_get_double(hi))
				return pb_read_fail(err, errlen, "%s: %s's ratio interval ends below its start: "
						    "the file was changed or damaged", path, w);
			for (t = 0; t < PB_MT_COUNT && strcmp(term, pb_mterm_names[t]); t++)
				;
			if (t == PB_MT_COUNT)
				return pb_read_fail(err, errlen, "%s: %s.term is not a term of procbench's cost "
						    "model: the file was changed or damaged", path, w);
			for (t = 0; t < PB_NVERDICTS && strcmp(v, pb_verdict_names[t]); t++)
				;
			if (t == PB_NVERDICTS && strcmp(v, "not compared"))
				return pb_read_fail(err, errlen, "%s: %s.verdict is not a verdict of procbench's: "
						    "the file was changed or damaged", path, w);
		}
	}
	return 0;
}

int pb_comparison_check(json_object *root, const char *path, char *err, size_t errlen)
{
	static const char *const nums[] = { "ratio", "ratio_ci_lo", "ratio_ci_hi", "base_median_ns",
					    "new_median_ns", "p_value", "p_holm" };
	struct pb_results rr = { 0 }, *r = &rr;
	json_object *b;

	snprintf(rr.path, sizeof(rr.path), "%s", path);
	if (check_document(root, path, err, errlen))
		return -1;
	F(root, "regressed", K_BOOL, 1, NULL, "");
	F(root, "benchmarks", K_ARR, 1, &b, "");
	FR(root, "threshold", K_NUM, 0, R_NONNEG, "");
	FR(root, "alpha", K_NUM, 0, R_UNIT, "");
	FR(root, "geomean_ratio", K_NUM_OR_NULL, 0, R_POS, "");
	F(root, "base", K_STR, 0, NULL, "");
	F(root, "new", K_STR, 0, NULL, "");
	F(root, "time_base", K_STR, 0, NULL, "");
	for (size_t i = 0; i < json_object_array_length(b); i++) {
		json_object *o = json_object_array_get_idx(b, i);
		char w[64];

		snprintf(w, sizeof(w), "benchmarks[%zu]", i);
		if (!is_kind(o, K_OBJ))
			return pb_read_fail(err, errlen, "%s: %s is %s, not an object", path, w, type_word(o));
		F(o, "name", K_STR, 1, NULL, w);
		F(o, "verdict", K_STR, 1, NULL, w);
		F(o, "why", K_STR, 0, NULL, w);
		for (size_t k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
			FR(o, nums[k], K_NUM_OR_NULL, 1, k < 3 ? R_POS : k < 5 ? R_NONNEG : R_UNIT, w);
		/* Added with the run-level gate: optional, typed when present. */
		FR(o, "mde", K_NUM_OR_NULL, 0, R_NONNEG, w);
		FR(o, "between_run_sd", K_NUM_OR_NULL, 0, R_NONNEG, w);
		FR(o, "df", K_NUM_OR_NULL, 0, R_NONNEG, w);
		FR(o, "runs_base", K_INT, 0, R_NONNEG, w);
		FR(o, "runs_new", K_INT, 0, R_NONNEG, w);
		FR(o, "n_base", K_INT, 0, R_NONNEG, w);
		FR(o, "n_new", K_INT, 0, R_NONNEG, w);
		F(o, "runs_needed", K_OBJ, 0, NULL, w);
		/* Each side's run medians and their spread (ci/kernel-ab prints them): null or typed. */
		FR(o, "base_spread", K_NUM_OR_NULL, 0, R_NONNEG, w);
		FR(o, "new_spread", K_NUM_OR_NULL, 0, R_NONNEG, w);
		for (int k = 0; k < 2; k++) {
			const char *key = k ? "new_run_medians_ns" : "base_run_medians_ns";
			json_object *meds;

			if (!json_object_object_get_ex(o, key, &meds) || json_object_is_type(meds, json_type_null))
				continue;
			F(o, key, K_ARR, 0, NULL, w);
			for (size_t j = 0; j < json_object_array_length(meds); j++) {
				json_object *m = json_object_array_get_idx(meds, j);

				if (!is_kind(m, K_NUM) || !(json_object_get_double(m) > 0))
					return pb_read_fail(err, errlen, "%s: %s.%s[%zu] is not a median above 0: "
									 "the file was changed or damaged",
							    path, w, key, j);
			}
		}
	}
	return check_gate(root, path, err, errlen) || check_models(root, path, err, errlen) ? -1 : 0;
}

const char *pb_results_run_id(const struct pb_results *r)
{
	json_object *v;

	return json_object_object_get_ex(r->context, "run_id", &v) ? json_object_get_string(v) : NULL;
}

const char *pb_results_context_text(const struct pb_results *r, const char *part, const char *key)
{
	json_object *p = r->context, *v;

	if (part[0] && !json_object_object_get_ex(r->context, part, &p))
		return NULL;
	return json_object_object_get_ex(p, key, &v) ? json_object_get_string(v) : "(absent)";
}

int pb_rbench_parent_rss_kib(const struct pb_rbench *b, double *kib)
{
	json_object *s, *v;

	if (!json_object_object_get_ex(b->obj, "parent_shape", &s) ||
	    !json_object_object_get_ex(s, "vm_rss_kib", &v))
		return -1;
	*kib = json_object_get_double(v);
	return 0;
}

const char *pb_rbench_parent_pus(const struct pb_rbench *b)
{
	json_object *p, *v;

	if (!json_object_object_get_ex(b->obj, "placement", &p) ||
	    !json_object_object_get_ex(p, "parent_pus", &v))
		return NULL;
	return json_object_get_string(v);
}

size_t pb_rbench_counter_batches(const struct pb_rbench *b, const char *counter, double **out)
{
	json_object *c, *k, *v;
	size_t n;

	*out = NULL;
	if (!b || !json_object_object_get_ex(b->obj, "counters", &c) ||
	    !json_object_object_get_ex(c, counter, &k) ||
	    !json_object_object_get_ex(k, "batch_values", &v) ||
	    !json_object_is_type(v, json_type_array))
		return 0;
	n = json_object_array_length(v);
	*out = malloc((n ? n : 1) * sizeof(double));
	if (!*out)
		return 0;
	for (size_t i = 0; i < n; i++)
		(*out)[i] = json_object_get_double(json_object_array_get_idx(v, i));
	return n;
}

int pb_rbench_phase(const struct pb_rbench *b, const char *phase, double *v)
{
	json_object *t, *arr, *s, *x;

	if (!b || !json_object_object_get_ex(b->obj, "kernel_trace", &t) ||
	    !json_object_object_get_ex(t, "phases", &arr))
		return -1;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *ph = json_object_array_get_idx(arr, i), *nm;

		if (!json_object_object_get_ex(ph, "name", &nm) ||
		    strcmp(json_object_get_string(nm), phase) ||
		    !json_object_object_get_ex(ph, "summary", &s) ||
		    !json_object_object_get_ex(s, "p50", &x))
			continue;
		v[0] = json_object_get_double(x);
		v[1] = json_object_object_get_ex(s, "ci_lo", &x) ? json_object_get_double(x) : NAN;
		v[2] = json_object_object_get_ex(s, "ci_hi", &x) ? json_object_get_double(x) : NAN;
		return v[0] > 0 ? 0 : -1;
	}
	return -1;
}

const char *pb_rbench_phase_name(const struct pb_rbench *b, size_t i)
{
	json_object *t, *arr, *ph, *nm;

	if (!json_object_object_get_ex(b->obj, "kernel_trace", &t) ||
	    !json_object_object_get_ex(t, "phases", &arr) || i >= json_object_array_length(arr))
		return NULL;
	ph = json_object_array_get_idx(arr, i);
	return json_object_object_get_ex(ph, "name", &nm) ? json_object_get_string(nm) : "";
}
