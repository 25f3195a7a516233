/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* file: one of NetSupport's files found by its name (bid.c) on an NTFS
 * volume of an image, live, in a snapshot or deleted, or loose under a
 * folder: what the file system keeps of it (both NTFS attributes'
 * times, its MFT entry), its SHA-256 and, for a PE file, the name of
 * its Authenticode signer (authenticode.h). A file on disk proves it was
 * there, not that it ran. */
#ifndef RMMHUNT_FILE_H
#define RMMHUNT_FILE_H

#include <stdbool.h>
#include "input.h"
#include "source.h"

struct file_facts {
	char *path;             /* as found: the NTFS path, or the path on
	                           the disk rmmhunt read it from; owned */
	bool loose;             /* read from the examiner's disk, not from
	                           a file system of the evidence: no times */
	bool has_meta;          /* meta was read (NTFS) */
	struct file_meta meta;
	uint64_t size;
	char sha256[65];        /* "" when it could not be read whole */
	int pe;                 /* enum pe_signed (authenticode.h) */
	char *signer;           /* owned; NULL when not signed or unread */
	char *sign_note;        /* why no signer could be read; owned, or NULL */
};

/* Reads the file in src (borrowed) of input in. Returns 0 (a file is
 * always described, whatever its bytes are). */
int file_read(struct source *src, const struct input *in, struct file_facts *f);
void file_free(struct file_facts *f);

/* One line for the reports' inputs: "client32.exe, 1234 bytes, signed
 * by NetSupport Ltd (chain not verified)"; caller frees. */
char *file_summary(const struct file_facts *f);

/* Whether the $STANDARD_INFORMATION times look set by a program, not by
 * Windows (timestomping): why (whysz bytes) says which sign; false when
 * nothing is amiss or there are no NTFS times. */
bool file_timestomped(const struct file_facts *f, char *why, size_t whysz);

#endif
