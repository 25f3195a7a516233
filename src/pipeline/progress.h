/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* progress: "[done/total files] X MB/s, ETA mm:ss" on stderr, only
 * when the caller turns it on (a terminal, no -q). */
#ifndef RMMHUNT_PROGRESS_H
#define RMMHUNT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	bool on;
	size_t total, done;
	uint64_t total_bytes, done_bytes;
	int64_t start;          /* ms */
	int width;              /* of the last line, to clear it */
};

/* Draws the line for the time now (ms on the monotonic clock). */
void progress_show(struct progress *pr, int64_t now);
/* Clears the line, so that other output starts on a clean one. */
void progress_clear(struct progress *pr);

#endif
