/* SPDX-License-Identifier: MIT */
/* Picking free ports under a lease, and handing over bound sockets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/read-file.h"
#include "ports/lease-internal.h"
#include "ports/pick-internal.h"
#include "os/clock.h"
#include "os/ports.h"
#include "os/sockutil.h"

#define KNOWN_FLAGS LB_PICK_CONTIGUOUS
#define KNOWN_PROTOCOLS (LB_PICK_TCP | LB_PICK_UDP)

/* Add the range picking keeps out of to @set: the ephemeral range, or
 * where it cannot be read the OS's documented default (Windows);
 * nothing where the OS has neither. */
static int exclude_ephemeral(uint8_t *set)
{
	uint16_t ef, el;
	int r = lb__os_ephemeral_range(&ef, &el);

	if (r == LB_ENOTSUP)
		r = lb__os_ephemeral_default(&ef, &el);
	if (r == LB_ENOTSUP)
		return 0;
	if (r < 0)
		return r;
	lb__port_set_add_range(set, ef, el);
	return 0;
}

/* Ports the default range leaves out: the kernel's reserved ports and its
 * ephemeral range; also the lower bound of the default range. */
static int read_exclusions(uint8_t *set, int default_range, uint16_t *ret_default_first)
{
	unsigned long start;
	int r = lb__os_reserved_ports(set);

	if (r < 0 || !default_range)
		return r;
	r = lb__os_unprivileged_start(&start);
	if (r < 0)
		return r;
	*ret_default_first = lb__pick_default_first(start);
	return exclude_ephemeral(set);
}

static int sockaddr_wildcard(int family, uint16_t port, struct sockaddr_storage *ss,
			     socklen_t *ret_len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == 4) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		in->sin_addr.s_addr = htonl(INADDR_ANY);
		*ret_len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		in6->sin6_addr = in6addr_any;
		*ret_len = sizeof(*in6);
	}
	return 0;
}

/* Does @port bind now on the wildcard address of @family (4 or 6)?
 * No SO_REUSEADDR: a port with TIME_WAIT leftovers counts as taken. */
static int probe_bind(int family, unsigned protocol, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, r = 0;

	fd = lb__socket(family == 4 ? AF_INET : AF_INET6,
		    (protocol == LB_PICK_TCP ? SOCK_STREAM : SOCK_DGRAM), 0, 0);
	if (fd < 0)
		return lb__errno_bind_code(lb__sock_errno());
	if (lb__sock_probe_opts(fd, 0) < 0 || (family == 6 && lb__sock_v6only(fd, 1) < 0))
		r = LB_EIO;
	sockaddr_wildcard(family, port, &ss, &len);
	if (r == 0 && bind(fd, (struct sockaddr *)&ss, len) < 0)
		r = lb__errno_bind_code(lb__sock_errno());
	lb__sock_close(fd);
	return r;
}

/* Is IPv6 usable here? Not when the kernel lacks it or it is disabled
 * (net.ipv6.conf.*.disable_ipv6: ::1 is then gone from lo). Reading the
 * setting is cheap; binding ::1 is the portable fallback. */
static int ipv6_usable(void)
{
	struct sockaddr_in6 in6;
	char buf[16];
	size_t len;
	int fd = lb__socket(AF_INET6, SOCK_DGRAM, 0, 0);
	int ok;

	if (fd < 0)
		return 0;
	if (lb__read_small("/proc/sys/net/ipv6/conf/lo/disable_ipv6", buf, sizeof(buf), &len) == 0) {
		lb__sock_close(fd);
		return !(len > 0 && buf[0] == '1');
	}
	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_addr = in6addr_loopback;
	ok = bind(fd, (struct sockaddr *)&in6, sizeof(in6)) == 0;
	lb__sock_close(fd);
	return ok;
}

/* Lease @port on every protocol and check it binds on every family.
 * 0 and the port appended to @lease, or a negative code: LB_ELEASED /
 * LB_EADDRINUSE / LB_EACCES / LB_EADDRNOTAVAIL mean "try another port". */
static int try_port(struct lb_lease *lease, uint16_t port)
{
	int fd[2] = { -1, -1 };
	unsigned proto;
	int r = 0;

	for (proto = LB_PICK_TCP; proto <= LB_PICK_UDP && r == 0; proto <<= 1)
		if (lease->protocols & proto)
			r = lb__lease_take(port, proto, &fd[lb__proto_index(proto)]);
	for (proto = LB_PICK_TCP; proto <= LB_PICK_UDP && r == 0; proto <<= 1) {
		if (!(lease->protocols & proto))
			continue;
		if (lease->family != LB_PICK_FAMILY_IPV6)
			r = probe_bind(4, proto, port);
		if (r == 0 && lease->family != LB_PICK_FAMILY_IPV4)
			r = probe_bind(6, proto, port);
	}
	if (r == 0)
		r = lb__lease_append(lease, port, fd);
	if (r < 0)
		lb__lease_close_pair(fd);
	return r;
}

static int port_is_busy(int r)
{
	return r == LB_ELEASED || r == LB_EADDRINUSE || r == LB_EACCES ||
	       r == LB_EADDRNOTAVAIL;
}

static size_t gcd(size_t a, size_t b)
{
	while (b) {
		size_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Visit the candidates in a random order: from a random start, by a random
 * step coprime with n (so every port once). Unlike a linear scan, parallel
 * pickers do not pile up behind each other's leases. */
static int pick_scattered(struct lb_lease *lease, const uint16_t *cand, size_t n,
			  uint32_t count, size_t attempts)
{
	size_t i, pos = lb__random_u32() % n, step = 1;

	if (n > 2) {
		step = 1 + lb__random_u32() % (n - 1);
		while (gcd(step, n) != 1)
			step = step % (n - 1) + 1;
	}
	for (i = 0; i < attempts && lease->n < count; i++, pos = (pos + step) % n) {
		int r = try_port(lease, cand[pos]);

		if (r < 0 && !port_is_busy(r))
			return r;
	}
	if (lease->n < count)
		return LB_EEXHAUSTED;
	/* Ascending order, as documented for groups. */
	for (i = 1; i < lease->n; i++) {
		struct lb_lease_item it = lease->items[i];
		size_t k = i;

		while (k > 0 && lease->items[k - 1].port > it.port) {
			lease->items[k] = lease->items[k - 1];
			k--;
		}
		lease->items[k] = it;
	}
	return 0;
}

static int pick_contiguous(struct lb_lease *lease, const uint16_t *cand, size_t n,
			   size_t start, uint32_t count, size_t attempts)
{
	size_t tried = 0, i = 0;

	while (tried < attempts && i < n) {
		size_t j = (start + i) % n, k;

		/* cand is ascending and unique: a run iff the spread matches. */
		if (j + count > n || (uint32_t)(cand[j + count - 1] - cand[j]) != count - 1) {
			i++;
			continue;
		}
		for (k = 0; k < count; k++) {
			int r = try_port(lease, cand[j + k]);

			tried++;
			if (r < 0) {
				lb__lease_drop_last(lease, lease->n);
				if (!port_is_busy(r))
					return r;
				break;
			}
		}
		if (lease->n == count)
			return 0;
		i += k + 1; /* no run through the busy port */
	}
	return LB_EEXHAUSTED;
}

LB_EXPORT int lb_port_pick(const lb_pick_options *options, lb_lease **ret_lease)
{
	lb_pick_options o;
	struct lb_lease *lease;
	uint8_t *excluded;
	uint16_t *cand, first, last, default_first = 1024;
	size_t n, attempts;
	int r, default_range;

	lb_return_if(!ret_lease, LB_EINVAL);
	memset(&o, 0, sizeof(o));
	if (options) {
		lb_return_if(options->size < offsetof(lb_pick_options, max_attempts) +
					     sizeof(options->max_attempts), LB_EINVAL);
		memcpy(&o, options, sizeof(o) < options->size ? sizeof(o) : options->size);
	}
	if (o.protocols == 0)
		o.protocols = LB_PICK_TCP;
	if (o.count == 0)
		o.count = 1;
	lb_return_if(o.protocols & ~(unsigned)KNOWN_PROTOCOLS, LB_EINVAL);
	lb_return_if(o.flags & ~(uint32_t)KNOWN_FLAGS, LB_EINVAL);
	lb_return_if(o.family != LB_PICK_FAMILY_BOTH && o.family != LB_PICK_FAMILY_IPV4 &&
		     o.family != LB_PICK_FAMILY_IPV6, LB_EINVAL);
	lb_return_if((o.first == 0) != (o.last == 0) || o.first > o.last, LB_EINVAL);
	default_range = o.first == 0;
	lb_return_if(o.count > 65535 ||
		     (!default_range && o.count > (uint32_t)(o.last - o.first + 1)), LB_EINVAL);

	excluded = calloc(1, LB_PORT_SET_BYTES);
	cand = malloc(65536 * sizeof(*cand));
	lease = calloc(1, sizeof(*lease));
	if (!excluded || !cand || !lease) {
		r = LB_ENOMEM;
		goto out;
	}
	r = read_exclusions(excluded, default_range, &default_first);
	if (r < 0)
		goto out;
	first = default_range ? default_first : o.first;
	last = default_range ? 65535 : o.last;
	n = lb__pick_candidates(first, last, excluded, cand);
	if (n < o.count) {
		r = LB_EEXHAUSTED;
		goto out;
	}
	lease->protocols = o.protocols;
	lease->family = o.family;
	if (o.family != LB_PICK_FAMILY_IPV4 && !ipv6_usable()) {
		lease->family = LB_PICK_FAMILY_IPV4;
		lease->flags |= LB_LEASE_IPV4_ONLY;
	}
	attempts = o.max_attempts ? o.max_attempts : n;
	if (o.flags & LB_PICK_CONTIGUOUS)
		r = pick_contiguous(lease, cand, n, lb__random_u32() % n, o.count, attempts);
	else
		r = pick_scattered(lease, cand, n, o.count, attempts);
	if (r < 0)
		lb__lease_drop_last(lease, lease->n);
out:
	free(excluded);
	free(cand);
	if (r < 0) {
		lb_lease_release(lease);
		return r;
	}
	*ret_lease = lease;
	return 0;
}

LB_EXPORT int lb_lease_listen(const lb_lease *lease, size_t index, unsigned protocol,
			      const lb_addr *addr, int *ret_fd)
{
	struct sockaddr_storage ss;
	socklen_t len;
	lb_addr def;
	int fd, family, r;
	uint16_t port;

	lb_return_if(!lease || index >= lease->n || !ret_fd, LB_EINVAL);
	lb_return_if(lb__proto_index(protocol) < 0 || !(lease->protocols & protocol), LB_EINVAL);
	if (!addr) {
		memset(&def, 0, sizeof(def));
		if (lease->family == LB_PICK_FAMILY_IPV6) {
			def.family = LB_AF_INET6;
			def.bytes[15] = 1;
		} else {
			def.family = LB_AF_INET;
			def.bytes[0] = 127;
			def.bytes[3] = 1;
		}
		addr = &def;
	}
	lb_return_if(addr->family != LB_AF_INET && addr->family != LB_AF_INET6, LB_EINVAL);
	port = lease->items[index].port;
	family = addr->family == LB_AF_INET ? 4 : 6;
	r = lb_addr_to_sockaddr(addr, port, sizeof(ss), (struct sockaddr *)&ss);
	if (r < 0)
		return r;
	len = (socklen_t)r;
	fd = lb__socket(family == 4 ? AF_INET : AF_INET6,
		    (protocol == LB_PICK_TCP ? SOCK_STREAM : SOCK_DGRAM), 0, 0);
	if (fd < 0)
		return lb__errno_bind_code(lb__sock_errno());
	if (lb__sock_server_opts(fd, protocol == LB_PICK_TCP ? SOCK_STREAM : SOCK_DGRAM) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (protocol == LB_PICK_TCP && listen(fd, SOMAXCONN) < 0)) {
		int e = lb__errno_bind_code(lb__sock_errno());

		lb__sock_close(fd);
		return e;
	}
	*ret_fd = fd;
	return 0;
}

int lb__port_is_reserved(uint16_t port)
{
	uint8_t *set = calloc(1, LB_PORT_SET_BYTES);
	uint16_t unused;
	int r;

	if (!set)
		return LB_ENOMEM;
	r = read_exclusions(set, 0, &unused);
	if (r == 0)
		r = lb__port_set_has(set, port) ? 1 : 0;
	free(set);
	return r;
}

int lb__pick_exclusions(uint8_t *set, uint16_t *ret_default_first)
{
	return read_exclusions(set, 1, ret_default_first);
}
