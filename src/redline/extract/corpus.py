"""The annotated training corpus (``corpus/<profile>/``): its two passes, their agreement, and
the frozen unseen split.

The split is decided by a hash of each article's URL, before anyone reads the articles for rules
or features: an article is in the *test* split when the first eight hex digits of the SHA-256 of
its URL, as a number, are divisible by 4 (about a quarter). Nothing that trains, tunes or writes
rules may read the test split; it is scored once per change, beside dev.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from redline.errors import DataError
from redline.extract.evaluate import Score

TEST_MODULUS = 4


def split_of(url: str) -> str:
    """``test`` or ``train``, fixed by the URL alone."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return "test" if int(digest[:8], 16) % TEST_MODULUS == 0 else "train"


def _jsonl(path: Path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DataError(f"not JSON: {exc.msg}", file=path, line=n, fix="one JSON object per line") from None
    return out


@dataclass
class Corpus:
    articles: dict[str, dict]
    pass_a: dict[str, list[dict]]
    pass_b: dict[str, list[dict]]
    gold: dict[str, list[dict]] = field(default_factory=dict)
    chunk: dict[str, str] = field(default_factory=dict)  # article id -> chunk name ("k1")

    def split(self, article_id: str) -> str:
        return split_of(self.articles[article_id]["url"])

    def labels(self, article_id: str) -> list[dict]:
        """The statements to train and score on: the adjudicated gold once it covers the article,
        else pass A as provisional labels (so re-running training picks gold up by itself)."""
        if article_id in self.gold:
            return self.gold[article_id]
        return self.pass_a.get(article_id, [])

    def label_source(self, article_id: str) -> str:
        return "gold" if article_id in self.gold else "pass_a" if article_id in self.pass_a else "none"

    def records(self, split: str | None = None) -> list[dict]:
        """Gold-format records ({id, url, outlet, date, text, statements}) of one split or all,
        in id order, labelled by ``labels``."""
        return [{**a, "statements": self.labels(aid), "split": self.split(aid)}
                for aid, a in sorted(self.articles.items())
                if split is None or self.split(aid) == split]


def load_corpus(root: Path) -> Corpus:
    """Every article, both passes and the adjudicated gold (``gold/<chunk>.jsonl``, written chunk
    by chunk; an article it does not cover yet falls back to pass A); ids must be unique and every
    annotated id an article."""
    articles: dict[str, dict] = {}
    chunk: dict[str, str] = {}
    for f in sorted((root / "articles").glob("*.jsonl")):
        for rec in _jsonl(f):
            if rec["id"] in articles:
                raise DataError(f"duplicate article id {rec['id']!r}", file=f, fix="give each article its own id")
            articles[rec["id"]] = rec
            chunk[rec["id"]] = f.stem
    passes = []
    for name in ("pass_a", "pass_b", "gold"):
        got: dict[str, list[dict]] = {}
        for f in sorted((root / name).glob("*.jsonl")):
            for rec in _jsonl(f):
                if rec["id"] not in articles:
                    raise DataError(f"{name} annotates unknown article {rec['id']!r}", file=f,
                                    fix="annotate only ids of articles/*.jsonl")
                got[rec["id"]] = rec["statements"]
        passes.append(got)
    return Corpus(articles, passes[0], passes[1], passes[2], chunk)


def _triples(statements: list[dict]) -> set[tuple[str, str, str]]:
    return {(s["party"], s["issue"], s["polarity"]) for s in statements}


def agreement(corpus: Corpus) -> tuple[Score, int]:
    """Micro F1 of pass B against pass A on (party, issue, polarity) per article, over the
    articles both passes annotated (the symmetric F1: swapping the passes gives the same)."""
    score = Score()
    both = sorted(set(corpus.pass_a) & set(corpus.pass_b))
    for aid in both:
        a, b = _triples(corpus.pass_a[aid]), _triples(corpus.pass_b[aid])
        score.tp += len(a & b)
        score.fp += len(b - a)
        score.fn += len(a - b)
    return score, len(both)


def manifest_rows(corpus: Corpus) -> list[tuple[str, str, str, str, str]]:
    """(id, url, outlet, date, split) for every article, in id order."""
    return [(aid, a["url"], a.get("outlet", ""), str(a.get("date", "")), split_of(a["url"]))
            for aid, a in sorted(corpus.articles.items())]


def default_root(profile: str | None = None) -> Path:
    """``corpus/<profile>`` of the source tree for the given (or default) profile: the corpus is
    repo data, not package data."""
    from redline.profile import resolve_profile_dir

    return Path(__file__).resolve().parents[3] / "corpus" / resolve_profile_dir(profile).name


__all__ = ["Corpus", "load_corpus", "agreement", "split_of", "manifest_rows", "TEST_MODULUS", "default_root"]
