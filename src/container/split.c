/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Split raw images: disk.001, disk.002, ... (also .000, .aa): the parts
 * read as one disk. The first part bids for the set; a later part is
 * claimed as a part (read through the first), never read on its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "image_formats.h"
#include "strbuf.h"

/* The name of the part after name, or NULL when its suffix does not
 * count (digits: .001 -> .002; letters: .aa -> .ab). */
static char *next_part_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || !dot[1] || strchr(dot, '/'))
		return NULL;
	char *next = xstrdup(name);
	char *suffix = next + (dot - name) + 1;
	size_t len = strlen(suffix);
	bool digits = strspn(suffix, "0123456789") == len;
	bool letters = strspn(suffix, "abcdefghijklmnopqrstuvwxyz") == len;
	if (!digits && !letters) {
		free(next);
		return NULL;
	}
	char lo = digits ? '0' : 'a', hi = digits ? '9' : 'z';
	for (size_t i = len; i-- > 0;) {
		if (suffix[i] != hi) {
			suffix[i]++;
			return next;
		}
		suffix[i] = lo;
	}
	free(next);   /* .999 or .zz: no next part */
	return NULL;
}

#define SPLIT_MAX_PARTS 100000

static bool is_first_part(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (strcmp(dot, ".001") == 0 || strcmp(dot, ".000") == 0 ||
		       strcmp(dot, ".aa") == 0);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether path is the first part of a split set: a disk, followed by a
 * second part. */
static bool first_of_set(const char *path, const uint8_t *head, size_t n)
{
	if (!is_first_part(path) || !raw_looks_like_disk(head, n))
		return false;   /* a small first part is fine: the set is the disk */
	char *next = next_part_name(path);
	bool yes = next && exists(next);
	free(next);
	return yes;
}

/* Whether path is a later part of a set whose first part (the same
 * name, .001, .000 or .aa) is one: reached from it part by part. */
static bool later_of_set(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || is_first_part(path) || strchr(dot, '/'))
		return false;
	static const char *const firsts[] = { "001", "000", "aa" };
	bool found = false;
	for (size_t i = 0; i < 3 && !found; i++) {
		if (strlen(firsts[i]) != strlen(dot + 1))
			continue;
		struct strbuf first = { 0 };
		sb_append(&first, path, (size_t)(dot - path) + 1);
		sb_puts(&first, firsts[i]);
		uint8_t head[BID_BYTES];   /* as image_bid reads it */
		char err[SOURCE_ERR_MAX];
		struct source *s = exists(first.data) ? source_file_open(first.data, err, sizeof err)
						       : NULL;
		ssize_t got = s ? source_read(s, 0, head, sizeof head) : -1;
		source_close(s);
		char *name = got > 0 && first_of_set(first.data, head, (size_t)got)
			     ? xstrdup(first.data) : NULL;
		for (size_t k = 0; name && k < SPLIT_MAX_PARTS && !found; k++) {
			char *next = next_part_name(name);
			free(name);
			name = next && exists(next) ? next : (free(next), NULL);
			found = name && strcmp(name, path) == 0;
		}
		free(name);
		sb_free(&first);
	}
	return found;
}

static enum image_bid split_bid(const uint8_t *head, size_t n, struct source *file, const char *path)
{
	(void)file;
	if (first_of_set(path, head, n))
		return BID_YES;
	return later_of_set(path) ? BID_PART : BID_NO;
}

static struct source *split_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)detail;
	struct source **parts = NULL;
	size_t n = 0;
	char *name = xstrdup(path);
	while (name && exists(name) && n < SPLIT_MAX_PARTS) {
		char perr[SOURCE_ERR_MAX];
		struct source *p = source_file_open(name, perr, sizeof perr);
		if (!p) {
			source_set_err(err, errsz, "part %s: %s", name, perr);
			free(name);
			for (size_t i = 0; i < n; i++)
				source_close(parts[i]);
			free(parts);
			return NULL;
		}
		parts = xrealloc(parts, (n + 1) * sizeof *parts);
		parts[n++] = p;
		char *next = next_part_name(name);
		free(name);
		name = next;
	}
	free(name);
	struct source *s = source_concat(parts, n);
	free(parts);
	if (!s)
		source_set_err(err, errsz, "out of memory");
	return s;
}

const struct image_format image_split = {
	.name = "split raw", .bid = split_bid, .open = split_open,
};
