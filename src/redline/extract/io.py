"""Reading documents (JSONL or plain text) and writing statements in the gold files' format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from pydantic import ValidationError

from redline.errors import DataError
from redline.model import Document, Statement

RECORD_FIELDS = ("party", "issue", "polarity", "act", "red_line", "speaker", "quote", "confidence")


def _date(value: Any, file: Path, line: int) -> dt.date | None:
    if value in (None, ""):
        return None
    text = str(value)
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    for fmt, n in (("%Y-%m", 7), ("%Y", 4)):
        try:
            return dt.datetime.strptime(text[:n], fmt).date()
        except ValueError:
            continue
    raise DataError(f"unreadable date {text!r}", file=file, line=line, fix="write dates as YYYY-MM-DD")


def read_documents(path: str | Path) -> Iterator[Document]:
    """JSONL with at least ``id`` and ``text`` (optional date, url, title, outlet); any other
    file is one plain-text document whose id is the file name."""
    file = Path(path)
    if not file.is_file():
        raise DataError("no such file", file=file, fix="give the path of a .jsonl or text file")
    if file.suffix.lower() not in (".jsonl", ".ndjson"):
        text = file.read_text(encoding="utf-8", errors="replace")
        yield Document(id=file.stem, text=text, path=str(file))
        return
    for n, rec in _jsonl(file, ("id", "text")):
        try:
            yield Document(id=str(rec["id"]), text=str(rec["text"]), title=rec.get("title") or "",
                           url=rec.get("url"), outlet=rec.get("outlet") or "",
                           date=_date(rec.get("date"), file, n), path=str(file))
        except ValidationError as exc:
            raise DataError(f"bad document: {exc.errors()[0]['msg']}", file=file, line=n) from None


def _jsonl(file: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each non-blank line; a line that is not a JSON object with the
    required keys is an error naming the line."""
    with file.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"not JSON: {exc.msg}", file=file, line=n,
                                fix="one JSON object per line") from None
            if not isinstance(rec, dict) or any(k not in rec for k in required):
                raise DataError(f"each line needs {', '.join(repr(k) for k in required)}", file=file, line=n,
                                fix="write {" + ", ".join(f'"{k}": ...' for k in required) + "}")
            yield n, rec


def statement_record(st: Statement) -> dict[str, Any]:
    """The gold files' statement shape."""
    data = st.model_dump(mode="json")
    return {k: data[k] for k in RECORD_FIELDS}


def write_jsonl(results: Iterable[tuple[Document, list[Statement]]], out: IO[str]) -> int:
    """One line per input document, in input order; returns the number of lines written."""
    n = 0
    for doc, statements in results:
        out.write(json.dumps({"id": doc.id, "statements": [statement_record(s) for s in statements]},
                             ensure_ascii=False) + "\n")
        n += 1
    return n


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold records: documents plus their annotated statements."""
    file = Path(path)
    if not file.is_file():
        raise DataError("no such gold file", file=file)
    return [rec for _n, rec in _jsonl(file, ("id", "text", "statements"))]
