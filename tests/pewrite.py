#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Writes a small PE32 file (an .exe, or a .dll with --dll) that
osslsigncode can sign: the MZ and PE headers, an optional header with
16 data directories, one .text section. From Microsoft's PE format
document; the bytes are checked by osslsigncode, which refuses a PE it
cannot parse, and by the tests' signer oracle (osslsigncode verify).

    pewrite.py OUT [--dll] [--fill TEXT]
"""
import struct
import sys


def pe(dll=False, fill=b"rmmhunt test"):
    file_align, sect_align = 0x200, 0x1000
    text = (fill * (0x200 // max(1, len(fill)) + 1))[:0x200]
    dos = bytearray(0x80)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x80)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0,
                       0x2102 if dll else 0x0102)
    opt = struct.pack("<HBBIIIIIIIIIHHHHHHIIIIHHIIIIII",
                      0x10B, 14, 0, len(text), 0, 0, 0x1000, 0x1000, 0,
                      0x10000000 if dll else 0x400000, sect_align, file_align,
                      6, 0, 0, 0, 6, 0, 0, 0x2000, 0x200, 0, 3, 0x140,
                      0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    opt += b"\0" * (16 * 8)
    section = struct.pack("<8sIIIIIIHHI", b".text", len(text), 0x1000, len(text),
                          0x200, 0, 0, 0, 0, 0x60000020)
    head = bytes(dos) + b"PE\0\0" + coff + opt + section
    head += b"\0" * (0x200 - len(head))
    return head + text


def main():
    args = sys.argv[1:]
    out = args[0]
    fill = b"rmmhunt test"
    if "--fill" in args:
        fill = args[args.index("--fill") + 1].encode()
    with open(out, "wb") as f:
        f.write(pe("--dll" in args, fill))


if __name__ == "__main__":
    main()
