"""Parsing line by line: the text comes back character for character, and what a line is parsed
as does not depend on what follows it."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from redline.extract.nlp import _lines, load_nlp, parse_by_line  # noqa: E402

LINE = st.lists(st.sampled_from(["a", "b", " ", "X", ".", ",", "'", '"', "-", "not", "never", "Kyiv", "\t"]),
                max_size=20).map("".join)
BREAK = st.sampled_from(["\n", "\n\n", "\r\n", "  \n", "\n \n", "\u2028"])


@given(st.lists(st.tuples(LINE, BREAK), max_size=6), LINE)
def test_the_pieces_join_back_into_the_text(lines, last):
    text = "".join(a + b for a, b in lines) + last
    assert "".join(_lines(text)) == text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(LINE, BREAK), min_size=1, max_size=4), LINE)
def test_a_parsed_text_keeps_its_characters(lines, last):
    text = "".join(a + b for a, b in lines) + last
    (doc,) = parse_by_line(load_nlp(), [text])
    assert doc.text == text


FOLLOWERS = ["", "\n", "\n\n", "\n\nThe weather was mild on Tuesday.", "\nShares rose.\n"]


@pytest.mark.parametrize("line", [
    "The Kremlin's terms focused on keeping the land and forcing Ukraine to be neutral, meaning it would not",
    "Kyiv says it will never accept a deal that rewards the invasion",
    "Talks are expected to resume next week in Istanbul.",
])
def test_a_line_is_parsed_the_same_whatever_follows_it(line):
    nlp = load_nlp()
    parses = []
    for tail in FOLLOWERS:
        (doc,) = parse_by_line(nlp, [line + tail])
        n = len(nlp.make_doc(line))
        parses.append([(t.text, t.tag_, t.dep_, t.head.i, t.lemma_) for t in doc[:n]])
    assert all(p == parses[0] for p in parses)
