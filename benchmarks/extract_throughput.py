"""Throughput of every extraction backend side by side, on one core and on 2 Dask workers.

Run: .venv/bin/python benchmarks/extract_throughput.py [--gold ../shared/eval/dev.jsonl]
[--repeat 3] [--backends lexicon,semantic,hybrid,trained] [--no-dask] [--no-bare].
Needs the `extract` extra; `semantic`/`hybrid` need `semantic`; the Dask part needs `dask`.
Prints documents/s per backend and each backend's ratio to the lexicon backend (issue #12: the
trained backend keeps >= 0.5x), plus bare spaCy on the extractor's components for reference.
All backends run in one process on the same texts, one after the other, so the shared machine's
load affects them alike; each is warmed up (models loaded) before timing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def load_texts(gold: Path, repeat: int) -> list[dict]:
    recs = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    return [{"id": f"{rec['id']}-{r}", "text": rec["text"]} for r in range(repeat) for rec in recs]


def bare_spacy(texts: list[str]) -> float:
    import spacy

    from redline.extract.nlp import EXCLUDE, MODEL_PACKAGE

    nlp = spacy.load(MODEL_PACKAGE, exclude=list(EXCLUDE))
    list(nlp.pipe(texts[:4]))
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - t


def one_core(records: list[dict], backend: str) -> float:
    from redline.extract.backends import make_extractor
    from redline.model import Document

    ex = make_extractor(backend=backend)
    docs = [Document(id=r["id"], text=r["text"]) for r in records]
    list(ex.extract(docs[:4]))  # warm up: models loaded, caches filled
    t = time.perf_counter()
    for _ in ex.extract(docs):
        pass
    return time.perf_counter() - t


def dask_run(records: list[dict], workers: int, backend: str, chunk: int = 20) -> float:
    from dask.distributed import Client, LocalCluster

    from redline.extract.backends import extract_records

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: sys.path.insert(0, str(REPO / "src")))
        client.run(extract_records, records[:2], backend)  # warm every worker before timing
        chunks = [records[i:i + chunk] for i in range(0, len(records), chunk)]
        t = time.perf_counter()
        client.gather(client.map(extract_records, chunks, backend=backend, pure=False))
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=REPO.parent / "shared" / "eval" / "dev.jsonl")
    ap.add_argument("--repeat", type=int, default=3, help="copies of the texts (more = steadier)")
    ap.add_argument("--backends", default="lexicon,semantic,hybrid,trained")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-bare", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    records = load_texts(args.gold, args.repeat)
    n = len(records)
    backends = [b for b in args.backends.split(",") if b]
    if "lexicon" not in backends:
        backends.insert(0, "lexicon")
    print(f"{n} documents ({args.repeat} copies of {args.gold.name}), one process, one core")
    if not args.no_bare:
        t = bare_spacy([r["text"] for r in records])
        print(f"  {'bare spaCy (extractor components)':36} {n / t:8.1f} docs/s")
    single: dict[str, float] = {}
    for b in backends:
        try:
            single[b] = n / one_core(records, b)
        except Exception as exc:  # a backend whose extra is not installed is reported, not fatal
            print(f"  {b:36} skipped: {exc}")
            continue
        print(f"  {b:36} {single[b]:8.1f} docs/s   {single[b] / single['lexicon']:5.2f}x lexicon", flush=True)
    if args.no_dask:
        return
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        print("dask not installed (pip install 'redline[dask]'): skipping the Dask run")
        return
    print("2 Dask workers (one process each, one thread)")
    dask2: dict[str, float] = {}
    for b in single:
        dask2[b] = n / dask_run(records, 2, b)
        print(f"  {b:36} {dask2[b]:8.1f} docs/s   {dask2[b] / dask2['lexicon']:5.2f}x lexicon   "
              f"{dask2[b] / single[b]:5.2f}x its one-core rate", flush=True)
    print("\n| backend | docs/s, 1 core | ratio to lexicon | docs/s, 2 Dask workers | ratio to lexicon |")
    print("|---|---|---|---|---|")
    for b in single:
        print(f"| {b} | {single[b]:.1f} | {single[b] / single['lexicon']:.2f} | {dask2[b]:.1f} | "
              f"{dask2[b] / dask2['lexicon']:.2f} |")


if __name__ == "__main__":
    main()
