/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* source: the interface, and the adapters that need no library: a file,
 * a descriptor, memory, a range of a parent, pieces end to end. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* O_NOATIME */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hash.h"
#include "source.h"
#include "strbuf.h"

void source_set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

uint64_t source_spooled(struct source *s)
{
	return s && s->spooled ? s->spooled(s) : 0;
}

ssize_t source_read(struct source *s, uint64_t off, void *buf, size_t n)
{
	if (off >= s->size || n == 0)
		return 0;
	if (n > s->size - off)
		n = (size_t)(s->size - off);
	size_t got = 0;
	while (got < n) {
		ssize_t k = s->read_at(s, off + got, (char *)buf + got, n - got);
		if (k < 0)
			return -1;
		if (k == 0) {
			snprintf(s->err, sizeof s->err, "read returned nothing at byte %llu "
				 "of %llu", (unsigned long long)(off + got),
				 (unsigned long long)s->size);
			return -1;
		}
		got += (size_t)k;
	}
	s->bytes_read += got;
	return (ssize_t)got;
}

void source_close(struct source *s)
{
	if (s)
		s->close(s);
}

/* ---- a descriptor ------------------------------------------------- */

struct fd_source {
	struct source s;
	int fd;
};

static ssize_t fd_read_at(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct fd_source *f = (struct fd_source *)s;
	for (;;) {
		ssize_t k = pread(f->fd, buf, n, (off_t)off);
		if (k >= 0 || errno != EINTR) {
			if (k < 0)
				snprintf(s->err, sizeof s->err, "%s", strerror(errno));
			else if (k == 0)   /* the file shrank under us */
				snprintf(s->err, sizeof s->err, "file ends at byte %llu, "
					 "expected %llu", (unsigned long long)off,
					 (unsigned long long)s->size);
			return k == 0 ? -1 : k;
		}
	}
}

static void fd_close(struct source *s)
{
	close(((struct fd_source *)s)->fd);
	free(s);
}

struct source *source_fd(int fd, char *err, size_t errsz)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		source_set_err(err, errsz, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	struct fd_source *f = calloc(1, sizeof *f);
	if (!f) {
		source_set_err(err, errsz, "out of memory");
		close(fd);
		return NULL;
	}
	f->s.read_at = fd_read_at;
	f->s.close = fd_close;
	f->s.size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	f->fd = fd;
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);
		f->s.size = end > 0 ? (uint64_t)end : 0;
	}
	return &f->s;
}

/* O_NOATIME keeps the evidence's access time as it was; the kernel
 * allows it only to the file's owner (or CAP_FOWNER), so it is tried
 * first and dropped when refused. */
int evidence_open(const char *path, int flags)
{
	flags |= O_RDONLY | O_NOCTTY | O_CLOEXEC;
#ifdef O_NOATIME
	int fd = open(path, flags | O_NOATIME);
	if (fd >= 0 || errno != EPERM)
		return fd;
#endif
	return open(path, flags);
}

struct source *source_file_open(const char *path, char *err, size_t errsz)
{
	int fd = evidence_open(path, 0);
	if (fd < 0)
		goto fail;
	return source_fd(fd, err, errsz);
fail:
	source_set_err(err, errsz, "%s", strerror(errno));
	return NULL;
}

/* ---- memory ------------------------------------------------------- */

struct mem_source {
	struct source s;
	const uint8_t *p;
};

static ssize_t mem_read_at(struct source *s, uint64_t off, void *buf, size_t n)
{
	memcpy(buf, ((struct mem_source *)s)->p + off, n);
	return (ssize_t)n;
}

static void plain_free(struct source *s)
{
	free(s);
}

struct source *source_memory(const void *p, size_t n)
{
	struct mem_source *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->s.read_at = mem_read_at;
	m->s.close = plain_free;
	m->s.size = n;
	m->p = p;
	return &m->s;
}

/* ---- a range of a parent ------------------------------------------ */

struct range_source {
	struct source s;
	struct source *parent;
	uint64_t off;
	bool owns;              /* closes parent when closed */
};

static ssize_t range_read_at(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct range_source *r = (struct range_source *)s;
	ssize_t k = source_read(r->parent, r->off + off, buf, n);
	if (k < 0)
		snprintf(s->err, sizeof s->err, "%s", r->parent->err);
	else if (k == 0) {
		snprintf(s->err, sizeof s->err, "past the end of the layer below");
		return -1;
	}
	return k;
}

static void range_close(struct source *s)
{
	struct range_source *r = (struct range_source *)s;
	if (r->owns)
		source_close(r->parent);
	free(s);
}

static struct source *range_make(struct source *parent, uint64_t off, uint64_t size,
				 bool owns)
{
	if (!parent)
		return NULL;
	struct range_source *r = calloc(1, sizeof *r);
	if (!r) {
		if (owns)
			source_close(parent);
		return NULL;
	}
	r->owns = owns;
	r->s.read_at = range_read_at;
	r->s.close = range_close;
	r->parent = parent;
	r->off = off;
	r->s.size = off >= parent->size ? 0
		  : size > parent->size - off ? parent->size - off : size;
	return &r->s;
}

struct source *source_range(struct source *parent, uint64_t off, uint64_t size)
{
	return range_make(parent, off, size, true);
}

struct source *source_view(struct source *parent)
{
	return range_make(parent, 0, parent ? parent->size : 0, false);
}

/* ---- pieces end to end -------------------------------------------- */

struct concat_source {
	struct source s;
	size_t n;
	struct source **piece;
	uint64_t *start;        /* of each piece; start[n] = size */
	uint64_t *origin;       /* source_runs: each piece's offset in parent */
	struct source *parent;  /* source_runs: owned; the pieces are views */
};

/* The last piece starting at or before off. */
static size_t concat_piece(const struct concat_source *c, uint64_t off)
{
	size_t lo = 0, hi = c->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (c->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static ssize_t concat_read_at(struct source *s, uint64_t off, void *buf, size_t n)
{
	struct concat_source *c = (struct concat_source *)s;
	size_t lo = concat_piece(c, off);
	uint64_t in = off - c->start[lo];
	uint64_t left = c->start[lo + 1] - off;
	ssize_t k = source_read(c->piece[lo], in, buf, n < left ? n : (size_t)left);
	if (k <= 0) {
		snprintf(s->err, sizeof s->err, "%s", k < 0 ? c->piece[lo]->err : "piece too short");
		return -1;
	}
	return k;
}

static void concat_close(struct source *s)
{
	struct concat_source *c = (struct concat_source *)s;
	for (size_t i = 0; i < c->n; i++)
		source_close(c->piece[i]);
	free(c->piece);
	free(c->start);
	free(c->origin);
	source_close(c->parent);
	free(c);
}

struct source *source_concat(struct source **pieces, size_t n)
{
	struct concat_source *c = calloc(1, sizeof *c);
	if (c) {
		c->piece = calloc(n ? n : 1, sizeof *c->piece);
		c->start = calloc(n + 1, sizeof *c->start);
	}
	if (!c || !c->piece || !c->start) {
		for (size_t i = 0; i < n; i++)
			source_close(pieces[i]);
		if (c) {
			free(c->piece);
			free(c->start);
		}
		free(c);
		return NULL;
	}
	c->s.read_at = concat_read_at;
	c->s.close = concat_close;
	c->n = n;
	for (size_t i = 0; i < n; i++) {
		c->piece[i] = pieces[i];
		c->start[i + 1] = c->start[i] + pieces[i]->size;
	}
	c->s.size = c->start[n];
	return &c->s;
}

/* ---- runs of a parent -------------------------------------------------- */

struct source *source_runs(struct source *parent, const struct byte_run *runs, size_t n)
{
	if (!parent)
		return NULL;
	struct source **views = calloc(n ? n : 1, sizeof *views);
	uint64_t *origin = calloc(n ? n : 1, sizeof *origin);
	bool ok = views && origin;
	for (size_t i = 0; ok && i < n; i++) {
		views[i] = range_make(parent, runs[i].off, runs[i].len, false);
		origin[i] = runs[i].off;
		ok = views[i] != NULL;
	}
	struct source *s = ok ? source_concat(views, n) : NULL;
	if (!ok)
		for (size_t i = 0; views && i < n; i++)
			source_close(views[i]);
	free(views);
	if (!s) {
		free(origin);
		source_close(parent);
		return NULL;
	}
	struct concat_source *c = (struct concat_source *)s;
	c->origin = origin;
	c->parent = parent;
	return s;
}

uint64_t source_runs_origin(struct source *runs, uint64_t off)
{
	struct concat_source *c = (struct concat_source *)runs;
	if (c->n == 0 || !c->origin)
		return off;
	size_t i = concat_piece(c, off);
	return c->origin[i] + (off - c->start[i]);
}

/* ---- hashing ------------------------------------------------------------ */

int source_sha256(struct source *s, char hex[65], uint64_t *bytes)
{
	enum { BLOCK = 1 << 20 };
	uint8_t *buf = xmalloc(BLOCK);
	struct sha256 *h = sha256_new();
	uint64_t off = 0;
	ssize_t k;

	while ((k = source_read(s, off, buf, BLOCK)) > 0) {
		sha256_update(h, buf, (size_t)k);
		off += (uint64_t)k;
	}
	sha256_finish(h, hex);
	free(buf);
	if (bytes)
		*bytes = off;
	if (k < 0)
		hex[0] = '\0';
	return k < 0 ? -1 : 0;
}
