/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The HTML report: escaping of hostile evidence, an offline-only page,
 * the numbers of every row, coverage warnings; and the timeline's
 * geometry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include "report.h"
#include "strbuf.h"
#include "timefmt.h"
#include "timeline.h"

#define HOSTILE_IMAGE "C:\\Users\\x\\<img src=x onerror=alert(1)>\\client32.exe"
#define HOSTILE_HOST "WS-<script>alert(2)</script>"
#define HOSTILE_SIGNER "NetSupport Ltd<svg onload=alert(3)>"
#define HOSTILE_PATH "/evidence/<b>bold</b>&amp;.evtx"

static int64_t T(const char *iso)
{
	int64_t t;
	assert_int_equal(time_parse_iso8601(iso, &t), 0);
	return t;
}

/* ---- a run built by hand ---------------------------------------------- */

struct fixture {
	struct input_list in;
	struct findings f;
	struct run run;
	char *html;
	size_t len;
};

static void add_input(struct input_list *l, const char *path, const char *host,
                      enum input_status st, const char *reason, uint64_t eid7,
                      const char *first, const char *last)
{
	l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
	struct input *it = &l->items[l->n++];
	memset(it, 0, sizeof *it);
	it->path = xstrdup(path);
	it->size = 69632;
	if (st != INPUT_FAILED)
		memset(it->sha256, 'a', 64);
	it->status = st;
	it->reason = reason ? xstrdup(reason) : NULL;
	it->records = st == INPUT_FAILED ? 0 : 100;
	it->eid7 = eid7;
	it->first_time = first ? T(first) : TIME_NONE;
	it->last_time = last ? T(last) : TIME_NONE;
	if (host) {
		it->computers = xcalloc(1, sizeof *it->computers);
		it->computers[0] = xstrdup(host);
		it->n_computers = 1;
	}
}

/* A row with n events at the given times (FILETIME ticks). */
static void add_row(struct findings *f, const char *host, const char *image,
                    const char *module, const char *signer, const char *pid,
                    uint32_t input, const int64_t *times, size_t n, size_t n_recovered,
                    int allow_line)
{
	f->rows = xrealloc(f->rows, (f->n_rows + 1) * sizeof *f->rows);
	struct finding *r = &f->rows[f->n_rows++];
	memset(r, 0, sizeof *r);
	char *key[BF_COUNT];
	for (int k = 0; k < BF_COUNT; k++)
		key[k] = "0";
#define SET(k, v) (key[k] = (char *)(v))
	SET(BF_IMAGE, image);
	SET(BF_PROCESS_PATH, image);
	SET(BF_IMAGE_LOADED, module);
	SET(BF_LOADED_FILE_PATH, module);
	SET(BF_DEST, host);
	SET(BF_PROCESS_ID, pid);
	SET(BF_PROCESS_GUID, "{23f38d93-ceb4-5f8e-9f08-000000000c00}");
	SET(BF_PROCESS_HASH, "SHA256=4A5F0000000000000000000000000000000000000000000000000000000000EE");
	SET(BF_SERVICE_DLL_SIGNATURE_EXISTS, "true");
	SET(BF_SERVICE_DLL_SIGNATURE_VERIFIED, "Valid");
	SET(BF_SIGNATURE, "Image loaded");
	SET(BF_SIGNATURE_ID, "7");
	SET(BF_USER_ID, "S-1-5-18");
	SET(BF_VENDOR_PRODUCT, "Microsoft Sysmon");
#undef SET
	finding_set_key(r, key);
	r->count = n;
	r->recovered = n_recovered;
	r->first = times[0];
	r->last = times[n - 1];
	r->events = xcalloc(n, sizeof *r->events);
	r->n_events = n;
	r->inputs = xcalloc(1, sizeof *r->inputs);
	r->inputs[0] = input;
	r->n_inputs = 1;
	r->suppressed = allow_line != 0;
	r->allow_rule = allow_line;
	rule_rate(r->key, &r->rated);   /* as findings_group does */
	if (r->suppressed) {
		f->suppressed_rows++;
		f->suppressed_events += n;
	}
	for (size_t i = 0; i < n; i++) {
		if (f->n_events == f->cap_events) {
			f->cap_events = f->cap_events ? 2 * f->cap_events : 16;
			f->events = xrealloc(f->events, f->cap_events * sizeof *f->events);
		}
		struct event *ev = &f->events[f->n_events];
		memset(ev, 0, sizeof *ev);
		ev->field[EF_SIGNATURE] = xstrdup(signer);
		ev->field[EF_IMAGE] = xstrdup(image);
		ev->field[EF_COMPUTER] = xstrdup(host);
		ev->event_id = 7;
		ev->record_id = 1000 + f->n_events;
		ev->time = times[i];
		ev->recovered = i < n_recovered;
		ev->input = input;
		r->events[i] = f->n_events++;
	}
}

static void render(struct fixture *fx)
{
	FILE *m = open_memstream(&fx->html, &fx->len);
	assert_non_null(m);
	assert_int_equal(report_html(m, &fx->run), 0);
	assert_int_equal(fclose(m), 0);
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	static char *argv[] = { "rmmhunt", "--html", "out.html", HOSTILE_PATH };

	add_input(&fx->in, "/evidence/ws01/Sysmon.evtx", HOSTILE_HOST, INPUT_OK, NULL, 40,
		  "2024-03-01T00:00:00Z", "2024-03-05T00:00:00Z");
	add_input(&fx->in, HOSTILE_PATH, "DC01", INPUT_PARTIAL,
		  "chunk 3: bad CRC <i>x</i>", 0, "2024-03-02T00:00:00Z",
		  "2024-03-03T00:00:00Z");
	add_input(&fx->in, "/evidence/broken.evtx", NULL, INPUT_FAILED,
		  "not an EVTX file: bad signature", 0, NULL, NULL);
	add_input(&fx->in, "/evidence/srv02/Sysmon.evtx", "SRV02", INPUT_OK, NULL, 3,
		  "2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z");
	fx->in.skipped = xcalloc(2, sizeof *fx->in.skipped);
	fx->in.skipped[0].path = xstrdup("/evidence/missing<x>.evtx");
	fx->in.skipped[0].reason = xstrdup("No such file or directory");
	fx->in.skipped[0].incomplete = true;
	fx->in.skipped[1].path = xstrdup("/evidence/notes.txt");
	fx->in.skipped[1].reason = xstrdup("not an EVTX file");
	fx->in.skipped[1].incomplete = true;
	fx->in.n_skipped = 2;

	int64_t t1[] = { T("2024-03-02T10:00:00.5Z"), T("2024-03-02T11:00:00Z"),
			 T("2024-03-02T12:30:45.9999999Z") };
	int64_t t2[] = { T("2024-03-03T08:15:00Z") };
	int64_t t3[] = { T("2024-03-01T09:00:00Z"), T("2024-03-01T09:05:00Z") };
	int64_t t4[] = { T("2024-03-01T13:00:00Z") };
	/* Host WS has 4 events, SRV02 has 2: WS first. */
	add_row(&fx->f, HOSTILE_HOST, HOSTILE_IMAGE, "C:\\Users\\x\\PCICL32.DLL",
		HOSTILE_SIGNER, "4242", 0, t1, 3, 1, 0);
	add_row(&fx->f, HOSTILE_HOST, "C:\\ProgramData\\nsm\\client32.exe",
		"C:\\ProgramData\\nsm\\HTCTL32.DLL", "NetSupport Ltd", "77", 0, t2, 1, 0, 0);
	add_row(&fx->f, "SRV02", "C:\\Tools\\support\\client32.exe",
		"C:\\Tools\\support\\TCCTL32.DLL", "NetSupport Ltd", "900", 3, t3, 2, 0, 0);
	add_row(&fx->f, "SRV02", "C:\\IT\\NetSupport\\client32.exe",
		"C:\\IT\\NetSupport\\PCICL32.DLL", "NetSupport Ltd", "31337", 3, t4, 1, 0, 12);

	fx->run.version = "0.1.0-test";
	fx->run.argc = 4;
	fx->run.argv = argv;
	fx->run.started = T("2024-04-01T12:00:00Z");
	fx->run.finished = T("2024-04-01T12:00:03Z");
	fx->run.from = fx->run.to = TIME_NONE;
	fx->run.recovered = true;
	fx->run.inputs = &fx->in;
	fx->run.findings = &fx->f;
	render(fx);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	findings_free(&fx->f);
	inputs_free(&fx->in);
	free(fx->html);
	free(fx);
	return 0;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* The text between the first `open` and the next `close`. */
static char *between(const char *hay, const char *open, const char *close)
{
	const char *a = strstr(hay, open);
	assert_non_null(a);
	a += strlen(open);
	const char *b = strstr(a, close);
	assert_non_null(b);
	return xstrndup(a, (size_t)(b - a));
}

/* ---- the tests -------------------------------------------------------- */

static void test_hostile_strings_escaped(void **state)
{
	struct fixture *fx = *state;
	const char *h = fx->html;

	assert_null(strstr(h, "<img"));
	assert_null(strstr(h, "<svg onload"));
	assert_null(strstr(h, "<script>alert"));
	assert_null(strstr(h, "<b>bold"));
	assert_null(strstr(h, "<i>x"));
	assert_null(strstr(h, "<x>"));
	assert_non_null(strstr(h, "C:\\Users\\x\\&lt;img src=x onerror=alert(1)&gt;\\client32.exe"));
	assert_non_null(strstr(h, "WS-&lt;script&gt;alert(2)&lt;/script&gt;"));
	assert_non_null(strstr(h, "NetSupport Ltd&lt;svg onload=alert(3)&gt;"));
	assert_non_null(strstr(h, "/evidence/&lt;b&gt;bold&lt;/b&gt;&amp;amp;.evtx"));
	assert_non_null(strstr(h, "bad CRC &lt;i&gt;x&lt;/i&gt;"));
	assert_non_null(strstr(h, "/evidence/missing&lt;x&gt;.evtx"));
	/* Exactly one script element and one style element, ours. */
	assert_int_equal(count(h, "<script"), 1);
	assert_int_equal(count(h, "<style"), 1);
	/* Every tag is one the report writes, and none has an attribute that
	 * runs or styles anything. */
	static const char *const allowed[] = {
		"!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header",
		"footer", "section", "h1", "h2", "h3", "p", "b", "code", "details",
		"summary", "table", "thead", "tbody", "tr", "th", "td", "span", "br", "wbr",
		"dl", "dt", "dd", "input", "svg", "rect", "line", "text", "g", "path",
		"script", "small", "h4", "div", "ol", "ul", "li", NULL
	};
	size_t tags = 0;
	for (const char *p = strchr(h, '<'); p; p = strchr(p + 1, '<')) {
		const char *q = p + 1 + (p[1] == '/');
		size_t n = strcspn(q, " >/\n");
		const char *end = strchr(p, '>');
		bool ok = false;
		assert_non_null(end);
		for (int i = 0; allowed[i] && !ok; i++)
			ok = strlen(allowed[i]) == n && strncmp(q, allowed[i], n) == 0;
		if (!ok)
			print_error("unexpected tag: %.40s\n", p);
		assert_true(ok);
		char *tag = xstrndup(p, (size_t)(end - p));
		/* attribute values (hover titles may hold hostile text) are
		 * quoted, their quotes escaped: look at what lies outside */
		for (char *c = tag, *open = NULL; *c; c++) {
			if (*c == '"')
				open = open ? NULL : c;
			else if (open)
				*c = 'x';
		}
		assert_null(strstr(tag, " on"));
		assert_null(strstr(tag, " style="));
		assert_null(strstr(tag, " src="));
		assert_null(strstr(tag, " href="));
		free(tag);
		tags++;
		if (strncmp(p, "<script>", 8) == 0) {
			p = strstr(p, "</script>");   /* our script, hashed in the CSP */
			assert_non_null(p);
		}
	}
	assert_true(tags > 100);
}

static void b64sha256(const char *text, char out[64])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;
	assert_true(EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL));
	EVP_EncodeBlock((unsigned char *)out, md, (int)n);
}

static void test_offline_csp(void **state)
{
	struct fixture *fx = *state;
	const char *h = fx->html;
	char want[96], hash[64];

	char *csp = between(h, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\"");
	assert_non_null(strstr(csp, "default-src 'none'"));
	assert_null(strstr(csp, "unsafe-inline"));
	assert_null(strstr(csp, "unsafe-eval"));
	/* The policy comes before the style and script it governs. */
	assert_true(strstr(h, "Content-Security-Policy") < strstr(h, "<style>"));

	char *style = between(h, "<style>", "</style>");
	b64sha256(style, hash);
	snprintf(want, sizeof want, "style-src 'sha256-%s'", hash);
	assert_non_null(strstr(csp, want));
	char *script = between(h, "<script>", "</script>");
	b64sha256(script, hash);
	snprintf(want, sizeof want, "script-src 'sha256-%s'", hash);
	assert_non_null(strstr(csp, want));
	free(csp);
	free(style);
	free(script);

	assert_null(strstr(h, "http://"));
	assert_null(strstr(h, "https://"));
	assert_null(strstr(h, "url("));
	assert_null(strstr(h, "@import"));
	assert_non_null(strstr(h, "All times in this report are UTC"));
}

static void test_header_and_summary(void **state)
{
	struct fixture *fx = *state;
	const char *h = fx->html;

	assert_non_null(strstr(h, RULE_NAME));
	assert_non_null(strstr(h, RULE_ID));
	assert_non_null(strstr(h, "0.1.0-test"));
	assert_non_null(strstr(h, "2024-04-01T12:00:00"));
	/* Input hashes in the header; none for the unreadable one. */
	assert_non_null(strstr(h, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_non_null(strstr(h, "not computed: file not readable"));
#define SUM(label, v) assert_non_null(strstr(h, "<dt>" label "</dt><dd>" v "</dd>"))
	SUM("Hosts scanned (distinct Computer names in the logs)", "3");
	SUM("Hosts with findings", "2");
	SUM("Hosts with no Event ID 7 in any input (blind spots)", "1");
	SUM("Finding rows", "3");
	SUM("Matching events", "6");
	SUM("&hellip; of which from recovered records only", "1");
	SUM("Rows suppressed by the allowlist", "1");
	SUM("Events suppressed by the allowlist", "1");
	SUM("Inputs partly read", "1");
	SUM("Inputs that could not be read", "1");
	SUM("Inputs with no Event ID 7 logged", "2");
	SUM("Paths or parts of images not read", "2");
	SUM("Parts listed, not searched (other file systems, empty logs)", "0");
#undef SUM
	assert_non_null(strstr(h, "verdict bad"));
}

static void test_rows(void **state)
{
	struct fixture *fx = *state;
	const char *h = fx->html;

	/* Each row: count, first and last seen in Splunk's format (free to
	 * wrap after the date: <wbr>). */
#define WT(d, t) "<span class=\"nw\">" d "T</span><wbr>" t
	assert_non_null(strstr(h, "<td>3<td>" WT("2024-03-02", "10:00:00") "<td>"
				  WT("2024-03-02", "12:30:45") "<td>"));
	assert_non_null(strstr(h, "<td>1<td>" WT("2024-03-03", "08:15:00") "<td>"
				  WT("2024-03-03", "08:15:00") "<td>"));
	assert_non_null(strstr(h, "<td>2<td>" WT("2024-03-01", "09:00:00") "<td>"
				  WT("2024-03-01", "09:05:00") "<td>"));
	assert_non_null(strstr(h, "<td>1<td>" WT("2024-03-01", "13:00:00") "<td>"
				  WT("2024-03-01", "13:00:00") "<td>"));
#undef WT
	/* Recovered / allocated. */
	assert_non_null(strstr(h, "<td>1 / 2<td>"));
	/* The signer comes from the events, never the by-field "Image loaded". */
	assert_non_null(strstr(h, "<td>NetSupport Ltd<br><small>Valid, signed: true</small><td>"));
	assert_null(strstr(h, "<td>Image loaded"));
	assert_non_null(strstr(h, "SHA256=4A5F"));
	assert_non_null(strstr(h, "The following module C:\\ProgramData\\nsm\\HTCTL32.DLL was "
				  "loaded by a non-standard application on endpoint WS-&lt;script&gt;"));
	/* Evidence named with record numbers. */
	assert_non_null(strstr(h, "/evidence/srv02/Sysmon.evtx <small>record 1004, 1005</small>"));
	assert_non_null(strstr(h, "record 1000 (recovered), 1001, 1002"));

	/* Worst host first; the row with most events first within it. */
	const char *findings = strstr(h, "<section id=\"findings\">");
	const char *ws = strstr(findings, "<h3>WS-&lt;script&gt;");
	const char *srv = strstr(findings, "<h3>SRV02");
	assert_non_null(ws);
	assert_non_null(srv);
	assert_true(ws < srv);
	assert_true(strstr(ws, "4242") < strstr(ws, "77"));

	/* The suppressed row: apart, marked, with its allowlist line. */
	const char *sup = strstr(findings, "Suppressed by the allowlist</h3>");
	const char *tl = strstr(h, "<section id=\"timeline\">");
	assert_non_null(sup);
	const char *row = strstr(findings, "31337");
	assert_true(row > sup && row < tl);
	assert_int_equal(count(findings, "31337"), 1);
	assert_non_null(strstr(sup, "<tr class=\"sup\"><td>C:\\IT\\NetSupport\\client32.exe<td>"));
	assert_non_null(strstr(sup, "<td>SRV02<td>12\n"));
}

static void test_coverage(void **state)
{
	struct fixture *fx = *state;
	const char *cov = strstr(fx->html, "<section id=\"coverage\">");

	assert_non_null(cov);
	/* The partial input and the failed one do not log Event ID 7. */
	assert_int_equal(count(cov, "blind spot: no Event ID 7 logged"), 2);
	const char *partial = strstr(cov, "/evidence/&lt;b&gt;");
	const char *failed = strstr(cov, "/evidence/broken.evtx");
	const char *good = strstr(cov, "/evidence/srv02/Sysmon.evtx");
	const char *bs = strstr(cov, "blind spot: no");
	assert_true(partial < bs && bs < failed);
	assert_null(strstr(good, "blind spot"));
	assert_non_null(strstr(cov, "<span class=\"st-partial\">partial</span>: chunk 3"));
	assert_non_null(strstr(cov, "<span class=\"st-failed\">failed</span>: not an EVTX"));
	assert_non_null(strstr(cov, "<td class=\"t\">2024-03-02T00:00:00</td>"));
	assert_non_null(strstr(cov, "/evidence/missing&lt;x&gt;.evtx</td><td>No such file "
				    "or directory</td><td>yes: not read</td>"));
	assert_non_null(strstr(cov, "/evidence/notes.txt</td><td>not an EVTX file</td>"
				    "<td>yes: not read</td>"));
}

static void test_timeline_svg(void **state)
{
	struct fixture *fx = *state;
	char *tl = between(fx->html, "<section id=\"timeline\">", "</section>");

	assert_int_equal(count(tl, "<svg "), 2);
	/* WS: two lanes; SRV02: one (the suppressed row is not drawn). */
	assert_int_equal(count(tl, "<rect class=\"bar\""), 3);
	assert_int_equal(count(tl, "<path class=\"mk\""), 3);
	/* a lane a process: its image, its GUID cut short, its modules */
	assert_non_null(strstr(tl, "client32.exe {23f38d93-\xe2\x80\xa6 \xe2\x86\x90 "
				   "PCICL32.DLL (3 events)"));
	assert_non_null(strstr(tl, "<rect class=\"cov\""));
	free(tl);
}

/* A host with findings but no input naming it, and a run with nothing. */
static void test_no_coverage_and_empty(void **state)
{
	(void)state;
	struct input_list in = { 0 };
	struct findings f = { 0 };
	struct run run = { .version = "x", .from = TIME_NONE, .to = TIME_NONE,
			   .started = TIME_NONE, .finished = TIME_NONE,
			   .inputs = &in, .findings = &f };
	struct fixture fx = { .run = run };
	render(&fx);
	assert_non_null(strstr(fx.html, "No finding rows."));
	/* no input: nothing was checked, which is never green */
	assert_null(strstr(fx.html, "verdict ok"));
	assert_non_null(strstr(fx.html, "verdict warn\">Nothing was checked"));
	free(fx.html);

	int64_t t[] = { T("2020-01-01T00:00:00Z"), T("2024-06-01T00:00:00Z") };
	add_row(&f, "GHOST", "C:\\a\\client32.exe", "C:\\a\\pcicl32.dll", "NetSupport Ltd",
		"1", 0, t, 2, 0, 0);
	add_input(&in, "/e/other.evtx", "OTHER", INPUT_OK, NULL, 0, NULL, NULL);
	fx.html = NULL;
	render(&fx);
	assert_non_null(strstr(fx.html, "unknown: no input read records from this host"));
	assert_non_null(strstr(fx.html, "<rect class=\"bar\""));
	assert_null(strstr(fx.html, "<rect class=\"cov\""));
	free(fx.html);
	findings_free(&f);
	inputs_free(&in);
}

/* 10,000 rows over 1,000 inputs stay well under 10 MB. */
static void test_large(void **state)
{
	(void)state;
	struct input_list in = { 0 };
	struct findings f = { 0 };
	char host[32], path[128], image[96];

	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof path, "/cases/2024-0417/collection/host%04d/C/Windows/"
			 "System32/winevt/Logs/Microsoft-Windows-Sysmon%%4Operational.evtx", i);
		snprintf(host, sizeof host, "HOST%04d.corp.example", i);
		add_input(&in, path, host, INPUT_OK, NULL, 500, "2024-03-01T00:00:00Z",
			  "2024-03-20T00:00:00Z");
	}
	for (int i = 0; i < 10000; i++) {
		int64_t t[2] = { T("2024-03-05T00:00:00Z") + (int64_t)i * 10000000,
				 T("2024-03-06T00:00:00Z") + (int64_t)i * 10000000 };
		snprintf(host, sizeof host, "HOST%04d.corp.example", i % 1000);
		snprintf(image, sizeof image, "C:\\Users\\user%d\\AppData\\Roaming\\nsm\\client32.exe", i);
		add_row(&f, host, image, "C:\\Users\\u\\AppData\\Roaming\\nsm\\PCICL32.DLL",
			"NetSupport Ltd", "1234", (uint32_t)(i % 1000), t, 2, 0, 0);
		char *key[BF_COUNT];
		memcpy(key, f.rows[i].key, sizeof key);
		key[BF_PROCESS_HASH] =
			"SHA1=0123456789ABCDEF0123456789ABCDEF01234567,"
			"MD5=0123456789ABCDEF0123456789ABCDEF,"
			"SHA256=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF,"
			"IMPHASH=0123456789ABCDEF0123456789ABCDEF";
		finding_set_key(&f.rows[i], key);
	}
	struct run run = { .version = "x", .from = TIME_NONE, .to = TIME_NONE,
			   .inputs = &in, .findings = &f };
	struct fixture fx = { .run = run };
	render(&fx);
	print_message("10,000 rows, 1,000 inputs: %zu bytes\n", fx.len);
	if (getenv("HTML_DUMP")) {
		FILE *d = fopen(getenv("HTML_DUMP"), "w");
		fwrite(fx.html, 1, fx.len, d);
		fclose(d);
	}
	/* 10 MB for the rows, and 2 MB for the values cut short in them and
	 * shown whole on hover (the hashes, the GUID, the risk message); the
	 * hosts and processes section adds at most PROCESSES_SHOWN (500)
	 * processes, some 550 bytes each */
	assert_true(fx.len < 12 * 1000 * 1000 + 500 * 1000);
	assert_int_equal(count(fx.html, "<tr><td>C:\\Users\\user"), 10000);
	free(fx.html);
	findings_free(&f);
	inputs_free(&in);
}

/* ---- timeline geometry ------------------------------------------------ */

static void test_x(void **state)
{
	(void)state;
	int64_t lo = T("2024-01-01T00:00:00Z"), hi = T("2024-01-02T00:00:00Z");
	assert_float_equal(timeline_x(lo, lo, hi, 1000), 0, 1e-9);
	assert_float_equal(timeline_x(hi, lo, hi, 1000), 1000, 1e-9);
	assert_float_equal(timeline_x(T("2024-01-01T12:00:00Z"), lo, hi, 1000), 500, 1e-9);
	/* Clamped outside the axis; degenerate axis puts times in the middle. */
	assert_float_equal(timeline_x(lo - 1000000000, lo, hi, 1000), 0, 1e-9);
	assert_float_equal(timeline_x(hi + 1000000000, lo, hi, 1000), 1000, 1e-9);
	assert_float_equal(timeline_x(lo, lo, lo, 1000), 500, 1e-9);
	/* Extreme (hostile) times neither overflow nor give NaN. */
	double x = timeline_x(INT64_MAX, INT64_MIN + 1, INT64_MAX, 100);
	assert_float_equal(x, 100, 1e-6);
}

static void test_span_first_equals_last(void **state)
{
	(void)state;
	int64_t t = T("2024-03-02T10:00:00Z"), lo, hi;
	/* One event, no coverage: one hour centred on it. */
	assert_int_equal(timeline_span(t, t, TIME_NONE, TIME_NONE, &lo, &hi), 0);
	assert_true(hi - lo == 3600LL * 10000000);
	assert_float_equal(timeline_x(t, lo, hi, 1000), 500, 1e-9);
	/* Coverage equal to the instant too. */
	assert_int_equal(timeline_span(t, t, t, t, &lo, &hi), 0);
	assert_true(lo < t && t < hi);
}

static void test_span_one_event_in_coverage(void **state)
{
	(void)state;
	int64_t a = T("2024-03-01T00:00:00Z"), b = T("2024-03-11T00:00:00Z");
	int64_t t = T("2024-03-06T00:00:00Z"), lo, hi;
	assert_int_equal(timeline_span(t, t, a, b, &lo, &hi), 0);
	assert_true(lo < a && hi > b);
	assert_true(a - lo == hi - b);            /* 2% margin each side */
	assert_true(a - lo == (b - a) / 50);
	assert_float_equal(timeline_x(t, lo, hi, 1000), 500, 1e-6);
	/* An event outside the coverage widens the span to hold it. */
	int64_t late = T("2024-04-01T00:00:00Z");
	assert_int_equal(timeline_span(late, late, a, b, &lo, &hi), 0);
	assert_true(hi > late && lo < a);
}

static void test_span_years_apart(void **state)
{
	(void)state;
	int64_t a = T("2009-07-01T00:00:00Z"), b = T("2024-03-02T10:00:00Z"), lo, hi;
	int64_t ticks[32];
	struct tick_step st;
	char lab[TICK_LABEL_SIZE];

	assert_int_equal(timeline_span(a, b, TIME_NONE, TIME_NONE, &lo, &hi), 0);
	size_t n = timeline_ticks(lo, hi, 8, ticks, 32, &st);
	assert_int_equal(st.unit, TICK_YEAR);
	assert_int_equal(st.n, 2);
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++) {
		assert_true(ticks[i] >= lo && ticks[i] <= hi);
		timeline_tick_label(ticks[i], &st, lab);
		assert_int_equal(strlen(lab), 4);
		if (i)
			assert_true(ticks[i] > ticks[i - 1]);
	}
	timeline_tick_label(ticks[0], &st, lab);
	assert_string_equal(lab, "2010");
	assert_true(ticks[0] == T("2010-01-01T00:00:00Z"));
	/* The two ends land on the axis ends, inside the margins. */
	assert_true(timeline_x(a, lo, hi, 1000) > 19 && timeline_x(a, lo, hi, 1000) < 20);
	assert_true(timeline_x(b, lo, hi, 1000) > 980 && timeline_x(b, lo, hi, 1000) < 981);
}

static void test_ticks_small_spans(void **state)
{
	(void)state;
	int64_t ticks[32];
	struct tick_step st;
	char lab[TICK_LABEL_SIZE];
	int64_t lo = T("2024-03-02T10:00:07Z");

	/* 30 seconds: 5 s steps on round seconds. */
	size_t n = timeline_ticks(lo, lo + 30LL * 10000000, 8, ticks, 32, &st);
	assert_int_equal(st.unit, TICK_SECOND);
	assert_int_equal(st.n, 5);
	assert_int_equal(n, 6);
	timeline_tick_label(ticks[0], &st, lab);
	assert_string_equal(lab, "10:00:10");

	/* Three days: 12 h steps at midnight and noon. */
	n = timeline_ticks(lo, T("2024-03-05T10:00:00Z"), 8, ticks, 32, &st);
	assert_int_equal(st.unit, TICK_HOUR);
	assert_int_equal(st.n, 12);
	timeline_tick_label(ticks[0], &st, lab);
	assert_string_equal(lab, "03-02 12:00");

	/* Five months: monthly ticks on the first. */
	n = timeline_ticks(lo, T("2024-08-15T00:00:00Z"), 8, ticks, 32, &st);
	assert_int_equal(st.unit, TICK_MONTH);
	assert_int_equal(st.n, 1);
	assert_int_equal(n, 5);
	timeline_tick_label(ticks[0], &st, lab);
	assert_string_equal(lab, "2024-04");
	timeline_tick_label(ticks[4], &st, lab);
	assert_string_equal(lab, "2024-08");

	/* Degenerate span, the cap respected. */
	assert_int_equal(timeline_ticks(lo, lo, 8, ticks, 32, &st), 0);
	assert_int_equal(timeline_ticks(lo, lo + 30LL * 10000000, 8, ticks, 2, &st), 2);
	/* The whole FILETIME range neither loops nor overflows. */
	n = timeline_ticks(0, INT64_MAX, 8, ticks, 32, &st);
	assert_true(n >= 1 && n <= 8);
}

static void test_span_no_coverage(void **state)
{
	(void)state;
	int64_t lo, hi;
	assert_int_equal(timeline_span(TIME_NONE, TIME_NONE, TIME_NONE, TIME_NONE, &lo, &hi), -1);
	assert_true(lo == TIME_NONE && hi == TIME_NONE);
	/* Coverage alone still gives an axis (a host with no events). */
	int64_t a = T("2024-03-01T00:00:00Z"), b = T("2024-03-02T00:00:00Z");
	assert_int_equal(timeline_span(TIME_NONE, TIME_NONE, a, b, &lo, &hi), 0);
	assert_true(lo < a && hi > b);
	/* Events alone, no coverage. */
	assert_int_equal(timeline_span(a, b, TIME_NONE, TIME_NONE, &lo, &hi), 0);
	assert_true(lo < a && hi > b);
	/* Extreme values saturate instead of wrapping. */
	assert_int_equal(timeline_span(INT64_MAX, INT64_MAX, TIME_NONE, TIME_NONE, &lo, &hi), 0);
	assert_true(hi == INT64_MAX && lo < hi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hostile_strings_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_csp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_and_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coverage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeline_svg, setup, teardown),
		cmocka_unit_test(test_no_coverage_and_empty),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_x),
		cmocka_unit_test(test_span_first_equals_last),
		cmocka_unit_test(test_span_one_event_in_coverage),
		cmocka_unit_test(test_span_years_apart),
		cmocka_unit_test(test_ticks_small_spans),
		cmocka_unit_test(test_span_no_coverage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
