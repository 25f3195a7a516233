/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Raw images: a disk (MBR, GPT) or a bare volume (NTFS, BitLocker) by
 * its first bytes, for the raw format's bid on a file and on an archive
 * member (a raw image in a zip). Raw bids last: any disk looks like one. */
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

/* ---- the raw format -------------------------------------------------- */

extern const struct image_format image_split, image_vhd;

/* A disk that is the first part of a split set, or a fixed VHD (a raw
 * disk with a footer), is theirs, not raw's. */
static enum image_bid raw_bid(const uint8_t *head, size_t n, struct source *file,
			      const char *path)
{
	if (file->size < RAW_MIN_SIZE || !raw_looks_like_disk(head, n) ||
	    image_split.bid(head, n, file, path) != BID_NO ||
	    image_vhd.bid(head, n, file, path) != BID_NO)
		return BID_NO;
	return BID_YES;
}

static struct source *raw_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)detail;
	return source_file_open(path, err, errsz);
}

/* A disk image with no header (dd): discovery wants 1 MiB at least. */
const struct image_format image_raw = {
	.name = "raw", .bid = raw_bid, .open = raw_open, .in_archive = raw_looks_like_disk,
	.min_size = RAW_MIN_SIZE,
};
