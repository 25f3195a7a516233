/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* fieldcmp: fields.c against libevtx, record by record (fieldcmp.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <libevtx.h>
#include "event.h"
#include "fields.h"
#include "fieldcmp.h"
#include "le.h"
#include "reader.h"
#include "rule.h"
#include "rules.h"
#include "source.h"
#include "scan_private.h"
#include "want.h"

/* Record index of the chunk image as libevtx reads it: its event, as
 * rmmhunt's libevtx path would take it. Returns 0, or -1 when libevtx
 * fails it (rmmhunt would count a record error). *eid is libevtx's
 * Event ID, 0 when it gives none. */
static int lib_event(libevtx_file_t *file, int index, struct event *ev, uint32_t *eid,
		     char *why, size_t why_size)
{
	libevtx_record_t *rec = NULL;
	libevtx_error_t *err = NULL;
	size_t size = 0;
	char *xml = NULL;
	int rc = -1;
	*eid = 0;
	snprintf(why, why_size, "(no reason given)");
	if (libevtx_file_get_record_by_index(file, index, &rec, &err) != 1)
		goto done;
	if (libevtx_record_get_event_identifier(rec, eid, NULL) != 1)
		*eid = 0;
	if (libevtx_record_get_utf8_xml_string_size(rec, &size, &err) == 1 && size > 0) {
		xml = malloc(size);
		if (xml && libevtx_record_get_utf8_xml_string(rec, (uint8_t *)xml, size,
							      &err) == 1) {
			rc = parse_event_xml(xml, ev);
			if (rc != 0)
				snprintf(why, why_size, "parse.c refuses its XML");
		}
	}
done:
	if (err) {
		libevtx_error_backtrace_sprint(err, why, why_size);
		for (char *p = why; *p; p++)
			if (*p == '\n')
				*p = ' ';
		libevtx_error_free(&err);
	}
	free(xml);
	libevtx_record_free(&rec, NULL);
	return rc;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Prints how fast (fields.c) and lib (libevtx) differ; false if they do. */
static bool compare(FILE *out, const char *path, uint64_t at, const struct event *fast,
		    const struct event *lib, uint32_t lib_eid)
{
	bool same = true;
	for (int f = 0; f < EF_COUNT; f++) {
		if (same_str(fast->field[f], lib->field[f]))
			continue;
		fprintf(out, "MISMATCH %s @%" PRIu64 " field %d: fields.c \"%s\", libevtx \"%s\"\n",
		       path, at, f, fast->field[f] ? fast->field[f] : "(none)",
		       lib->field[f] ? lib->field[f] : "(none)");
		same = false;
	}
	if (fast->event_id != lib->event_id || fast->event_id != lib_eid) {
		fprintf(out, "MISMATCH %s @%" PRIu64 " event_id: fields.c %" PRIu32
		       ", parse.c %" PRIu32 ", libevtx %" PRIu32 "\n",
		       path, at, fast->event_id, lib->event_id, lib_eid);
		same = false;
	}
	if (fast->record_id != lib->record_id || fast->time != lib->time ||
	    fast->time_from_header != lib->time_from_header) {
		fprintf(out, "MISMATCH %s @%" PRIu64 " record %" PRIu64 "/%" PRIu64 " time %" PRId64
		       "/%" PRId64 " from header %d/%d\n", path, at, fast->record_id,
		       lib->record_id, fast->time, lib->time, fast->time_from_header,
		       lib->time_from_header);
		same = false;
	}
	return same;
}

/* One record rmmhunt would hand fields.c. */
static void check_record(FILE *out, const char *path, uint64_t chunk_at, const uint8_t *c,
			 const struct scan_record *r, struct tcache *tc,
			 libevtx_file_t *file, struct fieldcmp_counts *n)
{
	n->records++;
	struct event fast = { 0 }, lib = { 0 };
	if (!fields_read(c, r, tc, &fast)) {
		n->lib_only++;
		return;
	}
	n->fast++;
	uint32_t lib_eid = 0;
	uint64_t at = chunk_at + r->offset;
	char why[512];
	if (lib_event(file, r->image_index, &lib, &lib_eid, why, sizeof why) != 0) {
		fprintf(out, "MISMATCH %s @%" PRIu64 ": fields.c read a record libevtx fails: %s\n",
		       path, at, why);
		n->mismatches++;
	} else if (!compare(out, path, at, &fast, &lib, lib_eid)) {
		n->mismatches++;
	}
	event_clear(&fast);
	event_clear(&lib);
}

/* The Event ID the scanner tells of allocated record r (any record,
 * readable or not: a story's filter asks each) against libevtx's, when
 * libevtx gives one: rmmhunt reads no record libevtx gives none. */
static void check_event_id(FILE *out, const char *path, uint64_t at, const uint8_t *c,
			   const struct scan_record *r, struct tcache *tc,
			   libevtx_file_t *file, struct fieldcmp_counts *n)
{
	int32_t told = scan_record_event_id(c, r, tc);
	if (told < 0)
		return;
	n->eid_told++;
	libevtx_record_t *rec = NULL;
	uint32_t eid = 0;
	if (libevtx_file_get_record_by_index(file, r->image_index, &rec, NULL) == 1 &&
	    libevtx_record_get_event_identifier(rec, &eid, NULL) == 1 &&
	    (eid & 0xffff) != (uint32_t)told) {
		fprintf(out, "MISMATCH %s @%" PRIu64 " event_id told by the scanner %" PRId32
			", libevtx %" PRIu32 "\n", path, at, told, eid);
		n->mismatches++;
	}
	libevtx_record_free(&rec, NULL);
}

/* The story's question of a record libevtx reads (lib, Event ID eid):
 * each GUID and folder by which stories_build could join it to a
 * story, asked as a story pass asks a log's keys (want_meets_keys),
 * must be among its chunk's keys k (scan_record_keys over the chunk). */
static bool wanted_by_keys(const struct value_keys *k, const char *guid, const char *folder_of)
{
	struct story_want w = { 0 };
	if (guid)
		want_add_guid(&w, guid);
	if (folder_of)
		want_add_folder_of(&w, folder_of);
	want_seal(&w);
	bool asked = w.n_guids || w.n_folders;
	bool met = !asked || want_meets_keys(&w, k->v, k->n);
	want_free(&w);
	return met;
}

static void check_story_keys(FILE *out, const char *path, uint64_t at,
			     const struct event *lib, uint32_t eid, const struct value_keys *k,
			     struct fieldcmp_counts *n)
{
	if (!story_event_id(eid & 0xffff) || !rule_is_sysmon(lib))
		return;
	n->story_checked++;
	const char *guids[] = { lib->field[EF_PROCESS_GUID], lib->field[EF_PARENT_PROCESS_GUID] };
	const char *bad = NULL;
	for (size_t i = 0; i < 2 && !bad; i++)
		if (!wanted_by_keys(k, guids[i], NULL))
			bad = guids[i];
	if (!bad && (eid & 0xffff) == 11) {
		/* into a folder (TargetFilename's), by a process in one (Image's) */
		if (!wanted_by_keys(k, NULL, lib->field[EF_TARGET_FILENAME]))
			bad = lib->field[EF_TARGET_FILENAME];
		else if (!wanted_by_keys(k, NULL, lib->field[EF_IMAGE]))
			bad = lib->field[EF_IMAGE];
	}
	const char *d = (eid & 0xffff) == 13 ? lib->field[EF_DETAILS] : NULL;
	for (size_t i = 0; d && d[i] && !bad; i++) {
		/* each folder of each path in the data (story.c, registry) */
		if (!d[i + 1] || d[i + 1] != ':' || d[i + 2] != '\\')
			continue;
		for (const char *q = d + i + 2; (q = strchr(q, '\\')) && !bad; q++) {
			size_t len = (size_t)(q - (d + i)) + 1;
			char *f = malloc(len + 2);   /* the folder, and a name in it */
			memcpy(f, d + i, len);
			f[len] = 'x';
			f[len + 1] = 0;
			if (!wanted_by_keys(k, NULL, f))
				bad = "a folder in Details";
			free(f);
		}
	}
	if (bad) {
		fprintf(out, "MISMATCH %s @%" PRIu64 " Event ID %" PRIu32 ": %s is no key the "
			"scanner kept\n", path, at, eid, bad);
		n->mismatches++;
	}
}

void fieldcmp_fix_crc(uint8_t *c)
{
	uint32_t free_off = le32(c + 48);
	if (le32(c + 40) != 128 || free_off < SCAN_CHUNK_HEADER_SIZE || free_off > SCAN_CHUNK_SIZE)
		return;
	uint32_t crc = scan_crc32(0, c + SCAN_CHUNK_HEADER_SIZE, free_off - SCAN_CHUNK_HEADER_SIZE);
	memcpy(c + 52, (uint8_t[]){ crc, crc >> 8, crc >> 16, crc >> 24 }, 4);
	crc = scan_crc32(scan_crc32(0, c, 120), c + 128, 384);
	memcpy(c + 124, (uint8_t[]){ crc, crc >> 8, crc >> 16, crc >> 24 }, 4);
}

/* Record r as libevtx reads it, against the file's keys. */
static void check_keys_of(FILE *out, const char *path, uint64_t at,
			  const struct scan_record *r, libevtx_file_t *file,
			  const struct value_keys *keys, struct fieldcmp_counts *n)
{
	struct event lib = { 0 };
	uint32_t eid = 0;
	char why[512];
	if (lib_event(file, r->image_index, &lib, &eid, why, sizeof why) == 0)
		check_story_keys(out, path, at, &lib, eid, keys, n);
	event_clear(&lib);
}

void fieldcmp_chunk(FILE *out, const char *path, uint64_t chunk_at, const uint8_t *c,
		    struct scan_record *recs, const struct value_keys *keys,
		    struct fieldcmp_counts *n)
{
	uint32_t damage = 0;
	size_t nr = scan_chunk_records(c, false, recs, &damage);
	if (damage)
		return;    /* rmmhunt hands libevtx every record of it */
	libevtx_file_t *file = NULL;
	libbfio_handle_t *bfio = NULL;
	uint8_t *image = NULL;
	char err[256];
	if (chunk_open_libevtx(c, SCAN_CHUNK_SIZE, &file, &bfio, &image, err, sizeof err) != 0)
		return;    /* nor any record of a chunk libevtx cannot open */
	struct tcache tc = { 0 };
	for (size_t i = 0; i < nr; i++) {
		struct scan_record *r = &recs[i];
		bool readable = false;
		if (r->kind != SCAN_REC_ALLOCATED || r->recovered)
			continue;
		/* nor is a record whose rendering the bound refuses (nor to
		 * libevtx, in any pass) */
		bool bounded = scan_record_check(c, r, NULL) == SCAN_RECORD_OK;
		if (bounded)
			check_event_id(out, path, chunk_at + r->offset, c, r, &tc, file, n);
		if (keys && bounded)
			check_keys_of(out, path, chunk_at + r->offset, r, file, keys, n);
		scan_record_eid7(c, r, &tc, &readable, NULL);
		if (readable && bounded)
			check_record(out, path, chunk_at, c, r, &tc, file, n);
	}
	chunk_close_libevtx(&file, &bfio, &image);
}

struct value_keys fieldcmp_file_keys(const uint8_t *buf, size_t size)
{
	struct scan_matcher m = *rules_matcher(false, false);
	m.keys_of = &story_keys_of;
	struct scan_result *res = calloc(1, sizeof *res);
	struct source *src = source_memory(buf, size);
	struct value_keys k = { .over = true };
	if (res && src && scan_source_with(src, &m, res, NULL, NULL) == 0) {
		k = res->keys;
		res->keys.v = NULL;
	}
	if (res)
		value_keys_free(&res->keys);
	source_close(src);
	free(res);
	return k;
}

