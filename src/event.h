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

/* The fields of a record rmmhunt reads: those the rule reads, then those
 * the process story reads (Event IDs 1, 3, 5, 11, 13, 22), then those of
 * Security's process creation (4688) the trace rule reads. System ones
 * come first; X(enum, Data Name) with NULL for System ones. */
#define EVENT_FIELDS(X) \
	X(EF_PROVIDER, NULL)              /* System/Provider/@Name */ \
	X(EF_COMPUTER, NULL)              /* System/Computer */ \
	X(EF_USER_ID, NULL)               /* System/Security/@UserID, a SID */ \
	X(EF_IMAGE, "Image") \
	X(EF_IMAGE_LOADED, "ImageLoaded") \
	X(EF_ORIGINAL_FILE_NAME, "OriginalFileName") \
	X(EF_PROCESS_GUID, "ProcessGuid") \
	X(EF_PROCESS_ID, "ProcessId") \
	X(EF_HASHES, "Hashes") \
	X(EF_SIGNED, "Signed") \
	X(EF_SIGNATURE_STATUS, "SignatureStatus") \
	X(EF_SIGNATURE, "Signature") \
	X(EF_USER, "User")                /* the EventData account name */ \
	X(EF_COMMAND_LINE, "CommandLine") \
	X(EF_CURRENT_DIRECTORY, "CurrentDirectory") \
	X(EF_INTEGRITY_LEVEL, "IntegrityLevel") \
	X(EF_PARENT_PROCESS_GUID, "ParentProcessGuid") \
	X(EF_PARENT_IMAGE, "ParentImage") \
	X(EF_PARENT_COMMAND_LINE, "ParentCommandLine") \
	X(EF_PROTOCOL, "Protocol") \
	X(EF_DESTINATION_IP, "DestinationIp") \
	X(EF_DESTINATION_HOSTNAME, "DestinationHostname") \
	X(EF_DESTINATION_PORT, "DestinationPort") \
	X(EF_QUERY_NAME, "QueryName") \
	X(EF_QUERY_RESULTS, "QueryResults") \
	X(EF_TARGET_FILENAME, "TargetFilename") \
	X(EF_TARGET_OBJECT, "TargetObject") \
	X(EF_DETAILS, "Details") \
	X(EF_EVENT_TYPE, "EventType") \
	/* Security 4688's (process creation), for the trace rule */ \
	X(EF_NEW_PROCESS_NAME, "NewProcessName") \
	X(EF_PARENT_PROCESS_NAME, "ParentProcessName") \
	X(EF_SUBJECT_USER_NAME, "SubjectUserName") \
	X(EF_SUBJECT_DOMAIN_NAME, "SubjectDomainName")

enum event_field {
#define EVENT_FIELD_ENUM(e, name) e,
	EVENT_FIELDS(EVENT_FIELD_ENUM)
#undef EVENT_FIELD_ENUM
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
