"""``--backend llm``: ask an OpenAI-compatible chat server (llama.cpp server, Ollama, vLLM) per
candidate sentence. Optional and unmeasured: no model good enough was at hand to score it, so its
quality is unknown; it exists for users who run a capable model.

Settings (environment): ``REDLINE_LLM_URL`` (base URL, e.g. ``http://localhost:8080/v1``),
``REDLINE_LLM_MODEL`` (model name), optional ``REDLINE_LLM_API_KEY``, ``REDLINE_LLM_TIMEOUT``.
The prompt (``prompt.txt``) and answer schema (``schema.json``) ship in this package. Answers are
cached on disk by a hash of (model, prompt, schema, sentence, context, candidate parties), so a
re-run asks nothing twice. The spaCy stages choose the sentences and candidate parties, as for
the trained backend; answers naming a party or issue outside the profile are dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from pydantic import BaseModel, Field, ValidationError

from redline.errors import RedlineError
from redline.model import Act, Document, Polarity, Statement
from redline.extract.runner import DocumentRunner

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def prompt() -> str:
    return (HERE / "prompt.txt").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads((HERE / "schema.json").read_text(encoding="utf-8"))


class LLMSettings(BaseModel):
    """Where the server is; read from the environment so no secret is written to a file."""

    url: str
    model: str
    api_key: Optional[str] = None
    timeout: float = 60.0
    cache_dir: Path = Field(default_factory=lambda: Path(os.environ.get("REDLINE_CACHE", "/tmp/redline-cache")) / "llm")

    @classmethod
    def from_env(cls) -> "LLMSettings":
        url, model = os.environ.get("REDLINE_LLM_URL"), os.environ.get("REDLINE_LLM_MODEL")
        if not url or not model:
            raise RedlineError("the llm backend needs a server (fix: set REDLINE_LLM_URL, e.g. "
                               "http://localhost:8080/v1, and REDLINE_LLM_MODEL)")
        return cls(url=url.rstrip("/"), model=model, api_key=os.environ.get("REDLINE_LLM_API_KEY"),
                   timeout=float(os.environ.get("REDLINE_LLM_TIMEOUT", 60)))


class LLMStatement(BaseModel):
    party: str
    issue: str
    polarity: Polarity
    act: Act = Act.OTHER
    red_line: bool = False
    confidence: float = Field(0.5, ge=0.0, le=1.0)


class LLMAnswer(BaseModel):
    statements: list[LLMStatement] = []


class LLMExtractor(DocumentRunner):
    """Same interface as ``Extractor``: ``run``, ``extract``, call on one document."""

    backend = "llm"

    def __init__(self, profile: Any = None, settings: LLMSettings | None = None, min_confidence: float = 0.0,
                 nlp: Any = None) -> None:
        from redline.extract.pipeline import Extractor

        self.base = Extractor(profile, backend="lexicon", nlp=nlp)
        self.profile, self.ctx = self.base.profile, self.base.ctx
        self.settings = settings or LLMSettings.from_env()
        self.min_confidence = min_confidence
        self.requests = 0  # server calls made (cache misses)
        issues = [f"- {i.id}: {i.proposition}" for i in self.profile.issues.values()]
        self._issues_text = "\n".join(issues)
        self._key = hashlib.sha256(json.dumps([self.settings.model, prompt(), schema()]).encode()).hexdigest()

    def _ask(self, sentence: str, context: str, parties: dict[str, str]) -> LLMAnswer:
        user = (f"Issues:\n{self._issues_text}\n\nParties:\n"
                + "\n".join(f"- {pid}: {name}" for pid, name in sorted(parties.items()))
                + f"\n\nContext: {context}\n\nSentence: {sentence}")
        key = hashlib.sha256(json.dumps([self._key, user]).encode("utf-8")).hexdigest()
        path = self.settings.cache_dir / key[:2] / f"{key}.json"
        if path.is_file():
            return LLMAnswer.model_validate_json(path.read_text(encoding="utf-8"))
        body = {"model": self.settings.model, "temperature": 0,
                "messages": [{"role": "system", "content": prompt()}, {"role": "user", "content": user}],
                "response_format": {"type": "json_schema",
                                    "json_schema": {"name": "statements", "schema": schema(), "strict": True}}}
        req = urllib.request.Request(f"{self.settings.url}/chat/completions", data=json.dumps(body).encode("utf-8"),
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {self.settings.api_key}"}
                                                 if self.settings.api_key else {})})
        self.requests += 1
        try:
            with urllib.request.urlopen(req, timeout=self.settings.timeout) as resp:
                data = json.loads(resp.read().decode("utf-8"))
            content = data["choices"][0]["message"]["content"]
            answer = LLMAnswer.model_validate_json(content)
        except (urllib.error.URLError, OSError) as exc:
            raise RedlineError(f"llm server at {self.settings.url} did not answer: {exc}") from None
        except (KeyError, IndexError, json.JSONDecodeError, ValidationError):
            answer = LLMAnswer()  # an answer off the schema counts as "no statement", and is cached as such
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(answer.model_dump_json(), encoding="utf-8")
        return answer

    def statements(self, state: Any) -> list[Statement]:
        from redline.extract.pairs import pairs_of

        by_sent: dict[int, dict[str, str]] = {}
        quote: dict[int, str] = {}
        for p in pairs_of(state, self.ctx):
            by_sent.setdefault(p.sent_index, {})[p.party] = self.profile.parties[p.party].name \
                if p.party in self.profile.parties else p.party
            quote[p.sent_index] = p.quote
        texts = {s.index: s.text.strip() for s in state.sents}
        doc = state.document
        best: dict[tuple[str, str, str], Statement] = {}
        for idx in sorted(by_sent):
            parties = by_sent[idx]
            answer = self._ask(quote[idx], texts.get(idx - 1, ""), parties)
            for st in answer.statements:
                if st.party not in parties or st.issue not in self.profile.issues or st.confidence < self.min_confidence:
                    continue
                key = (st.party, st.issue, st.polarity.value)
                if key not in best:
                    best[key] = Statement(party=st.party, issue=st.issue, polarity=st.polarity, act=st.act,
                                          red_line=st.red_line, speaker=parties[st.party], quote=quote[idx],
                                          confidence=st.confidence, document_id=doc.id, date=doc.date, url=doc.url)
        return list(best.values())

    def run(self, documents: Iterable[Document]) -> Iterator[Any]:
        for state in self.base.run(documents):
            state.statements = self.statements(state)
            yield state


__all__ = ["LLMExtractor", "LLMSettings", "LLMAnswer", "prompt", "schema"]
