#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The rmmhunt developers
"""Splits a run's inputs into parts for tests/merge.test.

split.py SEED MODE RUN.json: reads the single run's JSON report and
prints one line per part, the input paths of that part separated by
tabs. MODE random: each file goes to one of 2-5 parts at random (at most
as many parts as files); MODE host: the same, but files that share a host
(System/Computer) stay together, so that each flagged host's story is
read from one part, as merge needs."""
import json
import random
import sys

seed, mode, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(seed)
inputs = json.load(open(path))["inputs"]
files = sorted({i["path"] for i in inputs})

# Groups of files that must stay together: one a file, or joined by host.
group = {f: {f} for f in files}
if mode == "host":
    by_host = {}
    for i in inputs:
        for c in i["computers"]:
            by_host.setdefault(c.lower(), set()).add(i["path"])
    for members in by_host.values():
        union = set().union(*(group[f] for f in members))
        for f in union:
            group[f] = union
groups = sorted({tuple(sorted(g)) for g in group.values()})
n = min(len(groups), rng.randint(2, 5))
parts = [[] for _ in range(n)]
for i, g in enumerate(rng.sample(groups, len(groups))):
    # every part gets a group first, then at random
    parts[i if i < n else rng.randrange(n)].extend(g)
for p in parts:
    print("\t".join(sorted(p)))
