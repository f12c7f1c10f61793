/* SPDX-License-Identifier: MIT */
/* Wait until an address accepts connections, or is free to bind. */
#include <string.h>

#include "internal.h"
#include "sockutil.h"

static int64_t now_ms(void)
{
	return lb__now_ns() / 1000000;
}

/* 1 connected, 0 not (refused, unreachable, timed out), or an error. */
static int try_connect(const lb_addr *addr, uint16_t port, int budget_ms)
{
	struct sockaddr_storage ss;
	int len, fd, r;

	len = lb_addr_to_sockaddr(addr, port, sizeof(ss), (struct sockaddr *)&ss);
	if (len < 0)
		return len;
	fd = lb__socket(addr->family == LB_AF_INET ? AF_INET : AF_INET6,
		    SOCK_STREAM, 0, 1);
	if (fd < 0)
		return LB_EIO;
	r = lb__sock_connect(fd, (struct sockaddr *)&ss, len, budget_ms);
	lb__sock_close(fd);
	return r;
}

static int is_free(const lb_addr *addr, uint16_t port)
{
	lb_check *c = NULL;
	int r = lb_check_bind(addr, port, LB_PICK_TCP, &c);

	if (r < 0)
		return r;
	r = lb_check_reason(c) == LB_CHECK_BINDABLE;
	lb_check_free(c);
	return r;
}

LB_EXPORT int lb_wait(const lb_addr *addr, uint16_t port, int condition, uint32_t timeout_ms)
{
	int64_t deadline;

	lb_return_if(!addr || port == 0, LB_EINVAL);
	lb_return_if(addr->family != LB_AF_INET && addr->family != LB_AF_INET6, LB_EINVAL);
	lb_return_if(condition != LB_WAIT_ACCEPTING && condition != LB_WAIT_FREE, LB_EINVAL);
	deadline = now_ms() + timeout_ms;
	for (;;) {
		int64_t left = deadline - now_ms();
		int r;

		if (condition == LB_WAIT_ACCEPTING)
			r = try_connect(addr, port, left > 1000 ? 1000 : left < 0 ? 0 : (int)left);
		else
			r = is_free(addr, port);
		if (r < 0)
			return r;
		if (r > 0)
			return 0;
		left = deadline - now_ms();
		if (left <= 0)
			return LB_ETIMEDOUT;
		lb__sleep_ms(left < 50 ? (unsigned)left : 50);
	}
}
