/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* zipdir: the end records and the central directory, from PKWARE's
 * APPNOTE (4.3.12 to 4.3.16, 4.5.3 for Zip64's extra field, and WinZip's
 * AE-x note for 0x9901). Every length is checked against what is there. */
#include <stdlib.h>
#include <string.h>
#include "le.h"
#include "strbuf.h"
#include "zipdir.h"

#define EOCD_SIZE 22
#define EOCD_SEARCH (EOCD_SIZE + 65535)   /* the record and the longest comment */
#define LOCATOR_SIZE 20
#define EOCD64_SIZE 56
#define CENTRAL_SIZE 46
#define LOCAL_SIZE 30
#define DIR_MAX ((uint64_t)1 << 30)       /* a directory larger is not believed */

/* Exactly n bytes at off, or -1 with err. */
static int read_exact(struct source *src, uint64_t off, void *buf, size_t n, const char *what,
		      char *err, size_t errsz)
{
	ssize_t k = off <= src->size ? source_read(src, off, buf, n) : 0;
	if (k == (ssize_t)n)
		return 0;
	source_set_err(err, errsz, "zip %s at byte %llu: %s", what, (unsigned long long)off,
		       k < 0 ? src->err : "past the end of the file");
	return -1;
}

/* Where the directory is and how many entries it has: from the end
 * record, or Zip64's when the end record's fields are full. */
struct dir_place {
	uint64_t off, size, count;
};

static int find_eocd(struct source *src, struct dir_place *p, char *err, size_t errsz)
{
	uint64_t span = src->size < EOCD_SEARCH ? src->size : EOCD_SEARCH;
	uint64_t base = src->size - span;
	uint8_t *tail = xmalloc(span ? (size_t)span : 1);
	if (read_exact(src, base, tail, (size_t)span, "end", err, errsz) != 0) {
		free(tail);
		return -1;
	}
	int64_t at = -1;
	for (int64_t i = (int64_t)span - EOCD_SIZE; i >= 0 && at < 0; i--)
		if (memcmp(tail + i, "PK\5\6", 4) == 0)
			at = i;
	if (at < 0) {
		free(tail);
		source_set_err(err, errsz, "no zip end-of-directory record");
		return -1;
	}
	const uint8_t *e = tail + at;
	p->count = le16(e + 10);
	p->size = le32(e + 12);
	p->off = le32(e + 16);
	bool zip64 = p->count == 0xffff || p->size == 0xffffffff || p->off == 0xffffffff;
	uint64_t eocd = base + (uint64_t)at;
	free(tail);
	if (!zip64)
		return 0;
	uint8_t loc[LOCATOR_SIZE], rec[EOCD64_SIZE];
	if (eocd < LOCATOR_SIZE ||
	    read_exact(src, eocd - LOCATOR_SIZE, loc, sizeof loc, "Zip64 locator", err, errsz) != 0)
		return -1;
	if (memcmp(loc, "PK\6\7", 4) != 0) {
		source_set_err(err, errsz, "zip end record says Zip64, and no Zip64 locator");
		return -1;
	}
	uint64_t at64 = le64(loc + 8);
	if (read_exact(src, at64, rec, sizeof rec, "Zip64 end record", err, errsz) != 0)
		return -1;
	if (memcmp(rec, "PK\6\6", 4) != 0) {
		source_set_err(err, errsz, "no Zip64 end record where its locator says");
		return -1;
	}
	p->count = le64(rec + 32);
	p->size = le64(rec + 40);
	p->off = le64(rec + 48);
	return 0;
}

/* Zip64's sizes and offset for the fields the entry left full, and the
 * real method of a WinZip AES entry. */
static int read_extra(struct zip_entry *e, const uint8_t *x, size_t n, bool full_u,
		      bool full_c, bool full_l)
{
	while (n >= 4) {
		uint16_t id = le16(x), len = le16(x + 2);
		if ((size_t)len + 4 > n)
			return -1;
		const uint8_t *d = x + 4;
		if (id == 0x0001) {
			size_t at = 0;
			uint64_t *fields[3] = { full_u ? &e->usize : NULL, full_c ? &e->csize : NULL,
						full_l ? &e->local : NULL };
			for (int f = 0; f < 3; f++) {
				if (!fields[f])
					continue;
				if (at + 8 > len)
					return -1;
				*fields[f] = le64(d + at);
				at += 8;
			}
		} else if (id == 0x9901 && len >= 7) {
			e->method = le16(d + 5);
		}
		x += 4 + len;
		n -= 4 + (size_t)len;
	}
	return 0;
}

/* One central directory entry at p (left bytes): into e; its length. */
static int64_t read_central(const uint8_t *p, size_t left, struct zip_entry *e)
{
	if (left < CENTRAL_SIZE || memcmp(p, "PK\1\2", 4) != 0)
		return -1;
	uint16_t flags = le16(p + 8);
	size_t nlen = le16(p + 28), xlen = le16(p + 30), clen = le16(p + 32);
	size_t total = CENTRAL_SIZE + nlen + xlen + clen;
	if (total > left)
		return -1;
	e->method = le16(p + 10);
	e->encrypted = (flags & 1) != 0;
	e->crc = le32(p + 16);
	e->csize = le32(p + 20);
	e->usize = le32(p + 24);
	e->local = le32(p + 42);
	if (read_extra(e, p + CENTRAL_SIZE + nlen, xlen, e->usize == 0xffffffff,
		       e->csize == 0xffffffff, e->local == 0xffffffff) != 0)
		return -1;
	e->name = xmalloc(nlen + 1);
	memcpy(e->name, p + CENTRAL_SIZE, nlen);
	e->name[nlen] = '\0';
	e->name_len = nlen;
	return (int64_t)total;
}

/* By local header; entries at one place keep the directory's order. */
static int by_local(const void *a, const void *b)
{
	const struct zip_entry *x = a, *y = b;
	if (x->local != y->local)
		return x->local < y->local ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int zip_dir_read(struct source *src, struct zip_dir *d, char *err, size_t errsz)
{
	struct dir_place p;
	memset(d, 0, sizeof *d);
	if (find_eocd(src, &p, err, errsz) != 0)
		return -1;
	if (p.size > DIR_MAX || p.off > src->size || p.size > src->size - p.off ||
	    p.count > p.size / CENTRAL_SIZE) {
		source_set_err(err, errsz, "zip central directory of %llu entries, %llu bytes at "
			       "byte %llu: not inside the file", (unsigned long long)p.count,
			       (unsigned long long)p.size, (unsigned long long)p.off);
		return -1;
	}
	uint8_t *buf = xmalloc(p.size ? (size_t)p.size : 1);
	if (read_exact(src, p.off, buf, (size_t)p.size, "central directory", err, errsz) != 0) {
		free(buf);
		return -1;
	}
	d->v = xcalloc(p.count ? (size_t)p.count : 1, sizeof *d->v);
	size_t at = 0;
	for (; d->n < p.count; d->n++) {
		int64_t k = read_central(buf + at, (size_t)p.size - at, &d->v[d->n]);
		if (k < 0) {
			source_set_err(err, errsz, "zip central directory entry %zu (byte %llu) is "
				       "damaged", d->n, (unsigned long long)(p.off + at));
			free(buf);
			return -1;
		}
		d->v[d->n].seq = d->n;
		at += (size_t)k;
	}
	free(buf);
	qsort(d->v, d->n, sizeof *d->v, by_local);
	return 0;
}

void zip_dir_free(struct zip_dir *d)
{
	for (size_t i = 0; d && i < d->n; i++)
		free(d->v[i].name);
	if (d)
		free(d->v);
}

int zip_entry_data(struct source *src, const struct zip_entry *e, uint64_t *off, char *err,
		   size_t errsz)
{
	uint8_t h[LOCAL_SIZE];
	if (read_exact(src, e->local, h, sizeof h, "local header", err, errsz) != 0)
		return -1;
	if (memcmp(h, "PK\3\4", 4) != 0) {
		source_set_err(err, errsz, "no zip local header at byte %llu, where the central "
			       "directory puts %s", (unsigned long long)e->local, e->name);
		return -1;
	}
	*off = e->local + LOCAL_SIZE + le16(h + 26) + le16(h + 28);
	if (*off > src->size || e->csize > src->size - *off) {
		source_set_err(err, errsz, "zip member %s: its %llu compressed bytes run past "
			       "the end of the file", e->name, (unsigned long long)e->csize);
		return -1;
	}
	return 0;
}
