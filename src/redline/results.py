"""What an ingest did, one set of models for every caller: the store fills them, the CLI prints
them, the API returns them. Kept free of SQLAlchemy so reading results never loads a database
driver."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field


class _Positional(BaseModel):
    """Accepts its fields positionally too (``Skipped(path, "empty file")``), as the readers
    write them."""

    _order: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(zip(type(self)._order, args))
        super().__init__(**kwargs)


class Skipped(_Positional):
    _order: ClassVar[tuple[str, ...]] = ("source", "reason")
    source: str
    reason: str


class Duplicate(_Positional):
    _order: ClassVar[tuple[str, ...]] = ("source", "existing_id")
    source: str
    existing_id: str


class IngestItem(BaseModel):
    """What happened to one input of a batch, in input order."""

    index: int
    source: str
    status: Literal["stored", "duplicate", "skipped"]
    id: str | None = None  # the stored id, or the id of the document with the same text
    reason: str = ""
    statements: int = 0
    # what the extractor left unread of a stored text, and why (another language, past the parser's limit)
    notes: list[str] = Field(default_factory=list)


class IngestResult(BaseModel):
    """What a batch did: ids stored, inputs already there (same text), inputs refused and why."""

    stored: list[str] = Field(default_factory=list)
    duplicates: list[Duplicate] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)
    renamed: dict[str, str] = Field(default_factory=dict)  # input id -> stored id (id clash)
    statements: int = 0
    extracted: bool = False
    note: str = ""
    items: list[IngestItem] = Field(default_factory=list)

    def extend(self, other: "IngestResult") -> "IngestResult":
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.skipped += other.skipped
        self.renamed.update(other.renamed)
        self.statements += other.statements
        return self

    def skip(self, source: str, reason: str) -> None:
        self.skipped.append(Skipped(source, reason))

    def summary(self) -> str:
        parts = [f"{len(self.stored)} stored", f"{len(self.duplicates)} already seen",
                 f"{len(self.skipped)} skipped"]
        if self.statements:
            parts.append(f"{self.statements} statements")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(exclude={"extracted", "note", "items"})


__all__ = ["Skipped", "Duplicate", "IngestItem", "IngestResult"]
