/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: a hostile file named like one of NetSupport's,
 * through the file reader (PE headers, the certificate table, OpenSSL's
 * PKCS#7 reading of it) and the file rule, from memory. Every string
 * handed on must be NUL-ended; a signer only comes with PE_SIGNED. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authenticode.h"
#include "file.h"
#include "rules.h"
#include "source.h"
#include "strbuf.h"

static int sink(void *ctx, struct trace *t)
{
	(void)ctx;
	if (!t->kind || !t->detail || (!t->executable && !t->modules))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *src = source_memory(data, size);
	struct input in;
	struct read_options opt = { 0 };
	struct file_facts f;
	if (!src)
		return 0;
	memset(&in, 0, sizeof in);
	in.path = "/evidence/Users/bob/AppData/Roaming/NS/client32.exe";
	file_read(src, &in, &f);
	if ((f.pe == PE_SIGNED) != (f.signer != NULL) || (f.pe == PE_UNREADABLE && !f.sign_note))
		abort();
	free(file_summary(&f));
	rules_file(&f, &opt, 0, sink, NULL);
	file_free(&f);
	source_close(src);
	return 0;
}
