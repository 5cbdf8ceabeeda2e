"""Full-text search of statement quotes and speakers: turning user text into a safe query.

The user's text is data, never query syntax. It becomes a *phrase*: its words, in order and
adjacent, where the words of the last whitespace-separated chunk also match as prefixes (so
``"red lin"`` finds "red line" and "red lines", and ``"isl"`` finds "island"). Words are what
each backend's tokenizer says they are (letters and digits; punctuation separates), compared
case-insensitively; accents are kept (``résumé`` does not match ``resume``) on both backends.

* SQLite: the contentless FTS5 table ``statements_fts`` (migration 0003). Every piece of
  user text goes inside an FTS5 string (``"..."``, with ``"`` doubled), where ``*``, ``-``,
  ``NEAR``, ``AND``, ``:`` and the rest are plain characters; only the ``*`` and ``+`` that this
  module writes *between* strings are operators.
* PostgreSQL: GIN indexes on ``to_tsvector('simple', quote)`` and ``(..., speaker)``. The text
  goes through ``phraseto_tsquery`` (which takes plain text), and the last chunk through
  ``to_tsquery`` as one quoted lexeme (``'...'`` with ``'`` doubled and ``\\`` escaped) marked
  ``:*``; PostgreSQL's parser splits a quoted lexeme into words without reading operators in it.

Punctuation around a whitespace-separated chunk is dropped first. Text with no letter or digit
at all matches nothing (``%`` or ``-`` alone find no statements).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters and digits (Python's idea of them; FTS5's unicode61 and PostgreSQL's parser agree on
# ordinary words and differ only on compounds such as e-mail addresses and signed numbers).
_WORD = re.compile(r"[^\W_]+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
MAX_CHUNKS = 32  # a phrase longer than this is cut: nobody types it, and it bounds the query


@dataclass(frozen=True)
class SearchText:
    """User text split for a phrase query: ``head`` matched as whole words, ``tail`` as prefixes."""

    head: str
    tail: str

    @property
    def tail_words(self) -> list[str]:
        return _WORD.findall(self.tail)


def parse(text: str | None) -> SearchText | None:
    """The phrase to search for, or None when ``text`` has no letter or digit (matches nothing)."""
    if not text:
        return None
    text = unicodedata.normalize("NFC", text.replace("\x00", " "))
    # Punctuation around a chunk is dropped ("(red", "line)," , "'/Li"): it separates words
    # anyway, and PostgreSQL's parser would otherwise read "/Li" as a file path.
    chunks = [_EDGE.sub("", c) for c in text.split()]
    chunks = [c for c in chunks if c][:MAX_CHUNKS]
    if not chunks:
        return None
    return SearchText(head=" ".join(chunks[:-1]), tail=chunks[-1])


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts5_query(search: SearchText) -> str:
    """An FTS5 MATCH expression: one phrase, the tail's words as prefix tokens.

    ``red lin`` -> ``"red" + "lin" *``; ``say "no*"`` -> ``"say" + "no" *``.
    """
    parts = [_fts5_string(search.head)] if _WORD.search(search.head) else []
    parts += [_fts5_string(w) + " *" for w in search.tail_words]
    return " + ".join(parts)


def fts5_match(search: SearchText, **filters: str | None) -> str:
    """The whole MATCH expression for ``statements_fts``: the phrase, in quote or speaker only,
    and each filter given (``party``, ``issue``, ``document``) as its column's one token, the
    hex of the value (what migration 0003's triggers index; digits and a-f, nothing to quote)."""
    terms = ["{quote speaker} : (" + fts5_query(search) + ")"]
    terms += [f'{column} : "{value.encode("utf-8").hex()}"' for column, value in filters.items() if value]
    return " AND ".join(terms)


def tsquery_lexeme(text: str) -> str:
    """``text`` as one quoted to_tsquery lexeme with the prefix flag: ``'o''brien':*``."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "':*"
