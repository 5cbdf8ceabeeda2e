"""Errors a user can act on: each names the file, the line and the fix, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path


class RedlineError(Exception):
    """Base of every error the CLI turns into a one-line message and exit code 1."""


class DataError(RedlineError):
    """Bad input: ``message`` says what, ``file``/``line`` (a line or record number) where, and
    ``fix`` what to do. Rendered as one printable line (control characters and lone surrogates
    from hostile input are escaped, so printing the error can never fail itself)."""

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None,
                 fix: str | None = None) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.fix = fix
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        fix = f" (fix: {self.fix})" if self.fix else ""
        return _printable(f"{where}{self.message}{fix}".replace("\n", " "))


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class NotFound(RedlineError):
    """An id (plan, party, issue, profile) that does not exist; the message suggests the nearest."""


def nearest(word: str, choices: list[str] | set[str], limit: int = 1) -> list[str]:
    """The closest known ids to a misspelt one, for "did you mean" hints."""
    from rapidfuzz import process, fuzz

    found = process.extract(word, list(choices), scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    return [c for c, _score, _i in found]


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    near = nearest(word, choices)
    if near:
        return f"did you mean {near[0]!r}?"
    shown = ", ".join(sorted(choices)[:12])
    return f"known ids: {shown}"
