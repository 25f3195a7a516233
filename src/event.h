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

/* Who writes the events rmmhunt reads (System/Provider/@Name): Sysmon,
 * and the event log service ("the log was cleared": Security 1102,
 * System 104). */
#define PROVIDER_SYSMON   "Microsoft-Windows-Sysmon"
#define PROVIDER_EVENTLOG "Microsoft-Windows-Eventlog"
#define PROVIDER_SECURITY "Microsoft-Windows-Security-Auditing"
/* Sysmon's image load: the Event ID whose records a log must hold for
 * the detection to see anything in it (an input's sysmon_eid7 counts). */
#define SYSMON_IMAGE_LOADED 7

/* The fields of a record rmmhunt reads: those the rule reads, then those
 * the process story reads (Event IDs 1, 3, 5, 11, 13, 22), then those of
 * Security's process creation (4688) the trace rule reads. System ones
 * come first; X(enum, Data Name, kept) with NULL for System ones. kept:
 * the field goes on past the workers, into the part and the JSON report
 * (false: read by a trace rule in the worker only, so the reports stay
 * as they were before it was read). */
#define EVENT_FIELDS(X) \
	X(EF_PROVIDER, NULL, true)              /* System/Provider/@Name */ \
	X(EF_COMPUTER, NULL, true)              /* System/Computer */ \
	X(EF_USER_ID, NULL, true)               /* System/Security/@UserID, a SID */ \
	X(EF_IMAGE, "Image", true) \
	X(EF_IMAGE_LOADED, "ImageLoaded", true) \
	X(EF_ORIGINAL_FILE_NAME, "OriginalFileName", true) \
	X(EF_PROCESS_GUID, "ProcessGuid", true) \
	X(EF_PROCESS_ID, "ProcessId", true) \
	X(EF_HASHES, "Hashes", true) \
	X(EF_SIGNED, "Signed", true) \
	X(EF_SIGNATURE_STATUS, "SignatureStatus", true) \
	X(EF_SIGNATURE, "Signature", true) \
	X(EF_USER, "User", true)                /* the EventData account name */ \
	X(EF_COMMAND_LINE, "CommandLine", true) \
	X(EF_CURRENT_DIRECTORY, "CurrentDirectory", true) \
	X(EF_INTEGRITY_LEVEL, "IntegrityLevel", true) \
	X(EF_PARENT_PROCESS_GUID, "ParentProcessGuid", true) \
	X(EF_PARENT_IMAGE, "ParentImage", true) \
	X(EF_PARENT_COMMAND_LINE, "ParentCommandLine", true) \
	X(EF_PROTOCOL, "Protocol", true) \
	X(EF_DESTINATION_IP, "DestinationIp", true) \
	X(EF_DESTINATION_HOSTNAME, "DestinationHostname", true) \
	X(EF_DESTINATION_PORT, "DestinationPort", true) \
	X(EF_QUERY_NAME, "QueryName", true) \
	X(EF_QUERY_RESULTS, "QueryResults", true) \
	X(EF_TARGET_FILENAME, "TargetFilename", true) \
	X(EF_TARGET_OBJECT, "TargetObject", true) \
	X(EF_DETAILS, "Details", true) \
	X(EF_EVENT_TYPE, "EventType", true) \
	/* Sysmon's (the version resource), for the process-creation rule */ \
	X(EF_PRODUCT, "Product", false) \
	/* Security 4688's (process creation), for the trace rule */ \
	X(EF_NEW_PROCESS_NAME, "NewProcessName", true) \
	X(EF_PARENT_PROCESS_NAME, "ParentProcessName", true) \
	X(EF_SUBJECT_USER_NAME, "SubjectUserName", true) \
	X(EF_SUBJECT_DOMAIN_NAME, "SubjectDomainName", true)

enum event_field {
#define EVENT_FIELD_ENUM(e, name, kept) e,
	EVENT_FIELDS(EVENT_FIELD_ENUM)
#undef EVENT_FIELD_ENUM
	EF_COUNT
};

/* The <Data Name=...> of each EventData field above, NULL for System ones. */
extern const char *const event_data_name[EF_COUNT];
/* Whether each field is kept past the workers (EVENT_FIELDS' kept). */
extern const bool event_field_kept[EF_COUNT];

/* The origin a copy of an event has, best first (for choosing which
 * copy a finding row names): a live log, a snapshot, slack, a carved
 * chunk (locator.h: locator_origin). */
enum origin { ORIGIN_LIVE, ORIGIN_SNAPSHOT, ORIGIN_SLACK, ORIGIN_CARVED };

/* An event's members beside its fields, one line each. The worker's
 * frame (wire.c) and the merge part (part_write.c, part_read.c) carry
 * them from these lists, so that a member added here reaches both with
 * no other edit (tests/test_coverage.c sends each through both).
 * EVENT_HEAD: X(member, bytes on the wire, largest value, how the part
 * writes it: NUM, TICKS or FLAG, its name in the part). */
#define EVENT_HEAD(X) \
	X(event_id, 4, UINT32_MAX, NUM, "id") \
	X(record_id, 8, UINT64_MAX, NUM, "record") \
	X(time, 8, UINT64_MAX, TICKS, "time") \
	X(time_from_header, 1, 1, FLAG, "header_time")
/* Where one copy of an event was read: struct event's own, and each copy
 * a finding keeps (aggregate.h: struct event_copy). The part writes an
 * event's copies as arrays of these numbers, in this order.
 * X(member, bytes on the wire, largest value). */
#define EVENT_COPY(X) \
	X(input, 4, UINT32_MAX) \
	X(offset, 8, UINT64_MAX) \
	X(origin, 1, ORIGIN_CARVED) \
	X(recovered, 1, 1)

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
