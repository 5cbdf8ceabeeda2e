"""Durability checklist: mechanisms that research links to ceasefires and settlements that last.

Each item is found from the analyst's tags on provisions (``mechanisms:``) or, failing that,
from cue phrases in the provision texts; the report says which, so a reader can check it.
Findings are from ../shared/reference/peace-agreements.md (§4), limited to verified claims.

The items, findings and cues here are general English and general research. What a conflict
adds is data in its profile's ``durability:`` block (profile.yaml, model ``Durability``): its own
cue phrases per item (a guarantee's trigger names the party it guards against), its own
precedent for a finding, and the groups of issue ids whose order a plan should state; so this
module names no party, place or issue (tests/test_no_conflict_in_code.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel

from redline.model import Durability, Plan

if TYPE_CHECKING:
    from redline.profile import Profile

FORTNA = "Fortna, 'Scraps of Paper?', International Organization 57(2), 2003; Peace Time, 2004"
WALTER = "Walter, 'The Critical Barrier to Civil War Settlement', International Organization 51(3), 1997"


class ChecklistItem(BaseModel):
    id: str
    label: str
    finding: str
    reference: str
    short_reference: str
    found: bool
    how: str = ""  # "tagged" (analyst's mechanism tag) or "text cue"
    provisions: list[str] = []
    note: str = ""


ITEMS: list[dict] = [
    {"id": "dmz", "label": "Demilitarised zone or pull-back distances",
     "finding": "Demilitarised zones are among the measures that lengthen the peace after a ceasefire.",
     "reference": FORTNA, "short": "Fortna 2003",
     "cues": r"demilitari[sz]ed (zone|area)|buffer zone|pull[- ]?back|withdraw(al)? of heavy weapons|\b\d+\s?km\b"},
    {"id": "monitoring", "label": "International monitoring or peacekeepers",
     "finding": "Peacekeeping and monitoring missions are associated with a longer-lasting peace.",
     "reference": FORTNA, "short": "Fortna 2003",
     "cues": r"monitor|peacekeep|observer mission|verification|surveillance|multinational force"},
    {"id": "guarantee", "label": "Third-party guarantee with a trigger and a response",
     "finding": "Settlements are reached and kept when an outside power guarantees the terms; "
                "explicit third-party guarantees lengthen the peace.",
     "reference": f"{WALTER}; {FORTNA}", "short": "Walter 1997; Fortna 2003",
     "cues": r"guarantor|military response|assistance in case of"},
    {"id": "joint_commission", "label": "Joint commission or dispute-resolution body",
     "finding": "Joint commissions for dispute resolution are among the measures that affect the duration of peace.",
     "reference": FORTNA, "short": "Fortna 2003",
     "cues": r"joint commission|working group|dispute resolution|special commission|consultation mechanism|"
             r"committee"},
    {"id": "timetable", "label": "Specific terms and a timetable (dates, deadlines, lines, numbers)",
     "finding": "Stronger, more specific agreements are more durable; vague terms leave room to renege.",
     "reference": FORTNA, "short": "Fortna 2003",
     "cues": r"within \d+ (days|weeks|months)|\bby (the end of )?\d{4}\b|\d+ days|deadline|timeline|schedule"},
    {"id": "sequencing", "label": "Sequencing of withdrawal, ceasefire and elections stated",
     # a profile gives its own precedent (durability.items.sequencing); this is what holds without one
     "finding": "Agreements that leave the order of withdrawal, ceasefire and elections open leave it "
                "to be disputed in implementation; this profile names no precedent of its own.",
     "reference": "Checklist item 'sequencing ambiguity' (peace-agreement durability notes, §4.5)",
     "short": "sequencing",
     "cues": r"only after|as soon as|followed by|\bonce\b.*\b(withdraw|ceasefire|sign)|"
             r"\bbefore\b.*\b(election|referendum|withdraw|ceasefire)|\bafter\b.*\b(withdraw|ceasefire|sign)"},
]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def checklist(plan: Plan, profile: "Profile | Durability | None" = None) -> list[ChecklistItem]:
    """The checklist for one plan; ``profile`` (a Profile, or its ``Durability`` block) adds its
    conflict's cues and precedents, and without one only the general items are read."""
    data = profile if isinstance(profile, Durability) else getattr(getattr(profile, "meta", None),
                                                                    "durability", None) or Durability()
    out = []
    issues_addressed = {p.issue for p in plan.provisions if p.issue}
    for item in ITEMS:
        own = data.items.get(item["id"])
        tagged = [p.number for p in plan.provisions if item["id"] in p.mechanisms]
        how = "tagged" if tagged else ""
        found_in = tagged
        if not tagged:
            cues = "|".join([item["cues"], *(own.cues if own else [])])
            rx = re.compile(cues, re.I)
            found_in = [p.number for p in plan.provisions if rx.search(p.text)]
            how = "text cue" if found_in else ""
        note = ""
        sets = data.sequencing_sets
        if item["id"] == "sequencing" and not found_in and sets and all(
                set(ids) & issues_addressed for ids in sets.values()):
            note = f"the plan has {_and(list(sets))} terms but states no order between them"
        out.append(ChecklistItem(
            id=item["id"], label=item["label"],
            finding=(own and own.finding) or item["finding"],
            reference=(own and own.reference) or item["reference"],
            short_reference=(own and own.short_reference) or item["short"],
            found=bool(found_in), how=how, provisions=found_in, note=note))
    return out
