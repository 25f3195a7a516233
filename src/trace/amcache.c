/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* amcache: libregf's reading of Amcache.hve (amcache.h). libregf links
 * Debian's shared libbfio.so.1: it is handed a handle over the source,
 * so a hive inside an image or an archive is read where it lies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_LIBREGF
#include <libregf.h>
#endif
#include "amcache.h"
#include "bfio.h"
#include "strbuf.h"
#include "timefmt.h"

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
static void regf_err(libregf_error_t **e, const char *what, char *err, size_t errsz)
{
	char full[1024] = "";
	if (e && *e) {
		libregf_error_backtrace_sprint(*e, full, sizeof full);
		libregf_error_free(e);
	}
	full[strcspn(full, "\n")] = '\0';
	source_set_err(err, errsz, "%s%s%s", what, *full ? ": " : "", full);
}

static libregf_key_t *sub_key(libregf_key_t *k, const char *name)
{
	libregf_key_t *s = NULL;
	if (!k || libregf_key_get_sub_key_by_utf8_name(k, (const uint8_t *)name, strlen(name),
							 &s, NULL) != 1)
		return NULL;
	return s;
}

/* The string value name of k, or NULL (absent, not a string, empty). */
static char *string_value(libregf_key_t *k, const char *name)
{
	libregf_value_t *v = NULL;
	size_t size = 0;
	char *s = NULL;
	if (libregf_key_get_value_by_utf8_name(k, (const uint8_t *)name, strlen(name), &v,
					       NULL) != 1)
		return NULL;
	if (libregf_value_get_value_utf8_string_size(v, &size, NULL) == 1 && size > 1 &&
	    size < (1u << 20)) {
		s = xmalloc(size);
		if (libregf_value_get_value_utf8_string(v, (uint8_t *)s, size, NULL) != 1) {
			free(s);
			s = NULL;
		} else {
			s[size - 1] = '\0';
		}
	}
	libregf_value_free(&v, NULL);
	return s;
}

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

static const char *last_part(const char *p)
{
	const char *s = p ? strrchr(p, '\\') : NULL;
	return s ? s + 1 : p;
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
		e.path = string_value(k, "LowerCaseLongPath");
		e.name = string_value(k, "Name");
		e.publisher = string_value(k, "Publisher");
		e.product = string_value(k, "ProductName");
		e.sha1 = sha1_of(string_value(k, "FileId"));
	} else {
		e.path = string_value(k, "15");
		e.product = string_value(k, "0");
		e.publisher = string_value(k, "1");
		e.sha1 = sha1_of(string_value(k, "101"));
	}
	if (!e.name && e.path)
		e.name = xstrdup(last_part(e.path));
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

static int read_hive(libregf_file_t *f, struct amcache *a, char *err, size_t errsz)
{
	libregf_key_t *root = NULL, *r = NULL, *k10 = NULL, *k8 = NULL;
	int rc = 0;
	if (libregf_file_get_root_key(f, &root, NULL) != 1 || !(r = sub_key(root, "Root"))) {
		source_set_err(err, errsz, "a registry hive without a Root key: not an Amcache hive");
		rc = -1;
	} else if (!(k10 = sub_key(r, "InventoryApplicationFile")) & !(k8 = sub_key(r, "File"))) {
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
	libregf_file_t *f = NULL;
	libregf_error_t *e = NULL;
	libbfio_handle_t *h = NULL;
	memset(a, 0, sizeof *a);
	if (source_bfio_handle(src, &h, err, errsz) != 0)
		return -1;
	if (libregf_file_initialize(&f, &e) != 1 ||
	    libregf_file_open_file_io_handle(f, h, LIBREGF_OPEN_READ, &e) != 1) {
		regf_err(&e, "libregf", err, errsz);
		libregf_file_free(&f, NULL);
		libbfio_handle_free(&h, NULL);
		return -1;
	}
	int rc = read_hive(f, a, err, errsz);
	if (rc != 0)
		amcache_free(a);
	libregf_file_close(f, NULL);
	libregf_file_free(&f, NULL);
	libbfio_handle_free(&h, NULL);
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
