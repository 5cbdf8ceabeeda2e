"""Statement extraction: news text → sourced (party, issue, polarity, act, red_line) statements.

Public API: ``Extractor`` (load once, call on documents), ``Pipeline`` (named stages),
``load_lexicon``, ``read_documents`` / ``write_jsonl`` (I/O in the gold files' format),
``evaluate`` / ``score`` / ``format_report`` (scoring against GUIDELINES.md gold files).
Needs the ``extract`` extra (spaCy and its English model package); the ``semantic`` backend
needs the ``semantic`` extra.
"""

from redline.extract.evaluate import Report, evaluate, format_report, score, split_halves
from redline.extract.io import read_documents, read_gold, statement_record, write_jsonl
from redline.extract.lexicon import Lexicon, load_lexicon
from redline.extract.pipeline import DEFAULT_STAGES, Context, DocState, Extractor, Pipeline

__all__ = ["Extractor", "Pipeline", "DEFAULT_STAGES", "Context", "DocState", "Lexicon",
           "load_lexicon", "read_documents", "read_gold", "write_jsonl", "statement_record",
           "evaluate", "score", "format_report", "split_halves", "Report"]
