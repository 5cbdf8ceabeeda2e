"""Files → Documents. Every file either yields documents or a ``Skipped`` with the reason.

Formats: the tagged article format (``<TITLE>``, ``<PUBLISHED_DATE>``, ``<URL>``, ``<AUTHOR>``,
``<SUMMARY>``, ``<HIGHLIGHTS>``, ``<CONTENT>``), plain text, Markdown (with optional YAML front
matter), HTML (main text by trafilatura; scripts, styles and attributes never reach the text),
JSON Lines (``{"id", "date", "url", "title", "text"}`` per line) and JSON (an object or a list).
Nothing here raises on bad input: a reader that cannot use a file says why, and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Iterator

from redline.model import Document
from redline.store.store import Skipped

MAX_BYTES = 10 * 1024 * 1024          # one article file; larger is not an article
MAX_LINE_BYTES = 10 * 1024 * 1024     # one JSON Lines record
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
MAGIC = [(b"%PDF", "PDF"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
         (b"GIF8", "GIF image"), (b"PK\x03\x04", "ZIP archive or Office document"),
         (b"\x1f\x8b", "gzip archive"), (b"\x7fELF", "executable"), (b"SQLite format 3", "SQLite database")]
TAGS = ("TITLE", "PUBLISHED_DATE", "URL", "AUTHOR", "SUMMARY", "HIGHLIGHTS", "CONTENT")
_TAG_OPEN = re.compile(r"<(" + "|".join(TAGS) + r")>", re.I)
_HTML_SNIFF = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
_HTML_INSIDE = re.compile(r"<(p|div|script|style|br|span|a|img|iframe|h[1-6]|li|table)\b[^>]*>", re.I)
# Languages dateparser tries (all of them would take seconds per unreadable date).
DATE_LANGUAGES = ["en", "uk", "ru", "de", "fr", "pl", "tr"]
_ISO_IN_TEXT = re.compile(r"\b((?:19|20)\d\d-[01]\d-[0-3]\d)\b")


@dataclass
class Options:
    encoding: str = "utf-8"
    max_bytes: int = MAX_BYTES


# --- files and folders ---------------------------------------------------------------------

def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path] | Skipped]:
    """(file, root) for every file under the given files and folders (sorted, hidden ones left
    out), or ``Skipped`` for a path that does not exist."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path)
                if f.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield f, path
        elif path.is_file():
            yield path, path.parent
        else:
            yield Skipped(str(path), "no such file or folder")


def doc_id_for(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return rel.with_suffix("").as_posix() or path.name


# --- decoding -----------------------------------------------------------------------------

def sniff_binary(raw: bytes) -> str | None:
    """Why these bytes are not text (a known format, NUL bytes, control characters), or None."""
    head = raw[:8192]
    for magic, name in MAGIC:
        if head.startswith(magic):
            return f"binary file ({name})"
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls / len(head) > 0.1:
        return "binary file (control characters)"
    return None


def decode(raw: bytes, encoding: str) -> tuple[str | None, str]:
    """(text, '') or (None, reason). UTF-8 is strict: a latin-1 file is refused with the fix."""
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return raw.decode(enc), ""
    except LookupError:
        return None, f"unknown encoding {encoding!r}"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "re-save it as UTF-8"
        if enc == "utf-8-sig":
            try:
                raw.decode("cp1252")
                hint += " or pass --encoding cp1252 (or latin-1)"
            except UnicodeDecodeError:
                pass
        return None, f"not valid {encoding} (byte {exc.start}, line {line}): {hint}"


# --- dates --------------------------------------------------------------------------------

def parse_date(value: Any, source: str) -> tuple[dt.date | None, str]:
    """(date, where-it-came-from) for a date written any common way; (None, '') if unreadable.

    ISO dates are read directly; anything else ('March 5, 2025', '05.03.2025', '5 марта 2025')
    goes through dateparser. The source keeps the raw value: ``"PUBLISHED_DATE: March 5, 2025"``.
    """
    if value is None:
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), source
    if isinstance(value, dt.date):
        return value, source
    raw = str(value).strip()
    if not raw:
        return None, ""
    where = f"{source}: {raw[:80]}"
    try:
        return dt.date.fromisoformat(raw[:10]), where
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).date(), where
    except ValueError:
        pass
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
    if parsed is None or not (1900 <= parsed.year <= dt.date.today().year + 1):
        return None, ""
    return parsed.date(), where


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


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    m = re.match(r"---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S)
    if not m:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text
    return (data if isinstance(data, dict) else {}), text[m.end():]


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


def _doc(fields: dict[str, Any], *, doc_id: str, path: str, date_from: str) -> Document:
    date, date_source = parse_date(fields.get("date"), date_from)
    text = fields.get("text") or ""
    if date is None:
        date, date_source = _text_date(text)
    url = fields.get("url")
    url = str(url).strip() if url else None
    return Document(id=doc_id, text=text, title=str(fields.get("title") or "").strip()[:500],
                    url=url or None, outlet=str(fields.get("outlet") or "").strip()[:200],
                    author=_author(fields.get("author")), date=date, date_source=date_source,
                    path=path)


def _author(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value or "").strip()[:300]


def read_text_document(text: str, *, doc_id: str, path: str, suffix: str) -> Document | Skipped:
    """One document from decoded text, by format (tagged, HTML, Markdown, plain)."""
    if looks_tagged(text):
        tags = parse_tagged(text)
        body = tags.get("CONTENT") or "\n\n".join(v for v in (tags.get("SUMMARY"), tags.get("HIGHLIGHTS")) if v)
        if body and _HTML_INSIDE.search(body):
            body = html_document(body)["text"]
        fields = {"text": body, "title": tags.get("TITLE"), "url": tags.get("URL"),
                  "author": tags.get("AUTHOR"), "date": tags.get("PUBLISHED_DATE")}
        return _doc(fields, doc_id=doc_id, path=path, date_from="PUBLISHED_DATE")
    if suffix in HTML_SUFFIXES or _HTML_SNIFF.match(text[:2000]):
        fields = html_document(text)
        return _doc(fields, doc_id=doc_id, path=path, date_from="html metadata")
    if suffix in MARKDOWN_SUFFIXES:
        meta, body = _front_matter(text)
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
    if not isinstance(text, str) or not text.strip():
        return Skipped(where, "no 'text' (each record needs a non-empty \"text\" string)")
    if _HTML_INSIDE.search(text[:5000]) and re.search(r"</\w+>", text):
        html = html_document(text)
        text = html["text"]
        if not text:
            return Skipped(where, "HTML text with no readable content")
    fields = {"text": text.strip(), "title": rec.get("title"), "url": rec.get("url") or rec.get("link"),
              "outlet": rec.get("outlet") or rec.get("source"), "author": rec.get("author"),
              "date": rec.get("date") or rec.get("published_date") or rec.get("published")}
    doc_id = str(rec.get("id") or default_id).strip() or default_id
    return _doc(fields, doc_id=doc_id, path=path, date_from="date field")


def read_jsonl(file: Path, *, id_prefix: str, opts: Options) -> Iterator[Document | Skipped]:
    """Stream a JSON Lines file: every bad line is skipped with its number, the rest are read."""
    enc = "utf-8-sig" if opts.encoding.lower() in ("utf-8", "utf8") else opts.encoding
    with file.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            where = f"{file}:{n}"
            if len(raw) > MAX_LINE_BYTES:
                yield Skipped(where, f"line {n} is {len(raw):,} bytes, over the {MAX_LINE_BYTES:,}-byte limit")
                continue
            if not raw.strip():
                continue
            try:
                line = raw.decode(enc if n == 1 else enc.replace("-sig", ""))
            except (UnicodeDecodeError, LookupError) as exc:
                yield Skipped(where, f"line {n} is not valid {opts.encoding} ({exc.__class__.__name__})")
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Skipped(where, f"line {n} is not JSON ({exc.msg} at column {exc.colno})")
                continue
            yield _record(rec, where=where, default_id=f"{id_prefix}:{n}", path=str(file))


def read_json(text: str, *, file: Path, id_prefix: str) -> Iterator[Document | Skipped]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skipped(str(file), f"not JSON ({exc.msg}, line {exc.lineno})")
        return
    items = data if isinstance(data, list) else [data]
    for i, rec in enumerate(items, start=1):
        yield _record(rec, where=f"{file}[{i}]", default_id=f"{id_prefix}:{i}", path=str(file))


def read_file(file: Path, root: Path | None = None, opts: Options | None = None) -> Iterator[Document | Skipped]:
    """Documents in one file, or the reasons it (or a record in it) cannot be used."""
    opts = opts or Options()
    root = root or file.parent
    doc_id = doc_id_for(file, root)
    where = str(file)
    suffix = file.suffix.lower()
    try:
        size = file.stat().st_size
        if size == 0:
            yield Skipped(where, "empty file")
            return
        with file.open("rb") as fh:
            head = fh.read(8192)
        why = sniff_binary(head)
        if why:
            yield Skipped(where, why)
            return
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(file, id_prefix=doc_id, opts=opts)
            return
        if size > opts.max_bytes:
            yield Skipped(where, f"file is {size / 2**20:.1f} MB, over the {opts.max_bytes / 2**20:g} MB "
                                 "limit for one document (raise it with --max-mb)")
            return
        raw = file.read_bytes()
    except OSError as exc:
        yield Skipped(where, f"cannot read: {exc.strerror or exc}")
        return
    why = sniff_binary(raw)
    if why:
        yield Skipped(where, why)
        return
    text, reason = decode(raw, opts.encoding)
    if text is None:
        yield Skipped(where, reason)
        return
    if not text.strip():
        yield Skipped(where, "empty file (only whitespace)")
        return
    if suffix == ".json":
        yield from read_json(text, file=file, id_prefix=doc_id)
        return
    item = read_text_document(text, doc_id=doc_id, path=where, suffix=suffix)
    if isinstance(item, Document) and not item.text.strip():
        what = "HTML page" if suffix in HTML_SUFFIXES or _HTML_SNIFF.match(text[:2000]) else "document"
        yield Skipped(where, f"{what} with no readable text")
        return
    yield item
