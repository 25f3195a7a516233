/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* One adapter for every libyal image handle (E01, VMDK, VHD/VHDX,
 * QCOW2): a handle, its read-at-offset and its close, as a source.
 * Internal to src/container. */
#ifndef RMMHUNT_IMAGE_YAL_H
#define RMMHUNT_IMAGE_YAL_H

#include <stdint.h>
#include <sys/types.h>
#include "source.h"

typedef ssize_t (*yal_read_fn)(void *handle, void *buf, size_t n, uint64_t off,
			       char *err, size_t errsz);
typedef void (*yal_close_fn)(void *handle);

struct yal_source {
	struct source s;
	void *handle;       /* the library's, closed by close */
	yal_read_fn read;
	yal_close_fn close;
};

/* A source of size bytes read through handle (which it takes). */
struct source *yal_source(void *handle, uint64_t size, yal_read_fn rd, yal_close_fn cl);

/* What an image format's open says when its library was left out. */
#define BUILT_WITHOUT(lib) \
	source_set_err(err, errsz, "this rmmhunt was built without " lib), NULL

#endif
