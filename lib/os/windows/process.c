/* SPDX-License-Identifier: MIT */
/* The Windows side of lib/os/process.h: OpenProcess. */
#ifdef _WIN32
#include <stdint.h>
#include <windows.h>

#include "core/internal.h"
#include "os/process.h"

int lb__process_alive(uint32_t pid)
{
	HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
	DWORD code = 0;
	int r;

	if (!h)
		return GetLastError() == ERROR_ACCESS_DENIED ? 0 : LB_ENOENT;
	/* An exited process lives on while handles to it are open. */
	r = GetExitCodeProcess(h, &code) && code != STILL_ACTIVE ? LB_ENOENT : 0;
	CloseHandle(h);
	return r;
}
#endif /* _WIN32 */
