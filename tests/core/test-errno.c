/* SPDX-License-Identifier: MIT */
/*
 * The library's two errno mappings (lib/core/error.c, declared in
 * lib/core/internal.h), pinned: every errno with a meaning of its own,
 * and what everything else becomes. Every file that turns an errno into
 * an LB_E* code goes through these, so this is what errno means to the
 * library everywhere.
 */
#include <errno.h>

#include "lb-test.h"
#include "core/internal.h"

struct errno_case {
	int e;
	const char *name;
	int code;
};

#define E(e, code) { e, #e, code }

/* lb__errno_code(): reading, opening, asking the kernel. */
static const struct errno_case general[] = {
	E(ENOENT, LB_ENOENT),
	E(ENOTDIR, LB_ENOENT),
	E(ESRCH, LB_ENOENT),
	E(EACCES, LB_EPERM),
	E(EPERM, LB_EPERM),
	E(ENOMEM, LB_ENOMEM),
	E(ENOBUFS, LB_ENOMEM),
	E(EMFILE, LB_EMFILE),
	E(ENFILE, LB_EMFILE),
	/* Anything else is LB_EIO, including what a caller must handle
	 * first when it means more there. */
	E(EIO, LB_EIO),
	E(EINVAL, LB_EIO),
	E(EINTR, LB_EIO),
	E(EAGAIN, LB_EIO),
	E(EBADF, LB_EIO),
	E(ELOOP, LB_EIO),
	E(ENOSYS, LB_EIO),
	E(EADDRINUSE, LB_EIO),
	E(EADDRNOTAVAIL, LB_EIO),
	E(EAFNOSUPPORT, LB_EIO),
	E(EPROTONOSUPPORT, LB_EIO),
	E(0, LB_EIO),
};

/* lb__errno_bind_code(): the errno of bind() or socket(). */
static const struct errno_case bind_ctx[] = {
	E(EADDRINUSE, LB_EADDRINUSE),
	E(EADDRNOTAVAIL, LB_EADDRNOTAVAIL),
	E(EACCES, LB_EACCES),
	E(EPERM, LB_EACCES),
	E(EAFNOSUPPORT, LB_EAFNOSUPPORT),
	E(EPROTONOSUPPORT, LB_EAFNOSUPPORT),
	/* The rest as lb__errno_code(). */
	E(ENOENT, LB_ENOENT),
	E(ENOTDIR, LB_ENOENT),
	E(ESRCH, LB_ENOENT),
	E(ENOMEM, LB_ENOMEM),
	E(ENOBUFS, LB_ENOMEM),
	E(EMFILE, LB_EMFILE),
	E(ENFILE, LB_EMFILE),
	E(EIO, LB_EIO),
	E(EINVAL, LB_EIO),
	E(0, LB_EIO),
};

static void check_cases(const struct errno_case *c, size_t n, int (*map)(int), const char *fn)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(map(c[i].e) == c[i].code, "%s(%s) is %s, not %s", fn, c[i].name,
			      lb_error_name(map(c[i].e)), lb_error_name(c[i].code));
}

START_TEST(test_errno_code)
{
	check_cases(general, sizeof(general) / sizeof(general[0]), lb__errno_code,
		    "lb__errno_code");
}
END_TEST

START_TEST(test_errno_bind_code)
{
	check_cases(bind_ctx, sizeof(bind_ctx) / sizeof(bind_ctx[0]), lb__errno_bind_code,
		    "lb__errno_bind_code");
}
END_TEST

/* Outside its six errnos, the bind mapping is the general one; and every
 * answer of either is an LB_E* code with a name, never 0 or an errno. */
START_TEST(test_errno_bind_falls_back)
{
	int e;

	for (e = -1; e < 512; e++) {
		int g = lb__errno_code(e), b = lb__errno_bind_code(e);

		ck_assert_msg(g < 0 && lb_error_name(g), "lb__errno_code(%d) = %d", e, g);
		ck_assert_msg(b < 0 && lb_error_name(b), "lb__errno_bind_code(%d) = %d", e, b);
		if (e == EADDRINUSE || e == EADDRNOTAVAIL || e == EACCES || e == EPERM ||
		    e == EAFNOSUPPORT || e == EPROTONOSUPPORT)
			continue;
		ck_assert_msg(b == g, "errno %d: bind %s, general %s", e, lb_error_name(b),
			      lb_error_name(g));
	}
}
END_TEST

static Suite *errno_suite(void)
{
	Suite *s = suite_create("errno");
	TCase *tc = tcase_create("mappings");

	tcase_add_test(tc, test_errno_code);
	tcase_add_test(tc, test_errno_bind_code);
	tcase_add_test(tc, test_errno_bind_falls_back);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(errno_suite)
