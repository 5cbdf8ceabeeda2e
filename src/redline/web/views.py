"""Data shaped for the web: highlighted documents and CSV rows.

The matrix, timelines and every analysis come from the application layer (``redline.services``,
``redline.positions.timeline``); what is left here is presentation that only the web needs.
Nothing here renders HTML; escaping is the templates' job.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
from typing import Any, Iterable

from pydantic import BaseModel

from redline.model import Position
from redline.positions.timeline import Timeline
from redline.services.matrix import Matrix, MatrixCell, matrix, position_dates, stance_of

# --- documents ------------------------------------------------------------------------------

class Segment(BaseModel):
    text: str
    mark: int | None = None  # index of the statement whose quote this is


def highlight(text: str, quotes: list[str]) -> list[Segment]:
    """Split a text into plain runs and runs that are a statement's quote (first occurrence each).

    Overlapping quotes keep the earlier one; quotes not found verbatim are left unmarked.
    """
    spans: list[tuple[int, int, int]] = []
    for i, q in enumerate(quotes):
        q = (q or "").strip()
        if not q:
            continue
        start = text.find(q)
        if start < 0:
            low = text.lower().find(q.lower())
            if low < 0:
                continue
            start = low
        spans.append((start, start + len(q), i))
    spans.sort()
    out: list[Segment] = []
    pos = 0
    for start, end, i in spans:
        if start < pos:
            continue
        if start > pos:
            out.append(Segment(text=text[pos:start]))
        out.append(Segment(text=text[start:end], mark=i))
        pos = end
    if pos < len(text):
        out.append(Segment(text=text[pos:]))
    return out


# --- CSV ------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """One CSV cell; text that a spreadsheet would run as a formula is prefixed with a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, (list, tuple)):
        value = ";".join(_cell(v) for v in value)
    elif isinstance(value, dict):
        value = ";".join(f"{k}={_cell(v)}" for k, v in value.items())
    elif isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    else:
        value = str(value)
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return value


def to_rows(items: Iterable[Any]) -> list[dict[str, Any]]:
    rows = []
    for it in items:
        if isinstance(it, BaseModel):
            rows.append(it.model_dump(mode="json"))
        elif dataclasses.is_dataclass(it):
            rows.append(dataclasses.asdict(it))
        else:
            rows.append(dict(it))
    return rows


def to_csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    """CSV of flat rows; nested lists are joined with ';', evidence lists become their quotes."""
    if columns is None:
        columns = []
        for r in rows:
            for k in r:
                if k not in columns:
                    columns.append(k)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        out = []
        for c in columns:
            v = r.get(c)
            if c == "evidence" and isinstance(v, list):
                v = [e.get("quote", "") if isinstance(e, dict) else str(e) for e in v]
            out.append(_cell(v))
        w.writerow(out)
    return buf.getvalue()


def position_rows(positions: Iterable[Position]) -> list[dict[str, Any]]:
    rows = []
    for p in positions:
        d = p.model_dump(mode="json")
        ev = p.evidence[0] if p.evidence else None
        d["evidence"] = [e.quote for e in p.evidence]
        d["evidence_url"] = ev.url if ev else None
        d["evidence_date"] = ev.date.isoformat() if ev else None
        rows.append(d)
    return rows


__all__ = ["Matrix", "MatrixCell", "matrix", "stance_of", "position_dates", "Timeline",
           "highlight", "Segment", "to_csv", "to_rows", "position_rows"]
