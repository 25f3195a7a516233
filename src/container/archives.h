/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* archive: triage collections (zip, 7z, tar, and gzip, bzip2 or xz
 * streams, a tar inside or a single file), read through libarchive.
 *
 * Members are streamed: nothing is ever extracted next to the evidence.
 * A member is a source (source.h) read front to back from the archive;
 * the scanner reads a log that way. Only a reader that goes back (libevtx
 * opening a log whole, --no-prefilter) makes the member spool once to an
 * unlinked temporary file in $TMPDIR, removed when the source closes or
 * the process ends, whatever happens. An archive inside an archive is
 * read the same way, down to ARCHIVE_DEPTH_MAX. */
#ifndef RMMHUNT_ARCHIVES_H
#define RMMHUNT_ARCHIVES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "source.h"

struct image_format;   /* image.h */

/* How archives are read: the run's options, borrowed by every member. */
struct archive_options {
	/* The passwords to try on encrypted members (ZipCrypto, WinZip
	 * AES), one a line of --password-file. They go to libarchive and
	 * nowhere else: never into a locator, a report or a message. */
	char *const *passwords;
	size_t n_passwords;
	/* --max-member-size: a member that states or expands to more is
	 * not read (0: ARCHIVE_MEMBER_MAX). */
	uint64_t max_member;
	/* --tmpdir: where a member read back spools (NULL: $TMPDIR, else
	 * /tmp). */
	const char *tmpdir;
	/* Where disk images inside archives are copied to be read as images
	 * (KAPE's zipped VHDX), one file each, named by image_spool_path():
	 * a folder of the run's own in tmpdir, made and removed by main.
	 * NULL: such images are named and not read. */
	const char *spool_dir;
};

#define ARCHIVE_DEPTH_MAX 4          /* archives inside archives */
#define ARCHIVE_MEMBER_MAX ((uint64_t)64 << 30)   /* --max-member-size's default */
/* A decompression bomb by its ratio: a member that has expanded to more
 * than ARCHIVE_RATIO_MIN_OUT bytes at more than ARCHIVE_RATIO_MAX times
 * the bytes it came from. (Deflate's own limit is 1032:1; a 1,000:1
 * stream is all one repeated byte. Smaller members are let through: a
 * mostly empty log can come close, and its size bounds it anyway.) */
#define ARCHIVE_RATIO_MAX 1000
#define ARCHIVE_RATIO_MIN_OUT ((uint64_t)64 << 20)
/* A nest of archives by the work it asks: archives inside archives
 * multiply, so a few hundred KiB can hold thousands of logs, each read
 * through every archive above it. Per archive named or found on disk,
 * the members handed on to be read, the nested ones included, may
 * number at most one for each ARCHIVE_BYTES_PER_MEMBER bytes of it (at
 * least ARCHIVE_MEMBERS_MIN: no real member costs less, with its
 * headers, than a few hundred bytes), and their sizes, each with those
 * of the archives it lies in (what reading it decompresses), may add up
 * to at most ARCHIVE_RATIO_MAX times its size (at least
 * ARCHIVE_WORK_MIN). The members past either are named, not read. */
#define ARCHIVE_BYTES_PER_MEMBER 256
#define ARCHIVE_MEMBERS_MIN 256
#define ARCHIVE_WORK_MIN ((uint64_t)4 << 30)

/* Whether the first n bytes of a file are an archive's (zip, 7z, tar,
 * gzip, bzip2, xz): its format's name, or NULL. */
const char *archive_sniff(const uint8_t *head, size_t n);

/* What a member is, from its first bytes. */
enum member_kind {
	MEMBER_EVTX,        /* "ElfFile\0" */
	MEMBER_PREFETCH,    /* a Prefetch file (prefetch_bid) */
	MEMBER_AMCACHE,     /* an Amcache hive (amcache_bid) */
	MEMBER_HIVE,        /* NTUSER.DAT, SOFTWARE, SYSTEM (hive_bid) */
	MEMBER_ARCHIVE,     /* an archive again */
	MEMBER_IMAGE,       /* a disk image (E01, VHDX, VMDK, QCOW2) */
	MEMBER_INDEX,       /* "<name>.idx" holding JSON: Velociraptor's ranges
	                       of a member stored compacted (sparse.h) */
	MEMBER_NAMED,       /* none of these, but a name the sink asks for
	                       (archive_sink.by_name) */
	MEMBER_DAMAGED_LOG, /* none of these, named *.evtx, not empty: a log
	                       whose file header is damaged, to be carved */
	MEMBER_OTHER,
};

struct archive_member {
	uint64_t index;     /* among the archive's entries, from 0 */
	const char *name;   /* as stored; borrowed for the call */
	uint64_t size;
	enum member_kind kind;
	const char *what;   /* MEMBER_ARCHIVE, MEMBER_IMAGE: its format */
	const struct image_format *image;   /* MEMBER_IMAGE: its format */
};

struct archive_sink {
	/* A regular member that could be read. Returns 0, or -1 to stop. */
	int (*member)(void *ctx, const struct archive_member *m);
	/* A member that could not be read (encrypted, an unsupported
	 * method, damaged, too large): its name and why. */
	int (*unreadable)(void *ctx, uint64_t index, const char *name, const char *why);
	void *ctx;
	/* Whether a member of no kind above is wanted all the same, by its
	 * name (NetSupport's files); NULL: none is. */
	bool (*by_name)(const char *name);
};

/* Lists the archive over src (borrowed; read front to back, and with
 * seeks when seekable: a zip's central directory), trying aopt (may be
 * NULL) on encrypted members. Returns 0 when it
 * was listed to its end, -1 with err saying why it stopped (what was
 * listed before stays listed). format: the archive's format as
 * libarchive names it, written into format (formatsz bytes). */
int archive_list(struct source *src, bool seekable, const struct archive_options *aopt,
		 const struct archive_sink *sink, char *format, size_t formatsz, char *err,
		 size_t errsz);

/* The member index of the archive over parent (taken: closed with the
 * result, or on failure), size bytes, as a source; aopt (may be NULL)
 * are tried on it. NULL with err. */
struct source *archive_member_open(struct source *parent, bool seekable, uint64_t index,
				   uint64_t size, const struct archive_options *aopt, char *err,
				   size_t errsz);

/* The folder temporary copies go to: --tmpdir, else $TMPDIR, else /tmp. */
const char *archive_tmpdir(const struct archive_options *aopt);

/* libarchive's version, for --version. */
const char *archive_library_version(void);

#endif
