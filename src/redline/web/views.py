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
import re
from typing import Any, Iterable

from pydantic import BaseModel

from redline.model import Position
from redline.positions.timeline import Timeline
from redline.services.matrix import Matrix, MatrixCell, matrix, position_dates, stance_of

# --- documents ------------------------------------------------------------------------------

class Segment(BaseModel):
    text: str
    mark: int | None = None  # the first statement whose quote this run holds: the mark's id (q-N)
    marks: list[int] = []  # every statement whose quote lies in this run (shared or overlapping quotes)


def _find(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quote is in the text: verbatim, else ignoring case and runs of white space."""
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    m = re.search(pattern, text, re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def highlight(text: str, quotes: list[str]) -> list[Segment]:
    """Split a text into plain runs and runs that are statements' quotes (first occurrence each).

    Quotes that overlap or repeat share one run, marked by the first of them and listing them
    all in ``marks``; quotes not found in the text are left unmarked (see ``quote_anchors``).
    """
    spans: list[tuple[int, int, int]] = []
    for i, q in enumerate(quotes):
        q = (q or "").strip()
        if not q:
            continue
        found = _find(text, q)
        if found is not None:
            spans.append((found[0], found[1], i))
    spans.sort()
    groups: list[tuple[int, int, list[int]]] = []
    for start, end, i in spans:
        if groups and start < groups[-1][1]:
            g_start, g_end, members = groups[-1]
            groups[-1] = (g_start, max(g_end, end), members + [i])
        else:
            groups.append((start, end, [i]))
    out: list[Segment] = []
    pos = 0
    for start, end, members in groups:
        if start > pos:
            out.append(Segment(text=text[pos:start]))
        members = sorted(members)
        out.append(Segment(text=text[start:end], mark=members[0], marks=members))
        pos = end
    if pos < len(text):
        out.append(Segment(text=text[pos:]))
    return out


def quote_anchors(segments: list[Segment], count: int) -> list[int | None]:
    """For each of ``count`` statements, the mark holding its quote (the link target ``#q-N``),
    or None when its quote is not in the text, so the page shows it without a dead link."""
    anchors: list[int | None] = [None] * count
    for seg in segments:
        for i in seg.marks:
            if 0 <= i < count:
                anchors[i] = seg.mark
    return anchors


# --- the CLI's words, said for the pages ---------------------------------------------------------

# The application layer's notes and explanations are worded for ``redline bargain``; a page has
# tick boxes and an export link instead of flags. Exact phrases, so nothing else is touched.
_WEB_WORDING = [
    ("choose others with --parties, or set bargaining.weighting in profile.yaml",
     "tick others under Parties, or set bargaining.weighting in the profile (profile.yaml)"),
    ("choose other --parties, or a later --as-of", "tick other parties, or choose a later date"),
    ("(all listed in --format json)", "(all listed in the JSON export)"),
    ("(redline assess checks it against a plan)", "(a plan's scorecard checks it)"),
    ("check questions.yaml and --fix", "check questions.yaml and the imposed terms"),
    ("--fix gives two options for", "the imposed terms give two options for"),
    ("--fix ", "the imposed term "),
]


def web_wording(text: str) -> str:
    """A note written for the command line, reworded to name the page's own controls."""
    for cli, web in _WEB_WORDING:
        text = text.replace(cli, web)
    return text


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
           "highlight", "quote_anchors", "Segment", "web_wording", "to_csv", "to_rows", "position_rows"]
