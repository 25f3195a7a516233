/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* story, what to look for: the flagged processes' GUIDs and image
 * folders, as the scanner meets them in a record's values.
 *
 * The story of a flagged process is in the same logs as its finding,
 * keyed by its ProcessGuid; its folder brings in what was written into
 * it and the Run key naming its image. A clean log has no story pass at
 * all; a log with findings is scanned again, and libevtx parses only the
 * records whose values hold a wanted GUID (Sysmon stores them as 16-byte
 * GUID values) or a string with a wanted folder in it. The check after
 * parsing (story_relevant) is exact; this one only has to miss nothing. */
#ifndef RMMHUNT_WANT_H
#define RMMHUNT_WANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "scan.h"

struct event_select;   /* evtx/reader.h */

/* The Event IDs of a story: process creation (1), network connection
 * (3), process terminated (5), file created (11), registry value set
 * (13), DNS query (22). */
bool story_event_id(uint32_t event_id);

/* A Sysmon event of one of those Event IDs. */
bool story_selects(const struct event *ev);
/* The two, as the EVTX reader is handed them in the story pass. */
extern const struct event_select story_select;

/* A set of GUIDs and of folders (ASCII case folded, each ending with
 * '\'), searched by hash. Strings are copied. */
struct want_slot { uint64_t hash; uint32_t index; bool used; };
struct story_want {
	uint8_t (*guid)[16];
	size_t n_guids;
	char **folder;          /* lower case, as UTF-8 */
	size_t n_folders;
	struct want_slot *guid_slot, *folder_slot;   /* open addressing */
	size_t guid_cap, folder_cap;                 /* slots, powers of 2 */
	size_t folder_units_max;     /* the longest folder's UTF-16 units */
	bool creations_only;         /* a parents' pass: process creations */
	struct scan_value_filter filter;             /* for the scanner */
};

/* Adds a GUID given as text (ignored when it is none) or a folder (the
 * part of path up to its last '\'; ignored when it has none). */
void want_add_guid(struct story_want *w, const char *guid_text);
void want_add_folder_of(struct story_want *w, const char *path);

/* Adds every GUID of src to dst. */
void want_add_guids(struct story_want *dst, const struct story_want *src);

/* Whether g (16 bytes) or the folder of path is in the set. */
bool want_has_guid(const struct story_want *w, const uint8_t g[16]);
bool want_has_guid_text(const struct story_want *w, const char *guid_text);

/* Readies w->filter (call after the last add; w must not move after). */
void want_seal(struct story_want *w);

/* Which keys (value_keys.h) the detection pass keeps of each log: those
 * of the values a story's filter can ask of its records, by their Event
 * IDs (read_options.keys_of). */
extern const struct scan_value_filter story_keys_of;

/* Whether sealed w wants one of a log's keys (n, sorted; a hash match
 * is enough): false, and the log holds no record w's filter would take. */
bool want_meets_keys(const struct story_want *w, const uint64_t *keys, size_t n);

void want_free(struct story_want *w);

/* The folder of path: up to and including its last '\', ASCII lower
 * case; NULL when it has none. Caller frees. */
char *story_folder(const char *path);

#endif
