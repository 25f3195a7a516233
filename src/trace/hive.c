/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef HAVE_LIBREGF
#include "regf.h"
#endif
#include "hive.h"
#include "strbuf.h"
#include "timefmt.h"

void hive_free(struct hive *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].key);
		free(h->v[i].name);
		free(h->v[i].data);
	}
	free(h->v);
	free(h->computer);
	memset(h, 0, sizeof *h);
}

char *hive_summary(const struct hive *h)
{
	struct strbuf sb = { 0 };
	sb_printf(&sb, "registry hive %s: %zu value%s that start programs (%s)%s", h->kind, h->n,
		  h->n == 1 ? "" : "s", strcmp(h->kind, "SYSTEM") == 0 ? "services' ImagePath"
		  : "Run and RunOnce", h->cut ? ", cut" : "");
	if (h->computer)
		sb_printf(&sb, "; computer name %s", h->computer);
	return sb_take(&sb);
}

#ifdef HAVE_LIBREGF
static void add(struct hive *h, const char *key, const char *name, char *data, libregf_key_t *k)
{
	uint64_t t = 0;
	if (!data)
		return;
	if (h->n >= HIVE_VALUES_MAX) {
		h->cut = true;
		free(data);
		return;
	}
	if ((h->n & (h->n - 1)) == 0)
		h->v = xrealloc(h->v, (h->n ? 2 * h->n : 1) * sizeof *h->v);
	h->v[h->n++] = (struct hive_value){
		xstrdup(key), xstrdup(name), data,
		libregf_key_get_last_written_time(k, &t, NULL) == 1 && t && t <= (uint64_t)INT64_MAX
		? (int64_t)t : TIME_NONE };
}

/* Every string value of the key at path (a Run key). */
static void run_key(struct hive *h, libregf_key_t *root, const char *path)
{
	libregf_key_t *k = regf_key_at(root, path);
	int n = 0;
	if (!k)
		return;
	if (libregf_key_get_number_of_values(k, &n, NULL) == 1)
		for (int i = 0; i < n && !h->cut; i++) {
			libregf_value_t *v = NULL;
			size_t size = 0;
			char name[512] = "";
			if (libregf_key_get_value(k, i, &v, NULL) != 1)
				continue;
			if (libregf_value_get_utf8_name_size(v, &size, NULL) == 1 && size > 0 &&
			    size < sizeof name)
				libregf_value_get_utf8_name(v, (uint8_t *)name, sizeof name, NULL);
			libregf_value_free(&v, NULL);
			add(h, path, name, regf_string(k, name), k);
		}
	libregf_key_free(&k, NULL);
}

/* Every service's ImagePath in the control set at path. */
static void services(struct hive *h, libregf_key_t *root, const char *path)
{
	libregf_key_t *k = regf_key_at(root, path);
	int n = 0;
	if (!k)
		return;
	if (libregf_key_get_number_of_sub_keys(k, &n, NULL) == 1)
		for (int i = 0; i < n && !h->cut; i++) {
			libregf_key_t *s = NULL;
			char name[512] = "";
			size_t size = 0;
			if (libregf_key_get_sub_key(k, i, &s, NULL) != 1)
				continue;
			if (libregf_key_get_utf8_name_size(s, &size, NULL) == 1 && size > 0 &&
			    size < sizeof name)
				libregf_key_get_utf8_name(s, (uint8_t *)name, sizeof name, NULL);
			add(h, path, name, regf_string(s, "ImagePath"), s);
			libregf_key_free(&s, NULL);
		}
	libregf_key_free(&k, NULL);
}

/* The control set Windows boots with: Select\Current (1 when the hive
 * does not say, or says something out of range). */
static int current_set(libregf_key_t *root)
{
	libregf_key_t *k = regf_key_at(root, "Select");
	libregf_value_t *v = NULL;
	uint32_t n = 1;
	if (k && libregf_key_get_value_by_utf8_name(k, (const uint8_t *)"Current", 7, &v,
						    NULL) == 1 &&
	    libregf_value_get_value_32bit(v, &n, NULL) != 1)
		n = 1;
	libregf_value_free(&v, NULL);
	libregf_key_free(&k, NULL);
	return n >= 1 && n <= 999 ? (int)n : 1;
}

static char *computer_name(libregf_key_t *root)
{
	char path[96];
	snprintf(path, sizeof path, "ControlSet%03d\\Control\\ComputerName\\ComputerName",
		 current_set(root));
	libregf_key_t *k = regf_key_at(root, path);
	char *name = k ? regf_string(k, "ComputerName") : NULL;
	libregf_key_free(&k, NULL);
	return name;
}

static void read_keys(struct hive *h, libregf_key_t *root)
{
	static const char *const run[] = {
		"Microsoft\\Windows\\CurrentVersion\\Run",
		"Microsoft\\Windows\\CurrentVersion\\RunOnce",
		"Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run",
		"Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
	};
	char path[128];
	if (strcmp(h->kind, "SYSTEM") == 0) {
		for (int i = 1; i <= 9; i++) {
			snprintf(path, sizeof path, "ControlSet%03d\\Services", i);
			services(h, root, path);
		}
		h->computer = computer_name(root);
		return;
	}
	for (size_t i = 0; i < sizeof run / sizeof *run; i++) {
		snprintf(path, sizeof path, "%s%s", strcmp(h->kind, "NTUSER.DAT") == 0 ?
			 "Software\\" : "", run[i]);
		run_key(h, root, path);
	}
}

int hive_read(struct source *src, const char *kind, struct hive *h, char *err, size_t errsz)
{
	struct regf r;
	libregf_key_t *root = NULL;
	memset(h, 0, sizeof *h);
	h->kind = kind;
	if (regf_open(&r, src, err, errsz) != 0)
		return -1;
	int rc = 0;
	if (libregf_file_get_root_key(r.file, &root, NULL) != 1) {
		source_set_err(err, errsz, "libregf: the hive has no root key");
		rc = -1;
	} else {
		read_keys(h, root);
	}
	libregf_key_free(&root, NULL);
	regf_close(&r);
	return rc;
}
#else
int hive_read(struct source *src, const char *kind, struct hive *h, char *err, size_t errsz)
{
	(void)src;
	memset(h, 0, sizeof *h);
	h->kind = kind;
	source_set_err(err, errsz, "this rmmhunt was built without libregf: registry hives "
		       "are not read");
	return -1;
}
#endif
