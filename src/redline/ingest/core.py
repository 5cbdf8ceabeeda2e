"""Ingest: files and folders → documents (→ statements) in the project database.

Batches are committed one at a time, each in one transaction, so an interrupted run loses at
most the batch in flight and never leaves half a document; running it again stores the rest,
because documents already stored are recognised by their content hash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from redline.errors import DataError
from redline.ingest.readers import Options, iter_files, read_file
from redline.model import Document, Statement
from redline.results import IngestResult
from redline.store.hashing import content_hash

if TYPE_CHECKING:
    from redline.store import Store
from redline.results import Skipped

Extractor = Callable[[Sequence[Document]], list[list[Statement]]]
BATCH = 25


def load_extractor(profile=None) -> "StatementExtractor":
    """The statement extractor of ``redline.extract`` as docs → statements per doc.

    Raises a DataError naming the fix when the extractor (or spaCy) is not installed."""
    try:
        from redline.extract.pipeline import Extractor as _Extractor
    except ImportError as exc:
        raise DataError(f"statement extraction is not available ({exc})",
                        fix="pip install 'redline[extract]'") from None
    if profile is not None:
        from redline.checks import check_lexicon

        check_lexicon(profile)
    return StatementExtractor(_Extractor(profile))


class StatementExtractor:
    """Docs → statements per doc (an ``Extractor`` for ingest), and the language it reads, so
    that ingest can say which texts it left unread (``reading_warnings``)."""

    def __init__(self, extractor: Any) -> None:
        self.extractor = extractor
        self.language: str = extractor.ctx.lexicon.language

    def __call__(self, docs: Sequence[Document]) -> list[list[Statement]]:
        by_input = {id(d): sts for d, sts in zip(docs, (s for _d, s in self.extractor.extract(docs)))}
        return [list(by_input.get(id(d), [])) for d in docs]


def reading_notes(doc: Document, extractor: Extractor | None) -> list[str]:
    """What ``extractor`` leaves unread of the document (``redline.extract.nlp.reading_notes``):
    another language than the one it reads, or the part past the parser's limit. An extractor
    that does not say its language is only checked for the limit."""
    from redline.extract.nlp import reading_notes as notes

    return notes(doc.text, getattr(extractor, "language", None))


def reading_warnings(doc: Document, extractor: Extractor | None) -> list[str]:
    """``reading_notes`` as ingest warns: naming the input, and that the whole text is stored."""
    return [f"{doc.path or doc.id}: {n}; the whole text is stored" for n in reading_notes(doc, extractor)]


class Ingest:
    """One ingest run: feed it files, it stores in batches and keeps the running result."""

    def __init__(self, store: Store, *, extractor: Extractor | None = None, batch_size: int = BATCH,
                 opts: Options | None = None,
                 on_document: Callable[[Document], None] | None = None) -> None:
        self.store = store
        self.extractor = extractor
        self.batch_size = max(1, batch_size)
        self.opts = opts or Options()
        self.on_document = on_document
        self.result = IngestResult()
        self.batch: list[Document] = []
        self.warnings: list[str] = []

    def add(self, item: Document | Skipped) -> None:
        if isinstance(item, Skipped):
            self.result.skipped.append(item)
            return
        if self.on_document:
            self.on_document(item)
        self.batch.append(item)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        statements = None
        if self.extractor is not None:
            known = self.store.known_hashes(content_hash(d.text) for d in batch)
            fresh = [d for d in batch if content_hash(d.text) not in known]
            self.warnings += [w for d in fresh for w in reading_warnings(d, self.extractor)]
            extracted = dict(zip(map(id, fresh), self.extractor(fresh))) if fresh else {}
            statements = [extracted.get(id(d), []) for d in batch]
        self.result.extend(self.store.add_documents(batch, statements))

    def file(self, path: Path, root: Path | None = None) -> None:
        """Add one file's documents. A reader failure nobody foresaw skips the rest of this file
        only, naming the error as a bug to report; the batch goes on. Store errors (raised while
        adding) are not caught here: they concern the whole batch."""
        from redline.inputs import display

        items = iter(read_file(path, root, self.opts))
        while True:
            try:
                item = next(items)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the folder
                self.result.skipped.append(Skipped(display(path), f"could not be read ({type(exc).__name__}: "
                                                                  f"{display(exc, 160)}); please report this"))
                return
            self.add(item)


def ingest_paths(store: Store, paths: Iterable[str | Path], *, extractor: Extractor | None = None,
                 batch_size: int = BATCH, opts: Options | None = None,
                 on_file: Callable[[Path], None] | None = None,
                 on_document: Callable[[Document], None] | None = None) -> IngestResult:
    """Ingest files and folders; bad files are skipped with a reason, the rest stored."""
    run = Ingest(store, extractor=extractor, batch_size=batch_size, opts=opts, on_document=on_document)
    for item in iter_files(paths):
        if isinstance(item, Skipped):
            run.add(item)
            continue
        path, root = item
        run.file(path, root)
        if on_file:
            on_file(path)
    run.flush()
    return run.result
