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
from dataclasses import dataclass
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

    def split(self, article_id: str) -> str:
        return split_of(self.articles[article_id]["url"])


def load_corpus(root: Path) -> Corpus:
    """Every article and both passes; ids must be unique and every annotated id an article."""
    articles: dict[str, dict] = {}
    for f in sorted((root / "articles").glob("*.jsonl")):
        for rec in _jsonl(f):
            if rec["id"] in articles:
                raise DataError(f"duplicate article id {rec['id']!r}", file=f, fix="give each article its own id")
            articles[rec["id"]] = rec
    passes = []
    for name in ("pass_a", "pass_b"):
        got: dict[str, list[dict]] = {}
        for f in sorted((root / name).glob("*.jsonl")):
            for rec in _jsonl(f):
                if rec["id"] not in articles:
                    raise DataError(f"{name} annotates unknown article {rec['id']!r}", file=f,
                                    fix="annotate only ids of articles/*.jsonl")
                got[rec["id"]] = rec["statements"]
        passes.append(got)
    return Corpus(articles, passes[0], passes[1])


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


__all__ = ["Corpus", "load_corpus", "agreement", "split_of", "manifest_rows", "TEST_MODULUS"]
