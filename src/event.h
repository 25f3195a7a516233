/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The one data type the pipeline hands along.
 *
 *   inputs -> scan -> parse -> detect -> aggregate -> report
 *
 * parse turns a record into a struct event; detect decides whether it
 * matches the rule; aggregate groups matching events into finding rows.
 * Every string is owned by the event and freed by event_clear(). */
#ifndef RMMHUNT_EVENT_H
#define RMMHUNT_EVENT_H

#include <stdbool.h>
#include <stdint.h>

/* The fields of a record the rule reads. System ones come first. */
enum event_field {
	EF_PROVIDER,          /* System/Provider/@Name */
	EF_COMPUTER,          /* System/Computer */
	EF_USER_ID,           /* System/Security/@UserID, a SID string */
	EF_IMAGE,             /* EventData Image, and so on by Name */
	EF_IMAGE_LOADED,
	EF_ORIGINAL_FILE_NAME,
	EF_PROCESS_GUID,
	EF_PROCESS_ID,
	EF_HASHES,
	EF_SIGNED,
	EF_SIGNATURE_STATUS,
	EF_SIGNATURE,
	EF_COUNT
};

/* The <Data Name=...> of each EventData field above, NULL for System ones. */
extern const char *const event_data_name[EF_COUNT];

struct event {
	char *field[EF_COUNT];  /* UTF-8, NUL-terminated; NULL when absent */
	uint32_t event_id;      /* System/EventID */
	uint64_t record_id;     /* System/EventRecordID (the record header's
	                           identifier when the XML has none) */
	int64_t time;           /* _time: FILETIME ticks (100 ns since 1601,
	                           UTC) of System/TimeCreated/@SystemTime */
	bool time_from_header;  /* SystemTime missing: record written time */
	bool recovered;         /* read from slack, not an allocated record */
	uint8_t origin;         /* enum origin (locator.h): live, snapshot,
	                           slack, carved; the best copy is kept */
	uint32_t input;         /* index of the input file it came from */
	uint64_t offset;        /* byte offset of the record in that file */
};

/* Frees the strings and zeroes the event. */
void event_clear(struct event *ev);

/* Deep copy; returns 0, or -1 when out of memory (dst is then cleared). */
int event_copy(struct event *dst, const struct event *src);

#endif
