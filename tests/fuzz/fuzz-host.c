/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lb_host_parse(): never crashes, a rejection has an
 * offset inside the input, a name is kept exactly as given, an address
 * round-trips, and host + ":1" is an endpoint with the same host.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	lb_parse_error err;
	lb_endpoint h, e;
	char buf[LB_ENDPOINT_STRLEN];
	int r, n;

	r = lb_host_parse(text, size, &h, &err);
	if (r < 0) {
		fuzz_check_error(r, &err, size);
		return 0;
	}
	FUZZ_CHECK(h.port == 0);
	if (h.kind == LB_HOST_NAME) {
		FUZZ_CHECK(strlen(h.name) == size && memcmp(h.name, data, size) == 0);
		FUZZ_CHECK(lb_endpoint_classify(&h) == LB_CLASS_NAME ||
			   lb_endpoint_classify(&h) == LB_CLASS_LOCALHOST_NAME);
	} else {
		FUZZ_CHECK(h.kind == LB_HOST_ADDR);
		fuzz_check_addr_round_trip(&h.addr);
	}
	h.port = 1;
	fuzz_check_endpoint_round_trip(&h);
	n = lb_endpoint_format(&h, buf, sizeof(buf));
	FUZZ_CHECK(lb_endpoint_parse(buf, (size_t)n, &e, NULL) == 0);
	FUZZ_CHECK(memcmp(&e, &h, sizeof(e)) == 0);
	return 0;
}
