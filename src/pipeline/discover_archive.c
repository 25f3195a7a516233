/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* discover, an archive: its members, archives inside it, a disk image
 * inside it (copied out and walked as a disk), a member compacted by
 * Velociraptor expanded by its range index, and the archive's work
 * limit. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "archives.h"
#include "image.h"
#include "rules.h"
#include "sparse.h"
#include "strbuf.h"
#include "walk.h"

static void list_archive(struct walk *w, struct source *src, bool seekable);

/* Hands on the log member held back, as it was listed. */
static void hand_held(struct walk *w)
{
	if (w->held.n == 0)
		return;
	struct locator here = w->loc;
	w->loc = w->held;
	if (!w->stop)
		walk_hand_log(w, w->held_size, INPUT_EVTX);
	w->loc = here;
	locator_clear(&w->held);
}

/* Whether member name is the range index of the log held back. */
static bool indexes_held(const struct walk *w, const char *name)
{
	const struct step *s = w->held.n ? &w->held.steps[w->held.n - 1] : NULL;
	size_t len = s && s->name ? strlen(s->name) : 0;
	return s && len && strncmp(name, s->name, len) == 0 && strcmp(name + len, ".idx") == 0;
}

/* The log held back is stored compacted and m is its range index: the
 * log is handed on expanded (or, when the index cannot be read, named
 * and handed on as stored). */
static void expand_held(struct walk *w, const struct archive_member *m)
{
	struct step *s = locator_push(&w->held, STEP_SPARSE, m->name);
	s->index = m->index;
	s->offset = m->size;
	struct sparse_index ix;
	char err[SOURCE_ERR_MAX * 2];
	if (sparse_index_read(&w->held, w->held.n - 1, w->held_size, w->opt->aopt, &ix, err,
			      sizeof err) == 0) {
		s->size = ix.size;
		w->held_size = ix.size;
	} else {
		walk_pop_to(&w->held, w->held.n - 1);
		walk_fail(w, true, "%s: %s: the log is read as stored, compacted", m->name, err);
	}
	sparse_index_free(&ix);
	hand_held(w);
}

/* Copies the archive member at w->loc whole into the new file path
 * (never over anything). Returns the bytes copied, or -1 with err. */
static int64_t copy_member(struct walk *w, const char *path, char *err, size_t errsz)
{
	struct source *m = locator_open(&w->loc, NULL, w->opt->aopt, err, errsz);
	if (!m)
		return -1;
	char folder[4096];
	snprintf(folder, sizeof folder, "%s", path);
	char *slash = strrchr(folder, '/');
	if (slash)
		*slash = '\0';
	if (mkdir(folder, 0700) != 0) {
		source_set_err(err, errsz, "%s: %s", folder, strerror(errno));
		source_close(m);
		return -1;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		source_set_err(err, errsz, "%s: %s", path, strerror(errno));
		source_close(m);
		return -1;
	}
	const size_t block = (size_t)1 << 20;
	uint8_t *buf = xmalloc(block);
	uint64_t off = 0;
	while (off < m->size) {
		ssize_t k = source_read(m, off, buf, block);
		if (k <= 0 || write(fd, buf, (size_t)k) != k) {
			source_set_err(err, errsz, "%s", k < 0 ? m->err : k == 0 ? "the member ends early"
				       : strerror(errno));
			break;
		}
		off += (uint64_t)k;
	}
	free(buf);
	bool whole = off == m->size && close(fd) == 0;
	if (off != m->size)
		close(fd);
	if (!whole) {
		unlink(path);
		rmdir(folder);
	}
	source_close(m);
	return whole ? (int64_t)off : -1;
}

/* A disk image inside the archive, at w->loc (KAPE's zipped VHDX): it
 * needs reading anywhere, which a member streamed out of its archive
 * does not allow, so it is copied once into the run's spool folder and
 * searched there like an image named on the command line; its logs'
 * locators go on from the member, and the workers open the same copy. */
static void list_member_image(struct walk *w, const struct archive_member *m)
{
	const struct image_format *f = m->image;
	char path[4096], err[SOURCE_ERR_MAX * 2];
	if (image_spool_path(w->opt->aopt, &w->loc, w->loc.n, f, path, sizeof path) != 0) {
		walk_fail(w, true, "a %s disk image inside an archive is not read: extract it "
			  "and name it", m->what);
		return;
	}
	int64_t copied = copy_member(w, path, err, sizeof err);
	if (copied < 0) {
		walk_fail(w, true, "a %s disk image inside an archive, not read: copying it to be "
			  "read failed: %s", m->what, err);
		return;
	}
	w->res->spooled += (uint64_t)copied;
	char *detail = NULL;
	struct source *disk = image_open(f, path, &detail, err, sizeof err);
	if (!disk) {
		walk_fail(w, true, "%s image inside an archive: %s", m->what, err);
		return;
	}
	size_t depth = w->loc.n;
	struct step *img = locator_push(&w->loc, STEP_IMAGE, image_format_name(f));
	img->detail = detail;
	img->size = disk->size;
	struct source *outer = w->disk;
	w->disk = disk;
	walk_disk(w);
	char what[SOURCE_ERR_MAX];
	if (disk->damage && disk->damage(disk, what, sizeof what))
		walk_fail(w, true, "%s image: %s", m->what, what);
	w->disk = outer;
	source_close(disk);
	walk_pop_to(&w->loc, depth);
}

/* The member's step, in the archive being listed. */
static void push_member(struct walk *w, uint64_t index, const char *name, uint64_t size)
{
	struct step *s = locator_push(&w->loc, STEP_ARCHIVE, name);
	s->index = index;
	s->size = size;
	s->detail = xstrdup(w->archive_format);
}

/* Whether the archive named has work left for member m (archives.h);
 * takes it when so. Not limited: archives in disk images (the image's
 * size bounds them). */
static bool work_left(struct walk *w, const struct archive_member *m)
{
	if (!w->members_max)
		return true;
	uint64_t chain = m->size;
	for (size_t i = 0; i < w->loc.n; i++)
		if (w->loc.steps[i].kind == STEP_ARCHIVE)
			chain += w->loc.steps[i].size;
	if (w->members + 1 > w->members_max || chain > w->work_max - w->work) {
		w->over++;
		return false;
	}
	w->members++;
	w->work += chain;
	return true;
}

static int archive_member_found(void *ctx, const struct archive_member *m)
{
	struct walk *w = ctx;
	size_t n = w->loc.n;
	if (m->kind == MEMBER_INDEX) {
		if (indexes_held(w, m->name))
			expand_held(w, m);
		return w->stop ? -1 : 0;
	}
	hand_held(w);
	if (!work_left(w, m))
		return 0;
	push_member(w, m->index, m->name, m->size);
	if (m->kind == MEMBER_PREFETCH || m->kind == MEMBER_AMCACHE || m->kind == MEMBER_HIVE) {
		if (w->opt->traces)
			walk_hand_log(w, m->size, m->kind == MEMBER_PREFETCH ? INPUT_PREFETCH :
				 m->kind == MEMBER_AMCACHE ? INPUT_AMCACHE : INPUT_HIVE);
	} else if (m->kind == MEMBER_NAMED) {
		walk_hand_file(w, m->size);
	} else if (m->kind == MEMBER_DAMAGED_LOG) {
		/* carved whole, as a loose log with a damaged header is */
		locator_push_carved_whole(&w->loc, m->size, CARVE_DAMAGED);
		walk_hand_log(w, m->size, INPUT_EVTX);
	} else if (m->kind == MEMBER_EVTX) {
		locator_copy(&w->held, &w->loc);
		w->held_size = m->size;
	} else if (m->kind == MEMBER_IMAGE) {
		list_member_image(w, m);
	} else if (w->depth + 1 >= ARCHIVE_DEPTH_MAX) {
		walk_fail(w, true, "a %s archive nested past %d levels: not read", m->what,
			  ARCHIVE_DEPTH_MAX);
	} else {
		char err[SOURCE_ERR_MAX * 2];
		struct source *inner = locator_open(&w->loc, NULL, w->opt->aopt, err, sizeof err);
		if (!inner) {
			walk_fail(w, true, "%s", err);
		} else {
			char saved[sizeof w->archive_format];
			memcpy(saved, w->archive_format, sizeof saved);
			w->depth++;
			list_archive(w, inner, false);
			w->depth--;
			memcpy(w->archive_format, saved, sizeof saved);
			source_close(inner);
		}
	}
	walk_pop_to(&w->loc, n);
	return w->stop ? -1 : 0;
}

static int archive_member_unreadable(void *ctx, uint64_t index, const char *name,
				     const char *why)
{
	struct walk *w = ctx;
	size_t n = w->loc.n;
	hand_held(w);
	/* A Velociraptor collection protected by a password keeps the logs
	 * in an encrypted data.zip beside its metadata.json. */
	const struct step *up = &w->loc.steps[n - 1];
	size_t len = up->kind == STEP_ARCHIVE && up->name ? strlen(up->name) : 0;
	bool velociraptor = len >= 8 && strcmp(up->name + len - 8, "data.zip") == 0 &&
			    strncmp(why, "encrypted", 9) == 0;
	push_member(w, index, name, 0);
	walk_fail(w, true, "%s%s", why, velociraptor ? "; a Velociraptor collection "
		  "protected by a password keeps its logs in this data.zip (one encrypted to "
		  "an X509 or PGP key keeps that password in metadata.json, encrypted: it "
		  "cannot be read without the Velociraptor server's key)" : "");
	walk_pop_to(&w->loc, n);
	return w->stop ? -1 : 0;
}

/* The logs in the archive over src (borrowed), at w->loc. */
static void list_archive(struct walk *w, struct source *src, bool seekable)
{
	char err[SOURCE_ERR_MAX * 2];
	const struct archive_sink sink = { archive_member_found, archive_member_unreadable, w,
					   w->opt->traces ? rules_netsupport_file : NULL };
	int rc = archive_list(src, seekable, w->opt->aopt, &sink, w->archive_format,
			      sizeof w->archive_format, err, sizeof err);
	hand_held(w);
	if (rc != 0)
		walk_fail(w, true, "%s archive: %s", w->archive_format[0] ? w->archive_format
			  : "the", err);
}

void walk_archive(const struct image_input *im, struct walk *w)
{
	char err[SOURCE_ERR_MAX * 2];
	locator_push(&w->loc, STEP_FILE, im->path);
	struct source *file = source_file_open(im->path, err, sizeof err);
	if (!file) {
		w->res->status = INPUT_FAILED;
		snprintf(w->res->reason, sizeof w->res->reason, "archive: %s", err);
		locator_clear(&w->loc);
		return;
	}
	w->members_max = file->size / ARCHIVE_BYTES_PER_MEMBER;
	if (w->members_max < ARCHIVE_MEMBERS_MIN)
		w->members_max = ARCHIVE_MEMBERS_MIN;
	w->work_max = file->size > ARCHIVE_WORK_MIN / ARCHIVE_RATIO_MAX
		      ? file->size * ARCHIVE_RATIO_MAX : ARCHIVE_WORK_MIN;
	list_archive(w, file, true);
	if (w->over)
		walk_fail(w, true, "%llu member%s not read (an archive among them is not "
			  "listed either): the archive's work limit (at most "
			  "%llu members, one for each %d bytes of it, and %llu MiB to decompress, "
			  "%d times its size, archives inside it included) was reached: a nest "
			  "of archives?", (unsigned long long)w->over, w->over == 1 ? "" : "s",
			  (unsigned long long)w->members_max, ARCHIVE_BYTES_PER_MEMBER,
			  (unsigned long long)(w->work_max >> 20), ARCHIVE_RATIO_MAX);
	w->res->media_read = file->bytes_read;
	if (w->res->logs == 0 && w->res->status == INPUT_OK)
		walk_fail(w, false, "no EVTX log in this archive");
	source_close(file);
	locator_clear(&w->loc);
}
