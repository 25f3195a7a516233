/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* fields: a record's struct event taken straight from its binary XML,
 * where libevtx would render it as XML for parse.c to read back.
 *
 * libevtx (libfwevt) builds a tree of every record it is handed and
 * renders all of it: hundreds of thousands of instructions a record,
 * which on a log full of hits is nearly all of rmmhunt's time. Most
 * records are Windows' plain shape (a template instance of strings,
 * integers, GUIDs, a FILETIME and a SID), whose rendering is fixed; for
 * those this reader gives the fields parse.c would give. Anything else
 * (a value type or a character it does not render as libfwevt does, a
 * token it does not follow, a record libevtx might not read) it leaves
 * to libevtx: it never guesses. --no-prefilter, libevtx on every
 * record, is the reference it is tested against
 * (tests/fieldcheck.c over the corpus, the equivalence tests). */
#ifndef RMMHUNT_FIELDS_H
#define RMMHUNT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "scan_private.h"

/* Fills ev (zeroed by the caller) with allocated record r of chunk c,
 * as parse_event_xml() would from libevtx's XML of it; time stays
 * TIME_NONE (time_from_header true) when the record has no SystemTime,
 * and record_id 0 when it has no EventRecordID, as there. tc caches
 * the chunk's definitions (may be NULL). Returns true when ev holds
 * the record; false when libevtx must read it (ev is then cleared).
 * The caller hands only records the scanner found readable
 * (scan_record.readable) and did not refuse (scan_record.refused: the
 * bound on rendering) in a chunk with no damage. */
bool fields_read(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
		 struct event *ev);

/* parse.c: one rendered value into the event, the same way whichever
 * reader found it. Each takes value (a string it frees or keeps; NULL
 * for none). */
/* <Data Name="name">value</Data> in EventData. */
void event_take_data(struct event *ev, const char *name, char *value);
/* The field a Data element of this Name gives (enum event_field), or
 * -1 for none. */
int event_data_field(const char *name);
/* The value of field f (event_data_field's; -1: none, value freed). */
void event_take_data_field(struct event *ev, int f, char *value);
/* The text of an element (named element[0..len)) in System. */
void event_take_system_text(struct event *ev, const char *element, size_t len, char *value);
/* The attribute of an element in System that gives a field
 * (Provider's Name, Security's UserID, TimeCreated's SystemTime), or
 * NULL when it gives none. */
const char *event_system_attr(const char *element, size_t len);
/* That attribute's value. */
void event_take_system_attr(struct event *ev, const char *element, size_t len, char *value);

#endif
