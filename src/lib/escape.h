/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 The rmmhunt developers */
/* Escaping for each place an attacker-controlled string can land. */
#ifndef RMMHUNT_ESCAPE_H
#define RMMHUNT_ESCAPE_H

#include <stdbool.h>
#include "strbuf.h"

/* RFC 4180 cell, quoted only when needed. With neutralise, a cell a
 * spreadsheet would run as a formula (first byte = + - @ TAB CR; a lone
 * "-", Sysmon's empty value, excepted) is quoted and gets a leading
 * apostrophe. Control characters other than TAB become Unicode Control
 * Pictures (LF as U+240A) so that a row is always one line. */
void csv_cell(struct strbuf *out, const char *value, bool neutralise);

/* HTML text and attribute values: & < > " ' escaped. */
void html_text(struct strbuf *out, const char *value);

/* JSON string with quotes. Controls are escaped, and < > & too so the
 * text can sit inside an HTML <script>; a byte that is not UTF-8 becomes
 * U+FFFD. */
void json_string(struct strbuf *out, const char *value);

/* For the terminal: C0 controls, DEL and invalid UTF-8 bytes as \xNN,
 * C1 controls and bidirectional overrides as \u{XXXX}, so that a hostile
 * path cannot move the cursor, retitle the window or reorder the text. */
void term_text(struct strbuf *out, const char *value);

/* Convenience: term_text into a static-free new string; caller frees. */
char *term_safe(const char *value);

#endif
