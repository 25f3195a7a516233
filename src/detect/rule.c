/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "reader.h"
#include "rule.h"
#include "strbuf.h"
#include "path.h"

const char *const rule_modules[RULE_MODULE_COUNT] = {
	"cryptpak.dll", "htctl32.dll", "pcicapi.dll",
	"pcichek.dll", "pcicl32.dll", "tcctl32.dll",
};

const char *const rule_modules_extended[RULE_EXTENDED_COUNT] = {
	"cryptpak.dll", "htctl32.dll", "pcicapi.dll",
	"pcichek.dll", "pcicl32.dll", "tcctl32.dll",
	"ipctl32.dll", "keyshowhook.dll",
};

const char *const byfield_name[BF_COUNT] = {
	"Image", "ImageLoaded", "dest", "loaded_file", "loaded_file_path",
	"original_file_name", "process_exec", "process_guid", "process_hash",
	"process_id", "process_name", "process_path",
	"service_dll_signature_exists", "service_dll_signature_verified",
	"signature", "signature_id", "user_id", "vendor_product",
};

int byfield_lookup(const char *name)
{
	for (int i = 0; i < BF_COUNT; i++)
		if (strcmp(byfield_name[i], name) == 0)
			return i;
	return -1;
}

bool rule_is_sysmon(const struct event *ev)
{
	const char *provider = ev->field[EF_PROVIDER];
	return provider && strcmp(provider, RULE_PROVIDER) == 0;
}

bool rule_selects(const struct event *ev)
{
	return ev->event_id == RULE_EVENT_ID && rule_is_sysmon(ev);
}

static bool rule_event_id(uint32_t event_id)
{
	return event_id == RULE_EVENT_ID;
}

const struct event_select rule_select = { rule_event_id, rule_selects };

/* Splunk compares field values case-insensitively. Only ASCII letters
 * fold, which is all that the rule's literals contain. */
bool splunk_glob(const char *pat, const char *val)
{
	const char *star = NULL, *resume = NULL;

	while (*val) {
		if (*pat == '*') {
			star = ++pat;
			resume = val;
		} else if (tolower((unsigned char)*pat) == tolower((unsigned char)*val)) {
			pat++, val++;
		} else if (star) {
			pat = star;
			val = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strncasecmp(s + n - m, suffix, m) == 0;
}

static bool starts_with_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* ImageLoaded IN ("*\\CryptPak.dll", ...): ends with a backslash and
 * one of the first n module names of the extended list (the search's
 * six come first). */
static bool loads_module(const char *image_loaded, int n_modules)
{
	if (!image_loaded)
		return false;
	for (int i = 0; i < n_modules; i++) {
		size_t n = strlen(image_loaded), m = strlen(rule_modules_extended[i]);
		if (n > m && image_loaded[n - m - 1] == '\\' &&
		    ends_with_ci(image_loaded, rule_modules_extended[i]))
			return true;
	}
	return false;
}

bool rule_outside_search(const char *image_loaded)
{
	return loads_module(image_loaded, RULE_EXTENDED_COUNT) &&
	       !loads_module(image_loaded, RULE_MODULE_COUNT);
}

bool rule_matches(const struct event *ev)
{
	return rule_matches_with(ev, false);
}

bool rule_matches_with(const struct event *ev, bool extended)
{
	const char *image = ev->field[EF_IMAGE];
	const char *signer = ev->field[EF_SIGNATURE];

	if (!loads_module(ev->field[EF_IMAGE_LOADED],
			  extended ? RULE_EXTENDED_COUNT : RULE_MODULE_COUNT))
		return false;
	/* NOT Image IN (...) holds when Image is absent. */
	if (image && (starts_with_ci(image, "c:\\program files\\") ||
		      starts_with_ci(image, "c:\\program files (x86)\\")))
		return false;
	return signer && starts_with_ci(signer, "netsupport ltd");
}

/* Windows renders a GUID in lower case; libevtx prints upper case. */
static char *lower_ascii(const char *s)
{
	char *out = xstrdup(s);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static char *fill(const char *value)
{
	return xstrdup(value ? value : "0");
}

void rule_derive(const struct event *ev, char *key[BF_COUNT])
{
	const char *image = ev->field[EF_IMAGE];
	const char *loaded = ev->field[EF_IMAGE_LOADED];
	const char *guid = ev->field[EF_PROCESS_GUID];

	key[BF_IMAGE] = fill(image);
	key[BF_IMAGE_LOADED] = fill(loaded);
	key[BF_DEST] = fill(ev->field[EF_COMPUTER]);
	key[BF_LOADED_FILE] = fill(loaded ? path_base_win(loaded) : NULL);
	key[BF_LOADED_FILE_PATH] = fill(loaded);
	key[BF_ORIGINAL_FILE_NAME] = fill(ev->field[EF_ORIGINAL_FILE_NAME]);
	key[BF_PROCESS_EXEC] = fill(image ? path_base_win(image) : NULL);
	key[BF_PROCESS_GUID] = guid ? lower_ascii(guid) : fill(NULL);
	key[BF_PROCESS_HASH] = fill(ev->field[EF_HASHES]);
	key[BF_PROCESS_ID] = fill(ev->field[EF_PROCESS_ID]);
	key[BF_PROCESS_NAME] = fill(image ? path_base_win(image) : NULL);
	key[BF_PROCESS_PATH] = fill(image);
	key[BF_SERVICE_DLL_SIGNATURE_EXISTS] = fill(ev->field[EF_SIGNED]);
	key[BF_SERVICE_DLL_SIGNATURE_VERIFIED] = fill(ev->field[EF_SIGNATURE_STATUS]);
	key[BF_SIGNATURE] = xstrdup("Image loaded");
	key[BF_SIGNATURE_ID] = xstrdup("7");
	key[BF_USER_ID] = fill(ev->field[EF_USER_ID]);
	key[BF_VENDOR_PRODUCT] = xstrdup("Microsoft Sysmon");
}

char *rule_risk_message(const char *image_loaded, const char *dest)
{
	/* one a row, kept with it: put together from its pieces in an
	 * allocation of its own size (a strbuf's doubling would leave a
	 * third of it unused, a format would cost a tenth of the rows) */
	static const char a[] = "The following module ",
			  b[] = " was loaded by a non-standard application on endpoint ";
	size_t ni = strlen(image_loaded), nd = strlen(dest);
	char *m = xmalloc(sizeof a - 1 + ni + sizeof b - 1 + nd + 1), *o = m;
	memcpy(o, a, sizeof a - 1);
	o += sizeof a - 1;
	memcpy(o, image_loaded, ni);
	o += ni;
	memcpy(o, b, sizeof b - 1);
	o += sizeof b - 1;
	memcpy(o, dest, nd + 1);
	return m;
}

void rule_rate(char *const key[BF_COUNT], struct rule_rating *out)
{
	out->risk_score = RULE_RISK_SCORE;
	out->risk_message = rule_risk_message(key[BF_IMAGE_LOADED], key[BF_DEST]);
	out->outside_search = rule_outside_search(key[BF_IMAGE_LOADED]);
}

void rule_rating_clear(struct rule_rating *r)
{
	free(r->risk_message);
	memset(r, 0, sizeof *r);
}
