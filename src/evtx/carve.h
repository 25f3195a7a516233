/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* carve: EVTX chunks found anywhere in a source (a whole disk image:
 * unallocated clusters, deleted logs, slack, space outside any volume).
 *
 * On disk a log's chunks sit at file offset 4096 + k * 65536, so in an
 * image they start on a sector boundary: every 512-byte boundary is
 * checked for "ElfChnk\0", and a chunk is kept only when both its CRCs
 * hold (the header's over bytes 0-119 and 128-511, the records' over
 * 512 to the free space offset). A chunk decodes on its own (its string
 * and template tables are chunk-relative), so each kept one goes down
 * the same path as a candidate chunk of a log (scan.h). */
#ifndef RMMHUNT_CARVE_H
#define RMMHUNT_CARVE_H

#include <stdint.h>
#include "scan.h"
#include "source.h"

struct carve_result {
	uint64_t bytes;              /* read */
	uint64_t chunks;             /* kept: signature and both CRCs */
	uint64_t rejected;           /* signatures whose CRCs did not hold */
	uint64_t records;            /* records walked in kept chunks */
	uint64_t eid7_records;       /* of them, Sysmon Event ID 7 */
	uint64_t candidates;         /* records holding a module name */
	uint64_t refused;            /* of them, never handed to libevtx
	                                (scan_record_check: a bomb, values
	                                past the chunk) */
	int64_t first_time, last_time;   /* record written times; TIME_NONE */
	char error[SOURCE_ERR_MAX + 64]; /* why it stopped early; "" when not */
};

/* Carves src (borrowed) from byte 0 to its end with the matcher m (NULL:
 * the rule's), handing on_chunk every kept chunk that holds a candidate
 * record (file_offset: the chunk's offset in src). Returns 0, 1 when
 * on_chunk stopped it, -1 on a read error (res->error). */
int carve_source(struct source *src, const struct scan_matcher *m,
                 struct carve_result *res, scan_chunk_fn on_chunk, void *ctx);

/* Whether the 64 KiB at chunk are a chunk whose CRCs both hold. */
bool carve_chunk_valid(const uint8_t *chunk);

#endif
