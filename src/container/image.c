/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* image: the format table, the bids, and the formats that need no
 * library (raw, split raw). The libyal formats are in image_libyal.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "image.h"
#include "archives.h"
#include "image_formats.h"
#include "strbuf.h"
#include <openssl/evp.h>


static const char *const names[IMAGE_FORMAT_COUNT] = {
#define X(e, n, b, o) n,
	IMAGE_FORMATS(X)
#undef X
};

typedef enum image_bid (*bid_fn)(const uint8_t *head, size_t n, struct source *file,
				 const char *path);
typedef struct source *(*open_fn)(const char *path, char **detail, char *err, size_t errsz);

static const bid_fn bids[IMAGE_FORMAT_COUNT] = {
#define X(e, n, b, o) b,
	IMAGE_FORMATS(X)
#undef X
};

static const open_fn opens[IMAGE_FORMAT_COUNT] = {
#define X(e, n, b, o) o,
	IMAGE_FORMATS(X)
#undef X
};

enum image_bid archive_bid(const uint8_t *head, size_t len, struct source *file,
			   const char *path)
{
	(void)file;
	(void)path;
	return archive_sniff(head, len) ? BID_YES : BID_NO;
}

struct source *archive_no_media(const char *path, char **detail, char *err, size_t errsz)
{
	(void)path;
	(void)detail;
	source_set_err(err, errsz, "an archive is listed member by member, not opened as a disk");
	return NULL;
}

const char *image_format_name(enum image_format f)
{
	return f >= 0 && f < IMAGE_FORMAT_COUNT ? names[f] : "unknown";
}

enum image_format image_format_by_name(const char *name)
{
	for (int f = 0; f < IMAGE_FORMAT_COUNT; f++)
		if (strcmp(names[f], name) == 0)
			return (enum image_format)f;
	return IMAGE_NONE;
}

/* The table is in order of precedence: the container formats first, raw
 * (which any disk or volume bids for) last. */
enum image_format image_bid(struct source *file, const char *path, bool *part)
{
	uint8_t head[BID_BYTES] = { 0 };
	ssize_t n = source_read(file, 0, head, sizeof head);
	*part = false;
	if (n <= 0)
		return IMAGE_NONE;
	for (int f = 0; f < IMAGE_FORMAT_COUNT; f++) {
		enum image_bid b = bids[f](head, (size_t)n, file, path);
		if (b == BID_PART) {
			*part = true;
			return (enum image_format)f;
		}
		if (b == BID_YES)
			return (enum image_format)f;
	}
	return IMAGE_NONE;
}

struct source *image_open(enum image_format f, const char *path, char **detail,
			  char *err, size_t errsz)
{
	if (detail)
		*detail = NULL;
	if (f < 0 || f >= IMAGE_FORMAT_COUNT) {
		source_set_err(err, errsz, "unknown image format");
		return NULL;
	}
	return opens[f](path, detail, err, errsz);
}

/* ---- raw: a disk (MBR, GPT) or a bare volume (NTFS, BitLocker) ------ */


/* A disk that is the first part of a split set, or a fixed VHD (a raw
 * disk with a footer), is theirs, not raw's. */
enum image_bid raw_bid(const uint8_t *head, size_t n, struct source *file, const char *path)
{
	if (file->size < RAW_MIN_SIZE || !raw_looks_like_disk(head, n) ||
	    split_bid(head, n, file, path) != BID_NO || vhd_bid(head, n, file, path) != BID_NO)
		return BID_NO;
	return BID_YES;
}

struct source *raw_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)detail;
	return source_file_open(path, err, errsz);
}

/* ---- split raw: disk.001, disk.002, ... (also .000, .aa) ---------- */

/* The name of the part after name, or NULL when its suffix does not
 * count (digits: .001 -> .002; letters: .aa -> .ab). */
static char *next_part_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || !dot[1] || strchr(dot, '/'))
		return NULL;
	char *next = xstrdup(name);
	char *suffix = next + (dot - name) + 1;
	size_t len = strlen(suffix);
	bool digits = strspn(suffix, "0123456789") == len;
	bool letters = strspn(suffix, "abcdefghijklmnopqrstuvwxyz") == len;
	if (!digits && !letters) {
		free(next);
		return NULL;
	}
	char lo = digits ? '0' : 'a', hi = digits ? '9' : 'z';
	for (size_t i = len; i-- > 0;) {
		if (suffix[i] != hi) {
			suffix[i]++;
			return next;
		}
		suffix[i] = lo;
	}
	free(next);   /* .999 or .zz: no next part */
	return NULL;
}

#define SPLIT_MAX_PARTS 100000

static bool is_first_part(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (strcmp(dot, ".001") == 0 || strcmp(dot, ".000") == 0 ||
		       strcmp(dot, ".aa") == 0);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether path is the first part of a split set: a disk, followed by a
 * second part. */
static bool first_of_set(const char *path, const uint8_t *head, size_t n)
{
	if (!is_first_part(path) || !raw_looks_like_disk(head, n))
		return false;   /* a small first part is fine: the set is the disk */
	char *next = next_part_name(path);
	bool yes = next && exists(next);
	free(next);
	return yes;
}

/* Whether path is a later part of a set whose first part (the same
 * name, .001, .000 or .aa) is one: reached from it part by part. */
static bool later_of_set(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || is_first_part(path) || strchr(dot, '/'))
		return false;
	static const char *const firsts[] = { "001", "000", "aa" };
	bool found = false;
	for (size_t i = 0; i < 3 && !found; i++) {
		if (strlen(firsts[i]) != strlen(dot + 1))
			continue;
		struct strbuf first = { 0 };
		sb_append(&first, path, (size_t)(dot - path) + 1);
		sb_puts(&first, firsts[i]);
		uint8_t head[BID_BYTES];   /* as image_bid reads it */
		char err[SOURCE_ERR_MAX];
		struct source *s = exists(first.data) ? source_file_open(first.data, err, sizeof err)
						       : NULL;
		ssize_t got = s ? source_read(s, 0, head, sizeof head) : -1;
		source_close(s);
		char *name = got > 0 && first_of_set(first.data, head, (size_t)got)
			     ? xstrdup(first.data) : NULL;
		for (size_t k = 0; name && k < SPLIT_MAX_PARTS && !found; k++) {
			char *next = next_part_name(name);
			free(name);
			name = next && exists(next) ? next : (free(next), NULL);
			found = name && strcmp(name, path) == 0;
		}
		free(name);
		sb_free(&first);
	}
	return found;
}

enum image_bid split_bid(const uint8_t *head, size_t n, struct source *file, const char *path)
{
	(void)file;
	if (first_of_set(path, head, n))
		return BID_YES;
	return later_of_set(path) ? BID_PART : BID_NO;
}

struct source *split_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)detail;
	struct source **parts = NULL;
	size_t n = 0;
	char *name = xstrdup(path);
	while (name && exists(name) && n < SPLIT_MAX_PARTS) {
		char perr[SOURCE_ERR_MAX];
		struct source *p = source_file_open(name, perr, sizeof perr);
		if (!p) {
			source_set_err(err, errsz, "part %s: %s", name, perr);
			free(name);
			for (size_t i = 0; i < n; i++)
				source_close(parts[i]);
			free(parts);
			return NULL;
		}
		parts = xrealloc(parts, (n + 1) * sizeof *parts);
		parts[n++] = p;
		char *next = next_part_name(name);
		free(name);
		name = next;
	}
	free(name);
	struct source *s = source_concat(parts, n);
	free(parts);
	if (!s)
		source_set_err(err, errsz, "out of memory");
	return s;
}

/* ---- --verify-image ------------------------------------------------------ */

/* The hex value after "name=" in stored, into hex (at most n-1 chars). */
static bool stored_value(const char *stored, const char *name, char *hex, size_t n)
{
	const char *p = stored ? strstr(stored, name) : NULL;
	if (!p)
		return false;
	p += strlen(name);
	size_t len = strspn(p, "0123456789abcdefABCDEF");
	if (len == 0 || len >= n)
		return false;
	for (size_t i = 0; i < len; i++)
		hex[i] = (char)(p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 'a' : p[i]);
	hex[len] = '\0';
	return true;
}

static void digest_hex(EVP_MD_CTX *c, char *hex)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_DigestFinal_ex(c, md, &len);
	for (unsigned i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

int image_verify(struct source *media, const char *stored, char *out, size_t outsz)
{
	char want_md5[64], want_sha1[64], got_md5[64] = "", got_sha1[64] = "";
	bool has_md5 = stored_value(stored, "md5=", want_md5, sizeof want_md5);
	bool has_sha1 = stored_value(stored, "sha1=", want_sha1, sizeof want_sha1);
	if (!has_md5 && !has_sha1) {
		source_set_err(out, outsz, "not verified: the image stores no hash");
		return -1;
	}
	EVP_MD_CTX *md5 = EVP_MD_CTX_new(), *sha1 = EVP_MD_CTX_new();
	uint8_t *buf = malloc((size_t)4 << 20);
	int rc = -1;
	if (!md5 || !sha1 || !buf || EVP_DigestInit_ex(md5, EVP_md5(), NULL) != 1 ||
	    EVP_DigestInit_ex(sha1, EVP_sha1(), NULL) != 1) {
		source_set_err(out, outsz, "not verified: out of memory");
		goto done;
	}
	for (uint64_t off = 0; off < media->size;) {
		ssize_t k = source_read(media, off, buf, (size_t)4 << 20);
		if (k <= 0) {
			source_set_err(out, outsz, "not verified: read error at byte %llu: %s",
				       (unsigned long long)off, media->err);
			goto done;
		}
		EVP_DigestUpdate(md5, buf, (size_t)k);
		EVP_DigestUpdate(sha1, buf, (size_t)k);
		off += (uint64_t)k;
	}
	digest_hex(md5, got_md5);
	digest_hex(sha1, got_sha1);
	bool ok = (!has_md5 || strcmp(want_md5, got_md5) == 0) &&
		  (!has_sha1 || strcmp(want_sha1, got_sha1) == 0);
	if (ok)
		source_set_err(out, outsz, "verified: %s%s%s over %llu bytes",
			       has_md5 ? "MD5" : "", has_md5 && has_sha1 ? " and " : "",
			       has_sha1 ? "SHA-1" : "", (unsigned long long)media->size);
	else
		source_set_err(out, outsz, "MISMATCH: stored md5=%s sha1=%s, computed md5=%s "
			       "sha1=%s", has_md5 ? want_md5 : "-", has_sha1 ? want_sha1 : "-",
			       got_md5, got_sha1);
	rc = ok ? 1 : 0;
done:
	free(buf);
	EVP_MD_CTX_free(md5);
	EVP_MD_CTX_free(sha1);
	return rc;
}
