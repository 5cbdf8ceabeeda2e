"""Negation scopes of the trained backend's pair features, checked as properties.

The scopes are read on the dev articles and on sentences built from every issue's keywords in
the profile, so no check depends on one sentence the code was written for."""

from __future__ import annotations

import pytest

from redline.extract.io import Document
from redline.extract.pairs import negation_scopes, pairs_of

SUBJECTS = ("nsubj", "nsubjpass", "csubj")


@pytest.fixture(scope="session")
def dev_states(extractor, dev_gold):
    docs = [Document(id=str(g["id"]), text=g["text"]) for g in dev_gold]
    return list(extractor.run(docs))


def test_a_cue_never_negates_itself_or_its_verb_s_subject(dev_states, extractor):
    lex = extractor.ctx.lexicon
    checked = 0
    for state in dev_states:
        for sent in state.sents:
            for cue, toks in negation_scopes(sent, lex):
                tok = state.doc[cue]
                assert cue not in toks
                verb = tok.head if tok.dep_ == "neg" else tok
                if tok.dep_ == "neg" or tok.pos_ == "VERB":
                    for child in verb.children:
                        if child.dep_ in SUBJECTS:
                            assert not toks & {t.i for t in child.subtree}, (sent.text, child.text)
                assert all(sent.span.start <= i < sent.span.end for i in toks)
                checked += 1
    assert checked > 50  # dev has plenty of negations and rejections


def _keywords(profile):
    out = []
    for issue in profile.issues.values():
        words = [k for k in issue.keywords if k.isascii() and len(k.split()) <= 3]
        if words:
            out.append(words[0])
    return out


def test_a_rejected_issue_phrase_is_marked_negated_and_a_backed_one_is_not(profile, extractor):
    """For every issue of the profile, "<party> rejected any talk of <keyword>" puts the keyword's words under
    negation, and "… backed …" does not."""
    party = next(iter(profile.parties.values())).name
    keywords = _keywords(profile)
    assert len(keywords) >= 10
    docs = []
    for k, kw in enumerate(keywords):
        docs.append(Document(id=f"r{k}", text=f"{party} firmly rejected any talk of {kw}."))
        docs.append(Document(id=f"b{k}", text=f"{party} firmly backed any talk of {kw}."))
    marked = {}
    for state in extractor.run(docs):
        pairs = pairs_of(state, extractor.ctx)
        feats = {f for p in pairs for f in p.feats if f.startswith("n:")}
        after_of = [t for t in state.doc if t.i > [u.i for u in state.doc if u.lower_ == "of"][0]]
        marked[state.document.id] = any(f"n:{t.lemma_.lower()}" in feats for t in after_of if not t.is_punct)
    rejected = sum(1 for k in range(len(keywords)) if marked.get(f"r{k}"))
    backed = sum(1 for k in range(len(keywords)) if marked.get(f"b{k}"))
    assert backed == 0
    assert rejected >= 0.8 * len(keywords)
