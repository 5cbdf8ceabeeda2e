"""The figures script's chunk groups: the test split as it stood in an earlier round is named by
a range of chunks, and a typo must fail rather than score an empty set."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.extract.figures import chunk_group

ROOT = Path(__file__).parents[2] / "corpus" / "russia-ukraine"


def test_a_range_takes_every_chunk_between_its_ends_and_no_other():
    known = {f.stem for f in (ROOT / "articles").glob("*.jsonl")}  # a chunk is an articles file
    first_rounds = chunk_group("k1-k11", known)
    assert first_rounds == {f"k{i}" for i in range(1, 12)} and first_rounds <= known
    assert chunk_group("k1,k2,k3", known) == chunk_group("k1-k3", known) == {"k1", "k2", "k3"}
    assert "k10" not in chunk_group("k1-k3", known)  # numbers, not string prefixes


def test_an_unknown_chunk_is_an_error():
    with pytest.raises(SystemExit, match="k99"):
        chunk_group("k1,k99", {"k1", "k2"})
