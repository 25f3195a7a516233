#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Checks an EVTX file made by tests/evtxwrite against its description.

Usage:
  check_writer.py main DESC EVTX      every record, with three readers
  check_writer.py damage KIND EVTX    a file whose 2nd chunk is damaged

Three independent readers look at the file: a small structural parser
here (headers, CRCs, record framing, string and template tables, template
reuse), libevtx (evtxinfo, evtxexport -f xml) and python-evtx (Evtx.Evtx).
The description is parsed here on its own, so that the grammar is checked
too.  Exit 0 when all agree with the description, 1 otherwise.

What libevtx 20181227 does that the checks allow for (see
testdata/README.writer): it does not escape attribute values at all and
escapes only & < > in element content; it mangles characters outside the
BMP (U+1F600 comes out as U+1F201); recovered records are listed only with
-m recovered (or after the items with -m all), with no marker; a file with
more chunks than its header counts (dirty, stale header) "Is corrupted".
"""

import datetime
import html
import os
import re
import struct
import subprocess
import sys
import zlib

FAILS = []


def fail(msg):
    FAILS.append(msg)
    if len(FAILS) <= 40:
        print("FAIL: " + msg)


# ---- the description ------------------------------------------------------

EPOCH = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)
TIME_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)"
                     r"(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))$")


def filetime(text):
    m = TIME_RE.match(text)
    if not m:
        raise ValueError("bad time " + text)
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    frac = (m.group(7) or "").ljust(7, "0")
    if len(frac) > 7:
        assert set(frac[7:]) <= {"0"}
        frac = frac[:7]
    dt = datetime.datetime(y, mo, d, h, mi, s, tzinfo=datetime.timezone.utc)
    if m.group(9):
        off = (int(m.group(10)) * 60 + int(m.group(11))) * 60
        dt -= datetime.timedelta(seconds=off if m.group(9) == "+" else -off)
    delta = dt - EPOCH
    return (delta.days * 86400 + delta.seconds) * 10 ** 7 + int(frac)


def unescape_desc(s):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        n = s[i + 1]
        if n in "nrt\\":
            out += {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\"}[n]
            i += 2
        elif n == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif n == "u":
            j = s.index("}", i)
            out += chr(int(s[i + 3:j], 16)).encode()
            i = j + 1
        else:
            raise ValueError("bad escape")
    return out.decode()


GUID_RE = re.compile(r"^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
                     r"[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$")


def value_type(name, value):
    """The substitution type evtxwrite gives a Data value."""
    if (name.endswith("ProcessGuid") or name.endswith("ProcessGUID")) and \
            GUID_RE.match(value) and \
            (len(value) == 36 or (value[0] == "{" and value[-1] == "}")):
        return "guid"
    if name.endswith("ProcessId") and re.fullmatch(r"0|[1-9]\d*", value) \
            and int(value) < 2 ** 32:
        return "u32"
    return "str"


def parse_desc(path):
    """Returns (events, dirty); each event a dict."""
    events = []
    dirty = False
    prev_time = filetime("2024-01-01T00:00:00Z") - 10 ** 7
    prev_rec = 0
    slack = False
    ev = None
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode().rstrip("\n")
            if line.endswith("\r"):
                line = line[:-1]
            s = line.lstrip(" \t")
            if not s or s.startswith("#"):
                continue
            kw, _, rest = s.partition(" ")
            bare = rest.split("#")[0].strip()
            if ev is None:
                if kw == "header":
                    dirty = True
                elif kw == "chunk":
                    slack = False
                elif kw == "slack":
                    slack = True
                elif kw == "event":
                    ev = {"time": None, "written": None, "systemtime": True,
                          "record": None, "provider":
                          "Microsoft-Windows-Sysmon", "eventid": 7,
                          "channel": "Microsoft-Windows-Sysmon/Operational",
                          "computer": "WORKSTATION", "user": "S-1-5-18",
                          "data": [], "slack": slack}
                continue
            if kw == "end":
                if ev["time"] is None:
                    ev["time"] = prev_time + 10 ** 7
                if ev["written"] is None:
                    ev["written"] = ev["time"]
                if ev["record"] is None:
                    ev["record"] = prev_rec + 1
                prev_time, prev_rec = ev["time"], ev["record"]
                events.append(ev)
                ev = None
            elif kw in ("time", "written"):
                ev[kw] = filetime(bare)
            elif kw == "no-systemtime":
                ev["systemtime"] = False
            elif kw == "record":
                ev["record"] = int(bare)
            elif kw == "eventid":
                ev["eventid"] = int(bare)
            elif kw in ("provider", "channel", "computer"):
                ev[kw] = rest
            elif kw == "user":
                ev["user"] = None if bare == "-" else bare
            elif kw in ("data", "data~"):
                r = rest.lstrip(" \t")
                m = re.match(r"([^ \t]+)(?:[ \t](.*))?$", r, re.S)
                name, value = m.group(1), m.group(2) or ""
                if kw == "data~":
                    value = unescape_desc(value)
                ev["data"].append((name, value))
    return events, dirty


def shape(ev):
    return (ev["provider"], ev["eventid"], ev["systemtime"],
            ev["user"] is not None,
            tuple((n, value_type(n, v)) for n, v in ev["data"]))


def ft_iso9(ft):
    """libevtx's rendering of a FILETIME."""
    secs, ticks = divmod(ft, 10 ** 7)
    dt = EPOCH + datetime.timedelta(seconds=secs)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".%07d00Z" % ticks


def libevtx_value(name, value):
    t = value_type(name, value)
    if t == "guid":
        v = value.upper()
        return v if v.startswith("{") else "{" + v + "}"
    return value


def mask_astral(s):
    return "".join("?" if ord(c) > 0xFFFF else c for c in s)


# ---- structural parser ----------------------------------------------------

def crc(b):
    return zlib.crc32(b) & 0xFFFFFFFF


def h65599(units):
    h = 0
    for u in units:
        h = (h * 65599 + u) & 0xFFFFFFFF
    return h


def structure(data, events, dirty):
    """Checks framing and tables; returns {record id: (chunk, in slack)}."""
    where = {}
    if data[:8] != b"ElfFile\0":
        fail("file signature")
        return where
    first, last, next_id, hsize, minor, major, block, nchunks = \
        struct.unpack_from("<QQQIHHHH", data, 8)
    flags, hcrc = struct.unpack_from("<II", data, 120)
    if hcrc != crc(data[:120]):
        fail("file header CRC")
    if (hsize, minor, major, block) != (128, 1, 3, 4096):
        fail("file header sizes/version %r" % ((hsize, minor, major, block),))
    real = (len(data) - 4096) // 65536
    if (len(data) - 4096) % 65536:
        fail("file size is not header + whole chunks")
    if bool(flags & 1) != dirty:
        fail("dirty flag %d, want %d" % (flags & 1, dirty))
    if dirty:
        if real > 1 and nchunks != real - 1:
            fail("dirty header should be stale: %d chunks of %d"
                 % (nchunks, real))
    else:
        if nchunks != real or last != real - 1 or first != 0:
            fail("header chunk numbers %d..%d (%d), file has %d"
                 % (first, last, nchunks, real))
        alloc = [e["record"] for e in events if not e["slack"]]
        if alloc and next_id != alloc[-1] + 1:
            fail("next record identifier %d" % next_id)
    for ci in range(real):
        c = data[4096 + ci * 65536:4096 + (ci + 1) * 65536]
        if c[:8] != b"ElfChnk\0":
            fail("chunk %d signature" % ci)
            continue
        fn, ln, fi, li, hs, lro, fso, dcrc = struct.unpack_from(
            "<QQQQIIII", c, 8)
        if struct.unpack_from("<I", c, 124)[0] != crc(c[:120] + c[128:512]):
            fail("chunk %d header CRC" % ci)
        if dcrc != crc(c[512:fso]):
            fail("chunk %d records CRC" % ci)
        if hs != 128:
            fail("chunk %d header size" % ci)
        # Records: allocated up to the free space offset, slack after.
        off, ids, defs, shapes = 512, [], 0, set()
        byid = {e["record"]: e for e in events}
        while off + 28 <= 65536 and c[off:off + 4] == b"\x2a\x2a\0\0":
            size, rid = struct.unpack_from("<IQ", c, off + 4)
            if size % 8 or size < 32 or off + size > 65536 or \
                    struct.unpack_from("<I", c, off + size - 4)[0] != size:
                fail("chunk %d record at %#x framing" % (ci, off))
                break
            slack = off >= fso
            if off < fso:
                ids.append(rid)
                last_off = off
                # Template definition inline (instance 10 bytes after
                # the 4-byte fragment header)?
                toff = struct.unpack_from("<I", c, off + 24 + 4 + 6)[0]
                if toff == off + 24 + 14:
                    defs += 1
                if rid in byid:
                    shapes.add(shape(byid[rid]))
            where[rid] = (ci, slack)
            off += size
        if ids:
            if (fn, ln, fi, li) != (ids[0], ids[-1], ids[0], ids[-1]):
                fail("chunk %d record numbers" % ci)
            if lro != last_off:
                fail("chunk %d last record offset" % ci)
        if defs != len(shapes):
            fail("chunk %d has %d template definitions for %d shapes"
                 % (ci, defs, len(shapes)))
        # Common string table: chains of names whose hash picks the bucket.
        for b in range(64):
            o = struct.unpack_from("<I", c, 128 + 4 * b)[0]
            n = 0
            while o and n < 100:
                nxt, h, cnt = struct.unpack_from("<IHH", c, o)
                units = struct.unpack_from("<%dH" % cnt, c, o + 8)
                if h != h65599(units) & 0xFFFF or h % 64 != b:
                    fail("chunk %d string table bucket %d" % (ci, b))
                o, n = nxt, n + 1
        # Template pointers: definitions right after their instance.
        for b in range(32):
            o = struct.unpack_from("<I", c, 384 + 4 * b)[0]
            while o:
                if c[o - 10] != 0x0C or \
                        struct.unpack_from("<I", c, o - 4)[0] != o:
                    fail("chunk %d template table bucket %d" % (ci, b))
                    break
                words = struct.unpack_from("<8H", c, o + 4)
                if h65599(words) % 32 != b:
                    fail("chunk %d template %#x in bucket %d" % (ci, o, b))
                o = struct.unpack_from("<I", c, o)[0]
    return where


# ---- libevtx --------------------------------------------------------------

EVENT_RE = re.compile(r"<Event xmlns=.*?\n</Event>", re.S)


def lx_unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_libevtx_xml(text):
    out = []
    for block in EVENT_RE.findall(text):
        r = {}
        m = re.search(r"<EventRecordID>(\d+)</EventRecordID>", block)
        r["record"] = int(m.group(1)) if m else None
        m = re.search(r'<TimeCreated SystemTime="([^"]*)"/>', block)
        r["time"] = m.group(1) if m else None
        m = re.search(r"<Computer>(.*?)</Computer>", block, re.S)
        r["computer"] = lx_unescape(m.group(1)) if m else None
        m = re.search(r"<Channel>(.*?)</Channel>", block, re.S)
        r["channel"] = lx_unescape(m.group(1)) if m else None
        m = re.search(r'<Security UserID="([^"]*)"/>', block)
        r["user"] = m.group(1) if m else None
        m = re.search(r"<EventID>(\d+)</EventID>", block)
        r["eventid"] = int(m.group(1)) if m else None
        m = re.search(r'<Provider Name="(.*?)"(?: Guid="([^"]*)")?/>', block)
        r["provider"] = m.group(1) if m else None
        r["guid"] = m.group(2) if m else None
        ed = block[block.find("<EventData"):]
        r["data"] = [(n, lx_unescape(v or "")) for n, v in re.findall(
            r'<Data Name="([^"]*)"(?:/>|>(.*?)</Data>)', ed, re.S)]
        out.append(r)
    return out


def check_libevtx(path, events):
    alloc = [e for e in events if not e["slack"]]
    slack = [e for e in events if e["slack"]]
    info = subprocess.run(["evtxinfo", path], capture_output=True,
                          text=True)
    m = re.search(r"Number of records\s*:\s*(\d+)", info.stdout)
    if not m or int(m.group(1)) != len(alloc):
        fail("evtxinfo: number of records %s, want %d"
             % (m and m.group(1), len(alloc)))
    m = re.search(r"Number of recovered records\s*:\s*(\d+)", info.stdout)
    if not m or int(m.group(1)) != len(slack):
        fail("evtxinfo: number of recovered records %s, want %d"
             % (m and m.group(1), len(slack)))
    # libevtx calls a file corrupted when it finds chunks past the number
    # in the file header, as in a dirty file whose header is stale.
    data = open(path, "rb").read(4096)
    stale = (struct.unpack_from("<H", data, 42)[0] <
             (os.path.getsize(path) - 4096) // 65536)
    if ("Is corrupted" in info.stdout) != stale:
        fail("evtxinfo: corrupted %s, want %s"
             % ("Is corrupted" in info.stdout, stale))
    if ("Is dirty" in info.stdout) != bool(struct.unpack_from(
            "<I", data, 120)[0] & 1):
        fail("evtxinfo: dirty flag not as in the header")
    for mode, want in (("items", alloc), ("recovered", slack)):
        p = subprocess.run(["evtxexport", "-f", "xml", "-m", mode, path],
                           capture_output=True)
        if p.returncode != 0:
            fail("evtxexport -m %s: exit %d: %s" % (mode, p.returncode,
                                                 p.stderr[-300:]))
        got = parse_libevtx_xml(p.stdout.decode("utf-8", "replace"))
        if [g["record"] for g in got] != [e["record"] for e in want]:
            fail("libevtx %s: record ids %s..., want %s..."
                 % (mode, [g["record"] for g in got][:8],
                    [e["record"] for e in want][:8]))
        for g, e in zip(got, want):
            rid = e["record"]
            t = ft_iso9(e["time"]) if e["systemtime"] else None
            if g["time"] != t:
                fail("libevtx %d: SystemTime %r, want %r" % (rid, g["time"], t))
            for k in ("computer", "user", "eventid", "provider", "channel"):
                if g[k] != e[k]:
                    fail("libevtx %d: %s %r, want %r" % (rid, k, g[k], e[k]))
            if e["provider"] == "Microsoft-Windows-Sysmon" and \
                    g["guid"] != "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}":
                fail("libevtx %d: provider GUID %r" % (rid, g["guid"]))
            wd = [(n, mask_astral(libevtx_value(n, v))) for n, v in e["data"]]
            gd = [(n, mask_astral(v)) for n, v in g["data"]]
            if gd != wd:
                fail("libevtx %d: data %r, want %r" % (rid, gd, wd))
    print("libevtx: %d records, %d recovered checked" % (len(alloc),
                                                         len(slack)))


# ---- python-evtx ----------------------------------------------------------

def py_time(text):
    fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in text else "%Y-%m-%d %H:%M:%S"
    dt = datetime.datetime.strptime(text, fmt).replace(
        tzinfo=datetime.timezone.utc)
    d = dt - EPOCH
    return (d.days * 86400 + d.seconds) * 10 ** 7 + d.microseconds * 10


def check_python_evtx(path, events):
    import Evtx.Evtx as evtx
    alloc = [e for e in events if not e["slack"]]
    got = []
    with evtx.Evtx(path) as log:
        for rec in log.records():
            x = rec.xml()
            r = {"num": rec.record_num(), "written": rec.timestamp()}
            m = re.search(r"<EventRecordID>(\d+)</EventRecordID>", x)
            r["record"] = int(m.group(1)) if m else None
            m = re.search(r'<TimeCreated SystemTime="([^"]*)">', x)
            r["time"] = py_time(m.group(1)) if m else None
            m = re.search(r"<Computer>(.*?)</Computer>", x, re.S)
            r["computer"] = html.unescape(m.group(1)) if m else None
            m = re.search(r'<Security UserID="([^"]*)">', x)
            r["user"] = m.group(1) if m else None
            m = re.search(r'<Provider Name="(.*?)"(?: Guid="([^"]*)")?>', x)
            r["provider"] = html.unescape(m.group(1)) if m else None
            r["guid"] = m.group(2) if m else None
            ed = x[x.find("<EventData"):]
            r["data"] = [(html.unescape(n), html.unescape(v)) for n, v in
                         re.findall(r'<Data Name="([^"]*)">(.*?)</Data>',
                                    ed, re.S)]
            got.append(r)
    if [g["record"] for g in got] != [e["record"] for e in alloc]:
        fail("python-evtx: record ids %s..., want %s..."
             % ([g["record"] for g in got][:8],
                [e["record"] for e in alloc][:8]))
    for g, e in zip(got, alloc):
        rid = e["record"]
        if g["num"] != rid:
            fail("python-evtx %d: record header identifier %d" % (rid,
                                                                  g["num"]))
        w = py_time(g["written"].strftime("%Y-%m-%d %H:%M:%S.%f"))
        if abs(w - e["written"]) > 100:
            fail("python-evtx %d: written time %s" % (rid, g["written"]))
        if e["systemtime"]:
            if g["time"] is None or abs(g["time"] - e["time"]) > 100:
                fail("python-evtx %d: SystemTime %r, want %d"
                     % (rid, g["time"], e["time"]))
        elif g["time"] is not None:
            fail("python-evtx %d: SystemTime present" % rid)
        for k in ("computer", "user", "provider"):
            if g[k] != e[k]:
                fail("python-evtx %d: %s %r, want %r" % (rid, k, g[k], e[k]))
        if e["provider"] == "Microsoft-Windows-Sysmon" and \
                (g["guid"] or "").upper() != \
                "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}":
            fail("python-evtx %d: provider GUID %r" % (rid, g["guid"]))
        wd = [(n, libevtx_value(n, v).upper()
               if value_type(n, v) == "guid" else v) for n, v in e["data"]]
        gd = [(n, v.upper() if value_type(n, v) == "guid" else v)
              for n, v in g["data"]]
        if gd != wd:
            fail("python-evtx %d: data %r, want %r" % (rid, gd, wd))
    print("python-evtx: %d records checked" % len(alloc))


# ---- damaged chunks -------------------------------------------------------

def check_damage(kind, path):
    """The description: one event per chunk, 3 chunks, the 2nd damaged."""
    info = subprocess.run(["evtxinfo", path], capture_output=True, text=True)
    if kind == "size":
        if info.returncode == 0 or "header size" not in info.stderr:
            fail("damage size: libevtx opened it (%d)" % info.returncode)
        return
    if info.returncode != 0 or "Is corrupted" not in info.stdout:
        fail("damage %s: libevtx does not report corruption" % kind)
    rec = subprocess.run(["evtxexport", "-f", "xml", "-m", "recovered",
                          path], capture_output=True, text=True)
    ids = {r["record"] for r in parse_libevtx_xml(rec.stdout)}
    if kind == "magic" and 2 not in ids:
        fail("damage magic: record 2 not recovered by libevtx")
    if kind != "magic" and ids:
        fail("damage %s: recovered %r" % (kind, ids))
    import Evtx.Evtx as evtx
    with evtx.Evtx(path) as log:
        ok = [c.verify() for c in log.chunks()]
    if ok != [True, False, True]:
        fail("damage %s: python-evtx chunk verify %r" % (kind, ok))
    print("damage %s: reported" % kind)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("main", "damage"):
        print(__doc__)
        return 2
    if sys.argv[1] == "damage":
        check_damage(sys.argv[2], sys.argv[3])
    else:
        events, dirty = parse_desc(sys.argv[2])
        data = open(sys.argv[3], "rb").read()
        where = structure(data, events, dirty)
        for e in events:
            w = where.get(e["record"])
            if w is None or w[1] != e["slack"]:
                fail("record %d: not found where expected (%r)"
                     % (e["record"], w))
        chunks = len({w[0] for w in where.values()})
        print("structure: %d events in %d chunks" % (len(events), chunks))
        check_libevtx(sys.argv[3], events)
        check_python_evtx(sys.argv[3], events)
    if FAILS:
        print("%d failure(s)" % len(FAILS))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
