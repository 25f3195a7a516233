/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* vss: the volume shadow copy stores of an NTFS volume, through
 * libvshadow, each store a source holding the volume as it was when the
 * snapshot was taken. */
#ifndef RMMHUNT_VSS_H
#define RMMHUNT_VSS_H

#include <stddef.h>
#include <stdint.h>
#include "source.h"

struct vss_store {
	uint64_t index;          /* 1-based, oldest first as libvshadow lists */
	int64_t created;         /* FILETIME ticks, TIME_NONE when unknown */
	char id[40];             /* the store identifier, a GUID */
	uint64_t size;           /* of the volume it holds */
	char err[SOURCE_ERR_MAX];/* non-empty when this store cannot be read */
};

/* Called for each store. Returns 0, or -1 to stop. */
typedef int (*vss_store_fn)(void *ctx, const struct vss_store *s);

/* Lists the stores of the volume in vol (borrowed). Returns how many,
 * 0 when the volume has no VSS header, or -1 with err set when the VSS
 * structures are there but cannot be read. */
int vss_list(struct source *vol, vss_store_fn fn, void *ctx, char *err, size_t errsz);

/* Store index (1-based) of the volume in vol, as a source. Takes vol.
 * Returns NULL with err set on failure. */
struct source *vss_store_open(struct source *vol, uint64_t index, char *err, size_t errsz);

#endif
