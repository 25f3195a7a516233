/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* volume: The Sleuth Kit over a source: the partitions of a disk, what
 * file system a volume holds, the logs on an NTFS volume, and one NTFS
 * file as a source of its own.
 *
 * TSK is handed our bytes through tsk_img_open_external(), so every
 * image format (QCOW2 included, which TSK 4.11 cannot open itself),
 * every partition and every snapshot store reaches it the same way. */
#ifndef RMMHUNT_VOLUME_H
#define RMMHUNT_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "source.h"

struct volume {
	uint64_t index;      /* 1-based, among the table's allocated
	                        partitions, in table order */
	uint64_t offset;     /* bytes, from the start of the disk */
	uint64_t size;       /* bytes */
	char desc[80];       /* what the table says it is */
	bool past_end;       /* the table puts it (partly) past the disk's end */
	bool overlaps;       /* it overlaps an earlier partition */
};

/* Called for each allocated partition; returns 0, or -1 to stop. */
typedef int (*volume_fn)(void *ctx, const struct volume *v);

/* Lists the partitions of the disk in src (borrowed). Returns 1 when it
 * has a partition table (MBR with its extended partitions, GPT), 0 when
 * it has none (a bare volume: the caller reads it whole), -1 when fn
 * stopped it, -2 when it has the signature of a table that The Sleuth
 * Kit cannot read (err says why; TSK refuses a whole table for one
 * entry it does not accept). */
int volumes_list(struct source *disk, volume_fn fn, void *ctx, char *err, size_t errsz);

enum fs_kind { FS_NTFS, FS_ENCRYPTED, FS_OTHER, FS_NONE };

/* What the volume in src holds: NTFS, BitLocker (FS_ENCRYPTED), another
 * file system TSK knows (name set: "FAT32", "ext4"), or nothing it
 * knows. */
enum fs_kind volume_identify(struct source *vol, char *name, size_t namesz);

/* Called for each log found on an NTFS volume: its path (with '\'),
 * MFT entry and size, and whether it is a deleted file (its MFT entry no
 * longer in use, its data perhaps still there). Returns 0, or -1 to
 * stop. */
typedef int (*ntfs_file_fn)(void *ctx, const char *path, uint64_t mft_entry, uint64_t size,
                            bool deleted);

struct ntfs_list_options {
	bool all_files;      /* every regular file that starts with the EVTX
	                        signature, not only names ending in .evtx */
	bool deleted;        /* deleted files too (each MFT entry once) */
	bool prefetch;       /* Prefetch files too: names ending in ".pf" (or,
	                        with all_files, a Prefetch signature) */
	bool (*by_name)(const char *name);   /* files this says yes to by
	                        their name, too (may be NULL) */
	bool deleted_by_name;  /* and those of them deleted, even without
	                        deleted, where the directory still names them
	                        and their MFT entry is not reused: NetSupport's
	                        files removed by whoever put them there (no
	                        orphan search, which reads the whole MFT) */
};

/* Lists the logs on the NTFS volume in vol (borrowed): files whose name
 * ends in ".evtx" (any case), or as opt says. Returns 0; -1 with err set
 * when the directory tree cannot be walked in full (what was listed
 * before stays listed: *listed says how many); -2 with err set when the
 * file system cannot be opened at all (its MFT unreadable: nothing
 * listed, no unallocated clusters to tell). */
int ntfs_list_logs(struct source *vol, const struct ntfs_list_options *opt,
                   ntfs_file_fn fn, void *ctx, uint64_t *listed, char *err, size_t errsz);

/* The file with that MFT entry on the NTFS volume in vol, as a source
 * (its default $DATA, as TSK reads it: resident, non-resident, sparse,
 * compressed). Takes vol. Returns NULL with err set on failure. Where
 * its data is nothing but plain clusters (ntfs_plain_runs), it is read
 * straight from vol, past TSK. */
struct source *ntfs_file_open(struct source *vol, uint64_t mft_entry, char *err,
                              size_t errsz);

/* A run of a file's clusters as TSK lists it: its first cluster in the
 * file, its first in the volume, how many, and TSK's flags for it
 * (sparse, a filler for a run not seen, encrypted; 0: none). */
struct ntfs_run {
	uint64_t file_cluster, addr, len;
	unsigned flags;
};

/* The n runs of a file of size bytes (clusters of cluster bytes, on a
 * volume of vol_size bytes) as byte runs of the volume holding exactly
 * its bytes, the last cut at its end: a new array (*n_out of them) the
 * caller frees. NULL where the runs are not plain clusters laid end to
 * end from the file's start, all inside the volume: a flag, a gap, an
 * empty run, a cluster past the volume, too few clusters. */
struct byte_run *ntfs_plain_runs(const struct ntfs_run *v, size_t n, uint64_t size,
                                 uint64_t cluster, uint64_t vol_size, size_t *n_out);

/* The unallocated clusters of the NTFS volume in vol (borrowed), as byte
 * runs of the volume (adjacent clusters merged), in a new array the
 * caller frees. Returns 0, or -1 with err set. */
int ntfs_unallocated_runs(struct source *vol, struct byte_run **runs, size_t *n,
                          char *err, size_t errsz);

/* The bytes of the disk in disk (borrowed) outside its NTFS volumes:
 * gaps between partitions, unpartitioned space, partitions with another
 * file system or none rmmhunt reads, a whole disk without an NTFS volume.
 * A new array the caller frees; *n may be 0. */
void disk_outside_ntfs_runs(struct source *disk, struct byte_run **runs, size_t *n);

/* Loads The Sleuth Kit now (see tsk_api.h): the parent calls it before
 * forking the workers that read images, so that they inherit it. */
void volume_preload(void);

/* The version of The Sleuth Kit in use (static), loading it if need be;
 * NULL with err (errsz bytes) saying why when it cannot be loaded. */
const char *volume_tsk_version(char *err, size_t errsz);

#endif
