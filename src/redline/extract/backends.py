"""One place that builds an extractor for a backend name (CLI, benchmarks and Dask workers).

The rule backends live in ``pipeline.Extractor``; the model backends wrap it: ``trained`` (the
model of ``redline.extract.trained``) and ``llm`` (an OpenAI-compatible server,
``redline.extract.llm``)."""

from __future__ import annotations

from typing import Any

RULE_BACKENDS = ("lexicon", "semantic", "hybrid")
MODEL_BACKENDS = ("trained", "llm")
BACKENDS = RULE_BACKENDS + MODEL_BACKENDS


def make_extractor(profile: Any = None, backend: str = "lexicon", min_confidence: float | None = None,
                   **kwargs: Any) -> Any:
    """An object with ``extract(documents)`` / ``run`` for the named backend."""
    from redline.errors import RedlineError

    if backend == "trained":
        from redline.extract.trained import TrainedExtractor
        return TrainedExtractor(profile, min_confidence=min_confidence, **kwargs)
    if backend == "llm":
        from redline.extract.llm import LLMExtractor
        return LLMExtractor(profile, min_confidence=min_confidence or 0.0, **kwargs)
    if backend in RULE_BACKENDS:
        from redline.extract.pipeline import Extractor
        return Extractor(profile, backend=backend, min_confidence=min_confidence or 0.0, **kwargs)
    raise RedlineError(f"unknown backend {backend!r} (use one of {', '.join(BACKENDS)})")


_CACHE: dict[str, Any] = {}


def extract_records(records: list[dict], backend: str = "lexicon") -> list[dict]:
    """Records ({id, text}) → gold-format lines, one extractor per process and backend (for Dask)."""
    from redline.extract.io import statement_record
    from redline.model import Document

    ex = _CACHE.get(backend)
    if ex is None:
        ex = _CACHE[backend] = make_extractor(backend=backend)
    docs = [Document(id=str(r["id"]), text=r["text"]) for r in records]
    return [{"id": d.id, "statements": [statement_record(s) for s in sts]} for d, sts in ex.extract(docs)]
