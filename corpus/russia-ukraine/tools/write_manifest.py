#!/usr/bin/env python3
"""Rewrite MANIFEST.tsv (id, url, outlet, date, split) from articles/*.jsonl.

Usage: write_manifest.py            (run after adding a chunk; tests/extract/test_corpus.py
                                     fails until the committed manifest matches the articles)
The split column is `redline.extract.corpus.split_of(url)`, the same rule training and scoring use.
"""
import os
import sys
from pathlib import Path

from redline.extract.corpus import load_corpus, manifest_rows

ROOT = Path(os.environ.get("REDLINE_CORPUS_ROOT") or Path(__file__).resolve().parents[1])


def main():
    rows = manifest_rows(load_corpus(ROOT))
    with open(ROOT / "MANIFEST.tsv", "w", encoding="utf-8") as f:
        f.write("id\turl\toutlet\tdate\tsplit\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} articles, {sum(r[4] == 'test' for r in rows)} test", file=sys.stderr)


if __name__ == "__main__":
    main()
