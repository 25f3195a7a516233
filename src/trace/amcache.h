/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* amcache: Windows' Amcache.hve (\Windows\AppCompat\Programs), a
 * registry hive read with libregf, where Windows records the programs
 * (and on Windows 8 also the DLLs) it saw: Windows 10/11's
 * Root\InventoryApplicationFile\<name|hash> (LowerCaseLongPath, Name,
 * Publisher, ProductName, FileId = "0000" + SHA-1) and Windows 8's
 * Root\File\<volume>\<id> (value 15 the path, 0 the product, 1 the
 * company, 101 "0000" + SHA-1, 17 a FILETIME). */
#ifndef RMMHUNT_AMCACHE_H
#define RMMHUNT_AMCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "input.h"
#include "reader.h"
#include "source.h"
#include "trace.h"

#define AMCACHE_ENTRIES_MAX 4000000u   /* a hive claiming more is cut, and said */

struct amcache_entry {
	char *path;             /* lower case, as Windows wrote it; owned */
	char *name;             /* Windows 10: Name; Windows 8: the path's last part */
	char *publisher;        /* Publisher (10) or company (8), or NULL */
	char *product;          /* ProductName (10) or product (8), or NULL */
	char *sha1;             /* 40 hex digits, or NULL */
	int64_t written;        /* the entry key's last-written time */
	int layout;             /* 10: Root\InventoryApplicationFile; 8: Root\File */
};

struct amcache {
	struct amcache_entry *v;   /* owned: the Windows 10 layout's, then 8's */
	size_t n;
	size_t n10, n8;         /* of them, in each layout (a hive can have both) */
	bool cut;               /* more than AMCACHE_ENTRIES_MAX entries */
	size_t unreadable;      /* entries libregf could not read */
};

/* Reads the hive in src (borrowed). Returns 0, or -1 with err set (not
 * a hive, no Amcache keys in it, built without libregf). */
int amcache_read(struct source *src, struct amcache *a, char *err, size_t errsz);
void amcache_free(struct amcache *a);
/* "Amcache: 247 InventoryApplicationFile entries, 1120 File entries";
 * caller frees. */
char *amcache_summary(const struct amcache *a);


#endif
