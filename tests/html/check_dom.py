# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Reads the DOM Chromium dumped for an rmmhunt HTML report and prints
what a test can grep, one fact a line (tab-separated):

  JS ran                       the report's script ran (data-js on <html>)
  BAD <what>                   something that must never be there: an
                               injected element or attribute, a marker a
                               hostile string's handler would set
  ROW  sup host image module count first last rec/alloc evidence
  COV  path hosts status records recovered errors eid7 first last
  SKIP path reason counts-against-the-scan
  IMG  image format status logs ntfs-volumes vss-stores stored-hashes reason
  REACH host source logs first last
  SUM  label value
  PROC host process-heading           (the Hosts and processes section)
  MOD  module loads first last        (a process's modules)
  STORY label text                    (a process's story, one per item)

  check_dom.py DOM [--expect CSV] [--netlog NETLOG]

--expect: every row of the project's expected.csv must be a ROW (image,
host, count, first and last seen); a missing one prints BAD.
--netlog: a Chromium net log; every request the page made (not the
browser's own background ones) prints BAD.
"""
import csv
import html.parser
import json
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
# What the report writes, and nothing else.
ALLOWED = {"html", "head", "meta", "title", "style", "body", "header", "footer",
           "section", "h1", "h2", "h3", "p", "b", "code", "details", "summary",
           "table", "thead", "tbody", "tr", "th", "td", "span", "br", "dl", "dt",
           "dd", "input", "svg", "rect", "line", "text", "g", "path", "script",
           "small", "h4", "div", "ol", "ul", "li", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []

    def text(self):
        return "".join(c if isinstance(c, str) else
                       ("\n" if c.tag == "br" else c.text()) for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def classes(self):
        return self.attrs.get("class", "").split()


class Tree(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def cells(tr):
    return [c for c in tr.children if isinstance(c, Node) and c.tag == "td"]


def flat(s):
    return " ".join(s.split())


def main():
    args = sys.argv[1:]
    dom = args.pop(0)
    expect = netlog = None
    while args:
        opt = args.pop(0)
        if opt == "--expect":
            expect = args.pop(0)
        elif opt == "--netlog":
            netlog = args.pop(0)
    t = Tree()
    with open(dom, encoding="utf-8", errors="replace") as f:
        t.feed(f.read())
    out = []
    nodes = list(t.root.walk())
    html_el = next((n for n in nodes if n.tag == "html"), None)
    if html_el is not None and html_el.attrs.get("data-js") == "ran":
        out.append("JS\tran")
    for n in nodes:
        if n.tag == "#root":
            continue
        if n.tag not in ALLOWED:
            out.append("BAD\telement <%s>" % n.tag)
        for k, v in n.attrs.items():
            if k.startswith("on") or k in ("src", "href", "style", "srcdoc", "action"):
                out.append("BAD\tattribute %s on <%s>" % (k, n.tag))
            if k == "data-pwned":
                out.append("BAD\tmarker data-pwned=%s" % v)
    if sum(1 for n in nodes if n.tag == "script") != 1:
        out.append("BAD\tnot exactly one script element")
    title = next((n.text() for n in nodes if n.tag == "title"), "")
    if "pwned" in title:
        out.append("BAD\ttitle changed")

    rows = []
    for sec in (n for n in nodes if n.tag == "section" and "fs" in n.classes()):
        h3 = next((c for c in sec.children if isinstance(c, Node) and c.tag == "h3"), None)
        host = "".join(c for c in h3.children if isinstance(c, str)).strip() if h3 else ""
        for tr in (n for n in sec.walk() if n.tag == "tr"):
            td = [flat(c.text()) for c in cells(tr)]
            if len(td) < 11:
                continue
            sup = "sup" in tr.classes()
            if sup:
                host = td[11]
            rows.append(td)
            out.append("\t".join(["ROW", "1" if sup else "0", host, td[0], td[1],
                                  td[2], td[3], td[4], td[9], td[10]]))
    cov = next((n for n in nodes if n.tag == "section" and n.attrs.get("id") == "coverage"), None)
    if cov is not None:
        tables = [n for n in cov.walk() if n.tag == "table"]
        for i, tb in enumerate(tables):
            for tr in (n for n in tb.walk() if n.tag == "tr"):
                td = [flat(c.text()) for c in cells(tr)]
                if i == 0 and len(td) == 10:
                    out.append("\t".join(["COV"] + td[1:]))
                elif i == len(tables) - 1 and len(td) == 3:
                    out.append("\t".join(["SKIP"] + td))
                elif 0 < i < len(tables) - 1 and len(td) == 8:
                    out.append("\t".join(["IMG"] + td))
                elif 0 < i and len(td) == 5:
                    out.append("\t".join(["REACH"] + td))
    procs = next((n for n in nodes if n.tag == "section" and n.attrs.get("id") == "processes"), None)
    if procs is not None:
        host = ""
        for n in procs.walk():
            if n.tag == "h3":
                host = flat(n.text())
            elif n.tag == "div" and "proc" in n.classes():
                h4 = next(c for c in n.children if isinstance(c, Node) and c.tag == "h4")
                out.append("PROC\t%s\t%s" % (host, flat(h4.text())))
            elif n.tag == "table" and "mods" in n.classes():
                for tr in (m for m in n.walk() if m.tag == "tr"):
                    td = [flat(c.text()) for c in cells(tr)]
                    if td:
                        out.append("\t".join(["MOD"] + td))
            elif n.tag == "dl" and "story" in n.classes():
                label = None
                for c in n.children:
                    if isinstance(c, Node) and c.tag == "dt":
                        label = flat(c.text())
                    elif isinstance(c, Node) and c.tag == "dd":
                        out.append("STORY\t%s\t%s" % (label, flat(c.text())))
    for dl in (n for n in nodes if n.tag == "dl" and "sum" in n.classes()):
        label = None
        for c in dl.children:
            if isinstance(c, Node) and c.tag == "dt":
                label = flat(c.text())
            elif isinstance(c, Node) and c.tag == "dd":
                out.append("SUM\t%s\t%s" % (label, flat(c.text())))

    if expect:
        with open(expect, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                image = r["Image"]
                if image[:1] == "'" and image[1:2] in "=+-@\t\r":
                    image = image[1:]
                want = [image, r["count"], r["firstTime"], r["lastTime"]]
                if not any([td[0], td[2], td[3], td[4]] == want for td in rows):
                    out.append("BAD\tmissing row %s" % " ".join(want))
    if netlog:
        text = open(netlog, encoding="utf-8", errors="replace").read().rstrip()
        try:
            log = json.loads(text)
        except ValueError:          # a log cut short: close it
            log = json.loads(text.rstrip(",") + "]}")
        types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
        seen = 0
        for e in log["events"]:
            p = e.get("params") or {}
            if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
                continue
            seen += 1
            # The browser's own requests have no origin; the page's have
            # its (opaque, "null") origin and a file:// isolation key.
            if p.get("initiator") != "not an origin" or "file://" in p.get(
                    "network_isolation_key", ""):
                out.append("BAD\tpage requested %s" % p.get("url"))
        out.append("NET\t%d requests in the log" % seen)
    print("\n".join(out))


if __name__ == "__main__":
    main()
