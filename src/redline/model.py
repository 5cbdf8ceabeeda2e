"""The one vocabulary every stage speaks: issues, parties, evidence, statements, positions, plans.

An *issue* is a proposition ("Ukraine joins NATO") with an ordered scale of options; by default
the scale is ``[against, for]``. Statements, positions and plan provisions all point at an issue
and say which option they stand for, so every stage can compare them without translation.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]*$"


class Model(BaseModel):
    """Strict base: unknown keys are errors, so a typo in the YAML is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_true_false_for_numbers(cls, value: object, info: ValidationInfo) -> object:
        """YAML's true/false are not numbers: pydantic would read ``salience: true`` as 1.0,
        so a slip in a profile would pass as the highest salience."""
        if isinstance(value, bool) and info.field_name and _numeric(cls.model_fields[info.field_name].annotation):
            raise ValueError(f"{str(value).lower()} is not a number")
        return value


def _numeric(annotation: object) -> bool:
    """A field typed int or float (or optional), not bool."""
    return annotation in (int, float) or any(a in (int, float) for a in get_args(annotation))


class Polarity(str, Enum):
    FOR = "for"
    AGAINST = "against"


class Act(str, Enum):
    DEMAND = "demand"
    PROPOSE = "propose"
    ACCEPT = "accept"
    REJECT = "reject"
    OTHER = "other"


class Option(Model):
    """One point on an issue's scale; ``polarity`` says whether choosing it means for or against."""

    id: str = Field(pattern=ID_PATTERN)
    label: str = ""
    polarity: Polarity | None = None


class Parameter(Model):
    """A number a provision may carry on an issue (a troop ceiling, a distance, a deadline)."""

    id: str = Field(pattern=ID_PATTERN)
    label: str = ""
    unit: str = ""


def default_options() -> list[Option]:
    return [
        Option(id="against", label="against", polarity=Polarity.AGAINST),
        Option(id="for", label="for", polarity=Polarity.FOR),
    ]


class Issue(Model):
    id: str = Field(pattern=ID_PATTERN)
    proposition: str
    description: str = ""
    options: list[Option] = Field(default_factory=default_options)
    status_quo: str | None = None
    parameters: list[Parameter] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    pax_codes: list[str] = Field(default_factory=list)
    pax_note: str = ""
    plain_for: str | None = Field(default=None, description=(
        "the option a bare 'for' means (a statement 'for guarantees' names no level); default: the "
        "last option of polarity for"))
    vetoed_counts_as: str | None = Field(default=None, description=(
        "for a guarantee-like scale: the highest level a term counts as, for every party that cannot "
        "veto it, when a party to the conflict holds a veto over the response"))

    @model_validator(mode="after")
    def _check_options(self) -> "Issue":
        ids = [o.id for o in self.options]
        if len(ids) < 2:
            raise ValueError("an issue needs at least two options")
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate option ids in {ids}")
        if self.status_quo is not None and self.status_quo not in ids:
            raise ValueError(f"status_quo {self.status_quo!r} is not one of the options {ids}")
        for key in ("plain_for", "vetoed_counts_as"):
            if getattr(self, key) is not None and getattr(self, key) not in ids:
                raise ValueError(f"{key} {getattr(self, key)!r} is not one of the options {ids}")
        return self

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)

    def option_for_polarity(self, polarity: Polarity) -> str:
        """The option a bare for/against means: the last option of that polarity on the scale."""
        if polarity == Polarity.FOR and self.plain_for is not None:
            return self.plain_for
        matching = [o.id for o in self.options if o.polarity == polarity]
        if not matching:
            raise KeyError(f"issue {self.id} has no option with polarity {polarity.value}")
        return matching[-1] if polarity == Polarity.FOR else matching[0]


class Party(Model):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: Literal["state", "organisation", "group"] = "state"
    aliases: list[str] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)


class Source(Model):
    url: str
    outlet: str = ""
    date: dt.date | None = None
    title: str = ""

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("a source url must start with http:// or https://")
        return v


class Evidence(Model):
    """Who said it, where and when: every figure in a report traces back to one of these.

    ``date`` is the day the words were said, ``reported`` the day of the page that carries them
    (docs/evidence.md): a report as of D shows only what was said by D. ``plan`` marks an item
    that restates a bundled plan's own text, which is never evidence when that plan is judged.
    """

    url: str
    date: dt.date
    speaker: str
    quote: str
    outlet: str = ""
    paraphrase: bool = False
    reported: dt.date | None = None
    original_outlet: str = ""
    original_url: str | None = None
    plan: str | None = None

    @field_validator("url", "original_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith(("http://", "https://")):
            raise ValueError("evidence url must start with http:// or https://")
        return v

    @model_validator(mode="after")
    def _reported_after_said(self) -> "Evidence":
        if self.reported is not None and self.reported < self.date:
            raise ValueError(f"reported {self.reported} is before the words were said ({self.date})")
        return self

    @property
    def cited_url(self) -> str:
        """The URL to cite: the original of a syndicated copy when it is stored, else the page."""
        return self.original_url or self.url


class Statement(Model):
    """A position a text attributes to a party (the record of ``../shared/eval/GUIDELINES.md``)."""

    party: str
    issue: str
    polarity: Polarity
    option: str | None = None
    act: Act = Act.OTHER
    red_line: bool = False
    speaker: str = ""
    quote: str = ""
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    document_id: str | None = None
    date: dt.date | None = None
    url: str | None = None


class Bound(Model):
    """A party's stated limit on a number a provision carries (a troop ceiling of at least
    800,000; a deferral of at most 15 years). A value outside the limit makes the term unmet,
    or a red line crossed when ``red_line`` is set."""

    parameter: str = Field(pattern=ID_PATTERN)
    min: float | None = None
    max: float | None = None
    red_line: bool = False

    @model_validator(mode="after")
    def _some_limit(self) -> "Bound":
        if self.min is None and self.max is None:
            raise ValueError(f"bound on {self.parameter} needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"bound on {self.parameter}: min {self.min} is above max {self.max}")
        return self

    def violated_by(self, value: float) -> str | None:
        """Why ``value`` breaks the bound, in words, or None when it keeps it."""
        if self.min is not None and value < self.min:
            return f"{value:,.0f} is below the stated minimum of {self.min:,.0f}"
        if self.max is not None and value > self.max:
            return f"{value:,.0f} is above the stated maximum of {self.max:,.0f}"
        return None


class Condition(Model):
    """A stance that holds only if another question is settled a certain way: "a temporary
    territorial compromise only with security guarantees at least bilateral".

    When a plan takes one of ``options`` on the position's issue, the plan's term on ``issue``
    must be one of ``in_`` (or at least ``at_least`` on that issue's ordered scale); if it is
    not, the option counts as ``otherwise`` for this party."""

    options: list[str] = Field(min_length=1)
    issue: str
    in_: list[str] = Field(default_factory=list, alias="in")
    at_least: str | None = None
    guarantors: list[str] = Field(default_factory=list, description=(
        "the term on ``issue`` must name at least one of these parties among its guarantors"))
    otherwise: Literal["red line crossed", "unmet"] = "red line crossed"
    text: str = ""

    @model_validator(mode="after")
    def _one_test(self) -> "Condition":
        tests = [bool(self.in_), self.at_least is not None, bool(self.guarantors)]
        if sum(tests) != 1:
            raise ValueError("a condition needs exactly one of 'in' (options), 'at_least' (an option) "
                             "or 'guarantors' (parties)")
        return self

    def allowed(self, issue: "Issue") -> list[str]:
        """The options of ``issue`` that satisfy the condition."""
        if self.at_least is not None:
            ids = issue.option_ids
            return ids[ids.index(self.at_least):]
        if self.guarantors:
            return issue.option_ids
        return list(self.in_)


class Position(Model):
    """A party's stance on one issue from a given date on (curated, or suggested from statements).

    ``preferred`` is the option the party asks for; ``acceptable`` are options it has said it
    could live with; ``red_lines`` are options it has declared non-negotiable. ``minimum``, on an
    ordered scale, says the lowest level the party accepts: every option below it is a red line.
    ``bounds`` limit the numbers a term carries; ``conditions`` tie the stance to other questions.
    """

    party: str
    issue: str
    preferred: str
    acceptable: list[str] = Field(default_factory=list)
    red_lines: list[str] = Field(default_factory=list)
    salience: float = Field(ge=0.0, le=1.0)
    since: dt.date
    evidence: list[Evidence] = Field(min_length=1)
    note: str = ""
    origin: Literal["curated", "suggested"] = "curated"
    minimum: str | None = None
    bounds: list[Bound] = Field(default_factory=list)
    conditions: list[Condition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> "Position":
        if self.preferred in self.red_lines:
            raise ValueError(f"preferred option {self.preferred!r} is also listed as a red line")
        clash = set(self.acceptable) & set(self.red_lines)
        if clash:
            raise ValueError(f"options {sorted(clash)} are both acceptable and red lines")
        return self


class Guarantee(Model):
    """Who stands behind a guarantee term and what binds them (issue #10's lesson of 1994:
    assurances with no obligation to act were worth little). ``veto`` lists parties whose consent
    the guarantors' response needs: a party to the conflict with a veto can block any response to
    its own attack, which the issue's ``vetoed_counts_as`` turns into a lower effective level."""

    guarantors: list[str] = Field(default_factory=list)
    veto: list[str] = Field(default_factory=list)
    trigger: str = ""
    response: str = ""
    ratification: bool | None = Field(default=None, description="ratified by the guarantors' parliaments")


class TerritoryTerm(Model):
    """Which regions a territorial point hands over, and by whom: lets a report say how much of
    that land the giving side still holds (from the profile's ``regions.yaml``)."""

    regions: list[str] = Field(min_length=1)
    ceded_by: str


class ControlSnapshot(Model):
    """Who held how much of a region's area on one date, with the source of the figure."""

    date: dt.date
    held_by: dict[str, float] = Field(default_factory=dict)
    held_km2: float | None = Field(default=None, ge=0)
    places_held: dict[str, list[str]] = Field(default_factory=dict, description="named places each party holds")
    source: Source
    note: str = ""

    @field_validator("held_by")
    @classmethod
    def _shares(cls, v: dict[str, float]) -> dict[str, float]:
        for party, share in v.items():
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"share held by {party} must be between 0 and 1, got {share}")
        if sum(v.values()) > 1.0 + 1e-9:
            raise ValueError("shares held add up to more than 1")
        return v


class Region(Model):
    """A region a territorial term can name, with its area and dated control figures."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    area_km2: float | None = Field(default=None, gt=0)
    area_source: Source | None = None
    population: int | None = Field(default=None, ge=0)
    population_source: Source | None = None
    control: list[ControlSnapshot] = Field(default_factory=list)

    def control_on(self, date: dt.date, *, with_share: bool = False,
                   with_places: bool = False) -> ControlSnapshot | None:
        """The newest snapshot describing ``date`` or earlier (with a share held, or named places,
        when asked)."""
        before = [c for c in self.control if c.date <= date and (not with_share or c.held_by)
                  and (not with_places or c.places_held)]
        return max(before, key=lambda c: c.date) if before else None


class Provision(Model):
    """One point of a plan. ``issue`` is None for points the profile's issues do not cover.

    ``form`` says what kind of term the point is: an ordinary ``term`` the plan would settle; a
    ``conditional`` term that takes effect only once something else happens (``condition`` says
    what: "once Ukrainian troops begin to withdraw"); or a ``refusal``, where the proposer only
    rules an option out ("no freeze of the front"). Conditional and refused terms are shown, but
    no party's demand counts as met by them. ``deferred`` marks a point the plan leaves bracketed
    for later talks: the issue is named but not settled.
    """

    number: str
    text: str
    issue: str | None = None
    option: str | None = None
    parameters: dict[str, float] = Field(default_factory=dict)
    mechanisms: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    note: str = ""
    form: Literal["term", "conditional", "refusal"] = "term"
    condition: str = ""
    deferred: bool = False
    guarantee: Guarantee | None = None
    territory: TerritoryTerm | None = None

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v

    @model_validator(mode="after")
    def _issue_needs_option(self) -> "Provision":
        if self.issue and not self.option:
            raise ValueError(f"provision {self.number} names issue {self.issue!r} but no option")
        if self.option and not self.issue:
            raise ValueError(f"provision {self.number} names option {self.option!r} but no issue")
        return self


class Plan(Model):
    """A plan and its points. ``scope`` decides what silence means (docs/assess.md): in a
    ``settlement`` an issue the plan does not address stays at the status quo; in a ``ceasefire``
    or ``framework`` it stays open; a ``programme`` is a party's own platform, not an offer."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    date: dt.date
    proposers: list[str] = Field(min_length=1)
    status: str = "proposed"
    scope: Literal["ceasefire", "framework", "settlement", "programme"] = "framework"
    summary: str = ""
    sources: list[Source] = Field(min_length=1)
    provisions: list[Provision] = Field(min_length=1)

    def terms(self) -> dict[str, Provision]:
        """The plan's choice per issue: the provision that settles each issue it addresses."""
        out: dict[str, Provision] = {}
        for p in self.provisions:
            if p.issue and p.issue not in out:
                out[p.issue] = p
        return out


class HistoricalCase(Model):
    """A past agreement outside PA-X that the analysis leans on (Budapest 1994, Korea 1953, …)."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    date: dt.date
    parties: list[str]
    provisions: list[str]
    issues: list[str] = Field(default_factory=list)
    outcome: str
    sources: list[Source] = Field(min_length=1)


class Bargaining(Model):
    """Who counts when `redline bargain` weighs packages (shown in its output).

    ``principals`` (the default): only the principal parties bargain; ``blocs``: every party with
    positions, each bloc of ``blocs`` one voice (its members' salience-weighted mean; any member's
    red line binds it), so six parties quoting one joint statement count once; ``all``: every
    party with positions, one voice each."""

    weighting: Literal["principals", "blocs", "all"] = "principals"
    blocs: dict[str, list[str]] = Field(default_factory=dict)


class DurabilityItem(Model):
    """A profile's own additions to one item of the durability checklist (docs/profiles-howto.md).

    The checklist and its research findings are general; what a conflict adds is its own words
    for a mechanism (``cues``: regular expressions, "if russia (invades|attacks)" for a guarantee
    trigger) and, where it has one, its own precedent for the finding (``finding``,
    ``reference``, ``short_reference`` replace the general ones)."""

    cues: list[str] = Field(default_factory=list)
    finding: str | None = None
    reference: str | None = None
    short_reference: str | None = None

    @field_validator("cues")
    @classmethod
    def _cues_compile(cls, cues: list[str]) -> list[str]:
        import re

        for cue in cues:
            try:
                re.compile(cue)
            except re.error as exc:
                raise ValueError(f"bad regular expression {cue!r}: {exc}") from None
        return cues


class Durability(Model):
    """The ``durability:`` block of profile.yaml: conflict knowledge the checklist reads as data,
    so the code names no party, place or issue. ``sequencing_sets`` names groups of issue ids whose
    order a plan should state ("elections" vs "withdrawal or ceasefire"): a plan with terms in
    every group and no sequencing cue gets a note saying so."""

    items: dict[Literal["dmz", "monitoring", "guarantee", "joint_commission", "timetable", "sequencing"],
                DurabilityItem] = Field(default_factory=dict)
    sequencing_sets: dict[str, list[str]] = Field(default_factory=dict)


class ProfileMeta(Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    principals: list[str] = Field(min_length=2)
    description: str = ""
    bargaining: Bargaining = Field(default_factory=Bargaining)
    # The shared file of general cues the extractor merges under the profile's lexicon
    # (src/redline/extract/lang/<language>.yaml), so a profile never copies them.
    language: str = Field("en", pattern=r"^[a-z]{2,3}$")
    durability: Durability = Field(default_factory=Durability)


class Document(Model):
    """A text the extractor reads: an article, a plan text, a transcript. ``id`` is kept from input."""

    id: str
    text: str
    title: str = ""
    url: str | None = None
    outlet: str = ""
    author: str = ""
    date: dt.date | None = None
    date_source: str = ""
    path: str | None = None
    content_hash: str = ""
