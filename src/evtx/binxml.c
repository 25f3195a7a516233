/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* scan: the BinXML template reader: Sysmon Event ID 7 without
 * rendering, the values the story wants, the host, the cost. */
#include <stdlib.h>
#include <string.h>
#include "le.h"
#include "binxml.h"
#include "event.h"
#include "scan_private.h"

/* ---- Sysmon Event ID 7 records ------------------------------------ */

/* A record's binary XML (libfwevt's format): a fragment header (0f 01
 * 01 00; optional), a template instance token (0c), one byte, the template id
 * (u32), the offset of the template definition in the chunk (u32). When
 * that offset is where the instance ends, the definition follows
 * inline: next definition offset (u32), GUID (16), data size (u32), its
 * tokens. Then the instance's values: a count (u32), count descriptors
 * of (size u16, type u8, 0), and the values, back to back.
 *
 * A definition is parsed once per chunk (struct tcache): where in
 * Event/System the Provider's Name attribute and the EventID element's
 * content are, as text (decided there) or as a substitution index
 * (decided per record from its values). Windows writes Sysmon's System
 * with both as substitutions (3 EventID UInt16, 14 Provider Name
 * string) and EventData as a nested BinXml value; tests/evtxwrite does
 * the same; other writers may put the Provider's name in as text.
 *
 * libevtx counts a record only when it can read all of it, so a record
 * that looks like Event ID 7 is then checked the way libfwevt would
 * fail it: every value in bounds, and every nested BinXml value (type
 * 0x21, Sysmon's EventData) a template instance whose definition parses
 * and whose values do too. Recovered records often fail there (their
 * EventData refers to a definition overwritten since). Cost: a few
 * dozen bytes a record, one definition parse per template per chunk;
 * the full check only for the Event ID 7 ones. On the corpus this
 * agrees with libevtx 20181227 record for record. */

static const char sysmon_provider[] = PROVIDER_SYSMON;
static const char eventlog_provider[] = PROVIDER_EVENTLOG;

/* Whether the n UTF-16LE units at p are the ASCII string s. */
static bool utf16_is(const uint8_t *p, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++, s++)
		if (!*s || p[2 * i] != (uint8_t)*s || p[2 * i + 1] != 0)
			return false;
	return *s == 0;
}

/* The name at chunk offset off (next u32, hash u16, units u16, units,
 * a NUL) is s; false when out of the chunk. */
static bool name_is(const uint8_t *c, uint32_t off, const char *s)
{
	if ((uint64_t)off + 8 > SCAN_CHUNK_SIZE)
		return false;
	size_t n = le16(c + off + 6);
	if ((uint64_t)off + 10 + 2 * n > SCAN_CHUNK_SIZE)
		return false;
	/* libfwevt reads the name with its terminator and renders it to
	 * the first NUL: without one there, the name runs on */
	return le16(c + off + 8 + 2 * n) == 0 && utf16_is(c + off + 8, n, s);
}

/* Skips a name written inline at *pos (it is when its offset is *pos);
 * false when it runs past end. */
static bool skip_inline_name(const uint8_t *c, uint32_t name_off, size_t *pos, size_t end)
{
	if (name_off != *pos)
		return true;
	if (*pos + 8 > end)
		return false;
	size_t n = le16(c + *pos + 6);
	*pos += 8 + 2 * n + 2;
	return *pos <= end;
}

/* An unsigned decimal number in n UTF-16LE units, or -1. */
static int64_t utf16_number(const uint8_t *p, size_t n)
{
	int64_t v = 0;
	if (n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (p[2 * i + 1] != 0 || p[2 * i] < '0' || p[2 * i] > '9')
			return -1;
		v = v * 10 + (p[2 * i] - '0');
	}
	return v;
}

enum { EL_OTHER, EL_EVENT, EL_SYSTEM, EL_PROVIDER, EL_EVENTID, EL_COMPUTER };
#define TD_MAX_DEPTH 64

/* The token readers are inlined into td_run, their one loop: a chunk's
 * definitions hold thousands of tokens, and a call for each costs the
 * clean log's scan a tenth of its time. */
#define TD_INLINE static inline __attribute__((always_inline))

/* Where tdef_parse is in a definition's tokens, c[pos..end). */
struct td_parser {
	const uint8_t *c;
	size_t pos, end;
	struct tdef *d;
	uint8_t stack[TD_MAX_DEPTH];   /* EL_* of the open elements */
	size_t depth;
	bool in_start;      /* between an element's name and its close start */
	bool provider_name; /* the attribute being read is Provider's Name */
	/* libfwevt reads an element by the sizes it holds, where this parse
	 * follows the tokens: where the two part (td_strict), libevtx
	 * decides (lib_refuses) */
	size_t end_at[TD_MAX_DEPTH];   /* where each open element's data ends */
	size_t attrs_end;   /* where the open start's attribute list ends, or 0 */
	bool value_due;     /* an attribute's name read, its one value not yet */
	const uint64_t *vcost;   /* scan_record_check: each value's cost, */
	uint32_t nvals;          /*   nvals of them, summed per substitution */
	uint64_t subst_cost;     /*   into this; NULL when not costing */
};

/* The EL_* of the innermost open element. */
TD_INLINE uint8_t td_top(const struct td_parser *p)
{
	return p->depth && p->depth <= TD_MAX_DEPTH ? p->stack[p->depth - 1] : EL_OTHER;
}

/* A token of size bytes at pos with a name offset (u32) at pos +
 * name_at: moves past it and past the name when it is written inline.
 * False when it runs past the end. */
TD_INLINE bool td_named_token(struct td_parser *p, size_t size, size_t name_at, uint32_t *name)
{
	if (p->pos + size > p->end)
		return false;
	*name = le32(p->c + p->pos + name_at);
	p->pos += size;
	return skip_inline_name(p->c, *name, &p->pos, p->end);
}

/* Which of the elements this parse looks for the name at chunk offset
 * name is, opened at the parser's depth. */
TD_INLINE uint8_t td_element_kind(const struct td_parser *p, uint32_t name)
{
	uint8_t top = td_top(p);
	if (p->depth == 0 && name_is(p->c, name, "Event"))
		return EL_EVENT;
	if (p->depth == 1 && top == EL_EVENT && name_is(p->c, name, "System"))
		return EL_SYSTEM;
	if (p->depth == 2 && top == EL_SYSTEM) {
		if (name_is(p->c, name, "Provider"))
			return EL_PROVIDER;
		if (name_is(p->c, name, "EventID"))
			return EL_EVENTID;
		if (name_is(p->c, name, "Computer"))
			return EL_COMPUTER;
	}
	return EL_OTHER;
}

/* Where libfwevt would read the bytes otherwise than the tokens say
 * (libfwevt_xml_document_read_element, _read_attribute): a record of
 * such a definition is never taken as readable, and libevtx decides. */
TD_INLINE void td_strict(struct td_parser *p, bool holds)
{
	if (__builtin_expect(!holds, 0))   /* (a store a token costs more) */
		p->d->lib_refuses = true;
}

/* Open start element (0x01, or 0x41 with an attribute list). libfwevt
 * takes the element's size at offset 1 unless that runs past the chunk,
 * then at 3 (after a dependency identifier, as Windows writes it); no
 * name ahead of the token; the attribute list and the element end where
 * their sizes say (td_close, td_attribute). */
TD_INLINE bool td_open_element(struct td_parser *p, uint8_t t)
{
	uint32_t name;
	size_t at = p->pos;
	if (at + 11 > p->end)
		return false;
	td_strict(p, !p->in_start && le32(p->c + at + 1) > SCAN_CHUNK_SIZE - at - 7 &&
		     le32(p->c + at + 7) <= at + 11);
	size_t elem_end = at + 7 + (size_t)le32(p->c + at + 3), attrs_end = 0;
	if (!td_named_token(p, 11, 7, &name))
		return false;
	if (t == 0x41) {
		if (p->pos + 4 > p->end)
			return false;
		attrs_end = p->pos + 4 + (size_t)le32(p->c + p->pos);
		p->pos += 4;   /* attribute list size */
	}
	td_strict(p, elem_end <= p->end && attrs_end <= elem_end);
	p->d->eventid_more |= td_top(p) == EL_EVENTID;   /* an element in it */
	uint8_t kind = td_element_kind(p, name);
	if (p->depth < TD_MAX_DEPTH) {
		p->stack[p->depth] = kind;
		p->end_at[p->depth] = elem_end;
	}
	p->depth++;
	p->in_start = true;
	p->attrs_end = attrs_end > p->pos ? attrs_end : 0;
	p->value_due = false;
	p->provider_name = false;
	return true;
}

/* Close start element (0x02, t), or an element's end (0x03 empty, 0x04):
 * a start closes after its attribute list and an element where its size
 * says; 0x03 only closes a start. */
TD_INLINE bool td_close(struct td_parser *p, uint8_t t)
{
	if (!p->depth)
		return false;
	bool from_start = t != 0x04;
	td_strict(p, from_start ? p->in_start && !p->value_due &&
				  (!p->attrs_end || p->pos == p->attrs_end)
				: !p->in_start);
	if (t != 0x02) {
		td_strict(p, p->depth > TD_MAX_DEPTH || p->pos + 1 == p->end_at[p->depth - 1]);
		p->depth--;
	}
	p->in_start = p->provider_name = false;
	p->pos++;
	return true;
}

/* An attribute: in a start's attribute list, after the one value of the
 * attribute before it; no name ahead of the token. */
TD_INLINE bool td_attribute(struct td_parser *p)
{
	uint32_t name;
	size_t at = p->pos;
	if (!p->in_start || at + 5 > p->end)
		return false;
	td_strict(p, !p->value_due && at < p->attrs_end && le32(p->c + at + 1) <= at + 5);
	if (!td_named_token(p, 5, 1, &name))
		return false;
	p->provider_name = td_top(p) == EL_PROVIDER && name_is(p->c, name, "Name");
	p->value_due = true;
	return true;
}

/* A value token (text, substitution) ends at p->pos: in a start, the
 * one value of the attribute before it, within the attribute list. */
TD_INLINE void td_value_end(struct td_parser *p)
{
	if (!p->in_start)
		return;
	td_strict(p, p->value_due && p->pos <= p->attrs_end);
	p->value_due = false;
}

/* Value text: a string, deciding the Provider's name or the EventID
 * when it is theirs and they are not decided yet. */
TD_INLINE bool td_value_text(struct td_parser *p)
{
	const uint8_t *c = p->c;
	struct tdef *d = p->d;
	if (p->pos + 4 > p->end || c[p->pos + 1] != 0x01)
		return false;
	size_t n = le16(c + p->pos + 2);
	if (p->pos + 4 + 2 * n > p->end)
		return false;
	const uint8_t *s = c + p->pos + 4;
	if (p->provider_name && d->provider == TD_NONE) {
		d->provider = utf16_is(s, n, sysmon_provider) ? TD_TEXT_YES : TD_TEXT_NO;
		d->provider_eventlog = utf16_is(s, n, eventlog_provider);
	} else if (!p->in_start && td_top(p) == EL_EVENTID && d->eventid == TD_NONE) {
		int64_t id = utf16_number(s, n);
		d->eventid = id == SYSMON_IMAGE_LOADED ? TD_TEXT_YES : TD_TEXT_NO;
		d->eventid_text = id >= 0 && id <= 0xffff ? (int32_t)id : -1;
	} else if (!p->in_start && td_top(p) == EL_EVENTID) {
		d->eventid_more = true;
	}
	else if (!p->in_start && td_top(p) == EL_COMPUTER && d->computer == TD_NONE) {
		d->computer = TD_TEXT_YES;
		d->computer_at = (uint32_t)(p->pos + 4);
		d->computer_units = (uint16_t)n;
	}
	p->pos += 4 + 2 * n;
	td_value_end(p);
	return true;
}

/* Substitution (index u16, type u8): the same, left to the record. */
TD_INLINE bool td_substitution(struct td_parser *p)
{
	struct tdef *d = p->d;
	if (p->pos + 4 > p->end)
		return false;
	uint16_t idx = le16(p->c + p->pos + 1);
	if (p->provider_name && d->provider == TD_NONE) {
		d->provider = TD_SUBST;
		d->provider_index = idx;
	} else if (!p->in_start && td_top(p) == EL_EVENTID && d->eventid == TD_NONE) {
		d->eventid = TD_SUBST;
		d->eventid_index = idx;
	} else if (!p->in_start && td_top(p) == EL_EVENTID) {
		d->eventid_more = true;
	} else if (!p->in_start && td_top(p) == EL_COMPUTER && d->computer == TD_NONE) {
		d->computer = TD_SUBST;
		d->computer_index = idx;
	}
	if (p->vcost && idx < p->nvals)
		p->subst_cost = sat_add(p->subst_cost, p->vcost[idx]);
	/* what the record's values must hold for libfwevt (values_fit) */
	if (idx >= d->substs)
		d->substs = idx + 1u;
	if (p->c[p->pos] == 0x0d)
		d->normal_substs |= idx < 64 ? 1ull << idx : 0;
	else if (p->c[p->pos + 3] == 0x21)
		d->binxml_substs |= idx < 64 ? 1ull << idx : 0;
	d->normal_high |= p->c[p->pos] == 0x0d && idx >= 64;
	p->pos += 4;
	td_value_end(p);
	return true;
}

/* One token; false when the parse ends there, at the end of the
 * fragment (d->ok says whether it closed every element) or on a token
 * it cannot read. */
TD_INLINE bool td_token(struct td_parser *p)
{
	uint32_t name;
	uint8_t t = p->c[p->pos];
	switch (t) {
	case 0x00:      /* end of fragment */
		p->d->ok = p->depth == 0;
		return false;
	case 0x0f:      /* fragment header */
		p->pos += 4;
		return true;
	case 0x01: case 0x41:     /* open start element */
		return td_open_element(p, t);
	case 0x02:                /* close start element */
	case 0x03:                /* close empty element */
	case 0x04:                /* end element */
		return td_close(p, t);
	case 0x06: case 0x46:     /* attribute */
		return td_attribute(p);
	case 0x05: case 0x45:     /* value text */
		return td_value_text(p);
	case 0x0d: case 0x0e:     /* substitution */
		return td_substitution(p);
	case 0x07: case 0x47:     /* CDATA */
	case 0x0b:                /* PI data */
		td_strict(p, !p->in_start);
		p->d->eventid_more |= td_top(p) == EL_EVENTID;
		if (p->pos + 3 > p->end)
			return false;
		p->pos += 3 + 2 * (size_t)le16(p->c + p->pos + 1);
		return true;
	case 0x08: case 0x48:     /* character reference */
		td_strict(p, !p->in_start);   /* no attribute value of libfwevt's */
		p->d->eventid_more |= td_top(p) == EL_EVENTID;
		p->pos += 3;
		return true;
	case 0x09: case 0x49:     /* entity reference */
		/* libfwevt (Debian 12) fails an attribute value that holds one */
		p->d->lib_refuses |= p->in_start;
		/* read as a PI target is: a name and nothing else */
		/* fall through */
	case 0x0a:                /* PI target */
		p->d->eventid_more |= td_top(p) == EL_EVENTID;
		return td_named_token(p, 5, 1, &name);
	default:
		return false;
	}
}

/* Reads tokens to the end of the fragment, or to the first token that
 * cannot be read. */
static void td_run(struct td_parser *p)
{
	while (p->pos < p->end && td_token(p))
		;
}

/* Parses the definition at chunk offset off. With vcost (n values'
 * costs), returns what its substitutions cost; else 0. */
uint64_t tdef_parse_costing(const uint8_t *c, uint32_t off, struct tdef *d,
                            const uint64_t *vcost, uint32_t n)
{
	memset(d, 0, sizeof *d);
	if ((uint64_t)off + 24 > SCAN_CHUNK_SIZE)
		return 0;
	d->size = le32(c + off + 20);
	size_t pos = (size_t)off + 24;
	if ((uint64_t)pos + d->size > SCAN_CHUNK_SIZE)
		return 0;
	struct td_parser p = { .c = c, .pos = pos, .end = pos + d->size, .d = d,
	                       .vcost = vcost, .nvals = n };
	/* libfwevt reads a definition as a fragment header and an element */
	td_strict(&p, d->size >= 5 && c[pos] == 0x0f && (c[pos + 4] & 0xbf) == 0x01);
	td_run(&p);
	return p.subst_cost;
}

void tdef_parse(const uint8_t *c, uint32_t off, struct tdef *d)
{
	tdef_parse_costing(c, off, d, NULL, 0);
}

static const struct tdef *tdef_get(const uint8_t *c, uint32_t off, struct tcache *tc,
                                   struct tdef *tmp)
{
	if (tc) {
		for (size_t i = 0; i < tc->n; i++)
			if (tc->off[i] == off)
				return &tc->def[i];
		if (tc->n < TCACHE_SLOTS) {
			tc->off[tc->n] = off;
			tdef_parse(c, off, &tc->def[tc->n]);
			return &tc->def[tc->n++];
		}
	}
	tdef_parse(c, off, tmp);
	return tmp;
}


/* The definition of the template instance at c[*pos..end) (see
 * instance_head), parsed or from tc, when it reads to its end; *pos
 * moves past the instance and past the definition when it is inline,
 * to the instance's values. NULL when any of that fails. */
static const struct tdef *instance_def(const uint8_t *c, size_t *pos, size_t end,
                                       struct tcache *tc, struct tdef *tmp)
{
	if (!instance_head(c, pos, end))
		return NULL;
	uint32_t def_off = le32(c + *pos - 4);
	const struct tdef *d = tdef_get(c, def_off, tc, tmp);
	if (!d->ok)
		return NULL;
	if (def_off == *pos) {
		*pos += 24 + (size_t)d->size;    /* the definition, inline */
		if (*pos > end)
			return NULL;
	}
	return d;
}

const struct tdef *binxml_instance(const uint8_t *c, size_t *pos, size_t end,
				   struct tcache *tc, struct tdef *tmp, uint32_t *def_off)
{
	size_t head = *pos;
	if (def_off && !instance_head(c, &head, end))
		return NULL;
	if (def_off)
		*def_off = le32(c + head - 4);
	return instance_def(c, pos, end, tc, tmp);
}

/* Record r's template definition (instance_def), *pos at its values and
 * *end at the end of its XML; NULL when the record or its instance does
 * not read. What every question about a record below asks first. */
static inline const struct tdef *record_def(const uint8_t *c, const struct scan_record *r,
					    struct tcache *tc, struct tdef *tmp, size_t *pos,
					    size_t *end)
{
	if (!record_xml(r, pos, end))
		return NULL;
	return instance_def(c, pos, *end, tc, tmp);
}

const struct tdef *binxml_record(const uint8_t *c, const struct scan_record *r,
				 struct tcache *tc, struct tdef *tmp, size_t *pos, size_t *end)
{
	return record_def(c, r, tc, tmp, pos, end);
}

static bool values_ok(const uint8_t *c, size_t pos, size_t end, struct tcache *tc, int depth);

/* A BinXml value (type 0x21) at c[pos..end): a fragment header and a
 * template instance whose definition and values read. libevtx fails a
 * record whose nested fragment does not: a recovered Sysmon record's
 * EventData often refers to a definition overwritten since. */
static bool fragment_ok(const uint8_t *c, size_t pos, size_t end, struct tcache *tc, int depth)
{
	struct tdef tmp;
	if (depth > FRAGMENT_MAX_DEPTH || !instance_def(c, &pos, end, tc, &tmp))
		return false;
	return values_ok(c, pos, end, tc, depth);
}

/* What a nested BinXml value at c[pos..end) must be, depth levels down. */
typedef bool (*nested_ok_fn)(const uint8_t *c, size_t pos, size_t end, struct tcache *tc,
			     int depth);

/* A template instance's values at c[pos..end): descriptors and values in
 * bounds, each nested BinXml value one that nested_ok takes. With d
 * (the instance's definition; may be NULL), the values also hold what d
 * substitutes: every index it names, each a value libfwevt takes
 * (value_fits), and no null where d substitutes it with a normal
 * substitution (libfwevt fails those, and leaves an optional one out);
 * *after (may be NULL) is then where the values end. With render,
 * each value also renders (value_renders). *nested (may be
 * NULL) is set when the walk met a nested value: without one, any
 * nested_ok gives the same answer. */
static bool values_walk(const uint8_t *c, size_t pos, size_t end, struct tcache *tc,
			int depth, nested_ok_fn nested_ok, const struct tdef *d, bool *nested,
			size_t *after, bool render)
{
	struct values v;
	if (!values_head(c, pos, end, &v))
		return false;
	/* (a null past index 64 is not looked for: libevtx decides) */
	if (d && (v.count < d->substs || (d->normal_high && v.count > 64)))
		return false;
	/* Strings side by side are asked for a surrogate at once (a run,
	 * from run to voff): the walk of a record's twenty values then pays
	 * no call a string, and only a run that holds one is asked again,
	 * value by value. */
	size_t voff = v.first, run = SIZE_MAX;
	bool surrogate = false;
	for (uint32_t i = 0; i < v.count; i++) {
		size_t sz = le16(v.desc + 4 * i);
		uint8_t t = v.desc[4 * i + 2];
		if (sz > end - voff)
			return false;
		if (d && (!value_fits(c + voff, sz, t) ||
			  (t == 0x00 && i < 64 &&
			   ((d->normal_substs | d->binxml_substs) >> i & 1))))
			return false;
		if (render && t == 0x01 && sz % 2 == 0) {
			run = run == SIZE_MAX ? voff : run;
		} else if (render) {
			if (run != SIZE_MAX)
				surrogate |= utf16_has_surrogate(c + run, (voff - run) / 2);
			run = SIZE_MAX;
			if (t == 0x01 ? !value_renders(c + voff, sz, t) : !type_renders(t))
				return false;
		}
		if (t == 0x21) {
			if (nested)
				*nested = true;
			if (!nested_ok(c, voff, voff + sz, tc, depth + 1))
				return false;
		}
		voff += sz;
	}
	if (run != SIZE_MAX)
		surrogate |= utf16_has_surrogate(c + run, (voff - run) / 2);
	if (surrogate && !values_render(c, pos, end, tc, depth))
		return false;
	if (after)
		*after = voff;
	return true;
}

/* The same, nested BinXml values readable (fragment_ok). */
static bool values_ok(const uint8_t *c, size_t pos, size_t end, struct tcache *tc, int depth)
{
	return values_walk(c, pos, end, tc, depth, fragment_ok, NULL, NULL, NULL, false);
}

/* One value of an instance: where it is, its size and type. */
struct value {
	size_t at, size;
	uint8_t type;
};

/* Finds the values the definition d takes the provider's name and the
 * event identifier from (those it substitutes), each in bounds before
 * end; false when the instance has too few or they run past end. */
static bool eid7_values(const struct tdef *d, const struct values *v, size_t end,
                        struct value *provider, struct value *eventid)
{
	uint32_t need = 0;
	if (d->provider == TD_SUBST)
		need = d->provider_index + 1u;
	if (d->eventid == TD_SUBST && d->eventid_index + 1u > need)
		need = d->eventid_index + 1u;
	if (need > v->count)
		return false;
	size_t voff = v->first;
	for (uint32_t i = 0; i < need; i++) {
		struct value here = { voff, le16(v->desc + 4 * i), v->desc[4 * i + 2] };
		if (here.size > end - voff)
			return false;
		if (i == d->provider_index)
			*provider = here;
		if (i == d->eventid_index)
			*eventid = here;
		voff += here.size;
	}
	return true;
}

/* Whether a substituted provider name is Sysmon's: a string, maybe
 * with a terminating NUL. */
static bool value_is_sysmon(const uint8_t *c, const struct value *p)
{
	if (p->type != 0x01 || p->size % 2)
		return false;
	size_t n = p->size / 2;
	while (n && le16(c + p->at + 2 * (n - 1)) == 0)
		n--;    /* a terminating NUL */
	return utf16_is(c + p->at, n, sysmon_provider);
}

/* Whether a substituted event identifier is an integer of its type's
 * size equal to 7. */
static bool value_is_seven(const uint8_t *c, const struct value *e)
{
	uint64_t v;
	const uint8_t *q = c + e->at;
	switch (e->type) {
	case 0x03: case 0x04:                   /* Int8, UInt8 */
		if (e->size != 1) return false;
		v = q[0];
		break;
	case 0x05: case 0x06:                   /* Int16, UInt16 */
		if (e->size != 2) return false;
		v = le16(q);
		break;
	case 0x07: case 0x08: case 0x14:        /* Int32, UInt32, HexInt32 */
		if (e->size != 4) return false;
		v = le32(q);
		break;
	case 0x09: case 0x0a: case 0x15:        /* Int64, UInt64, HexInt64 */
		if (e->size != 8) return false;
		v = le64(q);
		break;
	default:
		return false;
	}
	return v == SYSMON_IMAGE_LOADED;
}

/* A fragment whose elements are written out (a nested BinXml value
 * that is no template instance) at c[pos..end): read to its end, with
 * nothing libfwevt refuses. */
static bool plain_fragment_readable(const uint8_t *c, size_t pos, size_t end)
{
	struct tdef d;
	memset(&d, 0, sizeof d);
	struct td_parser p = { .c = c, .pos = pos, .end = end, .d = &d };
	td_run(&p);
	return d.ok && !d.lib_refuses;
}

/* A template instance at c[pos..end) (a nested BinXml value may also be
 * a plain fragment) that this reader follows whole and libfwevt would
 * too: its definition reads, holds nothing libfwevt refuses, and every
 * nested BinXml value reads in turn. False where in doubt: libevtx, not
 * a guess, then decides. */
static bool instance_readable(const uint8_t *c, size_t pos, size_t end, struct tcache *tc,
                              int depth)
{
	size_t head = pos;
	if (depth > FRAGMENT_MAX_DEPTH)
		return false;
	if (depth > 0 && !instance_head(c, &head, end))
		return plain_fragment_readable(c, pos, end);
	struct tdef tmp;
	const struct tdef *d = instance_def(c, &pos, end, tc, &tmp);
	return d && !d->lib_refuses &&
	       values_walk(c, pos, end, tc, depth, instance_readable, d, NULL, NULL, false);
}

static int64_t value_number(const uint8_t *c, const struct value *e);

/* The Event ID the instance of d names, eventid its substituted value
 * (eid7_values): what scan_record_traced goes by; -1 when it is no
 * number of value_number's types. */
static int64_t named_event_id(const uint8_t *c, const struct tdef *d, const struct value *eventid)
{
	return d->eventid == TD_SUBST ? value_number(c, eventid) : d->eventid_text;
}

/* Whether the instance of d whose values are at c[pos..end) names
 * Sysmon as its provider and 7 as its Event ID (read or not). Where it
 * reads the Event ID, *traced_id (may be NULL) is the one
 * scan_record_traced goes by, so that it need not read it again. */
static bool looks_eid7(const uint8_t *c, const struct tdef *d, size_t pos, size_t end,
		       int64_t *traced_id)
{
	if (!d || d->provider == TD_NONE || d->provider == TD_TEXT_NO ||
	    d->eventid == TD_NONE || d->eventid == TD_TEXT_NO)
		return false;
	struct values v;
	struct value provider = { 0 }, eventid = { 0 };
	if (!values_head(c, pos, end, &v) || !eid7_values(d, &v, end, &provider, &eventid))
		return false;
	if (traced_id)   /* (scan_record_traced's, from the same values) */
		*traced_id = named_event_id(c, d, &eventid);
	if (d->provider == TD_SUBST && !value_is_sysmon(c, &provider))
		return false;
	return d->eventid != TD_SUBST || value_is_seven(c, &eventid);
}

bool scan_record_eid7(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
                      bool *readable, int64_t *traced_id)
{
	size_t pos, end;
	if (readable)
		*readable = false;
	if (traced_id)
		*traced_id = SCAN_TRACED_UNREAD;
	if (!record_xml(r, &pos, &end))
		return false;
	struct tdef tmp;
	const struct tdef *d = instance_def(c, &pos, end, tc, &tmp);   /* NULL: unreadable */
	bool looks7 = looks_eid7(c, d, pos, end, traced_id);
	/* instance_readable's walk, its definition looked up once: every
	 * record is asked both, on the scan's hot path. The rule's records
	 * are rendered by every reading: for them the same walk asks
	 * whether each value renders (values_render below, for nested
	 * ones). */
	bool walked = false, walk_ok = false, nested = false;
	if (readable && d && !d->lib_refuses) {
		walked = true;
		size_t after = 0;
		walk_ok = values_walk(c, pos, end, tc, 0, instance_readable, d, &nested, &after,
				      looks7);
		/* libfwevt reads on from the values, in the chunk: it takes
		 * only the end of the document there (not as the chunk's last
		 * byte), or another fragment, which is libevtx's to decide */
		*readable = walk_ok && after + 1 < SCAN_CHUNK_SIZE && c[after] == 0x00 &&
			    (!looks7 || !nested || values_render(c, pos, end, tc, 0));
	}
	if (!looks7)
		return false;
	/* a Sysmon Event ID 7 record, if libevtx can read it all (the walk
	 * above says so when it met no nested value); a walk that failed
	 * for a value that does not render says nothing of that */
	return (walked && !nested && walk_ok) || values_ok(c, pos, end, tc, 0);
}

/* A substituted event identifier's value, or -1 (value_is_seven's
 * types and sizes). */
static int64_t value_number(const uint8_t *c, const struct value *e)
{
	const uint8_t *q = c + e->at;
	switch (e->type) {
	case 0x03: case 0x04:
		return e->size == 1 ? q[0] : -1;
	case 0x05: case 0x06:
		return e->size == 2 ? le16(q) : -1;
	case 0x07: case 0x08: case 0x14:
		return e->size == 4 ? (int64_t)le32(q) : -1;
	default:
		return -1;
	}
}

/* Whether a substituted provider name is the string s. */
static bool value_is_provider(const uint8_t *c, const struct value *p, const char *s)
{
	if (p->type != 0x01 || p->size % 2)
		return false;
	size_t n = p->size / 2;
	while (n && le16(c + p->at + 2 * (n - 1)) == 0)
		n--;
	return utf16_is(c + p->at, n, s);
}

/* Whether record r holds one of want w's names (any record when it has
 * none). */
static bool holds_wanted_name(const uint8_t *c, const struct scan_record *r,
			      const struct scan_want *w)
{
	if (!w->names[0])
		return true;
	for (int i = 0; i < SCAN_WANT_NAMES; i++)
		if (w->names[i] && scan_contains(w->names[i], c + r->offset, r->size))
			return true;
	return false;
}

bool scan_record_traced(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
			const struct scan_matcher *m)
{
	size_t pos, end;
	struct tdef tmp;
	const struct tdef *d = record_def(c, r, tc, &tmp, &pos, &end);
	if (!d || d->provider == TD_NONE || d->eventid == TD_NONE ||
	    (d->provider == TD_TEXT_NO && !d->provider_eventlog && !m->wants_any_provider))
		return false;
	struct values v;
	struct value provider = { 0 }, eventid = { 0 };
	if (!values_head(c, pos, end, &v) || !eid7_values(d, &v, end, &provider, &eventid))
		return false;
	int64_t id = named_event_id(c, d, &eventid);
	for (size_t i = 0; i < m->n_wants; i++) {
		const struct scan_want *w = &m->wants[i];
		if (id != w->event_id)
			continue;   /* most records: no provider to compare */
		bool ok = w->provider == SCAN_PROVIDER_ANY ||
			  (w->provider == SCAN_PROVIDER_SYSMON &&
			   (d->provider == TD_TEXT_YES ||
			    (d->provider == TD_SUBST &&
			     value_is_provider(c, &provider, sysmon_provider)))) ||
			  (w->provider == SCAN_PROVIDER_EVENTLOG &&
			   (d->provider_eventlog ||
			    (d->provider == TD_SUBST &&
			     value_is_provider(c, &provider, eventlog_provider))));
		if (ok && holds_wanted_name(c, r, w))
			return true;
	}
	return false;
}

bool scan_record_is_sysmon_eid7(const uint8_t *chunk, const struct scan_record *r)
{
	return chunk && r && scan_record_eid7(chunk, r, NULL, NULL, NULL);
}

/* ---- the Event ID of a record (the process story's filter) ---------- */

int32_t binxml_event_id(const uint8_t *c, const struct tdef *d, size_t pos, size_t end)
{
	if (d->eventid != TD_SUBST || d->eventid_more)
		return -1;
	struct values v;
	struct value provider = { 0 }, eventid = { 0 };
	if (!values_head(c, pos, end, &v) || !eid7_values(d, &v, end, &provider, &eventid))
		return -1;
	int64_t id = value_number(c, &eventid);
	return id < 0 ? -1 : (int32_t)(id & 0xffff);
}

bool scan_record_candidate(const struct scan_matcher *m, const uint8_t *chunk,
			   const struct scan_record *r)
{
	if (m->values)
		return scan_record_wanted(chunk, r, NULL, m->values);
	return m->every || scan_contains(m, chunk + r->offset, r->size) ||
	       (m->n_wants && scan_record_traced(chunk, r, NULL, m));
}

/* ---- the host a record names -------------------------------------- */

/* Where record r's System/Computer is, as UTF-16LE in the chunk: *at and
 * *units; false when its template has none, or it is no string, or out
 * of bounds. A trailing NUL is not part of it. */
bool scan_record_computer(const uint8_t *c, const struct scan_record *r, struct tcache *tc,
			    size_t *at, size_t *units)
{
	size_t pos, end;
	struct tdef tmp;
	const struct tdef *d = record_def(c, r, tc, &tmp, &pos, &end);
	if (!d || d->computer == TD_NONE)
		return false;
	if (d->computer == TD_TEXT_YES) {
		*at = d->computer_at;
		*units = d->computer_units;
		return true;
	}
	struct values v;
	if (!values_head(c, pos, end, &v) || d->computer_index >= v.count)
		return false;
	size_t voff = v.first;
	for (uint32_t i = 0; i < d->computer_index; i++) {
		voff += le16(v.desc + 4 * i);
		if (voff > end)
			return false;
	}
	size_t size = le16(v.desc + 4 * d->computer_index);
	if (v.desc[4 * d->computer_index + 2] != 0x01 || size % 2 || size > end - voff)
		return false;
	size_t n = size / 2;
	while (n && le16(c + voff + 2 * (n - 1)) == 0)
		n--;
	*at = voff;
	*units = n;
	return true;
}

/* n UTF-16LE units at p as UTF-8 into out (size bytes, NUL-terminated,
 * cut at a character boundary); an unpaired surrogate becomes U+FFFD. */
void scan_utf16_to_utf8(const uint8_t *p, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t u = le16(p + 2 * i);
		if (u >= 0xd800 && u < 0xdc00 && i + 1 < n) {
			uint32_t lo = le16(p + 2 * i + 2);
			if (lo >= 0xdc00 && lo < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			}
		}
		if (u >= 0xd800 && u < 0xe000)
			u = 0xfffd;
		char b[4];
		size_t k = u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
		if (k == 1) {
			b[0] = (char)u;
		} else {
			for (size_t j = k - 1; j > 0; j--, u >>= 6)
				b[j] = (char)(0x80 | (u & 0x3f));
			b[0] = (char)((k == 2 ? 0xc0 : k == 3 ? 0xe0 : 0xf0) | u);
		}
		if (o + k >= size)
			break;
		memcpy(out + o, b, k);
		o += k;
	}
	out[o] = '\0';
}
