/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* story: what else each flagged process did, from the same host's logs.
 *
 *   findings -> want (GUIDs, folders) -> story pass (workers, scan by
 *   value) -> story events -> one struct story per flagged process
 *
 * A flagged process is a (host, ProcessGuid) of a finding row that the
 * allowlist did not suppress. Its story: its creation (Event ID 1: the
 * command line, user, hashes, whether it is client32.exe renamed), its
 * parents through ParentProcessGuid, the processes it started, its
 * network connections (3) and DNS queries (22), the files created (11)
 * by it, by a process in its folder or into its folder, the registry
 * values set (13) by it or naming its image, and its end (5). The events
 * come from every input that names the host (live, snapshots, carved,
 * other copies), de-duplicated as the findings are. */
#ifndef RMMHUNT_STORY_H
#define RMMHUNT_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "aggregate.h"
#include "input.h"

#define STORY_NONE ((size_t)-1)
#define STORY_PARENTS 5          /* levels of ParentProcessGuid followed */

/* Why a file or registry event is in a story. */
enum story_why {
	WHY_BY_IT,           /* its ProcessGuid */
	WHY_INTO_FOLDER,     /* a file created in the process's folder */
	WHY_BY_FOLDER,       /* created by a process whose image is in that folder */
	WHY_NAMES_IMAGE,     /* a registry value whose data names its image */
};
const char *story_why_name(enum story_why why);

struct story_ref {
	size_t event;        /* index into stories.store.events */
	int64_t time;        /* its time, for the order told */
	uint8_t why;         /* enum story_why */
};

/* Connections to one (address, host name, port, protocol), or queries
 * of one (name, results): strings borrowed from the store's events. */
struct story_peer {
	const char *a, *b, *c, *d;   /* 3: ip, hostname, port, protocol;
	                                22: name, results */
	uint64_t count;
	int64_t first, last;
};

/* One ancestor: its GUID (from the child's ParentProcessGuid), image and
 * command line (from the child's creation, or its own), and its own
 * creation event when found. */
struct story_parent {
	const char *guid, *image, *command_line;   /* borrowed; may be NULL */
	size_t create;       /* event index, or STORY_NONE */
};

struct story {
	char *host, *guid, *image;   /* owned: the finding rows' dest,
	                                process_guid (lower case), Image */
	size_t create;               /* its Event ID 1, or STORY_NONE */
	int renamed;                 /* 1: OriginalFileName client32.exe and
	                                another file name; 0: not; -1: no
	                                creation event to tell */
	struct story_parent parent[STORY_PARENTS];
	size_t n_parents;
	bool parents_more;           /* the chain goes on past STORY_PARENTS */
	struct story_peer *net, *dns;
	size_t n_net, n_dns;
	struct story_ref *files, *registry;
	size_t n_files, n_registry;
	size_t *children;            /* Event ID 1 events it is the parent of */
	size_t n_children;
	size_t terminated;           /* its Event ID 5, or STORY_NONE */
	size_t *own;                 /* every event with its ProcessGuid, by time */
	size_t n_own;
	size_t *rows;                /* its finding rows, ascending */
	size_t n_rows;
	uint32_t *inputs;            /* inputs its story events came from */
	size_t n_inputs;
	size_t n_events;             /* distinct events told */
};

struct stories {
	bool enabled;                /* false with --no-story */
	struct findings store;       /* the story events, de-duplicated (no rows) */
	struct story *v;             /* by host, then image, then GUID */
	size_t n;
	size_t *of_row;              /* per finding row: its story, or STORY_NONE */
	size_t n_of_row;
	unsigned passes;             /* story passes made (parents need more) */
	size_t inputs_read;          /* input readings in all the passes */
	char **notes;                /* inputs a pass could not read, as lines */
	size_t n_notes;
};

/* The stories of f's unsuppressed rows from the events in st->store
 * (findings_dedupe'd). Call once; st->store is kept. */
void stories_build(struct stories *st, const struct findings *f);

/* The GUIDs of parents still to look for: for each story whose chain
 * stops at a parent not found and shallower than STORY_PARENTS, and not
 * in searched already. Adds them to want (want.h) and returns how many;
 * hosts (may be NULL) gets the distinct hosts of those stories, new
 * strings in a new array of *n_hosts (the caller frees both). */
struct story_want;
size_t stories_missing_parents(const struct stories *st, const struct story_want *searched,
			       struct story_want *want, char ***hosts, size_t *n_hosts);

/* The story of host's process guid with image (as the finding rows give
 * them), or NULL. */
const struct story *stories_find(const struct stories *st, const char *host, const char *image,
				 const char *guid);

/* Every event s tells, once each, ascending (its own, its parents' and
 * children's creations, the files and registry values): *n of them in a
 * new array the caller frees. */
size_t *story_events(const struct story *s, size_t *n);

/* The process's story, or NULL. */
const struct story *stories_of_row(const struct stories *st, size_t row);

/* A row's account: its events' EventData User, else its story's. */
const char *story_row_user(const struct stories *st, const struct findings *f, size_t row);

/* Its destinations as one line ("192.0.2.7:443 (gw.example) tcp; ..."),
 * at most max of them and the count of the rest; caller frees. */
char *story_destinations(const struct story *s, size_t max);

/* Adds a note (a line the reports show: what a story pass could not
 * read, a story merge could not make whole); takes line, a new string. */
void stories_note(struct stories *st, char *line);

void stories_free(struct stories *st);

#endif
