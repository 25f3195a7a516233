/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan: the byte-level pass over an EVTX file. See scan.h.
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
#include "rule.h"
#include "scan.h"
#include "source.h"
#include "timefmt.h"

static const uint8_t file_sig[8] = { 'E', 'l', 'f', 'F', 'i', 'l', 'e', 0 };
static const uint8_t chunk_sig[8] = { 'E', 'l', 'f', 'C', 'h', 'n', 'k', 0 };
static const uint8_t record_sig[4] = { 0x2a, 0x2a, 0x00, 0x00 };

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

/* ---- CRC-32, slicing by 8 ----------------------------------------- */

/* Tables and the processor check are filled once, whichever thread
 * first needs them (pthread_once), and only read after that. */
static uint32_t crc_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_table[t][i] = crc_table[0][crc_table[t - 1][i] & 0xff] ^ (crc_table[t - 1][i] >> 8);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_CLMUL 1
/* CRC-32 by carry-less multiplication, folding 64 bytes a step (Intel's
 * "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ"). crc
 * is the inverted running value; len >= 64 and a multiple of 16. */
__attribute__((target("pclmul,sse4.1")))
static uint32_t crc32_clmul(uint32_t crc, const uint8_t *buf, size_t len)
{
	const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596LL, 0x0154442bd4LL);
	const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
	const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124LL);
	const __m128i poly = _mm_set_epi64x(0x01f7011641LL, 0x01db710641LL);
	const __m128i mask = _mm_setr_epi32(~0, 0, ~0, 0);
	__m128i x0, x1, x2, x3, x4, x5, x6, x7, x8;

	x1 = _mm_loadu_si128((const __m128i *)(buf + 0x00));
	x2 = _mm_loadu_si128((const __m128i *)(buf + 0x10));
	x3 = _mm_loadu_si128((const __m128i *)(buf + 0x20));
	x4 = _mm_loadu_si128((const __m128i *)(buf + 0x30));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
	x0 = k1k2;
	buf += 64;
	len -= 64;
	while (len >= 64) {
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
		x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
		x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
		x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
		x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128((const __m128i *)(buf + 0x00)));
		x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128((const __m128i *)(buf + 0x10)));
		x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128((const __m128i *)(buf + 0x20)));
		x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128((const __m128i *)(buf + 0x30)));
		buf += 64;
		len -= 64;
	}
	x0 = k3k4;
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
	x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
	x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);
	while (len >= 16) {
		x2 = _mm_loadu_si128((const __m128i *)buf);
		x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
		x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
		x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
		buf += 16;
		len -= 16;
	}
	/* 128 bits to 64 */
	x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
	x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
	x0 = k5k0;
	x2 = _mm_srli_si128(x1, 4);
	x1 = _mm_and_si128(x1, mask);
	x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	/* Barrett reduction to 32 */
	x0 = poly;
	x2 = _mm_and_si128(x1, mask);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
	x2 = _mm_and_si128(x2, mask);
	x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
	x1 = _mm_xor_si128(x1, x2);
	return (uint32_t)_mm_extract_epi32(x1, 1);
}

static bool clmul_ok;
static pthread_once_t clmul_once = PTHREAD_ONCE_INIT;

static void clmul_detect(void)
{
	__builtin_cpu_init();
	clmul_ok = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}
#endif

/* The table-driven CRC alone (for the tests). */
uint32_t scan_crc32_tables(uint32_t crc, const void *buf, size_t len);

uint32_t scan_crc32(uint32_t crc, const void *buf, size_t len)
{
#ifdef HAVE_CLMUL
	pthread_once(&clmul_once, clmul_detect);
	if (clmul_ok && len >= 64) {
		size_t n = len & ~(size_t)15;
		crc = ~crc32_clmul(~crc, buf, n);
		return scan_crc32_tables(crc, (const uint8_t *)buf + n, len - n);
	}
#endif
	return scan_crc32_tables(crc, buf, len);
}

uint32_t scan_crc32_tables(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	pthread_once(&crc_once, crc_init);
	crc = ~crc;
	while (len >= 8) {
		uint32_t a = le32(p) ^ crc, b = le32(p + 4);
		crc = crc_table[7][a & 0xff] ^ crc_table[6][(a >> 8) & 0xff] ^
		      crc_table[5][(a >> 16) & 0xff] ^ crc_table[4][a >> 24] ^
		      crc_table[3][b & 0xff] ^ crc_table[2][(b >> 8) & 0xff] ^
		      crc_table[1][(b >> 16) & 0xff] ^ crc_table[0][b >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* ---- candidate search --------------------------------------------- */

static uint8_t fold(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

int scan_matcher_init(struct scan_matcher *m, const char *const *names, size_t n)
{
	memset(m, 0, sizeof *m);
	if (n == 0 || n > SCAN_MAX_MODULES)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t len = names[i] ? strlen(names[i]) : 0;
		if (len == 0 || len >= SCAN_MAX_NAME)
			return -1;
		for (size_t j = 0; j < len; j++)
			m->name[i][j] = (char)fold((uint8_t)names[i][j]);
		m->len[i] = len;
	}
	m->n = n;
	/* Anchor on a byte that is no letter (one byte value to look for,
	 * whatever the case) and is in every name: '.' for "x.dll". */
	static const char prefer[] = ".0123456789_-$";
	for (const char *a = prefer; *a; a++) {
		bool all = true;
		for (size_t i = 0; i < n && all; i++) {
			const char *q = strrchr(m->name[i], *a);
			if (!q)
				all = false;
			else
				m->dot[i] = (size_t)(q - m->name[i]);
		}
		if (all) {
			m->anchored = true;
			m->anchor = (uint8_t)*a;
			/* the bytes after the anchor common to all names ("dll"),
			 * checked first at each anchor byte found */
			size_t t = 0;
			for (;; t++) {
				char c = m->name[0][m->dot[0] + 1 + t];
				bool same = c != 0;
				for (size_t i = 1; i < n && same; i++)
					same = m->name[i][m->dot[i] + 1 + t] == c;
				if (!same)
					break;
			}
			m->tail = t;
			return 0;
		}
	}
	m->anchored = false;
	memset(m->dot, 0, sizeof m->dot);
	return 0;
}

/* The rule's matchers, built once whichever thread asks first: [0] the
 * search's six names, [1] with --extended-modules' two. */
static struct scan_matcher rule_matchers[2];
static bool rule_matchers_ok;
static pthread_once_t rule_matchers_once = PTHREAD_ONCE_INIT;

static void rule_matchers_init(void)
{
	rule_matchers_ok =
		scan_matcher_init(&rule_matchers[0], rule_modules, RULE_MODULE_COUNT) == 0 &&
		scan_matcher_init(&rule_matchers[1], rule_modules_extended,
				  RULE_EXTENDED_COUNT) == 0;
}

const struct scan_matcher *scan_rule_matcher_with(bool extended)
{
	pthread_once(&rule_matchers_once, rule_matchers_init);
	return rule_matchers_ok ? &rule_matchers[extended] : NULL;
}

const struct scan_matcher *scan_rule_matcher(void)
{
	return scan_rule_matcher_with(false);
}

const struct scan_matcher *scan_every_matcher_with(bool extended)
{
	static const struct scan_matcher every[2] = {
		{ .every = true, .names = &rule_matchers[0] },
		{ .every = true, .names = &rule_matchers[1] },
	};
	return scan_rule_matcher_with(extended) ? &every[extended] : NULL;
}

const struct scan_matcher *scan_every_matcher(void)
{
	return scan_every_matcher_with(false);
}

/* name i at buf[s..] as UTF-16LE, from the anchor outwards. */
static bool match16(const struct scan_matcher *m, size_t i, const uint8_t *s)
{
	const char *nm = m->name[i];
	for (size_t j = m->dot[i]; j < m->len[i]; j++)
		if (s[2 * j + 1] != 0 || fold(s[2 * j]) != (uint8_t)nm[j])
			return false;
	for (size_t j = 0; j < m->dot[i]; j++)
		if (s[2 * j + 1] != 0 || fold(s[2 * j]) != (uint8_t)nm[j])
			return false;
	return true;
}

static bool match8(const struct scan_matcher *m, size_t i, const uint8_t *s)
{
	const char *nm = m->name[i];
	for (size_t j = m->dot[i]; j < m->len[i]; j++)
		if (fold(s[j]) != (uint8_t)nm[j])
			return false;
	for (size_t j = 0; j < m->dot[i]; j++)
		if (fold(s[j]) != (uint8_t)nm[j])
			return false;
	return true;
}

static size_t add_hit(struct scan_hit *hits, size_t max, size_t count,
                      size_t off, size_t len, size_t mod, bool utf16)
{
	if (count < max) {
		hits[count].offset = (uint32_t)off;
		hits[count].length = (uint16_t)len;
		hits[count].module = (uint8_t)mod;
		hits[count].utf16 = utf16;
	}
	return count + 1;
}

/* Checks the names anchored at buf[pos]. */
static size_t check_at(const struct scan_matcher *m, const uint8_t *buf, size_t len,
                       size_t pos, struct scan_hit *hits, size_t max, size_t count)
{
	/* quick test of the shared tail ("dll" after the '.'), in either
	 * encoding: UTF-16LE needs buf[pos + 1 .. pos + 1 + 2 * tail],
	 * 8-bit text buf[pos + 1 .. pos + tail] */
	const char *tail = m->name[0] + m->dot[0] + 1;
	bool w16 = pos + 2 + 2 * m->tail <= len && buf[pos + 1] == 0;
	bool w8 = pos + 1 + m->tail <= len;
	for (size_t t = 0; t < m->tail && (w16 || w8); t++) {
		uint8_t c = (uint8_t)tail[t];
		if (w16 && (fold(buf[pos + 2 + 2 * t]) != c || buf[pos + 3 + 2 * t] != 0))
			w16 = false;
		if (w8 && fold(buf[pos + 1 + t]) != c)
			w8 = false;
	}
	if (!w16 && !w8)
		return count;
	for (size_t i = 0; i < m->n; i++) {
		size_t d = m->dot[i], l = m->len[i];
		/* as UTF-16LE: the anchor is the low byte of a code unit */
		if (w16 && pos >= 2 * d && pos - 2 * d + 2 * l <= len &&
		    match16(m, i, buf + pos - 2 * d))
			count = add_hit(hits, max, count, pos - 2 * d, 2 * l, i, true);
		/* as 8-bit text */
		if (w8 && pos >= d && pos - d + l <= len && match8(m, i, buf + pos - d))
			count = add_hit(hits, max, count, pos - d, l, i, false);
	}
	return count;
}

static size_t find(const struct scan_matcher *m, const uint8_t *buf, size_t len,
                   struct scan_hit *hits, size_t max, bool first_only)
{
	size_t count = 0;
	if (!m || !buf)
		return 0;
	if (m->anchored) {
		const uint8_t *p = buf, *end = buf + len;
		while (p < end) {
			const uint8_t *q = memchr(p, m->anchor, (size_t)(end - p));
			if (!q)
				break;
			count = check_at(m, buf, len, (size_t)(q - buf), hits, max, count);
			if (first_only && count)
				return count;
			p = q + 1;
		}
		return count;
	}
	/* No common anchor: try every name at every position. */
	for (size_t pos = 0; pos < len; pos++) {
		for (size_t i = 0; i < m->n; i++) {
			size_t l = m->len[i];
			if (fold(buf[pos]) != (uint8_t)m->name[i][0])
				continue;
			/* (dot[] is 0 for every name here: plain comparisons) */
			if (pos + 2 * l <= len && match16(m, i, buf + pos))
				count = add_hit(hits, max, count, pos, 2 * l, i, true);
			if (pos + l <= len && match8(m, i, buf + pos))
				count = add_hit(hits, max, count, pos, l, i, false);
		}
		if (first_only && count)
			return count;
	}
	return count;
}

size_t scan_find(const struct scan_matcher *m, const uint8_t *buf, size_t len,
                 struct scan_hit *hits, size_t max)
{
	return find(m, buf, len, hits, max, false);
}

bool scan_contains(const struct scan_matcher *m, const uint8_t *buf, size_t len)
{
	return find(m, buf, len, NULL, 0, true) > 0;
}

/* ---- records of one chunk ----------------------------------------- */

static bool all_zero(const uint8_t *p, size_t n)
{
	/* p[0] == 0 and p equal to p shifted by one byte */
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* libevtx_record_values_read_header: 1 ok, 0 a zero header, -1 bad. */
static int read_record_header(const uint8_t *chunk, size_t off, struct scan_record *r)
{
	if (off >= SCAN_CHUNK_SIZE)
		return -1;
	size_t rem = SCAN_CHUNK_SIZE - off;
	if (rem < SCAN_RECORD_HEADER_SIZE + 4)
		return -1;
	const uint8_t *p = chunk + off;
	if (all_zero(p, SCAN_RECORD_HEADER_SIZE))
		return 0;
	if (memcmp(p, record_sig, 4) != 0)
		return -1;
	uint32_t size = le32(p + 4);
	if (size < SCAN_RECORD_HEADER_SIZE || size > rem - 4)
		return -1;
	if (le32(p + size - 4) != size)
		return -1;
	r->offset = (uint32_t)off;
	r->size = size;
	r->id = le64(p + 8);
	r->written = (int64_t)le64(p + 16);
	r->candidate = false;
	r->named = false;
	r->refused = SCAN_RECORD_OK;
	r->eid7 = false;
	return 1;
}

/* Checks the header of a chunk that has the chunk signature, as
 * libevtx_chunk_read does; adds to *dmg what it finds. Returns false
 * when libevtx would fail the whole file over it (no records then). */
static bool check_chunk_header(const uint8_t *chunk, uint32_t *dmg)
{
	uint32_t header_size = le32(chunk + 40);
	uint32_t free_off = le32(chunk + 48);
	uint32_t rec_crc = le32(chunk + 52), hdr_crc = le32(chunk + 124);

	if (header_size != 128) {
		*dmg |= SCAN_DMG_HEADER_SIZE;
		return false;
	}
	uint32_t c = scan_crc32(0, chunk, 120);
	c = scan_crc32(c, chunk + 128, 384);
	if (c != hdr_crc)
		*dmg |= SCAN_DMG_HEADER_CRC;
	if (free_off < SCAN_CHUNK_HEADER_SIZE || free_off > SCAN_CHUNK_SIZE) {
		*dmg |= SCAN_DMG_FREE_SPACE;
		return false;
	}
	if (scan_crc32(0, chunk + SCAN_CHUNK_HEADER_SIZE, free_off - SCAN_CHUNK_HEADER_SIZE) != rec_crc)
		*dmg |= SCAN_DMG_RECORDS_CRC;
	return true;
}

/* The allocated records, from offset 512 while the offset is at most
 * the header's last record offset. Appends them to out[*n..]; returns
 * the offset where the walk stopped, where the slack scan starts. */
static size_t walk_allocated(const uint8_t *chunk, bool past_count_clean,
                             struct scan_record *out, size_t *n, uint32_t *dmg)
{
	uint64_t first_num = le64(chunk + 8), last_num = le64(chunk + 16);
	uint32_t last_off = le32(chunk + 44);
	size_t off = SCAN_CHUNK_HEADER_SIZE;
	uint16_t n_alloc = 0;
	int rc = 0;   /* libevtx's result: 0 when the loop never runs */
	uint64_t got = 0;
	struct scan_record r;

	while (off <= last_off) {
		rc = read_record_header(chunk, off, &r);
		if (rc != 1)
			break;
		r.kind = SCAN_REC_ALLOCATED;
		r.recovered = past_count_clean;
		r.image_index = n_alloc++;
		out[(*n)++] = r;
		got++;
		off += r.size;
	}
	if (rc != 1 && off <= last_off)
		*dmg |= SCAN_DMG_RECORD;
	if (first_num > last_num)
		*dmg |= SCAN_DMG_COUNT;
	else if (rc == 1 && got != last_num - first_num + 1)
		*dmg |= SCAN_DMG_COUNT;
	return off;
}

/* Whether the binary XML of the record r found at off starts the way
 * libevtx wants a recovered one to: a template instance token, or a
 * fragment header. */
static inline bool slack_binxml_ok(const uint8_t *chunk, size_t off, const struct scan_record *r)
{
	size_t xo = off + SCAN_RECORD_HEADER_SIZE;
	size_t xs = r->size > SCAN_RECORD_HEADER_SIZE + 4 ? r->size - (SCAN_RECORD_HEADER_SIZE + 4) : 0;
	if (xs >= 5 && chunk[xo] == 0x0a)
		return true;
	return xs >= 4 && chunk[xo] == 0x0f && chunk[xo + 1] == 0x01 &&
	       chunk[xo + 2] == 0x01 && chunk[xo + 3] == 0x00;
}

/* libevtx's slack scan, 4 bytes a step from off to the chunk's end.
 * Appends the recovered records to out[n..]; returns the new count. */
static size_t scan_slack(const uint8_t *chunk, size_t off, struct scan_record *out, size_t n)
{
	uint16_t n_slack = 0;
	struct scan_record r;

	while (off < SCAN_CHUNK_SIZE) {
		if (off + 4 <= SCAN_CHUNK_SIZE && chunk[off] == 0x2a &&
		    memcmp(chunk + off, record_sig, 4) == 0 &&
		    read_record_header(chunk, off, &r) == 1 &&
		    slack_binxml_ok(chunk, off, &r)) {
			r.kind = SCAN_REC_SLACK;
			r.recovered = true;
			r.image_index = n_slack++;
			out[n++] = r;
			off += r.size - 4;
		}
		off += 4;
	}
	return n;
}

size_t scan_chunk_records(const uint8_t *chunk, bool past_count_clean,
                          struct scan_record *out, uint32_t *damage)
{
	size_t n = 0;
	uint32_t dmg = 0;
	size_t off = 0;

	if (all_zero(chunk, SCAN_CHUNK_SIZE)) {
		*damage = 0;
		return 0;
	}
	if (memcmp(chunk, chunk_sig, 8) != 0) {
		dmg |= SCAN_DMG_MAGIC;
	} else {
		if (!check_chunk_header(chunk, &dmg)) {
			*damage = dmg;
			return 0;
		}
		off = walk_allocated(chunk, past_count_clean, out, &n, &dmg);
	}
	n = scan_slack(chunk, off, out, n);
	*damage = dmg;
	return n;
}

/* ---- Sysmon Event ID 7 template ----------------------------------- */

/* A template's attribute values are value text tokens: 0x05, type 0x01
 * (string), a 16-bit count of UTF-16 units, the units. Sysmon's image
 * loaded event (7) is the one template whose EventData names "Image"
 * right before "ImageLoaded" (the driver loaded event, 6, has
 * "ImageLoaded" after "UtcTime"). The names of a template are written
 * in the chunk once, in the first record that uses it, so this finds a
 * chunk where an Event ID 7 record was written, allocated or in slack. */
static const uint8_t eid7_loaded[] = {
	0x05, 0x01, 0x0b, 0x00, 'I', 0, 'm', 0, 'a', 0, 'g', 0, 'e', 0,
	'L', 0, 'o', 0, 'a', 0, 'd', 0, 'e', 0, 'd', 0
};
static const uint8_t eid7_image[] = {
	0x05, 0x01, 0x05, 0x00, 'I', 0, 'm', 0, 'a', 0, 'g', 0, 'e', 0
};
#define EID7_LOOKBACK 128

static bool has_eid7_template(const uint8_t *chunk, size_t len)
{
	const uint8_t *p = chunk, *end = chunk + len;
	while (p < end) {
		const uint8_t *q = memmem(p, (size_t)(end - p), eid7_loaded, sizeof eid7_loaded);
		if (!q)
			return false;
		const uint8_t *from = q - chunk > EID7_LOOKBACK ? q - EID7_LOOKBACK : chunk;
		if (memmem(from, (size_t)(q - from), eid7_image, sizeof eid7_image))
			return true;
		p = q + 1;
	}
	return false;
}

/* ---- Sysmon Event ID 7 records ------------------------------------ */

/* A record's binary XML (libfwevt's format): a fragment header (0f 01
 * 01 00; optional), a template instance token (0c), one byte, the template id
 * (u32), the offset of the template definition in the chunk (u32). When
 * that offset is where the instance ends, the definition follows
 * inline: next definition offset (u32), GUID (16), data size (u32), its
 * tokens. Then the instance's values: a count (u32), count descriptors
 * of (size u16, type u8, 0), and the values, back to back.
 *
 * A definition is parsed once per chunk (struct tcache): where in
 * Event/System the Provider's Name attribute and the EventID element's
 * content are, as text (decided there) or as a substitution index
 * (decided per record from its values). Windows writes Sysmon's System
 * with both as substitutions (3 EventID UInt16, 14 Provider Name
 * string) and EventData as a nested BinXml value; tests/evtxwrite does
 * the same; other writers may put the Provider's name in as text.
 *
 * libevtx counts a record only when it can read all of it, so a record
 * that looks like Event ID 7 is then checked the way libfwevt would
 * fail it: every value in bounds, and every nested BinXml value (type
 * 0x21, Sysmon's EventData) a template instance whose definition parses
 * and whose values do too. Recovered records often fail there (their
 * EventData refers to a definition overwritten since). Cost: a few
 * dozen bytes a record, one definition parse per template per chunk;
 * the full check only for the Event ID 7 ones. On the corpus this
 * agrees with libevtx 20181227 record for record. */

enum { TD_NONE, TD_TEXT_NO, TD_TEXT_YES, TD_SUBST };

struct tdef {
	bool ok;                /* parsed to its end-of-fragment token */
	uint8_t provider;       /* TD_*: System/Provider/@Name */
	uint8_t eventid;        /* TD_*: System/EventID */
	uint8_t computer;       /* TD_NONE, TD_SUBST or TD_TEXT_YES: System/Computer */
	uint16_t provider_index, eventid_index, computer_index;
	uint32_t computer_at;   /* TD_TEXT_YES: its UTF-16 text in the chunk, */
	uint16_t computer_units;   /* so many units */
	uint32_t size;          /* data size */
};

#define TCACHE_SLOTS 64     /* definitions remembered per chunk */

struct tcache {
	size_t n;
	uint32_t off[TCACHE_SLOTS];
	struct tdef def[TCACHE_SLOTS];
};

static const char sysmon_provider[] = "Microsoft-Windows-Sysmon";

/* Whether the n UTF-16LE units at p are the ASCII string s. */
static bool utf16_is(const uint8_t *p, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++, s++)
		if (!*s || p[2 * i] != (uint8_t)*s || p[2 * i + 1] != 0)
			return false;
	return *s == 0;
}

/* The name at chunk offset off (next u32, hash u16, units u16, units)
 * is s; false when out of the chunk. */
static bool name_is(const uint8_t *c, uint32_t off, const char *s)
{
	if ((uint64_t)off + 8 > SCAN_CHUNK_SIZE)
		return false;
	size_t n = le16(c + off + 6);
	if ((uint64_t)off + 8 + 2 * n > SCAN_CHUNK_SIZE)
		return false;
	return utf16_is(c + off + 8, n, s);
}

/* Skips a name written inline at *pos (it is when its offset is *pos);
 * false when it runs past end. */
static bool skip_inline_name(const uint8_t *c, uint32_t name_off, size_t *pos, size_t end)
{
	if (name_off != *pos)
		return true;
	if (*pos + 8 > end)
		return false;
	size_t n = le16(c + *pos + 6);
	*pos += 8 + 2 * n + 2;
	return *pos <= end;
}

/* An unsigned decimal number in n UTF-16LE units, or -1. */
static int64_t utf16_number(const uint8_t *p, size_t n)
{
	int64_t v = 0;
	if (n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[2 * i + 1] != 0 || p[2 * i] < '0' || p[2 * i] > '9')
			return -1;
		v = v * 10 + (p[2 * i] - '0');
	}
	return v;
}

enum { EL_OTHER, EL_EVENT, EL_SYSTEM, EL_PROVIDER, EL_EVENTID, EL_COMPUTER };
#define TD_MAX_DEPTH 64

/* Where tdef_parse is in a definition's tokens, c[pos..end). */
struct td_parser {
	const uint8_t *c;
	size_t pos, end;
	struct tdef *d;
	uint8_t stack[TD_MAX_DEPTH];   /* EL_* of the open elements */
	size_t depth;
	bool in_start;      /* between an element's name and its close start */
	bool provider_name; /* the attribute being read is Provider's Name */
	const uint64_t *vcost;   /* scan_record_check: each value's cost, */
	uint32_t nvals;          /*   nvals of them, summed per substitution */
	uint64_t subst_cost;     /*   into this; NULL when not costing */
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The EL_* of the innermost open element. */
static uint8_t td_top(const struct td_parser *p)
{
	return p->depth && p->depth <= TD_MAX_DEPTH ? p->stack[p->depth - 1] : EL_OTHER;
}

/* A token of size bytes at pos with a name offset (u32) at pos +
 * name_at: moves past it and past the name when it is written inline.
 * False when it runs past the end. */
static bool td_named_token(struct td_parser *p, size_t size, size_t name_at, uint32_t *name)
{
	if (p->pos + size > p->end)
		return false;
	*name = le32(p->c + p->pos + name_at);
	p->pos += size;
	return skip_inline_name(p->c, *name, &p->pos, p->end);
}

/* Which of the elements this parse looks for the name at chunk offset
 * name is, opened at the parser's depth. */
static uint8_t td_element_kind(const struct td_parser *p, uint32_t name)
{
	uint8_t top = td_top(p);
	if (p->depth == 0 && name_is(p->c, name, "Event"))
		return EL_EVENT;
	if (p->depth == 1 && top == EL_EVENT && name_is(p->c, name, "System"))
		return EL_SYSTEM;
	if (p->depth == 2 && top == EL_SYSTEM) {
		if (name_is(p->c, name, "Provider"))
			return EL_PROVIDER;
		if (name_is(p->c, name, "EventID"))
			return EL_EVENTID;
		if (name_is(p->c, name, "Computer"))
			return EL_COMPUTER;
	}
	return EL_OTHER;
}

/* Open start element (0x01, or 0x41 with an attribute list). */
static bool td_open_element(struct td_parser *p, uint8_t t)
{
	uint32_t name;
	if (!td_named_token(p, 11, 7, &name))
		return false;
	if (t == 0x41)
		p->pos += 4;   /* attribute list size */
	uint8_t kind = td_element_kind(p, name);
	if (p->depth < TD_MAX_DEPTH)
		p->stack[p->depth] = kind;
	p->depth++;
	p->in_start = true;
	p->provider_name = false;
	return true;
}

/* Close start element (0x02), or an element's end (0x03 empty, 0x04). */
static bool td_close(struct td_parser *p, bool ends_element)
{
	if (!p->depth)
		return false;
	if (ends_element)
		p->depth--;
	p->in_start = p->provider_name = false;
	p->pos++;
	return true;
}

static bool td_attribute(struct td_parser *p)
{
	uint32_t name;
	if (!p->in_start || !td_named_token(p, 5, 1, &name))
		return false;
	p->provider_name = td_top(p) == EL_PROVIDER && name_is(p->c, name, "Name");
	return true;
}

/* Value text: a string, deciding the Provider's name or the EventID
 * when it is theirs and they are not decided yet. */
static bool td_value_text(struct td_parser *p)
{
	const uint8_t *c = p->c;
	struct tdef *d = p->d;
	if (p->pos + 4 > p->end || c[p->pos + 1] != 0x01)
		return false;
	size_t n = le16(c + p->pos + 2);
	if (p->pos + 4 + 2 * n > p->end)
		return false;
	const uint8_t *s = c + p->pos + 4;
	if (p->provider_name && d->provider == TD_NONE)
		d->provider = utf16_is(s, n, sysmon_provider) ? TD_TEXT_YES : TD_TEXT_NO;
	else if (!p->in_start && td_top(p) == EL_EVENTID && d->eventid == TD_NONE)
		d->eventid = utf16_number(s, n) == 7 ? TD_TEXT_YES : TD_TEXT_NO;
	else if (!p->in_start && td_top(p) == EL_COMPUTER && d->computer == TD_NONE) {
		d->computer = TD_TEXT_YES;
		d->computer_at = (uint32_t)(p->pos + 4);
		d->computer_units = (uint16_t)n;
	}
	p->pos += 4 + 2 * n;
	return true;
}

/* Substitution (index u16, type u8): the same, left to the record. */
static bool td_substitution(struct td_parser *p)
{
	struct tdef *d = p->d;
	if (p->pos + 4 > p->end)
		return false;
	uint16_t idx = le16(p->c + p->pos + 1);
	if (p->provider_name && d->provider == TD_NONE) {
		d->provider = TD_SUBST;
		d->provider_index = idx;
	} else if (!p->in_start && td_top(p) == EL_EVENTID && d->eventid == TD_NONE) {
		d->eventid = TD_SUBST;
		d->eventid_index = idx;
	} else if (!p->in_start && td_top(p) == EL_COMPUTER && d->computer == TD_NONE) {
		d->computer = TD_SUBST;
		d->computer_index = idx;
	}
	if (p->vcost && idx < p->nvals)
		p->subst_cost = sat_add(p->subst_cost, p->vcost[idx]);
	p->pos += 4;
	return true;
}

/* One token; false when the parse ends there, at the end of the
 * fragment (d->ok says whether it closed every element) or on a token
 * it cannot read. */
static bool td_token(struct td_parser *p)
{
	uint32_t name;
	uint8_t t = p->c[p->pos];
	switch (t) {
	case 0x00:      /* end of fragment */
		p->d->ok = p->depth == 0;
		return false;
	case 0x0f:      /* fragment header */
		p->pos += 4;
		return true;
	case 0x01: case 0x41:     /* open start element */
		return td_open_element(p, t);
	case 0x02:                /* close start element */
		return td_close(p, false);
	case 0x03:                /* close empty element */
	case 0x04:                /* end element */
		return td_close(p, true);
	case 0x06: case 0x46:     /* attribute */
		return td_attribute(p);
	case 0x05: case 0x45:     /* value text */
		return td_value_text(p);
	case 0x0d: case 0x0e:     /* substitution */
		return td_substitution(p);
	case 0x07: case 0x47:     /* CDATA */
	case 0x0b:                /* PI data */
		if (p->pos + 3 > p->end)
			return false;
		p->pos += 3 + 2 * (size_t)le16(p->c + p->pos + 1);
		return true;
	case 0x08: case 0x48:     /* character reference */
		p->pos += 3;
		return true;
	case 0x09: case 0x49:     /* entity reference */
	case 0x0a:                /* PI target */
		return td_named_token(p, 5, 1, &name);
	default:
		return false;
	}
}

/* Parses the definition at chunk offset off. With vcost (n values'
 * costs), returns what its substitutions cost; else 0. */
static uint64_t tdef_parse_costing(const uint8_t *c, uint32_t off, struct tdef *d,
                                   const uint64_t *vcost, uint32_t n)
{
	memset(d, 0, sizeof *d);
	if ((uint64_t)off + 24 > SCAN_CHUNK_SIZE)
		return 0;
	d->size = le32(c + off + 20);
	size_t pos = (size_t)off + 24;
	if ((uint64_t)pos + d->size > SCAN_CHUNK_SIZE)
		return 0;
	struct td_parser p = { .c = c, .pos = pos, .end = pos + d->size, .d = d,
	                       .vcost = vcost, .nvals = n };
	while (p.pos < p.end && td_token(&p))
		;
	return p.subst_cost;
}

static void tdef_parse(const uint8_t *c, uint32_t off, struct tdef *d)
{
	tdef_parse_costing(c, off, d, NULL, 0);
}

static const struct tdef *tdef_get(const uint8_t *c, uint32_t off, struct tcache *tc,
                                   struct tdef *tmp)
{
	if (tc) {
		for (size_t i = 0; i < tc->n; i++)
			if (tc->off[i] == off)
				return &tc->def[i];
		if (tc->n < TCACHE_SLOTS) {
			tc->off[tc->n] = off;
			tdef_parse(c, off, &tc->def[tc->n]);
			return &tc->def[tc->n++];
		}
	}
	tdef_parse(c, off, tmp);
	return tmp;
}

#define FRAGMENT_MAX_DEPTH 8

/* A fragment header (0f 01 01 00; a nested BinXml value may go without)
 * and a template instance token at c[*pos..end): moves *pos past them,
 * to where an inline definition would be; the definition's offset is
 * the u32 before it. */
static bool instance_head(const uint8_t *c, size_t *pos, size_t end)
{
	size_t p = *pos;
	if (p + 4 <= end && c[p] == 0x0f) {
		if (c[p + 1] != 0x01 || c[p + 2] != 0x01 || c[p + 3] != 0x00)
			return false;
		p += 4;
	}
	if (p + 10 > end || c[p] != 0x0c)
		return false;
	*pos = p + 10;
	return true;
}

/* The definition of the template instance at c[*pos..end) (see
 * instance_head), parsed or from tc, when it reads to its end; *pos
 * moves past the instance and past the definition when it is inline,
 * to the instance's values. NULL when any of that fails. */
static const struct tdef *instance_def(const uint8_t *c, size_t *pos, size_t end,
                                       struct tcache *tc, struct tdef *tmp)
{
	if (!instance_head(c, pos, end))
		return NULL;
	uint32_t def_off = le32(c + *pos - 4);
	const struct tdef *d = tdef_get(c, def_off, tc, tmp);
	if (!d->ok)
		return NULL;
	if (def_off == *pos) {
		*pos += 24 + (size_t)d->size;    /* the definition, inline */
		if (*pos > end)
			return NULL;
	}
	return d;
}

/* The values of a template instance: count descriptors of (size u16,
 * type u8, 0), then the values back to back from first. */
struct values {
	uint32_t count;
	const uint8_t *desc;
	size_t first;
};

/* Reads the count at c[pos..end) and places the descriptors; false
 * when they do not fit before end. */
static bool values_head(const uint8_t *c, size_t pos, size_t end, struct values *v)
{
	if (pos + 4 > end)
		return false;
	v->count = le32(c + pos);
	pos += 4;
	if (v->count > (end - pos) / 4)
		return false;
	v->desc = c + pos;
	v->first = pos + 4 * (size_t)v->count;
	return true;
}

static bool values_ok(const uint8_t *c, size_t pos, size_t end, struct tcache *tc, int depth);

/* A BinXml value (type 0x21) at c[pos..end): a fragment header and a
 * template instance whose definition and values read. libevtx fails a
 * record whose nested fragment does not: a recovered Sysmon record's
 * EventData often refers to a definition overwritten since. */
static bool fragment_ok(const uint8_t *c, size_t pos, size_t end, struct tcache *tc, int depth)
{
	struct tdef tmp;
	if (depth > FRAGMENT_MAX_DEPTH || !instance_def(c, &pos, end, tc, &tmp))
		return false;
	return values_ok(c, pos, end, tc, depth);
}

/* A template instance's values at c[pos..end): descriptors and values in
 * bounds, nested BinXml values readable. */
static bool values_ok(const uint8_t *c, size_t pos, size_t end, struct tcache *tc, int depth)
{
	struct values v;
	if (!values_head(c, pos, end, &v))
		return false;
	size_t voff = v.first;
	for (uint32_t i = 0; i < v.count; i++) {
		size_t sz = le16(v.desc + 4 * i);
		if (sz > end - voff)
			return false;
		if (v.desc[4 * i + 2] == 0x21 && !fragment_ok(c, voff, voff + sz, tc, depth + 1))
			return false;
		voff += sz;
	}
	return true;
}

/* One value of an instance: where it is, its size and type. */
struct value {
	size_t at, size;
	uint8_t type;
};

/* Finds the values the definition d takes the provider's name and the
 * event identifier from (those it substitutes), each in bounds before
 * end; false when the instance has too few or they run past end. */
static bool eid7_values(const struct tdef *d, const struct values *v, size_t end,
                        struct value *provider, struct value *eventid)
{
	uint32_t need = 0;
	if (d->provider == TD_SUBST)
		need = d->provider_index + 1u;
	if (d->eventid == TD_SUBST && d->eventid_index + 1u > need)
		need = d->eventid_index + 1u;
	if (need > v->count)
		return false;
	size_t voff = v->first;
	for (uint32_t i = 0; i < need; i++) {
		struct value here = { voff, le16(v->desc + 4 * i), v->desc[4 * i + 2] };
		if (here.size > end - voff)
			return false;
		if (i == d->provider_index)
			*provider = here;
		if (i == d->eventid_index)
			*eventid = here;
		voff += here.size;
	}
	return true;
}

/* Whether a substituted provider name is Sysmon's: a string, maybe
 * with a terminating NUL. */
static bool value_is_sysmon(const uint8_t *c, const struct value *p)
{
	if (p->type != 0x01 || p->size % 2)
		return false;
	size_t n = p->size / 2;
	while (n && le16(c + p->at + 2 * (n - 1)) == 0)
		n--;    /* a terminating NUL */
	return utf16_is(c + p->at, n, sysmon_provider);
}

/* Whether a substituted event identifier is an integer of its type's
 * size equal to 7. */
static bool value_is_seven(const uint8_t *c, const struct value *e)
{
	uint64_t v;
	const uint8_t *q = c + e->at;
	switch (e->type) {
	case 0x03: case 0x04:                   /* Int8, UInt8 */
		if (e->size != 1) return false;
		v = q[0];
		break;
	case 0x05: case 0x06:                   /* Int16, UInt16 */
		if (e->size != 2) return false;
		v = le16(q);
		break;
	case 0x07: case 0x08: case 0x14:        /* Int32, UInt32, HexInt32 */
		if (e->size != 4) return false;
		v = le32(q);
		break;
	case 0x09: case 0x0a: case 0x15:        /* Int64, UInt64, HexInt64 */
		if (e->size != 8) return false;
		v = le64(q);
		break;
	default:
		return false;
	}
	return v == 7;
}

static bool record_eid7(const uint8_t *c, const struct scan_record *r, struct tcache *tc)
{
	if (r->size < SCAN_RECORD_HEADER_SIZE + 4 ||
	    (uint64_t)r->offset + r->size > SCAN_CHUNK_SIZE)
		return false;
	size_t pos = (size_t)r->offset + SCAN_RECORD_HEADER_SIZE;
	size_t end = (size_t)r->offset + r->size - 4;   /* before the size copy */
	struct tdef tmp;
	const struct tdef *d = instance_def(c, &pos, end, tc, &tmp);
	if (!d || d->provider == TD_NONE || d->provider == TD_TEXT_NO ||
	    d->eventid == TD_NONE || d->eventid == TD_TEXT_NO)
		return false;
	struct values v;
	struct value provider = { 0 }, eventid = { 0 };
	if (!values_head(c, pos, end, &v) ||
	    !eid7_values(d, &v, end, &provider, &eventid))
		return false;
	if (d->provider == TD_SUBST && !value_is_sysmon(c, &provider))
		return false;
	if (d->eventid == TD_SUBST && !value_is_seven(c, &eventid))
		return false;
	/* a Sysmon Event ID 7 record, if libevtx can read it all */
	return values_ok(c, pos, end, tc, 0);
}

bool scan_record_is_sysmon_eid7(const uint8_t *chunk, const struct scan_record *r)
{
	return chunk && r && record_eid7(chunk, r, NULL);
}

/* ---- records by their values (the process story) ------------------ */

/* Whether a template instance's values at c[pos..end), nested BinXml
 * values included (to FRAGMENT_MAX_DEPTH), hold one f wants. Reads only
 * what is in bounds; a malformed instance holds nothing. */
static bool values_wanted(const uint8_t *c, size_t pos, size_t end, struct tcache *tc,
			  const struct scan_value_filter *f, int depth)
{
	struct values v;
	if (!values_head(c, pos, end, &v))
		return false;
	size_t voff = v.first;
	for (uint32_t i = 0; i < v.count; i++) {
		size_t sz = le16(v.desc + 4 * i);
		uint8_t type = v.desc[4 * i + 2];
		if (sz > end - voff)
			return false;
		if (type == 0x0f && sz == 16 && f->guid && f->guid(f->ctx, c + voff))
			return true;
		if (type == 0x01 && sz >= 2 && f->text) {
			size_t units = sz / 2;
			while (units && le16(c + voff + 2 * (units - 1)) == 0)
				units--;
			if (f->text(f->ctx, c + voff, units))
				return true;
		}
		if (type == 0x21 && depth < FRAGMENT_MAX_DEPTH) {
			struct tdef tmp;
			size_t p = voff;
			if (instance_def(c, &p, voff + sz, tc, &tmp) &&
			    values_wanted(c, p, voff + sz, tc, f, depth + 1))
				return true;
		}
		voff += sz;
	}
	return false;
}

static bool record_wanted(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
			  const struct scan_value_filter *f)
{
	if (r->size < SCAN_RECORD_HEADER_SIZE + 4 ||
	    (uint64_t)r->offset + r->size > SCAN_CHUNK_SIZE)
		return false;
	size_t pos = (size_t)r->offset + SCAN_RECORD_HEADER_SIZE;
	size_t end = (size_t)r->offset + r->size - 4;
	struct tdef tmp;
	if (!instance_def(c, &pos, end, tc, &tmp))
		return false;
	return values_wanted(c, pos, end, tc, f, 0);
}

bool scan_record_candidate(const struct scan_matcher *m, const uint8_t *chunk,
			   const struct scan_record *r)
{
	if (m->values)
		return record_wanted(chunk, r, NULL, m->values);
	return m->every || scan_contains(m, chunk + r->offset, r->size);
}

/* ---- the host a record names -------------------------------------- */

/* Where record r's System/Computer is, as UTF-16LE in the chunk: *at and
 * *units; false when its template has none, or it is no string, or out
 * of bounds. A trailing NUL is not part of it. */
static bool record_computer(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
			    size_t *at, size_t *units)
{
	if (r->size < SCAN_RECORD_HEADER_SIZE + 4 ||
	    (uint64_t)r->offset + r->size > SCAN_CHUNK_SIZE)
		return false;
	size_t pos = (size_t)r->offset + SCAN_RECORD_HEADER_SIZE;
	size_t end = (size_t)r->offset + r->size - 4;
	struct tdef tmp;
	const struct tdef *d = instance_def(c, &pos, end, tc, &tmp);
	if (!d || d->computer == TD_NONE)
		return false;
	if (d->computer == TD_TEXT_YES) {
		*at = d->computer_at;
		*units = d->computer_units;
		return true;
	}
	struct values v;
	if (!values_head(c, pos, end, &v) || d->computer_index >= v.count)
		return false;
	size_t voff = v.first;
	for (uint32_t i = 0; i < d->computer_index; i++) {
		voff += le16(v.desc + 4 * i);
		if (voff > end)
			return false;
	}
	size_t size = le16(v.desc + 4 * d->computer_index);
	if (v.desc[4 * d->computer_index + 2] != 0x01 || size % 2 || size > end - voff)
		return false;
	size_t n = size / 2;
	while (n && le16(c + voff + 2 * (n - 1)) == 0)
		n--;
	*at = voff;
	*units = n;
	return true;
}

/* n UTF-16LE units at p as UTF-8 into out (size bytes, NUL-terminated,
 * cut at a character boundary); an unpaired surrogate becomes U+FFFD. */
static void utf16_to_utf8(const uint8_t *p, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t u = le16(p + 2 * i);
		if (u >= 0xd800 && u < 0xdc00 && i + 1 < n) {
			uint32_t lo = le16(p + 2 * i + 2);
			if (lo >= 0xdc00 && lo < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			}
		}
		if (u >= 0xd800 && u < 0xe000)
			u = 0xfffd;
		char b[4];
		size_t k = u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
		if (k == 1) {
			b[0] = (char)u;
		} else {
			for (size_t j = k - 1; j > 0; j--, u >>= 6)
				b[j] = (char)(0x80 | (u & 0x3f));
			b[0] = (char)((k == 2 ? 0xc0 : k == 3 ? 0xe0 : 0xf0) | u);
		}
		if (o + k >= size)
			break;
		memcpy(out + o, b, k);
		o += k;
	}
	out[o] = '\0';
}

/* ---- what rendering a record costs -------------------------------- */

/* What a value of size bytes costs where it is substituted, when it is
 * no BinXml value. */
static uint64_t plain_cost(size_t size)
{
	return 4 * (uint64_t)size + 16;
}

/* Whether the instance's values, from the count at c[pos], run past the
 * chunk's end: libevtx 20181227 reads the value descriptors from its
 * 64 KiB chunk buffer without checking that they end inside it (a heap
 * over-read: a crash, or whatever bytes lie beyond). */
static bool runs_outside(const uint8_t *c, size_t pos)
{
	if ((uint64_t)pos + 4 > SCAN_CHUNK_SIZE)
		return true;
	uint64_t count = le32(c + pos);
	uint64_t voff = (uint64_t)pos + 4 + 4 * count;
	if (voff > SCAN_CHUNK_SIZE)
		return true;
	for (uint64_t i = 0; i < count; i++)
		voff += le16(c + pos + 4 + 4 * i);
	return voff > SCAN_CHUNK_SIZE;
}

/* What rendering the template instance at c[pos..end) costs (see
 * scan_record_check): each of its values is costed once, then the
 * definition's substitutions add up the costs of the values they name.
 * Sets *why when the instance is to be refused. */
static uint64_t instance_cost(const uint8_t *c, size_t pos, size_t end, int depth,
			      enum scan_refusal *why)
{
	size_t start = pos;
	struct tdef d;
	if (depth > SCAN_NEST_MAX) {
		*why = SCAN_REFUSED_EXPANSION;
		return UINT64_MAX;
	}
	if (!instance_head(c, &pos, end))
		return plain_cost(end - start);
	uint32_t def_off = le32(c + pos - 4);
	tdef_parse(c, def_off, &d);
	if (def_off == pos)
		pos += 24 + (size_t)d.size;
	if (runs_outside(c, pos)) {
		*why = SCAN_REFUSED_BOUNDS;
		return 0;
	}
	struct values v;
	if (!d.ok || pos > end || !values_head(c, pos, end, &v))
		return plain_cost(end - start);
	uint64_t *vcost = calloc(v.count ? v.count : 1, sizeof *vcost);
	if (!vcost) {
		*why = SCAN_REFUSED_EXPANSION;   /* cannot tell */
		return UINT64_MAX;
	}
	size_t voff = v.first;
	for (uint32_t i = 0; i < v.count && *why == SCAN_RECORD_OK; i++) {
		size_t sz = le16(v.desc + 4 * i);
		if (sz > end - voff)
			break;     /* libevtx fails the record: cost what is here */
		vcost[i] = v.desc[4 * i + 2] == 0x21
			   ? instance_cost(c, voff, voff + sz, depth + 1, why) : plain_cost(sz);
		voff += sz;
	}
	uint64_t cost = UINT64_MAX;
	if (*why == SCAN_RECORD_OK)
		cost = sat_add(d.size, tdef_parse_costing(c, def_off, &d, vcost, v.count));
	free(vcost);
	return cost;
}

enum scan_refusal scan_record_check(const uint8_t *chunk, const struct scan_record *r,
				    uint64_t *cost)
{
	enum scan_refusal why = SCAN_RECORD_OK;
	uint64_t c = 0;
	if (chunk && r && r->size >= SCAN_RECORD_HEADER_SIZE + 4 &&
	    (uint64_t)r->offset + r->size <= SCAN_CHUNK_SIZE) {
		size_t pos = (size_t)r->offset + SCAN_RECORD_HEADER_SIZE;
		size_t end = (size_t)r->offset + r->size - 4;
		c = instance_cost(chunk, pos, end, 0, &why);
	}
	if (why == SCAN_RECORD_OK && c > SCAN_EXPAND_MAX)
		why = SCAN_REFUSED_EXPANSION;
	if (cost)
		*cost = c;
	return why;
}

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

/* Marks the records holding a hit; returns how many. *outside: hits
 * in no record (in slack no record header leads to, or in a chunk
 * libevtx cannot walk). Records are in ascending offsets, apart. */
static size_t mark_candidates(const struct scan_matcher *m, struct work *w, size_t n,
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
			r->candidate = r->named = !r->eid7 &&
				record_wanted(w->chunk, r, &w->tc, m->values);
			nc += r->candidate;
		}
		return nc;
	}
	if (m->every) {
		/* every record is parsed; which hold a name still matters */
		mark_candidates(m->names, w, n, outside);
		for (size_t i = 0; i < n; i++)
			w->recs[i].candidate = true;
		return n;
	}
	size_t nh = find(m, w->chunk, SCAN_CHUNK_SIZE, w->hits, MAX_HITS, false);
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
};

/* Adds the Computer record r names to res->computer (see scan.h). */
static void note_computer(struct scan_run *run, const uint8_t *c, const struct scan_record *r,
			  struct tcache *tc)
{
	struct scan_result *res = run->res;
	size_t at, units;
	if (!record_computer(c, r, tc, &at, &units))
		return;
	size_t bytes = 2 * units < sizeof run->host ? 2 * units : sizeof run->host;
	if (bytes == run->host_len && memcmp(run->host, c + at, bytes) == 0)
		return;
	memcpy(run->host, c + at, bytes);
	run->host_len = bytes;
	char name[SCAN_COMPUTER_MAX];
	utf16_to_utf8(c + at, units, name, sizeof name);
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
	if (res->first_time == TIME_NONE || r->written < res->first_time)
		res->first_time = r->written;
	if (res->last_time == TIME_NONE || r->written > res->last_time)
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
 * one, and counts them as libevtx does. */
static void count_records(struct scan_run *run, size_t n)
{
	struct scan_result *res = run->res;
	struct work *w = run->w;
	w->tc.n = 0;    /* template definitions are chunk-local */
	for (size_t i = 0; i < n; i++) {
		struct scan_record *r = &w->recs[i];
		r->eid7 = record_eid7(w->chunk, r, &w->tc);
		if (!r->recovered) {
			count_allocated(run, r);
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
	    has_eid7_template(chunk + SCAN_CHUNK_HEADER_SIZE, alloc_end - SCAN_CHUNK_HEADER_SIZE)) {
		res->eid7_template = true;
		res->eid7_template_chunks++;
	} else if (!res->eid7_template_slack &&
	           has_eid7_template(chunk + alloc_end, SCAN_CHUNK_SIZE - alloc_end)) {
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
	size_t nc = mark_candidates(run->m, w, n, &res->hits_outside_records);
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
	free(run->w);
	run->w = NULL;
	return ret;
}

int scan_file(int fd, struct scan_result *res, scan_chunk_fn on_chunk, void *ctx)
{
	return scan_file_with(fd, NULL, res, on_chunk, ctx);
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

int scan_source(struct source *src, struct scan_result *res, scan_chunk_fn on_chunk,
                void *ctx)
{
	return scan_source_with(src, NULL, res, on_chunk, ctx);
}

int scan_source_with(struct source *src, const struct scan_matcher *m,
                     struct scan_result *res, scan_chunk_fn on_chunk, void *ctx)
{
	memset(res, 0, sizeof *res);
	res->first_time = res->last_time = TIME_NONE;
	if (!m)
		m = scan_rule_matcher();
	if (!m) {
		snprintf(res->error, sizeof res->error, "bad module name list");
		return -1;
	}
	struct scan_run run = { .m = m, .res = res, .on_chunk = on_chunk, .ctx = ctx };
	run.src = (struct src){ .s = src, .h = &run.h };
	if (scan_start(&run) != 0)
		return -1;
	return scan_end(&run, scan_stream(&run));
}

/* ---- one chunk through libevtx ------------------------------------ */

void chunk_image_build(uint8_t *image, const uint8_t *chunk)
{
	memset(image, 0, SCAN_FILE_HEADER_SIZE);
	memcpy(image, file_sig, 8);
	put64(image + 8, 0);                  /* first chunk number */
	put64(image + 16, 0);                 /* last chunk number */
	uint64_t next_id = 1;
	if (memcmp(chunk, chunk_sig, 8) == 0)
		next_id = le64(chunk + 32) + 1;   /* last record id + 1 */
	put64(image + 24, next_id);
	put32(image + 32, 128);               /* header size */
	put16(image + 36, 1);                 /* minor version */
	put16(image + 38, 3);                 /* major version */
	put16(image + 40, SCAN_FILE_HEADER_SIZE);
	put16(image + 42, 1);                 /* number of chunks */
	put32(image + 120, 0);                /* flags: clean */
	put32(image + 124, scan_crc32(0, image, 120));
	memcpy(image + SCAN_FILE_HEADER_SIZE, chunk, SCAN_CHUNK_SIZE);
}

static void lib_err(libevtx_error_t **e, const char *what, char *err, size_t errsz)
{
	if (err && errsz) {
		char msg[256] = "";
		if (e && *e)
			libevtx_error_sprint(*e, msg, sizeof msg);
		snprintf(err, errsz, "%s%s%s", what, *msg ? ": " : "", msg);
	}
	if (e && *e)
		libevtx_error_free(e);
}

int chunk_open_libevtx(const uint8_t *chunk, size_t size, libevtx_file_t **file,
                       libbfio_handle_t **bfio, uint8_t **image, char *err, size_t errsz)
{
	libevtx_error_t *e = NULL;
	libbfio_error_t *be = NULL;

	*file = NULL;
	*bfio = NULL;
	*image = NULL;
	if (!chunk || size != SCAN_CHUNK_SIZE) {
		if (err && errsz)
			snprintf(err, errsz, "a chunk is %u bytes, not %zu", SCAN_CHUNK_SIZE, size);
		return -1;
	}
	*image = malloc(CHUNK_IMAGE_SIZE);
	if (!*image) {
		if (err && errsz)
			snprintf(err, errsz, "out of memory");
		return -1;
	}
	chunk_image_build(*image, chunk);
	if (libbfio_memory_range_initialize(bfio, &be) != 1 ||
	    libbfio_memory_range_set(*bfio, *image, CHUNK_IMAGE_SIZE, &be) != 1) {
		if (be)
			libbfio_error_free(&be);
		if (err && errsz)
			snprintf(err, errsz, "libbfio memory range failed");
		goto fail;
	}
	if (libevtx_file_initialize(file, &e) != 1) {
		lib_err(&e, "libevtx_file_initialize", err, errsz);
		goto fail;
	}
	if (libevtx_file_open_file_io_handle(*file, *bfio, LIBEVTX_OPEN_READ, &e) != 1) {
		lib_err(&e, "libevtx cannot open the chunk", err, errsz);
		goto fail;
	}
	return 0;
fail:
	chunk_close_libevtx(file, bfio, image);
	return -1;
}

void chunk_close_libevtx(libevtx_file_t **file, libbfio_handle_t **bfio, uint8_t **image)
{
	if (file && *file) {
		libevtx_file_close(*file, NULL);
		libevtx_file_free(file, NULL);
		*file = NULL;
	}
	if (bfio && *bfio) {
		libbfio_handle_free(bfio, NULL);
		*bfio = NULL;
	}
	if (image && *image) {
		free(*image);
		*image = NULL;
	}
}
