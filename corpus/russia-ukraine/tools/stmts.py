#!/usr/bin/env python3
"""Print both passes' statements for ids: stmts.py k2 ID [ID ...]"""
import json, sys, os
root = os.environ.get("REDLINE_CORPUS_ROOT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
k = sys.argv[1]; ids = set(sys.argv[2:])
for p in ("pass_a", "pass_b"):
    for l in open(os.path.join(root, p, k + ".jsonl"), encoding="utf-8"):
        d = json.loads(l)
        if d["id"] in ids:
            for s in d["statements"]:
                print(p[-1], d["id"], s["party"], s["issue"], s["polarity"], s["act"], s["red_line"], "|", s["speaker"], "|", s["quote"][:220])
