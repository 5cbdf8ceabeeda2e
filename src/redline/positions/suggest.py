"""Suggested positions: what the stored statements say, set against the curated positions.

Curated positions always win: the suggestion never replaces one, it says whether the news since
its date *confirms* it, *contradicts* it or *adds a red line*; pairs without a curated position
are *new*. ``suggest_cli`` is what ``redline positions --suggest`` prints.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import sys
from dataclasses import dataclass
from typing import Any, Iterable

from redline.errors import DataError
from redline.model import Position, Statement
from redline.positions.aggregate import Aggregate, aggregate, polarity_of, suggested_position

NEW, CONFIRMS, CONTRADICTS, ADDS_RED_LINE, NO_NEWS = (
    "new", "confirms", "contradicts", "adds red line", "no news since")


@dataclass
class Suggestion:
    party: str
    issue: str
    status: str
    aggregate: Aggregate          # all statements up to the date
    news: Aggregate | None        # statements since the curated position (all, when there is none)
    curated: Position | None
    suggested: Position | None

    @property
    def effective(self) -> Position | None:
        """The position to use: the curated one when there is one."""
        return self.curated or self.suggested

    def to_dict(self) -> dict[str, Any]:
        dump = lambda p: p.model_dump(mode="json") if p else None  # noqa: E731
        return {"party": self.party, "issue": self.issue, "status": self.status,
                "curated": dump(self.curated), "suggested": dump(self.suggested),
                "effective": dump(self.effective), "statements": self.aggregate.to_dict(),
                "news": self.news.to_dict() if self.news else None}


def suggest(profile, statements: Iterable[Statement], as_of: dt.date | None = None) -> list[Suggestion]:
    """One Suggestion per (party, issue) of the profile that statements speak about."""
    statements = [s for s in statements if s.party in profile.parties and s.issue in profile.issues]
    curated = profile.positions_as_of(as_of)
    out = []
    for agg in aggregate(statements, profile.issues, as_of):
        issue = profile.issues[agg.issue]
        cur = curated.get((agg.party, agg.issue))
        suggested = suggested_position(agg, issue)
        if cur is None:
            out.append(Suggestion(agg.party, agg.issue, NEW, agg, agg, None, suggested))
            continue
        later = [s for s in statements if s.party == agg.party and s.issue == agg.issue
                 and s.date and s.date >= cur.since and (as_of is None or s.date <= as_of)]
        news = aggregate(later, profile.issues)[0] if later else None
        if news is None:
            status = NO_NEWS
        elif polarity_of(news.recent, issue) != polarity_of(cur.preferred, issue):
            status = CONTRADICTS
        elif news.red_line and news.recent in news.red_line_stances and not cur.red_lines:
            status = ADDS_RED_LINE
        else:
            status = CONFIRMS
        out.append(Suggestion(agg.party, agg.issue, status, agg, news, cur, suggested))
    return out


# --- output -------------------------------------------------------------------------------

def _short(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _rows(items: list[Suggestion]) -> list[dict[str, str]]:
    rows = []
    for s in items:
        shown = s.news or s.aggregate
        cur = f"{s.curated.preferred} (since {s.curated.since})" if s.curated else "—"
        counts = ", ".join(f"{k} {v}" for k, v in shown.counts.items())
        span = f"{shown.first_date or '?'} – {shown.last_date or '?'}"
        quote = shown.quotes[0] if shown.quotes else None
        against = shown.contradicting[0] if shown.disagreement and shown.contradicting else None
        rows.append({
            "party": s.party, "issue": s.issue, "status": s.status, "curated": cur,
            "news": f"{shown.recent} ({counts}; {span})",
            "red_line": "yes" if shown.red_line else "",
            "quote": (f"{quote.date or ''} {quote.speaker or s.party}: “{_short(quote.quote)}”"
                      if quote else ""),
            "also_said": (f"{against.date or ''} {against.speaker or s.party}: “{_short(against.quote)}”"
                          if against else ""),
        })
    return rows


COLUMNS = ["party", "issue", "status", "curated", "news", "red_line", "quote", "also_said"]


def render_suggestions(items: list[Suggestion], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([s.to_dict() for s in items], indent=2, ensure_ascii=False)
    rows = _rows(items)
    if fmt == "html":
        head = "".join(f"<th>{c}</th>" for c in COLUMNS)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(r[c])}</td>" for c in COLUMNS) + "</tr>"
                       for r in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    esc = lambda v: v.replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(esc(r[c]) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def _terminal(items: list[Suggestion], as_of: dt.date | None) -> None:
    from rich.console import Console
    from rich.table import Table

    colour = {NEW: "cyan", CONFIRMS: "green", CONTRADICTS: "red", ADDS_RED_LINE: "magenta",
              NO_NEWS: "dim"}
    table = Table(title=f"Positions suggested by the news{f' as of {as_of}' if as_of else ''} "
                        "(curated positions win)", show_lines=True)
    for c in ("party", "issue", "status", "curated", "news", "red line", "best quote / also said"):
        table.add_column(c, overflow="fold")
    for s, r in zip(items, _rows(items)):
        quotes = r["quote"] + (f"\n[yellow]also:[/] {r['also_said']}" if r["also_said"] else "")
        table.add_row(r["party"], r["issue"], f"[{colour[s.status]}]{r['status']}[/]", r["curated"],
                      r["news"], r["red_line"], quotes)
    Console().print(table)


def suggest_cli(profile, as_of: dt.date | None, fmt: str, db: str | None = None) -> None:
    """``redline positions --suggest``: aggregate the stored statements, compare, print."""
    from redline.store import open_store

    store = open_store(db, upgrade=True)
    try:
        statements = store.all_statements(until=as_of)
    finally:
        store.close()
    if not statements:
        raise DataError(f"no statements in the database ({store.url})",
                        fix="run 'redline ingest --extract PATH' first (or set REDLINE_DATABASE_URL)")
    items = suggest(profile, statements, as_of)
    if not items:
        raise DataError(f"none of the {len(statements)} stored statements is about a party and issue "
                        f"of profile {profile.id!r}", fix="ingest articles about this conflict")
    if fmt == "terminal":
        _terminal(items, as_of)
    else:
        text = render_suggestions(items, fmt)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
