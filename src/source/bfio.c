/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The libbfio bridge: a handle whose io_handle is a position over a
 * borrowed source. libbfio calls open, seek, read, close; writes are
 * refused (evidence is read-only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bfio.h"

struct bfio_io {
	struct source *src;
	int64_t pos;
	int open;
};

static int io_free(intptr_t **io, libbfio_error_t **e)
{
	(void)e;
	free(*io);
	*io = NULL;
	return 1;
}

static int io_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **e)
{
	(void)e;
	struct bfio_io *c = malloc(sizeof *c);
	if (!c)
		return -1;
	*c = *(struct bfio_io *)src;
	c->open = 0;
	*dst = (intptr_t *)c;
	return 1;
}

static int io_open(intptr_t *io, int flags, libbfio_error_t **e)
{
	(void)e;
	if (flags & LIBBFIO_ACCESS_FLAG_WRITE)
		return -1;
	((struct bfio_io *)io)->open = 1;
	((struct bfio_io *)io)->pos = 0;
	return 1;
}

static int io_close(intptr_t *io, libbfio_error_t **e)
{
	(void)e;
	((struct bfio_io *)io)->open = 0;
	return 0;
}

static ssize_t io_read(intptr_t *io, uint8_t *buf, size_t n, libbfio_error_t **e)
{
	(void)e;
	struct bfio_io *b = (struct bfio_io *)io;
	if (b->pos < 0)
		return -1;
	ssize_t k = source_read(b->src, (uint64_t)b->pos, buf, n);
	if (k > 0)
		b->pos += k;
	return k;
}

static ssize_t io_write(intptr_t *io, const uint8_t *buf, size_t n, libbfio_error_t **e)
{
	(void)io, (void)buf, (void)n, (void)e;
	return -1;
}

static off64_t io_seek(intptr_t *io, off64_t off, int whence, libbfio_error_t **e)
{
	(void)e;
	struct bfio_io *b = (struct bfio_io *)io;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? b->pos
		     : whence == SEEK_END ? (int64_t)b->src->size : -1;
	if (base < 0 || (off < 0 && -off > base))
		return -1;
	b->pos = base + off;
	return b->pos;
}

static int io_exists(intptr_t *io, libbfio_error_t **e)
{
	(void)io, (void)e;
	return 1;
}

static int io_is_open(intptr_t *io, libbfio_error_t **e)
{
	(void)e;
	return ((struct bfio_io *)io)->open;
}

static int io_size(intptr_t *io, size64_t *size, libbfio_error_t **e)
{
	(void)e;
	*size = ((struct bfio_io *)io)->src->size;
	return 1;
}

int source_bfio_handle(struct source *src, libbfio_handle_t **handle,
                       char *err, size_t errsz)
{
	return source_bfio_handle_with(src, libbfio_handle_initialize, libbfio_error_free,
				       handle, err, errsz);
}

int source_bfio_handle_with(struct source *src, __typeof__(libbfio_handle_initialize) *init,
                            __typeof__(libbfio_error_free) *error_free,
                            libbfio_handle_t **handle, char *err, size_t errsz)
{
	libbfio_error_t *e = NULL;
	struct bfio_io *b = calloc(1, sizeof *b);
	*handle = NULL;
	if (!b) {
		source_set_err(err, errsz, "out of memory");
		return -1;
	}
	b->src = src;
	if (init(handle, (intptr_t *)b, io_free, io_clone, io_open, io_close, io_read,
		 io_write, io_seek, io_exists, io_is_open, io_size,
		 LIBBFIO_FLAG_IO_HANDLE_MANAGED | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION,
		 &e) != 1) {
		error_free(&e);
		free(b);
		source_set_err(err, errsz, "libbfio cannot make a handle");
		return -1;
	}
	return 0;
}
