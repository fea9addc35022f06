// SPDX-License-Identifier: MIT
/* Text made safe to print on a terminal (safe_text.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "safe_text.h"

/* Length of a valid UTF-8 sequence at s (1..4), 0 if it is not one; the code point in *cp. */
static size_t utf8_len(const unsigned char *s, unsigned *cp)
{
	size_t n;
	unsigned c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0)
		n = 2, c &= 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		n = 3, c &= 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not text. */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* How one character at s is shown: into out (up to 7 bytes), its input length returned. */
static size_t show_one(const unsigned char *s, char *out, size_t *outn)
{
	unsigned cp;
	size_t n = utf8_len(s, &cp);

	if (!n) {
		*outn = (size_t)snprintf(out, 8, "\\x%02x", s[0]);
		return 1;
	}
	if (cp < 0x20 || cp == 0x7f)
		*outn = (size_t)snprintf(out, 8, "\\x%02x", cp);
	else if (cp >= 0x80 && cp <= 0x9f)
		*outn = (size_t)snprintf(out, 8, "\\u%04x", cp);
	else
		memcpy(out, s, *outn = n);
	return n;
}

const char *pb_safe(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (!len)
		return buf;
	while (*p) {
		char one[8];
		size_t k, n = show_one(p, one, &k);

		if (o + k + 4 > len && (o + k + 1 > len || p[n])) {
			/* No room for this and what may follow: end with "..." (there is room for
			 * it: every character before was added only with room for it left). */
			if (o + 4 <= len)
				memcpy(buf + o, "...", 3), o += 3;
			break;
		}
		memcpy(buf + o, one, k);
		o += k;
		p += n;
	}
	buf[o] = 0;
	return buf;
}

void pb_safe_inplace(char *s, size_t len)
{
	char *tmp;

	if (pb_text_is_safe(s) || !(tmp = malloc(len ? len : 1)))
		return;
	pb_safe(s, tmp, len);
	memcpy(s, tmp, strlen(tmp) + 1);
	free(tmp);
}

int pb_text_is_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		char one[8];
		size_t k, n = show_one(p, one, &k);

		if (k != n || memcmp(one, p, n))
			return 0;
		p += n;
	}
	return 1;
}

int pb_safe_print(FILE *f, int (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int rc;

	if (!m)
		return -1;
	rc = fn(m, arg);
	if (fclose(m) || !buf) {
		free(buf);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)buf; p < (const unsigned char *)buf + len;) {
		char one[8];
		size_t k, n;

		if (*p == '\n' || !*p) {
			/* (a NUL cannot be in a name: the readers refuse it) */
			if (*p)
				fputc('\n', f);
			p++;
			continue;
		}
		n = show_one(p, one, &k);
		fwrite(one, 1, k, f);
		p += n;
	}
	free(buf);
	return ferror(f) ? -1 : rc;
}

int pb_text_is_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;

	while (*p) {
		size_t n = utf8_len(p, &cp);

		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

void pb_json_utf8(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		if (!pb_text_is_utf8(json_object_get_string(v))) {
			char *c = strdup(json_object_get_string(v));
			unsigned cp;

			for (unsigned char *p = (unsigned char *)c; c && *p;) {
				size_t n = utf8_len(p, &cp);

				if (!n)
					*p = '?', n = 1;
				p += n;
			}
			if (c)
				json_object_set_string(v, c);
			free(c);
		}
		break;
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++)
			pb_json_utf8(json_object_array_get_idx(v, i));
		break;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			(void)key; /* the keys are procbench's own */
			pb_json_utf8(val);
		}
		break;
	}
	default:
		break;
	}
}

/* What is written to the stream, escaped but for newlines, onto descriptor 2. */
static ssize_t safe_stderr_write(void *cookie, const char *buf, size_t n)
{
	char *out = malloc(n * 6 + 1);
	size_t o = 0;

	(void)cookie;
	if (!out)
		return -1;
	for (const unsigned char *p = (const unsigned char *)buf; p < (const unsigned char *)buf + n;) {
		size_t k, used;

		if (*p == '\n' || !*p) {
			if (*p)
				out[o++] = '\n';
			p++;
			continue;
		}
		used = show_one(p, out + o, &k);
		o += k;
		p += used;
	}
	for (size_t w = 0; w < o;) {
		ssize_t r = write(STDERR_FILENO, out + w, o - w);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(out);
			return -1;
		}
		w += (size_t)r;
	}
	free(out);
	return (ssize_t)n;
}

void pb_safe_stderr(void)
{
	cookie_io_functions_t io = { .write = safe_stderr_write };
	FILE *f = fopencookie(NULL, "w", io);

	if (f && !setvbuf(f, NULL, _IOLBF, 0))
		stderr = f;
}
