/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* discover's walk, shared by its files (internal to src/pipeline):
 * discover.c the walk and what it hands on, discover_disk.c a disk's
 * partitions, NTFS volumes and their shadow copies, discover_archive.c
 * an archive's members. One file a layer that is listed. */
#ifndef RMMHUNT_DISCOVER_WALK_H
#define RMMHUNT_DISCOVER_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include "discover.h"
#include "input.h"
#include "locator.h"
#include "source.h"

struct walk {
	const struct collect_options *opt;
	const struct discover_sink *sink;
	struct discover_result *res;
	struct source *disk;     /* the image's media, borrowed */
	struct locator loc;      /* where the walk is now */
	bool stop;
	int depth;               /* archives: how deep in archives inside archives */
	char archive_format[64]; /*   and the format of the one being listed */
	/* archives: the last log member listed, held back one member in
	 * case its range index (sparse.h) follows it, as Velociraptor
	 * writes it; n == 0 when none */
	struct locator held;
	uint64_t held_size;
	/* archives: the work asked of the archive named (archives.h):
	 * members handed on and their bytes, each with those of the
	 * archives above it; the limits; the members left for them */
	uint64_t members, members_max, work, work_max, over;
};

/* A part failed: the image is partial (incomplete), the part gets a note
 * at w->loc. */
void walk_fail(struct walk *w, bool incomplete, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Drops the steps past n (back to where the walk was). */
void walk_pop_to(struct locator *loc, size_t n);

/* A log at w->loc, size bytes: handed on, or noted when empty. Returns
 * the sink's answer (-1: stop). */
int walk_hand_log(struct walk *w, uint64_t size, enum input_kind kind);

/* One of NetSupport's files at w->loc: handed on even when empty (an
 * empty NSM.LIC was still put there). */
int walk_hand_file(struct walk *w, uint64_t size);

/* --carve: a region of the layer at w->loc, read for chunks by a worker
 * of its own (size 0: only it knows). */
void walk_carve_region(struct walk *w, const char *region, uint64_t size);

/* The disk at w->disk, whose image step ends w->loc: its partitions (or
 * one volume), their snapshots and, with --carve, what lies outside
 * its NTFS volumes (discover_disk.c). */
void walk_disk(struct walk *w);

/* The archive im names, member by member (discover_archive.c). */
void walk_archive(const struct image_input *im, struct walk *w);

#endif
