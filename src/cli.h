/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The command line, parsed into options; no side effects. */
#ifndef RMMHUNT_CLI_H
#define RMMHUNT_CLI_H

#include <stdbool.h>
#include <stdint.h>

struct cli_options {
	const char *csv;         /* output paths; "-" = standard output */
	const char *json;
	const char *html;
	const char *jsonl;
	const char *traces_csv;  /* --traces-csv: one row a trace */
	const char *case_name;   /* --case, --examiner: for the reports' headers */
	const char *examiner;
	const char *allowlist;
	const char *password_file;   /* --password-file: read by main, never echoed */
	const char *tmpdir;      /* --tmpdir: where archive members spool; NULL: $TMPDIR */
	uint64_t max_member;     /* --max-member-size: bytes an archive member may expand to */
	int64_t from, to;        /* TIME_NONE when unset */
	bool recovered;          /* read recovered records (default) */
	bool prefilter;          /* byte-level pre-filter (default) */
	bool neutralise;         /* CSV formula neutralising (default) */
	bool extended;           /* --extended-modules */
	bool story;              /* the process stories (default; --no-story) */
	bool traces;             /* Prefetch and other traces (default; --no-traces) */
	bool quiet;
	bool all_files;          /* images: every NTFS file's signature */
	bool vss;                /* images: volume shadow copies (default) */
	bool carve;              /* images: every byte searched for chunks */
	bool verify_image;       /* images: stored hashes checked */
	unsigned jobs;           /* 0 = online CPUs */
	uint64_t mem_limit;      /* bytes, per worker */
	unsigned time_limit;     /* seconds per file, 0 = none; WORKER_TIME_AUTO
	                            (the default): by size, worker_time_limit() */
	unsigned deadline;       /* seconds the run may read for; 0 = no limit */
	bool merge;              /* rmmhunt merge: paths are parts' JSON reports */
	char **paths;            /* the PATH operands (into argv) */
	int n_paths;
};

enum cli_result { CLI_RUN, CLI_EXIT_OK, CLI_USAGE_ERROR };

/* Parses argv; prints --help/--version text or a usage error itself. */
enum cli_result cli_parse(int argc, char **argv, struct cli_options *opt);

#endif
