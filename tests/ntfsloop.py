# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Makes an NTFS directory loop, for the hostile-layer tests.

  ntfsloop.py VOLUME DIR_ENTRY TARGET_ENTRY TARGET_SEQ

In the MFT record DIR_ENTRY (a small directory: its index is resident,
in $INDEX_ROOT), the first index entry is made to point at MFT entry
TARGET_ENTRY (sequence TARGET_SEQ), an ancestor directory: walking the
tree by names then comes back to where it was. The record's update
sequence (the last two bytes of each sector) is left alone.
"""
import struct
import sys

vol_path, dir_entry, target, seq = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open(vol_path, "r+b") as f:
    boot = f.read(512)
    sector = struct.unpack_from("<H", boot, 11)[0]
    cluster = sector * boot[13]
    mft = struct.unpack_from("<Q", boot, 48)[0] * cluster
    raw = struct.unpack_from("<b", boot, 64)[0]
    rec_size = raw * cluster if raw > 0 else 1 << -raw
    at = mft + dir_entry * rec_size
    f.seek(at)
    rec = bytearray(f.read(rec_size))
    assert rec[:4] == b"FILE", "not an MFT record"
    off = struct.unpack_from("<H", rec, 20)[0]
    while True:
        atype, alen = struct.unpack_from("<II", rec, off)
        if atype == 0xFFFFFFFF:
            sys.exit("no $INDEX_ROOT")
        if atype == 0x90:
            break
        off += alen
    value = off + struct.unpack_from("<H", rec, off + 20)[0]
    entries = value + 16 + struct.unpack_from("<I", rec, value + 16)[0]
    ref = target | seq << 48
    struct.pack_into("<Q", rec, entries, ref)
    for s in range(sector - 2, rec_size, sector):
        assert not (entries <= s < entries + 8), "the reference crosses a fixup"
    f.seek(at)
    f.write(rec)
