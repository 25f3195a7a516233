/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* A raw disk or volume by its first bytes: for image.c's bid on a file,
 * and archives.c's on a member (a raw image in a zip), which links
 * without the image libraries. */
#include <string.h>
#include "image_formats.h"

bool raw_looks_like_disk(const uint8_t *head, size_t n)
{
	if (n >= 520 && memcmp(head + 512, "EFI PART", 8) == 0)
		return true;
	if (n >= 11 && (memcmp(head + 3, "NTFS    ", 8) == 0 ||
			memcmp(head + 3, "-FVE-FS-", 8) == 0))
		return true;
	/* An MBR: the boot signature and four entries whose status bytes
	 * are 0x00 or 0x80 (which text or an EVTX header seldom are). */
	if (n < 512 || head[510] != 0x55 || head[511] != 0xaa)
		return false;
	for (int i = 0; i < 4; i++) {
		uint8_t status = head[446 + 16 * i];
		if (status != 0 && status != 0x80)
			return false;
	}
	return true;
}

