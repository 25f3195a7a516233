/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan: the records of one chunk, as libevtx walks them; see scan.c
 * for the rules this mirrors. */
#include <stdlib.h>
#include <string.h>
#include "le.h"
#include "scan_private.h"

/* ---- records of one chunk ----------------------------------------- */

/* libevtx_record_values_read_header: 1 ok, 0 a zero header, -1 bad. */
static int read_record_header(const uint8_t *chunk, size_t off, struct scan_record *r)
{
	if (off >= SCAN_CHUNK_SIZE)
		return -1;
	size_t rem = SCAN_CHUNK_SIZE - off;
	if (rem < SCAN_RECORD_HEADER_SIZE + 4)
		return -1;
	const uint8_t *p = chunk + off;
	if (all_zero(p, SCAN_RECORD_HEADER_SIZE))
		return 0;
	if (memcmp(p, record_sig, 4) != 0)
		return -1;
	uint32_t size = le32(p + 4);
	if (size < SCAN_RECORD_HEADER_SIZE || size > rem - 4)
		return -1;
	if (le32(p + size - 4) != size)
		return -1;
	r->offset = (uint32_t)off;
	r->size = size;
	r->id = le64(p + 8);
	r->written = (int64_t)le64(p + 16);
	r->candidate = false;
	r->named = false;
	r->refused = SCAN_RECORD_OK;
	r->eid7 = false;
	r->readable = false;
	r->traced_id = INT64_MIN;   /* SCAN_TRACED_UNREAD */
	return 1;
}

/* Checks the header of a chunk that has the chunk signature, as
 * libevtx_chunk_read does; adds to *dmg what it finds. Returns false
 * when libevtx would fail the whole file over it (no records then). */
static bool check_chunk_header(const uint8_t *chunk, uint32_t *dmg)
{
	uint32_t header_size = le32(chunk + 40);
	uint32_t free_off = le32(chunk + 48);
	uint32_t rec_crc = le32(chunk + 52), hdr_crc = le32(chunk + 124);

	if (header_size != 128) {
		*dmg |= SCAN_DMG_HEADER_SIZE;
		return false;
	}
	uint32_t c = scan_crc32(0, chunk, 120);
	c = scan_crc32(c, chunk + 128, 384);
	if (c != hdr_crc)
		*dmg |= SCAN_DMG_HEADER_CRC;
	if (free_off < SCAN_CHUNK_HEADER_SIZE || free_off > SCAN_CHUNK_SIZE) {
		*dmg |= SCAN_DMG_FREE_SPACE;
		return false;
	}
	if (scan_crc32(0, chunk + SCAN_CHUNK_HEADER_SIZE, free_off - SCAN_CHUNK_HEADER_SIZE) != rec_crc)
		*dmg |= SCAN_DMG_RECORDS_CRC;
	return true;
}

/* The allocated records, from offset 512 while the offset is at most
 * the header's last record offset. Appends them to out[*n..]; returns
 * the offset where the walk stopped, where the slack scan starts. */
static size_t walk_allocated(const uint8_t *chunk, bool past_count_clean,
                             struct scan_record *out, size_t *n, uint32_t *dmg)
{
	uint64_t first_num = le64(chunk + 8), last_num = le64(chunk + 16);
	uint32_t last_off = le32(chunk + 44);
	size_t off = SCAN_CHUNK_HEADER_SIZE;
	uint16_t n_alloc = 0;
	int rc = 0;   /* libevtx's result: 0 when the loop never runs */
	uint64_t got = 0;
	struct scan_record r;

	while (off <= last_off) {
		rc = read_record_header(chunk, off, &r);
		if (rc != 1)
			break;
		r.kind = SCAN_REC_ALLOCATED;
		r.recovered = past_count_clean;
		r.image_index = n_alloc++;
		out[(*n)++] = r;
		got++;
		off += r.size;
	}
	if (rc != 1 && off <= last_off)
		*dmg |= SCAN_DMG_RECORD;
	if (first_num > last_num)
		*dmg |= SCAN_DMG_COUNT;
	else if (rc == 1 && got != last_num - first_num + 1)
		*dmg |= SCAN_DMG_COUNT;
	return off;
}

/* Whether the binary XML of the record r found at off starts the way
 * libevtx wants a recovered one to: a template instance token, or a
 * fragment header. */
static inline bool slack_binxml_ok(const uint8_t *chunk, size_t off, const struct scan_record *r)
{
	size_t xo = off + SCAN_RECORD_HEADER_SIZE;
	size_t xs = r->size > SCAN_RECORD_HEADER_SIZE + 4 ? r->size - (SCAN_RECORD_HEADER_SIZE + 4) : 0;
	if (xs >= 5 && chunk[xo] == 0x0a)
		return true;
	return xs >= 4 && chunk[xo] == 0x0f && chunk[xo + 1] == 0x01 &&
	       chunk[xo + 2] == 0x01 && chunk[xo + 3] == 0x00;
}

/* libevtx's slack scan, 4 bytes a step from off to the chunk's end.
 * Appends the recovered records to out[n..]; returns the new count. */
static size_t scan_slack(const uint8_t *chunk, size_t off, struct scan_record *out, size_t n)
{
	uint16_t n_slack = 0;
	struct scan_record r;

	while (off < SCAN_CHUNK_SIZE) {
		if (off + 4 <= SCAN_CHUNK_SIZE && chunk[off] == 0x2a &&
		    memcmp(chunk + off, record_sig, 4) == 0 &&
		    read_record_header(chunk, off, &r) == 1 &&
		    slack_binxml_ok(chunk, off, &r)) {
			r.kind = SCAN_REC_SLACK;
			r.recovered = true;
			r.image_index = n_slack++;
			out[n++] = r;
			off += r.size - 4;
		}
		off += 4;
	}
	return n;
}

size_t scan_chunk_records(const uint8_t *chunk, bool past_count_clean,
                          struct scan_record *out, uint32_t *damage)
{
	size_t n = 0;
	uint32_t dmg = 0;
	size_t off = 0;

	if (all_zero(chunk, SCAN_CHUNK_SIZE)) {
		*damage = 0;
		return 0;
	}
	if (memcmp(chunk, chunk_sig, 8) != 0) {
		dmg |= SCAN_DMG_MAGIC;
	} else {
		if (!check_chunk_header(chunk, &dmg)) {
			*damage = dmg;
			return 0;
		}
		off = walk_allocated(chunk, past_count_clean, out, &n, &dmg);
	}
	n = scan_slack(chunk, off, out, n);
	*damage = dmg;
	return n;
}
