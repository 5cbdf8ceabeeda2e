"""Compare two plans issue by issue (not point by point), with a word-level redline of the texts."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from redline.assess.engine import Assessment, assess
from redline.assess.rules import DEFAULT_RULES, Rules
from redline.model import Plan, Provision
from redline.profile import Profile

Change = Literal["added", "removed", "deferred", "changed", "same"]
UNMAPPED_MATCH = 70  # rapidfuzz token_set_ratio above which two unmapped points are "the same point"


class Segment(BaseModel):
    op: Literal["equal", "insert", "delete"]
    text: str


class IssueChange(BaseModel):
    issue: str | None
    proposition: str
    change: Change
    before_provision: str | None = None
    after_provision: str | None = None
    before_option: str | None = None
    after_option: str | None = None
    before_text: str | None = None
    after_text: str | None = None
    before_parameters: dict[str, float] = {}
    after_parameters: dict[str, float] = {}
    effects: list[str] = Field(default_factory=list,
                               description="how the change moves each party's status on the issue")
    redline: list[Segment] = []


class PartyChange(BaseModel):
    party: str
    satisfaction_before: float | None
    satisfaction_after: float | None
    red_lines_before: list[str]
    red_lines_after: list[str]
    red_lines_added: list[str]
    red_lines_removed: list[str]


class Comparison(BaseModel):
    profile: str
    before: str
    after: str
    as_of: dt.date
    changes: list[IssueChange]
    parties: list[PartyChange]
    before_assessment: Assessment
    after_assessment: Assessment


def word_redline(before: str, after: str) -> list[Segment]:
    """Word-level diff: equal runs, deletions and insertions, whitespace kept with the words."""
    a = re.findall(r"\S+\s*", before)
    b = re.findall(r"\S+\s*", after)
    sm = difflib.SequenceMatcher(a=[w.strip() for w in a], b=[w.strip() for w in b], autojunk=False)
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.append(Segment(op="equal", text="".join(b[j1:j2])))
        if tag in ("delete", "replace"):
            out.append(Segment(op="delete", text="".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(Segment(op="insert", text="".join(b[j1:j2])))
    return out


def _pair_unmapped(before: list[Provision], after: list[Provision]) -> list[tuple[Provision | None, Provision | None]]:
    """Greedy best-first pairing of points that map to no issue, by text similarity."""
    scored = sorted(((fuzz.token_set_ratio(a.text, b.text), i, j)
                     for i, a in enumerate(before) for j, b in enumerate(after)), reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[Provision | None, Provision | None]] = []
    for score, i, j in scored:
        if score < UNMAPPED_MATCH:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((before[i], after[j]))
    pairs += [(a, None) for i, a in enumerate(before) if i not in used_a]
    pairs += [(None, b) for j, b in enumerate(after) if j not in used_b]
    return pairs


def _change(issue: str | None, proposition: str, a: Provision | None, b: Provision | None) -> IssueChange:
    """What happened to one issue between two drafts. A point bracketed for later talks in the
    second draft is *deferred*, not removed: the issue is still on the table."""
    if b is not None and b.deferred and (a is None or not a.deferred):
        kind: Change = "deferred"
    elif a is None:
        kind = "added"
    elif b is None:
        kind = "removed"
    elif a.option == b.option and a.text.strip() == b.text.strip() and a.parameters == b.parameters:
        kind = "same"
    elif a.option == b.option and issue is None:
        kind = "same" if a.text.strip() == b.text.strip() else "changed"
    else:
        kind = "changed"
    return IssueChange(
        issue=issue, proposition=proposition, change=kind,
        before_provision=a.number if a else None, after_provision=b.number if b else None,
        before_option=a.option if a else None, after_option=b.option if b else None,
        before_text=a.text if a else None, after_text=b.text if b else None,
        before_parameters=dict(a.parameters) if a else {}, after_parameters=dict(b.parameters) if b else {},
        redline=word_redline(a.text if a else "", b.text if b else ""))


def _effects(change: IssueChange, ra: Assessment, rb: Assessment) -> list[str]:
    """"UKR: unmet → accepted (troop_ceiling: 600,000 is below …)" for each party whose status moves."""
    out = []
    after = {(p.party, o.issue): o for p in rb.parties for o in p.outcomes}
    for p in ra.parties:
        before = next((o for o in p.outcomes if o.issue == change.issue), None)
        now = after.get((p.party, change.issue or ""))
        if before is None and now is None:
            continue
        sb = before.status if before else "not addressed"
        sa = now.status if now else "not addressed"
        if sb != sa:
            why = "; ".join((before.reasons if before else []) + (now.reasons if now else []))
            out.append(f"{p.party}: {sb} → {sa}" + (f" ({why})" if why else ""))
    return out


def compare(profile: Profile, before: Plan | str, after: Plan | str, *, as_of: dt.date | None = None,
            rules: Rules = DEFAULT_RULES) -> Comparison:
    """Both plans are scored against the same positions (as of the later plan's date by default),
    so a change in the verdict comes from the texts, not from parties changing their minds."""
    a = profile.plan(before) if isinstance(before, str) else before
    b = profile.plan(after) if isinstance(after, str) else after
    as_of = as_of or max(a.date, b.date)
    ta, tb = a.terms(), b.terms()
    order = list(profile.issues)
    changes = [_change(i, profile.issues[i].proposition, ta.get(i), tb.get(i))
               for i in order if i in ta or i in tb]
    for pa, pb in _pair_unmapped([p for p in a.provisions if not p.issue],
                                 [p for p in b.provisions if not p.issue]):
        changes.append(_change(None, "(no profile issue)", pa, pb))
    ra = assess(profile, a, as_of=as_of, rules=rules)
    rb = assess(profile, b, as_of=as_of, rules=rules)
    for ch in changes:
        if ch.issue is not None and ch.change != "same":
            ch.effects = _effects(ch, ra, rb)
    parties = []
    after_by_party = {p.party: p for p in rb.parties}
    for pa_ in ra.parties:
        pb_ = after_by_party[pa_.party]
        before_rl = [o.issue for o in pa_.red_lines_crossed]
        after_rl = [o.issue for o in pb_.red_lines_crossed]
        parties.append(PartyChange(
            party=pa_.party, satisfaction_before=pa_.satisfaction, satisfaction_after=pb_.satisfaction,
            red_lines_before=before_rl, red_lines_after=after_rl,
            red_lines_added=[i for i in after_rl if i not in before_rl],
            red_lines_removed=[i for i in before_rl if i not in after_rl]))
    return Comparison(profile=profile.id, before=a.id, after=b.id, as_of=as_of, changes=changes,
                      parties=parties, before_assessment=ra, after_assessment=rb)
