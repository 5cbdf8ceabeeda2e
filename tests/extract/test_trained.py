"""The trained backend: training is deterministic per seed, and the packaged model behaves on
data it never saw (dev, and sentences made up here) — properties and figures, not single
sentences the model was fitted to."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from redline.extract.corpus import default_root, load_corpus, split_of  # noqa: E402
from redline.extract.trained import DEFAULT_MODEL, TrainConfig, TrainedExtractor, train  # noqa: E402

needs_model = pytest.mark.skipif(not DEFAULT_MODEL.is_file(), reason="no packaged model: run `redline train`")


@pytest.fixture(scope="module")
def trained(profile):
    return TrainedExtractor(profile)


def _triples(ex, text):
    return {(s.party, s.issue, s.polarity.value) for s in ex(text)}


def test_training_on_a_sample_is_deterministic_and_never_sees_the_test_split(extractor):
    corpus = load_corpus(default_root())
    records = corpus.records("train")
    assert all(split_of(r["url"]) == "train" for r in records)
    cfg = TrainConfig(seed=7, folds=2, models=["two_stage", "sparse_lr"], sample=40)
    m1, r1 = train(records, extractor, cfg, log=lambda _m: None)
    m2, r2 = train(records, extractor, cfg, log=lambda _m: None)
    d1, d2 = r1.model_dump(exclude={"seconds"}), r2.model_dump(exclude={"seconds"})
    assert d1 == d2
    assert m1.kind == m2.kind and m1.threshold == m2.threshold and (m1.W == m2.W).all()
    assert [f.c for f in r1.rerank] == cfg.rerank_c_grid  # stage three was fitted and compared
    assert (m1.reranker is None) == (m2.reranker is None)
    if m1.reranker is not None:
        assert m1.reranker.names == m2.reranker.names and (m1.reranker.w == m2.reranker.w).all()
    with pytest.raises(ValueError, match="test split"):
        train(corpus.records("test")[:3], extractor, cfg, log=lambda _m: None)


@needs_model
def test_figures_on_dev_which_training_never_saw(trained, dev_gold):
    """Dev is held apart from training: the model must find a fair share of it, and its
    confidence must rank — statements it is surer of are right more often."""
    from redline.extract.figures import predict
    from redline.extract.evaluate import score

    trained.min_confidence = 0.05
    pred = predict(trained, dev_gold)
    trained.min_confidence = trained.model.threshold
    kept = {k: [s for s in v if s["confidence"] >= trained.model.threshold] for k, v in pred.items()}
    rep = score(dev_gold, kept)
    assert rep.micro.f1 >= 0.45, rep.micro.as_dict()
    assert rep.act_accuracy >= 0.5
    hi = score(dev_gold, {k: [s for s in v if s["confidence"] >= 0.5] for k, v in pred.items()}).micro
    lo = score(dev_gold, {k: [s for s in v if s["confidence"] < 0.5] for k, v in pred.items()}).micro
    assert hi.precision > lo.precision


NEUTRAL = ["The weather in the region was mild on Tuesday.",
           "Shares in technology companies rose in early trading.",
           "The museum reopened after a two-year renovation.",
           "Heavy snow closed several mountain roads overnight.",
           "The football final drew a record television audience."]


@needs_model
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.integers(min_value=0, max_value=39), extra=st.sampled_from(NEUTRAL))
def test_an_appended_unrelated_sentence_changes_nothing(trained, dev_gold, doc, extra):
    text = dev_gold[doc % len(dev_gold)]["text"]
    assert _triples(trained, text + "\n\n" + extra) == _triples(trained, text)


SUBJECTS = ["Russia", "Ukraine", "The United States", "France", "China", "Germany", "Poland"]
CLAIMS = [("supports", "does not support", "an immediate ceasefire"),
          ("wants", "does not want", "Ukraine to join NATO"),
          ("backs", "does not back", "lifting sanctions on Russia"),
          ("supports", "opposes", "security guarantees for Ukraine"),
          ("wants", "rejects", "a new round of peace talks"),
          ("accepts", "rejects", "an exchange of all prisoners of war"),
          ("wants", "does not want", "elections in Ukraine"),
          ("demands", "rejects", "the withdrawal of Russian troops from Ukraine")]


@needs_model
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(subject=st.sampled_from(SUBJECTS), claim=st.sampled_from(CLAIMS))
def test_negating_a_stance_flips_or_drops_it(trained, subject, claim):
    """Whatever the model finds in "X supports Y" it must not find, with the same polarity, in
    "X does not support Y" / "X rejects Y"."""
    yes, no, what = claim
    pos = _triples(trained, f"{subject} {yes} {what}, officials said on Monday.")
    neg = _triples(trained, f"{subject} {no} {what}, officials said on Monday.")
    assert not (pos & neg), (pos, neg)


@needs_model
def test_the_cut_off_applies_to_the_confidence_as_reported(profile, dev_gold):
    """Run at the floor and filtered on the reported confidences, or run at a cut-off: the same
    statements (figures are computed the first way, users run the second). A statement shown as
    0.308 is kept at the default cut-off 0.308, though the calibrated value under it is 0.3077."""
    from redline.extract.figures import predict
    from redline.extract.trained import FLOOR

    low = predict(TrainedExtractor(profile, min_confidence=FLOOR), dev_gold)
    default = TrainedExtractor(profile)  # the cut-off chosen out of fold, rounded as confidences are shown
    assert default.min_confidence == round(default.model.threshold, 3)
    for ex in (default, TrainedExtractor(profile, min_confidence=0.5)):
        cut, direct = ex.min_confidence, predict(ex, dev_gold)
        assert direct == {k: [s for s in v if s["confidence"] >= cut] for k, v in low.items()}, cut
