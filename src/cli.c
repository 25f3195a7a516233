/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archives.h"
#include "cli.h"
#include "escape.h"
#include "timefmt.h"
#include "versions.h"
#include "worker.h"

static const char usage_text[] =
"Usage: rmmhunt [OPTION]... PATH...\n"
"       rmmhunt merge [OUTPUT OPTION]... [--allowlist FILE] PART.json...\n"
"Find NetSupport Manager (RMM) DLLs loaded by processes outside Program Files\n"
"in Sysmon Event ID 7 records of EVTX files, with the exact semantics of\n"
"Splunk's \"Windows NetSupport RMM DLL Loaded By Uncommon Process\" detection.\n"
"PATH is an EVTX file, a disk image (raw, split raw, E01, VMDK, VHD, VHDX,\n"
"QCOW2) or a directory searched recursively; files are recognised by their\n"
"contents, not their names. All times are UTC.\n"
"\n"
"Output:\n"
"      --csv FILE          write the findings as CSV (- = standard output; the\n"
"                            default when no output is named)\n"
"      --json FILE         write the run, inputs, findings and events as JSON\n"
"      --html FILE         write a self-contained HTML triage report\n"
"      --jsonl FILE        one JSON object a line for every matching event,\n"
"                            with message, datetime and timestamp_desc\n"
"                            (Timesketch imports it as it is)\n"
"      --traces-csv FILE   write the traces outside Sysmon (Prefetch, Amcache,\n"
"                            Run keys and services, NetSupport's files) as\n"
"                            CSV, one row a trace (- = standard output)\n"
"      --case NAME         the case, named in the HTML and JSON reports\n"
"      --examiner NAME     who ran the scan, named there too\n"
"      --no-formula-escape do not neutralise spreadsheet formulas in CSV cells\n"
"                            (for diffing against Splunk's own output)\n"
"  -q, --quiet             no summary or progress on standard error\n"
"\n"
"Selection:\n"
"      --allowlist FILE    suppress rows matching known-good rules (the\n"
"                            detection's _filter macro); counted, not hidden\n"
"      --from TIME         only events at or after TIME (ISO 8601 with Z or\n"
"      --to TIME             an offset, e.g. 2024-03-01T00:00:00Z)\n"
"      --no-recovered      ignore records libevtx recovers from slack space\n"
"      --extended-modules  also IPCTL32.DLL and keyshowhook.dll, which the\n"
"                            detection names but its search does not (such\n"
"                            rows are marked outside Splunk's search)\n"
"      --password-file FILE  passwords to try on encrypted archive members,\n"
"                            one a line (never given on the command line,\n"
"                            never written into a report)\n"
"      --max-member-size SIZE  archive members larger than SIZE (bytes, or\n"
"                            with K, M, G, T: 4G) are not read (default 64G)\n"
"      --tmpdir DIR        where an archive member that must be read back\n"
"                            is copied once (default $TMPDIR, else /tmp)\n"
"      --no-story          do not read the flagged processes' stories (their\n"
"                            creation, parents, connections, DNS, files,\n"
"                            registry values and end) from the same logs\n"
"      --no-traces         read event logs only: no Prefetch files, no traces,\n"
"                            no host verdicts (0.7.0's outputs)\n"
"\n"
"Reading:\n"
"      --no-prefilter      parse every record with libevtx (slower; the\n"
"                            reference the pre-filter is tested against)\n"
"      --all-files         in images, check every NTFS file's signature, not\n"
"                            only files named *.evtx\n"
"      --no-vss            in images, do not read volume shadow copies\n"
"      --verify-image      check each E01's stored MD5/SHA-1 over every byte\n"
"      --carve             in images, also read deleted logs and search the\n"
"                            unallocated clusters and the space outside NTFS\n"
"                            volumes for EVTX chunks\n"
"  -j, --jobs N            worker processes (default: online CPUs)\n"
"      --memory-limit MIB  address-space limit of a worker (default 4096)\n"
"      --time-limit SEC    time limit per file (default 300 s and 256 s a GiB;\n"
"                          0: none)\n"
"      --deadline TIME     stop reading after TIME (seconds, or with s, m, h, d:\n"
"                          90m, 2h) and write the reports with what was read\n"
"\n"
"Merging (rmmhunt merge): the JSON reports of runs over parts of the evidence,\n"
"  made on any machines by the same rmmhunt with the same options, give the\n"
"  reports one run over all of it would give. Takes the output options,\n"
"  --allowlist (give it here, not to the parts) and -q.\n"
"\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version of rmmhunt and of each library it\n"
"                          runs with, and exit\n"
"\n"
"Exit status: 0 no findings, 1 findings, 4 some input could not be read or\n"
"only partly (5 = findings too), 8 usage or fatal error.\n";

enum {
	OPT_CSV = 256, OPT_JSON, OPT_HTML, OPT_ALLOWLIST, OPT_FROM, OPT_TO,
	OPT_NO_RECOVERED, OPT_NO_PREFILTER, OPT_NO_FORMULA, OPT_MEMORY, OPT_TIME,
	OPT_ALL_FILES, OPT_NO_VSS, OPT_CARVE, OPT_VERIFY, OPT_DEADLINE, OPT_EXTENDED,
	OPT_JSONL, OPT_CASE, OPT_EXAMINER, OPT_NO_STORY, OPT_PASSWORDS, OPT_MAX_MEMBER,
	OPT_TMPDIR, OPT_TRACES_CSV, OPT_NO_TRACES,
};

static const struct option long_options[] = {
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "allowlist", required_argument, NULL, OPT_ALLOWLIST },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "no-recovered", no_argument, NULL, OPT_NO_RECOVERED },
	{ "no-prefilter", no_argument, NULL, OPT_NO_PREFILTER },
	{ "no-formula-escape", no_argument, NULL, OPT_NO_FORMULA },
	{ "extended-modules", no_argument, NULL, OPT_EXTENDED },
	{ "no-story", no_argument, NULL, OPT_NO_STORY },
	{ "password-file", required_argument, NULL, OPT_PASSWORDS },
	{ "max-member-size", required_argument, NULL, OPT_MAX_MEMBER },
	{ "tmpdir", required_argument, NULL, OPT_TMPDIR },
	{ "jsonl", required_argument, NULL, OPT_JSONL },
	{ "traces-csv", required_argument, NULL, OPT_TRACES_CSV },
	{ "no-traces", no_argument, NULL, OPT_NO_TRACES },
	{ "case", required_argument, NULL, OPT_CASE },
	{ "examiner", required_argument, NULL, OPT_EXAMINER },
	{ "all-files", no_argument, NULL, OPT_ALL_FILES },
	{ "no-vss", no_argument, NULL, OPT_NO_VSS },
	{ "carve", no_argument, NULL, OPT_CARVE },
	{ "verify-image", no_argument, NULL, OPT_VERIFY },
	{ "jobs", required_argument, NULL, 'j' },
	{ "memory-limit", required_argument, NULL, OPT_MEMORY },
	{ "time-limit", required_argument, NULL, OPT_TIME },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* --version: rmmhunt's own, then each library's as it reports itself at
 * run time, for bug reports. */
static void print_version(void)
{
	struct library_version v[16];
	char tsk_err[256] = "";
	size_t n = library_versions(v, sizeof v / sizeof v[0], tsk_err, sizeof tsk_err);
	printf("rmmhunt %s\n", PACKAGE_VERSION);
	for (size_t i = 0; i < n; i++) {
		if (!v[i].built_in)
			printf("  %-10s built without it: %s are recognised, not read\n",
			       v[i].name, v[i].serves);
		else if (!v[i].version)
			printf("  %-10s cannot be loaded: %s\n", v[i].name, v[i].why);
		else
			printf("  %-10s %s\n", v[i].name, v[i].version);
	}
}

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("rmmhunt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'rmmhunt --help' for more information.\n", stderr);
	return CLI_USAGE_ERROR;
}

/* getopt_long's '?': optopt holds a long option's value (not a
 * character) when its argument is missing, so the text is told from
 * the table, and the word the user typed is shown escaped. */
static int unknown_option(const char *typed)
{
	char word[64];
	snprintf(word, sizeof word, "%s", typed ? typed : "");
	word[strcspn(word, "=")] = '\0';
	for (const struct option *o = long_options; o->name; o++)
		if (o->val == optopt && optopt != 0) {
			if (o->has_arg == no_argument)
				return usage_error("option '--%s' takes no value", o->name);
			if (optopt >= 256)
				return usage_error("option '--%s' needs a value", o->name);
			return usage_error("option '-%c' needs a value", optopt);
		}
	if (optopt > 0 && optopt < 128 && isprint(optopt)) {
		if (strchr("j", optopt))
			return usage_error("option '-%c' needs a value", optopt);
		return usage_error("option '-%c' is unknown", optopt);
	}
	char *safe = term_safe(word);
	int rc = usage_error("option '%s' is unknown", safe);
	free(safe);
	return rc;
}

/* A whole number in [min, max]. */
static int parse_number(const char *text, unsigned long long min,
			unsigned long long max, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (text[0] == '-' || text[0] == '\0')
		return -1;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A duration: a whole number of seconds, or of minutes, hours or days
 * with the suffix m, h or d (s for seconds), at most a year. */
static int parse_duration(const char *text, unsigned long long *seconds)
{
	static const struct { char suffix; unsigned long long scale; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	size_t n = strlen(text);
	unsigned long long scale = 1;
	char digits[32];
	if (n == 0 || n >= sizeof digits)
		return -1;
	memcpy(digits, text, n + 1);
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (digits[n - 1] == units[i].suffix) {
			scale = units[i].scale;
			digits[n - 1] = '\0';
		}
	unsigned long long v;
	if (parse_number(digits, 1, 366ULL * 86400 / scale, &v) != 0)
		return -1;
	*seconds = v * scale;
	return 0;
}

/* A size: bytes, or a number with K, M, G or T (powers of 1024), at
 * least 1 byte and at most 1 PiB. Returns 0, or -1. */
static int parse_size(const char *text, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	size_t n = strlen(text);
	char digits[32];
	unsigned shift = 0;
	if (n == 0 || n >= sizeof digits)
		return -1;
	memcpy(digits, text, n + 1);
	const char *u = strchr(units, toupper((unsigned char)digits[n - 1]));
	if (u && *u) {
		shift = 10 * (unsigned)(u - units + 1);
		digits[n - 1] = '\0';
	}
	unsigned long long v;
	if (parse_number(digits, 1, (1ULL << 50) >> shift, &v) != 0)
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}

static int parse_option(int c, const char *arg, struct cli_options *opt)
{
	unsigned long long n;

	switch (c) {
	case OPT_CSV: opt->csv = arg; break;
	case OPT_JSON: opt->json = arg; break;
	case OPT_HTML: opt->html = arg; break;
	case OPT_ALLOWLIST: opt->allowlist = arg; break;
	case OPT_FROM:
		if (time_parse_iso8601(arg, &opt->from) != 0)
			return usage_error("--from: '%s' is not an ISO 8601 time with a "
					   "zone (e.g. 2024-03-01T00:00:00Z)", arg);
		break;
	case OPT_TO:
		if (time_parse_iso8601(arg, &opt->to) != 0)
			return usage_error("--to: '%s' is not an ISO 8601 time with a "
					   "zone (e.g. 2024-03-01T23:59:59Z)", arg);
		break;
	case OPT_NO_RECOVERED: opt->recovered = false; break;
	case OPT_NO_PREFILTER: opt->prefilter = false; break;
	case OPT_NO_FORMULA: opt->neutralise = false; break;
	case OPT_EXTENDED: opt->extended = true; break;
	case OPT_NO_STORY: opt->story = false; break;
	case OPT_TRACES_CSV: opt->traces_csv = arg; break;
	case OPT_NO_TRACES: opt->traces = false; break;
	case OPT_PASSWORDS: opt->password_file = arg; break;
	case OPT_TMPDIR: opt->tmpdir = arg; break;
	case OPT_MAX_MEMBER:
		if (parse_size(arg, &opt->max_member))
			return usage_error("--max-member-size: '%s' is not a size (bytes, or a "
					   "number with K, M, G or T: 4G)", arg);
		break;
	case OPT_JSONL: opt->jsonl = arg; break;
	case OPT_CASE: opt->case_name = arg; break;
	case OPT_EXAMINER: opt->examiner = arg; break;
	case OPT_ALL_FILES: opt->all_files = true; break;
	case OPT_NO_VSS: opt->vss = false; break;
	case OPT_CARVE: opt->carve = true; break;
	case OPT_VERIFY: opt->verify_image = true; break;
	case 'q': opt->quiet = true; break;
	case 'j':
		if (parse_number(arg, 1, 1024, &n))
			return usage_error("--jobs: '%s' is not a number from 1 to 1024", arg);
		opt->jobs = (unsigned)n;
		break;
	case OPT_MEMORY:
		if (parse_number(arg, 64, 1 << 22, &n))
			return usage_error("--memory-limit: '%s' is not a number of MiB "
					   "from 64 to 4194304", arg);
		opt->mem_limit = n << 20;
		break;
	case OPT_TIME:
		if (parse_number(arg, 0, 86400 * 7, &n))
			return usage_error("--time-limit: '%s' is not a number of seconds", arg);
		opt->time_limit = (unsigned)n;
		break;
	case OPT_DEADLINE:
		if (parse_duration(arg, &n))
			return usage_error("--deadline: '%s' is not a duration (seconds, or "
					   "a number with s, m, h or d: 90m, 2h)", arg);
		opt->deadline = (unsigned)n;
		break;
	default:
		return usage_error("%s", "invalid option");
	}
	return CLI_RUN;
}

/* The options merge takes: where its reports go and what they say; the
 * rest is the reading's, given to the runs that made the parts. */
static bool merge_takes(int c)
{
	static const int takes[] = { OPT_CSV, OPT_JSON, OPT_HTML, OPT_JSONL, OPT_TRACES_CSV, OPT_CASE,
				     OPT_EXAMINER, OPT_NO_FORMULA, OPT_ALLOWLIST, 'q' };
	for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++)
		if (takes[i] == c)
			return true;
	return false;
}

static const char *option_name(int c)
{
	for (const struct option *o = long_options; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/* AddressSanitizer reserves terabytes of address space for its shadow
 * memory, so under it a worker runs without an address-space limit. */
static uint64_t default_mem_limit(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 0;
#endif
#endif
	return 4096ULL << 20;
}

enum cli_result cli_parse(int argc, char **argv, struct cli_options *opt)
{
	int c;

	*opt = (struct cli_options){
		.from = TIME_NONE, .to = TIME_NONE, .recovered = true,
		.prefilter = true, .story = true, .traces = true, .neutralise = true, .mem_limit = default_mem_limit(),
		.time_limit = WORKER_TIME_AUTO, .vss = true, .max_member = ARCHIVE_MEMBER_MAX,
	};
	opterr = 0;
	optind = 1;
	if (argc >= 2 && strcmp(argv[1], "merge") == 0) {
		opt->merge = true;
		argc--, argv++;
	}
	while ((c = getopt_long(argc, argv, "j:qhV", long_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return CLI_EXIT_OK;
		}
		if (c == 'V') {
			print_version();
			return CLI_EXIT_OK;
		}
		if (c == '?')
			return unknown_option(argv[optind - 1]);
		if (opt->merge && !merge_takes(c))
			return usage_error("merge: --%s is for the runs that make the parts, not "
					   "for merge", option_name(c));
		if (parse_option(c, optarg, opt) != CLI_RUN)
			return CLI_USAGE_ERROR;
	}
	if (opt->merge && optind >= argc)
		return usage_error("%s", "merge: no PART given: name the JSON reports of the "
				   "parts (rmmhunt --json part.json ...)");
	if (opt->from != TIME_NONE && opt->to != TIME_NONE && opt->from > opt->to)
		return usage_error("%s", "--from is after --to");
	if (opt->traces_csv && !opt->traces)
		return usage_error("%s", "--traces-csv asks for the traces --no-traces leaves out");
	if (optind >= argc)
		return usage_error("%s", "no PATH given: name EVTX files, disk images or directories");
	opt->paths = argv + optind;
	opt->n_paths = argc - optind;
	return CLI_RUN;
}
