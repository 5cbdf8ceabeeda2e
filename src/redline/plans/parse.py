"""A numbered plan text (as outlets publish it) → a draft ``Plan`` for the analyst to review.

Points are found by their markers ("1. …", "1) …", "Point 7: …", bullets); each point is mapped
to the profile's issues with the extraction lexicon, its polarity read with the extractor's
negation rules, and the option is the issue's option for that polarity. A point touching several
issues becomes provisions "7a", "7b" (letters the text itself uses as point numbers are skipped);
the confidence and the reason go into each provision's note.

Like ``extract``, the parser reads at most the first ``MAX_PARSE_CHARS`` characters of the text
(``redline.inputs.parse_cut``; ``redline.extract.nlp.reading_notes`` words the warning): points
past that are kept as unmapped provisions, so the work per text stays bounded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from redline import inputs
from redline.errors import DataError
from redline.model import Plan, Provision, Source

# Point numbers have at most 4 digits: "12345678. …" is not a point marker (and a 5,000-digit
# "number" never reaches int()).
POINT_RE = re.compile(
    r"^\s*(?:(?:point|article|clause|item)\s+(?P<a>\d{1,4}[a-z]?)\s*[:.)\-–]"
    r"|(?P<b>\d{1,4}[a-z]?)\s*[.)]\s"
    r"|(?P<bullet>[-•▪*●◦])\s)",
    re.I | re.M)


@dataclass
class Point:
    number: str
    text: str
    # where the point's body lies in the text it was split from (start, end), so a caller can
    # tell which part of it the parser reads
    span: tuple[int, int] = (0, 0)


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
        points.append(Point(number, body, (m.end(), end)))
    return preamble, points


def read_plan_text(path: str | Path, *, encoding: str = "utf-8") -> str:
    """A plan text file through the input boundary: a regular file of at most 1 MB, strictly
    decoded (UTF-8 unless ``encoding`` says otherwise), no NUL or lone surrogate."""
    return inputs.read_text_file(Path(path), max_bytes=inputs.MAX_PLAN_TEXT_BYTES, encoding=encoding,
                                 what="plan text", kind="plan text", empty_fix="give a plan text with numbered points")


def check_metadata(*, plan_id: str | None = None, url: str | None = None, title: str | None = None,
                   proposers: list[str] | None = None) -> None:
    """Option values checked before any parsing, each with a message naming the option."""
    if plan_id is not None:
        inputs.check_id(plan_id, what="--id")
    if url is not None:
        inputs.check_http_url(url, what="--url")
    if title is not None:
        inputs.check_text(title, what="--title")
        if not title.strip() or len(title) > 500:
            raise DataError("--title must be 1–500 characters", fix="give a shorter title")
    for p in proposers or []:
        inputs.check_id(p, what="--proposer")


def suffix(k: int) -> str:
    """Letters for the k-th provision of a point: a … z, then aa, ab, … (never runs out)."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s or "plan")[:60] if s[:1].isalpha() else f"plan-{s}"[:60]


def map_point(point: Point, extractor: Any, doc: Any = None) -> list[tuple[str, str, float, str]]:
    """(issue, option, confidence, matched words) for each issue the point names; ``doc`` is the
    point's text already parsed (``map_points`` parses many points in one batch), else it is
    parsed here."""
    from redline.extract.pipeline import (Candidate, DocState, _path, stage_issues, stage_parties,
                                          stage_polarity, stage_sentences)
    from redline.model import Document

    ctx = extractor.ctx
    state = DocState(Document(id=point.number, text=point.text),
                     doc if doc is not None else extractor.nlp(point.text))
    for stage in (stage_sentences, stage_parties, stage_issues):
        stage(state, ctx)
    for sent in state.sents:
        for hit in sent.hits:
            path = _path(hit, state)
            sent.candidates.append(Candidate(hit, [], "", path, len(path) - 1, "plan"))
    # once for the whole point, after every sentence has its candidates: the stage walks all
    # sentences, so running it per sentence made a long point quadratic (each candidate's
    # polarity depends on its own sentence only, so the result is the same)
    stage_polarity(state, ctx)
    found: dict[str, tuple[str, str, float, str]] = {}
    for sent in state.sents:
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


def map_points(points: list[Point], extractor: Any) -> Iterator[list[tuple[str, str, float, str]]]:
    """``map_point`` for each point, in order, the texts parsed in batches with ``nlp.pipe``:
    one spaCy call per point costs a few milliseconds of overhead, which for a plan of 6,000
    short bullets was most of the time (11 s of parsing, 4 s batched)."""
    docs = extractor.nlp.pipe((p.text for p in points), batch_size=getattr(extractor, "batch_size", 32))
    for point, doc in zip(points, docs):
        yield map_point(point, extractor, doc)


def read_points(text: str, points: list[Point]) -> list[Point]:
    """Each point as the parser reads it: the part of its body within the first
    ``MAX_PARSE_CHARS`` characters of the text (``redline.inputs.parse_cut``, the limit
    ``extract`` has too), empty for a point wholly past it. The limit bounds the work per text;
    ``redline.extract.nlp.reading_notes`` words the warning."""
    cut = inputs.parse_cut(text)
    out = []
    for p in points:
        start, end = p.span
        body = p.text if end <= cut else " ".join(text[start: max(start, cut)].split())
        out.append(Point(p.number, body, (start, min(end, cut))))
    return out


def provision_numbers(points: list[Point], counts: list[int]) -> list[list[str]]:
    """The provision numbers of each point that maps to ``counts[i]`` issues: its own number
    for 0 or 1, else the number with letters a, b, … — skipping any the text itself uses as a
    point number ("1." with three issues next to points "1a." and "1b." gives 1c, 1d, 1e), so
    the plan loader never sees a duplicate."""
    taken = {p.number for p in points}
    out: list[list[str]] = []
    for point, n in zip(points, counts):
        if n <= 1:
            out.append([point.number])
            continue
        numbers: list[str] = []
        k = 0
        while len(numbers) < n:
            number = f"{point.number}{suffix(k)}"
            k += 1
            if number not in taken:
                taken.add(number)
                numbers.append(number)
        out.append(numbers)
    return out


def parse_plan(text: str, extractor: Any, *, plan_id: str | None = None, title: str | None = None,
               date: dt.date | None = None, proposers: list[str] | None = None,
               url: str | None = None) -> Plan:
    """Parse a plan text; missing metadata gets placeholders the analyst must replace."""
    check_metadata(plan_id=plan_id, url=url, title=title, proposers=proposers)
    inputs.check_text(text, what="the plan text")
    preamble, points = split_points(text)
    if not points:
        raise DataError("no numbered points found in the plan text",
                        fix='number the points ("1. …", "Point 2: …") or write them as bullets')
    first_line = next((ln.strip() for ln in preamble.splitlines() if ln.strip()), "")
    title = title or first_line or "Untitled plan"
    read = read_points(text, points)
    mappings = map_points([p for p in read if p.text], extractor)
    chosen: dict[str, str] = {}
    usables: list[list[tuple[str, str, float, str]]] = []
    for point in read:
        usable = []
        for issue, option, conf, words in (next(mappings) if point.text else []):
            if chosen.get(issue, option) != option:
                continue  # a plan takes one option per issue: leave the later clash unmapped
            chosen.setdefault(issue, option)
            usable.append((issue, option, conf, words))
        usables.append(usable)
    provisions: list[Provision] = []
    numbered = provision_numbers(points, [len(u) for u in usables])
    for point, was_read, usable, numbers in zip(points, read, usables, numbered):
        if not usable:
            why = ("no profile issue recognised" if was_read.text else
                   f"past the parser's limit of {inputs.MAX_PARSE_CHARS:,} characters, not read")
            provisions.append(Provision(number=point.number, text=point.text, note=f"auto: {why}; review"))
            continue
        for number, (issue, option, conf, words) in zip(numbers, usable):
            provisions.append(Provision(
                number=number, text=point.text, issue=issue, option=option,
                note=f"auto: {issue} = {option} (confidence {conf:.2f}, from {words!r}); review"))
    try:
        return Plan(
            id=plan_id or _slug(title), title=title[:500], date=date or dt.date.today(),
            proposers=proposers or ["UNKNOWN"], status="proposed",
            summary="Draft parsed from a plan text by `redline parse-plan`; every mapping needs review.",
            sources=[Source(url=url or "https://example.invalid/replace-with-source", title=title[:500])],
            provisions=provisions)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise DataError(f"the parsed plan is not valid: {where}: {err['msg']}",
                        fix="check --id, --url, --date and the point numbers") from None


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
