/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "strbuf.h"
#include "value_keys.h"

uint64_t value_key_guid(const uint8_t g[16])
{
	uint64_t h = VALUE_KEY_START;
	for (int i = 0; i < 16; i++)
		h = value_fnv(h, g[i]);
	return h;
}

/* The keys of the folders from unit s of p: hashed on to each '\' at
 * or past unit first, no further than max_units units from s. */
static bool prefix_keys(const uint8_t *p, size_t units, size_t s, size_t first, size_t max_units,
			bool (*fn)(void *ctx, uint64_t key), void *ctx)
{
	uint64_t h = VALUE_KEY_START;
	for (size_t i = s; i < units && i - s < max_units; i++) {
		uint16_t u = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
		h = value_key_step(h, u);
		if (u == '\\' && i >= first && fn(ctx, value_key_folder(h, i - s + 1)))
			return true;
	}
	return false;
}

bool value_folder_keys(const uint8_t *p, size_t units, size_t max_units,
		       bool (*fn)(void *ctx, uint64_t key), void *ctx)
{
	/* a path from the string's start that no drive letter begins
	 * ("\\?\C:\", "\Device\...", "\\server\") */
	if (units && p[0] == '\\' && p[1] == 0 && prefix_keys(p, units, 0, 0, max_units, fn, ctx))
		return true;
	/* each ':' found by memchr (most strings hold no path at all): a
	 * unit's, after a unit, and followed by a '\' */
	const uint8_t *end = p + 2 * units;
	for (const uint8_t *q = p; (q = memchr(q, ':', (size_t)(end - q))) != NULL; q++) {
		size_t c = (size_t)(q - p) / 2;      /* the colon's unit */
		if ((size_t)(q - p) % 2 || c < 1 || c + 1 >= units || q[1] != 0 ||
		    q[2] != '\\' || q[3] != 0)
			continue;
		if (prefix_keys(p, units, c - 1, c + 1, max_units, fn, ctx))
			return true;
	}
	return false;
}

bool value_guid_parse(const char *s, uint8_t out[16])
{
	/* the 16 bytes in text order, then the first three groups swapped */
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t b[16];
	size_t k = 0;
	if (!s || strlen(s) != 38 || s[0] != '{' || s[37] != '}')
		return false;
	for (size_t i = 1; i < 37; i++) {
		if (i == 9 || i == 14 || i == 19 || i == 24) {
			if (s[i] != '-')
				return false;
			continue;
		}
		int hi = hex_value((unsigned char)s[i]), lo = hex_value((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		b[k++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	for (int i = 0; i < 16; i++)
		out[order[i]] = b[i];
	return true;
}

bool value_guid_text(const uint8_t *p, size_t units, uint8_t out[16])
{
	if (units != 38)
		return false;
	char text[39];
	for (size_t i = 0; i < 38; i++)
		text[i] = p[2 * i + 1] ? '?' : (char)p[2 * i];
	text[38] = 0;
	return value_guid_parse(text, out);
}

static bool key_into(void *ctx, uint64_t key)
{
	value_keys_add(ctx, key);
	return false;
}

void value_string_keys(const uint8_t *p, size_t units, struct value_keys *k)
{
	uint8_t g[16];
	if (value_guid_text(p, units, g))
		value_keys_add(k, value_key_guid(g));
	value_folder_keys(p, units, VALUE_FOLDER_UNITS_MAX, key_into, k);
}

static int cmp_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void value_keys_seal(struct value_keys *k)
{
	if (k->over || k->sealed)
		return;
	size_t n = 0;
	for (size_t i = 0; k->v && i < VALUE_KEYS_SLOTS; i++)
		if (k->v[i])
			k->v[n++] = k->v[i];
	if (k->zero) {
		if (!k->v)
			k->v = xcalloc(1, sizeof *k->v);
		k->v[n++] = 0;
	}
	if (n)
		qsort(k->v, n, sizeof *k->v, cmp_key);
	if (k->v)
		k->v = xrealloc(k->v, (n ? n : 1) * sizeof *k->v);
	k->n = n;
	k->sealed = true;
}

void value_keys_add(struct value_keys *k, uint64_t key)
{
	if (k->over || k->sealed)
		return;
	if (key == 0) {
		k->n += !k->zero;
		k->zero = true;
	} else {
		if (!k->v)
			k->v = xcalloc(VALUE_KEYS_SLOTS, sizeof *k->v);
		size_t i = (size_t)(key ^ key >> 29) & (VALUE_KEYS_SLOTS - 1);
		while (k->v[i] && k->v[i] != key)
			i = (i + 1) & (VALUE_KEYS_SLOTS - 1);
		if (k->v[i])
			return;   /* held already: most of a log's keys */
		k->v[i] = key;
		k->n++;
	}
	if (k->n > VALUE_KEYS_MAX) {
		value_keys_free(k);
		k->over = true;
	}
}

void value_keys_free(struct value_keys *k)
{
	free(k->v);
	memset(k, 0, sizeof *k);
}
