/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* locator_open: a worker gets a locator and opens the chain again, layer
 * by layer, each a source made from the one before by its kind's row of
 * steps.c; and the two things an image or a sparse member inside an
 * archive needs to be opened again: the spooled copy's name and the
 * range index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archives.h"
#include "hash.h"
#include "image.h"
#include "locator.h"
#include "source.h"
#include "sparse.h"
#include "strbuf.h"

int image_spool_path(const struct archive_options *aopt, const struct locator *loc, size_t n,
		     const struct image_format *f, char *out, size_t outsz)
{
	const char *ext = f && f->extension ? f->extension : "img";
	if (!aopt || !aopt->spool_dir)
		return -1;
	struct locator upto = { loc->steps, n };
	char *where = locator_format(&upto);
	char hex[65];
	struct sha256 *h = sha256_new();
	sha256_update(h, where, strlen(where));
	sha256_finish(h, hex);
	free(where);
	/* The member's own file name, where it is a plain one: a VMDK's
	 * descriptor names its extent by it. */
	const char *name = n && loc->steps[n - 1].name ? loc->steps[n - 1].name : "";
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	bool plain = *base && strcmp(base, ".") != 0 && strcmp(base, "..") != 0 &&
		     strlen(base) < 200;
	for (const unsigned char *p = (const unsigned char *)base; plain && *p; p++)
		plain = *p >= 0x20 && *p != 0x7f;
	if (plain)
		snprintf(out, outsz, "%s/%.32s/%s", aopt->spool_dir, hex, base);
	else
		snprintf(out, outsz, "%s/%.32s/image.%s", aopt->spool_dir, hex, ext);
	return 0;
}

/* The range index of a compacted member, the sibling that step i
 * names in the archive of step i - 1, read whole into ix. Returns 0, or
 * -1 with err. */
int sparse_index_read(const struct locator *loc, size_t i, uint64_t stored_size,
		      const struct archive_options *aopt, struct sparse_index *ix, char *err,
		      size_t errsz)
{
	const struct step *s = &loc->steps[i];
	memset(ix, 0, sizeof *ix);
	if (i < 2 || loc->steps[i - 1].kind != STEP_ARCHIVE || s->offset > SPARSE_INDEX_MAX) {
		source_set_err(err, errsz, "a sparse index of %llu bytes, or not after an archive "
			       "member: not believed", (unsigned long long)s->offset);
		return -1;
	}
	struct step *steps = xmalloc(i * sizeof *steps);
	memcpy(steps, loc->steps, i * sizeof *steps);   /* shallow: borrowed */
	steps[i - 1].index = s->index;
	steps[i - 1].size = s->offset;
	steps[i - 1].name = s->name;
	struct locator idx = { steps, i };
	struct source *src = locator_open(&idx, NULL, aopt, err, errsz);
	free(steps);
	if (!src)
		return -1;
	char *json = xmalloc(src->size ? (size_t)src->size : 1);
	ssize_t k = source_read(src, 0, json, (size_t)src->size);
	int rc = -1;
	if (k != (ssize_t)src->size)
		source_set_err(err, errsz, "sparse index %s: %s", s->name ? s->name : "",
			       k < 0 ? src->err : "shorter than its archive says");
	else
		rc = sparse_index_parse(json, (size_t)k, stored_size, ix, err, errsz);
	free(json);
	source_close(src);
	return rc;
}

struct source *locator_open(const struct locator *loc, struct source **media,
			    const struct archive_options *aopt, char *err, size_t errsz)
{
	struct source *cur = NULL;
	for (size_t i = 0; i < loc->n; i++) {
		char why[SOURCE_ERR_MAX * 2] = "out of memory";
		cur = step_open(loc, i, cur, aopt, why, sizeof why);
		if (!cur) {
			struct locator upto = { loc->steps, i + 1 };
			char *where = i == 0 ? NULL : locator_format(&upto);
			if (where)
				source_set_err(err, errsz, "%s: %s", where, why);
			else
				source_set_err(err, errsz, "%s", why);
			free(where);
			return NULL;
		}
		/* the file, then the image's media (an image inside an
		 * archive is one too) */
		if (media && (i <= 1 || loc->steps[i].kind == STEP_IMAGE))
			*media = cur;
	}
	if (!cur)
		source_set_err(err, errsz, "empty locator");
	return cur;
}
