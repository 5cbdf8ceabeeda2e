"""What became of past agreements: the curated, sourced outcome table and what it says about a plan.

The table (``data/agreement_outcomes.yaml`` at the repository root, packaged as
``redline/_data``) is profile-independent: it describes agreements in its own small glossary of
``terms`` (ceasefire, neutrality, security assurance, …) and in the plan mechanisms' vocabulary
(dmz, monitoring, guarantee, …). A profile connects its issues to those terms in
``precedents.yaml`` (``outcome_terms``), so any profile can ask which curated agreements settled
what its plan settles, what they had that the plan lacks, and what happened to them.

The loader refuses an entry without a dated, http(s)-sourced record: an outcome nobody can check
is worse than none. Every source URL is classed with the table's own source-tier list
(``data/sources.yaml``, the same format as a profile's, read by ``redline.sources``), and an entry
that cites a not-citable source (an aggregator, mirror, document-sharing site or unknown domain) is
refused with the entry and the URL named.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from redline.errors import DataError
from redline.model import Plan
from redline.sources import TIER_ORDER, Sources, load_sources
from redline.yamlio import load_yaml

if TYPE_CHECKING:
    from redline.profile import Profile

OUTCOMES_FILE = "agreement_outcomes.yaml"
SOURCES_FILE = "sources.yaml"
ENV_DATA = "REDLINE_DATA"
Status = Literal["held", "broke_down", "partly_held", "never_in_force", "lapsed"]
Mechanism = Literal["dmz", "monitoring", "guarantee", "joint_commission", "timetable", "sequencing"]
STATUS_LABEL = {"held": "held", "broke_down": "broke down", "partly_held": "partly held",
                "never_in_force": "never in force", "lapsed": "lapsed"}
# Statuses that count as "held" and as "failed" in hold rates; partly held and never in force count
# in neither, and the rate says how many it left out.
HELD = {"held"}
FAILED = {"broke_down", "lapsed"}
MIN_N = 10   # below this many decided cases, a rate is shown but flagged as too few to mean anything


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OutcomeSource(_Strict):
    """One source of an entry. ``text: true`` marks a copy of the agreement's own text (what it
    says), which cannot show what became of it; PA-X agreement pages count as text without it."""

    url: str
    title: str = ""
    outlet: str = ""
    date: dt.date | None = None
    text: bool = False
    _tier: str = PrivateAttr(default="")

    @property
    def tier(self) -> str:
        """The source tier the loader classed this URL in (``official``, ``wire_major``, ``regional``)."""
        return self._tier

    @field_validator("url")
    @classmethod
    def _http(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"source url {v!r} is not an http(s) address")
        return v


class AgreementOutcome(_Strict):
    """One agreement and what became of it, with the mechanisms it had and why it held or failed."""

    id: str
    title: str
    date: dt.date
    parties: list[str]
    pax_ids: list[int] = Field(default_factory=list)
    kind: Literal["cessation", "armistice", "framework", "comprehensive", "assurance", "humanitarian"]
    status: Status
    ended: dt.date | None = None
    held_for: str
    mechanisms: list[Mechanism] = Field(default_factory=list)
    mechanism_notes: str = ""
    terms: list[str] = Field(min_length=1)
    reason: str
    facts: str = ""
    sources: list[OutcomeSource] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates(self) -> "AgreementOutcome":
        if self.status in FAILED | {"never_in_force"} and self.ended is None:
            raise ValueError(f"{self.id}: status {self.status} needs the date it ended ('ended')")
        if self.ended is not None and self.ended < self.date:
            raise ValueError(f"{self.id}: ended {self.ended} is before the agreement's date {self.date}")
        return self

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]

    @property
    def outcome_sources(self) -> list[OutcomeSource]:
        """The sources for what became of it: all but copies of the agreement's text."""
        return [x for x in self.sources if not x.text and "peaceagreements.org" not in x.url]

    @property
    def evidence(self) -> str:
        """The source backing the outcome: the first outcome source, else the first source."""
        found = self.outcome_sources
        return found[0].url if found else self.sources[0].url

    @property
    def days(self) -> int | None:
        """Days from signing to the end, when it ended."""
        return (self.ended - self.date).days if self.ended else None


class OutcomeTable(_Strict):
    terms: dict[str, str]
    outcomes: list[AgreementOutcome]
    path: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> "OutcomeTable":
        ids = [o.id for o in self.outcomes]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"repeated outcome id(s) {dup}")
        for o in self.outcomes:
            bad = [t for t in o.terms if t not in self.terms]
            if bad:
                raise ValueError(f"{o.id}: term(s) {bad} are not in the glossary 'terms'")
        return self

    def get(self, outcome_id: str) -> AgreementOutcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def for_pax(self, agreement_id: int) -> AgreementOutcome | None:
        return next((o for o in self.outcomes if agreement_id in o.pax_ids), None)

    def tier_counts(self) -> dict[str, int]:
        """How many source URLs fall in each tier, in tier order (every tier present)."""
        counts = {t: 0 for t in TIER_ORDER}
        for o in self.outcomes:
            for s in o.sources:
                counts[s.tier or "not_citable"] += 1
        return counts

    def tier_shares(self) -> dict[str, float]:
        """Share of source URLs per tier, in tier order (a loaded table has 0.0 not citable)."""
        counts = self.tier_counts()
        total = sum(counts.values())
        return {t: (n / total if total else 0.0) for t, n in counts.items()}


def bundled_dir() -> Path:
    """The data shipped with redline: the wheel's ``_data``, or ``data/`` in the source tree."""
    installed = Path(__file__).resolve().parents[1] / "_data"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "data"


def data_dir() -> Path:
    """Where the bundled data lives: $REDLINE_DATA, the wheel's ``_data``, or ``data/`` in the tree."""
    env = os.environ.get(ENV_DATA)
    if env:
        return Path(env)
    return bundled_dir()


def sources_file(outcomes_file: Path) -> Path:
    """The tier list for an outcome table: ``sources.yaml`` beside it, else the bundled one."""
    beside = outcomes_file.parent / SOURCES_FILE
    return beside if beside.is_file() else bundled_dir() / SOURCES_FILE


def load_outcome_sources(outcomes_file: Path) -> Sources:
    """The source-tier list that judges an outcome table's citations (a DataError when missing)."""
    f = sources_file(outcomes_file)
    if not f.is_file():
        raise DataError(f"source tier list not found: {f}", fix=f"put {SOURCES_FILE} beside {OUTCOMES_FILE}")
    return load_sources(f)


def _classify(table: OutcomeTable, sources: Sources, file: Path, sources_path: Path) -> None:
    """Class every source URL; refuse the first entry that cites a not-citable one, naming it."""
    for o in table.outcomes:
        for s in o.sources:
            cls = sources.classify(s.url)
            if not cls.citable:
                listed = sources.by_domain.get(cls.domain) if cls.domain else None
                if listed is None:
                    why = " (its domain is not in the tier list)"
                else:
                    why = f" ({listed.why})" if listed.why else f" (listed as {listed.tier})"
                raise DataError(
                    f"outcome {o.id!r} cites a not-citable source: {s.url}{why}", file=file,
                    fix=f"replace it with the official text, a wire service or a major or regional outlet "
                        f"(tiers in {sources_path}); if nothing citable carries the fact, soften or drop it")
            s._tier = cls.tier


_CACHE: dict[tuple, OutcomeTable] = {}


def load_outcomes(path: str | Path | None = None) -> OutcomeTable:
    """The outcome table, validated (a DataError names the file and the entry at fault)."""
    p = Path(path) if path is not None else data_dir() / OUTCOMES_FILE
    if not p.is_file():
        raise DataError(f"outcome table not found: {p}", fix=f"set {ENV_DATA} to the folder holding {OUTCOMES_FILE}")
    sources_path = sources_file(p)
    key = (str(p.resolve()), p.stat().st_mtime_ns, str(sources_path.resolve()),
           sources_path.stat().st_mtime_ns if sources_path.is_file() else 0)
    if key in _CACHE:
        return _CACHE[key]
    raw = load_yaml(p)
    if not isinstance(raw, dict):
        raise DataError("the outcome table must be a mapping with 'terms' and 'outcomes'", file=p,
                        fix="see docs/precedents.md (Outcomes)")
    try:
        table = OutcomeTable.model_validate({**raw, "path": str(p)})
    except ValueError as exc:
        first = str(exc).splitlines()
        raise DataError(f"invalid outcome table: {' '.join(first[:3])}", file=p,
                        fix="every entry needs a date, a status, terms from the glossary and an http(s) source") from None
    _classify(table, load_outcome_sources(p), p, sources_path)
    _CACHE[key] = table
    return table


# --- matching a plan ------------------------------------------------------------------------------

class MechanismComparison(BaseModel):
    """Mechanisms the analogue and the plan have, in the shared vocabulary."""

    both: list[str]
    analogue_only: list[str]
    plan_only: list[str]


class OutcomeMatch(BaseModel):
    """A curated agreement that settled some of what the plan settles, and what became of it."""

    outcome: AgreementOutcome
    shared_terms: list[str]
    issues: list[str] = Field(description="the plan's issues behind the shared terms")
    mechanisms: MechanismComparison
    comparison: str
    source: str


def plan_terms(plan: Plan, profile: "Profile") -> dict[str, list[str]]:
    """Outcome-table term → the plan's issues that bring it (through the profile's outcome_terms)."""
    from redline.precedents.config import load_config

    cfg = load_config(profile)
    out: dict[str, list[str]] = {}
    for prov in plan.provisions:
        if not prov.issue or prov.form == "refusal":
            continue
        for term in cfg.terms(prov.issue, prov.option):
            issues = out.setdefault(term, [])
            if prov.issue not in issues:
                issues.append(prov.issue)
    mechs = set(plan_mechanisms(plan))
    for rule in cfg.implied_terms:
        base = [t for t in rule.when_terms if t in out]
        if base and not mechs & set(rule.unless_mechanisms) and not set(out) & set(rule.unless_terms):
            issues = out.setdefault(rule.term, [])
            for t in base:
                issues.extend(i for i in out[t] if i not in issues)
    return out


def plan_mechanisms(plan: Plan) -> list[str]:
    out: list[str] = []
    for prov in plan.provisions:
        out.extend(m for m in prov.mechanisms if m not in out)
    return out


def _comparison(plan: Plan, o: AgreementOutcome, mech: MechanismComparison) -> str:
    """One sentence an analyst can read: what the analogue had that the plan lacks, and its fate."""
    fate = {"held": "and it held", "partly_held": "and it partly held", "broke_down": "and still broke down",
            "lapsed": "and it lapsed", "never_in_force": "and it never came into force"}[o.status]
    if mech.analogue_only:
        had = f"{o.title} had {', '.join(mech.analogue_only)}, which this plan lacks, {fate}"
    elif o.mechanisms:
        had = f"{o.title} had no mechanism this plan lacks ({', '.join(o.mechanisms)}) {fate}"
    else:
        had = f"{o.title} had no enforcement or monitoring mechanism either, {fate}"
    when = f" ({o.ended})" if o.ended and o.status != "held" else ""
    return f"{had}{when}: {o.reason.strip()}"


def match_outcomes(plan: Plan, profile: "Profile", table: OutcomeTable | None = None,
                   limit: int | None = None) -> list[OutcomeMatch]:
    """Curated agreements sharing a term with the plan: most shared terms first, then most recent.

    A plan promising guarantees with no guarantee mechanism meets Budapest (assurances, nothing
    enforced) through the terms its profile maps the guarantee option to.
    """
    table = table or load_outcomes()
    terms = plan_terms(plan, profile)
    mine = plan_mechanisms(plan)
    out: list[OutcomeMatch] = []
    for o in table.outcomes:
        if o.id == plan.id:
            continue
        shared = [t for t in o.terms if t in terms]
        if not shared:
            continue
        mech = MechanismComparison(both=[m for m in o.mechanisms if m in mine],
                                   analogue_only=[m for m in o.mechanisms if m not in mine],
                                   plan_only=[m for m in mine if m not in o.mechanisms])
        issues: list[str] = []
        for t in shared:
            issues.extend(i for i in terms[t] if i not in issues)
        out.append(OutcomeMatch(outcome=o, shared_terms=shared, issues=issues, mechanisms=mech,
                                comparison=_comparison(plan, o, mech), source=o.evidence))
    out.sort(key=lambda m: (-len(m.shared_terms), -m.outcome.date.toordinal(), m.outcome.id))
    return out[:limit] if limit else out


# --- hold rates -----------------------------------------------------------------------------------

class Rate(BaseModel):
    """k of n with a 95% Wilson interval; ``too_few`` when n < MIN_N."""

    k: int
    n: int
    share: float | None
    low: float | None
    high: float | None
    too_few: bool
    note: str = ""


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float | None, float | None]:
    """The 95% Wilson score interval for k successes in n: sound for small n and for 0 or n."""
    if n == 0:
        return None, None
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def rate(k: int, n: int, note: str = "") -> Rate:
    low, high = wilson(k, n)
    return Rate(k=k, n=n, share=round(k / n, 4) if n else None, low=low, high=high, too_few=n < MIN_N,
                note=note)


class MechanismHold(BaseModel):
    mechanism: str
    in_plan: bool
    with_mechanism: Rate
    without_mechanism: Rate


def hold_rates(table: OutcomeTable | None = None, mechanisms: list[str] | None = None,
               plan_mechs: list[str] | None = None) -> list[MechanismHold]:
    """How often the curated agreements with (and without) each mechanism held.

    Only decided cases count: held against broke down or lapsed; partly held and never in force
    are left out and counted in the note. The table is small and hand-picked, so every rate says
    when n is too small to mean anything — read these as a reminder of the cases, not as odds.
    """
    table = table or load_outcomes()
    mechs = mechanisms or ["dmz", "monitoring", "guarantee", "joint_commission", "timetable", "sequencing"]
    decided = [o for o in table.outcomes if o.status in HELD | FAILED]
    skipped = len(table.outcomes) - len(decided)
    note = f"{skipped} partly held or never in force left out" if skipped else ""
    out = []
    for m in mechs:
        w = [o for o in decided if m in o.mechanisms]
        wo = [o for o in decided if m not in o.mechanisms]
        out.append(MechanismHold(mechanism=m, in_plan=m in (plan_mechs or []),
                                 with_mechanism=rate(sum(o.status in HELD for o in w), len(w), note),
                                 without_mechanism=rate(sum(o.status in HELD for o in wo), len(wo), note)))
    return out


__all__ = ["AgreementOutcome", "OutcomeSource", "OutcomeTable", "OutcomeMatch", "MechanismComparison",
           "load_outcomes", "match_outcomes", "plan_terms", "plan_mechanisms", "hold_rates", "MechanismHold",
           "Rate", "rate", "wilson", "data_dir", "bundled_dir", "sources_file", "load_outcome_sources",
           "OUTCOMES_FILE", "SOURCES_FILE", "MIN_N"]
