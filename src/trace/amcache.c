/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* amcache: libregf's reading of Amcache.hve (amcache.h). libregf links
 * Debian's shared libbfio.so.1: it is handed a handle over the source,
 * so a hive inside an image or an archive is read where it lies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_LIBREGF
#include "regf.h"
#endif
#include "amcache.h"
#include "bfio.h"
#include "strbuf.h"
#include "timefmt.h"
#include "path.h"

void amcache_free(struct amcache *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].path);
		free(a->v[i].name);
		free(a->v[i].publisher);
		free(a->v[i].product);
		free(a->v[i].sha1);
	}
	free(a->v);
	memset(a, 0, sizeof *a);
}

char *amcache_summary(const struct amcache *a)
{
	struct strbuf sb = { 0 };
	sb_printf(&sb, "Amcache: %zu InventoryApplicationFile entr%s, %zu File entr%s", a->n10,
		  a->n10 == 1 ? "y" : "ies", a->n8, a->n8 == 1 ? "y" : "ies");
	if (a->unreadable)
		sb_printf(&sb, ", %zu entr%s not readable", a->unreadable,
			  a->unreadable == 1 ? "y" : "ies");
	if (a->cut)
		sb_printf(&sb, ", cut at %u", AMCACHE_ENTRIES_MAX);
	return sb_take(&sb);
}

#ifdef HAVE_LIBREGF
/* "0000" + 40 hex digits: the SHA-1; else NULL. */
static char *sha1_of(char *file_id)
{
	char *out = NULL;
	if (file_id && strlen(file_id) == 44 && strncmp(file_id, "0000", 4) == 0 &&
	    strspn(file_id + 4, "0123456789abcdefABCDEF") == 40)
		out = xstrdup(file_id + 4);
	free(file_id);
	return out;
}

static void add_entry(struct amcache *a, libregf_key_t *k, int layout)
{
	if (a->n >= AMCACHE_ENTRIES_MAX) {
		a->cut = true;
		return;
	}
	struct amcache_entry e = { .layout = layout };
	uint64_t t = 0;
	if (layout == 10) {
		e.path = regf_string(k, "LowerCaseLongPath");
		e.name = regf_string(k, "Name");
		e.publisher = regf_string(k, "Publisher");
		e.product = regf_string(k, "ProductName");
		e.sha1 = sha1_of(regf_string(k, "FileId"));
	} else {
		e.path = regf_string(k, "15");
		e.product = regf_string(k, "0");
		e.publisher = regf_string(k, "1");
		e.sha1 = sha1_of(regf_string(k, "101"));
	}
	if (!e.name && e.path)
		e.name = xstrdup(path_base_win(e.path));
	e.written = libregf_key_get_last_written_time(k, &t, NULL) == 1 && t &&
		    t <= (uint64_t)INT64_MAX ? (int64_t)t : TIME_NONE;
	if ((a->n & (a->n - 1)) == 0)   /* at 0, 1, 2, 4, ...: doubling */
		a->v = xrealloc(a->v, (a->n ? 2 * a->n : 1) * sizeof *a->v);
	a->v[a->n++] = e;
	*(layout == 10 ? &a->n10 : &a->n8) += 1;
}

/* Each sub key of k, read as an entry (depth 1) or as a folder of
 * entries (depth 2: Windows 8's volumes). */
static void entries(struct amcache *a, libregf_key_t *k, int depth, int layout)
{
	int n = 0;
	if (libregf_key_get_number_of_sub_keys(k, &n, NULL) != 1)
		return;
	for (int i = 0; i < n && !a->cut; i++) {
		libregf_key_t *s = NULL;
		if (libregf_key_get_sub_key(k, i, &s, NULL) != 1) {
			a->unreadable++;
			continue;
		}
		if (depth > 1)
			entries(a, s, depth - 1, layout);
		else
			add_entry(a, s, layout);
		libregf_key_free(&s, NULL);
	}
}

static int read_layouts(libregf_file_t *f, struct amcache *a, char *err, size_t errsz)
{
	libregf_key_t *root = NULL, *r = NULL, *k10 = NULL, *k8 = NULL;
	int rc = 0;
	if (libregf_file_get_root_key(f, &root, NULL) != 1 || !(r = regf_sub_key(root, "Root"))) {
		source_set_err(err, errsz, "a registry hive without a Root key: not an Amcache hive");
		rc = -1;
	} else if (!(k10 = regf_sub_key(r, "InventoryApplicationFile")) & !(k8 = regf_sub_key(r, "File"))) {
		source_set_err(err, errsz, "a registry hive without Root\\InventoryApplicationFile "
			       "or Root\\File: not an Amcache hive");
		rc = -1;
	} else {
		if (k10)
			entries(a, k10, 1, 10);
		if (k8)
			entries(a, k8, 2, 8);
	}
	libregf_key_free(&k10, NULL);
	libregf_key_free(&k8, NULL);
	libregf_key_free(&r, NULL);
	libregf_key_free(&root, NULL);
	return rc;
}

int amcache_read(struct source *src, struct amcache *a, char *err, size_t errsz)
{
	struct regf r;
	memset(a, 0, sizeof *a);
	if (regf_open(&r, src, err, errsz) != 0)
		return -1;
	int rc = read_layouts(r.file, a, err, errsz);
	if (rc != 0)
		amcache_free(a);
	regf_close(&r);
	return rc;
}
#else
int amcache_read(struct source *src, struct amcache *a, char *err, size_t errsz)
{
	(void)src;
	memset(a, 0, sizeof *a);
	source_set_err(err, errsz, "this rmmhunt was built without libregf: Amcache hives "
		       "are not read");
	return -1;
}
#endif
