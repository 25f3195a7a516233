/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* tsk_api: The Sleuth Kit, loaded when a run first needs it.
 *
 * libtsk brings a long chain of libraries with it (afflib, and through
 * it libcurl, GnuTLS, Kerberos: 48 shared objects in all on Debian 12),
 * which cost every run about 20 ms to load and every forked worker more
 * page tables, though most runs read collected logs and never open an
 * image. So libtsk is opened with dlopen() when an image is met; the
 * parent does it before forking the workers that read images, so that
 * they inherit it. Where configure could not tell libtsk's soname, it is
 * linked as usual and this table points at it directly. */
#ifndef RMMHUNT_TSK_API_H
#define RMMHUNT_TSK_API_H

#include <stddef.h>
#include <tsk/libtsk.h>

/* The functions of libtsk rmmhunt calls. */
#define TSK_API(X) \
	X(tsk_img_open_external) X(tsk_img_close) X(tsk_vs_open) X(tsk_vs_close) \
	X(tsk_vs_part_walk) X(tsk_fs_open_img) X(tsk_fs_close) X(tsk_fs_type_toname) \
	X(tsk_fs_dir_walk) X(tsk_fs_file_read) X(tsk_fs_file_open_meta) \
	X(tsk_fs_file_close) X(tsk_fs_file_attr_get) X(tsk_fs_block_walk) X(tsk_error_get) X(tsk_error_reset) \
	X(tsk_version_get_str)

struct tsk_api {
#define X(f) __typeof__(f) *f;
	TSK_API(X)
#undef X
};

/* Loads libtsk, once per process. Returns the table, or NULL with err
 * (errsz bytes) saying why ("libtsk.so.19: cannot open ..."). */
const struct tsk_api *tsk_api_load(char *err, size_t errsz);

#endif
