"""`redline extract` reads a JSON Lines feed as `redline ingest` does: the same records are kept
or skipped (at the same line numbers), under the same ids, with the same dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redline.errors import DataError
from redline.extract.io import read_documents, read_gold, read_inputs
from redline.ingest import ingest_paths, read_file
from redline.model import Document

# Characters str.splitlines() breaks at besides "\n" and "\r". JSON lets the first three stand
# raw inside a string; the control characters are not JSON there (RFC 8259), so such a record
# is skipped, but at its own line number, and the records after it keep theirs.
UNICODE_SEPARATORS = ["\u2028", "\u2029", "\u0085"]
CONTROL_SEPARATORS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
SEPARATORS = UNICODE_SEPARATORS + CONTROL_SEPARATORS

DATES = ["2025-02-30", "March 3, 2025", "1850-01-01", "2025-03-03T10:00:00Z", 20250303, "2025-03",
         "unknown", None, "3 марта 2025", "0000-01-01", "", ["2025-03-03"]]


def _raw_record(rec_id: str, text_with_raw: str) -> str:
    """A JSON line whose text holds characters exactly as given (json.dumps would escape some)."""
    return '{"id": "%s", "text": "%s"}' % (rec_id, text_with_raw)


def _feed_lines() -> list[str]:
    lines = [_raw_record(f"sep-{i}", f"Kyiv rejects the proposal.{sep}It said so again ({i}).")
             for i, sep in enumerate(SEPARATORS)]
    lines += [json.dumps({"id": f"date-{i}", "text": f"Moscow demands neutrality, report {i}.", "date": d},
                         ensure_ascii=False) for i, d in enumerate(DATES)]
    lines += [json.dumps({"id": "dated-in-text", "text": "Published 2025-04-01. Kyiv wants guarantees."}),
              json.dumps({"id": "a", "text": "Kyiv insists on security guarantees."}),
              json.dumps({"id": "a", "text": "Moscow demands recognition of the annexed regions."}),
              json.dumps({"id": "a", "text": "A third text under the same id."}),
              json.dumps({"id": "blank", "text": "   \n\t "}),
              json.dumps({"id": "invisible", "text": "\u200b\ufeff "}),
              "",
              "not JSON at all",
              json.dumps({"id": "last", "text": "Zelensky urged allies to tighten sanctions."})]
    return lines


def _write_feed(path: Path) -> Path:
    path.write_text("\n".join(_feed_lines()) + "\r\n", encoding="utf-8")
    return path


def _extract(paths) -> tuple[list[Document], list[str]]:
    skipped: list[str] = []
    docs = list(read_inputs(paths, on_skip=skipped.append))
    return docs, skipped


def test_extract_keeps_skips_names_and_dates_every_record_as_ingest_stores_it(store, tmp_path):
    feed = _write_feed(tmp_path / "feed.jsonl")
    docs, skipped = _extract([feed])
    result = ingest_paths(store, [feed])

    assert [d.id for d in docs] == result.stored
    assert len(set(result.stored)) == len(result.stored)  # no id twice in extract's output
    assert sorted(line.split(": ")[0] for line in skipped) == sorted(s.source for s in result.skipped)
    for doc in docs:
        stored = store.document(doc.id)
        assert (doc.date, doc.date_source) == (stored.date, stored.date_source), doc.id
        assert doc.text.strip() == stored.text
    # what the feed holds, spelled out
    ids = {d.id for d in docs}
    assert {f"sep-{i}" for i, _ in enumerate(UNICODE_SEPARATORS)} <= ids
    n_dates = len(DATES)
    assert {f"date-{i}" for i in range(n_dates)} <= ids  # an unreadable date never loses the record
    assert sum(d.id.startswith("a~") for d in docs) == 2 and "a" in ids
    assert {"blank", "invisible"}.isdisjoint(ids) and "last" in ids


@pytest.mark.parametrize("sep", SEPARATORS, ids=lambda s: f"U+{ord(s):04X}")
def test_a_separator_inside_a_string_never_splits_a_record(tmp_path, sep):
    """For every character str.splitlines() splits at: extract, eval's gold reader and ingest
    (UTF-8 and UTF-16) read the same records, and the line numbers of the lines after it are
    right. Where JSON allows the character raw (U+2028, U+2029, U+0085), the record is read."""
    valid = sep in UNICODE_SEPARATORS
    lines = [_raw_record("first", f"Kyiv rejects it.{sep}Again."), "[1, 2]",
             json.dumps({"id": "third", "text": "Moscow demands neutrality."})]
    expected_ids = (["first"] if valid else []) + ["third"]
    expected_bad = ([] if valid else [1]) + [2]

    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad: list[int] = []
    docs = list(read_documents(feed, on_skip=lambda e: bad.append(e.line)))
    assert [d.id for d in docs] == expected_ids and bad == expected_bad
    if valid:
        assert sep in docs[0].text

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "text": "x", "statements": []}) + "\n"
                    + '{"id": "g2", "text": "a%sb", "statements": []}\n' % sep
                    + json.dumps({"id": "g3", "text": "y", "statements": []}) + "\n", encoding="utf-8")
    if valid:
        records = read_gold(gold)
        assert [r["id"] for r in records] == ["g1", "g2", "g3"] and records[1]["text"] == f"a{sep}b"
    else:
        with pytest.raises(DataError) as err:
            read_gold(gold)
        assert err.value.line == 2

    for encoding in ("utf-8", "utf-16"):
        f = tmp_path / f"feed-{encoding}.jsonl"
        f.write_text("\n".join(lines) + "\n", encoding=encoding)
        items = list(read_file(f))
        assert [i.id for i in items if isinstance(i, Document)] == expected_ids, encoding
        assert [int(i.source.rsplit(":", 1)[1]) for i in items if not isinstance(i, Document)] == expected_bad
