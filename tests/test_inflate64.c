/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of inflate64.c on streams written bit by bit here: what
 * Deflate64 adds to Deflate (the 16-bit length, the two far distances),
 * a match copied out across reads of a few bytes, and one table of
 * damaged streams that must each fail with their own reason. 7-Zip's
 * own streams are compared in tests/deflate64.test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inflate64.h"
#include "source.h"

/* ---- a bit writer ----------------------------------------------------- */

struct bits {
	uint8_t buf[1 << 18];
	size_t bit;
};

static void put_bits(struct bits *b, uint32_t v, unsigned n)   /* first bit first */
{
	for (unsigned i = 0; i < n; i++, b->bit++)
		if (v >> i & 1)
			b->buf[b->bit / 8] |= (uint8_t)(1u << (b->bit % 8));
}

static void put_code(struct bits *b, uint32_t code, unsigned n)  /* a Huffman code: top bit first */
{
	for (unsigned i = n; i-- > 0;)
		put_bits(b, code >> i & 1, 1);
}

static void put_byte_aligned(struct bits *b, uint8_t v)
{
	b->bit = (b->bit + 7) / 8 * 8;
	put_bits(b, v, 8);
}

/* The fixed code (RFC 1951 3.2.6). */
static void fixed_lit(struct bits *b, unsigned v)
{
	if (v < 144)
		put_code(b, 0x30 + v, 8);
	else if (v < 256)
		put_code(b, 0x190 + v - 144, 9);
	else if (v < 280)
		put_code(b, v - 256, 7);
	else
		put_code(b, 0xc0 + v - 280, 8);
}

static void stored(struct bits *b, bool last, const uint8_t *p, uint16_t n)
{
	put_bits(b, last, 1);
	put_bits(b, 0, 2);
	put_byte_aligned(b, (uint8_t)n);
	put_bits(b, n >> 8, 8);
	put_bits(b, (uint8_t)~n, 8);
	put_bits(b, (uint16_t)~n >> 8, 8);
	for (uint16_t i = 0; i < n; i++)
		put_bits(b, p[i], 8);
}

/* All of the stream's output, read step bytes at a time: its length, or
 * -1 with err. */
static ssize_t inflate_all(const struct bits *b, size_t inlen, uint8_t *out, size_t max,
			   size_t step, char *err, size_t errsz)
{
	struct source *in = source_memory(b->buf, inlen);
	struct inflate64 *z = inflate64_new(in);
	size_t got = 0;
	ssize_t k;
	while ((k = inflate64_read(z, out + got, max - got < step ? max - got : step, err,
				   errsz)) > 0)
		got += (size_t)k;
	inflate64_free(z);
	source_close(in);
	return k < 0 ? -1 : (ssize_t)got;
}

/* ---- what Deflate64 adds ---------------------------------------------- */

/* 50,000 stored bytes, then a fixed block: a match at distance 49,153 +
 * 6,000 (code 31) of length 3 + 40,000 (code 285, 16 extra bits), and
 * one at distance 32,769 (code 30) of 258 bytes, which Deflate would
 * write with code 285 and Deflate64 with 284 + 31. */
static void test_far_and_long(void **state)
{
	(void)state;
	static struct bits b;
	static uint8_t want[200000], got[200000];
	memset(&b, 0, sizeof b);
	for (size_t i = 0; i < 60000; i++)
		want[i] = (uint8_t)(i * 7 + i / 251);
	stored(&b, false, want, 60000);
	size_t n = 60000;
	put_bits(&b, 1, 1);            /* last, fixed */
	put_bits(&b, 1, 2);
	fixed_lit(&b, 285);
	put_bits(&b, 40000, 16);
	put_code(&b, 31, 5);
	put_bits(&b, 6000, 14);
	for (size_t i = 0; i < 40003; i++, n++)
		want[n] = want[n - (49153 + 6000)];
	fixed_lit(&b, 284);
	put_bits(&b, 31, 5);           /* 227 + 31 = 258 */
	put_code(&b, 30, 5);
	put_bits(&b, 0, 14);
	for (size_t i = 0; i < 258; i++, n++)
		want[n] = want[n - 32769];
	fixed_lit(&b, 'x');
	want[n++] = 'x';
	fixed_lit(&b, 256);
	char err[SOURCE_ERR_MAX] = "";
	for (size_t step = 1; step <= 65536; step *= 64) {
		memset(got, 0, sizeof got);
		ssize_t k = inflate_all(&b, (b.bit + 7) / 8, got, sizeof got, step, err, sizeof err);
		assert_int_equal(k, (ssize_t)n);
		assert_memory_equal(got, want, n);
	}
}

/* A match of length 3 at distance 1 repeats one byte: overlapping copy. */
static void test_overlap(void **state)
{
	(void)state;
	static struct bits b;
	memset(&b, 0, sizeof b);
	put_bits(&b, 1, 1);
	put_bits(&b, 1, 2);
	fixed_lit(&b, 'a');
	fixed_lit(&b, 'b');
	fixed_lit(&b, 258);           /* length 4 */
	put_code(&b, 1, 5);           /* distance 2 */
	fixed_lit(&b, 256);
	uint8_t got[16];
	char err[SOURCE_ERR_MAX];
	assert_int_equal(inflate_all(&b, (b.bit + 7) / 8, got, sizeof got, 3, err, sizeof err), 6);
	assert_memory_equal(got, "ababab", 6);
}

/* ---- damaged streams -------------------------------------------------- */

static void make_reserved(struct bits *b)
{
	put_bits(b, 1, 1);
	put_bits(b, 3, 2);
}

static void make_nlen(struct bits *b)
{
	put_bits(b, 1, 1);
	put_bits(b, 0, 2);
	put_byte_aligned(b, 5);
	put_bits(b, 0, 8);
	put_bits(b, 0xfa, 8);
	put_bits(b, 0xfe, 8);         /* not the complement of 5 */
}

static void make_cut(struct bits *b)
{
	stored(b, true, (const uint8_t *)"hello", 5);
	b->bit -= 16;                 /* two bytes short */
}

static void make_before_start(struct bits *b)
{
	put_bits(b, 1, 1);
	put_bits(b, 1, 2);
	fixed_lit(b, 'a');
	fixed_lit(b, 257);
	put_code(b, 1, 5);            /* distance 2, one byte written */
	fixed_lit(b, 256);
}

static void make_no_end(struct bits *b)
{
	put_bits(b, 1, 1);
	put_bits(b, 1, 2);
	fixed_lit(b, 'a');            /* and then the input ends */
}

static void make_oversubscribed(struct bits *b)
{
	put_bits(b, 1, 1);
	put_bits(b, 2, 2);            /* dynamic */
	put_bits(b, 0, 5);
	put_bits(b, 0, 5);
	put_bits(b, 15, 4);           /* 19 code-length codes, all of length 1 */
	for (int i = 0; i < 19; i++)
		put_bits(b, 1, 3);
}

static void make_no_eob(struct bits *b)
{
	put_bits(b, 1, 1);
	put_bits(b, 2, 2);
	put_bits(b, 0, 5);            /* 257 literal/length codes */
	put_bits(b, 0, 5);            /* 1 distance code */
	put_bits(b, 14, 4);           /* 18 code-length codes: 16,17,18,0,8,...,1 */
	/* lengths: 18 and 1 have length 1 (order index 2 and 17) */
	for (int i = 0; i < 18; i++)
		put_bits(b, i == 2 || i == 17 ? 1 : 0, 3);
	/* symbol 1 is code 0, symbol 18 code 1: two literals of length 1,
	 * then zeros for the other 256 lengths, end-of-block's among them */
	put_code(b, 0, 1);
	put_code(b, 0, 1);
	put_code(b, 1, 1);            /* 18: 138 zeros */
	put_bits(b, 127, 7);
	put_code(b, 1, 1);            /* 18: 118 zeros */
	put_bits(b, 107, 7);
}

static const struct {
	void (*make)(struct bits *b);
	const char *why;
} damaged[] = {
	{ make_reserved, "reserved type 3" },
	{ make_nlen, "complement" },
	{ make_cut, "cut short" },
	{ make_before_start, "before the start" },
	{ make_no_end, "cut short" },
	{ make_oversubscribed, "too many codes" },
	{ make_no_eob, "no end-of-block" },
};

static void test_damaged(void **state)
{
	(void)state;
	static struct bits b;
	for (size_t i = 0; i < sizeof damaged / sizeof *damaged; i++) {
		memset(&b, 0, sizeof b);
		damaged[i].make(&b);
		uint8_t out[64];
		char err[SOURCE_ERR_MAX] = "";
		ssize_t k = inflate_all(&b, (b.bit + 7) / 8, out, sizeof out, 64, err, sizeof err);
		if (k != -1 || !strstr(err, damaged[i].why))
			fail_msg("case %zu: got %zd, \"%s\"; wanted \"%s\"", i, k, err, damaged[i].why);
	}
}

/* A stored block that claims more bytes than the input holds: the
 * decoder stops at the input's end, neither making up bytes nor taking
 * more than the input has, however much a read asks for (the fuzz
 * campaign found it taking a read's worth past the end). */
static void test_stored_claims_more(void **state)
{
	(void)state;
	static struct bits b;
	memset(&b, 0, sizeof b);
	stored(&b, true, (const uint8_t *)"hello, world", 12);
	size_t inlen = (b.bit + 7) / 8 - 7;   /* 5 bytes of the 12 */
	struct source *in = source_memory(b.buf, inlen);
	struct inflate64 *z = inflate64_new(in);
	uint8_t out[64];
	char err[SOURCE_ERR_MAX] = "";
	ssize_t k = inflate64_read(z, out, sizeof out, err, sizeof err);
	assert_int_equal(k, -1);
	assert_non_null(strstr(err, "cut short"));
	assert_true(inflate64_consumed(z) <= inlen + 1);
	inflate64_free(z);
	source_close(in);
}

/* An empty input is a stream cut short, not an empty member. */
static void test_empty(void **state)
{
	(void)state;
	static struct bits b;
	memset(&b, 0, sizeof b);
	uint8_t out[4];
	char err[SOURCE_ERR_MAX] = "";
	assert_int_equal(inflate_all(&b, 0, out, sizeof out, 4, err, sizeof err), -1);
	assert_non_null(strstr(err, "cut short"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_far_and_long),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_stored_claims_more),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
