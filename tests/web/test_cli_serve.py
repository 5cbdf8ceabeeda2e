"""`redline serve` (registered on a Typer app by redline.web.cli.register), run for real."""

from __future__ import annotations

import subprocess
import sys

import httpx
import typer
from typer.testing import CliRunner

from webtest_util import TOY, free_port, wait_until_serving

SCRIPT = """
import sys, typer
from redline.web.cli import register
app = typer.Typer()
@app.callback()
def main() -> None: pass
register(app)
app(sys.argv[1:])
"""


def test_register_adds_serve():
    from redline.web.cli import register

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        pass

    register(app)
    out = CliRunner().invoke(app, ["serve", "--help"])
    assert out.exit_code == 0
    for opt in ("--host", "--port", "--workers", "--db", "--profile", "--allowed-hosts"):
        assert opt in out.output


def test_serve_two_workers_on_sqlite(tmp_path):
    """Two worker processes share one SQLite file; both answer, and the page carries the CSP."""
    port = free_port()
    db = tmp_path / "serve.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, "serve", "--port", str(port), "--workers", "2",
                             "--db", str(db), "--profile", str(TOY), "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        r = wait_until_serving(proc, f"http://127.0.0.1:{port}/api/profiles")
        assert r.json()[0]["id"] == "toy" and r.json()[0]["database"] is True
        page = httpx.get(f"http://127.0.0.1:{port}/matrix", timeout=10)
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert db.is_file()
        # DNS rebinding: the real server refuses a Host outside the allow-list (loopback by default).
        evil = httpx.get(f"http://127.0.0.1:{port}/api/profiles", headers={"host": "rebind.example"}, timeout=10)
        assert evil.status_code == 400 and evil.json()["status"] == 400
        assert "script-src 'self'" in evil.headers["content-security-policy"]
        assert httpx.get(f"http://localhost:{port}/api/profiles", timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
