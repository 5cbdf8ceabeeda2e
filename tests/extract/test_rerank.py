"""Stage three of the trained backend: triples are judged against their rivals in the document.

Made-up pairs and scores, so the checks hold whatever the corpus says: the floor, the polarity
mapping, the rival features, fitting, and the packaged artefact's round trip."""

from __future__ import annotations

import numpy as np
import pytest

from redline.extract.pairs import Pair, RuleView
from redline.extract.rerank import EVIDENCE, FLOOR, Reranker, candidates, document_rows, features, training_rows

LABELS = [("ceasefire", "for"), ("ceasefire", "against"), ("alliance.nato", "against")]


def _pair(party: str, sent: int, rules: dict | None = None) -> Pair:
    return Pair("d1", sent, party, f"sentence {sent}", sent * 10, sent * 10 + 9, party, [f"why:m:{party}"],
                rules or {})


def _same(pair, label):
    return label


def test_candidates_keep_scores_over_the_floor_best_first_with_the_polarity_mapping():
    pairs = [_pair("RUS", 0), _pair("RUS", 1)]
    scores = np.array([[0.2, FLOOR / 2, 0.0], [0.6, 0.0, 0.3]])
    flip_nato = lambda p, lab: ("alliance.nato", "for") if lab == ("alliance.nato", "against") else lab  # noqa: E731
    c = candidates(pairs, scores, LABELS, flip_nato)
    assert set(c) == {("RUS", "ceasefire", "for"), ("RUS", "alliance.nato", "for")}
    assert [s for s, _, _ in c[("RUS", "ceasefire", "for")]] == [0.6, 0.2]


def test_a_stronger_rival_in_the_same_sentence_is_visible_to_the_weaker_party():
    """Two parties of one sentence for the same label: each sees the other's score."""
    pairs = [_pair("RUS", 0), _pair("USA", 0), _pair("UKR", 1)]
    scores = np.array([[0.9, 0.0, 0.0], [0.4, 0.0, 0.0], [0.3, 0.0, 0.0]])
    c = candidates(pairs, scores, LABELS, _same)
    weak = features(("USA", "ceasefire", "for"), c, pairs, scores)
    strong = features(("RUS", "ceasefire", "for"), c, pairs, scores)
    other_sentence = features(("UKR", "ceasefire", "for"), c, pairs, scores)
    assert weak["top_of_sentence_rivals"] == 0.0 and weak["over_rival"] < 0
    assert strong["top_of_sentence_rivals"] == 1.0 and strong["over_rival"] > 0
    assert other_sentence["top_of_sentence_rivals"] == 1.0  # the rivals sit in another sentence
    assert strong["parties_in_document"] == 3.0


def test_the_opposite_polarity_and_the_rules_are_features():
    rules = {("ceasefire", "against"): RuleView("reject", False, "RUS", "subject", "", 0.9)}
    pairs = [_pair("RUS", 0, rules)]
    scores = np.array([[0.5, 0.7, 0.0]])
    c = candidates(pairs, scores, LABELS, _same)
    f = features(("RUS", "ceasefire", "for"), c, pairs, scores)
    assert f["over_opposite"] < 0 and f["rules"] == 0.0 and f["rules_opposite"] == 1.0
    g = features(("RUS", "ceasefire", "against"), c, pairs, scores)
    assert g["rules"] == g["rules_best"] == 1.0 and g["over_opposite"] > 0


@pytest.mark.parametrize("best", [0.9, 0.3, EVIDENCE / 2])
def test_a_sentence_below_the_evidence_level_adds_no_support(best):
    """A candidate's count of sentences and its second-best score ignore sentences that score it
    below ``EVIDENCE`` (an unrelated sentence that inherits the party), even when they are over
    the candidate floor; the best sentence always counts, however weak."""
    pairs = [_pair("RUS", 0), _pair("USA", 0)]
    scores = np.array([[best, 0.0, 0.0], [0.2, 0.0, 0.0]])
    c = candidates(pairs, scores, LABELS, _same)
    alone = features(("RUS", "ceasefire", "for"), c, pairs, scores)
    noise = 0.9 * min(EVIDENCE, best)  # over the floor, under the evidence level and the best
    assert noise >= FLOOR
    noisy_pairs = pairs + [_pair("RUS", 1)]
    noisy_scores = np.vstack([scores, [[noise, 0.0, 0.0]]])
    noisy_c = candidates(noisy_pairs, noisy_scores, LABELS, _same)
    assert len(noisy_c[("RUS", "ceasefire", "for")]) == 2  # it is a candidate item …
    assert features(("RUS", "ceasefire", "for"), noisy_c, noisy_pairs, noisy_scores) == alone  # … but no support
    assert alone["sentences"] == 1.0
    if best < EVIDENCE:
        return
    support_pairs = pairs + [_pair("RUS", 1)]
    support_scores = np.vstack([scores, [[EVIDENCE, 0.0, 0.0]]])
    c2 = candidates(support_pairs, support_scores, LABELS, _same)
    assert features(("RUS", "ceasefire", "for"), c2, support_pairs, support_scores)["sentences"] == 2.0


def test_each_party_s_habitual_stances_are_learnable_as_a_prior():
    """The triple itself is a column, so the same scores can mean more for one party than another."""
    pairs = [_pair("RUS", 0), _pair("USA", 1)]
    scores = np.array([[0.5, 0.0, 0.0], [0.5, 0.0, 0.0]])
    c = candidates(pairs, scores, LABELS, _same)
    rows = [features(t, c, pairs, scores) for t in sorted(c)]
    rus, usa = rows
    assert {k for k in rus if k.startswith("party_label=")} == {"party_label=RUS|ceasefire:for"}
    assert {k for k in usa if k.startswith("party_label=")} == {"party_label=USA|ceasefire:for"}
    m = Reranker.fit(rows * 10, np.array([1, 0] * 10), 1.0, 13)
    a, b = m.score(rows)
    assert a > 0.5 > b


def test_fitting_learns_to_prefer_the_stronger_of_two_rivals():
    """Documents where the gold holder is always the party with the higher score: the fitted
    reranker ranks it above its rival on a document it was not fitted on."""
    rng = np.random.default_rng(0)
    docs = []
    for _ in range(60):
        hi, lo = rng.uniform(0.5, 0.95), rng.uniform(0.05, 0.45)
        pairs = [_pair("RUS", 0), _pair("USA", 0)]
        docs.append((pairs, np.array([[hi, 0, 0], [lo, 0, 0]]), {("RUS", "ceasefire", "for")}))
    rows, y, doc = training_rows(docs, LABELS, _same)
    assert len(rows) == 120 and y.sum() == 60 and doc.max() == 59
    model = Reranker.fit(rows, y, c=1.0, seed=0)
    pairs = [_pair("UKR", 0), _pair("FRA", 0)]
    keys, feats, _ = document_rows(pairs, np.array([[0.3, 0, 0], [0.8, 0, 0]]), LABELS, _same)
    s = dict(zip(keys, model.score(feats)))
    assert s[("FRA", "ceasefire", "for")] > 0.5 > s[("UKR", "ceasefire", "for")]


def test_a_reranker_fitted_on_one_class_scores_but_learns_nothing():
    rows = [{"bias": 1.0, "l1": 0.2}, {"bias": 1.0, "l1": -1.0}]
    model = Reranker.fit(rows, np.array([0, 0]), c=1.0, seed=0)
    assert np.allclose(model.score(rows), 0.5)


def test_the_packaged_model_keeps_its_reranker_through_a_save(tmp_path):
    from redline.extract.trained import DEFAULT_MODEL, TrainedModel

    if not DEFAULT_MODEL.is_file():
        pytest.skip("no packaged model: run `redline train`")
    model = TrainedModel.load(DEFAULT_MODEL)
    assert model.reranker is not None, "the shipped model uses stage three (docs/extraction.md)"
    model.save(tmp_path / "m.npz")
    again = TrainedModel.load(tmp_path / "m.npz")
    row = [{name: 1.0 for name in model.reranker.names[:50]}]
    assert again.reranker.names == model.reranker.names
    assert np.allclose(again.reranker.score(row), model.reranker.score(row), atol=1e-3)
