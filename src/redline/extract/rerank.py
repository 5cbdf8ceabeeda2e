"""Stage three of the trained backend: one decision per (party, issue, polarity) and document.

Why: stage two scores every (party, sentence, label) on its own, so when "Putin told Trump that
Ukraine must withdraw" gives RUS, USA and UKR the same words, each party is judged without seeing
the others, and a triple said three times counts no more than one said once. Wrong-party
attributions were the largest class of false positives. The reranker looks at each candidate
triple of a document together with its rivals: its best and second-best sentence scores, how
many sentences carry it, the best score another party has for the same issue and polarity (in
the document and in the same sentence), the score of the opposite polarity, whether it is the
top label of its best sentence, and whether the rules found it. It also sees the triple itself
(party with issue and polarity): a party's habitual stances in the training news are a prior,
learnt from the corpus and never written in code, for choosing between the parties a sentence
names (+0.01 out-of-fold F1 when it was added). A logistic regression over these, trained on out-of-fold stage-two
scores of the train split, gives the triple's score.

Run time needs numpy and scipy only: the weights are an array and the feature names a list.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Iterable

import numpy as np

from redline.extract.pairs import Pair

Triple = tuple[str, str, str]
Item = tuple[float, int, int]  # (stage-two score, pair index, label index)

FLOOR = 0.001  # stage-two scores below this never make a candidate. Stage two alone is too sure of
# itself: with 0.01 (second round) a fifth of the gold triples of train never reached stage three,
# which, comparing them with their rivals, recovers part of them; 0.001 raised out-of-fold F1 0.628
# -> 0.637 at C = 1.
EVIDENCE = 0.01  # a sentence counts as support for a triple (second-best score, how many sentences
# carry it) only from this stage-two score up: below it a score says nothing, and counting it let an
# appended unrelated sentence, which the previous sentence's party carries over, change a decision.
ROLE_PREFIXES = ("why:", "dep:", "root_subject", "gov_neg", "quoted", "first_person")


def _logit(x: float) -> float:
    x = min(max(x, 1e-4), 1 - 1e-4)
    return float(np.log(x / (1 - x)))


NONE = _logit(0.0)


def candidates(pairs: list[Pair], scores: np.ndarray, labels: list[tuple[str, str]],
               polarity: Callable[[Pair, tuple[str, str]], tuple[str, str]],
               floor: float = FLOOR) -> dict[Triple, list[Item]]:
    """Every triple some pair of the document scores at least ``floor`` for, with its items
    (best first). ``polarity`` maps a pair's label to the polarity it is reported with."""
    out: dict[Triple, list[Item]] = defaultdict(list)
    for i, row in enumerate(scores):
        for j in np.nonzero(row >= floor)[0]:
            out[(pairs[i].party, *polarity(pairs[i], labels[j]))].append((float(row[j]), i, int(j)))
    for items in out.values():
        items.sort(key=lambda x: (-x[0], x[1], x[2]))
    return dict(out)


class Rivals:
    """Each (issue, polarity)'s holders in one document, indexed once so that every triple's
    rival features cost a look-up, not a pass over the document's candidates."""

    def __init__(self, cands: dict[Triple, list[Item]]) -> None:
        self.by_label: dict[tuple[str, str], list[tuple[str, list[Item]]]] = defaultdict(list)
        for (party, issue, pol), items in cands.items():
            self.by_label[(issue, pol)].append((party, items))
        self.parties = len({t[0] for t in cands})


def features(triple: Triple, cands: dict[Triple, list[Item]], pairs: list[Pair],
             scores: np.ndarray, rivals: Rivals | None = None) -> dict[str, float]:
    """The triple's features against its rivals in the same document (see the module doc);
    ``rivals`` is ``Rivals(cands)``, passed in when many triples of one document are described."""
    rivals = rivals or Rivals(cands)
    party, issue, pol = triple
    items = cands[triple]
    s1, i1, _ = items[0]
    best = pairs[i1]
    s2 = items[1][0] if len(items) > 1 and items[1][0] >= EVIDENCE else 0.0
    support = {pairs[i].sent_index for s, i, _ in items if s >= min(EVIDENCE, s1)}
    rival_doc = rival_sent = 0.0
    for p, its in rivals.by_label[(issue, pol)]:
        if p != party:
            rival_doc = max(rival_doc, its[0][0])
            rival_sent = max([rival_sent] + [s for s, i, _ in its if pairs[i].sent_index == best.sent_index])
    opposite = cands.get((party, issue, "against" if pol == "for" else "for"))
    s_opp = opposite[0][0] if opposite else 0.0
    l1 = _logit(s1)
    f: dict[str, float] = {
        "bias": 1.0,
        "l1": l1,
        "l2": _logit(s2) if s2 else NONE,
        "sentences": float(min(len(support), 5)),
        "rival_doc": _logit(rival_doc) if rival_doc else NONE,
        "rival_sent": _logit(rival_sent) if rival_sent else NONE,
        "over_rival": l1 - (_logit(rival_doc) if rival_doc else NONE),
        "top_of_sentence_rivals": float(s1 >= rival_sent),
        "opposite": _logit(s_opp) if s_opp else NONE,
        "over_opposite": l1 - (_logit(s_opp) if s_opp else NONE),
        "top_label_of_pair": float(scores[i1].max() <= s1 + 1e-9),
        "rules": float(any((issue, pol) in pairs[i].rules for _, i, _ in items)),
        "rules_best": float((issue, pol) in best.rules),
        "rules_opposite": float(any(k[0] == issue and k[1] != pol for k in best.rules)),
        f"label={issue}:{pol}": 1.0,
        f"issue={issue}": 1.0,
        f"party_label={party}|{issue}:{pol}": 1.0,
        "parties_in_document": float(min(rivals.parties, 6)),
    }
    for x in best.feats:
        if x.startswith(ROLE_PREFIXES):
            f[x] = 1.0
    return f


class Reranker:
    """A logistic regression over ``features``; ``names`` are its columns."""

    def __init__(self, names: list[str], w: np.ndarray, b: float) -> None:
        self.names, self.w, self.b = names, w, b
        self.index = {n: k for k, n in enumerate(names)}

    def matrix(self, rows: list[dict[str, float]]) -> Any:
        from scipy.sparse import csr_matrix

        data, cols, ptr = [], [], [0]
        for row in rows:
            for name, value in sorted(row.items()):
                k = self.index.get(name)
                if k is not None and value:
                    cols.append(k)
                    data.append(value)
            ptr.append(len(cols))
        return csr_matrix((np.array(data, dtype=np.float64), np.array(cols, dtype=np.int64), np.array(ptr)),
                          shape=(len(rows), len(self.names)))

    def score(self, rows: list[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        z = np.asarray(self.matrix(rows) @ self.w).ravel() + self.b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    @classmethod
    def fit(cls, rows: list[dict[str, float]], y: np.ndarray, c: float, seed: int) -> "Reranker":
        from sklearn.linear_model import LogisticRegression

        names = sorted({k for row in rows for k in row})
        blank = cls(names, np.zeros(len(names)), 0.0)
        if 0 < int(y.sum()) < len(y):
            m = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=1000)
            m.fit(blank.matrix(rows), y)
            return cls(names, m.coef_[0].astype(np.float64), float(m.intercept_[0]))
        return blank


def document_rows(pairs: list[Pair], scores: np.ndarray, labels: list[tuple[str, str]],
                  polarity: Callable[[Pair, tuple[str, str]], tuple[str, str]]
                  ) -> tuple[list[Triple], list[dict[str, float]], dict[Triple, list[Item]]]:
    """The candidate triples of one document, their feature rows, and their items."""
    cands = candidates(pairs, scores, labels, polarity)
    keys = sorted(cands)
    rivals = Rivals(cands)
    return keys, [features(t, cands, pairs, scores, rivals) for t in keys], cands


def training_rows(docs: Iterable[tuple[list[Pair], np.ndarray, set[Triple]]],
                  labels: list[tuple[str, str]],
                  polarity: Callable[[Pair, tuple[str, str]], tuple[str, str]]
                  ) -> tuple[list[dict[str, float]], np.ndarray, np.ndarray]:
    """(feature rows, is-gold, document index) over documents given as (pairs, out-of-fold
    stage-two scores, gold triples)."""
    rows: list[dict[str, float]] = []
    y: list[int] = []
    doc: list[int] = []
    for d, (pairs, scores, gold) in enumerate(docs):
        if not pairs:
            continue
        keys, feats, _ = document_rows(pairs, scores, labels, polarity)
        rows += feats
        y += [int(t in gold) for t in keys]
        doc += [d] * len(keys)
    return rows, np.array(y, dtype=np.int64), np.array(doc, dtype=np.int64)


__all__ = ["Reranker", "candidates", "features", "document_rows", "training_rows", "FLOOR"]
