"""One regression test per cause the hostile-input fuzzing found (ingest and parse-plan have
theirs in tests/ingest/test_hostile.py and tests/plans/test_parse_hostile.py)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from harness import run_cli

from redline import inputs
from redline.errors import DataError
from redline.extract.io import read_documents, read_inputs
from redline.profile import ProfileErrors, load_profile

REPO = Path(__file__).resolve().parents[2]
TOY = REPO / "tests" / "fixtures" / "profiles" / "toy"
LEXICON = REPO / "profiles" / "russia-ukraine" / "lexicon.yaml"
PLAN = "plans/southern-terms.yaml"


@pytest.fixture
def toy(tmp_path) -> Path:
    root = tmp_path / "toy"
    shutil.copytree(TOY, root)
    return root


def errors_of(root: Path) -> list[DataError]:
    with pytest.raises(ProfileErrors) as exc:
        load_profile(root)
    return exc.value.errors


# --- YAML: depth, dates, keys, integers, aliases ---------------------------------------------

def test_deeply_nested_yaml_is_a_data_error(toy):
    (toy / "issues.yaml").write_text("issues: " + "[" * 2000 + "]" * 2000 + "\n")
    [err] = [e for e in errors_of(toy) if e.file.endswith("issues.yaml")]
    assert "nested too deeply (over 64 levels)" in err.message and err.line == 1


@pytest.mark.parametrize("raw, message", [("2025-02-30", "'2025-02-30' is not a calendar date"),
                                          ("2025-13-01", "is not a calendar date"),
                                          ("0000-01-01", "is not a calendar date"),
                                          ("9999-12-31", "9999-12-31 is outside 1500–2100")])
def test_impossible_dates_in_plans_name_the_line(toy, raw, message):
    plan = toy / PLAN
    plan.write_text(plan.read_text().replace("date: 2021-01-10", f"date: {raw}", 1))
    [err] = [e for e in errors_of(toy) if e.file.endswith("southern-terms.yaml")]
    assert message in err.message and err.line == 3 and err.fix


def test_alias_to_a_list_as_a_key(toy):
    (toy / "parties.yaml").write_text("a: &a [1, 2]\n? *a\n: value\nparties: []\n")
    [err] = [e for e in errors_of(toy) if e.file.endswith("parties.yaml")]
    assert "a list or mapping used as a key" in err.message


def test_integers_over_the_digit_limit(toy):
    plan = toy / PLAN
    plan.write_text(plan.read_text().replace("number: 1,", "number: " + "9" * 5000 + ",", 1))
    [err] = [e for e in errors_of(toy) if e.file.endswith("southern-terms.yaml")]
    assert "an integer of 5,000 digits (the limit is 100)" in err.message and err.line == 7


def test_billion_laughs_and_recursive_aliases_are_refused_in_linear_time(toy):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    (toy / "sources.yaml").write_text("\n".join(lines) + "\n")
    (toy / "plans" / "loop.yaml").write_text("id: &x [1, *x]\n")
    started = time.monotonic()
    errs = {Path(e.file).name: e for e in errors_of(toy)}
    assert time.monotonic() - started < 5
    assert "aliases expand to over 1,000,000 values" in errs["sources.yaml"].message
    assert "recursive alias" in errs["loop.yaml"].message


def test_nul_and_surrogate_escapes_in_yaml(toy):
    (toy / "profile.yaml").write_text('id: toy\ntitle: "bad \\0 title"\nprincipals: [NOR, SOU]\n')
    (toy / "parties.yaml").write_text('parties:\n  - {id: NOR, name: "N\\ud800"}\n')
    errs = {Path(e.file).name: e for e in errors_of(toy)}
    assert "NUL character" in errs["profile.yaml"].message and errs["profile.yaml"].line == 2
    assert "unpaired surrogate" in errs["parties.yaml"].message


def test_control_characters_are_one_line_errors(toy):
    (toy / "issues.yaml").write_text("issues:\n  - id: a\x08b\n")
    [err] = [e for e in errors_of(toy) if e.file.endswith("issues.yaml")]
    assert "U+0008 is not allowed in YAML" in err.message and err.line == 2 and "\n" not in err.render()


# --- validate: everything a command reads; non-regular files ----------------------------------

def _validate(root: Path):
    return run_cli(["validate", str(root)], budget=30)


@pytest.mark.parametrize("content, message", [
    ("issues: [unclosed\n", "malformed YAML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (PNG image)"),
    ("issues: {river.access: {for: ['(unclosed']}}\n", "bad regular expression in issues.river.access.for.0"),
    ("red_line: ['[z-a]']\n", "bad regular expression in red_line.0"),
    ("issues: [1, 2]\n", "issues: Input should be a valid dictionary"),
    ("groups: {G: 5}\n", "groups.G"),
    ("demonyms: {RUS: Russian}\n", "demonyms.RUS: Input should be a valid list"),
    ("issues: {no.such.issue: {for: [x]}}\n", "lexicon names unknown issue 'no.such.issue'"),
])
def test_validate_reads_the_lexicon(toy, content, message):
    f = toy / "lexicon.yaml"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = _validate(toy)
    assert out.code == 1 and message in out.stderr and f"{f}" in out.stderr, out.stderr
    assert "internal error" not in out.stderr


def test_the_bundled_lexicon_validates_and_a_wrong_one_stops_extraction_cleanly(toy):
    from redline.checks import check_lexicon, lexicon_problems

    shutil.copy(LEXICON, toy / "lexicon.yaml")
    bundled = load_profile()
    assert lexicon_problems(bundled.root, bundled.issues, bundled) == []
    (toy / "lexicon.yaml").write_text("extra_parties: {X: [a, b]}\n")
    with pytest.raises(DataError, match="extra_parties.X"):
        check_lexicon(load_profile(toy))


@pytest.mark.parametrize("name, kind", [("lexicon.yaml", "directory"), ("lexicon.yaml", "fifo"),
                                        ("cases.yaml", "directory"), ("questions.yaml", "fifo"),
                                        ("sources.yaml", "dangling"), ("positions.yaml", "dangling"),
                                        (PLAN, "fifo"), ("plans/new.yaml", "directory")])
def test_non_regular_profile_files_are_reported_never_waited_on(toy, name, kind):
    path = toy / name
    if path.exists():
        path.unlink()
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        os.symlink(toy / "nowhere.yaml", path)
    out = _validate(toy)
    assert out.code == 1, out.stderr
    expected = {"directory": "a directory", "fifo": "a FIFO (named pipe)",
                "dangling": "a dangling symbolic link (its target does not exist)"}[kind]
    assert f"{path}: file is {expected}" in out.stderr
    assessed = run_cli(["assess", "mediator-draft", "-p", str(toy), "--no-precedents"], budget=30)
    assert assessed.code in (0, 1) and "internal error" not in assessed.stderr  # never blocks either
    if name not in ("lexicon.yaml", "questions.yaml"):  # files assess reads: refused, not ignored
        assert assessed.code == 1 and str(path) in assessed.stderr


# --- the CLI's own errors ----------------------------------------------------------------------

@pytest.mark.parametrize("args", [["plans", "--bogus"], ["assess", "-rf.txt"], ["ingest", "-rf.txt"],
                                  ["positions", "--as-of"], ["ingest", "x", "--max-mb", "abc"],
                                  ["ingest", "x", "--batch", "0"], ["nosuchcommand"]])
def test_usage_errors_exit_1_with_the_usage_message(args):
    out = run_cli(args, budget=30)
    assert out.code == 1 and "internal error" not in out.stderr
    assert "Usage: redline" in out.stderr or "Error:" in out.stderr, out.stderr


def test_a_read_only_database_is_a_clear_error(tmp_path):
    db = tmp_path / "ro.db"
    good = tmp_path / "a.txt"
    good.write_text("Talks resumed in Istanbul on Monday.")
    assert run_cli(["ingest", str(good), "--db", str(db)], budget=30).code == 0
    other = tmp_path / "b.txt"
    other.write_text("A different article about the ceasefire.")
    out = run_cli(["ingest", str(other), "--db", f"sqlite:///file:{db}?mode=ro&uri=true"], budget=30)
    assert out.code == 1 and "the database is read-only" in out.stderr and "fix:" in out.stderr


def test_database_errors_a_user_can_fix_are_named():
    from redline.cli import user_error

    class OperationalError(Exception):
        pass

    OperationalError.__module__ = "sqlalchemy.exc"
    assert "read-only" in user_error(OperationalError("attempt to write a readonly database"))
    nul = OperationalError("A string literal cannot contain NUL (0x00) characters.")
    assert "NUL character" in user_error(nul)
    assert user_error(ValueError("something else")) is None


def test_nul_never_reaches_postgresql(store, tmp_path):
    """PostgreSQL rejects NUL in text; the boundary refuses it first, on every backend alike."""
    from redline.ingest import ingest_paths

    (tmp_path / "feed.jsonl").write_text('{"id": "n", "text": "a \\u0000 b"}\n{"id": "ok", "text": "fine text"}\n')
    result = ingest_paths(store, [tmp_path])
    assert result.stored == ["ok"] and "NUL" in result.skipped[0].reason


# --- extract: strict decoding, typed records, bounded parser input ----------------------------

@pytest.mark.parametrize("raw, message", [
    ("Déclaration".encode("latin-1"), "not valid UTF-8"),
    (bytes(range(256)) * 40, "binary file"),
    (b"Ukraine says" + b"\x00" * 3 + b"no", "binary file"),
    ("Ukraine".encode("utf-16-le"), "UTF-16"),
])
def test_extract_never_decodes_with_replacement(tmp_path, raw, message):
    f = tmp_path / "doc.txt"
    f.write_bytes(raw)
    with pytest.raises(DataError, match=message):
        list(read_documents(f))
    assert [d.text for d in read_documents(_write(tmp_path / "bom.txt", "Kyiv says".encode("utf-16")))] == ["Kyiv says"]


def _write(path: Path, raw: bytes) -> Path:
    path.write_bytes(raw)
    return path


def test_extract_records_need_typed_text_and_bad_ones_are_skipped(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": null}\n{"id": "b", "text": 5}\n{"id": "c", "text": "Kyiv said no."}\n'
                    '{"id": "d", "text": "x", "date": "2025-02-30"}\n{"id": ["e"], "text": "x"}\n')
    skipped: list[str] = []
    docs = list(read_inputs([feed, tmp_path / "missing.txt"], on_skip=skipped.append))
    # an impossible date is left empty, as ingest leaves it (docs/ingest.md), not a reason to skip
    assert [(d.id, d.date) for d in docs] == [("c", None), ("d", None)]
    assert ["'text' must be a string, not null" in skipped[0], "not int" in skipped[1],
            "'id' must be" in skipped[2], "no such file or folder" in skipped[3]] == [True] * 4
    with pytest.raises(DataError, match="must be a string, not null"):
        list(read_documents(feed))  # without on_skip: the first bad record is the error


def test_parser_input_is_capped_and_bracket_runs_are_linear():
    pytest.importorskip("spacy")
    from redline.extract.nlp import load_nlp

    nlp = load_nlp()
    long = "Talks resumed. " * 80_000  # 1.2 million characters: spaCy's own limit is 1,000,000 (E088)
    doc = nlp.make_doc(long)
    assert len(doc.text) == inputs.parse_cut(long) <= inputs.MAX_PARSE_CHARS
    started = time.monotonic()
    doc = nlp.make_doc("Talks resumed. " + "[" * 200_000)
    assert time.monotonic() - started < 3 and len(doc) < 100  # was quadratic: 8,000 '[' took 5 s


def test_hashes_never_fail_on_surrogates():
    from redline.store.hashing import content_hash, input_hash

    assert content_hash("a\ud800") != content_hash("a\ud801") and len(input_hash({"k": "\udcff"})) == 64


def test_error_messages_are_printable_lines():
    err = DataError("bad \x00 value \ud800\nsecond line", file="f\udcff.txt", line=3, fix="fix it")
    text = err.render()
    assert "\n" not in text and "\x00" not in text and "\ud800" not in text
    text.encode("utf-8")  # printing it can never fail
