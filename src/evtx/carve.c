/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* carve: a sector-aligned signature search, then both CRCs, then the
 * scanner's record walk. Reads the source front to back in large
 * blocks: the cost of carving an image is about the cost of reading it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "carve.h"
#include "le.h"
#include "timefmt.h"

#define SECTOR 512u
#define BLOCK ((size_t)1024 << 10)   /* a multiple of SECTOR */

bool carve_chunk_valid(const uint8_t *c)
{
	if (memcmp(c, "ElfChnk\0", 8) != 0)
		return false;
	uint32_t crc = scan_crc32(0, c, 120);
	crc = scan_crc32(crc, c + 128, SCAN_CHUNK_HEADER_SIZE - 128);
	if (crc != le32(c + 124))
		return false;
	uint32_t free_at = le32(c + 48);
	if (free_at < SCAN_CHUNK_HEADER_SIZE || free_at > SCAN_CHUNK_SIZE)
		return false;
	return scan_crc32(0, c + SCAN_CHUNK_HEADER_SIZE, free_at - SCAN_CHUNK_HEADER_SIZE) ==
	       le32(c + 52);
}

static void note_time(struct carve_result *res, int64_t t)
{
	if (t == 0)
		return;
	if (res->first_time == TIME_NONE || t < res->first_time)
		res->first_time = t;
	if (res->last_time == TIME_NONE || t > res->last_time)
		res->last_time = t;
}

/* A kept chunk at offset off: its records walked and counted, and it
 * handed on when one is a candidate. Returns on_chunk's answer. */
static int take_chunk(const struct scan_matcher *m, const uint8_t *c, uint64_t off,
		      struct scan_record *recs, struct carve_result *res,
		      scan_chunk_fn on_chunk, void *ctx)
{
	uint32_t dmg = 0;
	size_t n = scan_chunk_records(c, false, recs, &dmg), nc = 0;
	for (size_t i = 0; i < n; i++) {
		struct scan_record *r = &recs[i];
		r->eid7 = scan_record_is_sysmon_eid7(c, r);
		r->candidate = scan_record_candidate(m, c, r);
		nc += r->candidate;
		/* what libevtx must not be handed, as in a log (scan.h) */
		if (r->candidate) {
			r->refused = (uint8_t)scan_record_check(c, r, NULL);
			res->refused += r->refused != SCAN_RECORD_OK;
		}
		if (r->kind == SCAN_REC_ALLOCATED) {
			res->records++;
			res->eid7_records += r->eid7;
			note_time(res, r->written);
		}
	}
	res->chunks++;
	res->candidates += nc;
	if (nc == 0 || !on_chunk)
		return 0;
	struct scan_chunk sc = {
		.data = c, .file_offset = off, .damage = dmg, .records = recs,
		.n_records = n, .n_candidates = nc,
	};
	return on_chunk(ctx, &sc);
}

int carve_source(struct source *src, const struct scan_matcher *m,
		 struct carve_result *res, scan_chunk_fn on_chunk, void *ctx)
{
	memset(res, 0, sizeof *res);
	res->first_time = res->last_time = TIME_NONE;
	uint8_t *buf = malloc(BLOCK + SCAN_CHUNK_SIZE);
	uint8_t *chunk = malloc(SCAN_CHUNK_SIZE);
	struct scan_record *recs = malloc(SCAN_CHUNK_MAX_RECORDS * sizeof *recs);
	int rc = 0;
	if (!buf || !chunk || !recs || !m) {
		snprintf(res->error, sizeof res->error, "out of memory");
		rc = -1;
	}
	uint64_t skip_to = 0;   /* a kept chunk's bytes are not searched again */
	for (uint64_t at = 0; rc == 0 && at < src->size; at += BLOCK) {
		ssize_t got = source_read(src, at, buf, BLOCK);
		if (got <= 0) {
			snprintf(res->error, sizeof res->error, "read error at byte %llu: %s",
				 (unsigned long long)at, src->err);
			rc = -1;
			break;
		}
		res->bytes += (uint64_t)got;
		for (size_t s = 0; s + 8 <= (size_t)got && rc == 0; s += SECTOR) {
			uint64_t off = at + s;
			if (off < skip_to || memcmp(buf + s, "ElfChnk\0", 8) != 0)
				continue;
			const uint8_t *c = buf + s;
			if (s + SCAN_CHUNK_SIZE > (size_t)got) {
				if (source_read(src, off, chunk, SCAN_CHUNK_SIZE) != SCAN_CHUNK_SIZE)
					continue;   /* cut short by the end of the image */
				c = chunk;
			}
			if (!carve_chunk_valid(c)) {
				res->rejected++;
				continue;
			}
			rc = take_chunk(m, c, off, recs, res, on_chunk, ctx) ? 1 : 0;
			skip_to = off + SCAN_CHUNK_SIZE;
		}
	}
	free(recs);
	free(chunk);
	free(buf);
	return rc;
}
