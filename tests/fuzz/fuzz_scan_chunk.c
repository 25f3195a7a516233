/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: one 64 KiB chunk (the input, zero-padded or cut) to
 * the record walk, the Event ID 7 check of every record it finds, and
 * the module-name search, and the story's search by value. Everything
 * here reads attacker bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "rules.h"
#include "scan.h"
#include "want.h"

static struct scan_record recs[SCAN_CHUNK_MAX_RECORDS];
static struct scan_hit hits[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* heap, exact size: ASan then sees any read past the chunk */
	uint8_t *chunk = calloc(1, SCAN_CHUNK_SIZE);
	if (!chunk)
		return 0;
	memcpy(chunk, data, size < SCAN_CHUNK_SIZE ? size : SCAN_CHUNK_SIZE);

	for (int past = 0; past < 2; past++) {
		uint32_t damage = 0;
		size_t n = scan_chunk_records(chunk, past, recs, &damage);
		if (n > SCAN_CHUNK_MAX_RECORDS)
			abort();
		for (size_t i = 0; i < n; i++) {
			if ((uint64_t)recs[i].offset + recs[i].size > SCAN_CHUNK_SIZE)
				abort();
			(void)scan_record_is_sysmon_eid7(chunk, &recs[i]);
		}
	}

	struct story_want w = { 0 };
	want_add_guid(&w, "{6A1D2E10-0C2B-5F9E-0B00-000000000B00}");
	want_add_folder_of(&w, "C:\\ProgramData\\x");
	want_seal(&w);
	struct scan_matcher story = { .values = &w.filter };
	uint32_t dmg = 0;
	size_t nr = scan_chunk_records(chunk, false, recs, &dmg);
	/* with traces: the client's name, and the records that clear a log */
	const struct scan_matcher *traced = rules_matcher(false, true);
	for (size_t i = 0; i < nr; i++) {
		(void)scan_record_candidate(&story, chunk, &recs[i]);
		(void)scan_record_candidate(traced, chunk, &recs[i]);
	}
	want_free(&w);
	size_t nt = scan_find(traced, chunk, SCAN_CHUNK_SIZE, hits, sizeof hits / sizeof hits[0]);
	if ((nt > 0) != scan_contains(traced, chunk, SCAN_CHUNK_SIZE))
		abort();

	const struct scan_matcher *m = rules_matcher(false, false);
	size_t nh = scan_find(m, chunk, SCAN_CHUNK_SIZE, hits, sizeof hits / sizeof hits[0]);
	for (size_t i = 0; i < nh && i < sizeof hits / sizeof hits[0]; i++)
		if ((uint64_t)hits[i].offset + hits[i].length > SCAN_CHUNK_SIZE)
			abort();
	if ((nh > 0) != scan_contains(m, chunk, SCAN_CHUNK_SIZE))
		abort();
	/* the search on the input's own length too: its ends are the edges */
	uint8_t *raw = malloc(size ? size : 1);
	if (raw) {
		memcpy(raw, data, size);
		(void)scan_find(m, raw, size, hits, sizeof hits / sizeof hits[0]);
		free(raw);
	}
	free(chunk);
	return 0;
}
