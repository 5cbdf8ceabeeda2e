"""Durability checklist: mechanisms that research links to ceasefires and settlements that last.

Each item is found from the analyst's tags on provisions (``mechanisms:``) or, failing that,
from cue phrases in the provision texts; the report says which, so a reader can check it.
Findings are from ../shared/reference/peace-agreements.md (§4), limited to verified claims.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from redline.model import Plan

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
     "cues": r"monitor|peacekeep|observer mission|verification|surveillance|osce|reassurance force|multinational force"},
    {"id": "guarantee", "label": "Third-party guarantee with a trigger and a response",
     "finding": "Settlements are reached and kept when an outside power guarantees the terms; "
                "explicit third-party guarantees lengthen the peace.",
     "reference": f"{WALTER}; {FORTNA}", "short": "Walter 1997; Fortna 2003",
     "cues": r"guarantor|article[- ]5|military response|assistance in case of|if russia (invades|attacks)"},
    {"id": "joint_commission", "label": "Joint commission or dispute-resolution body",
     "finding": "Joint commissions for dispute resolution are among the measures that affect the duration of peace.",
     "reference": FORTNA, "short": "Fortna 2003",
     "cues": r"joint commission|working group|dispute resolution|peace council|special commission|"
             r"consultation mechanism|committee"},
    {"id": "timetable", "label": "Specific terms and a timetable (dates, deadlines, lines, numbers)",
     "finding": "Stronger, more specific agreements are more durable; vague terms leave room to renege.",
     "reference": FORTNA, "short": "Fortna 2003",
     "cues": r"within \d+ (days|weeks|months)|\bby (the end of )?\d{4}\b|\d+ days|deadline|timeline|schedule"},
    {"id": "sequencing", "label": "Sequencing of withdrawal, ceasefire and elections stated",
     "finding": "Minsk II left the order of elections and border control in dispute; the dispute was "
                "never resolved and the agreement failed.",
     "reference": "Package of Measures (Minsk II), 12 Feb 2015; PA-X AgtId 1364", "short": "Minsk II 2015",
     "cues": r"only after|as soon as|followed by|\bonce\b.*\b(withdraw|ceasefire|sign)|"
             r"\bbefore\b.*\b(election|referendum|withdraw|ceasefire)|\bafter\b.*\b(withdraw|ceasefire|sign)"},
]


def checklist(plan: Plan) -> list[ChecklistItem]:
    out = []
    issues_addressed = {p.issue for p in plan.provisions if p.issue}
    for item in ITEMS:
        tagged = [p.number for p in plan.provisions if item["id"] in p.mechanisms]
        how = "tagged" if tagged else ""
        found_in = tagged
        if not tagged:
            rx = re.compile(item["cues"], re.I)
            found_in = [p.number for p in plan.provisions if rx.search(p.text)]
            how = "text cue" if found_in else ""
        note = ""
        if item["id"] == "sequencing" and not found_in and {"politics.elections"} & issues_addressed and (
                {"territory.withdraw_ukraine", "territory.withdraw_russia", "ceasefire"} & issues_addressed):
            note = "the plan has elections and withdrawal or ceasefire terms but states no order between them"
        out.append(ChecklistItem(id=item["id"], label=item["label"], finding=item["finding"],
                                 reference=item["reference"], short_reference=item["short"], found=bool(found_in), how=how,
                                 provisions=found_in, note=note))
    return out
