/* SPDX-License-Identifier: MIT */
/* See lib/os/user.h. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/internal.h"
#include "os/user.h"

char *lb__user_name(uint32_t uid, struct lb__user_cache *uc)
{
	struct passwd pw, *res = NULL;
	char buf[1024], num[16];
	const char *name;
	size_t i;

	for (i = 0; uc && i < uc->n; i++)
		if (uc->uid[i] == uid)
			return strdup(uc->name[i]);
	snprintf(num, sizeof(num), "%u", (unsigned)uid);
	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &res) != 0 || !res || !res->pw_name)
		res = NULL;
	name = res ? res->pw_name : num;
	if (uc && uc->n < LB_ARRAY_SIZE(uc->uid)) {
		char *c = strdup(name);

		if (c) {
			uc->uid[uc->n] = uid;
			uc->name[uc->n++] = c;
		}
	}
	return strdup(name);
}

void lb__user_cache_free(struct lb__user_cache *uc)
{
	size_t i;

	for (i = 0; uc && i < uc->n; i++)
		free(uc->name[i]);
}
