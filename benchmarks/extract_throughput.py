"""Throughput of the extractor vs bare spaCy parsing of the same texts, then on Dask workers.

Run: .venv/bin/python benchmarks/extract_throughput.py [--gold ../shared/eval/dev.jsonl]
[--repeat 5] [--backend lexicon]. Needs the `extract` extra; the Dask part needs `dask`.
Prints documents/s and tokens/s and the ratios the issue asks for:
extractor / bare spaCy (same process, same texts) and Dask 2 workers / 1 worker.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def load_texts(gold: Path, repeat: int) -> list[dict]:
    recs = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    out = []
    for r in range(repeat):
        out += [{"id": f"{rec['id']}-{r}", "text": rec["text"]} for rec in recs]
    return out


def bare_spacy(texts: list[str], exclude: tuple[str, ...]) -> tuple[float, int]:
    from redline.extract.nlp import MODEL_PACKAGE
    import spacy

    nlp = spacy.load(MODEL_PACKAGE, exclude=list(exclude))
    list(nlp.pipe(texts[:4]))  # warm up
    t = time.perf_counter()
    ntok = sum(len(d) for d in nlp.pipe(texts, batch_size=32))
    return time.perf_counter() - t, ntok


def extractor_run(records: list[dict], backend: str) -> tuple[float, int]:
    from redline.extract.pipeline import Extractor
    from redline.model import Document

    ex = Extractor(backend=backend)
    docs = [Document(id=r["id"], text=r["text"]) for r in records]
    list(ex.run(docs[:4]))  # warm up
    t = time.perf_counter()
    ntok = sum(len(state.doc) for state in ex.run(docs))
    return time.perf_counter() - t, ntok


def dask_run(records: list[dict], workers: int, backend: str, chunk: int = 20) -> float:
    from dask.distributed import Client, LocalCluster

    from redline.extract.parallel import extract_dask, extract_records

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: sys.path.insert(0, str(REPO / "src")))
        # warm every worker (model load) before timing
        client.run(extract_records, records[:2], backend)
        t = time.perf_counter()
        extract_dask(records, client, backend=backend, chunk=chunk)
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=REPO.parent / "shared" / "eval" / "dev.jsonl")
    ap.add_argument("--repeat", type=int, default=5, help="copies of the texts (more = steadier)")
    ap.add_argument("--backend", default="lexicon")
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()

    records = load_texts(args.gold, args.repeat)
    texts = [r["text"] for r in records]
    n = len(texts)
    from redline.extract.nlp import EXCLUDE

    rows = []
    t_full, tok = bare_spacy(texts, ())
    rows.append(("bare spaCy, full default pipeline", t_full, tok))
    t_same, tok = bare_spacy(texts, EXCLUDE)
    rows.append(("bare spaCy, extractor's components", t_same, tok))
    t_ex, tok = extractor_run(records, args.backend)
    rows.append((f"extractor ({args.backend})", t_ex, tok))
    print(f"{n} documents, {tok} tokens, one process")
    for name, t, k in rows:
        print(f"  {name:38} {n / t:8.1f} docs/s {k / t:10.0f} tokens/s")
    print(f"ratio extractor / bare spaCy (full pipeline):        {t_full / t_ex:.2f}")
    print(f"ratio extractor / bare spaCy (same components):      {t_same / t_ex:.2f}")
    if args.no_dask:
        return
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        print("dask not installed (pip install 'redline[dask]'): skipping the Dask run")
        return
    t1 = dask_run(records, 1, args.backend)
    t2 = dask_run(records, 2, args.backend)
    print(f"  Dask, 1 worker                         {n / t1:8.1f} docs/s")
    print(f"  Dask, 2 workers                        {n / t2:8.1f} docs/s")
    print(f"ratio Dask 2 workers / 1 worker:                     {t1 / t2:.2f}")


if __name__ == "__main__":
    main()
