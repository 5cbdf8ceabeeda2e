"""Ingest on hostile input (issue: hostile input): every cause found by the fuzzing is skipped
with its reason, the rest of the folder is stored, and a re-run stores exactly what is missing."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest
import typer
from typer.testing import CliRunner

from redline.ingest import Options, ingest_paths, read_file
from redline.ingest.cli import register
from redline.ingest.readers import iter_files
from redline.model import Document
from redline.store.store import Skipped

GOOD = "Russia will never accept NATO membership for Ukraine, Lavrov said on Tuesday."


def reasons(result) -> dict[str, str]:
    return {os.path.basename(s.source): s.reason for s in result.skipped}


def test_deep_json_and_big_integers_skip_one_record_only(store, tmp_path):
    feed = tmp_path / "feed.jsonl"
    deep = "[" * 5000 + "]" * 5000
    feed.write_text("\n".join([json.dumps({"id": "ok-1", "text": GOOD}),
                               '{"id": "deep", "text": "x", "meta": ' + deep + "}",
                               '{"id": ' + "9" * 5000 + ', "text": "big id"}',
                               '{"id": "ok-2", "text": "' + GOOD + ' Again."}']) + "\n")
    (tmp_path / "deep.json").write_text('{"text": "t", "k": ' + deep + "}")
    result = ingest_paths(store, [tmp_path])
    r = reasons(result)
    assert "nested too deeply" in r["feed.jsonl:2"] and "integer of 5,000 digits" in r["feed.jsonl:3"]
    assert "nested too deeply" in r["deep.json"]
    assert sorted(result.stored) == ["ok-1", "ok-2"]


def test_surrogates_nuls_and_bad_file_names_are_refused_the_same_way(store, tmp_path):
    (tmp_path / "surrogates.jsonl").write_text(
        '{"id": "s1", "text": "bad \\ud800 text"}\n{"id": "\\udc80", "text": "fine text"}\n'
        '{"id": "s3", "text": "good text", "title": "\\ud83d"}\n')
    late_nul = tmp_path / "late-nul.txt"
    late_nul.write_bytes(GOOD.encode() * 500 + b"\x00tail")  # the NUL is far past the first 8 KB
    (tmp_path / "nul-escape.jsonl").write_text('{"id": "n1", "text": "nul \\u0000 here"}\n')
    bad_name = os.fsencode(tmp_path) + b"/bad\xffname.txt"
    with open(bad_name, "wb") as fh:
        fh.write(GOOD.encode())
    result = ingest_paths(store, [tmp_path])
    r = reasons(result)
    for key in ("surrogates.jsonl:1", "surrogates.jsonl:2", "surrogates.jsonl:3"):
        assert "unpaired surrogate" in r[key]
    assert "NUL character at character" in r["late-nul.txt"] and "NUL" in r["nul-escape.jsonl:1"]
    assert any("not valid UTF-8 (rename the file)" in s.reason for s in result.skipped)
    assert result.stored == [] and store.documents()[1] == 0


def test_alias_bomb_in_front_matter_is_refused_fast(store, tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (tmp_path / "bomb.md").write_text("---\n" + "\n".join(lines) + "\ntitle: *a9\n---\n" + GOOD + "\n")
    (tmp_path / "unhashable.md").write_text("---\na: &a [1]\n? *a\n: v\n---\n" + GOOD + " (2)\n")
    started = time.monotonic()
    result = ingest_paths(store, [tmp_path])
    assert time.monotonic() - started < 5
    r = reasons(result)
    assert r["bomb.md"].startswith("front matter: YAML aliases expand to over 1,000,000 values")
    assert r["unhashable.md"].startswith("front matter: a list or mapping used as a key (line 2)")  # the anchor's line


@pytest.mark.parametrize("raw", ["2025-02-30", "2025-13-01", "0000-01-01"])
def test_impossible_front_matter_date_leaves_the_date_empty(raw, tmp_path):
    note = tmp_path / "note.md"
    note.write_text(f"---\ndate: {raw}\ntitle: Talks\n---\n{GOOD}\n")
    [doc] = list(read_file(note))
    assert isinstance(doc, Document) and doc.date is None and doc.title == "Talks"


def test_utf16_with_and_without_bom(store, tmp_path):
    (tmp_path / "bom.txt").write_bytes(GOOD.encode("utf-16"))
    plain = tmp_path / "nobom.txt"
    plain.write_bytes((GOOD + " (LE)").encode("utf-16-le"))
    result = ingest_paths(store, [tmp_path])
    assert result.stored == ["bom"]
    assert "pass --encoding utf-16" in reasons(result)["nobom.txt"]
    again = ingest_paths(store, [plain], opts=Options(encoding="utf-16-le"))
    assert again.stored == ["nobom"] and store.document("nobom").text == GOOD + " (LE)"
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes((json.dumps({"id": "u16", "text": GOOD + " (feed)"}) + "\n").encode("utf-16"))
    assert ingest_paths(store, [feed]).stored == ["u16"]


def test_non_regular_files_are_named_and_never_opened(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    os.mkfifo(folder / "fifo.txt")
    os.symlink("nowhere.txt", folder / "dangling.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink("/dev/null", folder / "device.txt")
    os.symlink("..", folder / "parent")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "sock.txt"))
        started = time.monotonic()
        items = list(iter_files([folder]))
        items += [i for f, r in [i for i in items if not isinstance(i, Skipped)] for i in read_file(f, r)]
    finally:
        sock.close()
    assert time.monotonic() - started < 5  # a FIFO opened for reading would block forever
    why = {os.path.basename(i.source): i.reason for i in items if isinstance(i, Skipped)}
    assert why == {"fifo.txt": "a FIFO (named pipe)", "dangling.txt": "a dangling symbolic link (its target does not exist)",
                   "loop.txt": "a symbolic link loop", "device.txt": "a character device",
                   "sock.txt": "a socket", "parent": "a symbolic link to a folder (not followed: give the folder itself to read it)"}
    assert [i.id for i in items if isinstance(i, Document)] == ["good"]


def test_ids_differing_after_200_characters_do_not_collide(store, tmp_path):
    feed = tmp_path / "feed.jsonl"
    base = "x" * 250
    feed.write_text("\n".join(json.dumps({"id": base + end, "text": f"{GOOD} ({end})"}) for end in "AB") + "\n")
    result = ingest_paths(store, [feed])
    assert len(result.stored) == 2 and len(set(result.stored)) == 2 and not result.skipped
    assert all(len(i) <= 180 for i in result.stored)
    assert ingest_paths(store, [feed]).stored == []  # and a re-run finds both stored


def test_one_crashing_file_never_stops_the_folder_and_a_rerun_stores_the_rest(store, tmp_path, monkeypatch):
    """A reader failure nobody foresaw skips that file with the error named; every other file is
    stored; once fixed, the re-run stores exactly the missing file."""
    from redline.ingest import readers

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(f"{GOOD} ({name})")
    (folder / "page.html").write_text("<html><body><p>" + GOOD + " (page)</p></body></html>")
    real = readers.html_document

    def broken(html):
        raise ZeroDivisionError("reader bug")

    monkeypatch.setattr(readers, "html_document", broken)
    first = ingest_paths(store, [folder], batch_size=2)
    assert sorted(first.stored) == ["a", "b", "c"]
    assert "could not be read (ZeroDivisionError: reader bug)" in reasons(first)["page.html"]
    monkeypatch.setattr(readers, "html_document", real)
    second = ingest_paths(store, [folder])
    assert second.stored == ["page"] and len(second.duplicates) == 3 and not second.skipped


def _app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    return app


def test_ingest_exit_status_says_some_were_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "bad.txt").write_bytes(b"%PDF-1.4 binary")
    db = str(tmp_path / "t.db")
    r = CliRunner().invoke(_app(), ["ingest", str(folder), "--db", db, "--no-progress"])
    assert r.exit_code == 1 and r.output.startswith("1 stored, 0 already seen, 1 skipped")
    assert "skipped " in r.output and "bad.txt: binary file (PDF)" in r.output
    (folder / "bad.txt").unlink()
    ok = CliRunner().invoke(_app(), ["ingest", str(folder), "--db", db, "--no-progress"])
    assert ok.exit_code == 0 and ok.output.startswith("0 stored, 1 already seen, 0 skipped")
    enc = CliRunner().invoke(_app(), ["ingest", str(folder), "--db", db, "--encoding", "klingon"])
    assert enc.exit_code != 0 and "unknown encoding 'klingon'" in str(enc.exception)


def test_long_text_is_stored_whole_and_the_extractor_gets_a_warning(store, tmp_path):
    from redline.ingest.core import reading_warnings
    from redline.inputs import MAX_PARSE_CHARS

    long = tmp_path / "long.txt"
    long.write_text((GOOD + "\n\n") * (MAX_PARSE_CHARS // len(GOOD) + 50))
    seen: list[int] = []

    def fake_extractor(docs):
        seen.extend(len(d.text) for d in docs)
        return [[] for _ in docs]

    from redline.ingest.core import Ingest

    run = Ingest(store, extractor=fake_extractor)
    run.file(long)
    run.flush()
    assert run.result.stored == ["long"] and len(store.document("long").text) > MAX_PARSE_CHARS
    assert len(run.warnings) == 1 and "statements are extracted from the first" in run.warnings[0]
    assert reading_warnings(Document(id="short", text=GOOD), fake_extractor) == []


def test_a_text_in_another_language_is_stored_whole_with_a_warning(store):
    """The extractor reads the profile's language; ingest stores a text in another language and
    says that few of its statements were found (tests/extract/test_language.py tests the note)."""
    pytest.importorskip("spacy")
    pytest.importorskip("py3langid")
    from redline.ingest.core import Ingest, load_extractor
    from redline.model import Document

    ru = ("Министр иностранных дел заявил журналистам, что переговоры о прекращении огня продолжатся "
          "на следующей неделе, однако стороны пока не договорились о повестке дня встречи.")
    run = Ingest(store, extractor=load_extractor())
    run.add(Document(id="ru", text=ru, path="ru.txt"))
    run.add(Document(id="en", text=GOOD, path="en.txt"))
    run.flush()
    assert run.result.stored == ["ru", "en"] and store.document("ru").text == ru
    assert len(run.warnings) == 1 and run.warnings[0].startswith("ru.txt: the text is in another language ('ru'")
    assert run.warnings[0].endswith("; the whole text is stored")


@pytest.mark.parametrize("char", ["\n", "\r", "\x1b", "\x85", "\u2028"])
def test_a_file_name_cannot_forge_or_colour_a_report_line(tmp_path, char):
    """One line per skipped input: a line break, an escape or a Unicode line separator in a
    file name is printed escaped, never raw."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"evil{char}skipped fake: ok.txt").write_bytes(b"\x00\x01binary")
    r = CliRunner().invoke(_app(), ["ingest", str(folder), "--db", str(tmp_path / "x.db"), "--no-progress"])
    lines = r.output.splitlines()
    assert r.exit_code == 1 and len(lines) == 2 and lines[1].startswith("  skipped ")
    assert not any(char in ln for ln in lines) and ("\\x" in lines[1] or "\\u" in lines[1])
