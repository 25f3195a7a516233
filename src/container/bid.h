/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#ifndef RMMHUNT_BID_H
#define RMMHUNT_BID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the first n bytes (at least 8) are a Prefetch file's: a
 * version from 17 to 31 then "SCCA", or "MAM\x04" (compressed). */
bool prefetch_bid(const uint8_t *head, size_t n);

/* Whether a file named path (its last part compared) that starts with
 * head is an Amcache hive: the "regf" signature and the name
 * Amcache.hve (any case). Other hives are not read. */
bool amcache_bid(const uint8_t *head, size_t n, const char *path);

/* Whether a file named path that starts with head is one of the hives
 * read here; *kind (may be NULL) gets which. */
bool hive_bid(const uint8_t *head, size_t n, const char *path, const char **kind);

#endif
