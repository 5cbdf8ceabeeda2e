"""Hypothesis properties of the input boundary and the ingest readers: hostile bytes, text and
structures either read or refused with a DataError / a skip reason — never another exception,
never an unstorable field, always quickly."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from fuzz_settings import fuzz
from hypothesis import assume, given
from hypothesis import strategies as st

from redline import inputs
from redline.errors import DataError
from redline.ingest.readers import Options, parse_date, read_file
from redline.model import Document
from redline.store.store import Skipped

# Text with the characters that broke things: NULs, lone surrogates, controls, BOMs, brackets.
HOSTILE_CHARS = st.sampled_from(["\x00", "\ud800", "\udfff", "\udcff", "\ufeff", "\x1b", "[", "{", "\"",
                                 "\\", "\n", "---", "&a", "*a", "é", "—", "\u202e", "9" * 50])
hostile_text = st.lists(st.one_of(st.text(max_size=30), HOSTILE_CHARS), max_size=40).map("".join)
ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "ascii"]


def json_values(max_leaves: int = 30):
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                       hostile_text)
    return st.recursive(leaves, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                       st.dictionaries(hostile_text, kids, max_size=4)),
                        max_leaves=max_leaves)


@fuzz(60)
@given(text=st.one_of(hostile_text, json_values().map(lambda v: json.dumps(v, ensure_ascii=False)),
                      st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
                      st.integers(90, 6000).map(lambda n: '{"a": ' + "9" * n + "}")))
def test_load_json_returns_or_refuses(text):
    try:
        data = inputs.load_json(text)
    except DataError as exc:
        assert exc.message and "\n" not in exc.render()
        return
    stack = [data]
    while stack:  # whatever was accepted is storable
        node = stack.pop()
        if isinstance(node, str):
            assert inputs.text_problem(node) is None
        elif isinstance(node, dict):
            stack += list(node) + list(node.values())
        elif isinstance(node, list):
            stack += node
        elif isinstance(node, int) and not isinstance(node, bool):
            assert len(str(abs(node))) <= inputs.MAX_INT_DIGITS


YAML_PIECES = st.sampled_from(["a: 1\n", "- x\n", "k: &a [1, 2]\n", "? *a\n: v\n", "d: 2025-02-30\n",
                               "d: 2025-01-01\n", "n: " + "9" * 5000 + "\n", "s: \"\\0\"\n", "s: \"\\ud800\"\n",
                               "b: &b [*a, *a, *a]\n", "r: &r [*r]\n", "[" * 200, "{x: " * 80, "  - nested\n",
                               "<<: *a\n", "t: !!binary aGk=\n", "x: !!python/object:os.system ls\n", "\t\n"])


@fuzz(60)
@given(pieces=st.lists(st.one_of(YAML_PIECES, hostile_text), max_size=12))
def test_load_yaml_returns_or_refuses(pieces):
    started = time.monotonic()
    try:
        inputs.load_yaml_text("".join(pieces), file="fuzz.yaml")
    except DataError as exc:
        assert exc.file == "fuzz.yaml" and "\n" not in exc.render()
    assert time.monotonic() - started < 5


@fuzz(60)
@given(raw=st.one_of(st.binary(max_size=2000), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       encoding=st.sampled_from(ENCODINGS))
def test_decode_is_strict(raw, encoding):
    try:
        text = inputs.decode(raw, encoding=encoding)
    except DataError as exc:
        assert "not valid" in exc.message or "NUL" in exc.message or "surrogate" in exc.message
        return
    assert inputs.text_problem(text) is None


SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".xml", ""]


@fuzz(60)
@given(raw=st.one_of(st.binary(max_size=3000),
                     hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                     json_values().map(lambda v: json.dumps(v).encode()),
                     st.tuples(json_values(), json_values()).map(
                         lambda p: (json.dumps(p[0]) + "\n" + json.dumps(p[1])).encode()),
                     hostile_text.map(lambda t: f"---\n{t}\n---\nbody text\n".encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from(SUFFIXES), encoding=st.sampled_from(ENCODINGS))
def test_read_file_yields_documents_or_reasons(tmp_path_factory, raw, suffix, encoding):
    folder = tmp_path_factory.mktemp("in")
    f = folder / f"input{suffix}"
    f.write_bytes(raw)
    started = time.monotonic()
    items = list(read_file(f, folder, Options(encoding=encoding)))
    assert time.monotonic() - started < 10
    for item in items:
        assert isinstance(item, (Document, Skipped))
        if isinstance(item, Skipped):
            assert item.reason and "\n" not in item.reason
            continue
        for name in ("id", "text", "title", "url", "outlet", "author", "date_source", "path"):
            value = getattr(item, name)
            assert value is None or inputs.text_problem(value) is None, name
        assert item.text.strip() and len(item.id) <= inputs.MAX_ID_CHARS


@fuzz(80)
@given(value=st.one_of(hostile_text, st.integers(), st.floats(), st.dates(), st.none(),
                       st.lists(st.integers(), max_size=3),
                       st.sampled_from(["2025-02-30", "0000-01-01", "9999-12-31", "2025-13", "29.02.2023",
                                        "31 February 2024", "12/31/1899", "1e400", "2025-02-12T25:99Z"])))
def test_parse_date_never_raises_and_stays_in_range(value):
    date, source = parse_date(value, "fuzz")
    if date is not None:
        assert 1900 <= date.year <= dt.date.today().year + 1 and source


@fuzz(60)
@given(prefix=st.text(min_size=0, max_size=400), a=st.text(min_size=1, max_size=5), b=st.text(min_size=1, max_size=5))
def test_bounded_ids_are_short_and_keep_differences(prefix, a, b):
    assume(" ".join((prefix + a).split()) != " ".join((prefix + b).split()))
    x, y = inputs.bounded_id(prefix + a), inputs.bounded_id(prefix + b)
    assert len(x) <= inputs.MAX_ID_CHARS and len(y) <= inputs.MAX_ID_CHARS
    assert x != y


@fuzz(40)
@given(text=st.lists(st.one_of(st.text(max_size=50), st.sampled_from(["[" * 500, "'" * 300, "$!?" * 100, "\n\n"])),
                     max_size=30).map("".join))
def test_parser_input_is_bounded(text):
    bounded = inputs.bound_for_parser(text, max_chars=2000)
    assert len(bounded) <= 2000 and len(bounded) == inputs.parse_cut(text, 2000)
    assert not inputs._AFFIX_RUN.search(bounded)
    assert len(bounded) == len(text) or len(text) > 2000


def test_fuzz_folder_is_cleaned(tmp_path: Path):
    """(a guard: the fixtures above write only under pytest's tmp folders)"""
    assert tmp_path.exists()
