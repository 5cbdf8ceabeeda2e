"""Engines: where the database is, and how to talk to it safely from many writers at once.

SQLite runs in WAL mode (readers never block the writer) with a busy timeout, and every write
transaction starts with ``BEGIN IMMEDIATE`` so two writers queue for the lock instead of
deadlocking on a read-to-write upgrade; "database is locked" past the timeout is retried.
PostgreSQL goes through psycopg 3; serialization failures and deadlocks are retried the same way.
"""

from __future__ import annotations

import os
import random
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from redline.errors import DataError

ENV_URL = "REDLINE_DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000
RETRIES = 8
T = TypeVar("T")


def default_sqlite_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("redline", appauthor=False) / "redline.sqlite3"


def resolve_url(url: str | os.PathLike | None = None) -> str:
    """The database URL: the argument, else $REDLINE_DATABASE_URL, else SQLite in the data dir.

    A bare path means an SQLite file; ``postgresql://`` and ``postgres://`` select psycopg 3.
    """
    if url is None or str(url) == "":
        url = os.environ.get(ENV_URL) or None
    if url is None:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    url = str(url)
    if "://" not in url:
        return sqlite_url(url)
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith(("sqlite:", "postgresql+psycopg:")):
        return url
    scheme = url.split("://", 1)[0]
    raise DataError(f"unsupported database URL scheme {scheme!r}",
                    fix="use a file path, sqlite:///PATH or postgresql://USER:PASSWORD@HOST/DB")


def sqlite_url(path: str | os.PathLike) -> str:
    p = Path(path).expanduser()
    if p.is_dir():
        raise DataError(f"{p} is a folder, not a database file", fix="give a file path, e.g. redline.sqlite3")
    p.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{p.resolve()}"


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000,
                                                     "check_same_thread": False}, **kwargs)
        _sqlite_setup(engine)
        return engine
    if url.startswith("postgresql+psycopg"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise DataError("PostgreSQL needs psycopg 3", fix="pip install 'psycopg[binary]>=3'") from None
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN IMMEDIATE can be issued.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("redline_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _retryable(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "database is locked" in text or "database table is locked" in text or "busy" in text:
        return True
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01")  # serialization failure, deadlock detected


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        with conn.begin():
            yield conn


def write(engine: Engine, fn: Callable[[Connection], T], retries: int = RETRIES) -> T:
    """Run ``fn`` in one write transaction, retried whole when the database is busy."""
    for attempt in range(retries + 1):
        try:
            with engine.connect() as conn:
                conn.execution_options(redline_write=True)
                with conn.begin():
                    return fn(conn)
        except (OperationalError, DBAPIError) as exc:
            if attempt >= retries or not _retryable(exc):
                raise
            time.sleep(min(2.0, 0.05 * 2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover
