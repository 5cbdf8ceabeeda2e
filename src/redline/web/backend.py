"""The web layer's handle on the application layer: the workspace and opening its store.

``Backend`` is the workspace (``redline.services.Workspace``) under the name the web modules
and tests have always used; no store logic lives here any more.
"""

from __future__ import annotations

from typing import Any

from redline.services.workspace import Conflict, StoreMissing, Workspace

Backend = Workspace


def store_available() -> bool:
    try:
        import redline.store  # noqa: F401
    except ImportError:
        return False
    return True


def open_store(url: str | None) -> Any:
    """The project's store at ``url`` (None: REDLINE_DATABASE_URL or the default SQLite file)."""
    from redline.store import open_store as _open

    return _open(url, upgrade=True)


__all__ = ["Backend", "Workspace", "Conflict", "StoreMissing", "open_store", "store_available"]
