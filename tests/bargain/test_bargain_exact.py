"""Exactness: on instances small enough to enumerate, every answer equals brute force."""

from __future__ import annotations

import contextlib
import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.bargain import packages
from redline.bargain.packages import (NASH_MIN_GAIN, TOL, closest_package, conflicting_red_lines,
                                      enumerate_zone, kalai_smorodinsky, maxmin, nash,
                                      pareto_frontier, ranked, uniform_gain)
from redline.bargain.utility import UtilityTable

EXACT = settings(max_examples=40, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FULL = settings(EXACT, max_examples=8)
EPS = 1e-6


@st.composite
def tables(draw, max_issues: int = 8, max_options: int = 4, max_parties: int = 4,
           allow_empty: bool = False, full: bool = False) -> UtilityTable:
    """Random tables up to 8 issues × 4 options × 4 parties, on a grid of utility levels (ties
    are common, as with rule-based utilities). ``full`` draws near the bounds (6–8 issues,
    3–4 options, 3–4 parties: zones of thousands of packages)."""
    n_issues = draw(st.integers(max_issues - 2 if full else 1, max_issues))
    n_parties = draw(st.integers(max_parties - 1 if full else 2, max_parties))
    sizes = [draw(st.integers(max_options - 1 if full else 2, max_options)) for _ in range(n_issues)]
    grid = st.integers(0, 10).map(lambda v: v / 10)
    utility = [np.array([[draw(grid) for _ in range(k)] for _ in range(n_parties)]) for k in sizes]
    salience = np.array([[draw(st.integers(0, 5)) / 5 for _ in range(n_issues)] for _ in range(n_parties)])
    salience[:, 0] = np.maximum(salience[:, 0], 0.2)
    red = []
    rarity = draw(st.sampled_from([5, 11, 1000]))  # 1 in `rarity` (party, option) pairs is a red line
    for k in sizes:
        r = np.array([[draw(st.integers(0, rarity)) == 0 for _ in range(k)] for _ in range(n_parties)])
        if not allow_empty and r.any(axis=0).all():
            r[:, draw(st.integers(0, k - 1))] = False
        red.append(r)
    no_deal = np.array([[utility[i][p, draw(st.integers(0, sizes[i] - 1))] for i in range(n_issues)]
                        for p in range(n_parties)])
    return UtilityTable([f"P{p}" for p in range(n_parties)], [f"i{i}" for i in range(n_issues)],
                        [[f"o{k}" for k in range(n)] for n in sizes], utility, salience, red, no_deal)


def check_maxmin(oracle, table: UtilityTable, sol) -> None:
    t, total = oracle.maxmin(table)
    gains = table.satisfaction(sol.choice) - table.disagreement
    assert abs(gains.min() - t) < EPS and abs(gains.sum() - total) < EPS
    assert abs(sol.objective - gains.min()) < 1e-12


def check_ks(oracle, table: UtilityTable, sol) -> None:
    expected = oracle.ks(table)
    assert sol.found == (expected is not None)
    if expected is not None:
        assert abs(sol.objective - expected[0]) < EPS


def check_all(oracle, table: UtilityTable) -> None:
    """Max-min, Nash and KS against enumeration."""
    check_maxmin(oracle, table, maxmin(table))
    best, n = oracle.nash(table), nash(table)
    assert n.found == (best is not None)
    if best is not None:
        assert abs(n.objective - best) < EPS
    check_ks(oracle, table, kalai_smorodinsky(table))


@FULL
@given(tables(full=True))
def test_full_size_instances_equal_brute_force(oracle, table):
    """Near the 8 × 4 × 4 bound, Nash, max-min and KS still match enumeration."""
    check_all(oracle, table)


def bound_instance(seed: int) -> UtilityTable:
    """Exactly 8 issues × 4 options × 4 parties, few red lines: zones of up to 65,536 packages."""
    rng = np.random.default_rng(seed)
    utility = [rng.integers(0, 11, (4, 4)) / 10 for _ in range(8)]
    red = [rng.random((4, 4)) < 0.03 for _ in range(8)]
    for r in red:
        r[:, rng.integers(4)] = False
    no_deal = np.array([[utility[i][p, rng.integers(4)] for i in range(8)] for p in range(4)])
    return UtilityTable(["A", "B", "C", "D"], [f"i{i}" for i in range(8)], [["a", "b", "c", "d"]] * 8,
                        utility, rng.integers(1, 6, (4, 8)) / 5, red, no_deal)


@pytest.mark.parametrize("seed", range(6))
def test_instances_at_the_bound_equal_brute_force(oracle, seed):
    """At 8 × 4 × 4 (the largest size the brief asks to enumerate) every solver matches."""
    table = bound_instance(seed)
    assert table.zone_size() >= 4 ** 6
    check_all(oracle, table)
    terms = {"i0": "d", "i3": "a", "i5": "c"}
    dist, t, total = oracle.closest(table, terms)
    close = closest_package(table, terms)
    assert abs(close.objective - dist) < EPS


@EXACT
@given(tables())
def test_maxmin_equals_brute_force(oracle, table):
    """The egalitarian package has the best least gain, then the best total, of all packages."""
    got = maxmin(table)
    t, total = oracle.maxmin(table)
    gains = table.satisfaction(got.choice) - table.disagreement
    assert abs(gains.min() - t) < EPS
    assert abs(gains.sum() - total) < EPS


@EXACT
@given(tables())
def test_nash_equals_brute_force(oracle, table):
    """The outer approximation ends at the true maximum of the product of gains, or finds none."""
    got = nash(table)
    best = oracle.nash(table)
    assert got.found == (best is not None)
    if best is not None:
        gains = table.satisfaction(got.choice) - table.disagreement
        assert (gains >= NASH_MIN_GAIN).all()
        assert abs(np.log(gains).sum() - best) < EPS


@EXACT
@given(tables(max_parties=3), st.lists(st.integers(1, 5), min_size=3, max_size=3))
def test_weighted_nash_equals_brute_force(oracle, table, raw_weights):
    """Asymmetric Nash (weights per party) is exact too."""
    weights = {p: float(w) for p, w in zip(table.parties, raw_weights)}
    got = nash(table, weights=weights)
    best = oracle.nash(table, np.array([weights[p] for p in table.parties]))
    assert got.found == (best is not None)
    if best is not None:
        assert abs(got.objective - best) < EPS


@EXACT
@given(tables())
def test_kalai_smorodinsky_equals_brute_force(oracle, table):
    """KS maximises the least share of each party's possible gain among individually rational packages."""
    got = kalai_smorodinsky(table)
    best = oracle.ks(table)
    assert got.found == (best is not None)
    if best is not None:
        assert abs(got.objective - best[0]) < EPS
        choices, sat = enumerate_zone(table)
        d = table.disagreement
        ir = sat[(sat >= d - 1e-9).all(axis=1)]
        span = ir.max(axis=0) - d
        active = span > 1e-9
        mine = (table.satisfaction(got.choice) - d)[active] / span[active]
        assert abs(mine.sum() - best[1]) < EPS


@EXACT
@given(tables(max_issues=6), st.data())
def test_closest_package_equals_brute_force(oracle, table, data):
    """Nearest acceptable package to a plan: least distance, then best least gain, then total."""
    terms = {}
    for i, issue in enumerate(table.issues):
        if data.draw(st.booleans()):
            terms[issue] = table.options[i][data.draw(st.integers(0, len(table.options[i]) - 1))]
    got = closest_package(table, terms)
    dist, t, total = oracle.closest(table, terms)
    assert abs(got.objective - dist) < EPS
    gains = table.satisfaction(got.choice) - table.disagreement
    assert abs(gains.min() - t) < EPS
    assert abs(gains.sum() - total) < EPS
    assert all(table.allowed(i)[o] for i, o in enumerate(got.choice))


@EXACT
@given(tables(max_issues=6))
def test_frontier_equals_brute_force(oracle, table):
    """The iterative MILP lists exactly the Pareto-optimal satisfaction vectors."""
    front = pareto_frontier(table, limit=10_000)
    assert front.complete
    got = np.array([table.satisfaction(s.choice) for s in front.points]).reshape(-1, len(table.parties))
    assert oracle.same_points(got, oracle.frontier(table))


@EXACT
@given(tables(max_issues=5), st.data())
def test_uniform_gain_equals_brute_force(table, data):
    """Distance of a reference point from the frontier: the largest gain all parties can share."""
    ref = np.array([data.draw(st.integers(0, 10)) / 10 for _ in table.parties])
    uniform, pareto, proven = uniform_gain(table, ref)
    assert proven
    _, sat = enumerate_zone(table)
    assert abs(uniform - (sat - ref).min(axis=1).max()) < EPS
    ok = (sat >= ref - 1e-9).all(axis=1)
    expected = max(0.0, (sat[ok] - ref).sum(axis=1).max()) if ok.any() else 0.0
    assert abs(pareto - expected) < EPS


@EXACT
@given(tables(max_issues=5, max_parties=3))
def test_ranked_nash_equals_sorted_enumeration(table):
    """Top-3 by Nash are the three best packages (identical options counted once)."""
    got = ranked(table, "nash", 3)
    choices, sat = enumerate_zone(table)
    gains = sat - table.disagreement
    ok = (gains >= NASH_MIN_GAIN).all(axis=1)
    if not ok.any():
        assert not got[0].found
        return
    # merge options identical for every party into their first representative
    rep = []
    for i in range(len(table.issues)):
        coef = table.coef(i)
        allowed = table.allowed(i)
        rep.append([min((q for q in range(coef.shape[1])
                         if allowed[q] and np.allclose(coef[:, q], coef[:, o], atol=1e-12)), default=o)
                    for o in range(coef.shape[1])])
    values: dict[tuple, float] = {}
    for c, g, good in zip(choices, gains, ok):
        if good:
            values[tuple(rep[i][o] for i, o in enumerate(c))] = float(np.log(g).sum())
    expected = sorted(values.values(), reverse=True)[:3]
    assert [round(s.objective, 6) for s in got] == [round(v, 6) for v in expected]
    assert len({s.choice for s in got}) == len(got)


@EXACT
@given(tables(max_issues=5, allow_empty=True))
def test_conflicting_red_lines_are_minimal(table):
    """Reported red lines empty their issue, and dropping any one of them leaves an option."""
    conflicts = conflicting_red_lines(table)
    assert bool(conflicts) == (table.zone_size() == 0)
    for c in conflicts:
        i = table.issues.index(c.issue)
        options = table.options[i]
        chosen = {(r.party, r.option) for r in c.red_lines}
        assert {o for _, o in chosen} == set(options)
        for r in c.red_lines:
            assert table.red[i][table.parties.index(r.party), options.index(r.option)]
        for drop in chosen:
            left = {o for _, o in chosen - {drop}}
            assert set(options) - left, "a smaller set would already conflict"
    if not conflicts:
        assert maxmin(table).found


def test_empty_zone_answers_with_the_conflict():
    """Solvers do not say "infeasible": they name the red lines that clash."""
    red = [np.array([[True, False], [False, True]])]
    table = UtilityTable(["A", "B"], ["x"], [["no", "yes"]], [np.array([[0.2, 1.0], [1.0, 0.2]])],
                         np.ones((2, 1)), red, np.zeros((2, 1)))
    for solver in (nash, maxmin, kalai_smorodinsky):
        sol = solver(table)
        assert not sol.found
        assert "A rules out no" in sol.reason and "B rules out yes" in sol.reason


def test_imposed_term_on_a_red_line_is_the_conflict():
    table = UtilityTable(["A", "B"], ["x", "y"], [["no", "yes"], ["a", "b"]],
                         [np.array([[0.2, 1.0], [1.0, 0.2]]), np.array([[1.0, 0.0], [0.0, 1.0]])],
                         np.ones((2, 2)), [np.array([[False, False], [False, True]]), np.zeros((2, 2), bool)],
                         np.zeros((2, 2)), fixed={"x": "yes"})
    (conflict,) = conflicting_red_lines(table)
    assert conflict.imposed == "yes" and conflict.red_lines[0].party == "B"
    assert "imposed term x=yes" in conflict.explain()


def test_nash_reports_who_cannot_gain():
    """A party that no package helps makes the product of gains non-positive: say who."""
    table = UtilityTable(["A", "B"], ["x"], [["no", "yes"]], [np.array([[0.2, 1.0], [0.5, 0.5]])],
                         np.ones((2, 1)), [np.zeros((2, 2), bool)], np.array([[0.2], [0.5]]))
    sol = nash(table)
    assert not sol.found and "B" in sol.reason
    assert maxmin(table).found


def test_enumeration_oracle_counts_packages():
    """The oracle itself: zone size is the product of allowed options per issue."""
    table = UtilityTable(["A", "B"], ["x", "y"], [["a", "b", "c"], ["d", "e"]],
                         [np.ones((2, 3)), np.ones((2, 2))], np.ones((2, 2)),
                         [np.array([[False, True, False], [False, False, False]]), np.zeros((2, 2), bool)],
                         np.zeros((2, 2)))
    choices, sat = enumerate_zone(table)
    assert len(choices) == table.zone_size() == 4
    assert math.isclose(sat.max(), 1.0)
    assert set(map(tuple, choices)) == set(itertools.product([0, 2], [0, 1]))


# -- the enumeration with LP bounds behind max-min and KS --------------------------------------
# On these small tables the default settings barely prune (the first beam search alone covers
# most of a zone), so the tests below shrink the thresholds to make every part run: node LPs and
# their multipliers from the first level on, repeated beam searches from tiny beams, expansion in
# chunks of a few partial packages; and they force the MILP fallback.

EAGER = {"ENUM_TRIGGER": 1, "ENUM_SAMPLES": 3, "ENUM_ROUNDS": 2, "ENUM_BEAM": 2, "ENUM_REBEAM": 1,
         "ENUM_CHUNK": 5}


@contextlib.contextmanager
def settings_of(**values):
    """Set module constants of ``packages`` for the duration of a block."""
    saved = {k: getattr(packages, k) for k in values}
    try:
        for k, v in values.items():
            setattr(packages, k, v)
        yield
    finally:
        for k, v in saved.items():
            setattr(packages, k, v)


@EXACT
@given(tables())
def test_eager_enumeration_equals_brute_force(oracle, table):
    """Multipliers from node LPs at every level, tiny beams, chunked expansion: still exact."""
    with settings_of(**EAGER):
        mm, ks = maxmin(table), kalai_smorodinsky(table)
    assert mm.method.startswith("enumeration")
    check_maxmin(oracle, table, mm)
    check_ks(oracle, table, ks)


@EXACT
@given(tables())
def test_milp_fallback_equals_brute_force(oracle, table):
    """With no room for partial packages the MILPs take over, and agree."""
    with settings_of(ENUM_CAP=0):
        mm, ks = maxmin(table), kalai_smorodinsky(table)
    if len(table.issues) > 1:
        assert mm.method == "milp, two stages"
    check_maxmin(oracle, table, mm)
    check_ks(oracle, table, ks)


@pytest.mark.parametrize("seed", range(6))
def test_eager_enumeration_at_the_bound(oracle, seed):
    """At 8 × 4 × 4 (zones up to 65,536 packages) with eager settings."""
    table = bound_instance(seed)
    with settings_of(**EAGER):
        mm, ks = maxmin(table), kalai_smorodinsky(table)
    check_maxmin(oracle, table, mm)
    check_ks(oracle, table, ks)


def canonical(table: UtilityTable, choice) -> tuple[int, ...]:
    """The package with each option replaced by the first option identical to it for every party
    (ranking counts identical options once, as docs/bargain.md says)."""
    out = []
    for i, o in enumerate(choice):
        coef = table.coef(i)
        out.append(next(q for q in range(coef.shape[1]) if np.allclose(coef[:, q], coef[:, int(o)], rtol=0, atol=1e-12)))
    return tuple(out)


def lex_best(table: UtilityTable, excluded: set[tuple[int, ...]]) -> tuple[float, float]:
    """Best least gain, then best total within TOL of it, over packages not excluded (excluded
    holds canonical packages)."""
    choices, sat = enumerate_zone(table)
    keep = np.array([canonical(table, c) not in excluded for c in choices], dtype=bool)
    g = (sat - table.disagreement)[keep]
    t = g.min(axis=1).max()
    return float(t), float(g[g.min(axis=1) >= t - TOL].sum(axis=1).max())


@EXACT
@given(tables(max_issues=6))
def test_ranked_maxmin_follows_the_lexicographic_order(table):
    """Each next max-min package is the lexicographic best of the packages not listed yet."""
    with settings_of(**EAGER):
        got = ranked(table, "maxmin", 3)
    excluded: set[tuple[int, ...]] = set()
    for sol in got:
        if not sol.found:
            break
        t, total = lex_best(table, excluded)
        gains = table.satisfaction(sol.choice) - table.disagreement
        assert abs(gains.min() - t) < EPS and abs(gains.sum() - total) < EPS
        assert canonical(table, sol.choice) not in excluded
        excluded.add(canonical(table, sol.choice))


def test_ks_keeps_parties_with_nothing_to_gain_at_no_deal(oracle):
    """A party indifferent to every acceptable package has no normalised gain; the search must
    still keep it at no deal (a hard row), which rules out its red-line-free worse options."""
    utility = [np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.5, 0.5, 0.0]]),
               np.array([[0.0, 1.0], [1.0, 0.0], [0.3, 0.3]])]
    salience = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    red = [np.zeros((3, 3), dtype=bool), np.zeros((3, 2), dtype=bool)]
    no_deal = np.array([[0.0, 0.0], [0.0, 0.0], [0.5, 0.3]])
    table = UtilityTable(["A", "B", "C"], ["i0", "i1"], [["a", "b", "c"], ["x", "y"]], utility,
                         salience, red, no_deal)
    for chosen in ({}, EAGER):
        with settings_of(**chosen):
            sol = kalai_smorodinsky(table)
        check_ks(oracle, table, sol)
        assert table.satisfaction(sol.choice)[2] >= table.disagreement[2] - 1e-9


def unstructured(n_issues: int, seed: int) -> UtilityTable:
    rng = np.random.default_rng(seed)
    utility = [rng.integers(0, 21, (10, 7)) / 20 for _ in range(n_issues)]
    red = [np.zeros((10, 7), dtype=bool) for _ in range(n_issues)]
    no_deal = np.array([[u[p].min() for u in utility] for p in range(10)])
    return UtilityTable([f"P{p}" for p in range(10)], [f"i{i}" for i in range(n_issues)],
                        [[f"o{k}" for k in range(7)]] * n_issues, utility,
                        rng.integers(1, 11, (10, n_issues)) / 10, red, no_deal)


@pytest.mark.parametrize("seed", range(2))
def test_enumeration_equals_the_milp_at_scale(seed):
    """16 issues × 7 options × 10 parties (too many packages to enumerate): the enumeration and
    the two MILPs agree on the least gain and the total (and for KS on the least share)."""
    table = unstructured(16, seed)
    fast_mm, fast_ks = maxmin(table), kalai_smorodinsky(table)
    with settings_of(ENUM_CAP=0):
        slow_mm, slow_ks = maxmin(table), kalai_smorodinsky(table)
    assert fast_mm.method.startswith("enumeration") and slow_mm.method == "milp, two stages"
    for a, b in ((fast_mm, slow_mm), (fast_ks, slow_ks)):
        assert abs(a.objective - b.objective) < 1e-7
        ga, gb = (table.satisfaction(s.choice) - table.disagreement for s in (a, b))
        if a is fast_mm:
            assert abs(ga.sum() - gb.sum()) < 1e-6


def test_stopped_enumeration_bounds_the_optimum():
    """Stopped by a time limit, the package found and the bound bracket the proven optimum."""
    table = unstructured(30, 30000)
    full = maxmin(table)
    for limit in (0.01, 0.2):
        sol = maxmin(table, time_limit=limit)
        if sol.proven:
            continue
        gains = table.satisfaction(sol.choice) - table.disagreement
        assert abs(gains.min() - sol.objective) < 1e-12
        assert sol.objective <= full.objective + 1e-12
        assert sol.bound >= full.objective - 1e-9
        assert math.isfinite(sol.bound)


def test_every_package_excluded():
    table = UtilityTable(["A", "B"], ["i0"], [["a", "b"]], [np.array([[1.0, 0.0], [0.0, 1.0]])],
                         np.ones((2, 1)), [np.zeros((2, 2), dtype=bool)], np.zeros((2, 1)))
    sol = maxmin(table, exclude=[(0,), (1,)])
    assert not sol.found and "excluded" in sol.reason
    assert sorted(s.choice for s in ranked(table, "maxmin", 5)) == [(0,), (1,)]
