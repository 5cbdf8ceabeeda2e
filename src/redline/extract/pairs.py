"""(party, sentence) pairs: the unit the trained backend decides on.

The rule pipeline is good at finding *who is mentioned* and at reading clause structure, and
weak at deciding which of those mentions holds a stance on which issue. So the trained backend
reuses the spaCy stages up to ``filter`` and turns each sentence into one pair per party that
could hold a stance there — parties named in it (groups counted for their members, as the rules'
``statements`` stage does), parties the rules attributed a candidate to (pronouns, plan owners,
quoted passages), the sentence's reporting source, and the last named speaker for sentences that
speak through a pronoun — and describes the pair with sparse string features: the sentence's
words with *this* party's mentions marked ``@P`` and others' ``@O`` (so "@P reject" and "@O
demand" are different evidence), the words a negation or rejecting word governs (``n:``, and
an issue cue under an odd number of them as ``hitneg:``), the party's grammatical role, and what
the rules concluded.

Nothing here is conflict-specific: parties and issues come from the profile and its lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

FIRST_PERSON = {"we", "i", "us", "our", "my"}
THIRD_PERSON = {"he", "she", "his", "her", "they", "their"}
QUOTES = "\"“”«»"
_NUM = re.compile(r"^[\d.,]+$")


@dataclass
class RuleView:
    """What the rules said about one (party, issue, polarity) in one sentence."""

    act: str
    red_line: bool
    speaker: str
    via: str
    dropped: str
    confidence: float


@dataclass
class Pair:
    """One (party, sentence) decision with its features and the rules' view of it."""

    doc_id: str
    sent_index: int
    party: str
    quote: str
    start_char: int
    end_char: int
    speaker: str
    feats: list[str]
    rules: dict[tuple[str, str], RuleView] = field(default_factory=dict)


def _expand(party: str, groups: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(groups.get(party, (party,)))


def _word(tok: Any) -> str | None:
    if tok.is_space:
        return None
    if tok.text in QUOTES:
        return "Q"
    if tok.is_punct:
        return None
    if _NUM.match(tok.text):
        return "#"
    return tok.lemma_.lower()


def pairs_of(state: Any, ctx: Any) -> list[Pair]:
    """Every (party, sentence) pair of one processed document, in sentence order."""
    groups = ctx.lexicon.groups
    out: list[Pair] = []
    last_source: tuple[str, str] | None = None
    prev: dict[str, str] = {}  # parties named in the previous sentence -> their words
    doc_id = state.document.id
    for sent in state.sents:
        why: dict[str, set[str]] = {}
        speaker_of: dict[str, str] = {}
        root = sent.span.root
        named_subject = any(m.start <= t.i < m.end for t in root.children
                            if t.dep_ in ("nsubj", "nsubjpass") for m in sent.mentions)
        if not named_subject:
            # "The leaders said …", "It calls for …": the subject may be a party of the sentence before
            for p, words in prev.items():
                why.setdefault(p, set()).add("prev_mention")
                speaker_of.setdefault(p, words)
        for m in sent.mentions:
            for p in _expand(m.party, groups):
                why.setdefault(p, set()).add(f"m:{m.kind}")
                speaker_of.setdefault(p, m.text)
        for cand in sent.candidates:
            for p0 in cand.parties:
                for p in _expand(p0, groups):
                    why.setdefault(p, set()).add(f"c:{cand.via}")
                    speaker_of.setdefault(p, cand.speaker)
        src = sent.source
        if src is not None and src.kind == "party":
            for p0 in src.parties:
                for p in _expand(p0, groups):
                    why.setdefault(p, set()).add("source")
                    speaker_of[p] = src.speaker
        if sent.quote_speaker is not None:
            for p in _expand(sent.quote_speaker[0], groups):
                why.setdefault(p, set()).add("quote_speaker")
                speaker_of.setdefault(p, sent.quote_speaker[1])
        lower = {t.lower_ for t in sent.span}
        if last_source is not None and (lower & (FIRST_PERSON | THIRD_PERSON)):
            for p in _expand(last_source[0], groups):
                why.setdefault(p, set()).add("prev_speaker")
                speaker_of.setdefault(p, last_source[1])
        if src is not None and src.kind == "party" and src.parties:
            last_source = (src.parties[0], src.speaker)
        prev = {p: m.text for m in sent.mentions for p in _expand(m.party, groups)}
        if src is not None and src.kind == "party":
            prev.update({p: src.speaker for p0 in src.parties for p in _expand(p0, groups)})
        if not why:
            continue
        common = _sentence_features(sent, ctx)
        for party, reasons in why.items():
            feats = list(common)
            feats += [f"why:{r}" for r in sorted(reasons)]
            feats.append(f"party:{party}")
            feats.append(f"nparties:{min(len(why), 4)}")
            feats += _party_features(sent, party, groups)
            rules: dict[tuple[str, str], RuleView] = {}
            for cand in sent.candidates:
                mine = any(party in _expand(p0, groups) for p0 in cand.parties)
                key = (cand.hit.issue, cand.polarity.value)
                if mine:
                    tag = "rule" if not cand.dropped else "ruledrop"
                    feats += [f"{tag}:{key[0]}:{key[1]}", f"{tag}i:{key[0]}", f"{tag}via:{cand.via}",
                              f"{tag}act:{cand.act.value}"]
                    if not cand.dropped and (key not in rules or cand.confidence > rules[key].confidence):
                        rules[key] = RuleView(cand.act.value, cand.red_line, cand.speaker, cand.via,
                                              cand.dropped, cand.confidence)
                else:
                    tag = "orule" if not cand.dropped else "oruledrop"
                    feats += [f"{tag}:{key[0]}:{key[1]}"]
            out.append(Pair(doc_id, sent.index, party, sent.text.strip(), sent.span.start_char,
                            sent.span.end_char, speaker_of.get(party, party), sorted(set(feats)), rules))
    return out


_SUBJECTS = ("nsubj", "nsubjpass", "csubj")


def negation_scopes(sent: Any, lex: Any) -> list[tuple[int, set[int]]]:
    """(cue token, tokens it negates) for each negation or rejecting word of the sentence.

    Why: a bag of words cannot tell "demands a ceasefire along the line" from "rejected demands
    for a ceasefire along the line"; marking the words a negation governs lets the model learn
    each issue's wording under negation from data. Scope is syntactic and coarse: a negated or
    rejecting verb governs its dependents except its subject; a rejecting predicate adjective
    ("… is unacceptable") governs its clause, subject included; "no" governs its noun. The cue
    words come from the shared language file."""
    out: list[tuple[int, set[int]]] = []

    def below(head: Any, keep_subject: bool, cue: int) -> set[int]:
        return {t.i for c in head.children if c.i != cue and (keep_subject or c.dep_ not in _SUBJECTS)
                for t in c.subtree}

    for tok in sent.span:
        if tok.dep_ == "neg":
            out.append((tok.i, below(tok.head, False, tok.i)))
        elif tok.pos_ == "VERB" and tok.lemma_.lower() in lex.flip_verbs:
            out.append((tok.i, below(tok, False, tok.i)))
        elif tok.dep_ in ("acomp", "attr", "oprd") and tok.lower_ in lex.flip_words:
            out.append((tok.i, below(tok.head, True, tok.i)))
        elif tok.dep_ == "det" and tok.lower_ == "no":
            out.append((tok.i, {t.i for t in tok.head.subtree if t.i != tok.i}))
    return out


def _sentence_features(sent: Any, ctx: Any) -> list[str]:
    """Issue cues of the whole sentence (shared by its pairs), and the words under negation."""
    feats = []
    scopes = negation_scopes(sent, ctx.lexicon)
    for h in sent.hits:
        feats += [f"hit:{h.issue}:{h.polarity.value}", f"hiti:{h.issue}"]
        span = range(h.start, h.end)
        flips = sum(1 for cue, toks in scopes if cue not in span and toks.intersection(span))
        if flips % 2:  # the pattern's own negation ("never join") is inside the hit and already counted
            feats.append(f"hitneg:{h.issue}:{'against' if h.polarity.value == 'for' else 'for'}")
    scope = set().union(*(toks for _, toks in scopes))
    doc = sent.span.doc
    for i in sorted(scope):
        w = _word(doc[i])
        if w is not None and not doc[i].is_stop:
            feats.append(f"n:{w}")
    text = sent.text
    if any(q in text for q in QUOTES):
        feats.append("quoted")
    if {t.lower_ for t in sent.span} & FIRST_PERSON:
        feats.append("first_person")
    if not sent.hits:
        feats.append("nohit")
    return feats


def _party_features(sent: Any, party: str, groups: dict[str, tuple[str, ...]]) -> list[str]:
    """The sentence's words with this party's mentions as @P and the others' as @O, n-grams of
    them, and the grammatical role of the party's mentions."""
    mark: dict[int, str] = {}
    mine = []
    for m in sent.mentions:
        is_mine = party in _expand(m.party, groups)
        for i in range(m.start, m.end):
            mark[i] = "@P" if is_mine else "@O"
        if is_mine:
            mine.append(m)
    words: list[str] = []
    for tok in sent.span:
        w = mark.get(tok.i) or _word(tok)
        if w is None or (words and w in ("@P", "@O") and words[-1] == w):
            continue
        words.append(w)
    feats = [f"w:{w}" for w in words]
    feats += [f"b:{a}_{b}" for a, b in zip(words, words[1:])]
    feats += [f"t:{a}_{b}_{c}" for a, b, c in zip(words, words[1:], words[2:])
              if "@P" in (a, b, c) or "@O" in (a, b, c)]
    doc = sent.span.doc
    for k, m in enumerate(mine[:3]):
        head = doc[m.start:m.end].root
        feats.append(f"dep:{head.dep_}")
        gov = head.head
        feats.append(f"gov:{head.dep_}:{gov.lemma_.lower()}")
        if any(c.dep_ == "neg" for c in gov.children):
            feats.append("gov_neg")
        anc = [a for a in head.ancestors][:4]
        feats += [f"anc:{a.lemma_.lower()}" for a in anc if a.pos_ in ("VERB", "AUX", "NOUN")]
        if head.dep_ in ("nsubj", "nsubjpass") and gov == sent.span.root:
            feats.append("root_subject")
        if k == 0 and sent.mentions and sent.mentions[0] is m:
            feats.append("first_mention")
    if not mine:
        feats.append("not_named")
    return feats


def iter_pairs(states: Iterable[Any], ctx: Any) -> Iterable[tuple[Any, list[Pair]]]:
    for state in states:
        yield state, pairs_of(state, ctx)
