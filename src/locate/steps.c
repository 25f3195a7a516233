/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* steps: each kind of step a locator holds (STEP_KINDS, locator.h), a
 * section and one row of the table below: how a worker opens its layer
 * again over the layer before (which it takes), and how a person reads
 * it. The container code each calls is the layer's own (image.h,
 * volume.h, vss.h, archives.h, sparse.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archives.h"
#include "image.h"
#include "layout.h"
#include "locator.h"
#include "source.h"
#include "sparse.h"
#include "strbuf.h"
#include "timefmt.h"
#include "volume.h"
#include "vss.h"

#define OPEN_ARGS const struct locator *loc, size_t i, struct source *cur, \
	const struct archive_options *aopt, char *err, size_t errsz
#define UNUSED_OPEN_ARGS (void)loc, (void)i, (void)aopt, (void)err, (void)errsz

/* ---- a file on disk: its path ---------------------------------------- */

static struct source *file_reopen(OPEN_ARGS)
{
	(void)aopt;
	source_close(cur);
	return source_file_open(loc->steps[i].name, err, errsz);
}

static void file_label(struct strbuf *sb, const struct step *s)
{
	sb_puts(sb, s->name ? s->name : "");
}

/* ---- a disk image: its format (image.h) -------------------------------- */

/* The image libraries open by name: E01 segments and VMDK extents are
 * found beside the first file; an image inside an archive, by the name
 * of the copy discovery made of it. */
static struct source *image_reopen(OPEN_ARGS)
{
	const struct step *s = &loc->steps[i];
	const struct image_format *f = image_format_by_name(s->name ? s->name : "");
	char copy[4096];
	const char *path = locator_path(loc);
	source_close(cur);
	if (i >= 2 && loc->steps[i - 1].kind == STEP_ARCHIVE) {
		if (image_spool_path(aopt, loc, i, f, copy, sizeof copy) != 0) {
			source_set_err(err, errsz, "a disk image inside an archive, and no "
				       "copy of it to read");
			return NULL;
		}
		path = copy;
	}
	return image_open(f, path, NULL, err, errsz);
}

static void image_label(struct strbuf *sb, const struct step *s)
{
	(void)sb, (void)s;   /* the format is in the JSON; the file name says enough */
}

/* ---- a partition, or a disk that is one volume ---------------------------- */

static struct source *partition_reopen(OPEN_ARGS)
{
	UNUSED_OPEN_ARGS;
	return source_range(cur, loc->steps[i].offset, loc->steps[i].size);
}

static void partition_label(struct strbuf *sb, const struct step *s)
{
	sb_printf(sb, "partition %llu (%s, offset %llu)", (unsigned long long)s->index,
		  s->name ? s->name : "unknown type", (unsigned long long)s->offset);
}

static struct source *volume_reopen(OPEN_ARGS)
{
	UNUSED_OPEN_ARGS;
	return cur;
}

static void volume_label(struct strbuf *sb, const struct step *s)
{
	sb_printf(sb, "volume (%s, no partition table)", s->name ? s->name : "unknown");
}

/* ---- a volume shadow copy (vss.h) ------------------------------------------ */

static struct source *vss_reopen(OPEN_ARGS)
{
	(void)aopt;
	return vss_store_open(cur, loc->steps[i].index, err, errsz);
}

static void vss_label(struct strbuf *sb, const struct step *s)
{
	char when[TIME_TEXT_SIZE];
	time_format(s->time, when);
	sb_printf(sb, "VSS store %llu (%s%s)", (unsigned long long)s->index,
		  s->time == TIME_NONE ? "creation time unknown" : when,
		  s->time == TIME_NONE ? "" : "Z");
}

/* ---- a file on an NTFS volume, by its MFT entry (volume.h) ------------------ */

static struct source *ntfs_reopen(OPEN_ARGS)
{
	(void)aopt;
	return ntfs_file_open(cur, loc->steps[i].index, err, errsz);
}

static void ntfs_label(struct strbuf *sb, const struct step *s)
{
	sb_puts(sb, s->name ? s->name : "?");
	if (s->detail && strcmp(s->detail, "deleted") == 0)
		sb_printf(sb, " (deleted, MFT entry %llu)", (unsigned long long)s->index);
}

/* ---- an archive's member (archives.h) ---------------------------------------- */

/* The file itself is read with seeks (a zip's central directory); a
 * member inside a member, front to back. */
static struct source *archive_reopen(OPEN_ARGS)
{
	const struct step *s = &loc->steps[i];
	return archive_member_open(cur, i == 1, s->index, s->size, aopt, err, errsz);
}

static void archive_label(struct strbuf *sb, const struct step *s)
{
	char orig[1024];
	bool snap;
	sb_printf(sb, "%s member %s", s->detail ? s->detail : "archive", s->name ? s->name : "?");
	if (layout_original_path(s->name, orig, sizeof orig, &snap))
		sb_printf(sb, " (%s%s)", orig, snap ? ", a shadow copy" : "");
}

/* ---- a compacted member expanded by its range index (sparse.h) -------------- */

/* The compacted member cur (taken) expanded by the index step i names. */
static struct source *sparse_reopen(OPEN_ARGS)
{
	struct sparse_index ix;
	if (!cur)
		return NULL;
	if (sparse_index_read(loc, i, cur->size, aopt, &ix, err, errsz) != 0) {
		sparse_index_free(&ix);
		source_close(cur);
		return NULL;
	}
	struct source *s = ix.size == loc->steps[i].size ? source_sparse(cur, &ix) : NULL;
	if (ix.size != loc->steps[i].size) {
		source_set_err(err, errsz, "sparse index: %llu bytes expanded, %llu when listed",
			       (unsigned long long)ix.size, (unsigned long long)loc->steps[i].size);
		source_close(cur);
	} else if (!s) {
		source_set_err(err, errsz, "out of memory");
	}
	sparse_index_free(&ix);
	return s;
}

static void sparse_label(struct strbuf *sb, const struct step *s)
{
	sb_printf(sb, "expanded by %s", s->name ? s->name : "its range index");
}

/* ---- bytes searched for chunks (carve.h) ------------------------------------- */

/* The bytes a carved step searched, as one source of runs of cur. */
static struct source *carved_reopen(OPEN_ARGS)
{
	const struct step *s = &loc->steps[i];
	(void)aopt;
	struct byte_run *runs = NULL;
	size_t n = 0;
	if (!cur)
		return NULL;
	if (s->name && strcmp(s->name, CARVE_UNALLOCATED) == 0) {
		if (ntfs_unallocated_runs(cur, &runs, &n, err, errsz) != 0) {
			free(runs);
			source_close(cur);
			return NULL;
		}
	} else if (s->name && strcmp(s->name, CARVE_OUTSIDE) == 0) {
		disk_outside_ntfs_runs(cur, &runs, &n);
	} else if (s->name && (strcmp(s->name, CARVE_WHOLE) == 0 ||
			       strcmp(s->name, CARVE_VOLUME) == 0)) {
		/* one run: offsets stay the file's, as the reader asks them of
		 * a runs source */
		runs = xmalloc(sizeof *runs);
		runs[0] = (struct byte_run){ .off = 0, .len = cur->size };
		n = 1;
	} else {
		source_close(cur);
		source_set_err(err, errsz, "unknown carved region");
		return NULL;
	}
	struct source *r = source_runs(cur, runs, n);
	free(runs);
	if (!r)
		source_set_err(err, errsz, "out of memory");
	return r;
}

static void carved_label(struct strbuf *sb, const struct step *s)
{
	sb_printf(sb, "%s (carved)", s->name ? s->name : "region");
}

/* ---- the table ------------------------------------------------------------- */

struct step_ops {
	struct source *(*open)(OPEN_ARGS);
	void (*label)(struct strbuf *sb, const struct step *s);
};

static const struct step_ops ops[STEP_KIND_COUNT] = {
#define X(e, json, p) [e] = { p##_reopen, p##_label },
	STEP_KINDS(X)
#undef X
};

struct source *step_open(OPEN_ARGS)
{
	enum step_kind k = loc->steps[i].kind;
	if (k >= STEP_KIND_COUNT) {
		source_close(cur);
		source_set_err(err, errsz, "unknown step");
		return NULL;
	}
	return ops[k].open(loc, i, cur, aopt, err, errsz);
}

void locator_format_step(struct strbuf *sb, const struct step *s)
{
	if (s->kind < STEP_KIND_COUNT)
		ops[s->kind].label(sb, s);
	else
		sb_puts(sb, "?");
}
