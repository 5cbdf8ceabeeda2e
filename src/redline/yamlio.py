"""YAML loading that remembers line numbers, so a bad value is reported where it stands."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from redline.errors import DataError

MAX_YAML_BYTES = 5 * 1024 * 1024


class LDict(dict):
    """A mapping that knows the line of itself and of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LList(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    out = LDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise DataError(
                f"duplicate key {key!r} (first on line {out.key_lines[key]})",
                file=loader.name, line=key_node.start_mark.line + 1,
                fix="remove or rename one of the two keys")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LList:
    out = LList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_text(path: Path, *, max_bytes: int = MAX_YAML_BYTES, kind: str = "text",
              refetch: str | None = None) -> str:
    """Read a UTF-8 text file, refusing missing, empty (when ``refetch`` says how to get it
    again), binary, oversized and mis-encoded files by name, line and fix."""
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", file=path, fix=refetch or "check the path")
    size = path.stat().st_size
    if size > max_bytes:
        raise DataError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", file=path,
                        fix="split it into smaller files")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read the file: {exc.strerror or exc}", file=path,
                        fix="check the path and its permissions") from None
    if refetch and not raw.strip():
        raise DataError("the file is empty", file=path, fix=refetch)
    if b"\x00" in raw[:65536]:
        raise DataError(f"binary file, not {kind}", file=path, fix=refetch or "give a UTF-8 text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"not valid UTF-8 (byte {exc.start})", file=path, line=line,
                        fix=refetch or "re-save the file as UTF-8") from None


def load_yaml(path: Path) -> Any:
    text = read_text(path)
    loader = _LineLoader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        raise DataError(f"malformed YAML: {problem}", file=path, line=line,
                        fix="check indentation, colons and quotes on that line") from None
    finally:
        loader.dispose()


def line_of(data: Any, loc: Iterable[Any]) -> int | None:
    """The line of the value at ``loc`` (a Pydantic error location) inside loaded YAML."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def _fix_for(err: dict) -> str:
    kind = err.get("type", "")
    if kind.startswith("date"):
        return "write dates as YYYY-MM-DD"
    if kind == "extra_forbidden":
        return "remove the key or correct its spelling"
    if kind == "missing":
        return "add the missing field"
    if kind.startswith(("less_than", "greater_than")):
        return "use a value in the allowed range"
    if kind == "string_pattern_mismatch":
        return "ids start with a letter and use letters, digits, '.', '_' or '-'"
    if kind == "too_short":
        return "add at least one entry"
    return "correct the value"


def validate(model: type[BaseModel], data: Any, *, file: Path) -> Any:
    """Validate ``data`` into ``model``; the first error becomes a DataError with its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # A misspelt key also makes the real key "missing": name the typo, which is the cause.
        errs = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")
        err = errs[0]
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "document"
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        shown = err.get("input")
        value = f" (got {shown!r})" if isinstance(shown, (str, int, float)) else ""
        raise DataError(f"{where}: {msg}{value}", file=file, line=line_of(data, loc),
                        fix=_fix_for(err)) from None
