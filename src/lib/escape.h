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
 * apostrophe. So that a row is always one line for every reader, and
 * nothing in it acts on a terminal: C0 controls (TAB too) and DEL become
 * Unicode Control Pictures (LF as U+240A); C1 controls, U+2028, U+2029
 * and bidirectional controls become "<U+0085>"; a byte that is not UTF-8
 * becomes "<0x9B>". Such a cell is quoted. */
void csv_cell(struct strbuf *out, const char *value, bool neutralise);

/* The value of a hexadecimal digit (either case), or -1: for decoding
 * what collectors and renderers escape (%XX, GUIDs). */
int hex_value(int c);

/* HTML text and attribute values: & < > " ' escaped; C0 controls but TAB
 * and LF, and DEL, as references to their Control Pictures (ESC as
 * &#x241B;); C1 controls, U+2028, U+2029 and bidirectional controls as
 * "&lt;U+0085&gt;"; a byte that is not UTF-8 as "&lt;0x9B&gt;". The
 * report then holds no byte that acts on a terminal that cat's it. */
void html_text(struct strbuf *out, const char *value);

/* JSON string with quotes. C0 and C1 controls, DEL, U+2028/U+2029 and
 * bidirectional controls are escaped (\u0085), and < > & too so the text
 * can sit inside an HTML <script>; a byte that is not UTF-8 becomes
 * U+FFFD. */
void json_quote(struct strbuf *out, const char *value);

/* A string read back byte for byte (the JSON part section, for merge):
 * valid UTF-8 as json_quote writes it; anything else as an object
 * {"hex":"..."} of its bytes, which json_quote would have changed. */
void json_quote_exact(struct strbuf *out, const char *value);

/* For the terminal: C0 controls, DEL and invalid UTF-8 bytes as \xNN,
 * C1 controls and bidirectional overrides as \u{XXXX}, so that a hostile
 * path cannot move the cursor, retitle the window or reorder the text. */
void term_text(struct strbuf *out, const char *value);

/* Convenience: term_text into a static-free new string; caller frees. */
char *term_safe(const char *value);

#endif
