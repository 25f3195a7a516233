/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The NetSupport client in Prefetch: the Event ID 7 detection without
 * Sysmon, signer aside. A Prefetch file lists the files a program
 * touched in its first seconds, its DLLs among them: a program outside
 * Program Files that loaded one of the six modules of Splunk's search
 * (rule.h) is the client, whatever its name; CLIENT32.EXE outside
 * Program Files is the client too, even where its modules went
 * unrecorded. What Prefetch cannot tell is said in the trace: who signed
 * the modules, and which drive letter the volume had. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "prefetch.h"
#include "rule.h"
#include "rules.h"
#include "strbuf.h"
#include "timefmt.h"
#include "path.h"

const char *rules_path_on_volume(const char *p)
{
	if (strncasecmp(p, "\\VOLUME{", 8) == 0) {
		const char *end = strchr(p, '}');
		return end ? end + 1 : p;
	}
	if (strncasecmp(p, "\\DEVICE\\HARDDISKVOLUME", 22) == 0) {
		const char *q = p + 22;
		while (*q >= '0' && *q <= '9')
			q++;
		return q;
	}
	return p;
}

bool rules_under_program_files(const char *p)
{
	return strncasecmp(p, "\\program files\\", 15) == 0 ||
	       strncasecmp(p, "\\program files (x86)\\", 21) == 0;
}

/* The file list's entry for the executable itself: the first ending in
 * a backslash and its name. NULL when none does (Windows cuts the name
 * at 29 characters). */
static const char *own_path(const struct prefetch *pf)
{
	if (!pf->executable || !*pf->executable)
		return NULL;
	for (size_t i = 0; i < pf->n_files; i++)
		if (strcasecmp(path_base_win(pf->files[i]), pf->executable) == 0 &&
		    path_base_win(pf->files[i]) != pf->files[i])
			return pf->files[i];
	return NULL;
}

/* The NetSupport modules the file list names, as "PCICL32.DLL; ..."
 * (each once, in list order); *of_search: how many are of the search's
 * six. NULL when none. */
static char *modules_named(const struct prefetch *pf, size_t *of_search)
{
	struct strbuf sb = { 0 };
	bool named[RULE_EXTENDED_COUNT] = { false };
	*of_search = 0;
	for (size_t i = 0; i < pf->n_files; i++) {
		const char *b = path_base_win(pf->files[i]);
		for (size_t m = 0; m < RULE_EXTENDED_COUNT; m++) {
			if (named[m] || strcasecmp(b, rule_modules_extended[m]) != 0)
				continue;
			named[m] = true;
			sb_printf(&sb, "%s%s", sb.len ? "; " : "", b);
			*of_search += m < RULE_MODULE_COUNT;
			break;
		}
	}
	return sb.data ? sb_take(&sb) : NULL;
}

static void times(const struct prefetch *pf, struct trace *t)
{
	for (size_t i = 0; i < pf->n_last_run; i++) {
		if (t->first_seen == TIME_NONE || pf->last_run[i] < t->first_seen)
			t->first_seen = pf->last_run[i];
		if (t->last_seen == TIME_NONE || pf->last_run[i] > t->last_seen)
			t->last_seen = pf->last_run[i];
	}
	if (t->last_seen == TIME_NONE)
		return;
	t->last_meaning = xstrdup("last run (Prefetch)");
	t->first_meaning = xstrdup(pf->n_last_run > 1
		? "earliest of the run times Prefetch keeps (the last 8 runs)"
		: "last run (Prefetch keeps one run time before Windows 8)");
}

static char *detail(const struct prefetch *pf, const char *path, size_t n_mod,
		    const char *volume)
{
	struct strbuf sb = { 0 };
	sb_printf(&sb, "Prefetch version %u of %s (hash %08X)", pf->version,
		  pf->executable ? pf->executable : "(no name)", pf->hash);
	if (n_mod)
		sb_printf(&sb, ": loaded %zu of the %d modules of Splunk's search in its "
			  "first seconds", n_mod, RULE_MODULE_COUNT);
	if (pf->executable && strcasecmp(pf->executable, "client32.exe") != 0 && n_mod)
		sb_puts(&sb, "; not named client32.exe: a renamed client");
	if (path && volume > path)
		sb_printf(&sb, "; ran outside Program Files on %.*s (a volume not matched "
			  "to a drive letter)", (int)(volume - path), path);
	else if (path)
		sb_puts(&sb, "; ran outside Program Files");
	else
		sb_puts(&sb, "; the file list does not name the program itself: where it "
			"ran from is not known");
	sb_puts(&sb, "; Prefetch does not record who signed the modules");
	return sb_take(&sb);
}

int rules_prefetch(const struct prefetch *pf, const struct read_options *opt,
                   uint32_t input_index, trace_sink sink, void *ctx)
{
	(void)opt;
	const char *path = own_path(pf);
	const char *on_volume = path ? rules_path_on_volume(path) : NULL;
	if (on_volume && rules_under_program_files(on_volume))
		return 0;
	size_t n_mod = 0;
	char *mods = modules_named(pf, &n_mod);
	bool client = pf->executable && strcasecmp(pf->executable, "client32.exe") == 0;
	if (n_mod == 0 && !client) {
		free(mods);
		return 0;
	}
	struct trace t;
	trace_init(&t);
	t.kind = xstrdup("prefetch");
	t.verdict = xstrdup("ran");
	t.executable = xstrdup(path ? path : pf->executable ? pf->executable : "");
	t.modules = mods;
	t.detail = detail(pf, path, n_mod, on_volume ? on_volume : path);
	times(pf, &t);
	t.run_count = pf->run_count;
	t.input = input_index;
	t.offset = 0;
	return trace_hand(sink, ctx, &t);
}
