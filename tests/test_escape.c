/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Unit tests of escape.c: every place an attacker-controlled string can
 * land (CSV cell, HTML, JSON, terminal). Expectations come from the
 * header's contract; where several spellings are allowed the tests
 * decode the output instead of comparing bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"
#include "strbuf.h"

/* U+240A SYMBOL FOR LINE FEED, U+240D for carriage return. */
#define PIC_LF "\xe2\x90\x8a"
#define PIC_CR "\xe2\x90\x8d"

static char *csv(const char *v, bool neutralise)
{
	struct strbuf sb = { 0 };
	csv_cell(&sb, v, neutralise);
	return sb_take(&sb);
}

static char *html(const char *v)
{
	struct strbuf sb = { 0 };
	html_text(&sb, v);
	return sb_take(&sb);
}

static char *json(const char *v)
{
	struct strbuf sb = { 0 };
	json_quote(&sb, v);
	return sb_take(&sb);
}

static char *term(const char *v)
{
	struct strbuf sb = { 0 };
	term_text(&sb, v);
	return sb_take(&sb);
}

#define EXPECT(fn, in, want) do { \
		char *got_ = (fn); \
		if (strcmp(got_, (want)) != 0) \
			fail_msg("%s(\"%s\"): got [%s], want [%s]", #fn, (in), got_, (want)); \
		free(got_); \
	} while (0)

#define CSV(in, neut, want) EXPECT(csv((in), (neut)), (in), (want))

/* RFC 4180 reading of one cell; NULL when the text is not one cell. */
static char *csv_read(const char *s)
{
	struct strbuf sb = { 0 };
	if (*s != '"') {
		if (strpbrk(s, "\",\r\n"))
			return NULL;
		sb_puts(&sb, s);
		return sb_take(&sb);
	}
	for (s++; ; s++) {
		if (*s == '\0') {
			sb_free(&sb);
			return NULL;
		}
		if (*s == '"') {
			if (s[1] == '"') {
				sb_putc(&sb, '"');
				s++;
				continue;
			}
			if (s[1] != '\0') {
				sb_free(&sb);
				return NULL;
			}
			return sb_take(&sb);
		}
		sb_putc(&sb, *s);
	}
}

static void test_csv_plain_unquoted(void **state)
{
	(void)state;
	CSV("", true, "");
	CSV("plain", true, "plain");
	CSV("C:\\Users\\Public\\PCICL32.DLL", true, "C:\\Users\\Public\\PCICL32.DLL");
	CSV("a=b", true, "a=b");            /* = not first */
	CSV("x-1", true, "x-1");
	CSV("caf\xc3\xa9", true, "caf\xc3\xa9");
	CSV("SHA256=AB;MD5=CD", false, "SHA256=AB;MD5=CD");
}

static void test_csv_quoting(void **state)
{
	(void)state;
	CSV("a,b", false, "\"a,b\"");
	CSV("SHA1=1,MD5=2", true, "\"SHA1=1,MD5=2\"");
	CSV("say \"hi\"", false, "\"say \"\"hi\"\"\"");
	CSV("\"", false, "\"\"\"\"");
	CSV("\"\"", false, "\"\"\"\"\"\"");
	CSV(",", true, "\",\"");
}

/* A comma or a quote at every place of cells up to 40 bytes long (the
 * writer takes sixteen bytes at a time): quoted, and read back as
 * written (csv_read, RFC 4180); without either, left as it is. */
static void test_csv_every_position(void **state)
{
	(void)state;
	static const char specials[] = { ',', '"', 'x' };
	for (size_t len = 1; len <= 40; len++)
		for (size_t at = 0; at < len; at++)
			for (size_t k = 0; k < sizeof specials; k++) {
				char in[48];
				memset(in, 'a', len);
				in[len] = '\0';
				in[at] = specials[k];
				char *got = csv(in, false);
				char *back = csv_read(got);
				if (!back || strcmp(back, in) != 0 ||
				    (specials[k] != 'x') != (got[0] == '"'))
					fail_msg("len %zu, %c at %zu: wrote [%s]", len, specials[k], at, got);
				free(back);
				free(got);
			}
}

/* Each of & < > " ' at every place of text up to 40 bytes long (the
 * writer takes sixteen bytes at a time), against the entities written
 * out one by one here. */
static void test_html_every_position(void **state)
{
	(void)state;
	static const char specials[] = "&<>\"'x";
	static const char *const entity[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "x" };
	for (size_t len = 1; len <= 40; len++)
		for (size_t at = 0; at < len; at++)
			for (size_t k = 0; k < 6; k++) {
				char in[48];
				memset(in, 'a', len);
				in[len] = '\0';
				in[at] = specials[k];
				struct strbuf sb = { 0 };
				for (size_t i = 0; i < len; i++)
					sb_puts(&sb, i == at ? entity[k] : "a");
				char *want = sb_take(&sb), *got = html(in);
				if (strcmp(got, want) != 0)
					fail_msg("len %zu, %c at %zu: wrote [%s]", len, specials[k], at, got);
				free(want);
				free(got);
			}
}

static void test_csv_newlines_become_pictures(void **state)
{
	(void)state;
	CSV("a\nb", false, "\"a" PIC_LF "b\"");
	CSV("a\rb", false, "\"a" PIC_CR "b\"");
	CSV("a\r\nb", true, "\"a" PIC_CR PIC_LF "b\"");
	CSV("\n", false, "\"" PIC_LF "\"");
	/* Every C0 control: U+2400 + code, and never a raw one. */
	for (int c = 1; c < 0x20; c++) {
		char in[4] = { 'a', (char)c, 'b', 0 };
		char want[16];
		snprintf(want, sizeof want, "\"a%c%c%cb\"", 0xe2, 0x90, 0x80 + c);
		char *got = csv(in, false);
		if (strcmp(got, want) != 0)
			fail_msg("control 0x%02x: got [%s]", c, got);
		for (const char *p = got; *p; p++)
			assert_false((unsigned char)*p < 0x20);
		free(got);
	}
}

/* TAB and DEL get their pictures too; C1 controls, the Unicode line and
 * paragraph separators and bidirectional controls are named; a byte that
 * is not UTF-8 is shown as its value. Nothing a reader would take as a
 * line break or a terminal would act on is left. */
static void test_csv_c1_and_separators_named(void **state)
{
	(void)state;
	CSV("a\tb", false, "\"a\xe2\x90\x89" "b\"");
	CSV("a\x7f" "b", false, "\"a\xe2\x90\xa1" "b\"");
	CSV("a\xc2\x85" "b", false, "\"a<U+0085>b\"");   /* NEL */
	CSV("a\xc2\x9b" "31m", false, "\"a<U+009B>31m\"");   /* CSI */
	CSV("a\xe2\x80\xa8" "b", false, "\"a<U+2028>b\"");
	CSV("a\xe2\x80\xa9" "b", false, "\"a<U+2029>b\"");
	CSV("evil\xe2\x80\xaegpj.exe", false, "\"evil<U+202E>gpj.exe\"");
	CSV("a\x9b" "b", false, "\"a<0x9B>b\"");
	CSV("caf\xc3\xa9", false, "caf\xc3\xa9");   /* plain UTF-8 untouched */
	/* Every C1 control, named, never raw. */
	for (unsigned c = 0x80; c <= 0x9f; c++) {
		char in[3] = { (char)0xc2, (char)c, 0 }, want[16];
		snprintf(want, sizeof want, "\"<U+%04X>\"", c);
		char *got = csv(in, true);
		if (strcmp(got, want) != 0)
			fail_msg("C1 0x%02x: got [%s]", c, got);
		free(got);
	}
}

static void test_csv_round_trip(void **state)
{
	(void)state;
	/* Without controls, a cell reads back as it was. */
	static const char *const values[] = {
		"", "x", "a,b", "\"", "a\"b\"", " lead", "trail ", "a b", "a;b",
		"C:\\Program Files (x86)\\x.exe", "{23f38d93-ceb4}", "'quoted'",
		"=1+1", "-", "@x",
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char *got = csv(values[i], false);
		char *back = csv_read(got);
		if (!back || strcmp(back, values[i]) != 0)
			fail_msg("[%s] -> [%s] -> [%s]", values[i], got, back ? back : "(bad)");
		free(back);
		free(got);
	}
}

static void test_csv_formula_neutralised(void **state)
{
	(void)state;
	CSV("=1+1", true, "\"'=1+1\"");
	CSV("+1", true, "\"'+1\"");
	CSV("-1", true, "\"'-1\"");
	CSV("--", true, "\"'--\"");
	CSV("@SUM(A1:A9)", true, "\"'@SUM(A1:A9)\"");
	CSV("\tx", true, "\"'\xe2\x90\x89x\"");
	CSV("\rx", true, "\"'" PIC_CR "x\"");
	CSV("=", true, "\"'=\"");
	CSV("=HYPERLINK(\"http://x\",\"y\")", true,
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	CSV("=cmd|' /C calc'!A0", true, "\"'=cmd|' /C calc'!A0\"");
	/* The apostrophe is inside the quotes: the cell reads as '=1+1. */
	char *got = csv("=1+1", true);
	char *back = csv_read(got);
	assert_non_null(back);
	assert_string_equal(back, "'=1+1");
	free(back);
	free(got);
}

static void test_csv_lone_dash_untouched(void **state)
{
	(void)state;
	CSV("-", true, "-");
	CSV("-", false, "-");
	CSV(" -", true, " -");
}

static void test_csv_no_neutralise(void **state)
{
	(void)state;
	CSV("=1+1", false, "=1+1");
	CSV("+1", false, "+1");
	CSV("-1", false, "-1");
	CSV("@x", false, "@x");
	/* Still quoted when RFC 4180 needs it, but no apostrophe. */
	CSV("=a,b", false, "\"=a,b\"");
	CSV("\tx", false, "\"\xe2\x90\x89x\"");
}

static void test_html(void **state)
{
	(void)state;
	EXPECT(html(""), "", "");
	EXPECT(html("plain C:\\x"), "plain", "plain C:\\x");
	EXPECT(html("a&b"), "a&b", "a&amp;b");
	EXPECT(html("<script>"), "<script>", "&lt;script&gt;");
	EXPECT(html("\""), "\"", "&quot;");
	EXPECT(html("&amp;"), "&amp;", "&amp;amp;");
	char *got = html("it's");
	assert_null(strchr(got, '\''));
	assert_true(strcmp(got, "it&#39;s") == 0 || strcmp(got, "it&#x27;s") == 0 ||
		    strcmp(got, "it&apos;s") == 0);
	free(got);
	got = html("<img src=x onerror='alert(1)' title=\"t\">&");
	assert_null(strpbrk(got, "<>\"'"));
	free(got);
	EXPECT(html("caf\xc3\xa9"), "utf8", "caf\xc3\xa9");
	/* Controls from the evidence or a file name never reach the page
	 * raw: ESC and BEL as their pictures, C1 and separators named. */
	EXPECT(html("a\x1b[31mb\x07"), "ESC BEL", "a&#x241B;[31mb&#x2407;");
	EXPECT(html("a\tb\nc"), "tab and newline kept", "a\tb\nc");
	EXPECT(html("a\xc2\x9b" "b"), "CSI", "a&lt;U+009B&gt;b");
	EXPECT(html("a\xe2\x80\xa8" "b"), "LS", "a&lt;U+2028&gt;b");
	EXPECT(html("x\xe2\x80\xae" "y"), "RLO", "x&lt;U+202E&gt;y");
	EXPECT(html("a\x9b" "b"), "raw C1 byte", "a&lt;0x9B&gt;b");
	EXPECT(html("a\x7f"), "DEL", "a&#x2421;");
}

/* A strict JSON string reader: returns the decoded UTF-8, or NULL when
 * the text is not exactly one valid JSON string. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static void put_utf8(struct strbuf *sb, uint32_t cp)
{
	char b[4];
	if (cp < 0x80) {
		sb_putc(sb, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f));
		sb_append(sb, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		sb_append(sb, b, 3);
	} else {
		b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f));
		sb_append(sb, b, 4);
	}
}

static int read_u4(const char *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(s[i]);
		if (h < 0)
			return -1;
		*v = *v << 4 | (uint32_t)h;
	}
	return 0;
}

static char *json_read(const char *s)
{
	struct strbuf sb = { 0 };
	sb_append(&sb, "", 0);
	if (*s++ != '"')
		goto bad;
	for (;;) {
		unsigned char c = (unsigned char)*s;
		if (c == '\0' || c < 0x20)
			goto bad;
		if (c == '"') {
			if (s[1] != '\0')
				goto bad;
			return sb_take(&sb);
		}
		if (c != '\\') {
			sb_putc(&sb, (char)c);
			s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"': sb_putc(&sb, '"'); break;
		case '\\': sb_putc(&sb, '\\'); break;
		case '/': sb_putc(&sb, '/'); break;
		case 'b': sb_putc(&sb, '\b'); break;
		case 'f': sb_putc(&sb, '\f'); break;
		case 'n': sb_putc(&sb, '\n'); break;
		case 'r': sb_putc(&sb, '\r'); break;
		case 't': sb_putc(&sb, '\t'); break;
		case 'u': {
			uint32_t v, lo;
			if (read_u4(s + 1, &v))
				goto bad;
			s += 4;
			if (v >= 0xd800 && v <= 0xdbff) {
				if (s[1] != '\\' || s[2] != 'u' || read_u4(s + 3, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					goto bad;
				v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
				s += 6;
			} else if (v >= 0xdc00 && v <= 0xdfff) {
				goto bad;
			}
			put_utf8(&sb, v);
			break;
		}
		default:
			goto bad;
		}
		s++;
	}
bad:
	sb_free(&sb);
	return NULL;
}

static void json_round_trip(const char *v)
{
	char *got = json(v);
	char *back = json_read(got);
	if (!back || strcmp(back, v) != 0)
		fail_msg("json [%s] -> [%s] does not read back", v, got);
	/* Safe inside an HTML <script>: no raw < > &. */
	assert_null(strpbrk(got, "<>&"));
	for (const char *p = got; *p; p++)
		assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
	free(back);
	free(got);
}

static void test_json_basic(void **state)
{
	(void)state;
	EXPECT(json(""), "", "\"\"");
	EXPECT(json("plain"), "plain", "\"plain\"");
	EXPECT(json("a\"b"), "a\"b", "\"a\\\"b\"");
	EXPECT(json("C:\\x"), "C:\\x", "\"C:\\\\x\"");
	EXPECT(json("\n"), "\\n", "\"\\n\"");
	EXPECT(json("\x01"), "\\x01", "\"\\u0001\"");
	EXPECT(json("\x1f"), "\\x1f", "\"\\u001f\"");
	EXPECT(json("<"), "<", "\"\\u003c\"");
	EXPECT(json(">"), ">", "\"\\u003e\"");
	EXPECT(json("&"), "&", "\"\\u0026\"");
	EXPECT(json("</script>"), "</script>", "\"\\u003c/script\\u003e\"");
}

static void test_json_round_trips(void **state)
{
	(void)state;
	static const char *const values[] = {
		"", "a\"b\\c", "\t\r\n\b\f", "\x01\x02\x1b[31m\x7f",
		"</script><script>alert(1)</script>", "a&b<c>d",
		"caf\xc3\xa9", "\xe2\x82\xac 5", "\xf0\x9f\x98\x80",
		"\xe2\x80\xa8\xe2\x80\xa9", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf",
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		json_round_trip(values[i]);
}

static void test_json_c1_and_separators_escaped(void **state)
{
	(void)state;
	EXPECT(json("a\xc2\x85" "b"), "NEL", "\"a\\u0085b\"");
	EXPECT(json("\xc2\x9b" "31m"), "CSI", "\"\\u009b31m\"");
	EXPECT(json("x\xe2\x80\xae" "y"), "RLO", "\"x\\u202ey\"");
	EXPECT(json("caf\xc3\xa9"), "plain UTF-8", "\"caf\xc3\xa9\"");
}

static void test_json_all_controls(void **state)
{
	(void)state;
	for (int c = 1; c < 0x20; c++) {
		char in[2] = { (char)c, 0 };
		json_round_trip(in);
	}
}

/* Every ASCII byte, and a two- and a three-byte character (one plain,
 * one escaped), at every place of a 48-byte run of plain letters: the
 * plain letters are copied sixteen at a time (plain_run), and whatever
 * stops a run, at any offset within those sixteen, must still read
 * back (jansson) and stay out of the output raw. */
static void test_json_every_ascii_at_every_place(void **state)
{
	(void)state;
	static const char *const odd[] = { "\xc3\xa9", "\xe2\x80\xa8" };
	for (int c = 1; c < 0x80 + 2; c++) {
		char one[2] = { (char)c, 0 };
		const char *put = c < 0x80 ? one : odd[c - 0x80];
		for (size_t at = 0; at < 40; at++) {
			char v[64];
			memset(v, 'a', 48);
			v[48] = '\0';
			memcpy(v + at, put, strlen(put));
			json_round_trip(v);
		}
	}
}

static void test_json_multibyte_kept(void **state)
{
	(void)state;
	EXPECT(json("caf\xc3\xa9"), "cafe", "\"caf\xc3\xa9\"");
	EXPECT(json("\xe2\x82\xac"), "euro", "\"\xe2\x82\xac\"");
	EXPECT(json("\xf0\x9f\x98\x80"), "emoji", "\"\xf0\x9f\x98\x80\"");
	EXPECT(json("\xe4\xb8\xad\xe6\x96\x87"), "cjk", "\"\xe4\xb8\xad\xe6\x96\x87\"");
}

/* Every byte of the output must decode, and every invalid input byte
 * shows as U+FFFD. */
static void expect_json_replacement(const char *in, const char *want_decoded)
{
	char *got = json(in);
	char *back = json_read(got);
	if (!back)
		fail_msg("json of invalid UTF-8 is not valid JSON: [%s]", got);
	if (strcmp(back, want_decoded) != 0)
		fail_msg("json: got [%s] decoded [%s], want [%s]", got, back, want_decoded);
	/* And the output is pure ASCII here (the replacement is escaped). */
	for (const char *p = got; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	free(back);
	free(got);
}

#define FFFD "\xef\xbf\xbd"

static void test_json_invalid_utf8(void **state)
{
	(void)state;
	EXPECT(json("\xff"), "\\xff", "\"\\ufffd\"");
	EXPECT(json("a\xfe" "b"), "a\\xfeb", "\"a\\ufffdb\"");
	expect_json_replacement("\x80", FFFD);            /* lone continuation */
	expect_json_replacement("a\xc3", "a" FFFD);       /* truncated at end */
	expect_json_replacement("\xc3(", FFFD "(");       /* bad continuation */
	expect_json_replacement("\xc0\xaf", FFFD FFFD);   /* overlong '/' */
	expect_json_replacement("\xe0\x80\xaf", FFFD FFFD FFFD);  /* overlong */
	expect_json_replacement("\xed\xa0\x80", FFFD FFFD FFFD);  /* surrogate */
	expect_json_replacement("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* > U+10FFFF */
	expect_json_replacement("\xf8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD);
	/* A valid sequence after an invalid byte survives. */
	char *got = json("\xff\xc3\xa9");
	assert_string_equal(got, "\"\\ufffd\xc3\xa9\"");
	free(got);
}

static void test_term_plain(void **state)
{
	(void)state;
	EXPECT(term(""), "", "");
	EXPECT(term("C:\\Users\\Public\\pcicl32.dll"), "path", "C:\\Users\\Public\\pcicl32.dll");
	EXPECT(term("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "utf8",
	       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	char *s = term_safe("a\x1b" "b");
	assert_string_equal(s, "a\\x1bb");
	free(s);
}

static void test_term_escape_sequences(void **state)
{
	(void)state;
	EXPECT(term("\x1b[2J\x1b[H"), "ESC[2J", "\\x1b[2J\\x1b[H");
	EXPECT(term("\x1b]0;pwned\x07"), "OSC title", "\\x1b]0;pwned\\x07");
	EXPECT(term("a\nb\rc\td"), "nl", "a\\x0ab\\x0dc\\x09d");
	EXPECT(term("\x7f"), "DEL", "\\x7f");
	EXPECT(term("\x08\x08\x08"), "BS", "\\x08\\x08\\x08");
}

static bool has_bytes(const char *s, const char *needle)
{
	return strstr(s, needle) != NULL;
}

static void assert_printable_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			fail_msg("raw byte 0x%02x left in [%s]", *p, s);
}

static void test_term_c1_controls(void **state)
{
	(void)state;
	/* U+0080..U+009F, UTF-8 encoded: CSI (U+009B) is read as ESC [ by
	 * some terminals. None may reach the terminal raw. */
	for (unsigned c = 0x80; c <= 0x9f; c++) {
		char in[3] = { (char)0xc2, (char)c, 0 };
		char *got = term(in);
		assert_printable_ascii(got);
		char hex[3];
		snprintf(hex, sizeof hex, "%02x", c);
		if (!has_bytes(got, hex))
			fail_msg("C1 U+%04X shown as [%s], which does not name it", c, got);
		free(got);
	}
}

static void test_term_bidi(void **state)
{
	(void)state;
	/* "exe.[RLO]fdp" would show as a PDF name. */
	static const char *const bidi[] = {
		"\xe2\x80\xae", "\xe2\x80\xad", "\xe2\x80\xaa", "\xe2\x80\xab",
		"\xe2\x80\xac", "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8",
		"\xe2\x81\xa9", "\xe2\x80\x8e", "\xe2\x80\x8f",
	};
	for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
		char in[32];
		snprintf(in, sizeof in, "invoice%sfdp.exe", bidi[i]);
		char *got = term(in);
		assert_printable_ascii(got);
		assert_true(strncmp(got, "invoice", 7) == 0);
		assert_non_null(strstr(got, "fdp.exe"));
		free(got);
	}
	char *got = term("a\xe2\x80\xae" "b");
	assert_non_null(strstr(got, "202e"));
	free(got);
}

static void test_term_invalid_bytes(void **state)
{
	(void)state;
	EXPECT(term("\xff"), "\\xff", "\\xff");
	EXPECT(term("a\xc3"), "a\\xc3", "a\\xc3");
	EXPECT(term("\xc0\xaf"), "overlong", "\\xc0\\xaf");
	EXPECT(term("\xed\xa0\x80"), "surrogate", "\\xed\\xa0\\x80");
	EXPECT(term("\x9b" "2J"), "8-bit CSI", "\\x9b2J");
	/* Every single byte that is a C0 control, DEL or not UTF-8 alone. */
	for (int b = 1; b < 256; b++) {
		if (b >= 0x20 && b < 0x7f)
			continue;
		char in[2] = { (char)b, 0 }, want[8];
		snprintf(want, sizeof want, "\\x%02x", b);
		char *got = term(in);
		if (strcmp(got, want) != 0)
			fail_msg("byte 0x%02x: got [%s], want [%s]", b, got, want);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_plain_unquoted),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_every_position),
		cmocka_unit_test(test_html_every_position),
		cmocka_unit_test(test_csv_newlines_become_pictures),
		cmocka_unit_test(test_csv_c1_and_separators_named),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_csv_formula_neutralised),
		cmocka_unit_test(test_csv_lone_dash_untouched),
		cmocka_unit_test(test_csv_no_neutralise),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_json_basic),
		cmocka_unit_test(test_json_round_trips),
		cmocka_unit_test(test_json_all_controls),
		cmocka_unit_test(test_json_c1_and_separators_escaped),
		cmocka_unit_test(test_json_every_ascii_at_every_place),
		cmocka_unit_test(test_json_multibyte_kept),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_term_plain),
		cmocka_unit_test(test_term_escape_sequences),
		cmocka_unit_test(test_term_c1_controls),
		cmocka_unit_test(test_term_bidi),
		cmocka_unit_test(test_term_invalid_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
