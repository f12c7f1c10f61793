/* SPDX-License-Identifier: MIT */
/*
 * lb_addr <-> struct sockaddr_in/sockaddr_in6. Kept apart from the pure
 * parser because a named zone needs the system's interface table.
 */
#include <stdio.h>
#include <string.h>

#include "endpoint/endpoint-internal.h"
#include "core/internal.h"
#include "os/net.h"

LB_EXPORT int lb_addr_to_sockaddr(const lb_addr *addr, uint16_t port,
				  size_t sa_size, struct sockaddr *ret_sa)
{
	lb_return_if(!addr || !ret_sa, LB_EINVAL);
	lb_return_if(!lb__addr_valid(addr), LB_EINVAL);

	if (addr->family == LB_AF_INET) {
		struct sockaddr_in sin;

		lb_return_if(sa_size < sizeof(sin), LB_ENOSPC);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		lb__sin_set_len(&sin);
		sin.sin_port = htons(port);
		memcpy(&sin.sin_addr, addr->bytes, 4);
		memset(ret_sa, 0, sa_size);
		memcpy(ret_sa, &sin, sizeof(sin));
		return (int)sizeof(sin);
	} else {
		struct sockaddr_in6 sin6;
		uint32_t scope = 0;

		lb_return_if(sa_size < sizeof(sin6), LB_ENOSPC);
		if (addr->zone[0] && !lb__zone_numeric(addr->zone, &scope)) {
			scope = if_nametoindex(addr->zone);
			if (scope == 0)
				return LB_ENOENT;
		}
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		lb__sin6_set_len(&sin6);
		sin6.sin6_port = htons(port);
		memcpy(&sin6.sin6_addr, addr->bytes, 16);
		sin6.sin6_scope_id = scope;
		memset(ret_sa, 0, sa_size);
		memcpy(ret_sa, &sin6, sizeof(sin6));
		return (int)sizeof(sin6);
	}
}

LB_EXPORT int lb_addr_from_sockaddr(const struct sockaddr *sa, size_t sa_len,
				    lb_addr *ret_addr, uint16_t *ret_port)
{
	struct sockaddr hdr;
	const size_t fam_end = offsetof(struct sockaddr, sa_family) + sizeof(hdr.sa_family);
	int family;
	lb_addr a;
	uint16_t port;

	lb_return_if(!sa || !ret_addr, LB_EINVAL);
	lb_return_if(sa_len < fam_end, LB_EINVAL);
	memset(&hdr, 0, sizeof(hdr));
	memcpy(&hdr, sa, fam_end);
	family = hdr.sa_family;
	memset(&a, 0, sizeof(a));
	if (family == AF_INET) {
		struct sockaddr_in sin;

		lb_return_if(sa_len < sizeof(sin), LB_EINVAL);
		memcpy(&sin, sa, sizeof(sin));
		a.family = LB_AF_INET;
		memcpy(a.bytes, &sin.sin_addr, 4);
		port = ntohs(sin.sin_port);
	} else if (family == AF_INET6) {
		struct sockaddr_in6 sin6;

		lb_return_if(sa_len < sizeof(sin6), LB_EINVAL);
		memcpy(&sin6, sa, sizeof(sin6));
		a.family = LB_AF_INET6;
		memcpy(a.bytes, &sin6.sin6_addr, 16);
		a.scope_id = sin6.sin6_scope_id;
		if (a.scope_id) {
			char name[IF_NAMESIZE];

			/* The interface name when it has one that is a valid
			 * zone, else the number: either parses back. */
			if (if_indextoname(a.scope_id, name) && strlen(name) < LB_ZONE_MAX &&
			    lb__zone_valid(name))
				memcpy(a.zone, name, strlen(name) + 1);
			else
				snprintf(a.zone, sizeof(a.zone), "%lu", (unsigned long)a.scope_id);
		}
		port = ntohs(sin6.sin6_port);
	} else {
		return LB_EAFNOSUPPORT;
	}
	*ret_addr = a;
	if (ret_port)
		*ret_port = port;
	return 0;
}

LB_EXPORT int lb_endpoint_to_sockaddr(const lb_endpoint *endpoint,
				      size_t sa_size, struct sockaddr *ret_sa)
{
	lb_return_if(!endpoint || !ret_sa, LB_EINVAL);
	lb_return_if(endpoint->kind != LB_HOST_ADDR, LB_EINVAL);
	return lb_addr_to_sockaddr(&endpoint->addr, endpoint->port, sa_size, ret_sa);
}

LB_EXPORT int lb_endpoint_from_sockaddr(const struct sockaddr *sa, size_t sa_len,
					lb_endpoint *ret_endpoint)
{
	lb_endpoint e;
	int r;

	lb_return_if(!sa || !ret_endpoint, LB_EINVAL);
	memset(&e, 0, sizeof(e));
	r = lb_addr_from_sockaddr(sa, sa_len, &e.addr, &e.port);
	if (r < 0)
		return r;
	e.kind = LB_HOST_ADDR;
	*ret_endpoint = e;
	return 0;
}
