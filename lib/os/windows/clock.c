/* SPDX-License-Identifier: MIT */
/* The Windows side of lib/os/clock.h: QueryPerformanceCounter, Sleep,
 * rand_s. */
#ifdef _WIN32
#define _CRT_RAND_S /* rand_s() */
#include <stdint.h>
#include <stdlib.h>
#include <windows.h>

#include "os/clock.h"

int64_t lb__now_ns(void)
{
	LARGE_INTEGER freq, now;

	QueryPerformanceFrequency(&freq); /* never fails since Windows XP */
	QueryPerformanceCounter(&now);
	return (int64_t)(now.QuadPart / freq.QuadPart) * 1000000000 +
	       (int64_t)(now.QuadPart % freq.QuadPart) * 1000000000 / freq.QuadPart;
}

void lb__sleep_ms(unsigned ms)
{
	Sleep(ms);
}

uint32_t lb__random_u32(void)
{
	unsigned int v = 0;

	/* rand_s: RtlGenRandom, no seeding, thread-safe. */
	if (rand_s(&v) == 0)
		return v;
	return (uint32_t)GetTickCount() ^ ((uint32_t)GetCurrentProcessId() << 16);
}
#endif /* _WIN32 */
