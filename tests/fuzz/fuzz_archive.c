/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: a triage archive (the input, from memory) through
 * the listing of its members (libarchive: zip, 7z, tar and their
 * compressions), then every member the listing hands on read as the
 * scanner reads it (front to back), and once backwards (the spool to a
 * temporary file). Member sizes must hold what the listing said. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "archives.h"
#include "source.h"

struct ctx {
	const uint8_t *data;
	size_t size;
	struct archive_options aopt;
};

static void read_member(const struct ctx *c, uint64_t index, uint64_t size)
{
	char err[SOURCE_ERR_MAX];
	struct source *mem = source_memory(c->data, c->size);
	struct source *m = archive_member_open(mem, true, index, size, &c->aopt, err, sizeof err);
	if (!m)
		return;
	uint8_t buf[4096];
	uint64_t off = 0;
	while (off < size && off < (1u << 20)) {
		ssize_t k = source_read(m, off, buf, sizeof buf);
		if (k <= 0)
			break;
		if ((uint64_t)k > sizeof buf)
			abort();
		off += (uint64_t)k;
	}
	if (off > 0)   /* back to the start: the member spools */
		(void)source_read(m, 0, buf, sizeof buf);
	source_close(m);
}

static int member(void *ctx, const struct archive_member *m)
{
	const struct ctx *c = ctx;
	if (!m->name)
		abort();
	if (m->kind == MEMBER_EVTX || m->kind == MEMBER_ARCHIVE)
		read_member(c, m->index, m->size);
	return 0;
}

static int unreadable(void *ctx, uint64_t index, const char *name, const char *why)
{
	(void)ctx;
	(void)index;
	if (!name || !why || !*why)
		abort();
	return 0;
}

/* Members asked for by name (NetSupport's files in a real run): half
 * of the names, so both ways through the listing are taken. */
static bool by_name(const char *name)
{
	return name[0] & 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char pw0[] = "secret", pw1[] = "infected";
	static char *const pw[] = { pw0, pw1 };
	struct ctx c = { data, size, { pw, 2 } };
	const struct archive_sink sink = { member, unreadable, &c, by_name };
	char format[64], err[SOURCE_ERR_MAX * 2];
	for (int seekable = 0; seekable < 2; seekable++) {
		struct source *src = source_memory(data, size);
		if (!src)
			return 0;
		(void)archive_list(src, seekable, &c.aopt, &sink, format, sizeof format, err,
				   sizeof err);
		source_close(src);
	}
	return 0;
}
