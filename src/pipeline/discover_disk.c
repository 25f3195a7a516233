/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* discover, a disk: its partitions (or one volume), each NTFS volume's
 * logs and evidence files, its volume shadow copies, and with --carve
 * what lies outside the NTFS volumes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bid.h"
#include "rules.h"
#include "strbuf.h"
#include "volume.h"
#include "vss.h"
#include "walk.h"

static int log_found(void *ctx, const char *path, uint64_t mft, uint64_t size,
		     bool deleted)
{
	struct walk *w = ctx;
	size_t depth = w->loc.n;
	struct step *s = locator_push(&w->loc, STEP_NTFS, path);
	s->index = mft;
	s->detail = deleted ? xstrdup("deleted") : NULL;
	size_t n = strlen(path);
	bool pf = n > 3 && strcasecmp(path + n - 3, ".pf") == 0;
	bool am = n >= 11 && strcasecmp(path + n - 11, "amcache.hve") == 0;
	static const uint8_t regf[4] = { 'r', 'e', 'g', 'f' };
	bool hv = hive_bid(regf, sizeof regf, path, NULL);
	bool ns = w->opt->traces && rules_netsupport_file(path);
	int rc = ns ? walk_hand_file(w, size) : walk_hand_log(w, size, pf ? INPUT_PREFETCH :
			  am ? INPUT_AMCACHE : hv ? INPUT_HIVE : INPUT_EVTX);
	walk_pop_to(&w->loc, depth);
	return rc;
}

/* The logs of the NTFS volume in vol (borrowed), at w->loc. Returns
 * false when its file system could not be opened at all. */
static bool list_ntfs(struct walk *w, struct source *vol)
{
	char err[SOURCE_ERR_MAX * 2];
	uint64_t listed = 0;
	struct ntfs_list_options lo = { .all_files = w->opt->all_files,
					.deleted = w->opt->carve, .prefetch = w->opt->traces,
					.by_name = w->opt->traces ? rules_netsupport_file : NULL,
					.deleted_by_name = w->opt->traces };
	vol->err[0] = '\0';
	int rc = ntfs_list_logs(vol, &lo, log_found, w, &listed, err, sizeof err);
	if (rc != 0 && !w->stop)
		walk_fail(w, true, "%s%s%s (%llu logs listed before)%s", err,
			  vol->err[0] ? "; reading the layer below failed: " : "", vol->err,
			  (unsigned long long)listed, rc == -2 && w->opt->carve ?
			  "; the whole volume is carved instead" : "");
	return rc != -2;
}

/* The volume shadow copies of the NTFS volume in vol (borrowed), each
 * read as the volume it holds. */
struct store_walk {
	struct walk *w;
	struct source *vol;
};

static int store_found(void *ctx, const struct vss_store *st)
{
	struct store_walk *sw = ctx;
	struct walk *w = sw->w;
	size_t depth = w->loc.n;
	struct step *s = locator_push(&w->loc, STEP_VSS, st->id[0] ? st->id : NULL);
	s->index = st->index;
	s->time = st->created;
	s->size = st->size;
	if (st->err[0]) {
		walk_fail(w, true, "shadow copy store not read: %s", st->err);
	} else {
		char err[SOURCE_ERR_MAX * 2];
		struct source *store = vss_store_open(source_view(sw->vol), st->index,
						      err, sizeof err);
		if (!store) {
			walk_fail(w, true, "shadow copy store not read: %s", err);
		} else {
			w->res->snapshots++;
			list_ntfs(w, store);
			source_close(store);
		}
	}
	walk_pop_to(&w->loc, depth);
	return w->stop ? -1 : 0;
}

static void list_snapshots(struct walk *w, struct source *vol)
{
	char err[SOURCE_ERR_MAX * 2];
	struct store_walk sw = { w, vol };
	if (vss_list(vol, store_found, &sw, err, sizeof err) < 0)
		walk_fail(w, true, "volume shadow copies not read: %s", err);
}

/* One volume (borrowed) of kind k (fs: its name), at w->loc: searched
 * when NTFS, noted when not. */
static void search_volume(struct walk *w, struct source *vol, enum fs_kind k,
			  const char *fs)
{
	switch (k) {
	case FS_NTFS: {
		w->res->volumes++;
		bool opened = list_ntfs(w, vol);
		if (w->opt->vss && !w->stop)
			list_snapshots(w, vol);
		/* no file system to tell free clusters from used: every byte */
		if (w->opt->carve && !w->stop)
			walk_carve_region(w, opened ? CARVE_UNALLOCATED : CARVE_VOLUME,
				     opened ? 0 : vol->size);
		break;
	}
	case FS_ENCRYPTED:
		walk_fail(w, true, "not searched: %s-encrypted volume (decrypt it first, "
			  "then give rmmhunt the decrypted image)", fs);
		break;
	case FS_OTHER:
		walk_fail(w, false, "not searched: %s file system (rmmhunt reads NTFS)", fs);
		break;
	case FS_NONE:
		walk_fail(w, false, "not searched: no file system rmmhunt or The Sleuth Kit "
			  "knows");
		break;
	}
}

static int partition_found(void *ctx, const struct volume *v)
{
	struct walk *w = ctx;
	size_t depth = w->loc.n;
	struct source *vol = source_range(source_view(w->disk), v->offset, v->size);
	char fs[64] = "empty";
	enum fs_kind k = FS_NONE;
	if (vol && vol->size > 0)
		k = volume_identify(vol, fs, sizeof fs);
	struct step *s = locator_push(&w->loc, STEP_PARTITION, fs);
	s->index = v->index;
	s->offset = v->offset;
	s->size = v->size;
	s->detail = v->desc[0] ? xstrdup(v->desc) : NULL;
	if (v->past_end)
		walk_fail(w, true, "the partition table puts it past the end of the disk "
			  "(offset %llu, %llu bytes; the disk has %llu): what lies inside "
			  "was read", (unsigned long long)v->offset,
			  (unsigned long long)v->size, (unsigned long long)w->disk->size);
	if (v->overlaps)
		walk_fail(w, false, "overlaps another partition");
	if (!vol)
		walk_fail(w, true, "out of memory");
	else if (vol->size > 0)
		search_volume(w, vol, k, fs);
	source_close(vol);
	walk_pop_to(&w->loc, depth);
	return w->stop ? -1 : 0;
}

/* The disk at w->disk, whose image step ends w->loc: its partitions (or
 * one volume), their snapshots and, with --carve, what lies outside
 * its NTFS volumes. */
void walk_disk(struct walk *w)
{
	char err[SOURCE_ERR_MAX * 2];
	size_t base = w->loc.n;
	int table = volumes_list(w->disk, partition_found, w, err, sizeof err);
	if (table == -2)
		walk_fail(w, true, "%s: the disk was searched as one volume", err);
	if (table == 0 || table == -2) {
		/* No partition table (or none that can be read): one volume. */
		char fs[64];
		enum fs_kind k = volume_identify(w->disk, fs, sizeof fs);
		locator_push(&w->loc, STEP_VOLUME, fs)->size = w->disk->size;
		if (k == FS_NONE)   /* nothing known in the whole image */
			walk_fail(w, true, "no partition table and no file system rmmhunt "
				  "reads: nothing in this image was searched");
		else
			search_volume(w, w->disk, k, fs);
	}
	if (w->opt->carve && !w->stop) {
		/* The disk outside its NTFS volumes: gaps, unpartitioned
		 * space, volumes of other kinds or none. */
		struct byte_run *runs = NULL;
		size_t n = 0;
		uint64_t total = 0;
		disk_outside_ntfs_runs(w->disk, &runs, &n);
		for (size_t i = 0; i < n; i++)
			total += runs[i].len;
		free(runs);
		walk_pop_to(&w->loc, base);
		if (total > 0)
			walk_carve_region(w, CARVE_OUTSIDE, total);
	}
	walk_pop_to(&w->loc, base);
}
