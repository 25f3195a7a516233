#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Random Sysmon logs for the pre-filter equivalence test.

usage: randlog.py SEED > log.desc

Each log mixes ordinary events with NetSupport loads placed at random:
in any chunk, in slack, in upper/lower/mixed case, as near misses (no
backslash, wrong signer, Program Files), as the module name inside other
fields (which must not match), with an occasional damaged chunk or dirty
header. The same seed always gives the same description.
"""
import random, sys

MODULES = ["CryptPak.dll", "HTCTL32.DLL", "pcicapi.dll", "pcichek.dll", "PCICL32.DLL", "TCCTL32.DLL"]
DIRS = ["C:\\Users\\u{}\\AppData\\Roaming\\x{}\\", "C:\\ProgramData\\s{}\\v{}\\",
        "C:\\Users\\u{}\\Downloads\\d{}\\", "C:\\Program Files\\NetSupport{}\\{}\\",
        "C:\\Program Files (x86)\\N{}\\{}\\", "c:\\program files\\n{}\\{}\\"]
HOSTS = ["WS01", "WS02", "LAPTOP-7Q", "srv-db.corp.example"]


def mixcase(rng, s):
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in s)


def event(rng, t, host, image, loaded, signer, eventid=7, extra=None):
    out = ["event", f"time {t}", f"computer {host}", f"eventid {eventid}"]
    pid = rng.randrange(100, 60000)
    data = [("RuleName", "-"), ("UtcTime", t[:10] + " " + t[11:19] + ".000"),
            ("ProcessGuid", "{%08X-%04X-%04X-%04X-%012X}" % (rng.getrandbits(32), rng.getrandbits(16),
                                                           rng.getrandbits(16), rng.getrandbits(16),
                                                           rng.getrandbits(48))),
            ("ProcessId", str(pid)), ("Image", image), ("ImageLoaded", loaded),
            ("OriginalFileName", loaded.rsplit("\\", 1)[-1]),
            ("Hashes", "SHA256=%064X" % rng.getrandbits(256)), ("Signed", "true")]
    if signer is not None:
        data.append(("Signature", signer))
    data.append(("SignatureStatus", rng.choice(["Valid", "Expired", "Unavailable"])))
    if extra:
        data += extra
    out += [f"data {k} {v}" for k, v in data]
    out.append("end")
    return "\n".join(out) + "\n"


def main():
    seed = int(sys.argv[1])
    rng = random.Random(seed)
    out = [f"# random log, seed {seed}\n"]
    if rng.random() < 0.15:
        out.append("header dirty\n")
    n = rng.randrange(50, 900)
    with_slack = rng.random() < 0.4
    sec = rng.randrange(10**8)
    host = rng.choice(HOSTS)
    for i in range(n):
        sec += rng.randrange(0, 4000)
        t = "2024-%02d-%02dT%02d:%02d:%02d.%07dZ" % (1 + sec // 2419200 % 12, 1 + sec // 86400 % 28,
                                                   sec // 3600 % 24, sec // 60 % 60, sec % 60,
                                                   rng.randrange(10**7))
        if rng.random() < 0.05:
            host = rng.choice(HOSTS)
        r = rng.random()
        if r < 0.01:
            out.append("chunk\n")
        elif r < 0.02 and with_slack:
            out.append("slack\n")
        d = rng.choice(DIRS).format(rng.randrange(9), rng.randrange(9))
        kind = rng.random()
        if kind < 0.06:       # a hit, or a near miss of one
            mod = rng.choice(MODULES)
            mod = mixcase(rng, mod) if rng.random() < 0.5 else mod
            loaded = d + mod
            variant = rng.random()
            if variant < 0.1:
                loaded = loaded.replace("\\" + mod, "/" + mod)
            elif variant < 0.2:
                loaded = loaded + ".bak"
            signer = rng.choice(["NetSupport Ltd", "netsupport ltd", "NETSUPPORT LTD.",
                                 "NetSupport Limited", None, "Microsoft Windows"])
            out.append(event(rng, t, host, d + rng.choice(["client32.exe", "upd.exe"]), loaded, signer))
        elif kind < 0.08:     # a module name elsewhere than ImageLoaded
            out.append(event(rng, t, host, d + "PCICL32.DLL.exe", "C:\\Windows\\System32\\ntdll.dll",
                             "NetSupport Ltd", extra=[("Description", "uses TCCTL32.DLL")]))
        elif kind < 0.10:     # another event ID naming a module
            out.append(event(rng, t, host, d + "client32.exe", d + "PCICL32.DLL", "NetSupport Ltd",
                             eventid=rng.choice([1, 10, 11])))
        else:
            out.append(event(rng, t, host, "C:\\Windows\\System32\\svchost.exe",
                             "C:\\Windows\\System32\\m%d.dll" % rng.randrange(500), "Microsoft Windows"))
    if rng.random() < 0.1:
        out.append(rng.choice(["damage crc\n", "damage header-crc\n"]))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
