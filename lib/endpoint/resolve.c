/* SPDX-License-Identifier: MIT */
/*
 * lb_resolve(): what the system resolver makes of a host name, in its
 * order. The parsing of the name itself is lib/endpoint/endpoint.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "endpoint/endpoint-internal.h"
#include "core/internal.h"
#include "os/net.h"

struct lb_addr_list {
	size_t count;
	lb_addr addrs[];
};

static int list_new(size_t cap, lb_addr_list **ret)
{
	lb_addr_list *l = calloc(1, sizeof(*l) + cap * sizeof(lb_addr));

	if (!l)
		return LB_ENOMEM;
	*ret = l;
	return 0;
}

static int gai_to_lb(int e)
{
	switch (e) {
	case EAI_MEMORY:
		return LB_ENOMEM;
#ifdef EAI_FAMILY
	case EAI_FAMILY:
		return LB_EAFNOSUPPORT;
#endif
	default:
		return LB_ERESOLVE;
	}
}

/* Ask getaddrinfo() about @name and keep its order, without duplicates. */
static int resolve_name(const char *name, int family, lb_addr_list **ret_list)
{
	struct addrinfo hints, *res = NULL, *ai;
	lb_addr_list *l;
	size_t n = 0;
	int r;

	r = lb__net_init(); /* the caller need not have called WSAStartup() */
	if (r < 0)
		return r;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family == LB_AF_INET ? AF_INET :
			  family == LB_AF_INET6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	r = getaddrinfo(name, NULL, &hints, &res);
	if (r != 0)
		return gai_to_lb(r);
	for (ai = res; ai; ai = ai->ai_next)
		n++;
	r = list_new(n, &l);
	if (r < 0) {
		freeaddrinfo(res);
		return r;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		lb_addr a;
		size_t i;

		if (lb_addr_from_sockaddr(ai->ai_addr, ai->ai_addrlen, &a, NULL) < 0)
			continue;
		for (i = 0; i < l->count; i++)
			if (lb_addr_equal(&l->addrs[i], &a) == 1)
				break;
		if (i == l->count)
			l->addrs[l->count++] = a;
	}
	freeaddrinfo(res);
	if (l->count == 0) {
		free(l);
		return LB_ERESOLVE;
	}
	*ret_list = l;
	return 0;
}

LB_EXPORT int lb_resolve(const char *host, size_t len, int family,
			 lb_addr_list **ret_list)
{
	lb_endpoint h;
	lb_addr_list *l;
	int r;

	lb_return_if(!host || !ret_list, LB_EINVAL);
	lb_return_if(family != LB_AF_NONE && family != LB_AF_INET && family != LB_AF_INET6,
		     LB_EINVAL);
	r = lb_host_parse(host, len, &h, NULL);
	if (r < 0)
		return r;
	if (h.kind == LB_HOST_NAME)
		return resolve_name(h.name, family, ret_list);
	if (family != LB_AF_NONE && h.addr.family != family)
		return LB_ERESOLVE;
	r = list_new(1, &l);
	if (r < 0)
		return r;
	l->addrs[0] = h.addr;
	l->count = 1;
	*ret_list = l;
	return 0;
}

LB_EXPORT size_t lb_addr_list_count(const lb_addr_list *list)
{
	return list ? list->count : 0;
}

LB_EXPORT int lb_addr_list_addr(const lb_addr_list *list, size_t index, lb_addr *ret_addr)
{
	lb_return_if(!list || !ret_addr, LB_EINVAL);
	lb_return_if(index >= list->count, LB_ERANGE);
	*ret_addr = list->addrs[index];
	return 0;
}

LB_EXPORT void lb_addr_list_free(lb_addr_list *list)
{
	free(list);
}
