"""Extraction on Dask workers: one Extractor per worker process, built on first use."""

from __future__ import annotations

from typing import Any

_EXTRACTORS: dict[str, Any] = {}


def extract_records(records: list[dict], backend: str = "lexicon") -> list[dict]:
    """Records ({id, text, …}) → gold-format lines; importable so workers keep their cache."""
    from redline.extract.io import statement_record
    from redline.extract.pipeline import Extractor
    from redline.model import Document

    ex = _EXTRACTORS.get(backend)
    if ex is None:
        ex = _EXTRACTORS[backend] = Extractor(backend=backend)
    docs = [Document(id=str(r["id"]), text=r["text"]) for r in records]
    return [{"id": d.id, "statements": [statement_record(s) for s in sts]} for d, sts in ex.extract(docs)]


def extract_dask(records: list[dict], client: Any, backend: str = "lexicon", chunk: int = 20) -> list[dict]:
    """Spread records over a Dask client's workers in chunks; output keeps input order."""
    chunks = [records[i:i + chunk] for i in range(0, len(records), chunk)]
    futures = client.map(extract_records, chunks, backend=backend, pure=False)
    return [line for part in client.gather(futures) for line in part]
