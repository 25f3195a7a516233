/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The Prefetch signatures, apart from the reader so that the containers
 * that list files (volume.c, archives.c) can bid without libscca. */
#include <string.h>
#include <strings.h>
#include "prefetch_bid.h"

bool prefetch_bid(const uint8_t *head, size_t n)
{
	if (n < 8)
		return false;
	if (memcmp(head, "MAM\x04", 4) == 0)
		return true;
	uint32_t v = (uint32_t)head[0] | (uint32_t)head[1] << 8 |
		     (uint32_t)head[2] << 16 | (uint32_t)head[3] << 24;
	return memcmp(head + 4, "SCCA", 4) == 0 && v >= 17 && v <= 31;
}

bool amcache_bid(const uint8_t *head, size_t n, const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	const char *b2 = path ? strrchr(path, '\\') : NULL;
	if (b2 && (!base || b2 > base))
		base = b2;
	base = base ? base + 1 : path;
	return n >= 4 && memcmp(head, "regf", 4) == 0 && base &&
	       strcasecmp(base, "amcache.hve") == 0;
}
