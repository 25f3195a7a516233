/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* NetSupport's files on disk outside Program Files: the client, the
 * modules it loads, its configuration and licence. A file proves the
 * client was put there, not that it ran ("present"); its NTFS times say
 * when, unless they were set back by hand, which the trace says when
 * $STANDARD_INFORMATION and $FILE_NAME disagree. A renamed client32.exe
 * is not found by name: Prefetch and Amcache find it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "authenticode.h"
#include "file.h"
#include "rule.h"
#include "rules.h"
#include "strbuf.h"
#include "timefmt.h"
#include "path.h"

static const char *const others[] = {
	"client32.exe", "client32.ini", "nsm.lic", "nsm.ini", "remcmdstub.exe",
};

/* Where name is in --extended-modules' list (the search's six first),
 * or -1. */
static int module_index(const char *name)
{
	for (int i = 0; i < RULE_EXTENDED_COUNT; i++)
		if (strcasecmp(name, rule_modules_extended[i]) == 0)
			return i;
	return -1;
}

static bool is_module(const char *name)
{
	return module_index(name) >= 0;
}

bool rules_netsupport_file(const char *path)
{
	const char *name = path_base_any(path);
	for (size_t i = 0; i < sizeof others / sizeof *others; i++)
		if (strcasecmp(name, others[i]) == 0)
			return true;
	return is_module(name);
}

/* A loose file's path is the examiner's (a mounted image, a copied
 * tree): Program Files may be any folder on the way. */
static bool loose_excluded(const char *path)
{
	for (const char *p = path; *p; p++)
		if ((*p == '/' || *p == '\\') &&
		    (strncasecmp(p + 1, "program files", 13) == 0) &&
		    (p[14] == '/' || p[14] == '\\' || strncasecmp(p + 14, " (x86)", 6) == 0))
			return true;
	return false;
}

static const char *role(const char *name)
{
	if (strcasecmp(name, "client32.exe") == 0)
		return "NetSupport's client";
	if (strcasecmp(name, "remcmdstub.exe") == 0)
		return "NetSupport's remote command helper";
	if (is_module(name))
		return module_index(name) >= RULE_MODULE_COUNT ?
		       "a NetSupport module outside Splunk's search" :
		       "one of the six modules of Splunk's search";
	return "NetSupport's configuration or licence";
}

static void times_line(struct strbuf *sb, const char *attr, const int64_t t[META_TIMES])
{
	static const char *const what[META_TIMES] = {
		"created", "modified", "MFT entry changed", "accessed",
	};
	char buf[TIME_TEXT_SIZE];
	sb_printf(sb, "; %s", attr);
	for (int i = 0; i < META_TIMES; i++) {
		time_format_precise(t[i], buf);
		sb_printf(sb, "%s %s %s", i ? "," : "", what[i], t[i] == TIME_NONE ? "unset" : buf);
	}
}

static char *detail(const struct file_facts *f)
{
	struct strbuf sb = { 0 };
	sb_printf(&sb, "%s: %s", path_base_any(f->path), role(path_base_any(f->path)));
	if (f->has_meta) {
		sb_printf(&sb, "; MFT entry %llu%s", (unsigned long long)f->meta.entry,
			  f->meta.deleted ? ", deleted (its clusters may hold other data "
			  "since: the hash is of what they hold now)" : "");
		times_line(&sb, "$SI", f->meta.si);
		times_line(&sb, "$FN", f->meta.fn);
		char why[160];
		if (file_timestomped(f, why, sizeof why))
			sb_printf(&sb, "; possible timestomping: %s", why);
	} else {
		sb_puts(&sb, "; a loose copy: its times are the copy's, not read");
	}
	if (f->pe == PE_SIGNED)
		sb_printf(&sb, "; signed by %s (the certificate chain was not verified)", f->signer);
	else if (f->pe == PE_UNSIGNED)
		sb_puts(&sb, "; not signed");
	else if (f->pe == PE_UNREADABLE)
		sb_printf(&sb, "; signature not read: %s", f->sign_note);
	sb_puts(&sb, "; on disk, which does not show that it ran");
	return sb_take(&sb);
}

/* First and last seen: the $SI creation and modification times, in
 * order (a copy keeps the modification time its source had). */
static void times(struct trace *t, const struct file_facts *f)
{
	if (!f->has_meta)
		return;
	int64_t c = f->meta.si[META_CREATED], m = f->meta.si[META_MODIFIED];
	bool c_first = m == TIME_NONE || (c != TIME_NONE && c <= m);
	t->first_seen = c_first ? c : m;
	t->last_seen = c_first ? m : c;
	t->first_meaning = xstrdup(c_first ? "file created ($SI)" : "file modified ($SI)");
	t->last_meaning = xstrdup(c_first ? "file modified ($SI)" : "file created ($SI)");
	if (t->last_seen == TIME_NONE) {
		t->last_seen = t->first_seen;
		free(t->last_meaning);
		t->last_meaning = xstrdup(t->first_meaning);
	}
}

int rules_file(const struct file_facts *f, const struct read_options *opt,
	       uint32_t input_index, trace_sink sink, void *ctx)
{
	(void)opt;
	if (f->loose ? loose_excluded(f->path) : rules_under_program_files(f->path))
		return 0;
	const char *name = path_base_any(f->path);
	struct trace t;
	trace_init(&t);
	t.kind = xstrdup("file");
	t.verdict = xstrdup("present");
	if (strcasecmp(name + strlen(name) - (strlen(name) >= 4 ? 4 : 0), ".exe") == 0)
		t.executable = xstrdup(f->path);
	else
		t.modules = xstrdup(f->path);
	t.detail = detail(f);
	times(&t, f);
	t.sha256 = f->sha256[0] ? xstrdup(f->sha256) : NULL;
	t.signer = f->signer ? xstrdup(f->signer) : NULL;
	t.input = input_index;
	return trace_hand(sink, ctx, &t);
}
