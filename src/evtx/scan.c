/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan: the byte-level pass over an EVTX file (scan.h): the file walk.
 * The chunk's records are found in chunk.c, read in binxml.c, searched
 * in candidate.c, checked with crc.c.
 *
 * The record walk mirrors libevtx 20181227 (libevtx_file_open_read,
 * libevtx_chunk_read, libevtx_record_values_read_header):
 *
 *  - chunks start at the file header's "header block size" (4096) and
 *    every full 64 KiB chunk up to the end of the file is read, whatever
 *    the header's number of chunks; a partial chunk at the end is not;
 *  - a chunk of zero bytes only is skipped;
 *  - a chunk whose header size is not 128, or whose free space offset is
 *    below 512 or past the chunk, makes libevtx fail the whole file;
 *  - a chunk without the "ElfChnk\0" signature has no allocated records,
 *    and its slack scan (below) starts at offset 0;
 *  - allocated records are read from offset 512 while the offset is at
 *    most the header's last record offset, each header checked (24 zero
 *    bytes, or a bad signature, size below 24, past the chunk's end less
 *    4 bytes, or a size copy that differs, stop the walk);
 *  - the slack scan then goes from where the walk stopped to the chunk's
 *    end in steps of 4 bytes; where the record signature is, and the
 *    header reads as above, and the binary XML starts with a fragment
 *    header token (0x0f 01 01 00) or a template instance token (0x0a),
 *    the record is "recovered" and the scan jumps past it;
 *  - in a file that is not dirty, the allocated records of a chunk at or
 *    past the header's number of chunks are listed as recovered too.
 * The CRCs only mark the chunk corrupted; they change no record. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* memmem */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libbfio.h>
#include <libevtx.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sys/stat.h>

#include "le.h"
#include "scan_private.h"
#include "source.h"
#include "timefmt.h"


/* ---- the file ----------------------------------------------------- */

/* The SHA-256 runs on a thread of its own when it can, beside the scan:
 * the reader hands it each block it read, in order, and waits for it
 * only before reading into a buffer it still hashes. */
#define NSLOT 4                 /* chunk buffers */
#define QCAP (NSLOT + 2)        /* hash jobs in flight */

struct hasher {
	EVP_MD_CTX *md;
	bool threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct { const uint8_t *p; size_t n; } job[QCAP];
	uint64_t pushed, done;      /* jobs */
	bool closing;
	bool failed;
	bool off;                   /* nothing hashed (a story pass: see scan_start) */
};

static void *hash_main(void *arg)
{
	struct hasher *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (h->done == h->pushed && !h->closing)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->done == h->pushed)
			break;
		const uint8_t *p = h->job[h->done % QCAP].p;
		size_t n = h->job[h->done % QCAP].n;
		pthread_mutex_unlock(&h->mu);
		bool ok = EVP_DigestUpdate(h->md, p, n) == 1;
		pthread_mutex_lock(&h->mu);
		if (!ok)
			h->failed = true;
		h->done++;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* A thread of its own pays only on files large enough to amortise its
 * start and hand-offs; a triage archive's many small logs hash inline. */
#define HASH_THREAD_MIN ((uint64_t)8 << 20)

static int hasher_start(struct hasher *h, uint64_t size, bool off)
{
	memset(h, 0, sizeof *h);
	h->off = off;
	if (off)
		return 0;
	h->md = EVP_MD_CTX_new();
	if (!h->md || EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1)
		return -1;
	if (size < HASH_THREAD_MIN)
		return 0;
	if (pthread_mutex_init(&h->mu, NULL) != 0)
		return 0;
	if (pthread_cond_init(&h->cv, NULL) != 0) {
		pthread_mutex_destroy(&h->mu);
		return 0;
	}
	h->threaded = pthread_create(&h->th, NULL, hash_main, h) == 0;
	if (!h->threaded) {
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
	}
	return 0;   /* hashing inline when no thread could be had */
}

/* Queues p[0..n) (kept valid until hasher_wait says it is done);
 * returns the job's number + 1. */
static uint64_t hasher_push(struct hasher *h, const uint8_t *p, size_t n)
{
	if (h->off)
		return 0;
	if (!h->threaded) {
		if (n && EVP_DigestUpdate(h->md, p, n) != 1)
			h->failed = true;
		return 0;
	}
	pthread_mutex_lock(&h->mu);
	while (h->pushed - h->done >= QCAP)
		pthread_cond_wait(&h->cv, &h->mu);
	h->job[h->pushed % QCAP].p = p;
	h->job[h->pushed % QCAP].n = n;
	uint64_t ticket = ++h->pushed;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return ticket;
}

/* Waits until the jobs numbered below ticket are hashed. */
static void hasher_wait(struct hasher *h, uint64_t ticket)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->done < ticket)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

/* Stops the thread; hex gets the digest when want_digest and all went well. */
static void hasher_end(struct hasher *h, bool want_digest, char *hexout)
{
	if (h->threaded) {
		pthread_mutex_lock(&h->mu);
		h->closing = true;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->th, NULL);
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		h->threaded = false;
	}
	if (want_digest && h->md && !h->failed) {
		static const char x[] = "0123456789abcdef";
		uint8_t md[EVP_MAX_MD_SIZE];
		unsigned int len = 0;
		if (EVP_DigestFinal_ex(h->md, md, &len) == 1 && len == 32) {
			for (unsigned i = 0; i < 32; i++) {
				hexout[2 * i] = x[md[i] >> 4];
				hexout[2 * i + 1] = x[md[i] & 15];
			}
			hexout[64] = 0;
		}
	}
	EVP_MD_CTX_free(h->md);
	h->md = NULL;
}

/* The source read front to back: total is the position. */
struct src {
	struct source *s;
	struct hasher *h;
	uint64_t total;
};

/* Reads up to n bytes (fewer only at the end of the source) and queues
 * them for hashing; *ticket: the hash job (see hasher_wait). */
static ssize_t src_read(struct src *s, uint8_t *buf, size_t n, uint64_t *ticket)
{
	ssize_t k = source_read(s->s, s->total, buf, n);
	if (k < 0)
		return -1;
	size_t got = (size_t)k;
	if (got) {
		uint64_t t = hasher_push(s->h, buf, got);
		if (ticket)
			*ticket = t;
	}
	s->total += got;
	return (ssize_t)got;
}

static void note_damage(struct scan_result *res, uint64_t offset, uint64_t index, uint32_t flags)
{
	if (res->n_damage < SCAN_MAX_DAMAGE) {
		struct scan_damage *d = &res->damage[res->n_damage++];
		d->offset = offset;
		d->chunk = (uint32_t)index;
		d->flags = flags;
		d->past_count = res->header_ok && index >= res->header_chunks;
	}
	res->n_damaged++;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct scan_hit *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

#define MAX_HITS 4096

struct work {
	uint8_t *chunk;                       /* the slot being scanned */
	uint8_t slot[NSLOT][SCAN_CHUNK_SIZE];
	uint64_t slot_ticket[NSLOT];          /* its last hash job */
	uint8_t hdr[SCAN_FILE_HEADER_SIZE];
	struct scan_record recs[SCAN_CHUNK_MAX_RECORDS];
	struct scan_hit hits[MAX_HITS];
	struct tcache tc;                     /* the chunk's template definitions */
};

static size_t mark_named(const struct scan_matcher *m, struct work *w, size_t n,
			 uint64_t *outside);

/* Whether record r could be one of m's wants: its Event ID, where the
 * Event ID 7 look read it, is one of theirs (most records are of none,
 * and then need not be read again). */
static bool may_be_traced(const struct scan_matcher *m, const struct scan_record *r)
{
	if (r->traced_id == SCAN_TRACED_UNREAD)
		return true;
	for (size_t i = 0; i < m->n_wants; i++)
		if (m->wants[i].event_id == r->traced_id)
			return true;
	return false;
}

/* Marks the records holding a hit, with m->wants those the traces
 * want that name no module (scan_record_traced; not named), and those
 * whose template the scanner cannot read (scan_record_eid7; not
 * named) or that lie in a damaged chunk (not named); returns how many. *outside: hits
 * in no record (in slack no record header leads to, or in a chunk
 * libevtx cannot walk). Records are in ascending offsets, apart. */
static size_t mark_candidates(const struct scan_matcher *m, struct work *w, size_t n,
                              bool damaged, uint64_t *outside)
{
	size_t nc = mark_named(m, w, n, outside);
	for (size_t i = 0; !m->values && i < n; i++) {
		struct scan_record *r = &w->recs[i];
		if (r->candidate)
			continue;
		/* An allocated record whose template this reader cannot
		 * follow (a token or a value type it does not know) could be
		 * anything: libevtx is handed it, so that its verdict, parsed
		 * or a record error, is the one --no-prefilter gives. (Not
		 * the recovered ones: most in slack name a definition written
		 * over since; each would cost its chunk a parse, and what
		 * libevtx makes of them is counted, not held against the
		 * file.) */
		/* In a damaged chunk the same goes for every allocated record:
		 * the damage may lie in a template or a string another record
		 * shares, where no walk of this reader would see it. */
		if ((m->n_wants && may_be_traced(m, r) &&
		     scan_record_traced(w->chunk, r, &w->tc, m)) ||
		    (!r->recovered && (damaged || !r->readable))) {
			r->candidate = true;
			nc++;
		}
	}
	return nc;
}

static size_t mark_named(const struct scan_matcher *m, struct work *w, size_t n,
			 uint64_t *outside)
{
	if (m->values) {
		/* No story is told with Event ID 7 records (the findings have
		 * them), and the flagged processes' own loads are most of the
		 * records naming their GUIDs: parsing them again would double
		 * the cost of a log full of hits. */
		size_t nc = 0;
		for (size_t i = 0; i < n; i++) {
			struct scan_record *r = &w->recs[i];
			r->candidate = r->named = false;
			if (!scan_record_wanted(w->chunk, r, &w->tc, m->values))
				continue;
			/* (count_records left these to here) */
			r->eid7 = scan_record_eid7(w->chunk, r, &w->tc,
						   r->recovered ? NULL : &r->readable, NULL);
			r->candidate = r->named = !r->eid7;
			nc += r->candidate;
		}
		return nc;
	}
	if (m->every) {
		/* every record is parsed; which hold a name still matters */
		mark_candidates(m->names, w, n, false, outside);
		for (size_t i = 0; i < n; i++)
			w->recs[i].candidate = true;
		return n;
	}
	size_t nh = scan_find(m, w->chunk, SCAN_CHUNK_SIZE, w->hits, MAX_HITS);
	size_t nc = 0, inside = 0;
	if (nh == 0)
		return 0;
	if (nh > MAX_HITS) {
		/* too many to keep: look into each record */
		for (size_t i = 0; i < n; i++) {
			struct scan_record *r = &w->recs[i];
			r->candidate = r->named = scan_contains(m, w->chunk + r->offset, r->size);
			nc += r->candidate;
		}
		return nc;
	}
	if (nh > 1)
		qsort(w->hits, nh, sizeof w->hits[0], cmp_hit);
	for (size_t h = 0; h < nh; h++) {
		uint64_t start = w->hits[h].offset, end = start + w->hits[h].length;
		/* the last record starting at or before the hit */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (w->recs[mid].offset <= start)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			continue;
		struct scan_record *r = &w->recs[lo - 1];
		if (end <= (uint64_t)r->offset + r->size) {
			inside++;
			if (!r->candidate) {
				r->candidate = r->named = true;
				nc++;
			}
		}
	}
	*outside += nh - inside;
	return nc;
}

/* One scan_file_with() call: what it scans with, what it owns (w, the
 * hasher src feeds) and where it is. */
struct scan_run {
	const struct scan_matcher *m;
	struct scan_result *res;
	scan_chunk_fn on_chunk;
	void *ctx;
	struct work *w;
	struct hasher h;
	struct src src;
	bool stop;              /* on_chunk asked to stop */
	bool have_prev;         /* prev_id is the last allocated record's id */
	uint64_t prev_id;
	uint8_t host[2 * SCAN_COMPUTER_MAX];   /* the last record's Computer, */
	size_t host_len;        /* as UTF-16LE bytes: most records repeat it */
	bool keys;              /* the keys of m->keys_of are kept (res->keys) */
};

/* Adds the Computer record r names to res->computer (see scan.h). */
static void note_computer(struct scan_run *run, const uint8_t *c, const struct scan_record *r,
			  struct tcache *tc)
{
	struct scan_result *res = run->res;
	size_t at, units;
	if (!scan_record_computer(c, r, tc, &at, &units))
		return;
	size_t bytes = 2 * units < sizeof run->host ? 2 * units : sizeof run->host;
	if (bytes == run->host_len && memcmp(run->host, c + at, bytes) == 0)
		return;
	memcpy(run->host, c + at, bytes);
	run->host_len = bytes;
	char name[SCAN_COMPUTER_MAX];
	scan_utf16_to_utf8(c + at, units, name, sizeof name);
	for (size_t i = 0; i < res->n_computers; i++)
		if (strcmp(res->computer[i], name) == 0)
			return;
	if (res->n_computers == SCAN_MAX_COMPUTERS) {
		res->computers_more++;
		return;
	}
	memcpy(res->computer[res->n_computers++], name, strlen(name) + 1);
}

static void note_chunk_damage(struct scan_result *res, uint64_t offset, uint64_t index,
                              uint32_t dmg)
{
	note_damage(res, offset, index, dmg);
	res->chunks_damaged++;
	if (dmg & (SCAN_DMG_HEADER_SIZE | SCAN_DMG_FREE_SPACE))
		res->libevtx_fails = true;
}

/* An allocated record, not counted as recovered: its time and id go
 * into the file's ranges, and an id that does not follow the previous
 * one is a gap. */
static void count_allocated(struct scan_run *run, const struct scan_record *r)
{
	struct scan_result *res = run->res;
	res->records++;
	res->eid7_records += r->eid7;
	/* 0 is no time written (a record cut short as it was written): it
	 * must not become the file's first time, which input_add_time
	 * would then drop, leaving the range one point wide */
	if (r->written != 0 && (res->first_time == TIME_NONE || r->written < res->first_time))
		res->first_time = r->written;
	if (r->written != 0 && (res->last_time == TIME_NONE || r->written > res->last_time))
		res->last_time = r->written;
	if (!run->have_prev) {
		res->first_id = res->last_id = r->id;
	} else {
		if (r->id != run->prev_id + 1) {
			res->id_gaps++;
			if (r->id > run->prev_id + 1)
				res->ids_missing += r->id - run->prev_id - 1;
		}
		if (r->id < res->first_id)
			res->first_id = r->id;
		if (r->id > res->last_id)
			res->last_id = r->id;
	}
	run->prev_id = r->id;
	run->have_prev = true;
}

/* Tells each of the chunk's n records whether it is a Sysmon Event ID 7
 * one, counts them as libevtx does, and with the keys kept, adds each
 * record's (res->keys). */
static void count_records(struct scan_run *run, size_t n)
{
	struct scan_result *res = run->res;
	struct work *w = run->w;
	w->tc.n = 0;    /* template definitions are chunk-local */
	/* A story pass asks whether a record is an Event ID 7 one, and its
	 * readability, of its candidates only (mark_named), nor does it note
	 * hosts: its counts and hosts are the detection's, already taken,
	 * and most of its records are no candidates. */
	bool story = run->m->values != NULL;
	for (size_t i = 0; i < n; i++) {
		struct scan_record *r = &w->recs[i];
		if (!story)
			r->eid7 = scan_record_eid7(w->chunk, r, &w->tc,
						   r->recovered ? NULL : &r->readable,
						   &r->traced_id);
		/* (a story never takes an Event ID 7 record: mark_named) */
		if (run->keys && !res->keys.over && !r->eid7)
			scan_record_keys(w->chunk, r, &w->tc, run->m->keys_of, &res->keys);
		if (!r->recovered) {
			count_allocated(run, r);
			if (!story)
				note_computer(run, w->chunk, r, &w->tc);
			continue;
		}
		res->eid7_recovered += r->eid7;
		res->recovered++;
		if (r->kind == SCAN_REC_SLACK)
			res->recovered_slack++;
	}
}

/* Whether the Event ID 7 template is written among the chunk's
 * allocated records, or only in the rest of it. */
static void note_eid7_template(struct scan_result *res, const uint8_t *chunk,
                               const struct scan_record *recs, size_t n)
{
	size_t alloc_end = 0;
	for (size_t i = 0; i < n && recs[i].kind == SCAN_REC_ALLOCATED; i++)
		alloc_end = (size_t)recs[i].offset + recs[i].size;
	if (alloc_end > SCAN_CHUNK_HEADER_SIZE &&
	    scan_has_eid7_template(chunk + SCAN_CHUNK_HEADER_SIZE, alloc_end - SCAN_CHUNK_HEADER_SIZE)) {
		res->eid7_template = true;
		res->eid7_template_chunks++;
	} else if (!res->eid7_template_slack &&
	           scan_has_eid7_template(chunk + alloc_end, SCAN_CHUNK_SIZE - alloc_end)) {
		res->eid7_template_slack = true;
	}
}

/* Marks the candidates libevtx must not be handed (scan_record_check). */
static void refuse_records(struct scan_result *res, struct work *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct scan_record *r = &w->recs[i];
		uint64_t cost;
		if (!r->candidate)
			continue;
		r->refused = (uint8_t)scan_record_check(w->chunk, r, &cost);
		if (r->refused == SCAN_RECORD_OK)
			continue;
		if (!r->named) {
			res->refused_unnamed++;
			res->refused_unnamed_recovered += r->recovered;
			continue;
		}
		res->refused++;
		res->refused_recovered += r->recovered;
		if (r->refused == SCAN_REFUSED_BOUNDS) {
			res->refused_bounds++;
			res->refused_bounds_recovered += r->recovered;
		}
	}
}

/* The chunk in w->chunk, index index at offset in the file: its records
 * counted, its candidates marked, and it handed to on_chunk when it
 * has any. */
static void scan_one_chunk(struct scan_run *run, uint64_t index, uint64_t offset)
{
	struct scan_result *res = run->res;
	struct work *w = run->w;
	bool past = res->header_ok && index >= res->header_chunks;
	uint32_t dmg = 0;

	res->chunks++;
	if (all_zero(w->chunk, SCAN_CHUNK_SIZE)) {
		res->chunks_empty++;
		return;
	}
	if (past && memcmp(w->chunk, chunk_sig, 8) == 0)
		res->chunks_past_count++;
	size_t n = scan_chunk_records(w->chunk, past && !res->dirty, w->recs, &dmg);
	if (dmg)
		note_chunk_damage(res, offset, index, dmg);
	count_records(run, n);
	note_eid7_template(res, w->chunk, w->recs, n);
	size_t nc = mark_candidates(run->m, w, n, dmg != 0, &res->hits_outside_records);
	if (nc == 0)
		return;
	refuse_records(res, w, n);
	res->candidates += nc;
	res->candidate_chunks++;
	if (run->on_chunk && !run->stop) {
		struct scan_chunk c = {
			.data = w->chunk, .file_offset = offset, .index = (uint32_t)index,
			.past_count = past, .damage = dmg, .records = w->recs,
			.n_records = n, .n_candidates = nc,
		};
		if (run->on_chunk(run->ctx, &c) != 0)
			run->stop = true;
	}
}

/* The fields of a file header that has the file signature. */
static void parse_file_header(struct scan_result *res, const uint8_t *hdr)
{
	res->header_ok = true;
	res->first_chunk_number = le64(hdr + 8);
	res->last_chunk_number = le64(hdr + 16);
	res->next_record_id = le64(hdr + 24);
	res->minor_version = le16(hdr + 36);
	res->major_version = le16(hdr + 38);
	res->header_block_size = le16(hdr + 40);
	res->header_chunks = le16(hdr + 42);
	res->file_flags = le32(hdr + 120);
	res->dirty = res->file_flags & 1;
	res->full = (res->file_flags & 2) != 0;
	res->header_crc_ok = scan_crc32(0, hdr, 120) == le32(hdr + 124);
}

/* Reads the file header into w->hdr. Returns the bytes read (fewer
 * than a header only at the end of the file), or -1; *chunk_off: where
 * the chunks start. */
static ssize_t read_file_header(struct scan_run *run, uint64_t *chunk_off)
{
	uint8_t *hdr = run->w->hdr;
	ssize_t got = src_read(&run->src, hdr, SCAN_FILE_HEADER_SIZE, NULL);
	if (got < 0)
		return -1;
	if ((size_t)got == SCAN_FILE_HEADER_SIZE && memcmp(hdr, file_sig, 8) == 0) {
		parse_file_header(run->res, hdr);
		*chunk_off = run->res->header_block_size;
	} else {
		/* Not an EVTX header (libevtx refuses the file): look for chunks
		 * where they usually are all the same. */
		run->res->libevtx_fails = true;
		*chunk_off = SCAN_FILE_HEADER_SIZE;
	}
	return got;
}

/* After the header: when the chunks start inside it, copies the bytes
 * of the first chunk it holds into slot 0 (*pre: how many); when they
 * start past it, reads (and hashes) the bytes up to them. Returns 1,
 * 0 when the file ends first (trailing_bytes set), -1 on a read error. */
static int reach_first_chunk(struct scan_run *run, uint64_t chunk_off, size_t *pre)
{
	struct work *w = run->w;
	*pre = 0;
	if (chunk_off < SCAN_FILE_HEADER_SIZE) {
		*pre = SCAN_FILE_HEADER_SIZE - (size_t)chunk_off;
		memcpy(w->slot[0], w->hdr + chunk_off, *pre);
	} else if (chunk_off > SCAN_FILE_HEADER_SIZE) {
		size_t skip = (size_t)chunk_off - SCAN_FILE_HEADER_SIZE;
		ssize_t got = src_read(&run->src, w->slot[NSLOT - 1], skip, &w->slot_ticket[NSLOT - 1]);
		if (got < 0)
			return -1;
		if ((size_t)got < skip) {
			run->res->trailing_bytes = (uint64_t)got;
			return 0;
		}
	}
	return 1;
}

/* Reads the chunks from chunk_off to the end of the file, the first pre
 * bytes of the first one already in slot 0, and scans each full one.
 * Returns 0 at the end of the file, 1 when on_chunk stopped the scan,
 * -1 on a read error. */
static int scan_chunks(struct scan_run *run, uint64_t chunk_off, size_t pre)
{
	struct scan_result *res = run->res;
	struct work *w = run->w;
	for (uint64_t index = 0;; index++) {
		size_t k = (size_t)(index % NSLOT);
		w->chunk = w->slot[k];
		hasher_wait(&run->h, w->slot_ticket[k]);
		ssize_t got = src_read(&run->src, w->chunk + pre, SCAN_CHUNK_SIZE - pre, &w->slot_ticket[k]);
		if (got < 0)
			return -1;
		if ((size_t)got + pre < SCAN_CHUNK_SIZE) {
			res->trailing_bytes = (uint64_t)got + pre;
			if (res->trailing_bytes && !all_zero(w->chunk, (size_t)res->trailing_bytes))
				note_damage(res, chunk_off, index, SCAN_DMG_PARTIAL);
			return 0;
		}
		pre = 0;
		scan_one_chunk(run, index, chunk_off);
		chunk_off += SCAN_CHUNK_SIZE;
		if (run->stop)
			return 1;
	}
}

/* The whole file, front to back: as scan_chunks returns. */
static int scan_stream(struct scan_run *run)
{
	uint64_t chunk_off;
	size_t pre;
	ssize_t got = read_file_header(run, &chunk_off);
	if (got < 0)
		return -1;
	if ((size_t)got < SCAN_FILE_HEADER_SIZE) {
		run->res->trailing_bytes = (uint64_t)got;
		return 0;
	}
	int rc = reach_first_chunk(run, chunk_off, &pre);
	if (rc <= 0)
		return rc;
	return scan_chunks(run, chunk_off, pre);
}

/* Allocates w and starts the hasher; -1 with res->error set, nothing
 * left to free, when it cannot. */
static int scan_start(struct scan_run *run)
{
	run->w = malloc(sizeof *run->w);
	if (!run->w) {
		snprintf(run->res->error, sizeof run->res->error, "out of memory");
		return -1;
	}
	memset(run->w->slot_ticket, 0, sizeof run->w->slot_ticket);
	/* A larger log is no log's key set: its scan is the clean log's
	 * whole time, and its keys, as real logs go, are over the most a
	 * set holds anyway (scan.h: SCAN_KEYS_LOG_MAX). */
	run->keys = run->m->keys_of && run->src.s->size <= SCAN_KEYS_LOG_MAX;
	if (run->m->keys_of && !run->keys)
		run->res->keys.over = true;
	/* A story pass (candidates by value) reads a file the detection has
	 * read and hashed already: it does not hash it again. */
	if (hasher_start(&run->h, run->src.s->size, run->m->values != NULL) != 0) {
		snprintf(run->res->error, sizeof run->res->error, "out of memory");
		hasher_end(&run->h, false, NULL);
		free(run->w);
		run->w = NULL;
		return -1;
	}
	return 0;
}

/* Stops the hasher (the digest is wanted when the file was read to its
 * end), says why the scan stopped early, frees w. Returns ret, or -1
 * when the digest failed. */
static int scan_end(struct scan_run *run, int ret)
{
	struct scan_result *res = run->res;
	if (ret < 0) {
		hasher_end(&run->h, false, NULL);
		snprintf(res->error, sizeof res->error, "read error at byte %llu: %s",
		         (unsigned long long)run->src.total, run->src.s->err);
	} else {
		hasher_end(&run->h, ret == 0, res->sha256);
		if (ret == 0 && !res->sha256[0] && !run->h.off) {
			snprintf(res->error, sizeof res->error, "SHA-256 failed");
			ret = -1;
		} else if (ret == 1) {
			snprintf(res->error, sizeof res->error, "stopped by the caller");
		}
	}
	res->file_size = run->src.total;
	if (run->keys && ret == 0) {
		value_keys_seal(&res->keys);
	} else if (run->keys) {   /* not every record seen: no set */
		value_keys_free(&res->keys);
		res->keys.over = true;
	}
	free(run->w);
	run->w = NULL;
	return ret;
}

int scan_file_with(int fd, const struct scan_matcher *m, struct scan_result *res,
                   scan_chunk_fn on_chunk, void *ctx)
{
	int own = fd >= 0 ? dup(fd) : -1;
	struct source *src = own >= 0 ? source_fd(own, NULL, 0) : NULL;
	if (!src) {
		memset(res, 0, sizeof *res);
		res->first_time = res->last_time = TIME_NONE;
		snprintf(res->error, sizeof res->error, "read error at byte 0: %s",
		         strerror(errno));
		return -1;
	}
	int rc = scan_source_with(src, m, res, on_chunk, ctx);
	source_close(src);
	return rc;
}

int scan_source_with(struct source *src, const struct scan_matcher *m,
                     struct scan_result *res, scan_chunk_fn on_chunk, void *ctx)
{
	memset(res, 0, sizeof *res);
	res->first_time = res->last_time = TIME_NONE;
	if (!m) {
		snprintf(res->error, sizeof res->error, "no module name list");
		return -1;
	}
	struct scan_run run = { .m = m, .res = res, .on_chunk = on_chunk, .ctx = ctx };
	run.src = (struct src){ .s = src, .h = &run.h };
	if (scan_start(&run) != 0)
		return -1;
	return scan_end(&run, scan_stream(&run));
}

