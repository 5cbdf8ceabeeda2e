"""The lexicon's reading of its own patterns."""

from __future__ import annotations

import pytest

from redline.extract.lexicon import literal_negation


@pytest.mark.parametrize("pattern, negates", [
    (r"\bnever (?:to )?join nato\b", True),             # the words themselves negate
    (r"\bnot join (?:any )?(?:military )?blocs?\b", True),
    (r"\bwithout elections\b", True),
    (r"(?#neg)\bborders\s+(?:cannot|must not)\s+be\s+changed\b", True),  # said explicitly
    (r"\bmoscow\s+(?:(?:would|not|never)\s+){0,4}withdraw\b", False),   # a gap lets one in
    (r"\bcease-?fires?\b", False),
])
def test_literal_negation(pattern, negates):
    assert literal_negation(pattern) is negates
