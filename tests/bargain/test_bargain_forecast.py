"""Single-issue models, the EUM against the published emission-standards case, and CSV input."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from redline.bargain.eum import EUMParams, _probabilities, expected_utility_model
from redline.bargain.forecast import (Actor, compromise, forecast_issue, load_forecast_csv,
                                      nash_bargaining, weighted_median)
from redline.errors import DataError

# BDM (1994) emission-standards issue, Scholz et al. (2011) Table 1: (actor, capability, position, salience)
EMISSION = [("Netherlands", 0.08, 4, 80), ("Belgium", 0.08, 7, 40), ("Luxembourg", 0.03, 4, 20),
            ("Germany", 0.16, 4, 80), ("France", 0.16, 10, 60), ("Italy", 0.16, 10, 60),
            ("UK", 0.16, 10, 90), ("Ireland", 0.05, 7, 10), ("Denmark", 0.05, 4, 100),
            ("Greece", 0.08, 7, 70)]
ACTORS = [Actor(n, x, s, c) for n, c, x, s in EMISSION]
SCHOLZ_MEDIANS = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]     # Table 2, Q = 1.0
SCHOLZ_MEANS = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]
# the output of Scholz's algorithm as ported by jmckib (reference §1.4), to two decimals
CODE_MEDIANS = [8.42, 9.61, 9.96, 9.96, 9.96, 7.47, 8.82, 9.67]
CODE_MEANS = [7.46, 7.55, 7.59, 7.36, 7.35, 7.41, 7.51, 7.57]


def test_compromise_is_capability_salience_weighted_mean():
    assert compromise(ACTORS) == pytest.approx(500.3 / 67.7)
    with pytest.raises(DataError, match="capability and salience"):
        compromise([Actor("a", 10, 0, 1), Actor("b", 20, 0, 1)])


def test_weighted_median_conventions():
    """Odd weight: the middle; an exact half split: the midpoint, so equal weights = the median."""
    assert weighted_median(ACTORS) == 7.0
    evens = [Actor(str(k), x, 50, 1) for k, x in enumerate([10, 20, 60, 90])]
    assert weighted_median(evens) == np.median([10, 20, 60, 90]) == 40.0
    heavy = [Actor("a", 10, 100, 3), Actor("b", 50, 100, 1), Actor("c", 90, 100, 1)]
    assert weighted_median(heavy) == 10.0


def test_nash_bargaining_one_issue():
    pair = [Actor("a", 40, 50, 1), Actor("b", 60, 50, 1)]
    assert nash_bargaining(pair) == pytest.approx(50.0, abs=1e-4)
    assert nash_bargaining(pair, loss="linear") == pytest.approx(50.0, abs=1e-4)
    # reference point far to the right: the deal lies between the two, pulled toward the reference
    near = [Actor("a", 20, 50, 1), Actor("b", 30, 50, 1)]
    x = nash_bargaining(near, reference=80.0)
    assert 25.0 < x < 30.0
    # an actor at the reference point cannot gain: the reference point is the only solution
    stuck = [Actor("a", 20, 50, 1), Actor("b", 80, 50, 1)]
    assert nash_bargaining(stuck, reference=80.0) == 80.0
    # a heavier actor pulls the solution toward itself, close to the weighted mean (Achen)
    weighted = [Actor("a", 40, 50, 3), Actor("b", 60, 50, 1)]
    assert nash_bargaining(weighted) == pytest.approx(compromise(weighted), abs=0.5)
    assert nash_bargaining(weighted) < 50.0


def test_eum_reproduces_scholz_table_2():
    """Default parameters reproduce the emission-standards rounds: to 0.01 the published code's
    output, to 0.3 the paper's Table 2 (round 2: 9.61 vs 9.9, as in the reference port)."""
    result = expected_utility_model(ACTORS)
    assert len(result.rounds) == 9
    assert np.round(result.medians, 2).tolist() == CODE_MEDIANS
    assert np.round(result.means, 2).tolist() == CODE_MEANS
    assert np.abs(np.array(result.medians) - SCHOLZ_MEDIANS).max() < 0.3
    assert np.abs(np.array(result.means) - SCHOLZ_MEANS).max() < 0.1
    assert result.prediction == result.medians[-1]


def test_eum_reports_challenges_and_moves():
    """Round 1: Belgium compromises with France to 8.4 (which makes 8.4 the median)."""
    first = expected_utility_model(ACTORS).rounds[1]
    moves = {m.actor: m for m in first.moves}
    assert moves["Belgium"].towards == "France" and moves["Belgium"].kind == "compromise"
    assert moves["Belgium"].after == pytest.approx(8.42, abs=0.01)
    assert ("France", "Belgium") in first.challenges
    assert all(a != b for a, b in first.challenges)
    assert set(first.risk) == {a.name for a in ACTORS}
    assert all(0.5 <= r <= 2.0 for r in first.risk.values())


def test_eum_text_reading_differs_from_round_4():
    """The text's offer rule (least move within a type) agrees for three rounds, then stays at 10."""
    text = expected_utility_model(ACTORS, EUMParams(offer="by_type"))
    assert np.round(text.medians[:3], 2).tolist() == CODE_MEDIANS[:3]
    assert text.medians[5] == pytest.approx(10.0)


def test_eum_parameters():
    with pytest.raises(ValidationError):
        EUMParams(q=1.5)
    with pytest.raises(ValidationError):
        EUMParams(offer="loudest")
    stop = expected_utility_model(ACTORS, EUMParams(stop="converge", epsilon=0.5, patience=2))
    assert len(stop.rounds) - 1 < 20 and "moved less than" in stop.stopped
    mean = expected_utility_model(ACTORS, EUMParams(predict="mean"))
    assert mean.prediction == pytest.approx(CODE_MEANS[-1], abs=0.01)


def test_pairwise_probabilities_sum_to_one():
    """Eq. 31's denominator makes P^i + P^j = 1; Scholz's all-votes denominator does not."""
    x = np.array([4.0, 7, 10, 4, 10])
    w = np.array([1.0, 2, 3, 1, 2])
    p = _probabilities(x, w, "pairwise")
    differ = x[:, None] != x[None, :]
    assert np.allclose((p + p.T)[differ], 1.0)
    q = _probabilities(x, w, "all_votes")
    assert ((q + q.T)[differ] < 1.0).all()


def test_forecast_issue_runs_every_model():
    f = forecast_issue("emission", ACTORS)
    assert set(f.predictions) == {"compromise", "weighted_median", "nash", "eum"}
    assert f.predictions["compromise"] == pytest.approx(7.39, abs=0.01)
    assert f.notes  # no reference point given
    with pytest.raises(DataError, match="at least two"):
        forecast_issue("lonely", ACTORS[:1])


def write(tmp_path, text):
    path = tmp_path / "issues.csv"
    path.write_text(text)
    return path


def test_forecast_csv(tmp_path):
    path = write(tmp_path, "issue,actor,position,salience,capability,reference\n"
                           "x,A,10,80,2,50\nx,B,90,40,1,\nx,C,40,60,,\n"   # C has no capability: skipped
                           "y,A,0,50,1,\n"                                    # y has one actor: skipped
                           "z,A,30,50,1,\nz,B,70,50,1,\n")
    inputs, skipped = load_forecast_csv(path)
    assert [i.issue for i in inputs] == ["x", "z"]
    assert inputs[0].reference == 50.0 and inputs[1].reference is None
    assert [a.name for a in inputs[0].actors] == ["A", "B"]
    assert skipped == {"actor row without capability": 1, "issue with fewer than two actors": 1}


@pytest.mark.parametrize("text, message, line", [
    ("issue,actor,position,salience\nx,A,1,2\n", "missing column(s): capability", 1),
    ("issue,actor,position,salience,capability\nx,A,10,120,1\n", "salience 120 is outside 0–100", 2),
    ("issue,actor,position,salience,capability\nx,A,10,50,1\nx,B,-5,50,1\n", "position -5 is outside", 3),
    ("issue,actor,position,salience,capability\nx,A,10,fifty,1\n", "salience 'fifty' is not a number", 2),
    ("issue,actor,position,salience,capability\nx,A,10,50,-1\n", "capability -1 is outside", 2),
    ("issue,actor,position,salience,capability\nx,A,10,50,1\nx,A,20,50,1\n", "appears twice", 3),
    ("issue,actor,position,salience,capability,reference\nx,A,10,50,1,20\nx,B,20,50,1,30\n",
     "two reference points", 3),
    ("issue,actor,position,salience,capability\nx,A,10,50,1\n", "no issue to forecast", None),
])
def test_forecast_csv_errors(tmp_path, text, message, line):
    with pytest.raises(DataError) as err:
        load_forecast_csv(write(tmp_path, text))
    assert message in str(err.value)
    assert err.value.line == line
