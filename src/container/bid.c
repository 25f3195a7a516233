/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The bids of the evidence kinds beside the logs (Prefetch, Amcache,
 * the other hives), apart from their readers, so that the containers
 * that list files (volume.c, archives.c) can bid without libscca or
 * libregf. */
#include <string.h>
#include <strings.h>
#include "bid.h"
#include "path.h"

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
	return n >= 4 && memcmp(head, "regf", 4) == 0 && path &&
	       strcasecmp(path_base_any(path), "amcache.hve") == 0;
}

bool hive_bid(const uint8_t *head, size_t n, const char *path, const char **kind)
{
	static const char *const names[] = { "NTUSER.DAT", "SOFTWARE", "SYSTEM" };
	if (n < 4 || memcmp(head, "regf", 4) != 0 || !path)
		return false;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcasecmp(path_base_any(path), names[i]) == 0) {
			if (kind)
				*kind = names[i];
			return true;
		}
	return false;
}
