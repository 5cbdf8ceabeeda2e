"""The core knows no conflict: no party, place, plan or issue id of a bundled profile in ``src/``.

"A new conflict is a new folder" holds only while the code names none: a regular expression that
reads "if russia invades" or a set of issue ids in a module is knowledge another profile cannot
bring. This test reads the names from every profile's own files (``parties.yaml``,
``issues.yaml``, ``plans/``, and the lexicon's extra parties, groups, demonyms and ``places``) so a
profile added later is checked too, and fails on any hit with its file and line.

What it reads in ``src/``: every string literal of the Python code (regular expressions, sets
of ids, messages, help texts) and every line of the other files (templates, scripts, YAML).
Comments and docstrings are not read: they illustrate a rule with an example sentence from the
dev set, which is documentation, not knowledge the program acts on. A profile's own id
("russia-ukraine", the default profile) is a folder name the program is pointed at, not
knowledge of the conflict, and is masked before matching, as are the few names of other things
that contain a profile's name (``NOT_NAMES``, ``HOMONYMS``, each with its reason).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "redline"
PROFILE_DIRS = [REPO / "profiles", REPO / "tests" / "fixtures" / "profiles"]
TEXT_SUFFIXES = {".html", ".jinja", ".j2", ".js", ".css", ".yaml", ".yml", ".json", ".txt", ".md", ".toml"}

# Names of other things that contain a profile's name: masked everywhere before matching.
NOT_NAMES: dict[str, str] = {
    "PA-X": "the Peace Agreements Database (PeaceRep), not the Palestinian Authority",
    "DEU III": "the Decision-making in the European Union data set, not Germany",
}
# Words that are a profile's name for something and, in the file named, something else.
# (file relative to src/redline, term) -> why it is not that profile's party or place.
HOMONYMS: dict[tuple[str, str], str] = {
    ("bargain/deu.py", "Scholz"): "Scholz, Calbert & Smith (2011), the EUM replication",
    ("model.py", "ceasefire"): "a plan's scope (ceasefire, framework, settlement), not the issue",
    ("precedents/outcomes.py", "ceasefire"): "a kind of agreement (ceasefire, armistice, …), not the issue",
    ("precedents/summary.py", "ceasefire"): "the label of PA-X's stage 'Cea', not the issue",
}


@dataclass(frozen=True)
class Term:
    text: str
    what: str  # "party RUS", "place", "issue id", ...
    regex: re.Pattern[str]


def _load(file: Path) -> dict:
    """A profile file as a mapping; a missing or half-written one (a profile being built) is empty."""
    if not file.is_file():
        return {}
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _word(text: str, sensitive: bool) -> re.Pattern[str]:
    # not inside a dotted id: "nato" in "alliance.nato" is the issue id's hit, not a second one
    return re.compile(rf"(?<![\w.]){re.escape(text)}(?!\w)", 0 if sensitive else re.I)


def profile_dirs() -> list[Path]:
    return sorted(p for root in PROFILE_DIRS if root.is_dir()
                  for p in root.iterdir() if (p / "profile.yaml").is_file())


def conflict_terms(root: Path) -> list[Term]:
    """Everything one profile names: party ids, names and aliases, demonyms, places, issue and
    plan ids. Short names (``US``, ``UN``) and the lexicon's case-sensitive aliases match as
    written; the rest match in any case, so a lower-case regular expression is caught too."""
    lexicon = _load(root / "lexicon.yaml")
    sensitive = {str(a) for a in lexicon.get("case_sensitive_aliases") or []}
    terms: list[Term] = []

    def name(text: object, what: str) -> None:
        text = str(text).strip()
        if len(text) >= 2:
            terms.append(Term(text, what, _word(text, len(text) <= 3 or text in sensitive)))

    def ident(text: object, what: str) -> None:
        text = str(text).strip()
        if not text:
            return
        if "." in text or "-" in text:  # "process.talks", "istanbul-2022": never an ordinary word
            terms.append(Term(text, what, _word(text, True)))
        else:  # "ceasefire", "talks": only a string that is the id itself
            terms.append(Term(text, what, re.compile(rf"^{re.escape(text)}$")))

    parties = _load(root / "parties.yaml").get("parties") or []
    owners = [(p.get("id"), p) for p in parties if isinstance(p, dict)]
    owners += list((lexicon.get("extra_parties") or {}).items())
    owners += list((lexicon.get("groups") or {}).items())
    for pid, spec in owners:
        if not pid:
            continue
        terms.append(Term(str(pid), "party id", _word(str(pid), True)))
        for alias in [spec.get("name"), *(spec.get("aliases") or [])]:
            if alias:
                name(alias, f"party {pid}")
    for pid, words in (lexicon.get("demonyms") or {}).items():
        for w in words or []:
            name(w, f"demonym of {pid}")
    for place in lexicon.get("places") or []:
        name(place, "place")
    for issue in _load(root / "issues.yaml").get("issues") or []:
        if isinstance(issue, dict) and issue.get("id"):
            ident(issue["id"], "issue id")
    for plan_file in sorted((root / "plans").glob("*.y*ml")) if (root / "plans").is_dir() else []:
        plan_id = _load(plan_file).get("id")
        if plan_id:
            ident(plan_id, "plan id")
    return terms


def _literals(source: str) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of every string constant that is not a docstring or a bare
    string statement."""
    tree = ast.parse(source)
    skip = {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return [(node.lineno, node.end_lineno or node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip]


def _scan(terms: list[Term], profile_ids: list[str], src: Path = SRC) -> list[str]:
    hits: dict[tuple[str, int, str], str] = {}
    masked = [*profile_ids, *NOT_NAMES]
    folder = re.compile("|".join(re.escape(p) for p in sorted(masked, key=len, reverse=True)))

    def check(rel: str, lines: list[str], first: int, text: str) -> None:
        text = folder.sub(" ", text)
        lines = [folder.sub(" ", ln) for ln in lines]
        for term in terms:
            if (rel, term.text) in HOMONYMS or not term.regex.search(text):
                continue
            # point at the physical line of a literal that spans several
            line = next((first + k for k, ln in enumerate(lines) if term.regex.search(ln)), first)
            hits.setdefault((rel, line, term.text), term.what)

    for file in sorted(src.rglob("*")):
        if not file.is_file() or "__pycache__" in file.parts:
            continue
        rel = file.relative_to(src).as_posix()
        if file.suffix == ".py":
            source = file.read_text(encoding="utf-8")
            physical = source.splitlines()
            for first, last, text in _literals(source):
                check(rel, physical[first - 1:last], first, text)
        elif file.suffix in TEXT_SUFFIXES:
            for n, line in enumerate(file.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                check(rel, [line], n, line)
    return [f"src/redline/{rel}:{line}: {text!r} ({what})" for (rel, line, text), what in sorted(hits.items())]


def test_terms_are_read_from_the_profiles():
    """The check is only as good as its list: the finished profiles yield their parties, issues
    and places (a profile still being written is read for whatever it has)."""
    dirs = {d.name: d for d in profile_dirs()}
    assert {"russia-ukraine", "toy"} <= set(dirs)
    ru = {t.text for t in conflict_terms(dirs["russia-ukraine"])}
    assert {"RUS", "Kyiv", "Putin", "Ukrainian", "Crimea", "Donetsk", "process.talks", "ceasefire"} <= ru
    toy = {t.text for t in conflict_terms(dirs["toy"])}
    assert {"NOR", "Northland", "river.access", "talks"} <= toy


def test_src_names_no_conflict():
    dirs = profile_dirs()
    terms = [t for root in dirs for t in conflict_terms(root)]
    hits = _scan(terms, [d.name for d in dirs])
    assert not hits, ("src/ names a profile's parties, places, plans or issues; move them to the "
                      "profile's data (docs/profiles-howto.md):\n" + "\n".join(hits))


def test_the_scan_finds_code_not_comments(tmp_path: Path):
    """What the check catches: a regular expression or an id set in code, a name in a template;
    what it leaves: docstrings, comments and the profile's folder name."""
    terms = conflict_terms(next(d for d in profile_dirs() if d.name == "russia-ukraine"))
    (tmp_path / "mod.py").write_text(
        '"""Putin said Kyiv must renounce NATO."""\n'
        "# after meeting Trump, Zelensky said\n"
        'CUES = r"guarantor|if russia (invades|attacks)"\n'
        'SETS = {"ceasefire", "process.talks"}\n'
        'DEFAULT = "russia-ukraine"\n', encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>Crimea</p>\n", encoding="utf-8")
    hits = _scan(terms, ["russia-ukraine"], tmp_path)
    assert [h.split(": ", 1)[1] for h in hits] == [
        "'Russia' (party RUS)", "'ceasefire' (issue id)", "'process.talks' (issue id)", "'Crimea' (place)"], hits
    assert hits[0].startswith("src/redline/mod.py:3:") and hits[-1].startswith("src/redline/page.html:1:")
