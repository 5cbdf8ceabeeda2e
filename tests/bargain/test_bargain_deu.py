"""DEU III: the loader's counts, the known baseline figures, and bad input."""

from __future__ import annotations

import pytest

from redline.bargain.deu import BASELINE, backtest, default_models, load_deu
from redline.errors import DataError


@pytest.fixture(scope="session")
def deu(deu_path):
    return load_deu(deu_path)


@pytest.fixture(scope="session")
def result(deu):
    return backtest(deu)


def test_load_counts(deu):
    """364 issues, 30 actors, the GDP row read as capability; 351 scorable, 13 skips counted."""
    assert len(deu.issues) == 364
    assert len(deu.actors) == 30 and deu.actors[:2] == ["com", "ep"]
    assert deu.gdp["de"] == 4.1 and deu.gdp["mt"] == 0.02
    first = deu.issues[0]
    assert first.id == "d00032i1" and first.outcome == 100 and first.reference == 0
    assert first.positions["com"] == 100 and first.saliences["com"] == 50


def test_known_figures(result):
    """The figures in ../shared/reference/bargaining.md §3.4, on the same issues."""
    scores = {s.model: s for s in result.scores}
    assert result.scorable == 351
    assert result.skipped == {"issue without an outcome": 11,
                              "issue with fewer than 3 actors with position and salience": 2}
    expected = {
        "mean of positions (unweighted)": (351, 23.63),
        BASELINE: (351, 23.64),
        "median of positions (unweighted)": (351, 28.37),
        "reference point (status quo)": (252, 51.31),
        "compromise (GDP × salience)": (351, 23.21),
        "Commission position": (346, 37.55),
        "Parliament position": (305, 34.23),
    }
    for model, (n, mae) in expected.items():
        assert scores[model].n == n, model
        assert scores[model].mae == pytest.approx(mae, abs=0.005), model


def test_every_model_is_compared_with_the_baseline(result):
    """The weighted mean is the baseline; every other model has a paired difference against it."""
    assert result.baseline == BASELINE and result.scores[0].model == BASELINE
    for s in result.scores[1:]:
        assert s.n > 0 and s.delta is not None and s.n_paired == s.n
        lo, hi = s.delta_ci
        assert lo <= s.delta <= hi
    scores = {s.model: s for s in result.scores}
    # the EUM does not beat the baseline on DEU III (paired interval above zero)
    assert scores["EUM median (Scholz replication)"].delta_ci[0] > 0
    assert scores["reference point (status quo)"].mae > scores[BASELINE].mae


def deu_file(tmp_path, rows, header="isnr\tprnr\tpa\tsa\tpb\tsb\tpc\tsc\trp\tout"):
    path = tmp_path / "deu.tsv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def test_bad_values_are_missing_and_counted(tmp_path):
    """Outside 0–100 means missing (counted); fewer than three actors or no outcome: skipped."""
    path = deu_file(tmp_path, [
        "i1\tp1\t10\t50\t30\t50\t90\t50\t0\t40",
        "i2\tp1\t10\t150\t30\t50\t90\t50\t\t40",    # salience 150: actor a drops out, 2 actors left
        "i3\tp1\t10\t50\t30\t50\t90\t50\t\t",       # no outcome
        "i4\tp2\t0\t50\t100\t50\t50\t100\t999\t50",  # reference 999: missing
    ])
    data = load_deu(path)
    res = backtest(data)
    assert res.scorable == 2
    assert res.skipped["salience outside 0–100 (treated as missing)"] == 1
    assert res.skipped["reference point outside 0–100 (treated as missing)"] == 1
    assert res.skipped["issue without an outcome"] == 1
    assert res.skipped["issue with fewer than 3 actors with position and salience"] == 1
    scores = {s.model: s for s in res.scores}
    assert scores["reference point (status quo)"].n == 1
    assert scores[BASELINE].mae == pytest.approx((abs(130 / 3 - 40) + abs(50 - 50)) / 2)


def test_missing_columns_are_an_error(tmp_path):
    with pytest.raises(DataError, match="missing column.*out"):
        load_deu(deu_file(tmp_path, ["i1\t1\t2"], header="isnr\tpa\tsa"))
    with pytest.raises(DataError, match="at least two actors"):
        load_deu(deu_file(tmp_path, ["i1\t1\t2\t3"], header="isnr\tpa\tsa\tout"))


def test_without_gdp_row_the_gdp_model_scores_nothing(tmp_path):
    """The official release has no GDP row: that one model is left unscored (n = 0), not the run."""
    path = deu_file(tmp_path, ["i1\tp1\t10\t50\t30\t50\t90\t50\t0\t40"])
    scores = {s.model: s for s in backtest(load_deu(path), default_models()).scores}
    assert scores["compromise (GDP × salience)"].n == 0
    assert scores[BASELINE].n == 1
