/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: the input as a disk, from memory, through the walk
 * discovery does on an image's media: the partition table (The Sleuth
 * Kit), what each volume holds, the logs on NTFS (deleted ones too), the
 * volume shadow copy catalog and stores (libvshadow), and a read of
 * every log listed. Checks what the walk promises: every partition lies
 * where it says, every log it lists can be asked for, and reads as The
 * Sleuth Kit's own tsk_fs_file_read reads it (ntfs_file_open reads a
 * file of plain clusters straight from them: this holds that to TSK). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "tsk_api.h"
#include "volume.h"
#include "vss.h"

#define READ_MAX ((uint64_t)1 << 20)    /* of each file, at most */

/* TSK's image over a source, as volume.c makes it. */
static ssize_t img_read(TSK_IMG_INFO *img, TSK_OFF_T off, char *buf, size_t len)
{
	struct source *s = *(struct source **)(img + 1);
	return off < 0 ? -1 : source_read(s, (uint64_t)off, buf, len);
}

static void img_close(TSK_IMG_INFO *img)
{
	free(img);
}

static void img_stat(TSK_IMG_INFO *img, FILE *f)
{
	(void)img;
	(void)f;
}

/* The first bytes (up to n) of the file with MFT entry mft on vol as
 * TSK reads them, into buf; how many, or -1 where TSK cannot. */
static ssize_t tsk_bytes(const struct tsk_api *t, struct source *vol, uint64_t mft,
			 uint8_t *buf, size_t n)
{
	TSK_IMG_INFO *img = calloc(1, sizeof *img + sizeof vol);
	if (!img)
		return -1;
	memcpy(img + 1, &vol, sizeof vol);
	TSK_IMG_INFO *i = t->tsk_img_open_external(img, (TSK_OFF_T)vol->size, 512, img_read,
						   img_close, img_stat);
	if (!i) {
		free(img);
		return -1;
	}
	ssize_t got = -1;
	TSK_FS_INFO *fs = t->tsk_fs_open_img(i, 0, TSK_FS_TYPE_NTFS);
	TSK_FS_FILE *f = fs ? t->tsk_fs_file_open_meta(fs, NULL, (TSK_INUM_T)mft) : NULL;
	if (f) {
		got = 0;
		while ((size_t)got < n) {
			ssize_t k = t->tsk_fs_file_read(f, got, (char *)buf + got, n - (size_t)got,
							TSK_FS_FILE_READ_FLAG_NONE);
			if (k <= 0)
				break;
			got += k;
		}
		t->tsk_fs_file_close(f);
	}
	if (fs)
		t->tsk_fs_close(fs);
	t->tsk_img_close(i);
	t->tsk_error_reset();
	return got;
}

/* Reads the first bytes of f (MFT entry mft on vol), and holds each
 * byte both it and TSK read to TSK's. */
static void read_some(struct source *f, struct source *vol, uint64_t mft)
{
	static uint8_t ours[READ_MAX], theirs[READ_MAX];
	size_t want = f->size < READ_MAX ? (size_t)f->size : (size_t)READ_MAX, got = 0;
	while (got < want) {
		ssize_t k = source_read(f, got, ours + got, want - got < 65536 ? want - got : 65536);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	const struct tsk_api *t = tsk_api_load(NULL, 0);
	ssize_t tk = t && got ? tsk_bytes(t, vol, mft, theirs, got) : -1;
	if (tk > 0 && memcmp(ours, theirs, (size_t)tk) != 0)
		abort();
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
		read_some(f, vol, mft);
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
