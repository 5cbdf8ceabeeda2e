"""The project database (SQLAlchemy 2 + Alembic; SQLite by default, PostgreSQL via psycopg 3).

See ``docs/storage.md``. Entry point: :func:`open_store`.
"""

from redline.store.hashing import content_hash, input_hash, normalise_text
from redline.store.store import (Duplicate, IngestResult, Skipped, Store, TokenInfo, open_store)

__all__ = ["open_store", "Store", "IngestResult", "Skipped", "Duplicate", "TokenInfo",
           "content_hash", "input_hash", "normalise_text"]
