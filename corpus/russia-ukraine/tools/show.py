#!/usr/bin/env python3
"""Print article text for ids: show.py k1 k1-0001 [k1-0002 ...]"""
import json, sys, os
root = os.environ.get("REDLINE_CORPUS_ROOT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
k = sys.argv[1]; ids = set(sys.argv[2:])
for line in open(os.path.join(root, "articles", k + ".jsonl"), encoding="utf-8"):
    d = json.loads(line)
    if d["id"] in ids:
        print(f"########## {d['id']} {d['date']} {d['outlet']}\n{d['text']}\n")
