# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
# Shared by the script tests. Exit codes follow automake: 0 pass, 1 fail,
# 77 skip.
set -u
: "${top_srcdir:=.}"
top_srcdir=$(cd "$top_srcdir" && pwd)
: "${RMMHUNT:=$top_srcdir/src/rmmhunt}"
: "${EVTXWRITE:=$top_srcdir/tests/evtxwrite}"
: "${PYTHON3:=/usr/bin/python3}"

failures=0
passes=0

pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }
skip_all() { echo "SKIP: $*"; exit 77; }

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# new_tmpdir: TMP for evidence, OUT (a folder of its own, outside TMP)
# for reports, which rmmhunt refuses to write inside an input directory
# or an image's folder.
new_tmpdir() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/rmmhunt-test.XXXXXX")
	OUT=$(mktemp -d "${TMPDIR:-/tmp}/rmmhunt-reports.XXXXXX")
	trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP" "$OUT"' EXIT
}

# corpus_dir: the public corpus (its MANIFEST.tsv), RMMHUNT_CORPUS where
# that is set, else ../shared/corpus beside the checkout; fails (the
# caller skips) where there is none.
corpus_dir() {
	local d
	for d in ${RMMHUNT_CORPUS:+"$RMMHUNT_CORPUS"} "$top_srcdir/../shared/corpus" \
		 "$top_srcdir/../../shared/corpus"; do
		if [ -f "$d/MANIFEST.tsv" ]; then
			(cd "$d" && pwd)
			return 0
		fi
	done
	return 1
}

# schema_check: every rmmhunt JSON report and JSON Lines file the test
# left in OUT and TMP holds to schema/ (tests/schema_check.py); one check
# when there is any. Without python3-jsonschema, says so and checks none.
# A test that makes a damaged report on purpose names it other than
# *.json (merge.test's oddhex.part).
schema_check() {
	local dirs=() d res rc
	for d in "${OUT:-}" "${TMP:-}"; do
		[ -n "$d" ] && [ -d "$d" ] && dirs+=("$d")
	done
	[ ${#dirs[@]} -gt 0 ] || return 0
	if ! "$PYTHON3" -c 'import jsonschema' 2> /dev/null; then
		echo "NOTE: no python3-jsonschema: the JSON written was not checked against schema/"
		return 0
	fi
	res=$("$PYTHON3" "$top_srcdir/tests/schema_check.py" "$top_srcdir/schema" "${dirs[@]}" 2>&1)
	rc=$?
	[ "$rc" = 3 ] && return 0
	[ "$rc" = 0 ] || printf '%s\n' "$res"
	check "the JSON written holds to the schema (${res##*$'\n'})" [ "$rc" = 0 ]
}

finish() {
	schema_check
	echo "$passes passed, $failures failed"
	[ "$failures" -eq 0 ]
}

# built_without LIB: true when this rmmhunt was configured --without-LIB
# (its --version says so).
built_without() {
	"$RMMHUNT" --version | grep -q "^  $1 *built without it"
}

# need_libs LIB...: skips the whole test when this rmmhunt was built
# without one of them; tests/without.test checks what it says instead.
need_libs() {
	local lib
	for lib; do
		built_without "$lib" &&
			skip_all "this rmmhunt was built without $lib (tests/without.test checks what it says then)"
	done
	return 0
}
