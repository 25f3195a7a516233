/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests for scan: the byte-level EVTX pass.
 *
 * Synthetic chunks and buffers test the candidate search and the record
 * walk against hostile input; the real corpus (../shared/corpus, see its
 * README.md) tests the walk against libevtx 20181227 itself: the counts
 * in MANIFEST.tsv, and for every chunk, opening it alone through
 * chunk_open_libevtx gives the records libevtx gives for the whole file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "rule.h"
#include "scan.h"
#include "timefmt.h"

/* The search's six module names (docs/detection.md), matched as the
 * rule hands them to the pre-filter (detect/rules.c: rules_matcher); this
 * test links no part of the rule. */
static const char *const six_names[RULE_MODULE_COUNT] = {
	"cryptpak.dll", "htctl32.dll", "pcicapi.dll",
	"pcichek.dll", "pcicl32.dll", "tcctl32.dll",
};

static const struct scan_matcher *six(void)
{
	static struct scan_matcher m;
	static bool built;
	if (!built) {
		assert_int_equal(scan_matcher_init(&m, six_names, RULE_MODULE_COUNT), 0);
		built = true;
	}
	return &m;
}

/* ---- helpers ------------------------------------------------------ */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Writes s as UTF-16LE at p; returns bytes written. */
static size_t put_utf16(uint8_t *p, const char *s)
{
	size_t n = 0;
	for (; *s; s++) {
		p[n++] = (uint8_t)*s;
		p[n++] = 0;
	}
	return n;
}

static void fix_chunk_crcs(uint8_t *c)
{
	uint32_t free_off = get32(c + 48);
	if (free_off >= 512 && free_off <= SCAN_CHUNK_SIZE)
		put32(c + 52, scan_crc32(0, c + 512, free_off - 512));
	uint32_t h = scan_crc32(0, c, 120);
	put32(c + 124, scan_crc32(h, c + 128, 384));
}

/* A record at c + off of size bytes: header, a fragment header token
 * (0f 01 01 00), zeros, the size copy. */
static void put_record(uint8_t *c, size_t off, uint32_t size, uint64_t id)
{
	memset(c + off, 0, size);
	c[off] = 0x2a; c[off + 1] = 0x2a;
	put32(c + off + 4, size);
	put64(c + off + 8, id);
	put64(c + off + 16, 132000000000000000ull + id);
	c[off + 24] = 0x0f; c[off + 25] = 0x01; c[off + 26] = 0x01; c[off + 27] = 0x00;
	if (size >= 100) {
		/* a template instance (0c, 1, id) whose definition follows
		 * inline (its offset is where the instance ends): next
		 * definition, GUID, data size 29, the data (a fragment header,
		 * an empty element <E/> whose name is inline, the end), then
		 * no values and the end of the document. libfwevt reads it, and
		 * the scanner can follow it, so the record is a candidate only
		 * where a name is. */
		size_t e = off + 66;     /* the element: 01, dependency, size, name */
		c[off + 28] = 0x0c;
		c[off + 29] = 0x01;
		put32(c + off + 30, (uint32_t)id);
		put32(c + off + 34, (uint32_t)(off + 38));
		put32(c + off + 58, 29);
		memcpy(c + off + 62, "\x0f\x01\x01\x00", 4);
		c[e] = 0x01;
		c[e + 1] = 0xff; c[e + 2] = 0xff;
		put32(c + e + 3, 17);               /* to the end of the 03 below */
		put32(c + e + 7, (uint32_t)(e + 11));
		c[e + 11 + 6] = 1;                  /* the name: one unit, 'E', a NUL */
		c[e + 11 + 8] = 'E';
		c[e + 23] = 0x03;                   /* close empty */
		c[e + 24] = 0x00;                   /* end of the fragment */
		put32(c + off + 91, 0);             /* no values; then 00, the end */
	}
	put32(c + off + size - 4, size);
}

/* A chunk of n records of size bytes each, ids from first_id on. */
static void make_chunk(uint8_t *c, int n, uint32_t size, uint64_t first_id)
{
	size_t off = 512, last = 512;
	memset(c, 0, SCAN_CHUNK_SIZE);
	memcpy(c, "ElfChnk", 8);
	for (int i = 0; i < n; i++) {
		put_record(c, off, size, first_id + (uint64_t)i);
		last = off;
		off += size;
	}
	put64(c + 8, first_id);
	put64(c + 16, first_id + (uint64_t)n - 1);
	put64(c + 24, first_id);
	put64(c + 32, first_id + (uint64_t)n - 1);
	put32(c + 40, 128);
	put32(c + 44, (uint32_t)last);
	put32(c + 48, (uint32_t)off);
	fix_chunk_crcs(c);
}

static void make_file_header(uint8_t *h, uint16_t chunks, uint32_t flags)
{
	memset(h, 0, SCAN_FILE_HEADER_SIZE);
	memcpy(h, "ElfFile", 8);
	put64(h + 16, chunks ? chunks - 1u : 0);
	put64(h + 24, 1000);
	put32(h + 32, 128);
	h[36] = 1; h[38] = 3;
	h[40] = 0x00; h[41] = 0x10;              /* 4096 */
	h[42] = (uint8_t)chunks; h[43] = (uint8_t)(chunks >> 8);
	put32(h + 120, flags);
	put32(h + 124, scan_crc32(0, h, 120));
}

static void sha256_hex(const uint8_t *p, size_t n, char out[65])
{
	uint8_t md[32];
	unsigned int len = 0;
	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

/* Scans n bytes through a temporary file; checks the hash. */
static int scan_bytes(const uint8_t *p, size_t n, struct scan_result *res,
                      scan_chunk_fn fn, void *ctx)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(p, 1, n, f), n);
	fflush(f);
	int fd = fileno(f);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	int rc = scan_file_with(fd, six(), res, fn, ctx);
	fclose(f);
	if (rc == 0) {
		assert_int_equal(res->file_size, n);
		char want[65];
		sha256_hex(p, n, want);
		assert_string_equal(res->sha256, want);
	}
	return rc;
}

/* ---- CRC ---------------------------------------------------------- */

static void test_crc32(void **state)
{
	(void)state;
	assert_int_equal(scan_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(scan_crc32(0, "", 0), 0);
	/* the wide path (64 bytes and more) agrees with byte-at-a-time */
	uint8_t buf[5000];
	srand(7);
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)rand();
	for (size_t len = 0; len < sizeof buf; len += 37) {
		uint32_t slow = 0;
		for (size_t i = 0; i < len; i++)
			slow = scan_crc32(slow, buf + i, 1);
		assert_int_equal(scan_crc32(0, buf, len), slow);
		assert_int_equal(scan_crc32(scan_crc32(0, buf, len / 3), buf + len / 3, len - len / 3), slow);
	}
}

/* ---- candidate search -------------------------------------------- */

static void fill_noise(uint8_t *p, size_t n, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)rand();
		p[i] = c;
	}
}

static void test_find_utf16_mixed_case(void **state)
{
	(void)state;
	const struct scan_matcher *m = six();
	assert_non_null(m);
	uint8_t buf[4096];
	struct scan_hit hits[8];
	fill_noise(buf, sizeof buf, 1);
	size_t at = 1001;
	size_t n = put_utf16(buf + at, "C:\\Program Files (x86)\\NetSupport\\PcIcL32.DlL");
	size_t name_at = at + n - 2 * strlen("pcicl32.dll");
	size_t k = scan_find(m, buf, sizeof buf, hits, 8);
	assert_true(k >= 1);
	bool seen = false;
	for (size_t i = 0; i < k && i < 8; i++)
		if (hits[i].offset == name_at && hits[i].utf16 && hits[i].length == 22 &&
		    strcmp(six_names[hits[i].module], "pcicl32.dll") == 0)
			seen = true;
	assert_true(seen);
	assert_true(scan_contains(m, buf, sizeof buf));
	/* the record bytes around it are enough */
	assert_true(scan_contains(m, buf + name_at, 22));
	assert_false(scan_contains(m, buf + name_at, 21));
	assert_false(scan_contains(m, buf + name_at + 1, 21));
}

static void test_find_every_name_both_encodings(void **state)
{
	(void)state;
	const struct scan_matcher *m = six();
	static const char *const shown[RULE_MODULE_COUNT] = {
		"CryptPak.dll", "HTCTL32.DLL", "pcicapi.dll", "pcichek.dll", "PCICL32.DLL", "TCCTL32.DLL",
	};
	for (size_t i = 0; i < RULE_MODULE_COUNT; i++) {
		uint8_t buf[256];
		struct scan_hit hit;
		size_t n;
		/* UTF-16 at the very start and the very end of the buffer */
		memset(buf, 'x', sizeof buf);
		n = put_utf16(buf, shown[i]);
		assert_int_equal(scan_find(m, buf, n, &hit, 1), 1);
		assert_int_equal(hit.module, i);
		assert_true(hit.utf16);
		memset(buf, 0, sizeof buf);
		put_utf16(buf + sizeof buf - n, shown[i]);
		assert_true(scan_contains(m, buf, sizeof buf));
		/* 8-bit text */
		memset(buf, 0, sizeof buf);
		n = strlen(shown[i]);
		memcpy(buf + sizeof buf - n, shown[i], n);
		assert_int_equal(scan_find(m, buf + sizeof buf - n, n, &hit, 1), 1);
		assert_false(hit.utf16);
		assert_int_equal(hit.offset, 0);
		assert_int_equal(hit.length, n);
		assert_true(scan_contains(m, buf, sizeof buf));
		/* cut short by the end of the buffer: not found */
		assert_false(scan_contains(m, buf + sizeof buf - n, n - 1));
	}
}

static void test_find_absent_and_split(void **state)
{
	(void)state;
	const struct scan_matcher *m = six();
	uint8_t buf[512];
	size_t n;

	/* plain noise with no name */
	memset(buf, 0, sizeof buf);
	n = put_utf16(buf, "C:\\Windows\\System32\\kernel32.dll ntdll.dll pcicl32.exe pcicl32_dll");
	assert_false(scan_contains(m, buf, sizeof buf));
	/* split by another character */
	memset(buf, 0, sizeof buf);
	n = put_utf16(buf, "pcicl32");
	n += put_utf16(buf + n, "\\");
	put_utf16(buf + n, ".dll");
	assert_false(scan_contains(m, buf, sizeof buf));
	/* a code unit above 0xff in the middle is another character */
	memset(buf, 0, sizeof buf);
	n = put_utf16(buf, "htctl32.dll");
	buf[3] = 0x01;
	assert_false(scan_contains(m, buf, sizeof buf));
	/* UTF-16 split across two places: the name only in pieces */
	memset(buf, 0, sizeof buf);
	put_utf16(buf, "tcctl3");
	put_utf16(buf + 100, "2.dll");
	assert_false(scan_contains(m, buf, sizeof buf));
	/* UTF-16BE is not what EVTX holds */
	memset(buf, 0, sizeof buf);
	n = put_utf16(buf + 1, "pcichek.dll");
	buf[0] = 0;
	assert_false(scan_find(m, buf, 1 + n - 1, NULL, 0));
	/* an empty or tiny buffer */
	assert_false(scan_contains(m, buf, 0));
	assert_false(scan_contains(m, (const uint8_t *)".", 1));
	assert_false(scan_contains(m, (const uint8_t *)".dll", 4));
	/* a prefix is fine (false positives are allowed): xpcicl32.dll */
	assert_true(scan_contains(m, (const uint8_t *)"xpcicl32.dll", 12));
}

static void test_find_many_hits(void **state)
{
	(void)state;
	const struct scan_matcher *m = six();
	static uint8_t buf[SCAN_CHUNK_SIZE];
	struct scan_hit hits[4];
	size_t off = 0, placed = 0;
	while (off + 22 <= sizeof buf) {
		off += put_utf16(buf + off, "TCCTL32.DLL");
		placed++;
	}
	size_t k = scan_find(m, buf, sizeof buf, hits, 4);
	assert_int_equal(k, placed);
	assert_int_equal(hits[0].offset, 0);
}

static void test_matcher_without_anchor(void **state)
{
	(void)state;
	static const char *const names[] = { "abc", "xyzzy" };
	struct scan_matcher m;
	uint8_t buf[100];
	assert_int_equal(scan_matcher_init(&m, names, 2), 0);
	assert_false(m.anchored);
	memset(buf, 0, sizeof buf);
	put_utf16(buf + 10, "XyZzY");
	assert_true(scan_contains(&m, buf, sizeof buf));
	memcpy(buf + 60, "aBc", 3);
	assert_int_equal(scan_find(&m, buf, sizeof buf, NULL, 0), 2);
	/* bad lists */
	static const char *const empty[] = { "" };
	assert_int_equal(scan_matcher_init(&m, empty, 1), -1);
	assert_int_equal(scan_matcher_init(&m, names, 0), -1);
}

/* The search against the plainest reading of its contract: at every
 * offset, every name, as UTF-16LE and as 8-bit text, compared letter by
 * letter without regard to case. Buffers are pieced together (seeded)
 * from the names, the same names with one letter changed on either
 * side of the '.' (the search's filters look there), their stems with
 * other endings, case changes, both encodings and odd offsets. */
struct oracle_hit { size_t off, len, mod; bool utf16; };

static int hit_cmp(const void *a, const void *b)
{
	const struct oracle_hit *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->utf16 != y->utf16)
		return x->utf16 ? 1 : -1;
	return x->mod < y->mod ? -1 : x->mod > y->mod;
}

static size_t oracle_find(const char *const *names, size_t n, const uint8_t *buf, size_t len,
                          struct oracle_hit *out)
{
	size_t k = 0;
	for (size_t at = 0; at < len; at++)
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(names[i]);
			bool w8 = at + l <= len, w16 = at + 2 * l <= len;
			for (size_t j = 0; j < l && (w8 || w16); j++) {
				int c = (unsigned char)names[i][j];
				if (w8 && tolower(buf[at + j]) != c)
					w8 = false;
				if (w16 && (tolower(buf[at + 2 * j]) != c || buf[at + 2 * j + 1] != 0))
					w16 = false;
			}
			if (w8)
				out[k++] = (struct oracle_hit){ at, l, i, false };
			if (w16)
				out[k++] = (struct oracle_hit){ at, 2 * l, i, true };
		}
	return k;
}

static void test_find_against_oracle(void **state)
{
	(void)state;
	static const char *const names[] = {
		"cryptpak.dll", "htctl32.dll", "pcicapi.dll", "pcichek.dll",
		"pcicl32.dll", "tcctl32.dll", "ipctl32.dll", "keyshowhook.dll",
	};
	static const char *const others[] = {
		"kernel32.dll", "comctl32.dll", "ntdll.dll", ".dll", "dll", "32.dll",
		"pcicl32.exe", "pcicl32.dl", "hTcTl32.DlL", "x", "\\", ".", "l32.",
	};
	struct scan_matcher m;
	assert_int_equal(scan_matcher_init(&m, names, 8), 0);
	uint32_t seed = 12345;
	size_t found_total = 0;
	for (int round = 0; round < 3000; round++) {
		uint8_t buf[384];
		size_t len = 0;
		while (len < sizeof buf - 40) {
			seed = seed * 1103515245u + 12345u;
			uint32_t r = seed >> 8;
			char word[32];
			const char *src = r % 3 ? names[r % 8] : others[r % 13];
			snprintf(word, sizeof word, "%s", src);
			size_t wl = strlen(word);
			if (r & 0x100 && wl) {          /* one letter changed */
				size_t at = (r >> 12) % wl;
				word[at] = (char)(word[at] == '2' ? '3' : word[at] ^ 1);
			}
			for (size_t j = 0; j < wl; j++)   /* case */
				if (r >> (j % 20) & 0x200)
					word[j] = (char)toupper((unsigned char)word[j]);
			if (r & 0x400) {                 /* as UTF-16LE */
				for (size_t j = 0; j < wl; j++) {
					buf[len++] = (uint8_t)word[j];
					buf[len++] = 0;
				}
			} else {
				memcpy(buf + len, word, wl);
				len += wl;
			}
			if (r & 0x800)
				buf[len++] = (uint8_t)(r >> 16);   /* an odd byte */
		}
		struct oracle_hit want[2 * sizeof buf], got[2 * sizeof buf];
		struct scan_hit hits[2 * sizeof buf];
		size_t nw = oracle_find(names, 8, buf, len, want);
		size_t ng = scan_find(&m, buf, len, hits, 2 * sizeof buf);
		assert_int_equal(ng, nw);
		for (size_t i = 0; i < ng; i++)
			got[i] = (struct oracle_hit){ hits[i].offset, hits[i].length, hits[i].module,
						      hits[i].utf16 };
		qsort(want, nw, sizeof *want, hit_cmp);
		qsort(got, ng, sizeof *got, hit_cmp);
		for (size_t i = 0; i < ng; i++) {
			assert_int_equal(got[i].off, want[i].off);
			assert_int_equal(got[i].len, want[i].len);
			assert_int_equal(got[i].mod, want[i].mod);
			assert_int_equal(got[i].utf16, want[i].utf16);
		}
		assert_int_equal(scan_contains(&m, buf, len), nw > 0);
		found_total += nw;
	}
	/* the pieces make hits of every kind, not only misses */
	assert_true(found_total > 1000);
}

/* ---- the record walk ---------------------------------------------- */

static uint8_t chunk[SCAN_CHUNK_SIZE];
static struct scan_record recs[SCAN_CHUNK_MAX_RECORDS];

static void test_walk_clean(void **state)
{
	(void)state;
	uint32_t dmg = 99;
	make_chunk(chunk, 10, 200, 500);
	size_t n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(dmg, 0);
	assert_int_equal(n, 10);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(recs[i].offset, 512 + 200 * i);
		assert_int_equal(recs[i].id, 500 + i);
		assert_int_equal(recs[i].kind, SCAN_REC_ALLOCATED);
		assert_false(recs[i].recovered);
		assert_int_equal(recs[i].image_index, i);
	}
	/* past the count in a clean file: listed as recovered */
	n = scan_chunk_records(chunk, true, recs, &dmg);
	assert_int_equal(n, 10);
	assert_true(recs[0].recovered);
	/* a bad CRC changes no record */
	chunk[600] ^= 1;
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(n, 10);
	assert_int_equal(dmg, SCAN_DMG_RECORDS_CRC);
	chunk[5] ^= 1;    /* in the signature now */
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_true(dmg & SCAN_DMG_MAGIC);
	/* no allocated walk then; the slack scan from offset 0 finds them */
	assert_int_equal(n, 10);
	assert_int_equal(recs[0].kind, SCAN_REC_SLACK);
}

static void test_walk_slack(void **state)
{
	(void)state;
	uint32_t dmg;
	make_chunk(chunk, 3, 256, 1);
	/* old records after the free space: one good, one whose XML does
	 * not start as libevtx wants, one cut by the chunk's end */
	put_record(chunk, 4096, 512, 77);
	put_record(chunk, 8192, 512, 78);
	chunk[8192 + 24] = 0x01;
	put_record(chunk, SCAN_CHUNK_SIZE - 64, 64, 79);
	size_t n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(dmg, 0);
	assert_int_equal(n, 4);
	assert_int_equal(recs[3].kind, SCAN_REC_SLACK);
	assert_int_equal(recs[3].offset, 4096);
	assert_int_equal(recs[3].id, 77);
	assert_int_equal(recs[3].image_index, 0);
	assert_true(recs[3].recovered);
	/* a record that ends exactly 4 bytes before the chunk's end is read */
	put_record(chunk, SCAN_CHUNK_SIZE - 68, 64, 80);
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(n, 5);
	assert_int_equal(recs[4].id, 80);
}

static void test_walk_hostile_sizes(void **state)
{
	(void)state;
	uint32_t dmg;
	size_t n;
	static const uint32_t bad_sizes[] = { 0, 1, 23, 0xffffffffu, SCAN_CHUNK_SIZE, SCAN_CHUNK_SIZE - 512 };
	for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
		make_chunk(chunk, 5, 200, 1);
		put32(chunk + 512 + 400 + 4, bad_sizes[i]);   /* the third record */
		fix_chunk_crcs(chunk);
		n = scan_chunk_records(chunk, false, recs, &dmg);
		assert_true(dmg & SCAN_DMG_RECORD);
		/* two allocated; libevtx's slack scan, from the bad record on,
		 * then recovers the two after it */
		assert_int_equal(n, 4);
		assert_int_equal(recs[1].kind, SCAN_REC_ALLOCATED);
		assert_int_equal(recs[2].kind, SCAN_REC_SLACK);
		assert_int_equal(recs[2].offset, 512 + 600);
	}
	/* misaligned sizes are walked as they are */
	make_chunk(chunk, 0, 200, 1);
	put_record(chunk, 512, 27, 1);
	put_record(chunk, 539, 33, 2);
	put64(chunk + 16, 2);
	put32(chunk + 44, 539);
	put32(chunk + 48, 572);
	fix_chunk_crcs(chunk);
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(n, 2);
	assert_int_equal(dmg, 0);
	assert_int_equal(recs[1].offset, 539);
	/* size copy that differs */
	make_chunk(chunk, 4, 100, 1);
	put32(chunk + 512 + 100 + 96, 101);
	fix_chunk_crcs(chunk);
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(n, 3);
	assert_int_equal(recs[0].kind, SCAN_REC_ALLOCATED);
	assert_int_equal(recs[1].kind, SCAN_REC_SLACK);
	assert_int_equal(recs[1].offset, 712);
	/* last record offset far past the chunk: the walk stops at the end */
	make_chunk(chunk, 4, 100, 1);
	put32(chunk + 44, 0xfffffff0u);
	fix_chunk_crcs(chunk);
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(n, 4);
	/* header fields libevtx refuses the whole file over */
	make_chunk(chunk, 4, 100, 1);
	put32(chunk + 48, SCAN_CHUNK_SIZE + 1);
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(n, 0);
	assert_true(dmg & SCAN_DMG_FREE_SPACE);
	make_chunk(chunk, 4, 100, 1);
	put32(chunk + 48, 100);
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_true(dmg & SCAN_DMG_FREE_SPACE);
	make_chunk(chunk, 4, 100, 1);
	put32(chunk + 40, 127);
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(n, 0);
	assert_true(dmg & SCAN_DMG_HEADER_SIZE);
	/* all zero: nothing, no damage */
	memset(chunk, 0, sizeof chunk);
	n = scan_chunk_records(chunk, false, recs, &dmg);
	assert_int_equal(n, 0);
	assert_int_equal(dmg, 0);
}

static void test_walk_garbage(void **state)
{
	(void)state;
	uint32_t dmg;
	srand(11);
	for (int round = 0; round < 300; round++) {
		if (round % 3 == 0) {
			fill_noise(chunk, sizeof chunk, (unsigned)round);
		} else {
			uint32_t size = 64 + (uint32_t)(round % 50) * 8;
			make_chunk(chunk, (int)((SCAN_CHUNK_SIZE - 1024) / size) - round % 7, size, 1);
			for (int k = 0; k < 200; k++)
				chunk[rand() % SCAN_CHUNK_SIZE] = (uint8_t)rand();
		}
		/* scatter record signatures and plausible sizes */
		for (int k = 0; k < 300; k++) {
			size_t off = (size_t)(rand() % SCAN_CHUNK_SIZE) & ~(size_t)3;
			if (off + 8 <= SCAN_CHUNK_SIZE) {
				chunk[off] = 0x2a; chunk[off + 1] = 0x2a; chunk[off + 2] = 0; chunk[off + 3] = 0;
				put32(chunk + off + 4, (uint32_t)(rand() % 70000));
			}
		}
		size_t n = scan_chunk_records(chunk, round & 1, recs, &dmg);
		assert_true(n <= SCAN_CHUNK_MAX_RECORDS);
		for (size_t i = 0; i < n; i++) {
			assert_true(recs[i].size >= 24);
			assert_true((uint64_t)recs[i].offset + recs[i].size + 4 <= SCAN_CHUNK_SIZE);
		}
	}
}

/* ---- whole files, synthetic ---------------------------------------- */

struct seen {
	int calls;
	size_t candidates;
	uint32_t last_index;
	bool slack_candidate;
	int stop_after;
};

static int on_chunk(void *ctx, const struct scan_chunk *c)
{
	struct seen *s = ctx;
	s->calls++;
	s->last_index = c->index;
	assert_true(c->n_candidates > 0);
	size_t k = 0;
	for (size_t i = 0; i < c->n_records; i++)
		if (c->records[i].candidate) {
			k++;
			if (c->records[i].kind == SCAN_REC_SLACK)
				s->slack_candidate = true;
			assert_true(scan_contains(six(), c->data + c->records[i].offset,
			                          c->records[i].size));
		}
	assert_int_equal(k, c->n_candidates);
	s->candidates += k;
	return s->stop_after && s->calls >= s->stop_after;
}

static void test_file_synthetic(void **state)
{
	(void)state;
	size_t size = SCAN_FILE_HEADER_SIZE + 3 * SCAN_CHUNK_SIZE;
	uint8_t *f = calloc(1, size);
	struct scan_result res;
	struct seen seen = { 0 };
	assert_non_null(f);
	make_file_header(f, 2, 0);
	uint8_t *c0 = f + SCAN_FILE_HEADER_SIZE, *c1 = c0 + SCAN_CHUNK_SIZE, *c2 = c1 + SCAN_CHUNK_SIZE;
	make_chunk(c0, 50, 300, 1);
	make_chunk(c1, 50, 300, 51);
	make_chunk(c2, 20, 300, 101);   /* past the header's count */
	/* a module name inside record 7 of chunk 1 (UTF-16), and one in a
	 * slack record of chunk 0 (8-bit) */
	put_utf16(c1 + 512 + 7 * 300 + 40, "C:\\x\\HtCtL32.dLl");
	put_record(c0, 40000, 400, 9999);
	memcpy(c0 + 40000 + 100, "CRYPTPAK.DLL", 12);
	/* and one in free space, in no record: no candidate */
	put_utf16(c1 + 30002, "pcicapi.dll");
	fix_chunk_crcs(c0);
	fix_chunk_crcs(c1);
	assert_int_equal(scan_bytes(f, size, &res, on_chunk, &seen), 0);
	assert_true(res.header_ok);
	assert_true(res.header_crc_ok);
	assert_false(res.dirty);
	assert_int_equal(res.chunks, 3);
	assert_int_equal(res.chunks_past_count, 1);
	assert_int_equal(res.records, 100);
	assert_int_equal(res.recovered, 21);
	assert_int_equal(res.recovered_slack, 1);
	assert_int_equal(res.first_id, 1);
	assert_int_equal(res.last_id, 100);
	assert_int_equal(res.id_gaps, 0);
	assert_int_equal(res.first_time, 132000000000000001ll);
	assert_int_equal(res.chunks_damaged, 0);
	assert_int_equal(res.candidates, 2);
	assert_int_equal(res.candidate_chunks, 2);
	assert_int_equal(res.hits_outside_records, 1);
	assert_int_equal(seen.calls, 2);
	assert_true(seen.slack_candidate);
	assert_false(res.libevtx_fails);

	/* dirty: the chunk past the count is allocated */
	make_file_header(f, 2, 1);
	assert_int_equal(scan_bytes(f, size, &res, NULL, NULL), 0);
	assert_true(res.dirty);
	assert_int_equal(res.records, 120);
	assert_int_equal(res.recovered, 1);

	/* a gap in the ids */
	put64(c1 + 512 + 8, 60);
	assert_int_equal(scan_bytes(f, size, &res, NULL, NULL), 0);
	assert_int_equal(res.id_gaps, 2);      /* 50 -> 60, 60 -> 52 */
	assert_int_equal(res.ids_missing, 9);

	/* the callback stops the scan */
	memset(&seen, 0, sizeof seen);
	seen.stop_after = 1;
	assert_int_equal(scan_bytes(f, size, &res, on_chunk, &seen), 1);
	assert_int_equal(seen.calls, 1);
	assert_string_equal(res.sha256, "");
	free(f);
}

static void test_file_truncated_and_garbage(void **state)
{
	(void)state;
	size_t size = SCAN_FILE_HEADER_SIZE + 2 * SCAN_CHUNK_SIZE;
	uint8_t *f = calloc(1, size);
	struct scan_result res;
	assert_non_null(f);
	make_file_header(f, 2, 0);
	make_chunk(f + SCAN_FILE_HEADER_SIZE, 50, 300, 1);
	make_chunk(f + SCAN_FILE_HEADER_SIZE + SCAN_CHUNK_SIZE, 50, 300, 51);

	/* every cut of the file, in steps */
	for (size_t cut = 0; cut <= size; cut += cut < 5000 ? 331 : 4099) {
		assert_int_equal(scan_bytes(f, cut, &res, NULL, NULL), 0);
		if (cut < SCAN_FILE_HEADER_SIZE) {
			assert_false(res.header_ok);
			assert_true(res.libevtx_fails);
		}
		uint64_t full = cut >= SCAN_FILE_HEADER_SIZE ? (cut - SCAN_FILE_HEADER_SIZE) / SCAN_CHUNK_SIZE : 0;
		assert_int_equal(res.chunks, full);
		assert_int_equal(res.records, 50 * full);
		if (cut > SCAN_FILE_HEADER_SIZE && full < 2 && (cut - SCAN_FILE_HEADER_SIZE) % SCAN_CHUNK_SIZE)
			assert_int_equal(res.damage[res.n_damage - 1].flags, SCAN_DMG_PARTIAL);
	}
	assert_int_equal(scan_bytes(f, size, &res, NULL, NULL), 0);
	assert_int_equal(res.records, 100);

	/* damaged file header: CRC; not EVTX at all */
	f[100] ^= 0xff;
	assert_int_equal(scan_bytes(f, size, &res, NULL, NULL), 0);
	assert_true(res.header_ok);
	assert_false(res.header_crc_ok);
	f[0] = 'X';
	assert_int_equal(scan_bytes(f, size, &res, NULL, NULL), 0);
	assert_false(res.header_ok);
	assert_true(res.libevtx_fails);
	assert_int_equal(res.records, 100);    /* the chunks are still walked */

	/* header block size: 0 (chunk 0 is the header), 4095, 8192 */
	static const uint16_t hbs[] = { 0, 4095, 8192, 65535 };
	for (size_t i = 0; i < 4; i++) {
		make_file_header(f, 2, 0);
		f[40] = (uint8_t)hbs[i];
		f[41] = (uint8_t)(hbs[i] >> 8);
		put32(f + 124, scan_crc32(0, f, 120));
		assert_int_equal(scan_bytes(f, size, &res, NULL, NULL), 0);
		assert_int_equal(res.header_block_size, hbs[i]);
		assert_int_equal(res.chunks, (size - hbs[i]) / SCAN_CHUNK_SIZE);
	}

	/* random garbage, with and without a file signature */
	for (unsigned seed = 1; seed <= 6; seed++) {
		fill_noise(f, size, seed);
		if (seed & 1)
			make_file_header(f, (uint16_t)seed, seed & 2);
		if (seed & 2)
			memcpy(f + SCAN_FILE_HEADER_SIZE, "ElfChnk", 8);
		assert_int_equal(scan_bytes(f, size - seed * 1000, &res, NULL, NULL), 0);
	}
	/* an empty file */
	assert_int_equal(scan_bytes(f, 0, &res, NULL, NULL), 0);
	assert_false(res.header_ok);
	assert_int_equal(res.first_time, TIME_NONE);
	free(f);
}

static void test_read_error(void **state)
{
	(void)state;
	struct scan_result res;
	assert_int_equal(scan_file_with(-1, six(), &res, NULL, NULL), -1);
	assert_true(strlen(res.error) > 0);
	assert_string_equal(res.sha256, "");
}

/* ---- the corpus ---------------------------------------------------- */

static char corpus[4096];

static bool find_corpus(void)
{
	const char *top = getenv("top_srcdir");
	struct stat st;
	if (top && *top) {
		snprintf(corpus, sizeof corpus, "%s/../shared/corpus", top);
		if (stat(corpus, &st) == 0 && S_ISDIR(st.st_mode))
			return true;
	}
	snprintf(corpus, sizeof corpus, "../shared/corpus");
	return stat(corpus, &st) == 0 && S_ISDIR(st.st_mode);
}

struct row {
	char file[1024];
	char sha256[65];
	uint64_t bytes, records, recovered, eid7;
	char flags[2048];
};

static long flag_value(const char *flags, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = flags; (p = strstr(p, name)); p += n)
		if ((p == flags || p[-1] == ',') && p[n] == '=')
			return strtol(p + n + 1, NULL, 10);
	return -1;
}

static bool has_flag(const char *flags, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = flags; (p = strstr(p, name)); p += n)
		if ((p == flags || p[-1] == ',') && (p[n] == ',' || p[n] == 0))
			return true;
	return false;
}

/* Reads the manifest; returns the rows (n in *n) or NULL. */
static struct row *read_manifest(size_t *n)
{
	char path[4200], line[8192];
	snprintf(path, sizeof path, "%s/MANIFEST.tsv", corpus);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct row *rows = NULL;
	size_t cap = 0;
	*n = 0;
	if (!fgets(line, sizeof line, f)) {
		fclose(f);
		return NULL;
	}
	while (fgets(line, sizeof line, f)) {
		char *col[11];
		size_t k = 0;
		line[strcspn(line, "\r\n")] = 0;
		for (char *p = line; k < 11; k++) {
			col[k] = p;
			p = strchr(p, '\t');
			if (!p) {
				k++;
				break;
			}
			*p++ = 0;
		}
		if (k < 11)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 300;
			rows = realloc(rows, cap * sizeof *rows);
			assert_non_null(rows);
		}
		struct row *r = &rows[(*n)++];
		snprintf(r->file, sizeof r->file, "%s", col[0]);
		snprintf(r->sha256, sizeof r->sha256, "%s", col[4]);
		r->bytes = strtoull(col[5], NULL, 10);
		r->records = strtoull(col[6], NULL, 10);
		r->recovered = strtoull(col[7], NULL, 10);
		r->eid7 = strtoull(col[8], NULL, 10);
		snprintf(r->flags, sizeof r->flags, "%s", col[10]);
	}
	fclose(f);
	return rows;
}

static int corpus_setup(void **state)
{
	size_t n = 0;
	struct row *rows = NULL;
	if (find_corpus())
		rows = read_manifest(&n);
	if (!rows || n == 0) {
		printf("corpus not found at $top_srcdir/../shared/corpus or ../shared/corpus: skipping the corpus tests\n");
		free(rows);
		*state = NULL;
		return 0;
	}
	struct row *copy = realloc(rows, (n + 1) * sizeof *rows);
	assert_non_null(copy);
	memset(&copy[n], 0, sizeof copy[n]);    /* ends the list */
	*state = copy;
	return 0;
}

static int corpus_teardown(void **state)
{
	free(*state);
	return 0;
}

static int open_corpus_file(const struct row *r)
{
	char path[5200];
	snprintf(path, sizeof path, "%s/%s", corpus, r->file);
	return open(path, O_RDONLY);
}

struct count_ctx { uint64_t chunks, candidates; };

static int count_chunks(void *ctx, const struct scan_chunk *c)
{
	struct count_ctx *k = ctx;
	k->chunks++;
	k->candidates += c->n_candidates;
	return 0;
}

static void test_corpus_counts(void **state)
{
	struct row *rows = *state;
	if (!rows) {
		printf("corpus absent: test_corpus_counts skipped\n");
		skip();
	}
	size_t files = 0, bad = 0;
	uint64_t eid7 = 0, eid7_rec = 0;
	for (struct row *r = rows; r->file[0]; r++) {
		struct scan_result res;
		struct count_ctx k = { 0, 0 };
		int fd = open_corpus_file(r);
		assert_true(fd >= 0);
		int rc = scan_file_with(fd, six(), &res, count_chunks, &k);
		close(fd);
		files++;
		char why[512] = "";
		size_t w = 0;
#define MISMATCH(...) (w += (size_t)snprintf(why + w, w < sizeof why ? sizeof why - w : 0, __VA_ARGS__))
		if (rc != 0)
			MISMATCH(" rc=%d (%s)", rc, res.error);
		if (strcmp(res.sha256, r->sha256) != 0)
			MISMATCH(" sha256 %s", res.sha256);
		if (res.file_size != r->bytes)
			MISMATCH(" size %llu", (unsigned long long)res.file_size);
		if (!res.libevtx_fails && res.records != r->records)
			MISMATCH(" records %llu != %llu", (unsigned long long)res.records,
			         (unsigned long long)r->records);
		if (res.recovered != r->recovered)
			MISMATCH(" recovered %llu != %llu", (unsigned long long)res.recovered,
			         (unsigned long long)r->recovered);
		if (res.dirty != has_flag(r->flags, "dirty"))
			MISMATCH(" dirty %d", res.dirty);
		if (res.header_crc_ok == has_flag(r->flags, "file_header_crc_bad"))
			MISMATCH(" header crc ok %d", res.header_crc_ok);
		long past = flag_value(r->flags, "chunks_past_hdr_count");
		if (res.chunks_past_count != (uint64_t)(past < 0 ? 0 : past))
			MISMATCH(" chunks past count %llu", (unsigned long long)res.chunks_past_count);
		/* every chunk with a bad CRC is noted (bad magic ones too) */
		long crc_bad = flag_value(r->flags, "chunk_crc_bad");
		uint64_t crc_noted = 0;
		for (size_t i = 0; i < res.n_damage; i++)
			if (res.damage[i].flags & (SCAN_DMG_HEADER_CRC | SCAN_DMG_RECORDS_CRC))
				crc_noted++;
		if (crc_noted != (uint64_t)(crc_bad < 0 ? 0 : crc_bad))
			MISMATCH(" chunks with a bad CRC %llu", (unsigned long long)crc_noted);
		if (res.eid7_template != (r->eid7 > 0))
			MISMATCH(" eid7 template %d", res.eid7_template);
		/* Sysmon Event ID 7 records, as libevtx counts them: the
		 * manifest's eid7_libevtx, and recovered_sysmon_eid7=N where
		 * the flags say so (none elsewhere) */
		if (res.eid7_records != r->eid7)
			MISMATCH(" eid7 records %llu != %llu", (unsigned long long)res.eid7_records,
			         (unsigned long long)r->eid7);
		long rec7 = flag_value(r->flags, "recovered_sysmon_eid7");
		if (res.eid7_recovered != (uint64_t)(rec7 < 0 ? 0 : rec7))
			MISMATCH(" eid7 recovered %llu != %ld", (unsigned long long)res.eid7_recovered,
			         rec7 < 0 ? 0 : rec7);
		eid7 += res.eid7_records;
		eid7_rec += res.eid7_recovered;
		/* The rule's names are in none of these files: the candidates
		 * are the allocated records the scanner cannot follow, handed
		 * to libevtx to judge. Every record libevtx cannot read (the
		 * manifest's libevtx_record_errors) must be among them, or the
		 * two reading modes would differ. */
		long lib_errors = flag_value(r->flags, "libevtx_record_errors");
		if (res.hits_outside_records ||
		    res.candidates < (uint64_t)(lib_errors < 0 ? 0 : lib_errors))
			MISMATCH(" candidates %llu, libevtx cannot read %ld",
			         (unsigned long long)res.candidates, lib_errors);
		/* (a record whose header holds no time gives none) */
		if (res.first_time != TIME_NONE && res.first_time > res.last_time)
			MISMATCH(" times");
		if (w) {
			bad++;
			printf("MISMATCH %s:%s\n", r->file, why);
		}
	}
	printf("corpus: %zu files scanned, %zu mismatches; Sysmon Event ID 7: %llu allocated, %llu recovered\n",
	       files, bad, (unsigned long long)eid7, (unsigned long long)eid7_rec);
	assert_true(files > 0);
	assert_int_equal(bad, 0);
}

/* One record as libevtx lists it: written time and id, or a failure
 * (libevtx 20181227 parses a record when it is fetched, and its
 * libevtx_record_get_offset gives 0, so records are matched by their
 * place in the lists). */
struct librec {
	uint64_t written;
	uint64_t id;
	bool failed;
	bool eid7;      /* read, provider Microsoft-Windows-Sysmon, event id 7 */
};

struct libset {
	struct librec *v;
	size_t n, cap;
};

static void libset_add(struct libset *s, uint64_t written, uint64_t id, bool failed, bool eid7)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		assert_non_null(s->v);
	}
	s->v[s->n].written = written;
	s->v[s->n].id = id;
	s->v[s->n].failed = failed;
	s->v[s->n].eid7 = eid7;
	s->n++;
}

/* Lists the records of an open file. */
static void list_records(libevtx_file_t *file, bool recovered, struct libset *out)
{
	int n = 0;
	if (recovered)
		assert_int_equal(libevtx_file_get_number_of_recovered_records(file, &n, NULL), 1);
	else
		assert_int_equal(libevtx_file_get_number_of_records(file, &n, NULL), 1);
	for (int i = 0; i < n; i++) {
		libevtx_record_t *rec = NULL;
		int ok = recovered ? libevtx_file_get_recovered_record_by_index(file, i, &rec, NULL)
		                   : libevtx_file_get_record_by_index(file, i, &rec, NULL);
		uint64_t id = 0, written = 0;
		uint32_t event = 0;
		uint8_t source[64] = "";
		if (ok == 1 && libevtx_record_get_written_time(rec, &written, NULL) == 1 &&
		    libevtx_record_get_identifier(rec, &id, NULL) == 1) {
			bool eid7 = libevtx_record_get_event_identifier(rec, &event, NULL) == 1 && event == 7 &&
			            libevtx_record_get_utf8_source_name(rec, source, sizeof source, NULL) == 1 &&
			            strcmp((const char *)source, "Microsoft-Windows-Sysmon") == 0;
			libset_add(out, written, id, false, eid7);
		} else {
			libset_add(out, 0, 0, true, false);
		}
		libevtx_record_free(&rec, NULL);
	}
}

static void test_corpus_chunks_vs_libevtx(void **state)
{
	struct row *rows = *state;
	if (!rows) {
		printf("corpus absent: test_corpus_chunks_vs_libevtx skipped\n");
		skip();
	}
	static uint8_t buf[SCAN_CHUNK_SIZE];
	size_t files = 0, bad = 0, checked = 0, eid7_checked = 0;
	for (struct row *r = rows; r->file[0]; r++) {
		char path[5200];
		snprintf(path, sizeof path, "%s/%s", corpus, r->file);
		struct scan_result res;
		int fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(scan_file_with(fd, six(), &res, NULL, NULL), 0);

		/* libevtx on the whole file */
		libevtx_file_t *whole = NULL;
		struct libset want_a = { 0 }, want_r = { 0 }, got_a = { 0 }, got_r = { 0 };
		assert_int_equal(libevtx_file_initialize(&whole, NULL), 1);
		if (libevtx_file_open(whole, path, LIBEVTX_OPEN_READ, NULL) != 1) {
			printf("libevtx cannot open %s: not compared\n", r->file);
			libevtx_file_free(&whole, NULL);
			close(fd);
			continue;
		}
		list_records(whole, false, &want_a);
		list_records(whole, true, &want_r);
		libevtx_file_close(whole, NULL);
		libevtx_file_free(&whole, NULL);

		/* each chunk alone, in file order, listed the way libevtx lists
		 * the whole file: allocated records of a chunk past the count
		 * of a clean file go with the recovered, before its slack ones */
		files++;
		char why[512] = "";
		for (uint64_t i = 0; i < res.chunks; i++) {
			uint64_t off = res.header_block_size + i * SCAN_CHUNK_SIZE;
			assert_int_equal(pread(fd, buf, SCAN_CHUNK_SIZE, (off_t)off), SCAN_CHUNK_SIZE);
			uint32_t dmg;
			bool past = i >= res.header_chunks;
			size_t n = scan_chunk_records(buf, past && !res.dirty, recs, &dmg);
			if (n == 0)
				continue;
			libevtx_file_t *file = NULL;
			libbfio_handle_t *bfio = NULL;
			uint8_t *image = NULL;
			char err[300];
			if (chunk_open_libevtx(buf, SCAN_CHUNK_SIZE, &file, &bfio, &image, err, sizeof err) != 0) {
				snprintf(why, sizeof why, "chunk %llu: %s", (unsigned long long)i, err);
				break;
			}
			struct libset a = { 0 }, s = { 0 };
			list_records(file, false, &a);
			list_records(file, true, &s);
			chunk_close_libevtx(&file, &bfio, &image);
			/* the scan's records are the image's, index for index */
			size_t na = 0, ns = 0;
			for (size_t j = 0; j < n; j++) {
				struct libset *set = recs[j].kind == SCAN_REC_ALLOCATED ? &a : &s;
				size_t idx = recs[j].image_index;
				if (recs[j].kind == SCAN_REC_ALLOCATED)
					na++;
				else
					ns++;
				if (idx >= set->n || (!set->v[idx].failed &&
				    (set->v[idx].written != (uint64_t)recs[j].written || set->v[idx].id != recs[j].id))) {
					snprintf(why, sizeof why, "chunk %llu record at %u (id %llu) differs from the image's",
					         (unsigned long long)i, recs[j].offset, (unsigned long long)recs[j].id);
					break;
				}
				/* Sysmon Event ID 7 or not, record for record */
				if (scan_record_is_sysmon_eid7(buf, &recs[j]) != set->v[idx].eid7) {
					snprintf(why, sizeof why, "chunk %llu record at %u (id %llu): Event ID 7 %d, libevtx %d%s",
					         (unsigned long long)i, recs[j].offset, (unsigned long long)recs[j].id,
					         !set->v[idx].eid7, set->v[idx].eid7,
					         set->v[idx].failed ? " (fails to read it)" : "");
					break;
				}
				eid7_checked++;
			}
			if (!why[0] && (na != a.n || ns != s.n))
				snprintf(why, sizeof why, "chunk %llu: %zu/%zu records, the image has %zu/%zu",
				         (unsigned long long)i, na, ns, a.n, s.n);
			for (size_t j = 0; j < a.n; j++)
				libset_add(past && !res.dirty ? &got_r : &got_a, a.v[j].written, a.v[j].id, a.v[j].failed,
				           a.v[j].eid7);
			for (size_t j = 0; j < s.n; j++)
				libset_add(&got_r, s.v[j].written, s.v[j].id, s.v[j].failed, s.v[j].eid7);
			free(a.v);
			free(s.v);
			if (why[0])
				break;
		}
		close(fd);
		for (int pass = 0; pass < 2 && !why[0]; pass++) {
			struct libset *want = pass ? &want_r : &want_a, *got = pass ? &got_r : &got_a;
			if (want->n != got->n) {
				snprintf(why, sizeof why, "%s: %zu records by chunk, %zu in the file",
				         pass ? "recovered" : "allocated", got->n, want->n);
				break;
			}
			for (size_t j = 0; j < want->n; j++) {
				if (want->v[j].failed != got->v[j].failed || want->v[j].eid7 != got->v[j].eid7 ||
				    want->v[j].written != got->v[j].written || want->v[j].id != got->v[j].id) {
					snprintf(why, sizeof why, "%s record %zu: id %llu%s, by chunk id %llu%s",
					         pass ? "recovered" : "allocated", j,
					         (unsigned long long)want->v[j].id, want->v[j].failed ? " (failed)" : "",
					         (unsigned long long)got->v[j].id, got->v[j].failed ? " (failed)" : "");
					break;
				}
				checked++;
			}
		}
		if (why[0]) {
			bad++;
			printf("MISMATCH %s: %s\n", r->file, why);
		}
		free(want_a.v);
		free(want_r.v);
		free(got_a.v);
		free(got_r.v);
	}
	printf("corpus: %zu files compared chunk by chunk with libevtx, %zu records equal, %zu records' "
	       "Event ID 7 verdict equal, %zu mismatches\n", files, checked, eid7_checked, bad);
	assert_true(files > 0);
	assert_int_equal(bad, 0);
}

/* ---- Sysmon Event ID 7 counts on the project's writer's files ---- */

/* Writes one event of a kind to the description; returns whether it is
 * a Sysmon Event ID 7 event libevtx can read (hostile: its template
 * instance declares far more values than the record holds). */
enum wkind {
	W_S7, W_S7_SHORT, W_S1, W_S3, W_S10, W_OTHER7, W_NEAR7, W_S263, W_KINDS
};

static bool put_event(FILE *f, enum wkind k, unsigned i)
{
	const char *provider = "Microsoft-Windows-Sysmon";
	unsigned id = 7;
	switch (k) {
	case W_S1: id = 1; break;
	case W_S3: id = 3; break;
	case W_S10: id = 10; break;
	case W_OTHER7: provider = "Microsoft-Windows-Kernel-Process"; break;
	case W_NEAR7: provider = "Microsoft-Windows-SysmonX"; break;
	case W_S263: id = 263; break;    /* 0x107: its low byte is 7 */
	default: break;
	}
	fprintf(f, "event\n  provider %s\n  eventid %u\n", provider, id);
	if (k == W_S7_SHORT) {
		/* another template: fewer Data */
		fprintf(f, "  data Image C:\\Windows\\x%u.exe\n  data ImageLoaded C:\\Windows\\y%u.dll\n"
		           "  data Hashes SHA256=%064u\n", i, i, i);
	} else if (id == 7 || id == 263) {
		/* Sysmon 7's fields, from any provider */
		fprintf(f, "  data RuleName -\n  data UtcTime 2024-01-01 00:00:%02u.000\n"
		           "  data ProcessGuid {11111111-2222-3333-4444-%012u}\n  data ProcessId %u\n"
		           "  data Image C:\\Windows\\explorer.exe\n"
		           "  data ImageLoaded C:\\Windows\\System32\\mod%u.dll\n"
		           "  data Signed true\n  data User NT AUTHORITY\\SYSTEM\n", i % 60, i, 1000 + i, i);
	} else if (id == 1) {
		fprintf(f, "  data ProcessId %u\n  data Image C:\\Windows\\cmd.exe\n"
		           "  data CommandLine cmd /c echo %u\n", 2000 + i, i);
	} else if (id == 3) {
		fprintf(f, "  data Image C:\\Windows\\svchost.exe\n  data DestinationIp 10.0.0.%u\n", i % 250);
	} else {
		fprintf(f, "  data SourceImage C:\\Windows\\a.exe\n  data TargetImage C:\\Windows\\lsass.exe\n"
		           "  data GrantedAccess 0x1010\n");
	}
	fprintf(f, "end\n");
	return provider[24] == 0 && strcmp(provider, "Microsoft-Windows-Sysmon") == 0 && id == 7;
}

/* Counts what libevtx reads as Sysmon Event ID 7 in the whole file. */
static void libevtx_eid7(const char *path, uint64_t *alloc, uint64_t *rec)
{
	libevtx_file_t *file = NULL;
	struct libset a = { 0 }, s = { 0 };
	assert_int_equal(libevtx_file_initialize(&file, NULL), 1);
	assert_int_equal(libevtx_file_open(file, path, LIBEVTX_OPEN_READ, NULL), 1);
	list_records(file, false, &a);
	list_records(file, true, &s);
	libevtx_file_close(file, NULL);
	libevtx_file_free(&file, NULL);
	*alloc = *rec = 0;
	for (size_t i = 0; i < a.n; i++)
		*alloc += a.v[i].eid7;
	for (size_t i = 0; i < s.n; i++)
		*rec += s.v[i].eid7;
	free(a.v);
	free(s.v);
}

/* Damages the chunks of a file with Event ID 7 records in many ways:
 * every verdict stays in bounds (ASan) and a record cut short, or whose
 * values are out of its bounds, is no Event ID 7 record. */
static void fuzz_eid7_file(const char *path)
{
	static uint8_t c[SCAN_CHUNK_SIZE], orig[SCAN_CHUNK_SIZE];
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, orig, SCAN_CHUNK_SIZE, SCAN_FILE_HEADER_SIZE), SCAN_CHUNK_SIZE);
	close(fd);
	uint32_t dmg;
	size_t n = scan_chunk_records(orig, false, recs, &dmg);
	size_t yes = 0;
	for (size_t i = 0; i < n; i++)
		yes += scan_record_is_sysmon_eid7(orig, &recs[i]);
	assert_true(yes > 0);
	/* each Event ID 7 record with its size cut: its values no longer fit */
	for (size_t i = 0; i < n; i++) {
		if (!scan_record_is_sysmon_eid7(orig, &recs[i]))
			continue;
		struct scan_record r = recs[i];
		for (uint32_t cut = 1; cut < r.size - 24; cut += 7) {
			struct scan_record t = r;
			t.size = r.size - cut - 4 > 28 ? r.size - cut : 28;
			/* the padding at the end may go: the values must not */
			if (cut >= 16)
				assert_false(scan_record_is_sysmon_eid7(orig, &t));
		}
	}
	/* random bytes changed, anywhere or in the records' first 200 bytes */
	srand(99);
	for (int round = 0; round < 3000; round++) {
		memcpy(c, orig, sizeof c);
		int k = 1 + round % 8;
		for (int j = 0; j < k; j++) {
			size_t at = round & 1 ? (size_t)rand() % SCAN_CHUNK_SIZE
			                      : (recs[(size_t)rand() % n].offset + (size_t)rand() % 200) % SCAN_CHUNK_SIZE;
			c[at] = (uint8_t)(round & 2 ? rand() : rand() % 16);
		}
		for (size_t i = 0; i < n; i++)
			(void)scan_record_is_sysmon_eid7(c, &recs[i]);
	}
	/* records that claim the whole chunk, or nothing */
	for (size_t i = 0; i < n; i++) {
		struct scan_record t = recs[i];
		t.size = SCAN_CHUNK_SIZE - t.offset;
		(void)scan_record_is_sysmon_eid7(orig, &t);
		t.size = 0;
		assert_false(scan_record_is_sysmon_eid7(orig, &t));
		t.offset = SCAN_CHUNK_SIZE - 8;
		t.size = 8;
		assert_false(scan_record_is_sysmon_eid7(orig, &t));
	}
}

/* Runs $EVTXWRITE on desc, into out; false (with a message) when unset. */
static bool run_writer(const char *desc, const char *out)
{
	const char *w = getenv("EVTXWRITE");
	if (!w || !*w) {
		printf("EVTXWRITE not set (make check sets it to tests/evtxwrite): writer tests skipped\n");
		return false;
	}
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "'%s' '%s' '%s'", w, desc, out);
	int rc = system(cmd);
	assert_int_equal(rc, 0);
	return true;
}

static void test_writer_eid7_counts(void **state)
{
	(void)state;
	char desc[] = "/tmp/test_scan_descXXXXXX", out[] = "/tmp/test_scan_evtxXXXXXX";
	int dfd = mkstemp(desc), ofd = mkstemp(out);
	assert_true(dfd >= 0 && ofd >= 0);
	close(ofd);
	FILE *f = fdopen(dfd, "w");
	assert_non_null(f);
	uint64_t want_alloc = 0, want_rec = 0, records = 0, recovered = 0;
	unsigned i = 0;
	/* chunks of mixed events (the writer starts a new chunk when one is
	 * full), each ended by a few slack events; the slack events refer
	 * back to the definitions of the chunk's allocated ones, or define
	 * their own */
	for (unsigned c = 0; c < 5; c++) {
		if (c == 3) {
			/* a Sysmon 7 record whose values are out of bounds:
			 * libevtx lists it but cannot read it */
			fprintf(f, "hostile values 100000\n");
			put_event(f, W_S7, i++);
			records++;
		}
		for (unsigned k = 0; k < 150; k++, i++) {
			want_alloc += put_event(f, (enum wkind)((k + c) % W_KINDS), i);
			records++;
		}
		fprintf(f, "slack\n");
		for (unsigned k = 0; k < 3 + c; k++, i++) {
			want_rec += put_event(f, (enum wkind)((k * 3 + c) % W_KINDS), i);
			recovered++;
		}
		if (c == 2) {
			fprintf(f, "hostile values 4000\n");
			put_event(f, W_S7, i++);
			recovered++;
		}
		fprintf(f, "chunk\n");
	}
	assert_int_equal(fclose(f), 0);
	if (!run_writer(desc, out)) {
		unlink(desc);
		unlink(out);
		skip();
	}
	struct scan_result res;
	int fd = open(out, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(scan_file_with(fd, six(), &res, NULL, NULL), 0);
	close(fd);
	uint64_t lib_alloc, lib_rec;
	libevtx_eid7(out, &lib_alloc, &lib_rec);
	printf("writer: %llu chunks, %llu records, %llu recovered; Sysmon Event ID 7: %llu allocated, "
	       "%llu recovered (libevtx %llu, %llu)\n", (unsigned long long)res.chunks,
	       (unsigned long long)res.records, (unsigned long long)res.recovered,
	       (unsigned long long)res.eid7_records, (unsigned long long)res.eid7_recovered,
	       (unsigned long long)lib_alloc, (unsigned long long)lib_rec);
	assert_int_equal(res.records, records);
	assert_int_equal(res.recovered, recovered);
	assert_true(res.chunks > 5);
	assert_true(want_alloc > 150 && want_rec > 3);
	assert_int_equal(res.eid7_records, want_alloc);
	assert_int_equal(res.eid7_recovered, want_rec);
	assert_int_equal(lib_alloc, want_alloc);
	assert_int_equal(lib_rec, want_rec);
	fuzz_eid7_file(out);

	/* a chunk without its signature: its records are recovered ones
	 * (libevtx's slack scan from offset 0), the two Sysmon 7 among them
	 * too; a dirty header */
	f = fopen(desc, "w");
	assert_non_null(f);
	fprintf(f, "header dirty\n");
	want_alloc = want_rec = 0;
	for (unsigned k = 0; k < 8; k++)
		want_alloc += put_event(f, (enum wkind)k, k);
	fprintf(f, "chunk\ndamage magic\n");
	for (unsigned k = 0; k < 8; k++)
		want_rec += put_event(f, (enum wkind)k, 100 + k);
	fprintf(f, "chunk\n");
	for (unsigned k = 0; k < 8; k++)
		want_alloc += put_event(f, (enum wkind)((k + 1) % W_KINDS), 200 + k);
	assert_int_equal(fclose(f), 0);
	assert_true(run_writer(desc, out));
	fd = open(out, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(scan_file_with(fd, six(), &res, NULL, NULL), 0);
	close(fd);
	libevtx_eid7(out, &lib_alloc, &lib_rec);
	assert_true(res.dirty);
	assert_int_equal(want_alloc, 4);
	assert_int_equal(want_rec, 2);
	assert_int_equal(res.eid7_records, want_alloc);
	assert_int_equal(res.eid7_recovered, want_rec);
	assert_int_equal(lib_alloc, want_alloc);
	assert_int_equal(lib_rec, want_rec);
	unlink(desc);
	unlink(out);
}

/* A real Sysmon Event ID 7 record with a module name put into it: the
 * scan flags it, and libevtx reads it back from the chunk image. */
struct inject_ctx {
	int calls;
	uint64_t record_offset;
	bool xml_has_name;
};

static int inject_chunk(void *ctx, const struct scan_chunk *c)
{
	struct inject_ctx *k = ctx;
	k->calls++;
	libevtx_file_t *file = NULL;
	libbfio_handle_t *bfio = NULL;
	uint8_t *image = NULL;
	char err[256];
	assert_int_equal(chunk_open_libevtx(c->data, SCAN_CHUNK_SIZE, &file, &bfio, &image, err, sizeof err), 0);
	for (size_t i = 0; i < c->n_records; i++) {
		const struct scan_record *r = &c->records[i];
		if (!r->candidate)
			continue;
		k->record_offset = c->file_offset + r->offset;
		libevtx_record_t *rec = NULL;
		int ok = r->kind == SCAN_REC_ALLOCATED
		         ? libevtx_file_get_record_by_index(file, r->image_index, &rec, NULL)
		         : libevtx_file_get_recovered_record_by_index(file, r->image_index, &rec, NULL);
		assert_int_equal(ok, 1);
		size_t sz = 0;
		assert_int_equal(libevtx_record_get_utf8_xml_string_size(rec, &sz, NULL), 1);
		char *xml = malloc(sz);
		assert_non_null(xml);
		assert_int_equal(libevtx_record_get_utf8_xml_string(rec, (uint8_t *)xml, sz, NULL), 1);
		if (strstr(xml, "PcIcL32.dLl"))
			k->xml_has_name = true;
		free(xml);
		libevtx_record_free(&rec, NULL);
	}
	chunk_close_libevtx(&file, &bfio, &image);
	return 0;
}

static void test_corpus_injected_name(void **state)
{
	struct row *rows = *state;
	if (!rows) {
		printf("corpus absent: test_corpus_injected_name skipped\n");
		skip();
	}
	char path[5200];
	snprintf(path, sizeof path, "%s/sysmon/eas__Privilege_Escalation__Sysmon_UACME_64.evtx", corpus);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s absent: test_corpus_injected_name skipped\n", path);
		skip();
	}
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	size_t size = (size_t)st.st_size;
	uint8_t *f = malloc(size);
	assert_non_null(f);
	assert_int_equal(pread(fd, f, size, 0), (ssize_t)size);
	close(fd);
	/* the first "\combase.dll" (UTF-16) in an allocated record becomes
	 * "\PcIcL32.dLl", same length; the chunk's CRC is fixed up */
	uint8_t pat[32];
	size_t pn = put_utf16(pat, "\\combase.dll");
	uint8_t *hit = NULL;
	for (size_t i = SCAN_FILE_HEADER_SIZE; i + pn <= size && !hit; i++)
		if (memcmp(f + i, pat, pn) == 0) {
			uint8_t *c = f + SCAN_FILE_HEADER_SIZE +
			             (i - SCAN_FILE_HEADER_SIZE) / SCAN_CHUNK_SIZE * SCAN_CHUNK_SIZE;
			if ((size_t)(f + i - c) < get32(c + 48))
				hit = f + i;
		}
	assert_non_null(hit);
	put_utf16(hit, "\\PcIcL32.dLl");
	uint8_t *c = f + SCAN_FILE_HEADER_SIZE +
	             (size_t)(hit - f - SCAN_FILE_HEADER_SIZE) / SCAN_CHUNK_SIZE * SCAN_CHUNK_SIZE;
	fix_chunk_crcs(c);

	struct scan_result res;
	struct inject_ctx k = { 0, 0, false };
	assert_int_equal(scan_bytes(f, size, &res, inject_chunk, &k), 0);
	assert_int_equal(res.candidates, 1);
	assert_int_equal(k.calls, 1);
	assert_true(k.record_offset <= (uint64_t)(hit - f));
	assert_true(k.xml_has_name);
	assert_int_equal(res.chunks_damaged, 0);
	free(f);
}

int main(void)
{
	const struct CMUnitTest unit[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_find_utf16_mixed_case),
		cmocka_unit_test(test_find_every_name_both_encodings),
		cmocka_unit_test(test_find_absent_and_split),
		cmocka_unit_test(test_find_many_hits),
		cmocka_unit_test(test_matcher_without_anchor),
		cmocka_unit_test(test_find_against_oracle),
		cmocka_unit_test(test_walk_clean),
		cmocka_unit_test(test_walk_slack),
		cmocka_unit_test(test_walk_hostile_sizes),
		cmocka_unit_test(test_walk_garbage),
		cmocka_unit_test(test_file_synthetic),
		cmocka_unit_test(test_file_truncated_and_garbage),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_writer_eid7_counts),
	};
	const struct CMUnitTest on_corpus[] = {
		cmocka_unit_test(test_corpus_counts),
		cmocka_unit_test(test_corpus_chunks_vs_libevtx),
		cmocka_unit_test(test_corpus_injected_name),
	};
	int failed = cmocka_run_group_tests_name("scan", unit, NULL, NULL);
	failed += cmocka_run_group_tests_name("scan on the corpus", on_corpus, corpus_setup, corpus_teardown);
	return failed ? 1 : 0;
}
