"""The store on SQLite and PostgreSQL: schema, documents, statements, cache, tokens, concurrency."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading

import pytest
import sqlalchemy as sa

from redline.errors import DataError, NotFound
from redline.model import Document, Statement
from redline.store import content_hash, input_hash, open_store
from redline.store.db import resolve_url
from redline.store.schema import SEARCH_OBJECTS, metadata, search_objects_filter


def doc(i, text=None, **kw) -> Document:
    return Document(id=f"d{i}", text=text or f"Article number {i} about the talks.", **kw)


def st(party="RUS", issue="alliance.nato", polarity="against", **kw) -> Statement:
    return Statement(party=party, issue=issue, polarity=polarity, **kw)


# --- schema and URLs ------------------------------------------------------------------------

def test_migrations_build_exactly_the_declared_schema(store):
    """A drift between schema.py and the migrations would ship two different databases.

    The one part ``metadata`` cannot declare is the text-search index of migration 0003: an FTS5
    table (plus the shadow tables FTS5 makes for it) and its triggers on SQLite, GIN expression
    indexes on PostgreSQL. The comparison leaves out exactly those tables, by name
    (``schema.search_objects_filter``), and they are checked by name below instead.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "include_name": search_objects_filter})
        diff = compare_metadata(ctx, metadata)
    assert diff == []
    assert store.revision() == store.head() == store.upgrade()  # idempotent at head

    expected = SEARCH_OBJECTS[store.dialect]
    inspector = sa.inspect(store.engine)
    if store.dialect == "sqlite":
        extra = set(inspector.get_table_names()) - set(metadata.tables) - {"alembic_version"}
        assert extra == expected["tables"]  # the filter hides these and nothing else
        with store.engine.connect() as conn:
            triggers = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert triggers == expected["triggers"]
    else:
        declared = {ix.name for ix in metadata.tables["statements"].indexes}
        found = {ix["name"] for ix in inspector.get_indexes("statements")}
        assert found - declared == expected["indexes"]


def test_url_resolution(monkeypatch, tmp_path):
    """--db PATH, postgresql:// URLs, the env var and the per-user default all reach the right engine."""
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgresql://u:p@h:5/db") == "postgresql+psycopg://u:p@h:5/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("REDLINE_DATABASE_URL", "postgresql://env/db")
    assert resolve_url(None) == "postgresql+psycopg://env/db"
    monkeypatch.delenv("REDLINE_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'redline' / 'redline.sqlite3'}"
    with pytest.raises(DataError, match="unsupported"):
        resolve_url("mysql://x/y")


def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path):
    """WAL plus a busy timeout is what lets readers and writers overlap without errors."""
    with open_store(str(tmp_path / "w.db"), upgrade=True) as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# --- documents ------------------------------------------------------------------------------

def test_same_text_is_stored_once(store):
    """Re-ingesting (even re-wrapped text) must not duplicate; the first id wins."""
    first = store.add_documents([doc(1, "Peace  talks\nresume in Istanbul.", date=dt.date(2022, 3, 29))])
    again = store.add_documents([doc(2, " Peace talks resume in   Istanbul. "), doc(3, "   ")])
    assert first.stored == ["d1"]
    assert again.stored == [] and [d.existing_id for d in again.duplicates] == ["d1"]
    assert [(s.source, s.reason) for s in again.skipped] == [("d3", "no text")]
    got = store.document("d1")
    assert got.content_hash == content_hash("Peace talks resume in Istanbul.") and got.date == dt.date(2022, 3, 29)
    with pytest.raises(NotFound):
        store.document("nope")


def test_id_clash_with_other_text_is_renamed_not_lost(store):
    store.add_documents([doc(1, "first text")])
    res = store.add_documents([doc(1, "second text")])
    new_id = res.renamed["d1"]
    assert new_id.startswith("d1~") and store.document(new_id).text == "second text"
    assert store.documents()[1] == 2


def test_document_search_is_literal_and_bound(store):
    """User text goes in as a bound parameter: quotes, % and SQL stay data."""
    store.add_documents([doc(1, "A 100% ceasefire"), doc(2, "A 1000 troops plan"), doc(3, "O'Brien said")])
    assert [d.id for d in store.documents(q="100%")[0]] == ["d1"]
    assert [d.id for d in store.documents(q="o'brien")[0]] == ["d3"]
    assert store.documents(q="'; DROP TABLE documents; --")[1] == 0
    page, total = store.documents(limit=2, offset=2)
    assert total == 3 and len(page) == 1


def test_a_failing_batch_writes_nothing(store):
    """A document and its statements commit together or not at all."""
    with pytest.raises(Exception):
        store.add_documents([doc(1), doc(2)], [[st(quote="ok")], [{"party": "RUS"}]])  # 2nd is invalid
    assert store.documents()[1] == 0 and store.statements()[1] == 0


# --- statements -----------------------------------------------------------------------------

def test_statement_filters(store):
    store.add_documents([doc(1, url="https://e.org/1", date=dt.date(2024, 6, 14)), doc(2, date=dt.date(2025, 2, 1))],
                        [[st(quote="Ukraine must renounce NATO", speaker="Putin", red_line=True),
                          st("UKR", polarity="for", quote="NATO is our goal")],
                         [st("UKR", "alliance.neutrality", "against", quote="No neutrality")]])
    rows, total = store.statements(party="RUS", issue="alliance.nato")
    assert total == 1 and rows[0].red_line and rows[0].url == "https://e.org/1"
    assert rows[0].date == dt.date(2024, 6, 14)  # inherited from the document
    assert store.statements(issue="alliance.*")[1] == 3
    assert [s.quote for s in store.statements(since=dt.date(2025, 1, 1))[0]] == ["No neutrality"]
    assert store.statements(until=dt.date(2024, 12, 31))[1] == 2
    assert [s.speaker for s in store.statements(text="PUTIN")[0]] == ["Putin"]
    assert store.statements(party="RUS' OR '1'='1")[1] == 0


def test_add_statements_replaces_unless_told(store):
    """Extracting a document twice must not double its statements."""
    store.add_documents([doc(1)])
    assert store.add_statements("d1", [st(), st()]) == 2
    store.add_statements("d1", [st(quote="new")])
    assert [s.quote for s in store.statements()[0]] == ["new"]
    store.add_statements("d1", [st(quote="more")], replace=False)
    assert store.statements()[1] == 2
    with pytest.raises(NotFound):
        store.add_statements("missing", [st()])


# --- cache and tokens -----------------------------------------------------------------------

def test_cache_by_input_hash(store):
    key = input_hash("assessment", {"plan": "x"}, [1, 2])
    assert key == input_hash("assessment", {"plan": "x"}, [1, 2]) != input_hash("assessment", {"plan": "y"})
    assert store.cached("assessment", key) is None
    store.cache("assessment", key, '{"v": 1}')
    store.cache("assessment", key, '{"v": 2}')
    assert store.cached("assessment", key) == '{"v": 2}'
    assert store.cached("comparison", key) is None


def test_tokens_store_only_a_hash_and_revoke(store):
    secret = store.create_token("analyst")
    assert store.verify_token(secret) and not store.verify_token(secret[:-1] + "x")
    assert not store.verify_token("") and store.token_info(secret).name == "analyst"
    with store.engine.connect() as conn:
        dump = repr(conn.execute(sa.text("SELECT * FROM tokens")).all())
    assert secret not in dump and secret[3:] not in dump
    with pytest.raises(DataError, match="exists"):
        store.create_token("analyst")
    store.revoke_token("analyst")
    assert not store.verify_token(secret)
    assert [(t.name, t.active) for t in store.tokens()] == [("analyst", False)]
    with pytest.raises(NotFound):
        store.revoke_token("analyst")
    again = store.create_token("analyst")  # a revoked name can be reused
    assert store.verify_token(again) and not store.verify_token(secret)


def test_token_check_uses_constant_time_compare(store, monkeypatch):
    import hmac

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    store.create_token("a")
    store.create_token("b")
    store.verify_token("rl_wrong")
    assert len(calls) == 2  # every active token compared, no early exit


# --- concurrency ----------------------------------------------------------------------------

WRITERS, PER_WRITER = 8, 15


def _write_batch(url: str, w: int) -> None:
    store = open_store(url)
    try:
        for i in range(PER_WRITER):
            store.add_documents([doc(f"{w}-{i}")], [[st(quote=f"w{w} i{i}")]])
            store.add_documents([doc("shared", "The same article, seen by every writer.")])
            store.cache("k", f"{w}", "{}")
        store.create_token(f"writer-{w}")
    finally:
        store.close()


def _check_no_rows_lost(store) -> None:
    assert store.documents()[1] == WRITERS * PER_WRITER + 1
    assert store.statements()[1] == WRITERS * PER_WRITER
    assert len(store.tokens()) == WRITERS
    quotes = {s.quote for s in store.all_statements()}
    assert len(quotes) == WRITERS * PER_WRITER


def test_eight_concurrent_writer_threads_lose_no_rows(store, db_url):
    errors: list[BaseException] = []

    def run(w):
        try:
            _write_batch(db_url, w)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    _check_no_rows_lost(store)


def test_eight_concurrent_writer_processes_lose_no_rows(store, db_url):
    """Separate processes hold separate SQLite locks: the real multi-writer case."""
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_write_batch, args=(db_url, w)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    _check_no_rows_lost(store)
