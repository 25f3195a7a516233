/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* detect: the NetSupport RMM rule, with Splunk's search semantics.
 * The contract is docs/detection.md (Splunk security_content
 * 125f96f9-6f34-418b-b868-c4a8d7fb865f). */
#ifndef RMMHUNT_RULE_H
#define RMMHUNT_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include "event.h"

struct event_select;   /* evtx/reader.h */

#define RULE_ID       "125f96f9-6f34-418b-b868-c4a8d7fb865f"
#define RULE_NAME     "Windows NetSupport RMM DLL Loaded By Uncommon Process"
#define RULE_VERSION  "1"
#define RULE_RISK_SCORE 30
/* What the search selects: Sysmon's Event ID 7, image loaded. The
 * scanner's pre-filter (evtx/) and libevtx's reading test these too. */
#define RULE_PROVIDER PROVIDER_SYSMON
#define RULE_EVENT_ID SYSMON_IMAGE_LOADED

/* The module names the search lists, lower case, without the leading
 * backslash. The pre-filter derives its byte patterns from this list. */
#define RULE_MODULE_COUNT 6
extern const char *const rule_modules[RULE_MODULE_COUNT];

/* --extended-modules: the six, then the two the detection's prose names
 * (IPCTL32.DLL, keyshowhook.dll) but its search does not. A row that
 * loads one of these is outside Splunk's search, and says so. */
#define RULE_EXTENDED_COUNT (RULE_MODULE_COUNT + 2)
extern const char *const rule_modules_extended[RULE_EXTENDED_COUNT];

/* NetSupport's client's file name, lower case: the trace rules read it
 * (process creation, Prefetch, files), and with traces on the pre-filter
 * looks for it too. */
#define RULE_CLIENT "client32.exe"
/* The Sigma rule's other two ways to know the client: its version
 * resource's product, and its import hash (in Sysmon's Hashes). Lower
 * case: both are compared ignoring case. */
#define RULE_PRODUCT "netsupport remote control"
#define RULE_IMPHASH "imphash=a9d50692e95b79723f3e76fcf70d023e"

/* The 18 by-fields of the stats command, in the SPL's order. */
enum byfield {
	BF_IMAGE, BF_IMAGE_LOADED, BF_DEST, BF_LOADED_FILE, BF_LOADED_FILE_PATH,
	BF_ORIGINAL_FILE_NAME, BF_PROCESS_EXEC, BF_PROCESS_GUID, BF_PROCESS_HASH,
	BF_PROCESS_ID, BF_PROCESS_NAME, BF_PROCESS_PATH,
	BF_SERVICE_DLL_SIGNATURE_EXISTS, BF_SERVICE_DLL_SIGNATURE_VERIFIED,
	BF_SIGNATURE, BF_SIGNATURE_ID, BF_USER_ID, BF_VENDOR_PRODUCT,
	BF_COUNT
};
extern const char *const byfield_name[BF_COUNT];

/* Looks a by-field up by its exact (case-sensitive) name; -1 if none. */
int byfield_lookup(const char *name);

/* Logged by Sysmon (System/Provider/@Name). */
bool rule_is_sysmon(const struct event *ev);

/* Sysmon, EventID 7. */
bool rule_selects(const struct event *ev);
/* The same as the EVTX reader is handed it (reader.h). */
extern const struct event_select rule_select;

/* The pre-filter's matcher is built from this rule's module names and
 * the trace rules' wants: rules.h, rules_matcher. */

/* The search's three conditions over a selected event. */
bool rule_matches(const struct event *ev);

/* The same with the extended module list when extended. */
bool rule_matches_with(const struct event *ev, bool extended);

/* Whether an ImageLoaded matches only through --extended-modules (one of
 * the two the search does not list). */
bool rule_outside_search(const char *image_loaded);

/* Case-insensitive (ASCII) Splunk wildcard match: '*' matches any run,
 * including the empty one; every other byte is literal. */
bool splunk_glob(const char *pattern, const char *value);

/* Fills key[] with the by-field values of ev, fillnull applied ("0" for
 * an absent field). The strings are new allocations the caller frees. */
void rule_derive(const struct event *ev, char *key[BF_COUNT]);

/* The RBA message with $ImageLoaded$ and $dest$ filled in (both strings,
 * as rule_derive fills them); caller frees. */
char *rule_risk_message(const char *image_loaded, const char *dest);

/* What the rule says of one finding row: its risk (Splunk's RBA score
 * and message) and whether it lies outside Splunk's search (only with
 * --extended-modules). Worked out once, when the rows are made
 * (findings_group); the reports render it and never ask the rule. */
struct rule_rating {
	int risk_score;
	char *risk_message;      /* owned */
	bool outside_search;
};

/* Rates the row whose by-field values are key (rule_derive's). */
void rule_rate(char *const key[BF_COUNT], struct rule_rating *out);
void rule_rating_clear(struct rule_rating *r);

#endif
