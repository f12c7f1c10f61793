/* SPDX-License-Identifier: MIT */
/*
 * Shared checks of the libFuzzer targets in tests/fuzz: an invariant that
 * does not hold aborts, which libFuzzer reports with the input.
 */
#ifndef LB_FUZZ_COMMON_H
#define LB_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <loopback.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",     \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

/* A rejection must say where (within the input) and why. */
static inline void fuzz_check_error(int r, const lb_parse_error *err, size_t size)
{
	FUZZ_CHECK(r == LB_ESYNTAX || r == LB_ERANGE);
	FUZZ_CHECK(err->code == r);
	FUZZ_CHECK(err->offset <= size);
	FUZZ_CHECK(err->reason != NULL && err->reason[0] != '\0');
}

/* An address formats, the text parses back to the same address, and the
 * text is a fixed point. */
static inline void fuzz_check_addr_round_trip(const lb_addr *a)
{
	char buf[LB_ADDR_STRLEN], buf2[LB_ADDR_STRLEN];
	lb_addr b;
	int n;

	n = lb_addr_format(a, buf, sizeof(buf));
	FUZZ_CHECK(n > 0 && (size_t)n == strlen(buf));
	FUZZ_CHECK(lb_addr_parse(buf, (size_t)n, &b, NULL) == 0);
	FUZZ_CHECK(lb_addr_equal(a, &b) == 1);
	FUZZ_CHECK(lb_addr_format(&b, buf2, sizeof(buf2)) == n);
	FUZZ_CHECK(strcmp(buf, buf2) == 0);
	/* too small by one: LB_ENOSPC, nothing written */
	memset(buf2, '#', sizeof(buf2));
	FUZZ_CHECK(lb_addr_format(a, buf2, (size_t)n) == LB_ENOSPC);
	FUZZ_CHECK(buf2[0] == '#');
	FUZZ_CHECK(lb_addr_classify(a) >= LB_CLASS_UNSPECIFIED &&
		   lb_addr_classify(a) <= LB_CLASS_GLOBAL);
}

/* An endpoint formats and parses back to exactly the same value. */
static inline void fuzz_check_endpoint_round_trip(const lb_endpoint *e)
{
	char buf[LB_ENDPOINT_STRLEN];
	lb_endpoint e2;
	int n;

	n = lb_endpoint_format(e, buf, sizeof(buf));
	FUZZ_CHECK(n > 0 && (size_t)n == strlen(buf));
	FUZZ_CHECK(lb_endpoint_parse(buf, (size_t)n, &e2, NULL) == 0);
	FUZZ_CHECK(memcmp(e, &e2, sizeof(e2)) == 0);
	FUZZ_CHECK(lb_endpoint_format(e, buf, (size_t)n) == LB_ENOSPC);
	if (e->kind == LB_HOST_ADDR)
		fuzz_check_addr_round_trip(&e->addr);
}

#endif
