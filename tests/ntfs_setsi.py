#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Sets the creation time in a file's $STANDARD_INFORMATION attribute on
an NTFS volume image, in place, as a timestomping tool does ($FILE_NAME
keeps its own): the file's MFT record is found through the $MFT's data
runs as The Sleuth Kit's istat lists them (not read by this script), and
its number checked in the record itself. The tests read the result back
with istat.

    ntfs_setsi.py VOLUME ENTRY YYYY-MM-DDTHH:MM:SS
"""
import datetime
import re
import struct
import subprocess
import sys


def mft_clusters(vol):
    out = subprocess.run(["istat", "-f", "ntfs", vol, "0"], capture_output=True,
                         text=True, check=True).stdout
    part = out.split("Type: $DATA (128-", 1)[1].split("\n", 1)[1]
    clusters = []
    for line in part.splitlines():
        if not re.match(r"^[\d ]+$", line.strip() or "x"):
            break
        clusters += [int(x) for x in line.split()]
    return clusters


def main():
    vol, entry, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(vol, "r+b") as f:
        boot = f.read(512)
        sector, spc = struct.unpack_from("<HB", boot, 0x0B)
        cluster = sector * spc
        c = struct.unpack_from("<b", boot, 0x40)[0]
        record = 1 << -c if c < 0 else c * cluster
        clusters = mft_clusters(vol)
        at = entry * record
        off = clusters[at // cluster] * cluster + at % cluster
        f.seek(off)
        rec = bytearray(f.read(record))
        assert rec[:4] == b"FILE", "no FILE record at %d" % off
        assert struct.unpack_from("<I", rec, 0x2C)[0] == entry, "record number differs"
        a = struct.unpack_from("<H", rec, 0x14)[0]
        while struct.unpack_from("<I", rec, a)[0] != 0x10:
            a += struct.unpack_from("<I", rec, a + 4)[0]
        content = a + struct.unpack_from("<H", rec, a + 0x14)[0]
        t = datetime.datetime.fromisoformat(when).replace(tzinfo=datetime.timezone.utc)
        ticks = int((t - datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc))
                    .total_seconds()) * 10_000_000
        assert content + 8 < 510, "the time would cross a sector's fixup"
        struct.pack_into("<Q", rec, content, ticks)
        f.seek(off)
        f.write(rec)


if __name__ == "__main__":
    main()
