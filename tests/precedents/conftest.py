"""Fixtures for the precedents tests: the real PA-X files from ../shared, a profile copy, plans."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from redline.model import Plan, Provision, Source

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "profiles" / "russia-ukraine"


@pytest.fixture(scope="session")
def pax_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "pax"


@pytest.fixture(scope="session")
def pax(pax_dir: Path):
    from redline.precedents import load_pax

    return load_pax(pax_dir)


@pytest.fixture(scope="session")
def csv_rows(pax_dir: Path) -> list[dict[str, str]]:
    """The CSV read independently with the csv module, to check the loader's numbers against."""
    with open(pax_dir / "pax_all_agreements_v10.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def profile_dir(tmp_path_factory) -> Path:
    """The bundled profile without its plans, which other people edit while these tests run."""
    root = tmp_path_factory.mktemp("profile") / "russia-ukraine"
    (root / "plans").mkdir(parents=True)
    for name in ("profile.yaml", "issues.yaml", "parties.yaml", "cases.yaml", "precedents.yaml"):
        shutil.copy(BUNDLED / name, root / name)
    (root / "plans" / "minsk-like.yaml").write_text(yaml.safe_dump(minsk_plan_data(), sort_keys=False),
                                                    encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def rprofile(profile_dir: Path):
    from redline.profile import load_profile

    return load_profile(profile_dir)


def minsk_plan_data() -> dict:
    """Minsk II's points as the reference describes them (peace-agreements.md §6), not PA-X's row."""
    def p(number, text, issue=None, option=None, mechanisms=()):
        d = {"number": number, "text": text}
        if issue:
            d.update(issue=issue, option=option)
        if mechanisms:
            d["mechanisms"] = list(mechanisms)
        return d

    return {
        "id": "minsk-like", "title": "A plan built from Minsk II's points", "date": "2015-02-12",
        "proposers": ["RUS", "UKR"],
        "sources": [{"url": "https://www.kyivpost.com/"}],
        "provisions": [
            p("1", "Ceasefire from 15 February 00:00.", "ceasefire", "for", ["timetable"]),
            p("2", "Heavy weapons pulled back from the line of contact to create security zones.",
              "territory.freeze_line", "for", ["dmz"]),
            p("3", "OSCE verifies the ceasefire and the pull-back.", mechanisms=["monitoring"]),
            p("4", "Dialogue on local elections.", "politics.elections", "for"),
            p("5", "Pardon and amnesty.", "justice.accountability", "against"),
            p("6", "All-for-all exchange of hostages and detainees.", "humanitarian.exchange", "for"),
            p("7", "Humanitarian access."),
            p("8", "Restore social and economic links."),
            p("9", "Ukraine regains border control after local elections and constitutional reform.",
              mechanisms=["sequencing"]),
            p("10", "Withdrawal of foreign armed formations and mercenaries under OSCE monitoring.",
              "territory.withdraw_russia", "for", ["monitoring"]),
            p("11", "Constitutional reform with decentralisation."),
        ],
    }


@pytest.fixture
def minsk_plan() -> Plan:
    return Plan.model_validate(minsk_plan_data())


def make_plan(*provisions: Provision, plan_id: str = "test-plan") -> Plan:
    return Plan(id=plan_id, title="test", date=dt.date(2025, 1, 1), proposers=["USA"],
                sources=[Source(url="https://example.org/plan")], provisions=list(provisions))


# Minsk II's points mapped to PA-X codes by hand (reference §6), for the code-set query.
MINSK_POINT_CODES = ["Ce", "CeProv", "DdrDemil", "ImPK", "Ele", "TjAmPro", "TjPrire", "HrMob", "Dev",
                     "StBor", "SsrFf", "SsrPsf", "Cons", "TpsLoc"]


def write_small_csv(path: Path, source: Path, n_rows: int) -> list[list[str]]:
    """Write the header and first ``n_rows`` records of the real CSV; return them for editing."""
    with open(source, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        rows = [next(reader) for _ in range(n_rows + 1)]
    write_rows(path, rows)
    return rows


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
