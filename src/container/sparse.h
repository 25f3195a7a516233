/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* sparse: a Velociraptor upload stored compacted, expanded again.
 *
 * Velociraptor's collector stores a file it read as ranges (NTFS sparse
 * or compressed files) without their sparse runs, and beside it, as
 * member "<name>.idx", the JSON list of ranges: where each run lies in
 * the original (original_offset, length) and, for runs with data, where
 * in the stored member (file_offset, file_length). Reading the stored
 * member as it is would put every byte after the first hole at the
 * wrong offset; the expanded source gives the file as it was, holes
 * read as zeros. The index is attacker-controlled: runs must lie in
 * order, not overlap, and point inside the stored member. */
#ifndef RMMHUNT_SPARSE_H
#define RMMHUNT_SPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "source.h"

#define SPARSE_INDEX_MAX ((size_t)16 << 20)   /* a larger .idx is not believed */

struct sparse_run {
	uint64_t original, length;   /* where in the original file, how long */
	uint64_t stored;             /* where its bytes are in the stored member */
	bool data;                   /* false: a hole, read as zeros */
};

struct sparse_index {
	struct sparse_run *runs;     /* owned, by original offset */
	size_t n;
	uint64_t size;               /* of the original file: the last run's end */
};

/* Parses the n bytes of a .idx (either {"ranges": [...]} or a bare list)
 * for a stored member of stored_size bytes, into ix (sparse_index_free()
 * it, also after a failure). Returns 0, or -1 with err saying why. */
int sparse_index_parse(const char *json, size_t n, uint64_t stored_size,
		       struct sparse_index *ix, char *err, size_t errsz);

void sparse_index_free(struct sparse_index *ix);

/* The original file over stored (taken, also on failure): ix's runs
 * (copied). NULL when out of memory. */
struct source *source_sparse(struct source *stored, const struct sparse_index *ix);

#endif
