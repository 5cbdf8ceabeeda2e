"""Scoring extracted statements against a gold file (GUIDELINES.md: distinct triples per document)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from redline.model import Document

Triple = tuple[str, str, str]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Report:
    micro: Score
    act_correct: int
    act_total: int
    red_correct: int
    red_total: int
    per_issue: dict[str, Score]
    per_doc: dict[str, Score]
    errors: dict[str, dict[str, list[Triple]]] = field(default_factory=dict)

    @property
    def act_accuracy(self) -> float:
        return self.act_correct / self.act_total if self.act_total else 0.0

    @property
    def red_line_agreement(self) -> float:
        return self.red_correct / self.red_total if self.red_total else 0.0

    def worst(self, n: int = 5) -> list[tuple[str, Score]]:
        """The documents with the most to correct; one without an error (no gold statement and
        none extracted is right) is never among them, whatever its F1 of 0 by convention."""
        wrong = [kv for kv in self.per_doc.items() if kv[1].fp + kv[1].fn]
        return sorted(wrong, key=lambda kv: (kv[1].f1, -(kv[1].fp + kv[1].fn)))[:n]

    def as_dict(self, worst: int = 5) -> dict[str, Any]:
        return {
            "micro": self.micro.as_dict(),
            "act_accuracy": round(self.act_accuracy, 4), "act_matched": self.act_total,
            "red_line_agreement": round(self.red_line_agreement, 4), "red_line_matched": self.red_total,
            "per_issue": {k: v.as_dict() for k, v in sorted(self.per_issue.items())},
            "worst": [{"id": k, **v.as_dict(), "missed": [list(t) for t in self.errors[k]["missed"]],
                       "spurious": [list(t) for t in self.errors[k]["spurious"]]}
                      for k, v in self.worst(worst)],
        }


def _by_triple(statements: Iterable[dict[str, Any]]) -> dict[Triple, dict[str, Any]]:
    out: dict[Triple, dict[str, Any]] = {}
    for s in statements:
        out.setdefault((s["party"], s["issue"], s["polarity"]), s)
    return out


def score(gold: list[dict[str, Any]], predicted: dict[str, list[dict[str, Any]]]) -> Report:
    """Micro P/R/F1 over distinct (party, issue, polarity) per document; act and red line on
    the triples both sides found."""
    micro = Score()
    per_issue: dict[str, Score] = defaultdict(Score)
    per_doc: dict[str, Score] = {}
    errors: dict[str, dict[str, list[Triple]]] = {}
    act_ok = act_n = red_ok = red_n = 0
    for rec in gold:
        g = _by_triple(rec["statements"])
        p = _by_triple(predicted.get(rec["id"], []))
        doc = Score()
        for t in g.keys() | p.keys():
            if t in g and t in p:
                doc.tp += 1
                per_issue[t[1]].tp += 1
                if "act" in g[t]:  # a gold file may label triples only
                    act_n += 1
                    act_ok += g[t]["act"] == p[t].get("act")
                if "red_line" in g[t]:
                    red_n += 1
                    red_ok += bool(g[t]["red_line"]) == bool(p[t].get("red_line"))
            elif t in p:
                doc.fp += 1
                per_issue[t[1]].fp += 1
            else:
                doc.fn += 1
                per_issue[t[1]].fn += 1
        micro.tp += doc.tp
        micro.fp += doc.fp
        micro.fn += doc.fn
        per_doc[rec["id"]] = doc
        errors[rec["id"]] = {"missed": sorted(set(g) - set(p)), "spurious": sorted(set(p) - set(g))}
    return Report(micro, act_ok, act_n, red_ok, red_n, dict(per_issue), per_doc, errors)


def gold_documents(gold: list[dict[str, Any]]) -> list[Document]:
    docs = []
    for rec in gold:
        date = None
        if rec.get("date"):
            try:
                date = dt.date.fromisoformat(str(rec["date"])[:10])
            except ValueError:
                date = None
        docs.append(Document(id=rec["id"], text=rec["text"], url=rec.get("url"),
                             outlet=rec.get("outlet") or "", date=date))
    return docs


def evaluate(gold: list[dict[str, Any]], extractor: Any) -> Report:
    """Run the extractor on the gold documents and score it."""
    from redline.extract.io import statement_record

    predicted = {doc.id: [statement_record(s) for s in sts]
                 for doc, sts in extractor.extract(gold_documents(gold))}
    return score(gold, predicted)


def split_halves(gold: list[dict[str, Any]], seed: int = 13) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A fixed random half split of the gold documents (for develop-on-one, score-on-other)."""
    ids = sorted(r["id"] for r in gold)
    random.Random(seed).shuffle(ids)
    first = set(ids[: len(ids) // 2])
    return [r for r in gold if r["id"] in first], [r for r in gold if r["id"] not in first]


def format_report(report: Report, label: str = "", worst: int = 5) -> str:
    """Per-issue table, worst documents, then the summary (the last lines, read by hooks)."""
    lines = []
    lines.append(f"{'issue':28} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for issue, s in sorted(report.per_issue.items()):
        lines.append(f"{issue:28} {s.tp:4d} {s.fp:4d} {s.fn:4d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}")
    lines.append("")
    lines.append("worst documents:")
    for doc_id, s in report.worst(worst):
        miss = ", ".join("/".join(t) for t in report.errors[doc_id]["missed"][:3])
        spur = ", ".join("/".join(t) for t in report.errors[doc_id]["spurious"][:3])
        lines.append(f"  {doc_id}: F1 {s.f1:.3f} (tp {s.tp}, fp {s.fp}, fn {s.fn})"
                     + (f" missed {miss}" if miss else "") + (f" spurious {spur}" if spur else ""))
    lines.append("")
    m = report.micro
    head = f"summary{(' ' + label) if label else ''}:"
    lines.append(head)
    lines.append(f"  triples (party, issue, polarity): tp {m.tp}  fp {m.fp}  fn {m.fn}")
    lines.append(f"  precision {m.precision:.3f}  recall {m.recall:.3f}  F1 {m.f1:.3f}")
    lines.append(f"  act accuracy {report.act_accuracy:.3f} on {report.act_total} matched triples"
                 if report.act_total else "  act: not labelled in the gold file")
    lines.append(f"  red-line agreement {report.red_line_agreement:.3f} on {report.red_total} matched triples"
                 if report.red_total else "  red line: not labelled in the gold file")
    return "\n".join(lines)
