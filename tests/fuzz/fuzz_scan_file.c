/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: the input as a whole file (in a memfd) through
 * scan_file, with a callback that checks each chunk it is handed. */
#define _GNU_SOURCE 1
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rule.h"
#include "rules.h"
#include "scan.h"

static int on_chunk(void *ctx, const struct scan_chunk *c)
{
	(void)ctx;
	if (c->n_records > SCAN_CHUNK_MAX_RECORDS || c->n_candidates > c->n_records)
		abort();
	for (size_t i = 0; i < c->n_records; i++) {
		const struct scan_record *r = &c->records[i];
		if ((uint64_t)r->offset + r->size > SCAN_CHUNK_SIZE)
			abort();
		if (r->eid7 != scan_record_is_sysmon_eid7(c->data, r))
			abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scan_result res;
	static int fd = -1;
	if (fd < 0 && (fd = memfd_create("fuzz_scan_file", 0)) < 0)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	int rc = scan_file_with(fd, rules_matcher(false, false), &res, on_chunk, NULL);
	if (rc != 0 || res.file_size != size || res.n_damage > SCAN_MAX_DAMAGE)
		abort();
	return 0;
}
