/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* value_keys: the keys by which a value filter (scan.h: struct
 * scan_value_filter; the process story's, src/story/want.c) looks up a
 * record's values, and a log's set of them.
 *
 * A GUID value's key is of its 16 bytes as Windows stores them. A
 * folder's is of its UTF-16 units up to the '\' ending it, ASCII case
 * folded: FNV-1a over the units, xor how many. The folders of a string
 * are those of each path in it: from each drive letter ("X:\") to each
 * '\' after it, and from the string's start when it begins with a '\'
 * ("\\?\C:\", "\Device\...", "\\server\": Windows' other ways of
 * writing an image's or a file's path).
 *
 * Why a set: the detection pass keeps each log's keys (the records'
 * values a story could ask, scan_matcher.keys_of), so that the story
 * pass reads again only the logs holding a key it wants. A set larger
 * than VALUE_KEYS_MAX is not kept (over): such a log is read again. */
#ifndef RMMHUNT_VALUE_KEYS_H
#define RMMHUNT_VALUE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VALUE_KEYS_MAX 4096          /* keys a log's set holds */
#define VALUE_FOLDER_UNITS_MAX 32768 /* no folder is followed further: a
                                        path's most (UNICODE_STRING) */
#define VALUE_KEY_START 0xcbf29ce484222325ull

/* One step of FNV-1a (of a byte or a unit). */
static inline uint64_t value_fnv(uint64_t h, uint16_t unit)
{
	return (h ^ unit) * 0x100000001b3ull;
}

/* One unit into a folder's hash, its ASCII case folded. */
static inline uint64_t value_key_step(uint64_t h, uint16_t unit)
{
	if (unit >= 'A' && unit <= 'Z')
		unit = (uint16_t)(unit + 32);
	return value_fnv(h, unit);
}

/* The key of a folder hashed so far (h) of so many units. */
static inline uint64_t value_key_folder(uint64_t h, size_t units)
{
	return h ^ units;
}

/* The key of a GUID (its 16 bytes as stored). */
uint64_t value_key_guid(const uint8_t g[16]);

/* Calls fn(ctx, key) for each folder in the string of units UTF-16LE
 * units at p, no further than max_units units from where its path
 * begins.
 * Stops and returns true as soon as fn does; false otherwise. */
bool value_folder_keys(const uint8_t *p, size_t units, size_t max_units,
		       bool (*fn)(void *ctx, uint64_t key), void *ctx);

/* "{8-4-4-4-12}" (either case) as the 16 bytes Windows stores: the
 * first three groups little-endian. False when s is no GUID. */
bool value_guid_parse(const char *s, uint8_t out[16]);
/* The same of 38 UTF-16LE units (a GUID written as text). */
bool value_guid_text(const uint8_t *p, size_t units, uint8_t out[16]);

/* A log's keys: while collecting, a set (open addressing over
 * VALUE_KEYS_SLOTS slots, 0 for a free one: a key of 0 is held aside,
 * zero); sealed, v[0..n) sorted. over: more than VALUE_KEYS_MAX (v
 * freed). */
#define VALUE_KEYS_SLOTS (2 * VALUE_KEYS_MAX)
struct value_keys {
	uint64_t *v;
	size_t n;
	bool zero;     /* collecting: the key 0 was added */
	bool sealed;
	bool over;
};

/* Adds the keys of a string value (units UTF-16LE units at p): a GUID
 * written as text, and its folders. */
void value_string_keys(const uint8_t *p, size_t units, struct value_keys *k);
/* Adds key (nothing once over; a repeat is held once). */
void value_keys_add(struct value_keys *k, uint64_t key);
/* Sorts the set into v[0..n). */
void value_keys_seal(struct value_keys *k);
void value_keys_free(struct value_keys *k);

#endif
