"""The profile's extraction cues (``lexicon.yaml``), compiled once: parties, acts, issues, markers.

Conflict-specific knowledge is data so that another profile can bring its own file; this module
only knows the file's shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.errors import DataError
from redline.model import Polarity
from redline.profile import Profile

LEXICON_FILE = "lexicon.yaml"


@dataclass
class IssuePattern:
    issue: str
    polarity: Polarity
    regex: re.Pattern[str]
    negates: bool = False  # its fixed words negate ("never join nato"): see literal_negation


_NEGATION_IN_PATTERN = re.compile(r"\bnot\b|\bnever\b|\bno\b|n't|\bwithout\b")


def literal_negation(pattern: str) -> bool:
    """Whether a pattern's own fixed words negate ("never join nato"): a negation it only lets
    through an optional gap ("Moscow (would|not|…)* withdraw") still flips the statement."""
    if "(?#neg)" in pattern:
        return True
    fixed = pattern.replace("\\b", " ")
    while True:
        stripped = re.sub(r"\([^()]*\)[?*+]?(?:\{\d*,?\d*\}\??)?", " ", fixed)
        if stripped == fixed:
            return bool(_NEGATION_IN_PATTERN.search(fixed))
        fixed = stripped


@dataclass
class Lexicon:
    """Compiled cues. ``aliases`` maps each alias (as written) to its party id."""

    aliases: dict[str, str]
    party_names: dict[str, str]
    alias_regex: re.Pattern[str]
    demonym_regex: re.Pattern[str]
    demonyms: dict[str, str]
    position_nouns: dict[str, str]
    acts: dict[str, str]
    reporting_verbs: frozenset[str]
    aim_verbs: frozenset[str]
    flip_verbs: frozenset[str]
    flip_words: frozenset[str]
    red_line: list[re.Pattern[str]]
    condition_marks: list[str]
    circumstantial: frozenset[str]
    non_party: re.Pattern[str]
    media: re.Pattern[str]
    pronouns: frozenset[str]
    plan_intro: re.Pattern[str]
    patterns: list[IssuePattern]
    require_act: frozenset[str]
    anchors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    silent_verbs: frozenset[str] = frozenset()
    offer_issues: frozenset[str] = frozenset()
    addressee_verbs: frozenset[str] = frozenset()
    topic_nouns: frozenset[str] = frozenset()
    topic_verbs: frozenset[str] = frozenset()
    contrast_marks: frozenset[str] = frozenset()
    reject_words: frozenset[str] = frozenset()
    talks_frame_deps: frozenset[str] = frozenset()
    talks_frame_preps: frozenset[str] = frozenset()
    talks_frame_nouns: frozenset[str] = frozenset()
    talks_frame_verbs: frozenset[str] = frozenset()
    clause_report_verbs: frozenset[str] = frozenset()
    owner_participles: frozenset[str] = frozenset()
    joint_nouns: frozenset[str] = frozenset()
    plan_parts: frozenset[str] = frozenset()
    talks_held_verbs: frozenset[str] = frozenset()
    issue_ids: list[str] = field(default_factory=list)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _words_regex(words: list[str], flags: int = re.I) -> re.Pattern[str]:
    alts = sorted({w for w in words if w}, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in alts) or r"(?!x)x"
    return re.compile(rf"(?<![\w.-])(?:{body})(?![\w-])", flags)


def _compile(pattern: str, file: Path, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.I)
    except re.error as exc:
        raise DataError(f"bad pattern in {where}: {exc}", file=file,
                        fix="write a Python regular expression (escape '.' and brackets)") from None


def load_lexicon(profile: Profile, path: str | Path | None = None) -> Lexicon:
    """Read and compile the profile's lexicon; unknown issue ids are data errors."""
    from redline.yamlio import load_yaml

    file = Path(path) if path else profile.root / LEXICON_FILE
    if not file.is_file():
        raise DataError("no extraction lexicon for this profile", file=file,
                        fix=f"add {LEXICON_FILE} beside issues.yaml (see docs/extraction.md)")
    raw: Any = load_yaml(file)
    if not isinstance(raw, dict):
        raise DataError("the lexicon must be a mapping", file=file, line=1)

    aliases: dict[str, str] = {}
    names: dict[str, str] = {}
    for party in profile.parties.values():
        names[party.id] = party.name
        for alias in [party.name, *party.aliases]:
            aliases.setdefault(alias, party.id)
    for pid, spec in (raw.get("extra_parties") or {}).items():
        names.setdefault(pid, spec.get("name", pid))
        for alias in [spec.get("name", pid), *spec.get("aliases", [])]:
            aliases.setdefault(alias, pid)
    groups: dict[str, tuple[str, ...]] = {}
    for gid, spec in (raw.get("groups") or {}).items():
        members = tuple(spec.get("members") or [])
        unknown = [m for m in members if m not in names]
        if not members or unknown:
            raise DataError(f"group {gid!r} needs members that are parties (unknown: {unknown})",
                            file=file, fix="list party ids under members")
        groups[gid] = members
        names.setdefault(gid, spec.get("name", gid))
        for alias in [spec.get("name", gid), *spec.get("aliases", [])]:
            aliases.setdefault(alias, gid)
    sensitive = set(raw.get("case_sensitive_aliases") or [])
    loose = [a for a in aliases if a not in sensitive]
    strict = [a for a in aliases if a in sensitive]
    alias_regex = re.compile(
        "|".join([f"(?i:{_words_regex(loose).pattern})", _words_regex(strict, 0).pattern]))

    demonyms: dict[str, str] = {}
    for pid, words in (raw.get("demonyms") or {}).items():
        for w in words:
            demonyms[w.lower()] = pid
    roles = sorted(set(raw.get("role_nouns") or []), key=len, reverse=True)
    nouns_by_act = raw.get("position_nouns") or {}
    position_nouns = {n.lower(): act for act, ns in nouns_by_act.items() for n in ns}
    heads = "|".join(re.escape(r) for r in roles + sorted(position_nouns, key=len, reverse=True))
    dem = "|".join(re.escape(d) for d in sorted((raw.get("demonyms") or {}) and
                                                  {w for ws in raw["demonyms"].values() for w in ws},
                                                  key=len, reverse=True))
    demonym_regex = re.compile(
        rf"(?<![\w-])({dem})(?:'s)?\s+(?:(?:[\w.-]+)\s+){{0,3}}?(?:{heads})(?![\w-])", re.I)

    acts: dict[str, str] = {}
    for act in ("other", "accept", "propose", "demand", "reject"):  # later wins on clashes
        for lemma in (raw.get("acts") or {}).get(act, []):
            acts[lemma.lower()] = act

    patterns: list[IssuePattern] = []
    require_act: set[str] = set()
    anchors: dict[str, tuple[str, ...]] = {}
    for issue_id, spec in (raw.get("issues") or {}).items():
        if issue_id not in profile.issues:
            raise DataError(f"lexicon names unknown issue {issue_id!r}", file=file,
                            fix=f"use one of {sorted(profile.issues)}")
        if spec.get("require_act"):
            require_act.add(issue_id)
        if spec.get("anchors"):
            anchors[issue_id] = tuple(str(a).lower() for a in spec["anchors"])
        for pol in ("for", "against"):
            for pat in spec.get(pol) or []:
                patterns.append(IssuePattern(issue_id, Polarity(pol), _compile(pat, file, f"issues.{issue_id}.{pol}"),
                                             negates=literal_negation(pat)))

    return Lexicon(
        aliases=aliases, party_names=names, alias_regex=alias_regex,
        demonym_regex=demonym_regex, demonyms=demonyms, position_nouns=position_nouns, acts=acts,
        reporting_verbs=frozenset(v.lower() for v in raw.get("reporting_verbs") or []),
        aim_verbs=frozenset(v.lower() for v in raw.get("aim_verbs") or []),
        flip_verbs=frozenset(v.lower() for v in raw.get("flip_verbs") or []),
        flip_words=frozenset(v.lower() for v in raw.get("flip_words") or []),
        red_line=[_compile(p, file, "red_line") for p in raw.get("red_line") or []],
        condition_marks=[c.lower() for c in raw.get("condition_marks") or []],
        circumstantial=frozenset(c.lower() for c in raw.get("circumstantial") or []),
        non_party=_words_regex(raw.get("non_party") or []),
        media=_words_regex(raw.get("media_sources") or []),
        pronouns=frozenset(p.lower() for p in raw.get("pronouns") or []),
        plan_intro=_compile(raw.get("plan_intro") or r"(?!x)x", file, "plan_intro"),
        offer_issues=frozenset(i for i, spec in (raw.get("issues") or {}).items() if spec.get("asking_offers")),
        addressee_verbs=frozenset(v.lower() for v in raw.get("addressee_verbs") or []),
        talks_frame_deps=frozenset((raw.get("talks_frame") or {}).get("deps") or []),
        talks_frame_preps=frozenset((raw.get("talks_frame") or {}).get("preps") or []),
        talks_frame_nouns=frozenset((raw.get("talks_frame") or {}).get("nouns") or []),
        talks_frame_verbs=frozenset((raw.get("talks_frame") or {}).get("verbs") or []),
        reject_words=frozenset(v.lower() for v in raw.get("reject_words") or []),
        contrast_marks=frozenset(v.lower() for v in raw.get("contrast_marks") or []),
        topic_nouns=frozenset(v.lower() for v in raw.get("topic_nouns") or []),
        topic_verbs=frozenset(v.lower() for v in raw.get("topic_verbs") or []),
        clause_report_verbs=frozenset(v.lower() for v in raw.get("clause_report_verbs") or []),
        silent_verbs=frozenset(v.lower() for v in raw.get("silent_verbs") or []),
        owner_participles=frozenset(v.lower() for v in raw.get("owner_participles") or []),
        joint_nouns=frozenset(v.lower() for v in raw.get("joint_nouns") or []),
        plan_parts=frozenset(v.lower() for v in raw.get("plan_parts") or []),
        talks_held_verbs=frozenset(v.lower() for v in raw.get("talks_held_verbs") or []),
        patterns=patterns, require_act=frozenset(require_act), anchors=anchors, issue_ids=list(profile.issues),
        groups=groups,
    )


def party_of_alias(lex: Lexicon, text: str) -> str | None:
    """The party an alias match names (case-insensitive lookup, exact first)."""
    if text in lex.aliases:
        return lex.aliases[text]
    low = text.lower()
    for alias, pid in lex.aliases.items():
        if alias.lower() == low:
            return pid
    return None
