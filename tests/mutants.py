#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Seeded mutants of EVTX logs, for tests/mutate.test and scripts/test-valgrind.

Usage: mutants.py [--fix-crc] DIR COUNT SEED FIXTURE...
       mutants.py --any DIR COUNT SEED NAME=FIXTURE...

Writes COUNT files DIR/mutNNNN-kK.evtx, each a fixture changed one way
(K): 0 bytes anywhere past the file header, 1 bits in one chunk's
records, 2 a zeroed range, 3 cut short, 4 bytes of the file header.
With --any (Prefetch files, hives: no chunks), DIR/mutNNNN-kK/NAME, each
changed one way: 0 bytes anywhere, 1 bits in the first 4 KiB (headers,
the first cells), 2 a zeroed range, 3 cut short, 4 bytes of the first
512 (a hive's base block, a Prefetch file's header).
With --fix-crc, each chunk's records CRC and header CRC are made right
after the change, so that the changed records reach the readers as an
undamaged chunk's would (where the pre-filter reads them itself) rather
than as a damaged chunk's (which libevtx reads).
The same arguments give the same bytes.
"""
import os
import random
import struct
import sys
import zlib


def mutate(b, r):
    kind = r.randrange(5)
    chunks = max(1, (len(b) - 4096) // 65536)
    if kind == 0:
        for _ in range(r.randint(1, 20)):
            b[r.randrange(4096, len(b))] = r.randrange(256)
    elif kind == 1:
        c = 4096 + 65536 * r.randrange(chunks)
        for _ in range(r.randint(1, 8)):
            b[c + r.randrange(512, 65536)] ^= 1 << r.randrange(8)
    elif kind == 2:
        p = r.randrange(4096, len(b))
        n = min(r.randint(1, 4096), len(b) - p)
        b[p:p + n] = bytes(n)
    elif kind == 3:
        del b[r.randrange(4096, len(b)):]
    else:
        for _ in range(r.randint(1, 4)):
            b[r.randrange(8, 128)] = r.randrange(256)
    return kind


def mutate_any(b, r):
    kind = r.randrange(5)
    if kind == 0:
        for _ in range(r.randint(1, 20)):
            b[r.randrange(len(b))] = r.randrange(256)
    elif kind == 1:
        for _ in range(r.randint(1, 8)):
            b[r.randrange(min(4096, len(b)))] ^= 1 << r.randrange(8)
    elif kind == 2:
        p = r.randrange(len(b))
        n = min(r.randint(1, 4096), len(b) - p)
        b[p:p + n] = bytes(n)
    elif kind == 3:
        del b[r.randrange(8, len(b)):]
    else:
        for _ in range(r.randint(1, 4)):
            b[r.randrange(min(512, len(b)))] = r.randrange(256)
    return kind


def main_any(out, n, seed, pairs):
    fixtures = sorted(p.split("=", 1) for p in pairs)
    data = [(name, open(path, "rb").read()) for name, path in fixtures]
    for i in range(n):
        r = random.Random(seed * 100003 + i)
        name, orig = data[r.randrange(len(data))]
        b = bytearray(orig)
        kind = mutate_any(b, r)
        d = os.path.join(out, "mut%04d-k%d" % (i, kind))
        os.makedirs(d)
        with open(os.path.join(d, name), "wb") as f:
            f.write(bytes(b))


def fix_crc(b):
    """Each chunk's records CRC, then its header CRC (which covers the
    first), made right where its header says where its records end."""
    for c in range(4096, len(b) - 65535, 65536):
        if b[c:c + 8] != b"ElfChnk\0":
            continue
        header_size, = struct.unpack_from("<I", b, c + 40)
        free, = struct.unpack_from("<I", b, c + 48)
        if header_size != 128 or not 512 <= free <= 65536:
            continue
        struct.pack_into("<I", b, c + 52, zlib.crc32(bytes(b[c + 512:c + free])))
        crc = zlib.crc32(bytes(b[c:c + 120]) + bytes(b[c + 128:c + 512]))
        struct.pack_into("<I", b, c + 124, crc)


def main():
    fix = sys.argv[1] == "--fix-crc"
    if fix:
        del sys.argv[1]
    if sys.argv[1] == "--any":
        main_any(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:])
        return
    out, n, seed, fixtures = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    data = [open(f, "rb").read() for f in sorted(fixtures)]
    for i in range(n):
        r = random.Random(seed * 100003 + i)
        b = bytearray(data[r.randrange(len(data))])
        kind = mutate(b, r)
        if fix:
            fix_crc(b)
        with open(os.path.join(out, "mut%04d-k%d.evtx" % (i, kind)), "wb") as f:
            f.write(bytes(b))


if __name__ == "__main__":
    main()
