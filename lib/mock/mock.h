/* SPDX-License-Identifier: MIT */
#ifndef LB_BACKEND_MOCK_H
#define LB_BACKEND_MOCK_H

#include <stddef.h>

#include "sockets/backend.h"

/* A parsed fixture: sockets, and owners keyed by socket inode. */
struct lb__mock_owner {
	uint64_t inode;
	struct lb_owner *owner;
};

struct lb__mock {
	struct lb__sockvec socks;
	struct lb__mock_owner *owners;
	size_t n_owners, cap_owners;
};

/* Parse a fixture (format in lib/mock/mock.c and loopback(1)). Pure.
 * Returns 0, LB_EBADDATA with *ret_line set to the 1-based bad line, or
 * LB_ENOMEM. */
int lb__mock_parse(const char *text, size_t len, struct lb__mock **ret_mock, size_t *ret_line);
void lb__mock_free(struct lb__mock *m);

#endif
