#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Checks every rmmhunt JSON report and JSON Lines file under the folders
named against the schemas (schema/*.schema.json, JSON Schema draft
2020-12). Called by tests/lib.sh's finish, so every test that writes
JSON checks it.

Usage: schema_check.py SCHEMA-DIR FOLDER...

A report is a *.json file holding an object with tool.name "rmmhunt"
and a run member (a file a test made up, or cut short on purpose, is
none); a JSON Lines file is a *.jsonl file, its lines with a data_type
of rmmhunt's checked. Prints one line a problem and a count; exits 0
when all hold, 1 when one does not, 3 when there was nothing to check.
"""
import json
import os
import sys

import jsonschema


def main():
    schemas = sys.argv[1]
    report = json.load(open(os.path.join(schemas, "rmmhunt-report.schema.json")))
    lines = json.load(open(os.path.join(schemas, "rmmhunt-jsonl.schema.json")))
    rv = jsonschema.Draft202012Validator(report)
    lv = jsonschema.Draft202012Validator(lines)
    bad = checked = 0
    for top in sys.argv[2:]:
        for folder, _, files in os.walk(top):
            for name in sorted(files):
                path = os.path.join(folder, name)
                if name.endswith(".json"):
                    try:
                        doc = json.load(open(path, encoding="utf-8"))
                    except (ValueError, OSError):
                        continue
                    if not (isinstance(doc, dict) and isinstance(doc.get("tool"), dict) and
                            doc["tool"].get("name") == "rmmhunt" and "run" in doc):
                        continue
                    checked += 1
                    for e in list(rv.iter_errors(doc))[:5]:
                        bad += 1
                        print("%s: %s: %s" % (path, "/".join(map(str, e.path)), e.message[:300]))
                elif name.endswith(".jsonl"):
                    try:
                        rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
                    except (ValueError, OSError):
                        continue
                    rows = [r for r in rows if isinstance(r, dict) and
                            str(r.get("data_type", "")).startswith("rmmhunt:")]
                    checked += bool(rows)
                    for n, r in enumerate(rows):
                        for e in list(lv.iter_errors(r))[:2]:
                            bad += 1
                            print("%s: line %d: %s" % (path, n + 1, e.message[:300]))
    print("%d report%s and JSON Lines file%s checked" % (checked, "" if checked == 1 else "s",
                                                          "" if checked == 1 else "s"))
    return 1 if bad else 0 if checked else 3


if __name__ == "__main__":
    sys.exit(main())
