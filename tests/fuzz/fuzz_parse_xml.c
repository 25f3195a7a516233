/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: parse_event_xml on the input, NUL-terminated, as if
 * libevtx had rendered it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = malloc(size + 1);
	if (!xml)
		return 0;
	memcpy(xml, data, size);
	xml[size] = '\0';
	struct event ev;
	memset(&ev, 0, sizeof ev);
	(void)parse_event_xml(xml, &ev);
	for (int f = 0; f < EF_COUNT; f++)
		if (ev.field[f] && strlen(ev.field[f]) > size)
			abort();
	event_clear(&ev);
	free(xml);
	return 0;
}
