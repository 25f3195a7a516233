/* scan + parse through libevtx: every allocated record of a file, then
 * (unless told not to) every record libevtx recovers from slack. */
#include <errno.h>
#include <fcntl.h>
#include <libevtx.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hash.h"
#include "reader.h"
#include "rule.h"
#include "strbuf.h"
#include "timefmt.h"

/* libevtx's error text is a backtrace, one line a frame, the innermost
 * (most specific) frame first: keep that line. */
static void error_text(libevtx_error_t *error, char *buf, size_t size)
{
	char full[2048] = "";
	libevtx_error_sprint(error, full, sizeof full);
	libevtx_error_free(&error);
	size_t n = strlen(full);
	while (n > 0 && (full[n - 1] == '\n' || full[n - 1] == ' '))
		full[--n] = '\0';
	char *eol = strchr(full, '\n');
	if (eol)
		*eol = '\0';
	size_t len = strlen(full) < size ? strlen(full) : size - 1;
	memcpy(buf, full, len);   /* cut to size: it is one line of a message */
	buf[len] = '\0';
}

/* A file cut short (a copy interrupted, a carved file) still opens in
 * libevtx, which then quietly reads fewer chunks: say so. */
static void check_length(struct input *in, int fd)
{
	unsigned char header[44];
	if (pread(fd, header, sizeof header, 0) != (ssize_t)sizeof header)
		return;
	unsigned chunks = header[42] | header[43] << 8;
	uint64_t want = 4096 + (uint64_t)chunks * 65536;
	if (in->size < want)
		input_note(in, INPUT_PARTIAL, "truncated: the header declares %u chunks "
			   "(%llu bytes), the file has %llu bytes", chunks,
			   (unsigned long long)want, (unsigned long long)in->size);
}

/* The SHA-256 is taken from the bytes as they are on disk, before
 * libevtx reads them. */
static int hash_input(struct input *in)
{
	int fd = open(in->path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	uint64_t bytes = 0;

	if (fd < 0 || sha256_fd(fd, in->sha256, &bytes) != 0) {
		input_note(in, INPUT_FAILED, "cannot read: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	in->size = bytes;
	check_length(in, fd);
	close(fd);
	return 0;
}

static char *utf8_computer(libevtx_record_t *record)
{
	size_t size = 0;
	if (libevtx_record_get_utf8_computer_name_size(record, &size, NULL) != 1 ||
	    size == 0)
		return NULL;
	char *s = xmalloc(size);
	if (libevtx_record_get_utf8_computer_name(record, (uint8_t *)s, size, NULL) != 1) {
		free(s);
		return NULL;
	}
	return s;
}

static char *utf8_xml(libevtx_record_t *record)
{
	size_t size = 0;
	if (libevtx_record_get_utf8_xml_string_size(record, &size, NULL) != 1 ||
	    size == 0)
		return NULL;
	char *s = xmalloc(size);
	if (libevtx_record_get_utf8_xml_string(record, (uint8_t *)s, size, NULL) != 1) {
		free(s);
		return NULL;
	}
	return s;
}

struct pass {
	struct input *in;
	uint32_t input_index;
	event_sink sink;
	void *ctx;
	bool recovered;
	uint64_t errors;
};

/* Copies what rmmhunt needs out of one record. libevtx 20181227 frees
 * older records' data from its cache, so nothing of the record may be
 * kept past this function. Returns 0, or -1 when the sink said stop. */
static int take_record(struct pass *ps, libevtx_record_t *record)
{
	uint64_t written = 0;
	uint32_t event_id = 0;
	bool have_written = libevtx_record_get_written_time(record, &written, NULL) == 1;

	if (!ps->recovered) {
		if (have_written)
			input_add_time(ps->in, (int64_t)written);
		char *computer = utf8_computer(record);
		if (computer)
			input_add_computer(ps->in, computer);
		free(computer);
	}
	/* Cheap test first: only Event ID 7 records are rendered. */
	if (libevtx_record_get_event_identifier(record, &event_id, NULL) != 1 ||
	    (event_id & 0xffff) != 7)
		return 0;
	char *xml = utf8_xml(record);
	struct event ev = { 0 };
	if (!xml || parse_event_xml(xml, &ev) != 0) {
		free(xml);
		event_clear(&ev);
		ps->errors++;
		return 0;
	}
	free(xml);
	uint64_t identifier = 0;
	if (ev.record_id == 0 && libevtx_record_get_identifier(record, &identifier, NULL) == 1)
		ev.record_id = identifier;
	if (ev.time == TIME_NONE && have_written)
		ev.time = (int64_t)written;
	off64_t offset = 0;
	if (libevtx_record_get_offset(record, &offset, NULL) == 1)
		ev.offset = (uint64_t)offset;
	ev.recovered = ps->recovered;
	ev.input = ps->input_index;
	int rc = 0;
	if (rule_selects(&ev)) {
		if (ps->recovered)
			ps->in->eid7_recovered++;
		else
			ps->in->eid7++;
		rc = ps->sink(ps->ctx, &ev);
	}
	event_clear(&ev);
	return rc;
}

typedef int (*get_record_fn)(libevtx_file_t *, int, libevtx_record_t **,
			     libevtx_error_t **);

static int read_records(struct pass *ps, libevtx_file_t *file, int count,
			get_record_fn get)
{
	for (int i = 0; i < count; i++) {
		libevtx_record_t *record = NULL;
		if (get(file, i, &record, NULL) != 1) {
			ps->errors++;
			continue;
		}
		int rc = take_record(ps, record);
		libevtx_record_free(&record, NULL);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int read_evtx(struct input *in, uint32_t input_index,
	      const struct read_options *opt, event_sink sink, void *ctx)
{
	libevtx_file_t *file = NULL;
	libevtx_error_t *error = NULL;
	char reason[512];
	int allocated = 0, recovered = 0;

	if (hash_input(in) != 0)
		return -1;
	if (libevtx_file_initialize(&file, &error) != 1 ||
	    libevtx_file_open(file, in->path, LIBEVTX_OPEN_READ, &error) != 1) {
		error_text(error, reason, sizeof reason);
		input_note(in, INPUT_FAILED, "libevtx cannot open it: %s", reason);
		libevtx_file_free(&file, NULL);
		return -1;
	}
	uint32_t flags = 0;
	if (libevtx_file_get_flags(file, &flags, NULL) == 1)
		in->dirty = (flags & LIBEVTX_FILE_FLAG_IS_DIRTY) != 0;
	libevtx_file_get_number_of_records(file, &allocated, NULL);
	if (opt->recovered)
		libevtx_file_get_number_of_recovered_records(file, &recovered, NULL);

	struct pass ps = { in, input_index, sink, ctx, false, 0 };
	int rc = read_records(&ps, file, allocated, libevtx_file_get_record_by_index);
	uint64_t allocated_errors = ps.errors;
	in->records = (uint64_t)allocated - allocated_errors;
	if (rc == 0 && opt->recovered) {
		ps.recovered = true;
		ps.errors = 0;
		rc = read_records(&ps, file, recovered, libevtx_file_get_recovered_record_by_index);
		/* Most recovered records that fail are fragments, not losses:
		 * they are counted, not held against the file. */
		in->recovered = (uint64_t)recovered - ps.errors;
		in->recovered_errors = ps.errors;
	}
	in->record_errors = allocated_errors;
	if (allocated_errors)
		input_note(in, INPUT_PARTIAL, "%llu of %d records could not be read",
			   (unsigned long long)allocated_errors, allocated);
	if (libevtx_file_is_corrupted(file, NULL) == 1)
		input_note(in, INPUT_PARTIAL, "libevtx reports damaged chunks");
	libevtx_file_close(file, NULL);
	libevtx_file_free(&file, NULL);
	return rc;
}
