/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* image: the formats' table walked (image_formats[], image_table.c):
 * the bids in order, a format by its name, its open; and
 * --verify-image. Each format is a file of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image.h"
#include "image_formats.h"
#include "strbuf.h"
#include <openssl/evp.h>

const char *image_format_name(const struct image_format *f)
{
	return f ? f->name : "unknown";
}

const struct image_format *image_format_by_name(const char *name)
{
	for (const struct image_format *const *f = image_formats; *f; f++)
		if (strcmp((*f)->name, name) == 0)
			return *f;
	return NULL;
}

/* The table is in order of precedence: the container formats first, raw
 * (which any disk or volume bids for) last. */
const struct image_format *image_bid(struct source *file, const char *path, bool *part)
{
	uint8_t head[BID_BYTES] = { 0 };
	ssize_t n = source_read(file, 0, head, sizeof head);
	*part = false;
	if (n <= 0)
		return NULL;
	for (const struct image_format *const *f = image_formats; *f; f++) {
		enum image_bid b = (*f)->bid(head, (size_t)n, file, path);
		if (b == BID_PART)
			*part = true;
		if (b != BID_NO)
			return *f;
	}
	return NULL;
}

const struct image_format *image_in_archive(const uint8_t *head, size_t len)
{
	for (const struct image_format *const *f = image_formats; *f; f++)
		if ((*f)->in_archive && (*f)->in_archive(head, len))
			return *f;
	return NULL;
}

struct source *image_open(const struct image_format *f, const char *path, char **detail,
			  char *err, size_t errsz)
{
	if (detail)
		*detail = NULL;
	if (!f) {
		source_set_err(err, errsz, "unknown image format");
		return NULL;
	}
	return f->open(path, detail, err, errsz);
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
