/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "archives.h"
#include "inflate64.h"
#include "bid.h"
#include "image_formats.h"
#include "path.h"
#include "strbuf.h"
#include "zipdir.h"

/* ---- what the first bytes say ----------------------------------------- */

static bool at(const uint8_t *h, size_t n, size_t off, const void *magic, size_t len)
{
	return n >= off + len && memcmp(h + off, magic, len) == 0;
}

const char *archive_sniff(const uint8_t *h, size_t n)
{
	if (at(h, n, 0, "PK\3\4", 4) || at(h, n, 0, "PK\5\6", 4) || at(h, n, 0, "PK\7\10", 4))
		return "zip";
	if (at(h, n, 0, "7z\xbc\xaf\x27\x1c", 6))
		return "7z";
	if (at(h, n, 0, "\x1f\x8b", 2))
		return "gzip";
	if (at(h, n, 0, "BZh", 3) && n > 3 && h[3] >= '1' && h[3] <= '9')
		return "bzip2";
	if (at(h, n, 0, "\xfd" "7zXZ\0", 6))
		return "xz";
	if (at(h, n, 257, "ustar", 5))
		return "tar";
	return NULL;
}

/* An archive is listed like an image, member by member (discover.h):
 * one row of image_formats[], with no media. */
static enum image_bid archive_bid(const uint8_t *head, size_t len, struct source *file,
				  const char *path)
{
	(void)file, (void)path;
	return archive_sniff(head, len) ? BID_YES : BID_NO;
}

static struct source *archive_no_media(const char *path, char **detail, char *err,
				       size_t errsz)
{
	(void)path, (void)detail;
	source_set_err(err, errsz, "an archive is listed member by member, not opened as a disk");
	return NULL;
}

const struct image_format image_archive = {
	.name = "archive", .bid = archive_bid, .open = archive_no_media, .listed = true,
};


const char *archive_library_version(void)
{
	return archive_version_details();
}

/* ---- libarchive over a source ----------------------------------------- */

#define BLOCK 65536

/* The callbacks' state: where in src libarchive reads. */
struct feed {
	struct source *src;
	uint64_t pos;
	uint8_t buf[BLOCK];
	char err[SOURCE_ERR_MAX];
};

static la_ssize_t feed_read(struct archive *a, void *ctx, const void **out)
{
	struct feed *f = ctx;
	ssize_t k = source_read(f->src, f->pos, f->buf, sizeof f->buf);
	if (k < 0) {
		archive_set_error(a, EIO, "%s", f->src->err);
		return -1;
	}
	f->pos += (uint64_t)k;
	*out = f->buf;
	return k;
}

static la_int64_t feed_seek(struct archive *a, void *ctx, la_int64_t off, int whence)
{
	struct feed *f = ctx;
	(void)a;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->pos
		       : (int64_t)f->src->size;
	if (base + off < 0)
		return ARCHIVE_FATAL;
	f->pos = (uint64_t)(base + off);
	return (la_int64_t)f->pos;
}

static la_int64_t feed_skip(struct archive *a, void *ctx, la_int64_t n)
{
	struct feed *f = ctx;
	(void)a;
	uint64_t left = f->src->size > f->pos ? f->src->size - f->pos : 0;
	if ((uint64_t)n > left)
		n = (la_int64_t)left;
	f->pos += (uint64_t)n;
	return n;
}

/* A reader over src for every format and filter libarchive has (raw
 * last: a gzip, bzip2 or xz stream of one file). seekable: the zip
 * reader then takes the central directory, which has every size. */
static struct archive *reader_open(struct feed *f, bool seekable, const struct archive_options *aopt,
				   char *err, size_t errsz)
{
	struct archive *a = archive_read_new();
	if (!a) {
		source_set_err(err, errsz, "out of memory");
		return NULL;
	}
	for (size_t i = 0; aopt && i < aopt->n_passwords; i++)
		archive_read_add_passphrase(a, aopt->passwords[i]);
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	archive_read_support_format_raw(a);
	archive_read_set_read_callback(a, feed_read);
	archive_read_set_skip_callback(a, feed_skip);
	if (seekable)
		archive_read_set_seek_callback(a, feed_seek);
	archive_read_set_callback_data(a, f);
	if (archive_read_open1(a) != ARCHIVE_OK) {
		source_set_err(err, errsz, "%s", archive_error_string(a) ? archive_error_string(a)
			       : "not an archive libarchive reads");
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* "zip", "7z", "tar.gz", "gzip" (one compressed file): the archive's
 * format and the compression around it, once its first header is read. */
static void format_of(struct archive *a, char *out, size_t outsz)
{
	const char *base;
	switch (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) {
	case ARCHIVE_FORMAT_ZIP: base = "zip"; break;
	case ARCHIVE_FORMAT_7ZIP: base = "7z"; break;
	case ARCHIVE_FORMAT_TAR: base = "tar"; break;
	case ARCHIVE_FORMAT_CPIO: base = "cpio"; break;
	case ARCHIVE_FORMAT_RAR: case ARCHIVE_FORMAT_RAR_V5: base = "rar"; break;
	case ARCHIVE_FORMAT_RAW: base = NULL; break;
	default: base = archive_format_name(a); break;
	}
	const char *filter;
	switch (archive_filter_code(a, 0)) {
	case ARCHIVE_FILTER_GZIP: filter = "gz"; break;
	case ARCHIVE_FILTER_BZIP2: filter = "bz2"; break;
	case ARCHIVE_FILTER_XZ: filter = "xz"; break;
	case ARCHIVE_FILTER_NONE: filter = NULL; break;
	default: filter = archive_filter_name(a, 0); break;
	}
	if (base && filter)
		snprintf(out, outsz, "%s.%s", base, filter);
	else if (!base && filter)   /* one compressed file */
		snprintf(out, outsz, "%s", archive_filter_code(a, 0) == ARCHIVE_FILTER_GZIP ?
			 "gzip" : filter);
	else
		snprintf(out, outsz, "%s", base ? base : "archive");
}

static const char *error_of(struct archive *a)
{
	const char *e = archive_error_string(a);
	return e && *e ? e : "unreadable";
}

/* ---- listing ---------------------------------------------------------- */

/* ---- decompression bombs ---------------------------------------------- */

static uint64_t member_max(const struct archive_options *aopt)
{
	return aopt && aopt->max_member ? aopt->max_member : ARCHIVE_MEMBER_MAX;
}

/* Whether a member that has given out bytes from at most in bytes of
 * its archive is a bomb: past --max-member-size, or expanding by more
 * than ARCHIVE_RATIO_MAX; why says which. */
static bool bomb(uint64_t out, uint64_t in, const struct archive_options *aopt, char *why,
		 size_t whysz)
{
	uint64_t max = member_max(aopt);
	if (out > max)
		snprintf(why, whysz, "expands past %llu bytes, more than --max-member-size (a "
			 "decompression bomb?)", (unsigned long long)max);
	else if (out > ARCHIVE_RATIO_MIN_OUT && out / ARCHIVE_RATIO_MAX > in)
		snprintf(why, whysz, "expands more than %d times (%llu bytes from at most %llu; "
			 "a decompression bomb?)", ARCHIVE_RATIO_MAX, (unsigned long long)out,
			 (unsigned long long)in);
	else
		return false;
	return true;
}

/* The most bytes of the archive a member's data so far can have come
 * from: what libarchive took from the feed since the member's header,
 * and the one block it may have taken of them before. (libarchive says
 * nothing of a member's compressed size.) */
static uint64_t compressed_bound(const struct feed *f, uint64_t in_start)
{
	return (f->pos > in_start ? f->pos - in_start : 0) + BLOCK;
}

/* Reads the rest of the current member, counting it: its size, -1 for
 * a bomb (why says so), -2 for a read error. in_start: where in the
 * archive the member's data began. */
static int64_t count_rest(struct archive *a, const struct feed *f, uint64_t in_start,
			  uint64_t have, const struct archive_options *aopt, char *why,
			  size_t whysz)
{
	static const size_t chunk = BLOCK;
	uint8_t *buf = xmalloc(chunk);
	uint64_t total = have;
	for (;;) {
		la_ssize_t k = archive_read_data(a, buf, chunk);
		if (k < 0) {
			free(buf);
			return -2;
		}
		if (k == 0)
			break;
		total += (uint64_t)k;
		if (bomb(total, compressed_bound(f, in_start), aopt, why, whysz)) {
			free(buf);
			return -1;
		}
	}
	free(buf);
	return (int64_t)total;
}

/* Why an encrypted member of archive a could not be read. */
static void encrypted_why(struct archive *a, const struct archive_options *aopt, char *why,
			  size_t whysz)
{
	if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_7ZIP)
		snprintf(why, whysz, "encrypted 7z (AES-256): libarchive, which rmmhunt reads 7z "
			 "with, does not decrypt it, with a password or without; it cannot be read "
			 "without 7-Zip (7z x), then name what it holds");
	else if (aopt && aopt->n_passwords)
		snprintf(why, whysz, "encrypted: none of the %zu password%s of --password-file "
			 "opens it", aopt->n_passwords, aopt->n_passwords == 1 ? "" : "s");
	else
		snprintf(why, whysz, "encrypted: it cannot be read without its password "
			 "(--password-file)");
}

/* ---- Deflate64, which libarchive cannot read -------------------------- */

/* The zip's central directory, read once, when a member fails. */
struct d64_dir {
	struct zip_dir dir;
	bool tried;
	int rc;
};

/* Whether member index (named name) of the zip over src is a Deflate64
 * member that libarchive left unread: 1 with *e and *off (where its
 * data start), 0 when it is not (libarchive's error stands), -1 when it
 * is but cannot be read, with why. */
static int deflate64_find(struct source *src, struct d64_dir *c, uint64_t index, const char *name,
			  const struct zip_entry **e, uint64_t *off, char *why, size_t whysz)
{
	char err[SOURCE_ERR_MAX];
	if (!c->tried) {
		c->tried = true;
		c->rc = zip_dir_read(src, &c->dir, err, sizeof err);
	}
	if (c->rc != 0 || index >= c->dir.n || c->dir.v[index].method != ZIP_METHOD_DEFLATE64)
		return 0;
	const struct zip_entry *z = &c->dir.v[index];
	if (strcmp(z->name, name) != 0)
		snprintf(why, whysz, "Deflate64 (method 9): the central directory does not name "
			 "this member as entry %llu", (unsigned long long)index);
	else if (z->encrypted)
		snprintf(why, whysz, "encrypted Deflate64 (method 9): only unencrypted Deflate64 "
			 "members are read");
	else if (zip_entry_data(src, z, off, err, sizeof err) != 0)
		snprintf(why, whysz, "Deflate64 (method 9): %s", err);
	else {
		*e = z;
		return 1;
	}
	return -1;
}

/* A decoder of entry e, whose data start at off in src (borrowed); *in
 * gets the decoder's input, to close after it. NULL when out of memory. */
static struct inflate64 *deflate64_open(struct source *src, const struct zip_entry *e,
					uint64_t off, struct source **in)
{
	*in = source_range(source_view(src), off, e->csize);
	struct inflate64 *z = *in ? inflate64_new(*in) : NULL;
	if (!z) {
		source_close(*in);
		*in = NULL;
	}
	return z;
}

/* ---- listing ---------------------------------------------------------- */

/* Whether a member's stated size is more than --max-member-size. */
static bool stated_too_big(uint64_t size, const struct archive_options *aopt, char *why,
			   size_t whysz)
{
	if (size <= member_max(aopt))
		return false;
	snprintf(why, whysz, "states %llu bytes, more than --max-member-size (%llu)",
		 (unsigned long long)size, (unsigned long long)member_max(aopt));
	return true;
}

/* An archive being listed. */
struct listing {
	struct archive *a;
	const struct feed *feed;
	uint64_t in_start;      /* where the current member's data began */
	struct source *src;
	const struct archive_options *aopt;
	const struct archive_sink *sink;
	struct d64_dir d64;
};

/* Whether a member named name holds Velociraptor's range index: named
 * "<member>.idx", and JSON. */
static bool is_range_index(const char *name, const uint8_t *head, size_t got)
{
	size_t len = strlen(name), i = 0;
	if (len < 5 || strcmp(name + len - 4, ".idx") != 0)
		return false;
	while (i < got && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
		i++;
	return i < got && (head[i] == '{' || head[i] == '[');
}

/* What member m is, from its first got bytes. */
static void classify(struct archive_member *m, const uint8_t *head, size_t got,
		     bool (*by_name)(const char *name))
{
	m->kind = MEMBER_OTHER;
	m->what = NULL;
	m->image = NULL;
	if (got >= 8 && memcmp(head, "ElfFile\0", 8) == 0)
		m->kind = MEMBER_EVTX;
	else if (prefetch_bid(head, got))
		m->kind = MEMBER_PREFETCH;
	else if (amcache_bid(head, got, m->name))
		m->kind = MEMBER_AMCACHE;
	else if (hive_bid(head, got, m->name, NULL))
		m->kind = MEMBER_HIVE;
	else if ((m->what = archive_sniff(head, got)))
		m->kind = MEMBER_ARCHIVE;
	else if ((m->image = image_in_archive(head, got)))
		m->kind = MEMBER_IMAGE, m->what = m->image->name;
	else if (is_range_index(m->name, head, got))
		m->kind = MEMBER_INDEX;
	else if (by_name && by_name(m->name))
		m->kind = MEMBER_NAMED;
	else if (got > 0 && path_is_log_name(m->name))
		m->kind = MEMBER_DAMAGED_LOG;
}

/* A member that starts like an image but is smaller than one can be:
 * NTFS's $Boot or an MBR backup, which start like a raw disk. */
static bool too_small_for_image(const struct archive_member *m)
{
	return m->kind == MEMBER_IMAGE && m->size < m->image->min_size;
}

/* A Deflate64 member of the listing: its first bytes from the decoder. */
static int list_deflate64(struct listing *l, uint64_t index, const char *name,
			  const struct zip_entry *e, uint64_t off)
{
	struct source *in;
	struct inflate64 *z = deflate64_open(l->src, e, off, &in);
	uint8_t head[1024];
	char why[SOURCE_ERR_MAX + 64];
	if (!z)
		return l->sink->unreadable(l->sink->ctx, index, name, "out of memory");
	ssize_t got = inflate64_read(z, head, e->usize < sizeof head ? (size_t)e->usize
				     : sizeof head, why, sizeof why);
	inflate64_free(z);
	source_close(in);
	if (got < 0)
		return l->sink->unreadable(l->sink->ctx, index, name, why);
	struct archive_member m = { index, name, e->usize, MEMBER_OTHER, NULL, NULL };
	classify(&m, head, (size_t)got, l->sink->by_name);
	if (m.kind == MEMBER_OTHER || too_small_for_image(&m))
		return 0;
	if (stated_too_big(e->usize, l->aopt, why, sizeof why))
		return l->sink->unreadable(l->sink->ctx, index, name, why);
	return l->sink->member(l->sink->ctx, &m);
}

/* One member of the listing: its kind from its first bytes, its size. */
static int list_one(struct listing *l, struct archive_entry *e, uint64_t index)
{
	const char *name = archive_entry_pathname(e);
	const struct archive_sink *sink = l->sink;
	char why[512];
	bool encrypted = archive_entry_is_encrypted(e);
	if (!name)
		name = "(no name)";
	const struct zip_entry *z;
	uint64_t off;
	if (encrypted && (!l->aopt || l->aopt->n_passwords == 0)) {
		/* no password opens an encrypted Deflate64 member: say that */
		if (deflate64_find(l->src, &l->d64, index, name, &z, &off, why, sizeof why) == 0)
			encrypted_why(l->a, l->aopt, why, sizeof why);
		return sink->unreadable(sink->ctx, index, name, why);
	}
	uint8_t head[1024];
	size_t got = 0;
	while (got < sizeof head) {
		la_ssize_t k = archive_read_data(l->a, head + got, sizeof head - got);
		if (k < 0 && got == 0) {
			int r = deflate64_find(l->src, &l->d64, index, name, &z, &off, why, sizeof why);
			if (r > 0)
				return list_deflate64(l, index, name, z, off);
			if (r < 0)
				return sink->unreadable(sink->ctx, index, name, why);
		}
		if (k < 0 && encrypted)
			encrypted_why(l->a, l->aopt, why, sizeof why);
		else if (k < 0)
			snprintf(why, sizeof why, "cannot be read: %s", error_of(l->a));
		if (k < 0)
			return sink->unreadable(sink->ctx, index, name, why);
		if (k == 0)
			break;
		got += (size_t)k;
	}
	struct archive_member m = { index, name, 0, MEMBER_OTHER, NULL, NULL };
	classify(&m, head, got, l->sink->by_name);
	if (m.kind == MEMBER_OTHER)
		return 0;
	if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0) {
		m.size = (uint64_t)archive_entry_size(e);
		if (stated_too_big(m.size, l->aopt, why, sizeof why))
			return sink->unreadable(sink->ctx, index, name, why);
	} else {
		int64_t n = count_rest(l->a, l->feed, l->in_start, got, l->aopt, why, sizeof why);
		if (n == -2)
			snprintf(why, sizeof why, "cannot be read: %s", error_of(l->a));
		if (n < 0)
			return sink->unreadable(sink->ctx, index, name, why);
		m.size = (uint64_t)n;
	}
	if (too_small_for_image(&m))
		return 0;
	return sink->member(sink->ctx, &m);
}

int archive_list(struct source *src, bool seekable, const struct archive_options *aopt,
		 const struct archive_sink *sink, char *format, size_t formatsz, char *err,
		 size_t errsz)
{
	struct feed *f = xcalloc(1, sizeof *f);
	f->src = src;
	struct archive *a = reader_open(f, seekable, aopt, err, errsz);
	if (!a) {
		free(f);
		return -1;
	}
	int rc = 0;
	struct archive_entry *e;
	struct listing l = { .a = a, .feed = f, .src = src, .aopt = aopt, .sink = sink };
	for (uint64_t index = 0;; index++) {
		int r = archive_read_next_header(a, &e);
		if (index == 0 && format)
			format_of(a, format, formatsz);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			bool header = strstr(error_of(a), "header is encrypted") != NULL;
			source_set_err(err, errsz, "after %llu member%s: %s%s",
				       (unsigned long long)index, index == 1 ? "" : "s", error_of(a),
				       header ? " (an encrypted 7z: it cannot be read without 7-Zip, "
				       "7z x, then name what it holds)" : "");
			rc = -1;
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		l.in_start = f->pos;
		if (list_one(&l, e, index) != 0)
			break;
	}
	zip_dir_free(&l.d64.dir);
	archive_read_free(a);
	free(f);
	return rc;
}

/* ---- one member as a source ------------------------------------------- */

struct member {
	struct source s;
	struct source *parent;
	bool seekable;
	uint64_t index;
	struct feed *feed;
	const struct archive_options *aopt;   /* borrowed: the run's */
	struct archive *a;      /* positioned in the member, at pos */
	char *name;             /* as libarchive lists it */
	bool encrypted;
	uint64_t pos;
	uint64_t in_start;      /* where in the archive its data began */
	int spool;              /* an unlinked temporary file, or -1 */
	uint64_t spooled;       /* bytes written to it */
	/* A Deflate64 member, read by the project's decoder instead. */
	struct inflate64 *z;
	struct source *z_in;
	struct zip_entry z_entry;
	uint64_t z_off;
	uint32_t crc;           /* of the bytes decoded so far */
};

/* The member's Deflate64 decoder, at its start. Returns 0, or -1. */
static int deflate64_restart(struct member *m)
{
	inflate64_free(m->z);
	source_close(m->z_in);
	m->z = deflate64_open(m->parent, &m->z_entry, m->z_off, &m->z_in);
	m->pos = 0;
	m->crc = (uint32_t)crc32(0, NULL, 0);
	if (!m->z)
		source_set_err(m->s.err, sizeof m->s.err, "out of memory");
	return m->z ? 0 : -1;
}

/* libarchive could not read the member at its start: whether it is a
 * Deflate64 member, which is then read by the project's decoder.
 * Returns 1 when it is (the decoder is ready), 0 when it is not, -1 when
 * it is but cannot be read (m->s.err says why). */
static int deflate64_take_over(struct member *m)
{
	struct d64_dir c = { 0 };
	const struct zip_entry *e;
	char why[sizeof m->s.err];
	int r = deflate64_find(m->parent, &c, m->index, m->name ? m->name : "", &e, &m->z_off, why,
			       sizeof why);
	if (r > 0) {
		m->z_entry = *e;
		m->z_entry.name = NULL;   /* not kept: the directory goes */
		r = deflate64_restart(m) == 0 ? 1 : -1;
		archive_read_free(m->a);  /* done with: the decoder reads from here */
		m->a = NULL;
	} else if (r < 0) {
		source_set_err(m->s.err, sizeof m->s.err, "%s", why);
	}
	zip_dir_free(&c.dir);
	return r;
}

/* A fresh reader positioned at the start of member m->index. */
static int member_rewind(struct member *m, char *err, size_t errsz)
{
	if (m->z) {
		int r = deflate64_restart(m);
		if (r != 0)
			source_set_err(err, errsz, "%s", m->s.err);
		return r;
	}
	if (m->a)
		archive_read_free(m->a);
	m->feed->pos = 0;
	m->pos = 0;
	m->a = reader_open(m->feed, m->seekable, m->aopt, err, errsz);
	if (!m->a)
		return -1;
	struct archive_entry *e;
	for (uint64_t i = 0; i <= m->index; i++) {
		int r = archive_read_next_header(m->a, &e);
		if (r == ARCHIVE_EOF || r < ARCHIVE_WARN) {
			source_set_err(err, errsz, "member %llu: %s", (unsigned long long)m->index,
				       r == ARCHIVE_EOF ? "not in the archive" : error_of(m->a));
			return -1;
		}
	}
	free(m->name);
	m->name = archive_entry_pathname(e) ? xstrdup(archive_entry_pathname(e)) : NULL;
	m->encrypted = archive_entry_is_encrypted(e);
	m->in_start = m->feed->pos;
	return 0;
}

/* Up to n bytes from the Deflate64 decoder, their CRC-32 checked
 * against the directory's once the member is whole. */
static ssize_t deflate64_next(struct member *m, void *buf, size_t n)
{
	ssize_t k = inflate64_read(m->z, buf, n, m->s.err, sizeof m->s.err);
	if (k <= 0)
		return k;
	m->crc = (uint32_t)crc32(m->crc, buf, (uInt)k);
	if (m->pos + (uint64_t)k >= m->s.size && m->crc != m->z_entry.crc) {
		source_set_err(m->s.err, sizeof m->s.err, "Deflate64 member: its CRC-32 is %08x, "
			       "the zip says %08x: damaged", m->crc, m->z_entry.crc);
		return -1;
	}
	return k;
}

/* Reads up to n bytes of the member's stream at m->pos. */
static ssize_t member_next(struct member *m, void *buf, size_t n)
{
	ssize_t k;
	if (m->z) {
		k = deflate64_next(m, buf, n);
	} else {
		k = archive_read_data(m->a, buf, n);
		if (k < 0)
			source_set_err(m->s.err, sizeof m->s.err, "%s", error_of(m->a));
		if (k < 0 && m->pos == 0 && !m->encrypted) {
			int r = deflate64_take_over(m);
			if (r > 0)
				k = deflate64_next(m, buf, n);
		}
	}
	if (k < 0)
		return -1;
	if (k == 0) {
		source_set_err(m->s.err, sizeof m->s.err, "the member ends at byte %llu; its "
			       "archive said %llu", (unsigned long long)m->pos,
			       (unsigned long long)m->s.size);
		return -1;
	}
	m->pos += (uint64_t)k;
	uint64_t in = m->z ? inflate64_consumed(m->z) : compressed_bound(m->feed, m->in_start);
	if (bomb(m->pos, in, m->aopt, m->s.err, sizeof m->s.err))
		return -1;
	return k;
}

/* Going back: the whole member once into an unlinked temporary file,
 * which the reads then come from. */
const char *archive_tmpdir(const struct archive_options *aopt)
{
	const char *dir = aopt && aopt->tmpdir && *aopt->tmpdir ? aopt->tmpdir : getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

static int member_spool(struct member *m)
{
	const char *dir = archive_tmpdir(m->aopt);
	char path[4096];
	snprintf(path, sizeof path, "%s/rmmhunt-member.XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		source_set_err(m->s.err, sizeof m->s.err, "cannot make a temporary file in %s: %s",
			       dir, strerror(errno));
		return -1;
	}
	unlink(path);
	if (member_rewind(m, m->s.err, sizeof m->s.err) != 0) {
		close(fd);
		return -1;
	}
	uint8_t *buf = xmalloc(BLOCK);
	while (m->pos < m->s.size) {
		size_t want = m->s.size - m->pos < BLOCK ? (size_t)(m->s.size - m->pos) : BLOCK;
		ssize_t k = member_next(m, buf, want);
		if (k < 0 || write(fd, buf, (size_t)k) != k) {
			if (k >= 0)
				source_set_err(m->s.err, sizeof m->s.err, "temporary file: %s",
					       strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		m->spooled += (uint64_t)k;
	}
	free(buf);
	m->spool = fd;
	return 0;
}

static ssize_t member_read(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct member *m = (struct member *)s;
	if (m->spool < 0 && off < m->pos && member_spool(m) != 0)
		return -1;
	if (m->spool >= 0) {
		ssize_t k = pread(m->spool, buf, n, (off_t)off);
		if (k <= 0)
			source_set_err(s->err, sizeof s->err, "temporary file: %s",
				       k < 0 ? strerror(errno) : "short");
		return k > 0 ? k : -1;
	}
	uint8_t skip[4096];
	while (m->pos < off) {
		size_t want = off - m->pos < sizeof skip ? (size_t)(off - m->pos) : sizeof skip;
		if (member_next(m, skip, want) < 0)
			return -1;
	}
	return member_next(m, buf, n);
}

static uint64_t member_spooled(struct source *s)
{
	struct member *m = (struct member *)s;
	return m->spooled + source_spooled(m->parent);
}

static void member_close(struct source *s)
{
	struct member *m = (struct member *)s;
	if (m->a)
		archive_read_free(m->a);
	if (m->spool >= 0)
		close(m->spool);
	inflate64_free(m->z);
	source_close(m->z_in);
	source_close(m->parent);
	free(m->name);
	free(m->feed);
	free(m);
}

struct source *archive_member_open(struct source *parent, bool seekable, uint64_t index,
				   uint64_t size, const struct archive_options *aopt, char *err,
				   size_t errsz)
{
	if (!parent)
		return NULL;
	struct member *m = xcalloc(1, sizeof *m);
	m->s.read_at = member_read;
	m->s.close = member_close;
	m->s.spooled = member_spooled;
	m->s.size = size;
	m->parent = parent;
	m->seekable = seekable;
	m->index = index;
	m->spool = -1;
	m->aopt = aopt;
	m->feed = xcalloc(1, sizeof *m->feed);
	m->feed->src = parent;
	if (member_rewind(m, err, errsz) != 0) {
		member_close(&m->s);
		return NULL;
	}
	return &m->s;
}
