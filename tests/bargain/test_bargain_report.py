"""The bargain report on a small profile: zone, conflicts, fallback, imposed terms, plans."""

from __future__ import annotations

import datetime as dt

import pytest

from redline.bargain.packages import NASH_MIN_GAIN
from redline.bargain.report import bargain
from redline.bargain.utility import NO_AGREEMENT

EARLY = dt.date(2025, 1, 1)
LATE = dt.date(2025, 7, 1)


def test_zone_and_solutions(mini):
    """Four packages cross no red line; every solution picks one of them and gains for all."""
    report = bargain(mini, EARLY)
    assert not report.conflicts
    assert report.zone_size == 4
    assert report.allowed()["terr"] == ["partial"]
    assert report.ruled_out()["terr"] == {"none": ["AAA"], "full": ["BBB"]}
    for name in ("nash", "maxmin", "ks"):
        (sol,) = report.solutions[name]
        assert sol.found
        assert sol.package["terr"] == "partial" and sol.package["nato"] == "against"
    nash = report.solutions["nash"][0]
    assert min(nash.gain.values()) >= NASH_MIN_GAIN
    assert report.frontier is not None and report.frontier.complete
    assert 1 <= len(report.frontier.points) <= 4


def test_plans_against_the_zone(mini):
    """plan-a crosses nothing and is only weakly dominated; plan-b crosses BBB's red line."""
    fits = {f.plan: f for f in bargain(mini, EARLY).plans}
    a, b = fits["plan-a"], fits["plan-b"]
    assert a.crosses == [] and a.changes == 0
    assert a.uniform_gain == pytest.approx(0.0, abs=1e-9)
    assert a.pareto_gain > 0  # settling sanctions helps BBB and costs AAA nothing over no deal
    assert [(r.party, r.issue, r.option) for r in b.crosses] == [("BBB", "terr", "full")]
    assert b.changes == 1 and b.closest.package["terr"] == "partial"
    assert b.uniform_gain < 0  # AAA likes plan-b better than anything acceptable to BBB


def test_clashing_red_lines_are_named_and_the_rest_solved(mini):
    """After June 2025 AAA and BBB rule out both nato options: say so, then settle the rest."""
    report = bargain(mini, LATE)
    assert report.zone_size == 0
    (conflict,) = report.conflicts
    assert conflict.issue == "nato"
    assert {(r.party, r.option) for r in conflict.red_lines} == {("AAA", "for"), ("BBB", "against")}
    assert report.left_open == ["nato"]
    assert report.partial_zone_size == 4
    nash = report.solutions["nash"][0]
    assert nash.found and nash.package["nato"] == NO_AGREEMENT
    data = report.to_dict()
    assert data["zone"]["empty"] is True
    assert "AAA rules out for" in data["zone"]["conflicts"][0]["explanation"]


def test_imposed_term_across_a_red_line(mini):
    """--fix terr=full: nothing is left, and the report says whose red line the term crosses."""
    report = bargain(mini, EARLY, fix={"terr": "full"})
    (conflict,) = report.conflicts
    assert conflict.imposed == "full" and conflict.red_lines[0].party == "BBB"
    for sols in report.solutions.values():
        assert not sols[0].found and "imposed term terr=full" in sols[0].reason
    assert report.frontier is None


def test_imposed_term_inside_the_zone(mini):
    """Imposing no ceasefire leaves CCC nothing to gain: Nash says so, max-min still answers."""
    report = bargain(mini, EARLY, fix={"ceasefire": "against"})
    assert report.zone_size == 2
    assert report.solutions["maxmin"][0].package["ceasefire"] == "against"
    nash = report.solutions["nash"][0]
    assert not nash.found and "CCC" in nash.reason


def test_top_packages_are_distinct_and_ordered(mini):
    report = bargain(mini, EARLY, solutions=["maxmin", "nash"], top=3)
    sols = report.solutions["maxmin"]
    assert len(sols) == 3
    assert len({s.choice for s in sols}) == 3
    values = [s.objective for s in sols]
    assert values == sorted(values, reverse=True)
    # only two packages give every party a gain (CCC needs the ceasefire), so Nash ranks two
    assert [s.package["ceasefire"] for s in report.solutions["nash"]] == ["for", "for"]


def test_closest_to_a_plan(mini):
    report = bargain(mini, EARLY, closest="plan-b", frontier_limit=0)
    assert report.frontier is None
    assert report.closest.package["terr"] == "partial"
    assert report.closest.package["sanctions"] == "for"  # plan-b's term, acceptable to all


def test_report_json_has_stable_keys(mini):
    keys = set(bargain(mini, EARLY).to_dict())
    assert keys == {"profile", "as_of", "parties", "issues", "open_issues", "imposed", "notes", "no_deal",
                    "who_counts", "no_deal_means",
                    "zone", "solutions", "frontier", "plans", "closest"}


def test_bundled_profile(profile):
    """On the real positions, whatever they say today: every conflict is made of declared red
    lines, every bundled plan is assessed, and no answer crosses a red line it could avoid."""
    from redline.bargain.questions import compound_terms

    report = bargain(profile, frontier_limit=3, time_limit=30)
    positions = profile.positions_as_of(report.as_of, report.table.parties)

    def declared(party: str, issue: str, option: str) -> bool:
        """A red line on a question's combination is one on a member issue, or a condition."""
        terms = compound_terms(report.table.compounds, issue, option)
        return any(o in positions[(party, i)].red_lines or positions[(party, i)].conditions
                   for i, o in terms.items() if (party, i) in positions)
    for conflict in report.conflicts:
        for r in conflict.red_lines:
            assert declared(r.party, r.issue, r.option)
    assert {f.plan for f in report.plans} == set(profile.plans)
    for fit in report.plans:
        for r in fit.crosses:
            assert declared(r.party, r.issue, r.option)
    # max-min always answers when some package is acceptable (Nash may not: a party may be unable to gain)
    assert report.solutions["maxmin"][0].found == (not report.conflicts or bool(report.left_open))
    for sols in report.solutions.values():
        sol = sols[0]
        if sol.found:
            for (party, issue), pos in positions.items():
                if issue in sol.package and issue not in report.left_open:
                    assert sol.package[issue] not in pos.red_lines, (party, issue)
