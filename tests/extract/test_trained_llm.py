"""The optional LLM backend against a local stub of an OpenAI-compatible server: the request
carries the packaged prompt and schema, answers become statements only for listed parties and
known issues, and a second run is served from the cache (no new requests)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

pytest.importorskip("spacy")


class _Stub(BaseHTTPRequestHandler):
    calls: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Stub.calls.append(body)
        user = body["messages"][1]["content"]
        parties = [line[2:].split(":")[0] for line in user.split("Parties:\n")[1].split("\n\n")[0].splitlines()]
        issues = [line[2:].split(":")[0] for line in user.split("Issues:\n")[1].split("\n\n")[0].splitlines()]
        answer = {"statements": [
            {"party": parties[0], "issue": issues[0], "polarity": "for", "act": "propose", "red_line": False},
            {"party": "NOT-A-PARTY", "issue": issues[0], "polarity": "for", "act": "other", "red_line": False},
            {"party": parties[0], "issue": "not.an.issue", "polarity": "against", "act": "other", "red_line": False},
        ]}
        out = json.dumps({"choices": [{"message": {"role": "assistant", "content": json.dumps(answer)}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture()
def stub_server():
    server = HTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Stub.calls = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_llm_backend_uses_schema_filters_answers_and_caches(stub_server, tmp_path, profile, dev_gold):
    from redline.extract.evaluate import gold_documents
    from redline.extract.llm import LLMExtractor, LLMSettings, schema

    settings = LLMSettings(url=stub_server, model="stub", cache_dir=tmp_path)
    ex = LLMExtractor(profile, settings=settings)
    docs = gold_documents(dev_gold[:3])
    first = [[(s.party, s.issue, s.polarity.value) for s in sts] for _d, sts in ex.extract(docs)]
    n_calls = len(_Stub.calls)
    assert n_calls > 0 and n_calls == ex.requests
    body = _Stub.calls[0]
    assert body["model"] == "stub" and body["response_format"]["json_schema"]["schema"] == schema()
    for sts in first:
        assert sts and all(p != "NOT-A-PARTY" and i in profile.issues for p, i, _ in sts)
    again = LLMExtractor(profile, settings=settings)
    second = [[(s.party, s.issue, s.polarity.value) for s in sts] for _d, sts in again.extract(docs)]
    assert second == first and again.requests == 0 and len(_Stub.calls) == n_calls


def test_llm_backend_needs_settings(monkeypatch):
    from redline.errors import RedlineError
    from redline.extract.llm import LLMSettings

    monkeypatch.delenv("REDLINE_LLM_URL", raising=False)
    with pytest.raises(RedlineError, match="REDLINE_LLM_URL"):
        LLMSettings.from_env()
