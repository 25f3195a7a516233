/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* evtxcost - what rendering the records of EVTX files would cost.
 *
 * Usage: evtxcost FILE...
 *
 * For each file: the largest scan_record_check() estimate among its
 * records (allocated and in slack), how many records, how many are
 * refused for their expansion, how many allocated and how many recovered
 * ones for values past their chunk, as "max records expansion
 * bounds-allocated bounds-recovered path" on one line. The
 * bound on binary-XML expansion (scan.h) was set from these figures on
 * the public corpus; tests/bomb.test checks the bound against both the
 * corpus and crafted bombs. Exit status 1 when a file cannot be read. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scan.h"

static int cost_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	static uint8_t chunk[SCAN_CHUNK_SIZE];
	static struct scan_record recs[SCAN_CHUNK_MAX_RECORDS];
	uint64_t max = 0, records = 0, over = 0, bounds[2] = { 0, 0 };
	for (off_t off = SCAN_FILE_HEADER_SIZE;
	     pread(fd, chunk, sizeof chunk, off) == (ssize_t)sizeof chunk;
	     off += SCAN_CHUNK_SIZE) {
		uint32_t dmg = 0;
		size_t n = scan_chunk_records(chunk, false, recs, &dmg);
		for (size_t i = 0; i < n; i++) {
			uint64_t c;
			enum scan_refusal why = scan_record_check(chunk, &recs[i], &c);
			over += why == SCAN_REFUSED_EXPANSION;
			bounds[recs[i].recovered] += why == SCAN_REFUSED_BOUNDS;
			if (why == SCAN_RECORD_OK && c > max)
				max = c;
		}
		records += n;
	}
	close(fd);
	printf("%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %s\n", max, records,
	       over, bounds[0], bounds[1], path);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc < 2) {
		fputs("usage: evtxcost FILE...\n", stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		rc |= cost_file(argv[i]) != 0;
	return rc;
}
