/* SPDX-License-Identifier: MIT */
/* Helpers for the Windows-only suites. */
#ifndef LB_WIN_UTIL_H
#define LB_WIN_UTIL_H

#include <windows.h>

/* Whether we run under wine (which exports wine_get_version from ntdll):
 * used only to skip the assertions wine cannot satisfy, never a suite. */
static inline int lb_win_is_wine(void)
{
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");

	return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

#endif
