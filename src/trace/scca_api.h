/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scca_api: libscca, loaded with its own helper libraries.
 *
 * Debian's libyal libraries each export the helpers they bundle, and the
 * first definition loaded wins for the whole process (Makefile.am, the
 * link order). libevtx is loaded first and must keep its 2018 helpers;
 * libscca linked beside it would run on them too, and libevtx's 2018
 * libfwnt decompresses some hostile compressed Prefetch files that
 * libscca's own 2020 copy refuses ("code sizes are over-subscribed"),
 * into garbage that takes seconds to list. So where glibc offers
 * dlmopen(), libscca is loaded into a link-map namespace of its own,
 * where it binds to its own helpers and its own libbfio, and is reached
 * only through this table. Elsewhere (no dlmopen, or configure could not
 * tell libscca's soname) it is linked as usual and the table points at
 * it directly. */
#ifndef RMMHUNT_SCCA_API_H
#define RMMHUNT_SCCA_API_H

#include <stddef.h>
#ifdef HAVE_LIBSCCA
#include <libbfio.h>
#include <libscca.h>

/* The functions of libscca (and of the libbfio it reads through) that
 * rmmhunt calls. */
#define SCCA_API(X) \
	X(libscca_get_version) X(libscca_error_backtrace_sprint) X(libscca_error_free) \
	X(libscca_file_initialize) X(libscca_file_open_file_io_handle) \
	X(libscca_file_close) X(libscca_file_free) X(libscca_file_get_format_version) \
	X(libscca_file_get_prefetch_hash) X(libscca_file_get_run_count) \
	X(libscca_file_get_utf8_executable_filename_size) \
	X(libscca_file_get_utf8_executable_filename) X(libscca_file_get_last_run_time) \
	X(libscca_file_get_number_of_filenames) X(libscca_file_get_utf8_filename_size) \
	X(libscca_file_get_utf8_filename) X(libscca_file_get_number_of_volumes) \
	X(libscca_file_get_volume_information) \
	X(libscca_volume_information_get_utf8_device_path_size) \
	X(libscca_volume_information_get_utf8_device_path) \
	X(libscca_volume_information_get_serial_number) \
	X(libscca_volume_information_get_creation_time) X(libscca_volume_information_free) \
	X(libbfio_handle_initialize) X(libbfio_handle_free) X(libbfio_error_free) \
	X(libfwnt_lzxpress_huffman_decompress)

/* libscca exports the libfwnt it bundles, the one it decompresses with;
 * this is libfwnt's own declaration (libfwnt.h), which libscca.h does
 * not repeat. prefetch.c decompresses with it to look before libscca
 * does (PREFETCH_MAX_STRINGS). */
int libfwnt_lzxpress_huffman_decompress(const uint8_t *compressed, size_t compressed_size,
					uint8_t *uncompressed, size_t *uncompressed_size,
					libscca_error_t **error);

struct scca_api {
#define X(f) __typeof__(f) *f;
	SCCA_API(X)
#undef X
};

/* Loads libscca, once per process. Returns the table, or NULL with err
 * (errsz bytes) saying why ("libscca.so.1: cannot open ..."). */
const struct scca_api *scca_api_load(char *err, size_t errsz);

/* libscca's version as it reports itself, loading it if need be; NULL
 * when it cannot be loaded, and then *why says why (static). */
const char *scca_api_version(const char **why);
#endif

#endif
