"""Reading documents (JSONL or plain text) and writing statements in the gold files' format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from pydantic import ValidationError

from redline.errors import DataError
from redline.ingest.readers import jsonl_lines, record_date, record_text_problem
from redline.inputs import MAX_DOCUMENT_BYTES, bounded_id, display, load_json, not_regular, read_text_file
from redline.model import Document, Statement
from redline.store.hashing import content_hash, id_candidates

MAX_JSONL_BYTES = 200 * 1024 * 1024  # a JSON Lines feed or gold file read by extract / eval

RECORD_FIELDS = ("party", "issue", "polarity", "act", "red_line", "speaker", "quote", "confidence")


def read_documents(path: str | Path, *, encoding: str = "utf-8",
                   on_skip: Callable[[DataError], None] | None = None,
                   seen: dict[str, str] | None = None) -> Iterator[Document]:
    """JSONL with at least ``id`` and ``text`` (optional date, url, title, outlet); any other
    file is one plain-text document whose id is the file name.

    Records are read as ``redline ingest`` reads them: dates by its date reader (an impossible
    date is left empty, ``March 3, 2025`` is read), a whitespace-only text is skipped, and ids
    are unique: an id already used by another text (in this file, or in ``seen``, which maps
    each id given out so far to its text's hash) becomes ``id~hash8``, and a repeat of the
    same id and text is the same document, read once.

    Input passes the boundary (``redline.inputs``): regular files only, strict decoding in
    ``encoding`` (never a silent replacement character), JSON limits, no NUL or lone surrogate.
    A bad JSONL record goes to ``on_skip`` when given (the batch goes on), else raises."""
    file = Path(path)
    seen = {} if seen is None else seen
    why = not_regular(file)
    if why is not None:
        raise DataError(f"no such file" if why == "no such file" else f"file is {why}", file=display(file),
                        fix="give the path of a .jsonl or text file")
    if file.suffix.lower() not in (".jsonl", ".ndjson"):
        text = read_text_file(file, max_bytes=MAX_DOCUMENT_BYTES, encoding=encoding, kind="text")
        if not text.strip():
            raise DataError("empty file", file=display(file), fix="give a file with text")
        yield from _unique(Document(id=bounded_id(file.stem) or "text", text=text, path=str(file)), seen)
        return
    for n, rec in _jsonl(file, ("id", "text"), encoding=encoding, on_skip=on_skip):
        try:
            yield from _unique(_document(rec, file, n), seen, line=n)
        except DataError as exc:
            if on_skip is None:
                raise
            on_skip(exc)


def _unique(doc: Document, seen: dict[str, str], line: int | None = None) -> Iterator[Document]:
    """The document under the id ingest would store it as (``id_candidates``), or nothing when
    the same id already holds the same text (ingest: already seen). Output ids never repeat."""
    digest = content_hash(doc.text)
    for candidate in id_candidates(doc.id, digest):
        if candidate not in seen:
            seen[candidate] = digest
            yield doc if candidate == doc.id else doc.model_copy(update={"id": candidate})
            return
        if seen[candidate] == digest:
            return
    raise DataError(f"id {doc.id!r} is taken by other texts", file=display(doc.path or ""), line=line,
                    fix="give the record another id")


def read_inputs(paths: Iterable[str | Path], *, encoding: str = "utf-8",
                on_skip: Callable[[str], None]) -> Iterator[Document]:
    """Documents from several files and folders (folders walked as ``redline ingest`` walks
    them). Every unusable input (a file, a JSONL record, a FIFO, a dangling link) goes to
    ``on_skip`` as one line naming it and why, and the rest is read. What the extractor then
    leaves unread of a document (another language, past the parser's limit) is in the notes of
    its state (``nlp.reading_notes``)."""
    from redline.ingest.readers import iter_files
    from redline.inputs import check_encoding
    from redline.store.store import Skipped

    check_encoding(encoding)
    seen: dict[str, str] = {}  # ids given out in this run → hash of their text: ids never repeat
    for item in iter_files(paths):
        if isinstance(item, Skipped):
            on_skip(f"{item.source}: {item.reason}")
            continue
        file, _root = item
        try:
            yield from read_documents(file, encoding=encoding, on_skip=lambda e: on_skip(e.render()),
                                      seen=seen)
        except DataError as exc:
            on_skip(exc.render())


def _document(rec: dict[str, Any], file: Path, n: int) -> Document:
    where = {"file": display(file), "line": n}
    raw_id, text = rec["id"], rec["text"]
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        raise DataError("'id' must be a non-empty string or number", fix='write "id": "doc-1"', **where)
    if not isinstance(text, str):
        raise DataError(f"'text' must be a string, not {'null' if text is None else type(text).__name__}",
                        fix='write "text": "the article"', **where)
    why = record_text_problem(text)  # only whitespace: ingest skips it, so extract does too
    if why:
        raise DataError(why, fix='write "text": "the article"', **where)
    fields = {}
    for key in ("title", "url", "outlet"):
        value = rec.get(key)
        if value is not None and not isinstance(value, str):
            raise DataError(f"'{key}' must be a string, not {type(value).__name__}", fix="quote it", **where)
        fields[key] = value
    date, date_source = record_date(rec, text.strip())  # as ingest dates it; a non-day is left empty
    try:
        return Document(id=bounded_id(str(raw_id)), text=text, title=fields["title"] or "",
                        url=fields["url"], outlet=fields["outlet"] or "",
                        date=date, date_source=date_source, path=str(file))
    except ValidationError as exc:
        raise DataError(f"bad document: {exc.errors()[0]['msg']}", **where) from None


def _jsonl(file: Path, required: tuple[str, ...], *, encoding: str = "utf-8",
           on_skip: Callable[[DataError], None] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each non-blank line; a line that is not a JSON object with the
    required keys is an error naming the line (passed to ``on_skip`` when given)."""
    text = read_text_file(file, max_bytes=MAX_JSONL_BYTES, encoding=encoding, kind="JSON Lines text")
    for n, line in jsonl_lines(text):  # records split as ingest splits them, at "\n" only
        if not line.strip():
            continue
        try:
            rec = load_json(line, file=display(file), line=n)
            if not isinstance(rec, dict) or any(k not in rec for k in required):
                raise DataError(f"each line needs {', '.join(repr(k) for k in required)}", file=display(file),
                                line=n, fix="write {" + ", ".join(f'"{k}": ...' for k in required) + "}")
        except DataError as exc:
            if on_skip is None:
                raise
            on_skip(exc)
            continue
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
    if not_regular(file) is not None:
        raise DataError(f"no such gold file" if not file.exists() else f"file is {not_regular(file)}",
                        file=display(file), fix="give the path of a gold .jsonl file")
    return [rec for _n, rec in _jsonl(file, ("id", "text", "statements"))]
