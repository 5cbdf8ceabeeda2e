"""Single-issue forecasts from (position, salience, capability) per actor.

Models: the compromise model (capability × salience weighted mean; Achen 2006), the weighted
median (the Condorcet winner on a line), the one-dimensional Nash bargaining solution, and the
Expected Utility Model of Bueno de Mesquita as specified by Scholz, Calbert & Smith (2011) in
``eum.py``. Positions are on any numeric scale (0–100 in the CLI and DEU); salience is 0–100.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from scipy.optimize import minimize_scalar

from redline.bargain.eum import EUMParams, EUMResult, check_actors, expected_utility_model, scaled_weights
from redline.errors import DataError
from redline.yamlio import read_text


@dataclass(frozen=True)
class Actor:
    name: str
    position: float
    salience: float      # 0–100
    capability: float    # any non-negative scale; only ratios matter


CAPABILITY_RANGE = (1e-9, 1e15)
"""A capability is 0 or within this range. Only ratios matter, so any real measure fits after a change
of unit (GDP in dollars is about 1e13); the range keeps hostile values such as 1e308 or 5e-324 out, and
``scaled_weights`` keeps every accepted value finite and non-zero inside the models."""


def _arrays(actors: list[Actor]) -> tuple[np.ndarray, np.ndarray]:
    """Positions and capability × salience weights (scaled by a power of two: see ``scaled_weights``)."""
    x = np.array([a.position for a in actors], dtype=float)
    w = scaled_weights([a.capability for a in actors], [a.salience for a in actors])
    return x, w


def compromise(actors: list[Actor]) -> float:
    """Capability × salience weighted mean of positions (the baseline every model must beat)."""
    x, w = _arrays(actors)
    if w.sum() <= 0:
        raise DataError("no actor has both capability and salience above 0, so no weighted mean")
    return float(w @ x / w.sum())


def weighted_median(actors: list[Actor], weights: np.ndarray | None = None) -> float:
    """Capability × salience weighted median; where the weight splits exactly in half between two
    positions, their midpoint (so equal weights give the ordinary median)."""
    x, w = _arrays(actors)
    if weights is not None:
        w = np.asarray(weights, dtype=float)
    if w.sum() <= 0:
        raise DataError("no actor has both capability and salience above 0, so no weighted median")
    order = np.argsort(x, kind="stable")
    xs, cum = x[order], np.cumsum(w[order])
    half = w.sum() / 2
    # rounding can leave cum[-1] a hair below the tolerance: never index past the last position
    k = min(int(np.searchsorted(cum, half - 1e-12 * w.sum())), len(xs) - 1)
    if math.isclose(cum[k], half, rel_tol=1e-12, abs_tol=1e-12) and k + 1 < len(xs):
        nxt = k + 1
        while nxt + 1 < len(xs) and w[order][nxt] == 0:
            nxt += 1
        return float((xs[k] + xs[nxt]) / 2)
    return float(xs[k])


def nash_bargaining(actors: list[Actor], reference: float | None = None,
                    loss: Literal["quadratic", "linear"] = "quadratic",
                    scale: tuple[float, float] = (0.0, 100.0)) -> float:
    """One-dimensional asymmetric Nash bargaining solution.

    Maximises sum_i c_i s_i log(u_i(x) − u_i(d)) with u_i(x) = −|x − x_i|^k (k = 2 quadratic,
    1 linear). The disagreement point d is the reference point when given; without one, each
    actor's worst outcome on the scale (its farthest end), so every gain is positive.
    The objective is concave on the interval where all gains are positive, so a bounded scalar
    search finds the optimum; when that interval is empty (an actor sits on the reference
    point and cannot gain), the answer is the reference point itself.
    """
    x, w = _arrays(actors)
    keep = w > 0
    x, w = x[keep], w[keep]
    if not len(x):
        raise DataError("no actor has both capability and salience above 0, so no Nash solution")
    k = 2.0 if loss == "quadratic" else 1.0
    lo_end, hi_end = scale
    if reference is None:
        dis = np.maximum(np.abs(x - lo_end), np.abs(hi_end - x)) ** k
        lo, hi = lo_end, hi_end
    else:
        r = np.abs(reference - x)
        dis = r ** k
        lo, hi = float((x - r).max()), float((x + r).min())
        lo, hi = max(lo, lo_end), min(hi, hi_end)
        if hi - lo <= 1e-9:
            return float(reference)

    def negative(v: float) -> float:
        gain = dis - np.abs(v - x) ** k
        if (gain <= 0).any():
            return math.inf
        return -float(w @ np.log(gain))

    eps = (hi - lo) * 1e-9
    res = minimize_scalar(negative, bounds=(lo + eps, hi - eps), method="bounded",
                          options={"xatol": 1e-7 * max(1.0, hi - lo)})
    return float(res.x)


@dataclass
class IssueForecast:
    issue: str
    actors: int
    predictions: dict[str, float]
    eum: EUMResult | None = None
    notes: list[str] = field(default_factory=list)


def forecast_issue(issue: str, actors: list[Actor], reference: float | None = None,
                   eum: EUMParams | None = None) -> IssueForecast:
    """Every model's prediction for one issue (Nash with the reference point only if one is given)."""
    if len(actors) < 2:
        raise DataError(f"issue {issue} has {len(actors)} actor(s); a forecast needs at least two")
    preds = {
        "compromise": compromise(actors),
        "weighted_median": weighted_median(actors),
        "nash": nash_bargaining(actors, reference=reference),
    }
    result = expected_utility_model(actors, eum or EUMParams())
    preds["eum"] = result.prediction
    notes = [] if reference is not None else ["no reference point: Nash uses each actor's worst outcome"]
    return IssueForecast(issue, len(actors), preds, result, notes)


REQUIRED_COLUMNS = ("issue", "actor", "position", "salience", "capability")


@dataclass
class ForecastInput:
    issue: str
    actors: list[Actor]
    reference: float | None


def csv_rows(text: str, path: Path, delimiter: str = ","):
    """Yield ``(line, cells)`` for each record of a CSV/TSV text, ``line`` being where it starts.

    Lines end only at \\n, \\r or \\r\\n (not at \\x0b, \\x0c or U+2028 as ``str.splitlines`` would),
    and a quoted cell that spans lines moves the count on, so every error points at the right line. A
    cell over the csv module's limit, or any other CSV error, is a DataError with the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise DataError(f"cell too long (over {csv.field_size_limit():,} characters)", file=path,
                                line=line, fix="shorten the cell, or close the quote that an earlier cell "
                                "opened") from None
            raise DataError(f"not valid CSV ({exc})", file=path, line=line,
                            fix="check the quoting of this record") from None
        yield line, cells


def load_forecast_csv(path: str | Path) -> tuple[list[ForecastInput], dict[str, int]]:
    """Read ``issue,actor,position,salience,capability[,reference]`` rows (comma-separated).

    Errors (with the line): a missing column; a position, salience or reference that is not a
    number in 0–100; a capability that is not 0 or within ``CAPABILITY_RANGE``; an actor twice on one
    issue; two reference points for one issue; more than ``MAX_ACTORS`` actors on one issue (the EUM's
    cost is cubic in them); a cell too long for the csv module. Skips (counted): a row with an empty
    capability; an issue left with fewer than two actors.
    """
    path = Path(path)
    text = read_text(path, max_bytes=20 * 1024 * 1024)
    records = csv_rows(text, path)
    first = next(records, None)
    header = [h.strip() for h in (first[1] if first else [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DataError(f"missing column(s): {', '.join(missing)}", file=path, line=first[0] if first else 1,
                        fix="the header must name " + ",".join(REQUIRED_COLUMNS) + " (and optionally reference)")
    skipped: Counter = Counter()
    order: list[str] = []
    actors: dict[str, list[Actor]] = {}
    refs: dict[str, float | None] = {}

    def number(row: dict, key: str, line: int, lo: float | None, hi: float | None,
               required: bool = True) -> float | None:
        raw = (row.get(key) or "").strip()
        if not raw:
            if required:
                raise DataError(f"empty {key}", file=path, line=line, fix=f"give the {key} as a number")
            return None
        try:
            value = float(raw)
        except ValueError:
            raise DataError(f"{key} {raw!r} is not a number", file=path, line=line,
                            fix=f"give the {key} as a number") from None
        if not math.isfinite(value) or (lo is not None and value < lo) or (hi is not None and value > hi):
            span = f"{lo:g}–{hi:g}" if hi is not None else f"at least {lo:g}"
            raise DataError(f"{key} {raw} is outside {span}", file=path, line=line,
                            fix=f"use the 0–100 scale for {key}" if hi is not None else "use a non-negative number")
        return value

    for line, cells in records:
        row = dict(zip(header, cells))
        issue = (row.get("issue") or "").strip()
        actor = (row.get("actor") or "").strip()
        if not issue and not actor and not any(v.strip() for v in cells):
            continue
        if not issue or not actor:
            raise DataError("empty issue or actor", file=path, line=line, fix="name the issue and the actor on every row")
        position = number(row, "position", line, 0.0, 100.0)
        salience = number(row, "salience", line, 0.0, 100.0)
        capability = number(row, "capability", line, 0.0, None, required=False)
        if capability and not CAPABILITY_RANGE[0] <= capability <= CAPABILITY_RANGE[1]:
            lo, hi = CAPABILITY_RANGE
            raise DataError(f"capability {row['capability'].strip()} is outside 0 and {lo:g}–{hi:g}", file=path,
                            line=line, fix=f"give a capability of 0 or between {lo:g} and {hi:g}; only ratios "
                            "matter, so change the unit, e.g. billions instead of units")
        reference = number(row, "reference", line, 0.0, 100.0, required=False) if "reference" in header else None
        if issue not in actors:
            order.append(issue)
            actors[issue] = []
            refs[issue] = None
        if reference is not None:
            if refs[issue] is not None and refs[issue] != reference:
                raise DataError(f"issue {issue} has two reference points ({refs[issue]:g}, {reference:g})",
                                file=path, line=line, fix="give one reference point per issue")
            refs[issue] = reference
        if capability is None:
            skipped["actor row without capability"] += 1
            continue
        if any(a.name == actor for a in actors[issue]):
            raise DataError(f"actor {actor} appears twice on issue {issue}", file=path, line=line,
                            fix="one row per actor and issue")
        assert position is not None and salience is not None
        actors[issue].append(Actor(actor, position, salience, capability))
        check_actors(len(actors[issue]), f"issue {issue}", file=str(path), line=line)
    out = []
    for issue in order:
        group = actors[issue]
        if len(group) < 2:
            skipped["issue with fewer than two actors"] += 1
        elif not any(a.capability > 0 and a.salience > 0 for a in group):
            skipped["issue where no actor has capability × salience above 0"] += 1
        else:
            out.append(ForecastInput(issue, group, refs[issue]))
    if not out:
        raise DataError("no issue to forecast" + (f" ({dict(skipped)})" if skipped else ""), file=path,
                        fix="give at least two actors with capability per issue")
    return out, dict(skipped)
