#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""The project's Prefetch writer: uncompressed Prefetch files (format
versions 23 and 30) from a short description, laid out as libyal's
"Windows Prefetch File (PF) format" document gives them. Its output is
checked with sccainfo (libscca-utils), a reader that is not ours, before
any test trusts it (tests/prefetch.test).

A description is JSON:
  {"version": 30, "executable": "CLIENT32.EXE", "hash": "1A2B3C4D",
   "run_count": 3, "runs": ["2024-03-01T10:00:00Z", ...],   newest first
   "volume": {"device": "\\\\VOLUME{01d3...-2ca3d1ae}", "serial": "2CA3D1AE",
              "created": "2020-01-01T00:00:00Z"},
   "files": ["\\\\VOLUME{...}\\\\USERS\\\\BOB\\\\...\\\\CLIENT32.EXE", ...]}

usage: pfwrite.py DESC.json OUT.pf
"""
import datetime as dt, json, struct, sys


def filetime(text):
    t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    epoch = dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc)
    d = t - epoch
    return (d.days * 86400 + d.seconds) * 10**7 + d.microseconds * 10


def utf16z(s):
    return s.encode("utf-16-le") + b"\0\0"


# File information sizes: version 30 files start their metrics at 0x130
# (libscca tells the variant by that offset), so its 224 bytes are 220.
INFO_SIZE = {23: 156, 30: 220}
VOLUME_ENTRY = {23: 104, 30: 96}


def build(desc):
    v = desc["version"]
    if v not in INFO_SIZE:
        raise SystemExit(f"pfwrite: version {v}: only 23 and 30 are written")
    files = desc["files"]
    names = b"".join(utf16z(f) for f in files)
    metrics_off = 84 + INFO_SIZE[v]
    metrics = bytearray()
    at = 0
    for f in files:
        metrics += struct.pack("<IIIIIIQ", 0, 0, 0, at, len(f), 2, 0)
        at += 2 * (len(f) + 1)
    chains_off = metrics_off + len(metrics)
    names_off = chains_off
    pad = (-(names_off + len(names))) % 8
    volumes_off = names_off + len(names) + pad
    vol = desc["volume"]
    dev = utf16z(vol["device"])
    entry = bytearray(VOLUME_ENTRY[v])
    struct.pack_into("<IIQI", entry, 0, VOLUME_ENTRY[v], len(vol["device"]),
                     filetime(vol["created"]), int(vol["serial"], 16))
    volumes = bytes(entry) + dev
    total = volumes_off + len(volumes)

    info = bytearray(INFO_SIZE[v])
    struct.pack_into("<IIIIIIIII", info, 0, metrics_off, len(files), chains_off, 0,
                     names_off, len(names), volumes_off, 1, len(volumes))
    runs = [filetime(r) for r in desc.get("runs", [])]
    if v == 23:
        struct.pack_into("<Q", info, 44, runs[0] if runs else 0)
        struct.pack_into("<I", info, 68, desc["run_count"])
    else:
        for i, r in enumerate(runs[:8]):
            struct.pack_into("<Q", info, 44 + 8 * i, r)
        struct.pack_into("<I", info, 124, desc["run_count"])

    header = bytearray(84)
    exe = desc["executable"].encode("utf-16-le")[:58]
    struct.pack_into("<I4sII", header, 0, v, b"SCCA", 0x11, total)
    header[16:16 + len(exe)] = exe
    struct.pack_into("<I", header, 76, int(desc["hash"], 16))
    out = bytes(header) + bytes(info) + bytes(metrics) + names + b"\0" * pad + volumes
    assert len(out) == total
    return out


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.split("usage: ")[1])
    with open(sys.argv[1], encoding="utf-8") as f:
        desc = json.load(f)
    with open(sys.argv[2], "wb") as f:
        f.write(build(desc))


if __name__ == "__main__":
    main()
