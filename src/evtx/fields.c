/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* fields: a record's event from its binary XML, without libevtx
 * (fields.h says when, and why).
 *
 * The walk follows the template definition's tokens the way libfwevt
 * renders them and parse.c reads the rendering back: it keeps parse.c's
 * stack of where each element is (Event, System, EventData), and hands
 * each value parse.c would take to the same function parse.c hands it
 * to (event_take_*), so the two readers cannot differ in what a field
 * means, only in how a value is rendered. That is kept to the renderings
 * libfwevt (Debian 12, libevtx 20181227) fixes exactly:
 *   string     its characters, when none needs escaping or is a control
 *              character, a surrogate or a NUL before its end
 *   UInt8..64  decimal
 *   GUID       {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, upper case
 *   SID        S-R-A-S1-S2..., its authority below 2^32
 *   FILETIME   (TimeCreated's SystemTime only) its ticks, where
 *              libfwevt writes them to the 100 ns
 *   null       nothing
 * and to documents of one Event, whose fields are each one value or
 * one text. Everything else returns false, and libevtx reads the
 * record. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "binxml.h"
#include "fields.h"
#include "le.h"
#include "strbuf.h"
#include "timefmt.h"

enum where { W_OTHER, W_EVENT, W_SYSTEM, W_EVENTDATA };   /* parse.c's */

#define FW_MAX_VALUES 256   /* Sysmon's largest template has 30-odd */
#define FW_NAME_MAX 32      /* longer names are none rmmhunt reads */
#define FW_MAX_ATTRS 8      /* parse.c's MAX_ATTRS: it sees no more */
#define FW_MAX_DEPTH 32     /* Windows' events nest 4 deep */
#define FW_MAX_TOKENS 65536 /* Sysmon's records hold a hundred or so */

/* One template instance's values. */
struct inst {
	uint32_t count;
	const uint8_t *desc;
	size_t at[FW_MAX_VALUES];
};

/* What a value being read (an attribute's, a leaf's text) goes to. */
enum slot { S_NONE, S_SYSTEM_ATTR, S_DATA_NAME, S_SYSTEM_TEXT, S_DATA_TEXT };

struct walk {
	const uint8_t *c;
	struct event *ev;
	struct tcache *tc;
	bool ok;
	int depth;                   /* elements open, nested documents too */
	uint8_t where[4];            /* parse.c's stack, depths 1..3 */
	int roots;
	int systems, event_ids;      /* System elements, EventID leaves in it */
	/* the element whose start or text is being read */
	char name[FW_NAME_MAX];
	size_t name_len;
	uint8_t parent;              /* where it is */
	int leaf_depth;              /* its depth while its text is read, else -1 */
	int attrs;                   /* attributes seen in its start */
	bool system_attr_seen, data_name_seen;
	int data_f;                  /* the field its Name gives, a Data element
	                                in EventData (event_data_field), or -1 */
	/* the value being read, and what it goes to */
	enum slot slot;
	bool in_attr;                /* the value is an attribute's */
	int pieces;
	bool need_one;               /* the slot needs its one piece */
	char *value;
	bool have_ticks;             /* the piece is a FILETIME: */
	int64_t ticks;
	/* libfwevt's sizes, which the tokens must end where they say */
	size_t end_at[FW_MAX_DEPTH + 1];   /* each open element's, by depth */
	bool in_start;               /* in an element's start, */
	size_t attrs_end;            /* its attribute list ending here (0: none) */
	bool value_due;              /* an attribute's name read, not its value */
	uint32_t tokens;             /* read so far, nested documents' too */
};

/* ---- values ---------------------------------------------------------- */

/* A string value (n UTF-16LE units at p) as libfwevt renders it and
 * parse.c reads it back: its UTF-8; false when it holds what this
 * reader does not render as libfwevt does. libfwevt ends a string at
 * its first NUL, takes a leading U+FEFF or U+FFFE as a byte order mark,
 * and writes & < > as entities, which parse.c reads back; it writes a
 * quote as it is, which ends an attribute's value early for parse.c
 * (in_attr). Control characters it writes as they are. */
/* The n units at p into out (n + 1 bytes, NUL-terminated) when each is
 * ASCII other than NUL and, in an attribute, other than a quote: the
 * strings of nearly every record, which render_string then need not
 * look at unit by unit. False (out partly written) otherwise. */
static bool ascii_copy(const uint8_t *p, size_t n, bool in_attr, char *out)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i high = _mm_set1_epi16((short)0xff80), zero = _mm_setzero_si128();
	const __m128i dq = _mm_set1_epi16('"'), sq = _mm_set1_epi16('\'');
	for (; i + 8 <= n; i += 8) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 2 * i));
		__m128i bad = _mm_or_si128(_mm_cmpeq_epi16(x, zero),
					   _mm_andnot_si128(_mm_cmpeq_epi16(_mm_and_si128(x, high), zero),
							    _mm_set1_epi16(-1)));
		if (in_attr)
			bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi16(x, dq),
							     _mm_cmpeq_epi16(x, sq)));
		if (_mm_movemask_epi8(bad))
			return false;
		_mm_storel_epi64((__m128i *)(void *)(out + i), _mm_packus_epi16(x, x));
	}
#endif
	for (; i < n; i++) {
		uint16_t u = le16(p + 2 * i);
		if (u == 0 || u >= 0x80 || (in_attr && (u == '"' || u == '\'')))
			return false;
		out[i] = (char)u;
	}
	out[n] = '\0';
	return true;
}

static bool render_string(const uint8_t *p, size_t n, bool in_attr, char **out)
{
	while (n && le16(p + 2 * (n - 1)) == 0)
		n--;
	size_t size = 3 * n + 1;   /* a BMP unit is at most 3 bytes */
	char *s = xmalloc(size);
	if (ascii_copy(p, n, in_attr, s)) {
		*out = s;
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		uint16_t u = le16(p + 2 * i);
		if (u == 0 || (u >= 0xd800 && u < 0xe000) || u >= 0xfffe || u == 0xfeff ||
		    (in_attr && (u == '"' || u == '\''))) {
			free(s);
			return false;
		}
	}
	scan_utf16_to_utf8(p, n, s, size);
	*out = s;
	return true;
}

/* Whether a string this reader does not read (n UTF-16LE units at p)
 * leaves the rendering's shape alone and renders: no surrogate (libuna
 * fails an unpaired one: the values' are checked by value_plain, a
 * definition's text here) and, in an attribute, no quote. */
static bool text_fits(const uint8_t *p, size_t n, bool in_attr)
{
	for (size_t i = 0; i < n; i++) {
		uint16_t u = le16(p + 2 * i);
		if ((u >= 0xd800 && u < 0xe000) || (in_attr && (u == '"' || u == '\'')))
			return false;
	}
	return true;
}

/* Every record has a handful of numbers and a GUID rendered: by hand,
 * at a tenth of what snprintf costs for each. */
static char *render_number(uint64_t v)
{
	char buf[24];
	size_t i = sizeof buf;
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return xstrdup(buf + i);
}

/* v as digits upper-case hexadecimal digits at o; returns o past them. */
static char *put_hex(char *o, uint64_t v, int digits)
{
	static const char hex[] = "0123456789ABCDEF";
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		o[i] = hex[v & 15];
	return o + digits;
}

/* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, as libfwevt writes a GUID */
static char *render_guid(const uint8_t *g)
{
	char buf[40], *o = buf;
	*o++ = '{';
	o = put_hex(o, le32(g), 8);
	*o++ = '-';
	o = put_hex(o, le16(g + 4), 4);
	*o++ = '-';
	o = put_hex(o, le16(g + 6), 4);
	*o++ = '-';
	for (int i = 8; i < 16; i++) {
		o = put_hex(o, g[i], 2);
		if (i == 9)
			*o++ = '-';
	}
	*o++ = '}';
	*o = '\0';
	return xstrdup(buf);
}

static char *render_sid(const uint8_t *p)
{
	struct strbuf sb = { 0 };
	char buf[24];
	uint32_t authority = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
			     (uint32_t)p[6] << 8 | p[7];
	snprintf(buf, sizeof buf, "S-%u-%u", p[0], authority);
	sb_append(&sb, buf, strlen(buf));
	for (size_t i = 0; i < p[1]; i++) {
		snprintf(buf, sizeof buf, "-%u", le32(p + 8 + 4 * i));
		sb_append(&sb, buf, strlen(buf));
	}
	return sb_take(&sb);
}

/* Whether libfwevt reads value i of v without failing the record and
 * renders it (binxml.h: value_fits, value_renders, the scanner's own
 * questions); of strings, this reader takes none with a surrogate or a
 * noncharacter, and of binary values none empty. A null value fails
 * only in a normal substitution (substitution()). */
static bool value_plain(const uint8_t *c, const struct inst *v, uint32_t i)
{
	const uint8_t *p = c + v->at[i];
	size_t size = le16(v->desc + 4 * i);
	uint8_t t = v->desc[4 * i + 2];
	if (!value_fits(p, size, t) || !value_renders(p, size, t))
		return false;
	switch (t) {
	case 0x01:
		for (size_t k = 0; k < size / 2; k++) {
			uint16_t u = le16(p + 2 * k);
			if ((u >= 0xd800 && u < 0xe000) || u >= 0xfffe)
				return false;
		}
		return true;
	case 0x0e:
		return size > 0;    /* binary, written in hex */
	default:
		return true;
	}
}

/* Value i rendered into *out (NULL for a null value); false when this
 * reader does not render it as libfwevt would. */
static bool render(const uint8_t *c, const struct inst *v, uint32_t i, bool in_attr,
		   char **out)
{
	const uint8_t *p = c + v->at[i];
	size_t size = le16(v->desc + 4 * i);
	*out = NULL;
	switch (v->desc[4 * i + 2]) {
	case 0x00: return true;
	case 0x01: return render_string(p, size / 2, in_attr, out);
	case 0x04: *out = render_number(p[0]); return true;
	case 0x06: *out = render_number(le16(p)); return true;
	case 0x08: *out = render_number(le32(p)); return true;
	case 0x0a: *out = render_number(le64(p)); return true;
	case 0x0f: *out = render_guid(p); return true;
	case 0x13: *out = render_sid(p); return true;
	default: return false;
	}
}

/* ---- the walk -------------------------------------------------------- */

static void fail(struct walk *w)
{
	w->ok = false;
}

/* Whether u may stand in a name as parse.c reads names back: it ends
 * a name at white space, '=', '/' or '>', and a tag at '<'; a name of
 * anything else than these characters this reader leaves to libevtx. */
static bool name_char(uint16_t u)
{
	return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
	       u == '_' || u == '-' || u == '.' || u == ':';
}

/* A name at chunk offset off (next u32, hash u16, units u16, units)
 * into w->name; "" (length 0) when longer than any name read. */
static void take_name(struct walk *w, uint32_t off)
{
	w->name[0] = '\0';
	w->name_len = 0;
	size_t n = (uint64_t)off + 8 <= SCAN_CHUNK_SIZE ? le16(w->c + off + 6) : 0;
	/* libfwevt reads the name with its terminator, and renders it up
	 * to the first NUL: one that is not there lengthens the name */
	if (n == 0 || (uint64_t)off + 10 + 2 * n > SCAN_CHUNK_SIZE ||
	    le16(w->c + off + 8 + 2 * n) != 0) {
		fail(w);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint16_t u = le16(w->c + off + 8 + 2 * i);
		if (!name_char(u)) {
			fail(w);
			return;
		}
		if (n < FW_NAME_MAX)
			w->name[i] = (char)u;
	}
	if (n < FW_NAME_MAX) {
		w->name[n] = '\0';
		w->name_len = n;
	}
}

/* The end of a value being read: it goes where its slot says. */
static void value_end(struct walk *w)
{
	char *v = w->value;
	w->value = NULL;
	if (w->have_ticks && w->slot == S_SYSTEM_ATTR) {
		/* TimeCreated's SystemTime: what parse.c reads back from
		 * libfwevt's ISO 8601 of it, to the 100 ns */
		w->ev->time = w->ticks;
		w->ev->time_from_header = false;
		w->slot = S_NONE;
	}
	w->have_ticks = false;
	switch (w->slot) {
	case S_SYSTEM_ATTR:
		event_take_system_attr(w->ev, w->name, w->name_len, v ? v : xstrdup(""));
		break;
	case S_DATA_NAME:
		w->data_f = event_data_field(v ? v : "");
		free(v);
		break;
	case S_SYSTEM_TEXT:
		event_take_system_text(w->ev, w->name, w->name_len, v ? v : xstrdup(""));
		break;
	case S_DATA_TEXT:
		event_take_data_field(w->ev, w->data_f, v ? v : xstrdup(""));
		break;
	case S_NONE:
		free(v);
		break;
	}
	w->slot = S_NONE;
	w->pieces = 0;
	w->need_one = false;
}

/* A piece of the value being read: one is all this reader takes. */
static void value_piece(struct walk *w, char *piece)
{
	if (w->slot == S_NONE) {
		free(piece);
		return;
	}
	if (w->pieces++ > 0) {
		free(piece);
		fail(w);
		return;
	}
	w->value = piece;
}

/* An element's start closes (0x02, or 0x03 closing it empty too). */
static void start_closed(struct walk *w, bool empty)
{
	value_end(w);
	w->in_attr = false;
	if (empty) {
		w->depth--;
		return;
	}
	if (w->parent != W_SYSTEM && w->parent != W_EVENTDATA)
		return;
	/* a leaf: parse.c reads its text; this reader, the text of the
	 * leaves that give a field */
	w->leaf_depth = w->depth;
	if (w->parent == W_SYSTEM && (strcmp(w->name, "EventID") == 0 ||
				      strcmp(w->name, "EventRecordID") == 0)) {
		w->slot = S_SYSTEM_TEXT;
		/* with no text parse.c would read 0, where libfwevt may
		 * write no element at all */
		w->need_one = true;
	} else if (w->parent == W_SYSTEM && strcmp(w->name, "Computer") == 0) {
		w->slot = S_SYSTEM_TEXT;
	} else if (w->parent == W_EVENTDATA && strcmp(w->name, "Data") == 0 &&
		   w->data_f >= 0) {
		w->slot = S_DATA_TEXT;
	}
}

/* A leaf's text ends: at its end, or where a child element starts. */
static void text_end(struct walk *w, bool child)
{
	if (w->leaf_depth < 0)
		return;
	if ((child && w->slot != S_NONE) || (w->need_one && w->pieces == 0))
		fail(w);    /* libfwevt's layout around a child: not read */
	w->leaf_depth = -1;
	value_end(w);
}

/* Whether libevtx takes an element of this name for want when it looks
 * the Event ID up (libfwevt_xml_tag_get_element_by_utf8_name): the same
 * length, the same letters but for case, and the last compared only
 * after the loop has moved past it, so any last character will do. */
static bool fwevt_takes_for(const char *name, size_t len, const char *want)
{
	size_t n = strlen(want);
	if (len != n)
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if (toupper((unsigned char)name[i]) != toupper((unsigned char)want[i]))
			return false;
	return true;
}

/* An element libevtx would take for System or EventID where parse.c
 * does not: the two would read different Event IDs. */
static bool lookalike(const struct walk *w, int depth, uint8_t parent)
{
	const char *want = depth == 1 ? "System" : parent == W_SYSTEM ? "EventID" : NULL;
	return want && fwevt_takes_for(w->name, w->name_len, want) &&
	       strcmp(w->name, want) != 0;
}

static void element_open(struct walk *w, uint32_t name_off)
{
	text_end(w, true);
	take_name(w, name_off);
	int d = w->depth;
	uint8_t parent = d >= 1 && d <= 3 ? w->where[d] : W_OTHER;
	uint8_t here = W_OTHER;
	if (lookalike(w, d, parent))
		fail(w);
	if (d == 0) {
		if (w->roots++ || strcmp(w->name, "Event") != 0)
			fail(w);
		here = W_EVENT;
	} else if (parent == W_EVENT && strcmp(w->name, "System") == 0) {
		/* libevtx takes the Event ID from the first System's first
		 * EventID, parse.c from the last: one of each, or libevtx */
		if (w->systems++)
			fail(w);
		here = W_SYSTEM;
	} else if (parent == W_SYSTEM && strcmp(w->name, "EventID") == 0) {
		if (w->event_ids++)
			fail(w);
	} else if (parent == W_EVENT && strcmp(w->name, "EventData") == 0) {
		here = W_EVENTDATA;
	}
	w->depth++;
	if (w->depth <= 3)
		w->where[w->depth] = here;
	w->parent = parent;
	w->in_attr = false;
	w->attrs = 0;
	w->system_attr_seen = w->data_name_seen = false;
	w->data_f = -1;
}

static void attribute(struct walk *w, uint32_t name_off)
{
	value_end(w);
	if (++w->attrs > FW_MAX_ATTRS) {
		fail(w);
		return;
	}
	char element[FW_NAME_MAX];
	size_t element_len = w->name_len;
	memcpy(element, w->name, sizeof element);
	take_name(w, name_off);    /* the attribute's name, for a moment */
	const char *want = w->parent == W_SYSTEM ? event_system_attr(element, element_len) : NULL;
	bool system = want && strcmp(w->name, want) == 0 && !w->system_attr_seen;
	bool data_name = w->parent == W_EVENTDATA && strcmp(element, "Data") == 0 &&
			 strcmp(w->name, "Name") == 0 && !w->data_name_seen;
	memcpy(w->name, element, sizeof element);
	w->name_len = element_len;
	w->system_attr_seen |= system;
	w->data_name_seen |= data_name;
	w->slot = system ? S_SYSTEM_ATTR : data_name ? S_DATA_NAME : S_NONE;
	w->in_attr = true;
}

/* Whether the value being read is the Event ID. libevtx reads it as an
 * integer (libfwevt_value_get_data_as_32bit_integer) to choose the
 * records it renders, parse.c from the rendering: the two agree on a
 * UInt16, the type Windows writes it as, and that is all this reader
 * takes there. */
static bool event_id_slot(const struct walk *w)
{
	return w->slot == S_SYSTEM_TEXT && strcmp(w->name, "EventID") == 0;
}

/* Fills v with the values at vals, which end by end: false when one
 * runs past it, there are too many, or one is not plain. *after is
 * where the values end. */
static bool inst_fill(const uint8_t *c, struct inst *v, const struct values *vals, size_t end,
		      size_t *after)
{
	if (vals->count > FW_MAX_VALUES)
		return false;
	v->count = vals->count;
	v->desc = vals->desc;
	size_t at = vals->first;
	for (uint32_t i = 0; i < vals->count; i++) {
		v->at[i] = at;
		at += le16(vals->desc + 4 * i);
		if (at > end || !value_plain(c, v, i))
			return false;
	}
	*after = at;
	return true;
}

static void walk_definition(struct walk *w, size_t pos, size_t end, const struct inst *v,
			    int nesting);

/* A substitution of value idx (optional: token 0x0e, else 0x0d):
 * rendered, or a nested document walked in place (libfwevt writes it
 * where the substitution is). */
static void substitution(struct walk *w, const struct inst *v, uint16_t idx, bool optional,
			 int nesting)
{
	if (idx >= v->count || (!optional && v->desc[4 * idx + 2] == 0x00)) {
		fail(w);    /* libfwevt fails a null in a normal substitution */
		return;
	}
	if (v->desc[4 * idx + 2] == 0x11 && w->slot == S_SYSTEM_ATTR &&
	    strcmp(w->name, "TimeCreated") == 0) {
		int64_t ticks = (int64_t)le64(w->c + v->at[idx]);
		if (ticks <= 0 || w->pieces++ > 0) {
			fail(w);    /* "Not set", or a second piece */
			return;
		}
		w->have_ticks = true;
		w->ticks = ticks;
		return;
	}
	if (event_id_slot(w) && v->desc[4 * idx + 2] != 0x06) {
		fail(w);    /* libfwevt's integer of any other: not parse.c's */
		return;
	}
	if (v->desc[4 * idx + 2] != 0x21) {
		char *s;
		if (w->slot == S_NONE) {    /* not read: only the XML's shape matters */
			if (w->in_attr && v->desc[4 * idx + 2] == 0x01 &&
			    !text_fits(w->c + v->at[idx], le16(v->desc + 4 * idx) / 2, true))
				fail(w);    /* a quote ends any attribute early */
			return;
		}
		if (!render(w->c, v, idx, w->in_attr, &s)) {
			if (w->slot != S_NONE || (w->in_attr && v->desc[4 * idx + 2] == 0x01))
				fail(w);    /* a quote ends any attribute early */
			return;
		}
		if (s)
			value_piece(w, s);
		return;
	}
	/* a nested document: children of the element it is in */
	if (w->in_attr || nesting >= 8) {
		fail(w);
		return;
	}
	text_end(w, true);
	size_t pos = v->at[idx], vend = pos + le16(v->desc + 4 * idx);
	uint32_t def_off;
	struct tdef tmp;
	const struct tdef *d = binxml_instance(w->c, &pos, vend, w->tc, &tmp, &def_off);
	struct inst *inner = d ? malloc(sizeof *inner) : NULL;
	struct values vals;
	size_t after;
	if (!inner || !values_head(w->c, pos, vend, &vals) ||
	    !inst_fill(w->c, inner, &vals, vend, &after)) {
		free(inner);
		fail(w);
		return;
	}
	/* the nested document's elements, under this element */
	char name[FW_NAME_MAX];
	size_t name_len = w->name_len;
	uint8_t parent = w->parent;
	memcpy(name, w->name, sizeof name);
	walk_definition(w, (size_t)def_off + 24, (size_t)def_off + 24 + d->size, inner,
			nesting + 1);
	memcpy(w->name, name, sizeof name);
	w->name_len = name_len;
	w->parent = parent;
	free(inner);
}

/* A token's name offset at pos + at, and the token's size before an
 * inline name: moves *pos past both. libfwevt takes no name that lies
 * ahead of the token (only one before it, or inline). */
static bool named(struct walk *w, size_t *pos, size_t end, size_t size, size_t at,
		  uint32_t *name)
{
	if (*pos + size > end)
		return false;
	*name = le32(w->c + *pos + at);
	*pos += size;
	if (*name > *pos)
		return false;
	if (*name == *pos) {    /* written inline */
		if (*pos + 8 > end)
			return false;
		*pos += 8 + 2 * (size_t)le16(w->c + *pos + 6) + 2;
	}
	return *pos <= end;
}

/* An element opens at *pos (0x01; 0x41 with attributes). libfwevt
 * reads an element by its sizes, this reader by its tokens: they read
 * the same only where the sizes end where the tokens do, which
 * token_close() and attr_token() hold them to. libfwevt takes the
 * element's size at offset 1 unless that runs past the data, then at
 * 3, after a dependency identifier (as Windows writes it): only the
 * second is this reader's. */
static bool open_token(struct walk *w, size_t *pos, size_t end, uint8_t t)
{
	size_t p = *pos, attrs_end = 0;
	uint32_t name;
	if (w->in_start || p + 11 > end || le32(w->c + p + 1) <= SCAN_CHUNK_SIZE - p - 7)
		return false;
	size_t elem_end = p + 7 + (size_t)le32(w->c + p + 3);
	if (!named(w, pos, end, 11, 7, &name))
		return false;
	if (t == 0x41) {
		if (*pos + 4 > end)
			return false;
		attrs_end = *pos + 4 + (size_t)le32(w->c + *pos);
		*pos += 4;
	}
	if (elem_end > end || attrs_end > elem_end || w->depth >= FW_MAX_DEPTH)
		return false;
	element_open(w, name);
	w->end_at[w->depth] = elem_end;
	w->in_start = true;
	w->attrs_end = attrs_end > *pos ? attrs_end : 0;
	return true;
}

/* An attribute's name (0x06, 0x46): in a start whose attribute list it
 * lies in, after the value of the one before. */
static bool attr_token(struct walk *w, size_t *pos, size_t end)
{
	uint32_t name;
	if (!w->in_start || w->value_due || *pos >= w->attrs_end ||
	    !named(w, pos, end, 5, 1, &name))
		return false;
	attribute(w, name);
	w->value_due = true;
	return true;
}

/* A value token (text or substitution) ends at pos: in a start, it was
 * the one value of an attribute. */
static bool value_token_end(struct walk *w, size_t pos)
{
	if (!w->in_start)
		return true;
	if (!w->value_due || pos > w->attrs_end)
		return false;
	w->value_due = false;
	return true;
}

/* 0x02 (close start), 0x03 (close empty) or 0x04 (end element) at pos:
 * each where libfwevt's sizes say the start or the element ends. */
static bool token_close(struct walk *w, size_t pos, uint8_t t)
{
	if (t == 0x04 ? w->in_start
		      : !w->in_start || w->value_due || (w->attrs_end && pos != w->attrs_end))
		return false;
	if (t != 0x02 && pos + 1 != w->end_at[w->depth])
		return false;
	w->in_start = false;
	if (t == 0x04) {
		text_end(w, false);
		w->depth--;
	} else {
		start_closed(w, t == 0x03);
	}
	return true;
}

/* A value text token at *pos (a string in the definition itself):
 * moves *pos past it; false when it runs past end. */
static bool value_text(struct walk *w, size_t *pos, size_t end)
{
	size_t p = *pos;
	if (p + 4 > end || w->c[p + 1] != 0x01)
		return false;
	size_t n = le16(w->c + p + 2);
	if (p + 4 + 2 * n > end)
		return false;
	char *s = NULL;
	if (w->slot == S_NONE) {        /* not read: its shape, and whether it renders */
		if (!text_fits(w->c + p + 4, n, w->in_attr))
			fail(w);
	} else if (!event_id_slot(w) && render_string(w->c + p + 4, n, w->in_attr, &s)) {
		value_piece(w, s);
	} else {
		fail(w);
	}
	*pos = p + 4 + 2 * n;
	return value_token_end(w, *pos);
}

/* One token at *pos, moved past it; false where libfwevt would read
 * the bytes otherwise (or not at all). */
static bool token(struct walk *w, size_t *pos, size_t end, const struct inst *v, int nesting)
{
	const uint8_t t = w->c[*pos];
	/* nested documents repeat: the caller hands only records the bound
	 * on rendering passed (scan_record_check), and past this many
	 * tokens libevtx reads the rest */
	if (++w->tokens > FW_MAX_TOKENS)
		return false;
	switch (t) {
	case 0x01: case 0x41:
		return open_token(w, pos, end, t);
	case 0x02: case 0x03: case 0x04:
		if (!token_close(w, *pos, t))
			return false;
		(*pos)++;
		return true;
	case 0x06: case 0x46:
		return attr_token(w, pos, end);
	case 0x05: case 0x45:
		return value_text(w, pos, end);
	case 0x0d: case 0x0e:
		if (*pos + 4 > end)
			return false;
		substitution(w, v, le16(w->c + *pos + 1), t == 0x0e, nesting);
		*pos += 4;
		return value_token_end(w, *pos);
	default:            /* CDATA, references, PIs: libevtx's */
		return false;
	}
}

/* A template definition's data [pos, end): a fragment header and one
 * element, which is all libfwevt reads of it. */
static void walk_definition(struct walk *w, size_t pos, size_t end, const struct inst *v,
			    int nesting)
{
	int base = w->depth;
	if (pos + 5 > end || w->c[pos] != 0x0f || (w->c[pos + 4] & 0xbf) != 0x01) {
		fail(w);
		return;
	}
	pos += 4;
	do {
		if (pos >= end || !token(w, &pos, end, v, nesting))
			fail(w);
	} while (w->ok && w->depth > base);
}

bool fields_read(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
		 struct event *ev)
{
	size_t pos, end;
	if (!record_xml(r, &pos, &end))
		return false;
	uint32_t def_off;
	struct tdef tmp;
	const struct tdef *d = binxml_instance(c, &pos, end, tc, &tmp, &def_off);
	struct values vals;
	if (!d || !values_head(c, pos, end, &vals))
		return false;
	struct inst *v = malloc(sizeof *v);
	if (!v)
		return false;
	struct walk w = { .c = c, .ev = ev, .tc = tc, .leaf_depth = -1, .data_f = -1 };
	/* libfwevt reads on from the values, in the chunk: the end of the
	 * document (not the chunk's last byte), or another fragment,
	 * which this reader leaves to it */
	size_t after;
	w.ok = inst_fill(c, v, &vals, end, &after) && after + 1 < SCAN_CHUNK_SIZE &&
	       c[after] == 0x00;
	ev->time = TIME_NONE;
	ev->time_from_header = true;
	if (w.ok)
		walk_definition(&w, (size_t)def_off + 24, (size_t)def_off + 24 + d->size, v, 0);
	value_end(&w);
	free(v);
	if (!w.ok || w.roots != 1 || w.depth != 0) {
		event_clear(ev);
		return false;
	}
	return true;
}
