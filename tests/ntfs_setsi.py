#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Changes a file's MFT record on an NTFS volume image, in place, as
Windows or a tool would, without mounting it:

    ntfs_setsi.py VOLUME ENTRY YYYY-MM-DDTHH:MM:SS
        sets the creation time in the file's $STANDARD_INFORMATION, as a
        timestomping tool does ($FILE_NAME keeps its own);
    ntfs_setsi.py --deleted VOLUME ENTRY DIR_ENTRY
        deletes the file as Windows does: its record is no longer in use,
        and its entry leaves the directory's index (a resident
        $INDEX_ROOT: a small directory) for the index's slack, where
        forensic tools find it.

Records are found through the $MFT's data runs as The Sleuth Kit's istat
lists them (not read by this script), and each record's number is checked
in the record itself; its fixups are undone to change it and made again
to write it. The tests read the result back with istat and fls.
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


def record_at(f, vol, entry):
    """(offset, bytes) of MFT record entry, its fixups undone."""
    f.seek(0)
    boot = f.read(512)
    sector, spc = struct.unpack_from("<HB", boot, 0x0B)
    cluster = sector * spc
    c = struct.unpack_from("<b", boot, 0x40)[0]
    size = 1 << -c if c < 0 else c * cluster
    at = entry * size
    off = mft_clusters(vol)[at // cluster] * cluster + at % cluster
    f.seek(off)
    rec = bytearray(f.read(size))
    assert rec[:4] == b"FILE", "no FILE record at %d" % off
    assert struct.unpack_from("<I", rec, 0x2C)[0] == entry, "record number differs"
    usa, count = struct.unpack_from("<HH", rec, 4)
    for i in range(1, count):
        end = i * sector - 2
        assert rec[end:end + 2] == rec[usa:usa + 2], "a fixup does not match"
        rec[end:end + 2] = rec[usa + 2 * i:usa + 2 * i + 2]
    return off, rec, sector


def write_record(f, off, rec, sector):
    """Writes rec back at off with its fixups made again."""
    rec = bytearray(rec)
    usa, count = struct.unpack_from("<HH", rec, 4)
    for i in range(1, count):
        end = i * sector - 2
        rec[usa + 2 * i:usa + 2 * i + 2] = rec[end:end + 2]
        rec[end:end + 2] = rec[usa:usa + 2]
    f.seek(off)
    f.write(rec)


def attribute(rec, kind):
    """The offset of the record's first attribute of that type, and where
    its resident content starts."""
    a = struct.unpack_from("<H", rec, 0x14)[0]
    while struct.unpack_from("<I", rec, a)[0] != kind:
        assert struct.unpack_from("<I", rec, a)[0] != 0xFFFFFFFF, "no attribute %#x" % kind
        a += struct.unpack_from("<I", rec, a + 4)[0]
    return a, a + struct.unpack_from("<H", rec, a + 0x14)[0]


def set_created(f, vol, entry, when):
    off, rec, sector = record_at(f, vol, entry)
    _, content = attribute(rec, 0x10)
    t = datetime.datetime.fromisoformat(when).replace(tzinfo=datetime.timezone.utc)
    ticks = int((t - datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc))
                .total_seconds()) * 10_000_000
    struct.pack_into("<Q", rec, content, ticks)
    write_record(f, off, rec, sector)


def delete(f, vol, entry, parent):
    off, rec, sector = record_at(f, vol, entry)
    struct.pack_into("<H", rec, 0x16, struct.unpack_from("<H", rec, 0x16)[0] & ~1)
    write_record(f, off, rec, sector)
    off, rec, sector = record_at(f, vol, parent)
    _, content = attribute(rec, 0x90)
    node = content + 16                      # after the index root's header
    first, used, alloc = struct.unpack_from("<III", rec, node)
    entries, pos, gone = [], node + first, None
    while True:
        length = struct.unpack_from("<H", rec, pos + 8)[0]
        flags = struct.unpack_from("<I", rec, pos + 12)[0]
        ref = struct.unpack_from("<Q", rec, pos)[0] & 0xFFFFFFFFFFFF
        e = bytes(rec[pos:pos + length])
        if not flags & 2 and ref == entry:
            gone = e
        else:
            entries.append(e)
        if flags & 2:                        # the last entry
            break
        pos += length
    assert gone is not None, "entry %d is not in the index of %d" % (entry, parent)
    kept = b"".join(entries)
    region = kept + gone                     # the removed entry, in slack
    assert first + len(region) <= alloc
    rec[node + first:node + first + len(region)] = region
    struct.pack_into("<I", rec, node + 4, first + len(kept))
    write_record(f, off, rec, sector)


def main():
    with open(sys.argv[2] if sys.argv[1] == "--deleted" else sys.argv[1], "r+b") as f:
        if sys.argv[1] == "--deleted":
            delete(f, sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        else:
            set_created(f, sys.argv[1], int(sys.argv[2]), sys.argv[3])


if __name__ == "__main__":
    main()
