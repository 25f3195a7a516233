/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#ifndef RMMHUNT_PREFETCH_BID_H
#define RMMHUNT_PREFETCH_BID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether the first n bytes (at least 8) are a Prefetch file's: a
 * version from 17 to 31 then "SCCA", or "MAM\x04" (compressed). */
bool prefetch_bid(const uint8_t *head, size_t n);

#endif
