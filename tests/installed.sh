#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
# Checks an installed rmmhunt against the evidence it ships, as a user
# would run it. Used by tests/install.test (a DESTDIR install) and by the
# Debian package's autopkgtest (debian/tests/control, the system paths).
#
# Usage: installed.sh RMMHUNT SAMPLE_DIR ALLOWLIST_EXAMPLE WORKDIR
# Exits 0 when every check holds, 1 (naming the check) when one fails,
# The image check is skipped, with a line saying so, without ntfs-3g.
set -u
rmmhunt=$1 sample=$2 allowlist=$3 work=$4
failed=0
fail() { echo "FAIL: $*"; failed=1; }
ok() { echo "ok: $*"; }

# --version names the libraries it runs with.
v=$("$rmmhunt" --version) || fail "--version exits non-zero"
for lib in libevtx libtsk OpenSSL; do
	printf '%s\n' "$v" | grep -q "^  $lib " || fail "--version does not name $lib"
done
printf '%s\n' "$v" | grep -q 'cannot be loaded' && fail "--version: a library cannot be loaded"
ok "--version"

# The sample evidence: 10 finding rows on three hosts; ws02's log has a
# damaged chunk, so the run is partial: exit status 5 (findings, and a
# part not read).
"$rmmhunt" --csv "$work/sample.csv" --json "$work/sample.json" --html "$work/sample.html" \
	"$sample" 2>"$work/sample.err"
rc=$?
[ "$rc" -eq 5 ] || fail "sample: exit status $rc, expected 5"
rows=$(($(wc -l < "$work/sample.csv") - 1))
[ "$rows" -eq 10 ] || fail "sample: $rows CSV rows, expected 10"
for host in WS01.corp.example WS02.corp.example HELPDESK01.corp.example; do
	grep -q ",$host," "$work/sample.csv" || fail "sample: no row for $host"
done
head -1 "$work/sample.csv" | grep -q '^Image,ImageLoaded,dest,' || fail "sample: CSV header"
grep -q 'ws02-sysmon.evtx: partly read' "$work/sample.err" || fail "sample: the damaged chunk not named"
grep -q '</html>' "$work/sample.html" || fail "sample: HTML report incomplete"
ok "sample evidence: exit 5, 10 rows"

# The example allowlist parses and suppresses the help desk's own rows.
"$rmmhunt" --allowlist "$allowlist" --csv "$work/allow.csv" "$sample" 2>/dev/null
rc=$?
[ "$rc" -eq 5 ] || fail "allowlist: exit status $rc, expected 5"
grep -q 'HELPDESK01' "$work/allow.csv" && fail "allowlist: HELPDESK01 rows not suppressed"
rows=$(($(wc -l < "$work/allow.csv") - 1))
[ "$rows" -eq 8 ] || fail "allowlist: $rows rows, expected 8"
ok "example allowlist"

# The same log inside an NTFS volume image (The Sleuth Kit, loaded when
# the run meets the image): the same rows for its host.
if command -v mkntfs >/dev/null && command -v ntfscp >/dev/null; then
	mkdir -p "$work/evidence"
	img=$work/evidence/volume.raw
	rm -f "$img"
	truncate -s 16M "$img"
	mkntfs -q -F -f -L EVIDENCE "$img" >/dev/null 2>&1 || fail "mkntfs"
	ntfscp -q "$img" "$sample/ws01-sysmon.evtx" ws01-sysmon.evtx >/dev/null 2>&1 || fail "ntfscp"
	"$rmmhunt" --csv "$work/image.csv" "$img" 2>"$work/image.err"
	rc=$?
	[ "$rc" -eq 1 ] || fail "image: exit status $rc, expected 1 (findings)"
	want=$(grep -c ',WS01.corp.example,' "$work/sample.csv")
	got=$(grep -c ',WS01.corp.example,' "$work/image.csv")
	if [ "$got" -ne "$want" ] || [ "$got" -eq 0 ]; then
		fail "image: $got WS01 rows, expected $want"
	fi
	ok "NTFS image: $got rows"
else
	echo "skip: NTFS image check (mkntfs/ntfscp from ntfs-3g not found)"
fi
exit $failed
