/* SPDX-License-Identifier: MIT */
/*
 * Shared main() for the Check suites: every test case is one TAP line on
 * stdout, so meson (protocol: 'tap' in tests/meson.build) counts each
 * case, and a failed case says where and why on its "not ok" line.
 *
 * And the ports of the tests: every live socket of a test binds a port
 * leased from the library (lb_test_lease()), never port 0 (the kernel's
 * ephemeral range, where any program's outgoing connections and their
 * TIME-WAIT leftovers live) nor a fixed port (which another checkout
 * running the same suite would take too).
 */
#ifndef LB_TEST_H
#define LB_TEST_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <loopback.h>

/*
 * lb_test_lease - ports for a test, from the library
 * @protocols: LB_PICK_TCP, LB_PICK_UDP or both (0: both)
 * @family: LB_PICK_FAMILY_IPV4, _IPV6 or _BOTH (0)
 * @count: how many ports (0: 1)
 *
 * Picks @count ports outside the ephemeral range that bind on @protocols
 * and @family now, and leases them: no other libloopback picker (another
 * checkout running the suite at the same time) is given them until the
 * test releases the lease with lb_lease_release() at its end. Fails the
 * test when no port can be had. A child forked while the lease is held
 * holds it too (lb_check_bind() then reports the port as leased by the
 * child): a child that should not hold it calls lb_lease_release() on its
 * copy first, which closes only its own descriptors.
 */
static inline lb_lease *lb_test_lease(unsigned protocols, int family, uint32_t count)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;
	int r;

	o.protocols = protocols ? protocols : LB_PICK_TCP | LB_PICK_UDP;
	o.family = family;
	o.count = count;
	r = lb_port_pick(&o, &l);
	ck_assert_msg(r == 0, "no port leased for the test: %s", lb_strerror(r));
	return l;
}

/* lb_test_port - one port (TCP and UDP, IPv4 and IPv6) leased for the
 * test; *@ret_lease is released with lb_lease_release() at its end. */
static inline uint16_t lb_test_port(lb_lease **ret_lease)
{
	*ret_lease = lb_test_lease(0, 0, 1);
	return lb_lease_port(*ret_lease, 0);
}

static inline int lb_test_main(Suite *s, const char *argv0)
{
	SRunner *sr;
	int failed;

	(void)argv0;
	sr = srunner_create(s);
#ifndef LB_WIN_CHECK_H
	/* Check: "-" is stdout; its own console report would only repeat
	 * the TAP lines (tests/standin/check.h prints TAP to stdout anyway). */
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
#else
	srunner_run_all(sr, CK_NORMAL);
#endif
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#define LB_TEST_MAIN(suite_fn)                              \
	int main(int argc, char **argv)                     \
	{                                                   \
		(void)argc;                                 \
		return lb_test_main((suite_fn)(), argv[0]); \
	}

#endif /* LB_TEST_H */
