/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* collect: the paths the user named, expanded into inputs (collect.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bid.h"
#include "collect.h"
#include "hive.h"
#include "input.h"
#include "path.h"
#include "rules.h"
#include "source.h"
#include "strbuf.h"
#include "timefmt.h"

#define add_skipped(l, path, ...) input_list_skip(l, path, true, __VA_ARGS__)

static void add_input(struct input_list *l, const char *path, bool named, uint64_t size,
		      enum input_kind kind)
{
	struct locator loc = { 0 };
	locator_push(&loc, STEP_FILE, path);
	input_list_add(l, &loc, named, size, 0)->kind = (uint8_t)kind;
	locator_clear(&loc);
}

/* A loose file carved whole for chunks: a log whose file header is
 * damaged (why: CARVE_DAMAGED), or (--carve, why NULL) a file of no kind
 * rmmhunt knows, a pagefile or a memory image. */
static void add_carved(struct input_list *l, const char *path, bool named, uint64_t size,
		       const char *why)
{
	struct locator loc = { 0 };
	locator_push(&loc, STEP_FILE, path);
	locator_push_carved_whole(&loc, size, why);
	input_list_add(l, &loc, named, size, 0)->kind = INPUT_EVTX;
	locator_clear(&loc);
}

/* An image seen before (the same file, named twice or met again in a
 * directory) is listed once. */
static bool image_known(const struct input_list *l, const struct stat *st)
{
	struct stat o;
	for (size_t i = 0; i < l->n_images; i++)
		if (stat(l->images[i].path, &o) == 0 && o.st_dev == st->st_dev &&
		    o.st_ino == st->st_ino)
			return true;
	return false;
}

static void add_image(struct input_list *l, const char *path, const struct image_format *f,
		      bool named, const struct stat *st)
{
	if (image_known(l, st)) {
		input_list_skip(l, path, false, "%s image given twice: read once",
				image_format_name(f));
		return;
	}
	l->images = xrealloc(l->images, (l->n_images + 1) * sizeof *l->images);
	struct image_input *im = &l->images[l->n_images++];
	memset(im, 0, sizeof *im);
	im->path = xstrdup(path);
	im->format = f;
	im->named = named;
	im->size = (uint64_t)st->st_size;
}

/* A file named as a log is (*.evtx, path_is_log_name) without the EVTX
 * signature has a damaged file header, and is carved for its chunks. */

/* What a file found under a folder is named as, though its bytes do not
 * say so, with traces on: "a Prefetch file" (*.pf) or "a registry hive"
 * (Amcache.hve, NTUSER.DAT, SOFTWARE, SYSTEM); NULL for any other name.
 * Such a file is damaged, not some other file: it is named as not read,
 * never left out in silence. */
static const char *named_like(const struct input_list *l, const char *path)
{
	const char *base = path_base_any(path);
	size_t n = strlen(base);
	if (!l->traces)
		return NULL;
	if (n > 3 && strcasecmp(base + n - 3, ".pf") == 0)
		return "a Prefetch file";
	static const uint8_t regf[4] = { 'r', 'e', 'g', 'f' };
	if (amcache_bid(regf, sizeof regf, base) || hive_bid(regf, sizeof regf, base, NULL))
		return "a registry hive";
	return NULL;
}

/* What the file is, by its own bytes: an EVTX log, a disk image (or a
 * later part of one), or neither. */
static void bid_file(struct input_list *l, const char *path, bool named,
		     const struct stat *st)
{
	const char *like;   /* what its name says it is (named_like) */
	char err[SOURCE_ERR_MAX];
	uint8_t sig[8];
	struct source *f = source_file_open(path, err, sizeof err);
	if (!f) {
		add_skipped(l, path, "cannot read: %s", err);
		return;
	}
	ssize_t n = source_read(f, 0, sig, sizeof sig);
	bool part = false;
	const struct image_format *fmt = NULL;
	if (n == (ssize_t)sizeof sig && memcmp(sig, "ElfFile\0", 8) == 0) {
		add_input(l, path, named, (uint64_t)st->st_size, INPUT_EVTX);
	} else if (l->traces && n == (ssize_t)sizeof sig && prefetch_bid(sig, sizeof sig)) {
		add_input(l, path, named, (uint64_t)st->st_size, INPUT_PREFETCH);
	} else if (l->traces && n == (ssize_t)sizeof sig && amcache_bid(sig, sizeof sig, path)) {
		add_input(l, path, named, (uint64_t)st->st_size, INPUT_AMCACHE);
	} else if (l->traces && n == (ssize_t)sizeof sig && hive_bid(sig, sizeof sig, path, NULL)) {
		add_input(l, path, named, (uint64_t)st->st_size, INPUT_HIVE);
	} else if (n < 0) {
		add_skipped(l, path, "cannot read: %s", f->err);
	} else if (l->traces && rules_netsupport_file(path)) {
		add_input(l, path, named, (uint64_t)st->st_size, INPUT_FILE);
	} else if ((fmt = image_bid(f, path, &part)) != NULL && !part) {
		add_image(l, path, fmt, named, st);
	} else if (part) {
		l->image_parts++;
		if (named)
			input_list_skip(l, path, false, "a later part of %s %s image: name "
					"its first part", strchr("AEIOU", image_format_name(fmt)[0])
					? "an" : "a", image_format_name(fmt));
	} else if (st->st_size > 0 && path_is_log_name(path)) {
		add_carved(l, path, named, (uint64_t)st->st_size, CARVE_DAMAGED);
	} else if (st->st_size > 0 && l->carve) {
		add_carved(l, path, named, (uint64_t)st->st_size, NULL);
	} else if (named) {
		add_skipped(l, path, "not an EVTX file or a disk image (no signature "
			    "rmmhunt knows)");
	} else if (st->st_size > 0 && (like = named_like(l, path))) {
		add_skipped(l, path, "named %s, but without its signature (a damaged "
			    "header?): not read", like);
	} else {
		l->ignored_non_evtx++;
	}
	source_close(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(struct input_list *l, const char *path, bool named);

static void walk_dir(struct input_list *l, const char *path)
{
	int fd = evidence_open(path, O_DIRECTORY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		add_skipped(l, path, "cannot open directory: %s", strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xrealloc(names, cap * sizeof *names);
		}
		struct strbuf sb = { 0 };
		sb_printf(&sb, "%s%s%s", path,
			  path[strlen(path) - 1] == '/' ? "" : "/", de->d_name);
		names[n++] = sb_take(&sb);
	}
	closedir(d);
	if (n > 0)   /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		collect(l, names[i], false);
		free(names[i]);
	}
	free(names);
}

static void collect(struct input_list *l, const char *path, bool named)
{
	struct stat st;
	/* Links are followed only where the user named them. */
	int rc = named ? stat(path, &st) : lstat(path, &st);
	if (rc != 0) {
		add_skipped(l, path, "%s", strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		walk_dir(l, path);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		/* Named: an error for that input. Inside a folder: said and
		 * listed, not counted as evidence lost (a link is not followed
		 * there, so that a collection cannot lead the run outside it;
		 * a FIFO or device holds no file to read). */
		if (named)
			add_skipped(l, path, "not a regular file");
		else
			input_list_skip(l, path, false, "%s", S_ISLNK(st.st_mode) ?
					"a symbolic link inside a folder: not followed (name it "
					"to read what it leads to)" : S_ISFIFO(st.st_mode) ?
					"a FIFO: not read" : "not a regular file: not read");
		return;
	}
	bid_file(l, path, named, &st);
}

void inputs_collect(struct input_list *list, char *const paths[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		collect(list, paths[i], true);
}
