"""What a PA-X agreement says, in words: name, date, parties, stage and its terms by code group.

PA-X publishes codes, not texts (the full texts are not available to the team), so the summary is
built from the codes and their labels: one sentence per top-level category, naming each coded
provision and how deeply the agreement treats it where PA-X grades that (1 a mention, 2 some
commitment, 3 detailed). Where the outcome table covers the agreement, its fate is added.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from redline.precedents.analogues import HitOutcome, hit_outcome
from redline.precedents.outcomes import OutcomeTable
from redline.precedents.pax import Agreement, CodeTable

STAGE_LABEL = {"Pre": "pre-negotiation", "Cea": "cessation-of-hostilities", "SubPar": "framework (partial)",
               "SubComp": "framework (comprehensive)", "Imp": "implementation", "Ren": "renewal", "Oth": "other"}
TYPE_LABEL = {"Inter": "inter-state", "InterIntra": "inter-state and intrastate", "Intra": "intrastate",
              "IntraLocal": "intrastate, local"}
DEPTH_WORD = {1: "mentioned", 2: "some commitment", 3: "detailed"}


class TermGroup(BaseModel):
    category: str
    sentence: str
    codes: dict[str, int]


class AgreementSummary(BaseModel):
    agreement_id: int
    name: str
    date: dt.date
    country: str
    process: str
    agreement_type: str
    stage: str
    parties: str
    third_parties: str
    summary: str = Field(description="one paragraph: the terms by code group")
    groups: list[TermGroup]
    outcome: HitOutcome | None = None


def _label(codes: CodeTable, code: str) -> str:
    label = codes.label(code)
    parent = codes.get(code).parent if codes.get(code) else None
    # Leaf labels often repeat the parent ("Children/youth: Rhetorical"); keep them, they read well.
    return label if label else (parent or code)


def _leaf(codes: CodeTable, code: str, parent_label: str) -> str:
    """A leaf's label without its parent's name in front ("Children/youth: Rhetorical" → "Rhetorical")."""
    label = _label(codes, code)
    prefix = f"{parent_label}: "
    return label[len(prefix):] if label.startswith(prefix) else label


def agreement_summary(agt: Agreement, codes: CodeTable, table: OutcomeTable | None = None) -> AgreementSummary:
    """The agreement's metadata and a readable account of its coded terms (parents before leaves)."""
    by_cat: dict[str, dict[str, int]] = {}
    for code, value in agt.provisions.items():
        if ":" in code:
            continue     # power-sharing level flags add nothing a reader needs
        by_cat.setdefault(codes.category(code) or "Other", {})[code] = value
    groups: list[TermGroup] = []
    for cat, found in by_cat.items():
        items = []
        for code, value in found.items():
            parent = codes.get(code).parent if codes.get(code) else None
            if parent in found:
                continue     # the parent's entry already says it; its leaves are listed after it
            text = _label(codes, code)
            depth = f" ({DEPTH_WORD[value]})" if codes.is_parent(code) and value in DEPTH_WORD else ""
            leaves = [_leaf(codes, c, text) for c in found if codes.get(c) and codes.get(c).parent == code]
            if text == cat:
                # the category's own code: its depth and leaves say it, the name is already the heading
                items.append((", ".join(leaves) or f"the matter in general") + depth)
                continue
            items.append(text + depth + (": " + ", ".join(leaves) if leaves else ""))
        groups.append(TermGroup(category=cat, sentence=f"{cat}: " + "; ".join(items) + ".", codes=found))
    stage = STAGE_LABEL.get(agt.stage, agt.stage)
    article = "an" if stage[:1].lower() in "aeiou" else "a"
    head = (f"{agt.name} ({agt.date}), {article} {stage} agreement, "
            f"{TYPE_LABEL.get(agt.agreement_type, agt.agreement_type)}, in {agt.country}")
    body = " ".join(g.sentence for g in groups) if groups else "PA-X codes no provisions for it."
    return AgreementSummary(agreement_id=agt.agreement_id, name=agt.name, date=agt.date, country=agt.country,
                            process=agt.process_name, agreement_type=agt.agreement_type,
                            stage=f"{agt.stage}/{agt.stage_sub}", parties=agt.parties,
                            third_parties=agt.third_parties, summary=f"{head}. It covers: {body}",
                            groups=groups, outcome=hit_outcome(table, agt.agreement_id) if table else None)


__all__ = ["AgreementSummary", "TermGroup", "agreement_summary"]
