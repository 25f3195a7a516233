/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* fieldcheck FILE...: every record fields.c reads, read again by
 * libevtx (its XML through parse.c, its Event ID as libevtx gives it),
 * and the two events compared field by field; and of every allocated
 * record, the Event ID the scanner tells (a story's filter goes by it)
 * against libevtx's, and each GUID and folder a story could join a
 * Sysmon record by against the keys the detection keeps of the file
 * (not with --no-keys).
 *
 * The records asked are those rmmhunt hands fields.c: allocated, not
 * recovered, followed whole by the scanner (readable), in a chunk with
 * no damage. For each file it prints
 *     FILE records=N fast=F lib_only=L mismatches=M
 * (fast: read by fields.c; lib_only: left to libevtx) and a line for
 * each mismatch. Exits 1 on any mismatch, 2 on a file it cannot read.
 * tests/fieldcheck.test and fieldcheck-corpus.test run it (the
 * comparing is tests/fieldcmp.c's). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fieldcmp.h"
#include "scan_private.h"

/* The file's bytes, or NULL. */
static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*size = n;
	return buf;
}

static int check_file(const char *path, struct scan_record *recs, bool with_keys)
{
	size_t size = 0;
	uint8_t *buf = slurp(path, &size);
	if (!buf) {
		fprintf(stderr, "fieldcheck: %s: cannot read\n", path);
		return 2;
	}
	struct fieldcmp_counts n = { 0 };
	struct value_keys keys = { .over = true };
	if (with_keys)
		keys = fieldcmp_file_keys(buf, size);
	for (uint64_t at = SCAN_FILE_HEADER_SIZE; at + SCAN_CHUNK_SIZE <= size;
	     at += SCAN_CHUNK_SIZE)
		if (memcmp(buf + at, chunk_sig, sizeof chunk_sig) == 0)
			fieldcmp_chunk(stdout, path, at, buf + at, recs,
				       keys.over ? NULL : &keys, &n);
	value_keys_free(&keys);
	free(buf);
	printf("%s records=%" PRIu64 " fast=%" PRIu64 " lib_only=%" PRIu64
	       " mismatches=%" PRIu64 " eid_told=%" PRIu64 " story_checked=%" PRIu64 "\n",
	       path, n.records, n.fast, n.lib_only, n.mismatches, n.eid_told, n.story_checked);
	return n.mismatches ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct scan_record *recs = malloc(SCAN_CHUNK_MAX_RECORDS * sizeof *recs);
	int rc = 0, first = 1;
	bool keys = true;
	if (argc > 1 && strcmp(argv[1], "--no-keys") == 0) {
		keys = false;
		first = 2;
	}
	for (int i = first; i < argc && recs; i++) {
		int r = check_file(argv[i], recs, keys);
		rc = r > rc ? r : rc;
	}
	free(recs);
	return recs ? rc : 2;
}
