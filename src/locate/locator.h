/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* locator: where a log came from, as a value.
 *
 * A list of steps from a file on disk down to the bytes that were read:
 *
 *   laptop.E01 › E01 image › partition 2 (NTFS, offset 1048576) ›
 *   VSS store 1 (2024-03-01T02:00:00Z) › \Windows\...\Sysmon.evtx
 *
 * Each step holds what is needed to open that layer again (a worker
 * gets a locator and reopens the chain, see locator_open) and what a
 * person needs to read it (locator_format). Reports render a locator;
 * only the discovery code builds one. */
#ifndef RMMHUNT_LOCATOR_H
#define RMMHUNT_LOCATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"

/* The kinds of step, with what each uses of struct step:
 *   X(enum name, JSON name, the prefix of its functions in steps.c:
 *     how it is opened again and read by a person) */
#define STEP_KINDS(X) \
	X(STEP_FILE,      "file",           file)      /* name: path on disk */ \
	X(STEP_IMAGE,     "image",          image)     /* name: format; detail:
	                                                  stored hash */ \
	X(STEP_PARTITION, "partition",      partition) /* index, offset, size;
	                                                  name: type */ \
	X(STEP_VOLUME,    "volume",         volume)    /* the whole image is one
	                                                  volume */ \
	X(STEP_VSS,       "vss_store",      vss)       /* index, time (creation);
	                                                  name: id */ \
	X(STEP_NTFS,      "ntfs_file",      ntfs)      /* name: path; index: MFT
	                                                  entry */ \
	X(STEP_ARCHIVE,   "archive_member", archive)   /* name: the member's path
	                                   as stored; index: its entry; size;
	                                   detail: the archive's format */ \
	X(STEP_SPARSE,    "sparse_index",   sparse)    /* the member before,
	                                   stored compacted, expanded by its
	                                   range index (sparse.h), a sibling
	                                   member: name: its path; index: its
	                                   entry; offset: its size; size: the
	                                   expanded file's */ \
	X(STEP_CARVED,    "carved",         carved)    /* name: which bytes of
	                                   the layer above were searched for
	                                   chunks, CARVE_UNALLOCATED,
	                                   CARVE_OUTSIDE or CARVE_WHOLE; detail:
	                                   why, where not asked (CARVE_DAMAGED);
	                                   size: how many (0: found by the
	                                   worker that reads them) */

enum step_kind {
#define X(e, s, p) e,
	STEP_KINDS(X)
#undef X
	STEP_KIND_COUNT
};

/* What a carved step searched: recomputed by the worker that reads it,
 * from the layer above (so the locator stays small). */
#define CARVE_UNALLOCATED "unallocated clusters"   /* of an NTFS volume */
#define CARVE_OUTSIDE "outside NTFS volumes"       /* of a disk */
#define CARVE_WHOLE "the whole file"               /* a loose file */
#define CARVE_VOLUME "the whole volume"            /* an NTFS volume whose
                                                      file system cannot
                                                      be opened */
/* The detail of a CARVE_WHOLE step over a log whose file header is not
 * there: carved whether --carve was asked or not. */
#define CARVE_DAMAGED "file header damaged"

/* A step's members beside its kind, one line each: X(form, member,
 * what it holds), form NUM (uint64_t), TICKS (int64_t FILETIME ticks,
 * TIME_NONE when none) or STR (owned, may be NULL). What each holds for
 * a kind is STEP_KINDS' to say. The struct, its copy and clearing, the
 * worker's frames (wire.c) and the part (part_write.c, part_read.c: by
 * name, in this order) follow from this list: a member added here
 * reaches them all (tests/test_coverage.c). */
#define STEP_MEMBERS(X) \
	X(NUM, index, "which one: a partition's, a store's, an entry's") \
	X(NUM, offset, "where it starts in the layer above") \
	X(NUM, size, "its bytes") \
	X(TICKS, time, "when it was made (a store's creation)") \
	X(STR, name, "its name, a path, a format") \
	X(STR, detail, "more: a table's description, why, deleted")

struct step {
	enum step_kind kind;
#define STEP_NUM(m) uint64_t m;
#define STEP_TICKS(m) int64_t m;
#define STEP_STR(m) char *m;
#define X(form, member, doc) STEP_##form(member)
	STEP_MEMBERS(X)
#undef X
#undef STEP_NUM
#undef STEP_TICKS
#undef STEP_STR
};

struct locator {
	struct step *steps;  /* owned */
	size_t n;
};

/* The step's kind as the JSON names it. */
const char *step_kind_name(enum step_kind k);

/* Appends a step (name and detail copied; either may be NULL) and
 * returns it. */
struct step *locator_push(struct locator *loc, enum step_kind kind, const char *name);

/* Appends the step of a whole file searched for chunks (CARVE_WHOLE):
 * its size, and why where --carve did not ask it (CARVE_DAMAGED; NULL
 * when it did). Returns it. */
struct step *locator_push_carved_whole(struct locator *loc, uint64_t size, const char *why);

/* Deep copy into dst (which is overwritten). */
void locator_copy(struct locator *dst, const struct locator *src);
void locator_clear(struct locator *loc);

/* The path of the file on disk the chain starts from (step 0). */
const char *locator_path(const struct locator *loc);

/* Whether the log is read straight from a file on disk. */
bool locator_is_plain_file(const struct locator *loc);

struct strbuf;
/* One step as the line below shows it (nothing for an image format):
 * its kind's label (steps.c). */
void locator_format_step(struct strbuf *sb, const struct step *s);

/* One readable line, as above (for a plain file: its path). A new
 * string the caller frees. */
char *locator_format(const struct locator *loc);

/* Where the layer after step upto - 1 starts in the image's media: the
 * offsets of the partitions on the way (0 for a bare volume). */
uint64_t locator_layer_offset(const struct locator *loc, size_t upto);

/* The origin of a copy of an event read where loc points (enum origin,
 * event.h). */
enum origin locator_origin(const struct locator *loc);
const char *origin_name(enum origin o);



/* ---- reopening ------------------------------------------------------ */

struct source;
struct sparse_index;
struct archive_options;

/* Where the disk image inside an archive that steps [0, n) of loc lead
 * to (the last an archive member) is copied to be read as an image: in
 * a folder of aopt->spool_dir named by the SHA-256 of that place, so
 * that discovery, which copies it, and every worker that reads a log in
 * it name the same file, under the member's own file name (a VMDK's
 * descriptor names its extent by it) or, when that is not a plain
 * name, "image." and format f's extension. Returns 0, or -1 when there
 * is no spool folder. */
struct image_format;
int image_spool_path(const struct archive_options *aopt, const struct locator *loc, size_t n,
		     const struct image_format *f, char *out, size_t outsz);

/* The range index that step i (STEP_SPARSE, possibly not yet pushed:
 * loc->steps[i] must be filled in) names beside the archive member of
 * step i - 1, whose stored size is stored_size, read and checked into ix
 * (sparse_index_free() it, also on failure). Returns 0, or -1 with err. */
int sparse_index_read(const struct locator *loc, size_t i, uint64_t stored_size,
		      const struct archive_options *aopt, struct sparse_index *ix, char *err,
		      size_t errsz);

/* Opens the chain the locator describes, read-only, down to its last
 * step, and returns that layer as a source (closing it closes the
 * chain). NULL with err set, naming the layer that failed, on error.
 * media (may be NULL): set to the chain's lowest layer that is a disk
 * (the image's media, or the file itself), borrowed, for counting what
 * was read of it. aopt (may be NULL): the passwords to try on encrypted
 * archive members (archives.h). */
struct source *locator_open(const struct locator *loc, struct source **media,
			    const struct archive_options *aopt, char *err, size_t errsz);

/* The layer step i of loc opens over cur (the layer before, which it
 * takes; NULL for the first step): its kind's row of steps.c. NULL with
 * err when it cannot. */
struct source *step_open(const struct locator *loc, size_t i, struct source *cur,
			 const struct archive_options *aopt, char *err, size_t errsz);

#endif
