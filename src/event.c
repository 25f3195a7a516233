/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "strbuf.h"

const char *const event_data_name[EF_COUNT] = {
#define EVENT_FIELD_NAME(e, name, kept) [e] = name,
	EVENT_FIELDS(EVENT_FIELD_NAME)
#undef EVENT_FIELD_NAME
};

const bool event_field_kept[EF_COUNT] = {
#define EVENT_FIELD_KEPT(e, name, kept) [e] = kept,
	EVENT_FIELDS(EVENT_FIELD_KEPT)
#undef EVENT_FIELD_KEPT
};

void event_clear(struct event *ev)
{
	for (int i = 0; i < EF_COUNT; i++)
		free(ev->field[i]);
	memset(ev, 0, sizeof *ev);
}

int event_copy(struct event *dst, const struct event *src)
{
	*dst = *src;
	for (int i = 0; i < EF_COUNT; i++)
		dst->field[i] = src->field[i] ? xstrdup(src->field[i]) : NULL;
	return 0;
}
