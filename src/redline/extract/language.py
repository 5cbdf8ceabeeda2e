"""The language a text is written in, so that a user knows when the extractor reads a text in
a language it does not know.

Why: the spaCy model, the cue lists of the language file and the trained model all read one
language, the profile's ``language:`` (English for both bundled profiles). News about a war is
often in other languages: 49 of the 1,429 train articles of the annotated corpus are. The
extractor still reads such a text (names, "NATO", numbers and quoted English carry over, and
what it finds there is about as often right as on English), but it finds few of the stances
the text holds: out of fold on those 49 train articles, 6 of their 101 gold statements. An
empty result there does not mean "no stance", so every such text gets a note saying so.

Identification is py3langid's (the langid.py model: byte n-grams, 97 languages, numpy only,
deterministic) over the start of the text. It decides only on a text of at least ``MIN_CHARS``
characters and at a probability of at least ``MIN_PROBABILITY``. Both were set on the corpus's
train split and dev (never its test split). Under 120 characters the identifier guesses: English
sentences of 40–120 characters were taken for another language a few times in ten thousand, at
probabilities up to 0.99, so shorter texts never get the note. Over it, no English article and none
of the 8,270 English sentences of 120 characters or more cut from them was given more than 0.65
for another language, while every train article not in English was identified at 0.93 or more
(all but one at 0.998 or more); the floor sits between the two."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from redline.errors import RedlineError

MIN_CHARS = 120           # shorter texts (a headline, one short sentence) are never judged
MIN_PROBABILITY = 0.8     # normalised probability of the identified language
SAMPLE_CHARS = 10_000     # the start of the text is enough, and keeps a long text cheap


@lru_cache(maxsize=1)
def _identifier() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:  # pragma: no cover - depends on the install
        raise RedlineError("extraction needs py3langid to tell which language a text is in "
                           "(fix: pip install 'redline[extract]')") from None
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) of the text's language, or None for a text too short to
    tell. Only the first ``SAMPLE_CHARS`` characters are read."""
    return _identify_sample(text[:SAMPLE_CHARS])


@lru_cache(maxsize=1024)
def _identify_sample(sample: str) -> tuple[str, float] | None:
    """Cached on the sample, never the whole text (the cache holds at most 1024 samples of 10,000
    characters): ingest's warning and the extractor's note ask about the same text."""
    if len(sample.strip()) < MIN_CHARS:
        return None
    code, prob = _identifier().classify(sample)
    return str(code), float(prob)


def other_language(text: str, language: str) -> str | None:
    """The code of the language ``text`` is confidently written in when that is not
    ``language``; None when it is ``language``, or when the text is too short or too mixed to
    tell."""
    found = identify(text)
    if found is None:
        return None
    code, prob = found
    return code if code != language and prob >= MIN_PROBABILITY else None


def language_note(code: str, language: str) -> str:
    return (f"the text is in another language ({code!r}, identified automatically); the extractor "
            f"reads {language!r}, so it finds few of the statements such a text holds")


__all__ = ["MIN_CHARS", "MIN_PROBABILITY", "identify", "other_language", "language_note"]
