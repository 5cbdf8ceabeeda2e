"""Data shaped for the web: the matrix, timelines, highlighted documents, CSV rows.

Pure functions over the library's models, shared by the JSON API and the HTML pages so both
always say the same thing. Nothing here renders HTML; escaping is the templates' job.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
from typing import Any, Iterable, Literal

from pydantic import BaseModel

from redline.assess.rules import DEFAULT_RULES, Rules
from redline.model import Issue, Polarity, Position, Statement
from redline.profile import Profile
from redline.sources import CitedEvidence, cite

Stance = Literal["for", "against", "mixed", "none"]


class MatrixCell(BaseModel):
    party: str
    issue: str
    preferred: str
    preferred_label: str
    stance: Stance
    acceptable: list[str]
    red_lines: list[str]
    has_red_line: bool
    salience: float
    since: dt.date
    note: str = ""
    newest_evidence: dt.date
    stale: bool = False
    evidence: list[CitedEvidence]


class MatrixIssue(BaseModel):
    id: str
    proposition: str
    options: list[str]


class MatrixParty(BaseModel):
    id: str
    name: str
    principal: bool


class Matrix(BaseModel):
    """Party × issue grid of curated positions as of a date; absent cells mean no stated position."""

    profile: str
    as_of: dt.date | None
    dates: list[dt.date]
    parties: list[MatrixParty]
    issues: list[MatrixIssue]
    cells: list[MatrixCell]


def stance_of(issue: Issue, option_id: str) -> Stance:
    """Whether choosing an option means for or against the issue's proposition."""
    try:
        pol = issue.option(option_id).polarity
    except KeyError:
        return "none"
    if pol == Polarity.FOR:
        return "for"
    if pol == Polarity.AGAINST:
        return "against"
    return "mixed"


def position_dates(profile: Profile) -> list[dt.date]:
    """Every date on which some curated position starts: the stops of the "as of" slider."""
    return sorted({p.since for p in profile.positions})


def _party_order(profile: Profile, ids: Iterable[str]) -> list[str]:
    order = {pid: i for i, pid in enumerate(profile.parties)}
    principals = profile.meta.principals
    return sorted(set(ids), key=lambda p: (p not in principals, principals.index(p) if p in principals else 0,
                                            order.get(p, 10**6)))


def matrix(profile: Profile, as_of: dt.date | None = None, parties: list[str] | None = None,
           rules: Rules = DEFAULT_RULES) -> Matrix:
    """Curated positions as of a date (``None``: the latest, judged stale against today)."""
    for p in parties or []:
        profile.party(p)
    positions = profile.positions_as_of(as_of, parties)
    today = as_of or dt.date.today()
    party_ids = parties or _party_order(profile, {p for p, _ in positions} | set(profile.meta.principals))
    cells = []
    for (party, issue_id), pos in positions.items():
        issue = profile.issues[issue_id]
        try:
            label = issue.option(pos.preferred).label or pos.preferred
        except KeyError:
            label = pos.preferred
        cells.append(MatrixCell(
            party=party, issue=issue_id, preferred=pos.preferred, preferred_label=label,
            stance=stance_of(issue, pos.preferred), acceptable=pos.acceptable, red_lines=pos.red_lines,
            has_red_line=bool(pos.red_lines), salience=pos.salience, since=pos.since, note=pos.note,
            newest_evidence=max(e.date for e in pos.evidence),
            stale=(today - max(e.date for e in pos.evidence)).days > rules.stale_after_days,
            evidence=[cite(profile.sources, e) for e in pos.evidence]))
    cells.sort(key=lambda c: (party_ids.index(c.party) if c.party in party_ids else 10**6,
                              list(profile.issues).index(c.issue)))
    return Matrix(
        profile=profile.id, as_of=as_of, dates=position_dates(profile),
        parties=[MatrixParty(id=p, name=profile.parties[p].name, principal=p in profile.meta.principals)
                 for p in party_ids],
        issues=[MatrixIssue(id=i.id, proposition=i.proposition, options=i.option_ids)
                for i in profile.issues.values()],
        cells=cells)


# --- timeline -------------------------------------------------------------------------------

class TimelinePoint(BaseModel):
    date: dt.date | None
    option: str
    level: int = 0
    polarity: Polarity
    act: str
    red_line: bool
    speaker: str
    quote: str
    url: str | None
    document_id: str | None
    confidence: float


class TimelineStep(BaseModel):
    since: dt.date
    preferred: str
    level: int
    red_lines: list[str]
    acceptable: list[str]
    salience: float
    evidence: list[CitedEvidence]


class Timeline(BaseModel):
    """A party's stance on one issue over time: curated steps and extracted statements."""

    profile: str
    party: str
    issue: str
    proposition: str
    options: list[str]
    positions: list[TimelineStep]
    statements: list[TimelinePoint]
    statements_total: int
    store: bool


def option_of(issue: Issue, st: Statement) -> str:
    """The option a statement stands for: its own, else what its bare polarity means on the scale."""
    if st.option and st.option in issue.option_ids:
        return st.option
    try:
        return issue.option_for_polarity(st.polarity)
    except KeyError:
        return issue.option_ids[-1] if st.polarity == Polarity.FOR else issue.option_ids[0]


def timeline(profile: Profile, party: str, issue_id: str, statements: list[Statement],
             statements_total: int, has_store: bool) -> Timeline:
    profile.party(party)
    issue = profile.issue(issue_id)
    scale = issue.option_ids
    steps = [TimelineStep(since=p.since, preferred=p.preferred, level=scale.index(p.preferred),
                          red_lines=p.red_lines, acceptable=p.acceptable, salience=p.salience,
                          evidence=[cite(profile.sources, e) for e in p.evidence])
             for p in sorted(profile.positions, key=lambda p: p.since)
             if p.party == party and p.issue == issue_id and p.preferred in scale]
    points = []
    for st in sorted(statements, key=lambda s: (s.date or dt.date.min)):
        opt = option_of(issue, st)
        points.append(TimelinePoint(date=st.date, option=opt, level=scale.index(opt), polarity=st.polarity,
                                    act=st.act.value if hasattr(st.act, "value") else str(st.act),
                                    red_line=st.red_line, speaker=st.speaker, quote=st.quote, url=st.url,
                                    document_id=st.document_id, confidence=st.confidence))
    return Timeline(profile=profile.id, party=party, issue=issue_id, proposition=issue.proposition,
                    options=scale, positions=steps, statements=points, statements_total=statements_total,
                    store=has_store)


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


__all__ = ["Matrix", "MatrixCell", "matrix", "stance_of", "position_dates", "Timeline", "timeline",
           "highlight", "Segment", "to_csv", "to_rows", "position_rows", "option_of"]
