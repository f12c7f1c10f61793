/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lb_endpoint_parse(): never crashes, a rejection has
 * an offset inside the input, an accepted endpoint formats and parses back
 * to the same value, and its host alone parses with lb_host_parse().
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	lb_parse_error err;
	lb_endpoint e, h;
	int r;

	r = lb_endpoint_parse(text, size, &e, &err);
	if (r < 0) {
		fuzz_check_error(r, &err, size);
		return 0;
	}
	fuzz_check_endpoint_round_trip(&e);
	FUZZ_CHECK(e.kind == LB_HOST_ADDR || e.kind == LB_HOST_NAME);
	/* the host is everything before the last ':' */
	{
		const char *colon = NULL;
		size_t i;

		for (i = size; i > 0; i--)
			if (text[i - 1] == ':') {
				colon = text + i - 1;
				break;
			}
		FUZZ_CHECK(colon != NULL);
		FUZZ_CHECK(lb_host_parse(text, (size_t)(colon - text), &h, NULL) == 0);
		FUZZ_CHECK(h.kind == e.kind);
		if (e.kind == LB_HOST_ADDR)
			FUZZ_CHECK(lb_addr_equal(&h.addr, &e.addr) == 1);
		else
			FUZZ_CHECK(strcmp(h.name, e.name) == 0);
	}
	return 0;
}
