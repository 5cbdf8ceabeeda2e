"""Time limits: a search stopped early says so and bounds how far from optimal its answer is."""

from __future__ import annotations

import numpy as np

from redline.bargain.packages import SolverError, maxmin, nash
from redline.bargain.utility import UtilityTable


def hard_instance() -> UtilityTable:
    """30 issues × 7 options × 10 parties with unstructured utilities: max-min takes a few tenths of a
    second to prove (seconds with the MILP alone)."""
    rng = np.random.default_rng(30000)
    utility = [rng.integers(0, 21, (10, 7)) / 20 for _ in range(30)]
    red = [np.zeros((10, 7), dtype=bool) for _ in range(30)]
    no_deal = np.array([[u[p].min() for u in utility] for p in range(10)])
    return UtilityTable([f"P{p}" for p in range(10)], [f"i{i}" for i in range(30)], [[f"o{k}" for k in range(7)]] * 30,
                        utility, rng.integers(1, 11, (10, 30)) / 10, red, no_deal)


def test_maxmin_stopped_by_the_time_limit_reports_its_gap():
    table = hard_instance()
    sol = maxmin(table, time_limit=0.01)
    assert sol.found and not sol.proven
    gains = table.satisfaction(sol.choice) - table.disagreement
    assert abs(gains.min() - sol.objective) < 1e-12
    assert sol.bound >= sol.objective - 1e-9
    assert sol.bound - sol.objective < 0.05  # the LP bound is within 5 points of the package found
    assert "time limit" in sol.method


def test_nash_under_a_time_limit_is_feasible_and_bounded():
    """A very short limit either finds no package (a clear error) or a feasible one with its bound."""
    table = hard_instance()
    try:
        sol = nash(table, time_limit=0.05)
    except SolverError as exc:
        assert "time limit ran out before any package was found" in str(exc)
    else:
        gains = table.satisfaction(sol.choice) - table.disagreement
        assert (gains > 0).all()
        assert abs(np.log(gains).sum() - sol.objective) < 1e-9
        assert sol.proven or sol.bound >= sol.objective - 1e-9
    assert nash(table).proven
