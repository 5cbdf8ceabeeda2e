"""A numbered plan text (as outlets publish it) → a draft ``Plan`` for the analyst to review.

Points are found by their markers ("1. …", "1) …", "Point 7: …", bullets); each point is mapped
to the profile's issues with the extraction lexicon, its polarity read with the extractor's
negation rules, and the option is the issue's option for that polarity. A point touching several
issues becomes provisions "7a", "7b"; the confidence and the reason go into each provision's note.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from redline.errors import DataError
from redline.model import Plan, Provision, Source

POINT_RE = re.compile(
    r"^\s*(?:(?:point|article|clause|item)\s+(?P<a>\d+[a-z]?)\s*[:.)\-–]"
    r"|(?P<b>\d+[a-z]?)\s*[.)]\s"
    r"|(?P<bullet>[-•▪*●◦])\s)",
    re.I | re.M)


@dataclass
class Point:
    number: str
    text: str


def split_points(text: str) -> tuple[str, list[Point]]:
    """The preamble (text before the first point) and the points, in order."""
    matches = list(POINT_RE.finditer(text))
    if not matches:
        return text.strip(), []
    preamble = text[: matches[0].start()].strip()
    points: list[Point] = []
    last = 0
    used: set[str] = set()
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = " ".join(text[m.end(): end].split())
        if not body:
            continue
        number = m.group("a") or m.group("b")
        if number is None:  # a bullet continues the numbering
            number = str(last + 1)
        digits = re.match(r"\d+", number)
        last = int(digits.group(0)) if digits else last
        base, k = number, 0
        while number in used:  # numbers must be unique for the plan loader
            k += 1
            number = f"{base}-{k}"
        used.add(number)
        points.append(Point(number, body))
    return preamble, points


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s or "plan")[:60] if s[:1].isalpha() else f"plan-{s}"[:60]


def map_point(point: Point, extractor: Any) -> list[tuple[str, str, float, str]]:
    """(issue, option, confidence, matched words) for each issue the point names."""
    from redline.extract.pipeline import (Candidate, DocState, _path, stage_issues, stage_parties,
                                          stage_polarity, stage_sentences)
    from redline.model import Document

    ctx = extractor.ctx
    state = DocState(Document(id=point.number, text=point.text), extractor.nlp(point.text))
    for stage in (stage_sentences, stage_parties, stage_issues):
        stage(state, ctx)
    found: dict[str, tuple[str, str, float, str]] = {}
    for sent in state.sents:
        for hit in sent.hits:
            path = _path(hit, state)
            cand = Candidate(hit, [], "", path, len(path) - 1, "plan")
            sent.candidates.append(cand)
        stage_polarity(state, ctx)
        for cand in sent.candidates:
            issue = ctx.profile.issues[cand.hit.issue]
            try:
                option = issue.option_for_polarity(cand.polarity)
            except KeyError:
                continue
            conf = 0.8 if len({c.hit.issue for c in sent.candidates}) == 1 else 0.6
            if cand.hit.issue not in found:
                found[cand.hit.issue] = (cand.hit.issue, option, conf, cand.hit.text)
    return list(found.values())


def parse_plan(text: str, extractor: Any, *, plan_id: str | None = None, title: str | None = None,
               date: dt.date | None = None, proposers: list[str] | None = None,
               url: str | None = None) -> Plan:
    """Parse a plan text; missing metadata gets placeholders the analyst must replace."""
    preamble, points = split_points(text)
    if not points:
        raise DataError("no numbered points found in the plan text",
                        fix='number the points ("1. …", "Point 2: …") or write them as bullets')
    first_line = next((ln.strip() for ln in preamble.splitlines() if ln.strip()), "")
    title = title or first_line or "Untitled plan"
    provisions: list[Provision] = []
    chosen: dict[str, str] = {}
    for point in points:
        mapped = [m for m in map_point(point, extractor)]
        usable = []
        for issue, option, conf, words in mapped:
            if chosen.get(issue, option) != option:
                continue  # a plan takes one option per issue: leave the later clash unmapped
            usable.append((issue, option, conf, words))
        if not usable:
            provisions.append(Provision(number=point.number, text=point.text,
                                        note="auto: no profile issue recognised; review"))
            continue
        for k, (issue, option, conf, words) in enumerate(usable):
            number = point.number if len(usable) == 1 else f"{point.number}{'abcdefghij'[k]}"
            chosen.setdefault(issue, option)
            provisions.append(Provision(
                number=number, text=point.text, issue=issue, option=option,
                note=f"auto: {issue} = {option} (confidence {conf:.2f}, from {words!r}); review"))
    return Plan(
        id=plan_id or _slug(title), title=title, date=date or dt.date.today(),
        proposers=proposers or ["UNKNOWN"], status="proposed",
        summary="Draft parsed from a plan text by `redline parse-plan`; every mapping needs review.",
        sources=[Source(url=url or "https://example.invalid/replace-with-source", title=title)],
        provisions=provisions)


def plan_to_yaml(plan: Plan) -> str:
    import yaml

    data = plan.model_dump(mode="json", exclude_defaults=False)
    for prov in data["provisions"]:
        for key in ("parameters", "mechanisms", "sources"):
            if not prov.get(key):
                prov.pop(key, None)
        for key in ("issue", "option"):
            if prov.get(key) is None:
                prov.pop(key, None)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
