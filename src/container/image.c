/* image: the format table, the bids, and the formats that need no
 * library (raw, split raw). The libyal formats are in image_libyal.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "image.h"
#include "image_formats.h"
#include "strbuf.h"

#define BID_BYTES 1024

static const char *const names[IMAGE_FORMAT_COUNT] = {
#define X(e, n, b, o) n,
	IMAGE_FORMATS(X)
#undef X
};

typedef enum image_bid (*bid_fn)(const uint8_t *head, size_t n, struct source *file,
				 const char *path);
typedef struct source *(*open_fn)(const char *path, char **detail, char *err, size_t errsz);

static const bid_fn bids[IMAGE_FORMAT_COUNT] = {
#define X(e, n, b, o) b,
	IMAGE_FORMATS(X)
#undef X
};

static const open_fn opens[IMAGE_FORMAT_COUNT] = {
#define X(e, n, b, o) o,
	IMAGE_FORMATS(X)
#undef X
};

const char *image_format_name(enum image_format f)
{
	return f >= 0 && f < IMAGE_FORMAT_COUNT ? names[f] : "unknown";
}

enum image_format image_format_by_name(const char *name)
{
	for (int f = 0; f < IMAGE_FORMAT_COUNT; f++)
		if (strcmp(names[f], name) == 0)
			return (enum image_format)f;
	return IMAGE_NONE;
}

/* The table is in order of precedence: the container formats first, raw
 * (which any disk or volume bids for) last. */
enum image_format image_bid(struct source *file, const char *path, bool *part)
{
	uint8_t head[BID_BYTES] = { 0 };
	ssize_t n = source_read(file, 0, head, sizeof head);
	*part = false;
	if (n <= 0)
		return IMAGE_NONE;
	for (int f = 0; f < IMAGE_FORMAT_COUNT; f++) {
		enum image_bid b = bids[f](head, (size_t)n, file, path);
		if (b == BID_PART) {
			*part = true;
			return (enum image_format)f;
		}
		if (b == BID_YES)
			return (enum image_format)f;
	}
	return IMAGE_NONE;
}

struct source *image_open(enum image_format f, const char *path, char **detail,
			  char *err, size_t errsz)
{
	if (detail)
		*detail = NULL;
	if (f < 0 || f >= IMAGE_FORMAT_COUNT) {
		source_set_err(err, errsz, "unknown image format");
		return NULL;
	}
	return opens[f](path, detail, err, errsz);
}

/* ---- raw: a disk (MBR, GPT) or a bare volume (NTFS, BitLocker) ------ */

bool raw_looks_like_disk(const uint8_t *head, size_t n)
{
	if (n >= 520 && memcmp(head + 512, "EFI PART", 8) == 0)
		return true;
	if (n >= 11 && (memcmp(head + 3, "NTFS    ", 8) == 0 ||
			memcmp(head + 3, "-FVE-FS-", 8) == 0))
		return true;
	/* An MBR: the boot signature and four entries whose status bytes
	 * are 0x00 or 0x80 (which text or an EVTX header seldom are). */
	if (n < 512 || head[510] != 0x55 || head[511] != 0xaa)
		return false;
	for (int i = 0; i < 4; i++) {
		uint8_t status = head[446 + 16 * i];
		if (status != 0 && status != 0x80)
			return false;
	}
	return true;
}

enum image_bid raw_bid(const uint8_t *head, size_t n, struct source *file, const char *path)
{
	(void)file, (void)path;
	return raw_looks_like_disk(head, n) ? BID_YES : BID_NO;
}

struct source *raw_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)detail;
	return source_file_open(path, err, errsz);
}

/* ---- split raw: disk.001, disk.002, ... (also .000, .aa) ---------- */

/* The name of the part after name, or NULL when its suffix does not
 * count (digits: .001 -> .002; letters: .aa -> .ab). */
static char *next_part_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || !dot[1] || strchr(dot, '/'))
		return NULL;
	char *next = xstrdup(name);
	char *suffix = next + (dot - name) + 1;
	size_t len = strlen(suffix);
	bool digits = strspn(suffix, "0123456789") == len;
	bool letters = strspn(suffix, "abcdefghijklmnopqrstuvwxyz") == len;
	if (!digits && !letters) {
		free(next);
		return NULL;
	}
	char lo = digits ? '0' : 'a', hi = digits ? '9' : 'z';
	for (size_t i = len; i-- > 0;) {
		if (suffix[i] != hi) {
			suffix[i]++;
			return next;
		}
		suffix[i] = lo;
	}
	free(next);   /* .999 or .zz: no next part */
	return NULL;
}

static bool is_first_part(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (strcmp(dot, ".001") == 0 || strcmp(dot, ".000") == 0 ||
		       strcmp(dot, ".aa") == 0);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

enum image_bid split_bid(const uint8_t *head, size_t n, struct source *file, const char *path)
{
	(void)file;
	if (!is_first_part(path) || !raw_looks_like_disk(head, n))
		return BID_NO;
	char *next = next_part_name(path);
	bool yes = next && exists(next);
	free(next);
	return yes ? BID_YES : BID_NO;
}

#define SPLIT_MAX_PARTS 100000

struct source *split_open(const char *path, char **detail, char *err, size_t errsz)
{
	(void)detail;
	struct source **parts = NULL;
	size_t n = 0;
	char *name = xstrdup(path);
	while (name && exists(name) && n < SPLIT_MAX_PARTS) {
		char perr[SOURCE_ERR_MAX];
		struct source *p = source_file_open(name, perr, sizeof perr);
		if (!p) {
			source_set_err(err, errsz, "part %s: %s", name, perr);
			free(name);
			for (size_t i = 0; i < n; i++)
				source_close(parts[i]);
			free(parts);
			return NULL;
		}
		parts = xrealloc(parts, (n + 1) * sizeof *parts);
		parts[n++] = p;
		char *next = next_part_name(name);
		free(name);
		name = next;
	}
	free(name);
	struct source *s = source_concat(parts, n);
	free(parts);
	if (!s)
		source_set_err(err, errsz, "out of memory");
	return s;
}
