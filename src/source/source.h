/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* source: bytes wherever they lie, read at an offset.
 *
 * Every layer of evidence (a file on disk, an E01's media, a partition,
 * a volume shadow copy store, a file inside NTFS, a chunk in memory) is
 * a source: a size and a read_at(). Nothing keeps a file position, so a
 * source can be read from anywhere in any order, and each layer is just
 * a source made from the one below it (The Sleuth Kit's img -> vs -> fs,
 * with the bytes kept abstract as in yara's block iterator).
 *
 * Ownership: a source that is made from a parent takes the parent and
 * closes it when it is closed itself, so a whole chain is closed by
 * closing its top. */
#ifndef RMMHUNT_SOURCE_H
#define RMMHUNT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SOURCE_ERR_MAX 200

/* What NTFS keeps of a file beside its bytes: the four times of its
 * $STANDARD_INFORMATION attribute (which any program can set) and of its
 * $FILE_NAME attribute (which only Windows sets), in this order:
 * created, modified, MFT entry changed, accessed. FILETIME ticks,
 * INT64_MIN (TIME_NONE) when absent. */
enum { META_CREATED, META_MODIFIED, META_CHANGED, META_ACCESSED, META_TIMES };
struct file_meta {
	int64_t si[META_TIMES];
	int64_t fn[META_TIMES];
	uint64_t entry;              /* MFT entry */
	bool deleted;                /* its MFT entry no longer in use */
};

struct source {
	/* Reads up to n bytes at off into buf (off + n <= size: source_read
	 * checks). Returns the bytes read (0 only when n is 0), or -1 with
	 * err set. May read fewer than n; source_read loops. */
	ssize_t (*read_at)(struct source *s, uint64_t off, void *buf, size_t n);
	/* Frees the adapter and whatever it owns (its parent among them). */
	void (*close)(struct source *s);
	/* Optional (NULL when the layer cannot tell): how much of what was
	 * read so far the layer knows to be damaged yet handed over anyway
	 * (an E01 chunk whose checksum failed reads as zeros); describes it
	 * in out. Returns the count, 0 when none. */
	uint64_t (*damage)(struct source *s, char *out, size_t outsz);
	/* Optional (NULL when the layer never copies): the bytes this layer
	 * and those under it copied to temporary files so far (an archive
	 * member read back), for cost reports. */
	uint64_t (*spooled)(struct source *s);
	/* Optional (NULL when the layer is no file of a file system rmmhunt
	 * reads): what the file system keeps of the file beside its bytes.
	 * Returns 0, or -1 when it cannot tell. */
	int (*meta)(struct source *s, struct file_meta *m);
	uint64_t size;
	uint64_t bytes_read;         /* through source_read, for cost reports */
	char err[SOURCE_ERR_MAX];    /* why the last read failed */
};

/* Reads n bytes at off, fewer only at the end of the source. Returns
 * the bytes read (0 at or past the end), or -1 with s->err set. */
ssize_t source_read(struct source *s, uint64_t off, void *buf, size_t n);

/* What s->spooled() says, or 0 (also for NULL). */
uint64_t source_spooled(struct source *s);

/* Closes s and everything it owns; NULL is fine. */
void source_close(struct source *s);

/* open(2) of evidence: read-only, with O_NOATIME where the kernel allows
 * it (the owner, or CAP_FOWNER), so that neither files nor the
 * directories walked get a new access time; plus flags (O_DIRECTORY).
 * Returns the descriptor, or -1 with errno set. */
int evidence_open(const char *path, int flags);

/* A file on disk, opened read-only (O_NOATIME where the kernel allows).
 * Returns the source, or NULL with err (errsz bytes) saying why. */
struct source *source_file_open(const char *path, char *err, size_t errsz);

/* An open read-only descriptor, owned by the source from now on. */
struct source *source_fd(int fd, char *err, size_t errsz);

/* n bytes at p, borrowed: p must outlive the source. Never fails but
 * for memory (then NULL). */
struct source *source_memory(const void *p, size_t n);

/* size bytes of parent from offset off (a partition, a run of
 * unallocated clusters). Takes parent, also when it fails (NULL). A
 * range past the parent's end is cut at the end. */
struct source *source_range(struct source *parent, uint64_t off, uint64_t size);

/* All of parent, borrowed (parent must outlive it): for handing a layer
 * that takes its parent a source the caller goes on using. */
struct source *source_view(struct source *parent);

/* A source made of pieces laid end to end: pieces[i] covers size[i]
 * bytes. Takes the pieces (and closes them, also when it fails). */
struct source *source_concat(struct source **pieces, size_t n);

/* A run of bytes: off, len. */
struct byte_run {
	uint64_t off, len;
};

/* The n runs of parent laid end to end (unallocated clusters, the space
 * outside the volumes). Takes parent. NULL when out of memory. */
struct source *source_runs(struct source *parent, const struct byte_run *runs, size_t n);

/* Where byte off of a source_runs() source lies in its parent. */
uint64_t source_runs_origin(struct source *runs, uint64_t off);

/* The SHA-256 of all of s (hex, 64 digits and a NUL), read 1 MiB at a
 * time; *bytes (may be NULL) gets how many were read. Returns 0, or -1
 * on a read error (s->err says why; hex is then ""). */
int source_sha256(struct source *s, char hex[65], uint64_t *bytes);

/* Writes into err a message "what: reason" for a failed open. */
void source_set_err(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
