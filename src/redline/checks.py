"""What `redline validate` checks beyond the profile loader: every file a later command reads.

``load_profile`` checks the files it loads; other commands read more (``lexicon.yaml`` for
extraction, ``questions.yaml`` for bargaining) and would otherwise fail there, later, with a
less helpful error. These checks read each file through the input boundary (``redline.inputs``)
and never open a non-regular file, so a FIFO in a profile folder is reported, not waited on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from redline.errors import DataError
from redline.inputs import display, not_regular
from redline.yamlio import line_of, load_yaml, validate

LEXICON_FILE = "lexicon.yaml"
PROFILE_FILES = ("profile.yaml", "issues.yaml", "parties.yaml", "positions.yaml", "sources.yaml",
                 "questions.yaml", "cases.yaml", "lexicon.yaml", "precedents.yaml")
PROFILE_FOLDERS = ("positions", "plans")


class _Open(BaseModel):
    """Known keys are typed; unknown keys are allowed (the lexicon grows with the extractor)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class _PartyCues(_Open):
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)


class _GroupCues(_PartyCues):
    members: list[str] = Field(default_factory=list)


class _IssueCues(_Open):
    for_: list[str] = Field(default_factory=list, alias="for")
    against: list[str] = Field(default_factory=list)
    anchors: list[str | int | float] = Field(default_factory=list)
    require_act: bool = False
    asking_offers: bool = False


_WORD_LISTS = ("case_sensitive_aliases", "role_nouns", "reporting_verbs", "aim_verbs", "flip_verbs",
               "flip_words", "red_line", "condition_marks", "circumstantial", "non_party",
               "media_sources", "pronouns", "addressee_verbs", "reject_words", "contrast_marks",
               "topic_nouns", "topic_verbs", "clause_report_verbs", "silent_verbs",
               "owner_participles", "joint_nouns", "plan_parts", "talks_held_verbs", "places")


class _LexiconBase(_Open):
    """The shape of ``lexicon.yaml`` as ``redline.extract.lexicon.load_lexicon`` reads it."""

    version: int | None = None
    extra_parties: dict[str, _PartyCues] = Field(default_factory=dict)
    groups: dict[str, _GroupCues] = Field(default_factory=dict)
    demonyms: dict[str, list[str]] = Field(default_factory=dict)
    position_nouns: dict[str, list[str]] = Field(default_factory=dict)
    acts: dict[str, list[str]] = Field(default_factory=dict)
    issues: dict[str, _IssueCues] = Field(default_factory=dict)
    talks_frame: dict[str, list[str]] = Field(default_factory=dict)
    plan_intro: str | None = None


LexiconFile = create_model("LexiconFile", __base__=_LexiconBase,
                           **{name: (list[str], Field(default_factory=list)) for name in _WORD_LISTS})


def lexicon_problems(root: Path, issues: dict | None = None, profile: Any = None) -> list[DataError]:
    """Problems in a profile's ``lexicon.yaml`` (none when it is absent): syntax and limits,
    the type of every known key, every regular expression compiled, issue ids known (when
    ``issues`` is given), and finally the extractor's own loader (when ``profile`` is given)."""
    file = Path(root) / LEXICON_FILE
    if not file.exists() and not file.is_symlink():
        return []
    try:
        data = load_yaml(file)
    except DataError as exc:
        return [exc]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [DataError("the lexicon must be a mapping of cue lists", file=file, line=1,
                          fix="start with keys such as 'issues:' (see docs/extraction.md)")]
    try:
        lex = validate(LexiconFile, data, file=file)
    except DataError as exc:
        return [exc]
    errors: list[DataError] = []

    def compile_at(pattern: str, loc: list[Any]) -> None:
        try:
            re.compile(pattern, re.I)
        except (re.error, RecursionError, OverflowError) as exc:
            errors.append(DataError(f"bad regular expression in {'.'.join(map(str, loc))}: {exc}",
                                    file=file, line=line_of(data, loc),
                                    fix="write a Python regular expression (escape '.' and brackets)"))

    for issue_id, cues in lex.issues.items():
        if issues is not None and issue_id not in issues:
            errors.append(DataError(f"lexicon names unknown issue {display(issue_id)!r}", file=file,
                                    line=line_of(data, ["issues", issue_id]),
                                    fix="use an issue id from issues.yaml"))
        for key, patterns in (("for", cues.for_), ("against", cues.against)):
            for i, pattern in enumerate(patterns):
                compile_at(pattern, ["issues", issue_id, key, i])
    for i, pattern in enumerate(getattr(lex, "red_line", []) or []):
        compile_at(pattern, ["red_line", i])
    if lex.plan_intro:
        compile_at(lex.plan_intro, ["plan_intro"])
    if errors or profile is None:
        return errors
    try:
        from redline.extract.lexicon import load_lexicon

        load_lexicon(profile, file)
    except DataError as exc:
        errors.append(exc)
    except Exception as exc:  # noqa: BLE001 - the extractor's loader met a shape this check missed
        errors.append(DataError(f"the extractor cannot use this lexicon ({type(exc).__name__}: "
                                f"{display(exc, 120)})", file=file,
                                fix="compare the file with the bundled profile's lexicon.yaml"))
    return errors


def check_lexicon(profile: Any) -> None:
    """Raise the first lexicon problem (for commands about to build an extractor)."""
    problems = lexicon_problems(profile.root, profile.issues)
    if problems:
        raise problems[0]


def file_kind_problems(root: Path) -> list[DataError]:
    """Profile files that exist but are not regular files (a directory where a file belongs, a
    FIFO, a socket, a device, a dangling link): reported by name, never opened."""
    root = Path(root)
    errors: list[DataError] = []
    candidates = [root / name for name in PROFILE_FILES]
    for folder in PROFILE_FOLDERS:
        d = root / folder
        if d.is_dir():
            candidates += sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml"))
    for path in candidates:
        if not path.exists() and not path.is_symlink():
            continue
        why = not_regular(path)
        if why is not None:
            errors.append(DataError(f"file is {why}", file=display(path),
                                    fix="give the path of a regular file"))
    return errors
