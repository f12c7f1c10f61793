/* SPDX-License-Identifier: MIT */
/* The Windows side of lib/os/file.h: stdio, binary so that nothing
 * rewrites line ends. No FIFOs or devices to fear under the paths the
 * library reads there. */
#include <errno.h>
#include <stdio.h>

#include "core/internal.h"
#include "os/file.h"

int lb__file_open(const char *path, struct lb__file *f)
{
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return lb__errno_code(errno);
	f->fd = -1;
	f->fp = fp;
	return 0;
}

long lb__file_read(struct lb__file *f, char *buf, size_t n)
{
	size_t k = fread(buf, 1, n, f->fp);

	return k == 0 && ferror((FILE *)f->fp) ? -1 : (long)k;
}

void lb__file_close(struct lb__file *f)
{
	fclose(f->fp);
}
