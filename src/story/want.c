/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "reader.h"
#include "rule.h"
#include "strbuf.h"
#include "want.h"

bool story_event_id(uint32_t event_id)
{
	switch (event_id) {
	case 1: case 3: case 5: case 11: case 13: case 22:
		return true;
	default:
		return false;
	}
}

bool story_selects(const struct event *ev)
{
	return story_event_id(ev->event_id) && rule_is_sysmon(ev);
}

const struct event_select story_select = { story_event_id, story_selects };

bool story_guid_parse(const char *s, uint8_t out[16])
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

/* ---- hashing ---------------------------------------------------------- */

static uint64_t fnv_step(uint64_t h, uint16_t unit)
{
	h ^= unit;
	return h * 0x100000001b3ull;
}
#define FNV_START 0xcbf29ce484222325ull

static uint16_t fold_unit(uint16_t u)
{
	return u >= 'A' && u <= 'Z' ? (uint16_t)(u + 32) : u;
}

static uint64_t guid_hash(const uint8_t g[16])
{
	uint64_t h = FNV_START;
	for (int i = 0; i < 16; i++)
		h = fnv_step(h, g[i]);
	return h;
}

/* The folder's units: its UTF-8 decoded to UTF-16 code units (ASCII
 * case already folded), so that it compares with a record's strings. */
static size_t utf8_units(const char *s, uint16_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (*p && n < max) {
		uint32_t cp = *p++;
		int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;
		if (more)
			cp &= 0x3fu >> more;
		while (more-- && (*p & 0xc0) == 0x80)
			cp = cp << 6 | (*p++ & 0x3f);
		if (cp >= 0x10000 && n + 1 < max) {
			cp -= 0x10000;
			out[n++] = (uint16_t)(0xd800 | cp >> 10);
			out[n++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
		} else {
			out[n++] = (uint16_t)cp;
		}
	}
	return n;
}

#define FOLDER_UNITS_MAX 1024

/* The hash filter_text computes over a string's units up to a '\'. */
static uint64_t folder_hash(const char *folder)
{
	uint16_t u[FOLDER_UNITS_MAX];
	size_t n = utf8_units(folder, u, FOLDER_UNITS_MAX);
	uint64_t h = FNV_START;
	for (size_t i = 0; i < n; i++)
		h = fnv_step(h, fold_unit(u[i]));
	return h ^ n;
}

/* Open addressing over hash: the slot holding (hash, index) where
 * same(index) says so, or the free slot it would go in. */
static struct want_slot *slot_find(struct want_slot *slots, size_t cap, uint64_t hash,
				   bool (*same)(const void *, uint32_t, const void *),
				   const void *set, const void *key)
{
	if (!cap)
		return NULL;
	for (size_t i = hash & (cap - 1);; i = (i + 1) & (cap - 1)) {
		struct want_slot *s = &slots[i];
		if (!s->used || (s->hash == hash && same(set, s->index, key)))
			return s;
	}
}

static bool same_guid(const void *set, uint32_t index, const void *key)
{
	const struct story_want *w = set;
	return memcmp(w->guid[index], key, 16) == 0;
}

static bool same_folder(const void *set, uint32_t index, const void *key)
{
	const struct story_want *w = set;
	return strcmp(w->folder[index], key) == 0;
}

/* ---- building the set ------------------------------------------------- */

/* Lookups go through the slots once sealed; an addition drops them. */
static void unseal(struct story_want *w)
{
	free(w->guid_slot);
	free(w->folder_slot);
	w->guid_slot = w->folder_slot = NULL;
	w->guid_cap = w->folder_cap = 0;
}

void want_add_guid(struct story_want *w, const char *guid_text)
{
	uint8_t g[16];
	if (!story_guid_parse(guid_text, g))
		return;
	unseal(w);   /* duplicates go at the next want_seal */
	w->guid = xrealloc(w->guid, (w->n_guids + 1) * sizeof *w->guid);
	memcpy(w->guid[w->n_guids++], g, 16);
}

void want_add_guids(struct story_want *dst, const struct story_want *src)
{
	unseal(dst);
	dst->guid = xrealloc(dst->guid, (dst->n_guids + src->n_guids + 1) * sizeof *dst->guid);
	memcpy(dst->guid + dst->n_guids, src->guid, src->n_guids * sizeof *src->guid);
	dst->n_guids += src->n_guids;
	want_seal(dst);
}

char *story_folder(const char *path)
{
	const char *slash = path ? strrchr(path, '\\') : NULL;
	if (!slash)
		return NULL;
	char *f = xstrndup(path, (size_t)(slash - path) + 1);
	for (char *p = f; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return f;
}

void want_add_folder_of(struct story_want *w, const char *path)
{
	char *f = story_folder(path);
	if (!f)
		return;
	unseal(w);   /* duplicates go at the next want_seal */
	w->folder = xrealloc(w->folder, (w->n_folders + 1) * sizeof *w->folder);
	w->folder[w->n_folders++] = f;
}

bool want_has_guid(const struct story_want *w, const uint8_t g[16])
{
	if (w->guid_cap) {
		const struct want_slot *s = slot_find(w->guid_slot, w->guid_cap, guid_hash(g),
						      same_guid, w, g);
		return s->used;
	}
	for (size_t i = 0; i < w->n_guids; i++)   /* not sealed yet */
		if (memcmp(w->guid[i], g, 16) == 0)
			return true;
	return false;
}

bool want_has_guid_text(const struct story_want *w, const char *guid_text)
{
	uint8_t g[16];
	return story_guid_parse(guid_text, g) && want_has_guid(w, g);
}

/* ---- the scanner's filter --------------------------------------------- */

static bool filter_guid(const void *ctx, const uint8_t guid[16])
{
	return want_has_guid(ctx, guid);
}

/* A string value: a GUID written as text, or a path with a wanted
 * folder in it. Every drive-letter start ("X:\") is followed to each
 * '\' after it, hashing the folded units on the way. */
static bool filter_text(const void *ctx, const uint8_t *p, size_t units)
{
	const struct story_want *w = ctx;
	if (units == 38) {
		char text[39];
		for (size_t i = 0; i < 38; i++)
			text[i] = p[2 * i + 1] ? '?' : (char)p[2 * i];
		text[38] = 0;
		uint8_t g[16];
		if (story_guid_parse(text, g) && want_has_guid(w, g))
			return true;
	}
	if (!w->n_folders)
		return false;
	/* each ':' found by memchr (every record's strings are read here,
	 * most of them with no path at all): a unit's, after a unit, and
	 * followed by a '\\' */
	const uint8_t *end = p + 2 * units;
	for (const uint8_t *q = p; (q = memchr(q, ':', (size_t)(end - q))) != NULL; q++) {
		size_t c = (size_t)(q - p) / 2;      /* the colon's unit */
		if ((size_t)(q - p) % 2 || c < 1 || c + 1 >= units || q[1] != 0 ||
		    q[2] != '\\' || q[3] != 0)
			continue;
		size_t s = c - 1;                    /* the drive letter's */
		uint64_t h = FNV_START;
		/* no further than the longest folder wanted: a longer prefix
		 * is none of them (its key holds its length) */
		for (size_t i = s; i < units && i - s < w->folder_units_max; i++) {
			uint16_t u = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
			h = fnv_step(h, fold_unit(u));
			if (u != '\\' || i < s + 2)
				continue;
			uint64_t key = h ^ (i - s + 1);
			for (size_t k = key & (w->folder_cap - 1); w->folder_slot[k].used;
			     k = (k + 1) & (w->folder_cap - 1))
				if (w->folder_slot[k].hash == key)
					return true;   /* a hash match: a candidate */
		}
	}
	return false;
}

/* Which values of a record of this Event ID (-1: not told) can make it
 * part of a story (story.c): any record by the GUIDs in it; files
 * created (11) and registry values set (13) by the folders in their
 * strings too. A parents' pass takes process creations only. */
static unsigned filter_event(const void *ctx, int32_t event_id)
{
	const struct story_want *w = ctx;
	if (event_id < 0)
		return SCAN_VALUES_ALL;
	if (w->creations_only)
		return event_id == 1 ? SCAN_VALUES_ALL : 0;
	if (!story_event_id((uint32_t)event_id))
		return 0;
	return event_id == 11 || event_id == 13 ? SCAN_VALUES_ALL
		: SCAN_VALUES_GUID | SCAN_VALUES_GUID_TEXT;
}

static size_t cap_for(size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	return cap;
}

/* Builds the slots, dropping duplicates (the arrays are compacted). */
void want_seal(struct story_want *w)
{
	unseal(w);
	w->guid_cap = cap_for(w->n_guids);
	w->guid_slot = xcalloc(w->guid_cap, sizeof *w->guid_slot);
	size_t kept = 0;
	for (size_t i = 0; i < w->n_guids; i++) {
		uint64_t h = guid_hash(w->guid[i]);
		struct want_slot *s = slot_find(w->guid_slot, w->guid_cap, h, same_guid, w,
						w->guid[i]);
		if (s->used)
			continue;
		memmove(w->guid[kept], w->guid[i], 16);
		*s = (struct want_slot){ h, (uint32_t)kept++, true };
	}
	w->n_guids = kept;
	w->folder_cap = cap_for(w->n_folders);
	w->folder_slot = xcalloc(w->folder_cap, sizeof *w->folder_slot);
	w->folder_units_max = 0;
	kept = 0;
	for (size_t i = 0; i < w->n_folders; i++) {
		uint64_t h = folder_hash(w->folder[i]);
		struct want_slot *s = slot_find(w->folder_slot, w->folder_cap, h, same_folder, w,
						w->folder[i]);
		if (s->used) {
			free(w->folder[i]);
			continue;
		}
		w->folder[kept] = w->folder[i];
		*s = (struct want_slot){ h, (uint32_t)kept++, true };
		uint16_t u[FOLDER_UNITS_MAX];
		size_t units = utf8_units(w->folder[i], u, FOLDER_UNITS_MAX);
		if (units > w->folder_units_max)
			w->folder_units_max = units;
	}
	w->n_folders = kept;
	w->filter = (struct scan_value_filter){ filter_guid, filter_text, filter_event, w };
}

void want_free(struct story_want *w)
{
	for (size_t i = 0; i < w->n_folders; i++)
		free(w->folder[i]);
	free(w->folder);
	free(w->guid);
	free(w->guid_slot);
	free(w->folder_slot);
	memset(w, 0, sizeof *w);
}
