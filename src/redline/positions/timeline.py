"""How a party's stance on one issue moved: its statements in date order, shifts marked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from redline.model import Issue, Statement
from redline.positions.aggregate import polarity_of, stance_of


@dataclass
class TimelineEntry:
    date: dt.date
    stance: str
    polarity: str
    shift: bool  # the polarity differs from the previous entry's
    red_line: bool
    act: str
    speaker: str
    quote: str
    url: str | None
    document_id: str | None
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["date"] = self.date.isoformat()
        return d


@dataclass
class Timeline:
    party: str
    issue: str
    entries: list[TimelineEntry]
    undated: int  # statements without a date, left out of the line

    @property
    def shifts(self) -> list[TimelineEntry]:
        return [e for e in self.entries if e.shift]

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "issue": self.issue, "undated": self.undated,
                "shifts": len(self.shifts), "entries": [e.to_dict() for e in self.entries]}


def timeline(statements: Iterable[Statement], party: str, issue: str,
             issue_model: Issue | None = None) -> Timeline:
    """The dated statements of ``party`` on ``issue``, oldest first."""
    mine = [s for s in statements if s.party == party and s.issue == issue]
    dated = sorted((s for s in mine if s.date), key=lambda s: (s.date, -s.confidence))
    entries: list[TimelineEntry] = []
    previous: str | None = None
    for st in dated:
        stance = stance_of(st, issue_model)
        pol = polarity_of(stance, issue_model)
        entries.append(TimelineEntry(date=st.date, stance=stance, polarity=pol,
                                     shift=previous is not None and pol != previous,
                                     red_line=st.red_line, act=st.act.value, speaker=st.speaker,
                                     quote=st.quote, url=st.url, document_id=st.document_id,
                                     confidence=st.confidence))
        previous = pol
    return Timeline(party, issue, entries, undated=len(mine) - len(dated))


def timeline_from_store(store, party: str, issue: str, issue_model: Issue | None = None,
                        since: dt.date | None = None, until: dt.date | None = None) -> Timeline:
    return timeline(store.all_statements(party=party, issue=issue, since=since, until=until),
                    party, issue, issue_model)
