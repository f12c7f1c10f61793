/* SPDX-License-Identifier: MIT */
/* A set of ports: one bit per port 0..65535 (lib/ports/port-set.c). */
#ifndef LB_PORT_SET_H
#define LB_PORT_SET_H

#include <stdint.h>

#define LB_PORT_SET_BYTES 8192
#define lb__port_set_has(set, p) (((set)[(p) >> 3] >> ((p) & 7)) & 1)
#define lb__port_set_add(set, p) ((set)[(p) >> 3] |= (uint8_t)(1u << ((p) & 7)))

/* Add the ports @first..@last (at most 65535; none if @first > @last) to @set. */
void lb__port_set_add_range(uint8_t *set, unsigned long first, unsigned long last);

#endif /* LB_PORT_SET_H */
