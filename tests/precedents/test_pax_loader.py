"""The loader: typed records from the real PA-X files, values as coded, clear errors on bad files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from redline.errors import DataError
from redline.precedents.pax import (CODES_NAME, CSV_NAME, load_code_table, load_pax, resolve_pax_path)

from .conftest import write_rows, write_small_csv


def test_loads_every_agreement_with_its_provision_columns(pax):
    assert len(pax) == 2257
    assert len(pax.columns) == 251
    assert pax.values.shape == (2257, 251)
    assert pax.first_date == dt.date(1990, 2, 15) and pax.last_date == dt.date(2025, 12, 27)


def test_minsk_ii_record_keeps_values_as_coded(pax):
    a = pax.agreement(1364)
    assert a.name.startswith("Package of Measures for the Implementation of the Minsk Agreements")
    assert (a.date, a.agreement_type, a.stage, a.stage_sub) == (dt.date(2015, 2, 12), "Intra", "Imp", "ImpMod")
    assert a.country == "Ukraine" and a.region == "Europe and Eurasia"
    # parent codes carry depth 0-3, leaves 0/1, exactly as in the CSV
    assert a.provisions["Terps"] == 2 and a.provisions["Ce"] == 2 and a.provisions["TjAm"] == 2
    assert a.provisions["CeProv"] == 1 and a.provisions["SsrFf"] == 1
    assert "StBor" not in a.provisions


def test_counts_per_code_match_the_code_table(pax):
    """The code table's n_agreements_gt0 was computed from the same CSV: every column must agree."""
    for code in pax.codes.codes.values():
        if code.in_csv:
            j = pax.column_index[code.code]
            assert int((pax.values[:, j] > 0).sum()) == code.n_agreements, code.code
            assert int(pax.values[:, j].max()) == code.max_value, code.code


def test_code_table_hierarchy(pax):
    t = pax.codes
    assert len(t) == 248
    assert t.ancestors("CeProv") == ["Ce", "Ssr"]
    assert sorted(t.descendants("Ce")) == ["CeGen", "CeProv"]
    assert t.label("PpsGe:St").endswith("(state level)")
    assert t.resolve("ceprov") == "CeProv"
    with pytest.raises(DataError, match="unknown PA-X code 'CeProvv'.*did you mean 'CeProv'"):
        t.resolve("CeProvv")
    assert len(pax.leaf_columns) == 197


def test_unknown_agreement_id_is_a_data_error(pax):
    with pytest.raises(DataError, match="no PA-X agreement with AgtId 99999"):
        pax.agreement(99999)
    with pytest.raises(DataError, match="not a PA-X agreement id"):
        pax.agreement("minsk")


def test_missing_file_says_where_to_download(tmp_path):
    with pytest.raises(DataError) as exc:
        resolve_pax_path(tmp_path / "nowhere")
    text = str(exc.value)
    assert "PA-X data not found" in text and "peaceagreements.org" in text and "--pax" in text


def test_missing_code_table_is_named(tmp_path, pax_dir):
    shutil.copy(pax_dir / CSV_NAME, tmp_path / CSV_NAME)
    with pytest.raises(DataError, match="code table not found"):
        load_pax(tmp_path)


def test_path_from_environment(tmp_path, pax_dir, monkeypatch):
    write_small_csv(tmp_path / CSV_NAME, pax_dir / CSV_NAME, 5)
    shutil.copy(pax_dir / CODES_NAME, tmp_path / CODES_NAME)
    monkeypatch.setenv("REDLINE_PAX", str(tmp_path))
    data = load_pax()
    assert len(data) == 5 and data.path == tmp_path / CSV_NAME


@pytest.fixture
def small(tmp_path, pax_dir):
    """A folder with the real code table and a 30-record copy of the CSV; returns (folder, records)."""
    shutil.copy(pax_dir / CODES_NAME, tmp_path / CODES_NAME)
    rows = write_small_csv(tmp_path / CSV_NAME, pax_dir / CSV_NAME, 30)
    return tmp_path, rows


def _write(folder: Path, text: str | bytes) -> None:
    target = folder / CSV_NAME
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def test_small_copy_loads(small):
    folder, _ = small
    assert len(load_pax(folder, cache=False)) == 30


def test_truncated_file_names_the_row(small):
    folder, _ = small
    text = (folder / CSV_NAME).read_text(encoding="utf-8")
    _write(folder, text[: len(text) - 300])      # cut inside the last record
    with pytest.raises(DataError) as exc:
        load_pax(folder, cache=False)
    msg = str(exc.value)
    assert "data row 30" in msg and "fields, expected 279" in msg and "truncated" in msg
    assert f"{CSV_NAME}:" in msg


def test_unclosed_quote_names_the_row(small):
    folder, rows = small
    write_rows(folder / CSV_NAME, rows[:3])
    with open(folder / CSV_NAME, "a", encoding="utf-8") as f:
        f.write('Ukraine,Government,1,"never closed,2,3\n')
    with pytest.raises(DataError, match=r"malformed CSV in data row 3"):
        load_pax(folder, cache=False)


def test_bad_provision_value_names_row_column_and_agreement(small):
    folder, rows = small
    agt = rows[2][rows[0].index("AgtId")]
    rows[2][rows[0].index("ImPK")] = "x"
    write_rows(folder / CSV_NAME, rows)
    with pytest.raises(DataError) as exc:
        load_pax(folder, cache=False)
    msg = str(exc.value)
    assert f"data row 2 (AgtId {agt}): ImPK is 'x'" in msg and "expected 0, 1, 2 or 3" in msg


def test_bad_date_names_the_row(small):
    folder, rows = small
    rows[5][rows[0].index("Dat")] = "12/02/2015"
    write_rows(folder / CSV_NAME, rows)
    with pytest.raises(DataError, match=r"data row 5 \(AgtId \d+\): date '12/02/2015' is not YYYY-MM-DD"):
        load_pax(folder, cache=False)


def test_duplicate_agreement_id(small):
    folder, rows = small
    write_rows(folder / CSV_NAME, rows[:3] + rows[2:3])
    with pytest.raises(DataError, match=r"data row 3: AgtId \d+ repeats data row 2"):
        load_pax(folder, cache=False)


def test_not_a_pax_file(small):
    folder, _ = small
    _write(folder, "a,b,c\n1,2,3\n")
    with pytest.raises(DataError, match="not a PA-X agreements file: no column"):
        load_pax(folder, cache=False)


@pytest.mark.parametrize("content,message", [
    (b"", "the file is empty"),
    (b"PK\x03\x04\x00\x00binary", "binary file"),
    (b"AgtId,Agt\n1,\xff\xfe\n", "not valid UTF-8"),
])
def test_unreadable_files(small, content, message):
    folder, _ = small
    _write(folder, content)
    with pytest.raises(DataError, match=message):
        load_pax(folder, cache=False)


def test_header_only(small):
    folder, rows = small
    write_rows(folder / CSV_NAME, rows[:1])
    with pytest.raises(DataError, match="no agreements"):
        load_pax(folder, cache=False)


def test_corrupt_code_table_names_the_line(tmp_path, pax_dir):
    text = (pax_dir / CODES_NAME).read_text(encoding="utf-8").splitlines(keepends=True)
    text[5] = text[5].replace("True", "Maybe", 1)
    (tmp_path / CODES_NAME).write_text("".join(text), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_code_table(tmp_path / CODES_NAME)
    assert ":6:" in str(exc.value) and "not True/False" in str(exc.value)


def test_load_is_cached(pax_dir, pax):
    assert load_pax(pax_dir) is pax
