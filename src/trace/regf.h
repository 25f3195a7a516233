/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* regf: what the readers of registry hives (amcache.c, hive.c) share of
 * libregf: opening a hive over a source, a sub key by name, a string
 * value. Only built with libregf. */
#ifndef RMMHUNT_REGF_H
#define RMMHUNT_REGF_H

#include <stddef.h>
#include <libregf.h>
#include "source.h"

struct regf {
	libregf_file_t *file;
	libbfio_handle_t *handle;
};

/* Opens the hive in src (borrowed) into r. Returns 0, or -1 with err
 * set to libregf's most specific line. */
int regf_open(struct regf *r, struct source *src, char *err, size_t errsz);
void regf_close(struct regf *r);
/* k's sub key name (ASCII case ignored, as Windows does), or NULL;
 * free it with libregf_key_free. k may be NULL. */
libregf_key_t *regf_sub_key(libregf_key_t *k, const char *name);
/* The key at the path of sub key names separated by backslashes, under
 * k, or NULL. */
libregf_key_t *regf_key_at(libregf_key_t *k, const char *path);
/* k's value name as UTF-8 (a string, or an expandable string), or NULL
 * when absent, not a string or empty; a new string. */
char *regf_string(libregf_key_t *k, const char *name);

#endif
