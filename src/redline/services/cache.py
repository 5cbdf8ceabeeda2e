"""A bounded cache of derived results (assessments, comparisons, bargaining reports).

Reads are open to anyone, and every new ``as_of`` or party list is a new key: a cache that
grew with each one would let anonymous GETs fill the disk. This one lives in the process's
memory, holds at most ``max_entries`` results and ``max_bytes`` bytes of their JSON, and evicts
the least recently used; nothing a GET does writes to the database.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any, Callable, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def cache_key(kind: str, **inputs: Any) -> str:
    """A key from canonical inputs (dates resolved, lists sorted by the caller)."""
    text = json.dumps([kind, inputs], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class ResultCache:
    def __init__(self, max_entries: int = 256, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: str, compute: Callable[[], M]) -> M:
        """The cached model for ``key``, or ``compute()`` stored (unless it alone is over the bound)."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found[0]
            self.misses += 1
        value = compute()
        size = len(value.model_dump_json()) if isinstance(value, BaseModel) else len(repr(value))
        self.put(key, value, size)
        return value

    def put(self, key: str, value: Any, size: int) -> None:
        if self.max_entries <= 0 or size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                _, (_, freed) = self._items.popitem(last=False)
                self._bytes -= freed

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._items), "bytes": self._bytes, "max_entries": self.max_entries,
                    "max_bytes": self.max_bytes, "hits": self.hits, "misses": self.misses}


__all__ = ["ResultCache", "cache_key"]
