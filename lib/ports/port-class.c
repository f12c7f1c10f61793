/* SPDX-License-Identifier: MIT */
/*
 * Classification of ports (RFC 6335) and whether a port is in this host's
 * ephemeral range (lib/ports/port-range.c): the port.h side of what was
 * lib/endpoint/classify.c, so that the endpoint module calls nothing of
 * the ports module.
 */
#include "core/internal.h"

LB_EXPORT int lb_port_classify(uint16_t port)
{
	if (port == 0)
		return LB_PORT_ZERO;
	if (port < 1024)
		return LB_PORT_WELL_KNOWN;
	if (port < 49152)
		return LB_PORT_REGISTERED;
	return LB_PORT_DYNAMIC;
}

LB_EXPORT const char *lb_port_class_name(int cls)
{
	switch (cls) {
	case LB_PORT_ZERO: return "zero";
	case LB_PORT_WELL_KNOWN: return "well-known";
	case LB_PORT_REGISTERED: return "registered";
	case LB_PORT_DYNAMIC: return "dynamic";
	default: return NULL;
	}
}

LB_EXPORT int lb_port_is_ephemeral(uint16_t port)
{
	uint16_t first, last;
	int r = lb_port_ephemeral_range(&first, &last);

	if (r < 0)
		return r;
	return port >= first && port <= last;
}
