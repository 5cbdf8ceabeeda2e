"""What a search looks for: a plan (or a list of codes) turned into PA-X clauses.

A plan is expressed in PA-X through the profile: each issue a provision addresses brings the
issue's ``pax_codes`` (issues.yaml), each provision mechanism brings the codes of
``MECHANISM_CODES``. A clause's codes are *alternatives* — the clause is present in an agreement
when any of them is coded above 0 — because issues.yaml lists every code that can express the issue
(e.g. ceasefire: Ce, CeProv or CeGen). Issues and mechanisms with no PA-X code are reported as
not expressible, with the profile's own note, instead of being guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from redline.errors import DataError
from redline.model import Plan
from redline.precedents.config import ANY_OPTION, PrecedentConfig, load_config

if TYPE_CHECKING:
    from redline.precedents.pax import CodeTable, PaxData
    from redline.profile import Profile

# Provision mechanisms (profile.MECHANISMS) → the PA-X codes that record them. Sources: the
# durability checklist of ../shared/reference/peace-agreements.md §4.5 and the PA-X v10 codebook.
MECHANISM_CODES: dict[str, list[str]] = {
    "dmz": ["DdrDemil", "CeProv"],        # demilitarisation / weapons pull-back; ceasefire lines and terms
    "monitoring": ["ImPK"],               # international mission or force: peacekeepers, monitors
    "joint_commission": ["ImE"],          # enforcement mechanism: joint committees, dispute resolution
    "guarantee": [],
    "timetable": [],
    "sequencing": [],
}
MECHANISM_LABELS: dict[str, str] = {
    "dmz": "demilitarised zone or heavy-weapon pull-back",
    "monitoring": "international monitoring or peacekeeping presence",
    "joint_commission": "joint commission or dispute-resolution body",
    "guarantee": "third-party guarantee",
    "timetable": "timetable with dates",
    "sequencing": "sequencing of steps",
}
MECHANISM_NOTES: dict[str, str] = {
    "guarantee": ("PA-X has no code for a third-party guarantee: SsrGua means general security references, "
                  "and ImOth or ThrdPart only show that outside states signed."),
    "timetable": ("PA-X has no provision code for an implementation timetable (only the stage sub-type "
                  "ImpMod marks agreements about implementation modalities)."),
    "sequencing": "PA-X has no code for the order in which steps are taken.",
}

ClauseKind = Literal["issue", "mechanism", "code"]


class Clause(BaseModel):
    """One thing the query looks for; present in an agreement when any of ``codes`` is above 0.

    ``direction`` is "known" when the codes say which way the clause goes (an amnesty, a foreign
    force leaving) and "unknown" when PA-X only records that the matter is dealt with.
    ``opposite`` holds the codes of the issue's other options whose direction is known: an
    agreement with those and none of ``codes`` settled the issue the other way.
    """

    id: str
    kind: ClauseKind
    label: str
    codes: list[str]
    provisions: list[str] = Field(default_factory=list)
    issue: str | None = None
    direction: Literal["known", "unknown"] = "unknown"
    note: str = ""
    opposite: list[str] = Field(default_factory=list)


class Unexpressed(BaseModel):
    """A clause of the plan PA-X cannot express; ``note`` says why (from issues.yaml or the table)."""

    id: str
    kind: ClauseKind
    label: str
    note: str
    provisions: list[str] = Field(default_factory=list)


class Query(BaseModel):
    kind: Literal["plan", "codes", "agreement"]
    label: str
    clauses: list[Clause]
    # Profile clauses the plan does not address: the rest of the space a plan is compared in.
    background: list[Clause] = Field(default_factory=list)
    universe: Literal["profile", "leaves"]
    not_expressible: list[Unexpressed] = Field(default_factory=list)
    unmapped_provisions: list[str] = Field(default_factory=list)
    exclude: list[int] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        out: list[str] = []
        for c in self.clauses:
            out.extend(x for x in c.codes if x not in out)
        return out

    @property
    def issue_ids(self) -> list[str]:
        return [c.id for c in self.clauses if c.kind == "issue"] + \
               [u.id for u in self.not_expressible if u.kind == "issue"]


def _mech_id(name: str) -> str:
    return f"mechanism:{name}"


def _known(codes: list[str], table: "CodeTable | None", where: str, warnings: list[str]) -> list[str]:
    if table is None:
        return list(codes)
    out = []
    for c in codes:
        if c in table.codes:
            out.append(c)
        else:
            warnings.append(f"{where} lists unknown PA-X code {c!r}; it is ignored")
    return out


def clause_id(issue: str, key: str, n_keys: int) -> str:
    """An issue written one way for every option keeps its id; per-option rows get ``issue:option``."""
    if n_keys == 1 or key == ANY_OPTION:
        return issue
    return f"{issue}:{key.split(',')[0].strip()}"


def profile_clauses(profile: "Profile", table: "CodeTable | None" = None,
                    warnings: list[str] | None = None,
                    config: PrecedentConfig | None = None) -> tuple[list[Clause], list[Unexpressed]]:
    """Every clause the profile can express in PA-X (issues with codes, then mechanisms), and the rest.

    An issue listed in the profile's ``precedents.yaml`` gives one clause per option group (so the
    amnesty row is not the accountability row); any other issue falls back to ``pax_codes``.
    """
    warnings = warnings if warnings is not None else []
    config = config if config is not None else load_config(profile)
    clauses: list[Clause] = []
    missing: list[Unexpressed] = []
    for issue in profile.issues.values():
        options = config.issue_codes.get(issue.id)
        if options is None:
            codes = _known(issue.pax_codes, table, f"issue {issue.id} (issues.yaml)", warnings)
            if codes:
                clauses.append(Clause(id=issue.id, kind="issue", label=issue.proposition, codes=codes,
                                      issue=issue.id, note=issue.pax_note or ""))
            else:
                missing.append(Unexpressed(id=issue.id, kind="issue", label=issue.proposition,
                                           note=issue.pax_note or "issues.yaml gives no PA-X code for this issue."))
            continue
        rows = []
        for key, m in options.items():
            cid = clause_id(issue.id, key, len(options))
            codes = _known(m.codes, table, f"issue {issue.id} ({config.path})", warnings)
            rows.append((cid, key, m, codes))
        for cid, key, m, codes in rows:
            label = m.label or issue.proposition
            if codes:
                opposite = [c for other, _, om, oc in rows if other != cid and om.direction == "known"
                            and m.direction == "known" for c in oc]
                clauses.append(Clause(id=cid, kind="issue", label=label, codes=codes, issue=issue.id,
                                      direction=m.direction, note=m.note, opposite=opposite))
            else:
                missing.append(Unexpressed(id=cid, kind="issue", label=label,
                                           note=m.note or issue.pax_note or "no PA-X code for this option."))
    for name, codes in MECHANISM_CODES.items():
        if codes:
            clauses.append(Clause(id=_mech_id(name), kind="mechanism", label=MECHANISM_LABELS[name], codes=codes,
                                  direction="known"))
        else:
            missing.append(Unexpressed(id=_mech_id(name), kind="mechanism", label=MECHANISM_LABELS[name],
                                       note=MECHANISM_NOTES[name]))
    return clauses, missing


def plan_query(plan: Plan, profile: "Profile", table: "CodeTable | None" = None) -> Query:
    """The plan's PA-X profile: the clauses its provisions address, in the profile's vocabulary.

    A provision maps through its option: a tribunal and an amnesty are different clauses. An option
    the profile's precedents.yaml gives no codes for is listed as not expressible, with the reason.
    """
    warnings: list[str] = []
    config = load_config(profile)
    universe, missing = profile_clauses(profile, table, warnings, config)
    by_id = {c.id: c for c in universe}
    missing_by_id = {u.id: u for u in missing}
    used: dict[str, list[str]] = {}
    unmapped: list[str] = []
    for prov in plan.provisions:
        keys = []
        if prov.issue:
            if prov.issue not in profile.issues:
                raise DataError(f"plan {plan.id}: provision {prov.number} names unknown issue {prov.issue!r}",
                                fix="check the plan against the profile with 'redline validate'")
            options = config.issue_codes.get(prov.issue)
            if options is None:
                keys.append(prov.issue)
            else:
                found = config.mapping(prov.issue, prov.option)
                if found is None:
                    cid = f"{prov.issue}:{prov.option}"
                    if cid not in missing_by_id:
                        issue = profile.issues[prov.issue]
                        missing_by_id[cid] = Unexpressed(
                            id=cid, kind="issue", label=f"{issue.proposition} — option {prov.option}",
                            note=f"PA-X has no code for option {prov.option!r} of this issue "
                                 f"({config.path or 'precedents.yaml'} maps only "
                                 f"{', '.join(options)}).")
                    keys.append(cid)
                else:
                    keys.append(clause_id(prov.issue, found[0], len(options)))
        for mech in prov.mechanisms:
            if mech not in MECHANISM_CODES:
                raise DataError(f"plan {plan.id}: provision {prov.number} names unknown mechanism {mech!r}",
                                fix=f"use one of {', '.join(MECHANISM_CODES)}")
            keys.append(_mech_id(mech))
        if not keys:
            unmapped.append(prov.number)
        for k in keys:
            nums = used.setdefault(k, [])
            if prov.number not in nums:
                nums.append(prov.number)
    clauses = [by_id[k].model_copy(update={"provisions": used[k]}) for k in by_id if k in used]
    background = [c for c in universe if c.id not in used]
    unexpressed = [missing_by_id[k].model_copy(update={"provisions": used[k]}) for k in missing_by_id if k in used]
    return Query(kind="plan", label=plan.id, clauses=clauses, background=background, universe="profile",
                 not_expressible=unexpressed, unmapped_provisions=unmapped, warnings=warnings)


def codes_query(codes: list[str], table: "CodeTable") -> Query:
    """A query of bare PA-X codes (case-insensitive), each its own clause, compared over all leaf codes."""
    clauses: list[Clause] = []
    for raw in codes:
        if not raw.strip():
            continue
        code = table.resolve(raw.strip())
        if any(c.id == code for c in clauses):
            continue
        info = table.codes[code]
        # A grouping code with no column of its own (Ssr, Tj, …) stands for any code under it.
        members = [code] if info.in_csv else [d for d in table.descendants(code) if table.codes[d].in_csv]
        clauses.append(Clause(id=code, kind="code", label=table.label(code), codes=members))
    if not clauses:
        raise DataError("no PA-X codes given", fix="list codes separated by commas, e.g. --codes SsrFf,ImPK,StBor")
    return Query(kind="codes", label=",".join(c.id for c in clauses), clauses=clauses, universe="leaves")


def agreement_query(pax: "PaxData", agreement_id: int | str) -> Query:
    """The coded leaf profile of one PA-X agreement, to find its nearest neighbours (itself excluded)."""
    agt = pax.agreement(agreement_id)
    leaves = set(pax.leaf_columns)
    codes = [c for c in agt.provisions if c in leaves]
    if not codes:
        raise DataError(f"agreement {agt.agreement_id} has no provision codes to compare",
                        fix="pick an agreement with coded provisions")
    q = codes_query(codes, pax.codes)
    return q.model_copy(update={"kind": "agreement", "label": f"AgtId {agt.agreement_id}",
                                "exclude": [agt.agreement_id]})


__all__ = ["MECHANISM_CODES", "MECHANISM_LABELS", "MECHANISM_NOTES", "Clause", "Unexpressed", "Query",
           "plan_query", "codes_query", "agreement_query", "profile_clauses", "clause_id"]
