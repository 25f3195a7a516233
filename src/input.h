/* inputs: what the user named, expanded into EVTX files, and what became
 * of reading each one (its coverage). */
#ifndef RMMHUNT_INPUT_H
#define RMMHUNT_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum input_status { INPUT_OK, INPUT_PARTIAL, INPUT_FAILED };

struct input {
	char *path;             /* as found; owned */
	bool named;             /* given on the command line, not found in a directory */
	uint64_t size;
	char sha256[65];        /* hex; "" when the file could not be read */
	enum input_status status;
	char *reason;           /* why partial or failed; owned; NULL when ok */

	uint64_t records;          /* allocated records read */
	uint64_t recovered;        /* records recovered from slack */
	uint64_t record_errors;    /* allocated records that could not be parsed */
	uint64_t recovered_errors; /* recovered fragments that could not be parsed */
	uint64_t eid7;             /* allocated Sysmon Event ID 7 records */
	uint64_t eid7_recovered;   /* recovered ones (duplicates included) */
	int64_t first_time;        /* earliest / latest record written time */
	int64_t last_time;         /*   (TIME_NONE when no record) */
	bool dirty;                /* file header says it was not closed cleanly */
	char **computers;          /* distinct System/Computer values; owned */
	size_t n_computers;
};

/* Records a reason; the first partial/failed reason wins, later ones
 * are appended. status only ever gets worse. */
void input_note(struct input *in, enum input_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void input_add_computer(struct input *in, const char *name);
void input_add_time(struct input *in, int64_t ticks);
void input_clear(struct input *in);
const char *input_status_name(enum input_status s);

/* Why a path the user named or met was not taken as an input. */
struct skipped {
	char *path;
	char *reason;
};

struct input_list {
	struct input *items;
	size_t n, cap;
	struct skipped *skipped;    /* named paths that are missing, unreadable, not EVTX */
	size_t n_skipped, cap_skipped;
	uint64_t ignored_non_evtx;  /* files in directories without the EVTX signature */
};

/* Expands each path: a file is taken when it starts with the EVTX
 * signature; a directory is walked recursively (symbolic links are not
 * followed below the top) and its files sorted by path so that the
 * order, and so the output, never depends on the file system. */
void inputs_collect(struct input_list *list, char *const paths[], size_t n);
void inputs_free(struct input_list *list);

#endif
