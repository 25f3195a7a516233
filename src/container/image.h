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
#include "source.h"

/* X(enum, name as shown, bid, open) */
#define IMAGE_FORMATS(X) \
	X(IMAGE_EWF,   "E01",       ewf_bid,   ewf_open)   \
	X(IMAGE_VMDK,  "VMDK",      vmdk_bid,  vmdk_open)  \
	X(IMAGE_VHDX,  "VHDX",      vhdx_bid,  vhdi_open)  \
	X(IMAGE_VHD,   "VHD",       vhd_bid,   vhdi_open)  \
	X(IMAGE_QCOW,  "QCOW2",     qcow_bid,  qcow_open)  \
	X(IMAGE_ARCHIVE, "archive", archive_bid, archive_no_media) \
	X(IMAGE_SPLIT, "split raw", split_bid, split_open) \
	X(IMAGE_RAW,   "raw",       raw_bid,   raw_open)

enum image_format {
	IMAGE_NONE = -1,
#define X(e, n, b, o) e,
	IMAGE_FORMATS(X)
#undef X
	IMAGE_FORMAT_COUNT
};

/* What a bid says. */
enum image_bid {
	BID_NO,          /* not this format */
	BID_PART,        /* a later part of a set (E02, a VMDK extent): it is
	                    read through the set's first part, not on its own */
	BID_YES,
};

/* The format of the file at path (open as file), or IMAGE_NONE; *part
 * is set when the file is a later part of a set. */
enum image_format image_bid(struct source *file, const char *path, bool *part);

/* The format's name ("E01", "raw"). */
const char *image_format_name(enum image_format f);

/* The version of the library that reads format f, as it reports itself
 * at run time ("20140813"): for --version. NULL when rmmhunt was built
 * without it, or when f needs none of its own (raw, split raw; archives
 * are libarchive's, which versions.c names). */
const char *image_library_version(enum image_format f);

/* The format with that name, or IMAGE_NONE. */
enum image_format image_format_by_name(const char *name);

/* Opens the media of the image whose first file is path, read-only.
 * detail (may be NULL): set to a new string with what the format stores
 * about itself (an E01's acquisition MD5 and SHA-1), or NULL. Returns
 * the source, or NULL with err saying why ("missing segment ...",
 * "this rmmhunt was built without libewf"). */
struct source *image_open(enum image_format f, const char *path, char **detail,
                          char *err, size_t errsz);

/* --verify-image: hashes every byte of media and compares with the
 * hashes the image stores (stored: "md5=HEX sha1=HEX", as image_open's
 * detail). Writes what was found into out. Returns 1 when every stored
 * hash matches, 0 when one does not, -1 when nothing could be checked
 * (no stored hash, a read error: out says which). */
int image_verify(struct source *media, const char *stored, char *out, size_t outsz);

#endif
