/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* hosts: what a responder reads first, host by host: its hits (each
 * flagged process and the modules it loaded, how often, first and last
 * seen), how many logs name it, and whether the scan could look at it at
 * all (a blind spot: no Sysmon Event ID 7 in any of its logs). One view
 * for the JSON and the terminal; how far back each source of a host's
 * logs goes is reach.h's. */
#ifndef RMMHUNT_HOSTS_H
#define RMMHUNT_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "report.h"

struct host_module {
	const char *module;     /* the loaded_file by-field; borrowed */
	uint64_t count;         /* events */
	int64_t first, last;
};

struct host_process {
	const char *image;      /* the Image and process_guid by-fields; borrowed */
	const char *guid;
	struct host_module *modules;   /* by name; owned */
	size_t n_modules;
	uint64_t count;
	int64_t first, last;
};

struct host_view {
	const char *host;       /* a Computer name, or a row's dest; borrowed */
	bool blind;             /* named by inputs, none logging Event ID 7 */
	size_t inputs;          /* logs that name it */
	struct host_process *processes;   /* by image, then guid; owned */
	size_t n_processes;
	size_t rows;            /* finding rows (not allowlisted) */
	uint64_t events;
	int64_t first, last;    /* of its hits; TIME_NONE when none */
};

struct hosts {
	struct host_view *v;    /* hosts with hits first, then by name */
	size_t n;
};

/* Builds the view of run; the strings stay run's. */
void hosts_build(struct hosts *h, const struct run *run);
void hosts_free(struct hosts *h);

#endif
