/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* hive: the registry hives where Windows starts programs: NTUSER.DAT
 * (one a user: Software\Microsoft\Windows\CurrentVersion\Run, RunOnce),
 * SOFTWARE (Microsoft\Windows\CurrentVersion\Run, RunOnce, and their
 * Wow6432Node twins) and SYSTEM (every ControlSet00N\Services\*'s
 * ImagePath), read with libregf. Recognised by the "regf" signature and
 * those file names. */
#ifndef RMMHUNT_HIVE_H
#define RMMHUNT_HIVE_H

#include <stddef.h>
#include <stdint.h>
#include "input.h"
#include "reader.h"
#include "source.h"
#include "trace.h"
#include "bid.h"

#define HIVE_VALUES_MAX 1000000u

/* One value that starts a program. */
struct hive_value {
	char *key;              /* the key's path in the hive; owned */
	char *name;             /* the value's name (a service's: its key's); owned */
	char *data;             /* the command line; owned */
	int64_t written;        /* the key's last-written time */
};

struct hive {
	const char *kind;       /* "NTUSER.DAT", "SOFTWARE", "SYSTEM" */
	struct hive_value *v;   /* owned */
	size_t n;
	bool cut;               /* more than HIVE_VALUES_MAX */
	char *computer;         /* SYSTEM: the computer's name, from the
	                           current control set (Select\Current)'s
	                           Control\ComputerName\ComputerName; owned,
	                           NULL when absent */
};

/* Reads the hive in src (borrowed), of kind (hive_bid's). Returns 0, or
 * -1 with err set. */
int hive_read(struct source *src, const char *kind, struct hive *h, char *err, size_t errsz);
void hive_free(struct hive *h);
char *hive_summary(const struct hive *h);


#endif
