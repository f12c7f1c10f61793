/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void lb_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("loopback: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool lb_cli_stdout_is_tty(void)
{
	return isatty(STDOUT_FILENO) == 1;
}

/* Length of the valid UTF-8 sequence at @p (at most @n bytes), 0 if
 * there is none (stray continuation, overlong, surrogate, > U+10FFFF). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* JSON text must be UTF-8: a byte that does not start a valid UTF-8
 * sequence (process names and command lines are any bytes) becomes U+FFFD.
 * Runs of bytes that need no escape are written with one fwrite() (a
 * listing writes megabytes of command lines: per-byte stdio costs). */
void lb_json_string(FILE *f, const char *s)
{
	const unsigned char *p, *run, *end;
	size_t k;

	if (!s) {
		fputs("null", f);
		return;
	}
	p = run = (const unsigned char *)s;
	end = p + strlen(s);
	fputc('"', f);
	while (p < end) {
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') {
			p++;
			continue;
		}
		if (*p >= 0x80) {
			k = utf8_len(p, (size_t)(end - p));
			if (k > 0) {
				p += k;
				continue;
			}
		}
		fwrite(run, 1, (size_t)(p - run), f);
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x80)
				fprintf(f, "\\u%04x", *p);
			else
				fputs("\xef\xbf\xbd", f);
		}
		run = ++p;
	}
	fwrite(run, 1, (size_t)(p - run), f);
	fputc('"', f);
}

void lb_json_key(FILE *f, bool *first, const char *key)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	lb_json_string(f, key);
	fputc(':', f);
}

long lb_cli_getline(char **line, size_t *cap, FILE *f)
{
#ifdef _WIN32
	size_t n = 0;
	int c;

	while ((c = fgetc(f)) != EOF) {
		if (n + 2 > *cap) {
			size_t ncap = *cap ? *cap * 2 : 128;
			char *p = realloc(*line, ncap);

			if (!p)
				return -1;
			*line = p;
			*cap = ncap;
		}
		(*line)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0)
		return -1;
	(*line)[n] = '\0';
	return (long)n;
#else
	return (long)getline(line, cap, f);
#endif
}
