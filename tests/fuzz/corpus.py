"""A generated corpus of malformed inputs, one generator per kind of hostile input in the issue.

Each generator writes one input under a folder and returns a ``Case``: the arguments to run,
and whether the command must refuse it (``refuse``: exit 1 with a message) or may accept it
(``any``: exit 0, or 1 with a message). Used by the fast tests (a few cases per kind) and by
``run_long.py`` (thousands). Everything is seeded, so a failing case can be written again.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOY = REPO / "tests" / "fixtures" / "profiles" / "toy"
LEXICON = REPO / "profiles" / "russia-ukraine" / "lexicon.yaml"
GOOD_TEXT = ("Russia will never accept NATO membership for Ukraine, Foreign Minister Sergei Lavrov "
             "said on Tuesday. Kyiv said talks could resume.")


@dataclass
class Case:
    kind: str
    args: list[str]
    expect: str = "refuse"   # refuse: must exit 1 | any: exit 0 or 1
    files: list[Path] = field(default_factory=list)


# --- bytes and texts of every kind ----------------------------------------------------------

def deep_json(rng: random.Random) -> str:
    n = rng.choice([100, 1000, 5000, 50_000])
    return '{"id": "d", "text": "deep", "k": ' + "[" * n + "]" * n + "}"


def deep_yaml(rng: random.Random) -> str:
    n = rng.choice([100, 1000, 5000])
    if rng.random() < 0.5:
        return "key: " + "[" * n + "]" * n + "\n"
    return "".join("  " * i + f"k{i}:\n" for i in range(min(n, 400))) + "  " * 400 + "v: 1\n"


def alias_bomb(rng: random.Random) -> str:
    levels, width = rng.choice([(9, 9), (12, 6), (20, 3)])
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    key = rng.choice(["title", "author", "date", "url", "id"])
    lines.append(f"{key}: *a{levels}")
    return "\n".join(lines) + "\n"


def recursive_alias(rng: random.Random) -> str:
    return "title: &a [1, *a]\n"


def unhashable_key(rng: random.Random) -> str:
    return rng.choice(["a: &a [1, 2]\n? *a\n: value\n", "? [1, 2]\n: value\n", "{[1]: 2}\n",
                       "a: &a {x: 1}\n? *a\n: v\n"])


def bad_yaml_date(rng: random.Random) -> str:
    return rng.choice(["2025-02-30", "2025-13-01", "0000-01-01", "2024-02-31", "9999-12-31", "1000-01-01"])


def big_int(rng: random.Random) -> str:
    return "9" * rng.choice([101, 4301, 5000, 20_000])


def non_utf8(rng: random.Random) -> bytes:
    kind = rng.choice(["latin1", "cp1252", "random", "utf16", "utf16-nobom", "utf32", "truncated"])
    text = "Déclaration de Moscou: la neutralité de l'Ukraine — «non» à l'OTAN."
    if kind == "latin1":
        return text.replace("—", "-").replace("«", '"').replace("»", '"').encode("latin-1")
    if kind == "cp1252":
        return text.encode("cp1252")
    if kind == "random":
        return bytes(rng.randrange(256) for _ in range(rng.choice([64, 4096, 100_000])))
    if kind == "utf16":
        return text.encode("utf-16")
    if kind == "utf16-nobom":
        return text.encode("utf-16-le")
    if kind == "utf32":
        return text.encode("utf-32")
    return text.encode("utf-8")[:-1] + b"\xc3"


def nul_late(rng: random.Random) -> bytes:
    return (GOOD_TEXT.encode() + b" ") * rng.choice([1, 200, 2000]) + b"\x00" + b"tail text"


def surrogate_json(rng: random.Random) -> str:
    where = rng.choice(["text", "id", "title", "key"])
    rec = {"id": "s1", "text": GOOD_TEXT, "title": "t"}
    raw = json.dumps(rec)
    if where == "key":
        return raw[:-1] + ', "\\udc80": 1}'
    return raw.replace(f'"{rec[where]}"', '"bad \\ud800 value"', 1)


def brackets(rng: random.Random) -> str:
    return GOOD_TEXT + " " + rng.choice("[](){}'\"$!?") * rng.choice([5000, 40_000, 200_000])


def long_text(rng: random.Random) -> str:
    return (GOOD_TEXT + "\n\n") * rng.choice([8000, 20_000])


BINARY = [b"%PDF-1.4\n" + bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n" + bytes(200), b"\xff\xd8\xff\xe0" + bytes(300),
          b"PK\x03\x04" + bytes(100), b"\x7fELF\x02\x01" + bytes(100), b"SQLite format 3\x00" + bytes(100)]


# --- writers ---------------------------------------------------------------------------------

def _special(path: Path, kind: str) -> bool:
    """Make ``path`` a FIFO, dangling link, link loop or directory; False where unsupported."""
    try:
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dangling":
            os.symlink(path.parent / "does-not-exist", path)
        elif kind == "loop":
            os.symlink(path.name, path)
        elif kind == "directory":
            path.mkdir()
        else:
            return False
    except (OSError, AttributeError, NotImplementedError):
        return False
    return True


SPECIALS = ("fifo", "dangling", "loop", "directory")


def article_file(rng: random.Random, folder: Path, i: int) -> tuple[Path, str, str]:
    """One malformed (or borderline) article file: (path, kind, expect)."""
    kind = rng.choice(["deep_json", "deep_jsonl", "bigint_json", "surrogate_jsonl", "non_utf8", "nul_late",
                       "binary", "empty", "whitespace", "bomb_front_matter", "recursive_front_matter",
                       "unhashable_front_matter", "bad_date_front_matter", "brackets", "long_text",
                       "wrong_types_jsonl", "special", "html_scripts", "bad_name"])
    stem = f"in{i:05d}"
    if kind == "deep_json":
        p = folder / f"{stem}.json"
        p.write_text(deep_json(rng))
    elif kind == "deep_jsonl":
        p = folder / f"{stem}.jsonl"
        p.write_text(deep_json(rng) + "\n")
    elif kind == "bigint_json":
        p = folder / f"{stem}.{rng.choice(['json', 'jsonl'])}"
        p.write_text(f'{{"id": {big_int(rng)}, "text": "{GOOD_TEXT}"}}\n')
    elif kind == "surrogate_jsonl":
        p = folder / f"{stem}.jsonl"
        p.write_text(surrogate_json(rng) + "\n")
    elif kind == "non_utf8":
        p = folder / f"{stem}.{rng.choice(['txt', 'md', 'jsonl', 'html'])}"
        p.write_bytes(non_utf8(rng))
        return p, kind, "any"  # UTF-16/32 with a BOM is read (by design); the rest refused
    elif kind == "nul_late":
        p = folder / f"{stem}.txt"
        p.write_bytes(nul_late(rng))
    elif kind == "binary":
        p = folder / f"{stem}.{rng.choice(['txt', 'jpg', 'pdf', 'md'])}"
        p.write_bytes(rng.choice(BINARY))
    elif kind == "empty":
        p = folder / f"{stem}.txt"
        p.write_bytes(b"")
    elif kind == "whitespace":
        p = folder / f"{stem}.md"
        p.write_text(" \n\t\n" * rng.randrange(1, 50))
    elif kind in ("bomb_front_matter", "recursive_front_matter", "unhashable_front_matter"):
        body = {"bomb_front_matter": alias_bomb, "recursive_front_matter": recursive_alias,
                "unhashable_front_matter": unhashable_key}[kind](rng)
        p = folder / f"{stem}.md"
        p.write_text(f"---\n{body}---\n{GOOD_TEXT}\n")
    elif kind == "bad_date_front_matter":
        p = folder / f"{stem}.md"
        p.write_text(f"---\ndate: {bad_yaml_date(rng)}\ntitle: T\n---\n{GOOD_TEXT} {i}\n")
        return p, kind, "any"  # stored with an empty date, as documented
    elif kind == "brackets":
        p = folder / f"{stem}.txt"
        p.write_text(brackets(rng))
        return p, kind, "any"
    elif kind == "long_text":
        p = folder / f"{stem}.txt"
        p.write_text(long_text(rng) + f" {i}")
        return p, kind, "any"
    elif kind == "wrong_types_jsonl":
        p = folder / f"{stem}.jsonl"
        p.write_text(json.dumps(rng.choice([{"id": "x", "text": None}, {"id": "x", "text": 5},
                                            {"id": ["a"], "text": GOOD_TEXT}, [1, 2], "text",
                                            {"id": "x", "text": GOOD_TEXT, "date": {"y": 1}}])) + "\n")
        return p, kind, "any"  # a dict date is ignored by ingest (left empty), refused by extract
    elif kind == "special":
        p = folder / f"{stem}.txt"
        if not _special(p, rng.choice(SPECIALS)):
            p.write_bytes(b"\x00")
    elif kind == "html_scripts":
        p = folder / f"{stem}.html"
        p.write_text("<html><head><script>alert(1)</script></head><body><svg onload=x>"
                     + "<div>" * rng.choice([10, 1000, 5000]) + "</body></html>")
        return p, kind, "any"
    else:  # a file name that is not UTF-8
        p = Path(os.fsdecode(os.fsencode(folder) + b"/" + stem.encode() + b"\xff.txt"))
        try:
            p.write_text(GOOD_TEXT)
        except (OSError, UnicodeError):
            p = folder / f"{stem}.txt"
            p.write_bytes(b"\x00\x01")
    return p, kind, "refuse"


def plan_text_file(rng: random.Random, folder: Path, i: int) -> Case:
    """A malformed plan text (or a bad option value) for ``parse-plan``."""
    kind = rng.choice(["non_utf8", "nul", "surrogate_name", "big_number", "many_issues", "no_points",
                       "ftp_url", "bad_id", "bad_date", "special", "brackets", "huge", "bad_proposer"])
    p = folder / f"plan{i:05d}.txt"
    text = "Peace plan\n1. Ukraine will not join NATO.\n2. Sanctions will be lifted.\n"
    args = ["parse-plan", str(p)]
    expect = "refuse"
    if kind == "non_utf8":
        p.write_bytes(non_utf8(rng))
        expect = "any"
    elif kind == "nul":
        p.write_bytes(text.encode() + b"\x00")
    elif kind == "surrogate_name":
        p.write_text(text)
        args += ["--title", "bad \udcff title"]
    elif kind == "big_number":
        p.write_text(f"Plan\n{'9' * rng.choice([10, 4301, 6000])}. Ukraine will not join NATO.\n1. Ceasefire.\n")
        expect = "any"
    elif kind == "many_issues":
        clause = ("Ukraine will not join NATO, sanctions will be lifted, the ceasefire holds, prisoners are "
                  "exchanged, elections are held, the army is capped, Crimea is recognised, Donbas is ceded, "
                  "security guarantees are given, frozen assets are used, the language is protected, "
                  "the nuclear plant is returned, and talks continue")
        p.write_text(f"Plan\n1. {clause}.\n")
        expect = "any"
    elif kind == "no_points":
        p.write_text("Just one paragraph about peace without any numbers.\n")
    elif kind == "ftp_url":
        p.write_text(text)
        args += ["--url", rng.choice(["ftp://example.org/x", "javascript:alert(1)", "http://", "example.org"])]
    elif kind == "bad_id":
        p.write_text(text)
        args += ["--id", rng.choice(["bad id!", "1plan", "", "x" * 300, "plan\x00"])]
    elif kind == "bad_date":
        p.write_text(text)
        args += ["--date", bad_yaml_date(rng)]
        expect = "any"  # 9999-12-31 is outside the range; others are not dates: all refused, but keep lax
    elif kind == "special":
        if not _special(p, rng.choice(SPECIALS)):
            p.write_bytes(b"\x00")
    elif kind == "brackets":
        p.write_text("Plan\n1. " + brackets(rng)[:600_000] + "\n")
        expect = "any"
    elif kind == "huge":
        p.write_text("Plan\n" + "".join(f"{k}. Point {k} about talks.\n" for k in range(1, 60_000)))
    else:
        p.write_text(text)
        args += ["--proposer", rng.choice(["NOBODY", "bad id!"])]
    return Case(kind, args, expect, [p])


def profile_copy(rng: random.Random, folder: Path, i: int) -> tuple[Path, str, str]:
    """A copy of the toy profile (with a lexicon) with one file made malformed."""
    root = folder / f"profile{i:05d}"
    shutil.copytree(TOY, root)
    shutil.copy(LEXICON, root / "lexicon.yaml")
    target = rng.choice(["profile.yaml", "issues.yaml", "parties.yaml", "positions.yaml", "sources.yaml",
                         "plans/southern-terms.yaml", "plans/extra.yaml", "cases.yaml", "lexicon.yaml"])
    path = root / target
    kind = rng.choice(["deep", "bomb", "recursive", "unhashable", "bad_date", "big_int", "binary", "latin1",
                       "nul_escape", "special", "syntax", "lexicon_types", "lexicon_regex"])
    if path.exists() and not path.is_dir():
        path.unlink()
    if kind == "deep":
        path.write_text(deep_yaml(rng))
    elif kind == "bomb":
        path.write_text(alias_bomb(rng))
    elif kind == "recursive":
        path.write_text(recursive_alias(rng))
    elif kind == "unhashable":
        path.write_text(unhashable_key(rng))
    elif kind == "bad_date":
        src = (TOY / "plans" / "southern-terms.yaml").read_text()
        path = root / "plans" / "southern-terms.yaml"
        path.write_text(src.replace("date: 2021-01-10", f"date: {bad_yaml_date(rng)}", 1))
        if "9999" in path.read_text() or "1000-01-01" in path.read_text():
            pass  # outside the year range: refused too
    elif kind == "big_int":
        src = (TOY / "plans" / "southern-terms.yaml").read_text()
        path = root / "plans" / "southern-terms.yaml"
        path.write_text(src.replace("number: 1,", f"number: {big_int(rng)},", 1))
    elif kind == "binary":
        path.write_bytes(rng.choice(BINARY))
    elif kind == "latin1":
        path.write_bytes("parties:\n  - {id: NOR, name: Nörthland}\n".encode("latin-1"))
    elif kind == "nul_escape":
        path.write_text('title: "bad \\0 value \\ud800"\n')
    elif kind == "special":
        if not _special(path, rng.choice(SPECIALS)):
            path.write_bytes(b"\x00")
    elif kind == "syntax":
        path.write_text("issues:\n  - id: talks\n    proposition: [unclosed\n")
    elif kind == "lexicon_types":
        path = root / "lexicon.yaml"
        if path.exists():
            path.unlink()
        path.write_text(rng.choice(["issues: [1, 2]\n", "groups: {G: 5}\n", "extra_parties: {X: [a]}\n",
                                    "demonyms: {RUS: Russian}\n", "red_line: 5\n", "- a list\n",
                                    "issues: {river.access: {for: [1, 2]}}\n"]))
    else:
        path = root / "lexicon.yaml"
        if path.exists():
            path.unlink()
        path.write_text(rng.choice(["issues: {river.access: {for: ['(unclosed']}}\n", "red_line: ['[z-a]']\n",
                                    "plan_intro: '*bad'\n"]))
    return root, f"{kind}:{target}", "refuse"


def cases_for(command: str, rng: random.Random, folder: Path, n: int) -> list[Case]:
    """``n`` cases for one command: ingest, ingest-extract, extract, parse-plan, validate, assess."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Case] = []
    for i in range(n):
        if command in ("ingest", "ingest-extract", "extract"):
            sub = folder / f"c{i:05d}"
            sub.mkdir()
            path, kind, expect = article_file(rng, sub, i)
            if command == "extract" and (kind == "wrong_types_jsonl" or path.suffix != ".jsonl" and kind in (
                    "deep_json", "bigint_json", "bomb_front_matter", "recursive_front_matter",
                    "unhashable_front_matter")):
                expect = "any"  # extract reads .json and .md files as plain text (documented)
            if path.is_dir() and not path.is_symlink():
                expect = "any"  # a folder given by name is walked: an empty folder is no error
            if command == "extract":
                args = ["extract", str(path)]
            else:
                args = ["ingest", str(path), "--db", str(folder / "fuzz.db"), "--no-progress"]
                if command == "ingest-extract":
                    args += ["--extract"]  # the bundled profile: its lexicon fits its issues
                if rng.random() < 0.3:  # also as part of a folder with a good file
                    (sub / f"good{i:05d}.txt").write_text(f"{GOOD_TEXT} (copy {i}, seed {rng.random()})")
                    args[1] = str(sub)  # a refused file is skipped there: still exit 1, the good one stored
            out.append(Case(kind, args, expect, [path]))
        elif command == "parse-plan":
            out.append(plan_text_file(rng, folder, i))
        elif command in ("validate", "assess"):
            root, kind, expect = profile_copy(rng, folder, i)
            args = ["validate", str(root)] if command == "validate" else \
                ["assess", "mediator-draft", "-p", str(root), "--no-precedents", "--format", "json"]
            if command == "assess" and (kind.endswith("lexicon.yaml") or kind.startswith("lexicon")):
                expect = "any"  # assess does not read the lexicon (validate does)
            out.append(Case(kind, args, expect, [root]))
        else:
            raise ValueError(command)
    return out


COMMANDS = ("ingest", "ingest-extract", "extract", "parse-plan", "validate", "assess")
