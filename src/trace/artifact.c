/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdlib.h>
#include "artifact.h"

const struct artifact_kind *artifact_kind_of(enum input_kind k)
{
	static const struct artifact_kind *const table[] = {
#define X(kind, desc) &desc,
		ARTIFACT_KINDS(X)
#undef X
	};
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (table[i]->kind == k)
			return table[i];
	return NULL;
}

int read_artifact(struct input *in, uint32_t input_index, const struct read_options *opt,
                  artifact_rules rules, trace_sink sink, void *ctx)
{
	const struct artifact_kind *k = artifact_kind_of((enum input_kind)in->kind);
	char err[SOURCE_ERR_MAX * 2];
	struct source *media;
	if (!k) {
		input_note(in, INPUT_FAILED, "not read: no reader for this kind of evidence");
		return -1;
	}
	struct source *src = read_open(in, opt, &media);
	if (!src)
		return -1;
	uint64_t bytes = 0;
	if (source_sha256(src, in->sha256, &bytes) == 0)
		in->size = bytes;
	int rc = 0;
	void *state = k->read(src, in, err, sizeof err);
	if (!state) {
		input_note(in, INPUT_FAILED, "not read: %s", err);
		rc = -1;
	} else {
		free(in->artifact);
		in->artifact = k->summary(state);
		if (k->partial(state))
			input_note(in, INPUT_PARTIAL, "%s", in->artifact);
		k->times(state, in);
		if (k->hosts)
			k->hosts(state, in);
		if (rules)
			rc = rules(state, opt, input_index, sink, ctx) == 0 ? 0 : -1;
		k->free(state);
	}
	read_close(in, src, media);
	return rc;
}
