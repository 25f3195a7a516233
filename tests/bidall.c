/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* bidall FILE...: every bid of every format asked about each file, not
 * only the first that answers (image_bid stops there): one line a file,
 * "FILE: FORMAT FORMAT..." with "(part)" after a format that says the
 * file is a later part of its set, "-" when none claims it. Bids of the
 * image formats (image_formats[]), then of the evidence kinds (EVTX,
 * Prefetch, Amcache, hive). tests/bids.test checks that exactly one
 * claims each fixture. */
#include <stdio.h>
#include <string.h>
#include "bid.h"
#include "image_formats.h"
#include "source.h"


int main(int argc, char **argv)
{
	static uint8_t head[BID_BYTES];   /* what image_bid shows them */
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		char err[SOURCE_ERR_MAX];
		struct source *f = source_file_open(argv[i], err, sizeof err);
		if (!f) {
			fprintf(stderr, "bidall: %s: %s\n", argv[i], err);
			rc = 1;
			continue;
		}
		memset(head, 0, sizeof head);
		ssize_t n = source_read(f, 0, head, sizeof head);
		int claims = 0;
		printf("%s:", argv[i]);
		if (n > 0) {
			for (const struct image_format *const *fm = image_formats; *fm; fm++) {
				enum image_bid b = (*fm)->bid(head, (size_t)n, f, argv[i]);
				if (b != BID_NO) {
					printf(" %s%s", (*fm)->name, b == BID_PART ? "(part)" : "");
					claims++;
				}
			}
			if (n >= 8 && memcmp(head, "ElfFile\0", 8) == 0 && ++claims)
				printf(" EVTX");
			if (prefetch_bid(head, (size_t)n) && ++claims)
				printf(" Prefetch");
			if (amcache_bid(head, (size_t)n, argv[i]) && ++claims)
				printf(" Amcache");
			if (hive_bid(head, (size_t)n, argv[i], NULL) && ++claims)
				printf(" hive");
		}
		printf("%s\n", claims ? "" : " -");
		source_close(f);
	}
	return rc;
}
