/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* parse: the XML that libevtx renders for a record -> struct event.
 *
 * libevtx's API gives EventData values by position only, but the field
 * list changed across Sysmon schema versions, so fields are taken by
 * <Data Name=...> from the rendered XML. The XML is libevtx's own,
 * well-formed output, so a small scanner that follows element paths is
 * enough; it still never reads past the terminating NUL. */
#include <stdlib.h>
#include <string.h>
#include "reader.h"
#include "strbuf.h"
#include "timefmt.h"

enum where { W_OTHER, W_EVENT, W_SYSTEM, W_EVENTDATA };

struct xml_attr {
	const char *name, *value;   /* value still escaped, not terminated */
	size_t name_len, value_len;
};

#define MAX_ATTRS 8

struct xml_tag {
	const char *name;
	size_t name_len;
	struct xml_attr attr[MAX_ATTRS];
	int n_attr;
	bool closing;       /* </name> */
	bool self_closing;  /* <name/> */
};

static bool name_is(const char *s, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(s, want, n) == 0;
}

/* Appends s[0..n) with XML entities decoded. */
static void unescape(struct strbuf *out, const char *s, size_t n)
{
	static const struct { const char *ent; char c; } named[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	const char *end = s + n;

	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		if (!amp) {
			sb_append(out, s, (size_t)(end - s));
			return;
		}
		sb_append(out, s, (size_t)(amp - s));
		s = amp;
		size_t i;
		for (i = 0; i < sizeof named / sizeof named[0]; i++) {
			size_t len = strlen(named[i].ent);
			if ((size_t)(end - s) >= len && !memcmp(s, named[i].ent, len)) {
				sb_putc(out, named[i].c);
				s += len;
				break;
			}
		}
		if (i < sizeof named / sizeof named[0])
			continue;
		unsigned long cp = 0;
		char *stop = NULL;
		if ((size_t)(end - s) > 3 && s[1] == '#') {
			bool hex = s[2] == 'x' || s[2] == 'X';
			cp = strtoul(s + (hex ? 3 : 2), &stop, hex ? 16 : 10);
		}
		bool surrogate = cp >= 0xd800 && cp <= 0xdfff;
		if (stop && stop < end && *stop == ';' && cp > 0 && cp <= 0x10ffff &&
		    !surrogate) {
			char b[4];
			size_t len;
			if (cp < 0x80) {
				b[0] = (char)cp, len = 1;
			} else if (cp < 0x800) {
				b[0] = (char)(0xc0 | cp >> 6);
				b[1] = (char)(0x80 | (cp & 0x3f)), len = 2;
			} else if (cp < 0x10000) {
				b[0] = (char)(0xe0 | cp >> 12);
				b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
				b[2] = (char)(0x80 | (cp & 0x3f)), len = 3;
			} else {
				b[0] = (char)(0xf0 | cp >> 18);
				b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
				b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
				b[3] = (char)(0x80 | (cp & 0x3f)), len = 4;
			}
			sb_append(out, b, len);
			s = stop + 1;
		} else {
			sb_putc(out, '&');   /* not an entity: keep it as it is */
			s++;
		}
	}
}

static char *decode(const char *s, size_t n)
{
	struct strbuf sb = { 0 };
	sb_append(&sb, "", 0);
	unescape(&sb, s, n);
	return sb_take(&sb);
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Reads the tag starting at p ('<'); returns the position after '>', or
 * NULL when the tag is malformed. Comments, processing instructions and
 * declarations come back as tags with no name. */
static const char *read_tag(const char *p, struct xml_tag *tag)
{
	memset(tag, 0, sizeof *tag);
	p++;
	if (*p == '?' || *p == '!') {
		const char *end = strchr(p, '>');
		return end ? end + 1 : NULL;
	}
	if (*p == '/') {
		tag->closing = true;
		p++;
	}
	tag->name = p;
	while (*p && !strchr(" \t\r\n/>", *p))
		p++;
	tag->name_len = (size_t)(p - tag->name);
	for (;;) {
		p = skip_space(p);
		if (*p == '>')
			return p + 1;
		if (p[0] == '/' && p[1] == '>') {
			tag->self_closing = true;
			return p + 2;
		}
		if (*p == '\0')
			return NULL;
		const char *an = p;
		while (*p && !strchr(" \t\r\n=/>", *p))
			p++;
		size_t an_len = (size_t)(p - an);
		p = skip_space(p);
		if (*p != '=')
			return NULL;
		p = skip_space(p + 1);
		char q = *p;
		if (q != '"' && q != '\'')
			return NULL;
		const char *av = ++p;
		p = strchr(p, q);
		if (!p)
			return NULL;
		if (tag->n_attr < MAX_ATTRS)
			tag->attr[tag->n_attr++] = (struct xml_attr){
				an, av, an_len, (size_t)(p - av) };
		p++;
	}
}

static char *attr_value(const struct xml_tag *tag, const char *name)
{
	for (int i = 0; i < tag->n_attr; i++)
		if (name_is(tag->attr[i].name, tag->attr[i].name_len, name))
			return decode(tag->attr[i].value, tag->attr[i].value_len);
	return NULL;
}

/* Sets a field once: the first of duplicated Data names wins. */
static void set_field(struct event *ev, enum event_field f, char *value)
{
	if (ev->field[f] || (value && *value == '\0')) {
		free(value);   /* an empty value is no value, as in Splunk */
		return;
	}
	ev->field[f] = value;
}

int event_data_field(const char *name)
{
	for (int f = 0; f < EF_COUNT; f++)
		if (event_data_name[f] && event_data_name[f][0] == name[0] &&
		    strcmp(event_data_name[f], name) == 0)
			return f;
	return -1;
}

void event_take_data_field(struct event *ev, int f, char *value)
{
	if (f >= 0 && f < EF_COUNT)
		set_field(ev, (enum event_field)f, value);
	else
		free(value);
}

void event_take_data(struct event *ev, const char *name, char *value)
{
	event_take_data_field(ev, event_data_field(name), value);
}

void event_take_system_text(struct event *ev, const char *element, size_t len, char *value)
{
	if (name_is(element, len, "EventID")) {
		ev->event_id = (uint32_t)strtoul(value, NULL, 10);
	} else if (name_is(element, len, "EventRecordID")) {
		ev->record_id = strtoull(value, NULL, 10);
	} else if (name_is(element, len, "Computer")) {
		set_field(ev, EF_COMPUTER, value);
		return;
	}
	free(value);
}

const char *event_system_attr(const char *element, size_t len)
{
	return name_is(element, len, "Provider") ? "Name"
	       : name_is(element, len, "Security") ? "UserID"
	       : name_is(element, len, "TimeCreated") ? "SystemTime" : NULL;
}

void event_take_system_attr(struct event *ev, const char *element, size_t len, char *value)
{
	if (name_is(element, len, "Provider")) {
		set_field(ev, EF_PROVIDER, value);
	} else if (name_is(element, len, "Security")) {
		set_field(ev, EF_USER_ID, value);
	} else {
		int64_t ticks;
		if (value && time_parse_iso8601(value, &ticks) == 0) {
			ev->time = ticks;
			ev->time_from_header = false;
		}
		free(value);
	}
}

/* Handles the text of a leaf element, given its parent context. */
static void take_text(struct event *ev, enum where parent, const struct xml_tag *tag,
		      const char *data_name, const char *text, size_t len)
{
	if (parent == W_EVENTDATA && name_is(tag->name, tag->name_len, "Data")) {
		if (data_name)
			event_take_data(ev, data_name, decode(text, len));
		return;
	}
	if (parent == W_SYSTEM)
		event_take_system_text(ev, tag->name, tag->name_len, decode(text, len));
}

/* Handles the attributes of an element in <System>. */
static void take_system_attrs(struct event *ev, const struct xml_tag *tag)
{
	const char *attr = event_system_attr(tag->name, tag->name_len);
	if (attr)
		event_take_system_attr(ev, tag->name, tag->name_len, attr_value(tag, attr));
}

int parse_event_xml(const char *xml, struct event *ev)
{
	enum where stack[4] = { W_OTHER };  /* context of depths 1..3 */
	int depth = 0;
	bool seen_event = false;
	const char *p = xml;

	ev->time = TIME_NONE;
	ev->time_from_header = true;
	while ((p = strchr(p, '<')) != NULL) {
		struct xml_tag tag;
		const char *after = read_tag(p, &tag);
		if (!after)
			return -1;
		p = after;
		if (tag.name_len == 0)
			continue;
		if (tag.closing) {
			if (--depth < 0)
				return -1;   /* a closing tag that opened nothing */
			continue;
		}
		enum where parent = depth >= 1 && depth <= 3 ? stack[depth] : W_OTHER;
		enum where here = W_OTHER;
		if (depth == 0 && name_is(tag.name, tag.name_len, "Event"))
			here = W_EVENT, seen_event = true;
		else if (parent == W_EVENT && name_is(tag.name, tag.name_len, "System"))
			here = W_SYSTEM;
		else if (parent == W_EVENT && name_is(tag.name, tag.name_len, "EventData"))
			here = W_EVENTDATA;
		if (parent == W_SYSTEM)
			take_system_attrs(ev, &tag);
		if (tag.self_closing)
			continue;
		depth++;
		if (depth <= 3)
			stack[depth] = here;
		if (parent != W_SYSTEM && parent != W_EVENTDATA)
			continue;
		/* A leaf: its text runs to the next tag. */
		const char *end = strchr(p, '<');
		if (!end)
			return -1;
		char *data_name = parent == W_EVENTDATA ? attr_value(&tag, "Name") : NULL;
		take_text(ev, parent, &tag, data_name, p, (size_t)(end - p));
		free(data_name);
		p = end;
	}
	return seen_event ? 0 : -1;
}
