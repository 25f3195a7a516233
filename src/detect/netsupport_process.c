/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* NetSupport's client started outside Program Files, from process
 * creation events, for hosts that log process creation but not image
 * loads: the public Sigma rule "Remote Access Tool - NetSupport Execution
 * From Unusual Location". Sysmon Event ID 1 whose Image ends in
 * \client32.exe, whose OriginalFileName contains client32.exe or whose
 * Product contains "NetSupport Remote Control" (a renamed client keeps
 * its version resource), or whose Hashes hold the client's import hash
 * (a client with its resource stripped); Security 4688 whose
 * NewProcessName ends in \client32.exe (it has no other field to tell).
 * An image under C:\Program Files\ or C:\Program Files (x86)\ is left
 * out. Sigma's "contains" and "endswith" ignore case, as here. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* strcasestr */
#endif
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "rule.h"
#include "rules.h"
#include "strbuf.h"

static bool ends_with_client(const char *path)
{
	size_t n = path ? strlen(path) : 0, m = strlen(RULE_CLIENT);
	return n > m && path[n - m - 1] == '\\' && strcasecmp(path + n - m, RULE_CLIENT) == 0;
}

static bool contains_ci(const char *s, const char *lower)
{
	return s && strcasestr(s, lower) != NULL;
}

static bool under_program_files(const char *image)
{
	return strncasecmp(image, "C:\\Program Files\\", 17) == 0 ||
	       strncasecmp(image, "C:\\Program Files (x86)\\", 23) == 0;
}

static void add(struct strbuf *sb, const char *what, const char *value)
{
	if (value && *value)
		sb_printf(sb, "; %s %s", what, value);
}

static char *detail(const struct event *ev, bool sysmon, bool renamed)
{
	struct strbuf sb = { 0 };
	sb_puts(&sb, sysmon ? "Sysmon Event ID 1 (process created)" :
		"Security 4688 (a new process has been created)");
	if (sysmon) {
		add(&sb, "ProcessGuid", ev->field[EF_PROCESS_GUID]);
		add(&sb, "OriginalFileName", ev->field[EF_ORIGINAL_FILE_NAME]);
		add(&sb, "Product", ev->field[EF_PRODUCT]);
		add(&sb, "user", ev->field[EF_USER]);
		add(&sb, "parent", ev->field[EF_PARENT_IMAGE]);
	} else {
		if (ev->field[EF_SUBJECT_USER_NAME])
			sb_printf(&sb, "; user %s%s%s", ev->field[EF_SUBJECT_DOMAIN_NAME] ?
				  ev->field[EF_SUBJECT_DOMAIN_NAME] : "",
				  ev->field[EF_SUBJECT_DOMAIN_NAME] ? "\\" : "",
				  ev->field[EF_SUBJECT_USER_NAME]);
		add(&sb, "parent", ev->field[EF_PARENT_PROCESS_NAME]);
	}
	add(&sb, "command line", ev->field[EF_COMMAND_LINE]);
	if (renamed)
		sb_puts(&sb, "; not named client32.exe: a renamed client");
	if (ev->recovered)
		sb_puts(&sb, "; a record recovered from slack");
	sb_puts(&sb, "; it started, which does not show what it loaded");
	return sb_take(&sb);
}

int rules_process_creation(const struct event *ev, trace_sink sink, void *ctx)
{
	bool sysmon = ev->event_id == 1;
	const char *image = sysmon ? ev->field[EF_IMAGE] : ev->field[EF_NEW_PROCESS_NAME];
	const char *original = sysmon ? ev->field[EF_ORIGINAL_FILE_NAME] : NULL;
	bool named = ends_with_client(image);
	bool known = named || contains_ci(original, RULE_CLIENT) ||
		     (sysmon && (contains_ci(ev->field[EF_PRODUCT], RULE_PRODUCT) ||
				 contains_ci(ev->field[EF_HASHES], RULE_IMPHASH)));
	if (!image || !known || under_program_files(image))
		return 0;
	struct trace t;
	rules_trace_of_event(&t, ev, "process-creation", "ran", sysmon ?
			     "process created (Sysmon Event ID 1)" :
			     "process created (Security 4688)");
	t.executable = xstrdup(image);
	t.detail = detail(ev, sysmon, !named);
	return trace_hand(sink, ctx, &t);
}

void rules_trace_of_event(struct trace *t, const struct event *ev, const char *kind,
			  const char *verdict, const char *meaning)
{
	trace_init(t);
	t->host = ev->field[EF_COMPUTER] ? xstrdup(ev->field[EF_COMPUTER]) : NULL;
	t->kind = xstrdup(kind);
	t->verdict = xstrdup(verdict);
	trace_once(t, ev->time, meaning);
	t->input = ev->input;
	t->offset = ev->offset;
}

/* Process creation: Sysmon's Event ID 1, Security's 4688. */
static bool creation_id(uint32_t id)
{
	return id == 1 || id == 4688;
}

static bool creation_event(const struct event *ev)
{
	const char *p = ev->field[EF_PROVIDER];
	return p && ((ev->event_id == 1 && strcmp(p, PROVIDER_SYSMON) == 0) ||
		     (ev->event_id == 4688 && strcmp(p, PROVIDER_SECURITY) == 0));
}

/* The pre-filter hands over every record naming the client; a Sysmon
 * process creation of a renamed client may name only its product or its
 * import hash. (Security 4688 holds neither: its records name the client
 * or are nothing to this rule.) */
const struct event_rule netsupport_process_rule = {
	{ creation_id, creation_event }, rules_process_creation, RULE_CLIENT,
	{ { PROVIDER_SYSMON, 1, { RULE_PRODUCT, RULE_IMPHASH } } },
};
