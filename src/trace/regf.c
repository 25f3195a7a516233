/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* regf: libregf for the hive readers (regf.h). libregf links Debian's
 * shared libbfio.so.1: it is handed a handle over the source, so a hive
 * inside an image or an archive is read where it lies. */
#ifdef HAVE_LIBREGF
#include <stdlib.h>
#include <string.h>
#include "bfio.h"
#include "regf.h"
#include "strbuf.h"

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

libregf_key_t *regf_sub_key(libregf_key_t *k, const char *name)
{
	libregf_key_t *s = NULL;
	if (!k || libregf_key_get_sub_key_by_utf8_name(k, (const uint8_t *)name, strlen(name),
							 &s, NULL) != 1)
		return NULL;
	return s;
}

char *regf_string(libregf_key_t *k, const char *name)
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


libregf_key_t *regf_key_at(libregf_key_t *k, const char *path)
{
	char part[256];
	libregf_key_t *cur = NULL;
	const char *p = path;
	while (*p) {
		size_t n = strcspn(p, "\\");
		if (n == 0 || n >= sizeof part) {
			libregf_key_free(&cur, NULL);
			return NULL;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		libregf_key_t *next = regf_sub_key(cur ? cur : k, part);
		libregf_key_free(&cur, NULL);
		if (!next)
			return NULL;
		cur = next;
		p += n + (p[n] == '\\');
	}
	return cur;
}

int regf_open(struct regf *r, struct source *src, char *err, size_t errsz)
{
	libregf_error_t *e = NULL;
	memset(r, 0, sizeof *r);
	if (source_bfio_handle(src, &r->handle, err, errsz) != 0)
		return -1;
	if (libregf_file_initialize(&r->file, &e) != 1 ||
	    libregf_file_open_file_io_handle(r->file, r->handle, LIBREGF_OPEN_READ, &e) != 1) {
		regf_err(&e, "libregf", err, errsz);
		libregf_file_free(&r->file, NULL);
		libbfio_handle_free(&r->handle, NULL);
		return -1;
	}
	return 0;
}

void regf_close(struct regf *r)
{
	if (r->file) {
		libregf_file_close(r->file, NULL);
		libregf_file_free(&r->file, NULL);
	}
	libbfio_handle_free(&r->handle, NULL);
}
#endif
