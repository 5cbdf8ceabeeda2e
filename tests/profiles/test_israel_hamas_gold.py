"""The Israel–Hamas gold set: well-formed, the agreement it reports, and the extraction figure
in the README reproduced (the set is measured, never tuned on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.extract.corpus import agreement, load_corpus

ROOT = Path(__file__).parents[2] / "corpus" / "israel-hamas"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT)


def test_gold_set_is_well_formed(corpus):
    from redline.profile import load_profile

    profile = load_profile("israel-hamas")
    assert len(corpus.articles) >= 30
    assert set(corpus.pass_a) == set(corpus.pass_b) == set(corpus.gold) == set(corpus.articles)
    for labels in (corpus.pass_a, corpus.pass_b, corpus.gold):
        for aid, statements in labels.items():
            for s in statements:
                assert s["quote"] in corpus.articles[aid]["text"], (aid, s["quote"][:60])
                assert s["issue"] in profile.issues, (aid, s["issue"])
                assert s["party"] in profile.parties or (len(s["party"]) == 3 and s["party"].isupper())


def test_agreement_is_the_reported_one(corpus):
    score, n = agreement(corpus)
    assert n == len(corpus.articles)
    assert score.f1 == pytest.approx(0.909, abs=0.001)


def test_extraction_figure_reproduces(corpus):
    pytest.importorskip("spacy")
    from redline.extract.evaluate import gold_documents, score
    from redline.extract.io import statement_record
    from redline.extract.pipeline import Extractor
    from redline.profile import load_profile

    extractor = Extractor(load_profile("israel-hamas"))
    records = [{**a, "statements": corpus.pass_a[aid]} for aid, a in sorted(corpus.articles.items())]
    predicted = {doc.id: [statement_record(s) for s in sts]
                 for doc, sts in extractor.extract(gold_documents(records))}
    assert score(records, predicted).micro.f1 == pytest.approx(0.339, abs=0.01)
    gold = [{**a, "statements": corpus.gold[aid]} for aid, a in sorted(corpus.articles.items())]
    assert score(gold, predicted).micro.f1 == pytest.approx(0.343, abs=0.01)


def test_gold_holds_one_statement_per_triple(corpus):
    for aid, statements in corpus.gold.items():
        triples = [(s["party"], s["issue"], s["polarity"]) for s in statements]
        assert len(triples) == len(set(triples)), aid
