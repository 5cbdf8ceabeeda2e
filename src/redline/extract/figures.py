"""The figures of issue #12: every backend on the frozen test split and on dev, attribution errors
apart, and the trained backend's precision/recall curve over ``min_confidence``.

Run: ``python -m redline.extract.figures [--backends lexicon,semantic,hybrid,trained] [--out F.json]``.
The test split is only *scored* here (one figure per change); nothing in it feeds training.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from redline.extract.evaluate import Score, gold_documents, score


class AttributionErrors(BaseModel):
    """Predicted triples that are wrong only in the party: the gold has the same issue and
    polarity in that document for another party, and not for this one."""

    wrong_party: int
    false_positives: int
    share_of_false_positives: float


class BackendFigures(BaseModel):
    backend: str
    data: str
    documents: int
    gold_triples: int
    precision: float
    recall: float
    f1: float
    act_accuracy: float
    red_line_agreement: float
    attribution: AttributionErrors
    seconds: float


class CurvePoint(BaseModel):
    min_confidence: float
    precision: float
    recall: float
    f1: float
    statements: int


def predict(extractor: Any, records: list[dict]) -> dict[str, list[dict]]:
    from redline.extract.io import statement_record

    return {doc.id: [statement_record(s) for s in sts] for doc, sts in extractor.extract(gold_documents(records))}


def attribution_errors(records: list[dict], predicted: dict[str, list[dict]]) -> AttributionErrors:
    wrong = fps = 0
    for rec in records:
        gold = {(s["party"], s["issue"], s["polarity"]) for s in rec["statements"]}
        pred = {(s["party"], s["issue"], s["polarity"]) for s in predicted.get(rec["id"], [])}
        for t in pred - gold:
            fps += 1
            wrong += any(g[1:] == t[1:] and g[0] != t[0] for g in gold)
    return AttributionErrors(wrong_party=wrong, false_positives=fps,
                             share_of_false_positives=round(wrong / fps, 4) if fps else 0.0)


def figures(backend: str, data: str, records: list[dict], predicted: dict[str, list[dict]],
            seconds: float) -> BackendFigures:
    rep = score(records, predicted)
    m = rep.micro
    return BackendFigures(backend=backend, data=data, documents=len(records),
                          gold_triples=m.tp + m.fn, precision=round(m.precision, 4), recall=round(m.recall, 4),
                          f1=round(m.f1, 4), act_accuracy=round(rep.act_accuracy, 4),
                          red_line_agreement=round(rep.red_line_agreement, 4),
                          attribution=attribution_errors(records, predicted), seconds=round(seconds, 1))


def curve(records: list[dict], predicted: dict[str, list[dict]],
          cuts: tuple[float, ...] = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)) -> list[CurvePoint]:
    """P/R when statements below each cut-off are dropped (predicted at the lowest cut-off)."""
    out = []
    for c in cuts:
        kept = {k: [s for s in v if s["confidence"] >= c] for k, v in predicted.items()}
        m: Score = score(records, kept).micro
        out.append(CurvePoint(min_confidence=c, precision=round(m.precision, 4), recall=round(m.recall, 4),
                              f1=round(m.f1, 4), statements=sum(len(v) for v in kept.values())))
    return out


def markdown(rows: list[BackendFigures]) -> str:
    lines = ["| backend | data | docs | P | R | F1 | act acc. | wrong party (of FPs) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        a = r.attribution
        lines.append(f"| {r.backend} | {r.data} | {r.documents} | {r.precision:.3f} | {r.recall:.3f} | "
                     f"**{r.f1:.3f}** | {r.act_accuracy:.3f} | {a.wrong_party} of {a.false_positives} |")
    return "\n".join(lines)


_CHUNK = re.compile(r"([^\W\d]*)(\d+)")


def chunk_group(spec: str, known: set[str]) -> set[str]:
    """The chunk names a group such as ``k1,k2,k3`` or ``k1-k11`` stands for (a range takes every
    known chunk with the same prefix whose number lies between the two ends)."""
    out: set[str] = set()
    for item in filter(None, (x.strip() for x in spec.split(","))):
        lo, _, hi = item.partition("-")
        ends = _CHUNK.fullmatch(lo), _CHUNK.fullmatch(hi)
        if not all(ends):
            out.add(item)
            continue
        (prefix, a), (_, b) = ends[0].groups(), ends[1].groups()
        out |= {c for c in known if (m := _CHUNK.fullmatch(c)) and m[1] == prefix and int(a) <= int(m[2]) <= int(b)}
    unknown = out - known
    if unknown:
        raise SystemExit(f"--also-chunks: no such chunk {', '.join(sorted(unknown))}")
    return out


def main(argv: list[str] | None = None) -> None:
    from redline.extract.backends import make_extractor
    from redline.extract.corpus import default_root, load_corpus
    from redline.extract.io import read_gold
    from redline.extract.trained import FLOOR
    from redline.profile import load_profile

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", default="lexicon,semantic,hybrid,trained")
    ap.add_argument("--dev", type=Path, default=Path(__file__).resolve().parents[4] / "shared" / "eval" / "dev.jsonl")
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--profile", default=None)
    ap.add_argument("--model", default=None, help="trained artefact (default: the packaged one)")
    ap.add_argument("--out", type=Path, default=None, help="write all figures as JSON here")
    ap.add_argument("--also-chunks", default="",
                    help="also score the test articles of these chunks alone (e.g. k1-k3: the split as it was "
                         "before later chunks joined), so figures stay comparable across rounds; several groups "
                         "are separated by ';' (k1-k3;k1-k11)")
    args = ap.parse_args(argv)

    corpus = load_corpus(args.corpus or default_root())
    sets = {"test": corpus.records("test"), "dev": read_gold(args.dev)}
    for group in filter(None, args.also_chunks.split(";")):
        chunks = chunk_group(group, set(corpus.chunk.values()))
        sets[f"test[{group}]"] = [r for r in sets["test"] if corpus.chunk[r["id"]] in chunks]
    prof = load_profile(args.profile)
    rows: list[BackendFigures] = []
    curves: dict[str, list[CurvePoint]] = {}
    for backend in args.backends.split(","):
        kwargs = {"model": args.model} if backend == "trained" and args.model else {}
        ex = make_extractor(prof, backend, **kwargs)
        for name, recs in sets.items():
            t = time.perf_counter()
            if backend == "trained":
                default_cut = ex.min_confidence
                ex.min_confidence = FLOOR
                low = predict(ex, recs)
                ex.min_confidence = default_cut
                pred = {k: [s for s in v if s["confidence"] >= default_cut] for k, v in low.items()}
                curves[name] = curve(recs, low)
            else:
                pred = predict(ex, recs)
            rows.append(figures(backend, name, recs, pred, time.perf_counter() - t))
            print(f"{backend:9} {name:5} P {rows[-1].precision:.3f} R {rows[-1].recall:.3f} F1 {rows[-1].f1:.3f} "
                  f"act {rows[-1].act_accuracy:.3f} wrong-party {rows[-1].attribution.wrong_party}", flush=True)
    print(markdown(rows))
    for name, pts in curves.items():
        print(f"\ntrained, {name}: min_confidence → P / R / F1")
        for p in pts:
            print(f"  {p.min_confidence:.2f}  {p.precision:.3f} {p.recall:.3f} {p.f1:.3f}  ({p.statements})")
    if args.out:
        args.out.write_text(json.dumps({"figures": [r.model_dump() for r in rows],
                                        "curves": {k: [p.model_dump() for p in v] for k, v in curves.items()},
                                        "label_sources": _sources(corpus)}, indent=2) + "\n")


def _sources(corpus: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for aid in corpus.articles:
        key = f"{corpus.split(aid)}:{corpus.label_source(aid)}"
        out[key] = out.get(key, 0) + 1
    return out


if __name__ == "__main__":
    main()
