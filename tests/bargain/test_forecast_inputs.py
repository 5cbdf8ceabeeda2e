"""Hostile forecast and DEU inputs: the number of actors, long cells, extreme capabilities and line numbers.

Each must end in one DataError naming the file and line (exit 1), never an internal error, a
multi-gigabyte allocation or a run of hours; every value the loaders accept must give finite forecasts.
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.bargain import eum
from redline.bargain.deu import backtest, default_models, load_deu
from redline.bargain.eum import MAX_ACTORS, EUMParams, expected_utility_model
from redline.bargain.forecast import CAPABILITY_RANGE, Actor, forecast_issue, load_forecast_csv
from redline.errors import DataError

HEADER = "issue,actor,position,salience,capability\n"


def csv_file(tmp_path, text, name="issues.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def deu_file(tmp_path, actors, rows):
    """A DEU-style TSV: isnr, out, rp and p/s pairs; ``rows`` are (id, out, {actor: (x, s)})."""
    head = ["isnr", "out", "rp"] + [f"{p}{a}" for a in actors for p in "ps"]
    lines = ["\t".join(head)]
    for issue, out, values in rows:
        cells = [issue, str(out), ""]
        for a in actors:
            x, s = values.get(a, ("", ""))
            cells += [str(x), str(s)]
        lines.append("\t".join(cells))
    path = tmp_path / "deu.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def random_actors(n, seed=1):
    rng = np.random.default_rng(seed)
    return [Actor(f"a{i}", float(rng.integers(0, 101)), float(rng.integers(1, 101)), float(rng.integers(1, 10)))
            for i in range(n)]


# -- 1. the number of actors -----------------------------------------------------------------

def test_too_many_actors_on_one_issue_is_refused_fast_with_the_line(tmp_path):
    """1,000 actors in a 21 KB file once asked for a (1000, 1000, 1000) array; now the row that
    exceeds the limit is named before any model runs."""
    rows = "".join(f"A,a{i},{i % 101},50,1\n" for i in range(1000))
    start = time.monotonic()
    with pytest.raises(DataError) as err:
        load_forecast_csv(csv_file(tmp_path, HEADER + rows))
    assert time.monotonic() - start < 5
    assert err.value.line == MAX_ACTORS + 2        # the header is line 1, the first actor line 2
    assert f"at most {MAX_ACTORS}" in str(err.value) and "issue A" in str(err.value)


def test_the_limit_itself_is_accepted(tmp_path):
    rows = "".join(f"A,a{i},{i % 101},50,1\n" for i in range(MAX_ACTORS))
    inputs, _ = load_forecast_csv(csv_file(tmp_path, HEADER + rows))
    assert len(inputs[0].actors) == MAX_ACTORS


def test_deu_issue_with_too_many_actors_is_refused_with_the_line(tmp_path):
    actors = [f"x{i}" for i in range(MAX_ACTORS + 1)]
    path = deu_file(tmp_path, actors, [("i1", 50, {a: (10, 50) for a in actors[:5]}),
                                       ("i2", 50, {a: (10, 50) for a in actors})])
    with pytest.raises(DataError) as err:
        load_deu(path)
    assert err.value.line == 3 and f"at most {MAX_ACTORS}" in str(err.value)


def test_eum_refuses_too_many_actors_from_the_library_too():
    with pytest.raises(DataError, match=f"at most {MAX_ACTORS}"):
        expected_utility_model(random_actors(MAX_ACTORS + 1))


def test_eum_memory_is_quadratic_at_the_limit():
    """At the limit the old [i, j, k] arrays took about 0.5 GB; blocks keep the peak far below."""
    actors = random_actors(MAX_ACTORS)
    tracemalloc.start()
    try:
        expected_utility_model(actors, EUMParams(rounds=1), detail=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20, f"peak {peak / 2**20:.0f} MB"


@pytest.mark.parametrize("probability", ["all_votes", "pairwise"])
def test_eum_in_blocks_gives_the_same_forecast(monkeypatch, probability):
    """The blocked sums are the old sums taken in pieces: the same forecast, round by round."""
    actors = random_actors(40, seed=7)
    params = EUMParams(probability=probability)
    whole = expected_utility_model(actors, params)
    monkeypatch.setattr(eum, "_BLOCK", 40 * 40 * 3)   # blocks of 3 challengers and 3 voters
    pieces = expected_utility_model(actors, params)
    assert len(pieces.rounds) == len(whole.rounds)
    for a, b in zip(pieces.rounds, whole.rounds):
        assert a.positions == pytest.approx(b.positions)
    assert pieces.prediction == pytest.approx(whole.prediction)


# -- 2. cells over the csv module's limit ----------------------------------------------------

def test_long_cell_is_a_data_error_with_the_line(tmp_path):
    path = csv_file(tmp_path, HEADER + "A,x,10,50,1\nA,y,90,50,\"" + "9" * 200_000 + "\"\n")
    with pytest.raises(DataError) as err:
        load_forecast_csv(path)
    assert err.value.line == 3 and "cell too long" in str(err.value) and err.value.fix


def test_long_cell_in_deu_is_a_data_error_with_the_line(tmp_path):
    path = deu_file(tmp_path, ["a", "b", "c"], [("i1", 50, {"a": (10, 50), "b": (20, 50), "c": (30, 50)}),
                                                ("i2", 50, {"a": (10, "x" * 200_000)})])
    with pytest.raises(DataError) as err:
        load_deu(path)
    assert err.value.line == 3 and "cell too long" in str(err.value)


@pytest.mark.parametrize("command, text", [
    (["forecast"], HEADER + "A,x,10,50,\"" + "1" * 200_000 + "\"\n"),
    (["forecast"], HEADER + "A,x,10,50,1e308\nA,y,90,50,1e308\n"),
    (["forecast"], HEADER + "A,x,10,1,5e-324\nA,y,90,1,5e-324\n"),
    (["forecast"], HEADER + "".join(f"A,a{i},{i % 101},50,1\n" for i in range(1000))),
])
def test_cli_exits_1_with_file_and_line(tmp_path, command, text):
    path = csv_file(tmp_path, text)
    proc = subprocess.run([sys.executable, "-m", "redline", *command, str(path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert f"{path}:2:" in proc.stderr or f"{path}:{MAX_ACTORS + 2}:" in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr


# -- 3. extreme capabilities ----------------------------------------------------------------

@pytest.mark.parametrize("value", ["1e308", "5e-324", "1e16", "1e-10"])
def test_capability_outside_the_range_is_refused_with_the_line(tmp_path, value):
    with pytest.raises(DataError) as err:
        load_forecast_csv(csv_file(tmp_path, HEADER + f"A,x,10,50,1\nA,y,90,50,{value}\n"))
    assert err.value.line == 3 and "capability" in str(err.value)


capability = st.one_of(st.just(0.0), st.floats(*CAPABILITY_RANGE),
                       st.sampled_from(CAPABILITY_RANGE))
salience = st.one_of(st.just(0.0), st.just(100.0), st.floats(0.0, 100.0),
                     st.sampled_from([5e-324, 1e-320, 1e-300]))
actor_row = st.tuples(st.integers(0, 100), salience, capability)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(actor_row, min_size=2, max_size=8))
def test_every_accepted_value_gives_finite_forecasts(tmp_path, rows):
    """Any capability the loader accepts, with any salience in 0–100 (subnormals included), gives
    a finite forecast between the extreme positions from every model, or a DataError."""
    text = HEADER + "".join(f"A,a{k},{x},{s!r},{c!r}\n" for k, (x, s, c) in enumerate(rows))
    try:
        inputs, _ = load_forecast_csv(csv_file(tmp_path, text))
    except DataError as exc:
        assert "no issue to forecast" in str(exc)
        assert not any(c > 0 and s > 0 for _, s, c in rows)
        return
    lo, hi = min(x for x, _, _ in rows), max(x for x, _, _ in rows)
    result = forecast_issue("A", inputs[0].actors)
    for model, value in result.predictions.items():
        assert math.isfinite(value), model
        if model != "nash":      # Nash without a reference point may leave the actors' span
            assert lo - 1e-9 <= value <= hi + 1e-9, (model, value)


def test_units_do_not_change_the_forecast(tmp_path):
    """Only ratios of capability matter: the same issue in units and in the range's extremes agrees."""
    rows = [(10, 80, 2.0), (40, 60, 1.0), (90, 30, 4.0)]

    def predict(scale):
        text = HEADER + "".join(f"A,a{k},{x},{s},{c * scale!r}\n" for k, (x, s, c) in enumerate(rows))
        return forecast_issue("A", load_forecast_csv(csv_file(tmp_path, text))[0][0].actors).predictions

    base = predict(1.0)
    for scale in (2.0**-29, 2.0**47):        # capabilities from about 1.9e-9 to 5.6e14
        assert predict(scale) == pytest.approx(base)


# -- 4. line numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("inside", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_line_numbers_count_only_real_line_breaks(tmp_path, inside):
    """A \\x0b (or U+2028, …) inside a cell is not a line break: the bad row is still on line 4."""
    text = HEADER + f"A,x,10,50,1\nA,y{inside}z,90,50,1\nA,w,zz,50,1\n"
    with pytest.raises(DataError) as err:
        load_forecast_csv(csv_file(tmp_path, text))
    assert err.value.line == 4 and "'zz' is not a number" in str(err.value)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_numbers_after_a_quoted_cell_over_two_lines(tmp_path, newline):
    text = HEADER.replace("\n", newline) + f"A,\"x{newline}x\",10,50,1{newline}A,w,zz,50,1{newline}"
    with pytest.raises(DataError) as err:
        load_forecast_csv(csv_file(tmp_path, text))
    assert err.value.line == 4


def test_the_deu_backtest_is_unchanged(deu_path):
    """The documented figures (docs/bargain.md §4) after the loader and model changes."""
    result = backtest(load_deu(deu_path), default_models())
    mae = {s.model: round(s.mae, 2) for s in result.scores}
    assert mae["EUM median (Scholz replication)"] == 29.63
    assert mae["EUM mean (Scholz replication)"] == 26.81
    assert mae["EUM median (text reading of offers)"] == 30.10
    assert mae["EUM median (Council votes)"] == 29.65
    assert mae["compromise (GDP × salience)"] == 23.21
    assert mae["weighted median (salience)"] == 28.39
