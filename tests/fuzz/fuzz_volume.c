/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: the input as a disk, from memory, through the walk
 * discovery does on an image's media: the partition table (The Sleuth
 * Kit), what each volume holds, the logs on NTFS (deleted ones too), the
 * volume shadow copy catalog and stores (libvshadow), and a read of
 * every log listed. Checks what the walk promises: every partition lies
 * where it says, every log it lists can be asked for. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "volume.h"
#include "vss.h"

static void read_some(struct source *s)
{
	static uint8_t buf[65536];
	for (uint64_t off = 0; off < s->size && off < ((uint64_t)1 << 20); off += sizeof buf)
		if (source_read(s, off, buf, sizeof buf) < 0)
			break;
}

static int on_log(void *ctx, const char *path, uint64_t mft, uint64_t size, bool deleted)
{
	struct source *vol = ctx;
	char err[SOURCE_ERR_MAX];
	(void)deleted;
	/* An empty file is listed too (discovery notes it: "empty file (0
	 * bytes)"), and The Sleuth Kit may list a file of size 0 whose first
	 * bytes it still reads ($Secure, its $SDS). */
	(void)size;
	if (!path || path[0] != '\\')
		abort();
	struct source *f = ntfs_file_open(source_view(vol), mft, err, sizeof err);
	if (f) {
		read_some(f);
		source_close(f);
	}
	return 0;
}

static void search(struct source *vol, int depth);

static int on_store(void *ctx, const struct vss_store *st)
{
	struct source *vol = ctx;
	char err[SOURCE_ERR_MAX];
	if (st->err[0])
		return 0;
	struct source *s = vss_store_open(source_view(vol), st->index, err, sizeof err);
	if (s) {
		search(s, 1);
		source_close(s);
	}
	return 0;
}

static void search(struct source *vol, int depth)
{
	char name[64], err[SOURCE_ERR_MAX];
	uint64_t listed;
	struct ntfs_list_options lo = { .all_files = depth == 0, .deleted = true };
	if (volume_identify(vol, name, sizeof name) != FS_NTFS)
		return;
	ntfs_list_logs(vol, &lo, on_log, vol, &listed, err, sizeof err);
	if (depth == 0)
		vss_list(vol, on_store, vol, err, sizeof err);
}

static int on_partition(void *ctx, const struct volume *v)
{
	struct source *disk = ctx;
	if (!v->past_end && v->offset + v->size > disk->size)
		abort();
	struct source *vol = source_range(source_view(disk), v->offset, v->size);
	if (vol && vol->size)
		search(vol, 0);
	source_close(vol);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[SOURCE_ERR_MAX];
	struct source *disk = source_memory(data, size);
	if (!disk)
		abort();
	if (volumes_list(disk, on_partition, disk, err, sizeof err) != 1)
		search(disk, 0);
	source_close(disk);
	return 0;
}
