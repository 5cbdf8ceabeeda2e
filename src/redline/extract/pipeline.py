"""Text → statements as a spaCy-like pipeline of named stages over one document model.

Each stage is a function ``stage(state: DocState, ctx: Context) -> None`` that reads what the
earlier stages left on the state and adds its own layer:

``sentences`` (spaCy parse, one ``Sent`` per sentence) → ``parties`` (alias, title and metonym
mentions) → ``issues`` (lexicon or semantic backend) → ``speakers`` (who each clause is
attributed to: subjects of reporting verbs, "according to X", owners of plans, pronouns back to
the last named speaker) → ``attribute`` (a holder per issue hit, following the dependency path)
→ ``polarity`` (negation, reject verbs) → ``act`` → ``red_line`` → ``filter`` (GUIDELINES.md
rules on who is not a party) → ``statements`` (one record per (party, issue, polarity)).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from redline.extract.lexicon import Lexicon, load_lexicon
from redline.model import Act, Document, Polarity, Statement
from redline.profile import Profile
from redline.extract.runner import DocumentRunner

SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass"}
FIRST_PERSON = {"we", "i", "us", "our"}
QUOTE_CHARS = "\"“”«»"


@dataclass
class Mention:
    start: int  # token index in the spaCy doc
    end: int
    party: str
    text: str
    kind: str  # "alias" | "demonym" | "joint" (a hyphenated owner: "US-Ukraine plan")


@dataclass
class Hit:
    issue: str
    polarity: Polarity
    start: int  # token span in the spaCy doc
    end: int
    text: str
    score: float = 1.0
    inner_neg: bool = False  # a negation the pattern's gaps let in ("Moscow would not withdraw") still flips


@dataclass
class Level:
    """One clause head on the path from an issue phrase up to the sentence root."""

    token: Any
    kind: str  # party | pronoun | nonparty | unknown | plan | others ("the two sides")
    parties: list[str]
    speaker: str
    first_person: bool = False


@dataclass
class Candidate:
    hit: Hit
    parties: list[str]
    speaker: str
    path: list[Any]
    holder_index: int  # index in path of the holder's clause head (len(path) when sentence-level)
    via: str  # how the holder was found: subject | source | reported | pronoun | plan | context
    condition: str = ""  # "" | "if" | "exchange"
    polarity: Polarity = Polarity.FOR
    act: Act = Act.OTHER
    red_line: bool = False
    confidence: float = 0.5
    dropped: str = ""
    fixed_act: Act | None = None
    flip: bool = False  # a reaction to another party's statement: polarity turned around
    act_token: Any = None  # the path token whose word gave the act


@dataclass
class Sent:
    index: int
    span: Any
    text: str
    mentions: list[Mention] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    source: Level | None = None  # the sentence's reporting source, if any
    quote_speaker: tuple[str, str] | None = None  # who speaks a quoted passage this sentence is in


@dataclass
class DocState:
    document: Document
    doc: Any = None
    sents: list[Sent] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    last_speaker: tuple[str, str] | None = None
    plan_owner: tuple[list[str], str, int] | None = None  # parties, speaker, sentence index
    notes: list[str] = field(default_factory=list)  # what was read poorly or not at all (nlp.reading_notes)


@dataclass
class Context:
    """What every stage may read: the profile, the compiled lexicon and the backend's options."""

    profile: Profile
    lexicon: Lexicon
    backend: str = "lexicon"
    semantic: Any = None
    min_confidence: float = 0.0
    options: dict[str, Any] = field(default_factory=dict)
    alias_lower: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.alias_lower = {a.lower(): p for a, p in self.lexicon.aliases.items()}


Stage = Callable[[DocState, Context], None]


# ----------------------------------------------------------------------------- helpers

def _span_tokens(doc: Any, start_char: int, end_char: int) -> tuple[int, int] | None:
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


def _mentions_in(sent: Sent, tokens: set[int]) -> list[Mention]:
    return [m for m in sent.mentions if any(i in tokens for i in range(m.start, m.end))]


def _subtree_ids(tok: Any) -> set[int]:
    return {t.i for t in tok.subtree}


def _core_ids(tok: Any) -> set[int]:
    """The subject phrase without its relative clauses (a subject's own words, not its story)."""
    out = {tok.i}
    for child in tok.children:
        if child.dep_ in ("relcl", "acl", "advcl", "ccomp"):
            continue
        out |= _core_ids(child)
    return out


def _conj_heads(tok: Any) -> list[Any]:
    heads = [tok]
    for child in tok.children:
        if child.dep_ == "conj":
            heads.extend(_conj_heads(child))
    return heads


def _phrase_lemma(tok: Any) -> str:
    """The lemma with its particle or governed preposition ("rule out", "call for")."""
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ == "prt":
            return f"{lemma} {child.lower_}"
    for child in tok.children:
        if child.dep_ == "prep" and f"{lemma} {child.lower_}" in _PHRASAL:
            return f"{lemma} {child.lower_}"
    return lemma


_PHRASAL = {"call for", "call on", "insist on", "put forward", "push for", "press for"}


def _is_negated(tok: Any) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


# ----------------------------------------------------------------------------- stages

def stage_sentences(state: DocState, ctx: Context) -> None:
    """One Sent per spaCy sentence (the parse is done in batches by the Extractor)."""
    state.sents = [Sent(i, s, s.text) for i, s in enumerate(state.doc.sents) if s.text.strip()]


def stage_parties(state: DocState, ctx: Context) -> None:
    """Party mentions: profile aliases (names, titles, capitals) and '<demonym> <role>' phrases."""
    lex = ctx.lexicon
    doc = state.doc
    text = doc.text
    if not state.sents:
        return
    starts = [s.span.start for s in state.sents]

    seen: set[int] = set()
    for regex, kind in ((lex.alias_regex, "alias"), (lex.demonym_regex, "demonym")):
        for m in _matches(regex, text, overlapping=kind == "demonym"):
            if kind == "alias":
                party = ctx.alias_lower.get(m.group(0).lower())
            else:
                party = lex.demonyms.get(m.group(1).lower())
            if party is None:
                continue
            _place_mention(state, starts, seen, m.start(), m.end(), party, m.group(0), kind)
    _hyphen_owners(state, ctx, starts, seen)
    for sent in state.sents:
        sent.mentions.sort(key=lambda x: x.start)


def _place_mention(state: DocState, starts: list[int], seen: set[int], start_char: int, end_char: int,
                   party: str, text: str, kind: str) -> None:
    """Add a mention to the sentence holding it, unless its tokens are taken or it spans two."""
    toks = _span_tokens(state.doc, start_char, end_char)
    if toks is None or any(i in seen for i in range(*toks)):
        return
    k = bisect.bisect_right(starts, toks[0]) - 1
    if k < 0 or toks[1] > state.sents[k].span.end:
        return
    seen.update(range(*toks))
    state.sents[k].mentions.append(Mention(toks[0], toks[1], party, text, kind))


def _matches(regex: re.Pattern[str], text: str, overlapping: bool) -> Iterator[re.Match[str]]:
    """finditer, or (``overlapping``) every leftmost match from each start, so that "Kremlin
    dismissed a European proposal" still finds "European proposal" inside the longer match."""
    if not overlapping:
        yield from regex.finditer(text)
        return
    pos = 0
    while (m := regex.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


_HYPHENATED = re.compile(r"(?<![\w.-])((?:[A-Z][\w.’']*-)+)([A-Za-z]+)(?![\w-])")


def _hyphen_owners(state: DocState, ctx: Context, starts: list[int], seen: set[int]) -> None:
    """Hyphenated owners of a plan or of talks: "a US-Ukraine plan", "US-Ukrainian talks" (both
    parties), "a US-proposed compromise", "the Russian-drafted memorandum" (the party before the
    participle, `owner_participles`). Only when the compound qualifies a position noun or a
    `joint_nouns` word, so "the Russia-Ukraine war" names no speaker."""

    lex = ctx.lexicon
    doc = state.doc
    for m in _HYPHENATED.finditer(doc.text):
        parts, pos = [], m.start()
        for word in m.group(0).split("-"):
            parts.append((word, pos, pos + len(word)))
            pos += len(word) + 1
        owners = []
        for k, (word, s, e) in enumerate(parts):
            party = ctx.alias_lower.get(word.lower()) or lex.demonyms.get(word.lower())
            if party is not None:
                owners.append((party, s, e, word))
            elif not (k == len(parts) - 1 and word.lower() in lex.owner_participles):
                owners = []
                break
        last_is_party = bool(owners) and owners[-1][1] == parts[-1][1]
        if not owners or (last_is_party and len({o[0] for o in owners}) < 2):
            continue
        toks = _span_tokens(doc, parts[-1][1], parts[-1][2])
        if toks is None:
            continue
        head = doc[toks[0]]
        for _ in range(4):
            if head.dep_ not in ("compound", "amod", "npadvmod", "nmod", "punct") or head.head.i == head.i:
                break
            head = head.head
        if head.lower_ not in lex.position_nouns and head.lower_ not in lex.joint_nouns:
            continue
        for party, s, e, word in owners:
            _place_mention(state, starts, seen, s, e, party, word, "joint")


def stage_issues(state: DocState, ctx: Context) -> None:
    """Issue phrases; an `against` pattern wins over an overlapping `for` one of the same issue."""
    _lexicon_hits(state, ctx)  # phrases for attribution; the semantic backend filters them
    if ctx.backend in ("semantic", "hybrid") and ctx.semantic is not None:
        ctx.semantic.add_hits(state, ctx)


def _lexicon_hits(state: DocState, ctx: Context) -> None:
    doc = state.doc
    for sent in state.sents:
        base = sent.span.start_char
        found: list[tuple[int, int, Hit]] = []
        low = sent.text.lower()
        anchors = ctx.lexicon.anchors
        live = {i for i in ctx.lexicon.issue_ids
                if i not in anchors or any(a in low for a in anchors[i])}
        for pat in ctx.lexicon.patterns:
            if pat.issue not in live:
                continue
            for m in pat.regex.finditer(sent.text):
                toks = _span_tokens(doc, base + m.start(), base + m.end())
                if toks is None:
                    continue
                found.append((m.start(), m.end(), Hit(pat.issue, pat.polarity, toks[0], toks[1], m.group(0),
                                                      inner_neg=not pat.negates)))
        kept: list[tuple[int, int, Hit]] = []
        for s, e, hit in sorted(found, key=lambda x: (x[2].polarity != Polarity.AGAINST, -(x[1] - x[0]))):
            if any(h.issue == hit.issue and s < ke and ks < e for ks, ke, h in kept):
                continue
            kept.append((s, e, hit))
        sent.hits = [h for _s, _e, h in sorted(kept, key=lambda x: x[0])]


def _level_for(tok: Any, sent: Sent, ctx: Context, state: DocState, charges: bool = True) -> Level | None:
    """Who a clause head speaks for: its subject (or passive agent, or a position noun's owner)."""
    lex = ctx.lexicon
    subj = sorted((c for c in tok.children if c.dep_ in SUBJ_DEPS), key=lambda c: c.dep_ != "nsubj")
    if subj and subj[0].dep_ == "nsubjpass" and tok.lemma_.lower() in lex.addressee_verbs:
        subj = []  # "Peskov was asked to comment", "Kyiv was urged to …": the addressee holds nothing
        if not any(c.dep_ == "agent" for c in tok.children):
            return Level(tok, "unknown", [], tok.text)
    if tok.pos_ in ("VERB", "AUX"):
        for g in (g for c in tok.children if c.dep_ == "prep" and c.lower_ == "under"
                  for g in c.children if g.dep_ == "pobj" and (g.lower_ in lex.position_nouns or g.lower_ in _TERMS)):
            inner = _level_for(g, sent, ctx, state)  # "Under the plan, Ukraine would …": the plan's term
            if inner is not None and inner.kind == "party":
                return Level(tok, "party", inner.parties, inner.speaker)
            return Level(tok, "plan", [], g.text)
    if charges and tok.lemma_.lower() in ("accuse", "suspect", "blame") and any(
            c.dep_ == "prep" and c.lower_ in ("of", "for") for c in tok.children):
        # "Russia, accused of stalling on a truce" (others' charge) and "Moscow accused Kyiv of
        # rejecting talks" (a charge against another party): neither is the accused's own stance
        return Level(tok, "others", [], tok.text)
    agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not subj or (agent and subj[0].dep_ == "nsubjpass"):
        subj = agent  # "the truce was welcomed by Kyiv": the agent holds the stance
    if not subj and tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
        # "had not seen … but would never agree"; "accused Kyiv of … and said Moscow …" (the
        # subject is shared, not the charge)
        shared = _level_for(tok.head, sent, ctx, state, charges=False)
        if shared is None or shared.token.pos_ not in ("VERB", "AUX"):
            return shared  # an owner read off a plan noun keeps that noun (and its act)
        return Level(tok, shared.kind, shared.parties, shared.speaker, shared.first_person)
    if not subj and tok.dep_ in ("xcomp", "acomp") and tok.head.pos_ in ("VERB", "AUX", "ADJ"):
        return None  # the controller's subject is read at the head
    owner_noun = tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in lex.position_nouns
    if not subj and owner_noun:
        owners = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
        owners += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
                   for g in c.children if g.dep_ == "pobj"]
        # "the draft agreement, which Kyiv and Washington finalised": the relative clause's subjects
        owners += [g for c in tok.children if c.dep_ == "relcl" and c.lower_ in lex.owner_participles
                   for g in c.children if g.dep_ == "nsubj" and g.lower_ not in ("which", "that")]
        # "a plan drafted by X and Y", "the proposal put forward by X" (not "… rejected by X")
        owners += [g for c in tok.children if c.dep_ == "acl"
                   and _act_lemma(c, ctx, lexical=True) not in (None, "reject", "other")
                   for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        # "a plan developed during US-Ukraine negotiations": the parties whose talks produced it
        if lex.plan_intro.search(tok.text):
            owners += [m for c in tok.children if c.dep_ == "acl"
                       and _act_lemma(c, ctx, lexical=True) == "propose"
                       for a in c.children if a.dep_ == "prep" and a.lower_ in ("during", "in", "through", "at")
                       for g in a.children if g.dep_ == "pobj" and g.lower_ in lex.joint_nouns
                       for m in g.children if m.dep_ in ("compound", "amod", "nmod", "poss")]
        ids: set[int] = set()
        for o in owners:
            ids |= _core_ids(o)
        found = _mentions_in(sent, ids)
        if not found and any(c.dep_ == "poss" and c.lower_ in ("his", "her") for c in tok.children):
            # "thanked Erdogan for his willingness to mediate": the nearest person named before
            found = [m for m in sent.mentions if m.end <= tok.i and m.kind == "alias"][-1:]
        if found:
            parties = list(dict.fromkeys(m.party for m in found))
            return Level(tok, "party", parties, found[0].text)
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _LIGHT_VERBS:
            inner = _level_for(tok.head, sent, ctx, state)  # "Erdogan made a proposal for …"
            if inner is not None and inner.kind == "party":
                return Level(tok, "party", inner.parties, inner.speaker)
        return Level(tok, "plan", [], tok.text)
    if not subj:
        return None
    head = subj[0]
    leaders = [g for c in head.children if c.dep_ == "acl" and c.lemma_.lower() == "lead"
               for a in c.children if a.dep_ == "agent" for g in a.subtree]
    led = _mentions_in(sent, {t.i for t in leaders})
    if led:  # "the coalition of the willing, led by Britain and France, pledged …": its leaders
        return Level(tok, "party", list(dict.fromkeys(m.party for m in led)), led[0].text)
    if head.lower_ in ("which", "that", "who") and tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN"):
        head = tok.head  # "the US plan, which calls for …": the noun the clause describes
        if head.lower_ in lex.position_nouns:
            return _level_for(head, sent, ctx, state)
    heads = _conj_heads(head)
    ids = set()
    for h in heads:
        ids |= _core_ids(h)
    text = " ".join(state.doc[i].text for i in sorted(ids))
    found = _mentions_in(sent, ids)
    found = [m for m in found  # "Ukrainian NATO membership will depend on …": NATO is content
             if not any(h.start <= m.start and m.end <= h.end and state.doc[m.end - 1].dep_ == "compound"
                        for h in sent.hits)]
    if head.lower_ not in lex.position_nouns:
        found = [m for m in found if m.kind != "joint"]  # "the Russia-Ukraine talks produced …"
    flat = {h.i for h in heads}
    for h in heads:  # "the US-Ukraine plan": both compound parts qualify the head directly
        flat |= {t.i for t in h.subtree if t.dep_ in ("compound", "punct") and t.head.i in flat}
        flat |= {t.i for t in h.subtree if t.dep_ in ("compound", "punct") and t.head.i in flat}
    direct = [m for m in found if any(i in flat for i in range(m.start, m.end)) or
              state.doc[m.end - 1].head.i in flat]
    if lex.non_party.search(text) and not direct:
        return Level(tok, "nonparty", [], text)
    if found:
        loose = [m for m in found if not _under_topic_prep(state.doc[m.end - 1])]
        if not direct and not loose:
            return None
        use = direct or loose[:1]
        if not direct and loose:
            # "the leaders of France, Germany and Britain": the first party and its conjuncts
            first = state.doc[loose[0].end - 1]
            conj = {t.i for t in first.subtree if t.dep_ == "conj"} | {first.i}
            conj |= {t.i for c in list(conj) for t in state.doc[c].subtree if t.dep_ in ("conj", "compound")}
            use = [m for m in loose if state.doc[m.end - 1].i in conj] or loose[:1]
        owners = [m for m in use if state.doc[m.end - 1].dep_ == "poss" or state.doc[m.end - 1].tag_ == "POS"
                  or (m.end < len(state.doc) and state.doc[m.end].tag_ == "POS")]
        if owners and len(owners) < len(use):
            use = owners  # "Russia's UN ambassador": the owner, not the institution
        parties = list(dict.fromkeys(m.party for m in use))
        speaker = " ".join(m.text for m in use[:1])
        # a person named beside the party ("Russian President Vladimir Putin") is the speaker
        propn = [t for t in state.doc[min(ids):max(ids) + 1] if t.pos_ == "PROPN"]
        if propn and len(parties) == 1:
            speaker = " ".join(t.text for t in propn[-3:])
        if lex.non_party.search(text) and not direct:
            return Level(tok, "nonparty", [], text)
        return Level(tok, "party", parties, speaker)
    if head.lower_ == "it" and state.plan_owner is not None and sent.index - state.plan_owner[2] <= 2:
        return Level(tok, "plan", [], head.text)  # "The plan was published. It says …"
    if head.lower_ in lex.pronouns or head.lower_ in FIRST_PERSON:
        return Level(tok, "pronoun", [], head.text, first_person=head.lower_ in FIRST_PERSON)
    if head.lower_ in lex.position_nouns or head.lemma_.lower() in lex.position_nouns:
        inner = _level_for(head, sent, ctx, state) if head.lower_ in lex.position_nouns else None
        if inner is not None and inner.kind == "party":
            return Level(tok, "party", inner.parties, inner.speaker)
        return Level(tok, "plan", [], head.text)
    if head.lower_ in lex.plan_parts and not any(c.dep_ in ("poss", "prep") for c in head.children):
        return Level(tok, "plan", [], head.text)  # "Most elements are in agreement, such as …"
    if head.pos_ == "PROPN" or lex.non_party.search(text):
        return Level(tok, "nonparty" if lex.non_party.search(text) else "unknown", [], text)
    if head.lower_ in ("sides", "parties", "delegations", "both"):
        return Level(tok, "others", [], text)  # "the two sides agreed to …": nobody in particular
    if head.lower_ in ("countries", "states", "governments", "nations", "allies", "partners") and \
            not any(c.dep_ == "poss" for c in head.children):
        return Level(tok, "others", [], text)  # "Western countries were preparing to …": no one named
    return None


def _under_topic_prep(tok: Any) -> bool:
    """"(disagreements) between Russia and Ukraine", "(talks) with Kyiv": a party named as a
    participant or topic, not as the one speaking."""
    while tok.dep_ in ("conj", "compound", "appos") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in ("between", "among", "with", "on", "about", "over")


def _sentence_source(sent: Sent, ctx: Context, state: DocState) -> Level | None:
    """'According to X' or the subject of a reporting verb at the root."""
    doc = state.doc
    for tok in (sent.span if "according to" in sent.text.lower() else ()):
        if tok.lower_ == "according" and tok.i + 1 < sent.span.end and doc[tok.i + 1].lower_ == "to":
            ids = set()
            for t in doc[tok.i + 1].children:
                ids |= _core_ids(t)
            found = _mentions_in(sent, ids)
            text = " ".join(doc[i].text for i in sorted(ids))
            if found:
                return Level(tok, "party", [found[0].party], found[0].text)
            if ctx.lexicon.non_party.search(text):
                return Level(tok, "nonparty", [], text)
            if any(doc[i].lower_ in ("he", "she", "him", "her") for i in ids):
                return Level(tok, "pronoun", [], text)
    root = sent.span.root
    for verb in [root, *[c for c in root.children if c.dep_ in ("parataxis", "conj")]]:
        if _phrase_lemma(verb) in ctx.lexicon.reporting_verbs or verb.lemma_.lower() in ctx.lexicon.reporting_verbs:
            lvl = _level_for(verb, sent, ctx, state)
            if lvl is not None:
                return lvl
    return None


def stage_speakers(state: DocState, ctx: Context) -> None:
    """Each sentence's reporting source, and the running 'last named speaker' for pronouns."""
    for sent in state.sents:
        sent.source = _sentence_source(sent, ctx, state)
    _quote_runs(state)


_OPEN_QUOTE = "\"“«"
_CLOSE_ATTRIBUTION = re.compile(r"[\"”»]\s*[,—–-]?\s*[\w(]")


def _quote_runs(state: DocState) -> None:
    """A quoted passage of several sentences is attributed once, where it closes ('"We want to
    give … We are willing to send it to Congress," the U.S. official told Axios'): its earlier
    sentences ("We want to give …") speak for the same party. Runs stay within one paragraph."""
    sents = state.sents
    text = state.doc.text
    i = 0
    while i < len(sents):
        if sents[i].text.lstrip()[:1] not in _OPEN_QUOTE:
            i += 1
            continue
        run = [sents[i]]
        j = i
        while not _CLOSE_ATTRIBUTION.search(sents[j].text.strip(), 1) and j + 1 < len(sents) and j - i < 6:
            gap = text[sents[j].span.end_char:sents[j + 1].span.start_char]
            if "\n" in gap or "\n" in sents[j].text:
                break
            j += 1
            run.append(sents[j])
        last = run[-1]
        src = last.source
        if len(run) > 1 and _CLOSE_ATTRIBUTION.search(last.text.strip(), 1) and src is not None \
                and src.kind == "party" and src.parties:
            for sent in run[:-1]:
                sent.quote_speaker = (src.parties[0], src.speaker)
        i = j + 1


def _resolve_pronoun(state: DocState, level: Level, sent: Sent | None = None) -> tuple[list[str], str] | None:
    if sent is not None and sent.quote_speaker is not None and level.first_person:
        return [sent.quote_speaker[0]], sent.quote_speaker[1]
    src = sent.source if sent is not None else None
    if src is not None and src.kind == "party" and src.parties and not level.first_person and \
            src.token.i < level.token.i and level.speaker.lower() in ("he", "she"):
        return [src.parties[0]], src.speaker  # "Putin said …, whom he called …": this sentence's speaker
    if state.last_speaker is None:
        return None
    if level.speaker.lower() in ("they", "them"):
        return None
    return [state.last_speaker[0]], state.last_speaker[1]


def _path(hit: Hit, state: DocState) -> list[Any]:
    span = state.doc[hit.start:hit.end]
    tok = span.root
    out = [tok]
    while tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


def _condition_of(path: list[Any], upto: int, lex: Lexicon) -> str:
    """Whether the issue sits in a condition the holder sets ('if Ukraine withdraws')."""
    for tok in path[:upto]:
        if tok.dep_ == "advcl":
            marks = " ".join(c.lower_ for c in tok.children if c.dep_ in ("mark", "advmod"))
            if any(re.search(rf"\b{re.escape(m)}\b", marks) for m in lex.condition_marks):
                return "if"
        if tok.lower_ in ("exchange", "return") and tok.head.lower_ == "in" and tok.dep_ == "pobj" \
                and tok.head.i == tok.i - 1:
            return "exchange"  # "in exchange for" / "in return for", not "in the return of"
        if tok.lower_ in ("after", "until", "unless") and tok.dep_ == "prep":
            return "if"
    return ""


def stage_attribute(state: DocState, ctx: Context) -> None:
    """A holder for each issue hit: walk the dependency path up and read each clause's subject.

    The topmost reporting source speaks unless a lower clause reports another party's own act
    ("Witkoff said Russia agreed to …"); another party's *aims* ("Kyiv says Moscow wants …")
    give nothing, as GUIDELINES.md asks.
    """
    lex = ctx.lexicon
    for sent in state.sents:
        for hit in sent.hits:
            path = _path(hit, state)
            cut = _contrast_cut(path, ctx)
            if cut:
                path = path[:cut + 1]
            levels: list[tuple[int, Level]] = []
            hit_ids = set(range(hit.start, hit.end))
            for i, tok in enumerate(path):
                lvl = _level_for(tok, sent, ctx, state)
                if lvl is None:
                    continue
                if lvl.kind == "party" and all(t.i in hit_ids for m in sent.mentions
                                               if m.party in lvl.parties
                                               for t in state.doc[m.start:m.end]) and (
                        i == 0 or any(c.dep_ in SUBJ_DEPS and c.i in hit_ids for c in tok.children)):
                    continue  # the issue phrase's own subject ("Ukraine joins NATO", "NATO membership
                    # will depend on …") is content
                levels.append((i, lvl))
            cand = _choose(hit, path, levels, sent, state, ctx, own_clause=bool(cut))
            if cand is not None:
                sent.candidates.append(cand)
            sent.candidates.extend(_acl_owners(hit, path, sent, state, ctx))
        _update_context(sent, state, ctx)
        sent.candidates.extend(_reactions(sent, state, ctx))
        sent.candidates.extend(_appositive_owners(sent, state, ctx))


def _acl_owners(hit: Hit, path: list[Any], sent: Sent, state: DocState, ctx: Context) -> list[Candidate]:
    """"A ceasefire proposed by Ukraine": a participle with an agent names the issue's owner."""
    out = []
    root = path[0]
    if hit.polarity == Polarity.AGAINST and root.pos_ not in ("NOUN", "PROPN"):
        # a verdict phrase ("a truce … would only prolong"): the noun it starts with
        root = next((t for t in state.doc[hit.start:hit.end] if t.pos_ in ("NOUN", "PROPN")), root)
    for child in root.children:
        if child.dep_ != "acl" or _act_lemma(child, ctx, lexical=True) in (None, "other"):
            continue
        agents = [g for c in child.children if c.dep_ == "agent" for g in c.subtree]
        found = _mentions_in(sent, {t.i for t in agents})
        if found:
            act = Act(_act_lemma(child, ctx, lexical=True))
            owned = hit
            if hit.polarity == Polarity.AGAINST and any(
                    p.issue == hit.issue and p.polarity == Polarity.FOR and p.regex.fullmatch(root.text)
                    for p in ctx.lexicon.patterns):
                # "a truce proposed by Kyiv would only prolong the war": the speaker's verdict is
                # against, what Kyiv proposed is the truce itself
                owned = Hit(hit.issue, Polarity.FOR, root.i, root.i + 1, root.text)
            out.append(Candidate(owned, list(dict.fromkeys(m.party for m in found)), found[0].text,
                                 path, 0, "reported", fixed_act=act))
    return out


def _appositive_owners(sent: Sent, state: DocState, ctx: Context) -> list[Candidate]:
    """"… never to join NATO, a key Russian demand": an appositive position noun with an owner
    names whose position the content is (the owner holds it, with the noun's act)."""
    lex = ctx.lexicon
    out: list[Candidate] = []
    for tok in sent.span:
        if tok.dep_ != "appos" or tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ not in lex.position_nouns:
            continue
        lvl = _level_for(tok, sent, ctx, state)
        if lvl is None or lvl.kind != "party":
            continue
        head = tok.head
        if head.pos_ not in ("VERB", "AUX") and head.dep_ in ("dobj", "pobj", "attr") and \
                head.head.pos_ in ("VERB", "AUX"):
            head = head.head  # "… never to join NATO, a key Russian demand": the whole phrase
        inside = _subtree_ids(head) - _subtree_ids(tok)
        for cand in list(sent.candidates):
            if cand.hit.start not in inside or set(cand.parties) & set(lvl.parties):
                continue
            ids = [t.i for t in cand.path]
            hi = ids.index(head.i) if head.i in ids else 0
            if head.i in range(cand.hit.start, cand.hit.end):
                hi = 0
            out.append(Candidate(cand.hit, lvl.parties, lvl.speaker, cand.path, hi, "reported",
                                 fixed_act=Act(lex.position_nouns[tok.lower_])))
    return out


def _reactions(sent: Sent, state: DocState, ctx: Context) -> list[Candidate]:
    """A party's reaction to terms named in the same sentence: "… — an ultimatum that Ukraine has
    rejected" (terms outside the reacting clause), "Kyiv rejected Moscow's demand for X" (terms
    inside its owned object)."""
    out: list[Candidate] = []
    for tok in sent.span:
        act = _act_lemma(tok, ctx, lexical=True)
        if act not in ("reject", "accept"):
            continue
        if _is_negated(tok):
            act = "accept" if act == "reject" else "reject"  # "which Russia did not accept"
        owned = [c for c in tok.children if c.dep_ == "dobj" and c.lower_ in ctx.lexicon.position_nouns
                 and (any(g.dep_ == "poss" for g in c.children)
                      or any(m.start <= c.i < m.end and m.kind == "demonym" for m in sent.mentions))]
        if owned:
            # the owner's demand stays; the reacting party answers what is inside it
            lvl, inside, answers_inside = _level_for(tok, sent, ctx, state), _subtree_ids(owned[0]), True
        elif tok.dep_ == "relcl":
            noun = tok.head
            if noun.dep_ not in ("appos", "npadvmod", "dep", "attr", "conj") and \
                    noun.lower_ not in ctx.lexicon.position_nouns and \
                    not any(c.hit.start <= noun.i < c.hit.end for c in sent.candidates):
                continue  # (or the issue phrase itself: "an exchange of all prisoners, which Russia rejected")
            lvl, inside, answers_inside = _level_for(tok, sent, ctx, state), _subtree_ids(noun), False
        else:
            # "…—conditions Ukraine has firmly rejected": read on the surface, since the parser
            # rarely sees a relative clause with no "that" after a dash
            lvl, answers_inside = _dash_reaction(tok, sent, state, ctx), False
            inside = set() if lvl is None else set(range(lvl.token.i, tok.i + 1))
        if lvl is None or lvl.kind != "party":
            continue
        for cand in list(sent.candidates):
            if (cand.hit.start in inside) != answers_inside or set(cand.parties) & set(lvl.parties):
                continue
            out.append(Candidate(cand.hit, lvl.parties, lvl.speaker, cand.path, cand.holder_index,
                                 "reported", fixed_act=Act(act), flip=(act == "reject")))
    return out


def _dash_reaction(tok: Any, sent: Sent, state: DocState, ctx: Context) -> Level | None:
    """"— <position noun> <party> (has) (firmly) <verb>": the party, with the noun as its token."""
    doc, j = state.doc, tok.i - 1
    while j > sent.span.start and doc[j].pos_ in ("AUX", "ADV", "PART"):
        j -= 1
    mention = next((m for m in sent.mentions if m.end - 1 == j), None)
    if mention is None or mention.start - 2 < sent.span.start:
        return None
    noun = doc[mention.start - 1]
    if noun.lower_ not in ctx.lexicon.position_nouns or doc[noun.i - 1].text not in ("—", "–", "-", ","):
        return None
    return Level(noun, "party", [mention.party], mention.text)


def _contrast_cut(path: list[Any], ctx: Context) -> int:
    """"Moscow wanted X, while Kiev insisted on Y": a contrast clause with its own subject is its
    own statement; the main clause's speaker does not reach into it. The index to cut at, or 0."""
    for i, tok in enumerate(path):
        if tok.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in ctx.lexicon.pronouns for c in tok.children):
            return i  # "…, whom he called illegitimate": the relative clause's own speaker
        if i == 0 or tok.dep_ != "advcl":
            continue
        marks = {c.lower_ for c in tok.children if c.dep_ in ("mark", "advmod")}
        if marks & ctx.lexicon.contrast_marks and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            return i
    return 0


def _choose(hit: Hit, path: list[Any], levels: list[tuple[int, Level]], sent: Sent,
            state: DocState, ctx: Context, own_clause: bool = False) -> Candidate | None:
    lex = ctx.lexicon
    # top source: the sentence source if it sits above the path, else the highest party level
    top_source = None if own_clause else sent.source
    speaking = [(i, l) for i, l in levels
                if l.kind in ("party", "pronoun", "nonparty", "unknown")
                and (_phrase_lemma(l.token) in lex.reporting_verbs
                     or l.token.lemma_.lower() in lex.reporting_verbs)]
    if top_source is not None and top_source.token.i not in {t.i for t in path} and \
            top_source.token.lower_ != "according":
        top_source = None if top_source.token.i != sent.span.root.i else top_source
    if speaking:
        top_i, top = speaking[-1]
    elif top_source is not None:
        top_i, top = len(path), top_source
    else:
        top_i, top = None, None
    if top is not None and top_source is not None and top_source.token.lower_ == "according":
        if top.kind != "party":
            top_i, top = len(path), top_source
    if top is not None and top.kind in ("nonparty", "unknown"):
        # a non-party source: only a lower clause that reports a party's own act survives
        lower = [(i, l) for i, l in levels if (top_i is None or i < top_i) and l.kind == "party"]
        acts = [(i, l) for i, l in lower if _act_lemma(l.token, ctx, lexical=True) not in (None, "other")
                and l.token.lemma_.lower() not in lex.aim_verbs]
        media = top.kind == "nonparty" and lex.media.search(top.speaker) and \
            not re.search(r"\b(?:analyst|expert|critic|fellow|former|observer)", top.speaker, re.I)
        if media and not acts and state.plan_owner is not None:
            # "Reports indicate the plan aims to freeze the lines": the plan's terms, as reported
            acts = [(i, l) for i, l in levels if (top_i is None or i < top_i) and l.kind == "plan"]
        if not acts or (top.kind == "nonparty" and not media):
            return None
        if media and hit.issue in lex.require_act:
            return None  # "reports that Zelensky is planning a meeting": not the party's declaration
        top_i, top = acts[0]
    fixed: Act | None = None
    first = next(((i, l) for i, l in levels if l.kind in ("party", "pronoun", "plan")), None)
    if first is None and top is None:
        return _fallback(hit, path, sent, state, ctx)
    if first is None:
        first = (top_i, top)
    fi, fl = first
    if any(l.kind == "others" and i < fi and not any(c.dep_ == "aux" and c.lower_ == "to" for c in l.token.children)
           for i, l in levels):
        return None  # "Witkoff said the two sides agreed to …" (but not "wanted both sides to agree to …")
    chosen_i, chosen, via = fi, fl, "subject"
    if top is not None and top_i is not None and top_i > fi and top.kind in ("party", "pronoun"):
        top_parties = top.parties or (_resolve_pronoun(state, top, sent) or ([], ""))[0]
        first_parties = fl.parties
        if fl.kind in ("pronoun", "plan") or not first_parties or set(first_parties) == set(top_parties):
            chosen_i, chosen, via = top_i, top, "source"
        else:
            lemma = fl.token.lemma_.lower()
            if lemma in lex.aim_verbs and not _is_first_person(fl):
                return None
            top_act = _act_lemma(top.token, ctx, lexical=True) if top.token.pos_ in ("VERB", "AUX") else None
            if top_act == "demand" and top_i < len(path):
                chosen_i, chosen, via = top_i, top, "source"  # "Putin demanded that Kyiv agree to …"
                fixed = Act(top_act)
            elif top.kind == "party" and _obliged(fl.token):
                chosen_i, chosen, via = top_i, top, "source"  # "Putin said Kyiv would need to …"
                fixed = Act.DEMAND
            elif _act_lemma(fl.token, ctx, lexical=True) not in (None, "other"):
                chosen_i, chosen, via = fi, fl, "reported"
            else:
                chosen_i, chosen, via = top_i, top, "source"
    plan_says = fl.token.dep_ == "ccomp" and any(  # "the proposal envisages that Ukraine will …"
        c.dep_ in SUBJ_DEPS and (c.lower_ in lex.position_nouns or (c.lower_ == "it" and any(
            lvl.kind == "plan" and lvl.token.i == fl.token.head.i for _, lvl in levels)))
        for c in fl.token.head.children)
    if chosen is fl and fl.kind == "party" and (any(c.dep_ == "aux" and c.lower_ == "to" for c in fl.token.children)
                                                or (fl.token.dep_ == "ccomp" and fl.token.tag_ == "VB") or plan_says):
        # "the plan calls for Ukraine to renounce …", "Moscow urged Kyiv to …": the asker holds it
        gov = fl.token.head  # the asking verb, or the plan noun its relative clause describes
        at = {gov.i, gov.head.i} if gov.dep_ == "relcl" else {gov.i}
        asks = plan_says or _act_lemma(gov, ctx, lexical=True) == "demand" or (
            gov.lemma_.lower() == "call" and any(c.dep_ == "mark" and c.lower_ == "for" for c in fl.token.children))
        for i, lvl in levels:
            if asks and i > fi and lvl.token.i in at and lvl.kind in ("party", "plan", "pronoun") and \
                    set(lvl.parties) != set(fl.parties):
                # a plan's clause is a proposal unless it says "must" (GUIDELINES)
                plan = gov.dep_ == "relcl" or lvl.kind == "plan" or plan_says
                chosen_i, chosen, via, fixed = i, lvl, "subject", Act.PROPOSE if plan else Act.DEMAND
                break
    quoted = sent.text.strip()[:1] in QUOTE_CHARS
    voice = sent.quote_speaker or (state.last_speaker if quoted else None)
    if top is None and chosen is fl and fl.kind == "party" and voice is not None and \
            voice[0] not in fl.parties and _obliged(fl.token):
        # '"But Russia must stop its strikes first."' in Zelensky's quote: his demand of Russia
        return Candidate(hit, [voice[0]], voice[1], path, len(path), "context", fixed_act=Act.DEMAND)
    parties, speaker = chosen.parties, chosen.speaker
    if chosen.kind == "pronoun":
        resolved = _resolve_pronoun(state, chosen, sent)
        if resolved is None:
            return None
        parties, speaker = resolved
        via = "pronoun"
    elif chosen.kind == "plan":
        if state.plan_owner is None or sent.index - state.plan_owner[2] > 6:
            return None
        parties, speaker = list(state.plan_owner[0]), state.plan_owner[1]
        via = "plan"
    if not parties:
        return None
    cond = _condition_of(path, chosen_i, lex)
    return Candidate(hit, parties, speaker, path, chosen_i, via, cond, fixed_act=None if cond else fixed)


def _modal_obligation(tok: Any) -> bool:
    """A modal of obligation on the verb: "must", "should", "ought", "has to", "needs to"
    ("has ruled out … to Russia" is not one)."""
    for child in tok.children:
        if child.dep_ not in ("aux", "auxpass"):
            continue
        if child.lower_ in ("must", "should", "ought", "required"):
            return True
        if child.lemma_.lower() in ("have", "need") and child.i + 1 < len(tok.doc) and \
                tok.doc[child.i + 1].lower_ == "to":
            return True
    return False


def _obliged(tok: Any) -> bool:
    """"Kyiv must …", "Kyiv would need to …", "Kyiv has to …", "Kyiv is required to …": an
    obligation put on the clause's subject, so a reporter naming it is making a demand of it."""
    if _modal_obligation(tok):
        return True
    to_verb = any(c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                  for c in tok.children)
    if to_verb and tok.lemma_.lower() in ("need", "have"):
        return True
    if to_verb and tok.lemma_.lower() in ("require", "oblige", "force", "compel") and \
            any(c.dep_ == "nsubjpass" for c in tok.children):
        return True
    return False


def _is_first_person(level: Level) -> bool:
    return level.first_person


def _fallback(hit: Hit, path: list[Any], sent: Sent, state: DocState, ctx: Context) -> Candidate | None:
    """No subject on the path: a point of a plan just introduced, or a quote of the last speaker."""
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in sent.span)
    if not has_verb and state.plan_owner is not None and sent.index - state.plan_owner[2] <= 15:
        return Candidate(hit, list(state.plan_owner[0]), state.plan_owner[1], path, len(path), "plan")
    text = sent.text.strip()
    quoted = text[:1] in QUOTE_CHARS or text[-1:] in QUOTE_CHARS
    if quoted and sent.quote_speaker is not None:
        return Candidate(hit, [sent.quote_speaker[0]], sent.quote_speaker[1], path, len(path), "context")
    if quoted and state.last_speaker is not None:
        return Candidate(hit, [state.last_speaker[0]], state.last_speaker[1], path, len(path), "context")
    return None


# what "under …" can name besides a position noun: "under the first (option)", "under the deal"
_TERMS = {"first", "second", "third", "option", "options", "scenario", "deal", "agreement", "arrangement",
          "accord", "settlement", "version"}
_PUBLISH = {"publish", "unveil", "release", "submit", "send", "hand", "deliver", "circulate", "issue"}
# verbs that only carry a position noun: "made a proposal", "put forward a plan", "issued a call"
_LIGHT_VERBS = _PUBLISH | {"make", "put", "present", "table", "float", "offer", "draft", "lay", "set"}


def _update_context(sent: Sent, state: DocState, ctx: Context) -> None:
    """Remember the last named speaker and the owner of the last plan introduced."""
    lex = ctx.lexicon
    src = sent.source
    if src is not None and src.kind == "party" and src.parties:
        state.last_speaker = (src.parties[0], src.speaker)
    elif src is not None and src.kind in ("nonparty", "unknown"):
        state.last_speaker = None
    elif src is None:
        root = _level_for(sent.span.root, sent, ctx, state)
        if root is not None and root.kind == "party" and root.parties:
            state.last_speaker = (root.parties[0], root.speaker)
    for tok in (sent.span if lex.plan_intro.search(sent.text) else ()):
        if tok.lower_ in lex.position_nouns and lex.plan_intro.search(tok.text):
            lvl = _level_for(tok, sent, ctx, state)
            if (lvl is None or lvl.kind != "party") and tok.dep_ == "dobj" and (
                    tok.head.lemma_.lower() in _PUBLISH or _act_lemma(tok.head, ctx, lexical=True) == "propose"):
                lvl = _level_for(tok.head, sent, ctx, state)  # "the White House published a plan"
            if lvl is not None and lvl.kind == "party" and lvl.parties:
                state.plan_owner = (list(lvl.parties), lvl.speaker, sent.index)
    if state.plan_owner is not None:
        _disown(sent, state, ctx)
    for cand in sent.candidates:
        if cand.via in ("subject", "source", "reported"):
            if cand.holder_index < len(cand.path) and cand.path[cand.holder_index].pos_ in ("NOUN", "PROPN"):
                continue  # the owner of "a US-proposed compromise" is no one "he" could refer to
            state.last_speaker = (cand.parties[0], cand.speaker)


def _disown(sent: Sent, state: DocState, ctx: Context) -> None:
    """GUIDELINES: a party whose government rejects or disowns the plan gets nothing for its terms
    ("the plan has been rejected by the U.S. government", "Washington disowned the draft")."""
    lex = ctx.lexicon
    assert state.plan_owner is not None
    for tok in sent.span:
        if tok.pos_ not in ("VERB", "AUX") or _act_lemma(tok, ctx, lexical=True) != "reject" or _is_negated(tok):
            continue
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        if not any(h.lower_ in lex.position_nouns and lex.position_nouns[h.lower_] in ("propose", "demand")
                   for o in objs for h in _conj_heads(o)):
            continue
        if any(o.dep_ == "nsubjpass" for o in objs):  # "… has been rejected by the U.S. government"
            ids = {g.i for a in tok.children if a.dep_ == "agent" for g in a.subtree}
            rejecting = {m.party for m in _mentions_in(sent, ids)}
        else:
            lvl = _level_for(tok, sent, ctx, state)
            rejecting = set(lvl.parties) if lvl is not None and lvl.kind == "party" else set()
        if not rejecting:
            continue
        owners = [p for p in state.plan_owner[0] if p not in rejecting]
        state.plan_owner = (owners, state.plan_owner[1], state.plan_owner[2]) if owners else None
        if state.plan_owner is None:
            return


def _act_lemma(tok: Any, ctx: Context, lexical: bool = False) -> str | None:
    """The act a clause head names; modals ("must") count unless ``lexical``."""
    lex = ctx.lexicon
    phrase = _phrase_lemma(tok)
    act = lex.acts.get(phrase) or lex.acts.get(tok.lemma_.lower()) or lex.acts.get(tok.lower_)
    if tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in lex.position_nouns:
        act = lex.position_nouns[tok.lower_]
    if act is None and tok.lemma_.lower() in _LIGHT_VERBS:
        noun = next((c for c in tok.children if c.dep_ == "dobj" and c.lower_ in lex.position_nouns), None)
        if noun is not None:
            act = lex.position_nouns[noun.lower_]  # "made a request" is a demand
    if not lexical and _modal_obligation(tok):
        return "demand"
    return act


def stage_polarity(state: DocState, ctx: Context) -> None:
    """Flip the pattern's polarity once per negation or reject verb between issue and holder."""
    lex = ctx.lexicon
    for sent in state.sents:
        for cand in sent.candidates:
            hit = cand.hit
            inside = set(range(hit.start, hit.end))
            flips = 0
            skip_to: int | None = None
            noun_conj = False
            top = min(cand.holder_index, len(cand.path) - 1)
            for i, tok in enumerate(cand.path[:top + 1]):
                if cand.condition and i > 0 and _condition_of(cand.path[:i], i, lex):
                    break  # what the holder asks in return keeps its own polarity
                if i > 0 and cand.path[i - 1].dep_ == "conj" and cand.path[i - 1].pos_ in ("NOUN", "PROPN"):
                    noun_conj = True
                if skip_to is not None:
                    if tok.i == skip_to:
                        skip_to = None
                    continue
                if i > 0 and cand.path[i - 1].dep_ == "conj" and cand.path[i - 1].pos_ == "VERB" and \
                        tok.dep_ in ("acl", "relcl") and tok.head.dep_ in ("dobj", "pobj") and \
                        tok.head.head.pos_ == "VERB":
                    # "renounce its bid to join NATO and withdraw …": the second verb belongs with
                    # "renounce", not inside its object, so that verb's negation does not reach it
                    skip_to = tok.head.head.i
                    continue
                if i > 0 and (cand.path[i - 1].dep_ == "conj" or (
                        cand.path[i - 1].dep_ in ("dep", "parataxis")
                        and cand.path[i - 1].pos_ in ("VERB", "AUX") and tok.pos_ in ("VERB", "AUX"))):
                    continue  # "has never given up and is ready to talk": the negation stays left
                if i > 0 and tok.lemma_.lower() in lex.silent_verbs:
                    if _is_negated(tok) or (tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("decline", "refuse")):
                        cand.dropped = "nothing said (negated reporting verb)"
                    continue  # "did not say whether …": not saying is not saying the opposite
                if tok.i not in inside and i > 0:
                    lemma = tok.lemma_.lower()
                    if lemma in lex.flip_verbs and not (lemma == "rule" and not _phrase_lemma(tok).endswith("out")):
                        flips += 1
                    if tok.lower_ in ("without", "against", "instead"):
                        flips += 1
                for child in tok.children:
                    if child.i in inside and not (hit.inner_neg and child.dep_ == "neg"):
                        continue
                    if child.dep_ == "neg":
                        flips += 1
                    elif child.dep_ == "det" and child.lower_ == "no" and not noun_conj:
                        flips += 1  # (a noun conjunct has its own determiner: "no X and no Y")
                    elif child.dep_ == "prep" and child.lower_ == "off" and any(
                            g.lower_ == "table" for g in child.children):
                        flips += 1  # "joining NATO is off the table"
                    elif child.dep_ == "prep" and child.lower_ == "out" and any(
                            g.lower_ == "of" and any(q.lower_ == "question" for q in g.children) for g in child.children):
                        flips += 1  # "NATO membership was out of the question"
                    elif child.dep_ == "prep" and child.lower_ == "as" and any(
                            g.lower_ in lex.flip_words for g in child.children):
                        flips += 1  # "will treat any Western military presence as a threat"
                    elif (child.dep_ in ("acomp", "attr", "oprd") or (child.dep_ == "ccomp" and child.pos_ == "ADJ")) and (
                            child.lower_ in lex.flip_words
                            or any(g.lower_ in lex.flip_words for g in child.children if g.dep_ == "amod")):
                        flips += 1
            flips += 1 if cand.flip else 0
            cand.polarity = hit.polarity if flips % 2 == 0 else (
                Polarity.AGAINST if hit.polarity == Polarity.FOR else Polarity.FOR)


def stage_act(state: DocState, ctx: Context) -> None:
    """The nearest act cue on the path; a condition the holder sets is a demand."""
    for sent in state.sents:
        for cand in sent.candidates:
            if cand.fixed_act is not None:
                cand.act = cand.fixed_act
                continue
            if cand.condition:
                cand.act = Act.DEMAND
                continue
            act = None
            top = min(cand.holder_index, len(cand.path) - 1)
            order = list(cand.path[: top + 1])
            if cand.holder_index < len(cand.path) and cand.via in ("subject", "reported") and top > 0:
                # the holder's own verb names its act: "Putin demanded that Kyiv agree to …" is a
                # demand, "Zelensky offered the prospect of Ukraine accepting …" an offer
                if not any(t.dep_ == "advcl" and t.tag_ == "VBG" and _act_lemma(t, ctx, lexical=True)
                           not in (None, "other") for t in order[1:-1]):
                    order = [cand.path[top], *order[:-1]]
                # else "…, insisting on X": the participle names the act for X
            for k, tok in enumerate(order):
                a = _act_lemma(tok, ctx)
                if a is not None and tok.lemma_.lower() in ctx.lexicon.clause_report_verbs and any(
                        c.dep_ == "ccomp" and c.i in {t.i for t in cand.path} for c in tok.children):
                    a = "other"  # "suggested that …", "agreed that …": a report, not an act
                if a is None or a == "other":
                    continue
                if _is_negated(tok) and a in ("accept", "propose", "demand"):
                    a = "reject"
                elif _is_negated(tok) and a == "reject":
                    a = "propose"  # "is not ruled out", "does not reject": an opening
                act = a
                cand.act_token = tok
                break
            if act is None:
                act = _implicit_reject(cand, top, ctx)
            if act is None and cand.via == "plan":
                act = "propose"
            if act is None and cand.via in ("source", "subject") and cand.hit.issue in ctx.lexicon.require_act \
                    and (_will(cand.path[0]) or _talks_ahead(cand.path[0])):
                act = "propose"  # "Trump said he would meet Putin": a declared intention
            if act is None and cand.hit.issue in ctx.lexicon.require_act and cand.hit.polarity == Polarity.AGAINST:
                act = "reject"  # the phrase is the refusal itself: "walked out of the talks"
            if act is None and any(
                    c.dep_ == "advcl" and _condition_of([c], 1, ctx.lexicon) for t in cand.path[: top + 1]
                    for c in t.children):
                act = "propose"  # the offer side of a conditional offer
            if act == "demand" and cand.via == "plan" and not re.search(r"\bmust\b|\bcondition", sent.text, re.I):
                act = "propose"
            if act == "demand" and cand.hit.issue in ctx.lexicon.offer_issues and not cand.condition:
                act = "propose"  # asking for talks is offering them (PLOVER: a call to meet is AGREE)
            cand.act = Act(act or "other")


def _will(tok: Any) -> bool:
    """A verb of meeting or negotiating put in the future by its own subject ("he would meet …",
    "we will continue to negotiate"), or said of themselves in the present ("we are negotiating")."""
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("continue", "start", "begin", "resume"):
        tok = tok.head
    if tok.pos_ != "VERB" or _is_negated(tok):
        return False
    auxes = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    subj = {c.lower_ for c in tok.children if c.dep_ == "nsubj"}
    return bool(auxes & {"will", "would", "'ll", "shall"} and subj & {"he", "she", "we", "i"}) or bool(
        tok.tag_ == "VBG" and auxes & {"am", "are", "'re", "'m"} and subj & {"we", "i"})


def _talks_ahead(noun: Any) -> bool:
    """"A new round of talks could take place in June": talks as the subject of a verb of taking
    place, put in the future — a party saying so declares them (GUIDELINES)."""
    verb = noun.head
    return noun.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() in (
        "take", "hold", "resume", "continue", "start", "begin", "happen", "occur") and not _is_negated(verb) \
        and any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("will", "would", "could", "may", "might", "can", "'ll")
                for c in verb.children)


def _implicit_reject(cand: Candidate, top: int, ctx: Context) -> str | None:
    """No act word: an evaluative rejection on the path ("… is an unrealistic objective") or the
    holder's own refusal in the future ("Kyiv would not compromise its sovereignty") rejects."""
    lex = ctx.lexicon
    inside = range(cand.hit.start, cand.hit.end)
    for tok in cand.path[: top + 1]:
        for c in tok.children:
            if c.i in inside or c.dep_ not in ("acomp", "attr", "oprd"):
                continue
            if c.lower_ in lex.reject_words or any(g.lower_ in lex.reject_words for g in c.children
                                                   if g.dep_ == "amod"):
                return "reject"
    for tok in cand.path[: top + 1]:
        if tok.pos_ != "VERB" or not _is_negated(tok):
            continue
        if not any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "wo", "can", "ca", "cannot")
                   for c in tok.children):
            continue
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if not subj:
            continue
        words = {t.lower_ for t in subj[0].subtree}
        own = any(m.party in cand.parties for m in _named_parties(subj[0], ctx)) or \
            subj[0].lower_ in FIRST_PERSON
        if own or words & {"we", "i"}:
            return "reject"
    return None


def _named_parties(tok: Any, ctx: Context) -> list["_Named"]:
    """Parties named in a phrase (alias lookup on its tokens; used outside a Sent)."""
    out = []
    text = " ".join(t.text for t in tok.subtree)
    for m in ctx.lexicon.alias_regex.finditer(text):
        party = ctx.alias_lower.get(m.group(0).lower())
        if party:
            out.append(_Named(party, m.group(0)))
    return out


@dataclass
class _Named:
    party: str
    text: str


def stage_red_line(state: DocState, ctx: Context) -> None:
    """Markers of non-negotiability; 'never' counts only outside the proposal's own content."""
    lex = ctx.lexicon
    for sent in state.sents:
        if not sent.candidates:
            continue
        markers = [m for rx in lex.red_line for m in rx.finditer(sent.text)]
        for cand in sent.candidates:
            if cand.condition == "if":
                cand.red_line = True
                continue
            red = False
            inside = set(range(cand.hit.start, cand.hit.end))
            for m in markers:
                word = m.group(0).lower()
                if word == "never":
                    toks = _span_tokens(state.doc, sent.span.start_char + m.start(),
                                        sent.span.start_char + m.end())
                    if toks is None:
                        continue
                    head = state.doc[toks[0]].head
                    upper = {t.i for t in cand.path[1: cand.holder_index + 1]}
                    if head.i in upper and head.i not in inside:
                        red = True
                    continue
                red = True
            cand.red_line = red


def stage_filter(state: DocState, ctx: Context) -> None:
    """GUIDELINES.md: talks need a declared stance; weak attributions fall under min_confidence."""
    lex = ctx.lexicon
    for sent in state.sents:
        for cand in sent.candidates:
            if cand.hit.issue in lex.require_act and cand.act == Act.OTHER:
                cand.dropped = "talks need readiness, agreement or refusal"
            elif cand.hit.issue in lex.require_act and cand.via != "plan" and (
                    not _governs_closely(cand, lex) if cand.act_token is not None else not _talks_verb(cand, lex)):
                cand.dropped = "the stance is not about the talks (talks only mentioned)"
            elif cand.hit.issue in lex.require_act and _talks_held(cand, lex):
                cand.dropped = "an account of talks held, not a stance on talks"
            why = _circumstance(cand, ctx)
            if why:
                cand.dropped = why
            conf = {"subject": 0.75, "source": 0.7, "reported": 0.65, "pronoun": 0.6,
                    "plan": 0.55, "context": 0.45}.get(cand.via, 0.5)
            conf += 0.1 if cand.act != Act.OTHER else 0.0
            conf *= cand.hit.score
            cand.confidence = round(min(conf, 1.0), 2)
            if cand.confidence < ctx.min_confidence:
                cand.dropped = cand.dropped or "below min_confidence"


_NOT_PAST = {"will", "would", "can", "could", "may", "might", "shall", "should", "must", "'ll", "wo", "to"}


def _talks_held(cand: Candidate, lex: Lexicon) -> bool:
    """Tense and aspect: "Turkey mediated the talks", "the delegations have worked on the text at
    the talks", "Russia confirmed it had held talks" report talks that took place; "ready to
    meet", "will hold talks", "agreed to negotiate" declare a stance. A finite past or perfect
    verb of holding talks (`talks_held_verbs`) between the talks phrase and the act word (or being
    the act word) makes the candidate a report — unless the speaker says it of itself ("we have
    held talks and …": GUIDELINES count a party's own statement that it is negotiating)."""
    ids = [t.i for t in cand.path]
    top = ids.index(cand.act_token.i) if cand.act_token is not None and cand.act_token.i in ids else \
        min(cand.holder_index, len(cand.path) - 1)
    hit = range(cand.hit.start, cand.hit.end)
    for tok in cand.path[1: top + 1]:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in lex.talks_held_verbs:
            continue
        auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        if auxes & _NOT_PAST:
            continue
        past = tok.tag_ == "VBD" or (tok.tag_ == "VBN" and auxes & {"has", "have", "had", "'ve", "'d"})
        if not past or tok.i in hit and tok.tag_ != "VBD":
            continue
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and subj[0].lower_ in FIRST_PERSON:
            continue
        return True
    return False


def _talks_verb(cand: Candidate, lex: Lexicon) -> bool:
    """With no act word ("would … enter talks if …"), the talks must be a frame verb's object."""
    hit = range(cand.hit.start, cand.hit.end)
    if cand.path[0].pos_ == "VERB" and cand.path[0].i in hit:
        return True  # the phrase is itself the verb: "he would meet Putin"
    above = next((t for t in cand.path if t.i not in hit), None)
    return above is not None and above.pos_ == "VERB" and above.lemma_.lower() in lex.talks_frame_verbs \
        and above.lemma_.lower() not in ("be", "have")


def _governs_closely(cand: Candidate, lex: Lexicon) -> bool:
    """`process.talks` needs the act word to take the talks as its own argument: "ready for talks",
    "refused to negotiate", "called for a resumption of talks" — not a stance on something else in
    a sentence that also mentions talks ("concessions in Ukraine negotiations", "offered X as he
    held talks", "confirmed the start of the second day of negotiations")."""
    ids = [t.i for t in cand.path]
    if cand.act_token.i not in ids:
        return False
    k = ids.index(cand.act_token.i)
    hit = range(cand.hit.start, cand.hit.end)
    for j in range(1, k + 1):
        below, tok = cand.path[j - 1], cand.path[j]
        if below.i in hit and tok.i in hit:
            continue
        if below.dep_ == "conj" and tok.pos_ in ("NOUN", "PROPN") and tok.lower_ not in lex.position_nouns:
            continue  # "called for a ceasefire and direct talks": the talks share the call
        if below.dep_ not in lex.talks_frame_deps:
            return False
        if j == k and below.dep_ == "conj" and tok.pos_ in ("NOUN", "PROPN"):
            return False  # "his plan and his talks with Trump": the plan's act is not about the talks
        if j < k and tok.dep_ == "prep" and tok.lower_ not in lex.talks_frame_preps and not _only_before(tok):
            return False  # ("ready to discuss it only at a meeting with Putin": a condition)
        if j < k and tok.pos_ in ("NOUN", "PROPN") and tok.i not in hit and tok.lower_ not in lex.talks_frame_nouns:
            return False
        if j < k and tok.pos_ in ("VERB", "AUX") and tok.i not in hit and tok.lemma_.lower() not in lex.talks_frame_verbs:
            return False
    return True


def _circumstance(cand: Candidate, ctx: Context) -> str:
    """The issue phrase only sets the scene ("during the talks", "ahead of the summit")."""
    lex = ctx.lexicon
    for tok in cand.path:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in ("report", "claim", "rumour", "rumor", "speculation") \
                and _act_lemma(tok.head, ctx, lexical=True) == "reject":
            return "a denied report"  # "the Kremlin dismissed reports that Putin was ready to …"
    top = min(cand.holder_index, len(cand.path))
    for tok in cand.path[:top]:
        if tok.dep_ == "prep" and tok.lower_ == "with" and tok.head.pos_ in ("VERB", "AUX") and any(
                g.dep_ == "pobj" and any(a.dep_ == "acl" for a in g.children) for g in tok.children):
            return "circumstance (with … set to …)"  # "…, with talks set to resume on Monday"
        if tok.dep_ == "prep" and tok.lower_ in ("about", "regarding", "concerning") and (
                tok.head.lemma_.lower() in lex.reporting_verbs | lex.silent_verbs | {"speak", "talk", "ask"}):
            return "a topic of speech, not a position"  # "what he said about NATO membership"
        if tok.dep_ == "prep" and tok.lower_ in lex.circumstantial:
            if _only_before(tok):
                continue  # "only after a ceasefire" is a condition
            if tok.lower_ == "as":
                continue  # "as a guarantor", "as part of a deal": a role, not a time
            return f"circumstance ({tok.lower_} …)"
        if tok.dep_ == "advcl" and tok.lemma_.lower() == "ask" and not any(c.dep_ == "nsubj" for c in tok.children):
            return "a question put to the speaker"  # "Asked whether Russia would agree to …, Peskov said"
        if tok.dep_ == "advcl":
            marks = {c.lower_ for c in tok.children if c.dep_ in ("mark", "advmod")}
            if marks & lex.contrast_marks and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
                continue  # "while Kiev insisted on …" contrasts, it does not set the scene
            if not marks and tok.tag_ == "VBG" and tok.lemma_.lower() in lex.aim_verbs:
                continue  # "…, aiming to freeze the lines": a purpose, not the scene
            if not marks and tok.tag_ == "VBG" and tok.i > tok.head.i and \
                    _act_lemma(tok, ctx, lexical=True) not in (None, "other"):
                continue  # "…, insisting on mutual withdrawals": the holder's stance, not the scene
            if not marks and tok.tag_ == "VBG" and tok.i > tok.head.i and tok.i in range(cand.hit.start, cand.hit.end):
                continue  # "voted to extend martial law, postponing elections": the act itself
            if marks & lex.circumstantial or (not marks and tok.tag_ == "VBG"):
                return "circumstance (adverbial clause)"
        if tok.dep_ in ("npadvmod",):
            return "circumstance (adverbial noun)"
        if tok.i not in range(cand.hit.start, cand.hit.end) and (
                tok.lower_ in lex.topic_nouns or (tok.pos_ == "VERB" and tok.lemma_.lower() in lex.topic_verbs) or
                (tok.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in lex.topic_nouns
                                                     for c in tok.children))):
            return "a topic, not a position"
    root = cand.path[0]
    if cand.hit.issue in lex.require_act and root.dep_ in ("nsubj", "nsubjpass") and cand.via != "plan" \
            and not (cand.via in ("source", "subject") and _talks_ahead(root)):
        return "the talks are the topic, not the object of a stance"
    return ""


def _only_before(tok: Any) -> bool:
    """"only after …", "could only be put to a vote after …": the preposition sets a condition."""
    doc = tok.doc
    if tok.i > 0 and doc[tok.i - 1].lower_ == "only":
        return True
    return any(c.lower_ == "only" and c.dep_ == "advmod" and c.i < tok.i for c in tok.head.children)


def stage_statements(state: DocState, ctx: Context) -> None:
    """One Statement per (party, issue, polarity), the first and most confident kept."""
    best: dict[tuple[str, str, str], Statement] = {}
    doc = state.document
    for sent in state.sents:
        for cand in sent.candidates:
            if cand.dropped:
                continue
            groups = ctx.lexicon.groups
            members = [m for p in cand.parties for m in groups.get(p, (p,))]
            for party in dict.fromkeys(members):  # "the E3" speaks for each of its states
                key = (party, cand.hit.issue, cand.polarity.value)
                st = Statement(party=party, issue=cand.hit.issue, polarity=cand.polarity,
                               act=cand.act, red_line=cand.red_line, speaker=cand.speaker,
                               quote=sent.text.strip(), confidence=cand.confidence,
                               document_id=doc.id, date=doc.date, url=doc.url)
                if key not in best or (st.act != Act.OTHER, st.confidence) > (
                        best[key].act != Act.OTHER, best[key].confidence):
                    best[key] = st
    state.statements = list(best.values())


DEFAULT_STAGES: list[tuple[str, Stage]] = [
    ("sentences", stage_sentences),
    ("parties", stage_parties),
    ("issues", stage_issues),
    ("speakers", stage_speakers),
    ("attribute", stage_attribute),
    ("polarity", stage_polarity),
    ("act", stage_act),
    ("red_line", stage_red_line),
    ("filter", stage_filter),
    ("statements", stage_statements),
]


class Pipeline:
    """Named stages run in order over a DocState, like a spaCy ``Language`` over a ``Doc``."""

    def __init__(self, stages: Iterable[tuple[str, Stage]] = DEFAULT_STAGES) -> None:
        self.stages: list[tuple[str, Stage]] = list(stages)

    @property
    def stage_names(self) -> list[str]:
        return [n for n, _ in self.stages]

    def replace(self, name: str, stage: Stage) -> None:
        self.stages = [(n, stage if n == name else s) for n, s in self.stages]

    def remove(self, name: str) -> None:
        self.stages = [(n, s) for n, s in self.stages if n != name]

    def __call__(self, state: DocState, ctx: Context) -> DocState:
        for _name, stage in self.stages:
            stage(state, ctx)
        return state


class Extractor(DocumentRunner):
    """Documents → statements. Load once (spaCy model, lexicon, backend), call on many documents."""

    def __init__(self, profile: Profile | None = None, backend: str = "lexicon",
                 lexicon_path: str | None = None, min_confidence: float = 0.0,
                 batch_size: int = 32, pipeline: Pipeline | None = None, nlp: Any = None) -> None:
        from redline.extract.nlp import load_nlp
        from redline.profile import load_profile

        if backend not in ("lexicon", "semantic", "hybrid"):
            from redline.errors import RedlineError
            raise RedlineError(f"unknown backend {backend!r} (use lexicon, semantic or hybrid)")
        self.profile = profile or load_profile()
        lexicon = load_lexicon(self.profile, lexicon_path)
        semantic = None
        if backend in ("semantic", "hybrid"):
            from redline.extract.semantic import SemanticIssues
            semantic = SemanticIssues(self.profile, lexicon)
        self.ctx = Context(self.profile, lexicon, backend, semantic, min_confidence)
        self.nlp = nlp if nlp is not None else load_nlp()
        self.pipeline = pipeline or Pipeline()
        self.batch_size = batch_size

    def run(self, documents: Iterable[Document]) -> Iterator[DocState]:
        """Parse in batches with ``nlp.pipe`` and run the stages; yields states in input order,
        each with notes on what of its text the extractor reads poorly or not at all (another
        language, past the parser's limit)."""
        from redline.extract.nlp import parse_by_line, reading_notes

        docs = list(documents)
        notes = [reading_notes(d.text, self.ctx.lexicon.language) for d in docs]
        parsed = parse_by_line(self.nlp, (d.text for d in docs), batch_size=self.batch_size)
        for document, sdoc, why in zip(docs, parsed, notes):
            yield self.pipeline(DocState(document, sdoc, notes=why), self.ctx)
