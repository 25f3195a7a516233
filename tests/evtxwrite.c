/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* evtxwrite - turn a small text description of events into an EVTX file.
 *
 * Usage: evtxwrite [--help] DESC OUT.evtx      (DESC may be "-" for stdin)
 *
 * The tests need NetSupport-positive Sysmon logs, and none exist in public,
 * so they describe the events they want and this program writes them as a
 * Windows XML Event Log file laid out the way Windows writes Sysmon events:
 * a 4096-byte file header, 64 KiB chunks with their common string and
 * template pointer tables, records of binary XML whose template definitions
 * are reused inside a chunk, CRC32s everywhere (unless damaged on purpose).
 * The output depends only on the description: same description, same bytes.
 * Input is streamed; only the event being read and one chunk are in memory.
 *
 * Description grammar (line based; a line ends at LF, a CR before the LF is
 * dropped; leading blanks are ignored):
 *
 *   # comment line; blank lines ignored
 *   header dirty          # file header flag "dirty" set (and not updated:
 *                         # next-record/last-chunk/number-of-chunks stale,
 *                         # as they were before the last chunk was begun)
 *   chunk                 # start a new chunk now (no-op on an empty chunk)
 *   slack                 # following events of this chunk go after the last
 *                         # allocated record, outside the chunk header's
 *                         # counts/free-space offset, so libevtx reports them
 *                         # as recovered records; `chunk` (or a chunk filling
 *                         # up) ends slack mode
 *   damage crc            # damage the current chunk's event-records CRC
 *   damage header-crc     # damage the current chunk's header CRC
 *   damage magic          # damage the current chunk's signature
 *   damage size           # bogus chunk header size field
 *   hostile values N      # next event's template instance declares N
 *                         # substitution values (huge), to test robustness
 *   hostile nesting N     # next event's XML nests N elements deep (inside
 *                         # EventData, after its Data; N <= 100000)
 *   hostile expand M L    # next event's EventData ends in a <Nest> whose
 *                         # content is a BinXml value nested L deep, each
 *                         # level's template naming the next level M times
 *                         # and the last a short text: rendered, M^L
 *                         # copies of it ("billion laughs"; M <= 4096,
 *                         # L <= 64)
 *   event                 # begins an event; these lines follow, all optional:
 *     time 2024-03-01T10:00:00.1234567Z  # System/TimeCreated/@SystemTime
 *                         # (ISO 8601, Z or +hh:mm/-hh:mm, up to 7 fraction
 *                         # digits); default: previous event's time + 1 s,
 *                         # 2024-01-01T00:00:00Z for the first
 *     written 2024-03-01T10:00:01Z       # record header written time;
 *                         # default = time
 *     no-systemtime       # leave SystemTime out of TimeCreated
 *     record 17           # EventRecordID and record identifier; default
 *                         # previous+1 (starting at 1)
 *     provider Microsoft-Windows-Sysmon  # default Sysmon (rest of line)
 *     eventid 7           # default 7 (0..65535)
 *     channel Microsoft-Windows-Sysmon/Operational  # default (rest of line)
 *     computer WS01       # default "WORKSTATION" (rest of line)
 *     user S-1-5-18       # default S-1-5-18; `user -` leaves UserID out
 *     data NAME VALUE     # an EventData <Data Name="NAME">; VALUE is the
 *                         # rest of the line after one space, taken literally
 *                         # (backslashes are Windows paths!), may be empty
 *     data~ NAME VALUE    # same, VALUE with C escapes: \n \r \t \\ \xNN
 *                         # (bytes of UTF-8) \u{XXXX}
 *   end
 *
 * Trailing "# ..." comments are allowed on the keyword-only lines (header,
 * chunk, slack, damage, hostile, event, end, time, written, no-systemtime,
 * record, eventid, user), not on provider/channel/computer/data lines, whose
 * values are the rest of the line.  Data fields keep their order; any names
 * are allowed.  Values are UTF-8 and are written as UTF-16LE.  A Data named
 * ...ProcessGuid/...ProcessGUID whose value is a {GUID} is written as a GUID,
 * one named ...ProcessId holding a decimal number as a UInt32; every other
 * Data value is a UTF-16 string.  A bad line is an error naming the line
 * number, exit status 2; an I/O error exits 1.
 *
 * Substitution values of every event (like those Windows writes):
 *   0 Level UInt8          1 Opcode UInt8         2 Task UInt16
 *   3 EventID UInt16       4 Qualifiers (NULL)    5 Keywords HexInt64
 *   6 SystemTime FILETIME  7 ActivityID (NULL)    8 ProcessID UInt32
 *   9 ThreadID UInt32     10 EventRecordID UInt64 11 Version UInt8
 *  12 UserID SID          13 RelatedActivityID (NULL)
 *  14 Provider Name       15 Provider Guid (GUID, Sysmon only)
 *  16 Channel             17 Computer             18.. the Data values
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 65536u
#define CHUNK_DATA 512u
#define FILE_HEADER_SIZE 4096u
#define MAX_NESTING 100000u
#define MAX_EXPAND_M 4096u
#define MAX_EXPAND_L 64u

/* Value types of binary XML substitutions. */
enum {
	VT_NULL = 0x00, VT_STRING = 0x01, VT_UINT8 = 0x04, VT_UINT16 = 0x06,
	VT_UINT32 = 0x08, VT_UINT64 = 0x0a, VT_GUID = 0x0f,
	VT_FILETIME = 0x11, VT_SID = 0x13, VT_HEXINT64 = 0x15
};

/* Substitution identifiers of the System part. */
enum {
	S_LEVEL, S_OPCODE, S_TASK, S_EVENTID, S_QUALIFIERS, S_KEYWORDS,
	S_SYSTEMTIME, S_ACTIVITYID, S_PROCESSID, S_THREADID, S_RECORDID,
	S_VERSION, S_USERID, S_RELATEDACTIVITYID, S_PROVIDER, S_GUID,
	S_CHANNEL, S_COMPUTER, S_DATA
};

/* Element and attribute names used in templates. */
enum {
	N_EVENT, N_XMLNS, N_SYSTEM, N_PROVIDER, N_NAME, N_GUID, N_EVENTID,
	N_QUALIFIERS, N_VERSION, N_LEVEL, N_TASK, N_OPCODE, N_KEYWORDS,
	N_TIMECREATED, N_SYSTEMTIME, N_EVENTRECORDID, N_CORRELATION,
	N_ACTIVITYID, N_RELATEDACTIVITYID, N_EXECUTION, N_PROCESSID,
	N_THREADID, N_CHANNEL, N_COMPUTER, N_SECURITY, N_USERID, N_EVENTDATA,
	N_DATA, N_NEST, N_COUNT
};

static const char *const name_text[N_COUNT] = {
	"Event", "xmlns", "System", "Provider", "Name", "Guid", "EventID",
	"Qualifiers", "Version", "Level", "Task", "Opcode", "Keywords",
	"TimeCreated", "SystemTime", "EventRecordID", "Correlation",
	"ActivityID", "RelatedActivityID", "Execution", "ProcessID",
	"ThreadID", "Channel", "Computer", "Security", "UserID", "EventData",
	"Data", "Nest"
};
static uint16_t name_hash[N_COUNT];

static const char SYSMON_PROVIDER[] = "Microsoft-Windows-Sysmon";
/* {5770385F-C22A-43E0-BF4C-06F5698FFBD9} as stored (little-endian). */
static const uint8_t SYSMON_GUID[16] = {
	0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43,
	0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9
};
static const char EVENT_NS[] =
	"http://schemas.microsoft.com/win/2004/08/events/event";

/* ---- small helpers ---------------------------------------------------- */

static const char *desc_name = "-";
static unsigned long lineno;

static void fail_line(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void fail_line(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "evtxwrite: %s:%lu: ", desc_name, lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void fail_io(const char *what) __attribute__((noreturn));

static void fail_io(const char *what)
{
	fprintf(stderr, "evtxwrite: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL) {
		fputs("evtxwrite: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static inline void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void le64(uint8_t *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

/* CRC-32 (RFC 1952), slicing by 8. */
static uint32_t crc_tab[8][256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_tab[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^
				crc_tab[0][crc_tab[t - 1][i] & 0xff];
}

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n >= 8) {
		uint32_t a = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			(uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		crc = crc_tab[7][a & 0xff] ^ crc_tab[6][(a >> 8) & 0xff] ^
			crc_tab[5][(a >> 16) & 0xff] ^ crc_tab[4][a >> 24] ^
			crc_tab[3][p[4]] ^ crc_tab[2][p[5]] ^
			crc_tab[1][p[6]] ^ crc_tab[0][p[7]];
		p += 8;
		n -= 8;
	}
	while (n--)
		crc = crc_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Hash of a binary XML name: h = h * 65599 + c over its UTF-16 units. */
static uint32_t hash65599(const uint16_t *u, size_t n)
{
	uint32_t h = 0;
	for (size_t i = 0; i < n; i++)
		h = h * 65599u + u[i];
	return h;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- growable byte buffer -------------------------------------------- */

struct buf {
	uint8_t *b;
	size_t len, cap;
};

static void buf_reserve(struct buf *s, size_t extra)
{
	if (s->cap - s->len >= extra)
		return;
	size_t cap = s->cap ? s->cap : 256;
	while (cap - s->len < extra)
		cap *= 2;
	s->b = xrealloc(s->b, cap);
	s->cap = cap;
}

static void buf_add(struct buf *s, const void *p, size_t n)
{
	buf_reserve(s, n);
	memcpy(s->b + s->len, p, n);
	s->len += n;
}

static void buf_add8(struct buf *s, uint8_t v)
{
	buf_add(s, &v, 1);
}

/* Appends the UTF-16LE form of UTF-8 text; returns -1 on bad UTF-8. */
static int utf8_to_utf16(struct buf *out, const uint8_t *s, size_t n)
{
	size_t i = 0;

	buf_reserve(out, n * 2 + 4);
	while (i < n) {
		uint32_t c = s[i];
		size_t k;
		if (c < 0x80) {
			uint8_t *o = out->b + out->len;
			o[0] = (uint8_t)c;
			o[1] = 0;
			out->len += 2;
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			c &= 0x1f;
			k = 1;
		} else if ((c & 0xf0) == 0xe0) {
			c &= 0x0f;
			k = 2;
		} else if ((c & 0xf8) == 0xf0) {
			c &= 0x07;
			k = 3;
		} else {
			return -1;
		}
		if (i + k >= n)
			return -1;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return -1;
			c = (c << 6) | (s[i + j] & 0x3f);
		}
		if ((k == 1 && c < 0x80) || (k == 2 && c < 0x800) ||
		    (k == 3 && (c < 0x10000 || c > 0x10ffff)) ||
		    (c >= 0xd800 && c <= 0xdfff))
			return -1;
		i += k + 1;
		uint8_t *o = out->b + out->len;
		if (c >= 0x10000) {
			c -= 0x10000;
			le16(o, (uint16_t)(0xd800 | (c >> 10)));
			le16(o + 2, (uint16_t)(0xdc00 | (c & 0x3ff)));
			out->len += 4;
		} else {
			le16(o, (uint16_t)c);
			out->len += 2;
		}
	}
	return 0;
}

/* ---- the event being described --------------------------------------- */

struct field {
	size_t name, name_len;  /* UTF-8 name in ev.arena */
	size_t val, val_len;    /* value bytes (UTF-16LE, GUID, UInt32) */
	uint8_t type;
};

struct event {
	struct buf arena;
	struct field *f;
	size_t nf, capf;
	uint64_t time, written, record;
	int have_time, have_written, have_record, no_systemtime;
	uint16_t eventid;
	struct buf provider, channel, computer;  /* UTF-8 */
	uint8_t sid[68];
	size_t sid_len;       /* 0: no UserID */
	uint32_t hostile_values;
	int have_hostile_values;
	uint32_t nesting;
	uint32_t expand_m, expand_l;   /* hostile expand M L; l 0: none */
	unsigned long end_line;
};

static void set_text(struct buf *b, const char *s, size_t n)
{
	b->len = 0;
	buf_add(b, s, n);
}

/* ---- parsing of values ----------------------------------------------- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char **p, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

/* ISO 8601 to FILETIME; -1 when malformed. */
static int parse_time(const char *s, uint64_t *ft)
{
	unsigned y, mo, d, h, mi, se, frac = 0;
	const char *p = s;

	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d) || (*p != 'T' && *p != 't') ||
	    !++p || digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) ||
	    *p++ != ':' || digits(&p, 2, &se))
		return -1;
	if (*p == '.') {
		int n = 0;
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9') {
			if (n < 7) {
				frac = frac * 10 + (unsigned)(*p - '0');
				n++;
			} else if (*p != '0') {
				return -1;  /* finer than 100 ns */
			}
			p++;
		}
		for (; n < 7; n++)
			frac *= 10;
	}
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		unsigned oh, om;
		int sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		off = sign * (int64_t)(oh * 3600 + om * 60);
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
		30, 31, 30, 31 };
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 +
		mi * 60 + se - off;
	secs += 11644473600ll;  /* 1601-01-01 to 1970-01-01 */
	if (secs < 0)
		return -1;
	*ft = (uint64_t)secs * 10000000u + frac;
	return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned dg = (unsigned)(*s - '0');
		if (x > (max - dg) / 10)
			return -1;
		x = x * 10 + dg;
	}
	*v = x;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (braces optional) to the
 * little-endian GUID layout. */
static int parse_guid(const char *s, size_t n, uint8_t g[16])
{
	uint8_t b[16];
	size_t i = 0, k = 0;

	if (n == 38 && s[0] == '{' && s[37] == '}') {
		s++;
		n -= 2;
	}
	if (n != 36)
		return -1;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		int h = hexval((unsigned char)s[i]), l = 0;
		if (h < 0 || (l = hexval((unsigned char)s[i + 1])) < 0)
			return -1;
		b[k++] = (uint8_t)(h << 4 | l);
		i++;
	}
	g[0] = b[3]; g[1] = b[2]; g[2] = b[1]; g[3] = b[0];
	g[4] = b[5]; g[5] = b[4];
	g[6] = b[7]; g[7] = b[6];
	memcpy(g + 8, b + 8, 8);
	return 0;
}

/* "S-1-5-21-..." to a binary SID; returns its size or -1. */
static int parse_sid(const char *s, uint8_t *out)
{
	uint64_t v;
	char tmp[32];
	const char *p;
	int n = 0;

	if ((s[0] != 'S' && s[0] != 's') || s[1] != '-')
		return -1;
	p = s + 2;
	uint64_t parts[17];
	while (*p) {
		const char *e = strchr(p, '-');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == 0 || l >= sizeof tmp || n == 17)
			return -1;
		memcpy(tmp, p, l);
		tmp[l] = '\0';
		if (parse_u64(tmp, UINT64_MAX, &v))
			return -1;
		parts[n++] = v;
		p += l;
		if (*p == '-' && *++p == '\0')
			return -1;
	}
	if (n < 2 || parts[0] > 255 || parts[1] > 0xffffffffffffull)
		return -1;
	out[0] = (uint8_t)parts[0];
	out[1] = (uint8_t)(n - 2);
	for (int i = 0; i < 6; i++)
		out[2 + i] = (uint8_t)(parts[1] >> (8 * (5 - i)));
	for (int i = 2; i < n; i++) {
		if (parts[i] > 0xffffffffu)
			return -1;
		le32(out + 8 + 4 * (i - 2), (uint32_t)parts[i]);
	}
	return 8 + 4 * (n - 2);
}

/* Expands the escapes of a data~ value into UTF-8 bytes. */
static void unescape(const char *s, struct buf *out)
{
	out->len = 0;
	while (*s) {
		if (*s != '\\') {
			buf_add8(out, (uint8_t)*s++);
			continue;
		}
		s++;
		switch (*s) {
		case 'n': buf_add8(out, '\n'); s++; break;
		case 'r': buf_add8(out, '\r'); s++; break;
		case 't': buf_add8(out, '\t'); s++; break;
		case '\\': buf_add8(out, '\\'); s++; break;
		case 'x': {
			int h = hexval((unsigned char)s[1]), l = 0;
			if (h < 0 || (l = hexval((unsigned char)s[2])) < 0)
				fail_line("bad \\x escape (want \\xNN)");
			buf_add8(out, (uint8_t)(h << 4 | l));
			s += 3;
			break;
		}
		case 'u': {
			uint32_t c = 0;
			int n = 0;
			if (s[1] != '{')
				fail_line("bad \\u escape (want \\u{XXXX})");
			s += 2;
			while (*s && *s != '}') {
				int h = hexval((unsigned char)*s++);
				if (h < 0 || ++n > 6)
					fail_line("bad \\u escape (want \\u{XXXX})");
				c = c << 4 | (uint32_t)h;
			}
			if (*s != '}' || n == 0 || c > 0x10ffff ||
			    (c >= 0xd800 && c <= 0xdfff))
				fail_line("bad \\u escape (want \\u{XXXX})");
			s++;
			uint8_t u[4];
			size_t k;
			if (c < 0x80) {
				u[0] = (uint8_t)c; k = 1;
			} else if (c < 0x800) {
				u[0] = (uint8_t)(0xc0 | c >> 6);
				u[1] = (uint8_t)(0x80 | (c & 0x3f)); k = 2;
			} else if (c < 0x10000) {
				u[0] = (uint8_t)(0xe0 | c >> 12);
				u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
				u[2] = (uint8_t)(0x80 | (c & 0x3f)); k = 3;
			} else {
				u[0] = (uint8_t)(0xf0 | c >> 18);
				u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
				u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
				u[3] = (uint8_t)(0x80 | (c & 0x3f)); k = 4;
			}
			buf_add(out, u, k);
			break;
		}
		default:
			fail_line("unknown escape \\%c", *s ? *s : '0');
		}
	}
}

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static void add_field(struct event *ev, const char *name, size_t name_len,
		      const uint8_t *val, size_t val_len)
{
	struct field *f;

	if (ev->nf == ev->capf) {
		ev->capf = ev->capf ? ev->capf * 2 : 32;
		ev->f = xrealloc(ev->f, ev->capf * sizeof *ev->f);
	}
	f = &ev->f[ev->nf++];
	f->name = ev->arena.len;
	f->name_len = name_len;
	buf_add(&ev->arena, name, name_len);
	f->val = ev->arena.len;

	uint8_t g[16];
	uint64_t v;
	char num[24];
	if ((ends_with(name, name_len, "ProcessGuid") ||
	     ends_with(name, name_len, "ProcessGUID")) &&
	    parse_guid((const char *)val, val_len, g) == 0) {
		f->type = VT_GUID;
		buf_add(&ev->arena, g, 16);
	} else if (ends_with(name, name_len, "ProcessId") && val_len > 0 &&
		   val_len < sizeof num &&
		   (memcpy(num, val, val_len), num[val_len] = '\0',
		    parse_u64(num, 0xffffffffu, &v) == 0) &&
		   (val[0] != '0' || val_len == 1)) {
		uint8_t b[4];
		le32(b, (uint32_t)v);
		f->type = VT_UINT32;
		buf_add(&ev->arena, b, 4);
	} else {
		f->type = VT_STRING;
		if (utf8_to_utf16(&ev->arena, val, val_len))
			fail_line("value is not valid UTF-8");
	}
	f->val_len = ev->arena.len - f->val;
	if (f->val_len > 0xfffe)
		fail_line("value too long");
}

/* ---- the chunk being written ------------------------------------------ */

struct tmpl {
	uint64_t hash;
	size_t key, key_len;   /* in ch.keys */
	uint32_t off;          /* chunk offset of the template definition */
	uint32_t id;           /* first 4 bytes of the GUID */
};

struct chunk {
	uint8_t d[CHUNK_SIZE];
	uint32_t pos;          /* next free byte */
	uint32_t free_off;     /* end of allocated records */
	uint32_t last_rec_off;
	uint64_t first_id, last_id;
	uint32_t nalloc, nslack;
	int slack;
	int damage_crc, damage_hcrc, damage_magic, damage_size;
	uint32_t name_off[N_COUNT];
	uint32_t str_head[64];
	uint32_t tpl_head[32];
	struct tmpl *t;
	size_t nt, capt;
	struct buf keys;
};

static struct chunk ch;

/* File-wide state. */
static FILE *out;
static uint32_t nchunks;
static int dirty;
static uint64_t last_alloc_id;     /* last allocated record's identifier */
static int have_alloc;
static uint64_t stale_next_id = 1; /* for a dirty header: the next
                                      identifier when the last chunk was
                                      begun */

static void chunk_reset(void)
{
	memset(ch.d, 0, sizeof ch.d);
	ch.pos = ch.free_off = CHUNK_DATA;
	ch.last_rec_off = 0;
	ch.first_id = ch.last_id = 0;
	ch.nalloc = ch.nslack = 0;
	ch.slack = 0;
	ch.damage_crc = ch.damage_hcrc = ch.damage_magic = ch.damage_size = 0;
	memset(ch.name_off, 0, sizeof ch.name_off);
	memset(ch.str_head, 0, sizeof ch.str_head);
	memset(ch.tpl_head, 0, sizeof ch.tpl_head);
	ch.nt = 0;
	ch.keys.len = 0;
}

static void chunk_flush(void)
{
	uint8_t *h = ch.d;

	if (ch.nalloc == 0 && ch.nslack == 0)
		return;
	memcpy(h, "ElfChnk", 8);
	le64(h + 8, ch.first_id);
	le64(h + 16, ch.last_id);
	le64(h + 24, ch.first_id);
	le64(h + 32, ch.last_id);
	le32(h + 40, 128);
	le32(h + 44, ch.last_rec_off);
	le32(h + 48, ch.free_off);
	le32(h + 52, crc32_update(0, h + CHUNK_DATA, ch.free_off - CHUNK_DATA)
	     ^ (ch.damage_crc ? 0x5a5a5a5au : 0));
	le32(h + 120, 1);
	for (int i = 0; i < 64; i++)
		le32(h + 128 + 4 * i, ch.str_head[i]);
	for (int i = 0; i < 32; i++)
		le32(h + 384 + 4 * i, ch.tpl_head[i]);
	if (ch.damage_magic)
		memcpy(h, "ElfChnX", 8);
	if (ch.damage_size)
		le32(h + 40, 0x8000);
	uint32_t c = crc32_update(0, h, 120);
	c = crc32_update(c, h + 128, CHUNK_DATA - 128);
	le32(h + 124, c ^ (ch.damage_hcrc ? 0xa5a5a5a5u : 0));
	if (fwrite(ch.d, 1, CHUNK_SIZE, out) != CHUNK_SIZE)
		fail_io("write");
	stale_next_id = ch.nalloc ? ch.first_id :
		have_alloc ? last_alloc_id + 1 : 1;
	if (ch.nalloc) {
		last_alloc_id = ch.last_id;
		have_alloc = 1;
	}
	nchunks++;
	if (nchunks > 0xffff) {
		fputs("evtxwrite: too many chunks\n", stderr);
		exit(2);
	}
	chunk_reset();
}

/* Writer over the chunk with overflow detection. */
struct wr {
	uint8_t *b;
	uint32_t pos;
	int ovf;
};

static inline int room(struct wr *w, uint32_t n)
{
	if (w->ovf || CHUNK_SIZE - w->pos < n) {
		w->ovf = 1;
		return 0;
	}
	return 1;
}

static inline void w8(struct wr *w, uint8_t v)
{
	if (room(w, 1))
		w->b[w->pos++] = v;
}

static inline void w16(struct wr *w, uint16_t v)
{
	if (room(w, 2)) {
		le16(w->b + w->pos, v);
		w->pos += 2;
	}
}

static inline void w32(struct wr *w, uint32_t v)
{
	if (room(w, 4)) {
		le32(w->b + w->pos, v);
		w->pos += 4;
	}
}

static inline void w64(struct wr *w, uint64_t v)
{
	if (room(w, 8)) {
		le64(w->b + w->pos, v);
		w->pos += 8;
	}
}

static inline void wbytes(struct wr *w, const void *p, size_t n)
{
	if (room(w, (uint32_t)n)) {
		memcpy(w->b + w->pos, p, n);
		w->pos += (uint32_t)n;
	}
}

static inline void patch32(struct wr *w, uint32_t at, uint32_t v)
{
	if (!w->ovf)
		le32(w->b + at, v);
}

/* A name reference: the offset of the name, and the name itself right
 * there when it is not yet in the chunk. */
static void w_name(struct wr *w, int id)
{
	const char *s = name_text[id];
	size_t n = strlen(s);

	if (ch.name_off[id]) {
		w32(w, ch.name_off[id]);
		return;
	}
	uint32_t off = w->pos + 4;
	w32(w, off);
	unsigned bucket = name_hash[id] % 64;
	w32(w, ch.slack ? 0 : ch.str_head[bucket]);
	w16(w, name_hash[id]);
	w16(w, (uint16_t)n);
	for (size_t i = 0; i < n; i++)
		w16(w, (uint8_t)s[i]);
	w16(w, 0);
	if (w->ovf)
		return;
	ch.name_off[id] = off;
	if (!ch.slack)
		ch.str_head[bucket] = off;
}

/* Opens an element; returns where its size goes.  *attrs gets where the
 * attribute list size goes when has_attrs. */
static uint32_t w_open(struct wr *w, int name, uint16_t dep, int has_attrs,
		       uint32_t *attrs)
{
	w8(w, has_attrs ? 0x41 : 0x01);
	w16(w, dep);
	uint32_t size_at = w->pos;
	w32(w, 0);
	w_name(w, name);
	if (has_attrs) {
		*attrs = w->pos;
		w32(w, 0);
	}
	return size_at;
}

static void w_attrs_done(struct wr *w, uint32_t attrs)
{
	patch32(w, attrs, w->pos - attrs - 4);
}

/* Ends an element opened at size_at (after its end or close-empty tag). */
static void w_done(struct wr *w, uint32_t size_at)
{
	patch32(w, size_at, w->pos - size_at - 4);
}

static void w_attr(struct wr *w, int name, int more)
{
	w8(w, more ? 0x46 : 0x06);
	w_name(w, name);
}

static void w_optsub(struct wr *w, uint16_t id, uint8_t type)
{
	w8(w, 0x0e);
	w16(w, id);
	w8(w, type);
}

static void w_text(struct wr *w, const uint8_t *u16, size_t bytes)
{
	w8(w, 0x05);
	w8(w, VT_STRING);
	w16(w, (uint16_t)(bytes / 2));
	wbytes(w, u16, bytes);
}

/* <X>%id</X> with an optional substitution, depending on it. */
static void w_simple(struct wr *w, int name, uint16_t id, uint8_t type)
{
	uint32_t s = w_open(w, name, id, 0, NULL);
	w8(w, 0x02);
	w_optsub(w, id, type);
	w8(w, 0x04);
	w_done(w, s);
}

static struct buf tmp16;

/* The template definition body: fragment header, <Event>, end of file. */
static void w_template_body(struct wr *w, const struct event *ev,
			    int sysmon)
{
	uint32_t s_ev, a_ev, s_sys, s, a;

	w8(w, 0x0f); w8(w, 1); w8(w, 1); w8(w, 0);
	s_ev = w_open(w, N_EVENT, 0xffff, 1, &a_ev);
	w_attr(w, N_XMLNS, 0);
	tmp16.len = 0;
	utf8_to_utf16(&tmp16, (const uint8_t *)EVENT_NS, strlen(EVENT_NS));
	w_text(w, tmp16.b, tmp16.len);
	w_attrs_done(w, a_ev);
	w8(w, 0x02);

	s_sys = w_open(w, N_SYSTEM, 0xffff, 0, NULL);
	w8(w, 0x02);

	s = w_open(w, N_PROVIDER, 0xffff, 1, &a);
	w_attr(w, N_NAME, sysmon);
	w_optsub(w, S_PROVIDER, VT_STRING);
	if (sysmon) {
		w_attr(w, N_GUID, 0);
		w_optsub(w, S_GUID, VT_GUID);
	}
	w_attrs_done(w, a);
	w8(w, 0x03);
	w_done(w, s);

	s = w_open(w, N_EVENTID, S_EVENTID, 1, &a);
	w_attr(w, N_QUALIFIERS, 0);
	w_optsub(w, S_QUALIFIERS, VT_UINT16);
	w_attrs_done(w, a);
	w8(w, 0x02);
	w_optsub(w, S_EVENTID, VT_UINT16);
	w8(w, 0x04);
	w_done(w, s);

	w_simple(w, N_VERSION, S_VERSION, VT_UINT8);
	w_simple(w, N_LEVEL, S_LEVEL, VT_UINT8);
	w_simple(w, N_TASK, S_TASK, VT_UINT16);
	w_simple(w, N_OPCODE, S_OPCODE, VT_UINT8);
	w_simple(w, N_KEYWORDS, S_KEYWORDS, VT_HEXINT64);

	if (ev->no_systemtime) {
		s = w_open(w, N_TIMECREATED, 0xffff, 0, NULL);
	} else {
		s = w_open(w, N_TIMECREATED, 0xffff, 1, &a);
		w_attr(w, N_SYSTEMTIME, 0);
		w_optsub(w, S_SYSTEMTIME, VT_FILETIME);
		w_attrs_done(w, a);
	}
	w8(w, 0x03);
	w_done(w, s);

	w_simple(w, N_EVENTRECORDID, S_RECORDID, VT_UINT64);

	s = w_open(w, N_CORRELATION, 0xffff, 1, &a);
	w_attr(w, N_ACTIVITYID, 1);
	w_optsub(w, S_ACTIVITYID, VT_GUID);
	w_attr(w, N_RELATEDACTIVITYID, 0);
	w_optsub(w, S_RELATEDACTIVITYID, VT_GUID);
	w_attrs_done(w, a);
	w8(w, 0x03);
	w_done(w, s);

	s = w_open(w, N_EXECUTION, 0xffff, 1, &a);
	w_attr(w, N_PROCESSID, 1);
	w_optsub(w, S_PROCESSID, VT_UINT32);
	w_attr(w, N_THREADID, 0);
	w_optsub(w, S_THREADID, VT_UINT32);
	w_attrs_done(w, a);
	w8(w, 0x03);
	w_done(w, s);

	w_simple(w, N_CHANNEL, S_CHANNEL, VT_STRING);
	w_simple(w, N_COMPUTER, S_COMPUTER, VT_STRING);

	if (ev->sid_len == 0) {
		s = w_open(w, N_SECURITY, 0xffff, 0, NULL);
	} else {
		s = w_open(w, N_SECURITY, 0xffff, 1, &a);
		w_attr(w, N_USERID, 0);
		w_optsub(w, S_USERID, VT_SID);
		w_attrs_done(w, a);
	}
	w8(w, 0x03);
	w_done(w, s);

	w8(w, 0x04);
	w_done(w, s_sys);

	/* <EventData> */
	uint32_t s_ed = w_open(w, N_EVENTDATA, 0xffff, 0, NULL);
	if (ev->nf == 0 && ev->nesting == 0 && ev->expand_l == 0) {
		w8(w, 0x03);
	} else {
		w8(w, 0x02);
		for (size_t i = 0; i < ev->nf && !w->ovf; i++) {
			const struct field *f = &ev->f[i];
			s = w_open(w, N_DATA, 0xffff, 1, &a);
			w_attr(w, N_NAME, 0);
			tmp16.len = 0;
			utf8_to_utf16(&tmp16, ev->arena.b + f->name,
				      f->name_len);
			w_text(w, tmp16.b, tmp16.len);
			w_attrs_done(w, a);
			w8(w, 0x02);
			w8(w, 0x0d);
			w16(w, (uint16_t)(S_DATA + i));
			w8(w, f->type);
			w8(w, 0x04);
			w_done(w, s);
		}
		if (ev->nesting) {
			uint32_t *stack = xrealloc(NULL,
				ev->nesting * sizeof *stack);
			uint32_t n = 0;
			for (; n < ev->nesting && !w->ovf; n++) {
				stack[n] = w_open(w, N_NEST, 0xffff, 0, NULL);
				w8(w, 0x02);
			}
			while (n-- > 0) {
				w8(w, 0x04);
				w_done(w, stack[n]);
			}
			free(stack);
		}
		if (ev->expand_l) {     /* <Nest>%(the BinXml value)</Nest> */
			s = w_open(w, N_NEST, 0xffff, 0, NULL);
			w8(w, 0x02);
			w8(w, 0x0d);
			w16(w, (uint16_t)(S_DATA + ev->nf));
			w8(w, 0x21);
			w8(w, 0x04);
			w_done(w, s);
		}
		w8(w, 0x04);
	}
	w_done(w, s_ed);

	w8(w, 0x04);
	w_done(w, s_ev);
	w8(w, 0x00);
}

/* A template definition, inline after the instance token at w->pos
 * (0c 01 id offset, the offset pointing right past it): next, GUID from
 * seed, size, then body() writes the tokens. */
static void w_inline_def(struct wr *w, uint32_t id, uint64_t seed,
			 void (*body)(struct wr *, uint32_t), uint32_t arg)
{
	uint8_t guid[16];
	w8(w, 0x0c);
	w8(w, 0x01);
	w32(w, id);
	w32(w, w->pos + 4);
	le64(guid, mix64(seed));
	le64(guid + 8, mix64(seed ^ 0x9e3779b97f4a7c15ull));
	w32(w, 0);                  /* next definition: none */
	wbytes(w, guid, 16);
	uint32_t size_at = w->pos;
	w32(w, 0);
	body(w, arg);
	patch32(w, size_at, w->pos - size_at - 4);
}

/* <Nest>%0 %0 ... (m times)</Nest>, %0 a BinXml value. */
static void body_fanout(struct wr *w, uint32_t m)
{
	w8(w, 0x0f); w8(w, 1); w8(w, 1); w8(w, 0);
	uint32_t s = w_open(w, N_NEST, 0xffff, 0, NULL);
	w8(w, 0x02);
	for (uint32_t i = 0; i < m; i++) {
		w8(w, 0x0d);
		w16(w, 0);
		w8(w, 0x21);
	}
	w8(w, 0x04);
	w_done(w, s);
	w8(w, 0x00);
}

/* <Nest>lol lol lol</Nest>. */
static void body_leaf(struct wr *w, uint32_t unused)
{
	static const uint8_t lol[] = { 'l', 0, 'o', 0, 'l', 0, ' ', 0, 'l', 0, 'o', 0,
				       'l', 0, ' ', 0, 'l', 0, 'o', 0, 'l', 0 };
	(void)unused;
	w8(w, 0x0f); w8(w, 1); w8(w, 1); w8(w, 0);
	uint32_t s = w_open(w, N_NEST, 0xffff, 0, NULL);
	w8(w, 0x02);
	w_text(w, lol, sizeof lol);
	w8(w, 0x04);
	w_done(w, s);
	w8(w, 0x00);
}

/* The BinXml value of `hostile expand M L`: l levels, each a template
 * instance (the fan-out definition inline in the first, referred to by
 * offset after) with one value, the next level; then the leaf, with no
 * values. Each level ends in an end-of-fragment token. Returns the
 * value's size. */
static uint32_t w_expand(struct wr *w, uint32_t m, uint32_t l)
{
	uint32_t start[MAX_EXPAND_L + 1], desc[MAX_EXPAND_L + 1], fanout = 0;
	for (uint32_t k = 0; k < l; k++) {
		start[k] = w->pos;
		w8(w, 0x0f); w8(w, 1); w8(w, 1); w8(w, 0);
		if (k == 0) {
			fanout = w->pos + 10;
			w_inline_def(w, 0x0b0b0b0b, 0xb0b0 + m, body_fanout, m);
		} else {
			w8(w, 0x0c);
			w8(w, 0x01);
			w32(w, 0x0b0b0b0b);
			w32(w, fanout);
		}
		w32(w, 1);              /* one value: the next level */
		desc[k] = w->pos;
		w32(w, 0x21u << 16);    /* size patched below, type BinXml */
	}
	start[l] = w->pos;
	w8(w, 0x0f); w8(w, 1); w8(w, 1); w8(w, 0);
	w_inline_def(w, 0x1eaf1eaf, 0x1eaf, body_leaf, 0);
	w32(w, 0);                  /* no values */
	w8(w, 0x00);
	uint32_t end = w->pos;
	for (uint32_t k = l; k-- > 0;) {
		if (!w->ovf)
			le16(w->b + desc[k], (uint16_t)(end - start[k + 1]));
		w8(w, 0x00);
		end = w->pos;
	}
	return end - start[0];
}

static struct buf key;

static void make_key(const struct event *ev, int sysmon)
{
	key.len = 0;
	buf_add(&key, ev->provider.b, ev->provider.len);
	buf_add8(&key, 0);
	buf_add8(&key, (uint8_t)ev->eventid);
	buf_add8(&key, (uint8_t)(ev->eventid >> 8));
	buf_add8(&key, (uint8_t)(sysmon | (!ev->no_systemtime) << 1 |
				 (ev->sid_len != 0) << 2));
	for (size_t i = 0; i < ev->nf; i++) {
		buf_add8(&key, ev->f[i].type);
		buf_add(&key, ev->arena.b + ev->f[i].name, ev->f[i].name_len);
		buf_add8(&key, 0);
	}
}

static void wval_desc(struct wr *w, size_t size, uint8_t type)
{
	w16(w, (uint16_t)size);
	w8(w, type);
	w8(w, 0);
}

/* Encodes the event as a record at ch.pos; 0 when it fits, -1 if not
 * (the chunk is then as before). */
static int encode(const struct event *ev)
{
	struct wr w = { ch.d, ch.pos, 0 };
	uint32_t rec = ch.pos;
	int sysmon = ev->provider.len == sizeof SYSMON_PROVIDER - 1 &&
		memcmp(ev->provider.b, SYSMON_PROVIDER, ev->provider.len) == 0;

	/* What may change, to undo when it does not fit. */
	uint32_t save_names[N_COUNT], save_str[64], save_tpl[32];
	size_t save_nt = ch.nt, save_keys = ch.keys.len;
	memcpy(save_names, ch.name_off, sizeof save_names);
	memcpy(save_str, ch.str_head, sizeof save_str);
	memcpy(save_tpl, ch.tpl_head, sizeof save_tpl);

	w32(&w, 0x00002a2a);
	w32(&w, 0);                 /* size */
	w64(&w, ev->record);
	w64(&w, ev->written);

	w8(&w, 0x0f); w8(&w, 1); w8(&w, 1); w8(&w, 0);

	/* Template instance: reuse a definition of the same shape. */
	make_key(ev, sysmon);
	uint64_t h = fnv1a(0xcbf29ce484222325ull, key.b, key.len);
	struct tmpl *t = NULL;
	if (ev->nesting == 0 && ev->expand_l == 0)
		for (size_t i = 0; i < ch.nt; i++)
			if (ch.t[i].hash == h && ch.t[i].key_len == key.len &&
			    memcmp(ch.keys.b + ch.t[i].key, key.b,
				   key.len) == 0) {
				t = &ch.t[i];
				break;
			}
	w8(&w, 0x0c);
	w8(&w, 0x01);
	if (t) {
		w32(&w, t->id);
		w32(&w, t->off);
	} else {
		uint8_t guid[16];
		uint64_t g1 = mix64(h ^ (ev->nesting ? mix64(ev->nesting) : 0) ^
				    (ev->expand_l ? mix64(ev->expand_m * 131u + ev->expand_l) : 0));
		uint64_t g2 = mix64(g1 ^ 0x9e3779b97f4a7c15ull);
		le64(guid, g1);
		le64(guid + 8, g2);
		uint32_t id = (uint32_t)g1;
		uint16_t gw[8];
		for (int i = 0; i < 8; i++)
			gw[i] = (uint16_t)(guid[2 * i] | guid[2 * i + 1] << 8);
		unsigned bucket = hash65599(gw, 8) % 32;
		uint32_t off = w.pos + 8;
		w32(&w, id);
		w32(&w, off);
		w32(&w, ch.slack ? 0 : ch.tpl_head[bucket]);
		wbytes(&w, guid, 16);
		uint32_t size_at = w.pos;
		w32(&w, 0);
		w_template_body(&w, ev, sysmon);
		patch32(&w, size_at, w.pos - size_at - 4);
		if (!w.ovf) {
			if (!ch.slack)
				ch.tpl_head[bucket] = off;
			if (ev->nesting == 0 && ev->expand_l == 0) {
				if (ch.nt == ch.capt) {
					ch.capt = ch.capt ? ch.capt * 2 : 16;
					ch.t = xrealloc(ch.t,
						ch.capt * sizeof *ch.t);
				}
				struct tmpl *n = &ch.t[ch.nt++];
				n->hash = h;
				n->key = ch.keys.len;
				n->key_len = key.len;
				buf_add(&ch.keys, key.b, key.len);
				n->off = off;
				n->id = id;
			}
		}
	}

	/* Template instance data: descriptors, then values. */
	size_t nval = S_DATA + ev->nf + (ev->expand_l != 0);
	w32(&w, ev->have_hostile_values ? ev->hostile_values : (uint32_t)nval);
	wval_desc(&w, 1, VT_UINT8);                     /* Level */
	wval_desc(&w, 1, VT_UINT8);                     /* Opcode */
	wval_desc(&w, 2, VT_UINT16);                    /* Task */
	wval_desc(&w, 2, VT_UINT16);                    /* EventID */
	wval_desc(&w, 0, VT_NULL);                      /* Qualifiers */
	wval_desc(&w, 8, VT_HEXINT64);                  /* Keywords */
	if (ev->no_systemtime)
		wval_desc(&w, 0, VT_NULL);
	else
		wval_desc(&w, 8, VT_FILETIME);
	wval_desc(&w, 0, VT_NULL);                      /* ActivityID */
	wval_desc(&w, 4, VT_UINT32);                    /* ProcessID */
	wval_desc(&w, 4, VT_UINT32);                    /* ThreadID */
	wval_desc(&w, 8, VT_UINT64);                    /* EventRecordID */
	wval_desc(&w, 1, VT_UINT8);                     /* Version */
	if (ev->sid_len)
		wval_desc(&w, ev->sid_len, VT_SID);
	else
		wval_desc(&w, 0, VT_NULL);
	wval_desc(&w, 0, VT_NULL);                      /* RelatedActivityID */
	wval_desc(&w, ev->provider.len * 2, VT_STRING); /* placeholder */
	uint32_t prov_desc = w.pos - 4;
	if (sysmon)
		wval_desc(&w, 16, VT_GUID);
	else
		wval_desc(&w, 0, VT_NULL);
	wval_desc(&w, 0, VT_STRING);                    /* Channel */
	uint32_t chan_desc = w.pos - 4;
	wval_desc(&w, 0, VT_STRING);                    /* Computer */
	uint32_t comp_desc = w.pos - 4;
	for (size_t i = 0; i < ev->nf; i++)
		wval_desc(&w, ev->f[i].val_len, ev->f[i].type);
	uint32_t expand_desc = w.pos;
	if (ev->expand_l)
		wval_desc(&w, 0, 0x21);                 /* size patched below */

	w8(&w, 4);                                      /* Level */
	w8(&w, 0);                                      /* Opcode */
	w16(&w, ev->eventid);                           /* Task */
	w16(&w, ev->eventid);
	w64(&w, 0x8000000000000000ull);                 /* Keywords */
	if (!ev->no_systemtime)
		w64(&w, ev->time);
	w32(&w, 2412);                                  /* ProcessID */
	w32(&w, 3260);                                  /* ThreadID */
	w64(&w, ev->record);
	w8(&w, ev->eventid == 7 ? 3 : 5);               /* Version */
	if (ev->sid_len)
		wbytes(&w, ev->sid, ev->sid_len);

	const struct buf *txt[3] = { &ev->provider, &ev->channel,
				     &ev->computer };
	uint32_t at[3] = { prov_desc, chan_desc, comp_desc };
	for (int k = 0; k < 3; k++) {
		uint32_t start = w.pos;
		tmp16.len = 0;
		if (utf8_to_utf16(&tmp16, txt[k]->b, txt[k]->len) ||
		    tmp16.len > 0xfffe) {
			lineno = ev->end_line;
			fail_line("provider/channel/computer not valid UTF-8 "
				  "or too long");
		}
		wbytes(&w, tmp16.b, tmp16.len);
		if (!w.ovf)
			le16(w.b + at[k], (uint16_t)(w.pos - start));
		if (k == 0 && sysmon)
			wbytes(&w, SYSMON_GUID, 16);
	}
	for (size_t i = 0; i < ev->nf; i++)
		wbytes(&w, ev->arena.b + ev->f[i].val, ev->f[i].val_len);
	if (ev->expand_l) {
		uint32_t n = w_expand(&w, ev->expand_m, ev->expand_l);
		if (!w.ovf)
			le16(w.b + expand_desc, (uint16_t)n);
	}

	w8(&w, 0x00);                                   /* end of file */
	while (!w.ovf && (w.pos - rec + 4) % 8)
		w8(&w, 0);
	w32(&w, 0);
	/* libevtx stops at a record that ends in a chunk's last 4 bytes and
	 * drops it without a word; Windows never writes one there either. */
	if (w.pos > CHUNK_SIZE - 4)
		w.ovf = 1;
	if (w.ovf) {
		memcpy(ch.name_off, save_names, sizeof save_names);
		memcpy(ch.str_head, save_str, sizeof save_str);
		memcpy(ch.tpl_head, save_tpl, sizeof save_tpl);
		ch.nt = save_nt;
		ch.keys.len = save_keys;
		memset(ch.d + rec, 0, CHUNK_SIZE - rec);
		return -1;
	}
	uint32_t size = w.pos - rec;
	le32(ch.d + rec + 4, size);
	le32(ch.d + w.pos - 4, size);
	ch.pos = w.pos;
	if (ch.slack) {
		ch.nslack++;
	} else {
		if (ch.nalloc == 0)
			ch.first_id = ev->record;
		ch.last_id = ev->record;
		ch.last_rec_off = rec;
		ch.free_off = ch.pos;
		ch.nalloc++;
	}
	return 0;
}

static void emit(struct event *ev)
{
	if (encode(ev) == 0)
		return;
	chunk_flush();
	if (encode(ev) != 0) {
		lineno = ev->end_line;
		fail_line("event too large for a chunk");
	}
}

/* ---- the description ------------------------------------------------- */

/* Splits off the first word of *p; returns it NUL-terminated. */
static char *word(char **p)
{
	char *s = *p, *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	if (*e)
		*e++ = '\0';
	*p = e;
	return s;
}

/* The rest must be empty or a comment. */
static void no_more(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p && *p != '#')
		fail_line("unexpected text \"%s\"", p);
}

static void usage(FILE *f)
{
	fputs("Usage: evtxwrite [--help] DESC OUT.evtx\n"
	      "Writes the events described in DESC (\"-\" for standard input)"
	      " as an EVTX file.\n\n"
	      "Description lines:\n"
	      "  # comment                 header dirty\n"
	      "  chunk                     slack\n"
	      "  damage crc|header-crc|magic|size\n"
	      "  hostile values N          hostile nesting N\n"
	      "  hostile expand M L\n"
	      "  event\n"
	      "    time ISO8601            written ISO8601\n"
	      "    no-systemtime           record N\n"
	      "    provider NAME           eventid N\n"
	      "    channel NAME            computer NAME\n"
	      "    user SID|-              data NAME VALUE\n"
	      "    data~ NAME ESCAPED-VALUE   (\\n \\r \\t \\\\ \\xNN "
	      "\\u{XXXX})\n"
	      "  end\n", f);
}

int main(int argc, char **argv)
{
	FILE *in;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct event ev;
	struct buf val = { 0 };
	int in_event = 0;
	uint64_t prev_time = 0, prev_record = 0;
	int have_prev = 0;
	uint32_t pend_values = 0, pend_nesting = 0, pend_expand_m = 0, pend_expand_l = 0;
	int have_pend_values = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	crc_init();
	for (int i = 0; i < N_COUNT; i++) {
		uint16_t u[32];
		size_t n = strlen(name_text[i]);
		for (size_t k = 0; k < n; k++)
			u[k] = (uint8_t)name_text[i][k];
		name_hash[i] = (uint16_t)hash65599(u, n);
	}
	memset(&ev, 0, sizeof ev);
	parse_time("2024-01-01T00:00:00Z", &prev_time);
	prev_time -= 10000000u;

	desc_name = argv[1];
	if (strcmp(argv[1], "-") == 0) {
		in = stdin;
		desc_name = "<stdin>";
	} else if ((in = fopen(argv[1], "r")) == NULL) {
		fail_io(argv[1]);
	}
	if ((out = fopen(argv[2], "wb")) == NULL)
		fail_io(argv[2]);
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	static uint8_t header[FILE_HEADER_SIZE];
	if (fwrite(header, 1, sizeof header, out) != sizeof header)
		fail_io(argv[2]);
	chunk_reset();

	while ((len = getline(&line, &cap, in)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if ((size_t)len != strlen(line))
			fail_line("NUL byte in line");
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		char *kw = word(&p);

		if (!in_event) {
			if (strcmp(kw, "header") == 0) {
				if (strcmp(word(&p), "dirty") != 0)
					fail_line("want \"header dirty\"");
				no_more(p);
				dirty = 1;
			} else if (strcmp(kw, "chunk") == 0) {
				no_more(p);
				chunk_flush();
				ch.slack = 0;
			} else if (strcmp(kw, "slack") == 0) {
				no_more(p);
				ch.slack = 1;
			} else if (strcmp(kw, "damage") == 0) {
				char *what = word(&p);
				no_more(p);
				if (strcmp(what, "crc") == 0)
					ch.damage_crc = 1;
				else if (strcmp(what, "header-crc") == 0)
					ch.damage_hcrc = 1;
				else if (strcmp(what, "magic") == 0)
					ch.damage_magic = 1;
				else if (strcmp(what, "size") == 0)
					ch.damage_size = 1;
				else
					fail_line("want damage crc|header-crc|"
						  "magic|size");
			} else if (strcmp(kw, "hostile") == 0) {
				char *what = word(&p), *n = word(&p);
				uint64_t v;
				if (strcmp(what, "expand") != 0)
					no_more(p);
				if (strcmp(what, "values") == 0) {
					if (parse_u64(n, 0xffffffffu, &v))
						fail_line("want hostile values N");
					pend_values = (uint32_t)v;
					have_pend_values = 1;
				} else if (strcmp(what, "nesting") == 0) {
					if (parse_u64(n, MAX_NESTING, &v) ||
					    v == 0)
						fail_line("want hostile nesting N"
							  " (1..%u)", MAX_NESTING);
					pend_nesting = (uint32_t)v;
				} else if (strcmp(what, "expand") == 0) {
					char *l = word(&p);
					uint64_t lv;
					no_more(p);
					if (parse_u64(n, MAX_EXPAND_M, &v) || v == 0 ||
					    parse_u64(l, MAX_EXPAND_L, &lv) || lv == 0)
						fail_line("want hostile expand M L (M 1..%u, "
							  "L 1..%u)", MAX_EXPAND_M, MAX_EXPAND_L);
					pend_expand_m = (uint32_t)v;
					pend_expand_l = (uint32_t)lv;
				} else {
					fail_line("want hostile values|nesting N or expand M L");
				}
			} else if (strcmp(kw, "event") == 0) {
				no_more(p);
				in_event = 1;
				ev.arena.len = 0;
				ev.nf = 0;
				ev.have_time = ev.have_written = 0;
				ev.have_record = ev.no_systemtime = 0;
				ev.eventid = 7;
				set_text(&ev.provider, SYSMON_PROVIDER,
					 strlen(SYSMON_PROVIDER));
				set_text(&ev.channel,
					 "Microsoft-Windows-Sysmon/Operational",
					 36);
				set_text(&ev.computer, "WORKSTATION", 11);
				ev.sid_len = (size_t)parse_sid("S-1-5-18", ev.sid);
				ev.hostile_values = pend_values;
				ev.have_hostile_values = have_pend_values;
				ev.nesting = pend_nesting;
				ev.expand_m = pend_expand_m;
				ev.expand_l = pend_expand_l;
				pend_values = pend_nesting = 0;
				pend_expand_m = pend_expand_l = 0;
				have_pend_values = 0;
			} else {
				fail_line("unknown directive \"%s\"", kw);
			}
			continue;
		}

		/* Inside an event. */
		if (strcmp(kw, "end") == 0) {
			no_more(p);
			in_event = 0;
			ev.end_line = lineno;
			if (!ev.have_time)
				ev.time = prev_time + 10000000u;
			if (!ev.have_written)
				ev.written = ev.time;
			if (!ev.have_record)
				ev.record = have_prev ? prev_record + 1 : 1;
			prev_time = ev.time;
			prev_record = ev.record;
			have_prev = 1;
			emit(&ev);
		} else if (strcmp(kw, "time") == 0 ||
			   strcmp(kw, "written") == 0) {
			char *t = word(&p);
			uint64_t ft;
			no_more(p);
			if (parse_time(t, &ft))
				fail_line("bad time \"%s\" (want "
					  "2024-03-01T10:00:00.1234567Z)", t);
			if (kw[0] == 't') {
				ev.time = ft;
				ev.have_time = 1;
			} else {
				ev.written = ft;
				ev.have_written = 1;
			}
		} else if (strcmp(kw, "no-systemtime") == 0) {
			no_more(p);
			ev.no_systemtime = 1;
		} else if (strcmp(kw, "record") == 0) {
			char *n = word(&p);
			no_more(p);
			if (parse_u64(n, UINT64_MAX, &ev.record))
				fail_line("bad record number \"%s\"", n);
			ev.have_record = 1;
		} else if (strcmp(kw, "eventid") == 0) {
			char *n = word(&p);
			uint64_t v;
			no_more(p);
			if (parse_u64(n, 0xffff, &v))
				fail_line("bad event id \"%s\"", n);
			ev.eventid = (uint16_t)v;
		} else if (strcmp(kw, "provider") == 0 ||
			   strcmp(kw, "channel") == 0 ||
			   strcmp(kw, "computer") == 0) {
			struct buf *b = kw[0] == 'p' ? &ev.provider :
				kw[1] == 'h' ? &ev.channel : &ev.computer;
			set_text(b, p, strlen(p));
			tmp16.len = 0;
			if (utf8_to_utf16(&tmp16, (uint8_t *)p, strlen(p)))
				fail_line("%s is not valid UTF-8", kw);
		} else if (strcmp(kw, "user") == 0) {
			char *s = word(&p);
			no_more(p);
			if (strcmp(s, "-") == 0) {
				ev.sid_len = 0;
			} else {
				int n = parse_sid(s, ev.sid);
				if (n < 0)
					fail_line("bad SID \"%s\"", s);
				ev.sid_len = (size_t)n;
			}
		} else if (strcmp(kw, "data") == 0 ||
			   strcmp(kw, "data~") == 0) {
			/* NAME, then one blank, then the value verbatim. */
			while (*p == ' ' || *p == '\t')
				p++;
			char *name = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			size_t nlen = (size_t)(p - name);
			if (nlen == 0)
				fail_line("data needs a NAME");
			if (*p)
				p++;
			tmp16.len = 0;
			if (utf8_to_utf16(&tmp16, (uint8_t *)name, nlen))
				fail_line("data name is not valid UTF-8");
			if (kw[4] == '~') {
				unescape(p, &val);
				add_field(&ev, name, nlen, val.b, val.len);
			} else {
				add_field(&ev, name, nlen, (uint8_t *)p,
					  strlen(p));
			}
			if (ev.nf > 0xffff - S_DATA)
				fail_line("too many data fields");
		} else if (strcmp(kw, "event") == 0) {
			fail_line("\"event\" inside an event (missing \"end\")");
		} else {
			fail_line("unknown event line \"%s\"", kw);
		}
	}
	if (ferror(in))
		fail_io(desc_name);
	if (in_event) {
		lineno++;
		fail_line("end of description inside an event (missing "
			  "\"end\")");
	}
	chunk_flush();

	/* File header. */
	uint32_t hchunks = nchunks;
	uint64_t next_id = have_alloc ? last_alloc_id + 1 : 1;
	if (dirty && nchunks > 0) {
		hchunks = nchunks > 1 ? nchunks - 1 : 1;
		next_id = stale_next_id;
	}
	memcpy(header, "ElfFile", 8);
	le64(header + 8, 0);
	le64(header + 16, hchunks ? hchunks - 1 : 0);
	le64(header + 24, next_id);
	le32(header + 32, 128);
	le16(header + 36, 1);
	le16(header + 38, 3);
	le16(header + 40, FILE_HEADER_SIZE);
	le16(header + 42, (uint16_t)hchunks);
	le32(header + 120, dirty ? 1 : 0);
	le32(header + 124, crc32_update(0, header, 120));
	if (fflush(out) || fseek(out, 0, SEEK_SET) ||
	    fwrite(header, 1, sizeof header, out) != sizeof header ||
	    fclose(out))
		fail_io(argv[2]);
	if (in != stdin)
		fclose(in);
	free(line);
	free(val.b);
	free(ev.arena.b);
	free(ev.f);
	free(ev.provider.b);
	free(ev.channel.b);
	free(ev.computer.b);
	return 0;
}
