"""Reading the PA-X peace-agreement data: the coded CSV and the code table, as typed records.

The CSV is read once per process (cached by path, size and modification time) into a compact
integer matrix, so every search after the first load is a few array operations. Values are kept
exactly as PA-X gives them: 0/1 for leaf codes, 0–3 (depth of treatment) for parent codes.
Anything wrong with a file is a ``DataError`` that names the file, the row and the fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from redline.errors import DataError, did_you_mean
from redline.yamlio import read_text

CSV_NAME = "pax_all_agreements_v10.csv"
CODES_NAME = "pax_v10_topic_codes.tsv"
ENV_PAX = "REDLINE_PAX"
ENV_SHARED = "REDLINE_SHARED"
DOWNLOAD_HINT = (
    f"download {CSV_NAME} and {CODES_NAME} (PA-X v10, https://www.peaceagreements.org; the CSV is also in "
    f"the public repository peacerep/v7_messy_timeline, data/{CSV_NAME}), then pass --pax PATH "
    f"or set {ENV_PAX}=PATH (a file or the folder holding both files)")
CITATION = ("Bell, C. & Badanjak, S. (2019) \"Introducing PA-X: A new peace agreement database and dataset\", "
            "Journal of Peace Research 56(3):452-466; PA-X Peace Agreements Database and Dataset, version 10, "
            "https://www.peaceagreements.org")

META_COLUMNS = ("Con", "Contp", "PP", "PPName", "Reg", "AgtId", "Ver", "Agt", "Dat", "Status", "Lgt",
                "N_characters", "Agtp", "Stage", "StageSub", "Part", "ThrdPart", "OthAgr", "Loc1ISO",
                "Loc2ISO", "Loc1GWNO", "Loc2GWNO", "UcdpCon", "UcdpAgr", "PamAgr", "CowWar", "Interim", "ImSrc")
REQUIRED_COLUMNS = ("AgtId", "Agt", "Dat", "Agtp", "Stage", "StageSub", "Reg", "Con")
CODE_TABLE_COLUMNS = ("code", "label", "parent", "top_category", "in_csv", "max_value", "n_agreements_gt0")
VALID_VALUES = frozenset("0123")
DEPTH = {1: "any or rhetorical mention", 2: "some commitment", 3: "detailed or substantive"}


class PaxCode(BaseModel):
    """One PA-X topic code; ``parent`` is None for the 14 top-level categories."""

    model_config = ConfigDict(frozen=True)

    code: str
    label: str
    parent: str | None = None
    category: str
    in_csv: bool
    max_value: int | None = None
    n_agreements: int | None = None


class Agreement(BaseModel):
    """One PA-X agreement: its metadata and its non-zero provision codes, values as coded."""

    agreement_id: int
    name: str
    date: dt.date
    country: str
    conflict_type: str
    process_id: str
    process_name: str
    region: str
    version: str
    status: str
    pages: str
    characters: str
    agreement_type: str
    stage: str
    stage_sub: str
    parties: str
    third_parties: str
    other_agreements: str
    location_iso: list[str]
    ucdp_conflict: str
    ucdp_agreement: str
    pam_agreement: str
    cow_war: str
    interim: bool
    line: int
    provisions: dict[str, int]


class CodeTable:
    """The code → label → parent → category hierarchy, with lookups the search needs."""

    def __init__(self, codes: dict[str, PaxCode], path: Path | None = None) -> None:
        self.codes = codes
        self.path = path
        self.children: dict[str, list[str]] = {}
        for c in codes.values():
            if c.parent:
                self.children.setdefault(c.parent, []).append(c.code)
        self._lower = {c.lower(): c for c in codes}

    def __contains__(self, code: str) -> bool:
        return code in self.codes or _flag_parent(code) in self.codes

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code: str) -> PaxCode | None:
        return self.codes.get(code)

    def resolve(self, code: str) -> str:
        """The canonical spelling of a code typed by a user (case-insensitive), or a DataError."""
        if code in self.codes:
            return code
        if code.lower() in self._lower:
            return self._lower[code.lower()]
        raise DataError(f"unknown PA-X code {code!r}", fix=did_you_mean(code, set(self.codes))
                        + " ('redline pax codes WORD' lists codes)")

    def label(self, code: str) -> str:
        if code in self.codes:
            return self.codes[code].label
        parent = _flag_parent(code)
        if parent in self.codes:
            level = "state level" if code.endswith(":St") else "sub-state level"
            return f"{self.codes[parent].label} ({level})"
        return code

    def category(self, code: str) -> str:
        c = self.codes.get(code) or self.codes.get(_flag_parent(code) or "")
        return c.category if c else ""

    def ancestors(self, code: str) -> list[str]:
        out: list[str] = []
        parent = self.codes[code].parent if code in self.codes else None
        while parent and parent not in out:
            out.append(parent)
            parent = self.codes[parent].parent if parent in self.codes else None
        return out

    def descendants(self, code: str) -> list[str]:
        out: list[str] = []
        stack = list(self.children.get(code, []))
        while stack:
            c = stack.pop()
            if c not in out:
                out.append(c)
                stack.extend(self.children.get(c, []))
        return out

    def is_parent(self, code: str) -> bool:
        return bool(self.children.get(code))


def _flag_parent(code: str) -> str | None:
    """``PpsGe:St`` → ``PpsGe``: the state/sub-state level flags belong to their power-sharing code."""
    return code.split(":", 1)[0] if ":" in code else None


@dataclass
class PaxData:
    """The loaded data set: typed agreements plus the matrices the search runs on."""

    path: Path
    codes: CodeTable
    agreements: list[Agreement]
    columns: list[str]
    values: np.ndarray                 # N × K int8, as coded
    stage: np.ndarray                  # N, str
    stage_sub: np.ndarray
    agreement_type: np.ndarray
    region: np.ndarray
    dates: np.ndarray                  # N, datetime64[D]
    ids: np.ndarray                    # N, int64
    load_seconds: float = 0.0
    index: dict[int, int] = field(default_factory=dict)
    column_index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {a.agreement_id: i for i, a in enumerate(self.agreements)}
        self.column_index = {c: i for i, c in enumerate(self.columns)}
        self.present = self.values > 0
        # Topic columns (not the Pps*:St/:Sub level flags) and, among them, the leaves: codes with
        # no child column. Leaves are the non-overlapping vocabulary a code query is compared in.
        self.topic_columns = [c for c in self.columns if ":" not in c]
        self.leaf_columns = [c for c in self.topic_columns
                             if not any(ch in self.column_index for ch in self.codes.children.get(c, []))]
        self.leaf_index = np.array([self.column_index[c] for c in self.leaf_columns], dtype=np.intp)
        self.leaf_present = self.present[:, self.leaf_index]

    def __len__(self) -> int:
        return len(self.agreements)

    def agreement(self, agreement_id: int | str) -> Agreement:
        try:
            key = int(agreement_id)
        except (TypeError, ValueError):
            raise DataError(f"{agreement_id!r} is not a PA-X agreement id", fix="give the number (AgtId), e.g. 1364") from None
        if key not in self.index:
            raise DataError(f"no PA-X agreement with AgtId {key}", file=self.path,
                            fix="check the id on https://www.peaceagreements.org or with 'redline precedents --codes ...'")
        return self.agreements[self.index[key]]

    def columns_for(self, codes: list[str] | set[str]) -> np.ndarray:
        return np.array([self.column_index[c] for c in codes if c in self.column_index], dtype=np.intp)

    def has_any(self, codes: list[str] | set[str]) -> np.ndarray:
        """Per agreement: is any of ``codes`` coded above 0? (a parent code counts on its own)."""
        cols = self.columns_for(codes)
        if cols.size == 0:
            return np.zeros(len(self.agreements), dtype=bool)
        return self.present[:, cols].any(axis=1)

    @property
    def first_date(self) -> dt.date:
        return min(a.date for a in self.agreements)

    @property
    def last_date(self) -> dt.date:
        return max(a.date for a in self.agreements)


# --- locating the files -----------------------------------------------------------------------

def candidate_paths(explicit: str | Path | None = None) -> list[Path]:
    """Where the CSV is looked for, in order: --pax, $REDLINE_PAX, $REDLINE_SHARED, ../shared."""
    if explicit is not None:
        return [Path(explicit)]
    out: list[Path] = []
    if os.environ.get(ENV_PAX):
        return [Path(os.environ[ENV_PAX])]
    if os.environ.get(ENV_SHARED):
        out.append(Path(os.environ[ENV_SHARED]) / "data" / "pax")
    repo = Path(__file__).resolve().parents[3]
    out.append(repo.parent / "shared" / "data" / "pax")
    out.append(Path.cwd().parent / "shared" / "data" / "pax")
    seen: list[Path] = []
    for p in out:
        if p not in seen:
            seen.append(p)
    return seen


def _as_csv(path: Path) -> Path:
    return path / CSV_NAME if path.is_dir() else path


def resolve_pax_path(explicit: str | Path | None = None) -> Path:
    """The PA-X CSV to read, or a DataError saying where it was looked for and how to get it."""
    candidates = candidate_paths(explicit)
    for p in candidates:
        f = _as_csv(p)
        if f.is_file():
            return f
    where = ", ".join(str(_as_csv(p)) for p in candidates)
    raise DataError(f"PA-X data not found (looked for {where})", fix=DOWNLOAD_HINT)


def resolve_codes_path(csv_path: Path, explicit: str | Path | None = None) -> Path:
    if explicit is not None:
        p = Path(explicit)
    else:
        p = csv_path.parent / CODES_NAME
    if not p.is_file():
        raise DataError(f"PA-X code table not found: {p}", fix=f"put {CODES_NAME} beside the CSV; " + DOWNLOAD_HINT)
    return p


# --- parsing --------------------------------------------------------------------------------

MAX_PAX_BYTES = 512 * 1024 * 1024  # the v10 CSV is 3.6 MB; leave room for later versions


def _read_text(path: Path) -> str:
    return read_text(path, max_bytes=MAX_PAX_BYTES, kind="CSV text",
                     refetch="download it again: " + DOWNLOAD_HINT)


def load_code_table(path: str | Path) -> CodeTable:
    """Read the code table TSV (code, label, parent, top_category, in_csv, max_value, n_agreements_gt0)."""
    path = Path(path)
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text), delimiter="\t", strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise DataError(f"no header row ({exc})", file=path, line=1, fix="download the code table again") from None
    missing = [c for c in CODE_TABLE_COLUMNS if c not in header]
    if missing:
        raise DataError(f"code table lacks columns {missing}", file=path, line=1,
                        fix=f"expected a TSV with columns {', '.join(CODE_TABLE_COLUMNS)}")
    col = {c: header.index(c) for c in CODE_TABLE_COLUMNS}
    codes: dict[str, PaxCode] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise DataError(f"row has {len(row)} fields, expected {len(header)}", file=path, line=line,
                                fix="the file is truncated or corrupt: download it again")
            get = {c: row[i].strip() for c, i in col.items()}

            def number(key: str) -> int | None:
                if not get[key]:
                    return None
                try:
                    return int(get[key])
                except ValueError:
                    raise DataError(f"{key} {get[key]!r} of code {get['code']!r} is not a whole number",
                                    file=path, line=line, fix="download the code table again") from None

            if get["in_csv"] not in ("True", "False"):
                raise DataError(f"in_csv of code {get['code']!r} is {get['in_csv']!r}, not True/False",
                                file=path, line=line, fix="download the code table again")
            if not get["code"] or get["code"] in codes:
                raise DataError(f"empty or duplicate code {get['code']!r}", file=path, line=line,
                                fix="download the code table again")
            codes[get["code"]] = PaxCode(code=get["code"], label=get["label"], parent=get["parent"] or None,
                                         category=get["top_category"], in_csv=get["in_csv"] == "True",
                                         max_value=number("max_value"), n_agreements=number("n_agreements_gt0"))
    except csv.Error as exc:
        raise DataError(f"malformed TSV: {exc}", file=path, line=reader.line_num, fix="download the code table again") from None
    if not codes:
        raise DataError("the code table has no rows", file=path, fix="download the code table again")
    for c in codes.values():
        if c.parent and c.parent not in codes:
            raise DataError(f"code {c.code!r} names unknown parent {c.parent!r}", file=path,
                            fix="download the code table again")
    return CodeTable(codes, path)


def _parse_csv(path: Path, table: CodeTable) -> PaxData:
    t0 = time.perf_counter()
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise DataError(f"malformed CSV header: {exc}", file=path, line=1, fix="download the file again") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DataError(f"not a PA-X agreements file: no column(s) {', '.join(missing)}", file=path, line=1,
                        fix="give pax_all_agreements_v10.csv: " + DOWNLOAD_HINT)
    if len(set(header)) != len(header):
        dup = sorted({c for c in header if header.count(c) > 1})
        raise DataError(f"duplicate column(s) {', '.join(dup)} in the header", file=path, line=1,
                        fix="download the file again")
    code_pos = [i for i, c in enumerate(header) if c in table.codes or _flag_parent(c) in table.codes]
    if not code_pos:
        raise DataError("no PA-X provision columns (GCh … ImE) in the header", file=path, line=1,
                        fix="give pax_all_agreements_v10.csv with its 251 provision columns")
    columns = [header[i] for i in code_pos]
    h = {c: i for i, c in enumerate(header)}
    width = len(header)

    def cell(row: list[str], name: str) -> str:
        i = h.get(name)
        return row[i] if i is not None else ""

    agreements: list[Agreement] = []
    blobs: list[str] = []
    seen: dict[int, int] = {}
    n = 0
    line = reader.line_num + 1
    try:
        for row in reader:
            n += 1
            start, line = line, reader.line_num + 1
            if len(row) != width:
                if not row or (len(row) == 1 and not row[0].strip()):
                    raise DataError(f"data row {n} is blank", file=path, line=start,
                                    fix="remove blank lines, or download the file again")
                aid = row[h["AgtId"]] if len(row) > h["AgtId"] else "?"
                raise DataError(f"data row {n} (AgtId {aid}) has {len(row)} fields, expected {width}",
                                file=path, line=start,
                                fix="the file is truncated or corrupt: download it again")
            vals = [row[i] for i in code_pos]
            if not VALID_VALUES.issuperset(vals):
                bad = next(j for j, v in enumerate(vals) if v not in VALID_VALUES)
                raise DataError(f"data row {n} (AgtId {row[h['AgtId']]}): {columns[bad]} is {vals[bad]!r}, "
                                "expected 0, 1, 2 or 3", file=path, line=start,
                                fix="the file is corrupt: download it again")
            try:
                aid = int(row[h["AgtId"]])
            except ValueError:
                raise DataError(f"data row {n}: AgtId {row[h['AgtId']]!r} is not a number", file=path,
                                line=start, fix="the file is corrupt: download it again") from None
            if aid in seen:
                raise DataError(f"data row {n}: AgtId {aid} repeats data row {seen[aid]}", file=path,
                                line=start, fix="the file is corrupt: download it again")
            seen[aid] = n
            try:
                date = dt.date.fromisoformat(row[h["Dat"]])
            except ValueError:
                raise DataError(f"data row {n} (AgtId {aid}): date {row[h['Dat']]!r} is not YYYY-MM-DD",
                                file=path, line=start, fix="the file is corrupt: download it again") from None
            blobs.append("".join(vals))
            agreements.append(Agreement.model_construct(
                agreement_id=aid, name=cell(row, "Agt").strip(), date=date, country=cell(row, "Con"),
                conflict_type=cell(row, "Contp"), process_id=cell(row, "PP"), process_name=cell(row, "PPName"),
                region=cell(row, "Reg"), version=cell(row, "Ver"), status=cell(row, "Status"),
                pages=cell(row, "Lgt"), characters=cell(row, "N_characters"),
                agreement_type=cell(row, "Agtp"), stage=cell(row, "Stage"), stage_sub=cell(row, "StageSub"),
                parties=cell(row, "Part").strip(), third_parties=cell(row, "ThrdPart").strip(),
                other_agreements=cell(row, "OthAgr").strip(),
                location_iso=[x for x in (cell(row, "Loc1ISO"), cell(row, "Loc2ISO")) if x],
                ucdp_conflict=cell(row, "UcdpCon"), ucdp_agreement=cell(row, "UcdpAgr"),
                pam_agreement=cell(row, "PamAgr"), cow_war=cell(row, "CowWar"),
                interim=cell(row, "Interim").strip().lower() == "yes", line=start, provisions={}))
    except csv.Error as exc:
        raise DataError(f"malformed CSV in data row {n + 1}: {exc}",
                        file=path, line=reader.line_num,
                        fix="the file is truncated or corrupt (an unclosed quote?): download it again") from None
    if not agreements:
        raise DataError("the file has a header but no agreements", file=path, fix="download it again: " + DOWNLOAD_HINT)

    values = (np.frombuffer("".join(blobs).encode("ascii"), dtype=np.uint8).reshape(len(blobs), len(columns))
              - ord("0")).astype(np.int8)
    nz_rows, nz_cols = np.nonzero(values)
    bounds = np.searchsorted(nz_rows, np.arange(len(agreements) + 1))
    for i, a in enumerate(agreements):
        sl = slice(bounds[i], bounds[i + 1])
        a.provisions = {columns[c]: int(values[i, c]) for c in nz_cols[sl]}

    data = PaxData(
        path=path, codes=table, agreements=agreements, columns=columns, values=values,
        stage=np.array([a.stage for a in agreements]), stage_sub=np.array([a.stage_sub for a in agreements]),
        agreement_type=np.array([a.agreement_type for a in agreements]),
        region=np.array([a.region for a in agreements]),
        dates=np.array([a.date for a in agreements], dtype="datetime64[D]"),
        ids=np.array([a.agreement_id for a in agreements], dtype=np.int64))
    data.load_seconds = time.perf_counter() - t0
    return data


_CACHE: dict[tuple, PaxData] = {}
_CACHE_SIZE = 4


def load_pax(path: str | Path | None = None, codes_path: str | Path | None = None, *,
             cache: bool = True) -> PaxData:
    """Load PA-X from ``path`` (file or folder; default: $REDLINE_PAX, then ../shared/data/pax)."""
    csv_path = resolve_pax_path(path)
    table_path = resolve_codes_path(csv_path, codes_path)
    key = tuple((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in (csv_path, table_path))
    if cache and key in _CACHE:
        return _CACHE[key]
    table = load_code_table(table_path)
    data = _parse_csv(csv_path, table)
    if cache:
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = data
    return data


__all__ = ["Agreement", "PaxCode", "CodeTable", "PaxData", "load_pax", "load_code_table", "resolve_pax_path",
           "candidate_paths", "CITATION", "DOWNLOAD_HINT", "DEPTH", "CSV_NAME", "CODES_NAME"]
