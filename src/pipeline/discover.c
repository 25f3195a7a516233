/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* discover: walking an image down to its logs. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "archives.h"
#include "bid.h"
#include "discover.h"
#include "rules.h"
#include "image.h"
#include "source.h"
#include "sparse.h"
#include "strbuf.h"
#include "timefmt.h"
#include "volume.h"
#include "vss.h"

struct walk {
	const struct collect_options *opt;
	const struct discover_sink *sink;
	struct discover_result *res;
	struct source *disk;     /* the image's media, borrowed */
	struct locator loc;      /* where the walk is now */
	bool stop;
	int depth;               /* archives: how deep in archives inside archives */
	char archive_format[64]; /*   and the format of the one being listed */
	/* archives: the last log member listed, held back one member in
	 * case its range index (sparse.h) follows it, as Velociraptor
	 * writes it; n == 0 when none */
	struct locator held;
	uint64_t held_size;
	/* archives: the work asked of the archive named (archives.h):
	 * members handed on and their bytes, each with those of the
	 * archives above it; the limits; the members left for them */
	uint64_t members, members_max, work, work_max, over;
};

/* A part failed: the image is partial, the part gets a note. */
static void fail_part(struct walk *w, bool incomplete, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail_part(struct walk *w, bool incomplete, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (incomplete && w->res->status == INPUT_OK) {
		w->res->status = INPUT_PARTIAL;
		char *where = locator_format(&w->loc);
		struct strbuf sb = { 0 };
		sb_printf(&sb, "%s: %s", where, why);
		snprintf(w->res->reason, sizeof w->res->reason, "%s", sb.data);
		sb_free(&sb);
		free(where);
	}
	if (w->sink->note(w->sink->ctx, &w->loc, incomplete, why) != 0)
		w->stop = true;
}

/* Drops the steps past n (back to where the walk was). */
static void pop_to(struct locator *loc, size_t n)
{
	while (loc->n > n) {
		struct step *s = &loc->steps[--loc->n];
		free(s->name);
		free(s->detail);
	}
}

/* A log at w->loc, size bytes: handed on, or noted when empty. Returns
 * the sink's answer (-1: stop). */
static int hand_log(struct walk *w, uint64_t size, enum input_kind kind)
{
	int rc = 0;
	w->res->logs++;
	if (size == 0)   /* nothing to read, nothing lost: listed, not read */
		fail_part(w, false, "empty file (0 bytes): no records");
	else
		rc = w->sink->found(w->sink->ctx, &w->loc, size, (uint8_t)kind);
	if (rc != 0)
		w->stop = true;
	return rc;
}

/* One of NetSupport's files at w->loc: handed on even when empty (an
 * empty NSM.LIC was still put there). */
static int hand_file(struct walk *w, uint64_t size)
{
	int rc = w->sink->found(w->sink->ctx, &w->loc, size, INPUT_FILE);
	if (rc != 0)
		w->stop = true;
	return rc;
}

static int log_found(void *ctx, const char *path, uint64_t mft, uint64_t size,
		     bool deleted)
{
	struct walk *w = ctx;
	size_t depth = w->loc.n;
	struct step *s = locator_push(&w->loc, STEP_NTFS, path);
	s->index = mft;
	s->detail = deleted ? xstrdup("deleted") : NULL;
	size_t n = strlen(path);
	bool pf = n > 3 && strcasecmp(path + n - 3, ".pf") == 0;
	bool am = n >= 11 && strcasecmp(path + n - 11, "amcache.hve") == 0;
	static const uint8_t regf[4] = { 'r', 'e', 'g', 'f' };
	bool hv = hive_bid(regf, sizeof regf, path, NULL);
	bool ns = w->opt->traces && rules_netsupport_file(path);
	int rc = ns ? hand_file(w, size) : hand_log(w, size, pf ? INPUT_PREFETCH :
			  am ? INPUT_AMCACHE : hv ? INPUT_HIVE : INPUT_EVTX);
	pop_to(&w->loc, depth);
	return rc;
}

/* The logs of the NTFS volume in vol (borrowed), at w->loc. Returns
 * false when its file system could not be opened at all. */
static bool list_ntfs(struct walk *w, struct source *vol)
{
	char err[SOURCE_ERR_MAX * 2];
	uint64_t listed = 0;
	struct ntfs_list_options lo = { .all_files = w->opt->all_files,
					.deleted = w->opt->carve, .prefetch = w->opt->traces,
					.by_name = w->opt->traces ? rules_netsupport_file : NULL,
					.deleted_by_name = w->opt->traces };
	vol->err[0] = '\0';
	int rc = ntfs_list_logs(vol, &lo, log_found, w, &listed, err, sizeof err);
	if (rc != 0 && !w->stop)
		fail_part(w, true, "%s%s%s (%llu logs listed before)%s", err,
			  vol->err[0] ? "; reading the layer below failed: " : "", vol->err,
			  (unsigned long long)listed, rc == -2 && w->opt->carve ?
			  "; the whole volume is carved instead" : "");
	return rc != -2;
}

/* The volume shadow copies of the NTFS volume in vol (borrowed), each
 * read as the volume it holds. */
struct store_walk {
	struct walk *w;
	struct source *vol;
};

static int store_found(void *ctx, const struct vss_store *st)
{
	struct store_walk *sw = ctx;
	struct walk *w = sw->w;
	size_t depth = w->loc.n;
	struct step *s = locator_push(&w->loc, STEP_VSS, st->id[0] ? st->id : NULL);
	s->index = st->index;
	s->time = st->created;
	s->size = st->size;
	if (st->err[0]) {
		fail_part(w, true, "shadow copy store not read: %s", st->err);
	} else {
		char err[SOURCE_ERR_MAX * 2];
		struct source *store = vss_store_open(source_view(sw->vol), st->index,
						      err, sizeof err);
		if (!store) {
			fail_part(w, true, "shadow copy store not read: %s", err);
		} else {
			w->res->snapshots++;
			list_ntfs(w, store);
			source_close(store);
		}
	}
	pop_to(&w->loc, depth);
	return w->stop ? -1 : 0;
}

static void list_snapshots(struct walk *w, struct source *vol)
{
	char err[SOURCE_ERR_MAX * 2];
	struct store_walk sw = { w, vol };
	if (vss_list(vol, store_found, &sw, err, sizeof err) < 0)
		fail_part(w, true, "volume shadow copies not read: %s", err);
}

/* --carve: a region of the layer at w->loc, read for chunks by a worker
 * of its own, which finds its bytes again (size 0: only it knows; TSK's
 * walk of the cluster bitmap is done there, once, not here as well). */
static void carve_region(struct walk *w, const char *region, uint64_t size)
{
	size_t depth = w->loc.n;
	locator_push(&w->loc, STEP_CARVED, region)->size = size;
	if (w->sink->found(w->sink->ctx, &w->loc, size, INPUT_EVTX) != 0)
		w->stop = true;
	pop_to(&w->loc, depth);
}

/* One volume (borrowed) of kind k (fs: its name), at w->loc: searched
 * when NTFS, noted when not. */
static void search_volume(struct walk *w, struct source *vol, enum fs_kind k,
			  const char *fs)
{
	switch (k) {
	case FS_NTFS: {
		w->res->volumes++;
		bool opened = list_ntfs(w, vol);
		if (w->opt->vss && !w->stop)
			list_snapshots(w, vol);
		/* no file system to tell free clusters from used: every byte */
		if (w->opt->carve && !w->stop)
			carve_region(w, opened ? CARVE_UNALLOCATED : CARVE_VOLUME,
				     opened ? 0 : vol->size);
		break;
	}
	case FS_ENCRYPTED:
		fail_part(w, true, "not searched: %s-encrypted volume (decrypt it first, "
			  "then give rmmhunt the decrypted image)", fs);
		break;
	case FS_OTHER:
		fail_part(w, false, "not searched: %s file system (rmmhunt reads NTFS)", fs);
		break;
	case FS_NONE:
		fail_part(w, false, "not searched: no file system rmmhunt or The Sleuth Kit "
			  "knows");
		break;
	}
}

static int partition_found(void *ctx, const struct volume *v)
{
	struct walk *w = ctx;
	size_t depth = w->loc.n;
	struct source *vol = source_range(source_view(w->disk), v->offset, v->size);
	char fs[64] = "empty";
	enum fs_kind k = FS_NONE;
	if (vol && vol->size > 0)
		k = volume_identify(vol, fs, sizeof fs);
	struct step *s = locator_push(&w->loc, STEP_PARTITION, fs);
	s->index = v->index;
	s->offset = v->offset;
	s->size = v->size;
	s->detail = v->desc[0] ? xstrdup(v->desc) : NULL;
	if (v->past_end)
		fail_part(w, true, "the partition table puts it past the end of the disk "
			  "(offset %llu, %llu bytes; the disk has %llu): what lies inside "
			  "was read", (unsigned long long)v->offset,
			  (unsigned long long)v->size, (unsigned long long)w->disk->size);
	if (v->overlaps)
		fail_part(w, false, "overlaps another partition");
	if (!vol)
		fail_part(w, true, "out of memory");
	else if (vol->size > 0)
		search_volume(w, vol, k, fs);
	source_close(vol);
	pop_to(&w->loc, depth);
	return w->stop ? -1 : 0;
}

/* The disk at w->disk, whose image step ends w->loc: its partitions (or
 * one volume), their snapshots and, with --carve, what lies outside
 * its NTFS volumes. */
static void walk_disk(struct walk *w)
{
	char err[SOURCE_ERR_MAX * 2];
	size_t base = w->loc.n;
	int table = volumes_list(w->disk, partition_found, w, err, sizeof err);
	if (table == -2)
		fail_part(w, true, "%s: the disk was searched as one volume", err);
	if (table == 0 || table == -2) {
		/* No partition table (or none that can be read): one volume. */
		char fs[64];
		enum fs_kind k = volume_identify(w->disk, fs, sizeof fs);
		locator_push(&w->loc, STEP_VOLUME, fs)->size = w->disk->size;
		if (k == FS_NONE)   /* nothing known in the whole image */
			fail_part(w, true, "no partition table and no file system rmmhunt "
				  "reads: nothing in this image was searched");
		else
			search_volume(w, w->disk, k, fs);
	}
	if (w->opt->carve && !w->stop) {
		/* The disk outside its NTFS volumes: gaps, unpartitioned
		 * space, volumes of other kinds or none. */
		struct byte_run *runs = NULL;
		size_t n = 0;
		uint64_t total = 0;
		disk_outside_ntfs_runs(w->disk, &runs, &n);
		for (size_t i = 0; i < n; i++)
			total += runs[i].len;
		free(runs);
		pop_to(&w->loc, base);
		if (total > 0)
			carve_region(w, CARVE_OUTSIDE, total);
	}
	pop_to(&w->loc, base);
}

/* ---- archives -------------------------------------------------------- */

static void list_archive(struct walk *w, struct source *src, bool seekable);

/* Hands on the log member held back, as it was listed. */
static void hand_held(struct walk *w)
{
	if (w->held.n == 0)
		return;
	struct locator here = w->loc;
	w->loc = w->held;
	if (!w->stop)
		hand_log(w, w->held_size, INPUT_EVTX);
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
		pop_to(&w->held, w->held.n - 1);
		fail_part(w, true, "%s: %s: the log is read as stored, compacted", m->name, err);
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
	const struct image_format *f = image_format_by_name(m->what);
	char path[4096], err[SOURCE_ERR_MAX * 2];
	if (image_spool_path(w->opt->aopt, &w->loc, w->loc.n, f, path, sizeof path) != 0) {
		fail_part(w, true, "a %s disk image inside an archive is not read: extract it "
			  "and name it", m->what);
		return;
	}
	int64_t copied = copy_member(w, path, err, sizeof err);
	if (copied < 0) {
		fail_part(w, true, "a %s disk image inside an archive, not read: copying it to be "
			  "read failed: %s", m->what, err);
		return;
	}
	w->res->spooled += (uint64_t)copied;
	char *detail = NULL;
	struct source *disk = image_open(f, path, &detail, err, sizeof err);
	if (!disk) {
		fail_part(w, true, "%s image inside an archive: %s", m->what, err);
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
		fail_part(w, true, "%s image: %s", m->what, what);
	w->disk = outer;
	source_close(disk);
	pop_to(&w->loc, depth);
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
			hand_log(w, m->size, m->kind == MEMBER_PREFETCH ? INPUT_PREFETCH :
				 m->kind == MEMBER_AMCACHE ? INPUT_AMCACHE : INPUT_HIVE);
	} else if (m->kind == MEMBER_NAMED) {
		hand_file(w, m->size);
	} else if (m->kind == MEMBER_DAMAGED_LOG) {
		/* carved whole, as a loose log with a damaged header is */
		locator_push_carved_whole(&w->loc, m->size, CARVE_DAMAGED);
		hand_log(w, m->size, INPUT_EVTX);
	} else if (m->kind == MEMBER_EVTX) {
		locator_copy(&w->held, &w->loc);
		w->held_size = m->size;
	} else if (m->kind == MEMBER_IMAGE) {
		list_member_image(w, m);
	} else if (w->depth + 1 >= ARCHIVE_DEPTH_MAX) {
		fail_part(w, true, "a %s archive nested past %d levels: not read", m->what,
			  ARCHIVE_DEPTH_MAX);
	} else {
		char err[SOURCE_ERR_MAX * 2];
		struct source *inner = locator_open(&w->loc, NULL, w->opt->aopt, err, sizeof err);
		if (!inner) {
			fail_part(w, true, "%s", err);
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
	pop_to(&w->loc, n);
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
	fail_part(w, true, "%s%s", why, velociraptor ? "; a Velociraptor collection "
		  "protected by a password keeps its logs in this data.zip (one encrypted to "
		  "an X509 or PGP key keeps that password in metadata.json, encrypted: it "
		  "cannot be read without the Velociraptor server's key)" : "");
	pop_to(&w->loc, n);
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
		fail_part(w, true, "%s archive: %s", w->archive_format[0] ? w->archive_format
			  : "the", err);
}

static void discover_archive(const struct image_input *im, struct walk *w)
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
		fail_part(w, true, "%llu member%s not read (an archive among them is not "
			  "listed either): the archive's work limit (at most "
			  "%llu members, one for each %d bytes of it, and %llu MiB to decompress, "
			  "%d times its size, archives inside it included) was reached: a nest "
			  "of archives?", (unsigned long long)w->over, w->over == 1 ? "" : "s",
			  (unsigned long long)w->members_max, ARCHIVE_BYTES_PER_MEMBER,
			  (unsigned long long)(w->work_max >> 20), ARCHIVE_RATIO_MAX);
	w->res->media_read = file->bytes_read;
	if (w->res->logs == 0 && w->res->status == INPUT_OK)
		fail_part(w, false, "no EVTX log in this archive");
	source_close(file);
	locator_clear(&w->loc);
}

void discover_image(const struct image_input *im, const struct collect_options *opt,
		    const struct discover_sink *sink, struct discover_result *res)
{
	char err[SOURCE_ERR_MAX * 2];
	char *detail = NULL;
	struct walk w = { .opt = opt, .sink = sink, .res = res };

	memset(res, 0, sizeof *res);
	if (im->format && im->format->listed) {
		discover_archive(im, &w);
		return;
	}
	locator_push(&w.loc, STEP_FILE, im->path);
	struct step *img = locator_push(&w.loc, STEP_IMAGE, image_format_name(im->format));
	w.disk = image_open(im->format, im->path, &detail, err, sizeof err);
	if (!w.disk) {
		res->status = INPUT_FAILED;
		snprintf(res->reason, sizeof res->reason, "%s image: %s",
			 image_format_name(im->format), err);
		locator_clear(&w.loc);
		return;
	}
	if (detail) {
		img->detail = detail;
		snprintf(res->detail, sizeof res->detail, "%s", detail);
	}
	img->size = w.disk->size;
	walk_disk(&w);
	if (opt->verify) {
		int v = image_verify(w.disk, detail, res->verify, sizeof res->verify);
		if (v == 0 && res->status == INPUT_OK) {
			res->status = INPUT_PARTIAL;
			snprintf(res->reason, sizeof res->reason, "%s image: stored hash does not "
				 "match its contents", image_format_name(im->format));
		}
	}
	res->media_read = w.disk->bytes_read;
	char what[SOURCE_ERR_MAX];
	if (w.disk->damage && w.disk->damage(w.disk, what, sizeof what) &&
	    res->status == INPUT_OK) {
		res->status = INPUT_PARTIAL;
		snprintf(res->reason, sizeof res->reason, "%s image: %s",
			 image_format_name(im->format), what);
	}
	source_close(w.disk);
	locator_clear(&w.loc);
}
