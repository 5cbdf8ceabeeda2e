"""The input boundary: every byte that enters redline passes one of these readers first.

Files, JSON and JSON Lines records, YAML (profiles, plans, front matter), plan texts and CLI
option values are read here under documented limits (docs/hostile-input.md), so that hostile or
broken input becomes a ``DataError`` naming the file, the line or record, and the fix, instead
of a crash, a hang or a multi-gigabyte allocation somewhere downstream.

The rules, the same everywhere:

* **Files** are opened without blocking (a FIFO is never waited on) and must be regular files;
  directories, FIFOs, sockets, devices, dangling links and link loops are refused by name.
  Sizes are checked before reading.
* **Encoding**: UTF-8 by default (a UTF-8 BOM is dropped; a UTF-16/32 BOM is honoured), or the
  encoding the caller declares. Undecodable bytes are an error with the byte, the line and a
  hint, never replaced silently.
* **NUL characters and unpaired surrogates** (``\\ud800``, e.g. from JSON escapes or file names
  that are not UTF-8) are refused in every text, id and value: no database stores them and no
  encoder writes them.
* **JSON** is parsed with limits on nesting depth and integer digits; YAML with limits on depth,
  on the size of the document once aliases are expanded (billion laughs), integer digits, string
  length, unhashable keys, and dates (real calendar dates in a sane year range).

Other layers (the REST API included) should call these functions rather than ``json.loads``,
``yaml.safe_load`` or ``Path.read_text`` on anything a user supplied.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from redline.errors import DataError
from redline.model import ID_PATTERN as _MODEL_ID_PATTERN

__all__ = [
    "Limits", "LIMITS", "MAX_DOCUMENT_BYTES", "MAX_YAML_BYTES", "MAX_PLAN_TEXT_BYTES", "MAX_DEPTH",
    "MAX_INT_DIGITS", "MAX_STRING_CHARS", "MAX_YAML_NODES", "MAX_ID_CHARS", "MIN_YEAR", "MAX_YEAR",
    "YAMLSyntaxError", "display", "text_problem", "check_text", "check_encoding", "decode", "sniff_binary",
    "not_regular", "read_bytes", "read_text_file", "load_json", "BoundedLoader", "load_yaml_text",
    "check_date", "parse_iso_date", "bounded_id", "check_id", "check_http_url", "effective_encoding",
    "ascii_compatible", "encoding_hint", "MAX_PARSE_CHARS", "MAX_AFFIX_RUN", "parse_cut", "bound_for_parser",
    "first_error",
]

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024   # one article file (ingest --max-mb raises it)
MAX_YAML_BYTES = 5 * 1024 * 1024        # one profile, plan or lexicon file
MAX_PLAN_TEXT_BYTES = 1024 * 1024       # one plan text for parse-plan
MAX_DEPTH = 64                          # nesting of JSON arrays/objects and YAML collections
MAX_INT_DIGITS = 100                    # digits of one integer in JSON or YAML
MAX_STRING_CHARS = 1_000_000            # one YAML scalar
MAX_YAML_NODES = 1_000_000              # nodes of one YAML document with every alias expanded
MAX_ID_CHARS = 180                      # a stored document id (the store appends '~hash16' on clashes)
MIN_YEAR, MAX_YEAR = 1500, 2100         # dates in profiles, plans, gold files and option values
ID_PATTERN = re.compile(_MODEL_ID_PATTERN)


@dataclass(frozen=True)
class Limits:
    """The limits one reader enforces; the defaults are the documented ones."""

    max_depth: int = MAX_DEPTH
    max_int_digits: int = MAX_INT_DIGITS
    max_string_chars: int = MAX_STRING_CHARS
    max_yaml_nodes: int = MAX_YAML_NODES
    min_year: int = MIN_YEAR
    max_year: int = MAX_YEAR


LIMITS = Limits()


class YAMLSyntaxError(DataError):
    """YAML that does not parse at all (as opposed to YAML over a limit): callers that may meet
    text which is not meant as YAML (a Markdown rule ``---``) can tell the two apart."""


# --- text ------------------------------------------------------------------------------------

_UNSAFE_FOR_DISPLAY = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def display(value: Any, limit: int = 200) -> str:
    """``value`` as text that is safe to print in a one-line message: control characters and
    lone surrogates escaped (printing them would itself raise), long values shortened."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return _UNSAFE_FOR_DISPLAY.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                                   else f"\\u{ord(m.group()):04x}", text)


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored or written (a NUL or an unpaired surrogate), or None.

    Both are refused rather than cleaned: a NUL means binary data, a lone surrogate a broken
    escape or a file name that is not UTF-8, and PostgreSQL and every encoder reject both."""
    nul = text.find("\x00")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        if nul < 0 or exc.start < nul:
            return (f"contains an unpaired surrogate (\\u{ord(text[exc.start]):04x}) at character "
                    f"{exc.start + 1:,}, which is not valid Unicode")
    if nul >= 0:
        return f"contains a NUL character at character {nul + 1:,} (binary data?)"
    return None


def check_text(text: str, *, what: str = "text", file: str | Path | None = None,
               line: int | None = None, fix: str | None = None) -> str:
    """``text`` unchanged, or a DataError saying which character makes it unusable and where."""
    why = text_problem(text)
    if why is not None:
        if line is None and file is not None:
            line = text[: _first_bad(text)].count("\n") + 1
        raise DataError(f"{what} {why}", file=file, line=line,
                        fix=fix or "remove the character, or re-save the file as UTF-8 text")
    return text


def _first_bad(text: str) -> int:
    nul = text.find("\x00")
    try:
        text.encode("utf-8")
        return nul if nul >= 0 else 0
    except UnicodeEncodeError as exc:
        return min(exc.start, nul) if nul >= 0 else exc.start


def check_encoding(name: str) -> str:
    """A text codec name Python knows, normalised; a DataError naming the option otherwise.
    Python also knows bytes-to-bytes codecs (base64, rot13, zlib, …) that no file is written
    in: decoding with one fails only when the first file is read, so they are refused here."""
    fix = "use a text encoding such as utf-8, utf-16, cp1252 or latin-1"
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        raise DataError(f"unknown encoding {display(name)!r}", fix=fix) from None
    # the flag bytes.decode itself checks (CPython sets it False for the bytes-to-bytes codecs)
    if not getattr(info, "_is_text_encoding", True):
        raise DataError(f"{display(name)!r} is not a text encoding", fix=fix)
    return info.name


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def ascii_compatible(codec: str) -> bool:
    return not codec.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))


def effective_encoding(raw: bytes, encoding: str = "utf-8") -> str:
    """The codec to decode ``raw`` with: a BOM decides when the default UTF-8 was asked for."""
    codec = check_encoding(encoding)
    if codec == "utf-8":
        for bom, name in _BOMS:
            if raw.startswith(bom):
                return name
        return "utf-8-sig"
    return codec


def decode(raw: bytes, *, encoding: str = "utf-8", file: str | Path | None = None,
           what: str = "the file") -> str:
    """Bytes → text, strictly: an undecodable byte is a DataError with its offset, line and a
    hint (another encoding that would work), never a silent replacement character. The text is
    then checked for NULs and unpaired surrogates (``check_text``)."""
    codec = effective_encoding(raw, encoding)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start]
        line = (prefix.count(b"\n") if ascii_compatible(codec)
                else prefix.decode(codec, errors="ignore").count("\n")) + 1
        label = "UTF-8" if codec.startswith("utf-8") else encoding
        raise DataError(f"{what} is not valid {label} (byte {exc.start:,}, line {line})", file=file, line=line,
                        fix=encoding_hint(raw, encoding)) from None
    if text.startswith("\ufeff"):  # a BOM written twice, or one the codec leaves in
        text = text[1:]
    return check_text(text, what=what, file=file)


def encoding_hint(raw: bytes, encoding: str) -> str:
    head = raw[:4096]
    if head.count(b"\x00") > len(head) // 4:
        return "it looks like UTF-16: pass --encoding utf-16 (or re-save it as UTF-8)"
    if check_encoding(encoding) == "utf-8":
        try:
            raw.decode("cp1252")
            return "re-save it as UTF-8, or pass --encoding cp1252 (or latin-1)"
        except UnicodeDecodeError:
            pass
    return "re-save it as UTF-8, or pass the encoding it was saved in with --encoding"


MAGIC = [(b"%PDF", "PDF"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
         (b"GIF8", "GIF image"), (b"PK\x03\x04", "ZIP archive or Office document"),
         (b"\x1f\x8b", "gzip archive"), (b"\x7fELF", "executable"), (b"SQLite format 3", "SQLite database")]


def sniff_binary(head: bytes, encoding: str = "utf-8") -> str | None:
    """Why these leading bytes are not text (a known format, NULs, control characters), or None.

    NUL and control-byte tests apply only to encodings where text has none (not UTF-16/32, and
    not when a UTF-16/32 BOM starts the bytes); the decoded text is checked for NULs anyway."""
    for magic, name in MAGIC:
        if head.startswith(magic):
            return f"binary file ({name})"
    codec = effective_encoding(head, encoding)
    if not ascii_compatible(codec):
        return None
    if b"\x00" in head:
        if head.count(b"\x00") > len(head) // 4:
            return "binary file (contains NUL bytes; if it is UTF-16 text, pass --encoding utf-16)"
        return "binary file (contains NUL bytes)"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls / len(head) > 0.1:
        return "binary file (control characters)"
    return None


# --- files -----------------------------------------------------------------------------------

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def not_regular(path: str | Path) -> str | None:
    """Why ``path`` is not a regular file one can read (missing, a dangling link, a link loop, a
    directory, a FIFO, a socket, a device), or None. Never opens the path, so never blocks."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        if os.path.islink(path):
            return "a dangling symbolic link (its target does not exist)"
        if exc.errno == errno.ENOENT:
            return "no such file"
        return f"cannot be read ({exc.strerror or exc})"
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_bytes(path: str | Path, *, max_bytes: int, what: str = "file",
               fix_size: str = "split it into smaller files") -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or a DataError saying why not.

    The file is opened non-blocking and checked with ``fstat`` on the open descriptor, so a FIFO
    swapped in after a check is still refused, and at most ``max_bytes + 1`` bytes are read."""
    why = not_regular(path)
    if why is not None:
        fix = "check the path" if why == "no such file" else "give the path of a regular file"
        raise DataError(f"{what} is {why}" if why != "no such file" else f"no such {what}",
                        file=display(path), fix=fix)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise DataError(f"cannot open the {what}: {exc.strerror or exc}", file=display(path),
                        fix="check the path and its permissions") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise DataError(f"{what} is not a regular file", file=display(path),
                            fix="give the path of a regular file")
        if st.st_size > max_bytes:
            raise DataError(f"{what} is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit",
                            file=display(path), fix=fix_size)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while we read
                raise DataError(f"{what} is over the {max_bytes:,}-byte limit", file=display(path),
                                fix=fix_size)
        return b"".join(chunks)
    except OSError as exc:
        raise DataError(f"cannot read the {what}: {exc.strerror or exc}", file=display(path),
                        fix="check the path and its permissions") from None
    finally:
        os.close(fd)


def read_text_file(path: str | Path, *, max_bytes: int, encoding: str = "utf-8", what: str = "file",
                   kind: str = "text", empty_fix: str | None = None) -> str:
    """A text file, strictly decoded and checked: regular, within ``max_bytes``, not binary,
    decodable, no NUL or lone surrogate. ``empty_fix`` (when given) makes an empty file an error."""
    raw = read_bytes(path, max_bytes=max_bytes, what=what)
    if empty_fix is not None and not raw.strip():
        raise DataError(f"the {what} is empty", file=display(path), fix=empty_fix)
    why = sniff_binary(raw[:8192], encoding)
    if why:
        raise DataError(f"{why}, not {kind}", file=display(path), fix=f"give a {kind} file")
    return decode(raw, encoding=encoding, file=display(path), what=f"the {what}")


# --- JSON ------------------------------------------------------------------------------------

def load_json(text: str, *, file: str | Path | None = None, line: int | None = None,
              limits: Limits = LIMITS) -> Any:
    """Parse JSON with a depth and an integer-digit limit; every string (keys included) is
    checked for NULs and lone surrogates. Errors are DataErrors at ``file:line``."""
    where = {"file": display(file) if file is not None else None, "line": line}

    def big_int(s: str) -> int:
        digits = len(s.lstrip("-"))
        if digits > limits.max_int_digits:
            raise DataError(f"an integer of {digits:,} digits (the limit is {limits.max_int_digits})",
                            fix="write long numbers as strings", **where)
        return int(s)

    def constant(s: str) -> Any:
        raise DataError(f"{s} is not standard JSON", fix="write null or a number", **where)

    try:
        data = json.loads(text, parse_int=big_int, parse_constant=constant)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno}, column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        raise DataError(f"not JSON ({exc.msg} at {at})",
                        fix="write one valid JSON value", **where) from None
    except RecursionError:
        raise DataError(f"JSON nested too deeply (over {limits.max_depth} levels)",
                        fix="flatten the structure", **where) from None
    _check_tree(data, limits, where)
    return data


def _check_tree(data: Any, limits: Limits, where: dict[str, Any]) -> None:
    """Depth and string checks over parsed JSON, iteratively (no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            why = text_problem(node)
            if why:
                raise DataError(f"a string {why}", fix="remove the character or fix the escape", **where)
            continue
        if not isinstance(node, (dict, list)):
            continue
        if depth > limits.max_depth:
            raise DataError(f"JSON nested too deeply (over {limits.max_depth} levels)",
                            fix="flatten the structure", **where)
        if isinstance(node, dict):
            for k, v in node.items():
                stack.append((k, depth))
                stack.append((v, depth + 1))
        else:
            stack.extend((v, depth + 1) for v in node)


# --- YAML ------------------------------------------------------------------------------------

class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with limits: nesting depth (checked while composing, before Python's
    recursion limit), expanded size with aliases (billion laughs) and recursive aliases, integer
    digits, string length, NULs and lone surrogates, hashable keys, and dates that exist and lie
    in ``[min_year, max_year]``. Subclasses may add constructors (``redline.yamlio`` does)."""

    limits: Limits = LIMITS
    dates_as_strings = False

    def __init__(self, stream: str, name: str | None = None) -> None:
        super().__init__(stream)
        self.name = name or "<text>"
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > self.limits.max_depth:
                mark = self.peek_event().start_mark
                raise DataError(f"YAML nested too deeply (over {self.limits.max_depth} levels)",
                                file=self.name, line=mark.line + 1, fix="flatten the structure")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(c.isdigit() for c in node.value)
        if digits > self.limits.max_int_digits:
            raise DataError(f"an integer of {digits:,} digits (the limit is {self.limits.max_int_digits})",
                            file=self.name, line=node.start_mark.line + 1, fix="quote it as a string")
        return super().construct_yaml_int(node)

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        value = super().construct_yaml_str(node)
        line = node.start_mark.line + 1
        if len(value) > self.limits.max_string_chars:
            raise DataError(f"a value of {len(value):,} characters (the limit is "
                            f"{self.limits.max_string_chars:,})", file=self.name, line=line,
                            fix="shorten it")
        return check_text(value, what="a value", file=self.name, line=line)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        line = node.start_mark.line + 1
        if self.dates_as_strings:
            return self.construct_scalar(node)
        try:
            value = super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise DataError(f"{node.value!r} is not a calendar date", file=self.name, line=line,
                            fix="write a real date as YYYY-MM-DD") from None
        check_date(value if isinstance(value, dt.date) else value.date(), file=self.name, line=line,
                   limits=self.limits)
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        for key_node, _value in node.value:
            if isinstance(key_node, (yaml.SequenceNode, yaml.MappingNode)) and key_node.tag not in (
                    "tag:yaml.org,2002:merge",):
                raise DataError("a list or mapping used as a key", file=self.name,
                                line=key_node.start_mark.line + 1,
                                fix="keys must be plain values (check the aliases and '?' keys)")
        return super().construct_mapping(node, deep=deep)


for _tag, _name in (("tag:yaml.org,2002:int", "construct_yaml_int"),
                    ("tag:yaml.org,2002:str", "construct_yaml_str"),
                    ("tag:yaml.org,2002:timestamp", "construct_yaml_timestamp")):
    BoundedLoader.add_constructor(_tag, getattr(BoundedLoader, _name))


class _FrontMatterLoader(BoundedLoader):
    """Front matter keeps dates as written: the ingest date reader judges them like any other."""

    dates_as_strings = True


def _check_graph(root: yaml.Node, limits: Limits, name: str) -> None:
    """Refuse a node graph that is recursive or, with every alias expanded, over the node limit.

    Sizes are memoised per node, so this is linear in the *written* document even when the
    expanded one would be astronomically large."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(size[id(c)] for c in _children(node))
            size[key] = total
            if total > limits.max_yaml_nodes:
                raise DataError(f"YAML aliases expand to over {limits.max_yaml_nodes:,} values",
                                file=name, line=node.start_mark.line + 1,
                                fix="write the values out instead of repeating aliases")
            continue
        if key in size:
            continue
        if key in on_path:
            raise DataError("a recursive alias (a value that contains itself)", file=name,
                            line=node.start_mark.line + 1, fix="remove the alias")
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise DataError("a recursive alias (a value that contains itself)", file=name,
                                line=child.start_mark.line + 1, fix="remove the alias")
            if id(child) not in size:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load_yaml_text(text: str, *, file: str | Path | None = None, limits: Limits = LIMITS,
                   loader: type[BoundedLoader] = BoundedLoader, front_matter: bool = False) -> Any:
    """Parse one YAML document under ``limits``; every problem (syntax included) is a DataError
    with the file and line. ``front_matter`` keeps dates as strings."""
    if front_matter and loader is BoundedLoader:
        loader = _FrontMatterLoader
    name = display(file) if file is not None else "<text>"
    cls = loader if loader.limits is limits else type(loader.__name__, (loader,), {"limits": limits})
    ld = None
    try:
        ld = cls(text, name)  # the reader checks the characters here already
        node = ld.get_single_node()
        if node is None:
            return None
        _check_graph(node, limits, name)
        return ld.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YAMLSyntaxError(f"malformed YAML: {exc.problem or exc}", file=name,
                              line=mark.line + 1 if mark else None,
                              fix="check indentation, colons and quotes on that line") from None
    except yaml.reader.ReaderError as exc:  # characters YAML does not allow
        pos = exc.position if isinstance(exc.position, int) else 0
        raise YAMLSyntaxError(f"character U+{exc.character:04X} is not allowed in YAML", file=name,
                              line=text[:pos].count("\n") + 1,
                              fix="remove control characters; save the file as UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise YAMLSyntaxError(f"not YAML text: {display(' '.join(str(exc).split()))}", file=name,
                              fix="check the file is YAML text") from None
    except RecursionError:
        raise DataError("YAML nested too deeply", file=name, fix="flatten the structure") from None
    finally:
        if ld is not None:
            ld.dispose()


# --- dates, ids, URLs ------------------------------------------------------------------------

def check_date(value: dt.date, *, file: str | Path | None = None, line: int | None = None,
               what: str = "date", limits: Limits = LIMITS) -> dt.date:
    """``value`` if its year is in ``[min_year, max_year]``; a DataError otherwise."""
    if not (limits.min_year <= value.year <= limits.max_year):
        raise DataError(f"{what} {value.isoformat()} is outside {limits.min_year}–{limits.max_year}",
                        file=file, line=line, fix="check the year")
    return value


def parse_iso_date(value: Any, *, file: str | Path | None = None, line: int | None = None,
                   what: str = "date", limits: Limits = LIMITS) -> dt.date:
    """YYYY-MM-DD (a longer ISO timestamp is cut to its date) into a checked date."""
    if isinstance(value, dt.datetime):
        return check_date(value.date(), file=file, line=line, what=what, limits=limits)
    if isinstance(value, dt.date):
        return check_date(value, file=file, line=line, what=what, limits=limits)
    text = str(value).strip()
    try:
        parsed = dt.date.fromisoformat(text[:10])
    except ValueError:
        raise DataError(f"{what} {display(text, 40)!r} is not a calendar date", file=file, line=line,
                        fix="write it as YYYY-MM-DD") from None
    return check_date(parsed, file=file, line=line, what=what, limits=limits)


def bounded_id(raw: str, max_chars: int = MAX_ID_CHARS) -> str:
    """A document id of at most ``max_chars``: a longer one keeps its start and gains a hash of
    the whole, so two ids that differ only near the end never collide after shortening."""
    raw = " ".join(str(raw).split())
    if len(raw) <= max_chars:
        return raw
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{raw[: max_chars - 13]}~{digest}"


def check_id(value: str, *, what: str = "--id") -> str:
    """An id as profiles and plans use them (a letter, then letters, digits, '.', '_', '-')."""
    if not ID_PATTERN.fullmatch(value or "") or len(value) > 200:
        raise DataError(f"{what} {display(value, 60)!r} is not a valid id",
                        fix="start with a letter and use only letters, digits, '.', '_' or '-' "
                            "(at most 200 characters)")
    return value


def check_http_url(value: str, *, what: str = "--url") -> str:
    """An http(s) URL with a host, checked for NULs and surrogates."""
    from urllib.parse import urlsplit

    check_text(value, what=what)
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise DataError(f"{what} {display(value, 80)!r} is not an http(s) URL",
                        fix="give the page's address, starting with http:// or https://")
    return value


def first_error(fn: Callable[[], Any]) -> DataError | None:
    """Run ``fn``; the DataError it raised, or None (for validators that collect problems)."""
    try:
        fn()
    except DataError as exc:
        return exc
    return None


# --- parser input ----------------------------------------------------------------------------

MAX_PARSE_CHARS = 100_000   # characters of one text the parser reads (~0.9 GB peak, see docs)
MAX_AFFIX_RUN = 32          # longest run of punctuation the tokenizer sees unbroken
_AFFIX_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_AFFIX_RUN + 1))


def parse_cut(text: str, max_chars: int = MAX_PARSE_CHARS) -> int:
    """Where to cut ``text`` so the parser reads at most ``max_chars``: at the last paragraph
    break, else the last sentence end, else the last space before the limit."""
    if len(text) <= max_chars:
        return len(text)
    window = text[:max_chars]
    for sep in ("\n\n", "\n", ". ", " "):
        i = window.rfind(sep)
        if i > max_chars // 2:
            return i + len(sep)
    return max_chars


def bound_for_parser(text: str, max_chars: int = MAX_PARSE_CHARS) -> str:
    """The text the parser may read: cut to ``max_chars`` (``parse_cut``), and in every run of
    more than ``MAX_AFFIX_RUN`` punctuation characters, the characters after the first
    ``MAX_AFFIX_RUN`` replaced by spaces. spaCy's tokenizer strips such a run one character at
    a time, which is quadratic (8,000 '[' took 5 s, 40,000 over two minutes), and each character
    would become a token for the parser; such runs are never prose. Offsets are kept: one
    space replaces one character, and only inside such runs."""
    text = text[: parse_cut(text, max_chars)]
    if not _AFFIX_RUN.search(text):
        return text
    return _AFFIX_RUN.sub(lambda m: m.group()[:MAX_AFFIX_RUN] + " " * (len(m.group()) - MAX_AFFIX_RUN), text)
