"""The extraction cues, compiled once: parties, acts, issues, markers.

Two files feed one :class:`Lexicon`. The *language file* (``lang/<code>.yaml`` beside this
module, ``en`` by default, chosen by ``language:`` in profile.yaml) holds how a language reports
a position: reporting verbs, act verbs, negation, conditions, red-line markers. The profile's
``lexicon.yaml`` holds only what is specific to its conflict: parties the texts quote, groups,
demonyms, places and issue patterns. A profile never copies the general lists, so a new
conflict is a new folder; it may extend one (a list under the same key is added) or change it
(``{add: [...], remove: [...], replace: [...]}``). This module knows only the files' shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.errors import DataError, did_you_mean
from redline.model import Polarity
from redline.profile import Profile

LEXICON_FILE = "lexicon.yaml"
LANG_DIR = Path(__file__).parent / "lang"
DEFAULT_LANGUAGE = "en"

# What a language file holds: how the language reports a position, true of any conflict.
# A profile's lexicon may name these too, to extend or change the language's lists.
LANGUAGE_KEYS = (
    "role_nouns", "position_nouns", "owner_participles", "joint_nouns", "plan_parts", "acts",
    "reject_words", "reporting_verbs", "silent_verbs", "addressee_verbs", "topic_nouns",
    "topic_verbs", "clause_report_verbs", "aim_verbs", "flip_verbs", "flip_words", "red_line",
    "circumstantial", "talks_frame", "talks_held_verbs", "contrast_marks", "condition_marks",
    "non_party", "media_sources", "pronouns", "plan_intro",
)
# What only a profile's lexicon holds: its conflict's names and issue patterns.
PROFILE_KEYS = ("version", "extra_parties", "groups", "case_sensitive_aliases", "demonyms",
                "places", "issues")
# The ways a profile changes a language list instead of adding to it.
EDITS = ("add", "remove", "replace")


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
    language: str = DEFAULT_LANGUAGE  # the language file merged under the profile's cues
    places: frozenset[str] = frozenset()  # the conflict's places: not read by the rules today


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


def available_languages() -> list[str]:
    return sorted(f.stem for f in LANG_DIR.glob("*.yaml"))


def load_language(code: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The general cues of one language (``lang/<code>.yaml``), as plain lists, uncompiled."""
    from redline.yamlio import load_yaml

    file = LANG_DIR / f"{code}.yaml"
    if not file.is_file():
        raise DataError(f"no language file for {code!r}", file=file,
                        fix=f"set language: in profile.yaml to one of {available_languages()} "
                            f"or add lang/{code}.yaml (see docs/profiles-howto.md)")
    raw: Any = load_yaml(file)
    if not isinstance(raw, dict):
        raise DataError("the language file must be a mapping", file=file, line=1)
    stray = sorted(set(raw) - set(LANGUAGE_KEYS) - {"language", "version"})
    if stray:
        raise DataError(f"the language file holds {stray}: names and issues belong to a profile",
                        file=file, fix=f"keep to {', '.join(LANGUAGE_KEYS)}")
    return {k: raw[k] for k in LANGUAGE_KEYS if k in raw}


def _edit(base: Any, change: Any, file: Path, where: str) -> Any:
    """One language value changed by the profile's: a list adds to a list, a mapping of
    ``add``/``remove``/``replace`` edits it, a string replaces a string, and a mapping of lists
    (``acts``, ``position_nouns``, ``talks_frame``) is edited key by key."""
    if change is None:
        return base
    if isinstance(base, dict):
        if not isinstance(change, dict):
            raise DataError(f"{where} takes a mapping like the language file's", file=file,
                            fix=f"give lists under its keys ({', '.join(map(str, base))})")
        out = dict(base)
        for key, value in change.items():
            out[key] = _edit(base.get(key, []), value, file, f"{where}.{key}")
        return out
    if isinstance(change, dict):
        unknown = sorted(set(change) - set(EDITS))
        if unknown:
            raise DataError(f"{where}: unknown edit {unknown}", file=file,
                            fix="edit a language list with add:, remove: or replace:")
        if isinstance(base, str) or isinstance(change.get("replace"), str):
            return change.get("replace", base)
        out = list(change["replace"]) if "replace" in change else list(base or [])
        gone = {str(w).lower() for w in change.get("remove") or []}
        out = [w for w in out if str(w).lower() not in gone]
        return out + [w for w in change.get("add") or [] if w not in out]
    if isinstance(change, list):
        if isinstance(base, str):
            raise DataError(f"{where} is one pattern, not a list", file=file,
                            fix=f"write {where}: <pattern>, or {{replace: <pattern>}}")
        out = list(base or [])
        return out + [w for w in change if w not in out]
    if isinstance(base, (list, dict)) and base:
        raise DataError(f"{where} takes a list like the language file's", file=file,
                        fix=f"write {where}: [word, ...]")
    return change


def merged_cues(language: dict[str, Any], raw: dict[str, Any], file: Path) -> dict[str, Any]:
    """The profile's lexicon with every language list in place, as it extends or changes them."""
    unknown = sorted(set(raw) - set(LANGUAGE_KEYS) - set(PROFILE_KEYS))
    if unknown:
        raise DataError(f"unknown lexicon key {unknown[0]!r}", file=file,
                        fix=did_you_mean(unknown[0], set(LANGUAGE_KEYS) | set(PROFILE_KEYS)))
    out = dict(raw)
    for key in LANGUAGE_KEYS:
        if key in language or key in raw:
            out[key] = _edit(language.get(key), raw.get(key), file, key)
    return out


def load_lexicon(profile: Profile, path: str | Path | None = None) -> Lexicon:
    """Read the profile's lexicon over its language file and compile both; unknown issue ids
    are data errors."""
    from redline.yamlio import load_yaml

    file = Path(path) if path else profile.root / LEXICON_FILE
    if not file.is_file():
        raise DataError("no extraction lexicon for this profile", file=file,
                        fix=f"add {LEXICON_FILE} beside issues.yaml (see docs/profiles-howto.md)")
    own: Any = load_yaml(file)
    if not isinstance(own, dict):
        raise DataError("the lexicon must be a mapping", file=file, line=1)
    # Types first (a list where a mapping belongs says which key and line), so no Extractor,
    # however built, meets a wrongly shaped lexicon as an AttributeError further down.
    from redline.checks import LexiconFile
    from redline.yamlio import validate

    validate(LexiconFile, own, file=file)
    language = getattr(profile.meta, "language", DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE
    raw = merged_cues(load_language(language), own, file)

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
        groups=groups, language=language,
        places=frozenset(str(p) for p in raw.get("places") or []),
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
