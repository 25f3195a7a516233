/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* libFuzzer target: a part (a JSON report another machine wrote, maybe
 * damaged or edited) through part_parse: the walk of the report's top
 * level, then jansson and every member check of part_read.c. */
#include <stdint.h>
#include <string.h>

#include "part.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct part p;
	char err[512];
	memset(&p, 0, sizeof p);
	(void)part_parse((const char *)data, size, &p, err, sizeof err);
	part_free(&p);
	return 0;
}
