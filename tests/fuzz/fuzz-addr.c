/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lb_addr_parse(): never crashes, a rejection has an
 * offset inside the input, an accepted address round-trips through
 * lb_addr_format(), and without a zone the verdict and the bytes agree
 * with the C library's inet_pton() (glibc: strict decimal IPv4 too).
 */
#include <arpa/inet.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	lb_parse_error err;
	lb_addr a;
	char cstr[128];
	int r;

	r = lb_addr_parse(text, size, &a, &err);
	if (r < 0)
		fuzz_check_error(r, &err, size);
	else
		fuzz_check_addr_round_trip(&a);

	/* differential check against inet_pton() on inputs it can take */
	if (size < sizeof(cstr) && !memchr(data, '\0', size) && !memchr(data, '%', size)) {
		unsigned char bin[16];
		int af = memchr(data, ':', size) ? AF_INET6 : AF_INET;
		int p;

		memcpy(cstr, data, size);
		cstr[size] = '\0';
		p = inet_pton(af, cstr, bin);
		FUZZ_CHECK((p == 1) == (r == 0));
		if (p == 1)
			FUZZ_CHECK(memcmp(bin, a.bytes, af == AF_INET ? 4 : 16) == 0);
	}
	return 0;
}
