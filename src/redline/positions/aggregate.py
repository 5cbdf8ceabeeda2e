"""Statements → one summary per (party, issue), and from it a *suggested* Position.

A statement's *stance* is the option it names, or the option its polarity means on the issue's
scale (``Issue.option_for_polarity``), or the bare polarity when the issue is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from redline.model import Evidence, Issue, Position, Statement

RECENT = 5      # the preferred option is the weighted majority of the latest statements
BEST_QUOTES = 3


def stance_of(st: Statement, issue: Issue | None) -> str:
    if st.option and (issue is None or st.option in issue.option_ids):
        return st.option
    if issue is not None:
        try:
            return issue.option_for_polarity(st.polarity)
        except KeyError:
            pass
    return st.polarity.value


def polarity_of(stance: str, issue: Issue | None) -> str:
    """for/against of a stance (an option id, or a bare polarity)."""
    if stance in ("for", "against") and (issue is None or stance not in issue.option_ids):
        return stance
    if issue is not None and stance in issue.option_ids:
        pol = issue.option(stance).polarity
        if pol is not None:
            return pol.value
    return stance


@dataclass
class Quote:
    date: dt.date | None
    stance: str
    polarity: str
    speaker: str
    quote: str
    url: str | None
    red_line: bool
    confidence: float
    act: str
    document_id: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat() if self.date else None, "stance": self.stance,
                "polarity": self.polarity, "speaker": self.speaker, "quote": self.quote, "url": self.url,
                "red_line": self.red_line, "confidence": self.confidence, "act": self.act,
                "document_id": self.document_id}


def _score(q: Quote) -> tuple:
    """Best quotes first: red lines, confident, with a source, recent, of a useful length."""
    length_ok = 20 <= len(q.quote) <= 400
    return (q.red_line, round(q.confidence, 1), bool(q.url), length_ok, q.date or dt.date.min)


@dataclass
class Aggregate:
    party: str
    issue: str
    count: int
    counts: dict[str, int]
    latest: str
    latest_date: dt.date | None
    dominant: str
    recent: str
    first_date: dt.date | None
    last_date: dt.date | None
    red_line: bool
    red_line_stances: list[str]
    disagreement: bool
    quotes: list[Quote] = field(default_factory=list)
    contradicting: list[Quote] = field(default_factory=list)
    undated: int = 0
    all_quotes: list[Quote] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {"party": self.party, "issue": self.issue, "count": self.count, "counts": self.counts,
                "latest": self.latest, "latest_date": iso(self.latest_date), "dominant": self.dominant,
                "recent": self.recent, "first_date": iso(self.first_date), "last_date": iso(self.last_date),
                "red_line": self.red_line, "red_line_stances": self.red_line_stances,
                "disagreement": self.disagreement, "undated": self.undated,
                "quotes": [q.to_dict() for q in self.quotes],
                "contradicting": [q.to_dict() for q in self.contradicting]}


def _quote(st: Statement, issue: Issue | None) -> Quote:
    stance = stance_of(st, issue)
    return Quote(st.date, stance, polarity_of(stance, issue), st.speaker, st.quote, st.url,
                 st.red_line, st.confidence, st.act.value, st.document_id)


def _weighted_top(quotes: list[Quote], tie_break: str) -> str:
    weight: Counter[str] = Counter()
    for q in quotes:
        weight[q.stance] += q.confidence
    top = max(weight.values())
    leaders = [s for s, w in weight.items() if abs(w - top) < 1e-9]
    return tie_break if tie_break in leaders else sorted(leaders)[0]


def aggregate(statements: Iterable[Statement], issues: dict[str, Issue] | None = None,
              as_of: dt.date | None = None) -> list[Aggregate]:
    """One Aggregate per (party, issue), sorted by party then issue. Statements dated after
    ``as_of`` are left out; undated ones count but never set the latest stance."""
    issues = issues or {}
    groups: dict[tuple[str, str], list[Quote]] = defaultdict(list)
    for st in statements:
        if as_of and st.date and st.date > as_of:
            continue
        groups[(st.party, st.issue)].append(_quote(st, issues.get(st.issue)))
    out = []
    for (party, issue_id), quotes in sorted(groups.items()):
        dated = sorted((q for q in quotes if q.date), key=lambda q: q.date)
        ordered = dated or quotes
        latest = ordered[-1]
        recent = _weighted_top(ordered[-RECENT:], latest.stance)
        dominant = _weighted_top(quotes, latest.stance)
        polarities = {q.polarity for q in quotes}
        best = sorted(quotes, key=_score, reverse=True)
        main = [q for q in best if q.stance == recent][:BEST_QUOTES]
        against = [q for q in best if q.polarity != polarity_of(recent, issues.get(issue_id))][:BEST_QUOTES]
        out.append(Aggregate(
            party=party, issue=issue_id, count=len(quotes),
            counts=dict(Counter(q.stance for q in quotes).most_common()),
            latest=latest.stance, latest_date=latest.date, dominant=dominant, recent=recent,
            first_date=dated[0].date if dated else None, last_date=dated[-1].date if dated else None,
            red_line=any(q.red_line for q in quotes),
            red_line_stances=sorted({q.stance for q in quotes if q.red_line}),
            disagreement=len(polarities & {"for", "against"}) > 1,
            quotes=main, contradicting=against, undated=len(quotes) - len(dated), all_quotes=best))
    return out


def suggested_position(agg: Aggregate, issue: Issue | None) -> Position | None:
    """The Position the statements suggest (origin ``suggested``), or None when no statement
    carries a dated http(s) source to serve as evidence."""
    if issue is None or agg.recent not in issue.option_ids:
        return None
    evidence = []
    for q in agg.all_quotes:  # best first
        if len(evidence) >= BEST_QUOTES:
            break
        if q.stance != agg.recent or not q.date or not q.url or not q.url.startswith(("http://", "https://")):
            continue
        if any(e.url == q.url and e.quote == q.quote for e in evidence):
            continue
        evidence.append(Evidence(url=q.url, date=q.date, speaker=q.speaker or agg.party,
                                 quote=q.quote or "(no quote extracted)"))
    if not evidence:
        return None
    pol = issue.option(agg.recent).polarity
    red_lines: list[str] = []
    if agg.red_line and agg.recent in agg.red_line_stances and pol is not None:
        red_lines = [o.id for o in issue.options if o.polarity is not None and o.polarity != pol]
    since = min(e.date for e in evidence)
    salience = min(1.0, 0.4 + (0.3 if red_lines else 0.0) + min(0.3, 0.03 * agg.count))
    return Position(party=agg.party, issue=agg.issue, preferred=agg.recent, acceptable=[],
                    red_lines=red_lines, salience=round(salience, 2), since=since, evidence=evidence,
                    note=f"suggested from {agg.count} statement(s) "
                         f"({', '.join(f'{k}: {v}' for k, v in agg.counts.items())})",
                    origin="suggested")


__all__ = ["Aggregate", "Quote", "aggregate", "suggested_position", "stance_of", "polarity_of"]
