"""Bueno de Mesquita's Expected Utility Model ("challenge" model), clean-room from Scholz,
Calbert & Smith (2011), Appendix steps 1–13 (equation numbers below are theirs).

Each round: the weighted median (Condorcet winner among actor positions, step 3); basic
utilities (eqs. 15, 16, 22–24); the probability that i beats j from third-party support
(eqs. 30–31); the expected utility of i challenging j (eqs. 5–7); risk exponents from each actor's
security (eqs. 32–34; first pass with r = 1, second pass with the estimated r); then every actor
takes one of the offers made to it (octants of fig. 6) and all move at once.

The paper leaves several choices open; each is a field of ``EUMParams`` (see docs/bargain.md):
the status-quo probability Q, the range R, the probability denominator, whose EU enters the
security sum, from whose viewpoint an actor judges a dyad, what a conflict does, whether
compel/capitulate moves happen, how an actor picks among offers, when to stop, and whether to
predict with the final median or mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from redline.errors import DataError

if TYPE_CHECKING:
    from redline.bargain.forecast import Actor


class EUMParams(BaseModel):
    """The model's open choices. Defaults reproduce Scholz et al.'s Table 2 (see the tests)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: float = Field(1.0, ge=0.0, le=1.0)
    """Probability the target does not move if not challenged (Scholz: 1.0; BDM elsewhere 0.5)."""
    range: Literal["dynamic", "initial", "fixed"] = "dynamic"
    """R: the current spread of positions, the spread at round 0, or ``fixed_range``."""
    fixed_range: float = Field(100.0, gt=0)
    probability: Literal["pairwise", "all_votes"] = "all_votes"
    """Denominator of P^i: eq. 31's pairwise sum (P^i + P^j = 1), or the sum of all votes over
    every pair of actors, as in Scholz's own code."""
    vote_risk: bool = True
    """Third-party votes in P^i use each voter's risk-adjusted utility ((|x_k − x|/R)^r_k, as
    in Scholz's code) rather than plain distance (eq. 31 as printed)."""
    security: Literal["challenger", "responder"] = "challenger"
    """Sec_i = sum_j E^j(U_ji) (what others expect from challenging i, the text), or
    sum_j of i's own expected utility when j challenges it (the appendix's superscript)."""
    viewpoint: Literal["own", "each"] = "own"
    """An actor judges a dyad with its own risk exponent for both sides, or each side's EU uses
    that side's exponent."""
    conflict: Literal["lower_moves", "no_move"] = "lower_moves"
    """When both expect to win: the one with the lower EU moves fully, or nobody moves."""
    compel: bool = False
    """Whether compel/capitulate (the weaker side's loss outweighs the stronger's gain) moves
    the weaker side fully. Scholz's replication code never fires it."""
    offer: Literal["least_move", "most_enforceable", "by_type", "scholz_code"] = "scholz_code"
    """Which offer an actor accepts: the one that moves it least, the one whose proposer expects
    most, by type (conflict, then compromise, then compel; least move within a type, the text of
    §6.2), or as Scholz's code does it (by type, but among compromises the one with the lowest
    EU-weighted position, which favours the low end of the scale)."""
    rounds: int = Field(8, ge=1, le=200)
    stop: Literal["fixed", "converge"] = "fixed"
    epsilon: float = Field(0.5, ge=0.0)
    patience: int = Field(2, ge=1)
    max_rounds: int = Field(20, ge=1, le=200)
    predict: Literal["median", "mean"] = "median"
    risk: bool = True
    """Estimate risk exponents (steps 8–10); off keeps r = 1."""


@dataclass
class Move:
    actor: str
    towards: str
    kind: Literal["conflict", "compromise", "compel"]
    before: float
    after: float


@dataclass
class EUMRound:
    round: int
    median: float
    mean: float
    positions: dict[str, float]
    risk: dict[str, float]
    challenges: list[tuple[str, str]]
    moves: list[Move]


@dataclass
class EUMResult:
    prediction: float
    rounds: list[EUMRound] = field(default_factory=list)
    stopped: str = ""

    @property
    def medians(self) -> list[float]:
        return [r.median for r in self.rounds[1:]]

    @property
    def means(self) -> list[float]:
        return [r.mean for r in self.rounds[1:]]


def condorcet_median(x: np.ndarray, w: np.ndarray) -> float:
    """The actor position that beats every other in pairwise votes (step 3): the candidate that
    minimises the weighted sum of distances. Ties go to the candidate nearest the weighted mean."""
    cost = np.abs(x[None, :] - x[:, None]) @ w
    best = np.flatnonzero(cost <= cost.min() + 1e-12 * max(1.0, abs(cost.min())))
    mean = float(w @ x / w.sum())
    return float(min(x[best], key=lambda v: (abs(v - mean), v)))


MAX_ACTORS = 200
"""Most actors the EUM takes on one issue. Its work grows with the cube of the number of actors
(every voter weighs every pair), so 200 takes seconds and 1,000 would take many minutes; the loaders
refuse more with the file and line, so a hostile input fails fast instead of running for hours."""

_BLOCK = 1 << 21
"""Elements per temporary [i, j, k] block in ``_probabilities``: memory stays O(n²) (≤ 16 MB per
block) however many actors there are. Below the block size the sums are taken in one piece, as before."""


def check_actors(n: int, what: str = "one issue", *, file: str | None = None, line: int | None = None) -> None:
    """Refuse more than ``MAX_ACTORS`` actors (a DataError, so the CLI prints it with its fix)."""
    if n > MAX_ACTORS:
        raise DataError(f"{what} has {n} actors, more than the {MAX_ACTORS} per issue the EUM takes "
                        "(its cost grows with the cube of the number of actors)", file=file, line=line,
                        fix=f"merge minor actors or split the issue so that each has at most {MAX_ACTORS}")


def scaled_weights(capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """capability × salience per actor, scaled by a power of two so that the largest is in [1/4, 1).

    Every model uses the weights only as ratios. Multiplying by a power of two changes no ratio and
    no rounding, so the results are those of the plain product. The difference is that no finite input
    can overflow to inf (1e308 × 100) or underflow every weight to 0 (5e-324 × 0.01): each
    product is formed from mantissas in [1/2, 1) and the exponents are added separately."""
    mc, ec = np.frexp(np.asarray(capability, dtype=float))
    ms, es = np.frexp(np.asarray(salience, dtype=float))
    m, e = mc * ms, ec + es
    if not (m > 0).any():
        return np.zeros_like(m)
    return np.ldexp(m, e - e[m > 0].max())


def _probabilities(x: np.ndarray, w: np.ndarray, mode: str, R: float = 1.0,
                   r: np.ndarray | None = None) -> np.ndarray:
    """P[i, j]: probability that i beats j with the third parties' support (eqs. 30–31).
    With ``r``, voter k weighs distances as (|x_k − x|/R)^r_k.

    The sums over voters k for every pair (i, j) are taken in blocks of challengers i, so memory
    is O(n²) rather than the n³ of the full [i, j, k] array."""
    dist = np.abs(x[:, None] - x[None, :]) / R          # dist[k, a] = |x_k − x_a| / R
    if r is not None:
        dist = dist ** r[:, None]
    n = len(x)
    step = max(1, _BLOCK // max(1, n * n))
    support = np.empty((n, n))
    denom = np.empty((n, n)) if mode == "pairwise" else None
    for i0 in range(0, n, step):
        # d[i, j, k] = |x_k − x_j| − |x_k − x_i| for the challengers i in this block
        d = dist.T[None, :, :] - dist.T[i0:i0 + step, None, :]
        support[i0:i0 + step] = np.clip(d, 0.0, None) @ w
        if denom is not None:
            denom[i0:i0 + step] = np.abs(d) @ w
    if denom is None:
        total = 0.0
        for k0 in range(0, n, step):
            votes = np.abs(dist[k0:k0 + step, None, :] - dist[k0:k0 + step, :, None])  # [k, a, b]
            total += float(np.einsum("kab,k->", votes, w[k0:k0 + step]))
        denom = np.full_like(support, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(denom > 0, support / np.where(denom > 0, denom, 1.0), 0.5)
    return p


def _expected_utility(x: np.ndarray, s: np.ndarray, p: np.ndarray, mu: float, R: float,
                      r: np.ndarray, q: float) -> np.ndarray:
    """EU[i, j] of i challenging j (eqs. 5–7), with exponent r[i, j]; s is salience in [0, 1]."""
    dist = np.abs(x[:, None] - x[None, :]) / R
    dmu = (np.abs(x - mu) / R)[:, None]
    us = 2 - 4 * np.clip(0.5 - 0.5 * dist, 0, None) ** r
    uf = 2 - 4 * (0.5 + 0.5 * dist) ** r
    ub = 2 - 4 * np.clip(0.5 - 0.25 * (dmu + dist), 0, None) ** r
    uw = 2 - 4 * (0.5 + 0.25 * (dmu + dist)) ** r
    usq = 2 - 4 * 0.5 ** r
    t = (np.abs(x - mu)[:, None] < np.abs(x[:, None] - x[None, :])).astype(float)
    sj = s[None, :]
    challenge = sj * (p * us + (1 - p) * uf) + (1 - sj) * us
    return challenge - (q * usq + (1 - q) * (t * ub + (1 - t) * uw))


def _responder_utility(x: np.ndarray, s: np.ndarray, p: np.ndarray, mu: float, R: float,
                       q: float) -> np.ndarray:
    """V[i, j]: i's own expected utility when j challenges it (r = 1): i resists with its salience
    and wins with P^i; otherwise j's position prevails. The mirror image of eq. 6."""
    dist = np.abs(x[:, None] - x[None, :]) / R
    us = 2 - 4 * (0.5 - 0.5 * dist)
    uf = 2 - 4 * (0.5 + 0.5 * dist)
    si = s[:, None]
    return si * (p * us + (1 - p) * uf) + (1 - si) * uf - (2 - 4 * 0.5)


def _risk(sec: np.ndarray) -> np.ndarray:
    """r_i from security (eqs. 32–34): R_i in [−1, 1], r_i = (1 − R_i/3)/(1 + R_i/3)."""
    lo, hi = sec.min(), sec.max()
    if hi - lo <= 1e-15:
        return np.ones_like(sec)
    big_r = (2 * sec - hi - lo) / (hi - lo)
    return (1 - big_r / 3) / (1 + big_r / 3)


_KIND = ("conflict", "compromise", "compel")


def _offers(x: np.ndarray, e_mine: np.ndarray, e_theirs: np.ndarray, differ: np.ndarray,
            params: EUMParams, names: list[str] | None) -> tuple[np.ndarray, list[Move], list]:
    """Every actor m takes at most one offer from another o (fig. 6 octants); all move at once.

    ``e_mine[m, o]`` is m's EU of challenging o, ``e_theirs[m, o]`` o's EU of challenging m, both
    as m sees them. Offer types: 0 conflict (both expect to win, m expects less: m moves to o),
    1 compromise (o has the upper hand: m moves part way, eq. 35/36), 2 compel (m's loss
    outweighs o's gain: m moves to o).
    """
    n = len(x)
    kind = np.full((n, n), 3)
    both = (e_mine > 0) & (e_theirs > 0) & differ
    if params.conflict == "lower_moves":
        kind[both & (e_theirs > e_mine)] = 0
    upper = (e_theirs > 0) & (e_mine < 0) & differ
    kind[upper & (e_theirs > np.abs(e_mine))] = 1
    if params.compel:
        kind[upper & (e_theirs <= np.abs(e_mine))] = 2
    valid = kind < 3
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(kind == 1, np.abs(e_mine) / np.where(e_theirs != 0, e_theirs, 1.0), 1.0)
    target = x[:, None] + (x[None, :] - x[:, None]) * ratio
    move = np.abs(target - x[:, None])
    if params.offer == "least_move":
        keys = [move, -e_theirs]
    elif params.offer == "most_enforceable":
        keys = [-e_theirs, move]
    elif params.offer == "by_type":
        keys = [kind.astype(float), move, -e_theirs]
    else:
        a, b = np.abs(e_mine), np.abs(e_theirs)
        with np.errstate(divide="ignore", invalid="ignore"):
            weighted = (a * x[:, None] + b * x[None, :]) / (a + b)
        keys = [kind.astype(float), np.where(kind == 1, weighted, move)]
    mask = valid.copy()
    for key in keys:
        k = np.where(mask, key, np.inf)
        best = k.min(axis=1, keepdims=True)
        mask &= k <= best + 1e-12 * np.maximum(1.0, np.abs(best))
    takers = np.flatnonzero(valid.any(axis=1))
    pick = np.argmax(mask, axis=1)
    new_x = x.copy()
    new_x[takers] = target[takers, pick[takers]]
    moves: list[Move] = []
    challenges: list[tuple[str, str]] = []
    if names is not None:
        moves = [Move(names[m], names[pick[m]], _KIND[kind[m, pick[m]]], float(x[m]), float(new_x[m]))
                 for m in takers]
        challenges = [(names[i], names[j]) for i, j in zip(*np.nonzero(differ & (e_mine > 0)))]
    return new_x, moves, challenges


def expected_utility_model(actors: list["Actor"], params: EUMParams | None = None,
                           detail: bool = True) -> EUMResult:
    """Run the EUM; ``rounds[0]`` is the start, each later entry the state after that round.
    ``detail=False`` skips the per-round lists of challenges and moves (for backtests)."""
    params = params or EUMParams()
    names = [a.name for a in actors]
    x = np.array([a.position for a in actors], dtype=float)
    c = np.array([a.capability for a in actors], dtype=float)
    salience = np.array([a.salience for a in actors], dtype=float)
    s = salience / 100.0
    check_actors(len(actors))
    w = scaled_weights(c, s)
    if not w.any():
        # every salience so small (< 1e-321) that /100 underflows: the ratios are what matter
        w = scaled_weights(c, salience)
    if len(actors) < 2 or w.sum() <= 0:
        raise DataError("the EUM needs two actors and some capability × salience above 0",
                        fix="give at least two actors, one of them with capability and salience above 0")
    initial_range = float(x.max() - x.min())

    def summary(t: int, x: np.ndarray, r: np.ndarray, challenges: list, moves: list) -> EUMRound:
        return EUMRound(t, condorcet_median(x, w), float(w @ x / w.sum()),
                        dict(zip(names, map(float, x))), dict(zip(names, map(float, r))),
                        challenges, moves)

    rounds = [summary(0, x, np.ones(len(x)), [], [])]
    limit = params.rounds if params.stop == "fixed" else params.max_rounds
    stopped = f"after {limit} rounds"
    calm = 0
    for t in range(1, limit + 1):
        R = {"dynamic": float(x.max() - x.min()), "initial": initial_range,
             "fixed": params.fixed_range}[params.range]
        if R <= 0:
            stopped = f"all actors agree after round {t - 1}"
            break
        mu = condorcet_median(x, w)
        p = _probabilities(x, w, params.probability, R)
        n = len(x)
        r = np.ones(n)
        if params.risk:
            if params.security == "challenger":
                eu1 = _expected_utility(x, s, p, mu, R, np.ones((n, n)), params.q)
                sec = (eu1 * (1 - np.eye(n))).sum(axis=0)      # sum over challengers j of E(U_ji)
            else:
                v = _responder_utility(x, s, p, mu, R, params.q)
                sec = (v * (1 - np.eye(n))).sum(axis=1)
            r = _risk(sec)
            if params.vote_risk:
                p = _probabilities(x, w, params.probability, R, r)
        eu_row = _expected_utility(x, s, p, mu, R, np.repeat(r[:, None], n, axis=1), params.q)
        if params.viewpoint == "own":
            # mover m judges the other's challenge with m's exponent: r[o, m] = r_m
            eu_col = _expected_utility(x, s, p, mu, R, np.repeat(r[None, :], n, axis=0), params.q)
        else:
            eu_col = eu_row
        differ = np.abs(x[:, None] - x[None, :]) > 0
        new_x, moves, challenges = _offers(x, eu_row, eu_col.T, differ, params, names if detail else None)
        previous = rounds[-1].median
        x = new_x
        rounds.append(summary(t, x, r, challenges, moves))
        if params.stop == "converge":
            calm = calm + 1 if abs(rounds[-1].median - previous) < params.epsilon else 0
            if calm >= params.patience:
                stopped = f"median moved less than {params.epsilon} for {params.patience} rounds (round {t})"
                break
    last = rounds[-1]
    return EUMResult(last.median if params.predict == "median" else last.mean, rounds, stopped)
