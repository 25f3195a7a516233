#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""A second reading of the Prefetch rule (man page, TRACES), from the
writer's descriptions (tests/pfwrite.py) with no Prefetch file between:
prints, a line each, the traces rmmhunt must find, as tab-separated
host, kind, verdict, executable, modules, first_seen, last_seen,
run_count, evidence file name.

usage: trace_oracle.py [--host NAME] DESC.json...
"""
import json, os, re, sys

SEARCH = ["cryptpak.dll", "htctl32.dll", "pcicapi.dll", "pcichek.dll", "pcicl32.dll",
          "tcctl32.dll"]
PROSE = ["ipctl32.dll", "keyshowhook.dll"]


def base(p):
    return p.rsplit("\\", 1)[-1]


def on_volume(p):
    m = re.match(r"(?i)\\volume\{[^}]*\}|\\device\\harddiskvolume[0-9]*", p)
    return p[m.end():] if m else p


def trace(desc):
    exe = desc["executable"]
    own = next((f for f in desc["files"] if "\\" in f and base(f).lower() == exe.lower()), None)
    if own and on_volume(own).lower().startswith(("\\program files\\", "\\program files (x86)\\")):
        return None
    mods, n_search = [], 0
    for f in desc["files"]:
        b = base(f)
        if b.lower() in SEARCH + PROSE and b.lower() not in [m.lower() for m in mods]:
            mods.append(b)
            n_search += b.lower() in SEARCH
    if n_search == 0 and exe.lower() != "client32.exe":
        return None
    runs = sorted(r.replace("Z", "") for r in desc["runs"])
    return {"executable": own or exe, "modules": "; ".join(mods),
            "first_seen": runs[0], "last_seen": runs[-1],
            "run_count": str(desc["run_count"])}


def main():
    args = sys.argv[1:]
    host = ""
    if args[:1] == ["--host"]:
        host, args = args[1], args[2:]
    for path in args:
        with open(path, encoding="utf-8") as f:
            t = trace(json.load(f))
        if t:
            name = os.path.basename(path)[:-5] + ".pf"
            print("\t".join([host, "prefetch", "ran", t["executable"], t["modules"],
                             t["first_seen"], t["last_seen"], t["run_count"], name]))


if __name__ == "__main__":
    main()
