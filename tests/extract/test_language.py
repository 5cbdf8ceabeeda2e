"""A text in another language than the profile's gets a note saying that the extractor finds
few of its statements, wherever extraction runs (the extractor, `redline extract`, ingest and
its API). Checked on the corpus's train articles by their script, a signal independent of the
identifier, and by properties on dev, not on sentences the thresholds were set for."""

from __future__ import annotations

import json
import unicodedata

import pytest

pytest.importorskip("spacy")
pytest.importorskip("py3langid")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from redline.extract.corpus import default_root, load_corpus  # noqa: E402
from redline.extract.language import MIN_CHARS, other_language  # noqa: E402
from redline.model import Document  # noqa: E402


def _script_share(text: str, scripts: tuple[str, ...]) -> float:
    """Share of the letters whose Unicode name starts with one of ``scripts`` (CYRILLIC, GREEK)."""
    letters = [c for c in text if c.isalpha()]
    hits = sum(1 for c in letters if unicodedata.name(c, "").startswith(scripts))
    return hits / max(1, len(letters))


@pytest.fixture(scope="module")
def train_articles():
    return load_corpus(default_root()).records("train")


def test_every_train_article_in_another_script_gets_the_note(train_articles, extractor):
    """Script is a test the identifier does not use: an article mostly in Cyrillic or Greek
    letters is not English. Every one must get the note, and only that note."""
    other = [r for r in train_articles if _script_share(r["text"], ("CYRILLIC", "GREEK")) > 0.5]
    assert len(other) >= 10
    for r in other:
        assert other_language(r["text"], "en") is not None, r["id"]
    states = list(extractor.run(Document(id=r["id"], text=r["text"]) for r in other))
    assert all(len(s.notes) == 1 and "another language" in s.notes[0] for s in states)


def test_no_dev_article_gets_the_note(dev_gold, extractor):
    assert [r["id"] for r in dev_gold if other_language(r["text"], "en")] == []
    assert all(s.notes == [] for s in extractor.run(Document(id=r["id"], text=r["text"]) for r in dev_gold))


FOREIGN = ["Россия категорически отвергает любые варианты замораживания конфликта.",
           "Der Kanzler sagte, die Ukraine müsse selbst über ihre Zukunft entscheiden.",
           "Il governo italiano non invierà truppe in Ucraina, ha detto la premier.",
           "Ο υπουργός είπε ότι η χώρα στηρίζει τις διαπραγματεύσεις για ειρήνη."]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.integers(min_value=0, max_value=39), extra=st.sampled_from(FOREIGN))
def test_an_english_article_with_one_foreign_sentence_gets_no_note(dev_gold, doc, extra):
    """The decision is made on the whole text: a quoted sentence in another language does not
    make an English article foreign."""
    assert other_language(dev_gold[doc % len(dev_gold)]["text"] + "\n\n" + extra, "en") is None


def test_short_texts_are_never_judged():
    """Under MIN_CHARS characters the identifier guesses (English sentences of 40–120 characters
    were taken for another language a few times in ten thousand), so such texts get no note."""
    for text in FOREIGN:
        assert len(text) < MIN_CHARS and other_language(text, "en") is None
    assert other_language(" ".join(FOREIGN[:1] * 4), "en") == "ru"


def test_the_profile_language_decides(train_articles):
    """Nothing says 'English' in the code: the same text is foreign to an English profile and
    native to a Russian one."""
    ru = next(r for r in train_articles if _script_share(r["text"], ("CYRILLIC",)) > 0.5)
    assert other_language(ru["text"], "en") is not None
    assert other_language(ru["text"], other_language(ru["text"], "en")) is None


def test_cli_extract_warns_and_still_extracts(tmp_path, train_articles):
    from typer.testing import CliRunner

    from redline.cli import app

    ru = next(r for r in train_articles if _script_share(r["text"], ("CYRILLIC",)) > 0.5)
    f = tmp_path / "mixed.jsonl"
    f.write_text(json.dumps({"id": "ru", "text": ru["text"]}) + "\n"
                 + json.dumps({"id": "en", "text": "Russia demands that Ukraine withdraw its troops from "
                                                   "the Donetsk region, the Kremlin said on Tuesday."}) + "\n")
    r = CliRunner().invoke(app, ["extract", str(f)])
    assert r.exit_code == 0
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["ru", "en"] and lines[1]["statements"]
    assert "mixed.jsonl: ru: the text is in another language" in r.stderr
    assert "mixed.jsonl: en:" not in r.stderr
