# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
# Turns a style sheet or script into a C string literal for the report
# (as jq embeds builtin.jq): the file stays readable, the page carries
# it as one line. Whole-line comments (/* ... */ or //) are for the
# reader of the file and are left out; leading white space is dropped
# and the lines are joined with nothing between them, so a rule or a
# statement must not be split where a space matters.
/^[[:space:]]*\/\*.*\*\/[[:space:]]*$/d
/^[[:space:]]*\/\//d
/^[[:space:]]*$/d
s/^[[:space:]]*//
s/\\/\\\\/g
s/"/\\"/g
s/^/"/
s/$/"/
