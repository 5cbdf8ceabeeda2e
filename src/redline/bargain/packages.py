"""Exact package search over all issues at once (a package = one option per issue).

The solvers use HiGHS (``highspy``, one thread) on mixed-integer linear programmes: one binary per
(issue, option) that no included party rules out, one "exactly one option" row per issue, and
each party's satisfaction as a linear function of the binaries (options another option beats for
every party are left out first, see ``_Space``). Objectives:

* max-min (egalitarian): the largest least gain over no deal, then, among packages within TOL of
  it, the largest sum of gains (so the answer is Pareto-optimal). Found by an enumeration of
  partial packages pruned with Lagrangian (LP) bounds, ``_lexmaxmin``, which is exact and much
  faster than the MILP's branch and bound here; if it keeps too many partial packages, two MILPs
  (max t with every gain >= t; then the sum with every gain >= t − TOL);
* Kalai–Smorodinsky: each party's ideal = its best satisfaction among packages that leave every
  party at least its no-deal value (one MILP per party); then the same two stages on gains
  normalised by (ideal − no deal), every party kept at least at no deal;
* Nash: maximise sum_p w_p log(gain_p) by outer approximation (Kelley cutting planes): log is
  concave, so tangents over-estimate it; the MILP over tangents gives an upper bound, the package
  it returns is evaluated exactly and tangents at its gains are added, until the bound is within
  ``NASH_TOL`` of the best exact value. The package set is finite and a package met again is
  valued exactly by its own tangents, so the loop ends at the global optimum;
* Pareto frontier: repeatedly maximise total satisfaction among packages not weakly dominated by
  the points already found (disjunctive constraints with one binary per found point and party);
  each answer is Pareto-optimal, so the loop lists the frontier (one package per utility vector)
  until it is complete or the limit is reached;
* closest package to a plan: minimise the ordinal distance to the plan's options, then maximise
  the least gain, then the total gain.

Every function takes an optional ``time_limit``; a search it stops returns its best package with
``proven=False`` and, where one exists, a proven ``bound`` on the objective.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import highspy
import numpy as np
import scipy.sparse as sps

from redline.bargain.utility import UtilityTable
from redline.errors import RedlineError
from redline.model import Plan

TOL = 1e-6          # satisfaction differences smaller than this are ties
NASH_MIN_GAIN = 1e-6  # a Nash gain must be at least this (strictly better than no deal)
NASH_TOL = 1e-8     # stop outer approximation when bound − best log-product <= this
# Feasibility tolerances far below TOL, so "better by TOL" constraints mean what they say; one
# thread; cuts only at the root (the models are tiny and node throughput dominates: measured
# ~1.5× faster on the benchmark, same optima).
_HIGHS_OPTIONS = {"output_flag": False, "threads": 1, "mip_rel_gap": 1e-9, "mip_abs_gap": 1e-12,
                  "mip_feasibility_tolerance": 1e-9, "primal_feasibility_tolerance": 1e-9,
                  "mip_allow_cut_separation_at_nodes": False}
_LP_OPTIONS = {"output_flag": False, "threads": 1}
_banner_lock = threading.Lock()
_banner_muted = False   # the process's first HiGHS instance, the one that prints the banner, is built


def _new_highs(options: dict[str, Any]) -> highspy.Highs:
    """A HiGHS instance for one caller alone.

    A ``highspy.Highs`` must never be shared between threads: the API runs requests in a thread
    pool, and two requests solving on one instance crash the process, fail on each other's model
    status or return a package of the other's model. So each ``_Space`` and ``_NodeLP`` builds
    its own (under 0.1 ms each, a few dozen per bargain: no measurable cost).

    ``output_flag`` silences the solves. Only the banner HiGHS prints on stdout when a process
    builds its first instance comes before any option can be set; it is muted by pointing file
    descriptor 1 at /dev/null, which affects every thread, so that is done for that first
    construction only and under a lock: concurrent first callers must not interleave their dup2
    calls (one could save the other's /dev/null and restore it as stdout for good).
    """
    global _banner_muted
    with _banner_lock:
        if not _banner_muted:
            sys.stdout.flush()
            saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            try:
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(null)
            _banner_muted = True
        else:
            h = highspy.Highs()
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h


@dataclass
class RedLine:
    party: str
    issue: str
    option: str


@dataclass
class Conflict:
    """A minimal set of red lines (and an imposed term) that together leave an issue no option."""

    issue: str
    red_lines: list[RedLine]
    imposed: str | None = None
    ruled_out_by: dict[str, list[str]] = field(default_factory=dict)
    # On a question (compound issue), the imposed terms are on its member issues: ``imposed`` then
    # reads "member=option, ..." and ``imposed_terms`` holds them, so the user sees the term they
    # named rather than a combination they never typed.
    imposed_terms: dict[str, str] = field(default_factory=dict)

    def explain(self) -> str:
        if self.imposed is not None and self.imposed_terms:
            return self._explain_question()
        shown = self.red_lines[:6]
        lines = ", ".join(f"{r.party} rules out {r.option}" for r in shown)
        if len(self.red_lines) > len(shown):
            lines += f", and {len(self.red_lines) - len(shown)} more (all listed in --format json)"
        if self.imposed is not None:
            return f"{self.issue}: the imposed term {self.issue}={self.imposed} crosses a red line ({lines})"
        return f"{self.issue}: every option is a red line ({lines})"

    def _explain_question(self) -> str:
        """Per party, how many of the combinations the imposed terms leave it rules out: the
        combinations' names are long, and "every one" is what the reader needs to know."""
        n = len(self.ruled_out_by)
        per_party: dict[str, list[str]] = {}
        for r in self.red_lines:
            per_party.setdefault(r.party, []).append(r.option)
        parts = []
        for party, options in per_party.items():
            if len(options) == n:
                parts.append(f"{party} rules out every combination of {self.issue} with {self.imposed}")
            else:
                shown = "; ".join(options[:3]) + (f"; and {len(options) - 3} more" if len(options) > 3 else "")
                parts.append(f"{party} rules out {len(options)} of the {n} combinations with "
                             f"{self.imposed}: {shown}")
        return (f"{self.issue}: the imposed term{'s' if len(self.imposed_terms) > 1 else ''} {self.imposed} "
                f"cross{'' if len(self.imposed_terms) > 1 else 'es'} a red line ({', '.join(parts)})")


@dataclass
class Solution:
    """A package a solver chose, with each party's satisfaction and gain over no deal."""

    name: str
    package: dict[str, str] | None
    choice: tuple[int, ...] | None
    satisfaction: dict[str, float]
    gain: dict[str, float]
    objective: float | None
    method: str
    reason: str = ""
    solves: int = 0
    equivalent: dict[str, list[str]] = field(default_factory=dict)
    proven: bool = True          # False: the time limit stopped the search before a proof
    bound: float | None = None   # then: an upper bound on ``objective`` (the proven gap)

    @property
    def found(self) -> bool:
        return self.package is not None


@dataclass
class Frontier:
    points: list[Solution]
    complete: bool
    limit: int


@dataclass
class PlanFit:
    """How a plan sits against the zone and the Pareto frontier."""

    plan: str
    terms: dict[str, str]
    crosses: list[RedLine]
    satisfaction: dict[str, float]
    uniform_gain: float | None      # largest gain every party could have at once (0 = on frontier)
    pareto_gain: float | None       # largest total gain with nobody worse off
    closest: Solution | None
    changes: int | None
    proven: bool = True             # False: a time limit stopped a search (gains are lower bounds)

    @property
    def dominated(self) -> bool | None:
        """Some acceptable package is better for one party and worse for none (None: no zone)."""
        return None if self.pareto_gain is None else self.pareto_gain > TOL


class Gains(NamedTuple):
    uniform: float
    pareto: float
    proven: bool


class SolverError(RedlineError):
    """HiGHS failed on a problem that should be solvable (reported, never swallowed)."""


def conflicting_red_lines(table: UtilityTable) -> list[Conflict]:
    """For each issue the red lines leave no option on, a minimal set of red lines that does it.

    Red lines bind per issue, so the zone is the product of the issues' remaining options and is
    empty exactly when some issue has none left. One red line per excluded option is needed and
    enough; parties are picked greedily so the set names as few parties as it can.
    """
    out = []
    for i, issue in enumerate(table.issues):
        if table.allowed(i).any():
            continue
        red = table.red[i]
        options = table.options[i]
        by_option = {o: [table.parties[p] for p in np.flatnonzero(red[:, k])]
                     for k, o in enumerate(options)}
        fixed = table.fixed.get(issue)
        if fixed is not None:
            party = by_option[fixed][0]
            out.append(Conflict(issue, [RedLine(party, issue, fixed)], imposed=fixed,
                                ruled_out_by={fixed: by_option[fixed]}))
            continue
        # A term imposed on a member of a question has already narrowed the compound's options to
        # the combinations holding it; if none is left, the imposed term is the conflict (it is
        # reported, never left unsettled like a clash of red lines alone).
        members = next((c.members for c in table.compounds if c.id == issue), [])
        imposed_terms = {m: table.fixed[m] for m in members if m in table.fixed}
        remaining = set(options)
        chosen: list[RedLine] = []
        while remaining:
            best = max(table.parties, key=lambda p: (sum(p in by_option[o] for o in remaining),
                                                     -table.parties.index(p)))
            for o in options:
                if o in remaining and best in by_option[o]:
                    chosen.append(RedLine(best, issue, o))
                    remaining.discard(o)
        chosen.sort(key=lambda r: options.index(r.option))
        if imposed_terms:
            out.append(Conflict(issue, chosen, imposed=", ".join(f"{m}={o}" for m, o in imposed_terms.items()),
                                ruled_out_by=by_option, imposed_terms=imposed_terms))
            continue
        out.append(Conflict(issue, chosen, ruled_out_by=by_option))
    return out


def red_lines_crossed(table: UtilityTable, terms: dict[str, str]) -> list[RedLine]:
    out = []
    for i, issue in enumerate(table.issues):
        if issue in terms:
            k = table.options[i].index(terms[issue])
            out += [RedLine(table.parties[p], issue, terms[issue]) for p in np.flatnonzero(table.red[i][:, k])]
    return out


class _Space:
    """The MILP skeleton of a table: binaries for allowed options and the one-per-issue rows.

    ``reduce="dominated"`` leaves out options that another allowed option of the same issue
    matches or beats for every party (keeping one of identical ones). Every objective here is
    non-decreasing in each party's satisfaction, so swapping such an option for the one that
    dominates it never makes a package worse: optimal values and the Pareto frontier's vectors are
    unchanged, and the search is smaller. ``"duplicates"`` merges only identical options (for
    ranking, where second-best packages may use dominated options); ``None`` keeps all (distance
    to a plan depends on the option itself).
    """

    def __init__(self, table: UtilityTable, reduce: str | None = "dominated",
                 time_limit: float | None = None) -> None:
        self.table = table
        self.deadline = None if time_limit is None else time.monotonic() + time_limit
        self.proven = True
        coefs = [table.coef(i) for i in range(len(table.issues))]
        self.cols: list[tuple[int, int]] = []
        for i in range(len(table.issues)):
            allowed = list(np.flatnonzero(table.allowed(i)))
            keep = [int(o) for o in allowed if reduce is None or not _covered(coefs[i], o, allowed, reduce)]
            self.cols += [(i, o) for o in keep]
        self.n = len(self.cols)
        P = len(table.parties)
        self.S = np.zeros((P, self.n))
        for k, (i, o) in enumerate(self.cols):
            self.S[:, k] = coefs[i][:, o]
        self.issue_rows = np.zeros((len(table.issues), self.n))
        for k, (i, _) in enumerate(self.cols):
            self.issue_rows[i, k] = 1.0
        self.d = table.disagreement
        allowed_coefs = [coefs[i][:, table.allowed(i)] for i in range(len(table.issues))]
        self.smax = sum((c.max(axis=1) for c in allowed_coefs), np.zeros(P))
        self.smin = sum((c.min(axis=1) for c in allowed_coefs), np.zeros(P))
        self.solves = 0
        self._highs: highspy.Highs | None = None   # this search's own solver, made at its first solve

    def decode(self, y: np.ndarray) -> tuple[int, ...]:
        choice = [-1] * len(self.table.issues)
        for k in np.flatnonzero(y[: self.n] > 0.5):
            i, o = self.cols[k]
            choice[i] = o
        assert -1 not in choice
        return tuple(choice)

    def cut(self, choice: tuple[int, ...]) -> np.ndarray:
        """Row excluding one package (no-good cut): at most I−1 of its binaries may be 1."""
        row = np.zeros(self.n)
        for k, (i, o) in enumerate(self.cols):
            if choice[i] == o:
                row[k] = 1.0
        return row

    def solve(self, c_y: np.ndarray, *, extra: int = 0, c_extra: np.ndarray | None = None,
              rows: list[tuple[np.ndarray, float, float]] | None = None,
              extra_bounds: tuple[np.ndarray, np.ndarray] | None = None,
              extra_integer: np.ndarray | None = None,
              exclude: list[tuple[int, ...]] = (),
              start: tuple[tuple[int, ...], np.ndarray] | None = None) -> tuple[np.ndarray, float, float] | None:
        """Maximise c·v over v = [binaries, extras]; None when infeasible.

        ``start`` = (package, extras) is a known feasible point handed to HiGHS as an incumbent."""
        m = self.n + extra
        c = np.concatenate([c_y, c_extra if c_extra is not None else np.zeros(extra)])
        A = [np.hstack([self.issue_rows, np.zeros((self.issue_rows.shape[0], extra))])]
        lb = [np.ones(self.issue_rows.shape[0])]
        ub = [np.ones(self.issue_rows.shape[0])]
        I = len(self.table.issues)
        for choice in exclude:
            A.append(np.concatenate([self.cut(choice), np.zeros(extra)])[None, :])
            lb.append(np.array([-np.inf]))
            ub.append(np.array([I - 1.0]))
        if rows:
            A.append(np.array([r[0] for r in rows]))
            lb.append(np.array([r[1] for r in rows]))
            ub.append(np.array([r[2] for r in rows]))
        integrality = np.concatenate([np.ones(self.n), extra_integer if extra_integer is not None
                                      else np.zeros(extra)])
        lo = np.concatenate([np.zeros(self.n), extra_bounds[0] if extra_bounds else np.zeros(0)])
        hi = np.concatenate([np.ones(self.n), extra_bounds[1] if extra_bounds else np.zeros(0)])
        matrix = sps.csc_matrix(np.vstack(A))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = m, matrix.shape[0]
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = c, lo, hi
        lp.row_lower_, lp.row_upper_ = np.concatenate(lb), np.concatenate(ub)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = m, matrix.shape[0]
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = (matrix.indptr, matrix.indices,
                                                                          matrix.data)
        lp.integrality_ = [highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous
                           for v in integrality]
        lp.sense_ = highspy.ObjSense.kMaximize
        if self._highs is None:
            self._highs = _new_highs(_HIGHS_OPTIONS)
        h = self._highs
        h.clearModel()
        h.passModel(lp)
        remaining = math.inf if self.deadline is None else max(self.deadline - time.monotonic(), 0.01)
        h.setOptionValue("time_limit", remaining)
        if start is not None:
            sol = highspy.HighsSolution()
            sol.col_value = list(np.concatenate([self.cut(start[0]), start[1]]))
            sol.value_valid = True
            h.setSolution(sol)
        h.run()
        self.solves += 1
        status = h.getModelStatus()
        info = h.getInfo()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status == highspy.HighsModelStatus.kTimeLimit and info.primal_solution_status == 2:
            self.proven = False  # a feasible package, not proven best; the bound says how far off
        elif status == highspy.HighsModelStatus.kTimeLimit:
            raise SolverError("the time limit ran out before any package was found")
        elif status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(f"HiGHS stopped without an optimum: {h.modelStatusToString(status)}")
        x = np.array(h.getSolution().col_value)
        return x, float(info.objective_function_value), float(info.mip_dual_bound)

    def row(self, y_coef: np.ndarray, extra_coef: dict[int, float], extra: int, lb: float,
            ub: float) -> tuple[np.ndarray, float, float]:
        e = np.zeros(extra)
        for k, v in extra_coef.items():
            e[k] = v
        return np.concatenate([y_coef, e]), lb, ub


def _covered(coef: np.ndarray, o: int, allowed: list[int], reduce: str) -> bool:
    """Whether option o can be left out: an earlier identical option, or (``dominated``) another
    option at least as good for every party and better for one."""
    for q in allowed:
        if q == o:
            continue
        same = np.allclose(coef[:, q], coef[:, o], rtol=0.0, atol=1e-12)
        if same and q < o:
            return True
        if reduce == "dominated" and not same and (coef[:, q] >= coef[:, o] - 1e-12).all():
            return True
    return False


def _empty(table: UtilityTable, name: str) -> Solution | None:
    conflicts = conflicting_red_lines(table)
    if not conflicts:
        return None
    return _none(name, "the zone is empty: " + "; ".join(c.explain() for c in conflicts))


def _none(name: str, reason: str, solves: int = 0) -> Solution:
    return Solution(name, None, None, {}, {}, None, "milp", reason=reason, solves=solves)


def _solution(table: UtilityTable, name: str, choice: tuple[int, ...], objective: float,
              method: str, solves: int) -> Solution:
    s = table.satisfaction(choice)
    d = table.disagreement
    equivalent = {}
    for i, o in enumerate(choice):
        coef, allowed = table.coef(i), table.allowed(i)
        same = [table.options[i][q] for q in range(len(table.options[i]))
                if q != o and allowed[q] and np.allclose(coef[:, q], coef[:, o], rtol=0.0, atol=1e-12)]
        if same:
            equivalent[table.issues[i]] = same
    return Solution(name, table.package(choice), choice,
                    {p: float(v) for p, v in zip(table.parties, s)},
                    {p: float(v) for p, v in zip(table.parties, s - d)},
                    float(objective), method, solves=solves, equivalent=equivalent)


# -- lexicographic max-min by enumeration with Lagrangian bounds ------------------------------
#
# Max-min (and KS, which is max-min on normalised gains) has a weak LP bound, and HiGHS's
# branch and bound spends seconds closing a 1–2 % gap. Here the same answer is found exactly by a
# breadth-first enumeration of partial packages, issue by issue, that prunes a partial package as
# soon as a valid upper bound shows it cannot reach the best least value found so far (minus
# TOL, so that every package the second stage needs survives too). The bounds are Lagrangian:
# for multipliers w >= 0 over the rows (s = sum of w over the objective rows), every completion
# of a partial package with value z so far satisfies
#     w·z_final <= w·z + sum over the open issues of max over options of w·(option's row values),
# and a package whose least objective value is >= thr (and whose hard rows are >= 0) has
# w·z_final >= s·thr. The unit vectors (each row alone) and the LP duals at the root and at
# sampled nodes (which make the bound at those nodes equal to their LP bound) are the w used;
# more are added while a level keeps too many partial packages. The packages left at the end are
# every package whose least value is within TOL of the best, so both stages are read off them
# exactly. A level that still keeps more than ENUM_CAP partial packages hands the problem back to
# the MILP (exact too, only slower).

ENUM_TRIGGER = 4000   # survivors of a level above which node LPs add multipliers
ENUM_SAMPLES = 16     # node LPs per round (each may add one multiplier vector)
ENUM_ROUNDS = 6       # rounds per level at most
ENUM_GAIN = 0.8       # ... ending when a round keeps more than this share of the partial packages
ENUM_CAP = 400_000    # survivors of a level beyond which the MILP takes over
ENUM_FUTILE = 0.02    # stop testing multipliers on a level once a batch rules out less than this
ENUM_CHUNK = 20_000   # partial packages expanded at once (bounds memory)
ENUM_BEAM = 2000      # width of the beam searches for good packages
ENUM_REBEAM = 16_000  # survivors of a level that start another beam search (twice at most)


class _NodeLP:
    """LP relaxation over a set of open issues: max t s.t. Z_obj y − t >= −z_obj, Z_hard y >= −z_hard,
    one option per open issue, where z is the value of the fixed part (the right-hand side changes
    per node, the model stays and HiGHS warm-starts)."""

    def __init__(self, Z: np.ndarray, n_obj: int, groups: list[np.ndarray]) -> None:
        R = Z.shape[0]
        cols = np.concatenate(groups)
        m = len(cols) + 1
        M = np.zeros((R + len(groups), m))
        M[:R, :-1] = Z[:, cols]
        M[:n_obj, -1] = -1.0
        pos = 0
        for g, grp in enumerate(groups):
            M[R + g, pos:pos + len(grp)] = 1.0
            pos += len(grp)
        matrix = sps.csc_matrix(M)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = m, M.shape[0]
        lp.col_cost_ = np.concatenate([np.zeros(m - 1), [1.0]])
        lp.col_lower_ = np.concatenate([np.zeros(m - 1), [-1e6]])
        lp.col_upper_ = np.concatenate([np.ones(m - 1), [1e6]])
        lp.row_lower_ = np.concatenate([np.zeros(R), np.ones(len(groups))])
        lp.row_upper_ = np.concatenate([np.full(R, np.inf), np.ones(len(groups))])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = m, M.shape[0]
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = (matrix.indptr, matrix.indices,
                                                                          matrix.data)
        lp.sense_ = highspy.ObjSense.kMaximize
        self.h = _new_highs(_LP_OPTIONS)   # its own: the model stays between nodes (warm starts)
        self.h.passModel(lp)
        self.R, self.groups, self.solves = R, groups, 0
        self.rows = np.arange(R, dtype=np.int32)
        self.upper = np.full(R, np.inf)

    def solve(self, z: np.ndarray) -> tuple[float, np.ndarray, list[int]] | None:
        """(LP bound, row multipliers >= 0, rounded choice per open issue) at a node; None if
        the LP is infeasible or fails."""
        h = self.h
        h.changeRowsBounds(self.R, self.rows, -z, self.upper)
        h.run()
        self.solves += 1
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        sol = h.getSolution()
        x = np.asarray(sol.col_value)
        pos, rounded = 0, []
        for grp in self.groups:
            rounded.append(int(np.argmax(x[pos:pos + len(grp)])))
            pos += len(grp)
        # any w >= 0 gives a valid bound: the duals' signs depend on conventions, magnitudes matter
        return float(h.getInfo().objective_function_value), np.abs(np.asarray(sol.row_dual[: self.R])), rounded


def _chunks(m: int) -> list[tuple[int, int]]:
    """Growing slices of m multipliers (8, 16, 32, …): most candidates fall to the first few."""
    out, lo, size = [], 0, 8
    while lo < m:
        out.append((lo, min(m, lo + size)))
        lo, size = lo + size, size * 2
    return out


class _Lex(NamedTuple):
    choice: tuple[int, ...] | None   # None: no package satisfies the hard rows (or all excluded)
    bound: float                    # proven upper bound on the best least value
    proven: bool
    solves: int


def _lexmaxmin(sp: _Space, Z: np.ndarray, zb: np.ndarray, n_obj: int,
               incumbents: list[tuple[int, ...]], exclude: list[tuple[int, ...]]) -> _Lex | None:
    """Maximise the least of the first ``n_obj`` rows of Z·y − zb, subject to the other rows
    being >= 0, then (among packages within TOL of that) the sum of the first ``n_obj`` rows.
    Exact; None when a level keeps more than ENUM_CAP partial packages (use the MILP then)."""
    I, R = len(sp.table.issues), Z.shape[0]
    groups = [np.flatnonzero(sp.issue_rows[i]) for i in range(I)]
    col_opt = np.array([o for _, o in sp.cols])
    index = [dict(zip(col_opt[g].tolist(), range(len(g)))) for g in groups]
    vals = [Z[:, g].T for g in groups]              # per issue: options × rows
    excluded = set(map(tuple, exclude))
    solves = 0

    def as_choice(local) -> tuple[int, ...]:
        return tuple(int(col_opt[groups[i][o]]) for i, o in enumerate(local))

    def least(choice: tuple[int, ...]) -> float:
        """Least objective value of a package; −inf if a hard row fails or it is excluded."""
        try:
            z = sum((vals[i][index[i][o]] for i, o in enumerate(choice)), -zb)
        except KeyError:    # an option outside the search space
            return -math.inf
        if (z[n_obj:] < 0).any() or choice in excluded:
            return -math.inf
        return float(z[:n_obj].min())

    best, best_choice = -math.inf, None

    def consider(choices: list[tuple[int, ...]]) -> bool:
        nonlocal best, best_choice
        improved = False
        for choice in choices:
            v = least(choice)
            if v > best:
                best, best_choice, improved = v, choice, True
        return improved

    consider(incumbents)
    root = _NodeLP(Z, n_obj, groups)
    res = root.solve(-zb)
    solves += 1
    if res is None:     # the hard rows leave no fractional package, so no package either
        return _Lex(None, -math.inf, True, solves)
    lp_bound, w0, rounded = res
    consider([as_choice(rounded)])
    # issues that can move some party's value most come first: fixing them early moves the bounds
    # most, so partial packages are ruled out early
    reach = [float((np.ptp(v[:, :n_obj], axis=0) ** 2).sum()) for v in vals]
    order = [int(i) for i in np.argsort(reach, kind="stable")[::-1]]
    W = np.vstack([np.eye(R), w0 / max(w0[:n_obj].sum(), 1e-300)])

    def derived(thr: float) -> tuple[np.ndarray, np.ndarray]:
        """Per level k, the most the open issues order[k:] can add to each w·z; and the least
        w·z a package must reach (s·thr, less a floating-point margin)."""
        top = np.array([(vals[i] @ W.T).max(axis=0) for i in order]).reshape(I, len(W))
        suffix = np.vstack([np.cumsum(top[::-1], axis=0)[::-1], np.zeros((1, len(W)))])
        s = W[:, :n_obj].sum(axis=1)
        with np.errstate(invalid="ignore"):
            need = np.where(s > 0, s * thr, 0.0) - 1e-9 * (1.0 + np.abs(W).sum(axis=1))
        return suffix, need

    kills = np.zeros(len(W))   # how many partial packages each multiplier ruled out (decaying)

    def prune(C: np.ndarray, k: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Indices of the rows of C (partial packages through level k) no multiplier rules out,
        trying the multipliers that ruled out most so far first."""
        rows = np.argsort(-kills, kind="stable") if rows is None else rows
        idx = np.arange(len(C))
        for lo, hi in _chunks(len(rows)):
            r = rows[lo:hi]
            ok = (C[idx] @ W[r].T + suffix[k + 1, r]) >= need[r]
            kills[r] += len(ok) - ok.sum(axis=0)
            before = len(idx)
            idx = idx[ok.all(axis=1)]
            if len(idx) > (1.0 - ENUM_FUTILE) * before:
                break   # the rest rarely rule anything out: leave it to the next levels
        return idx

    def expand(G: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The children of partial packages G on issue order[k] that no multiplier rules out:
        (values, parent index, option). The first multipliers are applied before the children
        are formed (a child's w·z is its parent's plus its option's)."""
        i = order[k]
        rows = np.argsort(-kills, kind="stable")
        first, rest = rows[:8], rows[8:]
        B = (G @ W[first].T)[:, None, :] + (vals[i] @ W[first].T + suffix[k + 1, first])[None, :, :]
        ok = B >= need[first]
        kills[first] += ok.size // len(first) - ok.sum(axis=(0, 1))
        parent, option = np.nonzero(ok.all(axis=2))
        C = G[parent] + vals[i][option]
        idx = prune(C, k, rest)
        return C[idx], parent[idx], option[idx]

    def score(C: np.ndarray, k: int) -> np.ndarray:
        """Optimistic value of partial packages through level k: the least bound on t any
        multiplier gives (−inf where the hard rows rule them out)."""
        s = W[:, :n_obj].sum(axis=1)
        B = C @ W.T + suffix[k + 1]
        alive = (B[:, s == 0] >= need[s == 0]).all(axis=1)
        return np.where(alive, (B[:, s > 0] / s[s > 0]).min(axis=1), -math.inf)

    def beam(G: np.ndarray, L: np.ndarray, k0: int) -> list[tuple[int, ...]]:
        """Complete partial packages (values G, local options L, levels < k0 fixed) level by
        level, keeping the ENUM_BEAM best by ``score``; the best few complete packages."""
        for k in range(k0, I):
            i, nk = order[k], len(vals[order[k]])
            C = (G[:, None, :] + vals[i][None, :, :]).reshape(-1, R)
            L = np.repeat(L, nk, axis=0)
            L[:, i] = np.tile(np.arange(nk), len(G))
            keep = np.argsort(-score(C, k), kind="stable")[:ENUM_BEAM]
            G, L = C[keep], L[keep]
        return [as_choice(row) for row in L[np.argsort(-G[:, :n_obj].min(axis=1), kind="stable")[:8]]]

    def locals_of(back: list[tuple[np.ndarray, np.ndarray]], nodes: np.ndarray) -> np.ndarray:
        """Local options of partial packages (indices into the last level of ``back``)."""
        L = np.zeros((len(nodes), I), dtype=int)
        cur = nodes
        for k in range(len(back) - 1, -1, -1):
            parent, opt = back[k]
            L[:, order[k]] = opt[cur]
            cur = parent[cur]
        return L

    def stopped(G: np.ndarray, k: int) -> _Lex:
        """The deadline passed: the best package so far and the largest bound left open."""
        bound = best
        for lo in range(0, len(G), ENUM_CHUNK):
            bound = max(bound, float(score(G[lo:lo + ENUM_CHUNK], k - 1).max()))
        sp.proven = False
        return _Lex(best_choice, min(bound, lp_bound), False, solves)

    # a first package from a beam search over the whole tree
    suffix, need = derived(-math.inf)
    consider(beam(-zb[None, :], np.zeros((1, I), dtype=int), 0))
    suffix, need = derived(best - TOL)
    G = -zb[None, :]
    back: list[tuple[np.ndarray, np.ndarray]] = []
    rng = np.random.default_rng(0)
    rebeams = 0
    for k, i in enumerate(order):
        if sp.deadline is not None and time.monotonic() > sp.deadline and best_choice is not None:
            return stopped(G, k)
        kills *= 0.5
        kept_C, kept_parent, kept_opt = [], [], []
        for lo in range(0, len(G), ENUM_CHUNK):
            C, parent, opt = expand(G[lo:lo + ENUM_CHUNK], k)
            kept_C.append(C)
            kept_parent.append((lo + parent).astype(np.int32))
            kept_opt.append(opt.astype(np.int16))
        C, parent, opt = np.concatenate(kept_C), np.concatenate(kept_parent), np.concatenate(kept_opt)
        open_issues = order[k + 1:]
        for _ in range(ENUM_ROUNDS):
            if len(C) <= ENUM_TRIGGER or not open_issues:
                break
            node = _NodeLP(Z, n_obj, [groups[j] for j in open_issues])
            picks = rng.choice(len(C), size=min(ENUM_SAMPLES, len(C)), replace=False)
            new, found = [], []
            fixed = locals_of(back + [(parent, opt)], picks)
            for j, local in zip(picks, fixed):
                res = node.solve(C[j])
                if res is None:
                    continue
                value, w, rounded = res
                local[open_issues] = rounded
                found.append(as_choice(local))
                if value < best - TOL:
                    new.append(w / max(w[:n_obj].sum(), 1e-300))
            solves += node.solves
            consider(found)
            if not new:
                break
            W = np.vstack([W, new])
            kills = np.concatenate([kills, np.full(len(new), kills.max(initial=0.0) + 1.0)])
            suffix, need = derived(best - TOL)
            before = len(C)
            idx = prune(C, k)
            C, parent, opt = C[idx], parent[idx], opt[idx]
            if len(C) > ENUM_GAIN * before:
                break
        if len(C) > ENUM_REBEAM and open_issues and rebeams < 2:
            # many partial packages survive: perhaps the best package so far is weak; look for
            # a better one from the most promising of them, with the multipliers learnt since
            rebeams += 1
            top = np.argsort(-score(C, k), kind="stable")[:ENUM_BEAM]
            if consider(beam(C[top], locals_of(back + [(parent, opt)], top), k + 1)):
                suffix, need = derived(best - TOL)
                idx = prune(C, k)
                C, parent, opt = C[idx], parent[idx], opt[idx]
        if len(C) > ENUM_CAP:
            return None
        back.append((parent, opt))
        G = C
    # G: every package whose least value is >= best − TOL (and whose hard rows hold)
    ok = (G[:, n_obj:] >= 0).all(axis=1)
    local = locals_of(back, np.arange(len(G)))
    if excluded:
        ok &= np.array([as_choice(row) not in excluded for row in local], dtype=bool).reshape(len(G))
    if not ok.any():
        return _Lex(None, -math.inf, True, solves)
    least_vals = np.where(ok, G[:, :n_obj].min(axis=1), -math.inf)
    top_value = float(least_vals.max())
    total = np.where(least_vals >= top_value - TOL, G[:, :n_obj].sum(axis=1), -math.inf)
    return _Lex(as_choice(local[int(np.argmax(total))]), top_value, True, solves)


def maxmin(table: UtilityTable, exclude: list[tuple[int, ...]] = (),
           time_limit: float | None = None) -> Solution:
    """The egalitarian package: the largest gain the worst-off party can get, then most in total.

    With ``time_limit`` (seconds) the search may stop early: ``proven`` is then False and
    ``bound`` an upper bound on the least gain any package can reach."""
    empty = _empty(table, "maxmin")
    if empty:
        return empty
    sp = _Space(table, "duplicates" if exclude else "dominated", time_limit)
    P = len(table.parties)
    lex = _lexmaxmin(sp, sp.S, sp.d, P, [], list(exclude)) if sp.n else None
    if lex is not None:
        sp.solves += lex.solves
        if lex.choice is None:
            return _none("maxmin", "every package is excluded", sp.solves)
        gains = table.satisfaction(lex.choice) - table.disagreement
        return _finish(_solution(table, "maxmin", lex.choice, float(gains.min()),
                                 "enumeration with LP bounds, lexicographic", sp.solves),
                       sp, max(lex.bound, float(gains.min())))
    # the enumeration kept too many partial packages: two MILPs instead
    lo, hi = float((sp.smin - sp.d).min()) - 1.0, float((sp.smax - sp.d).max()) + 1.0
    rows = [sp.row(sp.S[p], {0: -1.0}, 1, float(sp.d[p]), np.inf) for p in range(P)]
    first = sp.solve(np.zeros(sp.n), extra=1, c_extra=np.ones(1), rows=rows,
                     extra_bounds=(np.array([lo]), np.array([hi])), exclude=exclude)
    if first is None:
        return _none("maxmin", "every package is excluded", sp.solves)
    t, bound = first[1], first[2]   # bound: proven upper bound on the least gain (= t when solved)
    rows = [(sp.S[p], float(sp.d[p] + t - TOL), np.inf) for p in range(P)]
    second = sp.solve(sp.S.sum(axis=0), rows=rows, exclude=exclude, start=(sp.decode(first[0]), np.zeros(0)))
    assert second is not None
    choice = sp.decode(second[0])
    gains = table.satisfaction(choice) - table.disagreement
    return _finish(_solution(table, "maxmin", choice, float(gains.min()), "milp, two stages", sp.solves),
                   sp, max(bound, float(gains.min())))


def _finish(sol: Solution, sp: _Space, bound: float | None) -> Solution:
    """Mark a solution found under a time limit that stopped some solve before its proof."""
    if not sp.proven:
        sol.proven = False
        sol.bound = bound
        sol.method += ", stopped by the time limit"
    return sol


def _ideal(sp: _Space, exclude: list[tuple[int, ...]]) -> tuple[np.ndarray, list[tuple[int, ...]]] | None:
    """Each party's best satisfaction among packages no party likes less than no deal, and the
    packages the solves found."""
    P = len(sp.table.parties)
    rows = [(sp.S[q], float(sp.d[q] - 1e-9), np.inf) for q in range(P)]
    ideal = np.zeros(P)
    found = []
    for p in range(P):
        res = sp.solve(sp.S[p], rows=rows, exclude=exclude)
        if res is None:
            return None
        ideal[p] = res[2]
        found.append(sp.decode(res[0]))
    return ideal, found


def kalai_smorodinsky(table: UtilityTable, exclude: list[tuple[int, ...]] = (),
                      time_limit: float | None = None) -> Solution:
    """The package with the largest equal share of each party's possible gain (discrete KS).

    Under a time limit that stops a solve, ``proven`` is False (the ideal point itself may then
    be underestimated, so no bound is given)."""
    empty = _empty(table, "kalai_smorodinsky")
    if empty:
        return empty
    sp = _Space(table, "duplicates" if exclude else "dominated", time_limit)
    P = len(table.parties)
    res = _ideal(sp, list(exclude))
    if res is None:
        return _none("kalai_smorodinsky", "no package leaves every party at least as well off as no deal",
                     sp.solves)
    ideal, found = res
    span = ideal - sp.d
    active = [p for p in range(P) if span[p] > 1e-9]
    ir = [(sp.S[q], float(sp.d[q] - 1e-9), np.inf) for q in range(P)]
    if not active:
        res = sp.solve(np.zeros(sp.n), rows=ir, exclude=exclude)
        assert res is not None
        return _finish(_solution(table, "kalai_smorodinsky", sp.decode(res[0]), 0.0, "milp", sp.solves), sp, None)
    # normalised gain_p = (S_p y − d_p) / span_p >= t, every party at least at no deal
    Z = np.vstack([sp.S[active] / span[active, None], sp.S])
    zb = np.concatenate([sp.d[active] / span[active], sp.d - 1e-9])
    lex = _lexmaxmin(sp, Z, zb, len(active), found, list(exclude))
    if lex is not None and lex.choice is not None:
        sp.solves += lex.solves
        norm = (table.satisfaction(lex.choice) - sp.d)[active] / span[active]
        return _finish(_solution(table, "kalai_smorodinsky", lex.choice, float(norm.min()),
                                 "enumeration with LP bounds, lexicographic", sp.solves), sp, None)
    # the enumeration kept too many partial packages: two MILPs instead
    rows = [sp.row(sp.S[p] / span[p], {0: -1.0}, 1, float(sp.d[p] / span[p]), np.inf) for p in active]
    rows += [sp.row(r[0], {}, 1, r[1], r[2]) for r in ir]
    first = sp.solve(np.zeros(sp.n), extra=1, c_extra=np.ones(1), rows=rows,
                     extra_bounds=(np.array([0.0]), np.array([1.0])), exclude=exclude)
    assert first is not None
    t = first[1]
    rows = [(sp.S[p] / span[p], float(sp.d[p] / span[p] + t - TOL), np.inf) for p in active] + ir
    second = sp.solve(sum(sp.S[p] / span[p] for p in active), rows=rows, exclude=exclude,
                      start=(sp.decode(first[0]), np.zeros(0)))
    assert second is not None
    choice = sp.decode(second[0])
    norm = (table.satisfaction(choice) - sp.d)[active] / span[active]
    return _finish(_solution(table, "kalai_smorodinsky", choice, float(norm.min()), "milp, P+2 solves",
                             sp.solves), sp, None)


def nash(table: UtilityTable, weights: dict[str, float] | None = None,
         exclude: list[tuple[int, ...]] = (), max_rounds: int = 500,
         time_limit: float | None = None) -> Solution:
    """The package maximising the (weighted) product of gains over no deal, exactly.

    Outer approximation of log by tangents (see the module docstring). ``objective`` is the
    weighted sum of log-gains of the package returned; under a time limit that stops the search,
    ``bound`` is an upper bound on it.
    """
    empty = _empty(table, "nash")
    if empty:
        return empty
    sp = _Space(table, "duplicates" if exclude else "dominated", time_limit)
    P = len(table.parties)
    w = np.array([(weights or {}).get(p, 1.0) for p in table.parties], dtype=float)
    if (w <= 0).any():
        raise RedlineError("Nash weights must be positive")
    gmax = sp.smax - sp.d
    stuck = [table.parties[p] for p in range(P) if gmax[p] < NASH_MIN_GAIN]
    if stuck:
        return _none("nash", "no package in the zone gives " + ", ".join(stuck)
                     + " more than no deal, so the product of gains is never positive")
    # tangent points per party: a geometric grid over the party's possible gains
    points = [list(np.geomspace(max(NASH_MIN_GAIN, gmax[p] * 1e-3), gmax[p], 6)) for p in range(P)]
    zlo = np.full(P, math.log(NASH_MIN_GAIN))
    zhi = np.log(gmax)
    base = [sp.row(sp.S[p], {}, P, float(sp.d[p] + NASH_MIN_GAIN), np.inf) for p in range(P)]
    best: tuple[float, tuple[int, ...]] | None = None
    for _ in range(max_rounds):
        rows = list(base)
        for p in range(P):
            for a in points[p]:
                # z_p <= log a − 1 + (S_p y − d_p)/a
                rows.append(sp.row(-sp.S[p] / a, {p: 1.0}, P, -np.inf, math.log(a) - 1.0 - sp.d[p] / a))
        start = None
        if best is not None:  # the best package so far, with z at its exact log-gains
            g = np.clip(table.satisfaction(best[1]) - sp.d, NASH_MIN_GAIN, None)
            start = (best[1], np.clip(np.log(g), zlo, zhi))
        res = sp.solve(np.zeros(sp.n), extra=P, c_extra=w, rows=rows, extra_bounds=(zlo, zhi),
                       exclude=exclude, start=start)
        if res is None:
            if best is None:
                return _none("nash", "no package in the zone gives every party more than no deal",
                             sp.solves)
            break
        x, _, bound = res
        choice = sp.decode(x)
        gains = table.satisfaction(choice) - sp.d
        value = float(w @ np.log(np.maximum(gains, 1e-300)))
        if best is None or value > best[0]:
            best = (value, choice)
        if bound <= best[0] + NASH_TOL * max(1.0, abs(best[0])) or not sp.proven:
            break
        for p in range(P):
            if all(abs(gains[p] - a) > 1e-12 for a in points[p]):
                points[p].append(float(gains[p]))
    else:
        raise SolverError(f"Nash outer approximation did not converge in {max_rounds} rounds")
    assert best is not None
    return _finish(_solution(table, "nash", best[1], best[0], "milp, outer approximation of log", sp.solves),
                   sp, bound)


SOLVERS = {"nash": nash, "maxmin": maxmin, "ks": kalai_smorodinsky}


def ranked(table: UtilityTable, solution: str, top: int, time_limit: float | None = None) -> list[Solution]:
    """The ``top`` best packages under one solution concept, best first (no-good cuts);
    ``time_limit`` applies to each of them."""
    solver = SOLVERS[solution]
    out: list[Solution] = []
    exclude: list[tuple[int, ...]] = []
    for _ in range(top):
        sol = solver(table, exclude=list(exclude), time_limit=time_limit)
        if not sol.found:
            if not out:
                out.append(sol)
            break
        out.append(sol)
        assert sol.choice is not None
        exclude.append(sol.choice)
    return out


def pareto_frontier(table: UtilityTable, limit: int = 50, time_limit: float | None = None) -> Frontier:
    """Pareto-optimal packages of the zone, one per distinct satisfaction vector, up to ``limit``
    (and until ``time_limit``: a point whose search it stopped is not listed)."""
    if conflicting_red_lines(table):
        return Frontier([], True, limit)
    sp = _Space(table, time_limit=time_limit)
    P = len(table.parties)
    span = sp.smax - sp.smin + 2 * TOL
    found: list[tuple[tuple[int, ...], np.ndarray]] = []
    while len(found) < limit:
        k = len(found)
        extra = k * P
        rows = []
        for j, (_, y) in enumerate(found):
            # not weakly dominated by y: some party p with b_jp = 1 has S_p > y_p + TOL
            rows.append(sp.row(np.zeros(sp.n), {j * P + p: 1.0 for p in range(P)}, extra, 1.0, np.inf))
            for p in range(P):
                rows.append(sp.row(sp.S[p], {j * P + p: -span[p]}, extra,
                                   float(y[p] + TOL - span[p]), np.inf))
        res = sp.solve(sp.S.sum(axis=0), extra=extra, rows=rows,
                       extra_bounds=(np.zeros(extra), np.ones(extra)), extra_integer=np.ones(extra))
        if res is None or not sp.proven:
            return Frontier([_solution(table, "pareto", c, float(s.sum()), "milp", 0) for c, s in found],
                            res is None, limit)
        choice = sp.decode(res[0])
        found.append((choice, table.satisfaction(choice)))
    complete = False
    return Frontier([_solution(table, "pareto", c, float(s.sum()), "milp", 0) for c, s in found],
                    complete, limit)


def _plan_distance_rows(table: UtilityTable, sp: _Space, terms: dict[str, str]) -> np.ndarray:
    dist = np.zeros(sp.n)
    for k, (i, o) in enumerate(sp.cols):
        issue = table.issues[i]
        if issue in terms:
            n = len(table.options[i])
            dist[k] = abs(o - table.options[i].index(terms[issue])) / (n - 1)
    return dist


def closest_package(table: UtilityTable, terms: dict[str, str], name: str = "closest",
                    time_limit: float | None = None) -> Solution:
    """The acceptable package nearest to a plan's terms.

    Distance: per issue the plan settles, the number of steps between the chosen and the plan's
    option on the issue's ordered scale, divided by (options − 1); issues the plan leaves open
    cost nothing. Ties go to the larger least gain over no deal, then the larger total gain.
    ``objective`` is the distance.
    """
    empty = _empty(table, name)
    if empty:
        return empty
    sp = _Space(table, reduce=None, time_limit=time_limit)
    P = len(table.parties)
    dist = _plan_distance_rows(table, sp, terms)
    first = sp.solve(-dist)
    assert first is not None
    dstar = -first[1]
    lo, hi = float((sp.smin - sp.d).min()) - 1.0, float((sp.smax - sp.d).max()) + 1.0
    rows = [sp.row(dist, {}, 1, -np.inf, dstar + TOL)]
    rows += [sp.row(sp.S[p], {0: -1.0}, 1, float(sp.d[p]), np.inf) for p in range(P)]
    second = sp.solve(np.zeros(sp.n), extra=1, c_extra=np.ones(1), rows=rows,
                      extra_bounds=(np.array([lo]), np.array([hi])))
    assert second is not None
    t = second[1]
    rows = [(dist, -np.inf, dstar + TOL)] + [(sp.S[p], float(sp.d[p] + t - TOL), np.inf) for p in range(P)]
    third = sp.solve(sp.S.sum(axis=0), rows=rows)
    assert third is not None
    choice = sp.decode(third[0])
    d = float(sum(dist[k] for k, (i, o) in enumerate(sp.cols) if choice[i] == o))
    return _finish(_solution(table, name, choice, d, "milp, three stages", sp.solves), sp, None)


def uniform_gain(table: UtilityTable, reference: np.ndarray,
                 time_limit: float | None = None) -> Gains | None:
    """(largest gain every party can have at once, largest total gain with nobody worse off)
    over a reference satisfaction vector, within the zone; None if the zone is empty. Under a
    time limit that stops a solve, both are what was found (lower bounds)."""
    if conflicting_red_lines(table):
        return None
    sp = _Space(table, time_limit=time_limit)
    P = len(table.parties)
    lo, hi = float((sp.smin - reference).min()) - 1.0, float((sp.smax - reference).max()) + 1.0
    rows = [sp.row(sp.S[p], {0: -1.0}, 1, float(reference[p]), np.inf) for p in range(P)]
    first = sp.solve(np.zeros(sp.n), extra=1, c_extra=np.ones(1), rows=rows,
                     extra_bounds=(np.array([lo]), np.array([hi])))
    assert first is not None
    best_uniform = float((table.satisfaction(sp.decode(first[0])) - reference).min())
    rows = [(sp.S[p], float(reference[p] - 1e-9), np.inf) for p in range(P)]
    second = sp.solve(sp.S.sum(axis=0), rows=rows)
    pareto = 0.0 if second is None else max(0.0, float((table.satisfaction(sp.decode(second[0])) - reference).sum()))
    return Gains(best_uniform, pareto, sp.proven)


def plan_terms(table: UtilityTable, plan: Plan) -> dict[str, str]:
    """The plan's option on each issue of the table that can take it (not on issues left open,
    nor on a question whose terms the plan leaves partly open or takes in a combination that
    cannot hold). Only settled points count: deferred, conditional and refused ones do not."""
    from redline.bargain.questions import plan_option

    settled = {issue: prov.option for issue, prov in plan.terms().items()
               if prov.option is not None and prov.form == "term" and not prov.deferred}
    out = {issue: option for issue, option in settled.items()
           if issue in table.issues and option in table.options[table.issues.index(issue)]}
    for c in table.compounds:
        option = plan_option(c, settled)
        if option is not None and c.id in table.issues and option in table.options[table.issues.index(c.id)]:
            out[c.id] = option
    return out


def plan_fit(table: UtilityTable, plan: Plan, zone: UtilityTable | None = None,
             time_limit: float | None = None) -> PlanFit:
    """Where a plan stands: red lines it crosses, satisfaction (issues it leaves open stay at no
    deal), its distance from the Pareto frontier and the closest package no party rules out.

    ``zone`` is the table whose packages the plan is compared with (by default ``table``; with an
    empty zone, the table with the conflicting issues left open); both share satisfaction units.
    """
    zone = zone or table
    terms = plan_terms(table, plan)
    s = table.partial_satisfaction(terms)
    gains = uniform_gain(zone, s, time_limit)
    closest = closest_package(zone, plan_terms(zone, plan), name=f"closest to {plan.id}", time_limit=time_limit)
    changes = None
    if closest.found:
        assert closest.package is not None
        changes = sum(1 for issue, option in terms.items() if closest.package[issue] != option)
    return PlanFit(plan.id, terms, red_lines_crossed(table, terms),
                   {p: float(v) for p, v in zip(table.parties, s)},
                   None if gains is None else gains.uniform, None if gains is None else gains.pareto,
                   closest if closest.found else None, changes,
                   proven=(gains is None or gains.proven) and closest.proven)


def enumerate_zone(table: UtilityTable, cap: int = 1_000_000) -> tuple[np.ndarray, np.ndarray]:
    """All packages of the zone and their satisfaction vectors (for checks on small tables)."""
    allowed = [np.flatnonzero(table.allowed(i)) for i in range(len(table.issues))]
    size = math.prod(len(a) for a in allowed)
    if size > cap:
        raise RedlineError(f"the zone has {size:,} packages, over the enumeration cap of {cap:,}")
    choices = np.array(list(itertools.product(*allowed)), dtype=int).reshape(size, len(allowed))
    sat = np.zeros((size, len(table.parties)))
    for i in range(len(allowed)):
        sat += table.coef(i)[:, choices[:, i]].T
    return choices, sat
