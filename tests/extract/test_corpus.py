"""The annotated corpus: it loads, none of it is dev data, the frozen split is fixed by URL alone,
and the agreement figure is the symmetric micro F1 of the two passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redline.extract.corpus import agreement, load_corpus, manifest_rows, split_of

ROOT = Path(__file__).parents[2] / "corpus" / "russia-ukraine"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT)


def test_corpus_is_not_dev_data(corpus, shared_dir):
    dev = [json.loads(line) for line in (shared_dir / "eval" / "dev.jsonl").read_text().splitlines() if line]
    dev_urls = {d["url"] for d in dev}
    dev_sentences = {s.strip() for d in dev for s in d["text"].split(". ") if len(s.strip()) > 80}
    for a in corpus.articles.values():
        assert a["url"] not in dev_urls, a["id"]
        assert not any(s.strip() in dev_sentences for s in a["text"].split(". ") if len(s.strip()) > 80), a["id"]


def test_every_quote_is_in_its_article(corpus):
    for passes in (corpus.pass_a, corpus.pass_b):
        for aid, statements in passes.items():
            for s in statements:
                assert s["quote"] in corpus.articles[aid]["text"], (aid, s["quote"][:60])


def test_frozen_split_depends_on_the_url_only_and_holds_enough_articles(corpus):
    rows = manifest_rows(corpus)
    assert all(r[4] == split_of(r[1]) for r in rows)
    assert sum(r[4] == "test" for r in rows) >= 150
    committed = (ROOT / "MANIFEST.tsv").read_text().splitlines()[1:]
    assert [tuple(line.split("\t")) for line in committed] == [tuple(r) for r in rows], (
        "MANIFEST.tsv is out of date: regenerate it from the articles")


def test_no_test_statement_is_also_in_a_train_article(corpus):
    """The same wire copy on two sites must not sit on both sides of the split: no quote of a
    test article's statements appears in any train article's text."""
    train_text = [a["text"] for aid, a in corpus.articles.items() if corpus.split(aid) == "train"]
    for aid in corpus.articles:
        if corpus.split(aid) != "test":
            continue
        for s in corpus.labels(aid):
            assert not any(s["quote"] in t for t in train_text), (aid, s["quote"][:60])


def test_agreement_is_symmetric_and_counts_triples():
    from redline.extract.corpus import Corpus
    arts = {"x": {"url": "https://a.example/x", "text": "t"}, "y": {"url": "https://a.example/y", "text": "t"}}
    st = lambda p, i, pol: {"party": p, "issue": i, "polarity": pol}  # noqa: E731
    a = {"x": [st("RUS", "ceasefire", "for")], "y": [st("UKR", "alliance.nato", "for")]}
    b = {"x": [st("RUS", "ceasefire", "for"), st("UKR", "ceasefire", "for")], "y": []}
    ab, n = agreement(Corpus(arts, a, b))
    ba, _ = agreement(Corpus(arts, b, a))
    assert n == 2 and (ab.tp, ab.fp, ab.fn) == (1, 1, 1) and abs(ab.f1 - ba.f1) < 1e-12


def test_labels_prefer_adjudicated_gold_per_article(tmp_path):
    """Gold is written chunk by chunk: an article it covers is labelled by gold, the others by
    pass A, so re-running training picks gold up without code changes."""
    for name in ("articles", "pass_a", "pass_b", "gold"):
        (tmp_path / name).mkdir()
    arts = [{"id": f"k9-{i}", "url": f"https://a.example/{i}", "text": "Some text."} for i in range(3)]
    (tmp_path / "articles" / "k9.jsonl").write_text("\n".join(json.dumps(a) for a in arts) + "\n")
    st = {"party": "RUS", "issue": "ceasefire", "polarity": "for", "quote": "Some text."}
    pa = [{"id": a["id"], "statements": [st]} for a in arts]
    for name in ("pass_a", "pass_b"):
        (tmp_path / name / "k9.jsonl").write_text("\n".join(json.dumps(r) for r in pa) + "\n")
    c = load_corpus(tmp_path)
    assert all(c.label_source(a["id"]) == "pass_a" for a in arts)
    (tmp_path / "gold" / "k9.jsonl").write_text(json.dumps({"id": "k9-1", "statements": []}) + "\n")
    c = load_corpus(tmp_path)
    assert c.labels("k9-1") == [] and c.label_source("k9-1") == "gold"
    assert c.labels("k9-0") == [st] and c.label_source("k9-0") == "pass_a"
    assert {r["id"] for r in c.records()} == {a["id"] for a in arts}
    assert all(r["split"] == split_of(r["url"]) for r in c.records())
