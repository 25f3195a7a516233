/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* The rules over events, one row a rule (rules.h: struct event_rule).
 * A new rule is its own file and one row here: the reader, the
 * pre-filter and the worker take what they need from the row. The test
 * suite links a table of its own in place of this file, with a rule
 * only it has (tests/rule-table.test), to show that nothing else is
 * needed. */
#include "rules.h"

extern const struct event_rule netsupport_process_rule, log_cleared_rule;

const struct event_rule *const event_rules[] = {
	&netsupport_process_rule,
	&log_cleared_rule,
	NULL,
};
