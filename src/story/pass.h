/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* story pass: after the detection, the logs of the hosts with findings
 * are read again by the workers, by value (want.h), and st gets its
 * stories (story.h). Parents are found a level a pass: a parent's GUID
 * is known only once its child's creation is read, and its own creation
 * was logged earlier, often in another input of the host; so a chain of
 * STORY_PARENTS levels costs up to that many more passes over the
 * host's logs, each parsing only the records naming the GUIDs sought.
 * A run without findings makes no pass at all. */
#ifndef RMMHUNT_PASS_H
#define RMMHUNT_PASS_H

#include "aggregate.h"
#include "input.h"
#include "reader.h"
#include "story.h"
#include "worker.h"

/* Builds st (st->enabled set by the caller) from the inputs of the
 * hosts of f's unsuppressed rows. An input a pass could not read, and a
 * pass that was interrupted, become st->notes; inputs is not changed.
 * Returns 0, or -1 when the workers could not be started (noted too). */
int story_read(struct stories *st, const struct findings *f, const struct input_list *inputs,
	       const struct read_options *ropt, const struct worker_options *wopt);

#endif
