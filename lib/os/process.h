/* SPDX-License-Identifier: MIT */
/*
 * One process, looked at from outside: is it alive, what is it called.
 * lib/os/linux/process.c (kill() and /proc), lib/os/posix/process.c (other
 * POSIX systems: kill()), lib/os/windows/process.c (OpenProcess).
 */
#ifndef LB_OS_PROCESS_H
#define LB_OS_PROCESS_H

#include <stddef.h>
#include <stdint.h>

/* 0 while process @pid runs, LB_ENOENT once it has exited (a zombie
 * counts as exited: it waits to be reaped and will never listen again) or
 * never existed. POSIX: kill(pid, 0) and, on Linux, the state in
 * /proc/PID/stat; Windows: OpenProcess and GetExitCodeProcess (a process
 * it may not open still exists). */
int lb__process_alive(uint32_t pid);

#endif /* LB_OS_PROCESS_H */
