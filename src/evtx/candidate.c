/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan: the candidate search, module names as UTF-16LE and 8-bit
 * text (scan.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* memmem */
#endif
#include <stdlib.h>
#include <string.h>
#include "scan.h"
#include "scan_private.h"

/* ---- candidate search --------------------------------------------- */

static uint8_t fold(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

/* The bytes after the anchor that all names share ("dll"), checked
 * first at each anchor byte found; the characters right after it and
 * right before it in any name (around), which rule out most anchors
 * before any name is tried. */
static void anchor_filters(struct scan_matcher *m)
{
	size_t t = 0, n = m->n;
	for (;; t++) {
		char c = m->name[0][m->dot[0] + 1 + t];
		bool same = c != 0;
		for (size_t i = 1; i < n && same; i++)
			same = m->name[i][m->dot[i] + 1 + t] == c;
		if (!same)
			break;
	}
	m->tail = t;
	size_t k = 0;
	bool ends = false;
	for (size_t i = 0; i < n; i++) {
		char c = m->name[i][m->dot[i] + 1];
		ends |= c == 0;
		if (c && !memchr(m->nexts, c, k))
			m->nexts[k++] = c;
	}
	if (ends)
		k = 0;
	m->nexts[k] = '\0';
	for (size_t j = 0; j < k; j++)
		m->around[(uint8_t)m->nexts[j]] |= SCAN_NEXT;
	for (size_t i = 0; i < n; i++) {
		if (m->dot[i] == 0)
			m->anchor_first = true;
		else
			m->around[(uint8_t)m->name[i][m->dot[i] - 1]] |= SCAN_PREV;
	}
}

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
	 * whatever the case) and is in every name: '.' for "x.dll"; '=' and
	 * ' ' (seldom in a record, unlike digits) for the product and the
	 * import hash the traces look for. */
	static const char prefer[] = ".= 0123456789_-$";
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
			anchor_filters(m);
			return 0;
		}
	}
	m->anchored = false;
	memset(m->dot, 0, sizeof m->dot);
	return 0;
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
	/* the character after the anchor, in either encoding: a name whose
	 * own differs is not tried (names with no shared tail, ".dll" and
	 * ".exe", would otherwise all be tried at every '.') */
	uint8_t n16 = w16 && pos + 2 < len ? fold(buf[pos + 2]) : 0;
	uint8_t n8 = w8 && pos + 1 < len ? fold(buf[pos + 1]) : 0;
	if (m->nexts[0] && !((m->around[n16] | m->around[n8]) & SCAN_NEXT))
		return count;
	/* and the one before it ("2" of "htctl32.dll"): most DLLs' ".dll"
	 * ends here, before any name is tried (0: none, in no name) */
	uint8_t p16 = w16 && pos >= 2 && buf[pos - 1] == 0 ? fold(buf[pos - 2]) : 0;
	uint8_t p8 = w8 && pos >= 1 ? fold(buf[pos - 1]) : 0;
	if (!m->anchor_first && !((m->around[p16] | m->around[p8]) & SCAN_PREV))
		return count;
	for (size_t i = 0; i < m->n; i++) {
		size_t d = m->dot[i], l = m->len[i];
		uint8_t next = (uint8_t)m->name[i][d + 1];   /* 0: the anchor ends it */
		uint8_t prev = d ? (uint8_t)m->name[i][d - 1] : 0;   /* 0: it starts it */
		/* as UTF-16LE: the anchor is the low byte of a code unit */
		if (w16 && (!next || n16 == next) && (!prev || p16 == prev) && pos >= 2 * d &&
		    pos - 2 * d + 2 * l <= len && match16(m, i, buf + pos - 2 * d))
			count = add_hit(hits, max, count, pos - 2 * d, 2 * l, i, true);
		/* as 8-bit text */
		if (w8 && (!next || n8 == next) && (!prev || p8 == prev) && pos >= d &&
		    pos - d + l <= len && match8(m, i, buf + pos - d))
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

bool scan_has_eid7_template(const uint8_t *chunk, size_t len)
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
