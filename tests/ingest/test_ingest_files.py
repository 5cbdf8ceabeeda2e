"""Ingest: every format, every kind of bad input skipped with a reason, resumable runs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from redline.ingest import Options, ingest_paths, parse_date, read_file
from redline.ingest.cli import register
from redline.model import Document
from redline.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def batch(tmp_path) -> Path:
    """The committed good fixtures plus bad files made here (binary, empty, latin-1, 50 MB)."""
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES, folder)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    (folder / "blob.bin").write_bytes(b"abc\x00def" * 100)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("  \n\n \t\n")
    (folder / "latin1.txt").write_bytes("Déclaration de Moscou: la neutralité".encode("latin-1"))
    with (folder / "huge.txt").open("wb") as fh:
        chunk = b"Negotiators met again today. " * 35_000  # ~1 MB of real text
        for _ in range(50):
            fh.write(chunk)
    (folder / ".hidden.txt").write_text("never read")
    return folder


def test_bad_inputs_are_skipped_with_reasons_and_the_rest_stored(store, batch):
    result = ingest_paths(store, [batch, batch / "missing.txt"])
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert "binary file (JPEG image)" == reasons["photo.jpg"]
    assert reasons["blob.bin"].startswith("binary file")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.md"].startswith("empty file")
    assert "not valid UTF-8 (byte 1, line 1)" in reasons["latin1.txt"] and "--encoding" in reasons["latin1.txt"]
    assert reasons["huge.txt"].startswith("file is 48.4 MB, over the 10 MB limit")
    assert reasons["missing.txt"] == "no such file or folder"
    assert "line 2 is not JSON" in reasons["feed.jsonl:2"] and "line 3 is not JSON" in reasons["feed.jsonl:3"]
    assert "no 'text'" in reasons["feed.jsonl:5"] and "JSON object" in reasons["feed.jsonl:6"]
    assert sorted(result.stored) == ["feed-1", "feed-3", "note", "scripted-page", "tagged-article"]
    assert store.documents()[1] == 5


def test_html_keeps_the_article_and_drops_scripts(store):
    [doc] = list(read_file(FIXTURES / "scripted-page.html"))
    assert "drop its bid to join NATO" in doc.text and "cede the rest of Donetsk" in doc.text
    for payload in ("SECRET-TRACKER", "INLINE-SCRIPT-PAYLOAD", "onerror", "alert(", "color: red", "<"):
        assert payload not in doc.text
    assert doc.title == "Zelensky on security guarantees"


def test_tagged_article_fields_and_dated_source():
    [doc] = list(read_file(FIXTURES / "tagged-article.txt"))
    assert doc.title == "Kremlin restates terms before Istanbul round"
    assert doc.url == "https://example.org/news/kremlin-terms" and doc.author == "Jane Roe"
    assert doc.date == dt.date(2024, 6, 15) and doc.date_source == "PUBLISHED_DATE: June 15, 2024"
    assert doc.text.startswith("Speaking at the Foreign Ministry") and doc.text.endswith("an ultimatum.")
    assert "<CONTENT>" not in doc.text and "HIGHLIGHTS" not in doc.text


def test_markdown_front_matter_and_plain_text(tmp_path):
    [md] = list(read_file(FIXTURES / "note.md"))
    assert (md.title, md.date, md.url, md.author) == ("Talks diary", dt.date(2025, 3, 3),
                                                      "https://example.org/diary", "A. Analyst")
    assert md.date_source == "front matter date: 3 March 2025" and not md.text.startswith("---")
    plain = tmp_path / "plain.txt"
    plain.write_text("Ceasefire holds\n\nPublished 2025-04-01. Both sides report calm.\n")
    [p] = list(read_file(plain))
    assert (p.title, p.date, p.date_source) == ("Ceasefire holds", dt.date(2025, 4, 1), "text: 2025-04-01")


@pytest.mark.parametrize("raw, expected", [
    ("2025-02-12", dt.date(2025, 2, 12)), ("2025-02-12T08:30:00Z", dt.date(2025, 2, 12)),
    ("February 14, 2025", dt.date(2025, 2, 14)), ("14 Feb 2025", dt.date(2025, 2, 14)),
    ("5 марта 2025", dt.date(2025, 3, 5)), ("2022-03", dt.date(2022, 3, 1)),
    ("not a date", None), ("", None), ("99/99/9999", None),
])
def test_dates_are_parsed_and_keep_their_source(raw, expected):
    date, source = parse_date(raw, "date field")
    assert date == expected
    assert source == (f"date field: {raw}" if expected else "")


def test_encoding_option_reads_a_legacy_file(store, tmp_path):
    f = tmp_path / "old.txt"
    f.write_bytes("Déclaration: neutralité".encode("cp1252"))
    assert store.add_documents(read_file(f, opts=Options(encoding="cp1252"))).stored == ["old"]
    assert store.document("old").text == "Déclaration: neutralité"


def test_second_run_stores_nothing_new(store, batch):
    first = ingest_paths(store, [batch])
    second = ingest_paths(store, [batch])
    assert len(first.stored) == 5 and second.stored == [] and len(second.duplicates) == 5


def test_interrupted_ingest_resumes_storing_each_document_once(store, shared_dir):
    """Ctrl-C mid-run loses only the batch in flight; the rerun stores the rest exactly once."""
    feed = shared_dir / "eval" / "dev.jsonl"
    seen = []

    def interrupt(doc: Document) -> None:
        seen.append(doc.id)
        if len(seen) == 23:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_paths(store, [feed], batch_size=5, on_document=interrupt)
    partial = store.documents(limit=100)[1]
    assert partial == 20  # four whole batches of five, none half-written
    rerun = ingest_paths(store, [feed], batch_size=5)
    docs, total = store.documents(limit=100)
    lines = [json.loads(x) for x in feed.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert total == len(lines) == 40 and len(rerun.stored) == 20 and len(rerun.duplicates) == 20
    assert sorted(d.id for d in docs) == sorted(r["id"] for r in lines)
    by_id = {d.id: d for d in docs}
    for rec in lines:  # dates and urls come through as given
        assert by_id[rec["id"]].date.isoformat().startswith(rec["date"])  # '2022-03' → 2022-03-01
        assert by_id[rec["id"]].url == rec["url"]


def test_ingest_command_prints_a_summary(tmp_path, batch):
    app = typer.Typer()
    app.callback()(lambda: None)  # a group, as in the real CLI, not a lone command
    register(app)
    db = str(tmp_path / "cli.db")
    r = CliRunner().invoke(app, ["ingest", str(batch), "--db", db])
    assert r.exit_code == 1, r.output  # 1: some inputs were skipped, the rest stored
    assert r.output.startswith("5 stored, 0 already seen, 10 skipped")
    assert "skipped" in r.output and "huge.txt" in r.output
    again = CliRunner().invoke(app, ["ingest", str(batch / "feed.jsonl"), "--db", db, "--format", "json"])
    data = json.loads(again.stdout)
    assert again.exit_code == 1  # lines 2, 3, 5, 6 of the feed are skipped
    assert data["stored"] == [] and {d["existing_id"] for d in data["duplicates"]} == {"feed-1", "feed-3"}
    big = CliRunner().invoke(app, ["ingest", str(batch / "huge.txt"), "--db", db, "--max-mb", "20"])
    assert big.output.startswith("0 stored, 0 already seen, 1 skipped") and "over the 20 MB limit" in big.output
    with open_store(db) as store:
        assert store.documents()[1] == 5


def test_extracted_statements_are_stored_with_their_document_only_once(store, batch):
    """The extractor runs on new documents only, and its statements commit with the document."""
    from redline.model import Statement

    calls: list[str] = []

    def fake_extractor(docs):
        calls.extend(d.id for d in docs)
        return [[Statement(party="RUS", issue="alliance.nato", polarity="against", quote=d.title or d.id)]
                for d in docs]

    first = ingest_paths(store, [batch], extractor=fake_extractor)
    assert first.statements == 5 and sorted(calls) == sorted(first.stored)
    calls.clear()
    second = ingest_paths(store, [batch], extractor=fake_extractor)
    assert calls == [] and second.statements == 0 and store.statements()[1] == 5
    [st] = store.statements(document_id="tagged-article")[0]
    assert st.date == dt.date(2024, 6, 15) and st.url == "https://example.org/news/kremlin-terms"


def test_missing_extractor_is_a_clear_error(monkeypatch):
    import sys

    from redline.errors import DataError
    from redline.ingest import load_extractor

    monkeypatch.setitem(sys.modules, "redline.extract.pipeline", None)
    with pytest.raises(DataError, match=r"redline\[extract\]"):
        load_extractor()
