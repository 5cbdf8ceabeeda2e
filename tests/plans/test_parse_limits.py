"""parse-plan at scale and at the edges of its numbering: time linear in the text, the parser's
limit warned about, and provision numbers the plan loader accepts whatever numbering the text uses."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from redline.errors import DataError
from redline.inputs import MAX_PARSE_CHARS
from redline.plans.parse import parse_plan, plan_to_yaml


@pytest.fixture(scope="module")
def extractor(profile):
    from redline.extract.pipeline import Extractor

    return Extractor(profile)


def _loads(profile, plan, tmp_path, name="plan.yaml"):
    """The check ``redline assess PLAN.yaml`` makes: the YAML loads with the profile's loader."""
    f = tmp_path / name
    f.write_text(plan_to_yaml(plan), encoding="utf-8")
    return profile.plan(str(f))


# Bodies that map to several issues, one, or none: a point "1." with several issues becomes
# provisions with letters, which must not collide with points the text numbers "1a.", "1b.".
BODIES = [
    "Ukraine will not join NATO. Ukraine will hold elections within 100 days. "
    "Sanctions will be lifted in stages.",
    "Ukraine will not join NATO and will enshrine neutrality.",
    "Sanctions against Russia will be lifted in stages.",
    "All prisoners of war will be exchanged, all for all.",
    "The parties will meet again.",
]
NUMBERS = st.builds(lambda n, letter: f"{n}{letter}", st.integers(1, 3), st.sampled_from(["", "a", "b", "c"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(points=st.lists(st.tuples(NUMBERS, st.sampled_from([". ", ") "]), st.sampled_from(BODIES)),
                       min_size=1, max_size=8))
def test_parsed_plan_always_loads_whatever_the_numbering(points, extractor, profile, tmp_path_factory):
    text = "Generated plan\n\n" + "".join(f"{num}{mark}{body}\n" for num, mark, body in points)
    plan = parse_plan(text, extractor, plan_id="generated", date=dt.date(2025, 1, 1),
                      proposers=["USA"], url="https://example.org/p")
    loaded = _loads(profile, plan, tmp_path_factory.mktemp("gen"))
    numbers = [p.number for p in loaded.provisions]
    assert len(numbers) == len(set(numbers))


def test_multi_issue_point_next_to_lettered_points(extractor, profile, tmp_path):
    """The audit's case: "1." names three issues and the text also has "1a." and "1b."."""
    text = ("Test plan\n\n1. Ukraine will not join NATO. Ukraine will hold elections within 100 days. "
            "Sanctions will be lifted in stages.\n1a. Russian forces will withdraw from Zaporizhzhia "
            "nuclear plant.\n1b. Ukraine's army is capped at 600,000.\n")
    plan = parse_plan(text, extractor, plan_id="collide", date=dt.date(2025, 1, 1),
                      proposers=["USA"], url="https://example.org/p")
    loaded = _loads(profile, plan, tmp_path)
    numbers = [p.number for p in loaded.provisions]
    assert len(numbers) == len(set(numbers))
    first = [p for p in loaded.provisions if p.text.startswith("Ukraine will not join NATO")]
    assert len(first) == 3 and not {p.number for p in first} & {"1a", "1b"}
    assert [p.number for p in loaded.provisions if p.text.startswith("Ukraine's army")] == ["1b"]


@pytest.mark.parametrize("name", ["russia-ukraine", "israel-hamas"])
def test_every_bundled_plan_as_text_parses_to_a_loadable_plan(name, tmp_path):
    """Each bundled plan written out as a numbered text (its own numbers: 21, 21a, …) parses
    back to a plan its profile's loader accepts."""
    from redline.extract.pipeline import Extractor
    from redline.profile import load_profile

    prof = load_profile(name)
    ex = Extractor(prof)
    proposer = next(iter(prof.parties))
    for pid, bundled in prof.plans.items():
        text = bundled.title + "\n\n" + "".join(f"{p.number}. {p.text}\n" for p in bundled.provisions)
        try:
            plan = parse_plan(text, ex, plan_id="reparsed", date=dt.date(2025, 1, 1),
                              proposers=[proposer], url="https://example.org/p")
        except DataError as exc:  # a plan numbered in a way the parser does not read as points
            assert "no numbered points" in exc.message, pid
            continue
        _loads(prof, plan, tmp_path, f"{pid}.yaml")


def test_a_long_point_takes_time_linear_in_its_length(extractor):
    """4× the sentences in one point costs about 4× the time, not 16× (the polarity stage once
    ran over the whole point for each of its sentences: a 96 KB point took over a minute)."""
    def cpu(n: int) -> float:
        text = "Plan\n\n1. " + "Ukraine will remain neutral. " * n + "\n"
        best = float("inf")
        for _ in range(2):
            t0 = time.process_time()
            parse_plan(text, extractor, plan_id="long")
            best = min(best, time.process_time() - t0)
        return best

    small, large = cpu(500), cpu(2000)
    assert large / small < 8, (small, large)  # linear: about 4; quadratic: 10 and more


def test_text_past_the_parser_limit_is_warned_about_and_left_unmapped(profile, tmp_path):
    """parse-plan reads what extract reads (the first MAX_PARSE_CHARS characters): it says so
    on stderr, and points past the limit are kept, unmapped, with the reason in their note."""
    from redline.extract.cli import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def _main() -> None:
        """Several commands: keep subcommand names."""

    filler = "The parties will keep talking in Geneva. " * (MAX_PARSE_CHARS // 40)
    text = (f"Long plan\n\n1. Ukraine will not join NATO.\n2. {filler}\n"
            "3. Sanctions against Russia will be lifted in stages.\n")
    assert len(text) > MAX_PARSE_CHARS
    src = tmp_path / "long.txt"
    src.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(app, ["parse-plan", str(src), "--id", "long-plan", "--date", "2025-01-02",
                                   "--proposer", "USA", "--url", "https://example.org/plan"])
    assert res.exit_code == 0, res.output
    assert f"warning: {src}: text is {len(text):,} characters" in res.stderr
    out = tmp_path / "long.yaml"
    out.write_text(res.stdout, encoding="utf-8")
    by_number = {p.number: p for p in profile.plan(str(out)).provisions}
    assert by_number["1"].issue == "alliance.nato"
    assert by_number["3"].issue is None and "parser's limit" in by_number["3"].note
    assert by_number["3"].text.startswith("Sanctions against Russia")
