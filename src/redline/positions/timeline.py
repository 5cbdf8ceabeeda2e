"""How a party's stance on one issue moved: its statements in date order, shifts marked.

One model serves ``redline timeline``, ``/api/timeline`` and the timeline page, so the three
cannot drift apart: the dated statements (``entries``, shifts marked), and, when a profile is
given, the curated positions as steps (``positions``) and the issue's scale (``options``).
Undated statements cannot be placed on a time axis: they are counted (``undated``), not drawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from pydantic import BaseModel, computed_field

from redline.model import Issue, Polarity, Statement
from redline.positions.aggregate import polarity_of, stance_of
from redline.sources import CitedEvidence, cite


class TimelineEntry(BaseModel):
    """One dated statement: its stance (an option id, or a bare polarity) and where it sits."""

    date: dt.date
    stance: str
    level: int | None = None  # index of the stance on the issue's scale (None: no scale known)
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
        return self.model_dump(mode="json")


class CuratedStep(BaseModel):
    """A curated position from the date it starts (the step line of the chart)."""

    since: dt.date
    preferred: str
    level: int
    red_lines: list[str]
    acceptable: list[str]
    salience: float
    evidence: list[CitedEvidence]


class Timeline(BaseModel):
    party: str
    issue: str
    entries: list[TimelineEntry]
    undated: int  # statements without a date, left out of the line
    profile: str | None = None
    proposition: str = ""
    options: list[str] = []
    positions: list[CuratedStep] = []
    statements_total: int | None = None  # matching statements in the store (entries may be fewer)
    store: bool = True

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shift_count(self) -> int:
        return len(self.shifts)

    @property
    def shifts(self) -> list[TimelineEntry]:
        return [e for e in self.entries if e.shift]

    def to_dict(self) -> dict[str, Any]:
        """The API's document, plus ``shifts`` (the count, under the name the CLI always used)."""
        d = self.model_dump(mode="json")
        d["shifts"] = d["shift_count"]
        return d


def _level(stance: str, polarity: str, issue: Issue | None) -> int | None:
    """Where a stance sits on the scale; a bare polarity goes to the matching end."""
    if issue is None:
        return None
    scale = issue.option_ids
    if stance in scale:
        return scale.index(stance)
    if not scale:
        return None
    return len(scale) - 1 if polarity == Polarity.FOR.value else 0


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
        entries.append(TimelineEntry(date=st.date, stance=stance, level=_level(stance, pol, issue_model),
                                     polarity=pol, shift=previous is not None and pol != previous,
                                     red_line=st.red_line, act=st.act.value, speaker=st.speaker,
                                     quote=st.quote, url=st.url, document_id=st.document_id,
                                     confidence=st.confidence))
        previous = pol
    return Timeline(party=party, issue=issue, entries=entries, undated=len(mine) - len(dated))


def profile_timeline(profile: Any, party: str, issue: str, statements: Iterable[Statement],
                     statements_total: int | None = None, has_store: bool = True) -> Timeline:
    """The statement timeline plus the profile's curated positions on the issue (ids checked)."""
    profile.party(party)
    issue_model = profile.issue(issue)
    line = timeline(statements, party, issue, issue_model)
    scale = issue_model.option_ids
    line.profile = profile.id
    line.proposition = issue_model.proposition
    line.options = list(scale)
    line.positions = [CuratedStep(since=p.since, preferred=p.preferred, level=scale.index(p.preferred),
                                  red_lines=p.red_lines, acceptable=p.acceptable, salience=p.salience,
                                  evidence=[cite(profile.sources, e) for e in p.evidence])
                      for p in sorted(profile.positions, key=lambda p: p.since)
                      if p.party == party and p.issue == issue and p.preferred in scale]
    line.statements_total = statements_total
    line.store = has_store
    return line

