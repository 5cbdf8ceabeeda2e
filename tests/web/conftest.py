"""Web fixtures: the toy profile served over a fresh SQLite or PostgreSQL database.

Every database-backed test runs twice, once per backend (``db_kind``), so the same suite must
pass on both. PostgreSQL comes from $REDLINE_TEST_POSTGRES_URL, or from ``.ci/postgres.sh``
(which installs and starts a throwaway server on 127.0.0.1) when the variable is unset.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import sys

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # webtest_util, shared with benchmarks/api_latency.py

from webtest_util import REPO, TEST_HOSTS, TOY, seed  # noqa: E402


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("REDLINE_TEST_POSTGRES_URL")
    if url:
        return url
    script = REPO / ".ci" / "postgres.sh"
    try:
        out = subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as exc:
        pytest.fail(f"no PostgreSQL for the web tests: set REDLINE_TEST_POSTGRES_URL or make "
                    f"{script} work ({exc}; {getattr(exc, 'stderr', '')})")
    m = re.search(r"REDLINE_TEST_POSTGRES_URL=(\S+)", out.stdout)
    if not m:
        pytest.fail(f"{script} printed no REDLINE_TEST_POSTGRES_URL: {out.stdout!r}")
    os.environ["REDLINE_TEST_POSTGRES_URL"] = m.group(1)
    return m.group(1)


class _PgDatabase:
    """A fresh PostgreSQL database per use, dropped afterwards (CREATEDB is granted to the role)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.name = "redline_web_" + uuid.uuid4().hex[:12]

    def _admin(self):
        import psycopg

        return psycopg.connect(self.base_url, autocommit=True)

    def create(self) -> str:
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self.base_url.rsplit("/", 1)[0] + "/" + self.name

    def drop(self) -> None:
        """FORCE ends our own sessions; a background worker of the server (autovacuum visiting the
        new database) belongs to another role and cannot be ended by ours, so wait for it."""
        import time

        import psycopg

        for attempt in range(20):
            try:
                with self._admin() as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                return
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
                if attempt == 19:
                    raise
                time.sleep(0.25)


def _new_db(kind: str, request: pytest.FixtureRequest, tmp: Path):
    if kind == "sqlite":
        return str(tmp / f"web-{uuid.uuid4().hex[:8]}.sqlite3"), None
    pg = _PgDatabase(request.getfixturevalue("postgres_url"))
    return pg.create(), pg


@pytest.fixture(params=["sqlite", "postgresql"])
def db_kind(request) -> str:
    return request.param


@pytest.fixture
def db_url(db_kind, request, tmp_path):
    url, pg = _new_db(db_kind, request, tmp_path)
    yield url
    if pg is not None:
        pg.drop()


def make_app(db_url: str | None, profile=TOY):
    from redline.web import create_app

    return create_app(str(profile), database_url=db_url, use_database=db_url is not None,
                      allowed_hosts=TEST_HOSTS)


@pytest.fixture
def app(db_url):
    application = make_app(db_url)
    yield application
    application.state.backend.store.close()


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture
def token(app) -> str:
    return app.state.backend.store.create_token("tester")


@pytest.fixture
def seeded(app, client):
    return seed(app.state.backend.store)


