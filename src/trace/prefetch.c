/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* prefetch: libscca's reading of a Prefetch file (prefetch.h). libscca
 * links Debian's shared libbfio.so.1, so it is handed a handle over the
 * source: a Prefetch file inside an image or an archive is read where
 * it lies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef HAVE_LIBSCCA
#include <libscca.h>
#endif
#include "bfio.h"
#include "prefetch.h"
#include "strbuf.h"
#include "timefmt.h"


#ifdef HAVE_LIBSCCA
/* The innermost line of libscca's error backtrace: the most specific. */
static void scca_err(libscca_error_t **e, const char *what, char *err, size_t errsz)
{
	char full[1024] = "";
	if (e && *e) {
		libscca_error_backtrace_sprint(*e, full, sizeof full);
		libscca_error_free(e);
	}
	full[strcspn(full, "\n")] = '\0';
	if (strstr(full, "unsupported format version"))
		source_set_err(err, errsz, "Prefetch format version 31 or later (Windows 11 "
			       "22H2 on) or an unknown one: libscca %s cannot read it",
			       libscca_get_version());
	else
		source_set_err(err, errsz, "%s%s%s", what, *full ? ": " : "", full);
}

/* A libscca UTF-8 string getter's result, or NULL. */
#define SCCA_STRING(call_size, call_get, ...) ({ \
	size_t size_ = 0; char *s_ = NULL; \
	if (call_size(__VA_ARGS__, &size_, NULL) == 1 && size_ > 0 && size_ < (1u << 20)) { \
		s_ = xmalloc(size_); \
		if (call_get(__VA_ARGS__, (uint8_t *)s_, size_, NULL) != 1) { \
			free(s_); s_ = NULL; \
		} else { s_[size_ - 1] = '\0'; } \
	} \
	s_; })

static void read_times(libscca_file_t *f, struct prefetch *pf)
{
	for (int i = 0; i < PREFETCH_RUN_TIMES; i++)
		pf->last_run[i] = TIME_NONE;
	int n = pf->version >= 26 ? PREFETCH_RUN_TIMES : 1;
	for (int i = 0; i < n; i++) {
		uint64_t t = 0;
		if (libscca_file_get_last_run_time(f, i, &t, NULL) == 1 && t != 0 &&
		    t <= (uint64_t)INT64_MAX)
			pf->last_run[pf->n_last_run++] = (int64_t)t;
	}
}

static void read_files(libscca_file_t *f, struct prefetch *pf)
{
	int n = 0;
	if (libscca_file_get_number_of_filenames(f, &n, NULL) != 1 || n <= 0)
		return;
	pf->files = xcalloc((size_t)n, sizeof *pf->files);
	for (int i = 0; i < n; i++) {
		char *s = SCCA_STRING(libscca_file_get_utf8_filename_size,
				      libscca_file_get_utf8_filename, f, i);
		pf->files[pf->n_files++] = s ? s : xstrdup("");
	}
}

static void read_volumes(libscca_file_t *f, struct prefetch *pf)
{
	int n = 0;
	if (libscca_file_get_number_of_volumes(f, &n, NULL) != 1 || n <= 0)
		return;
	pf->volumes = xcalloc((size_t)n, sizeof *pf->volumes);
	for (int i = 0; i < n; i++) {
		libscca_volume_information_t *v = NULL;
		if (libscca_file_get_volume_information(f, i, &v, NULL) != 1)
			continue;
		struct prefetch_volume *pv = &pf->volumes[pf->n_volumes++];
		uint64_t t = 0;
		pv->device = SCCA_STRING(libscca_volume_information_get_utf8_device_path_size,
					 libscca_volume_information_get_utf8_device_path, v);
		libscca_volume_information_get_serial_number(v, &pv->serial, NULL);
		pv->created = libscca_volume_information_get_creation_time(v, &t, NULL) == 1 &&
			      t && t <= (uint64_t)INT64_MAX ? (int64_t)t : TIME_NONE;
		libscca_volume_information_free(&v, NULL);
	}
}

int prefetch_read(struct source *src, struct prefetch *pf, char *err, size_t errsz)
{
	libscca_file_t *f = NULL;
	libscca_error_t *e = NULL;
	libbfio_handle_t *h = NULL;
	memset(pf, 0, sizeof *pf);
	if (source_bfio_handle(src, &h, err, errsz) != 0)
		return -1;
	if (libscca_file_initialize(&f, &e) != 1 ||
	    libscca_file_open_file_io_handle(f, h, LIBSCCA_OPEN_READ, &e) != 1) {
		scca_err(&e, "libscca", err, errsz);
		libscca_file_free(&f, NULL);
		libbfio_handle_free(&h, NULL);
		return -1;
	}
	libscca_file_get_format_version(f, &pf->version, NULL);
	libscca_file_get_prefetch_hash(f, &pf->hash, NULL);
	libscca_file_get_run_count(f, &pf->run_count, NULL);
	pf->executable = SCCA_STRING(libscca_file_get_utf8_executable_filename_size,
				     libscca_file_get_utf8_executable_filename, f);
	read_times(f, pf);
	read_files(f, pf);
	read_volumes(f, pf);
	libscca_file_close(f, NULL);
	libscca_file_free(&f, NULL);
	libbfio_handle_free(&h, NULL);
	return 0;
}

#else
int prefetch_read(struct source *src, struct prefetch *pf, char *err, size_t errsz)
{
	(void)src;
	memset(pf, 0, sizeof *pf);
	source_set_err(err, errsz, "this rmmhunt was built without libscca: Prefetch files "
		       "are not read");
	return -1;
}
#endif

void prefetch_free(struct prefetch *pf)
{
	free(pf->executable);
	for (size_t i = 0; i < pf->n_files; i++)
		free(pf->files[i]);
	free(pf->files);
	for (size_t i = 0; i < pf->n_volumes; i++)
		free(pf->volumes[i].device);
	free(pf->volumes);
	memset(pf, 0, sizeof *pf);
}

char *prefetch_summary(const struct prefetch *pf)
{
	struct strbuf sb = { 0 };
	char t[TIME_TEXT_SIZE] = "";
	if (pf->n_last_run)
		time_format(pf->last_run[0], t);
	sb_printf(&sb, "%s, Prefetch version %u, run %u times, last run %s, %zu file names",
		  pf->executable ? pf->executable : "(no name)", pf->version, pf->run_count,
		  *t ? t : "unknown", pf->n_files);
	return sb_take(&sb);
}
