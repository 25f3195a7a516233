/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: the input as a disk image file, through the image
 * layer: every format's bid, and the open of the format it bids for
 * (libewf, libvmdk, libvhdi, libqcow read files by name, so the input is
 * written to a file named for each format in turn), then reads spread
 * over the media. Checks: a bid is stable, a source opened says its
 * size and reads within it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image.h"

static const char *const names[] = { "f.E01", "f.vmdk", "f.vhdx", "f.vhd", "f.qcow2",
				     "f.001", "f.raw" };

static void exercise(struct source *media)
{
	static uint8_t buf[4096];
	uint64_t step = media->size / 7 + 1;
	for (uint64_t off = 0; off < media->size; off += step)
		if (source_read(media, off, buf, sizeof buf) < 0)
			break;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64];
	char path[128], err[SOURCE_ERR_MAX];
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/fuzz_image.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
	}
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
			abort();
		struct source *file = source_file_open(path, err, sizeof err);
		if (!file)
			abort();
		bool part = false, part2 = false;
		const struct image_format *fmt = image_bid(file, path, &part);
		if (image_bid(file, path, &part2) != fmt || part != part2)
			abort();
		source_close(file);
		if (fmt && !part) {
			char *detail = NULL;
			struct source *media = image_open(fmt, path, &detail, err, sizeof err);
			if (media) {
				exercise(media);
				source_close(media);
			}
			free(detail);
		}
		unlink(path);
	}
	return 0;
}
