/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "os.h"

void lb_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("loopback: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The reason of the first failed flush of stdout, for the message at exit
 * (a failed write inside printf() leaves only ferror() behind). */
static int stdout_errno;

int lb_cli_flush_stdout(void)
{
	errno = 0;
	if (fflush(stdout) == 0)
		return 0;
	if (!stdout_errno)
		stdout_errno = errno;
	return -1;
}

int lb_cli_close_stdout(int code, int fail_code)
{
	bool bad = ferror(stdout) != 0;

	if (lb_cli_flush_stdout() < 0)
		bad = true;
	errno = 0;
	/* A descriptor that was closed with nothing to write is no failure. */
	if (fclose(stdout) != 0 && errno != EBADF) {
		if (!bad && !stdout_errno)
			stdout_errno = errno;
		bad = true;
	}
	if (!bad)
		return code;
	if (stdout_errno)
		lb_cli_error("write error: %s", strerror(stdout_errno));
	else
		lb_cli_error("write error");
	return fail_code;
}

bool lb_cli_stdout_is_tty(void)
{
	return isatty(STDOUT_FILENO) == 1;
}

int lb_cli_listing_buffer(FILE *f)
{
	/* Ours: glibc ignores the size unless it is given the buffer. */
	static char buf[1 << 16];

	if (isatty(fileno(f)) == 1)
		return 0;
	return setvbuf(f, buf, _IOFBF, sizeof(buf)) == 0 ? 0 : -1;
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

/* Where escaped text goes: a stream, or a buffer (truncated, always
 * terminated when @size > 0) whose full length is counted. */
struct esc_sink {
	FILE *f;
	char *buf;
	size_t size, len;
};

static void sink_put(struct esc_sink *k, const char *p, size_t n)
{
	if (k->f) {
		fwrite(p, 1, n, k->f);
	} else if (k->size > 0 && k->len + 1 < k->size) {
		size_t room = k->size - 1 - k->len;

		memcpy(k->buf + k->len, p, n < room ? n : room);
		k->buf[k->len + (n < room ? n : room)] = '\0';
	}
	k->len += n;
}

/* Whether the code point is one a terminal acts on or that reorders the
 * text around it: C1 controls, bidi embeddings, overrides and isolates. */
static bool cp_is_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	       cp == 0x061c;
}

static uint32_t utf8_cp(const unsigned char *p, size_t len)
{
	uint32_t cp = p[0] & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
	size_t i;

	for (i = 1; i < len; i++)
		cp = cp << 6 | (p[i] & 0x3f);
	return cp;
}

static size_t escape_to(struct esc_sink *k, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s, *run = p, *end = p + len;
	char e[16];
	size_t u;

	while (p < end) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			p++;
			continue;
		}
		u = 0;
		if (*p >= 0x80 && !(flags & LB_CLI_ESC_ASCII)) {
			u = utf8_len(p, (size_t)(end - p));
			if (u > 0 && !cp_is_control(utf8_cp(p, u))) {
				p += u;
				continue;
			}
		}
		sink_put(k, (const char *)run, (size_t)(p - run));
		if (*p == '\\')
			snprintf(e, sizeof(e), "\\\\");
		else if (*p == '\n')
			snprintf(e, sizeof(e), "\\n");
		else if (*p == '\t')
			snprintf(e, sizeof(e), "\\t");
		else if (*p == '\r')
			snprintf(e, sizeof(e), "\\r");
		else if (u > 0)
			snprintf(e, sizeof(e), "\\u%04" PRIx32, utf8_cp(p, u));
		else
			snprintf(e, sizeof(e), "\\x%02x", *p);
		sink_put(k, e, strlen(e));
		p += u > 0 ? u : 1;
		run = p;
	}
	sink_put(k, (const char *)run, (size_t)(p - run));
	return k->len;
}

size_t lb_cli_print_escaped(FILE *f, const char *s, size_t len, unsigned flags)
{
	struct esc_sink k = { f, NULL, 0, 0 };

	return escape_to(&k, s, len, flags);
}

void lb_cli_print_text(FILE *f, const char *s)
{
	if (s)
		lb_cli_print_escaped(f, s, strlen(s), 0);
}

size_t lb_cli_escape(const char *s, char *buf, size_t size)
{
	struct esc_sink k = { NULL, buf, size, 0 };

	if (size > 0)
		buf[0] = '\0';
	return s ? escape_to(&k, s, strlen(s), 0) : 0;
}

/* Output assembled in memory (struct lb_cli_out in cli.h): the socket
 * writers build a row or a JSON object with plain stores and write it with
 * one fwrite(), instead of a printf() or fputc() per field; listing 26,000
 * sockets spent most of its user time in stdio's format parsing and
 * per-call locking (bench/README.md, "What ls costs besides the owners"). */
void lb_cli_out_flush(struct lb_cli_out *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
}

void lb_cli_out_put_slow(struct lb_cli_out *o, const char *s, size_t n)
{
	lb_cli_out_flush(o);
	if (n >= o->cap) {
		fwrite(s, 1, n, o->f);
		return;
	}
	memcpy(o->buf, s, n);
	o->len = n;
}

/* Two digits at a time: half the divisions of one at a time. */
static size_t u64_digits(uint64_t v, char *end)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char *p = end;

	while (v >= 100) {
		p -= 2;
		memcpy(p, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return (size_t)(end - p);
}

size_t lb_cli_u64_text(uint64_t v, char *buf)
{
	char d[20];
	size_t n = u64_digits(v, d + sizeof(d));

	memcpy(buf, d + sizeof(d) - n, n);
	buf[n] = '\0';
	return n;
}

void lb_cli_out_u64(struct lb_cli_out *o, uint64_t v)
{
	char d[20];
	size_t n = u64_digits(v, d + sizeof(d));

	lb_cli_out_put(o, d + sizeof(d) - n, n);
}

void lb_cli_out_pad(struct lb_cli_out *o, const char *s, size_t width)
{
	static const char spaces[] = "                                ";
	size_t n = strlen(s);

	lb_cli_out_put(o, s, n);
	while (n < width) {
		size_t k = width - n < sizeof(spaces) - 1 ? width - n : sizeof(spaces) - 1;

		lb_cli_out_put(o, spaces, k);
		n += k;
	}
}

void lb_cli_out_json_string(struct lb_cli_out *o, const char *s)
{
	const unsigned char *p, *run, *end;
	size_t k;

	if (!s) {
		LB_CLI_OUT_LIT(o, "null");
		return;
	}
	p = run = (const unsigned char *)s;
	end = p + strlen(s);
	lb_cli_out_char(o, '"');
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
		lb_cli_out_put(o, (const char *)run, (size_t)(p - run));
		switch (*p) {
		case '"': LB_CLI_OUT_LIT(o, "\\\""); break;
		case '\\': LB_CLI_OUT_LIT(o, "\\\\"); break;
		case '\n': LB_CLI_OUT_LIT(o, "\\n"); break;
		case '\r': LB_CLI_OUT_LIT(o, "\\r"); break;
		case '\t': LB_CLI_OUT_LIT(o, "\\t"); break;
		default:
			if (*p < 0x80) {
				static const char hex[] = "0123456789abcdef";
				char u[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };

				lb_cli_out_put(o, u, sizeof(u));
			} else {
				LB_CLI_OUT_LIT(o, "\xef\xbf\xbd");
			}
		}
		run = ++p;
	}
	lb_cli_out_put(o, (const char *)run, (size_t)(p - run));
	lb_cli_out_char(o, '"');
}

/* JSON text must be UTF-8: a byte that does not start a valid UTF-8
 * sequence (process names and command lines are any bytes) becomes U+FFFD
 * (lb_cli_out_json_string). */
void lb_json_string(FILE *f, const char *s)
{
	char buf[256];
	struct lb_cli_out o = LB_CLI_OUT_INIT(f, buf);

	lb_cli_out_json_string(&o, s);
	lb_cli_out_flush(&o);
}

void lb_json_key(FILE *f, bool *first, const char *key)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	lb_json_string(f, key);
	fputc(':', f);
}

void lb_cli_pick_error(const char *verb, int err)
{
	const char *b = getenv("LOOPBACK_LEASE_BACKEND");
	char path[4096];
	int r = lb_lease_dir(path, sizeof(path));

	if (r == LB_EINVAL && b && *b) {
		lb_cli_error("%s: LOOPBACK_LEASE_BACKEND='%.64s' names no lease backend here "
			     "(flock%s)", verb, b, lb_cli_more_lease_backends());
		return;
	}
	if (lb_cli_lease_dir_error(verb, r, err, path, sizeof(path)))
		return;
	lb_cli_error("%s: cannot pick ports: %s", verb, lb_strerror(err));
}
