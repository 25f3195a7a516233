/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* volume: The Sleuth Kit, fed from a source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"
#include "bid.h"
#include "timefmt.h"
#include "tsk_api.h"
#include "volume.h"

/* Every call into libtsk goes through the table tsk_api.h loads (it
 * says why); each public function below loads it first, so these never
 * see it missing. */
static const struct tsk_api *tsk(void)
{
	return tsk_api_load(NULL, 0);
}
#define tsk_img_open_external (tsk()->tsk_img_open_external)
#define tsk_img_close (tsk()->tsk_img_close)
#define tsk_vs_open (tsk()->tsk_vs_open)
#define tsk_vs_close (tsk()->tsk_vs_close)
#define tsk_vs_part_walk (tsk()->tsk_vs_part_walk)
#define tsk_fs_open_img (tsk()->tsk_fs_open_img)
#define tsk_fs_close (tsk()->tsk_fs_close)
#define tsk_fs_type_toname (tsk()->tsk_fs_type_toname)
#define tsk_fs_dir_walk (tsk()->tsk_fs_dir_walk)
#define tsk_fs_file_read (tsk()->tsk_fs_file_read)
#define tsk_fs_file_open_meta (tsk()->tsk_fs_file_open_meta)
#define tsk_fs_file_close (tsk()->tsk_fs_file_close)
#define tsk_fs_file_attr_get (tsk()->tsk_fs_file_attr_get)
#define tsk_fs_block_walk (tsk()->tsk_fs_block_walk)
#define tsk_error_get (tsk()->tsk_error_get)
#define tsk_error_reset (tsk()->tsk_error_reset)
#define tsk_version_get_str (tsk()->tsk_version_get_str)

void volume_preload(void)
{
	tsk_api_load(NULL, 0);
}

#define SECTOR 512

/* ---- a TSK image over a source --------------------------------------- */

/* TSK_IMG_INFO embeds a cache of about 2 MB: calloc'd, freed by
 * tsk_img_close() through tsk_source_close(). */
struct tsk_source {
	TSK_IMG_INFO img;    /* first: TSK casts back and forth */
	struct source *src;  /* borrowed */
};

static ssize_t tsk_source_read(TSK_IMG_INFO *img, TSK_OFF_T off, char *buf, size_t len)
{
	struct tsk_source *t = (struct tsk_source *)img;
	if (off < 0)
		return -1;
	return source_read(t->src, (uint64_t)off, buf, len);
}

static void tsk_source_close(TSK_IMG_INFO *img)
{
	free(img);
}

static void tsk_source_stat(TSK_IMG_INFO *img, FILE *f)
{
	(void)img;
	fputs("rmmhunt source\n", f);
}

static TSK_IMG_INFO *tsk_image(struct source *src)
{
	struct tsk_source *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->src = src;
	TSK_IMG_INFO *img = tsk_img_open_external(t, (TSK_OFF_T)src->size, SECTOR,
						  tsk_source_read, tsk_source_close,
						  tsk_source_stat);
	if (!img)
		free(t);
	return img;
}

/* TSK's last error as one line (it may end in a newline, and may be set
 * after a call that succeeded, so read it only after a failure). */
static void tsk_err(const char *what, char *err, size_t errsz)
{
	const char *e = tsk_error_get();
	char line[256];
	snprintf(line, sizeof line, "%s", e ? e : "");
	line[strcspn(line, "\n")] = '\0';
	source_set_err(err, errsz, "%s%s%s", what, *line ? ": " : "", line);
	tsk_error_reset();
}

const char *volume_tsk_version(char *err, size_t errsz)
{
	return tsk_api_load(err, errsz) ? tsk_version_get_str() : NULL;
}

/* ---- partitions --------------------------------------------------------- */

struct part_walk {
	volume_fn fn;
	void *ctx;
	uint64_t disk_size;
	struct volume *seen;
	size_t n_seen;
	bool stopped;
};

static TSK_WALK_RET_ENUM part_cb(TSK_VS_INFO *vs, const TSK_VS_PART_INFO *p, void *ptr)
{
	struct part_walk *w = ptr;
	struct volume v = { 0 };
	v.index = w->n_seen + 1;
	v.offset = (uint64_t)p->start * vs->block_size + (uint64_t)vs->offset;
	v.size = (uint64_t)p->len * vs->block_size;
	snprintf(v.desc, sizeof v.desc, "%s", p->desc ? p->desc : "");
	v.past_end = v.offset >= w->disk_size || v.size > w->disk_size - v.offset;
	for (size_t i = 0; i < w->n_seen; i++)
		if (v.offset < w->seen[i].offset + w->seen[i].size &&
		    w->seen[i].offset < v.offset + v.size)
			v.overlaps = true;
	w->seen = xrealloc(w->seen, (w->n_seen + 1) * sizeof *w->seen);
	w->seen[w->n_seen++] = v;
	if (w->fn(w->ctx, &v) != 0) {
		w->stopped = true;
		return TSK_WALK_STOP;
	}
	return TSK_WALK_CONT;
}

/* 2 when the first sectors hold a GPT header, 1 an MBR (and no boot
 * sector of a file system, which also ends in 0x55aa), 0 neither. */
static int table_signature(struct source *disk)
{
	uint8_t s[1024] = { 0 };
	if (source_read(disk, 0, s, sizeof s) < 512)
		return 0;
	if (memcmp(s + 512, "EFI PART", 8) == 0)
		return 2;
	return s[510] == 0x55 && s[511] == 0xaa && memcmp(s + 3, "NTFS    ", 8) != 0 &&
	       memcmp(s + 3, "-FVE-FS-", 8) != 0 && memcmp(s + 82, "FAT32   ", 8) != 0 &&
	       memcmp(s + 54, "FAT", 3) != 0;
}

int volumes_list(struct source *disk, volume_fn fn, void *ctx, char *err, size_t errsz)
{
	if (!tsk_api_load(err, errsz))
		return table_signature(disk) ? -2 : 0;
	TSK_IMG_INFO *img = tsk_image(disk);
	if (!img)
		return 0;
	/* The type the signature names is asked for, not detected: TSK's
	 * detection opens a GPT disk's protective MBR as a DOS table too and
	 * drops it without freeing it, and keeps no reason when all fail. */
	int kind = table_signature(disk);
	TSK_VS_INFO *vs = tsk_vs_open(img, 0, kind == 2 ? TSK_VS_TYPE_GPT : kind == 1 ?
				      TSK_VS_TYPE_DOS : TSK_VS_TYPE_DETECT);
	if (!vs) {
		int rc = 0;
		if (kind) {
			tsk_err(kind == 2 ? "The Sleuth Kit cannot read the GPT partition table"
				: "The Sleuth Kit cannot read the MBR partition table", err, errsz);
			rc = -2;
		}
		tsk_error_reset();
		tsk_img_close(img);
		return rc;
	}
	struct part_walk w = { fn, ctx, disk->size, NULL, 0, false };
	tsk_vs_part_walk(vs, 0, vs->part_count ? vs->part_count - 1 : 0,
			 TSK_VS_PART_FLAG_ALLOC, part_cb, &w);
	tsk_error_reset();
	free(w.seen);
	tsk_vs_close(vs);
	tsk_img_close(img);
	return w.stopped ? -1 : 1;
}

/* ---- what a volume holds ------------------------------------------------- */

enum fs_kind volume_identify(struct source *vol, char *name, size_t namesz)
{
	uint8_t boot[16] = { 0 };
	snprintf(name, namesz, "unknown");
	if (source_read(vol, 0, boot, sizeof boot) < 11)
		return FS_NONE;
	if (memcmp(boot + 3, "NTFS    ", 8) == 0) {
		snprintf(name, namesz, "NTFS");
		return FS_NTFS;
	}
	if (memcmp(boot + 3, "-FVE-FS-", 8) == 0) {
		snprintf(name, namesz, "BitLocker");
		return FS_ENCRYPTED;
	}
	if (!tsk_api_load(NULL, 0))
		return FS_NONE;
	TSK_IMG_INFO *img = tsk_image(vol);
	TSK_FS_INFO *fs = img ? tsk_fs_open_img(img, 0, TSK_FS_TYPE_DETECT) : NULL;
	enum fs_kind k = FS_NONE;
	if (fs) {
		snprintf(name, namesz, "%s", tsk_fs_type_toname(fs->ftype));
		k = fs->ftype & TSK_FS_TYPE_NTFS ? FS_NTFS : FS_OTHER;
		tsk_fs_close(fs);
	}
	tsk_error_reset();
	if (img)
		tsk_img_close(img);
	return k;
}

/* ---- the logs on an NTFS volume ----------------------------------------- */

struct log_walk {
	ntfs_file_fn fn;
	void *ctx;
	const struct ntfs_list_options *opt;
	uint64_t listed;
	uint64_t *deleted_seen;   /* MFT entries of deleted logs listed */
	size_t n_deleted;
	bool stopped;
};

static bool ends_with_evtx(const char *name)
{
	size_t n = strlen(name);
	return n >= 5 && strcasecmp(name + n - 5, ".evtx") == 0;
}

static bool ends_with_pf(const char *name)
{
	size_t n = strlen(name);
	return n >= 3 && strcasecmp(name + n - 3, ".pf") == 0;
}

/* Whether f starts with the EVTX signature, or (prefetch) a Prefetch
 * file's (prefetch.h). */
static bool has_signature(TSK_FS_FILE *f, bool prefetch)
{
	uint8_t sig[8];
	if (tsk_fs_file_read(f, 0, (char *)sig, sizeof sig, TSK_FS_FILE_READ_FLAG_NONE) !=
	    (ssize_t)sizeof sig)
		return false;
	return memcmp(sig, "ElfFile\0", 8) == 0 || (prefetch && prefetch_bid(sig, sizeof sig));
}

static bool wanted(const struct ntfs_list_options *opt, TSK_FS_FILE *f)
{
	if (opt->by_name && opt->by_name(f->name->name))
		return true;
	if (opt->all_files)
		return has_signature(f, opt->prefetch);
	size_t n = strlen(f->name->name);
	return ends_with_evtx(f->name->name) ||
	       (opt->prefetch && (ends_with_pf(f->name->name) ||
				  (n >= 11 && strcasecmp(f->name->name + n - 11, "amcache.hve") == 0) ||
				  !strcasecmp(f->name->name, "NTUSER.DAT") ||
				  !strcasecmp(f->name->name, "SOFTWARE") ||
				  !strcasecmp(f->name->name, "SYSTEM")));
}

/* A deleted file shows up once under its old directory and once among
 * TSK's orphans: list each MFT entry once. */
static bool deleted_seen(struct log_walk *w, uint64_t entry)
{
	for (size_t i = 0; i < w->n_deleted; i++)
		if (w->deleted_seen[i] == entry)
			return true;
	w->deleted_seen = xrealloc(w->deleted_seen, (w->n_deleted + 1) * sizeof *w->deleted_seen);
	w->deleted_seen[w->n_deleted++] = entry;
	return false;
}

static TSK_WALK_RET_ENUM log_cb(TSK_FS_FILE *f, const char *dir, void *ptr)
{
	struct log_walk *w = ptr;
	if (!f->name || !f->meta || f->meta->type != TSK_FS_META_TYPE_REG || !f->name->name)
		return TSK_WALK_CONT;
	bool deleted = !(f->name->flags & TSK_FS_NAME_FLAG_ALLOC) ||
		       (f->meta->flags & TSK_FS_META_FLAG_UNALLOC);
	if (deleted && !w->opt->deleted) {
		if (!w->opt->deleted_by_name || !w->opt->by_name ||
		    !(f->meta->flags & TSK_FS_META_FLAG_UNALLOC) ||
		    !w->opt->by_name(f->name->name))
			return TSK_WALK_CONT;
	} else if (deleted && f->meta->size <= 0) {
		return TSK_WALK_CONT;
	}
	if (!wanted(w->opt, f))
		return TSK_WALK_CONT;
	if (deleted && deleted_seen(w, (uint64_t)f->meta->addr))
		return TSK_WALK_CONT;
	struct strbuf sb = { 0 };
	sb_putc(&sb, '\\');
	for (const char *p = dir; *p; p++)
		sb_putc(&sb, *p == '/' ? '\\' : *p);
	sb_puts(&sb, f->name->name);
	int rc = w->fn(w->ctx, sb.data, (uint64_t)f->meta->addr, (uint64_t)f->meta->size,
		       deleted);
	sb_free(&sb);
	w->listed++;
	if (rc != 0) {
		w->stopped = true;
		return TSK_WALK_STOP;
	}
	return TSK_WALK_CONT;
}

int ntfs_list_logs(struct source *vol, const struct ntfs_list_options *opt,
		   ntfs_file_fn fn, void *ctx, uint64_t *listed, char *err, size_t errsz)
{
	struct log_walk w = { .fn = fn, .ctx = ctx, .opt = opt };
	int rc = 0;
	*listed = 0;
	if (!tsk_api_load(err, errsz))
		return -1;
	TSK_IMG_INFO *img = tsk_image(vol);
	if (!img) {
		source_set_err(err, errsz, "out of memory");
		return -1;
	}
	TSK_FS_INFO *fs = tsk_fs_open_img(img, 0, TSK_FS_TYPE_NTFS);
	if (!fs) {
		tsk_err("cannot open the NTFS file system", err, errsz);
		tsk_img_close(img);
		return -2;
	}
	int flags = TSK_FS_DIR_WALK_FLAG_ALLOC | TSK_FS_DIR_WALK_FLAG_RECURSE;
	if (opt->deleted)
		flags |= TSK_FS_DIR_WALK_FLAG_UNALLOC;
	else if (opt->deleted_by_name && opt->by_name)
		flags |= TSK_FS_DIR_WALK_FLAG_UNALLOC | TSK_FS_DIR_WALK_FLAG_NOORPHAN;
	else
		flags |= TSK_FS_DIR_WALK_FLAG_NOORPHAN;
	if (tsk_fs_dir_walk(fs, fs->root_inum, (TSK_FS_DIR_WALK_FLAG_ENUM)flags, log_cb, &w) != 0 &&
	    !w.stopped) {
		tsk_err("the directory tree could not be walked in full", err, errsz);
		rc = -1;
	}
	tsk_error_reset();
	*listed = w.listed;
	free(w.deleted_seen);
	tsk_fs_close(fs);
	tsk_img_close(img);
	return rc;
}

/* ---- what is left: unallocated clusters, space outside volumes -------- */

struct runs {
	struct byte_run *v;
	size_t n, cap;
};

static void runs_add(struct runs *r, uint64_t off, uint64_t len)
{
	if (len == 0)
		return;
	if (r->n && r->v[r->n - 1].off + r->v[r->n - 1].len == off) {
		r->v[r->n - 1].len += len;
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	r->v[r->n++] = (struct byte_run){ off, len };
}

struct block_walk {
	struct runs runs;
	uint64_t block_size;
};

static TSK_WALK_RET_ENUM unalloc_cb(const TSK_FS_BLOCK *b, void *ptr)
{
	struct block_walk *w = ptr;
	runs_add(&w->runs, (uint64_t)b->addr * w->block_size, w->block_size);
	return TSK_WALK_CONT;
}

int ntfs_unallocated_runs(struct source *vol, struct byte_run **runs, size_t *n,
			  char *err, size_t errsz)
{
	struct block_walk w = { 0 };
	*runs = NULL;
	*n = 0;
	if (!tsk_api_load(err, errsz))
		return -1;
	TSK_IMG_INFO *img = tsk_image(vol);
	TSK_FS_INFO *fs = img ? tsk_fs_open_img(img, 0, TSK_FS_TYPE_NTFS) : NULL;
	if (!fs) {
		tsk_err("cannot open the NTFS file system", err, errsz);
		if (img)
			tsk_img_close(img);
		return -1;
	}
	w.block_size = fs->block_size;
	int rc = 0;
	if (tsk_fs_block_walk(fs, fs->first_block, fs->last_block,
			      TSK_FS_BLOCK_WALK_FLAG_UNALLOC | TSK_FS_BLOCK_WALK_FLAG_AONLY,
			      unalloc_cb, &w) != 0) {
		tsk_err("the cluster bitmap could not be walked", err, errsz);
		rc = -1;
	}
	tsk_error_reset();
	tsk_fs_close(fs);
	tsk_img_close(img);
	*runs = w.runs.v;
	*n = w.runs.n;
	return rc;
}

struct outside_walk {
	struct source *disk;
	struct byte_run *ntfs;     /* the NTFS partitions */
	size_t n;
};

static int ntfs_partition_cb(void *ctx, const struct volume *v)
{
	struct outside_walk *o = ctx;
	char fs[64];
	struct source *vol = source_range(source_view(o->disk), v->offset, v->size);
	if (vol && vol->size && volume_identify(vol, fs, sizeof fs) == FS_NTFS) {
		o->ntfs = xrealloc(o->ntfs, (o->n + 1) * sizeof *o->ntfs);
		o->ntfs[o->n++] = (struct byte_run){ v->offset, vol->size };
	}
	source_close(vol);
	return 0;
}

static int cmp_run(const void *a, const void *b)
{
	const struct byte_run *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

void disk_outside_ntfs_runs(struct source *disk, struct byte_run **runs, size_t *n)
{
	struct outside_walk o = { disk, NULL, 0 };
	struct runs r = { 0 };
	char fs[64], err[SOURCE_ERR_MAX];
	int table = volumes_list(disk, ntfs_partition_cb, &o, err, sizeof err);
	if (table != 1 && volume_identify(disk, fs, sizeof fs) == FS_NTFS) {
		free(o.ntfs);
		*runs = NULL;
		*n = 0;
		return;   /* a bare NTFS volume: nothing outside it */
	}
	if (o.n > 1)
		qsort(o.ntfs, o.n, sizeof *o.ntfs, cmp_run);
	uint64_t at = 0;
	for (size_t i = 0; i < o.n; i++) {
		if (o.ntfs[i].off > at)
			runs_add(&r, at, o.ntfs[i].off - at);
		if (o.ntfs[i].off + o.ntfs[i].len > at)
			at = o.ntfs[i].off + o.ntfs[i].len;
	}
	if (disk->size > at)
		runs_add(&r, at, disk->size - at);
	free(o.ntfs);
	*runs = r.v;
	*n = r.n;
}

/* ---- one NTFS file as a source ------------------------------------------ */

struct ntfs_source {
	struct source s;
	struct source *vol;
	TSK_IMG_INFO *img;
	TSK_FS_INFO *fs;
	TSK_FS_FILE *file;
	struct source *direct;  /* the file's clusters as runs of vol
	                           (ntfs_direct); NULL: TSK reads it */
};

static ssize_t ntfs_read_at(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct ntfs_source *t = (struct ntfs_source *)s;
	if (t->direct) {
		ssize_t k = source_read(t->direct, off, buf, n);
		if (k < 0)
			snprintf(s->err, sizeof s->err, "%s", t->direct->err);
		return k;
	}
	ssize_t k = tsk_fs_file_read(t->file, (TSK_OFF_T)off, buf, n,
				     TSK_FS_FILE_READ_FLAG_NONE);
	if (k <= 0) {
		tsk_err("NTFS read", s->err, sizeof s->err);
		return -1;
	}
	return k;
}

static void ntfs_close(struct source *s)
{
	struct ntfs_source *t = (struct ntfs_source *)s;
	source_close(t->direct);
	if (t->file)
		tsk_fs_file_close(t->file);
	if (t->fs)
		tsk_fs_close(t->fs);
	if (t->img)
		tsk_img_close(t->img);
	source_close(t->vol);
	free(t);
}

/* TSK's seconds since 1970 and nanoseconds as FILETIME ticks; TSK
 * leaves a time it did not find at 0. */
static int64_t ticks(time_t secs, int64_t nano)
{
	if (secs == 0 && nano == 0)
		return TIME_NONE;
	return ((int64_t)secs + 11644473600LL) * 10000000LL + nano / 100;
}

static int ntfs_meta(struct source *s, struct file_meta *m)
{
	const TSK_FS_META *fm = ((struct ntfs_source *)s)->file->meta;
	m->si[META_CREATED] = ticks(fm->crtime, fm->crtime_nano);
	m->si[META_MODIFIED] = ticks(fm->mtime, fm->mtime_nano);
	m->si[META_CHANGED] = ticks(fm->ctime, fm->ctime_nano);
	m->si[META_ACCESSED] = ticks(fm->atime, fm->atime_nano);
	m->fn[META_CREATED] = ticks(fm->time2.ntfs.fn_crtime, fm->time2.ntfs.fn_crtime_nano);
	m->fn[META_MODIFIED] = ticks(fm->time2.ntfs.fn_mtime, fm->time2.ntfs.fn_mtime_nano);
	m->fn[META_CHANGED] = ticks(fm->time2.ntfs.fn_ctime, fm->time2.ntfs.fn_ctime_nano);
	m->fn[META_ACCESSED] = ticks(fm->time2.ntfs.fn_atime, fm->time2.ntfs.fn_atime_nano);
	m->entry = (uint64_t)fm->addr;
	m->deleted = (fm->flags & TSK_FS_META_FLAG_UNALLOC) != 0;
	return 0;
}

struct byte_run *ntfs_plain_runs(const struct ntfs_run *v, size_t n, uint64_t size,
				 uint64_t cluster, uint64_t vol_size, size_t *n_out)
{
	if (!cluster)
		return NULL;
	struct byte_run *out = xcalloc(n ? n : 1, sizeof *out);
	uint64_t have = 0;
	size_t k = 0;
	for (size_t i = 0; i < n && have < size; i++) {
		const struct ntfs_run *r = &v[i];
		/* cluster numbers past 2^64 / cluster bytes are no NTFS's */
		bool fits = r->addr <= UINT64_MAX / cluster && r->len <= UINT64_MAX / cluster &&
			    r->file_cluster <= UINT64_MAX / cluster;
		uint64_t off = fits ? r->addr * cluster : 0, len = fits ? r->len * cluster : 0;
		if (!fits || r->flags || r->file_cluster * cluster != have || r->len == 0 ||
		    off > vol_size || len > vol_size - off) {
			free(out);
			return NULL;
		}
		if (len > size - have)
			len = size - have;
		out[k++] = (struct byte_run){ off, len };
		have += len;
	}
	if (have != size) {
		free(out);
		return NULL;
	}
	*n_out = k;
	return out;
}

/* TSK's run list of a, as struct ntfs_run (*n of them, caller frees). */
static struct ntfs_run *tsk_runs(const TSK_FS_ATTR *a, size_t *n)
{
	*n = 0;
	for (const TSK_FS_ATTR_RUN *r = a->nrd.run; r; r = r->next)
		(*n)++;
	struct ntfs_run *v = xcalloc(*n ? *n : 1, sizeof *v);
	size_t i = 0;
	for (const TSK_FS_ATTR_RUN *r = a->nrd.run; r; r = r->next, i++)
		v[i] = (struct ntfs_run){ r->offset, r->addr, r->len, (unsigned)r->flags };
	return v;
}

/* The file's data as runs of the volume, where TSK would read nothing
 * but its clusters: its default data stream non-resident, neither
 * compressed, encrypted nor sparse, of an allocated entry (TSK may
 * treat a deleted one's clusters otherwise), written up to its size
 * (its initialised size no less), every run plain (ntfs_plain_runs).
 * Its reads then go straight to the volume: TSK would walk the run
 * list, take a lock and copy through its cache at every read. NULL
 * where any of that does not hold: TSK reads it. */
static struct source *ntfs_direct(struct ntfs_source *t)
{
	const TSK_FS_ATTR *a = tsk_fs_file_attr_get(t->file);
	const int odd = TSK_FS_ATTR_RES | TSK_FS_ATTR_ENC | TSK_FS_ATTR_COMP |
			TSK_FS_ATTR_SPARSE | TSK_FS_ATTR_RECOVERY;
	if (!a || !(a->flags & TSK_FS_ATTR_NONRES) || (a->flags & odd) || a->size <= 0 ||
	    (uint64_t)a->size != t->s.size || a->nrd.initsize < a->size ||
	    !(t->file->meta->flags & TSK_FS_META_FLAG_ALLOC))
		return NULL;
	/* the clusters TSK reads: those of the file system, no further */
	uint64_t fs_bytes = ((uint64_t)t->fs->last_block + 1) * t->fs->block_size;
	size_t n = 0, m = 0;
	struct ntfs_run *listed = tsk_runs(a, &n);
	struct byte_run *runs = ntfs_plain_runs(listed, n, (uint64_t)a->size, t->fs->block_size,
						fs_bytes < t->vol->size ? fs_bytes : t->vol->size, &m);
	free(listed);
	if (!runs)
		return NULL;
	struct source *view = source_view(t->vol);
	struct source *d = view ? source_runs(view, runs, m) : NULL;
	free(runs);
	return d;
}

struct source *ntfs_file_open(struct source *vol, uint64_t mft_entry, char *err,
			      size_t errsz)
{
	struct ntfs_source *t = xcalloc(1, sizeof *t);
	t->s.read_at = ntfs_read_at;
	t->s.close = ntfs_close;
	t->s.meta = ntfs_meta;
	t->vol = vol;
	if (!tsk_api_load(err, errsz))
		goto fail;
	if (!vol || !(t->img = tsk_image(vol))) {
		source_set_err(err, errsz, "out of memory");
		goto fail;
	}
	if (!(t->fs = tsk_fs_open_img(t->img, 0, TSK_FS_TYPE_NTFS))) {
		tsk_err("cannot open the NTFS file system", err, errsz);
		goto fail;
	}
	t->file = tsk_fs_file_open_meta(t->fs, NULL, (TSK_INUM_T)mft_entry);
	if (!t->file || !t->file->meta) {
		tsk_err("cannot open MFT entry", err, errsz);
		goto fail;
	}
	t->s.size = t->file->meta->size > 0 ? (uint64_t)t->file->meta->size : 0;
	t->direct = ntfs_direct(t);
	return &t->s;
fail:
	ntfs_close(&t->s);
	return NULL;
}
