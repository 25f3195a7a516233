/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* fieldcmp: fields.c's event of a record against libevtx's, for
 * tests/fieldcheck (over files) and the fields fuzz target (over one
 * chunk). */
#ifndef RMMHUNT_FIELDCMP_H
#define RMMHUNT_FIELDCMP_H

#include <stdint.h>
#include <stdio.h>
#include "scan.h"

struct fieldcmp_counts {
	uint64_t records;      /* handed fields.c, as rmmhunt would */
	uint64_t fast;         /* of them read by fields.c */
	uint64_t lib_only;     /* of them left to libevtx */
	uint64_t mismatches;   /* read by fields.c other than libevtx reads them */
	uint64_t story_checked;   /* Sysmon records of a story's Event IDs
	                             whose GUIDs and folders were looked for
	                             among the file's keys */
	uint64_t eid_told;     /* allocated records whose Event ID the scanner
	                          tells (scan_record_event_id), libevtx's or
	                          counted among mismatches */
};

/* Makes chunk c's records CRC, then its header CRC (which covers the
 * first), right, where its header says where its records end: a
 * mutated chunk then reaches fields.c as an undamaged one would. */
void fieldcmp_fix_crc(uint8_t *c);

/* Every record of chunk c (at chunk_at in path) that rmmhunt hands
 * fields.c (allocated, not recovered, readable, not refused by the
 * bound on rendering, in a chunk with no damage), read by fields.c and by libevtx (its XML through parse.c,
 * its Event ID as libevtx gives it) and compared field by field; adds
 * to n, and writes a line to out for each mismatch. recs holds
 * SCAN_CHUNK_MAX_RECORDS. With keys (the file's, as the detection keeps
 * them: scan_result.keys), every allocated record libevtx reads as a
 * Sysmon event of a story's Event IDs has each GUID and folder a story
 * could join it by among them. */
void fieldcmp_chunk(FILE *out, const char *path, uint64_t chunk_at, const uint8_t *c,
		    struct scan_record *recs, const struct value_keys *keys,
		    struct fieldcmp_counts *n);

/* The keys the detection keeps of the file buf[0..size) (scan_source_with
 * with story_keys_of); over when it keeps none. Free with
 * value_keys_free(). */
struct value_keys fieldcmp_file_keys(const uint8_t *buf, size_t size);

#endif
