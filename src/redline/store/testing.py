"""Pytest fixtures for a fresh store on every backend (imported by the tests' conftest files).

``store`` is parametrised over SQLite (a file in tmp) and PostgreSQL (a fresh schema per test in
the server named by ``$REDLINE_TEST_POSTGRES_URL``, which ``eval "$(bash .ci/postgres.sh)"`` sets).
Without that variable the PostgreSQL cases fail, so a green run always means both backends
passed; ``REDLINE_NO_POSTGRES=1`` skips them explicitly for a quick local run.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

PG_ENV = "REDLINE_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_base_url() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("REDLINE_NO_POSTGRES") == "1":
        pytest.skip("PostgreSQL cases skipped: REDLINE_NO_POSTGRES=1")
    pytest.fail(f"{PG_ENV} is not set: start the test server with 'eval \"$(bash .ci/postgres.sh)\"' "
                "(or set REDLINE_NO_POSTGRES=1 to run the SQLite cases only)", pytrace=False)


def _with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL to an empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'redline-test.sqlite3'}"
        return
    import sqlalchemy as sa

    from redline.store.db import make_engine, resolve_url

    base = postgres_base_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"  # generated here: safe to put in DDL
    admin = make_engine(resolve_url(base), poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_search_path(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db_url):
    """A migrated, empty store on each backend."""
    from redline.store import open_store

    s = open_store(db_url, upgrade=True)
    try:
        yield s
    finally:
        s.close()
