"""Fixtures for the bargaining tests: a small profile, the DEU file, and a brute-force oracle.

The oracle enumerates every package of a small zone and picks by definition; the MILP solvers
must agree with it on every instance small enough to enumerate.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from redline.bargain.packages import NASH_MIN_GAIN, TOL, enumerate_zone
from redline.bargain.utility import UtilityTable


def brute_maxmin(table: UtilityTable) -> tuple[float, float]:
    _, sat = enumerate_zone(table)
    g = sat - table.disagreement
    t = g.min(axis=1).max()
    keep = g.min(axis=1) >= t - TOL
    return float(t), float(g[keep].sum(axis=1).max())


def brute_ks(table: UtilityTable) -> tuple[float, float] | None:
    _, sat = enumerate_zone(table)
    d = table.disagreement
    ir = (sat >= d - 1e-9).all(axis=1)
    if not ir.any():
        return None
    sat = sat[ir]
    span = sat.max(axis=0) - d
    active = span > 1e-9
    if not active.any():
        return 0.0, 0.0
    norm = (sat - d)[:, active] / span[active]
    t = norm.min(axis=1).max()
    keep = norm.min(axis=1) >= t - TOL
    return float(t), float(norm[keep].sum(axis=1).max())


def brute_nash(table: UtilityTable, weights: np.ndarray | None = None) -> float | None:
    _, sat = enumerate_zone(table)
    g = sat - table.disagreement
    ok = (g >= NASH_MIN_GAIN).all(axis=1)
    if not ok.any():
        return None
    w = np.ones(g.shape[1]) if weights is None else weights
    return float((np.log(g[ok]) @ w).max())


def brute_frontier(table: UtilityTable) -> np.ndarray:
    """Distinct satisfaction vectors (rows) no other package weakly dominates."""
    _, sat = enumerate_zone(table)
    pts = np.unique(np.round(sat, 9), axis=0)
    keep = [y for y in pts
            if not ((pts >= y - 1e-9).all(axis=1) & (pts > y + TOL).any(axis=1)).any()]
    return np.array(keep).reshape(len(keep), sat.shape[1])


def same_points(a: np.ndarray, b: np.ndarray, tol: float = 1e-7) -> bool:
    """Two sets of vectors are equal up to ``tol`` (each point of one matches one of the other)."""
    if a.shape != b.shape:
        return False
    used = np.zeros(len(b), dtype=bool)
    for y in a:
        hit = np.flatnonzero(~used & (np.abs(b - y) <= tol).all(axis=1))
        if not len(hit):
            return False
        used[hit[0]] = True
    return True


def brute_closest(table: UtilityTable, terms: dict[str, str]) -> tuple[float, float, float]:
    choices, sat = enumerate_zone(table)
    dist = np.zeros(len(choices))
    for i, issue in enumerate(table.issues):
        if issue in terms:
            n = len(table.options[i])
            dist += np.abs(choices[:, i] - table.options[i].index(terms[issue])) / (n - 1)
    g = sat - table.disagreement
    dstar = dist.min()
    near = dist <= dstar + TOL
    t = g[near].min(axis=1).max()
    keep = near & (g.min(axis=1) >= t - TOL)
    return float(dstar), float(t), float(g[keep].sum(axis=1).max())


@pytest.fixture(scope="session")
def oracle() -> SimpleNamespace:
    return SimpleNamespace(maxmin=brute_maxmin, ks=brute_ks, nash=brute_nash, frontier=brute_frontier,
                           closest=brute_closest, same_points=same_points)


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini_dir() -> Path:
    return FIXTURES / "mini"


@pytest.fixture(scope="session")
def mini(mini_dir):
    from redline.profile import load_profile

    return load_profile(mini_dir)


@pytest.fixture(scope="session")
def deu_path(shared_dir) -> Path:
    return shared_dir / "data" / "deu" / "deu3.tsv"
