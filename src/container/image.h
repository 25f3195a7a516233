/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* image: disk image formats, each a bid on a few magic bytes and an open
 * that gives the media as a source (src/source/source.h).
 *
 * As in libarchive, every format bids on the file's own bytes, never on
 * its name; the best bid wins. A format that this rmmhunt was built
 * without still bids, and its open says so. A triage archive (zip, 7z,
 * tar, gzip, bzip2, xz: archives.h) bids here too: it is listed like an
 * image (discover.h), member by member, and has no media. */
#ifndef RMMHUNT_IMAGE_H
#define RMMHUNT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "source.h"

/* What a bid says. */
enum image_bid {
	BID_NO,          /* not this format */
	BID_PART,        /* a later part of a set (E02, a VMDK extent): it is
	                    read through the set's first part, not on its own */
	BID_YES,
};

/* One image format, as libarchive describes one of its formats: a file
 * of its own (ewf.c, vmdk.c, vhdi.c, qcow.c, split.c, rawdisk.c, and
 * archives.c for the archives listed like an image) and one row of
 * image_formats[] (image_table.c). Discovery, reopening, the reports
 * and --version know a format only through this. */
struct image_format {
	const char *name;        /* as shown, and in the JSON: "E01" */
	/* A copy of such an image spooled out of an archive is named
	 * image.EXTENSION when the member's own name will not do; NULL:
	 * "img". */
	const char *extension;
	/* Its bid on the first BID_BYTES (or fewer) bytes of a file, head;
	 * file is the whole file and path its name (the parts of a set are
	 * found beside it). */
	enum image_bid (*bid)(const uint8_t *head, size_t len, struct source *file,
			      const char *path);
	/* Opens the media of the image whose first file is path, read-only.
	 * detail (may be NULL): set to a new string with what the format
	 * stores about itself (an E01's acquisition MD5 and SHA-1), or left
	 * NULL. Returns the source, or NULL with err saying why ("missing
	 * segment ...", "this rmmhunt was built without libewf"). */
	struct source *(*open)(const char *path, char **detail, char *err, size_t errsz);
	/* Whether an archive member whose first bytes are head is such an
	 * image (a member is read front to back: there is no file to look
	 * further into); NULL: it is not looked for in archives. */
	bool (*in_archive)(const uint8_t *head, size_t len);
	/* Smaller than this is no such image, whatever its first bytes say
	 * (raw: a boot sector or an MBR saved on its own); 0: no bound. */
	uint64_t min_size;
	/* The library that reads it, for --version: its name and what it
	 * reads (NULL: none of its own), whether this rmmhunt was built with
	 * it, and its version as it reports itself at run time. A format
	 * whose library was left out still bids, and its open says so. */
	const char *library, *serves;
	bool built;
	const char *(*version)(void);
	bool listed;             /* listed member by member (an archive): it
	                            has no media to open */
};

/* Every format, in order of precedence: the container formats first, raw
 * (which any disk or volume bids for) last. NULL-terminated. */
extern const struct image_format *const image_formats[];

/* The format of the file at path (open as file), or NULL; *part is set
 * when the file is a later part of a set. */
const struct image_format *image_bid(struct source *file, const char *path, bool *part);

/* The format's name ("E01", "raw"); "unknown" for NULL. */
const char *image_format_name(const struct image_format *f);

/* The image format an archive member that starts with head is, or NULL
 * (each format's in_archive, in the table's order). */
const struct image_format *image_in_archive(const uint8_t *head, size_t len);

/* The format with that name, or NULL. */
const struct image_format *image_format_by_name(const char *name);

/* f's open (struct image_format), or NULL with err for no format. */
struct source *image_open(const struct image_format *f, const char *path, char **detail,
                          char *err, size_t errsz);

/* --verify-image: hashes every byte of media and compares with the
 * hashes the image stores (stored: "md5=HEX sha1=HEX", as image_open's
 * detail). Writes what was found into out. Returns 1 when every stored
 * hash matches, 0 when one does not, -1 when nothing could be checked
 * (no stored hash, a read error: out says which). */
int image_verify(struct source *media, const char *stored, char *out, size_t outsz);

#endif
