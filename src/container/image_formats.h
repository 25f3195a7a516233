/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* What the image formats share: how much of a file a bid sees, what a
 * raw disk looks like. Internal to src/container. */
#ifndef RMMHUNT_IMAGE_FORMATS_H
#define RMMHUNT_IMAGE_FORMATS_H

#include <stdbool.h>
#include <stdint.h>
#include "image.h"

/* How much of a file's start every bid is shown (image_bid). */
#define BID_BYTES 1024

/* An MBR, a GPT or a bare NTFS or BitLocker volume starts here
 * (rawdisk.c). */
bool raw_looks_like_disk(const uint8_t *head, size_t n);

/* Smaller than this is not a disk or a volume worth the name: it is a
 * boot sector saved on its own (KAPE collects NTFS's $Boot, 8 KiB, which
 * starts like a volume), an MBR backup, a fragment. */
#define RAW_MIN_SIZE ((uint64_t)1 << 20)

#endif
