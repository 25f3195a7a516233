/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* binxml: what the template reader (binxml.c) shares with the reckoning
 * of what rendering a record costs (binxml_cost.c) and the values'
 * rendering (binxml_value.c). Internal to
 * src/evtx; the small readers are inline, as they were, because the
 * scan's hot path calls them for every candidate. */
#ifndef RMMHUNT_BINXML_H
#define RMMHUNT_BINXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "le.h"
#include "scan_private.h"

/* a + b, or UINT64_MAX where that overflows. */
static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Record r's binary XML: c[*pos..*end), after the record header and
 * before the copy of its size. False when r is too short for one or
 * runs past its chunk. */
static inline bool record_xml(const struct scan_record *r, size_t *pos, size_t *end)
{
	if (r->size < SCAN_RECORD_HEADER_SIZE + 4 ||
	    (uint64_t)r->offset + r->size > SCAN_CHUNK_SIZE)
		return false;
	*pos = (size_t)r->offset + SCAN_RECORD_HEADER_SIZE;
	*end = (size_t)r->offset + r->size - 4;
	return true;
}

/* A fragment header (0f 01 01 00; a nested BinXml value may go without)
 * and a template instance token at c[*pos..end): moves *pos past them,
 * to where an inline definition would be; the definition's offset is
 * the u32 before it. */
static inline bool instance_head(const uint8_t *c, size_t *pos, size_t end)
{
	size_t p = *pos;
	if (p + 4 <= end && c[p] == 0x0f) {
		if (c[p + 1] != 0x01 || c[p + 2] != 0x01 || c[p + 3] != 0x00)
			return false;
		p += 4;
	}
	if (p + 10 > end || c[p] != 0x0c)
		return false;
	*pos = p + 10;
	return true;
}

/* The values of a template instance: count descriptors of (size u16,
 * type u8, 0), then the values back to back from first. */
struct values {
	uint32_t count;
	const uint8_t *desc;
	size_t first;
};

/* Reads the count at c[pos..end) and places the descriptors; false
 * when they do not fit before end. */
static inline bool values_head(const uint8_t *c, size_t pos, size_t end, struct values *v)
{
	if (pos + 4 > end)
		return false;
	v->count = le32(c + pos);
	pos += 4;
	if (v->count > (end - pos) / 4)
		return false;
	v->desc = c + pos;
	v->first = pos + 4 * (size_t)v->count;
	return true;
}

/* The definition of the template instance at c[*pos..end) (a fragment
 * header, optional, and the instance token), parsed or from tc (may be
 * NULL; tmp holds it then), when it reads to its end; *def_off is where
 * it lies in the chunk (def_off may be NULL), and *pos moves past the
 * instance and past the definition when it is inline, to the instance's
 * values. NULL when any of that fails. */
const struct tdef *binxml_instance(const uint8_t *c, size_t *pos, size_t end,
				   struct tcache *tc, struct tdef *tmp, uint32_t *def_off);

/* Record r's template definition (binxml_instance), *pos at its values
 * and *end at the end of its XML; NULL when the record or its instance
 * does not read. */
const struct tdef *binxml_record(const uint8_t *c, const struct scan_record *r,
				 struct tcache *tc, struct tdef *tmp, size_t *pos, size_t *end);

/* The Event ID libevtx gives the instance of d whose values are at
 * c[pos..end), masked to 16 bits as the reader asks it (pass_wants), or
 * -1 when this reader cannot tell: only an EventID element that is one
 * substituted number and nothing else is told. */
int32_t binxml_event_id(const uint8_t *c, const struct tdef *d, size_t pos, size_t end);

/* Parses the definition at chunk offset off into d. With vcost (n
 * values' costs), returns what its substitutions cost; else 0. */
uint64_t tdef_parse_costing(const uint8_t *c, uint32_t off, struct tdef *d,
                            const uint64_t *vcost, uint32_t n);
/* The same, without costs. */
void tdef_parse(const uint8_t *c, uint32_t off, struct tdef *d);

/* How deep nested BinXml values are followed. */
#define FRAGMENT_MAX_DEPTH 8

/* The last FILETIME libfwevt writes as a date: the end of year 9999. */
#define FILETIME_LAST 2650467743999999999ULL

/* Whether libfwevt reads value p (size bytes of type t) where a
 * definition substitutes it: a type it knows, of the size it wants
 * (libfwevt_xml_document_substitute_template_value); and the two whose
 * rendering can fail and which every record may hold (the time, the
 * user's SID) as it renders them: a FILETIME it writes as a date, a SID
 * of its own length. What else must hold for it to render the value is
 * value_renders'. */
static inline bool value_fits(const uint8_t *p, size_t size, uint8_t t)
{
	static const uint8_t width[0x16] = {
		[0x03] = 1, [0x04] = 1, [0x05] = 2, [0x06] = 2, [0x07] = 4, [0x08] = 4,
		[0x09] = 8, [0x0a] = 8, [0x0b] = 4, [0x0c] = 8, [0x0d] = 4, [0x0f] = 16,
		[0x11] = 8, [0x12] = 16, [0x14] = 4, [0x15] = 8,
	};
	uint8_t base = t & 0x7f;
	if (t & 0x80) {     /* an array: whole items (UTF-16 strings: not one byte) */
		if (base == 0x01 || base == 0x02)
			return base == 0x02 || size != 1;
		return base < sizeof width && width[base] && base != 0x0d &&
		       size % width[base] == 0;
	}
	switch (t) {
	case 0x00: case 0x02: case 0x0e: case 0x21:
		return true;
	case 0x01:
		return size % 2 == 0;
	case 0x10:
		return size == 4 || size == 8;
	case 0x11:
		return size == 8 && le64(p) <= FILETIME_LAST;
	case 0x13:
		return size >= 8 && p[1] <= 15 && size == 8 + 4 * (size_t)p[1] &&
		       p[2] == 0 && p[3] == 0;
	default:
		return t < sizeof width && width[t] && size == width[t];
	}
}

/* Whether libfwevt renders every value of type t that it read
 * (value_fits), whatever its bytes: the null, the integers, GUIDs,
 * sizes, FILETIMEs, SIDs, the hexadecimal ones and BinXml (0x00, 0x03
 * to 0x0a, 0x0d to 0x11, 0x13 to 0x15, 0x21). A UTF-16 string (0x01)
 * renders when its characters are whole (value_renders); 8-bit
 * strings, floats, SYSTEMTIMEs and arrays, which Sysmon does not
 * write, are left to libevtx. */
static inline bool type_renders(uint8_t t)
{
	static const uint64_t always = 0x2003be7f9ULL;   /* a bit each, as above */
	return t < 64 && (always >> t & 1) != 0;
}

/* binxml_value.c: whether libfwevt renders value p (size bytes of
 * type t) that it read (value_fits) as this reader knows it does:
 * UTF-16 strings of whole characters, and type_renders' types. */
bool value_renders(const uint8_t *p, size_t size, uint8_t t);

/* binxml_value.c: whether any of the n UTF-16LE units at p is a
 * surrogate (D800-DFFF). Strings with none render (value_renders), so
 * that a walk can ask it once of a run of strings side by side. */
bool utf16_has_surrogate(const uint8_t *p, size_t n);

/* binxml_value.c: whether every value of the instance whose values are
 * at c[pos..end) (already walked: in bounds, nested instances read)
 * renders as this reader knows libfwevt renders it (UTF-16 strings of
 * whole characters, and the types whose rendering cannot fail), nested
 * instances' too, depth levels down; tc as for binxml_instance. */
bool values_render(const uint8_t *c, size_t pos, size_t end, struct tcache *tc, int depth);

#endif
