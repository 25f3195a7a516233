/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* locator_open: a worker gets a locator and opens the chain again, layer
 * by layer, each a source made from the one before. */
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
#include "volume.h"
#include "vss.h"

/* The bytes a carved step searched, as one source of runs of cur. */
static struct source *open_carved(const struct step *s, struct source *cur, char *err,
				  size_t errsz)
{
	struct byte_run *runs = NULL;
	size_t n = 0;
	if (!cur)
		return NULL;
	if (s->name && strcmp(s->name, CARVE_UNALLOCATED) == 0) {
		if (ntfs_unallocated_runs(cur, &runs, &n, err, errsz) != 0) {
			free(runs);
			source_close(cur);
			return NULL;
		}
	} else if (s->name && strcmp(s->name, CARVE_OUTSIDE) == 0) {
		disk_outside_ntfs_runs(cur, &runs, &n);
	} else if (s->name && (strcmp(s->name, CARVE_WHOLE) == 0 ||
			       strcmp(s->name, CARVE_VOLUME) == 0)) {
		/* one run: offsets stay the file's, as the reader asks them of
		 * a runs source */
		runs = xmalloc(sizeof *runs);
		runs[0] = (struct byte_run){ .off = 0, .len = cur->size };
		n = 1;
	} else {
		source_close(cur);
		source_set_err(err, errsz, "unknown carved region");
		return NULL;
	}
	struct source *r = source_runs(cur, runs, n);
	free(runs);
	if (!r)
		source_set_err(err, errsz, "out of memory");
	return r;
}

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

/* The compacted member cur (taken) expanded by the index step i names. */
static struct source *open_sparse(const struct locator *loc, size_t i, struct source *cur,
				  const struct archive_options *aopt, char *err, size_t errsz)
{
	struct sparse_index ix;
	if (!cur)
		return NULL;
	if (sparse_index_read(loc, i, cur->size, aopt, &ix, err, errsz) != 0) {
		sparse_index_free(&ix);
		source_close(cur);
		return NULL;
	}
	struct source *s = ix.size == loc->steps[i].size ? source_sparse(cur, &ix) : NULL;
	if (ix.size != loc->steps[i].size) {
		source_set_err(err, errsz, "sparse index: %llu bytes expanded, %llu when listed",
			       (unsigned long long)ix.size, (unsigned long long)loc->steps[i].size);
		source_close(cur);
	} else if (!s) {
		source_set_err(err, errsz, "out of memory");
	}
	sparse_index_free(&ix);
	return s;
}

/* The layer the step opens over cur (which it takes), or NULL with err. */
static struct source *open_step(const struct locator *loc, size_t i, struct source *cur,
				const struct archive_options *aopt, char *err, size_t errsz)
{
	const struct step *s = &loc->steps[i];
	switch (s->kind) {
	case STEP_FILE:
		source_close(cur);
		return source_file_open(s->name, err, errsz);
	case STEP_IMAGE: {
		/* The image libraries open by name: E01 segments and VMDK
		 * extents are found beside the first file; an image inside an
		 * archive, by the name of the copy discovery made of it. */
		const struct image_format *f = image_format_by_name(s->name ? s->name : "");
		char copy[4096];
		const char *path = locator_path(loc);
		source_close(cur);
		if (i >= 2 && loc->steps[i - 1].kind == STEP_ARCHIVE) {
			if (image_spool_path(aopt, loc, i, f, copy, sizeof copy) != 0) {
				source_set_err(err, errsz, "a disk image inside an archive, and no "
					       "copy of it to read");
				return NULL;
			}
			path = copy;
		}
		return image_open(f, path, NULL, err, errsz);
	}
	case STEP_PARTITION:
		return source_range(cur, s->offset, s->size);
	case STEP_CARVED:
		return open_carved(s, cur, err, errsz);
	case STEP_VOLUME:
		return cur;
	case STEP_VSS:
		return vss_store_open(cur, s->index, err, errsz);
	case STEP_NTFS:
		return ntfs_file_open(cur, s->index, err, errsz);
	case STEP_ARCHIVE:
		/* the file itself is read with seeks (a zip's central
		 * directory); a member inside a member, front to back */
		return archive_member_open(cur, i == 1, s->index, s->size, aopt, err, errsz);
	case STEP_SPARSE:
		return open_sparse(loc, i, cur, aopt, err, errsz);
	default:
		source_close(cur);
		source_set_err(err, errsz, "unknown step");
		return NULL;
	}
}

struct source *locator_open(const struct locator *loc, struct source **media,
			    const struct archive_options *aopt, char *err, size_t errsz)
{
	struct source *cur = NULL;
	for (size_t i = 0; i < loc->n; i++) {
		char why[SOURCE_ERR_MAX * 2] = "out of memory";
		cur = open_step(loc, i, cur, aopt, why, sizeof why);
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
