/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The table of rules over events that tests/rmmhunt-extra is linked with
 * in place of src/detect/event_rules.c: rmmhunt's rows, and one row more
 * for the rule only the test suite has (process_ended.c). */
#include "rules.h"

extern const struct event_rule netsupport_process_rule, log_cleared_rule,
	test_process_ended_rule;

const struct event_rule *const event_rules[] = {
	&netsupport_process_rule,
	&log_cleared_rule,
	&test_process_ended_rule,
	NULL,
};
