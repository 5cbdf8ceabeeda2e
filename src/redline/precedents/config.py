"""A profile's view of precedents: what kind of conflict it is, and how its issues read in PA-X.

Everything that names a party, a place or an issue lives in the profile's ``precedents.yaml``
(docs/precedents.md), never in this package: the conflict and agreement types that make an
agreement comparable, the countries and neighbours whose agreements are closest, which issues a
ceasefire-stage document settles, the PA-X codes of each issue *per option* (so that an amnesty is
not counted as accountability), and the outcome-table terms each issue stands for. A profile
without the file still works: its issues map through ``issues.yaml`` ``pax_codes`` with direction
unknown, and similarity falls back to clause overlap alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from redline.errors import DataError
from redline.yamlio import load_yaml

if TYPE_CHECKING:
    from redline.profile import Profile

CONFIG_FILE = "precedents.yaml"
COMPONENTS = ("clauses", "type", "parties", "stage")
ANY_OPTION = "*"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CodeMapping(_Strict):
    """The PA-X codes that write one option of an issue; no codes means not expressible."""

    codes: list[str] = Field(default_factory=list)
    label: str = ""
    direction: Literal["known", "unknown"] = "unknown"
    note: str = ""


class TypeOverride(_Strict):
    """Read a PA-X process's agreements as another agreement type, for a stated reason."""

    agreement_type: str
    reason: str


class Conflict(_Strict):
    """What makes a PA-X agreement comparable to this conflict, with a score per PA-X value."""

    description: str = ""
    agreement_types: dict[str, float] = Field(default_factory=dict)
    conflict_types: dict[str, float] = Field(default_factory=dict)
    type_mix: dict[Literal["agreement_type", "conflict_type"], float] = Field(
        default_factory=lambda: {"agreement_type": 0.7, "conflict_type": 0.3})
    processes: list[str] = Field(default_factory=list)
    # PA-X process name → the agreement type the profile reads it as, with the reason shown in hits.
    type_overrides: dict[str, "TypeOverride"] = Field(default_factory=dict)
    countries: dict[str, float] = Field(default_factory=dict)
    party_names: list[str] = Field(default_factory=list)
    neighbours: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    party_scores: dict[Literal["process", "party", "neighbour", "region"], float] = Field(
        default_factory=lambda: {"process": 1.0, "party": 0.5, "neighbour": 0.6, "region": 0.25})

    @field_validator("agreement_types", "conflict_types", "party_scores", "countries")
    @classmethod
    def _unit(cls, v: dict) -> dict:
        for k, x in v.items():
            if not 0.0 <= x <= 1.0:
                raise ValueError(f"score {x} for {k!r} is outside 0..1")
        return v


class ImpliedTerm(_Strict):
    """An outcome-table term a plan implies by what it lacks: e.g. a plan that settles security
    questions (``when_terms``) with no guarantee mechanism is, on that question, unenforced."""

    term: str
    when_terms: list[str]
    unless_mechanisms: list[str] = Field(default_factory=list)
    unless_terms: list[str] = Field(default_factory=list)
    note: str = ""


class PrecedentConfig(_Strict):
    """The whole ``precedents.yaml``; ``path`` is None when the profile has no such file."""

    conflict: Conflict = Field(default_factory=Conflict)
    weights: dict[str, float] = Field(default_factory=lambda: {"clauses": 1.0})
    # Share of a clause's weight earned when the agreement has it but PA-X cannot tell its direction.
    unknown_direction_credit: float = Field(default=1.0, ge=0.0, le=1.0)
    # β of the clause score for plan queries (what the agreement covers beyond the plan).
    extra_weight: float = Field(default=0.5, ge=0.0, le=1.0)
    # At most this many hits from one PA-X peace process (None: no limit).
    per_process: int | None = Field(default=None, ge=1)
    ceasefire_issues: list[str] = Field(default_factory=list)
    issue_codes: dict[str, dict[str, CodeMapping]] = Field(default_factory=dict)
    outcome_terms: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    implied_terms: list[ImpliedTerm] = Field(default_factory=list)
    path: str | None = None

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        return check_weights(v)

    def mapping(self, issue: str, option: str | None) -> tuple[str, CodeMapping] | None:
        """The (key, mapping) for an issue's option: the key names the option group, or ``*``."""
        table = self.issue_codes.get(issue)
        if table is None:
            return None
        for key, m in table.items():
            if key == ANY_OPTION or (option is not None and option in _split(key)):
                return key, m
        return None

    def terms(self, issue: str, option: str | None) -> list[str]:
        table = self.outcome_terms.get(issue, {})
        for key, terms in table.items():
            if key == ANY_OPTION or (option is not None and option in _split(key)):
                return list(terms)
        return []


def _split(key: str) -> list[str]:
    return [p.strip() for p in key.split(",") if p.strip()]


def check_weights(v: dict[str, float]) -> dict[str, float]:
    """Weights name known components, are not negative, and are not all zero."""
    for k, x in v.items():
        if k not in COMPONENTS:
            raise ValueError(f"unknown similarity component {k!r} (known: {', '.join(COMPONENTS)})")
        if x < 0:
            raise ValueError(f"weight of {k} is negative ({x})")
    if not any(x > 0 for x in v.values()):
        raise ValueError("at least one weight must be above 0")
    return v


def parse_weights(values: list[str] | None, base: dict[str, float]) -> dict[str, float]:
    """``["type=0.5", "stage=0,parties=1"]`` applied over ``base``; a DataError names a bad one."""
    out = dict(base)
    for v in values or []:
        for part in (p.strip() for p in v.split(",")):
            if not part:
                continue
            name, sep, num = part.partition("=")
            name = name.strip()
            if not sep or name not in COMPONENTS:
                raise DataError(f"bad --weight {part!r}",
                                fix=f"write NAME=NUMBER with NAME one of {', '.join(COMPONENTS)}, e.g. type=0.5")
            try:
                out[name] = float(num)
            except ValueError:
                raise DataError(f"--weight {part!r}: {num!r} is not a number", fix="e.g. type=0.5") from None
    try:
        return check_weights(out)
    except ValueError as exc:
        raise DataError(f"--weight: {exc}", fix="give each component a number ≥ 0, one of them above 0") from None


_CACHE: dict[tuple, PrecedentConfig] = {}


def load_config(profile: "Profile") -> PrecedentConfig:
    """The profile's ``precedents.yaml`` (validated, with issue ids checked), or the defaults."""
    path = Path(profile.root) / CONFIG_FILE
    if not path.is_file():
        return PrecedentConfig()
    key = (str(path.resolve()), path.stat().st_mtime_ns, tuple(sorted(profile.issues)))
    if key in _CACHE:
        return _CACHE[key]
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise DataError("precedents.yaml must be a mapping", file=path, fix="see docs/precedents.md")
    try:
        cfg = PrecedentConfig.model_validate({**data, "path": str(path)})
    except ValueError as exc:
        raise DataError(f"invalid precedents.yaml: {exc}".splitlines()[0] + " …", file=path,
                        fix="see the format in docs/precedents.md") from None
    for where, table in (("issue_codes", cfg.issue_codes), ("outcome_terms", cfg.outcome_terms)):
        for issue, options in table.items():
            if issue not in profile.issues:
                raise DataError(f"{where} names unknown issue {issue!r}", file=path,
                                fix="use an issue id from issues.yaml")
            known = set(profile.issues[issue].option_ids)
            for k in options:
                bad = [o for o in _split(k) if o != ANY_OPTION and o not in known]
                if bad:
                    raise DataError(f"{where}.{issue} names unknown option(s) {bad}", file=path,
                                    fix=f"options of {issue}: {', '.join(sorted(known))}")
    for issue in cfg.ceasefire_issues:
        if issue not in profile.issues:
            raise DataError(f"ceasefire_issues names unknown issue {issue!r}", file=path,
                            fix="use an issue id from issues.yaml")
    _CACHE[key] = cfg
    return cfg


__all__ = ["PrecedentConfig", "Conflict", "CodeMapping", "load_config", "parse_weights", "check_weights",
           "COMPONENTS", "CONFIG_FILE", "ANY_OPTION"]
