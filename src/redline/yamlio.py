"""YAML loading that remembers line numbers, so a bad value is reported where it stands."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from redline.errors import DataError
from redline.inputs import MAX_YAML_BYTES, BoundedLoader, display, load_yaml_text, read_text_file


class LDict(dict):
    """A mapping that knows the line of itself and of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LList(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(BoundedLoader):
    """The bounded safe loader (``redline.inputs``) building line-aware mappings and lists."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    out = LDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise DataError("a list or mapping used as a key", file=loader.name,
                            line=key_node.start_mark.line + 1,
                            fix="keys must be plain values (check the aliases and '?' keys)") from None
        if key in out:
            raise DataError(
                f"duplicate key {display(key)!r} (first on line {out.key_lines[key]})",
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
              refetch: str | None = None, encoding: str = "utf-8") -> str:
    """Read a text file through the input boundary (``redline.inputs.read_text_file``): missing,
    empty (when ``refetch`` says how to get it again), non-regular (directory, FIFO, device),
    binary, oversized and mis-encoded files are refused by name, line and fix."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise DataError("file not found", file=display(path), fix=refetch or "check the path")
    return read_text_file(path, max_bytes=max_bytes, encoding=encoding, kind=kind,
                          empty_fix=refetch)


def load_yaml(path: Path) -> Any:
    """One YAML file, read and parsed under the documented limits (depth, aliases, dates,
    integers, strings); every problem is a DataError with the file and line."""
    text = read_text(path, kind="YAML text")
    return load_yaml_text(text, file=path, loader=_LineLoader)


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
