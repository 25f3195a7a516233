/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* binxml_value: whether libfwevt renders a record's values as this
 * reader knows it does (binxml.h: values_render). Asked of the rule's
 * records (Sysmon Event ID 7), which every reading renders: libevtx
 * fails the rendering of a record one of whose values it cannot write,
 * and such a record must go to libevtx, not be taken as read. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "binxml.h"
#include "le.h"
#include "scan_private.h"

/* Where the first unit of a surrogate (D800-DFFF) is among the n
 * UTF-16LE units at p, or n when there is none. Nearly every string
 * holds none, which sixteen units at a time tell (four without SSE2). */
static size_t utf16_first_surrogate(const uint8_t *p, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i mask = _mm_set1_epi16((short)0xf800), sur = _mm_set1_epi16((short)0xd800);
	for (; i + 16 <= n; i += 16) {     /* sixteen at a time, then eight */
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 2 * i));
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + 2 * i + 16));
		if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi16(_mm_and_si128(x, mask), sur),
						   _mm_cmpeq_epi16(_mm_and_si128(y, mask), sur))))
			break;
	}
	for (; i + 8 <= n; i += 8) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 2 * i));
		if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(x, mask), sur)))
			break;
	}
#endif
	for (; i + 4 <= n; i += 4) {
		uint64_t x = le64(p + 2 * i) & 0xf800f800f800f800ULL;
		uint64_t y = x ^ 0xd800d800d800d800ULL;    /* a surrogate's lane is 0 */
		if ((y - 0x0001000100010001ULL) & ~y & 0x8000800080008000ULL)
			break;
	}
	for (; i < n; i++)
		if ((p[2 * i + 1] & 0xf8) == 0xd8)
			return i;
	return n;
}

bool utf16_has_surrogate(const uint8_t *p, size_t n)
{
	return utf16_first_surrogate(p, n) < n;
}

/* Whether n UTF-16LE units at p convert to UTF-8: libuna fails the
 * rendering of a record at an unpaired surrogate. */
static bool utf16_renders(const uint8_t *p, size_t n)
{
	for (size_t i = utf16_first_surrogate(p, n); i < n; i++) {
		uint8_t hi = p[2 * i + 1];
		if ((hi & 0xf8) != 0xd8)
			continue;
		if (hi >= 0xdc || i + 1 == n || (p[2 * i + 3] & 0xfc) != 0xdc)
			return false;   /* a low one alone, or a high one not followed by one */
		i++;
	}
	return true;
}

/* 8-bit strings (a code page), floats, SYSTEMTIMEs and arrays, which
 * Sysmon does not write, are left to libevtx (binxml.h). */
bool value_renders(const uint8_t *p, size_t size, uint8_t t)
{
	if (t == 0x01)
		return utf16_renders(p, size / 2);
	return type_renders(t);
}

/* Whether every value of the instance whose values are at c[pos..end)
 * (already walked: in bounds, nested instances read) renders
 * (value_renders), nested instances' too. Every reading renders the
 * rule's records (Sysmon Event ID 7), and libevtx fails the rendering
 * of one that does not: such a record is left to it. The values of
 * other records are not looked at, which would cost the scan of a
 * clean log a tenth of its time (the man page: the two readings). */
bool values_render(const uint8_t *c, size_t pos, size_t end, struct tcache *tc, int depth)
{
	struct values v;
	if (depth > FRAGMENT_MAX_DEPTH || !values_head(c, pos, end, &v))
		return false;
	size_t voff = v.first;
	for (uint32_t i = 0; i < v.count; i++) {
		size_t sz = le16(v.desc + 4 * i);
		uint8_t t = v.desc[4 * i + 2];
		if (!value_renders(c + voff, sz, t))
			return false;
		if (t == 0x21) {
			struct tdef tmp;
			uint32_t def_off;
			size_t at = voff;
			if (!binxml_instance(c, &at, voff + sz, tc, &tmp, &def_off) ||
			    !values_render(c, at, voff + sz, tc, depth + 1))
				return false;
		}
		voff += sz;
	}
	return true;
}
