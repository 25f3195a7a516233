/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* prefetch: libscca's reading of a Prefetch file (prefetch.h), through
 * scca_api's table (libscca in a namespace of its own: scca_api.h). It
 * is handed a handle its own libbfio makes over the source: a Prefetch
 * file inside an image or an archive is read where it lies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bfio.h"
#include "le.h"
#include "prefetch.h"
#include "scca_api.h"
#include "strbuf.h"
#include "timefmt.h"


#ifdef HAVE_LIBSCCA
/* The innermost line of libscca's error backtrace: the most specific. */
static void scca_err(const struct scca_api *a, libscca_error_t **e, const char *what,
		     char *err, size_t errsz)
{
	char full[1024] = "";
	if (e && *e) {
		a->libscca_error_backtrace_sprint(*e, full, sizeof full);
		a->libscca_error_free(e);
	}
	full[strcspn(full, "\n")] = '\0';
	if (strstr(full, "unsupported format version"))
		source_set_err(err, errsz, "Prefetch format version 31 or later (Windows 11 "
			       "22H2 on) or an unknown one: libscca %s cannot read it",
			       a->libscca_get_version());
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

static void read_times(const struct scca_api *a, libscca_file_t *f, struct prefetch *pf)
{
	for (int i = 0; i < PREFETCH_RUN_TIMES; i++)
		pf->last_run[i] = TIME_NONE;
	int n = pf->version >= 26 ? PREFETCH_RUN_TIMES : 1;
	for (int i = 0; i < n; i++) {
		uint64_t t = 0;
		if (a->libscca_file_get_last_run_time(f, i, &t, NULL) == 1 && t != 0 &&
		    t <= (uint64_t)INT64_MAX)
			pf->last_run[pf->n_last_run++] = (int64_t)t;
	}
}

static void read_files(const struct scca_api *a, libscca_file_t *f, struct prefetch *pf)
{
	int n = 0;
	if (a->libscca_file_get_number_of_filenames(f, &n, NULL) != 1 || n <= 0)
		return;
	pf->files = xcalloc((size_t)n, sizeof *pf->files);
	for (int i = 0; i < n; i++) {
		char *s = SCCA_STRING(a->libscca_file_get_utf8_filename_size,
				      a->libscca_file_get_utf8_filename, f, i);
		pf->files[pf->n_files++] = s ? s : xstrdup("");
	}
}

static void read_volumes(const struct scca_api *a, libscca_file_t *f, struct prefetch *pf)
{
	int n = 0;
	if (a->libscca_file_get_number_of_volumes(f, &n, NULL) != 1 || n <= 0)
		return;
	pf->volumes = xcalloc((size_t)n, sizeof *pf->volumes);
	for (int i = 0; i < n; i++) {
		libscca_volume_information_t *v = NULL;
		if (a->libscca_file_get_volume_information(f, i, &v, NULL) != 1)
			continue;
		struct prefetch_volume *pv = &pf->volumes[pf->n_volumes++];
		uint64_t t = 0;
		pv->device = SCCA_STRING(a->libscca_volume_information_get_utf8_device_path_size,
					 a->libscca_volume_information_get_utf8_device_path, v);
		a->libscca_volume_information_get_serial_number(v, &pv->serial, NULL);
		pv->created = a->libscca_volume_information_get_creation_time(v, &t, NULL) == 1 &&
			      t && t <= (uint64_t)INT64_MAX ? (int64_t)t : TIME_NONE;
		a->libscca_volume_information_free(&v, NULL);
	}
}

/* The file's bytes, read once: the guard below looks at them and libscca
 * is handed them. NULL with *n = (size_t)-1 and err set when the file is
 * larger than PREFETCH_MAX_BYTES; NULL with *n = 0 when it cannot be
 * read (libscca is then handed the source, and says why). */
static uint8_t *read_whole(struct source *src, size_t *n, char *err, size_t errsz)
{
	*n = 0;
	if (src->size > PREFETCH_MAX_BYTES) {
		source_set_err(err, errsz, "%llu bytes, more than any Prefetch file Windows "
			       "writes (%u)", (unsigned long long)src->size, PREFETCH_MAX_BYTES);
		*n = (size_t)-1;
		return NULL;
	}
	size_t size = (size_t)src->size;
	uint8_t *raw = xmalloc(size ? size : 1);
	if (source_read(src, 0, raw, size) != (ssize_t)size) {
		free(raw);
		return NULL;
	}
	*n = size;
	return raw;
}

/* The bytes as libscca will parse them: raw (size bytes) itself, or
 * what a compressed file (MAM\x04) unpacks to with libscca's own libfwnt,
 * as a new buffer. NULL with *n = (size_t)-1 and err set when it claims
 * to unpack to more than PREFETCH_MAX_BYTES; NULL with *n = 0 when it
 * does not unpack (left to libscca to say why). */
static uint8_t *unpacked(const struct scca_api *a, uint8_t *raw, size_t size, size_t *n,
			 char *err, size_t errsz)
{
	*n = 0;
	if (size < 8 || memcmp(raw, "MAM\x04", 4) != 0) {
		*n = size;
		return raw;
	}
	size_t want = le32(raw + 4);
	if (want > PREFETCH_MAX_BYTES) {
		source_set_err(err, errsz, "compressed Prefetch file unpacking to %zu bytes, "
			       "more than any Windows writes (%u)", want, PREFETCH_MAX_BYTES);
		*n = (size_t)-1;
		return NULL;
	}
	/* libscca parses the size the header claims, zeros where the
	 * stream ended short of it; so it is looked at here. */
	uint8_t *out = xcalloc(want ? want : 1, 1);
	size_t got = want;
	libscca_error_t *e = NULL;
	int ok = a->libfwnt_lzxpress_huffman_decompress(raw + 8, size - 8, out, &got, &e) == 1;
	a->libscca_error_free(&e);
	if (!ok) {
		free(out);
		return NULL;
	}
	*n = want;
	return out;
}

/* Refuses (-1, err set) a file whose file name strings libscca would
 * spend minutes listing (PREFETCH_MAX_STRINGS); 0 lets libscca read it,
 * and say itself what else is wrong. d: the file as libscca parses it
 * (unpacked), n bytes. The strings' place is in the file information
 * after the 84-byte header, as libscca reads it. */
static int strings_guard(const struct scca_api *a, const uint8_t *d, size_t n, char *err,
			 size_t errsz)
{
	size_t strings = 0;
	if (n >= 84 + 24) {
		size_t off = le32(d + 84 + 16), len = le32(d + 84 + 20);
		if (off <= n && len <= n - off)
			for (size_t i = off; i + 1 < off + len; i += 2)
				strings += d[i] == 0 && d[i + 1] == 0;
	}
	if (strings <= PREFETCH_MAX_STRINGS)
		return 0;
	source_set_err(err, errsz, "%zu file name strings, more than any Prefetch file Windows "
		       "writes (%u): not handed to libscca %s, which would take minutes over them",
		       strings, PREFETCH_MAX_STRINGS, a->libscca_get_version());
	return -1;
}

/* libscca's reading of the file through h (its own libbfio's handle). */
static int scca_read(const struct scca_api *a, libbfio_handle_t *h, struct prefetch *pf,
		     char *err, size_t errsz)
{
	libscca_file_t *f = NULL;
	libscca_error_t *e = NULL;
	if (a->libscca_file_initialize(&f, &e) != 1 ||
	    a->libscca_file_open_file_io_handle(f, h, LIBSCCA_OPEN_READ, &e) != 1) {
		scca_err(a, &e, "libscca", err, errsz);
		a->libscca_file_free(&f, NULL);
		return -1;
	}
	a->libscca_file_get_format_version(f, &pf->version, NULL);
	a->libscca_file_get_prefetch_hash(f, &pf->hash, NULL);
	a->libscca_file_get_run_count(f, &pf->run_count, NULL);
	pf->executable = SCCA_STRING(a->libscca_file_get_utf8_executable_filename_size,
				     a->libscca_file_get_utf8_executable_filename, f);
	read_times(a, f, pf);
	read_files(a, f, pf);
	read_volumes(a, f, pf);
	a->libscca_file_close(f, NULL);
	a->libscca_file_free(&f, NULL);
	return 0;
}

/* The file is read once and unpacked once: libscca is handed the bytes
 * the guard looked at (from memory), a compressed file's unpacked, not
 * the source again, which inside an image would mean a second read
 * through every layer below, nor the packed bytes, which it would unpack
 * again. A file that does not unpack goes to libscca as it is, to say
 * why. */
int prefetch_read(struct source *src, struct prefetch *pf, char *err, size_t errsz)
{
	libbfio_handle_t *h = NULL;
	memset(pf, 0, sizeof *pf);
	const struct scca_api *a = scca_api_load(err, errsz);
	if (!a)
		return -1;
	size_t size, n = 0;
	uint8_t *raw = read_whole(src, &size, err, errsz);
	uint8_t *d = raw ? unpacked(a, raw, size, &n, err, errsz) : NULL;
	if (d && d != raw) {   /* unpacked: the packed bytes are done with */
		free(raw);
		raw = d, size = n;
	}
	if ((!raw && size == (size_t)-1) || (!d && n == (size_t)-1) ||
	    (d && strings_guard(a, raw, size, err, errsz))) {
		free(raw);
		return -1;
	}
	struct source *mem = raw ? source_memory(raw, size) : NULL;
	int rc = source_bfio_handle_with(mem ? mem : src, a->libbfio_handle_initialize,
					 a->libbfio_error_free, &h, err, errsz);
	if (rc == 0) {
		rc = scca_read(a, h, pf, err, errsz);
		a->libbfio_handle_free(&h, NULL);
	}
	source_close(mem);
	free(raw);
	return rc;
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
