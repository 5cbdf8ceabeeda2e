"""Source tiers: which domains an analyst can cite, as profile data (``sources.yaml``).

A URL is classed by its host: the longest listed domain that the host equals or ends with
(``en.kremlin.ru`` is ``kremlin.ru``). A host that no entry covers is *not citable*: the list
names what may be cited, so an aggregator nobody thought of is refused rather than let through.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Literal
from urllib.parse import urlsplit

from pydantic import Field

from redline.errors import DataError
from redline.model import Evidence, Model
from redline.yamlio import load_yaml, validate

TierId = Literal["official", "wire_major", "regional", "not_citable"]
TIER_ORDER: tuple[TierId, ...] = ("official", "wire_major", "regional", "not_citable")
UNLISTED = "not_citable"


class Tier(Model):
    id: TierId
    label: str
    citable: bool


class SourceDomain(Model):
    domain: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*\.[a-z]{2,}$")
    tier: TierId
    outlet: str = ""
    why: str = ""
    own_words_of: list[str] = Field(default_factory=list)


class SourceList(Model):
    tiers: list[Tier]
    domains: list[SourceDomain]


class SourceClass(Model):
    """What one URL is: its tier, the listed domain that decided it, and any restriction."""

    tier: TierId
    label: str
    citable: bool
    domain: str | None = None
    outlet: str = ""
    own_words_of: list[str] = Field(default_factory=list)


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


class Sources:
    """A loaded ``sources.yaml``: classify URLs and evidence items."""

    def __init__(self, source_list: SourceList) -> None:
        self.list = source_list
        self.tiers = {t.id: t for t in source_list.tiers}
        self.by_domain = {d.domain: d for d in source_list.domains}

    @classmethod
    def empty(cls) -> "Sources":
        return cls(SourceList(tiers=[Tier(id=t, label=t.replace("_", " "), citable=t != UNLISTED)
                                     for t in TIER_ORDER], domains=[]))

    def classify(self, url: str) -> SourceClass:
        host = host_of(url)
        parts = host.split(".")
        for i in range(len(parts) - 1):
            entry = self.by_domain.get(".".join(parts[i:]))
            if entry is not None:
                tier = self.tiers.get(entry.tier)
                return SourceClass(tier=entry.tier, label=tier.label if tier else entry.tier,
                                   citable=tier.citable if tier else entry.tier != UNLISTED,
                                   domain=entry.domain, outlet=entry.outlet,
                                   own_words_of=entry.own_words_of)
        tier = self.tiers.get(UNLISTED)
        return SourceClass(tier=UNLISTED, label=tier.label if tier else "not citable", citable=False)

    def classify_evidence(self, ev: Evidence) -> SourceClass:
        """An item is classed by the URL it is cited from: a stored original beats its copy."""
        return self.classify(ev.cited_url)


class CitedEvidence(Evidence):
    """An evidence item as reports show it: with its source tier and the URL to cite."""

    tier: TierId
    tier_label: str
    link: str


def cite(sources: "Sources", ev: Evidence) -> CitedEvidence:
    cls = sources.classify_evidence(ev)
    return CitedEvidence(**ev.model_dump(), tier=cls.tier, tier_label=cls.label, link=ev.cited_url)


def load_sources(file: Path) -> Sources:
    """Load a profile's ``sources.yaml``; an absent file means every domain is unlisted."""
    if not file.exists():
        return Sources.empty()
    data = load_yaml(file)
    source_list = validate(SourceList, data, file=file)
    seen: set[str] = set()
    for d in source_list.domains:
        if d.domain in seen:
            raise DataError(f"domain {d.domain!r} is listed twice", file=file,
                            fix="keep one entry per domain")
        seen.add(d.domain)
    known = {t.id for t in source_list.tiers}
    for t in TIER_ORDER:
        if t not in known:
            raise DataError(f"tier {t!r} is not declared", file=file, fix=f"declare all of {list(TIER_ORDER)}")
    return Sources(source_list)


def tier_shares(classes: Iterable[SourceClass]) -> dict[str, float]:
    """Share of items per tier, in tier order (every tier present, 0.0 when empty)."""
    counts = Counter(c.tier for c in classes)
    total = sum(counts.values())
    return {t: (counts[t] / total if total else 0.0) for t in TIER_ORDER}


__all__ = ["Sources", "SourceClass", "CitedEvidence", "cite", "SourceDomain", "SourceList", "Tier", "TIER_ORDER",
           "load_sources", "tier_shares", "host_of"]
