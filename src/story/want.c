/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "reader.h"
#include "rule.h"
#include "strbuf.h"
#include "value_keys.h"
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

/* ---- hashing (the keys of value_keys.h) ------------------------------ */

/* A folder's key, as value_folder_keys computes it of a record's
 * string: its UTF-8 decoded to UTF-16 code units on the way; *units,
 * how many. */
static uint64_t folder_hash(const char *folder, size_t *units)
{
	const unsigned char *p = (const unsigned char *)folder;
	uint64_t h = VALUE_KEY_START;
	size_t n = 0;
	while (*p) {
		uint32_t cp = *p++;
		int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;
		if (more)
			cp &= 0x3fu >> more;
		while (more-- && (*p & 0xc0) == 0x80)
			cp = cp << 6 | (*p++ & 0x3f);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			h = value_key_step(h, (uint16_t)(0xd800 | cp >> 10));
			h = value_key_step(h, (uint16_t)(0xdc00 | (cp & 0x3ff)));
			n += 2;
		} else {
			h = value_key_step(h, (uint16_t)cp);
			n++;
		}
	}
	*units = n;
	return value_key_folder(h, n);
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
	if (!value_guid_parse(guid_text, g))
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
		const struct want_slot *s = slot_find(w->guid_slot, w->guid_cap, value_key_guid(g),
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
	return value_guid_parse(guid_text, g) && want_has_guid(w, g);
}

/* ---- the scanner's filter --------------------------------------------- */

static bool filter_guid(void *ctx, const uint8_t guid[16])
{
	return want_has_guid(ctx, guid);
}

/* Whether cap slots (0: none) hold a wanted item of this key: a hash
 * match, which is enough for a candidate. */
static bool slots_hold(const struct want_slot *slots, size_t cap, uint64_t key)
{
	for (size_t k = key & (cap - 1); cap && slots[k].used; k = (k + 1) & (cap - 1))
		if (slots[k].hash == key)
			return true;
	return false;
}

/* Whether key is a wanted folder's. */
static bool folder_wanted(void *ctx, uint64_t key)
{
	const struct story_want *w = ctx;
	return slots_hold(w->folder_slot, w->folder_cap, key);
}

/* A string value: a GUID written as text, or a path with a wanted
 * folder in it (value_folder_keys), followed no further than the
 * longest folder wanted: a longer one is none of them (its key holds
 * its length). */
static bool filter_text(void *ctx, const uint8_t *p, size_t units)
{
	const struct story_want *w = ctx;
	uint8_t g[16];
	if (value_guid_text(p, units, g) && want_has_guid(w, g))
		return true;
	return w->n_folders &&
	       value_folder_keys(p, units, w->folder_units_max, folder_wanted, ctx);
}

/* Which values of a record of this Event ID (-1: not told) can make it
 * part of a story (story.c): any record by the GUIDs in it; files
 * created (11) and registry values set (13) by the folders in their
 * strings too. A parents' pass takes process creations only. */
static unsigned values_of_event(int32_t event_id)
{
	if (event_id < 0)
		return SCAN_VALUES_ALL;
	if (!story_event_id((uint32_t)event_id))
		return 0;
	return event_id == 11 || event_id == 13 ? SCAN_VALUES_ALL
		: SCAN_VALUES_GUID | SCAN_VALUES_GUID_TEXT;
}

static unsigned filter_event(void *ctx, int32_t event_id)
{
	const struct story_want *w = ctx;
	if (w->creations_only)
		return event_id < 0 || event_id == 1 ? SCAN_VALUES_ALL : 0;
	return values_of_event(event_id);
}

static unsigned keys_event(void *ctx, int32_t event_id)
{
	(void)ctx;
	return values_of_event(event_id);
}

const struct scan_value_filter story_keys_of = { NULL, NULL, keys_event, NULL };

bool want_meets_keys(const struct story_want *w, const uint64_t *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (slots_hold(w->guid_slot, w->guid_cap, keys[i]) ||
		    slots_hold(w->folder_slot, w->folder_cap, keys[i]))
			return true;
	return false;
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
		uint64_t h = value_key_guid(w->guid[i]);
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
		size_t units;
		uint64_t h = folder_hash(w->folder[i], &units);
		struct want_slot *s = slot_find(w->folder_slot, w->folder_cap, h, same_folder, w,
						w->folder[i]);
		if (s->used) {
			free(w->folder[i]);
			continue;
		}
		w->folder[kept] = w->folder[i];
		*s = (struct want_slot){ h, (uint32_t)kept++, true };
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
