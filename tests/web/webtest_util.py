"""Helpers shared by the web tests and the benchmark (no fixtures here: see conftest.py)."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOY = REPO / "tests" / "fixtures" / "profiles" / "toy"
ARTIFACTS = REPO / "test-artifacts" / "web"
# Starlette's TestClient sends Host: testserver; the real servers of the tests listen on 127.0.0.1.
TEST_HOSTS = ["testserver", "127.0.0.1", "localhost"]

XSS_TEXT = ("Northland PM said access or nothing. <script>alert('xss-script')</script> "
            "<img src=x onerror=\"alert('xss-img')\"> \"><svg onload=alert(3)> "
            "Southland President: the river is ours.")


def wait_until_serving(proc, url: str, timeout: float = 60):
    """The first 200 answer of ``url`` from the server process ``proc`` (started by the test);
    fails with the server's output if it exits, or when ``timeout`` seconds pass."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            r = httpx.get(url, timeout=2)
            if r.status_code == 200:
                return r
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, proc.stdout.read()
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.3)


def auth(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def seed(store) -> dict[str, str]:
    """Two documents with dated statements, one of them carrying script-injection payloads."""
    from redline.model import Document, Statement

    docs = [
        Document(id="art-1", title="Northland demands <b>river</b> access", text=XSS_TEXT,
                 url="https://example.org/a1", outlet="Example <Times>", date=dt.date(2021, 2, 1)),
        Document(id="art-2", title="Southland softens", text="Southland President: we could share the island.",
                 url="https://example.org/a2", outlet="Example Post", date=dt.date(2021, 6, 2)),
    ]
    statements = [
        [Statement(party="NOR", issue="river.access", polarity="for", quote="access or nothing",
                   speaker="Northland PM", red_line=True, act="demand"),
         Statement(party="SOU", issue="river.access", polarity="against", quote="the river is ours",
                   speaker="Southland President", url="javascript:alert('xss-url')")],
        [Statement(party="SOU", issue="border.island", polarity="for", quote="we could share the island",
                   speaker="Southland President", act="propose")],
    ]
    result = store.add_documents(docs, statements)
    assert result.stored == ["art-1", "art-2"], result
    return {"xss": "art-1", "plain": "art-2"}


# --- a real server on loopback (browser and concurrency tests) -----------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """uvicorn in a background thread on 127.0.0.1 and a free port."""

    def __init__(self, application) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(application, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
