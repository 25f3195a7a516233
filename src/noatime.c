/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Evidence keeps its access time, whoever opens it. rmmhunt opens what
 * it reads with O_NOATIME (evidence_open, source.c); the image libraries
 * open E01 segments, QCOW2 files, VMDK extents and VHD(X) files by name
 * themselves, with a plain O_RDONLY, and Debian's libewf, libqcow and
 * libvhdi read through a libbfio of their own, so no handle opened here
 * can be handed to them (../shared/docs/evidence-formats.md). This
 * definition of open(2) in the program takes their calls (a symbol of
 * the executable comes before libc's for every library it loads): a
 * read-only open is tried with O_NOATIME first, and without it where the
 * kernel refuses it (O_NOATIME is allowed to the file's owner only).
 * Any other open is passed on as it came. */
#undef _FORTIFY_SOURCE   /* glibc's fortified open() is an inline wrapper */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_noatime(const char *path, int flags, mode_t mode)
{
#ifdef O_NOATIME
	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & (O_CREAT | O_TMPFILE))) {
		long fd = syscall(SYS_openat, AT_FDCWD, path, flags | O_NOATIME, mode);
		if (fd >= 0 || errno != EPERM)
			return (int)fd;
	}
#endif
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return open_noatime(path, flags, mode);
}

/* the same function under its large-file name */
int open64(const char *path, int flags, ...) __attribute__((alias("open")));
