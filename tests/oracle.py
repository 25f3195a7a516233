#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""A second, independent reading of the detection contract.

Reads the writer's event descriptions (*.desc) directly, with no EVTX in
between, applies the rule as docs/detection.md states it, and prints the
CSV rmmhunt must produce. It writes the expected.csv of a test case; each
one is then read over by a person before it is committed.

With --story it also tells each row's process story as the five CSV
columns the man page describes (user, renamed, parent_image,
command_line, destinations), from the descriptions' other Sysmon events.

usage: oracle.py [--no-recovered] [--from T] [--to T] [--allowlist F]
                 [--extended-modules] [--story] DESC...
"""
import argparse, datetime as dt, os, re, sys

MODULES = ["cryptpak.dll", "htctl32.dll", "pcicapi.dll", "pcichek.dll",
           "pcicl32.dll", "tcctl32.dll"]
# the detection's prose names these too; its search does not
EXTENDED = ["ipctl32.dll", "keyshowhook.dll"]
BYFIELDS = ["Image", "ImageLoaded", "dest", "loaded_file", "loaded_file_path",
            "original_file_name", "process_exec", "process_guid", "process_hash",
            "process_id", "process_name", "process_path",
            "service_dll_signature_exists", "service_dll_signature_verified",
            "signature", "signature_id", "user_id", "vendor_product"]


def parse_time(text):
    text = text.strip()
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)", text)
    if not m:
        raise ValueError(text)
    base = dt.datetime.fromisoformat(m[1] + "T" + m[2])
    frac = int(((m[3] or "") + "0000000")[:7])
    zone = m[4]
    if zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        hh, mm = int(zone[1:3]), int(zone[-2:])
        base -= sign * dt.timedelta(hours=hh, minutes=mm)
    return int((base - dt.datetime(1601, 1, 1)).total_seconds()) * 10**7 + frac


def unescape(v):
    v = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m[1], 16)), v)
    out, i, raw = bytearray(), 0, v.encode()
    while i < len(raw):
        c = raw[i:i+1]
        if c == b"\\" and i + 1 < len(raw):
            n = raw[i+1:i+2]
            simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"\\": b"\\"}
            if n in simple:
                out += simple[n]; i += 2; continue
            if n == b"x":
                out.append(int(raw[i+2:i+4], 16)); i += 4; continue
        out += c; i += 1
    return out.decode("utf-8", "replace")


def read_desc(path):
    """Yields (event dict, recovered) in the order of the description."""
    events, ev, slack, seq = [], None, False, 0
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        word, _, rest = line.strip().partition(" ") if ev is None else line.partition(" ")
        if ev is None:
            if word == "slack": slack = True
            elif word == "chunk": slack = False
            elif word == "event":
                ev = {"data": [], "provider": "Microsoft-Windows-Sysmon", "eventid": "7",
                      "computer": "WORKSTATION", "user": "S-1-5-18"}
            continue
        if word == "end":
            seq = int(ev.get("record", seq + 1))
            ev["record"] = seq
            events.append((ev, slack)); ev = None
        elif word in ("data", "data~"):
            name, _, value = rest.partition(" ")
            ev["data"].append((name, unescape(value) if word == "data~" else value))
        elif word == "no-systemtime":
            ev["no-systemtime"] = True
        else:
            ev[word] = rest
    return events


def basename(p):
    return p.rsplit("\\", 1)[-1]


def loads(loaded, modules):
    return loaded is not None and any(loaded.lower().endswith("\\" + m) for m in modules)


def matches(d, extended=False):
    loaded = d.get("ImageLoaded")
    if not loads(loaded, MODULES + (EXTENDED if extended else [])):
        return False
    image = d.get("Image")
    if image is not None and image.lower().startswith(("c:\\program files\\", "c:\\program files (x86)\\")):
        return False
    sig = d.get("Signature")
    return sig is not None and sig.lower().startswith("netsupport ltd")


def fmt(t):
    secs = t // 10**7
    return (dt.datetime(1601, 1, 1) + dt.timedelta(seconds=secs)).strftime("%Y-%m-%dT%H:%M:%S")


BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F}


def shown(c):
    """A character as the CSV shows it (man page, CSV): C0 and DEL as
    Control Pictures, C1, line/paragraph separators and bidi controls
    named, anything else as it is."""
    o = ord(c)
    if o < 0x20:
        return chr(0x2400 + o)
    if o == 0x7F:
        return "\u2421"
    if 0x80 <= o <= 0x9F or o in (0x2028, 0x2029) or o in BIDI:
        return "<U+%04X>" % o
    return c


def csv_cell(v, neutralise=True):
    formula = neutralise and v != "-" and v[:1] in ("=", "+", "-", "@", "\t", "\r") and v != ""
    if not formula and not any(c in v for c in '",') and all(shown(c) == c for c in v):
        return v
    body = "".join(shown(c) for c in v)
    return '"' + ("'" if formula else "") + body.replace('"', '""') + '"'


def allow_rules(path):
    rules = []
    for n, line in enumerate(open(path), 1):
        conds = []
        for tok in line.split("#")[0].split():
            f, _, g = tok.partition("=")
            conds.append((f, g))
        if conds:
            rules.append(conds)
    return rules


def glob_ci(pattern, value):
    rx = ".*".join(re.escape(p) for p in pattern.lower().split("*"))
    return re.fullmatch(rx, value.lower(), re.S) is not None


STORY_IDS = {1, 3, 5, 11, 13, 22}
DESTINATIONS_IN_CELL = 10


def story_events(descs, no_recovered):
    """Every Sysmon event the story reads (Event IDs 1, 3, 5, 11, 13,
    22), each once (identity: computer, record, time), in time order,
    ties in the order of the files and records."""
    seen, out = set(), []
    for path in sorted(descs):
        for ev, recovered in read_desc(path):
            if recovered and no_recovered:
                continue
            if ev["provider"] != "Microsoft-Windows-Sysmon" or int(ev["eventid"]) not in STORY_IDS:
                continue
            t = parse_time(ev.get("written", ev["time"])) if ev.get("no-systemtime") else parse_time(ev["time"])
            ident = (ev["computer"], ev["record"], t)
            if ident in seen:
                continue
            seen.add(ident)
            d = {}
            for name, value in ev["data"]:
                if value != "":
                    d.setdefault(name, value)
            out.append((t, len(out), int(ev["eventid"]), ev["computer"], d))
    out.sort(key=lambda e: (e[0], e[1]))
    return out


def own_events(events, host, guid):
    return [e for e in events if e[3].lower() == host.lower()
            and e[4].get("ProcessGuid", "").lower() == guid.lower()]


def creation(events, host, guid):
    for e in own_events(events, host, guid):
        if e[2] == 1:
            return e[4]
    return None


def story_cells(events, host, guid, image, users):
    own = own_events(events, host, guid) if guid != "0" else []
    create = next((e[4] for e in own if e[2] == 1), None)
    user = next((u for u in users if u is not None), None)
    if user is None and create:
        user = create.get("User")
    if create is None:
        renamed = ""
    else:
        renamed = "true" if (create.get("OriginalFileName", "").lower() == "client32.exe"
                             and basename(image).lower() != "client32.exe") else "false"
    parent = ""
    if create and create.get("ParentProcessGuid"):
        parent = create.get("ParentImage")
        if parent is None:
            pc = creation(events, host, create["ParentProcessGuid"])
            parent = pc.get("Image") if pc else None
        parent = parent or ""
    peers = []
    for e in own:
        if e[2] != 3:
            continue
        d = e[4]
        p = tuple(d.get(k) for k in ("DestinationIp", "DestinationHostname", "DestinationPort", "Protocol"))
        if not any(tuple(x and x.lower() for x in q) == tuple(x and x.lower() for x in p) for q in peers):
            peers.append(p)
    dest = []
    for a, b, c, d in peers[:DESTINATIONS_IN_CELL]:
        cell = f"{a or '?'}:{c or '?'}"
        if b:
            cell += f" ({b})"
        if d:
            cell += f" {d}"
        dest.append(cell)
    dest = "; ".join(dest)
    if len(peers) > DESTINATIONS_IN_CELL:
        dest += f"; and {len(peers) - DESTINATIONS_IN_CELL} more"
    return [user or "", renamed, parent, (create or {}).get("CommandLine", ""), dest]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-recovered", action="store_true")
    ap.add_argument("--no-formula-escape", action="store_true")
    ap.add_argument("--from", dest="frm")
    ap.add_argument("--to")
    ap.add_argument("--allowlist")
    ap.add_argument("--extended-modules", action="store_true")
    ap.add_argument("--story", action="store_true")
    ap.add_argument("desc", nargs="+")
    a = ap.parse_args()
    seen = {}
    for index, path in enumerate(sorted(a.desc)):
        evidence = "./" + os.path.basename(path)[:-5] + ".evtx"
        for ev, recovered in read_desc(path):
            if recovered and a.no_recovered:
                continue
            if ev["provider"] != "Microsoft-Windows-Sysmon" or int(ev["eventid"]) != 7:
                continue
            d = {}
            for name, value in ev["data"]:
                if value != "":
                    d.setdefault(name, value)
            if not matches(d, a.extended_modules):
                continue
            t = parse_time(ev.get("written", ev["time"])) if ev.get("no-systemtime") else parse_time(ev["time"])
            if a.frm and t < parse_time(a.frm) or a.to and t > parse_time(a.to):
                continue
            ident = (ev["computer"], ev["record"], t)
            user = None if ev["user"] == "-" else ev["user"]
            img, loaded = d.get("Image"), d.get("ImageLoaded")
            key = (img, loaded, ev["computer"], basename(loaded), loaded, d.get("OriginalFileName"),
                   img and basename(img), d.get("ProcessGuid") and d["ProcessGuid"].lower(),
                   d.get("Hashes"), d.get("ProcessId"), img and basename(img), img,
                   d.get("Signed"), d.get("SignatureStatus"), "Image loaded", "7", user,
                   "Microsoft Sysmon")
            key = tuple("0" if k is None else k for k in key)
            if ident in seen:
                old = seen[ident]
                old["files"].add(evidence)
                old["recovered"] = old["recovered"] and recovered
                continue
            seen[ident] = {"key": key, "t": t, "recovered": recovered, "files": {evidence},
                           "user": d.get("User"), "order": len(seen)}
    rows = {}
    for e in seen.values():
        r = rows.setdefault(e["key"], {"n": 0, "rec": 0, "first": e["t"], "last": e["t"], "files": set(),
                                       "users": []})
        r["users"].append((e["order"], e["user"]))
        r["n"] += 1; r["rec"] += e["recovered"]
        r["first"] = min(r["first"], e["t"]); r["last"] = max(r["last"], e["t"])
        r["files"] |= e["files"]
    rules = allow_rules(a.allowlist) if a.allowlist else []
    out = sys.stdout.buffer
    out.write((",".join(BYFIELDS) + ",count,firstTime,lastTime,risk_score,risk_message,"
               "recovered_count,evidence_files" +
               (",outside_splunk_search" if a.extended_modules else "") +
               (",user,renamed,parent_image,command_line,destinations" if a.story else "") +
               "\r\n").encode())
    events = story_events(a.desc, a.no_recovered) if a.story else []
    for key in sorted(rows, key=lambda k: [f.encode() for f in k]):
        named = dict(zip(BYFIELDS, key))
        if any(all(glob_ci(g, named[f]) for f, g in conds) for conds in rules):
            continue
        r = rows[key]
        cells = [csv_cell(k, not a.no_formula_escape) for k in key]
        msg = f"The following module {named['ImageLoaded']} was loaded by a non-standard application on endpoint {named['dest']}"
        cells += [str(r["n"]), fmt(r["first"]), fmt(r["last"]), "30", csv_cell(msg, not a.no_formula_escape),
                  str(r["rec"]), csv_cell(" | ".join(sorted(r["files"])), not a.no_formula_escape)]
        if a.extended_modules:
            cells.append("true" if not loads(named["ImageLoaded"], MODULES) else "false")
        if a.story:
            users = [u for _, u in sorted(r["users"])]
            cells += [csv_cell(c, not a.no_formula_escape)
                      for c in story_cells(events, named["dest"], named["process_guid"], named["Image"], users)]
        out.write((",".join(cells) + "\r\n").encode())


if __name__ == "__main__":
    main()
