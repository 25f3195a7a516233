/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: fields.c against libevtx on one chunk. The input
 * (zero-padded or cut to 64 KiB) has its CRCs made right, so that what
 * a mutation did to templates, names, sizes and values reaches fields.c
 * as an undamaged chunk's would; then every record rmmhunt would hand
 * fields.c is read by it and by libevtx (tests/fieldcmp.c). A record
 * fields.c reads other than libevtx does, or reads where libevtx fails,
 * aborts: the fast path must never give another event. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../fieldcmp.h"
#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *chunk = calloc(1, SCAN_CHUNK_SIZE);
	struct scan_record *recs = malloc(SCAN_CHUNK_MAX_RECORDS * sizeof *recs);
	if (!chunk || !recs) {
		free(chunk);
		free(recs);
		return 0;
	}
	memcpy(chunk, data, size < SCAN_CHUNK_SIZE ? size : SCAN_CHUNK_SIZE);
	fieldcmp_fix_crc(chunk);
	struct fieldcmp_counts n = { 0 };
	fieldcmp_chunk(stderr, "input", SCAN_FILE_HEADER_SIZE, chunk, recs, NULL, &n);
	free(recs);
	free(chunk);
	if (n.mismatches)
		abort();
	return 0;
}
