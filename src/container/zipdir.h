/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* zipdir: a zip's central directory, read by the project itself.
 *
 * libarchive lists and reads zips; this is only for what it cannot read,
 * Deflate64 members (inflate64.h), whose place and sizes the directory
 * gives. Entries come sorted by where their local header lies: the order
 * in which libarchive lists them, seekable or not, so that a listing's
 * index names the same entry here (the name is checked too). Zip64's
 * sizes and offsets are taken from its extra field. */
#ifndef RMMHUNT_ZIPDIR_H
#define RMMHUNT_ZIPDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "source.h"

#define ZIP_METHOD_DEFLATE64 9
#define ZIP_METHOD_AES 99             /* WinZip AES: the real method is in 0x9901 */

struct zip_entry {
	uint64_t local;                   /* offset of its local header */
	uint64_t csize, usize;            /* compressed, uncompressed */
	uint32_t crc;                     /* CRC-32 of the uncompressed bytes */
	uint16_t method;                  /* the real one (also under AES) */
	bool encrypted;                   /* ZipCrypto or AES */
	char *name;                       /* as stored, NUL added; owned */
	size_t name_len;
	size_t seq;                       /* its place in the directory */
};

struct zip_dir {
	struct zip_entry *v;              /* owned */
	size_t n;
};

/* The central directory of the zip that fills src (borrowed), into d
 * (zip_dir_free() it, also after a failure). Returns 0, or -1 with err
 * (errsz bytes) saying why: no end record, a directory past the end of
 * the file or shorter than it says, a damaged entry. */
int zip_dir_read(struct source *src, struct zip_dir *d, char *err, size_t errsz);

void zip_dir_free(struct zip_dir *d);

/* Where entry e's data start in src: past its local header, which must
 * be there. Returns 0 with *off, or -1 with err. */
int zip_entry_data(struct source *src, const struct zip_entry *e, uint64_t *off, char *err,
		   size_t errsz);

#endif
