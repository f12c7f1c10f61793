/* SPDX-License-Identifier: MIT */
#include "core/internal.h"

LB_EXPORT const char *lb_version(void)
{
	return LB_VERSION_STRING;
}

LB_EXPORT unsigned long lb_version_number(void)
{
	return LB_VERSION_NUMBER;
}
