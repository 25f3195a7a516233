/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* prefetch: a Windows Prefetch file (\Windows\Prefetch\NAME.EXE-HASH.pf)
 * read with libscca, which decompresses the Windows 10/11 form (MAM\x04,
 * LZXPRESS Huffman) through its libfwnt. What is read is what Windows
 * wrote: the executable's name, how often and when it last ran, and the
 * files it touched in its first seconds (its DLLs among them), as NT
 * paths on the volumes the file lists. */
#ifndef RMMHUNT_PREFETCH_H
#define RMMHUNT_PREFETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "input.h"
#include "reader.h"
#include "source.h"
#include "trace.h"
#include "bid.h"

#define PREFETCH_RUN_TIMES 8    /* versions 26 and 30 keep the last 8 */

/* What no Prefetch file Windows writes comes near, and what libscca
 * 20200717 cannot take: it appends each file name string to a list at a
 * cost that grows with the list, so 158,000 empty strings (a 15 KB
 * compressed file) take it 28 s, and a larger file minutes. Windows
 * writes one string a file it lists (1,085 in the largest of the corpus).
 * A file past either bound is refused with a named reason before libscca
 * sees it. */
#define PREFETCH_MAX_STRINGS 16384
#define PREFETCH_MAX_BYTES (64u << 20)  /* the file, or what MAM\x04 unpacks to */

struct prefetch_volume {
	char *device;           /* \VOLUME{...} or \DEVICE\HARDDISKVOLUMEn; owned */
	uint32_t serial;
	int64_t created;        /* FILETIME ticks, TIME_NONE when unset */
};

struct prefetch {
	uint32_t version;       /* 17, 23, 26, 30 */
	uint32_t hash;          /* the prefetch hash in the file name */
	char *executable;       /* its name as Windows wrote it (at most 29
	                           characters); owned */
	uint32_t run_count;
	int64_t last_run[PREFETCH_RUN_TIMES];   /* newest first, TIME_NONE
	                           where unset */
	size_t n_last_run;      /* of them set */
	char **files;           /* the file name strings, in order; owned */
	size_t n_files;
	struct prefetch_volume *volumes;   /* owned */
	size_t n_volumes;
};


/* Reads the Prefetch file in src (borrowed). Returns 0, or -1 with err
 * set ("Prefetch format version 31 ...: this libscca cannot read it" for
 * the Windows 11 22H2 form; "... file name strings, more than ..." past
 * PREFETCH_MAX_STRINGS). pf is then empty. */
int prefetch_read(struct source *src, struct prefetch *pf, char *err, size_t errsz);
void prefetch_free(struct prefetch *pf);

/* One line for the reports' inputs: "PING.EXE, Prefetch version 23, run
 * 14 times, last run 2012-04-06T19:00:55, 27 file names"; caller frees. */
char *prefetch_summary(const struct prefetch *pf);


#endif
