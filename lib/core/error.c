/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "core/internal.h"

struct lb_error_desc {
	int code;
	const char *name;
	const char *text;
};

static const struct lb_error_desc lb_errors[] = {
	{ LB_OK, "LB_OK", "Success" },
	{ LB_EINVAL, "LB_EINVAL", "Invalid argument" },
	{ LB_ENOMEM, "LB_ENOMEM", "Out of memory" },
	{ LB_ESYNTAX, "LB_ESYNTAX", "Malformed input" },
	{ LB_ERANGE, "LB_ERANGE", "Value out of range" },
	{ LB_ENOSPC, "LB_ENOSPC", "Output buffer too small" },
	{ LB_ENOENT, "LB_ENOENT", "No such object" },
	{ LB_EPERM, "LB_EPERM", "Permission denied" },
	{ LB_EIO, "LB_EIO", "System call failed" },
	{ LB_ENOTSUP, "LB_ENOTSUP", "Not supported on this platform" },
	{ LB_EADDRINUSE, "LB_EADDRINUSE", "Address already in use" },
	{ LB_EADDRNOTAVAIL, "LB_EADDRNOTAVAIL", "Address not available on this host" },
	{ LB_EACCES, "LB_EACCES", "Bind refused: privileged port or system policy" },
	{ LB_ETIMEDOUT, "LB_ETIMEDOUT", "Timed out" },
	{ LB_EEXHAUSTED, "LB_EEXHAUSTED", "No free port left in the range" },
	{ LB_ELEASED, "LB_ELEASED", "Port leased by another process" },
	{ LB_ERESOLVE, "LB_ERESOLVE", "Host name resolution failed" },
	{ LB_EAFNOSUPPORT, "LB_EAFNOSUPPORT", "Address family not supported on this host" },
	{ LB_EBADDATA, "LB_EBADDATA", "Malformed data from the system" },
	{ LB_ENOBACKEND, "LB_ENOBACKEND", "No usable socket-table backend" },
	{ LB_ENOTVISIBLE, "LB_ENOTVISIBLE", "Held by no process visible here" },
	{ LB_EEXITED, "LB_EEXITED", "The process exited" },
	{ LB_ENOTREQUESTED, "LB_ENOTREQUESTED", "Not requested" },
	{ LB_EMFILE, "LB_EMFILE", "Too many open files" },
};

static const struct lb_error_desc *lb_error_find(int err)
{
	size_t i;

	for (i = 0; i < LB_ARRAY_SIZE(lb_errors); i++)
		if (lb_errors[i].code == err)
			return &lb_errors[i];
	return NULL;
}

int lb__errno_code(int e)
{
	switch (e) {
	case ENOENT: case ENOTDIR: case ESRCH: return LB_ENOENT;
	case EACCES: case EPERM: return LB_EPERM;
	case ENOMEM: case ENOBUFS: return LB_ENOMEM;
	case EMFILE: case ENFILE: return LB_EMFILE;
	default: return LB_EIO;
	}
}

int lb__errno_bind_code(int e)
{
	switch (e) {
	case EADDRINUSE: return LB_EADDRINUSE;
	case EADDRNOTAVAIL: return LB_EADDRNOTAVAIL;
	case EACCES: case EPERM: return LB_EACCES;
	case EAFNOSUPPORT: case EPROTONOSUPPORT: return LB_EAFNOSUPPORT;
	default: return lb__errno_code(e);
	}
}

LB_EXPORT const char *lb_strerror(int err)
{
	const struct lb_error_desc *d = lb_error_find(err);

	return d ? d->text : "Unknown error";
}

LB_EXPORT const char *lb_error_name(int err)
{
	const struct lb_error_desc *d = lb_error_find(err);

	return d ? d->name : NULL;
}
