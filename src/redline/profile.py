"""A profile is a conflict described as data: issues, parties, curated positions, plans, cases.

A new conflict is a new folder under ``profiles/``, never new code. Loading checks every file
and every cross-reference, and reports all problems at once, each with its file and line.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.errors import DataError, NotFound, RedlineError, did_you_mean
from redline.model import (Evidence, HistoricalCase, Issue, Party, Plan, Position, ProfileMeta, Region)
from redline.sources import Sources, load_sources, tier_shares
from redline.yamlio import LDict, LList, line_of, load_yaml, validate

DEFAULT_PROFILE = "russia-ukraine"
SOURCES_FILE = "sources.yaml"
MECHANISMS = ("dmz", "monitoring", "guarantee", "joint_commission", "timetable", "sequencing")


class ProfileErrors(RedlineError):
    """Several problems in one profile, each a DataError; the CLI prints one per line."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.render() for e in errors))


def bundled_profiles_dir() -> Path:
    """Where the bundled profiles are: installed with the wheel, or beside the source tree."""
    env = os.environ.get("REDLINE_PROFILES")
    if env:
        return Path(env)
    installed = Path(__file__).parent / "_profiles"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "profiles"


def available_profiles() -> list[str]:
    root = bundled_profiles_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "profile.yaml").is_file())


def resolve_profile_dir(name_or_path: str | Path | None) -> Path:
    if name_or_path is None:
        name_or_path = os.environ.get("REDLINE_PROFILE", DEFAULT_PROFILE)
    path = Path(name_or_path)
    if (path / "profile.yaml").is_file():
        return path
    candidate = bundled_profiles_dir() / str(name_or_path)
    if (candidate / "profile.yaml").is_file():
        return candidate
    raise NotFound(f"no profile {str(name_or_path)!r}: "
                   f"{did_you_mean(str(name_or_path), available_profiles() or ['(none)'])}")


@dataclass
class Profile:
    meta: ProfileMeta
    root: Path
    issues: dict[str, Issue]
    parties: dict[str, Party]
    positions: list[Position]
    plans: dict[str, Plan]
    cases: dict[str, HistoricalCase] = field(default_factory=dict)
    plan_files: dict[str, Path] = field(default_factory=dict)
    sources: Sources = field(default_factory=Sources.empty)
    questions: list = field(default_factory=list)  # redline.bargain.questions.Question
    regions: dict[str, Region] = field(default_factory=dict)
    # Where each position was read from (file, line), for the quality checks of `validate`.
    position_lines: dict[int, tuple[Path, int | None]] = field(default_factory=dict)
    # Files that failed to load: references into them are not checked, to avoid a cascade of errors.
    broken: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return self.meta.id

    def issue(self, issue_id: str) -> Issue:
        try:
            return self.issues[issue_id]
        except KeyError:
            raise NotFound(f"unknown issue {issue_id!r}: {did_you_mean(issue_id, self.issues)}") from None

    def party(self, party_id: str) -> Party:
        try:
            return self.parties[party_id]
        except KeyError:
            raise NotFound(f"unknown party {party_id!r}: {did_you_mean(party_id, self.parties)}") from None

    def issues_matching(self, pattern: str) -> list[str]:
        """The issue ids that an issue filter names: an id, or a prefix ending in '*' or '.'
        ("alliance.*"), as the statements filter reads it. A filter naming none is a typo, not
        an empty answer: NotFound with the nearest id."""
        if pattern.endswith(("*", ".")):
            stem = pattern.rstrip("*")
            found = [i for i in self.issues if i.startswith(stem)]
            if not found:
                raise NotFound(f"no issue id starts with {stem!r}: {did_you_mean(stem, self.issues)}")
            return found
        return [self.issue(pattern).id]

    def plan(self, plan_id: str) -> Plan:
        """A bundled plan by id, or a plan YAML file given by path (checked against this profile)."""
        if plan_id in self.plans:
            return self.plans[plan_id]
        path = Path(plan_id)
        if path.suffix in (".yaml", ".yml") and not path.is_file() and (os.sep in plan_id or os.path.lexists(path)):
            # written as a path, not an id: say what is wrong with the file, not "unknown plan"
            from redline.inputs import display, not_regular

            why = not_regular(path)
            raise DataError(f"plan file is {why}" if why != "no such file" else "no such plan file",
                            file=display(path), fix="give a plan YAML file's path, or a bundled plan id")
        if path.suffix in (".yaml", ".yml") and path.is_file():
            errors: list[DataError] = []
            plan = _load_plan(path, errors)
            if plan is not None:
                check_plan(self, plan, path, load_yaml(path), errors)
            if errors:
                raise ProfileErrors(errors)
            assert plan is not None
            return plan
        raise NotFound(f"unknown plan {plan_id!r}: {did_you_mean(plan_id, self.plans)}")

    def positions_as_of(self, date: dt.date | None = None, parties: list[str] | None = None, *,
                        exclude_plan: str | None = None,
                        notes: list[str] | None = None) -> dict[tuple[str, str], Position]:
        """Each (party, issue)'s latest curated position dated on or before ``date``, carrying only
        the evidence said on or before ``date`` (docs/evidence.md).

        ``exclude_plan`` leaves out evidence that restates that plan's own text, so a plan is never
        judged by itself: a position left with no evidence gives way to the party's previous
        position on the issue, and ``notes`` (when given) receives one line saying so."""
        out: dict[tuple[str, str], Position] = {}
        shadowed: dict[tuple[str, str], Position] = {}
        for pos in sorted(self.positions, key=lambda p: p.since):
            if date is not None and pos.since > date:
                continue
            if parties is not None and pos.party not in parties:
                continue
            key = (pos.party, pos.issue)
            evidence = [e for e in pos.evidence if (date is None or e.date <= date)
                        and (exclude_plan is None or e.plan != exclude_plan)]
            if not evidence:
                shadowed[key] = pos
                continue
            shadowed.pop(key, None)
            out[key] = pos if len(evidence) == len(pos.evidence) else \
                pos.model_copy(update={"evidence": evidence})
        if notes is not None:
            for (party, issue), pos in sorted(shadowed.items()):
                prev = out.get((party, issue))
                instead = f"its position since {prev.since} is used" if prev else "it counts as having none"
                why = f"restates the plan {exclude_plan} itself" if exclude_plan else "was said later"
                notes.append(f"{party} on {issue}: the position since {pos.since} rests only on evidence "
                             f"that {why}, so {instead}")
        return out

    def tier_of(self, evidence: Evidence):
        """The source tier of one evidence item (``redline.sources.SourceClass``)."""
        return self.sources.classify_evidence(evidence)


def _entries(data: Any, key: str, file: Path, errors: list[DataError]) -> list:
    if not isinstance(data, dict) or key not in data:
        errors.append(DataError(f"expected a top-level '{key}:' list", file=file,
                                line=getattr(data, "line", 1), fix=f"start the file with '{key}:'"))
        return []
    items = data[key]
    if not isinstance(items, list):
        errors.append(DataError(f"'{key}' must be a list", file=file, line=line_of(data, [key]),
                                fix="write each entry on a line starting with '- '"))
        return []
    return items


def _load_list(file: Path, key: str, model: type, errors: list[DataError]) -> list[tuple[Any, Any]]:
    """Load ``key: [...]`` from ``file``; returns (model, raw) pairs for the entries that validate."""
    try:
        data = load_yaml(file)
    except DataError as exc:
        errors.append(exc)
        return []
    out = []
    for raw in _entries(data, key, file, errors):
        try:
            out.append((validate(model, raw, file=file), raw))
        except DataError as exc:
            errors.append(exc)
    return out


def _load_plan(file: Path, errors: list[DataError]) -> Plan | None:
    try:
        data = load_yaml(file)
        return validate(Plan, data, file=file)
    except DataError as exc:
        errors.append(exc)
        return None


def _line(raw: Any, *loc: Any) -> int | None:
    return line_of(raw, loc)


def _check_option(profile: Profile, issue_id: str, option: str, file: Path, line: int | None,
                  errors: list[DataError]) -> None:
    issue = profile.issues.get(issue_id)
    if issue is not None and option not in issue.option_ids:
        errors.append(DataError(f"option {option!r} is not on the scale of issue {issue_id}",
                                file=file, line=line,
                                fix=f"use one of {issue.option_ids}"))


def _check_issue(profile: Profile, issue_id: str, file: Path, line: int | None,
                 errors: list[DataError]) -> bool:
    if issue_id in profile.issues:
        return True
    if "issues" in profile.broken:
        return False
    errors.append(DataError(f"unknown issue id {issue_id!r}", file=file, line=line,
                            fix=did_you_mean(issue_id, profile.issues)))
    return False


def _check_party(profile: Profile, party_id: str, file: Path, line: int | None,
                 errors: list[DataError]) -> bool:
    if party_id in profile.parties:
        return True
    if "parties" in profile.broken:
        return False
    errors.append(DataError(f"unknown party id {party_id!r}", file=file, line=line,
                            fix=did_you_mean(party_id, profile.parties)))
    return False


def check_plan(profile: Profile, plan: Plan, file: Path, raw: Any, errors: list[DataError]) -> None:
    """Every reference of a plan checked against the profile (parties, issues, options,
    parameters, mechanisms, one option per issue); problems are appended to ``errors``. Used by
    ``load_profile``, by plans posted to the API and by plans stored in the database."""
    for i, proposer in enumerate(plan.proposers):
        _check_party(profile, proposer, file, _line(raw, "proposers", i), errors)
    seen_numbers: dict[str, int] = {}
    chosen: dict[str, tuple[str, str]] = {}
    for i, prov in enumerate(plan.provisions):
        where = _line(raw, "provisions", i)
        if prov.number in seen_numbers:
            errors.append(DataError(f"duplicate provision number {prov.number!r}", file=file,
                                    line=where, fix="give each provision its own number (e.g. 21a, 21b)"))
        seen_numbers[prov.number] = i
        for mech in prov.mechanisms:
            if mech not in MECHANISMS:
                errors.append(DataError(f"unknown mechanism {mech!r}", file=file,
                                        line=_line(raw, "provisions", i, "mechanisms"),
                                        fix=did_you_mean(mech, set(MECHANISMS))))
        if not prov.issue:
            continue
        if not _check_issue(profile, prov.issue, file, _line(raw, "provisions", i, "issue"), errors):
            continue
        assert prov.option is not None
        _check_option(profile, prov.issue, prov.option, file, _line(raw, "provisions", i, "option"), errors)
        issue = profile.issues[prov.issue]
        if prov.guarantee is not None:
            for key in ("guarantors", "veto"):
                for j, party in enumerate(getattr(prov.guarantee, key)):
                    _check_party(profile, party, file, _line(raw, "provisions", i, "guarantee"), errors)
        known = {p.id for p in issue.parameters}
        for name in prov.parameters:
            if name not in known:
                errors.append(DataError(f"issue {prov.issue} has no parameter {name!r}", file=file,
                                        line=_line(raw, "provisions", i, "parameters"),
                                        fix=f"use one of {sorted(known)}" if known else
                                        "declare the parameter on the issue in issues.yaml"))
        if prov.issue in chosen and chosen[prov.issue][1] != prov.option:
            first_number, first_option = chosen[prov.issue]
            errors.append(DataError(
                f"provisions {first_number} and {prov.number} choose different options "
                f"({first_option!r}, {prov.option!r}) on issue {prov.issue}", file=file, line=where,
                fix="a plan takes one option per issue: move the partial point to its own issue or drop one"))
        chosen.setdefault(prov.issue, (prov.number, prov.option))


def load_profile(name_or_path: str | Path | None = None) -> Profile:
    """Load and cross-check a profile; raises ProfileErrors listing every problem found."""
    root = resolve_profile_dir(name_or_path)
    errors: list[DataError] = []
    meta = None
    try:
        meta = validate(ProfileMeta, load_yaml(root / "profile.yaml"), file=root / "profile.yaml")
    except DataError as exc:
        errors.append(exc)

    profile = Profile(meta=meta or ProfileMeta(id="invalid", title="", principals=["A", "B"]),
                      root=root, issues={}, parties={}, positions=[], plans={})

    def unique(items: list[tuple[Any, Any]], file: Path, kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for obj, raw in items:
            if obj.id in out:
                errors.append(DataError(f"duplicate {kind} id {obj.id!r}", file=file,
                                        line=getattr(raw, "line", None), fix=f"give each {kind} its own id"))
            out[obj.id] = obj
        return out

    issues_file, parties_file = root / "issues.yaml", root / "parties.yaml"
    before = len(errors)
    profile.issues = unique(_load_list(issues_file, "issues", Issue, errors), issues_file, "issue")
    if len(errors) > before:
        profile.broken.add("issues")
    before = len(errors)
    profile.parties = unique(_load_list(parties_file, "parties", Party, errors), parties_file, "party")
    if len(errors) > before:
        profile.broken.add("parties")

    if meta is not None:
        for i, pid in enumerate(meta.principals):
            _check_party(profile, pid, root / "profile.yaml", None, errors)
        for ids in meta.durability.sequencing_sets.values():  # the checklist's issue groups
            for iid in ids:
                _check_issue(profile, iid, root / "profile.yaml", None, errors)

    position_files = [root / "positions.yaml"] if (root / "positions.yaml").exists() \
        or (root / "positions.yaml").is_symlink() else []  # a dangling link is reported, not skipped
    position_files += sorted((root / "positions").glob("*.y*ml")) if (root / "positions").is_dir() else []
    seen: dict[tuple[str, str, dt.date], int | None] = {}
    loaded = [(f, pos, raw) for f in position_files
              for pos, raw in _load_list(f, "positions", Position, errors)]
    for positions_file, pos, raw in loaded:
        ok = _check_party(profile, pos.party, positions_file, _line(raw, "party"), errors)
        ok = _check_issue(profile, pos.issue, positions_file, _line(raw, "issue"), errors) and ok
        if not ok:
            continue
        for key in ("preferred",):
            _check_option(profile, pos.issue, pos.preferred, positions_file, _line(raw, key), errors)
        for key in ("acceptable", "red_lines"):
            for j, opt in enumerate(getattr(pos, key)):
                _check_option(profile, pos.issue, opt, positions_file, _line(raw, key, j), errors)
        issue = profile.issues[pos.issue]
        if pos.minimum is not None:
            _check_option(profile, pos.issue, pos.minimum, positions_file, _line(raw, "minimum"), errors)
            if pos.minimum in issue.option_ids:
                below = issue.option_ids[:issue.option_ids.index(pos.minimum)]
                if pos.preferred in below:
                    errors.append(DataError(f"preferred option {pos.preferred!r} is below the minimum "
                                            f"{pos.minimum!r}", file=positions_file, line=_line(raw, "minimum"),
                                            fix="lower the minimum or change the preferred option"))
                pos.red_lines = [o for o in issue.option_ids if o in below or o in pos.red_lines]
                pos.acceptable = [o for o in issue.option_ids
                                  if o not in below and o != pos.preferred and o not in pos.red_lines]
        known_params = {p.id for p in issue.parameters}
        for j, bound in enumerate(pos.bounds):
            if bound.parameter not in known_params:
                errors.append(DataError(f"issue {pos.issue} has no parameter {bound.parameter!r}",
                                        file=positions_file, line=_line(raw, "bounds", j),
                                        fix=f"use one of {sorted(known_params)}" if known_params
                                        else "declare the parameter on the issue in issues.yaml"))
        for j, cond in enumerate(pos.conditions):
            where = _line(raw, "conditions", j)
            for opt in cond.options:
                _check_option(profile, pos.issue, opt, positions_file, where, errors)
            for party in cond.guarantors:
                _check_party(profile, party, positions_file, where, errors)
            if _check_issue(profile, cond.issue, positions_file, where, errors):
                for opt in cond.in_ + ([cond.at_least] if cond.at_least else []):
                    _check_option(profile, cond.issue, opt, positions_file, where, errors)
        k = (pos.party, pos.issue, pos.since)
        if k in seen:
            errors.append(DataError(f"two positions of {pos.party} on {pos.issue} since {pos.since}",
                                    file=positions_file, line=getattr(raw, "line", None),
                                    fix="merge them, or give the later one its own 'since' date"))
        seen[k] = getattr(raw, "line", None)
        profile.position_lines[id(pos)] = (positions_file, getattr(raw, "line", None))
        profile.positions.append(pos)

    plans_dir = root / "plans"
    for file in sorted(plans_dir.glob("*.y*ml")) if plans_dir.is_dir() else []:
        plan = _load_plan(file, errors)
        if plan is None:
            continue
        if plan.id in profile.plans:
            errors.append(DataError(f"duplicate plan id {plan.id!r} (also in {profile.plan_files[plan.id].name})",
                                    file=file, line=1, fix="give each plan its own id"))
            continue
        check_plan(profile, plan, file, load_yaml(file), errors)
        profile.plans[plan.id] = plan
        profile.plan_files[plan.id] = file

    try:
        if (root / SOURCES_FILE).is_symlink() and not (root / SOURCES_FILE).exists():
            raise DataError("file is a dangling symbolic link (its target does not exist)",
                            file=root / SOURCES_FILE, fix="give the path of a regular file")
        profile.sources = load_sources(root / SOURCES_FILE)
    except DataError as exc:
        errors.append(exc)
    if "issues" not in profile.broken:
        from redline.bargain.questions import load_questions
        try:
            profile.questions = load_questions(root, profile.issues)
        except DataError as exc:
            errors.append(exc)

    regions_file = root / "regions.yaml"
    if regions_file.is_file():
        profile.regions = unique(_load_list(regions_file, "regions", Region, errors), regions_file, "region")
        for region in profile.regions.values():
            for snap in region.control:
                for party in [*snap.held_by, *snap.places_held]:
                    _check_party(profile, party, regions_file, None, errors)
    for plan_id, plan in profile.plans.items():
        for prov in plan.provisions:
            if prov.territory is None:
                continue
            file = profile.plan_files[plan_id]
            _check_party(profile, prov.territory.ceded_by, file, None, errors)
            for rid in prov.territory.regions:
                if rid not in profile.regions:
                    errors.append(DataError(
                        f"plan {plan_id} point {prov.number} names unknown region {rid!r}", file=file,
                        fix=did_you_mean(rid, profile.regions) if profile.regions else
                        "declare the region in regions.yaml"))

    cases_file = root / "cases.yaml"
    if cases_file.exists() or cases_file.is_symlink():  # a directory or FIFO here is reported, not skipped
        profile.cases = unique(_load_list(cases_file, "cases", HistoricalCase, errors), cases_file, "case")
        for case in profile.cases.values():
            for issue_id in case.issues:
                _check_issue(profile, issue_id, cases_file, None, errors)

    if errors:
        raise ProfileErrors(errors)
    return profile


def evidence_problems(profile: Profile) -> list[DataError]:
    """What makes a loaded profile's evidence uncitable or circular (docs/evidence.md).

    Kept out of ``load_profile`` on purpose: a draft profile with a weak source still loads and
    assesses, while ``redline validate`` (and the bundled profile's test) refuse it."""
    errors: list[DataError] = []
    for pos in profile.positions:
        file, line = profile.position_lines.get(id(pos), (profile.root / "positions", None))
        what = f"{pos.party} on {pos.issue} since {pos.since}"
        for ev in pos.evidence:
            cls = profile.sources.classify_evidence(ev)
            if not cls.citable:
                errors.append(DataError(
                    f"{what}: evidence from a not-citable site ({ev.cited_url})", file=file, line=line,
                    fix="cite the official text or a wire/major outlet; the tiers are in sources.yaml"))
            elif cls.own_words_of and pos.party not in cls.own_words_of:
                errors.append(DataError(
                    f"{what}: {cls.outlet or cls.domain} is cited only for the words of "
                    f"{', '.join(cls.own_words_of)} ({ev.cited_url})", file=file, line=line,
                    fix="cite the speaker's own government or an independent outlet"))
            if ev.plan is not None and ev.plan not in profile.plans:
                errors.append(DataError(f"{what}: evidence marked as the text of unknown plan {ev.plan!r}",
                                        file=file, line=line, fix=did_you_mean(ev.plan, profile.plans)))
        said = min(ev.date for ev in pos.evidence)
        if said > pos.since:
            errors.append(DataError(
                f"{what}: the earliest evidence was said on {said}, after the position begins",
                file=file, line=line, fix=f"set 'since: {said}' or cite what was said by {pos.since}"))
        if all(ev.plan for ev in pos.evidence):
            errors.append(DataError(
                f"{what}: the only evidence is the text of plan(s) "
                f"{', '.join(sorted({ev.plan or '' for ev in pos.evidence}))}", file=file, line=line,
                fix="cite a statement of the party itself; a plan is never evidence for judging itself"))
    for plan in profile.plans.values():
        for src in plan.sources:
            cls = profile.sources.classify(src.url)
            if not cls.citable:
                errors.append(DataError(f"plan {plan.id}: source from a not-citable site ({src.url})",
                                        file=profile.plan_files.get(plan.id), line=None,
                                        fix="cite the official text or a wire/major outlet"))
    cases_file = profile.root / "cases.yaml"
    for case in profile.cases.values():
        for src in case.sources:
            cls = profile.sources.classify(src.url)
            if not cls.citable:
                errors.append(DataError(f"case {case.id}: source from a not-citable site ({src.url})",
                                        file=cases_file, line=None,
                                        fix="cite the agreement's official text or a wire/major outlet "
                                            "(data/agreement_outcomes.yaml lists citable ones)"))
    return errors


def evidence_tiers(profile: Profile) -> dict[str, dict[str, float]]:
    """Share of evidence items (positions) and of sources (plans) per source tier."""
    return {
        "positions": tier_shares(profile.sources.classify_evidence(ev)
                                 for pos in profile.positions for ev in pos.evidence),
        "plans": tier_shares(profile.sources.classify(src.url)
                             for plan in profile.plans.values() for src in plan.sources),
    }


def validate_profile(name_or_path: str | Path) -> list[DataError]:
    """Every problem in a profile (empty when it is sound): structure, references, and evidence
    an analyst can cite."""
    try:
        profile = load_profile(name_or_path)
    except ProfileErrors as exc:
        return exc.errors
    return evidence_problems(profile)


__all__ = ["Profile", "ProfileErrors", "load_profile", "check_plan", "validate_profile", "available_profiles",
           "evidence_problems", "evidence_tiers", "SOURCES_FILE",
           "bundled_profiles_dir", "MECHANISMS", "DEFAULT_PROFILE", "LDict", "LList"]
