"""Files → Documents. Every file either yields documents or a ``Skipped`` with the reason.

Formats: the tagged article format (``<TITLE>``, ``<PUBLISHED_DATE>``, ``<URL>``, ``<AUTHOR>``,
``<SUMMARY>``, ``<HIGHLIGHTS>``, ``<CONTENT>``), plain text, Markdown (with optional YAML front
matter), HTML (main text by trafilatura; scripts, styles and attributes never reach the text),
JSON Lines (``{"id", "date", "url", "title", "text"}`` per line) and JSON (an object or a list).
Nothing here raises on bad input: a reader that cannot use a file says why, and the batch goes on.
Every byte passes the input boundary (``redline.inputs``): regular files only (FIFOs are never
opened), strict decoding, JSON depth and integer limits, bounded YAML front matter, and no NUL or
unpaired surrogate in any stored field.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Iterator

from redline import inputs
from redline.errors import DataError
from redline.model import Document
from redline.results import Skipped
from redline.store.hashing import normalise_text

MAX_BYTES = inputs.MAX_DOCUMENT_BYTES  # one article file; larger is not an article
MAX_LINE_BYTES = 10 * 1024 * 1024     # one JSON Lines record
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
MAGIC = inputs.MAGIC
TAGS = ("TITLE", "PUBLISHED_DATE", "URL", "AUTHOR", "SUMMARY", "HIGHLIGHTS", "CONTENT")
_TAG_OPEN = re.compile(r"<(" + "|".join(TAGS) + r")>", re.I)
_HTML_SNIFF = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
# A tag's attributes hold no '<': with '[^<>]' each '<p' is scanned only up to the next '<', so a
# search over any text is linear ('[^>]' rescanned to the end for every '<p' without a '>').
_HTML_INSIDE = re.compile(r"<(p|div|script|style|br|span|a|img|iframe|h[1-6]|li|table)\b[^<>]*>", re.I)
HTML_SNIFF_CHARS = 5000  # how much of a text is looked at for HTML tags
# Languages dateparser tries (all of them would take seconds per unreadable date).
DATE_LANGUAGES = ["en", "uk", "ru", "de", "fr", "pl", "tr"]
RECORD_DATE_FROM = "date field"  # date_source of a JSON record's date
_ISO_IN_TEXT = re.compile(r"\b((?:19|20)\d\d-[01]\d-[0-3]\d)\b")


@dataclass
class Options:
    encoding: str = "utf-8"
    max_bytes: int = MAX_BYTES


# --- files and folders ---------------------------------------------------------------------

def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path] | Skipped]:
    """(file, root) for every regular file under the given files and folders (sorted, hidden ones
    left out), or ``Skipped`` for anything else: a path that does not exist, a dangling link, a
    link loop, a FIFO, a socket, a device, a link to a folder (not followed, so no loops), a name
    that is not valid UTF-8. Nothing is opened here, so a FIFO cannot block the walk."""
    for p in paths:
        path = Path(p)
        if path.is_dir():  # a folder given by name (or a link to one) is read; links inside are not
            yield from _walk(path)
            continue
        why = _unusable(path)
        if why is None:
            yield path, path.parent
        else:
            yield Skipped(inputs.display(path), "no such file or folder" if why == "no such file" else why)


def _walk(root: Path) -> Iterator[tuple[Path, Path] | Skipped]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for d in list(dirnames):
            if (here / d).is_symlink():
                dirnames.remove(d)
                yield Skipped(inputs.display(here / d), "a symbolic link to a folder (not followed: "
                                                        "give the folder itself to read it)")
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            f = here / name
            why = _unusable(f)
            if why is None:
                yield f, root
            else:
                yield Skipped(inputs.display(f), why)


def _unusable(path: Path) -> str | None:
    """Why ``path`` cannot be read as an article (not a regular file, a name that is not UTF-8)."""
    why = inputs.not_regular(path)
    if why is not None:
        return why
    if inputs.text_problem(str(path)):
        return "the file name is not valid UTF-8 (rename the file)"
    return None


def doc_id_for(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return inputs.bounded_id(rel.with_suffix("").as_posix() or path.name)


# --- decoding -----------------------------------------------------------------------------

def sniff_binary(raw: bytes, encoding: str = "utf-8") -> str | None:
    """Why these bytes are not text (a known format, NUL bytes, control characters), or None."""
    return inputs.sniff_binary(raw[:8192], encoding)


def decode(raw: bytes, encoding: str) -> tuple[str | None, str]:
    """(text, '') or (None, reason). Strict: undecodable bytes, NULs and lone surrogates are
    refused with the fix, never replaced."""
    try:
        return inputs.decode(raw, encoding=encoding), ""
    except DataError as exc:
        return None, reason_of(exc)


def reason_of(exc: DataError) -> str:
    """A DataError as a skip reason (the file is already named by the skip line)."""
    text = exc.message
    if exc.line and "line" not in text:
        text += f" (line {exc.line})"
    return f"{text}: {exc.fix}" if exc.fix else text


# --- dates --------------------------------------------------------------------------------

def parse_date(value: Any, source: str) -> tuple[dt.date | None, str]:
    """(date, where-it-came-from) for a date written any common way; (None, '') if unreadable.

    ISO dates are read directly; anything else ('March 5, 2025', '05.03.2025', '5 марта 2025')
    goes through dateparser. The source keeps the raw value: ``"PUBLISHED_DATE: March 5, 2025"``.
    """
    if value is None:
        return None, ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value, source) if _sane_year(value) else (None, "")
    if not isinstance(value, (str, int, float)):
        return None, ""
    raw = str(value).strip()
    if not raw:
        return None, ""
    if inputs.text_problem(raw):
        return None, ""
    where = f"{source}: {raw[:80]}"
    for read in (lambda: dt.date.fromisoformat(raw[:10]),
                 lambda: dt.datetime.fromisoformat(raw[:40].replace("Z", "+00:00")).date()):
        try:
            date = read()
        except ValueError:
            continue
        return (date, where) if _sane_year(date) else (None, "")
    if re.match(r"\d{4}-\d\d?-\d\d?\b", raw):  # ISO-shaped but no such day: never reread as Y-D-M
        return None, ""
    month = re.fullmatch(r"((?:19|20)\d\d)-([01]\d)", raw)
    if month:  # a month only: its first day, the source says it was a month
        try:
            return dt.date(int(month.group(1)), int(month.group(2)), 1), where
        except ValueError:
            return None, ""
    if not any(c.isdigit() for c in raw):  # 'unknown', 'n/a': not worth dateparser's time
        return None, ""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser comes with the ingest extra
        return None, ""
    parsed = dateparser.parse(raw[:200], languages=DATE_LANGUAGES,
                              settings={"PREFER_DAY_OF_MONTH": "first",
                                        "RETURN_AS_TIMEZONE_AWARE": False,
                                        "PREFER_DATES_FROM": "past"})
    if parsed is None or not _sane_year(parsed):
        return None, ""
    return parsed.date(), where


def _sane_year(date: dt.date) -> bool:
    """News dates lie between 1900 and next year; anything else is a misreading, left empty."""
    return 1900 <= date.year <= dt.date.today().year + 1


# --- HTML ---------------------------------------------------------------------------------

class _TextOnly(HTMLParser):
    """Visible text only: no script, style or template contents, no attributes at all."""

    SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "head", "canvas"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
             "blockquote", "pre", "hr", "header", "footer", "ul", "ol", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "title":
            self.in_title = True
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if not self.skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """Whether a text (a tagged article's CONTENT, a JSON record's "text") carries HTML tags to
    strip. Only the start is looked at, by a pattern that cannot rescan, so a hostile text of
    many '<p' fragments costs linear time, well inside docs/hostile-input.md's budget."""
    return _HTML_INSIDE.search(text[:HTML_SNIFF_CHARS]) is not None


def strip_html(html: str) -> tuple[str, str]:
    """(text, title) by a plain parser: the fallback when trafilatura finds no main text."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in text.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, " ".join("".join(parser.title).split())


def html_document(html: str) -> dict[str, Any]:
    """Main text and metadata of an HTML page (title, date, url, author, outlet when found)."""
    meta: dict[str, Any] = {}
    text = ""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura comes with the ingest extra
        trafilatura = None
    if trafilatura is not None:
        try:
            res = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                              include_tables=True, favor_recall=True)
        except Exception:  # noqa: BLE001 - a page trafilatura chokes on still gets the fallback
            res = None
        if res is not None:
            get = res.get if isinstance(res, dict) else (lambda k: getattr(res, k, None))
            text = (get("text") or "").strip()
            for key, name in (("title", "title"), ("date", "date"), ("url", "url"),
                              ("author", "author"), ("sitename", "outlet")):
                if get(key):
                    meta[name] = get(key)
    if len(text) < 40:
        fallback, title = strip_html(html)
        if len(fallback) > len(text):
            text = fallback
        if title and not meta.get("title"):
            meta["title"] = title
    meta["text"] = text
    return meta


# --- formats ------------------------------------------------------------------------------

def parse_tagged(text: str) -> dict[str, str]:
    """The tagged article format: each ``<TAG>`` runs to ``</TAG>`` or to the next tag."""
    marks = list(_TAG_OPEN.finditer(text))
    out: dict[str, str] = {}
    for i, m in enumerate(marks):
        tag = m.group(1).upper()
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        segment = text[m.end():end]
        close = re.search(rf"</{tag}>", segment, re.I)
        if close:
            segment = segment[:close.start()]
        out.setdefault(tag, segment.strip())
    return out


def looks_tagged(text: str) -> bool:
    head = text[:4000]
    found = {m.group(1).upper() for m in _TAG_OPEN.finditer(head)}
    return bool(found & {"CONTENT", "TITLE"}) and len(found) >= 2 and head.lstrip()[:1] == "<"


class FrontMatterError(Exception):
    """Front matter over a limit (aliases, depth, NULs): the file is skipped with the reason."""


def _front_matter(text: str, file: str = "") -> tuple[dict[str, Any], str]:
    """YAML front matter and the body. Text that is not YAML at all (a Markdown rule '---') is
    body, as before; YAML over a limit (an alias bomb, deep nesting) raises FrontMatterError."""
    if not text.startswith("---"):
        return {}, text
    m = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S)
    if not m:
        return {}, text
    try:
        data = inputs.load_yaml_text(m.group(1), file=file or None, front_matter=True)
    except inputs.YAMLSyntaxError:
        return {}, text
    except DataError as exc:
        if exc.line:  # a line of the front matter; the file's line is one more ('---')
            exc.line += 1
        raise FrontMatterError(reason_of(exc)) from None
    return (data if isinstance(data, dict) else {}), text[m.end():]


def _scalar(value: Any) -> str:
    """A metadata value as text: strings and numbers only (a list or mapping is not a title)."""
    if isinstance(value, bool) or value is None or not isinstance(value, (str, int, float, dt.date)):
        return ""
    return str(value).strip()


def _first_line_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 150 else ""
    return ""


def _text_date(text: str) -> tuple[dt.date | None, str]:
    m = _ISO_IN_TEXT.search(text[:400])
    if not m:
        return None, ""
    try:
        return dt.date.fromisoformat(m.group(1)), f"text: {m.group(1)}"
    except ValueError:
        return None, ""


def document_date(value: Any, source: str, text: str) -> tuple[dt.date | None, str]:
    """(date, date_source) of a document: ``value`` read by ``parse_date``, else an ISO date
    early in its text; (None, '') when neither gives a calendar day (the document is kept)."""
    date, date_source = parse_date(value, source)
    if date is None:
        date, date_source = _text_date(text)
    return date, date_source


def record_date(rec: dict[str, Any], text: str) -> tuple[dt.date | None, str]:
    """(date, date_source) of a JSON record as ingest stores it: its ``date`` (else
    ``published_date``, ``published``) written any common way, else an ISO date early in
    ``text``. ``redline extract`` reads dates by this too, so both commands date a feed alike."""
    return document_date(_record_date_value(rec), RECORD_DATE_FROM, text)


def _record_date_value(rec: dict[str, Any]) -> Any:
    return rec.get("date") or rec.get("published_date") or rec.get("published")


def record_text_problem(text: Any) -> str | None:
    """Why a record's "text" gives no document (missing, not a string, only whitespace or
    invisible characters), or None. Shared by ingest and ``redline extract``."""
    if isinstance(text, str) and normalise_text(text):
        return None
    got = "" if text is None else f" (got {type(text).__name__})" if not isinstance(text, str) else ""
    return f"no 'text' (each record needs a non-empty \"text\" string){got}"


def jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of decoded JSON Lines text, split at "\n" only (a trailing "\r" is
    dropped): U+2028, U+2029, U+0085, \\x0b, \\x0c may stand raw inside a JSON string, and
    ``str.splitlines`` would cut such a record in two and shift every later line number."""
    for n, line in enumerate(text.split("\n"), start=1):
        yield n, line[:-1] if line.endswith("\r") else line


def _doc(fields: dict[str, Any], *, doc_id: str, path: str, date_from: str) -> Document:
    text = fields.get("text") or ""
    date, date_source = document_date(fields.get("date"), date_from, text)
    url = _scalar(fields.get("url"))[:2000]
    return Document(id=doc_id, text=text, title=_scalar(fields.get("title"))[:500],
                    url=url or None, outlet=_scalar(fields.get("outlet"))[:200],
                    author=_author(fields.get("author")), date=date, date_source=date_source,
                    path=path)


def _author(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(_scalar(v) for v in value[:20] if _scalar(v))
    return _scalar(value)[:300]


def read_text_document(text: str, *, doc_id: str, path: str, suffix: str) -> Document | Skipped:
    """One document from decoded text, by format (tagged, HTML, Markdown, plain)."""
    if looks_tagged(text):
        tags = parse_tagged(text)
        body = tags.get("CONTENT") or "\n\n".join(v for v in (tags.get("SUMMARY"), tags.get("HIGHLIGHTS")) if v)
        if body and looks_like_html(body):
            body = html_document(body)["text"]
        fields = {"text": body, "title": tags.get("TITLE"), "url": tags.get("URL"),
                  "author": tags.get("AUTHOR"), "date": tags.get("PUBLISHED_DATE")}
        return _doc(fields, doc_id=doc_id, path=path, date_from="PUBLISHED_DATE")
    if suffix in HTML_SUFFIXES or _HTML_SNIFF.match(text[:2000]):
        fields = html_document(text)
        return _doc(fields, doc_id=doc_id, path=path, date_from="html metadata")
    if suffix in MARKDOWN_SUFFIXES:
        try:
            meta, body = _front_matter(text, path)
        except FrontMatterError as exc:
            return Skipped(path, f"front matter: {exc}")
        fields = {"text": body.strip(), "title": meta.get("title") or _first_line_title(body),
                  "url": meta.get("url") or meta.get("link"), "author": meta.get("author"),
                  "outlet": meta.get("outlet") or meta.get("source"), "date": meta.get("date")}
        return _doc(fields, doc_id=doc_id, path=path, date_from="front matter date")
    return _doc({"text": text.strip(), "title": _first_line_title(text)}, doc_id=doc_id, path=path,
                date_from="")


def _record(rec: Any, *, where: str, default_id: str, path: str) -> Document | Skipped:
    if not isinstance(rec, dict):
        return Skipped(where, f"expected a JSON object, got {type(rec).__name__}")
    text = rec.get("text")
    why = record_text_problem(text)
    if why:
        return Skipped(where, why)
    if looks_like_html(text) and re.search(r"</\w+>", text):
        html = html_document(text)
        text = html["text"]
        if not text:
            return Skipped(where, "HTML text with no readable content")
    raw_id = rec.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        return Skipped(where, f"'id' must be a string or a number, not {type(raw_id).__name__}")
    fields = {"text": text.strip(), "title": rec.get("title"), "url": rec.get("url") or rec.get("link"),
              "outlet": rec.get("outlet") or rec.get("source"), "author": rec.get("author"),
              "date": _record_date_value(rec)}  # so dated exactly as record_date says
    doc_id = inputs.bounded_id(str(raw_id if raw_id is not None else "").strip() or default_id)
    return _doc(fields, doc_id=doc_id or default_id, path=path, date_from=RECORD_DATE_FROM)


def checked(item: Document | Skipped, where: str) -> Document | Skipped:
    """The document if every stored field is storable text (no NUL, no lone surrogate)."""
    if isinstance(item, Skipped):
        return item
    for name in ("id", "text", "title", "url", "outlet", "author", "date_source", "path"):
        value = getattr(item, name)
        why = inputs.text_problem(value) if isinstance(value, str) else None
        if why:
            return Skipped(where, f"the {name} {why}")
    return item


def _open_regular(file: Path):
    """A binary file object for a regular file, opened without blocking (never waits on a FIFO)."""
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataError("not a regular file", file=inputs.display(file), fix="give a regular file")
    return os.fdopen(fd, "rb")


def _jsonl_line(raw: bytes | str, n: int, *, file: Path, id_prefix: str, enc: str,
                opts: Options) -> Document | Skipped | None:
    where = f"{inputs.display(file)}:{n}"
    if len(raw) > MAX_LINE_BYTES:
        return Skipped(where, f"line {n} is {len(raw):,} bytes, over the {MAX_LINE_BYTES:,}-byte limit")
    if not raw.strip():
        return None
    if isinstance(raw, bytes):
        try:
            line = raw.decode(enc if n == 1 else enc.replace("-sig", ""))
        except UnicodeDecodeError as exc:
            return Skipped(where, f"line {n} is not valid {opts.encoding} (byte {exc.start + 1} of the line): "
                                  + inputs.encoding_hint(raw, opts.encoding))
    else:
        line = raw
    try:
        rec = inputs.load_json(line)
    except DataError as exc:
        if exc.message.startswith("not JSON"):
            return Skipped(where, f"line {n} is {exc.message}")
        return Skipped(where, f"line {n}: {reason_of(exc)}")
    return checked(_record(rec, where=where, default_id=f"{id_prefix}:{n}", path=str(file)), where)


def read_jsonl(file: Path, *, id_prefix: str, opts: Options) -> Iterator[Document | Skipped]:
    """Stream a JSON Lines file: every bad line is skipped with its number, the rest are read.

    UTF-8 and other ASCII-compatible encodings are streamed line by line; UTF-16/32 files are
    decoded whole (within ``--max-mb``), since their line breaks are not single bytes."""
    with _open_regular(file) as fh:
        head = fh.read(4)
        enc = inputs.effective_encoding(head, opts.encoding)
        fh.seek(0)
        if not inputs.ascii_compatible(enc):
            size = os.fstat(fh.fileno()).st_size
            if size > opts.max_bytes:
                yield Skipped(inputs.display(file), _too_big(size, opts))
                return
            try:
                text = inputs.decode(fh.read(opts.max_bytes + 1), encoding=opts.encoding)
            except DataError as exc:
                yield Skipped(inputs.display(file), reason_of(exc))
                return
            for n, line in jsonl_lines(text):
                item = _jsonl_line(line, n, file=file, id_prefix=id_prefix, enc=enc, opts=opts)
                if item is not None:
                    yield item
            return
        for n, raw in enumerate(fh, start=1):
            item = _jsonl_line(raw, n, file=file, id_prefix=id_prefix, enc=enc, opts=opts)
            if item is not None:
                yield item


def read_json(text: str, *, file: Path, id_prefix: str) -> Iterator[Document | Skipped]:
    where = inputs.display(file)
    try:
        data = inputs.load_json(text)
    except DataError as exc:
        yield Skipped(where, reason_of(exc))
        return
    items = data if isinstance(data, list) else [data]
    for i, rec in enumerate(items, start=1):
        item_where = f"{where}[{i}]"
        yield checked(_record(rec, where=item_where, default_id=f"{id_prefix}:{i}", path=str(file)), item_where)


def _too_big(size: int, opts: Options) -> str:
    return (f"file is {size / 2**20:.1f} MB, over the {opts.max_bytes / 2**20:g} MB "
            "limit for one document (raise it with --max-mb)")


def read_file(file: Path, root: Path | None = None, opts: Options | None = None) -> Iterator[Document | Skipped]:
    """Documents in one file, or the reasons it (or a record in it) cannot be used."""
    opts = opts or Options()
    root = root or file.parent
    where = inputs.display(file)
    why = _unusable(file)
    if why is not None:
        yield Skipped(where, "no such file or folder" if why == "no such file" else why)
        return
    doc_id = doc_id_for(file, root)
    suffix = file.suffix.lower()
    try:
        with _open_regular(file) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                yield Skipped(where, "empty file")
                return
            head = fh.read(8192)
            why = sniff_binary(head, opts.encoding)
            if why:
                yield Skipped(where, why)
                return
            if suffix in JSONL_SUFFIXES:
                pass
            elif size > opts.max_bytes:
                yield Skipped(where, _too_big(size, opts))
                return
            else:
                raw = head + fh.read(opts.max_bytes + 1 - len(head))
    except DataError as exc:
        yield Skipped(where, reason_of(exc))
        return
    except OSError as exc:
        yield Skipped(where, f"cannot read: {exc.strerror or exc}")
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(file, id_prefix=doc_id, opts=opts)
        return
    if len(raw) > opts.max_bytes:  # it grew after the size check
        yield Skipped(where, _too_big(len(raw), opts))
        return
    yield from read_bytes(raw, where=where, doc_id=doc_id, path=file, suffix=suffix, encoding=opts.encoding)


def read_bytes(raw: bytes, *, where: str, doc_id: str, path: Path, suffix: str,
               encoding: str = "utf-8") -> Iterator[Document | Skipped]:
    """The content of one file, already read: documents, or why not (a binary format, bytes that
    do not decode, nothing readable). Files on disk (``read_file``) and uploads (the API) are
    read by this one function, so both refuse and keep the same things."""
    if not raw:
        yield Skipped(where, "empty file")
        return
    why = sniff_binary(raw, encoding)
    if why:
        yield Skipped(where, why)
        return
    text, reason = decode(raw, encoding)
    if text is None:
        yield Skipped(where, reason)
        return
    if not text.strip():
        yield Skipped(where, "empty file (only whitespace)")
        return
    if suffix == ".json":
        yield from read_json(text, file=path, id_prefix=doc_id)
        return
    item = checked(read_text_document(text, doc_id=doc_id, path=str(path), suffix=suffix), where)
    if isinstance(item, Document) and not item.text.strip():
        what = "HTML page" if suffix in HTML_SUFFIXES or _HTML_SNIFF.match(text[:2000]) else "document"
        yield Skipped(where, f"{what} with no readable text")
        return
    yield item
