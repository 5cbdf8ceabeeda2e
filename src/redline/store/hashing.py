"""Content hashes: the same text ingested twice (re-saved, re-wrapped, from another feed) is one document."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """NFC, no BOM or zero-width characters, all whitespace runs one space, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\ufeff", "").replace("\u200b", "").replace("\u00ad", "")
    return _WS.sub(" ", text).strip()


def _utf8(text: str) -> bytes:
    """UTF-8 bytes that never raise: a lone surrogate (refused at the input boundary, but a hash
    must not be where that is discovered) is encoded as-is, so the hash stays deterministic."""
    return text.encode("utf-8", "surrogatepass")


def content_hash(text: str) -> str:
    return hashlib.sha256(_utf8(normalise_text(text))).hexdigest()


def input_hash(*parts: Any) -> str:
    """A cache key for an assessment: sha256 of its inputs as canonical JSON (models are dumped)."""
    def plain(x: Any) -> Any:
        if hasattr(x, "model_dump"):
            return x.model_dump(mode="json")
        if isinstance(x, (list, tuple)):
            return [plain(i) for i in x]
        if isinstance(x, dict):
            return {str(k): plain(v) for k, v in x.items()}
        return x
    blob = json.dumps(plain(list(parts)), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(_utf8(blob)).hexdigest()


def id_candidates(doc_id: str, digest: str) -> tuple[str, ...]:
    """The ids a document whose text has ``digest`` (``content_hash``) may take, in order, when
    ``doc_id`` is already used by another text: ``id``, ``id~hash8``, ``id~hash16`` (the id
    column holds 200 characters). The store names clashing documents by this, and
    ``redline extract`` names clashing records the same way (docs/ingest.md)."""
    return tuple(c[:200] for c in (doc_id, f"{doc_id}~{digest[:8]}", f"{doc_id}~{digest[:16]}"))
