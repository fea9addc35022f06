/* SPDX-License-Identifier: MIT */
/*
 * Text that came from a file (a benchmark's name, a host name, a kernel
 * release) or from anywhere a user does not control, made safe to print on
 * a terminal: a name holding ESC ] 0 ; ... BEL would retitle it, ESC [ 2 J
 * clear it. Control characters (C0, DEL and the C1 range) and bytes that
 * are not UTF-8 come out as \xNN (C1: \u00NN), so what is shown is one
 * line and says what the bytes were. Everything else, UTF-8 included, is
 * kept, so making text safe twice changes nothing.
 */
#ifndef PB_SAFE_TEXT_H
#define PB_SAFE_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* s made safe into buf (cut to fit, with "..." where cut); returns buf. */
const char *pb_safe(const char *s, char *buf, size_t len);
/* The same in place: s is rewritten (cut to len bytes with its NUL). */
void pb_safe_inplace(char *s, size_t len);
/*
 * What fn writes, into f with every control character but the newline
 * escaped: for a whole console table, whose fields come from files and from
 * the machine (host and CPU names). Returns fn's result, or -1 on an error.
 */
int pb_safe_print(FILE *f, int (*fn)(FILE *, const void *), const void *arg);
/*
 * stderr from here on escapes what it is given but for newlines (every message
 * of a program: names, paths and arguments in them came from users and files).
 * Whatever must draw on the terminal itself (the progress line) writes to
 * descriptor 2 directly.
 */
void pb_safe_stderr(void);
/* Whether s is valid UTF-8 (no overlong forms, no surrogates). */
int pb_text_is_utf8(const char *s);
/*
 * Every string of a document about to be written made UTF-8 (a byte that is not
 * becomes '?'): JSON holds text, and every reader refuses what is not. A host
 * name or a path can hold any bytes.
 */
struct json_object;
void pb_json_utf8(struct json_object *v);
/* Whether s needs no escaping. */
int pb_text_is_safe(const char *s);

#endif
