"""parse-plan on hostile input: option values checked first, the text read through the input
boundary, point numbers bounded, any number of issues per point."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from redline.errors import DataError
from redline.plans.parse import check_metadata, parse_plan, read_plan_text, split_points, suffix

TEXT = "Peace plan\n1. Ukraine will not join NATO.\n2. Sanctions will be lifted in stages.\n"


@pytest.mark.parametrize("kwargs, message", [
    ({"plan_id": "bad id!"}, "--id 'bad id!' is not a valid id"),
    ({"plan_id": "1plan"}, "is not a valid id"),
    ({"plan_id": "x" * 300}, "is not a valid id"),
    ({"url": "ftp://example.org/plan"}, "--url 'ftp://example.org/plan' is not an http(s) URL"),
    ({"url": "javascript:alert(1)"}, "is not an http(s) URL"),
    ({"url": "https://"}, "is not an http(s) URL"),
    ({"title": "bad \udcff"}, "--title contains an unpaired surrogate"),
    ({"proposers": ["bad id!"]}, "--proposer 'bad id!' is not a valid id"),
])
def test_option_values_are_checked_with_the_option_named(kwargs, message):
    with pytest.raises(DataError) as err:
        check_metadata(**kwargs)
    assert message in err.value.message and err.value.fix


def test_plan_text_is_read_strictly(tmp_path):
    ok = tmp_path / "plan.txt"
    ok.write_text(TEXT)
    assert read_plan_text(ok) == TEXT
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Plan\n1. Neutralité.\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"not valid UTF-8 \(byte 17, line 2\)") as err:
        read_plan_text(latin)
    assert err.value.line == 2 and "--encoding cp1252" in err.value.fix
    assert read_plan_text(latin, encoding="latin-1").endswith("Neutralité.\n")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(TEXT.encode("utf-16"))
    assert read_plan_text(utf16) == TEXT
    for raw, message in ((b"", "empty"), (TEXT.encode() + b"\x00", "binary file"),
                         (b"x" * (1024 * 1024 + 1), "over the 1,048,576-byte limit")):
        bad = tmp_path / "bad.txt"
        bad.write_bytes(raw)
        with pytest.raises(DataError, match=message):
            read_plan_text(bad)
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="a FIFO"):
        read_plan_text(fifo)  # refused without opening: never blocks


def test_huge_point_numbers_are_not_markers():
    _pre, points = split_points("Plan\n" + "9" * 5000 + ". Not a point.\n12345. Not one either.\n7. A point.\n")
    assert [p.number for p in points] == ["7"]


def test_suffixes_never_run_out():
    assert [suffix(k) for k in (0, 1, 9, 10, 25, 26, 27, 701, 702)] == \
        ["a", "b", "j", "k", "z", "aa", "ab", "zz", "aaa"]


class _ManyIssues:
    """Stands in for the extractor's point mapping: every point names 12 issues."""


def test_a_point_with_more_than_ten_issues(monkeypatch):
    from redline.plans import parse

    mapped = [(f"issue{k}", "for", 0.6, f"words {k}") for k in range(12)]
    monkeypatch.setattr(parse, "map_points", lambda points, extractor: iter([mapped] * len(points)))
    plan = parse_plan(TEXT, _ManyIssues(), plan_id="many", date=dt.date(2025, 1, 1), proposers=["USA"],
                      url="https://example.org/p")
    numbers = [p.number for p in plan.provisions]
    assert numbers[:12] == [f"1{suffix(k)}" for k in range(12)] and "1l" in numbers


def test_bad_id_never_reaches_the_model():
    with pytest.raises(DataError, match="--id"):
        parse_plan(TEXT, _ManyIssues(), plan_id="bad id!")
