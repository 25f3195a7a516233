/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* discover: an image in, the logs inside it out, as locators.
 *
 *   image -> partitions (or one bare volume) -> NTFS -> *.evtx
 *                                            -> VSS store -> NTFS -> *.evtx
 *
 * Runs in a worker process (see worker.h: run_discovery): image, volume,
 * NTFS and VSS parsing is as hostile as EVTX parsing. Every part that
 * is not searched gets a note with its reason; nothing is left out in
 * silence. */
#ifndef RMMHUNT_DISCOVER_H
#define RMMHUNT_DISCOVER_H

#include <stdbool.h>
#include <stdint.h>
#include "input.h"
#include "locator.h"

struct discover_sink {
	/* An input: where it is, its size and its kind (enum input_kind: a
	 * log, or a Prefetch file). Returns 0, or -1 to stop. */
	int (*found)(void *ctx, const struct locator *loc, uint64_t size, uint8_t kind);
	/* A part not searched, or searched in part (incomplete), or only
	 * listed (not incomplete: no file system rmmhunt reads). */
	int (*note)(void *ctx, const struct locator *where, bool incomplete,
		    const char *reason);
	void *ctx;
};

struct discover_result {
	enum input_status status;   /* ok, partial (a part failed), failed
	                               (the image could not be opened) */
	char reason[512];           /* the first failure; "" when ok */
	char detail[256];           /* the image's stored hashes, or "" */
#define X(member, part, json, doc) uint64_t member;
	IMAGE_COUNTS(X)             /* locate/input.h */
#undef X
	char verify[320];           /* --verify-image: the outcome; "" when not asked */
};

/* Lists the logs of the image im. */
void discover_image(const struct image_input *im, const struct collect_options *opt,
                    const struct discover_sink *sink, struct discover_result *res);

#endif
