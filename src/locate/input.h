/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* input: one piece of evidence rmmhunt reads (a log, a Prefetch file, a
 * hive, a file), where it lies (its locator) and what became of reading
 * it (its coverage): the data type the stages after locate/ hand along.
 * The list is filled by pipeline/collect.c and the workers. */
#ifndef RMMHUNT_INPUT_H
#define RMMHUNT_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "image.h"
#include "locator.h"

enum input_status { INPUT_OK, INPUT_PARTIAL, INPUT_FAILED };

/* What kind of evidence an input is, and so which reader reads it. */
enum input_kind {
	INPUT_EVTX,             /* an event log: read_evtx() (reader.h) */
	INPUT_PREFETCH,         /* a Prefetch file: read_prefetch() (prefetch.h) */
	INPUT_AMCACHE,          /* an Amcache hive: read_amcache() (amcache.h) */
	INPUT_HIVE,             /* NTUSER.DAT, SOFTWARE, SYSTEM: read_hive() (hive.h) */
	INPUT_FILE,             /* one of NetSupport's files, found by name (file.h) */
	INPUT_KIND_COUNT
};

struct input_list;

/* An input's counts of what was read, one line each: its member of
 * struct input, its name in the JSON report, where the JSON places it
 * (READ: with the records, before the times; MEDIA, then CARVE: after
 * them), and what it counts. The struct, the worker's coverage frame
 * (wire.c), the part's "counts" (part_write.c, part_read.c: by position,
 * in this order) and the JSON report (report_json.c) follow from this
 * list: a count added here reaches all four (tests/test_coverage.c). */
#define INPUT_COUNTS(X) \
	X(records, "records", READ, "allocated records read") \
	X(recovered, "recovered_records", READ, "records recovered from slack") \
	X(record_errors, "record_errors", READ, "allocated records that could not be parsed") \
	X(recovered_errors, "recovered_record_errors", READ, \
	  "recovered fragments that could not be parsed") \
	X(records_refused, "records_refused", READ, \
	  "of the record errors (and the recovered records, with --recovered), those " \
	  "never handed to libevtx: binary-XML bombs") \
	X(eid7, "sysmon_eid7_records", READ, "allocated Sysmon Event ID 7 records") \
	X(eid7_recovered, "sysmon_eid7_recovered_records", READ, \
	  "recovered ones (duplicates included)") \
	X(media_read, "media_bytes_read", MEDIA, \
	  "in an image: bytes of its media read to read this log (every layer's reads)") \
	X(carved_chunks, "carved_chunks", CARVE, "--carve: chunks kept (signature, CRCs)") \
	X(carve_rejected, "carve_rejected_signatures", CARVE, \
	  "and signatures whose CRCs failed") \
	X(spooled, "spooled_bytes", MEDIA, \
	  "in an archive: bytes copied to temporary files to read the member back")

enum input_count_group { COUNT_READ, COUNT_MEDIA, COUNT_CARVE };

struct input {
	char *path;             /* the file on disk it is in, as found; owned */
	struct locator loc;     /* where the log is, from that file down; owned */
	char *where;            /* loc as one readable line (for a log read
	                           straight from disk, its path); owned */
	uint32_t image;         /* index into input_list.images + 1; 0: none */
	bool named;             /* given on the command line, not found in a directory */
	uint64_t size;
	char sha256[65];        /* hex; "" when the file could not be read */
	enum input_status status;
	char *reason;           /* why partial or failed; owned; NULL when ok */

#define X(member, json, group, doc) uint64_t member;
	INPUT_COUNTS(X)         /* the counts of what was read: see above */
#undef X
	int64_t first_time;        /* earliest / latest record written time */
	int64_t last_time;         /*   (TIME_NONE when no record) */
	bool dirty;                /* file header says it was not closed cleanly */
	char **computers;          /* distinct System/Computer values; owned */
	size_t n_computers;
	bool interrupted;          /* not read (in full) because the run was
	                              interrupted (input_list.interrupted) */
	uint8_t kind;              /* enum input_kind */
	char *artifact;            /* a Prefetch file: what it is, one line
	                              (prefetch_summary); owned, NULL else */
	uint64_t *keys;            /* keys_known: the keys of the values a
	                              story could ask of its records
	                              (evtx/value_keys.h), sorted; owned */
	uint32_t n_keys;
	bool keys_known;           /* false: not kept (not read through the
	                              pre-filter, too many, or over the run's
	                              budget): a story pass reads it again */
};

/* Gives in the sorted keys v[0..n) (taken: freed with it), known. */
void input_take_keys(struct input *in, uint64_t *v, size_t n);
/* Drops in's keys: no longer known. */
void input_drop_keys(struct input *in);

/* Records a reason; the first partial/failed reason wins, later ones
 * are appended. status only ever gets worse. */
void input_note(struct input *in, enum input_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void input_add_computer(struct input *in, const char *name);
/* Whether the input cannot show the detection at all: no Sysmon Event
 * ID 7 in it (a carved region that holds none says nothing of any host,
 * and is not blind). */
bool input_blind(const struct input *in);
/* The hosts (Computer names, and a SYSTEM hive's computer name) that no
 * event log logging Sysmon Event ID 7 names: the detection could not
 * look at them. Sorted, distinct; *names
 * is a new array (free it) of strings borrowed from l. Returns how many. */
size_t input_list_blind_hosts(const struct input_list *l, const char ***names);
/* The input's place as one line: its locator rendered. */
const char *input_where(const struct input *in);
/* Appends an input for the log at loc (copied), size bytes, in image
 * image (index + 1, 0 for none); returns it. */
struct input *input_list_add(struct input_list *l, const struct locator *loc,
                             bool named, uint64_t size, uint32_t image);
/* How many inputs were checked: read (not failed) and not a region
 * carved without finding a chunk. None: nothing was checked, which is
 * never a clean scan. */
size_t input_list_checked(const struct input_list *l);
/* Whether images[i] was opened and yielded nothing checked: no log, no
 * Prefetch file, hive or NetSupport file read from it, and no carved
 * region of it holding a chunk. Its machine was not looked at, which
 * is never clean. */
bool input_list_image_empty(const struct input_list *l, size_t i);
/* How many images are so. */
size_t input_list_empty_images(const struct input_list *l);
/* How many skipped entries count against the scan (not read), and how
 * many images could not be listed in full. */
size_t input_list_not_read(const struct input_list *l);
size_t input_list_images_not_whole(const struct input_list *l);
/* Appends a skipped entry. */
void input_list_skip(struct input_list *l, const char *where, bool incomplete,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void input_add_time(struct input *in, int64_t ticks);
void input_clear(struct input *in);

/* Puts the inputs in one order, whatever order they were named or found
 * in: by the path of the file on disk each is in, then the order of a
 * file's own logs as its listing gave them (partitions, snapshots,
 * carved regions); the images by path, the skipped entries by path and
 * reason. The same evidence then gives the same reports, in one run or
 * merged from parts. Returns a new array (free it) mapping each old input index to
 * its new one, for the events read (findings_renumber). */
uint32_t *input_list_sort(struct input_list *l);
const char *input_status_name(enum input_status s);
const char *input_kind_name(enum input_kind k);

/* Why a path the user named or met was not taken as an input, or a
 * part of an image that was not searched. */
struct skipped {
	char *path;             /* a path, or a place in an image (a locator
	                           rendered) */
	char *reason;
	bool incomplete;        /* counts against the scan (exit status 4):
	                           something that could hold logs was not
	                           read; false for a part that was listed and
	                           holds no file system rmmhunt reads */
};

/* A disk image's counts of what its listing found and read, one line
 * each: its member of struct image_input (and of the listing's result,
 * pipeline/discover.h), its name in the part, its name in the JSON
 * report's "images", and what it counts. The worker's done frame
 * (wire.c), the part (part_write.c, part_read.c: by name) and the JSON
 * report (report_json.c) follow from this list: a count added here
 * reaches all of them (tests/test_coverage.c). */
#define IMAGE_COUNTS(X) \
	X(logs, "logs", "logs", "logs found in it") \
	X(volumes, "volumes", "ntfs_volumes", "NTFS volumes searched") \
	X(snapshots, "snapshots", "vss_stores", "VSS stores searched") \
	X(media_read, "media_read", "media_bytes_read", \
	  "bytes of its media read to list its logs") \
	X(spooled, "spooled", "spooled_bytes", \
	  "an archive: bytes of the disk images inside it copied to be read as images")

/* A disk image found among the inputs: its logs are listed by a worker
 * (discovery), then read like any other input. */
struct image_input {
	char *path;             /* its first file; owned */
	const struct image_format *format;   /* image.h */
	bool named;
	uint64_t size;          /* of the first file */
	char *detail;           /* what the image stores about itself (an
	                           E01's acquisition hashes); owned, or NULL */
	enum input_status status;
	char *reason;           /* owned; NULL when it was listed in full */
	bool listing_failed;    /* the worker listing it failed (else a
	                           partial status comes from a part's note) */
#define X(member, part, json, doc) uint64_t member;
	IMAGE_COUNTS(X)         /* what its listing found and read: see above */
#undef X
	char *verify;           /* --verify-image: what the check found;
	                           owned, NULL when not asked */
};

/* Frees im's strings and zeroes it. */
void image_input_clear(struct image_input *im);

struct input_list {
	struct input *items;
	size_t n, cap;
	struct skipped *skipped;    /* named paths that are missing, unreadable, not EVTX */
	size_t n_skipped, cap_skipped;
	uint64_t ignored_non_evtx;  /* files in directories without the EVTX signature */
	uint64_t image_parts;       /* later parts of image sets (E02, extents) */
	struct image_input *images; /* owned */
	size_t n_images;
	char *interrupted;          /* why reading stopped before the end (a
	                               signal, --deadline); owned; NULL if not */
	bool traces;                /* set before inputs_collect: Prefetch files
	                               are inputs too (not --no-traces) */
	bool carve;                 /* set before inputs_collect: a loose file
	                               of no kind rmmhunt knows is carved */
	size_t keys_kept;           /* the inputs' keys in all: at most
	                               INPUT_KEYS_BUDGET (input_keep_keys) */
};

/* The keys (input.keys) a run keeps in all, 8 bytes each: a run over
 * many collections stays within its memory; the logs past it are read
 * again by a story pass, as they would be without keys. */
#define INPUT_KEYS_BUDGET ((size_t)1 << 20)
/* Counts in's keys against l's budget, or drops them when over it. */
void input_keep_keys(struct input_list *l, struct input *in);

struct archive_options;

/* What discovery and the reader's options need from the command line. */
struct collect_options {
	bool all_files;         /* NTFS: every file's signature, not names */
	bool vss;               /* read volume shadow copies */
	bool carve;             /* carve each image's bytes for chunks */
	bool verify;            /* check an image's stored hashes */
	bool traces;            /* Prefetch files are inputs too (not --no-traces) */
	const struct archive_options *aopt;   /* --password-file (archives.h) */
};

void inputs_free(struct input_list *list);

#endif
