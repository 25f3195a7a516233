# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Writes a volume shadow copy into an NTFS volume image, for the tests.

  vsswrite.py OLD NEW OUT [--created ISO8601] [--bad-catalog]

OUT is NEW with one VSS store holding OLD: a reader of shadow copies
(libvshadow, vshadowinfo) gives back OLD's bytes from store 1, and NEW's
from the volume itself. OLD and NEW are two states of one volume (the
same size); NEW is usually OLD changed with ntfs-3g's tools.

Built from libyal's "Volume Shadow Snapshot (VSS) format" document: the
volume header at 0x1e00, a catalog of 16 KiB blocks of 128-byte entries
(type 2: volume size, store id, creation time; type 3: where the store's
block list and header are), a store header block (type 4) and block-list
blocks (type 3) of 32-byte descriptors, each mapping a 16 KiB block of
the volume to its old copy. The range list and bitmaps are left out
(optional for readers). Every structure and copy goes into a 16 KiB
block that NEW's $Bitmap (read with The Sleuth Kit's icat) says is free
and that is zero in both states, so the live file system is untouched.

--bad-catalog points the store's block list outside the volume: a store
that cannot be read, for the hostile-layer tests.
"""
import argparse
import datetime
import struct
import subprocess
import sys
import uuid

BLOCK = 0x4000
VSS_ID = bytes.fromhex("6b87083876c1484eb7ae04046e6cc752")
HEADER_AT = 0x1E00


def filetime(iso):
    t = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    epoch = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)
    return int((t - epoch).total_seconds() * 10_000_000)


def free_clusters(path):
    """NTFS $Bitmap (MFT entry 6) of the volume: one bit a cluster, 1 = used."""
    bitmap = subprocess.run(["icat", "-f", "ntfs", path, "6"], check=True,
                            capture_output=True).stdout
    with open(path, "rb") as f:
        boot = f.read(512)
    cluster = struct.unpack_from("<H", boot, 11)[0] * boot[13]
    return bitmap, cluster


def cluster_used(bitmap, c):
    return c // 8 >= len(bitmap) or (bitmap[c // 8] >> (c % 8)) & 1


def block_header(rtype, relative, current, nxt, size=0):
    return (VSS_ID + struct.pack("<IIQQQQ", 1, rtype, relative, current, nxt, size)
            + bytes(128 - 56))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("out")
    ap.add_argument("--created", default="2024-03-01T02:00:00Z")
    ap.add_argument("--bad-catalog", action="store_true")
    a = ap.parse_args()

    old = open(a.old, "rb").read()
    new = bytearray(open(a.new, "rb").read())
    if len(old) != len(new):
        sys.exit("vsswrite: OLD and NEW differ in size")
    size = len(new)
    nblocks = size // BLOCK
    bitmap, cluster = free_clusters(a.new)
    per = BLOCK // cluster

    def block(buf, b):
        return bytes(buf[b * BLOCK:(b + 1) * BLOCK])

    zero = bytes(BLOCK)
    changed = [b for b in range(nblocks) if block(old, b) != block(new, b)]
    free = [b for b in range(1, nblocks - 1)
            if not any(cluster_used(bitmap, b * per + k) for k in range(per))
            and block(old, b) == zero and block(new, b) == zero and b not in changed]
    per_list = (BLOCK - 128) // 32
    n_lists = max(1, -(-len(changed) // per_list))
    need = 2 + n_lists + len(changed)
    if len(free) < need:
        sys.exit(f"vsswrite: {need} free blocks needed, {len(free)} found")
    cat_b, hdr_b = free[0], free[1]
    list_b = free[2:2 + n_lists]
    copy_b = free[2 + n_lists:need]

    def put(b, data):
        assert len(data) <= BLOCK
        new[b * BLOCK:b * BLOCK + len(data)] = data

    store_id = uuid.uuid4().bytes_le
    # The store: its header block, then the block lists, then the copies;
    # "relative" offsets count from the start of the store.
    info = (uuid.uuid4().bytes_le + uuid.uuid4().bytes_le + uuid.uuid4().bytes_le
            + struct.pack("<IIII", 0x0D, 1, 0x0042000D, 0))
    for name in ("WS01", "WS01"):
        s = name.encode("utf-16-le")
        info += struct.pack("<H", len(s)) + s
    put(hdr_b, block_header(4, 0, hdr_b * BLOCK, 0, len(info)) + info)
    for i, b in enumerate(list_b):
        descs = b""
        for k, (orig, copy) in enumerate(zip(changed[i * per_list:(i + 1) * per_list],
                                             copy_b[i * per_list:(i + 1) * per_list])):
            rel = (1 + n_lists + i * per_list + k) * BLOCK
            descs += struct.pack("<QQQII", orig * BLOCK, rel, copy * BLOCK, 0, 0)
        nxt = list_b[i + 1] * BLOCK if i + 1 < len(list_b) else 0
        put(b, block_header(3, (1 + i) * BLOCK, b * BLOCK, nxt) + descs)
    for orig, copy in zip(changed, copy_b):
        put(copy, block(old, orig))

    list_at = list_b[0] * BLOCK
    if a.bad_catalog:
        list_at = size + 64 * BLOCK
    e2 = struct.pack("<QQ", 2, size) + store_id + struct.pack("<QQQ", 1, 0x40,
                                                              filetime(a.created))
    e3 = (struct.pack("<QQ", 3, list_at) + store_id
          + struct.pack("<QQQQQQQ", hdr_b * BLOCK, 0, 0, 0, (need - 1) * BLOCK, 0, 0))
    put(cat_b, block_header(2, 0, cat_b * BLOCK, 0) + e2.ljust(128, b"\0")
        + e3.ljust(128, b"\0"))
    vh = (VSS_ID + struct.pack("<IIQQQQQ", 1, 1, HEADER_AT, HEADER_AT, 0, cat_b * BLOCK, 0)
          + uuid.uuid4().bytes_le + uuid.uuid4().bytes_le)
    new[HEADER_AT:HEADER_AT + len(vh)] = vh
    with open(a.out, "wb") as f:
        f.write(new)
    print(f"vsswrite: {len(changed)} blocks changed, store of {need} blocks", file=sys.stderr)


if __name__ == "__main__":
    main()
