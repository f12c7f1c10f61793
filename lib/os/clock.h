/* SPDX-License-Identifier: MIT */
/*
 * Time and randomness, one interface for every OS: lib/os/posix/clock.c
 * and lib/os/windows/clock.c. For picking (a random start) and waiting
 * (deadlines, polling).
 */
#ifndef LB_OS_CLOCK_H
#define LB_OS_CLOCK_H

#include <stdint.h>

/* Monotonic clock in nanoseconds, and a sleep. */
int64_t lb__now_ns(void);
void lb__sleep_ms(unsigned ms);

/* 32 random bits: the OS's generator, else clock and pid mixed. */
uint32_t lb__random_u32(void);

#endif /* LB_OS_CLOCK_H */
