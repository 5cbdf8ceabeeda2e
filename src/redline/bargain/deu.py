"""DEU III (Decision-making in the European Union) and the backtest of every forecast model.

The file is the team's tab-separated copy described in ../shared/data/README.md: a header, an
optional row of actor GDPs (no issue id), then one row per issue with ``p<actor>`` positions and
``s<actor>`` saliences (0–100), the reference point ``rp`` and the outcome ``out``.

Reading rules (each skip is counted and reported):
* a value that is empty, not a number, or outside 0–100 is missing;
* an actor takes part in an issue only with both a position and a salience;
* an issue is scorable when it has an outcome and at least ``min_actors`` (3) actors;
* a GDP that is not within ``CAPABILITY_RANGE`` is missing;
* an issue with more than ``eum.MAX_ACTORS`` actors is an error (the EUM's cost is cubic in them), as is
  a cell too long for the csv module;
* with a capability scheme that does not cover an actor (e.g. no GDP), that actor is left out.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from redline.bargain.eum import EUMParams, check_actors, expected_utility_model
from redline.bargain.forecast import (CAPABILITY_RANGE, Actor, compromise, csv_rows, nash_bargaining,
                                      weighted_median)
from redline.errors import DataError
from redline.yamlio import read_text

# Council votes under the Nice Treaty weighting (2004–2014, EU-28 figures). The Commission and
# the Parliament have no Council votes; they get 29, the largest member states' weight.
COUNCIL_VOTES = {
    "de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13, "be": 12,
    "cz": 12, "el": 12, "hu": 12, "pt": 12, "at": 10, "bu": 10, "se": 10, "dk": 7, "ie": 7,
    "lt": 7, "sk": 7, "fi": 7, "cr": 7, "cy": 4, "ee": 4, "lv": 4, "lu": 4, "si": 4, "mt": 3,
    "com": 29, "ep": 29,
}
CAPABILITY_SCHEMES = ("equal", "gdp", "votes")
_NOT_ACTORS = {"prnrnmc", "prnr", "prname", "proc", "proccde"}


@dataclass
class DeuIssue:
    id: str
    proposal: str
    name: str
    procedure: str
    voting: str
    positions: dict[str, float]
    saliences: dict[str, float]
    reference: float | None
    outcome: float | None

    def actors(self, capability: dict[str, float] | None = None) -> list[Actor]:
        """Actors with a position and salience; with ``capability``, only those it covers."""
        out = []
        for code, x in self.positions.items():
            if code not in self.saliences:
                continue
            cap = 1.0 if capability is None else capability.get(code)
            if cap is None:
                continue
            out.append(Actor(code, x, self.saliences[code], cap))
        return out


@dataclass
class DeuData:
    path: str
    actors: list[str]
    issues: list[DeuIssue]
    gdp: dict[str, float]
    skipped: Counter = field(default_factory=Counter)
    min_actors: int = 3

    def capability(self, scheme: str) -> dict[str, float] | None:
        """Capability per actor code; None = equal. Actors a scheme does not cover are left out
        (without the GDP row, every actor: the GDP-weighted model then scores no issue)."""
        if scheme == "equal":
            return None
        if scheme == "gdp":
            return self.gdp
        if scheme == "votes":
            return dict(COUNCIL_VOTES)
        raise DataError(f"unknown capability scheme {scheme!r}", fix=f"use one of {CAPABILITY_SCHEMES}")


def _number(value: str) -> float | None:
    value = value.strip().strip('"')
    if not value:
        return None
    try:
        x = float(value)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def load_deu(path: str | Path, min_actors: int = 3) -> DeuData:
    """Read DEU III; every issue is kept, with the reasons it cannot be scored counted in ``skipped``."""
    path = Path(path)
    text = read_text(path, max_bytes=50 * 1024 * 1024)
    rows = csv_rows(text, path, delimiter="\t")
    first = next(rows, None)
    if first is None:
        raise DataError("empty file", file=path, fix="give the DEU III tab-separated file")
    header = [h.strip().strip('"') for h in first[1]]
    actors = [h[1:] for h in header if h.startswith("p") and h not in _NOT_ACTORS and "s" + h[1:] in header]
    missing = [c for c in ("isnr", "out") if c not in header]
    if missing or len(actors) < 2:
        need = missing + ([] if len(actors) >= 2 else ["p<actor>/s<actor> pairs for at least two actors"])
        raise DataError(f"missing column(s): {', '.join(need)}", file=path, line=1,
                        fix="give the DEU III file: a header with isnr, out, rp and p<actor>/s<actor> columns")
    col = {h: k for k, h in enumerate(header)}
    data = DeuData(str(path), actors, [], {}, Counter(), min_actors)

    def cell(row: list[str], name: str) -> str:
        k = col.get(name)
        return row[k] if k is not None and k < len(row) else ""

    for line, row in rows:
        if not any(v.strip() for v in row):
            continue
        issue_id = cell(row, "isnr").strip().strip('"')
        if not issue_id:
            # the GDP row: positions columns hold each actor's GDP
            gdp = {a: _number(cell(row, "p" + a)) for a in actors}
            lo, hi = CAPABILITY_RANGE
            data.gdp = {a: v for a, v in gdp.items() if v is not None and lo <= v <= hi}
            bad = sum(v is not None and v != 0 for v in gdp.values()) - len(data.gdp)
            if bad:
                data.skipped[f"GDP outside {lo:g}–{hi:g} (treated as missing)"] += bad
            continue
        positions, saliences = {}, {}
        for a in actors:
            raw_x, raw_s = cell(row, "p" + a), cell(row, "s" + a)
            x, s = _number(raw_x), _number(raw_s)
            if x is not None and not 0 <= x <= 100:
                data.skipped["position outside 0–100 (treated as missing)"] += 1
                x = None
            if s is not None and not 0 <= s <= 100:
                data.skipped["salience outside 0–100 (treated as missing)"] += 1
                s = None
            if x is not None:
                positions[a] = x
            if s is not None:
                saliences[a] = s
        check_actors(len(positions.keys() & saliences.keys()), f"issue {issue_id}", file=str(path), line=line)
        ref, out = _number(cell(row, "rp")), _number(cell(row, "out"))
        for name, value in (("reference point", ref), ("outcome", out)):
            if value is not None and not 0 <= value <= 100:
                data.skipped[f"{name} outside 0–100 (treated as missing)"] += 1
        ref = ref if ref is not None and 0 <= ref <= 100 else None
        out = out if out is not None and 0 <= out <= 100 else None
        data.issues.append(DeuIssue(issue_id, cell(row, "prnr").strip('"'), cell(row, "prname").strip('"'),
                                    cell(row, "proc").strip('"'), cell(row, "counvte").strip('"'),
                                    positions, saliences, ref, out))
    if not data.issues:
        raise DataError("no issue rows", file=path, fix="give the DEU III file with one row per issue")
    return data


# -- models ---------------------------------------------------------------------------------

Predictor = Callable[[DeuIssue, DeuData], "float | None"]


def _with(capability: str, fn: Callable[[list[Actor], DeuIssue], float | None]) -> Predictor:
    def run(issue: DeuIssue, data: DeuData) -> float | None:
        actors = issue.actors(data.capability(capability))
        if len(actors) < data.min_actors:
            return None
        return fn(actors, issue)
    return run


def _unweighted(fn: Callable[[list[Actor]], float]) -> Callable[[list[Actor], DeuIssue], float]:
    return lambda actors, _: fn([Actor(a.name, a.position, 1.0, 1.0) for a in actors])


def _eum(params: EUMParams, cache: dict) -> Callable[[list[Actor], DeuIssue], float | None]:
    """EUM prediction; runs that differ only in ``predict`` share one simulation (``cache``)."""
    run_params = params.model_copy(update={"predict": "median"})

    def run(actors: list[Actor], issue: DeuIssue) -> float | None:
        if not any(a.capability > 0 and a.salience > 0 for a in actors):
            return None
        key = (issue.id, tuple(a.capability for a in actors), run_params)
        if key not in cache:
            cache[key] = expected_utility_model(actors, run_params, detail=False).rounds[-1]
        last = cache[key]
        return last.median if params.predict == "median" else last.mean
    return run


def _position_of(code: str) -> Predictor:
    """One actor's own position as the forecast (salience not needed)."""
    return lambda issue, _data: issue.positions.get(code)


def _reference(issue: DeuIssue, _data: DeuData) -> float | None:
    return issue.reference


def _nash_rp(loss: str) -> Callable[[list[Actor], DeuIssue], float | None]:
    def run(actors: list[Actor], issue: DeuIssue) -> float | None:
        if issue.reference is None:
            return None
        return nash_bargaining(actors, reference=issue.reference, loss=loss)  # type: ignore[arg-type]
    return run


def _safe(fn: Callable[[list[Actor]], float]) -> Callable[[list[Actor], DeuIssue], float | None]:
    """Weighted models are undefined when every weight is 0 (all saliences 0): skip, counted."""
    def run(actors: list[Actor], _issue: DeuIssue) -> float | None:
        if not any(a.capability > 0 and a.salience > 0 for a in actors):
            return None
        return fn(actors)
    return run


BASELINE = "compromise (salience-weighted mean)"


def default_models(eum: EUMParams | None = None) -> dict[str, Predictor]:
    """The models the backtest scores, by display name (the baseline first)."""
    eum = eum or EUMParams()
    runs: dict = {}
    return {
        BASELINE: _with("equal", _safe(compromise)),
        "compromise (GDP × salience)": _with("gdp", _safe(compromise)),
        "compromise (Council votes × salience)": _with("votes", _safe(compromise)),
        "mean of positions (unweighted)": _with("equal", _unweighted(compromise)),
        "median of positions (unweighted)": _with("equal", _unweighted(weighted_median)),
        "weighted median (salience)": _with("equal", _safe(weighted_median)),
        "Nash, quadratic, reference point": _with("equal", _nash_rp("quadratic")),
        "Nash, linear, reference point": _with("equal", _nash_rp("linear")),
        "Nash, quadratic, worst-case disagreement": _with("equal", _safe(nash_bargaining)),
        "EUM median (Scholz replication)": _with("equal", _eum(eum.model_copy(update={"predict": "median"}), runs)),
        "EUM mean (Scholz replication)": _with("equal", _eum(eum.model_copy(update={"predict": "mean"}), runs)),
        "EUM median (text reading of offers)": _with("equal", _eum(
            eum.model_copy(update={"offer": "by_type", "predict": "median"}), runs)),
        "EUM median (Council votes)": _with("votes", _eum(eum.model_copy(update={"predict": "median"}), runs)),
        "Commission position": _position_of("com"),
        "Parliament position": _position_of("ep"),
        "reference point (status quo)": _reference,
    }


@dataclass
class ModelScore:
    model: str
    n: int
    mae: float
    median_ae: float
    within_10: float
    delta: float | None          # mean(|err| − |baseline err|) on the issues both scored
    delta_ci: tuple[float, float] | None
    n_paired: int


@dataclass
class BacktestResult:
    path: str
    issues: int
    scorable: int
    skipped: dict[str, int]
    baseline: str
    scores: list[ModelScore]
    errors: dict[str, dict[str, float]] = field(default_factory=dict)


def scorable_issues(data: DeuData) -> tuple[list[DeuIssue], Counter]:
    skipped: Counter = Counter(data.skipped)
    out = []
    for issue in data.issues:
        if issue.outcome is None:
            skipped["issue without an outcome"] += 1
        elif len(issue.actors()) < data.min_actors:
            skipped[f"issue with fewer than {data.min_actors} actors with position and salience"] += 1
        else:
            out.append(issue)
    return out, skipped


def backtest(data: DeuData, models: dict[str, Predictor] | None = None,
             baseline: str = BASELINE) -> BacktestResult:
    """Mean absolute error of each model against the recorded outcomes, on every scorable issue.

    A model that cannot predict an issue (no reference point, an actor it cannot weigh) skips
    it; its ``n`` says on how many issues it was scored. ``delta`` compares it with the
    baseline on exactly the issues both scored (negative = better than the baseline), with a
    95% normal-approximation interval.
    """
    models = models or default_models()
    if baseline not in models:
        raise DataError(f"baseline {baseline!r} is not among the models")
    issues, skipped = scorable_issues(data)
    if not issues:
        raise DataError("no scorable issue (an outcome and at least "
                        f"{data.min_actors} actors with position and salience)", file=data.path)
    errors: dict[str, dict[str, float]] = {}
    for name, predict in models.items():
        errs = {}
        for issue in issues:
            value = predict(issue, data)
            if value is not None:
                assert issue.outcome is not None
                errs[issue.id] = abs(value - issue.outcome)
        errors[name] = errs
    base = errors[baseline]
    scores = []
    for name, errs in errors.items():
        if not errs:
            scores.append(ModelScore(name, 0, math.nan, math.nan, math.nan, None, None, 0))
            continue
        e = np.array(list(errs.values()))
        paired = [errs[k] - base[k] for k in errs if k in base]
        delta = ci = None
        if paired and name != baseline:
            d = np.array(paired)
            delta = float(d.mean())
            half = 1.96 * float(d.std(ddof=1)) / math.sqrt(len(d)) if len(d) > 1 else math.nan
            ci = (delta - half, delta + half)
        scores.append(ModelScore(name, len(e), float(e.mean()), float(np.median(e)),
                                 float((e <= 10).mean()), delta, ci, len(paired)))
    return BacktestResult(data.path, len(data.issues), len(issues), dict(skipped), baseline, scores, errors)
