/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for the subset of Check (https://libcheck.github.io/check/)
 * that the suites use, for Windows builds (tests/os/windows) and the macOS
 * link check (scripts/test.d/cross-macos.sh): Check is not packaged for
 * mingw-w64. Same macros and functions, so the suites (tests/<area>/test-*.c)
 * compile unchanged; one process, no fork: a failed assertion longjmps out of
 * the test. Results go to stdout and, with srunner_set_tap(), one TAP
 * line per test case into a file, as Check does.
 *
 * Extension for Windows-only suites: lb_ck_skip("why") ends the current
 * test as "ok N - name # SKIP why" (used for what wine cannot do).
 */
#ifndef LB_WIN_CHECK_H
#define LB_WIN_CHECK_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
/* POSIX setenv/unsetenv, which suites use and the Windows C library lacks. */
static inline int setenv(const char *name, const char *value, int overwrite)
{
	if (!overwrite && getenv(name))
		return 0;
	return _putenv_s(name, value) == 0 ? 0 : -1;
}

static inline int unsetenv(const char *name)
{
	return _putenv_s(name, "") == 0 ? 0 : -1;
}
#endif

#define CK_NORMAL 0
#define CK_VERBOSE 1

typedef struct TTest {
	const char *name;
	void (*fn)(int);
	const char *file;
	int line;
} TTest;

struct lb_ck_entry {
	const TTest *test;
	int start, end;
};

typedef struct TCase {
	const char *name;
	struct lb_ck_entry *tests;
	size_t n;
	void (*setup)(void);
	void (*teardown)(void);
} TCase;

typedef struct Suite {
	const char *name;
	TCase **tcases;
	size_t n;
} Suite;

typedef struct SRunner {
	Suite *suite;
	char *tap_path;
	int failed;
} SRunner;

/* The test running now: single-threaded, one at a time. */
static jmp_buf lb_ck_jmp;
static char lb_ck_msg[1024];

#define START_TEST(name)                                                     \
	static void name##_fn(int _i);                                       \
	static const TTest name##_ttest = { #name, name##_fn, __FILE__, __LINE__ }; \
	static const TTest *name = &name##_ttest;                            \
	static void name##_fn(int _i)
#define END_TEST

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
/* Called with the assertion text, then an optional printf format and its
 * arguments, then NULL (as Check's _ck_assert_failed). */
static inline void lb_ck_failed(const char *file, int line, const char *expr, ...)
{
	va_list ap;
	const char *fmt;
	int n;

	n = snprintf(lb_ck_msg, sizeof(lb_ck_msg), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(lb_ck_msg))
		n = 0;
	va_start(ap, expr);
	fmt = va_arg(ap, const char *);
	if (fmt)
		vsnprintf(lb_ck_msg + n, sizeof(lb_ck_msg) - (size_t)n, fmt, ap);
	else
		snprintf(lb_ck_msg + n, sizeof(lb_ck_msg) - (size_t)n, "%s", expr);
	va_end(ap);
	longjmp(lb_ck_jmp, 1);
}

static inline void lb_ck_skip_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lb_ck_msg, sizeof(lb_ck_msg), fmt, ap);
	va_end(ap);
	longjmp(lb_ck_jmp, 2);
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#define lb_ck_skip(...) lb_ck_skip_(__VA_ARGS__)

#define ck_assert_msg(expr, ...)                                                      \
	((expr) ? (void)0                                                             \
		: lb_ck_failed(__FILE__, __LINE__, "Assertion '" #expr "' failed", \
			       ##__VA_ARGS__, NULL))
#define ck_assert(expr) ck_assert_msg(expr, NULL)
#define ck_abort_msg(...) lb_ck_failed(__FILE__, __LINE__, "Failed", ##__VA_ARGS__, NULL)
#define ck_abort() ck_abort_msg(NULL)
#define mark_point() ((void)0)

#define lb_ck_cmp(T, PRI, X, OP, Y)                                              \
	do {                                                                      \
		T lb_x_ = (X), lb_y_ = (Y);                                       \
		ck_assert_msg(lb_x_ OP lb_y_,                                     \
			      "Assertion '%s' failed: %s == %" PRI ", %s == %" PRI, \
			      #X " " #OP " " #Y, #X, lb_x_, #Y, lb_y_);             \
	} while (0)

#define ck_assert_int_eq(X, Y) lb_ck_cmp(intmax_t, PRIdMAX, X, ==, Y)
#define ck_assert_int_ne(X, Y) lb_ck_cmp(intmax_t, PRIdMAX, X, !=, Y)
#define ck_assert_int_lt(X, Y) lb_ck_cmp(intmax_t, PRIdMAX, X, <, Y)
#define ck_assert_int_le(X, Y) lb_ck_cmp(intmax_t, PRIdMAX, X, <=, Y)
#define ck_assert_int_gt(X, Y) lb_ck_cmp(intmax_t, PRIdMAX, X, >, Y)
#define ck_assert_int_ge(X, Y) lb_ck_cmp(intmax_t, PRIdMAX, X, >=, Y)
#define ck_assert_uint_eq(X, Y) lb_ck_cmp(uintmax_t, PRIuMAX, X, ==, Y)
#define ck_assert_uint_ne(X, Y) lb_ck_cmp(uintmax_t, PRIuMAX, X, !=, Y)
#define ck_assert_uint_lt(X, Y) lb_ck_cmp(uintmax_t, PRIuMAX, X, <, Y)
#define ck_assert_uint_le(X, Y) lb_ck_cmp(uintmax_t, PRIuMAX, X, <=, Y)
#define ck_assert_uint_gt(X, Y) lb_ck_cmp(uintmax_t, PRIuMAX, X, >, Y)
#define ck_assert_uint_ge(X, Y) lb_ck_cmp(uintmax_t, PRIuMAX, X, >=, Y)

#define lb_ck_ptr(X, OP, Y)                                                     \
	do {                                                                     \
		const void *lb_x_ = (X), *lb_y_ = (Y);                           \
		ck_assert_msg(lb_x_ OP lb_y_, "Assertion '%s' failed: %s == %p, %s == %p", \
			      #X " " #OP " " #Y, #X, lb_x_, #Y, lb_y_);          \
	} while (0)
#define ck_assert_ptr_eq(X, Y) lb_ck_ptr(X, ==, Y)
#define ck_assert_ptr_ne(X, Y) lb_ck_ptr(X, !=, Y)
#define ck_assert_ptr_null(X) lb_ck_ptr(X, ==, NULL)
#define ck_assert_ptr_nonnull(X) lb_ck_ptr(X, !=, NULL)

#define lb_ck_str(X, OP, Y)                                                        \
	do {                                                                        \
		const char *lb_x_ = (X), *lb_y_ = (Y);                              \
		ck_assert_msg(lb_x_ && lb_y_ && strcmp(lb_x_, lb_y_) OP 0,          \
			      "Assertion '%s' failed: %s == \"%s\", %s == \"%s\"",  \
			      #X " " #OP " " #Y, #X, lb_x_ ? lb_x_ : "(null)", #Y, \
			      lb_y_ ? lb_y_ : "(null)");                            \
	} while (0)
#define ck_assert_str_eq(X, Y) lb_ck_str(X, ==, Y)
#define ck_assert_str_ne(X, Y) lb_ck_str(X, !=, Y)

#define ck_assert_mem_eq(X, Y, L) \
	ck_assert_msg(memcmp((X), (Y), (L)) == 0, "Assertion '%s' failed", #X " == " #Y)

static inline Suite *suite_create(const char *name)
{
	Suite *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->name = name;
	return s;
}

static inline TCase *tcase_create(const char *name)
{
	TCase *tc = calloc(1, sizeof(*tc));

	if (!tc)
		abort();
	tc->name = name;
	return tc;
}

static inline void suite_add_tcase(Suite *s, TCase *tc)
{
	TCase **v = realloc(s->tcases, (s->n + 1) * sizeof(*v));

	if (!v)
		abort();
	s->tcases = v;
	s->tcases[s->n++] = tc;
}

static inline void tcase_add_loop_test(TCase *tc, const TTest *t, int start, int end)
{
	struct lb_ck_entry *v = realloc(tc->tests, (tc->n + 1) * sizeof(*v));

	if (!v)
		abort();
	tc->tests = v;
	tc->tests[tc->n].test = t;
	tc->tests[tc->n].start = start;
	tc->tests[tc->n].end = end;
	tc->n++;
}

#define tcase_add_test(tc, t) tcase_add_loop_test((tc), (t), 0, 1)

static inline void tcase_add_checked_fixture(TCase *tc, void (*setup)(void),
					     void (*teardown)(void))
{
	tc->setup = setup;
	tc->teardown = teardown;
}

static inline void tcase_set_timeout(TCase *tc, double seconds)
{
	(void)tc;
	(void)seconds; /* meson's test timeout covers the whole program */
}

static inline SRunner *srunner_create(Suite *s)
{
	SRunner *sr = calloc(1, sizeof(*sr));

	if (!sr)
		abort();
	sr->suite = s;
	return sr;
}

static inline void srunner_set_tap(SRunner *sr, const char *path)
{
	free(sr->tap_path);
	sr->tap_path = strdup(path);
}

/* Run one case; returns 0 passed, 1 failed, 2 skipped. The volatile
 * keeps the fixture state sane across longjmp. */
static inline int lb_ck_run_one(TCase *tc, const TTest *t, int i)
{
	volatile int r;

	lb_ck_msg[0] = '\0';
	r = setjmp(lb_ck_jmp);
	if (r == 0) {
		if (tc->setup)
			tc->setup();
		t->fn(i);
	}
	if (tc->teardown)
		tc->teardown();
	return r;
}

static inline void srunner_run_all(SRunner *sr, int mode)
{
	FILE *tap = NULL;
	size_t c, k;
	int n = 0, i;

	(void)mode;
	if (sr->tap_path) {
		tap = fopen(sr->tap_path, "w");
		if (!tap)
			fprintf(stderr, "cannot write %s\n", sr->tap_path);
	}
	for (c = 0; c < sr->suite->n; c++) {
		TCase *tc = sr->suite->tcases[c];

		for (k = 0; k < tc->n; k++) {
			const TTest *t = tc->tests[k].test;

			for (i = tc->tests[k].start; i < tc->tests[k].end; i++) {
				int r = lb_ck_run_one(tc, t, i);
				char line[1400];

				n++;
				if (r == 0)
					snprintf(line, sizeof(line), "ok %d - %s:%s:%s:%d", n,
						 sr->suite->name, tc->name, t->name, i);
				else if (r == 2)
					snprintf(line, sizeof(line), "ok %d - %s:%s:%s:%d # SKIP %s", n,
						 sr->suite->name, tc->name, t->name, i, lb_ck_msg);
				else
					snprintf(line, sizeof(line), "not ok %d - %s:%s:%s:%d: %s", n,
						 sr->suite->name, tc->name, t->name, i, lb_ck_msg);
				if (r == 1)
					sr->failed++;
				puts(line);
				if (tap)
					fprintf(tap, "%s\n", line);
			}
		}
	}
	printf("1..%d\n", n);
	if (tap) {
		fprintf(tap, "1..%d\n", n);
		fclose(tap);
	}
	fflush(stdout);
}

static inline int srunner_ntests_failed(SRunner *sr)
{
	return sr->failed;
}

static inline void srunner_free(SRunner *sr)
{
	size_t c;

	if (!sr)
		return;
	for (c = 0; c < sr->suite->n; c++) {
		free(sr->suite->tcases[c]->tests);
		free(sr->suite->tcases[c]);
	}
	free(sr->suite->tcases);
	free(sr->suite);
	free(sr->tap_path);
	free(sr);
}

#endif /* LB_WIN_CHECK_H */
