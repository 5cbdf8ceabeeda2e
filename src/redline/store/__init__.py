"""The project database (SQLAlchemy 2 + Alembic; SQLite by default, PostgreSQL via psycopg 3).

See ``docs/storage.md``. Entry point: :func:`open_store`. The database part is imported on first
use, so code that only hashes text or reads result models (the readers, the CLI's start-up) never
loads SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from redline.results import Duplicate, IngestResult, Skipped
from redline.store.hashing import content_hash, input_hash, normalise_text

_LAZY = {"Store", "TokenInfo", "PlanExists", "open_store"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from redline.store import store as _store

        return getattr(_store, name)
    raise AttributeError(f"module 'redline.store' has no attribute {name!r}")


__all__ = ["open_store", "Store", "PlanExists", "IngestResult", "Skipped", "Duplicate", "TokenInfo",
           "content_hash", "input_hash", "normalise_text"]
