/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* inflate64: a Deflate64 decoder, written from RFC 1951 and PKWARE's
 * APPNOTE (method 9). See inflate64.h for what differs from Deflate. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "inflate64.h"

#define WINDOW 65536u
#define FAST_BITS 10          /* codes this short decode by one lookup */
#define MAX_BITS 15
#define IN_BLOCK 65536

/* A canonical Huffman code: the lookup for short codes, and for the
 * rest the counts and symbols in code order that a longer walk needs. */
struct huff {
	uint16_t fast[1u << FAST_BITS];   /* symbol << 4 | length; 0: longer */
	uint16_t count[MAX_BITS + 1];
	uint16_t sym[288];
};

enum state { ST_HEADER, ST_STORED, ST_CODED, ST_DONE, ST_FAILED };

struct inflate64 {
	struct source *in;
	uint64_t in_off;              /* next byte of in to fetch */
	uint8_t buf[IN_BLOCK];
	size_t buf_pos, buf_len;
	uint64_t fetched;             /* real input bytes taken into bits */
	uint64_t padded;              /* zero bytes made up past in's end */
	uint64_t bits;                /* the next bitcnt bits, first in bit 0 */
	unsigned bitcnt;

	enum state state;
	bool last;                    /* the block being read is the final one */
	uint32_t stored_left;
	uint32_t copy_len, copy_dist; /* a match still being copied out */
	struct huff lit, dist;

	uint8_t window[WINDOW];
	uint64_t total;               /* bytes of output so far */
	char why[SOURCE_ERR_MAX];
};

/* Lengths 257..285 and distances 0..31: base and extra bits. Deflate64's
 * own entries are the last length (3 + 16 bits) and distances 30, 31. */
static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 3 };
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 16 };
static const uint16_t dist_base[32] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
	16385, 24577, 32769, 49153 };
static const uint8_t dist_extra[32] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14 };
/* The order in which a dynamic block sends its code-length code. */
static const uint8_t cl_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

/* Marks the decoder failed; every later read says why. */
static void fail(struct inflate64 *z, const char *why)
{
	if (z->state == ST_FAILED)
		return;
	z->state = ST_FAILED;
	snprintf(z->why, sizeof z->why, "Deflate64: %.*s", (int)sizeof z->why - 12, why);
}

/* ---- bits ------------------------------------------------------------- */

/* The next input byte; past the input's end a zero, counted so that a
 * stream whose codes run into those zeros is found cut short. */
static uint8_t fetch(struct inflate64 *z)
{
	if (z->buf_pos == z->buf_len) {
		uint64_t left = z->in->size > z->in_off ? z->in->size - z->in_off : 0;
		size_t want = left < IN_BLOCK ? (size_t)left : IN_BLOCK;
		ssize_t k = want ? source_read(z->in, z->in_off, z->buf, want) : 0;
		if (k < 0) {
			fail(z, z->in->err);
			k = 0;
		}
		z->in_off += (uint64_t)k;
		z->buf_pos = 0;
		z->buf_len = (size_t)k;
		if (k == 0) {
			z->padded++;
			return 0;
		}
	}
	z->fetched++;
	return z->buf[z->buf_pos++];
}

/* At least need bits in z->bits (need <= 57). */
static void refill(struct inflate64 *z, unsigned need)
{
	while (z->bitcnt < need) {
		z->bits |= (uint64_t)fetch(z) << z->bitcnt;
		z->bitcnt += 8;
	}
}

/* Whether the bits taken so far went past the input's end. */
static bool overran(struct inflate64 *z)
{
	if (z->padded * 8 > z->bitcnt) {
		fail(z, "the stream is cut short");
		return true;
	}
	return z->state == ST_FAILED;
}

static void drop(struct inflate64 *z, unsigned n)
{
	z->bits >>= n;
	z->bitcnt -= n;
}

static uint32_t take(struct inflate64 *z, unsigned n)
{
	if (n == 0)
		return 0;
	refill(z, n);
	uint32_t v = (uint32_t)(z->bits & ((1ull << n) - 1));
	drop(z, n);
	return v;
}

/* ---- Huffman codes ---------------------------------------------------- */

static uint32_t reverse(uint32_t code, unsigned len)
{
	uint32_t r = 0;
	for (unsigned i = 0; i < len; i++, code >>= 1)
		r = r << 1 | (code & 1);
	return r;
}

/* The code of n symbols with these lengths (0: unused). Returns 0, or -1
 * when the lengths ask for more codes than exist. An incomplete code is
 * taken; reading one of its missing codes is then an error. */
static int huff_build(struct huff *h, const uint8_t *lens, unsigned n)
{
	uint16_t offs[MAX_BITS + 2];
	memset(h->count, 0, sizeof h->count);
	memset(h->fast, 0, sizeof h->fast);
	for (unsigned s = 0; s < n; s++)
		h->count[lens[s]]++;
	h->count[0] = 0;
	int left = 1;
	for (unsigned l = 1; l <= MAX_BITS; l++) {
		left = left * 2 - h->count[l];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (unsigned l = 1; l <= MAX_BITS; l++)
		offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
	for (unsigned s = 0; s < n; s++)
		if (lens[s])
			h->sym[offs[lens[s]]++] = (uint16_t)s;
	/* Codes are sent first bit first, so the lookup is by the reversed
	 * code, every entry whose low bits match it. */
	uint32_t code = 0;
	unsigned idx = 0;
	for (unsigned l = 1; l <= FAST_BITS; l++, code <<= 1)
		for (unsigned k = 0; k < h->count[l]; k++, code++, idx++)
			for (uint32_t f = reverse(code, l); f < (1u << FAST_BITS); f += 1u << l)
				h->fast[f] = (uint16_t)(h->sym[idx] << 4 | l);
	return 0;
}

/* The next symbol of code h, or -1 (and the decoder failed). */
static int decode(struct inflate64 *z, const struct huff *h)
{
	refill(z, MAX_BITS);
	uint16_t e = h->fast[z->bits & ((1u << FAST_BITS) - 1)];
	if (e) {
		drop(z, e & 15);
		return e >> 4;
	}
	/* A long code: walk the lengths, first code of each. */
	int code = 0, first = 0, index = 0;
	for (unsigned l = 1; l <= MAX_BITS; l++) {
		code |= (int)((z->bits >> (l - 1)) & 1);
		int count = h->count[l];
		if (code - first < count) {
			drop(z, l);
			return h->sym[index + code - first];
		}
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	fail(z, "a code that its block does not define");
	return -1;
}

static void fixed_codes(struct inflate64 *z)
{
	uint8_t lens[288];
	memset(lens, 8, 144);
	memset(lens + 144, 9, 112);
	memset(lens + 256, 7, 24);
	memset(lens + 280, 8, 8);
	huff_build(&z->lit, lens, 288);
	memset(lens, 5, 32);
	huff_build(&z->dist, lens, 32);
}

/* A dynamic block's codes, read from its header. Returns 0 or -1. */
static int dynamic_codes(struct inflate64 *z)
{
	unsigned nlit = take(z, 5) + 257, ndist = take(z, 5) + 1, ncl = take(z, 4) + 4;
	uint8_t lens[288 + 32];
	memset(lens, 0, sizeof lens);
	if (nlit > 286) {
		fail(z, "more literal/length codes than there are");
		return -1;
	}
	for (unsigned i = 0; i < ncl; i++)
		lens[cl_order[i]] = (uint8_t)take(z, 3);
	struct huff cl;
	if (huff_build(&cl, lens, 19) != 0) {
		fail(z, "a code-length code with too many codes");
		return -1;
	}
	memset(lens, 0, sizeof lens);
	for (unsigned i = 0; i < nlit + ndist;) {
		int sym = decode(z, &cl);
		unsigned rep = 0;
		uint8_t val = 0;
		if (sym < 0 || overran(z))
			return -1;
		if (sym < 16) {
			lens[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0) {
				fail(z, "a repeat with nothing before it");
				return -1;
			}
			val = lens[i - 1];
			rep = 3 + take(z, 2);
		} else {
			rep = sym == 17 ? 3 + take(z, 3) : 11 + take(z, 7);
		}
		if (i + rep > nlit + ndist) {
			fail(z, "code lengths past the end of the table");
			return -1;
		}
		while (rep--)
			lens[i++] = val;
	}
	if (lens[256] == 0) {
		fail(z, "a block with no end-of-block code");
		return -1;
	}
	if (huff_build(&z->lit, lens, nlit) != 0 || huff_build(&z->dist, lens + nlit, ndist) != 0) {
		fail(z, "a code with too many codes of one length");
		return -1;
	}
	return 0;
}

/* ---- blocks ----------------------------------------------------------- */

static void block_header(struct inflate64 *z)
{
	if (z->last) {
		z->state = ST_DONE;
		return;
	}
	z->last = take(z, 1);
	switch (take(z, 2)) {
	case 0: {
		drop(z, z->bitcnt % 8);
		uint32_t len = take(z, 16), nlen = take(z, 16);
		if (overran(z))
			return;
		if ((len ^ 0xffff) != nlen) {
			fail(z, "a stored block whose length and its complement differ");
			return;
		}
		z->stored_left = len;
		z->state = ST_STORED;
		break;
	}
	case 1:
		fixed_codes(z);
		z->state = ST_CODED;
		break;
	case 2:
		if (dynamic_codes(z) == 0)
			z->state = ST_CODED;
		break;
	default:
		fail(z, "a block of the reserved type 3");
	}
	overran(z);
}

static inline void put(struct inflate64 *z, uint8_t *out, size_t *got, uint8_t b)
{
	z->window[z->total % WINDOW] = b;
	z->total++;
	out[(*got)++] = b;
}

/* The next symbol of a coded block: a byte, the block's end or a match. */
static void coded_symbol(struct inflate64 *z, uint8_t *out, size_t *got)
{
	int sym = decode(z, &z->lit);
	if (sym < 0)
		return;
	if (sym < 256) {
		put(z, out, got, (uint8_t)sym);
	} else if (sym == 256) {
		z->state = ST_HEADER;
	} else if (sym > 285) {
		fail(z, "a length code that does not exist");
	} else {
		uint32_t len = len_base[sym - 257] + take(z, len_extra[sym - 257]);
		int d = decode(z, &z->dist);
		if (d < 0)
			return;
		uint32_t dist = dist_base[d] + take(z, dist_extra[d]);
		if (dist > z->total) {
			fail(z, "a distance before the start of the output");
			return;
		}
		z->copy_len = len;
		z->copy_dist = dist;
	}
	overran(z);
}

ssize_t inflate64_read(struct inflate64 *z, void *buf, size_t n, char *err, size_t errsz)
{
	uint8_t *out = buf;
	size_t got = 0;
	while (got < n && z->state != ST_FAILED && z->state != ST_DONE) {
		if (z->copy_len) {
			for (; z->copy_len && got < n; z->copy_len--)
				put(z, out, &got, z->window[(z->total - z->copy_dist) % WINDOW]);
			continue;
		}
		switch (z->state) {
		case ST_HEADER:
			block_header(z);
			break;
		case ST_STORED:
			/* byte by byte, stopping at the first made up past the
			 * input's end: a stored block that claims more than is
			 * left neither yields nor takes more than there is */
			for (; z->stored_left && got < n; z->stored_left--) {
				uint8_t b = (uint8_t)take(z, 8);
				if (overran(z))
					break;
				put(z, out, &got, b);
			}
			if (!overran(z) && z->stored_left == 0)
				z->state = ST_HEADER;
			break;
		case ST_CODED:
			coded_symbol(z, out, &got);
			break;
		default:
			break;
		}
	}
	if (z->state == ST_FAILED) {
		source_set_err(err, errsz, "%s", z->why);
		return -1;
	}
	return (ssize_t)got;
}

uint64_t inflate64_consumed(const struct inflate64 *z)
{
	uint64_t bits = (z->fetched + z->padded) * 8 - z->bitcnt;
	return (bits + 7) / 8;
}

struct inflate64 *inflate64_new(struct source *in)
{
	struct inflate64 *z = calloc(1, sizeof *z);
	if (z)
		z->in = in;
	return z;
}

void inflate64_free(struct inflate64 *z)
{
	free(z);
}
