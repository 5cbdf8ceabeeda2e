"""Extraction on Dask workers: one extractor per worker process and backend, built on first use
(``redline.extract.backends.extract_records``, which every backend goes through)."""

from __future__ import annotations

from typing import Any

from redline.extract.backends import extract_records


def extract_dask(records: list[dict], client: Any, backend: str = "lexicon", chunk: int = 20) -> list[dict]:
    """Spread records over a Dask client's workers in chunks; output keeps input order."""
    chunks = [records[i:i + chunk] for i in range(0, len(records), chunk)]
    futures = client.map(extract_records, chunks, backend=backend, pure=False)
    return [line for part in client.gather(futures) for line in part]


__all__ = ["extract_dask", "extract_records"]
