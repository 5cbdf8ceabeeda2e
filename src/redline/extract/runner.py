"""The part every extraction backend shares once it can turn documents into states: the
(document, statements) pairs, and a call on one document or string. Kept free of spaCy and
numpy so any backend module can import it cheaply."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from redline.model import Document, Statement


class DocumentRunner:
    """What every extraction backend offers once it can ``run`` documents into states: the
    (document, statements) pairs, and a call on one document or string. Backends that rescore
    the rule pipeline's states (trained, LLM) define ``run`` and inherit the rest."""

    def run(self, documents: Iterable[Document]) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def extract(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Statement]]]:
        for state in self.run(documents):
            yield state.document, state.statements

    def __call__(self, document: Document | str) -> list[Statement]:
        if isinstance(document, str):
            document = Document(id="text", text=document)
        return next(self.extract([document]))[1]


__all__ = ["DocumentRunner"]
