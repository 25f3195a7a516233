/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* A libbfio handle over a source, for the libyal libraries that read
 * through libbfio (libevtx, libvshadow: both link Debian's shared
 * libbfio.so.1; see ../shared/docs/evidence-formats.md before handing
 * one to any other).
 *
 * libbfio keeps a file position of its own; the handle keeps it beside
 * the borrowed source, which is read at that position only. */
#ifndef RMMHUNT_SOURCE_BFIO_H
#define RMMHUNT_SOURCE_BFIO_H

#include <libbfio.h>
#include "source.h"

/* A handle reading src (borrowed: src must outlive the handle, which
 * libbfio_handle_free frees). Returns 0, or -1 with err set. */
int source_bfio_handle(struct source *src, libbfio_handle_t **handle,
                       char *err, size_t errsz);

/* The same, made by the libbfio whose handle_initialize and error_free
 * are given: a library loaded into a namespace of its own (libscca,
 * trace/scca_api.h) reads only handles its own libbfio made. */
int source_bfio_handle_with(struct source *src, __typeof__(libbfio_handle_initialize) *init,
                            __typeof__(libbfio_error_free) *error_free,
                            libbfio_handle_t **handle, char *err, size_t errsz);

#endif
