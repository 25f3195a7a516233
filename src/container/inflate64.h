/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* inflate64: Deflate64 ("enhanced deflate", zip method 9) decoded.
 *
 * Windows' own "Send to > Compressed folder" and 7-Zip write it for big
 * members, and libarchive cannot read it (neither can zlib's inflate()),
 * so a collection zipped that way would otherwise go unread. The format
 * is RFC 1951's with three changes: a 64 KiB window, length code 285
 * meaning 3 plus 16 extra bits (up to 65,538 bytes), and distance codes
 * 30 and 31 (32,769 and 49,153 plus 14 extra bits).
 *
 * The decoder reads its input front to back from a source and hands out
 * its output in pieces of any size; a stream that is cut short, names a
 * distance before its start or has a malformed code is an error, never
 * a guess. */
#ifndef RMMHUNT_INFLATE64_H
#define RMMHUNT_INFLATE64_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "source.h"

struct inflate64;

/* A decoder of the stream that fills in (borrowed: it must outlive the
 * decoder), read from its byte 0. NULL only when out of memory. */
struct inflate64 *inflate64_new(struct source *in);

/* The next up to n bytes of output into out. Returns how many (fewer
 * than n only at the stream's end), 0 once the stream has ended, or -1
 * with err (errsz bytes) saying why; after -1 every call fails again. */
ssize_t inflate64_read(struct inflate64 *z, void *out, size_t n, char *err, size_t errsz);

/* Input bytes consumed so far (whole bytes, the last one partly). */
uint64_t inflate64_consumed(const struct inflate64 *z);

/* Frees the decoder (not its input); NULL is fine. */
void inflate64_free(struct inflate64 *z);

#endif
